//! Excel workbooks, made to be read on screen and printed: each table under titles that
//! say what it is, a header that names the fields and criteria beside their codes,
//! figures as numbers shown with the set's decimals, A4 landscape one page wide with the
//! header on every page; and text that Excel would run as a formula neutralised.

use std::collections::HashMap;

use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::escape;
use super::{Lang, Report};
use crate::lang::Text;
use crate::tr;

/// The most rows and columns an Excel worksheet holds.
pub(crate) const MAX_ROWS: usize = 1_048_576;
pub(crate) const MAX_COLUMNS: usize = 16_384;

/// Why a workbook cannot be written, in words for the user: a table larger than a
/// worksheet holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unwritable(pub Text);

/// The English wording, as logs read it.
impl std::fmt::Display for Unwritable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.en)
    }
}

impl From<XlsxError> for Unwritable {
    fn from(e: XlsxError) -> Self {
        Unwritable(match e {
            XlsxError::ParameterError(text) => too_large(&text).unwrap_or_else(|| {
                Text::new(text.clone(), format!("không ghi được tệp Excel: {text}"))
            }),
            e => tr!("the workbook cannot be written: {e}", "không ghi được tệp Excel: {e}"),
        })
    }
}

/// How [`fits`] marks its error. An `XlsxError` holds one string and the sentence needs
/// two languages, so the error carries the sheet's size and name, and the sentence is
/// made once it is an [`Unwritable`].
const TOO_LARGE: &str = "parindex: too large\t";

/// The sentence for an error of [`fits`]: the rows, columns and name it carries.
fn too_large(text: &str) -> Option<Text> {
    let mut parts = text.strip_prefix(TOO_LARGE)?.splitn(3, '\t');
    let (rows, columns, name) = (parts.next()?, parts.next()?, parts.next()?);
    Some(tr!(
        "the sheet \"{name}\" would need {rows} rows and {columns} columns, but an Excel sheet holds \
         {MAX_ROWS} rows and {MAX_COLUMNS} columns: write --format csv instead, or one group at a \
         time (--group)",
        "trang tính \"{name}\" sẽ cần {rows} dòng và {columns} cột, nhưng một trang tính Excel chỉ \
         chứa được {MAX_ROWS} dòng và {MAX_COLUMNS} cột: hãy xuất --format csv, hoặc xuất từng \
         nhóm một (--group)"
    ))
}

/// Refuses a table larger than a worksheet, before anything is written.
pub(crate) fn fits(name: &str, rows: usize, columns: usize) -> Result<(), XlsxError> {
    if rows < MAX_ROWS && columns <= MAX_COLUMNS {
        return Ok(());
    }
    // The name last: it may hold a tab, the numbers cannot.
    Err(XlsxError::ParameterError(format!("{TOO_LARGE}{}\t{columns}\t{name}", rows + 1)))
}

