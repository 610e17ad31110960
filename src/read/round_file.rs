//! `round.toml`: the inputs of one scoring round, with paths relative to the file.
//! Paths are resolved against the round file's folder.

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

use crate::diagnostic::Diagnostic;
use crate::lang::Text;
use crate::model::decision::{Date, Decision};
use crate::read::fields::{Fields, wrong_type};
use crate::source::SourceFile;
use crate::tr;

pub(crate) const KEYS: &[&str] = &[
    "title",
    "year",
    "criteria",
    "agencies",
    "self",
    "appraisal",
    "survey",
    "note",
    "tables",
    "decision",
    "groups",
];

/// Keys of `[decision]`, the decision the results are published with.
pub(crate) const DECISION_KEYS: &[&str] = &["issuer", "number", "date", "appendix", "title"];

/// Keys of a `[tables.NAME]` table.
pub(crate) const TABLE_KEYS: &[&str] = &["file", "columns", "note"];

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
    /// Required, except in a round whose tables give every value.
    pub self_assessment: Option<PathBuf>,
    pub appraisals: Vec<PathBuf>,
    pub survey: Option<PathBuf>,
    /// Raw tables that computed leaves take their values from (spec §6), in the order
    /// the round file names them.
    pub tables: Vec<TableInput>,
    /// `[decision]`: what the appendix's heading block cites.
    pub decision: Decision,
    /// The names groups are shown by (`[groups]`), in the order written.
    pub groups: Vec<GroupInput>,
}

/// A group's display name from a round file's `[groups]`: `so-nganh = "Sở, ban, ngành"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupInput {
    /// The group's id, as the agencies file writes it.
    pub id: String,
    pub name: String,
    pub line: usize,
    /// Where the id and the name are written in the round file.
    pub key: Range<usize>,
    pub value: Range<usize>,
}

/// A raw table named in a round file: `[tables.mot-cua]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableInput {
    /// The name criteria sets use (`compute = { table = "mot-cua", … }`).
    pub name: String,
    pub path: PathBuf,
    /// Names the set uses → the headers of the export they stand for, as written.
    pub columns: Vec<(String, String)>,
}

impl Inputs {
    /// Every input file, the round file first, for refusing to write over one.
    pub fn files(&self) -> Vec<&Path> {
        let mut files: Vec<&Path> = self.round.iter().map(PathBuf::as_path).collect();
        files.extend([self.criteria.as_path(), &self.agencies]);
        files.extend(self.self_assessment.as_deref());
        files.extend(self.appraisals.iter().map(PathBuf::as_path));
        files.extend(self.survey.as_deref());
        files.extend(self.tables.iter().map(|t| t.path.as_path()));
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
                Diagnostic::error(
                    "toml-syntax",
                    tr!(
                        "this is not valid TOML: {message}",
                        "đây không phải là TOML hợp lệ: {message}"
                    ),
                )
                .at(e.span().unwrap_or(0..0), Text::same(message)),
            );
        }
        return None;
    }
    let f = Fields {
        table: root.get_ref(),
        header: source.line_span(0),
        what: tr!("the round file", "tệp vòng đánh giá"),
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
        tr!(
            "add the criteria set, e.g. criteria = \"../../criteria/so-ban-nganh-2025.toml\"",
            "hãy thêm bộ tiêu chí, ví dụ criteria = \"../../criteria/so-ban-nganh-2025.toml\""
        ),
        out,
    );
    let agencies = f.require(
        "agencies",
        path("agencies", out),
        tr!(
            "add the agencies file, e.g. agencies = \"agencies.csv\"",
            "hãy thêm tệp danh sách đơn vị, ví dụ agencies = \"agencies.csv\""
        ),
        out,
    );
    let tables = read_tables(&f, &dir, out);
    let decision = read_decision(&f, out);
    let groups = read_groups(&f, source, out);
    // A round whose every value comes from its tables (the Bộ chỉ số 766) has no
    // self-assessment.
    let self_assessment = path("self", out);
    if self_assessment.is_none() && tables.is_empty() && !f.mentions("self") {
        out.push(f.missing(
            "self",
            tr!(
                "add the self-assessment file, e.g. self = \"self.csv\"",
                "hãy thêm tệp tự đánh giá, ví dụ self = \"self.csv\""
            ),
        ));
    }
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
                        tr!("an item of `appraisal`", "một mục của `appraisal`"),
                        item,
                        tr!("a file name in quotes", "một tên tệp trong dấu ngoặc kép"),
                        "appraisal",
                    ));
                    None
                }
            })
            .collect(),
        Some((v, _)) => {
            out.push(f.wrong_type(
                "appraisal",
                v,
                tr!(
                    "a file name, or a list of them in order",
                    "một tên tệp, hoặc một danh sách tên tệp theo thứ tự"
                ),
            ));
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
        self_assessment,
        appraisals,
        survey,
        tables,
        decision,
        groups,
    })
}

