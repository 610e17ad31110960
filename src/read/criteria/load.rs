//! Reading a criteria file: the set's own keys, its grades and its nodes, each checked
//! where it stands; the tree and the rules are checked in `tree` and `rules`.

use std::ops::Range;

use rust_decimal::Decimal;
use toml::de::{DeTable, DeValue};

use super::raw::{Head, RawNode, named};
use super::tree;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lang::Text;
use crate::model::criteria::{CriteriaSet, Kind, NaPolicy, RankBy, RoundFields, SCHEMA};
use crate::model::grade::Grade;
use crate::model::rule::RuleKind;
use crate::read::fields::{At, Fields, wrong_type};
use crate::source::SourceFile;
use crate::text::{Quoted, fold, is_invisible};
use crate::tr;

/// Keys of the set itself.
const SET_KEYS: &[&str] = &[
    "schema",
    "id",
    "title",
    "year",
    "decision",
    "note",
    "max",
    "decimals",
    "na_policy",
    "evidence_required",
    "survey_optional",
    "rank_by",
    "round_fields",
    "round_leaves",
    "grade",
    "node",
];

/// Keys every node may carry; rule parameters come on top (see [`RuleKind::parameters`]).
pub(super) const NODE_KEYS: &[&str] = &[
    "code", "name", "max", "parent", "rule", "na", "source", "evidence", "weight", "kind", "note",
    "cap", "compute",
];

const GRADE_KEYS: &[&str] = &["name", "min"];

/// The most decimal places a set may ask figures to be shown with.
const MAX_DECIMALS: i64 = 6;

pub(super) fn load(source: &SourceFile) -> (Option<CriteriaSet>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let (root, errors) = DeTable::parse_recoverable(&source.text);
    if !errors.is_empty() {
        // What follows a syntax error is guesswork; report the syntax alone. An invisible
        // character the parser stumbled on is named, and what it stumbled on next on the
        // same line is the same slip.
        let invisible = |e: &toml::de::Error| {
            let at = e.span().unwrap_or(0..0).start;
            source.text.get(at..).and_then(|t| t.chars().next()).filter(|&c| is_invisible(c))
        };
        let invisible_lines: Vec<usize> = errors
            .iter()
            .filter(|e| invisible(e).is_some())
            .map(|e| source.line_col(e.span().unwrap_or(0..0).start).0)
            .collect();
        for e in &errors {
            let span = e.span().unwrap_or(0..0);
            let line = source.line_col(span.start).0;
            let message = e.message().trim().to_string();
            if let Some(c) = invisible(e) {
                let code = c.escape_unicode();
                let message = if c == '\u{feff}' {
                    tr!(
                        "line {line} holds an invisible character, {code} (a byte-order mark), where TOML does not allow one",
                        "dòng {line} có một ký tự ẩn, {code} (dấu thứ tự byte, BOM), ở chỗ TOML không cho phép"
                    )
                } else {
                    tr!(
                        "line {line} holds an invisible character, {code}, where TOML does not allow one",
                        "dòng {line} có một ký tự ẩn, {code}, ở chỗ TOML không cho phép"
                    )
                };
                out.push(
                    Diagnostic::error("toml-syntax", message)
                    .at(
                        span.start..span.start + c.len_utf8(),
                        tr!("an invisible character here", "có ký tự ẩn ở đây"),
                    )
                    .help(tr!(
                        "delete it (put the cursor just before the next character and press Backspace); it is often left where two files were joined or text was pasted",
                        "hãy xóa ký tự này (đặt con trỏ ngay trước ký tự kế tiếp rồi nhấn Backspace); ký tự này thường sót lại ở chỗ ghép hai tệp hoặc dán văn bản"
                    )),
                );
                continue;
            }
            if invisible_lines.contains(&line) {
                continue;
            }
            // Nothing but blanks after the place: the file stops in the middle of a line.
            if source.text.get(span.start..).is_some_and(|rest| rest.trim().is_empty()) {
                out.push(
                    Diagnostic::error(
                        "toml-syntax",
                        tr!(
                            "the file ends before line {line} is finished: {message}",
                            "tệp kết thúc khi dòng {line} chưa viết xong: {message}"
                        ),
                    )
                    .at(span, tr!("the file ends here", "tệp kết thúc ở đây"))
                    .help(tr!(
                        "was the file cut short? Compare it with the copy it came from",
                        "tệp có bị mất phần cuối không? Hãy so sánh với bản gốc"
                    )),
                );
                continue;
            }
            // The parser's own words, which it has in English only.
            let mut d = Diagnostic::error(
                "toml-syntax",
                tr!(
                    "this is not valid TOML: {message}",
                    "đây không phải là TOML hợp lệ: {message}"
                ),
            )
            .at(span.clone(), Text::same(message));
            if let Some(fixed) = decimal_comma(&source.text[source.line_span(span.start)]) {
                d = d.help(tr!(
                    "TOML numbers take a decimal point: write {fixed}",
                    "số trong TOML dùng dấu chấm thập phân: hãy viết {fixed}"
                ));
            }
            out.push(d);
        }
        return (None, out);
    }
    if root.get_ref().is_empty() {
        out.push(
            Diagnostic::error(
                "empty-file",
                tr!(
                    "{} holds no criteria set: it is empty",
                    "{} không chứa bộ tiêu chí nào: tệp đang trống",
                    source.path
                ),
            )
            .at(0..0, tr!("nothing here", "không có nội dung"))
            .help(tr!(
                "a criteria set starts with schema = 1, id, title and max, then a [[node]] table for each field, criterion and sub-criterion (see docs/criteria.md)",
                "bộ tiêu chí bắt đầu bằng schema = 1, id, title và max, sau đó là một bảng [[node]] cho mỗi lĩnh vực, tiêu chí và tiêu chí thành phần (xem docs/criteria.md)"
            )),
        );
        return (None, out);
    }
    let root = Fields {
        table: root.get_ref(),
        header: source.line_span(0),
        what: tr!("the criteria set", "bộ tiêu chí"),
    };
    root.unknown_keys(SET_KEYS, set_key_hint, &mut out);
    let head = read_head(&root, &mut out);
    let grades = read_grades(&root, &mut out);
    let raw = read_nodes(&root, source, &mut out);
    let nodes = tree::build(&raw, &head, &mut out);
    let set = match (nodes, head.id, head.title, head.max) {
        (Some(nodes), Some(id), Some(title), Some(max)) => Some(CriteriaSet {
            id,
            title,
            year: head.year,
            decision: head.decision,
            max: max.value,
            decimals: head.decimals,
            na_policy: head.na_policy,
            evidence_required: head.evidence_required,
            survey_optional: head.survey_optional,
            rank_by: head.rank_by,
            round_fields: head.round_fields,
            round_leaves: head.round_leaves,
            grades,
            nodes,
        }),
        _ => None,
    };
    (set, out)
}

