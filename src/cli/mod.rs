//! The command line: what users type, parsed by clap, then turned into a plan for the
//! command to run. Nothing below this module knows about clap.

pub(crate) mod args;
mod destination;
mod help;
mod help_vi;

use std::io::IsTerminal;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use crate::cmd;
use crate::diagnostic::Voice;
use crate::exit::Exit;
use crate::lang::{Lang, Text};
use crate::report::{CsvForm, Format};
use crate::tr;

use args::{
    CheckArgs, ColorChoice, CompareArgs, CompletionsArgs, ExplainArgs, GenerateArgs, ImportArgs,
    MissingArgs, OutputArgs, PdfArgs, ScoreArgs, SensitivityArgs, StageArgs, StatusArgs,
    TemplateArgs, VerifyArgs,
};

/// Compute Vietnam's administrative reform index (Chỉ số CCHC, PAR INDEX) for a
/// province's agencies, and check the criteria sets (bộ tiêu chí) it is computed from.
#[derive(Debug, Parser)]
#[command(name = "parindex", version, after_help = help::parindex(), max_term_width = 100)]
pub(crate) struct Cli {
    /// When to colour the output: auto colours it on a terminal unless NO_COLOR is set.
    #[allow(clippy::doc_markdown)] // the text is the user's help, not rustdoc
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    /// No progress display on large rounds (it is shown only on a terminal anyway).
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Language of messages, and of reports' headers, notes and rubrics: vi (Vietnamese,
    /// with decimal commas) or en. Reports are Vietnamese without it; messages follow the
    /// locale (LC_ALL, LC_MESSAGES or LANG starting with vi) and are English otherwise. A
    /// CSV file has Vietnamese headers, decimal commas and semicolons only when it is given.
    #[allow(clippy::doc_markdown)] // the text is the user's help, not rustdoc
    #[arg(long, value_enum, global = true)]
    pub lang: Option<Lang>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check criteria sets, and a round's data files, for mistakes before they are used.
    #[command(after_help = help::check())]
    Check(CheckArgs),
    /// Score a round: points per field, total, index, rank and grade of every agency.
    #[command(after_help = help::score())]
    Score(ScoreArgs),
    /// Explain one agency's result: where it lost points, and every node at the self and
    /// final stages with its values, evidence and explanations.
    // clap would list the required inputs before AGENCY, the other way round from how
    // the command is typed.
    #[command(
        after_help = help::EXPLAIN_EXAMPLES,
        override_usage = "parindex explain [OPTIONS] <AGENCY | --each -o DIR> <ROUND | --criteria <FILE> --agencies <FILE> --self <FILE> …>"
    )]
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
    /// Before scoring: who has submitted its self-assessment, how much of it is answered,
    /// the claims without evidence, and what the round's tables give each agency.
    #[command(after_help = help::STATUS_EXAMPLES)]
    Status(StatusArgs),
    /// Turn a report into PDF: the HTML report (by Chromium), a Word document or workbook
    /// (by LibreOffice).
    #[command(after_help = help::PDF_EXAMPLES)]
    Pdf(PdfArgs),
    /// Write the blank self-assessment an agency fills in, as CSV or an Excel workbook.
    #[command(after_help = help::TEMPLATE_EXAMPLES)]
    Template(TemplateArgs),
    /// Turn a criteria table kept in Excel into a criteria set file, reading a scoring rule
    /// from each item's rubric text where it states one.
    #[command(after_help = help::IMPORT_EXAMPLES)]
    Import(ImportArgs),
    /// Write a synthetic round (invented figures) for a criteria set, of any size.
    #[command(after_help = help::GENERATE_EXAMPLES)]
    Generate(GenerateArgs),
    /// Print a shell completion script for parindex.
    #[command(after_help = help::COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
}

