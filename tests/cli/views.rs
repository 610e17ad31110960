//! The agency's and the council's views of a round: explain, template, compare, and the
//! Excel files they write, opened again and checked cell by cell.

// Sheet rows and columns here are small indexes into tiny fixtures.
#![allow(clippy::cast_possible_truncation)]

use calamine::{Data, Reader, open_workbook_auto_from_rs};

use crate::support::{root, run, seen};

const ROUND: &str = "examples/vong-mau/round.toml";

/// The first sheet (or the named one) of a workbook, as text cells.
fn sheet(bytes: &[u8], name: Option<&str>) -> Vec<Vec<String>> {
    let mut book = open_workbook_auto_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = match name {
        Some(n) => book.worksheet_range(n).unwrap(),
        None => book.worksheet_range_at(0).unwrap().unwrap(),
    };
    range.rows().map(|r| r.iter().map(Data::to_string).collect()).collect()
}

/// The drop-downs of a workbook's first sheet: each `type="list"` data validation's cells
/// and its list (`formula1`, as written: `"a,b,c"`), in the order the file holds them.
fn list_validations(bytes: &[u8]) -> Vec<(String, String)> {
    use quick_xml::XmlVersion;
    use quick_xml::events::Event;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let xml = std::io::read_to_string(zip.by_name("xl/worksheets/sheet1.xml").unwrap()).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut lists, mut cells, mut in_formula) = (Vec::new(), None, false);
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == "dataValidation" => {
                let attr = |name: &str| {
                    e.try_get_attribute(name)
                        .unwrap()
                        .map(|a| a.normalized_value(XmlVersion::Implicit1_0).unwrap().into_owned())
                };
                cells = (attr("type").as_deref() == Some("list")).then(|| attr("sqref").unwrap());
            }
            Event::Start(e) if e.name().as_ref() == "formula1" => in_formula = true,
            Event::Text(t) if in_formula => {
                if let Some(cells) = cells.take() {
                    lists.push((cells, t.xml_content(XmlVersion::Implicit1_0).into_owned()));
                }
            }
            Event::End(e) if e.name().as_ref() == "formula1" => in_formula = false,
            Event::Eof => break,
            _ => {}
        }
    }
    lists
}

/// The table of a sheet (the first, or the named one), from its header on: the titles and
/// notes above it, each one merged cell across the table, are passed over.
fn table(bytes: &[u8], name: Option<&str>) -> Vec<Vec<String>> {
    let rows = sheet(bytes, name);
    let header =
        rows.iter().position(|r| r.iter().filter(|c| !c.is_empty()).count() > 1).expect("a header");
    rows[header..].to_vec()
}

/// A part of a workbook, as text.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    std::io::read_to_string(zip.by_name(name).unwrap()).unwrap()
}

/// Asserts that every sheet of a workbook prints as an officer prints it: on A4 in
/// landscape, one page wide and as many pages long as it takes, its header rows (`rows`,
/// one a sheet, as Excel names them: `$4:$5`) repeated on every page and frozen on
/// screen, and its pages numbered in the footer (`footer`, as Excel writes it).
fn assert_prints(bytes: &[u8], footer: &str, rows: &[&str]) {
    let names = sheet_names(bytes);
    assert_eq!(names.len(), rows.len(), "{names:?}");
    let workbook = part(bytes, "xl/workbook.xml");
    for (i, (name, rows)) in names.iter().zip(rows).enumerate() {
        let xml = part(bytes, &format!("xl/worksheets/sheet{}.xml", i + 1));
        let setup = xml.split("<pageSetup ").nth(1).unwrap().split("/>").next().unwrap();
        assert!(xml.contains("<pageSetup paperSize=\"9\""), "{name}: A4: {setup}");
        assert!(setup.contains("orientation=\"landscape\""), "{name}: {setup}");
        // One page wide (fitToWidth="1", Excel's default, which the writer leaves out),
        // as many pages long as it takes.
        assert!(xml.contains("<pageSetUpPr fitToPage=\"1\"/>"), "{name}");
        assert!(!setup.contains("fitToWidth") || setup.contains("fitToWidth=\"1\""), "{setup}");
        assert!(setup.contains("fitToHeight=\"0\""), "{name}: {setup}");
        assert!(xml.contains(&format!("<oddFooter>&amp;C{footer}</oddFooter>")), "{name}");
        let titles = workbook
            .split(&format!("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{i}\">"))
            .nth(1)
            .and_then(|t| t.split("</definedName>").next())
            .unwrap_or_else(|| panic!("{name}: no print titles in {workbook}"));
        assert!(titles.ends_with(&format!("!{rows}")), "{name}: {titles}");
        // Frozen under the header's last row.
        let last = rows.rsplit('$').next().unwrap();
        assert!(xml.contains(&format!("ySplit=\"{last}\"")), "{name}: frozen under row {last}");
    }
}

fn sheet_names(bytes: &[u8]) -> Vec<String> {
    open_workbook_auto_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap().sheet_names()
}

#[test]
fn explain_shows_where_to_gain_and_every_node() {
    for (name, extra) in [
        ("table", &[][..]),
        ("en", &["--lang", "en"][..]),
        ("md", &["--format", "md"][..]),
        ("json", &["--format", "json"][..]),
        ("self", &["--stage", "self"][..]),
    ] {
        let mut args = vec!["explain", "so-noi-vu", ROUND];
        args.extend(extra);
        let out = run(&root(), &args);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", seen(&out));
        insta::assert_snapshot!(format!("explain-{name}"), seen(&out));
    }
}

#[test]
fn explain_names_an_unknown_agency() {
    let out = run(&root(), &["explain", "so-noi-vuu", ROUND]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: there is no agency \"so-noi-vuu\" in examples/vong-mau/agencies.csv; did you mean \"so-noi-vu\" (Sở Nội vụ)?\n"
    );
}

