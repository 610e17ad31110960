//! Reading a leaf's rule and its parameters, and checking them the way a reviewer of the
//! rubric would: bands in order and covering every value, choices that can be told apart,
//! no answer worth more than the leaf.

use std::ops::Range;

use rust_decimal::Decimal;
use toml::Spanned;
use toml::de::DeValue;

use super::raw::{Head, RawNode, named};
use crate::diagnostic::Diagnostic;
use crate::model::criteria::{Leaf, NaPolicy, Source};
use crate::model::rule::{Band, Choice, Rule, RuleKind};
use crate::read::fields::{At, Fields, NumberProblem, number_at, number_diagnostic, wrong_type};
use crate::read::number::is_multiple;
use crate::text::{did_you_mean, fold, is_na_word};

/// Keys that only a leaf may carry.
pub(super) const LEAF_KEYS: &[&str] = &["na", "source", "evidence", "compute"];

pub(super) const CHOICE_KEYS: &[&str] = &["value", "label", "points"];

/// Reads a leaf's rule, NA setting, source and evidence. Returns `None` when any of them
/// is wrong (the problems are in `out`).
pub(super) fn read_leaf(
    raw: &RawNode<'_, '_>,
    head: &Head,
    out: &mut Vec<Diagnostic>,
) -> Option<Leaf> {
    let f = &raw.fields;
    let before = out.len();
    if raw.max.is_none() && !f.mentions("max") {
        out.push(f.missing("max", "a sub-criterion needs the points it is worth, e.g. max = 1"));
    }
    if f.has("cap") {
        out.push(
            Diagnostic::error(
                "cap-on-leaf",
                format!("{} has no children, so `cap` has nothing to cap", f.what),
            )
            .at(f.key_span("cap"), "`cap` on a sub-criterion that is scored")
            .help(
                "put `cap = true` on the parent whose children's max add up to more than its own",
            ),
        );
    }
    let max = raw.max.as_ref().map(|m| m.value);
    let rule = read_rule(f, max, out);
    let na = match f.get("na") {
        None => None,
        Some(v) => match v.get_ref() {
            DeValue::Boolean(true) => Some(head.na_policy),
            DeValue::Boolean(false) => None,
            DeValue::String(_) => named(f, "na", &NaPolicy::NAMES, "NA policy", out)
                .and_then(|n| NaPolicy::from_name(&n)),
            _ => {
                out.push(f.wrong_type("na", v, "true, false, \"exclude\" or \"full\""));
                None
            }
        },
    };
    let source = match named(f, "source", &["survey"], "source", out) {
        Some(_) => Source::Survey,
        None => Source::Assessment,
    };
    let evidence = f.boolean("evidence", out);
    if let (Source::Survey, Some(At { value: true, span })) = (source, &evidence) {
        out.push(
            Diagnostic::error(
                "evidence-on-survey",
                format!("{} comes from the survey, so it cannot require evidence", f.what),
            )
            .at(span.clone(), "survey values have no evidence")
            .help("remove `evidence`, or remove `source = \"survey\"` if the agency scores it"),
        );
    }
    let evidence = match (source, evidence) {
        (Source::Survey, _) => false,
        (_, Some(e)) => e.value,
        (_, None) => head.evidence_required,
    };
    let compute = super::compute::read(f, raw.text, source, rule.as_ref(), out);
    if head.round_leaves {
        finer_than_shown(raw, head.decimals, rule.as_ref(), out);
    }
    if out[before..].iter().any(|d| d.severity == crate::diagnostic::Severity::Error) {
        return None;
    }
    Some(Leaf { rule: rule?, na, source, evidence, compute: compute.ok()?.map(Box::new) })
}

