//! Criterion benchmarks of the scoring core: rule evaluation, aggregation of one agency's
//! tree, and ranking a group, on the departments set; the rendering of a data file's
//! warnings, which must not cost more per warning as the file grows; scoring a whole
//! round as the published tables keep it; and perturbed runs of `sensitivity` on every
//! commune of the country.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use parindex::diagnostic::{Diagnostic, FileReport};
use parindex::generate::Generator;
use parindex::lang::Text;
use parindex::model::criteria::CriteriaSet;
use parindex::model::stack::LeafInput;
use parindex::model::value::Value;
use parindex::read::criteria;
use parindex::score::exact::Exact;
use parindex::score::filter::Approx;
use parindex::score::rank::{self, Entry, Vietnamese};
use parindex::score::tree;
use parindex::source::SourceFile;

fn departments() -> CriteriaSet {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/criteria/so-ban-nganh-2025.toml"
    ))
    .unwrap();
    criteria::load(&SourceFile::new("so-ban-nganh-2025.toml", text))
        .set
        .expect("the shipped set loads")
}

/// Every leaf's self-assessed value for one generated agency, read into its rule's form.
fn values(set: &CriteriaSet, agency: usize) -> Vec<Option<Value>> {
    let list = Generator::agencies(agency + 1, 1);
    let sheet = Generator::new(set, 2025, 0).sheet(agency, &list[agency]);
    let mut values = vec![None; set.nodes.len()];
    for row in sheet.own.iter().chain(&sheet.survey) {
        let id = set.find(&row.code).unwrap();
        let node = &set.nodes[id];
        values[id] = Value::parse(&row.value, node.leaf.as_ref().unwrap(), node.max).ok();
    }
    values
}

fn rules(c: &mut Criterion) {
    let set = departments();
    let values = values(&set, 0);
    let leaves: Vec<_> =
        set.leaves().filter_map(|(id, n, l)| values[id].map(|v| (n.max, l, v))).collect();
    c.bench_function("rule evaluation: every leaf of one agency", |b| {
        b.iter(|| {
            leaves
                .iter()
                .filter(|(_, _, v)| *v != Value::Na)
                .fold(Exact::zero(), |sum, (max, leaf, v)| {
                    sum.add(&leaf.rule.points(black_box(v), *max, false))
                })
        });
    });
}

fn aggregation(c: &mut Criterion) {
    let set = departments();
    let order = tree::bottom_up(&set);
    let values = values(&set, 1);
    let input =
        |id: usize| LeafInput { value: values[id].as_ref(), evidence: true, survey_na: false };
    c.bench_function("aggregation: one agency's tree and index, exact", |b| {
        b.iter(|| tree::score(&set, &order, input));
    });
    c.bench_function("aggregation: one agency's tree and index, on decimals", |b| {
        b.iter(|| tree::score_in::<Approx>(&set, &order, input));
    });
}

fn ranking(c: &mut Criterion) {
    let collation = Vietnamese::new();
    let names: Vec<String> =
        (0..10_000).map(|i| format!("Đơn vị {:05}", (i * 7919) % 10_000)).collect();
    let entries: Vec<Entry<'_, Exact>> = names
        .iter()
        .enumerate()
        .map(|(i, name)| Entry {
            key: Some(Exact::from_int(i64::try_from(i % 500).unwrap())),
            name,
            id: name,
        })
        .collect();
    c.bench_function("ranking: a group of 10,000 with ties", |b| {
        b.iter(|| rank::rank(black_box(&entries), &collation));
    });
}

