//! The terminal table: one per group, a column per field, Vietnamese headers by default.

use std::fmt::Write as _;

use super::escape::terminal;
use super::{Report, figure};

pub(super) fn render(report: &Report<'_>) -> String {
    let w = report.lang.words();
    let set = report.set();
    let header = report.columns();
    let mut out = format!("{}\n", report.title());
    // Where the table is wider than the terminal: rank, agency, total, max, index and
    // grade first, then the fields (with bonus and deduction) under them, each block led
    // by the rank and the agency's id, row for row in the same order.
    let n = header.len();
    let first: Vec<usize> = [0, 2, n - 4, n - 3, n - 2, n - 1].to_vec();
    for (group, lines) in report.groups() {
        // Figures right, text (id, agency, grade) left.
        let rows: Vec<Vec<String>> = lines.iter().map(|l| report.cells(l)).collect();
        let right = |i: usize| i != 1 && i != 2 && i != n - 1;
        let tables = super::fit::folded(&header, &rows, &right, report.width, &first, &[0, 1]);
        let label = report.group_label(group);
        let _ = writeln!(out, "\n{}: {label}", w.group);
        for table in tables {
            let _ = writeln!(out, "{table}");
        }
        for line in lines.iter().filter(|l| l.index.is_none()) {
            let _ = writeln!(
                out,
                "{}: {} ({}) — {}",
                w.unranked, line.agency.name, line.agency.id, w.nothing_applies
            );
        }
        if report.field_ranks {
            let rows: Vec<Vec<String>> = lines.iter().map(super::Line::field_rank_cells).collect();
            let ranks = super::fit::table(
                &report.field_rank_columns(),
                &rows,
                &|i| i != 1 && i != 2,
                report.width,
            );
            let _ = write!(out, "\n{} — {}: {label}\n{ranks}\n", w.field_ranks, w.group);
        }
    }
    let _ = writeln!(out, "\n{}:", w.fields);
    for &f in &report.fields() {
        let node = &set.nodes[f];
        let max = node.max.normalize();
        let points = figure(max, max.scale(), report.lang);
        let line = format!("  {} — {} ({points} {})", node.code, node.name, w.points_unit);
        let _ = writeln!(out, "{}", super::fit::wrap(&line, report.width, 6));
    }
    if let Some(note) = report.footnote() {
        let _ = writeln!(out, "\n{}", super::fit::wrap(&note, report.width, 0));
    }
    terminal(&out).into_owned()
}
