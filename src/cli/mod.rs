//! The command line: what users type, parsed by clap, then turned into a plan for the
//! command to run. Nothing below this module knows about clap.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::cmd;
use crate::exit::{EXIT_CODES_HELP, Exit};
use crate::model::layer::Stage;
use crate::report::{Format, Lang};

/// Compute Vietnam's administrative reform index (Chỉ số CCHC, PAR INDEX) for a
/// province's agencies, and check the criteria sets (bộ tiêu chí) it is computed from.
#[derive(Debug, Parser)]
#[command(name = "parindex", version, after_help = EXIT_CODES_HELP, max_term_width = 100)]
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
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Score a round: points per field, total, index, rank and grade of every agency.
    #[command(after_help = SCORE_EXAMPLES)]
    Score(ScoreArgs),
    /// Explain one agency's result: where it lost points, and every node at the self and
    /// final stages with its values, evidence and explanations.
    #[command(after_help = EXPLAIN_EXAMPLES)]
    Explain(ExplainArgs),
    /// Compare self-assessment with appraisal in a round, or one round (a year) with
    /// another.
    #[command(after_help = COMPARE_EXAMPLES)]
    Compare(CompareArgs),
    /// How steady each rank is: perturb the points of the fields or criteria run after run
    /// and see how far each agency's rank and grade move.
    #[command(after_help = SENSITIVITY_EXAMPLES)]
    Sensitivity(SensitivityArgs),
    /// Confirm that a published result still matches its inputs: every input file's
    /// SHA-256 as the result records it, and the same bytes when scored again.
    #[command(after_help = VERIFY_EXAMPLES)]
    Verify(VerifyArgs),
    /// Write the blank self-assessment an agency fills in, as CSV or an Excel workbook.
    #[command(after_help = TEMPLATE_EXAMPLES)]
    Template(TemplateArgs),
    /// Write a synthetic round (invented figures) for a criteria set, of any size.
    #[command(after_help = GENERATE_EXAMPLES)]
    Generate(GenerateArgs),
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
  Check a round's data against its criteria set:
    parindex check criteria/so-ban-nganh-2025.toml --agencies agencies.csv --data self.csv
  Check a whole round (criteria, agencies and every stage):
    parindex check examples/so-ban-nganh-2025/round.toml

Exit codes:
  0  every set is good (warnings are printed but do not fail, unless --deny-warnings)
  1  at least one set has a problem: every problem in every file is listed
  2  the command line is wrong";

const SCORE_EXAMPLES: &str = "\
Examples:
  Score a round named by its round file:
    parindex score examples/so-ban-nganh-2025/round.toml
  The same, naming each file:
    parindex score --criteria criteria/so-ban-nganh-2025.toml --agencies agencies.csv \\
      --self self.csv --appraisal appraisal-1.csv --appraisal appraisal-2.csv --survey survey.csv
  An agency's dry run of its own self-assessment:
    parindex score round.toml --stage self --group so-nganh
  Publish as CSV (opens in Excel) or JSON, written whole or not at all:
    parindex score round.toml --format csv -o ket-qua.csv

Exit codes:
  0  scored
  1  the inputs are wrong (every problem is listed) or values are missing
  2  the command line is wrong";

const EXPLAIN_EXAMPLES: &str = "\
Examples:
  An agency's result, where it lost points first:
    parindex explain so-noi-vu examples/so-ban-nganh-2025/round.toml
  Its own dry run before submitting:
    parindex explain so-noi-vu round.toml --stage self
  For the appraisal council, as a workbook:
    parindex explain so-noi-vu round.toml --format xlsx -o so-noi-vu.xlsx";

const COMPARE_EXAMPLES: &str = "\
Examples:
  What the appraisal council changed, agencies furthest off first:
    parindex compare examples/so-ban-nganh-2025/round.toml
  This year against last year, matched by agency id and field code:
    parindex compare 2024/round.toml 2025/round.toml --format xlsx -o so-sanh.xlsx";

