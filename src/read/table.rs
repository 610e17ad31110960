//! Tabular files as Excel and people save them: UTF-8 with or without a BOM, UTF-16,
//! Windows-1258; `,`, `;` or tab between fields; CRLF; NFD text. Decoded once into NFC
//! text, then read as CSV records that remember where they stand for messages.

use std::ops::Range;
use std::path::Path;

use encoding_rs::WINDOWS_1258;

use crate::diagnostic::Diagnostic;
use crate::lang::Text;
use crate::read::columns::{AGENCY, Column, named_twice};
use crate::read::encoding;
use crate::read::file::MAX_DATA_BYTES;
use crate::source::SourceFile;
use crate::text::{ascii_key, is_nfc, nfc, quote};
use crate::tr;

/// The most characters a cell may hold: Excel's own limit, so that every cell read can
/// also be written to a workbook.
pub const MAX_CELL_CHARS: usize = 32_767;

/// How many cells holding a formula with no saved value are named one by one.
const SHOWN_FORMULAS: usize = 20;

/// The most columns a table may have: Excel's own limit (column XFD).
pub const MAX_COLUMNS: usize = 16_384;

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
    /// Problems found in the bytes (UTF-8 damaged in places), which the reader of the
    /// table reports with its own.
    pub problems: Vec<Diagnostic>,
    /// Whether the delimiter was found in the header line (a text file), rather than
    /// given (a workbook laid out as text, whose rows cannot mix separators).
    sniffed: bool,
    /// The sheet a workbook's table was read from, with its cells that held dates.
    pub sheet: Option<crate::read::xlsx::Sheet>,
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
        self.fields.get(i).map_or("", trim_cell)
    }

    /// The number of fields, trailing empty ones (Excel's `;;;`) left out.
    pub fn width(&self) -> usize {
        (0..self.fields.len()).rev().find(|&i| !self.get(i).is_empty()).map_or(0, |i| i + 1)
    }
}

/// A cell without the white space around it, nor the invisible marks that are as good
/// as none there: a byte-order mark left where two files were joined, a zero-width space
/// pasted from a web page.
pub fn trim_cell(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}'))
}

impl Table {
    /// The header's cells as ASCII keys, as [`crate::read::columns`] compares them.
    pub fn header_keys(&self) -> Vec<String> {
        (0..self.header.fields.len()).map(|i| crate::text::ascii_key(self.header.get(i))).collect()
    }

    /// Whether the header names an agency column beside another, as a header under
    /// title lines must.
    pub(crate) fn header_names_agencies(&self) -> bool {
        names_agencies(self.header.fields.iter())
    }

    /// Reports each of `columns` that two header cells name (`value` and `gia_tri`): one
    /// of them would be read and the other passed over.
    pub fn columns_named_once(&self, columns: &[Column], out: &mut Vec<Diagnostic>) {
        let twice = named_twice(&self.header_keys(), columns);
        let header = &self.header;
        let path = &self.source.path;
        let line = header.line;
        for &(column, first, again) in &twice {
            let name = column.name;
            let (a, a_text, b, b_text) =
                (first + 1, quote(header.get(first)), again + 1, quote(header.get(again)));
            let aliases = column.aliases.join(", ");
            out.push(
                Diagnostic::error(
                    "duplicate-column",
                    tr!(
                        "{path}, line {line}: column {a} ({a_text}) and column {b} ({b_text}) both name the `{name}` column; only one can be read",
                        "dòng {line} của {path}: cột {a} ({a_text}) và cột {b} ({b_text}) cùng là cột `{name}`; chỉ đọc được một cột"
                    ),
                )
                .at(self.span(header, again), tr!("`{name}` again", "lại là `{name}`"))
                .with_context(self.span(header, first), Text::same(format!("`{name}`")))
                .help(tr!(
                    "keep one of them, and delete or rename the other: {aliases} are all names of `{name}`",
                    "hãy giữ một cột, xóa hoặc đổi tên cột kia: {aliases} đều là tên của cột `{name}`"
                )),
            );
        }
    }

