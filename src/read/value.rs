//! A cell's value, read from the text people type straight into the form its leaf's rule
//! needs: `có`, `0,5`, `94%`, `47/50`, a choice's label, `không phát sinh`.

use rust_decimal::Decimal;

use crate::lang::Text;
use crate::model::criteria::Leaf;
use crate::model::rule::Rule;
use crate::model::value::Value;
use crate::text::{Quoted, fold, is_na_word};
use crate::tr;

/// Why a text cannot be a leaf's value: what was expected, and a hint where one helps,
/// each in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError {
    pub expected: Text,
    pub help: Option<Text>,
    /// What is wrong, where the value is of the kind expected but cannot be what it says
    /// (`5/0`, a rate of 125%): the sentence said of it instead of "is not …", and the
    /// label under it.
    pub problem: Option<Box<(Text, Text)>>,
}

impl ValueError {
    fn new(expected: Text) -> Self {
        Self { expected, help: None, problem: None }
    }

    /// A value of the kind expected that cannot be: `says` is said of it, `label` marks it.
    fn cannot_be(expected: Text, says: Text, label: Text) -> Self {
        Self { problem: Some(Box::new((says, label))), ..Self::new(expected) }
    }

    fn help(mut self, help: Text) -> Self {
        self.help = Some(help);
        self
    }
}

/// What a rate's leaf reads, in both languages.
fn a_rate() -> Text {
    tr!(
        "a fraction (47/50), a number from 0 to 1, or a percent (94%)",
        "một phân số (47/50), một số từ 0 đến 1, hoặc một tỷ lệ phần trăm (94%)"
    )
}

const YES: [&str; 9] = ["yes", "y", "có", "co", "đạt", "dat", "x", "1", "true"];
const NO: [&str; 8] = ["no", "n", "không", "khong", "không đạt", "khong dat", "0", "false"];

impl Value {
    /// Reads `text` (not empty) for a leaf worth `max`. "Not applicable" is read on any
    /// leaf; whether the leaf allows it is the caller's to check.
    pub fn parse(text: &str, leaf: &Leaf, max: Decimal) -> Result<Value, ValueError> {
        let t = text.trim();
        // Most values are typed exactly as the set or this reader spells them: matched
        // as they are, with no text built; anything else is folded first.
        let value = match Self::as_typed(t, leaf) {
            Some(v) => v,
            None => {
                Self::parse_folded(text, leaf, max).map_err(|e| match (&leaf.rule, e.help) {
                    (Rule::YesNo | Rule::Choice { .. }, help) | (_, help @ Some(_)) => {
                        ValueError { help, ..e }
                    }
                    (_, None) => ValueError { help: number_help(text), ..e },
                })?
            }
        };
        value.could_be(t, &leaf.rule)
    }