/// Under `round_leaves`, a leaf's points are rounded to the set's places: a max or an
/// answer's points finer than that would round above what the leaf can give (0.125 at 2
/// places is 0.13).
fn finer_than_shown(
    raw: &RawNode<'_, '_>,
    decimals: u32,
    rule: Option<&Rule>,
    out: &mut Vec<Diagnostic>,
) {
    let f = &raw.fields;
    let fine = |d: Decimal| d.normalize().scale() > decimals;
    let mut finest: Option<(Decimal, Range<usize>)> =
        raw.max.as_ref().filter(|m| fine(m.value)).map(|m| (m.value, m.span.clone()));
    if finest.is_none() {
        let points: Vec<Decimal> = match rule {
            Some(Rule::Choice { choices }) => choices.iter().map(|c| c.points).collect(),
            Some(Rule::Bands { bands, .. }) => bands.iter().map(|b| b.points).collect(),
            _ => Vec::new(),
        };
        let key = if matches!(rule, Some(Rule::Choice { .. })) { "choices" } else { "bands" };
        finest = points.into_iter().find(|p| fine(*p)).map(|p| (p, f.value_span(key)));
    }
    if let Some((value, span)) = finest {
        out.push(
            Diagnostic::error(
                "finer-than-rounded",
                format!(
                    "{} gives {} points, finer than the set's {decimals} decimal places, but round_leaves rounds each leaf's points to them",
                    f.what,
                    value.normalize()
                ),
            )
            .at(span, format!("more than {decimals} decimal places"))
            .help("give the points to the set's decimals, raise `decimals`, or remove round_leaves"),
        );
    }
}

/// Reports rule and leaf keys on a node that has children.
pub(super) fn no_leaf_keys(raw: &RawNode<'_, '_>, out: &mut Vec<Diagnostic>) {
    let f = &raw.fields;
    for (key, _) in f.table {
        let name = key.get_ref().as_ref();
        let what = if name == "rule" || RuleKind::all_parameters().any(|(p, _)| p == name) {
            "is scored from its children, so it cannot have a rule"
        } else if LEAF_KEYS.contains(&name) {
            "has children, and `na`, `source`, `evidence` and `compute` belong on the sub-criteria that are scored"
        } else {
            continue;
        };
        out.push(
            Diagnostic::error("leaf-key-on-parent", format!("{} {what}", f.what))
                .at(key.span(), format!("`{name}` on a node with children"))
                .help("move it to the sub-criteria under this node, or remove it"),
        );
    }
}

fn read_rule(f: &Fields<'_, '_>, max: Option<Decimal>, out: &mut Vec<Diagnostic>) -> Option<Rule> {
    let names: Vec<&str> = RuleKind::ALL.iter().map(|k| k.name()).collect();
    let Some(name) = f.text("rule", out) else {
        if !f.mentions("rule") {
            let mut d = f.missing(
                "rule",
                format!("add how the sub-criterion is scored: rule = one of {}", quoted(&names)),
            );
            if let Some((param, kind)) = RuleKind::all_parameters().find(|(p, _)| f.has(p)) {
                d = d.help(format!("it has `{param}`: add rule = \"{}\"", kind.name()));
            }
            out.push(d);
        }
        return None;
    };
    let Some(kind) = RuleKind::from_name(&name.value) else {
        let mut d = Diagnostic::error(
            "unknown-rule",
            format!("{} has an unknown rule \"{}\"", f.what, name.value),
        )
        .at(name.span, format!("expected one of {}", quoted(&names)));
        d.help = Some(crate::lang::Text::from(match did_you_mean(&name.value, &names) {
            Some(near) => format!("did you mean \"{near}\"?"),
            None => format!("the rules are {}", quoted(&names)),
        }));
        out.push(d);
        return None;
    };
    for (param, owner) in RuleKind::all_parameters() {
        if owner != kind && f.has(param) && !kind.parameters().contains(&param) {
            out.push(
                Diagnostic::error(
                    "wrong-parameter",
                    format!(
                        "`{param}` belongs to rule \"{}\", but {} uses rule \"{}\"",
                        owner.name(),
                        f.what,
                        kind.name()
                    ),
                )
                .at(f.key_span(param), "not a parameter of this rule")
                .help(format!("remove `{param}`, or change the rule to \"{}\"", owner.name())),
            );
        }
    }
    match kind {
        RuleKind::Points => {
            let step = f.positive("step", out);
            if let (Some(step), Some(max)) = (&step, max)
                && !is_multiple(max, step.value)
            {
                out.push(
                    Diagnostic::error(
                        "max-off-step",
                        format!(
                            "the max of {}, {max}, is not a multiple of its step {}",
                            f.what, step.value
                        ),
                    )
                    .at(step.span.clone(), "the full max could never be given")
                    .help("choose a step that divides the max, e.g. 0.25 or 0.5"),
                );
            }
            Some(Rule::Points { step: step.map(|s| s.value) })
        }
        RuleKind::YesNo => Some(Rule::YesNo),
        RuleKind::Choice => read_choices(f, max, out).map(|choices| Rule::Choice { choices }),
        RuleKind::Bands => {
            let lower_is_better = f.boolean("lower_is_better", out).is_some_and(|b| b.value);
            read_bands(f, max, lower_is_better, out)
                .map(|bands| Rule::Bands { bands, lower_is_better })
        }
        RuleKind::Ratio => read_ratio(f, out),
        RuleKind::PerItem => {
            let per = f.require(
                "per",
                f.positive("per", out),
                "add the points taken off per item, e.g. per = 0.25",
                out,
            );
            Some(Rule::PerItem { per: per?.value })
        }
    }
}

