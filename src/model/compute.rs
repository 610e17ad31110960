//! A leaf whose value is computed from a raw table named in the round (spec §6): a rate
//! from the one-stop-shop statistics (`value`), or a satisfaction rate from survey
//! responses (`questions`), as the criteria set states it.

use std::ops::Range;

use rust_decimal::Decimal;

use crate::model::expr::Expr;

/// How a leaf's value is taken from a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compute {
    /// The table's name in the round file (`[tables.mot-cua]`).
    pub table: String,
    /// Where `table = "…"` is written in the criteria file, for messages.
    pub table_span: Range<usize>,
    pub how: How,
}

/// What is computed from the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum How {
    /// An expression over the agency's one row.
    Value {
        expr: Expr,
        /// Where the expression's text starts in the criteria file: its columns' spans
        /// are offsets into the expression, moved by this much for messages. `None` where
        /// the string holds escapes and offsets cannot be mapped (the whole string is
        /// marked instead).
        at: Option<usize>,
        /// Where the whole `value = "…"` string is written.
        span: Range<usize>,
        /// What a zero denominator gives; `None`: the leaf's NA rule, as a typed `0/0`.
        zero: Option<Zero>,
        /// Places the ratio is rounded to before the rule applies.
        rate_decimals: Option<u32>,
    },
    /// Survey responses: one row per respondent.
    Survey(Survey),
}

/// A rate from survey responses: Σ weight of each answer ÷ answers given, over the
/// questions, for the respondents whose row names the agency and meets `filter`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Survey {
    /// Column names, with where each is written in the criteria file.
    pub questions: Vec<(String, Range<usize>)>,
    /// Answer labels and their weights (0..=1), in the order written.
    pub answers: Vec<(String, Decimal)>,
    /// Columns and the texts a respondent's row must hold (`where = { phieu = "SIPAS" }`).
    pub filter: Vec<(String, String, Range<usize>)>,
    /// Fewer answers than this leave the leaf out as not surveyed.
    pub min_answers: u64,
}

/// What a rate whose denominator is zero gives (`zero = "…"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Zero {
    /// No points.
    Zero,
    /// The leaf's max: nothing to handle, nothing handled badly.
    Full,
    /// Not applicable: out of points and max.
    Na,
}

impl Zero {
    pub const NAMES: [&'static str; 3] = ["zero", "full", "na"];

    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "zero" => Some(Zero::Zero),
            "full" => Some(Zero::Full),
            "na" => Some(Zero::Na),
            _ => None,
        }
    }
}

impl Compute {
    /// Every column the leaf names, with where each is written in the criteria file.
    pub fn columns(&self) -> Vec<(&str, Range<usize>)> {
        match &self.how {
            How::Value { expr, at, span, .. } => expr
                .columns()
                .into_iter()
                .map(|(name, r)| {
                    let place = at.map_or_else(|| span.clone(), |a| a + r.start..a + r.end);
                    (name, place)
                })
                .collect(),
            How::Survey(s) => s
                .questions
                .iter()
                .map(|(q, r)| (q.as_str(), r.clone()))
                .chain(s.filter.iter().map(|(c, _, r)| (c.as_str(), r.clone())))
                .collect(),
        }
    }
}
