//! `parindex sensitivity`: how steady each agency's rank is when the points of the fields
//! or criteria are perturbed, run after run.

use std::io::Write;

use crate::cmd::score::{self, deliver, group_exists, load_showing};
use crate::exit::Exit;
use crate::progress::Progress;
use crate::report::sensitivity::Sensitivity;
use crate::results::{self, Detail};
use crate::sensitivity::{Level, Model, Options, analyse};

/// Everything `sensitivity` needs: the inputs and outputs as `score` takes them, and how
/// to perturb.
#[derive(Debug, Clone)]
pub struct Plan {
    pub score: score::Plan,
    pub options: Options,
    /// The per-field table alone (a CSV or workbook holds one table).
    pub fields_alone: bool,
}

pub fn run(plan: &Plan, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<Exit> {
    let p = &plan.score;
    let progress = Progress::new(!p.quiet);
    let Some((inputs, round)) =
        load_showing(&p.source, p.stage, p.missing_zero, false, p.color, &progress, err)?
    else {
        return Ok(Exit::BadInput);
    };
    if !group_exists(p.group.as_deref(), &round, &inputs, err)? {
        return Ok(Exit::BadInput);
    }
    let detail = match plan.options.level {
        Level::Field => Detail::Fields,
        Level::Criterion => Detail::Criteria,
    };
    let mut results = results::score_with(&round, p.stage, detail, &progress);
    // Only the group shown is perturbed: ranks are settled inside a group.
    if let Some(group) = &p.group {
        results.groups.retain(|(g, _)| g == group);
    }
    let model = Model::new(&round.set, &results, plan.options.level);
    let passes = 1 + model.fields().count();
    let total = plan.options.runs * passes;
    // Half a second's work or more is worth a bar.
    if total.saturating_mul(model.ranked()) >= 30_000_000 {
        progress.show();
    }
    progress.count("runs", total);
    let outcome = analyse(&model, &plan.options, &|n| progress.advance(n));
    progress.step("writing");
    let report = Sensitivity {
        round: &round,
        results: &results,
        model: &model,
        outcome: &outcome,
        options: &plan.options,
        lang: p.lang,
        group: p.group.as_deref(),
    };
    let bytes = report.render(p.format, plan.fields_alone);
    progress.finish();
    deliver(&bytes, p.output.as_deref(), &inputs, p.color, out, err)
}
