//! The arithmetic of a `compute` leaf, as data: the `value` expression over the columns of
//! one agency's row, parsed, with the place of every column name in the text. It also
//! writes itself back in a normal form. Parsing and exact evaluation live in `read::expr`.

use std::fmt;
use std::ops::Range;

use rust_decimal::Decimal;

/// An arithmetic expression over the columns of one agency's row, as `read::expr::parse`
/// builds it: operators nest by precedence, and every pair of parentheses typed is a
/// [`Expr::Group`], so the tree writes back as it was meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// A number as written: `0.5`, `100`. Never negative from the parser: `-2` is a
    /// [`Expr::Neg`] of `2`.
    Number(Decimal),
    /// A column of the table, by its name as written; `span` is where the name stands in
    /// the expression text, in bytes, so a missing column can be pointed at.
    Column { name: String, span: Range<usize> },
    /// Unary minus.
    Neg(Box<Expr>),
    /// `left op right`.
    Binary { op: Op, left: Box<Expr>, right: Box<Expr> },
    /// `min(a, b, …)` or `max(a, b, …)`, with two or more arguments.
    Call { func: Func, args: Vec<Expr> },
    /// Parentheses as written, kept so that the derivation can be shown as typed.
    Group(Box<Expr>),
}

/// A binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

/// A function of the expression language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Func {
    Min,
    Max,
}

impl Expr {
    /// Every column reference with its span, in order of appearance, repeats included.
    #[must_use]
    pub fn columns(&self) -> Vec<(&str, Range<usize>)> {
        let mut found = Vec::new();
        // A stack rather than recursion: a long chain `a + b + c + …` nests as deep as it
        // is long.
        let mut stack = vec![self];
        while let Some(expr) = stack.pop() {
            match expr {
                Expr::Number(_) => {}
                Expr::Column { name, span } => found.push((name.as_str(), span.clone())),
                Expr::Neg(inner) | Expr::Group(inner) => stack.push(inner),
                Expr::Binary { left, right, .. } => {
                    stack.push(right);
                    stack.push(left);
                }
                Expr::Call { args, .. } => stack.extend(args.iter().rev()),
            }
        }
        found
    }

    /// Whether the last operation, once the outer parentheses are set aside, is a
    /// division: then the value is a ratio `a/b`, read as a typed `a/b` would be.
    #[must_use]
    pub fn is_ratio(&self) -> bool {
        let mut expr = self;
        while let Expr::Group(inner) = expr {
            expr = inner;
        }
        matches!(expr, Expr::Binary { op: Op::Div, .. })
    }
}

impl Op {
    /// The operator as it is typed.
    #[must_use]
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Add => "+",
            Op::Sub => "-",
            Op::Mul => "*",
            Op::Div => "/",
        }
    }
}

impl Func {
    /// The function's name as it is written back (it is read in any case).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Func::Min => "min",
            Func::Max => "max",
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

impl fmt::Display for Func {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The normal form: single spaces around binary operators, `min(a, b)`, parentheses
/// exactly where a [`Expr::Group`] stands, numbers as `Decimal::normalize` prints them.
/// A tree the parser built reads back to the same tree; one built by hand without the
/// groups its precedence needs is written flat, as any tree is.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        /// What is left to write, last first.
        enum Piece<'e> {
            Expr(&'e Expr),
            Text(&'static str),
        }
        // A stack rather than recursion: a long chain `a + b + c + …` nests as deep as it
        // is long.
        let mut pieces = vec![Piece::Expr(self)];
        while let Some(piece) = pieces.pop() {
            match piece {
                Piece::Text(text) => f.write_str(text)?,
                Piece::Expr(Expr::Number(n)) => write!(f, "{}", n.normalize())?,
                Piece::Expr(Expr::Column { name, .. }) => f.write_str(name)?,
                Piece::Expr(Expr::Neg(inner)) => {
                    f.write_str("-")?;
                    pieces.push(Piece::Expr(inner));
                }
                Piece::Expr(Expr::Binary { op, left, right }) => {
                    pieces.push(Piece::Expr(right));
                    pieces.push(Piece::Text(match op {
                        Op::Add => " + ",
                        Op::Sub => " - ",
                        Op::Mul => " * ",
                        Op::Div => " / ",
                    }));
                    pieces.push(Piece::Expr(left));
                }
                Piece::Expr(Expr::Call { func, args }) => {
                    write!(f, "{func}(")?;
                    pieces.push(Piece::Text(")"));
                    for (i, arg) in args.iter().enumerate().rev() {
                        pieces.push(Piece::Expr(arg));
                        if i > 0 {
                            pieces.push(Piece::Text(", "));
                        }
                    }
                }
                Piece::Expr(Expr::Group(inner)) => {
                    f.write_str("(")?;
                    pieces.push(Piece::Text(")"));
                    pieces.push(Piece::Expr(inner));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(name: &str, span: Range<usize>) -> Expr {
        Expr::Column { name: name.to_owned(), span }
    }

    fn bin(op: Op, left: Expr, right: Expr) -> Expr {
        Expr::Binary { op, left: Box::new(left), right: Box::new(right) }
    }

    fn group(inner: Expr) -> Expr {
        Expr::Group(Box::new(inner))
    }

    #[test]
    fn columns_come_in_order_of_appearance_with_repeats() {
        // min(a, b) / (a + 2)
        let expr = bin(
            Op::Div,
            Expr::Call { func: Func::Min, args: vec![col("a", 4..5), col("b", 7..8)] },
            group(bin(Op::Add, col("a", 13..14), Expr::Number(Decimal::TWO))),
        );
        assert_eq!(expr.columns(), vec![("a", 4..5), ("b", 7..8), ("a", 13..14)]);
        assert!(Expr::Number(Decimal::ONE).columns().is_empty());
    }

    #[test]
    fn a_ratio_is_a_division_last_whatever_the_parentheses() {
        let a_over_b = bin(Op::Div, col("a", 0..1), col("b", 4..5));
        assert!(a_over_b.is_ratio());
        assert!(group(group(a_over_b.clone())).is_ratio());
        assert!(!bin(Op::Add, a_over_b.clone(), Expr::Number(Decimal::ONE)).is_ratio());
        assert!(!Expr::Neg(Box::new(group(a_over_b.clone()))).is_ratio());
        assert!(
            !Expr::Call { func: Func::Max, args: vec![a_over_b, Expr::Number(Decimal::ONE)] }
                .is_ratio()
        );
        assert!(!col("a", 0..1).is_ratio());
    }

    #[test]
    fn display_writes_the_normal_form() {
        let expr = bin(
            Op::Mul,
            group(bin(
                Op::Sub,
                col("đúng_hạn", 1..12),
                Expr::Neg(Box::new(Expr::Number(Decimal::new(500, 3)))),
            )),
            Expr::Call {
                func: Func::Max,
                args: vec![
                    Expr::Number(Decimal::new(100, 0)),
                    col("x", 0..0),
                    Expr::Number(Decimal::new(10, 1)),
                ],
            },
        );
        assert_eq!(expr.to_string(), "(đúng_hạn - -0.5) * max(100, x, 1)");
    }

    #[test]
    fn a_long_chain_needs_no_deep_stack() {
        let mut expr = col("a", 0..1);
        for i in 0..100_000 {
            expr = bin(Op::Add, expr, col("b", i..i + 1));
        }
        assert_eq!(expr.columns().len(), 100_001);
        assert_eq!(expr.to_string().len(), 1 + 100_000 * 4);
        // Dropping a tree this deep would recurse; take it apart by hand.
        while let Expr::Binary { left, .. } = expr {
            expr = *left;
        }
    }
}
