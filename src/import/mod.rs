//! A criteria table kept as a workbook (bộ tiêu chí as provinces publish it) turned into a
//! criteria set file: the tree from the table's numbering, a rule wherever the rubric
//! text states one, and `points` with the row quoted where it does not.

pub(crate) mod rubric;
pub(crate) mod tree;

use std::fmt::Write as _;
use std::io::Cursor;
use std::path::Path;

use rust_decimal::Decimal;

use crate::diagnostic::Diagnostic;
use crate::lang::Text;
use crate::tr;
use rubric::{Limit, Rule};
use tree::{Grid, Node, Table};

/// The largest workbook read, as for the round's data files.
const MAX_BYTES: u64 = 256 << 20;

/// A criteria set written from a table, and what a person should look at.
#[derive(Debug, Clone)]
pub(crate) struct Imported {
    /// The set, as TOML text.
    pub toml: String,
    /// Parents whose table max and children disagree.
    pub warnings: Vec<Diagnostic>,
    pub fields: usize,
    pub leaves: usize,
    /// Leaves whose rule was read from the rubric text.
    pub rules_read: usize,
    pub max: Decimal,
}

/// Reads the workbook at `path` and writes the set it holds, or every problem found.
pub(crate) fn import(path: &Path) -> Result<Imported, Vec<Diagnostic>> {
    let shown = crate::read::file::shown(path);
    let bytes = crate::read::file::read_bytes(path, &shown, MAX_BYTES).map_err(|d| vec![*d])?;
    if !bytes.is_empty() && crate::read::encoding::refuse_binary(&shown, &bytes).is_ok() {
        // A CSV or text file: the table's merged cells and layout are gone, and the
        // messages for data files ("give it back its .csv name") would send it in circles.
        return Err(vec![
            Diagnostic::error(
                "not-a-workbook",
                tr!(
                    "{shown} holds text, not a workbook: import reads a criteria table from .xlsx, .xls or .ods",
                    "{shown} chứa văn bản, không phải tệp Excel: lệnh import đọc bảng bộ tiêu chí từ tệp .xlsx, .xls hoặc .ods"
                ),
            )
            .help(tr!(
                "open it in Excel or LibreOffice and save it as an Excel workbook (.xlsx), then import that",
                "mở tệp bằng Excel hoặc LibreOffice, lưu lại thành tệp Excel (.xlsx), rồi chạy import với tệp đó"
            )),
        ]);
    }
    let grid = grid(&shown, &bytes).map_err(|d| vec![*d])?;
    let table = tree::read(&grid)?;
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(write(&table, &stem, &shown, &grid.sheet))
}

/// The first visible sheet's cells, read as every workbook is (see `read::xlsx`), and
/// its merged regions.
fn grid(shown: &str, bytes: &[u8]) -> Result<Grid, Box<Diagnostic>> {
    let (source, sheet) = crate::read::xlsx::to_text(shown.to_string(), bytes)?;
    let rows = cells(&source.text);
    // Only .xlsx files keep merged regions where calamine reads them this way; other
    // workbooks are read with each merged cell's value in its first cell, as blanks below.
    let mut merged = Vec::new();
    if let Ok(mut book) = <calamine::Xlsx<_> as calamine::Reader<_>>::new(Cursor::new(bytes))
        && let Ok(regions) = book.merge_cells_by_sheet_name(&sheet.name)
    {
        let at = |v: u32| usize::try_from(v).unwrap_or(usize::MAX);
        for d in regions {
            merged.push((at(d.start.0), at(d.start.1), at(d.end.0), at(d.end.1)));
        }
    }
    Ok(Grid { sheet: sheet.name, rows, merged })
}

/// The sheet's text (see `read::xlsx::to_text`) back into cells: one line per row, blank
/// rows kept so that row numbers stay the sheet's, cells split at tabs, quoted where they
/// hold a tab, a line break or a quote.
fn cells(text: &str) -> Vec<Vec<String>> {
    let mut rows = vec![Vec::new()];
    let mut cell = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (false, '"') if cell.is_empty() => quoted = true,
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (false, '\t') => {
                if let Some(row) = rows.last_mut() {
                    row.push(std::mem::take(&mut cell));
                }
            }
            (false, '\n') => {
                if let Some(row) = rows.last_mut() {
                    row.push(std::mem::take(&mut cell));
                }
                rows.push(Vec::new());
            }
            (_, c) => cell.push(c),
        }
    }
    if !cell.is_empty()
        && let Some(row) = rows.last_mut()
    {
        row.push(cell);
    }
    rows
}

