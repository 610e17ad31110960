//! Every diagnostic code parindex can emit, shown in English and in Vietnamese: one command
//! line per code that makes the program emit it, both outputs pinned in one snapshot, and
//! the Vietnamese title checked to be a translation. A scan of `src/` keeps the table
//! whole, so that a new code cannot be added without its two wordings being seen.
//!
//! Fixtures come from the other tests where one emits the code; the rest are in
//! `tests/data/messages/`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::support::{bounded, root, seen};

/// `score` of the sample round from `tests/data`, with one file in place of its own.
macro_rules! sample {
    (--agencies $file:literal) => {
        concat!(
            "score --criteria ../../docs/examples/bo-tieu-chi-mau.toml --agencies ",
            $file,
            " --self ../../examples/vong-mau/self.csv --survey ../../examples/vong-mau/survey.csv --format csv"
        )
    };
    (--self $file:literal) => {
        concat!(
            "score --criteria ../../docs/examples/bo-tieu-chi-mau.toml --agencies ../../examples/vong-mau/agencies.csv --self ",
            $file,
            " --survey ../../examples/vong-mau/survey.csv --format csv"
        )
    };
    (--survey $file:literal) => {
        concat!(
            "score --criteria ../../docs/examples/bo-tieu-chi-mau.toml --agencies ../../examples/vong-mau/agencies.csv --self ../../examples/vong-mau/self.csv --survey ",
            $file,
            " --format csv"
        )
    };
}

/// Folders the cases run in, from the repository's root.
const CRITERIA: &str = "tests/data/criteria";
const COMPUTED: &str = "tests/data/computed/bad";
const DATA: &str = "tests/data";
const GROUPS: &str = "tests/data/groups";
/// A fresh copy of the sample round and its criteria set, laid out as in the repository,
/// for the commands that would write: a refusal that stopped working writes into the copy,
/// never over the shipped files.
const COPY: &str = "<a copy of the sample round>";

