//! A statistics table: one row per agency, each computed leaf's expression over it,
//! every cell read as a count and every value held to what a typed one is.

use std::collections::HashMap;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Signed, Zero as _};
use rust_decimal::Decimal;

use super::{Capped, Computed, TableReader, Target, list, summary};
use crate::diagnostic::Diagnostic;
use crate::lang::Text;
use crate::model::compute::{How, Zero};
use crate::model::rule::Rule;
use crate::model::value::Value;
use crate::read::expr::{self, EvalError, Outcome};
use crate::read::table::Row;
use crate::read::value::Doubt;
use crate::text::{ascii_key, quote};
use crate::tr;

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
                    let at = self.at(row, Some(agency));
                    let (en, vi) = (&at.en, &at.vi);
                    Diagnostic::error(
                        "missing-agency",
                        tr!("{en}: the row names no agency", "{vi}: dòng này không ghi đơn vị"),
                    )
                    .at(self.table.span(row, agency), tr!("no agency id", "không có mã đơn vị"))
                });
                return;
            }
            let Some(a) = self.ids.get(id.as_bytes()).map(|a| a as usize) else {
                // An id the round has written otherwise (case, accents): kept for the
                // warning about agencies with no row, whatever the cap on the others.
                if let Some(&meant) = keys.get(ascii_key(id).as_str()) {
                    near.entry(meant).or_insert_with(|| (id.to_string(), row.line));
                }
                unknown.push(out, || self.unknown_agency(row, agency, id, &tr!("row", "dòng")));
                return;
            };
            if let Some(first) = &rows[a] {
                twice.push(out, || {
                    let at = self.at(row, None);
                    let (at_en, at_vi) = (&at.en, &at.vi);
                    let (id, table, line) = (quote(id), &self.input.name, first.line);
                    // A workbook's rows are rows to its user, a text file's are lines; in
                    // Vietnamese both are "dòng".
                    let on = if self.table.sheet.is_some() { "row" } else { "line" };
                    Diagnostic::error(
                        "duplicate-row",
                        tr!(
                            "{at_en}: agency {id} has a second row in table \"{table}\" (the first is on {on} {line})",
                            "{at_vi}: đơn vị {id} có dòng thứ hai trong bảng \"{table}\" (dòng thứ nhất là dòng {line})"
                        ),
                    )
                    .at(self.table.span(row, agency), tr!("a second row", "dòng thứ hai"))
                    .help(tr!(
                        "a statistics table has one row per agency: add the rows up, or keep the right one",
                        "bảng thống kê có mỗi đơn vị một dòng: hãy cộng gộp các dòng lại, hoặc chỉ giữ dòng đúng"
                    ))
                });
                return;
            }
            rows[a] = Some(row.clone());
        });
        summary(
            out,
            &unknown,
            &path,
            |n| {
                tr!(
                    "{n} more rows name agencies not in the agencies file",
                    "còn {n} dòng khác ghi đơn vị không có trong tệp danh sách đơn vị"
                )
            },
            false,
        );
        summary(
            out,
            &twice,
            &path,
            |n| tr!("{n} more agencies have a second row", "còn {n} đơn vị khác có dòng thứ hai"),
            true,
        );
        summary(
            out,
            &nameless,
            &path,
            |n| tr!("{n} more rows name no agency", "còn {n} dòng khác không ghi đơn vị"),
            true,
        );
        summary(
            out,
            &misshapen,
            &path,
            |n| {
                tr!(
                    "{n} more problems in the shape of rows",
                    "còn {n} lỗi khác về cấu trúc của các dòng"
                )
            },
            true,
        );
        // Each agency with no row, in both languages: an id written otherwise is named.
        let (absent_en, absent_vi): (Vec<String>, Vec<String>) = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.is_none())
            .map(|(a, _)| {
                let id = &self.agencies[a].id;
                match near.get(&a) {
                    Some((written, line)) => {
                        let written = quote(written);
                        let named = tr!(
                            "{id} (line {line} has {written})",
                            "{id} (dòng {line} ghi {written})"
                        );
                        (named.en, named.vi)
                    }
                    None => (id.clone(), id.clone()),
                }
            })
            .unzip();
        if !absent_en.is_empty() {
            let listed =
                |names: &[String]| list(&names.iter().map(String::as_str).collect::<Vec<_>>());
            let (listed_en, listed_vi) = (listed(&absent_en).en, listed(&absent_vi).vi);
            let (count, all, table) = (absent_en.len(), self.agencies.len(), &self.input.name);
            out.push(
                Diagnostic::warning(
                    "no-row",
                    tr!(
                        "{count} of {all} agencies have no row in table \"{table}\" ({path}): {listed_en}; their sub-criteria computed from it have no value unless an appraisal file gives one",
                        "{count} trên {all} đơn vị không có dòng nào trong bảng \"{table}\" ({path}): {listed_vi}; các tiêu chí thành phần tính từ bảng này của các đơn vị đó sẽ không có giá trị, trừ khi tệp thẩm định cho giá trị"
                    ),
                )
                .at(self.header_span(), tr!("the table", "bảng số liệu"))
                .help(tr!(
                    "add a row for each agency the system reports on",
                    "hãy thêm một dòng cho mỗi đơn vị mà hệ thống có số liệu"
                )),
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
                    let here = || self.here(row, Some(cell), a, &t.node.code);
                    // Held to what a typed percent is held to.
                    let refused = match &t.leaf.rule {
                        Rule::Ratio { .. } if percent > Decimal::ONE_HUNDRED => Some(tr!(
                            "is above 100%, which a rate cannot be",
                            "lớn hơn 100%, mà tỷ lệ thì không thể như vậy"
                        )),
                        Rule::Points { .. } => Some(tr!(
                            "is a percent, not a number of points",
                            "là phần trăm, không phải số điểm"
                        )),
                        Rule::PerItem { .. } => Some(tr!(
                            "is a percent, not a count",
                            "là phần trăm, không phải số đếm"
                        )),
                        _ => None,
                    };
                    if let Some(says) = refused {
                        problems.push(out, || {
                            Diagnostic::error("computed-value", said(&here(), &shown, &says))
                                .at(self.table.span(row, cell), this_cell())
                                .help(tr!(
                                    "check the figure, or the column the set reads",
                                    "hãy kiểm tra số liệu, hoặc cột mà bộ tiêu chí đọc"
                                ))
                        });
                        continue;
                    }
                    let value = Value::Fraction(percent, Decimal::ONE_HUNDRED);
                    if let Some(doubt) = value.doubt(&shown, &t.leaf.rule) {
                        out.push(
                            doubted(doubt, &here(), &shown)
                                .at(self.table.span(row, cell), this_cell()),
                        );
                    }
                    let derivation = self.derivation(a, &path, &shown, row);
                    done.layer.cells.push(Self::cell(a, t.id, value, row.line, shown, derivation));
                    continue;
                }
                let mut bad_cell: Option<(usize, Diagnostic)> = None;
                let mut spoilt: Option<(usize, Decimal)> = None;
                // The expression with the row's figures in place of its columns, for the
                // explanation and for messages: written out at once where the explanation
                // is kept, else only when a message needs it.
                let keep = self.texts.of(a);
                let mut written: Option<String> = None;
                let mut column = |name: &str| {
                    let i = columns[name];
                    let n = self.count(row, i).map_err(|d| bad_cell = Some((i, *d)))?;
                    if float_noise(n) {
                        spoilt = Some((i, n));
                    }
                    Ok(n)
                };
                let evaluated = if keep {
                    match expr::evaluate(expr, &mut column) {
                        Ok(evaluated) => {
                            written = Some(evaluated.shown);
                            Ok(evaluated.value)
                        }
                        Err(EvalError::DivisionByZero { shown }) => {
                            written = Some(shown.clone());
                            Err(EvalError::DivisionByZero { shown })
                        }
                        Err(e) => Err(e),
                    }
                } else {
                    expr::evaluate_value(expr, &mut column)
                };
                let shown = || {
                    written.clone().unwrap_or_else(|| {
                        match expr::evaluate(expr, &mut |name: &str| {
                            self.count(row, columns[name]).map_err(|_| ())
                        }) {
                            Ok(evaluated) => evaluated.shown,
                            Err(EvalError::DivisionByZero { shown }) => shown,
                            Err(EvalError::Column(())) => String::new(),
                        }
                    })
                };
                // A count a spreadsheet wrote through a float (511.99999999999994) is
                // read as written, and said: the export meant a whole number.
                if let Some((i, n)) = spoilt
                    && reported.insert((row.line, i))
                {
                    noise.push(out, || {
                        let at = self.at(row, Some(i));
                        let (at_en, at_vi) = (&at.en, &at.vi);
                        let (column, whole) = (quote(self.table.header.get(i)), n.round());
                        Diagnostic::warning(
                            "float-noise",
                            tr!(
                                "{at_en}: column {column}: {n} is read as written, though it looks like the whole number {whole} a spreadsheet wrote through a float",
                                "{at_vi}: cột {column}: {n} được đọc đúng như đã ghi, dù trông như số nguyên {whole} bị bảng tính ghi lệch do sai số của số thực (dấu phẩy động)"
                            ),
                        )
                        .at(self.table.span(row, i), tr!("almost a whole number", "gần như số nguyên"))
                        .help(tr!(
                            "export the counts as whole numbers (format the column as a number with 0 decimals)",
                            "hãy xuất các số đếm dưới dạng số nguyên (định dạng cột là số với 0 chữ số thập phân)"
                        ))
                    });
                }
                // Worked out only for a message: most rows give none.
                let here = || self.here(row, None, a, &t.node.code);
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
                    Err(EvalError::DivisionByZero { .. }) => {
                        problems.push(out, || {
                            let shown = shown();
                            let here = here();
                            let (en, vi) = (&here.en, &here.vi);
                            Diagnostic::error(
                                "division-by-zero",
                                tr!("{en}: {shown} divides by zero", "{vi}: {shown} chia cho 0"),
                            )
                            .at(self.table.line_span(row), this_row())
                            .help(tr!(
                                "only the last division of an expression may have a zero divisor; correct the counts, or reorder the expression",
                                "chỉ phép chia cuối cùng của biểu thức mới được có số chia bằng 0; hãy sửa các số đếm, hoặc sắp xếp lại biểu thức"
                            ))
                        });
                        continue;
                    }
                };
                let value = match Self::value_of(t, &evaluated, *zero, *rate_decimals) {
                    Ok(v) => v,
                    Err((says, help)) => {
                        problems.push(out, || {
                            Diagnostic::error("computed-value", said(&here(), &shown(), &says))
                                .at(self.table.line_span(row), this_row())
                                .help(help)
                        });
                        continue;
                    }
                };
                // What a typed value would be warned of, a computed one is too.
                if let Some(doubt) = value.doubt("", &t.leaf.rule) {
                    out.push(
                        doubted(doubt, &here(), &shown()).at(self.table.line_span(row), this_row()),
                    );
                }
                // The text is kept with the derivation alone.
                let raw = if keep { shown() } else { String::new() };
                let derivation = self.derivation(a, &path, &raw, row);
                done.layer.cells.push(Self::cell(a, t.id, value, row.line, raw, derivation));
            }
        }
        summary(
            out,
            &problems,
            &path,
            |n| {
                tr!(
                    "{n} more computed values cannot be used",
                    "còn {n} giá trị tính được khác không dùng được"
                )
            },
            true,
        );
        summary(
            out,
            &noise,
            &path,
            |n| {
                tr!(
                    "{n} more counts look like whole numbers written through a float",
                    "còn {n} số đếm khác trông như số nguyên bị ghi lệch do sai số của số thực"
                )
            },
            false,
        );
    }

    /// Which value a message is about: `PLACE: agency "ID", node "CODE"`.
    fn here(&self, row: &Row, column: Option<usize>, agency: usize, code: &str) -> Text {
        let at = self.at(row, column);
        let (en, vi) = (&at.en, &at.vi);
        let id = quote(&self.agencies[agency].id);
        tr!("{en}: agency {id}, node \"{code}\"", "{vi}: đơn vị {id}, mục \"{code}\"")
    }

    /// A cell of a row read as a count or a measured figure: digits, with a decimal
    /// point or comma, or a percent. Thousands separators are refused: `1.234` is a
    /// thousand and more in Vietnamese settings and one and a bit elsewhere.
    fn count(&self, row: &Row, i: usize) -> Result<Decimal, Box<Diagnostic>> {
        let text = row.get(i);
        let column = self.table.header.get(i);
        // Worked out only for a message: most cells read without one.
        let at = || (self.at(row, Some(i)), quote(column));
        let bad = |expected: Text, help: Text| {
            let (at, quoted) = at();
            let (at_en, at_vi) = (&at.en, &at.vi);
            let (expected_en, expected_vi) = (&expected.en, &expected.vi);
            let text = quote(text);
            Box::new(
                Diagnostic::error(
                    "unreadable-value",
                    tr!(
                        "{at_en}: column {quoted}: {text} is not {expected_en}",
                        "{at_vi}: cột {quoted}: {text} không phải là {expected_vi}"
                    ),
                )
                .at(self.table.span(row, i), tr!("expected {expected_en}", "cần {expected_vi}"))
                .help(help),
            )
        };
        let a_count = || tr!("a count", "số đếm");
        if text.is_empty() {
            let (at, quoted) = at();
            let (at_en, at_vi) = (&at.en, &at.vi);
            return Err(Box::new(
                Diagnostic::error(
                    "empty-cell",
                    tr!("{at_en}: column {quoted} is empty", "{at_vi}: cột {quoted} để trống"),
                )
                .at(self.table.span(row, i), tr!("no figure", "không có số liệu"))
                .help(tr!(
                    "write 0 where the system counted nothing",
                    "hãy ghi 0 nếu hệ thống không đếm được gì"
                )),
            ));
        }
        if let Some(date) = self.table.sheet.as_ref().and_then(|s| s.date_at(row.line, i)) {
            let date = &date.shown;
            return Err(bad(
                a_count(),
                tr!(
                    "the cell holds a date, {date}: Excel took what was typed for one; format the cell as a number and type the count again",
                    "ô này chứa ngày tháng, {date}: Excel đã hiểu nội dung nhập vào là ngày tháng; hãy định dạng ô là số (Number) rồi nhập lại số đếm"
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
            let body = quote(body);
            return Err(bad(
                tr!("a count written in digits alone", "số đếm chỉ gồm chữ số"),
                tr!(
                    "write {plain} without a thousands separator: {body} can be read two ways",
                    "hãy ghi {plain} mà không có dấu phân cách hàng nghìn: {body} có thể hiểu theo hai cách"
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
                tr!("a count parindex holds", "số đếm mà parindex lưu được"),
                tr!(
                    "it has {digits} digits; counts of up to 28 digits are held exactly",
                    "số này có {digits} chữ số; parindex lưu chính xác được số đếm có tối đa 28 chữ số"
                ),
            ));
        }
        let parsed = ok.then(|| Decimal::from_str_exact(&number).ok()).flatten();
        match parsed {
            // A percent is its number moved two places: exact, never a cut division.
            Some(n) if percent => {
                let mut share = n;
                share.set_scale(n.scale() + 2).map_err(|_| {
                    bad(
                        tr!("a percent parindex holds", "phần trăm mà parindex lưu được"),
                        tr!(
                            "a percent has at most 26 decimal places",
                            "phần trăm có tối đa 26 chữ số thập phân"
                        ),
                    )
                })?;
                Ok(share)
            }
            Some(n) => Ok(n),
            None if body.trim_start().starts_with('-') => {
                Err(bad(a_count(), tr!("counts are 0 or more", "số đếm phải từ 0 trở lên")))
            }
            None => Err(bad(
                a_count(),
                tr!(
                    "a count is written in digits (1234), a figure with a decimal point or comma (12,5), or a percent (98,5%)",
                    "số đếm được viết bằng chữ số (1234), số có dấu chấm hoặc dấu phẩy thập phân (12,5), hoặc phần trăm (98,5%)"
                ),
            )),
        }
    }

    /// The value an evaluated expression gives the leaf, or what is wrong with it.
    fn value_of(
        target: &Target<'_>,
        outcome: &Outcome,
        zero: Option<Zero>,
        places: Option<u32>,
    ) -> Result<Value, (Text, Text)> {
        let check_figures =
            || tr!("check the figures, or the expression", "hãy kiểm tra số liệu, hoặc biểu thức");
        match outcome {
            Outcome::Number(number) => {
                if number.is_negative() {
                    return Err((
                        tr!("is below zero", "nhỏ hơn 0"),
                        tr!(
                            "a computed value is 0 or more: check the counts",
                            "giá trị tính được phải từ 0 trở lên: hãy kiểm tra các số đếm"
                        ),
                    ));
                }
                let n = expr::to_decimal(number).ok_or_else(|| {
                    (
                        tr!("has no exact decimal value", "không có giá trị thập phân chính xác"),
                        tr!(
                            "end the expression with its division, so that it is read as a rate a/b",
                            "hãy để phép chia ở cuối biểu thức, để kết quả được đọc như tỷ lệ a/b"
                        ),
                    )
                })?;
                let shown = n.normalize();
                // A computed number is held to what a typed one is.
                match &target.leaf.rule {
                    Rule::Ratio { .. } if n > Decimal::ONE => Err((
                        tr!(
                            "is {shown}, above 1: a rate is a share from 0 to 1",
                            "bằng {shown}, lớn hơn 1: tỷ lệ là một phần từ 0 đến 1"
                        ),
                        tr!(
                            "end the expression with its division (done / total); a percent column is divided by 100",
                            "hãy để phép chia ở cuối biểu thức (số đã làm / tổng số); cột phần trăm thì chia cho 100"
                        ),
                    )),
                    Rule::Points { .. } if n > target.node.max => {
                        let max = target.node.max.normalize();
                        Err((
                            tr!(
                                "is {shown} points, above the sub-criterion's max of {max}",
                                "bằng {shown} điểm, vượt điểm tối đa {max} của tiêu chí thành phần"
                            ),
                            check_figures(),
                        ))
                    }
                    Rule::Points { step: Some(step) }
                        if !crate::read::number::is_multiple(n, *step) =>
                    {
                        let step = step.normalize();
                        Err((
                            tr!(
                                "is {shown} points, not a multiple of {step} points",
                                "bằng {shown} điểm, không phải bội số của {step} điểm"
                            ),
                            check_figures(),
                        ))
                    }
                    Rule::PerItem { .. } if !n.fract().is_zero() => Err((
                        tr!(
                            "is {shown}, not a whole count",
                            "bằng {shown}, không phải số đếm nguyên"
                        ),
                        tr!(
                            "a count of late reports or complaints is a whole number: check the figures",
                            "số báo cáo trễ hạn hay số khiếu nại phải là số nguyên: hãy kiểm tra số liệu"
                        ),
                    )),
                    _ => Ok(Value::Number(n)),
                }
            }
            Outcome::Ratio { top, bottom } => {
                if top.is_negative() || bottom.is_negative() {
                    return Err((
                        tr!("has a part below zero", "có một thành phần nhỏ hơn 0"),
                        tr!(
                            "a rate's counts are 0 or more: check the counts",
                            "các số đếm của tỷ lệ phải từ 0 trở lên: hãy kiểm tra các số đếm"
                        ),
                    ));
                }
                if bottom.is_zero() {
                    if !top.is_zero() {
                        return Err((
                            tr!(
                                "cannot be: the denominator is 0 but the numerator is not",
                                "không hợp lệ: mẫu số bằng 0 nhưng tử số thì không"
                            ),
                            tr!(
                                "a rate of something out of nothing: check the counts",
                                "không thể có tỷ lệ của một số trên con số 0: hãy kiểm tra các số đếm"
                            ),
                        ));
                    }
                    return match (zero, target.leaf.na) {
                        (Some(Zero::Zero), _) => Ok(Value::Nothing),
                        (Some(Zero::Full), _) => Ok(Value::Full),
                        (Some(Zero::Na), _) | (None, Some(_)) => Ok(Value::Na),
                        (None, None) => Err((
                            tr!(
                                "gives 0/0: there was nothing to count, and the sub-criterion does not allow \"not applicable\"",
                                "cho ra 0/0: không có gì để đếm, mà tiêu chí thành phần không cho phép \"không phát sinh\""
                            ),
                            tr!(
                                "say what nothing to count scores: zero = \"full\", \"zero\" or \"na\" in its compute, or na = true",
                                "hãy quy định khi không có gì để đếm thì chấm thế nào: zero = \"full\", \"zero\" hoặc \"na\" trong compute của tiêu chí, hoặc na = true"
                            ),
                        )),
                    };
                }
                if matches!(target.leaf.rule, Rule::Ratio { .. }) && top > bottom {
                    return Err((
                        match expr::to_decimal(&expr::round_half_away(
                            &(top * BigRational::from_integer(BigInt::from(100)) / bottom),
                            2,
                        )) {
                            Some(p) => {
                                let p = crate::read::value::shown_percent(p);
                                tr!(
                                    "is {p}, above 100%, which a rate cannot be",
                                    "bằng {p}, lớn hơn 100%, mà tỷ lệ thì không thể như vậy"
                                )
                            }
                            None => tr!(
                                "is above 100%, which a rate cannot be",
                                "lớn hơn 100%, mà tỷ lệ thì không thể như vậy"
                            ),
                        },
                        tr!(
                            "the part is larger than its whole: check both counts",
                            "phần lớn hơn cả tổng: hãy kiểm tra cả hai số đếm"
                        ),
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

fn too_large() -> (Text, Text) {
    (
        tr!("has counts too large to hold exactly", "có số đếm quá lớn để lưu chính xác"),
        tr!(
            "counts of up to 28 digits are held exactly: check the figures",
            "parindex lưu chính xác được số đếm có tối đa 28 chữ số: hãy kiểm tra số liệu"
        ),
    )
}

/// `HERE: SHOWN SAYS`: what is wrong with a value, after the value.
fn said(here: &Text, shown: &str, says: &Text) -> Text {
    let (here_en, here_vi, says_en, says_vi) = (&here.en, &here.vi, &says.en, &says.vi);
    tr!("{here_en}: {shown} {says_en}", "{here_vi}: {shown} {says_vi}")
}

/// The label of a cell a message is about.
fn this_cell() -> Text {
    tr!("this cell", "ô này")
}

/// The label of a row a message is about.
fn this_row() -> Text {
    tr!("this row", "dòng này")
}

/// The warning for a computed value a typed one would be warned of.
fn doubted(doubt: Doubt, here: &Text, shown: &str) -> Diagnostic {
    let (en, vi) = (&here.en, &here.vi);
    match doubt {
        Doubt::LooksLikeFraction { read, top } => {
            let read = read.normalize();
            Diagnostic::warning(
                "looks-like-fraction",
                tr!(
                    "{en}: {shown} = {read} is read as {read}%, but the bands go up to {top}: is it a share meant as a percent?",
                    "{vi}: {shown} = {read} được đọc là {read}%, nhưng các khoảng lên đến {top}: phải chăng đây là tỷ lệ dạng số thập phân mà ý là phần trăm?"
                ),
            )
            .help(tr!(
                "end the expression with its division (done / total), which bands read as a percent",
                "hãy để phép chia ở cuối biểu thức (số đã làm / tổng số), khi đó các khoảng sẽ đọc kết quả là phần trăm"
            ))
        }
        Doubt::AboveWhole { percent, .. } => {
            let percent = crate::read::value::shown_percent(percent);
            Diagnostic::warning(
                "above-100-percent",
                tr!(
                    "{en}: {shown} is {percent}, above 100%: the part is larger than its whole",
                    "{vi}: {shown} bằng {percent}, lớn hơn 100%: phần lớn hơn cả tổng"
                ),
            )
            .help(tr!(
                "check both counts; the value is scored as it stands",
                "hãy kiểm tra cả hai số đếm; giá trị vẫn được chấm như hiện có"
            ))
        }
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
