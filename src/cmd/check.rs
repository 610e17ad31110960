//! `parindex check`: loads criteria sets (and, with `--data` or a round file, a round's
//! data) and reports every problem in them, or a summary of each good set.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, FileReport, Severity, Voice};
use crate::exit::Exit;
use crate::lang::{Lang, Text};
use crate::model::criteria::{CriteriaSet, NodeId};
use crate::model::layer::LayerKind;
use crate::model::layer::Stage;
use crate::model::round::{Role, Round};
use crate::read::assessment::Context;
use crate::read::criteria;
use crate::read::inputs::{self, shown};
use crate::read::round_file::{Inputs, is_round_file};
use crate::score::results;
use crate::tr;

/// What to check and how to report it.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// Criteria sets or round files, and folders standing for the .toml files in them.
    pub files: Vec<PathBuf>,
    /// Assessment files to check against each criteria set.
    pub data: Vec<PathBuf>,
    pub agencies: Option<PathBuf>,
    pub format: Format,
    pub deny_warnings: bool,
    /// Every warning on its own, however many of a kind a file has.
    pub verbose: bool,
    pub voice: Voice,
}

/// A file with more warnings of one kind than this has them said once, with a count and
/// the first places (unless `--verbose`): a 20-agency round has dozens of claims without
/// evidence, and a screenful of each hides the one error among them.
const ALONE_AT_MOST: usize = 3;

/// How `check` prints the problems it finds: `text` for people, or `json` (one record per
/// problem) for CI systems. Its own words, not a report's [`crate::report::Format`]: a
/// list of problems is not a scored round, and has no table, workbook or page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}

/// One checked file: its reports (its own, then its data's), and the set when it loaded.
struct Checked {
    reports: Vec<FileReport>,
    set: Option<CriteriaSet>,
    /// What each good data file was read as, by path ("self-assessment, 77 values").
    notes: HashMap<String, Text>,
    /// The round file, where one was checked, as shown.
    round: Option<String>,
}

pub(crate) fn run(plan: &Plan, out: &mut dyn Write) -> std::io::Result<Exit> {
    let lang = plan.voice.lang;
    let checked: Vec<Checked> =
        expand(&plan.files).into_iter().map(|f| check_file(&f, plan)).collect();
    let fails = |c: &Checked| {
        c.set.is_none()
            || c.reports.iter().any(|r| {
                r.count(Severity::Error) > 0
                    || (plan.deny_warnings && r.count(Severity::Warning) > 0)
            })
    };
    let failed = checked.iter().filter(|c| fails(c)).count();
    if plan.format == Format::Json {
        let all: Vec<_> = checked
            .iter()
            .flat_map(|c| c.reports.iter().flat_map(|r| r.json(plan.voice.lang)))
            .collect();
        serde_json::to_writer_pretty(&mut *out, &all)?;
        writeln!(out)?;
    } else {
        for (n, c) in checked.iter().enumerate() {
            if n > 0 {
                writeln!(out)?;
            }
            for (k, report) in c.reports.iter().enumerate() {
                let text = if plan.verbose {
                    report.render(plan.voice)
                } else {
                    grouped(report, plan.voice)
                };
                out.write_all(text.as_bytes())?;
                let text = if k == 0 {
                    summary(report, c.set.as_ref(), lang)
                } else {
                    data_summary(report, c.notes.get(&report.path))
                };
                out.write_all(text.get(lang).as_bytes())?;
            }
            if let Some(round) = &c.round {
                out.write_all(round_summary(round, &c.reports).get(lang).as_bytes())?;
            }
        }
        if checked.len() > 1 {
            let (n, good) = (checked.len(), checked.len() - failed);
            let text = tr!(
                "\nchecked {n} criteria sets: {good} good, {failed} with problems",
                "\nđã kiểm tra {n} bộ tiêu chí: {good} bộ không có lỗi, {failed} bộ có lỗi"
            );
            writeln!(out, "{}", text.get(lang))?;
        }
    }
    Ok(if failed > 0 { Exit::BadInput } else { Exit::Done })
}

