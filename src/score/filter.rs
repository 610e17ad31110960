//! The decimal filter, and the one place that chooses how a round is computed: each
//! agency is scored first on 28-digit decimals ([`Approx`]), which is fast, and again in
//! exact fractions ([`Exact`]) only where a figure a report shows could round differently
//! (the filtered exact arithmetic of CGAL's kernels). Owns the fast arithmetic, its
//! margins, and the decision that a fast result is safe; what leaves it is a [`Figure`],
//! exact or rounded from exact, never a decimal that a division cut short.

use std::cmp::Ordering;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::model::criteria::{CriteriaSet, NodeId};
use crate::model::layer::Stage;
use crate::model::stack::{LeafInput, Stack};
use crate::score::exact::{Arith, EXACT_PLACES, Exact};
use crate::score::figure::Figure;
use crate::score::tree::{self, Score};

/// How much of each agency's result to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Every node at both stages, and the rows behind each leaf: for reports that show
    /// an agency's whole tree (JSON, HTML, explain, compare).
    Full,
    /// The fields and the leaves computed from raw tables, at both stages, without the
    /// rows behind them: what `compare` of a self-assessment with its appraisal shows.
    Corrections,
    /// The final stage's fields and leaves, and the self-assessed index: for a workbook,
    /// which has a sheet per field with its leaves.
    Tables,
    /// The final stage's fields and totals, and the self-assessed index: for the
    /// published tables (csv, Markdown, the terminal).
    Fields,
    /// The final stage's fields and criteria: what `sensitivity` perturbs.
    Criteria,
}

/// How the figures of a round are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Arithmetic {
    /// On decimals, and each agency again exactly where a figure shown could round
    /// otherwise: the figures of [`Arithmetic::Exact`], rounded as they round, at a
    /// fraction of the cost.
    #[default]
    Filtered,
    /// Every agency exactly: what the filter must agree with.
    Exact,
}

/// How near a rounding half a figure on decimals may come, in units of the last place
/// rounded to, and still be known to round as its exact value does: 10⁻⁹ at the set's
/// decimals (at most 6), 10⁻³ at the 20 places of the exact columns. A figure's error is
/// a few units of its last place (the 18th or further, the 24th or further for the 20
/// places: see [`Approx::near_half`]), well inside either.
const SHOWN_MARGIN: Decimal = Decimal::from_parts(1, 0, 0, false, 9);
const EXACT_MARGIN: Decimal = Decimal::from_parts(1, 0, 0, false, 3);

/// Two decimal indexes closer than this are ranked on their exact values.
const NEAR_TIE: Decimal = Decimal::from_parts(1, 0, 0, false, 18);

/// What of one score a report shows, and so is kept and must round right.
#[derive(Debug, Clone)]
struct Shown {
    /// Places from [`tree::keep_only`]; `None`: every node.
    kept: Option<std::sync::Arc<[u32]>>,
    /// The nodes whose sub-indexes the report also shows, worked out from the figures
    /// handed on: a workbook's fields.
    sub_indexes: Vec<NodeId>,
}

impl Shown {
    fn new(set: &CriteriaSet, detail: Detail) -> Self {
        let n = set.nodes.len();
        let kept = match detail {
            Detail::Full => None,
            Detail::Corrections => Some(tree::keep_only(n, |id| {
                set.nodes[id].parent.is_none()
                    || set.nodes[id].leaf.as_ref().is_some_and(|l| l.compute.is_some())
            })),
            Detail::Tables => Some(tree::keep_only(n, |id| {
                set.nodes[id].parent.is_none() || set.nodes[id].leaf.is_some()
            })),
            Detail::Fields => Some(tree::keep_only(n, |id| set.nodes[id].parent.is_none())),
            Detail::Criteria => Some(tree::keep_only(n, |id| set.nodes[id].depth <= 1)),
        };
        let sub_indexes = match detail {
            Detail::Tables => set.roots().map(|(id, _)| id).collect(),
            _ => Vec::new(),
        };
        Shown { kept, sub_indexes }
    }

    /// The nodes of a score this keeps.
    fn keep<N>(&self, score: Score<N>) -> Score<N> {
        match &self.kept {
            Some(kept) => Score { nodes: score.nodes.keep(kept), ..score },
            None => score,
        }
    }
}

