//! Word documents as the state's rules on administrative documents (Nghị định
//! 30/2020/NĐ-CP) lay them out: A4, margins of 20 mm top and bottom, 30 mm left and
//! 15 mm right, Times New Roman, 13 point text and 14 point headings, the page number
//! at the top centre from the second page on. The decision appendix and the result
//! sheets are made of these parts.

use docx_rs::{
    AlignmentType, Docx, Header, LineSpacing, PageMargin, PageNum, PageOrientationType, Paragraph,
    Run, RunFonts, Table, TableCell, TableCellMargins, TableLayoutType, TableRow, VAlignType,
    VMergeType, WidthType,
};

use crate::report::escape;

/// Font sizes in half points, as DOCX counts them.
pub(crate) const TEXT: usize = 26;
pub(crate) const HEADING: usize = 28;

/// Millimetres in twentieths of a point (twips), DOCX's unit of length, to the nearest.
pub(crate) const fn mm(millimetres: u32) -> u32 {
    (millimetres * 28_800 + 254) / 508
}

/// An A4 page, upright or on its side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Page {
    Portrait,
    Landscape,
}

impl Page {
    /// The width text may take between the margins, in twips.
    pub(crate) fn text_width(self) -> u32 {
        let width = match self {
            Page::Portrait => mm(210),
            Page::Landscape => mm(297),
        };
        width - mm(30) - mm(15)
    }
}

/// A new document: the page, the fonts, the page number.
pub(crate) fn document(page: Page) -> Docx {
    let (w, h) = (mm(210), mm(297));
    let docx = match page {
        Page::Portrait => Docx::new().page_size(w, h),
        Page::Landscape => Docx::new().page_size(h, w).page_orient(PageOrientationType::Landscape),
    };
    let font = "Times New Roman";
    docx.page_margin(
        PageMargin::new()
            .top(i32::try_from(mm(20)).expect("a margin fits"))
            .bottom(i32::try_from(mm(20)).expect("a margin fits"))
            .left(i32::try_from(mm(30)).expect("a margin fits"))
            .right(i32::try_from(mm(15)).expect("a margin fits"))
            .header(i32::try_from(mm(10)).expect("a margin fits"))
            .footer(i32::try_from(mm(10)).expect("a margin fits")),
    )
    .default_fonts(RunFonts::new().ascii(font).hi_ansi(font).east_asia(font).cs(font))
    .default_size(TEXT)
    .header(
        Header::new().add_paragraph(
            Paragraph::new().align(AlignmentType::Center).add_page_num(PageNum::new()),
        ),
    )
    .first_header(Header::new())
    .title_pg()
}

/// How a paragraph looks.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Look {
    pub bold: bool,
    pub italic: bool,
    pub size: Option<usize>,
    pub align: Option<AlignmentType>,
}

impl Look {
    pub(crate) const PLAIN: Look = Look { bold: false, italic: false, size: None, align: None };

    pub(crate) fn bold(self) -> Look {
        Look { bold: true, ..self }
    }

    pub(crate) fn italic(self) -> Look {
        Look { italic: true, ..self }
    }

    pub(crate) fn heading(self) -> Look {
        Look { size: Some(HEADING), ..self }
    }

    pub(crate) fn centred(self) -> Look {
        Look { align: Some(AlignmentType::Center), ..self }
    }

    /// Set in `size` half points, unless a size is given already.
    pub(crate) fn sized(self, size: usize) -> Look {
        Look { size: self.size.or(Some(size)), ..self }
    }

    pub(crate) fn right(self) -> Look {
        Look { align: Some(AlignmentType::Right), ..self }
    }
}

/// A paragraph of `text` (a line break for each `\n`), spaced 3 points after; a control
/// character is shown, never written raw (see [`escape::document`]).
pub(crate) fn paragraph(text: &str, look: Look) -> Paragraph {
    let text = escape::document(text);
    let mut run = Run::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            run = run.add_break(docx_rs::BreakType::TextWrapping);
        }
        run = run.add_text(line);
    }
    if look.bold {
        run = run.bold();
    }
    if look.italic {
        run = run.italic();
    }
    if let Some(size) = look.size {
        run = run.size(size);
    }
    let p = Paragraph::new().add_run(run).line_spacing(LineSpacing::new().before(0).after(60));
    match look.align {
        Some(align) => p.align(align),
        None => p,
    }
}

