//! `parindex pdf FILE`: a report as PDF, printed by the converter that reads it —
//! Chromium for the HTML report, LibreOffice for Word documents and workbooks.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cmd::session::{deliver, read_limited};
use crate::diagnostic::Voice;
use crate::exit::Exit;
use crate::lang::Text;
use crate::pdf::{self, Converter};
use crate::tr;

#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub input: PathBuf,
    /// As typed: `None` for the input's name with `.pdf`, `-` for standard output.
    pub output: Option<PathBuf>,
    pub voice: Voice,
}

pub(crate) fn run(plan: &Plan, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<Exit> {
    let shown = plan.input.display();
    let extension = plan
        .input
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let converter = match extension.as_str() {
        "html" | "htm" => Converter::Chromium,
        "docx" | "xlsx" | "odt" | "ods" => Converter::LibreOffice,
        _ => {
            plan.voice.error(
                err,
                &tr!(
                    "{shown}: parindex pdf prints an HTML report (.html), a Word document (.docx) or a workbook (.xlsx), not a .{extension} file",
                    "{shown}: parindex pdf in báo cáo HTML (.html), văn bản Word (.docx) hoặc tệp Excel (.xlsx), không in tệp .{extension}"
                ),
            )?;
            return Ok(Exit::BadInput);
        }
    };
    let bytes = match read_limited(&plan.input) {
        Ok(bytes) => bytes,
        Err(e) => {
            plan.voice
                .error(err, &tr!("{shown} cannot be read: {e}", "không đọc được {shown}: {e}"))?;
            return Ok(Exit::BadInput);
        }
    };
    let made = match converter {
        Converter::Chromium => pdf::from_html(&bytes),
        Converter::LibreOffice => {
            let name = shown.to_string();
            pdf::from_office(&[(name, &bytes)], &extension).map(|mut pdfs| pdfs.remove(0))
        }
    };
    let made = match made {
        Ok(made) => made,
        Err(failure) => {
            plan.voice.error(err, &Text::same(format!("{shown}: ")).join("", &failure.text()))?;
            return Ok(Exit::BadInput);
        }
    };
    let output: Option<PathBuf> = match &plan.output {
        None => Some(plan.input.with_extension("pdf")),
        Some(p) if p.as_os_str() == "-" => None,
        Some(p) => Some(p.clone()),
    };
    let inputs: [&Path; 1] = [&plan.input];
    deliver(&made, output.as_deref(), &inputs, plan.voice, out, err)
}
