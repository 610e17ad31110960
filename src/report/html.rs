//! The published report: one self-contained HTML file (inline CSS and SVG, nothing
//! fetched) with the round's inputs and their digests, the ranked tables coloured by
//! grade, charts of the indexes and the grades, a heat map of field sub-indexes, and a
//! card per agency. Charts carry their figures as text, so they read in black and white.

use std::fmt::Write as _;

use minijinja::Environment;
use rust_decimal::Decimal;
use serde::Serialize;

use rayon::prelude::*;

use super::explain::Explain;
use super::{Lang, Report, figure};
use crate::model::layer::Stage;
use crate::model::round::Role;
use crate::score::figure::Figure;
use crate::score::results::{Results, Whole};

const TEMPLATE: &str = include_str!("html/report.html");

#[derive(Serialize)]
struct Words {
    criteria: &'static str,
    year: &'static str,
    stage: &'static str,
    tool: &'static str,
    grades: &'static str,
    group: &'static str,
    unranked: &'static str,
    nothing_applies: &'static str,
    index_chart: &'static str,
    field_ranks: &'static str,
    heatmap: &'static str,
    agency: &'static str,
    cards: &'static str,
    rank: &'static str,
    gains: &'static str,
    nothing_lost: &'static str,
    changes: &'static str,
    no_changes: &'static str,
    footer: &'static str,
}

const VI: Words = Words {
    criteria: "Bộ tiêu chí",
    year: "Năm",
    stage: "Giai đoạn",
    tool: "Công cụ",
    grades: "Xếp loại",
    group: "Nhóm",
    unranked: "Không xếp hạng",
    nothing_applies: "không có tiêu chí nào được áp dụng",
    index_chart: "Chỉ số CCHC theo đơn vị",
    field_ranks: "Xếp hạng theo lĩnh vực",
    heatmap: "Chỉ số thành phần theo lĩnh vực (%)",
    agency: "Cơ quan, đơn vị",
    cards: "Từng cơ quan, đơn vị",
    rank: "hạng",
    gains: "Nơi có thể tăng điểm",
    nothing_lost: "Không mất điểm nào.",
    changes: "Hội đồng thẩm định điều chỉnh",
    no_changes: "Không điều chỉnh.",
    footer: "Điểm tính chính xác, làm tròn một lần theo quy tắc làm tròn xa số 0. Mỗi tệp đầu vào được ghi kèm mã SHA-256 để đối chiếu.",
};

const EN: Words = Words {
    criteria: "Criteria set",
    year: "Year",
    stage: "Stage",
    tool: "Tool",
    grades: "Grades",
    group: "Group",
    unranked: "Not ranked",
    nothing_applies: "no criterion applies",
    index_chart: "Index per agency",
    field_ranks: "Rank in each field",
    heatmap: "Field sub-indexes (%)",
    agency: "Agency",
    cards: "Each agency",
    rank: "rank",
    gains: "Where to gain",
    nothing_lost: "No point was lost.",
    changes: "Changed by the appraisal council",
    no_changes: "No change.",
    footer: "Figures are exact, rounded once, half away from zero. Each input file is cited with its SHA-256 digest so that the report can be traced to it.",
};

#[derive(Serialize)]
struct Page {
    lang: &'static str,
    title: String,
    year: Option<i64>,
    stage: &'static str,
    tool: String,
    /// The audit trail as compact JSON, for `parindex verify`.
    audit: Option<String>,
    criteria_id: String,
    criteria_title: String,
    inputs: Vec<InputOut>,
    w: &'static Words,
    grades: Vec<GradeOut>,
    grade_chart: String,
    header: Vec<String>,
    /// The header of each group's table of ranks in each field.
    rank_header: Vec<String>,
    groups: Vec<GroupOut>,
    fields: Vec<FieldOut>,
    /// Under `round_fields = "sum"`: that the fields are apportioned.
    footnote: Option<String>,
    heat: Vec<HeatRow>,
    cards: Vec<Card>,
}

#[derive(Serialize)]
struct InputOut {
    role: Role,
    path: String,
    sha256: String,
}

#[derive(Serialize)]
struct GradeOut {
    name: String,
    min: String,
    class: usize,
}

