//! The command line: what users type, parsed by clap, then turned into a plan for the
//! command to run. Nothing below this module knows about clap.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::cmd;
use crate::exit::{EXIT_CODES_HELP, Exit};

/// Compute Vietnam's administrative reform index (Chỉ số CCHC, PAR INDEX) for a
/// province's agencies, and check the criteria sets (bộ tiêu chí) it is computed from.
#[derive(Debug, Parser)]
#[command(name = "parindex", version, after_help = EXIT_CODES_HELP, max_term_width = 100)]
pub struct Cli {
    /// When to colour the output: auto colours it on a terminal unless NO_COLOR is set.
    #[allow(clippy::doc_markdown)] // the text is the user's help, not rustdoc
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check criteria sets for mistakes before they are published or used.
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Print a shell completion script for parindex.
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
}

const CHECK_EXAMPLES: &str = "\
Examples:
  Check one set:
    parindex check criteria/so-ban-nganh-2025.toml
  Check every set in a folder, as a CI job does:
    parindex check criteria/
  Problems as JSON, for a CI system to annotate:
    parindex check criteria/ --format json

Exit codes:
  0  every set is good (warnings are printed but do not fail, unless --deny-warnings)
  1  at least one set has a problem: every problem in every file is listed
  2  the command line is wrong";

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  bash:        parindex completions bash > ~/.local/share/bash-completion/completions/parindex
  zsh:         parindex completions zsh > ~/.zfunc/_parindex
  fish:        parindex completions fish > ~/.config/fish/completions/parindex.fish
  PowerShell:  parindex completions powershell >> $PROFILE";

/// Options of `parindex check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Criteria set files (.toml) to check. A folder stands for every .toml file in it.
    #[arg(required = true, value_name = "CRITERIA")]
    pub files: Vec<PathBuf>,

    /// How to print the problems found: text for people, or json (one record per problem,
    /// with file, line, column, severity, code and message) for CI systems.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,

    /// Fail (exit 1) on warnings too, not only on errors.
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

/// Options of `parindex completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write completions for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    fn resolve(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        }
    }
}

/// Runs the command the user typed, writing its output to `out`.
pub fn run(cli: Cli, out: &mut dyn std::io::Write) -> std::io::Result<Exit> {
    let color = cli.color.resolve();
    match cli.command {
        Command::Check(args) => cmd::check::run(
            &cmd::check::Plan {
                files: args.files,
                json: args.format == CheckFormat::Json,
                deny_warnings: args.deny_warnings,
                color,
            },
            out,
        ),
        Command::Completions(args) => cmd::completions::run(args.shell, &mut Cli::command(), out),
    }
}
