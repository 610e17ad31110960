//! The decimal filter, and the one place that chooses how a round is computed: each
//! agency is scored first on 28-digit decimals ([`Approx`]), which is fast, and again in
//! exact fractions ([`Exact`]) only where a figure a report shows could round differently
//! (the filtered exact arithmetic of CGAL's kernels). Owns the fast arithmetic, its
//! margins, and the decision that a fast result is safe to hand on.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use crate::model::criteria::{CriteriaSet, NodeId};
use crate::model::layer::Stage;
use crate::model::stack::{LeafInput, Stack};
use crate::score::exact::{Arith, EXACT_PLACES, Exact};
use crate::score::tree::{self, NodeScore, Score};

/// How much of each agency's result to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Every node at both stages, and the rows behind each leaf: for reports that show
    /// an agency's whole tree (JSON, HTML, explain, compare).
    Full,
    /// The final stage's fields and leaves, and the self-assessed index: for a workbook,
    /// which has a sheet per field with its leaves.
    Tables,
    /// The final stage's fields and totals, and the self-assessed index: for the
    /// published tables (csv, Markdown, the terminal).
    Fields,
    /// The final stage's fields and criteria: what `sensitivity` perturbs.
    Criteria,
}

/// What of one score a report shows, and so is kept and must round right.
#[derive(Debug, Clone)]
struct Shown {
    /// Places from [`tree::keep_only`]; `None`: every node.
    kept: Option<std::sync::Arc<[u32]>>,
    /// Whether the points, bonus and deduction are shown.
    totals: bool,
}

impl Shown {
    fn new(set: &CriteriaSet, detail: Detail) -> Self {
        let n = set.nodes.len();
        let kept = match detail {
            Detail::Full => None,
            Detail::Tables => Some(tree::keep_only(n, |id| {
                set.nodes[id].parent.is_none() || set.nodes[id].leaf.is_some()
            })),
            Detail::Fields => Some(tree::keep_only(n, |id| set.nodes[id].parent.is_none())),
            Detail::Criteria => Some(tree::keep_only(n, |id| set.nodes[id].depth <= 1)),
        };
        Shown { kept, totals: true }
    }

    /// The nodes of a score this keeps.
    fn keep<N>(&self, score: Score<N>) -> Score<N> {
        match &self.kept {
            Some(kept) => Score { nodes: score.nodes.keep(kept), ..score },
            None => score,
        }
    }

    /// The index alone: what the tables show of the self-assessment.
    fn index_only(set: &CriteriaSet) -> Self {
        Shown { kept: Some(tree::keep_only(set.nodes.len(), |_| false)), totals: false }
    }
}

/// How the agencies of one round are scored: the set, its nodes children first, and what
/// the report shows of each agency at each stage.
pub(crate) struct Filter<'s> {
    set: &'s CriteriaSet,
    order: Vec<NodeId>,
    shown: Shown,
    own_shown: Shown,
    /// Whether every agency is scored exactly, without the decimal pass.
    exact: bool,
}

impl<'s> Filter<'s> {
    pub(crate) fn new(set: &'s CriteriaSet, detail: Detail) -> Self {
        let shown = Shown::new(set, detail);
        let own_shown = if detail == Detail::Full { shown.clone() } else { Shown::index_only(set) };
        // A report of every node works further figures out of them (sub-indexes to the
        // 20 places of the exact columns, the points an agency lost and their share of
        // its index), which no check of the figures themselves covers; and with every
        // node at both stages shown, checking each against a half costs about as much as
        // scoring exactly.
        let exact = detail == Detail::Full;
        Filter { set, order: tree::bottom_up(set), shown, own_shown, exact }
    }

