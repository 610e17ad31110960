//! Reading a leaf's `compute` (spec §6): the table it takes its value from, and either an
//! expression over the agency's row or the survey questions and the weight of each answer.
//! Whether the table and its columns exist is known only with a round: see
//! `read::compute`.

use std::ops::Range;

use rust_decimal::Decimal;
use toml::de::DeValue;

use super::raw::named;
use crate::diagnostic::Diagnostic;
use crate::model::compute::{Compute, How, Survey, Zero};
use crate::model::criteria::Source;
use crate::model::rule::{Rule, RuleKind};
use crate::read::fields::{Fields, wrong_type};
use crate::text::fold;

/// Keys of a `compute` table.
pub(super) const COMPUTE_KEYS: &[&str] =
    &["table", "value", "zero", "rate_decimals", "questions", "answers", "where", "min_answers"];

/// Keys that go with `value` only, and with `questions` only.
const VALUE_ONLY: &[&str] = &["zero", "rate_decimals"];
const SURVEY_ONLY: &[&str] = &["answers", "where", "min_answers"];

/// The most places a rate may be rounded to before its rule applies.
const MAX_RATE_DECIMALS: i64 = 12;

/// Reads the leaf's `compute`, if it has one: `Ok(None)` without one, `Err(())` when it is
/// wrong (the problems are in `out`).
pub(super) fn read(
    f: &Fields<'_, '_>,
    text: &str,
    source: Source,
    rule: Option<&Rule>,
    out: &mut Vec<Diagnostic>,
) -> Result<Option<Compute>, ()> {
    let Some(value) = f.get("compute") else { return Ok(None) };
    let DeValue::Table(table) = value.get_ref() else {
        out.push(f.wrong_type(
            "compute",
            value,
            "a table such as { table = \"mot-cua\", value = \"dung_han / tiep_nhan\" }",
        ));
        return Err(());
    };
    let before = out.len();
    let c = Fields { table, header: value.span(), what: format!("`compute` of {}", f.what) };
    c.unknown_keys(COMPUTE_KEYS, |_| None, out);
    if source == Source::Survey {
        out.push(
            Diagnostic::error(
                "compute-on-survey",
                format!("{} comes from the survey file, so it cannot also be computed from a table", f.what),
            )
            .at(f.key_span("compute"), "`compute` on a survey leaf")
            .with_context(f.value_span("source"), "the survey gives its value")
            .help("remove `source = \"survey\"` to compute the value from survey responses, or remove `compute`"),
        );
    }
    let table_name = c.require(
        "table",
        c.text("table", out),
        "add the table's name as the round file's [tables.NAME] writes it, e.g. table = \"mot-cua\"",
        out,
    );
    // A name no round file could give ([tables.một cửa] is refused there).
    let table_name = table_name.filter(|t| {
        let plain = crate::read::round_file::plain_table_name(&t.value);
        if !plain {
            out.push(
                Diagnostic::error(
                    "bad-id",
                    format!(
                        "the table name {} may hold only letters a-z, digits, '-' and '_'",
                        crate::text::quote(&t.value)
                    ),
                )
                .at(t.span.clone(), "not a plain name")
                .help("name it as the round file's [tables.NAME] does, e.g. \"mot-cua\""),
            );
        }
        plain
    });
    let how = match (c.has("value"), c.has("questions")) {
        (true, true) => {
            out.push(
                Diagnostic::error(
                    "compute-both",
                    format!("{} has both `value` and `questions`: a leaf is computed one way", c.what),
                )
                .at(c.key_span("questions"), "`questions` beside `value`")
                .with_context(c.key_span("value"), "`value` here")
                .help("keep `value` for an expression over one row per agency, or `questions` for survey responses"),
            );
            None
        }
        (false, false) => {
            out.push(c.missing(
                "value",
                "add value = \"dung_han / tiep_nhan\" (an expression over the agency's row), or questions = [\"C1\", …] with answers for survey responses",
            ));
            None
        }
        (true, false) => {
            wrong_side(&c, SURVEY_ONLY, "`questions`", out);
            read_value(&c, text, out)
        }
        (false, true) => {
            wrong_side(&c, VALUE_ONLY, "`value`", out);
            read_survey(&c, out).map(How::Survey)
        }
    };
    if let (Some(how), Some(rule)) = (&how, rule) {
        // A rate (a final division, survey answers) is read as a share or a percent;
        // points and counts are plain numbers.
        let fits: &[RuleKind] = match how {
            How::Value { expr, .. } if !expr.is_ratio() => {
                &[RuleKind::Ratio, RuleKind::Bands, RuleKind::Points, RuleKind::PerItem]
            }
            How::Value { .. } | How::Survey(_) => &[RuleKind::Ratio, RuleKind::Bands],
        };
        if !fits.contains(&rule.kind()) {
            let names: Vec<String> = fits.iter().map(|k| format!("\"{}\"", k.name())).collect();
            out.push(
                Diagnostic::error(
                    "compute-rule",
                    format!(
                        "{} is computed as {}, but its rule \"{}\" scores {}",
                        f.what,
                        if fits.len() == 2 { "a rate" } else { "a number" },
                        rule.kind().name(),
                        match rule.kind() {
                            RuleKind::Choice => "a choice",
                            RuleKind::YesNo => "a yes or no",
                            RuleKind::Points => "points",
                            _ => "a count",
                        }
                    ),
                )
                .at(f.value_span("rule"), "cannot score a computed number")
                .with_context(f.key_span("compute"), "computed here")
                .help(format!(
                    "it is scored by rule = {}{}",
                    names.join(" or "),
                    if fits.len() == 2
                        && matches!(rule.kind(), RuleKind::Points | RuleKind::PerItem)
                    {
                        "; for points or a count, do not end the expression with a division"
                    } else {
                        ""
                    }
                )),
            );
        }
    }
    if out.len() > before {
        return Err(());
    }
    match (table_name, how) {
        (Some(t), Some(how)) => Ok(Some(Compute { table: t.value, table_span: t.span, how })),
        _ => Err(()),
    }
}