#[derive(Serialize)]
struct GroupOut {
    name: String,
    rows: Vec<RowOut>,
    /// Each agency's rank in each field.
    ranks: Vec<Vec<CellOut>>,
    unranked: Vec<String>,
    chart: String,
}

#[derive(Serialize)]
struct RowOut {
    class: usize,
    cells: Vec<CellOut>,
}

#[derive(Serialize)]
struct CellOut {
    kind: &'static str,
    text: String,
}

#[derive(Serialize)]
struct FieldOut {
    code: String,
    name: String,
}

#[derive(Serialize)]
struct HeatRow {
    name: String,
    cells: Vec<HeatCell>,
}

#[derive(Serialize)]
struct HeatCell {
    text: String,
    color: String,
}

#[derive(Serialize)]
struct Card {
    name: String,
    id: String,
    group: String,
    rank: String,
    index: String,
    grade: String,
    class: usize,
    radar: String,
    gains: Vec<GainOut>,
    changes: Vec<ChangeOut>,
}

#[derive(Serialize)]
struct GainOut {
    code: String,
    name: String,
    lost: String,
    how: String,
}

#[derive(Serialize)]
struct ChangeOut {
    code: String,
    own: String,
    last: String,
    why: String,
}

/// Text safe inside SVG and HTML.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A number as f64, for drawing only; every figure shown is the exact one, as text.
fn draw(value: Decimal) -> f64 {
    value.to_string().parse().unwrap_or(0.0)
}

/// A count as a drawing coordinate.
fn px(n: usize) -> f64 {
    f64::from(u32::try_from(n).unwrap_or(u32::MAX))
}

/// The grade class of an index (0 best); the last class for no grade.
fn class(grade: Option<usize>, grades: usize) -> usize {
    grade.unwrap_or(grades.max(5)).min(5)
}

/// Renders the report.
/// The page, made in memory.
pub(super) fn render(report: &Report<'_>) -> Vec<u8> {
    let whole = Whole::new(report.round, report.results.stage);
    let mut bytes = Vec::new();
    write(report, &whole, &mut bytes).expect("writing to memory does not fail");
    bytes
}

/// How many cards are made at once, on every core, before they are written.
const BATCH: usize = 256;

