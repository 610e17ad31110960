//! `round.toml`: the inputs of one scoring round, with paths relative to the file.
//! Paths are resolved against the round file's folder.

use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

use crate::diagnostic::Diagnostic;
use crate::read::fields::{Fields, wrong_type};
use crate::source::SourceFile;

pub(crate) const KEYS: &[&str] =
    &["title", "year", "criteria", "agencies", "self", "appraisal", "survey", "note"];

/// Whether a TOML text is a round file rather than a criteria set: it names `criteria`.
pub fn is_round_file(text: &str) -> bool {
    DeTable::parse(text)
        .is_ok_and(|t| t.get_ref().contains_key("criteria") && !t.get_ref().contains_key("node"))
}

/// The files of a round, however they were named (a round file or options).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inputs {
    /// The round file that named them, if one did.
    pub round: Option<PathBuf>,
    pub title: Option<String>,
    pub year: Option<i64>,
    pub criteria: PathBuf,
    pub agencies: PathBuf,
    pub self_assessment: PathBuf,
    pub appraisals: Vec<PathBuf>,
    pub survey: Option<PathBuf>,
}

impl Inputs {
    /// Every input file, the round file first, for refusing to write over one.
    pub fn files(&self) -> Vec<&Path> {
        let mut files: Vec<&Path> = self.round.iter().map(PathBuf::as_path).collect();
        files.extend([self.criteria.as_path(), &self.agencies, &self.self_assessment]);
        files.extend(self.appraisals.iter().map(PathBuf::as_path));
        files.extend(self.survey.as_deref());
        files
    }
}

/// Reads a round file; every problem in it is reported.
pub fn read(source: &SourceFile, out: &mut Vec<Diagnostic>) -> Option<Inputs> {
    let before = out.len();
    let (root, errors) = DeTable::parse_recoverable(&source.text);
    if !errors.is_empty() {
        for e in errors {
            let message = e.message().trim().to_string();
            out.push(
                Diagnostic::error("toml-syntax", format!("this is not valid TOML: {message}"))
                    .at(e.span().unwrap_or(0..0), message),
            );
        }
        return None;
    }
    let f = Fields {
        table: root.get_ref(),
        header: source.line_span(0),
        what: "the round file".into(),
    };
    f.unknown_keys(KEYS, |_| None, out);
    let dir = Path::new(&source.path).parent().unwrap_or(Path::new("")).to_path_buf();
    let path = |key: &str, out: &mut Vec<Diagnostic>| f.text(key, out).map(|p| dir.join(p.value));
    let title = f.text("title", out).map(|t| t.value);
    let year = f.integer("year", out).map(|y| y.value);
    f.text("note", out);
    let criteria = f.require(
        "criteria",
        path("criteria", out),
        "add the criteria set, e.g. criteria = \"../../criteria/so-ban-nganh-2025.toml\"",
        out,
    );
    let agencies = f.require(
        "agencies",
        path("agencies", out),
        "add the agencies file, e.g. agencies = \"agencies.csv\"",
        out,
    );
    let self_assessment = f.require(
        "self",
        path("self", out),
        "add the self-assessment file, e.g. self = \"self.csv\"",
        out,
    );
    let survey = path("survey", out);
    let appraisals = match f.get("appraisal").map(|v| (v, v.get_ref())) {
        None => Vec::new(),
        Some((_, DeValue::String(s))) => vec![dir.join(s.as_ref())],
        Some((_, DeValue::Array(items))) => items
            .iter()
            .filter_map(|item| {
                if let DeValue::String(s) = item.get_ref() {
                    Some(dir.join(s.as_ref()))
                } else {
                    out.push(wrong_type(
                        "an item of `appraisal`",
                        item,
                        "a file name in quotes",
                        "appraisal",
                    ));
                    None
                }
            })
            .collect(),
        Some((v, _)) => {
            out.push(f.wrong_type("appraisal", v, "a file name, or a list of them in order"));
            Vec::new()
        }
    };
    if out.len() > before {
        return None;
    }
    Some(Inputs {
        round: None,
        title,
        year,
        criteria: criteria?,
        agencies: agencies?,
        self_assessment: self_assessment?,
        appraisals,
        survey,
    })
}
