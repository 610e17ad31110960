//! `score --format docx`: the appendix of the decision that publishes a round's results
//! (phụ lục kèm theo quyết định) — the heading block, then one table per group: STT,
//! agency, points per field, bonus, deduction, total, index, rank, grade — on A4
//! landscape pages whose header rows repeat.

use docx_rs::Docx;

use crate::model::criteria::Kind;
use crate::model::decision::{Date, Decision};
use crate::model::output::Lang;
use crate::report::docx::{self, Cell, Look, Merge, Page, mm};
use crate::report::{Line, Report, figure};

/// The words of the appendix.
struct Words {
    appendix: &'static str,
    attached: &'static str,
    number: &'static str,
    dated: &'static str,
    of: &'static str,
    order: &'static str,
    agency: &'static str,
    field_points: &'static str,
    bonus: &'static str,
    deduction: &'static str,
    total: &'static str,
    max: &'static str,
    index: &'static str,
    rank: &'static str,
    grade: &'static str,
    fields: &'static str,
    points: &'static str,
}

const VI: Words = Words {
    appendix: "PHỤ LỤC",
    attached: "Kèm theo Quyết định số",
    number: "/QĐ-UBND",
    dated: "ngày",
    of: "của",
    order: "STT",
    agency: "Tên cơ quan, đơn vị",
    field_points: "Điểm theo lĩnh vực",
    bonus: "Điểm thưởng",
    deduction: "Điểm trừ",
    total: "Tổng điểm",
    max: "Điểm tối đa",
    index: "Chỉ số (%)",
    rank: "Xếp hạng",
    grade: "Xếp loại",
    fields: "Các lĩnh vực",
    points: "điểm",
};

const EN: Words = Words {
    appendix: "APPENDIX",
    attached: "Attached to Decision No.",
    number: "/QĐ-UBND",
    dated: "dated",
    of: "of",
    order: "No.",
    agency: "Agency",
    field_points: "Points by field",
    bonus: "Bonus",
    deduction: "Penalty",
    total: "Total",
    max: "Max",
    index: "PAR index (%)",
    rank: "Rank",
    grade: "Grade",
    fields: "Fields",
    points: "points",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}

/// What is left for the officer to fill in by hand.
const DOTS: &str = "……";

/// The appendix's bytes.
pub(crate) fn render(report: &Report<'_>) -> Vec<u8> {
    let page = Page::Landscape;
    let mut doc = docx::document(page);
    doc = heading(doc, report, page);
    let groups = report.groups();
    let numbered = groups.len() > 1;
    for (k, (group, lines)) in groups.iter().enumerate() {
        if numbered {
            let label = report.group_label(group).to_uppercase();
            let text = format!("{}. {label}", docx::roman(k + 1));
            doc = doc.add_paragraph(docx::paragraph(&text, Look::PLAIN.bold()));
        }
        doc = doc.add_table(group_table(report, lines, page));
        doc = doc.add_paragraph(docx::paragraph("", Look::PLAIN));
    }
    doc = doc.add_paragraph(docx::paragraph(&legend(report), Look::PLAIN.italic()));
    if let Some(note) = report.footnote() {
        doc = doc.add_paragraph(docx::paragraph(&note, Look::PLAIN.italic()));
    }
    docx::finish(doc, &report.audit.map(crate::audit::Audit::properties).unwrap_or_default())
}

/// The heading block: the issuing body on the left, then "PHỤ LỤC", the title and the
/// decision it is attached to, centred.
fn heading(doc: Docx, report: &Report<'_>, page: Page) -> Docx {
    let w = words(report.lang);
    let decision = &report.round.decision;
    let issuer = issuer_lines(decision.issuer.as_deref());
    let left: Vec<_> = issuer
        .iter()
        .map(|line| docx::paragraph(line, Look::PLAIN.bold().centred()))
        .chain([docx::paragraph("________", Look::PLAIN.centred())])
        .collect();
    let mut doc = doc.add_table(docx::heading_block(left, Vec::new(), page));
    let appendix = match &decision.appendix {
        Some(n) => format!("{} {n}", w.appendix),
        None => w.appendix.to_string(),
    };
    let title = decision.title.clone().unwrap_or_else(|| report.title()).to_uppercase();
    doc = doc
        .add_paragraph(docx::paragraph("", Look::PLAIN))
        .add_paragraph(docx::paragraph(&appendix, Look::PLAIN.bold().heading().centred()))
        .add_paragraph(docx::paragraph(&title, Look::PLAIN.bold().heading().centred()))
        .add_paragraph(docx::paragraph(
            &format!("({})", attached(decision, report.lang)),
            Look::PLAIN.italic().heading().centred(),
        ))
        .add_paragraph(docx::paragraph("________", Look::PLAIN.centred()));
    doc
}