/// The `[groups]` of a round file: each group id and the name it is shown by.
fn read_groups(
    f: &Fields<'_, '_>,
    source: &SourceFile,
    out: &mut Vec<Diagnostic>,
) -> Vec<GroupInput> {
    let Some(value) = f.get("groups") else { return Vec::new() };
    let DeValue::Table(groups) = value.get_ref() else {
        out.push(f.wrong_type(
            "groups",
            value,
            tr!(
                "a table headed [groups], each line a group id and its name: so-nganh = \"Sở, ban, ngành\"",
                "một bảng có tiêu đề [groups], mỗi dòng là một mã nhóm và tên của nhóm: so-nganh = \"Sở, ban, ngành\""
            ),
        ));
        return Vec::new();
    };
    let names =
        Fields { table: groups, header: f.key_span("groups"), what: Text::same("[groups]") };
    let mut entries: Vec<_> = groups.iter().collect();
    entries.sort_by_key(|(id, _)| id.span().start);
    entries
        .into_iter()
        .filter_map(|(id, _)| {
            let name = names.text(id.get_ref(), out)?;
            Some(GroupInput {
                id: crate::text::nfc(id.get_ref().trim()),
                name: crate::text::single_spaced(&name.value),
                line: source.line_col(id.span().start).0,
                key: id.span(),
                value: name.span,
            })
        })
        .collect()
}

/// Whether a table name is one a round file and a criteria set can both write:
/// ASCII letters, digits, `-` and `_`.
pub(crate) fn plain_table_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_".contains(c))
}