/// The files to check: each file as given, each folder's .toml files in name order.
/// A folder that cannot be listed, or holds no .toml file, becomes a problem to report.
fn expand(paths: &[PathBuf]) -> Vec<Result<PathBuf, (String, Diagnostic)>> {
    let mut files = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(Ok(path.clone()));
            continue;
        }
        let shown = path.display().to_string();
        let listed = std::fs::read_dir(path).map(|entries| {
            let mut found: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
                .collect();
            found.sort();
            found
        });
        match listed {
            Ok(found) if !found.is_empty() => files.extend(found.into_iter().map(Ok)),
            Ok(_) => files.push(Err((
                shown.clone(),
                Diagnostic::error(
                    "read-failed",
                    tr!(
                        "the folder {shown} holds no .toml file",
                        "thư mục {shown} không có tệp .toml nào"
                    ),
                ),
            ))),
            Err(e) => files.push(Err((
                shown.clone(),
                Diagnostic::error(
                    "read-failed",
                    tr!(
                        "cannot list the folder {shown}: {e}",
                        "không xem được nội dung thư mục {shown}: {e}"
                    ),
                ),
            ))),
        }
    }
    files
}

fn check_file(file: &Result<PathBuf, (String, Diagnostic)>, plan: &Plan) -> Checked {
    let path = match file {
        Ok(path) => path,
        Err((shown, d)) => {
            return Checked {
                reports: vec![FileReport::new(shown.clone(), None, vec![d.clone()])],
                set: None,
                notes: HashMap::new(),
                round: None,
            };
        }
    };
    let source = match crate::read::file::read_text(path) {
        Err(d) => {
            return Checked {
                reports: vec![FileReport::new(shown(path), None, vec![*d])],
                set: None,
                notes: HashMap::new(),
                round: None,
            };
        }
        Ok(source) => source,
    };
    if is_round_file(&source.text) {
        return check_round(path);
    }
    let loaded = criteria::load(&source);
    let mut reports = vec![FileReport::new(shown(path), Some(source), loaded.diagnostics)];
    let mut notes = HashMap::new();
    if let (Some(set), Some(agencies)) = (&loaded.set, &plan.agencies) {
        let (data, round) = check_data(set, agencies, &plan.data);
        reports.extend(data);
        notes = round.map(|r| describe(&r, &[], &HashMap::new())).unwrap_or_default();
    }
    Checked { reports, set: loaded.set, notes, round: None }
}

/// A round file: its criteria set, agencies and every stage, then what scoring would
/// find (missing values, claims without evidence) as warnings.
fn check_round(path: &Path) -> Checked {
    let inputs = match inputs::read_round_file(path) {
        Ok(inputs) => inputs,
        Err(report) => {
            return Checked {
                reports: vec![*report],
                set: None,
                notes: HashMap::new(),
                round: Some(shown(path)),
            };
        }
    };
    // Plain files are read without the rows' texts, and the few rows a warning names
    // are read again with theirs: a large round is not held in memory as text. A pipe
    // gives its bytes once, and is read with every text.
    let again = inputs::readable_again(&inputs);
    let loaded = inputs::load_with(&inputs, !again);
    let mut reports = loaded.reports;
    let (set, notes) = match loaded.round {
        Some(mut round) => {
            let names: Vec<&str> = inputs.tables.iter().map(|t| t.name.as_str()).collect();
            let notes = describe(&round, &names, &loaded.values);
            scoring_warnings(&mut round, &mut reports, again.then_some(&inputs));
            (Some(round.set), notes)
        }
        None => (None, HashMap::new()),
    };
    // The criteria set's report comes first, as its summary leads.
    Checked { reports, set, notes, round: Some(shown(path)) }
}