/// The issuing body in capitals on two lines, as a document's heading writes it: "ỦY BAN
/// NHÂN DÂN" over "TỈNH ĐẮK LẮK"; dots where the round file does not say.
fn issuer_lines(issuer: Option<&str>) -> Vec<String> {
    let Some(issuer) = issuer else { return vec![DOTS.repeat(4)] };
    let upper = issuer.to_uppercase();
    for body in ["ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN"] {
        if let Some(rest) = upper.strip_prefix(body).map(str::trim)
            && !rest.is_empty()
        {
            return vec![body.to_string(), rest.to_string()];
        }
    }
    vec![upper]
}

/// "Kèm theo Quyết định số 2345/QĐ-UBND ngày 05 tháng 3 năm 2026 của Ủy ban nhân dân
/// tỉnh Đắk Lắk", dots for what the round file leaves out.
fn attached(decision: &Decision, lang: Lang) -> String {
    let w = words(lang);
    let number = decision.number.clone().unwrap_or_else(|| format!("{DOTS}{}", w.number));
    let date = decision.date.map_or_else(|| blank_date(lang), |d| date_text(d, lang));
    let issuer = decision.issuer.clone().unwrap_or_else(|| DOTS.repeat(3));
    format!("{} {number} {} {date} {} {issuer}", w.attached, w.dated, w.of)
}

/// A date as administrative documents write it: "05 tháng 3 năm 2026", the day below 10
/// and the months January and February with a leading zero.
fn date_text(d: Date, lang: Lang) -> String {
    match lang {
        Lang::Vi => {
            let month = if d.month <= 2 { format!("{:02}", d.month) } else { d.month.to_string() };
            format!("{:02} tháng {month} năm {}", d.day, d.year)
        }
        Lang::En => format!("{:04}-{:02}-{:02}", d.year, d.month, d.day),
    }
}

fn blank_date(lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("{DOTS} tháng {DOTS} năm {DOTS}"),
        Lang::En => DOTS.repeat(2),
    }
}

/// Whether any agency of the report is scored on less than the set's whole: then the
/// table shows each one's max, without which its index cannot be checked.
fn maxima_differ(report: &Report<'_>, lines: &[Line<'_>]) -> bool {
    let whole = report.set().max;
    lines.iter().any(|l| l.max != whole)
}

/// One group's table.
fn group_table(report: &Report<'_>, lines: &[Line<'_>], page: Page) -> docx_rs::Table {
    let w = words(report.lang);
    let set = report.set();
    let (d, lang) = (set.decimals, report.lang);
    let fields = report.fields();
    let bonus = report.has_kind(Kind::Bonus);
    let deduction = report.has_kind(Kind::Deduction);
    let with_max = maxima_differ(report, lines);
    // The columns after the fields, each with its header and width: wide enough for
    // "100,00" (or the grade's name) in 13 point and for the longest word of its header
    // in bold.
    let mut tail: Vec<(&str, u32)> = Vec::new();
    if bonus {
        tail.push((w.bonus, fit(w.bonus, mm(13))));
    }
    if deduction {
        tail.push((w.deduction, fit(w.deduction, mm(13))));
    }
    tail.push((w.total, fit(w.total, mm(15))));
    if with_max {
        tail.push((w.max, fit(w.max, mm(15))));
    }
    tail.extend([
        (w.index, fit(w.index, mm(14))),
        (w.rank, fit(w.rank, mm(13))),
        (w.grade, fit(w.grade, mm(20))),
    ]);
    let order = mm(12);
    let fixed: u32 = order + tail.iter().map(|(_, width)| width).sum::<u32>();
    let room = page.text_width().saturating_sub(fixed);
    // The fields share what the agency's name leaves: 12.5 to 16 mm each ("12,50" in 13
    // point needs 10.3 mm and the cell's margins 2), the name keeping 45 mm where it
    // can; a figure never wraps, a name may.
    let n = u32::try_from(fields.len()).unwrap_or(u32::MAX).max(1);
    let field_width = (room.saturating_sub(mm(45)) / n).clamp(mm(25) / 2, mm(16));
    let name_width =
        room.saturating_sub(field_width * u32::try_from(fields.len()).unwrap_or(0)).max(mm(25));
    let mut widths = vec![order, name_width];
    widths.extend(std::iter::repeat_n(field_width, fields.len()));
    widths.extend(tail.iter().map(|(_, width)| *width));

    let head = Look::PLAIN.bold().centred();
    let top = |text: &str| Cell::new(text, head).merge(Merge::Start);
    let below = || Cell::new("", head).merge(Merge::Below);
    let mut first = vec![top(w.order), top(w.agency)];
    let mut second = vec![below(), below()];
    if !fields.is_empty() {
        first.push(Cell::new(w.field_points, head).span(fields.len()));
        second.extend(fields.iter().map(|&f| Cell::new(set.nodes[f].code.clone(), head)));
    }
    for (text, _) in &tail {
        first.push(top(text));
        second.push(below());
    }
    let number = Look::PLAIN.right();
    let centre = Look::PLAIN.centred();
    let dash = || "—".to_string();
    let rows = lines
        .iter()
        .enumerate()
        .map(|(k, l)| {
            let mut row = vec![
                Cell::new((k + 1).to_string(), centre),
                Cell::new(l.agency.name.clone(), Look::PLAIN),
            ];
            row.extend(
                l.fields
                    .iter()
                    .map(|f| Cell::new(f.map_or_else(dash, |f| figure(f, d, lang)), number)),
            );
            if bonus {
                row.push(Cell::new(figure(l.bonus, d, lang), number));
            }
            if deduction {
                row.push(Cell::new(figure(l.deduction, d, lang), number));
            }
            row.push(Cell::new(figure(l.points, d, lang), number.bold()));
            if with_max {
                row.push(Cell::new(figure(l.max, d, lang), number));
            }
            row.push(Cell::new(l.index.map_or_else(dash, |i| figure(i, d, lang)), number.bold()));
            row.push(Cell::new(l.rank.map_or_else(dash, |r| r.to_string()), centre));
            row.push(Cell::new(l.grade.map_or_else(dash, String::from), centre));
            row
        })
        .collect();
    docx::table(&widths, vec![first, second], rows)
}

