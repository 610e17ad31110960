//! `explain --format docx`: the result sheet the Department of Home Affairs sends an
//! agency (phiếu kết quả) — its index, rank and grade; points per field and criterion at
//! the self and final stages; what the appraisal council changed and why; where it lost
//! most. A4 upright, as a letter is.

use crate::model::criteria::Kind;
use crate::model::layer::Stage;
use crate::model::output::Lang;
use crate::report::docx::{self, Cell, Look, Page, mm};
use crate::report::explain::Explain;
use crate::report::figure;

struct Words {
    title: &'static str,
    agency: &'static str,
    group: &'static str,
    index: &'static str,
    self_index: &'static str,
    rank: &'static str,
    rank_of: &'static str,
    grade: &'static str,
    points: &'static str,
    self_stage: &'static str,
    fields: &'static str,
    code: &'static str,
    node: &'static str,
    max: &'static str,
    own: &'static str,
    last: &'static str,
    difference: &'static str,
    field_rank: &'static str,
    changes: &'static str,
    reason: &'static str,
    no_changes: &'static str,
    gains: &'static str,
    lost: &'static str,
    index_lost: &'static str,
    earns: &'static str,
    nothing_lost: &'static str,
    more: &'static str,
}

const VI: Words = Words {
    title: "PHIẾU KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH",
    agency: "Cơ quan, đơn vị",
    group: "Nhóm",
    index: "Chỉ số CCHC",
    self_index: "Chỉ số tự đánh giá",
    rank: "Xếp hạng",
    rank_of: "trên",
    grade: "Xếp loại",
    points: "Tổng điểm",
    self_stage: "Kết quả tự đánh giá, chưa qua thẩm định.",
    fields: "Điểm theo lĩnh vực, tiêu chí",
    code: "Mã",
    node: "Lĩnh vực, tiêu chí",
    max: "Tối đa",
    own: "Tự đánh giá",
    last: "Thẩm định",
    difference: "Chênh lệch",
    field_rank: "Hạng trong nhóm",
    changes: "Nội dung Hội đồng thẩm định điều chỉnh",
    reason: "Lý do",
    no_changes: "Hội đồng thẩm định giữ nguyên điểm tự đánh giá.",
    gains: "Nội dung bị mất điểm nhiều nhất",
    lost: "Điểm mất",
    index_lost: "Chỉ số mất (%)",
    earns: "Để đạt điểm tối đa",
    nothing_lost: "Đơn vị không bị mất điểm nội dung nào.",
    more: "nội dung khác bị mất điểm: xem bảng chi tiết (parindex explain).",
};

const EN: Words = Words {
    title: "ADMINISTRATIVE REFORM INDEX: RESULT SHEET",
    agency: "Agency",
    group: "Group",
    index: "PAR index",
    self_index: "Self-assessed index",
    rank: "Rank",
    rank_of: "of",
    grade: "Grade",
    points: "Total points",
    self_stage: "Self-assessment, not yet appraised.",
    fields: "Points by field and criterion",
    code: "Code",
    node: "Field, criterion",
    max: "Max",
    own: "Self",
    last: "Appraised",
    difference: "Difference",
    field_rank: "Rank in group",
    changes: "What the appraisal council changed",
    reason: "Reason",
    no_changes: "The appraisal council kept the self-assessed points.",
    gains: "Where most points were lost",
    lost: "Lost",
    index_lost: "Index lost (%)",
    earns: "Full marks for",
    nothing_lost: "No point was lost.",
    more: "more items lost points: see the full table (parindex explain).",
};

/// How many of the leaves that lost most the sheet lists.
const GAINS_SHOWN: usize = 10;

