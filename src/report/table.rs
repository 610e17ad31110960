//! The terminal table: one per group, a column per field, Vietnamese headers by default.

use std::fmt::Write as _;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ContentArrangement, Table};

use super::{Line, Report, figure};
use crate::criteria::Kind;

pub fn render(report: &Report<'_>) -> String {
    let w = report.lang.words();
    let set = report.set();
    let d = set.decimals;
    let fields = report.fields();
    let (bonus, deduction) = (report.has_kind(Kind::Bonus), report.has_kind(Kind::Deduction));
    let mut out = format!("{}\n", report.title());
    for (group, lines) in report.groups() {
        let mut header = vec![w.rank.to_string(), w.id.to_string(), w.agency.to_string()];
        header.extend(fields.iter().map(|&f| set.nodes[f].code.clone()));
        if bonus {
            header.push(w.bonus.into());
        }
        if deduction {
            header.push(w.deduction.into());
        }
        header.extend([w.points, w.max, w.index, w.grade].map(String::from));
        let mut table = Table::new();
        table
            .load_style(UTF8_FULL_CONDENSED)
            .force_no_tty()
            .set_content_arrangement(ContentArrangement::Disabled);
        table.set_header(header.clone());
        for line in &lines {
            table.add_row(row(line, bonus, deduction, d, report));
        }
        for (i, column) in table.column_iter_mut().enumerate() {
            if i != 1 && i != 2 && i != header.len() - 1 {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
        let _ = write!(out, "\n{}: {group}\n{table}\n", w.group);
        let unranked: Vec<&Line<'_>> = lines.iter().filter(|l| l.index.is_none()).collect();
        for line in unranked {
            let _ = writeln!(
                out,
                "{}: {} ({}) — {}",
                w.unranked, line.agency.name, line.agency.id, w.nothing_applies
            );
        }
    }
    let _ = writeln!(out, "\n{}:", w.fields);
    for &f in &fields {
        let node = &set.nodes[f];
        let max = node.max.normalize();
        let _ = writeln!(
            out,
            "  {} — {} ({} {})",
            node.code,
            node.name,
            figure(max, max.scale(), report.lang),
            w.points_unit
        );
    }
    out
}

fn row(line: &Line<'_>, bonus: bool, deduction: bool, d: u32, report: &Report<'_>) -> Vec<String> {
    let lang = report.lang;
    let dash = || "—".to_string();
    let mut cells = vec![
        line.rank.map_or_else(dash, |r| r.to_string()),
        line.agency.id.clone(),
        line.agency.name.clone(),
    ];
    cells.extend(line.fields.iter().map(|f| f.map_or_else(dash, |f| figure(f, d, lang))));
    if bonus {
        cells.push(figure(line.bonus, d, lang));
    }
    if deduction {
        cells.push(figure(line.deduction, d, lang));
    }
    cells.push(figure(line.points, d, lang));
    cells.push(figure(line.max, d, lang));
    cells.push(line.index.map_or_else(dash, |i| figure(i, d, lang)));
    cells.push(line.grade.map_or_else(dash, String::from));
    cells
}
