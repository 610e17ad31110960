//! One agency's whole tree, for the agency and the appraisal council: first where points
//! were lost and what the rubric says would earn them, then every node at the self and
//! final stages with the values, evidence and explanations that decided them.

use std::fmt::Write as _;

use rust_decimal::Decimal;
use rust_xlsxwriter::Workbook;
use serde::Serialize;

use super::escape::terminal;
use super::{EXACT_PLACES, Lang, figure, rubric, xlsx};
use crate::model::criteria::{Kind, NodeId};
use crate::model::layer::Stage;
use crate::model::layer::{Derivation, Derived};
use crate::model::round::Round;
use crate::score::figure::Figure;
use crate::score::results::{AgencyResult, Results};
use crate::score::tree::{NodeScore, Status};

/// The explanation of one agency's result.
pub(crate) struct Explain<'a> {
    pub round: &'a Round,
    pub results: &'a Results,
    /// Index into `results.agencies`.
    pub agency: usize,
    pub lang: Lang,
}

struct Words {
    gains: &'static str,
    detail: &'static str,
    lost: &'static str,
    index_gain: &'static str,
    criterion: &'static str,
    value: &'static str,
    earns: &'static str,
    own: &'static str,
    last: &'static str,
    difference: &'static str,
    max: &'static str,
    sub_index: &'static str,
    evidence: &'static str,
    explanation: &'static str,
    index: &'static str,
    self_index: &'static str,
    rank: &'static str,
    grade: &'static str,
    points: &'static str,
    group: &'static str,
    nothing_lost: &'static str,
    na: &'static str,
    missing: &'static str,
    no_evidence: &'static str,
    cite: &'static str,
}

const VI: Words = Words {
    gains: "Nơi có thể tăng điểm",
    detail: "Chi tiết theo tiêu chí",
    lost: "Điểm mất",
    index_gain: "Chỉ số (%)",
    criterion: "Tiêu chí",
    value: "Giá trị",
    earns: "Để đạt tối đa",
    own: "Tự chấm",
    last: "Thẩm định",
    difference: "Chênh lệch",
    max: "Tối đa",
    sub_index: "Chỉ số thành phần (%)",
    evidence: "Tài liệu kiểm chứng",
    explanation: "Giải trình",
    index: "Chỉ số",
    self_index: "tự đánh giá",
    rank: "Hạng",
    grade: "Xếp loại",
    points: "điểm",
    group: "nhóm",
    nothing_lost: "Không mất điểm nào.",
    na: "không áp dụng",
    missing: "thiếu giá trị",
    no_evidence: "thiếu tài liệu kiểm chứng",
    cite: "bổ sung tài liệu kiểm chứng",
};

const EN: Words = Words {
    gains: "Where to gain",
    detail: "Every node",
    lost: "Lost",
    index_gain: "Index (%)",
    criterion: "Criterion",
    value: "Value",
    earns: "Full marks for",
    own: "Self",
    last: "Final",
    difference: "Difference",
    max: "Max",
    sub_index: "Sub-index (%)",
    evidence: "Evidence",
    explanation: "Explanation",
    index: "Index",
    self_index: "self-assessed",
    rank: "Rank",
    grade: "Grade",
    points: "points",
    group: "group",
    nothing_lost: "No point was lost.",
    na: "not applicable",
    missing: "no value",
    no_evidence: "no evidence",
    cite: "cite the evidence",
};

