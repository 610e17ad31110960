//! The documents a province files: the decision appendix (`score --format docx`), the
//! result sheets (`explain --format docx`, `--each`), and their PDFs. Every document is
//! read back here with a reader of our own (the zip and XML parts, not the crate that
//! wrote it), and the appendix is printed by LibreOffice and looked at page by page.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use quick_xml::events::Event;

use crate::support::{require_tool, root, run, seen};

/// A Word document as a reader sees it: its page, the sizes and fonts of its text, and
/// its tables, each as rows of cell texts with how many rows repeat as its header.
#[derive(Debug, Default)]
struct Document {
    page: (u32, u32),
    orient: Option<String>,
    /// Every `w:sz` met (half points), in runs and defaults.
    sizes: Vec<u32>,
    /// Every font named by `w:rFonts w:ascii`.
    fonts: Vec<String>,
    tables: Vec<TableRead>,
    /// Every paragraph's text, outside tables too, in order.
    paragraphs: Vec<String>,
    properties: BTreeMap<String, String>,
}

#[derive(Debug, Default, Clone)]
struct TableRead {
    rows: Vec<Vec<String>>,
    header_rows: usize,
}

impl TableRead {
    fn text(&self) -> String {
        self.rows.iter().map(|r| r.join(" | ")).collect::<Vec<_>>().join("\n")
    }
}

fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a docx is a zip");
    let mut text = String::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("the docx has {name}"))
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn attribute(e: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.as_ref() == name).map(|a| a.value.to_string())
}

fn read_docx(bytes: &[u8]) -> Document {
    let mut doc = Document::default();
    for name in ["word/styles.xml", "word/document.xml"] {
        let xml = part(bytes, name);
        let mut reader = quick_xml::Reader::from_str(&xml);
        // Tables nest (the heading block holds paragraphs only); a stack of them.
        let mut tables: Vec<TableRead> = Vec::new();
        let mut row: Option<Vec<String>> = None;
        let mut cell: Option<String> = None;
        let mut paragraph = String::new();
        let mut in_text = false;
        let mut row_is_header = false;
        loop {
            let event = reader.read_event().expect("well-formed XML");
            let opens = matches!(event, Event::Start(_));
            match event {
                Event::Start(e) | Event::Empty(e) => {
                    let local = e.name().as_ref().to_string();
                    match local.as_str() {
                        "w:pgSz" => {
                            let n = |k| attribute(&e, k).and_then(|v| v.parse().ok()).unwrap_or(0);
                            doc.page = (n("w:w"), n("w:h"));
                            doc.orient = attribute(&e, "w:orient");
                        }
                        "w:sz" => doc
                            .sizes
                            .extend(attribute(&e, "w:val").and_then(|v| v.parse::<u32>().ok())),
                        "w:rFonts" => doc.fonts.extend(attribute(&e, "w:ascii")),
                        "w:tbl" => tables.push(TableRead::default()),
                        "w:tr" => {
                            row = Some(Vec::new());
                            row_is_header = false;
                        }
                        "w:tblHeader" => row_is_header = true,
                        "w:tc" => cell = Some(String::new()),
                        "w:p" => paragraph.clear(),
                        "w:br" => paragraph.push('\n'),
                        _ => {}
                    }
                    if local == "w:t" && opens {
                        in_text = true;
                    }
                }
                Event::Text(t) if in_text => {
                    paragraph.push_str(&t.xml10_content());
                }
                Event::GeneralRef(r) if in_text => {
                    if let Some(text) = quick_xml::escape::resolve_predefined_entity(&r) {
                        paragraph.push_str(text);
                    }
                }
                Event::End(e) => match e.name().as_ref() {
                    "w:t" => in_text = false,
                    "w:p" => {
                        if let Some(c) = cell.as_mut() {
                            if !c.is_empty() {
                                c.push('\n');
                            }
                            c.push_str(&paragraph);
                        } else if name == "word/document.xml" {
                            doc.paragraphs.push(paragraph.clone());
                        }
                    }
                    "w:tc" => {
                        if let (Some(r), Some(c)) = (row.as_mut(), cell.take()) {
                            r.push(c);
                        }
                    }
                    "w:tr" => {
                        let t = tables.last_mut().unwrap();
                        if row_is_header && t.rows.len() == t.header_rows {
                            t.header_rows += 1;
                        }
                        t.rows.push(row.take().unwrap());
                    }
                    "w:tbl" => doc.tables.push(tables.pop().unwrap()),
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
    }
    let custom = part(bytes, "docProps/custom.xml");
    let mut reader = quick_xml::Reader::from_str(&custom);
    let mut name = None;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == "property" => name = attribute(&e, "name"),
            Event::Text(t) => {
                if let Some(n) = name.take() {
                    doc.properties.insert(n, t.xml10_content().into_owned());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    doc
}

fn sample() -> PathBuf {
    root().join("examples/so-ban-nganh-2025/round.toml")
}

/// The agencies of each group of the sample round, in file order: (group, names).
fn groups_of(agencies: &Path) -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(agencies).unwrap();
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let (name, group) = (cells[1].to_string(), cells[2].to_string());
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, names)) => names.push(name),
            None => groups.push((group, vec![name])),
        }
    }
    groups
}

