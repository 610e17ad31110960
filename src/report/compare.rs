//! Comparisons: what the appraisal council changed in a round (self against final), and
//! how agencies moved from one round or year to the next.

use rust_decimal::Decimal;
use rustc_hash::{FxHashMap, FxHashSet};

use super::Lang;
use super::grid::{Grid, Value, group_cells, group_columns};
use crate::model::criteria::{CriteriaSet, Kind, NodeId};
use crate::model::round::Round;
use crate::score::results::Results;

fn fields(set: &CriteriaSet) -> Vec<NodeId> {
    set.roots().filter(|(_, n)| n.kind == Kind::Regular).map(|(i, _)| i).collect()
}

/// Per agency, the computed leaves whose self-assessed value the system's figure
/// contradicts. The claim is the stack's value at the self stage: the system's figure
/// fills that only where the agency claimed nothing, and then it cannot differ.
fn system_differences(round: &Round) -> Vec<Vec<NodeId>> {
    use crate::model::layer::{LayerKind, Stage};
    let mut differs = vec![Vec::new(); round.agencies.len()];
    for layer in round.layers.iter().filter(|l| l.kind == LayerKind::Computed) {
        for cell in &layer.cells {
            let rule = &round.set.nodes[cell.node].leaf.as_ref().expect("a cell is a leaf's").rule;
            let claim = round.stack.input(Stage::SelfOnly, cell.agency, cell.node).value.copied();
            if claim.is_some() && !crate::score::points::same_worth(cell.value, claim, rule) {
                differs[cell.agency].push(cell.node);
            }
        }
    }
    differs
}

/// Self against final: per agency, the index it claimed, the index after appraisal, and
/// per field the points the council took off (negative) or added; the agencies whose
/// self-assessment was furthest off come first.
pub(crate) fn appraisal(round: &Round, results: &Results, lang: Lang) -> Grid {
    let set = &round.set;
    let d = set.decimals;
    let vi = lang == Lang::Vi;
    let fields = fields(set);
    let mut header: Vec<String> = if vi {
        ["Mã", "Cơ quan, đơn vị", "Nhóm", "Tự đánh giá (%)", "Thẩm định (%)", "Chênh lệch"]
    } else {
        ["Id", "Agency", "Group", "Self (%)", "Final (%)", "Difference"]
    }
    .map(String::from)
    .to_vec();
    let mut keys: Vec<String> =
        ["agency", "name", "group", "index_self", "index_final", "difference"]
            .map(String::from)
            .to_vec();
    let audience = group_columns(&mut header, &mut keys, 2);
    let mut names = vec![String::new(); header.len()];
    for &f in &fields {
        header.push(format!("Δ {}", set.nodes[f].code));
        keys.push(format!("difference_{}", set.nodes[f].code));
        names.push(set.nodes[f].name.clone());
    }
    // Where the set computes values from the system, the claims the system's figures
    // contradicted and what that moved.
    let claims =
        set.leaves().any(|(_, _, l)| l.compute.is_some()).then(|| system_differences(round));
    if claims.is_some() {
        header.extend(
            if vi {
                ["Số liệu hệ thống khác tự chấm", "Δ điểm do số liệu hệ thống"]
            } else {
                ["Claims the system contradicts", "Δ points from system figures"]
            }
            .map(String::from),
        );
        keys.extend(["system_differs", "difference_system"].map(String::from));
    }
    names.resize(header.len(), String::new());
    // Each field's difference, then each computed leaf's, per agency: worked out one
    // agency at a time, kept as the figures alone.
    let computed: Vec<NodeId> =
        set.leaves().filter(|(_, _, l)| l.compute.is_some()).map(|(id, _, _)| id).collect();
    let worked_out: Vec<NodeId> = fields.iter().chain(&computed).copied().collect();
    let differences = crate::score::results::differences(round, &worked_out);
    let mut lines: Vec<(Decimal, Vec<Value>)> = results
        .agencies
        .iter()
        .map(|r| {
            let a = &round.agencies[r.agency];
            let differences = &differences[r.agency];
            let own_index = r.self_index.as_ref().map(|i| i.round(d));
            let gap = match (own_index, r.rounded) {
                (Some(o), Some(f)) => Some(f - o),
                _ => None,
            };
            let mut row = vec![Value::Text(a.id.clone()), Value::Text(a.name.clone())];
            row.extend(group_cells(&a.group, round.group_name(&a.group)));
            row.extend([
                own_index.map_or(Value::Empty, Value::Figure),
                r.rounded.map_or(Value::Empty, Value::Figure),
                gap.map_or(Value::Empty, Value::Figure),
            ]);
            for (applies, difference) in &differences[..fields.len()] {
                row.push(if *applies { Value::Figure(difference.round(d)) } else { Value::Empty });
            }
            if let Some(claims) = &claims {
                let leaves = &claims[r.agency];
                let of = |id: &NodeId| {
                    let at = computed.iter().position(|c| c == id).expect("a computed leaf");
                    &differences[fields.len() + at].1
                };
                let moved = leaves
                    .iter()
                    .map(of)
                    .fold(crate::score::figure::Figure::from_int(0), |a, b| a.add(b));
                row.push(Value::Whole(i64::try_from(leaves.len()).unwrap_or(i64::MAX)));
                row.push(Value::Figure(moved.round(d)));
            }
            (gap.unwrap_or_default(), row)
        })
        .collect();
    // Largest corrections first; ties in the agencies file's order.
    lines.sort_by_key(|(gap, _)| std::cmp::Reverse(gap.abs()));
    let title = match lang {
        Lang::Vi => format!(
            "{} — chênh lệch giữa tự đánh giá và thẩm định",
            round.title.as_deref().unwrap_or(&set.title)
        ),
        Lang::En => format!(
            "{} — self-assessment against appraisal",
            round.title.as_deref().unwrap_or(&set.title)
        ),
    };
    let taken: Decimal = lines.iter().map(|(g, _)| *g).filter(Decimal::is_sign_negative).sum();
    // Where the set computes values from the system, the figures change results too.
    let who = match (lang, claims.is_some()) {
        (Lang::Vi, false) => "Thẩm định",
        (Lang::Vi, true) => "Thẩm định và số liệu hệ thống",
        (Lang::En, false) => "The appraisal",
        (Lang::En, true) => "The appraisal and the system's figures",
    };
    let notes = vec![match lang {
        Lang::Vi => format!(
            "{who} điều chỉnh {} đơn vị; tổng chỉ số bị trừ {}",
            lines.iter().filter(|(g, _)| !g.is_zero()).count(),
            super::figure(-taken, d, lang)
        ),
        Lang::En => format!(
            "{who} changed {} agencies; index points taken off in all: {}",
            lines.iter().filter(|(g, _)| !g.is_zero()).count(),
            super::figure(-taken, d, lang)
        ),
    }];
    Grid {
        title,
        notes,
        header,
        keys,
        names,
        audience,
        rows: lines.into_iter().map(|(_, r)| r).collect(),
        decimals: d,
        lang,
    }
}