/// Every code, the folder its command runs in, and the command (split at spaces; no
/// argument holds one). The commands that would write (`-o`) are refused before a byte is
/// written, and run in a [`COPY`] of the sample round.
const CODES: &[(&str, &str, &str)] = &[
    // A criteria set: tests/data/criteria/bad, each file named after its code.
    ("bad-code", CRITERIA, "check bad/bad-code--double-dot.toml"),
    ("bad-expression", CRITERIA, "check bad/bad-expression--dangling.toml"),
    ("bad-id", CRITERIA, "check bad/bad-id--table-name.toml"),
    ("bad-limit", CRITERIA, "check bad/bad-limit.toml"),
    ("band-direction", CRITERIA, "check bad/band-direction.toml"),
    ("bands-gap", CRITERIA, "check bad/bands-gap--below.toml"),
    ("bands-order", CRITERIA, "check bad/bands-order--rising.toml"),
    ("bands-reversed", CRITERIA, "check bad/bands-reversed--warning.toml"),
    ("cap-above-children", CRITERIA, "check bad/cap-above-children.toml"),
    ("cap-on-leaf", CRITERIA, "check bad/cap-on-leaf.toml"),
    ("cap-on-weighted", CRITERIA, "check bad/cap-on-weighted.toml"),
    ("child-before-parent", CRITERIA, "check bad/child-before-parent--warning.toml"),
    ("compute-both", CRITERIA, "check bad/compute-both.toml"),
    ("compute-key", CRITERIA, "check bad/compute-key--survey.toml"),
    ("compute-on-survey", CRITERIA, "check bad/compute-on-survey.toml"),
    ("compute-rule", CRITERIA, "check bad/compute-rule.toml"),
    ("duplicate-answer", CRITERIA, "check bad/duplicate-answer.toml"),
    ("duplicate-choice", CRITERIA, "check bad/duplicate-choice--label-in-nfd.toml"),
    ("duplicate-code", CRITERIA, "check bad/duplicate-code.toml"),
    ("duplicate-grade", CRITERIA, "check bad/duplicate-grade.toml"),
    ("empty-list", CRITERIA, "check bad/empty-list--choices.toml"),
    ("empty-text", CRITERIA, "check bad/empty-text--name.toml"),
    ("evidence-on-survey", CRITERIA, "check bad/evidence-on-survey.toml"),
    ("finer-than-rounded", CRITERIA, "check bad/finer-than-rounded.toml"),
    ("grade-gap", CRITERIA, "check bad/grade-gap--warning.toml"),
    ("grade-order", CRITERIA, "check bad/grade-order--rising.toml"),
    ("kind-not-top-level", CRITERIA, "check bad/kind-not-top-level.toml"),
    ("leaf-key-on-parent", CRITERIA, "check bad/leaf-key-on-parent--rule.toml"),
    ("max-mismatch", CRITERIA, "check bad/max-mismatch.toml"),
    ("max-off-step", CRITERIA, "check bad/max-off-step.toml"),
    ("missing-key", CRITERIA, "check bad/missing-key--node-name.toml"),
    ("missing-parent", CRITERIA, "check bad/missing-parent--dotted.toml"),
    ("no-full-band", CRITERIA, "check bad/no-full-band--warning.toml"),
    ("no-full-choice", CRITERIA, "check bad/no-full-choice--warning.toml"),
    ("no-grades", CRITERIA, "check bad/no-grades--warning.toml"),
    ("no-nodes", CRITERIA, "check bad/no-nodes.toml"),
    ("not-finite", CRITERIA, "check bad/not-finite--max.toml"),
    ("not-positive", CRITERIA, "check bad/not-positive--weight.toml"),
    ("not-utf8", CRITERIA, "check bad/not-utf8--windows-1258.toml"),
    ("out-of-range", CRITERIA, "check bad/out-of-range--huge-max.toml"),
    ("parent-cycle", CRITERIA, "check bad/parent-cycle--loop.toml"),
    ("parent-mismatch", CRITERIA, "check bad/parent-mismatch.toml"),
    ("partial-weights", CRITERIA, "check bad/partial-weights.toml"),
    ("points-out-of-range", CRITERIA, "check bad/points-out-of-range--negative-band.toml"),
    ("points-over-max", CRITERIA, "check bad/points-over-max--choice.toml"),
    ("questions-without-answers", CRITERIA, "check bad/questions-without-answers.toml"),
    ("ratio-order", CRITERIA, "check bad/ratio-order.toml"),
    ("reserved-value", CRITERIA, "check bad/reserved-value--na.toml"),
    ("schema-version", CRITERIA, "check bad/schema-version--2.toml"),
    ("set-max-mismatch", CRITERIA, "check bad/set-max-mismatch.toml"),
    ("toml-syntax", CRITERIA, "check bad/toml-syntax--unclosed-quote.toml"),
    ("too-precise", CRITERIA, "check bad/too-precise--max.toml"),
    ("unknown-key", CRITERIA, "check bad/unknown-key--typo-in-node.toml"),
    ("unknown-name", CRITERIA, "check bad/unknown-name--kind.toml"),
    ("unknown-rule", CRITERIA, "check bad/unknown-rule.toml"),
    ("weight-top-level", CRITERIA, "check bad/weight-top-level.toml"),
    ("wrong-parameter", CRITERIA, "check bad/wrong-parameter.toml"),
    ("wrong-type", CRITERIA, "check bad/wrong-type--quoted-number.toml"),
    ("empty-file", DATA, "check bad-inputs/empty.toml"),
    ("read-failed", DATA, "check messages/bo-tieu-chi.toml"),
    ("duplicate-question", DATA, "check messages/duplicate-question.toml"),
    ("too-long", DATA, "check messages/too-long.toml"),
    // A round's tables: tests/data/computed/bad, each round named after its code.
    ("computed-value", COMPUTED, "check computed-value.toml"),
    ("division-by-zero", COMPUTED, "check division-by-zero.toml"),
    ("duplicate-column", COMPUTED, "check duplicate-column--accents.toml"),
    ("duplicate-row", COMPUTED, "check duplicate-row.toml"),
    ("empty-cell", COMPUTED, "check empty-cell.toml"),
    ("field-count", COMPUTED, "check field-count.toml"),
    ("float-noise", COMPUTED, "check float-noise--warning.toml"),
    ("missing-column", COMPUTED, "check missing-column.toml"),
    ("no-responses", COMPUTED, "check no-responses.toml"),
    ("no-row", COMPUTED, "check duplicate-row.toml"),
    ("not-surveyed", COMPUTED, "check not-surveyed--warning.toml"),
    ("unknown-answer", COMPUTED, "check unknown-answer.toml"),
    ("unknown-column", COMPUTED, "check unknown-column.toml"),
    ("unknown-table", COMPUTED, "check unknown-table.toml"),
    ("unmatched-where", COMPUTED, "check unmatched-where.toml"),
    ("unused-table", COMPUTED, "check unknown-table.toml"),
    ("missing-agency", DATA, "check messages/nameless-rows.toml"),
    ("more-problems", DATA, "check messages/nameless-rows.toml"),
    ("mixed-table", DATA, "check messages/mixed-table.toml"),
    (
        "no-tables",
        DATA,
        "score --criteria computed/he-thong.toml --agencies computed/agencies.csv --self computed/self.csv --format csv",
    ),
    // Data files of the sample round.
    ("duplicate-cell", DATA, sample!(--self "data-errors/duplicate-cell.csv")),
    ("empty-table", DATA, sample!(--self "data-errors/empty-table.csv")),
    ("missing-values", DATA, sample!(--self "data-errors/missing-values.csv")),
    ("na-not-allowed", DATA, sample!(--self "data-errors/na-not-allowed.csv")),
    ("not-a-leaf", DATA, sample!(--self "data-errors/not-a-leaf.csv")),
    ("survey-leaf", DATA, sample!(--self "data-errors/survey-leaf.csv")),
    ("unknown-agency", DATA, sample!(--self "data-errors/unknown-agency.csv")),
    ("unknown-code", DATA, sample!(--self "data-errors/unknown-code.csv")),
    ("unreadable-value", DATA, sample!(--self "data-errors/unreadable-value--yes-no.csv")),
    ("above-100-percent", DATA, sample!(--self "bad-inputs/rate-above-100-percent--bands.csv")),
    ("date-cell", DATA, sample!(--self "bad-inputs/date-cell.xlsx")),
    ("looks-like-fraction", DATA, sample!(--self "bad-inputs/looks-like-fraction.csv")),
    ("not-text", DATA, sample!(--self "bad-inputs/utf16-without-bom.csv")),
    ("open-quote", DATA, sample!(--self "bad-inputs/open-quote--never-closed.csv")),
    ("repeated-header", DATA, sample!(--self "bad-inputs/bom-in-the-middle--joined-files.csv")),
    ("unreadable-table", DATA, sample!(--self "bad-inputs/damaged--bad-checksum.xlsx")),
    ("cell-too-long", DATA, sample!(--self "messages/cell-too-long.csv")),
    ("too-many-columns", DATA, sample!(--self "messages/too-many-columns.csv")),
    ("too-large", DATA, sample!(--self "messages/far-cell.xlsx")),
    ("formula-without-value", DATA, sample!(--self "messages/formula-without-value.xlsx")),
    ("not-a-survey-leaf", DATA, sample!(--survey "messages/not-a-survey-leaf.csv")),
    (
        "duplicate-agency",
        DATA,
        sample!(--agencies "bad-inputs/duplicate-agency--conflicting--agencies.csv"),
    ),
    (
        "group-name-conflict",
        DATA,
        sample!(--agencies "bad-inputs/group-name-conflict--agencies.csv"),
    ),
    ("invisible-character", DATA, sample!(--agencies "bad-inputs/look-alike-ids--agencies.csv")),
    ("mixed-scripts", DATA, sample!(--agencies "bad-inputs/look-alike-ids--agencies.csv")),
    ("lost-letters", DATA, sample!(--agencies "bad-inputs/lost-letters--agencies.csv")),
    ("no-agencies", DATA, sample!(--agencies "bad-inputs/header-only--agencies.csv")),
    ("similar-groups", DATA, sample!(--agencies "bad-inputs/similar-groups--agencies.csv")),
    (
        "no-evidence",
        DATA,
        "check ../../docs/examples/bo-tieu-chi-mau.toml --agencies ../../examples/vong-mau/agencies.csv --data data-errors/missing-values.csv",
    ),
    // Round files.
    ("bad-date", DATA, "check messages/bad-date.toml"),
    ("group-name-differs", GROUPS, "score round.toml --format csv"),
    ("unknown-group", GROUPS, "score round.toml --format csv"),
    ("same-group-name", GROUPS, "score same-name.toml --format csv"),
    // Criteria tables to import.
    ("not-a-workbook", DATA, "import ../../examples/vong-mau/agencies.csv -o -"),
    ("no-header", DATA, "import messages/import-no-header.xlsx -o -"),
    ("no-rows", DATA, "import messages/import-no-rows.xlsx -o -"),
    ("bad-number", DATA, "import messages/import-mistakes.xlsx -o -"),
    ("duplicate-number", DATA, "import messages/import-mistakes.xlsx -o -"),
    ("no-max", DATA, "import messages/import-mistakes.xlsx -o -"),
    ("no-name", DATA, "import messages/import-mistakes.xlsx -o -"),
    ("no-parent", DATA, "import messages/import-mistakes.xlsx -o -"),
    ("not-a-number", DATA, "import messages/import-mistakes.xlsx -o -"),
    ("zero-max", DATA, "import messages/import-mistakes.xlsx -o -"),
    // Outputs.
    ("output-is-folder", COPY, "score examples/vong-mau/round.toml -o examples"),
    (
        "output-is-input",
        COPY,
        "score examples/vong-mau/round.toml --format csv -o examples/vong-mau/self.csv",
    ),
    (
        "write-failed",
        COPY,
        "score examples/vong-mau/round.toml --format csv -o no-such-folder/out.csv",
    ),
    (
        "folder-in-use",
        COPY,
        "generate --criteria docs/examples/bo-tieu-chi-mau.toml -o examples/vong-mau --count 3",
    ),
];