/// How a computed value came about, in words: `(512 + 3) / 530 from mot-cua.xlsx row 14`,
/// `214 of 251 answers "Rất hài lòng" or "Hài lòng", 9 blank (260 respondents)`.
pub(crate) fn derivation(d: &Derivation, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    // Where the figures are: a file, or a workbook's sheet.
    let place = match (&d.sheet, vi) {
        (Some(sheet), true) => format!("{}, trang tính \"{sheet}\"", d.file),
        (Some(sheet), false) => format!("{}, sheet \"{sheet}\"", d.file),
        (None, _) => d.file.clone(),
    };
    match &d.how {
        Derived::Row { shown, line } => {
            if vi {
                format!("{shown} từ {place} dòng {line}")
            } else {
                format!("{shown} from {place} row {line}")
            }
        }
        Derived::Survey { weight, answers, blank, respondents, needed, full } => {
            let forms = match (vi, *respondents) {
                (true, n) => format!("{n} phiếu"),
                (false, 1) => "1 respondent".to_string(),
                (false, n) => format!("{n} respondents"),
            };
            if answers < needed {
                return if vi {
                    format!(
                        "chưa khảo sát: {answers} câu trả lời, cần ít nhất {needed} ({forms}, {place})"
                    )
                } else {
                    format!(
                        "not surveyed: {answers} answers of the {needed} needed ({forms}, {place})"
                    )
                };
            }
            let labels = full.iter().map(|l| format!("\"{l}\"")).collect::<Vec<_>>().join(if vi {
                " hoặc "
            } else {
                " or "
            });
            let weight = weight.normalize();
            let counted = match (weight.fract().is_zero() && !full.is_empty(), vi) {
                (true, true) => format!("{weight}/{answers} câu trả lời {labels}"),
                (true, false) => format!("{weight} of {answers} answers {labels}"),
                (false, true) => format!("{weight} điểm trên {answers} câu trả lời"),
                (false, false) => format!("{weight} points over {answers} answers"),
            };
            let blank = match (*blank, vi) {
                (0, _) => String::new(),
                (b, true) => format!(", {b} để trống"),
                (b, false) => format!(", {b} blank"),
            };
            format!("{counted}{blank} ({forms}, {place})")
        }
    }
}

/// A leaf where points were lost, and by how much in points and in the index.
#[derive(Debug, Clone)]
pub(crate) struct Gain {
    pub node: NodeId,
    pub lost: Figure,
    pub index_points: Figure,
}

impl<'a> Explain<'a> {
    fn words(&self) -> &'static Words {
        match self.lang {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }

