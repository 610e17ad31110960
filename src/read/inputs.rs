//! Loading a whole round from its files: the criteria set, the agencies and every stage,
//! each file's problems kept with it so that all of them are shown at once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, FileReport, Severity};
use crate::lang::Text;
use crate::model::layer::{Layer, LayerKind};
use crate::model::round::{InputFile, Role, Round};
use crate::read::agencies;
use crate::read::assessment::{self, Context, Wanted};
use crate::read::compute::Texts;
use crate::read::criteria;
use crate::read::fast;
use crate::read::groups;
use crate::read::round_file;
pub use crate::read::round_file::Inputs;
use crate::read::table::Table;
use crate::source::SourceFile;
use crate::tr;

/// A round, when every file was good, and what was found in each file.
pub struct Loaded {
    pub round: Option<Round>,
    pub reports: Vec<FileReport>,
    /// How many values each stage file gives, by its path as shown, where its rows were
    /// read straight into the stack and not kept (see [`load_with`]).
    pub values: HashMap<String, usize>,
}

impl Loaded {
    pub fn failed(&self) -> bool {
        self.reports.iter().any(|r| r.count(Severity::Error) > 0)
    }
}

/// Reads a round file into the inputs it names; its own problems come back as a report.
pub fn read_round_file(path: &Path) -> Result<Inputs, Box<FileReport>> {
    let shown = shown(path);
    let source = crate::read::file::read_text(path)
        .map_err(|d| FileReport::new(shown.clone(), None, vec![*d]))?;
    let mut out = Vec::new();
    match round_file::read(&source, &mut out) {
        Some(inputs) if out.is_empty() => Ok(Inputs { round: Some(path.to_path_buf()), ..inputs }),
        _ => Err(Box::new(FileReport::new(shown, Some(source), out))),
    }
}

/// Files named on the command line beside a round file, each taking the place of the
/// files the round names for its stage: a draft self-assessment tried before it is
/// sent, or another appraisal. Their paths are as typed, relative to the current folder,
/// not to the round file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drafts {
    pub self_assessment: Option<PathBuf>,
    /// Every appraisal round, in order: the round's own are all left out.
    pub appraisals: Vec<PathBuf>,
    pub survey: Option<PathBuf>,
}

impl Drafts {
    /// Whether no file takes the place of the round's.
    pub fn is_empty(&self) -> bool {
        self.self_assessment.is_none() && self.appraisals.is_empty() && self.survey.is_none()
    }

    /// Lays the drafts over a round's inputs; what each one replaced, said for people
    /// ("self-assessment from draft.csv instead of the round's self.csv"), so that a
    /// draft is never taken for the round.
    pub fn apply(&self, inputs: &mut Inputs) -> Vec<Text> {
        let mut notes = Vec::new();
        let mut say = |what: Text, new: &[PathBuf], old: &[PathBuf]| {
            let list =
                |paths: &[PathBuf]| paths.iter().map(|p| shown(p)).collect::<Vec<_>>().join(", ");
            let (new, old) = (list(new), list(old));
            let (instead_en, instead_vi) = if old.is_empty() {
                (
                    "; the round names none".to_string(),
                    "; vòng đánh giá không ghi tệp nào".to_string(),
                )
            } else {
                (
                    format!(" instead of the round's {old}"),
                    format!(" thay cho {old} của vòng đánh giá"),
                )
            };
            notes.push(Text::new(
                format!("{} from {new}{instead_en}", what.en),
                format!("{} lấy từ {new}{instead_vi}", what.vi),
            ));
        };
        if let Some(path) = &self.self_assessment {
            let old: Vec<PathBuf> = inputs.self_assessment.iter().cloned().collect();
            say(Text::new("self-assessment", "tự đánh giá"), std::slice::from_ref(path), &old);
            inputs.self_assessment = Some(path.clone());
        }
        if !self.appraisals.is_empty() {
            let what = if self.appraisals.len() == 1 { "appraisal" } else { "appraisals" };
            say(Text::new(what, "thẩm định"), &self.appraisals, &inputs.appraisals);
            inputs.appraisals.clone_from(&self.appraisals);
        }
        if let Some(path) = &self.survey {
            let old: Vec<PathBuf> = inputs.survey.iter().cloned().collect();
            say(Text::new("survey", "điều tra xã hội học"), std::slice::from_ref(path), &old);
            inputs.survey = Some(path.clone());
        }
        notes
    }
}

