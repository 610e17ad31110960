//! The quick way through a round's data files, for the published tables: each long-form
//! UTF-8 CSV file is read in blocks straight from the disk into the [`Stack`], its
//! records parsed on every core while the block is hashed, each distinct value read once,
//! and no cell or text kept.
//!
//! It only ever says yes to a file that reads without a single problem. At the first
//! thing it would have to report — or anything it does not read itself: a workbook,
//! another encoding, NFD text, the wide form, a quote out of place — it gives up, and the
//! round is read again by the thorough reader (`read::assessment`), which finds every
//! problem with its place. Both must give the same stack for the same files; a test holds
//! them to it.

use std::path::Path;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};

use crate::model::criteria::{CriteriaSet, NodeId, Source};
use crate::model::layer::LayerKind;
use crate::model::round::Agency;
use crate::model::stack::Stack;
use crate::model::value::Value;
use crate::read::blocks::{self, BLOCK, Head, PARTS, fill, quotes, split, trim};
use crate::read::columns::{
    AGENCY, ASSESSMENT, CODE, EVIDENCE, EXPLANATION, NOTE, VALUE, misspelt, named_twice,
};
use crate::read::ids::Ids;
use crate::read::table::{MAX_CELL_CHARS, swallows_rows};
use crate::text::is_nfc;

/// What a file read quickly gives beside the stack: its SHA-256, and how many of its
/// rows give a value (what `check` says of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRead {
    pub sha256: String,
    pub values: usize,
}

/// Reads every data file of a round straight into a stack; `None` as soon as anything
/// is not as it should be. Gives the stack and what was read of each file.
pub fn read_round(
    set: &CriteriaSet,
    agencies: &[Agency],
    files: &[(LayerKind, &Path)],
) -> Option<(Stack, Vec<FileRead>)> {
    read_round_in(set, agencies, files, BLOCK)
}

/// [`read_round`] in blocks of `block` bytes.
fn read_round_in(
    set: &CriteriaSet,
    agencies: &[Agency],
    files: &[(LayerKind, &Path)],
    block: usize,
) -> Option<(Stack, Vec<FileRead>)> {
    let reader = Fast { block, ..Fast::new(set, agencies) };
    let mut stack = Stack::new(set, agencies.len());
    let mut known = vec![FxHashMap::default(); set.nodes.len()];
    let mut digests = Vec::new();
    for &(kind, path) in files {
        digests.push(reader.file(path, kind, &mut stack, &mut known)?);
    }
    Some((stack, digests))
}

/// What every record is looked up in.
struct Fast<'a> {
    set: &'a CriteriaSet,
    /// Agency id → index, and index → id, to confirm the last agency seen without
    /// hashing.
    agencies: Ids,
    codes: FxHashMap<&'a [u8], NodeId>,
    /// Bytes read at a time.
    block: usize,
}

/// The columns of a long-form file.
#[derive(Clone, Copy)]
struct Columns {
    delimiter: u8,
    /// How many columns the header names, and how many cells it has (empty ones after
    /// the names included).
    width: usize,
    cells: usize,
    agency: usize,
    code: usize,
    value: usize,
    /// Evidence, note, explanation: only whether they are empty matters here.
    evidence: Option<usize>,
    note: Option<usize>,
    explanation: Option<usize>,
}

/// One record's worth, as the parts hand it back.
#[derive(Clone, Copy)]
struct Entry {
    agency: u32,
    node: u32,
    /// 0: no value; `n > 0`: the stack's value `n`; with [`NEW`] set: the part's new
    /// text number `n & !NEW`.
    value: u32,
    cited: bool,
}

const NEW: u32 = 1 << 31;

/// What a part of a block gives: its entries, and the values of texts not seen before,
/// with the text where it is to be remembered.
#[derive(Default)]
struct Part {
    entries: Vec<Entry>,
    values: Vec<NewValue>,
}

/// A value read from a text new to a part: its leaf, the text where it is to be
/// remembered, and the value.
type NewValue = (NodeId, Option<Box<[u8]>>, Value);

