//! Criterion benchmarks of the scoring core: rule evaluation, aggregation of one agency's
//! tree, and ranking a group, on the departments set.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use parindex::criteria::{self, CriteriaSet};
use parindex::exact::{Approx, Exact};
use parindex::generate::Generator;
use parindex::index::{self, LeafInput};
use parindex::rank::{self, Entry, Vietnamese};
use parindex::source::SourceFile;
use parindex::value::Value;

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
    let order = index::bottom_up(&set);
    let values = values(&set, 1);
    let input =
        |id: usize| LeafInput { value: values[id].as_ref(), evidence: true, survey_na: false };
    c.bench_function("aggregation: one agency's tree and index, exact", |b| {
        b.iter(|| index::score(&set, &order, input));
    });
    c.bench_function("aggregation: one agency's tree and index, on decimals", |b| {
        b.iter(|| index::score_in::<Approx>(&set, &order, input));
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

criterion_group!(benches, rules, aggregation, ranking);
criterion_main!(benches);
