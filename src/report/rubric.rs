//! A leaf's rule in words: how it is scored, what may be typed, and what earns its max —
//! for the template an agency fills in and for "where to gain" in `explain`.

use rust_decimal::Decimal;

use super::Lang;
use crate::model::criteria::{Leaf, NaPolicy};
use crate::model::rule::{Band, Choice, Rule};
use crate::text::fold;

/// A number as the language writes it: `0,5` in Vietnamese, `0.5` in English.
pub(crate) fn num(value: Decimal, lang: Lang) -> String {
    let v = value.normalize().to_string();
    match lang {
        Lang::Vi => v.replace('.', ","),
        Lang::En => v,
    }
}

fn percent(ratio: Decimal, lang: Lang) -> String {
    format!("{}%", num(ratio * Decimal::ONE_HUNDRED, lang))
}

fn band(b: &Band, lower_is_better: bool, lang: Lang) -> String {
    let Some(limit) = b.limit else {
        return match lang {
            Lang::Vi => "còn lại".into(),
            Lang::En => "otherwise".into(),
        };
    };
    let sign = match (lower_is_better, b.strict) {
        (false, false) => "≥",
        (false, true) => ">",
        (true, false) => "≤",
        (true, true) => "<",
    };
    format!("{sign} {}", num(limit, lang))
}

/// How the leaf turns a value into points; on a deduction node, the points it takes off.
pub(crate) fn in_words(rule: &Rule, max: Decimal, deduction: bool, lang: Lang) -> String {
    let m = num(max, lang);
    let vi = lang == Lang::Vi;
    match rule {
        Rule::Points { step } => match (step, vi) {
            (Some(s), true) => format!("Chấm điểm từ 0 đến {m}, bước {}", num(*s, lang)),
            (None, true) => format!("Chấm điểm từ 0 đến {m}"),
            (Some(s), false) => format!("Points from 0 to {m} in steps of {}", num(*s, lang)),
            (None, false) => format!("Points from 0 to {m}"),
        },
        Rule::YesNo if vi => format!("Có → {m}; không → 0"),
        Rule::YesNo => format!("Yes → {m}; no → 0"),
        Rule::Choice { choices } => {
            let each: Vec<String> = choices
                .iter()
                .map(|c| {
                    format!("{} → {}", c.label.as_deref().unwrap_or(&c.value), num(c.points, lang))
                })
                .collect();
            each.join("; ")
        }
        Rule::Bands { bands, lower_is_better } => {
            let each: Vec<String> = bands
                .iter()
                .map(|b| format!("{} → {}", band(b, *lower_is_better, lang), num(b.points, lang)))
                .collect();
            each.join("; ")
        }
        Rule::Ratio { full_at, zero_at } => {
            let mut parts =
                vec![if vi { format!("Tỷ lệ × {m}") } else { format!("Ratio × {m}") }];
            if let Some(f) = full_at {
                let at = percent(*f, lang);
                parts.push(if vi {
                    format!("từ {at} đạt tối đa")
                } else {
                    format!("full from {at}")
                });
            }
            if let Some(z) = zero_at {
                let at = percent(*z, lang);
                parts.push(if vi {
                    format!("từ {at} trở xuống 0")
                } else {
                    format!("0 at or below {at}")
                });
            }
            parts.join("; ")
        }
        // On a deduction node the count is what is taken off, up to the node's max.
        Rule::PerItem { per } if deduction && vi => {
            format!("Trừ {} cho mỗi trường hợp, tối đa {m}", num(*per, lang))
        }
        Rule::PerItem { per } if deduction => {
            format!("{} taken off per item, at most {m}", num(*per, lang))
        }
        Rule::PerItem { per } if vi => format!("{m} trừ {} cho mỗi trường hợp", num(*per, lang)),
        Rule::PerItem { per } => format!("{m} less {} per item", num(*per, lang)),
    }
}

/// What an agency picks for each choice: its label ("Ban hành kịp thời"), which `score`
/// reads back as the choice, unless the choice has none, or its label reads as another
/// choice's value or label (the reader would take that other choice); then its value.
pub(crate) fn answers(choices: &[Choice]) -> Vec<&str> {
    choices
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let Some(label) = c.label.as_deref() else { return c.value.as_str() };
            let folded = fold(label);
            let taken = choices.iter().enumerate().any(|(j, o)| {
                j != i
                    && (fold(&o.value) == folded
                        || o.label.as_deref().is_some_and(|l| fold(l) == folded))
            });
            if taken || folded.is_empty() { c.value.as_str() } else { label }
        })
        .collect()
}

