//! Excel workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods): the first visible sheet, read with
//! calamine and laid out as tab-separated text, one line per spreadsheet row, so that
//! every data file goes through one reader and messages name the sheet's row. A cell is
//! laid out as it shows in Excel: a percent-formatted 0.85 as `85%`, a date as
//! `2025-10-09`; the date cells are kept aside, since no value of a leaf is a date.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::Path;

use calamine::{
    Data, Reader, SheetType, SheetVisible, Sheets, XlsxFormulaMetadata, open_workbook_auto_from_rs,
};
use rust_decimal::Decimal;

use crate::diagnostic::Diagnostic;
use crate::lang::Text;
use crate::source::SourceFile;
use crate::tr;

/// Whether a path names a workbook rather than a text table.
pub(crate) fn is_workbook(path: &Path) -> bool {
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
    /// Cells that hold a formula and no saved value, in the order of the sheet: a
    /// workbook written by a program that does not work formulas out.
    pub formulas: Vec<Formula>,
}

/// A cell that holds a formula and no saved value: its place (0-based) and the formula,
/// empty for a cell that shares the formula of another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formula {
    pub row: u32,
    pub column: u32,
    pub text: String,
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
pub(crate) fn column_letters(column: usize) -> String {
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
pub(crate) fn to_text(path: String, bytes: &[u8]) -> Result<(SourceFile, Sheet), Box<Diagnostic>> {
    if bytes.is_empty() {
        return Err(Box::new(
            Diagnostic::error(
                "empty-table",
                tr!(
                    "{path} is empty: it has no sheet, no header and no rows",
                    "tệp {path} trống: không có trang tính, dòng tiêu đề hay dòng dữ liệu nào"
                ),
            )
            .help(tr!(
                "save the workbook again from Excel, or export the sheet as CSV",
                "hãy lưu lại tệp từ Excel, hoặc xuất trang tính ra tệp CSV"
            )),
        ));
    }
    let digest = crate::source::sha256(bytes);
    // Text saved under a workbook's name is told apart from a workbook that is damaged.
    let text = crate::read::encoding::refuse_binary(&path, bytes).is_ok();
    let fail = |why: Text| {
        let help = if text {
            tr!(
                "it holds text, not a workbook: give it back its .csv name",
                "tệp chứa văn bản, không phải tệp Excel: hãy đổi lại đuôi tên tệp thành .csv"
            )
        } else {
            tr!(
                "it is not a workbook, or one damaged or cut short: save it again from Excel as .xlsx, or export the sheet as CSV",
                "đây không phải tệp Excel, hoặc là tệp Excel bị hỏng hay bị cắt mất phần cuối: hãy mở bằng Excel và lưu lại thành .xlsx, hoặc xuất trang tính ra tệp CSV"
            )
        };
        let (en, vi) = (&why.en, &why.vi);
        Box::new(
            Diagnostic::error(
                "unreadable-table",
                tr!(
                    "{path} cannot be read as a workbook: {en}",
                    "không đọc được {path} như một tệp Excel: {vi}"
                ),
            )
            .help(help),
        )
    };
    if let Some(refusal) = refused_parts(bytes) {
        let (en, vi) = (&refusal.why.en, &refusal.why.vi);
        let message = tr!("{path} {en}", "tệp {path} {vi}");
        return Err(Box::new(Diagnostic::error(refusal.code, message).help(refusal.help)));
    }
    let mut book = match open_workbook_auto_from_rs(Cursor::new(bytes)) {
        Ok(book) => book,
        Err(_) if is_encrypted(bytes) => {
            return Err(Box::new(
                Diagnostic::error(
                    "unreadable-table",
                    tr!(
                        "{path} is protected by a password: parindex cannot read it",
                        "tệp {path} được bảo vệ bằng mật khẩu: parindex không đọc được"
                    ),
                )
                .help(tr!(
                    "open it in Excel, remove the password (File → Info → Protect Workbook → Encrypt with Password, and leave the password empty) and save it again",
                    "hãy mở tệp bằng Excel, gỡ mật khẩu (File → Info → Protect Workbook → Encrypt with Password, rồi để trống ô mật khẩu) và lưu lại"
                )),
            ));
        }
        // Calamine's reason is its own sentence, in English whatever the language.
        Err(e) => return Err(fail(Text::same(e.to_string()))),
    };
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
        return Err(fail(tr!("it has no sheet", "tệp không có trang tính nào")));
    };
    let mut cells = match read_cells(&mut book, &name) {
        Ok(cells) => cells,
        Err(Stop::Unreadable(why)) => return Err(fail(Text::same(why))),
        Err(Stop::Far { at: (row, column), shown, rows, columns }) => {
            let cell = format!("{}{}", column_letters(column as usize), row + 1);
            let sheet = crate::text::quote(&name);
            let what = if shown.is_empty() {
                tr!("a formula", "một công thức")
            } else {
                Text::same(crate::text::quote(&shown))
            };
            let (what_en, what_vi) = (&what.en, &what.vi);
            let cells = rows * columns;
            return Err(Box::new(
                Diagnostic::error(
                    "too-large",
                    tr!(
                        "{path}, sheet {sheet}: the cell {cell} ({what_en}) is far outside any table: from A1 to it the sheet spans {rows} rows and {columns} columns, {cells} cells; parindex reads sheets of at most {MAX_AREA} cells",
                        "trang tính {sheet} của {path}: ô {cell} ({what_vi}) nằm quá xa mọi bảng: tính từ A1 đến ô này, trang tính trải ra {rows} dòng và {columns} cột, tức {cells} ô; parindex chỉ đọc trang tính có tối đa {MAX_AREA} ô"
                    ),
                )
                .help(tr!(
                    "a value or a formula left there makes the sheet that large: go to {cell} (Ctrl+G, type {cell}), delete what is in it, and save the workbook again",
                    "chính giá trị hay công thức sót lại ở đó làm trang tính lớn như vậy: hãy đến ô {cell} (Ctrl+G, gõ {cell}), xóa nội dung trong ô, rồi lưu lại tệp"
                )),
            ));
        }
    };
    // In the order of the sheet: rows, then columns. A sheet's XML lists them so, but
    // nothing makes it.
    cells.values.sort_by_key(|c| c.0);
    let mut sheet = Sheet { name, dates: HashMap::new(), formulas: cells.formulas };
    let mut text = String::new();
    let mut line = String::new();
    // The row being laid out, and how many of its fields are written.
    let (mut row, mut fields) = (0u32, 0u32);
    for ((r, c), cell, percent) in &cells.values {
        while row < *r {
            text.push_str(line.trim_end_matches('\t'));
            text.push('\n');
            line.clear();
            (row, fields) = (row + 1, 0);
        }
        // Field c is preceded by c tabs: rows and columns keep their place.
        let tabs = if fields == 0 { *c } else { c.saturating_sub(fields - 1) };
        line.extend(std::iter::repeat_n('\t', tabs as usize));
        fields = c + 1;
        let shown = cell_text(cell, *percent);
        line.push_str(&quoted(&shown));
        let day_month = match cell {
            Data::DateTime(d) if d.as_f64() >= 1.0 => {
                let (_, month, day, ..) = d.to_ymd_hms_milli();
                Some((day, month))
            }
            Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => None,
            _ => continue,
        };
        sheet.dates.insert((*r as usize + 1, *c as usize), Date { shown, day_month });
    }
    if !cells.values.is_empty() {
        text.push_str(line.trim_end_matches('\t'));
        text.push('\n');
    }
    let mut source = SourceFile::new(path, crate::text::nfc(&text));
    source.sha256 = digest;
    Ok((source, sheet))
}