/// Codes no command line in a test can make the program emit, and why.
const UNREACHABLE: &[(&str, &str)] = &[];

/// Calls that pass a diagnostic's code in a variable, by file and argument, and the codes
/// the variable can hold (each written as a literal in that file). A new such call must be
/// listed here, or its codes would escape the scan.
const VIA_VARIABLES: &[(&str, &str, &[&str])] = &[
    ("src/read/fields.rs", "code", &["not-finite", "too-precise", "out-of-range"]),
    ("src/read/xlsx.rs", "refusal.code", &["too-large", "unreadable-table"]),
    ("src/read/agencies.rs", "code", &["invisible-character", "mixed-scripts"]),
    (
        "src/read/criteria/tree.rs",
        "code",
        &["cap-above-children", "max-mismatch", "set-max-mismatch"],
    ),
    // The line that sums up many warnings of one code repeats that code.
    ("src/cmd/check.rs", "d.code", &[]),
];

/// The Rust files under `dir`, by their paths from the repository's root ("src/…").
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// What a scan of `src/` finds: the codes passed as literals to `Diagnostic::error` and
/// `Diagnostic::warning`, and the calls that pass one in a variable (file, argument).
struct Scan {
    literal: BTreeSet<String>,
    variable: BTreeSet<(String, String)>,
}

