//! `parindex check`: one snapshot per kind of mistake (the diagnostic text is part of the
//! interface), and the behaviour around it: good files, folders, JSON, exit codes.

use crate::support::{data, root, run, seen};

/// Every file in tests/data/criteria/bad is named after the diagnostic code it must
/// produce (`unknown-key--typo-in-node.toml`); its whole output is pinned.
#[test]
fn each_kind_of_mistake_is_reported_as_pinned() {
    let dir = data().join("criteria");
    insta::glob!("../data", "criteria/bad/*.toml", |path| {
        let name = path.file_name().unwrap().to_str().unwrap();
        let output = run(&dir, &["check", &format!("bad/{name}")]);
        let text = seen(&output);
        let code = name.trim_end_matches(".toml").split("--").next().unwrap();
        if code != "many-problems" {
            assert!(text.contains(&format!("[{code}]")), "{name} must report [{code}]:\n{text}");
        }
        let expected_exit = i32::from(!name.contains("--warning"));
        assert_eq!(output.status.code(), Some(expected_exit), "{name}:\n{text}");
        insta::assert_snapshot!(text);
    });
}

// Every problem in a file is listed at once, not only the first.
#[test]
fn all_problems_in_a_file_are_listed_together() {
    let output = run(&data().join("criteria"), &["check", "bad/many-problems.toml"]);
    let text = String::from_utf8(output.stdout).unwrap();
    let errors = text.lines().filter(|l| l.starts_with("error[")).count();
    assert!(errors >= 6, "{text}");
    assert!(text.ends_with("bad/many-problems.toml: 6 errors\n"), "{text}");
}

// Files saved with a BOM and CRLF, names typed in NFD, and `parent` keys instead of
// dotted codes are all ordinary.
#[test]
fn awkward_but_valid_files_pass() {
    let output = run(&data().join("criteria"), &["check", "good"]);
    insta::assert_snapshot!(seen(&output));
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn the_documented_example_passes() {
    let output = run(&root(), &["check", "docs/examples/bo-tieu-chi-mau.toml"]);
    insta::assert_snapshot!(seen(&output));
    assert_eq!(output.status.code(), Some(0));
}

// The complete example in docs/criteria.md is the file the README runs: they must not drift.
#[test]
fn the_reference_shows_the_example_file_verbatim() {
    let doc = std::fs::read_to_string(root().join("docs/criteria.md")).unwrap();
    let file = std::fs::read_to_string(root().join("docs/examples/bo-tieu-chi-mau.toml")).unwrap();
    let start =
        doc.find("```toml\n# Bộ tiêu chí mẫu").expect("docs/criteria.md shows the example") + 8;
    let end = start + doc[start..].find("```").unwrap();
    assert_eq!(&doc[start..end], file);
}

#[test]
fn json_lists_every_problem_with_its_place() {
    let dir = data().join("criteria");
    let output = run(
        &dir,
        &[
            "check",
            "--format",
            "json",
            "bad/many-problems.toml",
            "bad/grade-gap--warning.toml",
            "good/bom-crlf.toml",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let problems: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let problems = problems.as_array().unwrap();
    assert_eq!(problems.len(), 7);
    let first = &problems[0];
    assert_eq!(first["file"], "bad/many-problems.toml");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["code"], "unknown-rule");
    assert_eq!((first["line"].as_u64(), first["column"].as_u64()), (Some(23), Some(8)));
    assert_eq!(first["help"], "did you mean \"yes_no\"?");
    let warning = problems.iter().find(|p| p["severity"] == "warning").unwrap();
    assert_eq!(warning["code"], "grade-gap");
    insta::assert_snapshot!(String::from_utf8(output.stdout).unwrap());
}

#[test]
fn warnings_fail_only_when_denied() {
    let dir = data().join("criteria");
    let file = "bad/grade-gap--warning.toml";
    assert_eq!(run(&dir, &["check", file]).status.code(), Some(0));
    assert_eq!(run(&dir, &["check", "--deny-warnings", file]).status.code(), Some(1));
}

#[test]
fn several_files_end_with_a_count() {
    let dir = data().join("criteria");
    let output =
        run(&dir, &["check", "good/bom-crlf.toml", "bad/duplicate-code.toml", "no-such-file.toml"]);
    insta::assert_snapshot!(seen(&output));
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn a_folder_without_criteria_files_is_a_problem() {
    let empty = tempfile::tempdir().unwrap();
    let output = run(empty.path(), &["check", "."]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "error[read-failed]: the folder . holds no .toml file\n\n.: 1 error\n"
    );
}

#[test]
fn a_wrong_command_line_exits_2() {
    let dir = data().join("criteria");
    for args in [&["check"][..], &["check", "--format", "xml", "good"], &["chek", "good"], &[]] {
        let output = run(&dir, args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", seen(&output));
        assert!(output.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("Usage:") || stderr.contains("--help"), "{stderr}");
    }
}

// `parindex check … | head` closes the pipe early; that is not a failure. The reading end
// is closed before the child starts, so its first write certainly meets a closed pipe
// (EPIPE), whatever the timing. `check bad` finds errors and would otherwise exit 1:
// exit 0 shows the closed pipe, and nothing else, decided the outcome.
#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::process::{Command, Stdio};
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = Command::new(env!("CARGO_BIN_EXE_parindex"))
        .args(["check", "bad"])
        .current_dir(data().join("criteria"))
        .env_clear()
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert_eq!(output.status.code(), Some(0), "{:?}", output.status);
}

#[test]
fn colour_is_used_only_when_asked() {
    let dir = data().join("criteria");
    let plain = run(&dir, &["check", "bad/duplicate-code.toml"]);
    assert!(!plain.stdout.contains(&0x1b));
    let coloured = run(&dir, &["check", "--color", "always", "bad/duplicate-code.toml"]);
    assert!(coloured.stdout.contains(&0x1b));
}

// A round with dozens of claims without evidence says them once per file, with a count
// and the first places, and ends with a count of everything; --verbose shows each one,
// and JSON has a record for each.
#[test]
fn a_rounds_repeated_warnings_are_said_once_and_counted() {
    let round = "examples/so-ban-nganh-2025/round.toml";
    let grouped = run(&root(), &["check", round]);
    assert_eq!(grouped.status.code(), Some(0), "{}", seen(&grouped));
    insta::assert_snapshot!("check-round-grouped", seen(&grouped));
    let verbose = run(&root(), &["check", round, "--verbose"]);
    assert_eq!(verbose.status.code(), Some(0), "{}", seen(&verbose));
    let text = String::from_utf8_lossy(&verbose.stdout);
    assert_eq!(text.matches("warning[no-evidence]").count(), 43);
    insta::assert_snapshot!("check-round-verbose", seen(&verbose));
    let json = run(&root(), &["check", round, "--format", "json"]);
    let records: Vec<serde_json::Value> = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(records.len(), 43);
}
