//! The stages of a round laid over each other: for every agency and leaf, the value that
//! counts at the self stage and at the final stage, and whether evidence was cited by
//! then. What scoring reads; built from the layers' cells, or straight from the files by
//! the quick reader (`read::fast`), which keeps no cell at all. Built once per round.

use rustc_hash::FxHashMap;

use crate::model::criteria::{CriteriaSet, NodeId, Source};
use crate::model::layer::{Layer, LayerKind, Stage};
use crate::model::value::Value;

/// Bits of [`Stack::cited`].
const CITED_OWN: u8 = 1;
const CITED_ANY: u8 = 2;
/// Which slots a layer has given a value, for finding a second one.
const GIVEN: u8 = 4;
/// Which slots an appraisal round has given a value: a computed value, laid after the
/// self-assessment and before the appraisal rounds, does not cover it, whichever order
/// the layers are read in.
const APPRAISED: u8 = 8;
/// Which slots the round's tables have given a value.
const SYSTEM: u8 = 16;

/// Values laid over each other, a few bytes per agency and leaf: a value is kept once
/// however many cells give it, and slots hold its number.
#[derive(Debug, Clone)]
pub struct Stack {
    leaves: usize,
    /// Node id → leaf slot (`u32::MAX` for a node with children).
    slot: Vec<u32>,
    /// Whether each node is a survey leaf.
    survey: Vec<bool>,
    /// Whether each node is a leaf the round's tables give (spec §6): set only where the
    /// round has tables, for then such a leaf takes no value from the agency at the final
    /// stage.
    system: Vec<bool>,
    /// Whether any leaf is in `system`: most rounds have no tables, and ask nothing more.
    any_system: bool,
    /// The distinct values; a slot's number `n > 0` is `values[n - 1]`.
    values: Vec<Value>,
    numbers: FxHashMap<Value, u32>,
    /// agency × leaf → the value at the self stage (the self-assessment and the survey).
    own: Vec<u32>,
    /// agency × leaf → the value at the final stage: the last layer's that has one.
    last: Vec<u32>,
    /// agency × leaf → evidence cited at the self stage, at any stage, and whether the
    /// layer being read has given the slot a value.
    cited: Vec<u8>,
    surveyed: Vec<bool>,
    survey_given: bool,
    survey_optional: bool,
}

/// A second value for one agency and leaf in one layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duplicate;

impl Stack {
    /// An empty stack for `agencies` agencies scored on `set`.
    pub fn new(set: &CriteriaSet, agencies: usize) -> Self {
        let mut slot = vec![u32::MAX; set.nodes.len()];
        let mut survey = vec![false; set.nodes.len()];
        let mut leaves = 0;
        for (id, _, leaf) in set.leaves() {
            slot[id] = u32::try_from(leaves).expect("fewer than 2³² leaves");
            survey[id] = leaf.source == Source::Survey;
            leaves += 1;
        }
        let size = agencies * leaves;
        Stack {
            leaves,
            slot,
            survey,
            system: vec![false; set.nodes.len()],
            any_system: false,
            values: Vec::new(),
            numbers: FxHashMap::default(),
            own: vec![0; size],
            last: vec![0; size],
            cited: vec![0; size],
            surveyed: vec![false; agencies],
            survey_given: false,
            survey_optional: set.survey_optional,
        }
    }

    /// The stack of layers read by the thorough reader, in their order, for `agencies`
    /// agencies scored on `set`.
    pub fn from_layers(set: &CriteriaSet, agencies: usize, layers: &[Layer]) -> Self {
        let mut stack = Stack::new(set, agencies);
        if layers.iter().any(|l| l.kind == LayerKind::Computed) {
            stack.expect_system(set);
        }
        for layer in layers {
            stack.begin(layer.kind);
            for cell in &layer.cells {
                let number = cell.value.map(|v| stack.number(v));
                // The readers let only one value per agency and leaf into a layer.
                let _ = stack.put(layer.kind, cell.agency, cell.node, number, cell.cited);
            }
        }
        stack
    }

