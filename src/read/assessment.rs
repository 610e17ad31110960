//! Assessment files (self-assessment, appraisal rounds, survey), in long form (one row
//! per agency and code) or wide form (one row per agency, one column per code), each
//! value read into its leaf's form and every problem reported with its place.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use crate::diagnostic::Diagnostic;
use crate::model::criteria::{CriteriaSet, NodeId, Source};
use crate::model::layer::{Cell, CellTexts, Layer, LayerKind};
use crate::model::value::Value;
use crate::read::columns::{
    AGENCY, AGENCY_NAME, ASSESSMENT, CODE, EVIDENCE, EXPLANATION, NOTE, VALUE, misspelt,
};
use crate::read::table::{Place, Row, Table};
use crate::read::value::{Doubt, Refused, shown_percent};
use crate::text::Quoted;

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
        // growing (and copying) the list as it fills.
        cells: Vec::with_capacity(table.source.lines()),
        seen: vec![0; ctx.agencies.len() * ctx.set.nodes.len()],
        last_agency: None,
        duplicates: 0,
        last_duplicate: None,
    };
    let header_line = table.source.line_span(table.header.start);
    // Reported, and read on with the first of each: the file's other problems are
    // listed too.
    table.columns_named_once(&ASSESSMENT, out);
    let Some(agency_col) = AGENCY.find(&keys) else {
        out.push(
            Diagnostic::error("missing-column", format!("{} has no agency column", table.source.path))
                .at(header_line, "the header")
                .help("long form: agency,code,value,evidence,note; wide form: agency, then one column per code"),
        );
        return reader.finish();
    };
    match (CODE.find(&keys), VALUE.find(&keys)) {
        (Some(code_col), Some(value_col)) => {
            if let Some((i, column)) = misspelt(&keys) {
                out.push(
                    Diagnostic::error(
                        "unknown-column",
                        format!(
                            "{}: the column {} is not one parindex reads, and the file has no `{}` column",
                            table.source.path,
                            Quoted(table.header.get(i)),
                            column.name
                        ),
                    )
                    .at(table.span(&table.header, i), format!("not `{}`", column.name))
                    .help(format!("did you mean `{}`? Name the column {}", column.name, column.aliases.join(" or "))),
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
                format!("{} has a `code` or a `value` column but not both", table.source.path),
            )
            .at(header_line, "the header")
            .help(
                "long form needs agency,code,value; wide form has agency, then one column per code",
            ),
        ),
        (None, None) => reader.wide(agency_col, &keys, out),
    }
    reader.more_duplicates(out);
    reader.finish()
}

/// What a leaf's rule reads, in a few words: "a number", "yes or no".
fn expected_kind(rule: &crate::model::rule::Rule) -> &'static str {
    use crate::model::rule::Rule;
    match rule {
        Rule::YesNo => "yes or no",
        Rule::Choice { .. } => "one of its choices",
        Rule::Points { .. } | Rule::Bands { .. } | Rule::Ratio { .. } | Rule::PerItem { .. } => {
            "a number"
        }
    }
}

