//! Reading a leaf's rule and its parameters, and checking them the way a reviewer of the
//! rubric would: bands in order and covering every value, choices that can be told apart,
//! no answer worth more than the leaf.

use std::ops::Range;

use rust_decimal::Decimal;
use toml::Spanned;
use toml::de::DeValue;

use super::raw::{Head, RawNode, named};
use crate::diagnostic::Diagnostic;
use crate::lang::Text;
use crate::model::criteria::{Leaf, NaPolicy, Source};
use crate::model::rule::{Band, Choice, Rule, RuleKind};
use crate::read::fields::{At, Fields, NumberProblem, number_at, number_diagnostic, wrong_type};
use crate::read::number::is_multiple;
use crate::text::{did_you_mean, fold, is_na_word};
use crate::tr;

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
        out.push(f.missing(
            "max",
            tr!(
                "a sub-criterion needs the points it is worth, e.g. max = 1",
                "tiêu chí thành phần cần có điểm tối đa, ví dụ max = 1"
            ),
        ));
    }
    if f.has("cap") {
        out.push(
            Diagnostic::error(
                "cap-on-leaf",
                Text::new(
                    format!("{} has no children, so `cap` has nothing to cap", f.what.en),
                    format!("{} không có mục con nên `cap` không có gì để giới hạn", f.what.vi),
                ),
            )
            .at(
                f.key_span("cap"),
                tr!(
                    "`cap` on a sub-criterion that is scored",
                    "`cap` ở một tiêu chí thành phần được chấm điểm"
                ),
            )
            .help(tr!(
                "put `cap = true` on the parent whose children's max add up to more than its own",
                "hãy đặt `cap = true` ở mục cha có tổng điểm tối đa của các mục con lớn hơn điểm tối đa của chính nó"
            )),
        );
    }
    let max = raw.max.as_ref().map(|m| m.value);
    let rule = read_rule(f, max, out);
    let na = match f.get("na") {
        None => None,
        Some(v) => match v.get_ref() {
            DeValue::Boolean(true) => Some(head.na_policy),
            DeValue::Boolean(false) => None,
            DeValue::String(_) => named(f, "na", &NaPolicy::NAMES, &na_policy_words(), out)
                .and_then(|n| NaPolicy::from_name(&n)),
            _ => {
                out.push(f.wrong_type(
                    "na",
                    v,
                    crate::tr!(
                        "true, false, \"exclude\" or \"full\"",
                        "true, false, \"exclude\" hoặc \"full\""
                    ),
                ));
                None
            }
        },
    };
    let source = match named(f, "source", &["survey"], &tr!("source", "nguồn"), out) {
        Some(_) => Source::Survey,
        None => Source::Assessment,
    };
    let evidence = f.boolean("evidence", out);
    if let (Source::Survey, Some(At { value: true, span })) = (source, &evidence) {
        out.push(
            Diagnostic::error(
                "evidence-on-survey",
                Text::new(
                    format!("{} comes from the survey, so it cannot require evidence", f.what.en),
                    format!(
                        "{} lấy số liệu từ khảo sát nên không thể yêu cầu tài liệu kiểm chứng",
                        f.what.vi
                    ),
                ),
            )
            .at(
                span.clone(),
                tr!(
                    "survey values have no evidence",
                    "giá trị khảo sát không có tài liệu kiểm chứng"
                ),
            )
            .help(tr!(
                "remove `evidence`, or remove `source = \"survey\"` if the agency scores it",
                "hãy bỏ `evidence`, hoặc bỏ `source = \"survey\"` nếu đơn vị tự chấm tiêu chí này"
            )),
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
                {
                    let value = value.normalize();
                    Text::new(
                        format!(
                            "{} gives {value} points, finer than the set's {decimals} decimal places, but round_leaves rounds each leaf's points to them",
                            f.what.en
                        ),
                        format!(
                            "{} cho {value} điểm, lẻ hơn {decimals} chữ số thập phân của bộ tiêu chí, nhưng round_leaves làm tròn điểm của từng tiêu chí thành phần đến số chữ số đó",
                            f.what.vi
                        ),
                    )
                },
            )
            .at(
                span,
                tr!("more than {decimals} decimal places", "quá {decimals} chữ số thập phân"),
            )
            .help(tr!(
                "give the points to the set's decimals, raise `decimals`, or remove round_leaves",
                "hãy ghi điểm theo số chữ số thập phân của bộ tiêu chí, tăng `decimals`, hoặc bỏ round_leaves"
            )),
        );
    }
}

