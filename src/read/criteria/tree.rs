//! Building the tree from the flat list of nodes, and checking what only the tree shows:
//! codes that repeat, parents that are missing or form a cycle, maxima that do not add
//! up, weights given to some children but not all.

use std::collections::HashMap;
use std::ops::Range;

use rust_decimal::Decimal;

use super::raw::{Head, RawNode};
use super::rules;
use crate::diagnostic::Diagnostic;
use crate::lang::Text;
use crate::model::criteria::{Kind, Leaf, Node};
use crate::read::fields::At;
use crate::tr;

/// Builds and checks the tree. Returns the nodes (in file order) when nothing was wrong
/// with any of them.
pub(super) fn build(
    raw: &[RawNode<'_, '_>],
    head: &Head,
    out: &mut Vec<Diagnostic>,
) -> Option<Vec<Node>> {
    let n = raw.len();
    // Nodes that take part in the tree: a node without a usable code, or repeating one,
    // cannot be placed.
    let mut usable: Vec<bool> = raw.iter().map(|r| r.code.is_some()).collect();
    // Parents whose children are not all known: their sums are not checked, so that one
    // mistake is not reported again at every level above it.
    let mut unsure = vec![false; n];
    let mut by_code: HashMap<&str, usize> = HashMap::new();
    for (i, r) in raw.iter().enumerate() {
        let Some(code) = &r.code else { continue };
        if let Some(&first) = by_code.get(code.value.as_str()) {
            let first_span = raw[first].code.as_ref().map_or(0..0, |c| c.span.clone());
            out.push(
                Diagnostic::error(
                    "duplicate-code",
                    tr!("the code \"{}\" is used twice", "mã \"{}\" bị dùng hai lần", code.value),
                )
                .at(code.span.clone(), tr!("used again here", "dùng lại ở đây"))
                .with_context(first_span, tr!("first used here", "dùng lần đầu ở đây"))
                .help(tr!(
                    "every node needs its own code; renumber one of them",
                    "mỗi mục cần một mã riêng; hãy đánh số lại một trong hai mục"
                )),
            );
            usable[i] = false;
            if let Some(&p) = wanted_parent(r).and_then(|(p, _)| by_code.get(p)) {
                unsure[p] = true;
            }
        } else {
            by_code.insert(&code.value, i);
        }
    }
    if n > 0 && raw.iter().all(|r| r.code.is_none()) {
        return None;
    }

    let mut parent: Vec<Option<usize>> = vec![None; n];
    for i in 0..n {
        if !usable[i] {
            continue;
        }
        let r = &raw[i];
        let code = &r.code.as_ref().expect("usable nodes have codes").value;
        let implied = code.rsplit_once('.').map(|(p, _)| p);
        let mut disagrees = false;
        if let (Some(explicit), Some(implied)) = (&r.parent, implied)
            && explicit.value != implied
        {
            disagrees = true;
            out.push(
                    Diagnostic::error(
                        "parent-mismatch",
                        tr!(
                            "node \"{code}\" names \"{}\" as its parent, but its code places it under \"{implied}\"",
                            "mục \"{code}\" ghi \"{}\" là mục cha, nhưng theo mã thì mục này thuộc \"{implied}\"",
                            explicit.value
                        ),
                    )
                    .at(explicit.span.clone(), tr!("disagrees with the code", "không khớp với mã"))
                    .help(tr!(
                        "remove `parent` to keep it under \"{implied}\", or give it a code under \"{}\"",
                        "hãy bỏ `parent` để mục vẫn thuộc \"{implied}\", hoặc đặt cho mục một mã thuộc \"{}\"",
                        explicit.value
                    )),
                );
        }
        let Some((wanted, span)) = wanted_parent(r) else { continue };
        match by_code.get(wanted) {
            Some(&p) if p == i => {
                out.push(
                    Diagnostic::error(
                        "parent-cycle",
                        tr!(
                            "node \"{code}\" names itself as its parent",
                            "mục \"{code}\" tự ghi chính mình là mục cha"
                        ),
                    )
                    .at(span, tr!("its own code", "chính mã của mục")),
                );
                usable[i] = false;
            }
            Some(&p) => parent[i] = Some(p),
            // The disagreement is already reported; one message for one slip.
            None if disagrees => usable[i] = false,
            None => {
                let message = if r.parent.is_some() {
                    tr!(
                        "node \"{code}\" names \"{wanted}\", but the set has no node \"{wanted}\"",
                        "mục \"{code}\" ghi mục cha là \"{wanted}\", nhưng bộ tiêu chí không có mục \"{wanted}\""
                    )
                } else {
                    tr!(
                        "node \"{code}\" is placed by its code under \"{wanted}\", but the set has no node \"{wanted}\"",
                        "theo mã, mục \"{code}\" thuộc \"{wanted}\", nhưng bộ tiêu chí không có mục \"{wanted}\""
                    )
                };
                out.push(
                    Diagnostic::error("missing-parent", message)
                        .at(span, tr!("no node \"{wanted}\"", "không có mục \"{wanted}\""))
                        .help(tr!(
                            "add a [[node]] with code = \"{wanted}\" above it, or correct the code",
                            "hãy thêm một [[node]] có code = \"{wanted}\" ở phía trên, hoặc sửa lại mã"
                        )),
                );
                usable[i] = false;
            }
        }
    }
    break_cycles(raw, &mut parent, &mut usable, out);
    // A node that could not be placed belongs somewhere: sums checked without it would
    // report the same slip again, at every level above it.
    let all_placed = usable.iter().all(|&u| u);

    // Depths, walking up iteratively: a chain may be as long as the file.
    let mut depth: Vec<Option<usize>> = vec![None; n];
    for start in 0..n {
        let mut chain = Vec::new();
        let mut cur = Some(start);
        let base = loop {
            match cur {
                None => break Some(0),
                Some(c) if !usable[c] => break None,
                Some(c) => {
                    if let Some(d) = depth[c] {
                        break Some(d + 1);
                    }
                    chain.push(c);
                    cur = parent[c];
                }
            }
        };
        // `base` is the depth just below the first known ancestor (or 0 at the top).
        let Some(base) = base else { continue };
        for (k, &c) in chain.iter().rev().enumerate() {
            depth[c] = Some(base + k);
        }
    }
    let attached = |i: usize| depth[i].is_some();

    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in (0..n).filter(|&i| attached(i)) {
        if let Some(p) = parent[i] {
            children[p].push(i);
            if p > i {
                let code = &raw[i].code.as_ref().expect("attached nodes have codes").value;
                let pcode = &raw[p].code.as_ref().expect("attached nodes have codes").value;
                out.push(
                    Diagnostic::warning(
                        "child-before-parent",
                        tr!(
                            "node \"{code}\" comes before its parent \"{pcode}\" in the file",
                            "trong tệp, mục \"{code}\" đứng trước mục cha \"{pcode}\" của nó"
                        ),
                    )
                    .at(
                        raw[i].fields.header.clone(),
                        tr!("listed before its parent", "đứng trước mục cha"),
                    )
                    .help(tr!(
                        "the file's order is the order of reports: move it below its parent",
                        "thứ tự trong tệp là thứ tự trong báo cáo: hãy chuyển mục này xuống dưới mục cha"
                    )),
                );
            }
        }
    }

    // Kinds and weights belong to particular levels.
    let mut kind = vec![Kind::Regular; n];
    for i in (0..n).filter(|&i| attached(i)) {
        let r = &raw[i];
        if parent[i].is_some() {
            if let Some(k) = &r.kind {
                out.push(
                    Diagnostic::error(
                        "kind-not-top-level",
                        Text::new(
                            format!("{} is not top-level, so it cannot be a bonus or deduction node", r.fields.what.en),
                            format!("{} không phải là mục cấp cao nhất nên không thể là mục điểm thưởng hay điểm trừ", r.fields.what.vi),
                        ),
                    )
                    .at(k.span.clone(), tr!("only top-level nodes carry `kind`", "chỉ mục cấp cao nhất mới có `kind`"))
                    .help(tr!(
                        "put `kind` on the top-level node that holds it; everything under it counts the same way",
                        "hãy đặt `kind` ở mục cấp cao nhất chứa mục này; mọi mục bên dưới đều được tính theo cùng một cách"
                    )),
                );
            }
        } else {
            if let Some(w) = &r.weight {
                out.push(
                    Diagnostic::error(
                        "weight-top-level",
                        Text::new(
                            format!(
                                "{} is top-level; weights apply among the children of one parent",
                                r.fields.what.en
                            ),
                            format!(
                                "{} là mục cấp cao nhất; trọng số chỉ áp dụng giữa các mục con của cùng một mục cha",
                                r.fields.what.vi
                            ),
                        ),
                    )
                    .at(
                        w.span.clone(),
                        tr!(
                            "top-level nodes are added, not weighed",
                            "các mục cấp cao nhất được cộng lại, không tính theo trọng số"
                        ),
                    )
                    .help(tr!(
                        "remove `weight`, and give the field the max it should count for",
                        "hãy bỏ `weight` và ghi cho lĩnh vực điểm tối đa mà lĩnh vực được tính"
                    )),
                );
            }
            kind[i] = r.kind.as_ref().map_or(Kind::Regular, |k| k.value);
        }
    }
    // Everything under a bonus or deduction node counts as its top-level node does.
    let mut downwards: Vec<usize> = (0..n).filter(|&i| attached(i)).collect();
    downwards.sort_by_key(|&i| depth[i]);
    for &i in &downwards {
        if let Some(p) = parent[i] {
            kind[i] = kind[p];
        }
    }

    // Leaves carry a rule; parents must not. A node left out of the tree still has its
    // rule checked, if it has one.
    let mut leaves: Vec<Option<Leaf>> = vec![None; n];
    for i in 0..n {
        if !children[i].is_empty() {
            rules::no_leaf_keys(&raw[i], out);
        } else if usable[i] || raw[i].fields.has("rule") {
            leaves[i] = rules::read_leaf(&raw[i], head, out);
        }
    }

    // Maxima, from the deepest nodes up.
    let mut max: Vec<Option<Decimal>> = vec![None; n];
    for &i in downwards.iter().rev() {
        max[i] = if children[i].is_empty() {
            raw[i].max.as_ref().map(|m| m.value)
        } else {
            parent_max(i, raw, &children[i], &max, unsure[i] || !all_placed, out)
        };
        if (max[i].is_none() || unsure[i] || raw[i].doubtful)
            && let Some(p) = parent[i]
        {
            unsure[p] = true;
        }
    }
    if all_placed {
        check_total(raw, head, &parent, &kind, &max, &unsure, out);
    }

    let complete = (0..n).all(|i| attached(i) && max[i].is_some())
        && (0..n).all(|i| !children[i].is_empty() || leaves[i].is_some());
    if !complete {
        return None;
    }
    Some(
        raw.iter()
            .enumerate()
            .map(|(i, r)| Node {
                code: r.code.as_ref().expect("complete").value.clone(),
                name: r.name.as_ref().map(|n| n.value.clone()).unwrap_or_default(),
                note: r.note.clone(),
                max: max[i].expect("complete"),
                parent: parent[i],
                children: children[i].clone(),
                depth: depth[i].expect("complete"),
                kind: kind[i],
                weight: r.weight.as_ref().map(|w| w.value),
                cap: r.cap.as_ref().is_some_and(|c| c.value) && !children[i].is_empty(),
                leaf: leaves[i].take(),
                line: r.line,
            })
            .collect(),
    )
}