    /// Says that the round has tables: its computed leaves take their final value from
    /// them or from an appraisal round, never from the agency's own claim.
    pub fn expect_system(&mut self, set: &CriteriaSet) {
        for (id, _, leaf) in set.leaves() {
            self.system[id] = leaf.compute.is_some();
            self.any_system |= leaf.compute.is_some();
        }
    }

    /// Lays the round's computed layer over a stack read straight from the files, which
    /// has the self-assessment and the appraisal rounds in it already: a computed value
    /// goes under the rounds' corrections all the same (see [`Stack::put`]).
    pub fn lay_system(&mut self, set: &CriteriaSet, layer: &Layer) {
        self.expect_system(set);
        if layer.cells.is_empty() {
            return;
        }
        self.begin(LayerKind::Computed);
        // The system's figures are rates and tallies of counts, seldom the same twice:
        // kept without looking for each first (hashing a fraction is most of the cost).
        for cell in &layer.cells {
            let number = cell.value.map(|v| self.push(v));
            // The tables give one value per agency and leaf.
            let _ = self.put(LayerKind::Computed, cell.agency, cell.node, number, cell.cited);
        }
    }

    /// The number of the value at the final stage: the last layer's, except that a leaf
    /// the tables give and no row of them or of an appraisal round covers has none.
    fn last_at(&self, at: usize, id: NodeId) -> u32 {
        if self.any_system && self.system[id] && self.cited[at] & (APPRAISED | SYSTEM) == 0 {
            0
        } else {
            self.last[at]
        }
    }

    /// The number of a value, kept once.
    pub fn number(&mut self, value: Value) -> u32 {
        if let Some(&n) = self.numbers.get(&value) {
            return n;
        }
        self.values.push(value);
        let n = u32::try_from(self.values.len()).expect("fewer than 2³² distinct values");
        self.numbers.insert(value, n);
        n
    }

    /// The number of a value kept without looking for it first: for values that are
    /// seldom the same twice.
    pub fn push(&mut self, value: Value) -> u32 {
        self.values.push(value);
        u32::try_from(self.values.len()).expect("fewer than 2³² distinct values")
    }

    /// Starts a layer of `kind`: each slot may take one value from it.
    pub fn begin(&mut self, kind: LayerKind) {
        if kind == LayerKind::Survey {
            self.survey_given = true;
        }
        for c in &mut self.cited {
            *c &= !GIVEN;
        }
    }

    /// Lays one cell of a layer of `kind` (a value's number from [`Stack::number`], and
    /// whether it cites evidence) over what is there; the leaf `node` must be a leaf.
    pub fn put(
        &mut self,
        kind: LayerKind,
        agency: usize,
        node: NodeId,
        number: Option<u32>,
        cited: bool,
    ) -> Result<(), Duplicate> {
        let at = agency * self.leaves + self.slot[node] as usize;
        let mut own = matches!(kind, LayerKind::SelfAssessment | LayerKind::Survey);
        if let Some(n) = number {
            if self.cited[at] & GIVEN != 0 {
                return Err(Duplicate);
            }
            self.cited[at] |= GIVEN;
            match kind {
                // The system's figure: the final value unless the council corrected it,
                // and the self stage's only where the agency claimed nothing.
                LayerKind::Computed => {
                    self.cited[at] |= SYSTEM;
                    if self.cited[at] & APPRAISED == 0 {
                        self.last[at] = n;
                    }
                    if self.own[at] == 0 {
                        self.own[at] = n;
                        own = true;
                    }
                }
                LayerKind::Appraisal(_) => {
                    self.cited[at] |= APPRAISED;
                    self.last[at] = n;
                }
                LayerKind::SelfAssessment | LayerKind::Survey => {
                    self.last[at] = n;
                    self.own[at] = n;
                }
            }
            if kind == LayerKind::Survey {
                self.surveyed[agency] = true;
            }
        }
        if cited {
            self.cited[at] |= CITED_ANY | if own { CITED_OWN } else { 0 };
        }
        Ok(())
    }

