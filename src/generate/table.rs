//! Invented raw tables for a set's computed leaves (spec §6): one-stop-shop statistics, one
//! row per agency, whose counts fit together so that every expression of the set has a
//! value, and survey responses, one row per respondent. Each table has a `ChaCha8` key of its
//! own (the seed and the table's name), and each agency a stream in it.

use std::convert::Infallible;

use num_traits::{Signed, ToPrimitive, Zero as _};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};

use crate::model::compute::{How, Survey};
use crate::model::criteria::{CriteriaSet, Leaf};
use crate::model::expr::{Expr, Op};
use crate::model::rule::Rule;
use crate::read::expr::{self, EvalError, Outcome};
use crate::text::{ascii_key, fold};

/// How often a whole that a leaf's `zero = …` covers is 0, to exercise it.
const EMPTY_WHOLE: f64 = 0.05;
/// How often an agency has too few respondents to be surveyed.
const THIN_SURVEY: f64 = 0.05;
/// How often a respondent leaves a question blank.
const BLANK_ANSWER: f64 = 0.03;
/// How many times an agency's counts are mended before they are left as they are.
const MENDS: usize = 64;

/// A raw table the set's computed leaves read, and how to invent its rows.
#[derive(Debug, Clone)]
pub struct Table<'a> {
    name: &'a str,
    /// After `agency`: every column the leaves name, as first written, in order of first
    /// appearance; names the reader takes for one column (the same `ascii_key`) are one.
    columns: Vec<&'a str>,
    /// The `ChaCha8` key of the table's rows.
    key: [u8; 32],
    shape: Shape<'a>,
}

#[derive(Debug, Clone)]
enum Shape<'a> {
    Statistics(Statistics<'a>),
    Responses(Responses<'a>),
}

impl<'a> Table<'a> {
    /// The tables `set`'s computed leaves name, in order of first use.
    pub(crate) fn for_set(set: &'a CriteriaSet, seed: u64) -> Vec<Table<'a>> {
        let mut names: Vec<&str> = Vec::new();
        for (_, _, leaf) in set.leaves() {
            if let Some(c) = &leaf.compute
                && !names.contains(&c.table.as_str())
            {
                names.push(&c.table);
            }
        }
        names
            .into_iter()
            .map(|name| {
                let leaves: Vec<&Leaf> = set
                    .leaves()
                    .map(|(_, _, l)| l)
                    .filter(|l| l.compute.as_ref().is_some_and(|c| c.table == name))
                    .collect();
                let mut columns = Columns::default();
                // A table read both ways is refused when it is scored; here the first
                // leaf's way is taken and the other leaves are passed over.
                let responses = leaves
                    .first()
                    .and_then(|l| l.compute.as_ref())
                    .is_some_and(|c| matches!(c.how, How::Survey(_)));
                let shape = if responses {
                    let surveys: Vec<&Survey> = leaves
                        .iter()
                        .filter_map(|l| match &l.compute.as_ref()?.how {
                            How::Survey(s) => Some(s),
                            How::Value { .. } => None,
                        })
                        .collect();
                    Shape::Responses(Responses::new(&surveys, &mut columns))
                } else {
                    let formulas: Vec<Formula<'a>> =
                        leaves.iter().filter_map(|l| Formula::of(l)).collect();
                    Shape::Statistics(Statistics::new(formulas, &mut columns))
                };
                let mut hasher = Sha256::new();
                hasher.update(seed.to_le_bytes());
                hasher.update(b"parindex generate: table ");
                hasher.update(name.as_bytes());
                Table { name, columns: columns.names, key: hasher.finalize().into(), shape }
            })
            .collect()
    }

    /// The table's name, as the set's `compute = { table = "…" }` gives it.
    pub fn name(&self) -> &'a str {
        self.name
    }

    /// The header: `agency`, then the columns the leaves name.
    pub fn header(&self) -> impl Iterator<Item = &'a str> + '_ {
        std::iter::once("agency").chain(self.columns.iter().copied())
    }

    /// The rows of the agency at `index` with id `agency`, of an agency working as well as
    /// `quality` (0..=1) says, each given to `put` as the fields of the header in order.
    pub(crate) fn rows<E>(
        &self,
        index: usize,
        agency: &str,
        quality: f64,
        respondents: usize,
        put: &mut dyn FnMut(&[&str]) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut rng = ChaCha8Rng::from_seed(self.key);
        rng.set_stream(index as u64);
        match &self.shape {
            Shape::Statistics(s) => {
                let counts = s.row(&mut rng, quality);
                let texts: Vec<String> = counts.iter().map(u64::to_string).collect();
                let mut row: Vec<&str> = Vec::with_capacity(texts.len() + 1);
                row.push(agency);
                row.extend(texts.iter().map(String::as_str));
                put(&row)
            }
            Shape::Responses(r) => {
                r.rows(&mut rng, quality, respondents, self.columns.len() + 1, agency, put)
            }
        }
    }
}

/// The columns of a table as they are named, one per `ascii_key`.
#[derive(Debug, Default)]
struct Columns<'a> {
    names: Vec<&'a str>,
    keys: Vec<String>,
}

