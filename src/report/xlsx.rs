//! Excel workbooks: a header row in bold, frozen panes, figures as numbers shown with
//! the set's decimals, and text that Excel would run as a formula neutralised.

use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Format, Workbook, Worksheet, XlsxError};

use super::escape;
use super::explain::Explain;
use super::{Lang, Report};

/// The most rows and columns an Excel worksheet holds.
pub(crate) const MAX_ROWS: usize = 1_048_576;
pub(crate) const MAX_COLUMNS: usize = 16_384;

/// Why a workbook cannot be written, in words for the user: a table larger than a
/// worksheet holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unwritable(pub String);

impl std::fmt::Display for Unwritable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<XlsxError> for Unwritable {
    fn from(e: XlsxError) -> Self {
        Unwritable(match e {
            XlsxError::ParameterError(text) => text,
            e => format!("the workbook cannot be written: {e}"),
        })
    }
}

/// Refuses a table larger than a worksheet, before anything is written.
pub(crate) fn fits(name: &str, rows: usize, columns: usize) -> Result<(), XlsxError> {
    if rows < MAX_ROWS && columns <= MAX_COLUMNS {
        return Ok(());
    }
    Err(XlsxError::ParameterError(format!(
        "the sheet \"{name}\" would need {} rows and {columns} columns, but an Excel sheet holds \
         {MAX_ROWS} rows and {MAX_COLUMNS} columns: write --format csv instead, or one group at a \
         time (--group)",
        rows + 1
    )))
}

/// Formats shared by a workbook's sheets.
pub(crate) struct Styles {
    header: Format,
    number: Format,
}

impl Styles {
    pub(crate) fn new(decimals: u32) -> Self {
        let places = if decimals == 0 {
            String::new()
        } else {
            format!(".{}", "0".repeat(decimals as usize))
        };
        Styles {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0x00DD_E6F0))
                .set_text_wrap(),
            number: Format::new().set_num_format(format!("0{places}")),
        }
    }
}

/// A value for a cell: text, or a figure shown with the set's decimals.
pub(crate) enum Cell<'a> {
    Text(&'a str),
    Figure(Decimal),
    Whole(usize),
    Empty,
}

/// Writes a table: the header, then the rows; freezes the header and the first
/// `frozen_columns` columns, and sizes the columns to their contents.
pub(crate) fn sheet(
    book: &mut Workbook,
    name: &str,
    header: &[String],
    rows: &[Vec<Cell<'_>>],
    frozen_columns: u16,
    styles: &Styles,
) -> Result<(), XlsxError> {
    fits(name, rows.len(), header.len().max(rows.iter().map(Vec::len).max().unwrap_or(0)))?;
    let taken: Vec<String> = book.worksheets().iter().map(Worksheet::name).collect();
    let ws: &mut Worksheet = book.add_worksheet();
    ws.set_name(sheet_name(name, &taken))?;
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, col(c), escape::cell(h).as_ref(), &styles.header)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (c, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text(t) => {
                    ws.write_string(r, col(c), escape::cell(t).as_ref())?;
                }
                Cell::Figure(d) => {
                    let v: f64 = d.to_string().parse().unwrap_or(0.0);
                    ws.write_number_with_format(r, col(c), v, &styles.number)?;
                }
                Cell::Whole(n) => {
                    ws.write_number(r, col(c), u32::try_from(*n).unwrap_or(u32::MAX))?;
                }
                Cell::Empty => {}
            }
        }
    }
    ws.set_freeze_panes(1, frozen_columns)?;
    ws.autofit();
    Ok(())
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// A name Excel takes for a sheet, and unlike the names `taken` (Excel compares them
/// without case: groups "so-nganh" and "So-nganh" are two sheets): at most 31 UTF-16
/// units, none of `[]:*?/\\`, no apostrophe first or last; " (2)", " (3)" … added where
/// the name is taken.
fn sheet_name(name: &str, taken: &[String]) -> String {
    let clean: String =
        name.chars().map(|c| if "[]:*?/\\".contains(c) { '-' } else { c }).collect();
    let taken: std::collections::HashSet<String> = taken.iter().map(|t| t.to_lowercase()).collect();
    // Of as many numbers as there are names and one more, one gives a name not taken.
    (1..=taken.len() + 1)
        .map(|n| {
            let suffix = if n == 1 { String::new() } else { format!(" ({n})") };
            let (mut fitted, mut units) = (String::new(), suffix.len());
            for c in clean.chars() {
                units += c.len_utf16();
                if units > 31 {
                    break;
                }
                fitted.push(c);
            }
            let fitted = fitted.trim_matches('\'');
            format!("{}{suffix}", if fitted.is_empty() { "-" } else { fitted })
        })
        .find(|candidate| !taken.contains(&candidate.to_lowercase()))
        .expect("some number is free")
}