/// What a cell looks like: its part of the page, and for a table's cell its number
/// format, weight, wrapping and indent. Each look is one format, made once a workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Look {
    /// The first title, over the whole width.
    Title,
    /// The titles under it.
    Subtitle,
    /// A note above or below the table, over its width.
    Note,
    /// The header: a column's label or code.
    Header,
    /// Under a code in the header, the name of the field or criterion it stands for.
    Name,
    Cell {
        number: Option<Number>,
        bold: bool,
        wrap: bool,
        indent: u8,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Number {
    Places(u32),
    Percent,
    Whole,
}

/// Formats shared by a workbook's sheets.
pub(crate) struct Styles {
    decimals: u32,
    made: HashMap<Look, Format>,
}

impl Styles {
    pub(crate) fn new(decimals: u32) -> Self {
        Styles { decimals, made: HashMap::new() }
    }

    fn get(&mut self, look: Look) -> &Format {
        self.made.entry(look).or_insert_with(|| make(look))
    }
}

/// The lines of a printed table: light enough to read through, dark enough to print.
const RULE: Color = Color::RGB(0x00B7_C4D1);
const SHADE: Color = Color::RGB(0x00DD_E6F0);

fn make(look: Look) -> Format {
    let boxed = || {
        Format::new()
            .set_border(FormatBorder::Thin)
            .set_border_color(RULE)
            .set_align(FormatAlign::VerticalCenter)
    };
    match look {
        Look::Title => Format::new()
            .set_bold()
            .set_font_size(14)
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
        Look::Subtitle => Format::new()
            .set_bold()
            .set_font_size(12)
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
        Look::Note => Format::new().set_text_wrap().set_align(FormatAlign::Top),
        Look::Header => boxed()
            .set_bold()
            .set_background_color(SHADE)
            .set_text_wrap()
            .set_align(FormatAlign::Center),
        Look::Name => boxed()
            .set_font_size(9)
            .set_background_color(SHADE)
            .set_text_wrap()
            .set_align(FormatAlign::Center),
        Look::Cell { number, bold, wrap, indent } => {
            let mut f = boxed();
            f = match number {
                Some(Number::Places(0) | Number::Whole) => f.set_num_format("0"),
                Some(Number::Places(p)) => {
                    f.set_num_format(format!("0.{}", "0".repeat(p as usize)))
                }
                Some(Number::Percent) => f.set_num_format("0.0%"),
                None => f,
            };
            if bold {
                f = f.set_bold();
            }
            if wrap {
                f = f.set_text_wrap();
            }
            if indent > 0 {
                f = f.set_indent(indent);
            }
            f
        }
    }
}

/// A value for a cell: text, or a figure shown with the set's decimals.
pub(crate) enum Cell<'a> {
    Text(&'a str),
    /// A criterion's name, indented by its level in the tree.
    Name(&'a str, u8),
    Figure(Decimal),
    /// A figure with its own places, not the set's.
    Fixed(Decimal, u32),
    /// A share 0..1, shown as a percent.
    Percent(Decimal),
    Whole(i64),
    Empty,
}

impl Cell<'_> {
    fn number(&self, decimals: u32) -> Option<Number> {
        match self {
            Cell::Figure(_) => Some(Number::Places(decimals)),
            Cell::Fixed(_, places) => Some(Number::Places(*places)),
            Cell::Percent(_) => Some(Number::Percent),
            Cell::Whole(_) => Some(Number::Whole),
            Cell::Text(_) | Cell::Name(..) | Cell::Empty => None,
        }
    }

    /// About how many characters wide the cell shows.
    fn width(&self, decimals: u32) -> usize {
        let digits = |d: &Decimal, places: u32| {
            let whole = d.trunc().abs().to_string().len();
            whole + usize::from(d.is_sign_negative()) + places as usize + usize::from(places > 0)
        };
        match self {
            Cell::Text(t) => t.lines().map(|l| l.chars().count()).max().unwrap_or(0),
            Cell::Name(t, indent) => t.chars().count() + 2 * usize::from(*indent),
            Cell::Figure(d) => digits(d, decimals),
            Cell::Fixed(d, places) => digits(d, *places),
            Cell::Percent(d) => digits(&(*d * Decimal::ONE_HUNDRED), 1) + 1,
            Cell::Whole(n) => n.to_string().len(),
            Cell::Empty => 0,
        }
    }
}

/// A table as a printed sheet: titles over it, a header that names the criteria beside
/// their codes, the rows, and notes under it.
pub(crate) struct Sheet<'a> {
    /// The sheet's name, made one Excel takes (see [`sheet_name`]).
    pub name: String,
    /// Over the table, each across its width: the round, then what the sheet holds.
    pub titles: Vec<String>,
    /// Under the titles, over the table.
    pub notes: Vec<String>,
    /// The columns' labels, or codes.
    pub header: Vec<String>,
    /// Under a code, the name it stands for (`""` elsewhere); none at all for no such row.
    pub names: Vec<String>,
    pub rows: Vec<Vec<Cell<'a>>>,
    /// The rows in bold (a field's row among its criteria); none for none.
    pub strong: Vec<bool>,
    /// The columns that name a row, kept in sight when scrolling sideways.
    pub frozen_columns: u16,
    /// Under the table.
    pub footnotes: Vec<String>,
    /// The widest a column of text grows, in characters, before it wraps.
    pub widest: usize,
}

impl<'a> Sheet<'a> {
    pub(crate) fn new(name: String, header: Vec<String>, rows: Vec<Vec<Cell<'a>>>) -> Self {
        Sheet {
            name,
            titles: Vec::new(),
            notes: Vec::new(),
            header,
            names: Vec::new(),
            rows,
            strong: Vec::new(),
            frozen_columns: 0,
            footnotes: Vec::new(),
            widest: 40,
        }
    }
}