/// The parent a node asks for: its `parent` key, else what its dotted code implies.
fn wanted_parent<'a>(r: &'a RawNode<'_, '_>) -> Option<(&'a str, Range<usize>)> {
    if let Some(p) = &r.parent {
        return Some((p.value.as_str(), p.span.clone()));
    }
    let code = r.code.as_ref()?;
    code.value.rsplit_once('.').map(|(p, _)| (p, code.span.clone()))
}

/// How many nodes of a long cycle are named at each of its ends.
const SHOWN_IN_CYCLE: usize = 5;

/// Reports every cycle made through `parent` keys once, and takes its nodes out of the
/// tree so that the rest can still be checked.
fn break_cycles(
    raw: &[RawNode<'_, '_>],
    parent: &mut [Option<usize>],
    usable: &mut [bool],
    out: &mut Vec<Diagnostic>,
) {
    let n = raw.len();
    // 0: not seen, 1: on the walk under way, 2: done.
    let mut state = vec![0u8; n];
    for start in 0..n {
        let mut path = Vec::new();
        let mut cur = Some(start);
        while let Some(c) = cur {
            if state[c] == 2 {
                break;
            }
            if state[c] == 1 {
                let from = path.iter().position(|&x| x == c).expect("on the path");
                let cycle: Vec<usize> = path[from..].to_vec();
                let first = *cycle.iter().min().expect("a cycle has nodes");
                let codes: Vec<String> = cycle
                    .iter()
                    .chain(std::iter::once(&cycle[0]))
                    .filter_map(|&x| raw[x].code.as_ref().map(|c| format!("\"{}\"", c.value)))
                    .collect();
                // A loop through a thousand nodes is named by its ends and its length.
                let codes = if codes.len() > 2 * SHOWN_IN_CYCLE {
                    let hidden = codes.len() - 2 * SHOWN_IN_CYCLE;
                    let first = codes[..SHOWN_IN_CYCLE].join(" → ");
                    let last = codes[codes.len() - SHOWN_IN_CYCLE..].join(" → ");
                    tr!(
                        "{first} → … {hidden} more … → {last}",
                        "{first} → … {hidden} mục nữa … → {last}"
                    )
                } else {
                    Text::same(codes.join(" → "))
                };
                let span = raw[first]
                    .parent
                    .as_ref()
                    .map_or_else(|| raw[first].fields.header.clone(), |p| p.span.clone());
                out.push(
                    Diagnostic::error(
                        "parent-cycle",
                        Text::new(
                            format!("these nodes are each other's parents: {}", codes.en),
                            format!("các mục này lần lượt là mục cha của nhau, tạo thành vòng lặp: {}", codes.vi),
                        ),
                    )
                    .at(span, tr!("this `parent` closes the loop", "`parent` này khép kín vòng lặp"))
                    .help(tr!(
                        "a node's parent must lead up to a top-level node; correct one of these `parent` keys",
                        "các mục cha của một mục phải dẫn lên tới một mục cấp cao nhất; hãy sửa một trong các khóa `parent` này"
                    )),
                );
                for &x in &cycle {
                    usable[x] = false;
                    parent[x] = None;
                }
                break;
            }
            state[c] = 1;
            path.push(c);
            cur = parent[c];
        }
        for p in path {
            state[p] = 2;
        }
    }
}