/// The most cells a sheet may span, from A1 to its farthest row and column: some ten
/// times the largest table a round needs (a million rows of a long-form file). Calamine
/// sets aside room for every cell of that area, and the sheet is laid out as text over
/// it: one value typed at XFD1048576 (the last cell Excel has) would ask for 549 GB.
pub(crate) const MAX_AREA: u64 = 50_000_000;

/// A sheet's cells that hold something, each with whether Excel shows it as a percent,
/// and its formulas that have no saved value.
struct Cells {
    values: Vec<((u32, u32), Data, bool)>,
    formulas: Vec<Formula>,
}

/// Why a sheet's cells were not read: calamine's reason, or a cell so far from A1 that
/// the sheet would span more than [`MAX_AREA`] cells (its place, its value as shown, and
/// the rows and columns it spans).
enum Stop {
    Unreadable(String),
    Far { at: (u32, u32), shown: String, rows: u64, columns: u64 },
}

/// The rows and columns from A1 to the farthest cell met so far.
#[derive(Default)]
struct Extent {
    rows: u64,
    columns: u64,
}

impl Extent {
    /// Takes in a cell; a [`Stop::Far`] when the area would pass [`MAX_AREA`].
    fn take(
        &mut self,
        (row, column): (u32, u32),
        shown: impl FnOnce() -> String,
    ) -> Result<(), Stop> {
        let rows = self.rows.max(u64::from(row) + 1);
        let columns = self.columns.max(u64::from(column) + 1);
        if rows * columns > MAX_AREA {
            return Err(Stop::Far { at: (row, column), shown: shown(), rows, columns });
        }
        (self.rows, self.columns) = (rows, columns);
        Ok(())
    }
}

