//! `parindex sensitivity`: how steady each agency's rank is when the points of the fields
//! or criteria are perturbed, run after run.

use std::io::Write;

use crate::audit::{self, Audit};
use crate::cmd::score;
use crate::cmd::session::{
    Body, GroupChoice, Made, choose_group, load_showing, publish, round_file,
};
use crate::exit::Exit;
use crate::progress::Progress;
use crate::report::sensitivity::Sensitivity;
use crate::score::results::{self, Detail};
use crate::score::sensitivity::{Level, Model, Options, analyse};

/// Everything `sensitivity` needs: the inputs and outputs as `score` takes them, and how
/// to perturb.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub score: score::Plan,
    pub options: Options,
    /// The per-field table alone (a CSV or workbook holds one table).
    pub fields_alone: bool,
}

pub(crate) fn run(plan: &Plan, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<Exit> {
    let progress = Progress::new(!plan.score.quiet, plan.score.voice.lang);
    let Some(made) = produce(plan, &progress, err)? else {
        return Ok(Exit::BadInput);
    };
    progress.finish();
    publish(made, plan.score.format, plan.score.output.as_deref(), plan.score.voice, out, err)
}

/// Runs the analysis of `plan` and renders it; prints every problem to `err`. `None`
/// when the round cannot be scored.
pub(crate) fn produce(
    plan: &Plan,
    progress: &Progress,
    err: &mut dyn Write,
) -> std::io::Result<Option<Made>> {
    let p = &plan.score;
    let Some((inputs, round)) =
        load_showing(&p.source, p.stage, p.missing, false, p.voice, progress, err)?
    else {
        return Ok(None);
    };
    let group = choose_group(p.group.as_deref(), &round, &inputs, p.voice, err)?;
    if group == GroupChoice::Unknown {
        return Ok(None);
    }
    let detail = match plan.options.level {
        Level::Field => Detail::Fields,
        Level::Criterion => Detail::Criteria,
    };
    let mut results = results::score_with(&round, p.stage, detail, progress);
    // Only the group shown is perturbed: ranks are settled inside a group.
    if let Some(group) = group.id() {
        results.groups.retain(|(g, _)| g == group);
    }
    let model = Model::new(&round.set, &results, plan.options.level);
    let passes = 1 + model.fields().count();
    let total = plan.options.runs * passes;
    // Half a second's work or more is worth a bar.
    if total.saturating_mul(model.ranked()) >= 30_000_000 {
        progress.show();
    }
    progress.count(&crate::tr!("runs", "lượt chạy"), total);
    let outcome = analyse(&model, &plan.options, &|n| progress.advance(n));
    progress.step(&crate::tr!("writing", "đang ghi kết quả"));
    let o = &plan.options;
    let options = audit::Options {
        sensitivity: Some(audit::Perturbation {
            runs: o.runs,
            seed: o.seed,
            // Rust writes the shortest text that reads back as the same float.
            spread: o.spread.to_string(),
            level: o.level,
            fields: plan.fields_alone,
        }),
        group: group.id().map(String::from),
        ..score::audit_options(p)
    };
    let audit = Audit::new(&round, "sensitivity", options, round_file(&p.source));
    let report = Sensitivity {
        round: &round,
        results: &results,
        model: &model,
        outcome: &outcome,
        options: &plan.options,
        lang: p.lang,
        csv: p.csv,
        group: group.id(),
        audit: Some(&audit),
        width: p.width,
    };
    let bytes = match report.render(p.format, plan.fields_alone) {
        Ok(bytes) => bytes,
        Err(e) => {
            p.voice.error(err, &e.0)?;
            return Ok(None);
        }
    };
    Ok(Some(Made { inputs, audit, body: Body::Bytes(bytes) }))
}
