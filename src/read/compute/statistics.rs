//! A statistics table: one row per agency, each computed leaf's expression over it,
//! every cell read as a count and every value held to what a typed one is.

use std::collections::HashMap;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Signed, Zero as _};
use rust_decimal::Decimal;

use super::{Capped, Computed, TableReader, Target, list, summary};
use crate::diagnostic::Diagnostic;
use crate::model::compute::{How, Zero};
use crate::model::rule::Rule;
use crate::model::value::Value;
use crate::read::expr::{self, EvalError, Outcome};
use crate::read::table::Row;
use crate::read::value::Doubt;
use crate::text::{Quoted, ascii_key};

impl TableReader<'_> {
    /// One row per agency: each leaf's expression over it.
    pub(super) fn statistics(
        &self,
        leaves: &[(&Target<'_>, HashMap<String, usize>)],
        agency: usize,
        done: &mut Computed,
        out: &mut Vec<Diagnostic>,
    ) {
        let path = self.path().to_string();
        let mut rows: Vec<Option<Row>> = vec![None; self.agencies.len()];
        let (mut unknown, mut twice, mut nameless, mut misshapen) =
            (Capped::default(), Capped::default(), Capped::default(), Capped::default());
        let keys: HashMap<String, usize> =
            self.agencies.iter().enumerate().map(|(i, a)| (ascii_key(&a.id), i)).collect();
        let mut near: HashMap<usize, (String, usize)> = HashMap::new();
        self.table.each_row(|row| {
            let mut shape = Vec::new();
            if !self.table.check_row(row, &mut shape) {
                for d in shape {
                    misshapen.push(out, || d);
                }
                return;
            }
            let id = row.get(agency);
            if id.is_empty() {
                nameless.push(out, || {
                    Diagnostic::error("missing-agency", format!("{}: the row names no agency", self.at(row, Some(agency))))
                        .at(self.table.span(row, agency), "no agency id")
                });
                return;
            }
            let Some(&a) = self.ids.get(id) else {
                // An id the round has written otherwise (case, accents): kept for the
                // warning about agencies with no row, whatever the cap on the others.
                if let Some(&meant) = keys.get(ascii_key(id).as_str()) {
                    near.entry(meant).or_insert_with(|| (id.to_string(), row.line));
                }
                unknown.push(out, || self.unknown_agency(row, agency, id, "row"));
                return;
            };
            if let Some(first) = &rows[a] {
                twice.push(out, || {
                    Diagnostic::error(
                        "duplicate-row",
                        format!(
                            "{}: agency {} has a second row in table \"{}\" (the first is on {} {})",
                            self.at(row, None),
                            Quoted(id),
                            self.input.name,
                            if self.table.sheet.is_some() { "row" } else { "line" },
                            first.line
                        ),
                    )
                    .at(self.table.span(row, agency), "a second row")
                    .help("a statistics table has one row per agency: add the rows up, or keep the right one")
                });
                return;
            }
            rows[a] = Some(row.clone());
        });
        summary(out, &unknown, &path, "more rows name agencies not in the agencies file", false);
        summary(out, &twice, &path, "more agencies have a second row", true);
        summary(out, &nameless, &path, "more rows name no agency", true);
        summary(out, &misshapen, &path, "more problems in the shape of rows", true);
        let absent: Vec<String> = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.is_none())
            .map(|(a, _)| match near.get(&a) {
                Some((written, line)) => {
                    format!("{} (line {line} has {})", self.agencies[a].id, Quoted(written))
                }
                None => self.agencies[a].id.clone(),
            })
            .collect();
        let absent: Vec<&str> = absent.iter().map(String::as_str).collect();
        if !absent.is_empty() {
            out.push(
                Diagnostic::warning(
                    "no-row",
                    format!(
                        "{} of {} agencies have no row in table \"{}\" ({}): {}; their sub-criteria computed from it have no value unless an appraisal file gives one",
                        absent.len(),
                        self.agencies.len(),
                        self.input.name,
                        path,
                        list(&absent)
                    ),
                )
                .at(self.header_span(), "the table")
                .help("add a row for each agency the system reports on"),
            );
        }
        let (mut problems, mut noise) = (Capped::default(), Capped::default());
        let mut reported = std::collections::HashSet::new();
        for (t, columns) in leaves {
            let How::Value { expr, zero, rate_decimals, .. } = &t.compute.how else { continue };
            for (a, row) in rows.iter().enumerate() {
                let Some(row) = row else { continue };
                // A bare column holding a percent reaches the rule as a typed percent
                // does: 98,5% is 98.5 on bands and 0.985 on a ratio.
                if let Some(cell) = bare_column(expr).map(|name| columns[name])
                    && let Some(p) = row.get(cell).strip_suffix('%')
                    && let Ok(share) = self.count(row, cell)
                {
                    let mut percent = share;
                    let _ = percent.set_scale(share.scale().saturating_sub(2));
                    let shown = format!("{}%", p.trim());
                    let here = format!(
                        "{}: agency {}, node \"{}\"",
                        self.at(row, Some(cell)),
                        Quoted(&self.agencies[a].id),
                        t.node.code
                    );
                    // Held to what a typed percent is held to.
                    let refused = match &t.leaf.rule {
                        Rule::Ratio { .. } if percent > Decimal::ONE_HUNDRED => {
                            Some("is above 100%, which a rate cannot be".to_string())
                        }
                        Rule::Points { .. } => Some("is a percent, not a number of points".into()),
                        Rule::PerItem { .. } => Some("is a percent, not a count".into()),
                        _ => None,
                    };
                    if let Some(says) = refused {
                        problems.push(out, || {
                            Diagnostic::error("computed-value", format!("{here}: {shown} {says}"))
                                .at(self.table.span(row, cell), "this cell")
                                .help("check the figure, or the column the set reads")
                        });
                        continue;
                    }
                    let value = Value::Fraction(percent, Decimal::ONE_HUNDRED);
                    if let Some(doubt) = value.doubt(&shown, &t.leaf.rule) {
                        out.push(
                            doubted(doubt, &here, &shown)
                                .at(self.table.span(row, cell), "this cell"),
                        );
                    }
                    let derivation = self.derivation(&path, &shown, row);
                    done.layer.cells.push(Self::cell(a, t.id, value, row.line, shown, derivation));
                    continue;
                }
                let mut bad_cell: Option<(usize, Diagnostic)> = None;
                let mut spoilt: Option<(usize, Decimal)> = None;
                let evaluated = expr::evaluate(expr, &mut |name: &str| {
                    let i = columns[name];
                    let n = self.count(row, i).map_err(|d| bad_cell = Some((i, *d)))?;
                    if float_noise(n) {
                        spoilt = Some((i, n));
                    }
                    Ok(n)
                });
                // A count a spreadsheet wrote through a float (511.99999999999994) is
                // read as written, and said: the export meant a whole number.
                if let Some((i, n)) = spoilt
                    && reported.insert((row.line, i))
                {
                    noise.push(out, || {
                        Diagnostic::warning(
                            "float-noise",
                            format!(
                                "{}: column {}: {} is read as written, though it looks like the whole number {} a spreadsheet wrote through a float",
                                self.at(row, Some(i)),
                                Quoted(self.table.header.get(i)),
                                n,
                                n.round()
                            ),
                        )
                        .at(self.table.span(row, i), "almost a whole number")
                        .help("export the counts as whole numbers (format the column as a number with 0 decimals)")
                    });
                }
                let qa = Quoted(&self.agencies[a].id);
                let here = format!("{}: agency {qa}, node \"{}\"", self.at(row, None), t.node.code);
                let evaluated = match evaluated {
                    Ok(e) => e,
                    Err(EvalError::Column(())) => {
                        // A cell two leaves read is reported once.
                        if let Some((i, d)) = bad_cell
                            && reported.insert((row.line, i))
                        {
                            problems.push(out, || d);
                        }
                        continue;
                    }
                    Err(EvalError::DivisionByZero { shown }) => {
                        problems.push(out, || {
                            Diagnostic::error("division-by-zero", format!("{here}: {shown} divides by zero"))
                                .at(self.table.line_span(row), "this row")
                                .help("only the last division of an expression may have a zero divisor; correct the counts, or reorder the expression")
                        });
                        continue;
                    }
                };
                let value = match Self::value_of(t, &evaluated.value, *zero, *rate_decimals) {
                    Ok(v) => v,
                    Err((says, help)) => {
                        problems.push(out, || {
                            Diagnostic::error(
                                "computed-value",
                                format!("{here}: {} {says}", evaluated.shown),
                            )
                            .at(self.table.line_span(row), "this row")
                            .help(help)
                        });
                        continue;
                    }
                };
                // What a typed value would be warned of, a computed one is too.
                if let Some(doubt) = value.doubt("", &t.leaf.rule) {
                    out.push(
                        doubted(doubt, &here, &evaluated.shown)
                            .at(self.table.line_span(row), "this row"),
                    );
                }
                let derivation = self.derivation(&path, &evaluated.shown, row);
                done.layer.cells.push(Self::cell(
                    a,
                    t.id,
                    value,
                    row.line,
                    evaluated.shown,
                    derivation,
                ));
            }
        }
        summary(out, &problems, &path, "more computed values cannot be used", true);
        summary(
            out,
            &noise,
            &path,
            "more counts look like whole numbers written through a float",
            false,
        );
    }

    /// A cell of a row read as a count or a measured figure: digits, with a decimal
    /// point or comma, or a percent. Thousands separators are refused: `1.234` is a
    /// thousand and more in Vietnamese settings and one and a bit elsewhere.
    fn count(&self, row: &Row, i: usize) -> Result<Decimal, Box<Diagnostic>> {
        let text = row.get(i);
        let column = self.table.header.get(i);
        let bad = |expected: &str, help: &str| {
            Box::new(
                Diagnostic::error(
                    "unreadable-value",
                    format!(
                        "{}: column {}: {} is not {expected}",
                        self.at(row, Some(i)),
                        Quoted(column),
                        Quoted(text)
                    ),
                )
                .at(self.table.span(row, i), format!("expected {expected}"))
                .help(help.to_string()),
            )
        };
        if text.is_empty() {
            return Err(Box::new(
                Diagnostic::error(
                    "empty-cell",
                    format!("{}: column {} is empty", self.at(row, Some(i)), Quoted(column)),
                )
                .at(self.table.span(row, i), "no figure")
                .help("write 0 where the system counted nothing"),
            ));
        }
        if let Some(date) = self.table.sheet.as_ref().and_then(|s| s.date_at(row.line, i)) {
            return Err(bad(
                "a count",
                &format!(
                    "the cell holds a date, {}: Excel took what was typed for one; format the cell as a number and type the count again",
                    date.shown
                ),
            ));
        }
        let (body, percent) = match text.strip_suffix('%') {
            Some(b) => (b.trim_end(), true),
            None => (text, false),
        };
        let grouped = body.matches(['.', ',']).count() > 1
            || body.split(['.', ',']).nth(1).is_some_and(|after| after.len() == 3)
                && body.split(['.', ',']).next().is_some_and(|b| !b.is_empty() && b != "0");
        if grouped && !percent {
            let plain: String = body.chars().filter(char::is_ascii_digit).collect();
            return Err(bad(
                "a count written in digits alone",
                &format!(
                    "write {plain} without a thousands separator: {} can be read two ways",
                    Quoted(body)
                ),
            ));
        }
        let number = body.replace(',', ".");
        let ok = !number.is_empty()
            && number.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && !number.starts_with('.')
            && !number.ends_with('.');
        let digits = number.bytes().filter(u8::is_ascii_digit).count();
        if ok && digits > 28 {
            return Err(bad(
                "a count parindex holds",
                &format!("it has {digits} digits; counts of up to 28 digits are held exactly"),
            ));
        }
        let parsed = ok.then(|| Decimal::from_str_exact(&number).ok()).flatten();
        match parsed {
            // A percent is its number moved two places: exact, never a cut division.
            Some(n) if percent => {
                let mut share = n;
                share.set_scale(n.scale() + 2).map_err(|_| {
                    bad("a percent parindex holds", "a percent has at most 26 decimal places")
                })?;
                Ok(share)
            }
            Some(n) => Ok(n),
            None if body.trim_start().starts_with('-') => {
                Err(bad("a count", "counts are 0 or more"))
            }
            None => Err(bad(
                "a count",
                "a count is written in digits (1234), a figure with a decimal point or comma (12,5), or a percent (98,5%)",
            )),
        }
    }

    /// The value an evaluated expression gives the leaf, or what is wrong with it.
    fn value_of(
        target: &Target<'_>,
        outcome: &Outcome,
        zero: Option<Zero>,
        places: Option<u32>,
    ) -> Result<Value, (String, String)> {
        match outcome {
            Outcome::Number(number) => {
                if number.is_negative() {
                    return Err((
                        "is below zero".into(),
                        "a computed value is 0 or more: check the counts".into(),
                    ));
                }
                let n = expr::to_decimal(number).ok_or_else(|| {
                    (
                        "has no exact decimal value".to_string(),
                        "end the expression with its division, so that it is read as a rate a/b"
                            .to_string(),
                    )
                })?;
                // A computed number is held to what a typed one is.
                match &target.leaf.rule {
                    Rule::Ratio { .. } if n > Decimal::ONE => Err((
                        format!("is {}, above 1: a rate is a share from 0 to 1", n.normalize()),
                        "end the expression with its division (done / total); a percent column is divided by 100".into(),
                    )),
                    Rule::Points { .. } if n > target.node.max => Err((
                        format!("is {} points, above the sub-criterion's max of {}", n.normalize(), target.node.max.normalize()),
                        "check the figures, or the expression".into(),
                    )),
                    Rule::Points { step: Some(step) } if !crate::read::number::is_multiple(n, *step) => Err((
                        format!("is {} points, not a multiple of {} points", n.normalize(), step.normalize()),
                        "check the figures, or the expression".into(),
                    )),
                    Rule::PerItem { .. } if !n.fract().is_zero() => Err((
                        format!("is {}, not a whole count", n.normalize()),
                        "a count of late reports or complaints is a whole number: check the figures".into(),
                    )),
                    _ => Ok(Value::Number(n)),
                }
            }
            Outcome::Ratio { top, bottom } => {
                if top.is_negative() || bottom.is_negative() {
                    return Err((
                        "has a part below zero".into(),
                        "a rate's counts are 0 or more: check the counts".into(),
                    ));
                }
                if bottom.is_zero() {
                    if !top.is_zero() {
                        return Err((
                            "cannot be: the denominator is 0 but the numerator is not".into(),
                            "a rate of something out of nothing: check the counts".into(),
                        ));
                    }
                    return match (zero, target.leaf.na) {
                        (Some(Zero::Zero), _) => Ok(Value::Nothing),
                        (Some(Zero::Full), _) => Ok(Value::Full),
                        (Some(Zero::Na), _) | (None, Some(_)) => Ok(Value::Na),
                        (None, None) => Err((
                            "gives 0/0: there was nothing to count, and the sub-criterion does not allow \"not applicable\"".into(),
                            "say what nothing to count scores: zero = \"full\", \"zero\" or \"na\" in its compute, or na = true".into(),
                        )),
                    };
                }
                if matches!(target.leaf.rule, Rule::Ratio { .. }) && top > bottom {
                    return Err((
                        match expr::to_decimal(&expr::round_half_away(
                            &(top * BigRational::from_integer(BigInt::from(100)) / bottom),
                            2,
                        )) {
                            Some(p) => format!(
                                "is {}, above 100%, which a rate cannot be",
                                crate::read::value::shown_percent(p)
                            ),
                            None => "is above 100%, which a rate cannot be".to_string(),
                        },
                        "the part is larger than its whole: check both counts".into(),
                    ));
                }
                if let Some(places) = places {
                    let rounded = expr::round_half_away(&(top / bottom), places);
                    let scale = BigRational::from_integer(BigInt::from(10).pow(places));
                    let scaled = rounded * &scale;
                    return match (expr::to_decimal(&scaled), expr::to_decimal(&scale)) {
                        (Some(a), Some(b)) => Ok(Value::Fraction(a, b)),
                        _ => Err(too_large()),
                    };
                }
                if let (Some(a), Some(b)) = (expr::to_decimal(top), expr::to_decimal(bottom)) {
                    return Ok(Value::Fraction(a, b));
                }
                // Parts that are not decimals themselves (a third of a count): the rate
                // as one fraction of whole numbers.
                let rate = top / bottom;
                let (numer, denom) = (
                    BigRational::from_integer(rate.numer().clone()),
                    BigRational::from_integer(rate.denom().clone()),
                );
                match (expr::to_decimal(&numer), expr::to_decimal(&denom)) {
                    (Some(a), Some(b)) => Ok(Value::Fraction(a, b)),
                    _ => Err(too_large()),
                }
            }
        }
    }
}