fn scan() -> Scan {
    let root = root();
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut found = Scan { literal: BTreeSet::new(), variable: BTreeSet::new() };
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        // A file's unit tests are its last item; the codes they make up ("dup", "bad")
        // are no program's.
        let text = text.split("\n#[cfg(test)]\nmod ").next().unwrap();
        let name = file.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        for call in ["Diagnostic::error(", "Diagnostic::warning("] {
            for (at, _) in text.match_indices(call) {
                let args = text[at + call.len()..].trim_start();
                if let Some(literal) = args.strip_prefix('"') {
                    found.literal.insert(literal[..literal.find('"').unwrap()].to_string());
                } else {
                    let end = args.find([',', ')']).unwrap_or(args.len());
                    found.variable.insert((name.clone(), args[..end].trim().to_string()));
                }
            }
        }
    }
    found
}

/// Every code the program can emit: the literal ones and those of [`VIA_VARIABLES`].
fn codes_in_src() -> BTreeSet<String> {
    let Scan { mut literal, variable } = scan();
    let listed: BTreeSet<(String, String)> =
        VIA_VARIABLES.iter().map(|(f, v, _)| ((*f).to_string(), (*v).to_string())).collect();
    assert_eq!(
        variable, listed,
        "the calls that pass a code in a variable are not those VIA_VARIABLES lists"
    );
    for (file, _, codes) in VIA_VARIABLES {
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        for code in *codes {
            assert!(text.contains(&format!("\"{code}\"")), "{file} no longer has \"{code}\"");
            literal.insert((*code).to_string());
        }
    }
    literal
}

