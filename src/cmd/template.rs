//! `parindex template`: the blank self-assessment for a criteria set — for every agency
//! in one file, for one agency, or (`--each -o DIR`) a file for each agency.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Severity, Voice};
use crate::exit::Exit;
use crate::model::round::Agency;
use crate::read::inputs;
use crate::report::{Format, Lang, template};

/// The formats `template` writes, in the order `--help` lists them.
pub(crate) const FORMATS: &[Format] = &[Format::Csv, Format::Xlsx];

/// Whose template: every agency of the agencies file (or one blank agency) in one file,
/// one agency's, or every agency's in a file of its own.
#[derive(Debug, Clone)]
pub(crate) enum Whom {
    All,
    One(String),
    /// Every agency, a file each in this folder.
    Each(PathBuf),
}

#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub criteria: PathBuf,
    pub agencies: Option<PathBuf>,
    pub whom: Whom,
    pub format: Format,
    pub output: Option<PathBuf>,
    pub lang: Lang,
    pub voice: Voice,
}

pub(crate) fn run(plan: &Plan, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<Exit> {
    let mut reports = Vec::new();
    let set = inputs::read_set(&plan.criteria, &mut reports);
    let list = match &plan.agencies {
        None => Some(Vec::new()),
        Some(path) => inputs::read_agencies(path, &mut reports).map(|a| a.list),
    };
    for report in reports.iter().filter(|r| r.count(Severity::Error) > 0) {
        err.write_all(report.render(plan.voice).as_bytes())?;
    }
    let (Some(set), Some(list)) = (set, list) else { return Ok(Exit::BadInput) };
    // Only the criteria set and the agencies are inputs here.
    let mut input_files = vec![plan.criteria.as_path()];
    input_files.extend(plan.agencies.as_deref());
    let render = |agencies: &[Agency]| match plan.format {
        Format::Csv => Ok(template::csv(&set, agencies, plan.lang)),
        Format::Xlsx => template::xlsx(&set, agencies, plan.lang),
        _ => unreachable!("template writes only its FORMATS"),
    };
    let list = match &plan.whom {
        Whom::All => list,
        Whom::One(id) => match one(id, &list, plan.agencies.as_deref(), plan.voice, err)? {
            Some(agency) => vec![agency],
            None => return Ok(Exit::BadInput),
        },
        Whom::Each(folder) => {
            let mut made = Vec::with_capacity(list.len());
            for agency in &list {
                match render(std::slice::from_ref(agency)) {
                    Ok(bytes) => made.push((agency.id.as_str(), bytes)),
                    Err(e) => return crate::cmd::session::unwritable(&e, plan.voice, err),
                }
            }
            let files: Vec<(&str, &[u8])> = made.iter().map(|(id, b)| (*id, &b[..])).collect();
            return crate::cmd::session::deliver_each(
                folder,
                &files,
                plan.format,
                &input_files,
                plan.voice,
                err,
            );
        }
    };
    let bytes = match render(&list) {
        Ok(bytes) => bytes,
        Err(e) => return crate::cmd::session::unwritable(&e, plan.voice, err),
    };
    crate::cmd::session::deliver(&bytes, plan.output.as_deref(), &input_files, plan.voice, out, err)
}

/// The agency `id`: the agencies file's, where one is given, named by id or name (one it
/// lacks is refused, with the nearest it has), else an agency known by its id alone.
fn one(
    id: &str,
    list: &[Agency],
    file: Option<&Path>,
    voice: Voice,
    err: &mut dyn Write,
) -> std::io::Result<Option<Agency>> {
    let Some(file) = file else {
        return Ok(Some(Agency { id: id.to_string(), name: String::new(), group: String::new() }));
    };
    // By id, by name, or either without accents (`so noi vu`), as explain takes it.
    match crate::model::round::find_agency(list, id) {
        Ok(i) => Ok(Some(list[i].clone())),
        Err(why) => {
            crate::cmd::session::no_such_agency(id, &why, list, file, voice, err)?;
            Ok(None)
        }
    }
}
