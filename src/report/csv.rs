//! CSV: one row per agency, the rounded figures and the exact index, for spreadsheets and
//! scripts. Written with a UTF-8 byte-order mark so that Excel shows Vietnamese text.

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
    for (group, lines) in report.groups() {
        for line in lines {
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
            if report.has_kind(Kind::Bonus) {
                row.push(fixed(line.bonus));
            }
            if report.has_kind(Kind::Deduction) {
                row.push(fixed(line.deduction));
            }
            row.extend(line.fields.iter().map(|f| f.map(fixed).unwrap_or_default()));
            row.push(line.index_self.map(fixed).unwrap_or_default());
            row.push(if line.index.is_none() { "nothing-applies".into() } else { String::new() });
            write(&mut writer, &row);
        }
    }
    writer.into_inner().unwrap_or_default()
}

fn write(writer: &mut ::csv::Writer<Vec<u8>>, row: &[String]) {
    // Writing to memory cannot fail.
    writer.write_record(row).expect("writing CSV to memory");
}
