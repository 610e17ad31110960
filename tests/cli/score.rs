//! `parindex score`: golden outputs of a small round in every format, the data errors a
//! user meets, the files Excel writes, and the promises about output files.

use crate::support::{data, run, seen};

const MINI: &str = "../../examples/vong-mau/round.toml";

/// The mini round's inputs named one by one, with `self_file` as the self-assessment.
fn mini_with(self_file: &str) -> Vec<String> {
    [
        "score",
        "--criteria",
        "../../docs/examples/bo-tieu-chi-mau.toml",
        "--agencies",
        "../../examples/vong-mau/agencies.csv",
        "--self",
        self_file,
        "--survey",
        "../../examples/vong-mau/survey.csv",
    ]
    .map(String::from)
    .to_vec()
}

fn run_args(args: &[String]) -> std::process::Output {
    run(&data(), &args.iter().map(String::as_str).collect::<Vec<_>>())
}

#[test]
fn the_mini_round_in_every_format() {
    for (name, extra) in [
        ("table", &[][..]),
        ("table-en", &["--lang", "en"][..]),
        ("csv", &["--format", "csv"][..]),
        ("json", &["--format", "json"][..]),
        ("md", &["--format", "md"][..]),
        ("self-stage", &["--stage", "self", "--group", "so-nganh"][..]),
    ] {
        let mut args = vec!["score", MINI];
        args.extend(extra);
        let output = run(&data(), &args);
        assert_eq!(output.status.code(), Some(0), "{name}: {}", seen(&output));
        insta::assert_snapshot!(format!("mini-{name}"), seen(&output));
    }
}

// Equal shown indexes share a rank and are listed in Vietnamese order (An, Đồng, Y);
// with rank_by = "exact" the unrounded index decides.
#[test]
fn ties_share_a_rank_unless_ranked_exactly() {
    let rounded = run(&data(), &["score", "rounds/ties/round.toml", "--format", "csv"]);
    insta::assert_snapshot!("ties-rounded", seen(&rounded));
    let exact = run(
        &data(),
        &[
            "score",
            "--criteria",
            "rounds/ties/criteria-exact.toml",
            "--agencies",
            "rounds/ties/agencies.csv",
            "--self",
            "rounds/ties/self.csv",
            "--format",
            "csv",
        ],
    );
    insta::assert_snapshot!("ties-exact", seen(&exact));
}

// Not-applicable items shrink the max; an agency with nothing applicable is listed,
// unranked, with the reason; survey_optional scores an agency without survey values on
// the rest.
#[test]
fn not_applicable_and_nothing_applicable() {
    let output = run(&data(), &["score", "rounds/na/round.toml"]);
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!(seen(&output));
    // In CSV the agency keeps its row, with empty figures and the reason in `unranked`.
    let csv = run(&data(), &["score", "rounds/na/round.toml", "--format", "csv"]);
    assert_eq!(csv.status.code(), Some(0));
    insta::assert_snapshot!("na-csv", seen(&csv));
}

/// Each file in tests/data/data-errors is a self-assessment for the mini round, named
/// after the diagnostic code it must produce.
#[test]
fn each_data_error_is_reported_as_pinned() {
    insta::glob!("../data", "data-errors/*.csv", |path| {
        let name = path.file_name().unwrap().to_str().unwrap();
        let output = run_args(&mini_with(&format!("data-errors/{name}")));
        let text = seen(&output);
        let code = name.trim_end_matches(".csv").split("--").next().unwrap();
        assert!(text.contains(&format!("[{code}]")), "{name} must report [{code}]:\n{text}");
        assert_eq!(output.status.code(), Some(1), "{name}:\n{text}");
        assert!(output.stdout.is_empty(), "{name}: nothing is printed as a result");
        insta::assert_snapshot!(text);
    });
}

// The same values saved by Excel and editors in every usual way score byte for byte alike.
#[test]
fn every_dialect_of_a_file_scores_the_same() {
    let mut args = mini_with("../../examples/vong-mau/self.csv");
    args.extend(["--format".into(), "csv".into()]);
    let plain = run_args(&args);
    assert_eq!(plain.status.code(), Some(0));
    let dir = data().join("dialects");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert!(names.len() >= 7, "{names:?}");
    for name in names {
        let mut args = mini_with(&format!("dialects/{name}"));
        args.extend(["--format".into(), "csv".into()]);
        let output = run_args(&args);
        assert_eq!(output.stdout, plain.stdout, "{name}: {}", seen(&output));
    }
}

#[test]
fn missing_values_stop_scoring_unless_scored_zero() {
    let stopped = run_args(&mini_with("data-errors/missing-values.csv"));
    assert_eq!(stopped.status.code(), Some(1));
    let mut args = mini_with("data-errors/missing-values.csv");
    args.extend(["--missing", "zero", "--format", "csv"].map(String::from));
    let zero = run_args(&args);
    assert_eq!(zero.status.code(), Some(0));
    insta::assert_snapshot!(seen(&zero));
}

