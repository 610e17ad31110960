//! Values computed from raw tables (spec §6): a round whose rates come from the
//! one-stop-shop statistics and from survey responses, scored, explained, compared and
//! checked; and every mistake in such a round, pinned.

use crate::support::{data, run, seen};

const ROUND: &str = "computed/round.toml";

/// The figures of `score --format csv`: agency → (`index_exact`, `index_self`).
fn indexes(csv: &str) -> Vec<(String, String, String)> {
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (agency, exact, own) = (at("agency"), at("index_exact"), at("index_self"));
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[agency].to_string(), r[exact].to_string(), r[own].to_string())
        })
        .collect()
}

// The round's figures, worked by hand from the tables and the rubric:
// Sở Nội vụ: 1.1 yes 2; 2.1 (512 + 3) / 530 with full marks at 98% → 3 × 515 / (530 × 0.98);
// 2.2 300/530 = 56.6% → 2; 2.3 0/0 with zero = "full" → 1; 3.1 3 of 5 SIPAS answers
// (the DDCI row left out, one blank) → 2 × 3/5 = 1.2. Its own claim of 98% for 2.1 gives
// 3 at the self stage.
// Sở Tư pháp: 2.1 1170/1200 → 3 × 0.975/0.98 at the self stage, 1190/1200 → 3 after the
// appraisal's correction; 2.2 35% → 1; 2.3 11/12; 3.1 two answers, fewer than 4: not
// surveyed, so its max is 8.
// Sở Y tế: 1.1 no; 2.1 1497954127/2244992500 (counts of ten digits) → 3 × that / 0.98;
// 2.2 44.5% → 1; 2.3 5/5 → 1; 3.1 5 of 6 ("sipas" matches "SIPAS") → 2 × 5/6.
#[test]
fn a_round_from_raw_tables_scores_as_worked_by_hand() {
    let output = run(&data(), &["score", ROUND, "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0), "{}", seen(&output));
    let rows = indexes(&String::from_utf8(output.stdout).unwrap());
    let exact = |n: i128, d: i128| {
        // 20 places, half away from zero, as index_exact shows them.
        let scaled = n * 10i128.pow(20) * 2 / d;
        let q = (scaled + 1) / 2;
        let s = format!("{q:021}");
        let (whole, part) = s.split_at(s.len() - 20);
        format!("{whole}.{part}")
    };
    // 100 × (6.2 + 1545 / 519.4) / 10 = 62 + 154500 / 5194
    let noi_vu = exact(62 * 5194 + 154_500, 5194);
    // 100 × (2 + 3 + 1 + 11/12) / 8 after the appraisal; (2 + 3 × 1170 / 1176 + 1 + 11/12) / 8
    // = 86.27 at the self stage.
    let tu_phap_final = exact(100 * (6 * 12 + 11), 12 * 8);
    // 10 × (3 × 1497954127 / (2244992500 × 0.98) + 2 + 5/3)
    let y_te =
        exact(10 * (3 * 1_497_954_127 * 100 * 3 + 11 * 2_244_992_500 * 98), 2_244_992_500 * 98 * 3);
    assert_eq!(
        rows,
        vec![
            ("so-noi-vu".into(), noi_vu, "92.00".into()),
            ("so-tu-phap".into(), tu_phap_final, "86.27".into()),
            ("so-y-te".into(), y_te, "57.09".into()),
        ]
    );
    insta::assert_snapshot!("computed-table", seen(&run(&data(), &["score", ROUND])));
}

// Rows in any order give the same result: the statistics and the responses shuffled.
#[test]
fn row_order_never_changes_a_result() {
    let dir = tempfile::tempdir().unwrap();
    let from = data().join("computed");
    for name in ["he-thong.toml", "agencies.csv", "self.csv", "appraisal.csv", "round.toml"] {
        std::fs::copy(from.join(name), dir.path().join(name)).unwrap();
    }
    for name in ["mot-cua.csv", "khao-sat.csv"] {
        let text = std::fs::read_to_string(from.join(name)).unwrap();
        let mut lines: Vec<&str> = text.lines().collect();
        let header = lines.remove(0);
        lines.reverse();
        lines.rotate_left(1);
        std::fs::write(dir.path().join(name), format!("{header}\n{}\n", lines.join("\n"))).unwrap();
    }
    let shuffled = run(dir.path(), &["score", "round.toml", "--format", "csv"]);
    let original = run(&data(), &["score", ROUND, "--format", "csv"]);
    assert_eq!(shuffled.status.code(), Some(0), "{}", seen(&shuffled));
    assert_eq!(shuffled.stdout, original.stdout);
}

// explain shows how each computed value came about, and the agency's own claim where
// the system's figure differs.
#[test]
fn explain_shows_each_derivation() {
    for (name, lang) in [("vi", "vi"), ("en", "en")] {
        let output = run(&data(), &["explain", "so-noi-vu", ROUND, "--lang", lang]);
        assert_eq!(output.status.code(), Some(0), "{}", seen(&output));
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        let derivation = if lang == "vi" {
            "(512 + 3) / 530 từ computed/mot-cua.csv dòng 2; đơn vị tự chấm 98%"
        } else {
            "(512 + 3) / 530 from computed/mot-cua.csv row 2; the agency claimed 98%"
        };
        assert!(text.contains(derivation), "{text}");
        insta::assert_snapshot!(format!("computed-explain-{name}"), seen(&output));
    }
    let json = run(&data(), &["explain", "so-noi-vu", ROUND, "--format", "json", "--lang", "en"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let node = |code: &str| {
        doc["nodes"].as_array().unwrap().iter().find(|n| n["code"] == code).unwrap().clone()
    };
    assert_eq!(node("2.1")["value"], "(512 + 3) / 530");
    assert_eq!(
        node("3.1")["derivation"],
        "3 of 5 answers \"Rất hài lòng\" or \"Hài lòng\", 1 blank (3 respondents, computed/khao-sat.csv)"
    );
    assert!(node("1.1").get("derivation").is_none());
}

// compare of one round: the claims the system contradicted, beside the council's changes.
#[test]
fn compare_names_claims_the_system_contradicts() {
    let output = run(&data(), &["compare", ROUND, "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0), "{}", seen(&output));
    insta::assert_snapshot!("computed-compare", seen(&output));
}

// check of the round checks the tables, and says what each gave.
#[test]
fn check_of_the_round_reads_the_tables() {
    let output = run(&data(), &["check", ROUND]);
    assert_eq!(output.status.code(), Some(0), "{}", seen(&output));
    insta::assert_snapshot!("computed-check", seen(&output));
}

// Every mistake a round with raw tables can hold: named by file, line and column, with
// its code, all at once; exit 1 (or 0 for a warning alone).
#[test]
fn each_mistake_in_raw_tables_is_pinned() {
    let dir = data().join("computed/bad");
    insta::glob!("../data", "computed/bad/*.toml", |path| {
        let name = path.file_name().unwrap().to_str().unwrap();
        let output = run(&dir, &["check", name]);
        let text = seen(&output);
        let code = name.trim_end_matches(".toml").split("--").next().unwrap();
        assert!(text.contains(&format!("[{code}]")), "{name} must report [{code}]:\n{text}");
        let expected_exit = i32::from(!name.contains("--warning"));
        assert_eq!(output.status.code(), Some(expected_exit), "{name}:\n{text}");
        insta::assert_snapshot!(text);
    });
}

// The audit trail hashes the tables: verify names a table changed after scoring.
#[test]
fn verify_covers_the_tables() {
    let dir = tempfile::tempdir().unwrap();
    let from = data().join("computed");
    for entry in std::fs::read_dir(&from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
        }
    }
    let scored = run(dir.path(), &["score", "round.toml", "-o", "ket-qua.csv"]);
    assert_eq!(scored.status.code(), Some(0), "{}", seen(&scored));
    let good = run(dir.path(), &["verify", "ket-qua.csv"]);
    assert_eq!(good.status.code(), Some(0), "{}", seen(&good));
    let table = dir.path().join("khao-sat.csv");
    let text = std::fs::read_to_string(&table).unwrap();
    std::fs::write(
        &table,
        text.replace("so-noi-vu,SIPAS,Không hài lòng,", "so-noi-vu,SIPAS,Hài lòng,"),
    )
    .unwrap();
    let changed = run(dir.path(), &["verify", "ket-qua.csv"]);
    assert_eq!(changed.status.code(), Some(1), "{}", seen(&changed));
    let text = seen(&changed);
    assert!(text.contains("khao-sat.csv"), "{text}");
}

// A template asks nothing of a computed leaf: it says the system gives it.
#[test]
fn the_template_marks_computed_leaves() {
    let output =
        run(&data(), &["template", "--criteria", "computed/he-thong.toml", "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0), "{}", seen(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    let line = text.lines().find(|l| l.contains(",2.1,")).unwrap();
    assert!(
        line.contains(
            "lấy từ hệ thống: bảng mot-cua, (dung_han + dang_xu_ly_trong_han) / tiep_nhan"
        ),
        "{line}"
    );
    let line = text.lines().find(|l| l.contains(",3.1,")).unwrap();
    assert!(line.contains("lấy từ hệ thống: bảng khao-sat, C1, C2"), "{line}");
}

// Scored from files named one by one, without the tables, the agencies' own values stand
// (a dry run), with a warning.
#[test]
fn without_tables_the_self_assessment_stands() {
    let output = run(
        &data(),
        &[
            "score",
            "--criteria",
            "computed/he-thong.toml",
            "--agencies",
            "computed/agencies.csv",
            "--self",
            "computed/self.csv",
            "--missing",
            "zero",
            "--format",
            "csv",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", seen(&output));
    assert!(String::from_utf8_lossy(&output.stderr).contains("warning[no-tables]"));
}

// A statistics table kept as a workbook, as the one-stop-shop systems export it: read as
// a CSV file is, and named in messages by sheet and cell.
#[test]
fn a_workbook_table_is_read_and_named_by_sheet_and_cell() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let from = data().join("computed");
    for name in ["he-thong.toml", "agencies.csv", "self.csv", "appraisal.csv", "khao-sat.csv"] {
        std::fs::copy(from.join(name), dir.path().join(name)).unwrap();
    }
    let round = std::fs::read_to_string(from.join("round.toml")).unwrap();
    std::fs::write(dir.path().join("round.toml"), round.replace("mot-cua.csv", "mot-cua.xlsx"))
        .unwrap();
    let write = |date: bool| {
        let mut book = Workbook::new();
        let ws = book.add_worksheet();
        ws.set_name("Tháng 12").unwrap();
        let header = [
            "Mã đơn vị",
            "Tổng số hồ sơ tiếp nhận",
            "Đã giải quyết đúng hạn",
            "Đang xử lý trong hạn",
            "Trực tuyến",
            "PAKN",
            "PAKN đúng hạn",
        ];
        for (c, h) in header.iter().enumerate() {
            ws.write_string(0, u16::try_from(c).unwrap(), *h).unwrap();
        }
        let rows: [(&str, [f64; 6]); 3] = [
            ("so-noi-vu", [530.0, 512.0, 3.0, 300.0, 0.0, 0.0]),
            ("so-tu-phap", [1200.0, 1150.0, 20.0, 420.0, 12.0, 11.0]),
            ("so-y-te", [2_244_992_500.0, 1_497_954_127.0, 0.0, 1_000_000_000.0, 5.0, 5.0]),
        ];
        for (r, (id, counts)) in rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap();
            ws.write_string(r, 0, *id).unwrap();
            for (c, n) in counts.iter().enumerate() {
                ws.write_number(r, u16::try_from(c + 1).unwrap(), *n).unwrap();
            }
        }
        if date {
            // 9/10 typed where a count goes, which Excel keeps as 9 October.
            let day = ExcelDateTime::from_ymd(2025, 10, 9).unwrap();
            ws.write_datetime_with_format(2, 4, &day, &Format::new().set_num_format("dd/mm/yyyy"))
                .unwrap();
        }
        book.save(dir.path().join("mot-cua.xlsx")).unwrap();
    };
    write(false);
    let from_workbook = run(dir.path(), &["score", "round.toml", "--format", "csv"]);
    let from_csv = run(&data(), &["score", ROUND, "--format", "csv"]);
    assert_eq!(from_workbook.status.code(), Some(0), "{}", seen(&from_workbook));
    assert_eq!(from_workbook.stdout, from_csv.stdout);
    write(true);
    let dated = run(dir.path(), &["score", "round.toml"]);
    assert_eq!(dated.status.code(), Some(1), "{}", seen(&dated));
    let text = seen(&dated);
    assert!(
        text.contains("error[unreadable-value]: mot-cua.xlsx, sheet \"Tháng 12\", cell E3: column \"Trực tuyến\""),
        "{text}"
    );
    assert!(text.contains("holds a date"), "{text}");
}

// A column holding a percent reaches the rule as a typed percent does: 98,5% is 98.5 on
// bands (full marks at 50), not 0.985.
#[test]
fn a_percent_column_is_read_as_a_typed_percent() {
    let dir = tempfile::tempdir().unwrap();
    let from = data().join("computed");
    for name in ["agencies.csv", "khao-sat.csv", "round.toml"] {
        std::fs::copy(from.join(name), dir.path().join(name)).unwrap();
    }
    let set = std::fs::read_to_string(from.join("he-thong.toml"))
        .unwrap()
        .replace("value = \"truc_tuyen / tiep_nhan\"", "value = \"ty_le_truc_tuyen\"");
    std::fs::write(dir.path().join("he-thong.toml"), set).unwrap();
    std::fs::write(dir.path().join("self.csv"), "agency,code,value\n").unwrap();
    std::fs::write(dir.path().join("appraisal.csv"), "agency,code,value\n").unwrap();
    let table = std::fs::read_to_string(from.join("mot-cua.csv")).unwrap();
    let mut lines: Vec<String> = table.lines().map(String::from).collect();
    let shares = ["Tỷ lệ trực tuyến", "98,5%", "35%", "44,54%"];
    for (line, share) in lines.iter_mut().zip(shares) {
        line.push(';');
        line.push_str(share);
    }
    std::fs::write(dir.path().join("mot-cua.csv"), lines.join("\n")).unwrap();
    let output = run(
        dir.path(),
        &["explain", "so-noi-vu", "round.toml", "--lang", "en", "--missing", "zero"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", seen(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    let line = text.lines().find(|l| l.contains("│ 2.2 ")).unwrap();
    assert!(line.contains("┆ 2.00 ┆") && line.contains("98,5% from mot-cua.csv row 2"), "{line}");
}

// With tables, an agency the system has no row for has no value at the final stage: its
// own claim is not the system's figure (spec §6), and score lists it as missing.
#[test]
fn no_row_in_the_table_is_a_missing_value_not_the_claim() {
    let dir = tempfile::tempdir().unwrap();
    let from = data().join("computed");
    for name in ["he-thong.toml", "agencies.csv", "khao-sat.csv", "round.toml", "appraisal.csv"] {
        std::fs::copy(from.join(name), dir.path().join(name)).unwrap();
    }
    let claims = std::fs::read_to_string(from.join("self.csv")).unwrap()
        + "so-y-te,2.1,100%,Báo cáo năm 2025,\n";
    std::fs::write(dir.path().join("self.csv"), claims).unwrap();
    let table = std::fs::read_to_string(from.join("mot-cua.csv")).unwrap();
    let without: Vec<&str> = table.lines().filter(|l| !l.starts_with("so-y-te")).collect();
    std::fs::write(dir.path().join("mot-cua.csv"), without.join("\n")).unwrap();
    let output = run(dir.path(), &["score", "round.toml"]);
    assert_eq!(output.status.code(), Some(1), "{}", seen(&output));
    let text = seen(&output);
    assert!(text.contains("warning[no-row]"), "{text}");
    assert!(
        text.contains("error[missing-values]: agency \"so-y-te\" (Sở Y tế) has no value for 3 sub-criteria: 2.1, 2.2, 2.3"),
        "{text}"
    );
    // The dry run keeps the claim.
    let own = run(dir.path(), &["score", "round.toml", "--stage", "self", "--missing", "zero"]);
    assert_eq!(own.status.code(), Some(0), "{}", seen(&own));
    // explain says why the claim does not count.
    let why =
        run(dir.path(), &["explain", "so-y-te", "round.toml", "--missing", "zero", "--lang", "en"]);
    let text = seen(&why);
    assert!(text.contains("no figure from the system; the agency claimed 100%"), "{text}");
    // An id written in capitals in the export is named in the warning, whatever the cap.
    let upper = without.join("\n") + "\nSO-Y-TE;1;1;0;1;0;0\n";
    std::fs::write(dir.path().join("mot-cua.csv"), upper).unwrap();
    let named = seen(&run(dir.path(), &["score", "round.toml", "--missing", "zero"]));
    assert!(named.contains("so-y-te (line 4 has \"SO-Y-TE\")"), "{named}");
}
