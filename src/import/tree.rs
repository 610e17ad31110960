//! A criteria table's rows as a tree: the header found by its names, each row placed by
//! its numbering (I, II for fields; 1, 2 for criteria; 1.1 or a, b below), rows without a
//! number read as more of the rubric of the row above.

use rust_decimal::Decimal;

use crate::diagnostic::Diagnostic;
use crate::read::xlsx::column_letters;
use crate::tr;

/// How many rows from the top the header may be on, below the title rows.
const HEADER_ROWS: usize = 12;

/// A sheet's cells as text, and its merged regions.
#[derive(Debug, Clone, Default)]
pub(crate) struct Grid {
    pub sheet: String,
    /// Row by row (0-based), each cell as it shows.
    pub rows: Vec<Vec<String>>,
    /// Merged regions: (first row, first column, last row, last column), 0-based.
    pub merged: Vec<(usize, usize, usize, usize)>,
}

impl Grid {
    fn cell(&self, row: usize, column: Option<usize>) -> &str {
        column.and_then(|c| self.rows.get(row)?.get(c)).map_or("", |s| s.trim())
    }

    /// The last row of a merged region that starts at (row, column), or `row`.
    fn merged_down(&self, row: usize, column: usize) -> usize {
        self.merged
            .iter()
            .filter(|m| m.0 == row && m.1 <= column && column <= m.3)
            .map(|m| m.2)
            .max()
            .unwrap_or(row)
    }

    /// Whether (row, column) lies inside a merged region that starts on a row above.
    fn merged_from_above(&self, row: usize, column: usize) -> bool {
        self.merged.iter().any(|m| m.0 < row && row <= m.2 && m.1 <= column && column <= m.3)
    }
}

/// Where a cell is, as Excel names it: `D14`.
pub(crate) fn cell_name(row: usize, column: usize) -> String {
    format!("{}{}", column_letters(column), row + 1)
}

/// The columns of a criteria table.
#[derive(Debug, Clone, Copy, Default)]
struct Columns {
    code: Option<usize>,
    name: Option<usize>,
    max: Option<usize>,
    rubric: Option<usize>,
    evidence: Option<usize>,
}

/// What a header cell names, from its words without accents.
fn role(key: &str) -> Option<fn(&mut Columns) -> &mut Option<usize>> {
    let has = |words: &[&str]| words.iter().any(|w| key.contains(w));
    if has(&[
        "cach_cham",
        "huong_dan_cham",
        "phuong_phap_cham",
        "tieu_chi_danh_gia",
        "cach_tinh",
        "cach_danh_gia",
        "huong_dan",
    ]) {
        Some(|c| &mut c.rubric)
    } else if has(&["kiem_chung"]) {
        Some(|c| &mut c.evidence)
    } else if has(&["diem_toi_da", "diem_chuan", "thang_diem", "diem_so_toi_da"]) || key == "diem" {
        Some(|c| &mut c.max)
    } else if matches!(
        key,
        "stt" | "tt" | "ma" | "ma_so" | "code" | "so_tt" | "so_thu_tu" | "ma_tieu_chi" | "ky_hieu"
    ) {
        Some(|c| &mut c.code)
    } else if has(&["noi_dung", "tieu_chi", "linh_vuc", "chi_tieu", "ten"]) {
        Some(|c| &mut c.name)
    } else {
        None
    }
}

/// The header row and the columns it names: the first of the top rows that names the
/// name and max columns.
fn header(grid: &Grid) -> Option<(usize, Columns)> {
    grid.rows.iter().take(HEADER_ROWS).enumerate().find_map(|(r, row)| {
        let mut columns = Columns::default();
        for (c, cell) in row.iter().enumerate() {
            let key = crate::text::ascii_key(cell);
            if let Some(slot) = role(&key) {
                let slot = slot(&mut columns);
                if slot.is_none() {
                    *slot = Some(c);
                }
            }
        }
        (columns.name.is_some() && columns.max.is_some()).then_some((r, columns))
    })
}

/// A node of the imported tree.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub code: String,
    pub name: String,
    /// The max the table gives, where it gives one.
    pub max: Option<Decimal>,
    /// The row (0-based) the node starts on, and the cell of its max.
    pub row: usize,
    pub max_cell: String,
    /// The rubric text: the rubric column, then the rows without a number below.
    pub rubric: Vec<String>,
    pub evidence: Vec<String>,
    /// `"bonus"` or `"deduction"` for a field of điểm thưởng or điểm trừ.
    pub kind: Option<&'static str>,
}