/// The sheet's bytes.
pub(crate) fn render(view: &Explain<'_>) -> Vec<u8> {
    let w = match view.lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    };
    let page = Page::Portrait;
    let width = page.text_width();
    let set = &view.round.set;
    let (d, lang) = (set.decimals, view.lang);
    let r = &view.results.agencies[view.agency];
    let agency = &view.round.agencies[r.agency];
    let mut doc = docx::document(page)
        .add_paragraph(docx::paragraph(w.title, Look::PLAIN.bold().heading().centred()))
        .add_paragraph(docx::paragraph(
            view.round.title.as_deref().unwrap_or(&set.title),
            Look::PLAIN.bold().centred(),
        ))
        .add_paragraph(docx::paragraph("________", Look::PLAIN.centred()));

    // The summary: who, and the figures that are published.
    // An index as a percentage; "—" alone where there is none (nothing applies).
    let percent = |x: Option<rust_decimal::Decimal>| {
        x.map_or_else(|| "—".into(), |v| format!("{}%", figure(v, d, lang)))
    };
    let members: &[usize] = view
        .results
        .groups
        .iter()
        .find(|(g, _)| *g == agency.group)
        .map_or(&[], |(_, members)| members.as_slice());
    let in_group = members.iter().filter(|&&i| view.results.agencies[i].rank.is_some()).count();
    let rank = r.rank.map_or_else(|| "—".into(), |k| format!("{k} {} {in_group}", w.rank_of));
    let own = r.self_score.as_ref().and_then(|s| s.index.as_ref()).map(|i| i.round(d));
    let mut summary = vec![
        (w.agency, format!("{} ({})", agency.name, agency.id)),
        (w.group, view.round.group_name(&agency.group).to_string()),
        (w.index, percent(r.rounded)),
    ];
    if view.results.stage == Stage::Final {
        summary.push((w.self_index, percent(own)));
    }
    summary.extend([
        (w.rank, rank),
        (w.grade, r.grade.map_or("—", |g| set.grades[g].name.as_str()).to_string()),
        (
            w.points,
            format!(
                "{} / {}",
                figure(r.score.points.round(d), d, lang),
                figure(r.score.max.round(d), d, lang)
            ),
        ),
    ]);
    let label_width = mm(55);
    let rows = summary
        .into_iter()
        .map(|(label, value)| {
            vec![Cell::new(label, Look::PLAIN.bold()), Cell::new(value, Look::PLAIN)]
        })
        .collect();
    doc = doc.add_table(docx::table(&[label_width, width - label_width], Vec::new(), rows));
    if view.results.stage == Stage::SelfOnly {
        doc = doc.add_paragraph(docx::paragraph(w.self_stage, Look::PLAIN.italic()));
    }

    // I. Fields and criteria at both stages.
    let (_, detail) = view.detail_rows();
    let number = Look::PLAIN.right();
    let head = Look::PLAIN.bold().centred();
    let mut part = 0;
    let mut section = |doc: docx_rs::Docx, title: &str| {
        part += 1;
        doc.add_paragraph(docx::paragraph("", Look::PLAIN)).add_paragraph(docx::paragraph(
            &format!("{}. {title}", docx::roman(part)),
            Look::PLAIN.bold(),
        ))
    };
    doc = section(doc, w.fields);
    let figures = [mm(17), mm(20), mm(20), mm(19), mm(17)];
    let code_width = mm(14);
    let name_width = width - code_width - figures.iter().sum::<u32>();
    let mut widths = vec![code_width, name_width];
    widths.extend(figures);
    let header = vec![
        [w.code, w.node, w.max, w.own, w.last, w.difference, w.field_rank]
            .map(|h| Cell::new(h, head))
            .to_vec(),
    ];
    // Each regular field's rank in the group (who leads it), in field order, of those
    // of the group the field applies to.
    let fields: Vec<usize> =
        set.roots().filter(|(_, n)| n.kind == Kind::Regular).map(|(i, _)| i).collect();
    let field_rank = |id: usize| {
        let k = fields.iter().position(|&f| f == id)?;
        let rank = r.field_ranks.get(k).copied().flatten()?;
        let ranked = members
            .iter()
            .filter(|&&i| view.results.agencies[i].field_ranks.get(k).copied().flatten().is_some())
            .count();
        Some(format!("{rank}/{ranked}"))
    };
    let rows = set
        .nodes
        .iter()
        .zip(&detail)
        .enumerate()
        .filter(|(_, (node, _))| node.depth <= 1)
        .map(|(id, (node, row))| {
            let look = if node.depth == 0 { Look::PLAIN.bold() } else { Look::PLAIN };
            vec![
                Cell::new(node.code.clone(), look),
                Cell::new(node.name.clone(), look),
                Cell::new(row[5].clone(), number),
                Cell::new(row[2].clone(), number),
                Cell::new(row[3].clone(), number),
                Cell::new(row[4].clone(), number),
                Cell::new(field_rank(id).unwrap_or_default(), Look::PLAIN.centred()),
            ]
        })
        .collect();
    doc = doc.add_table(docx::table(&widths, header, rows));

    // II. The council's changes, leaf by leaf, with its reasons.
    if view.results.stage == Stage::Final {
        doc = section(doc, w.changes);
        let changed: Vec<Vec<Cell>> = set
            .nodes
            .iter()
            .zip(&detail)
            .enumerate()
            .filter(|(_, (node, row))| node.leaf.is_some() && !row[4].is_empty())
            .map(|(id, (node, row))| {
                vec![
                    Cell::new(node.code.clone(), Look::PLAIN),
                    Cell::new(node.name.clone(), Look::PLAIN),
                    Cell::new(row[2].clone(), number),
                    Cell::new(row[3].clone(), number),
                    Cell::new(row[4].clone(), number),
                    Cell::new(view.explanation(id).unwrap_or_default(), Look::PLAIN),
                ]
            })
            .collect();
        if changed.is_empty() {
            doc = doc.add_paragraph(docx::paragraph(w.no_changes, Look::PLAIN));
        } else {
            let figures = [mm(19), mm(19), mm(18)];
            let rest = width - code_width - figures.iter().sum::<u32>();
            let mut widths = vec![code_width, rest * 11 / 20];
            widths.extend(figures);
            widths.push(rest - rest * 11 / 20);
            let header = vec![
                [w.code, w.node, w.own, w.last, w.difference, w.reason]
                    .map(|h| Cell::new(h, head))
                    .to_vec(),
            ];
            doc = doc.add_table(docx::table(&widths, header, changed));
        }
    }

    // III. Where it lost most, and what would earn the points.
    doc = section(doc, w.gains);
    let gains = view.gains();
    if gains.is_empty() {
        doc = doc.add_paragraph(docx::paragraph(w.nothing_lost, Look::PLAIN));
    } else {
        let figures = [mm(16), mm(18)];
        let rest = width - code_width - figures.iter().sum::<u32>();
        let mut widths = vec![code_width, rest / 2];
        widths.extend(figures);
        widths.push(rest - rest / 2);
        let header = vec![
            [w.code, w.node, w.lost, w.index_lost, w.earns].map(|h| Cell::new(h, head)).to_vec(),
        ];
        let rows = gains
            .iter()
            .take(GAINS_SHOWN)
            .map(|g| {
                let node = &set.nodes[g.node];
                vec![
                    Cell::new(node.code.clone(), Look::PLAIN),
                    Cell::new(node.name.clone(), Look::PLAIN),
                    Cell::new(figure(g.lost.round(d), d, lang), number),
                    Cell::new(figure(g.index_points.round(d), d, lang), number),
                    Cell::new(view.how(g.node), Look::PLAIN),
                ]
            })
            .collect();
        doc = doc.add_table(docx::table(&widths, header, rows));
        if gains.len() > GAINS_SHOWN {
            let more = format!("{} {}", gains.len() - GAINS_SHOWN, w.more);
            doc = doc.add_paragraph(docx::paragraph(&more, Look::PLAIN.italic()));
        }
    }
    docx::finish(doc, &[])
}