/// About how many lines `text` takes wrapped in a cell `width` characters wide, its
/// letters `scale` times as wide as the body's: a word goes whole to the next line where
/// it does not fit, as a spreadsheet wraps text.
#[allow(clippy::cast_precision_loss)]
fn lines(text: &str, width: f64, scale: f64) -> f64 {
    // A cell's padding takes about a character.
    let room = (width - 1.0).max(1.0);
    let mut count = 0.0;
    for line in text.lines() {
        let (mut n, mut used) = (1.0, 0.0);
        for word in line.split_whitespace() {
            let w = word.chars().count() as f64 * scale;
            if used > 0.0 && used + scale + w <= room {
                used += scale + w;
                continue;
            }
            if used > 0.0 {
                n += 1.0;
            }
            // A word longer than a line runs on over as many lines as it takes.
            let more = ((w / room).ceil() - 1.0).max(0.0);
            n += more;
            used = w - room * more;
        }
        count += n;
    }
    count.max(1.0)
}

/// A row's height in points for `lines` lines of text at `size` points, up to the
/// 409 points Excel allows a row.
fn height(lines: f64, size: f64) -> f64 {
    (lines * size * 1.3 + 2.0).clamp(15.0, 409.0)
}

fn row(r: usize) -> u32 {
    u32::try_from(r).unwrap_or(u32::MAX)
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// Writes `page` as the workbook's next sheet, set up to print: A4 landscape, one page
/// wide, the header on every page, page numbers in the footer; and frozen under the
/// header, beside the `frozen_columns`.
pub(crate) fn sheet(
    book: &mut Workbook,
    page: &Sheet<'_>,
    styles: &mut Styles,
    lang: Lang,
) -> Result<(), XlsxError> {
    let width = page.header.len().max(page.rows.iter().map(Vec::len).max().unwrap_or(0)).max(1);
    let two_rows = page.names.iter().any(|n| !n.is_empty());
    let above = page.titles.len() + page.notes.len();
    let spacer = usize::from(above > 0);
    let head = above + spacer;
    let first = head + 1 + usize::from(two_rows);
    let below = if page.footnotes.is_empty() { 0 } else { 1 + page.footnotes.len() };
    fits(&page.name, first - 1 + page.rows.len() + below, width)?;
    let decimals = styles.decimals;

    // Each column as wide as what it shows, up to `widest` (a column of figures, up to
    // a figure's width, its words "không áp dụng" and the like wrapping); past that its
    // text wraps. A header's words are not cut, and a named column leaves its name room.
    let column = |c: usize| page.rows.iter().filter_map(move |r| r.get(c));
    let caps: Vec<usize> = (0..width)
        .map(|c| {
            let figures = column(c).filter(|x| x.number(decimals).is_some());
            figures.map(|x| x.width(decimals)).max().map_or(page.widest, |w| w.max(12))
        })
        .collect();
    let widths: Vec<f64> = (0..width)
        .map(|c| {
            let label = page.header.get(c).map_or("", String::as_str);
            let word = label.split_whitespace().map(|w| w.chars().count()).max().unwrap_or(0);
            let label = word.max(label.chars().count().min(12));
            let name = page.names.get(c).filter(|n| !n.is_empty()).map_or(0, |_| 11);
            let data = column(c).map(|x| x.width(decimals)).max().unwrap_or(0).min(caps[c]);
            #[allow(clippy::cast_precision_loss)]
            let fitted = (data.max(label).max(name).max(3) + 2) as f64;
            fitted
        })
        .collect();
    let wraps: Vec<bool> =
        (0..width).map(|c| column(c).any(|x| x.width(decimals) > caps[c])).collect();
    let across: f64 = widths.iter().sum();

    let taken: Vec<String> = book.worksheets().iter().map(Worksheet::name).collect();
    // Each row goes to a temporary file once the next one is begun, and the workbook
    // is put together from them: a sheet of 100,000 agencies is not held cell by cell.
    let ws: &mut Worksheet = book.add_worksheet_with_constant_memory()?;
    ws.set_name(sheet_name(&page.name, &taken))?;
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(col(c), *w)?;
    }
    let over = |ws: &mut Worksheet, styles: &mut Styles, r: usize, text: &str, look: Look| {
        across_table(ws, styles, (r, width, across), text, look)
    };
    for (i, title) in page.titles.iter().enumerate() {
        over(ws, styles, i, title, if i == 0 { Look::Title } else { Look::Subtitle })?;
    }
    for (i, note) in page.notes.iter().enumerate() {
        over(ws, styles, page.titles.len() + i, note, Look::Note)?;
    }

    // Rows as high as their wrapped text, each set before it is written: spreadsheets size a row to its text when they
    // lay it out, but not all of them when they open a file.
    // A label's lines, in bold, and a name's, in smaller letters.
    let label = |c: usize| lines(page.header.get(c).map_or("", String::as_str), widths[c], 1.1);
    let most = |it: &mut dyn Iterator<Item = f64>| it.fold(1.0, f64::max);
    if two_rows {
        let has_name = |c: &usize| page.names.get(*c).is_some_and(|n| !n.is_empty());
        let codes = height(most(&mut (0..width).filter(has_name).map(label)), 11.0);
        let names =
            most(&mut (0..width).filter(has_name).map(|c| lines(&page.names[c], widths[c], 0.78)));
        let names = height(names, 9.0);
        // A label over both rows of the header has the room of both.
        let labels = height(most(&mut (0..width).filter(|c| !has_name(c)).map(label)), 11.0);
        ws.set_row_height(row(head), codes)?;
        ws.set_row_height(row(head + 1), names.max(labels - codes))?;
    } else {
        ws.set_row_height(row(head), height(most(&mut (0..width).map(label)), 11.0))?;
    }

    // The header: a label over both of its rows where there is no name under it. Row by
    // row: a sheet is written out a row at a time, and a row left cannot be written again.
    for c in 0..width {
        let label = escape::cell(page.header.get(c).map_or("", String::as_str)).into_owned();
        let name = page.names.get(c).map_or("", String::as_str);
        if two_rows && name.is_empty() {
            ws.merge_range(
                row(head),
                col(c),
                row(head + 1),
                col(c),
                &label,
                styles.get(Look::Header),
            )?;
        } else {
            ws.write_string_with_format(row(head), col(c), &label, styles.get(Look::Header))?;
        }
    }
    if two_rows {
        for (c, name) in page.names.iter().enumerate().take(width) {
            if !name.is_empty() {
                let name = escape::cell(name);
                ws.write_string_with_format(
                    row(head + 1),
                    col(c),
                    name.as_ref(),
                    styles.get(Look::Name),
                )?;
            }
        }
    }

    for (i, cells) in page.rows.iter().enumerate() {
        let r = row(first + i);
        let bold = page.strong.get(i).copied().unwrap_or(false);
        // The body's letters are narrower than the digit a column's width is counted in.
        let letters = if bold { 1.0 } else { 0.92 };
        let tall = cells
            .iter()
            .enumerate()
            .filter(|&(c, _)| wraps[c])
            .map(|(c, cell)| match cell {
                Cell::Text(t) => lines(t, widths[c], letters),
                Cell::Name(t, indent) => lines(t, widths[c] - 2.0 * f64::from(*indent), letters),
                _ => 1.0,
            })
            .fold(1.0, f64::max);
        if tall > 1.0 {
            ws.set_row_height(r, height(tall, 11.0))?;
        }
        for (c, &wrap) in wraps.iter().enumerate() {
            let cell = cells.get(c).unwrap_or(&Cell::Empty);
            let indent = match cell {
                Cell::Name(_, indent) => *indent,
                _ => 0,
            };
            let look = Look::Cell { number: cell.number(decimals), bold, wrap, indent };
            let format = styles.get(look);
            match cell {
                Cell::Text(t) | Cell::Name(t, _) => {
                    ws.write_string_with_format(r, col(c), escape::cell(t).as_ref(), format)?;
                }
                Cell::Figure(d) | Cell::Fixed(d, _) | Cell::Percent(d) => {
                    let v: f64 = d.to_string().parse().unwrap_or(0.0);
                    ws.write_number_with_format(r, col(c), v, format)?;
                }
                Cell::Whole(n) => {
                    #[allow(clippy::cast_precision_loss)]
                    ws.write_number_with_format(r, col(c), *n as f64, format)?;
                }
                Cell::Empty => {
                    ws.write_blank(r, col(c), format)?;
                }
            }
        }
    }
    for (i, note) in page.footnotes.iter().enumerate() {
        over(ws, styles, first + page.rows.len() + 1 + i, note, Look::Note)?;
    }

    ws.set_freeze_panes(row(first), page.frozen_columns)?;
    ws.set_paper_size(9); // A4
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(row(head), row(first - 1))?;
    ws.set_margins(0.4, 0.4, 0.5, 0.6, 0.3, 0.3);
    ws.set_print_center_horizontally(true);
    ws.set_footer(format!("&C{}", lang.words().page));
    Ok(())
}