/// What each file of a loaded round holds, for the closing lines; `tables`: the names
/// of the round's raw tables, in the round file's order; `values`: how many values the
/// files whose rows were not kept give.
fn describe(
    round: &Round,
    tables: &[&str],
    values: &HashMap<String, usize>,
) -> HashMap<String, Text> {
    let mut notes: HashMap<String, Text> = round
        .layers
        .iter()
        .filter_map(|l| {
            let what = match l.kind {
                LayerKind::SelfAssessment => tr!("self-assessment", "tự đánh giá"),
                LayerKind::Appraisal(n) => tr!("appraisal round {n}", "thẩm định lần {n}"),
                LayerKind::Survey => tr!("survey", "khảo sát"),
                // Said of each table below.
                LayerKind::Computed => return None,
            };
            let values = values
                .get(&l.path)
                .copied()
                .unwrap_or_else(|| l.cells.iter().filter(|c| c.value.is_some()).count());
            let values = counted_as(values, "value", "values", "giá trị");
            Some((l.path.clone(), what.join(", ", &values)))
        })
        .collect();
    // A raw table: how many values were computed from it. A value read without its
    // texts is of the table its leaf names.
    let file_of: HashMap<&str, &str> = round
        .inputs
        .iter()
        .filter_map(|i| match i.role {
            Role::Table(k) => Some((*tables.get(k.checked_sub(1)?)?, i.path.as_str())),
            _ => None,
        })
        .collect();
    let mut computed: HashMap<&str, usize> = HashMap::new();
    for layer in round.layers.iter().filter(|l| l.kind == LayerKind::Computed) {
        for cell in &layer.cells {
            let file = match cell.derivation() {
                Some(d) => Some(d.file.as_str()),
                None => round.set.nodes[cell.node]
                    .leaf
                    .as_ref()
                    .and_then(|l| l.compute.as_ref())
                    .and_then(|c| file_of.get(c.table.as_str()).copied()),
            };
            if let Some(file) = file {
                *computed.entry(file).or_default() += 1;
            }
        }
    }
    for input in round.inputs.iter().filter(|i| matches!(i.role, Role::Table(_))) {
        let n = computed.get(input.path.as_str()).copied().unwrap_or(0);
        let computed = counted_as(n, "value computed", "values computed", "giá trị được tính");
        notes.insert(input.path.clone(), tr!("raw table", "bảng số liệu").join(", ", &computed));
    }
    notes
}

/// `--data` files against one set, with the agencies they name; the round they make
/// when every file is good.
fn check_data(
    set: &CriteriaSet,
    agencies_path: &Path,
    data: &[PathBuf],
) -> (Vec<FileReport>, Option<Round>) {
    let mut reports = Vec::new();
    let Some(agencies) = inputs::read_agencies(agencies_path, &mut reports) else {
        return (reports, None);
    };
    let list = agencies.list;
    let ids: HashMap<String, usize> =
        list.iter().enumerate().map(|(i, a)| (a.id.clone(), i)).collect();
    let ctx = Context::new(set, &ids);
    let mut layers = Vec::new();
    for path in data {
        let (layer, report) = inputs::load_data_file(path, &ctx);
        layers.extend(layer);
        reports.push(report);
    }
    if reports.iter().any(|r| r.count(Severity::Error) > 0) {
        return (reports, None);
    }
    // The first assessment file is the self-assessment, later ones appraisal rounds.
    let mut rounds = 0;
    for layer in &mut layers {
        if layer.kind != LayerKind::Survey {
            layer.kind =
                if rounds == 0 { LayerKind::SelfAssessment } else { LayerKind::Appraisal(rounds) };
            rounds += 1;
        }
    }
    layers.sort_by_key(|l| match l.kind {
        LayerKind::SelfAssessment => (0, 0),
        LayerKind::Computed => (1, 0),
        LayerKind::Appraisal(n) => (2, n),
        LayerKind::Survey => (3, 0),
    });
    let stack = crate::model::stack::Stack::from_layers(set, list.len(), &layers);
    let mut round = Round {
        title: None,
        year: None,
        decision: crate::model::decision::Decision::default(),
        set: set.clone(),
        agencies: list,
        layers,
        inputs: Vec::new(),
        stack,
        group_names: agencies.group_names.into_iter().map(|(id, g)| (id, g.name)).collect(),
    };
    if round.layers.first().is_some_and(|l| l.kind == LayerKind::SelfAssessment) {
        scoring_warnings(&mut round, &mut reports, None);
    }
    (reports, Some(round))
}

