//! The audit trail and `parindex verify`: every machine output records where it came
//! from, the same inputs give the same bytes, and a result is confirmed against its
//! inputs, or the change is named.

use std::path::{Path, PathBuf};

use crate::support::{copy_files, root, run, seen};

/// A copy of the departments round in a fresh folder, laid out as in the repository
/// (`examples/so-ban-nganh-2025/…`, `criteria/…`), so that paths read the same in every
/// snapshot and inputs can be changed.
fn round_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let from = root().join("examples/so-ban-nganh-2025");
    let to = dir.path().join("examples/so-ban-nganh-2025");
    std::fs::create_dir_all(&to).unwrap();
    std::fs::create_dir_all(dir.path().join("criteria")).unwrap();
    copy_files(&from, &to);
    std::fs::copy(
        root().join("criteria/so-ban-nganh-2025.toml"),
        dir.path().join("criteria/so-ban-nganh-2025.toml"),
    )
    .unwrap();
    let here = dir.path().to_path_buf();
    (dir, here)
}

const ROUND: &str = "examples/so-ban-nganh-2025/round.toml";

fn score(dir: &Path, format: &str, out: &str) {
    let made = run(dir, &["score", ROUND, "--format", format, "-o", out]);
    assert_eq!(made.status.code(), Some(0), "{}", seen(&made));
}

#[test]
fn every_machine_output_verifies_against_its_inputs() {
    let (_keep, dir) = round_copy();
    for (format, out) in [
        ("csv", "ket-qua.csv"),
        ("json", "ket-qua.json"),
        ("xlsx", "ket-qua.xlsx"),
        ("html", "bao-cao.html"),
        ("docx", "phu-luc.docx"),
    ] {
        score(&dir, format, out);
        let verified = run(&dir, &["verify", out]);
        insta::assert_snapshot!(format!("verify-{format}"), seen(&verified));
    }
    // The sidecar may be named instead of the CSV it belongs to.
    let sidecar = run(&dir, &["verify", "ket-qua.csv.audit.json"]);
    assert_eq!(sidecar.status.code(), Some(0), "{}", seen(&sidecar));
}

#[test]
fn every_machine_output_records_its_tool_set_and_inputs() {
    let (_keep, dir) = round_copy();
    score(&dir, "json", "ket-qua.json");
    score(&dir, "csv", "ket-qua.csv");
    score(&dir, "html", "bao-cao.html");
    let digest = |p: &str| parindex::source::sha256(&std::fs::read(dir.join(p)).unwrap());
    let own = digest("examples/so-ban-nganh-2025/self.csv");
    let set = digest("criteria/so-ban-nganh-2025.toml");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("ket-qua.json")).unwrap()).unwrap();
    let audit = &json["audit"];
    assert_eq!(audit["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(audit["criteria"]["id"], "so-ban-nganh-2025");
    assert_eq!(audit["criteria"]["sha256"], set.as_str());
    let roles: Vec<&str> =
        audit["inputs"].as_array().unwrap().iter().map(|i| i["role"].as_str().unwrap()).collect();
    assert_eq!(
        roles,
        [
            "round",
            "criteria",
            "agencies",
            "self",
            "appraisal-1",
            "appraisal-2",
            "survey",
            "table-1",
            "table-2"
        ]
    );
    assert!(audit["inputs"].as_array().unwrap().iter().any(|i| i["sha256"] == own.as_str()));

    let sidecar: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("ket-qua.csv.audit.json")).unwrap())
            .unwrap();
    let mut expected = audit.clone();
    expected["options"]["format"] = "csv".into();
    assert_eq!(sidecar["audit"], expected, "the same trail, but for the format");
    assert_eq!(sidecar["result_sha256"], digest("ket-qua.csv").as_str());

    let page = std::fs::read_to_string(dir.join("bao-cao.html")).unwrap();
    assert!(page.contains("<meta name=\"parindex-audit\" content=\""));
    assert!(page.contains(&own) && page.contains(&set));

    // A workbook keeps it in its document properties, where Excel shows them.
    score(&dir, "xlsx", "ket-qua.xlsx");
    let book = std::fs::File::open(dir.join("ket-qua.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(book).unwrap();
    let mut custom = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("docProps/custom.xml").unwrap(), &mut custom)
        .unwrap();
    assert!(custom.contains(&format!("so-ban-nganh-2025 {set}")));
    assert!(custom.contains(&format!("self {own} examples/so-ban-nganh-2025/self.csv")));
}

