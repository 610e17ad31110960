//! `parindex score`: scores a round and prints or writes the ranked tables.

use std::io::Write;
use std::path::PathBuf;

use crate::audit::{self, Audit};
use crate::cmd::session::{
    Body, GroupChoice, Made, RoundSource, choose_group, load_showing, publish, round_file,
};
use crate::diagnostic::Voice;
use crate::exit::Exit;
use crate::model::layer::Stage;
use crate::progress::Progress;

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
    // The published tables need no cell's text; JSON and HTML show them.
    let full = matches!(plan.format, Format::Json | Format::Html);
    let Some((inputs, round)) =
        load_showing(&plan.source, plan.stage, plan.missing, full, plan.voice, progress, err)?
    else {
        return Ok(None);
    };
    let group = choose_group(plan.group.as_deref(), &round, &inputs, plan.voice, err)?;
    if group == GroupChoice::Unknown {
        return Ok(None);
    }
    // A workbook shows each field's leaves; the other tables only the fields; JSON and
    // HTML every node at both stages.
    let detail = match plan.format {
        _ if full => results::Detail::Full,
        Format::Xlsx => results::Detail::Tables,
        _ => results::Detail::Fields,
    };
    let results = results::score_with(&round, plan.stage, detail, progress);
    progress.step(&crate::tr!("writing", "đang ghi kết quả"));
    let options = audit::Options { group: group.id().map(String::from), ..audit_options(plan) };
    let audit = Audit::new(&round, "score", options, round_file(&plan.source));
    if plan.format == Format::Json {
        // Written agency by agency as it goes out, never held whole: at 100,000 agencies
        // the document is gigabytes.
        let (lang, csv, field_ranks, width) = (plan.lang, plan.csv, plan.field_ranks, plan.width);
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
            report.write_json(w)
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