#[test]
fn every_code_in_src_has_a_command_and_every_command_a_code() {
    let in_src = codes_in_src();
    assert!(in_src.len() > 100, "the scan found {} codes: {in_src:?}", in_src.len());
    let mut listed = BTreeSet::new();
    for code in CODES.iter().map(|c| c.0).chain(UNREACHABLE.iter().map(|u| u.0)) {
        assert!(listed.insert(code.to_string()), "{code} is listed twice");
    }
    let missing: Vec<&String> = in_src.difference(&listed).collect();
    assert!(missing.is_empty(), "codes with no command in CODES (nor in UNREACHABLE): {missing:?}");
    let gone: Vec<&String> = listed.difference(&in_src).collect();
    assert!(gone.is_empty(), "codes listed that src/ no longer has: {gone:?}");
}

/// The title of the first diagnostic of `code` in `text`: what follows `[code]: `.
fn title<'a>(text: &'a str, code: &str) -> Option<&'a str> {
    let tag = format!("[{code}]: ");
    text.lines().find_map(|line| line.split_once(&tag).map(|(_, title)| title))
}

/// A temporary folder holding `examples/vong-mau` and the criteria set its round names.
fn sample_copy() -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    let round = copy.path().join("examples/vong-mau");
    std::fs::create_dir_all(&round).unwrap();
    for entry in std::fs::read_dir(root().join("examples/vong-mau")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, round.join(path.file_name().unwrap())).unwrap();
        }
    }
    let set = "docs/examples/bo-tieu-chi-mau.toml";
    std::fs::create_dir_all(copy.path().join("docs/examples")).unwrap();
    std::fs::copy(root().join(set), copy.path().join(set)).unwrap();
    copy
}

#[test]
fn every_code_reads_in_english_and_in_vietnamese() {
    let mut untranslated = Vec::new();
    for &(code, dir, args) in CODES {
        let copy = (dir == COPY).then(sample_copy);
        let dir = copy.as_ref().map_or_else(|| root().join(dir), |c| c.path().to_path_buf());
        let args: Vec<&str> = args.split(' ').collect();
        // `--lang` is global: right after the subcommand, as a user types it.
        let seen_in = |lang: &str| {
            let mut with = args.clone();
            with.splice(1..1, ["--lang", lang]);
            let output = bounded(&dir, &with);
            let text = seen(&output);
            assert!(output.status.code().is_some(), "{code} --lang {lang}: killed\n{text}");
            assert!(!text.contains("panicked"), "{code} --lang {lang}:\n{text}");
            text
        };
        let (en, vi) = (seen_in("en"), seen_in("vi"));
        let tag = format!("[{code}]");
        assert!(en.contains(&tag), "{code}: the English output has no {tag}:\n{en}");
        assert!(vi.contains(&tag), "{code}: the Vietnamese output has no {tag}:\n{vi}");
        for english in ["error[", "warning["] {
            assert!(!vi.contains(english), "{code}: {english} in Vietnamese:\n{vi}");
        }
        assert!(vi.contains("lỗi[") || vi.contains("cảnh báo["), "{code}:\n{vi}");
        if title(&en, code) == title(&vi, code) {
            untranslated.push(code);
        }
        let args = args.join(" ");
        insta::assert_snapshot!(
            code,
            format!("$ parindex {args}\n--- en ---\n{en}\n--- vi ---\n{vi}")
        );
    }
    assert!(untranslated.is_empty(), "titles that read the same in Vietnamese: {untranslated:?}");
}
