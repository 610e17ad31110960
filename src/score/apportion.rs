//! Published rows that add up: a set with `round_fields = "sum"` shows each field's
//! points apportioned (largest remainder) so that they add up to the rounded total. Here,
//! below the reports, because field ranks are taken on the figures as shown.

use rust_decimal::Decimal;

use crate::score::exact::Exact;
use crate::score::figure::Figure;

/// Rounds each part to `places` (half away from zero), then moves as few parts as
/// possible by one unit, those whose rounding erred most, so that the parts add up to
/// `total`: a published row must add up. The parts are figures, or exact values.
pub fn apportion<P: Clone + Into<Figure>>(
    parts: &[&P],
    total: Decimal,
    places: u32,
) -> Vec<Decimal> {
    let parts: Vec<Figure> = parts.iter().map(|&p| p.clone().into()).collect();
    let mut shown: Vec<Decimal> = parts.iter().map(|p| p.round(places)).collect();
    let unit = Decimal::new(1, places);
    let mut gap = total - shown.iter().copied().sum::<Decimal>();
    if gap.is_zero() || parts.is_empty() {
        return shown;
    }
    // How far each shown part is above its figure (a shown decimal is its own exact value).
    let error: Vec<Figure> = parts
        .iter()
        .zip(&shown)
        .map(|(p, s)| Figure::from(Exact::from_decimal(*s)).sub(p))
        .collect();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    if gap > Decimal::ZERO {
        order.sort_by(|&a, &b| error[a].cmp(&error[b]));
    } else {
        order.sort_by(|&a, &b| error[b].cmp(&error[a]));
    }
    for &i in order.iter().cycle().take(parts.len() * 4) {
        if gap.is_zero() {
            break;
        }
        let step = if gap > Decimal::ZERO { unit } else { -unit };
        if shown[i] + step >= Decimal::ZERO {
            shown[i] += step;
            gap -= step;
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(s: &str) -> Exact {
        Exact::from_decimal(s.parse().unwrap())
    }

    #[test]
    fn parts_are_rounded_plainly_where_they_add_up() {
        let parts = [ex("1.25"), ex("2.004")];
        let shown = apportion(&parts.iter().collect::<Vec<_>>(), "3.25".parse().unwrap(), 2);
        assert_eq!(shown, ["1.25".parse::<Decimal>().unwrap(), "2.00".parse().unwrap()]);
    }

    #[test]
    fn parts_that_would_not_add_up_move_by_one_unit() {
        // 1.005 + 1.005 + 1.005 = 3.015 → 3.02; plain rounding gives 1.01 × 3 = 3.03.
        let parts = [ex("1.005"), ex("1.005"), ex("1.005")];
        let shown = apportion(&parts.iter().collect::<Vec<_>>(), "3.02".parse().unwrap(), 2);
        assert_eq!(shown.iter().copied().sum::<Decimal>(), "3.02".parse::<Decimal>().unwrap());
        assert_eq!(shown[0], "1.00".parse::<Decimal>().unwrap());
    }
}