    /// Agency `a` at `stage`, and at the self stage where `stage` is final, each kept as
    /// the report shows it.
    pub(crate) fn agency(&self, stack: &Stack, stage: Stage, a: usize) -> (Score, Option<Score>) {
        let (set, order) = (self.set, &self.order[..]);
        let last = |id| stack.input(stage, a, id);
        let own = |id| stack.input(Stage::SelfOnly, a, id);
        if self.exact {
            let score: Score = tree::score_in(set, order, last);
            let self_score = (stage == Stage::Final).then(|| {
                tree::score_beside(set, order, own, &score, |id| stack.same_at_both_stages(a, id))
            });
            return (self.shown.keep(score), self_score.map(|s| self.own_shown.keep(s)));
        }
        let fast: Score<Approx> = tree::score_in(set, order, last);
        let own_fast = (stage == Stage::Final).then(|| {
            tree::score_beside(set, order, own, &fast, |id| stack.same_at_both_stages(a, id))
        });
        let score = fast_or_exact(set, order, &self.shown, fast, last);
        let self_score = own_fast.map(|f| fast_or_exact(set, order, &self.own_shown, f, own));
        (score, self_score)
    }

    /// Where the exact index ranks, the agencies (by place in `indexes`) to score again
    /// exactly: two whose decimal indexes lie within 10⁻¹⁸ of each other, so that digits
    /// the decimals do not hold cannot decide their order.
    pub(crate) fn near_ties(indexes: &[Option<&Exact>]) -> Vec<bool> {
        let close = Exact::from_decimal(Decimal::new(1, 18));
        let mut keyed: Vec<(&Exact, usize)> =
            indexes.iter().enumerate().filter_map(|(i, k)| k.map(|k| (k, i))).collect();
        keyed.sort();
        let mut redo = vec![false; indexes.len()];
        for pair in keyed.windows(2) {
            if pair[1].0.sub(pair[0].0) < close {
                redo[pair[0].1] = true;
                redo[pair[1].1] = true;
            }
        }
        redo
    }

    /// Agency `a` at `stage`, scored exactly, every node.
    pub(crate) fn exactly(&self, stack: &Stack, stage: Stage, a: usize) -> Score {
        tree::score(self.set, &self.order, |id| stack.input(stage, a, id))
    }
}

/// A score on 28-digit decimals (`fast`) as it stands, or scored again exactly when any
/// figure shown lies so near a rounding half (at the set's decimals; the index also at the
/// 20 places of the exact columns) that digits beyond the decimals' could decide it. Sums
/// and products of the set's figures are exact either way; only divisions differ, by less
/// than the margin checked. Only what the report shows is checked, and kept.
fn fast_or_exact<'a>(
    set: &CriteriaSet,
    order: &[NodeId],
    shown: &Shown,
    fast: Score<Approx>,
    input: impl Fn(NodeId) -> LeafInput<'a> + Copy,
) -> Score {
    let places = set.decimals;
    let shown_margin = Decimal::new(1, 9);
    let exact_margin = Decimal::new(1, 3);
    let rounded = |x: &Approx| x.near_half(places, shown_margin);
    let exact = |x: &Approx| x.near_half(EXACT_PLACES, exact_margin);
    let both = |x: &Approx| rounded(x) || exact(x);
    let node =
        |n: &NodeScore<Approx>| rounded(&n.points) || n.sub_index().is_some_and(|s| rounded(&s));
    let totals =
        shown.totals && [&fast.points, &fast.bonus, &fast.deduction].into_iter().any(rounded);
    let doubtful = totals
        || fast.index.as_ref().is_some_and(both)
        || match &shown.kept {
            None => fast.nodes.all().is_some_and(|all| all.iter().any(node)),
            Some(kept) => {
                kept.iter().enumerate().any(|(id, &k)| k != u32::MAX && node(&fast.nodes[id]))
            }
        };
    if doubtful {
        shown.keep(tree::score(set, order, input))
    } else {
        shown.keep(fast).map(|x| Exact::from_decimal(x.value))
    }
}