/// Reports rule and leaf keys on a node that has children.
pub(super) fn no_leaf_keys(raw: &RawNode<'_, '_>, out: &mut Vec<Diagnostic>) {
    let f = &raw.fields;
    for (key, _) in f.table {
        let name = key.get_ref().as_ref();
        let what = if name == "rule" || RuleKind::all_parameters().any(|(p, _)| p == name) {
            tr!(
                "is scored from its children, so it cannot have a rule",
                "được tính điểm từ các mục con nên không thể có quy tắc chấm"
            )
        } else if LEAF_KEYS.contains(&name) {
            tr!(
                "has children, and `na`, `source`, `evidence` and `compute` belong on the sub-criteria that are scored",
                "có mục con, mà `na`, `source`, `evidence` và `compute` chỉ thuộc về các tiêu chí thành phần được chấm điểm"
            )
        } else {
            continue;
        };
        out.push(
            Diagnostic::error("leaf-key-on-parent", f.what.clone().join(" ", &what))
                .at(
                    key.span(),
                    tr!("`{name}` on a node with children", "`{name}` ở một mục có mục con"),
                )
                .help(tr!(
                    "move it to the sub-criteria under this node, or remove it",
                    "hãy chuyển khóa này xuống các tiêu chí thành phần của mục, hoặc bỏ đi"
                )),
        );
    }
}

