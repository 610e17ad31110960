//! Typed reading of one TOML table (a criteria set's, a round file's), reporting every missing key, wrong type and unknown
//! key against the place it stands in the file.

use std::ops::Range;

use rust_decimal::Decimal;
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use crate::diagnostic::Diagnostic;
use crate::lang::Text;
use crate::read::number::{self, NumberError};
use crate::text::{did_you_mean, nfc};
use crate::tr;

/// Every key any table of a criteria set or a round file may hold; a test in
/// `criteria::load` keeps it the union of the lists each table is checked against.
pub(crate) const KNOWN_KEYS: &[&str] = &[
    "schema",
    "id",
    "title",
    "year",
    "decision",
    "issuer",
    "number",
    "date",
    "appendix",
    "note",
    "max",
    "decimals",
    "na_policy",
    "evidence_required",
    "survey_optional",
    "rank_by",
    "round_fields",
    "round_leaves",
    "cap",
    "compute",
    "table",
    "zero",
    "rate_decimals",
    "questions",
    "answers",
    "where",
    "min_answers",
    "tables",
    "groups",
    "file",
    "columns",
    "grade",
    "node",
    "name",
    "min",
    "code",
    "parent",
    "rule",
    "na",
    "source",
    "evidence",
    "weight",
    "kind",
    "step",
    "choices",
    "bands",
    "lower_is_better",
    "full_at",
    "zero_at",
    "per",
    "value",
    "label",
    "points",
    "criteria",
    "agencies",
    "self",
    "appraisal",
    "survey",
];

/// The most characters a text may hold: what a workbook cell holds, since every name and
/// note may be written to one.
pub(crate) const MAX_TEXT_CHARS: usize = 32_767;

/// Words a reader hands over for a message: what a table is (`node "1.1.1"`), what a
/// key expects (`a number`), in both languages.
pub(crate) trait Words {
    fn words(self) -> Text;
}

impl Words for Text {
    fn words(self) -> Text {
        self
    }
}

impl Words for &Text {
    fn words(self) -> Text {
        self.clone()
    }
}

/// A value and the place in the file it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct At<T> {
    pub value: T,
    pub span: Range<usize>,
}

/// One table of the file, read key by key. Problems go to `out`.
pub(crate) struct Fields<'t, 'i> {
    pub table: &'t DeTable<'i>,
    /// Where to point when a key is missing: the table's header line.
    pub header: Range<usize>,
    /// What the table is, for messages: `node "1.1.1"`, `the criteria set`.
    pub what: Text,
}

impl<'t, 'i> Fields<'t, 'i> {
    /// What the table is, in both languages.
    pub(crate) fn what(&self) -> Text {
        self.what.clone()
    }

    pub(crate) fn get(&self, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
        self.table.get(key)
    }

    pub(crate) fn has(&self, key: &str) -> bool {
        self.table.contains_key(key)
    }

    /// Whether the key is there, or a misspelling of it that [`Fields::unknown_keys`]
    /// reports: a `titel` makes "no `title`" a second message about the same slip. A key
    /// parindex knows (`note` beside a missing `code`) is no misspelling.
    pub(crate) fn mentions(&self, key: &str) -> bool {
        self.has(key)
            || self.table.iter().any(|(k, _)| {
                let k = k.get_ref().as_ref();
                k != key && !KNOWN_KEYS.contains(&k) && did_you_mean(k, &[key]).is_some()
            })
    }

    /// Where the key's value is written.
    pub(crate) fn value_span(&self, key: &str) -> Range<usize> {
        self.get(key).map_or_else(|| self.header.clone(), Spanned::span)
    }

    /// Where the key itself is written.
    pub(crate) fn key_span(&self, key: &str) -> Range<usize> {
        self.table.get_key_value(key).map_or_else(|| self.header.clone(), |(k, _)| k.span())
    }

