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
                did_you_mean(name, allowed).map(|near| format!("did you mean `{near}`?").into())
            });
            // A key is shown as written, unless it is too long or holds what cannot be seen.
            let shown = match crate::text::quote(name) {
                q if q.len() == name.len() + 2 => format!("`{name}`"),
                q => q,
            };
            let mut d = Diagnostic::error(
                "unknown-key",
                format!("{} has an unknown key {shown}", self.what.en),
            )
            .at(key.span(), "not a key parindex knows");
            d.help =
                Some(help.unwrap_or_else(|| format!("known keys: {}", allowed.join(", ")).into()));
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
        expected: &str,
        example: &str,
        out: &mut Vec<Diagnostic>,
    ) -> Option<&'t DeArray<'i>> {
        let Some(value) = self.get(key) else {
            out.push(self.missing(key, format!("add {example}")));
            return None;
        };
        let DeValue::Array(items) = value.get_ref() else {
            out.push(self.wrong_type(key, value, expected));
            return None;
        };
        if items.iter().next().is_none() {
            out.push(
                Diagnostic::error("empty-list", format!("`{key}` of {} is empty", self.what.en))
                    .at(value.span(), "an empty list")
                    .help(format!("add {example}")),
            );
            return None;
        }
        Some(items)
    }

    pub(crate) fn missing(&self, key: &str, help: impl Into<Text>) -> Diagnostic {
        Diagnostic::error("missing-key", format!("{} has no `{key}`", self.what.en))
            .at(self.header.clone(), format!("`{key}` is required here"))
            .help(help.into())
    }

    /// A text value, in NFC. Empty text is reported and read as absent.
    pub(crate) fn text(&self, key: &str, out: &mut Vec<Diagnostic>) -> Option<At<String>> {
        let value = self.get(key)?;
        let DeValue::String(s) = value.get_ref() else {
            out.push(self.wrong_type(key, value, "text in quotes"));
            return None;
        };
        if s.trim().is_empty() {
            out.push(
                Diagnostic::error("empty-text", format!("`{key}` of {} is empty", self.what.en))
                    .at(value.span(), "empty"),
            );
            return None;
        }
        let chars = s.chars().count();
        if chars > MAX_TEXT_CHARS {
            out.push(
                Diagnostic::error(
                    "too-long",
                    format!(
                        "`{key}` of {} holds {chars} characters; a text holds at most {MAX_TEXT_CHARS}",
                        self.what.en
                    ),
                )
                .at(value.span(), "too long")
                .help("every text is shown in reports and workbook cells, which hold at most 32767 characters: keep long explanations in the documents the set cites"),
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
            out.push(self.wrong_type(key, value, "true or false"));
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
            out.push(self.wrong_type(key, value, "a whole number"));
        }
        parsed.map(|v| At { value: v, span: value.span() })
    }

    /// An exact number; see [`number_at`].
    pub(crate) fn number(&self, key: &str, out: &mut Vec<Diagnostic>) -> Option<At<Decimal>> {
        let value = self.get(key)?;
        match number_at(value) {
            Ok(n) => Some(n),
            Err(NumberProblem::NotANumber) => {
                out.push(self.wrong_type(key, value, "a number"));
                None
            }
            Err(NumberProblem::Bad(e)) => {
                out.push(number_diagnostic(&e, &format!("`{key}` of {}", self.what.en), value));
                None
            }
        }
    }

    /// A number that must be above zero.
    pub(crate) fn positive(&self, key: &str, out: &mut Vec<Diagnostic>) -> Option<At<Decimal>> {
        let n = self.number(key, out)?;
        if n.value <= Decimal::ZERO {
            out.push(
                Diagnostic::error(
                    "not-positive",
                    format!("`{key}` of {} must be above 0, not {}", self.what.en, n.value),
                )
                .at(n.span.clone(), "must be above 0"),
            );
            return None;
        }
        Some(n)
    }

    pub(crate) fn wrong_type(
        &self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
        expected: &str,
    ) -> Diagnostic {
        wrong_type(&format!("`{key}` of {}", self.what.en), value, expected, key)
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
    what: &str,
    value: &Spanned<DeValue<'_>>,
) -> Diagnostic {
    let (code, label, help) = match e {
        NumberError::NotFinite(_) => ("not-finite", "not a finite number", None),
        NumberError::TooPrecise { .. } => (
            "too-precise",
            "too many decimal places",
            Some(format!("round it to at most {} decimal places", number::MAX_PLACES)),
        ),
        NumberError::TooLarge(_) => ("out-of-range", "too large", None),
    };
    let d = Diagnostic::error(code, format!("{what}: {e}")).at(value.span(), label);
    match help {
        Some(h) => d.help(h),
        None => d,
    }
}

/// "`max` of node "1.1" must be a number, not text", with a help for the usual slips:
/// a number in quotes, a decimal comma.
pub(crate) fn wrong_type(
    what: &str,
    value: &Spanned<DeValue<'_>>,
    expected: &str,
    key: &str,
) -> Diagnostic {
    let d = Diagnostic::error(
        "wrong-type",
        format!("{what} must be {expected}, not {}", describe(value.get_ref())),
    )
    .at(value.span(), format!("expected {expected}"));
    match value.get_ref() {
        DeValue::String(s) if expected.contains("number") => {
            let t = s.trim();
            let percent = t.strip_suffix('%').and_then(|p| p.trim().parse::<Decimal>().ok());
            if let (Some(p), "full_at" | "zero_at") = (percent, key) {
                d.help(format!(
                    "write {key} = {}: a ratio, without quotes or a percent sign",
                    (p / Decimal::ONE_HUNDRED).normalize()
                ))
            } else if t.parse::<Decimal>().is_ok() {
                d.help(format!("remove the quotes: {key} = {t}"))
            } else if t.replace(',', ".").parse::<Decimal>().is_ok() {
                d.help(format!(
                    "write {key} = {}: TOML numbers use a decimal point",
                    t.replace(',', ".")
                ))
            } else {
                d
            }
        }
        DeValue::Integer(_) | DeValue::Float(_) | DeValue::Boolean(_)
            if expected.starts_with("text") =>
        {
            d.help("put the value in double quotes")
        }
        DeValue::String(s)
            if expected.starts_with("true") && matches!(s.trim(), "true" | "false") =>
        {
            d.help(format!("remove the quotes: {key} = {}", s.trim()))
        }
        _ => d,
    }
}

/// A value's kind in words.
pub(crate) fn describe(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "text",
        DeValue::Integer(_) | DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "true/false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}
