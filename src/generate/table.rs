//! Invented raw tables for a set's computed leaves (spec §6): one-stop-shop statistics, one
//! row per agency, whose counts fit together as an export's do (the expressions say what
//! is part of what, and every count is drawn after the counts it is part of) so that every
//! expression of the set has a value, and survey responses, one row per respondent. Each table has a `ChaCha8` key of its
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
use crate::model::expr::{Expr, Func, Op};
use crate::model::rule::Rule;
use crate::read::expr::{self, EvalError, Outcome};
use crate::text::{ascii_key, fold};

/// How often a whole that every leaf it divides says what 0 scores (`zero = …`) is 0 where
/// it is drawn small (below `EMPTY_BELOW`): rarely, and in small units, to exercise it.
const EMPTY_WHOLE: f64 = 0.3;
const EMPTY_BELOW: f64 = 200.0;
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
                let leaves: Vec<(&str, &Leaf)> = set
                    .leaves()
                    .map(|(_, n, l)| (n.name.as_str(), l))
                    .filter(|(_, l)| l.compute.as_ref().is_some_and(|c| c.table == name))
                    .collect();
                let mut columns = Columns::default();
                // A table read both ways is refused when it is scored; here the first
                // leaf's way is taken and the other leaves are passed over.
                let responses = leaves
                    .first()
                    .and_then(|(_, l)| l.compute.as_ref())
                    .is_some_and(|c| matches!(c.how, How::Survey(_)));
                let shape = if responses {
                    let surveys: Vec<&Survey> = leaves
                        .iter()
                        .filter_map(|(_, l)| match &l.compute.as_ref()?.how {
                            How::Survey(s) => Some(s),
                            How::Value { .. } => None,
                        })
                        .collect();
                    Shape::Responses(Responses::new(&surveys, &mut columns))
                } else {
                    let formulas: Vec<Formula<'a>> =
                        leaves.iter().filter_map(|(n, l)| Formula::of(n, l)).collect();
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

/// What a rate counts, as far as the share its parts take goes. Told from the words of the
/// leaf's name and columns; anything else is counted as work done on time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Band {
    /// Resolved, answered, published on time: most agencies 90 to 100 %.
    OnTime,
    /// Received or paid online, services used online: 30 to 95 %.
    Online,
    /// Digitised dossiers, electronic results, data reused: 40 to 100 %.
    Digitised,
    /// Dossiers sent or returned by public postal service: 2 to 30 %.
    Postal,
}

/// Words, as `ascii_key` writes them, that say a rate counts work done online…
const ONLINE: [&str; 6] = ["truc_tuyen", "thanh_toan", "dvctt", "online", "payment", "paid"];
/// …by post…
const POSTAL: [&str; 3] = ["buu_chinh", "buu_dien", "postal"];
/// …and digitised.
const DIGITISED: [&str; 7] =
    ["so_hoa", "du_lieu", "dien_tu", "chung_thuc", "digitised", "digitized", "electronic"];

impl Band {
    /// The band of a leaf named `name` computing `expr`.
    fn of(name: &str, expr: &Expr) -> Band {
        let mut text = format!("_{}_", ascii_key(name));
        for (column, _) in expr.columns() {
            text.push_str(&ascii_key(column));
            text.push('_');
        }
        let says = |words: &[&str]| words.iter().any(|w| text.contains(&format!("_{w}_")));
        if says(&POSTAL) {
            Band::Postal
        } else if says(&ONLINE) {
            Band::Online
        } else if says(&DIGITISED) {
            Band::Digitised
        } else {
            Band::OnTime
        }
    }

    /// The share of its whole that the parts raising a rate take together, for an agency
    /// of `skill` (0..=1) at this work.
    fn share(self, skill: f64) -> f64 {
        let spread = ((skill - 0.2) / 0.8).clamp(0.0, 1.0);
        match self {
            Band::OnTime => 1.0 - 0.25 * (1.0 - skill).powi(2),
            Band::Online => 0.30 + 0.65 * spread,
            Band::Digitised => 0.40 + 0.60 * spread,
            Band::Postal => 0.02 + 0.28 * spread,
        }
    }
}

/// The share of its whole that the parts lowering a rate take together (late dossiers,
/// complaints), for an agency of `skill`: at most 10 %, mostly under 3 %.
fn lapse(skill: f64, jitter: f64) -> f64 {
    (0.10 * (1.0 - skill).powf(2.5) * (0.6 + 0.8 * jitter)).min(0.10)
}

/// What a column of a statistics table counts, by where the expressions use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// In a denominator and contained in no other column: the size of what is counted
    /// (dossiers received), drawn at the agency's size. `empty`: may be 0, as every leaf
    /// it is the last denominator of says what 0/0 scores. `decimal`: it divides inside a
    /// plain number, so it is drawn as 2^i·5^j and the quotient is exact.
    Whole { empty: bool, decimal: bool },
    /// Contained in columns of a denominator (dossiers late, of those resolved): a share of
    /// them, drawn after them. `decimal` as for a whole; `positive`: at least 1 where its
    /// containers allow, as it divides where 0 would leave a leaf without a value.
    Part { decimal: bool, positive: bool },
    /// In a numerator but contained in nothing (`a` in `min(a, c) / c`, or over a number):
    /// a share of the denominator of this rate.
    Share { rate: usize },
    /// In no division: a count of its own. `small`: scored per item, or lower is better.
    Count { small: bool },
}

/// One side of a division's numerator, the columns it adds (`raises`) or takes away, and
/// what they are contained in: sums of the denominator's columns, as written. Its parts
/// share one budget, a share of the smallest of its sums: in `(a + b) / c`, a + b ≤ c.
#[derive(Debug, Clone)]
struct Rate<'a> {
    raises: bool,
    band: Band,
    /// The right side of the division: what a `Share` column is drawn from.
    bottom: &'a Expr,
    /// Sums of columns; the parts together are at most each.
    bounds: Vec<Vec<usize>>,
    /// The columns contained, in order of appearance.
    parts: Vec<usize>,
    /// The rate this one narrows to one column of its sum, whose share it takes.
    narrows: Option<usize>,
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
    band: Band,
    /// The columns of its numerators that are not also in their denominator, each with
    /// whether more of it raises the value: what is taken down when the value is too high
    /// or too low.
    tops: Vec<(usize, bool)>,
    /// The columns of its denominators and its plain counts: what is drawn again when its
    /// denominator has no value.
    redrawn: Vec<usize>,
}

