//! `parindex generate` and the shipped examples: rounds are reproducible from their seed,
//! load without a problem, and the examples in the repository are exactly what the
//! generator writes.

use crate::support::{root, run, seen};

const SETS: [&str; 3] = ["so-ban-nganh-2025", "xa-phuong-2025", "par-index-tinh-2024"];

fn files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut found: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .map(|p| {
            (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap())
        })
        .collect();
    found.sort();
    found
}

#[test]
fn a_generated_round_is_reproducible_and_scores_cleanly() {
    let criteria = root().join("criteria/so-ban-nganh-2025.toml");
    let criteria = criteria.to_str().unwrap();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for dir in [&a, &b] {
        let out = run(
            dir.path(),
            &[
                "generate",
                "--criteria",
                criteria,
                "--count",
                "45",
                "--groups",
                "3",
                "--seed",
                "9",
                "-o",
                "vong",
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
    }
    let (fa, fb) = (files(&a.path().join("vong")), files(&b.path().join("vong")));
    assert_eq!(fa.len(), 5);
    assert_eq!(fa, fb, "the same seed gives the same files");
    let other = tempfile::tempdir().unwrap();
    run(
        other.path(),
        &[
            "generate",
            "--criteria",
            criteria,
            "--count",
            "45",
            "--groups",
            "3",
            "--seed",
            "10",
            "-o",
            "vong",
        ],
    );
    assert_ne!(files(&other.path().join("vong")), fa, "another seed, other values");

    let checked = run(a.path(), &["check", "vong/round.toml"]);
    assert_eq!(checked.status.code(), Some(0), "{}", seen(&checked));
    let scored = run(a.path(), &["score", "vong/round.toml", "--format", "csv"]);
    assert_eq!(scored.status.code(), Some(0), "{}", seen(&scored));
    let text = String::from_utf8(scored.stdout).unwrap();
    assert_eq!(text.lines().count(), 46);
    assert!(text.contains(",nhom-3,"));
}

// The examples are the generator's output: regenerating them changes nothing.
#[test]
fn the_examples_are_what_generate_writes() {
    for set in SETS {
        let dir = tempfile::tempdir().unwrap();
        let example = root().join("examples").join(set);
        let out = run(
            dir.path(),
            &[
                "generate",
                "--criteria",
                root().join(format!("criteria/{set}.toml")).to_str().unwrap(),
                "--agencies",
                example.join("agencies.csv").to_str().unwrap(),
                "--seed",
                "2025",
                "-o",
                "vong",
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{set}: {}", seen(&out));
        let mut shipped = files(&example);
        shipped.retain(|(name, _)| name != "agencies.csv");
        let mut made = files(&dir.path().join("vong"));
        made.retain(|(name, _)| name != "agencies.csv");
        assert_eq!(made, shipped, "{set}: regenerate the example (see its README)");
    }
}

#[test]
fn every_example_round_checks_and_scores() {
    let mut rounds: Vec<_> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path().join("round.toml"))
        .filter(|p| p.exists())
        .collect();
    rounds.sort();
    assert!(rounds.len() >= 4);
    for round in rounds {
        let round = round.to_str().unwrap();
        let checked = run(&root(), &["check", round]);
        assert_eq!(checked.status.code(), Some(0), "{round}: {}", seen(&checked));
        let scored = run(&root(), &["score", round]);
        assert_eq!(scored.status.code(), Some(0), "{round}: {}", seen(&scored));
    }
}

#[test]
fn the_departments_example_as_published() {
    let out = run(&root(), &["score", "examples/so-ban-nganh-2025/round.toml", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(seen(&out));
}

#[test]
fn generate_never_writes_over_its_inputs_and_keeps_an_agencies_file_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let criteria = dir.path().join("self.csv");
    std::fs::copy(root().join("criteria/xa-phuong-2025.toml"), &criteria).unwrap();
    let before = std::fs::read(&criteria).unwrap();
    let out = run(dir.path(), &["generate", "--criteria", "self.csv", "--count", "3", "-o", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", seen(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[output-is-input]"));
    assert_eq!(std::fs::read(&criteria).unwrap(), before);
    // The folder is the agencies file's alone from here on: generate writes into no
    // folder that holds files it did not write.
    std::fs::remove_file(&criteria).unwrap();

    let agencies = dir.path().join("agencies.csv");
    std::fs::write(&agencies, "id,name,group\nxa-a,Xã A,xa\n# a comment kept as it is\n").unwrap();
    let out = run(
        dir.path(),
        &[
            "generate",
            "--criteria",
            root().join("criteria/xa-phuong-2025.toml").to_str().unwrap(),
            "--agencies",
            "agencies.csv",
            "-o",
            ".",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "a bad agencies file is reported: {}", seen(&out));
    std::fs::write(&agencies, "id,name,group\nxa-a,Xã A,xa\n").unwrap();
    let out = run(
        dir.path(),
        &[
            "generate",
            "--criteria",
            root().join("criteria/xa-phuong-2025.toml").to_str().unwrap(),
            "--agencies",
            "agencies.csv",
            "-o",
            ".",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("agencies.csv"));
}
