//! What the quick readers share: a plain text file read in blocks straight from the disk,
//! each block cut at line ends outside quotes into parts that are parsed on every core.
//! A quick reader gives up at anything it does not read itself, and the file is read
//! again the thorough way (`read::table`), which reports it with its place.

use std::fs::File;
use std::io::{Read, Seek, Take};
use std::ops::Range;
use std::path::Path;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::read::encoding;
use crate::read::file::MAX_DATA_BYTES;
use crate::read::ids::Ids;
use crate::read::table::{Table, trim_cell};
use crate::source::SourceFile;
use crate::text::is_nfc;

/// Bytes read at a time: large enough to split across the cores, small enough that the
/// block is nothing beside the round.
pub(crate) const BLOCK: usize = 16 << 20;
/// Parts each block is parsed in, so that the cores stay busy while one of them hashes.
pub(crate) const PARTS: usize = 8;

/// A plain file opened for a quick read, cut one byte past the size a data file may have
/// (a file that grows while it is read is then left to the thorough reader, which refuses
/// it). `None` for what the quick readers leave to the thorough one: a workbook, a pipe
/// (read here first, it would be empty there), a device, a file too large, or bytes the
/// thorough reader refuses as binary before any row.
pub(crate) fn open(path: &Path) -> Option<Take<File>> {
    if crate::read::xlsx::is_workbook(path) {
        return None;
    }
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_DATA_BYTES {
        return None;
    }
    let mut file = File::open(path).ok()?;
    let mut start = Vec::with_capacity(encoding::SAMPLE);
    (&mut file).take(encoding::SAMPLE as u64).read_to_end(&mut start).ok()?;
    if encoding::binary_at(&start).is_some() {
        return None;
    }
    file.seek(std::io::SeekFrom::Start(0)).ok()?;
    Some(file.take(MAX_DATA_BYTES + 1))
}

/// Whether the whole file was read: a file cut at [`open`]'s limit was not.
pub(crate) fn whole(file: &Take<File>) -> bool {
    file.limit() > 0
}

/// The header of a text file at the start of `buf`, or that it is not all there yet.
pub(crate) enum Head {
    /// The header read by the thorough reader's own code, from the lines up to the first
    /// that holds anything, and where the records after it begin.
    Found(Box<Table>, usize),
    More,
}

/// The header at the start of `buf` (`eof`: nothing comes after it). `None` for what the
/// quick readers leave to the thorough one: UTF-16, bytes that are not UTF-8, text not
/// in NFC, a quote left open, no line that holds anything.
pub(crate) fn head(path: &Path, buf: &[u8], eof: bool) -> Option<Head> {
    if buf.starts_with(&[0xFF, 0xFE]) || buf.starts_with(&[0xFE, 0xFF]) {
        return None;
    }
    let bom = if buf.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    let mut end = bom;
    loop {
        let line_end = memchr::memchr(b'\n', &buf[end..]).map(|n| end + n + 1);
        let line_end = match line_end {
            Some(e) => e,
            None if eof => buf.len(),
            None => return Some(Head::More),
        };
        let line = &buf[end..line_end];
        end = line_end;
        if line.iter().any(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b',' | b';' | b'"')) {
            break;
        }
        if end == buf.len() {
            return (!eof).then_some(Head::More);
        }
    }
    let text = std::str::from_utf8(&buf[bom..end]).ok()?;
    if !is_nfc(text) || !memchr::memchr_iter(b'"', text.as_bytes()).count().is_multiple_of(2) {
        return None;
    }
    // Named as the thorough reader names it.
    let shown = path.display().to_string().replace('\\', "/");
    let table = Table::parse(SourceFile::new(shown, text)).ok()?;
    Some(Head::Found(Box::new(table), end))
}

/// Reads into `buf` until it holds a block (twice what it holds, when a record is longer
/// than a block) or the file ends; `Some(true)` at the end. The bytes are read into the
/// buffer's spare room as they come, never zero-filled first: zeroing a 16 MiB block
/// cost a province-sized round two thirds of its time.
pub(crate) fn fill(file: &mut impl Read, buf: &mut Vec<u8>, block: usize) -> Option<bool> {
    let want = block.max(buf.len() * 2);
    let missing = u64::try_from(want - buf.len()).unwrap_or(u64::MAX);
    buf.reserve(want - buf.len());
    // `read_to_end` reads on after an interrupted read by itself.
    file.by_ref().take(missing).read_to_end(buf).ok()?;
    Some(buf.len() < want)
}

