//! `parindex template`: the blank self-assessment for a criteria set.

use std::io::Write;
use std::path::PathBuf;

use crate::diagnostic::Severity;
use crate::exit::Exit;
use crate::read::inputs;
use crate::report::{Format, Lang, template};

/// The formats `template` writes, in the order `--help` lists them.
pub(crate) const FORMATS: &[Format] = &[Format::Csv, Format::Xlsx];

#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub criteria: PathBuf,
    pub agencies: Option<PathBuf>,
    pub format: Format,
    pub output: Option<PathBuf>,
    pub lang: Lang,
    pub color: bool,
}

pub(crate) fn run(plan: &Plan, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<Exit> {
    let mut reports = Vec::new();
    let set = inputs::read_set(&plan.criteria, &mut reports);
    let list = match &plan.agencies {
        None => Some(Vec::new()),
        Some(path) => inputs::read_agencies(path, &mut reports).map(|a| a.list),
    };
    for report in reports.iter().filter(|r| r.count(Severity::Error) > 0) {
        err.write_all(report.render(plan.color).as_bytes())?;
    }
    let (Some(set), Some(list)) = (set, list) else { return Ok(Exit::BadInput) };
    let bytes = match plan.format {
        Format::Csv => template::csv(&set, &list, plan.lang),
        Format::Xlsx => match template::xlsx(&set, &list, plan.lang) {
            Ok(bytes) => bytes,
            Err(e) => return crate::cmd::session::unwritable(&e, err),
        },
        _ => unreachable!("template writes only its FORMATS"),
    };
    // Only the criteria set and the agencies are inputs here.
    let mut inputs = vec![plan.criteria.as_path()];
    inputs.extend(plan.agencies.as_deref());
    crate::cmd::session::deliver(&bytes, plan.output.as_deref(), &inputs, plan.color, out, err)
}
