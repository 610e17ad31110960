//! The `parindex` binary: parses the command line, runs the command, exits with its code.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use parindex::cli::{self, Cli};
use parindex::exit::Exit;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print and succeed; anything else is a usage error.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { Exit::Usage.code() } else { 0 });
        }
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    // Not locked for the whole run: the progress display writes to it from its own thread.
    let mut err = std::io::stderr();
    let result = cli::run(cli, &mut out, &mut err).and_then(|exit| out.flush().map(|()| exit));
    match result {
        Ok(exit) => ExitCode::from(exit.code()),
        // `parindex check … | head` closes the pipe early: that is not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write the output: {e}");
            ExitCode::from(Exit::BadInput.code())
        }
    }
}
