//! The catalogue of bad inputs (docs/errors.md): every case, run the way a user runs it,
//! ends in a clear message and exit 1 — or exit 0 where the catalogue says the input is
//! accepted — and never in a panic, a hang or unbounded memory. What the user sees is
//! pinned, case by case.
//!
//! Small fixtures are in `tests/data/bad-inputs/`, named after their case; large ones (a
//! 10 MB cell, 100,000 columns, a tree 1,000 levels deep, binary garbage) are made in a
//! temporary folder by the test that needs them.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Output};

use crate::support::{CPU_SECONDS, MEMORY, bounded, data, prlimit, root, seen};

/// The sample round the data fixtures are read in, from `tests/data`.
const SET: &str = "../../docs/examples/bo-tieu-chi-mau.toml";
const AGENCIES: &str = "../../examples/vong-mau/agencies.csv";
const SELF: &str = "../../examples/vong-mau/self.csv";
const SURVEY: &str = "../../examples/vong-mau/survey.csv";

/// The file a fixture stands for in the sample round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum As {
    /// A criteria set, checked with `parindex check`.
    Criteria,
    Agencies,
    SelfAssessment,
    Appraisal,
    Survey,
}

impl As {
    fn name(self) -> &'static str {
        match self {
            As::Criteria => "criteria",
            As::Agencies => "agencies",
            As::SelfAssessment => "self",
            As::Appraisal => "appraisal",
            As::Survey => "survey",
        }
    }

    /// The command line a user types with `file` in this role: `check` for a criteria
    /// set, `score` of the sample round otherwise.
    fn args(self, file: &str) -> Vec<String> {
        if self == As::Criteria {
            return vec!["check".into(), file.into()];
        }
        let pick = |role: As, default: &str| if self == role { file } else { default }.to_string();
        let mut args = vec![
            "score".to_string(),
            "--criteria".into(),
            SET.into(),
            "--agencies".into(),
            pick(As::Agencies, AGENCIES),
            "--self".into(),
            pick(As::SelfAssessment, SELF),
            "--survey".into(),
            pick(As::Survey, SURVEY),
        ];
        if self == As::Appraisal {
            args.extend(["--appraisal".into(), file.into()]);
        }
        args.extend(["--format".into(), "csv".into()]);
        args
    }
}

