//! Plain files are read without their rows' texts, and the few rows a report names are
//! read again; a pipe, which gives its bytes once, is read with every text. What a user
//! sees must not depend on which.

use crate::support::{copy_files, root, run, seen};

/// The shipped departments round copied to a scratch folder, its criteria set beside it.
#[cfg(unix)]
fn departments_round() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_files(&root().join("examples/so-ban-nganh-2025"), dir.path());
    std::fs::copy(root().join("criteria/so-ban-nganh-2025.toml"), dir.path().join("set.toml"))
        .unwrap();
    let round = std::fs::read_to_string(dir.path().join("round.toml")).unwrap();
    let round = round.replace("../../criteria/so-ban-nganh-2025.toml", "set.toml");
    std::fs::write(dir.path().join("round.toml"), round).unwrap();
    dir
}

/// `parindex ARGS` in `dir` with its `self.csv` given through a named pipe, which can be
/// read only once.
#[cfg(unix)]
fn through_a_pipe(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let text = std::fs::read(dir.join("self.csv")).unwrap();
    std::fs::remove_file(dir.join("self.csv")).unwrap();
    let fifo = dir.join("self.csv");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success());
    let writer = std::thread::spawn(move || {
        use std::io::Write as _;
        let mut pipe = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
        pipe.write_all(&text).unwrap();
    });
    let output = run(dir, args);
    writer.join().unwrap();
    output
}

// A round of plain files is read without its rows' texts, and the rows a warning names
// are read again; a pipe is read once, with every text. Both say the same, row for row.
#[cfg(unix)]
#[test]
fn a_round_read_again_warns_as_one_read_once() {
    for args in
        [&["check", "--verbose", "round.toml"][..], &["check", "--format", "json", "round.toml"]]
    {
        let dir = departments_round();
        let files = run(dir.path(), args);
        let text = seen(&files);
        assert_eq!(files.status.code(), Some(0), "{text}");
        assert!(text.contains("no-evidence"), "the round has claims without evidence: {text}");
        assert!(text.contains("self.csv, line"), "a claim names its row: {text}");
        let piped = through_a_pipe(dir.path(), args);
        assert_eq!(seen(&piped), text, "{args:?}: a pipe, read once, says what files do");
    }
}

// `explain` of one agency reads only that agency's rows of plain files; what it shows is
// what a whole read shows.
#[cfg(unix)]
#[test]
fn one_agency_explained_from_its_rows_alone_is_explained_whole() {
    let dir = departments_round();
    let agencies = std::fs::read_to_string(dir.path().join("agencies.csv")).unwrap();
    let id = agencies.lines().nth(3).unwrap().split(',').next().unwrap().to_string();
    for format in ["json", "md"] {
        let args = ["explain", id.as_str(), "round.toml", "--format", format];
        let files = run(dir.path(), &args);
        assert_eq!(files.status.code(), Some(0), "{}", seen(&files));
        let piped = through_a_pipe(dir.path(), &args);
        assert_eq!(seen(&piped), seen(&files), "{format}: a pipe, read once, explains alike");
        std::fs::remove_file(dir.path().join("self.csv")).unwrap();
        std::fs::copy(
            root().join("examples/so-ban-nganh-2025/self.csv"),
            dir.path().join("self.csv"),
        )
        .unwrap();
    }
}

// The page explains what the appraisal changed from the rows of those changes alone,
// read again; read once from a pipe, every row is kept. The two pages are one.
#[cfg(unix)]
#[test]
fn the_page_from_rows_read_again_is_the_page_read_once() {
    for stage in ["final", "self"] {
        let dir = departments_round();
        let args = ["score", "round.toml", "--format", "html", "--stage", stage];
        let files = run(dir.path(), &args);
        assert_eq!(files.status.code(), Some(0), "{}", seen(&files));
        let page = String::from_utf8(files.stdout.clone()).unwrap();
        assert_eq!(page.matches("<article class=\"card\">").count(), 20, "a card per agency");
        if stage == "final" {
            // The appraisal council's notes, read again from the rows of its changes.
            assert!(page.matches(": Thẩm định: ").count() >= 10, "changes are explained");
        }
        let piped = through_a_pipe(dir.path(), &args);
        assert_eq!(seen(&piped), seen(&files), "{stage}: a pipe, read once, gives the same page");
    }
}