fn set_key_hint(key: &str) -> Option<Text> {
    match key {
        "nodes" | "criteria" | "tieu_chi" => Some(tr!(
            "each node is a table headed [[node]]",
            "mỗi mục là một bảng có tiêu đề [[node]]"
        )),
        "grades" | "xep_loai" => Some(tr!(
            "each grade is a table headed [[grade]]",
            "mỗi xếp loại là một bảng có tiêu đề [[grade]]"
        )),
        _ => node_key_hint(key),
    }
}

/// A node key found outside a node: most often a `[[node]]` header left out above it.
fn node_key_hint(key: &str) -> Option<Text> {
    let node_key = NODE_KEYS.contains(&key) || RuleKind::all_parameters().any(|(p, _)| p == key);
    (node_key && !GRADE_KEYS.contains(&key)).then(|| {
        tr!(
            "`{key}` is a node key: it belongs under a [[node]] header (is one missing above it?)",
            "`{key}` là khóa của một mục: khóa này phải nằm dưới tiêu đề [[node]] (phía trên có thiếu tiêu đề [[node]] không?)"
        )
    })
}

fn read_head(root: &Fields<'_, '_>, out: &mut Vec<Diagnostic>) -> Head {
    match root.integer("schema", out) {
        None if !root.mentions("schema") => {
            out.push(root.missing(
                "schema",
                tr!(
                    "add `schema = {SCHEMA}` as the first line",
                    "hãy thêm `schema = {SCHEMA}` vào dòng đầu tiên"
                ),
            ));
        }
        Some(s) if s.value != SCHEMA => out.push(
            Diagnostic::error(
                "schema-version",
                tr!(
                    "this parindex reads criteria files of schema {SCHEMA}, not {}",
                    "phiên bản parindex này đọc tệp bộ tiêu chí theo schema {SCHEMA}, không phải {}",
                    s.value
                ),
            )
            .at(s.span, tr!("expected {SCHEMA}", "cần {SCHEMA}")),
        ),
        _ => {}
    }
    let id = root.require(
        "id",
        root.text("id", out),
        tr!(
            "add a short name, e.g. id = \"so-ban-nganh-2025\"",
            "hãy thêm một tên ngắn, ví dụ id = \"so-ban-nganh-2025\""
        ),
        out,
    );
    if let Some(id) = &id {
        let ok = id
            .value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c));
        if !ok {
            out.push(
                Diagnostic::error(
                    "bad-id",
                    tr!(
                        "the set's id \"{}\" may hold only a-z, 0-9, '-', '_' and '.'",
                        "id \"{}\" của bộ tiêu chí chỉ được gồm a-z, 0-9, '-', '_' và '.'",
                        id.value
                    ),
                )
                .at(id.span.clone(), tr!("not a plain identifier", "không phải là mã định danh đơn giản"))
                .help(tr!(
                    "the id names the set in reports and file names, e.g. \"so-ban-nganh-2025\"",
                    "id là tên gọi của bộ tiêu chí trong báo cáo và tên tệp, ví dụ \"so-ban-nganh-2025\""
                )),
            );
        }
    }
    let title = root.require(
        "title",
        root.text("title", out),
        tr!(
            "add the set's name, e.g. title = \"Bộ chỉ số CCHC các sở, ban, ngành năm 2025\"",
            "hãy thêm tên của bộ tiêu chí, ví dụ title = \"Bộ chỉ số CCHC các sở, ban, ngành năm 2025\""
        ),
        out,
    );
    let year = root.integer("year", out);
    if let Some(y) = &year
        && !(1990..=2100).contains(&y.value)
    {
        out.push(
            Diagnostic::error(
                "out-of-range",
                tr!(
                    "the year {} is not a plausible year",
                    "năm {} không phải là một năm hợp lý",
                    y.value
                ),
            )
            .at(y.span.clone(), tr!("expected a year such as 2025", "cần một năm, ví dụ 2025")),
        );
    }
    let decision = root.text("decision", out).map(|d| d.value);
    root.text("note", out);
    let max = root.require(
        "max",
        root.positive("max", out),
        tr!(
            "add the sum of the fields' maxima, e.g. max = 100",
            "hãy thêm tổng điểm tối đa của các lĩnh vực, ví dụ max = 100"
        ),
        out,
    );
    let decimals = match root.integer("decimals", out) {
        Some(d) if (0..=MAX_DECIMALS).contains(&d.value) => u32::try_from(d.value).unwrap_or(2),
        Some(d) => {
            out.push(
                Diagnostic::error(
                    "out-of-range",
                    tr!(
                        "decimals must be between 0 and {MAX_DECIMALS}, not {}",
                        "decimals phải từ 0 đến {MAX_DECIMALS}, không được là {}",
                        d.value
                    ),
                )
                .at(d.span, tr!("out of range", "ngoài khoảng cho phép"))
                .help(tr!(
                    "published indexes use 2 decimal places",
                    "chỉ số được công bố dùng 2 chữ số thập phân"
                )),
            );
            2
        }
        None => 2,
    };
    let na_policy =
        named(root, "na_policy", &NaPolicy::NAMES, &super::rules::na_policy_words(), out)
            .and_then(|n| NaPolicy::from_name(&n))
            .unwrap_or(NaPolicy::Exclude);
    let ranking = tr!("ranking", "cách xếp hạng");
    let rank_by = match named(root, "rank_by", &["rounded", "exact"], &ranking, out).as_deref() {
        Some("exact") => RankBy::Exact,
        _ => RankBy::Rounded,
    };
    let rounding = tr!("way of rounding fields", "cách làm tròn điểm lĩnh vực");
    let round_fields =
        match named(root, "round_fields", &["each", "sum"], &rounding, out).as_deref() {
            Some("sum") => RoundFields::Sum,
            _ => RoundFields::Each,
        };
    Head {
        id: id.map(|i| i.value),
        title: title.map(|t| t.value),
        year: year.map(|y| y.value),
        decision,
        max,
        decimals,
        na_policy,
        evidence_required: root.boolean("evidence_required", out).is_some_and(|b| b.value),
        survey_optional: root.boolean("survey_optional", out).is_some_and(|b| b.value),
        rank_by,
        round_fields,
        round_leaves: root.boolean("round_leaves", out).is_some_and(|b| b.value),
    }
}