    /// The value, unless it cannot be what it says: in `a/b` both are counts, whole
    /// numbers, and `a` of nothing (`5/0`) cannot be; a rate is at most 100%.
    fn could_be(self, text: &str, rule: &Rule) -> Result<Value, ValueError> {
        let fraction =
            || tr!("a fraction of two counts (47/50)", "một phân số của hai số đếm (47/50)");
        match self {
            // A count is written in digits alone: `1.000/1250` is no more one of 1250
            // than `1.234/980` is 1.234 of 980.
            Value::Fraction(..) if !counts(text) => {
                let (top, bottom) = text.split_once('/').unwrap_or((text, ""));
                let (top, bottom) = (top.trim(), bottom.trim());
                let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
                let written =
                    |s: &str| whole_with_separators(s).or_else(|| digits(s).then(|| s.to_string()));
                let help = match (written(top), written(bottom)) {
                    (Some(a), Some(b)) => tr!(
                        "counts are whole numbers: write {a}/{b} without a thousands separator",
                        "số đếm là số nguyên: hãy viết {a}/{b}, không có dấu phân cách hàng nghìn"
                    ),
                    _ => tr!(
                        "counts are whole numbers: write the number done and the number there was to do (47/50), or the share itself as a percent (94%)",
                        "số đếm là số nguyên: hãy viết số đã làm và số phải làm (47/50), hoặc chính tỷ lệ đó dưới dạng phần trăm (94%)"
                    ),
                };
                let odd = if digits(top) { bottom } else { top };
                let q = Quoted(text);
                Err(ValueError::cannot_be(
                    fraction(),
                    tr!(
                        "{q} is not a fraction of two counts: {odd} is not a whole number written in digits",
                        "{q} không phải là phân số của hai số đếm: {odd} không phải là số nguyên viết bằng chữ số"
                    ),
                    tr!("expected whole numbers", "cần số nguyên"),
                )
                .help(help))
            }
            Value::Fraction(a, b) if b.is_zero() && !a.is_zero() => {
                let q = Quoted(text);
                Err(ValueError::cannot_be(
                    fraction(),
                    tr!(
                        "{q}: {a} of 0 cannot be: the denominator is 0 but the numerator is not",
                        "{q}: không thể có {a} trên 0: mẫu số bằng 0 nhưng tử số thì không"
                    ),
                    tr!("{a} of 0", "{a} trên 0"),
                )
                .help(tr!(
                    "0/0 says there was nothing to count; otherwise the second figure is the whole the first is part of (47/50)",
                    "0/0 nghĩa là không có gì để đếm; nếu không, số thứ hai là tổng mà số thứ nhất là một phần trong đó (47/50)"
                )))
            }
            Value::Fraction(a, b) if matches!(rule, Rule::Ratio { .. }) && a > b => {
                let (q, p) = (Quoted(text), percent(a, b));
                Err(ValueError::cannot_be(
                    fraction(),
                    tr!(
                        "a rate cannot be above 100%: {q} is {p}",
                        "tỷ lệ không thể vượt quá 100%: {q} là {p}"
                    ),
                    tr!("{p}, above 100%", "{p}, vượt quá 100%"),
                )
                .help(tr!(
                    "the first figure is the part, the second the whole: {a} done of {b} cannot be; check both counts",
                    "số thứ nhất là phần, số thứ hai là tổng: không thể đã làm {a} trên {b}; hãy kiểm tra cả hai số đếm"
                )))
            }
            Value::Number(n) if matches!(rule, Rule::Ratio { .. }) && n > Decimal::ONE => {
                let q = Quoted(text);
                Err(ValueError::cannot_be(
                    a_rate(),
                    tr!("a rate cannot be above 100%: {q}", "tỷ lệ không thể vượt quá 100%: {q}"),
                    tr!("above 100%", "vượt quá 100%"),
                )
                .help(tr!(
                    "check the figure: a rate is at most 100%",
                    "hãy kiểm tra số liệu: tỷ lệ tối đa là 100%"
                )))
            }
            v => Ok(v),
        }
    }

