//! A rule applied to a value: the points a leaf earns (spec §2), in exact arithmetic or
//! in the fast arithmetic that [`crate::score::exact`] re-checks.

use rust_decimal::Decimal;

use crate::model::rule::{Band, Rule};
use crate::model::value::Value;
use crate::score::exact::{Arith, Exact};

impl Rule {
    /// The points `value` earns on a leaf worth `max`, within `0..=max`. On a deduction
    /// node `per_item` counts up (count × per is taken off), as every other rule there
    /// already gives the points taken off. `Value::Na` is the caller's to handle; here it
    /// earns nothing.
    pub fn points(&self, value: &Value, max: Decimal, deduction: bool) -> Exact {
        self.points_in(value, max, deduction)
    }

    /// [`Rule::points`] in any arithmetic: exact, or fast with a later exact re-check.
    pub fn points_in<N: Arith>(&self, value: &Value, max: Decimal, deduction: bool) -> N {
        let max_x = N::from_decimal(max);
        let measured = |v: &Value, percent: bool| match v {
            Value::Number(n) => Some(N::from_decimal(*n)),
            Value::Fraction(a, b) => {
                let share = N::ratio(*a, *b)?;
                Some(if percent { share.mul(&N::from_int(100)) } else { share })
            }
            _ => None,
        };
        let points = match (self, value) {
            // A computed rate with nothing to count, scored as the set says.
            (_, Value::Full) => max_x.clone(),
            (_, Value::Nothing) => N::zero(),
            (Rule::Points { .. }, Value::Number(n)) => N::from_decimal(*n),
            (Rule::YesNo, Value::Yes(yes)) => {
                if *yes {
                    max_x.clone()
                } else {
                    N::zero()
                }
            }
            (Rule::Choice { choices }, Value::Choice(i)) => {
                choices.get(*i).map_or_else(N::zero, |c| N::from_decimal(c.points))
            }
            (Rule::Bands { bands, lower_is_better }, v) => measured(v, true)
                .and_then(|x| bands.iter().find(|b| b.admits_in(&x, *lower_is_better)))
                .map_or_else(N::zero, |b| N::from_decimal(b.points)),
            (Rule::Ratio { full_at, zero_at }, v) => match measured(v, false) {
                None => N::zero(),
                Some(r) => {
                    let full = N::from_decimal(full_at.unwrap_or(Decimal::ONE));
                    let zero = N::from_decimal(zero_at.unwrap_or(Decimal::ZERO));
                    if r >= full {
                        max_x.clone()
                    } else if r <= zero {
                        N::zero()
                    } else if full_at.is_none() && zero_at.is_none() {
                        // The plain share: max × a/b, without dividing by a span of 1.
                        max_x.mul(&r)
                    } else {
                        let span = full.sub(&zero);
                        max_x.mul(&r.sub(&zero)).checked_div(&span).unwrap_or_else(N::zero)
                    }
                }
            },
            (Rule::PerItem { per }, Value::Number(count)) => {
                let taken = N::from_decimal(*count).mul(&N::from_decimal(*per));
                if deduction { taken } else { max_x.sub(&taken) }
            }
            _ => N::zero(),
        };
        points.clamp_to(&max_x)
    }
}

/// Whether two values of one leaf say the same: `50%`, `0,5` and `2/4` of a ratio do,
/// however they are written.
pub(crate) fn same_worth(
    a: Option<crate::model::value::Value>,
    b: Option<crate::model::value::Value>,
    rule: &crate::model::rule::Rule,
) -> bool {
    use crate::model::rule::Rule;
    use crate::model::value::Value as V;
    let measure = |v: V| -> Option<Exact> {
        match (v, rule) {
            (V::Number(n), _) => Some(Exact::from_decimal(n)),
            (V::Fraction(x, y), Rule::Ratio { .. }) => Exact::ratio(x, y),
            (V::Fraction(x, y), Rule::Bands { .. }) => {
                Exact::ratio(x, y).map(|r| r.mul(&Exact::from_int(100)))
            }
            _ => None,
        }
    };
    match (a, b) {
        (Some(a), Some(b)) => match (measure(a), measure(b)) {
            (Some(x), Some(y)) => x == y,
            _ => a == b,
        },
        (a, b) => a == b,
    }
}

