//! What a report is asked to be: its format and its language, as the command line takes
//! them and the audit trail records them. Here, below the reports, so that the audit
//! trail (beside the reports) and the reports name the same vocabulary.

use serde::{Deserialize, Serialize};

/// The formats reports are written in, as `--format` takes them and the audit trail
/// records them. Not every view is written in every one: `explain` and `template` take
/// a few.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Table,
    Csv,
    Json,
    Md,
    Xlsx,
    Html,
    /// A Word document: the decision appendix, or an agency's result sheet.
    Docx,
    /// The Word document as PDF, made by LibreOffice.
    Pdf,
}

impl Format {
    /// The formats of a table of rows: every view writes these.
    pub const TABLES: &[Format] =
        &[Format::Table, Format::Csv, Format::Json, Format::Md, Format::Xlsx, Format::Html];

    /// The extension of a file in this format (`txt` for a text table).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Table => "txt",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Md => "md",
            Format::Xlsx => "xlsx",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Pdf => "pdf",
        }
    }
}

pub use crate::lang::Lang;