    /// Reads and decodes a file; see [`Table::parse`].
    pub fn read(path: &Path) -> Result<Self, Box<Diagnostic>> {
        let shown = path.display().to_string().replace('\\', "/");
        let bytes = crate::read::file::read_bytes(path, &shown, MAX_DATA_BYTES)?;
        if crate::read::xlsx::is_workbook(path) {
            let (source, sheet) = crate::read::xlsx::to_text(shown, &bytes)?;
            let mut table = Self::parse_with(source, b'\t')?;
            table.problems = table.formulas_without_values(&sheet);
            return Ok(Self { sheet: Some(sheet), ..table });
        }
        let (source, problems) = decode(shown, bytes)?;
        Ok(Self { problems, ..Self::parse(source)? })
    }

    /// A workbook's cells that hold a formula but no value: the program that wrote it did
    /// not work its formulas out, and Excel would. The first [`SHOWN_FORMULAS`] are named,
    /// the rest counted. Without a word, such a cell was read as empty.
    fn formulas_without_values(&self, sheet: &crate::read::xlsx::Sheet) -> Vec<Diagnostic> {
        let path = &self.source.path;
        let cell = |f: &crate::read::xlsx::Formula| {
            format!("{}{}", crate::read::xlsx::column_letters(f.column as usize), f.row + 1)
        };
        let at = |f: &crate::read::xlsx::Formula| {
            let line = self.source.line(f.row as usize + 1);
            self.span_at(Place { start: line.start, column: f.column as usize })
        };
        let help = tr!(
            "the program that wrote the workbook did not work its formulas out: open the file in Excel and save it again, or type the value",
            "chương trình tạo ra tệp Excel này không tính ra giá trị của các công thức: hãy mở tệp bằng Excel rồi lưu lại, hoặc nhập thẳng giá trị"
        );
        let name = quote(&sheet.name);
        let mut out: Vec<Diagnostic> = sheet
            .formulas
            .iter()
            .take(SHOWN_FORMULAS)
            .map(|f| {
                let (line, cell) = (f.row + 1, cell(f));
                let what = if f.text.is_empty() {
                    tr!("a formula shared with other cells", "một công thức dùng chung với các ô khác")
                } else {
                    let formula = quote(&format!("={}", f.text));
                    tr!("the formula {formula}", "công thức {formula}")
                };
                let (what_en, what_vi) = (&what.en, &what.vi);
                Diagnostic::error(
                    "formula-without-value",
                    tr!(
                        "{path}, line {line}: the cell {cell} of sheet {name} holds {what_en} with no saved value",
                        "dòng {line} của {path}: ô {cell} của trang tính {name} chứa {what_vi} nhưng không có giá trị đã lưu"
                    ),
                )
                .at(at(f), tr!("a formula with no saved value", "công thức không có giá trị đã lưu"))
                .help(help.clone())
            })
            .collect();
        if let (Some(first), Some(last)) =
            (sheet.formulas.get(SHOWN_FORMULAS), sheet.formulas.last())
        {
            let more = sheet.formulas.len() - SHOWN_FORMULAS;
            let (from, to, others) = (cell(first), cell(last), more - 1);
            out.push(
                Diagnostic::error(
                    "formula-without-value",
                    tr!(
                        "{path}: {more} more cells of sheet {name} hold a formula with no saved value, from {from} to {to}",
                        "{path}: còn {more} ô khác của trang tính {name} chứa công thức không có giá trị đã lưu, từ {from} đến {to}"
                    ),
                )
                .at(at(first), tr!("this cell and {others} more", "ô này và {others} ô khác"))
                .help(help),
            );
        }
        out
    }

