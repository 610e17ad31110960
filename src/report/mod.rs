//! Reports of a scored round: the terminal table, CSV, JSON and Markdown. Each renders
//! the same published lines, worked out once here from the results.

mod appendix;
pub(crate) mod compare;
mod csv;
pub(crate) mod docx;
pub(crate) mod escape;
pub(crate) mod explain;
pub(crate) mod fit;
pub(crate) mod grid;
mod html;
mod json;
mod labels;
mod md;
pub(crate) mod rubric;
pub(crate) mod sensitivity;
pub(crate) mod sheet;
pub(crate) mod status;
mod table;
pub(crate) mod template;
pub(crate) mod xlsx;

use rayon::prelude::*;
use rust_decimal::Decimal;

use crate::model::criteria::{CriteriaSet, Kind, NodeId, RoundFields};
use crate::model::layer::Stage;
use crate::model::round::{Agency, Round};
use crate::score::results::Results;

pub use crate::model::output::{CsvForm, Format, Lang};

pub use crate::score::apportion::apportion;
pub use crate::score::exact::EXACT_PLACES;

/// What a report is made from.
pub struct Report<'a> {
    pub round: &'a Round,
    pub results: &'a Results,
    pub lang: Lang,
    /// How the CSV is written (the other formats pass it over).
    pub csv: CsvForm,
    /// Only this group (its id), where one was asked for.
    pub group: Option<&'a str>,
    /// What machine outputs record of how they were made (see [`crate::audit`]).
    pub audit: Option<&'a crate::audit::Audit>,
    /// Whether the terminal table and Markdown add each group's ranks in each field
    /// (`score --field-ranks`); CSV, JSON, the workbook and the page always carry them.
    pub field_ranks: bool,
    /// The terminal's width in characters, that the terminal table fits in (folding the
    /// fields under the rest where it must); none for a file or a pipe.
    pub width: Option<usize>,
}

/// One agency as published: every figure its own exact value rounded once, or fields
/// apportioned to add up where the set says `round_fields = "sum"`.
pub struct Line<'a> {
    pub agency: &'a Agency,
    pub result: usize,
    pub rank: Option<usize>,
    /// The rank in its group on each regular field, in field order (`None`: nothing in
    /// the field applies).
    pub field_ranks: &'a [Option<usize>],
    /// The regular fields' points, in field order (`None`: nothing in the field applies);
    /// under `round_fields = "sum"` they add up to `points`.
    pub fields: Vec<Option<Decimal>>,
    pub bonus: Decimal,
    pub deduction: Decimal,
    pub points: Decimal,
    pub max: Decimal,
    pub index: Option<Decimal>,
    pub index_exact: Option<Decimal>,
    pub index_self: Option<Decimal>,
    pub grade: Option<&'a str>,
}

impl Line<'_> {
    /// The line's cells under [`Report::field_rank_columns`]: "—" where there is no rank.
    pub(crate) fn field_rank_cells(&self) -> Vec<String> {
        let shown = |r: Option<usize>| r.map_or_else(|| "—".to_string(), |r| r.to_string());
        let mut cells = vec![shown(self.rank), self.agency.id.clone(), self.agency.name.clone()];
        cells.extend(self.field_ranks.iter().map(|&r| shown(r)));
        cells
    }
}

impl<'a> Report<'a> {
    /// The report's bytes; a workbook can be refused, as larger than a sheet holds.
    pub fn render(&self, format: Format) -> Result<Vec<u8>, xlsx::Unwritable> {
        Ok(match format {
            Format::Table => table::render(self).into_bytes(),
            Format::Csv => csv::render(self),
            Format::Json => json::render(self),
            Format::Md => md::render(self).into_bytes(),
            Format::Xlsx => xlsx::score(self)?,
            Format::Html => html::render(self),
            // The PDF is the appendix, turned into PDF by the command that writes it.
            Format::Docx | Format::Pdf => appendix::render(self),
        })
    }

    /// The JSON document, written to `w` agency by agency: never held whole.
    pub fn write_json(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        json::write(self, w)
    }

    /// The HTML page, written to `w` as it is made: the tables from the results, which
    /// need keep only the fields, then a card per agency, each agency scored whole from
    /// the round's rows as its card is made.
    pub fn write_html(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        let whole = crate::score::results::Whole::new(self.round, self.results.stage);
        html::write(self, &whole, w)
    }

