//! Exact numbers for scoring: rationals, so that ratios, weights and the index divide
//! without error, rounded once for display, half away from zero; and the arithmetic
//! trait that scoring is written against.
//!
//! Most figures fit a ratio of two `i128`s; when an operation would overflow, it is
//! redone with big integers, so the result is exact either way.

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_rational::{BigRational, Ratio};
use num_traits::{CheckedAdd, CheckedDiv, CheckedMul, CheckedSub, Signed, ToPrimitive, Zero};
use rust_decimal::Decimal;

/// Places of the unrounded figures in machine outputs (`index_exact`): exact wherever the
/// decimal expansion ends by then. Scoring re-checks exactly every figure that could round
/// differently at these places.
pub const EXACT_PLACES: u32 = 20;

/// An exact rational number: always the exact value of what it stands for.
///
/// It never holds a decimal that a division cut short. A decimal is held as it is
/// ([`Exact::Dec`]) only where it is that exact value: a figure read from a criteria set
/// or the data, which are exact as written; a figure as shown, which is its own value;
/// the sum, difference or product of such decimals where it kept every place; a figure
/// of the decimal pass that no division cut (see [`crate::score::filter`]). Every
/// quotient that does not come out even is a fraction.
#[derive(Debug, Clone)]
pub enum Exact {
    /// A decimal that is the exact value, as most figures are. Kept as it is, and
    /// turned into a fraction only to compute with.
    Dec(Decimal),
    /// A fraction of two `i128`s, boxed so that a figure stays the size of a decimal.
    Small(Box<Ratio<i128>>),
    /// A fraction too large for `i128`s: rare.
    Big(Box<BigRational>),
}

impl Exact {
    pub fn zero() -> Self {
        Exact::Dec(Decimal::ZERO)
    }

    pub fn from_int(n: i64) -> Self {
        Exact::Dec(Decimal::from(n))
    }

    /// `d` as the exact value it is: a decimal read from the set or the data, or shown.
    /// Never a decimal worked out by a division, which may have been cut: divide
    /// exactly instead ([`Exact::ratio`], [`Exact::checked_div`]).
    pub fn from_decimal(d: Decimal) -> Self {
        Exact::Dec(d)
    }

    /// `a / b`, or `None` when `b` is zero.
    pub fn ratio(a: Decimal, b: Decimal) -> Option<Self> {
        Self::from_decimal(a).checked_div(&Self::from_decimal(b))
    }

    /// The value as a fraction of `i128`s, where it is one. Left unreduced: every
    /// operation and comparison takes any form of a fraction.
    fn fraction(&self) -> Option<Ratio<i128>> {
        match self {
            Exact::Dec(d) => Some(Ratio::new_raw(d.mantissa(), 10i128.pow(d.scale()))),
            Exact::Small(r) => Some(**r),
            Exact::Big(_) => None,
        }
    }

    fn big(&self) -> BigRational {
        if let Exact::Big(b) = self {
            return (**b).clone();
        }
        let r = self.fraction().expect("decimals and small fractions are fractions");
        BigRational::new_raw(BigInt::from(*r.numer()), BigInt::from(*r.denom()))
    }

    fn op(
        &self,
        other: &Self,
        small: impl Fn(&Ratio<i128>, &Ratio<i128>) -> Option<Ratio<i128>>,
        big: impl Fn(&BigRational, &BigRational) -> BigRational,
    ) -> Self {
        if let (Some(a), Some(b)) = (self.fraction(), other.fraction())
            && let Some(r) = small(&a, &b)
        {
            return Exact::Small(Box::new(r));
        }
        Exact::Big(Box::new(big(&self.big(), &other.big()))).shrink()
    }

    /// Back to the small form where the value fits it again.
    fn shrink(self) -> Self {
        match self {
            Exact::Big(b) => match (b.numer().to_i128(), b.denom().to_i128()) {
                (Some(n), Some(d)) => Exact::Small(Box::new(Ratio::new_raw(n, d))),
                _ => Exact::Big(b),
            },
            other => other,
        }
    }

