//! The figures scoring hands on to reports: an exact value, or the exact value rounded to
//! the 20 places of the exact columns where the decimal filter made sure of that rounding.
//! Never a figure worked out on decimals whose divisions were cut at 28 digits.

use std::cmp::Ordering;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::score::exact::{EXACT_PLACES, Exact};

/// A figure of a scored agency as reports receive it: exact, or rounded from exact.
///
/// A rounded figure is its exact value rounded half away from zero to [`EXACT_PLACES`]
/// places. Only [`crate::score::filter`] makes one, where it made sure that this rounding,
/// and a rounding of it to the set's decimals (at most 6 places, so no half can be
/// crossed twice), are those of the exact value. Rounding a figure therefore gives what
/// rounding its exact value gives, to the set's decimals and to those places.
///
/// A figure worked out of figures (a sub-index, a difference, a share) is exact when
/// they are; from a rounded figure it is worked out from that figure as it stands and
/// rounded again to [`EXACT_PLACES`], as a spreadsheet works from its rounded cells.
/// Such a figure is not its exact value rounded; the filter checks, for the one report
/// that shows such figures from rounded ones (a workbook's sub-indexes), that they still
/// round to the set's decimals as the exact ones do. Comparisons take a rounded figure
/// as it stands too.
#[derive(Debug, Clone)]
pub struct Figure(Repr);

#[derive(Debug, Clone)]
enum Repr {
    Exact(Exact),
    /// The exact value rounded to [`EXACT_PLACES`], or a figure worked out of such.
    Rounded(Decimal),
}

impl Figure {
    /// A figure whose exact value `rounded` is, rounded half away from zero to
    /// [`EXACT_PLACES`] places: the filter's to vouch for.
    pub(in crate::score) fn rounded(rounded: Decimal) -> Self {
        debug_assert!(rounded.scale() <= EXACT_PLACES);
        Figure(Repr::Rounded(rounded))
    }

    pub fn from_int(n: i64) -> Self {
        Exact::from_int(n).into()
    }

    /// The exact value, where the figure holds it.
    pub fn exact(&self) -> Option<&Exact> {
        match &self.0 {
            Repr::Exact(x) => Some(x),
            Repr::Rounded(_) => None,
        }
    }

    /// Rounded to `places` decimal places (at most [`EXACT_PLACES`]), half away from zero.
    pub fn round(&self, places: u32) -> Decimal {
        match &self.0 {
            Repr::Exact(x) => x.round(places),
            Repr::Rounded(r) => {
                debug_assert!(places <= EXACT_PLACES, "a rounded figure holds 20 places");
                r.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
            }
        }
    }

    /// The figure to `places` decimal places (half away from zero), without trailing
    /// zeros: exact wherever its decimal expansion ends within `places`.
    pub fn approx(&self, places: u32) -> Decimal {
        self.round(places).normalize()
    }

    pub fn is_zero(&self) -> bool {
        match &self.0 {
            Repr::Exact(x) => x.is_zero(),
            Repr::Rounded(r) => r.is_zero(),
        }
    }

    pub fn is_positive(&self) -> bool {
        match &self.0 {
            Repr::Exact(x) => x.is_positive(),
            Repr::Rounded(r) => r.is_sign_positive() && !r.is_zero(),
        }
    }

    #[must_use]
    pub fn add(&self, other: &Self) -> Self {
        self.worked(other, Exact::add)
    }

    #[must_use]
    pub fn sub(&self, other: &Self) -> Self {
        self.worked(other, Exact::sub)
    }

    #[must_use]
    pub fn mul(&self, other: &Self) -> Self {
        self.worked(other, Exact::mul)
    }

    /// `self / other`, or `None` when `other` is zero.
    pub fn checked_div(&self, other: &Self) -> Option<Self> {
        if other.is_zero() {
            return None;
        }
        // A divisor that is not zero as it stands is not zero exactly either.
        Some(self.worked(other, |a, b| a.checked_div(b).unwrap_or_else(Exact::zero)))
    }

