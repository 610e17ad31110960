//! The values of one input file (a layer: the self-assessment, an appraisal round, the
//! survey), cell by cell, and the stages that layers make.

use serde::{Deserialize, Serialize};

use crate::model::criteria::NodeId;
use crate::model::value::Value;

/// Which stage a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LayerKind {
    /// The agencies' own scoring (tự đánh giá).
    SelfAssessment,
    /// An appraisal round (thẩm định), numbered from 1 in the order given.
    Appraisal(usize),
    /// Survey results (điều tra xã hội học).
    Survey,
    /// Values computed from the round's raw tables (spec §6): the system's figures, laid
    /// after the self-assessment and before the appraisal rounds.
    Computed,
}

/// One row's worth for one agency and leaf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// Index into the round's agencies (`Round::agencies`).
    pub agency: usize,
    pub node: NodeId,
    /// `None` for a row that adds evidence or an explanation without a value.
    pub value: Option<Value>,
    /// Whether the row cites evidence.
    pub cited: bool,
    pub line: usize,
    /// The row's texts, kept for the reports that show them; boxed, since a large round
    /// scored for its tables keeps none.
    pub texts: Option<Box<CellTexts>>,
}

/// What a row says in words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CellTexts {
    /// The value as typed.
    pub raw: String,
    pub evidence: Option<String>,
    pub note: Option<String>,
    /// The agency's explanation to the council (giải trình).
    pub explanation: Option<String>,
    /// How a computed value came about.
    pub derivation: Option<Derivation>,
}

/// How a value was computed from a raw table, for explain and the reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derivation {
    /// The table's name in the round file, and its file as the user named it.
    pub table: String,
    pub file: String,
    /// The sheet, where the table is a workbook's.
    pub sheet: Option<String>,
    pub how: Derived,
}

/// The arithmetic behind a computed value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Derived {
    /// An expression over one row: the expression with the row's values in it
    /// ("(512 + 3) / 530"), and the row's line (or a workbook's row).
    Row { shown: String, line: usize },
    /// Survey responses: the sum of the answers' weights over the answers given, how many
    /// were left blank, how many respondents, the answers the set asks for at least
    /// (`min_answers`), and the labels that count in full.
    Survey {
        weight: rust_decimal::Decimal,
        answers: u64,
        blank: u64,
        needed: u64,
        respondents: u64,
        full: Vec<String>,
    },
}

impl Cell {
    /// How the value was computed, where it was.
    pub fn derivation(&self) -> Option<&Derivation> {
        self.texts.as_ref().and_then(|t| t.derivation.as_ref())
    }

    /// The value as typed ("" where texts were not kept).
    pub fn raw(&self) -> &str {
        self.texts.as_ref().map_or("", |t| t.raw.as_str())
    }

    pub fn evidence(&self) -> Option<&str> {
        self.texts.as_ref().and_then(|t| t.evidence.as_deref())
    }

    pub fn note(&self) -> Option<&str> {
        self.texts.as_ref().and_then(|t| t.note.as_deref())
    }

    pub fn explanation(&self) -> Option<&str> {
        self.texts.as_ref().and_then(|t| t.explanation.as_deref())
    }
}

/// The cells of one file.
#[derive(Debug, Clone)]
pub struct Layer {
    pub kind: LayerKind,
    /// The file, as the user named it.
    pub path: String,
    pub cells: Vec<Cell>,
}

/// Which stages make the result: `self`, the self-assessment alone (and the survey), the
/// agencies' dry run; or `final`, the self-assessment and then every appraisal round in
/// order. `--stage` takes these names and the audit trail records them.
// The variants carry no doc comments: clap would list them in `--help` as the values' help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    #[serde(rename = "self")]
    #[value(name = "self")]
    SelfOnly,
    Final,
}
