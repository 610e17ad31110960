//! `parindex status`: before scoring, who has submitted its self-assessment, how much of
//! it, with what evidence, and what the round's tables give each agency.

use std::io::Write;

use crate::cmd::session::{RoundSource, deliver, inputs_of, unwritable};
use crate::diagnostic::Voice;
use crate::exit::Exit;
use crate::model::layer::Stage;
use crate::read::inputs;
use crate::report::{CsvForm, Format, Lang};
use crate::score::results;

#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub source: RoundSource,
    pub format: Format,
    pub output: Option<std::path::PathBuf>,
    pub lang: Lang,
    /// How a CSV is written.
    pub csv: CsvForm,
    /// The terminal's width, that a table printed to it fits in.
    pub width: Option<usize>,
    pub voice: Voice,
}

pub(crate) fn run(plan: &Plan, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<Exit> {
    let Some(inputs) = inputs_of(&plan.source, plan.voice, err)? else {
        return Ok(Exit::BadInput);
    };
    // Missing values are what this command reports, not a reason to stop: only a file
    // that cannot be read as it is stops it.
    let loaded = inputs::load(&inputs);
    for report in loaded.reports.iter().filter(|r| !r.diagnostics.is_empty()) {
        err.write_all(report.render(plan.voice).as_bytes())?;
    }
    let failed = loaded.failed();
    let Some(round) = loaded.round.filter(|_| !failed) else { return Ok(Exit::BadInput) };
    let own = results::score(&round, Stage::SelfOnly);
    let grid = crate::report::status::status(&round, &own, plan.lang);
    let sheet = match plan.lang {
        Lang::Vi => "Tình hình nộp",
        Lang::En => "Status",
    };
    let bytes = match grid.render(plan.format, plan.csv, sheet, plan.width) {
        Ok(bytes) => bytes,
        Err(e) => return unwritable(&e, plan.voice, err),
    };
    deliver(&bytes, plan.output.as_deref(), &inputs.files(), plan.voice, out, err)
}
