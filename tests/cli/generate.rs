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
    // agencies, self, two appraisal rounds, survey, and the two raw tables
    assert_eq!(fa.len(), 7);
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

/// `generate` of the set whose values come from tables, `tests/data/computed/he-thong.toml`,
/// into `dir/vong`.
fn generate_computed(dir: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let criteria = crate::support::data().join("computed/he-thong.toml");
    let mut args = vec!["generate", "--criteria", criteria.to_str().unwrap(), "-o", "vong"];
    args.extend_from_slice(extra);
    run(dir, &args)
}

// A set with computed leaves: generate writes the tables they read, and the round scores
// without an error whatever the seed and the number of agencies.
#[test]
fn a_round_with_computed_leaves_gets_its_tables_and_scores_cleanly() {
    for seed in ["1", "7", "2025"] {
        for count in ["1", "9", "120"] {
            let dir = tempfile::tempdir().unwrap();
            let made = generate_computed(dir.path(), &["--count", count, "--seed", seed]);
            assert_eq!(made.status.code(), Some(0), "{}", seen(&made));
            let stdout = String::from_utf8_lossy(&made.stdout);
            assert!(
                stdout.contains("wrote vong/mot-cua.csv\nwrote vong/khao-sat.csv\n"),
                "{stdout}"
            );
            let round = std::fs::read_to_string(dir.path().join("vong/round.toml")).unwrap();
            assert!(
                round.ends_with(
                    "\n[tables.mot-cua]\nfile = \"mot-cua.csv\"\n\n[tables.khao-sat]\nfile = \"khao-sat.csv\"\n"
                ),
                "{round}"
            );
            let checked = run(dir.path(), &["check", "vong/round.toml"]);
            assert_eq!(checked.status.code(), Some(0), "seed {seed}, {count}: {}", seen(&checked));
            let scored = run(dir.path(), &["score", "vong/round.toml", "--format", "csv"]);
            assert_eq!(scored.status.code(), Some(0), "seed {seed}, {count}: {}", seen(&scored));
            let stderr = String::from_utf8_lossy(&scored.stderr);
            assert!(!stderr.contains("error"), "seed {seed}, {count}: {stderr}");
            let rows = String::from_utf8(scored.stdout).unwrap().lines().count();
            assert_eq!(rows, count.parse::<usize>().unwrap() + 1, "a header and every agency");
        }
    }
}

#[test]
fn tables_are_reproducible_agency_by_agency() {
    let (a, b, more) =
        (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for dir in [&a, &b] {
        let out = generate_computed(dir.path(), &["--count", "30", "--seed", "4"]);
        assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
    }
    let (fa, fb) = (files(&a.path().join("vong")), files(&b.path().join("vong")));
    let names: Vec<&str> = fa.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "agencies.csv",
            "appraisal-1.csv",
            "appraisal-2.csv",
            "khao-sat.csv",
            "mot-cua.csv",
            "self.csv"
        ]
    );
    assert_eq!(fa, fb, "the same seed gives the same files");
    // More agencies leave the first ones' rows as they were.
    let out = generate_computed(more.path(), &["--count", "45", "--seed", "4"]);
    assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
    for table in ["mot-cua.csv", "khao-sat.csv"] {
        let few = std::fs::read_to_string(a.path().join("vong").join(table)).unwrap();
        let many = std::fs::read_to_string(more.path().join("vong").join(table)).unwrap();
        assert!(many.starts_with(&few), "{table}");
        assert!(many.len() > few.len(), "{table}");
    }
    let other = tempfile::tempdir().unwrap();
    generate_computed(other.path(), &["--count", "30", "--seed", "5"]);
    let fo = files(&other.path().join("vong"));
    assert_ne!(
        fo.iter().find(|(n, _)| n == "mot-cua.csv"),
        fa.iter().find(|(n, _)| n == "mot-cua.csv")
    );
}

