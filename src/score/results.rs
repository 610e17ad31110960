//! Scoring a whole round: each agency at the self stage and the final stage, then ranked
//! inside its group and graded. What every report is made from.

use rust_decimal::Decimal;

use crate::model::criteria::CriteriaSet;
use crate::model::criteria::{NodeId, RankBy};
use crate::model::grade::grade_for;
use crate::model::layer::Stage;
use crate::model::layer::{Cell, LayerKind};
use crate::model::round::Round;
use crate::model::stack::LeafInput;
use crate::model::stack::Stack;
use crate::score::exact::Approx;
use crate::score::exact::Exact;
use crate::score::rank::{self, Entry, Vietnamese};
use crate::score::tree::{self, NodeScore, Score};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// One agency's result.
#[derive(Debug, Clone)]
pub struct AgencyResult {
    /// Index into [`Round::agencies`].
    pub agency: usize,
    /// At the chosen stage.
    pub score: Score,
    /// At the self stage, where the chosen stage is final and the report shows every
    /// node (see [`Detail`]).
    pub self_score: Option<Score>,
    /// The self-assessed index, where the chosen stage is final.
    pub self_index: Option<Exact>,
    /// The index as shown, rounded to the set's decimals.
    pub rounded: Option<Decimal>,
    pub rank: Option<usize>,
    /// Index into the set's grades.
    pub grade: Option<usize>,
    /// The rows that decided each leaf: the winning row and every row with evidence
    /// (empty unless the report shows every node).
    pub cells: Vec<Option<CellTrail>>,
}

/// Where a leaf's value came from: rows of the round's layers, as (layer, cell) indexes,
/// so that a large round keeps no second copy of its text.
#[derive(Debug, Clone, Copy)]
pub struct CellTrail {
    /// The self-assessment row, if any.
    pub own: Option<(usize, usize)>,
    /// The row whose value counts.
    pub decisive: Option<(usize, usize)>,
    /// The last row that cites evidence, at any stage taken into account.
    pub evidence: Option<(usize, usize)>,
}

impl CellTrail {
    /// The row whose value counts, and the kind of file it is in.
    pub fn decisive<'r>(&self, round: &'r Round) -> Option<(LayerKind, &'r Cell)> {
        self.decisive.map(|(l, c)| (round.layers[l].kind, &round.layers[l].cells[c]))
    }

    /// The evidence cited for the cell.
    pub fn evidence<'r>(&self, round: &'r Round) -> Option<&'r str> {
        self.evidence.and_then(|(l, c)| round.layers[l].cells[c].evidence())
    }
}

/// A whole round, grouped and ranked.
#[derive(Debug, Clone)]
pub struct Results {
    pub stage: Stage,
    pub agencies: Vec<AgencyResult>,
    /// Groups in the order they first appear in the agencies file, each with its agencies
    /// (indexes into `agencies`) in rank order.
    pub groups: Vec<(String, Vec<usize>)>,
}

/// What to do with leaves that have no value at the stage scored: `error`, stop and list
/// them; or `zero`, score them 0 and list them. `--missing` takes these names and the
/// audit trail records them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Missing {
    Error,
    Zero,
}

/// Leaves without a value at the chosen stage, per agency (in agency order).
pub fn missing(round: &Round, stage: Stage) -> Vec<(usize, Vec<NodeId>)> {
    let stack = &round.stack;
    let leaves: Vec<NodeId> = round.set.leaves().map(|(id, _, _)| id).collect();
    (0..round.agencies.len())
        .filter_map(|a| {
            let gaps: Vec<NodeId> = leaves
                .iter()
                .copied()
                .filter(|&id| {
                    let input = stack.input(stage, a, id);
                    input.value.is_none() && !input.survey_na
                })
                .collect();
            (!gaps.is_empty()).then_some((a, gaps))
        })
        .collect()
}

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

/// What of one score a report shows, and so is kept and must round right: which nodes,
/// and whether they are also shown to the 20 places of the exact columns.
#[derive(Debug, Clone)]
struct Shown {
    /// Places from [`tree::keep_only`]; `None`: every node.
    kept: Option<std::sync::Arc<[u32]>>,
    exact_places: bool,
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
        Shown { kept, exact_places: detail == Detail::Full, totals: true }
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
        Shown {
            kept: Some(tree::keep_only(set.nodes.len(), |_| false)),
            exact_places: false,
            totals: false,
        }
    }
}

