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