impl<'a> Formula<'a> {
    /// The formula of a leaf named `name`, if the leaf computes a value from a table.
    fn of(name: &str, leaf: &'a Leaf) -> Option<Self> {
        let How::Value { expr, zero, .. } = &leaf.compute.as_ref()?.how else { return None };
        let small =
            matches!(leaf.rule, Rule::PerItem { .. } | Rule::Bands { lower_is_better: true, .. });
        let band = Band::of(name, expr);
        Some(Formula::new(expr, zero.is_some(), zero.is_some() || leaf.na.is_some(), small, band))
    }

    fn new(expr: &'a Expr, zero: bool, empty_ok: bool, small: bool, band: Band) -> Self {
        Formula { expr, zero, empty_ok, small, band, tops: Vec::new(), redrawn: Vec::new() }
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
}

/// Every column of `expr` with where it stands, in order of appearance. A stack rather
/// than recursion, as everywhere expressions are walked: a long chain nests as deep as it
/// is long.
fn places(expr: &Expr) -> Vec<(&str, At)> {
    let mut found = Vec::new();
    let start = At { top: true, numerator: false, denominator: None };
    let mut stack = vec![(expr, start)];
    while let Some((e, at)) = stack.pop() {
        let inner = At { top: false, ..at };
        match e {
            Expr::Number(_) => {}
            Expr::Column { name, .. } => found.push((name.as_str(), at)),
            Expr::Neg(x) => stack.push((x, inner)),
            Expr::Group(x) => stack.push((x, at)),
            Expr::Call { args, .. } => stack.extend(args.iter().rev().map(|a| (a, inner))),
            Expr::Binary { op, left, right } => {
                let (left_at, right_at) = if *op == Op::Div {
                    // Only the division above which stand only parentheses is last.
                    (At { numerator: true, ..inner }, At { denominator: Some(at.top), ..inner })
                } else {
                    (inner, inner)
                };
                stack.push((right, right_at));
                stack.push((left, left_at));
            }
        }
    }
    found
}

/// The two sides of every division in `expr`, outer ones first, then left to right.
fn divisions(expr: &Expr) -> Vec<(&Expr, &Expr)> {
    let mut found = Vec::new();
    let mut stack = vec![expr];
    while let Some(e) = stack.pop() {
        match e {
            Expr::Number(_) | Expr::Column { .. } => {}
            Expr::Neg(x) | Expr::Group(x) => stack.push(x),
            Expr::Call { args, .. } => stack.extend(args.iter().rev()),
            Expr::Binary { op, left, right } => {
                if *op == Op::Div {
                    found.push((&**left, &**right));
                }
                stack.push(right);
                stack.push(left);
            }
        }
    }
    found
}

/// The columns a numerator counts, in order of appearance, each with whether more of it
/// raises the rate (an even number of `-` above it) and whether a `min` caps it: then it is
/// not contained in the denominator (`min(a, c) / c` says nothing of `a`). A division
/// inside is a rate of its own, and counts no column here.
fn numerator_columns(top: &Expr) -> Vec<(&str, bool, bool)> {
    let mut found = Vec::new();
    let mut stack = vec![(top, true, false)];
    while let Some((e, raises, capped)) = stack.pop() {
        match e {
            Expr::Number(_) | Expr::Binary { op: Op::Div, .. } => {}
            Expr::Column { name, .. } => found.push((name.as_str(), raises, capped)),
            Expr::Neg(x) => stack.push((x, !raises, capped)),
            Expr::Group(x) => stack.push((x, raises, capped)),
            Expr::Call { func, args } => {
                let capped = capped || *func == Func::Min;
                stack.extend(args.iter().rev().map(|a| (a, raises, capped)));
            }
            Expr::Binary { op, left, right } => {
                let right_raises = if *op == Op::Sub { !raises } else { raises };
                stack.push((right, right_raises, capped));
                stack.push((left, raises, capped));
            }
        }
    }
    found
}

/// What the numerator of a division over `bottom` is contained in: sums of columns, as
/// written, each of which it does not exceed. A column or a sum bounds by itself (its
/// columns taken away left out: `c - d` bounds by `c`); a product by its first factor
/// that bounds (`t * max(t, s)` by `t`: a count is at least 1); `max(…)` by its first
/// argument that bounds, as either may be the larger; `min(…)` by every argument; a
/// number, a negation or a division by nothing. Recursion only through parentheses and
/// calls, which nest at most `MAX_DEPTH` deep; chains are walked with a stack.
fn bounds(bottom: &Expr) -> Vec<Vec<&str>> {
    match bottom {
        Expr::Column { name, .. } => vec![vec![name.as_str()]],
        Expr::Group(x) => bounds(x),
        Expr::Number(_) | Expr::Neg(_) | Expr::Binary { op: Op::Div, .. } => Vec::new(),
        Expr::Call { func: Func::Min, args } => args.iter().flat_map(bounds).collect(),
        Expr::Call { func: Func::Max, args } => {
            args.iter().map(bounds).find(|b| !b.is_empty()).unwrap_or_default()
        }
        Expr::Binary { op: Op::Mul, .. } => {
            let mut factors = Vec::new();
            let mut stack = vec![bottom];
            while let Some(e) = stack.pop() {
                match e {
                    Expr::Binary { op: Op::Mul, left, right } => {
                        stack.push(right);
                        stack.push(left);
                    }
                    _ => factors.push(e),
                }
            }
            factors.into_iter().map(bounds).find(|b| !b.is_empty()).unwrap_or_default()
        }
        Expr::Binary { op: Op::Add | Op::Sub, .. } => {
            let mut sum = Vec::new();
            let mut stack = vec![(bottom, true)];
            while let Some((e, added)) = stack.pop() {
                match e {
                    Expr::Binary { op: op @ (Op::Add | Op::Sub), left, right } => {
                        stack.push((right, added && *op == Op::Add));
                        stack.push((left, added));
                    }
                    Expr::Group(x) if matches!(**x, Expr::Binary { op: Op::Add | Op::Sub, .. }) => {
                        stack.push((x, added));
                    }
                    _ if added => sum.extend(bounds(e).into_iter().next().unwrap_or_default()),
                    _ => {}
                }
            }
            if sum.is_empty() { Vec::new() } else { vec![sum] }
        }
    }
}

/// Whether column `from` is drawn after `to`: `to` is `from`, or one of the columns it is
/// contained in, or one of theirs.
fn reaches(deps: &[Vec<usize>], from: usize, to: usize) -> bool {
    let mut seen = vec![false; deps.len()];
    let mut stack = vec![from];
    while let Some(c) = stack.pop() {
        if c == to {
            return true;
        }
        if !std::mem::replace(&mut seen[c], true) {
            stack.extend(&deps[c]);
        }
    }
    false
}

/// The columns in an order that draws every column after those it depends on, the first
/// column ready first; `deps` has no cycle.
fn topological(deps: &[Vec<usize>]) -> Vec<usize> {
    let n = deps.len();
    let mut waiting: Vec<usize> = deps.iter().map(Vec::len).collect();
    let mut dependents = vec![Vec::new(); n];
    for (i, d) in deps.iter().enumerate() {
        for &c in d {
            dependents[c].push(i);
        }
    }
    let mut ready: std::collections::BTreeSet<usize> =
        (0..n).filter(|&i| waiting[i] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(i) = ready.pop_first() {
        order.push(i);
        for &d in &dependents[i] {
            waiting[d] -= 1;
            if waiting[d] == 0 {
                ready.insert(d);
            }
        }
    }
    order
}

/// Adds `x` to `list` unless it is there.
fn push_new<T: PartialEq>(list: &mut Vec<T>, x: T) {
    if !list.contains(&x) {
        list.push(x);
    }
}

/// The columns of a statistics table, the leaves that read it, and the order in which an
/// agency's counts are drawn: every column before the columns it contains.
#[derive(Debug, Clone)]
struct Statistics<'a> {
    /// Each name as written in an expression → its column.
    lookup: FxHashMap<&'a str, usize>,
    roles: Vec<Role>,
    leaves: Vec<Formula<'a>>,
    /// Two for each division of each leaf, in order: the columns it adds, and those it
    /// takes away.
    rates: Vec<Rate<'a>>,
    /// For each column, the rates it is a part of.
    part_of: Vec<Vec<usize>>,
    /// For each part, the rate whose budget it takes a share of, with the other parts
    /// whose home it is.
    home: Vec<usize>,
    /// For each column, the columns drawn before it because it is drawn from them.
    deps: Vec<Vec<usize>>,
    /// Every column, in the order they are drawn.
    order: Vec<usize>,
    /// Each column's place in `order`.
    rank: Vec<usize>,
}

impl<'a> Statistics<'a> {
    fn new(mut leaves: Vec<Formula<'a>>, columns: &mut Columns<'a>) -> Self {
        let mut lookup = FxHashMap::default();
        for leaf in &leaves {
            for (name, _) in leaf.expr.columns() {
                lookup.insert(name, columns.index(name));
            }
        }
        let n = columns.names.len();
        let mut in_bottom = vec![false; n];
        let mut empty = vec![true; n];
        let mut may_be_zero = vec![true; n];
        let mut decimal = vec![false; n];
        let mut small = vec![false; n];
        for leaf in &mut leaves {
            let ratio = leaf.expr.is_ratio();
            for (name, at) in places(leaf.expr) {
                let i = lookup[name];
                match at.denominator {
                    Some(last) => {
                        in_bottom[i] = true;
                        empty[i] &= last && ratio && leaf.zero;
                        may_be_zero[i] &= last && ratio && leaf.empty_ok;
                        decimal[i] |= !ratio;
                        push_new(&mut leaf.redrawn, i);
                    }
                    None if at.numerator => {}
                    None => {
                        small[i] |= leaf.small;
                        push_new(&mut leaf.redrawn, i);
                    }
                }
            }
        }
        // Containment, leaf by leaf: a column of a numerator that is not also in its
        // denominator is contained in the denominator's sums, unless that would close a
        // cycle (`a / b` then `b / a`): the first leaf wins.
        let mut rates: Vec<Rate<'a>> = Vec::new();
        let mut part_of: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut deps: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut loose: Vec<Option<usize>> = vec![None; n];
        for leaf in &mut leaves {
            for (top, bottom) in divisions(leaf.expr) {
                let below: Vec<usize> = bottom.columns().iter().map(|(c, _)| lookup[c]).collect();
                let sums: Vec<Vec<usize>> = bounds(bottom)
                    .iter()
                    .map(|sum| sum.iter().map(|c| lookup[c]).collect())
                    .collect();
                let mut held: Vec<usize> = Vec::new();
                for &c in sums.iter().flatten() {
                    push_new(&mut held, c);
                }
                let first = rates.len();
                for raises in [true, false] {
                    let band = leaf.band;
                    let bounds = sums.clone();
                    rates.push(Rate { raises, band, bottom, bounds, parts: vec![], narrows: None });
                }
                let mut seen: Vec<usize> = Vec::new();
                for (name, raises, capped) in numerator_columns(top) {
                    let i = lookup[name];
                    if below.contains(&i) || seen.contains(&i) {
                        continue;
                    }
                    seen.push(i);
                    if !leaf.tops.iter().any(|(t, _)| *t == i) {
                        leaf.tops.push((i, raises));
                    }
                    let r = if raises { first } else { first + 1 };
                    if capped || held.is_empty() || held.iter().any(|&h| reaches(&deps, h, i)) {
                        loose[i].get_or_insert(r);
                        continue;
                    }
                    rates[r].parts.push(i);
                    part_of[i].push(r);
                    for &h in &held {
                        push_new(&mut deps[i], h);
                    }
                }
                // A part named after one column of a sum it is in (`da_giai_quyet_qua_han`
                // in `da_giai_quyet + dang_giai_quyet`) is, as exports name their columns, a
                // part of that column: it is held in it too, with the parts named alike.
                for r in [first, first + 1] {
                    let mut narrowed: Vec<(usize, Vec<usize>)> = Vec::new();
                    for &p in &rates[r].parts {
                        let named = sums
                            .iter()
                            .filter(|sum| sum.len() > 1)
                            .flatten()
                            .filter(|&&c| {
                                let key = &columns.keys[c];
                                columns.keys[p]
                                    .strip_prefix(key.as_str())
                                    .is_some_and(|rest| rest.starts_with('_'))
                            })
                            .max_by_key(|&&c| columns.keys[c].len());
                        match (named, narrowed.iter_mut().find(|(c, _)| Some(c) == named)) {
                            (Some(_), Some((_, parts))) => parts.push(p),
                            (Some(&c), None) => narrowed.push((c, vec![p])),
                            (None, _) => {}
                        }
                    }
                    for (c, parts) in narrowed {
                        for &p in &parts {
                            part_of[p].push(rates.len());
                        }
                        let raises = rates[r].raises;
                        let band = leaf.band;
                        let bounds = vec![vec![c]];
                        rates.push(Rate { raises, band, bottom, bounds, parts, narrows: Some(r) });
                    }
                }
            }
        }
        // Each part's budget: the rate that narrows it to one column, or its first.
        let home: Vec<usize> = part_of
            .iter()
            .map(|of| {
                let narrow = of.iter().find(|&&r| rates[r].narrows.is_some());
                narrow.or(of.first()).copied().unwrap_or(usize::MAX)
            })
            .collect();
        let mut roles = Vec::with_capacity(n);
        for i in 0..n {
            let role = if !part_of[i].is_empty() {
                Role::Part { decimal: decimal[i], positive: in_bottom[i] && !may_be_zero[i] }
            } else if in_bottom[i] {
                Role::Whole { empty: empty[i], decimal: decimal[i] }
            } else if let Some(r) = loose[i] {
                // Nothing is drawn from a column in no denominator: no cycle.
                for (c, _) in rates[r].bottom.columns() {
                    push_new(&mut deps[i], lookup[c]);
                }
                Role::Share { rate: r }
            } else {
                Role::Count { small: small[i] }
            };
            roles.push(role);
        }
        let mut order = topological(&deps);
        debug_assert_eq!(order.len(), n, "containment has no cycle");
        for i in 0..n {
            if !order.contains(&i) {
                order.push(i);
            }
        }
        let mut rank = vec![0; n];
        for (k, &i) in order.iter().enumerate() {
            rank[i] = k;
        }
        Statistics { lookup, roles, leaves, rates, part_of, home, deps, order, rank }
    }

