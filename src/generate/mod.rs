//! Synthetic rounds for any criteria set: realistic values, evidence, not-applicable
//! cells, two appraisal rounds that correct some cells with explanations, and survey
//! results. Seeded: the same seed gives the same round, agency by agency, whatever the
//! number of agencies. For examples, tests and benchmarks; never for real results.

mod table;

pub use table::Table;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

use crate::model::criteria::{CriteriaSet, Kind, NodeId, Source};
use crate::model::round::Agency;
use crate::model::rule::Rule;

/// One row of a generated long-form file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub code: String,
    pub value: String,
    pub evidence: String,
    pub note: String,
    pub explanation: String,
}

/// Everything generated for one agency.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sheet {
    pub own: Vec<Row>,
    /// One list per appraisal round, in order.
    pub appraisals: Vec<Vec<Row>>,
    pub survey: Vec<Row>,
}

/// Why the council changes a value, as appraisal notes say it.
const FINDINGS: [&str; 6] = [
    "Tài liệu kiểm chứng chưa chứng minh đầy đủ kết quả",
    "Số liệu chưa khớp với Hệ thống thông tin giải quyết TTHC",
    "Báo cáo gửi chậm so với quy định",
    "Kết quả tự chấm cao hơn kết quả thực hiện",
    "Chưa có văn bản triển khai thực hiện",
    "Tỷ lệ tính trên số liệu đến hết ngày 15/12",
];

/// Makes rounds for one set.
pub struct Generator<'a> {
    set: &'a CriteriaSet,
    seed: u64,
    appraisals: usize,
    /// The field with the most leaves that may be not applicable: an agency without
    /// such work (no procedures, say) has all of them not applicable.
    sparse_field: Option<NodeId>,
    /// The raw tables the set's computed leaves read.
    tables: Vec<Table<'a>>,
    /// Respondents per agency in each group of a survey responses table.
    respondents: usize,
}

impl<'a> Generator<'a> {
    pub fn new(set: &'a CriteriaSet, seed: u64, appraisals: usize) -> Self {
        let na_under = |root: NodeId| {
            set.leaves().filter(|(id, _, l)| l.na.is_some() && top(set, *id) == root).count()
        };
        let sparse_field = set
            .roots()
            .map(|(id, _)| (na_under(id), id))
            .filter(|(n, _)| *n > 0)
            .max_by_key(|(n, id)| (*n, std::cmp::Reverse(*id)))
            .map(|(_, id)| id);
        let tables = Table::for_set(set, seed);
        Self { set, seed, appraisals, sparse_field, tables, respondents: 40 }
    }

    /// Gives each agency this many respondents in each group of a survey responses table
    /// (40 unless said).
    #[must_use]
    pub fn respondents(mut self, respondents: usize) -> Self {
        self.respondents = respondents;
        self
    }

    /// The raw tables the set's computed leaves read, in order of first use; none for a
    /// set without computed leaves.
    pub fn tables(&self) -> &[Table<'a>] {
        &self.tables
    }

    /// The rows of `table` for the agency at position `index`, each given to `put` as the
    /// fields of the table's header in order: its one row of statistics, or its survey
    /// respondents. They follow the same level of work as its sheet.
    pub fn table_rows<E>(
        &self,
        table: &Table<'a>,
        index: usize,
        agency: &Agency,
        put: &mut dyn FnMut(&[&str]) -> Result<(), E>,
    ) -> Result<(), E> {
        let quality = quality(&mut self.stream(index));
        table.rows(index, &agency.id, quality, self.respondents, put)
    }

    /// The agency's own stream of the seed.
    fn stream(&self, index: usize) -> ChaCha8Rng {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(index as u64);
        rng
    }

    /// Agencies named `don-vi-000001` … in `groups` groups of about equal size.
    pub fn agencies(count: usize, groups: usize) -> Vec<Agency> {
        let groups = groups.clamp(1, count.max(1));
        (0..count)
            .map(|i| Agency {
                id: format!("don-vi-{:06}", i + 1),
                name: format!("Đơn vị {:06}", i + 1),
                group: format!("nhom-{}", i * groups / count.max(1) + 1),
            })
            .collect()
    }