/// The page, written to `w` as it is made: the tables, then the agencies' cards a batch
/// at a time, each agency scored whole by `whole` as its card is made and let go, so
/// that a round of 100,000 agencies never holds every agency's tree. The report's
/// results need only the fields (see [`crate::score::results::Detail::Fields`]).
pub(super) fn write(
    report: &Report<'_>,
    whole: &Whole<'_>,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let set = report.set();
    let places = set.decimals;
    let lang = report.lang;
    let words = match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    };
    let fields = report.fields();
    let groups = report.groups();
    let shown = |v: Decimal| figure(v, places, lang);
    let grade_mins: Vec<(String, f64)> =
        set.grades.iter().map(|g| (g.name.clone(), draw(g.min))).collect();

    // One group's section: its ranked table, its ranks in each field, its chart.
    let group_out = |(name, lines): &(&str, Vec<super::Line<'_>>)| {
        let rows = lines
            .iter()
            .map(|l| {
                let cells = report
                    .cells(l)
                    .into_iter()
                    .enumerate()
                    .map(|(i, text)| CellOut {
                        kind: if i == 1 || i == 2 { "name" } else { "num" },
                        text,
                    })
                    .collect();
                RowOut {
                    class: class(report.results.agencies[l.result].grade, set.grades.len()),
                    cells,
                }
            })
            .collect();
        let unranked = lines
            .iter()
            .filter(|l| l.index.is_none())
            .map(|l| format!("{} ({})", l.agency.name, l.agency.id))
            .collect();
        let bars: Vec<(String, Option<Decimal>, usize)> = lines
            .iter()
            .map(|l| {
                (
                    l.agency.name.clone(),
                    l.index,
                    class(report.results.agencies[l.result].grade, set.grades.len()),
                )
            })
            .collect();
        let ranks = lines
            .iter()
            .map(|l| {
                l.field_rank_cells()
                    .into_iter()
                    .enumerate()
                    .map(|(i, text)| CellOut {
                        kind: if i == 1 || i == 2 { "name" } else { "num" },
                        text,
                    })
                    .collect()
            })
            .collect();
        GroupOut {
            name: report.group_label(name).to_string(),
            rows,
            ranks,
            unranked,
            chart: index_chart(&bars, &grade_mins, places, lang),
        }
    };

    let mut counts = vec![0usize; set.grades.len()];
    let mut ungraded = 0;
    for (_, lines) in &groups {
        for l in lines {
            match report.results.agencies[l.result].grade {
                Some(g) => counts[g] += 1,
                None => ungraded += 1,
            }
        }
    }
    let grade_chart = grade_chart(
        &set.grades.iter().map(|g| g.name.clone()).collect::<Vec<_>>(),
        &counts,
        ungraded,
        lang,
    );

    // One agency's row of the heat map.
    let heat_row = |l: &super::Line<'_>| {
        let s = &report.results.agencies[l.result].score;
        HeatRow {
            name: l.agency.name.clone(),
            cells: fields
                .iter()
                .map(|&f| match s.nodes[f].sub_index() {
                    Some(x) => {
                        let v = x.round(places);
                        HeatCell { text: figure(x.round(0), 0, lang), color: heat_color(draw(v)) }
                    }
                    None => HeatCell { text: "—".into(), color: "#ffffff".into() },
                })
                .collect(),
        }
    };

    // One agency's card, its tree scored whole for it alone.
    let card = |l: &super::Line<'_>| {
        let shown_as = &report.results.agencies[l.result];
        let results = Results {
            stage: report.results.stage,
            agencies: vec![whole.agency(shown_as.agency)],
            groups: Vec::new(),
        };
        let r = &results.agencies[0];
        let view = Explain { round: report.round, results: &results, agency: 0, lang };
        let gains = view
            .gains()
            .into_iter()
            .take(5)
            .map(|g| GainOut {
                code: set.nodes[g.node].code.clone(),
                name: set.nodes[g.node].name.clone(),
                lost: shown(g.lost.round(places)),
                how: view.how(g.node),
            })
            .collect();
        let changes = match &r.self_score {
            None => Vec::new(),
            Some(own) => set
                .leaves()
                .filter(|(id, _, _)| own.nodes[*id].points != r.score.nodes[*id].points)
                .map(|(id, node, _)| ChangeOut {
                    code: node.code.clone(),
                    own: shown(own.nodes[id].points.round(places)),
                    last: shown(r.score.nodes[id].points.round(places)),
                    why: view.explanation(id).unwrap_or_default(),
                })
                .collect(),
        };
        let axes: Vec<(String, Option<Figure>)> = fields
            .iter()
            .map(|&f| (set.nodes[f].code.clone(), r.score.nodes[f].sub_index()))
            .collect();
        Card {
            name: l.agency.name.clone(),
            id: l.agency.id.clone(),
            group: report.group_label(&l.agency.group).to_string(),
            rank: l.rank.map_or_else(|| "—".into(), |k| k.to_string()),
            index: l.index.map_or_else(|| "—".into(), shown),
            grade: l.grade.unwrap_or("—").to_string(),
            class: class(shown_as.grade, set.grades.len()),
            radar: radar(&axes, lang),
            gains,
            changes,
        }
    };

    let mut page = Page {
        lang: match lang {
            Lang::Vi => "vi",
            Lang::En => "en",
        },
        title: report.title(),
        year: report.round.year,
        stage: match (report.results.stage, lang) {
            (Stage::Final, Lang::Vi) => "thẩm định (kết quả cuối cùng)",
            (Stage::Final, Lang::En) => "final (appraised)",
            (Stage::SelfOnly, Lang::Vi) => "tự đánh giá",
            (Stage::SelfOnly, Lang::En) => "self-assessment",
        },
        tool: format!("parindex {}", env!("CARGO_PKG_VERSION")),
        audit: report.audit.map(|a| serde_json::to_string(a).expect("an audit serialises to JSON")),
        criteria_id: set.id.clone(),
        criteria_title: set.title.clone(),
        inputs: report
            .round
            .inputs
            .iter()
            .map(|f| InputOut { role: f.role, path: f.path.clone(), sha256: f.sha256.clone() })
            .collect(),
        w: words,
        grades: set
            .grades
            .iter()
            .enumerate()
            .map(|(i, g)| GradeOut {
                name: g.name.clone(),
                min: g.min.normalize().to_string(),
                class: class(Some(i), set.grades.len()),
            })
            .collect(),
        grade_chart,
        footnote: report.footnote(),
        header: report.columns(),
        rank_header: report.field_rank_columns(),
        groups: Vec::new(),
        fields: fields
            .iter()
            .map(|&f| FieldOut { code: set.nodes[f].code.clone(), name: set.nodes[f].name.clone() })
            .collect(),
        heat: Vec::new(),
        cards: Vec::new(),
    };
    // The template in parts: the loops over the groups, the heat map's rows and the
    // cards, each made a batch at a time with the page's other fields, and what lies
    // between them. The names end in .html, which has every text escaped.
    let parts = parts();
    let mut env = Environment::new();
    // Each part keeps the line end it ends with, as the whole template kept those
    // inside it; the whole one's last is dropped, as it was.
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .build()
            .expect("the default syntax"),
    );
    for (k, part) in parts.iter().enumerate() {
        env.add_template_owned(format!("{k}.html"), *part).expect("the report template is valid");
    }
    // A failure to write (a closed pipe, a full disk) keeps its kind.
    let io = |e: minijinja::Error| {
        let kind = std::error::Error::source(&e)
            .and_then(|s| s.downcast_ref::<std::io::Error>())
            .map_or(std::io::ErrorKind::Other, std::io::Error::kind);
        std::io::Error::new(kind, e.to_string())
    };
    let part = |k: usize, page: &Page, w: &mut dyn std::io::Write| {
        env.get_template(&format!("{k}.html"))
            .expect("the report template is valid")
            .render_captured_to(minijinja::value::Serde(page), w)
            .map(drop)
            .map_err(io)
    };
    part(0, &page, w)?;
    for batch in groups.chunks(GROUPS) {
        page.groups = batch.par_iter().map(group_out).collect();
        part(1, &page, w)?;
    }
    page.groups = Vec::new();
    part(2, &page, w)?;
    let lines: Vec<&super::Line<'_>> = groups.iter().flat_map(|(_, lines)| lines.iter()).collect();
    for batch in lines.chunks(ROWS) {
        page.heat = batch.iter().map(|l| heat_row(l)).collect();
        part(3, &page, w)?;
    }
    page.heat = Vec::new();
    part(4, &page, w)?;
    for batch in lines.chunks(BATCH) {
        page.cards = batch.par_iter().map(|l| card(l)).collect();
        part(5, &page, w)?;
    }
    page.cards = Vec::new();
    part(6, &page, w)
}