    /// One agency's counts, a whole number per column.
    fn row(&self, rng: &mut ChaCha8Rng, quality: f64) -> Vec<u64> {
        // The agency's size: log10 of its dossiers, some hundreds to some ten thousands.
        let size = rng.random_range(2.3..4.3);
        // How much of its whole each rate's parts take, by how well the agency does that
        // work.
        let mut shares: Vec<f64> = Vec::with_capacity(self.rates.len());
        for rate in &self.rates {
            let share = if let Some(r) = rate.narrows {
                shares[r]
            } else {
                let skill = (quality + (rng.random::<f64>() - 0.5) * 0.35).clamp(0.0, 1.0);
                let jitter = rng.random::<f64>();
                if rate.raises { rate.band.share(skill) } else { lapse(skill, jitter) }
            };
            shares.push(share);
        }
        let agency = Agency { size, quality, shares };
        let mut counts = vec![0; self.roles.len()];
        self.fill(rng, &agency, &mut counts, &vec![true; self.roles.len()]);
        self.mend(rng, &agency, &mut counts);
        counts
    }

    /// Draws the columns `redo` marks, in order.
    fn fill(&self, rng: &mut ChaCha8Rng, agency: &Agency, counts: &mut [u64], redo: &[bool]) {
        for &i in &self.order {
            if redo[i] {
                counts[i] = self.draw(i, rng, agency, counts);
            }
        }
    }

