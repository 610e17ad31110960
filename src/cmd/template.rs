//! `parindex template`: the blank self-assessment for a criteria set.

use std::io::Write;
use std::path::PathBuf;

use crate::criteria;
use crate::diagnostic::{FileReport, Severity};
use crate::exit::Exit;
use crate::read::agencies;
use crate::read::inputs::{Inputs, shown};
use crate::read::table::Table;
use crate::report::{Lang, template};
use crate::source::SourceFile;

#[derive(Debug, Clone)]
pub struct Plan {
    pub criteria: PathBuf,
    pub agencies: Option<PathBuf>,
    pub xlsx: bool,
    pub output: Option<PathBuf>,
    pub lang: Lang,
    pub color: bool,
}

pub fn run(plan: &Plan, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<Exit> {
    let mut reports = Vec::new();
    let set = match SourceFile::read(&plan.criteria) {
        Err(d) => {
            reports.push(FileReport::new(shown(&plan.criteria), None, vec![*d]));
            None
        }
        Ok(source) => {
            let loaded = criteria::load(&source);
            reports.push(FileReport::new(shown(&plan.criteria), Some(source), loaded.diagnostics));
            loaded.set
        }
    };
    let list = match &plan.agencies {
        None => Some(Vec::new()),
        Some(path) => match Table::read(path) {
            Err(d) => {
                reports.push(FileReport::new(shown(path), None, vec![*d]));
                None
            }
            Ok(table) => {
                let mut problems = Vec::new();
                let list = agencies::read(&table, &mut problems);
                let failed = problems.iter().any(|d| d.severity == Severity::Error);
                reports.push(FileReport::new(shown(path), Some(table.source), problems));
                (!failed).then_some(list)
            }
        },
    };
    for report in reports.iter().filter(|r| r.count(Severity::Error) > 0) {
        err.write_all(report.render(plan.color).as_bytes())?;
    }
    let (Some(set), Some(list)) = (set, list) else { return Ok(Exit::BadInput) };
    let bytes = if plan.xlsx {
        template::xlsx(&set, &list, plan.lang)
    } else {
        template::csv(&set, &list, plan.lang)
    };
    // Only the criteria set and the agencies are inputs here.
    let inputs = Inputs {
        title: None,
        year: None,
        criteria: plan.criteria.clone(),
        agencies: plan.agencies.clone().unwrap_or_else(|| plan.criteria.clone()),
        self_assessment: plan.criteria.clone(),
        appraisals: Vec::new(),
        survey: None,
    };
    crate::cmd::score::deliver(&bytes, plan.output.as_deref(), &inputs, plan.color, out, err)
}
