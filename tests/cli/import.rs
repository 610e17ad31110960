//! `parindex import`: criteria tables in the shapes provinces publish them, written as
//! sets that `parindex check` passes; and the problems of a table, all listed at once.
//!
//! The workbooks are made here with `rust_xlsxwriter`, so that each shape is readable in
//! the test that uses it: title rows above the header, a row of column numbers under it,
//! Roman-numbered fields, merged number and name cells over the rubric's rows, outcomes
//! listed in rows of their own, and a "Tổng cộng" row at the end.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, Worksheet};

use crate::support::{run, seen};

/// A row of text and numbers: a cell that reads as a number is written as one.
fn row(sheet: &mut Worksheet, r: u32, cells: &[&str]) {
    for (c, text) in cells.iter().enumerate() {
        let c = u16::try_from(c).unwrap();
        if text.is_empty() {
            continue;
        }
        match text.parse::<f64>() {
            Ok(n) if !text.contains('.') => sheet.write_number(r, c, n).unwrap(),
            _ => sheet.write_string(r, c, *text).unwrap(),
        };
    }
}

/// A department set (sở, ban, ngành) as most provinces lay it out: a title merged over
/// the table, a header with a row of column numbers, fields I and II, criteria 1, 2 and
/// sub-criteria 1.1 or a), b); one rubric written over three rows under a merged number;
/// a field of bonus points (điểm thưởng) outside the total.
fn departments(path: &Path) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("Bộ chỉ số").unwrap();
    let plain = Format::new();
    sheet
        .merge_range(
            0,
            0,
            0,
            4,
            "BỘ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CÁC SỞ, BAN, NGÀNH NĂM 2025",
            &plain,
        )
        .unwrap();
    sheet
        .merge_range(1, 0, 1, 4, "(Kèm theo Quyết định số 123/QĐ-UBND của UBND tỉnh)", &plain)
        .unwrap();
    let rows: &[&[&str]] = &[
        &[
            "STT",
            "Lĩnh vực, tiêu chí, tiêu chí thành phần",
            "Điểm tối đa",
            "Hướng dẫn chấm điểm",
            "Tài liệu kiểm chứng",
        ],
        &["(1)", "(2)", "(3)", "(4)", "(5)"],
        &["I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", "6"],
        &["1", "Kế hoạch CCHC năm", "3"],
        &[
            "1.1",
            "Ban hành kế hoạch CCHC năm",
            "1",
            "Ban hành đúng thời hạn: 1 điểm; Ban hành chậm: 0,5 điểm; Không ban hành: 0 điểm",
            "Kế hoạch CCHC năm",
        ],
        &[
            "1.2",
            "Mức độ thực hiện kế hoạch CCHC",
            "2",
            "Đạt 100% kế hoạch: 2 điểm",
            "Báo cáo kết quả",
        ],
        &["", "", "", "- Từ 80% đến dưới 100%: 1 điểm"],
        &["", "", "", "- Dưới 80%: 0 điểm"],
        &["2", "Báo cáo CCHC", "3"],
        &[
            "2.1",
            "Báo cáo định kỳ đầy đủ, đúng hạn",
            "2",
            "Báo cáo đủ, đúng hạn: 2 điểm; mỗi báo cáo chậm hoặc thiếu trừ 0,5 điểm",
        ],
        &["2.2", "Tham mưu xử lý kiến nghị về CCHC", "1", "Căn cứ đánh giá của Sở Nội vụ"],
        &["II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "4"],
        &[
            "1",
            "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn",
            "2",
            "Trên 95%: 2 điểm; từ 85% đến 95%: 1 điểm; dưới 85%: 0 điểm",
        ],
        &["2", "Công khai thủ tục hành chính", "2"],
        &["a)", "Công khai đầy đủ trên Cổng Dịch vụ công", "1", "Có: 1 điểm; không: 0"],
        &[
            "b)",
            "Niêm yết tại nơi tiếp nhận hồ sơ",
            "1",
            "Thực hiện đầy đủ: 1 điểm\nKhông thực hiện: 0 điểm",
        ],
        &["III", "ĐIỂM THƯỞNG", "1", "Có sáng kiến CCHC được công nhận: 1 điểm; Không có: 0 điểm"],
        &["", "Tổng cộng", "10"],
    ];
    for (r, cells) in rows.iter().enumerate() {
        row(sheet, u32::try_from(r).unwrap() + 3, cells);
    }
    // "1.2" and its name over the three rows of its rubric, as the table shows them.
    sheet.merge_range(8, 0, 10, 0, "1.2", &plain).unwrap();
    sheet.merge_range(8, 1, 10, 1, "Mức độ thực hiện kế hoạch CCHC", &plain).unwrap();
    sheet.merge_range(8, 2, 10, 2, "", &plain).unwrap();
    sheet.write_number(8, 2, 2).unwrap();
    book.save(path).unwrap();
}