/// Scores every agency of the round, keeping every detail.
pub fn score(round: &Round, stage: Stage) -> Results {
    score_with(round, stage, Detail::Full, &crate::progress::Progress::new(false))
}

/// [`score`], keeping `detail`, ticking `progress` once per agency.
pub fn score_with(
    round: &Round,
    stage: Stage,
    detail: Detail,
    progress: &crate::progress::Progress,
) -> Results {
    progress.count("scoring", round.agencies.len());
    let set = &round.set;
    let order = tree::bottom_up(set);
    let stack = &round.stack;
    let shown = Shown::new(set, detail);
    let own_shown = if detail == Detail::Full { shown.clone() } else { Shown::index_only(set) };
    // The rows behind each leaf, for reports that show them.
    let grid = (detail == Detail::Full).then(|| Grid::new(round, stage));
    // Agencies are scored independently: on every core.
    let mut agencies: Vec<AgencyResult> = (0..round.agencies.len())
        .into_par_iter()
        .map(|a| {
            let last = |id| stack.input(stage, a, id);
            let own = |id| stack.input(Stage::SelfOnly, a, id);
            let fast: Score<Approx> = tree::score_in(set, &order, last);
            let own_fast = (stage == Stage::Final).then(|| {
                tree::score_beside(set, &order, own, &fast, |id| stack.same_at_both_stages(a, id))
            });
            let score = fast_or_exact(set, &order, &shown, fast, last);
            let self_score = own_fast.map(|f| fast_or_exact(set, &order, &own_shown, f, own));
            let self_index = self_score.as_ref().and_then(|s| s.index.clone());
            let self_score = self_score.filter(|_| detail == Detail::Full);
            let rounded = score.index.as_ref().map(|i| i.round(set.decimals));
            let grade = rounded
                .and_then(|r| grade_for(&set.grades, r))
                .and_then(|g| set.grades.iter().position(|x| x == g));
            let cells = grid.as_ref().map_or_else(Vec::new, |grid| {
                set.nodes
                    .iter()
                    .enumerate()
                    .map(|(id, n)| n.leaf.as_ref().map(|_| grid.trail(a, id)))
                    .collect()
            });
            progress.tick();
            AgencyResult {
                agency: a,
                score,
                self_score,
                self_index,
                rounded,
                rank: None,
                grade,
                cells,
            }
        })
        .collect();
    progress.step("ranking");
    if set.rank_by == RankBy::Exact {
        settle_near_ties(round, &order, stack, stage, &mut agencies);
    }

    let collation = Vietnamese::new();
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    // Group → its place in `groups`: a ministry-wide round has thousands of groups.
    let mut place: rustc_hash::FxHashMap<&str, usize> = rustc_hash::FxHashMap::default();
    for (i, agency) in round.agencies.iter().enumerate() {
        let at = *place.entry(agency.group.as_str()).or_insert_with(|| {
            groups.push((agency.group.clone(), Vec::new()));
            groups.len() - 1
        });
        groups[at].1.push(i);
    }
    for (_, members) in &mut groups {
        let entries: Vec<Entry<'_, Exact>> = members
            .iter()
            .map(|&i| {
                let r = &agencies[i];
                let key = match set.rank_by {
                    RankBy::Exact => r.score.index.clone(),
                    RankBy::Rounded => r.rounded.map(Exact::from_decimal),
                };
                Entry { key, name: &round.agencies[i].name, id: &round.agencies[i].id }
            })
            .collect();
        let (order, ranks) = rank::rank(&entries, &collation);
        for (k, &i) in members.iter().enumerate() {
            agencies[i].rank = ranks[k];
        }
        *members = order.into_iter().map(|k| members[k]).collect();
    }
    Results { stage, agencies, groups }
}