#[test]
fn a_sensitivity_result_verifies_too() {
    let (_keep, dir) = round_copy();
    for (format, extra) in [("csv", &["--fields"][..]), ("json", &[][..]), ("xlsx", &[][..])] {
        let out = format!("on-dinh.{format}");
        let mut args = vec!["sensitivity", ROUND, "--runs", "150", "--spread", "12.5"];
        args.extend(["--level", "criterion", "--format", format, "-o", &out]);
        args.extend(extra);
        let made = run(&dir, &args);
        assert_eq!(made.status.code(), Some(0), "{}", seen(&made));
        let verified = run(&dir, &["verify", &out]);
        assert_eq!(verified.status.code(), Some(0), "{format}: {}", seen(&verified));
        let said = String::from_utf8_lossy(&verified.stdout);
        assert!(said.contains("--runs 150 --seed 2025 --spread 12.5 --level criterion"), "{said}");
    }
    // Another seed would have given other figures: the recorded one is used.
    let json = std::fs::read_to_string(dir.join("on-dinh.json")).unwrap();
    assert!(json.contains("\"seed\": 2025"));
    let survey = dir.join("examples/so-ban-nganh-2025/survey.csv");
    let text = std::fs::read_to_string(&survey).unwrap();
    std::fs::write(&survey, text.replacen('\n', "\r\n", 1)).unwrap();
    let changed = run(&dir, &["verify", "on-dinh.json"]);
    assert_eq!(changed.status.code(), Some(1), "{}", seen(&changed));
    assert!(String::from_utf8_lossy(&changed.stderr).contains("survey.csv (survey) has changed"));
}

#[test]
fn a_changed_input_or_result_is_named() {
    let (_keep, dir) = round_copy();
    score(&dir, "csv", "ket-qua.csv");
    score(&dir, "json", "ket-qua.json");
    score(&dir, "xlsx", "ket-qua.xlsx");

    // A figure edited by hand in the published file.
    let csv = std::fs::read_to_string(dir.join("ket-qua.csv")).unwrap();
    // The first agency's index, as published.
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let index = reader.records().next().unwrap().unwrap()[5].to_string();
    assert_ne!(index, "99.93");
    std::fs::write(dir.join("ket-qua.csv"), csv.replacen(&format!(",{index},"), ",99.93,", 1))
        .unwrap();
    insta::assert_snapshot!("verify-edited-csv", seen(&run(&dir, &["verify", "ket-qua.csv"])));
    let json = std::fs::read_to_string(dir.join("ket-qua.json")).unwrap();
    let quoted = format!("\"{index}\"");
    assert!(json.contains(&quoted));
    std::fs::write(dir.join("ket-qua.json"), json.replacen(&quoted, "\"99.93\"", 1)).unwrap();
    insta::assert_snapshot!("verify-edited-json", seen(&run(&dir, &["verify", "ket-qua.json"])));

    // An input changed after the result was published: one appraisal row more.
    let appraisal = dir.join("examples/so-ban-nganh-2025/appraisal-2.csv");
    let mut text = std::fs::read_to_string(&appraisal).unwrap();
    text.push_str("so-noi-vu,1.1.1,khong,,\n");
    std::fs::write(&appraisal, text).unwrap();
    let changed = run(&dir, &["verify", "ket-qua.xlsx"]);
    assert_eq!(changed.status.code(), Some(1), "{}", seen(&changed));
    let message = String::from_utf8_lossy(&changed.stderr);
    assert!(
        message.contains("examples/so-ban-nganh-2025/appraisal-2.csv (appraisal-2) has changed")
    );
    std::fs::remove_file(&appraisal).unwrap();
    insta::assert_snapshot!("verify-missing-input", seen(&run(&dir, &["verify", "ket-qua.xlsx"])));
}

