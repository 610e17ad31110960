//! The exit codes parindex ends with, the same for every command.

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: done; every input was good.
    Done = 0,
    /// 1: the inputs are wrong; every problem was listed.
    BadInput = 1,
    /// 2: the command line is wrong.
    Usage = 2,
}

impl Exit {
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// The exit codes as `--help` and the README list them.
pub const EXIT_CODES_HELP: &str = "\
Examples:
  parindex check criteria/so-ban-nganh-2025.toml
  parindex check --help

Exit codes:
  0  done: every input is good
  1  the inputs are wrong: every problem is listed
  2  the command line is wrong";