/// A cell of a table: its text and look, and how many columns it spans or whether it
/// continues the cell above.
#[derive(Debug, Clone)]
pub(crate) struct Cell {
    pub text: String,
    pub look: Look,
    pub span: usize,
    pub merge: Merge,
}

/// A cell's part in a merge down the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Merge {
    None,
    /// The first of cells merged down.
    Start,
    /// Merged into the cell above.
    Below,
}

impl Cell {
    pub(crate) fn new(text: impl Into<String>, look: Look) -> Cell {
        Cell { text: text.into(), look, span: 1, merge: Merge::None }
    }

    pub(crate) fn span(self, span: usize) -> Cell {
        Cell { span, ..self }
    }

    pub(crate) fn merge(self, merge: Merge) -> Cell {
        Cell { merge, ..self }
    }
}

/// A table with `header` rows, repeated at the top of every page it runs onto, and
/// `rows`; column widths in twips.
pub(crate) fn table(widths: &[u32], header: Vec<Vec<Cell>>, rows: Vec<Vec<Cell>>) -> Table {
    let make_row = |cells: Vec<Cell>, head: bool| {
        let mut column = 0;
        let cells = cells
            .into_iter()
            .map(|c| {
                let width: u32 = widths[column..(column + c.span).min(widths.len())].iter().sum();
                column += c.span;
                let mut cell = TableCell::new()
                    .add_paragraph(paragraph(&c.text, c.look))
                    .width(width as usize, WidthType::Dxa)
                    .vertical_align(VAlignType::Center);
                if c.span > 1 {
                    cell = cell.grid_span(c.span);
                }
                match c.merge {
                    Merge::None => cell,
                    Merge::Start => cell.vertical_merge(VMergeType::Restart),
                    Merge::Below => cell.vertical_merge(VMergeType::Continue),
                }
            })
            .collect();
        // Every row is kept whole on its page. A header row carries a height that changes
        // nothing (at least a twentieth of a point), and only header rows do: `finish`
        // turns it into the mark that repeats the row on every page.
        let row = TableRow::new(cells).cant_split();
        if head { row.row_height(1.0).height_rule(docx_rs::HeightRule::AtLeast) } else { row }
    };
    let mut all: Vec<TableRow> = header.into_iter().map(|r| make_row(r, true)).collect();
    all.extend(rows.into_iter().map(|r| make_row(r, false)));
    let total: u32 = widths.iter().sum();
    Table::new(all)
        .set_grid(widths.iter().map(|&w| w as usize).collect())
        .layout(TableLayoutType::Fixed)
        .width(total as usize, WidthType::Dxa)
        .margins(TableCellMargins::new().margin(0, 57, 0, 57))
}

/// A table of two cells without borders: the issuing body's block on the left, as the
/// heading of an administrative document sets it.
pub(crate) fn heading_block(left: Vec<Paragraph>, right: Vec<Paragraph>, page: Page) -> Table {
    let width = page.text_width();
    let left_width = mm(90).min(width / 2);
    let cell = |paragraphs: Vec<Paragraph>, w: u32| {
        paragraphs
            .into_iter()
            .fold(TableCell::new(), TableCell::add_paragraph)
            .width(w as usize, WidthType::Dxa)
    };
    Table::without_borders(vec![TableRow::new(vec![
        cell(left, left_width),
        cell(right, width - left_width),
    ])])
    .set_grid(vec![left_width as usize, (width - left_width) as usize])
    .layout(TableLayoutType::Fixed)
}

/// The document's bytes, with `properties` among its custom document properties.
///
/// docx-rs writes no "repeat as header row" mark (`w:tblHeader`); the rows `table`
/// marks with a height of one twip, and only those, are header rows, and get it here in
/// place of that height.
/// How docx-rs writes the height [`table`] gives header rows alone.
const HEADER_ROW: &str = r#"<w:trHeight w:val="1" w:hRule="atLeast" />"#;

