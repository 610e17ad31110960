//! `parindex check`: loads criteria sets and reports every problem in them, or a summary
//! of each good one.

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::criteria::{self, CriteriaSet};
use crate::diagnostic::{Diagnostic, FileReport, Severity};
use crate::exit::Exit;
use crate::source::SourceFile;

/// What to check and how to report it.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Files, and folders standing for the .toml files in them.
    pub files: Vec<PathBuf>,
    pub json: bool,
    pub deny_warnings: bool,
    pub color: bool,
}

/// One checked file: its report, and the set when it loaded.
struct Checked {
    report: FileReport,
    set: Option<CriteriaSet>,
}

pub fn run(plan: &Plan, out: &mut dyn Write) -> std::io::Result<Exit> {
    let checked: Vec<Checked> = expand(&plan.files).into_iter().map(|f| check_file(&f)).collect();
    let fails = |c: &Checked| {
        c.set.is_none() || (plan.deny_warnings && c.report.count(Severity::Warning) > 0)
    };
    let failed = checked.iter().filter(|c| fails(c)).count();
    if plan.json {
        let all: Vec<_> = checked.iter().flat_map(|c| c.report.json()).collect();
        serde_json::to_writer_pretty(&mut *out, &all)?;
        writeln!(out)?;
    } else {
        for (n, c) in checked.iter().enumerate() {
            if n > 0 {
                writeln!(out)?;
            }
            out.write_all(c.report.render(plan.color).as_bytes())?;
            out.write_all(summary(c).as_bytes())?;
        }
        if checked.len() > 1 {
            writeln!(
                out,
                "\nchecked {} criteria sets: {} good, {failed} with problems",
                checked.len(),
                checked.len() - failed
            )?;
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
                Diagnostic::error("read-failed", format!("the folder {shown} holds no .toml file")),
            ))),
            Err(e) => files.push(Err((
                shown.clone(),
                Diagnostic::error("read-failed", format!("cannot list the folder {shown}: {e}")),
            ))),
        }
    }
    files
}

fn check_file(file: &Result<PathBuf, (String, Diagnostic)>) -> Checked {
    let path = match file {
        Ok(path) => path,
        Err((shown, d)) => {
            return Checked {
                report: FileReport::new(shown.clone(), None, vec![d.clone()]),
                set: None,
            };
        }
    };
    let shown = display(path);
    match SourceFile::read(path) {
        Err(d) => Checked { report: FileReport::new(shown, None, vec![*d]), set: None },
        Ok(source) => {
            let loaded = criteria::load(&source);
            Checked {
                report: FileReport::new(shown, Some(source), loaded.diagnostics),
                set: loaded.set,
            }
        }
    }
}

/// Paths are shown with forward slashes on every system, as CI logs and docs write them.
fn display(path: &Path) -> String {
    path.display().to_string().replace('\\', "/")
}

fn summary(c: &Checked) -> String {
    let (errors, warnings) = (c.report.count(Severity::Error), c.report.count(Severity::Warning));
    let path = &c.report.path;
    let Some(set) = &c.set else {
        return format!("{path}: {}\n", counted(errors, warnings));
    };
    let s = set.stats();
    let warned = if warnings > 0 { format!(" ({})", counted(0, warnings)) } else { String::new() };
    let rules: Vec<String> = s.rules.iter().map(|(name, n)| format!("{n} {name}")).collect();
    let mut text = format!("ok: {path}{warned}\n  {} ({})\n", set.title, set.id);
    let _ = writeln!(
        text,
        "  {}, {}, {}; max {}",
        plural(s.fields, "field", "fields"),
        plural(s.criteria, "criterion", "criteria"),
        plural(s.sub_criteria, "sub-criterion", "sub-criteria"),
        s.max.normalize()
    );
    let _ = writeln!(
        text,
        "  {}: {}",
        plural(s.leaves, "scored leaf", "scored leaves"),
        rules.join(", ")
    );
    let _ = writeln!(
        text,
        "  NA allowed on {}; {} from the survey ({} points); evidence required on {}",
        s.na_leaves,
        s.survey_leaves,
        s.survey_points.normalize(),
        s.evidence_leaves
    );
    if s.bonus_nodes + s.deduction_nodes > 0 {
        let _ = writeln!(
            text,
            "  bonus up to {}, deduction up to {}",
            s.bonus_max.normalize(),
            s.deduction_max.normalize()
        );
    }
    if !set.grades.is_empty() {
        let grades: Vec<String> =
            set.grades.iter().map(|g| format!("{} ≥ {}", g.name, g.min.normalize())).collect();
        let _ = writeln!(text, "  grades: {}", grades.join(", "));
    }
    text
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "2 errors, 1 warning".
fn counted(errors: usize, warnings: usize) -> String {
    match (errors, warnings) {
        (0, w) => plural(w, "warning", "warnings"),
        (e, 0) => plural(e, "error", "errors"),
        (e, w) => format!("{}, {}", plural(e, "error", "errors"), plural(w, "warning", "warnings")),
    }
}
