//! Reading and evaluating the `value` of a `compute` leaf: the arithmetic expression over
//! the columns of one agency's row (`(dung_han + dang_xu_ly_trong_han) / tiep_nhan`).
//! This module owns the expression language: what it accepts, the messages that explain
//! what it refuses, and exact evaluation in rationals, so that counts of any size stay
//! exact and a division last is kept apart as a ratio for the rule to read.

use std::fmt;
use std::ops::Range;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Zero};
use rust_decimal::Decimal;

use crate::lang::Text;
use crate::model::expr::{Expr, Func, Op};
use crate::tr;

/// The longest expression read, in bytes: far above any real calculation, and low
/// enough that no text makes a tree more than about a thousand deep.
pub(crate) const MAX_LEN: usize = 2000;

/// How deep parentheses and calls may nest. Reading is recursive, one level per
/// parenthesis; the limit keeps hostile text from exhausting the stack.
pub(crate) const MAX_DEPTH: usize = 64;

/// The most significant digits, and the most decimal places, a number may have: what a
/// `Decimal` holds exactly.
pub(crate) const MAX_DIGITS: usize = 28;

/// What the expression is made of, said in messages that refuse something else.
const LANGUAGE: &str =
    "column names, numbers, `+`, `-`, `*`, `/`, parentheses, `min(…)` and `max(…)`";
const LANGUAGE_VI: &str = "tên cột, số, `+`, `-`, `*`, `/`, dấu ngoặc đơn, `min(…)` và `max(…)`";

/// Why an expression cannot be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExprError {
    /// Byte offsets into the text of the offending token; empty at the end of the text
    /// when the expression ends too soon.
    pub span: Range<usize>,
    /// A full sentence, quoting what was found.
    pub message: Text,
    /// A few words to show under the offending token.
    pub label: Text,
    /// What to write instead, when that can be told; boxed, as it is often absent, to
    /// keep the error small enough to return by value.
    pub help: Option<Box<Text>>,
}

impl ExprError {
    fn new(span: Range<usize>, message: Text, label: Text) -> Self {
        ExprError { span, message, label, help: None }
    }

    fn help(mut self, help: Text) -> Self {
        self.help = Some(Box::new(help));
        self
    }
}

// An `Error` is displayed in one language; logs and panics read English.
impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message.en)
    }
}

impl std::error::Error for ExprError {}

/// The value of an expression for one agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Evaluated {
    pub value: Outcome,
    /// The expression with each column replaced by its value, written as Display writes
    /// the expression: "(512 + 3) / 530".
    pub shown: String,
}

/// What an expression comes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The last operation was a division: top / bottom, kept apart (bottom may be zero:
    /// the caller decides what 0 means).
    Ratio { top: BigRational, bottom: BigRational },
    /// Any other last operation, or none.
    Number(BigRational),
}

/// Why an expression has no value for an agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EvalError<E> {
    /// The caller could not give a column's value; its own error, untouched.
    Column(E),
    /// A division by zero that is not the last operation.
    DivisionByZero {
        /// The division whose divisor is 0, with values substituted: "12 / (4 - 4)".
        shown: String,
    },
}

impl<E: fmt::Display> fmt::Display for EvalError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalError::Column(e) => e.fmt(f),
            EvalError::DivisionByZero { shown } => write!(f, "`{shown}` divides by zero"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for EvalError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EvalError::Column(e) => Some(e),
            EvalError::DivisionByZero { .. } => None,
        }
    }
}

/// Reads an expression: column names, numbers, `+ - * /` with the usual precedence and
/// left to right, unary minus, parentheses, `min(…)` and `max(…)` of two or more values.
pub(crate) fn parse(text: &str) -> Result<Expr, ExprError> {
    if text.len() > MAX_LEN {
        let cut = floor_boundary(text, MAX_LEN);
        return Err(ExprError::new(
            cut..text.len(),
            tr!(
                "the expression is {} bytes long; at most {MAX_LEN} are allowed",
                "biểu thức dài {} byte; chỉ được tối đa {MAX_LEN} byte",
                text.len()
            ),
            tr!("past {MAX_LEN} bytes", "quá {MAX_LEN} byte"),
        )
        .help(tr!(
            "split the calculation into simpler columns of the table",
            "hãy tách phép tính thành các cột đơn giản hơn trong bảng số liệu"
        )));
    }
    if text.trim().is_empty() {
        return Err(ExprError::new(
            0..text.len(),
            tr!(
                "the expression is empty: it should calculate a value from the table's columns",
                "biểu thức đang trống: biểu thức cần tính ra một giá trị từ các cột của bảng số liệu"
            ),
            tr!("nothing to calculate", "không có gì để tính"),
        )
        .help(tr!(
            "write, for example, `(dung_han + dang_xu_ly_trong_han) / tiep_nhan`",
            "ví dụ, hãy viết `(dung_han + dang_xu_ly_trong_han) / tiep_nhan`"
        )));
    }
    let mut parser =
        Parser { text, lexer: Lexer { text, pos: 0 }, peeked: None, prev: None, depth: 0 };
    let expr = parser.sum(&Within::Top)?;
    let next = parser.peek()?;
    if matches!(next.kind, Kind::End) {
        Ok(expr)
    } else {
        Err(parser.after_operand(&next, &Within::Top))
    }
}

/// Evaluates an expression exactly, with `column` giving the agency's value of each
/// named column (its errors pass through as [`EvalError::Column`]). Columns are asked
/// for in order of appearance, and evaluation stops at the first error.
pub(crate) fn evaluate<E>(
    expr: &Expr,
    column: &mut dyn FnMut(&str) -> Result<Decimal, E>,
) -> Result<Evaluated, EvalError<E>> {
    evaluate_showing(expr, column, true)
}

/// What [`evaluate`] gives, without writing the expression out with its values: for a
/// table of a hundred thousand rows whose texts are not kept. A division by zero is said
/// with an empty text: evaluate again to show it.
pub(crate) fn evaluate_value<E>(
    expr: &Expr,
    column: &mut dyn FnMut(&str) -> Result<Decimal, E>,
) -> Result<Outcome, EvalError<E>> {
    evaluate_showing(expr, column, false).map(|e| e.value)
}

fn evaluate_showing<E>(
    expr: &Expr,
    column: &mut dyn FnMut(&str) -> Result<Decimal, E>,
    show: bool,
) -> Result<Evaluated, EvalError<E>> {
    // Worked in machine integers first, every step checked: a statistics table of a
    // hundred thousand rows is evaluated without an allocation per number. Counts too
    // large for them are worked again in unbounded rationals, to the same value.
    match evaluate_in::<Small, E>(expr, column, show) {
        Ok(Some(evaluated)) => Ok(evaluated),
        Ok(None) => Ok(evaluate_in::<BigRational, E>(expr, column, show)?
            .expect("unbounded rationals do not overflow")),
        Err(e) => Err(e),
    }
}

/// [`evaluate`] in numbers `N`; `None` where they overflow. Written out only if `show`.
fn evaluate_in<N: Number, E>(
    expr: &Expr,
    column: &mut dyn FnMut(&str) -> Result<Decimal, E>,
    show: bool,
) -> Result<Option<Evaluated>, EvalError<E>> {
    let mut groups = 0;
    let mut last = expr;
    while let Expr::Group(inner) = last {
        groups += 1;
        last = inner;
    }
    if let Expr::Binary { op: Op::Div, left, right } = last {
        // The last division is kept apart: a zero bottom is the rule's to read, not an
        // error here.
        let Some((top, top_shown)) = value::<N, E>(left, column, show)? else { return Ok(None) };
        let Some((bottom, bottom_shown)) = value::<N, E>(right, column, show)? else {
            return Ok(None);
        };
        let shown = if show {
            format!("{}{top_shown} / {bottom_shown}{}", "(".repeat(groups), ")".repeat(groups))
        } else {
            String::new()
        };
        let value = Outcome::Ratio { top: top.into_big(), bottom: bottom.into_big() };
        return Ok(Some(Evaluated { value, shown }));
    }
    let Some((number, shown)) = value::<N, E>(expr, column, show)? else { return Ok(None) };
    Ok(Some(Evaluated { value: Outcome::Number(number.into_big()), shown }))
}

/// The exact rationals an expression is worked in.
trait Number: Sized + Clone + Default {
    /// `n`, if it fits.
    fn of(n: Decimal) -> Option<Self>;
    fn is_zero(&self) -> bool;
    /// `None` where the result does not fit; never asked to divide by zero.
    fn apply(self, op: Op, other: Self) -> Option<Self>;
    fn neg(self) -> Option<Self>;
    fn min(self, other: Self) -> Self;
    fn max(self, other: Self) -> Self;
    fn into_big(self) -> BigRational;
}

impl Number for BigRational {
    fn of(n: Decimal) -> Option<Self> {
        Some(rational(n))
    }

    fn is_zero(&self) -> bool {
        Zero::is_zero(self)
    }

    fn apply(self, op: Op, other: Self) -> Option<Self> {
        Some(match op {
            Op::Add => self + other,
            Op::Sub => self - other,
            Op::Mul => self * other,
            Op::Div => self / other,
        })
    }

    fn neg(self) -> Option<Self> {
        Some(-self)
    }

    fn min(self, other: Self) -> Self {
        Ord::min(self, other)
    }

    fn max(self, other: Self) -> Self {
        Ord::max(self, other)
    }

    fn into_big(self) -> BigRational {
        self
    }
}

/// A rational in machine integers, always in lowest terms with a positive denominator,
/// both parts held under 2^120 so that no step can reach the ends of `i128`.
#[derive(Clone, Default)]
struct Small(num_rational::Ratio<i128>);

