//! What each command takes on the command line, as clap parses it.
//!
//! An option that several commands take is declared once, in a group flattened into each
//! of them: `RoundArgs`, `StageArgs`, `MissingArgs`, `OutputArgs`. `--stage` and
//! `--missing` are a group each, not one together: compare takes `--missing` without
//! `--stage`, and score and sensitivity list `--group` between the two. Two options
//! stay with their commands on purpose: `--group`, which score only shows and
//! sensitivity also perturbs, and `--format`, whose values differ from command to
//! command (explain and template write a few of the [`Format`]s, check its own); each says
//! them in one pattern: "Output format:", then each value with what it is.

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, ValueEnum};

use crate::cmd;
use crate::model::layer::Stage;
use crate::report::Format;
use crate::score::results::Missing;
use crate::score::sensitivity::Level;

/// Options of `parindex check`.
#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
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

    /// Output format of the problems found: text (for people) or json (for CI systems: one
    /// record per problem, with file, line, column, severity, code and message).
    #[arg(long, value_enum, default_value_t = cmd::check::Format::Text)]
    pub format: cmd::check::Format,

    /// Fail (exit 1) on warnings too, not only on errors.
    #[arg(long)]
    pub deny_warnings: bool,

    /// Show every warning on its own. Otherwise a file with more than 3 warnings of one
    /// kind (claims without evidence, say) has them said once: how many, and the first
    /// places. JSON always has one record per problem.
    #[arg(short, long)]
    pub verbose: bool,
}

/// The inputs of a round: a round file, or each file named.
#[derive(Debug, Args)]
#[group(id = "inputs", required = true, multiple = true)]
pub(crate) struct RoundArgs {
    /// A round file (round.toml) that names every input of the round; paths in it are
    /// relative to it. --self, --appraisal and --survey beside it take the place of the
    /// round's own files (to try a draft): their paths are relative to where you are.
    #[arg(value_name = "ROUND", group = "inputs", conflicts_with_all = ["criteria", "agencies"])]
    pub round: Option<PathBuf>,

    /// The criteria set (bộ tiêu chí), a .toml file.
    #[arg(long, value_name = "FILE", group = "inputs", requires_all = ["agencies", "self_assessment"])]
    pub criteria: Option<PathBuf>,

    /// The agencies file: id,name,group (`ma_don_vi,ten_don_vi,nhom`).
    #[arg(long, value_name = "FILE")]
    pub agencies: Option<PathBuf>,

    /// The agencies' self-assessment (tự đánh giá), long or wide form. With a round file:
    /// scored instead of the round's own, such as a draft before it is sent.
    #[arg(long = "self", value_name = "FILE")]
    pub self_assessment: Option<PathBuf>,

    /// An appraisal round's corrections (thẩm định), only the cells it changed or all of
    /// them. Repeat for each round, in order: the last one with a value wins. With a round
    /// file: these instead of all the round's appraisal rounds.
    #[arg(long, value_name = "FILE")]
    pub appraisal: Vec<PathBuf>,

    /// Survey results (điều tra xã hội học) for the survey sub-criteria. With a round file:
    /// scored instead of the round's own.
    #[arg(long, value_name = "FILE")]
    pub survey: Option<PathBuf>,
}

impl RoundArgs {
    pub(super) fn source(self) -> cmd::session::RoundSource {
        let RoundArgs { round, criteria, agencies, self_assessment, appraisal, survey } = self;
        match (round, criteria, agencies, self_assessment) {
            (Some(round), None, None, self_assessment) => cmd::session::RoundSource::File(
                round,
                crate::read::inputs::Drafts { self_assessment, appraisals: appraisal, survey },
            ),
            (None, Some(criteria), Some(agencies), Some(self_assessment)) => {
                cmd::session::RoundSource::Files(Box::new(crate::read::inputs::Inputs {
                    round: None,
                    title: None,
                    year: None,
                    criteria,
                    agencies,
                    self_assessment: Some(self_assessment),
                    appraisals: appraisal,
                    survey,
                    tables: Vec::new(),
                    decision: crate::model::decision::Decision::default(),
                    groups: Vec::new(),
                }))
            }
            _ => unreachable!("clap requires a round file or --criteria, --agencies and --self"),
        }
    }
}

