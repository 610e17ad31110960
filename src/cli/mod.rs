//! The command line: what users type, parsed by clap, then turned into a plan for the
//! command to run. Nothing below this module knows about clap.

pub mod args;
mod help;

use std::io::IsTerminal;

use clap::{CommandFactory, Parser, Subcommand};

use crate::cmd;
use crate::exit::Exit;

use args::{
    CheckArgs, ColorChoice, CompareArgs, CompletionsArgs, ExplainArgs, GenerateArgs, ScoreArgs,
    SensitivityArgs, TemplateArgs, VerifyArgs,
};

/// Compute Vietnam's administrative reform index (Chỉ số CCHC, PAR INDEX) for a
/// province's agencies, and check the criteria sets (bộ tiêu chí) it is computed from.
#[derive(Debug, Parser)]
#[command(name = "parindex", version, after_help = help::parindex(), max_term_width = 100)]
pub struct Cli {
    /// When to colour the output: auto colours it on a terminal unless NO_COLOR is set.
    #[allow(clippy::doc_markdown)] // the text is the user's help, not rustdoc
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    /// No progress display on large rounds (it is shown only on a terminal anyway).
    #[arg(short, long, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check criteria sets, and a round's data files, for mistakes before they are used.
    #[command(after_help = help::check())]
    Check(CheckArgs),
    /// Score a round: points per field, total, index, rank and grade of every agency.
    #[command(after_help = help::score())]
    Score(ScoreArgs),
    /// Explain one agency's result: where it lost points, and every node at the self and
    /// final stages with its values, evidence and explanations.
    #[command(after_help = help::EXPLAIN_EXAMPLES)]
    Explain(ExplainArgs),
    /// Compare self-assessment with appraisal in a round, or one round (a year) with
    /// another.
    #[command(after_help = help::COMPARE_EXAMPLES)]
    Compare(CompareArgs),
    /// How steady each rank is: perturb the points of the fields or criteria run after run
    /// and see how far each agency's rank and grade move.
    #[command(after_help = help::sensitivity())]
    Sensitivity(SensitivityArgs),
    /// Confirm that a published result still matches its inputs: every input file's
    /// SHA-256 as the result records it, and the same bytes when scored again.
    #[command(after_help = help::verify())]
    Verify(VerifyArgs),
    /// Write the blank self-assessment an agency fills in, as CSV or an Excel workbook.
    #[command(after_help = help::TEMPLATE_EXAMPLES)]
    Template(TemplateArgs),
    /// Write a synthetic round (invented figures) for a criteria set, of any size.
    #[command(after_help = help::GENERATE_EXAMPLES)]
    Generate(GenerateArgs),
    /// Print a shell completion script for parindex.
    #[command(after_help = help::COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
}

/// Runs the command the user typed, writing its output to `out` and its messages to `err`.
pub fn run(
    cli: Cli,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
) -> std::io::Result<Exit> {
    let color = cli.color.resolve(std::io::stdout().is_terminal());
    let err_color = cli.color.resolve(std::io::stderr().is_terminal());
    match cli.command {
        Command::Check(args) => cmd::check::run(
            &cmd::check::Plan {
                files: args.files,
                data: args.data,
                agencies: args.agencies,
                format: args.format,
                deny_warnings: args.deny_warnings,
                color,
            },
            out,
        ),
        Command::Score(args) => cmd::score::run(
            &cmd::score::Plan {
                source: args.inputs.source(),
                stage: args.stage.stage,
                group: args.group,
                missing: args.missing.missing,
                format: args.format,
                output: args.output.output,
                lang: args.output.lang,
                color: err_color,
                quiet: cli.quiet,
            },
            out,
            err,
        ),
        Command::Verify(args) => {
            cmd::verify::run(&cmd::verify::Plan { result: args.result, color: err_color }, out, err)
        }
        Command::Sensitivity(args) => cmd::sensitivity::run(
            &cmd::sensitivity::Plan {
                score: cmd::score::Plan {
                    source: args.inputs.source(),
                    stage: args.stage.stage,
                    group: args.group,
                    missing: args.missing.missing,
                    format: args.format,
                    output: args.output.output,
                    lang: args.output.lang,
                    color: err_color,
                    quiet: cli.quiet,
                },
                options: crate::score::sensitivity::Options {
                    runs: args.runs as usize,
                    seed: args.seed,
                    spread: args.spread,
                    level: args.level,
                },
                fields_alone: args.fields,
            },
            out,
            err,
        ),
        Command::Explain(args) => cmd::explain::run(
            &cmd::explain::Plan {
                agency: args.agency,
                source: args.inputs.source(),
                stage: args.stage.stage,
                missing: args.missing.missing,
                format: args.format,
                output: args.output.output,
                lang: args.output.lang,
                color: err_color,
            },
            out,
            err,
        ),
        Command::Compare(args) => cmd::compare::run(
            &cmd::compare::Plan {
                rounds: args.rounds,
                missing: args.missing.missing,
                format: args.format,
                output: args.output.output,
                lang: args.output.lang,
                color: err_color,
            },
            out,
            err,
        ),
        Command::Template(args) => cmd::template::run(
            &cmd::template::Plan {
                criteria: args.criteria,
                agencies: args.agencies,
                format: args.format,
                output: args.output.output,
                lang: args.output.lang,
                color: err_color,
            },
            out,
            err,
        ),
        Command::Generate(args) => cmd::generate::run(
            &cmd::generate::Plan {
                criteria: args.criteria,
                agencies: args.agencies,
                count: args.count.unwrap_or(0),
                groups: args.groups,
                seed: args.seed,
                appraisals: args.appraisals,
                title: args.title,
                output: args.output,
                color: err_color,
            },
            out,
            err,
        ),
        Command::Completions(args) => cmd::completions::run(args.shell, &mut Cli::command(), out),
    }
}
