//! The blank self-assessment an agency fills in: one row per node (per agency, where the
//! agencies are known), with the rubric in words and the values allowed; read back by
//! `score` as it is.

use rust_xlsxwriter::{DataValidation, Format, Workbook};

use super::escape::{self, formula};
use super::{Lang, rubric};
use crate::model::criteria::Kind;
use crate::model::criteria::{CriteriaSet, NodeId, Source};
use crate::model::round::Agency;
use crate::model::rule::Rule;
use crate::text::NA_WORDS;

/// The columns, in the language asked for; every one is read back by its name.
/// The template's header row: `verify` knows a template by it too.
pub(crate) fn header(lang: Lang) -> [&'static str; 10] {
    match lang {
        Lang::Vi => [
            "Mã đơn vị",
            "Mã tiêu chí",
            "Tên tiêu chí",
            "Điểm tối đa",
            "Cách chấm",
            "Giá trị hợp lệ",
            "Giá trị",
            "Tài liệu kiểm chứng",
            "Ghi chú",
            "Giải trình",
        ],
        Lang::En => [
            "agency",
            "code",
            "name",
            "max",
            "rule",
            "allowed",
            "value",
            "evidence",
            "note",
            "explanation",
        ],
    }
}

/// The nodes an agency fills in or reads: every node with a self-assessed leaf under it.
fn nodes(set: &CriteriaSet) -> Vec<NodeId> {
    let mut assessed = vec![false; set.nodes.len()];
    for (id, _, leaf) in set.leaves() {
        if leaf.source == Source::Assessment {
            let mut at = Some(id);
            while let Some(n) = at {
                assessed[n] = true;
                at = set.nodes[n].parent;
            }
        }
    }
    (0..set.nodes.len()).filter(|&i| assessed[i]).collect()
}

/// What the allowed-values column says of a leaf the system gives.
fn system(compute: &crate::model::compute::Compute, lang: Lang) -> String {
    use crate::model::compute::How;
    let how = match &compute.how {
        How::Value { expr, .. } => expr.to_string(),
        How::Survey(s) => {
            s.questions.iter().map(|(q, _)| q.as_str()).collect::<Vec<_>>().join(", ")
        }
    };
    match lang {
        Lang::Vi => format!("lấy từ hệ thống: bảng {}, {how}", compute.table),
        Lang::En => format!("taken from the system: table {}, {how}", compute.table),
    }
}

/// The header of the value column in the workbook, which says it is the one to fill;
/// read back as the value column (`crate::read::columns::VALUE`).
pub(crate) fn value_header(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "Giá trị (điền vào đây)",
        Lang::En => "value (fill in here)",
    }
}

/// The workbook's columns, as indexes into [`header`]: the value beside the code, where
/// the frozen panes keep it in sight, then what says how it is scored.
const XLSX_ORDER: [usize; 10] = [0, 1, 6, 2, 3, 4, 5, 7, 8, 9];

/// What a row asks of the agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ask {
    /// A field or criterion: its leaves are filled in, not it.
    Nothing,
    /// A leaf the system gives.
    System,
    /// A leaf the agency answers.
    Value,
}

/// One row of the template.
struct Line {
    agency: String,
    code: String,
    /// Indented by level.
    name: String,
    max: rust_decimal::Decimal,
    rule: String,
    allowed: String,
    ask: Ask,
    /// The drop-down's answers, for a yes/no or choice leaf.
    answers: Vec<String>,
}

/// The answers a drop-down offers for a leaf, in the template's language: the choices'
/// labels, có/không, and "không phát sinh" where the leaf may be not applicable; every
/// one read back by `score` as the answer it names. Empty where answers are not fixed.
fn answers(leaf: &crate::model::criteria::Leaf, lang: Lang) -> Vec<String> {
    let mut answers: Vec<String> = match (&leaf.rule, lang) {
        (Rule::YesNo, Lang::Vi) => vec!["Có".into(), "Không".into()],
        (Rule::YesNo, Lang::En) => vec!["yes".into(), "no".into()],
        (Rule::Choice { choices }, _) => {
            rubric::answers(choices).into_iter().map(String::from).collect()
        }
        _ => Vec::new(),
    };
    if !answers.is_empty() && leaf.na.is_some() {
        answers.push(match lang {
            Lang::Vi => "Không phát sinh".into(),
            Lang::En => NA_WORDS[3].into(),
        });
    }
    answers
}

