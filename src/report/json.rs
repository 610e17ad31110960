//! JSON: the whole result, every figure exact and rounded, every node at the self and the
//! final stage, for other programs. Figures are strings, so no reader turns them into
//! binary floats.

use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::value::RawValue;

use std::io::{self, Write};

use super::{EXACT_PLACES, Line, Report};
use crate::model::criteria::NodeId;
use crate::model::layer::Cell;
use crate::model::layer::Stage;
use crate::score::figure::Figure;
use crate::score::tree::NodeScore;

#[derive(Serialize)]
struct Document<'a> {
    tool: Tool,
    #[serde(skip_serializing_if = "Option::is_none")]
    audit: Option<&'a crate::audit::Audit>,
    round: RoundInfo<'a>,
    criteria: SetInfo<'a>,
    groups: Vec<GroupOut<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct RoundInfo<'a> {
    title: Option<&'a str>,
    year: Option<i64>,
    stage: &'static str,
    inputs: Vec<&'a str>,
}

#[derive(Serialize)]
struct SetInfo<'a> {
    id: &'a str,
    title: &'a str,
    max: String,
    decimals: u32,
    /// `each` or `sum`: how the fields of a row are rounded.
    round_fields: &'static str,
    /// Whether each leaf's points are rounded before they are added (`round_leaves`).
    round_leaves: bool,
    fields: Vec<FieldInfo<'a>>,
}

#[derive(Serialize)]
struct FieldInfo<'a> {
    code: &'a str,
    name: &'a str,
    max: String,
}

#[derive(Serialize)]
struct GroupOut<'a> {
    /// The group's id, as the agencies file writes it.
    group: &'a str,
    /// The name it is shown by: its display name, or its id where none is given.
    group_name: &'a str,
    /// Each agency written on its own (see [`Agencies`]).
    agencies: Agencies<'a>,
}

/// A group's agencies, in rank order, rendered a batch at a time on every core and
/// written as each batch is done: the document is never held whole.
struct Agencies<'a> {
    report: &'a Report<'a>,
    fields: &'a [NodeId],
    lines: Vec<Line<'a>>,
}

/// How many agencies are rendered at once: enough to keep every core busy, few enough
/// that their text is a few megabytes.
const BATCH: usize = 256;

impl Serialize for Agencies<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.lines.len()))?;
        for batch in self.lines.chunks(BATCH) {
            let rendered: Vec<Box<RawValue>> =
                batch.par_iter().map(|line| agency(self.report, self.fields, line)).collect();
            for one in &rendered {
                seq.serialize_element(one)?;
            }
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct AgencyOut<'a> {
    agency: &'a str,
    name: &'a str,
    rank: Option<usize>,
    index: Option<String>,
    index_exact: Option<String>,
    grade: Option<&'a str>,
    unranked: Option<&'static str>,
    points: String,
    points_exact: String,
    max: String,
    bonus: String,
    deduction: String,
    fields: Vec<FieldOut<'a>>,
    nodes: Vec<NodeOut<'a>>,
}

#[derive(Serialize)]
struct FieldOut<'a> {
    code: &'a str,
    points: Option<String>,
    points_exact: String,
    max: String,
    sub_index: Option<String>,
    /// The agency's rank in its group on this field; `null` where nothing in it applies.
    rank: Option<usize>,
}

#[derive(Serialize)]
struct NodeOut<'a> {
    code: &'a str,
    #[serde(rename = "self")]
    own: Option<Figures>,
    #[serde(rename = "final")]
    last: Figures,
    difference: Option<String>,
    value: Option<&'a str>,
    evidence: Option<&'a str>,
    explanation: Option<&'a str>,
}

#[derive(Serialize)]
struct Figures {
    points: String,
    points_exact: String,
    max: String,
    status: &'static str,
}

/// A line break inside an agency, and the indent of an agency's lines in the document
/// (document, groups, group, agencies: four levels of two spaces).
const AGENCY_INDENT: &str = "\n        ";

