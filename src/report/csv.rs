//! CSV: one row per agency, the rounded figures and the exact index, for spreadsheets and
//! scripts. Written with a UTF-8 byte-order mark so that Excel shows Vietnamese text.
//! The group is its id (`group`) and the name it is shown by (`group_name`); each field's
//! points are followed by the agency's rank on each field in its group (`rank_CODE`).
//!
//! In the Vietnamese form ([`CsvForm::Vi`], `--lang vi`), for Excel under Vietnamese
//! regional settings, the same columns in the same order hold the same figures, headed by
//! the words the tables use, with `;` between cells and decimal commas. A field's column
//! keeps its code: the tables and the workbook head it so too (the workbook puts the
//! names in a second header row, which a CSV has no room for). This file also holds what
//! the views' CSV (`grid.rs`) shares: the writer of each form and the headers that name
//! an agency and its group.

use std::fmt::Write as _;

use rayon::prelude::*;
use rust_decimal::Decimal;

use super::{CsvForm, Lang, Report};
use crate::model::criteria::Kind;

/// The byte-order mark every CSV starts with: without it Excel reads UTF-8 as the
/// Windows code page and garbles the Vietnamese letters.
pub(super) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A writer of `form`, writing after `start`.
pub(super) fn writer(form: CsvForm, start: Vec<u8>) -> ::csv::Writer<Vec<u8>> {
    ::csv::WriterBuilder::new().delimiter(form.delimiter()).from_writer(start)
}

/// `number`, as Rust writes it (`-85.20`), given `form`'s decimal mark, in place.
pub(super) fn mark(number: &mut String, form: CsvForm) {
    let mark = form.decimal_mark();
    if mark != '.'
        && let Some(at) = number.find('.')
    {
        number.replace_range(at..=at, mark.encode_utf8(&mut [0; 4]));
    }
}

/// The Vietnamese header of a column that names an agency or its group, under its `key`,
/// in every CSV: as an agencies file heads these columns (parindex reads them by these
/// names). The grids' tables call the id plainly "Mã" and show the group by its name
/// alone; a CSV holds the group's id and its name side by side, so each needs its own.
pub(super) fn identity_header(key: &str) -> Option<&'static str> {
    match key {
        "agency" => Some("Mã đơn vị"),
        "group" => Some(Lang::Vi.words().group),
        "group_name" => Some("Tên nhóm"),
        _ => None,
    }
}

/// The header row in `form`: each column's key, or its Vietnamese header.
fn header(report: &Report<'_>, form: CsvForm) -> Vec<String> {
    let set = report.set();
    let fields = report.fields();
    let w = Lang::Vi.words();
    let identity = |key: &str| identity_header(key).unwrap_or_default();
    let mut columns: Vec<(String, String)> = [
        ("agency", identity("agency")),
        ("name", w.agency),
        ("group", identity("group")),
        ("group_name", identity("group_name")),
        ("rank", w.rank),
        ("index", w.index),
        ("index_exact", "Chỉ số chính xác (%)"),
        ("grade", w.grade),
        ("points", w.points),
        ("max", w.max),
    ]
    .map(|(key, vi)| (key.to_string(), vi.to_string()))
    .to_vec();
    if report.has_kind(Kind::Bonus) {
        columns.push(("bonus".into(), w.bonus.into()));
    }
    if report.has_kind(Kind::Deduction) {
        columns.push(("deduction".into(), w.deduction.into()));
    }
    let codes = || fields.iter().map(|&f| set.nodes[f].code.as_str());
    columns.extend(codes().map(|code| (code.to_string(), code.to_string())));
    // "Hạng lĩnh vực 1": "Hạng 1" alone would read as first place.
    let field = w.field.to_lowercase();
    columns
        .extend(codes().map(|code| (format!("rank_{code}"), format!("{} {field} {code}", w.rank))));
    columns.push(("index_self".into(), "Chỉ số tự đánh giá (%)".into()));
    columns.push(("unranked".into(), w.unranked.into()));
    columns
        .into_iter()
        .map(|(key, vi)| match form {
            CsvForm::Keys => key,
            CsvForm::Vi => vi,
        })
        .collect()
}