/// The rows: for each agency (or one blank one), every node.
fn rows_of(set: &CriteriaSet, agencies: &[Agency], lang: Lang) -> Vec<Line> {
    let blank = [Agency { id: String::new(), name: String::new(), group: String::new() }];
    let agencies = if agencies.is_empty() { &blank[..] } else { agencies };
    let nodes = nodes(set);
    let mut rows = Vec::new();
    for agency in agencies {
        for &id in &nodes {
            let node = &set.nodes[id];
            let deduction = node.kind == Kind::Deduction;
            let (rule, allowed, ask, answers) = match &node.leaf {
                // The system gives it: nothing to ask of the agency.
                Some(leaf) if leaf.compute.is_some() => (
                    rubric::in_words(&leaf.rule, node.max, deduction, lang),
                    system(leaf.compute.as_ref().expect("computed"), lang),
                    Ask::System,
                    Vec::new(),
                ),
                Some(leaf) => (
                    rubric::in_words(&leaf.rule, node.max, deduction, lang),
                    rubric::allowed(leaf, node.max, lang),
                    Ask::Value,
                    answers(leaf, lang),
                ),
                None => (String::new(), String::new(), Ask::Nothing, Vec::new()),
            };
            rows.push(Line {
                agency: agency.id.clone(),
                code: node.code.clone(),
                name: format!("{}{}", "  ".repeat(node.depth), node.name),
                max: node.max,
                rule,
                allowed,
                ask,
                answers,
            });
        }
    }
    rows
}

/// The template as CSV, with a byte-order mark for Excel; the max as the language writes
/// numbers (`0,5` in Vietnamese), as text.
pub(crate) fn csv(set: &CriteriaSet, agencies: &[Agency], lang: Lang) -> Vec<u8> {
    let mut writer = ::csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(header(lang)).expect("writing CSV to memory");
    for row in rows_of(set, agencies, lang) {
        let max = rubric::num(row.max, lang);
        let cells = [
            row.agency.as_str(),
            &row.code,
            &row.name,
            &max,
            &row.rule,
            &row.allowed,
            "",
            "",
            "",
            "",
        ];
        writer
            .write_record(cells.iter().map(|c| formula(c).into_owned()))
            .expect("writing CSV to memory");
    }
    writer.into_inner().unwrap_or_default()
}

/// Excel's built-in number format `@`: text, kept as typed.
const TEXT: u8 = 49;

/// The cell formats of the workbook.
struct Formats {
    plain: Format,
    header: Format,
    /// The value column's header: the column to fill.
    fill_header: Format,
    /// A value cell the agency fills: marked, and text, so that Excel keeps `85%` and
    /// `0,5` as typed rather than turn them into a number or a date.
    fill: Format,
    /// Evidence, note and explanation: text too.
    text: Format,
    /// What the agency reads but does not change: grey.
    read: Format,
    read_bold: Format,
    max: Format,
    max_bold: Format,
}

impl Formats {
    fn new() -> Self {
        use rust_xlsxwriter::{Color, FormatBorder};
        let grey = Color::RGB(0x0059_5959);
        let fill = Color::RGB(0x00FF_F2CC);
        let read = Format::new().set_font_color(grey);
        // Numbers as numbers, in Excel's General format: shown with the decimal mark of
        // the reader's locale (0,5 in Vietnamese).
        let max = Format::new().set_font_color(grey).set_num_format_index(0);
        Self {
            plain: Format::new(),
            header: Format::new().set_bold(),
            fill_header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0x00FF_D966))
                .set_border(FormatBorder::Thin),
            fill: Format::new()
                .set_num_format_index(TEXT)
                .set_background_color(fill)
                .set_border(FormatBorder::Thin)
                .set_unlocked(),
            text: Format::new().set_num_format_index(TEXT).set_unlocked(),
            read_bold: read.clone().set_bold(),
            read,
            max_bold: max.clone().set_bold(),
            max,
        }
    }
}

