//! How steady each rank is: per agency its published rank beside the ranks the perturbed
//! runs gave (median, 5th–95th percentile) and how often it earned each grade; per field,
//! how far ranks move when that field alone is perturbed. Tables in every format, and a
//! page with a chart of the rank intervals.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::grid::{Grid, Value, group_cells, group_columns};
use super::xlsx::Unwritable;
use super::{CsvForm, Format, Lang, figure};
use crate::model::criteria::Kind;
use crate::model::round::Round;
use crate::score::results::Results;
use crate::score::sensitivity::{Level, Model, Movement, Options, Outcome, share};

/// Places of the shares in machine outputs: exact for any number of runs dividing 10⁶.
const SHARE_PLACES: u32 = 6;

/// What the report is made from.
pub(crate) struct Sensitivity<'a> {
    pub round: &'a Round,
    pub results: &'a Results,
    pub model: &'a Model,
    pub outcome: &'a Outcome,
    pub options: &'a Options,
    pub lang: Lang,
    /// How the CSV is written.
    pub csv: CsvForm,
    /// Only this group, where one was asked for.
    pub group: Option<&'a str>,
    /// What machine outputs record of how they were made (see [`crate::audit`]).
    pub audit: Option<&'a crate::audit::Audit>,
    /// The terminal's width, that its tables fit in; none for a file or a pipe.
    pub width: Option<usize>,
}