#[test]
fn the_same_inputs_give_byte_identical_output() {
    let first = run(&data(), &["score", MINI, "--format", "json"]);
    let second = run(&data(), &["score", MINI, "--format", "json"]);
    assert_eq!(first.status.code(), Some(0));
    assert_eq!(first.stdout, second.stdout);
}

#[test]
fn output_files_are_whole_and_never_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let mini = crate::support::root().join("examples/vong-mau");
    for file in ["agencies.csv", "self.csv", "appraisal-1.csv", "appraisal-2.csv", "survey.csv"] {
        std::fs::copy(mini.join(file), dir.path().join(file)).unwrap();
    }
    let root = crate::support::root();
    std::fs::copy(
        root.join("docs/examples/bo-tieu-chi-mau.toml"),
        dir.path().join("criteria.toml"),
    )
    .unwrap();
    let round = std::fs::read_to_string(mini.join("round.toml")).unwrap();
    let round = round.replace("../../docs/examples/bo-tieu-chi-mau.toml", "criteria.toml");
    std::fs::write(dir.path().join("round.toml"), round).unwrap();
    let written = run(dir.path(), &["score", "round.toml", "--format", "csv", "-o", "ket-qua.csv"]);
    assert_eq!(written.status.code(), Some(0), "{}", seen(&written));
    assert!(written.stdout.is_empty());
    let csv = std::fs::read(dir.path().join("ket-qua.csv")).unwrap();
    assert!(csv.starts_with(
        b"\xEF\xBB\xBFagency,name,group,group_name,rank,index,index_exact,grade,points,max"
    ));

    let before = std::fs::read(dir.path().join("self.csv")).unwrap();
    let refused = run(dir.path(), &["score", "round.toml", "-o", "./self.csv"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("[output-is-input]"));
    assert_eq!(std::fs::read(dir.path().join("self.csv")).unwrap(), before);

    // A failed run leaves an earlier output as it was.
    std::fs::write(dir.path().join("self.csv"), "agency,code,value\nso-noi-vu,1.1.1,muộn\n")
        .unwrap();
    let failed = run(dir.path(), &["score", "round.toml", "--format", "csv", "-o", "ket-qua.csv"]);
    assert_eq!(failed.status.code(), Some(1));
    assert_eq!(std::fs::read(dir.path().join("ket-qua.csv")).unwrap(), csv);
    let stray = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with(".parindex"))
        .count();
    assert_eq!(stray, 0);
}