/// A table read: its title, and its nodes in the order of the rows.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub title: Option<String>,
    pub nodes: Vec<Node>,
}

/// How a row's number places it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Number {
    /// I, II …: a field.
    Roman(u32),
    /// 1, 1.2, 1.2.3.
    Dotted(Vec<u32>),
    /// a, b, c …: below the last numbered node.
    Letter,
    /// Blank or a bullet: more of the row above.
    More,
}

/// A code cell's number, and the name that follows it in the same cell ("I. CÔNG TÁC …").
fn number(cell: &str) -> Option<(Number, &str)> {
    let cell = cell.trim();
    if cell.is_empty() || cell.chars().all(|c| matches!(c, '-' | '+' | '*' | '•' | '–')) {
        return Some((Number::More, ""));
    }
    // "Phần I", "PHẦN II": a field, numbered as the others.
    let part = ["Phần", "PHẦN", "phần"]
        .iter()
        .find_map(|w| cell.strip_prefix(w).filter(|r| r.starts_with(char::is_whitespace)))
        .map(str::trim_start);
    let cell = part.unwrap_or(cell);
    let end = cell.find(|c: char| c.is_whitespace() || c == ')' || c == '/').unwrap_or(cell.len());
    let (head, rest) = cell.split_at(end);
    let rest = rest
        .trim_start_matches([')', '/'])
        .trim_start()
        .trim_start_matches(['.', '-', '–', ':'])
        .trim();
    let head = head.trim_end_matches(['.', ':']);
    if let Some(n) = roman(head) {
        return Some((Number::Roman(n), rest));
    }
    if part.is_some() {
        return None;
    }
    if !head.is_empty()
        && head.split('.').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        let parts: Option<Vec<u32>> = head.split('.').map(|p| p.parse().ok()).collect();
        return Some((Number::Dotted(parts?), rest));
    }
    let mut chars = head.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && (c.is_ascii_lowercase() || c == 'đ')
    {
        return Some((Number::Letter, rest));
    }
    None
}

/// A Roman numeral from I to XXXIX, in capitals.
fn roman(text: &str) -> Option<u32> {
    const ONES: [&str; 10] = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"];
    let tens = text.chars().take_while(|c| *c == 'X').count();
    let ones = ONES.iter().position(|o| *o == &text[tens..])?;
    let n = u32::try_from(tens * 10 + ones).ok()?;
    (tens <= 3 && n > 0).then_some(n)
}

