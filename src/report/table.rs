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
        let mut table = Table::new();
        table
            .load_style(UTF8_FULL_CONDENSED)
            .force_no_tty()
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(header.clone());
        for line in &lines {
            table.add_row(
                report.cells(line).iter().map(|c| terminal(c).into_owned()).collect::<Vec<_>>(),
            );
        }
        // Figures right, text (id, agency, grade) left.
        for (i, column) in table.column_iter_mut().enumerate() {
            if i != 1 && i != 2 && i != header.len() - 1 {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
        let _ = write!(out, "\n{}: {group}\n{table}\n", w.group);
        for line in lines.iter().filter(|l| l.index.is_none()) {
            let _ = writeln!(
                out,
                "{}: {} ({}) — {}",
                w.unranked, line.agency.name, line.agency.id, w.nothing_applies
            );
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
