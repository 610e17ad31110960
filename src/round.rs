//! A scoring round in memory: the criteria set, who is scored, and the layers of values
//! (self-assessment, appraisal rounds, survey) as read from their files.

use crate::criteria::{CriteriaSet, NodeId};
use crate::value::Value;

/// An agency that is scored (`agencies.csv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agency {
    pub id: String,
    pub name: String,
    /// Agencies are ranked inside their group.
    pub group: String,
}

/// Which stage a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayerKind {
    /// The agencies' own scoring (tự đánh giá).
    SelfAssessment,
    /// An appraisal round (thẩm định), numbered from 1 in the order given.
    Appraisal(usize),
    /// Survey results (điều tra xã hội học).
    Survey,
}

/// One row's worth for one agency and leaf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// Index into [`Round::agencies`].
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
}

impl Cell {
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

/// One input file of a round, as reports cite it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// What the file is: `criteria`, `agencies`, `self`, `appraisal-1`, `survey` …
    pub role: String,
    pub path: String,
    pub sha256: String,
}

/// Everything a round is scored from.
#[derive(Debug, Clone)]
pub struct Round {
    pub title: Option<String>,
    pub year: Option<i64>,
    pub set: CriteriaSet,
    pub agencies: Vec<Agency>,
    /// The self-assessment first, then the appraisal rounds in order, then the survey.
    pub layers: Vec<Layer>,
    /// Every file read, in the order above, with its digest.
    pub inputs: Vec<InputFile>,
    /// The layers laid over each other: what scoring reads. Where the files were read
    /// straight into it, the layers hold no cells.
    pub stack: crate::stack::Stack,
}
