//! Tabular files as Excel and people save them: UTF-8 with or without a BOM, UTF-16,
//! Windows-1258; `,`, `;` or tab between fields; CRLF; NFD text. Decoded once into NFC
//! text, then read as CSV records that remember where they stand for messages.

use std::io::Read;
use std::ops::Range;
use std::path::Path;

use encoding_rs::WINDOWS_1258;
use encoding_rs_io::DecodeReaderBytesBuilder;

use crate::diagnostic::Diagnostic;
use crate::source::{MAX_DATA_BYTES, SourceFile};
use crate::text::{is_nfc, nfc};

/// A decoded table: its text, the delimiter found, and its header; the records below
/// it are read as a stream by [`Table::each_row`], one reused record at a time.
#[derive(Debug)]
pub struct Table {
    pub source: SourceFile,
    pub delimiter: u8,
    /// The first non-empty record.
    pub header: Row,
    /// Where the records after the header begin.
    body: usize,
}

/// One record and where it starts in the text.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: usize,
    /// Byte offset of the record in the decoded text.
    pub start: usize,
    pub fields: csv::StringRecord,
}

/// A field's place: its record's start and its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub start: usize,
    pub column: usize,
}

impl Row {
    /// The place of field `column` of this row.
    pub fn place(&self, column: usize) -> Place {
        Place { start: self.start, column }
    }

    /// A field without surrounding spaces; empty when the row is shorter.
    pub fn get(&self, i: usize) -> &str {
        self.fields.get(i).map_or("", str::trim)
    }

    /// The number of fields, trailing empty ones (Excel's `;;;`) left out.
    pub fn width(&self) -> usize {
        (0..self.fields.len()).rev().find(|&i| !self.get(i).is_empty()).map_or(0, |i| i + 1)
    }
}

impl Table {
    /// Reads and decodes a file; see [`Table::parse`].
    pub fn read(path: &Path) -> Result<Self, Box<Diagnostic>> {
        let shown = path.display().to_string().replace('\\', "/");
        let bytes = crate::source::read_bytes(path, &shown, MAX_DATA_BYTES)?;
        if crate::read::xlsx::is_workbook(path) {
            return Self::parse_with(crate::read::xlsx::to_text(shown, bytes)?, b'\t');
        }
        Self::parse(decode(shown, bytes)?)
    }

    /// Splits decoded text into records, choosing the delimiter from the header line.
    pub fn parse(source: SourceFile) -> Result<Self, Box<Diagnostic>> {
        let delimiter = sniff_delimiter(&source.text);
        Self::parse_with(source, delimiter)
    }

    /// Reads the header of text whose records are separated by `delimiter`.
    pub fn parse_with(source: SourceFile, delimiter: u8) -> Result<Self, Box<Diagnostic>> {
        let mut header = None;
        let body = Self::scan(&source, delimiter, 0, |row| {
            header = Some(row.clone());
            false
        });
        let Some(header) = header else {
            return Err(Box::new(
                Diagnostic::error(
                    "empty-table",
                    format!("{} is empty: it has no header and no rows", source.path),
                )
                .help("the first line names the columns, e.g. agency,code,value,evidence,note"),
            ));
        };
        Ok(Table { source, delimiter, header, body })
    }

    /// Calls `f` with every non-empty record after the header, in order.
    pub fn each_row(&self, mut f: impl FnMut(&Row)) {
        Self::scan(&self.source, self.delimiter, self.body, |row| {
            f(row);
            true
        });
    }

    /// Reads the non-empty records from byte `from`, while `f` asks for more; returns
    /// where reading stopped.
    fn scan(
        source: &SourceFile,
        delimiter: u8,
        from: usize,
        mut f: impl FnMut(&Row) -> bool,
    ) -> usize {
        let text = source.text.as_bytes();
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(&text[from.min(text.len())..]);
        let mut row = Row { line: 0, start: 0, fields: csv::StringRecord::new() };
        // Decoded text is valid UTF-8 and the reader is flexible: it cannot fail.
        while reader.read_record(&mut row.fields).unwrap_or(false) {
            if row.fields.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let position = row.fields.position().map_or(0, csv::Position::byte);
            // With CRLF the reader reports a record as starting at the LF before it.
            let mut start = from + usize::try_from(position).unwrap_or(usize::MAX);
            while matches!(text.get(start), Some(b'\r' | b'\n')) {
                start += 1;
            }
            row.start = start;
            row.line = source.line_after(row.line, start);
            if !f(&row) {
                break;
            }
        }
        from + usize::try_from(reader.position().byte()).unwrap_or(0)
    }

    /// Where field `i` of `row` stands in the text, for messages (quotes excluded).
    pub fn span(&self, row: &Row, i: usize) -> Range<usize> {
        self.span_at(row.place(i))
    }

    /// [`Table::span`] for a place kept from earlier; worked out only when a message
    /// needs it, since it rescans the line.
    pub fn span_at(&self, place: Place) -> Range<usize> {
        field_spans(&self.source.text, place.start, self.delimiter)
            .into_iter()
            .nth(place.column)
            .unwrap_or_else(|| {
                let line = self.source.line_span(place.start);
                line.end..line.end
            })
    }
}

