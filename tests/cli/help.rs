//! The help text is the first manual an officer reads: it is pinned, and so is the
//! completion script's existence for every shell.

use crate::support::{root, run, run_with_env, seen};

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

/// A Vietnamese locale.
const VI_LOCALE: &[(&str, &str)] = &[("LANG", "vi_VN.UTF-8")];

#[test]
fn help_is_in_vietnamese_with_lang_vi() {
    let output = run(&root(), &["--lang", "vi", "--help"]);
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!(seen(&output));
}

#[test]
fn a_command_help_is_in_vietnamese_wherever_lang_vi_is() {
    for (name, args) in [
        ("score", ["score", "--help", "--lang", "vi"]),
        ("check", ["--lang", "vi", "check", "--help"]),
        ("explain", ["explain", "--lang=vi", "-h", "--"]),
    ] {
        let output = run(&root(), &args);
        assert_eq!(output.status.code(), Some(0), "{name}");
        insta::assert_snapshot!(format!("vi-{name}"), seen(&output));
    }
}

#[test]
fn a_vietnamese_locale_chooses_vietnamese_help() {
    let output = run_with_env(&root(), &["status", "--help"], VI_LOCALE);
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!(seen(&output));
    // The help subcommand shows the same help.
    let help = run_with_env(&root(), &["help", "status"], VI_LOCALE);
    assert_eq!(help.stdout, output.stdout);
}

#[test]
fn lang_en_keeps_english_help_in_a_vietnamese_locale() {
    for args in [&["--help"][..], &["check", "--help"], &["score", "-h"]] {
        let english = run(&root(), args);
        let asked = run_with_env(&root(), &[args, &["--lang", "en"]].concat(), VI_LOCALE);
        assert_eq!(
            String::from_utf8_lossy(&asked.stdout),
            String::from_utf8_lossy(&english.stdout),
            "{args:?}"
        );
    }
}