/// A number as TOML writes it: `2`, `0.5`.
fn figure(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Text as a TOML string.
fn string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// An id from a file name: lower-case ASCII words joined by `-`.
fn slug(name: &str) -> String {
    let id = crate::text::ascii_key(name).replace('_', "-");
    if id.is_empty() { "bo-tieu-chi".to_string() } else { id }
}

/// The set's TOML: the table's nodes with their max checked against their children.
fn write(table: &Table, stem: &str, shown: &str, sheet: &str) -> Imported {
    let nodes = &table.nodes;
    let children = |code: &str| -> Vec<usize> {
        let prefix = format!("{code}.");
        (0..nodes.len())
            .filter(|&i| {
                nodes[i].code.strip_prefix(&prefix).is_some_and(|rest| !rest.contains('.'))
            })
            .collect()
    };
    // Each node's max as written, and a comment where the table disagrees with the sum,
    // worked out from the deepest nodes up.
    let mut max: Vec<Decimal> = nodes.iter().map(|n| n.max.unwrap_or_default()).collect();
    let mut cap = vec![false; nodes.len()];
    let mut remarks: Vec<Option<String>> = vec![None; nodes.len()];
    let mut warnings = Vec::new();
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(nodes[i].code.matches('.').count()));
    for i in order {
        let kids = children(&nodes[i].code);
        if kids.is_empty() {
            continue;
        }
        let sum: Decimal = kids.iter().map(|&k| max[k]).sum();
        let node = &nodes[i];
        match node.max {
            None => max[i] = sum,
            Some(given) if given == sum => {}
            Some(given) => {
                // A formula (=SUM) saved without its value reads as 0: the parts are the
                // max, as where they add up to more than a figure that was kept.
                let (done, remark) = if sum > given && !given.is_zero() {
                    cap[i] = true;
                    (
                        tr!(
                            "kept max = {}, with cap = true: the parts give at most that",
                            "đã giữ max = {} và ghi cap = true: các mục con chỉ được tính tối đa bằng số điểm đó",
                            figure(given)
                        ),
                        format!(
                            "bảng ghi {} điểm (ô {}), các mục con cộng lại {}: giữ {} và cap = true",
                            figure(given),
                            node.max_cell,
                            figure(sum),
                            figure(given)
                        ),
                    )
                } else {
                    max[i] = sum;
                    (
                        if given.is_zero() {
                            tr!(
                                "wrote max = {}, the sum of the parts",
                                "đã ghi max = {}, là tổng điểm các mục con",
                                figure(sum)
                            )
                        } else {
                            tr!(
                                "wrote max = {}, the sum of the parts, so that the set checks; correct the parts if the table is right",
                                "đã ghi max = {}, là tổng điểm các mục con, để bộ tiêu chí hợp lệ khi kiểm tra; nếu bảng ghi đúng thì hãy sửa điểm các mục con",
                                figure(sum)
                            )
                        },
                        format!(
                            "bảng ghi {} điểm (ô {}), các mục con cộng lại {}",
                            figure(given),
                            node.max_cell,
                            figure(sum)
                        ),
                    )
                };
                let formula = if given.is_zero() {
                    tr!(
                        " (a formula saved without its value?)",
                        " (có thể ô này là công thức được lưu mà không kèm kết quả?)"
                    )
                } else {
                    Text::default()
                };
                let (sheet, row, code) = (crate::text::Quoted(sheet), node.row + 1, &node.code);
                let (name, given, sum) =
                    (crate::text::quote(&node.name), figure(given), figure(sum));
                // Written out in each language: `tr!` gives both wordings the same
                // arguments, and the formula's and the outcome's words differ.
                let message = Text::new(
                    format!(
                        "sheet {sheet}, row {row}: the table gives {code} {name} max = {given}{} but its parts add up to {sum}; {}",
                        formula.en, done.en
                    ),
                    format!(
                        "dòng {row} của trang tính {sheet}: bảng ghi {code} {name} có max = {given}{}, nhưng các mục con cộng lại được {sum}; {}",
                        formula.vi, done.vi
                    ),
                );
                warnings.push((node.row, Diagnostic::warning("max-mismatch", message)));
                remarks[i] = Some(remark);
            }
        }
    }
    warnings.sort_by_key(|w: &(usize, Diagnostic)| w.0);
    let warnings = warnings.into_iter().map(|w| w.1).collect();
    let top = |n: &Node| !n.code.contains('.');
    let set_max: Decimal =
        nodes.iter().zip(&max).filter(|(n, _)| top(n) && n.kind.is_none()).map(|(_, m)| *m).sum();
    let title = table.title.clone().unwrap_or_else(|| stem.to_string());
    let year = title
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse::<u32>().ok())
        .find(|y| (1990..=2100).contains(y));

    let mut out = String::new();
    let _ =
        writeln!(out, "# Nhập từ {shown}, sheet {} (parindex import).", crate::text::Quoted(sheet));
    let _ = writeln!(
        out,
        "# Xem lại mọi mục `points` có chú thích \"dòng …\": cách chấm ở đó chưa đọc được thành quy tắc."
    );
    let _ = writeln!(out, "schema = 1");
    let _ = writeln!(out, "id = {}", string(&slug(stem)));
    let _ = writeln!(out, "title = {}", string(&title));
    if let Some(year) = year {
        let _ = writeln!(out, "year = {year}");
    }
    let _ = writeln!(out, "max = {}", figure(set_max));
    let _ = writeln!(out, "decimals = 2");
    out.push_str(GRADES);
    let (mut fields, mut leaves, mut rules_read) = (0, 0, 0);
    for (i, node) in nodes.iter().enumerate() {
        let leaf = children(&node.code).is_empty();
        if top(node) {
            fields += usize::from(node.kind.is_none());
            let _ = write!(out, "\n# ── {} {}\n", node.code, "─".repeat(60));
        }
        out.push_str("\n[[node]]\n");
        let _ = writeln!(out, "code = {}", string(&node.code));
        let _ = writeln!(out, "name = {}", string(&crate::text::single_spaced(&node.name)));
        if let Some(kind) = node.kind {
            let _ = writeln!(out, "kind = \"{kind}\"");
        }
        match &remarks[i] {
            Some(remark) => {
                let _ = writeln!(out, "max = {}  # {remark}", figure(max[i]));
            }
            None => {
                let _ = writeln!(out, "max = {}", figure(max[i]));
            }
        }
        if cap[i] {
            let _ = writeln!(out, "cap = true");
        }
        let mut note: Vec<String> = node.rubric.clone();
        if !node.evidence.is_empty() {
            note.push(format!("Tài liệu kiểm chứng: {}", node.evidence.join("; ")));
        }
        if !note.is_empty() {
            // Written on every node: on a parent it is its scoring text, kept as read.
            let _ = writeln!(out, "note = {}", string(&note.join("\n")));
        }
        if !leaf {
            continue;
        }
        leaves += 1;
        let text = node.rubric.join("\n");
        if let Some(rule) = rubric::read(&text, max[i]) {
            rules_read += 1;
            rule_toml(&mut out, &rule);
        } else {
            let quoted = if text.trim().is_empty() {
                "không có cách chấm".to_string()
            } else {
                crate::text::quote(&crate::text::single_spaced(&text))
            };
            let _ = writeln!(out, "rule = \"points\"  # dòng {}: {quoted}", node.row + 1);
        }
    }
    Imported { toml: out, warnings, fields, leaves, rules_read, max: set_max }
}