#[test]
fn an_unknown_group_is_an_input_error() {
    let output = run(&data(), &["score", MINI, "--group", "quan-huyen"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(seen(&output));
}

#[test]
fn inputs_must_be_named_completely() {
    for args in [
        &["score"][..],
        &["score", "--criteria", "../../docs/examples/bo-tieu-chi-mau.toml"],
        // --self, --appraisal and --survey may stand beside a round file; the criteria set
        // and the agencies are the round's own.
        &["score", MINI, "--agencies", "x.csv"],
        &["score", MINI, "--criteria", "x.toml"],
        &["score", MINI, "--format", "rtf"],
    ] {
        let output = run(&data(), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", seen(&output));
    }
}

#[test]
fn a_broken_round_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("round.toml"),
        "title = \"Vòng thử\"\ncriteria = \"c.toml\"\nselff = \"self.csv\"\n",
    )
    .unwrap();
    let output = run(dir.path(), &["score", "round.toml"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(seen(&output));
}

#[test]
fn check_reads_a_whole_round_and_data_files() {
    let round = run(&data(), &["check", MINI]);
    assert_eq!(round.status.code(), Some(0), "{}", seen(&round));
    insta::assert_snapshot!("check-round", seen(&round));
    let base = [
        "check",
        "../../docs/examples/bo-tieu-chi-mau.toml",
        "--agencies",
        "../../examples/vong-mau/agencies.csv",
        "--data",
    ];
    // A self-assessment with gaps and a claim without evidence, and the survey: warnings.
    let mut args = base.to_vec();
    args.extend(["data-errors/missing-values.csv", "../../examples/vong-mau/survey.csv"]);
    let warned = run(&data(), &args);
    assert_eq!(warned.status.code(), Some(0), "{}", seen(&warned));
    insta::assert_snapshot!("check-data-warnings", seen(&warned));
    args.push("--deny-warnings");
    assert_eq!(run(&data(), &args).status.code(), Some(1));
    let mut args = base.to_vec();
    args.extend(["../../examples/vong-mau/self.csv", "data-errors/duplicate-cell.csv"]);
    let files = run(&data(), &args);
    assert_eq!(files.status.code(), Some(1));
    insta::assert_snapshot!("check-data", seen(&files));
}

// Every field shown is its own exact points rounded once (spec §4), though a row then
// may miss its total by a unit. A set that says round_fields = "sum" apportions the
// fields so that the row adds up, and says so under every table. The example round has
// such rows: each differs from its own rounding in one field by 0.01.
#[test]
fn fields_are_rounded_each_unless_the_set_asks_for_rows_that_add_up() {
    let example = crate::support::root().join("examples/so-ban-nganh-2025");
    let dir = tempfile::tempdir().unwrap();
    for file in [
        "agencies.csv",
        "self.csv",
        "appraisal-1.csv",
        "appraisal-2.csv",
        "survey.csv",
        "mot-cua.csv",
        "khao-sat.csv",
    ] {
        std::fs::copy(example.join(file), dir.path().join(file)).unwrap();
    }
    let set =
        std::fs::read_to_string(crate::support::root().join("criteria/so-ban-nganh-2025.toml"))
            .unwrap();
    let summed = set.replacen("\n[[grade]]", "round_fields = \"sum\"\n\n[[grade]]", 1);
    assert_ne!(set, summed, "the set has grades to put the key before");
    std::fs::write(dir.path().join("each.toml"), &set).unwrap();
    std::fs::write(dir.path().join("sum.toml"), &summed).unwrap();
    let round = std::fs::read_to_string(example.join("round.toml")).unwrap();
    for name in ["each", "sum"] {
        let text = round.replace("../../criteria/so-ban-nganh-2025.toml", &format!("{name}.toml"));
        std::fs::write(dir.path().join(format!("{name}.round.toml")), text).unwrap();
    }
    let rows = |name: &str| -> Vec<Vec<String>> {
        let output = run(dir.path(), &["score", &format!("{name}.round.toml"), "--format", "csv"]);
        assert_eq!(output.status.code(), Some(0), "{}", seen(&output));
        let csv = String::from_utf8(output.stdout).unwrap();
        let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
        reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect()
    };
    let (each, sum) = (rows("each"), rows("sum"));
    // Columns: agency … points (8), max, bonus, deduction, then the eight fields.
    let cents = |x: &str| -> i64 { x.replace('.', "").parse().unwrap() };
    let fields = |row: &Vec<String>| -> Vec<i64> { row[12..20].iter().map(|x| cents(x)).collect() };
    let mut apportioned = 0;
    for (e, s) in each.iter().zip(&sum) {
        assert_eq!(e[..12], s[..12], "only the fields change: {e:?} {s:?}");
        let (fe, fs) = (fields(e), fields(s));
        assert_eq!(fs.iter().sum::<i64>(), cents(&s[8]), "a summed row adds up: {s:?}");
        let moved: i64 = fe.iter().zip(&fs).map(|(a, b)| (a - b).abs()).sum();
        assert!(moved <= 2 * 8, "{e:?} {s:?}");
        apportioned += usize::from(moved > 0);
    }
    assert!(apportioned > 0, "the example has rows that miss their total by a unit");
    // In each group and field, equal shown points share a rank and more points rank
    // higher: the ranks never contradict the figures beside them.
    for rows in [&each, &sum] {
        for a in rows {
            for b in rows.iter().filter(|b| b[2] == a[2]) {
                for k in (0..8).filter(|k| !a[20 + k].is_empty() && !b[20 + k].is_empty()) {
                    let (pa, pb) = (cents(&a[12 + k]), cents(&b[12 + k]));
                    let (ra, rb): (i64, i64) =
                        (a[20 + k].parse().unwrap(), b[20 + k].parse().unwrap());
                    assert_eq!(pa.cmp(&pb), rb.cmp(&ra), "field {}: {a:?} {b:?}", k + 1);
                }
            }
        }
    }
    let each = run(dir.path(), &["score", "each.round.toml", "--group", "so-nganh"]);
    assert!(!seen(&each).contains("phần dư lớn nhất"), "no footnote where fields are each rounded");
    let sum = run(dir.path(), &["score", "sum.round.toml", "--group", "so-nganh"]);
    insta::assert_snapshot!("round-fields-sum", seen(&sum));
    for format in ["md", "html"] {
        let output = run(dir.path(), &["score", "sum.round.toml", "--format", format]);
        assert!(seen(&output).contains("phần dư lớn nhất"), "{format} has the footnote");
    }
    let json = run(dir.path(), &["score", "sum.round.toml", "--format", "json"]);
    assert!(seen(&json).contains("\"round_fields\": \"sum\""));
}

// Names and notes come from files anyone can edit: a control sequence in them must not
// reach the terminal raw (retitle the window, clear the screen), and Markdown must not
// carry their HTML, remote images or javascript: links into a published page.
#[test]
fn hostile_names_are_shown_not_obeyed() {
    let mini = crate::support::root().join("examples/vong-mau");
    let dir = tempfile::tempdir().unwrap();
    for file in ["self.csv", "appraisal-1.csv", "appraisal-2.csv", "survey.csv", "round.toml"] {
        std::fs::copy(mini.join(file), dir.path().join(file)).unwrap();
    }
    let set =
        std::fs::read_to_string(crate::support::root().join("docs/examples/bo-tieu-chi-mau.toml"))
            .unwrap();
    // TOML's own escapes let a criteria file hold control characters.
    let set = set.replacen("title = \"", "title = \"\\u001b]0;PWNED\\u0007\\u001b[2J", 1);
    std::fs::write(dir.path().join("set.toml"), set).unwrap();
    // A group's name is text from a file like any other.
    let round = std::fs::read_to_string(mini.join("round.toml"))
        .unwrap()
        .replace("../../docs/examples/bo-tieu-chi-mau.toml", "set.toml")
        .replace("\"Sở, ban, ngành\"", "\"\\u001b[31mKHỐI\\u202e <b>x</b>\"");
    assert!(round.contains("KHỐI"));
    std::fs::write(dir.path().join("round.toml"), round).unwrap();
    let agencies = std::fs::read_to_string(mini.join("agencies.csv")).unwrap().replacen(
        "Sở Nội vụ",
        "<img src=https://x.example/p.png> [x](javascript:alert(1)) \u{1b}[31mĐỎ\u{202e}",
        1,
    );
    std::fs::write(dir.path().join("agencies.csv"), agencies).unwrap();
    let raw = |bytes: &[u8]| bytes.iter().any(|&b| b == 0x1b || b == 0x07);
    for args in [
        &["check", "set.toml"][..],
        &["check", "round.toml"][..],
        &["score", "round.toml"][..],
        &["explain", "so-noi-vu", "round.toml"][..],
        &["compare", "round.toml"][..],
        &["status", "round.toml"][..],
        &["score", "round.toml", "--field-ranks"][..],
    ] {
        let output = run(dir.path(), args);
        assert!(!raw(&output.stdout) && !raw(&output.stderr), "{args:?}: {}", seen(&output));
        assert!(!seen(&output).contains('\u{202e}'), "{args:?} turns text around");
    }
    let check = run(dir.path(), &["check", "set.toml"]);
    assert!(seen(&check).contains("␛]0;PWNED␇␛[2J"), "{}", seen(&check));
    let table = run(dir.path(), &["score", "round.toml"]);
    assert!(seen(&table).contains("␛[31mĐỎ\\u{202e}"), "{}", seen(&table));
    assert!(seen(&table).contains("Nhóm: ␛[31mKHỐI\\u{202e} <b>x</b>"), "{}", seen(&table));
    for args in [
        &["score", "round.toml", "--format", "md"][..],
        &["explain", "so-noi-vu", "round.toml", "--format", "md"][..],
        &["compare", "round.toml", "--format", "md"][..],
    ] {
        let output = run(dir.path(), args);
        let md = String::from_utf8(output.stdout).unwrap();
        assert!(md.contains("\\<img src=https://x.example/p.png>"), "{args:?}: {md}");
        assert!(md.contains("\\[x\\](javascript:alert(1))"), "{args:?}: {md}");
        assert!(md.contains("KHỐI") && md.contains(" \\<b>x\\</b>"), "{args:?}: {md}");
        assert!(!raw(md.as_bytes()), "{args:?}");
    }
}

// An agencies file pasted twice lists every agency again: the first 20 are shown one by
// one, the rest counted in one message that names the last, so the output stays short.
#[test]
fn an_agencies_list_pasted_twice_is_reported_briefly() {
    let dir = tempfile::tempdir().unwrap();
    let rows =
        (0..500).map(|i| format!("so-{i:03},Sở {i},so-nganh\n")).collect::<Vec<_>>().concat();
    std::fs::write(dir.path().join("agencies.csv"), format!("id,name,group\n{rows}{rows}"))
        .unwrap();
    std::fs::write(dir.path().join("self.csv"), "agency,code,value,evidence\n").unwrap();
    let set = crate::support::root().join("docs/examples/bo-tieu-chi-mau.toml");
    let out = run(
        dir.path(),
        &["check", "--data", "self.csv", "--agencies", "agencies.csv", set.to_str().unwrap()],
    );
    let text = seen(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert_eq!(text.matches("error[duplicate-agency]").count(), 21, "{text}");
    assert!(
        text.contains("480 more agency ids are listed twice; the last is \"so-499\" on line 1001 (first listed on line 501)"),
        "{text}"
    );
    assert!(text.len() < 20_000, "{} bytes", text.len());
}
