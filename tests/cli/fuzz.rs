//! Every input a fuzz target once failed on, kept in tests/data/fuzz/TARGET/, goes again
//! through the very path its target drives (fuzz/src/lib.rs, see docs/fuzzing.md); none
//! of them may panic. So do the repository's own files the targets are seeded with, so
//! that the paths' own checks — the quick reader takes only what the thorough one takes,
//! and gives the same stack — hold on every dialect and every data error between fuzzing
//! runs.

use std::path::{Path, PathBuf};

#[path = "../../fuzz/src/lib.rs"]
mod paths;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The files of each folder (relative to the repository), sorted.
fn files_in(dirs: &[&str]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in dirs {
        // A target that has found nothing yet has no folder of findings.
        if dir.starts_with("tests/data/fuzz/") && !root().join(dir).exists() {
            continue;
        }
        let entries = std::fs::read_dir(root().join(dir)).unwrap_or_else(|e| panic!("{dir}: {e}"));
        files.extend(entries.map(|e| e.unwrap().path()).filter(|p| p.is_file()));
    }
    files.sort();
    files
}

/// Feeds each file to `path`; names every one that panics.
fn none_panics(files: &[PathBuf], path: fn(&[u8])) {
    let panicked: Vec<String> = files
        .iter()
        .filter(|file| {
            let bytes = std::fs::read(file).unwrap();
            std::panic::catch_unwind(|| path(&bytes)).is_err()
        })
        .map(|file| file.display().to_string())
        .collect();
    assert!(panicked.is_empty(), "these inputs panic: {panicked:#?}");
}

/// The inputs of a whole round, joined as the `round` target cuts them.
fn joined(files: &[&str]) -> Vec<u8> {
    let parts: Vec<Vec<u8>> =
        files.iter().map(|f| std::fs::read(root().join(f)).unwrap()).collect();
    parts.join(paths::SEPARATOR)
}

#[test]
fn criteria_findings_and_seeds_load() {
    let files = files_in(&["tests/data/fuzz/criteria", "criteria", "tests/data/bad-inputs"]);
    none_panics(&files, paths::criteria);
}

#[test]
fn data_findings_and_seeds_read_alike_both_ways() {
    let files = files_in(&[
        "tests/data/fuzz/data",
        "tests/data/dialects",
        "tests/data/data-errors",
        "tests/data/bad-inputs",
        "examples/vong-mau",
    ]);
    none_panics(&files, paths::data);
}

#[test]
fn round_findings_and_the_sample_round_score() {
    let sample = joined(&[
        "docs/examples/bo-tieu-chi-mau.toml",
        "examples/vong-mau/agencies.csv",
        "examples/vong-mau/self.csv",
        "examples/vong-mau/survey.csv",
        "examples/vong-mau/appraisal-1.csv",
        "examples/vong-mau/appraisal-2.csv",
    ]);
    let dir = tempfile::tempdir().unwrap();
    let sample_file = dir.path().join("vong-mau");
    std::fs::write(&sample_file, sample).unwrap();
    let mut files = files_in(&["tests/data/fuzz/round"]);
    files.push(sample_file);
    none_panics(&files, paths::round);
}