/// Groups, and rows of the heat map, made at once before they are written.
const GROUPS: usize = 16;
const ROWS: usize = 4096;

/// The template cut around its three loops over agencies, each part ending where the
/// next begins: before the groups, the groups' loop, up to the heat map's rows, their
/// loop, up to the cards, their loop, and the rest (its last line end dropped, as a
/// whole template's is).
fn parts() -> [&'static str; 7] {
    // Each loop, by where it begins and the end of its last line, which no inner loop
    // ends with.
    const LOOPS: [(&str, &str); 3] = [
        ("{% for g in groups %}", "</section>\n{% endfor %}"),
        ("{% for r in heat %}", "</tr>\n{% endfor %}"),
        ("{% for c in cards %}", "</article>\n{% endfor %}"),
    ];
    let mut cuts = Vec::new();
    let mut from = 0;
    for (begin, end) in LOOPS {
        let start = from + TEMPLATE[from..].find(begin).expect("the template has its loops");
        let stop = start + TEMPLATE[start..].find(end).expect("each loop ends") + end.len();
        cuts.extend([start, stop]);
        from = stop;
    }
    let at = |k: usize| cuts[k];
    let last = &TEMPLATE[at(5)..];
    [
        &TEMPLATE[..at(0)],
        &TEMPLATE[at(0)..at(1)],
        &TEMPLATE[at(1)..at(2)],
        &TEMPLATE[at(2)..at(3)],
        &TEMPLATE[at(3)..at(4)],
        &TEMPLATE[at(4)..at(5)],
        last.strip_suffix('\n').unwrap_or(last),
    ]
}

