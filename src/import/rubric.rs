//! The rubric text of a criteria table (cách chấm, hướng dẫn chấm) read into a scoring
//! rule, where the text states one plainly; anything else is left for a person to write.

use std::str::FromStr;

use rust_decimal::Decimal;

/// A rule read from a rubric text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Rule {
    /// Two outcomes: the max, or nothing ("Có: 1 điểm; không: 0").
    YesNo,
    /// One of several outcomes, each with its points.
    Choice(Vec<Choice>),
    /// Percent bands, best first.
    Bands { bands: Vec<(Limit, Decimal)>, lower_is_better: bool },
    /// The max, less `per` for each counted item ("mỗi báo cáo chậm trừ 0,25 điểm").
    PerItem { per: Decimal },
    /// The max times a rate ("điểm = tỷ lệ × điểm tối đa").
    Ratio,
}

/// One outcome of a choice, as the text names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Choice {
    pub label: String,
    pub points: Decimal,
}

/// A band's limit, as the criteria format writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Limit {
    /// Inclusive: "từ 90%", "đạt 100%", "không quá 5%".
    At(Decimal),
    /// Strictly above: "trên 90%".
    Above(Decimal),
    /// Strictly below: "dưới 5%" where lower is better.
    Below(Decimal),
    /// Anything else, where lower is better.
    Inf,
}

/// A clause of the text that gives points: its words before the points, and the points.
#[derive(Debug, Clone)]
struct Clause {
    label: String,
    points: Decimal,
}

/// The rule a rubric text states for a leaf of `max` points, or `None` where the text
/// says nothing a rule can hold, or something that does not fit within `max`.
pub(crate) fn read(text: &str, max: Decimal) -> Option<Rule> {
    let text = crate::text::nfc(text);
    let lower = text.to_lowercase();
    if let Some(per) = per_item(&lower) {
        // "tối đa trừ 1 điểm" on an item worth more: per_item would take it all, and the
        // rules have no floor above 0, so a person writes it.
        let floor = most_off(&lower).is_some_and(|most| most < max);
        return (per > Decimal::ZERO && per <= max && !floor).then_some(Rule::PerItem { per });
    }
    let clauses: Vec<Clause> = clauses(&text).iter().filter_map(|c| clause(c)).collect();
    if clauses.is_empty() {
        let ratio = (lower.contains("tỷ lệ") || lower.contains("tỉ lệ"))
            && (lower.contains('×') || lower.contains(" x ") || lower.contains("nhân"));
        return ratio.then_some(Rule::Ratio);
    }
    if clauses.iter().any(|c| c.points < Decimal::ZERO || c.points > max) {
        return None;
    }
    let conditions: Vec<Option<Interval>> =
        clauses.iter().map(|c| interval(&c.label.to_lowercase())).collect();
    if conditions.iter().any(Option::is_some) {
        let conditions: Option<Vec<Interval>> = conditions.into_iter().collect();
        return bands(&clauses, &conditions?);
    }
    choice(clauses, max)
}

/// "mỗi … trừ 0,5 điểm": the points taken off per item.
fn per_item(lower: &str) -> Option<Decimal> {
    let each = lower.find("mỗi")?;
    let off = each + lower[each..].find("trừ")?;
    let after = &lower[off + "trừ".len()..];
    let end = after.find("điểm")?;
    number(after[..end].trim())
}

/// "tối đa trừ 1 điểm", "trừ tối đa 1 điểm", "tối đa 1 điểm": the most taken off in all.
fn most_off(lower: &str) -> Option<Decimal> {
    let at = lower.find("tối đa")?;
    let after = lower[at + "tối đa".len()..].trim_start();
    let after = after.strip_prefix("không quá").unwrap_or(after).trim_start();
    let after = after.strip_prefix("trừ").unwrap_or(after).trim_start();
    let end = after.find("điểm")?;
    number(after[..end].trim())
}

/// The parts of a text that each say one outcome: split at `;` and line breaks, with
/// bullets and list letters taken off.
fn clauses(text: &str) -> Vec<String> {
    text.split([';', '\n'])
        .map(|part| {
            let mut part = part.trim();
            loop {
                let before = part;
                part = part.trim_start_matches(['-', '+', '*', '•', '–', '.']).trim_start();
                // "a)", "b." and "1)" before the clause.
                if let Some((head, rest)) = part.split_once([')', '.'])
                    && head.chars().count() <= 2
                    && head.chars().all(char::is_alphanumeric)
                    && !head
                        .chars()
                        .all(|c| c.is_ascii_digit() && rest.starts_with(char::is_numeric))
                {
                    part = rest.trim_start();
                }
                if part == before {
                    break part.trim_end_matches(['.', ',']).trim().to_string();
                }
            }
        })
        .filter(|part| !part.is_empty())
        .collect()
}

