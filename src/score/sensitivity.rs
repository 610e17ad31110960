//! How steady each rank is (Monte Carlo uncertainty analysis, as the OECD/JRC handbook on
//! composite indicators does it): the points of the fields, or of the criteria, are
//! scaled by factors drawn uniformly in 1 ± spread, every agency is ranked again, and
//! this is repeated for many runs.
//!
//! A factor scales a unit's weight in the index, not the agency's work in it: under a
//! summing parent the unit's max and the agency's points in it are both scaled, so its
//! share of what it could give stays as it was; under a weighted parent (spec §2) its
//! weight is scaled. Everything below the unit is worked out once, exactly, and kept as
//! two numbers per agency and unit; a run is then a handful of multiplications per
//! agency. The perturbed runs use `f64`: they feed statistics, not published figures.
//!
//! Each run draws its factors from its own `ChaCha8` stream, named by the seed, the pass and
//! the run's number, so the output does not depend on how many threads ran it; the
//! counts the runs add to are integers, whose sums do not depend on order either.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

use crate::model::criteria::{CriteriaSet, Kind, NodeId, RankBy};
use crate::score::figure::Figure;
use crate::score::results::Results;

/// Which nodes are perturbed: `field`, the fields (lĩnh vực), each as a whole; or
/// `criterion`, the criteria (tiêu chí), the children of each field (a field without
/// children is perturbed as a whole). `--level` takes these names and the audit trail
/// records them.
// The variants carry no doc comments: clap would list them in `--help` as the values' help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Field,
    Criterion,
}

/// How to perturb, and how often.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    pub runs: usize,
    pub seed: u64,
    /// Half the width of the factors' range: 0.25 draws factors in 0.75..1.25.
    pub spread: f64,
    pub level: Level,
}

/// The seed used when none is given: the same output every time.
pub const DEFAULT_SEED: u64 = 2025;

/// A perturbed unit: a field or a criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit {
    pub node: NodeId,
    /// Index into [`Model::fields`].
    pub field: usize,
}

/// A regular field, and how its points come from its units.
#[derive(Debug, Clone, PartialEq)]
struct Field {
    node: NodeId,
    /// The field's own max where its units are its weighted children.
    weighted: Option<f64>,
    units: std::ops::Range<usize>,
}

/// A round's results reduced to what a run needs, worked out once.
#[derive(Debug, Clone)]
pub struct Model {
    units: Vec<Unit>,
    fields: Vec<Field>,
    /// The ranked agencies (result indexes), group after group, each group in its
    /// published order: an agency's place here is its number in the model, so that a
    /// run reads every table below from start to end.
    ranked: Vec<usize>,
    /// Each result's place in `ranked`, if it is ranked.
    place: Vec<Option<usize>>,
    /// The groups, as stretches of `ranked`.
    groups: Vec<std::ops::Range<usize>>,
    /// Per ranked agency and unit: under a summing parent, the points and the applicable
    /// max; under a weighted one, weight × points / max and the weight (0 and 0 where it
    /// does not apply).
    cells: Vec<(f64, f64)>,
    /// Bonus minus deduction, per ranked agency.
    extra: Vec<f64>,
    /// The units under summing parents: the first this many.
    plain: usize,
    /// Per agency and field, the points and max of the other fields, unperturbed.
    rest: Vec<(f64, f64)>,
    /// 10^decimals: a rounded index is kept as a whole number of these.
    scale: f64,
    rank_by: RankBy,
    /// Each grade's `min` as a whole number of 1/scale, rounded up.
    grade_mins: Vec<i64>,
    /// The ranks of the unperturbed run, per pass (0: every unit; f + 1: field f alone,
    /// worked out the way that pass works it out) and ranked agency.
    baseline: Vec<Vec<u32>>,
}