const SENSITIVITY_EXAMPLES: &str = "\
Examples:
  How steady the ranks of a round are, each field's points within ±25%:
    parindex sensitivity examples/so-ban-nganh-2025/round.toml
  Perturb each criterion instead, within ±10%, 10,000 runs:
    parindex sensitivity round.toml --level criterion --spread 10 --runs 10000
  A page with a chart of each agency's rank interval:
    parindex sensitivity round.toml --format html -o on-dinh.html
  The per-field table as CSV:
    parindex sensitivity round.toml --format csv --fields -o linh-vuc.csv

The same inputs, options and --seed give the same output, on any number of cores.

Exit codes:
  0  done
  1  the inputs are wrong (every problem is listed) or values are missing
  2  the command line is wrong";

const VERIFY_EXAMPLES: &str = "\
Examples:
  A result written as CSV (its audit trail is in ket-qua.csv.audit.json beside it):
    parindex score examples/so-ban-nganh-2025/round.toml --format csv -o ket-qua.csv
    parindex verify ket-qua.csv
  A JSON, Excel or HTML result carries its audit trail inside:
    parindex verify ket-qua.xlsx

Run it from the folder the result was made in: input paths are as they were typed.

Exit codes:
  0  the result matches its inputs
  1  an input changed or is missing, the result changed, or it scores differently
  2  the command line is wrong";

const TEMPLATE_EXAMPLES: &str = "\
Examples:
  A workbook with rows for every agency, drop-downs for yes/no and choices:
    parindex template --criteria criteria/so-ban-nganh-2025.toml --agencies agencies.csv \\
      --format xlsx -o tu-danh-gia.xlsx
  A blank CSV for one agency to fill in (agency column left empty):
    parindex template --criteria criteria/so-ban-nganh-2025.toml -o tu-danh-gia.csv

A filled-in template is read by score without edits: --self tu-danh-gia.xlsx";

const GENERATE_EXAMPLES: &str = "\
Examples:
  A round for a province's real departments (names from the agencies file):
    parindex generate --criteria criteria/so-ban-nganh-2025.toml --agencies agencies.csv -o vong-thu/
  100,000 numbered agencies in 100 groups, for a benchmark:
    parindex generate --criteria criteria/so-ban-nganh-2025.toml --count 100000 --groups 100 -o /tmp/lon/
  Then score it:
    parindex score vong-thu/round.toml

The same criteria set, agencies and --seed always give the same files.";

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  bash:        parindex completions bash > ~/.local/share/bash-completion/completions/parindex
  zsh:         parindex completions zsh > ~/.zfunc/_parindex
  fish:        parindex completions fish > ~/.config/fish/completions/parindex.fish
  PowerShell:  parindex completions powershell >> $PROFILE";

/// Options of `parindex check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Criteria set files (.toml) to check, or round files (round.toml) to check with all
    /// their data. A folder stands for every .toml file in it.
    #[arg(required = true, value_name = "CRITERIA")]
    pub files: Vec<PathBuf>,

    /// Assessment files (CSV, long or wide form) to check against the criteria set:
    /// unknown agencies and codes, unreadable values, duplicates, missing values.
    #[arg(long, value_name = "FILE", num_args = 1.., requires = "agencies")]
    pub data: Vec<PathBuf>,

    /// The agencies file (id,name,group) the data files are checked against.
    #[arg(long, value_name = "FILE", requires = "data")]
    pub agencies: Option<PathBuf>,

    /// How to print the problems found: text for people, or json (one record per problem,
    /// with file, line, column, severity, code and message) for CI systems.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,

    /// Fail (exit 1) on warnings too, not only on errors.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// The inputs of a round: a round file, or each file named.
#[derive(Debug, Args)]
#[group(id = "inputs", required = true, multiple = true)]
pub struct RoundArgs {
    /// A round file (round.toml) that names every input of the round; paths in it are
    /// relative to it.
    #[arg(value_name = "ROUND", group = "inputs", conflicts_with_all = ["criteria", "agencies", "self_assessment", "appraisal", "survey"])]
    pub round: Option<PathBuf>,

    /// The criteria set (bộ tiêu chí), a .toml file.
    #[arg(long, value_name = "FILE", group = "inputs", requires_all = ["agencies", "self_assessment"])]
    pub criteria: Option<PathBuf>,