/// A district set (UBND cấp huyện) laid out differently: dotted codes and no Roman
/// numbers, a header on its third row, outcomes in rows of their own with their points in
/// the max column, and two parents whose max disagrees with their parts.
fn districts(path: &Path) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("Tiêu chí").unwrap();
    let rows: &[&[&str]] = &[
        &["Chỉ số CCHC cấp huyện"],
        &[],
        &["TT", "Tiêu chí, tiêu chí thành phần", "Điểm chuẩn", "Phương pháp chấm"],
        &["1", "Công tác chỉ đạo điều hành", "4"],
        &["1.1", "Văn bản chỉ đạo", "2"],
        &["1.1.1", "Ban hành văn bản chỉ đạo CCHC", "1"],
        &["-", "Kịp thời", "1"],
        &["-", "Chậm", "0,5"],
        &["-", "Không ban hành", "0"],
        &[
            "1.1.2",
            "Kiểm tra CCHC",
            "1",
            "Tỷ lệ đơn vị được kiểm tra từ 30% trở lên: 1 điểm; dưới 30%: 0 điểm",
        ],
        &["1.2", "Tuyên truyền CCHC", "1"],
        &["1.2.1", "Có kế hoạch tuyên truyền", "0,5", "Có: 0,5 điểm; Không: 0 điểm"],
        &[
            "1.2.2",
            "Đa dạng hình thức tuyên truyền",
            "1",
            "Điểm = tỷ lệ hình thức thực hiện × điểm tối đa",
        ],
        &["2", "Cải cách tổ chức bộ máy", "3"],
        &[
            "2.1",
            "Sắp xếp tổ chức bộ máy theo quy định",
            "1",
            "Đúng quy định: 1 điểm; chưa đúng: 0",
        ],
        &["2.2", "Tỷ lệ cán bộ vi phạm kỷ luật", "1", "Dưới 2%: 1 điểm; từ 2% trở lên: 0 điểm"],
        &["TỔNG ĐIỂM", "", "7"],
    ];
    for (r, cells) in rows.iter().enumerate() {
        row(sheet, u32::try_from(r).unwrap(), cells);
    }
    book.save(path).unwrap();
}

/// A table with the mistakes people make: a max in words, a number the tree cannot place,
/// a leaf without a max.
fn mistaken(path: &Path) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("Sheet1").unwrap();
    let rows: &[&[&str]] = &[
        &["STT", "Nội dung", "Điểm tối đa", "Cách chấm"],
        &["I", "Công tác chỉ đạo", "3"],
        &["1", "Kế hoạch CCHC", "hai điểm"],
        &["1.a", "Báo cáo", "1"],
        &["2", "Tuyên truyền", "", "Có: 1 điểm; không: 0"],
    ];
    for (r, cells) in rows.iter().enumerate() {
        row(sheet, u32::try_from(r).unwrap(), cells);
    }
    book.save(path).unwrap();
}

/// Imports `name` (made by `make`) in a fresh folder, writes the set to standard output
/// and to `set.toml`, and returns what the user saw of each, with check's verdict.
fn import_and_check(name: &str, make: fn(&Path)) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    make(&dir.path().join(name));
    let printed = run(dir.path(), &["import", name, "-o", "-"]);
    let written = run(dir.path(), &["import", name, "-o", "set.toml"]);
    assert_eq!(written.status.code(), Some(0), "{}", seen(&written));
    let on_disk = std::fs::read(dir.path().join("set.toml")).unwrap();
    assert_eq!(on_disk, printed.stdout, "the file holds what standard output showed");
    let check = run(dir.path(), &["check", "set.toml"]);
    assert_eq!(check.status.code(), Some(0), "the imported set checks:\n{}", seen(&check));
    (seen(&printed), seen(&check))
}

#[test]
fn a_department_table_becomes_a_set_that_checks() {
    let (printed, check) = import_and_check("so-ban-nganh-2025.xlsx", departments);
    insta::assert_snapshot!("departments", printed);
    insta::assert_snapshot!("departments_check", check);
}