fn read_choices(
    f: &Fields<'_, '_>,
    max: Option<Decimal>,
    out: &mut Vec<Diagnostic>,
) -> Option<Vec<Choice>> {
    let items = f.list(
        "choices",
        "a list of { value, label, points }",
        "the answers, e.g. choices = [{ value = \"co\", label = \"Có\", points = 1 }, { value = \"khong\", label = \"Không\", points = 0 }]",
        out,
    )?;
    let mut ok = true;
    let mut choices: Vec<Choice> = Vec::new();
    // Every spelling that names a choice, folded, and where it was written.
    let mut seen: Vec<(String, Range<usize>)> = Vec::new();
    for (n, item) in items.iter().enumerate() {
        let DeValue::Table(table) = item.get_ref() else {
            out.push(wrong_type(
                &format!("choice #{} of {}", n + 1, f.what),
                item,
                "a table { value, label, points }",
                "choices",
            ));
            ok = false;
            continue;
        };
        let c =
            Fields { table, header: item.span(), what: format!("choice #{} of {}", n + 1, f.what) };
        let before = out.len();
        c.unknown_keys(CHOICE_KEYS, |_| None, out);
        let value = c.require(
            "value",
            c.text("value", out),
            "add the short value typed in data files, e.g. value = \"dung-han\"",
            out,
        );
        let label = c.text("label", out);
        let points = c.require(
            "points",
            c.number("points", out),
            "add the points this answer gives, e.g. points = 0.5",
            out,
        );
        if let Some(p) = &points {
            check_points(p, max, &c.what, out);
        }
        for spelling in value.iter().chain(label.iter()) {
            let folded = fold(&spelling.value);
            if is_na_word(&folded) {
                out.push(
                    Diagnostic::error(
                        "reserved-value",
                        format!("\"{}\" cannot be a choice: in data files it means not applicable", spelling.value),
                    )
                    .at(spelling.span.clone(), "read as not applicable")
                    .help("use another value, and allow NA on the leaf with `na = true` if it can be not applicable"),
                );
            } else if let Some((_, first)) = seen.iter().find(|(s, _)| *s == folded) {
                out.push(
                    Diagnostic::error(
                        "duplicate-choice",
                        format!("two choices of {} read as \"{}\"", f.what, spelling.value),
                    )
                    .at(spelling.span.clone(), "same as an earlier choice")
                    .with_context(first.clone(), "first written here")
                    .help("values and labels are compared ignoring case, accents' encoding and spaces; make each one different"),
                );
            } else {
                seen.push((folded, spelling.span.clone()));
            }
        }
        if out[before..].iter().any(|d| d.severity == crate::diagnostic::Severity::Error) {
            ok = false;
            continue;
        }
        if let (Some(value), Some(points)) = (value, points) {
            choices.push(Choice {
                value: value.value,
                label: label.map(|l| l.value),
                points: points.value,
            });
        }
    }
    if !ok {
        return None;
    }
    if let Some(max) = max
        && !choices.iter().any(|c| c.points == max)
    {
        out.push(
            Diagnostic::warning(
                "no-full-choice",
                format!("no choice of {} gives its full {max} points", f.what),
            )
            .at(
                f.value_span("choices"),
                format!(
                    "the best gives {}",
                    choices.iter().map(|c| c.points).max().unwrap_or_default()
                ),
            )
            .help("check the points against the rubric, or lower the leaf's max"),
        );
    }
    Some(choices)
}