/// A line such as `max = 0,5` (a number with a decimal comma, as Vietnamese settings write
/// it), written with a decimal point instead; `None` for any other line.
fn decimal_comma(line: &str) -> Option<String> {
    let (key, value) = line.split_once('=')?;
    let (number, comment) = match value.split_once('#') {
        Some((n, c)) => (n.trim(), Some(c)),
        None => (value.trim(), None),
    };
    let (whole, part) = number.split_once(',')?;
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let whole_digits = whole.strip_prefix('-').unwrap_or(whole);
    if !digits(whole_digits) || !digits(part) {
        return None;
    }
    let comment = comment.map(|c| format!(" #{c}")).unwrap_or_default();
    Some(format!("{} = {whole}.{part}{comment}", key.trim()).trim_end().to_string())
}

/// The tables of an array of tables (`[[grade]]`, `[[node]]`), or a diagnostic when the
/// key holds something else.
fn tables<'t, 'i>(
    root: &Fields<'t, 'i>,
    key: &str,
    out: &mut Vec<Diagnostic>,
) -> Vec<(&'t DeTable<'i>, Range<usize>)> {
    let Some(value) = root.get(key) else { return Vec::new() };
    let DeValue::Array(items) = value.get_ref() else {
        let d = wrong_type(
            Text::same(format!("`{key}`")),
            value,
            tr!("tables headed [[{key}]]", "các bảng có tiêu đề [[{key}]]"),
            key,
        );
        let d = if matches!(value.get_ref(), DeValue::Table(_)) {
            d.help(tr!(
                "write the header with double brackets: [[{key}]]",
                "hãy viết tiêu đề bằng hai cặp ngoặc vuông: [[{key}]]"
            ))
        } else {
            d
        };
        out.push(d);
        return Vec::new();
    };
    let mut found = Vec::new();
    for item in items {
        match item.get_ref() {
            DeValue::Table(t) => found.push((t, item.span())),
            _ => out.push(wrong_type(
                crate::tr!("an item of `{key}`", "một mục của `{key}`"),
                item,
                crate::tr!("a table", "một bảng"),
                key,
            )),
        }
    }
    found
}