// An agency is named by its id or its name, with or without accents, capitals and
// spacing: each gives the same explanation as the id.
#[test]
fn explain_takes_an_agency_by_id_or_name_with_or_without_accents() {
    let by_id = run(&root(), &["explain", "so-noi-vu", ROUND]);
    assert_eq!(by_id.status.code(), Some(0), "{}", seen(&by_id));
    for typed in ["Sở Nội vụ", "so noi vu", "SO NOI VU", "Sở Nội Vụ", "Phường Ba Đình"]
    {
        let out = run(&root(), &["explain", typed, ROUND]);
        assert_eq!(out.status.code(), Some(0), "{typed}: {}", seen(&out));
        if !typed.contains("Ba") {
            assert_eq!(out.stdout, by_id.stdout, "{typed}");
        }
    }
    let ward = run(&root(), &["explain", "phuong ba dinh", ROUND]);
    assert_eq!(ward.status.code(), Some(0), "{}", seen(&ward));
    let text = String::from_utf8_lossy(&ward.stdout);
    assert!(text.starts_with("Phường Ba Đình (phuong-ba-dinh) — nhóm Xã, phường\n"), "{text}");
    // A typo in a name is told the agency it is close to, by id and name.
    let typo = run(&root(), &["explain", "So Tu Phapp", ROUND]);
    insta::assert_snapshot!("explain-name-typo", seen(&typo));
}