impl Small {
    const LIMIT: u128 = 1 << 120;

    fn checked(r: num_rational::Ratio<i128>) -> Option<Self> {
        (r.numer().unsigned_abs() < Self::LIMIT && r.denom().unsigned_abs() < Self::LIMIT)
            .then_some(Small(r))
    }
}

impl Number for Small {
    fn of(n: Decimal) -> Option<Self> {
        // A Decimal's mantissa is under 2^96, its scale at most 28: 10^28 is under 2^94.
        let denom = 10i128.checked_pow(n.scale())?;
        Self::checked(num_rational::Ratio::new(n.mantissa(), denom))
    }

    fn is_zero(&self) -> bool {
        Zero::is_zero(&self.0)
    }

    fn apply(self, op: Op, other: Self) -> Option<Self> {
        use num_traits::{CheckedAdd, CheckedDiv, CheckedMul, CheckedSub};
        let (a, b) = (&self.0, &other.0);
        Self::checked(match op {
            Op::Add => a.checked_add(b)?,
            Op::Sub => a.checked_sub(b)?,
            Op::Mul => a.checked_mul(b)?,
            Op::Div => a.checked_div(b)?,
        })
    }

    fn neg(self) -> Option<Self> {
        Self::checked(-self.0)
    }

    fn min(self, other: Self) -> Self {
        Small(Ord::min(self.0, other.0))
    }

    fn max(self, other: Self) -> Self {
        Small(Ord::max(self.0, other.0))
    }

    fn into_big(self) -> BigRational {
        let (numer, denom) = self.0.into_raw();
        // Already in lowest terms with a positive denominator, as `BigRational::new`
        // would make it.
        BigRational::new_raw(BigInt::from(numer), BigInt::from(denom))
    }
}

/// The exact `Decimal` a rational is, when it is one: its denominator a product of 2s
/// and 5s, and it fits a `Decimal` (at most 28 decimal places, a mantissa under 2^96).
pub(crate) fn to_decimal(r: &BigRational) -> Option<Decimal> {
    // `reduced` divides by the denominator's factors; a hand-made zero denominator would
    // make it panic.
    if r.denom().is_zero() {
        return None;
    }
    // A count, the usual case: no factor to look for.
    if r.denom().is_one() {
        return Decimal::try_from_i128_with_scale(i128::try_from(r.numer()).ok()?, 0).ok();
    }
    let r = r.reduced();
    let two = BigInt::from(2);
    let five = BigInt::from(5);
    let max_scale = u32::try_from(MAX_DIGITS).ok()?;
    let mut rest = r.denom().clone();
    let (mut twos, mut fives) = (0u32, 0u32);
    // Each loop stops past 28: no Decimal has more places, so a denominator of 2^10000
    // is refused without dividing it 10000 times.
    while twos <= max_scale && (&rest % &two).is_zero() {
        rest /= &two;
        twos += 1;
    }
    while fives <= max_scale && (&rest % &five).is_zero() {
        rest /= &five;
        fives += 1;
    }
    if !rest.is_one() {
        return None;
    }
    let scale = twos.max(fives);
    if scale > max_scale {
        return None;
    }
    let mantissa = r.numer() * two.pow(scale - twos) * five.pow(scale - fives);
    Decimal::try_from_i128_with_scale(i128::try_from(mantissa).ok()?, scale).ok()
}

/// `r` rounded to `places` decimal places, half away from zero: 0.93245 at 4 is 0.9325,
/// -0.5 at 0 is -1. A hand-made rational with a zero denominator comes back as it is.
/// `places` is meant as a criteria set gives it, a handful: 10^places is computed in full.
pub(crate) fn round_half_away(r: &BigRational, places: u32) -> BigRational {
    if r.denom().is_zero() {
        return r.clone();
    }
    let scale = BigRational::from_integer(BigInt::from(10).pow(places));
    // `Ratio::round` rounds half-way cases away from zero.
    (r * &scale).round() / scale
}

/// The value of a sub-expression, and the sub-expression written with values in place
/// of columns. Worked through with a stack of its own rather than by recursion: a chain
/// `1 + 1 + …` of 2000 bytes nests a thousand deep, more than a thread's stack holds in
/// a debug build.
fn value<N: Number, E>(
    expr: &Expr,
    column: &mut dyn FnMut(&str) -> Result<Decimal, E>,
    show: bool,
) -> Result<Option<(N, String)>, EvalError<E>> {
    /// A node to enter (its operands not yet valued), or to finish from its operands'
    /// values, which lie on top of `done`.
    enum Step<'e> {
        Enter(&'e Expr),
        Finish(&'e Expr),
    }
    // Each step's text, only where it is shown.
    let text = |f: &dyn Fn() -> String| if show { f() } else { String::new() };
    let mut work = vec![Step::Enter(expr)];
    let mut done: Vec<(N, String)> = Vec::new();
    while let Some(step) = work.pop() {
        match step {
            Step::Enter(node) => match node {
                Expr::Number(n) => {
                    let Some(v) = N::of(*n) else { return Ok(None) };
                    done.push((v, text(&|| shown(*n))));
                }
                Expr::Column { name, .. } => {
                    let n = column(name).map_err(EvalError::Column)?;
                    let Some(v) = N::of(n) else { return Ok(None) };
                    done.push((v, text(&|| shown(n))));
                }
                Expr::Neg(inner) | Expr::Group(inner) => {
                    work.push(Step::Finish(node));
                    work.push(Step::Enter(inner));
                }
                Expr::Binary { left, right, .. } => {
                    work.push(Step::Finish(node));
                    work.push(Step::Enter(right));
                    work.push(Step::Enter(left));
                }
                Expr::Call { args, .. } => {
                    work.push(Step::Finish(node));
                    work.extend(args.iter().rev().map(Step::Enter));
                }
            },
            // Every operand entered has pushed exactly one value before its node is
            // finished; the defaults below are never taken.
            Step::Finish(node) => match node {
                Expr::Neg(_) => {
                    let (v, s) = done.pop().unwrap_or_default();
                    let Some(v) = v.neg() else { return Ok(None) };
                    done.push((v, text(&|| format!("-{s}"))));
                }
                Expr::Group(_) => {
                    let (v, s) = done.pop().unwrap_or_default();
                    done.push((v, text(&|| format!("({s})"))));
                }
                Expr::Binary { op, .. } => {
                    let (b, right_shown) = done.pop().unwrap_or_default();
                    let (a, left_shown) = done.pop().unwrap_or_default();
                    let s = text(&|| format!("{left_shown} {op} {right_shown}"));
                    if *op == Op::Div && b.is_zero() {
                        return Err(EvalError::DivisionByZero { shown: s });
                    }
                    let Some(v) = a.apply(*op, b) else { return Ok(None) };
                    done.push((v, s));
                }
                Expr::Call { func, args } => {
                    let values = done.split_off(done.len().saturating_sub(args.len()));
                    let mut best: Option<N> = None;
                    let mut parts = Vec::with_capacity(values.len());
                    for (v, s) in values {
                        parts.push(s);
                        best = Some(match (best, func) {
                            (None, _) => v,
                            (Some(b), Func::Min) => N::min(b, v),
                            (Some(b), Func::Max) => N::max(b, v),
                        });
                    }
                    // The parser makes no call without arguments; one made by hand
                    // counts as 0 rather than stopping the run.
                    let v = best.unwrap_or_default();
                    done.push((v, text(&|| format!("{func}({})", parts.join(", ")))));
                }
                Expr::Number(_) | Expr::Column { .. } => {}
            },
        }
    }
    Ok(Some(done.pop().unwrap_or_default()))
}

/// A `Decimal` as an exact rational.
fn rational(n: Decimal) -> BigRational {
    BigRational::new(BigInt::from(n.mantissa()), BigInt::from(10).pow(n.scale()))
}

/// A value as `shown` writes it: as `normalize` prints it, in parentheses when negative
/// so that `5 - (-3)` does not read as `5 - -3`.
fn shown(n: Decimal) -> String {
    let n = n.normalize();
    if n.is_sign_negative() && !n.is_zero() { format!("({n})") } else { n.to_string() }
}

/// The largest char boundary at or below `at`.
fn floor_boundary(text: &str, at: usize) -> usize {
    (0..=at.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0)
}

/// `text`, cut short with `…` when long, to quote in a message.
fn quote(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(MAX - 1).collect();
        cut.push('…');
        cut
    }
}

/// What a token is.
#[derive(Debug, Clone)]
enum Kind {
    Number(Decimal),
    Name(String),
    Plus,
    Minus,
    Star,
    Slash,
    Open,
    Close,
    Comma,
    End,
}

/// A token and where it stands in the text.
#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    span: Range<usize>,
}

/// Splits the text into tokens one at a time, as the parser asks, so that the first
/// error in reading order is the one reported.
struct Lexer<'t> {
    text: &'t str,
    pos: usize,
}