/// Loads every file of a round, keeping every text. Data files are read only once the
/// criteria set and the agencies are good, since every value is checked against them.
pub fn load(inputs: &Inputs) -> Loaded {
    load_with(inputs, true)
}

/// [`load`]; without `texts`, cells keep only their values and whether evidence was
/// cited, and a file's text is let go once it is read without a problem.
pub fn load_with(inputs: &Inputs, texts: bool) -> Loaded {
    let mut reports = Vec::new();
    let mut files = Vec::new();
    let mut cite = |role: Role, source: &SourceFile| {
        files.push(InputFile { role, path: source.path.clone(), sha256: source.sha256.clone() });
    };
    let criteria_path = shown(&inputs.criteria);
    let set = match crate::read::file::read_text(&inputs.criteria) {
        Err(d) => {
            reports.push(FileReport::new(criteria_path, None, vec![*d]));
            None
        }
        Ok(source) => {
            cite(Role::Criteria, &source);
            let loaded = criteria::load(&source);
            reports.push(FileReport::new(criteria_path, Some(source), loaded.diagnostics));
            loaded.set
        }
    };
    let agencies = match Table::read(&inputs.agencies) {
        Err(d) => {
            reports.push(FileReport::new(shown(&inputs.agencies), None, vec![*d]));
            None
        }
        Ok(table) => {
            cite(Role::Agencies, &table.source);
            let mut out = Vec::new();
            let read = agencies::read(&table, &mut out);
            // The names groups are shown by, the round file's over the agencies file's.
            let named = groups::names(
                &read,
                &inputs.groups,
                &table.source.path,
                &inputs.round.as_deref().map(shown).unwrap_or_default(),
            );
            out.extend(named.agencies);
            let ok = !out.iter().any(|d| d.severity == Severity::Error);
            reports.push(FileReport::new(table.source.path.clone(), Some(table.source), out));
            if !named.round.is_empty() {
                reports.push(round_file_report(inputs, named.round));
            }
            ok.then_some((read.list, named.shown))
        }
    };
    let (Some(set), Some((agencies, group_names))) = (set, agencies) else {
        return Loaded { round: None, reports, values: HashMap::new() };
    };
    let stages = stages(inputs);
    // The system's figures, from the round's raw tables: read once the set and the
    // agencies are known, laid after the self-assessment. The tables need no cell: plain
    // files are read straight into the stack, and the round is read the thorough way only
    // when one of them is not plain or not right. Neither needs the other until the
    // system's figures are laid on the stack: they are read side by side.
    let (mut computed, quick) = rayon::join(
        || {
            let texts = if texts { Texts::All } else { Texts::None };
            crate::read::compute::compute(&set, &agencies, &inputs.tables, texts)
        },
        || if texts { None } else { fast::read_round(&set, &agencies, &stages) },
    );
    let criteria_path = shown(&inputs.criteria);
    if let Some(report) = reports.iter_mut().find(|r| r.path == criteria_path) {
        report.extend(std::mem::take(&mut computed.criteria));
    }
    let quick_read = quick.is_some();
    let mut layers = Vec::new();
    let mut values = HashMap::new();
    let mut stack = if let Some((stack, read)) = quick {
        for ((kind, path), read) in stages.into_iter().zip(read) {
            let path = shown(path);
            values.insert(path.clone(), read.values);
            let sha256 = read.sha256;
            files.push(InputFile { role: stage_role(kind), path: path.clone(), sha256 });
            reports.push(FileReport::new(path.clone(), None, Vec::new()));
            layers.push(Layer { kind, path, cells: Vec::new() });
        }
        stack
    } else {
        // What the thorough reader looks every row up in: built only when it is needed.
        let ids: HashMap<String, usize> =
            agencies.iter().enumerate().map(|(i, a)| (a.id.clone(), i)).collect();
        let mut ctx = Context::new(&set, &ids);
        ctx.texts = texts;
        for (kind, path) in stages {
            match Table::read(path) {
                Err(d) => reports.push(FileReport::new(shown(path), None, vec![*d])),
                Ok(table) => {
                    cite(stage_role(kind), &table.source);
                    let mut out = Vec::new();
                    layers.push(assessment::read(&table, kind, &ctx, &mut out));
                    let keep = texts || !out.is_empty();
                    reports.push(FileReport::new(
                        table.source.path.clone(),
                        keep.then_some(table.source),
                        out,
                    ));
                }
            }
        }
        crate::model::stack::Stack::new(&set, agencies.len())
    };
    if quick_read && !inputs.tables.is_empty() {
        stack.lay_system(&set, &computed.layer);
    }
    files.extend(computed.files);
    reports.extend(computed.reports);
    if !inputs.tables.is_empty() {
        layers.insert(computed_at(inputs, &layers), computed.layer);
    }
    if !quick_read {
        stack = crate::model::stack::Stack::from_layers(&set, agencies.len(), &layers);
    }
    let failed = reports.iter().any(|r| r.count(Severity::Error) > 0);
    let round = (!failed).then(|| Round {
        title: inputs.title.clone(),
        year: inputs.year,
        decision: inputs.decision.clone(),
        set,
        agencies,
        layers,
        inputs: files,
        stack,
        group_names,
    });
    Loaded { round, reports, values }
}

