//! `parindex explain AGENCY`: one agency's tree, where it lost points and why.

use std::io::Write;
use std::path::PathBuf;

use crate::cmd::session::{RoundSource, deliver, load, unwritable};
use crate::exit::Exit;
use crate::model::layer::Stage;
use crate::report::explain::Explain;
use crate::report::{Format, Lang};
use crate::score::results::{self, Missing};

/// The formats `explain` writes, in the order `--help` lists them.
pub(crate) const FORMATS: &[Format] = &[Format::Table, Format::Md, Format::Json, Format::Xlsx];

#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub agency: String,
    pub source: RoundSource,
    pub stage: Stage,
    pub missing: Missing,
    pub format: Format,
    pub output: Option<PathBuf>,
    pub lang: Lang,
    pub color: bool,
}

pub(crate) fn run(plan: &Plan, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<Exit> {
    let Some((inputs, round)) =
        load(&plan.source, plan.stage, plan.missing, true, plan.color, err)?
    else {
        return Ok(Exit::BadInput);
    };
    let Some(position) = round.agencies.iter().position(|a| a.id == plan.agency) else {
        let ids: Vec<&str> = round.agencies.iter().map(|a| a.id.as_str()).collect();
        let hint = crate::text::did_you_mean(&plan.agency, &ids)
            .map(|near| format!("; did you mean \"{near}\"?"))
            .unwrap_or_default();
        writeln!(
            err,
            "error: there is no agency \"{}\" in {}{hint}",
            plan.agency,
            crate::read::inputs::shown(&inputs.agencies)
        )?;
        return Ok(Exit::BadInput);
    };
    let results = results::score(&round, plan.stage);
    let agency =
        results.agencies.iter().position(|r| r.agency == position).expect("every agency is scored");
    let view = Explain { round: &round, results: &results, agency, lang: plan.lang };
    let bytes = match plan.format {
        Format::Table => view.table().into_bytes(),
        Format::Md => view.markdown().into_bytes(),
        Format::Json => view.json(),
        Format::Xlsx => match view.xlsx() {
            Ok(bytes) => bytes,
            Err(e) => return unwritable(&e, err),
        },
        Format::Csv | Format::Html => unreachable!("explain writes only its FORMATS"),
    };
    deliver(&bytes, plan.output.as_deref(), &inputs.files(), plan.color, out, err)
}
