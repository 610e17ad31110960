//! Where a command writes, and in which format: `-o -` is standard output, and a
//! `--format` not given is the one the output file's extension names, so that
//! `-o ket-qua.xlsx` writes a workbook and never a text table in a file named `.xlsx`.

use crate::lang::Text;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use crate::report::Format;

/// The width a table printed to the screen fits in: `COLUMNS` where it is set (as shells
/// and `COLUMNS=100 parindex …` set it), else the terminal's, where standard output is
/// one; none for a file or a pipe, whose lines stay whole.
pub(super) fn screen_width(output: Option<&Path>) -> Option<usize> {
    if output.is_some() {
        return None;
    }
    let columns = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok());
    if let Some(columns) = columns.filter(|&c| c >= 20) {
        return Some(columns);
    }
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return None;
    }
    terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)).filter(|&w| w >= 20)
}

/// The file to write to; `None` for standard output (no `-o`, or `-o -`).
pub(super) fn output(path: Option<PathBuf>) -> Option<PathBuf> {
    path.filter(|p| p.as_os_str() != "-")
}

/// The format the extension of `path` names: `.csv`, `.json`, `.md`, `.xlsx`, `.html`
/// (or `.htm`), `.docx`, `.pdf`, in any case; `None` for any other (`.txt`, none).
pub(super) fn named_by(path: &Path) -> Option<Format> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "csv" => Some(Format::Csv),
        "json" => Some(Format::Json),
        "md" | "markdown" => Some(Format::Md),
        "xlsx" => Some(Format::Xlsx),
        "html" | "htm" => Some(Format::Html),
        "docx" => Some(Format::Docx),
        "pdf" => Some(Format::Pdf),
        _ => None,
    }
}

/// The format to write: `given` by `--format`, else the one the extension of `output`
/// names, else `default`. A usage error where the two disagree, or where the extension
/// names a format `command` does not write (one of `formats`).
pub(super) fn format(
    command: &str,
    given: Option<Format>,
    output: Option<&Path>,
    formats: &[Format],
    default: Format,
) -> Result<Format, Text> {
    let Some((path, named)) = output.and_then(|p| named_by(p).map(|f| (p, f))) else {
        return Ok(given.unwrap_or(default));
    };
    let extension = path.extension().unwrap_or_default().to_string_lossy();
    match given {
        Some(given) if given != named => {
            let (flag, path, (holds, holds_vi), (wanted, wanted_vi)) =
                (name(given), path.display(), what(named), what(given));
            Err(Text::new(
                format!(
                    "--format {flag} and -o {path} disagree: a .{extension} file holds {holds}\n\n  \
                     tip: leave out --format to write {holds}, or name the file for {wanted}"
                ),
                format!(
                    "--format {flag} và -o {path} không khớp nhau: tệp .{extension} chứa {holds_vi}\n\n  \
                     gợi ý: bỏ --format để ghi {holds_vi}, hoặc đặt tên tệp theo {wanted_vi}"
                ),
            ))
        }
        Some(given) => Ok(given),
        None if formats.contains(&named) => Ok(named),
        None => {
            let (path, (holds, holds_vi), flag) = (path.display(), what(named), name(named));
            let formats = formats.iter().map(|f| name(*f)).collect::<Vec<_>>().join(", ");
            Err(Text::new(
                format!(
                    "-o {path} names {holds} by its extension, and {command} does not write {flag}: it writes {formats}\n\n  \
                     tip: give --format, or name the file for one of those formats"
                ),
                format!(
                    "phần mở rộng của -o {path} là của {holds_vi}, mà lệnh {command} không ghi {flag}: lệnh này ghi {formats}\n\n  \
                     gợi ý: dùng --format, hoặc đặt tên tệp theo một trong các định dạng đó"
                ),
            ))
        }
    }
}

/// Why `parindex pdf -o PATH` is refused where the extension of `path` names another
/// format (`-o ket-qua.xlsx`): a PDF in a file named for a workbook opens in nothing.
pub(super) fn not_a_pdf(path: &Path, named: Format) -> Text {
    let (path, (holds, holds_vi)) = (path.display(), what(named));
    Text::new(
        format!(
            "-o {path} names {holds} by its extension, and parindex pdf writes a PDF document\n\n  \
             tip: name the file .pdf, or leave out -o to write the input's name with .pdf"
        ),
        format!(
            "phần mở rộng của -o {path} là của {holds_vi}, mà parindex pdf ghi tài liệu PDF\n\n  \
             gợi ý: đặt tên tệp đuôi .pdf, hoặc bỏ -o để ghi theo tên tệp đầu vào với đuôi .pdf"
        ),
    )
}

/// A format as `--format` takes it.
fn name(format: Format) -> String {
    format.to_possible_value().map(|v| v.get_name().to_string()).unwrap_or_default()
}

/// What a file in `format` holds, in a user's words: in English and in Vietnamese.
fn what(format: Format) -> (&'static str, &'static str) {
    match format {
        Format::Table => ("a text table", "bảng dạng văn bản"),
        Format::Csv => ("a CSV table", "bảng CSV"),
        Format::Json => ("JSON", "JSON"),
        Format::Md => ("Markdown", "Markdown"),
        Format::Xlsx => ("an Excel workbook", "tệp Excel"),
        Format::Html => ("a web page", "trang web"),
        Format::Docx => ("a Word document", "văn bản Word"),
        Format::Pdf => ("a PDF document", "tài liệu PDF"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: &[Format] =
        &[Format::Table, Format::Csv, Format::Json, Format::Md, Format::Xlsx, Format::Html];

    #[test]
    fn the_extension_names_the_format_unless_format_is_given() {
        let pick =
            |given, out: &str| format("score", given, Some(Path::new(out)), ALL, Format::Table);
        assert_eq!(pick(None, "ket-qua.xlsx"), Ok(Format::Xlsx));
        assert_eq!(pick(None, "KET-QUA.CSV"), Ok(Format::Csv));
        assert_eq!(pick(None, "bao-cao.htm"), Ok(Format::Html));
        assert_eq!(pick(None, "ket-qua.txt"), Ok(Format::Table));
        assert_eq!(pick(None, "ket-qua"), Ok(Format::Table));
        assert_eq!(pick(Some(Format::Md), "ket-qua.txt"), Ok(Format::Md));
        assert_eq!(pick(Some(Format::Csv), "ket-qua.csv"), Ok(Format::Csv));
        assert!(pick(Some(Format::Csv), "ket-qua.xlsx").is_err());
        assert_eq!(format("score", None, None, ALL, Format::Table), Ok(Format::Table));
        let template = [Format::Csv, Format::Xlsx];
        assert_eq!(
            format("template", None, Some(Path::new("mau.txt")), &template, Format::Csv),
            Ok(Format::Csv)
        );
        assert!(
            format("template", None, Some(Path::new("mau.md")), &template, Format::Csv).is_err()
        );
    }

    #[test]
    fn a_dash_is_standard_output() {
        assert_eq!(output(Some("-".into())), None);
        assert_eq!(output(Some("./-".into())), Some(PathBuf::from("./-")));
    }
}
