//! Excel workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods): the first sheet, read with calamine
//! and laid out as tab-separated text, one line per spreadsheet row, so that every data
//! file goes through one reader and messages name the sheet's row.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto_from_rs};

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

/// Whether a path names a workbook rather than a text table.
pub fn is_workbook(path: &Path) -> bool {
    path.extension().and_then(|x| x.to_str()).is_some_and(|x| {
        ["xlsx", "xlsm", "xlsb", "xls", "ods"].contains(&x.to_ascii_lowercase().as_str())
    })
}

/// The first sheet as text: cells separated by tabs, rows by line breaks, quoted where a
/// cell holds a tab, a line break or a quote. Line n is the sheet's row n.
pub fn to_text(path: String, bytes: Vec<u8>) -> Result<SourceFile, Box<Diagnostic>> {
    if bytes.is_empty() {
        return Err(Box::new(
            Diagnostic::error(
                "empty-table",
                format!("{path} is empty: it has no sheet, no header and no rows"),
            )
            .help("save the workbook again from Excel, or export the sheet as CSV"),
        ));
    }
    let digest = crate::source::sha256(&bytes);
    // Text saved under a workbook's name is told apart from a workbook that is damaged.
    let text = crate::read::encoding::refuse_binary(&path, &bytes).is_ok();
    let fail = |why: String| {
        let help = if text {
            "it holds text, not a workbook: give it back its .csv name"
        } else {
            "it is not a workbook, or one damaged or cut short: save it again from Excel as .xlsx, or export the sheet as CSV"
        };
        Box::new(
            Diagnostic::error(
                "unreadable-table",
                format!("{path} cannot be read as a workbook: {why}"),
            )
            .help(help),
        )
    };
    let mut book =
        open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| fail(e.to_string()))?;
    let range = match book.worksheet_range_at(0) {
        Some(Ok(range)) => range,
        Some(Err(e)) => return Err(fail(e.to_string())),
        None => return Err(fail("it has no sheet".into())),
    };
    let mut text = String::new();
    if let Some((first_row, first_col)) = range.start() {
        // Rows and columns before the used range keep their place.
        for _ in 0..first_row {
            text.push('\n');
        }
        for row in range.rows() {
            let mut line = "\t".repeat(first_col as usize);
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    line.push('\t');
                }
                line.push_str(&quoted(&cell_text(cell)));
            }
            text.push_str(line.trim_end_matches('\t'));
            text.push('\n');
        }
    }
    let mut source = SourceFile::new(path, crate::text::nfc(&text));
    source.sha256 = digest;
    Ok(source)
}

/// A cell as a person would type it: whole numbers without a decimal point, other numbers
/// in their shortest exact decimal form.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        other => other.to_string(),
    }
}

fn quoted(text: &str) -> String {
    if text.contains(['\t', '\n', '\r', '"']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_as_typed() {
        assert_eq!(cell_text(&Data::Float(2.0)), "2");
        assert_eq!(cell_text(&Data::Float(0.1)), "0.1");
        assert_eq!(cell_text(&Data::Float(0.94)), "0.94");
        assert_eq!(cell_text(&Data::String("Có".into())), "Có");
        assert_eq!(quoted("a\tb"), "\"a\tb\"");
    }
}