    /// Reports every key not in `allowed`, suggesting the closest allowed key. `hint`
    /// may give a better help for keys that belong elsewhere.
    pub(crate) fn unknown_keys(
        &self,
        allowed: &[&str],
        hint: impl Fn(&str) -> Option<Text>,
        out: &mut Vec<Diagnostic>,
    ) {
        for (key, _) in self.table {
            let name = key.get_ref().as_ref();
            if allowed.contains(&name) {
                continue;
            }
            let help = hint(name).or_else(|| {
                did_you_mean(name, allowed)
                    .map(|near| tr!("did you mean `{near}`?", "có phải là `{near}`?"))
            });
            // A key is shown as written, unless it is too long or holds what cannot be seen.
            let shown = match crate::text::quote(name) {
                q if q.len() == name.len() + 2 => format!("`{name}`"),
                q => q,
            };
            let what = self.what();
            let mut d = Diagnostic::error(
                "unknown-key",
                Text::new(
                    format!("{} has an unknown key {shown}", what.en),
                    format!("{} có khóa {shown} mà parindex không biết", what.vi),
                ),
            )
            .at(key.span(), tr!("not a key parindex knows", "parindex không biết khóa này"));
            let known = allowed.join(", ");
            d.help =
                Some(help.unwrap_or_else(|| {
                    tr!("known keys: {known}", "các khóa parindex biết: {known}")
                }));
            out.push(d);
        }
    }

    /// Passes a required key's value through, reporting it as missing when it is absent
    /// (not merely mistyped or misspelt, which are reported already).
    pub(crate) fn require<T>(
        &self,
        key: &str,
        value: Option<T>,
        help: impl Into<Text>,
        out: &mut Vec<Diagnostic>,
    ) -> Option<T> {
        if value.is_none() && !self.mentions(key) {
            out.push(self.missing(key, help));
        }
        value
    }

    /// A required, non-empty list, or `None` with the problem reported.
    pub(crate) fn list(
        &self,
        key: &str,
        expected: impl Words,
        example: impl Words,
        out: &mut Vec<Diagnostic>,
    ) -> Option<&'t DeArray<'i>> {
        let example = example.words();
        let add = Text::new(format!("add {}", example.en), format!("hãy thêm {}", example.vi));
        let Some(value) = self.get(key) else {
            out.push(self.missing(key, add));
            return None;
        };
        let DeValue::Array(items) = value.get_ref() else {
            out.push(self.wrong_type(key, value, expected));
            return None;
        };
        if items.iter().next().is_none() {
            let what = self.what();
            out.push(
                Diagnostic::error(
                    "empty-list",
                    Text::new(
                        format!("`{key}` of {} is empty", what.en),
                        format!("`{key}` của {} là danh sách rỗng", what.vi),
                    ),
                )
                .at(value.span(), tr!("an empty list", "một danh sách rỗng"))
                .help(add),
            );
            return None;
        }
        Some(items)
    }

    pub(crate) fn missing(&self, key: &str, help: impl Into<Text>) -> Diagnostic {
        let what = self.what();
        Diagnostic::error(
            "missing-key",
            Text::new(
                format!("{} has no `{key}`", what.en),
                format!("{} không có `{key}`", what.vi),
            ),
        )
        .at(self.header.clone(), tr!("`{key}` is required here", "cần có `{key}` ở đây"))
        .help(help)
    }

