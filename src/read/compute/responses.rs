//! Survey responses: one row per respondent, each survey leaf's answers summed per agency
//! over the respondents its `where` admits.

use std::collections::HashMap;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::{Capped, Computed, TableReader, Target, list, summary};
use crate::diagnostic::Diagnostic;
use crate::model::compute::{How, Survey};
use crate::model::layer::{Derivation, Derived};
use crate::model::value::Value;
use crate::read::table::{Row, Table};
use crate::text::{Quoted, did_you_mean, fold};

impl TableReader<'_> {
    /// One row per respondent: each leaf's answers summed per agency.
    pub(super) fn responses(
        &self,
        leaves: &[(&Target<'_>, HashMap<String, usize>)],
        agency: usize,
        done: &mut Computed,
        out: &mut Vec<Diagnostic>,
    ) {
        let path = self.path().to_string();
        let n = self.agencies.len();
        let mut plans: Vec<Plan<'_>> = leaves
            .iter()
            .filter_map(|(t, columns)| {
                let How::Survey(s) = &t.compute.how else { return None };
                Some(Plan::new(t, s, columns, n))
            })
            .collect();
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
                    Diagnostic::error(
                        "missing-agency",
                        format!("{}: the response names no agency", self.at(row, Some(agency))),
                    )
                    .at(self.table.span(row, agency), "no agency id")
                });
                return;
            }
            let Some(&a) = self.ids.get(id) else {
                unknown.push(out, || self.unknown_agency(row, agency, id, "response"));
                return;
            };
            for plan in &mut plans {
                if !plan.admits(row) {
                    continue;
                }
                let tally = &mut plan.tallies[a];
                tally.respondents += 1;
                tally.first.get_or_insert(row.line);
                for q in 0..plan.questions.len() {
                    let column = plan.questions[q];
                    let text = row.get(column);
                    if text.is_empty() {
                        plan.tallies[a].blank += 1;
                        continue;
                    }
                    if let Some(w) = plan.weight(text) {
                        let tally = &mut plan.tallies[a];
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
            "more responses name agencies not in the agencies file",
            false,
        );
        summary(out, &nameless, &path, "more responses name no agency", true);
        summary(out, &misshapen, &path, "more problems in the shape of rows", true);
        summary(out, &strange, &path, "more answers are not among the answers the set knows", true);
        // No response at all (a header alone, or rows of other agencies only) leaves every
        // agency unsurveyed: the wrong file, not a survey that reached no one.
        let counted = plans.iter().any(|p| p.tallies.iter().any(|t| t.respondents > 0));
        if !counted && plans.iter().all(|p| p.filter.is_empty()) {
            out.push(
                Diagnostic::error(
                    "no-responses",
                    format!(
                        "{path} (table \"{}\") holds no response from an agency of the round",
                        self.input.name
                    ),
                )
                .at(self.header_span(), "the responses")
                .help("check that the file is the survey's export, and its agency ids those of the agencies file"),
            );
        }
        for plan in &plans {
            // A `where` no response meets leaves every agency unsurveyed: a mistake in
            // the set or the export, not a survey that did not reach anyone.
            if rows > 0
                && !plan.filter.is_empty()
                && plan.tallies.iter().all(|t| t.respondents == 0)
            {
                let found = plan.filter_values(self.table);
                out.push(
                    Diagnostic::error(
                        "unmatched-where",
                        format!(
                            "node \"{}\": no response of an agency of the round in {path} meets its where = {{ {} }}; the column holds {}",
                            plan.target.node.code,
                            plan.survey
                                .filter
                                .iter()
                                .map(|(c, v, _)| format!("{c} = \"{v}\""))
                                .collect::<Vec<_>>()
                                .join(", "),
                            list(&found.iter().map(String::as_str).collect::<Vec<_>>())
                        ),
                    )
                    .at(self.header_span(), "the responses")
                    .help("write the text the export holds in the set's where, or correct the export"),
                );
            }
        }
        for plan in plans {
            let mut thin: Vec<String> = Vec::new();
            for (a, tally) in plan.tallies.iter().enumerate() {
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
                let derivation = self.texts.then(|| Derivation {
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
                out.push(
                    Diagnostic::warning(
                        "not-surveyed",
                        format!(
                            "node \"{}\": {} of {} agencies have fewer than {} answers in table \"{}\" and are not surveyed on it, left out of points and max: {}",
                            plan.target.node.code,
                            thin.len(),
                            n,
                            plan.survey.min_answers.max(1),
                            self.input.name,
                            list(&shown)
                        ),
                    )
                    .at(self.header_span(), "the responses")
                    .help("the figure in brackets is the number of answers given"),
                );
            }
        }
    }
}

/// What one survey leaf reads of each response, and what it has summed so far.
struct Plan<'t> {
    target: &'t Target<'t>,
    survey: &'t Survey,
    questions: Vec<usize>,
    /// Columns, the text each must hold as the set writes it, and folded: most exports
    /// write it as the set does, and a row is then admitted without folding its cell.
    filter: Vec<(usize, &'t str, String)>,
    /// Folded label → weight.
    answers: FxHashMap<String, Decimal>,
    /// Cell texts seen before → weight, or `None` for one that is no answer: most
    /// cells of a large survey are one of a handful of texts.
    seen: FxHashMap<String, Option<Decimal>>,
    /// Per agency.
    tallies: Vec<Tally>,
}

#[derive(Debug, Clone, Default)]
struct Tally {
    weight: Decimal,
    answers: u64,
    blank: u64,
    respondents: u64,
    /// The line of the agency's first response.
    first: Option<usize>,
}

impl<'t> Plan<'t> {
    fn new(
        target: &'t Target<'t>,
        survey: &'t Survey,
        columns: &HashMap<String, usize>,
        agencies: usize,
    ) -> Self {
        Plan {
            target,
            survey,
            questions: survey.questions.iter().map(|(q, _)| columns[q.as_str()]).collect(),
            filter: survey
                .filter
                .iter()
                .map(|(c, text, _)| (columns[c.as_str()], text.as_str(), fold(text)))
                .collect(),
            answers: survey.answers.iter().map(|(l, w)| (fold(l), *w)).collect(),
            seen: FxHashMap::default(),
            tallies: vec![Tally::default(); agencies],
        }
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
        let w = self.answers.get(&fold(text)).copied();
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
        let mut d = Diagnostic::error(
            "unknown-answer",
            format!(
                "{}: agency {}, question {}: {} is not an answer node \"{}\" knows",
                reader.at(row, Some(column)),
                Quoted(id),
                Quoted(question),
                Quoted(text),
                self.target.node.code
            ),
        )
        .at(reader.table.span(row, column), "not one of the answers");
        d.help = Some(crate::lang::Text::from(match near {
            Some(near) => format!("did you mean \"{near}\"? The answers are {}", list(&labels)),
            None => format!("the answers are {}; a blank cell is left out", list(&labels)),
        }));
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