impl<'a> Columns<'a> {
    /// The column `name` is, counted from the first after `agency`.
    fn index(&mut self, name: &'a str) -> usize {
        let key = ascii_key(name);
        if let Some(i) = self.keys.iter().position(|k| *k == key) {
            return i;
        }
        self.names.push(name);
        self.keys.push(key);
        self.names.len() - 1
    }
}

/// What a column of a statistics table counts, by where the expressions use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// In a denominator: the size of what is counted (dossiers received). `empty`: may be
    /// 0, as every leaf it is the last denominator of says what 0/0 scores. `decimal`: it
    /// divides inside a plain number, so it is drawn as 2^i·5^j and the quotient is exact.
    Whole { empty: bool, decimal: bool },
    /// Only in numerators: a share of the smallest whole of its leaves.
    Part,
    /// In no division: a count of its own. `small`: scored per item, or lower is better.
    Count { small: bool },
}

/// A statistics leaf: its expression, and what its columns are to it.
#[derive(Debug, Clone)]
struct Formula<'a> {
    expr: &'a Expr,
    /// The leaf says what a zero last denominator scores (`zero = …`).
    zero: bool,
    /// 0/0 has a value: `zero = …`, or the leaf may be not applicable.
    empty_ok: bool,
    /// Scored per item, or lower is better: its plain counts are few.
    small: bool,
    /// Parts of its numerators, each with whether more of it raises the value.
    parts: Vec<(usize, bool)>,
    /// The columns of its denominators and its plain counts: what is drawn again when
    /// mending its parts does not give it a value.
    redrawn: Vec<usize>,
    /// The right side of each of its divisions.
    denominators: Vec<&'a Expr>,
}

impl<'a> Formula<'a> {
    fn of(leaf: &'a Leaf) -> Option<Self> {
        let How::Value { expr, zero, .. } = &leaf.compute.as_ref()?.how else { return None };
        let small =
            matches!(leaf.rule, Rule::PerItem { .. } | Rule::Bands { lower_is_better: true, .. });
        Some(Formula::new(expr, zero.is_some(), zero.is_some() || leaf.na.is_some(), small))
    }

    fn new(expr: &'a Expr, zero: bool, empty_ok: bool, small: bool) -> Self {
        Formula {
            expr,
            zero,
            empty_ok,
            small,
            parts: Vec::new(),
            redrawn: Vec::new(),
            denominators: Vec::new(),
        }
    }
}

/// Where a column stands in an expression.
#[derive(Debug, Clone, Copy)]
struct At {
    /// Above it only parentheses: a division here is the last operation.
    top: bool,
    /// Inside the left side of a division.
    numerator: bool,
    /// Inside the right side of a division: the last one (`Some(true)`) or another.
    denominator: Option<bool>,
    /// Whether more of it raises the value (an even number of `-` above it).
    raises: bool,
}

/// Every column of `expr` with where it stands, in order of appearance, and the right
/// side of each division. A stack rather than recursion, as everywhere expressions are
/// walked: a long chain nests as deep as it is long.
fn places<'e>(expr: &'e Expr, denominators: &mut Vec<&'e Expr>) -> Vec<(&'e str, At)> {
    let mut found = Vec::new();
    let start = At { top: true, numerator: false, denominator: None, raises: true };
    let mut stack = vec![(expr, start)];
    while let Some((e, at)) = stack.pop() {
        let inner = At { top: false, ..at };
        match e {
            Expr::Number(_) => {}
            Expr::Column { name, .. } => found.push((name.as_str(), at)),
            Expr::Neg(x) => stack.push((x, At { raises: !at.raises, ..inner })),
            Expr::Group(x) => stack.push((x, at)),
            Expr::Call { args, .. } => stack.extend(args.iter().rev().map(|a| (a, inner))),
            Expr::Binary { op, left, right } => {
                let right_at = match op {
                    Op::Add | Op::Mul => inner,
                    Op::Sub => At { raises: !at.raises, ..inner },
                    Op::Div => {
                        denominators.push(right);
                        // Only the division above which stand only parentheses is last.
                        At { denominator: Some(at.top), ..inner }
                    }
                };
                let left_at = if *op == Op::Div { At { numerator: true, ..inner } } else { inner };
                stack.push((right, right_at));
                stack.push((left, left_at));
            }
        }
    }
    found
}