    /// A fresh count for column `i`, the columns it is drawn from being drawn.
    fn draw(&self, i: usize, rng: &mut ChaCha8Rng, agency: &Agency, counts: &[u64]) -> u64 {
        match self.roles[i] {
            Role::Part { decimal, positive } => {
                self.part(i, rng, agency, counts, decimal || positive, decimal)
            }
            Role::Share { rate } => {
                let base = self.base(self.rates[rate].bottom, counts);
                whole_number(agency.shares[rate] * real(base))
            }
            role => fresh(role, rng, agency),
        }
    }

    /// A part's count: a share of the smallest sum it is contained in, out of what the
    /// parts of its home rate drawn before it left of the budget, and no more than any of
    /// its sums holds beside the parts drawn before it there.
    fn part(
        &self,
        i: usize,
        rng: &mut ChaCha8Rng,
        agency: &Agency,
        counts: &[u64],
        positive: bool,
        decimal: bool,
    ) -> u64 {
        let mut room = u64::MAX;
        let mut smallest = u64::MAX;
        for &r in &self.part_of[i] {
            let (bound, used) = self.room(r, i, counts);
            room = room.min(bound.saturating_sub(used));
            smallest = smallest.min(bound);
        }
        let home = self.home[i];
        let Some(rate) = self.rates.get(home) else { return 0 };
        let members = rate.parts.iter().filter(|&&q| self.home[q] == home);
        let (mut used, mut before, mut after) = (0u64, false, false);
        for &q in members {
            if self.rank[q] < self.rank[i] {
                used = used.saturating_add(counts[q]);
                before = true;
            } else if self.rank[q] > self.rank[i] {
                after = true;
            }
        }
        let budget = (agency.shares[home] * real(smallest) - real(used)).max(0.0);
        let share = if !after {
            budget
        } else if !before {
            budget * rng.random_range(0.85..0.99)
        } else {
            budget * rng.random_range(0.3..0.9)
        };
        let mut n = whole_number(share + 0.5).min(room);
        if decimal {
            n = decimal_below(n);
        }
        if positive && n == 0 && room >= 1 {
            n = 1;
        }
        n
    }

    /// The smallest sum rate `r`'s parts are contained in, and what its parts drawn before
    /// `part` take of it.
    fn room(&self, r: usize, part: usize, counts: &[u64]) -> (u64, u64) {
        let rate = &self.rates[r];
        let bound = rate
            .bounds
            .iter()
            .map(|sum| sum.iter().map(|&c| counts[c]).fold(0, u64::saturating_add))
            .min()
            .unwrap_or(0);
        let used = rate
            .parts
            .iter()
            .filter(|&&q| self.rank[q] < self.rank[part])
            .map(|&q| counts[q])
            .fold(0, u64::saturating_add);
        (bound, used)
    }

    /// Takes every part down to what its sums hold, in order: after a count was taken
    /// down, the parts drawn from it fit in it again.
    fn clamp(&self, counts: &mut [u64]) {
        for &i in &self.order {
            let Role::Part { decimal, .. } = self.roles[i] else { continue };
            let room = self.part_of[i]
                .iter()
                .map(|&r| {
                    let (bound, used) = self.room(r, i, counts);
                    bound.saturating_sub(used)
                })
                .min()
                .unwrap_or(0);
            if counts[i] > room {
                counts[i] = if decimal { decimal_below(room) } else { room };
            }
        }
    }