/// What scoring would find in good files: leaves with no value, and values above zero
/// that need evidence and cite none. Warnings, each added to the file it concerns. A
/// round read without its rows' texts has the rows of its claims read again from
/// `inputs`, and their files' texts put in their reports.
fn scoring_warnings(round: &mut Round, reports: &mut [FileReport], inputs: Option<&Inputs>) {
    // The most codes a missing-values warning lists: a round of a million agencies gives
    // a million warnings, each of which must stay small.
    const SHOWN: usize = 12;
    let set = &round.set;
    let report_of =
        |reports: &[FileReport], path: &str| reports.iter().position(|r| r.path == path);
    // Gaps go with the self-assessment; a round whose tables give every value has none,
    // and its gaps go with the criteria set, whose report comes first.
    let self_report = round
        .layers
        .iter()
        .find(|l| l.kind == LayerKind::SelfAssessment)
        .and_then(|l| report_of(reports, &l.path))
        .unwrap_or(0);
    if reports.is_empty() {
        return;
    }
    // Each warning with the index of the file's report, moved there at the end.
    let mut extra: Vec<(usize, Diagnostic)> = Vec::new();
    for (a, leaves) in results::missing(round, Stage::Final) {
        let agency = &round.agencies[a];
        let codes: Vec<&str> =
            leaves.iter().take(SHOWN).map(|&id| set.nodes[id].code.as_str()).collect();
        let more = leaves.len().saturating_sub(SHOWN);
        let rest = if more > 0 { format!(" and {more} more") } else { String::new() };
        let rest_vi = if more > 0 { format!(" và {more} mục khác") } else { String::new() };
        let (id, n, codes) = (&agency.id, leaves.len(), codes.join(", "));
        let sub_criteria = if n == 1 { "sub-criterion" } else { "sub-criteria" };
        extra.push((
            self_report,
            Diagnostic::warning(
                "missing-values",
                Text::new(
                    format!("agency \"{id}\" has no value for {n} {sub_criteria}: {codes}{rest}"),
                    format!(
                        "đơn vị \"{id}\" chưa có giá trị của {n} tiêu chí thành phần: {codes}{rest_vi}"
                    ),
                ),
            )
            .help(tr!(
                "score fails on these unless run with --missing zero",
                "lệnh score sẽ dừng vì các mục này, trừ khi chạy với --missing zero"
            ))
            .brief(Text::same(id.clone())),
        ));
    }
    let claims = results::claims_without_evidence(round);
    let cells: Vec<(usize, NodeId)> = claims.iter().map(|c| (c.agency, c.node)).collect();
    if let Some(inputs) = inputs.filter(|_| !claims.is_empty()) {
        // The rows of the claims, with their texts, in place of the round's, read
        // without them: the rows behind a claim are the same among these. The files'
        // texts go to their reports, to show the rows; a file changed since it was
        // first read is said, as an error.
        let wanted = cells.iter().copied().collect();
        for again in inputs::rows_of(inputs, round, &wanted) {
            if let Some(at) = report_of(reports, &again.path) {
                let report = &mut reports[at];
                if report.source.is_none() {
                    report.source = again.source;
                }
                report.extend(again.diagnostics);
            }
        }
    }
    let round = &*round;
    let set = &round.set;
    let trails = results::trails(round, Stage::Final, &cells);
    for (claim, trail) in claims.iter().zip(trails) {
        let Some((kind, cell)) = trail.decisive(round) else { continue };
        let Some(layer) = round.layers.iter().find(|l| l.kind == kind) else { continue };
        let Some(at) = report_of(reports, &layer.path) else { continue };
        let agency = &round.agencies[claim.agency];
        let code = &set.nodes[claim.node].code;
        let span = reports[at].source.as_ref().map(|s| s.line(cell.line));
        let (path, line, id, raw) = (&layer.path, cell.line, &agency.id, cell.raw());
        let points = claim.claimed.approx(set.decimals);
        let s = if points == rust_decimal::Decimal::ONE { "" } else { "s" };
        let mut d = Diagnostic::warning(
            "no-evidence",
            tr!(
                "{path}, line {line}: agency \"{id}\", \"{code}\": \"{raw}\" claims {points} point{s} but no row cites evidence, so it scores 0",
                "dòng {line} của {path}: đơn vị \"{id}\", \"{code}\": \"{raw}\" tự chấm {points} điểm nhưng không dòng nào ghi tài liệu kiểm chứng, nên được 0 điểm"
            ),
        )
        .help(tr!(
            "fill in the evidence (tài liệu kiểm chứng) for \"{code}\": document number, date, page",
            "hãy điền tài liệu kiểm chứng cho \"{code}\": số văn bản, ngày, trang"
        ))
        .brief(Text::same(format!("{id} {code}")));
        if let Some(span) = span {
            d = d.at(span, tr!("no evidence on this row", "dòng này không có tài liệu kiểm chứng"));
        }
        extra.push((at, d));
    }
    // Moved, not copied, into their reports: each report takes its own in one go.
    extra.sort_by_key(|(at, _)| *at);
    let mut extra = extra.into_iter().peekable();
    while let Some(&(at, _)) = extra.peek() {
        let mine: Vec<Diagnostic> =
            std::iter::from_fn(|| extra.next_if(|(i, _)| *i == at)).map(|(_, d)| d).collect();
        reports[at].extend(mine);
    }
}

