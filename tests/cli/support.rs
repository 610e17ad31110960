//! Running the binary the way a user does, and writing down what they would see.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/data`, where fixtures live.
pub fn data() -> PathBuf {
    root().join("tests/data")
}

/// Runs `parindex ARGS` in `dir` with an empty environment (no colours, no locale).
pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_parindex"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .output()
        .expect("the parindex binary runs")
}

/// What a user sees, as one text: the exit code, stdout and stderr.
pub fn seen(output: &Output) -> String {
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output.status.code().map_or_else(|| "killed".to_string(), |c| c.to_string()),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Parsed as XML, a page must be whole (every element closed, every entity known) and
/// refer to nothing outside itself.
pub fn assert_whole_and_alone(html: &str, what: &str) {
    let mut reader = quick_xml::Reader::from_str(html);
    let mut depth = 0i32;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{what}: not well-formed at {}: {e}", reader.buffer_position()),
        }
    }
    assert_eq!(depth, 0, "{what}: every element is closed");
    for external in ["http:", "https:", "<link", "<script", "src=", "href=", "url(", "@import"] {
        assert!(
            !html.contains(external),
            "{what}: the page must not refer to anything outside it ({external})"
        );
    }
}