/// One round against another (a year against the last): rank and index movement per
/// agency, and each field's sub-index movement, fields matched by code; where the
/// criteria sets differ, notes say how.
pub(crate) fn rounds(old: (&Round, &Results), new: (&Round, &Results), lang: Lang) -> Grid {
    let (old_round, old_results) = old;
    let (new_round, new_results) = new;
    let (os, ns) = (&old_round.set, &new_round.set);
    let places = ns.decimals;
    let vi = lang == Lang::Vi;
    let shared: Vec<(NodeId, NodeId)> = fields(ns)
        .into_iter()
        .filter_map(|after| os.find(&ns.nodes[after].code).map(|before| (before, after)))
        .collect();
    let mut header: Vec<String> = if vi {
        [
            "Mã",
            "Cơ quan, đơn vị",
            "Nhóm",
            "Hạng trước",
            "Hạng sau",
            "Tăng hạng",
            "Chỉ số trước",
            "Chỉ số sau",
            "Chênh lệch",
        ]
    } else {
        [
            "Id",
            "Agency",
            "Group",
            "Rank before",
            "Rank after",
            "Places up",
            "Index before",
            "Index after",
            "Difference",
        ]
    }
    .map(String::from)
    .to_vec();
    let mut keys: Vec<String> = [
        "agency",
        "name",
        "group",
        "rank_before",
        "rank_after",
        "places_up",
        "index_before",
        "index_after",
        "difference",
    ]
    .map(String::from)
    .to_vec();
    let audience = group_columns(&mut header, &mut keys, 2);
    let mut names = vec![String::new(); header.len()];
    for &(_, after) in &shared {
        header.push(format!("Δ {} (%)", ns.nodes[after].code));
        keys.push(format!("difference_{}", ns.nodes[after].code));
        names.push(ns.nodes[after].name.clone());
    }
    // The earlier round's result of each agency, by id: found once each, not by a scan of
    // every agency for every agency (a ministry's 100,000 made that quadratic).
    let earlier: FxHashMap<&str, usize> = old_results
        .agencies
        .iter()
        .enumerate()
        .map(|(k, r)| (old_round.agencies[r.agency].id.as_str(), k))
        .collect();
    let mut rows = Vec::new();
    for (group, members) in &new_results.groups {
        for &m in members {
            let r = &new_results.agencies[m];
            let a = &new_round.agencies[r.agency];
            let before = earlier.get(a.id.as_str()).map(|&k| &old_results.agencies[k]);
            let old_rank = before.and_then(|b| b.rank);
            let old_index = before.and_then(|b| b.rounded);
            let up = match (old_rank, r.rank) {
                (Some(o), Some(n)) => {
                    Value::Whole(i64::try_from(o).unwrap_or(0) - i64::try_from(n).unwrap_or(0))
                }
                _ => Value::Empty,
            };
            let mut row = vec![Value::Text(a.id.clone()), Value::Text(a.name.clone())];
            row.extend(group_cells(group, new_round.group_name(group)));
            row.extend([
                old_rank.map_or(Value::Empty, |x| Value::Whole(i64::try_from(x).unwrap_or(0))),
                r.rank.map_or(Value::Empty, |x| Value::Whole(i64::try_from(x).unwrap_or(0))),
                up,
                old_index.map_or(Value::Empty, Value::Figure),
                r.rounded.map_or(Value::Empty, Value::Figure),
                match (old_index, r.rounded) {
                    (Some(o), Some(n)) => Value::Figure(n - o),
                    _ => Value::Empty,
                },
            ]);
            for &(before_id, after_id) in &shared {
                let after = r.score.nodes[after_id].sub_index();
                let then = before.and_then(|b| b.score.nodes[before_id].sub_index());
                row.push(match (then, after) {
                    (Some(e), Some(a)) => Value::Figure(a.sub(&e).round(places)),
                    _ => Value::Empty,
                });
            }
            rows.push(row);
        }
    }
    let mut notes = differences(os, ns, lang);
    let later: FxHashSet<&str> = new_round.agencies.iter().map(|a| a.id.as_str()).collect();
    let gone: Vec<&str> = old_round
        .agencies
        .iter()
        .filter(|a| !later.contains(a.id.as_str()))
        .map(|a| a.id.as_str())
        .collect();
    if !gone.is_empty() {
        notes.push(match lang {
            Lang::Vi => format!("Không còn trong vòng sau: {}", gone.join(", ")),
            Lang::En => format!("Not in the later round: {}", gone.join(", ")),
        });
    }
    let title = match lang {
        Lang::Vi => format!(
            "{} so với {}",
            new_round.title.as_deref().unwrap_or(&ns.title),
            old_round.title.as_deref().unwrap_or(&os.title)
        ),
        Lang::En => format!(
            "{} against {}",
            new_round.title.as_deref().unwrap_or(&ns.title),
            old_round.title.as_deref().unwrap_or(&os.title)
        ),
    };
    Grid { title, notes, header, keys, names, audience, rows, decimals: places, lang }
}