/// The template as a workbook: the value column beside the code, headed as the one to
/// fill, its cells marked and kept as text; a drop-down of the answers' labels on every
/// yes/no and choice leaf; the max as a number; the rubric in words beside each row; the
/// header and the columns up to the value frozen.
pub(crate) fn xlsx(
    set: &CriteriaSet,
    agencies: &[Agency],
    lang: Lang,
) -> Result<Vec<u8>, super::xlsx::Unwritable> {
    let mut book = Workbook::new();
    let build = |book: &mut Workbook| -> Result<(), rust_xlsxwriter::XlsxError> {
        let mut long_lists: Vec<(u32, Vec<String>)> = Vec::new();
        let name = match lang {
            Lang::Vi => "Tự đánh giá",
            Lang::En => "Self-assessment",
        };
        // Every agency times every node: a country's communes can run past a sheet. Said
        // before the rows are made.
        let rows = agencies.len().max(1).saturating_mul(nodes(set).len());
        super::xlsx::fits(name, rows, header(lang).len())?;
        let rows = rows_of(set, agencies, lang);
        let formats = Formats::new();
        let ws = book.add_worksheet();
        ws.set_name(name)?;
        let names = header(lang);
        // Where each of the header's columns stands in the sheet.
        let mut at = [0u16; 10];
        for (c, &h) in XLSX_ORDER.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(0);
            at[h] = c;
            if h == 6 {
                ws.write_string_with_format(0, c, value_header(lang), &formats.fill_header)?;
            } else {
                ws.write_string_with_format(0, c, names[h], &formats.header)?;
            }
        }
        let value = at[6];
        for (r, row) in rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            let parent = row.ask == Ask::Nothing;
            let read = if parent { &formats.read_bold } else { &formats.read };
            let bold = if parent { &formats.header } else { &formats.plain };
            ws.write_string_with_format(r, at[0], escape::cell(&row.agency).as_ref(), bold)?;
            ws.write_string_with_format(r, at[1], escape::cell(&row.code).as_ref(), bold)?;
            ws.write_string_with_format(r, at[2], escape::cell(&row.name).as_ref(), read)?;
            let max = if parent { &formats.max_bold } else { &formats.max };
            ws.write_number_with_format(r, at[3], decimal_f64(row.max), max)?;
            ws.write_string_with_format(r, at[4], escape::cell(&row.rule).as_ref(), read)?;
            ws.write_string_with_format(r, at[5], escape::cell(&row.allowed).as_ref(), read)?;
            if row.ask == Ask::Value {
                ws.write_blank(r, value, &formats.fill)?;
                // Evidence, note and explanation: text, as typed.
                for &c in &at[7..] {
                    ws.write_blank(r, c, &formats.text)?;
                }
            }
            let answers = &row.answers;
            if answers.is_empty() {
                continue;
            }
            // Excel keeps a list typed into the rule to 255 characters, split at commas;
            // a longer one, or one with a comma in an answer, is kept on a hidden sheet
            // and named by its range.
            let typed: usize = answers.iter().map(|a| a.chars().count() + 1).sum();
            if typed <= 256 && !answers.iter().any(|a| a.contains([',', '"'])) {
                let list = DataValidation::new().allow_list_strings(answers)?;
                ws.add_data_validation(r, value, r, value, &list)?;
            } else {
                long_lists.push((r, answers.clone()));
            }
        }
        ws.set_freeze_panes(1, value + 1)?;
        ws.autofit();
        if long_lists.is_empty() {
            return Ok(());
        }
        let lists_name = match lang {
            Lang::Vi => "Danh sách",
            Lang::En => "Lists",
        };
        let lists = book.add_worksheet();
        lists.set_name(lists_name)?.set_hidden(true);
        let mut rules = Vec::new();
        for (c, (r, answers)) in long_lists.iter().enumerate() {
            let c =
                u16::try_from(c).map_err(|_| rust_xlsxwriter::XlsxError::RowColumnLimitError)?;
            for (i, answer) in answers.iter().enumerate() {
                let i = u32::try_from(i).unwrap_or(u32::MAX);
                lists.write_string(i, c, escape::cell(answer).as_ref())?;
            }
            let column = rust_xlsxwriter::utility::column_number_to_name(c);
            let range = format!("='{lists_name}'!${column}$1:${column}${}", answers.len());
            rules.push((*r, DataValidation::new().allow_list_formula(range.as_str().into())));
        }
        let ws = book.worksheet_from_index(0)?;
        for (r, rule) in &rules {
            ws.add_data_validation(*r, value, *r, value, rule)?;
        }
        Ok(())
    };
    build(&mut book)?;
    Ok(super::xlsx::finish(&mut book, &[]))
}

