//! `parindex compare`: self-assessment against appraisal in one round, or one round
//! (a year) against another.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cmd::session::{RoundSource, deliver, load, unwritable};
use crate::diagnostic::Voice;
use crate::exit::Exit;
use crate::model::layer::Stage;
use crate::progress::Progress;
use crate::report::{CsvForm, Format, Lang, compare};
use crate::score::results::{self, Detail, Missing};

#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// One round file (self against final), or the earlier and the later one.
    pub rounds: Vec<PathBuf>,
    pub missing: Missing,
    pub format: Format,
    pub output: Option<PathBuf>,
    pub lang: Lang,
    /// How a CSV is written.
    pub csv: CsvForm,
    /// The terminal's width, that a table printed to it fits in.
    pub width: Option<usize>,
    pub voice: Voice,
}

pub(crate) fn run(plan: &Plan, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<Exit> {
    let mut loaded = Vec::new();
    for path in &plan.rounds {
        match load(
            &RoundSource::file(path.clone()),
            Stage::Final,
            plan.missing,
            false,
            plan.voice,
            err,
        )? {
            Some(round) => loaded.push(round),
            None => return Ok(Exit::BadInput),
        }
    }
    // The fields' figures, as the tables keep them (a round's self-assessment against its
    // appraisal works out its differences agency by agency); no row: the rounds were
    // read without them.
    let scored: Vec<_> = loaded
        .iter()
        .map(|(_, round)| {
            results::score_with(round, Stage::Final, Detail::Fields, &Progress::hidden())
        })
        .collect();
    let grid = match (&loaded[..], &scored[..]) {
        ([(_, round)], [results]) => compare::appraisal(round, results, plan.lang),
        ([(_, old), (_, new)], [old_results, new_results]) => {
            compare::rounds((old, old_results), (new, new_results), plan.lang)
        }
        _ => unreachable!("clap takes one or two round files"),
    };
    let sheet = match plan.lang {
        Lang::Vi => "So sánh",
        Lang::En => "Comparison",
    };
    let bytes = match grid.render(plan.format, plan.csv, sheet, plan.width) {
        Ok(bytes) => bytes,
        Err(e) => return unwritable(&e, plan.voice, err),
    };
    // Every file of every round is an input.
    let inputs: Vec<&Path> = loaded.iter().flat_map(|(i, _)| i.files()).collect();
    deliver(&bytes, plan.output.as_deref(), &inputs, plan.voice, out, err)
}