impl Model {
    /// Reduces `results` (whose scores keep at least the fields and, for
    /// [`Level::Criterion`], the criteria) to a model.
    pub fn new(set: &CriteriaSet, results: &Results, level: Level) -> Self {
        // Units under summing parents first, so that a run adds them up in one
        // stretch; then each weighted field's.
        let regular: Vec<NodeId> =
            set.roots().filter(|(_, n)| n.kind == Kind::Regular).map(|(i, _)| i).collect();
        let by_children =
            |f: NodeId| level == Level::Criterion && !set.nodes[f].children.is_empty();
        let weighted = |f: NodeId| by_children(f) && set.is_weighted(f);
        let mut units = Vec::new();
        let mut fields: Vec<Field> =
            regular.iter().map(|&node| Field { node, weighted: None, units: 0..0 }).collect();
        for pass_weighted in [false, true] {
            for (field, &node) in regular.iter().enumerate() {
                if weighted(node) != pass_weighted {
                    continue;
                }
                let start = units.len();
                if by_children(node) {
                    units.extend(set.nodes[node].children.iter().map(|&c| Unit { node: c, field }));
                } else {
                    units.push(Unit { node, field });
                }
                fields[field].units = start..units.len();
                fields[field].weighted = pass_weighted.then(|| to_f64(set.nodes[node].max));
            }
        }
        let plain = fields.iter().filter(|f| f.weighted.is_none()).map(|f| f.units.len()).sum();
        let mut ranked: Vec<usize> = Vec::new();
        let mut groups = Vec::new();
        for (_, members) in &results.groups {
            let start = ranked.len();
            ranked.extend(
                members.iter().filter(|&&i| results.agencies[i].score.index.is_some()).copied(),
            );
            groups.push(start..ranked.len());
        }
        let mut place = vec![None; results.agencies.len()];
        for (k, &i) in ranked.iter().enumerate() {
            place[i] = Some(k);
        }
        let width = units.len();
        let mut cells = Vec::with_capacity(ranked.len() * width);
        let mut extra = Vec::with_capacity(ranked.len());
        for &i in &ranked {
            let s = &results.agencies[i].score;
            for u in &units {
                let score = &s.nodes[u.node];
                let weighted = fields[u.field].weighted.is_some();
                let cell = if !score.applicable {
                    (0.0, 0.0)
                } else if weighted {
                    let w = to_f64(set.nodes[u.node].weight.unwrap_or(Decimal::ONE));
                    match score.points.checked_div(&score.max) {
                        Some(share) => (w * exact_f64(&share), w),
                        None => (0.0, 0.0),
                    }
                } else {
                    (exact_f64(&score.points), exact_f64(&score.max))
                };
                cells.push(cell);
            }
            extra.push(exact_f64(&s.bonus) - exact_f64(&s.deduction));
        }
        let scale = 10f64.powi(i32::try_from(set.decimals).unwrap_or(i32::MAX));
        let grade_mins = set
            .grades
            .iter()
            .map(|g| {
                (g.min * Decimal::from(10i64.pow(set.decimals))).ceil().to_i64().unwrap_or(i64::MAX)
            })
            .collect();
        let mut model = Model {
            units,
            fields,
            ranked,
            place,
            cells,
            extra,
            plain,
            rest: Vec::new(),
            groups,
            scale,
            rank_by: set.rank_by,
            grade_mins,
            baseline: Vec::new(),
        };
        let ones = vec![1.0; model.units.len()];
        model.rest = (0..model.extra.len())
            .flat_map(|a| {
                let sums: Vec<(f64, f64)> =
                    model.fields.iter().map(|f| Model::field(f, model.cells(a), &ones)).collect();
                (0..sums.len()).map(move |f| {
                    sums.iter()
                        .enumerate()
                        .filter(|(g, _)| *g != f)
                        .fold((0.0, 0.0), |(p, m), (_, s)| (p + s.0, m + s.1))
                })
            })
            .collect();
        let mut scratch = Scratch::new(&model);
        model.baseline = (0..=model.fields.len())
            .map(|pass| {
                model.run(&ones, pass.checked_sub(1), &mut scratch);
                scratch.ranks.clone()
            })
            .collect();
        model
    }

    /// A result's index and rank without perturbation, if it is ranked.
    pub fn unperturbed(&self, result: usize) -> Option<(f64, u32)> {
        let k = self.place[result]?;
        let ones = vec![1.0; self.units.len()];
        Some((self.index(k, &ones)?, self.baseline[0][k]))
    }

    /// How many agencies the runs rank.
    pub fn ranked(&self) -> usize {
        self.ranked.len()
    }

    /// The regular fields' nodes, in order.
    pub fn fields(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.fields.iter().map(|f| f.node)
    }

    /// An agency's units.
    fn cells(&self, agency: usize) -> &[(f64, f64)] {
        let width = self.units.len();
        &self.cells[agency * width..(agency + 1) * width]
    }

    /// An agency's index under `factors` (one per unit), or `None` where nothing applies.
    fn index(&self, agency: usize, factors: &[f64]) -> Option<f64> {
        let cells = self.cells(agency);
        // Two running sums each, so that additions do not wait on one another.
        let (mut p, mut m) = ([0.0; 2], [0.0; 2]);
        let pairs = factors[..self.plain].chunks_exact(2).zip(cells[..self.plain].chunks_exact(2));
        for (f, c) in pairs {
            p[0] += f[0] * c[0].0;
            m[0] += f[0] * c[0].1;
            p[1] += f[1] * c[1].0;
            m[1] += f[1] * c[1].1;
        }
        if self.plain % 2 == 1 {
            let u = self.plain - 1;
            p[0] += factors[u] * cells[u].0;
            m[0] += factors[u] * cells[u].1;
        }
        let (mut points, mut max) = (p[0] + p[1], m[0] + m[1]);
        for field in self.fields.iter().filter(|f| f.weighted.is_some()) {
            let (a, b) = Self::field(field, cells, factors);
            points += a;
            max += b;
        }
        self.finish(agency, points, max)
    }