fn read_bands(
    f: &Fields<'_, '_>,
    max: Option<Decimal>,
    lower_is_better: bool,
    out: &mut Vec<Diagnostic>,
) -> Option<Vec<Band>> {
    let items = f.list(
        "bands",
        "a list of [limit, points] pairs",
        "the bands, best first, e.g. bands = [[100, 1], [90, 0.5], [0, 0]]",
        out,
    )?;
    let mut bands: Vec<(Band, Range<usize>)> = Vec::new();
    let mut ok = true;
    for (n, item) in items.iter().enumerate() {
        let what = format!("band #{} of {}", n + 1, f.what);
        let pair = match item.get_ref() {
            DeValue::Array(pair) => pair.iter().collect::<Vec<_>>(),
            _ => Vec::new(),
        };
        let [limit, points] = pair.as_slice() else {
            out.push(wrong_type(&what, item, "a pair [limit, points]", "bands").help(
                "write each band as [limit, points], e.g. [90, 0.5] for \"from 90 up: 0.5 points\"",
            ));
            ok = false;
            continue;
        };
        let limit = read_limit(limit, &what, lower_is_better, out);
        let points = match number_at(points) {
            Ok(p) => check_points(&p, max, &what, out).then_some(p),
            Err(NumberProblem::NotANumber) => {
                out.push(wrong_type(
                    &format!("the points of {what}"),
                    points,
                    "a number",
                    "points",
                ));
                None
            }
            Err(NumberProblem::Bad(e)) => {
                out.push(number_diagnostic(&e, &format!("the points of {what}"), points));
                None
            }
        };
        match (limit, points) {
            (Some((limit, strict)), Some(points)) => {
                bands.push((Band { limit, strict, points: points.value }, item.span()));
            }
            _ => ok = false,
        }
    }
    if !ok {
        return None;
    }
    let before = out.len();
    check_band_order(f, &bands, lower_is_better, out);
    if out.len() > before {
        return None;
    }
    if let Some(max) = max
        && !bands.iter().any(|(b, _)| b.points == max)
    {
        out.push(
            Diagnostic::warning(
                "no-full-band",
                format!("no band of {} gives its full {max} points", f.what),
            )
            .at(f.value_span("bands"), "the best value never earns the max")
            .help("check the points against the rubric, or lower the leaf's max"),
        );
    }
    for pair in bands.windows(2) {
        let ((better, _), (worse, span)) = (&pair[0], &pair[1]);
        if worse.points > better.points {
            out.push(
                Diagnostic::warning(
                    "bands-reversed",
                    format!("in {}, a worse value scores more ({}) than a better one ({})", f.what, worse.points, better.points),
                )
                .at(span.clone(), "more points for a worse value")
                .help("bands go from the best value to the worst; check the points against the rubric"),
            );
        }
    }
    Some(bands.into_iter().map(|(b, _)| b).collect())
}