/// One agency's figures, kept as the report shows them.
pub(crate) struct Scored {
    /// At the chosen stage.
    pub(crate) score: Score<Figure>,
    /// At the self stage, where the chosen stage is final and the report shows every
    /// node.
    pub(crate) self_score: Option<Score<Figure>>,
    /// The self-assessed index, where the chosen stage is final.
    pub(crate) self_index: Option<Figure>,
}

/// How the agencies of one round are scored: the set, its nodes children first, what
/// the report shows of each agency, and in which arithmetic.
pub(crate) struct Filter<'s> {
    set: &'s CriteriaSet,
    order: Vec<NodeId>,
    shown: Shown,
    /// Whether the self stage is shown in full, rather than by its index alone.
    full: bool,
    /// Whether every agency is scored exactly, without the decimal pass.
    exact: bool,
}

impl<'s> Filter<'s> {
    pub(crate) fn new(set: &'s CriteriaSet, detail: Detail, arithmetic: Arithmetic) -> Self {
        let full = matches!(detail, Detail::Full | Detail::Corrections);
        // A report of every node works further figures out of them (sub-indexes to the
        // 20 places of the exact columns, the points an agency lost and their share of
        // its index), which no check of the figures themselves covers; and with every
        // node at both stages shown, checking each against a half costs about as much as
        // scoring exactly.
        // Rounding inside the tree (`round_leaves`) makes every later figure depend on
        // where each leaf fell against a half: such sets, small by nature (the portal's
        // 21 metrics), are scored exactly throughout.
        let exact = full || arithmetic == Arithmetic::Exact || set.round_leaves;
        Filter { set, order: tree::bottom_up(set), shown: Shown::new(set, detail), full, exact }
    }

    /// Agency `a` at `stage`, and at the self stage where `stage` is final.
    pub(crate) fn agency(&self, stack: &Stack, stage: Stage, a: usize) -> Scored {
        let (set, order) = (self.set, &self.order[..]);
        let last = |id| stack.input(stage, a, id);
        let own = |id| stack.input(Stage::SelfOnly, a, id);
        let same = |id| stack.same_at_both_stages(a, id);
        let final_stage = stage == Stage::Final;
        if self.exact {
            let score: Score<Exact> = tree::score_in(set, order, last);
            let own = final_stage.then(|| tree::score_beside(set, order, own, &score, same));
            let self_index = own.as_ref().and_then(|s| s.index.clone()).map(Figure::from);
            let self_score =
                own.filter(|_| self.full).map(|s| self.shown.keep(s).into_map(Figure::from));
            let score = self.shown.keep(score).into_map(Figure::from);
            return Scored { score, self_score, self_index };
        }
        let fast: Score<Approx> = tree::score_in(set, order, last);
        // Of the self stage the tables show the index alone.
        let self_index = final_stage
            .then(|| {
                let own_fast = tree::score_beside(set, order, own, &fast, same);
                let index = own_fast.index?;
                hand_on(&index, set.decimals)
                    .or_else(|| tree::score_in::<Exact>(set, order, own).index.map(Figure::from))
            })
            .flatten();
        let score = self.fast_or_exact(fast, last);
        Scored { score, self_score: None, self_index }
    }

    /// Where the exact index ranks, the agencies (by place in `indexes`) to score again
    /// exactly: any not scored exactly whose index lies within 10⁻¹⁸ of another's, so that
    /// digits the decimals do not hold cannot decide their order.
    pub(crate) fn near_ties(indexes: &[Option<&Figure>]) -> Vec<bool> {
        let mut keyed: Vec<(Decimal, usize)> = indexes
            .iter()
            .enumerate()
            .filter_map(|(i, k)| k.map(|k| (k.round(EXACT_PLACES), i)))
            .collect();
        keyed.sort_unstable();
        let mut redo = vec![false; indexes.len()];
        for pair in keyed.windows(2) {
            if pair[1].0 - pair[0].0 < NEAR_TIE {
                for &(_, i) in pair {
                    redo[i] |= indexes[i].is_some_and(|k| k.exact().is_none());
                }
            }
        }
        redo
    }

