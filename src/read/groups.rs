//! The names groups are shown by: the agencies file's `group_name` column and the round
//! file's `[groups]`, put together. Where both name a group, the round file's name is
//! shown, with a warning if the two differ.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::lang::Text;
use crate::read::agencies::Agencies;
use crate::read::round_file::GroupInput;
use crate::text::{fold, quote};
use crate::tr;

/// Every group's display name, and what was found wrong on the way.
#[derive(Debug, Default)]
pub(crate) struct GroupNames {
    /// Group id → display name, for the groups given one.
    pub shown: BTreeMap<String, String>,
    /// Problems of the round file's `[groups]`.
    pub round: Vec<Diagnostic>,
    /// Problems of the agencies file's `group_name` column.
    pub agencies: Vec<Diagnostic>,
}

/// Where a group's name was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum From {
    Round,
    Agencies,
}

/// A name, and the file and place it was written at.
type Written<'a> = (&'a str, From, Range<usize>);

/// Puts the two sources of names together; `agencies_path` and `round_path` are the
/// files as messages name them.
pub(crate) fn names(
    agencies: &Agencies,
    given: &[GroupInput],
    agencies_path: &str,
    round_path: &str,
) -> GroupNames {
    let mut out = GroupNames::default();
    let mut chosen: BTreeMap<&str, Written<'_>> = agencies
        .group_names
        .iter()
        .map(|(id, g)| (id.as_str(), (g.name.as_str(), From::Agencies, g.span.clone())))
        .collect();
    let mut ids: Vec<&str> = agencies.list.iter().map(|a| a.group.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    for g in given {
        if ids.binary_search(&g.id.as_str()).is_err() {
            let near = crate::text::did_you_mean(&g.id, &ids).or_else(|| {
                // `So-Nganh` for `so-nganh`: the same letters but for case and accents.
                let key = crate::text::ascii_key(&g.id);
                ids.iter().copied().find(|id| crate::text::ascii_key(id) == key)
            });
            let help = if let Some(id) = near {
                let q = quote(id);
                tr!(
                    "did you mean {q}? The keys of [groups] are group ids as {agencies_path} writes them",
                    "có phải là {q}? Các khóa của [groups] là mã nhóm đúng như {agencies_path} ghi"
                )
            } else {
                let list = listed(&ids);
                Text::new(
                    format!("the groups of {agencies_path} are: {}", list.en),
                    format!("các nhóm của {agencies_path} là: {}", list.vi),
                )
            };
            let (line, q, q_name) = (g.line, quote(&g.id), quote(&g.name));
            out.round.push(
                Diagnostic::warning(
                    "unknown-group",
                    tr!(
                        "{round_path}, line {line}: [groups] names the group {q} ({q_name}), but no agency of {agencies_path} is in it",
                        "dòng {line} của {round_path}: [groups] đặt tên cho nhóm {q} ({q_name}), nhưng không đơn vị nào của {agencies_path} thuộc nhóm này"
                    ),
                )
                .at(g.key.clone(), tr!("no agency is in this group", "không đơn vị nào thuộc nhóm này"))
                .help(help),
            );
            continue;
        }
        if let Some(other) = agencies.group_names.get(&g.id).filter(|o| o.name != g.name) {
            let (line, q, q_name) = (g.line, quote(&g.id), quote(&g.name));
            let (q_other, other_line) = (quote(&other.name), other.line);
            out.round.push(
                Diagnostic::warning(
                    "group-name-differs",
                    tr!(
                        "{round_path}, line {line}: the group {q} is named {q_name} here but {q_other} in {agencies_path}, line {other_line}: the round file's name is shown",
                        "dòng {line} của {round_path}: nhóm {q} ở đây có tên {q_name} nhưng trong {agencies_path}, dòng {other_line} có tên {q_other}: tên trong tệp vòng đánh giá được hiển thị"
                    ),
                )
                .at(g.value.clone(), tr!("shown", "được hiển thị"))
                .help(tr!(
                    "give the group one name: change it here or in {agencies_path}, or leave it out of one of them",
                    "hãy đặt cho nhóm một tên: sửa ở đây hoặc trong {agencies_path}, hoặc bỏ tên ở một trong hai nơi"
                )),
            );
        }
        chosen.insert(g.id.as_str(), (g.name.as_str(), From::Round, g.value.clone()));
    }
    // Two groups of one name would be two tables under one heading, and `--group` could
    // not tell them apart by it. A group without a name is shown by its id: a name that
    // is another group's id is as much one heading for two.
    let mut by_name: BTreeMap<String, &str> =
        ids.iter().filter(|id| !chosen.contains_key(*id)).map(|id| (fold(id), *id)).collect();
    let mut order: Vec<(&str, &Written<'_>)> = chosen.iter().map(|(id, c)| (*id, c)).collect();
    // In the order they were written: the round file's, then the agencies file's.
    order.sort_by_key(|(_, (_, from, span))| (*from == From::Agencies, span.start));
    for (id, (name, from, span)) in order {
        let Some(first) = by_name.get(&fold(name)).copied() else {
            by_name.insert(fold(name), id);
            continue;
        };
        let (file, line_of) = match from {
            From::Round => (round_path, tr!("in [groups]", "trong [groups]")),
            From::Agencies => {
                (agencies_path, tr!("in the group_name column", "trong cột group_name"))
            }
        };
        let (q_first, q_id, q_name) = (quote(first), quote(id), quote(name));
        let d = Diagnostic::warning(
            "same-group-name",
            Text::new(
                format!(
                    "{file}: the groups {q_first} and {q_id} are both named {q_name} ({}): their tables would carry one heading",
                    line_of.en
                ),
                format!(
                    "{file}: nhóm {q_first} và nhóm {q_id} cùng có tên {q_name} ({}): bảng của chúng sẽ mang cùng một tiêu đề",
                    line_of.vi
                ),
            ),
        )
        .at(span.clone(), tr!("a name another group has", "tên mà một nhóm khác đã có"))
        .help(tr!(
            "give each group a name of its own; ranks are still taken inside each group",
            "hãy đặt cho mỗi nhóm một tên riêng; thứ hạng vẫn được xếp trong từng nhóm"
        ));
        match from {
            From::Round => out.round.push(d),
            From::Agencies => out.agencies.push(d),
        }
    }
    out.shown =
        chosen.into_iter().map(|(id, (name, _, _))| (id.to_string(), name.to_string())).collect();
    out
}

/// Group ids for a message: the first twenty, then how many more.
fn listed(ids: &[&str]) -> Text {
    let text = ids.iter().take(20).map(|id| quote(id)).collect::<Vec<_>>().join(", ");
    let mut text = Text::same(text);
    if ids.len() > 20 {
        let more = ids.len() - 20;
        let _ = write!(text.en, " and {more} more");
        let _ = write!(text.vi, " và {more} nhóm nữa");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::round::Agency;
    use crate::read::agencies::GroupName;

    fn agencies(groups: &[(&str, Option<&str>)]) -> Agencies {
        let mut a = Agencies::default();
        for (i, (group, name)) in groups.iter().enumerate() {
            a.list.push(Agency {
                id: format!("a{i}"),
                name: format!("A{i}"),
                group: group.to_string(),
            });
            if let Some(name) = name {
                a.group_names.entry(group.to_string()).or_insert(GroupName {
                    name: name.to_string(),
                    line: i + 2,
                    span: i * 10..i * 10 + 5,
                });
            }
        }
        a
    }

    fn given(id: &str, name: &str, line: usize) -> GroupInput {
        GroupInput {
            id: id.into(),
            name: name.into(),
            line,
            key: line..line + 1,
            value: line..line + 2,
        }
    }

    #[test]
    fn names_from_either_file_are_kept_and_the_round_files_win() {
        let a = agencies(&[
            ("so-nganh", Some("Sở ban ngành")),
            ("xa-phuong", Some("Xã, phường")),
            ("khac", None),
        ]);
        let n = names(&a, &[given("so-nganh", "Sở, ban, ngành", 20)], "agencies.csv", "round.toml");
        assert_eq!(n.shown.get("so-nganh").unwrap(), "Sở, ban, ngành");
        assert_eq!(n.shown.get("xa-phuong").unwrap(), "Xã, phường");
        assert!(!n.shown.contains_key("khac"));
        assert_eq!(n.round.len(), 1);
        assert_eq!(n.round[0].code, "group-name-differs");
        assert!(
            n.round[0]
                .message
                .en
                .contains("\"Sở, ban, ngành\" here but \"Sở ban ngành\" in agencies.csv, line 2"),
            "{:?}",
            n.round[0].message
        );
        assert!(n.agencies.is_empty());
    }

    // `[groups] so-nganh = "xa-phuong"` beside a group xa-phuong shown by its id: two
    // tables headed "xa-phuong".
    #[test]
    fn a_name_that_is_another_groups_id_is_a_warning() {
        let a = agencies(&[("so-nganh", None), ("xa-phuong", None)]);
        let n = names(&a, &[given("so-nganh", "Xa-Phuong", 20)], "agencies.csv", "round.toml");
        assert_eq!(n.round.len(), 1, "{:?}", n.round);
        assert_eq!(n.round[0].code, "same-group-name");
        assert!(
            n.round[0].message.en.contains("\"xa-phuong\" and \"so-nganh\""),
            "{:?}",
            n.round[0].message
        );
    }

    #[test]
    fn the_same_name_in_both_files_is_no_warning() {
        let a = agencies(&[("so-nganh", Some("Sở, ban, ngành"))]);
        let n = names(&a, &[given("so-nganh", "Sở, ban, ngành", 20)], "agencies.csv", "round.toml");
        assert!(n.round.is_empty() && n.agencies.is_empty());
    }

    #[test]
    fn a_name_for_a_group_no_agency_is_in_is_a_warning_with_the_nearest_id() {
        let a = agencies(&[("so-nganh", None), ("xa-phuong", None)]);
        let n = names(
            &a,
            &[given("so-ngahn", "Sở, ban, ngành", 20), given("tinh", "Tỉnh", 21)],
            "agencies.csv",
            "round.toml",
        );
        assert!(n.shown.is_empty());
        assert_eq!(n.round.len(), 2);
        assert_eq!(n.round[0].code, "unknown-group");
        assert!(
            n.round[0]
                .message
                .en
                .starts_with("round.toml, line 20: [groups] names the group \"so-ngahn\"")
        );
        assert!(n.round[0].help.as_ref().unwrap().en.starts_with("did you mean \"so-nganh\"?"));
        assert!(n.round[0].help.as_ref().unwrap().vi.starts_with("có phải là \"so-nganh\"?"));
        assert_eq!(
            n.round[1].help.as_ref().unwrap().en,
            "the groups of agencies.csv are: \"so-nganh\", \"xa-phuong\""
        );
    }

    #[test]
    fn two_groups_of_one_name_are_a_warning_where_the_second_is_named() {
        let a = agencies(&[("so-nganh", Some("Sở, ban, ngành")), ("nganh-doc", None)]);
        let n =
            names(&a, &[given("nganh-doc", "sở, ban,  ngành", 20)], "agencies.csv", "round.toml");
        assert_eq!(n.shown.len(), 2);
        assert_eq!(n.agencies.len(), 1, "{:?}", n.round);
        assert_eq!(n.agencies[0].code, "same-group-name");
        assert!(
            n.agencies[0].message.en.contains("\"nganh-doc\" and \"so-nganh\""),
            "{:?}",
            n.agencies[0].message
        );
    }
}