/// Reads the tree of a sheet, or every problem that stops it.
pub(crate) fn read(grid: &Grid) -> Result<Table, Vec<Diagnostic>> {
    let sheet = crate::text::Quoted(&grid.sheet).to_string();
    let Some((header_row, columns)) = header(grid) else {
        return Err(vec![
            Diagnostic::error(
                "no-header",
                tr!(
                    "sheet {sheet}: no header in its first {HEADER_ROWS} rows: expected a row naming the columns STT, Nội dung (or Tên tiêu chí) and Điểm tối đa (or Điểm chuẩn)",
                    "trang tính {sheet}: không thấy dòng tiêu đề trong {HEADER_ROWS} dòng đầu: cần một dòng ghi tên các cột STT, Nội dung (hoặc Tên tiêu chí) và Điểm tối đa (hoặc Điểm chuẩn)"
                ),
            )
            .help(tr!(
                "add a header row above the criteria, such as: STT | Nội dung | Điểm tối đa | Cách chấm",
                "thêm một dòng tiêu đề phía trên các tiêu chí, ví dụ: STT | Nội dung | Điểm tối đa | Cách chấm"
            )),
        ]);
    };
    // A header in two rows (merged cells above sub-headings) ends with its tallest cell.
    let body = (0..grid.rows[header_row].len())
        .map(|c| grid.merged_down(header_row, c))
        .max()
        .unwrap_or(header_row)
        + 1;
    let title = grid.rows[..header_row].iter().find_map(|row| {
        let text = crate::text::single_spaced(&row.join(" "));
        let folded = text.to_lowercase();
        let official = ["cộng hòa", "cộng hoà", "độc lập", "ủy ban", "uỷ ban", "ubnd"]
            .iter()
            .any(|w| folded.starts_with(w));
        (!text.is_empty() && !official).then_some(text)
    });
    let mut problems = Vec::new();
    let mut nodes: Vec<Node> = Vec::new();
    let mut field: Option<String> = None;
    // The last row numbered I or 1.2, which lettered rows belong to, and how many so far.
    let (mut numbered, mut letters): (Option<String>, u32) = (None, 0);
    let romans = (body..grid.rows.len())
        .any(|r| matches!(number(grid.cell(r, columns.code)), Some((Number::Roman(_), _))));
    for r in body..grid.rows.len() {
        let code_text = grid.cell(r, columns.code);
        let name_text = grid.cell(r, columns.name);
        let max_text = grid.cell(r, columns.max);
        let rubric_text = grid.cell(r, columns.rubric);
        let evidence_text = grid.cell(r, columns.evidence);
        if [code_text, name_text, max_text, rubric_text, evidence_text].iter().all(|s| s.is_empty())
        {
            continue;
        }
        // The row of column numbers under a header, "(1) (2) (3)".
        if name_text.trim_matches(['(', ')']).chars().all(|c| c.is_ascii_digit())
            && !name_text.is_empty()
        {
            continue;
        }
        let folded = crate::text::fold(if name_text.is_empty() { code_text } else { name_text });
        if code_text.is_empty() && (folded.starts_with("tổng") || folded == "cộng")
            || crate::text::fold(code_text).starts_with("tổng")
        {
            continue;
        }
        // Where each message about this row points, and its number as written.
        let (code_cell, quoted_code) =
            (cell_name(r, columns.code.unwrap_or(0)), crate::text::quote(code_text));
        let Some((number, rest)) = number(code_text) else {
            problems.push(Diagnostic::error(
                "bad-number",
                tr!(
                    "sheet {sheet}, cell {code_cell}: {quoted_code} is not a number the tree can place: expected I, II … for a field, 1, 2 or 1.1 for a criterion, a, b … for a sub-criterion, or nothing for more of the row above",
                    "ô {code_cell} của trang tính {sheet}: {quoted_code} không phải số thứ tự xếp được vào cây tiêu chí: cần I, II … cho lĩnh vực, 1, 2 hoặc 1.1 cho tiêu chí, a, b … cho tiêu chí thành phần, hoặc để trống nếu dòng này viết tiếp dòng trên"
                ),
            ));
            continue;
        };
        let name = if name_text.is_empty() || columns.name == columns.code {
            rest.to_string()
        } else {
            name_text.to_string()
        };
        let max = if max_text.is_empty() {
            None
        } else if let Some(max) = super::rubric::number(max_text.trim_end_matches("điểm").trim())
        {
            Some(max)
        } else {
            let (cell, quoted) =
                (cell_name(r, columns.max.unwrap_or(0)), crate::text::quote(max_text));
            problems.push(Diagnostic::error(
                "not-a-number",
                tr!(
                    "sheet {sheet}, cell {cell}: the max is {quoted}, expected a number of points such as 2 or 0,5",
                    "ô {cell} của trang tính {sheet}: điểm tối đa ghi là {quoted}, cần một số điểm như 2 hoặc 0,5"
                ),
            ));
            None
        };
        let code = match &number {
            Number::More => {
                let continued = columns.code.is_some_and(|c| grid.merged_from_above(r, c));
                let Some(node) = nodes.last_mut() else {
                    let (row, quoted) = (r + 1, crate::text::quote(&name));
                    problems.push(Diagnostic::error(
                        "bad-number",
                        tr!(
                            "sheet {sheet}, row {row}: {quoted} has no number, and no numbered row above it to belong to: expected I, 1 or 1.1 in cell {code_cell}",
                            "dòng {row} của trang tính {sheet}: {quoted} chưa có số thứ tự, và phía trên không có dòng đánh số nào để nối tiếp: cần ghi I, 1 hoặc 1.1 ở ô {code_cell}"
                        ),
                    ));
                    continue;
                };
                let mut line = name.clone();
                // An outcome in the name column with its points in the max column.
                if let (Some(points), false, false) =
                    (max, name.is_empty(), continued || name.contains("điểm"))
                {
                    line = format!("{name}: {points} điểm");
                }
                node.rubric
                    .extend([line, rubric_text.to_string()].into_iter().filter(|s| !s.is_empty()));
                if !evidence_text.is_empty() {
                    node.evidence.push(evidence_text.to_string());
                }
                continue;
            }
            Number::Roman(n) => {
                field = Some(n.to_string());
                n.to_string()
            }
            Number::Dotted(parts) => {
                let parts: Vec<String> = parts.iter().map(u32::to_string).collect();
                match (&field, romans) {
                    (Some(f), true) => format!("{f}.{}", parts.join(".")),
                    _ => parts.join("."),
                }
            }
            Number::Letter => {
                let Some(parent) = &numbered else {
                    problems.push(Diagnostic::error(
                        "bad-number",
                        tr!(
                            "sheet {sheet}, cell {code_cell}: {quoted_code} has no numbered row above it to belong to",
                            "ô {code_cell} của trang tính {sheet}: {quoted_code} không có dòng đánh số nào ở phía trên để trực thuộc"
                        ),
                    ));
                    continue;
                };
                letters += 1;
                format!("{parent}.{letters}")
            }
        };
        if let Some((parent, _)) = code.rsplit_once('.')
            && !nodes.iter().any(|n| n.code == parent)
        {
            problems.push(Diagnostic::error(
                "no-parent",
                tr!(
                    "sheet {sheet}, cell {code_cell}: {quoted_code} comes before any row of {parent}: a criterion numbered {code} needs the row of {parent} above it",
                    "ô {code_cell} của trang tính {sheet}: {quoted_code} đứng trước mọi dòng của mục {parent}: tiêu chí số {code} cần có dòng của mục {parent} ở phía trên"
                ),
            ));
            continue;
        }
        if nodes.iter().any(|n| n.code == code) {
            problems.push(Diagnostic::error(
                "duplicate-number",
                tr!(
                    "sheet {sheet}, cell {code_cell}: {quoted_code} is numbered again: another row above is {code} already",
                    "ô {code_cell} của trang tính {sheet}: {quoted_code} bị đánh số trùng: phía trên đã có một dòng mang số {code}"
                ),
            ));
            continue;
        }
        if number != Number::Letter {
            (numbered, letters) = (Some(code.clone()), 0);
        }
        let top = !code.contains('.');
        let name_folded = crate::text::fold(&name);
        let kind = if !top {
            None
        } else if name_folded.starts_with("điểm thưởng") {
            Some("bonus")
        } else if name_folded.starts_with("điểm trừ") {
            Some("deduction")
        } else {
            None
        };
        nodes.push(Node {
            code,
            name,
            max,
            row: r,
            max_cell: cell_name(r, columns.max.unwrap_or(0)),
            rubric: [rubric_text]
                .into_iter()
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            evidence: [evidence_text]
                .into_iter()
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            kind,
        });
    }
    for node in &nodes {
        let leaf = !nodes.iter().any(|n| n.code.starts_with(&format!("{}.", node.code)));
        let (row, code, max_cell) = (node.row + 1, &node.code, &node.max_cell);
        if node.name.is_empty() {
            let cell = cell_name(node.row, columns.name.unwrap_or(0));
            problems.push(Diagnostic::error(
                "no-name",
                tr!(
                    "sheet {sheet}, row {row}: {code} has no name: expected the criterion's name in cell {cell}",
                    "dòng {row} của trang tính {sheet}: {code} chưa có tên: cần ghi tên tiêu chí ở ô {cell}"
                ),
            ));
        }
        let name = crate::text::quote(&node.name);
        if leaf && node.max.is_some_and(|m| m.is_zero()) {
            problems.push(
                Diagnostic::error(
                    "zero-max",
                    tr!(
                        "sheet {sheet}, cell {max_cell}: {code} {name} has a max of 0: a scored item is worth more than 0 points",
                        "ô {max_cell} của trang tính {sheet}: {code} {name} có điểm tối đa là 0: mục được chấm điểm phải có trên 0 điểm"
                    ),
                )
                .help(tr!(
                    "write the points it is worth, such as 1 or 0,5; an item worth nothing has no place in the set",
                    "ghi số điểm của mục, như 1 hoặc 0,5; mục không có điểm thì không đưa vào bộ tiêu chí"
                )),
            );
        }
        if leaf
            && node.max.is_none()
            && !problems.iter().any(|p| p.message.en.contains(&format!("cell {}:", node.max_cell)))
        {
            problems.push(Diagnostic::error(
                "no-max",
                tr!(
                    "sheet {sheet}, cell {max_cell}: {code} {name} has no max: expected the points it is worth, such as 1 or 0,5",
                    "ô {max_cell} của trang tính {sheet}: {code} {name} chưa có điểm tối đa: cần ghi số điểm của mục, như 1 hoặc 0,5"
                ),
            ));
        }
    }
    if nodes.is_empty() && problems.is_empty() {
        let row = header_row + 1;
        problems.push(Diagnostic::error(
            "no-rows",
            tr!(
                "sheet {sheet}: no criteria below the header on row {row}: expected rows numbered I, 1, 1.1 …",
                "trang tính {sheet}: không có tiêu chí nào bên dưới dòng tiêu đề (dòng {row}): cần các dòng đánh số I, 1, 1.1 …"
            ),
        ));
    }
    if problems.is_empty() { Ok(Table { title, nodes }) } else { Err(problems) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_tables_write_them() {
        assert_eq!(number("I"), Some((Number::Roman(1), "")));
        assert_eq!(number("IV."), Some((Number::Roman(4), "")));
        assert_eq!(number("XII"), Some((Number::Roman(12), "")));
        assert_eq!(number("II. CẢI CÁCH TTHC"), Some((Number::Roman(2), "CẢI CÁCH TTHC")));
        assert_eq!(number("1"), Some((Number::Dotted(vec![1]), "")));
        assert_eq!(number("1.2."), Some((Number::Dotted(vec![1, 2]), "")));
        assert_eq!(number("2.1.3"), Some((Number::Dotted(vec![2, 1, 3]), "")));
        assert_eq!(number("a)"), Some((Number::Letter, "")));
        assert_eq!(number("đ"), Some((Number::Letter, "")));
        assert_eq!(number("-"), Some((Number::More, "")));
        assert_eq!(number(""), Some((Number::More, "")));
        assert_eq!(number("Tiêu chí"), None);
        assert_eq!(number("Phần I"), Some((Number::Roman(1), "")));
        assert_eq!(number("PHẦN II. VĂN BẢN"), Some((Number::Roman(2), "VĂN BẢN")));
        assert_eq!(number("Phần 1"), None);
        assert_eq!(roman("IIII"), None);
        assert_eq!(roman("XIX"), Some(19));
    }

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid {
            sheet: "Sheet1".into(),
            rows: rows.iter().map(|r| r.iter().map(|s| (*s).to_string()).collect()).collect(),
            merged: Vec::new(),
        }
    }

    #[test]
    fn a_tree_from_roman_numbers_and_letters() {
        let g = grid(&[
            &["BỘ CHỈ SỐ CCHC NĂM 2025"],
            &["STT", "Nội dung", "Điểm tối đa", "Cách chấm"],
            &["I", "Công tác chỉ đạo", "3"],
            &["1", "Kế hoạch CCHC", "2"],
            &["a", "Ban hành kế hoạch", "1", "Có: 1 điểm; không: 0"],
            &["b", "Thực hiện kế hoạch", "1"],
            &["", "- Đạt 100%: 1 điểm"],
            &["2", "Báo cáo", "1"],
            &["", "Tổng cộng", "3"],
        ]);
        let table = read(&g).unwrap();
        assert_eq!(table.title.as_deref(), Some("BỘ CHỈ SỐ CCHC NĂM 2025"));
        let codes: Vec<&str> = table.nodes.iter().map(|n| n.code.as_str()).collect();
        assert_eq!(codes, ["1", "1.1", "1.1.1", "1.1.2", "1.2"]);
        assert_eq!(table.nodes[3].rubric, ["- Đạt 100%: 1 điểm"]);
    }

    #[test]
    fn every_problem_is_listed() {
        let g = grid(&[
            &["TT", "Tên tiêu chí", "Điểm chuẩn"],
            &["1", "Kế hoạch", "hai"],
            &["Z9", "Báo cáo", "1"],
            &["2", "Tuyên truyền", ""],
        ]);
        let problems = read(&g).unwrap_err();
        let codes: Vec<&str> = problems.iter().map(|p| p.code).collect();
        assert_eq!(codes, ["not-a-number", "bad-number", "no-max"]);
        let message = &problems[0].message;
        assert!(message.en.contains("cell C2: the max is \"hai\""), "{}", message.en);
        assert!(
            message.vi.starts_with("ô C2 của trang tính \"Sheet1\": điểm tối đa"),
            "{}",
            message.vi
        );
    }

    #[test]
    fn no_header_is_an_error() {
        let problems = read(&grid(&[&["a", "b"]])).unwrap_err();
        assert_eq!(problems[0].code, "no-header");
    }
}