impl Lexer<'_> {
    fn next(&mut self) -> Result<Token, ExprError> {
        let rest = &self.text[self.pos..];
        let start = self.pos + (rest.len() - rest.trim_start().len());
        self.pos = start;
        let Some(c) = self.text[start..].chars().next() else {
            return Ok(Token { kind: Kind::End, span: start..start });
        };
        let single = match c {
            '+' => Some(Kind::Plus),
            '-' => Some(Kind::Minus),
            '*' => Some(Kind::Star),
            '/' => Some(Kind::Slash),
            '(' => Some(Kind::Open),
            ')' => Some(Kind::Close),
            ',' => Some(Kind::Comma),
            _ => None,
        };
        if let Some(kind) = single {
            self.pos = start + 1;
            return Ok(Token { kind, span: start..self.pos });
        }
        if c.is_ascii_digit() {
            return self.number(start);
        }
        if c.is_alphabetic() || c == '_' {
            let end = self.name_end(start);
            self.pos = end;
            return Ok(Token {
                kind: Kind::Name(self.text[start..end].to_owned()),
                span: start..end,
            });
        }
        if c == '.' && self.text[start + 1..].starts_with(|d: char| d.is_ascii_digit()) {
            let end = self.digits_end(start + 1);
            let literal = quote(&self.text[start..end]);
            return Err(ExprError::new(
                start..end,
                tr!(
                    "`{literal}` starts with a point: a number starts with a digit",
                    "`{literal}` bắt đầu bằng dấu chấm: số phải bắt đầu bằng một chữ số"
                ),
                tr!("starts with a point", "bắt đầu bằng dấu chấm"),
            )
            .help(tr!("write `0{literal}`", "hãy viết `0{literal}`")));
        }
        Err(unknown_character(c, start..start + c.len_utf8()))
    }

    /// Where the run of ASCII digits from `at` ends.
    fn digits_end(&self, at: usize) -> usize {
        self.text[at..].find(|c: char| !c.is_ascii_digit()).map_or(self.text.len(), |n| at + n)
    }

    /// Where the name that starts at `at` ends.
    fn name_end(&self, at: usize) -> usize {
        self.text[at..].find(|c: char| !is_name_char(c)).map_or(self.text.len(), |n| at + n)
    }

    /// A number: ASCII digits with an optional fraction after a point.
    fn number(&mut self, start: usize) -> Result<Token, ExprError> {
        let end = self.text[start..]
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .map_or(self.text.len(), |n| start + n);
        let literal = &self.text[start..end];
        if literal.matches('.').count() > 1 {
            return Err(ExprError::new(
                start..end,
                tr!(
                    "`{}` has more than one point: a number has at most one, before its decimals",
                    "`{}` có nhiều hơn một dấu chấm: một số chỉ có tối đa một dấu chấm, đặt trước phần thập phân",
                    quote(literal)
                ),
                tr!("not a number", "không phải là số"),
            )
            .help(tr!(
                "write numbers without thousands separators, as `1000000` or `0.5`",
                "hãy viết số không có dấu phân cách hàng nghìn, như `1000000` hoặc `0.5`"
            )));
        }
        if let Some(whole) = literal.strip_suffix('.') {
            return Err(ExprError::new(
                start..end,
                tr!(
                    "`{}` ends with a point: digits should follow it",
                    "`{}` kết thúc bằng dấu chấm: sau dấu chấm phải có chữ số",
                    quote(literal)
                ),
                tr!("digits should follow the point", "sau dấu chấm phải có chữ số"),
            )
            .help(tr!(
                "write `{}` or put the decimals after the point",
                "hãy viết `{}` hoặc ghi phần thập phân sau dấu chấm",
                quote(whole)
            )));
        }
        if let Some(next) = self.text[end..].chars().next()
            && let Some(error) = self.number_run_on(start, end, next)
        {
            return Err(error);
        }
        let (int, frac) = literal.split_once('.').unwrap_or((literal, ""));
        // Trailing zeros of the fraction and leading zeros of the whole change nothing.
        let frac = frac.trim_end_matches('0');
        let digits = format!("{int}{frac}");
        let significant = digits.trim_start_matches('0');
        if significant.len() > MAX_DIGITS {
            return Err(ExprError::new(
                start..end,
                tr!(
                    "`{}` has {} significant digits; a number may have at most {MAX_DIGITS}",
                    "`{}` có {} chữ số có nghĩa; một số chỉ được có tối đa {MAX_DIGITS} chữ số có nghĩa",
                    quote(literal),
                    significant.len()
                ),
                tr!("too many digits", "quá nhiều chữ số"),
            ));
        }
        if frac.len() > MAX_DIGITS {
            return Err(ExprError::new(
                start..end,
                tr!(
                    "`{}` has {} decimal places; a number may have at most {MAX_DIGITS}",
                    "`{}` có {} chữ số thập phân; một số chỉ được có tối đa {MAX_DIGITS} chữ số thập phân",
                    quote(literal),
                    frac.len()
                ),
                tr!("too many decimal places", "quá nhiều chữ số thập phân"),
            ));
        }
        let number = significant
            .parse::<i128>()
            .ok()
            .or(significant.is_empty().then_some(0))
            .zip(u32::try_from(frac.len()).ok())
            .and_then(|(mantissa, scale)| Decimal::try_from_i128_with_scale(mantissa, scale).ok());
        let Some(number) = number else {
            // Not reached: 28 digits and 28 places always fit a Decimal.
            return Err(ExprError::new(
                start..end,
                tr!("`{}` cannot be held exactly", "không thể lưu chính xác `{}`", quote(literal)),
                tr!("too many digits", "quá nhiều chữ số"),
            ));
        };
        self.pos = end;
        Ok(Token { kind: Kind::Number(number), span: start..end })
    }

    /// The error for a number that runs straight into a letter: `1e5`, `2a`, `1_000`.
    fn number_run_on(&self, start: usize, end: usize, next: char) -> Option<ExprError> {
        let after = &self.text[end + next.len_utf8()..];
        let exponent = matches!(next, 'e' | 'E')
            && (after.starts_with(|c: char| c.is_ascii_digit())
                || ((after.starts_with('+') || after.starts_with('-'))
                    && after[1..].starts_with(|c: char| c.is_ascii_digit())));
        if exponent {
            let sign = usize::from(!after.starts_with(|c: char| c.is_ascii_digit()));
            let stop = self.digits_end(end + 1 + sign);
            let literal = &self.text[start..stop];
            return Some(
                ExprError::new(
                    start..stop,
                    tr!(
                        "`{}` has an exponent: numbers are written in full",
                        "`{}` viết theo dạng số mũ: số phải được viết đầy đủ",
                        quote(literal)
                    ),
                    tr!("exponent not allowed", "không được dùng số mũ"),
                )
                .help(tr!(
                    "write every digit, as `100000` for `1e5`",
                    "hãy viết đủ mọi chữ số, như `100000` thay cho `1e5`"
                )),
            );
        }
        if next == '_' || next.is_alphabetic() {
            let stop = self.name_end(end);
            let literal = quote(&self.text[start..stop]);
            let (number, name) = (&self.text[start..end], &self.text[end..stop]);
            let digits_only = name.trim_start_matches('_').bytes().all(|b| b.is_ascii_digit());
            let (number, name) = (quote(number), quote(name));
            let error = ExprError::new(
                start..stop,
                tr!(
                    "`{literal}`: the number `{number}` runs straight into `{name}`",
                    "`{literal}`: số `{number}` bị viết liền với `{name}`"
                ),
                tr!("not a number or a name", "không phải là số cũng không phải là tên"),
            );
            return Some(if digits_only {
                error.help(tr!(
                    "write numbers without separators, as `1000`",
                    "hãy viết số không có dấu phân cách, như `1000`"
                ))
            } else {
                error.help(tr!(
                    "to multiply, write `{number} * {name}`; a column name starts with a letter or `_`",
                    "để nhân, hãy viết `{number} * {name}`; tên cột phải bắt đầu bằng một chữ cái hoặc `_`"
                ))
            });
        }
        None
    }
}

/// Whether `c` may continue a column name: a letter or digit of any script, `_`, or a
/// combining accent, so that a name typed in decomposed form (`u` + U+0301 for `ú`,
/// as some keyboards and files do in Vietnamese) reads as one name.
fn is_name_char(c: char) -> bool {
    c.is_alphanumeric()
        || c == '_'
        || matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// The error for a character that has no place in an expression.
fn unknown_character(c: char, span: Range<usize>) -> ExprError {
    let invisible = c.is_control()
        || matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}');
    let code = u32::from(c);
    let message = if invisible {
        tr!(
            "the invisible character U+{code:04X} cannot be used in an expression, which is made of {LANGUAGE}",
            "không được dùng ký tự ẩn U+{code:04X} trong biểu thức; biểu thức chỉ gồm {LANGUAGE_VI}"
        )
    } else {
        tr!(
            "`{c}` cannot be used in an expression, which is made of {LANGUAGE}",
            "không được dùng `{c}` trong biểu thức; biểu thức chỉ gồm {LANGUAGE_VI}"
        )
    };
    let error = ExprError::new(span, message, tr!("not allowed here", "không được dùng ở đây"));
    let help = match c {
        '%' => tr!(
            "write the share as a ratio, `a / b`: the rule reads it as it reads a typed `a/b`",
            "hãy viết tỷ lệ dưới dạng phép chia `a / b`: quy tắc chấm sẽ đọc kết quả như khi nhập `a/b`"
        ),
        '^' => tr!(
            "there is no power: multiply, as `a * a`",
            "không có phép lũy thừa: hãy nhân, như `a * a`"
        ),
        '=' | '<' | '>' | '!' | '≤' | '≥' | '≠' => tr!(
            "the expression calculates a value; comparing it is the rule's work",
            "biểu thức chỉ tính ra một giá trị; việc so sánh giá trị đó là của quy tắc chấm"
        ),
        ';' => tr!(
            "write a single expression; `min(…)` and `max(…)` separate their values with commas",
            "hãy viết một biểu thức duy nhất; `min(…)` và `max(…)` phân tách các giá trị bằng dấu phẩy"
        ),
        '×' | '·' | '∗' => tr!("write `*` to multiply", "hãy viết `*` để nhân"),
        '÷' | ':' => tr!("write `/` to divide", "hãy viết `/` để chia"),
        '−' | '–' | '—' | '‐' | '‑' => tr!(
            "write `-`, the hyphen-minus key, to subtract",
            "hãy viết `-` (phím gạch ngang trên bàn phím) để trừ"
        ),
        '[' | ']' | '{' | '}' => tr!(
            "group with round parentheses, `(` and `)`",
            "hãy nhóm bằng dấu ngoặc tròn `(` và `)`"
        ),
        '"' | '\'' | '`' | '“' | '”' | '‘' | '’' => {
            tr!("write column names without quotes", "hãy viết tên cột không có dấu nháy")
        }
        '.' => tr!(
            "a point belongs inside a number, as `0.5`",
            "dấu chấm chỉ đứng bên trong một số, như `0.5`"
        ),
        _ if c.is_numeric() => {
            tr!("write numbers with the digits 0 to 9", "hãy viết số bằng các chữ số từ 0 đến 9")
        }
        _ if invisible => tr!(
            "delete it; it often comes along when text is copied",
            "hãy xóa ký tự này; ký tự này thường bị lẫn vào khi sao chép văn bản"
        ),
        _ => return error,
    };
    error.help(help)
}

