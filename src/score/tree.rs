//! Aggregation (spec §4): a leaf's points from its value, a parent's from its children
//! (summed or weighed), and the index from the fields, the bonus and the deduction. All
//! of it exact; nothing is rounded here.

use crate::model::criteria::{CriteriaSet, Kind, NaPolicy, NodeId};
use crate::model::stack::LeafInput;
use crate::model::value::Value;
use crate::score::exact::{Arith, Exact};
use crate::score::figure::Figure;

/// How a node came by its points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status<N = Exact> {
    /// From its value.
    Scored,
    /// Not applicable: out of points and max, or full marks under the `full` policy.
    NotApplicable,
    /// No value at all; scored 0 (`--missing zero`).
    Missing,
    /// A value above zero without the evidence the leaf requires: scored 0.
    NoEvidence { claimed: N },
    /// From its children.
    Aggregated,
}

impl<N> Status<N> {
    /// The status as JSON reports name it.
    pub fn key(&self) -> &'static str {
        match self {
            Status::Scored => "scored",
            Status::NotApplicable => "not-applicable",
            Status::Missing => "missing",
            Status::NoEvidence { .. } => "no-evidence",
            Status::Aggregated => "from-children",
        }
    }
}

/// One node's result for one agency at one stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeScore<N = Exact> {
    pub points: N,
    /// The applicable max: 0 when nothing under the node applies.
    pub max: N,
    pub applicable: bool,
    pub status: Status<N>,
}

impl<N: Arith> NodeScore<N> {
    /// 100 × points / applicable max, where anything applies.
    pub fn sub_index(&self) -> Option<N> {
        if !self.applicable {
            return None;
        }
        self.points.mul(&N::from_int(100)).checked_div(&self.max)
    }

    fn not_applicable() -> Self {
        NodeScore {
            points: N::zero(),
            max: N::zero(),
            applicable: false,
            status: Status::NotApplicable,
        }
    }
}

impl<N> NodeScore<N> {
    /// The same result in another arithmetic, where `f` gives every figure of it.
    fn try_map<M>(&self, f: &mut impl FnMut(&N) -> Option<M>) -> Option<NodeScore<M>> {
        Some(NodeScore {
            points: f(&self.points)?,
            max: f(&self.max)?,
            applicable: self.applicable,
            status: match &self.status {
                Status::Scored => Status::Scored,
                Status::NotApplicable => Status::NotApplicable,
                Status::Missing => Status::Missing,
                Status::NoEvidence { claimed } => Status::NoEvidence { claimed: f(claimed)? },
                Status::Aggregated => Status::Aggregated,
            },
        })
    }

    /// The same result in another arithmetic.
    fn into_map<M>(self, f: &impl Fn(N) -> M) -> NodeScore<M> {
        NodeScore {
            points: f(self.points),
            max: f(self.max),
            applicable: self.applicable,
            status: match self.status {
                Status::Scored => Status::Scored,
                Status::NotApplicable => Status::NotApplicable,
                Status::Missing => Status::Missing,
                Status::NoEvidence { claimed } => Status::NoEvidence { claimed: f(claimed) },
                Status::Aggregated => Status::Aggregated,
            },
        }
    }
}

impl NodeScore<Figure> {
    /// 100 × points / applicable max, where anything applies: exact where the figures
    /// are (see [`Figure`]).
    pub fn sub_index(&self) -> Option<Figure> {
        if !self.applicable {
            return None;
        }
        self.points.mul(&Figure::from_int(100)).checked_div(&self.max)
    }
}

/// Every node's result, indexed like [`CriteriaSet::nodes`]; or, for a report that shows
/// only some nodes (the fields of a published table), only those, so that a large round
/// does not keep a whole tree per agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nodes<N = Exact> {
    list: Vec<NodeScore<N>>,
    /// Node id → place in `list`, where only some are kept (`u32::MAX`: not kept).
    kept: Option<std::sync::Arc<[u32]>>,
}

impl<N> Nodes<N> {
    /// Every node's result, in node order; `None` where only some were kept.
    pub fn all(&self) -> Option<&[NodeScore<N>]> {
        self.kept.is_none().then_some(&self.list[..])
    }