    #[must_use]
    pub fn add(&self, other: &Self) -> Self {
        if let Some(d) = self.on_decimals(other, Decimal::checked_add, u32::max) {
            return d;
        }
        self.op(other, CheckedAdd::checked_add, |a, b| a + b)
    }

    #[must_use]
    pub fn sub(&self, other: &Self) -> Self {
        if let Some(d) = self.on_decimals(other, Decimal::checked_sub, u32::max) {
            return d;
        }
        self.op(other, CheckedSub::checked_sub, |a, b| a - b)
    }

    #[must_use]
    pub fn mul(&self, other: &Self) -> Self {
        if let Some(d) = self.on_decimals(other, Decimal::checked_mul, |a, b| a + b) {
            return d;
        }
        self.op(other, CheckedMul::checked_mul, |a, b| a * b)
    }

    /// Two decimals' sum, difference or product as a decimal, where it is exact: it
    /// keeps every place of the exact result (`places` of the operands' scales), which
    /// a decimal that had to round would not. Spares a fraction and its reduction.
    fn on_decimals(
        &self,
        other: &Self,
        op: impl Fn(Decimal, Decimal) -> Option<Decimal>,
        places: impl Fn(u32, u32) -> u32,
    ) -> Option<Self> {
        let (Exact::Dec(a), Exact::Dec(b)) = (self, other) else { return None };
        let r = op(*a, *b)?;
        (r.scale() == places(a.scale(), b.scale())).then_some(Exact::Dec(r))
    }

    /// `self / other`, or `None` when `other` is zero.
    pub fn checked_div(&self, other: &Self) -> Option<Self> {
        if other.is_zero() {
            return None;
        }
        Some(self.op(other, CheckedDiv::checked_div, |a, b| a / b))
    }

    pub fn is_zero(&self) -> bool {
        match self {
            Exact::Dec(d) => d.is_zero(),
            Exact::Small(r) => r.is_zero(),
            Exact::Big(b) => b.is_zero(),
        }
    }

    pub fn is_positive(&self) -> bool {
        match self {
            Exact::Dec(d) => d.is_sign_positive() && !d.is_zero(),
            Exact::Small(r) => r.is_positive(),
            Exact::Big(b) => b.is_positive(),
        }
    }

    #[must_use]
    pub fn min(self, other: Self) -> Self {
        if other < self { other } else { self }
    }

    #[must_use]
    pub fn max(self, other: Self) -> Self {
        if other > self { other } else { self }
    }

    /// Kept within `lo..=hi`.
    #[must_use]
    pub fn clamp(self, lo: &Self, hi: &Self) -> Self {
        if &self < lo {
            lo.clone()
        } else if &self > hi {
            hi.clone()
        } else {
            self
        }
    }

    /// Rounded to `places` decimal places, half away from zero: 5.125 → 5.13,
    /// −5.125 → −5.13.
    pub fn round(&self, places: u32) -> Decimal {
        let quick = match self {
            Exact::Dec(d) => Some(d.round_dp_with_strategy(
                places,
                rust_decimal::RoundingStrategy::MidpointAwayFromZero,
            )),
            Exact::Small(r) => round_small(r, places),
            Exact::Big(_) => None,
        };
        quick.unwrap_or_else(|| round_big(&self.big(), places))
    }

    /// The value to `places` decimal places (half away from zero), without trailing
    /// zeros: exact wherever its decimal expansion ends within `places`.
    pub fn approx(&self, places: u32) -> Decimal {
        self.round(places).normalize()
    }
}

/// The arithmetic scoring needs: done exactly ([`Exact`]), or fast on 28-digit decimals
/// ([`crate::score::filter::Approx`]) with the result re-done exactly wherever rounding
/// could depend on digits the decimals do not hold.
pub trait Arith: Clone + Ord + std::fmt::Debug + Send + Sync {
    fn zero() -> Self;
    fn from_int(n: i64) -> Self;
    fn from_decimal(d: Decimal) -> Self;
    #[must_use]
    fn add(&self, other: &Self) -> Self;
    #[must_use]
    fn sub(&self, other: &Self) -> Self;
    #[must_use]
    fn mul(&self, other: &Self) -> Self;
    fn checked_div(&self, other: &Self) -> Option<Self>;
    fn is_zero(&self) -> bool;
    fn is_positive(&self) -> bool;

