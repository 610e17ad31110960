//! The scoring rules a leaf can carry (spec §2), as a criteria set states them.

use rust_decimal::Decimal;

/// The name of a rule, as written in `rule = "…"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleKind {
    Points,
    YesNo,
    Choice,
    Bands,
    Ratio,
    PerItem,
}

impl RuleKind {
    pub const ALL: [RuleKind; 6] = [
        RuleKind::Points,
        RuleKind::YesNo,
        RuleKind::Choice,
        RuleKind::Bands,
        RuleKind::Ratio,
        RuleKind::PerItem,
    ];

    pub fn name(self) -> &'static str {
        match self {
            RuleKind::Points => "points",
            RuleKind::YesNo => "yes_no",
            RuleKind::Choice => "choice",
            RuleKind::Bands => "bands",
            RuleKind::Ratio => "ratio",
            RuleKind::PerItem => "per_item",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The keys a leaf with this rule may carry beside the common node keys.
    pub fn parameters(self) -> &'static [&'static str] {
        match self {
            RuleKind::Points => &["step"],
            RuleKind::YesNo => &[],
            RuleKind::Choice => &["choices"],
            RuleKind::Bands => &["bands", "lower_is_better"],
            RuleKind::Ratio => &["full_at", "zero_at"],
            RuleKind::PerItem => &["per"],
        }
    }

    /// Every rule parameter of every rule.
    pub fn all_parameters() -> impl Iterator<Item = (&'static str, RuleKind)> {
        Self::ALL.into_iter().flat_map(|k| k.parameters().iter().map(move |p| (*p, k)))
    }
}

/// How a leaf turns a value from the data into points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// The value is the points; with a `step`, it must be a multiple of it.
    Points { step: Option<Decimal> },
    /// Yes gives the leaf's max, no gives 0.
    YesNo,
    /// One of a list of answers, each worth its points.
    Choice { choices: Vec<Choice> },
    /// The first band whose limit the value meets.
    Bands { bands: Vec<Band>, lower_is_better: bool },
    /// max × a/b, optionally full from `full_at` and nothing at or below `zero_at`.
    Ratio { full_at: Option<Decimal>, zero_at: Option<Decimal> },
    /// max − count × per, never below 0.
    PerItem { per: Decimal },
}

impl Rule {
    pub fn kind(&self) -> RuleKind {
        match self {
            Rule::Points { .. } => RuleKind::Points,
            Rule::YesNo => RuleKind::YesNo,
            Rule::Choice { .. } => RuleKind::Choice,
            Rule::Bands { .. } => RuleKind::Bands,
            Rule::Ratio { .. } => RuleKind::Ratio,
            Rule::PerItem { .. } => RuleKind::PerItem,
        }
    }
}

/// One answer of a `choice` rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The short value typed in data files (`dung-han`).
    pub value: String,
    /// The wording of the rubric (`Ban hành đúng thời hạn`), also accepted in data files.
    pub label: Option<String>,
    pub points: Decimal,
}

/// One band of a `bands` rule: `[90, 0.5]` is a limit of 90 worth 0.5 points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    /// `None` admits every value (`inf` in the file): the catch-all last band.
    pub limit: Option<Decimal>,
    /// A strict limit (`">90"`, "trên 90%") is not met by the limit itself.
    pub strict: bool,
    pub points: Decimal,
}

impl Band {
    /// Whether `value` meets this band's limit: at least the limit, or at most it when
    /// lower values are better.
    pub fn admits(&self, value: Decimal, lower_is_better: bool) -> bool {
        let Some(limit) = self.limit else { return true };
        match (lower_is_better, self.strict) {
            (false, false) => value >= limit,
            (false, true) => value > limit,
            (true, false) => value <= limit,
            (true, true) => value < limit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_round_trip() {
        for kind in RuleKind::ALL {
            assert_eq!(RuleKind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(RuleKind::from_name("yes-no"), None);
    }

    #[test]
    fn strict_and_plain_limits_differ_at_the_limit() {
        let ninety = Decimal::from(90);
        let plain = Band { limit: Some(ninety), strict: false, points: Decimal::ONE };
        let strict = Band { strict: true, ..plain.clone() };
        assert!(plain.admits(ninety, false));
        assert!(!strict.admits(ninety, false));
        assert!(plain.admits(ninety, true));
        assert!(!strict.admits(ninety, true));
        assert!(strict.admits(Decimal::from(89), true));
        let any = Band { limit: None, strict: false, points: Decimal::ZERO };
        assert!(any.admits(Decimal::from(1_000_000), true));
    }
}