    /// Keeps only the nodes `kept` places (see [`keep_only`]).
    #[must_use]
    pub fn keep(self, kept: &std::sync::Arc<[u32]>) -> Self {
        let mut list: Vec<NodeScore<N>> = self
            .list
            .into_iter()
            .zip(kept.iter())
            .filter(|(_, k)| **k != u32::MAX)
            .map(|(n, _)| n)
            .collect();
        // Collected in place, the list would keep the room of the whole tree.
        list.shrink_to_fit();
        Nodes { list, kept: Some(kept.clone()) }
    }
}

/// The places for [`Nodes::keep`] of the nodes for which `keep` holds.
pub fn keep_only(count: usize, keep: impl Fn(NodeId) -> bool) -> std::sync::Arc<[u32]> {
    let mut next = 0;
    (0..count)
        .map(|id| {
            if keep(id) {
                next += 1;
                next - 1
            } else {
                u32::MAX
            }
        })
        .collect()
}

impl<N> std::ops::Index<NodeId> for Nodes<N> {
    type Output = NodeScore<N>;

    /// A node's result; asking for one a trimmed list does not keep is a bug.
    fn index(&self, id: NodeId) -> &NodeScore<N> {
        let at = self.kept.as_ref().map_or(id, |k| k[id] as usize);
        &self.list[at]
    }
}

/// One agency's result at one stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score<N = Exact> {
    pub nodes: Nodes<N>,
    /// The regular fields' points and applicable max.
    pub points: N,
    pub max: N,
    pub bonus: N,
    pub deduction: N,
    /// `None` when nothing applies (the applicable max is 0).
    pub index: Option<N>,
}

impl<N> Score<N> {
    /// The same result in another arithmetic, where `f` gives every figure of it; `None`
    /// at the first it does not.
    pub fn try_map<M>(&self, mut f: impl FnMut(&N) -> Option<M>) -> Option<Score<M>> {
        // Collected through `Option`, the list would not know its length and would keep
        // room for up to twice its nodes: for every agency of a large round.
        let mut list = Vec::with_capacity(self.nodes.list.len());
        for n in &self.nodes.list {
            list.push(n.try_map(&mut f)?);
        }
        Some(Score {
            nodes: Nodes { list, kept: self.nodes.kept.clone() },
            points: f(&self.points)?,
            max: f(&self.max)?,
            bonus: f(&self.bonus)?,
            deduction: f(&self.deduction)?,
            index: match &self.index {
                Some(i) => Some(f(i)?),
                None => None,
            },
        })
    }

    /// The same result in another arithmetic, each figure turned by `f`.
    pub fn into_map<M>(self, f: impl Fn(N) -> M) -> Score<M> {
        Score {
            nodes: Nodes {
                list: self.nodes.list.into_iter().map(|n| n.into_map(&f)).collect(),
                kept: self.nodes.kept,
            },
            points: f(self.points),
            max: f(self.max),
            bonus: f(self.bonus),
            deduction: f(self.deduction),
            index: self.index.map(f),
        }
    }
}

/// The nodes of a set with every child before its parent: the order aggregation needs,
/// worked out once per set.
pub fn bottom_up(set: &CriteriaSet) -> Vec<NodeId> {
    let mut order: Vec<NodeId> = (0..set.nodes.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(set.nodes[i].depth));
    order
}

/// Scores one agency exactly: `input` gives each leaf's value.
pub fn score<'a>(
    set: &CriteriaSet,
    order: &[NodeId],
    input: impl Fn(NodeId) -> LeafInput<'a>,
) -> Score {
    score_in(set, order, input)
}

/// [`score`] in any arithmetic.
pub fn score_in<'a, N: Arith>(
    set: &CriteriaSet,
    order: &[NodeId],
    input: impl Fn(NodeId) -> LeafInput<'a>,
) -> Score<N> {
    score_from(set, order, input, None)
}

/// [`score_in`] at one stage beside an agency's result at another (`prior`, every node
/// kept): every node whose leaves all have the same input at both stages (`same`) has
/// the same result, and is taken from `prior` rather than worked out again. Appraisal
/// rounds change a few leaves; the self-assessment's tree is mostly the final one's.
pub fn score_beside<'a, N: Arith>(
    set: &CriteriaSet,
    order: &[NodeId],
    input: impl Fn(NodeId) -> LeafInput<'a>,
    prior: &Score<N>,
    same: impl Fn(NodeId) -> bool,
) -> Score<N> {
    score_from(set, order, input, Some((prior, &same)))
}