    /// Agency `a` at `stage`, scored exactly, kept as the report shows it.
    pub(crate) fn exactly(&self, stack: &Stack, stage: Stage, a: usize) -> Score<Figure> {
        let score = tree::score(self.set, &self.order, |id| stack.input(stage, a, id));
        self.shown.keep(score).into_map(Figure::from)
    }

    /// The figures of a score on decimals (`fast`) handed on where every one the report
    /// shows is safe (see [`hand_on`]); otherwise the agency scored again exactly. Only
    /// what the report shows is checked, and kept.
    fn fast_or_exact<'a>(
        &self,
        fast: Score<Approx>,
        input: impl Fn(NodeId) -> LeafInput<'a>,
    ) -> Score<Figure> {
        let places = self.set.decimals;
        let fast = self.shown.keep(fast);
        // A sub-index worked out from a figure rounded to 20 places (100 × points / max)
        // lies within 10⁻¹⁸ / max of the one worked out on decimals, far inside the
        // margin: it rounds to the set's decimals as that one, and the exact one, do.
        let sub_indexes_safe = self.shown.sub_indexes.iter().all(|&id| {
            fast.nodes[id].sub_index().is_none_or(|s| !s.near_half(places, SHOWN_MARGIN))
        });
        sub_indexes_safe.then(|| fast.try_map(|x| hand_on(x, places))).flatten().unwrap_or_else(
            || {
                self.shown
                    .keep(tree::score_in::<Exact>(self.set, &self.order, input))
                    .into_map(Figure::from)
            },
        )
    }
}

