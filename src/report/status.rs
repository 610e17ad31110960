//! Who has submitted (`parindex status`): per agency, whether its self-assessment is in,
//! how many of the sub-criteria it answers it has answered, its claims without evidence,
//! and how many of the values the round's tables give it has; those who have not
//! submitted come first, as the Sở Nội vụ chases them.

use std::collections::HashSet;
use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::Lang;
use super::grid::{Grid, Value, group_cells, group_columns};
use crate::model::criteria::{NodeId, Source};
use crate::model::layer::LayerKind;
use crate::model::round::Round;
use crate::score::results::Results;
use crate::score::tree::Status;

/// The grid of `status`; `own` is the round scored at the self stage with every node.
pub(crate) fn status(round: &Round, own: &Results, lang: Lang) -> Grid {
    let set = &round.set;
    let vi = lang == Lang::Vi;
    let tables = round.layers.iter().any(|l| l.kind == LayerKind::Computed);
    // What an agency answers: every sub-criterion it assesses, but those the round's
    // tables give.
    let asked: Vec<NodeId> = set
        .leaves()
        .filter(|(_, _, l)| l.source == Source::Assessment && !(tables && l.compute.is_some()))
        .map(|(id, _, _)| id)
        .collect();
    let system: Vec<NodeId> = set
        .leaves()
        .filter(|(_, _, l)| tables && l.compute.is_some())
        .map(|(id, _, _)| id)
        .collect();
    let n = round.agencies.len();
    let mut submitted = vec![false; n];
    let mut answered: Vec<HashSet<NodeId>> = vec![HashSet::new(); n];
    let mut given: Vec<HashSet<NodeId>> = vec![HashSet::new(); n];
    for layer in &round.layers {
        for cell in &layer.cells {
            match layer.kind {
                LayerKind::SelfAssessment => {
                    submitted[cell.agency] = true;
                    if cell.value.is_some() {
                        answered[cell.agency].insert(cell.node);
                    }
                }
                // An agency with too few survey answers has no figure from them.
                LayerKind::Computed
                    if cell.value.is_some_and(|v| v != crate::model::value::Value::NotSurveyed) =>
                {
                    given[cell.agency].insert(cell.node);
                }
                _ => {}
            }
        }
    }
    let unproven: Vec<usize> = own
        .agencies
        .iter()
        .map(|r| {
            set.leaves()
                .filter(|(id, _, _)| matches!(r.score.nodes[*id].status, Status::NoEvidence { .. }))
                .count()
        })
        .collect();
    let mut header: Vec<&str> = if vi {
        vec![
            "Mã",
            "Cơ quan, đơn vị",
            "Nhóm",
            "Đã nộp",
            "Đã chấm",
            "Phải chấm",
            "Tỷ lệ (%)",
            "Thiếu tài liệu kiểm chứng",
        ]
    } else {
        vec![
            "Id",
            "Agency",
            "Group",
            "Submitted",
            "Answered",
            "To answer",
            "Share (%)",
            "Without evidence",
        ]
    };
    let mut keys = vec![
        "agency",
        "name",
        "group",
        "submitted",
        "answered",
        "to_answer",
        "share",
        "no_evidence",
    ];
    if !system.is_empty() {
        header.extend(if vi {
            ["Số liệu hệ thống", "Cần có"]
        } else {
            ["From the system", "Expected"]
        });
        keys.extend(["system", "system_expected"]);
    }
    let whole = |k: usize| Value::Whole(i64::try_from(k).unwrap_or(i64::MAX));
    let row = |a: usize| -> Vec<Value> {
        let agency = &round.agencies[a];
        let done = asked.iter().filter(|id| answered[a].contains(id)).count();
        let share = if asked.is_empty() {
            Value::Empty
        } else {
            Value::Percent(Decimal::from(done) / Decimal::from(asked.len()))
        };
        let mut row = vec![Value::Text(agency.id.clone()), Value::Text(agency.name.clone())];
        row.extend(group_cells(&agency.group, round.group_name(&agency.group)));
        row.extend([
            Value::Text(match (submitted[a], vi) {
                (true, true) => "có".into(),
                (false, true) => "chưa".into(),
                (true, false) => "yes".into(),
                (false, false) => "no".into(),
            }),
            whole(done),
            whole(asked.len()),
            share,
            whole(unproven[a]),
        ]);
        if !system.is_empty() {
            row.push(whole(system.iter().filter(|id| given[a].contains(id)).count()));
            row.push(whole(system.len()));
        }
        row
    };
    // Those who have not submitted first, each part in the agencies file's order.
    let order: Vec<usize> =
        (0..n).filter(|&a| !submitted[a]).chain((0..n).filter(|&a| submitted[a])).collect();
    let missing: Vec<&str> =
        (0..n).filter(|&a| !submitted[a]).map(|a| round.agencies[a].id.as_str()).collect();
    // A country's communes are named twenty at a time; the table lists them all.
    let named = {
        let mut named = missing.iter().take(20).copied().collect::<Vec<_>>().join(", ");
        if missing.len() > 20 {
            let more = missing.len() - 20;
            let _ = if vi {
                write!(named, " và {more} đơn vị khác")
            } else {
                write!(named, " and {more} more")
            };
        }
        named
    };
    let title_of = round.title.as_deref().unwrap_or(&set.title);
    let title = if vi {
        format!("{title_of} — tình hình nộp tự đánh giá")
    } else {
        format!("{title_of} — who has submitted")
    };
    let notes = vec![match (missing.is_empty(), vi) {
        (true, true) => format!("Cả {n} đơn vị đã nộp tự đánh giá."),
        (true, false) => format!("All {n} agencies have submitted their self-assessment."),
        (false, true) => {
            format!("{} / {n} đơn vị chưa nộp tự đánh giá: {named}", missing.len())
        }
        (false, false) => format!(
            "{} of {n} agencies have not submitted their self-assessment: {named}",
            missing.len()
        ),
    }];
    let mut header: Vec<String> = header.into_iter().map(String::from).collect();
    let mut keys: Vec<String> = keys.into_iter().map(String::from).collect();
    let audience = group_columns(&mut header, &mut keys, 2);
    Grid {
        title,
        notes,
        header,
        keys,
        audience,
        names: Vec::new(),
        rows: order.into_iter().map(row).collect(),
        decimals: set.decimals,
        lang,
    }
}