/// `--stage`, for every command that scores a round at one stage.
#[derive(Debug, Args)]
pub(crate) struct StageArgs {
    /// Which stage to score: final (self-assessment corrected by every appraisal round)
    /// or self (the self-assessment alone: an agency's dry run before submitting).
    #[arg(long, value_enum, default_value_t = Stage::Final)]
    pub stage: Stage,
}

/// `--missing`, for every command that scores a round.
#[derive(Debug, Args)]
pub(crate) struct MissingArgs {
    /// What to do with sub-criteria that have no value: error (stop and list them) or
    /// zero (score them 0 and list them).
    #[arg(long, value_enum, default_value_t = Missing::Error)]
    pub missing: Missing,
}

/// Where a command writes its output: every command that writes a report, a view or a
/// form.
#[derive(Debug, Args)]
pub(crate) struct OutputArgs {
    /// Write to this file instead of the screen: whole or not at all, never over an input
    /// (- is the screen, standard output). Its extension chooses the format when --format
    /// is not given.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Options of `parindex score`.
#[derive(Debug, Args)]
pub(crate) struct ScoreArgs {
    #[command(flatten)]
    pub inputs: RoundArgs,

    #[command(flatten)]
    pub stage: StageArgs,

    /// Show only this group of agencies (ranks are always within a group): its id, as
    /// the agencies file writes it (so-nganh), or its name ("Sở, ban, ngành").
    #[arg(long, value_name = "GROUP")]
    pub group: Option<String>,

    #[command(flatten)]
    pub missing: MissingArgs,

    /// Add to each group's table a second one: each agency's rank in its group on each
    /// field (who leads field 3). For table and md; csv, json, xlsx and html always carry
    /// the ranks, and the decision appendix (docx, pdf) leaves them out.
    #[arg(long)]
    pub field_ranks: bool,

    /// Output format: table (for the terminal), csv (one row per agency), json
    /// (everything, exact and rounded), md (Markdown), xlsx (an Excel workbook: a sheet
    /// per group and per field), html (the report to publish and print: tables, charts,
    /// a card per agency), docx (the appendix of the decision that publishes the results:
    /// a Word document, A4 landscape, a table per group) or pdf (that appendix as PDF,
    /// made by LibreOffice). xlsx, docx and pdf need -o unless the output is redirected.
    /// [default: the format the -o file's extension names (.csv, .json, .md, .xlsx,
    /// .html, .docx, .pdf), else table]
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// Options of `parindex pdf`.
#[derive(Debug, Args)]
pub(crate) struct PdfArgs {
    /// The report to print: an HTML report (.html), a Word document (.docx) or a
    /// workbook (.xlsx).
    #[arg(value_name = "FILE")]
    pub input: PathBuf,

    /// The PDF to write (- is the screen, standard output) [default: FILE with .pdf for
    /// its extension, beside it]
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Options of `parindex verify`.
#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// A result written by `parindex score`: CSV (with its .audit.json beside it), JSON,
    /// an Excel workbook or an HTML report.
    #[arg(value_name = "RESULT")]
    pub result: PathBuf,
}

/// Options of `parindex sensitivity`.
#[derive(Debug, Args)]
pub(crate) struct SensitivityArgs {
    #[command(flatten)]
    pub inputs: RoundArgs,

    #[command(flatten)]
    pub stage: StageArgs,

    /// Only this group (nhóm) of the agencies file, by its id or its name: only its ranks
    /// are perturbed and shown.
    #[arg(long, value_name = "GROUP")]
    pub group: Option<String>,

    #[command(flatten)]
    pub missing: MissingArgs,

    /// How many times to perturb and rank again.
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    pub runs: u32,

    /// How far the points may move, in percent either way: 25 draws each factor
    /// uniformly between 0.75 and 1.25.
    #[arg(long, value_name = "PERCENT", default_value = "25", value_parser = parse_spread)]
    pub spread: f64,

    /// Perturb each field (lĩnh vực) as a whole, or each criterion (tiêu chí).
    #[arg(long, value_enum, default_value_t = Level::Field)]
    pub level: Level,

    /// Seed of the random factors: the same seed gives the same output.
    #[arg(long, value_name = "S", default_value_t = crate::score::sensitivity::DEFAULT_SEED)]
    pub seed: u64,

    /// Print the per-field table alone, not the agencies' (a CSV or workbook holds one
    /// table).
    #[arg(long)]
    pub fields: bool,

