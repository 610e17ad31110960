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
