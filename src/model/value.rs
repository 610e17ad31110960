//! A cell's value in the form its leaf's rule needs, once read from the text people
//! type (see `read::value`).

use rust_decimal::Decimal;

/// A value as its rule reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Value {
    /// Not applicable (không áp dụng, không phát sinh).
    Na,
    /// A number: points, a percent already divided out, a count, a ratio in 0..1.
    Number(Decimal),
    /// `a/b` as typed: a ratio, or 100·a/b for bands.
    Fraction(Decimal, Decimal),
    Yes(bool),
    /// The index of a choice in the leaf's `choices`.
    Choice(usize),
    /// A computed rate with nothing to count, where the set says it scores the max
    /// (`zero = "full"`).
    Full,
    /// A computed rate with nothing to count, where the set says it scores nothing
    /// (`zero = "zero"`).
    Nothing,
    /// Fewer survey answers than the set asks for (`min_answers`): out of points and
    /// max, whatever the leaf's NA rule says.
    NotSurveyed,
}
