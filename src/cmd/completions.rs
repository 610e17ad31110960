//! `parindex completions SHELL`: the shell completion script.

use std::io::Write;

use crate::exit::Exit;

// Every command runs with the same signature, though this one cannot fail.
#[allow(clippy::unnecessary_wraps)]
pub(crate) fn run(
    shell: clap_complete::Shell,
    command: &mut clap::Command,
    out: &mut dyn Write,
) -> std::io::Result<Exit> {
    clap_complete::generate(shell, command, "parindex", out);
    Ok(Exit::Done)
}