    /// Splits decoded text into records, choosing the delimiter from the header line.
    pub fn parse(source: SourceFile) -> Result<Self, Box<Diagnostic>> {
        let delimiter = sniff_delimiter(&source.text);
        Ok(Self { sniffed: true, ..Self::parse_with(source, delimiter)? })
    }

    /// Reads the header of text whose records are separated by `delimiter`.
    /// The header is the first record, or — in a sheet with title lines above its table
    /// ("UBND THÀNH PHỐ …", "Bảng tự đánh giá …") — the first of the first
    /// [`TITLE_LINES`] records that names an agency column beside another; the lines
    /// above it are passed over.
    pub fn parse_with(source: SourceFile, delimiter: u8) -> Result<Self, Box<Diagnostic>> {
        let (mut seen, mut header) = (0, None);
        let after = Self::scan(&source, delimiter, 0, |row| {
            if names_agencies(row.fields.iter()) {
                header = Some(row.clone());
            }
            seen += 1;
            header.is_none() && seen < TITLE_LINES
        });
        // Where no line names an agency column, the first is the header, and the reader of
        // the table says what it lacks.
        let body = if header.is_some() {
            after
        } else {
            Self::scan(&source, delimiter, 0, |row| {
                header = Some(row.clone());
                false
            })
        };
        let Some(header) = header else {
            return Err(Box::new(
                Diagnostic::error(
                    "empty-table",
                    tr!(
                        "{path} is empty: it has no header and no rows",
                        "tệp {path} trống: không có dòng tiêu đề và không có dòng dữ liệu nào",
                        path = source.path
                    ),
                )
                .help(tr!(
                    "the first line names the columns, e.g. agency,code,value,evidence,note",
                    "dòng đầu tiên ghi tên các cột, ví dụ agency,code,value,evidence,note"
                )),
            ));
        };
        if header.fields.len() > MAX_COLUMNS {
            return Err(Box::new(
                Diagnostic::error(
                    "too-many-columns",
                    tr!(
                        "{path} has {count} columns; a table has at most {MAX_COLUMNS}, as in Excel",
                        "tệp {path} có {count} cột; một bảng có tối đa {MAX_COLUMNS} cột, như trong Excel",
                        path = source.path,
                        count = header.fields.len()
                    ),
                )
                .help(tr!(
                    "a long-form file needs only agency,code,value,evidence,note; a wide one a column per sub-criterion",
                    "tệp dạng dọc chỉ cần các cột agency,code,value,evidence,note; tệp dạng ngang thì mỗi tiêu chí thành phần một cột"
                )),
            ));
        }
        if let Some(i) = header.fields.iter().position(too_long) {
            let chars = header.fields[i].chars().count();
            return Err(Box::new(Diagnostic::error(
                "cell-too-long",
                tr!(
                    "{path}, line {line}: header cell {n} holds {chars} characters; a cell holds at most {MAX_CELL_CHARS}, as in Excel",
                    "dòng {line} của {path}: ô tiêu đề thứ {n} chứa {chars} ký tự; mỗi ô chứa tối đa {MAX_CELL_CHARS} ký tự, như trong Excel",
                    path = source.path,
                    line = header.line,
                    n = i + 1
                ),
            )));
        }
        Ok(Table {
            source,
            delimiter,
            header,
            body,
            problems: Vec::new(),
            sniffed: false,
            sheet: None,
        })
    }