    pub(crate) fn set(&self) -> &'a CriteriaSet {
        &self.round.set
    }

    /// The regular fields, in file order.
    pub(crate) fn fields(&self) -> Vec<NodeId> {
        self.set().roots().filter(|(_, n)| n.kind == Kind::Regular).map(|(i, _)| i).collect()
    }

    /// The footnote a published table carries, if its fields are apportioned
    /// (`round_fields = "sum"`) rather than each rounded on its own.
    /// With it, where the set rounds each leaf before adding (`round_leaves`), that it does.
    pub(crate) fn footnote(&self) -> Option<String> {
        let w = self.lang.words();
        let notes: Vec<&str> = [
            (self.set().round_fields == RoundFields::Sum).then_some(w.fields_apportioned),
            self.set().round_leaves.then_some(w.leaves_rounded),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!notes.is_empty()).then(|| notes.join(" "))
    }

    /// The name a group is shown to people by: its display name, or its id where none
    /// is given. Machine outputs keep the id beside it.
    pub fn group_label<'s>(&'s self, g: &'s str) -> &'s str {
        self.round.group_name(g)
    }

    pub(crate) fn has_kind(&self, kind: Kind) -> bool {
        self.set().roots().any(|(_, n)| n.kind == kind)
    }

    /// The groups to show, each with its lines in rank order.
    pub(crate) fn groups(&self) -> Vec<(&'a str, Vec<Line<'a>>)> {
        let fields = self.fields();
        let d = self.set().decimals;
        self.results
            .groups
            .iter()
            .filter(|(g, _)| self.group.is_none_or(|want| want == g))
            .map(|(g, members)| {
                // Each line rounds and apportions its own figures: on every core.
                let lines = members
                    .par_iter()
                    .map(|&i| {
                        let r = &self.results.agencies[i];
                        let s = &r.score;
                        let points = s.points.round(d);
                        let field_points =
                            crate::score::results::shown_fields(self.set(), &fields, r);
                        Line {
                            agency: &self.round.agencies[r.agency],
                            result: i,
                            rank: r.rank,
                            field_ranks: &r.field_ranks,
                            fields: field_points,
                            bonus: s.bonus.round(d),
                            deduction: s.deduction.round(d),
                            points,
                            max: s.max.round(d),
                            index: r.rounded,
                            index_exact: s.index.as_ref().map(|x| x.approx(EXACT_PLACES)),
                            index_self: r.self_index.as_ref().map(|x| x.round(d)),
                            grade: r.grade.map(|g| self.set().grades[g].name.as_str()),
                        }
                    })
                    .collect();
                (g.as_str(), lines)
            })
            .collect()
    }

    /// The headers of a published table: rank, id, agency, the fields' codes, bonus and
    /// deduction where the set has them, total, max, index, grade.
    pub(crate) fn columns(&self) -> Vec<String> {
        let w = self.lang.words();
        let mut header = vec![w.rank.to_string(), w.id.to_string(), w.agency.to_string()];
        header.extend(self.fields().iter().map(|&f| self.set().nodes[f].code.clone()));
        if self.has_kind(Kind::Bonus) {
            header.push(w.bonus.into());
        }
        if self.has_kind(Kind::Deduction) {
            header.push(w.deduction.into());
        }
        header.extend([w.points, w.max, w.index, w.grade].map(String::from));
        header
    }

    /// A line's cells under [`Report::columns`]: figures in the language's decimal mark,
    /// "—" where there is nothing to show.
    pub(crate) fn cells(&self, line: &Line<'_>) -> Vec<String> {
        let (d, lang) = (self.set().decimals, self.lang);
        let dash = || "—".to_string();
        let mut cells = vec![
            line.rank.map_or_else(dash, |r| r.to_string()),
            line.agency.id.clone(),
            line.agency.name.clone(),
        ];
        cells.extend(line.fields.iter().map(|f| f.map_or_else(dash, |f| figure(f, d, lang))));
        if self.has_kind(Kind::Bonus) {
            cells.push(figure(line.bonus, d, lang));
        }
        if self.has_kind(Kind::Deduction) {
            cells.push(figure(line.deduction, d, lang));
        }
        cells.push(figure(line.points, d, lang));
        cells.push(figure(line.max, d, lang));
        cells.push(line.index.map_or_else(dash, |i| figure(i, d, lang)));
        cells.push(line.grade.map_or_else(dash, String::from));
        cells
    }

    /// The title a printed report carries: [`Report::title`], with the round's year
    /// where the title does not say it.
    pub(crate) fn print_title(&self) -> String {
        let base = self.base_title();
        self.staged(match self.round.year {
            Some(year) if !base.contains(&year.to_string()) => {
                format!("{base} ({}{year})", self.lang.words().year)
            }
            _ => base,
        })
    }

    /// The headers of the table of ranks in each field: rank, id, agency, then each
    /// field's code.
    pub(crate) fn field_rank_columns(&self) -> Vec<String> {
        let w = self.lang.words();
        let mut header = vec![w.rank.to_string(), w.id.to_string(), w.agency.to_string()];
        header.extend(self.fields().iter().map(|&f| self.set().nodes[f].code.clone()));
        header
    }

    pub(crate) fn title(&self) -> String {
        self.staged(self.base_title())
    }

    fn base_title(&self) -> String {
        self.round.title.clone().unwrap_or_else(|| self.set().title.clone())
    }

    /// `title`, saying so where only the self-assessment was scored.
    fn staged(&self, title: String) -> String {
        match self.results.stage {
            Stage::Final => title,
            Stage::SelfOnly => format!("{title} — {}", self.lang.words().self_stage),
        }
    }
}

/// A figure with exactly `places` decimals, in the language's decimal mark.
pub fn figure(value: Decimal, places: u32, lang: Lang) -> String {
    let mut v = value;
    v.rescale(places);
    let text = v.to_string();
    match lang {
        Lang::Vi => text.replace('.', ","),
        Lang::En => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_use_the_languages_decimal_mark() {
        assert_eq!(figure("85.2".parse().unwrap(), 2, Lang::Vi), "85,20");
        assert_eq!(figure("85.2".parse().unwrap(), 2, Lang::En), "85.20");
        assert_eq!(figure("7".parse().unwrap(), 0, Lang::En), "7");
    }
}