fn read_rule(f: &Fields<'_, '_>, max: Option<Decimal>, out: &mut Vec<Diagnostic>) -> Option<Rule> {
    let names: Vec<&str> = RuleKind::ALL.iter().map(|k| k.name()).collect();
    let Some(name) = f.text("rule", out) else {
        if !f.mentions("rule") {
            let mut d = f.missing(
                "rule",
                tr!(
                    "add how the sub-criterion is scored: rule = one of {}",
                    "hãy thêm cách chấm tiêu chí thành phần: rule = một trong {}",
                    quoted(&names)
                ),
            );
            if let Some((param, kind)) = RuleKind::all_parameters().find(|(p, _)| f.has(p)) {
                d = d.help(tr!(
                    "it has `{param}`: add rule = \"{}\"",
                    "mục này có `{param}`: hãy thêm rule = \"{}\"",
                    kind.name()
                ));
            }
            out.push(d);
        }
        return None;
    };
    let Some(kind) = RuleKind::from_name(&name.value) else {
        let mut d = Diagnostic::error(
            "unknown-rule",
            Text::new(
                format!("{} has an unknown rule \"{}\"", f.what.en, name.value),
                format!("{} có quy tắc chấm không xác định \"{}\"", f.what.vi, name.value),
            ),
        )
        .at(name.span, tr!("expected one of {}", "cần một trong {}", quoted(&names)));
        d.help = Some(match did_you_mean(&name.value, &names) {
            Some(near) => tr!("did you mean \"{near}\"?", "có phải là \"{near}\"?"),
            None => tr!("the rules are {}", "các quy tắc chấm là {}", quoted(&names)),
        });
        out.push(d);
        return None;
    };
    for (param, owner) in RuleKind::all_parameters() {
        if owner != kind && f.has(param) && !kind.parameters().contains(&param) {
            out.push(
                Diagnostic::error(
                    "wrong-parameter",
                    Text::new(
                        format!(
                            "`{param}` belongs to rule \"{}\", but {} uses rule \"{}\"",
                            owner.name(),
                            f.what.en,
                            kind.name()
                        ),
                        format!(
                            "`{param}` thuộc quy tắc chấm \"{}\", nhưng {} dùng quy tắc chấm \"{}\"",
                            owner.name(),
                            f.what.vi,
                            kind.name()
                        ),
                    ),
                )
                .at(
                    f.key_span(param),
                    tr!("not a parameter of this rule", "không phải tham số của quy tắc chấm này"),
                )
                .help(tr!(
                    "remove `{param}`, or change the rule to \"{}\"",
                    "hãy bỏ `{param}`, hoặc đổi quy tắc chấm thành \"{}\"",
                    owner.name()
                )),
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
                        Text::new(
                            format!(
                                "the max of {}, {max}, is not a multiple of its step {}",
                                f.what.en, step.value
                            ),
                            format!(
                                "điểm tối đa của {} là {max}, không phải bội số của bước chấm {}",
                                f.what.vi, step.value
                            ),
                        ),
                    )
                    .at(
                        step.span.clone(),
                        tr!(
                            "the full max could never be given",
                            "sẽ không bao giờ chấm được đủ điểm tối đa"
                        ),
                    )
                    .help(tr!(
                        "choose a step that divides the max, e.g. 0.25 or 0.5",
                        "hãy chọn bước chấm chia hết điểm tối đa, ví dụ 0.25 hoặc 0.5"
                    )),
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
                tr!(
                    "add the points taken off per item, e.g. per = 0.25",
                    "hãy thêm số điểm bị trừ cho mỗi trường hợp, ví dụ per = 0.25"
                ),
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
        Text::new("a list of { value, label, points }", "một danh sách { value, label, points }"),
        Text::new("the answers, e.g. choices = [{ value = \"co\", label = \"Có\", points = 1 }, { value = \"khong\", label = \"Không\", points = 0 }]", "các câu trả lời, ví dụ choices = [{ value = \"co\", label = \"Có\", points = 1 }, { value = \"khong\", label = \"Không\", points = 0 }]"),
        out,
    )?;
    let mut ok = true;
    let mut choices: Vec<Choice> = Vec::new();
    // Every spelling that names a choice, folded, and where it was written.
    let mut seen: Vec<(String, Range<usize>)> = Vec::new();
    for (n, item) in items.iter().enumerate() {
        let DeValue::Table(table) = item.get_ref() else {
            out.push(wrong_type(
                Text::new(
                    format!("choice #{} of {}", n + 1, f.what.en),
                    format!("lựa chọn thứ {} của {}", n + 1, f.what.vi),
                ),
                item,
                Text::new("a table { value, label, points }", "một bảng { value, label, points }"),
                "choices",
            ));
            ok = false;
            continue;
        };
        let number = n + 1;
        let what = Text::new(
            format!("choice #{number} of {}", f.what.en),
            format!("lựa chọn thứ {number} của {}", f.what.vi),
        );
        let c = Fields { table, header: item.span(), what };
        let before = out.len();
        c.unknown_keys(CHOICE_KEYS, |_| None, out);
        let value = c.require(
            "value",
            c.text("value", out),
            tr!(
                "add the short value typed in data files, e.g. value = \"dung-han\"",
                "hãy thêm giá trị ngắn được nhập trong tệp số liệu, ví dụ value = \"dung-han\""
            ),
            out,
        );
        let label = c.text("label", out);
        let points = c.require(
            "points",
            c.number("points", out),
            tr!(
                "add the points this answer gives, e.g. points = 0.5",
                "hãy thêm số điểm của lựa chọn này, ví dụ points = 0.5"
            ),
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
                        tr!(
                            "\"{}\" cannot be a choice: in data files it means not applicable",
                            "\"{}\" không thể là một lựa chọn: trong tệp số liệu, giá trị này có nghĩa là không phát sinh",
                            spelling.value
                        ),
                    )
                    .at(spelling.span.clone(), tr!("read as not applicable", "được hiểu là không phát sinh"))
                    .help(tr!(
                        "use another value, and allow NA on the leaf with `na = true` if it can be not applicable",
                        "hãy dùng giá trị khác, và cho phép không phát sinh ở tiêu chí thành phần bằng `na = true` nếu có thể không phát sinh"
                    )),
                );
            } else if let Some((_, first)) = seen.iter().find(|(s, _)| *s == folded) {
                out.push(
                    Diagnostic::error(
                        "duplicate-choice",
                        Text::new(
                            format!("two choices of {} read as \"{}\"", f.what.en, spelling.value),
                            format!("{} có hai lựa chọn cùng được đọc là \"{}\"", f.what.vi, spelling.value),
                        ),
                    )
                    .at(spelling.span.clone(), tr!("same as an earlier choice", "trùng với một lựa chọn phía trước"))
                    .with_context(first.clone(), tr!("first written here", "viết lần đầu ở đây"))
                    .help(tr!(
                        "values and labels are compared ignoring case, accents' encoding and spaces; make each one different",
                        "giá trị và nhãn được so sánh không phân biệt chữ hoa, chữ thường, cách mã hóa dấu và khoảng trắng; hãy làm cho mỗi lựa chọn khác nhau"
                    )),
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
                Text::new(
                    format!("no choice of {} gives its full {max} points", f.what.en),
                    format!("không có lựa chọn nào của {} cho đủ {max} điểm", f.what.vi),
                ),
            )
            .at(f.value_span("choices"), {
                let best = choices.iter().map(|c| c.points).max().unwrap_or_default();
                tr!("the best gives {best}", "lựa chọn cao nhất cho {best}")
            })
            .help(tr!(
                "check the points against the rubric, or lower the leaf's max",
                "hãy đối chiếu điểm với hướng dẫn chấm, hoặc giảm điểm tối đa của tiêu chí thành phần"
            )),
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
        crate::tr!("a list of [limit, points] pairs", "một danh sách các cặp [limit, points]"),
        crate::tr!(
            "the bands, best first, e.g. bands = [[100, 1], [90, 0.5], [0, 0]]",
            "các khoảng, khoảng tốt nhất trước, ví dụ bands = [[100, 1], [90, 0.5], [0, 0]]"
        ),
        out,
    )?;
    let mut bands: Vec<(Band, Range<usize>)> = Vec::new();
    let mut ok = true;
    for (n, item) in items.iter().enumerate() {
        let number = n + 1;
        let what = Text::new(
            format!("band #{number} of {}", f.what.en),
            format!("khoảng thứ {number} của {}", f.what.vi),
        );
        let pair = match item.get_ref() {
            DeValue::Array(pair) => pair.iter().collect::<Vec<_>>(),
            _ => Vec::new(),
        };
        let [limit, points] = pair.as_slice() else {
            out.push(wrong_type(&what, item, crate::tr!("a pair [limit, points]", "một cặp [limit, points]"), "bands").help(tr!(
                "write each band as [limit, points], e.g. [90, 0.5] for \"from 90 up: 0.5 points\"",
                "hãy viết mỗi khoảng dưới dạng [ngưỡng, điểm], ví dụ [90, 0.5] nghĩa là \"từ 90 trở lên: 0.5 điểm\""
            )));
            ok = false;
            continue;
        };
        let limit = read_limit(limit, &what, lower_is_better, out);
        let points = match number_at(points) {
            Ok(p) => check_points(&p, max, &what, out).then_some(p),
            Err(NumberProblem::NotANumber) => {
                out.push(wrong_type(
                    Text::new(
                        format!("the points of {}", what.en),
                        format!("số điểm của {}", what.vi),
                    ),
                    points,
                    crate::tr!("a number", "một số"),
                    "points",
                ));
                None
            }
            Err(NumberProblem::Bad(e)) => {
                out.push(number_diagnostic(
                    &e,
                    Text::new(
                        format!("the points of {}", what.en),
                        format!("số điểm của {}", what.vi),
                    ),
                    points,
                ));
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
                Text::new(
                    format!("no band of {} gives its full {max} points", f.what.en),
                    format!("không có khoảng nào của {} cho đủ {max} điểm", f.what.vi),
                ),
            )
            .at(
                f.value_span("bands"),
                tr!(
                    "the best value never earns the max",
                    "giá trị tốt nhất cũng không đạt điểm tối đa"
                ),
            )
            .help(tr!(
                "check the points against the rubric, or lower the leaf's max",
                "hãy đối chiếu điểm với hướng dẫn chấm, hoặc giảm điểm tối đa của tiêu chí thành phần"
            )),
        );
    }
    for pair in bands.windows(2) {
        let ((better, _), (worse, span)) = (&pair[0], &pair[1]);
        if worse.points > better.points {
            out.push(
                Diagnostic::warning(
                    "bands-reversed",
                    Text::new(
                        format!("in {}, a worse value scores more ({}) than a better one ({})", f.what.en, worse.points, better.points),
                        format!("trong {}, giá trị kém hơn lại được nhiều điểm hơn ({}) so với giá trị tốt hơn ({})", f.what.vi, worse.points, better.points),
                    ),
                )
                .at(span.clone(), tr!("more points for a worse value", "giá trị kém hơn được nhiều điểm hơn"))
                .help(tr!(
                    "bands go from the best value to the worst; check the points against the rubric",
                    "các khoảng được xếp từ giá trị tốt nhất đến kém nhất; hãy đối chiếu điểm với hướng dẫn chấm"
                )),
            );
        }
    }
    Some(bands.into_iter().map(|(b, _)| b).collect())
}