/// The stage files of a round, in the order they are laid: the self-assessment, each
/// appraisal round, the survey.
fn stages(inputs: &Inputs) -> Vec<(LayerKind, &Path)> {
    let mut stages: Vec<(LayerKind, &Path)> = Vec::new();
    stages.extend(inputs.self_assessment.as_deref().map(|p| (LayerKind::SelfAssessment, p)));
    stages.extend(
        inputs
            .appraisals
            .iter()
            .enumerate()
            .map(|(n, p)| (LayerKind::Appraisal(n + 1), p.as_path())),
    );
    stages.extend(inputs.survey.as_deref().map(|p| (LayerKind::Survey, p)));
    stages
}

/// Whether every stage file and table of the round can be read a second time: plain
/// files can, a pipe gives its bytes once.
pub fn readable_again(inputs: &Inputs) -> bool {
    stages(inputs)
        .into_iter()
        .map(|(_, path)| path)
        .chain(inputs.tables.iter().map(|t| t.path.as_path()))
        .all(|path| std::fs::metadata(path).is_ok_and(|m| m.is_file()))
}

/// One agency's rows with every text, for a report on it alone (`explain AGENCY`): each
/// stage file and table read again, the other agencies' rows passed over, and laid into
/// `round` in the order [`load_with`] lays them. `round` was loaded from `inputs` without
/// texts, every file read whole and found good; a file whose bytes are not the ones
/// that load read (changed since) is an error. Returns what was found in each file.
pub fn rows_of_one(inputs: &Inputs, round: &mut Round, agency: usize) -> Vec<FileReport> {
    let ids = ids_of(round);
    let mut ctx = Context::new(&round.set, &ids);
    ctx.only = Some(agency);
    let (mut layers, mut reports) =
        read_again(inputs, round, &ctx, Some(&|a| a as usize == agency));
    if !inputs.tables.is_empty() {
        let mut computed = crate::read::compute::compute(
            &round.set,
            &round.agencies,
            &inputs.tables,
            Texts::Of(agency),
        );
        computed.layer.cells.retain(|c| c.agency == agency);
        for file in &computed.files {
            if !round.inputs.iter().any(|i| i.sha256 == file.sha256) {
                reports.push(FileReport::new(file.path.clone(), None, vec![changed(&file.path)]));
            }
        }
        reports.extend(computed.reports);
        layers.insert(computed_at(inputs, &layers), computed.layer);
    }
    round.layers = layers;
    reports
}