/// A band's limit: a number (`90`), `inf` for "every other value" where lower is better,
/// or text with a comparison (`">90"`, `"<=2"`, `"≥ 90%"`).
fn read_limit(
    value: &Spanned<DeValue<'_>>,
    what: &str,
    lower_is_better: bool,
    out: &mut Vec<Diagnostic>,
) -> Option<(Option<Decimal>, bool)> {
    let span = value.span();
    let direction = |upward: bool| {
        Diagnostic::error(
            "band-direction",
            if lower_is_better {
                format!("the limit of {what} is a lower bound, but this leaf has lower_is_better = true")
            } else {
                format!("the limit of {what} is an upper bound, but higher values are better for this leaf")
            },
        )
        .at(span.clone(), if upward { "a lower bound" } else { "an upper bound" })
        .help(if lower_is_better {
            "with lower_is_better = true every limit is an upper bound: write \"<2\" or 2 (meaning at most 2)"
        } else {
            "for \"at most\" limits set lower_is_better = true; otherwise write \">90\" or 90 (meaning at least 90)"
        })
    };
    match value.get_ref() {
        DeValue::Float(f) if f.as_str().contains("inf") => {
            let positive = !f.as_str().starts_with('-');
            if positive == lower_is_better {
                return Some((None, false));
            }
            out.push(direction(!positive));
            None
        }
        DeValue::String(s) => {
            let t = s.trim();
            let (strict, upward, rest) =
                if let Some(r) = t.strip_prefix(">=").or_else(|| t.strip_prefix('≥')) {
                    (false, true, r)
                } else if let Some(r) = t.strip_prefix("<=").or_else(|| t.strip_prefix('≤')) {
                    (false, false, r)
                } else if let Some(r) = t.strip_prefix('>') {
                    (true, true, r)
                } else if let Some(r) = t.strip_prefix('<') {
                    (true, false, r)
                } else if let Ok(limit) = t.trim_end_matches('%').trim().parse::<Decimal>() {
                    // A plain figure in quotes ("100%", "90"): a limit like 90 itself,
                    // reached from the better side.
                    return Some((Some(limit.normalize()), false));
                } else {
                    out.push(
                    Diagnostic::error(
                        "bad-limit",
                        format!("the limit of {what}, \"{t}\", is not a number or a comparison"),
                    )
                    .at(span, "expected a number, or text like \">90\" or \"<2\"")
                    .help("write [90, 0.5] for \"from 90 up\", or [\">90\", 0.5] for \"above 90\""),
                );
                    return None;
                };
            let number = rest.trim().trim_end_matches('%').trim();
            let Ok(limit) = number.parse::<Decimal>() else {
                out.push(
                    Diagnostic::error(
                        "bad-limit",
                        format!("the limit of {what}, \"{t}\", has no number after its comparison"),
                    )
                    .at(span, "expected text like \">90\" or \"<2\""),
                );
                return None;
            };
            if upward == lower_is_better {
                out.push(direction(upward));
                return None;
            }
            Some((Some(limit.normalize()), strict))
        }
        _ => match number_at(value) {
            Ok(n) => Some((Some(n.value), false)),
            Err(NumberProblem::NotANumber) => {
                out.push(wrong_type(
                    &format!("the limit of {what}"),
                    value,
                    "a number or text like \">90\"",
                    "limit",
                ));
                None
            }
            Err(NumberProblem::Bad(e)) => {
                out.push(number_diagnostic(&e, &format!("the limit of {what}"), value));
                None
            }
        },
    }
}

/// Bands are tried in order, so each must admit strictly more values than the one
/// before it, and the last must admit every value left.
fn check_band_order(
    f: &Fields<'_, '_>,
    bands: &[(Band, Range<usize>)],
    lower_is_better: bool,
    out: &mut Vec<Diagnostic>,
) {
    let show = |b: &Band| match (b.limit, lower_is_better, b.strict) {
        (None, _, _) => "every value".to_string(),
        (Some(l), false, false) => format!("{l} and up"),
        (Some(l), false, true) => format!("above {l}"),
        (Some(l), true, false) => format!("{l} and below"),
        (Some(l), true, true) => format!("below {l}"),
    };
    for pair in bands.windows(2) {
        let ((prev, prev_span), (next, next_span)) = (&pair[0], &pair[1]);
        // Whether `next` admits every value `prev` does and more.
        let wider = match (prev.limit, next.limit) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(p), Some(q)) if p == q => prev.strict && !next.strict,
            (Some(p), Some(q)) => (q < p) != lower_is_better,
        };
        if !wider {
            let order = if lower_is_better {
                "from the lowest limit up"
            } else {
                "from the highest limit down"
            };
            out.push(
                Diagnostic::error(
                    "bands-order",
                    format!("band \"{}\" of {} can never apply: the band before it, \"{}\", already takes its values", show(next), f.what, show(prev)),
                )
                .at(next_span.clone(), "never reached")
                .with_context(prev_span.clone(), "takes these values first")
                .help(format!("bands are tried in order: list them {order}")),
            );
        }
    }
    let (last, span) = bands.last().expect("bands are not empty");
    let covers = match last.limit {
        None => true,
        Some(l) => !lower_is_better && (l < Decimal::ZERO || l == Decimal::ZERO && !last.strict),
    };
    if !covers {
        let (message, help) = if lower_is_better {
            (
                format!(
                    "values {} fall in no band of {}",
                    if last.strict {
                        format!("of {} and above", last.limit.unwrap_or_default())
                    } else {
                        format!("above {}", last.limit.unwrap_or_default())
                    },
                    f.what
                ),
                "end the list with [inf, 0] so that every value is scored",
            )
        } else {
            (
                format!(
                    "values {} fall in no band of {}",
                    if last.strict {
                        format!("of {} and below", last.limit.unwrap_or_default())
                    } else {
                        format!("below {}", last.limit.unwrap_or_default())
                    },
                    f.what
                ),
                "end the list with [0, 0] so that every value from 0 up is scored",
            )
        };
        out.push(
            Diagnostic::error("bands-gap", message).at(span.clone(), "the last band").help(help),
        );
    }
}