/// A file's problems as text, each kind of warning found more than [`ALONE_AT_MOST`]
/// times said once, where the first of them is: how many, the first places, and what to
/// do. Errors are always shown one by one.
fn grouped(report: &FileReport, voice: Voice) -> String {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for d in report.diagnostics.iter().filter(|d| d.severity == Severity::Warning) {
        *counts.entry(d.code).or_default() += 1;
    }
    let many = |d: &Diagnostic| {
        d.severity == Severity::Warning && counts.get(d.code).is_some_and(|&n| n > ALONE_AT_MOST)
    };
    let mut text = String::new();
    let mut said: Vec<&str> = Vec::new();
    for d in &report.diagnostics {
        if !many(d) {
            text.push_str(&report.render_one(d, voice));
            continue;
        }
        if said.contains(&d.code) {
            continue;
        }
        said.push(d.code);
        let alike: Vec<&Diagnostic> =
            report.diagnostics.iter().filter(|o| o.code == d.code && many(o)).collect();
        let places: Vec<String> = alike
            .iter()
            .take(ALONE_AT_MOST)
            .filter_map(|o| {
                let line = report.line_of(o).map(|l| match voice.lang {
                    Lang::En => format!("line {l}"),
                    Lang::Vi => format!("dòng {l}"),
                });
                let brief = o.brief.as_ref().map(|b| b.get(voice.lang).to_string());
                let place: Vec<String> = line.into_iter().chain(brief).collect();
                (!place.is_empty()).then(|| place.join(" "))
            })
            .collect();
        let places = places.join(", ");
        let first = if places.is_empty() {
            Text::default()
        } else {
            tr!(" (first: {places}, …)", " (đầu tiên: {places}, …)")
        };
        let (what, help) = kind_of(d.code);
        let each = tr!("check --verbose shows each one", "check --verbose hiện từng mục");
        let help = match help {
            Some(help) => help.join("; ", &each),
            None => each,
        };
        let (n, path) = (alike.len(), &report.path);
        let one = Diagnostic::warning(
            d.code,
            Text::new(
                format!("{n} {} in {path}{}", what.en, first.en),
                format!("{n} {} trong {path}{}", what.vi, first.vi),
            ),
        )
        .help(help);
        text.push_str(&report.render_one(&one, voice));
    }
    text
}