/// Two wide-form columns that hold the same thing (`holding`: "the values of \"1.1.1\"").
fn twice(table: &Table, first: usize, again: usize, holding: &str) -> Diagnostic {
    let header = &table.header;
    Diagnostic::error(
        "duplicate-column",
        format!(
            "{}, line {}: column {} and column {} both hold {holding}; only one can be read",
            table.source.path,
            header.line,
            first + 1,
            again + 1
        ),
    )
    .at(table.span(header, again), "again")
    .with_context(table.span(header, first), "first")
    .help("keep one of them, and delete or rename the other")
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
        out.push(
            Diagnostic::error(
                "duplicate-cell",
                format!(
                    "{}: {more} more rows give a second value for an agency and code; the last is line {}, agency {}, {} (the first is on line {})",
                    self.table.source.path,
                    last.line,
                    Quoted(&last.agency),
                    Quoted(&last.code),
                    last.first
                ),
            )
            .at(self.table.span_at(last.at), "the last second value")
            .help("was the file, or part of it, pasted twice? Keep one row per agency and code in a file; later stages go in their own files"),
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
                        out.push(
                            Diagnostic::error(
                                "unknown-column",
                                format!(
                                    "{}: the column {} is not one parindex reads",
                                    table.source.path,
                                    Quoted(name)
                                ),
                            )
                            .at(
                                at(i),
                                "not a code, nor CODE:evidence, CODE:note or CODE:explanation",
                            ),
                        );
                        continue;
                    }
                };
                if let Some(first) = extras.entry(code.trim()).or_default()[slot].replace(i) {
                    let what = ["evidence", "note", "explanation"][slot];
                    out.push(twice(
                        table,
                        first,
                        i,
                        &format!("the {what} of {}", Quoted(code.trim())),
                    ));
                }
            } else if let Some(&first) = codes.get(name) {
                out.push(twice(table, first, i, &format!("the values of {}", Quoted(name))));
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
            out.push(
                Diagnostic::error(
                    "unknown-column",
                    format!(
                        "{}: {} has evidence or notes but no column of values",
                        table.source.path,
                        Quoted(code)
                    ),
                )
                .at(at(col), "no value column for this code"),
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
            out.push(
                Diagnostic::error(
                    "unknown-code",
                    format!(
                        "{}: {more} more columns cannot hold values, from the column {} on",
                        table.source.path,
                        Quoted(header.get(i))
                    ),
                )
                .at(at(i), format!("this column and {} more after it", more - 1)),
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
    fn column_problem(&self, code: &str) -> Option<(Diagnostic, String)> {
        let path = &self.table.source.path;
        let set = self.ctx.set;
        let line = self.table.header.line;
        let qc = Quoted(code);
        let Some(&node) = self.ctx.codes.get(code) else {
            let mut d = Diagnostic::error(
                "unknown-code",
                format!(
                    "{path}, line {line}: the column {qc} is not a sub-criterion of {}",
                    set.id
                ),
            );
            let codes: Vec<&str> = self.ctx.codes.keys().copied().collect();
            d = match crate::text::did_you_mean(code, &codes) {
                Some(near) => d.help(format!("did you mean \"{near}\"?")),
                None => d.help("a column of the wide form is a sub-criterion's code, CODE:evidence, CODE:note or CODE:explanation, or the agency's name"),
            };
            return Some((d, format!("not a code of {}", set.id)));
        };
        let Some(leaf) = &set.nodes[node].leaf else {
            let d = Diagnostic::error(
                "not-a-leaf",
                format!("{path}, line {line}: the column {qc} is scored from its sub-criteria, not given values"),
            )
            .help("give values to the sub-criteria under it");
            return Some((d, "a node with children".into()));
        };
        match (self.kind, leaf.source) {
            (LayerKind::Survey, Source::Assessment) => Some((
                Diagnostic::error(
                    "not-a-survey-leaf",
                    format!("{path}, line {line}: the column {qc} is assessed by the agencies, not taken from the survey"),
                )
                .help("move this column to the self-assessment or appraisal file"),
                "not a survey sub-criterion".into(),
            )),
            (LayerKind::SelfAssessment | LayerKind::Appraisal(_), Source::Survey) => Some((
                Diagnostic::error(
                    "survey-leaf",
                    format!("{path}, line {line}: the column {qc} comes from the survey; it cannot be assessed here"),
                )
                .help("survey values go in the survey file (--survey)"),
                "a survey sub-criterion".into(),
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
        if agency_id.is_empty() {
            out.push(
                Diagnostic::error(
                    "unknown-agency",
                    format!("{path}, line {}: the row names no agency", t.line),
                )
                .at(agency_span(), "no agency")
                .help("fill in the agency's id from the agencies file"),
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
                    format!(
                        "{path}, line {}: there is no agency {qa} in the agencies file",
                        t.line
                    ),
                )
                .at(agency_span(), "not in the agencies file")
                .help(match self.ctx.looks_like(agency_id) {
                    Some(known) => {
                        let odd = crate::text::look_alike_char(agency_id)
                            .map(|odd| format!("this id holds {odd}"))
                            .or_else(|| {
                                crate::text::look_alike_char(known)
                                    .map(|odd| format!("that id holds {odd}"))
                            })
                            .unwrap_or_else(|| "their letters differ".to_string());
                        format!(
                            "did you mean {}? The two look the same, but {odd}",
                            crate::text::quote(known)
                        )
                    }
                    None => "agencies are named by the id in the agencies file's first column"
                        .to_string(),
                }),
            );
            return;
        };
        let Some(&node) = self.ctx.codes.get(code) else {
            let mut d = Diagnostic::error(
                "unknown-code",
                format!(
                    "{path}, line {}: agency {qa}: there is no sub-criterion {qc} in {}",
                    t.line, set.id
                ),
            )
            .at(code_span(), format!("not a code of {}", set.id));
            let codes: Vec<&str> = self.ctx.codes.keys().copied().collect();
            if let Some(near) = crate::text::did_you_mean(code, &codes) {
                d = d.help(format!("did you mean \"{near}\"?"));
            }
            out.push(d);
            return;
        };
        let n = &set.nodes[node];
        let Some(leaf) = &n.leaf else {
            out.push(
                Diagnostic::error(
                    "not-a-leaf",
                    format!("{path}, line {}: agency {qa}: {qc} is scored from its sub-criteria, not given a value", t.line),
                )
                .at(code_span(), "a node with children")
                .help("give values to the sub-criteria under it"),
            );
            return;
        };
        match (self.kind, leaf.source) {
            (LayerKind::Survey, Source::Assessment) => {
                // A leaf computed from survey responses is no survey file's either.
                let (what, help) = match &leaf.compute {
                    Some(c) => (
                        format!("is computed from table \"{}\" of the round, not taken from the survey file", c.table),
                        "remove this row: the round's table gives the value (an appraisal file may still correct it)".to_string(),
                    ),
                    None => (
                        "is assessed by the agency, not taken from the survey".to_string(),
                        "move this row to the self-assessment or appraisal file".to_string(),
                    ),
                };
                out.push(
                    Diagnostic::error(
                        "not-a-survey-leaf",
                        format!("{path}, line {}: {qc} {what}", t.line),
                    )
                    .at(code_span(), "not a survey sub-criterion")
                    .help(help),
                );
                return;
            }
            (LayerKind::SelfAssessment | LayerKind::Appraisal(_), Source::Survey) => {
                out.push(
                    Diagnostic::error("survey-leaf", format!("{path}, line {}: agency {qa}: {qc} comes from the survey; it cannot be assessed here", t.line))
                        .at(code_span(), "a survey sub-criterion")
                        .help("survey values go in the survey file (--survey)"),
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
            out.push(
                Diagnostic::error(
                    "date-cell",
                    format!(
                        "{path}, line {}: agency {qa}, {qc}: the cell {cell} of sheet {} holds a date, {}, where {} is expected",
                        t.line,
                        Quoted(&sheet.name),
                        date.shown,
                        expected_kind(&leaf.rule)
                    ),
                )
                .at(value_span(), "a date")
                .help(match typed {
                    Some(typed) => format!("Excel took what was typed for a date: format the cell as Text (Format Cells → Text) and type the value again ({typed}, if that is what was typed)"),
                    None => "Excel took what was typed for a date or a time: format the cell as Text (Format Cells → Text) and type the value again".to_string(),
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
                        Diagnostic::error("unreadable-value", format!("{path}, line {}: agency {qa}, {qc}: {qt} divides by zero", t.line))
                            .at(value_span(), "nothing to divide by")
                            .help("with nothing to count, the item is not applicable: allow it with `na = true` in the criteria set"),
                    );
                    return;
                }
                Ok(Err(Refused::NaNotAllowed)) => {
                    out.push(
                        Diagnostic::error(
                            "na-not-allowed",
                            format!(
                                "{path}, line {}: agency {qa}: {qc} cannot be not applicable",
                                t.line
                            ),
                        )
                        .at(value_span(), "not applicable is not allowed here")
                        .help(format!(
                            "give a value, or allow it in the criteria set with `na = true` on {qc}"
                        )),
                    );
                    return;
                }
                Err(e) => {
                    let (says, label) = e.problem.unwrap_or_else(|| {
                        (format!("{qt} is not {}", e.expected), format!("expected {}", e.expected))
                    });
                    let mut d = Diagnostic::error(
                        "unreadable-value",
                        format!("{path}, line {}: agency {qa}, {qc}: {says}", t.line),
                    )
                    .at(value_span(), label);
                    d.help = e.help.map(crate::lang::Text::from);
                    if crate::text::lost_letters(t.value.0) {
                        d.help = Some(crate::lang::Text::from(format!(
                            "the file holds '?' where letters were: {} again",
                            crate::read::encoding::SAVE_AS
                        )));
                    }
                    out.push(d);
                    return;
                }
            }
        };
        if let Some(doubt) = value.as_ref().and_then(|v| v.doubt(text, &leaf.rule)) {
            let place = format!("{path}, line {}: agency {qa}, {qc}", t.line);
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
                    Diagnostic::error("duplicate-cell", format!("{path}, line {}: agency {qa} has a second value for {qc} (the first is on line {first})", t.line))
                        .at(value_span(), "a second value")
                        .with_context(
                            // The same column on the first value's line.
                            table.span_at(Place { start: table.source.line(first).start, column: value_at.column }),
                            "the first value",
                        )
                        .help("keep one row per agency and code in a file; later stages go in their own files"),
                );
                return;
            }
            self.seen[slot] = u32::try_from(t.line).unwrap_or(u32::MAX);
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

/// The warning for a value that is likely a slip: `place` names the file, line, agency
/// and code, `text` the value as typed.
fn doubted(
    doubt: Doubt,
    place: &str,
    text: Quoted<'_>,
    code: Quoted<'_>,
    at: std::ops::Range<usize>,
) -> Diagnostic {
    match doubt {
        Doubt::LooksLikeFraction { read, top } => {
            let meant = shown_percent(read * rust_decimal::Decimal::ONE_HUNDRED);
            Diagnostic::warning(
                "looks-like-fraction",
                format!(
                    "{place}: {text} is read as {read}, but the bands of {code} go up to {top}: did you mean {meant}?"
                ),
            )
            .at(at, format!("read as {read}, not {meant}"))
            .help(format!(
                "write {meant} if that is what it is; if {read} is right, write {read}% and this warning goes"
            ))
        }
        Doubt::AboveWhole { percent, fraction: true, .. } => Diagnostic::warning(
            "above-100-percent",
            format!(
                "{place}: {text} is {}: the part is larger than the whole",
                shown_percent(percent)
            ),
        )
        .at(at, format!("{}, above 100%", shown_percent(percent)))
        .help("the first figure is the part done, the second the whole (19/20): check both counts; the value is scored as it stands"),
        Doubt::AboveWhole { fraction: false, top, .. } => Diagnostic::warning(
            "above-100-percent",
            format!("{place}: {text} is above 100%, though the bands of {code} go up to {top}"),
        )
        .at(at, "above 100%")
        .help("check the figure: a share is at most 100%; a count rather than a percent is scored as it stands"),
    }
}
