//! `parindex score`: scores a round and prints or writes the ranked tables.

use std::io::Write;
use std::path::PathBuf;

use crate::audit::{self, Audit};
use crate::cmd::session::{
    Body, GroupChoice, Made, RoundSource, choose_group, load_showing, publish, readable_again,
    round_file,
};
use crate::diagnostic::{FileReport, Severity, Voice};
use crate::exit::Exit;
use crate::model::layer::Stage;
use crate::model::round::Round;
use crate::progress::Progress;
use crate::read::inputs::{self, Inputs};

use crate::report::{CsvForm, Format, Lang, Report};
use crate::score::results::{self, Missing};

/// Everything `score` needs, every option resolved.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub source: RoundSource,
    pub stage: Stage,
    /// The group asked for, by its id or its display name.
    pub group: Option<String>,
    pub missing: Missing,
    pub format: Format,
    pub output: Option<PathBuf>,
    pub lang: Lang,
    /// How a CSV is written (see [`CsvForm::of`]).
    pub csv: CsvForm,
    /// Colour for messages on standard error.
    pub voice: Voice,
    /// No progress display.
    pub quiet: bool,
    /// Each group's ranks in each field, in the terminal table and Markdown.
    pub field_ranks: bool,
    /// The terminal's width, that a table printed to it fits in.
    pub width: Option<usize>,
}

pub(crate) fn run(plan: &Plan, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<Exit> {
    let progress = Progress::new(!plan.quiet, plan.voice.lang);
    let Some(made) = produce(plan, &progress, err)? else {
        return Ok(Exit::BadInput);
    };
    progress.finish();
    publish(made, plan.format, plan.output.as_deref(), plan.voice, out, err)
}

/// Scores the round of `plan` and renders it; prints every problem to `err`. `None`
/// when the round cannot be scored.
pub(crate) fn produce(
    plan: &Plan,
    progress: &Progress,
    err: &mut dyn Write,
) -> std::io::Result<Option<Made>> {
    // The published tables need no cell's text; JSON shows every one; the page only the
    // explanations of what the appraisal changed, whose rows are read again where the
    // files can be read twice (not pipes).
    let lean_page = plan.format == Format::Html && readable_again(&plan.source);
    let texts = matches!(plan.format, Format::Json | Format::Html) && !lean_page;
    let Some((inputs, mut round)) =
        load_showing(&plan.source, plan.stage, plan.missing, texts, plan.voice, progress, err)?
    else {
        return Ok(None);
    };
    if lean_page
        && plan.stage == Stage::Final
        && !changed_rows(&inputs, &mut round, plan.voice, err)?
    {
        return Ok(None);
    }
    let group = choose_group(plan.group.as_deref(), &round, &inputs, plan.voice, err)?;
    if group == GroupChoice::Unknown {
        return Ok(None);
    }
    // The tables show the fields (a workbook's sheets of each field score the leaves
    // again, keeping them as shown); JSON every node at both stages; the page scores
    // each agency whole for its card, one by one.
    let detail = match plan.format {
        Format::Json => results::Detail::Full,
        _ => results::Detail::Fields,
    };
    let results = results::score_with(&round, plan.stage, detail, progress);
    progress.step(&crate::tr!("writing", "đang ghi kết quả"));
    let options = audit::Options { group: group.id().map(String::from), ..audit_options(plan) };
    let audit = Audit::new(&round, "score", options, round_file(&plan.source));
    if matches!(plan.format, Format::Json | Format::Html) {
        // Written agency by agency as it goes out, never held whole: at 100,000 agencies
        // the document is gigabytes.
        let (lang, csv, field_ranks, width) = (plan.lang, plan.csv, plan.field_ranks, plan.width);
        let format = plan.format;
        let group = group.id().map(String::from);
        let trail = audit.clone();
        let write = move |w: &mut dyn Write| {
            let report = Report {
                round: &round,
                results: &results,
                lang,
                csv,
                group: group.as_deref(),
                audit: Some(&trail),
                field_ranks,
                width,
            };
            if format == Format::Json { report.write_json(w) } else { report.write_html(w) }
        };
        return Ok(Some(Made { inputs, audit, body: Body::Stream(Box::new(write)) }));
    }
    let report = Report {
        round: &round,
        results: &results,
        lang: plan.lang,
        csv: plan.csv,
        group: group.id(),
        audit: Some(&audit),
        field_ranks: plan.field_ranks,
        width: plan.width,
    };
    let bytes = match report.render(plan.format) {
        Ok(bytes) => bytes,
        Err(e) => {
            plan.voice.error(err, &e.0)?;
            return Ok(None);
        }
    };
    let bytes = if plan.format == Format::Pdf {
        progress.step(&crate::tr!("making the PDF", "đang tạo PDF"));
        match crate::pdf::from_docx(&crate::tr!("the appendix", "phụ lục"), &bytes) {
            Ok(pdf) => pdf,
            Err(failure) => {
                plan.voice.error(err, &failure.text())?;
                return Ok(None);
            }
        }
    } else {
        bytes
    };
    Ok(Some(Made { inputs, audit, body: Body::Bytes(bytes) }))
}

/// The rows of the leaves the appraisal changed, read again with their texts in place of
/// a round loaded without them (see [`inputs::rows_of`]): the page explains each change.
/// False, the problems said, where a file changed since it was loaded.
fn changed_rows(
    inputs: &Inputs,
    round: &mut Round,
    voice: Voice,
    err: &mut dyn Write,
) -> std::io::Result<bool> {
    let cells = results::changed_leaves(round).into_iter().collect();
    let reports = inputs::rows_of(inputs, round, &cells);
    let failed: Vec<&FileReport> =
        reports.iter().filter(|r| r.count(Severity::Error) > 0).collect();
    for report in &failed {
        err.write_all(report.render(voice).as_bytes())?;
    }
    Ok(failed.is_empty())
}

/// The options of `plan` that shape its output, as the audit trail records them.
pub(crate) fn audit_options(plan: &Plan) -> audit::Options {
    audit::Options {
        stage: plan.stage,
        group: plan.group.clone(),
        missing: plan.missing,
        format: plan.format,
        lang: plan.lang,
        csv: plan.csv,
        sensitivity: None,
    }
}