    /// [`Value::parse`] the long way, for any spelling.
    fn parse_folded(text: &str, leaf: &Leaf, max: Decimal) -> Result<Value, ValueError> {
        let folded = fold(text);
        if is_na_word(&folded) {
            return Ok(Value::Na);
        }
        match &leaf.rule {
            Rule::Points { step } => {
                let v = number(text)
                    .ok_or_else(|| ValueError::new(tr!("a number of points", "một số điểm")))?;
                if v < Decimal::ZERO || v > max {
                    return Err(ValueError::new(tr!(
                        "points from 0 to {max}",
                        "số điểm từ 0 đến {max}"
                    )));
                }
                if let Some(step) = step
                    && !crate::read::number::is_multiple(v, *step)
                {
                    return Err(ValueError::new(tr!(
                        "a multiple of {step} points",
                        "một bội số của {step} điểm"
                    )));
                }
                Ok(Value::Number(v))
            }
            Rule::YesNo => {
                if YES.contains(&folded.as_str()) {
                    Ok(Value::Yes(true))
                } else if NO.contains(&folded.as_str()) {
                    Ok(Value::Yes(false))
                } else {
                    Err(ValueError::new(tr!(
                        "yes or no (có/không, đạt/không đạt, x, 1/0)",
                        "có hoặc không (có/không, đạt/không đạt, x, 1/0)"
                    )))
                }
            }
            Rule::Choice { choices } => choices
                .iter()
                .position(|c| {
                    fold(&c.value) == folded
                        || c.label.as_deref().is_some_and(|l| fold(l) == folded)
                })
                .map(Value::Choice)
                .ok_or_else(|| {
                    let names: Vec<String> =
                        choices.iter().map(|c| format!("\"{}\"", c.value)).collect();
                    let names = names.join(", ");
                    ValueError::new(tr!("one of {names}", "một trong các giá trị {names}")).help(
                        tr!(
                            "a choice's value or its label, as the criteria set writes them",
                            "giá trị hoặc nhãn của một lựa chọn, đúng như bộ tiêu chí ghi"
                        ),
                    )
                }),
            Rule::Bands { .. } => measure(text).ok_or_else(|| {
                ValueError::new(tr!(
                    "a number, a percent (94%) or a fraction (47/50)",
                    "một số, một tỷ lệ phần trăm (94%) hoặc một phân số (47/50)"
                ))
            }),
            Rule::Ratio { .. } => match measure(text) {
                Some(Value::Number(v)) if text.trim_end().ends_with('%') => {
                    Ok(Value::Number(v / Decimal::ONE_HUNDRED))
                }
                Some(Value::Number(v)) if v > Decimal::ONE => {
                    Err(ValueError::new(a_rate()).help(tr!(
                        "write {v}% for a percent, or the fraction it comes from",
                        "hãy viết {v}% nếu là phần trăm, hoặc viết phân số tạo ra nó"
                    )))
                }
                Some(v) => Ok(v),
                None => Err(ValueError::new(a_rate())),
            },
            Rule::PerItem { .. } => match number(text) {
                Some(n) if n >= Decimal::ZERO && n.fract().is_zero() => Ok(Value::Number(n)),
                _ => Err(ValueError::new(tr!(
                    "a count: a whole number, 0 or more",
                    "một số đếm: số nguyên từ 0 trở lên"
                ))),
            },
        }
    }
}

/// A value read that is likely not what was meant: it is scored as read, with a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doubt {
    /// A plain number between 0 and 1 on bands that go above 1 (`0,85` where the bands
    /// are 90, 70, 0): a share typed for a percent. `top` is the largest bound.
    LooksLikeFraction { read: Decimal, top: Decimal },
    /// More than 100% on bands of percents (none above 100): a part larger than its
    /// whole (`21/20`), or, where higher is better, a figure above 100.
    AboveWhole { percent: Decimal, fraction: bool, top: Decimal },
}

impl Value {
    /// Whether the value, read from `text` for a leaf with `rule`, is likely a slip.
    /// Cheap: a few comparisons, and none but on `bands` leaves.
    pub fn doubt(&self, text: &str, rule: &Rule) -> Option<Doubt> {
        let Rule::Bands { bands, lower_is_better } = rule else { return None };
        let top = bands.iter().filter_map(|b| b.limit).max()?;
        let percents = top > Decimal::ONE && top <= Decimal::ONE_HUNDRED;
        match *self {
            Value::Number(n)
                if n > Decimal::ZERO
                    && n < Decimal::ONE
                    && top > Decimal::ONE
                    && !text.trim_end().ends_with('%') =>
            {
                Some(Doubt::LooksLikeFraction { read: n, top })
            }
            Value::Number(n) if percents && !lower_is_better && n > Decimal::ONE_HUNDRED => {
                Some(Doubt::AboveWhole { percent: n, fraction: false, top })
            }
            Value::Fraction(a, b) if percents && !b.is_zero() && a > b => Some(Doubt::AboveWhole {
                // Counts of 28 digits times 100 do not fit: their share is enough.
                percent: a
                    .checked_mul(Decimal::ONE_HUNDRED)
                    .and_then(|x| x.checked_div(b))
                    .unwrap_or_else(|| (a / b).saturating_mul(Decimal::ONE_HUNDRED)),
                fraction: true,
                top,
            }),
            _ => None,
        }
    }
}

