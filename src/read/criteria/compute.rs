//! Reading a leaf's `compute` (spec §6): the table it takes its value from, and either an
//! expression over the agency's row or the survey questions and the weight of each answer.
//! Whether the table and its columns exist is known only with a round: see
//! `read::compute`.

use std::ops::Range;

use rust_decimal::Decimal;
use toml::de::DeValue;

use super::raw::named;
use crate::diagnostic::Diagnostic;
use crate::lang::Text;
use crate::model::compute::{Compute, How, Survey, Zero};
use crate::model::criteria::Source;
use crate::model::rule::{Rule, RuleKind};
use crate::read::fields::{Fields, wrong_type};
use crate::text::fold;
use crate::tr;

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
            Text::new(
                "a table such as { table = \"mot-cua\", value = \"dung_han / tiep_nhan\" }",
                "một bảng như { table = \"mot-cua\", value = \"dung_han / tiep_nhan\" }",
            ),
        ));
        return Err(());
    };
    let before = out.len();
    let what =
        Text::new(format!("`compute` of {}", f.what.en), format!("`compute` của {}", f.what.vi));
    let c = Fields { table, header: value.span(), what };
    c.unknown_keys(COMPUTE_KEYS, |_| None, out);
    if source == Source::Survey {
        out.push(
            Diagnostic::error(
                "compute-on-survey",
                Text::new(
                    format!("{} comes from the survey file, so it cannot also be computed from a table", f.what.en),
                    format!("{} lấy số liệu từ tệp khảo sát nên không thể đồng thời tính từ bảng số liệu", f.what.vi),
                ),
            )
            .at(f.key_span("compute"), tr!("`compute` on a survey leaf", "`compute` ở tiêu chí thành phần lấy từ khảo sát"))
            .with_context(f.value_span("source"), tr!("the survey gives its value", "khảo sát cho giá trị của tiêu chí này"))
            .help(tr!(
                "remove `source = \"survey\"` to compute the value from survey responses, or remove `compute`",
                "hãy bỏ `source = \"survey\"` để tính giá trị từ các phiếu khảo sát, hoặc bỏ `compute`"
            )),
        );
    }
    let table_name = c.require(
        "table",
        c.text("table", out),
        tr!(
            "add the table's name as the round file's [tables.NAME] writes it, e.g. table = \"mot-cua\"",
            "hãy thêm tên bảng số liệu đúng như [tables.TÊN] trong tệp vòng đánh giá, ví dụ table = \"mot-cua\""
        ),
        out,
    );
    // A name no round file could give ([tables.một cửa] is refused there).
    let table_name = table_name.filter(|t| {
        let plain = crate::read::round_file::plain_table_name(&t.value);
        if !plain {
            out.push(
                Diagnostic::error(
                    "bad-id",
                    tr!(
                        "the table name {} may hold only letters a-z, digits, '-' and '_'",
                        "tên bảng số liệu {} chỉ được gồm chữ cái a-z, chữ số, '-' và '_'",
                        crate::text::quote(&t.value)
                    ),
                )
                .at(t.span.clone(), tr!("not a plain name", "không phải là tên đơn giản"))
                .help(tr!(
                    "name it as the round file's [tables.NAME] does, e.g. \"mot-cua\"",
                    "hãy đặt tên giống như [tables.TÊN] trong tệp vòng đánh giá, ví dụ \"mot-cua\""
                )),
            );
        }
        plain
    });
    let how = match (c.has("value"), c.has("questions")) {
        (true, true) => {
            out.push(
                Diagnostic::error(
                    "compute-both",
                    Text::new(
                        format!("{} has both `value` and `questions`: a leaf is computed one way", c.what.en),
                        format!("{} có cả `value` lẫn `questions`: mỗi tiêu chí thành phần chỉ được tính theo một cách", c.what.vi),
                    ),
                )
                .at(c.key_span("questions"), tr!("`questions` beside `value`", "`questions` đi cùng `value`"))
                .with_context(c.key_span("value"), tr!("`value` here", "`value` ở đây"))
                .help(tr!(
                    "keep `value` for an expression over one row per agency, or `questions` for survey responses",
                    "hãy giữ `value` nếu tính bằng biểu thức trên một dòng của mỗi đơn vị, hoặc `questions` nếu tính từ phiếu khảo sát"
                )),
            );
            None
        }
        (false, false) => {
            out.push(c.missing(
                "value",
                tr!(
                    "add value = \"dung_han / tiep_nhan\" (an expression over the agency's row), or questions = [\"C1\", …] with answers for survey responses",
                    "hãy thêm value = \"dung_han / tiep_nhan\" (biểu thức trên dòng của đơn vị), hoặc questions = [\"C1\", …] cùng answers để tính từ phiếu khảo sát"
                ),
            ));
            None
        }
        (true, false) => {
            wrong_side(&c, SURVEY_ONLY, "questions", out);
            read_value(&c, text, out)
        }
        (false, true) => {
            wrong_side(&c, VALUE_ONLY, "value", out);
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
            let computed = if fits.len() == 2 {
                tr!("a rate", "một tỷ lệ")
            } else {
                tr!("a number", "một số")
            };
            let scores = match rule.kind() {
                RuleKind::Choice => tr!("a choice", "một lựa chọn"),
                RuleKind::YesNo => tr!("a yes or no", "có hoặc không"),
                RuleKind::Points => tr!("points", "điểm"),
                _ => tr!("a count", "số lần"),
            };
            let rule_name = rule.kind().name();
            let mut help = Text::new(
                format!("it is scored by rule = {}", names.join(" or ")),
                format!("tiêu chí này được chấm bằng rule = {}", names.join(" hoặc ")),
            );
            if fits.len() == 2 && matches!(rule.kind(), RuleKind::Points | RuleKind::PerItem) {
                help = help.join(
                    "; ",
                    &tr!(
                        "for points or a count, do not end the expression with a division",
                        "nếu chấm theo điểm hoặc số lần, đừng kết thúc biểu thức bằng một phép chia"
                    ),
                );
            }
            out.push(
                Diagnostic::error(
                    "compute-rule",
                    Text::new(
                        format!(
                            "{} is computed as {}, but its rule \"{rule_name}\" scores {}",
                            f.what.en, computed.en, scores.en
                        ),
                        format!(
                            "{} được tính ra {}, nhưng quy tắc chấm \"{rule_name}\" của nó chấm {}",
                            f.what.vi, computed.vi, scores.vi
                        ),
                    ),
                )
                .at(
                    f.value_span("rule"),
                    tr!("cannot score a computed number", "không chấm được một số được tính ra"),
                )
                .with_context(f.key_span("compute"), tr!("computed here", "được tính ở đây"))
                .help(help),
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

/// Reports keys of the other way of computing, whose key is `other`.
fn wrong_side(c: &Fields<'_, '_>, keys: &[&str], other: &str, out: &mut Vec<Diagnostic>) {
    for key in keys.iter().filter(|k| c.has(k)) {
        out.push(
            Diagnostic::error(
                "compute-key",
                Text::new(
                    format!("`{key}` of {} goes with `{other}`, which it does not have", c.what.en),
                    format!("`{key}` của {} chỉ đi cùng `{other}`, mà ở đây không có", c.what.vi),
                ),
            )
            .at(c.key_span(key), tr!("only with `{other}`", "chỉ dùng cùng `{other}`"))
            .help(tr!("remove it", "hãy bỏ khóa này")),
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
            let d = Diagnostic::error(
                "bad-expression",
                Text::new(
                    format!("`value` of {}: {}", c.what.en, e.message.en),
                    format!("`value` của {}: {}", c.what.vi, e.message.vi),
                ),
            )
            .at(place(e.span), e.label);
            out.push(d.help(e.help.map_or_else(
                || {
                    tr!(
                        "an expression holds column names, numbers, + - * /, parentheses, min(…) and max(…)",
                        "biểu thức gồm tên cột, số, + - * /, dấu ngoặc đơn, min(…) và max(…)"
                    )
                },
                |help| *help,
            )));
            None
        }
    };
    let zero_rule = tr!("rule for a zero denominator", "quy tắc khi mẫu số bằng 0");
    let zero = named(c, "zero", &Zero::NAMES, &zero_rule, out).and_then(|z| Zero::from_name(&z));
    let rate_decimals = match c.integer("rate_decimals", out) {
        Some(d) if (0..=MAX_RATE_DECIMALS).contains(&d.value) => u32::try_from(d.value).ok(),
        Some(d) => {
            out.push(
                Diagnostic::error(
                    "out-of-range",
                    tr!(
                        "rate_decimals must be between 0 and {MAX_RATE_DECIMALS}, not {}",
                        "rate_decimals phải từ 0 đến {MAX_RATE_DECIMALS}, không được là {}",
                        d.value
                    ),
                )
                .at(d.span, tr!("out of range", "ngoài khoảng cho phép"))
                .help(tr!(
                    "the places of the rate as a fraction: 4 rounds 0.93245 to 0.9325",
                    "số chữ số thập phân của tỷ lệ viết dưới dạng phân số thập phân: 4 làm tròn 0.93245 thành 0.9325"
                )),
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
                Text::new(
                    format!(
                        "`value` of {}: the expression divides by 0, whatever the counts",
                        c.what.en
                    ),
                    format!(
                        "`value` của {}: biểu thức luôn chia cho 0, bất kể số liệu là bao nhiêu",
                        c.what.vi
                    ),
                ),
            )
            .at(span.clone(), tr!("a division by 0", "phép chia cho 0"))
            .help(tr!(
                "divide by the column that holds the total (done / total)",
                "hãy chia cho cột chứa tổng số (số đã xong / tổng số)"
            )),
        );
    }
    if let Some(e) = &expr {
        let ratio = e.is_ratio();
        for key in ["zero", "rate_decimals"].into_iter().filter(|k| c.has(k) && !ratio) {
            out.push(
                Diagnostic::error(
                    "compute-key",
                    Text::new(
                        format!(
                            "`{key}` of {} applies to a rate, but the expression does not end in a division",
                            c.what.en
                        ),
                        format!(
                            "`{key}` của {} chỉ áp dụng cho tỷ lệ, nhưng biểu thức không kết thúc bằng một phép chia",
                            c.what.vi
                        ),
                    ),
                )
                .at(c.key_span(key), tr!("no rate to apply it to", "không có tỷ lệ để áp dụng"))
                .with_context(span.clone(), tr!("not a division", "không phải phép chia"))
                .help(tr!(
                    "write the rate as a division (done / total), or remove the key",
                    "hãy viết tỷ lệ dưới dạng phép chia (số đã xong / tổng số), hoặc bỏ khóa này"
                )),
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
    if let Some(items) = c.list(
        "questions",
        crate::tr!("a list of column names", "một danh sách tên cột"),
        Text::same("questions = [\"C1\", \"C2\"]"),
        out,
    ) {
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
                                Text::new(
                                    format!("{} names question \"{name}\" twice", c.what.en),
                                    format!("{} ghi câu hỏi \"{name}\" hai lần", c.what.vi),
                                ),
                            )
                            .at(item.span(), tr!("named again here", "ghi lại ở đây"))
                            .with_context(
                                Range::clone(first),
                                tr!("first named here", "ghi lần đầu ở đây"),
                            ),
                        );
                    } else {
                        questions.push((name, item.span()));
                    }
                }
                _ => out.push(wrong_type(
                    crate::tr!("an item of `questions`", "một mục của `questions`"),
                    item,
                    crate::tr!("a column name in quotes", "một tên cột trong dấu ngoặc kép"),
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
                Text::new(
                    format!("{} lists survey questions but not what each answer is worth", c.what.en),
                    format!("{} liệt kê các câu hỏi khảo sát nhưng chưa ghi mỗi câu trả lời được tính bao nhiêu", c.what.vi),
                ),
            )
            .at(c.key_span("questions"), tr!("`questions` without `answers`", "có `questions` nhưng không có `answers`"))
            .help(tr!(
                "add answers = {{ \"Rất hài lòng\" = 1, \"Hài lòng\" = 1, \"Bình thường\" = 0, \"Không hài lòng\" = 0, \"Rất không hài lòng\" = 0 }}",
                "hãy thêm answers = {{ \"Rất hài lòng\" = 1, \"Hài lòng\" = 1, \"Bình thường\" = 0, \"Không hài lòng\" = 0, \"Rất không hài lòng\" = 0 }}"
            )),
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
                            Text::new(
                                format!("{} lists the answer \"{name}\" twice", c.what.en),
                                format!("{} liệt kê câu trả lời \"{name}\" hai lần", c.what.vi),
                            ),
                        )
                        .at(label.span(), tr!("listed again here", "liệt kê lại ở đây"))
                        .with_context(first.clone(), tr!("first listed here", "liệt kê lần đầu ở đây"))
                        .help(tr!(
                            "answers are matched with case and spacing forgiven, so these are one answer",
                            "câu trả lời được so khớp không phân biệt chữ hoa, chữ thường và khoảng trắng, nên đây là cùng một câu trả lời"
                        )),
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
                            Text::new(
                                format!(
                                    "the answer \"{name}\" of {} is worth {}, but an answer's weight lies between 0 and 1",
                                    c.what.en, w.value
                                ),
                                format!(
                                    "câu trả lời \"{name}\" của {} được tính {}, nhưng trọng số của câu trả lời chỉ nằm trong khoảng từ 0 đến 1",
                                    c.what.vi, w.value
                                ),
                            ),
                        )
                        .at(w.span, tr!("outside 0..1", "ngoài khoảng 0..1"))
                        .help(tr!(
                            "1 counts the answer in full, 0.6 for 60%, 0 not at all",
                            "1 là tính đủ câu trả lời, 0.6 là tính 60%, 0 là không tính"
                        )),
                    ),
                    Err(crate::read::fields::NumberProblem::Bad(e)) => out.push(
                        crate::read::fields::number_diagnostic(
                            &e,
                            crate::tr!("the weight of \"{name}\"", "trọng số của \"{name}\""),
                            weight,
                        ),
                    ),
                    Err(crate::read::fields::NumberProblem::NotANumber) => out.push(wrong_type(
                        crate::tr!("the weight of \"{name}\"", "trọng số của \"{name}\""),
                        weight,
                        crate::tr!("a number from 0 to 1", "một số từ 0 đến 1"),
                        "answers",
                    )),
                }
            }
            if seen.is_empty() {
                out.push(
                    Diagnostic::error(
                        "empty-list",
                        Text::new(
                            format!("`answers` of {} is empty", c.what.en),
                            format!("`answers` của {} đang trống", c.what.vi),
                        ),
                    )
                    .at(c.value_span("answers"), tr!("no answer listed", "chưa liệt kê câu trả lời nào")),
                );
            }
        }
        Some((v, _)) => out.push(c.wrong_type(
            "answers",
            v,
            Text::new("a table of answers and their weights, { \"Hài lòng\" = 1, … }", "một bảng các câu trả lời và trọng số của chúng, { \"Hài lòng\" = 1, … }"),
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
                        crate::tr!("`where` {}", "`where` {}", column.get_ref()),
                        wanted,
                        crate::tr!("text in quotes", "văn bản trong dấu ngoặc kép"),
                        "where",
                    )),
                }
            }
        }
        Some((v, _)) => out.push(c.wrong_type(
            "where",
            v,
            Text::new(
                "a table of columns and the text each must hold, { phieu = \"SIPAS\" }",
                "một bảng các cột và văn bản mỗi cột phải chứa, { phieu = \"SIPAS\" }",
            ),
        )),
    }
    let min_answers = match c.integer("min_answers", out) {
        Some(m) if m.value >= 1 => u64::try_from(m.value).unwrap_or(1),
        Some(m) => {
            // With no answer there is no rate: at least one is needed whatever is written.
            out.push(
                Diagnostic::error(
                    "out-of-range",
                    Text::new(
                        format!("min_answers of {} must be 1 or more, not {}", c.what.en, m.value),
                        format!("min_answers của {} phải từ 1 trở lên, không được là {}", c.what.vi, m.value),
                    ),
                )
                .at(m.span, tr!("below 1", "nhỏ hơn 1"))
                .help(tr!(
                    "the fewest answers an agency needs to be surveyed on the leaf, e.g. min_answers = 30",
                    "số câu trả lời ít nhất mà một đơn vị cần có để được chấm tiêu chí thành phần này theo khảo sát, ví dụ min_answers = 30"
                )),
            );
            1
        }
        None => 1,
    };
    (out.len() == before).then_some(Survey { questions, answers, filter, min_answers })
}