/// A clause that gives points: "Ban hành đúng hạn: 1 điểm", "Có (1 điểm)", "không: 0".
fn clause(text: &str) -> Option<Clause> {
    let lower = text.to_lowercase();
    let (before, points) = if let Some(at) = lower.rfind("điểm") {
        let before = lower[..at].trim_end();
        let start = number_start(before);
        // Lower case has the same length in Vietnamese; a text where it does not is left.
        (text.get(..start)?, number(&before[start..])?)
    } else {
        // "không: 0": a number alone after a colon.
        let (label, value) = text.rsplit_once(':')?;
        (label, number(value.trim())?)
    };
    if before.to_lowercase().trim_end().ends_with("trừ") {
        return None;
    }
    let label = before
        .trim_end()
        .trim_end_matches(['(', ':', '-', '–', '=', ',', '→'])
        .trim_end()
        .trim_end_matches(" được")
        .trim_end_matches(" đạt")
        .trim()
        .to_string();
    (!label.is_empty()).then_some(Clause { label, points })
}

/// Where the number at the end of `text` starts.
fn number_start(text: &str) -> usize {
    let digits = text
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == ',' || *c == '.')
        .last()
        .map_or(text.len(), |(i, _)| i);
    // A comma or full stop before the number ends the words, not the number.
    digits
        + text[digits..]
            .chars()
            .take_while(|c| !c.is_ascii_digit())
            .map(char::len_utf8)
            .sum::<usize>()
}

/// A number as tables write it: `1`, `0,5`, `0.25`.
pub(crate) fn number(text: &str) -> Option<Decimal> {
    let text = text.trim();
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.') {
        return None;
    }
    if text.matches([',', '.']).count() > 1 {
        return None;
    }
    Decimal::from_str(&text.replace(',', ".")).ok().map(|d| d.normalize())
}

/// The values a clause's words cover: "từ 90% đến dưới 100%" is [90, 100).
#[derive(Debug, Clone, Copy, Default)]
struct Interval {
    low: Option<(Decimal, bool)>,
    high: Option<(Decimal, bool)>,
}

/// The percents a clause names, each with the words around it, as an interval; `None`
/// where it names none, or in a way that is not plain.
fn interval(lower: &str) -> Option<Interval> {
    let mut found = Interval::default();
    let mut any = false;
    let mut rest = lower;
    let mut offset = 0;
    while let Some(at) = rest.find('%') {
        let before = rest[..at].trim_end();
        let start = number_start(before);
        let value = number(&before[start..])?;
        let words = lower[..offset + start].trim_end();
        let after = rest[at + 1..].trim_start();
        let (bound, strict) = if words.ends_with("dưới") || words.ends_with('<') {
            (false, true)
        } else if words.ends_with("trên") || words.ends_with("hơn") || words.ends_with('>') {
            (true, true)
        } else if after.starts_with("trở xuống")
            || words.ends_with("không quá")
            || words.ends_with("đến")
            || words.ends_with("tới")
            || words.ends_with('≤')
        {
            (false, false)
        } else {
            (true, false)
        };
        let slot = if bound { &mut found.low } else { &mut found.high };
        if slot.is_some() {
            return None;
        }
        *slot = Some((value, strict));
        any = true;
        offset += at + 1;
        rest = &rest[at + 1..];
    }
    any.then_some(found)
}

/// Percent clauses as bands, best first; `None` where they overlap or leave a gap the
/// format cannot close.
fn bands(clauses: &[Clause], conditions: &[Interval]) -> Option<Rule> {
    let best = clauses.iter().zip(conditions).max_by_key(|(c, _)| c.points)?.1;
    let lower_is_better = best.low.is_none() && best.high.is_some();
    let mut bands: Vec<(Limit, Decimal)> = Vec::new();
    if lower_is_better {
        let mut rows: Vec<_> = clauses.iter().zip(conditions).collect();
        // Tightest upper bound first; no upper bound last.
        rows.sort_by_key(|(_, i)| i.high.map_or((1, Decimal::ZERO, false), |(v, s)| (0, v, !s)));
        for (clause, i) in rows {
            let limit = match i.high {
                Some((v, true)) => Limit::Below(v),
                Some((v, false)) => Limit::At(v),
                None => Limit::Inf,
            };
            bands.push((limit, clause.points));
        }
        if bands.last().map(|b| b.0) != Some(Limit::Inf) {
            bands.push((Limit::Inf, Decimal::ZERO));
        }
    } else {
        let mut rows: Vec<_> = clauses.iter().zip(conditions).collect();
        // Highest lower bound first, a strict one before an inclusive one; none last.
        rows.sort_by_key(|(_, i)| {
            std::cmp::Reverse(i.low.map_or((0, Decimal::ZERO, false), |(v, s)| (1, v, s)))
        });
        for (clause, i) in rows {
            let limit = match i.low {
                Some((v, true)) => Limit::Above(v),
                Some((v, false)) => Limit::At(v),
                None => Limit::At(Decimal::ZERO),
            };
            bands.push((limit, clause.points));
        }
        if !matches!(bands.last(), Some((Limit::At(v), _)) if *v <= Decimal::ZERO) {
            bands.push((Limit::At(Decimal::ZERO), Decimal::ZERO));
        }
    }
    ordered(&bands, lower_is_better).then_some(Rule::Bands { bands, lower_is_better })
}