/// The `[tables.NAME]` of a round file.
fn read_tables(f: &Fields<'_, '_>, dir: &Path, out: &mut Vec<Diagnostic>) -> Vec<TableInput> {
    let Some(value) = f.get("tables") else { return Vec::new() };
    let DeValue::Table(tables) = value.get_ref() else {
        out.push(f.wrong_type(
            "tables",
            value,
            tr!(
                "tables headed [tables.NAME], each with file = \"…\"",
                "các bảng có tiêu đề [tables.NAME], mỗi bảng có file = \"…\""
            ),
        ));
        return Vec::new();
    };
    let mut found = Vec::new();
    // In the order written: the audit trail numbers the tables so (TOML tables come sorted).
    let mut entries: Vec<_> = tables.iter().collect();
    entries.sort_by_key(|(name, _)| name.span().start);
    for (name, table) in entries {
        let name_text = name.get_ref().to_string();
        let plain = plain_table_name(&name_text);
        if !plain {
            let q = crate::text::quote(&name_text);
            out.push(
                Diagnostic::error(
                    "bad-id",
                    tr!(
                        "the table name {q} may hold only letters a-z, digits, '-' and '_'",
                        "tên bảng {q} chỉ được chứa chữ cái a-z, chữ số, '-' và '_'"
                    ),
                )
                .at(name.span(), tr!("not a plain name", "không phải một tên đơn giản"))
                .help(tr!(
                    "criteria sets name the table in compute = {{ table = \"mot-cua\", … }}: e.g. [tables.mot-cua]",
                    "bộ tiêu chí gọi tên bảng trong compute = {{ table = \"mot-cua\", … }}: ví dụ [tables.mot-cua]"
                )),
            );
            continue;
        }
        let DeValue::Table(t) = table.get_ref() else {
            out.push(wrong_type(
                Text::same(format!("`tables.{name_text}`")),
                table,
                tr!("a table with file = \"…\"", "một bảng có file = \"…\""),
                "tables",
            ));
            continue;
        };
        let tf = Fields {
            table: t,
            header: name.span(),
            what: tr!("table \"{name_text}\"", "bảng \"{name_text}\""),
        };
        tf.unknown_keys(TABLE_KEYS, |_| None, out);
        tf.text("note", out);
        let file = tf.require(
            "file",
            tf.text("file", out),
            tr!(
                "add the file the table is in, e.g. file = \"mot-cua-2025.xlsx\"",
                "hãy thêm tệp chứa bảng, ví dụ file = \"mot-cua-2025.xlsx\""
            ),
            out,
        );
        let mut columns: Vec<(String, String)> = Vec::new();
        match tf.get("columns").map(|v| (v, v.get_ref())) {
            None => {}
            Some((_, DeValue::Table(map))) => {
                let mut entries: Vec<_> = map.iter().collect();
                entries.sort_by_key(|(key, _)| key.span().start);
                for (key, header) in entries {
                    let name = key.get_ref().trim();
                    // Names are found by their ASCII key: `Done` and `done` are one.
                    let clash = columns
                        .iter()
                        .find(|(n, _)| crate::text::ascii_key(n) == crate::text::ascii_key(name));
                    if crate::text::ascii_key(name).is_empty() || clash.is_some() {
                        out.push(
                            Diagnostic::error(
                                "bad-id",
                                if let Some((other, _)) = clash {
                                    tr!(
                                        "`columns` of table \"{name_text}\" maps `{name}` and `{other}`, which are one name",
                                        "`columns` của bảng \"{name_text}\" ánh xạ cả `{name}` và `{other}`, vốn là cùng một tên"
                                    )
                                } else {
                                    let q = crate::text::quote(name);
                                    tr!(
                                        "`columns` of table \"{name_text}\" maps a name with no letter or digit, {q}",
                                        "`columns` của bảng \"{name_text}\" ánh xạ một tên không có chữ cái hay chữ số, {q}"
                                    )
                                },
                            )
                            .at(key.span(), tr!("this name", "tên này"))
                            .help(tr!(
                                "map each name a criteria set uses once, e.g. tiep_nhan = \"Tổng số hồ sơ tiếp nhận\"",
                                "hãy ánh xạ mỗi tên mà bộ tiêu chí dùng một lần, ví dụ tiep_nhan = \"Tổng số hồ sơ tiếp nhận\""
                            )),
                        );
                        continue;
                    }
                    match header.get_ref() {
                        DeValue::String(h) if !h.trim().is_empty() => {
                            columns.push((name.to_string(), crate::text::nfc(h.trim())));
                        }
                        DeValue::String(_) => out.push(
                            Diagnostic::error(
                                "empty-text",
                                tr!(
                                    "`columns.{name}` of table \"{name_text}\" names no header",
                                    "`columns.{name}` của bảng \"{name_text}\" không ghi tiêu đề cột nào"
                                ),
                            )
                            .at(header.span(), tr!("empty", "để trống"))
                            .help(tr!(
                                "write the export's header in quotes, as it stands in the file",
                                "hãy ghi tiêu đề cột của tệp xuất trong dấu ngoặc kép, đúng như trong tệp"
                            )),
                        ),
                        _ => {
                            let key = key.get_ref();
                            out.push(wrong_type(
                                tr!(
                                    "`columns.{key}` of table \"{name_text}\"",
                                    "`columns.{key}` của bảng \"{name_text}\""
                                ),
                                header,
                                tr!(
                                    "the export's header in quotes",
                                    "tiêu đề cột của tệp xuất trong dấu ngoặc kép"
                                ),
                                "columns",
                            ));
                        }
                    }
                }
            }
            Some((v, _)) => out.push(tf.wrong_type(
                "columns",
                v,
                tr!(
                    "a table such as {{ tiep_nhan = \"Tổng số hồ sơ tiếp nhận\" }}",
                    "một bảng như {{ tiep_nhan = \"Tổng số hồ sơ tiếp nhận\" }}"
                ),
            )),
        }
        if let Some(file) = file {
            found.push(TableInput { name: name_text, path: dir.join(file.value), columns });
        }
    }
    found
}