    /// `op` on the two figures: exactly where both are exact; otherwise on the figures as
    /// they stand, its result rounded to [`EXACT_PLACES`] places.
    fn worked(&self, other: &Self, op: impl Fn(&Exact, &Exact) -> Exact) -> Self {
        if let (Repr::Exact(a), Repr::Exact(b)) = (&self.0, &other.0) {
            return op(a, b).into();
        }
        let r = op(&self.as_it_stands(), &other.as_it_stands());
        Figure(Repr::Rounded(r.round(EXACT_PLACES)))
    }

    /// The number the figure holds, to work with or compare: its exact value, or the
    /// rounded decimal itself — which is the exact value of that decimal, not of what it
    /// was rounded from, and never leaves this module.
    fn as_it_stands(&self) -> std::borrow::Cow<'_, Exact> {
        match &self.0 {
            Repr::Exact(x) => std::borrow::Cow::Borrowed(x),
            Repr::Rounded(r) => std::borrow::Cow::Owned(Exact::from_decimal(*r)),
        }
    }
}

impl From<Exact> for Figure {
    fn from(x: Exact) -> Self {
        Figure(Repr::Exact(x))
    }
}

impl PartialEq for Figure {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Figure {}

impl PartialOrd for Figure {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Figure {
    fn cmp(&self, other: &Self) -> Ordering {
        match (&self.0, &other.0) {
            (Repr::Rounded(a), Repr::Rounded(b)) => a.cmp(b),
            _ => self.as_it_stands().cmp(&other.as_it_stands()),
        }
    }
}

impl PartialEq<Exact> for Figure {
    fn eq(&self, other: &Exact) -> bool {
        self.as_it_stands().as_ref() == other
    }
}

impl PartialOrd<Exact> for Figure {
    fn partial_cmp(&self, other: &Exact) -> Option<Ordering> {
        Some(self.as_it_stands().as_ref().cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn a_rounded_figure_rounds_as_the_exact_value_it_came_from() {
        // 2/3 to 20 places, then to 2: 0.67, as 2/3 itself.
        let third = Exact::ratio(dec("2"), dec("3")).unwrap();
        let rounded = Figure::rounded(third.round(EXACT_PLACES));
        assert_eq!(rounded.round(2), dec("0.67"));
        assert_eq!(rounded.approx(EXACT_PLACES), Figure::from(third.clone()).approx(EXACT_PLACES));
        assert!(rounded.exact().is_none() && Figure::from(third).exact().is_some());
    }

    #[test]
    fn figures_worked_from_a_rounded_one_are_rounded_and_from_exact_ones_exact() {
        let third = Exact::ratio(dec("1"), dec("3")).unwrap();
        let exact = Figure::from(third.clone()).mul(&Figure::from_int(3));
        assert_eq!(exact, Figure::from_int(1));
        assert!(exact.exact().is_some());
        let rounded = Figure::rounded(third.round(EXACT_PLACES)).mul(&Figure::from_int(3));
        assert!(rounded.exact().is_none());
        assert_eq!(rounded.approx(EXACT_PLACES), dec("0.99999999999999999999"));
        assert!(Figure::from_int(1).checked_div(&Figure::from_int(0)).is_none());
    }

    #[test]
    fn figures_compare_as_they_stand() {
        let third = Exact::ratio(dec("1"), dec("3")).unwrap();
        let rounded = Figure::rounded(third.round(EXACT_PLACES));
        let (exact, less) = (Figure::from(third.clone()), Figure::from_int(0));
        assert!(rounded < exact && rounded > less && less < exact);
        assert!(rounded > Exact::from_decimal(dec("0.3333")));
        assert!(rounded < third && exact == third && exact.cmp(&rounded).is_gt());
    }

    #[test]
    fn figures_stay_small() {
        assert!(std::mem::size_of::<Figure>() <= 24, "{}", std::mem::size_of::<Figure>());
    }
}