/// A max as a number for a cell: maxes are a few points, which a float holds exactly
/// enough to show.
fn decimal_f64(d: rust_decimal::Decimal) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    d.to_f64().unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::value::Value;
    use crate::source::SourceFile;

    fn example() -> CriteriaSet {
        let text = include_str!("../../docs/examples/bo-tieu-chi-mau.toml");
        crate::read::criteria::load(&SourceFile::new("bo-tieu-chi-mau.toml", text)).set.unwrap()
    }

    #[test]
    fn every_answer_offered_reads_back_as_the_answer_it_names() {
        let set = example();
        for lang in [Lang::Vi, Lang::En] {
            for (id, _, leaf) in set.leaves() {
                let mut leaf = leaf.clone();
                leaf.na = Some(crate::model::criteria::NaPolicy::Exclude);
                let offered = answers(&leaf, lang);
                for (i, answer) in offered.iter().enumerate() {
                    let read = Value::parse(answer, &leaf, set.nodes[id].max).unwrap();
                    let meant = match (&leaf.rule, i) {
                        (_, i) if i + 1 == offered.len() => Value::Na,
                        (Rule::YesNo, i) => Value::Yes(i == 0),
                        (_, i) => Value::Choice(i),
                    };
                    assert_eq!(read, meant, "{answer:?} on {}", set.nodes[id].code);
                }
            }
        }
        let node = set.find("1.1.2").unwrap();
        let leaf = set.nodes[node].leaf.as_ref().unwrap();
        assert_eq!(answers(leaf, Lang::Vi), ["Có", "Không"]);
    }

    #[test]
    fn the_csv_keeps_its_columns_and_writes_a_decimal_comma_in_vietnamese() {
        let set = example();
        let agency = Agency { id: "xa-a".into(), name: "Xã A".into(), group: "xa".into() };
        let text = String::from_utf8(csv(&set, &[agency], Lang::Vi)).unwrap();
        let mut lines = text.trim_start_matches('\u{feff}').lines();
        assert_eq!(lines.next().unwrap(), header(Lang::Vi).join(","));
        let row = lines.find(|l| l.starts_with("xa-a,1.1.1,")).unwrap();
        assert!(row.contains("Ban hành kịp thời | Ban hành không kịp thời | Không ban hành"));
        assert!(row.contains("Ban hành không kịp thời → 0,5"), "{row}");
        let en = String::from_utf8(csv(&set, &[], Lang::En)).unwrap();
        assert!(en.contains("Ban hành không kịp thời → 0.5"), "{en}");
    }

    #[test]
    fn the_workbooks_value_header_is_read_as_the_value_column() {
        for lang in [Lang::Vi, Lang::En] {
            let key = crate::text::ascii_key(value_header(lang));
            assert!(crate::read::columns::VALUE.matches(&key), "{key}");
        }
    }
}
