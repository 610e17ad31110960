//! A plain table of figures and text, rendered in every format: for views whose shape is
//! simply rows and columns (`compare`).

use std::fmt::Write as _;

use rust_decimal::Decimal;
use rust_xlsxwriter::Workbook;

use super::escape::{formula, terminal};
use super::xlsx;
use super::{CsvForm, Lang, figure};

/// One cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    Text(String),
    Figure(Decimal),
    /// A figure with its own places, not the grid's.
    Fixed(Decimal, u32),
    /// A share 0..1: shown to people as a percent with one decimal, to machines as is.
    Percent(Decimal),
    Whole(i64),
    Empty,
}

/// Who a column is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Audience {
    Everyone,
    /// Shown in the table, Markdown, the page and the workbook only.
    People,
    /// Written in CSV and JSON only.
    Machines,
}

/// A titled table with notes above it.
#[derive(Debug, Clone)]
pub(crate) struct Grid {
    pub title: String,
    pub notes: Vec<String>,
    /// Headers for people, in the report's language; the Vietnamese CSV heads its columns
    /// with them too (see [`Grid::csv`]).
    pub header: Vec<String>,
    /// Column names for machines (CSV header, JSON keys).
    pub keys: Vec<String>,
    /// Under a header that is a code, the name it stands for (`""` elsewhere); empty
    /// where no column has one. A workbook prints them under the header.
    pub names: Vec<String>,
    /// Who each column is for; a column not listed is for everyone.
    pub audience: Vec<Audience>,
    pub rows: Vec<Vec<Value>>,
    pub decimals: u32,
    pub lang: Lang,
}

/// Makes column `at` of `header` and `keys`, a group's, the three columns a group takes:
/// its name for people (under the header it has), and for machines its id (under its
/// key, `group`, as ever) and its name (`group_name`). Returns who each column up to them
/// is for; fill them with [`group_cells`].
pub(crate) fn group_columns(
    header: &mut Vec<String>,
    keys: &mut Vec<String>,
    at: usize,
) -> Vec<Audience> {
    let key = std::mem::take(&mut keys[at]);
    for (i, name) in [key.clone(), "group_name".into()].into_iter().enumerate() {
        header.insert(at + 1 + i, name.clone());
        keys.insert(at + 1 + i, name);
    }
    let mut audience = vec![Audience::Everyone; at];
    audience.extend([Audience::People, Audience::Machines, Audience::Machines]);
    audience
}

/// The cells of the columns of [`group_columns`] for group `id`, shown by `name`.
pub(crate) fn group_cells(id: &str, name: &str) -> [Value; 3] {
    [Value::Text(name.to_string()), Value::Text(id.to_string()), Value::Text(name.to_string())]
}

impl Grid {
    /// Whether column `c` is for `who` (people, or machines).
    fn is_for(&self, c: usize, who: Audience) -> bool {
        let audience = self.audience.get(c).copied().unwrap_or(Audience::Everyone);
        audience == Audience::Everyone || audience == who
    }