#[test]
fn a_district_table_becomes_a_set_that_checks() {
    let (printed, check) = import_and_check("Chỉ số UBND huyện.xlsx", districts);
    insta::assert_snapshot!("districts", printed);
    insta::assert_snapshot!("districts_check", check);
}

// Every problem of the table at once, naming sheet and cell; nothing is written.
#[test]
fn the_problems_of_a_table_are_listed_together() {
    let dir = tempfile::tempdir().unwrap();
    mistaken(&dir.path().join("loi.xlsx"));
    let output = run(dir.path(), &["import", "loi.xlsx", "-o", "set.toml"]);
    insta::assert_snapshot!(seen(&output));
    assert_eq!(output.status.code(), Some(1));
    assert!(!dir.path().join("set.toml").exists());
}

#[test]
fn a_sheet_without_a_header_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    row(book.add_worksheet(), 0, &["Danh sách", "đơn vị"]);
    book.save(dir.path().join("khong-tieu-de.xlsx")).unwrap();
    let output = run(dir.path(), &["import", "khong-tieu-de.xlsx", "-o", "set.toml"]);
    insta::assert_snapshot!(seen(&output));
    assert_eq!(output.status.code(), Some(1));
}

// The table is never written over, whatever -o names.
#[test]
fn the_table_is_never_written_over() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("bang.xlsx");
    departments(&table);
    let before = std::fs::read(&table).unwrap();
    let output = run(dir.path(), &["import", "bang.xlsx", "-o", "bang.xlsx"]);
    assert_eq!(output.status.code(), Some(1), "{}", seen(&output));
    assert_eq!(std::fs::read(&table).unwrap(), before);
}

#[test]
fn import_help_has_an_example() {
    let output = run(&crate::support::root(), &["import", "--help"]);
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!(seen(&output));
}

/// A table as a province's office saves it: the issuing body and the national motto over
/// a title, the header on row 5, fields numbered "Phần I.", parents' max as `=SUM`
/// formulas (saved with no value worked out, as generated workbooks are), the max as
/// "1,5", 1.5 and "1.5 điểm", lettered items, blank rows between, and a total row.
fn as_offices_save_it(path: &Path) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    row(sheet, 0, &["ỦY BAN NHÂN DÂN TỈNH X", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]);
    row(sheet, 1, &["", "", "Độc lập - Tự do - Hạnh phúc"]);
    row(sheet, 2, &["BỘ TIÊU CHÍ ĐÁNH GIÁ CẢI CÁCH HÀNH CHÍNH NĂM 2026"]);
    row(sheet, 4, &["STT", "Nội dung", "Điểm tối đa", "Cách chấm"]);
    row(sheet, 5, &["Phần I.", "Công tác chỉ đạo"]);
    sheet.write_formula(5, 2, "=SUM(C7:C8)").unwrap();
    row(sheet, 6, &["1", "Kế hoạch CCHC", "1,5", "Có: 1,5 điểm; Không: 0 điểm"]);
    sheet.write_string(7, 0, "2").unwrap();
    sheet.write_string(7, 1, "Thực hiện kế hoạch").unwrap();
    sheet.write_number(7, 2, 1.5).unwrap();
    sheet
        .write_string(7, 3, "Đạt 100%: 1,5 điểm; Từ 80% đến dưới 100%: 1 điểm; Dưới 80%: 0 điểm")
        .unwrap();
    row(sheet, 9, &["Phần II.", "Văn bản quy phạm pháp luật"]);
    sheet.write_formula(9, 2, "=C11").unwrap();
    row(sheet, 10, &["1", "Ban hành văn bản đúng hạn", "1.5 điểm"]);
    row(
        sheet,
        11,
        &["a)", "Văn bản chậm", "1", "Mỗi văn bản chậm trừ 0,25 điểm, tối đa trừ 0,5 điểm"],
    );
    row(sheet, 12, &["b)", "Kiểm tra văn bản", "0,5", "Có: 0,5 điểm; Không: 0 điểm"]);
    row(sheet, 14, &["", "Tổng cộng"]);
    sheet.write_formula(14, 2, "=C6+C10").unwrap();
    book.save(path).unwrap();
}