/// The workbook's bytes. Its creation time is fixed, so that the same inputs give the
/// same bytes (Excel shows it under File > Info; the inputs' digests date a result
/// better than a clock does); `properties` go into its custom document properties.
pub(crate) fn finish(book: &mut Workbook, properties: &[(String, String)]) -> Vec<u8> {
    let epoch = rust_xlsxwriter::ExcelDateTime::from_ymd(2000, 1, 1).expect("a valid date");
    let mut doc = rust_xlsxwriter::DocProperties::new().set_creation_datetime(&epoch);
    for (name, value) in properties {
        doc = doc.set_custom_property(name.as_str(), value.as_str());
    }
    book.set_properties(&doc);
    book.save_to_buffer().expect("a workbook in memory can always be written")
}

/// `score --format xlsx`: a sheet per group with the ranked table, then a sheet per
/// field with every agency's points on each of its sub-criteria, then each agency's rank
/// in each field. A group's sheet is named by its display name, or "Nhóm ID" where it has
/// none (cut to the 31 characters Excel allows).
pub(crate) fn score(report: &Report<'_>) -> Result<Vec<u8>, Unwritable> {
    let set = report.set();
    let d = set.decimals;
    let styles = Styles::new(d);
    let mut book = Workbook::new();
    let w = report.lang.words();
    let header = report.columns();
    let groups = report.groups();
    let build = |book: &mut Workbook| -> Result<(), XlsxError> {
        for (group, lines) in &groups {
            let rows: Vec<Vec<Cell<'_>>> = lines
                .iter()
                .map(|l| {
                    let mut row = vec![
                        l.rank.map_or(Cell::Empty, Cell::Whole),
                        Cell::Text(&l.agency.id),
                        Cell::Text(&l.agency.name),
                    ];
                    row.extend(l.fields.iter().map(|f| f.map_or(Cell::Empty, Cell::Figure)));
                    if report.has_kind(crate::model::criteria::Kind::Bonus) {
                        row.push(Cell::Figure(l.bonus));
                    }
                    if report.has_kind(crate::model::criteria::Kind::Deduction) {
                        row.push(Cell::Figure(l.deduction));
                    }
                    row.push(Cell::Figure(l.points));
                    row.push(Cell::Figure(l.max));
                    row.push(l.index.map_or(Cell::Empty, Cell::Figure));
                    row.push(l.grade.map_or(Cell::Empty, Cell::Text));
                    row
                })
                .collect();
            let label = report.group_label(group);
            let name =
                if label == *group { format!("{} {group}", w.group) } else { label.to_string() };
            sheet(book, &name, &header, &rows, 3, &styles)?;
            if let Some(note) = report.footnote() {
                // Below the table, after the columns were sized, so it widens none.
                let last = book.worksheets().len() - 1;
                let ws = book.worksheet_from_index(last)?;
                let row = u32::try_from(rows.len() + 2).unwrap_or(u32::MAX);
                ws.write_string(row, 0, note)?;
            }
        }
        for &field in &report.fields() {
            let leaves: Vec<usize> =
                set.leaves().map(|(id, _, _)| id).filter(|&id| top(set, id) == field).collect();
            let mut head = vec![w.id.to_string(), w.agency.to_string(), w.group.to_string()];
            head.extend(leaves.iter().map(|&id| set.nodes[id].code.clone()));
            head.extend([w.points, w.max, w.sub_index].map(String::from));
            let mut rows = Vec::new();
            for (group, lines) in &groups {
                for l in lines {
                    let s = &report.results.agencies[l.result].score;
                    let mut row = vec![
                        Cell::Text(&l.agency.id),
                        Cell::Text(&l.agency.name),
                        Cell::Text(report.group_label(group)),
                    ];
                    for &id in &leaves {
                        let n = &s.nodes[id];
                        row.push(if n.applicable {
                            Cell::Figure(n.points.round(d))
                        } else {
                            Cell::Empty
                        });
                    }
                    let f = &s.nodes[field];
                    row.push(if f.applicable {
                        Cell::Figure(f.points.round(d))
                    } else {
                        Cell::Empty
                    });
                    row.push(if f.applicable { Cell::Figure(f.max.round(d)) } else { Cell::Empty });
                    row.push(f.sub_index().map_or(Cell::Empty, |x| Cell::Figure(x.round(d))));
                    rows.push(row);
                }
            }
            let name = format!("{} {}", w.field, set.nodes[field].code);
            sheet(book, &name, &head, &rows, 2, &styles)?;
        }
        field_ranks(book, report, &groups, &styles)
    };
    build(&mut book)?;
    Ok(finish(&mut book, &report.audit.map(crate::audit::Audit::properties).unwrap_or_default()))
}