/// The rows of the stage files behind `cells` (agency, node), with every text, read
/// again for a report that names a few of a large round's rows (`check`'s claims without
/// evidence, the page's explanations of the appraisal's changes), and laid into `round`
/// in place of its own, read without texts. The system's figures are not read again:
/// they have no text to show, but their layer stays, empty, since the agency's own
/// claim of such a leaf never counts at the final stage. Returns what was found in each
/// file, its text kept to show the rows; as for [`rows_of_one`], a file changed since
/// `round` was loaded is an error.
pub fn rows_of(inputs: &Inputs, round: &mut Round, cells: &Wanted) -> Vec<FileReport> {
    let ids = ids_of(round);
    let mut ctx = Context::new(&round.set, &ids);
    ctx.cells = Some(cells);
    let agencies = cells.agencies(round.agencies.len());
    let wanted = |a: u32| agencies.get(a as usize).is_some_and(|&w| w);
    // Where most agencies have a row wanted, picking them out first costs more than it
    // saves: every row is read.
    let few = agencies.iter().filter(|&&w| w).count() * 2 <= agencies.len();
    let (mut layers, reports) = read_again(inputs, round, &ctx, few.then_some(&wanted));
    if let Some(computed) = round.layers.iter().find(|l| l.kind == LayerKind::Computed) {
        let empty = Layer { kind: computed.kind, path: computed.path.clone(), cells: Vec::new() };
        layers.insert(computed_at(inputs, &layers), empty);
    }
    round.layers = layers;
    reports
}

/// Where the computed layer goes among the stage files' layers, as [`load_with`] lays
/// it: after the self-assessment.
fn computed_at(inputs: &Inputs, layers: &[Layer]) -> usize {
    usize::from(inputs.self_assessment.is_some()).min(layers.len())
}

fn ids_of(round: &Round) -> HashMap<String, usize> {
    round.agencies.iter().enumerate().map(|(i, a)| (a.id.clone(), i)).collect()
}

/// Each stage file of `inputs` read again through `ctx`, refused where its bytes are not
/// the ones `round` was loaded from. With `wanted`, only the rows of the agencies it
/// wants are read, where the file reads quickly; the others are left out unread.
fn read_again(
    inputs: &Inputs,
    round: &Round,
    ctx: &Context<'_>,
    wanted: Option<&(dyn Fn(u32) -> bool + Sync)>,
) -> (Vec<Layer>, Vec<FileReport>) {
    let ids = crate::read::ids::Ids::new(&round.agencies);
    let mut reports = Vec::new();
    let mut layers = Vec::new();
    for (kind, path) in stages(inputs) {
        let sparse = wanted.and_then(|wanted| crate::read::blocks::sparse(path, &ids, wanted));
        let read = sparse.map_or_else(|| Table::read(path), Ok);
        match read {
            Err(d) => reports.push(FileReport::new(shown(path), None, vec![*d])),
            Ok(table) if !round.inputs.iter().any(|i| i.sha256 == table.source.sha256) => {
                let d = changed(&table.source.path);
                reports.push(FileReport::new(table.source.path.clone(), None, vec![d]));
            }
            Ok(table) => {
                let mut out = Vec::new();
                layers.push(assessment::read(&table, kind, ctx, &mut out));
                reports.push(FileReport::new(table.source.path.clone(), Some(table.source), out));
            }
        }
    }
    (layers, reports)
}

/// A file read a second time whose bytes are not the first time's.
fn changed(path: &str) -> Diagnostic {
    Diagnostic::error(
        "read-failed",
        tr!("{path} changed while it was being read", "{path} đã thay đổi trong lúc đang được đọc"),
    )
    .help(tr!(
        "run the command again once the file is no longer being written",
        "hãy chạy lại lệnh khi tệp không còn đang được ghi"
    ))
}