fn read_ratio(f: &Fields<'_, '_>, out: &mut Vec<Diagnostic>) -> Option<Rule> {
    let mut ok = true;
    let mut get = |key: &str, lowest_ok: bool| {
        let n = f.number(key, out)?;
        let in_range = if lowest_ok {
            n.value >= Decimal::ZERO && n.value < Decimal::ONE
        } else {
            n.value > Decimal::ZERO && n.value <= Decimal::ONE
        };
        if !in_range {
            let help = if n.value > Decimal::ONE {
                format!(
                    "{key} is a ratio: write {} for {}%",
                    (n.value / Decimal::ONE_HUNDRED).normalize(),
                    n.value
                )
            } else {
                "a ratio lies between 0 and 1".to_string()
            };
            out.push(
                Diagnostic::error(
                    "out-of-range",
                    format!(
                        "`{key}` of {} must be {}, not {}",
                        f.what,
                        if lowest_ok {
                            "from 0 up to, not including, 1"
                        } else {
                            "above 0 and at most 1"
                        },
                        n.value
                    ),
                )
                .at(n.span, "out of range")
                .help(help),
            );
            ok = false;
            return None;
        }
        Some(n)
    };
    let full_at = get("full_at", false);
    let zero_at = get("zero_at", true);
    if let (Some(full), Some(zero)) = (&full_at, &zero_at)
        && zero.value >= full.value
    {
        out.push(
            Diagnostic::error(
                "ratio-order",
                format!(
                    "`zero_at` ({}) of {} must be below `full_at` ({})",
                    zero.value, f.what, full.value
                ),
            )
            .at(zero.span.clone(), "not below full_at")
            .with_context(full.span.clone(), "full_at")
            .help("points rise from 0 at zero_at to the max at full_at"),
        );
        ok = false;
    }
    ok.then(|| Rule::Ratio { full_at: full_at.map(|a| a.value), zero_at: zero_at.map(|a| a.value) })
}

/// Points an answer gives must lie within 0..=max. Returns whether they do.
fn check_points(
    points: &At<Decimal>,
    max: Option<Decimal>,
    what: &str,
    out: &mut Vec<Diagnostic>,
) -> bool {
    if points.value < Decimal::ZERO {
        out.push(
            Diagnostic::error(
                "points-out-of-range",
                format!("{what} gives {} points, below 0", points.value),
            )
            .at(points.span.clone(), "below 0")
            .help("deductions are written as a top-level node with kind = \"deduction\""),
        );
        return false;
    }
    if let Some(max) = max
        && points.value > max
    {
        out.push(
            Diagnostic::error(
                "points-over-max",
                format!("{what} gives {} points, more than the leaf's max of {max}", points.value),
            )
            .at(points.span.clone(), format!("more than {max}"))
            .help("check the points against the rubric, or raise the leaf's max"),
        );
        return false;
    }
    true
}

fn quoted(names: &[&str]) -> String {
    names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
}
