//! CSV: one row per agency, the rounded figures and the exact index, for spreadsheets and
//! scripts. Written with a UTF-8 byte-order mark so that Excel shows Vietnamese text.

use rayon::prelude::*;

use super::Report;
use crate::criteria::Kind;

pub fn render(report: &Report<'_>) -> Vec<u8> {
    let set = report.set();
    let d = set.decimals;
    let fields = report.fields();
    let mut writer = ::csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let mut header: Vec<String> =
        ["agency", "name", "group", "rank", "index", "index_exact", "grade", "points", "max"]
            .map(String::from)
            .to_vec();
    if report.has_kind(Kind::Bonus) {
        header.push("bonus".into());
    }
    if report.has_kind(Kind::Deduction) {
        header.push("deduction".into());
    }
    header.extend(fields.iter().map(|&f| set.nodes[f].code.clone()));
    header.extend(["index_self", "unranked"].map(String::from));
    write(&mut writer, &header);
    let fixed = |v: rust_decimal::Decimal| {
        let mut v = v;
        v.rescale(d);
        v.to_string()
    };
    let bonus = report.has_kind(Kind::Bonus);
    let deduction = report.has_kind(Kind::Deduction);
    let mut out = writer.into_inner().unwrap_or_default();
    for (group, lines) in report.groups() {
        // Each line is written on its own, on every core, and the lines joined in order.
        let rows: Vec<Vec<u8>> = lines
            .par_iter()
            .map(|line| {
                let text = |t: &str| super::xlsx::neutralise(t).into_owned();
                let mut row = vec![
                    text(&line.agency.id),
                    text(&line.agency.name),
                    text(group),
                    line.rank.map(|r| r.to_string()).unwrap_or_default(),
                    line.index.map(fixed).unwrap_or_default(),
                    line.index_exact.map(|x| x.to_string()).unwrap_or_default(),
                    text(line.grade.unwrap_or_default()),
                    fixed(line.points),
                    fixed(line.max),
                ];
                if bonus {
                    row.push(fixed(line.bonus));
                }
                if deduction {
                    row.push(fixed(line.deduction));
                }
                row.extend(line.fields.iter().map(|f| f.map(fixed).unwrap_or_default()));
                row.push(line.index_self.map(fixed).unwrap_or_default());
                row.push(if line.index.is_none() {
                    "nothing-applies".into()
                } else {
                    String::new()
                });
                let mut writer = ::csv::Writer::from_writer(Vec::with_capacity(256));
                write(&mut writer, &row);
                writer.into_inner().unwrap_or_default()
            })
            .collect();
        for row in rows {
            out.extend_from_slice(&row);
        }
    }
    out
}

fn write(writer: &mut ::csv::Writer<Vec<u8>>, row: &[String]) {
    // Writing to memory cannot fail.
    writer.write_record(row).expect("writing CSV to memory");
}