/// Why a leaf refuses a value it could read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// `a/0` on a leaf that does not allow "not applicable".
    DividesByZero,
    /// "Not applicable" on a leaf that does not allow it.
    NaNotAllowed,
}

impl Value {
    /// The value as `leaf` takes it: with nothing to count (`a/0`) the item is not
    /// applicable, where the leaf allows that.
    pub fn for_leaf(self, leaf: &Leaf) -> Result<Value, Refused> {
        match self {
            Value::Fraction(_, b) if b.is_zero() && leaf.na.is_some() => Ok(Value::Na),
            Value::Fraction(_, b) if b.is_zero() => Err(Refused::DividesByZero),
            Value::Na if leaf.na.is_none() => Err(Refused::NaNotAllowed),
            v => Ok(v),
        }
    }

    /// The value of text typed exactly as expected: a number on a numeric leaf, a yes or
    /// no word or a choice's value in lower case. `None` sends the text the long way.
    fn as_typed(t: &str, leaf: &Leaf) -> Option<Value> {
        match &leaf.rule {
            Rule::YesNo => {
                if YES.contains(&t) {
                    Some(Value::Yes(true))
                } else if NO.contains(&t) {
                    Some(Value::Yes(false))
                } else {
                    None
                }
            }
            Rule::Choice { choices } => {
                choices.iter().position(|c| c.value == t).map(Value::Choice)
            }
            Rule::Points { .. }
            | Rule::PerItem { .. }
            | Rule::Bands { .. }
            | Rule::Ratio { .. } => {
                // Plain digits and one point: the common case, read without folding.
                let plain = |t: &str| {
                    !t.is_empty()
                        && t.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                        && t.bytes().filter(|&b| b == b'.').count() <= 1
                };
                // And a plain fraction (`47/50`), as counts are given.
                if let Some((a, b)) = t.split_once('/')
                    && matches!(leaf.rule, Rule::Bands { .. } | Rule::Ratio { .. })
                {
                    // A count in digits alone is of any size (see `part`); a figure with a
                    // point is held to the figures' limit.
                    let count = |t: &str| {
                        Decimal::from_str_exact(t)
                            .ok()
                            .filter(|n| !t.contains('.') || n.abs() <= crate::read::number::LIMIT)
                    };
                    return (plain(a) && plain(b))
                        .then(|| Some(Value::Fraction(count(a)?, count(b)?)))
                        .flatten();
                }
                if !plain(t) {
                    return None;
                }
                let n = Decimal::from_str_exact(t).ok()?;
                match &leaf.rule {
                    // Ranges, steps and shares are checked the long way.
                    Rule::Points { .. } | Rule::Ratio { .. } => None,
                    Rule::PerItem { .. } if !n.fract().is_zero() => None,
                    _ => (n.abs() <= crate::read::number::LIMIT).then_some(Value::Number(n)),
                }
            }
        }
    }
}

/// A number as people type it: `0.5`, `0,5`, ` 12 `; never a float, nor `1_000`.
pub(crate) fn number(text: &str) -> Option<Decimal> {
    let t = text.trim();
    if t.is_empty() || t.contains(['e', 'E', '_']) {
        return None;
    }
    let t = match (t.contains(','), t.contains('.')) {
        // A decimal comma, as Vietnamese settings write it.
        (true, false) if t.matches(',').count() == 1 => t.replace(',', "."),
        _ => t.to_string(),
    };
    Decimal::from_str_exact(&t).ok().filter(|d| d.abs() <= crate::read::number::LIMIT)
}

