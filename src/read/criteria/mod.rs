//! Loading a criteria set from TOML: the tables and their places, the tree, the rules, and
//! every check of spec §2, each problem a diagnostic at its file, line and column.

mod compute;
mod load;
mod raw;
mod rules;
mod tree;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::criteria::CriteriaSet;
use crate::source::SourceFile;

/// The result of loading one file: the set, when it has no errors, and every problem.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub set: Option<CriteriaSet>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads and checks a criteria set. Every problem in the file is reported, not only the
/// first; the set is returned only when none of them is an error.
pub fn load(source: &SourceFile) -> Loaded {
    let (set, diagnostics) = load::load(source);
    let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
    Loaded { set: if failed { None } else { set }, diagnostics }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::criteria::{Kind, NaPolicy, NodeId, RankBy, Source};
    use crate::model::rule::{Band, Rule};
    use rust_decimal::Decimal;

    const SET: &str = r#"
schema = 1
id = "thu"
title = "Bộ tiêu chí thử"
max = 5
na_policy = "full"
evidence_required = true
rank_by = "exact"

[[grade]]
name = "Đạt"
min = 50
[[grade]]
name = "Không đạt"
min = 0

[[node]]
code = "1"
name = "Lĩnh vực"
[[node]]
code = "1.1"
name = "Tiêu chí có trọng số"
max = 3
[[node]]
code = "1.1.1"
name = "Tỷ lệ hồ sơ đúng hạn"
max = 2
weight = 3
rule = "ratio"
full_at = 0.9
na = "exclude"
[[node]]
code = "1.1.2"
name = "Khảo sát"
max = 1
weight = 1
rule = "bands"
lower_is_better = true
bands = [["<1", 1], [inf, 0]]
source = "survey"
[[node]]
code = "1.2"
name = "Báo cáo"
max = 2
rule = "per_item"
per = 0.5
na = true
evidence = false
[[node]]
code = "T"
name = "Điểm thưởng"
kind = "bonus"
max = 1
rule = "yes_no"
"#;

    fn loaded() -> CriteriaSet {
        let loaded = load(&SourceFile::new("thu.toml", SET));
        assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
        loaded.set.unwrap()
    }

    #[test]
    fn the_tree_follows_dotted_codes_in_file_order() {
        let set = loaded();
        let one = set.find("1").unwrap();
        let codes =
            |ids: &[NodeId]| ids.iter().map(|&i| set.nodes[i].code.clone()).collect::<Vec<_>>();
        assert_eq!(codes(&set.nodes[one].children), ["1.1", "1.2"]);
        assert_eq!(codes(&set.nodes[set.find("1.1").unwrap()].children), ["1.1.1", "1.1.2"]);
        assert_eq!(set.nodes[set.find("1.1.2").unwrap()].depth, 2);
        assert_eq!(set.roots().map(|(_, n)| n.code.as_str()).collect::<Vec<_>>(), ["1", "T"]);
    }

    #[test]
    fn a_parent_without_max_gets_its_childrens_sum() {
        let set = loaded();
        assert_eq!(set.nodes[set.find("1").unwrap()].max, Decimal::from(5));
        assert!(set.is_weighted(set.find("1.1").unwrap()));
        assert!(!set.is_weighted(set.find("1").unwrap()));
    }

    #[test]
    fn leaves_carry_their_rule_na_source_and_evidence() {
        let set = loaded();
        let leaf = |code: &str| set.nodes[set.find(code).unwrap()].leaf.clone().unwrap();
        let ratio = leaf("1.1.1");
        assert_eq!(ratio.rule, Rule::Ratio { full_at: Some(Decimal::new(9, 1)), zero_at: None });
        assert_eq!(
            (ratio.na, ratio.source, ratio.evidence),
            (Some(NaPolicy::Exclude), Source::Assessment, true)
        );
        let survey = leaf("1.1.2");
        assert_eq!(
            survey.rule,
            Rule::Bands {
                bands: vec![
                    Band { limit: Some(Decimal::ONE), strict: true, points: Decimal::ONE },
                    Band { limit: None, strict: false, points: Decimal::ZERO },
                ],
                lower_is_better: true
            }
        );
        assert_eq!((survey.na, survey.source, survey.evidence), (None, Source::Survey, false));
        let report = leaf("1.2");
        assert_eq!((report.na, report.evidence), (Some(NaPolicy::Full), false));
        assert_eq!(set.nodes[set.find("T").unwrap()].kind, Kind::Bonus);
        assert_eq!(set.rank_by, RankBy::Exact);
        assert_eq!(set.grades.len(), 2);
    }

    #[test]
    fn counts_split_fields_criteria_and_sub_criteria() {
        let stats = loaded().stats();
        assert_eq!((stats.fields, stats.criteria, stats.sub_criteria, stats.leaves), (1, 2, 2, 4));
        assert_eq!((stats.na_leaves, stats.survey_leaves, stats.evidence_leaves), (2, 1, 2));
        assert_eq!((stats.bonus_nodes, stats.bonus_max), (1, Decimal::ONE));
        assert_eq!(stats.rules, [("yes_no", 1), ("bands", 1), ("ratio", 1), ("per_item", 1)]);
    }

    #[test]
    fn a_set_with_an_error_is_not_returned() {
        let broken = SET.replace("per = 0.5", "per = 0");
        let loaded = load(&SourceFile::new("thu.toml", broken));
        assert!(loaded.set.is_none());
        assert_eq!(loaded.diagnostics.len(), 1);
        assert_eq!(loaded.diagnostics[0].code, "not-positive");
    }
}