/// Every small case: the fixture (under `tests/data`), the file it stands for, the exit
/// code, and the diagnostic code its message carries ("" where it is accepted; with exit
/// 0, the code of the warning it is scored with). Inputs that earlier tests pin already
/// are used as they are.
const CASES: &[(&str, As, i32, &str)] = &[
    // Empty files.
    ("data-errors/empty-table.csv", As::SelfAssessment, 1, "empty-table"),
    ("data-errors/empty-table.csv", As::Agencies, 1, "empty-table"),
    ("data-errors/empty-table.csv", As::Survey, 1, "empty-table"),
    ("bad-inputs/empty.toml", As::Criteria, 1, "empty-file"),
    ("bad-inputs/empty.xlsx", As::SelfAssessment, 1, "empty-table"),
    // Header-only files: no values; an appraisal round that changes nothing is accepted.
    ("bad-inputs/header-only.csv", As::SelfAssessment, 1, "missing-values"),
    ("bad-inputs/header-only.csv", As::Appraisal, 0, ""),
    ("bad-inputs/header-only.csv", As::Survey, 1, "missing-values"),
    ("bad-inputs/header-only--agencies.csv", As::Agencies, 1, "no-agencies"),
    // Truncated files.
    ("bad-inputs/truncated--mid-row.csv", As::SelfAssessment, 1, "missing-values"),
    ("bad-inputs/truncated--mid-character.csv", As::SelfAssessment, 1, "not-utf8"),
    ("bad-inputs/truncated--open-quote.csv", As::SelfAssessment, 1, "open-quote"),
    ("bad-inputs/truncated.toml", As::Criteria, 1, "toml-syntax"),
    // Invalid UTF-8 and wrong encodings.
    ("bad-inputs/invalid-utf8.csv", As::SelfAssessment, 1, "not-utf8"),
    ("bad-inputs/invalid-utf8--agencies.csv", As::Agencies, 1, "not-utf8"),
    ("bad-inputs/tcvn3--agencies.csv", As::Agencies, 1, "not-utf8"),
    ("bad-inputs/vni--agencies.csv", As::Agencies, 1, "not-utf8"),
    ("bad-inputs/lost-letters--agencies.csv", As::Agencies, 1, "lost-letters"),
    ("bad-inputs/lost-letters.csv", As::SelfAssessment, 1, "unreadable-value"),
    ("bad-inputs/utf16-without-bom.csv", As::SelfAssessment, 1, "not-text"),
    ("bad-inputs/text-named-xlsx.xlsx", As::SelfAssessment, 1, "unreadable-table"),
    // Mixed delimiters, quotes left open, rows with too many or too few cells.
    ("bad-inputs/mixed-delimiters.csv", As::SelfAssessment, 1, "field-count"),
    ("bad-inputs/mixed-delimiters--agencies.csv", As::Agencies, 1, "field-count"),
    ("bad-inputs/open-quote--never-closed.csv", As::SelfAssessment, 1, "open-quote"),
    ("bad-inputs/open-quote--closed-later.csv", As::SelfAssessment, 1, "open-quote"),
    ("bad-inputs/too-many-fields.csv", As::SelfAssessment, 1, "field-count"),
    ("bad-inputs/too-many-fields--agencies.csv", As::Agencies, 1, "field-count"),
    ("bad-inputs/too-few-fields.csv", As::SelfAssessment, 1, "missing-values"),
    ("bad-inputs/too-few-fields--trailing-cells-left-out.csv", As::SelfAssessment, 0, ""),
    // Duplicate and conflicting rows.
    ("bad-inputs/duplicate-row.csv", As::SelfAssessment, 1, "duplicate-cell"),
    ("data-errors/duplicate-cell.csv", As::SelfAssessment, 1, "duplicate-cell"),
    ("bad-inputs/duplicate-agency--same-row--agencies.csv", As::Agencies, 1, "duplicate-agency"),
    ("bad-inputs/duplicate-agency--conflicting--agencies.csv", As::Agencies, 1, "duplicate-agency"),
    ("bad-inputs/group-name-conflict--agencies.csv", As::Agencies, 1, "group-name-conflict"),
    // Byte-order marks in the middle.
    ("bad-inputs/bom-in-the-middle--joined-files.csv", As::SelfAssessment, 1, "repeated-header"),
    ("bad-inputs/bom-in-the-middle--around-cells.csv", As::SelfAssessment, 0, ""),
    ("bad-inputs/bom-in-the-middle.toml", As::Criteria, 1, "toml-syntax"),
    // NFD and NFC twins of one agency id.
    ("bad-inputs/nfd-nfc-twins--agencies.csv", As::Agencies, 1, "duplicate-agency"),
    ("bad-inputs/nfd-nfc-twins.toml", As::Criteria, 1, "duplicate-code"),
    // Codes with stray spaces.
    ("bad-inputs/stray-spaces--around-codes.csv", As::SelfAssessment, 0, ""),
    ("bad-inputs/stray-spaces--inside-a-code.csv", As::SelfAssessment, 1, "unknown-code"),
    // Negative, huge, NaN, inf, 1e309, 50-digit decimals.
    ("bad-inputs/numbers--negative.csv", As::SelfAssessment, 1, "unreadable-value"),
    ("bad-inputs/numbers--huge.csv", As::SelfAssessment, 1, "unreadable-value"),
    ("bad-inputs/numbers--nan.csv", As::SelfAssessment, 1, "unreadable-value"),
    ("bad-inputs/numbers--inf.csv", As::SelfAssessment, 1, "unreadable-value"),
    ("bad-inputs/numbers--1e309.csv", As::SelfAssessment, 1, "unreadable-value"),
    ("bad-inputs/numbers--50-digit-decimals.csv", As::SelfAssessment, 1, "unreadable-value"),
    ("bad-inputs/numbers--survey.csv", As::Survey, 1, "unreadable-value"),
    ("bad-inputs/numbers.toml", As::Criteria, 1, "not-finite"),
    // Unknown keys: a misspelt column.
    ("bad-inputs/misspelt-column.csv", As::SelfAssessment, 1, "unknown-column"),
    // Every rule given the wrong kind of value.
    ("bad-inputs/wrong-kind-of-value.csv", As::SelfAssessment, 1, "unreadable-value"),
    ("bad-inputs/wrong-kind-of-value--survey.csv", As::Survey, 1, "unreadable-value"),
    ("bad-inputs/wrong-kind-of-value.toml", As::Criteria, 1, "wrong-type"),
    // Values that were scored without a word, and wrongly.
    ("bad-inputs/zero-denominator.csv", As::SelfAssessment, 1, "unreadable-value"),
    ("bad-inputs/rate-above-100-percent.csv", As::SelfAssessment, 1, "unreadable-value"),
    ("bad-inputs/rate-above-100-percent--bands.csv", As::SelfAssessment, 0, "above-100-percent"),
    ("bad-inputs/thousands-separator-in-a-fraction.csv", As::SelfAssessment, 1, "unreadable-value"),
    ("bad-inputs/looks-like-fraction.csv", As::SelfAssessment, 0, "looks-like-fraction"),
    // Workbooks: cells that are not what they show, sheets no one sees, damage.
    ("bad-inputs/date-cell.xlsx", As::SelfAssessment, 1, "date-cell"),
    ("bad-inputs/percent-cell.xlsx", As::SelfAssessment, 0, ""),
    ("bad-inputs/hidden-first-sheet.xlsx", As::SelfAssessment, 0, ""),
    ("bad-inputs/damaged--bad-checksum.xlsx", As::SelfAssessment, 1, "unreadable-table"),
    ("bad-inputs/damaged--truncated-sheet.xlsx", As::SelfAssessment, 1, "unreadable-table"),
    // An old .xls is an OLE file, as a workbook saved with a password is: still read.
    ("bad-inputs/legacy-xls.xls", As::SelfAssessment, 0, ""),
    // Ids and groups that look like others: letters of another script, invisible ones.
    ("bad-inputs/look-alike-ids--agencies.csv", As::Agencies, 1, "mixed-scripts"),
    ("bad-inputs/look-alike-ids.csv", As::SelfAssessment, 1, "unknown-agency"),
    ("bad-inputs/look-alike-group--agencies.csv", As::Agencies, 0, "similar-groups"),
    // A column named twice, by two of its names.
    ("bad-inputs/duplicate-column.csv", As::SelfAssessment, 1, "duplicate-column"),
    ("bad-inputs/duplicate-column--wide.csv", As::SelfAssessment, 1, "duplicate-column"),
    ("bad-inputs/duplicate-column--agencies.csv", As::Agencies, 1, "duplicate-column"),
];

