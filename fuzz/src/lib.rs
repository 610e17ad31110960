//! The paths the fuzz targets drive, one function per target. They live here, apart from
//! the targets, so that the main crate's regression tests (tests/cli/fuzz.rs) feed every
//! saved finding through exactly the same code as the fuzzer did.
//!
//! Each function takes the fuzzer's bytes, writes them where the library reads files from,
//! and goes the way `parindex` itself goes, rendering every message and report on the way:
//! the one thing asked of it is that it returns.

use std::collections::HashMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use parindex::Exit;
use parindex::diagnostic::{FileReport, Severity, Voice};
use parindex::lang::Lang;
use parindex::model::criteria::CriteriaSet;
use parindex::model::layer::{Layer, LayerKind};
use parindex::model::round::Agency;
use parindex::model::stack::Stack;
use parindex::read::assessment::{self, Context};
use parindex::read::criteria;
use parindex::read::table::Table;
use parindex::read::{agencies, fast, inputs, round_file};

/// Where the `round` target cuts its input into files: criteria, agencies, self-assessment,
/// then optionally the survey and appraisal rounds.
pub const SEPARATOR: &[u8] = b"\n---8<---\n";

/// The most appraisal rounds the `round` target makes.
const APPRAISALS: usize = 2;

/// What the `data` target reads its file against: the sample criteria set, which uses
/// every rule, and the sample round's agencies.
const CRITERIA: &[u8] = include_bytes!("../../docs/examples/bo-tieu-chi-mau.toml");
const AGENCIES: &[u8] = include_bytes!("../../examples/vong-mau/agencies.csv");

/// The sample set and its agencies, read once: every `data` input is read against them.
struct Sample {
    set: CriteriaSet,
    agencies: Vec<Agency>,
    ids: HashMap<String, usize>,
}

fn sample() -> &'static Sample {
    static SAMPLE: OnceLock<Sample> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let source =
            parindex::read::file::decode_text("criteria.toml".into(), CRITERIA).expect("UTF-8");
        let set = criteria::load(&source).set.expect("the sample set is good");
        let dir = scratch();
        let mut reports = Vec::new();
        let agencies =
            inputs::read_agencies(&write(dir.path(), "agencies.csv", AGENCIES), &mut reports)
                .expect("the sample agencies are good")
                .list;
        let ids = agencies.iter().enumerate().map(|(i, a)| (a.id.clone(), i)).collect();
        Sample { set, agencies, ids }
    })
}

/// `criteria`: the bytes as a criteria file, loaded and checked as `parindex check` does:
/// decoded, parsed, checked, summarised when good, and every problem rendered as text and
/// JSON. A TOML file that names `criteria` is read as a round file, as `check` reads it.
pub fn criteria(bytes: &[u8]) {
    let path = "criteria.toml".to_string();
    let source = match parindex::read::file::decode_text(path.clone(), bytes) {
        Ok(source) => source,
        Err(d) => return show(&[FileReport::new(path, None, vec![*d])]),
    };
    if round_file::is_round_file(&source.text) {
        let mut problems = Vec::new();
        black_box(round_file::read(&source, &mut problems));
        return show(&[FileReport::new(path, Some(source), problems)]);
    }
    let loaded = criteria::load(&source);
    if let Some(set) = &loaded.set {
        black_box(set.stats());
    }
    let report = FileReport::new(path, Some(source), loaded.diagnostics);
    black_box(report.render(Voice { color: true, lang: Lang::En }));
    show(&[report]);
}

/// `data`: the bytes as a data file of the sample round — saved as a workbook when they
/// look like one, since the reader takes a workbook by its extension — read the quick way
/// (as `score` first tries a plain file), then the thorough way as each stage, with and
/// without the cells' texts, stacked as a round stacks them, as `check --data` guesses
/// its stage, and as an agencies file.
pub fn data(bytes: &[u8]) {
    let fixed = sample();
    let dir = scratch();
    let path = write(dir.path(), &table_name("data", bytes), bytes);
    let shown = inputs::shown(&path);
    let quick = fast::read_round(
        &fixed.set,
        &fixed.agencies,
        &[(LayerKind::SelfAssessment, path.as_path())],
    );
    let table = match Table::read(&path) {
        Ok(table) => table,
        Err(d) => {
            assert!(
                quick.is_none(),
                "the quick reader took a file the thorough one refuses: {}",
                d.message
            );
            return show(&[FileReport::new(shown, None, vec![*d])]);
        }
    };
    let mut ctx = Context::new(&fixed.set, &fixed.ids);
    let mut layers = Vec::new();
    let mut reports = Vec::new();
    for (kind, texts) in [
        (LayerKind::SelfAssessment, true),
        (LayerKind::Appraisal(1), false),
        (LayerKind::Survey, true),
    ] {
        ctx.texts = texts;
        let mut out = Vec::new();
        layers.push(assessment::read(&table, kind, &ctx, &mut out));
        reports.push(FileReport::new(shown.clone(), Some(table.source.clone()), out));
    }
    if let Some((stack, _)) = &quick {
        same_as_thorough(stack, &layers[..1], &reports[0]);
    }
    black_box(Stack::from_layers(&fixed.set, fixed.agencies.len(), &layers));
    black_box(assessment::guess_kind(&table, &ctx));
    let mut out = Vec::new();
    black_box(agencies::read(&table, &mut out));
    reports.push(FileReport::new(shown, Some(table.source), out));
    show(&reports);
}

