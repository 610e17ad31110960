//! `parindex explain AGENCY`: one agency's tree, where it lost points and why; with
//! `--each -o DIR`, every agency's, one file each (the result sheets the Department sends).

use std::io::Write;
use std::path::PathBuf;

use crate::cmd::session::{RoundSource, deliver, deliver_each, load, readable_again, unwritable};
use crate::diagnostic::Severity;
use crate::diagnostic::Voice;
use crate::exit::Exit;
use crate::model::layer::Stage;
use crate::read::inputs;
use crate::report::explain::Explain;
use crate::report::{Format, Lang};
use crate::score::results::{self, Missing};

/// The formats `explain` writes, in the order `--help` lists them.
pub(crate) const FORMATS: &[Format] =
    &[Format::Table, Format::Md, Format::Json, Format::Xlsx, Format::Docx, Format::Pdf];

/// Whose explanation: one agency's, or every agency's into a folder.
#[derive(Debug, Clone)]
pub(crate) enum Whom {
    One(String),
    /// Every agency, a file each in this folder.
    Each(PathBuf),
}

#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub whom: Whom,
    pub source: RoundSource,
    pub stage: Stage,
    pub missing: Missing,
    pub format: Format,
    pub output: Option<PathBuf>,
    pub lang: Lang,
    pub voice: Voice,
    /// The terminal's width, that a table printed to it fits in.
    pub width: Option<usize>,
}

pub(crate) fn run(plan: &Plan, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<Exit> {
    // One agency's report needs every text of its own rows only: the round is read and
    // scored as for the tables, and its rows read again, the others passed over. Where
    // a file cannot be read twice (a pipe), every text is kept the first time.
    let again = matches!(plan.whom, Whom::One(_)) && readable_again(&plan.source);
    let Some((inputs, mut round)) =
        load(&plan.source, plan.stage, plan.missing, !again, plan.voice, err)?
    else {
        return Ok(Exit::BadInput);
    };
    let folder = match &plan.whom {
        Whom::Each(folder) => folder,
        Whom::One(typed) => {
            let position = match round.find_agency(typed) {
                Ok(position) => position,
                Err(why) => {
                    crate::cmd::session::no_such_agency(
                        typed,
                        &why,
                        &round.agencies,
                        &inputs.agencies,
                        plan.voice,
                        err,
                    )?;
                    return Ok(Exit::BadInput);
                }
            };
            let results = if again {
                let reports = inputs::rows_of_one(&inputs, &mut round, position);
                if reports.iter().any(|r| r.count(Severity::Error) > 0) {
                    // Its warnings were shown as the round was loaded.
                    for report in reports.iter().filter(|r| r.count(Severity::Error) > 0) {
                        err.write_all(report.render(plan.voice).as_bytes())?;
                    }
                    return Ok(Exit::BadInput);
                }
                results::score_one(&round, plan.stage, position)
            } else {
                results::score(&round, plan.stage)
            };
            let id = &round.agencies[position].id;
            let agency = results
                .agencies
                .iter()
                .position(|r| r.agency == position)
                .expect("every agency is scored");
            let view = Explain { round: &round, results: &results, agency, lang: plan.lang };
            let bytes = match render(&view, plan.format, plan.width) {
                Ok(bytes) => bytes,
                Err(e) => return unwritable(&e, plan.voice, err),
            };
            let bytes = if plan.format == Format::Pdf {
                match crate::pdf::from_docx(&crate::lang::Text::same(id.as_str()), &bytes) {
                    Ok(pdf) => pdf,
                    Err(failure) => {
                        plan.voice.error(err, &failure.text())?;
                        return Ok(Exit::BadInput);
                    }
                }
            } else {
                bytes
            };
            return deliver(&bytes, plan.output.as_deref(), &inputs.files(), plan.voice, out, err);
        }
    };
    let results = results::score(&round, plan.stage);
    let mut made: Vec<(String, Vec<u8>)> = Vec::with_capacity(results.agencies.len());
    for agency in 0..results.agencies.len() {
        let view = Explain { round: &round, results: &results, agency, lang: plan.lang };
        let bytes = match render(&view, plan.format, None) {
            Ok(bytes) => bytes,
            Err(e) => return unwritable(&e, plan.voice, err),
        };
        made.push((round.agencies[results.agencies[agency].agency].id.clone(), bytes));
    }
    if plan.format == Format::Pdf {
        let documents: Vec<(String, &[u8])> =
            made.iter().map(|(id, bytes)| (id.clone(), &bytes[..])).collect();
        match crate::pdf::from_office(&documents, "docx") {
            Ok(pdfs) => {
                for ((_, bytes), pdf) in made.iter_mut().zip(pdfs) {
                    *bytes = pdf;
                }
            }
            Err(failure) => {
                plan.voice.error(err, &failure.text())?;
                return Ok(Exit::BadInput);
            }
        }
    }
    let files: Vec<(&str, &[u8])> = made.iter().map(|(id, b)| (id.as_str(), &b[..])).collect();
    deliver_each(folder, &files, plan.format, &inputs.files(), plan.voice, err)
}

/// One agency's explanation in `format`; a PDF's Word document, which the caller turns
/// into PDF.
fn render(
    view: &Explain<'_>,
    format: Format,
    width: Option<usize>,
) -> Result<Vec<u8>, crate::report::xlsx::Unwritable> {
    Ok(match format {
        Format::Table => view.table(width).into_bytes(),
        Format::Md => view.markdown().into_bytes(),
        Format::Json => view.json(),
        Format::Xlsx => view.xlsx()?,
        Format::Docx | Format::Pdf => crate::report::sheet::render(view),
        Format::Csv | Format::Html => unreachable!("explain writes only its FORMATS"),
    })
}