/// The quoted fields of `body` (quotes included), and where its last complete record
/// ends: all of it at the end of the file, else after the last line end outside quotes.
/// `None` for a quote the csv reader would take as a character (one inside a field that
/// does not start with it, or text after a closing quote), which splitting at line ends
/// cannot follow.
pub(crate) fn quotes(body: &[u8], delimiter: u8, eof: bool) -> Option<(Vec<Range<usize>>, usize)> {
    let ends_field = |b: u8| b == delimiter || b == b'\n' || b == b'\r';
    let mut spans = Vec::new();
    // Where a quote the reader would not take as quoting was found: what comes before it
    // is still read right.
    let mut stop = body.len();
    let mut at = 0;
    'quotes: while let Some(q) = memchr::memchr(b'"', &body[at..]).map(|n| at + n) {
        if q > 0 && !ends_field(body[q - 1]) {
            stop = q;
            break;
        }
        let mut close = q + 1;
        loop {
            match memchr::memchr(b'"', &body[close..]).map(|n| close + n) {
                None => {
                    // Open to the end: the rest of the record is in the next block.
                    spans.push(q..body.len());
                    stop = q;
                    break 'quotes;
                }
                Some(c) if body.get(c + 1) == Some(&b'"') => close = c + 2,
                Some(c) if c + 1 == body.len() && !eof => {
                    spans.push(q..body.len());
                    stop = q;
                    break 'quotes;
                }
                Some(c) if c + 1 == body.len() || ends_field(body[c + 1]) => {
                    spans.push(q..c + 1);
                    at = c + 1;
                    continue 'quotes;
                }
                Some(c) => {
                    stop = c;
                    break 'quotes;
                }
            }
        }
    }
    if eof {
        // To the end, unless a quote is read as a character somewhere.
        return (stop == body.len()).then_some((spans, body.len()));
    }
    // The last line end outside quotes, before anything read doubtfully; none yet (0)
    // when the first record goes on past the block.
    let mut to = stop;
    loop {
        let Some(n) = memchr::memrchr(b'\n', &body[..to]) else { return Some((spans, 0)) };
        match inside(&spans, n) {
            Some(span) => to = span.start,
            None => return Some((spans, n + 1)),
        }
    }
}

/// The quoted span holding byte `at`, if any.
fn inside(spans: &[Range<usize>], at: usize) -> Option<Range<usize>> {
    let i = spans.partition_point(|s| s.end <= at);
    spans.get(i).filter(|s| s.start <= at).cloned()
}

/// Up to `parts` ranges of `body`, each ending at a line end outside quotes.
pub(crate) fn split(body: &[u8], spans: &[Range<usize>], parts: usize) -> Vec<Range<usize>> {
    let mut ranges = Vec::with_capacity(parts);
    let mut from = 0;
    for k in 1..parts {
        let mut at = (body.len() * k / parts).max(from);
        let cut = loop {
            let Some(n) = memchr::memchr(b'\n', &body[at..]).map(|n| at + n) else { break None };
            match inside(spans, n) {
                Some(span) => at = span.end,
                None => break Some(n + 1),
            }
        };
        match cut {
            Some(cut) if cut < body.len() => {
                ranges.push(from..cut);
                from = cut;
            }
            _ => break,
        }
    }
    ranges.push(from..body.len());
    ranges
}

/// A field without the white space `str::trim` removes; `None` if it is not UTF-8.
pub(crate) fn trim(field: &[u8]) -> Option<&[u8]> {
    let space = |b: &u8| b.is_ascii() && char::from(*b).is_whitespace();
    let start = field.iter().position(|b| !space(b)).unwrap_or(field.len());
    let end = field.iter().rposition(|b| !space(b)).map_or(start, |n| n + 1);
    let inner = &field[start..end];
    // Other white space (a no-break space from a web form) is not ASCII.
    if inner.first().is_some_and(|b| !b.is_ascii()) || inner.last().is_some_and(|b| !b.is_ascii()) {
        return Some(trim_cell(std::str::from_utf8(inner).ok()?).as_bytes());
    }
    Some(inner)
}