/// `round`: the bytes cut at [`SEPARATOR`] into a criteria file, an agencies file, a
/// self-assessment and optionally a survey and appraisal rounds, named by a round file,
/// then scored by `parindex score ROUND -o FILE` in every format (at both stages for
/// JSON), with `--missing zero` so that every round that loads is scored.
pub fn round(bytes: &[u8]) {
    let dir = scratch();
    let mut parts = split(bytes, 3 + 1 + APPRAISALS).into_iter();
    write(dir.path(), "criteria.toml", parts.next().unwrap_or_default());
    let table = |stem: &str, bytes: &[u8]| {
        let name = table_name(stem, bytes);
        write(dir.path(), &name, bytes);
        name
    };
    let mut lines = vec![
        "criteria = \"criteria.toml\"".to_string(),
        format!("agencies = {:?}", table("agencies", parts.next().unwrap_or_default())),
        format!("self = {:?}", table("self", parts.next().unwrap_or_default())),
    ];
    if let Some(survey) = parts.next() {
        lines.push(format!("survey = {:?}", table("survey", survey)));
    }
    let appraisals: Vec<String> =
        parts.enumerate().map(|(n, bytes)| table(&format!("appraisal-{}", n + 1), bytes)).collect();
    if !appraisals.is_empty() {
        lines.push(format!("appraisal = {appraisals:?}"));
    }
    let round_toml = lines.join("\n");
    let round = write(dir.path(), "round.toml", round_toml.as_bytes());
    let round = round.to_str().expect("a temporary folder's path is text");
    // The command line, as a user types it: the library's own way in.
    let parindex = |args: &[&str]| {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut line = vec!["parindex"];
        line.extend(args);
        let exit = parindex::run(line, &mut out, &mut err).expect("writing to memory");
        (exit, err)
    };
    // A round that does not load fails every run alike, with the same messages: once is
    // enough.
    if parindex(&["check", round]).0 != Exit::Done {
        return;
    }
    let runs = [
        ("table", "txt", "final", "vi"),
        ("csv", "csv", "final", "vi"),
        ("json", "json", "final", "vi"),
        ("json", "json", "self", "en"),
        ("md", "md", "final", "en"),
        ("xlsx", "xlsx", "final", "vi"),
        ("html", "html", "final", "vi"),
    ];
    for (n, (format, extension, stage, lang)) in runs.into_iter().enumerate() {
        let output = dir.path().join(format!("out-{n}.{extension}"));
        let output = output.to_str().expect("a temporary folder's path is text");
        let color = if n % 2 == 0 { "always" } else { "never" };
        let (exit, _) = parindex(&[
            "score",
            round,
            "--stage",
            stage,
            "--missing",
            "zero",
            "--format",
            format,
            "-o",
            output,
            "--lang",
            lang,
            "--color",
            color,
            "--quiet",
        ]);
        // A result written is a result that verifies: its audit trail names every input,
        // and scoring them again gives the same bytes. CSV is scored by the quick reader
        // where it can, JSON always by the thorough one.
        if exit == Exit::Done && matches!(format, "csv" | "json") {
            let (verified, err) = parindex(&["verify", output]);
            assert_eq!(
                verified,
                Exit::Done,
                "a {format:?} result does not verify: {}",
                String::from_utf8_lossy(&err)
            );
        }
    }
}

/// The quick reader says yes only to a file the thorough reader reads without an error or
/// a warning, and then gives the same value, evidence and survey state for every agency,
/// leaf and stage: whatever it lets through, the thorough reader would have let through
/// alike.
fn same_as_thorough(quick: &Stack, layers: &[Layer], report: &FileReport) {
    let errors: Vec<&str> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.message.en.as_str())
        .collect();
    assert!(
        errors.is_empty(),
        "the quick reader took a file the thorough one refuses: {errors:#?}"
    );
    // A warning is shown only by the thorough reader: the quick one must leave it the file.
    let warnings: Vec<&str> = report.diagnostics.iter().map(|d| d.message.en.as_str()).collect();
    assert!(
        warnings.is_empty(),
        "the quick reader took a file the thorough one warns of: {warnings:#?}"
    );
    let fixed = sample();
    let thorough = Stack::from_layers(&fixed.set, fixed.agencies.len(), layers);
    let differ = thorough.first_difference(quick, &fixed.set, fixed.agencies.len());
    assert_eq!(differ, None, "the quick and thorough readers differ at (agency, node, stage)");
}

/// Renders reports as `check` prints them, as text and as JSON. Colour changes only the
/// escapes around the same text: the `criteria` target tries it, the others need not.
fn show(reports: &[FileReport]) {
    for report in reports {
        black_box(report.render(Voice::PLAIN));
        black_box(report.json(Lang::En));
    }
}

/// A folder of its own for each input, gone when it is done with.
fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("a temporary file");
    path
}

/// A table's file name: a workbook's extension for bytes that start like a zip file
/// (.xlsx, .ods) or an OLE file (.xls), since the reader takes a workbook by its name.
fn table_name(stem: &str, bytes: &[u8]) -> String {
    let workbook = bytes.starts_with(b"PK") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    format!("{stem}.{}", if workbook { "xlsx" } else { "csv" })
}

/// `bytes` cut at each [`SEPARATOR`] into at most `most` parts, the last keeping the rest.
fn split(bytes: &[u8], most: usize) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = bytes;
    while parts.len() + 1 < most {
        let Some(at) = rest.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) else {
            break;
        };
        parts.push(&rest[..at]);
        rest = &rest[at + SEPARATOR.len()..];
    }
    parts.push(rest);
    parts
}