/// `[decision]`: the issuing body, number, date, appendix number and title, each optional.
fn read_decision(f: &Fields<'_, '_>, out: &mut Vec<Diagnostic>) -> Decision {
    let Some(value) = f.get("decision") else { return Decision::default() };
    let DeValue::Table(t) = value.get_ref() else {
        out.push(f.wrong_type(
            "decision",
            value,
            tr!(
                "a table headed [decision], e.g. number = \"2345/QĐ-UBND\" and date = 2026-03-15",
                "một bảng có tiêu đề [decision], ví dụ number = \"2345/QĐ-UBND\" và date = 2026-03-15"
            ),
        ));
        return Decision::default();
    };
    let df = Fields { table: t, header: f.key_span("decision"), what: Text::same("`[decision]`") };
    df.unknown_keys(DECISION_KEYS, |_| None, out);
    let date = df.get("date").and_then(|v| {
        let not_a_date = || tr!("not a date", "không phải ngày tháng");
        let (date, what) = match v.get_ref() {
            DeValue::Datetime(d) if d.time.is_none() && d.offset.is_none() => {
                (d.date.and_then(|d| Date::new(d.year, d.month, d.day)), not_a_date())
            }
            // A date and time of day (or a time alone): a decision is dated by its day.
            DeValue::Datetime(_) => (
                None,
                tr!(
                    "a time of day, where the day alone is written",
                    "có giờ trong ngày, trong khi chỉ ghi ngày"
                ),
            ),
            DeValue::String(s) => (date_text(s), not_a_date()),
            _ => (None, not_a_date()),
        };
        if date.is_none() {
            out.push(
                Diagnostic::error(
                    "bad-date",
                    tr!(
                        "`date` of `[decision]` is not a date of the calendar",
                        "`date` của `[decision]` không phải là một ngày có trên lịch"
                    ),
                )
                .at(v.span(), what)
                .help(tr!(
                    "write the date the decision is signed, e.g. date = 2026-03-15 or date = \"15/3/2026\"",
                    "hãy ghi ngày ký quyết định, ví dụ date = 2026-03-15 hoặc date = \"15/3/2026\""
                )),
            );
        }
        date
    });
    Decision {
        issuer: df.text("issuer", out).map(|t| t.value),
        number: df.text("number", out).map(|t| t.value),
        date,
        appendix: df.text("appendix", out).map(|t| t.value),
        title: df.text("title", out).map(|t| t.value),
    }
}

/// A date written as Vietnamese documents write it, `15/3/2026` or `15/03/2026` (also
/// with `-` or `.`), or as `2026-03-15`.
fn date_text(text: &str) -> Option<Date> {
    let parts: Vec<&str> = text.trim().split(['/', '-', '.']).collect();
    let [a, b, c] = parts[..] else { return None };
    // Digits only: `u16::from_str` would take "+5" as 5.
    let number = |s: &str| {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u16>().ok())
            .flatten()
    };
    let (year, month, day) = if a.len() == 4 {
        (number(a)?, number(b)?, number(c)?)
    } else {
        (number(c)?, number(b)?, number(a)?)
    };
    if year < 1000 {
        return None;
    }
    Date::new(year, u8::try_from(month).ok()?, u8::try_from(day).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decision_dates_are_read_as_documents_write_them() {
        let d = |y, m, day| Date::new(y, m, day);
        assert_eq!(date_text("29/2/2024"), d(2024, 2, 29));
        assert_eq!(date_text("05.03.2026"), d(2026, 3, 5));
        assert_eq!(date_text("2026-03-05"), d(2026, 3, 5));
        assert_eq!(date_text(" 5-3-2026 "), d(2026, 3, 5));
        // Not dates: a day not in the calendar, a month 13, a two-digit year, and signs,
        // which the number parser took ("+5/+3/2026" was the 5th of March).
        for wrong in ["29/2/2025", "2024-13-01", "5/3/26", "+5/+3/2026", "5/-3/2026", "", "5/3"] {
            assert_eq!(date_text(wrong), None, "{wrong}");
        }
    }
}