/// Reports keys of the other way of computing.
fn wrong_side(c: &Fields<'_, '_>, keys: &[&str], other: &str, out: &mut Vec<Diagnostic>) {
    for key in keys.iter().filter(|k| c.has(k)) {
        out.push(
            Diagnostic::error(
                "compute-key",
                format!("`{key}` of {} goes with {other}, which it does not have", c.what),
            )
            .at(c.key_span(key), format!("only with {other}"))
            .help("remove it"),
        );
    }
}

fn read_value(c: &Fields<'_, '_>, text: &str, out: &mut Vec<Diagnostic>) -> Option<How> {
    let value = c.text("value", out)?;
    let span = value.span.clone();
    // Offsets in the expression map to the file where the string is written as it reads.
    let raw = &text[span.clone()];
    let at = raw
        .strip_prefix(['"', '\''])
        .and_then(|r| r.strip_suffix(['"', '\'']))
        .filter(|inner| *inner == value.value)
        .map(|_| span.start + 1);
    let place = |r: Range<usize>| at.map_or_else(|| span.clone(), |a| a + r.start..a + r.end);
    let expr = match crate::read::expr::parse(&value.value) {
        Ok(e) => Some(e),
        Err(e) => {
            let mut d = Diagnostic::error(
                "bad-expression",
                format!("`value` of {}: {}", c.what, e.message),
            )
            .at(place(e.span), e.label);
            d.help = Some(crate::lang::Text::from(e.help.unwrap_or_else(|| {
                "an expression holds column names, numbers, + - * /, parentheses, min(…) and max(…)".into()
            })));
            out.push(d);
            None
        }
    };
    let zero = named(c, "zero", &Zero::NAMES, "rule for a zero denominator", out)
        .and_then(|z| Zero::from_name(&z));
    let rate_decimals = match c.integer("rate_decimals", out) {
        Some(d) if (0..=MAX_RATE_DECIMALS).contains(&d.value) => u32::try_from(d.value).ok(),
        Some(d) => {
            out.push(
                Diagnostic::error(
                    "out-of-range",
                    format!(
                        "rate_decimals must be between 0 and {MAX_RATE_DECIMALS}, not {}",
                        d.value
                    ),
                )
                .at(d.span, "out of range")
                .help("the places of the rate as a fraction: 4 rounds 0.93245 to 0.9325"),
            );
            None
        }
        None => None,
    };
    if let Some(e) = &expr
        && divides_by_zero(e)
    {
        out.push(
            Diagnostic::error(
                "bad-expression",
                format!("`value` of {}: the expression divides by 0, whatever the counts", c.what),
            )
            .at(span.clone(), "a division by 0")
            .help("divide by the column that holds the total (done / total)"),
        );
    }
    if let Some(e) = &expr {
        let ratio = e.is_ratio();
        for key in ["zero", "rate_decimals"].into_iter().filter(|k| c.has(k) && !ratio) {
            out.push(
                Diagnostic::error(
                    "compute-key",
                    format!(
                        "`{key}` of {} applies to a rate, but the expression does not end in a division",
                        c.what
                    ),
                )
                .at(c.key_span(key), "no rate to apply it to")
                .with_context(span.clone(), "not a division")
                .help("write the rate as a division (done / total), or remove the key"),
            );
        }
    }
    Some(How::Value { expr: expr?, at, span, zero, rate_decimals })
}