    /// Rounded to `places`, half away from zero: for a set that rounds each leaf's points
    /// before adding them up.
    #[must_use]
    fn rounded(&self, places: u32) -> Self;

    /// `a / b`, or `None` when `b` is zero.
    fn ratio(a: Decimal, b: Decimal) -> Option<Self> {
        Self::from_decimal(a).checked_div(&Self::from_decimal(b))
    }

    /// Kept within `0..=hi`: what every figure of a tree is clamped to. Below zero is
    /// told by the sign, sparing a comparison of two figures of different scales.
    #[must_use]
    fn clamp_to(self, hi: &Self) -> Self {
        if !self.is_positive() && !self.is_zero() {
            Self::zero()
        } else if &self > hi {
            hi.clone()
        } else {
            self
        }
    }

    #[must_use]
    fn least(self, other: Self) -> Self {
        if other < self { other } else { self }
    }
}

impl Arith for Exact {
    fn zero() -> Self {
        Exact::zero()
    }
    fn from_int(n: i64) -> Self {
        Exact::from_int(n)
    }
    fn from_decimal(d: Decimal) -> Self {
        Exact::from_decimal(d)
    }
    fn add(&self, other: &Self) -> Self {
        Exact::add(self, other)
    }
    fn sub(&self, other: &Self) -> Self {
        Exact::sub(self, other)
    }
    fn mul(&self, other: &Self) -> Self {
        Exact::mul(self, other)
    }
    fn checked_div(&self, other: &Self) -> Option<Self> {
        Exact::checked_div(self, other)
    }
    fn is_zero(&self) -> bool {
        Exact::is_zero(self)
    }
    fn is_positive(&self) -> bool {
        Exact::is_positive(self)
    }
    fn rounded(&self, places: u32) -> Self {
        Exact::from_decimal(self.round(places))
    }
}

fn round_small(r: &Ratio<i128>, places: u32) -> Option<Decimal> {
    let (n, d) = (*r.numer(), *r.denom());
    let scaled = n.checked_abs()?.checked_mul(10i128.checked_pow(places)?)?;
    // floor((2·|n|·10^k + d) / (2d))
    let q = scaled.checked_mul(2)?.checked_add(d)? / d.checked_mul(2)?;
    let q = if n < 0 { -q } else { q };
    Decimal::try_from_i128_with_scale(q, places).ok()
}

fn round_big(r: &BigRational, places: u32) -> Decimal {
    let scaled = r.numer().abs() * BigInt::from(10).pow(places);
    let two = BigInt::from(2);
    let q: BigInt = (scaled * &two + r.denom()) / (r.denom() * &two);
    let q = if r.is_negative() { -q } else { q };
    q.to_i128()
        .and_then(|q| Decimal::try_from_i128_with_scale(q, places).ok())
        // Figures are bounded far inside Decimal's range by the loaders; a value beyond
        // it can only be shown saturated.
        .unwrap_or(if r.is_negative() { Decimal::MIN } else { Decimal::MAX })
}

impl PartialEq for Exact {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Exact {}

impl PartialOrd for Exact {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Exact {
    fn cmp(&self, other: &Self) -> Ordering {
        if let (Exact::Dec(a), Exact::Dec(b)) = (self, other) {
            return a.cmp(b);
        }
        match (self.fraction(), other.fraction()) {
            // Cross-multiplication may overflow; compare as big numbers then.
            (Some(a), Some(b)) => match (
                i128::checked_mul(*a.numer(), *b.denom()),
                i128::checked_mul(*b.numer(), *a.denom()),
            ) {
                (Some(x), Some(y)) => x.cmp(&y),
                _ => self.big().cmp(&other.big()),
            },
            _ => self.big().cmp(&other.big()),
        }
    }
}

#[cfg(test)]
mod decimal_paths {
    use super::*;
    use proptest::prelude::*;

    fn decimal() -> impl Strategy<Value = Decimal> {
        // Anything from a few places to the 28 a decimal holds, and 96-bit mantissas.
        (any::<i128>(), 0u32..=28).prop_map(|(m, scale)| {
            let m = m % (1i128 << 96);
            Decimal::try_from_i128_with_scale(m, scale).unwrap_or(Decimal::ZERO)
        })
    }

