//! Tables that fit the terminal: long texts wrap inside their column, and a table with
//! more columns than the screen holds is folded into blocks one under the other, each
//! repeating the columns that say whose row it is.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ColumnConstraint, ContentArrangement, Table};

use super::escape::terminal;

/// A sentence broken between words to lines of at most `width` characters (where one is
/// given), the lines after the first indented by `indent`; a word longer than a line
/// stands alone on its own.
pub(crate) fn wrap(text: &str, width: Option<usize>, indent: usize) -> String {
    let Some(width) = width.filter(|&w| text.chars().count() > w) else {
        return text.to_string();
    };
    let lead: String = text.chars().take_while(|c| *c == ' ').collect();
    let mut lines: Vec<String> = Vec::new();
    let mut line = lead;
    for word in text.split_whitespace() {
        let len = line.chars().count();
        let fresh = line.trim().is_empty();
        if !fresh && len + 1 + word.chars().count() > width {
            lines.push(std::mem::replace(&mut line, " ".repeat(indent)));
        }
        if !line.trim().is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines.join("\n")
}

/// The characters a table's widest line takes.
pub(crate) fn width_of(table: &Table) -> usize {
    table.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// A terminal table of `header` and `rows`, the columns `right` says aligned right;
/// within `width` characters where one is given, its texts wrapped to fit.
pub(crate) fn table(
    header: &[String],
    rows: &[Vec<String>],
    right: &dyn Fn(usize) -> bool,
    width: Option<usize>,
) -> Table {
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED).force_no_tty();
    match width {
        Some(w) => {
            table
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(u16::try_from(w).unwrap_or(u16::MAX));
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    table.set_header(header.to_vec());
    for row in rows {
        table.add_row(row.iter().map(|c| terminal(c).into_owned()).collect::<Vec<_>>());
    }
    let wraps = wrapping(header, rows, right);
    // Where the columns that may not wrap take the whole width, wrapping the others to
    // a letter a line helps no one: the table is left as wide as it is.
    let fixed: usize = 1
        + (0..header.len()).filter(|&i| !wraps[i]).map(|i| natural(header, rows, i)).sum::<usize>();
    let texts = wraps.iter().filter(|&&w| w).count();
    let fits = width.is_some_and(|w| fixed + texts * 12 <= w);
    if !fits {
        table.set_content_arrangement(ContentArrangement::Disabled);
    }
    for (i, column) in table.column_iter_mut().enumerate() {
        if right(i) {
            column.set_cell_alignment(CellAlignment::Right);
        }
        if fits && !wraps[i] {
            column.set_constraint(ColumnConstraint::ContentWidth);
        }
    }
    table
}

/// The table within `width` where it fits whole, else in blocks of columns one under the
/// other, each block as many columns as fit (a text of several words counted at 24
/// characters, as it wraps), each led by the columns `keep`.
pub(crate) fn blocks(
    header: &[String],
    rows: &[Vec<String>],
    right: &dyn Fn(usize) -> bool,
    width: Option<usize>,
    keep: &[usize],
) -> Vec<Table> {
    let whole = table(header, rows, right, None);
    let Some(width) = width.filter(|&w| width_of(&whole) > w) else {
        return vec![whole];
    };
    let wraps = wrapping(header, rows, right);
    let room = |c: usize| {
        if wraps[c] { natural(header, rows, c).min(24 + 3) } else { natural(header, rows, c) }
    };
    let pick = |columns: &[usize]| picked(header, rows, right, width, columns);
    let lead: usize = 1 + keep.iter().map(|&c| room(c)).sum::<usize>();
    let mut out = Vec::new();
    let mut block: Vec<usize> = keep.to_vec();
    let mut used = lead;
    for c in (0..header.len()).filter(|c| !keep.contains(c)) {
        if used + room(c) > width && block.len() > keep.len() {
            out.push(pick(&block));
            block = keep.to_vec();
            used = lead;
        }
        block.push(c);
        used += room(c);
    }
    if block.len() > keep.len() || out.is_empty() {
        out.push(pick(&block));
    }
    out
}

/// A column's natural width: its longest text, with the border and padding.
fn natural(header: &[String], rows: &[Vec<String>], c: usize) -> usize {
    rows.iter()
        .filter_map(|r| r.get(c))
        .chain(std::iter::once(&header[c]))
        .map(|t| t.chars().count())
        .max()
        .unwrap_or(0)
        + 3
}

/// Which columns may wrap: texts of several words longer than a grade's name. Figures,
/// one-word texts (ids, codes) and short ones are never broken.
fn wrapping(header: &[String], rows: &[Vec<String>], right: &dyn Fn(usize) -> bool) -> Vec<bool> {
    (0..header.len())
        .map(|i| {
            !right(i)
                && rows
                    .iter()
                    .any(|r| r.get(i).is_some_and(|t| t.contains(' ') && t.chars().count() > 12))
        })
        .collect()
}

/// The `columns` of the table, within `width`.
fn picked(
    header: &[String],
    rows: &[Vec<String>],
    right: &dyn Fn(usize) -> bool,
    width: usize,
    columns: &[usize],
) -> Table {
    let head: Vec<String> = columns.iter().map(|&c| header[c].clone()).collect();
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| columns.iter().map(|&c| r.get(c).cloned().unwrap_or_default()).collect())
        .collect();
    table(&head, &body, &|i| right(columns[i]), Some(width))
}

/// The table as it is where it fits in `width` (or no width is given); else folded:
/// a first block of the columns `first`, then the other columns in blocks as wide as
/// fit, each led by the columns `keep`. Column numbers are `header`'s.
pub(crate) fn folded(
    header: &[String],
    rows: &[Vec<String>],
    right: &dyn Fn(usize) -> bool,
    width: Option<usize>,
    first: &[usize],
    keep: &[usize],
) -> Vec<Table> {
    let whole = table(header, rows, right, None);
    let Some(width) = width.filter(|&w| width_of(&whole) > w) else {
        return vec![whole];
    };
    let pick = |columns: &[usize]| picked(header, rows, right, width, columns);
    let natural = |c: usize| natural(header, rows, c);
    let mut blocks = vec![pick(first)];
    let lead: usize = 1 + keep.iter().map(|&c| natural(c)).sum::<usize>();
    let mut block: Vec<usize> = keep.to_vec();
    let mut used = lead;
    for c in (0..header.len()).filter(|c| !first.contains(c) && !keep.contains(c)) {
        if used + natural(c) > width && block.len() > keep.len() {
            blocks.push(pick(&block));
            block = keep.to_vec();
            used = lead;
        }
        block.push(c);
        used += natural(c);
    }
    if block.len() > keep.len() {
        blocks.push(pick(&block));
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (Vec<String>, Vec<Vec<String>>) {
        let header: Vec<String> =
            ["Hạng", "Mã", "Cơ quan, đơn vị", "1", "2", "3", "4", "Tổng điểm", "Chỉ số (%)"]
                .map(String::from)
                .to_vec();
        let rows = vec![
            [
                "1",
                "ban-quan-ly",
                "Ban Quản lý các khu công nghệ cao và khu công nghiệp Thành phố",
                "9,00",
                "7,00",
                "13,99",
                "7,00",
                "93,77",
                "95,27",
            ]
            .map(String::from)
            .to_vec(),
        ];
        (header, rows)
    }

    #[test]
    fn sentences_wrap_between_words_with_a_hanging_indent() {
        let text = "  8 — Tác động của cải cách hành chính đến người dân (30 điểm)";
        assert_eq!(wrap(text, None, 6), text);
        assert_eq!(wrap(text, Some(200), 6), text);
        let wrapped = wrap(text, Some(30), 6);
        assert_eq!(
            wrapped,
            "  8 — Tác động của cải cách\n      hành chính đến người dân\n      (30 điểm)"
        );
        assert!(wrapped.lines().all(|l| l.chars().count() <= 30));
        assert_eq!(
            wrapped.split_whitespace().collect::<Vec<_>>(),
            text.split_whitespace().collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_table_that_fits_is_left_whole() {
        let (header, rows) = sample();
        let tables = folded(&header, &rows, &|_| false, Some(500), &[0, 2, 7, 8], &[0, 1]);
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].to_string(), table(&header, &rows, &|_| false, None).to_string());
    }

    #[test]
    fn a_wide_table_folds_into_blocks_that_fit_and_each_names_its_rows() {
        let (header, rows) = sample();
        for width in [50, 60, 80] {
            let tables = folded(&header, &rows, &|_| false, Some(width), &[0, 2, 7, 8], &[0, 1]);
            assert!(tables.len() >= 2, "{width}");
            for t in &tables[1..] {
                assert!(t.to_string().contains("ban-quan-ly"), "{width}:\n{t}");
            }
            for t in &tables {
                assert!(width_of(t) <= width, "{width}:\n{t}");
            }
            // Every column is in some block, once (the id in each).
            let all: String = tables.iter().map(ToString::to_string).collect();
            for h in &header[3..7] {
                assert!(all.contains(&format!(" {h} ")), "{width}: {h}\n{all}");
            }
        }
    }
}