/// How many texts of one leaf are remembered: enough for every yes, no, choice and
/// common figure; counts (`1491/1491`) differ from agency to agency and are read anew.
const REMEMBERED: usize = 256;

/// Value texts already read, per node: text → the stack's number.
type Known = Vec<FxHashMap<Box<[u8]>, u32>>;

impl<'a> Fast<'a> {
    fn new(set: &'a CriteriaSet, agencies: &'a [Agency]) -> Self {
        let codes = set.nodes.iter().enumerate().map(|(i, n)| (n.code.as_bytes(), i)).collect();
        Fast { set, agencies: Ids::new(agencies), codes, block: BLOCK }
    }

    /// Reads one file into the stack as a layer of `kind`; gives its SHA-256.
    fn file(
        &self,
        path: &Path,
        kind: LayerKind,
        stack: &mut Stack,
        known: &mut Known,
    ) -> Option<FileRead> {
        let mut file = blocks::open(path)?;
        // Which leaves a file of this kind may give values for.
        let takes: Vec<bool> = self
            .set
            .nodes
            .iter()
            .map(|n| {
                n.leaf
                    .as_ref()
                    .is_some_and(|l| (l.source == Source::Survey) == (kind == LayerKind::Survey))
            })
            .collect();
        stack.begin(kind);
        let mut hasher = Sha256::new();
        let mut buf: Vec<u8> = Vec::with_capacity(self.block);
        let mut columns: Option<Columns> = None;
        let mut pending: Option<Vec<Part>> = None;
        let mut values = 0;
        loop {
            let eof = fill(&mut file, &mut buf, self.block)?;
            let columns = if let Some(c) = columns {
                c
            } else {
                match header(&buf, path, eof)? {
                    Header::Found(c, body) => {
                        hasher.update(&buf[..body]);
                        buf.drain(..body);
                        *columns.insert(c)
                    }
                    // The header goes on past the block: read on.
                    Header::More => continue,
                }
            };
            let (spans, end) = quotes(&buf, columns.delimiter, eof)?;
            if end == 0 && !eof {
                // A record longer than the block: read on.
                continue;
            }
            let body = &buf[..end];
            let parts = split(body, &spans, PARTS);
            // This block's records are parsed while it is hashed and the last block's
            // are laid into the stack; the texts that block read are remembered after.
            let last = pending.take();
            let (parsed, laid) = rayon::join(
                || {
                    parts
                        .par_iter()
                        .map(|r| self.part(&body[r.clone()], columns, &takes, known))
                        .collect::<Option<Vec<Part>>>()
                },
                || {
                    hasher.update(body);
                    last.map_or(Some(Vec::new()), |parts| lay(parts, kind, stack, &mut values))
                },
            );
            remember(known, laid?);
            pending = Some(parsed?);
            buf.drain(..end);
            if eof {
                break;
            }
        }
        if !blocks::whole(&file) {
            return None;
        }
        if let Some(parts) = pending {
            remember(known, lay(parts, kind, stack, &mut values)?);
        }
        // A file without a header is reported by the thorough reader.
        columns?;
        Some(FileRead { sha256: crate::source::hex(&hasher.finalize()), values })
    }

    /// A value text read for its leaf, as the thorough reader reads it; `None` for one it
    /// reports, with an error or a warning.
    fn value(&self, node: NodeId, text: &[u8]) -> Option<Value> {
        let n = &self.set.nodes[node];
        let leaf = n.leaf.as_ref()?;
        let text = std::str::from_utf8(text).ok()?;
        if !is_nfc(text) {
            return None;
        }
        let value = Value::parse(text, leaf, n.max).ok()?;
        // A value the thorough reader warns of is left to it, so that the warning is shown.
        if value.doubt(text, &leaf.rule).is_some() {
            return None;
        }
        value.for_leaf(leaf).ok()
    }

