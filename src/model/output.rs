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

/// How a CSV file is written. Scripts read the keys form, the default: the English keys
/// the spec names (`agency`, `index`, `rank_1` …), `,` between cells, decimal points.
/// Excel under Vietnamese regional settings takes `,` for the decimal mark and `;` for
/// the list separator, so it opens the keys form with every figure as text: the
/// Vietnamese form is for it — Vietnamese headers, `;` between cells, decimal commas.
/// Only an explicit `--lang vi` asks for it (see [`CsvForm::of`]); the audit trail records
/// it only when it was used, so that trails written before it existed read as they were.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CsvForm {
    #[default]
    Keys,
    Vi,
}

impl CsvForm {
    /// The form of a result in `format`, `--lang` being `lang` as typed: Vietnamese only
    /// for a CSV with `--lang vi` given. Reports are Vietnamese without `--lang`, but a
    /// script reading a CSV by its keys must not find them changed, so the default stays
    /// the keys form; and no other format has a CSV form to record.
    pub fn of(lang: Option<Lang>, format: Format) -> Self {
        match (lang, format) {
            (Some(Lang::Vi), Format::Csv) => CsvForm::Vi,
            _ => CsvForm::Keys,
        }
    }

    /// Whether this is the keys form (the audit trail leaves it out).
    #[allow(clippy::trivially_copy_pass_by_ref)] // serde's `skip_serializing_if` passes a reference
    pub fn is_keys(&self) -> bool {
        *self == CsvForm::Keys
    }

    /// The byte between cells.
    pub fn delimiter(self) -> u8 {
        match self {
            CsvForm::Keys => b',',
            CsvForm::Vi => b';',
        }
    }

    /// The decimal mark of numbers.
    pub fn decimal_mark(self) -> char {
        match self {
            CsvForm::Keys => '.',
            CsvForm::Vi => ',',
        }
    }
}

pub use crate::lang::Lang;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_explicit_lang_vi_on_a_csv_asks_for_the_vietnamese_form() {
        assert_eq!(CsvForm::of(Some(Lang::Vi), Format::Csv), CsvForm::Vi);
        assert_eq!(CsvForm::of(None, Format::Csv), CsvForm::Keys);
        assert_eq!(CsvForm::of(Some(Lang::En), Format::Csv), CsvForm::Keys);
        assert_eq!(CsvForm::of(Some(Lang::Vi), Format::Json), CsvForm::Keys);
        assert_eq!((CsvForm::Vi.delimiter(), CsvForm::Vi.decimal_mark()), (b';', ','));
        assert_eq!((CsvForm::Keys.delimiter(), CsvForm::Keys.decimal_mark()), (b',', '.'));
    }
}
