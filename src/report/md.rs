//! Markdown: the same tables as the terminal, for a report or a wiki page.

use std::fmt::Write as _;

use super::{Report, figure};
use crate::criteria::Kind;

pub fn render(report: &Report<'_>) -> String {
    let w = report.lang.words();
    let set = report.set();
    let d = set.decimals;
    let fields = report.fields();
    let (bonus, deduction) = (report.has_kind(Kind::Bonus), report.has_kind(Kind::Deduction));
    let mut out = format!("# {}\n", escape(&report.title()));
    for (group, lines) in report.groups() {
        let mut header = vec![w.rank.to_string(), w.id.to_string(), w.agency.to_string()];
        let mut align = vec!["---:", "---", "---"];
        for &f in &fields {
            header.push(set.nodes[f].code.clone());
            align.push("---:");
        }
        for (shown, word) in [
            (bonus, w.bonus),
            (deduction, w.deduction),
            (true, w.points),
            (true, w.max),
            (true, w.index),
        ] {
            if shown {
                header.push(word.into());
                align.push("---:");
            }
        }
        header.push(w.grade.into());
        align.push("---");
        let _ = write!(
            out,
            "\n## {}: {}\n\n| {} |\n|{}|\n",
            w.group,
            escape(group),
            header.join(" | "),
            align.join("|")
        );
        for line in &lines {
            let mut cells = vec![
                line.rank.map_or_else(|| "—".into(), |r| r.to_string()),
                escape(&line.agency.id),
                escape(&line.agency.name),
            ];
            cells.extend(
                line.fields
                    .iter()
                    .map(|f| f.map_or_else(|| "—".to_string(), |f| figure(f, d, report.lang))),
            );
            if bonus {
                cells.push(figure(line.bonus, d, report.lang));
            }
            if deduction {
                cells.push(figure(line.deduction, d, report.lang));
            }
            cells.push(figure(line.points, d, report.lang));
            cells.push(figure(line.max, d, report.lang));
            cells.push(line.index.map_or_else(|| "—".into(), |i| figure(i, d, report.lang)));
            cells.push(line.grade.map_or_else(|| "—".into(), escape));
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
    }
    let _ = write!(out, "\n## {}\n\n", w.fields);
    for &f in &fields {
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
    out
}

/// Text safe inside a Markdown table cell.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('|', "\\|").replace('\n', " ")
}