    /// Parses the records of one part of a block.
    fn part(&self, bytes: &[u8], c: Columns, takes: &[bool], known: &Known) -> Option<Part> {
        let mut reader = blocks::records(bytes, c.delimiter)?;
        let mut out = Part { entries: Vec::with_capacity(bytes.len() / 48), values: Vec::new() };
        // Texts new to this part: where their values are in `out.values`.
        let mut fresh: FxHashMap<(NodeId, Box<[u8]>), u32> = FxHashMap::default();
        let mut record = csv::ByteRecord::new();
        // Rows of one agency usually follow each other.
        let mut last: Option<u32> = None;
        while reader.read_byte_record(&mut record).ok()? {
            if !plain_shape(&record, c) {
                return None;
            }
            let field =
                |i: Option<usize>| i.map_or(Some(&b""[..]), |i| trim(record.get(i).unwrap_or(b"")));
            let value = field(Some(c.value))?;
            let evidence = field(c.evidence)?;
            // A row with nothing to say (a blank line, an unanswered line of a template)
            // is not a cell.
            if value.is_empty()
                && evidence.is_empty()
                && field(c.note)?.is_empty()
                && field(c.explanation)?.is_empty()
            {
                continue;
            }
            let agency = field(Some(c.agency))?;
            let code = field(Some(c.code))?;
            // Ids and codes are found as the thorough reader made them, in NFC, so one
            // found is NFC; a value is checked when its text is first read.
            let a = match last {
                Some(a) if self.agencies.id(a) == agency => a,
                _ => self.agencies.get(agency)?,
            };
            last = Some(a);
            let node = *self.codes.get(code)?;
            if !takes[node] {
                return None;
            }
            let number = if value.is_empty() {
                0
            } else if let Some(&n) = known[node].get(value) {
                n
            } else if known[node].len() >= REMEMBERED {
                out.values.push((node, None, self.value(node, value)?));
                NEW | u32::try_from(out.values.len() - 1).ok()?
            } else {
                let key = (node, Box::<[u8]>::from(value));
                let next = u32::try_from(out.values.len()).ok()?;
                match fresh.entry(key) {
                    std::collections::hash_map::Entry::Occupied(e) => NEW | *e.get(),
                    std::collections::hash_map::Entry::Vacant(e) => {
                        out.values.push((node, Some(e.key().1.clone()), self.value(node, value)?));
                        e.insert(next);
                        NEW | next
                    }
                }
            };
            out.entries.push(Entry {
                agency: a,
                node: u32::try_from(node).ok()?,
                value: number,
                cited: !evidence.is_empty(),
            });
        }
        Some(out)
    }
}

/// A value text read, with its leaf and the stack's number of its value.
type Remembered = (NodeId, Box<[u8]>, u32);

/// Lays the entries of a block's parts into the stack, in order, counting those with a
/// value; gives the new texts to remember with their values' numbers. `None` at a
/// second value for a cell.
fn lay(
    parts: Vec<Part>,
    kind: LayerKind,
    stack: &mut Stack,
    values: &mut usize,
) -> Option<Vec<Remembered>> {
    let mut texts = Vec::new();
    let mut entries = Vec::with_capacity(parts.iter().map(|p| p.entries.len()).sum());
    for part in parts {
        let numbers: Vec<u32> = part
            .values
            .into_iter()
            .map(|(node, text, value)| match text {
                // The stack keeps each value once, so a text read twice, in two parts
                // or two blocks, gets the same number.
                Some(text) => {
                    let n = stack.number(value);
                    texts.push((node, text, n));
                    n
                }
                None => stack.push(value),
            })
            .collect();
        entries.extend(part.entries.into_iter().map(|e| Entry {
            value: if e.value & NEW != 0 { numbers[(e.value & !NEW) as usize] } else { e.value },
            ..e
        }));
    }
    // A file of one agency's rows after another's lays them side by side; rows in no
    // order (as exports often are) would write all over a stack of tens of megabytes,
    // a cache miss each: they are laid in the agencies' order. A layer gives each cell
    // once, so the order it is laid in changes nothing.
    if !entries.is_sorted_by_key(|e| e.agency) {
        entries.sort_unstable_by_key(|e| e.agency);
    }
    for e in entries {
        let number = (e.value != 0).then_some(e.value);
        *values += usize::from(number.is_some());
        stack.put(kind, e.agency as usize, e.node as usize, number, e.cited).ok()?;
    }
    Some(texts)
}