pub(crate) fn finish(docx: Docx, properties: &[(String, String)]) -> Vec<u8> {
    let docx = properties
        .iter()
        .fold(docx, |d, (name, value)| d.custom_property(name.as_str(), value.as_str()));
    let mut xml = docx.build();
    let document = String::from_utf8(std::mem::take(&mut xml.document))
        .expect("docx-rs writes UTF-8")
        .replace(HEADER_ROW, "<w:tblHeader />");
    xml.document = document.into_bytes();
    let mut stored = std::io::Cursor::new(Vec::new());
    xml.pack(&mut stored).expect("a document in memory can always be written");
    compressed(&stored.into_inner(), &custom_xml(properties))
}

/// `docProps/custom.xml` with `properties` in the order given: docx-rs keeps them in a
/// hash map, whose order changes from run to run, and the same inputs must give the
/// same bytes (`parindex verify` scores again and compares).
fn custom_xml(properties: &[(String, String)]) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#,
    );
    for (k, (name, value)) in properties.iter().enumerate() {
        let _ = std::fmt::Write::write_fmt(
            &mut xml,
            format_args!(
                r#"<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{}" name="{}"><vt:lpwstr>{}</vt:lpwstr></property>"#,
                k + 2,
                quick_xml::escape::escape(name.as_str()),
                quick_xml::escape::escape(value.as_str())
            ),
        );
    }
    xml.push_str("</Properties>");
    xml
}

/// The package again with every part deflated: docx-rs stores them as they are, which
/// makes the appendix of a country's communes ten times the size it needs to be. The
/// parts' times stay those docx-rs writes, so that the same inputs give the same bytes.
fn compressed(stored: &[u8], custom: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut from = zip::ZipArchive::new(std::io::Cursor::new(stored)).expect("docx-rs wrote a zip");
    let mut to = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..from.len() {
        let mut part = from.by_index(i).expect("docx-rs wrote the part");
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(part.last_modified().unwrap_or_default());
        let name = part.name().expect("docx-rs names its parts in UTF-8").to_string();
        if part.is_dir() {
            to.add_directory(name, options).expect("a folder in memory can be written");
            continue;
        }
        let mut bytes = Vec::new();
        if name == "docProps/custom.xml" {
            bytes.extend_from_slice(custom.as_bytes());
        } else {
            part.read_to_end(&mut bytes).expect("a part in memory can be read");
        }
        to.start_file(name, options).expect("a part in memory can be written");
        to.write_all(&bytes).expect("a part in memory can be written");
    }
    to.finish().expect("a zip in memory can be written").into_inner()
}

/// A whole number as a Roman numeral, as documents number their parts (I, II, III …).
pub(crate) fn roman(mut n: usize) -> String {
    const NUMERALS: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, numeral) in NUMERALS {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn romans_number_the_parts() {
        let shown: Vec<String> = [1, 2, 4, 9, 14, 40, 1990].into_iter().map(roman).collect();
        assert_eq!(shown, ["I", "II", "IV", "IX", "XIV", "XL", "MCMXC"]);
    }

    #[test]
    fn a4_in_twips() {
        // As Word writes an A4 page.
        assert_eq!((mm(210), mm(297)), (11906, 16838));
        assert_eq!(Page::Landscape.text_width(), mm(297) - mm(45));
    }

    #[test]
    fn header_rows_are_marked_to_repeat_and_no_others() {
        let t = table(
            &[mm(20), mm(40)],
            vec![vec![Cell::new("A", Look::PLAIN), Cell::new("B", Look::PLAIN)]],
            vec![vec![Cell::new("1", Look::PLAIN), Cell::new("2", Look::PLAIN)]; 3],
        );
        let bytes = finish(document(Page::Landscape).add_table(t), &[]);
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
            .unwrap();
        assert_eq!(xml.matches("<w:tblHeader />").count(), 1);
        assert_eq!(xml.matches("<w:tr>").count() + xml.matches("<w:tr ").count(), 4);
    }
}