    /// The sheet of the agency at position `index` (which seeds its own stream).
    pub fn sheet(&self, index: usize, agency: &Agency) -> Sheet {
        let mut rng = self.stream(index);
        let quality = quality(&mut rng);
        let sparse = self.sparse_field.filter(|_| rng.random_bool(0.12));
        // Where surveys are optional, some agencies were not surveyed at all.
        let surveyed = !(self.set.survey_optional && rng.random_bool(0.1));
        let abbreviation: String = agency
            .id
            .split('-')
            .filter_map(|w| w.chars().next())
            .collect::<String>()
            .to_uppercase();
        let mut sheet = Sheet { appraisals: vec![Vec::new(); self.appraisals], ..Sheet::default() };
        let mut document = 10 + rng.random_range(0..40);
        for (id, node, leaf) in self.set.leaves() {
            let skill = (quality + (rng.random::<f64>() - 0.5) * 0.35).clamp(0.0, 1.0);
            let kind = node.kind;
            // The system gives a computed value: most agencies leave it to the system.
            if leaf.compute.is_some() && rng.random_bool(0.75) {
                continue;
            }
            if leaf.source == Source::Survey {
                let value = self.value(&mut rng, id, skill);
                if surveyed {
                    sheet.survey.push(row(&node.code, value, "", ""));
                }
                continue;
            }
            let not_applicable = leaf.na.is_some()
                && (sparse.is_some_and(|f| top(self.set, id) == f) || rng.random_bool(0.04));
            if not_applicable {
                sheet.own.push(row(
                    &node.code,
                    "không phát sinh".into(),
                    "",
                    "Không phát sinh trong năm",
                ));
                continue;
            }
            // Agencies score themselves a little better than they are.
            let claimed = self.value(&mut rng, id, (skill + 0.12).min(1.0));
            let cited = kind == Kind::Deduction || rng.random_bool(0.97);
            document += 1 + rng.random_range(0..5);
            let evidence = if cited && kind != Kind::Deduction {
                format!(
                    "Văn bản số {document}/{abbreviation} ngày {:02}/{:02}/2025",
                    1 + rng.random_range(0..28),
                    1 + rng.random_range(0..12)
                )
            } else {
                String::new()
            };
            sheet.own.push(row(&node.code, claimed.clone(), &evidence, ""));
            if self.appraisals == 0 {
                continue;
            }
            // The first appraisal round corrects some claims downwards…
            if rng.random_bool(0.08) || (!cited && kind != Kind::Deduction && rng.random_bool(0.5))
            {
                let found = self.value(&mut rng, id, (skill - 0.25).max(0.0));
                if found != claimed {
                    let finding = FINDINGS[rng.random_range(0..FINDINGS.len())];
                    sheet.appraisals[0].push(row(
                        &node.code,
                        found,
                        "",
                        &format!("Thẩm định: {finding}"),
                    ));
                    // …and a later round accepts some of the agencies' explanations.
                    if self.appraisals > 1 && rng.random_bool(0.3) {
                        let mut accepted = row(
                            &node.code,
                            claimed,
                            &format!("Bổ sung: văn bản số {document}b/{abbreviation}"),
                            "Chấp nhận giải trình",
                        );
                        accepted.explanation =
                            "Đơn vị đã giải trình và bổ sung tài liệu kiểm chứng".into();
                        sheet.appraisals[1].push(accepted);
                    }
                }
            }
        }
        sheet
    }

    /// A value as an agency would type it for the leaf, from a skill in 0..=1.
    fn value(&self, rng: &mut ChaCha8Rng, id: NodeId, skill: f64) -> String {
        let node = &self.set.nodes[id];
        let leaf = node.leaf.as_ref().expect("a leaf");
        let max = node.max;
        // Bonus points are rare; deductions rarer.
        let skill = match node.kind {
            Kind::Regular => skill,
            Kind::Bonus => skill * skill * 0.5,
            Kind::Deduction => 1.0 - 0.3 * (1.0 - skill),
        };
        let good = rng.random_bool(skill);
        match &leaf.rule {
            Rule::Points { step } => {
                let step = step.unwrap_or(Decimal::new(25, 2));
                let steps = (max / step).trunc();
                let wanted = Decimal::from_f64_retain(skill * 1.02)
                    .unwrap_or(Decimal::ONE)
                    .min(Decimal::ONE);
                ((steps * wanted).round() * step).min(max).normalize().to_string()
            }
            Rule::YesNo => {
                let yes = if node.kind == Kind::Deduction { !good } else { good };
                if yes { "có" } else { "không" }.into()
            }
            Rule::Choice { choices } => {
                let mut order: Vec<usize> = (0..choices.len()).collect();
                order.sort_by(|&a, &b| choices[b].points.cmp(&choices[a].points));
                let pick = if node.kind == Kind::Deduction {
                    order.len() - 1
                } else if good {
                    0
                } else {
                    rng.random_range(0..order.len())
                };
                choices[order[pick]].value.clone()
            }
            Rule::Bands { lower_is_better: true, .. } => {
                if good {
                    "0".into()
                } else {
                    rng.random_range(1..5).to_string()
                }
            }
            Rule::Bands { .. } => {
                let percent = (100.0 * (skill + 0.12)).clamp(0.0, 100.0).round();
                format!("{percent}%")
            }
            Rule::Ratio { .. } => {
                let of: u32 = rng.random_range(12..2000);
                let share = (skill + 0.18).clamp(0.0, 1.0);
                let done = (f64::from(of) * share).round().min(f64::from(of));
                format!("{done}/{of}")
            }
            Rule::PerItem { .. } => {
                if good {
                    "0".into()
                } else {
                    rng.random_range(1..4).to_string()
                }
            }
        }
    }
}