/// A plain text file being read quickly: its header read by the thorough reader's own
/// code, the records after it still to come.
pub(crate) struct Reading {
    file: Take<File>,
    buf: Vec<u8>,
    eof: bool,
    block: usize,
    delimiter: u8,
    /// The bytes before the first record: the header and anything above it.
    pub(crate) before: Vec<u8>,
}

impl Reading {
    /// Opens `path` and reads its header, in blocks of `block` bytes. `None` for what
    /// the quick readers leave to the thorough one (see [`open`] and [`head`]), and for a
    /// header that is not the first line: the thorough reader looks for it under title
    /// lines, and only a first line that names the agency column is found there by both.
    pub(crate) fn start(path: &Path, block: usize) -> Option<(Self, Box<Table>)> {
        let mut file = open(path)?;
        let mut buf: Vec<u8> = Vec::with_capacity(block);
        let (table, body, eof) = loop {
            let eof = fill(&mut file, &mut buf, block)?;
            match head(path, &buf, eof)? {
                Head::Found(table, body) => break (table, body, eof),
                Head::More => {}
            }
        };
        if !table.header_names_agencies() {
            return None;
        }
        let before = buf.drain(..body).collect();
        let delimiter = table.delimiter;
        Some((Reading { file, buf, eof, block, delimiter, before }, table))
    }

    /// Reads the records: each block, cut at line ends outside quotes into parts, is
    /// parsed by `parse` on every core while it is hashed and the last block's parts are
    /// given to `lay`, in order. Gives the SHA-256 of the whole file; `None` as soon as
    /// `parse` gives up, or the file grew past what a data file may hold.
    pub(crate) fn records<P: Send>(
        mut self,
        parse: impl Fn(&[u8]) -> Option<P> + Sync,
        mut lay: impl FnMut(P) + Send,
    ) -> Option<String> {
        let mut hasher = Sha256::new();
        hasher.update(&self.before);
        let mut pending: Option<Vec<P>> = None;
        loop {
            let (spans, end) = quotes(&self.buf, self.delimiter, self.eof)?;
            if end == 0 && !self.eof {
                // A record longer than the block: read on.
                self.eof = fill(&mut self.file, &mut self.buf, self.block)?;
                continue;
            }
            let body = &self.buf[..end];
            let ranges = split(body, &spans, PARTS);
            let last = pending.take();
            let (parsed, ()) = rayon::join(
                || ranges.par_iter().map(|r| parse(&body[r.clone()])).collect::<Option<Vec<P>>>(),
                || {
                    hasher.update(body);
                    last.into_iter().flatten().for_each(&mut lay);
                },
            );
            pending = Some(parsed?);
            self.buf.drain(..end);
            if self.eof {
                break;
            }
            self.eof = fill(&mut self.file, &mut self.buf, self.block)?;
        }
        if !whole(&self.file) {
            return None;
        }
        pending.into_iter().flatten().for_each(lay);
        Some(crate::source::hex(&hasher.finalize()))
    }
}

/// A csv reader over a part of a block, which must be UTF-8 (a file that is not is read
/// as Windows-1258 by the thorough reader). Blocks are split at line ends, which never
/// fall inside a character.
pub(crate) fn records(bytes: &[u8], delimiter: u8) -> Option<csv::Reader<&[u8]>> {
    simdutf8::basic::from_utf8(bytes).ok()?;
    Some(
        csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes),
    )
}

/// A text file read again for a few agencies' rows (`explain` of one agency, the rows
/// behind `check`'s and the page's few cells): the file as the thorough reader decodes
/// it, but with every other agency's row left out, its line ends kept so that each row
/// kept stands on its own line number, and the digest of the whole file. A row is left
/// out only where its agency cell is exactly the id of an agency `wanted` does not want;
/// anything else is kept for the thorough reader to read. `None` for what the quick
/// readers leave to the thorough one, and for a header under title lines.
pub(crate) fn sparse(
    path: &Path,
    ids: &Ids,
    wanted: &(dyn Fn(u32) -> bool + Sync),
) -> Option<Table> {
    sparse_in(path, ids, wanted, BLOCK)
}