/// A band's limit: a number (`90`), `inf` for "every other value" where lower is better,
/// or text with a comparison (`">90"`, `"<=2"`, `"≥ 90%"`).
fn read_limit(
    value: &Spanned<DeValue<'_>>,
    what: &Text,
    lower_is_better: bool,
    out: &mut Vec<Diagnostic>,
) -> Option<(Option<Decimal>, bool)> {
    let span = value.span();
    let direction = |upward: bool| {
        Diagnostic::error(
            "band-direction",
            if lower_is_better {
                Text::new(
                    format!("the limit of {} is a lower bound, but this leaf has lower_is_better = true", what.en),
                    format!("ngưỡng của {} là cận dưới, nhưng tiêu chí thành phần này có lower_is_better = true", what.vi),
                )
            } else {
                Text::new(
                    format!("the limit of {} is an upper bound, but higher values are better for this leaf", what.en),
                    format!("ngưỡng của {} là cận trên, nhưng với tiêu chí thành phần này giá trị càng cao càng tốt", what.vi),
                )
            },
        )
        .at(
            span.clone(),
            if upward { tr!("a lower bound", "cận dưới") } else { tr!("an upper bound", "cận trên") },
        )
        .help(if lower_is_better {
            tr!(
                "with lower_is_better = true every limit is an upper bound: write \"<2\" or 2 (meaning at most 2)",
                "với lower_is_better = true, mọi ngưỡng đều là cận trên: hãy viết \"<2\" hoặc 2 (nghĩa là tối đa 2)"
            )
        } else {
            tr!(
                "for \"at most\" limits set lower_is_better = true; otherwise write \">90\" or 90 (meaning at least 90)",
                "với ngưỡng \"tối đa\", hãy đặt lower_is_better = true; nếu không, hãy viết \">90\" hoặc 90 (nghĩa là từ 90 trở lên)"
            )
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
            let (strict, upward, rest) = if let Some(r) =
                t.strip_prefix(">=").or_else(|| t.strip_prefix('≥'))
            {
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
                        Text::new(
                            format!("the limit of {}, \"{t}\", is not a number or a comparison", what.en),
                            format!("ngưỡng của {}, \"{t}\", không phải là số hay phép so sánh", what.vi),
                        ),
                    )
                    .at(span, tr!(
                        "expected a number, or text like \">90\" or \"<2\"",
                        "cần một số, hoặc văn bản như \">90\" hay \"<2\""
                    ))
                    .help(tr!(
                        "write [90, 0.5] for \"from 90 up\", or [\">90\", 0.5] for \"above 90\"",
                        "hãy viết [90, 0.5] nghĩa là \"từ 90 trở lên\", hoặc [\">90\", 0.5] nghĩa là \"trên 90\""
                    )),
                );
                return None;
            };
            let number = rest.trim().trim_end_matches('%').trim();
            let Ok(limit) = number.parse::<Decimal>() else {
                out.push(
                    Diagnostic::error(
                        "bad-limit",
                        Text::new(
                            format!(
                                "the limit of {}, \"{t}\", has no number after its comparison",
                                what.en
                            ),
                            format!("ngưỡng của {}, \"{t}\", không có số sau dấu so sánh", what.vi),
                        ),
                    )
                    .at(
                        span,
                        tr!(
                            "expected text like \">90\" or \"<2\"",
                            "cần văn bản như \">90\" hay \"<2\""
                        ),
                    ),
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
                    Text::new(
                        format!("the limit of {}", what.en),
                        format!("ngưỡng của {}", what.vi),
                    ),
                    value,
                    crate::tr!("a number or text like \">90\"", "một số hoặc văn bản như \">90\""),
                    "limit",
                ));
                None
            }
            Err(NumberProblem::Bad(e)) => {
                out.push(number_diagnostic(
                    &e,
                    Text::new(
                        format!("the limit of {}", what.en),
                        format!("ngưỡng của {}", what.vi),
                    ),
                    value,
                ));
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
        (None, _, _) => tr!("every value", "mọi giá trị"),
        (Some(l), false, false) => tr!("{l} and up", "từ {l} trở lên"),
        (Some(l), false, true) => tr!("above {l}", "trên {l}"),
        (Some(l), true, false) => tr!("{l} and below", "từ {l} trở xuống"),
        (Some(l), true, true) => tr!("below {l}", "dưới {l}"),
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
            let help = if lower_is_better {
                tr!(
                    "bands are tried in order: list them from the lowest limit up",
                    "các khoảng được xét theo thứ tự: hãy liệt kê từ ngưỡng thấp nhất lên"
                )
            } else {
                tr!(
                    "bands are tried in order: list them from the highest limit down",
                    "các khoảng được xét theo thứ tự: hãy liệt kê từ ngưỡng cao nhất xuống"
                )
            };
            let (next_shown, prev_shown) = (show(next), show(prev));
            out.push(
                Diagnostic::error(
                    "bands-order",
                    Text::new(
                        format!("band \"{}\" of {} can never apply: the band before it, \"{}\", already takes its values", next_shown.en, f.what.en, prev_shown.en),
                        format!("khoảng \"{}\" của {} không bao giờ được áp dụng: khoảng đứng trước, \"{}\", đã nhận hết các giá trị của nó", next_shown.vi, f.what.vi, prev_shown.vi),
                    ),
                )
                .at(next_span.clone(), tr!("never reached", "không bao giờ xét tới"))
                .with_context(prev_span.clone(), tr!("takes these values first", "nhận các giá trị này trước"))
                .help(help),
            );
        }
    }
    let (last, span) = bands.last().expect("bands are not empty");
    let covers = match last.limit {
        None => true,
        Some(l) => !lower_is_better && (l < Decimal::ZERO || l == Decimal::ZERO && !last.strict),
    };
    if !covers {
        let limit = last.limit.unwrap_or_default();
        let values = match (lower_is_better, last.strict) {
            (true, true) => tr!("of {limit} and above", "từ {limit} trở lên"),
            (true, false) => tr!("above {limit}", "trên {limit}"),
            (false, true) => tr!("of {limit} and below", "từ {limit} trở xuống"),
            (false, false) => tr!("below {limit}", "dưới {limit}"),
        };
        let message = Text::new(
            format!("values {} fall in no band of {}", values.en, f.what.en),
            format!("các giá trị {} không thuộc khoảng nào của {}", values.vi, f.what.vi),
        );
        let help = if lower_is_better {
            tr!(
                "end the list with [inf, 0] so that every value is scored",
                "hãy kết thúc danh sách bằng [inf, 0] để mọi giá trị đều được chấm điểm"
            )
        } else {
            tr!(
                "end the list with [0, 0] so that every value from 0 up is scored",
                "hãy kết thúc danh sách bằng [0, 0] để mọi giá trị từ 0 trở lên đều được chấm điểm"
            )
        };
        out.push(
            Diagnostic::error("bands-gap", message)
                .at(span.clone(), tr!("the last band", "khoảng cuối cùng"))
                .help(help),
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
                let ratio = (n.value / Decimal::ONE_HUNDRED).normalize();
                tr!(
                    "{key} is a ratio: write {ratio} for {}%",
                    "{key} là tỷ lệ: hãy viết {ratio} thay cho {}%",
                    n.value
                )
            } else {
                tr!("a ratio lies between 0 and 1", "tỷ lệ nằm trong khoảng từ 0 đến 1")
            };
            let range = if lowest_ok {
                tr!("from 0 up to, not including, 1", "từ 0 đến dưới 1")
            } else {
                tr!("above 0 and at most 1", "lớn hơn 0 và không quá 1")
            };
            out.push(
                Diagnostic::error(
                    "out-of-range",
                    Text::new(
                        format!("`{key}` of {} must be {}, not {}", f.what.en, range.en, n.value),
                        format!(
                            "`{key}` của {} phải {}, không được là {}",
                            f.what.vi, range.vi, n.value
                        ),
                    ),
                )
                .at(n.span, tr!("out of range", "ngoài khoảng cho phép"))
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
                Text::new(
                    format!(
                        "`zero_at` ({}) of {} must be below `full_at` ({})",
                        zero.value, f.what.en, full.value
                    ),
                    format!(
                        "`zero_at` ({}) của {} phải nhỏ hơn `full_at` ({})",
                        zero.value, f.what.vi, full.value
                    ),
                ),
            )
            .at(zero.span.clone(), tr!("not below full_at", "không nhỏ hơn full_at"))
            .with_context(full.span.clone(), Text::same("full_at"))
            .help(tr!(
                "points rise from 0 at zero_at to the max at full_at",
                "điểm tăng dần từ 0 tại zero_at đến điểm tối đa tại full_at"
            )),
        );
        ok = false;
    }
    ok.then(|| Rule::Ratio { full_at: full_at.map(|a| a.value), zero_at: zero_at.map(|a| a.value) })
}