#[test]
fn a_trail_with_an_option_this_version_does_not_know_is_refused() {
    let (_keep, dir) = round_copy();
    score(&dir, "json", "ket-qua.json");
    let json = std::fs::read_to_string(dir.join("ket-qua.json")).unwrap();
    assert!(json.contains("\"stage\": \"final\""));
    let later = json.replacen("\"stage\": \"final\"", "\"stage\": \"appraised\"", 1);
    std::fs::write(dir.join("ket-qua.json"), later).unwrap();
    let refused = run(&dir, &["verify", "ket-qua.json"]);
    assert_eq!(refused.status.code(), Some(1), "{}", seen(&refused));
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("its audit trail is not one this version can re-run"), "{message}");
    assert!(message.contains("appraised"), "{message}");
}

#[test]
fn a_file_without_an_audit_trail_is_refused() {
    let (_keep, dir) = round_copy();
    let plain = run(&dir, &["verify", "examples/so-ban-nganh-2025/self.csv"]);
    insta::assert_snapshot!("verify-no-audit", seen(&plain));
    let missing = run(&dir, &["verify", "khong-co.json"]);
    assert_eq!(missing.status.code(), Some(1), "{}", seen(&missing));
    // Printed to the terminal, a CSV has no sidecar to verify it by.
    let shown = run(&dir, &["score", ROUND, "--format", "csv"]);
    std::fs::write(dir.join("chep-tay.csv"), &shown.stdout).unwrap();
    assert_eq!(run(&dir, &["verify", "chep-tay.csv"]).status.code(), Some(1));
}

#[test]
fn two_runs_give_byte_identical_files_in_every_format() {
    let (_keep, dir) = round_copy();
    for format in ["table", "csv", "json", "md", "xlsx", "html", "docx"] {
        score(&dir, format, &format!("a.{format}"));
        score(&dir, format, &format!("b.{format}"));
        assert_eq!(
            std::fs::read(dir.join(format!("a.{format}"))).unwrap(),
            std::fs::read(dir.join(format!("b.{format}"))).unwrap(),
            "{format}"
        );
    }
}

// A CSV written for Excel in Vietnamese (`--lang vi`) records its form in the sidecar,
// and verify writes it again in that form: it verifies; edited, or with a trail that
// hides the form, it does not.
#[test]
fn a_vietnamese_csv_verifies_in_its_own_form() {
    let (_keep, dir) = round_copy();
    let made = run(&dir, &["score", ROUND, "--lang", "vi", "-o", "ket-qua-vi.csv"]);
    assert_eq!(made.status.code(), Some(0), "{}", seen(&made));
    let csv = std::fs::read_to_string(dir.join("ket-qua-vi.csv")).unwrap();
    assert!(csv.starts_with("\u{feff}Mã đơn vị;Cơ quan, đơn vị;Nhóm;Tên nhóm;Hạng;"), "{csv}");
    let sidecar = dir.join("ket-qua-vi.csv.audit.json");
    let trail: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&sidecar).unwrap()).unwrap();
    assert_eq!(trail["audit"]["options"]["csv"], "vi", "{trail}");
    let verified = run(&dir, &["verify", "ket-qua-vi.csv"]);
    insta::assert_snapshot!("verify-csv-vi", seen(&verified));

    // A figure edited by hand: the first agency's index, as published.
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let index = reader.records().next().unwrap().unwrap()[5].to_string();
    assert!(index.contains(','), "{index}");
    assert_ne!(index, "99,93");
    let edited = csv.replacen(&format!(";{index};"), ";99,93;", 1);
    assert_ne!(edited, csv);
    std::fs::write(dir.join("ket-qua-vi.csv"), &edited).unwrap();
    let refused = run(&dir, &["verify", "ket-qua-vi.csv"]);
    assert_eq!(refused.status.code(), Some(1), "{}", seen(&refused));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("does not belong with its audit trail")
    );

    // The CSV as written, with a trail that no longer says its form (and the digest
    // made to match): written again in the keys form, it differs.
    std::fs::write(dir.join("ket-qua-vi.csv"), &csv).unwrap();
    let mut hidden = trail.clone();
    hidden["audit"]["options"].as_object_mut().unwrap().remove("csv");
    std::fs::write(&sidecar, serde_json::to_vec_pretty(&hidden).unwrap()).unwrap();
    let refused = run(&dir, &["verify", "ket-qua-vi.csv"]);
    assert_eq!(refused.status.code(), Some(1), "{}", seen(&refused));
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("scored again, its inputs give a different result"), "{message}");
}

