//! Tables that fit the terminal: `COLUMNS` (or the terminal itself) sets the width; long
//! names wrap, and the fields fold under the rest where the table is wider. Printed to a
//! file or a pipe, the table keeps its lines whole.

use std::process::Command;

use crate::support::{root, seen};

fn run_in_columns(columns: Option<&str>, args: &[&str]) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_parindex"));
    command.args(args).current_dir(root()).env_clear();
    if let Some(c) = columns {
        command.env("COLUMNS", c);
    }
    command.output().unwrap()
}

fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

#[test]
fn the_score_table_fits_80_columns_with_its_fields_folded_under_it() {
    let out = run_in_columns(Some("80"), &["score", "examples/so-ban-nganh-2025/round.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(widest(&text) <= 80, "{text}");
    insta::assert_snapshot!(text);
    // Every agency's every field is still there: the folded blocks hold the CSV's figures.
    let csv = run_in_columns(
        None,
        &["score", "examples/so-ban-nganh-2025/round.toml", "--format", "csv"],
    );
    let csv = String::from_utf8(csv.stdout).unwrap();
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    for record in reader.records() {
        let record = record.unwrap();
        let line = text.lines().find(|l| l.contains(&format!(" {} ", &record[0]))).unwrap();
        assert!(line.contains(&record[12].replace('.', ",")), "{line}");
    }
}

#[test]
fn a_table_in_a_wide_terminal_or_a_file_is_left_whole() {
    let narrow = run_in_columns(Some("80"), &["score", "examples/so-ban-nganh-2025/round.toml"]);
    for columns in [None, Some("400")] {
        let out = run_in_columns(columns, &["score", "examples/so-ban-nganh-2025/round.toml"]);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(widest(&text) > 80, "{columns:?}");
        let header = text.lines().find(|l| l.contains("Hạng")).unwrap();
        assert!(header.contains("Cơ quan, đơn vị") && header.contains("Thưởng"), "{header}");
        assert_ne!(text.as_bytes(), &narrow.stdout[..]);
    }
    // Too narrow a COLUMNS to be a terminal's is not taken as one.
    let out = run_in_columns(Some("5"), &["score", "examples/so-ban-nganh-2025/round.toml"]);
    let whole = run_in_columns(None, &["score", "examples/so-ban-nganh-2025/round.toml"]);
    assert_eq!(out.stdout, whole.stdout);
}

#[test]
fn compare_status_and_explain_fit_too() {
    for args in [
        &["compare", "examples/so-ban-nganh-2025/round.toml"][..],
        &["status", "examples/so-ban-nganh-2025/round.toml"],
        &["explain", "so-noi-vu", "examples/so-ban-nganh-2025/round.toml"],
    ] {
        let out = run_in_columns(Some("100"), args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", seen(&out));
        let text = String::from_utf8(out.stdout).unwrap();
        // Titles and notes are sentences, not table lines.
        let table: String = text
            .lines()
            .filter(|l| l.starts_with(['┌', '│', '╞', '├', '└']))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(widest(&table) <= 100, "{args:?}\n{table}");
        assert!(text.contains("so-noi-vu"));
    }
}