/// Whether each band takes values the bands before it did not.
fn ordered(bands: &[(Limit, Decimal)], lower_is_better: bool) -> bool {
    // Each limit as (value, rank): a strict limit is just inside an inclusive one.
    let key = |limit: &Limit| match limit {
        Limit::At(v) => Some((*v, 1)),
        Limit::Above(v) => Some((*v, 2)),
        Limit::Below(v) => Some((*v, 0)),
        Limit::Inf => None,
    };
    bands.windows(2).all(|w| match (key(&w[0].0), key(&w[1].0)) {
        (Some(a), Some(b)) => {
            if lower_is_better {
                a < b
            } else {
                a > b
            }
        }
        (Some(_), None) => lower_is_better,
        (None, _) => false,
    })
}

/// Named outcomes as yes/no (the max or nothing, the nothing said "không …") or a choice.
fn choice(clauses: Vec<Clause>, max: Decimal) -> Option<Rule> {
    if clauses.len() < 2 {
        return None;
    }
    let folded: Vec<String> = clauses.iter().map(|c| crate::text::fold(&c.label)).collect();
    for (i, label) in folded.iter().enumerate() {
        if crate::text::is_na_word(label) || folded[..i].contains(label) {
            return None;
        }
    }
    if let [a, b] = clauses.as_slice()
        && a.points == max
        && b.points == Decimal::ZERO
        && (folded[1].starts_with("không") || folded[1].starts_with("chưa"))
    {
        return Some(Rule::YesNo);
    }
    let choices = clauses.into_iter().map(|c| Choice { label: c.label, points: c.points });
    Some(Rule::Choice(choices.collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn choices(rule: Option<Rule>) -> Vec<(String, String)> {
        match rule {
            Some(Rule::Choice(c)) => {
                c.into_iter().map(|c| (c.label, c.points.to_string())).collect()
            }
            other => panic!("expected a choice, got {other:?}"),
        }
    }

    fn bands(rule: Option<Rule>) -> (Vec<(Limit, Decimal)>, bool) {
        match rule {
            Some(Rule::Bands { bands, lower_is_better }) => (bands, lower_is_better),
            other => panic!("expected bands, got {other:?}"),
        }
    }

    #[test]
    fn deadlines_are_a_choice_with_decimal_commas() {
        let rule =
            read("Ban hành đúng thời hạn: 1 điểm; chậm: 0,5 điểm; không ban hành: 0 điểm", d("1"));
        assert_eq!(
            choices(rule),
            [
                ("Ban hành đúng thời hạn".into(), "1".into()),
                ("chậm".into(), "0.5".into()),
                ("không ban hành".into(), "0".into())
            ]
        );
    }

    #[test]
    fn done_or_not_done_is_yes_no() {
        let text = "- Thực hiện đầy đủ: 1 điểm\n- Không thực hiện: 0 điểm";
        assert_eq!(read(text, d("1")), Some(Rule::YesNo));
        assert_eq!(read("Có: 1 điểm; không: 0", d("1")), Some(Rule::YesNo));
        assert_eq!(read("Có (0,5 điểm); Không (0 điểm)", d("0.5")), Some(Rule::YesNo));
    }

    #[test]
    fn two_outcomes_below_the_max_are_a_choice() {
        let rule = read("Thực hiện đầy đủ: 0,5 điểm; Không thực hiện: 0 điểm", d("1"));
        assert_eq!(choices(rule).len(), 2);
    }

    #[test]
    fn percent_bands_are_strict_where_the_text_says_tren() {
        let text = "Đạt 100% kế hoạch: 2 điểm; Từ 80% đến dưới 100%: 1 điểm; Dưới 80%: 0 điểm";
        let (bands, lower) = bands(read(text, d("2")));
        assert!(!lower);
        assert_eq!(
            bands,
            [
                (Limit::At(d("100")), d("2")),
                (Limit::At(d("80")), d("1")),
                (Limit::At(d("0")), d("0"))
            ]
        );
        let text = "Trên 90%: 2 điểm; từ 70% đến 90%: 1 điểm; dưới 70%: 0 điểm";
        let (bands, _) = super::tests::bands(read(text, d("2")));
        assert_eq!(bands[0], (Limit::Above(d("90")), d("2")));
        assert_eq!(bands[1], (Limit::At(d("70")), d("1")));
    }

    #[test]
    fn a_missing_bottom_band_scores_zero() {
        let text = "Từ 90% trở lên: 1 điểm\nTừ 70% đến dưới 90%: 0,5 điểm";
        let (bands, _) = bands(read(text, d("1")));
        assert_eq!(bands.last(), Some(&(Limit::At(d("0")), d("0"))));
        assert_eq!(bands.len(), 3);
    }

    #[test]
    fn bands_in_any_order_come_out_best_first() {
        let text = "Dưới 70%: 0 điểm; Từ 70% đến dưới 90%: 0,5 điểm; Từ 90% trở lên: 1 điểm";
        let (bands, _) = bands(read(text, d("1")));
        assert_eq!(bands[0], (Limit::At(d("90")), d("1")));
    }

    #[test]
    fn fewer_is_better_where_the_best_band_is_below_a_limit() {
        let text = "Dưới 5%: 2 điểm; từ 5% đến 10%: 1 điểm; trên 10%: 0 điểm";
        let (bands, lower) = bands(read(text, d("2")));
        assert!(lower);
        assert_eq!(bands[0], (Limit::Below(d("5")), d("2")));
        assert_eq!(bands[1], (Limit::At(d("10")), d("1")));
        assert_eq!(bands[2], (Limit::Inf, d("0")));
    }

    #[test]
    fn a_deduction_per_item_is_per_item() {
        let text = "Báo cáo đầy đủ, đúng hạn: 1 điểm; mỗi báo cáo chậm hoặc thiếu trừ 0,25 điểm";
        assert_eq!(read(text, d("1")), Some(Rule::PerItem { per: d("0.25") }));
        assert_eq!(
            read("Mỗi văn bản bị phê bình trừ 0,5 điểm", d("2")),
            Some(Rule::PerItem { per: d("0.5") })
        );
    }

    #[test]
    fn a_deduction_that_stops_above_zero_is_left_to_a_person() {
        let text = "Mỗi văn bản chậm trừ 0,25 điểm, tối đa trừ 1 điểm";
        assert_eq!(read(text, d("2")), None);
        assert_eq!(read("Mỗi văn bản chậm trừ 0,5 điểm, trừ tối đa 1 điểm", d("2")), None);
        // Taking off at most the whole item is what per_item does.
        assert_eq!(read(text, d("1")), Some(Rule::PerItem { per: d("0.25") }));
        assert_eq!(
            read("Mỗi văn bản trừ 0,5 điểm, tối đa 2 điểm", d("2")),
            Some(Rule::PerItem { per: d("0.5") })
        );
    }

    #[test]
    fn a_rate_times_the_max_is_a_ratio() {
        assert_eq!(read("Điểm = tỷ lệ hồ sơ đúng hạn × điểm tối đa", d("2")), Some(Rule::Ratio));
    }

    #[test]
    fn what_cannot_be_read_is_none() {
        assert_eq!(read("Căn cứ kết quả thẩm định của Sở Nội vụ", d("1")), None);
        assert_eq!(read("", d("1")), None);
        // One outcome is not a choice.
        assert_eq!(read("Thực hiện: 1 điểm", d("1")), None);
        // Points above the max.
        assert_eq!(read("Tốt: 3 điểm; Chưa tốt: 0 điểm", d("2")), None);
        // Percents on some outcomes only.
        assert_eq!(read("Đạt 100%: 1 điểm; Không ban hành: 0 điểm", d("1")), None);
        // An outcome spelt like "not applicable".
        assert_eq!(read("Có: 1 điểm; Không phát sinh: 1 điểm; Không: 0 điểm", d("1")), None);
    }

    #[test]
    fn lists_with_letters_and_bullets_are_read() {
        let text = "a) Ban hành kịp thời: 1 điểm;\nb) Ban hành không kịp thời: 0,5 điểm;\nc) Không ban hành: 0 điểm.";
        let c = choices(read(text, d("1")));
        assert_eq!(c[0].0, "Ban hành kịp thời");
        assert_eq!(c[2], ("Không ban hành".into(), "0".into()));
    }

    #[test]
    fn numbers_read_with_commas_or_points() {
        assert_eq!(number("0,5"), Some(d("0.5")));
        assert_eq!(number("0.25"), Some(d("0.25")));
        assert_eq!(number("2"), Some(d("2")));
        assert_eq!(number("1.000,5"), None);
        assert_eq!(number("hai"), None);
    }

    #[test]
    fn words_after_the_points_do_not_matter() {
        let text = "Đạt 100% kế hoạch: 2 điểm (tối đa); Dưới 100%: 0 điểm";
        let (bands, _) = bands(read(text, d("2")));
        assert_eq!(bands, [(Limit::At(d("100")), d("2")), (Limit::At(d("0")), d("0"))]);
    }
}