/// Text over the table's width, in one merged cell as high as its lines need:
/// spreadsheets do not size a merged cell's row to its text. `at` is the row, and the
/// table's width in columns and in characters.
fn across_table(
    ws: &mut Worksheet,
    styles: &mut Styles,
    at: (usize, usize, f64),
    text: &str,
    look: Look,
) -> Result<(), XlsxError> {
    let (r, columns, characters) = at;
    // The letters' size in points, and how much wider than the body's they are.
    let (size, scale) = match look {
        Look::Title => (14.0, 1.45),
        Look::Subtitle => (12.0, 1.2),
        _ => (11.0, 1.0),
    };
    let text = escape::cell(text);
    let format = styles.get(look);
    if columns > 1 {
        ws.merge_range(row(r), 0, row(r), col(columns - 1), &text, format)?;
    } else {
        ws.write_string_with_format(row(r), 0, text.as_ref(), format)?;
    }
    ws.set_row_height(row(r), height(lines(&text, characters, scale), size))?;
    Ok(())
}

/// A name Excel takes for a sheet, and unlike the names `taken` (Excel compares them
/// without case: groups "so-nganh" and "So-nganh" are two sheets): at most 31 UTF-16
/// units, none of `[]:*?/\\`, no control character (a name is an XML attribute, which
/// holds none: one pasted into a group's name made a workbook no program opens), no
/// apostrophe first or last, not "History", which Excel keeps for itself; " (2)", " (3)"
/// … added where the name is taken.
fn sheet_name(name: &str, taken: &[String]) -> String {
    let odd =
        |c: char| "[]:*?/\\".contains(c) || c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}');
    let clean: String = name.chars().map(|c| if odd(c) { '-' } else { c }).collect();
    let mut taken: std::collections::HashSet<String> =
        taken.iter().map(|t| t.to_lowercase()).collect();
    taken.insert("history".into());
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
    let mut styles = Styles::new(d);
    let mut book = Workbook::new();
    let w = report.lang.words();
    let title = report.print_title();
    let header = report.columns();
    let fields = report.fields();
    // The fields' names under their codes.
    let mut names = vec![String::new(); 3];
    names.extend(fields.iter().map(|&f| set.nodes[f].name.clone()));
    names.resize(header.len(), String::new());
    let groups = report.groups();
    let build = |book: &mut Workbook, styles: &mut Styles| -> Result<(), XlsxError> {
        for (group, lines) in &groups {
            let rows: Vec<Vec<Cell<'_>>> = lines
                .iter()
                .map(|l| {
                    let mut row = vec![
                        l.rank.map_or(Cell::Empty, whole),
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
            let mut page = Sheet::new(name, header.clone(), rows);
            page.titles = vec![title.clone(), format!("{} — {} {label}", w.ranking, w.group)];
            page.names.clone_from(&names);
            page.frozen_columns = 3;
            page.footnotes = report.footnote().into_iter().collect();
            sheet(book, &page, styles, report.lang)?;
        }
        // Each agency's leaves, as shown, scored once for every sheet of a field.
        let by_leaf = crate::score::results::by_leaf(report.round, report.results.stage);
        let roots: Vec<usize> = set.roots().map(|(id, _)| id).collect();
        for &field in &fields {
            let at = roots.iter().position(|&r| r == field).expect("a field is a root");
            let leaves: Vec<usize> =
                set.leaves().map(|(id, _, _)| id).filter(|&id| top(set, id) == field).collect();
            let mut head = vec![w.id.to_string(), w.agency.to_string(), w.group.to_string()];
            head.extend(leaves.iter().map(|&id| set.nodes[id].code.clone()));
            head.extend([w.points, w.max, w.sub_index].map(String::from));
            let mut names = vec![String::new(); 3];
            names.extend(leaves.iter().map(|&id| set.nodes[id].name.clone()));
            names.resize(head.len(), String::new());
            let labels: Vec<&str> = groups.iter().map(|(g, _)| report.group_label(g)).collect();
            let mut rows = Vec::new();
            for ((_, lines), label) in groups.iter().zip(&labels) {
                for l in lines {
                    let s = &by_leaf[report.results.agencies[l.result].agency];
                    let mut row = vec![
                        Cell::Text(&l.agency.id),
                        Cell::Text(&l.agency.name),
                        Cell::Text(label),
                    ];
                    let shown = |x: Option<Decimal>| x.map_or(Cell::Empty, Cell::Figure);
                    row.extend(leaves.iter().map(|&id| shown(s.points[id])));
                    let (max, sub_index) = s.fields[at];
                    row.extend([shown(s.points[field]), shown(max), shown(sub_index)]);
                    rows.push(row);
                }
            }
            let node = &set.nodes[field];
            let mut page = Sheet::new(format!("{} {}", w.field, node.code), head, rows);
            page.titles = vec![
                title.clone(),
                format!("{} {}. {} — {}", w.field, node.code, node.name, w.by_leaf),
            ];
            page.names = names;
            page.frozen_columns = 2;
            sheet(book, &page, styles, report.lang)?;
        }
        field_ranks(book, report, &groups, styles)
    };
    build(&mut book, &mut styles)?;
    Ok(finish(&mut book, &report.audit.map(crate::audit::Audit::properties).unwrap_or_default()))
}

fn whole(n: usize) -> Cell<'static> {
    Cell::Whole(i64::try_from(n).unwrap_or(i64::MAX))
}

/// The sheet of each agency's rank in each field: id, agency, group, its rank, then its
/// rank on each field (empty where nothing in the field applies), group by group.
fn field_ranks(
    book: &mut Workbook,
    report: &Report<'_>,
    groups: &[(&str, Vec<super::Line<'_>>)],
    styles: &mut Styles,
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
                    l.rank.map_or(Cell::Empty, whole),
                ];
                row.extend(l.field_ranks.iter().map(|r| r.map_or(Cell::Empty, whole)));
                row
            })
        })
        .collect();
    let mut page = Sheet::new(w.field_ranks.to_string(), head, rows);
    page.titles = vec![report.print_title(), w.field_ranks.to_string()];
    page.frozen_columns = 2;
    sheet(book, &page, styles, report.lang)
}