/// Fixtures of `tests/data/bad-inputs` that tests other than [`CASES`] read.
const READ_ELSEWHERE: &[&str] =
    &["nfd-id.csv", "nfd-id--agencies.csv", "nfd-id--survey.csv", "similar-groups--agencies.csv"];

fn bounded_owned(dir: &Path, args: &[String]) -> Output {
    bounded(dir, &args.iter().map(String::as_str).collect::<Vec<_>>())
}

/// The sample round's scores as the plain files give them: what an accepted case must
/// give too.
fn plain_scores() -> Vec<u8> {
    let output = bounded_owned(&data(), &As::SelfAssessment.args(SELF));
    assert_eq!(output.status.code(), Some(0), "{}", seen(&output));
    output.stdout
}

#[test]
fn every_bad_input_ends_as_the_catalogue_says() {
    let plain = plain_scores();
    for &(file, role, exit, code) in CASES {
        let output = bounded_owned(&data(), &role.args(file));
        let text = seen(&output);
        assert_eq!(output.status.code(), Some(exit), "{file} as {}:\n{text}", role.name());
        assert!(!text.contains("panicked"), "{file}:\n{text}");
        if exit == 0 && code.is_empty() {
            // Accepted: the same scores as the plain files, and not a word on the way.
            assert_eq!(output.stdout, plain, "{file}: {text}");
            assert!(output.stderr.is_empty(), "{file}: {text}");
        } else if exit == 0 {
            // Scored as it stands, with a warning.
            assert!(
                text.contains(&format!("warning[{code}]")),
                "{file} must warn [{code}]:\n{text}"
            );
            assert!(!output.stdout.is_empty(), "{file}: scored");
        } else {
            assert!(text.contains(&format!("[{code}]")), "{file} must report [{code}]:\n{text}");
            assert!(output.stdout.is_empty() || role == As::Criteria, "{file}: nothing scored");
        }
        let stem = Path::new(file).file_stem().unwrap().to_string_lossy();
        insta::assert_snapshot!(format!("{stem}@{}", role.name()), text);
    }
}

/// A group spelt two ways is two groups, ranked apart: scored, with a warning that names
/// both spellings.
#[test]
fn a_group_spelt_two_ways_is_scored_with_a_warning() {
    let file = "bad-inputs/similar-groups--agencies.csv";
    let output = bounded_owned(&data(), &As::Agencies.args(file));
    let text = seen(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("warning[similar-groups]"), "{text}");
    // Sở Y tế, alone in "So-ngaNh", is first of its own group.
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("so-y-te,Sở Y tế,So-ngaNh,So-ngaNh,1,")
    );
    insta::assert_snapshot!("similar-groups--agencies@agencies", text);
}

#[test]
fn every_fixture_is_in_the_catalogue() {
    let listed: Vec<&str> = CASES.iter().map(|c| c.0).collect();
    for entry in std::fs::read_dir(data().join("bad-inputs")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let path = format!("bad-inputs/{name}");
        assert!(
            listed.contains(&path.as_str()) || READ_ELSEWHERE.contains(&name.as_str()),
            "{path} is read by no test"
        );
    }
}

// The catalogue names every case pinned here, by its snapshot.
#[test]
fn the_catalogue_names_every_case() {
    let doc = std::fs::read_to_string(root().join("docs/errors.md")).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(root().join("tests/cli/snapshots"))
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            Some(name.strip_prefix("cli__errors__")?.strip_suffix(".snap")?.to_string())
        })
        .collect();
    names.sort();
    assert!(names.len() > 50, "{names:?}");
    for name in names {
        assert!(doc.contains(&format!("`{name}`")), "docs/errors.md does not name `{name}`");
    }
}