    /// Output format: table (for the terminal), csv, json, md (Markdown), xlsx (an Excel
    /// workbook) or html (a page with a chart of each agency's rank interval). xlsx needs
    /// -o unless the output is redirected. [default: the format the -o file's extension
    /// names (.csv, .json, .md, .xlsx, .html), else table]
    #[arg(long, value_enum, value_parser = format_among(Format::TABLES))]
    pub format: Option<Format>,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// The `--format` of a command that writes only `formats`: clap lists them as the
/// possible values and refuses any other, as it does for a whole enum.
fn format_among(formats: &'static [Format]) -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(formats.iter().filter_map(ValueEnum::to_possible_value))
        .map(|name| Format::from_str(&name, false).expect("clap took one of the formats"))
}

/// A spread in percent (`25` or `25%`): at least 0, under 100.
fn parse_spread(text: &str) -> Result<f64, String> {
    let number = text.trim().trim_end_matches('%').trim().replace(',', ".");
    match number.parse::<f64>() {
        Ok(p) if (0.0..100.0).contains(&p) => Ok(p / 100.0),
        _ => Err(format!("expected a percent from 0 to under 100, such as 25, not \"{text}\"")),
    }
}

/// Options of `parindex explain`.
#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// The agency: its id, as in the agencies file (so-noi-vu), or its name ("Sở Nội vụ");
    /// accents, capitals and spacing may be left out (so noi vu).
    #[arg(value_name = "AGENCY", required_unless_present = "each")]
    pub agency: Option<String>,

    /// Every agency, one file each, into the folder -o names (its name is the agency's
    /// id): the result sheets the Department sends (docx unless --format says otherwise).
    // In the group of the inputs, so that clap takes `--each ROUND`: the round lands in
    // AGENCY, the first place, and is moved back (cli::run_args).
    #[arg(long, group = "inputs")]
    pub each: bool,

    #[command(flatten)]
    pub inputs: RoundArgs,

    #[command(flatten)]
    pub stage: StageArgs,

    #[command(flatten)]
    pub missing: MissingArgs,

    /// Output format: table (for the terminal), md (Markdown), json, xlsx (an Excel
    /// workbook), docx (the result sheet sent to the agency: a Word document) or pdf (the
    /// sheet as PDF, made by LibreOffice). xlsx, docx and pdf need -o unless the output is
    /// redirected. [default: the format the -o file's extension names (.md, .json, .xlsx,
    /// .docx, .pdf), else table; docx with --each]
    #[arg(long, value_enum, value_parser = format_among(cmd::explain::FORMATS))]
    pub format: Option<Format>,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// Options of `parindex compare`.
#[derive(Debug, Args)]
pub(crate) struct CompareArgs {
    /// One round file: self-assessment against appraisal. Two: the earlier round, then
    /// the later one.
    #[arg(value_name = "ROUND", required = true, num_args = 1..=2)]
    pub rounds: Vec<PathBuf>,

    #[command(flatten)]
    pub missing: MissingArgs,

    /// Output format: table (for the terminal), csv, json, md (Markdown), xlsx (an Excel
    /// workbook) or html (a page to print). xlsx needs -o unless the output is redirected.
    /// [default: the format the -o file's extension names (.csv, .json, .md, .xlsx,
    /// .html), else table]
    #[arg(long, value_enum, value_parser = format_among(Format::TABLES))]
    pub format: Option<Format>,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// Options of `parindex status`.
#[derive(Debug, Args)]
pub(crate) struct StatusArgs {
    #[command(flatten)]
    pub inputs: RoundArgs,

    /// Output format: table (for the terminal), csv, json, md (Markdown), xlsx (an Excel
    /// workbook) or html (a page to print). xlsx needs -o unless the output is redirected.
    /// [default: the format the -o file's extension names (.csv, .json, .md, .xlsx,
    /// .html), else table]
    #[arg(long, value_enum, value_parser = format_among(Format::TABLES))]
    pub format: Option<Format>,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// Options of `parindex template`.
#[derive(Debug, Args)]
pub(crate) struct TemplateArgs {
    /// The criteria set whose sub-criteria the template lists.
    #[arg(long, value_name = "FILE")]
    pub criteria: PathBuf,

    /// Fill in the agency column: one block of rows per agency in this file.
    #[arg(long, value_name = "FILE")]
    pub agencies: Option<PathBuf>,