/// The columns of a statistics table and the leaves that read it.
#[derive(Debug, Clone)]
struct Statistics<'a> {
    /// Each name as written in an expression → its column.
    lookup: FxHashMap<&'a str, usize>,
    roles: Vec<Role>,
    leaves: Vec<Formula<'a>>,
    /// For each column, the leaves it is a part of.
    part_of: Vec<Vec<usize>>,
}

impl<'a> Statistics<'a> {
    fn new(mut leaves: Vec<Formula<'a>>, columns: &mut Columns<'a>) -> Self {
        let mut lookup = FxHashMap::default();
        let mut placed: Vec<Vec<(usize, At)>> = Vec::with_capacity(leaves.len());
        for leaf in &mut leaves {
            let mut denominators = Vec::new();
            let found = places(leaf.expr, &mut denominators)
                .into_iter()
                .map(|(name, at)| {
                    let i = columns.index(name);
                    lookup.insert(name, i);
                    (i, at)
                })
                .collect();
            leaf.denominators = denominators;
            placed.push(found);
        }
        let n = columns.names.len();
        // Wholes first: a column in any denominator is one; then parts; the rest counts.
        let mut whole = vec![false; n];
        let mut empty = vec![true; n];
        let mut decimal = vec![false; n];
        let mut numerator = vec![false; n];
        let mut small = vec![false; n];
        for (leaf, found) in leaves.iter().zip(&placed) {
            let ratio = leaf.expr.is_ratio();
            for &(i, at) in found {
                match at.denominator {
                    Some(last) => {
                        whole[i] = true;
                        empty[i] &= last && ratio && leaf.zero;
                        decimal[i] |= !ratio;
                    }
                    None if at.numerator => numerator[i] = true,
                    None => small[i] |= leaf.small,
                }
            }
        }
        let roles: Vec<Role> = (0..n)
            .map(|i| {
                if whole[i] {
                    Role::Whole { empty: empty[i], decimal: decimal[i] }
                } else if numerator[i] {
                    Role::Part
                } else {
                    Role::Count { small: small[i] }
                }
            })
            .collect();
        let mut part_of = vec![Vec::new(); n];
        for (k, (leaf, found)) in leaves.iter_mut().zip(&placed).enumerate() {
            for &(i, at) in found {
                if roles[i] == Role::Part && at.numerator && at.denominator.is_none() {
                    if !leaf.parts.iter().any(|(p, _)| *p == i) {
                        leaf.parts.push((i, at.raises));
                        part_of[i].push(k);
                    }
                } else if roles[i] != Role::Part && !leaf.redrawn.contains(&i) {
                    leaf.redrawn.push(i);
                }
            }
        }
        Statistics { lookup, roles, leaves, part_of }
    }

    /// One agency's counts, a whole number per column.
    fn row(&self, rng: &mut ChaCha8Rng, quality: f64) -> Vec<u64> {
        // The agency's size: log10 of its dossiers, some hundreds to some ten thousands.
        let size = rng.random_range(2.3..4.3);
        let mut counts: Vec<u64> =
            self.roles.iter().map(|role| draw(*role, rng, size, quality)).collect();
        self.share_parts(rng, quality, &mut counts);
        self.mend(rng, size, quality, &mut counts);
        counts
    }

    /// Draws every part as a share of the smallest whole of its leaves: parts that raise
    /// a leaf's value share its rate, the others what is left of it.
    fn share_parts(&self, rng: &mut ChaCha8Rng, quality: f64, counts: &mut [u64]) {
        let bases: Vec<u64> = self.leaves.iter().map(|leaf| self.base(leaf, counts)).collect();
        let mut drawn = vec![false; counts.len()];
        for leaf in &self.leaves {
            let skill = (quality + (rng.random::<f64>() - 0.5) * 0.35).clamp(0.0, 1.0);
            // Most agencies resolve 85 to 100 % of their dossiers on time.
            let rate = 1.0 - (1.0 - skill).powf(1.5) * 0.6;
            for raises in [true, false] {
                let fresh: Vec<usize> = leaf
                    .parts
                    .iter()
                    .filter(|(i, r)| *r == raises && !drawn[*i])
                    .map(|(i, _)| *i)
                    .collect();
                let mut left = if raises { rate } else { 1.0 - rate };
                for (k, &i) in fresh.iter().enumerate() {
                    let share = if k + 1 == fresh.len() {
                        left
                    } else if k == 0 {
                        left * rng.random_range(0.85..0.99)
                    } else {
                        left * rng.random_range(0.3..0.9)
                    };
                    left -= share;
                    let base = self.part_of[i].iter().map(|&l| bases[l]).min().unwrap_or(0);
                    counts[i] = whole_number(share * real(base));
                    drawn[i] = true;
                }
            }
        }
    }

