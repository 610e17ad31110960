//! CSV: one row per agency, the rounded figures and the exact index, for spreadsheets and
//! scripts. Written with a UTF-8 byte-order mark so that Excel shows Vietnamese text.
//! The group is its id (`group`) and the name it is shown by (`group_name`); each field's
//! points are followed by the agency's rank on each field in its group (`rank_CODE`).

use std::fmt::Write as _;

use rayon::prelude::*;
use rust_decimal::Decimal;

use super::Report;
use crate::model::criteria::Kind;

pub(super) fn render(report: &Report<'_>) -> Vec<u8> {
    let set = report.set();
    let d = set.decimals;
    let fields = report.fields();
    let mut writer = ::csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let mut header: Vec<String> = [
        "agency",
        "name",
        "group",
        "group_name",
        "rank",
        "index",
        "index_exact",
        "grade",
        "points",
        "max",
    ]
    .map(String::from)
    .to_vec();
    if report.has_kind(Kind::Bonus) {
        header.push("bonus".into());
    }
    if report.has_kind(Kind::Deduction) {
        header.push("deduction".into());
    }
    header.extend(fields.iter().map(|&f| set.nodes[f].code.clone()));
    header.extend(fields.iter().map(|&f| format!("rank_{}", set.nodes[f].code)));
    header.extend(["index_self", "unranked"].map(String::from));
    write(&mut writer, &header);
    let bonus = report.has_kind(Kind::Bonus);
    let deduction = report.has_kind(Kind::Deduction);
    let mut out = writer.into_inner().unwrap_or_default();
    // Every line of every group in order: a ministry-wide round has thousands of small
    // groups, and the lines are written in chunks on every core, each chunk into one
    // buffer, then joined in order.
    let groups = report.groups();
    let lines: Vec<(&str, &super::Line<'_>)> =
        groups.iter().flat_map(|(g, lines)| lines.iter().map(move |l| (*g, l))).collect();
    let chunks: Vec<Vec<u8>> = lines
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut row = Row {
                writer: ::csv::Writer::from_writer(Vec::with_capacity(chunk.len() * 160)),
                scratch: String::new(),
                places: d,
            };
            for &(group, line) in chunk {
                row.text(&line.agency.id);
                row.text(&line.agency.name);
                row.text(group);
                row.text(report.group_label(group));
                row.shown(line.rank);
                row.figure(line.index);
                row.shown(line.index_exact);
                row.text(line.grade.unwrap_or_default());
                row.figure(Some(line.points));
                row.figure(Some(line.max));
                if bonus {
                    row.figure(Some(line.bonus));
                }
                if deduction {
                    row.figure(Some(line.deduction));
                }
                for f in &line.fields {
                    row.figure(*f);
                }
                for &r in line.field_ranks {
                    row.shown(r);
                }
                row.figure(line.index_self);
                row.text(if line.index.is_none() { "nothing-applies" } else { "" });
                row.end();
            }
            row.writer.into_inner().unwrap_or_default()
        })
        .collect();
    for chunk in chunks {
        out.extend_from_slice(&chunk);
    }
    out
}

/// Lines written at a time on one core.
const CHUNK: usize = 512;

/// One chunk's rows, written cell by cell without a string per cell.
struct Row {
    writer: ::csv::Writer<Vec<u8>>,
    scratch: String,
    places: u32,
}

impl Row {
    fn cell(&mut self, bytes: &[u8]) {
        // Writing to memory cannot fail.
        self.writer.write_field(bytes).expect("writing CSV to memory");
    }

    /// A text, kept from being read as a formula.
    fn text(&mut self, text: &str) {
        self.cell(super::escape::formula(text).as_bytes());
    }

    /// A figure to the set's decimals; empty for none.
    fn figure(&mut self, v: Option<Decimal>) {
        self.shown(v.map(|mut v| {
            v.rescale(self.places);
            v
        }));
    }

    /// Anything as it is displayed, through one reused string; empty for none.
    fn shown(&mut self, v: Option<impl std::fmt::Display>) {
        let mut text = std::mem::take(&mut self.scratch);
        text.clear();
        if let Some(v) = v {
            // Formatting into a string cannot fail.
            let _ = write!(text, "{v}");
        }
        self.cell(text.as_bytes());
        self.scratch = text;
    }

    fn end(&mut self) {
        self.writer.write_record(None::<&[u8]>).expect("writing CSV to memory");
    }
}

fn write(writer: &mut ::csv::Writer<Vec<u8>>, row: &[String]) {
    // Writing to memory cannot fail.
    writer.write_record(row).expect("writing CSV to memory");
}
