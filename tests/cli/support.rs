//! Running the binary the way a user does, and writing down what they would see.

use std::ffi::OsStr;
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

/// Copies every file of folder `from` into folder `to`.
pub fn copy_files(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
    }
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

/// Runs `parindex ARGS` in `dir` with only the variables `env` set (a locale, say).
pub fn run_with_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_parindex"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .envs(env.iter().copied())
        .output()
        .expect("the parindex binary runs")
}

/// The address space every bounded case runs in: many times what these inputs need, so
/// that a reader that copied the file per cell or per column, or grew without end, is
/// stopped (and the case shows as "killed").
pub const MEMORY: u64 = 512 << 20;

/// The processor time every bounded case runs in: a hundred times what the slowest of them
/// takes in a debug build, so that a reader walking in circles is stopped rather than
/// waited for.
pub const CPU_SECONDS: u64 = 120;

/// `parindex ARGS` in `dir`, as [`run`] does, within [`MEMORY`] and [`CPU_SECONDS`]
/// (util-linux's `prlimit`, where it is installed). The worker threads and the allocator's
/// arenas are held to two, so that the address space needed does not grow with the
/// machine's cores.
pub fn bounded(dir: &Path, args: &[&str]) -> Output {
    let Some(prlimit) = prlimit() else {
        eprintln!("prlimit is not installed: running without bounds on memory and time");
        return run(dir, args);
    };
    Command::new(prlimit)
        .arg(format!("--as={MEMORY}"))
        .arg(format!("--cpu={CPU_SECONDS}"))
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_parindex"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("RAYON_NUM_THREADS", "2")
        .env("MALLOC_ARENA_MAX", "2")
        .output()
        .expect("the parindex binary runs under prlimit")
}

/// Where util-linux's `prlimit` is, if it is installed.
pub fn prlimit() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join("prlimit")).find(|p| p.is_file())
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

/// Whether the value of the variable `CI` says the tests run on CI: any value but empty,
/// "false" and "0", as CI services set it.
fn on_ci(value: Option<&OsStr>) -> bool {
    value.is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Where the first of `names` (an outside program a test drives, such as a browser) is
/// on `PATH`. Without it the test cannot run: on CI that fails the test, because CI
/// installs these programs (`.ci/run`) and a test that passed without running would hide
/// it; on a developer's machine the test says it is skipped and returns.
pub fn require_tool(names: &[&str], what: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = names.iter().find_map(|name| {
        std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| is_executable(p))
    });
    if found.is_none() {
        assert!(
            !on_ci(std::env::var_os("CI").as_deref()),
            "{what} is needed and none of {names:?} is on PATH; CI must install it (.ci/run does)"
        );
        eprintln!("skipped: {what} is not installed (none of {names:?} is on PATH)");
    }
    found
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

#[test]
fn ci_is_any_value_but_empty_false_and_0() {
    for (value, ci) in
        [(None, false), (Some(""), false), (Some("false"), false), (Some("0"), false)]
            .into_iter()
            .chain([(Some("true"), true), (Some("1"), true), (Some("yes"), true)])
    {
        assert_eq!(on_ci(value.map(OsStr::new)), ci, "CI={value:?}");
    }
}
