//! Every input a fuzz target once failed on, kept in tests/data/fuzz/TARGET/, goes again
//! through the very path its target drives (fuzz/src/lib.rs, see docs/fuzzing.md); none
//! of them may panic.

use std::path::Path;

#[path = "../../fuzz/src/lib.rs"]
mod paths;

/// Feeds each file of tests/data/fuzz/`target` to `path`; names every one that panics.
fn each_finding(target: &str, path: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz").join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else { return };
    let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
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

#[test]
fn criteria_findings_load() {
    each_finding("criteria", paths::criteria);
}

#[test]
fn data_findings_read() {
    each_finding("data", paths::data);
}

#[test]
fn round_findings_score() {
    each_finding("round", paths::round);
}