    /// Checks a record's shape before its cells are read: no more cells than the header
    /// has columns, none longer than Excel holds, no quote left open that takes in the
    /// rows below it, the separator of the header, not the header again. Reports what is
    /// wrong and returns whether the row can be read. A row may stop short: the cells it
    /// leaves out are empty, as in a hand-written file or a sheet's unanswered row.
    pub fn check_row(&self, row: &Row, out: &mut Vec<Diagnostic>) -> bool {
        let path = &self.source.path;
        let before = out.len();
        let columns = self.header.width();
        let line = row.line;
        for (i, field) in row.fields.iter().enumerate() {
            if too_long(field) {
                let column = self.column_name(i);
                let (column_en, column_vi) = (&column.en, &column.vi);
                let chars = field.chars().count();
                out.push(
                    Diagnostic::error(
                        "cell-too-long",
                        tr!(
                            "{path}, line {line}: the cell {column_en} holds {chars} characters; a cell holds at most {MAX_CELL_CHARS}, as in Excel",
                            "dòng {line} của {path}: ô {column_vi} chứa {chars} ký tự; mỗi ô chứa tối đa {MAX_CELL_CHARS} ký tự, như trong Excel"
                        ),
                    )
                    .at(self.span(row, i), tr!("this cell", "ô này"))
                    .help(tr!(
                        "keep long texts in the documents themselves, and cite them",
                        "hãy để các đoạn văn bản dài trong chính tài liệu, và chỉ ghi dẫn chiếu đến tài liệu đó"
                    )),
                );
            }
        }
        if out.len() > before {
            return false;
        }
        let bytes = row.fields.as_slice().as_bytes();
        let multi_line = memchr::memchr2(b'\n', b'\r', bytes).is_some();
        if let Some(d) = multi_line.then(|| self.open_quote(row, columns)).flatten() {
            out.push(d);
            return false;
        }
        let d = self.delimiter;
        // A row that is one cell holding another separator was saved with that one.
        let other = (self.sniffed && row.fields.len() == 1 && columns > 1)
            .then(|| [b',', b';', b'\t'].into_iter().find(|&o| o != d && bytes.contains(&o)))
            .flatten();
        let width = row.width();
        // Every column filled in and still more cells: a cell holding the separator has
        // pushed the cells after it one column to the right.
        let named = self.header.fields.len();
        let pushed = row.fields.len() > named && !row.get(named - 1).is_empty();
        if width > columns || pushed {
            let cells = width.max(row.fields.len());
            // Where the cells after the last column hold something, they are shown; where
            // they are empty, the row that holds one cell too many.
            let (at, label) = if width > columns {
                (
                    self.span(row, columns),
                    tr!("a cell beyond the last column", "ô nằm ngoài cột cuối cùng"),
                )
            } else {
                (self.source.line_span(row.start), tr!("{cells} cells", "{cells} ô"))
            };
            let sep = separator(d);
            let (sep_en, sep_vi) = (&sep.en, &sep.vi);
            out.push(
                Diagnostic::error(
                    "field-count",
                    tr!(
                        "{path}, line {line}: the row has {cells} cells, but the header names {columns} columns",
                        "dòng {line} của {path}: dòng này có {cells} ô, nhưng dòng tiêu đề chỉ đặt tên cho {columns} cột"
                    ),
                )
                .at(at, label)
                .help(tr!(
                    "a cell that holds {sep_en} must be in double quotes; a column of your own needs a name in the header",
                    "ô có chứa {sep_vi} phải được đặt trong dấu ngoặc kép; cột tự thêm phải có tên ở dòng tiêu đề"
                )),
            );
        } else if let Some(o) = other {
            let (found, header) = (separator(o), separator(d));
            let (found_en, found_vi, header_en, header_vi) =
                (&found.en, &found.vi, &header.en, &header.vi);
            out.push(
                Diagnostic::error(
                    "field-count",
                    tr!(
                        "{path}, line {line}: the row is one cell, but the header names {columns} columns: it separates them with {found_en} instead of {header_en}",
                        "dòng {line} của {path}: dòng này chỉ là một ô, nhưng dòng tiêu đề đặt tên cho {columns} cột: dòng này phân tách các ô bằng {found_vi} thay vì {header_vi}"
                    ),
                )
                .at(
                    self.span(row, 0),
                    tr!(
                        "{found_en} here, where the header has {header_en}",
                        "ở đây là {found_vi}, còn dòng tiêu đề dùng {header_vi}"
                    ),
                )
                .help(tr!(
                    "save every row with the separator of the header line",
                    "hãy lưu mọi dòng với cùng dấu phân tách như dòng tiêu đề"
                )),
            );
        } else if row.fields.len() > 1
            && row.get(0).eq_ignore_ascii_case(self.header.get(0))
            && (0..self.header.fields.len())
                .all(|i| ascii_key(row.get(i)) == ascii_key(self.header.get(i)))
        {
            let header = self.header.line;
            out.push(
                Diagnostic::error(
                    "repeated-header",
                    tr!(
                        "{path}, line {line}: the row repeats the header of line {header}: were two files joined into one?",
                        "dòng {line} của {path}: dòng này lặp lại dòng tiêu đề ở dòng {header}: phải chăng hai tệp đã được ghép làm một?"
                    ),
                )
                .at(self.source.line_span(row.start), tr!("the header again", "dòng tiêu đề lặp lại"))
                .help(tr!(
                    "delete the line, and check that the joined files give no cell twice",
                    "hãy xóa dòng này, và kiểm tra để các tệp được ghép không khai một ô hai lần"
                )),
            );
        }
        out.len() == before
    }