    /// The template of one agency: its id (e.g. so-noi-vu) in every row. With --agencies,
    /// one of the file's, by its id or its name ("Sở Nội vụ", "so noi vu").
    #[arg(long, value_name = "ID", conflicts_with = "each")]
    pub agency: Option<String>,

    /// A template for every agency of --agencies, one file each, into the folder -o names
    /// (each named by the agency's id); written all or none. [default format: xlsx]
    #[arg(long, requires = "agencies")]
    pub each: bool,

    /// Output format: csv (opens in Excel) or xlsx (an Excel workbook with drop-down
    /// lists, the cells to fill marked). xlsx needs -o unless the output is redirected.
    /// [default: the format the -o file's extension names (.csv, .xlsx), else csv]
    #[arg(long, value_enum, value_parser = format_among(cmd::template::FORMATS))]
    pub format: Option<Format>,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// Options of `parindex import`.
#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The criteria table, an Excel workbook (.xlsx): its first visible sheet, with a
    /// header naming STT, Nội dung and Điểm tối đa, and a column of Cách chấm if it has one.
    #[arg(value_name = "CRITERIA.xlsx")]
    pub input: PathBuf,

    /// The criteria set file to write (.toml): whole or not at all, never over the table
    /// (- is the screen, standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
}

/// Options of `parindex generate`.
#[derive(Debug, Args)]
pub(crate) struct GenerateArgs {
    /// The criteria set to generate values for.
    #[arg(long, value_name = "FILE")]
    pub criteria: PathBuf,

    /// Generate for these agencies (id,name,group).
    #[arg(long, value_name = "FILE", required_unless_present = "count", conflicts_with = "count")]
    pub agencies: Option<PathBuf>,

    /// Generate for this many numbered agencies (don-vi-000001 …), at most 1000000.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=MAX_AGENCIES))]
    pub count: Option<u32>,

    /// With --count: how many groups to rank them in, at most one per agency.
    #[arg(long, value_name = "K", default_value_t = 1, requires = "count", value_parser = clap::value_parser!(u32).range(1..=MAX_AGENCIES))]
    pub groups: u32,

    /// The seed of the random values: the same seed gives the same files.
    #[arg(long, default_value_t = 2025)]
    pub seed: u64,

    /// How many appraisal rounds to write (appraisal-1.csv, appraisal-2.csv …), at most 20.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u8).range(0..=20))]
    pub appraisals: u8,

    /// Where the set computes values from survey responses: how many people answer each
    /// form for each agency (one row each; a set asking for two forms, SIPAS and DDCI
    /// say, gets that many of each), 0 to 100000. About one agency in twenty has too few
    /// answers to be surveyed.
    #[arg(long, value_name = "N", default_value_t = 40, value_parser = clap::value_parser!(u32).range(0..=100_000))]
    pub respondents: u32,

    /// The round's title in round.toml.
    #[arg(long)]
    pub title: Option<String>,

    /// The folder to write the round into: a new or empty one (made if missing), or one
    /// an earlier generate wrote.
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,

    /// Write into a folder that holds other files all the same, replacing those of a
    /// round's names (round.toml, agencies.csv, self.csv, appraisal-N.csv, survey.csv,
    /// and a table's NAME.csv) with invented figures.
    #[arg(long)]
    pub force: bool,
}

/// The most agencies `generate --count` writes: a hundred times the communes of the
/// country, some 94 million rows and gigabytes of files with the departments' set.
pub(crate) const MAX_AGENCIES: i64 = 1_000_000;

/// Options of `parindex completions`.
#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to write completions for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    pub(super) fn resolve(self, terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && terminal
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::ValueEnum;
    use serde::Serialize;

    use super::*;
    use crate::lang::Lang;

    /// Every value of `T` as clap takes it and as the audit trail records it.
    fn names<T: ValueEnum + Serialize>() -> Vec<(String, String)> {
        T::value_variants()
            .iter()
            .map(|v| {
                let typed = v.to_possible_value().expect("no value is skipped");
                (typed.get_name().to_string(), crate::audit::name(v))
            })
            .collect()
    }

    #[test]
    fn the_audit_trail_records_each_option_as_it_is_typed() {
        for pairs in [
            names::<Stage>(),
            names::<Missing>(),
            names::<Format>(),
            names::<Lang>(),
            names::<Level>(),
        ] {
            for (typed, recorded) in pairs {
                assert_eq!(typed, recorded);
            }
        }
    }
}