/// What was found in the round file once the other files were read, with its text to
/// show the places: read again, as the round file is small and such problems are rare.
fn round_file_report(inputs: &Inputs, diagnostics: Vec<Diagnostic>) -> FileReport {
    let path = inputs.round.as_deref().unwrap_or(Path::new(""));
    let source = crate::read::file::read_text(path).ok();
    FileReport::new(shown(path), source, diagnostics)
}

/// The role of a stage's file: the stages are the self-assessment, the appraisal rounds
/// and the survey, never the computed layer.
fn stage_role(kind: LayerKind) -> Role {
    Role::of_layer(kind).expect("a stage is read from a file")
}

/// Reads a criteria set, its problems going to `reports`; `None` when it has errors.
pub fn read_set(
    path: &Path,
    reports: &mut Vec<FileReport>,
) -> Option<crate::model::criteria::CriteriaSet> {
    match crate::read::file::read_text(path) {
        Err(d) => {
            reports.push(FileReport::new(shown(path), None, vec![*d]));
            None
        }
        Ok(source) => {
            let loaded = criteria::load(&source);
            reports.push(FileReport::new(shown(path), Some(source), loaded.diagnostics));
            loaded.set
        }
    }
}

/// Reads an agencies file, its problems going to `reports`; `None` when it has errors.
pub fn read_agencies(path: &Path, reports: &mut Vec<FileReport>) -> Option<agencies::Agencies> {
    match Table::read(path) {
        Err(d) => {
            reports.push(FileReport::new(shown(path), None, vec![*d]));
            None
        }
        Ok(table) => {
            let mut problems = Vec::new();
            let read = agencies::read(&table, &mut problems);
            let failed = problems.iter().any(|d| d.severity == Severity::Error);
            reports.push(FileReport::new(table.source.path.clone(), Some(table.source), problems));
            (!failed).then_some(read)
        }
    }
}

/// Loads a data file's table for `check --data`, guessing its stage from its codes.
pub fn load_data_file(
    path: &Path,
    ctx: &Context<'_>,
) -> (Option<crate::model::layer::Layer>, FileReport) {
    match Table::read(path) {
        Err(d) => (None, FileReport::new(shown(path), None, vec![*d])),
        Ok(table) => {
            let mut out: Vec<Diagnostic> = Vec::new();
            let kind = assessment::guess_kind(&table, ctx);
            let layer = assessment::read(&table, kind, ctx, &mut out);
            (Some(layer), FileReport::new(table.source.path.clone(), Some(table.source), out))
        }
    }
}

pub use crate::read::file::shown;

#[cfg(test)]
mod tests {
    use super::*;

    fn round() -> Inputs {
        Inputs {
            round: Some("vong/round.toml".into()),
            title: None,
            year: None,
            criteria: "vong/criteria.toml".into(),
            agencies: "vong/agencies.csv".into(),
            self_assessment: Some("vong/self.csv".into()),
            appraisals: vec!["vong/appraisal-1.csv".into(), "vong/appraisal-2.csv".into()],
            survey: None,
            tables: Vec::new(),
            decision: crate::model::decision::Decision::default(),
            groups: Vec::new(),
        }
    }

    #[test]
    fn drafts_take_the_place_of_the_rounds_files_and_say_so() {
        let mut inputs = round();
        assert!(Drafts::default().apply(&mut inputs).is_empty());
        assert_eq!(inputs, round());
        let drafts = Drafts {
            self_assessment: Some("draft.csv".into()),
            appraisals: vec!["mine.csv".into()],
            survey: Some("survey.csv".into()),
        };
        assert!(!drafts.is_empty());
        let notes = drafts.apply(&mut inputs);
        assert_eq!(
            notes[0].vi,
            "tự đánh giá lấy từ draft.csv thay cho vong/self.csv của vòng đánh giá"
        );
        assert_eq!(
            notes[2].vi,
            "điều tra xã hội học lấy từ survey.csv; vòng đánh giá không ghi tệp nào"
        );
        let notes: Vec<&str> = notes.iter().map(|n| n.en.as_str()).collect();
        assert_eq!(
            notes,
            [
                "self-assessment from draft.csv instead of the round's vong/self.csv",
                "appraisal from mine.csv instead of the round's vong/appraisal-1.csv, vong/appraisal-2.csv",
                "survey from survey.csv; the round names none",
            ]
        );
        assert_eq!(inputs.self_assessment, Some("draft.csv".into()));
        assert_eq!(inputs.appraisals, [PathBuf::from("mine.csv")]);
        assert_eq!(inputs.survey, Some("survey.csv".into()));
        // The rest of the round is its own.
        assert_eq!(inputs.criteria, PathBuf::from("vong/criteria.toml"));
        assert_eq!(inputs.round, Some("vong/round.toml".into()));
    }