/// What to write instead of text that looks like a number but is refused as one: `NaN`,
/// `inf`, `1e309`, `-1`, `1.000,5`, fifty digits. `None` for text that is no number.
fn number_help(text: &str) -> Option<Text> {
    let t = text.trim();
    let unsigned = t.trim_start_matches(['+', '-']);
    if ["nan", "inf", "infinity", "∞"].contains(&unsigned.to_lowercase().as_str()) {
        return Some(tr!(
            "write the figure itself: NaN and infinity are not values",
            "hãy viết chính số liệu: NaN và vô cực không phải là giá trị"
        ));
    }
    let body = unsigned.trim_end_matches('%').trim_end();
    let numeric = |c: char| c.is_ascii_digit() || ".,eE+-_ ".contains(c);
    if !body.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == ',')
        || !body.chars().all(numeric)
    {
        return None;
    }
    if body.contains(['e', 'E']) {
        return Some(tr!(
            "write the number in full, without an exponent (e)",
            "hãy viết số đầy đủ, không dùng số mũ (e)"
        ));
    }
    if body.contains(['_', ' ']) || body.matches(['.', ',']).count() > 1 {
        return Some(tr!(
            "write the number without a thousands separator, with one decimal point or comma: 1000.5 or 1000,5",
            "hãy viết số không có dấu phân cách hàng nghìn, với một dấu chấm hoặc một dấu phẩy thập phân: 1000.5 hoặc 1000,5"
        ));
    }
    let plain = body.replace(',', ".");
    let whole = plain.split('.').next().unwrap_or("").trim_start_matches('0');
    let limit = crate::read::number::LIMIT;
    let too_large = || tr!("figures are at most {limit}", "số liệu tối đa là {limit}");
    match Decimal::from_str_exact(&plain) {
        _ if whole.len() > 10 => Some(too_large()),
        Err(_) => Some(tr!(
            "round it: a figure has at most 28 digits",
            "hãy làm tròn: một số liệu có tối đa 28 chữ số"
        )),
        Ok(n) if n > limit => Some(too_large()),
        Ok(n) if t.starts_with('-') && !n.is_zero() => {
            Some(tr!("a value cannot be below 0", "giá trị không thể nhỏ hơn 0"))
        }
        Ok(_) => None,
    }
}

/// `100·a/b` as a percent for messages: `125%`, `133.33%`.
fn percent(a: Decimal, b: Decimal) -> String {
    let p = a.checked_mul(Decimal::ONE_HUNDRED).and_then(|x| x.checked_div(b));
    shown_percent(p.unwrap_or_else(|| {
        a.checked_div(b).unwrap_or_default().saturating_mul(Decimal::ONE_HUNDRED)
    }))
}

/// A percent for messages, to two places at most: `125%`, `133.33%`.
pub(crate) fn shown_percent(p: Decimal) -> String {
    let p = p
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    format!("{p}%")
}

/// Whether both figures of a fraction as typed (`47/50`) are counts: digits alone.
fn counts(text: &str) -> bool {
    let count = |s: &str| {
        let s = s.trim();
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
    };
    text.split_once('/').is_some_and(|(a, b)| count(a) && count(b))
}

/// A whole number written with thousands separators (`1.234`, `1,234`, `12.345.678`),
/// without them (`1234`); `None` for anything else.
fn whole_with_separators(text: &str) -> Option<String> {
    let t = text.trim();
    let sep = t.chars().find(|c| matches!(c, '.' | ',' | ' '))?;
    let mut groups = t.split(sep);
    let first = groups.next()?;
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let rest: Vec<&str> = groups.collect();
    (digits(first) && first.len() <= 3 && rest.iter().all(|g| g.len() == 3 && digits(g)))
        .then(|| std::iter::once(first).chain(rest).collect())
}