/// The sheet of each agency's rank in each field: id, agency, group, its rank, then its
/// rank on each field (empty where nothing in the field applies), group by group.
fn field_ranks(
    book: &mut Workbook,
    report: &Report<'_>,
    groups: &[(&str, Vec<super::Line<'_>>)],
    styles: &Styles,
) -> Result<(), XlsxError> {
    let w = report.lang.words();
    let mut head = [w.id, w.agency, w.group, w.rank].map(String::from).to_vec();
    head.extend(report.fields().iter().map(|&f| report.set().nodes[f].code.clone()));
    let rows: Vec<Vec<Cell<'_>>> = groups
        .iter()
        .flat_map(|(group, lines)| {
            lines.iter().map(|l| {
                let mut row = vec![
                    Cell::Text(&l.agency.id),
                    Cell::Text(&l.agency.name),
                    Cell::Text(report.group_label(group)),
                    l.rank.map_or(Cell::Empty, Cell::Whole),
                ];
                row.extend(l.field_ranks.iter().map(|r| r.map_or(Cell::Empty, Cell::Whole)));
                row
            })
        })
        .collect();
    sheet(book, w.field_ranks, &head, &rows, 2, styles)
}

/// Rows of text as cells: the `numeric` columns as figures where they read as one.
fn as_cells<'r>(rows: &'r [Vec<String>], numeric: &[usize]) -> Vec<Vec<Cell<'r>>> {
    rows.iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .map(|(i, text)| {
                    let figure = numeric
                        .contains(&i)
                        .then(|| text.replace(',', ".").parse::<Decimal>().ok())
                        .flatten();
                    match figure {
                        Some(d) => Cell::Figure(d),
                        None if text.is_empty() => Cell::Empty,
                        None => Cell::Text(text),
                    }
                })
                .collect()
        })
        .collect()
}

/// `explain --format xlsx`: "where to gain", then every node.
pub(crate) fn explain(view: &Explain<'_>) -> Result<Vec<u8>, Unwritable> {
    let styles = Styles::new(view.round.set.decimals);
    let mut book = Workbook::new();
    let (gain_head, gains) = view.gain_rows();
    let (detail_head, details) = view.detail_rows();
    let (gains_name, detail_name) = match view.lang {
        Lang::Vi => ("Nơi có thể tăng điểm", "Chi tiết"),
        Lang::En => ("Where to gain", "Every node"),
    };
    let build = |book: &mut Workbook| -> Result<(), XlsxError> {
        sheet(book, gains_name, &gain_head, &as_cells(&gains, &[0, 3, 4]), 3, &styles)?;
        sheet(book, detail_name, &detail_head, &as_cells(&details, &[2, 3, 4, 5, 6]), 2, &styles)?;
        Ok(())
    };
    build(&mut book)?;
    Ok(finish(&mut book, &[]))
}

fn top(set: &crate::model::criteria::CriteriaSet, mut id: usize) -> usize {
    while let Some(p) = set.nodes[id].parent {
        id = p;
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_ones_excel_takes() {
        assert_eq!(sheet_name("Nhóm so-nganh/2025: [a]", &[]), "Nhóm so-nganh-2025- -a-");
    }

    #[test]
    fn sheet_names_are_valid_and_unique_without_case() {
        let taken = vec!["Nhóm so-nganh".to_string()];
        assert_eq!(sheet_name("Nhóm so-ngaNh", &taken), "Nhóm so-ngaNh (2)");
        let long = "Nhóm sở-ban-ngành-thành-phố-hà-nội";
        let first = sheet_name(long, &[]);
        assert_eq!(first.encode_utf16().count(), 31);
        let second = sheet_name(long, std::slice::from_ref(&first));
        assert!(second.ends_with(" (2)") && second.encode_utf16().count() <= 31, "{second}");
        // Characters outside the Basic Multilingual Plane take two of the 31 units.
        let wide = sheet_name(&"𝔸".repeat(40), &[]);
        assert_eq!(wide.encode_utf16().count(), 30);
        assert_eq!(sheet_name("'Nhóm'", &[]), "Nhóm");
        assert_eq!(sheet_name("''", &[]), "-");
        // Each one is a name Excel takes.
        let mut book = Workbook::new();
        for name in [first, second, wide, sheet_name("Nhóm so-ngaNh", &taken)] {
            book.add_worksheet().set_name(name).unwrap();
        }
        assert!(book.save_to_buffer().is_ok());
    }
}