#[test]
fn the_appendix_is_a4_landscape_in_times_new_roman_with_a_table_per_group() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("phu-luc.docx");
    let o = run(dir.path(), &["score", sample().to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", seen(&o));
    let doc = read_docx(&std::fs::read(&out).unwrap());
    assert_eq!(doc.page, (16838, 11906), "A4 on its side, in twips");
    assert_eq!(doc.orient.as_deref(), Some("landscape"));
    assert!(
        !doc.fonts.is_empty() && doc.fonts.iter().all(|f| f == "Times New Roman"),
        "{:?}",
        doc.fonts
    );
    assert!(doc.sizes.iter().all(|s| (26..=28).contains(s)), "13 or 14 point: {:?}", doc.sizes);
    assert!(doc.sizes.contains(&26) && doc.sizes.contains(&28));

    // The heading block: the issuer, PHỤ LỤC, the title, the decision with dots to fill.
    let heading = &doc.tables[0];
    assert!(heading.text().contains("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI"), "{}", heading.text());
    let text = doc.paragraphs.join("\n");
    assert!(text.contains("PHỤ LỤC"), "{text}");
    assert!(text.contains("CHỈ SỐ CCHC NĂM 2025 CÁC SỞ, BAN, NGÀNH THÀNH PHỐ HÀ NỘI"), "{text}");
    assert!(
        text.contains("(Kèm theo Quyết định số ……/QĐ-UBND ngày …… tháng …… năm …… của Ủy ban nhân dân thành phố Hà Nội)"),
        "{text}"
    );

    // A table per group, each agency of the group once, in rank order, under two header
    // rows that repeat on every page.
    let groups = groups_of(&root().join("examples/so-ban-nganh-2025/agencies.csv"));
    let tables = &doc.tables[1..];
    assert_eq!(tables.len(), groups.len());
    for (table, (group, names)) in tables.iter().zip(&groups) {
        assert_eq!(table.header_rows, 2, "{group}: {}", table.text());
        assert_eq!(
            table.rows[0][..3],
            ["STT", "Tên cơ quan, đơn vị", "Điểm theo lĩnh vực"].map(String::from),
            "{group}"
        );
        assert_eq!(
            table.rows[0][table.rows[0].len() - 6..],
            ["Điểm trừ", "Tổng điểm", "Điểm tối đa", "Chỉ số (%)", "Xếp hạng", "Xếp loại"]
                .map(String::from)
        );
        let body = &table.rows[2..];
        assert_eq!(body.len(), names.len(), "{group}");
        let mut shown: Vec<&String> = body.iter().map(|r| &r[1]).collect();
        shown.sort();
        let mut expected: Vec<&String> = names.iter().collect();
        expected.sort();
        assert_eq!(shown, expected, "{group}");
        for (k, r) in body.iter().enumerate() {
            assert_eq!(r[0], (k + 1).to_string(), "STT counts each group from 1");
            assert_eq!(r[r.len() - 2], (k + 1).to_string(), "no ties in the sample");
        }
    }
    // The audit trail is in the document's properties: verify takes it.
    assert_eq!(doc.properties.get("parindex-audit.format").map(String::as_str), Some("docx"));
    let v = run(dir.path(), &["verify", out.to_str().unwrap()]);
    assert!(v.status.success(), "{}", seen(&v));
}

/// The appendix's figures are the published table's: each row's cells are the CSV's.
#[test]
fn the_appendix_shows_what_the_csv_publishes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("phu-luc.docx");
    let round = sample();
    let o = run(dir.path(), &["score", round.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", seen(&o));
    let csv = run(dir.path(), &["score", round.to_str().unwrap(), "--format", "csv"]);
    let csv = String::from_utf8(csv.stdout).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| {
        header.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name} in {header:?}"))
    };
    let doc = read_docx(&std::fs::read(&out).unwrap());
    let rows: Vec<&Vec<String>> = doc.tables[1..].iter().flat_map(|t| &t.rows[2..]).collect();
    let mut checked = 0;
    for record in reader.records() {
        let record = record.unwrap();
        let name = &record[at("name")];
        let row =
            rows.iter().find(|r| r[1] == name).unwrap_or_else(|| panic!("{name} in the appendix"));
        let comma = |s: &str| s.replace('.', ",");
        assert_eq!(row[row.len() - 3], comma(&record[at("index")]), "{name}");
        assert_eq!(row[row.len() - 4], comma(&record[at("max")]), "{name}");
        assert_eq!(row[row.len() - 5], comma(&record[at("points")]), "{name}");
        assert_eq!(row[row.len() - 2], record[at("rank")], "{name}");
        assert_eq!(row[row.len() - 1], record[at("grade")], "{name}");
        assert_eq!(row[row.len() - 6], comma(&record[at("deduction")]), "{name}");
        assert_eq!(row[row.len() - 7], comma(&record[at("bonus")]), "{name}");
        for k in 1..=8 {
            assert_eq!(row[1 + k], comma(&record[at(&k.to_string())]), "{name}, field {k}");
        }
        checked += 1;
    }
    assert_eq!(checked, 20);
}

#[test]
fn the_decision_number_and_date_come_from_the_round_file() {
    let dir = tempfile::tempdir().unwrap();
    let examples = root().join("examples/vong-mau");
    let round = dir.path().join("round.toml");
    std::fs::write(
        &round,
        format!(
            "title = \"Chỉ số CCHC năm 2025 (vòng thử)\"\ncriteria = \"{}\"\nagencies = \"{}\"\nself = \"{}\"\nsurvey = \"{}\"\n\n[decision]\nissuer = \"Ủy ban nhân dân tỉnh Đắk Lắk\"\nnumber = \"2345/QĐ-UBND\"\ndate = 2026-02-05\nappendix = \"II\"\n",
            root().join("docs/examples/bo-tieu-chi-mau.toml").display(),
            examples.join("agencies.csv").display(),
            examples.join("self.csv").display(),
            examples.join("survey.csv").display()
        ),
    )
    .unwrap();
    let out = dir.path().join("a.docx");
    let o = run(dir.path(), &["score", "round.toml", "-o", "a.docx"]);
    assert!(o.status.success(), "{}", seen(&o));
    let doc = read_docx(&std::fs::read(&out).unwrap());
    let text = doc.paragraphs.join("\n");
    assert!(text.contains("PHỤ LỤC II"), "{text}");
    assert!(
        text.contains("(Kèm theo Quyết định số 2345/QĐ-UBND ngày 05 tháng 02 năm 2026 của Ủy ban nhân dân tỉnh Đắk Lắk)"),
        "{text}"
    );
    assert!(doc.tables[0].text().contains("ỦY BAN NHÂN DÂN\nTỈNH ĐẮK LẮK"));
    // Scored at the self stage, the title says so.
    let o = run(dir.path(), &["score", "round.toml", "--stage", "self", "-o", "b.docx"]);
    assert!(o.status.success(), "{}", seen(&o));
    let doc = read_docx(&std::fs::read(dir.path().join("b.docx")).unwrap());
    assert!(doc.paragraphs.join("\n").contains("TỰ ĐÁNH GIÁ, CHƯA THẨM ĐỊNH"));
}

#[test]
fn a_wrong_decision_is_named_where_it_stands() {
    let dir = tempfile::tempdir().unwrap();
    let examples = root().join("examples/vong-mau");
    std::fs::write(
        dir.path().join("round.toml"),
        format!(
            "criteria = \"{}\"\nagencies = \"{}\"\nself = \"{}\"\n\n[decision]\nnumber = \"\"\ndate = \"31/4/2026\"\nsigner = \"x\"\n",
            root().join("docs/examples/bo-tieu-chi-mau.toml").display(),
            examples.join("agencies.csv").display(),
            examples.join("self.csv").display()
        ),
    )
    .unwrap();
    let o = run(dir.path(), &["score", "round.toml", "-o", "a.docx"]);
    insta::assert_snapshot!(seen(&o));
    assert!(!dir.path().join("a.docx").exists());
}

#[test]
fn the_result_sheet_holds_the_index_the_fields_the_changes_and_the_losses() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("so-tu-phap.docx");
    let o = run(
        dir.path(),
        &["explain", "so-tu-phap", sample().to_str().unwrap(), "-o", out.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", seen(&o));
    let doc = read_docx(&std::fs::read(&out).unwrap());
    assert_eq!(doc.page, (11906, 16838), "A4 upright");
    assert!(doc.sizes.iter().all(|s| (26..=28).contains(s)), "{:?}", doc.sizes);
    let summary = doc.tables[0].text();
    // The figures the score table publishes for it.
    let table = run(dir.path(), &["score", sample().to_str().unwrap(), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&table.stdout).unwrap();
    let me = json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["agencies"].as_array().unwrap())
        .find(|a| a["agency"] == "so-tu-phap")
        .unwrap()
        .clone();
    let index = me["index"].as_str().unwrap().replace('.', ",");
    assert!(summary.contains(&format!("Chỉ số CCHC | {index}%")), "{summary}\n{me}");
    assert!(summary.contains(&format!("Xếp hạng | {} trên 16", me["rank"])), "{summary}");
    assert!(summary.contains("Sở Tư pháp (so-tu-phap)"));
    let text = doc.paragraphs.join("\n");
    for section in [
        "I. Điểm theo lĩnh vực, tiêu chí",
        "II. Nội dung Hội đồng thẩm định điều chỉnh",
        "III. Nội dung bị mất điểm nhiều nhất",
    ] {
        assert!(text.contains(section), "{section} in {text}");
    }
    let fields = &doc.tables[1];
    assert_eq!(fields.header_rows, 1);
    assert_eq!(
        fields.rows[0],
        [
            "Mã",
            "Lĩnh vực, tiêu chí",
            "Tối đa",
            "Tự đánh giá",
            "Thẩm định",
            "Chênh lệch",
            "Hạng trong nhóm"
        ]
    );
    // Each field's rank in the group, as score's field ranks have it, of those in the
    // group the field applies to.
    let group = json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["agencies"].as_array().unwrap().iter().any(|a| a["agency"] == "so-tu-phap"))
        .unwrap();
    let ranks = &me["fields"];
    for (k, field) in ranks.as_array().unwrap().iter().enumerate() {
        let row = fields.rows.iter().find(|r| r[0] == field["code"]).unwrap();
        let ranked = group["agencies"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| !a["fields"][k]["rank"].is_null())
            .count();
        assert_eq!(row[6], format!("{}/{ranked}", field["rank"]), "field {k}: {row:?}");
    }
    assert!(fields.rows.iter().any(|r| r[0] == "1" && r[1].starts_with("Công tác chỉ đạo")));
    let changes = &doc.tables[2];
    assert_eq!(changes.rows[0].last().unwrap(), "Lý do");
    assert!(changes.rows.len() > 1, "the council changed some of Sở Tư pháp's points");
}

#[test]
fn each_agency_gets_its_own_sheet_in_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["explain", "--each", sample().to_str().unwrap(), "-o", "phieu"]);
    insta::assert_snapshot!(seen(&o).replace(&dir.path().display().to_string(), "[tmp]"));
    let agencies =
        std::fs::read_to_string(root().join("examples/so-ban-nganh-2025/agencies.csv")).unwrap();
    let mut count = 0;
    for line in agencies.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let file = dir.path().join("phieu").join(format!("{}.docx", cells[0]));
        let doc = read_docx(&std::fs::read(&file).unwrap_or_else(|_| panic!("{}", file.display())));
        assert!(doc.tables[0].text().contains(&format!("{} ({})", cells[1], cells[0])));
        count += 1;
    }
    assert_eq!(std::fs::read_dir(dir.path().join("phieu")).unwrap().count(), count);
    // Without a folder there is nowhere to put them.
    let o = run(dir.path(), &["explain", "--each", sample().to_str().unwrap()]);
    insta::assert_snapshot!("each_needs_a_folder", seen(&o));
}