// An id typed on a Mac (NFD) is the id typed on Windows (NFC): the agencies file has one,
// the self-assessment and the survey the other, and the round scores.
#[test]
fn an_agency_id_typed_in_nfd_is_the_same_id() {
    let self_text = std::fs::read_to_string(data().join("bad-inputs/nfd-id.csv")).unwrap();
    assert!(self_text.contains("phu\u{31b}o\u{31b}\u{300}ng-ba-"), "the self-assessment has NFD");
    let agencies = std::fs::read_to_string(data().join("bad-inputs/nfd-id--agencies.csv")).unwrap();
    assert!(agencies.contains("phường-ba-đình,"), "the agencies file has the NFC id");
    let output = bounded(
        &data(),
        &[
            "score",
            "--criteria",
            SET,
            "--agencies",
            "bad-inputs/nfd-id--agencies.csv",
            "--self",
            "bad-inputs/nfd-id.csv",
            "--survey",
            "bad-inputs/nfd-id--survey.csv",
            "--format",
            "csv",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", seen(&output));
    insta::assert_snapshot!("nfd-id@self", seen(&output));
}

// `0,5` and `0.5` in one file are both one half: the sample self-assessment has both.
#[test]
fn decimal_commas_and_points_mix_in_one_file() {
    let text = std::fs::read_to_string(root().join("examples/vong-mau/self.csv")).unwrap();
    assert!(text.contains(",\"0,85\",") && text.contains(",0.75,"), "both forms are there");
    let output = bounded_owned(&data(), &As::SelfAssessment.args(SELF));
    assert_eq!(output.status.code(), Some(0), "{}", seen(&output));
    assert!(
        String::from_utf8_lossy(&output.stdout)
            .contains("so-noi-vu,Sở Nội vụ,so-nganh,so-nganh,1,98.23")
    );
}

/// A folder with the sample round's other files, for cases made on the spot; paths in
/// messages are then the short names written into it.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let examples = root().join("examples/vong-mau");
    for file in ["agencies.csv", "self.csv", "survey.csv"] {
        std::fs::copy(examples.join(file), dir.path().join(file)).unwrap();
    }
    std::fs::copy(root().join("docs/examples/bo-tieu-chi-mau.toml"), dir.path().join("set.toml"))
        .unwrap();
    dir
}

/// `score` of the scratch round, with `file` standing for `role`.
fn score_as(dir: &Path, role: As, file: &str) -> Output {
    let args: Vec<String> = role
        .args(file)
        .into_iter()
        .map(|a| match a.as_str() {
            SET => "set.toml".into(),
            AGENCIES => "agencies.csv".into(),
            SELF => "self.csv".into(),
            SURVEY => "survey.csv".into(),
            _ => a,
        })
        .collect();
    bounded_owned(dir, &args)
}

/// Bytes no one typed: a fixed linear congruential stream, the same on every run.
fn garbage(len: usize) -> Vec<u8> {
    let mut state: u32 = 2025;
    (0..len)
        .map(|_| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (state >> 16).to_le_bytes()[0]
        })
        .collect()
}

/// Checks a refused case: exit 1, the code, a short message, no panic.
fn refused(output: &Output, code: &str, what: &str) -> String {
    let text = seen(output);
    assert_eq!(output.status.code(), Some(1), "{what}:\n{text}");
    assert!(text.contains(&format!("[{code}]")), "{what} must report [{code}]:\n{text}");
    assert!(!text.contains("panicked"), "{what}:\n{text}");
    // However large the input, the message is a screenful.
    assert!(text.len() < 6_000, "{what}: {} bytes of message", text.len());
    text
}

#[test]
fn binary_garbage_is_refused_in_every_role() {
    let dir = scratch();
    let bytes = garbage(1 << 20);
    for name in ["garbage.csv", "garbage.toml", "garbage.xlsx"] {
        std::fs::write(dir.path().join(name), &bytes).unwrap();
    }
    let cases = [
        ("garbage.csv", As::SelfAssessment, "not-text"),
        ("garbage.csv", As::Agencies, "not-text"),
        ("garbage.csv", As::Survey, "not-text"),
        ("garbage.xlsx", As::SelfAssessment, "unreadable-table"),
    ];
    for (file, role, code) in cases {
        let text = refused(&score_as(dir.path(), role, file), code, file);
        insta::assert_snapshot!(format!("garbage@{}-{}", role.name(), file), text);
    }
    let text = refused(&bounded(dir.path(), &["check", "garbage.toml"]), "not-utf8", "toml");
    insta::assert_snapshot!("garbage@criteria", text);
}

// A workbook saved under a .csv name, and one cut short in copying.
#[test]
fn workbooks_under_the_wrong_name_or_cut_short_are_refused() {
    let dir = scratch();
    let made = bounded(
        dir.path(),
        &[
            "template",
            "--criteria",
            "set.toml",
            "--agencies",
            "agencies.csv",
            "--format",
            "xlsx",
            "-o",
            "t.xlsx",
        ],
    );
    assert_eq!(made.status.code(), Some(0), "{}", seen(&made));
    let workbook = std::fs::read(dir.path().join("t.xlsx")).unwrap();
    std::fs::write(dir.path().join("workbook.csv"), &workbook).unwrap();
    std::fs::write(dir.path().join("cut.xlsx"), &workbook[..workbook.len() / 2]).unwrap();
    let text =
        refused(&score_as(dir.path(), As::SelfAssessment, "workbook.csv"), "not-text", "csv");
    assert!(text.contains("Excel workbook (.xlsx)"), "{text}");
    insta::assert_snapshot!("workbook-named-csv@self", text);
    let text =
        refused(&score_as(dir.path(), As::SelfAssessment, "cut.xlsx"), "unreadable-table", "cut");
    insta::assert_snapshot!("workbook-cut-short@self", text);
}