/// Points an answer gives must lie within 0..=max. Returns whether they do.
fn check_points(
    points: &At<Decimal>,
    max: Option<Decimal>,
    what: &Text,
    out: &mut Vec<Diagnostic>,
) -> bool {
    if points.value < Decimal::ZERO {
        out.push(
            Diagnostic::error(
                "points-out-of-range",
                Text::new(
                    format!("{} gives {} points, below 0", what.en, points.value),
                    format!("{} cho {} điểm, nhỏ hơn 0", what.vi, points.value),
                ),
            )
            .at(points.span.clone(), tr!("below 0", "nhỏ hơn 0"))
            .help(tr!(
                "deductions are written as a top-level node with kind = \"deduction\"",
                "điểm trừ được ghi thành một mục cấp cao nhất có kind = \"deduction\""
            )),
        );
        return false;
    }
    if let Some(max) = max
        && points.value > max
    {
        out.push(
            Diagnostic::error(
                "points-over-max",
                Text::new(
                    format!("{} gives {} points, more than the leaf's max of {max}", what.en, points.value),
                    format!(
                        "{} cho {} điểm, vượt điểm tối đa {max} của tiêu chí thành phần",
                        what.vi, points.value
                    ),
                ),
            )
            .at(points.span.clone(), tr!("more than {max}", "vượt quá {max}"))
            .help(tr!(
                "check the points against the rubric, or raise the leaf's max",
                "hãy đối chiếu điểm với hướng dẫn chấm, hoặc tăng điểm tối đa của tiêu chí thành phần"
            )),
        );
        return false;
    }
    true
}

fn quoted(names: &[&str]) -> String {
    names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
}

/// What `na_policy` and a leaf's `na` name, in a message refusing another name.
pub(super) fn na_policy_words() -> Text {
    tr!("NA policy", "cách tính khi không phát sinh")
}