    /// The items of `row` (a row, or the header) in the columns for `who`.
    fn only<'r, T>(&self, row: &'r [T], who: Audience) -> impl Iterator<Item = &'r T> {
        let keep: Vec<bool> = (0..row.len()).map(|c| self.is_for(c, who)).collect();
        row.iter().zip(keep).filter(|(_, k)| *k).map(|(v, _)| v)
    }

    /// The header people read.
    fn people_header(&self) -> Vec<String> {
        self.only(&self.header, Audience::People).cloned().collect()
    }

    fn shown(&self, v: &Value) -> String {
        match v {
            Value::Text(t) => t.clone(),
            Value::Figure(d) => figure(*d, self.decimals, self.lang),
            Value::Fixed(d, places) => figure(*d, *places, self.lang),
            Value::Percent(s) => figure(
                (*s * Decimal::ONE_HUNDRED).round_dp_with_strategy(
                    1,
                    rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                ),
                1,
                self.lang,
            ),
            Value::Whole(n) => n.to_string(),
            Value::Empty => "—".into(),
        }
    }

    /// A cell for machines: in `form`'s decimal mark, and a share as a fraction (keys)
    /// or, under a Vietnamese header that says "(%)", as the percent it is, unrounded.
    fn machine(&self, v: &Value, form: CsvForm) -> String {
        let mut text = match v {
            Value::Text(t) => return formula(t).into_owned(),
            Value::Figure(d) => figure(*d, self.decimals, Lang::En),
            Value::Fixed(d, places) => figure(*d, *places, Lang::En),
            Value::Percent(s) => match form {
                CsvForm::Keys => s.normalize().to_string(),
                CsvForm::Vi => (*s * Decimal::ONE_HUNDRED).normalize().to_string(),
            },
            Value::Whole(n) => n.to_string(),
            Value::Empty => String::new(),
        };
        super::csv::mark(&mut text, form);
        text
    }

    /// The terminal table, its long texts wrapped within `width` where one is given.
    pub(crate) fn table(&self, width: Option<usize>) -> String {
        let header = self.people_header();
        let rows: Vec<Vec<&Value>> =
            self.rows.iter().map(|r| self.only(r, Audience::People).collect()).collect();
        let numeric: Vec<bool> = (0..header.len())
            .map(|c| {
                rows.iter().any(
                    |r| matches!(r.get(c), Some(v) if !matches!(v, Value::Text(_) | Value::Empty)),
                )
            })
            .collect();
        let texts: Vec<Vec<String>> =
            rows.iter().map(|r| r.iter().map(|v| self.shown(v)).collect()).collect();
        let tables = super::fit::blocks(&header, &texts, &|c| numeric[c], width, &[0]);
        let mut out = format!("{}\n", self.title);
        for note in &self.notes {
            let _ = writeln!(out, "  {note}");
        }
        for t in tables {
            let _ = writeln!(out, "{t}");
        }
        terminal(&out).into_owned()
    }

    pub(crate) fn markdown(&self) -> String {
        let esc = super::escape::markdown;
        let mut out = format!("# {}\n\n", esc(&self.title));
        for note in &self.notes {
            let _ = writeln!(out, "- {}", esc(note));
        }
        if !self.notes.is_empty() {
            out.push('\n');
        }
        let header = self.people_header();
        let _ = writeln!(
            out,
            "| {} |\n|{}|",
            header.iter().map(|h| esc(h)).collect::<Vec<_>>().join(" | "),
            vec!["---"; header.len()].join("|")
        );
        for row in &self.rows {
            let _ = writeln!(
                out,
                "| {} |",
                self.only(row, Audience::People)
                    .map(|v| esc(&self.shown(v)))
                    .collect::<Vec<_>>()
                    .join(" | ")
            );
        }
        out
    }

    /// A self-contained page with the table, for publishing beside the report.
    pub(crate) fn html(&self) -> String {
        let esc = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        let mut out = format!(
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>{}</title>\n<style>\n\
             @page {{ size: A4 landscape; margin: 12mm; }}\n\
             body {{ font-family: \"Noto Sans\", \"DejaVu Sans\", Arial, sans-serif; font-size: 13px; margin: 24px; }}\n\
             table {{ border-collapse: collapse; }} th, td {{ border: 1px solid #b7c4d1; padding: 3px 6px; }}\n\
             th {{ background: #e6edf5; }} td.num {{ text-align: right; }}\n</style>\n</head>\n<body>\n<h1>{}</h1>\n",
            match self.lang {
                Lang::Vi => "vi",
                Lang::En => "en",
            },
            esc(&self.title),
            esc(&self.title)
        );
        for note in &self.notes {
            let _ = writeln!(out, "<p>{}</p>", esc(note));
        }
        out.push_str(&self.html_table());
        out.push_str("</body>\n</html>\n");
        out
    }

    /// The table alone, as an HTML fragment, for a page made elsewhere.
    pub(crate) fn html_table(&self) -> String {
        let esc = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        let mut out = String::from("<table>\n<thead><tr>");
        for h in self.people_header() {
            let _ = write!(out, "<th>{}</th>", esc(&h));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in &self.rows {
            out.push_str("<tr>");
            for v in self.only(row, Audience::People) {
                let class = if matches!(v, Value::Text(_)) { "" } else { " class=\"num\"" };
                let _ = write!(out, "<td{class}>{}</td>", esc(&self.shown(v)));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
        out
    }

    /// The columns for machines, in `form`: under their keys, or, in the Vietnamese form,
    /// under the headers people read (an agency's and its group's ids and names under
    /// those every CSV gives them), with `;` between cells and decimal commas.
    pub(crate) fn csv(&self, form: CsvForm) -> Vec<u8> {
        let mut writer = super::csv::writer(form, super::csv::BOM.to_vec());
        let columns = (0..self.keys.len()).filter(|&c| self.is_for(c, Audience::Machines));
        let header: Vec<&str> = match form {
            CsvForm::Keys => columns.map(|c| self.keys[c].as_str()).collect(),
            CsvForm::Vi => columns
                .map(|c| {
                    let key = self.keys[c].as_str();
                    super::csv::identity_header(key)
                        .or_else(|| self.header.get(c).map(String::as_str))
                        .unwrap_or(key)
                })
                .collect(),
        };
        writer.write_record(header).expect("writing CSV to memory");
        for row in &self.rows {
            writer
                .write_record(self.only(row, Audience::Machines).map(|v| self.machine(v, form)))
                .expect("writing CSV to memory");
        }
        writer.into_inner().unwrap_or_default()
    }

    pub(crate) fn json(&self) -> Vec<u8> {
        let rows: Vec<serde_json::Map<String, serde_json::Value>> = self
            .rows
            .iter()
            .map(|row| {
                self.only(&self.keys, Audience::Machines)
                    .zip(self.only(row, Audience::Machines))
                    .map(|(k, v)| {
                        let value = match v {
                            Value::Text(t) => serde_json::Value::String(t.clone()),
                            Value::Figure(d) | Value::Fixed(d, _) | Value::Percent(d) => {
                                serde_json::Value::String(d.normalize().to_string())
                            }
                            Value::Whole(n) => serde_json::Value::from(*n),
                            Value::Empty => serde_json::Value::Null,
                        };
                        (k.clone(), value)
                    })
                    .collect()
            })
            .collect();
        let doc = serde_json::json!({ "title": self.title, "notes": self.notes, "rows": rows });
        let mut out = serde_json::to_vec_pretty(&doc).expect("a grid serialises to JSON");
        out.push(b'\n');
        out
    }

    /// The grid in `format` (a CSV in `csv`'s form); a workbook's one sheet is named
    /// `sheet_name`; a terminal table fits in `width` where one is given.
    pub(crate) fn render(
        &self,
        format: super::Format,
        csv: CsvForm,
        sheet_name: &str,
        width: Option<usize>,
    ) -> Result<Vec<u8>, xlsx::Unwritable> {
        use super::Format;
        Ok(match format {
            Format::Table => self.table(width).into_bytes(),
            Format::Md => self.markdown().into_bytes(),
            Format::Html => self.html().into_bytes(),
            Format::Csv => self.csv(csv),
            Format::Json => self.json(),
            Format::Xlsx => self.xlsx(sheet_name, &[])?,
            Format::Docx | Format::Pdf => unreachable!("grids are written in Format::TABLES"),
        })
    }

    /// The table as a workbook of one sheet, under its title and notes, set up to print,
    /// with `properties` in its custom document properties.
    pub(crate) fn xlsx(
        &self,
        sheet_name: &str,
        properties: &[(String, String)],
    ) -> Result<Vec<u8>, xlsx::Unwritable> {
        let mut styles = xlsx::Styles::new(self.decimals);
        let mut book = Workbook::new();
        let rows: Vec<Vec<xlsx::Cell<'_>>> = self
            .rows
            .iter()
            .map(|row| {
                self.only(row, Audience::People)
                    .map(|v| match v {
                        Value::Text(t) => xlsx::Cell::Text(t),
                        Value::Figure(d) => xlsx::Cell::Figure(*d),
                        Value::Fixed(d, places) => xlsx::Cell::Fixed(*d, *places),
                        Value::Percent(d) => xlsx::Cell::Percent(*d),
                        Value::Whole(n) => xlsx::Cell::Whole(*n),
                        Value::Empty => xlsx::Cell::Empty,
                    })
                    .collect()
            })
            .collect();
        let mut page = xlsx::Sheet::new(sheet_name.into(), self.people_header(), rows);
        page.titles = vec![self.title.clone()];
        page.notes.clone_from(&self.notes);
        page.names = self.only(&self.names, Audience::People).cloned().collect();
        page.frozen_columns = 2;
        xlsx::sheet(&mut book, &page, &mut styles, self.lang)?;
        Ok(super::xlsx::finish(&mut book, properties))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(lang: Lang) -> Grid {
        let (mut header, mut keys): (Vec<String>, Vec<String>) = (
            ["Mã", "Nhóm", "Chênh lệch", "Tỷ lệ (%)", "Ghi chú"].map(String::from).into(),
            ["agency", "group", "difference", "share", "note"].map(String::from).into(),
        );
        let audience = group_columns(&mut header, &mut keys, 1);
        let mut row = vec![Value::Text("so-noi-vu".into())];
        row.extend(group_cells("so-nganh", "Sở, ban, ngành"));
        row.extend([
            Value::Figure("-1.5".parse().unwrap()),
            Value::Percent("0.125".parse().unwrap()),
            Value::Text("=1;2".into()),
        ]);
        Grid {
            title: String::new(),
            notes: Vec::new(),
            header,
            keys,
            names: Vec::new(),
            audience,
            rows: vec![row],
            decimals: 2,
            lang,
        }
    }

    #[test]
    fn the_vietnamese_csv_heads_the_machines_columns_in_words_with_decimal_commas() {
        let keys = String::from_utf8(grid(Lang::Vi).csv(CsvForm::Keys)).unwrap();
        assert_eq!(
            keys,
            "\u{feff}agency,group,group_name,difference,share,note\n\
             so-noi-vu,so-nganh,\"Sở, ban, ngành\",-1.50,0.125,'=1;2\n"
        );
        let vi = String::from_utf8(grid(Lang::Vi).csv(CsvForm::Vi)).unwrap();
        assert_eq!(
            vi,
            "\u{feff}Mã đơn vị;Nhóm;Tên nhóm;Chênh lệch;Tỷ lệ (%);Ghi chú\n\
             so-noi-vu;so-nganh;Sở, ban, ngành;-1,50;12,5;\"'=1;2\"\n"
        );
    }
}