#[test]
fn a_10_mb_cell_is_refused_without_being_copied_into_the_message() {
    let dir = scratch();
    let cell = "x".repeat(10 << 20);
    let plain = std::fs::read_to_string(dir.path().join("self.csv")).unwrap();
    let agencies = std::fs::read_to_string(dir.path().join("agencies.csv")).unwrap();
    let set = std::fs::read_to_string(dir.path().join("set.toml")).unwrap();
    let files = [
        ("value.csv", plain.replacen("so-y-te,1.1.2,có,", &format!("so-y-te,1.1.2,{cell},"), 1)),
        ("evidence.csv", plain.replacen("Văn bản số 12112/SO", &cell, 1)),
        ("code.csv", plain.replacen("so-y-te,1.1.2,", &format!("so-y-te,{cell},"), 1)),
        ("agencies-name.csv", agencies.replacen("Sở Y tế", &cell, 1)),
        ("name.toml", set.replacen("name = \"Ban hành", &format!("name = \"{cell}"), 1)),
        (
            "key.toml",
            set.replacen("name = \"Ban hành", &format!("{cell} = 1\nname = \"Ban hành"), 1),
        ),
    ];
    for (name, text) in &files {
        assert!(text.len() > 10 << 20, "{name} holds the cell");
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let cases = [
        ("value.csv", As::SelfAssessment, "cell-too-long"),
        ("evidence.csv", As::SelfAssessment, "cell-too-long"),
        ("code.csv", As::SelfAssessment, "cell-too-long"),
        ("agencies-name.csv", As::Agencies, "cell-too-long"),
    ];
    for (file, role, code) in cases {
        let text = refused(&score_as(dir.path(), role, file), code, file);
        insta::assert_snapshot!(format!("10-mb-cell@{}-{}", role.name(), file), text);
    }
    for (file, code) in [("name.toml", "too-long"), ("key.toml", "unknown-key")] {
        let text = refused(&bounded(dir.path(), &["check", file]), code, file);
        insta::assert_snapshot!(format!("10-mb-cell@criteria-{file}"), text);
    }
}

#[test]
fn a_hundred_thousand_columns_are_refused() {
    let dir = scratch();
    let columns = |n: usize| (0..n).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",");
    let ones = |n: usize| vec!["1"; n].join(",");
    let wide = format!("agency,{}\nso-noi-vu,{}\n", columns(100_000), ones(100_000));
    let plain = std::fs::read_to_string(dir.path().join("self.csv")).unwrap();
    let (header, rows) = plain.split_once('\n').unwrap();
    let long = format!("{header},{}\n{rows}", columns(100_000));
    let agencies = std::fs::read_to_string(dir.path().join("agencies.csv")).unwrap();
    let (a_header, a_rows) = agencies.split_once('\n').unwrap();
    let agencies = format!("{a_header},{}\n{a_rows}", columns(99_997));
    std::fs::write(dir.path().join("wide.csv"), wide).unwrap();
    std::fs::write(dir.path().join("long.csv"), long).unwrap();
    std::fs::write(dir.path().join("agencies-wide.csv"), agencies).unwrap();
    for (file, role) in [
        ("wide.csv", As::SelfAssessment),
        ("long.csv", As::SelfAssessment),
        ("agencies-wide.csv", As::Agencies),
    ] {
        let text = refused(&score_as(dir.path(), role, file), "too-many-columns", file);
        insta::assert_snapshot!(format!("100000-columns@{}-{file}", role.name()), text);
    }
}

// Within Excel's 16,384 columns, a wide file whose columns are not codes gets the first
// twenty by name and a count of the rest, each found once, not once per row.
#[test]
fn sixteen_thousand_columns_that_are_no_codes_are_counted() {
    let dir = scratch();
    let n = 16_000;
    let header = (0..n).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",");
    let mut text = format!("agency,{header}\n");
    for agency in ["so-noi-vu", "so-tu-phap", "so-y-te"] {
        let _ = writeln!(text, "{agency},{}", vec!["1"; n].join(","));
    }
    std::fs::write(dir.path().join("wide.csv"), text).unwrap();
    let output = score_as(dir.path(), As::SelfAssessment, "wide.csv");
    let text = seen(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert_eq!(text.matches("error[unknown-code]").count(), 21, "{text}");
    assert!(text.contains("15980 more columns cannot hold values"), "{text}");
    assert!(text.len() < 20_000, "{} bytes", text.len());
    insta::assert_snapshot!("16000-unknown-columns@self", text);
}

/// A criteria set whose one chain of nodes is `depth` levels deep, by dotted codes or by
/// `parent` keys; and the code of its leaf.
fn deep_set(depth: usize, dotted: bool) -> (String, String) {
    let mut text = String::from(
        "schema = 1\nid = \"sau\"\ntitle = \"Bộ tiêu chí sâu\"\nmax = 1\n[[grade]]\nname = \"Đạt\"\nmin = 0\n",
    );
    let code = |level: usize| {
        if dotted { vec!["1"; level + 1].join(".") } else { format!("N{level}") }
    };
    for level in 0..depth {
        let _ = write!(text, "[[node]]\ncode = \"{}\"\nname = \"Mức {level}\"\n", code(level));
        if !dotted && level > 0 {
            let _ = writeln!(text, "parent = \"{}\"", code(level - 1));
        }
        if level == depth - 1 {
            text.push_str("max = 1\nrule = \"yes_no\"\n");
        }
    }
    (text, code(depth - 1))
}