/// The cells of sheet `name` that hold something, read one by one where calamine can
/// (.xlsx, .xlsm, .xlsb) rather than as a range, which it makes as large as the area
/// from the sheet's first cell to its last. An .xls sheet has at most 65,536 rows and 256
/// columns; an .ods one is read as a range.
fn read_cells<RS: Read + std::io::Seek + Clone>(
    book: &mut Sheets<RS>,
    name: &str,
) -> Result<Cells, Stop> {
    // Said as calamine says them for any workbook: "Xlsx error: …".
    let xml_error = |e| Stop::Unreadable(calamine::Error::Xlsx(e).to_string());
    let binary_error = |e| Stop::Unreadable(calamine::Error::Xlsb(e).to_string());
    let mut extent = Extent::default();
    let mut out = Cells { values: Vec::new(), formulas: Vec::new() };
    match book {
        Sheets::Xlsx(book) => {
            // Number formats first: which style ids show a percent, then which cells
            // have one of them. Only the percent cells are kept.
            let mut percent_cells = std::collections::HashSet::new();
            let mut reader = book.worksheet_cells_reader(name).map_err(xml_error)?;
            let percent_styles: Vec<bool> = reader
                .styles()
                .iter()
                .map(|s| {
                    s.number_format.as_ref().is_some_and(|f| is_percent_format(&f.format_code))
                })
                .collect();
            while let Some((row, column, style)) = reader.next_style_id().map_err(xml_error)? {
                if percent_styles.get(style) == Some(&true) {
                    percent_cells.insert((row, column));
                }
            }
            drop(reader);
            let mut reader = book.worksheet_cells_reader(name).map_err(xml_error)?;
            // Formulas as calamine stores them, not worked out for the cells that share
            // one: that would set aside room for as many shared formulas as a cell's `si`
            // says, which a file can make four billion.
            while let Some(cell) = reader.next_cell_with_formula_metadata().map_err(xml_error)? {
                let value = Data::from(cell.value);
                match (value, cell.formula) {
                    (Data::Empty, Some(formula)) => {
                        let formula = match formula {
                            XlsxFormulaMetadata::Normal { formula }
                            | XlsxFormulaMetadata::Shared { formula, .. } => formula,
                            _ => String::new(),
                        };
                        extent.take(cell.pos, String::new)?;
                        out.formulas.push(Formula {
                            row: cell.pos.0,
                            column: cell.pos.1,
                            text: formula,
                        });
                    }
                    (Data::Empty, None) => {}
                    (value, _) => {
                        let percent = percent_cells.contains(&cell.pos);
                        extent.take(cell.pos, || cell_text(&value, percent))?;
                        out.values.push((cell.pos, value, percent));
                    }
                }
            }
        }
        Sheets::Xlsb(book) => {
            let mut reader = book.worksheet_cells_reader(name).map_err(binary_error)?;
            while let Some(cell) = reader.next_cell().map_err(binary_error)? {
                let (at, value) = (cell.get_position(), Data::from(cell.get_value().clone()));
                if value != Data::Empty {
                    extent.take(at, || cell_text(&value, false))?;
                    out.values.push((at, value, false));
                }
            }
        }
        other => {
            let range = other.worksheet_range(name).map_err(|e| Stop::Unreadable(e.to_string()))?;
            for (r, c, value) in range.used_cells() {
                let at =
                    (u32::try_from(r).unwrap_or(u32::MAX), u32::try_from(c).unwrap_or(u32::MAX));
                extent.take(at, || cell_text(value, false))?;
                out.values.push((at, value.clone(), false));
            }
        }
    }
    Ok(out)
}

