//! `parindex import`: a criteria table kept as a workbook, written as a criteria set file.

use std::io::Write;
use std::path::PathBuf;

use crate::diagnostic::{FileReport, Voice};
use crate::exit::Exit;
use crate::lang::Text;
use crate::read::file::shown;
use crate::tr;

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
            let errors = if count == 1 { "error" } else { "errors" };
            plan.voice.say(
                err,
                &tr!(
                    "{path}: {count} {errors}; nothing written",
                    "{path}: {count} lỗi; chưa ghi tệp nào"
                ),
            )?;
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
    let written = plan.output.as_deref().map_or_else(
        || tr!("standard output", "màn hình (đầu ra chuẩn)"),
        |path| Text::same(shown(path)),
    );
    let (fields, leaves, max, read) =
        (imported.fields, imported.leaves, imported.max.normalize(), imported.rules_read);
    plan.voice.say(
        err,
        &Text::new(
            format!(
                "wrote {}: {fields} fields, {leaves} scored items, max {max}; a rule read from the text on {read} of them, {to_review} left as points to review (marked \"# dòng …\")",
                written.en
            ),
            format!(
                "đã ghi {}: {fields} lĩnh vực, {leaves} mục chấm điểm, tối đa {max} điểm; đọc được quy tắc chấm từ nội dung của {read} mục, {to_review} mục để lại dạng điểm cần xem lại (đánh dấu \"# dòng …\")",
                written.vi
            ),
        ),
    )?;
    Ok(Exit::Done)
}