/// A pale-to-strong blue for a sub-index: light enough that its figure prints legibly.
fn heat_color(value: f64) -> String {
    let t = (value / 100.0).clamp(0.0, 1.0);
    // From #fde0dd (low) through #ffffff to #9ecae1 (high).
    let (r, g, b) = if t < 0.5 {
        let k = t / 0.5;
        (253.0 + (255.0 - 253.0) * k, 224.0 + (255.0 - 224.0) * k, 221.0 + (255.0 - 221.0) * k)
    } else {
        let k = (t - 0.5) / 0.5;
        (255.0 + (158.0 - 255.0) * k, 255.0 + (202.0 - 255.0) * k, 255.0 + (225.0 - 255.0) * k)
    };
    format!("#{:02x}{:02x}{:02x}", channel(r), channel(g), channel(b))
}

/// A colour channel, kept within 0..=255 before it is made a byte.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn channel(v: f64) -> u8 {
    v.round().clamp(0.0, 255.0) as u8
}

const FILLS: [&str; 6] = ["#66bb6a", "#9ccc65", "#fdd835", "#ffa726", "#ef5350", "#bdbdbd"];

/// Horizontal bars of the index, one per agency, with the grade thresholds as dashed
/// lines named at the top and each figure written at the bar's end.
fn index_chart(
    bars: &[(String, Option<Decimal>, usize)],
    grade_mins: &[(String, f64)],
    d: u32,
    lang: Lang,
) -> String {
    let (left, width, row) = (260.0, 560.0, 20.0);
    let top = 28.0;
    let height = top + row * px(bars.len()) + 10.0;
    let x = |v: f64| left + width * v / 100.0;
    let mut svg = format!(
        r#"<svg class="chart" viewBox="0 0 {} {height}" role="img" font-family="inherit" font-size="11">"#,
        left + width + 70.0
    );
    for (name, min) in grade_mins {
        let gx = x(*min);
        let _ = write!(
            svg,
            r##"<line x1="{gx:.1}" y1="{:.1}" x2="{gx:.1}" y2="{:.1}" stroke="#555" stroke-dasharray="3,3"/><text x="{gx:.1}" y="12" text-anchor="middle" fill="#333">{} {}</text>"##,
            top - 8.0,
            height - 6.0,
            xml(name),
            min
        );
    }
    for (i, (name, value, class)) in bars.iter().enumerate() {
        let y = top + row * px(i);
        let label: String = name.chars().take(40).collect();
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            left - 6.0,
            y + 13.0,
            xml(&label)
        );
        match value {
            Some(v) => {
                let end = x(draw(*v));
                let _ = write!(
                    svg,
                    r##"<rect x="{left}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{}" stroke="#333" stroke-width="0.6"/><text x="{:.1}" y="{:.1}">{}</text>"##,
                    y + 3.0,
                    end - left,
                    row - 6.0,
                    FILLS[*class],
                    end + 4.0,
                    y + 13.0,
                    figure(*v, d, lang)
                );
            }
            None => {
                let _ = write!(svg, r#"<text x="{left}" y="{:.1}">—</text>"#, y + 13.0);
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

/// How many agencies earned each grade, as labelled bars.
fn grade_chart(names: &[String], counts: &[usize], ungraded: usize, lang: Lang) -> String {
    let mut rows: Vec<(String, usize, usize)> =
        names.iter().zip(counts).enumerate().map(|(i, (n, c))| (n.clone(), *c, i.min(5))).collect();
    if ungraded > 0 {
        rows.push((
            if lang == Lang::Vi { "Chưa xếp loại" } else { "No grade" }.into(),
            ungraded,
            5,
        ));
    }
    let most = px(rows.iter().map(|r| r.1).max().unwrap_or(1).max(1));
    let (left, width, row) = (140.0, 400.0, 22.0);
    let height = row * px(rows.len()) + 6.0;
    let mut svg = format!(
        r#"<svg class="chart" style="max-width: 640px" viewBox="0 0 {} {height}" role="img" font-family="inherit" font-size="12">"#,
        left + width + 60.0
    );
    for (i, (name, count, class)) in rows.iter().enumerate() {
        let y = row * px(i);
        let w = width * px(*count) / most;
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text><rect x="{left}" y="{:.1}" width="{w:.1}" height="{:.1}" fill="{}" stroke="#333" stroke-width="0.6"/><text x="{:.1}" y="{:.1}">{count}</text>"##,
            left - 6.0,
            y + 15.0,
            xml(name),
            y + 4.0,
            row - 8.0,
            FILLS[*class],
            left + w + 5.0,
            y + 15.0
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A radar of the field sub-indexes: rings at 25, 50, 75 and 100%, an axis per field
/// named by its code with its figure; a field where nothing applies reads "—".
fn radar(axes: &[(String, Option<Figure>)], lang: Lang) -> String {
    let (cx, cy, r) = (115.0, 110.0, 78.0);
    let n = px(axes.len().max(1));
    let point = |i: usize, v: f64| {
        let angle = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * px(i) / n;
        (cx + r * v * angle.cos(), cy + r * v * angle.sin())
    };
    let mut svg = String::from(
        r#"<svg viewBox="0 0 230 225" width="230" height="225" role="img" font-family="inherit" font-size="10">"#,
    );
    for ring in [0.25, 0.5, 0.75, 1.0] {
        let pts: Vec<String> = (0..axes.len())
            .map(|i| point(i, ring))
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect();
        let _ = write!(
            svg,
            r##"<polygon points="{}" fill="none" stroke="#bbb" stroke-width="0.6"/>"##,
            pts.join(" ")
        );
    }
    for (i, (code, value)) in axes.iter().enumerate() {
        let (x, y) = point(i, 1.0);
        let (lx, ly) = point(i, 1.22);
        let text = value.as_ref().map_or_else(|| "—".to_string(), |v| figure(v.round(0), 0, lang));
        let _ = write!(
            svg,
            r##"<line x1="{cx}" y1="{cy}" x2="{x:.1}" y2="{y:.1}" stroke="#bbb" stroke-width="0.6"/><text x="{lx:.1}" y="{ly:.1}" text-anchor="middle" dominant-baseline="middle">{} · {}</text>"##,
            xml(code),
            text
        );
    }
    let shape: Vec<String> = axes
        .iter()
        .enumerate()
        // A field where nothing applies has no figure: it is left out of the shape (its
        // axis is labelled "—"), not drawn as 0, which would read as a field scored nothing.
        .filter_map(|(i, (_, v))| v.as_ref().map(|v| point(i, draw(v.round(2)) / 100.0)))
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect();
    let _ = write!(
        svg,
        r##"<polygon points="{}" fill="#1f77b4" fill-opacity="0.25" stroke="#1f4e79" stroke-width="1.5"/>"##,
        shape.join(" ")
    );
    for (i, (_, v)) in axes.iter().enumerate() {
        let (x, y) = point(i, v.as_ref().map_or(0.0, |v| draw(v.round(2)) / 100.0));
        let _ = write!(svg, r##"<circle cx="{x:.1}" cy="{y:.1}" r="2.2" fill="#1f4e79"/>"##);
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    // A field where nothing applies is left out of the shape, not drawn at the centre as
    // though it scored 0; its axis still stands, labelled "—".
    #[test]
    fn the_template_is_cut_whole_around_its_loops() {
        let parts = parts();
        let whole = TEMPLATE.strip_suffix('\n').unwrap_or(TEMPLATE);
        assert_eq!(parts.concat(), whole);
        for (k, each) in [(1, "g in groups"), (3, "r in heat"), (5, "c in cards")] {
            assert!(parts[k].starts_with(&format!("{{% for {each} %}}")), "{}", parts[k]);
            assert!(parts[k].ends_with("{% endfor %}"), "{}", parts[k]);
            // As many loops begin in it as end.
            assert_eq!(parts[k].matches("{% for").count(), parts[k].matches("{% endfor").count());
        }
        for k in [0, 2, 4, 6] {
            assert_eq!(parts[k].matches("{% for").count(), parts[k].matches("{% endfor").count());
        }
    }

    #[test]
    fn the_radar_leaves_out_a_field_that_does_not_apply() {
        let axes = [
            ("1".to_string(), Some(Figure::from_int(80))),
            ("2".to_string(), None),
            ("3".to_string(), Some(Figure::from_int(60))),
        ];
        let svg = radar(&axes, Lang::Vi);
        let shape = svg.split("<polygon points=\"").last().unwrap();
        let points = shape.split('"').next().unwrap().split(' ').count();
        assert_eq!(points, 2, "{svg}");
        assert!(svg.contains("2 · —"), "{svg}");
    }
}