/// What many warnings of a code are, said of them together, and what to do about them.
fn kind_of(code: &str) -> (Text, Option<Text>) {
    match code {
        "no-evidence" => (
            tr!("claims without evidence", "mục tự chấm không có tài liệu kiểm chứng"),
            Some(tr!(
                "each scores 0 until its evidence (tài liệu kiểm chứng) is filled in: \
                 document number, date, page",
                "mỗi mục được 0 điểm cho đến khi điền tài liệu kiểm chứng: số văn bản, ngày, trang"
            )),
        ),
        "missing-values" => (
            tr!(
                "agencies without a value for some sub-criteria",
                "đơn vị thiếu giá trị của một số tiêu chí thành phần"
            ),
            Some(tr!(
                "score fails on these unless run with --missing zero",
                "lệnh score sẽ dừng vì các mục này, trừ khi chạy với --missing zero"
            )),
        ),
        _ => (tr!("warnings of this kind", "cảnh báo loại này"), None),
    }
}

/// The closing line of a round's check: what was found, in how many files.
fn round_summary(round: &str, reports: &[FileReport]) -> Text {
    let (errors, warnings) = reports
        .iter()
        .fold((0, 0), |(e, w), r| (e + r.count(Severity::Error), w + r.count(Severity::Warning)));
    let mut files: Vec<&str> = reports.iter().map(|r| r.path.as_str()).collect();
    files.push(round);
    files.sort_unstable();
    files.dedup();
    let n = files.len();
    let files = if n == 1 { "file" } else { "files" };
    let e = counted_as(errors, "error", "errors", "lỗi");
    let w = counted_as(warnings, "warning", "warnings", "cảnh báo");
    Text::new(
        format!("checked the round {round}: {}, {} in {n} {files}\n", e.en, w.en),
        format!("đã kiểm tra vòng đánh giá {round}: {}, {} trong {n} tệp\n", e.vi, w.vi),
    )
}

