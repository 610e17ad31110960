//! The terminal table: one per group, a column per field, Vietnamese headers by default.

use std::fmt::Write as _;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ContentArrangement, Table};

use super::escape::terminal;
use super::{Report, figure};

pub(super) fn render(report: &Report<'_>) -> String {
    let w = report.lang.words();
    let set = report.set();
    let header = report.columns();
    let mut out = format!("{}\n", report.title());
    for (group, lines) in report.groups() {
        // Figures right, text (id, agency, grade) left.
        let table = grid(&header, lines.iter().map(|l| report.cells(l)), |i| {
            i != 1 && i != 2 && i != header.len() - 1
        });
        let label = report.group_label(group);
        let _ = write!(out, "\n{}: {label}\n{table}\n", w.group);
        for line in lines.iter().filter(|l| l.index.is_none()) {
            let _ = writeln!(
                out,
                "{}: {} ({}) — {}",
                w.unranked, line.agency.name, line.agency.id, w.nothing_applies
            );
        }
        if report.field_ranks {
            let ranks = grid(
                &report.field_rank_columns(),
                lines.iter().map(super::Line::field_rank_cells),
                |i| i != 1 && i != 2,
            );
            let _ = write!(out, "\n{} — {}: {label}\n{ranks}\n", w.field_ranks, w.group);
        }
    }
    let _ = writeln!(out, "\n{}:", w.fields);
    for &f in &report.fields() {
        let node = &set.nodes[f];
        let max = node.max.normalize();
        let points = figure(max, max.scale(), report.lang);
        let _ = writeln!(out, "  {} — {} ({points} {})", node.code, node.name, w.points_unit);
    }
    if let Some(note) = report.footnote() {
        let _ = writeln!(out, "\n{note}");
    }
    terminal(&out).into_owned()
}

/// A table for the terminal: `header`, then `rows`, the columns `right` says aligned
/// right.
fn grid(
    header: &[String],
    rows: impl Iterator<Item = Vec<String>>,
    right: impl Fn(usize) -> bool,
) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .force_no_tty()
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.to_vec());
    for row in rows {
        table.add_row(row.iter().map(|c| terminal(c).into_owned()).collect::<Vec<_>>());
    }
    for (i, column) in table.column_iter_mut().enumerate() {
        if right(i) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table
}
