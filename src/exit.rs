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
    /// Every way a run ends, in the order of their codes.
    pub const ALL: [Exit; 3] = [Exit::Done, Exit::BadInput, Exit::Usage];

    pub fn code(self) -> u8 {
        self as u8
    }

    /// What the code means, the same for every command, as `--help` and the README list
    /// it; a command's `--help` may say more.
    pub fn meaning(self) -> &'static str {
        match self {
            Exit::Done => "done: every input is good",
            Exit::BadInput => "the inputs are wrong: every problem is listed",
            Exit::Usage => "the command line is wrong",
        }
    }
}