    /// An agency's index with only `field`'s units perturbed: the other fields' sums
    /// are worked out once (`rest`).
    fn index_alone(&self, agency: usize, field: usize, factors: &[f64]) -> Option<f64> {
        let (a, b) = Self::field(&self.fields[field], self.cells(agency), factors);
        let (p, m) = self.rest[agency * self.fields.len() + field];
        self.finish(agency, p + a, m + b)
    }

    /// A field's points and applicable max under `factors`.
    fn field(field: &Field, cells: &[(f64, f64)], factors: &[f64]) -> (f64, f64) {
        let (mut a, mut b) = (0.0, 0.0);
        for u in field.units.clone() {
            a += factors[u] * cells[u].0;
            b += factors[u] * cells[u].1;
        }
        match field.weighted {
            Some(own) if b > 0.0 => (own * a / b, own),
            Some(_) => (0.0, 0.0),
            None => (a, b),
        }
    }

    /// The index from the regular points and max, with the bonus and deduction.
    fn finish(&self, agency: usize, points: f64, max: f64) -> Option<f64> {
        (max > 0.0).then(|| (100.0 * points / max + self.extra[agency]).clamp(0.0, 100.0))
    }

    /// Ranks and grades every agency under `factors`, into `scratch`; `alone`: only that
    /// field's factors differ from 1.
    fn run(&self, factors: &[f64], alone: Option<usize>, scratch: &mut Scratch) {
        for group in &self.groups {
            scratch.keys.clear();
            for i in group.clone() {
                let index = match alone {
                    None => self.index(i, factors),
                    Some(f) => self.index_alone(i, f, factors),
                };
                let index = index.unwrap_or(0.0);
                let shown = whole(index, self.scale);
                scratch.grades[i] = u16::try_from(
                    self.grade_mins
                        .iter()
                        .position(|&m| shown >= m)
                        .unwrap_or(self.grade_mins.len()),
                )
                .unwrap_or(u16::MAX);
                let key = match self.rank_by {
                    RankBy::Rounded => shown,
                    // Equal exact indexes reached by different sums differ in their last
                    // bits: to 10⁻⁹ they are equal again.
                    RankBy::Exact => whole(index, 1e9),
                };
                scratch.keys.push(key);
            }
            let put = |k: usize, rank| scratch.ranks[group.start + k] = rank;
            match self.rank_by {
                // Shown indexes are whole numbers of 1/scale in 0..=100: counted, where
                // the group is large enough for counting to beat sorting.
                RankBy::Rounded if group.len() * 16 >= self.top() => {
                    rank_counted(&scratch.keys, self.top(), &mut scratch.counts, put);
                }
                RankBy::Rounded => rank_packed(&scratch.keys, self.top(), &mut scratch.packed, put),
                RankBy::Exact => rank_sorted(&scratch.keys, &mut scratch.sorted, put),
            }
        }
    }

    /// The highest shown index, as a whole number of 1/scale.
    fn top(&self) -> usize {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // 100 × 10^decimals
        let top = (100.0 * self.scale) as usize;
        top
    }

    /// The grade count: the set's grades, and one more for "no grade".
    pub fn grade_slots(&self) -> usize {
        self.grade_mins.len() + 1
    }
}

/// The relative nudge upwards a float index gets before it is rounded. Its sums and its
/// one division are off by a few units in the 16th digit, so an index exactly on a half
/// (52.195, held as 52.19499999999999) would round down where the published one rounds
/// up; nudged, it rounds up. Only an exact index within 10⁻¹² below a half would be
/// rounded up wrongly.
const NUDGE: f64 = 1e-12;

/// A non-negative `index` × `scale`, rounded half away from zero to a whole number.
fn whole(index: f64, scale: f64) -> i64 {
    // Adding a half and truncating rounds half away from zero for a number ≥ 0.
    #[allow(clippy::cast_possible_truncation)] // 0..=100 × at most 10⁹
    let n = (index * scale * (1.0 + NUDGE) + 0.5) as i64;
    n
}