impl Band {
    /// [`Band::admits`] for a computed value.
    pub fn admits_in<N: Arith>(&self, value: &N, lower_is_better: bool) -> bool {
        let Some(limit) = self.limit else { return true };
        let limit = N::from_decimal(limit);
        match (lower_is_better, self.strict) {
            (false, false) => *value >= limit,
            (false, true) => *value > limit,
            (true, false) => *value <= limit,
            (true, true) => *value < limit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::rule::Choice;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn pts(rule: &Rule, value: Value, max: &str) -> Decimal {
        rule.points(&value, dec(max), false).approx(10)
    }

    // Cà Mau, QĐ 1880/QĐ-UBND (2013), field 1, worked by hand from the rubric.
    #[test]
    fn the_ca_mau_field_1_rubric() {
        // 1.1.1 Ban hành kế hoạch CCHC năm (1): kịp thời 1; không kịp thời 0.5; không 0.
        let plan = Rule::Choice {
            choices: vec![
                Choice { value: "kip-thoi".into(), label: None, points: dec("1") },
                Choice { value: "khong-kip-thoi".into(), label: None, points: dec("0.5") },
                Choice { value: "khong".into(), label: None, points: dec("0") },
            ],
        };
        assert_eq!(pts(&plan, Value::Choice(1), "1"), dec("0.5"));
        // 1.1.2 and 1.1.3, có/không (1 each).
        assert_eq!(pts(&Rule::YesNo, Value::Yes(true), "1"), dec("1"));
        assert_eq!(pts(&Rule::YesNo, Value::Yes(false), "1"), dec("0"));
        // 1.1.4 Mức độ thực hiện kế hoạch (2): trên 90% → 2; 70–90% → 1; dưới 70% → 0.
        let done = Rule::Bands {
            bands: vec![
                Band { limit: Some(dec("90")), strict: true, points: dec("2") },
                Band { limit: Some(dec("70")), strict: false, points: dec("1") },
                Band { limit: Some(dec("0")), strict: false, points: dec("0") },
            ],
            lower_is_better: false,
        };
        assert_eq!(pts(&done, Value::Number(dec("90")), "2"), dec("1"), "90% is not above 90%");
        assert_eq!(pts(&done, Value::Fraction(dec("19"), dec("20")), "2"), dec("2"), "19/20 = 95%");
        assert_eq!(pts(&done, Value::Number(dec("70")), "2"), dec("1"));
        assert_eq!(pts(&done, Value::Number(dec("69.99")), "2"), dec("0"));
        // 1.2.1 and 1.2.2, 1 each: a field total of 1 + 0.5 + 1 + 0 + 1 + 1 + 2 = 6.5 of 7
        // for an agency with a late plan, everything else done, 95% of tasks.
        let total: Decimal = [
            pts(&plan, Value::Choice(1), "1"),
            pts(&Rule::YesNo, Value::Yes(true), "1"),
            pts(&Rule::YesNo, Value::Yes(true), "1"),
            pts(&done, Value::Fraction(dec("19"), dec("20")), "2"),
            pts(&Rule::YesNo, Value::Yes(true), "1"),
            pts(&Rule::YesNo, Value::Yes(true), "1"),
        ]
        .into_iter()
        .sum();
        assert_eq!(total, dec("6.5"));
    }

    #[test]
    fn ratios_are_proportional_between_zero_at_and_full_at() {
        let plain = Rule::Ratio { full_at: None, zero_at: None };
        assert_eq!(pts(&plain, Value::Fraction(dec("47"), dec("50")), "2"), dec("1.88"));
        let ramp = Rule::Ratio { full_at: Some(dec("0.9")), zero_at: Some(dec("0.5")) };
        assert_eq!(pts(&ramp, Value::Number(dec("0.95")), "2"), dec("2"));
        assert_eq!(pts(&ramp, Value::Number(dec("0.5")), "2"), dec("0"));
        assert_eq!(pts(&ramp, Value::Number(dec("0.7")), "2"), dec("1"));
        // 2 × (2/3 − 0.5) / 0.4 = 5/6: exact, shown to ten places.
        assert_eq!(pts(&ramp, Value::Fraction(dec("2"), dec("3")), "2"), dec("0.8333333333"));
        assert_eq!(pts(&plain, Value::Fraction(dec("60"), dec("50")), "2"), dec("2"), "clamped");
    }

    #[test]
    fn per_item_takes_off_or_counts_up_on_a_deduction() {
        let late = Rule::PerItem { per: dec("0.25") };
        assert_eq!(pts(&late, Value::Number(dec("2")), "1"), dec("0.5"));
        assert_eq!(pts(&late, Value::Number(dec("9")), "1"), dec("0"));
        let taken = late.points(&Value::Number(dec("2")), dec("1"), true);
        assert_eq!(taken.approx(4), dec("0.5"));
        assert_eq!(late.points(&Value::Number(dec("9")), dec("1"), true).approx(4), dec("1"));
    }
}
