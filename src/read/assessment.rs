//! Assessment files (self-assessment, appraisal rounds, survey), in long form (one row
//! per agency and code) or wide form (one row per agency, one column per code), each
//! value read into its leaf's form and every problem reported with its place.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use crate::diagnostic::Diagnostic;
use crate::lang::Text;
use crate::model::criteria::{CriteriaSet, NodeId, Source};
use crate::model::layer::{Cell, CellTexts, Layer, LayerKind};
use crate::model::value::Value;
use crate::read::columns::{
    AGENCY, AGENCY_NAME, ASSESSMENT, CODE, EVIDENCE, EXPLANATION, NOTE, VALUE, misspelt,
};
use crate::read::table::{Place, Row, Table};
use crate::read::value::{Doubt, Refused, shown_percent};
use crate::text::Quoted;
use crate::tr;

/// The cells (agency, node) whose rows a report needs, of a round read without them.
#[derive(Debug, Default)]
pub struct Wanted(rustc_hash::FxHashSet<(usize, NodeId)>);

impl Wanted {
    /// The agencies whose cells are wanted, by index, among `agencies`.
    pub fn agencies(&self, agencies: usize) -> Vec<bool> {
        let mut wanted = vec![false; agencies];
        for &(a, _) in &self.0 {
            if let Some(w) = wanted.get_mut(a) {
                *w = true;
            }
        }
        wanted
    }
}

impl FromIterator<(usize, NodeId)> for Wanted {
    fn from_iter<I: IntoIterator<Item = (usize, NodeId)>>(cells: I) -> Self {
        Wanted(cells.into_iter().collect())
    }
}

/// What the rows of a file are checked against.
pub struct Context<'a> {
    pub set: &'a CriteriaSet,
    /// Agency id → index.
    pub agencies: &'a HashMap<String, usize>,
    /// Node code → id; a fast hash, since every row looks one up.
    pub codes: FxHashMap<&'a str, NodeId>,
    /// Whether to keep each cell's texts (value as typed, evidence, note, explanation)
    /// for reports that show them; without, only whether evidence was cited is kept.
    pub texts: bool,
    /// The one agency whose rows are kept, where a report shows only its rows (`explain`
    /// of one agency): the others' rows are passed over. Only for files already read
    /// whole and found good, since a row passed over is not checked.
    pub only: Option<usize>,
    /// The cells (agency, node) kept, where a report needs the rows of a few (`check`'s
    /// claims without evidence): the others are read and checked, and let go.
    pub cells: Option<&'a Wanted>,
    /// Index → agency id, to confirm the last agency seen without hashing.
    pub agency_ids: Vec<String>,
    /// Each id's look-alike form → the agency: made when an id is first not found, to say
    /// which agency it looks like.
    look_alikes: std::sync::OnceLock<HashMap<String, usize>>,
}

impl<'a> Context<'a> {
    pub fn new(set: &'a CriteriaSet, agencies: &'a HashMap<String, usize>) -> Self {
        let codes = set.nodes.iter().enumerate().map(|(i, n)| (n.code.as_str(), i)).collect();
        let mut agency_ids = vec![String::new(); agencies.len()];
        for (id, &i) in agencies {
            agency_ids[i].clone_from(id);
        }
        Self {
            set,
            agencies,
            codes,
            texts: true,
            only: None,
            cells: None,
            agency_ids,
            look_alikes: std::sync::OnceLock::new(),
        }
    }

    /// The agency whose id looks like `id` on screen, though it is not `id`: the same but
    /// for an invisible character or a letter of another script.
    fn looks_like(&self, id: &str) -> Option<&str> {
        let map = self.look_alikes.get_or_init(|| {
            let mut map = HashMap::new();
            for (i, id) in self.agency_ids.iter().enumerate() {
                map.entry(crate::text::look_alike_key(id)).or_insert(i);
            }
            map
        });
        let &i = map.get(&crate::text::look_alike_key(id))?;
        Some(self.agency_ids[i].as_str()).filter(|known| *known != id)
    }
}

