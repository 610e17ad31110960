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

/// The rows: for each agency (or one blank one), every node.
fn rows_of(set: &CriteriaSet, agencies: &[Agency], lang: Lang) -> Vec<[String; 10]> {
    let blank = [Agency { id: String::new(), name: String::new(), group: String::new() }];
    let agencies = if agencies.is_empty() { &blank[..] } else { agencies };
    let nodes = nodes(set);
    let mut rows = Vec::new();
    for agency in agencies {
        for &id in &nodes {
            let node = &set.nodes[id];
            let (rule, allowed) = match &node.leaf {
                // The system gives it: nothing to ask of the agency.
                Some(leaf) if leaf.compute.is_some() => (
                    rubric::in_words(&leaf.rule, node.max, node.kind == Kind::Deduction, lang),
                    system(leaf.compute.as_ref().expect("computed"), lang),
                ),
                Some(leaf) => (
                    rubric::in_words(&leaf.rule, node.max, node.kind == Kind::Deduction, lang),
                    rubric::allowed(leaf, node.max, lang),
                ),
                None => (String::new(), String::new()),
            };
            rows.push([
                agency.id.clone(),
                node.code.clone(),
                format!("{}{}", "  ".repeat(node.depth), node.name),
                node.max.normalize().to_string(),
                rule,
                allowed,
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
    }
    rows
}

/// The template as CSV, with a byte-order mark for Excel.
pub(crate) fn csv(set: &CriteriaSet, agencies: &[Agency], lang: Lang) -> Vec<u8> {
    let mut writer = ::csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(header(lang)).expect("writing CSV to memory");
    for row in rows_of(set, agencies, lang) {
        writer
            .write_record(row.iter().map(|c| formula(c).into_owned()))
            .expect("writing CSV to memory");
    }
    writer.into_inner().unwrap_or_default()
}

/// The template as a workbook: a drop-down of the allowed answers on every yes/no and
/// choice leaf, the header and the codes frozen.
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
        let ws = book.add_worksheet();
        ws.set_name(name)?;
        let bold = Format::new().set_bold();
        for (c, h) in header(lang).iter().enumerate() {
            ws.write_string_with_format(0, u16::try_from(c).unwrap_or(0), *h, &bold)?;
        }
        for (r, row) in rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            let node = set.find(&row[1]).expect("rows name nodes of the set");
            let parent = set.nodes[node].leaf.is_none();
            for (c, cell) in row.iter().enumerate() {
                let c = u16::try_from(c).unwrap_or(0);
                let text = escape::cell(cell);
                if parent {
                    ws.write_string_with_format(r, c, text.as_ref(), &bold)?;
                } else {
                    ws.write_string(r, c, text.as_ref())?;
                }
            }
            if let Some(leaf) = &set.nodes[node].leaf {
                let mut answers: Vec<String> = match &leaf.rule {
                    Rule::YesNo => vec!["có".into(), "không".into()],
                    Rule::Choice { choices } => choices.iter().map(|c| c.value.clone()).collect(),
                    _ => Vec::new(),
                };
                if !answers.is_empty() {
                    if leaf.na.is_some() {
                        answers.push(NA_WORDS[3].into());
                    }
                    // Excel keeps a list typed into the rule to 255 characters, split at
                    // commas; a longer one, or one with a comma in an answer, is kept on
                    // a hidden sheet and named by its range.
                    let typed: usize = answers.iter().map(|a| a.chars().count() + 1).sum();
                    if typed <= 256 && !answers.iter().any(|a| a.contains([',', '"'])) {
                        let list = DataValidation::new().allow_list_strings(&answers)?;
                        ws.add_data_validation(r, 6, r, 6, &list)?;
                    } else {
                        long_lists.push((r, answers));
                    }
                }
            }
        }
        ws.set_freeze_panes(1, 3)?;
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
            ws.add_data_validation(*r, 6, *r, 6, rule)?;
        }
        Ok(())
    };
    build(&mut book)?;
    Ok(super::xlsx::finish(&mut book, &[]))
}