/// [`sparse`] in blocks of `block` bytes.
fn sparse_in(
    path: &Path,
    ids: &Ids,
    wanted: &(dyn Fn(u32) -> bool + Sync),
    block: usize,
) -> Option<Table> {
    let (reading, head) = Reading::start(path, block)?;
    let agency = crate::read::columns::AGENCY.find(&head.header_keys())?;
    let delimiter = head.delimiter;
    let mut kept = reading.before.clone();
    let sha256 = reading.records(
        |bytes| rows_wanted(bytes, delimiter, agency, ids, wanted),
        |part| kept.extend_from_slice(&part),
    )?;
    let (source, problems) = crate::read::table::decode(head.source.path.clone(), kept).ok()?;
    if !problems.is_empty() {
        return None;
    }
    let mut table = Table::parse(source).ok()?;
    table.source.sha256 = sha256;
    Some(table)
}

/// The records of `bytes` whose agency is wanted (or not exactly an agency's id), as
/// they stand, and only the line ends of the others.
fn rows_wanted(
    bytes: &[u8],
    delimiter: u8,
    agency: usize,
    ids: &Ids,
    wanted: &(dyn Fn(u32) -> bool + Sync),
) -> Option<Vec<u8>> {
    let mut reader = records(bytes, delimiter)?;
    let mut out = Vec::new();
    let line_ends = |out: &mut Vec<u8>, skipped: &[u8]| {
        let n = memchr::memchr_iter(b'\n', skipped).count();
        out.resize(out.len() + n, b'\n');
    };
    let mut record = csv::ByteRecord::new();
    // Where the bytes not yet kept nor passed over begin.
    let mut at = 0;
    while reader.read_byte_record(&mut record).ok()? {
        let id = trim(record.get(agency).unwrap_or(b""))?;
        if ids.get(id).is_some_and(|a| !wanted(a)) {
            continue;
        }
        let start = usize::try_from(record.position().map_or(0, csv::Position::byte)).ok()?;
        let start = start.max(at);
        let end = usize::try_from(reader.position().byte()).ok()?.max(start);
        line_ends(&mut out, &bytes[at..start]);
        out.extend_from_slice(&bytes[start..end]);
        at = end;
    }
    line_ends(&mut out, &bytes[at..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::round::Agency;

    /// Each row's line and cells, of the rows whose agency `keep` keeps.
    fn rows(table: &Table, keep: impl Fn(&str) -> bool) -> Vec<(usize, Vec<String>)> {
        let mut rows = Vec::new();
        table.each_row(|row| {
            if keep(row.get(0)) {
                rows.push((row.line, row.fields.iter().map(String::from).collect()));
            }
        });
        rows
    }

    #[test]
    fn a_sparse_read_keeps_the_wanted_rows_on_their_lines() {
        let agencies: Vec<Agency> = ["a", "b", "c"]
            .map(|id| Agency { id: id.into(), name: id.into(), group: "g".into() })
            .to_vec();
        let ids = Ids::new(&agencies);
        // A BOM, CRLF, blank lines, a quoted cell over lines, an id not in the round, a
        // row of blanks.
        let text = "\u{feff}agency,code,value,evidence\r\n\
            a,1.1,1,\"QĐ 12,\r\nngày 3\"\r\n\r\n\
            b,1.1,2,\r\n\
            c,1.1,3,\"x\"\"y\"\r\n\
            b,1.2,\"4\",\"dòng\nhai\"\r\n\
            x,1.1,5,\r\n\
            ,,,\r\n\
            b,1.3,6,\r\n\
            a,1.2,7,\n";
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("self.csv");
        std::fs::write(&path, text).unwrap();
        let whole = Table::read(&path).unwrap();
        for block in [7, 64, 1000, BLOCK] {
            for (wanted, kept) in [
                (vec![1u32], vec!["b", "x"]),
                (vec![0], vec!["a", "x"]),
                (vec![0, 2], vec!["a", "c", "x"]),
                (vec![], vec!["x"]),
            ] {
                let sparse =
                    sparse_in(&path, &ids, &|a| wanted.contains(&a), block).expect("plain");
                assert_eq!(sparse.source.sha256, whole.source.sha256);
                assert_eq!(sparse.header.fields, whole.header.fields);
                let keep = |id: &str| kept.contains(&id);
                assert_eq!(rows(&sparse, |_| true), rows(&whole, keep), "{wanted:?}");
                assert_eq!(sparse.source.lines(), whole.source.lines());
            }
        }
        // Title lines above the header are the thorough reader's.
        std::fs::write(&path, format!("UBND TỈNH\n{}", &text[3..])).unwrap();
        assert!(sparse(&path, &ids, &|_| true).is_none());
    }
}