pub(super) fn render(report: &Report<'_>) -> Vec<u8> {
    let form = report.csv;
    let d = report.set().decimals;
    let mut head = writer(form, BOM.to_vec());
    write(&mut head, &header(report, form));
    let bonus = report.has_kind(Kind::Bonus);
    let deduction = report.has_kind(Kind::Deduction);
    // Why an agency is not ranked: a key for scripts, words for people.
    let nothing_applies = match form {
        CsvForm::Keys => "nothing-applies",
        CsvForm::Vi => Lang::Vi.words().nothing_applies,
    };
    let mut out = head.into_inner().unwrap_or_default();
    // Every line of every group in order: a ministry-wide round has thousands of small
    // groups, and the lines are written in chunks on every core, each chunk into one
    // buffer, then joined in order.
    let groups = report.groups();
    let lines: Vec<(&str, &super::Line<'_>)> =
        groups.iter().flat_map(|(g, lines)| lines.iter().map(move |l| (*g, l))).collect();
    let chunks: Vec<Vec<u8>> = lines
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut row = Row {
                writer: writer(form, Vec::with_capacity(chunk.len() * 160)),
                scratch: String::new(),
                places: d,
                form,
            };
            for &(group, line) in chunk {
                row.text(&line.agency.id);
                row.text(&line.agency.name);
                row.text(group);
                row.text(report.group_label(group));
                row.shown(line.rank);
                row.figure(line.index);
                row.shown(line.index_exact);
                row.text(line.grade.unwrap_or_default());
                row.figure(Some(line.points));
                row.figure(Some(line.max));
                if bonus {
                    row.figure(Some(line.bonus));
                }
                if deduction {
                    row.figure(Some(line.deduction));
                }
                for f in &line.fields {
                    row.figure(*f);
                }
                for &r in line.field_ranks {
                    row.shown(r);
                }
                row.figure(line.index_self);
                row.text(if line.index.is_none() { nothing_applies } else { "" });
                row.end();
            }
            row.writer.into_inner().unwrap_or_default()
        })
        .collect();
    for chunk in chunks {
        out.extend_from_slice(&chunk);
    }
    out
}

/// Lines written at a time on one core.
const CHUNK: usize = 512;

/// One chunk's rows, written cell by cell without a string per cell.
struct Row {
    writer: ::csv::Writer<Vec<u8>>,
    scratch: String,
    places: u32,
    form: CsvForm,
}

impl Row {
    fn cell(&mut self, bytes: &[u8]) {
        // Writing to memory cannot fail.
        self.writer.write_field(bytes).expect("writing CSV to memory");
    }

    /// A text, kept from being read as a formula.
    fn text(&mut self, text: &str) {
        self.cell(super::escape::formula(text).as_bytes());
    }

    /// A figure to the set's decimals; empty for none.
    fn figure(&mut self, v: Option<Decimal>) {
        self.shown(v.map(|mut v| {
            v.rescale(self.places);
            v
        }));
    }

    /// A number as it is displayed, with the form's decimal mark, through one reused
    /// string; empty for none.
    fn shown(&mut self, v: Option<impl std::fmt::Display>) {
        let mut text = std::mem::take(&mut self.scratch);
        text.clear();
        if let Some(v) = v {
            // Formatting into a string cannot fail.
            let _ = write!(text, "{v}");
            mark(&mut text, self.form);
        }
        self.cell(text.as_bytes());
        self.scratch = text;
    }

    fn end(&mut self) {
        self.writer.write_record(None::<&[u8]>).expect("writing CSV to memory");
    }
}

fn write(writer: &mut ::csv::Writer<Vec<u8>>, row: &[String]) {
    // Writing to memory cannot fail.
    writer.write_record(row).expect("writing CSV to memory");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_take_the_forms_decimal_mark() {
        for (number, keys, vi) in
            [("85.20", "85.20", "85,20"), ("-0.5", "-0.5", "-0,5"), ("12", "12", "12")]
        {
            let (mut k, mut v) = (number.to_string(), number.to_string());
            mark(&mut k, CsvForm::Keys);
            mark(&mut v, CsvForm::Vi);
            assert_eq!((k.as_str(), v.as_str()), (keys, vi));
        }
    }

    #[test]
    fn a_cell_holding_the_delimiter_is_quoted() {
        let mut w = writer(CsvForm::Vi, BOM.to_vec());
        w.write_record(["Sở, ban, ngành", "a;b", "85,20"]).unwrap();
        let out = w.into_inner().unwrap();
        assert_eq!(out, "\u{feff}Sở, ban, ngành;\"a;b\";85,20\n".as_bytes());
    }
}