    /// The smallest positive value of a factor of a leaf's denominators, in whole
    /// numbers; 0 when there is none. A factor rather than the whole product: a part is
    /// a share of one count, and in `(a * b) / (c * max(c, b))` it is `a` of `c`.
    fn base(&self, leaf: &Formula<'_>, counts: &[u64]) -> u64 {
        let mut factors: Vec<&Expr> = Vec::new();
        let mut stack: Vec<&Expr> = leaf.denominators.clone();
        while let Some(e) = stack.pop() {
            match e {
                Expr::Group(inner) => stack.push(inner),
                Expr::Binary { op: Op::Mul, left, right } => {
                    stack.push(right);
                    stack.push(left);
                }
                _ => factors.push(e),
            }
        }
        factors
            .into_iter()
            .filter_map(|d| {
                let got = self.evaluate(d, counts).ok()?;
                let value = match got.value {
                    Outcome::Number(n) => n,
                    Outcome::Ratio { top, bottom } if !bottom.is_zero() => top / bottom,
                    Outcome::Ratio { .. } => return None,
                };
                let floor = value.floor().to_integer();
                (floor.is_positive()).then(|| u64::try_from(floor).unwrap_or(u64::MAX))
            })
            .min()
            .unwrap_or(0)
    }

    /// The count of the column named `name`, as an expression reads it.
    fn count(&self, name: &str, counts: &[u64]) -> Decimal {
        Decimal::from(self.lookup.get(name).map_or(0, |&i| counts[i]))
    }

    /// Evaluates `e` over the counts.
    fn evaluate(&self, e: &Expr, counts: &[u64]) -> Result<expr::Evaluated, EvalError<Infallible>> {
        expr::evaluate(e, &mut |name| Ok(self.count(name, counts)))
    }

    /// What keeps a leaf from having a value with these counts, if anything.
    fn fault(&self, leaf: &Formula<'_>, counts: &[u64]) -> Option<Fault> {
        let got = match self.evaluate(leaf.expr, counts) {
            Ok(got) => got,
            Err(EvalError::DivisionByZero { .. }) => return Some(Fault::Denominator),
            Err(EvalError::Column(never)) => match never {},
        };
        match got.value {
            Outcome::Ratio { top, bottom } => {
                if bottom.is_negative() || bottom.is_zero() && !leaf.empty_ok {
                    Some(Fault::Denominator)
                } else if bottom.is_zero() && !top.is_zero() {
                    Some(Fault::Other)
                } else if top.is_negative() {
                    Some(Fault::Low)
                } else if top > bottom {
                    // How far above 1: the parts that raise it are taken down about so.
                    let over = (&top / &bottom).to_f64().unwrap_or(f64::INFINITY);
                    Some(Fault::High(over))
                } else {
                    None
                }
            }
            Outcome::Number(n) if n.is_negative() => Some(Fault::Low),
            Outcome::Number(n) => expr::to_decimal(&n).is_none().then_some(Fault::Other),
        }
    }

    /// Mends the counts until every leaf has a value: a rate above 1 or below 0 takes the
    /// parts that made it so down, then every part of the leaf is 0; a denominator of 0
    /// or less (or a division by zero inside) draws the leaf's wholes and counts again,
    /// and last its plain counts are 0. Bounded: an expression no counts satisfy is left
    /// as it falls.
    fn mend(&self, rng: &mut ChaCha8Rng, size: f64, quality: f64, counts: &mut [u64]) {
        let mut tries = vec![0usize; self.leaves.len()];
        for _ in 0..MENDS {
            let mut sound = true;
            for (k, leaf) in self.leaves.iter().enumerate() {
                let Some(fault) = self.fault(leaf, counts) else { continue };
                sound = false;
                tries[k] += 1;
                let t = tries[k];
                match fault {
                    Fault::Denominator if t <= 12 => {
                        for &i in &leaf.redrawn {
                            counts[i] = draw(self.roles[i], rng, size, quality);
                        }
                    }
                    Fault::High(_) | Fault::Low | Fault::Other if t <= 6 => {
                        let chosen: Vec<usize> = leaf
                            .parts
                            .iter()
                            .filter(|(_, raises)| match fault {
                                Fault::High(_) => *raises,
                                Fault::Low => !*raises,
                                _ => true,
                            })
                            .map(|(i, _)| *i)
                            .collect();
                        let chosen = if chosen.is_empty() {
                            leaf.parts.iter().map(|(i, _)| *i).collect()
                        } else {
                            chosen
                        };
                        // A rate above 1 is taken to a little below it; anything else by a
                        // good part each time.
                        let by = match fault {
                            Fault::High(over) if over.is_finite() => {
                                rng.random_range(0.85..0.99) / over
                            }
                            _ => rng.random_range(0.3..0.8),
                        };
                        for i in chosen {
                            counts[i] = whole_number(real(counts[i]) * by);
                        }
                    }
                    _ if t <= 7 => {
                        for &(i, _) in &leaf.parts {
                            counts[i] = 0;
                        }
                    }
                    _ if t <= 14 => {
                        for &i in &leaf.redrawn {
                            counts[i] = draw(self.roles[i], rng, size, quality);
                        }
                    }
                    _ => {
                        for &i in &leaf.redrawn {
                            if matches!(self.roles[i], Role::Count { .. }) {
                                counts[i] = 0;
                            }
                        }
                    }
                }
            }
            if sound {
                return;
            }
        }
    }
}

