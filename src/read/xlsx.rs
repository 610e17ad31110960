//! Excel workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods): the first visible sheet, read with
//! calamine and laid out as tab-separated text, one line per spreadsheet row, so that
//! every data file goes through one reader and messages name the sheet's row. A cell is
//! laid out as it shows in Excel: a percent-formatted 0.85 as `85%`, a date as
//! `2025-10-09`; the date cells are kept aside, since no value of a leaf is a date.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader, SheetType, SheetVisible, StyleRange, open_workbook_auto_from_rs};
use rust_decimal::Decimal;

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

/// Whether a path names a workbook rather than a text table.
pub fn is_workbook(path: &Path) -> bool {
    path.extension().and_then(|x| x.to_str()).is_some_and(|x| {
        ["xlsx", "xlsm", "xlsb", "xls", "ods"].contains(&x.to_ascii_lowercase().as_str())
    })
}

/// The sheet a workbook's table was read from, and its cells that held dates.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    /// (line, column) of the text → the date or time the cell held. Excel turns `9/10`
    /// typed into a cell into the 9th of October.
    pub dates: HashMap<(usize, usize), Date>,
}

/// A date or time a cell held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Date {
    /// As the text shows it: `2025-10-09`, `09:10`.
    pub shown: String,
    /// Its day and month, where it has them: what was likely typed (`9/10`) in
    /// Vietnamese settings, which write the day first.
    pub day_month: Option<(u8, u8)>,
}

impl Sheet {
    /// The date a cell held, by its line and column in the text.
    pub fn date_at(&self, line: usize, column: usize) -> Option<&Date> {
        self.dates.get(&(line, column))
    }
}

/// A column's letters, as Excel names it: 0 is A, 26 is AA.
pub fn column_letters(column: usize) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + u8::try_from(rem).unwrap_or(0));
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// The first visible worksheet as text: cells separated by tabs, rows by line breaks,
/// quoted where a cell holds a tab, a line break or a quote. Line n is the sheet's row n,
/// column n its column n. A hidden sheet (an earlier year's figures, a list for drop-downs)
/// is not what the person who filled the workbook saw, and is passed over.
pub fn to_text(path: String, bytes: &[u8]) -> Result<(SourceFile, Sheet), Box<Diagnostic>> {
    if bytes.is_empty() {
        return Err(Box::new(
            Diagnostic::error(
                "empty-table",
                format!("{path} is empty: it has no sheet, no header and no rows"),
            )
            .help("save the workbook again from Excel, or export the sheet as CSV"),
        ));
    }
    let digest = crate::source::sha256(bytes);
    // Text saved under a workbook's name is told apart from a workbook that is damaged.
    let text = crate::read::encoding::refuse_binary(&path, bytes).is_ok();
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
    if let Some((part, why)) = damaged_part(bytes) {
        return Err(Box::new(
            Diagnostic::error(
                "unreadable-table",
                format!("{path} is a damaged workbook: its part {part} {why}"),
            )
            .help("it was damaged in copying or sending, and its figures cannot be trusted: open it in Excel, which offers to repair it, check the figures and save it again, or ask for the file again"),
        ));
    }
    let sheets = book.sheets_metadata();
    let worksheet = |s: &&calamine::Sheet| s.typ == SheetType::WorkSheet;
    let Some(name) = sheets
        .iter()
        .filter(worksheet)
        .find(|s| s.visible == SheetVisible::Visible)
        .or_else(|| sheets.iter().find(worksheet))
        .or_else(|| sheets.first())
        .map(|s| s.name.clone())
    else {
        return Err(fail("it has no sheet".into()));
    };
    let range = book.worksheet_range(&name).map_err(|e| fail(e.to_string()))?;
    // Number formats: only .xlsx has them read; other workbooks give none.
    let styles = book.worksheet_style(&name).map_err(|e| fail(e.to_string()))?;
    let mut sheet = Sheet { name, dates: HashMap::new() };
    let mut text = String::new();
    if let Some((first_row, first_col)) = range.start() {
        // Rows and columns before the used range keep their place.
        for _ in 0..first_row {
            text.push('\n');
        }
        for (r, row) in (first_row..).zip(range.rows()) {
            let mut line = "\t".repeat(first_col as usize);
            for (c, cell) in (first_col..).zip(row) {
                if c > first_col {
                    line.push('\t');
                }
                let shown = cell_text(cell, &styles, (r, c));
                line.push_str(&quoted(&shown));
                let day_month = match cell {
                    Data::DateTime(d) if d.as_f64() >= 1.0 => {
                        let (_, month, day, ..) = d.to_ymd_hms_milli();
                        Some((day, month))
                    }
                    Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => None,
                    _ => continue,
                };
                sheet.dates.insert((r as usize + 1, c as usize), Date { shown, day_month });
            }
            text.push_str(line.trim_end_matches('\t'));
            text.push('\n');
        }
    }
    let mut source = SourceFile::new(path, crate::text::nfc(&text));
    source.sha256 = digest;
    Ok((source, sheet))
}