/// A figure on decimals as a [`Figure`]: as it stands where it is exact; rounded to the
/// exact columns' places where neither that rounding nor one to the set's decimals
/// (`places`) could depend on digits the decimals do not hold; otherwise `None`.
fn hand_on(x: &Approx, places: u32) -> Option<Figure> {
    if x.exact() {
        return Some(Exact::from_decimal(x.value).into());
    }
    if x.near_half(places, SHOWN_MARGIN) || x.near_half(EXACT_PLACES, EXACT_MARGIN) {
        return None;
    }
    let rounded =
        x.value.round_dp_with_strategy(EXACT_PLACES, RoundingStrategy::MidpointAwayFromZero);
    Some(Figure::rounded(rounded))
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

    /// Whether the figure is exact as it stands. A division that does not come out even
    /// is cut to 28 significant digits, which for any figure below 10⁹ (every figure is,
    /// see `number::LIMIT`) leaves at least 18 places, and so do sums and products with
    /// such a figure: a figure with 17 places or fewer was never cut. One quotient may be
    /// larger: a fraction of counts of any size read as a percent by bands (a part far
    /// above its whole, which is warned of); it is only compared with the bands' limits,
    /// which it exceeds either way, and never becomes a figure of the tree.
    pub fn exact(&self) -> bool {
        !self.lost && self.value.scale() <= 17
    }

    /// Whether rounding this figure to `places` could depend on digits it does not hold:
    /// it lies within `margin` (in units of the last place) of a half, holds too few
    /// places beyond `places` for its error to stay well inside `margin`, or overflowed.
    /// An exact figure rounds as it stands, even on a half.
    pub fn near_half(&self, places: u32, margin: Decimal) -> bool {
        if self.lost {
            return true;
        }
        if self.exact() {
            return false;
        }
        // A cut figure is off by a few units of its last place: that place must lie at
        // least a tenth of the margin below the place rounded to.
        if self.value.scale() <= places + margin.scale() {
            return true;
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
    /// A clamp keeps what is known of both sides: a figure lost near a half stays lost
    /// when a bound takes its place, so that the agency is still scored again exactly.
    fn clamp_to(self, hi: &Self) -> Self {
        let lost = self.lost || hi.lost;
        let v = if !self.is_positive() && !self.is_zero() {
            Self::zero()
        } else if &self > hi {
            *hi
        } else {
            self
        };
        Approx { lost, ..v }
    }

    fn least(self, other: Self) -> Self {
        let lost = self.lost || other.lost;
        let v = if other < self { other } else { self };
        Approx { lost, ..v }
    }

    /// Rounded as the exact value rounds, unless it lies too near a half to tell: then
    /// the figure is lost, and the agency is scored again exactly.
    fn rounded(&self, places: u32) -> Self {
        if self.near_half(places, SHOWN_MARGIN) {
            return Approx { value: self.value, lost: true };
        }
        Approx {
            value: self
                .value
                .round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero),
            lost: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    // A leaf rounded near a half is lost; a cap or a clamp that takes its place keeps it
    // lost, so that the agency is scored again exactly.
    #[test]
    fn a_figure_lost_near_a_half_stays_lost_through_a_clamp() {
        let near = Approx::from_decimal(dec("2.345"))
            .sub(&Approx::ratio(dec("1"), dec("3")).unwrap())
            .add(&Approx::ratio(dec("1"), dec("3")).unwrap());
        let rounded = near.rounded(2);
        assert!(rounded.lost || rounded.value == dec("2.35"));
        let lost = Approx { value: dec("2.345"), lost: true };
        let cap = Approx::from_decimal(dec("2"));
        assert!(lost.least(cap).lost);
        assert!(cap.least(lost).lost);
        assert!(lost.clamp_to(&cap).lost);
        assert!(!cap.clamp_to(&Approx::from_decimal(dec("3"))).lost);
    }

    // A figure on decimals leaves the filter as an exact value only where no division cut
    // it; a cut one, rounded to 20 places, only where that rounding is safe.
    #[test]
    fn only_uncut_decimals_are_handed_on_as_exact() {
        let quarter = Approx::ratio(dec("1"), dec("4")).unwrap();
        let handed = hand_on(&quarter, 2).unwrap();
        assert_eq!(handed.exact(), Some(&Exact::from_decimal(dec("0.25"))));
        let third = Approx::ratio(dec("1"), dec("3")).unwrap();
        let handed = hand_on(&third, 2).unwrap();
        assert!(handed.exact().is_none());
        let exact = Exact::ratio(dec("1"), dec("3")).unwrap();
        assert_eq!(handed.approx(EXACT_PLACES), exact.approx(EXACT_PLACES));
        // 25/28 + (5.125 − 25/28) lands a hair off 5.125 on decimals.
        let t = Approx::ratio(dec("25"), dec("28")).unwrap();
        assert!(hand_on(&t.add(&Approx::from_decimal(dec("5.125")).sub(&t)), 2).is_none());
        // Far from any half at 2 places, but too large to be told at 20.
        let big = Approx::ratio(dec("100000000"), dec("3")).unwrap();
        assert!(!big.near_half(2, SHOWN_MARGIN) && hand_on(&big, 2).is_none());
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

    /// The self-assessment's tree worked out beside the final one is the tree worked out
    /// on its own, for every agency of a round with two appraisal rounds.
    #[test]
    fn the_self_tree_beside_the_final_one_is_the_same_as_alone() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/so-ban-nganh-2025");
        let inputs = crate::read::inputs::read_round_file(&dir.join("round.toml")).unwrap();
        let round = crate::read::inputs::load(&inputs).round.unwrap();
        let stack = &round.stack;
        let set = &round.set;
        let order = tree::bottom_up(set);
        let mut reused = 0;
        for a in 0..round.agencies.len() {
            let last = |id| stack.input(Stage::Final, a, id);
            let own = |id| stack.input(Stage::SelfOnly, a, id);
            let fin: Score<Approx> = tree::score_in(set, &order, last);
            let alone: Score<Approx> = tree::score_in(set, &order, own);
            let beside =
                tree::score_beside(set, &order, own, &fin, |id| stack.same_at_both_stages(a, id));
            assert_eq!(alone, beside, "agency {a}");
            reused += set.leaves().filter(|(id, _, _)| stack.same_at_both_stages(a, *id)).count();
            if set.leaves().all(|(id, _, _)| stack.same_at_both_stages(a, id)) {
                assert_eq!(alone, fin, "agency {a}: nothing changed, the same tree");
            }
        }
        let leaves = set.leaves().count() * round.agencies.len();
        assert!(
            reused > 0 && reused < leaves,
            "some leaves change, most do not: {reused} of {leaves}"
        );
    }
}