/// Whether bytes that no workbook reader could open are a workbook saved with a password:
/// Excel then stores it encrypted, inside an OLE compound file (as an old .xls is), with
/// an `EncryptedPackage` stream (.xlsx), or with a FILEPASS record (.xls).
fn is_encrypted(bytes: &[u8]) -> bool {
    if !bytes.starts_with(&OLE_MAGIC) {
        return false;
    }
    matches!(calamine::Xlsx::new(Cursor::new(bytes)), Err(calamine::XlsxError::Password))
        || matches!(calamine::Xls::new(Cursor::new(bytes)), Err(calamine::XlsError::Password))
}

/// The first bytes of an OLE compound file: an .xls workbook, or one saved with a password.
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The most bytes the parts of a zip-based workbook may unpack to, all together: a
/// quarter of the largest data file parindex reads, and several times the largest sheet
/// Excel can hold (1,048,576 rows of a long-form table).
pub(crate) const MAX_UNPACKED: u64 = 1 << 30;

/// The most bytes a part may unpack to for each byte packed, once it is larger than
/// [`RATIO_FROM`]: the sheets, strings and styles of real workbooks pack some 5 to 50
/// times; only a zip bomb (a small file that unpacks to gigabytes) packs near deflate's
/// limit of about 1,000.
const MAX_RATIO: u64 = 200;

/// The size from which a part's ratio is looked at: a small part cannot do harm.
const RATIO_FROM: u64 = 10 << 20;

/// Why a zip-based workbook (.xlsx, .xlsm, .xlsb, .ods) is refused before calamine reads
/// it, if it is: the code, what is wrong (said after the file's name), and what to do.
struct Refusal {
    code: &'static str,
    why: Text,
    help: Text,
}