/// Why a leaf has no value with the counts drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fault {
    /// A rate above 1: this many times its whole.
    High(f64),
    /// Below zero.
    Low,
    /// A denominator below zero, or zero where the leaf cannot take it.
    Denominator,
    /// Anything else: no exact decimal, something out of nothing.
    Other,
}

/// A fresh count for a column of this role, for an agency of `size`.
fn draw(role: Role, rng: &mut ChaCha8Rng, size: f64, quality: f64) -> u64 {
    match role {
        Role::Whole { empty, decimal } => {
            if empty && rng.random_bool(EMPTY_WHOLE) {
                return 0;
            }
            let n = 10f64.powf(size + rng.random_range(-0.4..0.4));
            if decimal { decimal_whole(n) } else { whole_number(n).max(1) }
        }
        Role::Part => 0,
        Role::Count { small: true } => {
            if rng.random_bool(quality.clamp(0.0, 1.0)) {
                0
            } else {
                rng.random_range(1..5)
            }
        }
        Role::Count { small: false } => whole_number(10f64.powf(rng.random_range(1.0..3.0))),
    }
}

/// A count as a real number. Counts stay far below 2^52, where the cast is exact.
#[allow(clippy::cast_precision_loss)]
fn real(n: u64) -> f64 {
    n as f64
}

/// `x` rounded down to a whole number, 0 for anything below.
fn whole_number(x: f64) -> u64 {
    if x.is_finite() && x > 0.0 {
        // Counts stay far below 2^53: the cast is exact.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let n = x.floor() as u64;
        n
    } else {
        0
    }
}

/// The number of the form 2^i·5^j nearest `x` (at least 1): anything divided by it is an
/// exact decimal.
fn decimal_whole(x: f64) -> u64 {
    let mut best = 1u64;
    let mut five = 1u64;
    while five <= 1_000_000_000 {
        let mut n = five;
        while n <= 1_000_000_000 {
            if (real(n) - x).abs() < (real(best) - x).abs() {
                best = n;
            }
            n *= 2;
        }
        five *= 5;
    }
    best
}

/// The leaves of a responses table, grouped by the texts their `where` asks for: each
/// group's respondents have a row of their own.
#[derive(Debug, Clone)]
struct Responses<'a> {
    groups: Vec<Group<'a>>,
}

#[derive(Debug, Clone)]
struct Group<'a> {
    /// Each filter column, with the text the group's rows hold there.
    filter: Vec<(usize, &'a str)>,
    /// Each question its rows answer, with the labels drawn.
    questions: Vec<(usize, Labels<'a>)>,
    /// The respondents a thin agency has at most in the group: fewer than any leaf its rows
    /// count for needs to be surveyed.
    thin: u64,
}

/// The answers drawn for a question: a satisfied respondent picks among `best` (the
/// highest weight), another among `other`.
#[derive(Debug, Clone)]
struct Labels<'a> {
    best: Vec<&'a str>,
    other: Vec<&'a str>,
}