/// Runs parindex with the PATH of the test, so that it finds the converters.
fn run_with_path(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_parindex"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir)
        .output()
        .unwrap()
}

/// A PNG's width and height, from its header.
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[1..4], b"PNG");
    let n = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (n(16), n(20))
}

#[test]
fn the_appendix_prints_landscape_with_every_groups_table() {
    if require_tool(&["soffice", "libreoffice"], "LibreOffice").is_none()
        || require_tool(&["pdftoppm"], "pdftoppm (poppler-utils)").is_none()
        || require_tool(&["pdftotext"], "pdftotext (poppler-utils)").is_none()
    {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("phu-luc.pdf");
    let o = run_with_path(
        dir.path(),
        &["score", sample().to_str().unwrap(), "-o", pdf.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", seen(&o));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    let pages = Command::new("pdftoppm")
        .args(["-png", "-r", "40"])
        .arg(&pdf)
        .arg(dir.path().join("page"))
        .status()
        .unwrap();
    assert!(pages.success());
    let mut pngs: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    pngs.sort();
    assert!(pngs.len() >= 2, "20 agencies take more than a page: {pngs:?}");
    for png in &pngs {
        let (w, h) = png_size(png);
        assert!(w > h, "{} is landscape: {w}×{h}", png.display());
        // A4: 297 / 210.
        assert!((f64::from(w) / f64::from(h) - 297.0 / 210.0).abs() < 0.01, "{w}×{h}");
    }
    let text = Command::new("pdftotext").args(["-layout"]).arg(&pdf).arg("-").output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("PHỤ LỤC"));
    let groups = groups_of(&root().join("examples/so-ban-nganh-2025/agencies.csv"));
    for (k, (group, names)) in groups.iter().enumerate() {
        let numeral = ["I", "II", "III"][k];
        let heading = format!("{numeral}. ");
        assert!(
            text.lines().any(|l| l.trim_start().starts_with(&heading)),
            "the heading of group {group}"
        );
        for name in names {
            // Long names wrap inside their cell: their first word is on a line.
            let first = name.split(' ').take(2).collect::<Vec<_>>().join(" ");
            assert!(text.contains(&first), "{name} ({group}) in the PDF");
        }
    }
    // The header rows repeat: "Tên cơ quan," heads every page.
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert_eq!(pages.len(), pngs.len());
    for (k, page) in pages.iter().enumerate() {
        assert!(page.contains("Tên cơ quan,"), "page {}: {page}", k + 1);
    }
}

#[test]
fn the_html_report_prints_to_pdf_through_chromium() {
    if require_tool(&["chromium", "chromium-browser", "google-chrome"], "Chromium").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["score", sample().to_str().unwrap(), "-o", "bao-cao.html"]);
    assert!(o.status.success(), "{}", seen(&o));
    let o = run_with_path(dir.path(), &["pdf", "bao-cao.html"]);
    assert!(o.status.success(), "{}", seen(&o));
    let pdf = std::fs::read(dir.path().join("bao-cao.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    // Its pages are A4 on their side, as the report's print styles ask.
    let text = String::from_utf8_lossy(&pdf);
    assert!(
        text.contains("/MediaBox [0 0 841.91998 594.95996]")
            || text.contains("/MediaBox [0 0 842 595]"),
        "landscape A4 media box"
    );
}

#[test]
fn pdf_says_what_it_prints_and_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ket-qua.csv"), "a,b\n").unwrap();
    let o = run(dir.path(), &["pdf", "ket-qua.csv"]);
    insta::assert_snapshot!("pdf_of_a_csv", seen(&o));
    std::fs::write(dir.path().join("phu-luc.docx"), b"PK").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_parindex"))
        .args(["pdf", "phu-luc.docx"])
        .current_dir(dir.path())
        .env_clear()
        .env("PARINDEX_LIBREOFFICE", "/nonexistent/soffice")
        .output()
        .unwrap();
    insta::assert_snapshot!("pdf_without_libreoffice", seen(&o));
    assert!(!dir.path().join("phu-luc.pdf").exists());
}

/// A copy of the sample round `vong-mau` in `dir`, with the agencies file given.
fn round_with_agencies(dir: &Path, agencies: &str, extra: &str) {
    let examples = root().join("examples/vong-mau");
    std::fs::write(dir.join("agencies.csv"), agencies).unwrap();
    std::fs::write(
        dir.join("round.toml"),
        format!(
            "title = \"Vòng thử\"\ncriteria = \"{}\"\nagencies = \"agencies.csv\"\nself = \"{}\"\n{extra}",
            root().join("docs/examples/bo-tieu-chi-mau.toml").display(),
            examples.join("self.csv").display(),
        ),
    )
    .unwrap();
}

/// The sample's agencies renamed (and re-identified) with `rename(id, name)`.
fn agencies_renamed(rename: impl Fn(&str, &str) -> (String, String)) -> String {
    let text = std::fs::read_to_string(root().join("examples/vong-mau/agencies.csv")).unwrap();
    let mut out = String::from("id,name,group\n");
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let (id, name) = rename(cells[0], cells[1]);
        let quoted = format!("\"{}\"", name.replace('"', "\"\""));
        let _ = writeln!(out, "{id},{quoted},{}", cells[2]);
    }
    out
}

/// Whether an XML part holds a character XML 1.0 does not (a control other than tab and
/// line breaks): Word and LibreOffice refuse such a document.
fn holds_no_control(xml: &str) -> bool {
    !xml.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

#[test]
fn names_with_controls_and_markup_make_documents_that_open() {
    let dir = tempfile::tempdir().unwrap();
    // A control character pasted into a name left a document no program opened.
    let agencies = agencies_renamed(|id, name| match id {
        "so-noi-vu" => {
            (id.into(), format!("{name} <b>&amp;</b> \"x\" 'y' ]]> \u{202e}RTL مرحبا 🎉"))
        }
        "so-tu-phap" => (id.into(), format!("{name}\u{1}\u{b}\u{7f}")),
        "so-y-te" => (id.into(), "A".repeat(10_000)),
        _ => (id.into(), name.into()),
    });
    round_with_agencies(
        dir.path(),
        &agencies,
        "\n[decision]\nissuer = \"Ủy ban nhân dân tỉnh <A> & \\u0001B\"\n",
    );
    let o = run(
        dir.path(),
        &["score", "round.toml", "--stage", "self", "--missing", "zero", "-o", "phu-luc.docx"],
    );
    assert!(o.status.success(), "{}", seen(&o));
    let o = run(
        dir.path(),
        &["explain", "--each", "round.toml", "--stage", "self", "--missing", "zero", "-o", "phieu"],
    );
    assert!(o.status.success(), "{}", seen(&o));
    let mut documents = vec![dir.path().join("phu-luc.docx")];
    documents
        .extend(std::fs::read_dir(dir.path().join("phieu")).unwrap().map(|e| e.unwrap().path()));
    for path in &documents {
        let bytes = std::fs::read(path).unwrap();
        let xml = part(&bytes, "word/document.xml");
        assert!(holds_no_control(&xml), "{}", path.display());
    }
    let doc = read_docx(&std::fs::read(&documents[0]).unwrap());
    let names: Vec<&String> =
        doc.tables[1..].iter().flat_map(|t| &t.rows[2..]).map(|r| &r[1]).collect();
    // Shown as the terminal shows them: the controls as their symbols, the direction
    // override written out; the markup as it was typed.
    assert!(names.iter().any(|n| *n == "Sở Tư pháp␁␋␡"), "{names:?}");
    assert!(
        names.iter().any(|n| n.contains("<b>&amp;</b> \"x\" 'y' ]]> \\u{202e}RTL مرحبا 🎉")),
        "{names:?}"
    );
    assert!(names.iter().any(|n| *n == &"A".repeat(10_000)));
    assert!(doc.tables[0].text().contains("<A> & ␁B"), "{}", doc.tables[0].text());
}

#[test]
fn each_names_files_every_disk_takes_and_writes_all_or_none() {
    let dir = tempfile::tempdir().unwrap();
    // An id of 300 characters failed the run after other sheets were already renamed
    // into place; `con` is the console on Windows; the id "a_b" is its own file name.
    let long = "x".repeat(300);
    let agencies = agencies_renamed(|id, name| match id {
        "so-noi-vu" => ("con".into(), name.into()),
        "so-tu-phap" => (long.clone(), name.into()),
        "so-y-te" => ("a b".into(), name.into()),
        "ban-dan-toc" => ("a_b".into(), name.into()),
        _ => (id.into(), name.into()),
    });
    let self_csv = std::fs::read_to_string(root().join("examples/vong-mau/self.csv"))
        .unwrap()
        .replace("\nso-noi-vu,", "\ncon,")
        .replace("\nso-tu-phap,", &format!("\n{long},"))
        .replace("\nso-y-te,", "\na b,")
        .replace("\nban-dan-toc,", "\na_b,");
    std::fs::write(dir.path().join("self.csv"), self_csv).unwrap();
    round_with_agencies(dir.path(), &agencies, "");
    let round = std::fs::read_to_string(dir.path().join("round.toml")).unwrap();
    let round = round
        .lines()
        .map(|l| if l.starts_with("self =") { "self = \"self.csv\"" } else { l })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.path().join("round.toml"), round).unwrap();
    let o = run(
        dir.path(),
        &[
            "explain",
            "--each",
            "round.toml",
            "--stage",
            "self",
            "--missing",
            "zero",
            "--format",
            "md",
            "-o",
            "phieu",
        ],
    );
    assert!(o.status.success(), "{}", seen(&o));
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("phieu"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    insta::assert_debug_snapshot!(names);
    let a_b = std::fs::read_to_string(dir.path().join("phieu/a_b.md")).unwrap();
    assert!(a_b.contains("(a\\_b)"), "{a_b}");
}

#[test]
fn a_decision_dated_with_a_time_of_day_is_refused_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let agencies = std::fs::read_to_string(root().join("examples/vong-mau/agencies.csv")).unwrap();
    round_with_agencies(dir.path(), &agencies, "\n[decision]\ndate = 2026-03-05T10:00:00\n");
    let o = run(dir.path(), &["score", "round.toml", "-o", "a.docx"]);
    insta::assert_snapshot!(seen(&o));
    assert!(!dir.path().join("a.docx").exists());
}

#[test]
fn pdf_writes_no_pdf_under_another_formats_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("phu-luc.docx"), b"PK").unwrap();
    let o = run(dir.path(), &["pdf", "phu-luc.docx", "-o", "ket-qua.xlsx"]);
    insta::assert_snapshot!(seen(&o));
    assert!(!dir.path().join("ket-qua.xlsx").exists());
}