/// How two criteria sets differ, node by node (matched by code).
fn differences(old: &CriteriaSet, new: &CriteriaSet, lang: Lang) -> Vec<String> {
    let vi = lang == Lang::Vi;
    let mut notes = Vec::new();
    if old.id != new.id {
        notes.push(if vi {
            format!("Bộ tiêu chí khác nhau: {} → {}", old.id, new.id)
        } else {
            format!("Different criteria sets: {} → {}", old.id, new.id)
        });
    }
    let added: Vec<&str> =
        new.nodes.iter().filter(|n| old.find(&n.code).is_none()).map(|n| n.code.as_str()).collect();
    let removed: Vec<&str> =
        old.nodes.iter().filter(|n| new.find(&n.code).is_none()).map(|n| n.code.as_str()).collect();
    let changed: Vec<String> = new
        .nodes
        .iter()
        .filter_map(|n| {
            let o = &old.nodes[old.find(&n.code)?];
            (o.max != n.max)
                .then(|| format!("{} ({} → {})", n.code, o.max.normalize(), n.max.normalize()))
        })
        .collect();
    if !added.is_empty() {
        notes.push(if vi {
            format!("Tiêu chí mới: {}", added.join(", "))
        } else {
            format!("Nodes added: {}", added.join(", "))
        });
    }
    if !removed.is_empty() {
        notes.push(if vi {
            format!("Tiêu chí bỏ: {}", removed.join(", "))
        } else {
            format!("Nodes removed: {}", removed.join(", "))
        });
    }
    if !changed.is_empty() {
        notes.push(if vi {
            format!("Điểm tối đa thay đổi: {}", changed.join(", "))
        } else {
            format!("Maxima changed: {}", changed.join(", "))
        });
    }
    if !notes.is_empty() {
        notes.push(if vi {
            "Lĩnh vực được so sánh theo chỉ số thành phần (%), khớp theo mã.".into()
        } else {
            "Fields are compared by sub-index (%), matched by code.".into()
        });
    }
    notes
}