    /// Draws `columns` again, with the columns they are drawn from and the columns drawn
    /// from them.
    fn redraw(&self, rng: &mut ChaCha8Rng, agency: &Agency, counts: &mut [u64], columns: &[usize]) {
        let mut redo = vec![false; counts.len()];
        let mut stack = columns.to_vec();
        while let Some(c) = stack.pop() {
            if !std::mem::replace(&mut redo[c], true) {
                stack.extend(&self.deps[c]);
            }
        }
        for &i in &self.order {
            if self.deps[i].iter().any(|&d| redo[d]) {
                redo[i] = true;
            }
        }
        self.fill(rng, agency, counts, &redo);
    }

    /// The smallest positive value of a factor of `bottom`, in whole numbers; 0 when there
    /// is none. A factor rather than the whole product: a share is of one count, and in
    /// `(a * b) / (c * max(c, b))` it is `a` of `c`.
    fn base(&self, bottom: &Expr, counts: &[u64]) -> u64 {
        let mut factors: Vec<&Expr> = Vec::new();
        let mut stack: Vec<&Expr> = vec![bottom];
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

    /// Mends the counts until every leaf has a value, where what was drawn top-down does
    /// not give one (a cycle broken, a denominator that subtracts, a count used twice): a
    /// rate above 1 or below 0 takes the columns that made it so down, then every column
    /// of its numerators is 0; a denominator of 0 or less (or a division by zero inside)
    /// draws the leaf's denominators and counts again, with what they are drawn from and
    /// what is drawn from them. So far counts only go down or are drawn again as first, and
    /// every part stays within its sums. Where that does not do, the leaf's denominators
    /// are drawn as wholes of their own, which may break a containment the expressions
    /// cannot all have; last its plain counts are 0. Bounded: an expression no counts
    /// satisfy is left as it falls.
    fn mend(&self, rng: &mut ChaCha8Rng, agency: &Agency, counts: &mut [u64]) {
        // Tries for each leaf: of its denominator, and of its value.
        let mut tries = vec![(0usize, 0usize); self.leaves.len()];
        for _ in 0..MENDS {
            let mut sound = true;
            for (k, leaf) in self.leaves.iter().enumerate() {
                let Some(fault) = self.fault(leaf, counts) else { continue };
                sound = false;
                let t = if fault == Fault::Denominator {
                    tries[k].0 += 1;
                    tries[k].0 + 7
                } else {
                    tries[k].1 += 1;
                    tries[k].1
                };
                match fault {
                    Fault::High(_) | Fault::Low | Fault::Other if t <= 6 => {
                        let chosen: Vec<usize> = leaf
                            .tops
                            .iter()
                            .filter(|(_, raises)| match fault {
                                Fault::High(_) => *raises,
                                Fault::Low => !*raises,
                                _ => true,
                            })
                            .map(|(i, _)| *i)
                            .collect();
                        let chosen = if chosen.is_empty() {
                            leaf.tops.iter().map(|(i, _)| *i).collect()
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
                        self.clamp(counts);
                    }
                    Fault::High(_) | Fault::Low | Fault::Other if t <= 7 => {
                        for &(i, _) in &leaf.tops {
                            counts[i] = 0;
                        }
                        self.clamp(counts);
                    }
                    _ if t <= 19 => self.redraw(rng, agency, counts, &leaf.redrawn),
                    // The expressions ask for more than the containment allows (`c / (a - b)`
                    // with `a` in `b`): its denominators are drawn as counts of their own.
                    _ if t <= 31 => {
                        for &i in &leaf.redrawn {
                            counts[i] = match self.roles[i] {
                                Role::Whole { decimal, .. } | Role::Part { decimal, .. } => {
                                    fresh(Role::Whole { empty: false, decimal }, rng, agency)
                                }
                                Role::Count { .. } => fresh(self.roles[i], rng, agency),
                                Role::Share { .. } => counts[i],
                            };
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

/// What one agency's counts are drawn by.
#[derive(Debug, Clone)]
struct Agency {
    /// log10 of its dossiers.
    size: f64,
    /// How well it works, 0..=1.
    quality: f64,
    /// For each rate, the share of its whole its parts take together.
    shares: Vec<f64>,
}

/// A fresh count of a whole or a plain count, drawn from nothing else.
fn fresh(role: Role, rng: &mut ChaCha8Rng, agency: &Agency) -> u64 {
    match role {
        Role::Whole { empty, decimal } => {
            let n = 10f64.powf(agency.size + rng.random_range(-0.4..0.4));
            if empty && n < EMPTY_BELOW && rng.random_bool(EMPTY_WHOLE) {
                0
            } else if decimal {
                decimal_whole(n)
            } else {
                whole_number(n).max(1)
            }
        }
        Role::Count { small: true } => {
            if rng.random_bool(agency.quality.clamp(0.0, 1.0)) {
                0
            } else {
                rng.random_range(1..5)
            }
        }
        Role::Count { small: false } => whole_number(10f64.powf(rng.random_range(1.0..3.0))),
        Role::Part { .. } | Role::Share { .. } => 0,
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

/// The largest number of the form 2^i·5^j at most `n`, 0 for 0.
fn decimal_below(n: u64) -> u64 {
    let mut best = 0u64;
    let mut five = 1u64;
    while five <= n {
        let mut m = five;
        while m <= n {
            best = best.max(m);
            m = m.saturating_mul(2);
        }
        five = five.saturating_mul(5);
    }
    best
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
    use crate::read::criteria;
    use crate::source::SourceFile;

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
                Formula::new(e, z, z, false, Band::of("", e))
            })
            .collect();
        let s = Statistics::new(formulas, &mut columns);
        (s, columns.names)
    }

    fn role(s: &Statistics<'_>, name: &str) -> Role {
        s.roles[s.lookup[name]]
    }

    /// What the column `name` is contained in: each sum, written as in the expression,
    /// with whether it raises the rate it is a part of.
    fn within(s: &Statistics<'_>, names: &[&str], name: &str) -> Vec<(String, bool)> {
        s.part_of[s.lookup[name]]
            .iter()
            .flat_map(|&r| {
                let rate = &s.rates[r];
                rate.bounds.iter().map(move |sum| {
                    let sum: Vec<&str> = sum.iter().map(|&c| names[c]).collect();
                    (sum.join(" + "), rate.raises)
                })
            })
            .collect()
    }

    /// The parts of each rate that has any, by name.
    fn shared<'a>(s: &Statistics<'a>, names: &[&'a str]) -> Vec<Vec<&'a str>> {
        s.rates
            .iter()
            .filter(|r| !r.parts.is_empty())
            .map(|r| r.parts.iter().map(|&p| names[p]).collect())
            .collect()
    }

    fn drawn_before(s: &Statistics<'_>, first: &str, then: &str) -> bool {
        s.rank[s.lookup[first]] < s.rank[s.lookup[then]]
    }

    const WHOLE: Role = Role::Whole { empty: false, decimal: false };
    const PART: Role = Role::Part { decimal: false, positive: false };

    #[test]
    fn late_dossiers_are_part_of_those_handled_and_apologies_part_of_the_late() {
        let exprs =
            parsed(&["(da + dang - da_qh - dang_qh) / (da + dang)", "xin_loi / (da_qh + dang_qh)"]);
        let (s, names) = statistics(&exprs, &[true, true]);
        assert_eq!(names, ["da", "dang", "da_qh", "dang_qh", "xin_loi"]);
        // In both numerator and denominator: not contained by that leaf.
        assert_eq!(within(&s, &names, "da"), []);
        assert_eq!(within(&s, &names, "dang"), []);
        let empty = Role::Whole { empty: true, decimal: false };
        assert_eq!((role(&s, "da"), role(&s, "dang")), (empty, empty));
        // Of the dossiers handled, and, as named after it, of the dossiers resolved…
        let handled = ("da + dang".to_string(), false);
        assert_eq!(within(&s, &names, "da_qh"), [handled.clone(), ("da".into(), false)]);
        // …or of those pending.
        assert_eq!(within(&s, &names, "dang_qh"), [handled, ("dang".into(), false)]);
        assert_eq!(within(&s, &names, "xin_loi"), [("da_qh + dang_qh".to_string(), true)]);
        // The late dossiers together are at most the dossiers handled.
        assert_eq!(
            shared(&s, &names),
            [vec!["da_qh", "dang_qh"], vec!["da_qh"], vec!["dang_qh"], vec!["xin_loi"]]
        );
        assert_eq!(s.rates[3].narrows, Some(1), "late resolved take the late share");
        // A part first, then a whole: drawn after what contains it, before what it contains.
        assert!(matches!(role(&s, "da_qh"), Role::Part { .. }));
        assert!(drawn_before(&s, "da", "da_qh") && drawn_before(&s, "dang", "dang_qh"));
        assert!(drawn_before(&s, "da_qh", "xin_loi") && drawn_before(&s, "dang_qh", "xin_loi"));
    }

    #[test]
    fn parts_of_a_sum_over_a_whole_share_its_budget() {
        let exprs = parsed(&["(a + b) / c"]);
        let (s, names) = statistics(&exprs, &[]);
        assert_eq!((role(&s, "a"), role(&s, "b"), role(&s, "c")), (PART, PART, WHOLE));
        assert_eq!(within(&s, &names, "a"), [("c".to_string(), true)]);
        assert_eq!(within(&s, &names, "b"), [("c".to_string(), true)]);
        assert_eq!(shared(&s, &names), [vec!["a", "b"]]);
    }

    #[test]
    fn a_part_named_after_a_column_of_its_sum_is_held_in_that_column() {
        let exprs = parsed(&[
            "(da_truoc_han + da_dung_han + dang_trong_han) / (da + dang)",
            "max(0, da + dang - da_qua_han - pakn_khong_hai_long) / (da + dang)",
        ]);
        let (s, names) = statistics(&exprs, &[]);
        let handled = |raises| ("da + dang".to_string(), raises);
        assert_eq!(within(&s, &names, "da_truoc_han"), [handled(true), ("da".into(), true)]);
        assert_eq!(within(&s, &names, "dang_trong_han"), [handled(true), ("dang".into(), true)]);
        assert_eq!(within(&s, &names, "da_qua_han"), [handled(false), ("da".into(), false)]);
        assert_eq!(within(&s, &names, "pakn_khong_hai_long"), [handled(false)]);
        let homes: Vec<&str> = ["da_truoc_han", "da_dung_han"]
            .map(|p| s.home[s.lookup[p]])
            .map(|r| {
                let sum = &s.rates[r].bounds[0];
                names[sum[0]]
            })
            .to_vec();
        assert_eq!(homes, ["da", "da"], "early and on time share what is resolved");
    }

    #[test]
    fn parts_taken_from_the_whole_lower_the_rate() {
        let exprs = parsed(&["max(0, c - a) / c", "(c - a - b) / c"]);
        let (s, names) = statistics(&exprs, &[]);
        assert_eq!(role(&s, "c"), WHOLE, "a whole in the numerator is still a whole");
        assert_eq!(within(&s, &names, "a"), [("c".into(), false), ("c".into(), false)]);
        assert_eq!(shared(&s, &names), [vec!["a"], vec!["a", "b"]]);
    }

    #[test]
    fn a_product_over_a_product_holds_each_count_in_its_factor() {
        // The 766 set's 3.3: online of received, times synced of the larger.
        let exprs = parsed(&["(x * s) / (t * max(t, s))", "s / max(t, s)"]);
        let (s, names) = statistics(&exprs, &[true, true]);
        assert_eq!(within(&s, &names, "x"), [("t".to_string(), true)]);
        // `s` is above and below; in `max(t, s)` either may be the larger.
        assert_eq!(within(&s, &names, "s"), []);
        assert_eq!(within(&s, &names, "t"), []);
        assert_eq!(role(&s, "s"), Role::Whole { empty: true, decimal: false });
        assert_eq!(role(&s, "t"), Role::Whole { empty: true, decimal: false });
    }

    #[test]
    fn a_count_a_min_caps_is_free() {
        let exprs = parsed(&["min(a, c) / c", "min(d, e) / e", "f / 100"]);
        let (s, names) = statistics(&exprs, &[]);
        assert_eq!(within(&s, &names, "a"), []);
        assert_eq!(role(&s, "a"), Role::Share { rate: 0 }, "a share of c, as before");
        assert_eq!(within(&s, &names, "d"), []);
        assert_eq!(role(&s, "d"), Role::Share { rate: 2 });
        assert_eq!(role(&s, "f"), Role::Share { rate: 4 }, "over a number");
    }

    #[test]
    fn divisions_inside_and_differences_below() {
        let exprs = parsed(&["a / (b / c)", "x / (y - z)", "min(p, q) + r / min(y, w)"]);
        let (s, names) = statistics(&exprs, &[true]);
        assert_eq!(within(&s, &names, "b"), [("c".to_string(), true)]);
        assert_eq!(role(&s, "a"), Role::Share { rate: 0 }, "a rate is no count to hold it");
        assert_eq!(within(&s, &names, "x"), [("y".to_string(), true)]);
        assert_eq!(within(&s, &names, "r"), [("y".into(), true), ("w".into(), true)]);
        assert_eq!(role(&s, "p"), Role::Count { small: false });
    }

    #[test]
    fn a_cycle_is_broken_where_it_closes() {
        let exprs = parsed(&["a / b", "b / a", "c / a"]);
        let (s, names) = statistics(&exprs, &[]);
        assert_eq!(within(&s, &names, "a"), [("b".to_string(), true)], "the first leaf wins");
        assert_eq!(within(&s, &names, "b"), []);
        assert_eq!(within(&s, &names, "c"), [("a".to_string(), true)]);
        assert_eq!(role(&s, "b"), WHOLE);
        assert!(drawn_before(&s, "b", "a") && drawn_before(&s, "a", "c"));
    }

    #[test]
    fn only_a_whole_every_leaf_of_which_says_what_zero_scores_may_be_empty() {
        let exprs = parsed(&["pakn_dung_han / pakn", "x / tiep_nhan", "y / pakn"]);
        let (s, _) = statistics(&exprs, &[true, true, false]);
        assert_eq!(role(&s, "tiep_nhan"), Role::Whole { empty: true, decimal: false });
        assert_eq!(role(&s, "pakn"), WHOLE, "the third leaf has no zero = …");
        // Inside a division that is not the last, 0 would divide by zero.
        let exprs = parsed(&["a / (b / c)", "b / d"]);
        let (s, _) = statistics(&exprs, &[true, false]);
        assert_eq!(role(&s, "b"), Role::Part { decimal: false, positive: false });
        assert_eq!(role(&s, "c"), WHOLE);
        let exprs = parsed(&["a / (b / c)", "b / d"]);
        let (s, _) = statistics(&exprs, &[false, false]);
        assert_eq!(role(&s, "b"), Role::Part { decimal: false, positive: true });
    }

    #[test]
    fn a_division_inside_a_plain_number_divides_by_a_decimal_whole() {
        let exprs = parsed(&["a / b + 1", "b / c"]);
        let (s, names) = statistics(&exprs, &[]);
        assert_eq!(within(&s, &names, "a"), [("b".to_string(), true)]);
        assert_eq!(role(&s, "b"), Role::Part { decimal: true, positive: true });
        let exprs = parsed(&["a / b + 1"]);
        let (s, _) = statistics(&exprs, &[]);
        assert_eq!(role(&s, "b"), Role::Whole { empty: false, decimal: true });
    }

    #[test]
    fn columns_in_no_division_are_counts_and_one_name_however_spelt() {
        let exprs = parsed(&["(Dung_Han + x) / tiep_nhan", "dung_han / tiep_nhan", "so_loi"]);
        let (s, names) = statistics(&exprs, &[]);
        assert_eq!(names, ["Dung_Han", "x", "tiep_nhan", "so_loi"]);
        assert_eq!(s.lookup["dung_han"], s.lookup["Dung_Han"]);
        assert_eq!(role(&s, "so_loi"), Role::Count { small: false });
        assert_eq!(shared(&s, &names), [vec!["Dung_Han", "x"], vec!["Dung_Han"]]);
    }

    #[test]
    fn a_rate_is_told_by_its_words() {
        let band = |name: &str, text: &str| Band::of(name, &expr::parse(text).unwrap());
        assert_eq!(band("Tỷ lệ hồ sơ nộp trực tuyến", "a / b"), Band::Online);
        assert_eq!(band("", "ho_so_thanh_toan_truc_tuyen / b"), Band::Online);
        assert_eq!(band("Tỷ lệ hồ sơ TTHC được số hóa khi tiếp nhận", "a / b"), Band::Digitised);
        assert_eq!(band("Tỷ lệ hồ sơ giải quyết đúng hạn", "a / b"), Band::OnTime);
        assert_eq!(band("", "kiem_dien_tuyen / b"), Band::OnTime, "words, not pieces");
    }

    /// Whether every part of `counts` is at most each sum it is contained in, with the
    /// other parts of its rate.
    fn holds(s: &Statistics<'_>, names: &[&str], counts: &[u64]) -> Result<(), String> {
        for rate in &s.rates {
            let together: u64 = rate.parts.iter().map(|&p| counts[p]).sum();
            for sum in &rate.bounds {
                let whole: u64 = sum.iter().map(|&c| counts[c]).sum();
                if together > whole {
                    let parts: Vec<&str> = rate.parts.iter().map(|&p| names[p]).collect();
                    let sum: Vec<&str> = sum.iter().map(|&c| names[c]).collect();
                    return Err(format!("{parts:?} {together} > {sum:?} {whole}"));
                }
            }
        }
        Ok(())
    }

    /// The rows of agencies `0..count`, each of a quality drawn as the generator does.
    fn rows(s: &Statistics<'_>, count: u64) -> Vec<Vec<u64>> {
        (0..count)
            .map(|index| {
                let mut rng = ChaCha8Rng::from_seed([7; 32]);
                rng.set_stream(index);
                let quality = 0.42 + 0.55 * (rng.random::<f64>() + rng.random::<f64>()) / 2.0;
                s.row(&mut rng, quality)
            })
            .collect()
    }

    #[test]
    fn every_row_gives_every_leaf_a_value() {
        let sets: [&[&str]; 8] = [
            &["(a + b) / c", "(c - a - b) / c", "min(a, c) / c", "a / b + 1"],
            &["(dung_han + dang_xu_ly_trong_han) / tiep_nhan", "truc_tuyen / tiep_nhan"],
            &["(a - b) / c", "a / (c - d)", "x - y"],
            &["(a / b) * 100", "a / 100", "max(a, b) / (b + c)"],
            &["pakn_dung_han / pakn", "(pakn - pakn_qua_han) / pakn"],
            &["a / b / c", "a * 2 / b"],
            &["a / b", "b / (a + c)", "d / (b - a)"],
            &["(x * s) / (t * max(t, s))", "s / max(t, s)", "a / (b / c)"],
        ];
        for texts in sets {
            let exprs = parsed(texts);
            let (s, names) = statistics(&exprs, &[true, true, false, false]);
            let mut rates: Vec<f64> = Vec::new();
            for (index, counts) in rows(&s, 500).iter().enumerate() {
                for leaf in &s.leaves {
                    assert_eq!(s.fault(leaf, counts), None, "{texts:?} at {index}: {counts:?}");
                }
                assert_eq!(holds(&s, &names, counts), Ok(()), "{texts:?} at {index}");
                if let (Some(&a), Some(&b), Some(&c)) = (
                    s.lookup.get("dung_han"),
                    s.lookup.get("dang_xu_ly_trong_han"),
                    s.lookup.get("tiep_nhan"),
                ) {
                    rates.push(real(counts[a] + counts[b]) / real(counts[c]));
                }
            }
            if !rates.is_empty() {
                // Most agencies resolve 90 to 100 % of their dossiers on time.
                let usual = rates.iter().filter(|r| (0.9..=1.0).contains(*r)).count();
                assert!(usual * 10 > rates.len() * 8, "{usual} of {}", rates.len());
            }
        }
    }

    /// The department set's computed leaves (`so-ban-nganh-2025` with its proposed
    /// `compute` lines), with their names, and the communes'.
    const DEPARTMENTS: [(&str, &str); 7] = [
        (
            "Tỷ lệ hồ sơ giải quyết đúng hạn",
            "(da_giai_quyet + dang_giai_quyet - da_giai_quyet_qua_han - dang_giai_quyet_qua_han) / (da_giai_quyet + dang_giai_quyet)",
        ),
        (
            "Tỷ lệ hồ sơ trễ hạn có văn bản xin lỗi",
            "qua_han_co_van_ban_xin_loi / (da_giai_quyet_qua_han + dang_giai_quyet_qua_han)",
        ),
        ("Tỷ lệ phản ánh, kiến nghị được xử lý đúng hạn", "pakn_xu_ly_dung_han / pakn_tiep_nhan"),
        ("Tỷ lệ hồ sơ TTHC được số hóa khi tiếp nhận", "so_hoa_khi_tiep_nhan / tiep_nhan_trong_ky"),
        ("Tỷ lệ kết quả giải quyết TTHC được số hóa", "ket_qua_so_hoa / da_giai_quyet"),
        ("Tỷ lệ hồ sơ trực tuyến toàn trình", "truc_tuyen_toan_trinh / ho_so_tthc_toan_trinh"),
        (
            "Tỷ lệ hồ sơ thanh toán trực tuyến",
            "ho_so_thanh_toan_truc_tuyen / ho_so_nghia_vu_tai_chinh",
        ),
    ];
    const COMMUNES: [(&str, &str); 4] = [
        ("Tỷ lệ hồ sơ liên thông giải quyết đúng hạn", "lien_thong_dung_han / ho_so_lien_thong"),
        ("Số hồ sơ yêu cầu bổ sung quá một lần", "yeu_cau_bo_sung_qua_mot_lan"),
        ("Tỷ lệ hồ sơ trực tuyến toàn trình", "truc_tuyen_toan_trinh / ho_so_tthc_toan_trinh"),
        (
            "Tỷ lệ hồ sơ thanh toán trực tuyến",
            "ho_so_thanh_toan_truc_tuyen / ho_so_nghia_vu_tai_chinh",
        ),
    ];

    /// Generated rows of a set: every part at most each of its sums, every leaf a value,
    /// on-time rates mostly 90 to 100 %, and few wholes of 0.
    fn realistic(s: &Statistics<'_>, names: &[&str], what: &str) {
        let rows = rows(s, 400);
        let mut on_time = (0, 0);
        let mut empty = (0, 0);
        for (index, counts) in rows.iter().enumerate() {
            assert_eq!(holds(s, names, counts), Ok(()), "{what} at {index}: {counts:?}");
            for leaf in &s.leaves {
                assert_eq!(s.fault(leaf, counts), None, "{what} at {index}: {counts:?}");
                let contains =
                    leaf.tops.iter().any(|&(i, _)| matches!(s.roles[i], Role::Part { .. }));
                if leaf.band == Band::OnTime
                    && contains
                    && let Ok(got) = s.evaluate(leaf.expr, counts)
                    && let Outcome::Ratio { top, bottom } = got.value
                    && !bottom.is_zero()
                {
                    on_time.0 += 1;
                    on_time.1 += usize::from((top / bottom).to_f64().unwrap() >= 0.9);
                }
            }
            for (i, role) in s.roles.iter().enumerate() {
                if let Role::Whole { empty: may, .. } = role {
                    empty.0 += 1;
                    if counts[i] == 0 {
                        assert!(may, "{what} at {index}: {} is 0", names[i]);
                        empty.1 += 1;
                    }
                }
            }
        }
        assert!(on_time.1 * 10 >= on_time.0 * 8, "{what}: {on_time:?} on time at 90 %");
        assert!(empty.1 * 33 <= empty.0, "{what}: {empty:?} wholes of 0");
    }

    #[test]
    fn every_part_is_at_most_its_containers_in_the_shipped_sets() {
        let departments: Vec<(&str, Expr)> =
            DEPARTMENTS.iter().map(|(n, t)| (*n, expr::parse(t).unwrap())).collect();
        let communes: Vec<(&str, Expr)> = DEPARTMENTS[..2]
            .iter()
            .chain(&DEPARTMENTS[3..5])
            .chain(&DEPARTMENTS[2..3])
            .chain(&COMMUNES)
            .map(|(n, t)| (*n, expr::parse(t).unwrap()))
            .collect();
        for (what, leaves) in [("departments", &departments), ("communes", &communes)] {
            let mut columns = Columns::default();
            let formulas = leaves
                .iter()
                .map(|(name, e)| {
                    let plain = !e.is_ratio();
                    Formula::new(e, !plain, !plain, plain, Band::of(name, e))
                })
                .collect();
            let s = Statistics::new(formulas, &mut columns);
            realistic(&s, &columns.names, what);
        }
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/chi-so-766-2025.toml");
        let text = std::fs::read_to_string(path).unwrap();
        let set = criteria::load(&SourceFile::new("chi-so-766-2025.toml", text)).set.unwrap();
        let mut columns = Columns::default();
        let formulas = set.leaves().filter_map(|(_, n, l)| Formula::of(&n.name, l)).collect();
        let s = Statistics::new(formulas, &mut columns);
        assert_eq!(columns.names.len(), 41);
        realistic(&s, &columns.names, "766");
    }

    #[test]
    fn decimal_counts_below_a_bound() {
        assert_eq!(
            [0, 1, 3, 7, 11, 99, 130, 1001].map(decimal_below),
            [0, 1, 2, 5, 10, 80, 128, 1000]
        );
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
