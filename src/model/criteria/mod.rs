//! The criteria set (bộ tiêu chí): its tree of fields, criteria and sub-criteria, its
//! rules and grades, as `read::criteria` loads and checks it (spec §2).

mod stats;

use rust_decimal::Decimal;

use crate::model::compute::Compute;
use crate::model::grade::Grade;
use crate::model::rule::Rule;

pub use stats::Stats;

/// The version of the criteria file format this build reads (`schema = 1`).
pub const SCHEMA: i64 = 1;

/// A loaded, checked criteria set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriteriaSet {
    pub id: String,
    pub title: String,
    pub year: Option<i64>,
    /// The decision that issued the set (`QĐ 1880/QĐ-UBND`), when written.
    pub decision: Option<String>,
    /// The sum of the regular top-level maxima.
    pub max: Decimal,
    /// Decimal places of every figure shown.
    pub decimals: u32,
    pub na_policy: NaPolicy,
    pub evidence_required: bool,
    pub survey_optional: bool,
    pub rank_by: RankBy,
    /// How a published row shows its fields' points (`round_fields`).
    pub round_fields: RoundFields,
    /// Whether each leaf's points are rounded to `decimals` before they are added
    /// (`round_leaves`), as publishers that sum rounded metric scores do.
    pub round_leaves: bool,
    /// Highest first.
    pub grades: Vec<Grade>,
    /// Every node, in the order of the file (display order).
    pub nodes: Vec<Node>,
}

/// Where a node sits: an index into [`CriteriaSet::nodes`].
pub type NodeId = usize;

/// A field, criterion or sub-criterion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub code: String,
    pub name: String,
    pub note: Option<String>,
    /// The most points the node can give: a leaf's own, a summing parent's children's
    /// sum, a weighted parent's own.
    pub max: Decimal,
    pub parent: Option<NodeId>,
    /// In file order.
    pub children: Vec<NodeId>,
    /// 0 for a field (top level), 1 for a criterion, 2 and more for sub-criteria.
    pub depth: usize,
    /// Taken from the top-level node above it.
    pub kind: Kind,
    pub weight: Option<Decimal>,
    /// Whether the children's max may add up to more than the node's own (`cap`): its
    /// points are clamped to its max, and its applicable max is the smaller of the two.
    pub cap: bool,
    /// Present exactly on nodes without children.
    pub leaf: Option<Leaf>,
    /// The line of the node's `[[node]]` header, for messages about data.
    pub line: usize,
}

/// What a leaf scores by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leaf {
    pub rule: Rule,
    /// How "not applicable" counts for this leaf; `None` when NA is not allowed.
    pub na: Option<NaPolicy>,
    pub source: Source,
    /// Whether a value above zero needs evidence to count.
    pub evidence: bool,
    /// Where the value is computed from a raw table of the round (spec §6). Boxed: the
    /// tree walk of every agency reads nodes, and most leaves compute nothing.
    pub compute: Option<Box<Compute>>,
}

/// Regular nodes make up the index; bonus and deduction nodes are added or taken after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Regular,
    Bonus,
    Deduction,
}

/// Who supplies a leaf's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// The agency's self-assessment, then the appraisal council.
    Assessment,
    /// The survey file (điều tra xã hội học).
    Survey,
}

/// How a not-applicable leaf counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NaPolicy {
    /// Out of both points and max: the index is taken on what applied.
    Exclude,
    /// Scores its max ("không phát sinh thì tính điểm tối đa").
    Full,
}

impl NaPolicy {
    pub const NAMES: [&'static str; 2] = ["exclude", "full"];

    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "exclude" => Some(Self::Exclude),
            "full" => Some(Self::Full),
            _ => None,
        }
    }
}

/// What decides a rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RankBy {
    /// The index as shown: equal shown indexes share a rank.
    Rounded,
    /// The unrounded index.
    Exact,
}

/// How a published row shows each field's points (spec §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RoundFields {
    /// Each field's own exact points rounded once: anyone can recompute every cell from
    /// the rubric, and a row may miss its total by a unit in the last place.
    #[default]
    Each,
    /// Fields apportioned (largest remainder) to add up to the rounded total; reports
    /// say so in a footnote.
    Sum,
}

impl CriteriaSet {
    /// The top-level nodes, in file order.
    pub fn roots(&self) -> impl Iterator<Item = (NodeId, &Node)> {
        self.nodes.iter().enumerate().filter(|(_, n)| n.parent.is_none())
    }

    /// The leaves, in file order.
    pub fn leaves(&self) -> impl Iterator<Item = (NodeId, &Node, &Leaf)> {
        self.nodes.iter().enumerate().filter_map(|(i, n)| n.leaf.as_ref().map(|l| (i, n, l)))
    }

    pub fn find(&self, code: &str) -> Option<NodeId> {
        self.nodes.iter().position(|n| n.code == code)
    }

    /// Whether a parent weighs its children instead of adding them up.
    pub fn is_weighted(&self, id: NodeId) -> bool {
        self.nodes[id].children.first().is_some_and(|&c| self.nodes[c].weight.is_some())
    }

    pub fn stats(&self) -> Stats {
        Stats::of(self)
    }
}
