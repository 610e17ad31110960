//! A cell's value, read from the text people type straight into the form its leaf's rule
//! needs: `có`, `0,5`, `94%`, `47/50`, a choice's label, `không phát sinh`.

use rust_decimal::Decimal;

use crate::model::criteria::Leaf;
use crate::model::rule::Rule;
use crate::model::value::Value;
use crate::text::{fold, is_na_word};

/// Why a text cannot be a leaf's value: what was expected, and a hint where one helps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError {
    pub expected: String,
    pub help: Option<String>,
}

impl ValueError {
    fn new(expected: impl Into<String>) -> Self {
        Self { expected: expected.into(), help: None }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
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
        if let Some(v) = Self::as_typed(t, leaf) {
            return Ok(v);
        }
        Self::parse_folded(text, leaf, max).map_err(|e| match (&leaf.rule, e.help) {
            (Rule::YesNo | Rule::Choice { .. }, help) | (_, help @ Some(_)) => {
                ValueError { help, ..e }
            }
            (_, None) => ValueError { help: number_help(text), ..e },
        })
    }

    /// [`Value::parse`] the long way, for any spelling.
    fn parse_folded(text: &str, leaf: &Leaf, max: Decimal) -> Result<Value, ValueError> {
        let folded = fold(text);
        if is_na_word(&folded) {
            return Ok(Value::Na);
        }
        match &leaf.rule {
            Rule::Points { step } => {
                let v = number(text).ok_or_else(|| ValueError::new("a number of points"))?;
                if v < Decimal::ZERO || v > max {
                    return Err(ValueError::new(format!("points from 0 to {max}")));
                }
                if let Some(step) = step
                    && !crate::read::number::is_multiple(v, *step)
                {
                    return Err(ValueError::new(format!("a multiple of {step} points")));
                }
                Ok(Value::Number(v))
            }
            Rule::YesNo => {
                if YES.contains(&folded.as_str()) {
                    Ok(Value::Yes(true))
                } else if NO.contains(&folded.as_str()) {
                    Ok(Value::Yes(false))
                } else {
                    Err(ValueError::new("yes or no (có/không, đạt/không đạt, x, 1/0)"))
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
                    ValueError::new(format!("one of {}", names.join(", ")))
                        .help("a choice's value or its label, as the criteria set writes them")
                }),
            Rule::Bands { .. } => measure(text)
                .ok_or_else(|| ValueError::new("a number, a percent (94%) or a fraction (47/50)")),
            Rule::Ratio { .. } => match measure(text) {
                Some(Value::Number(v)) if text.trim_end().ends_with('%') => {
                    Ok(Value::Number(v / Decimal::ONE_HUNDRED))
                }
                Some(Value::Number(v)) if v > Decimal::ONE => Err(ValueError::new(
                    "a fraction (47/50), a number from 0 to 1, or a percent (94%)",
                )
                .help(format!("write {v}% for a percent, or the fraction it comes from"))),
                Some(v) => Ok(v),
                None => Err(ValueError::new(
                    "a fraction (47/50), a number from 0 to 1, or a percent (94%)",
                )),
            },
            Rule::PerItem { .. } => match number(text) {
                Some(n) if n >= Decimal::ZERO && n.fract().is_zero() => Ok(Value::Number(n)),
                _ => Err(ValueError::new("a count: a whole number, 0 or more")),
            },
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
                let small = |t: &str| {
                    Decimal::from_str_exact(t)
                        .ok()
                        .filter(|n| n.abs() <= crate::read::number::LIMIT)
                };
                // And a plain fraction (`47/50`), as counts are given.
                if let Some((a, b)) = t.split_once('/')
                    && matches!(leaf.rule, Rule::Bands { .. } | Rule::Ratio { .. })
                {
                    return (plain(a) && plain(b))
                        .then(|| Some(Value::Fraction(small(a)?, small(b)?)))
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
pub fn number(text: &str) -> Option<Decimal> {
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
fn number_help(text: &str) -> Option<String> {
    let t = text.trim();
    let unsigned = t.trim_start_matches(['+', '-']);
    if ["nan", "inf", "infinity", "∞"].contains(&unsigned.to_lowercase().as_str()) {
        return Some("write the figure itself: NaN and infinity are not values".into());
    }
    let body = unsigned.trim_end_matches('%').trim_end();
    let numeric = |c: char| c.is_ascii_digit() || ".,eE+-_ ".contains(c);
    if !body.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == ',')
        || !body.chars().all(numeric)
    {
        return None;
    }
    if body.contains(['e', 'E']) {
        return Some("write the number in full, without an exponent (e)".into());
    }
    if body.contains(['_', ' ']) || body.matches(['.', ',']).count() > 1 {
        return Some(
            "write the number without a thousands separator, with one decimal point or comma: 1000.5 or 1000,5"
                .into(),
        );
    }
    let plain = body.replace(',', ".");
    let whole = plain.split('.').next().unwrap_or("").trim_start_matches('0');
    match Decimal::from_str_exact(&plain) {
        _ if whole.len() > 10 => {
            Some(format!("figures are at most {}", crate::read::number::LIMIT))
        }
        Err(_) => Some("round it: a figure has at most 28 digits".into()),
        Ok(n) if n > crate::read::number::LIMIT => {
            Some(format!("figures are at most {}", crate::read::number::LIMIT))
        }
        Ok(n) if t.starts_with('-') && !n.is_zero() => Some("a value cannot be below 0".into()),
        Ok(_) => None,
    }
}

/// A measured quantity: a plain number, a percent (`94%` reads as 94), or a fraction.
fn measure(text: &str) -> Option<Value> {
    let t = text.trim();
    if let Some(p) = t.strip_suffix('%') {
        return number(p).filter(|n| *n >= Decimal::ZERO).map(Value::Number);
    }
    if let Some((a, b)) = t.split_once('/') {
        let (a, b) = (number(a)?, number(b)?);
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
        Leaf { rule, na: None, source: Source::Assessment, evidence: false }
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
        let help = |t: &str| Value::parse(t, &bands, dec("2")).unwrap_err().help.unwrap();
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
        assert_eq!(err.expected, "one of \"kip-thoi\", \"khong\"");
    }

    #[test]
    fn ratios_read_fractions_shares_and_percents() {
        let l = leaf(Rule::Ratio { full_at: None, zero_at: None });
        assert_eq!(Value::parse("47/50", &l, dec("2")), Ok(Value::Fraction(dec("47"), dec("50"))));
        assert_eq!(Value::parse("0,94", &l, dec("2")), Ok(Value::Number(dec("0.94"))));
        assert_eq!(Value::parse("94%", &l, dec("2")), Ok(Value::Number(dec("0.94"))));
        assert!(Value::parse("94", &l, dec("2")).unwrap_err().help.unwrap().contains("94%"));
        let bands = leaf(Rule::Bands { bands: vec![], lower_is_better: false });
        assert_eq!(Value::parse("94 %", &bands, dec("2")), Ok(Value::Number(dec("94"))));
        let items = leaf(Rule::PerItem { per: dec("0.25") });
        assert_eq!(Value::parse("3", &items, dec("1")), Ok(Value::Number(dec("3"))));
        assert!(Value::parse("1,5", &items, dec("1")).is_err());
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