    fn result(&self) -> &'a AgencyResult {
        &self.results.agencies[self.agency]
    }

    /// Leaves that lost points at the final stage, most index points first: regular
    /// leaves by the share of the max they lost, bonus not earned, deductions taken.
    pub(crate) fn gains(&self) -> Vec<Gain> {
        let set = &self.round.set;
        let s = &self.result().score;
        let hundred = Figure::from_int(100);
        let mut gains: Vec<Gain> = set
            .leaves()
            .filter_map(|(id, node, _)| {
                let n = &s.nodes[id];
                if !n.applicable {
                    return None;
                }
                let lost = match node.kind {
                    Kind::Deduction => n.points.clone(),
                    _ => n.max.sub(&n.points),
                };
                if !lost.is_positive() {
                    return None;
                }
                let index_points = match node.kind {
                    Kind::Regular => lost
                        .mul(&hundred)
                        .checked_div(&s.max)
                        .unwrap_or_else(|| Figure::from_int(0)),
                    _ => lost.clone(),
                };
                Some(Gain { node: id, lost, index_points })
            })
            .collect();
        gains.sort_by(|a, b| b.index_points.cmp(&a.index_points).then(a.node.cmp(&b.node)));
        gains
    }

    /// The value that counts, as typed (for a computed one, the expression with the
    /// row's figures in it).
    fn raw_value(&self, id: NodeId) -> Option<&'a str> {
        self.result().cells[id].and_then(|t| t.decisive(self.round)).map(|(_, c)| c.raw())
    }

    /// How the value that counts was computed, where it was.
    fn derivation(&self, id: NodeId) -> Option<String> {
        let (_, cell) = self.result().cells[id].and_then(|t| t.decisive(self.round))?;
        cell.derivation().map(|d| derivation(d, self.lang))
    }

    /// The value that counts as typed or, for a computed one, how it came about; and the
    /// agency's own claim beside a system figure that differs from it.
    fn value(&self, id: NodeId) -> Option<String> {
        let trail = self.result().cells[id]?;
        let Some((_, cell)) = trail.decisive(self.round) else {
            // A leaf the tables give, for an agency they have no row for: its claim does
            // not count at the final stage, and says so.
            let own = trail.own.map(|(l, c)| &self.round.layers[l].cells[c])?;
            let computed =
                self.round.set.nodes[id].leaf.as_ref().is_some_and(|l| l.compute.is_some());
            return (computed && own.value.is_some()).then(|| match self.lang {
                Lang::Vi => format!("không có số liệu hệ thống; đơn vị tự chấm {}", own.raw()),
                Lang::En => format!("no figure from the system; the agency claimed {}", own.raw()),
            });
        };
        let Some(d) = cell.derivation() else {
            // A council's correction of a system figure shows the figure it corrected.
            let system = trail.system.map(|(l, c)| &self.round.layers[l].cells[c]);
            return Some(match system.and_then(|s| s.derivation()) {
                Some(d) => match self.lang {
                    Lang::Vi => format!("{}; hệ thống: {}", cell.raw(), derivation(d, self.lang)),
                    Lang::En => format!("{}; the system: {}", cell.raw(), derivation(d, self.lang)),
                },
                None => cell.raw().to_string(),
            });
        };
        let mut text = derivation(d, self.lang);
        let own = trail.own.map(|(l, c)| &self.round.layers[l].cells[c]);
        let rule = &self.round.set.nodes[id].leaf.as_ref().expect("cells are leaves'").rule;
        if let Some(own) = own.filter(|o| {
            o.value.is_some() && !crate::score::points::same_worth(o.value, cell.value, rule)
        }) {
            let _ = match self.lang {
                Lang::Vi => write!(text, "; đơn vị tự chấm {}", own.raw()),
                Lang::En => write!(text, "; the agency claimed {}", own.raw()),
            };
        }
        Some(text)
    }

    fn evidence(&self, id: NodeId) -> Option<&'a str> {
        self.result().cells[id].and_then(|t| t.evidence(self.round))
    }

    /// The explanation given for the value that counts, or the council's note on it.
    pub(crate) fn explanation(&self, id: NodeId) -> Option<String> {
        let (_, cell) = self.result().cells[id].and_then(|t| t.decisive(self.round))?;
        match (cell.explanation(), cell.note()) {
            (Some(e), Some(n)) => Some(format!("{e} ({n})")),
            (Some(e), None) => Some(e.to_string()),
            (None, Some(n)) => Some(n.to_string()),
            (None, None) => None,
        }
    }

    pub(crate) fn how(&self, id: NodeId) -> String {
        let node = &self.round.set.nodes[id];
        let leaf = node.leaf.as_ref().expect("gains are leaves");
        if let Status::NoEvidence { .. } = self.result().score.nodes[id].status {
            return self.words().cite.to_string();
        }
        rubric::full_marks(&leaf.rule, node.max, node.kind == Kind::Deduction, self.lang)
    }

    fn status(&self, n: &NodeScore<Figure>) -> Option<&'static str> {
        let w = self.words();
        match n.status {
            Status::NotApplicable if !n.applicable => Some(w.na),
            Status::Missing => Some(w.missing),
            Status::NoEvidence { .. } => Some(w.no_evidence),
            _ => None,
        }
    }

    fn heading(&self) -> String {
        let w = self.words();
        let set = &self.round.set;
        let r = self.result();
        let agency = &self.round.agencies[r.agency];
        let d = set.decimals;
        let shown =
            |x: Option<Decimal>| x.map_or_else(|| "—".to_string(), |v| figure(v, d, self.lang));
        let own = r.self_score.as_ref().and_then(|s| s.index.as_ref()).map(|i| i.round(d));
        let own = own
            .map(|o| format!(" ({} {})", w.self_index, figure(o, d, self.lang)))
            .unwrap_or_default();
        format!(
            "{} ({}) — {} {}\n{}: {}{own} · {}: {} · {}: {} · {} / {} {}\n",
            agency.name,
            agency.id,
            w.group,
            self.round.group_name(&agency.group),
            w.index,
            shown(r.rounded),
            w.rank,
            r.rank.map_or_else(|| "—".into(), |k| k.to_string()),
            w.grade,
            r.grade.map_or("—", |g| set.grades[g].name.as_str()),
            figure(r.score.points.round(d), d, self.lang),
            figure(r.score.max.round(d), d, self.lang),
            w.points
        )
    }

    pub(crate) fn gain_rows(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let w = self.words();
        let set = &self.round.set;
        let d = set.decimals;
        let header = ["#", "Mã", w.criterion, w.lost, w.index_gain, w.value, w.earns]
            .map(String::from)
            .to_vec();
        let header = if self.lang == Lang::En {
            let mut h = header;
            h[1] = "Code".into();
            h
        } else {
            header
        };
        let rows = self
            .gains()
            .iter()
            .enumerate()
            .map(|(k, g)| {
                let node = &set.nodes[g.node];
                vec![
                    (k + 1).to_string(),
                    node.code.clone(),
                    node.name.clone(),
                    figure(g.lost.round(d), d, self.lang),
                    figure(g.index_points.round(d), d, self.lang),
                    self.value(g.node).unwrap_or_default(),
                    self.how(g.node),
                ]
            })
            .collect();
        (header, rows)
    }

    pub(crate) fn detail_rows(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let w = self.words();
        let set = &self.round.set;
        let d = set.decimals;
        let r = self.result();
        let code = if self.lang == Lang::En { "Code" } else { "Mã" };
        let header = [
            code,
            w.criterion,
            w.own,
            w.last,
            w.difference,
            w.max,
            w.sub_index,
            w.value,
            w.evidence,
            w.explanation,
        ]
        .map(String::from)
        .to_vec();
        let rows = set
            .nodes
            .iter()
            .enumerate()
            .map(|(id, node)| {
                let last = &r.score.nodes[id];
                let own = r.self_score.as_ref().map(|s| &s.nodes[id]);
                let pts = |n: &NodeScore<Figure>| {
                    self.status(n)
                        .map_or_else(|| figure(n.points.round(d), d, self.lang), String::from)
                };
                let difference = own
                    .map(|o| last.points.sub(&o.points))
                    .filter(|x| !x.is_zero())
                    .map(|x| figure(x.round(d), d, self.lang))
                    .unwrap_or_default();
                // Scored at the self stage alone, the figures are the agency's own and
                // the council has not spoken: its column stays empty.
                let (own_shown, last_shown) = match self.results.stage {
                    Stage::SelfOnly => (pts(last), String::new()),
                    Stage::Final => (own.map(pts).unwrap_or_default(), pts(last)),
                };
                vec![
                    node.code.clone(),
                    format!("{}{}", "  ".repeat(node.depth), node.name),
                    own_shown,
                    last_shown,
                    difference,
                    if last.applicable {
                        figure(last.max.round(d), d, self.lang)
                    } else {
                        String::new()
                    },
                    last.sub_index().map(|x| figure(x.round(d), d, self.lang)).unwrap_or_default(),
                    self.value(id).unwrap_or_default(),
                    self.evidence(id).unwrap_or("").to_string(),
                    self.explanation(id).unwrap_or_default(),
                ]
            })
            .collect();
        (header, rows)
    }

    /// The round's report, for what the views share with it: the title, group labels.
    fn report(&self) -> super::Report<'a> {
        super::Report {
            round: self.round,
            results: self.results,
            lang: self.lang,
            csv: super::CsvForm::Keys,
            group: None,
            audit: None,
            field_ranks: false,
            width: None,
        }
    }

    /// The workbook: "where to gain", then every node, each sheet under the round's
    /// title and the agency's result.
    pub(crate) fn xlsx(&self) -> Result<Vec<u8>, xlsx::Unwritable> {
        let w = self.words();
        let set = &self.round.set;
        let mut styles = xlsx::Styles::new(set.decimals);
        let mut book = Workbook::new();
        let heading = self.heading();
        let mut heading = heading.lines();
        let (who, result) = (heading.next().unwrap_or(""), heading.next().unwrap_or(""));
        let titles = |what: &str| vec![self.report().print_title(), format!("{what}: {who}")];
        let (gain_head, gains) = self.gain_rows();
        let (detail_head, details) = self.detail_rows();
        let (gains_name, detail_name) = match self.lang {
            Lang::Vi => ("Nơi có thể tăng điểm", "Chi tiết"),
            Lang::En => ("Where to gain", "Every node"),
        };
        let mut rows = xlsx::as_cells(&gains, &[3, 4]);
        for (k, row) in (1..).zip(rows.iter_mut()) {
            row[0] = xlsx::Cell::Whole(k);
        }
        let mut gain_sheet = xlsx::Sheet::new(gains_name.into(), gain_head, rows);
        gain_sheet.titles = titles(w.gains);
        gain_sheet.notes = vec![result.to_string()];
        gain_sheet.frozen_columns = 3;
        gain_sheet.widest = 36;
        if gains.is_empty() {
            gain_sheet.footnotes = vec![w.nothing_lost.to_string()];
        }
        // Each node's name indented by its level in the tree, the fields' rows in bold.
        let mut rows = xlsx::as_cells(&details, &[2, 3, 4, 5, 6]);
        for (row, node) in rows.iter_mut().zip(&set.nodes) {
            row[1] = xlsx::Cell::Name(&node.name, u8::try_from(node.depth).unwrap_or(u8::MAX));
        }
        let mut detail_sheet = xlsx::Sheet::new(detail_name.into(), detail_head, rows);
        detail_sheet.titles = titles(w.detail);
        detail_sheet.notes = vec![result.to_string()];
        detail_sheet.strong = set.nodes.iter().map(|n| n.parent.is_none()).collect();
        detail_sheet.frozen_columns = 2;
        detail_sheet.widest = 36;
        let mut build = |book: &mut Workbook| -> Result<(), rust_xlsxwriter::XlsxError> {
            xlsx::sheet(book, &gain_sheet, &mut styles, self.lang)?;
            xlsx::sheet(book, &detail_sheet, &mut styles, self.lang)?;
            Ok(())
        };
        build(&mut book)?;
        Ok(xlsx::finish(&mut book, &[]))
    }

    /// The terminal tables; within `width` where one is given: long texts wrap, and
    /// columns that do not fit beside the rest fold into blocks under them, each led by
    /// the code.
    pub(crate) fn table(&self, width: Option<usize>) -> String {
        let w = self.words();
        let mut out = self.heading();
        let tables =
            |header: Vec<String>, rows: Vec<Vec<String>>, right: &[usize], keep: &[usize]| {
                super::fit::blocks(&header, &rows, &|i| right.contains(&i), width, keep)
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            };
        let (header, rows) = self.gain_rows();
        if rows.is_empty() {
            let _ = write!(out, "\n{}: {}\n", w.gains, w.nothing_lost);
        } else {
            let _ = write!(out, "\n{}\n{}\n", w.gains, tables(header, rows, &[0, 3, 4], &[1]));
        }
        let (header, rows) = self.detail_rows();
        let detail = tables(header, rows, &[2, 3, 4, 5, 6], &[0]);
        let _ = write!(out, "\n{}\n{detail}\n", w.detail);
        terminal(&out).into_owned()
    }

    pub(crate) fn markdown(&self) -> String {
        let w = self.words();
        let escape = super::escape::markdown;
        let md = |header: &[String], rows: &[Vec<String>]| {
            let mut s = format!(
                "| {} |\n|{}|\n",
                header.iter().map(|h| escape(h)).collect::<Vec<_>>().join(" | "),
                vec!["---"; header.len()].join("|")
            );
            for row in rows {
                let _ = writeln!(
                    s,
                    "| {} |",
                    row.iter().map(|c| escape(c.trim_start())).collect::<Vec<_>>().join(" | ")
                );
            }
            s
        };
        let heading = self.heading();
        let mut lines = heading.lines();
        let mut out =
            format!("# {}\n\n{}\n", escape(lines.next().unwrap_or("")), lines.next().unwrap_or(""));
        let (header, rows) = self.gain_rows();
        let _ = write!(out, "\n## {}\n\n", w.gains);
        if rows.is_empty() {
            let _ = writeln!(out, "{}", w.nothing_lost);
        } else {
            out.push_str(&md(&header, &rows));
        }
        let (header, rows) = self.detail_rows();
        let _ = write!(out, "\n## {}\n\n{}", w.detail, md(&header, &rows));
        out
    }

    pub(crate) fn json(&self) -> Vec<u8> {
        let set = &self.round.set;
        let d = set.decimals;
        let r = self.result();
        let agency = &self.round.agencies[r.agency];
        let exact = |x: &Figure| x.approx(EXACT_PLACES).to_string();
        let fixed = |x: &Figure| {
            let mut v = x.round(d);
            v.rescale(d);
            v.to_string()
        };
        let stage = |n: &NodeScore<Figure>| StageOut {
            points: fixed(&n.points),
            points_exact: exact(&n.points),
            max: exact(&n.max),
            applicable: n.applicable,
            status: n.status.key(),
        };
        let doc = ExplainOut {
            agency: &agency.id,
            name: &agency.name,
            group: &agency.group,
            group_name: self.round.group_name(&agency.group),
            rank: r.rank,
            grade: r.grade.map(|g| set.grades[g].name.as_str()),
            index: r.rounded.map(|v| {
                let mut v = v;
                v.rescale(d);
                v.to_string()
            }),
            index_exact: r.score.index.as_ref().map(exact),
            self_index_exact: match self.results.stage {
                Stage::SelfOnly => r.score.index.as_ref().map(exact),
                Stage::Final => r.self_score.as_ref().and_then(|s| s.index.as_ref()).map(exact),
            },
            gains: self
                .gains()
                .iter()
                .map(|g| GainOut {
                    code: &set.nodes[g.node].code,
                    lost: exact(&g.lost),
                    index_points: exact(&g.index_points),
                    value: self.raw_value(g.node),
                    full_marks: self.how(g.node),
                })
                .collect(),
            nodes: set
                .nodes
                .iter()
                .enumerate()
                .map(|(id, node)| NodeOut {
                    code: &node.code,
                    name: &node.name,
                    depth: node.depth,
                    own: match self.results.stage {
                        Stage::SelfOnly => Some(stage(&r.score.nodes[id])),
                        Stage::Final => r.self_score.as_ref().map(|s| stage(&s.nodes[id])),
                    },
                    last: (self.results.stage == Stage::Final).then(|| stage(&r.score.nodes[id])),
                    sub_index: r.score.nodes[id].sub_index().map(|x| exact(&x)),
                    value: self.raw_value(id),
                    derivation: self.derivation(id),
                    evidence: self.evidence(id),
                    explanation: self.explanation(id),
                })
                .collect(),
        };
        let mut out = serde_json::to_vec_pretty(&doc).expect("an explanation serialises to JSON");
        out.push(b'\n');
        out
    }
}

