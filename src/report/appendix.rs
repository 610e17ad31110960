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
    let upper = crate::text::nfc(&issuer.to_uppercase());
    // A decision signed by the chairman ("Chủ tịch Ủy ban nhân dân tỉnh …") is headed by
    // the body, as a document's heading names the agency, not the person.
    let upper = upper.strip_prefix("CHỦ TỊCH").map_or(upper.as_str(), str::trim_start).to_string();
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
    // The columns after the fields, each with its header and the least width it takes
    // at 13 point: wide enough for "100,00" (or the grade's name) and for the longest
    // word of its header in bold.
    let mut tail: Vec<(&str, u32)> = Vec::new();
    if bonus {
        tail.push((w.bonus, mm(13)));
    }
    if deduction {
        tail.push((w.deduction, mm(13)));
    }
    tail.push((w.total, mm(15)));
    if with_max {
        tail.push((w.max, mm(15)));
    }
    tail.extend([(w.index, mm(14)), (w.rank, mm(13)), (w.grade, mm(20))]);
    let (widths, size) = layout(page.text_width(), fields.len(), &tail);

    // Runs are given a size only where it is not the document's own.
    let sized = |look: Look| if size == LARGEST { look } else { look.sized(size) };
    let head = sized(Look::PLAIN.bold().centred());
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
    let number = sized(Look::PLAIN.right());
    let centre = sized(Look::PLAIN.centred());
    let dash = || "—".to_string();
    let rows = lines
        .iter()
        .enumerate()
        .map(|(k, l)| {
            let mut row = vec![
                Cell::new((k + 1).to_string(), centre),
                Cell::new(l.agency.name.clone(), sized(Look::PLAIN)),
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

/// The table's font size where its columns fit the page at 13 point (and the appendix
/// is set in): the size the decree asks for.
const LARGEST: usize = docx::TEXT;
/// The least size a table is set in, 8 point, before its columns are narrowed instead.
const SMALLEST: usize = 16;

/// The columns' widths (STT, the agency's name, each field, then `tail`, each given with
/// its header and its least width at 13 point) and the table's font size, in half points.
///
/// At 13 point the fields take 12.5 to 16 mm each and the agency's name what is left,
/// 45 mm where it can, 25 mm at least. A set of more fields than that leaves room for
/// (from about nine, with bonus, deduction and max) is set smaller, every width with it,
/// at the largest size at which the table fits the page, down to 8 point; past that
/// (some forty fields) the columns are narrowed to the page and figures may wrap. No
/// column is ever left beyond the page's edge, where the total, index and rank would be
/// lost from the printed appendix.
fn layout(text_width: u32, fields: usize, tail: &[(&str, u32)]) -> (Vec<u32>, usize) {
    let n = u32::try_from(fields).unwrap_or(u32::MAX);
    let widths_at = |size: usize| {
        let at = |w: u32| scaled(w, size);
        let tail: Vec<u32> = tail.iter().map(|&(header, least)| fit(header, least, size)).collect();
        let order = at(mm(12));
        let fixed = order + tail.iter().sum::<u32>();
        let room = text_width.saturating_sub(fixed);
        // The fields share what the agency's name leaves: 12.5 to 16 mm each at 13 point
        // ("12,50" needs 10.3 mm and the cell's margins 2), the name keeping 45 mm where
        // it can; a figure never wraps, a name may.
        let field = (room.saturating_sub(at(mm(45))) / n.max(1)).clamp(at(mm(25) / 2), at(mm(16)));
        let name = room.saturating_sub(field.saturating_mul(n)).max(at(mm(25)));
        let mut widths = vec![order, name];
        widths.extend(std::iter::repeat_n(field, fields));
        widths.extend(tail);
        widths
    };
    for size in (SMALLEST..=LARGEST).rev() {
        let widths = widths_at(size);
        if widths.iter().map(|&w| u64::from(w)).sum::<u64>() <= u64::from(text_width) {
            return (widths, size);
        }
    }
    // Even 8 point does not fit: every column narrowed in proportion to the page.
    let widths = widths_at(SMALLEST);
    let total: u64 = widths.iter().map(|&w| u64::from(w)).sum();
    let narrowed = widths
        .iter()
        .map(|&w| u32::try_from(u64::from(w) * u64::from(text_width) / total).unwrap_or(w))
        .collect();
    (narrowed, SMALLEST)
}

/// A width measured at 13 point, at `size` half points: the text in it scales, the
/// cell's margins (2 mm) do not.
fn scaled(width: u32, size: usize) -> u32 {
    let size = u32::try_from(size).unwrap_or(u32::MAX);
    let text = width.saturating_sub(mm(2));
    mm(2) + text * size / 26
}

/// A column's width at `size`: `least` (at 13 point), or more where the longest word of
/// its `header` needs it in bold (a letter of Times New Roman bold is about 2.6 mm wide
/// at 13 point on average; the cell's margins take 2 mm).
fn fit(header: &str, least: u32, size: usize) -> u32 {
    let longest = header.split_whitespace().map(|word| word.chars().count()).max().unwrap_or(0);
    let letters = u32::try_from(longest).unwrap_or(u32::MAX).saturating_mul(mm(26)) / 10;
    scaled((mm(2) + letters).max(least), size)
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
        assert_eq!(
            issuer_lines(Some("Chủ tịch Ủy ban nhân dân thành phố Hà Nội")),
            ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI"]
        );
        assert_eq!(issuer_lines(None), [DOTS.repeat(4)]);
    }

    /// The appendix's columns at 13 point with a bonus, a deduction and the max.
    fn tail() -> Vec<(&'static str, u32)> {
        let w = words(Lang::Vi);
        vec![
            (w.bonus, mm(13)),
            (w.deduction, mm(13)),
            (w.total, mm(15)),
            (w.max, mm(15)),
            (w.index, mm(14)),
            (w.rank, mm(13)),
            (w.grade, mm(20)),
        ]
    }

    #[test]
    fn a_wide_set_keeps_every_column_on_the_page() {
        let width = Page::Landscape.text_width();
        let total = |widths: &[u32]| widths.iter().sum::<u32>();
        // Eight fields, as most sets have: 13 point, the name keeps room.
        let (widths, size) = layout(width, 8, &tail());
        assert_eq!((size, widths.len()), (26, 2 + 8 + 7));
        assert!(total(&widths) <= width && widths[1] >= mm(25), "{widths:?}");
        // Twenty fields ran 44% past the page's right edge at 13 point, losing the total,
        // index, rank and grade from the print: now smaller type, and the page holds it.
        let mut last = 26;
        for fields in [12, 20, 40, 100] {
            let (widths, size) = layout(width, fields, &tail());
            assert_eq!(widths.len(), 2 + fields + 7);
            assert!(total(&widths) <= width, "{fields} fields: {} > {width}", total(&widths));
            assert!((SMALLEST..=last).contains(&size), "{fields} fields at {size}");
            last = size;
        }
        assert!(layout(width, 12, &tail()).1 < 26);
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
