//! Scoring a whole round: each agency at the self stage and the final stage, then ranked
//! inside its group and graded. What every report is made from.

use rust_decimal::Decimal;

use crate::model::criteria::{CriteriaSet, Kind, NodeId, RankBy, RoundFields};
use crate::model::grade::grade_for;
use crate::model::layer::Stage;
use crate::model::layer::{Cell, LayerKind};
use crate::model::round::Round;
use crate::score::exact::Exact;
use crate::score::figure::Figure;
use crate::score::filter::{Arithmetic, Filter, Scored};
use crate::score::rank::{self, Entry, Vietnamese};
use crate::score::tree::{Score, Status};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::score::filter::Detail;

/// One agency's result: its figures exact, or rounded from exact (see [`Figure`]).
#[derive(Debug, Clone)]
pub struct AgencyResult {
    /// Index into [`Round::agencies`].
    pub agency: usize,
    /// At the chosen stage.
    pub score: Score<Figure>,
    /// At the self stage, where the chosen stage is final and the report shows every
    /// node (see [`Detail`]).
    pub self_score: Option<Score<Figure>>,
    /// The self-assessed index, where the chosen stage is final.
    pub self_index: Option<Figure>,
    /// The index as shown, rounded to the set's decimals.
    pub rounded: Option<Decimal>,
    pub rank: Option<usize>,
    /// Its rank in its group on each regular field's points, in field order, by the rule
    /// and the figures the index is ranked by (`rank_by`); `None` where nothing in the
    /// field applies to it.
    pub field_ranks: Vec<Option<usize>>,
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
    /// The row of the round's tables behind a computed value, whether or not it counts.
    pub system: Option<(usize, usize)>,
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

/// A leaf that claims points at the final stage but whose rows cite no evidence, so it
/// scores 0 (what `check` warns of).
#[derive(Debug, Clone)]
pub struct Unproven {
    pub agency: usize,
    pub node: NodeId,
    /// The points the value would score with evidence.
    pub claimed: Figure,
}

/// Every claim without evidence in the round, by agency, then by leaf in the set's
/// order. Each agency's tree is scored and let go at once: what stays is the claims.
pub fn claims_without_evidence(round: &Round) -> Vec<Unproven> {
    leaves_where(round, Detail::Tables, |a, scored, id| match &scored.score.nodes[id].status {
        Status::NoEvidence { claimed } => {
            Some(Unproven { agency: a, node: id, claimed: claimed.clone() })
        }
        _ => None,
    })
}

/// What `pick` makes of each leaf of each agency scored at the final stage, keeping
/// `detail`, where it makes something: by agency, then by leaf in the set's order. Each
/// agency's trees are let go once its leaves are looked at.
fn leaves_where<T: Send>(
    round: &Round,
    detail: Detail,
    pick: impl Fn(usize, &Scored, NodeId) -> Option<T> + Sync,
) -> Vec<T> {
    let filter = Filter::new(&round.set, detail, Arithmetic::Filtered);
    let leaves: Vec<NodeId> = round.set.leaves().map(|(id, _, _)| id).collect();
    (0..round.agencies.len())
        .into_par_iter()
        .flat_map_iter(|a| {
            let scored = filter.agency(&round.stack, Stage::Final, a);
            leaves.iter().filter_map(|&id| pick(a, &scored, id)).collect::<Vec<_>>()
        })
        .collect()
}

/// The rows behind each of `cells` (agency, leaf) at `stage`, found in the round's
/// layers a block of agencies at a time; `cells` in the order of their agencies.
pub fn trails(round: &Round, stage: Stage, cells: &[(usize, NodeId)]) -> Vec<CellTrail> {
    // Agencies whose rows are looked up in one pass over the round's cells.
    const BLOCK: usize = 8192;
    let mut out = Vec::with_capacity(cells.len());
    for chunk in cells.chunk_by(|x, y| x.0 / BLOCK == y.0 / BLOCK) {
        let start = chunk[0].0 / BLOCK * BLOCK;
        let end = (start + BLOCK).min(round.agencies.len());
        let grid = Grid::of(round, stage, start..end);
        out.extend(chunk.iter().map(|&(agency, node)| grid.trail(agency, node)));
    }
    out
}

/// What a workbook's sheets of each field show of one agency, rounded to the set's
/// decimals as shown: the points of each leaf and field where it applies, by node id
/// (`None` for other nodes), and each field's max and sub-index, in the set's order.
#[derive(Debug, Clone)]
pub struct ByLeaf {
    pub points: Vec<Option<Decimal>>,
    pub fields: Vec<(Option<Decimal>, Option<Decimal>)>,
}

/// Every agency's [`ByLeaf`], by its index in the round: each agency's tree is scored
/// (its shown figures checked as every report's are) and let go, its figures kept as
/// shown, a few bytes each, rather than as the tree keeps them.
pub fn by_leaf(round: &Round, stage: Stage) -> Vec<ByLeaf> {
    let set = &round.set;
    let d = set.decimals;
    let filter = Filter::new(set, Detail::Tables, Arithmetic::Filtered);
    let roots: Vec<NodeId> = set.roots().map(|(id, _)| id).collect();
    (0..round.agencies.len())
        .into_par_iter()
        .map(|a| {
            let s = filter.agency(&round.stack, stage, a).score;
            let points = set
                .nodes
                .iter()
                .enumerate()
                .map(|(id, node)| {
                    let kept = node.leaf.is_some() || node.parent.is_none();
                    let n = kept.then(|| &s.nodes[id]).filter(|n| n.applicable)?;
                    Some(n.points.round(d))
                })
                .collect();
            let fields = roots
                .iter()
                .map(|&f| {
                    let n = &s.nodes[f];
                    (n.applicable.then(|| n.max.round(d)), n.sub_index().map(|x| x.round(d)))
                })
                .collect();
            ByLeaf { points, fields }
        })
        .collect()
}

/// For each agency (by its index in the round) and each of `nodes`: whether the node
/// applies at either stage, and its points at the final stage less its self-assessed
/// points, exactly. What `compare` shows of a round's self-assessment against its
/// appraisal; each agency's trees are scored and let go.
pub fn differences(round: &Round, nodes: &[NodeId]) -> Vec<Vec<(bool, Figure)>> {
    let filter = Filter::new(&round.set, Detail::Corrections, Arithmetic::Filtered);
    (0..round.agencies.len())
        .into_par_iter()
        .map(|a| {
            let scored = filter.agency(&round.stack, Stage::Final, a);
            let own = scored.self_score.expect("the final stage keeps the self stage");
            nodes
                .iter()
                .map(|&id| {
                    let (o, l) = (&own.nodes[id], &scored.score.nodes[id]);
                    (o.applicable || l.applicable, l.points.sub(&o.points))
                })
                .collect()
        })
        .collect()
}

/// Scores every agency of the round, keeping every detail.
pub fn score(round: &Round, stage: Stage) -> Results {
    score_with(round, stage, Detail::Full, &crate::progress::Progress::hidden())
}

/// [`score`], keeping `detail`, ticking `progress` once per agency.
pub fn score_with(
    round: &Round,
    stage: Stage,
    detail: Detail,
    progress: &crate::progress::Progress,
) -> Results {
    score_using(round, stage, detail, Arithmetic::Filtered, progress)
}

/// [`score_with`] in the given arithmetic: the same figures either way, to every place
/// shown; [`Arithmetic::Exact`] only takes longer.
pub fn score_using(
    round: &Round,
    stage: Stage,
    detail: Detail,
    arithmetic: Arithmetic,
    progress: &crate::progress::Progress,
) -> Results {
    score_all(round, stage, detail, arithmetic, progress, None)
}

/// [`score_using`], and agency `whole`, if any, with every detail.
fn score_all(
    round: &Round,
    stage: Stage,
    detail: Detail,
    arithmetic: Arithmetic,
    progress: &crate::progress::Progress,
    whole: Option<usize>,
) -> Results {
    progress.count(&crate::tr!("scoring", "đang chấm điểm"), round.agencies.len());
    let set = &round.set;
    let stack = &round.stack;
    let filter = Filter::new(set, detail, arithmetic);
    // The rows behind each leaf, for reports that show them.
    let grid = (detail == Detail::Full).then(|| Grid::new(round, stage));
    // The one agency kept whole, and the rows behind its leaves alone.
    let one = whole
        .map(|a| (a, Filter::new(set, Detail::Full, arithmetic), Grid::of(round, stage, a..a + 1)));
    let filter_of = |a: usize| match &one {
        Some((whole, filter, grid)) if *whole == a => (filter, Some(grid)),
        _ => (&filter, grid.as_ref()),
    };
    // Agencies are scored independently: on every core.
    let mut agencies: Vec<AgencyResult> = (0..round.agencies.len())
        .into_par_iter()
        .map(|a| {
            let (filter, grid) = filter_of(a);
            let result = agency_result(round, filter, grid, stage, a);
            progress.tick();
            result
        })
        .collect();
    progress.step(&crate::tr!("ranking", "đang xếp hạng"));
    let fields: Vec<NodeId> =
        set.roots().filter(|(_, n)| n.kind == Kind::Regular).map(|(id, _)| id).collect();
    if set.rank_by == RankBy::Exact {
        let indexes: Vec<Option<&Figure>> =
            agencies.iter().map(|r| r.score.index.as_ref()).collect();
        let mut redo = Filter::near_ties(&indexes);
        // Fields are ranked on their exact points too.
        for &f in &fields {
            let points: Vec<Option<&Figure>> = agencies
                .iter()
                .map(|r| r.score.nodes[f].applicable.then_some(&r.score.nodes[f].points))
                .collect();
            for (r, near) in redo.iter_mut().zip(Filter::near_ties(&points)) {
                *r |= near;
            }
        }
        for (i, r) in agencies.iter_mut().enumerate().filter(|(i, _)| redo[*i]) {
            r.score = filter_of(i).0.exactly(stack, stage, i);
            r.rounded = r.score.index.as_ref().map(|x| x.round(set.decimals));
        }
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
        let entries: Vec<Entry<'_, Figure>> = members
            .iter()
            .map(|&i| {
                let r = &agencies[i];
                let key = match set.rank_by {
                    RankBy::Exact => r.score.index.clone(),
                    // The index as shown: a decimal, and so its own exact value.
                    RankBy::Rounded => r.rounded.map(|x| Exact::from_decimal(x).into()),
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
    let field_ranks = field_ranks(set, &fields, &agencies, &groups);
    for (r, ranks) in agencies.iter_mut().zip(field_ranks) {
        r.field_ranks = ranks;
    }
    Results { stage, agencies, groups }
}

/// Agency `a` scored by `filter`, unranked, with the rows behind each leaf from `grid`.
fn agency_result(
    round: &Round,
    filter: &Filter,
    grid: Option<&Grid>,
    stage: Stage,
    a: usize,
) -> AgencyResult {
    let set = &round.set;
    let Scored { score, self_score, self_index } = filter.agency(&round.stack, stage, a);
    let rounded = score.index.as_ref().map(|i| i.round(set.decimals));
    let grade = rounded
        .and_then(|r| grade_for(&set.grades, r))
        .and_then(|g| set.grades.iter().position(|x| x == g));
    let cells = grid.map_or_else(Vec::new, |grid| {
        set.nodes
            .iter()
            .enumerate()
            .map(|(id, n)| n.leaf.as_ref().map(|_| grid.trail(a, id)))
            .collect()
    });
    AgencyResult {
        agency: a,
        score,
        self_score,
        self_index,
        rounded,
        rank: None,
        field_ranks: Vec::new(),
        grade,
        cells,
    }
}

/// Agencies scored one at a time with every node at both stages and the rows behind
/// their leaves, for a report that shows each agency whole after the round's tables (the
/// HTML page's cards): one agency's figures at a time, never every agency's.
pub struct Whole<'r> {
    round: &'r Round,
    stage: Stage,
    filter: Filter<'r>,
    /// Each agency's rows, as (layer, cell) in the order they are laid.
    rows: Vec<Vec<(u32, u32)>>,
}

impl<'r> Whole<'r> {
    pub fn new(round: &'r Round, stage: Stage) -> Self {
        let at = |n: usize| u32::try_from(n).expect("fewer than 2³² rows in a file");
        let mut rows = vec![Vec::new(); round.agencies.len()];
        for (l, layer) in round.layers.iter().enumerate() {
            for (c, cell) in layer.cells.iter().enumerate() {
                rows[cell.agency].push((at(l), at(c)));
            }
        }
        let filter = Filter::new(&round.set, Detail::Full, Arithmetic::Filtered);
        Whole { round, stage, filter, rows }
    }

    /// Agency `a` (an index into the round's agencies) with every detail, unranked.
    pub fn agency(&self, a: usize) -> AgencyResult {
        let rows = self.rows[a].iter().map(|&(l, c)| (l as usize, c as usize));
        let grid = Grid::from_rows(self.round, self.stage, a..a + 1, rows);
        agency_result(self.round, &self.filter, Some(&grid), self.stage, a)
    }
}

/// The leaves whose points at the final stage are not the self-assessment's, agency by
/// agency: the rows a report of the changes needs the texts of.
pub fn changed_leaves(round: &Round) -> Vec<(usize, NodeId)> {
    leaves_where(round, Detail::Full, |a, scored, id| {
        let own = scored.self_score.as_ref().expect("the final stage keeps the self stage whole");
        (own.nodes[id].points != scored.score.nodes[id].points).then_some((a, id))
    })
}

/// Every agency scored and ranked as the published tables keep them, and agency `a` (an
/// index into the round's agencies) with every node at both stages and the rows behind
/// its leaves: what a report on one agency needs, its rank among the others included,
/// for a fraction of what keeping every agency whole takes.
pub fn score_one(round: &Round, stage: Stage, a: usize) -> Results {
    score_all(
        round,
        stage,
        Detail::Fields,
        Arithmetic::Filtered,
        &crate::progress::Progress::hidden(),
        Some(a),
    )
}

/// Who leads each field: per agency, its rank in its group on each of `fields`, as the
/// index is ranked (`rank_by`: the points as shown, or exact); none where the field does
/// not apply to it.
fn field_ranks(
    set: &CriteriaSet,
    fields: &[NodeId],
    agencies: &[AgencyResult],
    groups: &[(String, Vec<usize>)],
) -> Vec<Vec<Option<usize>>> {
    let per_group: Vec<Vec<Vec<Option<usize>>>> = groups
        .par_iter()
        .map(|(_, members)| {
            // Ranked as the index is: on the figures as the tables show them, each field
            // rounded on its own or, under `round_fields = "sum"`, apportioned to the row's
            // total — two agencies shown with equal points never get different ranks.
            let shown: Vec<Vec<Option<Decimal>>> = match set.rank_by {
                RankBy::Rounded => {
                    members.iter().map(|&i| shown_fields(set, fields, &agencies[i])).collect()
                }
                RankBy::Exact => Vec::new(),
            };
            fields
                .iter()
                .enumerate()
                .map(|(k, &f)| {
                    let node = |i: usize| &agencies[i].score.nodes[f];
                    let applies = |i: usize| node(i).applicable;
                    match set.rank_by {
                        RankBy::Rounded => {
                            rank::shared_ranks(&shown.iter().map(|row| row[k]).collect::<Vec<_>>())
                        }
                        RankBy::Exact => rank::shared_ranks(
                            &members
                                .iter()
                                .map(|&i| applies(i).then(|| &node(i).points))
                                .collect::<Vec<_>>(),
                        ),
                    }
                })
                .collect()
        })
        .collect();
    let mut ranks = vec![Vec::new(); agencies.len()];
    for ((_, members), by_field) in groups.iter().zip(per_group) {
        for (k, &i) in members.iter().enumerate() {
            ranks[i] = by_field.iter().map(|r| r[k]).collect();
        }
    }
    ranks
}

/// An agency's points on each of `fields` as the published tables show them: each
/// rounded on its own, or apportioned under `round_fields = "sum"` (`None` where the field
/// does not apply). Every report shows these, and field ranks are taken on them.
pub fn shown_fields(
    set: &CriteriaSet,
    fields: &[NodeId],
    agency: &AgencyResult,
) -> Vec<Option<Decimal>> {
    let s = &agency.score;
    let d = set.decimals;
    let applicable: Vec<&Figure> =
        fields.iter().filter(|&&f| s.nodes[f].applicable).map(|&f| &s.nodes[f].points).collect();
    let mut shown = match set.round_fields {
        RoundFields::Each => applicable.iter().map(|p| p.round(d)).collect(),
        RoundFields::Sum => crate::score::apportion::apportion(&applicable, s.points.round(d), d),
    }
    .into_iter();
    fields.iter().map(|&f| if s.nodes[f].applicable { shown.next() } else { None }).collect()
}

/// The rows behind every agency's leaves at a stage: the one whose value counts, the
/// self-assessment's, and the last that cites evidence.
struct Grid {
    /// The agencies it holds: all, or the one a report is about.
    agencies: std::ops::Range<usize>,
    leaves: usize,
    /// Node id → leaf slot.
    slot: Vec<Option<usize>>,
    /// agency × leaf → the row whose value counts.
    value: Vec<Option<RowRef>>,
    own: Vec<Option<RowRef>>,
    evidence: Vec<Option<RowRef>>,
    system: Vec<Option<RowRef>>,
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
    /// The rows behind every agency's leaves.
    fn new(round: &Round, stage: Stage) -> Self {
        Self::of(round, stage, 0..round.agencies.len())
    }

    /// The rows behind the leaves of `agencies` alone.
    fn of(round: &Round, stage: Stage, agencies: std::ops::Range<usize>) -> Self {
        let rows = round
            .layers
            .iter()
            .enumerate()
            .flat_map(|(l, layer)| (0..layer.cells.len()).map(move |c| (l, c)));
        Self::from_rows(round, stage, agencies, rows)
    }

    /// The rows behind the leaves of `agencies`, found among `rows` ((layer, cell) of the
    /// round, in the order they are laid).
    fn from_rows(
        round: &Round,
        stage: Stage,
        agencies: std::ops::Range<usize>,
        rows: impl Iterator<Item = (usize, usize)>,
    ) -> Self {
        let set = &round.set;
        let mut slot = vec![None; set.nodes.len()];
        let mut leaves = 0;
        for (id, _, _) in set.leaves() {
            slot[id] = Some(leaves);
            leaves += 1;
        }
        let size = agencies.len() * leaves;
        let (mut value, mut own, mut evidence, mut system) =
            (vec![None; size], vec![None; size], vec![None; size], vec![None; size]);
        // With tables, a computed leaf's final value is never the agency's own claim.
        let tables = round.layers.iter().any(|l| l.kind == LayerKind::Computed);
        let is_computed =
            |id: NodeId| tables && set.nodes[id].leaf.as_ref().is_some_and(|l| l.compute.is_some());
        for (l, c) in rows {
            let layer = &round.layers[l];
            if matches!(layer.kind, LayerKind::Appraisal(_)) && stage != Stage::Final {
                continue;
            }
            let computed = layer.kind == LayerKind::Computed;
            let cell = &layer.cells[c];
            let Some(s) = slot[cell.node] else { continue };
            if !agencies.contains(&cell.agency) {
                continue;
            }
            let at = (cell.agency - agencies.start) * leaves + s;
            // At the self stage the agency's own claim stands over the system's
            // figure (see `Stack::put`).
            let claimed = computed && stage == Stage::SelfOnly && value[at].is_some();
            let unproven = layer.kind == LayerKind::SelfAssessment
                && stage == Stage::Final
                && is_computed(cell.node);
            if cell.value.is_some() && !claimed && !unproven {
                value[at] = Some(RowRef::new(l, c));
            }
            if computed {
                system[at] = Some(RowRef::new(l, c));
            }
            if layer.kind == LayerKind::SelfAssessment {
                own[at] = Some(RowRef::new(l, c));
            }
            // A system figure is its own record; the agency's evidence stays shown.
            if cell.cited && !computed {
                evidence[at] = Some(RowRef::new(l, c));
            }
        }
        Grid { agencies, leaves, slot, value, own, evidence, system }
    }

    fn trail(&self, agency: usize, id: NodeId) -> CellTrail {
        let at = (agency - self.agencies.start) * self.leaves + self.slot[id].expect("a leaf");
        CellTrail {
            own: self.own[at].map(RowRef::parts),
            decisive: self.value[at].map(RowRef::parts),
            evidence: self.evidence[at].map(RowRef::parts),
            system: self.system[at].map(RowRef::parts),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(dir: &str, file: &str) -> Round {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/rounds").join(dir);
        let mut inputs = crate::read::inputs::read_round_file(&path.join("round.toml")).unwrap();
        inputs.criteria = path.join(file);
        crate::read::inputs::load(&inputs).round.unwrap()
    }

    // A workbook's sheets of each field show what the trees of the tables show.
    #[test]
    fn figures_kept_as_shown_are_the_trees_figures_rounded() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        for name in ["so-ban-nganh-2025", "xa-phuong-2025", "par-index-tinh-2024"] {
            let inputs = crate::read::inputs::read_round_file(&root.join(name).join("round.toml"));
            let round = crate::read::inputs::load(&inputs.unwrap()).round.unwrap();
            let d = round.set.decimals;
            for stage in [Stage::SelfOnly, Stage::Final] {
                let shown = by_leaf(&round, stage);
                let trees =
                    score_with(&round, stage, Detail::Tables, &crate::progress::Progress::hidden());
                for r in &trees.agencies {
                    let mine = &shown[r.agency];
                    for (id, node) in round.set.nodes.iter().enumerate() {
                        if node.leaf.is_some() || node.parent.is_none() {
                            let n = &r.score.nodes[id];
                            let want = n.applicable.then(|| n.points.round(d));
                            assert_eq!(mine.points[id], want, "{name} {stage:?} {}", node.code);
                        }
                    }
                    for (k, (f, _)) in round.set.roots().enumerate() {
                        let n = &r.score.nodes[f];
                        let want = (
                            n.applicable.then(|| n.max.round(d)),
                            n.sub_index().map(|x| x.round(d)),
                        );
                        assert_eq!(mine.fields[k], want, "{name} {stage:?} field {f}");
                    }
                }
            }
        }
    }

    fn field_ranks(results: &Results, round: &Round) -> Vec<(String, Vec<Option<usize>>)> {
        results
            .agencies
            .iter()
            .map(|r| (round.agencies[r.agency].id.clone(), r.field_ranks.clone()))
            .collect()
    }

    // 80.004, 80.004 and 80.001 all show 80.00: they share a field rank as they share the
    // index's rank, unless the set ranks on exact values.
    #[test]
    fn equal_field_points_share_a_rank_as_rank_by_says() {
        for (file, ties) in [("criteria.toml", [2, 2, 2]), ("criteria-exact.toml", [4, 2, 2])] {
            let round = round("ties", file);
            for detail in [Detail::Full, Detail::Fields] {
                let progress = crate::progress::Progress::hidden();
                let results = score_with(&round, Stage::Final, detail, &progress);
                let ranks = field_ranks(&results, &round);
                let expected = [
                    ("so-y-te", ties[0]),
                    ("so-dong", ties[1]),
                    ("so-an", ties[2]),
                    ("so-noi-vu", 1),
                    ("so-tu-phap", 5),
                ];
                for ((id, ranks), (want_id, want)) in ranks.iter().zip(expected) {
                    assert_eq!(
                        (id.as_str(), ranks.as_slice()),
                        (want_id, &[Some(want)][..]),
                        "{file}"
                    );
                }
                // A single field ranks as the index does.
                for r in &results.agencies {
                    assert_eq!(r.field_ranks, [r.rank], "{file}");
                }
            }
        }
    }

    // Under round_fields = "sum", Sở A's 1.04 + 1.04 = 2.08 shows as 1.1 + 1.0 (apportioned
    // to its total 2.1), Sở B's 1.06 + 1.00 as 1.1 + 1.0: equal in print, equal in rank,
    // where their own roundings (1.0 against 1.1) would rank Sở B first on field 1.
    #[test]
    fn field_ranks_follow_the_points_as_apportioned() {
        let round = round("apportioned", "criteria.toml");
        let results = score(&round, Stage::Final);
        let ranks = field_ranks(&results, &round);
        let by = |id: &str| ranks.iter().find(|(a, _)| a == id).unwrap().1.clone();
        assert_eq!(by("so-a"), [Some(1), Some(1)]);
        assert_eq!(by("so-b"), [Some(1), Some(1)]);
    }

    // An agency to which nothing in a field applies has no rank on it, and is not counted
    // in the others' ranks.
    #[test]
    fn a_field_that_does_not_apply_has_no_rank() {
        let round = round("na", "criteria.toml");
        let results = score(&round, Stage::Final);
        let ranks = field_ranks(&results, &round);
        let by = |id: &str| ranks.iter().find(|(a, _)| a == id).unwrap().1.clone();
        // Fields 1, 2, 3: so-noi-vu answers field 1 only (and the survey), ban-dan-toc
        // field 2, so-y-te neither.
        assert_eq!(by("so-noi-vu")[..2], [Some(1), None]);
        assert_eq!(by("ban-dan-toc")[..2], [None, Some(1)]);
        assert_eq!(by("so-y-te")[..2], [None, None]);
    }
}