// A tree a thousand levels deep is no mistake the set's reviewer could name: it is
// checked, scored and explained like any other, within the same bounds.
#[test]
fn a_tree_a_thousand_levels_deep_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("agencies.csv"), "id,name,group\nso-a,Sở A,so\n").unwrap();
    for (name, dotted) in [("dotted", true), ("parent", false)] {
        let (set, leaf) = deep_set(1000, dotted);
        std::fs::write(dir.path().join(format!("{name}.toml")), set).unwrap();
        let self_file = format!("{name}-self.csv");
        std::fs::write(dir.path().join(&self_file), format!("agency,code,value\nso-a,{leaf},có\n"))
            .unwrap();
        let set_file = format!("{name}.toml");
        let checked = bounded(dir.path(), &["check", &set_file]);
        assert_eq!(checked.status.code(), Some(0), "{}", seen(&checked));
        insta::assert_snapshot!(format!("1000-levels@criteria-{name}"), seen(&checked));
        let round = ["--criteria", &set_file, "--agencies", "agencies.csv", "--self", &self_file];
        for command in [
            &["score", "--format", "csv"][..],
            &["score", "--format", "json"],
            &["explain", "so-a"],
        ] {
            let mut args = command.to_vec();
            args.extend(round);
            let output = bounded(dir.path(), &args);
            assert_eq!(output.status.code(), Some(0), "{name} {command:?}: {}", seen(&output));
        }
    }
}

// A cycle through `parent` keys a thousand nodes long is named by its ends and its length.
#[test]
fn a_cycle_through_a_thousand_parents_is_named_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut set = String::from(
        "schema = 1\nid = \"vong\"\ntitle = \"Vòng\"\nmax = 1\n[[grade]]\nname = \"Đạt\"\nmin = 0\n",
    );
    for i in 0..1000 {
        let _ = write!(
            set,
            "[[node]]\ncode = \"N{i}\"\nname = \"Nút {i}\"\nparent = \"N{}\"\n",
            (i + 1) % 1000
        );
    }
    set.push_str("[[node]]\ncode = \"L\"\nname = \"Lá\"\nmax = 1\nrule = \"yes_no\"\n");
    std::fs::write(dir.path().join("cycle.toml"), set).unwrap();
    let text = refused(&bounded(dir.path(), &["check", "cycle.toml"]), "parent-cycle", "cycle");
    assert_eq!(text.matches("error[parent-cycle]").count(), 1, "{text}");
    insta::assert_snapshot!("1000-node-cycle@criteria", text);
}

// `/dev/zero` never ends: it was read until memory ran out. A device is no input file.
#[cfg(unix)]
#[test]
fn a_device_is_refused() {
    let dir = scratch();
    let text =
        refused(&score_as(dir.path(), As::SelfAssessment, "/dev/zero"), "read-failed", "zero");
    assert!(text.contains("/dev/zero: it is a device, not a file"), "{text}");
    insta::assert_snapshot!("dev-zero@self", text);
}

/// `score` of the scratch round with `--self <(cat self.csv)`, as a shell user types it.
#[cfg(unix)]
fn score_through_process_substitution(dir: &Path) -> Output {
    let args = As::SelfAssessment
        .args("SELF")
        .into_iter()
        .map(|a| match a.as_str() {
            SET => "set.toml".into(),
            AGENCIES => "agencies.csv".into(),
            SURVEY => "survey.csv".into(),
            "SELF" => "<(cat self.csv)".into(),
            _ => a,
        })
        .collect::<Vec<_>>()
        .join(" ");
    let bounds = prlimit().map_or_else(String::new, |prlimit| {
        format!("'{}' --as={MEMORY} --cpu={CPU_SECONDS} -- ", prlimit.display())
    });
    Command::new("bash")
        .arg("-c")
        .arg(format!("exec {bounds}'{}' {args}", env!("CARGO_BIN_EXE_parindex")))
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("RAYON_NUM_THREADS", "2")
        .env("MALLOC_ARENA_MAX", "2")
        .output()
        .expect("bash runs")
}

// A pipe's size is 0 to the file system: `--self <(cat self.csv)` was read first by the
// quick reader, which left the thorough one an empty pipe ("is empty"). A named pipe
// (mkfifo) is read as it is written, in pieces, whenever its writer starts.
#[cfg(unix)]
#[test]
fn a_pipe_is_read_to_its_end() {
    let dir = scratch();
    let plain = score_as(dir.path(), As::SelfAssessment, "self.csv");
    assert_eq!(plain.status.code(), Some(0), "{}", seen(&plain));
    let output = score_through_process_substitution(dir.path());
    assert_eq!(output.status.code(), Some(0), "<(cat self.csv): {}", seen(&output));
    assert_eq!(output.stdout, plain.stdout, "<(cat self.csv) scores as the file does");
    let fifo = dir.path().join("pipe.csv");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success());
    let text = std::fs::read(dir.path().join("self.csv")).unwrap();
    // The writer opens the pipe once parindex has, and writes half, waits, and the rest.
    let writer = std::thread::spawn(move || {
        use std::io::Write as _;
        let mut pipe = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
        let (first, rest) = text.split_at(text.len() / 2);
        pipe.write_all(first).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(300));
        pipe.write_all(rest).unwrap();
    });
    let output = score_as(dir.path(), As::SelfAssessment, "pipe.csv");
    writer.join().unwrap();
    assert_eq!(output.status.code(), Some(0), "a named pipe: {}", seen(&output));
    assert_eq!(output.stdout, plain.stdout, "a named pipe scores as the file does");
}