/// What may be typed in the value column.
pub(crate) fn allowed(leaf: &Leaf, max: Decimal, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    let mut text = match &leaf.rule {
        Rule::Points { .. } => format!("0 … {}", num(max, lang)),
        Rule::YesNo => if vi { "có | không" } else { "có | không (yes | no)" }.to_string(),
        Rule::Choice { choices } => answers(choices).join(" | "),
        Rule::Bands { .. } => if vi {
            "số, phần trăm (94%) hoặc phân số (47/50)"
        } else {
            "a number, a percent (94%) or a fraction (47/50)"
        }
        .into(),
        Rule::Ratio { .. } => if vi {
            "phân số (47/50), tỷ lệ 0–1 hoặc phần trăm (94%)"
        } else {
            "a fraction (47/50), a share 0–1 or a percent (94%)"
        }
        .into(),
        Rule::PerItem { .. } => {
            if vi { "số trường hợp: 0, 1, 2 …" } else { "a count: 0, 1, 2 …" }.into()
        }
    };
    if let Some(policy) = leaf.na {
        text.push_str(match (policy, vi) {
            (NaPolicy::Exclude, true) => " | không phát sinh (không tính)",
            (NaPolicy::Full, true) => " | không phát sinh (tính điểm tối đa)",
            (NaPolicy::Exclude, false) => " | không phát sinh (not applicable: left out)",
            (NaPolicy::Full, false) => " | không phát sinh (not applicable: full marks)",
        });
    }
    text
}

/// What value earns the leaf its max (for a deduction: what avoids it).
pub(crate) fn full_marks(rule: &Rule, max: Decimal, deduction: bool, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    let m = num(max, lang);
    if deduction {
        return if vi {
            "không để xảy ra → không bị trừ".into()
        } else {
            "none → nothing taken off".into()
        };
    }
    match rule {
        Rule::Points { .. } => {
            if vi {
                format!("đạt {m} điểm")
            } else {
                format!("score {m}")
            }
        }
        Rule::YesNo => {
            if vi {
                format!("có / đạt → {m}")
            } else {
                format!("yes → {m}")
            }
        }
        Rule::Choice { choices } => choices
            .iter()
            .max_by_key(|c| c.points)
            .map(|c| {
                format!("{} → {}", c.label.as_deref().unwrap_or(&c.value), num(c.points, lang))
            })
            .unwrap_or_default(),
        Rule::Bands { bands, lower_is_better } => bands
            .iter()
            .max_by_key(|b| b.points)
            .map(|b| format!("{} → {}", band(b, *lower_is_better, lang), num(b.points, lang)))
            .unwrap_or_default(),
        Rule::Ratio { full_at, .. } => {
            let at = percent(full_at.unwrap_or(Decimal::ONE), lang);
            if vi {
                format!("tỷ lệ từ {at} → {m}")
            } else {
                format!("a ratio of {at} or more → {m}")
            }
        }
        Rule::PerItem { .. } => {
            if vi {
                format!("0 trường hợp → {m}")
            } else {
                format!("no items → {m}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn rules_read_as_a_rubric_says_them() {
        let bands = Rule::Bands {
            bands: vec![
                Band { limit: Some(dec("90")), strict: true, points: dec("2") },
                Band { limit: Some(dec("70")), strict: false, points: dec("1") },
                Band { limit: Some(dec("0")), strict: false, points: dec("0") },
            ],
            lower_is_better: false,
        };
        assert_eq!(in_words(&bands, dec("2"), false, Lang::Vi), "> 90 → 2; ≥ 70 → 1; ≥ 0 → 0");
        assert_eq!(full_marks(&bands, dec("2"), false, Lang::En), "> 90 → 2");
        let ratio = Rule::Ratio { full_at: Some(dec("0.8")), zero_at: Some(dec("0.2")) };
        assert_eq!(
            in_words(&ratio, dec("1.5"), false, Lang::Vi),
            "Tỷ lệ × 1,5; từ 80% đạt tối đa; từ 20% trở xuống 0"
        );
        let choice = Rule::Choice {
            choices: vec![
                Choice {
                    value: "kip-thoi".into(),
                    label: Some("Ban hành kịp thời".into()),
                    points: dec("1"),
                },
                Choice { value: "khong".into(), label: None, points: dec("0") },
            ],
        };
        assert_eq!(full_marks(&choice, dec("1"), false, Lang::Vi), "Ban hành kịp thời → 1");
        assert_eq!(
            in_words(&Rule::PerItem { per: dec("0.25") }, dec("1"), false, Lang::Vi),
            "1 trừ 0,25 cho mỗi trường hợp"
        );
        // A deduction node takes the count off: not "2 trừ 1", which reads as 1 left.
        assert_eq!(
            in_words(&Rule::PerItem { per: dec("1") }, dec("2"), true, Lang::Vi),
            "Trừ 1 cho mỗi trường hợp, tối đa 2"
        );
    }

    #[test]
    fn answers_are_labels_unless_a_label_would_read_as_another_choice() {
        let choice = |value: &str, label: Option<&str>| Choice {
            value: value.into(),
            label: label.map(Into::into),
            points: Decimal::ZERO,
        };
        let choices = [
            choice("kip-thoi", Some("Ban hành kịp thời")),
            choice("khong", None),
            // Reads as the value of the choice before it: the reader would take that one.
            choice("muon", Some(" KHONG ")),
            // Two labels alike but for case and spacing: neither is safe to offer.
            choice("a", Some("Đạt  một phần")),
            choice("b", Some("đạt một phần")),
        ];
        assert_eq!(answers(&choices), ["Ban hành kịp thời", "khong", "muon", "a", "b"]);
    }
}
