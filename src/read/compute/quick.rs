//! Survey responses read the quick way: a third of a large round's bytes are one row per
//! respondent, and the thorough reader would decode the whole table into one text before
//! reading a row. Here the table is read in blocks straight from the disk, its records
//! parsed on every core while the block is hashed, and each response counted by the
//! answers it gives, not summed: the weights are summed once per agency at the end.
//!
//! Like the quick reader of the stage files (`read::fast`), it only says yes to a table
//! that reads without a single problem. At the first thing it would have to report — an
//! unknown agency or answer, a row out of shape, a header under title lines, text not in
//! NFC — it gives up and the table is read the thorough way, which reports it with its
//! place. Both give the same cells; the tests hold them to it.

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::responses::{self, Plan, Tally};
use super::{Computed, TableReader, Target, Texts};
use crate::diagnostic::FileReport;
use crate::model::round::{Agency, InputFile, Role};
use crate::read::blocks::{BLOCK, Reading, records, trim};
use crate::read::ids::Ids;
use crate::read::round_file::TableInput;
use crate::read::table::{MAX_CELL_CHARS, swallows_rows};
use crate::text::{fold, is_nfc};

/// Reads table `input`, the `k`th of the round, when it holds survey responses that read
/// without a problem: what the thorough reader would give for it. `None` for anything
/// else, which the thorough reader reads.
pub(super) fn table(
    input: &TableInput,
    k: usize,
    users: &[&Target<'_>],
    agencies: &[Agency],
    ids: &Ids,
    texts: Texts,
) -> Option<Computed> {
    read_in(input, k, users, agencies, ids, texts, BLOCK)
}

/// [`table`] in blocks of `block` bytes.
fn read_in(
    input: &TableInput,
    k: usize,
    users: &[&Target<'_>],
    agencies: &[Agency],
    ids: &Ids,
    texts: Texts,
    block: usize,
) -> Option<Computed> {
    let (reading, head) = Reading::start(&input.path, block)?;
    let mut done = Computed::empty();
    let mut out = Vec::new();
    let reader = TableReader { input, table: &head, agencies, ids, texts };
    let resolved = reader.resolve(users, &mut done, &mut out)?;
    if !resolved.survey || !out.is_empty() || !done.criteria.is_empty() {
        return None;
    }
    let plans = responses::plans(&resolved.leaves);
    let shape = Shape::new(&head, resolved.agency, &plans)?;
    let mut counts = Counts::new(agencies.len(), &plans);
    counts.line = memchr::memchr_iter(b'\n', &reading.before).count();
    // Each block's records are parsed while it is hashed and the last block's responses
    // are counted.
    let sha256 = reading.records(|bytes| part(bytes, &shape, &plans, ids), |p| counts.add(&p))?;
    let tallies = counts.tallies(&plans);
    // That no response meets a leaf's `where` is said with the texts the rows hold.
    if (0..plans.len()).any(|p| responses::unmatched(&plans, &tallies, counts.rows, p)) {
        return None;
    }
    done.files.push(InputFile { role: Role::Table(k + 1), path: head.source.path.clone(), sha256 });
    reader.finish(plans, &tallies, counts.rows, &mut done, &mut out);
    // What is said of the whole table points at its header, which the head holds.
    let path = head.source.path.clone();
    let keep = !out.is_empty();
    done.reports.push(FileReport::new(path, keep.then_some(head.source), out));
    Some(done)
}

/// What each record is read by.
struct Shape {
    delimiter: u8,
    /// How many columns the header names, and how many cells it has.
    width: usize,
    cells: usize,
    agency: usize,
    /// The header's first cell, which a repeated header starts with.
    first: Vec<u8>,
}

impl Shape {
    /// `None` for more leaves than a response's mark of them holds.
    fn new(head: &crate::read::table::Table, agency: usize, plans: &[Plan<'_>]) -> Option<Self> {
        (plans.len() <= 32).then(|| Shape {
            delimiter: head.delimiter,
            width: head.header.width(),
            cells: head.header.fields.len(),
            agency,
            first: head.header.get(0).as_bytes().to_vec(),
        })
    }
}

/// One response: its agency, the line it starts on (counted from its part's start), and
/// which leaves' `where` it meets, one bit each.
struct Response {
    agency: u32,
    line: u32,
    admitted: u32,
}

/// What a part of a block gives.
#[derive(Default)]
struct Part {
    responses: Vec<Response>,
    /// Each admitted leaf's questions in turn, response after response: 0 for a blank
    /// cell, else 1 + the answer's place in the set's answers.
    answers: Vec<u8>,
    /// Rows read, and line ends in the part.
    rows: u64,
    lines: usize,
}

/// Texts already read in a part, per leaf and column, with what they were read as: most
/// cells of a large survey are one of a handful of texts, found by comparing them in
/// turn; past those, by hashing. Past [`SEEN`] texts (free text in an answer's place) they
/// are read anew.
#[derive(Default, Clone)]
struct Seen {
    few: Vec<(Box<[u8]>, u8)>,
    many: FxHashMap<Box<[u8]>, u8>,
}

/// How many texts are compared in turn before they are hashed.
const FEW: usize = 8;
const SEEN: usize = 1_000;

/// Parses the records of one part of a block; `None` at anything the thorough reader
/// would report.
fn part(bytes: &[u8], shape: &Shape, plans: &[Plan<'_>], ids: &Ids) -> Option<Part> {
    let mut reader = records(bytes, shape.delimiter)?;
    let mut out = Part { responses: Vec::with_capacity(bytes.len() / 64), ..Part::default() };
    // Per leaf: the texts of its `where` columns, and of its answers.
    let mut admitted: Vec<Vec<Seen>> =
        plans.iter().map(|p| vec![Seen::default(); p.filter.len()]).collect();
    let mut answered: Vec<Seen> = vec![Seen::default(); plans.len()];
    let mut record = csv::ByteRecord::new();
    let mut last: Option<u32> = None;
    while reader.read_byte_record(&mut record).ok()? {
        if record.iter().all(blank) {
            continue;
        }
        if !plain(&record, shape) {
            return None;
        }
        // The reader counts the line ends before a record; with CRLF it says a record
        // starts at the LF before it, which is the line before.
        let position = record.position()?;
        let mut start = usize::try_from(position.byte()).ok()?;
        let mut line = usize::try_from(position.line()).ok()?.saturating_sub(1);
        while let Some(&b @ (b'\r' | b'\n')) = bytes.get(start) {
            line += usize::from(b == b'\n');
            start += 1;
        }
        out.rows += 1;
        let field = |i: usize| trim(record.get(i).unwrap_or(b""));
        let id = field(shape.agency)?;
        // An id found is as the agencies file has it, in NFC.
        let a = match last {
            Some(a) if ids.id(a) == id => a,
            _ => ids.get(id)?,
        };
        last = Some(a);
        let mut mark = 0u32;
        for (p, plan) in plans.iter().enumerate() {
            let mut meets = true;
            for (f, &(column, written, ref folded)) in plan.filter.iter().enumerate() {
                let text = field(column)?;
                if text != written.as_bytes()
                    && seen(&mut admitted[p][f], text, |t| u8::from(fold(t) == *folded))? == 0
                {
                    meets = false;
                    break;
                }
            }
            if !meets {
                continue;
            }
            mark |= 1 << p;
            for &column in &plan.questions {
                let text = field(column)?;
                let answer = if text.is_empty() {
                    0
                } else {
                    let answer = seen(&mut answered[p], text, |t| {
                        plan.label(&fold(t)).and_then(|i| u8::try_from(i + 1).ok()).unwrap_or(0)
                    })?;
                    // An answer the set does not know is the thorough reader's to report.
                    if answer == 0 {
                        return None;
                    }
                    answer
                };
                out.answers.push(answer);
            }
        }
        out.responses.push(Response { agency: a, line: u32::try_from(line).ok()?, admitted: mark });
    }
    out.lines = memchr::memchr_iter(b'\n', bytes).count();
    Some(out)
}

/// What `read` makes of `text`, remembered in `seen`; `None` for text not in NFC, which
/// the thorough reader would have normalised before reading it.
fn seen(seen: &mut Seen, text: &[u8], read: impl FnOnce(&str) -> u8) -> Option<u8> {
    if let Some((_, known)) = seen.few.iter().find(|(t, _)| **t == *text) {
        return Some(*known);
    }
    if let Some(&known) = seen.many.get(text) {
        return Some(known);
    }
    let text_str = std::str::from_utf8(text).ok()?;
    if !is_nfc(text_str) {
        return None;
    }
    let made = read(text_str);
    if seen.few.len() < FEW {
        seen.few.push((text.into(), made));
    } else if seen.many.len() < SEEN && text.len() <= 64 {
        seen.many.insert(text.into(), made);
    }
    Some(made)
}

/// Whether a cell is blank as the thorough reader skips a row of them.
fn blank(field: &[u8]) -> bool {
    if field.is_ascii() {
        field.iter().all(|&b| char::from(b).is_whitespace())
    } else {
        std::str::from_utf8(field).is_ok_and(|f| f.trim().is_empty())
    }
}

/// Whether a record has a shape the thorough reader reads without a word (see
/// `Table::check_row`): no cell beyond the header's columns nor longer than a cell may
/// be, no quote left open over rows, not one cell (a row of another separator), not the
/// header again.
fn plain(record: &csv::ByteRecord, shape: &Shape) -> bool {
    let empty = |f: &[u8]| trim(f).is_some_and(<[u8]>::is_empty);
    if record.len() > shape.width {
        let width = (0..record.len()).rev().find(|&i| !empty(&record[i])).map_or(0, |i| i + 1);
        if width > shape.width || (record.len() > shape.cells && !empty(&record[shape.cells - 1])) {
            return false;
        }
    }
    if record.len() == 1 && shape.width > 1 {
        return false;
    }
    if record.len() > 1 && trim(&record[0]).is_none_or(|f| f.eq_ignore_ascii_case(&shape.first)) {
        return false;
    }
    let bytes = record.as_slice();
    if bytes.len() > MAX_CELL_CHARS && record.iter().any(|f| f.len() > MAX_CELL_CHARS) {
        return false;
    }
    memchr::memchr2(b'\n', b'\r', bytes).is_none()
        || !record.iter().any(|f| swallows_rows(f, shape.delimiter, shape.width))
}

/// Every agency's counts of every leaf: respondents, blank cells, then each answer's.
struct Counts {
    /// Where each leaf's counts start in an agency's, and how many an agency has.
    starts: Vec<usize>,
    stride: usize,
    each: Vec<u64>,
    /// The line of each agency's first response to each leaf, 0 for none.
    first: Vec<usize>,
    /// Rows counted, and line ends before the part counted next.
    rows: u64,
    line: usize,
    /// Questions of each leaf.
    questions: Vec<usize>,
}

impl Counts {
    fn new(agencies: usize, plans: &[Plan<'_>]) -> Self {
        let mut starts = Vec::with_capacity(plans.len());
        let mut stride = 0;
        for plan in plans {
            starts.push(stride);
            stride += 2 + plan.survey.answers.len();
        }
        Counts {
            starts,
            stride,
            each: vec![0; agencies * stride],
            first: vec![0; agencies * plans.len()],
            rows: 0,
            line: 0,
            questions: plans.iter().map(|p| p.questions.len()).collect(),
        }
    }

    /// Counts a part's responses, in the order of the rows.
    fn add(&mut self, part: &Part) {
        let k = self.starts.len();
        let mut answers = part.answers.iter();
        for r in &part.responses {
            let a = r.agency as usize;
            let mut mark = r.admitted;
            while mark != 0 {
                let p = mark.trailing_zeros() as usize;
                mark &= mark - 1;
                let at = a * self.stride + self.starts[p];
                self.each[at] += 1;
                let first = &mut self.first[a * k + p];
                if *first == 0 {
                    *first = self.line + r.line as usize + 1;
                }
                for answer in answers.by_ref().take(self.questions[p]) {
                    self.each[at + 1 + usize::from(*answer)] += 1;
                }
            }
        }
        self.rows += part.rows;
        self.line += part.lines;
    }

    /// The tallies the thorough reader sums, agency by agency and leaf by leaf.
    fn tallies(&self, plans: &[Plan<'_>]) -> Vec<Tally> {
        let k = plans.len();
        let mut tallies = Vec::with_capacity(self.first.len());
        for (a, counts) in self.each.chunks(self.stride.max(1)).enumerate() {
            for (p, plan) in plans.iter().enumerate() {
                let at = self.starts[p];
                let given = &counts[at + 2..at + 2 + plan.survey.answers.len()];
                // Summed in the order of the set's answers: each weight is exact, and so
                // is the sum, at the scale of the finest weight given.
                let mut weight = Decimal::ZERO;
                for (&n, (_, w)) in given.iter().zip(&plan.survey.answers) {
                    if n > 0 {
                        weight += Decimal::from(n) * *w;
                    }
                }
                let first = self.first[a * k + p];
                tallies.push(Tally {
                    weight,
                    answers: given.iter().sum(),
                    blank: counts[at + 1],
                    respondents: counts[at],
                    first: (first > 0).then_some(first),
                });
            }
        }
        tallies
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::super::tests::agencies;
    use super::*;
    use crate::model::criteria::CriteriaSet;
    use crate::source::SourceFile;

    #[test]
    fn blank_is_what_str_trim_leaves_empty() {
        for cell in ["", " ", "\t", "\u{b}", " \u{a0} ", "\u{3000}"] {
            assert!(blank(cell.as_bytes()), "{cell:?}");
        }
        for cell in ["x", "\u{feff}", "\u{200b}", " a "] {
            assert!(!blank(cell.as_bytes()), "{cell:?}");
        }
    }

    /// Two survey leaves: one over two questions of the SIPAS form, one over the third
    /// question of every form.
    fn set() -> CriteriaSet {
        let answers = "answers = { \"Rất hài lòng\" = 1, \"Hài lòng\" = 1, \"Bình thường\" = 0.5, \
            \"Không hài lòng\" = 0 }";
        let text = format!(
            "schema = 1\nid = \"t\"\ntitle = \"t\"\nmax = 4\n[[grade]]\nname = \"a\"\nmin = 0\n\
             [[node]]\ncode = \"1\"\nname = \"a\"\n\
             [[node]]\ncode = \"1.1\"\nname = \"b\"\nmax = 2\nrule = \"ratio\"\n\
             compute = {{ table = \"t\", questions = [\"C1\", \"C2\"], where = {{ phieu = \"SIPAS\" }}, \
             min_answers = 2, {answers} }}\n\
             [[node]]\ncode = \"1.2\"\nname = \"c\"\nmax = 2\nrule = \"ratio\"\n\
             compute = {{ table = \"t\", questions = [\"C3\"], {answers} }}\n"
        );
        let loaded = crate::read::criteria::load(&SourceFile::new("t.toml", text));
        loaded.set.unwrap_or_else(|| panic!("{:?}", loaded.diagnostics))
    }

    /// What a table gives, compared whole: cells, files, reports and the criteria's.
    fn shown(c: &Computed) -> String {
        let reports: Vec<(&str, &Vec<crate::diagnostic::Diagnostic>)> =
            c.reports.iter().map(|r| (r.path.as_str(), &r.diagnostics)).collect();
        format!("{:?}\n{:?}\n{reports:?}\n{:?}", c.layer.cells, c.files, c.criteria)
    }

    /// The quick read of `bytes` in every block size, each the same as the thorough read,
    /// for every way texts are kept; whether it was read quickly.
    fn alike(bytes: &[u8]) -> bool {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, bytes).unwrap();
        let input = TableInput { name: "t".into(), path, columns: Vec::new() };
        let set = set();
        let agencies = agencies();
        let ids = Ids::new(&agencies);
        let targets: Vec<Target<'_>> = set
            .leaves()
            .filter_map(|(id, node, leaf)| {
                leaf.compute.as_ref().map(|compute| Target { id, node, leaf, compute })
            })
            .collect();
        let users: Vec<&Target<'_>> = targets.iter().collect();
        let mut quick = Vec::new();
        for texts in [Texts::None, Texts::Of(1)] {
            let thorough = super::super::thorough(&input, 0, &users, true, &agencies, &ids, texts);
            for block in [7, 64, 1000, BLOCK] {
                let read = read_in(&input, 0, &users, &agencies, &ids, texts, block);
                if let Some(read) = &read {
                    assert_eq!(shown(read), shown(&thorough), "block {block}");
                }
                quick.push(read.is_some());
            }
        }
        assert!(quick.iter().all(|&q| q == quick[0]), "read quickly in some blocks only");
        quick[0]
    }

    const HEADER: &str = "agency,phieu,C1,C2,C3,ghi_chu\n";

    #[test]
    fn plain_responses_are_read_quickly_and_alike() {
        let rows = "a,SIPAS,Hài lòng,Rất hài lòng,Bình thường,\n\
            b,DDCI,Hài lòng,,Không hài lòng,\n\
            a,SIPAS,Bình thường,Không hài lòng,,\n\
            c,SIPAS,Hài lòng,Hài lòng,Hài lòng,tốt\n\
            b,SIPAS,Rất hài lòng,,Hài lòng,\n\
            a,DDCI,Không hài lòng,Không hài lòng,Bình thường,\n\
            c,SIPAS,Bình thường,Bình thường,,\n";
        let plain = format!("{HEADER}{rows}");
        assert!(alike(plain.as_bytes()));
        // CRLF and a BOM, blank lines, rows stopping short, a quoted note over lines.
        let awkward = format!(
            "\u{feff}{}\r\n\r\n{}\r\nb,SIPAS,Hài lòng\r\n,,,,,\r\na,SIPAS,,,,\"dòng một\r\ndòng hai, \"\"ba\"\"\"\r\n",
            HEADER.trim_end(),
            rows.trim_end().replace('\n', "\r\n\r\n")
        );
        assert!(alike(awkward.as_bytes()));
        // The where and the answers as people type them: found by folding.
        let typed = format!(
            "{HEADER}a, sipas ,  HÀI LÒNG,hài lòng,Bình  thường,\nb,SIPAS,Hài lòng,Hài lòng,,\n"
        );
        assert!(alike(typed.as_bytes()));
        // Too few answers, and no response at all for an agency: the warnings are said.
        assert!(alike(format!("{HEADER}a,SIPAS,Hài lòng,,,\n").as_bytes()));
        // A header alone: the error is said.
        assert!(alike(HEADER.as_bytes()));
    }

    #[test]
    fn anything_to_report_is_left_to_the_thorough_reader() {
        for rows in [
            // An agency not in the round, none at all, an answer the set does not know.
            "x,SIPAS,Hài lòng,Hài lòng,,\n",
            ",SIPAS,Hài lòng,Hài lòng,,\n",
            "a,SIPAS,Tốt,Hài lòng,,\n",
            // Too many cells, the header again, a quote that takes in the rows below.
            "a,SIPAS,Hài lòng,Hài lòng,,,x\n",
            "agency,phieu,C1,C2,C3,ghi_chu\n",
            "a,SIPAS,Hài lòng,Hài lòng,,\"open\na,SIPAS,Hài lòng,Hài lòng,,\n",
            // NFD text, bytes that are not UTF-8 (Windows-1258).
            "a,SIPAS,Ha\u{300}i lo\u{300}ng,,,\n",
        ] {
            assert!(!alike(format!("{HEADER}{rows}").as_bytes()), "{rows:?}");
        }
        assert!(!alike(b"agency,phieu,C1,C2,C3\na,SIPAS,H\xe0i l\xf2ng,,\n"));
        // A where that no response meets is said with the texts the column holds.
        assert!(!alike(format!("{HEADER}a,DDCI,Hài lòng,,,\n").as_bytes()));
        // Title lines above the header, and a header without the agency column.
        assert!(!alike(format!("UBND TỈNH\n{HEADER}a,SIPAS,Hài lòng,,,\n").as_bytes()));
        assert!(!alike(b"stt,phieu,C1,C2,C3\na,SIPAS,,,\n"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Any mix of responses, line ends, blank lines and notes over lines: the quick
        /// read, where it reads, is the thorough one.
        #[test]
        fn any_responses_read_alike(
            rows in proptest::collection::vec(
                (0usize..4, 0usize..3, 0usize..6, 0usize..6, 0usize..6, 0usize..4, 0usize..3),
                0..40,
            ),
        ) {
            let agencies = ["a", "b", "c", " b "];
            let forms = ["SIPAS", "DDCI", " sipas"];
            let answers = ["", "Hài lòng", "Rất hài lòng", "Bình thường", "Không hài lòng", " hài  lòng "];
            let notes = ["", "\"x, y\"", "\"một\ndòng hai\""];
            let mut text = String::from(HEADER);
            for (a, f, c1, c2, c3, end, note) in rows {
                let line_end = ["\n", "\r\n", "\n\n", "\r\n,,,\r\n"][end];
                let _ = write!(
                    text,
                    "{},{},{},{},{},{}{line_end}",
                    agencies[a], forms[f], answers[c1], answers[c2], answers[c3], notes[note]
                );
            }
            alike(text.as_bytes());
        }
    }
}