// Opening a named pipe waits for a program to write to it: with none, parindex waited for
// ever. It gives a writer a few seconds, then says there is none.
#[cfg(unix)]
#[test]
fn a_named_pipe_no_one_writes_to_is_refused() {
    let dir = scratch();
    let made = Command::new("mkfifo").arg(dir.path().join("pipe.csv")).status().unwrap();
    assert!(made.success());
    let output = score_as(dir.path(), As::SelfAssessment, "pipe.csv");
    let text = refused(&output, "read-failed", "a pipe without a writer");
    assert!(text.contains("no program is writing to this pipe"), "{text}");
    insta::assert_snapshot!("pipe-without-writer@self", text);
}

/// The sample self-assessment as a workbook, every cell typed as text; `edit` changes the
/// sheet before it is saved.
fn self_workbook(dir: &Path, edit: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let text = std::fs::read_to_string(dir.join("self.csv")).unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let mut rows = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    for (r, record) in rows.records().enumerate() {
        for (c, field) in record.unwrap().iter().enumerate() {
            let (r, c) = (u32::try_from(r).unwrap(), u16::try_from(c).unwrap());
            sheet.write_string(r, c, field).unwrap();
        }
    }
    edit(sheet);
    book.save_to_buffer().unwrap()
}

/// A zip file's parts again, each changed by `change` (by its name), with `extra` parts
/// after them.
fn rezip(
    bytes: &[u8],
    change: impl Fn(&str, Vec<u8>) -> Vec<u8>,
    extra: &[(&str, &[u8])],
) -> Vec<u8> {
    use std::io::{Read as _, Write as _};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut content = Vec::new();
        part.read_to_end(&mut content).unwrap();
        out.start_file(name.as_str(), options).unwrap();
        out.write_all(&change(&name, content)).unwrap();
    }
    for (name, content) in extra {
        out.start_file(*name, options).unwrap();
        out.write_all(content).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Writes `size` as the unpacked size of part `name` in both places a zip gives it: the
/// part's own header and the directory at the end.
fn declare_size(bytes: &mut [u8], name: &str, size: u32) {
    let mut found = 0;
    for at in 0..bytes.len() - name.len() {
        if &bytes[at..at + name.len()] != name.as_bytes() {
            continue;
        }
        if at >= 46 && bytes[at - 46..at - 42] == *b"PK\x01\x02" {
            bytes[at - 46 + 24..at - 46 + 28].copy_from_slice(&size.to_le_bytes());
            found += 1;
        } else if at >= 30 && bytes[at - 30..at - 26] == *b"PK\x03\x04" {
            bytes[at - 30 + 22..at - 30 + 26].copy_from_slice(&size.to_le_bytes());
            found += 1;
        }
    }
    assert_eq!(found, 2, "{name}: its header and its directory entry");
}

// One value typed at XFD1048576, the last cell Excel has, in a workbook of 10 KB: calamine
// set aside room for every cell from A1 to it (549 GB), and the process was aborted.
#[test]
fn a_cell_at_xfd1048576_is_refused() {
    let dir = scratch();
    let book = self_workbook(dir.path(), |sheet| {
        sheet.write_string(1_048_575, 16_383, "x").unwrap();
    });
    assert!(book.len() < 20_000, "{} bytes", book.len());
    std::fs::write(dir.path().join("far-cell.xlsx"), book).unwrap();
    let text =
        refused(&score_as(dir.path(), As::SelfAssessment, "far-cell.xlsx"), "too-large", "far");
    assert!(text.contains("sheet \"Sheet1\": the cell XFD1048576 (\"x\")"), "{text}");
    insta::assert_snapshot!("far-cell@self", text);
}

// A workbook written by a program that does not work formulas out holds `<f>` and no `<v>`:
// the cell was read as empty, and the value reported missing, with no file or line.
#[test]
fn a_formula_with_no_saved_value_names_its_cell() {
    let dir = scratch();
    let book = self_workbook(dir.path(), |sheet| {
        sheet.write_formula(4, 2, "=SUM(A1:A2)").unwrap();
    });
    let book = rezip(
        &book,
        |name, xml| {
            if name != "xl/worksheets/sheet1.xml" {
                return xml;
            }
            let xml = String::from_utf8(xml).unwrap();
            let stripped = xml.replace("<f>SUM(A1:A2)</f><v>0</v>", "<f>SUM(A1:A2)</f>");
            assert_ne!(stripped, xml, "the formula's saved value is taken out");
            stripped.into_bytes()
        },
        &[],
    );
    std::fs::write(dir.path().join("formula.xlsx"), book).unwrap();
    let output = score_as(dir.path(), As::SelfAssessment, "formula.xlsx");
    let text = refused(&output, "formula-without-value", "formula");
    assert!(
        text.contains("formula.xlsx, line 5: the cell C5 of sheet \"Sheet1\" holds the formula \"=SUM(A1:A2)\" with no saved value"),
        "{text}"
    );
    insta::assert_snapshot!("formula-without-value@self", text);
    // A formula shared over cells, whose index says there are four billion of them.
    let shared = rezip(
        &std::fs::read(dir.path().join("formula.xlsx")).unwrap(),
        |name, xml| {
            let xml = String::from_utf8(xml).unwrap();
            if name != "xl/worksheets/sheet1.xml" {
                return xml.into_bytes();
            }
            let shared = r#"<f t="shared" ref="C5:C6" si="4000000000">SUM(A1:A2)</f>"#;
            xml.replace("<f>SUM(A1:A2)</f>", shared).into_bytes()
        },
        &[],
    );
    std::fs::write(dir.path().join("shared.xlsx"), shared).unwrap();
    let output = score_as(dir.path(), As::SelfAssessment, "shared.xlsx");
    let text = refused(&output, "formula-without-value", "shared");
    assert!(
        text.contains("the cell C5 of sheet \"Sheet1\" holds the formula \"=SUM(A1:A2)\""),
        "{text}"
    );
}

// Zip bombs: a part that unpacks a thousand times larger than it packs, a directory that
// declares gigabytes, and a part that unpacks to more than its header declares.
#[test]
fn zip_bombs_are_refused_before_they_are_unpacked() {
    let dir = scratch();
    let book = self_workbook(dir.path(), |_| {});
    let zeros = vec![b' '; 64 << 20];
    let ratio = rezip(&book, |_, b| b, &[("xl/media/image1.png", &zeros)]);
    let mut declared = book.clone();
    declare_size(&mut declared, "xl/sharedStrings.xml", 0xF000_0000);
    let noise: Vec<u8> = garbage(1 << 20);
    let mut lying = rezip(&book, |_, b| b, &[("xl/media/image1.png", &noise)]);
    declare_size(&mut lying, "xl/media/image1.png", 1000);
    for (name, bytes, code) in [
        ("zip-bomb--ratio.xlsx", ratio, "unreadable-table"),
        ("zip-bomb--declared-size.xlsx", declared, "too-large"),
        ("zip-bomb--lying-size.xlsx", lying, "unreadable-table"),
    ] {
        std::fs::write(dir.path().join(name), bytes).unwrap();
        let text = refused(&score_as(dir.path(), As::SelfAssessment, name), code, name);
        let stem = name.trim_end_matches(".xlsx");
        insta::assert_snapshot!(format!("{stem}@self"), text);
    }
}

// A workbook saved with a password is an OLE compound file holding the encrypted
// workbook: it was "Cannot detect file format". An OLE file without one is no workbook
// parindex can read, as before.
#[test]
fn a_workbook_saved_with_a_password_is_refused() {
    use std::io::Write as _;
    let dir = scratch();
    let ole = |streams: &[&str]| {
        let mut file = cfb::CompoundFile::create_with_version(
            cfb::Version::V3,
            std::io::Cursor::new(Vec::new()),
        )
        .unwrap();
        for name in streams {
            file.create_stream(name).unwrap().write_all(&garbage(4096)).unwrap();
        }
        file.flush().unwrap();
        file.into_inner().into_inner()
    };
    let locked = ole(&["/EncryptionInfo", "/EncryptedPackage"]);
    assert!(locked.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]));
    std::fs::write(dir.path().join("password.xlsx"), locked).unwrap();
    std::fs::write(dir.path().join("ole.xls"), ole(&["/Workbook"])).unwrap();
    let output = score_as(dir.path(), As::SelfAssessment, "password.xlsx");
    let text = refused(&output, "unreadable-table", "password");
    assert!(text.contains("password.xlsx is protected by a password"), "{text}");
    insta::assert_snapshot!("password@self", text);
    let output = score_as(dir.path(), As::SelfAssessment, "ole.xls");
    let text = refused(&output, "unreadable-table", "ole");
    assert!(!text.contains("password"), "{text}");
}