/// The first part of a zip-based workbook (.xlsx, .xlsm, .xlsb, .ods) whose bytes do not
/// read back whole, with what is wrong with it. calamine reads a part only as far as it
/// needs and does not check it against its checksum, so a workbook damaged in copying
/// can read as figures no one typed: every part is read to its end here, which checks it.
fn damaged_part(bytes: &[u8]) -> Option<(String, String)> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    // A zip that cannot be opened is one calamine could not open either.
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    for i in 0..zip.len() {
        let mut part = match zip.by_index(i) {
            Ok(part) => part,
            // A part packed in a way this reader does not know is one calamine does not
            // read either; had it needed it, it would have failed.
            Err(zip::result::ZipError::UnsupportedArchive(_)) => continue,
            Err(e) => return Some((format!("number {}", i + 1), format!("cannot be read: {e}"))),
        };
        let name =
            part.name().map_or_else(|_| format!("number {}", i + 1), |n| crate::text::quote(&n));
        match std::io::copy(&mut part, &mut std::io::sink()) {
            Ok(_) => {}
            Err(e) if e.to_string().to_lowercase().contains("checksum") => {
                return Some((name, "does not match its checksum".into()));
            }
            Err(e) => return Some((name, format!("cannot be read: {e}"))),
        }
    }
    None
}

/// A cell as it shows in Excel and as a person would type it: whole numbers without a
/// decimal point, other numbers in their shortest exact decimal form, a number formatted
/// as a percent with its percent sign (0.85 shows as 85%), a date as 2025-10-09.
fn cell_text(cell: &Data, styles: &StyleRange, at: (u32, u32)) -> String {
    let percent = || {
        styles
            .get(at)
            .and_then(|s| s.number_format.as_ref())
            .is_some_and(|f| is_percent_format(&f.format_code))
    };
    match cell {
        Data::Float(f) if percent() => percent_text(&f.to_string()).unwrap_or_else(|| plain(*f)),
        Data::Int(i) if percent() => percent_text(&i.to_string()).unwrap_or_else(|| i.to_string()),
        Data::Float(f) => plain(*f),
        Data::DateTime(d) => {
            let (y, mo, day, h, mi, s, _) = d.to_ymd_hms_milli();
            let time =
                if s > 0 { format!("{h:02}:{mi:02}:{s:02}") } else { format!("{h:02}:{mi:02}") };
            if d.as_f64() < 1.0 && d.as_f64() >= 0.0 {
                // A time of day alone (9:10), or a duration.
                time
            } else if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{day:02}")
            } else {
                format!("{y:04}-{mo:02}-{day:02} {time}")
            }
        }
        other => other.to_string(),
    }
}

/// A number as typed: without a decimal point when it is whole.
fn plain(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 { format!("{f:.0}") } else { f.to_string() }
}

/// A number written as a fraction (`0.85`, its shortest form) as the percent it shows as,
/// exactly: `85%`. `None` when it has more digits than a figure holds.
fn percent_text(number: &str) -> Option<String> {
    let n = Decimal::from_str_exact(number).ok()?;
    Some(format!("{}%", n.checked_mul(Decimal::ONE_HUNDRED)?.normalize()))
}

/// Whether an Excel number format shows its number as a percent: a `%` in its first
/// section, outside quoted text, escapes and brackets (`0%`, `0.00%`, `#,##0.0%;-0%`).
fn is_percent_format(code: &str) -> bool {
    let (mut quoted, mut escaped, mut bracket) = (false, false, false);
    for c in code.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '"' => quoted = !quoted,
            _ if quoted => {}
            '\\' | '_' | '*' => escaped = true,
            '[' => bracket = true,
            ']' => bracket = false,
            '%' if !bracket => return true,
            ';' => return false,
            _ => {}
        }
    }
    false
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
        let none = StyleRange::empty();
        let text = |d: Data| cell_text(&d, &none, (0, 0));
        assert_eq!(text(Data::Float(2.0)), "2");
        assert_eq!(text(Data::Float(0.1)), "0.1");
        assert_eq!(text(Data::Float(0.94)), "0.94");
        assert_eq!(text(Data::String("Có".into())), "Có");
        assert_eq!(quoted("a\tb"), "\"a\tb\"");
    }

    #[test]
    fn percents_read_as_they_show() {
        assert_eq!(percent_text("0.85").as_deref(), Some("85%"));
        assert_eq!(percent_text("0.945").as_deref(), Some("94.5%"));
        assert_eq!(percent_text("1").as_deref(), Some("100%"));
        assert_eq!(percent_text("0.1234567").as_deref(), Some("12.34567%"));
        for code in ["0%", "0.00%", "#,##0.0%;-0%", "0%\" đạt\""] {
            assert!(is_percent_format(code), "{code}");
        }
        for code in ["General", "0.00", "0\"%\"", "0\\%", "0;0%", "[%]0"] {
            assert!(!is_percent_format(code), "{code}");
        }
    }

    #[test]
    fn dates_read_as_dates() {
        use calamine::{ExcelDateTime, ExcelDateTimeType};
        let none = StyleRange::empty();
        let date = |v: f64| {
            cell_text(
                &Data::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false)),
                &none,
                (0, 0),
            )
        };
        // 9/10 typed in Vietnamese settings: the 9th of October.
        assert_eq!(date(45939.0), "2025-10-09");
        assert_eq!(date(45939.5), "2025-10-09 12:00");
        assert_eq!(date(0.381_944_444_444_444_4), "09:10");
    }

    #[test]
    fn columns_are_named_by_their_letters() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(2), "C");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(16_383), "XFD");
    }
}
