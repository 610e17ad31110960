//! The help text is the first manual an officer reads: it is pinned, and so is the
//! completion script's existence for every shell.

use crate::support::{root, run, seen};

#[test]
fn help_explains_commands_and_exit_codes() {
    let output = run(&root(), &["--help"]);
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!(seen(&output));
}

#[test]
fn check_help_has_examples() {
    let output = run(&root(), &["check", "--help"]);
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!(seen(&output));
}

#[test]
fn completions_are_printed_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = run(&root(), &["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(output.stdout).unwrap();
        assert!(script.contains("deny-warnings"), "{shell} completes check's options");
    }
    assert_eq!(run(&root(), &["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn version_is_the_crate_version() {
    let output = run(&root(), &["--version"]);
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        format!("parindex {}\n", env!("CARGO_PKG_VERSION"))
    );
}