// A self-assessment pasted again and again to 40,000 rows took 38 seconds to report, and
// one of 100,000 agencies pasted twice 12 minutes: each second value was shown with every
// line between it and the first. The first twenty are shown, each with its own line and
// the first value's; the rest are counted, and the last of them named.
#[test]
fn a_self_assessment_pasted_over_and_over_reports_its_first_and_last_second_value() {
    let dir = scratch();
    let plain = std::fs::read_to_string(dir.path().join("self.csv")).unwrap();
    let (header, rows) = plain.split_once('\n').unwrap();
    let rows: Vec<&str> = rows.lines().collect();
    let mut text = format!("{header}\n");
    for row in rows.iter().cycle().take(40_000) {
        text.push_str(row);
        text.push('\n');
    }
    std::fs::write(dir.path().join("pasted.csv"), text).unwrap();
    let output = score_as(dir.path(), As::SelfAssessment, "pasted.csv");
    let text = seen(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    // Twenty-one messages of a few lines, however many rows were pasted.
    assert!(text.len() < 12_000, "{} bytes of message", text.len());
    assert_eq!(text.matches("error[duplicate-cell]").count(), 21, "{text}");
    let first = rows.len() + 2;
    assert!(text.contains(&format!("pasted.csv, line {first}: agency \"so-noi-vu\" has a second value for \"1.1.1\" (the first is on line 2)")), "{text}");
    assert!(
        text.contains(
            "39903 more rows give a second value for an agency and code; the last is line 40001"
        ),
        "{text}"
    );
    insta::assert_snapshot!("pasted-40000-rows@self", text);
}