/// Rows of text as cells: the `numeric` columns as figures where they read as one.
pub(crate) fn as_cells<'r>(rows: &'r [Vec<String>], numeric: &[usize]) -> Vec<Vec<Cell<'r>>> {
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
    fn a_sheet_too_large_is_said_in_both_languages() {
        let e = Unwritable::from(fits("Nhóm\t1", MAX_ROWS, 3).unwrap_err());
        assert!(e.0.en.starts_with("the sheet \"Nhóm\t1\" would need 1048577 rows and 3 columns, but an Excel sheet holds 1048576 rows"), "{}", e.0.en);
        assert!(
            e.0.vi.starts_with("trang tính \"Nhóm\t1\" sẽ cần 1048577 dòng và 3 cột"),
            "{}",
            e.0.vi
        );
        let other = Unwritable::from(XlsxError::ParameterError("bad width".into()));
        assert_eq!(other.0.en, "bad width");
    }

    #[test]
    #[allow(clippy::float_cmp)] // whole numbers of lines
    fn wrapped_text_takes_whole_words_to_the_next_line() {
        // 11 characters of room: "Tỷ lệ hồ sơ" fits, "giải quyết" goes on, "đúng hạn" too.
        assert_eq!(lines("Tỷ lệ hồ sơ giải quyết đúng hạn", 12.0, 1.0), 3.0);
        assert_eq!(lines("Tỷ lệ", 12.0, 1.0), 1.0);
        assert_eq!(lines("", 12.0, 1.0), 1.0);
        // A word longer than a line runs on; a line break starts a line.
        assert_eq!(lines(&"x".repeat(25), 12.0, 1.0), 3.0);
        assert_eq!(lines("a\nb", 12.0, 1.0), 2.0);
        // A row is never higher than Excel allows.
        assert!(height(lines(&"từ ".repeat(20_000), 40.0, 1.0), 11.0) <= 409.0);
    }

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
        assert_eq!(sheet_name("Nh\u{1}óm\nX\u{ffff}", &[]), "Nh-óm-X-");
        assert_eq!(sheet_name("History", &[]), "History (2)");
        // Each one is a name Excel takes.
        let mut book = Workbook::new();
        for name in [first, second, wide, sheet_name("Nhóm so-ngaNh", &taken)] {
            book.add_worksheet().set_name(name).unwrap();
        }
        assert!(book.save_to_buffer().is_ok());
    }
}