    /// The shipped departments round in a scratch folder, its criteria set beside it.
    fn departments() -> (tempfile::TempDir, Inputs) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        for entry in std::fs::read_dir(root.join("examples/so-ban-nganh-2025")).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
        let mut inputs = read_round_file(&dir.path().join("round.toml")).unwrap();
        inputs.criteria = root.join("criteria/so-ban-nganh-2025.toml");
        (dir, inputs)
    }

    #[test]
    fn rows_read_again_are_the_rows_read_whole() {
        let (_dir, inputs) = departments();
        assert!(readable_again(&inputs));
        let whole = load(&inputs).round.unwrap();
        let mut lean = load_with(&inputs, false).round.unwrap();
        assert!(lean.layers.iter().flat_map(|l| &l.cells).all(|c| c.texts.is_none()));
        // Two cells of the self-assessment, and one of an appraisal round.
        let own = &whole.layers[0].cells;
        let appraisal = whole.layers.iter().find(|l| l.kind == LayerKind::Appraisal(1)).unwrap();
        let wanted = [&own[3], &own[own.len() - 1], &appraisal.cells[0]];
        let cells = wanted.iter().map(|c| (c.agency, c.node)).collect();
        let reports = rows_of(&inputs, &mut lean, &cells);
        assert!(reports.iter().all(|r| r.diagnostics.is_empty() && r.source.is_some()));
        // Laid as a round's layers are, the system's left empty.
        let kinds =
            |r: &Round| r.layers.iter().map(|l| (l.kind, l.path.clone())).collect::<Vec<_>>();
        assert_eq!(kinds(&lean), kinds(&whole));
        let layers = &lean.layers;
        for cell in wanted {
            let again = layers
                .iter()
                .flat_map(|l| &l.cells)
                .find(|c| (c.agency, c.node, c.line) == (cell.agency, cell.node, cell.line))
                .expect("the cell is read again");
            assert_eq!((again.raw(), again.evidence()), (cell.raw(), cell.evidence()));
            assert!(!cell.raw().is_empty());
        }
        // Only the cells asked for, in every file.
        let kept: usize = layers.iter().map(|l| l.cells.len()).sum();
        assert!(kept >= 3 && kept <= 3 * layers.len(), "{kept} cells kept");
    }

    #[test]
    fn a_file_changed_before_it_is_read_again_is_refused() {
        let (dir, inputs) = departments();
        let mut round = load_with(&inputs, false).round.unwrap();
        let own = dir.path().join("self.csv");
        let mut text = std::fs::read_to_string(&own).unwrap();
        text.push('\n');
        std::fs::write(&own, text).unwrap();
        let reports = rows_of_one(&inputs, &mut round, 0);
        let said: Vec<&str> = reports.iter().flat_map(|r| &r.diagnostics).map(|d| d.code).collect();
        assert_eq!(said, ["read-failed"]);
        let d = &reports.iter().find(|r| !r.diagnostics.is_empty()).unwrap().diagnostics[0];
        assert!(
            d.message.en.ends_with("self.csv changed while it was being read"),
            "{}",
            d.message.en
        );
        let cells = [(0, 0)].into_iter().collect();
        let reports = rows_of(&inputs, &mut round, &cells);
        assert_eq!(reports.iter().map(|r| r.count(Severity::Error)).sum::<usize>(), 1);
    }
}
