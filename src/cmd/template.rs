//! `parindex template`: the blank self-assessment for a criteria set — for every agency
//! in one file, for one agency, or (`--each -o DIR`) a file for each agency.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diagnostic::{FileReport, Severity};
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
    // Only the criteria set and the agencies are inputs here.
    let mut input_files = vec![plan.criteria.as_path()];
    input_files.extend(plan.agencies.as_deref());
    let render = |agencies: &[Agency]| match plan.format {
        Format::Csv => Ok(template::csv(&set, agencies, plan.lang)),
        Format::Xlsx => template::xlsx(&set, agencies, plan.lang),
        _ => unreachable!("template writes only its FORMATS"),
    };
    let folder = match &plan.whom {
        Whom::All => {
            let bytes = match render(&list) {
                Ok(bytes) => bytes,
                Err(e) => return crate::cmd::session::unwritable(&e, err),
            };
            let output = plan.output.as_deref();
            return crate::cmd::session::deliver(
                &bytes,
                output,
                &input_files,
                plan.color,
                out,
                err,
            );
        }
        Whom::One(id) => {
            let Some(agency) = one(id, &list, plan.agencies.as_deref(), err)? else {
                return Ok(Exit::BadInput);
            };
            let bytes = match render(std::slice::from_ref(&agency)) {
                Ok(bytes) => bytes,
                Err(e) => return crate::cmd::session::unwritable(&e, err),
            };
            let output = plan.output.as_deref();
            return crate::cmd::session::deliver(
                &bytes,
                output,
                &input_files,
                plan.color,
                out,
                err,
            );
        }
        Whom::Each(folder) => folder,
    };
    let mut made = Vec::with_capacity(list.len());
    for agency in &list {
        match render(std::slice::from_ref(agency)) {
            Ok(bytes) => made.push(bytes),
            Err(e) => return crate::cmd::session::unwritable(&e, err),
        }
    }
    if let Err(e) = std::fs::create_dir_all(folder) {
        writeln!(err, "error: the folder {} cannot be made: {e}", folder.display())?;
        return Ok(Exit::BadInput);
    }
    let extension = crate::cmd::explain::extension(plan.format);
    let names = crate::output::file_names(list.iter().map(|a| a.id.as_str()), extension);
    let paths: Vec<PathBuf> = names.iter().map(|n| folder.join(n)).collect();
    let files: Vec<(&Path, &[u8])> =
        paths.iter().zip(&made).map(|(p, bytes)| (p.as_path(), &bytes[..])).collect();
    if let Err(d) = crate::output::write_files(&files, &input_files) {
        let report = FileReport::new(folder.display().to_string(), None, vec![*d]);
        err.write_all(report.render(plan.color).as_bytes())?;
        return Ok(Exit::BadInput);
    }
    writeln!(err, "wrote {} files to {}", paths.len(), folder.display())?;
    Ok(Exit::Done)
}

/// The agency `id`: the agencies file's, where one is given (an id it lacks is refused,
/// with the nearest it has), else an agency known by its id alone.
fn one(
    id: &str,
    list: &[Agency],
    file: Option<&Path>,
    err: &mut dyn Write,
) -> std::io::Result<Option<Agency>> {
    let Some(file) = file else {
        return Ok(Some(Agency { id: id.to_string(), name: String::new(), group: String::new() }));
    };
    // By its id or its name, as explain takes it.
    let named = |i: &usize| format!("\"{}\" ({})", list[*i].id, list[*i].name);
    let shown = inputs::shown(file);
    let typed = crate::text::quote(id);
    match crate::model::round::find_agency(list, id) {
        Ok(i) => return Ok(Some(list[i].clone())),
        Err(crate::model::round::NoSuchAgency::Unknown { near }) => {
            let hint =
                near.as_ref().map(|i| format!("; did you mean {}?", named(i))).unwrap_or_default();
            writeln!(err, "error: there is no agency {typed} in {shown}{hint}")?;
        }
        Err(crate::model::round::NoSuchAgency::Ambiguous(which)) => {
            let listed: Vec<String> = which.iter().map(named).collect();
            writeln!(
                err,
                "error: {typed} could be any of {} agencies in {shown}: {}; give the id of the one you mean",
                which.len(),
                listed.join(", ")
            )?;
        }
    }
    Ok(None)
}