fn read_grades(root: &Fields<'_, '_>, out: &mut Vec<Diagnostic>) -> Vec<Grade> {
    let items = tables(root, "grade", out);
    if items.is_empty() && !root.mentions("grade") {
        out.push(
            Diagnostic::warning(
                "no-grades",
                tr!(
                    "the set has no grades: reports will show no grade (xếp loại)",
                    "bộ tiêu chí chưa có xếp loại: báo cáo sẽ không ghi xếp loại"
                ),
            )
            .at(root.header.clone(), tr!("no [[grade]] in this file", "tệp này không có [[grade]]"))
            .help(tr!(
                "add a [[grade]] table for each grade, highest first, e.g. name = \"Xuất sắc\", min = 90",
                "hãy thêm một bảng [[grade]] cho mỗi xếp loại, từ cao xuống thấp, ví dụ name = \"Xuất sắc\", min = 90"
            )),
        );
    }
    let mut grades: Vec<(Grade, Range<usize>, Range<usize>)> = Vec::new();
    let before = out.len();
    for (n, (table, header)) in items.into_iter().enumerate() {
        let number = n + 1;
        let mut fields =
            Fields { table, header, what: tr!("grade #{number}", "xếp loại thứ {number}") };
        fields.unknown_keys(GRADE_KEYS, node_key_hint, out);
        let name = fields.text("name", out);
        if let Some(name) = &name {
            fields.what = tr!("grade \"{}\"", "xếp loại \"{}\"", name.value);
        } else if !fields.mentions("name") {
            out.push(fields.missing(
                "name",
                tr!(
                    "add the grade's name, e.g. name = \"Tốt\"",
                    "hãy thêm tên xếp loại, ví dụ name = \"Tốt\""
                ),
            ));
        }
        let min = fields.number("min", out);
        if min.is_none() && !fields.mentions("min") {
            out.push(fields.missing(
                "min",
                tr!(
                    "add the lowest index that earns the grade, e.g. min = 80",
                    "hãy thêm chỉ số thấp nhất để đạt xếp loại này, ví dụ min = 80"
                ),
            ));
        }
        let (Some(name), Some(min)) = (name, min) else { continue };
        if min.value < Decimal::ZERO || min.value > Decimal::ONE_HUNDRED {
            out.push(
                Diagnostic::error(
                    "out-of-range",
                    Text::new(
                        format!(
                            "the min of {} is {}, but an index lies between 0 and 100",
                            fields.what.en, min.value
                        ),
                        format!(
                            "min của {} là {}, nhưng chỉ số chỉ nằm trong khoảng từ 0 đến 100",
                            fields.what.vi, min.value
                        ),
                    ),
                )
                .at(min.span.clone(), tr!("outside 0..100", "ngoài khoảng 0..100")),
            );
            continue;
        }
        if let Some((same, span, _)) =
            grades.iter().find(|(g, _, _)| fold(&g.name) == fold(&name.value))
        {
            out.push(
                Diagnostic::error(
                    "duplicate-grade",
                    tr!(
                        "two grades are named \"{}\"",
                        "có hai xếp loại cùng tên \"{}\"",
                        same.name
                    ),
                )
                .at(name.span.clone(), tr!("named again here", "tên lặp lại ở đây"))
                .with_context(span.clone(), tr!("first named here", "tên được đặt lần đầu ở đây")),
            );
            continue;
        }
        if let Some((before, _, before_min)) = grades.last()
            && min.value >= before.min
        {
            let (message, help) = if min.value == before.min {
                (
                    tr!(
                        "grades \"{}\" and \"{}\" both start at {}",
                        "xếp loại \"{}\" và \"{}\" cùng bắt đầu từ {}",
                        before.name,
                        name.value,
                        min.value
                    ),
                    tr!(
                        "each grade needs its own min, lower than the one before it",
                        "mỗi xếp loại cần một min riêng, thấp hơn min của xếp loại đứng trước"
                    ),
                )
            } else {
                (
                    tr!(
                        "grades must go from the highest min down, but \"{}\" (min {}) comes after \"{}\" (min {})",
                        "các xếp loại phải xếp theo min từ cao xuống thấp, nhưng \"{}\" (min {}) lại đứng sau \"{}\" (min {})",
                        name.value,
                        min.value,
                        before.name,
                        before.min
                    ),
                    tr!(
                        "move grade \"{}\" above grade \"{}\"",
                        "hãy chuyển xếp loại \"{}\" lên trên xếp loại \"{}\"",
                        name.value,
                        before.name
                    ),
                )
            };
            out.push(
                Diagnostic::error("grade-order", message)
                    .at(
                        min.span.clone(),
                        tr!("not below the grade before", "không thấp hơn xếp loại đứng trước"),
                    )
                    .with_context(
                        before_min.clone(),
                        tr!("the grade before starts here", "xếp loại đứng trước bắt đầu từ đây"),
                    )
                    .help(help),
            );
            continue;
        }
        grades.push((Grade { name: name.value, min: min.value }, name.span, min.span));
    }
    let grades_ok = out.len() == before;
    if let (true, Some((lowest, _, span))) = (grades_ok, grades.last())
        && lowest.min > Decimal::ZERO
    {
        out.push(
            Diagnostic::warning(
                "grade-gap",
                tr!(
                    "an index below {} gets no grade: the lowest grade, \"{}\", starts there",
                    "chỉ số dưới {} sẽ không có xếp loại: xếp loại thấp nhất, \"{}\", bắt đầu từ mức đó",
                    lowest.min,
                    lowest.name
                ),
            )
            .at(span.clone(), tr!("nothing below this", "không có xếp loại nào dưới mức này"))
            .help(tr!(
                "add a last grade with min = 0 (e.g. name = \"Yếu\", min = 0)",
                "hãy thêm một xếp loại cuối cùng có min = 0 (ví dụ name = \"Yếu\", min = 0)"
            )),
        );
    }
    grades.into_iter().map(|(g, _, _)| g).collect()
}