/// A parent's max: its own where it weighs its children, else the sum of theirs, checked
/// against what it says.
fn parent_max(
    i: usize,
    raw: &[RawNode<'_, '_>],
    children: &[usize],
    max: &[Option<Decimal>],
    unsure: bool,
    out: &mut Vec<Diagnostic>,
) -> Option<Decimal> {
    let r = &raw[i];
    let code = &r.code.as_ref().expect("attached nodes have codes").value;
    let written = r.max.as_ref();
    // A weight written wrong (too large, in quotes) is reported where it stands; it is
    // still a weight written, not one left out.
    let has_weight = |c: usize| raw[c].weight.is_some() || raw[c].fields.has("weight");
    let weighted: Vec<usize> = children.iter().copied().filter(|&c| has_weight(c)).collect();
    if !weighted.is_empty() && weighted.len() < children.len() {
        let lacking: Vec<&str> = children
            .iter()
            .filter(|&&c| !has_weight(c))
            .filter_map(|&c| raw[c].code.as_ref().map(|x| x.value.as_str()))
            .collect();
        let first =
            children.iter().find(|&&c| !has_weight(c)).copied().expect("some lack a weight");
        let weight_at = raw[weighted[0]].fields.value_span("weight");
        out.push(
            Diagnostic::error(
                "partial-weights",
                {
                    let has = if lacking.len() == 1 { "has" } else { "have" };
                    let lacking = quoted_list(&lacking);
                    Text::new(
                        format!(
                            "the children of \"{code}\" must all carry a weight or none, but {} {has} none",
                            lacking.en
                        ),
                        format!(
                            "các mục con của \"{code}\" phải cùng có trọng số hoặc cùng không có, nhưng {} không có",
                            lacking.vi
                        ),
                    )
                },
            )
            .at(raw[first].fields.header.clone(), tr!("no `weight` here", "không có `weight` ở đây"))
            .with_context(weight_at, tr!("a sibling has a weight", "một mục cùng cấp có trọng số"))
            .help(tr!(
                "add a weight to every child, or remove them all to add the children up",
                "hãy ghi trọng số cho mọi mục con, hoặc bỏ hết trọng số để cộng điểm các mục con"
            )),
        );
        return written.map(|w| w.value);
    }
    let cap = r.cap.as_ref().filter(|c| c.value);
    if let (Some(cap), false) = (cap, weighted.is_empty()) {
        out.push(
            Diagnostic::error(
                "cap-on-weighted",
                tr!(
                    "node \"{code}\" weighs its children, so its max is its own already: `cap` has nothing to do",
                    "mục \"{code}\" tính điểm các mục con theo trọng số nên điểm tối đa đã là của riêng mục này: `cap` không có tác dụng"
                ),
            )
            .at(cap.span.clone(), tr!("`cap` on a weighted node", "`cap` ở mục tính theo trọng số"))
            .help(tr!("remove `cap`", "hãy bỏ `cap`")),
        );
    }
    if !weighted.is_empty() {
        if written.is_none() {
            out.push(
                Diagnostic::error(
                    "missing-key",
                    tr!(
                        "node \"{code}\" weighs its children, so it needs its own `max`",
                        "mục \"{code}\" tính điểm các mục con theo trọng số nên cần có `max` riêng"
                    ),
                )
                .at(r.fields.header.clone(), tr!("`max` is required here", "cần có `max` ở đây"))
                .help(tr!(
                    "add the points the node is worth, e.g. max = 2",
                    "hãy thêm điểm tối đa của mục, ví dụ max = 2"
                )),
            );
        }
        return written.map(|w| w.value);
    }
    if unsure || children.iter().any(|&c| max[c].is_none()) {
        return written.map(|w| w.value);
    }
    let sum: Decimal = children.iter().map(|&c| max[c].expect("checked")).sum();
    if let Some(cap) = cap {
        // A capped node says its own max; its children may add up to more, not less.
        let Some(w) = written else {
            out.push(
                Diagnostic::error(
                    "missing-key",
                    tr!(
                        "node \"{code}\" is capped, so it needs its own `max`",
                        "mục \"{code}\" có giới hạn điểm (`cap`) nên cần có `max` riêng"
                    ),
                )
                .at(r.fields.header.clone(), tr!("`max` is required here", "cần có `max` ở đây"))
                .with_context(cap.span.clone(), tr!("capped here", "giới hạn điểm ở đây"))
                .help(tr!(
                    "add the most points the node gives, e.g. max = {}",
                    "hãy thêm số điểm cao nhất mà mục được tính, ví dụ max = {}",
                    sum.normalize()
                )),
            );
            return None;
        };
        if w.value > sum {
            out.push(
                mismatch(
                    "cap-above-children",
                    tr!(
                        "children of \"{code}\" add up to {} but capped \"{code}\" says max = {}: it could never reach its max",
                        "các mục con của \"{code}\" cộng lại được {} nhưng \"{code}\" (có `cap`) ghi max = {}: mục này không bao giờ đạt được điểm tối đa",
                        sum.normalize(),
                        w.value
                    ),
                    w,
                    children,
                    raw,
                    max,
                ),
            );
        }
        return Some(w.value);
    }
    if let Some(w) = written
        && w.value != sum
    {
        out.push(mismatch(
            "max-mismatch",
            tr!(
                "children of \"{code}\" add up to {} but \"{code}\" says max = {}",
                "các mục con của \"{code}\" cộng lại được {} nhưng \"{code}\" ghi max = {}",
                sum.normalize(),
                w.value
            ),
            w,
            children,
            raw,
            max,
        ));
        return Some(w.value);
    }
    Some(sum)
}