/// How well an agency works, the first draw of its stream: most are fairly good, a few
/// weak.
fn quality(rng: &mut ChaCha8Rng) -> f64 {
    0.42 + 0.55 * (rng.random::<f64>() + rng.random::<f64>()) / 2.0
}

fn row(code: &str, value: String, evidence: &str, note: &str) -> Row {
    Row {
        code: code.into(),
        value,
        evidence: evidence.into(),
        note: note.into(),
        explanation: String::new(),
    }
}

/// The top-level node above `id`.
fn top(set: &CriteriaSet, mut id: NodeId) -> NodeId {
    while let Some(p) = set.nodes[id].parent {
        id = p;
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::criteria;
    use crate::source::SourceFile;

    fn set() -> CriteriaSet {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/docs/examples/bo-tieu-chi-mau.toml"
        ))
        .unwrap();
        criteria::load(&SourceFile::new("mau.toml", text)).set.unwrap()
    }

    #[test]
    fn the_same_seed_gives_the_same_sheets_agency_by_agency() {
        let set = set();
        let agencies = Generator::agencies(30, 2);
        let a = Generator::new(&set, 7, 2);
        let b = Generator::new(&set, 7, 2);
        assert_eq!(a.sheet(12, &agencies[12]), b.sheet(12, &agencies[12]));
        assert_ne!(a.sheet(12, &agencies[12]), a.sheet(13, &agencies[13]));
        assert_ne!(a.sheet(12, &agencies[12]), Generator::new(&set, 8, 2).sheet(12, &agencies[12]));
    }

    /// The rows of every table for the agency at `index`.
    fn table_rows(g: &Generator<'_>, index: usize, agency: &Agency) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        for table in g.tables() {
            g.table_rows(table, index, agency, &mut |row: &[&str]| {
                rows.push(row.iter().map(|f| (*f).to_string()).collect());
                Ok::<_, std::convert::Infallible>(())
            })
            .unwrap();
        }
        rows
    }

    #[test]
    fn tables_follow_the_seed_agency_by_agency() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/computed/he-thong.toml"
        ))
        .unwrap();
        let set = criteria::load(&SourceFile::new("he-thong.toml", text)).set.unwrap();
        let names: Vec<&str> =
            Generator::new(&set, 7, 2).tables().iter().map(Table::name).collect();
        assert_eq!(names, ["mot-cua", "khao-sat"]);
        let agencies = Generator::agencies(30, 2);
        let a = Generator::new(&set, 7, 2).respondents(5);
        let b = Generator::new(&set, 7, 0).respondents(5);
        let rows = table_rows(&a, 12, &agencies[12]);
        assert_eq!(rows, table_rows(&b, 12, &agencies[12]), "the appraisals change no table");
        assert_ne!(rows, table_rows(&a, 13, &agencies[13]));
        assert_ne!(rows, table_rows(&Generator::new(&set, 8, 2).respondents(5), 12, &agencies[12]));
        assert_eq!(rows[0].len(), 7, "agency and six counts");
        assert!(rows[1..].iter().all(|r| r.len() == 4 && r[1] == "SIPAS"));
        assert!(rows.len() == 1 + 5 || rows.len() < 1 + 2, "{} rows", rows.len());
    }

    #[test]
    fn every_leaf_gets_a_value_and_groups_split_evenly() {
        let set = set();
        let agencies = Generator::agencies(10, 2);
        assert_eq!(agencies.iter().filter(|a| a.group == "nhom-1").count(), 5);
        let sheet = Generator::new(&set, 1, 2).sheet(0, &agencies[0]);
        let survey_leaves = set.leaves().filter(|(_, _, l)| l.source == Source::Survey).count();
        assert_eq!(sheet.own.len() + survey_leaves, set.leaves().count());
        assert!(sheet.survey.len() == survey_leaves || sheet.survey.is_empty());
        assert_eq!(sheet.appraisals.len(), 2);
    }
}
