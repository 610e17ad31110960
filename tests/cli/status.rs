//! `parindex status`: before scoring, who has submitted, how much of it, with what
//! evidence, and what the round's tables give each agency.

use crate::support::{copy_files, data, root, run, seen};

/// The sample round, with Sở Nội vụ's self-assessment not yet in and Sở Y tế's half
/// done.
fn round_with_gaps() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = root().join("examples/vong-mau");
    copy_files(&from, dir.path());
    let set = root().join("docs/examples/bo-tieu-chi-mau.toml");
    let round = std::fs::read_to_string(from.join("round.toml"))
        .unwrap()
        .replace("../../docs/examples/bo-tieu-chi-mau.toml", set.to_str().unwrap());
    std::fs::write(dir.path().join("round.toml"), round).unwrap();
    let own = std::fs::read_to_string(from.join("self.csv")).unwrap();
    let mut kept = 0;
    let lines: Vec<&str> = own
        .lines()
        .filter(|l| !l.starts_with("so-noi-vu,"))
        .filter(|l| {
            if l.starts_with("so-y-te,") {
                kept += 1;
                kept % 2 == 1
            } else {
                true
            }
        })
        .collect();
    std::fs::write(dir.path().join("self.csv"), lines.join("\n") + "\n").unwrap();
    dir
}

// Who has not submitted comes first, named in the note; each agency's answered share and
// its claims without evidence; in every format.
#[test]
fn status_lists_who_has_not_submitted_first() {
    let dir = round_with_gaps();
    for (name, extra) in [
        ("table", &[][..]),
        ("table-en", &["--lang", "en"][..]),
        ("csv", &["--format", "csv"][..]),
        ("json", &["--format", "json"][..]),
    ] {
        let mut args = vec!["status", "round.toml"];
        args.extend(extra);
        let output = run(dir.path(), &args);
        assert_eq!(output.status.code(), Some(0), "{name}: {}", seen(&output));
        insta::assert_snapshot!(format!("status-{name}"), seen(&output));
    }
    let csv =
        String::from_utf8(run(dir.path(), &["status", "round.toml", "--format", "csv"]).stdout)
            .unwrap();
    let first = csv.lines().nth(1).unwrap();
    assert!(first.starts_with("so-noi-vu,") && first.contains(",chưa,0,"), "{first}");
}

// With tables, the values the system gives are counted apart from those an agency
// answers.
#[test]
fn status_counts_what_the_tables_give() {
    let output = run(&data(), &["status", "computed/round.toml", "--lang", "en"]);
    assert_eq!(output.status.code(), Some(0), "{}", seen(&output));
    insta::assert_snapshot!("status-computed", seen(&output));
}

// A wrong file still stops it, with its problems.
#[test]
fn status_refuses_a_wrong_file() {
    let dir = round_with_gaps();
    std::fs::write(dir.path().join("self.csv"), "agency,code,value\nso-y-te,9.9.9,có\n").unwrap();
    let output = run(dir.path(), &["status", "round.toml"]);
    assert_eq!(output.status.code(), Some(1), "{}", seen(&output));
    assert!(seen(&output).contains("error[unknown-code]"), "{}", seen(&output));
}