/// The grades most decisions use, commented out: each set's decision says its own.
const GRADES: &str = r#"
# Xếp loại: các mức thường dùng. Sửa theo quyết định ban hành bộ tiêu chí, rồi bỏ dấu #.
# [[grade]]
# name = "Xuất sắc"
# min = 90
# [[grade]]
# name = "Tốt"
# min = 80
# [[grade]]
# name = "Khá"
# min = 70
# [[grade]]
# name = "Trung bình"
# min = 50
# [[grade]]
# name = "Yếu"
# min = 0
"#;

/// A rule's keys.
fn rule_toml(out: &mut String, rule: &Rule) {
    match rule {
        Rule::YesNo => out.push_str("rule = \"yes_no\"\n"),
        Rule::Ratio => out.push_str("rule = \"ratio\"\n"),
        Rule::PerItem { per } => {
            let _ = write!(out, "rule = \"per_item\"\nper = {}\n", figure(*per));
        }
        Rule::Choice(choices) => {
            out.push_str("rule = \"choice\"\nchoices = [\n");
            let mut values: Vec<String> = Vec::new();
            for (n, choice) in choices.iter().enumerate() {
                let mut value = crate::text::ascii_key(&choice.label).replace('_', "-");
                if value.is_empty() || values.contains(&value) {
                    value = format!("muc-{}", n + 1);
                }
                let _ = writeln!(
                    out,
                    "  {{ value = {}, label = {}, points = {} }},",
                    string(&value),
                    string(&choice.label),
                    figure(choice.points)
                );
                values.push(value);
            }
            out.push_str("]\n");
        }
        Rule::Bands { bands, lower_is_better } => {
            let limits: Vec<String> = bands
                .iter()
                .map(|(limit, points)| {
                    let limit = match limit {
                        Limit::At(v) => figure(*v),
                        Limit::Above(v) => format!("\">{}\"", figure(*v)),
                        Limit::Below(v) => format!("\"<{}\"", figure(*v)),
                        Limit::Inf => "inf".to_string(),
                    };
                    format!("[{limit}, {}]", figure(*points))
                })
                .collect();
            let _ = writeln!(out, "rule = \"bands\"\nbands = [{}]", limits.join(", "));
            if *lower_is_better {
                out.push_str("lower_is_better = true\n");
            }
        }
    }
}