    /// A text value, in NFC. Empty text is reported and read as absent.
    pub(crate) fn text(&self, key: &str, out: &mut Vec<Diagnostic>) -> Option<At<String>> {
        let value = self.get(key)?;
        let DeValue::String(s) = value.get_ref() else {
            out.push(self.wrong_type(
                key,
                value,
                crate::tr!("text in quotes", "văn bản trong dấu ngoặc kép"),
            ));
            return None;
        };
        if s.trim().is_empty() {
            let what = self.what();
            out.push(
                Diagnostic::error(
                    "empty-text",
                    Text::new(
                        format!("`{key}` of {} is empty", what.en),
                        format!("`{key}` của {} để trống", what.vi),
                    ),
                )
                .at(value.span(), tr!("empty", "để trống")),
            );
            return None;
        }
        let chars = s.chars().count();
        if chars > MAX_TEXT_CHARS {
            let what = self.what();
            out.push(
                Diagnostic::error(
                    "too-long",
                    Text::new(
                        format!(
                            "`{key}` of {} holds {chars} characters; a text holds at most {MAX_TEXT_CHARS}",
                            what.en
                        ),
                        format!(
                            "`{key}` của {} có {chars} ký tự; một văn bản có tối đa {MAX_TEXT_CHARS} ký tự",
                            what.vi
                        ),
                    ),
                )
                .at(value.span(), tr!("too long", "quá dài"))
                .help(tr!(
                    "every text is shown in reports and workbook cells, which hold at most 32767 characters: keep long explanations in the documents the set cites",
                    "mọi văn bản đều được đưa vào báo cáo và ô bảng tính, vốn chứa tối đa 32767 ký tự: hãy để phần giải thích dài trong các văn bản mà bộ tiêu chí dẫn chiếu"
                )),
            );
            return None;
        }
        Some(At { value: nfc(s.trim()), span: value.span() })
    }

    pub(crate) fn boolean(&self, key: &str, out: &mut Vec<Diagnostic>) -> Option<At<bool>> {
        let value = self.get(key)?;
        if let DeValue::Boolean(b) = value.get_ref() {
            Some(At { value: *b, span: value.span() })
        } else {
            out.push(self.wrong_type(key, value, crate::tr!("true or false", "true hoặc false")));
            None
        }
    }

    pub(crate) fn integer(&self, key: &str, out: &mut Vec<Diagnostic>) -> Option<At<i64>> {
        let value = self.get(key)?;
        let parsed = match value.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
            _ => None,
        };
        if parsed.is_none() {
            out.push(self.wrong_type(key, value, crate::tr!("a whole number", "một số nguyên")));
        }
        parsed.map(|v| At { value: v, span: value.span() })
    }

    /// An exact number; see [`number_at`].
    pub(crate) fn number(&self, key: &str, out: &mut Vec<Diagnostic>) -> Option<At<Decimal>> {
        let value = self.get(key)?;
        match number_at(value) {
            Ok(n) => Some(n),
            Err(NumberProblem::NotANumber) => {
                out.push(self.wrong_type(key, value, crate::tr!("a number", "một số")));
                None
            }
            Err(NumberProblem::Bad(e)) => {
                out.push(number_diagnostic(&e, self.key_of(key), value));
                None
            }
        }
    }

    /// A number that must be above zero.
    pub(crate) fn positive(&self, key: &str, out: &mut Vec<Diagnostic>) -> Option<At<Decimal>> {
        let n = self.number(key, out)?;
        if n.value <= Decimal::ZERO {
            let (what, v) = (self.what(), n.value);
            out.push(
                Diagnostic::error(
                    "not-positive",
                    Text::new(
                        format!("`{key}` of {} must be above 0, not {v}", what.en),
                        format!("`{key}` của {} phải lớn hơn 0, không phải {v}", what.vi),
                    ),
                )
                .at(n.span.clone(), tr!("must be above 0", "phải lớn hơn 0")),
            );
            return None;
        }
        Some(n)
    }

    pub(crate) fn wrong_type(
        &self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
        expected: impl Words,
    ) -> Diagnostic {
        wrong_type(self.key_of(key), value, expected, key)
    }

    /// "`key` of the table", in both languages.
    fn key_of(&self, key: &str) -> Text {
        let what = self.what();
        Text::new(format!("`{key}` of {}", what.en), format!("`{key}` của {}", what.vi))
    }
}

/// Why a TOML value is not an exact number.
pub(crate) enum NumberProblem {
    NotANumber,
    Bad(NumberError),
}

/// Reads an integer or float literal exactly.
pub(crate) fn number_at(value: &Spanned<DeValue<'_>>) -> Result<At<Decimal>, NumberProblem> {
    let number = match value.get_ref() {
        DeValue::Integer(i) => number::from_integer(i),
        DeValue::Float(f) => number::from_float(f),
        _ => return Err(NumberProblem::NotANumber),
    };
    number.map(|n| At { value: n, span: value.span() }).map_err(NumberProblem::Bad)
}