/// Competition ranks (1, 2, 2, 4) of `keys` (each in `0..=top`), highest first:
/// `put(k, rank)` for each, by counting how many keys there are of each value.
fn rank_counted(keys: &[i64], top: usize, room: &mut Vec<i64>, mut put: impl FnMut(usize, u32)) {
    let at = |key: i64| usize::try_from(key).unwrap_or(0).min(top);
    room.clear();
    room.resize(top + 1, 0);
    for &key in keys {
        room[at(key)] += 1;
    }
    // Each value's count becomes the number of keys above it.
    let mut above = 0;
    for slot in room.iter_mut().rev() {
        let count = *slot;
        *slot = above;
        above += count;
    }
    for (k, &key) in keys.iter().enumerate() {
        put(k, u32::try_from(room[at(key)] + 1).unwrap_or(u32::MAX));
    }
}

/// [`rank_counted`] for keys of any size, by sorting them.
fn rank_sorted(keys: &[i64], sorted: &mut Vec<(i64, u32)>, mut put: impl FnMut(usize, u32)) {
    sorted.clear();
    sorted.extend(keys.iter().enumerate().map(|(k, &key)| (key, u32::try_from(k).unwrap_or(0))));
    sorted.sort_unstable_by_key(|&(key, _)| std::cmp::Reverse(key));
    // Down the sorted keys: a key equal to the one before shares its rank.
    let mut previous: Option<(i64, u32)> = None;
    for (position, &(key, k)) in sorted.iter().enumerate() {
        let rank = match previous {
            Some((p, r)) if p == key => r,
            _ => u32::try_from(position + 1).unwrap_or(u32::MAX),
        };
        put(k as usize, rank);
        previous = Some((key, rank));
    }
}

/// [`rank_counted`] for a small group, by sorting each key with its place packed into
/// one word: the highest key first.
fn rank_packed(keys: &[i64], top: usize, packed: &mut Vec<u64>, mut put: impl FnMut(usize, u32)) {
    let top = u64::try_from(top).unwrap_or(u64::MAX);
    packed.clear();
    packed.extend(keys.iter().enumerate().map(|(k, &key)| {
        let below = top - u64::try_from(key).unwrap_or(0).min(top);
        (below << 32) | u64::try_from(k).unwrap_or(0)
    }));
    packed.sort_unstable();
    let mut previous: Option<(u64, u32)> = None;
    for (position, &word) in packed.iter().enumerate() {
        let below = word >> 32;
        let rank = match previous {
            Some((p, r)) if p == below => r,
            _ => u32::try_from(position + 1).unwrap_or(u32::MAX),
        };
        put(usize::try_from(word & 0xFFFF_FFFF).unwrap_or(0), rank);
        previous = Some((below, rank));
    }
}

/// A run's working room, reused from run to run on each thread.
struct Scratch {
    factors: Vec<f64>,
    keys: Vec<i64>,
    sorted: Vec<(i64, u32)>,
    packed: Vec<u64>,
    counts: Vec<i64>,
    /// Per agency (result order); 0 for the unranked.
    ranks: Vec<u32>,
    grades: Vec<u16>,
}

impl Scratch {
    fn new(model: &Model) -> Self {
        let n = model.ranked.len();
        Scratch {
            factors: vec![1.0; model.units.len()],
            keys: Vec::new(),
            sorted: Vec::new(),
            packed: Vec::new(),
            counts: Vec::new(),
            ranks: vec![0; n],
            grades: vec![0; n],
        }
    }
}

/// What the runs showed of one ranked agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Steadiness {
    /// How many runs gave each rank from `first` on: `counts[r - first]` for rank r. Only
    /// the ranks between the best and the worst seen are kept, so that a group of 60,000
    /// takes room for the ranks each agency reached, not 60,000 for each.
    pub counts: Vec<u32>,
    /// The rank `counts[0]` counts (the best seen); 0 before any run.
    pub first: u32,
    /// How many runs gave each grade, in the set's order, then "no grade".
    pub grades: Vec<u32>,
}

impl Steadiness {
    fn new(grades: usize) -> Self {
        Steadiness { counts: Vec::new(), first: 0, grades: vec![0; grades] }
    }

    /// Counts one run's rank (1-based), widening the window of ranks kept as needed.
    fn add(&mut self, rank: u32) {
        if self.counts.is_empty() {
            self.first = rank;
        } else if rank < self.first {
            let grow = (self.first - rank) as usize;
            self.counts.splice(0..0, std::iter::repeat_n(0, grow));
            self.first = rank;
        }
        let at = (rank - self.first) as usize;
        if at >= self.counts.len() {
            self.counts.resize(at + 1, 0);
        }
        self.counts[at] += 1;
    }