    /// The agencies file: id,name,group (`ma_don_vi,ten_don_vi,nhom`).
    #[arg(long, value_name = "FILE")]
    pub agencies: Option<PathBuf>,

    /// The agencies' self-assessment (tự đánh giá), long or wide form.
    #[arg(long = "self", value_name = "FILE")]
    pub self_assessment: Option<PathBuf>,

    /// An appraisal round's corrections (thẩm định), only the cells it changed or all of
    /// them. Repeat for each round, in order: the last one with a value wins.
    #[arg(long, value_name = "FILE")]
    pub appraisal: Vec<PathBuf>,

    /// Survey results (điều tra xã hội học) for the survey sub-criteria.
    #[arg(long, value_name = "FILE")]
    pub survey: Option<PathBuf>,
}

impl RoundArgs {
    fn source(self) -> cmd::session::RoundSource {
        match (self.round, self.criteria, self.agencies, self.self_assessment) {
            (Some(round), ..) => cmd::session::RoundSource::File(round),
            (None, Some(criteria), Some(agencies), Some(self_assessment)) => {
                cmd::session::RoundSource::Files(crate::read::inputs::Inputs {
                    title: None,
                    year: None,
                    criteria,
                    agencies,
                    self_assessment,
                    appraisals: self.appraisal,
                    survey: self.survey,
                })
            }
            _ => unreachable!("clap requires a round file or --criteria, --agencies and --self"),
        }
    }
}

/// Options of `parindex score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    #[command(flatten)]
    pub inputs: RoundArgs,

    /// Which stage to score: final (self-assessment corrected by every appraisal round)
    /// or self (the self-assessment alone: an agency's dry run before submitting).
    #[arg(long, value_enum, default_value_t = StageArg::Final)]
    pub stage: StageArg,

    /// Show only this group of agencies (ranks are always within a group).
    #[arg(long, value_name = "GROUP")]
    pub group: Option<String>,

    /// What to do with sub-criteria that have no value: error (stop and list them) or
    /// zero (score them 0 and list them).
    #[arg(long, value_enum, default_value_t = MissingArg::Error)]
    pub missing: MissingArg,

    /// Output format: table (for the terminal), csv (one row per agency), json
    /// (everything, exact and rounded), md (Markdown), xlsx (an Excel workbook: a sheet
    /// per group and per field) or html (the report to publish and print: tables, charts,
    /// a card per agency). xlsx needs -o unless the output is redirected.
    #[arg(long, value_enum, default_value_t = ScoreFormat::Table)]
    pub format: ScoreFormat,

    /// Write to this file instead of the screen: whole or not at all, never over an input.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Language of headers and notes: vi (Vietnamese, with decimal commas) or en.
    #[arg(long, value_enum, default_value_t = LangArg::Vi)]
    pub lang: LangArg,
}

/// Options of `parindex verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// A result written by `parindex score`: CSV (with its .audit.json beside it), JSON,
    /// an Excel workbook or an HTML report.
    #[arg(value_name = "RESULT")]
    pub result: PathBuf,
}

/// Options of `parindex sensitivity`.
#[derive(Debug, Args)]
pub struct SensitivityArgs {
    #[command(flatten)]
    pub inputs: RoundArgs,

    /// Which stage's scores to perturb: the final (appraised) one, or the
    /// self-assessment for an agency's dry run.
    #[arg(long, value_enum, default_value_t = StageArg::Final)]
    pub stage: StageArg,

    /// Only this group (nhóm) of the agencies file: only its ranks are perturbed and shown.
    #[arg(long, value_name = "GROUP")]
    pub group: Option<String>,

    /// What to do with leaves that have no value: stop with an error, or score them 0.
    #[arg(long, value_enum, default_value_t = MissingArg::Error)]
    pub missing: MissingArg,

    /// How many times to perturb and rank again.
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    pub runs: u32,

    /// How far the points may move, in percent either way: 25 draws each factor
    /// uniformly between 0.75 and 1.25.
    #[arg(long, value_name = "PERCENT", default_value = "25", value_parser = parse_spread)]
    pub spread: f64,

    /// Perturb each field (lĩnh vực) as a whole, or each criterion (tiêu chí).
    #[arg(long, value_enum, default_value_t = LevelArg::Field)]
    pub level: LevelArg,