fn summary(report: &FileReport, set: Option<&CriteriaSet>, lang: Lang) -> Text {
    let (errors, warnings) = (report.count(Severity::Error), report.count(Severity::Warning));
    let path = &report.path;
    let Some(set) = set.filter(|_| errors == 0) else {
        return Text::same(format!("{path}: "))
            .join("", &counted(errors, warnings))
            .join("\n", &Text::default());
    };
    let s = set.stats();
    let warned = if warnings > 0 {
        Text::same(" (").join("", &counted(0, warnings)).join(")", &Text::default())
    } else {
        Text::default()
    };
    let rules: Vec<String> = s.rules.iter().map(|(name, n)| format!("{n} {name}")).collect();
    let rules = rules.join(", ");
    let (title, id) = (&set.title, &set.id);
    let mut lines = vec![
        Text::new(format!("ok: {path}{}", warned.en), format!("ok: {path}{}", warned.vi)),
        tr!("  {title} ({id})", "  {title} ({id})"),
    ];
    let (fields, criteria, sub_criteria) = (
        counted_as(s.fields, "field", "fields", "lĩnh vực"),
        counted_as(s.criteria, "criterion", "criteria", "tiêu chí"),
        counted_as(s.sub_criteria, "sub-criterion", "sub-criteria", "tiêu chí thành phần"),
    );
    let max = s.max.normalize();
    lines.push(Text::new(
        format!("  {}, {}, {}; max {max}", fields.en, criteria.en, sub_criteria.en),
        format!("  {}, {}, {}; tối đa {max} điểm", fields.vi, criteria.vi, sub_criteria.vi),
    ));
    let leaves = counted_as(s.leaves, "scored leaf", "scored leaves", "mục chấm điểm");
    lines.push(Text::new(format!("  {}: {rules}", leaves.en), format!("  {}: {rules}", leaves.vi)));
    let (na, survey, survey_points, evidence) =
        (s.na_leaves, s.survey_leaves, s.survey_points.normalize(), s.evidence_leaves);
    lines.push(tr!(
        "  NA allowed on {na}; {survey} from the survey ({survey_points} points); evidence required on {evidence}",
        "  cho phép không phát sinh ở {na} mục; {survey} mục lấy từ khảo sát ({survey_points} điểm); cần tài liệu kiểm chứng ở {evidence} mục"
    ));
    if s.computed_leaves > 0 {
        let (n, points, tables) =
            (s.computed_leaves, s.computed_points.normalize(), s.tables.join(", "));
        lines.push(tr!(
            "  computed from tables: {n} ({points} points), from {tables}",
            "  tính từ bảng số liệu: {n} mục ({points} điểm), từ {tables}"
        ));
    }
    if s.bonus_nodes + s.deduction_nodes > 0 {
        let (bonus, deduction) = (s.bonus_max.normalize(), s.deduction_max.normalize());
        lines.push(tr!(
            "  bonus up to {bonus}, deduction up to {deduction}",
            "  điểm thưởng tối đa {bonus}, điểm trừ tối đa {deduction}"
        ));
    }
    if !set.grades.is_empty() {
        let grades: Vec<String> =
            set.grades.iter().map(|g| format!("{} ≥ {}", g.name, g.min.normalize())).collect();
        let grades = grades.join(", ");
        lines.push(tr!("  grades: {grades}", "  xếp loại: {grades}"));
    }
    let mut text = String::new();
    for line in &lines {
        let _ = writeln!(text, "{}", line.get(lang));
    }
    Text::same(crate::text::printable(&text).into_owned())
}

/// A data file's closing line, with what it was read as.
fn data_summary(report: &FileReport, note: Option<&Text>) -> Text {
    let (errors, warnings) = (report.count(Severity::Error), report.count(Severity::Warning));
    let mut parts: Vec<Text> = note.into_iter().cloned().collect();
    if warnings > 0 {
        parts.push(counted(0, warnings));
    }
    let joined = |lang: Lang| parts.iter().map(|p| p.get(lang)).collect::<Vec<_>>().join("; ");
    let path = &report.path;
    match errors {
        0 if parts.is_empty() => Text::same(format!("ok: {path}\n")),
        0 => Text::new(
            format!("ok: {path} ({})\n", joined(Lang::En)),
            format!("ok: {path} ({})\n", joined(Lang::Vi)),
        ),
        e => {
            let counted = counted(e, warnings);
            Text::new(format!("{path}: {}\n", counted.en), format!("{path}: {}\n", counted.vi))
        }
    }
}

/// "3 values": `n` with the English word for one or many, or the Vietnamese word, which
/// has no plural.
fn counted_as(n: usize, one: &str, many: &str, vi: &str) -> Text {
    Text::new(format!("{n} {}", if n == 1 { one } else { many }), format!("{n} {vi}"))
}

/// "2 errors, 1 warning".
fn counted(errors: usize, warnings: usize) -> Text {
    let errors_of = counted_as(errors, "error", "errors", "lỗi");
    let warnings_of = counted_as(warnings, "warning", "warnings", "cảnh báo");
    match (errors, warnings) {
        (0, _) => warnings_of,
        (_, 0) => errors_of,
        _ => errors_of.join(", ", &warnings_of),
    }
}