fn read_nodes<'t, 'i>(
    root: &Fields<'t, 'i>,
    source: &'i SourceFile,
    out: &mut Vec<Diagnostic>,
) -> Vec<RawNode<'t, 'i>> {
    let items = tables(root, "node", out);
    if items.is_empty() && !root.mentions("node") {
        out.push(
            Diagnostic::error(
                "no-nodes",
                tr!(
                    "the set has no nodes: no fields, criteria or sub-criteria",
                    "bộ tiêu chí chưa có mục nào: không có lĩnh vực, tiêu chí hay tiêu chí thành phần"
                ),
            )
            .at(root.header.clone(), tr!("no [[node]] in this file", "tệp này không có [[node]]"))
            .help(tr!(
                "add a [[node]] table for each field, criterion and sub-criterion",
                "hãy thêm một bảng [[node]] cho mỗi lĩnh vực, tiêu chí và tiêu chí thành phần"
            )),
        );
    }
    let params: Vec<&str> = RuleKind::all_parameters().map(|(p, _)| p).collect();
    let allowed: Vec<&str> = NODE_KEYS.iter().copied().chain(params).collect();
    items
        .into_iter()
        .enumerate()
        .map(|(n, (table, header))| {
            let before = out.len();
            let line = source.line_col(header.start).0;
            let number = n + 1;
            let mut fields =
                Fields { table, header, what: tr!("node #{number}", "mục thứ {number}") };
            let code = read_code(&fields, out);
            if let Some(code) = &code {
                fields.what = tr!("node \"{}\"", "mục \"{}\"", code.value);
            }
            fields.unknown_keys(&allowed, |_| None, out);
            let name = fields.require(
                "name",
                fields.text("name", out),
                tr!(
                    "add the name as the criteria document writes it",
                    "hãy thêm tên đúng như văn bản bộ tiêu chí ghi"
                ),
                out,
            );
            let kind_words = tr!("kind", "loại mục");
            let kind =
                named(&fields, "kind", &["bonus", "deduction"], &kind_words, out).map(|k| At {
                    value: if k == "bonus" { Kind::Bonus } else { Kind::Deduction },
                    span: fields.get("kind").map_or(0..0, toml::Spanned::span),
                });
            let max = fields.positive("max", out);
            let parent = fields.text("parent", out);
            let weight = fields.positive("weight", out);
            let cap = fields.boolean("cap", out);
            let note = fields.text("note", out).map(|n| n.value);
            let doubtful = out[before..].iter().any(|d| d.severity == Severity::Error);
            RawNode {
                fields,
                code,
                name,
                max,
                parent,
                kind,
                weight,
                cap,
                note,
                line,
                doubtful,
                text: &source.text,
            }
        })
        .collect()
}