/// The function a name followed by `(` calls, in any case.
fn function(name: &str) -> Option<Func> {
    if name.eq_ignore_ascii_case("min") {
        Some(Func::Min)
    } else if name.eq_ignore_ascii_case("max") {
        Some(Func::Max)
    } else {
        None
    }
}

/// The error for a call of a function that does not exist.
fn unknown_function(name: &str, span: Range<usize>) -> ExprError {
    let error = ExprError::new(
        span,
        tr!(
            "`{}(` is not a function: the functions are `min(…)` and `max(…)`",
            "`{}(` không phải là hàm: chỉ có các hàm `min(…)` và `max(…)`",
            quote(name)
        ),
        tr!("no such function", "không có hàm này"),
    );
    let folded = name.to_lowercase();
    let help = match folded.as_str() {
        "sum" | "tong" | "tổng" => tr!(
            "to add, write the columns with `+` between them: `a + b + c`",
            "để cộng, hãy viết các cột với dấu `+` ở giữa: `a + b + c`"
        ),
        "avg" | "average" | "mean" | "trung_binh" | "trung_bình" => tr!(
            "for an average, add and divide: `(a + b) / 2`",
            "để tính trung bình, hãy cộng rồi chia: `(a + b) / 2`"
        ),
        "round" | "lam_tron" | "làm_tròn" => tr!(
            "leave out the rounding: the value is kept exact and rounded as the criteria set says",
            "hãy bỏ phần làm tròn: giá trị được giữ chính xác và làm tròn theo quy định của bộ tiêu chí"
        ),
        "abs" => tr!(
            "there is no `abs`: `max(a, -a)` is the size of `a`",
            "không có hàm `abs`: `max(a, -a)` là giá trị tuyệt đối của `a`"
        ),
        _ => match ["min", "max"].into_iter().find(|f| edit_distance(&folded, f) <= 1) {
            Some(near) => tr!("did you mean `{near}`?", "có phải là `{near}`?"),
            None => return error,
        },
    };
    error.help(help)
}

/// The edit distance between two short words, in characters (insertions, deletions,
/// substitutions).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The error for a `)` that closes nothing.
fn stray_close(token: &Token) -> ExprError {
    ExprError::new(
        token.span.clone(),
        tr!("this `)` closes no `(`", "dấu `)` này không đóng dấu `(` nào"),
        tr!("nothing to close", "không có gì để đóng"),
    )
    .help(tr!(
        "remove it, or add the `(` it closes",
        "hãy xóa dấu này, hoặc thêm dấu `(` tương ứng với nó"
    ))
}

/// What to write for a number typed with a comma, `0,5` or `1,000`: a comma before
/// exactly three digits may be a thousands separator, so both readings are offered.
fn thousands_or_decimals(written: &str) -> Text {
    let point = quote(&written.replacen(',', ".", 1));
    let (whole, after) = written.split_once(',').unwrap_or((written, ""));
    if after.len() == 3 && !whole.contains('.') {
        let whole = quote(&written.replacen(',', "", 1));
        tr!(
            "write `{point}` for a decimal, or `{whole}` for a whole number: numbers take no \
             thousands separators",
            "hãy viết `{point}` nếu là số thập phân, hoặc `{whole}` nếu là số nguyên: số không \
             dùng dấu phân cách hàng nghìn"
        )
    } else {
        tr!("write `{point}`, with a point", "hãy viết `{point}`, dùng dấu chấm")
    }
}

/// Where the parser stands: what may close the expression it is reading.
enum Within {
    /// The whole text: only its end.
    Top,
    /// Inside parentheses opened at `open`: only `)`.
    Group { open: Range<usize> },
    /// Inside the arguments of a call, `head` being `min(`: `,` or `)`.
    Call { func: Func, head: Range<usize> },
}