    /// Whether leaf `id` of `agency` is scored from the same input at both stages.
    pub fn same_at_both_stages(&self, agency: usize, id: NodeId) -> bool {
        let at = agency * self.leaves + self.slot[id] as usize;
        let cited = self.cited[at];
        self.own[at] == self.last_at(at, id) && (cited & CITED_OWN != 0) == (cited & CITED_ANY != 0)
    }

    /// What leaf `id` of `agency` is scored from at `stage`.
    pub fn input(&self, stage: Stage, agency: usize, id: NodeId) -> LeafInput<'_> {
        let at = agency * self.leaves + self.slot[id] as usize;
        let (number, cited) = match stage {
            Stage::SelfOnly => (self.own[at], CITED_OWN),
            Stage::Final => (self.last_at(at, id), CITED_ANY),
        };
        let survey_na = self.survey[id]
            && self.survey_optional
            && (!self.survey_given || !self.surveyed[agency]);
        LeafInput {
            value: number.checked_sub(1).map(|n| &self.values[n as usize]),
            evidence: self.cited[at] & cited != 0,
            survey_na,
        }
    }

    /// The first agency, leaf and stage at which two stacks of one set and one list of
    /// agencies would score differently (value, evidence or survey state), if any: what
    /// the tests and the fuzz targets hold the quick and the thorough reader to.
    pub fn first_difference(
        &self,
        other: &Stack,
        set: &CriteriaSet,
        agencies: usize,
    ) -> Option<(usize, NodeId, Stage)> {
        let key = |i: LeafInput<'_>| (i.value.copied(), i.evidence, i.survey_na);
        [Stage::SelfOnly, Stage::Final].into_iter().find_map(|stage| {
            (0..agencies).find_map(|a| {
                set.leaves()
                    .map(|(id, _, _)| id)
                    .find(|&id| key(self.input(stage, a, id)) != key(other.input(stage, a, id)))
                    .map(|id| (a, id, stage))
            })
        })
    }
}

/// What a leaf is scored from.
#[derive(Debug, Clone, Copy)]
pub struct LeafInput<'a> {
    pub value: Option<&'a Value>,
    /// Whether any row for the cell, at this stage or before, cites evidence.
    pub evidence: bool,
    /// A survey leaf of an agency with no survey values, where the set allows it.
    pub survey_na: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;
    use rust_decimal::Decimal;

    const SET: &str = r#"