    proptest! {
        #[test]
        fn sums_differences_and_products_of_decimals_are_exact(a in decimal(), b in decimal()) {
            let (x, y) = (Exact::Dec(a), Exact::Dec(b));
            let slow = [
                x.op(&y, CheckedAdd::checked_add, |a, b| a + b),
                x.op(&y, CheckedSub::checked_sub, |a, b| a - b),
                x.op(&y, CheckedMul::checked_mul, |a, b| a * b),
            ];
            let fast = [x.add(&y), x.sub(&y), x.mul(&y)];
            for (f, s) in fast.iter().zip(&slow) {
                prop_assert_eq!(f.cmp(s), Ordering::Equal, "{:?} vs {:?}", f, s);
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
    fn rounding_is_half_away_from_zero_of_the_exact_value() {
        assert_eq!(Exact::from_decimal(dec("5.125")).round(2), dec("5.13"));
        assert_eq!(Exact::from_decimal(dec("-5.125")).round(2), dec("-5.13"));
        assert_eq!(Exact::from_decimal(dec("5.124999")).round(2), dec("5.12"));
        assert_eq!(Exact::from_decimal(dec("2.5")).round(0), dec("3"));
        assert_eq!(Exact::ratio(dec("1"), dec("3")).unwrap().round(4), dec("0.3333"));
        assert_eq!(Exact::ratio(dec("2"), dec("3")).unwrap().round(2), dec("0.67"));
    }

    // The specification's case: a weighted field whose terms include 25/28 is worth
    // exactly 5.125, which a 28-digit decimal division would truncate to 5.12499….
    #[test]
    fn a_weighted_sum_with_25_28_shows_5_13() {
        let term = Exact::ratio(dec("25"), dec("28")).unwrap();
        let rest = Exact::from_decimal(dec("5.125")).sub(&term);
        let total = term.add(&rest);
        assert_eq!(total, Exact::from_decimal(dec("5.125")));
        assert_eq!(total.round(2), dec("5.13"));
        let decimal = dec("25") / dec("28") + (dec("5.125") - dec("25") / dec("28"));
        assert_ne!(decimal.round_dp(2), dec("5.13"), "plain Decimal gets this wrong");
    }

    #[test]
    fn overflowing_operations_stay_exact() {
        let tiny = Exact::ratio(dec("1"), dec("999999937")).unwrap();
        let mut product = Exact::from_int(1);
        for _ in 0..6 {
            product = product.mul(&tiny);
        }
        assert!(matches!(product, Exact::Big(_)));
        let back = (0..6).fold(product, |p, _| p.checked_div(&tiny).unwrap());
        assert_eq!(back, Exact::from_int(1));
        assert!(!matches!(back, Exact::Big(_)), "shrinks back once it fits");
    }

    // Whether or not a decimal could hold it, a quotient is a fraction: never a decimal
    // cut at 28 digits.
    #[test]
    fn quotients_are_fractions() {
        for (a, b) in [("1", "3"), ("25", "28"), ("1", "4")] {
            let q = Exact::ratio(dec(a), dec(b)).unwrap();
            assert!(!matches!(q, Exact::Dec(_)), "{a}/{b}: {q:?}");
            assert_eq!(q.mul(&Exact::from_decimal(dec(b))), Exact::from_decimal(dec(a)));
        }
    }

    #[test]
    fn figures_stay_small() {
        assert!(std::mem::size_of::<Exact>() <= 24, "{}", std::mem::size_of::<Exact>());
    }

    #[test]
    fn comparison_and_clamping() {
        let third = Exact::ratio(dec("1"), dec("3")).unwrap();
        assert!(third < Exact::from_decimal(dec("0.3334")));
        assert!(third > Exact::from_decimal(dec("0.3333")));
        let clamped = Exact::from_int(120).clamp(&Exact::zero(), &Exact::from_int(100));
        assert_eq!(clamped, Exact::from_int(100));
        assert!(Exact::ratio(dec("1"), Decimal::ZERO).is_none());
    }
}
