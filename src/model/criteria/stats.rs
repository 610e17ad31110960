//! What a criteria set holds, counted: the summary `parindex check` prints for a good set.

use rust_decimal::Decimal;
use serde::Serialize;

use super::{CriteriaSet, Kind, Source};
use crate::model::rule::RuleKind;

/// Counts over a set's tree. Fields, criteria and sub-criteria count regular nodes at
/// depth 0, 1 and 2 or more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub fields: usize,
    pub criteria: usize,
    pub sub_criteria: usize,
    /// Scored nodes (no children), bonus and deduction ones included.
    pub leaves: usize,
    pub max: Decimal,
    /// Leaves per rule name, in the order of [`RuleKind::ALL`].
    pub rules: Vec<(&'static str, usize)>,
    pub na_leaves: usize,
    pub survey_leaves: usize,
    pub survey_points: Decimal,
    pub evidence_leaves: usize,
    /// Leaves computed from raw tables, their points, and the tables named.
    pub computed_leaves: usize,
    pub computed_points: Decimal,
    pub tables: Vec<String>,
    pub bonus_nodes: usize,
    pub bonus_max: Decimal,
    pub deduction_nodes: usize,
    pub deduction_max: Decimal,
}

impl Stats {
    pub fn of(set: &CriteriaSet) -> Self {
        let regular =
            |d: usize| set.nodes.iter().filter(|n| n.kind == Kind::Regular && n.depth == d).count();
        let mut rules = std::collections::HashMap::new();
        let mut stats = Stats {
            fields: regular(0),
            criteria: regular(1),
            sub_criteria: set
                .nodes
                .iter()
                .filter(|n| n.kind == Kind::Regular && n.depth >= 2)
                .count(),
            leaves: 0,
            max: set.max,
            rules: Vec::new(),
            na_leaves: 0,
            survey_leaves: 0,
            survey_points: Decimal::ZERO,
            evidence_leaves: 0,
            computed_leaves: 0,
            computed_points: Decimal::ZERO,
            tables: Vec::new(),
            bonus_nodes: 0,
            bonus_max: Decimal::ZERO,
            deduction_nodes: 0,
            deduction_max: Decimal::ZERO,
        };
        for (_, node, leaf) in set.leaves() {
            stats.leaves += 1;
            *rules.entry(leaf.rule.kind()).or_insert(0) += 1;
            stats.na_leaves += usize::from(leaf.na.is_some());
            stats.evidence_leaves += usize::from(leaf.evidence);
            if let Some(c) = &leaf.compute {
                stats.computed_leaves += 1;
                stats.computed_points += node.max;
                if !stats.tables.contains(&c.table) {
                    stats.tables.push(c.table.clone());
                }
            }
            if leaf.source == Source::Survey {
                stats.survey_leaves += 1;
                stats.survey_points += node.max;
            }
        }
        for (_, root) in set.roots() {
            match root.kind {
                Kind::Regular => {}
                Kind::Bonus => {
                    stats.bonus_nodes += 1;
                    stats.bonus_max += root.max;
                }
                Kind::Deduction => {
                    stats.deduction_nodes += 1;
                    stats.deduction_max += root.max;
                }
            }
        }
        stats.rules = RuleKind::ALL
            .into_iter()
            .filter_map(|k| rules.get(&k).map(|&count| (k.name(), count)))
            .collect();
        stats
    }
}
