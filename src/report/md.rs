//! Markdown: the same tables as the terminal, for a report or a wiki page.

use std::fmt::Write as _;

use super::Report;
use super::escape::markdown as escape;

pub(super) fn render(report: &Report<'_>) -> String {
    let w = report.lang.words();
    let set = report.set();
    let header = report.columns();
    // Figures right, text (id, agency, grade) left.
    let align: Vec<&str> = (0..header.len())
        .map(|i| if i == 1 || i == 2 || i == header.len() - 1 { "---" } else { "---:" })
        .collect();
    let header: Vec<String> = header.iter().map(|h| escape(h)).collect();
    let mut out = format!("# {}\n", escape(&report.title()));
    for (group, lines) in report.groups() {
        let label = escape(report.group_label(group));
        let _ = write!(
            out,
            "\n## {}: {label}\n\n| {} |\n|{}|\n",
            w.group,
            header.join(" | "),
            align.join("|")
        );
        for line in &lines {
            let cells: Vec<String> = report.cells(line).iter().map(|c| escape(c)).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        for line in lines.iter().filter(|l| l.index.is_none()) {
            let _ = write!(
                out,
                "\n{}: {} ({}) — {}\n",
                w.unranked,
                escape(&line.agency.name),
                escape(&line.agency.id),
                w.nothing_applies
            );
        }
        if report.field_ranks {
            let columns = report.field_rank_columns();
            let align: Vec<&str> =
                (0..columns.len()).map(|i| if i == 1 || i == 2 { "---" } else { "---:" }).collect();
            let columns: Vec<String> = columns.iter().map(|h| escape(h)).collect();
            let _ = write!(
                out,
                "\n### {} — {}: {label}\n\n| {} |\n|{}|\n",
                w.field_ranks,
                w.group,
                columns.join(" | "),
                align.join("|")
            );
            for line in &lines {
                let cells: Vec<String> =
                    line.field_rank_cells().iter().map(|c| escape(c)).collect();
                let _ = writeln!(out, "| {} |", cells.join(" | "));
            }
        }
    }
    let _ = write!(out, "\n## {}\n\n", w.fields);
    for &f in &report.fields() {
        let node = &set.nodes[f];
        let _ = writeln!(
            out,
            "- **{}** {} ({} {})",
            escape(&node.code),
            escape(&node.name),
            node.max.normalize(),
            w.points_unit
        );
    }
    if let Some(note) = report.footnote() {
        let _ = write!(out, "\n{note}\n");
    }
    out
}