/// The regular top-level maxima must add up to the set's max.
fn check_total(
    raw: &[RawNode<'_, '_>],
    head: &Head,
    parent: &[Option<usize>],
    kind: &[Kind],
    max: &[Option<Decimal>],
    unsure: &[bool],
    out: &mut Vec<Diagnostic>,
) {
    let Some(set_max) = &head.max else { return };
    let roots: Vec<usize> = (0..raw.len()).filter(|&i| parent[i].is_none()).collect();
    // A field's max is in doubt when its own keys were wrong (a misspelt `kind` may hide
    // a bonus), or its children's sum was, and it does not state its own.
    if roots
        .iter()
        .any(|&i| raw[i].doubtful || max[i].is_none() || unsure[i] && raw[i].max.is_none())
    {
        return;
    }
    let fields: Vec<usize> = roots.into_iter().filter(|&i| kind[i] == Kind::Regular).collect();
    if fields.is_empty() {
        return;
    }
    let sum: Decimal = fields.iter().map(|&i| max[i].expect("checked")).sum();
    if sum != set_max.value {
        let sum = sum.normalize();
        out.push(mismatch(
            "set-max-mismatch",
            tr!(
                "the fields add up to {sum} but the set says max = {}",
                "các lĩnh vực cộng lại được {sum} nhưng bộ tiêu chí ghi max = {}",
                set_max.value
            ),
            set_max,
            &fields,
            raw,
            max,
        ));
    }
}