/// A figure on 28-digit decimals: fast, and exact for every sum and product of the
/// figures a criteria set and its data hold; a division is correct to about 26 decimal
/// places. `lost` marks an overflow, after which the figure means nothing.
#[derive(Debug, Clone, Copy)]
pub struct Approx {
    pub value: Decimal,
    pub lost: bool,
}

impl Approx {
    fn of(value: Option<Decimal>, lost: bool) -> Self {
        match value {
            Some(value) => Approx { value, lost },
            None => Approx { value: Decimal::ZERO, lost: true },
        }
    }

    /// Whether rounding this figure to `places` could depend on digits it does not hold:
    /// it lies within `margin` (in units of the last place) of a half, or overflowed.
    pub fn near_half(&self, places: u32, margin: Decimal) -> bool {
        if self.lost {
            return true;
        }
        // A division that does not come out even is rounded to 28 significant digits,
        // which for any figure below 10⁹ (every figure is, see `number::LIMIT`) leaves
        // at least 18 places: a figure with 17 or fewer was never rounded, and rounds
        // exactly as it stands — even on a half.
        if self.value.scale() <= 17 {
            return false;
        }
        let Some(scaled) = self.value.checked_mul(Decimal::from(10u64.pow(places.min(18)))) else {
            return true;
        };
        let scaled = if places > 18 {
            match scaled.checked_mul(Decimal::from(10u64.pow(places - 18))) {
                Some(s) => s,
                None => return true,
            }
        } else {
            scaled
        };
        (scaled.fract().abs() - Decimal::new(5, 1)).abs() < margin
    }
}

impl PartialEq for Approx {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Eq for Approx {}

impl PartialOrd for Approx {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Approx {
    fn cmp(&self, other: &Self) -> Ordering {
        self.value.cmp(&other.value)
    }
}

impl Arith for Approx {
    fn zero() -> Self {
        Approx { value: Decimal::ZERO, lost: false }
    }
    fn from_int(n: i64) -> Self {
        Approx { value: Decimal::from(n), lost: false }
    }
    fn from_decimal(d: Decimal) -> Self {
        Approx { value: d, lost: false }
    }
    fn add(&self, other: &Self) -> Self {
        Approx::of(self.value.checked_add(other.value), self.lost || other.lost)
    }
    fn sub(&self, other: &Self) -> Self {
        Approx::of(self.value.checked_sub(other.value), self.lost || other.lost)
    }
    fn mul(&self, other: &Self) -> Self {
        Approx::of(self.value.checked_mul(other.value), self.lost || other.lost)
    }
    fn checked_div(&self, other: &Self) -> Option<Self> {
        if other.value.is_zero() {
            return None;
        }
        Some(Approx::of(self.value.checked_div(other.value), self.lost || other.lost))
    }
    fn is_zero(&self) -> bool {
        self.value.is_zero()
    }
    fn is_positive(&self) -> bool {
        self.value.is_sign_positive() && !self.value.is_zero()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn approximate_figures_know_when_rounding_is_unsafe() {
        let third =
            Approx::from_decimal(dec("1")).checked_div(&Approx::from_decimal(dec("3"))).unwrap();
        assert!(!third.near_half(2, Decimal::new(1, 9)));
        let half = Approx::from_decimal(dec("5.125"));
        assert!(!half.near_half(2, Decimal::new(1, 9)), "an exact half rounds as it stands");
        // 25/28 + (5.125 − 25/28) on decimals lands a hair off 5.125: flagged for an exact
        // re-check, which gives 5.13.
        let t = Approx::ratio(dec("25"), dec("28")).unwrap();
        let total = t.add(&Approx::from_decimal(dec("5.125")).sub(&t));
        assert!(total.near_half(2, Decimal::new(1, 9)));
        let overflow = Approx::from_decimal(Decimal::MAX).mul(&Approx::from_int(10));
        assert!(overflow.lost && overflow.near_half(2, Decimal::ONE));
    }
}