/// Checks the parts of a zip-based workbook before calamine reads them, which it does
/// into memory and as far as it needs only. Their sizes as the zip's directory declares
/// them, all together and against what they pack into, refuse a zip bomb before a byte
/// is unpacked; then every part is read to its end once, through a limit one byte past
/// its declared size, which checks it against its checksum and refuses a part whose
/// declared size lies. A workbook damaged in copying would otherwise read as figures no
/// one typed.
fn refused_parts(bytes: &[u8]) -> Option<Refusal> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    // A zip that cannot be opened is one calamine could not open either.
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let named = |part: &zip::read::ZipFile<'_, _>, i: usize| {
        part.name().map_or_else(|_| number(i), |n| Text::same(crate::text::quote(&n)))
    };
    // Sizes first, all together: a zip bomb is refused by what it declares.
    let (mut total, mut largest) = (0u64, (0u64, Text::default()));
    let mut packing = None;
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index_raw(i) else { continue };
        let (size, packed) = (part.size(), part.compressed_size());
        total = total.saturating_add(size);
        if size > largest.0 {
            largest = (size, named(&part, i));
        }
        if packing.is_none() && size > RATIO_FROM && size / packed.max(1) > MAX_RATIO {
            packing = Some((named(&part, i), size, packed));
        }
    }
    if total > MAX_UNPACKED {
        let (size, en, vi) = (largest.0, &largest.1.en, &largest.1.vi);
        return Some(Refusal {
            code: "too-large",
            why: tr!(
                "unpacks to {total} bytes (its part {en} alone to {size}); parindex reads workbooks that unpack to at most {MAX_UNPACKED} bytes",
                "khi giải nén chiếm {total} byte (riêng phần {vi} đã chiếm {size} byte); parindex chỉ đọc tệp Excel giải nén ra tối đa {MAX_UNPACKED} byte"
            ),
            help: tr!(
                "split the table into several workbooks, or export the sheet as CSV",
                "hãy tách bảng ra nhiều tệp Excel, hoặc xuất trang tính ra tệp CSV"
            ),
        });
    }
    if let Some((name, size, packed)) = packing {
        let (en, vi) = (&name.en, &name.vi);
        return Some(Refusal {
            code: "unreadable-table",
            why: tr!(
                "cannot be read as a workbook: its part {en} packs {size} bytes into {packed}, more than a workbook's parts ever do: it is a zip bomb",
                "không đọc được như một tệp Excel: phần {vi} nén {size} byte vào {packed} byte, nhiều hơn mọi tệp Excel thật: đây là một \"zip bomb\" (tệp nén độc hại)"
            ),
            help: tr!(
                "it is no workbook parindex can read: if it is one, open it in Excel and save it again, or export the sheet as CSV",
                "đây không phải tệp Excel mà parindex đọc được: nếu đúng là tệp Excel, hãy mở bằng Excel rồi lưu lại, hoặc xuất trang tính ra tệp CSV"
            ),
        });
    }
    for i in 0..zip.len() {
        let mut part = match zip.by_index(i) {
            Ok(part) => part,
            // A part packed in a way this reader does not know is one calamine does not
            // read either; had it needed it, it would have failed.
            Err(zip::result::ZipError::UnsupportedArchive(_)) => continue,
            Err(e) => {
                return Some(damaged(&number(i), &cannot_be_read(&e)));
            }
        };
        let (name, size) = (named(&part, i), part.size());
        match std::io::copy(&mut (&mut part).take(size.saturating_add(1)), &mut std::io::sink()) {
            Ok(read) if read > size => {
                return Some(damaged(
                    &name,
                    &tr!(
                        "unpacks to more than the {size} bytes it declares",
                        "khi giải nén lớn hơn {size} byte như đã khai"
                    ),
                ));
            }
            Ok(_) => {}
            Err(e) if e.to_string().to_lowercase().contains("checksum") => {
                return Some(damaged(
                    &name,
                    &tr!("does not match its checksum", "không khớp với mã kiểm tra (checksum)"),
                ));
            }
            Err(e) => return Some(damaged(&name, &cannot_be_read(&e))),
        }
    }
    None
}

/// A part of a workbook named by its place, where its name cannot be read.
fn number(i: usize) -> Text {
    let n = i + 1;
    tr!("number {n}", "số {n}")
}

/// A part that cannot be read, with the zip reader's reason (its own, in English).
fn cannot_be_read(e: &dyn std::fmt::Display) -> Text {
    tr!("cannot be read: {e}", "không đọc được: {e}")
}

/// A workbook one of whose parts does not read back as it should.
fn damaged(part: &Text, why: &Text) -> Refusal {
    let (part_en, part_vi, why_en, why_vi) = (&part.en, &part.vi, &why.en, &why.vi);
    Refusal {
        code: "unreadable-table",
        why: tr!(
            "is a damaged workbook: its part {part_en} {why_en}",
            "là tệp Excel bị hỏng: phần {part_vi} {why_vi}"
        ),
        help: tr!(
            "it was damaged in copying or sending, and its figures cannot be trusted: open it in Excel, which offers to repair it, check the figures and save it again, or ask for the file again",
            "tệp đã bị hỏng khi sao chép hoặc gửi đi, nên không thể tin các số liệu trong tệp: hãy mở bằng Excel (Excel sẽ đề nghị sửa tệp), kiểm tra lại số liệu rồi lưu lại, hoặc đề nghị gửi lại tệp"
        ),
    }
}

/// A cell as it shows in Excel and as a person would type it: whole numbers without a
/// decimal point, other numbers in their shortest exact decimal form, a number formatted
/// as a percent with its percent sign (0.85 shows as 85%), a date as 2025-10-09.
fn cell_text(cell: &Data, percent: bool) -> String {
    match cell {
        Data::Float(f) if percent => percent_text(&f.to_string()).unwrap_or_else(|| plain(*f)),
        Data::Int(i) if percent => percent_text(&i.to_string()).unwrap_or_else(|| i.to_string()),
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
        let text = |d: Data| cell_text(&d, false);
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
        let date = |v: f64| {
            cell_text(
                &Data::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false)),
                false,
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