/// A node's code: letters, digits, '-' and '_', in dot-separated parts ("2.1.3").
fn read_code(fields: &Fields<'_, '_>, out: &mut Vec<Diagnostic>) -> Option<At<String>> {
    let code = fields.require(
        "code",
        fields.text("code", out),
        tr!(
            "add the node's number as the criteria document writes it, e.g. code = \"1.1.2\"",
            "hãy thêm số thứ tự của mục đúng như văn bản bộ tiêu chí ghi, ví dụ code = \"1.1.2\""
        ),
        out,
    );
    let code = code?;
    let plain = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    if !code.value.split('.').all(|part| !part.is_empty() && part.chars().all(plain)) {
        out.push(
            Diagnostic::error(
                "bad-code",
                tr!(
                    "the code {} is not a dotted code like \"2.1.3\"",
                    "mã {} không phải là mã gồm các phần cách nhau bởi dấu chấm như \"2.1.3\"",
                    Quoted(&code.value)
                ),
            )
            .at(code.span, tr!("not a code", "không phải là mã"))
            .help(tr!(
                "codes are letters, digits, '-' and '_', in parts separated by single dots, with no spaces",
                "mã gồm chữ cái, chữ số, '-' và '_', chia thành các phần cách nhau bởi đúng một dấu chấm, không có khoảng trắng"
            )),
        );
        return None;
    }
    Some(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::fields::KNOWN_KEYS;

    #[test]
    fn a_decimal_comma_is_written_with_a_point() {
        assert_eq!(decimal_comma("max = 0,5").as_deref(), Some("max = 0.5"));
        assert_eq!(
            decimal_comma("  per = 12,25 # mỗi lần").as_deref(),
            Some("per = 12.25 # mỗi lần")
        );
        assert_eq!(decimal_comma("bands = [[90, 1], [0, 0]]"), None);
        assert_eq!(decimal_comma("name = \"a,b\""), None);
    }

    #[test]
    fn every_key_a_table_accepts_is_known_when_looking_for_misspellings() {
        let lists = [
            SET_KEYS,
            NODE_KEYS,
            GRADE_KEYS,
            super::super::rules::LEAF_KEYS,
            super::super::rules::CHOICE_KEYS,
            super::super::compute::COMPUTE_KEYS,
            crate::read::round_file::KEYS,
        ];
        let parameters = RuleKind::all_parameters().map(|(key, _)| key);
        for key in lists.into_iter().flatten().copied().chain(parameters) {
            assert!(KNOWN_KEYS.contains(&key), "`{key}` is accepted but not in KNOWN_KEYS");
        }
    }
}