    /// Seed of the random factors: the same seed gives the same output.
    #[arg(long, value_name = "S", default_value_t = crate::score::sensitivity::DEFAULT_SEED)]
    pub seed: u64,

    /// Print the per-field table alone, not the agencies' (a CSV or workbook holds one
    /// table).
    #[arg(long)]
    pub fields: bool,

    /// Output format: table for the terminal; csv, json, md, xlsx, or html (a page with a
    /// chart of each agency's rank interval).
    #[arg(long, value_enum, default_value_t = ScoreFormat::Table)]
    pub format: ScoreFormat,

    /// Write the output to FILE (whole or not at all; never over an input) instead of the
    /// standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Language of headers and notes.
    #[arg(long, value_enum, default_value_t = LangArg::Vi)]
    pub lang: LangArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LevelArg {
    Field,
    Criterion,
}

/// A spread in percent (`25` or `25%`): at least 0, under 100.
fn parse_spread(text: &str) -> Result<f64, String> {
    let number = text.trim().trim_end_matches('%').trim().replace(',', ".");
    match number.parse::<f64>() {
        Ok(p) if (0.0..100.0).contains(&p) => Ok(p / 100.0),
        _ => Err(format!("expected a percent from 0 to under 100, such as 25, not \"{text}\"")),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StageArg {
    #[value(name = "self")]
    SelfOnly,
    Final,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MissingArg {
    Error,
    Zero,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScoreFormat {
    Table,
    Csv,
    Json,
    Md,
    Xlsx,
    Html,
}

impl From<ScoreFormat> for Format {
    fn from(f: ScoreFormat) -> Format {
        match f {
            ScoreFormat::Table => Format::Table,
            ScoreFormat::Csv => Format::Csv,
            ScoreFormat::Json => Format::Json,
            ScoreFormat::Md => Format::Md,
            ScoreFormat::Xlsx => Format::Xlsx,
            ScoreFormat::Html => Format::Html,
        }
    }
}

impl From<StageArg> for Stage {
    fn from(s: StageArg) -> Stage {
        match s {
            StageArg::SelfOnly => Stage::SelfOnly,
            StageArg::Final => Stage::Final,
        }
    }
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Vi => Lang::Vi,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    Vi,
    En,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

/// Options of `parindex explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The agency's id, as in the agencies file (e.g. so-noi-vu).
    #[arg(value_name = "AGENCY")]
    pub agency: String,

    #[command(flatten)]
    pub inputs: RoundArgs,

    /// Which stage to explain: final, or self (the self-assessment alone).
    #[arg(long, value_enum, default_value_t = StageArg::Final)]
    pub stage: StageArg,

    /// What to do with sub-criteria that have no value: error, or zero.
    #[arg(long, value_enum, default_value_t = MissingArg::Error)]
    pub missing: MissingArg,

    /// Output format: table (for the terminal), md (Markdown), json, or xlsx (Excel; needs
    /// -o unless the output is redirected).
    #[arg(long, value_enum, default_value_t = ExplainFormat::Table)]
    pub format: ExplainFormat,

    /// Write to this file instead of the screen: whole or not at all, never over an input.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Language of headers and notes: vi (Vietnamese, with decimal commas) or en.
    #[arg(long, value_enum, default_value_t = LangArg::Vi)]
    pub lang: LangArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    Table,
    Md,
    Json,
    Xlsx,
}

/// Options of `parindex compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// One round file: self-assessment against appraisal. Two: the earlier round, then
    /// the later one.
    #[arg(value_name = "ROUND", required = true, num_args = 1..=2)]
    pub rounds: Vec<PathBuf>,

    /// What to do with sub-criteria that have no value: error, or zero.
    #[arg(long, value_enum, default_value_t = MissingArg::Error)]
    pub missing: MissingArg,

    /// Output format: table, csv, json, md or xlsx.
    #[arg(long, value_enum, default_value_t = ScoreFormat::Table)]
    pub format: ScoreFormat,

    /// Write to this file instead of the screen: whole or not at all, never over an input.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Language of headers and notes: vi or en.
    #[arg(long, value_enum, default_value_t = LangArg::Vi)]
    pub lang: LangArg,
}

/// Options of `parindex template`.
#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// The criteria set whose sub-criteria the template lists.
    #[arg(long, value_name = "FILE")]
    pub criteria: PathBuf,

    /// Fill in the agency column: one block of rows per agency in this file.
    #[arg(long, value_name = "FILE")]
    pub agencies: Option<PathBuf>,

    /// csv (opens in Excel) or xlsx (an Excel workbook with drop-down lists).
    #[arg(long, value_enum, default_value_t = TemplateFormat::Csv)]
    pub format: TemplateFormat,

    /// Write to this file instead of the screen: whole or not at all, never over an input.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Language of the headers and the rubric: vi or en.
    #[arg(long, value_enum, default_value_t = LangArg::Vi)]
    pub lang: LangArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TemplateFormat {
    Csv,
    Xlsx,
}

/// Options of `parindex generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The criteria set to generate values for.
    #[arg(long, value_name = "FILE")]
    pub criteria: PathBuf,

    /// Generate for these agencies (id,name,group).
    #[arg(long, value_name = "FILE", required_unless_present = "count", conflicts_with = "count")]
    pub agencies: Option<PathBuf>,

    /// Generate for this many numbered agencies (don-vi-000001 …).
    #[arg(long, value_name = "N")]
    pub count: Option<usize>,

    /// With --count: how many groups to rank them in.
    #[arg(long, value_name = "K", default_value_t = 1, requires = "count")]
    pub groups: usize,

    /// The seed of the random values: the same seed gives the same files.
    #[arg(long, default_value_t = 2025)]
    pub seed: u64,

    /// How many appraisal rounds to write (appraisal-1.csv, appraisal-2.csv …).
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub appraisals: usize,

    /// The round's title in round.toml.
    #[arg(long)]
    pub title: Option<String>,

    /// The folder to write the round into (made if missing).
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
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
    fn resolve(self, terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && terminal
            }
        }
    }
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
                json: args.format == CheckFormat::Json,
                deny_warnings: args.deny_warnings,
                color,
            },
            out,
        ),
        Command::Score(args) => cmd::score::run(
            &cmd::score::Plan {
                source: args.inputs.source(),
                stage: args.stage.into(),
                group: args.group,
                missing_zero: args.missing == MissingArg::Zero,
                format: args.format.into(),
                output: args.output,
                lang: args.lang.into(),
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
                    stage: args.stage.into(),
                    group: args.group,
                    missing_zero: args.missing == MissingArg::Zero,
                    format: args.format.into(),
                    output: args.output,
                    lang: args.lang.into(),
                    color: err_color,
                    quiet: cli.quiet,
                },
                options: crate::score::sensitivity::Options {
                    runs: args.runs as usize,
                    seed: args.seed,
                    spread: args.spread,
                    level: match args.level {
                        LevelArg::Field => crate::score::sensitivity::Level::Field,
                        LevelArg::Criterion => crate::score::sensitivity::Level::Criterion,
                    },
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
                stage: args.stage.into(),
                missing_zero: args.missing == MissingArg::Zero,
                format: match args.format {
                    ExplainFormat::Table => cmd::explain::Format::Table,
                    ExplainFormat::Md => cmd::explain::Format::Md,
                    ExplainFormat::Json => cmd::explain::Format::Json,
                    ExplainFormat::Xlsx => cmd::explain::Format::Xlsx,
                },
                output: args.output,
                lang: args.lang.into(),
                color: err_color,
            },
            out,
            err,
        ),
        Command::Compare(args) => cmd::compare::run(
            &cmd::compare::Plan {
                rounds: args.rounds,
                missing_zero: args.missing == MissingArg::Zero,
                format: args.format.into(),
                output: args.output,
                lang: args.lang.into(),
                color: err_color,
            },
            out,
            err,
        ),
        Command::Template(args) => cmd::template::run(
            &cmd::template::Plan {
                criteria: args.criteria,
                agencies: args.agencies,
                xlsx: args.format == TemplateFormat::Xlsx,
                output: args.output,
                lang: args.lang.into(),
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
