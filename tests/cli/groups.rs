//! Groups shown by the names people know them by, asked for by id or by name; and who
//! leads each field: each agency's rank in its group on each field.

use crate::support::{data, root, run, seen};

const MINI: &str = "examples/vong-mau/round.toml";

#[test]
fn a_group_is_asked_for_by_its_id_or_its_name() {
    let by_id = run(&root(), &["score", MINI, "--group", "xa-phuong"]);
    assert_eq!(by_id.status.code(), Some(0), "{}", seen(&by_id));
    // Case and spacing forgiven, as in a choice's label.
    let by_name = run(&root(), &["score", MINI, "--group", "xã,  PHƯỜNG"]);
    assert_eq!(by_name.stdout, by_id.stdout);
    insta::assert_snapshot!("group-by-name", seen(&by_name));
    let sensitivity = |group: &str| {
        let args = ["sensitivity", MINI, "--group", group, "--runs", "20", "--format", "csv"];
        run(&root(), &args)
    };
    let (by_id, by_name) = (sensitivity("xa-phuong"), sensitivity("Xã, phường"));
    assert_eq!(by_id.status.code(), Some(0), "{}", seen(&by_id));
    assert_eq!(by_name.stdout, by_id.stdout);
    // The audit trail records the id, so that `verify` asks for the same group.
    let json = run(&root(), &["score", MINI, "--group", "Xã, phường", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["audit"]["options"]["group"], "xa-phuong");
    assert_eq!(doc["groups"][0]["group"], "xa-phuong");
    assert_eq!(doc["groups"][0]["group_name"], "Xã, phường");
}

// The agencies file names a group one way and the round file another: the round file's
// name is shown, with a warning; a name for a group no agency is in is a warning too.
#[test]
fn names_given_in_both_files_or_for_no_group_are_warned_of() {
    let dir = data().join("groups");
    let scored = run(&dir, &["score", "round.toml", "--format", "csv"]);
    assert_eq!(scored.status.code(), Some(0), "{}", seen(&scored));
    insta::assert_snapshot!("groups-in-both-files", seen(&scored));
    let checked = run(&dir, &["check", "round.toml"]);
    assert_eq!(checked.status.code(), Some(0), "{}", seen(&checked));
    let text = seen(&checked);
    assert!(
        text.contains("warning[group-name-differs]") && text.contains("warning[unknown-group]")
    );
    assert!(text.contains("ok: round.toml (2 warnings)"), "{text}");
}

#[test]
fn two_groups_of_one_name_are_warned_of_and_not_asked_for_by_it() {
    let out = run(&data().join("groups"), &["score", "same-name.toml", "--group", "các cơ quan"]);
    assert_eq!(out.status.code(), Some(1), "{}", seen(&out));
    insta::assert_snapshot!("groups-of-one-name", seen(&out));
}

#[test]
fn a_groups_table_with_a_name_that_is_no_text_is_refused() {
    let out = run(&data().join("groups"), &["score", "bad.toml"]);
    assert_eq!(out.status.code(), Some(1), "{}", seen(&out));
    insta::assert_snapshot!("groups-bad", seen(&out));
}

// The generator copies the groups' names with the agencies it is given.
#[test]
fn generate_keeps_the_groups_names() {
    let dir = tempfile::tempdir().unwrap();
    let example = root().join("examples/so-ban-nganh-2025");
    let out = run(
        dir.path(),
        &[
            "generate",
            "--criteria",
            root().join("criteria/so-ban-nganh-2025.toml").to_str().unwrap(),
            "--agencies",
            example.join("agencies.csv").to_str().unwrap(),
            "-o",
            "vong",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
    let written = std::fs::read(dir.path().join("vong/agencies.csv")).unwrap();
    assert_eq!(written, std::fs::read(example.join("agencies.csv")).unwrap());
}

#[test]
fn field_ranks_on_the_terminal_and_in_markdown() {
    for (name, extra) in [
        ("field-ranks-table", &[][..]),
        ("field-ranks-md", &["--format", "md"][..]),
        ("field-ranks-en", &["--lang", "en", "--group", "so-nganh"][..]),
    ] {
        let mut args = vec!["score", MINI, "--field-ranks"];
        args.extend(extra);
        let out = run(&root(), &args);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", seen(&out));
        insta::assert_snapshot!(name, seen(&out));
    }
    // Without the option the terminal table stays as narrow as it was.
    let plain = run(&root(), &["score", MINI]);
    assert!(!String::from_utf8_lossy(&plain.stdout).contains("Xếp hạng theo lĩnh vực"));
}

#[test]
fn the_page_shows_each_groups_ranks_in_each_field() {
    let out = run(&root(), &["score", MINI, "--format", "html"]);
    assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains("<h2>Nhóm: Sở, ban, ngành</h2>"));
    assert_eq!(page.matches("<h3>Xếp hạng theo lĩnh vực</h3>").count(), 2);
    // Sở Nội vụ: first overall, third on field 1, first on 2, second on 3.
    assert!(page.contains(
        "<tr><td class=\"num\">1</td><td class=\"name\">so-noi-vu</td><td class=\"name\">Sở Nội vụ</td><td class=\"num\">3</td><td class=\"num\">1</td><td class=\"num\">2</td></tr>"
    ));
    // Ban Dân tộc has nothing in field 2 that applies: no rank there.
    assert!(page.contains(
        "<td class=\"name\">Ban Dân tộc</td><td class=\"num\">4</td><td class=\"num\">—</td><td class=\"num\">1</td>"
    ));
    assert!(page.contains("· Nhóm Xã, phường ·"), "the card names the group");
}