/// The `parindex` program: parses the process's command line, runs the command and
/// turns the outcome into the exit code (`src/main.rs` is this and nothing more).
pub fn main() -> std::process::ExitCode {
    use std::io::Write as _;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    // Not locked for the whole run: the progress display writes to it from its own thread.
    let mut err = std::io::stderr();
    let cli = match help_vi::parse(std::env::args_os(), |name| std::env::var(name).ok()) {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print and succeed; anything else is a usage error. On
            // a terminal clap colours them as --color says.
            let _ = e.print();
            return std::process::ExitCode::from(if e.use_stderr() {
                Exit::Usage.code()
            } else {
                0
            });
        }
    };
    let says = cli.lang.unwrap_or_else(|| Lang::of_locale(|name| std::env::var(name).ok()));
    let result = run(cli, &mut out, &mut err).and_then(|exit| out.flush().map(|()| exit));
    match result {
        Ok(exit) => std::process::ExitCode::from(exit.code()),
        // `parindex check … | head` closes the pipe early: that is not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::ExitCode::SUCCESS,
        Err(e) => {
            let voice = Voice { color: false, lang: says };
            let _ = voice.error(
                &mut err,
                &tr!("cannot write the output: {e}", "không ghi được kết quả: {e}"),
            );
            std::process::ExitCode::from(Exit::BadInput.code())
        }
    }
}

/// A whole command line (the program's name first, as `parindex score round.toml`),
/// run as the `parindex` binary runs it, writing to `out` and `err`: the library's way
/// in for programs, benchmarks and fuzz targets.
pub fn run_args<I, T>(
    args: I,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
) -> std::io::Result<Exit>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    // The help's language is the binary's: --lang, else the locale of this process.
    match help_vi::parse(args, |name| std::env::var(name).ok()) {
        Ok(cli) => run(cli, out, err),
        // --help and --version print and succeed; anything else is a usage error.
        Err(e) if e.use_stderr() => {
            write!(err, "{}", e.render())?;
            Ok(Exit::Usage)
        }
        Err(e) => {
            write!(out, "{}", e.render())?;
            Ok(Exit::Done)
        }
    }
}