impl Sensitivity<'_> {
    /// The report in `format`; `fields` alone gives the per-field table (for CSV, one
    /// table a file).
    pub(crate) fn render(&self, format: Format, fields_alone: bool) -> Result<Vec<u8>, Unwritable> {
        let agencies = self.agencies();
        let fields = self.fields();
        Ok(match format {
            Format::Csv if fields_alone => fields.csv(self.csv),
            Format::Csv => agencies.csv(self.csv),
            Format::Json => self.json(&agencies, &fields),
            Format::Md if fields_alone => fields.markdown().into_bytes(),
            Format::Md => format!("{}\n{}", agencies.markdown(), fields.markdown()).into_bytes(),
            Format::Html => self.html(&agencies, &fields).into_bytes(),
            Format::Xlsx if fields_alone => fields.xlsx(self.sheet(true), &self.properties())?,
            Format::Xlsx => agencies.xlsx(self.sheet(false), &self.properties())?,
            Format::Table if fields_alone => fields.table(self.width).into_bytes(),
            Format::Table => {
                format!("{}\n{}", agencies.table(self.width), fields.table(self.width)).into_bytes()
            }
            Format::Docx | Format::Pdf => unreachable!("sensitivity writes Format::TABLES"),
        })
    }

    fn properties(&self) -> Vec<(String, String)> {
        self.audit.map(crate::audit::Audit::properties).unwrap_or_default()
    }

    fn sheet(&self, fields: bool) -> &'static str {
        match (self.lang, fields) {
            (Lang::Vi, false) => "Độ ổn định",
            (Lang::Vi, true) => "Lĩnh vực",
            (Lang::En, false) => "Steadiness",
            (Lang::En, true) => "Fields",
        }
    }

    fn vi(&self) -> bool {
        self.lang == Lang::Vi
    }

    fn title(&self) -> String {
        let base = self.round.title.as_deref().unwrap_or(&self.round.set.title);
        if self.vi() {
            format!("{base} — độ ổn định của thứ hạng")
        } else {
            format!("{base} — how steady each rank is")
        }
    }

    /// What was perturbed, how, and how often, in words.
    fn method(&self) -> String {
        let o = self.options;
        let runs = thousands(o.runs, self.lang);
        let spread = figure(spread_percent(o.spread), 0, self.lang);
        match (self.lang, o.level) {
            (Lang::Vi, Level::Field) => format!(
                "{runs} lần chạy: điểm của mỗi lĩnh vực nhân với một hệ số ngẫu nhiên đều trong khoảng ±{spread}%, rồi xếp hạng lại (seed {})",
                o.seed
            ),
            (Lang::Vi, Level::Criterion) => format!(
                "{runs} lần chạy: điểm của mỗi tiêu chí nhân với một hệ số ngẫu nhiên đều trong khoảng ±{spread}%, rồi xếp hạng lại (seed {})",
                o.seed
            ),
            (Lang::En, Level::Field) => format!(
                "{runs} runs: each field's points scaled by a factor drawn uniformly within ±{spread}%, then every agency ranked again (seed {})",
                o.seed
            ),
            (Lang::En, Level::Criterion) => format!(
                "{runs} runs: each criterion's points scaled by a factor drawn uniformly within ±{spread}%, then every agency ranked again (seed {})",
                o.seed
            ),
        }
    }

    /// Per agency, in the published order, group by group.
    pub(crate) fn agencies(&self) -> Grid {
        let set = &self.round.set;
        let d = set.decimals;
        let mut header: Vec<String> = if self.vi() {
            [
                "Hạng",
                "Mã",
                "Cơ quan, đơn vị",
                "Nhóm",
                "Chỉ số (%)",
                "Xếp loại",
                "Hạng trung vị",
                "Hạng 5%",
                "Hạng 95%",
            ]
        } else {
            [
                "Rank",
                "Id",
                "Agency",
                "Group",
                "Index (%)",
                "Grade",
                "Median rank",
                "Rank 5%",
                "Rank 95%",
            ]
        }
        .map(String::from)
        .to_vec();
        let mut keys: Vec<String> = [
            "rank",
            "agency",
            "name",
            "group",
            "index",
            "grade",
            "median_rank",
            "rank_p5",
            "rank_p95",
            "rank_best",
            "rank_worst",
        ]
        .map(String::from)
        .to_vec();
        let audience = group_columns(&mut header, &mut keys, 3);
        header.extend(
            if self.vi() { ["Tốt nhất", "Kém nhất"] } else { ["Best", "Worst"] }.map(String::from),
        );
        for g in &set.grades {
            header.push(format!("{} (%)", g.name));
            keys.push(format!("p_{}", g.name));
        }
        let ungraded = set.grades.last().is_none_or(|g| g.min > Decimal::ZERO);
        if ungraded {
            header.push(if self.vi() { "Không xếp loại (%)" } else { "No grade (%)" }.into());
            keys.push("p_none".into());
        }
        let runs = u64::try_from(self.options.runs).unwrap_or(u64::MAX);
        let mut rows = Vec::new();
        for (group, members) in &self.results.groups {
            if self.group.is_some_and(|g| g != group) {
                continue;
            }
            for &i in members {
                let r = &self.results.agencies[i];
                let a = &self.round.agencies[r.agency];
                let whole = |n: u32| Value::Whole(i64::from(n));
                let mut row = vec![
                    r.rank.map_or(Value::Empty, |k| {
                        Value::Whole(i64::try_from(k).unwrap_or(i64::MAX))
                    }),
                    Value::Text(a.id.clone()),
                    Value::Text(a.name.clone()),
                ];
                row.extend(group_cells(group, self.round.group_name(group)));
                row.extend([
                    r.rounded.map_or(Value::Empty, |x| Value::Fixed(x, d)),
                    r.grade.map_or(Value::Empty, |g| Value::Text(set.grades[g].name.clone())),
                ]);
                match &self.outcome.agencies[i] {
                    Some(s) => {
                        let (best, worst) = s.range();
                        row.extend(
                            [s.percentile(50), s.percentile(5), s.percentile(95), best, worst]
                                .map(whole),
                        );
                        let slots = if ungraded { s.grades.len() } else { s.grades.len() - 1 };
                        row.extend(
                            s.grades[..slots]
                                .iter()
                                .map(|&c| Value::Percent(share(u64::from(c), runs, SHARE_PLACES))),
                        );
                    }
                    None => row.resize(header.len(), Value::Empty),
                }
                rows.push(row);
            }
        }
        Grid {
            title: self.title(),
            notes: vec![self.method(), self.percentile_note()],
            header,
            keys,
            names: Vec::new(),
            audience,
            rows,
            decimals: d,
            lang: self.lang,
        }
    }

    fn percentile_note(&self) -> String {
        if self.vi() {
            "Hạng 5%–95%: 90% số lần chạy cho hạng nằm trong khoảng này; cột xếp loại: tỷ lệ số lần chạy đạt loại đó".into()
        } else {
            "Rank 5%–95%: 90% of the runs gave a rank within this range; grade columns: the share of runs that gave the grade".into()
        }
    }

    /// Per field, and every field together.
    pub(crate) fn fields(&self) -> Grid {
        let set = &self.round.set;
        let header: Vec<String> = if self.vi() {
            [
                "Mã",
                "Lĩnh vực",
                "Điểm tối đa",
                "Dịch hạng trung bình",
                "Dịch hạng lớn nhất",
                "Số lần đổi hạng (%)",
            ]
        } else {
            ["Code", "Field", "Max", "Mean rank shift", "Largest rank shift", "Ranks changed (%)"]
        }
        .map(String::from)
        .to_vec();
        let keys: Vec<String> =
            ["field", "name", "max", "mean_rank_shift", "largest_rank_shift", "moved"]
                .map(String::from)
                .to_vec();
        let row = |code: String, name: String, max: Option<Decimal>, m: &Movement| {
            vec![
                Value::Text(code),
                Value::Text(name),
                max.map_or(Value::Empty, |x| Value::Fixed(x.normalize(), x.normalize().scale())),
                Value::Fixed(m.mean_shift(3), 3),
                Value::Whole(i64::from(m.largest_shift)),
                Value::Percent(m.moved_share(SHARE_PLACES)),
            ]
        };
        let mut rows: Vec<Vec<Value>> = self
            .model
            .fields()
            .zip(&self.outcome.fields)
            .map(|(f, m)| {
                let n = &set.nodes[f];
                row(n.code.clone(), n.name.clone(), Some(n.max), m)
            })
            .collect();
        let total: Decimal =
            set.roots().filter(|(_, n)| n.kind == Kind::Regular).map(|(_, n)| n.max).sum();
        rows.push(row(
            String::new(),
            if self.vi() { "Tất cả cùng lúc" } else { "All together" }.into(),
            Some(total),
            &self.outcome.all,
        ));
        let title = if self.vi() {
            "Ảnh hưởng của từng lĩnh vực đến thứ hạng"
        } else {
            "How much each field moves the ranks"
        };
        let runs = thousands(self.options.runs, self.lang);
        let note = match (self.lang, self.options.level) {
            (Lang::Vi, Level::Field) => format!(
                "Mỗi lĩnh vực được xáo trộn riêng, {runs} lần, các lĩnh vực khác giữ nguyên; dịch hạng tính so với thứ hạng khi không xáo trộn"
            ),
            (Lang::Vi, Level::Criterion) => format!(
                "Các tiêu chí của mỗi lĩnh vực được xáo trộn riêng, {runs} lần, các lĩnh vực khác giữ nguyên; dịch hạng tính so với thứ hạng khi không xáo trộn"
            ),
            (Lang::En, Level::Field) => format!(
                "Each field perturbed alone, {runs} runs, the others left as they are; shifts against the ranks without perturbation"
            ),
            (Lang::En, Level::Criterion) => format!(
                "Each field's criteria perturbed alone, {runs} runs, the other fields left as they are; shifts against the ranks without perturbation"
            ),
        };
        Grid {
            title: title.into(),
            notes: vec![note],
            header,
            keys,
            names: Vec::new(),
            audience: Vec::new(),
            rows,
            decimals: set.decimals,
            lang: self.lang,
        }
    }

    fn json(&self, agencies: &Grid, fields: &Grid) -> Vec<u8> {
        let o = self.options;
        let grid = |g: &Grid| -> serde_json::Value {
            serde_json::from_slice::<serde_json::Value>(&g.json())
                .ok()
                .and_then(|mut v| v.get_mut("rows").map(serde_json::Value::take))
                .unwrap_or_default()
        };
        let doc = serde_json::json!({
            "audit": self.audit,
            "title": self.title(),
            "criteria": self.round.set.id,
            "runs": o.runs,
            "seed": o.seed,
            "spread_percent": spread_percent(o.spread).to_string(),
            "level": match o.level { Level::Field => "field", Level::Criterion => "criterion" },
            "agencies": grid(agencies),
            "fields": grid(fields),
        });
        let mut out = serde_json::to_vec_pretty(&doc).expect("the report serialises to JSON");
        out.push(b'\n');
        out
    }

    fn html(&self, agencies: &Grid, fields: &Grid) -> String {
        let mut body = String::new();
        let _ = writeln!(
            body,
            "<p>{}</p>\n<p>{}</p>",
            xml(&self.method()),
            xml(&self.percentile_note())
        );
        for (group, members) in &self.results.groups {
            if self.group.is_some_and(|g| g != group) {
                continue;
            }
            let heading = if self.vi() { "Nhóm" } else { "Group" };
            let _ = writeln!(body, "<h2>{heading}: {}</h2>", xml(self.round.group_name(group)));
            let _ = writeln!(body, "{}", self.chart(members));
        }
        let _ = writeln!(
            body,
            "<h2>{}</h2>\n{}<h2>{}</h2>\n<p>{}</p>\n{}",
            if self.vi() { "Từng cơ quan, đơn vị" } else { "Each agency" },
            agencies.html_table(),
            xml(&fields.title),
            xml(&fields.notes.join("; ")),
            fields.html_table()
        );
        let title = xml(&self.title());
        let audit = self.audit.map_or_else(String::new, |a| {
            let json = serde_json::to_string(a).expect("an audit serialises to JSON");
            format!("<meta name=\"{}\" content=\"{}\"/>\n", crate::audit::NAME, xml(&json))
        });
        format!(
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\"/>\n{audit}<title>{title}</title>\n<style>\n\
             @page {{ size: A4 portrait; margin: 12mm; }}\n\
             body {{ font-family: \"Noto Sans\", \"DejaVu Sans\", Arial, sans-serif; font-size: 13px; margin: 24px; color: #1d2733; }}\n\
             table {{ border-collapse: collapse; margin-bottom: 16px; }} th, td {{ border: 1px solid #b7c4d1; padding: 3px 6px; }}\n\
             th {{ background: #e6edf5; }} td.num {{ text-align: right; }}\n\
             svg.chart {{ width: 100%; max-width: 980px; height: auto; break-inside: avoid; }}\n</style>\n</head>\n<body>\n<h1>{title}</h1>\n{body}</body>\n</html>\n",
            if self.vi() { "vi" } else { "en" },
        )
    }

    /// One line per ranked agency of a group, in the published order: the 5–95% range of
    /// its ranks as a bar, the median as a dot, the published rank as a diamond, each
    /// figure written beside it so the chart reads in black and white.
    fn chart(&self, members: &[usize]) -> String {
        let ranked: Vec<usize> =
            members.iter().copied().filter(|&i| self.outcome.agencies[i].is_some()).collect();
        let count = ranked.len().max(1);
        let (left, width, row, top) = (260.0, 600.0, 18.0, 34.0);
        let height = top + row * px(ranked.len()) + 8.0;
        // Rank 1 on the left.
        let x = |rank: u32| left + width * (f64::from(rank) - 0.5) / px(count);
        let mut svg = format!(
            r#"<svg class="chart" viewBox="0 0 {} {height:.1}" role="img" font-family="inherit" font-size="11">"#,
            left + width + 120.0
        );
        let (legend_range, legend_median, legend_published) = if self.vi() {
            ("khoảng hạng 5%–95%", "hạng trung vị", "hạng công bố")
        } else {
            ("rank 5%–95%", "median rank", "published rank")
        };
        let _ = write!(
            svg,
            r##"<rect x="{left}" y="6" width="24" height="8" fill="#90caf9" stroke="#1e5a8a" stroke-width="0.6"/><text x="{}" y="14">{}</text><circle cx="{}" cy="10" r="3.5" fill="#1d2733"/><text x="{}" y="14">{}</text><path d="M {} 5 l 5 5 l -5 5 l -5 -5 z" fill="none" stroke="#c62828" stroke-width="1.4"/><text x="{}" y="14">{}</text>"##,
            left + 30.0,
            xml(legend_range),
            left + 170.0,
            left + 178.0,
            xml(legend_median),
            left + 290.0,
            left + 298.0,
            xml(legend_published),
        );
        let figures = if self.vi() { "công bố · 5%–95%" } else { "published · 5%–95%" };
        let _ = write!(
            svg,
            r##"<line x1="{left}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#777"/><text x="{left}" y="{:.1}" fill="#555">1</text><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#555">{count}</text><text x="{:.1}" y="{:.1}" fill="#555">{}</text>"##,
            top - 4.0,
            left + width,
            top - 4.0,
            top - 8.0,
            left + width,
            top - 8.0,
            left + width + 8.0,
            top - 8.0,
            xml(figures),
        );
        for (k, &i) in ranked.iter().enumerate() {
            let Some(s) = &self.outcome.agencies[i] else { continue };
            let r = &self.results.agencies[i];
            let name: String = self.round.agencies[r.agency].name.chars().take(40).collect();
            let y = top + row * px(k);
            let (p5, median, p95) = (s.percentile(5), s.percentile(50), s.percentile(95));
            let published = r.rank.map_or(0, |p| u32::try_from(p).unwrap_or(u32::MAX));
            let (x5, x95) = (x(p5) - 3.0, x(p95) + 3.0);
            let _ = write!(
                svg,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text><rect x="{x5:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#90caf9" stroke="#1e5a8a" stroke-width="0.6"/><circle cx="{:.1}" cy="{:.1}" r="3.5" fill="#1d2733"/><path d="M {:.1} {:.1} l 5 5 l -5 5 l -5 -5 z" fill="none" stroke="#c62828" stroke-width="1.4"/><text x="{:.1}" y="{:.1}" fill="#333">{published} · {p5}–{p95}</text>"##,
                left - 6.0,
                y + 12.0,
                xml(&name),
                y + 4.0,
                x95 - x5,
                row - 8.0,
                x(median),
                y + 8.0,
                x(published),
                y + 3.0,
                left + width + 8.0,
                y + 12.0,
            );
        }
        svg.push_str("</svg>");
        svg
    }
}

/// The spread as a whole percent: 0.25 → 25.
pub(crate) fn spread_percent(spread: f64) -> Decimal {
    Decimal::try_from(spread * 100.0).map(|d| d.round_dp(4).normalize()).unwrap_or_default()
}

/// A count with thousands separated as the language writes them: 10.000 / 10,000.
fn thousands(n: usize, lang: Lang) -> String {
    let digits = n.to_string();
    let mark = if lang == Lang::Vi { '.' } else { ',' };
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(mark);
        }
        out.push(c);
    }
    out
}

/// Text safe inside SVG and HTML.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A count as a drawing coordinate.
fn px(n: usize) -> f64 {
    f64::from(u32::try_from(n).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_written_with_the_languages_thousands_mark() {
        assert_eq!(thousands(1000, Lang::Vi), "1.000");
        assert_eq!(thousands(10_000, Lang::En), "10,000");
        assert_eq!(thousands(999, Lang::En), "999");
        assert_eq!(thousands(1_234_567, Lang::Vi), "1.234.567");
    }
}
