//! A scoring round in memory: the criteria set, who is scored, the layers of values
//! (self-assessment, appraisal rounds, survey) as read from their files, and the stack
//! they make.

use crate::model::criteria::CriteriaSet;
use crate::model::layer::Layer;
use crate::model::stack::Stack;

/// An agency that is scored (`agencies.csv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agency {
    pub id: String,
    pub name: String,
    /// Agencies are ranked inside their group.
    pub group: String,
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
    pub stack: Stack,
}