    /// The rank below or at which `percent` of the runs fall (nearest-rank method: the
    /// ⌈p·N/100⌉-th smallest).
    pub fn percentile(&self, percent: u32) -> u32 {
        let runs: u64 = self.counts.iter().map(|&c| u64::from(c)).sum();
        let wanted = (u64::from(percent) * runs).div_ceil(100).max(1);
        let mut seen = 0;
        for (r, &c) in self.counts.iter().enumerate() {
            seen += u64::from(c);
            if seen >= wanted {
                return self.rank(r);
            }
        }
        self.rank(self.counts.len().saturating_sub(1))
    }

    fn rank(&self, at: usize) -> u32 {
        self.first.saturating_add(u32::try_from(at).unwrap_or(u32::MAX))
    }

    /// The best and the worst rank seen.
    pub fn range(&self) -> (u32, u32) {
        let rank = |r: usize| self.rank(r);
        let best = self.counts.iter().position(|&c| c > 0).map_or(0, rank);
        let worst = self.counts.iter().rposition(|&c| c > 0).map_or(0, rank);
        (best, worst)
    }
}

/// How much the ranks moved in a pass, against the unperturbed ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Movement {
    /// Σ |rank − unperturbed rank| over agencies and runs.
    pub total_shift: u64,
    pub largest_shift: u32,
    /// Agency-runs whose rank differed from the unperturbed one.
    pub moved: u64,
    /// Agency-runs counted.
    pub seen: u64,
}

impl Movement {
    fn add(&mut self, other: Movement) {
        self.total_shift += other.total_shift;
        self.largest_shift = self.largest_shift.max(other.largest_shift);
        self.moved += other.moved;
        self.seen += other.seen;
    }

    /// The mean shift in ranks, to `places`.
    pub fn mean_shift(&self, places: u32) -> Decimal {
        share(self.total_shift, self.seen, places)
    }

    /// The share of agency-runs whose rank moved, 0..1, to `places`.
    pub fn moved_share(&self, places: u32) -> Decimal {
        share(self.moved, self.seen, places)
    }
}

/// `part / whole` to `places`, half away from zero; 0 for an empty whole.
pub fn share(part: u64, whole: u64, places: u32) -> Decimal {
    if whole == 0 {
        return Decimal::ZERO;
    }
    (Decimal::from(part) / Decimal::from(whole))
        .round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// Everything the runs found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Per agency (result order); `None` for the unranked.
    pub agencies: Vec<Option<Steadiness>>,
    /// Every unit perturbed together.
    pub all: Movement,
    /// Per regular field, that field's units alone perturbed.
    pub fields: Vec<Movement>,
}

/// Runs done between two merges of their counts: enough to keep both cores busy, few
/// enough that their ranks take little room.
const BLOCK: usize = 256;

/// Perturbs and ranks `options.runs` times with every unit, then as often with each
/// field's units alone; `tick(n)` as runs finish.
pub fn analyse(model: &Model, options: &Options, tick: &(dyn Fn(usize) + Sync)) -> Outcome {
    // Per ranked agency, in the model's order.
    let mut steady: Vec<Steadiness> = model
        .groups
        .iter()
        .flat_map(Clone::clone)
        .map(|_| Steadiness::new(model.grade_slots()))
        .collect();
    let every: Vec<usize> = (0..model.units.len()).collect();
    let mut all = Movement::default();
    for start in (0..options.runs).step_by(BLOCK) {
        let end = (start + BLOCK).min(options.runs);
        let runs: Vec<(Vec<u32>, Vec<u16>, Movement)> = (start..end)
            .into_par_iter()
            .map_init(
                || Scratch::new(model),
                |scratch, run| {
                    perturbed(model, options, 0, run, &every, scratch);
                    let moved = movement(model, 0, &scratch.ranks);
                    (scratch.ranks.clone(), scratch.grades.clone(), moved)
                },
            )
            .collect();
        // Each agency adds up its own counts: on every core, in any order.
        steady.par_iter_mut().enumerate().for_each(|(i, s)| {
            for (ranks, grades, _) in &runs {
                s.add(ranks[i]);
                s.grades[usize::from(grades[i])] += 1;
            }
        });
        for (_, _, m) in &runs {
            all.add(*m);
        }
        tick(end - start);
    }
    let fields = (0..model.fields.len())
        .map(|f| {
            let units: Vec<usize> = model.fields[f].units.clone().collect();
            let pass = u64::try_from(f + 1).unwrap_or(u64::MAX);
            let mut total = Movement::default();
            for start in (0..options.runs).step_by(BLOCK) {
                let end = (start + BLOCK).min(options.runs);
                let moved: Vec<Movement> = (start..end)
                    .into_par_iter()
                    .map_init(
                        || Scratch::new(model),
                        |scratch, run| {
                            perturbed(model, options, pass, run, &units, scratch);
                            movement(model, f + 1, &scratch.ranks)
                        },
                    )
                    .collect();
                for m in moved {
                    total.add(m);
                }
                tick(end - start);
            }
            total
        })
        .collect();
    let mut steady: Vec<Option<Steadiness>> = steady.into_iter().map(Some).collect();
    let agencies = model.place.iter().map(|p| p.and_then(|k| steady[k].take())).collect();
    Outcome { agencies, all, fields }
}