// A draft tried against the round (`score round.toml --self draft.csv`): said on
// standard error, recorded in the audit trail as the file scored, and verified against
// it, with the command line that made it.
#[test]
fn a_draft_scored_in_a_round_says_so_and_verifies() {
    let (_keep, dir) = round_copy();
    let own = std::fs::read_to_string(dir.join("examples/so-ban-nganh-2025/self.csv")).unwrap();
    // The first claim without evidence, now with it.
    let draft = own.replacen("so-noi-vu,1.2.2,có,,", "so-noi-vu,1.2.2,có,Văn bản số 12/SNV,", 1);
    assert_ne!(draft, own);
    std::fs::write(dir.join("nhap.csv"), draft).unwrap();
    let made = run(&dir, &["score", ROUND, "--self", "nhap.csv", "-o", "nhap-ket-qua.csv"]);
    assert_eq!(made.status.code(), Some(0), "{}", seen(&made));
    insta::assert_snapshot!("score-draft", seen(&made));
    let trail = std::fs::read_to_string(dir.join("nhap-ket-qua.csv.audit.json")).unwrap();
    assert!(trail.contains("\"path\": \"nhap.csv\""), "{trail}");
    let verified = run(&dir, &["verify", "nhap-ket-qua.csv"]);
    assert_eq!(verified.status.code(), Some(0), "{}", seen(&verified));
    insta::assert_snapshot!("verify-draft", seen(&verified));
    // The round's own result differs: the draft was scored, not the round's file.
    score(&dir, "csv", "ket-qua.csv");
    assert_ne!(
        std::fs::read(dir.join("ket-qua.csv")).unwrap(),
        std::fs::read(dir.join("nhap-ket-qua.csv")).unwrap()
    );
    // A draft changed since is named.
    std::fs::write(dir.join("nhap.csv"), own).unwrap();
    let changed = run(&dir, &["verify", "nhap-ket-qua.csv"]);
    assert_eq!(changed.status.code(), Some(1), "{}", seen(&changed));
    assert!(String::from_utf8_lossy(&changed.stderr).contains("nhap.csv (self) has changed"));
}

// One agency's draft (what `template --agency` gives it to fill) tried against the round:
// the draft takes the place of the whole self-assessment, so the other agencies are said
// once, with what to do, instead of one error each as if their data were lost.
#[test]
fn one_agencys_draft_names_the_agencies_it_leaves_out_once() {
    let (_keep, dir) = round_copy();
    let own = std::fs::read_to_string(dir.join("examples/so-ban-nganh-2025/self.csv")).unwrap();
    let draft: String = own
        .lines()
        .enumerate()
        .filter(|(i, line)| *i == 0 || line.starts_with("so-noi-vu,"))
        .flat_map(|(_, line)| [line, "\n"])
        .collect();
    std::fs::write(dir.join("nhap.csv"), draft).unwrap();
    let refused = run(&dir, &["explain", "so noi vu", ROUND, "--self", "nhap.csv"]);
    assert_eq!(refused.status.code(), Some(1), "{}", seen(&refused));
    insta::assert_snapshot!("one-agency-draft", seen(&refused));
    let made = run(
        &dir,
        &["score", ROUND, "--self", "nhap.csv", "--missing", "zero", "-o", "nhap-ket-qua.csv"],
    );
    assert_eq!(made.status.code(), Some(0), "{}", seen(&made));
    let stderr = String::from_utf8_lossy(&made.stderr);
    assert_eq!(stderr.matches("warning[missing-values]").count(), 1, "{stderr}");
    let verified = run(&dir, &["verify", "nhap-ket-qua.csv"]);
    assert_eq!(verified.status.code(), Some(0), "{}", seen(&verified));
}
