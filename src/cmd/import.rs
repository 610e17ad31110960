//! `parindex import`: a criteria table kept as a workbook, written as a criteria set file.

use crate::diagnostic::Voice;
use std::io::Write;
use std::path::PathBuf;

use crate::diagnostic::FileReport;
use crate::exit::Exit;
use crate::read::file::shown;

#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub input: PathBuf,
    /// The set file to write; `None` is standard output.
    pub output: Option<PathBuf>,
    pub voice: Voice,
}

pub(crate) fn run(plan: &Plan, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<Exit> {
    let path = shown(&plan.input);
    let imported = match crate::import::import(&plan.input) {
        Ok(imported) => imported,
        Err(problems) => {
            let count = problems.len();
            err.write_all(
                FileReport::new(path.clone(), None, problems).render(plan.voice).as_bytes(),
            )?;
            let s = if count == 1 { "" } else { "s" };
            writeln!(err, "{path}: {count} error{s}; nothing written")?;
            return Ok(Exit::BadInput);
        }
    };
    if !imported.warnings.is_empty() {
        err.write_all(
            FileReport::new(path.clone(), None, imported.warnings.clone())
                .render(plan.voice)
                .as_bytes(),
        )?;
    }
    let exit = crate::cmd::session::deliver(
        imported.toml.as_bytes(),
        plan.output.as_deref(),
        &[plan.input.as_path()],
        plan.voice,
        out,
        err,
    )?;
    if exit != Exit::Done {
        return Ok(exit);
    }
    let to_review = imported.leaves - imported.rules_read;
    let written = plan.output.as_deref().map_or_else(|| "standard output".to_string(), shown);
    writeln!(
        err,
        "wrote {written}: {} fields, {} scored items, max {}; a rule read from the text on {} of them, {to_review} left as points to review (marked \"# dòng …\")",
        imported.fields,
        imported.leaves,
        imported.max.normalize(),
        imported.rules_read,
    )?;
    Ok(Exit::Done)
}