/// A recursive-descent parser: one function per level of precedence, each one loop, so
/// that chains nest to the left without recursion; only parentheses recurse, at most
/// `MAX_DEPTH` deep.
struct Parser<'t> {
    text: &'t str,
    lexer: Lexer<'t>,
    peeked: Option<Token>,
    /// The span of the token read last, to quote in messages.
    prev: Option<Range<usize>>,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&mut self) -> Result<Token, ExprError> {
        let token = match self.peeked.take() {
            Some(token) => token,
            None => self.lexer.next()?,
        };
        Ok(self.peeked.insert(token).clone())
    }

    fn bump(&mut self) -> Result<Token, ExprError> {
        let token = match self.peeked.take() {
            Some(token) => token,
            None => self.lexer.next()?,
        };
        self.prev = Some(token.span.clone());
        Ok(token)
    }

    /// `product (+|- product)*`
    fn sum(&mut self, within: &Within) -> Result<Expr, ExprError> {
        let mut left = self.product(within)?;
        loop {
            let op = match self.peek()?.kind {
                Kind::Plus => Op::Add,
                Kind::Minus => Op::Sub,
                _ => return Ok(left),
            };
            self.bump()?;
            let right = self.product(within)?;
            left = Expr::Binary { op, left: Box::new(left), right: Box::new(right) };
        }
    }

    /// `unary (*|/ unary)*`
    fn product(&mut self, within: &Within) -> Result<Expr, ExprError> {
        let mut left = self.unary(within)?;
        loop {
            let op = match self.peek()?.kind {
                Kind::Star => Op::Mul,
                Kind::Slash => Op::Div,
                _ => return Ok(left),
            };
            self.bump()?;
            let right = self.unary(within)?;
            left = Expr::Binary { op, left: Box::new(left), right: Box::new(right) };
        }
    }

    /// `-? primary`: one minus at most; `- -a` is far more often a slip than meant.
    fn unary(&mut self, within: &Within) -> Result<Expr, ExprError> {
        if matches!(self.peek()?.kind, Kind::Minus) {
            self.bump()?;
            let operand = self.primary(within, true)?;
            return Ok(Expr::Neg(Box::new(operand)));
        }
        self.primary(within, false)
    }

    /// A number, a column, a call or a parenthesised expression.
    fn primary(&mut self, within: &Within, negated: bool) -> Result<Expr, ExprError> {
        let prev = self.prev.clone();
        let token = self.bump()?;
        match token.kind {
            Kind::Number(n) => Ok(Expr::Number(n)),
            Kind::Name(name) => {
                let next = self.peek()?;
                // `min (a, b)` is a call; `a (b)` is a column and a missing operator.
                if matches!(next.kind, Kind::Open)
                    && (next.span.start == token.span.end || function(&name).is_some())
                {
                    self.call(&name, token.span)
                } else {
                    Ok(Expr::Column { name, span: token.span })
                }
            }
            Kind::Open => self.group(token.span),
            _ => Err(self.missing_operand(&token, prev.as_ref(), within, negated)),
        }
    }

    /// `( sum )`, the `(` read.
    fn group(&mut self, open: Range<usize>) -> Result<Expr, ExprError> {
        self.enter(&open)?;
        let within = Within::Group { open };
        let inner = self.sum(&within)?;
        let next = self.peek()?;
        if !matches!(next.kind, Kind::Close) {
            return Err(self.after_operand(&next, &within));
        }
        self.bump()?;
        self.depth -= 1;
        Ok(Expr::Group(Box::new(inner)))
    }

    /// `name( sum (, sum)+ )`, the name read and `(` next.
    fn call(&mut self, name: &str, span: Range<usize>) -> Result<Expr, ExprError> {
        let Some(func) = function(name) else {
            return Err(unknown_function(name, span));
        };
        let open = self.bump()?.span;
        self.enter(&open)?;
        let head = span.start..open.end;
        let within = Within::Call { func, head: head.clone() };
        let mut args = Vec::new();
        let close = loop {
            args.push(self.sum(&within)?);
            let next = self.peek()?;
            match next.kind {
                Kind::Comma => {
                    self.bump()?;
                }
                Kind::Close => break self.bump()?.span,
                _ => return Err(self.after_operand(&next, &within)),
            }
        };
        self.depth -= 1;
        if args.len() < 2 {
            let call = quote(&self.text[head.start..close.end]);
            return Err(ExprError::new(
                head.start..close.end,
                tr!(
                    "`{call}` has one value; `{func}(…)` compares two or more",
                    "`{call}` chỉ có một giá trị; `{func}(…)` cần từ hai giá trị trở lên để so sánh"
                ),
                tr!("needs two or more values", "cần từ hai giá trị trở lên"),
            )
            .help(tr!(
                "separate the values with commas: `{func}(a, b)`",
                "hãy phân tách các giá trị bằng dấu phẩy: `{func}(a, b)`"
            )));
        }
        Ok(Expr::Call { func, args })
    }

    /// Counts one more level of nesting, refusing the level past `MAX_DEPTH`.
    fn enter(&mut self, open: &Range<usize>) -> Result<(), ExprError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ExprError::new(
                open.clone(),
                tr!(
                    "the parentheses are nested more than {MAX_DEPTH} deep",
                    "dấu ngoặc lồng nhau quá {MAX_DEPTH} cấp"
                ),
                tr!("level {}", "cấp {}", self.depth),
            )
            .help(tr!(
                "write the calculation with fewer parentheses",
                "hãy viết phép tính với ít dấu ngoặc hơn"
            )));
        }
        Ok(())
    }

    /// The error when a column, a number or `(` should come and `token` came.
    fn missing_operand(
        &self,
        token: &Token,
        prev: Option<&Range<usize>>,
        within: &Within,
        negated: bool,
    ) -> ExprError {
        let label = || tr!("expected a column or a number", "cần một cột hoặc một số");
        let found = &self.text[token.span.clone()];
        let prev_text = prev.map_or("", |p| &self.text[p.clone()]);
        match (&token.kind, prev) {
            (Kind::End, _) => ExprError::new(
                token.span.clone(),
                tr!(
                    "the expression ends after `{}`: a column name or a number should follow",
                    "biểu thức kết thúc sau `{}`: phía sau cần có tên cột hoặc một số",
                    quote(prev_text)
                ),
                label(),
            ),
            (Kind::Close, _) if self.depth == 0 => stray_close(token),
            (Kind::Close, Some(_)) if prev_text == "(" => match within {
                Within::Call { func, head } => ExprError::new(
                    head.start..token.span.end,
                    tr!(
                        "`{func}()` has no values; it compares two or more",
                        "`{func}()` không có giá trị nào; hàm này cần từ hai giá trị trở lên để so sánh"
                    ),
                    tr!("needs two or more values", "cần từ hai giá trị trở lên"),
                )
                .help(tr!(
                    "separate the values with commas: `{func}(a, b)`",
                    "hãy phân tách các giá trị bằng dấu phẩy: `{func}(a, b)`"
                )),
                _ => ExprError::new(
                    token.span.clone(),
                    tr!(
                        "`()` holds nothing: a column name or a number should stand between the parentheses",
                        "`()` đang trống: giữa hai dấu ngoặc cần có tên cột hoặc một số"
                    ),
                    label(),
                ),
            },
            (Kind::Comma, _) if !matches!(within, Within::Call { .. }) => self.stray_comma(token),
            (Kind::Minus, Some(_)) if negated => ExprError::new(
                token.span.clone(),
                tr!(
                    "`-` follows another `-`: two minus signs stand in a row",
                    "`-` đứng ngay sau một dấu `-` khác: có hai dấu trừ liền nhau"
                ),
                tr!("second minus sign", "dấu trừ thứ hai"),
            )
            .help(tr!(
                "write one, or put the inner one in parentheses: `-(-a)`",
                "hãy chỉ viết một dấu, hoặc đặt phần bên trong vào ngoặc: `-(-a)`"
            )),
            (_, None) => {
                let error = ExprError::new(
                    token.span.clone(),
                    tr!(
                        "the expression starts with `{found}`: it should start with a column name, a number, `(` or `-`",
                        "biểu thức bắt đầu bằng `{found}`: biểu thức cần bắt đầu bằng tên cột, một số, `(` hoặc `-`"
                    ),
                    label(),
                );
                if found == "+" {
                    error.help(tr!("leave out the `+`", "hãy bỏ dấu `+`"))
                } else {
                    error
                }
            }
            (_, Some(_)) => {
                let error = ExprError::new(
                    token.span.clone(),
                    tr!(
                        "`{found}` follows `{}`: a column name or a number should come between them",
                        "`{found}` đứng ngay sau `{}`: giữa chúng cần có tên cột hoặc một số",
                        quote(prev_text)
                    ),
                    label(),
                );
                if found == "+" {
                    error.help(tr!(
                        "a number needs no `+` sign; leave it out",
                        "số không cần dấu `+`; hãy bỏ dấu này"
                    ))
                } else {
                    error
                }
            }
        }
    }

    /// The error when a whole operand has been read and `token`, which cannot follow it
    /// here, comes next.
    fn after_operand(&self, token: &Token, within: &Within) -> ExprError {
        let prev_text = self.prev.as_ref().map_or("", |p| &self.text[p.clone()]);
        match (&token.kind, within) {
            (Kind::End, Within::Group { open }) => ExprError::new(
                open.clone(),
                tr!("this `(` is never closed", "dấu `(` này không được đóng lại"),
                tr!("not closed", "chưa đóng"),
            )
            .help(tr!("add the `)` that closes it", "hãy thêm dấu `)` để đóng lại")),
            (Kind::End, Within::Call { func, head }) => ExprError::new(
                head.clone(),
                tr!(
                    "this `{}` is never closed",
                    "`{}` này không được đóng lại",
                    quote(&self.text[head.clone()])
                ),
                tr!("not closed", "chưa đóng"),
            )
            .help(tr!(
                "add the `)` that closes `{func}(…)`",
                "hãy thêm dấu `)` để đóng `{func}(…)`"
            )),
            (Kind::Close, _) => stray_close(token),
            (Kind::Comma, _) => self.stray_comma(token),
            _ => {
                let found = match &token.kind {
                    Kind::Name(name) => quote(name),
                    _ => quote(&self.text[token.span.clone()]),
                };
                let both_numbers = matches!(token.kind, Kind::Number(_))
                    && prev_text.starts_with(|c: char| c.is_ascii_digit());
                ExprError::new(
                    token.span.clone(),
                    tr!(
                        "`{found}` follows `{}` with no operator between them",
                        "`{found}` đứng ngay sau `{}` mà không có phép toán nào ở giữa",
                        quote(prev_text)
                    ),
                    tr!("operator missing before this", "thiếu phép toán trước chỗ này"),
                )
                .help(if both_numbers {
                    tr!(
                        "put `+`, `-`, `*` or `/` between them; numbers take no thousands separators",
                        "hãy đặt `+`, `-`, `*` hoặc `/` vào giữa; số không dùng dấu phân cách hàng nghìn"
                    )
                } else {
                    tr!(
                        "put `+`, `-`, `*` or `/` between them",
                        "hãy đặt `+`, `-`, `*` hoặc `/` vào giữa"
                    )
                })
            }
        }
    }

    /// The error for a comma outside the arguments of a call: most often a decimal comma.
    fn stray_comma(&self, token: &Token) -> ExprError {
        let comma = token.span.clone();
        let after = &self.text[comma.end..];
        let decimal = self.prev.as_ref().filter(|p| {
            p.end == comma.start
                && self.text[(*p).clone()].starts_with(|c: char| c.is_ascii_digit())
                && after.starts_with(|c: char| c.is_ascii_digit())
        });
        if let Some(number) = decimal {
            let end = comma.end + after.find(|c: char| !c.is_ascii_digit()).unwrap_or(after.len());
            let written = &self.text[number.start..end];
            return ExprError::new(
                number.start..end,
                tr!(
                    "`{}` is written with a comma: numbers take a decimal point",
                    "`{}` được viết bằng dấu phẩy: số dùng dấu chấm thập phân",
                    quote(written)
                ),
                tr!("decimal comma", "dấu phẩy thập phân"),
            )
            .help(thousands_or_decimals(written));
        }
        ExprError::new(
            comma,
            tr!(
                "a comma only separates the values of `min(…)` or `max(…)`",
                "dấu phẩy chỉ dùng để phân tách các giá trị của `min(…)` hoặc `max(…)`"
            ),
            tr!("comma outside min(…) or max(…)", "dấu phẩy nằm ngoài min(…) hoặc max(…)"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    use num_traits::{Num, Signed};
    use proptest::prelude::*;

    // ---- helpers --------------------------------------------------------------------

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn big(s: &str) -> BigRational {
        if let Some((n, d)) = s.split_once('/') {
            BigRational::new(
                BigInt::from_str_radix(n, 10).unwrap(),
                BigInt::from_str_radix(d, 10).unwrap(),
            )
        } else {
            BigRational::from_integer(BigInt::from_str_radix(s, 10).unwrap())
        }
    }

    /// The tree with every span set to 0..0: a written-back text has other spans.
    fn erase(expr: &Expr) -> Expr {
        match expr {
            Expr::Number(n) => Expr::Number(*n),
            Expr::Column { name, .. } => Expr::Column { name: name.clone(), span: 0..0 },
            Expr::Neg(inner) => Expr::Neg(Box::new(erase(inner))),
            Expr::Group(inner) => Expr::Group(Box::new(erase(inner))),
            Expr::Binary { op, left, right } => {
                Expr::Binary { op: *op, left: Box::new(erase(left)), right: Box::new(erase(right)) }
            }
            Expr::Call { func, args } => {
                Expr::Call { func: *func, args: args.iter().map(erase).collect() }
            }
        }
    }

    /// Evaluates with the named columns, every other name being unknown.
    fn eval_with(text: &str, columns: &[(&str, &str)]) -> Result<Evaluated, EvalError<String>> {
        let expr = parse(text).unwrap_or_else(|e| panic!("{text}: {}", e.message.en));
        evaluate(&expr, &mut |name: &str| {
            columns
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| dec(v))
                .ok_or_else(|| format!("no column {name}"))
        })
    }

    fn number(text: &str) -> BigRational {
        match eval_with(text, &[]).unwrap().value {
            Outcome::Number(n) => n,
            Outcome::Ratio { .. } => panic!("{text} is a ratio"),
        }
    }

    fn error(text: &str) -> ExprError {
        match parse(text) {
            Ok(expr) => panic!("{text:?} was read as {expr:?}"),
            Err(e) => e,
        }
    }

    /// Checks an error's span (as the text it covers) and that its message holds `says`.
    fn refused(text: &str, at: &str, span: Range<usize>, says: &str) -> ExprError {
        let e = error(text);
        assert_eq!(e.span, span, "{text:?}: {e:?}");
        assert_eq!(&text[e.span.clone()], at, "{text:?}");
        assert!(e.message.en.contains(says), "{text:?}: {:?} lacks {says:?}", e.message);
        assert!(!e.label.en.is_empty());
        e
    }

    // ---- reading ------------------------------------------------------------------

    #[test]
    fn precedence_and_associativity() {
        assert_eq!(number("8 - 2 - 1"), big("5"));
        assert_eq!(number("2 + 3 * 4"), big("14"));
        assert_eq!(number("(2 + 3) * 4"), big("20"));
        assert_eq!(number("-2 * 3"), big("-6"));
        assert_eq!(number("2 * -3"), big("-6"));
        assert_eq!(number("1 - -1"), big("2"));
        assert_eq!(number("1 / 3 * 3"), big("1"));
        assert_eq!(number("24 / 4 / 2 * 1"), big("3"));
        assert_eq!(number("2+3*4-10/5"), big("12"));
        assert_eq!(parse("8 - 2 - 1").unwrap().to_string(), "8 - 2 - 1");
        // Left associative: ((8 - 2) - 1), not 8 - (2 - 1).
        let Expr::Binary { op: Op::Sub, left, .. } = parse("8 - 2 - 1").unwrap() else { panic!() };
        assert!(matches!(*left, Expr::Binary { op: Op::Sub, .. }));
        // Unary minus binds tighter than `*`: (-2) * 3.
        let Expr::Binary { op: Op::Mul, left, .. } = parse("-2 * 3").unwrap() else { panic!() };
        assert_eq!(*left, Expr::Neg(Box::new(Expr::Number(dec("2")))));
    }

    #[test]
    fn min_and_max_take_nested_expressions() {
        assert_eq!(number("min(3, 1 + 1, 5)"), big("2"));
        assert_eq!(number("max(1 / 3, 1 / 4) * 3"), big("1"));
        assert_eq!(number("MAX(min(2, 7), -1) + 1"), big("3"));
        assert_eq!(number("min((1 + 2) * 2, max(4, 5))"), big("5"));
        assert_eq!(number("max (1, 2)"), big("2"));
        let shown = eval_with("min(a / b, 1)", &[("a", "3"), ("b", "2")]).unwrap();
        assert_eq!(shown.value, Outcome::Number(big("1")));
        assert_eq!(shown.shown, "min(3 / 2, 1)");
    }

    #[test]
    fn numbers_and_names_are_read_as_written() {
        let expr = parse("đúng_hạn * 0.5 + _x2 - 100").unwrap();
        assert_eq!(expr.columns(), vec![("đúng_hạn", 0..12), ("_x2", 21..24)]);
        assert_eq!(expr.to_string(), "đúng_hạn * 0.5 + _x2 - 100");
        assert_eq!(parse("0.50").unwrap(), Expr::Number(dec("0.5")));
        assert_eq!(parse("007").unwrap(), Expr::Number(dec("7")));
        // A name typed with combining accents is one name.
        let decomposed = "du\u{301}ng_ha\u{323}n";
        assert_eq!(parse(decomposed).unwrap().columns(), vec![(decomposed, 0..decomposed.len())]);
        // `min` and `max` without `(` are column names.
        assert_eq!(parse("min + max").unwrap().columns().len(), 2);
        // Whitespace of any kind between tokens, none needed.
        assert_eq!(parse("\t(a+b)\u{a0}/\nc ").unwrap().to_string(), "(a + b) / c");
        // 28 significant digits are read exactly; so are 28 places.
        assert_eq!(
            parse("1234567890123456789012345678").unwrap(),
            Expr::Number(dec("1234567890123456789012345678"))
        );
        assert_eq!(
            parse("0.0000000000000000000000000001").unwrap(),
            Expr::Number(Decimal::new(1, 28))
        );
        assert_eq!(
            parse("000000000000000000000000000000001.5000000000000000000000000000000").unwrap(),
            Expr::Number(dec("1.5"))
        );
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "a",
            "(dung_han + dang_xu_ly_trong_han) / tiep_nhan",
            "8 - 2 - 1",
            "8 - (2 - 1)",
            "-a * -(b + 1)",
            "min(a, b, max(c / d, 0.5)) * 100",
            "((a)) / ((b))",
            "a / b / c",
            "a / (b / c)",
            "-0.25 + đúng_hạn",
            "max(-a, a)",
        ] {
            let expr = parse(text).unwrap();
            assert_eq!(expr.to_string(), text);
            assert_eq!(parse(&expr.to_string()).unwrap(), expr, "{text}");
        }
        for (text, normal) in [
            ("a+b*c", "a + b * c"),
            ("MIN( a ,b )", "min(a, b)"),
            ("( 1.500 )/2", "(1.5) / 2"),
            ("Max(x,0,1)", "max(x, 0, 1)"),
        ] {
            let expr = parse(text).unwrap();
            assert_eq!(expr.to_string(), normal);
            assert_eq!(erase(&parse(normal).unwrap()), erase(&expr));
        }
    }

    #[test]
    fn is_ratio_when_division_is_last() {
        assert!(parse("(a+b)/c").unwrap().is_ratio());
        assert!(parse("((a)/(b))").unwrap().is_ratio());
        assert!(parse("-a / b").unwrap().is_ratio());
        assert!(!parse("a/b + 1").unwrap().is_ratio());
        assert!(!parse("min(a/b, 1)").unwrap().is_ratio());
        assert!(!parse("a / b * 100").unwrap().is_ratio());
        assert!(!parse("-(a / b)").unwrap().is_ratio());
    }

    // ---- evaluation ---------------------------------------------------------------

    #[test]
    fn a_division_last_is_a_ratio_kept_apart() {
        let got = eval_with(
            "(dung_han + dang_xu_ly) / tiep_nhan",
            &[("dung_han", "512"), ("dang_xu_ly", "3"), ("tiep_nhan", "530")],
        )
        .unwrap();
        assert_eq!(got.shown, "(512 + 3) / 530");
        assert_eq!(got.value, Outcome::Ratio { top: big("515"), bottom: big("530") });
        let got = eval_with("((a) / (b))", &[("a", "1.50"), ("b", "2")]).unwrap();
        assert_eq!(got.shown, "((1.5) / (2))");
        assert_eq!(got.value, Outcome::Ratio { top: big("3/2"), bottom: big("2") });
        let got = eval_with("a + b", &[("a", "1.5"), ("b", "-2")]).unwrap();
        assert_eq!(got.shown, "1.5 + (-2)");
        assert_eq!(got.value, Outcome::Number(big("-1/2")));
    }

    #[test]
    fn huge_counts_stay_exact() {
        let got = eval_with("a / b", &[("a", "1497954127"), ("b", "2244992500")]).unwrap();
        assert_eq!(got.value, Outcome::Ratio { top: big("1497954127"), bottom: big("2244992500") });
        let Outcome::Ratio { top, bottom } = got.value else { panic!() };
        assert_eq!(top / bottom, big("1497954127/2244992500"));
        let got = eval_with("a * b", &[("a", "1497954127"), ("b", "2244992500")]).unwrap();
        assert_eq!(
            got.value,
            Outcome::Number(BigRational::from_integer(BigInt::from(
                1_497_954_127_i64 * 2_244_992_500_i64
            )))
        );
        // 10^30 × 10^30 / 10^60, far past any Decimal, comes to exactly 1.
        let ten15 = [("x", "1000000000000000")];
        let got = eval_with(
            "(x * x) * (x * x) * (x * x) * (x * x) / ((x * x * x * x) * (x * x * x * x))",
            &ten15,
        )
        .unwrap();
        let Outcome::Ratio { top, bottom } = got.value else { panic!() };
        assert_eq!(top, BigRational::from_integer(BigInt::from(10).pow(120)));
        assert_eq!(top / bottom, big("1"));
        assert_eq!(
            number(
                "10000000000000000000000000 * 100000 * 10000000000000000000000000 * 100000 / (10000000000000000000000000 * 100000 * 10000000000000000000000000 * 100000) * 1"
            ),
            big("1")
        );
    }

    #[test]
    fn division_by_zero_inside_is_an_error_and_last_is_a_zero_bottom() {
        let got = eval_with("a / b", &[("a", "5"), ("b", "0")]).unwrap();
        assert_eq!(got.value, Outcome::Ratio { top: big("5"), bottom: big("0") });
        assert_eq!(got.shown, "5 / 0");
        let got = eval_with("(a / (b - b))", &[("a", "5"), ("b", "2")]).unwrap();
        assert_eq!(got.value, Outcome::Ratio { top: big("5"), bottom: big("0") });
        assert_eq!(
            eval_with("a / (b - c) + 1", &[("a", "12"), ("b", "4"), ("c", "4")]),
            Err(EvalError::DivisionByZero { shown: "12 / (4 - 4)".to_owned() })
        );
        assert_eq!(
            eval_with("(a / 0) / 2", &[("a", "1")]),
            Err(EvalError::DivisionByZero { shown: "1 / 0".to_owned() })
        );
        assert_eq!(
            eval_with("min(1 / a, 2)", &[("a", "0.000")]),
            Err(EvalError::DivisionByZero { shown: "1 / 0".to_owned() })
        );
        assert_eq!(
            EvalError::<String>::DivisionByZero { shown: "1 / 0".to_owned() }.to_string(),
            "`1 / 0` divides by zero"
        );
    }

    #[test]
    fn a_column_error_passes_through_and_stops_evaluation() {
        let expr = parse("a + missing + b").unwrap();
        let mut asked = Vec::new();
        let got = evaluate(&expr, &mut |name: &str| {
            asked.push(name.to_owned());
            if name == "missing" { Err(42) } else { Ok(Decimal::ONE) }
        });
        assert_eq!(got, Err(EvalError::Column(42)));
        assert_eq!(asked, ["a", "missing"]);
        assert_eq!(
            eval_with("x / y", &[("y", "1")]),
            Err(EvalError::Column("no column x".to_owned()))
        );
    }

    #[test]
    fn to_decimal_is_exact_or_nothing() {
        assert_eq!(to_decimal(&big("1/2")), Some(dec("0.5")));
        assert_eq!(to_decimal(&big("-3/40")), Some(dec("-0.075")));
        assert_eq!(to_decimal(&big("12")), Some(dec("12")));
        assert_eq!(to_decimal(&big("0")), Some(Decimal::ZERO));
        assert_eq!(to_decimal(&big("1/3")), None);
        assert_eq!(to_decimal(&big("1497954127/2244992500")), None);
        assert_eq!(to_decimal(&big("79228162514264337593543950335")), Some(Decimal::MAX));
        assert_eq!(to_decimal(&big("79228162514264337593543950336")), None);
        assert_eq!(
            to_decimal(&BigRational::new(BigInt::one(), BigInt::from(10).pow(28))),
            Some(Decimal::new(1, 28))
        );
        assert_eq!(to_decimal(&BigRational::new(BigInt::one(), BigInt::from(10).pow(29))), None);
        assert_eq!(to_decimal(&BigRational::new(BigInt::one(), BigInt::from(2).pow(10_000))), None);
        // Unreduced and with a negative denominator, as a hand-made ratio may be.
        assert_eq!(
            to_decimal(&BigRational::new_raw(BigInt::from(6), BigInt::from(-4))),
            Some(dec("-1.5"))
        );
        assert_eq!(to_decimal(&BigRational::new_raw(BigInt::one(), BigInt::zero())), None);
    }

    #[test]
    fn round_half_away_from_zero() {
        assert_eq!(round_half_away(&big("93245/100000"), 4), big("9325/10000"));
        assert_eq!(round_half_away(&big("-93245/100000"), 4), big("-9325/10000"));
        assert_eq!(round_half_away(&big("-1/2"), 0), big("-1"));
        assert_eq!(round_half_away(&big("1/2"), 0), big("1"));
        assert_eq!(round_half_away(&big("2/3"), 2), big("67/100"));
        assert_eq!(round_half_away(&big("1/3"), 0), big("0"));
        assert_eq!(round_half_away(&big("1497954127/2244992500"), 6), big("667242/1000000"));
        let zero_bottom = BigRational::new_raw(BigInt::one(), BigInt::zero());
        assert_eq!(round_half_away(&zero_bottom, 2).denom(), &BigInt::zero());
    }

    // ---- refusals -----------------------------------------------------------------

    #[test]
    fn empty_and_too_long() {
        refused("", "", 0..0, "is empty");
        let e = refused("  \t", "  \t", 0..3, "is empty");
        assert!(e.help.unwrap().en.contains("tiep_nhan"));
        let long = format!("a{}", " + a".repeat(500));
        assert_eq!(long.len(), 2001);
        refused(&long, "a", 2000..2001, "2001 bytes long");
        let fits = &long[..1997];
        assert!(parse(fits).is_ok());
        // The cut falls on a character boundary.
        let wide = "đ".repeat(1001);
        let e = error(&wide);
        assert_eq!(e.span, 2000..2002);
    }

    #[test]
    fn unbalanced_parentheses() {
        refused("(a + b", "(", 0..1, "never closed");
        refused("((a + b) / c", "(", 0..1, "never closed");
        refused("(a + (b / c)", "(", 0..1, "never closed");
        refused("a * (b + (c", "(", 9..10, "never closed");
        let e = refused("min(a, b", "min(", 0..4, "`min(` is never closed");
        assert!(e.help.unwrap().en.contains(')'));
        refused("a + b)", ")", 5..6, "closes no `(`");
        refused("(a + b))", ")", 7..8, "closes no `(`");
        refused(")a", ")", 0..1, "closes no `(`");
        refused("a + )", ")", 4..5, "closes no `(`");
        refused("()", ")", 1..2, "`()` holds nothing");
        refused("(a + )", ")", 5..6, "`)` follows `+`");
    }

    #[test]
    fn two_operands_or_two_operators_in_a_row() {
        refused("a b", "b", 2..3, "`b` follows `a` with no operator");
        refused("(a + b) c", "c", 8..9, "`c` follows `)`");
        refused("a (b)", "(", 2..3, "`(` follows `a`");
        refused("(a)(b)", "(", 3..4, "`(` follows `)`");
        let e = refused("1 000", "000", 2..5, "`000` follows `1`");
        assert!(e.help.unwrap().en.contains("thousands"));
        refused("a + b c", "c", 6..7, "follows `b`");
        refused("a + * b", "*", 4..5, "`*` follows `+`: a column name or a number");
        refused("a * / b", "/", 4..5, "`/` follows `*`");
        refused("* a", "*", 0..1, "starts with `*`");
        let e = refused("+a", "+", 0..1, "starts with `+`");
        assert!(e.help.is_some());
        refused("(* a)", "*", 1..2, "`*` follows `(`");
        refused("- - a", "-", 2..3, "two minus signs");
        refused("a * --b", "-", 5..6, "two minus signs");
        refused("a + ", "", 4..4, "ends after `+`: a column name or a number should follow");
        refused("a +", "", 3..3, "ends after `+`");
        refused("(a *", "", 4..4, "ends after `*`");
        refused("-", "", 1..1, "ends after `-`");
        refused("min(a,", "", 6..6, "ends after `,`");
        refused("min(a, )", ")", 7..8, "`)` follows `,`");
        refused("min(a b)", "b", 6..7, "`b` follows `a`");
    }

    #[test]
    fn unknown_characters() {
        let e = refused("a / b %", "%", 6..7, "`%` cannot be used in an expression");
        assert!(e.help.unwrap().en.contains("a / b"));
        refused("a ^ 2", "^", 2..3, "`^` cannot be used");
        refused("a = b", "=", 2..3, "`=` cannot be used");
        refused("a; b", ";", 1..2, "`;` cannot be used");
        let e = refused("a × b", "×", 2..4, "`×` cannot be used");
        assert_eq!(e.help.as_ref().map(|h| h.en.as_str()), Some("write `*` to multiply"));
        let e = refused("a − b", "−", 2..5, "`−`");
        assert!(e.help.unwrap().en.contains("hyphen-minus"));
        refused("a\u{200b}", "\u{200b}", 1..4, "invisible character U+200B");
        refused("\"a\" + 1", "\"", 0..1, "cannot be used");
        refused("a . b", ".", 2..3, "`.` cannot be used");
        // The first error in reading order is the one reported.
        refused("a + + %", "+", 4..5, "`+` follows `+`");
    }

    #[test]
    fn numbers_that_are_not_written_as_numbers() {
        let e = refused(
            "0,5 * a",
            "0,5",
            0..3,
            "`0,5` is written with a comma: numbers take a decimal point",
        );
        assert!(e.help.unwrap().en.contains("`0.5`"));
        refused("a * 1,000", "1,000", 4..9, "with a comma");
        refused("(0,25)", "0,25", 1..5, "with a comma");
        refused("a, b", ",", 1..2, "comma only separates");
        // Inside a call the comma separates values.
        assert_eq!(number("min(0,5)"), big("0"));
        let e = refused(".5 * a", ".5", 0..2, "starts with a point");
        assert_eq!(e.help.as_ref().map(|h| h.en.as_str()), Some("write `0.5`"));
        refused("a * 5.", "5.", 4..6, "ends with a point");
        refused("1.000.000", "1.000.000", 0..9, "more than one point");
        refused("1e5", "1e5", 0..3, "has an exponent");
        refused("2.5E-3 + a", "2.5E-3", 0..6, "has an exponent");
        let e = refused("2a", "2a", 0..2, "`2` runs straight into `a`");
        assert!(e.help.unwrap().en.contains("`2 * a`"));
        refused("1_000", "1_000", 0..5, "runs straight into");
        refused(
            "12345678901234567890123456789",
            "12345678901234567890123456789",
            0..29,
            "29 significant digits; a number may have at most 28",
        );
        refused(
            "1.0000000000000000000000000001",
            "1.0000000000000000000000000001",
            0..30,
            "29 significant digits",
        );
        refused(
            "0.00000000000000000000000000001",
            "0.00000000000000000000000000001",
            0..31,
            "29 decimal places",
        );
    }

    #[test]
    fn unknown_functions_name_the_ones_that_exist() {
        let e = refused(
            "avg(a, b)",
            "avg",
            0..3,
            "`avg(` is not a function: the functions are `min(…)` and `max(…)`",
        );
        assert!(e.help.unwrap().en.contains("(a + b) / 2"));
        let e = refused("SUM(a, b)", "SUM", 0..3, "not a function");
        assert!(e.help.unwrap().en.contains("a + b + c"));
        let e = refused("1 + round(a / b)", "round", 4..9, "not a function");
        assert!(e.help.unwrap().en.contains("rounded"));
        let e = refused("mim(a, b)", "mim", 0..3, "not a function");
        assert_eq!(e.help.as_ref().map(|h| h.en.as_str()), Some("did you mean `min`?"));
        let e = refused("maxx(a, b)", "maxx", 0..4, "not a function");
        assert_eq!(e.help.as_ref().map(|h| h.en.as_str()), Some("did you mean `max`?"));
        let e = refused("foo(a)", "foo", 0..3, "not a function");
        assert_eq!(e.help, None);
    }

    #[test]
    fn min_and_max_need_two_values() {
        refused("min(a)", "min(a)", 0..6, "`min(a)` has one value; `min(…)` compares two or more");
        refused("1 + MAX((a))", "MAX((a))", 4..12, "has one value");
        refused("max()", "max()", 0..5, "`max()` has no values");
    }

    #[test]
    fn nesting_is_bounded() {
        let ok = format!("{}a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let deep = format!("{}a{}", "(".repeat(MAX_DEPTH + 1), ")".repeat(MAX_DEPTH + 1));
        refused(&deep, "(", MAX_DEPTH..MAX_DEPTH + 1, "nested more than 64 deep");
        let calls = format!("{}a{}", "min(".repeat(MAX_DEPTH + 1), ", 1)".repeat(MAX_DEPTH + 1));
        let e = error(&calls);
        assert!(e.message.en.contains("nested more than 64 deep"), "{e:?}");
        // Hostile input is refused at once, without deep recursion.
        for hostile in
            ["(".repeat(100_000), "-(".repeat(50_000), format!("{}a", "min(".repeat(100_000))]
        {
            let started = Instant::now();
            assert!(parse(&hostile).is_err());
            assert!(started.elapsed() < Duration::from_secs(1));
        }
        let within_length = "(".repeat(MAX_LEN);
        refused(&within_length, "(", MAX_DEPTH..MAX_DEPTH + 1, "nested more than");
    }

    #[test]
    fn the_longest_chain_evaluates() {
        // 2000 bytes of `1+1+…` nest a thousand deep to the left, and `-1*-1*…` 666 deep.
        let chain = format!("1{}", "+1".repeat((MAX_LEN - 1) / 2));
        assert_eq!(number(&chain), big("1000"));
        let product = format!("-1{}", "*-1".repeat(665));
        assert_eq!(number(&product), big("1"));
        assert_eq!(parse(&chain).unwrap().to_string().len(), chain.len() + 2 * 999);
        // A tree built by hand, far deeper than any text makes, evaluates as well.
        let mut deep = Expr::Number(Decimal::ONE);
        for _ in 0..100_000 {
            deep = Expr::Binary {
                op: Op::Add,
                left: Box::new(deep),
                right: Box::new(Expr::Column { name: "a".to_owned(), span: 0..1 }),
            };
        }
        let got = evaluate(&deep, &mut |_: &str| Ok::<_, ()>(Decimal::ONE)).unwrap();
        assert_eq!(got.value, Outcome::Number(big("100001")));
        // Dropping a tree this deep would recurse; take it apart by hand.
        while let Expr::Binary { left, .. } = deep {
            deep = *left;
        }
    }

    // ---- properties ---------------------------------------------------------------

    /// Expression text as a person might type it, right or wrong.
    fn typed() -> impl Strategy<Value = String> {
        let token = proptest::sample::select(vec![
            "a", "b_2", "đúng", "0", "12", "0.5", "+", "-", "*", "/", "(", ")", ",", "min(",
            "MAX(", " ", "%", ".",
        ]);
        proptest::collection::vec(token, 0..30).prop_map(|tokens| tokens.concat())
    }

    /// Well-formed expression trees, with a group wherever precedence needs one.
    fn tree() -> impl Strategy<Value = Expr> {
        let leaf = prop_oneof![
            (0u32..1000, 0u32..3)
                .prop_map(|(n, s)| Expr::Number(Decimal::new(i64::from(n), s).normalize())),
            prop_oneof![Just("a"), Just("b"), Just("tiếp_nhận")]
                .prop_map(|n| Expr::Column { name: n.to_owned(), span: 0..0 }),
        ];
        leaf.prop_recursive(6, 40, 4, |inner| {
            let operand = inner.clone().prop_map(|e| match e {
                Expr::Binary { .. } | Expr::Neg(_) => Expr::Group(Box::new(e)),
                e => e,
            });
            prop_oneof![
                (operand.clone(), operand.clone(), 0..4usize).prop_map(|(l, r, op)| Expr::Binary {
                    op: [Op::Add, Op::Sub, Op::Mul, Op::Div][op],
                    left: Box::new(l),
                    right: Box::new(r),
                }),
                operand.clone().prop_map(|e| Expr::Neg(Box::new(e))),
                inner.clone().prop_map(|e| Expr::Group(Box::new(e))),
                (proptest::collection::vec(inner, 2..4), any::<bool>()).prop_map(|(args, min)| {
                    Expr::Call { func: if min { Func::Min } else { Func::Max }, args }
                }),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_text_is_read_or_refused_without_panic(text in typed()) {
            match parse(&text) {
                Ok(expr) => {
                    let written = expr.to_string();
                    let again = parse(&written).unwrap();
                    prop_assert_eq!(erase(&again), erase(&expr));
                    prop_assert_eq!(again.to_string(), written);
                }
                Err(e) => {
                    prop_assert!(e.span.start <= e.span.end && e.span.end <= text.len());
                    prop_assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
                    prop_assert!(!e.message.en.is_empty());
                }
            }
        }

        #[test]
        fn arbitrary_unicode_never_panics(text in "\\PC{0,60}") {
            if let Err(e) = parse(&text) {
                prop_assert!(e.span.end <= text.len());
                prop_assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
            }
        }

        #[test]
        fn trees_write_back_to_themselves(expr in tree()) {
            let written = expr.to_string();
            let read = parse(&written).unwrap();
            prop_assert_eq!(erase(&read), erase(&expr));
            // Evaluation is the same from the tree and from its text.
            let columns = [("a", "7"), ("b", "0"), ("tiếp_nhận", "1.25")];
            let look = |name: &str| {
                columns.iter().find(|(n, _)| *n == name).map(|(_, v)| dec(v)).ok_or(())
            };
            let from_tree = evaluate(&expr, &mut |n: &str| look(n));
            let from_text = evaluate(&read, &mut |n: &str| look(n));
            prop_assert_eq!(from_tree.is_ok(), from_text.is_ok());
            if let (Ok(x), Ok(y)) = (from_tree, from_text) {
                prop_assert_eq!(x, y);
            }
        }

        #[test]
        fn machine_integers_give_the_unbounded_value_or_step_aside(
            expr in tree(),
            values in proptest::collection::vec((any::<i64>(), 0u32..29, any::<bool>()), 3),
        ) {
            // Small counts, and counts up to a Decimal's largest, so that both the small
            // path and its overflow are taken.
            let columns: Vec<Decimal> = values
                .iter()
                .map(|&(m, scale, huge)| {
                    let m = if huge { i128::from(m) << 32 } else { i128::from(m % 100_000) };
                    Decimal::from_i128_with_scale(m, scale.min(28))
                })
                .collect();
            let look = |name: &str| -> Result<Decimal, ()> {
                Ok(match name {
                    "a" => columns[0],
                    "b" => columns[1],
                    _ => columns[2],
                })
            };
            let small = evaluate_in::<Small, ()>(&expr, &mut |n: &str| look(n), true);
            let big = evaluate_in::<BigRational, ()>(&expr, &mut |n: &str| look(n), true);
            match (small, big) {
                (Ok(Some(s)), Ok(Some(b))) => prop_assert_eq!(s, b),
                (Ok(None), Ok(Some(_))) => {}
                (Err(s), Err(b)) => prop_assert_eq!(s, b),
                (s, b) => prop_assert!(false, "small {s:?}, unbounded {b:?}"),
            }
            // And what callers get is always the unbounded value.
            let got = evaluate(&expr, &mut |n: &str| look(n));
            let big = evaluate_in::<BigRational, ()>(&expr, &mut |n: &str| look(n), true);
            prop_assert_eq!(got.clone().map(Some), big);
            // Without the text, the same value, and the same failure.
            let value = evaluate_value(&expr, &mut |n: &str| look(n));
            match (got, value) {
                (Ok(got), Ok(value)) => prop_assert_eq!(got.value, value),
                (Err(EvalError::DivisionByZero { .. }), Err(EvalError::DivisionByZero { shown })) => {
                    prop_assert_eq!(shown, "");
                }
                (got, value) => prop_assert!(false, "shown {got:?}, not shown {value:?}"),
            }
        }

        #[test]
        fn rounding_lands_within_half_a_unit(n in -1_000_000i64..1_000_000, d in 1i64..10_000, places in 0u32..6) {
            let r = BigRational::new(BigInt::from(n), BigInt::from(d));
            let rounded = round_half_away(&r, places);
            let unit = BigRational::new(BigInt::one(), BigInt::from(10).pow(places));
            let gap = (&rounded - &r).abs();
            prop_assert!(gap * BigRational::from_integer(BigInt::from(2)) <= unit);
            prop_assert!(to_decimal(&rounded).is_some());
        }
    }
}