type Beside<'p, N> = Option<(&'p Score<N>, &'p dyn Fn(NodeId) -> bool)>;

// One copy for both stages: inlined into each caller of the filter, the walk ran a few
// percent slower on a 100,000-agency round (more code for the same loop).
#[inline(never)]
fn score_from<'a, N: Arith>(
    set: &CriteriaSet,
    order: &[NodeId],
    input: impl Fn(NodeId) -> LeafInput<'a>,
    beside: Beside<'_, N>,
) -> Score<N> {
    let hundred = N::from_int(100);
    // Every node is scored, children first (`order`); each slot is written once.
    let mut nodes: Vec<NodeScore<N>> = vec![NodeScore::not_applicable(); set.nodes.len()];
    // Whether a node's leaves all have the same input as in `beside`.
    let mut unchanged = vec![false; if beside.is_some() { set.nodes.len() } else { 0 }];
    for &id in order {
        let node = &set.nodes[id];
        if let Some((prior, same)) = beside {
            unchanged[id] = if node.leaf.is_some() {
                same(id)
            } else {
                node.children.iter().all(|&c| unchanged[c])
            };
            if unchanged[id] {
                nodes[id] = prior.nodes[id].clone();
                continue;
            }
        }
        let max = N::from_decimal(node.max);
        let result = if let Some(leaf) = &node.leaf {
            let given = input(id);
            match given.value {
                _ if given.survey_na => NodeScore::not_applicable(),
                Some(Value::NotSurveyed) => NodeScore::not_applicable(),
                None => {
                    NodeScore { points: N::zero(), max, applicable: true, status: Status::Missing }
                }
                Some(Value::Na) => match leaf.na {
                    Some(NaPolicy::Full) => NodeScore {
                        points: max.clone(),
                        max,
                        applicable: true,
                        status: Status::NotApplicable,
                    },
                    // A reader lets NA through only where the leaf allows it.
                    Some(NaPolicy::Exclude) | None => NodeScore::not_applicable(),
                },
                Some(value) => {
                    let points =
                        leaf.rule.points_in::<N>(value, node.max, node.kind == Kind::Deduction);
                    // A publisher that sums rounded metric scores is reproduced only by
                    // rounding where it does (`round_leaves`).
                    let points =
                        if set.round_leaves { points.rounded(set.decimals) } else { points };
                    // Evidence protects against unproven claims; a deduction is the
                    // council's finding, so its evidence is never the agency's to give.
                    if leaf.evidence
                        && node.kind != Kind::Deduction
                        && points.is_positive()
                        && !given.evidence
                    {
                        NodeScore {
                            points: N::zero(),
                            max,
                            applicable: true,
                            status: Status::NoEvidence { claimed: points },
                        }
                    } else {
                        NodeScore { points, max, applicable: true, status: Status::Scored }
                    }
                }
            }
        } else {
            // The applicable children, walked without collecting them: this runs for
            // every inner node of every agency.
            let children = || node.children.iter().map(|&c| &nodes[c]).filter(|c| c.applicable);
            if set.is_weighted(id) {
                if children().next().is_none() {
                    NodeScore::not_applicable()
                } else {
                    // max × Σ wᵢ·(pᵢ/maxᵢ) / Σ wᵢ over the applicable children.
                    let mut weighted = N::zero();
                    let mut weights = N::zero();
                    for (&c, score) in
                        node.children.iter().zip(node.children.iter().map(|&c| &nodes[c]))
                    {
                        if !score.applicable {
                            continue;
                        }
                        let w = N::from_decimal(
                            set.nodes[c].weight.expect("a weighted parent's children have weights"),
                        );
                        if let Some(share) = score.points.checked_div(&score.max) {
                            weighted = weighted.add(&w.mul(&share));
                            weights = weights.add(&w);
                        }
                    }
                    let points = max.mul(&weighted).checked_div(&weights).unwrap_or_else(N::zero);
                    let applicable = weights.is_positive();
                    NodeScore {
                        points: points.clamp_to(&max),
                        max: if applicable { max } else { N::zero() },
                        applicable,
                        status: Status::Aggregated,
                    }
                }
            } else {
                // Points and applicable max in one walk, from the first applicable child.
                let sums = children().fold(None, |sums: Option<(N, N)>, c| {
                    Some(match sums {
                        None => (c.points.clone(), c.max.clone()),
                        Some((p, m)) => (p.add(&c.points), m.add(&c.max)),
                    })
                });
                match sums {
                    None => NodeScore::not_applicable(),
                    Some((points, applicable_max)) => {
                        // A capped node gives at most its own max, however much its
                        // children add up to.
                        let max = if node.cap { applicable_max.least(max) } else { applicable_max };
                        NodeScore {
                            points: points.least(max.clone()),
                            max,
                            applicable: true,
                            status: Status::Aggregated,
                        }
                    }
                }
            }
        };
        nodes[id] = result;
    }
    let (mut points, mut max, mut bonus, mut deduction) =
        (N::zero(), N::zero(), N::zero(), N::zero());
    for (id, node) in set.roots() {
        let s = &nodes[id];
        if !s.applicable {
            continue;
        }
        match node.kind {
            Kind::Regular => {
                points = points.add(&s.points);
                max = max.add(&s.max);
            }
            Kind::Bonus => bonus = bonus.add(&s.points),
            Kind::Deduction => deduction = deduction.add(&s.points),
        }
    }
    let index = points
        .mul(&hundred)
        .checked_div(&max)
        .map(|share| share.add(&bonus).sub(&deduction).clamp_to(&hundred));
    Score { nodes: Nodes { list: nodes, kept: None }, points, max, bonus, deduction, index }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::criteria;
    use crate::source::SourceFile;
    use rust_decimal::Decimal;

    const SET: &str = r#"
schema = 1
id = "thu"
title = "Thử"
max = 10
[[grade]]
name = "Đạt"
min = 0
[[node]]
code = "1"
name = "Có trọng số"
max = 4
[[node]]
code = "1.1"
name = "a"
max = 2
weight = 3
rule = "ratio"
na = true
[[node]]
code = "1.2"
name = "b"
max = 1
weight = 1
rule = "yes_no"
[[node]]
code = "2"
name = "Cộng"
[[node]]
code = "2.1"
name = "c"
max = 4
rule = "points"
na = true
evidence = true
[[node]]
code = "2.2"
name = "d"
max = 2
rule = "yes_no"
na = "full"
[[node]]
code = "T"
name = "Thưởng"
kind = "bonus"
max = 2
rule = "points"
[[node]]
code = "D"
name = "Trừ"
kind = "deduction"
max = 3
rule = "per_item"
per = 1
"#;

    /// A set of the Bộ chỉ số 766's shape: a capped group, and leaves rounded before they
    /// are added.
    const CAPPED: &str = r#"
schema = 1
id = "thu"
title = "Thử"
max = 10
round_leaves = true
[[grade]]
name = "Đạt"
min = 0
[[node]]
code = "4"
name = "Thanh toán trực tuyến"
max = 10
cap = true
[[node]]
code = "4.1"
name = "a"
max = 6
rule = "ratio"
[[node]]
code = "4.2"
name = "b"
max = 2.5
rule = "ratio"
[[node]]
code = "4.3"
name = "c"
max = 2.5
rule = "ratio"
na = true
"#;

    fn capped(values: [Value; 3]) -> Score {
        let set = criteria::load(&SourceFile::new("t.toml", CAPPED)).set.unwrap();
        let order = bottom_up(&set);
        let leaves: Vec<NodeId> = set.leaves().map(|(id, _, _)| id).collect();
        score(&set, &order, |id| LeafInput {
            value: leaves.iter().position(|&l| l == id).map(|i| &values[i]),
            evidence: true,
            survey_na: false,
        })
    }

    #[test]
    fn a_capped_node_gives_at_most_its_max() {
        let full = Value::Fraction(dec("1"), dec("1"));
        // 6 + 2.5 + 2.5 = 11 capped to 10; the max is 10 too.
        let s = capped([full, full, full]);
        assert_eq!((s.points.approx(4), s.max.approx(4)), (dec("10"), dec("10")));
        // Below the cap the children add up: 6 + 2.5 + 0.
        let s = capped([full, full, Value::Fraction(dec("0"), dec("3"))]);
        assert_eq!(s.points.approx(4), dec("8.5"));
        // 4.3 not applicable: the applicable max is 8.5, under the cap.
        let s = capped([full, full, Value::Na]);
        assert_eq!((s.points.approx(4), s.max.approx(4)), (dec("8.5"), dec("8.5")));
    }

    #[test]
    fn leaves_are_rounded_before_they_are_added_where_the_set_says() {
        // 6 × 1/3 = 2, 2.5 × 1/3 = 0.8333… → 0.83 twice: 3.66, not the 3.67 of the exact sum.
        let third = Value::Fraction(dec("1"), dec("3"));
        let s = capped([third, third, third]);
        assert_eq!(s.points.approx(10), dec("3.66"));
        assert_eq!(s.nodes[2].points.approx(10), dec("0.83"));
    }

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn run(values: &[(&str, Value, bool)]) -> (crate::model::criteria::CriteriaSet, Score) {
        let set = criteria::load(&SourceFile::new("t.toml", SET)).set.unwrap();
        let order = bottom_up(&set);
        let given: Vec<(NodeId, Value, bool)> =
            values.iter().map(|(c, v, e)| (set.find(c).unwrap(), *v, *e)).collect();
        let score = score(&set, &order, |id| {
            let found = given.iter().find(|(n, _, _)| *n == id);
            LeafInput {
                value: found.map(|(_, v, _)| v),
                evidence: found.is_some_and(|(_, _, e)| *e),
                survey_na: false,
            }
        });
        (set, score)
    }

    #[test]
    fn weights_na_evidence_bonus_and_deduction_make_the_index() {
        let (set, s) = run(&[
            ("1.1", Value::Fraction(dec("1"), dec("2")), true),
            ("1.2", Value::Yes(true), false),
            ("2.1", Value::Number(dec("3")), true),
            ("2.2", Value::Na, false),
            ("T", Value::Number(dec("1.5")), true),
            ("D", Value::Number(dec("2")), false),
        ]);
        let node = |c: &str| &s.nodes[set.find(c).unwrap()];
        // 1: 4 × (3·(1/2) + 1·(1/1)) / 4 = 2.5
        assert_eq!(node("1").points.approx(6), dec("2.5"));
        // 2: 3 + 2 (NA under "full" scores its max) of 6
        assert_eq!((node("2").points.approx(6), node("2").max.approx(6)), (dec("5"), dec("6")));
        assert_eq!(node("2.2").status, Status::NotApplicable);
        // index: 100 × 7.5 / 10 + 1.5 − 2 = 74.5
        assert_eq!(s.index.unwrap().approx(6), dec("74.5"));
    }

    // An NA leaf under "exclude" leaves points and max; the index is taken on what applied.
    #[test]
    fn excluded_leaves_shrink_the_max() {
        let (set, s) = run(&[
            ("1.1", Value::Na, false),
            ("1.2", Value::Yes(true), false),
            ("2.1", Value::Na, false),
            ("2.2", Value::Yes(false), false),
            ("T", Value::Number(dec("0")), false),
            ("D", Value::Number(dec("0")), false),
        ]);
        // 1 weighs only 1.2: 4 × 1 = 4 of 4; 2 has only 2.2: 0 of 2.
        assert_eq!(s.nodes[set.find("1").unwrap()].points.approx(6), dec("4"));
        assert_eq!((s.points.approx(6), s.max.approx(6)), (dec("4"), dec("6")));
        assert_eq!(s.index.unwrap().round(2), dec("66.67"));
    }

    #[test]
    fn claims_without_evidence_score_zero_and_nothing_applicable_has_no_index() {
        let (set, s) = run(&[
            ("1.1", Value::Na, false),
            ("1.2", Value::Yes(true), false),
            ("2.1", Value::Number(dec("3")), false),
            ("2.2", Value::Yes(true), false),
        ]);
        let leaf = &s.nodes[set.find("2.1").unwrap()];
        assert_eq!(leaf.status, Status::NoEvidence { claimed: Exact::from_int(3) });
        assert_eq!(leaf.points, Exact::zero());
        assert_eq!(s.nodes[set.find("T").unwrap()].status, Status::Missing);

        let set = criteria::load(&SourceFile::new("t.toml", SET)).set.unwrap();
        let order = bottom_up(&set);
        let na = Value::Na;
        let nothing = score(&set, &order, |id| LeafInput {
            value: set.nodes[id].leaf.as_ref().and_then(|l| l.na).map(|_| &na),
            evidence: false,
            survey_na: set.nodes[id].code == "1.2" || set.nodes[id].code == "2.2",
        });
        assert_eq!(nothing.index, None);
    }
}