/// Whether an expression divides by a number written as 0 (`a / 0`, `a / (0)`).
fn divides_by_zero(e: &crate::model::expr::Expr) -> bool {
    use crate::model::expr::{Expr, Op};
    let zero = |e: &Expr| {
        let mut e = e;
        while let Expr::Group(inner) = e {
            e = inner;
        }
        matches!(e, Expr::Number(n) if n.is_zero())
    };
    match e {
        Expr::Binary { op, left, right } => {
            (*op == Op::Div && zero(right)) || divides_by_zero(left) || divides_by_zero(right)
        }
        Expr::Neg(inner) | Expr::Group(inner) => divides_by_zero(inner),
        Expr::Call { args, .. } => args.iter().any(divides_by_zero),
        Expr::Number(_) | Expr::Column { .. } => false,
    }
}

fn read_survey(c: &Fields<'_, '_>, out: &mut Vec<Diagnostic>) -> Option<Survey> {
    let before = out.len();
    let mut questions: Vec<(String, Range<usize>)> = Vec::new();
    if let Some(items) =
        c.list("questions", "a list of column names", "questions = [\"C1\", \"C2\"]", out)
    {
        for item in items {
            match item.get_ref() {
                DeValue::String(s) if !s.trim().is_empty() => {
                    let name = crate::text::nfc(s.trim());
                    // Columns are found by their ASCII key: "C1" and "c1" are one.
                    let key = crate::text::ascii_key(&name);
                    if let Some((_, first)) =
                        questions.iter().find(|(q, _)| crate::text::ascii_key(q) == key)
                    {
                        out.push(
                            Diagnostic::error(
                                "duplicate-question",
                                format!("{} names question \"{name}\" twice", c.what),
                            )
                            .at(item.span(), "named again here")
                            .with_context(Range::clone(first), "first named here"),
                        );
                    } else {
                        questions.push((name, item.span()));
                    }
                }
                _ => out.push(wrong_type(
                    "an item of `questions`",
                    item,
                    "a column name in quotes",
                    "questions",
                )),
            }
        }
    }
    let mut answers: Vec<(String, Decimal)> = Vec::new();
    match c.get("answers").map(|v| (v, v.get_ref())) {
        None => out.push(
            Diagnostic::error(
                "questions-without-answers",
                format!("{} lists survey questions but not what each answer is worth", c.what),
            )
            .at(c.key_span("questions"), "`questions` without `answers`")
            .help("add answers = { \"Rất hài lòng\" = 1, \"Hài lòng\" = 1, \"Bình thường\" = 0, \"Không hài lòng\" = 0, \"Rất không hài lòng\" = 0 }"),
        ),
        Some((_, DeValue::Table(t))) => {
            let mut seen: Vec<(String, Range<usize>)> = Vec::new();
            // In the order written (TOML tables come sorted).
            let mut entries: Vec<_> = t.iter().collect();
            entries.sort_by_key(|(label, _)| label.span().start);
            for (label, weight) in entries {
                let name = crate::text::nfc(label.get_ref().trim());
                let key = fold(&name);
                if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                    out.push(
                        Diagnostic::error(
                            "duplicate-answer",
                            format!("{} lists the answer \"{name}\" twice", c.what),
                        )
                        .at(label.span(), "listed again here")
                        .with_context(first.clone(), "first listed here")
                        .help("answers are matched with case and spacing forgiven, so these are one answer"),
                    );
                    continue;
                }
                seen.push((key, label.span()));
                match crate::read::fields::number_at(weight) {
                    Ok(w) if w.value >= Decimal::ZERO && w.value <= Decimal::ONE => {
                        answers.push((name, w.value));
                    }
                    Ok(w) => out.push(
                        Diagnostic::error(
                            "out-of-range",
                            format!(
                                "the answer \"{name}\" of {} is worth {}, but an answer's weight lies between 0 and 1",
                                c.what, w.value
                            ),
                        )
                        .at(w.span, "outside 0..1")
                        .help("1 counts the answer in full, 0.6 for 60%, 0 not at all"),
                    ),
                    Err(crate::read::fields::NumberProblem::Bad(e)) => out.push(
                        crate::read::fields::number_diagnostic(
                            &e,
                            &format!("the weight of \"{name}\""),
                            weight,
                        ),
                    ),
                    Err(crate::read::fields::NumberProblem::NotANumber) => out.push(wrong_type(
                        &format!("the weight of \"{name}\""),
                        weight,
                        "a number from 0 to 1",
                        "answers",
                    )),
                }
            }
            if seen.is_empty() {
                out.push(
                    Diagnostic::error("empty-list", format!("`answers` of {} is empty", c.what))
                        .at(c.value_span("answers"), "no answer listed"),
                );
            }
        }
        Some((v, _)) => out.push(c.wrong_type(
            "answers",
            v,
            "a table of answers and their weights, { \"Hài lòng\" = 1, … }",
        )),
    }
    let mut filter = Vec::new();
    match c.get("where").map(|v| (v, v.get_ref())) {
        None => {}
        Some((_, DeValue::Table(t))) => {
            let mut entries: Vec<_> = t.iter().collect();
            entries.sort_by_key(|(column, _)| column.span().start);
            for (column, wanted) in entries {
                match wanted.get_ref() {
                    DeValue::String(s) => filter.push((
                        crate::text::nfc(column.get_ref().trim()),
                        crate::text::nfc(s.trim()),
                        column.span(),
                    )),
                    _ => out.push(wrong_type(
                        &format!("`where` {}", column.get_ref()),
                        wanted,
                        "text in quotes",
                        "where",
                    )),
                }
            }
        }
        Some((v, _)) => out.push(c.wrong_type(
            "where",
            v,
            "a table of columns and the text each must hold, { phieu = \"SIPAS\" }",
        )),
    }
    let min_answers = match c.integer("min_answers", out) {
        Some(m) if m.value >= 1 => u64::try_from(m.value).unwrap_or(1),
        Some(m) => {
            // With no answer there is no rate: at least one is needed whatever is written.
            out.push(
                Diagnostic::error(
                    "out-of-range",
                    format!("min_answers of {} must be 1 or more, not {}", c.what, m.value),
                )
                .at(m.span, "below 1")
                .help("the fewest answers an agency needs to be surveyed on the leaf, e.g. min_answers = 30"),
            );
            1
        }
        None => 1,
    };
    (out.len() == before).then_some(Survey { questions, answers, filter, min_answers })
}