/// Text fields of one cell, with where its value stands.
#[derive(Clone, Copy)]
struct Typed<'r> {
    agency: (&'r str, Place),
    code: (&'r str, Place),
    value: (&'r str, Place),
    evidence: &'r str,
    note: &'r str,
    explanation: &'r str,
    line: usize,
}

/// The stage a file of unknown role holds: the survey, when every code it names is a
/// survey leaf; an assessment otherwise.
pub fn guess_kind(table: &Table, ctx: &Context<'_>) -> LayerKind {
    let keys = table.header_keys();
    let codes: Vec<String> = match (CODE.find(&keys), VALUE.find(&keys)) {
        (Some(c), Some(_)) => {
            let mut codes = Vec::new();
            table.each_row(|r| codes.push(r.get(c).to_string()));
            codes
        }
        _ => (0..table.header.fields.len()).map(|i| table.header.get(i).to_string()).collect(),
    };
    let sources: Vec<Source> = codes
        .iter()
        .filter_map(|c| ctx.codes.get(c.as_str()))
        .filter_map(|&id| ctx.set.nodes[id].leaf.as_ref().map(|l| l.source))
        .collect();
    if !sources.is_empty() && sources.iter().all(|s| *s == Source::Survey) {
        LayerKind::Survey
    } else {
        LayerKind::SelfAssessment
    }
}

/// Reads one assessment file into a layer of cells.
pub fn read(table: &Table, kind: LayerKind, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) -> Layer {
    out.extend(table.problems.iter().cloned());
    let keys = table.header_keys();
    let mut reader = Reader {
        table,
        kind,
        ctx,
        // A long-form file has a cell per line: room for them all at once, rather than
        // growing (and copying) the list as it fills; one agency's are a few.
        cells: Vec::with_capacity(if ctx.only.is_some() || ctx.cells.is_some() {
            0
        } else {
            table.source.lines()
        }),
        seen: vec![0; ctx.agencies.len() * ctx.set.nodes.len()],
        last_agency: None,
        duplicates: 0,
        last_duplicate: None,
    };
    let header_line = table.source.line_span(table.header.start);
    // Reported, and read on with the first of each: the file's other problems are
    // listed too.
    table.columns_named_once(&ASSESSMENT, out);
    let path = &table.source.path;
    let Some(agency_col) = AGENCY.find(&keys) else {
        out.push(
            Diagnostic::error(
                "missing-column",
                tr!("{path} has no agency column", "{path} không có cột đơn vị"),
            )
            .at(header_line, tr!("the header", "dòng tiêu đề"))
            .help(tr!(
                "long form: agency,code,value,evidence,note; wide form: agency, then one column per code",
                "dạng dọc: agency,code,value,evidence,note; dạng ngang: agency, rồi mỗi mã một cột"
            )),
        );
        return reader.finish();
    };
    match (CODE.find(&keys), VALUE.find(&keys)) {
        (Some(code_col), Some(value_col)) => {
            if let Some((i, column)) = misspelt(&keys) {
                let (q, name) = (Quoted(table.header.get(i)), column.name);
                let (or_en, or_vi) = (column.aliases.join(" or "), column.aliases.join(" hoặc "));
                out.push(
                    Diagnostic::error(
                        "unknown-column",
                        tr!(
                            "{path}: the column {q} is not one parindex reads, and the file has no `{name}` column",
                            "{path}: parindex không đọc cột {q}, và tệp không có cột `{name}`"
                        ),
                    )
                    .at(table.span(&table.header, i), tr!("not `{name}`", "không phải `{name}`"))
                    .help(Text::new(
                        format!("did you mean `{name}`? Name the column {or_en}"),
                        format!("có phải là `{name}`? Hãy đặt tên cột là {or_vi}"),
                    )),
                );
            }
            let optional = |c: crate::read::columns::Column| c.find(&keys);
            let (ev, note, expl) = (optional(EVIDENCE), optional(NOTE), optional(EXPLANATION));
            table.each_row(|row| {
                if !table.check_row(row, out) {
                    return;
                }
                reader.cell(
                    &Typed {
                        agency: (row.get(agency_col), row.place(agency_col)),
                        code: (row.get(code_col), row.place(code_col)),
                        value: (row.get(value_col), row.place(value_col)),
                        evidence: optional_field(row, ev),
                        note: optional_field(row, note),
                        explanation: optional_field(row, expl),
                        line: row.line,
                    },
                    out,
                );
            });
        }
        (Some(_), None) | (None, Some(_)) => out.push(
            Diagnostic::error(
                "missing-column",
                tr!(
                    "{path} has a `code` or a `value` column but not both",
                    "{path} có cột `code` hoặc cột `value` nhưng không có cả hai"
                ),
            )
            .at(header_line, tr!("the header", "dòng tiêu đề"))
            .help(tr!(
                "long form needs agency,code,value; wide form has agency, then one column per code",
                "dạng dọc cần agency,code,value; dạng ngang có agency, rồi mỗi mã một cột"
            )),
        ),
        (None, None) => reader.wide(agency_col, &keys, out),
    }
    reader.more_duplicates(out);
    reader.finish()
}

/// What a leaf's rule reads, in a few words: "a number", "yes or no".
fn expected_kind(rule: &crate::model::rule::Rule) -> Text {
    use crate::model::rule::Rule;
    match rule {
        Rule::YesNo => tr!("yes or no", "có hoặc không"),
        Rule::Choice { .. } => tr!("one of its choices", "một trong các lựa chọn của nó"),
        Rule::Points { .. } | Rule::Bands { .. } | Rule::Ratio { .. } | Rule::PerItem { .. } => {
            tr!("a number", "một số")
        }
    }
}

/// Two wide-form columns that hold the same thing (`holding`: "the values of \"1.1.1\"").
fn twice(table: &Table, first: usize, again: usize, holding: &Text) -> Diagnostic {
    let header = &table.header;
    let (path, line, first_n, again_n) = (&table.source.path, header.line, first + 1, again + 1);
    Diagnostic::error(
        "duplicate-column",
        Text::new(
            format!(
                "{path}, line {line}: column {first_n} and column {again_n} both hold {}; only one can be read",
                holding.en
            ),
            format!(
                "dòng {line} của {path}: cột {first_n} và cột {again_n} cùng chứa {}; chỉ đọc được một cột",
                holding.vi
            ),
        ),
    )
    .at(table.span(header, again), tr!("again", "lặp lại"))
    .with_context(table.span(header, first), tr!("first", "lần đầu"))
    .help(tr!(
        "keep one of them, and delete or rename the other",
        "hãy giữ một cột, và xóa hoặc đổi tên cột kia"
    ))
}

/// How many wide-form columns that cannot hold values are named one by one.
const SHOWN_COLUMNS: usize = 20;

fn optional_field(row: &Row, col: Option<usize>) -> &str {
    col.map_or("", |c| row.get(c))
}

/// How many second values for a cell are shown one by one; the rest are counted, and
/// the last of them named.
const SHOWN_DUPLICATES: usize = 20;

/// The last second value for a cell past the first [`SHOWN_DUPLICATES`].
struct LastDuplicate {
    line: usize,
    agency: String,
    code: String,
    /// The line of the cell's first value.
    first: usize,
    at: Place,
}

struct Reader<'t, 'c> {
    table: &'t Table,
    /// How many second values for a cell were met.
    duplicates: usize,
    last_duplicate: Option<LastDuplicate>,
    kind: LayerKind,
    ctx: &'t Context<'c>,
    cells: Vec<Cell>,
    /// agency × node → the line of the value first given (0: none yet).
    seen: Vec<u32>,
    /// The last agency looked up: rows of one agency usually follow each other.
    last_agency: Option<(usize, usize)>,
}

impl Reader<'_, '_> {
    /// The second values for a cell past the first [`SHOWN_DUPLICATES`], in one message
    /// that counts them and names the last.
    fn more_duplicates(&self, out: &mut Vec<Diagnostic>) {
        let Some(last) = &self.last_duplicate else { return };
        let more = self.duplicates - SHOWN_DUPLICATES;
        let (path, line, first) = (&self.table.source.path, last.line, last.first);
        let (qa, qc) = (Quoted(&last.agency), Quoted(&last.code));
        out.push(
            Diagnostic::error(
                "duplicate-cell",
                tr!(
                    "{path}: {more} more rows give a second value for an agency and code; the last is line {line}, agency {qa}, {qc} (the first is on line {first})",
                    "{path}: thêm {more} dòng nữa cho giá trị thứ hai của cùng một đơn vị và mã; dòng cuối là dòng {line}, đơn vị {qa}, {qc} (giá trị đầu tiên ở dòng {first})"
                ),
            )
            .at(self.table.span_at(last.at), tr!("the last second value", "giá trị thứ hai cuối cùng"))
            .help(tr!(
                "was the file, or part of it, pasted twice? Keep one row per agency and code in a file; later stages go in their own files",
                "tệp, hoặc một phần của tệp, có bị dán hai lần không? Mỗi đơn vị và mã chỉ giữ một dòng trong một tệp; các giai đoạn sau nằm trong tệp riêng"
            )),
        );
    }

    fn finish(self) -> Layer {
        Layer { kind: self.kind, path: self.table.source.path.clone(), cells: self.cells }
    }

    /// Wide form: one row per agency; a column per code, and optionally `CODE:evidence`,
    /// `CODE:note` and `CODE:explanation` beside it.
    fn wide(&mut self, agency_col: usize, keys: &[String], out: &mut Vec<Diagnostic>) {
        let table = self.table;
        let header = &table.header;
        // Found once: a header may be thousands of columns wide.
        let spans = table.spans(header);
        let at = |i: usize| spans.get(i).cloned().unwrap_or_else(|| table.span(header, i));
        // For each value column: its code, and the columns of its evidence, note, explanation.
        let mut columns: Vec<(usize, [Option<usize>; 3])> = Vec::new();
        let mut extras: HashMap<&str, [Option<usize>; 3]> = HashMap::new();
        // Each code's value column: a second one would give every agency two values.
        let mut codes: HashMap<&str, usize> = HashMap::new();
        for (i, key) in keys.iter().enumerate() {
            let name = header.get(i);
            if i == agency_col || AGENCY_NAME.matches(key) || name.is_empty() {
                continue;
            }
            if let Some((code, what)) = name.split_once(':') {
                let slot = match crate::text::ascii_key(what).as_str() {
                    w if EVIDENCE.matches(w) => 0,
                    w if NOTE.matches(w) => 1,
                    w if EXPLANATION.matches(w) => 2,
                    _ => {
                        let (path, q) = (&table.source.path, Quoted(name));
                        out.push(
                            Diagnostic::error(
                                "unknown-column",
                                tr!(
                                    "{path}: the column {q} is not one parindex reads",
                                    "{path}: parindex không đọc cột {q}"
                                ),
                            )
                            .at(
                                at(i),
                                tr!(
                                    "not a code, nor CODE:evidence, CODE:note or CODE:explanation",
                                    "không phải mã, cũng không phải CODE:evidence, CODE:note hay CODE:explanation"
                                ),
                            ),
                        );
                        continue;
                    }
                };
                if let Some(first) = extras.entry(code.trim()).or_default()[slot].replace(i) {
                    let q = Quoted(code.trim());
                    let holding = [
                        tr!("the evidence of {q}", "tài liệu kiểm chứng của {q}"),
                        tr!("the note of {q}", "ghi chú của {q}"),
                        tr!("the explanation of {q}", "giải trình của {q}"),
                    ];
                    out.push(twice(table, first, i, &holding[slot]));
                }
            } else if let Some(&first) = codes.get(name) {
                let q = Quoted(name);
                out.push(twice(table, first, i, &tr!("the values of {q}", "các giá trị của {q}")));
            } else {
                codes.insert(name, i);
                columns.push((i, [None; 3]));
            }
        }
        for (i, slots) in &mut columns {
            if let Some(found) = extras.remove(header.get(*i)) {
                *slots = found;
            }
        }
        for code in extras.keys() {
            let (&code, _) = extras.get_key_value(code).expect("a key of the map");
            let col =
                (0..header.fields.len()).find(|&i| header.get(i).starts_with(code)).unwrap_or(0);
            let (path, q) = (&table.source.path, Quoted(code));
            out.push(
                Diagnostic::error(
                    "unknown-column",
                    tr!(
                        "{path}: {q} has evidence or notes but no column of values",
                        "{path}: {q} có tài liệu kiểm chứng hoặc ghi chú nhưng không có cột giá trị"
                    ),
                )
                .at(at(col), tr!("no value column for this code", "mã này không có cột giá trị")),
            );
        }
        // A column's code is checked once, here, rather than on every row; a file with
        // thousands of columns that are not codes gets the first few and a count.
        let (mut refused, mut unshown) = (0, None);
        columns.retain(|&(i, _)| {
            let Some((d, label)) = self.column_problem(header.get(i)) else { return true };
            refused += 1;
            if refused <= SHOWN_COLUMNS {
                out.push(d.at(at(i), label));
            } else {
                unshown.get_or_insert(i);
            }
            false
        });
        if let Some(i) = unshown {
            let more = refused - SHOWN_COLUMNS;
            let (path, q, after) = (&table.source.path, Quoted(header.get(i)), more - 1);
            out.push(
                Diagnostic::error(
                    "unknown-code",
                    tr!(
                        "{path}: {more} more columns cannot hold values, from the column {q} on",
                        "{path}: thêm {more} cột nữa không thể chứa giá trị, kể từ cột {q}"
                    ),
                )
                .at(
                    at(i),
                    tr!("this column and {after} more after it", "cột này và {after} cột sau nó"),
                ),
            );
        }
        table.each_row(|row| {
            if !table.check_row(row, out) {
                return;
            }
            for (col, [ev, note, expl]) in &columns {
                let text = |c: &Option<usize>| c.map_or("", |c| row.get(c));
                let value = row.get(*col);
                if value.is_empty()
                    && text(ev).is_empty()
                    && text(expl).is_empty()
                    && text(note).is_empty()
                {
                    continue;
                }
                self.cell(
                    &Typed {
                        agency: (row.get(agency_col), row.place(agency_col)),
                        code: (header.get(*col), header.place(*col)),
                        value: (value, row.place(*col)),
                        evidence: text(ev),
                        note: text(note),
                        explanation: text(expl),
                        line: row.line,
                    },
                    out,
                );
            }
        });
    }

    /// Why a wide-form column cannot hold values, and the label for its header: a code
    /// that is not the set's, a node scored from its children, a leaf of another file.
    fn column_problem(&self, code: &str) -> Option<(Diagnostic, Text)> {
        let path = &self.table.source.path;
        let set = self.ctx.set;
        let line = self.table.header.line;
        let qc = Quoted(code);
        let Some(&node) = self.ctx.codes.get(code) else {
            let id = &set.id;
            let mut d = Diagnostic::error(
                "unknown-code",
                tr!(
                    "{path}, line {line}: the column {qc} is not a sub-criterion of {id}",
                    "dòng {line} của {path}: cột {qc} không phải là tiêu chí thành phần của {id}"
                ),
            );
            let codes: Vec<&str> = self.ctx.codes.keys().copied().collect();
            d = match crate::text::did_you_mean(code, &codes) {
                Some(near) => d.help(tr!("did you mean \"{near}\"?", "có phải là \"{near}\"?")),
                None => d.help(tr!(
                    "a column of the wide form is a sub-criterion's code, CODE:evidence, CODE:note or CODE:explanation, or the agency's name",
                    "một cột của dạng ngang là mã của một tiêu chí thành phần, CODE:evidence, CODE:note hoặc CODE:explanation, hoặc tên đơn vị"
                )),
            };
            return Some((d, tr!("not a code of {id}", "không phải mã của {id}")));
        };
        let Some(leaf) = &set.nodes[node].leaf else {
            let d = Diagnostic::error(
                "not-a-leaf",
                tr!(
                    "{path}, line {line}: the column {qc} is scored from its sub-criteria, not given values",
                    "dòng {line} của {path}: cột {qc} được chấm từ các tiêu chí thành phần của nó, không được nhập giá trị"
                ),
            )
            .help(under_it());
            return Some((d, with_children()));
        };
        match (self.kind, leaf.source) {
            (LayerKind::Survey, Source::Assessment) => Some((
                Diagnostic::error(
                    "not-a-survey-leaf",
                    tr!(
                        "{path}, line {line}: the column {qc} is assessed by the agencies, not taken from the survey",
                        "dòng {line} của {path}: cột {qc} do các đơn vị tự đánh giá, không lấy từ điều tra xã hội học"
                    ),
                )
                .help(tr!(
                    "move this column to the self-assessment or appraisal file",
                    "hãy chuyển cột này sang tệp tự đánh giá hoặc tệp thẩm định"
                )),
                not_survey(),
            )),
            (LayerKind::SelfAssessment | LayerKind::Appraisal(_), Source::Survey) => Some((
                Diagnostic::error(
                    "survey-leaf",
                    tr!(
                        "{path}, line {line}: the column {qc} comes from the survey; it cannot be assessed here",
                        "dòng {line} của {path}: cột {qc} lấy từ điều tra xã hội học; không thể đánh giá ở đây"
                    ),
                )
                .help(survey_file()),
                a_survey_leaf(),
            )),
            _ => None,
        }
    }

    /// Checks one cell and keeps it when it is good.
    fn cell(&mut self, t: &Typed<'_>, out: &mut Vec<Diagnostic>) {
        let path = &self.table.source.path;
        let set = self.ctx.set;
        let table = self.table;
        let (agency_id, agency_at) = t.agency;
        let (code, code_at) = t.code;
        let (text, value_at) = t.value;
        // As messages quote them: invisible characters shown, long texts cut short.
        let (qa, qc, qt) = (Quoted(agency_id), Quoted(code), Quoted(text));
        // Spans rescan the line: worked out only for a message.
        let agency_span = || table.span_at(agency_at);
        let code_span = || table.span_at(code_at);
        let value_span = || table.span_at(value_at);
        // A row with nothing to say (an unanswered line of a template, a heading) is
        // not a cell; a leaf left without any is reported as missing.
        if text.is_empty() && t.evidence.is_empty() && t.note.is_empty() && t.explanation.is_empty()
        {
            return;
        }
        let line = t.line;
        if agency_id.is_empty() {
            out.push(
                Diagnostic::error(
                    "unknown-agency",
                    tr!(
                        "{path}, line {line}: the row names no agency",
                        "dòng {line} của {path}: dòng này không ghi đơn vị"
                    ),
                )
                .at(agency_span(), tr!("no agency", "không có đơn vị"))
                .help(tr!(
                    "fill in the agency's id from the agencies file",
                    "hãy điền mã đơn vị theo tệp danh sách đơn vị"
                )),
            );
            return;
        }
        let cached = self.last_agency.filter(|&(_, len)| len == agency_id.len()).map(|(a, _)| a);
        let agency = match cached {
            Some(a) if self.ctx.agency_ids.get(a).is_some_and(|id| id == agency_id) => Some(a),
            _ => self.ctx.agencies.get(agency_id).copied(),
        };
        if let Some(a) = agency {
            self.last_agency = Some((a, agency_id.len()));
        }
        let Some(agency) = agency else {
            out.push(
                Diagnostic::error(
                    "unknown-agency",
                    tr!(
                        "{path}, line {line}: there is no agency {qa} in the agencies file",
                        "dòng {line} của {path}: tệp danh sách đơn vị không có đơn vị {qa}"
                    ),
                )
                .at(
                    agency_span(),
                    tr!("not in the agencies file", "không có trong tệp danh sách đơn vị"),
                )
                .help(match self.ctx.looks_like(agency_id) {
                    Some(known) => {
                        let odd = crate::text::look_alike_char(agency_id)
                            .map(|odd| {
                                Text::new(
                                    format!("this id holds {}", odd.en),
                                    format!("mã này chứa {}", odd.vi),
                                )
                            })
                            .or_else(|| {
                                crate::text::look_alike_char(known).map(|odd| {
                                    Text::new(
                                        format!("that id holds {}", odd.en),
                                        format!("mã kia chứa {}", odd.vi),
                                    )
                                })
                            })
                            .unwrap_or_else(|| {
                                tr!("their letters differ", "các chữ cái của chúng khác nhau")
                            });
                        let q = crate::text::quote(known);
                        Text::new(
                            format!("did you mean {q}? The two look the same, but {}", odd.en),
                            format!("có phải là {q}? Hai mã trông giống nhau, nhưng {}", odd.vi),
                        )
                    }
                    None => tr!(
                        "agencies are named by the id in the agencies file's first column",
                        "đơn vị được ghi bằng mã ở cột đầu tiên của tệp danh sách đơn vị"
                    ),
                }),
            );
            return;
        };
        if self.ctx.only.is_some_and(|only| only != agency) {
            return;
        }
        let Some(&node) = self.ctx.codes.get(code) else {
            let id = &set.id;
            let mut d = Diagnostic::error(
                "unknown-code",
                tr!(
                    "{path}, line {line}: agency {qa}: there is no sub-criterion {qc} in {id}",
                    "dòng {line} của {path}: đơn vị {qa}: {id} không có tiêu chí thành phần {qc}"
                ),
            )
            .at(code_span(), tr!("not a code of {id}", "không phải mã của {id}"));
            let codes: Vec<&str> = self.ctx.codes.keys().copied().collect();
            if let Some(near) = crate::text::did_you_mean(code, &codes) {
                d = d.help(tr!("did you mean \"{near}\"?", "có phải là \"{near}\"?"));
            }
            out.push(d);
            return;
        };
        let n = &set.nodes[node];
        let Some(leaf) = &n.leaf else {
            out.push(
                Diagnostic::error(
                    "not-a-leaf",
                    tr!(
                        "{path}, line {line}: agency {qa}: {qc} is scored from its sub-criteria, not given a value",
                        "dòng {line} của {path}: đơn vị {qa}: {qc} được chấm từ các tiêu chí thành phần của nó, không được nhập giá trị"
                    ),
                )
                .at(code_span(), with_children())
                .help(under_it()),
            );
            return;
        };
        match (self.kind, leaf.source) {
            (LayerKind::Survey, Source::Assessment) => {
                // A leaf computed from survey responses is no survey file's either.
                let (message, help) = match &leaf.compute {
                    Some(c) => {
                        let table = &c.table;
                        (
                            tr!(
                                "{path}, line {line}: {qc} is computed from table \"{table}\" of the round, not taken from the survey file",
                                "dòng {line} của {path}: {qc} được tính từ bảng \"{table}\" của vòng đánh giá, không lấy từ tệp điều tra"
                            ),
                            tr!(
                                "remove this row: the round's table gives the value (an appraisal file may still correct it)",
                                "hãy xóa dòng này: bảng của vòng đánh giá cho giá trị (tệp thẩm định vẫn có thể sửa giá trị đó)"
                            ),
                        )
                    }
                    None => (
                        tr!(
                            "{path}, line {line}: {qc} is assessed by the agency, not taken from the survey",
                            "dòng {line} của {path}: {qc} do đơn vị tự đánh giá, không lấy từ điều tra xã hội học"
                        ),
                        tr!(
                            "move this row to the self-assessment or appraisal file",
                            "hãy chuyển dòng này sang tệp tự đánh giá hoặc tệp thẩm định"
                        ),
                    ),
                };
                out.push(
                    Diagnostic::error("not-a-survey-leaf", message)
                        .at(code_span(), not_survey())
                        .help(help),
                );
                return;
            }
            (LayerKind::SelfAssessment | LayerKind::Appraisal(_), Source::Survey) => {
                out.push(
                    Diagnostic::error(
                        "survey-leaf",
                        tr!(
                            "{path}, line {line}: agency {qa}: {qc} comes from the survey; it cannot be assessed here",
                            "dòng {line} của {path}: đơn vị {qa}: {qc} lấy từ điều tra xã hội học; không thể đánh giá ở đây"
                        ),
                    )
                    .at(code_span(), a_survey_leaf())
                    .help(survey_file()),
                );
                return;
            }
            _ => {}
        }
        // Excel turns `9/10` typed into a cell into a date, whose serial number would be
        // read as a figure of some 45,000.
        if let Some(sheet) = &table.sheet
            && let Some(date) = sheet.date_at(t.line, value_at.column)
        {
            let cell = format!("{}{}", crate::read::xlsx::column_letters(value_at.column), t.line);
            let typed = date.day_month.map(|(day, month)| format!("{day}/{month}"));
            let (sheet, shown, kind) =
                (Quoted(&sheet.name), &date.shown, expected_kind(&leaf.rule));
            out.push(
                Diagnostic::error(
                    "date-cell",
                    Text::new(
                        format!(
                            "{path}, line {line}: agency {qa}, {qc}: the cell {cell} of sheet {sheet} holds a date, {shown}, where {} is expected",
                            kind.en
                        ),
                        format!(
                            "dòng {line} của {path}: đơn vị {qa}, {qc}: ô {cell} của trang tính {sheet} chứa một ngày tháng, {shown}, trong khi cần {}",
                            kind.vi
                        ),
                    ),
                )
                .at(value_span(), tr!("a date", "một ngày tháng"))
                .help(match typed {
                    Some(typed) => tr!(
                        "Excel took what was typed for a date: format the cell as Text (Format Cells → Text) and type the value again ({typed}, if that is what was typed)",
                        "Excel đã hiểu nội dung nhập vào là ngày tháng: hãy định dạng ô là Văn bản (Format Cells → Text) rồi nhập lại giá trị ({typed}, nếu đó là nội dung đã nhập)"
                    ),
                    None => tr!(
                        "Excel took what was typed for a date or a time: format the cell as Text (Format Cells → Text) and type the value again",
                        "Excel đã hiểu nội dung nhập vào là ngày tháng hoặc giờ: hãy định dạng ô là Văn bản (Format Cells → Text) rồi nhập lại giá trị"
                    ),
                }),
            );
            return;
        }
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
        let value = if text.is_empty() {
            None
        } else {
            match Value::parse(text, leaf, n.max).map(|v| v.for_leaf(leaf)) {
                Ok(Ok(v)) => Some(v),
                Ok(Err(Refused::DividesByZero)) => {
                    out.push(
                        Diagnostic::error(
                            "unreadable-value",
                            tr!(
                                "{path}, line {line}: agency {qa}, {qc}: {qt} divides by zero",
                                "dòng {line} của {path}: đơn vị {qa}, {qc}: {qt} chia cho 0"
                            ),
                        )
                        .at(value_span(), tr!("nothing to divide by", "mẫu số bằng 0"))
                        .help(tr!(
                            "with nothing to count, the item is not applicable: allow it with `na = true` in the criteria set",
                            "khi không có gì để đếm, mục này là không phát sinh: hãy cho phép điều đó bằng `na = true` trong bộ tiêu chí"
                        )),
                    );
                    return;
                }
                Ok(Err(Refused::NaNotAllowed)) => {
                    out.push(
                        Diagnostic::error(
                            "na-not-allowed",
                            tr!(
                                "{path}, line {line}: agency {qa}: {qc} cannot be not applicable",
                                "dòng {line} của {path}: đơn vị {qa}: {qc} không được ghi không phát sinh"
                            ),
                        )
                        .at(
                            value_span(),
                            tr!(
                                "not applicable is not allowed here",
                                "ở đây không được ghi không phát sinh"
                            ),
                        )
                        .help(tr!(
                            "give a value, or allow it in the criteria set with `na = true` on {qc}",
                            "hãy nhập giá trị, hoặc cho phép điều đó trong bộ tiêu chí bằng `na = true` ở {qc}"
                        )),
                    );
                    return;
                }
                Err(e) => {
                    let expected = &e.expected;
                    let (says, label) = e.problem.as_deref().cloned().unwrap_or_else(|| {
                        (
                            Text::new(
                                format!("{qt} is not {}", expected.en),
                                format!("{qt} không phải là {}", expected.vi),
                            ),
                            Text::new(
                                format!("expected {}", expected.en),
                                format!("cần {}", expected.vi),
                            ),
                        )
                    });
                    let place = tr!(
                        "{path}, line {line}: agency {qa}, {qc}",
                        "dòng {line} của {path}: đơn vị {qa}, {qc}"
                    );
                    let mut d = Diagnostic::error("unreadable-value", place.join(": ", &says))
                        .at(value_span(), label);
                    d = match e.help {
                        Some(help) => d.help(help),
                        None => d,
                    };
                    if crate::text::lost_letters(t.value.0) {
                        d = d.help(Text::new(
                            format!(
                                "the file holds '?' where letters were: {} again",
                                crate::read::encoding::SAVE_AS
                            ),
                            format!(
                                "tệp chứa '?' ở chỗ lẽ ra là chữ cái: hãy {} lại",
                                crate::read::encoding::SAVE_AS_VI
                            ),
                        ));
                    }
                    out.push(d);
                    return;
                }
            }
        };
        if let Some(doubt) = value.as_ref().and_then(|v| v.doubt(text, &leaf.rule)) {
            let place = tr!(
                "{path}, line {line}: agency {qa}, {qc}",
                "dòng {line} của {path}: đơn vị {qa}, {qc}"
            );
            out.push(doubted(doubt, &place, qt, qc, value_span()));
        }
        if value.is_some() {
            let slot = agency * set.nodes.len() + node;
            let first = self.seen[slot] as usize;
            if first > 0 {
                self.duplicates += 1;
                if self.duplicates > SHOWN_DUPLICATES {
                    // Counted, and the last kept to be named: a file pasted twice has as
                    // many of these as it has rows.
                    self.last_duplicate = Some(LastDuplicate {
                        line: t.line,
                        agency: agency_id.to_string(),
                        code: code.to_string(),
                        first,
                        at: value_at,
                    });
                    return;
                }
                out.push(
                    Diagnostic::error(
                        "duplicate-cell",
                        tr!(
                            "{path}, line {line}: agency {qa} has a second value for {qc} (the first is on line {first})",
                            "dòng {line} của {path}: đơn vị {qa} có giá trị thứ hai cho {qc} (giá trị đầu tiên ở dòng {first})"
                        ),
                    )
                    .at(value_span(), tr!("a second value", "giá trị thứ hai"))
                    .with_context(
                        // The same column on the first value's line.
                        table.span_at(Place {
                            start: table.source.line(first).start,
                            column: value_at.column,
                        }),
                        tr!("the first value", "giá trị đầu tiên"),
                    )
                    .help(tr!(
                        "keep one row per agency and code in a file; later stages go in their own files",
                        "mỗi đơn vị và mã chỉ giữ một dòng trong một tệp; các giai đoạn sau nằm trong tệp riêng"
                    )),
                );
                return;
            }
            self.seen[slot] = u32::try_from(t.line).unwrap_or(u32::MAX);
        }
        if self.ctx.cells.is_some_and(|kept| !kept.0.contains(&(agency, node))) {
            return;
        }
        let texts = self.ctx.texts.then(|| {
            Box::new(CellTexts {
                raw: text.to_string(),
                evidence: opt(t.evidence),
                note: opt(t.note),
                explanation: opt(t.explanation),
                derivation: None,
            })
        });
        let cell = Cell { agency, node, value, cited: !t.evidence.is_empty(), line: t.line, texts };
        self.cells.push(cell);
    }
}

/// The label and help of a node given a value though it is scored from its children.
fn with_children() -> Text {
    tr!("a node with children", "một mục có các mục con")
}

fn under_it() -> Text {
    tr!(
        "give values to the sub-criteria under it",
        "hãy nhập giá trị cho các tiêu chí thành phần bên dưới nó"
    )
}

/// The labels and help of a leaf in the wrong stage's file.
fn not_survey() -> Text {
    tr!("not a survey sub-criterion", "không phải tiêu chí thành phần lấy từ điều tra")
}

fn a_survey_leaf() -> Text {
    tr!("a survey sub-criterion", "một tiêu chí thành phần lấy từ điều tra")
}

fn survey_file() -> Text {
    tr!(
        "survey values go in the survey file (--survey)",
        "giá trị điều tra xã hội học nằm trong tệp điều tra (--survey)"
    )
}

/// The warning for a value that is likely a slip: `place` names the file, line, agency
/// and code, `text` the value as typed.
fn doubted(
    doubt: Doubt,
    place: &Text,
    text: Quoted<'_>,
    code: Quoted<'_>,
    at: std::ops::Range<usize>,
) -> Diagnostic {
    match doubt {
        Doubt::LooksLikeFraction { read, top } => {
            let meant = shown_percent(read * rust_decimal::Decimal::ONE_HUNDRED);
            Diagnostic::warning(
                "looks-like-fraction",
                place.clone().join(
                    ": ",
                    &tr!(
                        "{text} is read as {read}, but the bands of {code} go up to {top}: did you mean {meant}?",
                        "{text} được đọc là {read}, nhưng các khoảng của {code} lên tới {top}: có phải là {meant}?"
                    ),
                ),
            )
            .at(at, tr!("read as {read}, not {meant}", "đọc là {read}, không phải {meant}"))
            .help(tr!(
                "write {meant} if that is what it is; if {read} is right, write {read}% and this warning goes",
                "hãy viết {meant} nếu đúng là như vậy; nếu {read} là đúng, hãy viết {read}% và cảnh báo này sẽ hết"
            ))
        }
        Doubt::AboveWhole { percent, fraction: true, .. } => {
            let p = shown_percent(percent);
            Diagnostic::warning(
                "above-100-percent",
                place.clone().join(
                    ": ",
                    &tr!(
                        "{text} is {p}: the part is larger than the whole",
                        "{text} là {p}: phần lớn hơn tổng"
                    ),
                ),
            )
            .at(at, tr!("{p}, above 100%", "{p}, vượt quá 100%"))
            .help(tr!(
                "the first figure is the part done, the second the whole (19/20): check both counts; the value is scored as it stands",
                "số thứ nhất là phần đã làm, số thứ hai là tổng (19/20): hãy kiểm tra cả hai số đếm; giá trị được chấm đúng như đã ghi"
            ))
        }
        Doubt::AboveWhole { fraction: false, top, .. } => Diagnostic::warning(
            "above-100-percent",
            place.clone().join(
                ": ",
                &tr!(
                    "{text} is above 100%, though the bands of {code} go up to {top}",
                    "{text} vượt quá 100%, dù các khoảng của {code} chỉ lên tới {top}"
                ),
            ),
        )
        .at(at, tr!("above 100%", "vượt quá 100%"))
        .help(tr!(
            "check the figure: a share is at most 100%; a count rather than a percent is scored as it stands",
            "hãy kiểm tra số liệu: một tỷ lệ tối đa là 100%; nếu đó là số đếm chứ không phải phần trăm thì được chấm đúng như đã ghi"
        )),
    }
}