/// Decodes bytes to NFC text: UTF-8 (a BOM is dropped), UTF-16 with a BOM, and anything
/// that is not UTF-8 as Windows-1258, which Excel writes for "CSV" on Vietnamese Windows.
/// The digest of UTF-8 files is worked out on the other core while the text is checked.
pub fn decode(path: String, bytes: Vec<u8>) -> Result<SourceFile, Box<Diagnostic>> {
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    let has_utf16_bom = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    // A BOM is valid UTF-8 itself, so the bytes are checked once, whole, and hashed as read.
    let utf8 = if has_utf16_bom {
        Err(bytes)
    } else {
        String::from_utf8(bytes).map_err(std::string::FromUtf8Error::into_bytes)
    };
    let source = match utf8 {
        Ok(mut text) => {
            let (digest, already_nfc) =
                rayon::join(|| crate::source::sha256(text.as_bytes()), || is_nfc(&text[bom..]));
            text.drain(..bom);
            let mut source = SourceFile::new(path, if already_nfc { text } else { nfc(&text) });
            source.sha256 = digest;
            source
        }
        Err(bytes) => {
            let mut text = String::new();
            DecodeReaderBytesBuilder::new()
                .encoding(Some(WINDOWS_1258))
                .bom_override(true)
                .build(&bytes[..])
                .read_to_string(&mut text)
                .map_err(|e| {
                    Box::new(Diagnostic::error("read-failed", format!("cannot decode {path}: {e}")))
                })?;
            let text = if is_nfc(&text) { text } else { nfc(&text) };
            let mut source = SourceFile::new(path, text);
            source.sha256 = crate::source::sha256(&bytes);
            source
        }
    };
    Ok(source)
}

/// The delimiter of the header line: whichever of `;`, tab and `,` occurs most outside
/// quotes (`,` when none does).
fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in header.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (d, n) in &mut counts {
                if b == *d {
                    *n += 1;
                }
            }
        }
    }
    counts.iter().filter(|(_, n)| *n > 0).max_by_key(|(_, n)| *n).map_or(b',', |(d, _)| *d)
}

/// The spans of a record's fields, scanning from its start: quotes and surrounding
/// spaces excluded.
fn field_spans(text: &str, start: usize, delimiter: u8) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut field_start = start;
    let mut quoted = false;
    let mut i = start;
    let trim = |r: Range<usize>| {
        let s = &text[r.clone()];
        let lead = s.len() - s.trim_start().len();
        let inner = s.trim();
        let (a, b) = (r.start + lead, r.start + lead + inner.len());
        if inner.len() >= 2 && inner.starts_with('"') && inner.ends_with('"') {
            a + 1..b - 1
        } else {
            a..b
        }
    };
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && b == delimiter {
            spans.push(trim(field_start..i));
            field_start = i + 1;
        } else if !quoted && (b == b'\n' || b == b'\r') {
            break;
        }
        i += 1;
    }
    spans.push(trim(field_start..i));
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(bytes: &[u8]) -> Table {
        Table::parse(decode("t.csv".into(), bytes.to_vec()).unwrap()).unwrap()
    }

    fn rows(t: &Table) -> Vec<Row> {
        let mut rows = Vec::new();
        t.each_row(|r| rows.push(r.clone()));
        rows
    }

    #[test]
    fn excel_files_in_vietnamese_settings_read_alike() {
        let utf8 = "agency;code;value\r\nso-noi-vu;1.1;0,5\r\n";
        let bom: Vec<u8> = b"\xEF\xBB\xBF".iter().chain(utf8.as_bytes()).copied().collect();
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(utf8.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        for bytes in [utf8.as_bytes(), &bom, &utf16] {
            let t = table(bytes);
            assert_eq!(t.delimiter, b';');
            assert_eq!(t.header.get(0), "agency");
            let rows = rows(&t);
            assert_eq!((rows[0].get(2), rows[0].line), ("0,5", 2));
        }
    }

    #[test]
    fn windows_1258_and_nfd_become_nfc() {
        // "Sở" in Windows-1258: S, o-horn (0xF5), combining hook above (0xD2).
        let t = table(b"id,name\nso,S\xF5\xD2\n");
        assert_eq!(rows(&t)[0].get(1), "Sở");
        let nfd = "id,name\nso,So\u{31b}\u{309}\n";
        assert_eq!(rows(&table(nfd.as_bytes()))[0].get(1), "Sở");
    }

    #[test]
    fn blank_rows_are_skipped_and_spans_found() {
        let t = table(b"a\tb\n\n;;\n x \t\"y\tz\"\n");
        assert_eq!(t.delimiter, b'\t');
        let rows = rows(&t);
        assert_eq!(rows.len(), 2);
        let row = &rows[1];
        assert_eq!(&t.source.text[t.span(row, 0)], "x");
        assert_eq!(&t.source.text[t.span(row, 1)], "y\tz");
    }
}