/// A count in a fraction, in digits alone: of any size a decimal holds exactly (28
/// digits), as the one-stop-shop systems count dossiers nationwide.
fn part(text: &str) -> Option<Decimal> {
    let t = text.trim();
    (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
        .then(|| Decimal::from_str_exact(t).ok())
        .flatten()
}

/// A measured quantity: a plain number, a percent (`94%` reads as 94), or a fraction.
fn measure(text: &str) -> Option<Value> {
    let t = text.trim();
    if let Some(p) = t.strip_suffix('%') {
        return number(p).filter(|n| *n >= Decimal::ZERO).map(Value::Number);
    }
    if let Some((a, b)) = t.split_once('/') {
        let (a, b) = (part(a).or_else(|| number(a))?, part(b).or_else(|| number(b))?);
        return (a >= Decimal::ZERO && b >= Decimal::ZERO).then_some(Value::Fraction(a, b));
    }
    number(t).filter(|n| *n >= Decimal::ZERO).map(Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::criteria::Source;
    use crate::model::rule::Choice;

    fn leaf(rule: Rule) -> Leaf {
        Leaf { rule, na: None, source: Source::Assessment, evidence: false, compute: None }
    }

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn yes_and_no_in_both_languages() {
        let l = leaf(Rule::YesNo);
        for yes in ["Có", "co", "ĐẠT", "x", "1", "Yes", "TRUE"] {
            assert_eq!(Value::parse(yes, &l, Decimal::ONE), Ok(Value::Yes(true)), "{yes}");
        }
        for no in ["Không", "không  đạt", "0", "no"] {
            assert_eq!(Value::parse(no, &l, Decimal::ONE), Ok(Value::Yes(false)), "{no}");
        }
        assert!(Value::parse("có lẽ", &l, Decimal::ONE).is_err());
        assert_eq!(Value::parse("Không phát sinh", &l, Decimal::ONE), Ok(Value::Na));
    }

    #[test]
    fn points_take_decimal_commas_within_max_and_step() {
        let l = leaf(Rule::Points { step: Some(dec("0.25")) });
        assert_eq!(Value::parse("0,75", &l, dec("2")), Ok(Value::Number(dec("0.75"))));
        assert!(Value::parse("0,8", &l, dec("2")).is_err());
        assert!(Value::parse("2.5", &l, dec("2")).is_err());
        assert!(Value::parse("-1", &l, dec("2")).is_err());
        assert!(Value::parse("1e1", &l, dec("20")).is_err());
    }

    #[test]
    fn numbers_refused_say_what_to_write() {
        let bands = leaf(Rule::Bands { bands: vec![], lower_is_better: false });
        let help = |t: &str| Value::parse(t, &bands, dec("2")).unwrap_err().help.unwrap().en;
        assert!(help("NaN").contains("NaN and infinity"));
        assert!(help("-inf").contains("NaN and infinity"));
        assert!(help("1e309").contains("without an exponent"));
        assert!(help("-1").contains("below 0"));
        assert!(help("-0,5").contains("below 0"));
        assert!(help("1.000,5").contains("thousands separator"));
        assert!(help("1_000").contains("thousands separator"));
        assert!(help("1 000").contains("thousands separator"));
        assert!(help(&"9".repeat(50)).contains("at most 1000000000"));
        assert!(help(&format!("0.{}", "1".repeat(50))).contains("28 digits"));
        // 0,5 and 0.5 are both one half, in one file or not.
        assert_eq!(Value::parse("0,5", &bands, dec("2")), Value::parse("0.5", &bands, dec("2")));
        assert_eq!(number("1_000"), None);
    }

    #[test]
    fn choices_match_value_or_label_in_any_case_and_encoding() {
        let choices = vec![
            Choice {
                value: "kip-thoi".into(),
                label: Some("Ban hành kịp thời".into()),
                points: Decimal::ONE,
            },
            Choice {
                value: "khong".into(),
                label: Some("Không ban hành".into()),
                points: Decimal::ZERO,
            },
        ];
        let l = leaf(Rule::Choice { choices });
        assert_eq!(Value::parse("KIP-THOI", &l, Decimal::ONE), Ok(Value::Choice(0)));
        let nfd = "ban ha\u{300}nh ki\u{323}p tho\u{31b}\u{300}i";
        assert_eq!(Value::parse(nfd, &l, Decimal::ONE), Ok(Value::Choice(0)));
        assert_eq!(Value::parse("Không  ban hành", &l, Decimal::ONE), Ok(Value::Choice(1)));
        let err = Value::parse("muộn", &l, Decimal::ONE).unwrap_err();
        assert_eq!(err.expected.en, "one of \"kip-thoi\", \"khong\"");
        assert_eq!(err.expected.vi, "một trong các giá trị \"kip-thoi\", \"khong\"");
    }

    #[test]
    fn ratios_read_fractions_shares_and_percents() {
        let l = leaf(Rule::Ratio { full_at: None, zero_at: None });
        assert_eq!(Value::parse("47/50", &l, dec("2")), Ok(Value::Fraction(dec("47"), dec("50"))));
        assert_eq!(Value::parse("0,94", &l, dec("2")), Ok(Value::Number(dec("0.94"))));
        assert_eq!(Value::parse("94%", &l, dec("2")), Ok(Value::Number(dec("0.94"))));
        assert!(Value::parse("94", &l, dec("2")).unwrap_err().help.unwrap().en.contains("94%"));
        let bands = leaf(Rule::Bands { bands: vec![], lower_is_better: false });
        assert_eq!(Value::parse("94 %", &bands, dec("2")), Ok(Value::Number(dec("94"))));
        let items = leaf(Rule::PerItem { per: dec("0.25") });
        assert_eq!(Value::parse("3", &items, dec("1")), Ok(Value::Number(dec("3"))));
        assert!(Value::parse("1,5", &items, dec("1")).is_err());
    }

    // `5/0` is no count; only `0/0` says there was nothing to count.
    #[test]
    fn a_count_of_nothing_is_refused_and_nothing_of_nothing_is_not() {
        for rule in [
            Rule::Ratio { full_at: None, zero_at: None },
            Rule::Bands { bands: vec![], lower_is_better: false },
        ] {
            let l = Leaf { na: Some(crate::model::criteria::NaPolicy::Full), ..leaf(rule) };
            let e = Value::parse("5/0", &l, dec("2")).unwrap_err();
            let (says, label) = *e.problem.unwrap();
            assert_eq!(
                says.en,
                "\"5/0\": 5 of 0 cannot be: the denominator is 0 but the numerator is not"
            );
            assert_eq!(
                says.vi,
                "\"5/0\": không thể có 5 trên 0: mẫu số bằng 0 nhưng tử số thì không"
            );
            assert_eq!((label.en.as_str(), label.vi.as_str()), ("5 of 0", "5 trên 0"));
            assert_eq!(Value::parse("0/0", &l, dec("2")).unwrap().for_leaf(&l), Ok(Value::Na));
        }
    }

    // A rate above 100% was clamped to full marks.
    #[test]
    fn a_rate_above_the_whole_is_refused() {
        let l = leaf(Rule::Ratio { full_at: None, zero_at: None });
        let says = |t: &str| Value::parse(t, &l, dec("2")).unwrap_err().problem.unwrap().0.en;
        assert_eq!(says("50/40"), "a rate cannot be above 100%: \"50/40\" is 125%");
        assert_eq!(says("21/20"), "a rate cannot be above 100%: \"21/20\" is 105%");
        assert_eq!(says("4/3"), "a rate cannot be above 100%: \"4/3\" is 133.33%");
        assert_eq!(says("120%"), "a rate cannot be above 100%: \"120%\"");
        assert!(Value::parse("1.2", &l, dec("2")).is_err());
        assert_eq!(Value::parse("40/40", &l, dec("2")), Ok(Value::Fraction(dec("40"), dec("40"))));
        assert_eq!(Value::parse("100%", &l, dec("2")), Ok(Value::Number(dec("1"))));
    }

    // Counts as the national systems give them (ten digits and more) stay exact.
    #[test]
    fn counts_of_any_size_are_read_exactly() {
        let l = leaf(Rule::Ratio { full_at: None, zero_at: None });
        let bands = leaf(Rule::Bands { bands: vec![], lower_is_better: false });
        for (text, leaf) in [("1497954127/2244992500", &l), (" 1497954127 / 2244992500 ", &bands)] {
            assert_eq!(
                Value::parse(text, leaf, dec("2")),
                Ok(Value::Fraction(dec("1497954127"), dec("2244992500"))),
                "{text}"
            );
        }
        let huge = "1234567890123456789012345/9234567890123456789012345";
        assert!(matches!(Value::parse(huge, &l, dec("2")), Ok(Value::Fraction(..))));
        // A plain number is still held to the figures' limit.
        assert!(
            Value::parse("1497954127", &leaf(Rule::PerItem { per: dec("1") }), dec("2")).is_err()
        );
    }

    // `1.234/980` was read as 1.234 of 980.
    #[test]
    fn counts_in_a_fraction_are_whole_numbers() {
        let l = leaf(Rule::Ratio { full_at: None, zero_at: None });
        let bands = leaf(Rule::Bands { bands: vec![], lower_is_better: false });
        let help = |t: &str, l: &Leaf| Value::parse(t, l, dec("2")).unwrap_err().help.unwrap().en;
        assert_eq!(
            help("1.234/1980", &l),
            "counts are whole numbers: write 1234/1980 without a thousands separator"
        );
        assert_eq!(
            help("1,234/1.980", &bands),
            "counts are whole numbers: write 1234/1980 without a thousands separator"
        );
        assert!(help("1.5/2", &l).starts_with("counts are whole numbers: write the number done"));
        // A thousands separator that leaves a whole number is refused all the same.
        assert_eq!(
            help("1.000/1250", &l),
            "counts are whole numbers: write 1000/1250 without a thousands separator"
        );
        assert!(help("1.5/1.234", &l).starts_with("counts are whole numbers: write the number"));
        assert_eq!(
            Value::parse(" 47 / 50 ", &l, dec("2")),
            Ok(Value::Fraction(dec("47"), dec("50")))
        );
        assert_eq!(whole_with_separators("12.345.678"), Some("12345678".into()));
        assert_eq!(whole_with_separators("1.5"), None);
        assert_eq!(whole_with_separators("1234.567"), None);
    }

    #[test]
    fn slips_on_bands_of_percents_are_doubted() {
        use crate::model::rule::Band;
        let band = |limit: &str| Band { limit: Some(dec(limit)), strict: false, points: dec("1") };
        let rule = Rule::Bands { bands: vec![band("90"), band("0")], lower_is_better: false };
        let doubt =
            |t: &str| Value::parse(t, &leaf(rule.clone()), dec("2")).unwrap().doubt(t, &rule);
        assert_eq!(
            doubt("0,95"),
            Some(Doubt::LooksLikeFraction { read: dec("0.95"), top: dec("90") })
        );
        assert_eq!(doubt("0.95%"), None);
        assert_eq!(doubt("95%"), None);
        assert_eq!(doubt("1"), None);
        assert_eq!(doubt("0"), None);
        assert!(matches!(doubt("21/20"), Some(Doubt::AboveWhole { fraction: true, .. })));
        assert!(matches!(doubt("150"), Some(Doubt::AboveWhole { fraction: false, .. })));
        assert_eq!(doubt("20/20"), None);
        // Counts of late reports: lower is better, and above 100 is no slip.
        let late = Rule::Bands { bands: vec![band("0"), band("3")], lower_is_better: true };
        assert_eq!(Value::Number(dec("150")).doubt("150", &late), None);
        // Bands that go above 100 count something else than percents.
        let days = Rule::Bands { bands: vec![band("200"), band("0")], lower_is_better: false };
        assert_eq!(Value::Fraction(dec("3"), dec("2")).doubt("3/2", &days), None);
    }

    #[test]
    fn values_typed_as_expected_read_as_the_long_way_reads_them() {
        let rules = [
            Rule::YesNo,
            Rule::Points { step: Some(dec("0.25")) },
            Rule::Ratio { full_at: None, zero_at: None },
            Rule::Bands { bands: vec![], lower_is_better: false },
            Rule::PerItem { per: dec("0.25") },
        ];
        let texts = [
            "0",
            "1",
            "1.5",
            "2.25",
            "47/50",
            "50/50",
            "0/0",
            "3/0",
            "1.5/2",
            "47/",
            "/50",
            "4/5/6",
            "1..2",
            ".5",
            "5.",
            "007",
            "có",
            "không",
            "94%",
            "1e3",
            "",
            "99999999999999999999999999999/1",
        ];
        for rule in rules {
            let l = leaf(rule);
            for t in texts {
                if let Some(v) = Value::as_typed(t, &l) {
                    assert_eq!(
                        Value::parse_folded(t, &l, dec("100")),
                        Ok(v),
                        "{t} on {:?}",
                        l.rule
                    );
                }
            }
        }
    }
}