/// "children add up to X but the parent says Y", with the figures that make up X.
fn mismatch(
    code: &'static str,
    message: Text,
    written: &At<Decimal>,
    parts: &[usize],
    raw: &[RawNode<'_, '_>],
    max: &[Option<Decimal>],
) -> Diagnostic {
    let sum: Decimal = parts.iter().filter_map(|&c| max[c]).sum::<Decimal>().normalize();
    let terms: Vec<String> = parts
        .iter()
        .filter_map(|&c| Some(format!("{} ({})", raw[c].code.as_ref()?.value, max[c]?.normalize())))
        .collect();
    Diagnostic::error(code, message)
        .at(written.span.clone(), tr!("the parts add up to {sum}", "các phần cộng lại được {sum}"))
        .help(tr!(
            "{} = {sum}; correct the parts or write max = {sum}",
            "{} = {sum}; hãy sửa các phần hoặc ghi max = {sum}",
            terms.join(" + ")
        ))
}

/// `"a", "b" and "c"`.
fn quoted_list(codes: &[&str]) -> Text {
    let quoted: Vec<String> = codes.iter().map(|c| format!("\"{c}\"")).collect();
    match quoted.as_slice() {
        [] => Text::default(),
        [one] => Text::same(one.clone()),
        [init @ .., last] => tr!("{} and {last}", "{} và {last}", init.join(", ")),
    }
}
