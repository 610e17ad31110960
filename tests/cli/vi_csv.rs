//! `--lang vi` CSV, for Excel under Vietnamese regional settings: Vietnamese headers, `;`
//! between cells, decimal commas, the same figures as the English keys' CSV, which stays
//! the default.

use crate::support::{root, run, seen};

const ROUND: &str = "examples/vong-mau/round.toml";

/// The cells of a CSV parindex wrote, with `delimiter` between them: the header, then
/// the rows.
fn cells(bytes: &[u8], delimiter: u8) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::str::from_utf8(bytes).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a CSV for Excel starts with a BOM");
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).from_reader(text.as_bytes());
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
    (header, rows)
}

fn score(args: &[&str]) -> Vec<u8> {
    let mut all = vec!["score", ROUND, "--format", "csv"];
    all.extend(args);
    let out = run(&root(), &all);
    assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
    out.stdout
}

#[test]
fn the_mini_round_as_a_vietnamese_csv() {
    let out = run(&root(), &["score", ROUND, "--format", "csv", "--lang", "vi"]);
    assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
    insta::assert_snapshot!("mini-csv-vi", seen(&out));
    // Only an explicit --lang vi changes the CSV: scripts read the English keys.
    assert_eq!(score(&["--lang", "en"]), score(&[]));
}

// Every cell of the Vietnamese CSV, read back with `;`, is the English CSV's cell in the
// same column for the same agency: a number with its decimal comma made a point, a text
// as it is. Only the reason an agency is unranked is put in words.
#[test]
fn the_vietnamese_csv_holds_the_english_figures() {
    let (keys, en) = cells(&score(&[]), b',');
    let (header, vi) = cells(&score(&["--lang", "vi"]), b';');
    assert_eq!(header.len(), keys.len(), "{header:?}");
    assert_eq!(
        header[..10],
        [
            "Mã đơn vị",
            "Cơ quan, đơn vị",
            "Nhóm",
            "Tên nhóm",
            "Hạng",
            "Chỉ số (%)",
            "Chỉ số chính xác (%)",
            "Xếp loại",
            "Tổng điểm",
            "Tối đa"
        ]
    );
    assert_eq!(vi.len(), en.len());
    assert!(en.len() > 1);
    let numeric = |key: &str| !matches!(key, "agency" | "name" | "group" | "group_name" | "grade");
    let mut decimals = 0;
    for english in &en {
        let agency = &english[0];
        let vietnamese =
            vi.iter().find(|row| &row[0] == agency).unwrap_or_else(|| panic!("{agency} in vi"));
        assert_eq!(vietnamese.len(), english.len(), "{agency}");
        for (c, key) in keys.iter().enumerate() {
            let (e, v) = (&english[c], &vietnamese[c]);
            if key == "unranked" {
                assert_eq!(e.is_empty(), v.is_empty(), "{agency} {key}");
            } else if numeric(key) {
                assert!(!v.contains('.'), "{agency} {key}: {v} has a decimal point");
                assert_eq!(&v.replace(',', "."), e, "{agency} {key}");
                decimals += usize::from(v.contains(','));
            } else {
                assert_eq!(v, e, "{agency} {key}");
            }
        }
    }
    // Every agency has points with decimals, so the commas were there to check.
    assert!(decimals >= en.len() * 4, "{decimals}");
}

#[test]
fn a_view_as_a_vietnamese_csv() {
    let compare = run(&root(), &["compare", ROUND, "--format", "csv", "--lang", "vi"]);
    assert_eq!(compare.status.code(), Some(0), "{}", seen(&compare));
    insta::assert_snapshot!("compare-appraisal-csv-vi", seen(&compare));
    let status = run(&root(), &["status", ROUND, "--format", "csv", "--lang", "vi"]);
    assert_eq!(status.status.code(), Some(0), "{}", seen(&status));
    insta::assert_snapshot!("status-csv-vi", seen(&status));

    // The figures are the English CSV's; a share is the percent its header says.
    let (keys, en) = cells(&run(&root(), &["status", ROUND, "--format", "csv"]).stdout, b',');
    let (header, vi) = cells(&status.stdout, b';');
    let share = keys.iter().position(|k| k == "share").unwrap();
    assert_eq!(header[share], "Tỷ lệ (%)");
    for (e, v) in en.iter().zip(&vi) {
        let fraction: f64 = e[share].parse().unwrap();
        let percent: f64 = v[share].replace(',', ".").parse().unwrap();
        assert!((fraction * 100.0 - percent).abs() < 1e-9, "{} against {}", e[share], v[share]);
    }
    // Without --lang the keys, as ever.
    let plain = run(&root(), &["compare", ROUND, "--format", "csv"]);
    let english = run(&root(), &["compare", ROUND, "--format", "csv", "--lang", "en"]);
    assert_eq!(plain.stdout, english.stdout);
    assert!(plain.stdout.starts_with("\u{feff}agency,name,group,group_name,".as_bytes()));
}