#[derive(Serialize)]
struct ExplainOut<'a> {
    agency: &'a str,
    name: &'a str,
    /// The group's id.
    group: &'a str,
    /// The name it is shown by: its display name, or its id where none is given.
    group_name: &'a str,
    rank: Option<usize>,
    grade: Option<&'a str>,
    index: Option<String>,
    index_exact: Option<String>,
    self_index_exact: Option<String>,
    gains: Vec<GainOut<'a>>,
    nodes: Vec<NodeOut<'a>>,
}

#[derive(Serialize)]
struct GainOut<'a> {
    code: &'a str,
    lost: String,
    index_points: String,
    value: Option<&'a str>,
    full_marks: String,
}

#[derive(Serialize)]
struct NodeOut<'a> {
    code: &'a str,
    name: &'a str,
    depth: usize,
    #[serde(rename = "self")]
    own: Option<StageOut>,
    /// `null` when only the self-assessment was scored (`--stage self`).
    #[serde(rename = "final")]
    last: Option<StageOut>,
    sub_index: Option<String>,
    value: Option<&'a str>,
    /// How a computed value came about; absent for values typed in a file.
    #[serde(skip_serializing_if = "Option::is_none")]
    derivation: Option<String>,
    evidence: Option<&'a str>,
    explanation: Option<String>,
}

#[derive(Serialize)]
struct StageOut {
    points: String,
    points_exact: String,
    max: String,
    applicable: bool,
    status: &'static str,
}