/// One run of a pass: factors drawn for `units` (the others stay 1), then every agency
/// ranked and graded.
fn perturbed(
    model: &Model,
    options: &Options,
    pass: u64,
    run: usize,
    units: &[usize],
    scratch: &mut Scratch,
) {
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    rng.set_stream((pass << 40) | u64::try_from(run).unwrap_or(u64::MAX));
    scratch.factors.fill(1.0);
    for &u in units {
        scratch.factors[u] = 1.0 + options.spread * (2.0 * rng.random::<f64>() - 1.0);
    }
    let factors = std::mem::take(&mut scratch.factors);
    let alone = pass.checked_sub(1).and_then(|f| usize::try_from(f).ok());
    model.run(&factors, alone, scratch);
    scratch.factors = factors;
}

/// How far a run's ranks are from the unperturbed ones.
fn movement(model: &Model, pass: usize, ranks: &[u32]) -> Movement {
    let mut m = Movement::default();
    for (rank, base) in ranks.iter().zip(&model.baseline[pass]) {
        let shift = rank.abs_diff(*base);
        m.total_shift += u64::from(shift);
        m.largest_shift = m.largest_shift.max(shift);
        m.moved += u64::from(shift > 0);
        m.seen += 1;
    }
    m
}

fn to_f64(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

fn exact_f64(x: &Figure) -> f64 {
    to_f64(x.approx(crate::score::exact::EXACT_PLACES))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::layer::Stage;
    use crate::model::round::Round;
    use crate::score::results::{self, Detail};
    use proptest::prelude::*;

    const ROUNDS: [&str; 4] =
        ["so-ban-nganh-2025", "xa-phuong-2025", "par-index-tinh-2024", "vong-mau"];

    fn round(name: &str) -> Round {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(name)
            .join("round.toml");
        let inputs = crate::read::inputs::read_round_file(&path).unwrap();
        crate::read::inputs::load(&inputs).round.unwrap()
    }

    fn scored(round: &Round, level: Level) -> (Results, Model) {
        let detail = if level == Level::Field { Detail::Fields } else { Detail::Criteria };
        let progress = crate::progress::Progress::hidden();
        let results = results::score_with(round, Stage::Final, detail, &progress);
        let model = Model::new(&round.set, &results, level);
        (results, model)
    }

    /// Unperturbed, the model gives every agency its exact index (to float precision)
    /// and its published rank, at both levels, on every example round.
    #[test]
    fn unperturbed_the_model_gives_the_published_figures() {
        for name in ROUNDS {
            let round = round(name);
            for level in [Level::Field, Level::Criterion] {
                let (results, model) = scored(&round, level);
                let ones = vec![1.0; model.units.len()];
                for (i, r) in results.agencies.iter().enumerate() {
                    let exact = r.score.index.as_ref().map(exact_f64);
                    let Some((float, rank)) = model.unperturbed(i) else {
                        assert!(exact.is_none() && r.rank.is_none(), "{name} agency {i} is ranked");
                        continue;
                    };
                    let e = exact.unwrap();
                    assert!(
                        (e - float).abs() < 1e-9,
                        "{name} {level:?} agency {i}: {e} vs {float}"
                    );
                    let k = model.place[i].unwrap();
                    for f in 0..model.fields.len() {
                        let alone = model.index_alone(k, f, &ones).unwrap();
                        assert!((alone - float).abs() < 1e-9);
                    }
                    assert_eq!(Some(rank as usize), r.rank, "{name} {level:?} agency {i}");
                }
            }
        }
    }

    /// Indexes on a rounding midpoint (52.195 shows as 52.20), which floats hold a hair
    /// below or above it by the order of their additions, and equal exact indexes
    /// reached by different sums: unperturbed, every way of working them out ranks and
    /// grades each agency as published, and nothing moves.
    #[test]
    fn midpoints_and_equal_indexes_rank_as_published() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sensitivity");
        for name in ["round-rounded.toml", "round-exact.toml"] {
            let inputs = crate::read::inputs::read_round_file(&dir.join(name)).unwrap();
            let round = crate::read::inputs::load(&inputs).round.unwrap();
            for level in [Level::Field, Level::Criterion] {
                let (results, model) = scored(&round, level);
                let options = Options { runs: 5, seed: 1, spread: 0.0, level };
                let outcome = analyse(&model, &options, &|_| ());
                for (i, r) in results.agencies.iter().enumerate() {
                    let rank = u32::try_from(r.rank.unwrap()).unwrap();
                    let what = format!("{name} {level:?} {}", round.agencies[i].id);
                    assert_eq!(model.unperturbed(i).unwrap().1, rank, "{what}");
                    let s = outcome.agencies[i].as_ref().unwrap();
                    assert_eq!((s.percentile(5), s.percentile(95)), (rank, rank), "{what}");
                    assert_eq!(s.grades[r.grade.unwrap()], 5, "{what}: the published grade");
                }
                for (f, m) in outcome.fields.iter().enumerate() {
                    assert_eq!(m.moved, 0, "{name} {level:?}: field {f} alone moved ranks");
                }
                assert_eq!(outcome.all.moved, 0, "{name} {level:?}");
            }
        }
    }

    /// Scaling every unit by the same factor changes no index: the index is a ratio.
    #[test]
    fn one_factor_for_every_unit_changes_nothing() {
        let round = round("so-ban-nganh-2025");
        for level in [Level::Field, Level::Criterion] {
            let (results, model) = scored(&round, level);
            let ones = vec![1.0; model.units.len()];
            for c in [0.75, 0.9, 1.2] {
                let same = vec![c; model.units.len()];
                assert!(!results.agencies.is_empty());
                for i in 0..model.ranked.len() {
                    let (a, b) = (model.index(i, &ones), model.index(i, &same));
                    assert!(
                        (a.unwrap_or(-1.0) - b.unwrap_or(-1.0)).abs() < 1e-9,
                        "{level:?} {c} {i}"
                    );
                }
            }
        }
    }

    /// A field perturbed alone gives the same index as every unit perturbed with the
    /// other factors at 1, and a heavier field moves an agency towards its sub-index.
    #[test]
    fn a_field_alone_is_the_whole_with_the_others_at_one() {
        let round = round("xa-phuong-2025");
        for level in [Level::Field, Level::Criterion] {
            let (results, model) = scored(&round, level);
            for (f, field) in model.fields.iter().enumerate() {
                let mut factors = vec![1.0; model.units.len()];
                for u in field.units.clone() {
                    factors[u] = 1.2;
                }
                assert!(!results.agencies.is_empty());
                for i in 0..model.ranked.len() {
                    let whole = model.index(i, &factors).unwrap_or(-1.0);
                    let alone = model.index_alone(i, f, &factors).unwrap_or(-1.0);
                    assert!((whole - alone).abs() < 1e-9, "{level:?} field {f} agency {i}");
                }
            }
        }
        // At the field level the index is 100·Σ fᵢpᵢ / Σ fᵢmᵢ + bonus − deduction.
        let (results, model) = scored(&round, Level::Field);
        let factors: Vec<f64> = (0..model.units.len())
            .map(|u| 0.8 + 0.05 * f64::from(u32::try_from(u).unwrap()))
            .collect();
        for (k, &i) in model.ranked.iter().enumerate() {
            let s = &results.agencies[i].score;
            let (mut p, mut m) = (0.0, 0.0);
            for (u, unit) in model.units.iter().enumerate() {
                let node = &s.nodes[unit.node];
                if node.applicable {
                    p += factors[u] * exact_f64(&node.points);
                    m += factors[u] * exact_f64(&node.max);
                }
            }
            let expected =
                (100.0 * p / m + exact_f64(&s.bonus) - exact_f64(&s.deduction)).clamp(0.0, 100.0);
            assert!((model.index(k, &factors).unwrap() - expected).abs() < 1e-9, "agency {i}");
        }
    }

    /// With no spread every run ranks and grades every agency as published.
    #[test]
    fn no_spread_no_movement() {
        let round = round("so-ban-nganh-2025");
        let (results, model) = scored(&round, Level::Criterion);
        let options = Options { runs: 50, seed: 7, spread: 0.0, level: Level::Criterion };
        let outcome = analyse(&model, &options, &|_| ());
        assert_eq!(outcome.all.total_shift, 0);
        assert!(outcome.fields.iter().all(|m| m.moved == 0 && m.seen > 0));
        for (i, r) in results.agencies.iter().enumerate() {
            let Some(s) = &outcome.agencies[i] else {
                assert!(r.rank.is_none());
                continue;
            };
            let rank = u32::try_from(r.rank.unwrap()).unwrap();
            assert_eq!((s.percentile(5), s.percentile(50), s.percentile(95)), (rank, rank, rank));
            assert_eq!(s.grades[r.grade.unwrap_or(round.set.grades.len())], 50);
        }
    }

    /// The same seed gives the same outcome on one thread and on several; another seed
    /// gives another.
    #[test]
    fn the_outcome_does_not_depend_on_the_threads() {
        let round = round("xa-phuong-2025");
        let (_, model) = scored(&round, Level::Field);
        let options = Options { runs: 600, seed: 11, spread: 0.25, level: Level::Field };
        let on = |threads: usize, options: &Options| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| analyse(&model, options, &|_| ()))
        };
        let one = on(1, &options);
        assert_eq!(one, on(3, &options));
        assert!(one.all.moved > 0, "a spread of 25% moves some ranks");
        assert_ne!(one, on(2, &Options { seed: 12, ..options }));
        let runs: u32 =
            one.agencies.iter().flatten().map(|s| s.counts.iter().sum::<u32>()).max().unwrap();
        assert_eq!(runs, 600);
    }

    #[test]
    fn percentiles_take_the_nearest_rank() {
        // Ranks 1 ×10, 2 ×80, 3 ×10 over 100 runs.
        let s = Steadiness { counts: vec![10, 80, 10], first: 1, grades: vec![100] };
        assert_eq!((s.percentile(5), s.percentile(50), s.percentile(95)), (1, 2, 3));
        assert_eq!(s.percentile(10), 1, "the 10th smallest of 100 is the last 1");
        assert_eq!(s.percentile(11), 2);
        assert_eq!(s.range(), (1, 3));
        let once = Steadiness { counts: vec![0, 1], first: 1, grades: vec![1] };
        assert_eq!((once.percentile(5), once.percentile(95), once.range()), (2, 2, (2, 2)));
        // Counted as runs come: only the ranks between the best and the worst are kept.
        let mut seen = Steadiness::new(1);
        for rank in [7, 5, 9, 5] {
            seen.add(rank);
        }
        assert_eq!((seen.first, seen.counts.as_slice()), (5, &[2, 0, 1, 0, 1][..]));
        assert_eq!((seen.range(), seen.percentile(50)), ((5, 9), 5));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// Whatever the seed, spread, level and runs: every ranked agency's counts add
        /// up to the runs, by rank and by grade; its figures are in order; and no shift
        /// is larger than its group.
        #[test]
        fn every_run_is_counted_once(
            seed in any::<u64>(),
            spread in 0.0f64..0.99,
            runs in 1usize..300,
            criterion in any::<bool>(),
        ) {
            let level = if criterion { Level::Criterion } else { Level::Field };
            let round = round("so-ban-nganh-2025");
            let (results, model) = scored(&round, level);
            let outcome = analyse(&model, &Options { runs, seed, spread, level }, &|_| ());
            let runs32 = u32::try_from(runs).unwrap();
            for (i, steady) in outcome.agencies.iter().enumerate() {
                let Some(s) = steady else { continue };
                prop_assert_eq!(s.counts.iter().sum::<u32>(), runs32);
                prop_assert_eq!(s.grades.iter().sum::<u32>(), runs32);
                let (best, worst) = s.range();
                let (p5, median, p95) = (s.percentile(5), s.percentile(50), s.percentile(95));
                prop_assert!(best <= p5 && p5 <= median && median <= p95 && p95 <= worst);
                let size = results.groups.iter().map(|(_, m)| m.len()).max().unwrap();
                prop_assert!(best >= 1 && worst as usize <= size, "agency {} of {}", i, results.agencies.len());
                prop_assert_eq!(s.counts.len(), (worst - best + 1) as usize, "only the ranks reached are kept");
            }
            let largest = results.groups.iter().map(|(_, m)| m.len()).max().unwrap();
            for m in outcome.fields.iter().chain([&outcome.all]) {
                prop_assert!((m.largest_shift as usize) < largest);
                prop_assert_eq!(m.seen, (runs * model.ranked.len()) as u64);
                prop_assert!(m.moved <= m.seen && m.total_shift >= m.moved);
            }
        }

    }

    proptest! {
        /// Counting and both ways of sorting give the same competition ranks.
        #[test]
        fn counted_ranks_are_sorted_ranks(keys in proptest::collection::vec(0i64..=60, 0..80)) {
            let (mut counts, mut sorted, mut packed) = (Vec::new(), Vec::new(), Vec::new());
            let (mut a, mut b, mut c) = (vec![0; keys.len()], vec![0; keys.len()], vec![0; keys.len()]);
            rank_counted(&keys, 60, &mut counts, |k, r| a[k] = r);
            rank_sorted(&keys, &mut sorted, |k, r| b[k] = r);
            rank_packed(&keys, 60, &mut packed, |k, r| c[k] = r);
            prop_assert_eq!(&a, &b);
            prop_assert_eq!(&a, &c);
            for (k, key) in keys.iter().enumerate() {
                let above = keys.iter().filter(|x| *x > key).count();
                prop_assert_eq!(a[k] as usize, above + 1);
            }
        }
    }
}