#[test]
fn without_respondents_every_agency_is_not_surveyed() {
    let dir = tempfile::tempdir().unwrap();
    let out = generate_computed(dir.path(), &["--count", "12", "--respondents", "0"]);
    assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
    let survey = std::fs::read_to_string(dir.path().join("vong/khao-sat.csv")).unwrap();
    assert_eq!(survey, "agency,phieu,C1,C2\n");
    let scored = run(dir.path(), &["score", "vong/round.toml"]);
    assert_eq!(scored.status.code(), Some(0), "{}", seen(&scored));
    let stderr = String::from_utf8_lossy(&scored.stderr);
    assert!(
        stderr.contains(
            "warning[not-surveyed]: node \"3.1\": 12 of 12 agencies have fewer than 4 answers"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("error"), "{stderr}");

    let many = generate_computed(dir.path(), &["--count", "2", "--respondents", "100001"]);
    assert_eq!(many.status.code(), Some(2), "{}", seen(&many));
}

/// A set computing from expressions of every shape, every rule that takes a computed
/// value, two `where` groups and a leaf that counts every respondent; its statistics table
/// is called "self", the name of the round's own self-assessment file.
const EVERY_SHAPE: &str = r#"
schema = 1
id = "thu-moi-bieu-thuc"
title = "Bộ thử: mọi dạng biểu thức"
year = 2025
max = 14

[[node]]
code = "1"
name = "Một cửa"

[[node]]
code = "1.1"
name = "Đúng hạn"
max = 2
rule = "ratio"
full_at = 0.98
compute = { table = "self", value = "(tiep_nhan - qua_han - tra_lai) / tiep_nhan" }

[[node]]
code = "1.2"
name = "Số hóa"
max = 1
rule = "ratio"
compute = { table = "self", value = "min(so_hoa, tiep_nhan) / tiep_nhan", rate_decimals = 4 }

[[node]]
code = "1.3"
name = "Thanh toán trực tuyến"
max = 1
rule = "points"
compute = { table = "self", value = "(thanh_toan / da_giai_quyet) * 1" }

[[node]]
code = "1.4"
name = "Lỗi đồng bộ"
max = 1
rule = "per_item"
per = 0.25
compute = { table = "self", value = "loi_dong_bo" }

[[node]]
code = "1.5"
name = "Phản ánh quá hạn"
max = 1
rule = "bands"
lower_is_better = true
bands = [[0, 1], [2, 0.5], [inf, 0]]
compute = { table = "self", value = "pakn_qua_han" }

[[node]]
code = "1.6"
name = "Phản ánh đúng hạn"
max = 1
rule = "ratio"
compute = { table = "self", value = "(pakn - pakn_qua_han) / pakn", zero = "na" }

[[node]]
code = "1.7"
name = "Trực tuyến toàn trình"
max = 2
rule = "bands"
bands = [[80, 2], [50, 1], [0, 0]]
compute = { table = "self", value = "(truc_tuyen + buu_chinh) / (tiep_nhan + bo_sung)", zero = "full" }

[[node]]
code = "2"
name = "Hài lòng"

[[node]]
code = "2.1"
name = "SIPAS"
max = 2
rule = "ratio"
compute = { table = "khao-sat", questions = ["C1", "C2"], where = { phieu = "SIPAS" }, min_answers = 30, answers = { "Rất hài lòng" = 1, "Hài lòng" = 1, "Bình thường" = 0, "Không hài lòng" = 0, "Rất không hài lòng" = 0 } }

[[node]]
code = "2.2"
name = "DDCI"
max = 2
rule = "bands"
bands = [[80, 2], [50, 1], [0, 0]]
compute = { table = "khao-sat", questions = ["Câu 3"], where = { "Phiếu" = "DDCI", nam = "2025" }, min_answers = 10, answers = { "Tốt" = 1, "Khá" = 0.75, "Trung bình" = 0.5, "Kém" = 0 } }

[[node]]
code = "2.3"
name = "Mọi người trả lời"
max = 1
rule = "ratio"
compute = { table = "khao-sat", questions = ["C1"], answers = { "rất hài lòng" = 1, "Hài lòng" = 1, "Bình thường" = 0, "Không hài lòng" = 0, "Rất không hài lòng" = 0 } }
"#;

#[test]
fn expressions_of_every_shape_get_counts_that_score() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bo.toml"), EVERY_SHAPE).unwrap();
    for (seed, count) in [("1", "5"), ("2", "80"), ("3", "300")] {
        let made = run(
            dir.path(),
            &["generate", "--criteria", "bo.toml", "--count", count, "--seed", seed, "-o", "vong"],
        );
        assert_eq!(made.status.code(), Some(0), "{}", seen(&made));
        let header = |name: &str| {
            let text = std::fs::read_to_string(dir.path().join("vong").join(name)).unwrap();
            text.lines().next().unwrap().to_string()
        };
        assert_eq!(
            header("bang-self.csv"),
            "agency,tiep_nhan,qua_han,tra_lai,so_hoa,thanh_toan,da_giai_quyet,loi_dong_bo,\
             pakn_qua_han,pakn,truc_tuyen,buu_chinh,bo_sung"
        );
        assert_eq!(header("khao-sat.csv"), "agency,phieu,nam,C1,C2,Câu 3", "\"Phiếu\" is phieu");
        let scored = run(dir.path(), &["score", "vong/round.toml", "--format", "csv"]);
        assert_eq!(scored.status.code(), Some(0), "seed {seed}: {}", seen(&scored));
        let stderr = String::from_utf8_lossy(&scored.stderr);
        assert!(!stderr.contains("error"), "seed {seed}: {stderr}");
        assert!(!stderr.contains("above-whole"), "seed {seed}: {stderr}");
    }
}

// A table name a round file cannot give would make a round that cannot be scored.
#[test]
fn a_table_no_round_file_can_name_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let set = std::fs::read_to_string(crate::support::data().join("computed/he-thong.toml"))
        .unwrap()
        .replace("table = \"mot-cua\"", "table = \"mot cua\"");
    std::fs::write(dir.path().join("bo.toml"), set).unwrap();
    let out = run(dir.path(), &["generate", "--criteria", "bo.toml", "--count", "2", "-o", "vong"]);
    assert_eq!(out.status.code(), Some(1), "{}", seen(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error[bad-id]: the table name \"mot cua\" may hold only letters a-z, digits, '-' and '_'"),
        "{stderr}"
    );
    assert!(!dir.path().join("vong").exists());
}

// The shipped set whose every leaf is computed (Bộ chỉ số 766): products, `max(0, …)`,
// `max(a, b)` in a denominator.
#[test]
fn the_766_set_gets_a_statistics_table_that_scores() {
    let criteria = root().join("criteria/chi-so-766-2025.toml");
    for seed in ["3", "2025"] {
        let dir = tempfile::tempdir().unwrap();
        let made = run(
            dir.path(),
            &[
                "generate",
                "--criteria",
                criteria.to_str().unwrap(),
                "--count",
                "150",
                "--seed",
                seed,
                "-o",
                "vong",
            ],
        );
        assert_eq!(made.status.code(), Some(0), "{}", seen(&made));
        let scored = run(dir.path(), &["score", "vong/round.toml"]);
        assert_eq!(scored.status.code(), Some(0), "seed {seed}: {}", seen(&scored));
        assert_eq!(String::from_utf8_lossy(&scored.stderr), "", "seed {seed}");
    }
}