    /// A column as messages name it: by its header, or by its number past the header.
    fn column_name(&self, i: usize) -> Text {
        match self.header.get(i) {
            "" => {
                let n = i + 1;
                tr!("in column {n}", "ở cột {n}")
            }
            name => {
                let name = quote(name);
                tr!("under {name}", "thuộc cột {name}")
            }
        }
    }

    /// The quote of a record whose cell runs over several lines, when it is not a cell
    /// that holds line breaks but a quote left open: one never closed, one closed only
    /// after lines that look like rows, or one closed with text after it.
    fn open_quote(&self, row: &Row, columns: usize) -> Option<Diagnostic> {
        let path = &self.source.path;
        let text = self.source.text.as_bytes();
        let d = self.delimiter;
        let help = tr!(
            "end the cell with a quote (\"); a quote inside a cell is written twice (\"\")",
            "hãy kết thúc ô bằng một dấu ngoặc kép (\"); dấu ngoặc kép nằm trong ô thì viết hai lần (\"\")"
        );
        let line = |at: usize| self.source.line_col(at).0;
        let (mut i, mut cell_start, mut opened) = (row.start, true, None);
        while i < text.len() {
            let b = text[i];
            match opened {
                Some(open) if b == b'"' => {
                    if text.get(i + 1) == Some(&b'"') {
                        i += 2;
                        continue;
                    }
                    let cell = &self.source.text[open + 1..i];
                    if cell.contains(['\n', '\r']) && swallows_rows(cell.as_bytes(), d, columns) {
                        let (open_line, closed) = (line(open), line(i));
                        return Some(
                            Diagnostic::error(
                                "open-quote",
                                tr!(
                                    "{path}, line {open_line}: the quote opened here is closed only on line {closed}, and the lines between look like rows: a closing quote is missing",
                                    "dòng {open_line} của {path}: dấu ngoặc kép mở ở đây đến dòng {closed} mới được đóng, và các dòng ở giữa trông như những dòng dữ liệu: thiếu một dấu ngoặc kép đóng"
                                ),
                            )
                            .at(open..open + 1, tr!("opened here", "mở ở đây"))
                            .with_context(i..i + 1, tr!("closed here", "đóng ở đây"))
                            .help(help),
                        );
                    }
                    let after = text.get(i + 1).copied();
                    if after.is_some_and(|a| a != d && a != b'\n' && a != b'\r') {
                        let (ends, open_line) = (line(i), line(open));
                        return Some(
                            Diagnostic::error(
                                "open-quote",
                                tr!(
                                    "{path}, line {ends}: a quote ends the cell opened on line {open_line}, but text follows it",
                                    "dòng {ends} của {path}: dấu ngoặc kép kết thúc ô được mở ở dòng {open_line}, nhưng ngay sau đó vẫn còn chữ"
                                ),
                            )
                            .at(i..i + 1, tr!("the cell ends here", "ô kết thúc ở đây"))
                            .with_context(open..open + 1, tr!("opened here", "mở ở đây"))
                            .help(help),
                        );
                    }
                    opened = None;
                }
                None if b == b'"' && cell_start => opened = Some(i),
                None if b == d => {
                    cell_start = true;
                    i += 1;
                    continue;
                }
                None if b == b'\n' || b == b'\r' => return None,
                // Inside a quoted cell, or within an unquoted one.
                Some(_) | None => {}
            }
            cell_start = false;
            i += 1;
        }
        let open = opened?;
        let (open_line, last) = (line(open), self.source.lines());
        Some(
            Diagnostic::error(
                "open-quote",
                tr!(
                    "{path}, line {open_line}: the quote opened here is never closed, so the rest of the file, to line {last}, reads as one cell",
                    "dòng {open_line} của {path}: dấu ngoặc kép mở ở đây không được đóng, nên toàn bộ phần còn lại của tệp, đến dòng {last}, bị đọc thành một ô"
                ),
            )
            .at(open..open + 1, tr!("opened here", "mở ở đây"))
            .help(help),
        )
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

    /// The line a row stands on, for marking a whole row.
    pub(crate) fn line_span(&self, row: &Row) -> Range<usize> {
        self.source.line_span(row.start)
    }

    /// Where every field of `row` stands in the text, found in one pass.
    pub fn spans(&self, row: &Row) -> Vec<Range<usize>> {
        field_spans(&self.source.text, row.start, self.delimiter)
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

/// Whether a cell holds more characters than Excel does (counted only when its bytes do).
fn too_long(cell: &str) -> bool {
    cell.len() > MAX_CELL_CHARS && cell.chars().count() > MAX_CELL_CHARS
}

/// A delimiter in words, for messages.
fn separator(d: u8) -> Text {
    match d {
        b';' => Text::same("';'"),
        b'\t' => tr!("a tab", "dấu tab"),
        _ => Text::same("','"),
    }
}

/// Whether a cell that holds line breaks has a line after its first that holds a whole
/// row's worth of separators: the rows a quote left open has taken in. Shared with the
/// quick reader, which must refuse what this reader reports.
pub fn swallows_rows(cell: &[u8], delimiter: u8, columns: usize) -> bool {
    columns > 1
        && cell
            .split(|&b| b == b'\n' || b == b'\r')
            .skip(1)
            .any(|line| memchr::memchr_iter(delimiter, line).count() + 1 >= columns)
}

/// Decodes bytes to NFC text: UTF-8 (a BOM is dropped), UTF-16 with a BOM, and anything
/// that is not UTF-8 as Windows-1258, which Excel writes for "CSV" on Vietnamese Windows.
/// The digest of UTF-8 files is worked out on the other core while the text is checked.
/// Bytes that are no text at all, or TCVN3, are refused; UTF-8 damaged in a few places
/// is read with the places marked (�) and each one reported beside the text.
pub fn decode(
    path: String,
    bytes: Vec<u8>,
) -> Result<(SourceFile, Vec<Diagnostic>), Box<Diagnostic>> {
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    let has_utf16_bom = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    if !has_utf16_bom {
        encoding::refuse_binary(&path, &bytes)?;
    }
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
        Err(bytes) if !has_utf16_bom && encoding::damaged_utf8(&bytes) => {
            let text = String::from_utf8_lossy(&bytes[bom..]);
            let source = SourceFile::new(path, nfc(&text)).read_from(&bytes);
            let problems = encoding::damage(&source, encoding::cut_short(&bytes));
            return Ok((source, problems));
        }
        Err(bytes) => {
            if !has_utf16_bom {
                encoding::refuse_tcvn3(&path, &bytes)?;
                encoding::refuse_vni(&path, &bytes)?;
            }
            // A byte-order mark, where there is one, says UTF-8 or UTF-16 and is dropped;
            // anything else is Windows-1258, malformed bytes shown as U+FFFD.
            let (text, _, _) = WINDOWS_1258.decode(&bytes);
            let text = if is_nfc(&text) { text.into_owned() } else { nfc(&text) };
            let mut source = SourceFile::new(path, text);
            source.sha256 = crate::source::sha256(&bytes);
            source
        }
    };
    Ok((source, Vec::new()))
}

/// The delimiter of the header line: whichever of `;`, tab and `,` occurs most outside
/// quotes (`,` when none does).
fn sniff_delimiter(text: &str) -> u8 {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty()).take(TITLE_LINES);
    let first = lines.next().unwrap_or("");
    // Below title lines, the header is the line that names an agency column.
    std::iter::once(first)
        .chain(lines)
        .find_map(|line| {
            let d = most_used_delimiter(line)?;
            names_agencies(line.split(char::from(d)).map(|c| c.trim_matches('"'))).then_some(d)
        })
        .or_else(|| most_used_delimiter(first))
        .unwrap_or(b',')
}

/// The one of `,` `;` and tab a line holds most often outside quotes, if any.
fn most_used_delimiter(line: &str) -> Option<u8> {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in line.bytes() {
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
    counts.iter().filter(|(_, n)| *n > 0).max_by_key(|(_, n)| *n).map(|(d, _)| *d)
}

/// How many records at the top of a file are looked at for the header under title lines.
pub const TITLE_LINES: usize = 20;

/// Whether cells read as a header: an agency column (`agency`, `Mã đơn vị`, `id` …) and
/// at least one other cell with a name. Every table parindex reads has an agency column;
/// a title line ("UBND THÀNH PHỐ HÀ NỘI") is one cell.
fn names_agencies<'a>(cells: impl Iterator<Item = &'a str>) -> bool {
    let (mut named, mut agency) = (0, false);
    for cell in cells {
        let cell = trim_cell(cell);
        if !cell.is_empty() {
            named += 1;
            agency |= AGENCY.matches(&ascii_key(cell));
        }
    }
    agency && named >= 2
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
        Table::parse(decode("t.csv".into(), bytes.to_vec()).unwrap().0).unwrap()
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
    fn title_lines_above_the_header_are_passed_over() {
        // A sheet saved with its titles: the header is the line naming an agency column,
        // whatever separator the title lines hold, or none.
        let titled = "UBND TỈNH\r\nBẢNG TỰ ĐÁNH GIÁ;;\r\n;;\r\nMã đơn vị;Mã tiêu chí;Giá trị\r\nso;1.1;0,5\r\n";
        let t = table(titled.as_bytes());
        assert_eq!((t.delimiter, t.header.get(0), t.header.line), (b';', "Mã đơn vị", 4));
        assert_eq!((rows(&t)[0].get(2), rows(&t)[0].line), ("0,5", 5));
        // A workbook's first sheet, laid out as tab-separated text.
        let sheet = SourceFile::new("t.xlsx", "Sở Nội vụ\t\t\nid\tname\tgroup\nso\tSở\tA\n");
        let t = Table::parse_with(sheet, b'\t').unwrap();
        assert_eq!((t.header.get(0), t.header.line, rows(&t)[0].get(1)), ("id", 2, "Sở"));
        // A header that names no agency column stays the first line, and is reported as
        // such by the readers; so does one past the first 20 lines.
        let t = table(b"code,value\n1.1,1\n");
        assert_eq!(t.header.get(0), "code");
        let late = format!("{}agency,code\nso,1.1\n", "title\n".repeat(TITLE_LINES));
        assert_eq!(table(late.as_bytes()).header.get(0), "title");
        // One cell that reads as an agency column is a title, not a header.
        assert_eq!(table(b"Ma\nagency,code\nso,1.1\n").header.get(0), "agency");
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