schema = 1
id = "thu"
title = "Thử"
max = 2
[[grade]]
name = "Đạt"
min = 0
[[node]]
code = "1"
name = "Lĩnh vực"
[[node]]
code = "1.1"
name = "a"
max = 2
rule = "points"
"#;

    #[test]
    fn later_layers_win_at_the_final_stage_only() {
        let set = crate::read::criteria::load(&SourceFile::new("t.toml", SET)).set.unwrap();
        let mut stack = Stack::new(&set, 2);
        let leaf = set.leaves().next().unwrap().0;
        let (one, two) = (Value::Number(Decimal::ONE), Value::Number(Decimal::TWO));
        stack.begin(LayerKind::SelfAssessment);
        let n1 = stack.number(one);
        stack.put(LayerKind::SelfAssessment, 1, leaf, Some(n1), false).unwrap();
        assert_eq!(stack.put(LayerKind::SelfAssessment, 1, leaf, Some(n1), false), Err(Duplicate));
        stack.begin(LayerKind::Appraisal(1));
        let n2 = stack.number(two);
        stack.put(LayerKind::Appraisal(1), 1, leaf, Some(n2), true).unwrap();
        assert_eq!(stack.number(one), n1, "a value is kept once");
        let own = stack.input(Stage::SelfOnly, 1, leaf);
        let last = stack.input(Stage::Final, 1, leaf);
        assert_eq!((own.value, own.evidence), (Some(&one), false));
        assert_eq!((last.value, last.evidence), (Some(&two), true));
        assert_eq!(stack.input(Stage::Final, 0, leaf).value, None);
    }

    // The system's figure sits after the agency's claim and under the council's
    // correction, whether it is laid before the appraisal rounds or after them.
    #[test]
    fn a_computed_value_sits_between_the_claim_and_the_appraisal() {
        let set = crate::read::criteria::load(&SourceFile::new("t.toml", SET)).set.unwrap();
        let leaf = set.leaves().next().unwrap().0;
        let (claim, system, council) = (
            Value::Number(Decimal::TWO),
            Value::Fraction(Decimal::ONE, Decimal::TWO),
            Value::Number(Decimal::ONE),
        );
        let lay = |stack: &mut Stack, kind: LayerKind, agency: usize, value: Value| {
            stack.begin(kind);
            let n = stack.number(value);
            stack.put(kind, agency, leaf, Some(n), false).unwrap();
        };
        for computed_last in [false, true] {
            let mut stack = Stack::new(&set, 3);
            // Agency 0 claims and is corrected; 1 claims nothing; 2 claims and is not.
            lay(&mut stack, LayerKind::SelfAssessment, 0, claim);
            stack
                .put(LayerKind::SelfAssessment, 2, leaf, Some(stack.numbers[&claim]), false)
                .unwrap();
            if !computed_last {
                stack.begin(LayerKind::Computed);
                for a in 0..3 {
                    let n = stack.number(system);
                    stack.put(LayerKind::Computed, a, leaf, Some(n), true).unwrap();
                }
            }
            lay(&mut stack, LayerKind::Appraisal(1), 0, council);
            if computed_last {
                stack.begin(LayerKind::Computed);
                for a in 0..3 {
                    let n = stack.number(system);
                    stack.put(LayerKind::Computed, a, leaf, Some(n), true).unwrap();
                }
            }
            let at = |stage, a| stack.input(stage, a, leaf).value.copied();
            assert_eq!(at(Stage::SelfOnly, 0), Some(claim), "{computed_last}");
            assert_eq!(at(Stage::Final, 0), Some(council), "{computed_last}");
            assert_eq!(at(Stage::SelfOnly, 1), Some(system), "{computed_last}");
            assert_eq!(at(Stage::Final, 1), Some(system), "{computed_last}");
            assert_eq!(at(Stage::SelfOnly, 2), Some(claim), "{computed_last}");
            assert_eq!(at(Stage::Final, 2), Some(system), "{computed_last}");
            // The system's record is its figure's evidence; the claim cited none.
            assert!(stack.input(Stage::Final, 2, leaf).evidence);
            assert!(!stack.input(Stage::SelfOnly, 2, leaf).evidence);
            assert!(stack.input(Stage::SelfOnly, 1, leaf).evidence);
        }
    }

    #[test]
    fn the_first_difference_is_found_by_value_and_by_evidence() {
        let set = crate::read::criteria::load(&SourceFile::new("t.toml", SET)).set.unwrap();
        let leaf = set.leaves().next().unwrap().0;
        let one = Value::Number(Decimal::ONE);
        let with = |cited: bool, value: Value| {
            let mut stack = Stack::new(&set, 2);
            stack.begin(LayerKind::SelfAssessment);
            let n = stack.number(value);
            stack.put(LayerKind::SelfAssessment, 1, leaf, Some(n), cited).unwrap();
            stack
        };
        assert_eq!(with(true, one).first_difference(&with(true, one), &set, 2), None);
        let other = with(false, one).first_difference(&with(true, one), &set, 2);
        assert_eq!(other, Some((1, leaf, Stage::SelfOnly)));
        let two = with(true, Value::Number(Decimal::TWO));
        assert_eq!(
            two.first_difference(&with(true, one), &set, 2),
            Some((1, leaf, Stage::SelfOnly))
        );
    }
}