/// Runs the command the user typed, writing its output to `out` and its messages to `err`:
/// its arguments become the command's plan here, each in one place.
pub(crate) fn run(
    cli: Cli,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
) -> std::io::Result<Exit> {
    let color = cli.color.resolve(std::io::stdout().is_terminal());
    // Messages go to standard error, which may be a terminal when the output is not.
    let err_color = cli.color.resolve(std::io::stderr().is_terminal());
    let quiet = cli.quiet;
    let says = cli.lang.unwrap_or_else(|| Lang::of_locale(|name| std::env::var(name).ok()));
    let voice = Voice { color: err_color, lang: says };
    // Reports are Vietnamese unless English is asked for.
    let lang = cli.lang.unwrap_or(Lang::Vi);
    // A CSV changes for Excel only when Vietnamese is asked for: scripts read its keys.
    let asked = cli.lang;
    match cli.command {
        Command::Check(CheckArgs { files, data, agencies, format, deny_warnings, verbose }) => {
            let plan = cmd::check::Plan {
                files,
                data,
                agencies,
                format,
                deny_warnings,
                verbose,
                voice: Voice { color, lang: says },
            };
            cmd::check::run(&plan, out)
        }
        Command::Score(ScoreArgs {
            inputs,
            stage: StageArgs { stage },
            group,
            missing: MissingArgs { missing },
            field_ranks,
            format,
            output: OutputArgs { output },
        }) => {
            let (output, format) =
                match destination("score", format, output, Format::value_variants(), Format::Table)
                {
                    Ok(chosen) => chosen,
                    Err(why) => return usage(err, voice, &why),
                };
            let width = destination::screen_width(output.as_deref());
            let plan = cmd::score::Plan {
                source: inputs.source(),
                stage,
                group,
                missing,
                format,
                output,
                lang,
                csv: CsvForm::of(asked, format),
                voice,
                quiet,
                width,
                field_ranks,
            };
            cmd::score::run(&plan, out, err)
        }
        Command::Pdf(PdfArgs { input, output }) => {
            let named = output.as_deref().and_then(destination::named_by);
            if let (Some(path), Some(named)) = (&output, named)
                && named != Format::Pdf
            {
                return usage(err, voice, &destination::not_a_pdf(path, named));
            }
            cmd::pdf::run(&cmd::pdf::Plan { input, output, voice }, out, err)
        }
        Command::Verify(VerifyArgs { result }) => {
            cmd::verify::run(&cmd::verify::Plan { result, voice }, out, err)
        }
        Command::Sensitivity(SensitivityArgs {
            inputs,
            stage: StageArgs { stage },
            group,
            missing: MissingArgs { missing },
            runs,
            spread,
            level,
            seed,
            fields,
            format,
            output: OutputArgs { output },
        }) => {
            let (output, format) =
                match destination("sensitivity", format, output, Format::TABLES, Format::Table) {
                    Ok(chosen) => chosen,
                    Err(why) => return usage(err, voice, &why),
                };
            let width = destination::screen_width(output.as_deref());
            let plan = cmd::sensitivity::Plan {
                score: cmd::score::Plan {
                    source: inputs.source(),
                    stage,
                    group,
                    missing,
                    format,
                    output,
                    lang,
                    csv: CsvForm::of(asked, format),
                    voice,
                    quiet,
                    width,
                    field_ranks: false,
                },
                options: crate::score::sensitivity::Options {
                    runs: runs as usize,
                    seed,
                    spread,
                    level,
                },
                fields_alone: fields,
            };
            cmd::sensitivity::run(&plan, out, err)
        }
        Command::Explain(ExplainArgs {
            agency,
            each,
            inputs,
            stage: StageArgs { stage },
            missing: MissingArgs { missing },
            format,
            output: OutputArgs { output },
        }) => {
            let mut inputs = inputs;
            let agency = match (agency, each) {
                // `--each ROUND`: clap put the round where the agency goes.
                (Some(round), true) if inputs.round.is_none() && inputs.criteria.is_none() => {
                    inputs.round = Some(round.into());
                    None
                }
                (Some(id), true) => {
                    return usage(
                        err,
                        voice,
                        &tr!(
                            "--each explains every agency: leave out the agency \"{id}\"",
                            "--each giải thích mọi đơn vị: hãy bỏ tên đơn vị \"{id}\""
                        ),
                    );
                }
                (agency, _) => agency,
            };
            if inputs.round.is_none() && inputs.criteria.is_none() {
                return usage(
                    err,
                    voice,
                    &tr!(
                        "name the round: a round file, or --criteria, --agencies and --self",
                        "hãy chỉ ra vòng đánh giá: một tệp vòng đánh giá, hoặc --criteria, --agencies và --self"
                    ),
                );
            }
            let whom = match (agency, each) {
                (Some(id), _) => cmd::explain::Whom::One(id),
                (None, _) => match destination::output(output.clone()) {
                    Some(folder) => cmd::explain::Whom::Each(folder),
                    None => {
                        return usage(
                            err,
                            voice,
                            &tr!(
                                "--each writes a file for every agency: name their folder with -o DIR",
                                "--each ghi một tệp cho mỗi đơn vị: hãy chỉ thư mục chứa bằng -o THƯ-MỤC"
                            ),
                        );
                    }
                },
            };
            let (output, format) = match &whom {
                cmd::explain::Whom::Each(_) => (None, format.unwrap_or(Format::Docx)),
                cmd::explain::Whom::One(_) => match destination(
                    "explain",
                    format,
                    output,
                    cmd::explain::FORMATS,
                    Format::Table,
                ) {
                    Ok(chosen) => chosen,
                    Err(why) => return usage(err, voice, &why),
                },
            };
            let width = destination::screen_width(output.as_deref());
            let plan = cmd::explain::Plan {
                whom,
                source: inputs.source(),
                stage,
                missing,
                format,
                output,
                lang,
                voice,
                width,
            };
            cmd::explain::run(&plan, out, err)
        }
        Command::Compare(CompareArgs {
            rounds,
            missing: MissingArgs { missing },
            format,
            output: OutputArgs { output },
        }) => {
            let (output, format) =
                match destination("compare", format, output, Format::TABLES, Format::Table) {
                    Ok(chosen) => chosen,
                    Err(why) => return usage(err, voice, &why),
                };
            let width = destination::screen_width(output.as_deref());
            let csv = CsvForm::of(asked, format);
            let plan =
                cmd::compare::Plan { rounds, missing, format, output, lang, csv, width, voice };
            cmd::compare::run(&plan, out, err)
        }
        Command::Status(StatusArgs { inputs, format, output: OutputArgs { output } }) => {
            let (output, format) =
                match destination("status", format, output, Format::TABLES, Format::Table) {
                    Ok(chosen) => chosen,
                    Err(why) => return usage(err, voice, &why),
                };
            let width = destination::screen_width(output.as_deref());
            let csv = CsvForm::of(asked, format);
            let source = inputs.source();
            let plan = cmd::status::Plan { source, format, output, lang, csv, width, voice };
            cmd::status::run(&plan, out, err)
        }
        Command::Template(TemplateArgs {
            criteria,
            agencies,
            agency,
            each,
            format,
            output: OutputArgs { output },
        }) => {
            let whom = match (agency, each) {
                (Some(id), _) => cmd::template::Whom::One(id),
                (None, false) => cmd::template::Whom::All,
                (None, true) => match destination::output(output.clone()) {
                    Some(folder) => cmd::template::Whom::Each(folder),
                    None => {
                        return usage(
                            err,
                            voice,
                            &tr!(
                                "--each writes a template for every agency: name their folder with -o DIR",
                                "--each ghi một mẫu cho mỗi đơn vị: hãy chỉ thư mục chứa bằng -o THƯ-MỤC"
                            ),
                        );
                    }
                },
            };
            let (output, format) = if let cmd::template::Whom::Each(_) = whom {
                (None, format.unwrap_or(Format::Xlsx))
            } else {
                match destination("template", format, output, cmd::template::FORMATS, Format::Csv) {
                    Ok(chosen) => chosen,
                    Err(why) => return usage(err, voice, &why),
                }
            };
            let plan =
                cmd::template::Plan { criteria, agencies, whom, format, output, lang, voice };
            cmd::template::run(&plan, out, err)
        }
        Command::Generate(GenerateArgs {
            criteria,
            agencies,
            count,
            groups,
            seed,
            appraisals,
            respondents,
            title,
            output,
            force,
        }) => {
            if output.as_os_str() == "-" {
                return usage(
                    err,
                    voice,
                    &tr!(
                        "generate writes a folder of files (round.toml, agencies.csv, self.csv …), \
                         which standard output (-o -) cannot hold\n\n  \
                         tip: name a new folder with -o, such as -o vong-thu",
                        "generate ghi một thư mục gồm nhiều tệp (round.toml, agencies.csv, self.csv …), \
                         không thể ghi ra màn hình (-o -)\n\n  \
                         gợi ý: chỉ một thư mục mới bằng -o, ví dụ -o vong-thu"
                    ),
                );
            }
            if let Some(count) = count
                && groups > count
            {
                return usage(
                    err,
                    voice,
                    &tr!(
                        "--groups {groups} is more than --count {count}: every group needs an agency",
                        "--groups {groups} lớn hơn --count {count}: mỗi nhóm cần ít nhất một đơn vị"
                    ),
                );
            }
            let plan = cmd::generate::Plan {
                criteria,
                agencies,
                count: count.map_or(0, |c| c as usize),
                groups: groups as usize,
                seed,
                appraisals: usize::from(appraisals),
                respondents: respondents as usize,
                title,
                output,
                force,
                voice,
            };
            cmd::generate::run(&plan, out, err)
        }
        Command::Import(ImportArgs { input, output }) => {
            let plan =
                cmd::import::Plan { input, output: destination::output(Some(output)), voice };
            cmd::import::run(&plan, out, err)
        }
        Command::Completions(CompletionsArgs { shell }) => {
            cmd::completions::run(shell, &mut Cli::command(), out)
        }
    }
}

/// Where a command writes (`-o -` is standard output) and in which of its `formats`:
/// the one asked for, else the one the output file's extension names, else `default`.
/// See [`destination::format`].
fn destination(
    command: &str,
    given: Option<Format>,
    output: Option<std::path::PathBuf>,
    formats: &[Format],
    default: Format,
) -> Result<(Option<std::path::PathBuf>, Format), Text> {
    let output = destination::output(output);
    let format = destination::format(command, given, output.as_deref(), formats, default)?;
    Ok((output, format))
}

/// A command line that clap took but that asks for what cannot be done: said as clap says
/// its own errors, and exit code 2.
fn usage(err: &mut dyn std::io::Write, voice: Voice, why: &Text) -> std::io::Result<Exit> {
    let more = match voice.lang {
        Lang::En => "For more information, try '--help'.",
        Lang::Vi => "Xem thêm: thêm '--help' vào lệnh.",
    };
    voice.error(err, why)?;
    writeln!(err, "\n{more}")?;
    Ok(Exit::Usage)
}