/// Remembers value texts read, up to [`REMEMBERED`] per leaf.
fn remember(known: &mut Known, texts: Vec<Remembered>) {
    for (node, text, n) in texts {
        if known[node].len() < REMEMBERED {
            known[node].insert(text, n);
        }
    }
}

/// A long-form header, found or not yet whole.
enum Header {
    /// Its columns, and where the records after it begin.
    Found(Columns, usize),
    /// Not all in the block yet.
    More,
}

/// The header of a long-form file at the start of `buf`.
fn header(buf: &[u8], path: &Path, eof: bool) -> Option<Header> {
    let (table, end) = match blocks::head(path, buf, eof)? {
        Head::Found(table, end) => (table, end),
        Head::More => return Some(Header::More),
    };
    let keys = table.header_keys();
    if misspelt(&keys).is_some() || !named_twice(&keys, &ASSESSMENT).is_empty() {
        return None;
    }
    let columns = Columns {
        delimiter: table.delimiter,
        width: table.header.width(),
        cells: table.header.fields.len(),
        agency: AGENCY.find(&keys)?,
        code: CODE.find(&keys)?,
        value: VALUE.find(&keys)?,
        evidence: EVIDENCE.find(&keys),
        note: NOTE.find(&keys),
        explanation: EXPLANATION.find(&keys),
    };
    Some(Header::Found(columns, end))
}

