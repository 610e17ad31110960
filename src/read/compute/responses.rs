//! Survey responses: one row per respondent, each survey leaf's answers summed per agency
//! over the respondents its `where` admits.

use std::collections::HashMap;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::{Capped, Computed, TableReader, Target, list, summary};
use crate::diagnostic::Diagnostic;
use crate::lang::Text;
use crate::model::compute::{How, Survey};
use crate::model::layer::{Derivation, Derived};
use crate::model::value::Value;
use crate::read::table::{Row, Table};
use crate::text::{did_you_mean, fold, quote};
use crate::tr;

impl TableReader<'_> {
    /// One row per respondent: each leaf's answers summed per agency.
    pub(super) fn responses(
        &self,
        leaves: &[(&Target<'_>, HashMap<String, usize>)],
        agency: usize,
        done: &mut Computed,
        out: &mut Vec<Diagnostic>,
    ) {
        let mut plans = plans(leaves);
        let (tallies, rows) = self.tally(&mut plans, agency, out);
        self.finish(plans, &tallies, rows, done, out);
    }

    /// Each agency's tallies of every leaf side by side (agency by agency, then leaf by
    /// leaf): a response touches one agency's, wherever its row stands. Gives them and
    /// the number of rows read.
    fn tally(
        &self,
        plans: &mut [Plan<'_>],
        agency: usize,
        out: &mut Vec<Diagnostic>,
    ) -> (Vec<Tally>, u64) {
        let path = self.path().to_string();
        let (n, k) = (self.agencies.len(), plans.len());
        let mut tallies = vec![Tally::default(); n * k];
        let (mut unknown, mut nameless, mut strange, mut misshapen) =
            (Capped::default(), Capped::default(), Capped::default(), Capped::default());
        // A cell two leaves read is reported once.
        let mut reported: std::collections::HashSet<(usize, usize)> =
            std::collections::HashSet::new();
        let mut rows = 0u64;
        self.table.each_row(|row| {
            let mut shape = Vec::new();
            if !self.table.check_row(row, &mut shape) {
                for d in shape {
                    misshapen.push(out, || d);
                }
                return;
            }
            rows += 1;
            let id = row.get(agency);
            if id.is_empty() {
                nameless.push(out, || {
                    let at = self.at(row, Some(agency));
                    let (en, vi) = (&at.en, &at.vi);
                    Diagnostic::error(
                        "missing-agency",
                        tr!(
                            "{en}: the response names no agency",
                            "{vi}: phiếu trả lời không ghi đơn vị"
                        ),
                    )
                    .at(self.table.span(row, agency), tr!("no agency id", "không có mã đơn vị"))
                });
                return;
            }
            let Some(a) = self.ids.get(id.as_bytes()).map(|a| a as usize) else {
                unknown.push(out, || {
                    self.unknown_agency(row, agency, id, &tr!("response", "phiếu trả lời"))
                });
                return;
            };
            for (p, plan) in plans.iter_mut().enumerate() {
                if !plan.admits(row) {
                    continue;
                }
                let tally = &mut tallies[a * k + p];
                tally.respondents += 1;
                tally.first.get_or_insert(row.line);
                for q in 0..plan.questions.len() {
                    let column = plan.questions[q];
                    let text = row.get(column);
                    if text.is_empty() {
                        tallies[a * k + p].blank += 1;
                        continue;
                    }
                    if let Some(w) = plan.weight(text) {
                        let tally = &mut tallies[a * k + p];
                        tally.weight += w;
                        tally.answers += 1;
                    } else if reported.insert((row.line, column)) {
                        let question = &plan.survey.questions[q].0;
                        strange.push(out, || {
                            plan.unknown_answer(self, row, column, id, question, text)
                        });
                    }
                }
            }
        });
        summary(
            out,
            &unknown,
            &path,
            |n| {
                tr!(
                    "{n} more responses name agencies not in the agencies file",
                    "còn {n} phiếu trả lời khác ghi đơn vị không có trong tệp danh sách đơn vị"
                )
            },
            false,
        );
        summary(
            out,
            &nameless,
            &path,
            |n| {
                tr!(
                    "{n} more responses name no agency",
                    "còn {n} phiếu trả lời khác không ghi đơn vị"
                )
            },
            true,
        );
        summary(
            out,
            &misshapen,
            &path,
            |n| {
                tr!(
                    "{n} more problems in the shape of rows",
                    "còn {n} lỗi khác về cấu trúc của các dòng"
                )
            },
            true,
        );
        summary(
            out,
            &strange,
            &path,
            |n| {
                tr!(
                    "{n} more answers are not among the answers the set knows",
                    "còn {n} câu trả lời khác không thuộc các câu trả lời mà bộ tiêu chí quy định"
                )
            },
            true,
        );
        (tallies, rows)
    }

    /// Reports what the tallies say of the whole table, and lays each agency's value of
    /// each leaf.
    pub(super) fn finish(
        &self,
        plans: Vec<Plan<'_>>,
        tallies: &[Tally],
        rows: u64,
        done: &mut Computed,
        out: &mut Vec<Diagnostic>,
    ) {
        let path = self.path().to_string();
        let (n, k) = (self.agencies.len(), plans.len());
        // No response at all (a header alone, or rows of other agencies only) leaves every
        // agency unsurveyed: the wrong file, not a survey that reached no one.
        let counted = tallies.iter().any(|t| t.respondents > 0);
        let table = &self.input.name;
        if !counted && plans.iter().all(|p| p.filter.is_empty()) {
            out.push(
                Diagnostic::error(
                    "no-responses",
                    tr!(
                        "{path} (table \"{table}\") holds no response from an agency of the round",
                        "{path} (bảng \"{table}\") không có phiếu trả lời nào của đơn vị thuộc vòng đánh giá"
                    ),
                )
                .at(self.header_span(), responses())
                .help(tr!(
                    "check that the file is the survey's export, and its agency ids those of the agencies file",
                    "hãy kiểm tra xem tệp có đúng là tệp xuất của cuộc khảo sát không, và mã đơn vị trong tệp có khớp với tệp danh sách đơn vị không"
                )),
            );
        }
        let of = |p: usize| tallies.iter().skip(p).step_by(k.max(1));
        for (p, plan) in plans.iter().enumerate() {
            // A `where` no response meets leaves every agency unsurveyed: a mistake in
            // the set or the export, not a survey that did not reach anyone.
            if unmatched(&plans, tallies, rows, p) {
                let found = plan.filter_values(self.table);
                let code = &plan.target.node.code;
                let filter = plan
                    .survey
                    .filter
                    .iter()
                    .map(|(c, v, _)| format!("{c} = \"{v}\""))
                    .collect::<Vec<_>>()
                    .join(", ");
                let held = list(&found.iter().map(String::as_str).collect::<Vec<_>>());
                let (held_en, held_vi) = (&held.en, &held.vi);
                out.push(
                    Diagnostic::error(
                        "unmatched-where",
                        tr!(
                            "node \"{code}\": no response of an agency of the round in {path} meets its where = {{ {filter} }}; the column holds {held_en}",
                            "mục \"{code}\": trong {path} không có phiếu trả lời nào của đơn vị thuộc vòng đánh giá thỏa điều kiện where = {{ {filter} }}; cột này chứa {held_vi}"
                        ),
                    )
                    .at(self.header_span(), responses())
                    .help(tr!(
                        "write the text the export holds in the set's where, or correct the export",
                        "hãy ghi vào where của bộ tiêu chí đúng nội dung có trong tệp xuất, hoặc sửa tệp xuất"
                    )),
                );
            }
        }
        for (p, plan) in plans.into_iter().enumerate() {
            let mut thin: Vec<String> = Vec::new();
            for (a, tally) in of(p).enumerate() {
                let value = if tally.answers == 0 || tally.answers < plan.survey.min_answers {
                    thin.push(format!("{} ({})", self.agencies[a].id, tally.answers));
                    Value::NotSurveyed
                } else {
                    Value::Fraction(tally.weight, Decimal::from(tally.answers))
                };
                let raw = match value {
                    Value::NotSurveyed => format!("{} answers", tally.answers),
                    _ => format!("{}/{}", tally.weight.normalize(), tally.answers),
                };
                let derivation = self.texts.of(a).then(|| Derivation {
                    table: self.input.name.clone(),
                    file: path.clone(),
                    sheet: self.table.sheet.as_ref().map(|s| s.name.clone()),
                    how: Derived::Survey {
                        weight: tally.weight,
                        answers: tally.answers,
                        blank: tally.blank,
                        needed: plan.survey.min_answers.max(1),
                        respondents: tally.respondents,
                        full: plan
                            .survey
                            .answers
                            .iter()
                            .filter(|(_, w)| *w == Decimal::ONE)
                            .map(|(l, _)| l.clone())
                            .collect(),
                    },
                });
                let line = tally.first.unwrap_or(self.table.header.line);
                done.layer.cells.push(Self::cell(a, plan.target.id, value, line, raw, derivation));
            }
            if !thin.is_empty() {
                let shown: Vec<&str> = thin.iter().map(String::as_str).collect();
                let (code, few, needed) =
                    (&plan.target.node.code, thin.len(), plan.survey.min_answers.max(1));
                let listed = list(&shown);
                let (listed_en, listed_vi) = (&listed.en, &listed.vi);
                out.push(
                    Diagnostic::warning(
                        "not-surveyed",
                        tr!(
                            "node \"{code}\": {few} of {n} agencies have fewer than {needed} answers in table \"{table}\" and are not surveyed on it, left out of points and max: {listed_en}",
                            "mục \"{code}\": {few} trên {n} đơn vị có ít hơn {needed} câu trả lời trong bảng \"{table}\" nên được coi là không khảo sát ở tiêu chí này, không tính vào điểm và điểm tối đa: {listed_vi}"
                        ),
                    )
                    .at(self.header_span(), responses())
                    .help(tr!(
                        "the figure in brackets is the number of answers given",
                        "số trong ngoặc là số câu trả lời đã nhận được"
                    )),
                );
            }
        }
    }
}

/// The label on a survey table's header, for a problem of all its responses.
fn responses() -> Text {
    tr!("the responses", "các phiếu trả lời")
}

/// Whether leaf `p`'s `where` admits no response of an agency of the round, though rows
/// were read: a mistake in the set or the export, which is reported with the texts its
/// columns hold.
pub(super) fn unmatched(plans: &[Plan<'_>], tallies: &[Tally], rows: u64, p: usize) -> bool {
    let k = plans.len().max(1);
    rows > 0
        && !plans[p].filter.is_empty()
        && tallies.iter().skip(p).step_by(k).all(|t| t.respondents == 0)
}

/// What each survey leaf reads of each response.
pub(super) fn plans<'t>(leaves: &[(&'t Target<'t>, HashMap<String, usize>)]) -> Vec<Plan<'t>> {
    leaves
        .iter()
        .filter_map(|(t, columns)| {
            let How::Survey(s) = &t.compute.how else { return None };
            Some(Plan::new(t, s, columns))
        })
        .collect()
}

/// What one survey leaf reads of each response.
pub(super) struct Plan<'t> {
    pub(super) target: &'t Target<'t>,
    pub(super) survey: &'t Survey,
    pub(super) questions: Vec<usize>,
    /// Columns, the text each must hold as the set writes it, and folded: most exports
    /// write it as the set does, and a row is then admitted without folding its cell.
    pub(super) filter: Vec<(usize, &'t str, String)>,
    /// Folded label → its place in the set's answers (the last, of labels that fold
    /// alike).
    labels: FxHashMap<String, usize>,
    /// Cell texts seen before → weight, or `None` for one that is no answer: most
    /// cells of a large survey are one of a handful of texts.
    seen: FxHashMap<String, Option<Decimal>>,
}

/// What one agency's responses give one leaf.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Tally {
    /// The answers' weights, summed.
    pub(super) weight: Decimal,
    pub(super) answers: u64,
    pub(super) blank: u64,
    pub(super) respondents: u64,
    /// The line of the agency's first response.
    pub(super) first: Option<usize>,
}

impl<'t> Plan<'t> {
    fn new(target: &'t Target<'t>, survey: &'t Survey, columns: &HashMap<String, usize>) -> Self {
        Plan {
            target,
            survey,
            questions: survey.questions.iter().map(|(q, _)| columns[q.as_str()]).collect(),
            filter: survey
                .filter
                .iter()
                .map(|(c, text, _)| (columns[c.as_str()], text.as_str(), fold(text)))
                .collect(),
            labels: survey.answers.iter().enumerate().map(|(i, (l, _))| (fold(l), i)).collect(),
            seen: FxHashMap::default(),
        }
    }

    /// The place in the set's answers of a folded answer text.
    pub(super) fn label(&self, folded: &str) -> Option<usize> {
        self.labels.get(folded).copied()
    }

    fn admits(&self, row: &Row) -> bool {
        self.filter.iter().all(|(c, written, folded)| {
            let text = row.get(*c);
            text == *written || fold(text) == *folded
        })
    }

    fn weight(&mut self, text: &str) -> Option<Decimal> {
        if let Some(w) = self.seen.get(text) {
            return *w;
        }
        let w = self.label(&fold(text)).map(|i| self.survey.answers[i].1);
        // Answers are a handful of short texts; anything else is not kept.
        if self.seen.len() < 1_000 && text.len() <= 64 {
            self.seen.insert(text.to_string(), w);
        }
        w
    }

    /// The error for an answer the set does not know, with the nearest one it does.
    fn unknown_answer(
        &self,
        reader: &TableReader<'_>,
        row: &Row,
        column: usize,
        id: &str,
        question: &str,
        text: &str,
    ) -> Diagnostic {
        let labels: Vec<&str> = self.survey.answers.iter().map(|(l, _)| l.as_str()).collect();
        let folded: Vec<String> = labels.iter().map(|l| fold(l)).collect();
        let near =
            did_you_mean(&fold(text), &folded.iter().map(String::as_str).collect::<Vec<_>>())
                .and_then(|n| folded.iter().position(|f| f == n))
                .map(|i| labels[i]);
        let at = reader.at(row, Some(column));
        let (at_en, at_vi) = (&at.en, &at.vi);
        let (id, question, text) = (quote(id), quote(question), quote(text));
        let code = &self.target.node.code;
        let mut d = Diagnostic::error(
            "unknown-answer",
            tr!(
                "{at_en}: agency {id}, question {question}: {text} is not an answer node \"{code}\" knows",
                "{at_vi}: đơn vị {id}, câu hỏi {question}: {text} không phải là câu trả lời mà mục \"{code}\" quy định"
            ),
        )
        .at(reader.table.span(row, column), tr!("not one of the answers", "không thuộc các câu trả lời"));
        let answers = list(&labels);
        let (en, vi) = (&answers.en, &answers.vi);
        d.help = Some(match near {
            Some(near) => tr!(
                "did you mean \"{near}\"? The answers are {en}",
                "có phải là \"{near}\"? Các câu trả lời là {vi}"
            ),
            None => tr!(
                "the answers are {en}; a blank cell is left out",
                "các câu trả lời là {vi}; ô để trống thì không được tính"
            ),
        });
        d
    }

    /// A few of the texts the `where` columns hold, for the message that none matched.
    fn filter_values(&self, table: &Table) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        table.each_row(|row| {
            for (c, _, _) in &self.filter {
                let text = row.get(*c);
                if found.len() < 5 && !found.iter().any(|f| f == text) {
                    found.push(text.to_string());
                }
            }
        });
        found
    }
}