/// A column's width: `least`, or more where the longest word of its `header` needs it in
/// 13 point bold (a letter of Times New Roman bold is about 2.6 mm wide on average; the
/// cell's margins take 2 mm).
fn fit(header: &str, least: u32) -> u32 {
    let longest = header.split_whitespace().map(|word| word.chars().count()).max().unwrap_or(0);
    let needed = mm(2) + u32::try_from(longest).unwrap_or(u32::MAX).saturating_mul(mm(26)) / 10;
    needed.max(least)
}

/// Each field's code, name and max, under the tables: the header shows codes only.
fn legend(report: &Report<'_>) -> String {
    let w = words(report.lang);
    let set = report.set();
    let d = set.decimals;
    let fields: Vec<String> = report
        .fields()
        .iter()
        .map(|&f| {
            let n = &set.nodes[f];
            format!("{} – {} ({} {})", n.code, n.name, figure(n.max, d, report.lang), w.points)
        })
        .collect();
    format!("{}: {}.", w.fields, fields.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_documents_write_them() {
        let d = |y, m, day| Date::new(y, m, day).unwrap();
        assert_eq!(date_text(d(2026, 3, 5), Lang::Vi), "05 tháng 3 năm 2026");
        assert_eq!(date_text(d(2026, 2, 15), Lang::Vi), "15 tháng 02 năm 2026");
        assert_eq!(date_text(d(2026, 12, 31), Lang::Vi), "31 tháng 12 năm 2026");
        assert_eq!(date_text(d(2026, 1, 9), Lang::En), "2026-01-09");
    }

    #[test]
    fn the_issuer_stands_on_two_lines_in_capitals() {
        assert_eq!(
            issuer_lines(Some("Ủy ban nhân dân tỉnh Đắk Lắk")),
            ["ỦY BAN NHÂN DÂN", "TỈNH ĐẮK LẮK"]
        );
        assert_eq!(issuer_lines(Some("Sở Nội vụ")), ["SỞ NỘI VỤ"]);
        assert_eq!(issuer_lines(None), [DOTS.repeat(4)]);
    }

    #[test]
    fn what_the_round_file_leaves_out_is_dots() {
        let none = Decision::default();
        assert_eq!(
            attached(&none, Lang::Vi),
            "Kèm theo Quyết định số ……/QĐ-UBND ngày …… tháng …… năm …… của ………………"
        );
        let full = Decision {
            issuer: Some("Ủy ban nhân dân tỉnh Đắk Lắk".into()),
            number: Some("2345/QĐ-UBND".into()),
            date: Date::new(2026, 3, 5),
            ..Decision::default()
        };
        assert_eq!(
            attached(&full, Lang::Vi),
            "Kèm theo Quyết định số 2345/QĐ-UBND ngày 05 tháng 3 năm 2026 của Ủy ban nhân dân tỉnh Đắk Lắk"
        );
    }
}