/// Whether a record has a shape the thorough reader reads without a word (see
/// `Table::check_row`): no cell beyond the header's columns nor longer than a cell may
/// be, no quote left open over rows, and every column up to the value's unless it is
/// blank (a row of another separator is one long cell).
fn plain_shape(record: &csv::ByteRecord, c: Columns) -> bool {
    // Most records have as many cells as the header: only lengths are compared for them.
    let blank = |f: &[u8]| trim(f).is_some_and(<[u8]>::is_empty);
    if record.len() > c.width {
        let width = (0..record.len()).rev().find(|&i| !blank(&record[i])).map_or(0, |i| i + 1);
        if width > c.width || (record.len() > c.cells && !blank(&record[c.cells - 1])) {
            return false;
        }
    }
    if record.len() <= c.value && !record.iter().all(blank) {
        return false;
    }
    let bytes = record.as_slice();
    if bytes.len() > MAX_CELL_CHARS && record.iter().any(|f| f.len() > MAX_CELL_CHARS) {
        return false;
    }
    memchr::memchr2(b'\n', b'\r', bytes).is_none()
        || !record.iter().any(|f| swallows_rows(f, c.delimiter, c.width))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::round::Round;
    use crate::read::inputs::{self, Inputs};

    fn root() -> std::path::PathBuf {
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    fn stages(i: &Inputs) -> Vec<(LayerKind, &Path)> {
        let mut files: Vec<(LayerKind, &Path)> =
            i.self_assessment.iter().map(|p| (LayerKind::SelfAssessment, p.as_path())).collect();
        files.extend(
            i.appraisals
                .iter()
                .enumerate()
                .map(|(n, p)| (LayerKind::Appraisal(n + 1), p.as_path())),
        );
        files.extend(i.survey.as_deref().map(|p| (LayerKind::Survey, p)));
        files
    }

    /// What the thorough reader gives, and what the fast one does in blocks of `block`.
    fn both(i: &Inputs, block: usize) -> (Round, Option<(Stack, Vec<FileRead>)>) {
        let round = inputs::load(i).round.expect("a good round");
        let mut fast = read_round_in(&round.set, &round.agencies, &stages(i), block);
        // The values computed from the round's tables go over the quick read as they do
        // when a round is loaded.
        if let (Some((stack, _)), Some(layer)) =
            (&mut fast, round.layers.iter().find(|l| l.kind == LayerKind::Computed))
        {
            stack.lay_system(&round.set, layer);
        }
        (round, fast)
    }

    fn assert_same(round: &Round, fast: &Stack, what: &str) {
        let thorough = Stack::from_layers(&round.set, round.agencies.len(), &round.layers);
        let differ = thorough.first_difference(fast, &round.set, round.agencies.len());
        assert_eq!(differ, None, "{what}: the readers differ at (agency, node, stage)");
    }

    #[test]
    fn the_example_rounds_read_alike_both_ways_in_any_block_size() {
        for name in ["vong-mau", "so-ban-nganh-2025", "xa-phuong-2025", "par-index-tinh-2024"] {
            let dir = root().join("examples").join(name);
            let i = inputs::read_round_file(&dir.join("round.toml")).unwrap();
            for block in [64, 1000, BLOCK] {
                let (round, fast) = both(&i, block);
                // The mini round's second appraisal is in the wide form, which only the
                // thorough reader reads.
                let Some((stack, read)) = fast else {
                    assert_eq!(name, "vong-mau", "{name} is plain ({block})");
                    continue;
                };
                assert_same(&round, &stack, name);
                // The criteria and agencies first, the raw tables after the stages; of
                // each stage file, as many values as the thorough reader finds.
                let thorough: Vec<FileRead> = round
                    .inputs
                    .iter()
                    .skip(2)
                    .take(read.len())
                    .zip(round.layers.iter().filter(|l| l.kind != LayerKind::Computed))
                    .map(|(f, l)| FileRead {
                        sha256: f.sha256.clone(),
                        values: l.cells.iter().filter(|c| c.value.is_some()).count(),
                    })
                    .collect();
                assert_eq!(read, thorough, "{name}: the same digests and values");
            }
        }
    }

    #[test]
    fn rows_in_no_order_read_alike_both_ways() {
        // The departments' round with every stage file's rows dealt out of order (every
        // seventh row first, then those after them, …), as exports often are.
        let from = root().join("examples/so-ban-nganh-2025");
        let dir = tempfile::tempdir().unwrap();
        for entry in std::fs::read_dir(&from).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            let stage = ["self.csv", "appraisal-1.csv", "appraisal-2.csv", "survey.csv"]
                .iter()
                .any(|s| name == *s);
            // The set is named from the example's folder.
            let criteria = root().join("criteria").display().to_string().replace('\\', "/");
            let text = if name == "round.toml" {
                text.replace("../../criteria", &criteria)
            } else if stage {
                let mut lines = text.lines();
                let header = lines.next().unwrap();
                let rows: Vec<&str> = lines.collect();
                let dealt: Vec<&str> =
                    (0..7).flat_map(|k| rows.iter().skip(k).step_by(7).copied()).collect();
                format!("{header}\n{}\n", dealt.join("\n"))
            } else {
                text
            };
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let i = inputs::read_round_file(&dir.path().join("round.toml")).unwrap();
        for block in [64, 1000, BLOCK] {
            let (round, fast) = both(&i, block);
            let (stack, _) = fast.expect("rows in any order are plain");
            assert_same(&round, &stack, "dealt");
        }
    }

    fn mini(self_file: &Path) -> Inputs {
        let examples = root().join("examples/vong-mau");
        Inputs {
            round: None,
            title: None,
            year: None,
            criteria: root().join("docs/examples/bo-tieu-chi-mau.toml"),
            agencies: examples.join("agencies.csv"),
            self_assessment: Some(self_file.to_path_buf()),
            appraisals: Vec::new(),
            survey: Some(examples.join("survey.csv")),
            tables: Vec::new(),
            decision: crate::model::decision::Decision::default(),
            groups: Vec::new(),
        }
    }

    #[test]
    fn quoted_fields_split_nowhere_inside_quotes() {
        let plain = std::fs::read_to_string(root().join("examples/vong-mau/self.csv")).unwrap();
        // Every evidence quoted, with delimiters, doubled quotes and line ends inside.
        let quoted: String = plain
            .lines()
            .enumerate()
            .map(|(n, line)| {
                let mut fields: Vec<String> = line.split(',').map(String::from).collect();
                if n > 0 && !line.contains('"') && fields.len() > 3 && !fields[3].is_empty() {
                    fields[3] = format!("\"{}, \"\"số\"\"\r\nngày {n}\"", fields[3]);
                }
                fields.join(",") + "\r\n"
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("self.csv");
        std::fs::write(&path, &quoted).unwrap();
        for block in [7, 64, 1000, BLOCK] {
            let (round, fast) = both(&mini(&path), block);
            assert_same(&round, &fast.expect("quoted fields are plain CSV").0, "quoted");
        }
        // A quote inside a field is a character to the csv reader: left to the thorough one.
        let stray = quoted.replacen("\r\n", "\r\nx\"y,", 2);
        std::fs::write(&path, stray).unwrap();
        let round = crate::read::inputs::load(&mini(&path));
        let set = round.round.map(|r| (r.set, r.agencies));
        if let Some((set, agencies)) = set {
            assert!(read_round_in(&set, &agencies, &stages(&mini(&path)), 64).is_none());
        }
    }

    #[test]
    fn files_with_any_problem_or_another_form_are_left_to_the_thorough_reader() {
        let mut quick = Vec::new();
        for dir in ["tests/data/data-errors", "tests/data/dialects", "tests/data/bad-inputs"] {
            for entry in std::fs::read_dir(root().join(dir)).unwrap() {
                let path = entry.unwrap().path();
                let i = mini(&path);
                let loaded = inputs::load(&i);
                let set = inputs::read_set(&i.criteria, &mut Vec::new()).unwrap();
                let agencies = inputs::read_agencies(&i.agencies, &mut Vec::new()).unwrap().list;
                let fast = read_round_in(&set, &agencies, &stages(&i), 64);
                // A warning is shown only by the thorough reader.
                let warned = loaded.reports.iter().any(|r| !r.diagnostics.is_empty());
                match (&loaded.round, fast) {
                    (Some(_), Some(_)) if warned => {
                        panic!("{}: has warnings but was read quickly", path.display())
                    }
                    (Some(round), Some((stack, _))) => {
                        assert_same(round, &stack, &path.display().to_string());
                        quick.push(path.file_name().unwrap().to_string_lossy().into_owned());
                    }
                    (None, Some(_)) => {
                        panic!("{}: has problems but was read quickly", path.display())
                    }
                    (_, None) => {}
                }
            }
        }
        quick.sort();
        // UTF-16, Windows-1258, NFD and the wide form are the thorough reader's, and so
        // is every file with an error or a warning.
        assert_eq!(
            quick,
            [
                "bom-in-the-middle--around-cells.csv",
                "header-only.csv",
                "missing-values.csv",
                "semicolon-decimal-comma.csv",
                "stray-spaces--around-codes.csv",
                "too-few-fields--trailing-cells-left-out.csv",
                "truncated--mid-row.csv",
                "utf8-bom-crlf.csv",
                "vietnamese-headers.csv"
            ]
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]

        /// Rounds the generator makes for every shipped set, any seed, any size, read
        /// in any block size: the quick reader gives the thorough reader's stack.
        #[test]
        fn generated_rounds_read_alike_both_ways(
            set in 0usize..3,
            seed in proptest::prelude::any::<u64>(),
            count in 1usize..40,
            appraisals in 0usize..3,
            block in 16usize..4096,
        ) {
            let criteria = ["so-ban-nganh-2025", "xa-phuong-2025", "par-index-tinh-2024"][set];
            let dir = tempfile::tempdir().unwrap();
            let plan = crate::cmd::generate::Plan {
                criteria: root().join("criteria").join(format!("{criteria}.toml")),
                agencies: None,
                count,
                groups: 2,
                seed,
                appraisals,
                respondents: 40,
                title: None,
                output: dir.path().join("round"),
                force: false,
                voice: crate::diagnostic::Voice::PLAIN,
            };
            let exit = crate::cmd::generate::run(&plan, &mut Vec::new(), &mut Vec::new()).unwrap();
            proptest::prop_assert_eq!(exit, crate::exit::Exit::Done);
            let i = inputs::read_round_file(&dir.path().join("round/round.toml")).unwrap();
            let (round, fast) = both(&i, block);
            let (stack, _) = fast.expect("a generated round is plain");
            assert_same(&round, &stack, criteria);
        }
    }
}