#[test]
fn a_table_as_offices_save_it_becomes_a_set_that_checks() {
    let (printed, check) = import_and_check("bo-tieu-chi-2026.xlsx", as_offices_save_it);
    insta::assert_snapshot!("as_offices_save_it", printed);
    insta::assert_snapshot!("as_offices_save_it_check", check);
}

// A scored item worth 0 would make a set that does not check: it is an error here.
#[test]
fn an_item_worth_nothing_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    row(sheet, 0, &["STT", "Nội dung", "Điểm tối đa"]);
    row(sheet, 1, &["1", "Kế hoạch", "0"]);
    row(sheet, 2, &["2", "Báo cáo", "1"]);
    book.save(dir.path().join("bang.xlsx")).unwrap();
    let output = run(dir.path(), &["import", "bang.xlsx", "-o", "set.toml"]);
    insta::assert_snapshot!(seen(&output));
    assert_eq!(output.status.code(), Some(1));
    assert!(!dir.path().join("set.toml").exists());
}

// A table saved as CSV is not read as a data file would be: the message says to save it
// as a workbook, not to "give it back its .csv name".
#[test]
fn a_csv_table_is_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bang.csv"), "STT,Nội dung,Điểm tối đa\n1,Kế hoạch,1\n")
        .unwrap();
    let output = run(dir.path(), &["import", "bang.csv", "-o", "set.toml"]);
    insta::assert_snapshot!(seen(&output));
    assert_eq!(output.status.code(), Some(1));
    assert!(!dir.path().join("set.toml").exists());
}

/// A small generator of numbers, so that the tables below are the same on every run.
struct Draws(u64);

impl Draws {
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        self.0 =
            self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        from[usize::try_from(self.0 >> 33).unwrap() % from.len()]
    }
}

// Whenever import says it wrote a set, `check` passes that set; when it fails, nothing is
// written. Tables are drawn from the numbers, maxima and rubric texts offices write.
#[test]
fn whatever_import_writes_checks() {
    const NUMBERS: &[&str] =
        &["I", "II.", "Phần III", "1", "2.", "1.1", "1.2", "a)", "b", "", "-", "2.1.1"];
    const MAXIMA: &[&str] = &["1", "0,5", "1.5", "2 điểm", "", "0", "=SUM(C2:C3)", "3", "0.25"];
    const RUBRICS: &[&str] = &[
        "",
        "Có: 0,5 điểm; Không: 0 điểm",
        "Đạt 100%: 2 điểm; Từ 80% đến dưới 100%: 1 điểm; Dưới 80%: 0 điểm",
        "Mỗi văn bản chậm trừ 0,25 điểm, tối đa trừ 1 điểm",
        "Ban hành đúng hạn: 1 điểm; chậm: 0,5 điểm; không ban hành: 0 điểm",
        "Trên 95%: 1 điểm; từ 85% đến 95%: 0,5 điểm; dưới 85%: 0 điểm",
        "Điểm = tỷ lệ × điểm tối đa",
        "Căn cứ đánh giá của Sở Nội vụ",
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut draws = Draws(19);
    let (mut written, mut refused) = (0, 0);
    for case in 0..40 {
        let name = format!("bang-{case}.xlsx");
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        row(sheet, 0, &["STT", "Nội dung", "Điểm tối đa", "Cách chấm"]);
        for r in 1..=u32::try_from(3 + case % 9).unwrap() {
            let (number, max, rubric) =
                (draws.pick(NUMBERS), draws.pick(MAXIMA), draws.pick(RUBRICS));
            row(sheet, r, &[number, &format!("Mục {r}"), "", rubric]);
            if let Some(formula) = max.strip_prefix('=') {
                sheet.write_formula(r, 2, format!("={formula}").as_str()).unwrap();
            } else {
                row(sheet, r, &["", "", max]);
            }
        }
        book.save(dir.path().join(&name)).unwrap();
        let set = format!("set-{case}.toml");
        let output = run(dir.path(), &["import", &name, "-o", &set]);
        if output.status.code() == Some(0) {
            written += 1;
            let check = run(dir.path(), &["check", &set]);
            assert_eq!(
                check.status.code(),
                Some(0),
                "{name} imported, but the set does not check:\n{}\n{}",
                seen(&output),
                seen(&check)
            );
        } else {
            refused += 1;
            assert_eq!(output.status.code(), Some(1), "{}", seen(&output));
            assert!(!dir.path().join(&set).exists(), "{name}: nothing is written on an error");
        }
    }
    assert!(written > 0 && refused > 0, "{written} written, {refused} refused");
}