/// The document, written to `w` as it is made.
pub(super) fn write(report: &Report<'_>, w: &mut dyn Write) -> io::Result<()> {
    let set = report.set();
    let d = set.decimals;
    let fields = report.fields();
    let groups = report
        .groups()
        .into_iter()
        .map(|(group, lines)| GroupOut {
            group,
            group_name: report.group_label(group),
            agencies: Agencies { report, fields: &fields, lines },
        })
        .collect();
    let document = Document {
        tool: Tool { name: "parindex", version: env!("CARGO_PKG_VERSION") },
        audit: report.audit,
        round: RoundInfo {
            title: report.round.title.as_deref(),
            year: report.round.year,
            stage: match report.results.stage {
                Stage::Final => "final",
                Stage::SelfOnly => "self",
            },
            // The files values were read from: each stage's, then the raw tables.
            inputs: report
                .round
                .layers
                .iter()
                .filter(|l| l.kind != crate::model::layer::LayerKind::Computed)
                .map(|l| l.path.as_str())
                .chain(
                    report
                        .round
                        .inputs
                        .iter()
                        .filter(|i| matches!(i.role, crate::model::round::Role::Table(_)))
                        .map(|i| i.path.as_str()),
                )
                .collect(),
        },
        criteria: SetInfo {
            id: &set.id,
            title: &set.title,
            max: set.max.normalize().to_string(),
            decimals: d,
            round_fields: match set.round_fields {
                crate::model::criteria::RoundFields::Each => "each",
                crate::model::criteria::RoundFields::Sum => "sum",
            },
            round_leaves: set.round_leaves,
            fields: fields
                .iter()
                .map(|&f| FieldInfo {
                    code: &set.nodes[f].code,
                    name: &set.nodes[f].name,
                    max: set.nodes[f].max.normalize().to_string(),
                })
                .collect(),
        },
        groups,
    };
    let mut w = io::BufWriter::with_capacity(1 << 16, w);
    serde_json::to_writer_pretty(&mut w, &document).map_err(io::Error::from)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// The whole document.
pub(super) fn render(report: &Report<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    write(report, &mut out).expect("writing to memory does not fail");
    out
}

/// One agency, indented for its place in the document (the formatter writes a raw value
/// as it is).
fn agency(report: &Report<'_>, fields: &[NodeId], line: &Line<'_>) -> Box<RawValue> {
    let set = report.set();
    let d = set.decimals;
    let fixed = |v: Decimal| {
        let mut v = v;
        v.rescale(d);
        v.to_string()
    };
    let exact = |x: &Figure| x.approx(EXACT_PLACES).to_string();
    let figures = |n: &NodeScore<Figure>| Figures {
        points: fixed(n.points.round(d)),
        points_exact: exact(&n.points),
        max: exact(&n.max),
        status: n.status.key(),
    };
    let r = &report.results.agencies[line.result];
    let s = &r.score;
    let agency = AgencyOut {
        agency: &line.agency.id,
        name: &line.agency.name,
        rank: line.rank,
        index: line.index.map(fixed),
        index_exact: line.index_exact.map(|x| x.to_string()),
        grade: line.grade,
        unranked: line.index.is_none().then_some("nothing-applies"),
        points: fixed(line.points),
        points_exact: exact(&s.points),
        max: exact(&s.max),
        bonus: exact(&s.bonus),
        deduction: exact(&s.deduction),
        fields: fields
            .iter()
            .zip(&line.fields)
            .zip(line.field_ranks)
            .map(|((&f, shown), &rank)| FieldOut {
                code: &set.nodes[f].code,
                points: shown.map(fixed),
                points_exact: exact(&s.nodes[f].points),
                max: exact(&s.nodes[f].max),
                sub_index: s.nodes[f].sub_index().map(|x| fixed(x.round(d))),
                rank,
            })
            .collect(),
        nodes: set
            .nodes
            .iter()
            .enumerate()
            .map(|(id, node)| {
                let last = &s.nodes[id];
                let own = r.self_score.as_ref().map(|o| &o.nodes[id]);
                let trail = r.cells[id];
                let decisive = trail.and_then(|t| t.decisive(report.round)).map(|(_, c)| c);
                NodeOut {
                    code: &node.code,
                    own: own.map(figures),
                    last: figures(last),
                    difference: own.map(|o| exact(&last.points.sub(&o.points))),
                    value: decisive.map(Cell::raw),
                    evidence: trail.and_then(|t| t.evidence(report.round)),
                    explanation: decisive.and_then(Cell::explanation),
                }
            })
            .collect(),
    };
    let text = serde_json::to_string_pretty(&agency)
        .expect("results serialise to JSON")
        .replace('\n', AGENCY_INDENT);
    RawValue::from_string(text).expect("serde_json writes valid JSON")
}