// Two agencies whose ids fold alike are not guessed between: both are listed by id.
#[test]
fn explain_refuses_a_name_two_agencies_fold_to() {
    let dir = tempfile::tempdir().unwrap();
    // Sở Nội vụ's rows of the example round, and the same again for its twin.
    for name in ["self.csv", "survey.csv"] {
        let own = std::fs::read_to_string(root().join("examples/vong-mau").join(name)).unwrap();
        let mut lines = own.lines();
        let header = lines.next().unwrap();
        let rows: Vec<&str> = lines.filter(|l| l.starts_with("so-noi-vu,")).collect();
        let twins: Vec<String> =
            rows.iter().map(|l| l.replacen("so-noi-vu", "so_noi_vu", 1)).collect();
        let text = format!("{header}\n{}\n{}\n", rows.join("\n"), twins.join("\n"));
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    std::fs::write(
        dir.path().join("agencies.csv"),
        "id,name,group\nso-noi-vu,Sở Nội vụ,so-nganh\nso_noi_vu,Sở Nội vụ (cũ),so-nganh\n",
    )
    .unwrap();
    let criteria = root().join("docs/examples/bo-tieu-chi-mau.toml");
    let args = |typed: &'static str| {
        vec![
            "explain".to_string(),
            typed.to_string(),
            "--criteria".into(),
            criteria.to_str().unwrap().into(),
            "--agencies".into(),
            "agencies.csv".into(),
            "--self".into(),
            "self.csv".into(),
            "--survey".into(),
            "survey.csv".into(),
        ]
    };
    let run_with = |typed| {
        let args = args(typed);
        run(dir.path(), &args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let out = run_with("SO NOI VU");
    assert_eq!(out.status.code(), Some(1), "{}", seen(&out));
    insta::assert_snapshot!("explain-ambiguous-agency", seen(&out));
    // Each id still names its own.
    for id in ["so-noi-vu", "so_noi_vu"] {
        let out = run_with(id);
        assert_eq!(out.status.code(), Some(0), "{id}: {}", seen(&out));
    }
}

// The first "where to gain" row is the leaf that cost the index most: Sở Nội vụ's plan
// completion (1.1.4) lost 1 of 2 points, 5 points of its index.
#[test]
fn explain_as_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("so-noi-vu.xlsx");
    let out = run(
        &root(),
        &["explain", "so-noi-vu", ROUND, "--format", "xlsx", "-o", path.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(sheet_names(&bytes), ["Nơi có thể tăng điểm", "Chi tiết"]);
    // Above each table, the round, what the sheet holds and whose it is, and the result.
    let titles = sheet(&bytes, None);
    assert_eq!(titles[0][0], "Chỉ số CCHC năm 2025 (vòng thử)");
    assert_eq!(titles[1][0], "Nơi có thể tăng điểm: Sở Nội vụ (so-noi-vu) — nhóm Sở, ban, ngành");
    assert!(titles[2][0].starts_with("Chỉ số: 93,23"), "{:?}", titles[2]);
    let gains = table(&bytes, None);
    assert_eq!(
        gains[0],
        ["#", "Mã", "Tiêu chí", "Điểm mất", "Chỉ số (%)", "Giá trị", "Để đạt tối đa"]
    );
    assert_eq!(gains[1][..6], ["1", "1.1.4", "Mức độ thực hiện kế hoạch CCHC", "1", "5", "90%"]);
    assert_eq!(
        sheet(&bytes, Some("Chi tiết"))[1][0],
        "Chi tiết theo tiêu chí: Sở Nội vụ (so-noi-vu) — nhóm Sở, ban, ngành"
    );
    let detail = table(&bytes, Some("Chi tiết"));
    // Every criterion's name beside its code, indented by the cell's format, not spaces.
    let row = detail.iter().find(|r| r[0] == "1.1.4").unwrap();
    assert_eq!(row[1], "Mức độ thực hiện kế hoạch CCHC");
    assert_eq!(row[2..6], ["2", "1", "-1", "2"]);
    assert_eq!(row[9], "Bổ sung minh chứng 18/20");
    assert_eq!(detail[1][..2], ["1", "Công tác chỉ đạo, điều hành cải cách hành chính"]);
    assert_prints(&bytes, "Trang &amp;P/&amp;N", &["$5:$5", "$5:$5"]);
}

#[test]
fn score_as_a_workbook_has_a_sheet_per_group_and_per_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ket-qua.xlsx");
    let out = run(&root(), &["score", ROUND, "--format", "xlsx", "-o", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
    let bytes = std::fs::read(&path).unwrap();
    // A group's sheet is named by the name the round gives it.
    assert_eq!(
        sheet_names(&bytes),
        [
            "Sở, ban, ngành",
            "Xã, phường",
            "Lĩnh vực 1",
            "Lĩnh vực 2",
            "Lĩnh vực 3",
            "Xếp hạng theo lĩnh vực"
        ]
    );
    // Above the table, the round and what the sheet holds, each across the table.
    let titles = sheet(&bytes, None);
    assert_eq!(titles[0][0], "Chỉ số CCHC năm 2025 (vòng thử)");
    assert_eq!(titles[1][0], "Kết quả xếp hạng — Nhóm Sở, ban, ngành");
    assert!(titles[..2].iter().all(|r| r[1..].iter().all(String::is_empty)));
    let ranked = table(&bytes, None);
    assert_eq!(ranked[0][..4], ["Hạng", "Mã", "Cơ quan, đơn vị", "1"]);
    // Each field's name under its code; the other labels take both rows of the header.
    assert_eq!(
        ranked[1][..6],
        [
            "",
            "",
            "",
            "Công tác chỉ đạo, điều hành cải cách hành chính",
            "Cải cách thủ tục hành chính",
            "Tác động của cải cách hành chính đến người dân, tổ chức"
        ]
    );
    assert!(ranked[1][6..].iter().all(String::is_empty), "{:?}", ranked[1]);
    assert_eq!(
        ranked[2],
        [
            "1",
            "so-noi-vu",
            "Sở Nội vụ",
            "6",
            "6.95",
            "5.5",
            "1",
            "0",
            "18.45",
            "20",
            "93.23",
            "Xuất sắc"
        ]
    );
    // Not applicable: an empty cell, not a zero.
    let ban = ranked.iter().find(|r| r[1] == "ban-dan-toc").unwrap();
    assert_eq!(ban[4], "");
    assert_eq!(
        sheet(&bytes, Some("Lĩnh vực 2"))[1][0],
        "Lĩnh vực 2. Cải cách thủ tục hành chính — điểm từng tiêu chí thành phần"
    );
    let field = table(&bytes, Some("Lĩnh vực 2"));
    assert_eq!(
        field[0],
        [
            "Mã",
            "Cơ quan, đơn vị",
            "Nhóm",
            "2.1.1",
            "2.2.1",
            "2.2.2",
            "Tổng điểm",
            "Tối đa",
            "Chỉ số thành phần (%)"
        ]
    );
    assert_eq!(
        field[1][3..6],
        [
            "Tỷ lệ TTHC được công khai đầy đủ, đúng quy định trên Cổng Dịch vụ công",
            "Tỷ lệ hồ sơ giải quyết đúng hạn",
            "Tỷ lệ hồ sơ tiếp nhận trực tuyến"
        ]
    );
    assert_prints(
        &bytes,
        "Trang &amp;P/&amp;N",
        &["$4:$5", "$4:$5", "$4:$5", "$4:$5", "$4:$5", "$4:$4"],
    );
    // Figures are numbers, shown with the set's two decimals.
    let styles = part(&bytes, "xl/styles.xml");
    assert!(styles.contains("formatCode=\"0.00\""), "{styles}");
    assert_eq!(field[2][2], "Sở, ban, ngành");
    // Who leads each field: ranks inside the group, ties sharing one (field 3: 5.50,
    // 4.25, 4.25 …), none where nothing in the field applies (Ban Dân tộc, field 2).
    let ranks = table(&bytes, Some("Xếp hạng theo lĩnh vực"));
    assert_eq!(ranks[0], ["Mã", "Cơ quan, đơn vị", "Nhóm", "Hạng", "1", "2", "3"]);
    let row = |id: &str| ranks.iter().find(|r| r[0] == id).unwrap()[2..].to_vec();
    assert_eq!(row("so-noi-vu"), ["Sở, ban, ngành", "1", "3", "1", "2"]);
    assert_eq!(row("so-xay-dung"), ["Sở, ban, ngành", "2", "2", "2", "3"]);
    assert_eq!(row("so-tu-phap"), ["Sở, ban, ngành", "3", "1", "3", "3"]);
    assert_eq!(row("ban-dan-toc"), ["Sở, ban, ngành", "4", "4", "", "1"]);
    assert_eq!(row("phuong-ba-dinh"), ["Xã, phường", "1", "1", "1", "1"]);
    // Written whole, with ordinary permissions.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o644);
    }
}

// A filled-in template goes straight back into score.
#[test]
fn a_filled_template_is_scored_without_edits() {
    let dir = tempfile::tempdir().unwrap();
    let criteria = root().join("docs/examples/bo-tieu-chi-mau.toml");
    let agencies = root().join("examples/vong-mau/agencies.csv");
    let out = run(
        dir.path(),
        &[
            "template",
            "--criteria",
            criteria.to_str().unwrap(),
            "--agencies",
            agencies.to_str().unwrap(),
            "-o",
            "tu-danh-gia.csv",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
    // Fill it as an agency would: the best answer the "allowed" column offers, and evidence.
    let text = std::fs::read_to_string(dir.path().join("tu-danh-gia.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(
        header.iter().take(7).collect::<Vec<_>>(),
        [
            "Mã đơn vị",
            "Mã tiêu chí",
            "Tên tiêu chí",
            "Điểm tối đa",
            "Cách chấm",
            "Giá trị hợp lệ",
            "Giá trị"
        ]
    );
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header).unwrap();
    for row in reader.records() {
        let mut row: Vec<String> = row.unwrap().iter().map(String::from).collect();
        let allowed = row[5].clone();
        if !allowed.is_empty() {
            let first = allowed.split(" | ").next().unwrap();
            row[6] = match first {
                "0 … 1" => "1".into(),
                f if f.starts_with("0 …") => "0".into(),
                f if f.contains("phân số") => "9/10".into(),
                f if f.starts_with("số trường hợp") => "0".into(),
                f if f.starts_with("số,") => "95%".into(),
                f => f.into(),
            };
            row[7] = "QĐ 1/QĐ-UBND".into();
        }
        writer.write_record(&row).unwrap();
    }
    std::fs::write(dir.path().join("tu-danh-gia.csv"), writer.into_inner().unwrap()).unwrap();
    let scored = run(
        dir.path(),
        &[
            "score",
            "--criteria",
            criteria.to_str().unwrap(),
            "--agencies",
            agencies.to_str().unwrap(),
            "--self",
            "tu-danh-gia.csv",
            "--survey",
            root().join("examples/vong-mau/survey.csv").to_str().unwrap(),
            "--format",
            "csv",
        ],
    );
    assert_eq!(scored.status.code(), Some(0), "{}", seen(&scored));
    insta::assert_snapshot!(String::from_utf8(scored.stdout).unwrap());
}

// The workbook template: drop-downs where answers are fixed, and it reads back too.
#[test]
fn a_workbook_template_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    // The example set, with one yes/no leaf that may be answered "not applicable".
    let text = std::fs::read_to_string(root().join("docs/examples/bo-tieu-chi-mau.toml")).unwrap();
    let marked = "code = \"1.1.3\"\nname = \"Kết quả cần đạt rõ ràng, phân công trách nhiệm cụ thể\"\nmax = 1\nrule = \"yes_no\"\n";
    assert!(text.contains(marked));
    let criteria = dir.path().join("criteria.toml");
    std::fs::write(&criteria, text.replace(marked, &format!("{marked}na = true\n"))).unwrap();
    let out = run(
        dir.path(),
        &[
            "template",
            "--criteria",
            criteria.to_str().unwrap(),
            "--format",
            "xlsx",
            "--lang",
            "en",
            "-o",
            "t.xlsx",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
    let bytes = std::fs::read(dir.path().join("t.xlsx")).unwrap();
    let rows = sheet(&bytes, None);
    assert_eq!(
        rows[0],
        [
            "agency",
            "code",
            "value (fill in here)",
            "name",
            "max",
            "rule",
            "allowed",
            "evidence",
            "note",
            "explanation"
        ]
    );
    let leaf = rows.iter().find(|r| r[1] == "1.1.1").unwrap();
    assert_eq!(leaf[6], "Ban hành kịp thời | Ban hành không kịp thời | Không ban hành");
    // Calamine does not read data validations: look for them in the sheet's XML. The
    // yes/no and choice leaves, and no others, offer their answers in the value column
    // (C), "not applicable" too where the leaf allows it (1.1.3 here).
    let mut lists = list_validations(&bytes);
    lists.sort_by_key(|(cells, _)| cells[1..].parse::<u32>().unwrap_or(u32::MAX));
    let row_of = |code: &str| 1 + rows.iter().position(|r| r[1] == code).unwrap();
    let expected: Vec<(String, String)> = [
        ("1.1.1", "Ban hành kịp thời,Ban hành không kịp thời,Không ban hành"),
        ("1.1.2", "yes,no"),
        ("1.1.3", "yes,no,không phát sinh"),
        ("1.2.2", "yes,no"),
    ]
    .iter()
    .map(|(code, list)| (format!("C{}", row_of(code)), format!("\"{list}\"")))
    .collect();
    assert_eq!(lists, expected);
    // Fill it in a new workbook, as Excel would save it, and score it.
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, cell).unwrap();
        }
        if r > 0 && !row[6].is_empty() {
            ws.write_string(r as u32, 0, "so-noi-vu").unwrap();
            let value = match row[6].split(" | ").next().unwrap() {
                // The drop-down's own "not applicable" must read back too.
                _ if row[1] == "1.1.3" => "không phát sinh".to_string(),
                "có" => "yes".to_string(),
                f if f.starts_with("0 …") => "0".into(),
                f if f.contains("fraction") => "0.9".into(),
                f if f.starts_with("a count") => "1".into(),
                f if f.starts_with("a number") => "95%".into(),
                f => f.into(),
            };
            if value == "0.9" {
                ws.write_number(r as u32, 2, 0.9).unwrap();
            } else {
                ws.write_string(r as u32, 2, &value).unwrap();
            }
            ws.write_string(r as u32, 7, "QĐ 1").unwrap();
        }
    }
    book.save(dir.path().join("filled.xlsx")).unwrap();
    std::fs::write(
        dir.path().join("agencies.csv"),
        "id,name,group\nso-noi-vu,Sở Nội vụ,so-nganh\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("survey.csv"),
        "agency,code,value\nso-noi-vu,3.1,3\nso-noi-vu,3.2,80\n",
    )
    .unwrap();
    let scored = run(
        dir.path(),
        &[
            "score",
            "--criteria",
            criteria.to_str().unwrap(),
            "--agencies",
            "agencies.csv",
            "--self",
            "filled.xlsx",
            "--survey",
            "survey.csv",
            "--format",
            "csv",
        ],
    );
    assert_eq!(scored.status.code(), Some(0), "{}", seen(&scored));
    let csv = String::from_utf8(scored.stdout).unwrap();
    assert!(
        csv.lines().nth(1).unwrap().starts_with("so-noi-vu,Sở Nội vụ,so-nganh,so-nganh,1,"),
        "{csv}"
    );
}

// A wrong value in a workbook is reported with its sheet row.
#[test]
fn workbook_errors_name_the_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (c, h) in ["agency", "code", "value"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, (code, value)) in [("1.1.2", "có"), ("1.1.3", "có lẽ")].iter().enumerate() {
        ws.write_string(r as u32 + 1, 0, "so-noi-vu").unwrap();
        ws.write_string(r as u32 + 1, 1, *code).unwrap();
        ws.write_string(r as u32 + 1, 2, *value).unwrap();
    }
    book.save(dir.path().join("self.xlsx")).unwrap();
    let criteria = root().join("docs/examples/bo-tieu-chi-mau.toml");
    let agencies = root().join("examples/vong-mau/agencies.csv");
    let out = run(
        dir.path(),
        &[
            "check",
            criteria.to_str().unwrap(),
            "--agencies",
            agencies.to_str().unwrap(),
            "--data",
            "self.xlsx",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "error[unreadable-value]: self.xlsx, line 3: agency \"so-noi-vu\", \"1.1.3\": \"có lẽ\""
        ),
        "{text}"
    );
    assert!(text.contains("--> self.xlsx:3:17"), "{text}");
}

#[test]
fn compare_self_with_final_and_round_with_round() {
    let out = run(&root(), &["compare", ROUND]);
    assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
    insta::assert_snapshot!("compare-appraisal", seen(&out));
    let csv = run(&root(), &["compare", ROUND, "--format", "csv"]);
    insta::assert_snapshot!("compare-appraisal-csv", seen(&csv));

    // Two synthetic years of the same agencies, the later one with a changed set.
    let dir = tempfile::tempdir().unwrap();
    let criteria =
        std::fs::read_to_string(root().join("docs/examples/bo-tieu-chi-mau.toml")).unwrap();
    std::fs::write(dir.path().join("2024.toml"), &criteria).unwrap();
    let changed = criteria
        .replace(
            "max = 20                    # fields 1 + 2 + 3",
            "max = 21                    # fields 1 + 2 + 3",
        )
        .replace(
            "code = \"3.2\"\nname = \"Đánh giá của doanh nghiệp (DDCI)\"\nmax = 2",
            "code = \"3.2\"\nname = \"Đánh giá của doanh nghiệp (DDCI)\"\nmax = 3",
        )
        .replace("bands = [[80, 2], [65, 1], [0, 0]]", "bands = [[80, 3], [65, 1.5], [0, 0]]")
        .replace("max = 6\n", "max = 7\n");
    std::fs::write(dir.path().join("2025.toml"), changed).unwrap();
    let agencies = root().join("examples/vong-mau/agencies.csv");
    for (year, seed) in [("2024", "24"), ("2025", "25")] {
        let out = run(
            dir.path(),
            &[
                "generate",
                "--criteria",
                &format!("{year}.toml"),
                "--agencies",
                agencies.to_str().unwrap(),
                "--seed",
                seed,
                "--title",
                &format!("Vòng {year}"),
                "-o",
                year,
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
    }
    let years = run(dir.path(), &["compare", "2024/round.toml", "2025/round.toml", "--lang", "en"]);
    assert_eq!(years.status.code(), Some(0), "{}", seen(&years));
    insta::assert_snapshot!("compare-years", seen(&years));
    let path = dir.path().join("so-sanh.xlsx");
    let xlsx = run(
        dir.path(),
        &[
            "compare",
            "2024/round.toml",
            "2025/round.toml",
            "--format",
            "xlsx",
            "-o",
            "so-sanh.xlsx",
        ],
    );
    assert_eq!(xlsx.status.code(), Some(0));
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(sheet(&bytes, None)[0][0], "Vòng 2025 so với Vòng 2024");
    let rows = table(&bytes, None);
    assert_eq!(
        rows[0][..6],
        ["Mã", "Cơ quan, đơn vị", "Nhóm", "Hạng trước", "Hạng sau", "Tăng hạng"]
    );
    // Each field's name under its column.
    assert_eq!(rows[0][9], "Δ 1 (%)");
    assert_eq!(rows[1][9], "Công tác chỉ đạo, điều hành cải cách hành chính");
    assert!(rows[1][..9].iter().all(String::is_empty));
    assert_eq!(rows.len(), 2 + 7);
    // Places moved down are negative, not nothing.
    let csv =
        run(dir.path(), &["compare", "2024/round.toml", "2025/round.toml", "--format", "csv"]);
    let text = String::from_utf8(csv.stdout).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let at = reader.headers().unwrap().iter().position(|h| h == "places_up").unwrap();
    let down = reader.records().filter(|r| r.as_ref().unwrap()[at].starts_with('-')).count();
    assert!(down > 0);
    assert_eq!(rows[2..].iter().filter(|r| r[5].starts_with('-')).count(), down);
}

// Officers print the workbooks: every view's sheets print on A4 in landscape, one page
// wide, under titles, with the header on every page; in English too.
#[test]
fn every_workbook_prints_one_page_wide() {
    let dir = tempfile::tempdir().unwrap();
    let write = |args: &[&str]| {
        let path = dir.path().join("v.xlsx");
        let mut args = args.to_vec();
        args.extend([ROUND, "-o", path.to_str().unwrap()]);
        let out = run(&root(), &args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", seen(&out));
        std::fs::read(&path).unwrap()
    };
    // Two titles, a note with the result, a blank row: the header is the fifth row.
    let explain = write(&["explain", "so-noi-vu", "--lang", "en"]);
    assert_eq!(sheet_names(&explain), ["Where to gain", "Every node"]);
    assert_eq!(
        sheet(&explain, None)[1][0],
        "Where to gain: Sở Nội vụ (so-noi-vu) — group Sở, ban, ngành"
    );
    assert_prints(&explain, "Page &amp;P of &amp;N", &["$5:$5", "$5:$5"]);

    // A title, a note, a blank row, then the header: the fields' codes, their names
    // under them.
    let compare = write(&["compare"]);
    let rows = sheet(&compare, None);
    assert_eq!(
        rows[0][0],
        "Chỉ số CCHC năm 2025 (vòng thử) — chênh lệch giữa tự đánh giá và thẩm định"
    );
    assert!(rows[1][0].starts_with("Thẩm định điều chỉnh "), "{:?}", rows[1]);
    assert_eq!(rows[3][6], "Δ 1");
    assert_eq!(rows[4][6], "Công tác chỉ đạo, điều hành cải cách hành chính");
    assert_prints(&compare, "Trang &amp;P/&amp;N", &["$4:$5"]);

    // status shares compare's grid; a share is a percent.
    let status = write(&["status"]);
    let rows = table(&status, None);
    assert_eq!(rows[0][6], "Tỷ lệ (%)");
    assert_prints(&status, "Trang &amp;P/&amp;N", &["$4:$4"]);
    assert!(part(&status, "xl/styles.xml").contains("formatCode=\"0.0%\""));
}

// A round whose title does not say its year: the printed title does, before the stage.
#[test]
fn a_printed_title_says_the_year() {
    let dir = tempfile::tempdir().unwrap();
    let mini = root().join("examples/vong-mau");
    for file in ["agencies.csv", "self.csv", "appraisal-1.csv", "appraisal-2.csv", "survey.csv"] {
        std::fs::copy(mini.join(file), dir.path().join(file)).unwrap();
    }
    let set = root().join("docs/examples/bo-tieu-chi-mau.toml");
    let round = std::fs::read_to_string(mini.join("round.toml"))
        .unwrap()
        .replace("Chỉ số CCHC năm 2025 (vòng thử)", "Vòng chấm thử")
        .replace("../../docs/examples/bo-tieu-chi-mau.toml", set.to_str().unwrap());
    std::fs::write(dir.path().join("round.toml"), round).unwrap();
    for (lang, title) in [
        ("vi", "Vòng chấm thử (năm 2025) — tự đánh giá, chưa thẩm định"),
        ("en", "Vòng chấm thử (2025) — self-assessment, not appraised"),
    ] {
        let args = ["score", "round.toml", "--stage", "self", "--lang", lang, "-o", "k.xlsx"];
        let out = run(dir.path(), &args);
        assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
        let bytes = std::fs::read(dir.path().join("k.xlsx")).unwrap();
        assert_eq!(sheet(&bytes, None)[0][0], title);
    }
}

// Text a spreadsheet would run as a formula stays text in CSV and XLSX.
#[test]
fn formulas_in_names_are_neutralised() {
    let dir = tempfile::tempdir().unwrap();
    let mini = root().join("examples/vong-mau");
    let agencies = std::fs::read_to_string(mini.join("agencies.csv"))
        .unwrap()
        .replace("Sở Y tế", "=HYPERLINK(\"http://x\")");
    std::fs::write(dir.path().join("agencies.csv"), agencies).unwrap();
    let criteria = root().join("docs/examples/bo-tieu-chi-mau.toml");
    let args = |format: &'static str| {
        vec![
            "score".to_string(),
            "--criteria".into(),
            criteria.to_str().unwrap().into(),
            "--agencies".into(),
            "agencies.csv".into(),
            "--self".into(),
            mini.join("self.csv").to_str().unwrap().into(),
            "--survey".into(),
            mini.join("survey.csv").to_str().unwrap().into(),
            "--format".into(),
            format.into(),
            "-o".into(),
            format!("out.{format}"),
        ]
    };
    for format in ["csv", "xlsx"] {
        let a = args(format);
        let out = run(dir.path(), &a.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
    }
    let csv = std::fs::read_to_string(dir.path().join("out.csv")).unwrap();
    assert!(csv.contains(",\"'=HYPERLINK(\"\"http://x\"\")\","), "{csv}");
    let rows = sheet(&std::fs::read(dir.path().join("out.xlsx")).unwrap(), None);
    assert!(rows.iter().any(|r| r[2] == "'=HYPERLINK(\"http://x\")"));
}

// Excel's limits are the writer's to keep, not a reason to stop: a drop-down list of
// more than 255 characters goes on a hidden sheet, and evidence and notes that join to
// more than a cell holds are cut, saying so, rather than the writer giving up.
#[test]
fn workbooks_keep_within_excels_limits() {
    let dir = tempfile::tempdir().unwrap();
    let mini = root().join("examples/vong-mau");
    for file in ["agencies.csv", "appraisal-1.csv", "appraisal-2.csv", "survey.csv", "round.toml"] {
        std::fs::copy(mini.join(file), dir.path().join(file)).unwrap();
    }
    let long_label = "Ban hành kịp thời đầy đủ nội dung theo hướng dẫn của Bộ Nội vụ ".repeat(5);
    let set = std::fs::read_to_string(root().join("docs/examples/bo-tieu-chi-mau.toml"))
        .unwrap()
        .replace(
            "{ value = \"kip-thoi\", label = \"Ban hành kịp thời\"",
            &format!("{{ value = \"kip-thoi\", label = \"{long_label}\""),
        );
    std::fs::write(dir.path().join("set.toml"), set).unwrap();
    let round = std::fs::read_to_string(mini.join("round.toml"))
        .unwrap()
        .replace("../../docs/examples/bo-tieu-chi-mau.toml", "set.toml");
    std::fs::write(dir.path().join("round.toml"), round).unwrap();
    // An explanation and a note that each fit a cell, and joined do not.
    let own = std::fs::read_to_string(mini.join("self.csv"))
        .unwrap()
        .replacen(
            "agency,code,value,evidence,note",
            "agency,code,value,evidence,note,explanation",
            1,
        )
        .replacen(
            "so-noi-vu,1.1.2,có,Văn bản số 10112/SO,",
            &format!(
                "so-noi-vu,1.1.2,có,Văn bản số 10112/SO,{},{}",
                "b".repeat(30_000),
                "a".repeat(30_000)
            ),
            1,
        )
        .replace(",kip-thoi,", &format!(",{},", long_label.to_lowercase()));
    std::fs::write(dir.path().join("self.csv"), own).unwrap();

    let template = dir.path().join("mau.xlsx");
    let out = run(
        dir.path(),
        &["template", "--criteria", "set.toml", "--format", "xlsx", "-o", "mau.xlsx"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
    let bytes = std::fs::read(&template).unwrap();
    let lists = list_validations(&bytes);
    let long = lists
        .iter()
        .find(|(_, list)| list.starts_with("'Danh sách'!"))
        .expect("a list on the hidden sheet");
    assert_eq!(long.1, "'Danh sách'!$A$1:$A$3");
    let hidden = sheet(&bytes, Some("Danh sách"));
    assert_eq!(hidden[0][0], long_label.trim());

    let out = run(
        dir.path(),
        &["explain", "so-noi-vu", "round.toml", "--format", "xlsx", "-o", "so-noi-vu.xlsx"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
    let detail =
        sheet(&std::fs::read(dir.path().join("so-noi-vu.xlsx")).unwrap(), Some("Chi tiết"));
    let row = detail.iter().find(|r| r[0] == "1.1.2").unwrap();
    let longest = row.iter().map(|c| c.chars().count()).max().unwrap();
    assert!(longest <= 32_767, "a cell of {longest} characters");
    assert!(
        row.iter().any(|c| c.ends_with("[cắt bớt / cut: 60003 ký tự / characters]")),
        "the cut is said: {:?}",
        row.iter().map(|c| c.chars().rev().take(50).collect::<String>()).collect::<Vec<_>>()
    );
}

// A template for every commune of a country runs past the rows a sheet holds: it is
// refused with the numbers, before anything is written, not a panic.
#[test]
fn a_workbook_larger_than_a_sheet_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let rows = (0..120_000).map(|i| format!("xa-{i:06},Xã {i},xa\n"));
    let agencies: String = std::iter::once("id,name,group\n".to_string()).chain(rows).collect();
    std::fs::write(dir.path().join("agencies.csv"), agencies).unwrap();
    let set = root().join("docs/examples/bo-tieu-chi-mau.toml");
    let out = run(
        dir.path(),
        &[
            "template",
            "--criteria",
            set.to_str().unwrap(),
            "--agencies",
            "agencies.csv",
            "--format",
            "xlsx",
            "-o",
            "mau.xlsx",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", seen(&out));
    let text = seen(&out);
    assert!(text.contains("an Excel sheet holds 1048576 rows"), "{text}");
    assert!(!dir.path().join("mau.xlsx").exists(), "nothing is written");
}

/// A template written for `args` (after `template --criteria <the example set>`), in a
/// fresh folder that also holds the example agencies and a survey for so-noi-vu.
fn template_in(args: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root().join("examples/vong-mau/agencies.csv"), dir.path().join("agencies.csv"))
        .unwrap();
    std::fs::write(
        dir.path().join("survey.csv"),
        "agency,code,value\nso-noi-vu,3.1,3\nso-noi-vu,3.2,80\n",
    )
    .unwrap();
    let set = root().join("docs/examples/bo-tieu-chi-mau.toml");
    let mut all = vec!["template", "--criteria", set.to_str().unwrap()];
    all.extend(args);
    let out = run(dir.path(), &all);
    assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
    dir
}

// A commune official fills the workbook as it asks: the labels its drop-downs offer,
// "85%" and "0,5" typed into the marked cells as Excel keeps them (text), and score reads
// every one back.
#[test]
fn a_workbook_template_filled_as_an_official_would_is_scored() {
    let dir = template_in(&[
        "--agencies",
        "agencies.csv",
        "--agency",
        "so-noi-vu",
        "--format",
        "xlsx",
        "-o",
        "mau.xlsx",
    ]);
    let bytes = std::fs::read(dir.path().join("mau.xlsx")).unwrap();
    let mut book = open_workbook_auto_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let cells: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
    let text = |r: &[Data], c: usize| r[c].to_string();
    assert_eq!(
        cells[0].iter().map(Data::to_string).collect::<Vec<_>>(),
        [
            "Mã đơn vị",
            "Mã tiêu chí",
            "Giá trị (điền vào đây)",
            "Tên tiêu chí",
            "Điểm tối đa",
            "Cách chấm",
            "Giá trị hợp lệ",
            "Tài liệu kiểm chứng",
            "Ghi chú",
            "Giải trình"
        ]
    );
    // One agency's template: its id on every row; the max a number, not text.
    assert!(cells[1..].iter().all(|r| text(r, 0) == "so-noi-vu"));
    let row_of = |code: &str| cells.iter().position(|r| text(r, 1) == code).unwrap();
    assert_eq!(cells[row_of("T")][4], Data::Float(1.0));
    assert_eq!(
        cells[row_of("1.1.1")][5],
        Data::String(
            "Ban hành kịp thời → 1; Ban hành không kịp thời → 0,5; Không ban hành → 0".into()
        )
    );
    // The value cells are text (Excel's built-in format 49, "@").
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])).unwrap();
    let styles = std::io::read_to_string(zip.by_name("xl/styles.xml").unwrap()).unwrap();
    assert!(styles.contains("numFmtId=\"49\""), "{styles}");
    // The drop-downs offer labels, and Vietnamese yes and no.
    let lists: std::collections::HashMap<String, String> =
        list_validations(&bytes).into_iter().collect();
    let offered = |code: &str| -> Vec<String> {
        let list = &lists[&format!("C{}", row_of(code) + 1)];
        list.trim_matches('"').split(',').map(String::from).collect()
    };
    assert_eq!(offered("1.1.2"), ["Có", "Không"]);
    let filled: std::collections::HashMap<&str, String> = [
        ("1.1.1", offered("1.1.1")[1].clone()),
        ("1.1.2", offered("1.1.2")[0].clone()),
        ("1.1.3", offered("1.1.3")[1].clone()),
        ("1.1.4", "85%".into()),
        ("1.2.1", "0".into()),
        ("1.2.2", offered("1.2.2")[0].clone()),
        ("2.1.1", "85%".into()),
        ("2.2.1", "Không phát sinh".into()),
        ("2.2.2", "100%".into()),
        ("T", "0,5".into()),
        ("D", "1".into()),
    ]
    .into_iter()
    .collect();
    assert_eq!(filled["1.1.1"], "Ban hành không kịp thời");
    // Saved again as Excel would: every cell as it was, the answers typed as text.
    let mut out = rust_xlsxwriter::Workbook::new();
    let ws = out.add_worksheet();
    let as_text = rust_xlsxwriter::Format::new().set_num_format("@");
    for (r, row) in cells.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                Data::Float(f) => ws.write_number(r, c, *f).map(|_| ()),
                Data::Empty => Ok(()),
                other => ws.write_string(r, c, other.to_string()).map(|_| ()),
            }
            .unwrap();
        }
        if let Some(value) = filled.get(text(row, 1).as_str()) {
            ws.write_string_with_format(r as u32, 2, value, &as_text).unwrap();
            ws.write_string(r as u32, 7, "QĐ 12/QĐ-UBND").unwrap();
        }
    }
    out.save(dir.path().join("da-dien.xlsx")).unwrap();
    let explained = run(
        dir.path(),
        &[
            "explain",
            "so-noi-vu",
            "--criteria",
            root().join("docs/examples/bo-tieu-chi-mau.toml").to_str().unwrap(),
            "--agencies",
            "agencies.csv",
            "--self",
            "da-dien.xlsx",
            "--survey",
            "survey.csv",
            "--stage",
            "self",
            // The other agencies have not sent theirs.
            "--missing",
            "zero",
            "--format",
            "json",
        ],
    );
    assert_eq!(explained.status.code(), Some(0), "{}", seen(&explained));
    let json: serde_json::Value = serde_json::from_slice(&explained.stdout).unwrap();
    let points: Vec<(String, String)> = json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| filled.contains_key(n["code"].as_str().unwrap()))
        .map(|n| {
            (n["code"].as_str().unwrap().into(), n["self"]["points_exact"].as_str().unwrap().into())
        })
        .collect();
    let expected = [
        ("1.1.1", "0.5"),
        ("1.1.2", "1"),
        ("1.1.3", "0"),
        ("1.1.4", "1"),
        ("1.2.1", "1"),
        ("1.2.2", "1"),
        ("2.1.1", "1.7"),
        ("2.2.1", "0"),
        ("2.2.2", "2"),
        ("T", "0.5"),
        ("D", "0.5"),
    ];
    assert_eq!(
        points,
        expected.map(|(c, p)| (c.to_string(), p.to_string())),
        "{}",
        seen(&explained)
    );
    insta::assert_snapshot!(String::from_utf8(explained.stdout).unwrap());
}

// `--each -o DIR`: a template for every agency, named by its id, each with its own id.
#[test]
fn each_agency_gets_its_own_template() {
    let dir = template_in(&["--agencies", "agencies.csv", "--each", "-o", "mau"]);
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("mau"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let ids: Vec<String> = std::fs::read_to_string(dir.path().join("agencies.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    let mut expected: Vec<String> = ids.iter().map(|id| format!("{id}.xlsx")).collect();
    expected.sort();
    assert_eq!(names, expected);
    for id in &ids {
        let rows =
            sheet(&std::fs::read(dir.path().join("mau").join(format!("{id}.xlsx"))).unwrap(), None);
        assert!(rows[1..].iter().all(|r| r[0] == *id), "{id}");
    }
    // CSV too, by --format; the vi CSV writes the max with a decimal comma.
    let dir =
        template_in(&["--agencies", "agencies.csv", "--each", "--format", "csv", "-o", "mau"]);
    let text = std::fs::read_to_string(dir.path().join("mau/so-noi-vu.csv")).unwrap();
    assert!(text.lines().skip(1).all(|l| l.starts_with("so-noi-vu,")), "{text}");
    assert!(text.contains("\"Trừ 0,5 cho mỗi trường hợp, tối đa 2\""), "{text}");
}

// What `--agency` and `--each` refuse, and why.
#[test]
fn template_for_whom_refusals() {
    use std::fmt::Write as _;
    let dir = template_in(&["-o", "blank.csv"]);
    let set = root().join("docs/examples/bo-tieu-chi-mau.toml");
    let set = set.to_str().unwrap();
    let mut text = String::new();
    for args in [
        &["--agencies", "agencies.csv", "--agency", "so-noi-v"][..],
        &["--agencies", "agencies.csv", "--each"],
        &["--each", "-o", "mau"],
        &["--agencies", "agencies.csv", "--each", "--agency", "so-noi-vu", "-o", "mau"],
    ] {
        let mut all = vec!["template", "--criteria", set];
        all.extend(args);
        let out = run(dir.path(), &all);
        writeln!(text, "$ template {}\n{}", args.join(" "), seen(&out)).unwrap();
    }
    insta::assert_snapshot!(text.replace(set, "SET"));
}

// `--agency` takes the agency as explain does: by id, by name, or without accents.
#[test]
fn a_template_for_an_agency_named_as_officials_write_it() {
    let dir = tempfile::tempdir().unwrap();
    for typed in ["so-noi-vu", "Sở Nội vụ", "so noi vu"] {
        let out = dir.path().join("mau.csv");
        let o = run(
            &root(),
            &[
                "template",
                "--criteria",
                "docs/examples/bo-tieu-chi-mau.toml",
                "--agencies",
                "examples/vong-mau/agencies.csv",
                "--agency",
                typed,
                "-o",
                out.to_str().unwrap(),
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{typed}: {}", seen(&o));
        let text = std::fs::read_to_string(&out).unwrap();
        let rows: Vec<&str> = text.lines().skip(1).collect();
        assert!(
            !rows.is_empty() && rows.iter().all(|r| r.starts_with("so-noi-vu,")),
            "{typed}: {text}"
        );
    }
}

// `--agency` takes an agency as explain does: by its id or its name, without accents;
// a name several agencies fold to is refused with their ids.
#[test]
fn template_for_an_agency_by_name() {
    let dir = template_in(&["-o", "blank.csv"]);
    let set = root().join("docs/examples/bo-tieu-chi-mau.toml");
    let set = set.to_str().unwrap();
    let named = run(
        dir.path(),
        &[
            "template",
            "--criteria",
            set,
            "--agencies",
            "agencies.csv",
            "--agency",
            "so noi vu",
            "-o",
            "snv.csv",
        ],
    );
    assert_eq!(named.status.code(), Some(0), "{}", seen(&named));
    let text = std::fs::read_to_string(dir.path().join("snv.csv")).unwrap();
    assert!(text.lines().skip(1).all(|l| l.starts_with("so-noi-vu,")), "{text}");
    std::fs::write(dir.path().join("twins.csv"), "id,name,group\nso-a,Sở A,g\nSO-A,Sở A mới,g\n")
        .unwrap();
    let twins = run(
        dir.path(),
        &[
            "template",
            "--criteria",
            set,
            "--agencies",
            "twins.csv",
            "--agency",
            "so a",
            "-o",
            "a.csv",
        ],
    );
    assert_eq!(twins.status.code(), Some(1), "{}", seen(&twins));
    insta::assert_snapshot!(seen(&twins));
    assert!(!dir.path().join("a.csv").exists());
}