/// A score on 28-digit decimals (`fast`) as it stands, or scored again exactly when any figure shown — to the set's
/// decimals, or to the 20 places of the exact columns — lies so near a rounding half
/// that digits beyond the decimals' could decide it. Sums and products of the set's
/// figures are exact either way; only divisions differ, by less than the margin checked.
/// Only what the report shows is checked, and kept.
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
    let exact = |x: &Approx| x.near_half(crate::score::exact::EXACT_PLACES, exact_margin);
    let both = |x: &Approx| rounded(x) || exact(x);
    let check = |x: &Approx| if shown.exact_places { both(x) } else { rounded(x) };
    let node = |n: &NodeScore<Approx>| check(&n.points) || n.sub_index().is_some_and(|s| check(&s));
    let totals =
        shown.totals && [&fast.points, &fast.bonus, &fast.deduction].into_iter().any(check);
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

/// Where the exact index ranks, two agencies whose decimal indexes lie within 10⁻¹⁸ of
/// each other are scored again exactly, so that digits the decimals do not hold cannot
/// decide their order.
fn settle_near_ties(
    round: &Round,
    order: &[NodeId],
    stack: &Stack,
    stage: Stage,
    agencies: &mut [AgencyResult],
) {
    let set = &round.set;
    let close = Exact::from_decimal(Decimal::new(1, 18));
    let mut keyed: Vec<(Exact, usize)> = agencies
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.score.index.clone().map(|k| (k, i)))
        .collect();
    keyed.sort();
    let mut redo = vec![false; agencies.len()];
    for pair in keyed.windows(2) {
        if pair[1].0.sub(&pair[0].0) < close {
            redo[pair[0].1] = true;
            redo[pair[1].1] = true;
        }
    }
    for (i, r) in agencies.iter_mut().enumerate().filter(|(i, _)| redo[*i]) {
        r.score = tree::score(set, order, |id| stack.input(stage, i, id));
        r.rounded = r.score.index.as_ref().map(|x| x.round(set.decimals));
    }
}

/// The rows behind every agency's leaves at a stage: the one whose value counts, the
/// self-assessment's, and the last that cites evidence.
struct Grid {
    leaves: usize,
    /// Node id → leaf slot.
    slot: Vec<Option<usize>>,
    /// agency × leaf → the row whose value counts.
    value: Vec<Option<RowRef>>,
    own: Vec<Option<RowRef>>,
    evidence: Vec<Option<RowRef>>,
}

/// A row of a layer, packed into one word: a grid holds three per agency and leaf.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RowRef(std::num::NonZeroU64);

impl RowRef {
    fn new(layer: usize, cell: usize) -> Self {
        let packed = ((layer as u64 + 1) << 40) | cell as u64;
        RowRef(std::num::NonZeroU64::new(packed).expect("the layer part is never zero"))
    }

    fn parts(self) -> (usize, usize) {
        let v = self.0.get();
        (
            usize::try_from((v >> 40) - 1).unwrap_or(0),
            usize::try_from(v & ((1 << 40) - 1)).unwrap_or(0),
        )
    }
}

impl Grid {
    fn new(round: &Round, stage: Stage) -> Self {
        let set = &round.set;
        let mut slot = vec![None; set.nodes.len()];
        let mut leaves = 0;
        for (id, _, _) in set.leaves() {
            slot[id] = Some(leaves);
            leaves += 1;
        }
        let size = round.agencies.len() * leaves;
        let (mut value, mut own, mut evidence) =
            (vec![None; size], vec![None; size], vec![None; size]);
        for (l, layer) in round.layers.iter().enumerate() {
            if matches!(layer.kind, LayerKind::Appraisal(_)) && stage != Stage::Final {
                continue;
            }
            for (c, cell) in layer.cells.iter().enumerate() {
                let Some(s) = slot[cell.node] else { continue };
                let at = cell.agency * leaves + s;
                if cell.value.is_some() {
                    value[at] = Some(RowRef::new(l, c));
                }
                if layer.kind == LayerKind::SelfAssessment {
                    own[at] = Some(RowRef::new(l, c));
                }
                if cell.cited {
                    evidence[at] = Some(RowRef::new(l, c));
                }
            }
        }
        Grid { leaves, slot, value, own, evidence }
    }

    fn trail(&self, agency: usize, id: NodeId) -> CellTrail {
        let at = agency * self.leaves + self.slot[id].expect("a leaf");
        CellTrail {
            own: self.own[at].map(RowRef::parts),
            decisive: self.value[at].map(RowRef::parts),
            evidence: self.evidence[at].map(RowRef::parts),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