pub(crate) fn number_diagnostic(
    e: &NumberError,
    what: impl Words,
    value: &Spanned<DeValue<'_>>,
) -> Diagnostic {
    let places = number::MAX_PLACES;
    let (code, label, help) = match e {
        NumberError::NotFinite(_) => {
            ("not-finite", tr!("not a finite number", "không phải là số hữu hạn"), None)
        }
        NumberError::TooPrecise { .. } => (
            "too-precise",
            tr!("too many decimal places", "quá nhiều chữ số thập phân"),
            Some(tr!(
                "round it to at most {places} decimal places",
                "hãy làm tròn đến tối đa {places} chữ số thập phân"
            )),
        ),
        NumberError::TooLarge(_) => ("out-of-range", tr!("too large", "quá lớn"), None),
    };
    let d = Diagnostic::error(code, what.words().join(": ", &e.text())).at(value.span(), label);
    match help {
        Some(h) => d.help(h),
        None => d,
    }
}

/// "`max` of node "1.1" must be a number, not text", with a help for the usual slips:
/// a number in quotes, a decimal comma.
pub(crate) fn wrong_type(
    what: impl Words,
    value: &Spanned<DeValue<'_>>,
    expected: impl Words,
    key: &str,
) -> Diagnostic {
    let (what, expected) = (what.words(), expected.words());
    let found = describe(value.get_ref());
    let d = Diagnostic::error(
        "wrong-type",
        Text::new(
            format!("{} must be {}, not {}", what.en, expected.en, found.en),
            format!("{} phải là {}, không phải {}", what.vi, expected.vi, found.vi),
        ),
    )
    .at(
        value.span(),
        Text::new(format!("expected {}", expected.en), format!("cần {}", expected.vi)),
    );
    match value.get_ref() {
        DeValue::String(s) if expected.en.contains("number") => {
            let t = s.trim();
            let percent = t.strip_suffix('%').and_then(|p| p.trim().parse::<Decimal>().ok());
            if let (Some(p), "full_at" | "zero_at") = (percent, key) {
                let ratio = (p / Decimal::ONE_HUNDRED).normalize();
                d.help(tr!(
                    "write {key} = {ratio}: a ratio, without quotes or a percent sign",
                    "hãy viết {key} = {ratio}: một tỷ lệ, không có dấu ngoặc kép hay dấu phần trăm"
                ))
            } else if t.parse::<Decimal>().is_ok() {
                d.help(tr!("remove the quotes: {key} = {t}", "hãy bỏ dấu ngoặc kép: {key} = {t}"))
            } else if t.replace(',', ".").parse::<Decimal>().is_ok() {
                let point = t.replace(',', ".");
                d.help(tr!(
                    "write {key} = {point}: TOML numbers use a decimal point",
                    "hãy viết {key} = {point}: số trong TOML dùng dấu chấm thập phân"
                ))
            } else {
                d
            }
        }
        DeValue::Integer(_) | DeValue::Float(_) | DeValue::Boolean(_)
            if expected.en.starts_with("text") =>
        {
            d.help(tr!("put the value in double quotes", "hãy đặt giá trị trong dấu ngoặc kép"))
        }
        DeValue::String(s)
            if expected.en.starts_with("true") && matches!(s.trim(), "true" | "false") =>
        {
            let t = s.trim();
            d.help(tr!("remove the quotes: {key} = {t}", "hãy bỏ dấu ngoặc kép: {key} = {t}"))
        }
        _ => d,
    }
}

/// A value's kind in words.
pub(crate) fn describe(value: &DeValue<'_>) -> Text {
    match value {
        DeValue::String(_) => tr!("text", "văn bản"),
        DeValue::Integer(_) | DeValue::Float(_) => tr!("a number", "một số"),
        DeValue::Boolean(_) => tr!("true/false", "true/false"),
        DeValue::Datetime(_) => tr!("a date", "một ngày tháng"),
        DeValue::Array(_) => tr!("a list", "một danh sách"),
        DeValue::Table(_) => tr!("a table", "một bảng"),
    }
}