impl<'a> Responses<'a> {
    fn new(leaves: &[&'a Survey], columns: &mut Columns<'a>) -> Self {
        // The header: the filter columns, then the questions.
        for s in leaves {
            for (c, _, _) in &s.filter {
                columns.index(c);
            }
        }
        for s in leaves {
            for (q, _) in &s.questions {
                columns.index(q);
            }
        }
        let keys: Vec<Vec<(usize, String)>> = leaves
            .iter()
            .map(|s| {
                let mut key: Vec<(usize, String)> =
                    s.filter.iter().map(|(c, text, _)| (columns.index(c), fold(text))).collect();
                key.sort();
                key.dedup();
                key
            })
            .collect();
        let mut firsts: Vec<usize> = Vec::new();
        for (k, key) in keys.iter().enumerate() {
            if !firsts.iter().any(|&f| keys[f] == *key) {
                firsts.push(k);
            }
        }
        // A leaf counts the rows of every group whose texts include all those it asks for.
        let admits = |g: usize, l: usize| keys[l].iter().all(|pair| keys[g].contains(pair));
        let groups = firsts
            .iter()
            .map(|&g| {
                let mut filter: Vec<(usize, &'a str)> = Vec::new();
                for (c, text, _) in &leaves[g].filter {
                    let i = columns.index(c);
                    if !filter.iter().any(|(f, _)| *f == i) {
                        filter.push((i, text));
                    }
                }
                let counted: Vec<usize> = (0..leaves.len()).filter(|&l| admits(g, l)).collect();
                let mut questions: Vec<(usize, Labels<'a>)> = Vec::new();
                for &l in &counted {
                    for (q, _) in &leaves[l].questions {
                        let i = columns.index(q);
                        if questions.iter().any(|(c, _)| *c == i) {
                            continue;
                        }
                        let askers: Vec<&Survey> = counted
                            .iter()
                            .map(|&m| leaves[m])
                            .filter(|s| {
                                s.questions.iter().any(|(q, _)| ascii_key(q) == columns.keys[i])
                            })
                            .collect();
                        questions.push((i, Labels::new(&askers)));
                    }
                }
                let thin = counted
                    .iter()
                    .map(|&l| {
                        let s = leaves[l];
                        let asked = s.questions.len().max(1) as u64;
                        let needed = s.min_answers.max(1).div_ceil(asked);
                        let shared = firsts.iter().filter(|&&h| admits(h, l)).count().max(1);
                        needed / shared as u64
                    })
                    .min()
                    .unwrap_or(0);
                Group { filter, questions, thin }
            })
            .collect();
        Responses { groups }
    }

    fn rows<E>(
        &self,
        rng: &mut ChaCha8Rng,
        quality: f64,
        respondents: usize,
        width: usize,
        agency: &str,
        put: &mut dyn FnMut(&[&str]) -> Result<(), E>,
    ) -> Result<(), E> {
        let thin = rng.random_bool(THIN_SURVEY);
        let mut row: Vec<&str> = vec![""; width];
        for group in &self.groups {
            let count =
                if thin { rng.random_range(0..group.thin.max(1)) } else { respondents as u64 };
            // How likely a respondent is satisfied: the agency's work, as people see it.
            let satisfied = (quality + 0.12 + (rng.random::<f64>() - 0.5) * 0.1).clamp(0.02, 0.99);
            for _ in 0..count {
                row.fill("");
                row[0] = agency;
                for &(c, text) in &group.filter {
                    row[c + 1] = text;
                }
                for (c, labels) in &group.questions {
                    if labels.best.is_empty() || rng.random_bool(BLANK_ANSWER) {
                        continue;
                    }
                    let from = if labels.other.is_empty() || rng.random_bool(satisfied) {
                        &labels.best
                    } else {
                        &labels.other
                    };
                    row[c + 1] = from[rng.random_range(0..from.len())];
                }
                put(&row)?;
            }
        }
        Ok(())
    }
}

impl<'a> Labels<'a> {
    /// The labels of the first leaf that every one of `askers` knows (matched as the
    /// reader matches them), split by weight.
    fn new(askers: &[&'a Survey]) -> Self {
        let Some(first) = askers.first() else {
            return Labels { best: Vec::new(), other: Vec::new() };
        };
        let known: Vec<&'a (String, Decimal)> = first
            .answers
            .iter()
            .filter(|(label, _)| {
                let key = fold(label);
                askers.iter().all(|s| s.answers.iter().any(|(l, _)| fold(l) == key))
            })
            .collect();
        let top = known.iter().map(|(_, w)| *w).max().unwrap_or_default();
        Labels {
            best: known.iter().filter(|(_, w)| *w == top).map(|(l, _)| l.as_str()).collect(),
            other: known.iter().filter(|(_, w)| *w != top).map(|(l, _)| l.as_str()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(texts: &[&str]) -> Vec<Expr> {
        texts.iter().map(|t| expr::parse(t).unwrap()).collect()
    }

    /// The statistics of leaves with these expressions, each with or without `zero = …`.
    fn statistics<'a>(exprs: &'a [Expr], zero: &[bool]) -> (Statistics<'a>, Vec<&'a str>) {
        let mut columns = Columns::default();
        let formulas = exprs
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let z = zero.get(i).copied().unwrap_or(false);
                Formula::new(e, z, z, false)
            })
            .collect();
        let s = Statistics::new(formulas, &mut columns);
        (s, columns.names)
    }

    fn role(s: &Statistics<'_>, name: &str) -> Role {
        s.roles[s.lookup[name]]
    }

    /// The parts of leaf `k` by name, with whether each raises its value.
    fn parts<'a>(s: &Statistics<'a>, names: &[&'a str], k: usize) -> Vec<(&'a str, bool)> {
        s.leaves[k].parts.iter().map(|&(i, raises)| (names[i], raises)).collect()
    }

    const WHOLE: Role = Role::Whole { empty: false, decimal: false };

    #[test]
    fn parts_of_a_sum_over_a_whole_raise_the_rate() {
        let exprs = parsed(&["(a + b) / c"]);
        let (s, names) = statistics(&exprs, &[]);
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!((role(&s, "a"), role(&s, "b"), role(&s, "c")), (Role::Part, Role::Part, WHOLE));
        assert_eq!(parts(&s, &names, 0), [("a", true), ("b", true)]);
    }

    #[test]
    fn parts_taken_from_the_whole_lower_the_rate() {
        let exprs = parsed(&["(c - a - b) / c"]);
        let (s, names) = statistics(&exprs, &[]);
        assert_eq!(names, ["c", "a", "b"]);
        assert_eq!(role(&s, "c"), WHOLE, "a whole in the numerator is still a whole");
        assert_eq!(parts(&s, &names, 0), [("a", false), ("b", false)]);
    }

    #[test]
    fn a_part_capped_by_its_whole() {
        let exprs = parsed(&["min(a, c) / c"]);
        let (s, names) = statistics(&exprs, &[]);
        assert_eq!((role(&s, "a"), role(&s, "c")), (Role::Part, WHOLE));
        assert_eq!(parts(&s, &names, 0), [("a", true)]);
    }

    #[test]
    fn a_division_inside_a_plain_number_divides_by_a_decimal_whole() {
        let exprs = parsed(&["a / b + 1"]);
        let (s, names) = statistics(&exprs, &[]);
        assert_eq!(role(&s, "a"), Role::Part);
        assert_eq!(role(&s, "b"), Role::Whole { empty: false, decimal: true });
        assert_eq!(parts(&s, &names, 0), [("a", true)]);
    }

    #[test]
    fn only_a_whole_every_leaf_of_which_says_what_zero_scores_may_be_empty() {
        let exprs = parsed(&["pakn_dung_han / pakn", "x / tiep_nhan", "tiep_nhan / pakn"]);
        let (s, _) = statistics(&exprs, &[true, true, false]);
        assert_eq!(role(&s, "tiep_nhan"), Role::Whole { empty: true, decimal: false });
        assert_eq!(role(&s, "pakn"), WHOLE, "the third leaf has no zero = …");
        // Inside a division that is not the last, 0 would divide by zero.
        let exprs = parsed(&["a / (b / c)"]);
        let (s, _) = statistics(&exprs, &[true]);
        assert_eq!(role(&s, "b"), Role::Whole { empty: true, decimal: false });
        assert_eq!(role(&s, "c"), WHOLE);
    }

    #[test]
    fn columns_in_no_division_are_counts_and_one_name_however_spelt() {
        let exprs = parsed(&["(Dung_Han + x) / tiep_nhan", "dung_han / tiep_nhan", "so_loi"]);
        let (s, names) = statistics(&exprs, &[]);
        assert_eq!(names, ["Dung_Han", "x", "tiep_nhan", "so_loi"]);
        assert_eq!(s.lookup["dung_han"], s.lookup["Dung_Han"]);
        assert_eq!(role(&s, "so_loi"), Role::Count { small: false });
    }

    #[test]
    fn every_row_gives_every_leaf_a_value() {
        let sets: [&[&str]; 6] = [
            &["(a + b) / c", "(c - a - b) / c", "min(a, c) / c", "a / b + 1"],
            &["(dung_han + dang_xu_ly_trong_han) / tiep_nhan", "truc_tuyen / tiep_nhan"],
            &["(a - b) / c", "a / (c - d)", "x - y"],
            &["(a / b) * 100", "a / 100", "max(a, b) / (b + c)"],
            &["pakn_dung_han / pakn", "(pakn - pakn_qua_han) / pakn"],
            &["a / b / c", "a * 2 / b"],
        ];
        for texts in sets {
            let exprs = parsed(texts);
            let (s, _) = statistics(&exprs, &[true, true, false, false]);
            let mut rates: Vec<f64> = Vec::new();
            for index in 0..500u64 {
                let mut rng = ChaCha8Rng::from_seed([7; 32]);
                rng.set_stream(index);
                let quality = rng.random_range(0.42..0.97);
                let counts = s.row(&mut rng, quality);
                for leaf in &s.leaves {
                    assert_eq!(s.fault(leaf, &counts), None, "{texts:?} at {index}: {counts:?}");
                }
                if let (Some(&a), Some(&b), Some(&c)) = (
                    s.lookup.get("dung_han"),
                    s.lookup.get("dang_xu_ly_trong_han"),
                    s.lookup.get("tiep_nhan"),
                ) {
                    rates.push(real(counts[a] + counts[b]) / real(counts[c]));
                }
            }
            if !rates.is_empty() {
                // Most agencies resolve 85 to 100 % of their dossiers on time.
                let usual = rates.iter().filter(|r| (0.85..=1.0).contains(*r)).count();
                assert!(usual * 2 > rates.len(), "{usual} of {}", rates.len());
            }
        }
    }

    #[test]
    fn wholes_that_divide_inside_a_number_are_products_of_twos_and_fives() {
        for x in [0.3, 1.0, 7.0, 999.0, 12_345.0, 3e9] {
            let mut n = decimal_whole(x);
            assert!(n >= 1);
            while n.is_multiple_of(2) {
                n /= 2;
            }
            while n.is_multiple_of(5) {
                n /= 5;
            }
            assert_eq!(n, 1, "{x}");
        }
        assert_eq!(decimal_whole(999.0), 1000);
        assert_eq!(decimal_whole(130.0), 128);
    }

    fn survey(questions: &[&str], filter: &[(&str, &str)], min_answers: u64) -> Survey {
        let weights =
            [("Rất hài lòng", 1), ("Hài lòng", 1), ("Bình thường", 0), ("Không hài lòng", 0)];
        Survey {
            questions: questions.iter().map(|q| ((*q).to_string(), 0..0)).collect(),
            answers: weights.iter().map(|(l, w)| ((*l).to_string(), Decimal::from(*w))).collect(),
            filter: filter
                .iter()
                .map(|(c, t)| ((*c).to_string(), (*t).to_string(), 0..0))
                .collect(),
            min_answers,
        }
    }

    #[test]
    fn respondents_answer_the_questions_of_every_leaf_that_counts_their_row() {
        let sipas = survey(&["C1", "C2"], &[("phieu", "SIPAS")], 30);
        let ddci = survey(&["C3"], &[("Phiếu", "DDCI")], 10);
        let anyone = survey(&["C1"], &[], 4);
        let mut columns = Columns::default();
        let r = Responses::new(&[&sipas, &ddci, &anyone], &mut columns);
        assert_eq!(columns.names, ["phieu", "C1", "C2", "C3"]);
        assert_eq!(r.groups.len(), 3, "one group of respondents for each `where`");
        let mut rows: Vec<Vec<String>> = Vec::new();
        let mut rng = ChaCha8Rng::from_seed([1; 32]);
        for _ in 0..200 {
            r.rows(&mut rng, 0.7, 10, 5, "x", &mut |row: &[&str]| {
                rows.push(row.iter().map(|f| (*f).to_string()).collect());
                Ok::<_, Infallible>(())
            })
            .unwrap();
        }
        let of = |phieu: &str| rows.iter().filter(|r| r[1] == phieu).collect::<Vec<_>>();
        let (sipas_rows, ddci_rows, other_rows) = (of("SIPAS"), of("DDCI"), of(""));
        assert_eq!(sipas_rows.len() + ddci_rows.len() + other_rows.len(), rows.len());
        assert!(sipas_rows.iter().all(|r| r[4].is_empty()));
        assert!(ddci_rows.iter().all(|r| r[3].is_empty()));
        assert!(other_rows.iter().all(|r| r[3].is_empty() && r[4].is_empty()));
        // The leaf without `where` counts every row, and asks C1 of everyone.
        assert!(ddci_rows.iter().any(|r| !r[2].is_empty()));
        let blank = rows.iter().filter(|r| r[2].is_empty()).count();
        assert!(blank * 100 > rows.len() && blank * 100 < rows.len() * 6, "{blank}");
        // Thin agencies: the leaf without `where`, counted in all three groups, needs 4
        // answers to one question: a thin agency has no respondent in any group.
        assert_eq!(r.groups.iter().map(|g| g.thin).collect::<Vec<_>>(), [1, 1, 1]);
        assert!(rows.len() < 200 * 30 && rows.len() > 180 * 30, "{}", rows.len());
    }
}