fn too_large() -> (String, String) {
    (
        "has counts too large to hold exactly".into(),
        "counts of up to 28 digits are held exactly: check the figures".into(),
    )
}

/// The warning for a computed value a typed one would be warned of.
fn doubted(doubt: Doubt, here: &str, shown: &str) -> Diagnostic {
    match doubt {
        Doubt::LooksLikeFraction { read, top } => Diagnostic::warning(
            "looks-like-fraction",
            format!(
                "{here}: {shown} = {} is read as {}%, but the bands go up to {top}: is it a share meant as a percent?",
                read.normalize(),
                read.normalize()
            ),
        )
        .help("end the expression with its division (done / total), which bands read as a percent"),
        Doubt::AboveWhole { percent, .. } => Diagnostic::warning(
            "above-100-percent",
            format!(
                "{here}: {shown} is {}, above 100%: the part is larger than its whole",
                crate::read::value::shown_percent(percent)
            ),
        )
        .help("check both counts; the value is scored as it stands"),
    }
}

/// Whether a figure is a whole number spoilt by binary floating point: ten places or more,
/// within a millionth of a whole number, and not one.
fn float_noise(n: Decimal) -> bool {
    let off = (n - n.round()).abs();
    n.scale() >= 10 && !off.is_zero() && off < Decimal::new(1, 6)
}

/// The column an expression is, where it is one column and nothing else.
fn bare_column(expr: &crate::model::expr::Expr) -> Option<&str> {
    use crate::model::expr::Expr;
    match expr {
        Expr::Column { name, .. } => Some(name),
        Expr::Group(inner) => bare_column(inner),
        _ => None,
    }
}
