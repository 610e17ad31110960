//! `parindex sensitivity`: what an officer sees, the same output on any number of cores,
//! and every format.

use std::process::{Command, Output};

use crate::support::{assert_whole_and_alone, root, run, seen};

const ROUND: &str = "examples/so-ban-nganh-2025/round.toml";

/// `parindex sensitivity ROUND ARGS` on `threads` threads.
fn on_threads(threads: usize, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_parindex"))
        .arg("sensitivity")
        .arg(ROUND)
        .args(args)
        .current_dir(root())
        .env_clear()
        .env("RAYON_NUM_THREADS", threads.to_string())
        .output()
        .expect("the parindex binary runs")
}

#[test]
fn sensitivity_of_the_example_round() {
    let table = run(&root(), &["sensitivity", ROUND, "--runs", "200"]);
    insta::assert_snapshot!("sensitivity-table", seen(&table));
    let md = run(
        &root(),
        &[
            "sensitivity",
            ROUND,
            "--runs",
            "200",
            "--level",
            "criterion",
            "--format",
            "md",
            "--lang",
            "en",
        ],
    );
    insta::assert_snapshot!("sensitivity-criterion-md-en", seen(&md));
    let csv = run(
        &root(),
        &["sensitivity", ROUND, "--runs", "200", "--format", "csv", "--group", "nganh-doc"],
    );
    insta::assert_snapshot!("sensitivity-group-csv", seen(&csv));
    let fields = run(
        &root(),
        &["sensitivity", ROUND, "--runs", "200", "--format", "csv", "--fields", "--spread", "10%"],
    );
    insta::assert_snapshot!("sensitivity-fields-csv", seen(&fields));
}

#[test]
fn the_same_seed_gives_the_same_bytes_on_any_number_of_cores() {
    for format in ["csv", "json"] {
        let args = ["--runs", "700", "--format", format, "--level", "criterion"];
        let one = on_threads(1, &args);
        let two = on_threads(2, &args);
        let five = on_threads(5, &args);
        assert_eq!(one.status.code(), Some(0), "{}", seen(&one));
        assert_eq!(one.stdout, two.stdout, "{format}: one thread against two");
        assert_eq!(one.stdout, five.stdout, "{format}: one thread against five");
        let other = on_threads(2, &[&args[..], &["--seed", "7"]].concat());
        assert_ne!(one.stdout, other.stdout, "{format}: another seed, other draws");
    }
}

#[test]
fn sensitivity_as_json_and_as_a_page() {
    let json = run(&root(), &["sensitivity", ROUND, "--runs", "300", "--format", "json"]);
    assert_eq!(json.status.code(), Some(0), "{}", seen(&json));
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["runs"], 300);
    assert_eq!(doc["seed"], 2025);
    assert_eq!(doc["spread_percent"], "25");
    assert_eq!(doc["level"], "field");
    let agencies = doc["agencies"].as_array().unwrap();
    assert_eq!(agencies.len(), 20, "every agency of the round");
    for a in agencies {
        let share: f64 = ["p_Xuất sắc", "p_Tốt", "p_Khá", "p_Trung bình", "p_Yếu"]
            .iter()
            .map(|k| a[*k].as_str().unwrap().parse::<f64>().unwrap())
            .sum();
        assert!((share - 1.0).abs() < 1e-9, "the grade shares of {} add up to 1", a["agency"]);
        let rank = |k: &str| a[k].as_i64().unwrap();
        assert!(rank("rank_best") <= rank("rank_p5") && rank("rank_p5") <= rank("median_rank"));
        assert!(rank("median_rank") <= rank("rank_p95") && rank("rank_p95") <= rank("rank_worst"));
    }
    assert_eq!(doc["fields"].as_array().unwrap().len(), 9, "eight fields and all together");

    let dir = tempfile::tempdir().unwrap();
    for lang in ["vi", "en"] {
        let path = dir.path().join(format!("on-dinh-{lang}.html"));
        let out = run(
            &root(),
            &[
                "sensitivity",
                ROUND,
                "--runs",
                "300",
                "--format",
                "html",
                "--lang",
                lang,
                "-o",
                path.to_str().unwrap(),
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
        let html = std::fs::read_to_string(&path).unwrap();
        assert_whole_and_alone(&html, lang);
        assert_eq!(html.matches("<svg class=\"chart\"").count(), 2, "{lang}: a chart per group");
        // A bar, a dot and a diamond per ranked agency, and the legend's.
        assert_eq!(html.matches("<circle").count(), 20 + 2, "{lang}");
        assert_eq!(html.matches("<table>").count(), 2, "{lang}: agencies and fields");
    }
}

#[test]
fn wrong_options_and_groups_are_refused() {
    let spread = run(&root(), &["sensitivity", ROUND, "--spread", "100"]);
    insta::assert_snapshot!("sensitivity-bad-spread", seen(&spread));
    let runs = run(&root(), &["sensitivity", ROUND, "--runs", "0"]);
    assert_eq!(runs.status.code(), Some(2), "{}", seen(&runs));
    let group = run(&root(), &["sensitivity", ROUND, "--group", "so-khong-co"]);
    insta::assert_snapshot!("sensitivity-unknown-group", seen(&group));
    let help = run(&root(), &["sensitivity", "--help"]);
    insta::assert_snapshot!("sensitivity-help", seen(&help));
}