fn warnings(c: &mut Criterion) {
    // 100,000 rows with a warning on every hundredth, as `check` meets in a big round.
    let rows: Vec<String> =
        (0..100_000).map(|i| format!("don-vi-{:06},1.2.2,có,,\n", i / 87)).collect();
    let text = rows.concat();
    let row_len = text.find('\n').unwrap() + 1;
    let diagnostics: Vec<Diagnostic> = (0..1_000)
        .map(|i| {
            let start = i * 100 * row_len;
            Diagnostic::warning("no-evidence", Text::same("no row cites evidence"))
                .at(start..start + row_len - 1, Text::same("this claim"))
        })
        .collect();
    let report =
        FileReport::new("self.csv".into(), Some(SourceFile::new("self.csv", text)), diagnostics);
    c.bench_function("warnings: render 1,000 on a 100,000-row file", |b| {
        b.iter(|| black_box(&report).render(parindex::diagnostic::Voice::PLAIN));
    });
}

/// A generated round of `count` agencies of `criteria` in `groups` groups, written to
/// `dir` and loaded.
fn generated(
    criteria: &str,
    count: usize,
    groups: usize,
    dir: &std::path::Path,
) -> parindex::model::round::Round {
    let (count, groups) = (count.to_string(), groups.to_string());
    let folder = dir.to_str().unwrap();
    let line = [
        "parindex",
        "generate",
        "--criteria",
        criteria,
        "--count",
        &count,
        "--groups",
        &groups,
        "-o",
        folder,
    ];
    let (mut out, mut err) = (Vec::new(), Vec::new());
    assert_eq!(parindex::run(line, &mut out, &mut err).unwrap(), parindex::Exit::Done);
    let inputs = parindex::read::inputs::read_round_file(&dir.join("round.toml")).unwrap();
    parindex::read::inputs::load(&inputs).round.unwrap()
}

fn round(c: &mut Criterion) {
    // 2,000 departments at both stages, kept as the csv table and as JSON keep them: what
    // `score` does per agency at scale, without the reading.
    let dir = tempfile::tempdir().unwrap();
    let round = generated(
        concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/so-ban-nganh-2025.toml"),
        2000,
        20,
        dir.path(),
    );
    let mut group = c.benchmark_group("round");
    group.sample_size(20);
    for (detail, kept) in [
        (parindex::score::results::Detail::Fields, "fields kept (csv)"),
        (parindex::score::results::Detail::Full, "every node kept (json)"),
    ] {
        group.bench_function(format!("score: 2,000 departments at both stages, {kept}"), |b| {
            b.iter(|| {
                parindex::score::results::score_with(
                    black_box(&round),
                    parindex::model::layer::Stage::Final,
                    detail,
                    &parindex::progress::Progress::hidden(),
                )
            });
        });
    }
    group.finish();
}

fn sensitivity(c: &mut Criterion) {
    use parindex::score::sensitivity::{Level, Model, Options, analyse};
    // 3,321 communes in one group, generated as `scripts/bench-sensitivity` does.
    let dir = tempfile::tempdir().unwrap();
    let round = generated(
        concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/xa-phuong-2025.toml"),
        3321,
        1,
        dir.path(),
    );
    for (level, detail, name) in [
        (Level::Field, parindex::score::results::Detail::Fields, "field"),
        (Level::Criterion, parindex::score::results::Detail::Criteria, "criterion"),
    ] {
        let progress = parindex::progress::Progress::hidden();
        let results = parindex::score::results::score_with(
            &round,
            parindex::model::layer::Stage::Final,
            detail,
            &progress,
        );
        let model = Model::new(&round.set, &results, level);
        // 200 runs with every unit perturbed, then 200 per field alone: the room for
        // every commune's count of every rank (44 MB) is set up once per call.
        let options = Options { runs: 200, seed: 2025, spread: 0.25, level };
        let mut group = c.benchmark_group("sensitivity");
        group.sample_size(20);
        group.bench_function(
            format!("200 runs x (1 + fields) of 3,321 communes, {name} level"),
            |b| b.iter(|| analyse(&model, black_box(&options), &|_| ())),
        );
        group.finish();
    }
}

criterion_group!(benches, rules, aggregation, ranking, warnings, round, sensitivity);
criterion_main!(benches);
