//! Property tests of the criteria loader: every valid set it is given passes with no
//! problem, and no input, however broken, makes it panic; and of scoring generated rounds:
//! figures within bounds, results that no row order or NA changes, and the decimal
//! filter giving what exact arithmetic gives.

use parindex::diagnostic::{FileReport, Severity, Voice};
use parindex::lang::Lang;
use parindex::model::criteria::Kind;
use parindex::read::criteria;
use parindex::source::SourceFile;
use std::fmt::Write as _;
use std::ops::Range;

use proptest::prelude::*;
use rust_decimal::Decimal;

/// A generated leaf: its max in quarter points and the shape of its rule.
#[derive(Debug, Clone)]
struct GenLeaf {
    quarters: u32,
    rule: u8,
    na: bool,
    survey: bool,
    evidence: Option<bool>,
    weight: u32,
}

#[derive(Debug, Clone)]
struct GenCriterion {
    leaves: Vec<GenLeaf>,
    weighted: bool,
}

#[derive(Debug, Clone)]
struct GenSet {
    fields: Vec<Vec<GenCriterion>>,
    dotted: bool,
    bonus: Option<u32>,
    decimals: u32,
}

fn leaf() -> impl Strategy<Value = GenLeaf> {
    (
        1u32..=40,
        0u8..7,
        any::<bool>(),
        prop::bool::weighted(0.2),
        prop::option::of(any::<bool>()),
        1u32..5,
    )
        .prop_map(|(quarters, rule, na, survey, evidence, weight)| GenLeaf {
            quarters,
            rule,
            na,
            survey,
            evidence,
            weight,
        })
}

fn set() -> impl Strategy<Value = GenSet> {
    let criterion = (prop::collection::vec(leaf(), 1..5), prop::bool::weighted(0.3))
        .prop_map(|(leaves, weighted)| GenCriterion { leaves, weighted });
    (
        prop::collection::vec(prop::collection::vec(criterion, 1..4), 1..6),
        any::<bool>(),
        prop::option::of(1u32..8),
        0u32..=4,
    )
        .prop_map(|(fields, dotted, bonus, decimals)| GenSet {
            fields,
            dotted,
            bonus,
            decimals,
        })
}

fn quarters(q: u32) -> Decimal {
    Decimal::new(i64::from(q) * 25, 2).normalize()
}

/// The rule lines of a leaf worth `max`: every rule, with parameters that are valid.
fn rule_lines(l: &GenLeaf, max: Decimal) -> String {
    let half = (max / Decimal::TWO).normalize();
    match l.rule {
        0 => "rule = \"points\"\nstep = 0.25\n".to_string(),
        1 => "rule = \"yes_no\"\n".to_string(),
        2 => format!(
            "rule = \"choice\"\nchoices = [{{ value = \"du\", label = \"Đầy đủ\", points = {max} }}, \
             {{ value = \"mot-phan\", label = \"Một phần\", points = {half} }}, {{ value = \"khong\", points = 0 }}]\n"
        ),
        3 => format!("rule = \"bands\"\nbands = [[\">90\", {max}], [70, {half}], [0, 0]]\n"),
        4 => format!(
            "rule = \"bands\"\nlower_is_better = true\nbands = [[0, {max}], [\"<3\", {half}], [inf, 0]]\n"
        ),
        5 => "rule = \"ratio\"\nfull_at = 0.9\nzero_at = 0.5\n".to_string(),
        _ => "rule = \"per_item\"\nper = 0.25\n".to_string(),
    }
}

/// The TOML text of a generated set, its total max and its number of leaves.
fn render(g: &GenSet) -> (String, Decimal, usize) {
    let mut nodes = String::new();
    let mut total = Decimal::ZERO;
    let mut leaves = 0;
    let mut node = |code: &str, parent: &str, lines: String| {
        let parent = if g.dotted || parent.is_empty() {
            String::new()
        } else {
            format!("parent = \"{parent}\"\n")
        };
        let _ = write!(
            nodes,
            "\n[[node]]\ncode = \"{code}\"\nname = \"Tiêu chí {code}\"\n{parent}{lines}"
        );
    };
    for (f, criteria) in g.fields.iter().enumerate() {
        let fcode = format!("{}", f + 1);
        let mut fmax = Decimal::ZERO;
        let mut body = Vec::new();
        for (c, crit) in criteria.iter().enumerate() {
            let ccode =
                if g.dotted { format!("{fcode}.{}", c + 1) } else { format!("F{fcode}C{}", c + 1) };
            let sum: Decimal = crit.leaves.iter().map(|l| quarters(l.quarters)).sum();
            // A weighted criterion states its own max; any positive figure will do.
            let cmax = if crit.weighted { sum + Decimal::ONE } else { sum };
            fmax += cmax;
            body.push((ccode.clone(), fcode.clone(), format!("max = {cmax}\n")));
            for (k, l) in crit.leaves.iter().enumerate() {
                let lcode = if g.dotted {
                    format!("{ccode}.{}", k + 1)
                } else {
                    format!("{ccode}L{}", k + 1)
                };
                let max = quarters(l.quarters);
                let mut lines = format!("max = {max}\n{}", rule_lines(l, max));
                if crit.weighted {
                    let _ = writeln!(lines, "weight = {}", l.weight);
                }
                if l.na {
                    lines.push_str("na = true\n");
                }
                if l.survey {
                    lines.push_str("source = \"survey\"\n");
                } else if let Some(e) = l.evidence {
                    let _ = writeln!(lines, "evidence = {e}");
                }
                body.push((lcode, ccode.clone(), lines));
                leaves += 1;
            }
        }
        total += fmax;
        node(&fcode, "", format!("max = {fmax}\n"));
        for (code, parent, lines) in body {
            node(&code, &parent, lines);
        }
    }
    if let Some(b) = g.bonus {
        node("T", "", format!("kind = \"bonus\"\nmax = {b}\nrule = \"points\"\n"));
        leaves += 1;
    }
    let text = format!(
        "schema = 1\nid = \"sinh-ngau-nhien\"\ntitle = \"Bộ tiêu chí sinh ngẫu nhiên\"\nmax = {total}\ndecimals = {}\n\
         [[grade]]\nname = \"Tốt\"\nmin = 80\n[[grade]]\nname = \"Khá\"\nmin = 0\n{nodes}",
        g.decimals
    );
    (text, total, leaves)
}

/// What the loader is fed: text, or bytes to decode first (most random bytes are not
/// UTF-8, and stop at the decoding, before the loader).
#[derive(Debug, Clone)]
enum Mangled {
    Text(String),
    Bytes(Vec<u8>),
}

/// One edit of a criteria file, at places given relative to its size.
#[derive(Debug, Clone)]
enum Edit {
    DropLine(prop::sample::Index),
    DuplicateLine(prop::sample::Index),
    /// The table (a `[[node]]`, a `[[grade]]`) around the nth line appears twice.
    DuplicateTable(prop::sample::Index),
    SwapLines(prop::sample::Index, prop::sample::Index),
    /// The nth number in the file becomes an odd value.
    Number(prop::sample::Index, &'static str),
    /// The nth quoted string becomes an odd one.
    Text(prop::sample::Index, String),
    /// The key of the nth `key = value` line becomes another key.
    Key(prop::sample::Index, &'static str),
    /// A line goes in near the nth line; a `key = value` line takes the place of that
    /// key in the table there, as an edit of a value would, rather than repeat it.
    InsertLine(prop::sample::Index, &'static str),
    InsertChar(prop::sample::Index, char),
    Truncate(prop::sample::Index),
}

/// Values a number in a criteria file can turn into: signs, decimal commas, overflow,
/// other types.
const ODD_NUMBERS: &[&str] = &[
    "-1",
    "0",
    "-0",
    "0,5",
    "1e309",
    "-1e309",
    "1e-30",
    "nan",
    "inf",
    "-inf",
    "\"\"",
    "\"1\"",
    "99999999999999999999999999999",
    "0.0000000000000000000000000001",
    "1_000",
    "0x10",
    "1.",
    "true",
    "[]",
    "{}",
    "0.3333333333333333333333333333",
    "4294967296",
    "-9223372036854775809",
];

/// Every key a set, a node or a rule knows, a few misspelt ones and a few no file has.
const KEYS: &[&str] = &[
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
    "grade",
    "node",
    "code",
    "name",
    "parent",
    "rule",
    "na",
    "source",
    "evidence",
    "weight",
    "kind",
    "min",
    "step",
    "choices",
    "value",
    "label",
    "points",
    "bands",
    "lower_is_better",
    "full_at",
    "zero_at",
    "per",
    "maxx",
    "Max",
    "rulee",
    "\"\"",
    "\"mã\"",
    "a.b",
    "node.code",
];

/// Lines an edit may add: pieces of other nodes, tables and values out of place.
const LINES: &[&str] = &[
    "[[node]]",
    "[[grade]]",
    "[node]",
    "[[node.choices]]",
    "code = \"1\"",
    "code = \"1.1\"",
    "code = \"\"",
    "parent = \"1\"",
    "parent = \"khong-co\"",
    "kind = \"bonus\"",
    "kind = \"deduction\"",
    "weight = 0",
    "weight = -2",
    "max = -1",
    "max = 0",
    "max = 1e309",
    "rule = \"choice\"",
    "rule = \"bands\"",
    "rule = \"ratio\"",
    "rule = \"per_item\"",
    "rule = \"points\"",
    "choices = []",
    "choices = [{ value = \"a\", points = 5 }]",
    "bands = []",
    "bands = [[\"<\", 1]]",
    "bands = [[\">90\", 1], [95, 0]]",
    "bands = [[inf, 1]]",
    "na = \"maybe\"",
    "na = \"full\"",
    "source = \"survey\"",
    "evidence = 1",
    "zero_at = 2",
    "full_at = -1",
    "per = 0",
    "step = 0",
    "min = 101",
    "na_policy = \"full\"",
    "decimals = 99",
    "schema = 2",
    "name = \"\"",
    "\u{feff}max = 1",
    "max = 1 # \u{200b}",
];

/// Characters an edit may slip in: invisible ones, controls, combining marks, TOML's own.
const CHARS: &[char] = &[
    '\u{feff}',
    '\u{200b}',
    '\u{0}',
    '\u{7f}',
    '\u{1b}',
    '\t',
    '\r',
    '\n',
    '\u{301}',
    'ư',
    'Đ',
    '\u{fffd}',
    '\u{10ffff}',
    '"',
    '\'',
    '[',
    ']',
    '{',
    '=',
    '#',
    '\\',
    '.',
    ',',
];

fn edit() -> impl Strategy<Value = Edit> {
    let at = any::<prop::sample::Index>;
    let odd_text = prop_oneof![
        Just(String::new()),
        Just("x".repeat(70_000)),
        "[\\PC]{0,12}",
        "[\\x00-\\x1f\\u{7f}\\u{200b}\\u{feff}\\u{301}a]{1,6}",
        Just("\\u0000".to_string()),
        Just("\\".to_string()),
    ];
    prop_oneof![
        2 => at().prop_map(Edit::DropLine),
        1 => at().prop_map(Edit::DuplicateLine),
        2 => at().prop_map(Edit::DuplicateTable),
        1 => (at(), at()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        4 => (at(), prop::sample::select(ODD_NUMBERS)).prop_map(|(a, n)| Edit::Number(a, n)),
        2 => (at(), odd_text).prop_map(|(a, t)| Edit::Text(a, t)),
        2 => (at(), prop::sample::select(KEYS)).prop_map(|(a, k)| Edit::Key(a, k)),
        4 => (at(), prop::sample::select(LINES)).prop_map(|(a, l)| Edit::InsertLine(a, l)),
        1 => (at(), prop::sample::select(CHARS)).prop_map(|(a, c)| Edit::InsertChar(a, c)),
        1 => at().prop_map(Edit::Truncate),
    ]
}

/// Makes one edit; an edit with nothing to act on leaves the text as it is.
fn apply(text: &str, edit: &Edit) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let line = |at: &prop::sample::Index, lines: &[String]| at.index(lines.len().max(1));
    match edit {
        Edit::DropLine(at) if !lines.is_empty() => {
            lines.remove(line(at, &lines));
        }
        Edit::DuplicateLine(at) if !lines.is_empty() => {
            let i = line(at, &lines);
            lines.insert(i, lines[i].clone());
        }
        Edit::SwapLines(a, b) if !lines.is_empty() => {
            let (a, b) = (line(a, &lines), line(b, &lines));
            lines.swap(a, b);
        }
        Edit::DuplicateTable(at) if !lines.is_empty() => {
            let (start, end) = table_around(&lines, line(at, &lines));
            let copy = lines[start..end].to_vec();
            lines.splice(end..end, copy);
        }
        Edit::InsertLine(at, new) => {
            let i = at.index(lines.len() + 1);
            match key_end(new) {
                Some(k) if !lines.is_empty() => {
                    let (start, end) = table_around(&lines, i.min(lines.len() - 1));
                    let same = (start..end).find(|&j| {
                        key_end(&lines[j]).is_some_and(|e| lines[j][..e].trim() == &new[..k])
                    });
                    match same {
                        Some(j) => lines[j] = (*new).to_string(),
                        None => lines.insert(end, (*new).to_string()),
                    }
                }
                _ => lines.insert(i, (*new).to_string()),
            }
        }
        Edit::Key(at, key) => {
            let keyed: Vec<usize> =
                (0..lines.len()).filter(|&i| key_end(&lines[i]).is_some()).collect();
            if !keyed.is_empty() {
                let i = keyed[at.index(keyed.len())];
                let end = key_end(&lines[i]).unwrap();
                lines[i].replace_range(..end, key);
            }
        }
        Edit::Number(at, odd) => return replace_nth(text, &tokens(text).0, *at, odd),
        Edit::Text(at, odd) => {
            return replace_nth(text, &tokens(text).1, *at, &format!("\"{odd}\""));
        }
        Edit::InsertChar(at, c) => {
            let mut i = at.index(text.len() + 1);
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            return format!("{}{c}{}", &text[..i], &text[i..]);
        }
        Edit::Truncate(at) => {
            let mut i = at.index(text.len() + 1);
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            return text[..i].to_string();
        }
        _ => {}
    }
    lines.join("\n") + "\n"
}

/// The byte ranges of the numbers and of the quoted strings (quotes included) of a TOML
/// text, outside comments: a rough scan, enough to find values to change.
fn tokens(text: &str) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let (mut numbers, mut strings) = (Vec::new(), Vec::new());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
                strings.push(start..i);
                continue;
            }
            b'0'..=b'9' | b'-' | b'+'
                if (i == 0 || !bytes[i - 1].is_ascii_alphanumeric() && bytes[i - 1] != b'_')
                    && bytes
                        .get(i + usize::from(!bytes[i].is_ascii_digit()))
                        .is_some_and(u8::is_ascii_digit) =>
            {
                let start = i;
                i += 1;
                while i < bytes.len()
                    && matches!(bytes[i], b'0'..=b'9' | b'.' | b'_' | b'e' | b'E' | b'+' | b'-')
                {
                    i += 1;
                }
                numbers.push(start..i);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    (numbers, strings)
}

/// `text` with the chosen one of `spans` replaced; as it is when there is none.
fn replace_nth(text: &str, spans: &[Range<usize>], at: prop::sample::Index, new: &str) -> String {
    if spans.is_empty() {
        return text.to_string();
    }
    let mut out = text.to_string();
    out.replace_range(spans[at.index(spans.len())].clone(), new);
    out
}

/// The lines of the table line `i` is in: from its header (or the top of the file) to
/// the next header.
fn table_around(lines: &[String], i: usize) -> (usize, usize) {
    let header = |l: &String| l.trim_start().starts_with('[');
    let start = (0..=i).rev().find(|&j| header(&lines[j])).unwrap_or(0);
    let end = (i + 1..lines.len()).find(|&j| header(&lines[j])).unwrap_or(lines.len());
    (start, end)
}

/// Where the key of a `key = value` line ends.
fn key_end(line: &str) -> Option<usize> {
    let start = line.len() - line.trim_start().len();
    let key = line[start..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))?;
    (key > 0 && line[start + key..].trim_start().starts_with('=')).then_some(start + key)
}

/// Bytes an editor may leave at either end of a file: a UTF-8 or a UTF-16 byte-order
/// mark, or half a character.
const SAVED_BYTES: &[&[u8]] = &[b"\xEF\xBB\xBF", b"\xFF\xFE", b"\xC3", b"\x80"];

/// Mostly a valid set (the example, the awkward good files, a generated one) after one or
/// two edits; some free text; a few files as bytes, edited ones with a stray byte-order
/// mark or half a character, and noise.
fn mangled() -> impl Strategy<Value = Mangled> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("docs/examples/bo-tieu-chi-mau.toml")];
    let good = std::fs::read_dir(root.join("tests/data/criteria/good")).unwrap();
    files.extend(good.map(|e| e.unwrap().path()));
    files.sort();
    let files: Vec<String> = files.iter().map(|f| std::fs::read_to_string(f).unwrap()).collect();
    let base = prop_oneof![
        2 => set().prop_map(|g| render(&g).0),
        1 => prop::sample::select(files),
    ];
    let edited = (base, prop::collection::vec(edit(), 1..3))
        .prop_map(|(text, edits)| edits.iter().fold(text, |text, e| apply(&text, e)))
        .boxed();
    prop_oneof![
        16 => edited.clone().prop_map(Mangled::Text),
        2 => "\\PC{0,300}".prop_map(Mangled::Text),
        // Saved by an editor: a byte-order mark, or a stray byte that is not UTF-8.
        1 => (edited, prop::sample::select(SAVED_BYTES), any::<bool>())
            .prop_map(|(text, extra, front)| {
                let mut bytes = text.into_bytes();
                let at = if front { 0 } else { bytes.len() };
                bytes.splice(at..at, extra.iter().copied());
                Mangled::Bytes(bytes)
            }),
        1 => prop::collection::vec(any::<u8>(), 0..2048).prop_map(Mangled::Bytes),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_valid_generated_set_passes(g in set()) {
        let (text, total, leaves) = render(&g);
        let loaded = criteria::load(&SourceFile::new("generated.toml", text.as_str()));
        prop_assert!(loaded.diagnostics.is_empty(), "{:#?}\n{text}", loaded.diagnostics);
        let set = loaded.set.expect("a valid set loads");
        prop_assert_eq!(set.max, total);
        prop_assert_eq!(set.leaves().count(), leaves);
        // A summing parent's max is its children's sum; none exceeds the set.
        for (id, node) in set.nodes.iter().enumerate() {
            if !node.children.is_empty() && !set.is_weighted(id) {
                let sum: Decimal = node.children.iter().map(|&c| set.nodes[c].max).sum();
                prop_assert_eq!(node.max, sum);
            }
        }
        let regular: Decimal = set.roots().filter(|(_, n)| n.kind == Kind::Regular).map(|(_, n)| n.max).sum();
        prop_assert_eq!(regular, set.max);
    }

    // Damaged copies of a real set: cut, spliced and retyped lines are what a hurried
    // edit leaves behind.
    #[test]
    fn damaged_sets_never_panic_and_never_pass_unnoticed(
        cut in 0usize..5000, len in 0usize..200, insert in "[\\[\\]=\"a-z0-9.,\n #-]{0,30}",
    ) {
        let original = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/examples/bo-tieu-chi-mau.toml")).unwrap();
        let mut text = original.clone();
        let mut start = cut.min(text.len());
        while !text.is_char_boundary(start) { start -= 1; }
        let mut end = (start + len).min(text.len());
        while !text.is_char_boundary(end) { end -= 1; }
        text.replace_range(start..end, &insert);
        let loaded = criteria::load(&SourceFile::new("damaged.toml", text.as_str()));
        let errors = loaded.diagnostics.iter().filter(|d| d.severity == parindex::diagnostic::Severity::Error).count();
        prop_assert_eq!(loaded.set.is_some(), errors == 0);
        if let Some(set) = loaded.set {
            let regular: Decimal = set.roots().filter(|(_, n)| n.kind == Kind::Regular).map(|(_, n)| n.max).sum();
            prop_assert_eq!(regular, set.max);
        }
    }
}

proptest! {
    // Cheap cases in a large space: a thousandth of a second each.
    #![proptest_config(ProptestConfig::with_cases(500))]

    // Whatever a file holds, the loader answers without panicking, and a set it refuses
    // comes with at least one error that `check` can show, in text and in JSON.
    #[test]
    fn mangled_files_never_panic_the_loader(input in mangled()) {
        let source = match input {
            Mangled::Text(text) => SourceFile::new("mangled.toml", text),
            Mangled::Bytes(bytes) => match parindex::read::file::decode_text("mangled.toml".into(), &bytes) {
                Ok(source) => source,
                Err(refused) => {
                    prop_assert_eq!(refused.severity, Severity::Error);
                    return Ok(());
                }
            },
        };
        let loaded = criteria::load(&source);
        let errors = loaded.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
        prop_assert_eq!(loaded.set.is_some(), errors == 0, "{:#?}", loaded.diagnostics);
        let report = FileReport::new(source.path.clone(), Some(source), loaded.diagnostics);
        let shown = report.render(Voice::PLAIN);
        prop_assert_eq!(shown.matches("error[").count(), errors, "{}", shown);
        prop_assert_eq!(report.json(Lang::En).len(), report.diagnostics.len());
    }
}

// A tree a thousand levels deep is walked without recursion.
#[test]
fn a_very_deep_tree_loads() {
    let depth = 1000;
    let mut text = String::from(
        "schema = 1\nid = \"sau\"\ntitle = \"Sâu\"\nmax = 1\n[[grade]]\nname = \"Tốt\"\nmin = 0\n",
    );
    let mut code = String::new();
    for level in 0..depth {
        if level > 0 {
            code.push('.');
        }
        code.push('1');
        let rule = if level == depth - 1 { "rule = \"yes_no\"\n" } else { "" };
        let _ =
            write!(text, "[[node]]\ncode = \"{code}\"\nname = \"Mức {level}\"\nmax = 1\n{rule}");
    }
    let loaded = criteria::load(&SourceFile::new("deep.toml", text));
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics.first());
    assert_eq!(loaded.set.unwrap().nodes.last().unwrap().depth, depth - 1);
}

/// The value an agency types for a generated leaf, from a seed: always valid for its rule,
/// sometimes "not applicable" where the leaf allows it.
fn typed_value(l: &GenLeaf, seed: u32) -> String {
    if l.na && seed.is_multiple_of(7) {
        return "NA".into();
    }
    match l.rule {
        0 => quarters(seed % (l.quarters + 1)).to_string(),
        1 => ["có", "không"][(seed % 2) as usize].into(),
        2 => ["du", "Một phần", "khong"][(seed % 3) as usize].into(),
        // At most 100%: more is warned of on bands of percents (above-100-percent).
        3 => format!("{}%", seed % 101),
        4 => (seed % 6).to_string(),
        5 => {
            let b = 1 + seed % 50;
            format!("{}/{b}", seed % (b + 1))
        }
        _ => (seed % 5).to_string(),
    }
}

/// The regular leaves of a generated set with their codes, in the order of the file.
fn leaf_codes(g: &GenSet) -> Vec<(String, &GenLeaf)> {
    let mut leaves = Vec::new();
    for (f, criteria) in g.fields.iter().enumerate() {
        for (c, crit) in criteria.iter().enumerate() {
            for (i, l) in crit.leaves.iter().enumerate() {
                let code = if g.dotted {
                    format!("{}.{}.{}", f + 1, c + 1, i + 1)
                } else {
                    format!("F{}C{}L{}", f + 1, c + 1, i + 1)
                };
                leaves.push((code, l));
            }
        }
    }
    leaves
}

/// Answers a generated leaf's rule reads, from one that scores 0 to one that scores its
/// max: what "not applicable" is weighed against.
fn answers(l: &GenLeaf) -> Vec<String> {
    let some = |list: &[&str]| list.iter().map(|a| (*a).to_string()).collect();
    match l.rule {
        0 => {
            vec!["0".into(), quarters(l.quarters / 2).to_string(), quarters(l.quarters).to_string()]
        }
        1 => some(&["không", "có"]),
        2 => some(&["khong", "Một phần", "du"]),
        3 => some(&["0%", "75%", "95%"]),
        4 => some(&["5", "2", "0"]),
        5 => some(&["0/1", "7/10", "1/1"]),
        _ => some(&["1000", "1", "0"]),
    }
}

/// A generated round on disk: the set, three agencies in two groups, a self-assessment
/// (rows in the given order) and a survey. Returns the folder and the self rows.
fn write_round(g: &GenSet, seeds: &[u32], dir: &std::path::Path) -> Vec<String> {
    let (criteria, _, _) = render(g);
    std::fs::write(dir.join("criteria.toml"), criteria).unwrap();
    std::fs::write(
        dir.join("agencies.csv"),
        "id,name,group\nso-a,Sở A,so\nso-b,Sở Bắc,so\nxa-c,Xã Cẩm,xa\n",
    )
    .unwrap();
    let (mut own, mut survey) = (Vec::new(), Vec::new());
    for (a, agency) in ["so-a", "so-b", "xa-c"].iter().enumerate() {
        for (k, (code, l)) in leaf_codes(g).into_iter().enumerate() {
            let seed = seeds[(a * 31 + k) % seeds.len()].wrapping_add(u32::try_from(k).unwrap());
            let row = format!("{agency},{code},{},QĐ {seed}", typed_value(l, seed));
            if l.survey { survey.push(row) } else { own.push(row) }
        }
        if let Some(b) = g.bonus {
            own.push(format!("{agency},T,{},QĐ", seeds[a % seeds.len()] % (b + 1)));
        }
    }
    std::fs::write(
        dir.join("survey.csv"),
        format!("agency,code,value,evidence\n{}\n", survey.join("\n")),
    )
    .unwrap();
    own
}

fn load_and_score(
    dir: &std::path::Path,
    own: &[String],
) -> (parindex::model::round::Round, parindex::score::results::Results) {
    std::fs::write(
        dir.join("self.csv"),
        format!("agency,code,value,evidence\n{}\n", own.join("\n")),
    )
    .unwrap();
    let inputs = parindex::read::inputs::Inputs {
        round: None,
        title: None,
        year: None,
        criteria: dir.join("criteria.toml"),
        agencies: dir.join("agencies.csv"),
        self_assessment: Some(dir.join("self.csv")),
        tables: Vec::new(),
        decision: parindex::model::decision::Decision::default(),
        groups: Vec::new(),
        appraisals: vec![],
        survey: Some(dir.join("survey.csv")),
    };
    let loaded = parindex::read::inputs::load(&inputs);
    let problems: Vec<_> = loaded.reports.iter().flat_map(|r| r.diagnostics.clone()).collect();
    assert!(problems.is_empty(), "{problems:#?}");
    let round = loaded.round.expect("a generated round loads");
    let results = parindex::score::results::score(&round, parindex::model::layer::Stage::Final);
    (round, results)
}

fn render_report(
    round: &parindex::model::round::Round,
    results: &parindex::score::results::Results,
    format: parindex::report::Format,
) -> Vec<u8> {
    parindex::report::Report {
        round,
        results,
        lang: parindex::report::Lang::En,
        csv: parindex::report::CsvForm::Keys,
        group: None,
        audit: None,
        field_ranks: true,
        width: None,
    }
    .render(format)
    .expect("a small round fits a workbook")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    // Points stay within 0..=max at every node, the index within 0..=100, every field
    // shown is its own points rounded, and under round_fields = "sum" a row adds up.
    #[test]
    fn scores_stay_in_bounds_and_fields_are_rounded_as_the_set_says(g in set(), seeds in prop::collection::vec(any::<u32>(), 8)) {
        let dir = tempfile::tempdir().unwrap();
        let own = write_round(&g, &seeds, dir.path());
        let (round, results) = load_and_score(dir.path(), &own);
        let zero = parindex::score::exact::Exact::zero();
        for r in &results.agencies {
            for (id, node) in r.score.nodes.all().expect("every node").iter().enumerate() {
                prop_assert!(node.points >= zero, "{} below 0", round.set.nodes[id].code);
                prop_assert!(node.points <= node.max || !node.applicable, "{} above its max", round.set.nodes[id].code);
                prop_assert!(node.max <= parindex::score::exact::Exact::from_decimal(round.set.nodes[id].max));
            }
            if let Some(index) = &r.score.index {
                prop_assert!(*index >= zero && *index <= parindex::score::exact::Exact::from_int(100));
            }
        }
        // By default every field is its own exact points rounded once (spec §4).
        let d = round.set.decimals;
        let field_ids: Vec<usize> = round.set.roots().filter(|(_, n)| n.kind == Kind::Regular).map(|(i, _)| i).collect();
        let rows = |round: &parindex::model::round::Round| {
            let csv = render_report(round, &results, parindex::report::Format::Csv);
            let mut reader = ::csv::Reader::from_reader(&csv[3..]);
            let header = reader.headers().unwrap().clone();
            let column = |name: &str| header.iter().position(|h| h == name).unwrap();
            let (agency, points) = (column("agency"), column("points"));
            let first_field = column("max") + 1 + usize::from(g.bonus.is_some());
            reader
                .records()
                .map(|row| {
                    let row = row.unwrap();
                    let fields: Vec<Option<Decimal>> =
                        (first_field..first_field + field_ids.len()).map(|i| row[i].parse().ok()).collect();
                    (row[agency].to_string(), fields, row[points].parse::<Decimal>().unwrap())
                })
                .collect::<Vec<_>>()
        };
        for (id, fields, _) in rows(&round) {
            let r = results.agencies.iter().find(|r| round.agencies[r.agency].id == id).unwrap();
            for (shown, &f) in fields.iter().zip(&field_ids) {
                let node = &r.score.nodes[f];
                let own = node.applicable.then(|| node.points.round(d));
                prop_assert_eq!(*shown, own, "{} field {}", id, round.set.nodes[f].code);
            }
        }
        // With round_fields = "sum", a published row adds up: its fields sum to its total.
        let mut summed = round.clone();
        summed.set.round_fields = parindex::model::criteria::RoundFields::Sum;
        for (id, fields, points) in rows(&summed) {
            let sum: Decimal = fields.iter().flatten().sum();
            prop_assert_eq!(sum, points, "{}", id);
        }
    }

    // The order of rows in a file never changes a result.
    #[test]
    fn row_order_never_changes_a_result(g in set(), seeds in prop::collection::vec(any::<u32>(), 8), shuffle in any::<prop::sample::Index>()) {
        let dir = tempfile::tempdir().unwrap();
        let own = write_round(&g, &seeds, dir.path());
        let (round, results) = load_and_score(dir.path(), &own);
        let before = render_report(&round, &results, parindex::report::Format::Json);
        let mut shuffled = own.clone();
        let k = shuffle.index(shuffled.len().max(1));
        shuffled.rotate_left(k);
        shuffled.reverse();
        let (round, results) = load_and_score(dir.path(), &shuffled);
        prop_assert_eq!(before, render_report(&round, &results, parindex::report::Format::Json));
    }

    // Marking one leaf not applicable (under "exclude") changes no other leaf's points.
    #[test]
    fn an_excluded_leaf_leaves_the_others_alone(g in set(), seeds in prop::collection::vec(any::<u32>(), 8)) {
        let dir = tempfile::tempdir().unwrap();
        let own = write_round(&g, &seeds, dir.path());
        let (round, results) = load_and_score(dir.path(), &own);
        let Some(na_leaf) = round.set.leaves().find(|(_, _, l)| l.na.is_some() && l.source == parindex::model::criteria::Source::Assessment).map(|(id, _, _)| id) else {
            return Ok(());
        };
        let code = round.set.nodes[na_leaf].code.clone();
        let prefix = format!("so-a,{code},");
        let changed: Vec<String> = own.iter().map(|r| if r.starts_with(&prefix) { format!("{prefix}NA,") } else { r.clone() }).collect();
        let (_, after) = load_and_score(dir.path(), &changed);
        // Compared to the places results carry: a run scored on decimals and one re-done
        // exactly agree there, and differ only far beyond.
        let places = parindex::report::EXACT_PLACES;
        for (id, _, _) in round.set.leaves().filter(|(id, _, _)| *id != na_leaf) {
            prop_assert_eq!(
                results.agencies[0].score.nodes[id].points.approx(places),
                after.agencies[0].score.nodes[id].points.approx(places)
            );
        }
        prop_assert!(!after.agencies[0].score.nodes[na_leaf].applicable);
    }
}

/// The index of agency `so-a` once its row for leaf `code` says `answer`, the other rows
/// as `own` has them, and that leaf's points.
fn so_a_with(
    dir: &std::path::Path,
    own: &[String],
    code: &str,
    answer: &str,
) -> (Option<Decimal>, parindex::score::figure::Figure) {
    let prefix = format!("so-a,{code},");
    let evidence = if answer == "NA" { "" } else { "QĐ 1" };
    let changed: Vec<String> = own
        .iter()
        .map(|r| {
            if r.starts_with(&prefix) { format!("{prefix}{answer},{evidence}") } else { r.clone() }
        })
        .collect();
    let (round, results) = load_and_score(dir, &changed);
    let a = results.agencies.iter().find(|r| round.agencies[r.agency].id == "so-a").unwrap();
    let leaf = round.set.find(code).unwrap();
    // To the places results carry: a run scored on decimals and one re-done exactly
    // agree there.
    let index = a.score.index.as_ref().map(|i| i.approx(parindex::report::EXACT_PLACES));
    (index, a.score.nodes[leaf].points.clone())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    // Under na_policy = "full", "not applicable" scores the leaf's max, so no answer to
    // that leaf can give the agency a higher index: NA never lowers an index.
    #[test]
    fn under_full_na_never_lowers_an_index(
        g in set(), seeds in prop::collection::vec(any::<u32>(), 8), pick in any::<prop::sample::Index>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let own = write_round(&g, &seeds, dir.path());
        let criteria = std::fs::read_to_string(dir.path().join("criteria.toml")).unwrap();
        let full = criteria.replacen("schema = 1\n", "schema = 1\nna_policy = \"full\"\n", 1);
        std::fs::write(dir.path().join("criteria.toml"), full).unwrap();
        let allowing: Vec<_> = leaf_codes(&g).into_iter().filter(|(_, l)| l.na && !l.survey).collect();
        if allowing.is_empty() {
            return Ok(());
        }
        let (code, leaf) = &allowing[pick.index(allowing.len())];
        let (na, _) = so_a_with(dir.path(), &own, code, "NA");
        prop_assert!(na.is_some(), "under \"full\" an NA leaf still applies");
        for answer in answers(leaf) {
            let (other, _) = so_a_with(dir.path(), &own, code, &answer);
            prop_assert!(na >= other, "{code}: NA gives {na:?}, {answer:?} gives {other:?}");
        }
    }

    // Under "exclude", NA takes the leaf out of both points and max. Against an answer
    // that scores 0 that can only raise or keep the index: the same points over a smaller
    // max, or a weighted mean without one of its lowest terms. (Against a better answer
    // it may lower the index: that is the policy, not a fault.)
    #[test]
    fn under_exclude_na_never_lowers_an_index_below_a_zero_answer(
        g in set(), seeds in prop::collection::vec(any::<u32>(), 8), pick in any::<prop::sample::Index>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let own = write_round(&g, &seeds, dir.path());
        let allowing: Vec<_> = leaf_codes(&g).into_iter().filter(|(_, l)| l.na && !l.survey).collect();
        if allowing.is_empty() {
            return Ok(());
        }
        let (code, leaf) = &allowing[pick.index(allowing.len())];
        let (na, _) = so_a_with(dir.path(), &own, code, "NA");
        let mut zeros = 0;
        for answer in answers(leaf) {
            let (other, points) = so_a_with(dir.path(), &own, code, &answer);
            if !points.is_zero() {
                continue;
            }
            zeros += 1;
            // Where nothing else applies, NA leaves the agency with no index at all:
            // there is nothing to compare.
            if na.is_some() {
                prop_assert!(na >= other, "{code}: NA gives {na:?}, {answer:?} gives {other:?}");
            }
        }
        prop_assert!(zeros > 0, "{code}: one of the answers tried scores 0");
    }
}

/// Weights whose shares decimals cannot hold: 25 and 28 of a sum, tenths, hundredths.
const AWKWARD_WEIGHTS: [&str; 6] = ["25", "28", "0.7", "0.28", "3", "7"];

/// The criteria `write_round` wrote, made harder on decimals: awkward weights (picked by
/// `picks`), every other ratio leaf a plain share (max × a/b, as 1/3 of 1.5 = 0.5), and
/// ranks on the exact index where `exact_rank`.
fn awkward(text: &str, picks: &[usize], exact_rank: bool) -> String {
    let mut out = String::new();
    let (mut weights, mut ratios) = (0, 0);
    for line in text.lines() {
        if line.starts_with("weight = ") {
            let _ = writeln!(out, "weight = {}", AWKWARD_WEIGHTS[picks[weights % picks.len()]]);
            weights += 1;
        } else if line == "full_at = 0.9" || line == "zero_at = 0.5" {
            if line == "full_at = 0.9" {
                ratios += 1;
            }
            if ratios % 2 == 0 {
                let _ = writeln!(out, "{line}");
            }
        } else {
            let _ = writeln!(out, "{line}");
            if exact_rank && line.starts_with("decimals = ") {
                out.push_str("rank_by = \"exact\"\n");
            }
        }
    }
    out
}

/// An appraisal of the self-assessment rows `own`: every third row (from `shift`)
/// given the value another agency gave the same leaf, which its rule reads as well.
fn appraisal(own: &[String], shift: usize) -> String {
    let split = |row: &String| -> (String, String, String) {
        let mut parts = row.splitn(4, ',');
        let mut next = || parts.next().unwrap_or_default().to_string();
        (next(), next(), next())
    };
    let rows: Vec<(String, String, String)> = own.iter().map(split).collect();
    let mut out = String::from("agency,code,value,evidence\n");
    for (k, (agency, code, _)) in
        rows.iter().enumerate().filter(|(k, _)| (k + shift).is_multiple_of(3))
    {
        let other = rows.iter().skip(k + 1).chain(&rows).find(|(a, c, _)| c == code && a != agency);
        if let Some((_, _, value)) = other {
            let _ = writeln!(out, "{agency},{code},{value},");
        }
    }
    out
}

/// Every figure the filtered and the exact results keep of an agency, to 20 places and
/// as shown, with its rank and grade, and what differs: nothing, where they agree.
fn disagreements(
    round: &parindex::model::round::Round,
    detail: parindex::score::results::Detail,
    filtered: &parindex::score::results::Results,
    exact: &parindex::score::results::Results,
) -> Vec<String> {
    use parindex::score::figure::Figure;
    use parindex::score::results::Detail;
    use parindex::score::tree::{NodeScore, Status};
    let set = &round.set;
    let (places, exact_places) = (set.decimals, parindex::report::EXACT_PLACES);
    let both = |f: &Figure| (f.round(places), f.approx(exact_places));
    let kept: Vec<usize> = (0..set.nodes.len())
        .filter(|&id| {
            let node = &set.nodes[id];
            match detail {
                Detail::Full => true,
                Detail::Corrections => {
                    node.parent.is_none() || node.leaf.as_ref().is_some_and(|l| l.compute.is_some())
                }
                Detail::Tables => node.parent.is_none() || node.leaf.is_some(),
                Detail::Fields => node.parent.is_none(),
                Detail::Criteria => node.depth <= 1,
            }
        })
        .collect();
    let seen = |node: &NodeScore<Figure>| {
        let claimed = match &node.status {
            Status::NoEvidence { claimed } => Some(both(claimed)),
            _ => None,
        };
        (node.applicable, node.status.key(), both(&node.points), both(&node.max), claimed)
    };
    let sub_index = |node: &NodeScore<Figure>| node.sub_index().map(|s| s.round(places));
    let mut wrong = Vec::new();
    // Decimals compare by value: 100 and 100.0 are one figure, shown alike.
    let mut differ =
        |what: String, ours: &dyn std::fmt::Debug, theirs: &dyn std::fmt::Debug, same: bool| {
            if !same {
                wrong.push(format!("{what}: {ours:?} filtered, {theirs:?} exact"));
            }
        };
    for (i, (ours, theirs)) in filtered.agencies.iter().zip(&exact.agencies).enumerate() {
        let agency = &round.agencies[i].id;
        differ(format!("{agency} rank"), &ours.rank, &theirs.rank, ours.rank == theirs.rank);
        differ(format!("{agency} grade"), &ours.grade, &theirs.grade, ours.grade == theirs.grade);
        let same = ours.rounded == theirs.rounded;
        differ(format!("{agency} index shown"), &ours.rounded, &theirs.rounded, same);
        let (mine, right) = (&ours.score, &theirs.score);
        let totals = [
            ("points", &mine.points, &right.points),
            ("max", &mine.max, &right.max),
            ("bonus", &mine.bonus, &right.bonus),
            ("deduction", &mine.deduction, &right.deduction),
        ];
        for (what, one, other) in totals {
            let (one, other) = (both(one), both(other));
            differ(format!("{agency} {what}"), &one, &other, one == other);
        }
        let (one, other) = (mine.index.as_ref().map(both), right.index.as_ref().map(both));
        differ(format!("{agency} index"), &one, &other, one == other);
        let (one, other) =
            (ours.self_index.as_ref().map(both), theirs.self_index.as_ref().map(both));
        differ(format!("{agency} self index"), &one, &other, one == other);
        for &id in &kept {
            let (one, other) = (&mine.nodes[id], &right.nodes[id]);
            let code = &set.nodes[id].code;
            differ(format!("{agency} {code}"), &seen(one), &seen(other), seen(one) == seen(other));
            // A workbook shows its fields' sub-indexes.
            if detail == Detail::Tables && set.nodes[id].parent.is_none() {
                let (one, other) = (sub_index(one), sub_index(other));
                differ(format!("{agency} {code} sub-index"), &one, &other, one == other);
            }
        }
    }
    differ("groups".into(), &filtered.groups, &exact.groups, filtered.groups == exact.groups);
    wrong
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    // Scoring on decimals and again exactly where a figure could round otherwise (the
    // filter) gives what scoring every agency exactly gives: every figure kept, to 20
    // places and as shown, every rank, grade and group, and the same published tables.
    #[test]
    fn the_filter_agrees_with_exact_arithmetic(
        g in set(),
        seeds in prop::collection::vec(any::<u32>(), 8),
        weights in prop::collection::vec(0usize..AWKWARD_WEIGHTS.len(), 1..6),
        exact_rank in any::<bool>(),
        shift in 0usize..3,
    ) {
        use parindex::score::filter::Arithmetic;
        use parindex::score::results::{Detail, score_using};
        let dir = tempfile::tempdir().unwrap();
        let own = write_round(&g, &seeds, dir.path());
        let criteria = std::fs::read_to_string(dir.path().join("criteria.toml")).unwrap();
        std::fs::write(dir.path().join("criteria.toml"), awkward(&criteria, &weights, exact_rank)).unwrap();
        std::fs::write(dir.path().join("self.csv"), format!("agency,code,value,evidence\n{}\n", own.join("\n"))).unwrap();
        std::fs::write(dir.path().join("appraisal.csv"), appraisal(&own, shift)).unwrap();
        let inputs = parindex::read::inputs::Inputs {
            title: None,
            year: None,
            criteria: dir.path().join("criteria.toml"),
            agencies: dir.path().join("agencies.csv"),
            self_assessment: Some(dir.path().join("self.csv")),
            tables: Vec::new(),
            decision: parindex::model::decision::Decision::default(),
            groups: Vec::new(),
            appraisals: vec![dir.path().join("appraisal.csv")],
            survey: Some(dir.path().join("survey.csv")),
            round: None,
        };
        let loaded = parindex::read::inputs::load(&inputs);
        let problems: Vec<_> = loaded.reports.iter().flat_map(|r| r.diagnostics.clone()).collect();
        prop_assert!(problems.is_empty(), "{:#?}", problems);
        let round = loaded.round.expect("a generated round loads");
        let progress = parindex::progress::Progress::hidden();
        let stage = parindex::model::layer::Stage::Final;
        for detail in [Detail::Corrections, Detail::Fields, Detail::Tables, Detail::Criteria] {
            let filtered = score_using(&round, stage, detail, Arithmetic::Filtered, &progress);
            let exact = score_using(&round, stage, detail, Arithmetic::Exact, &progress);
            let wrong = disagreements(&round, detail, &filtered, &exact);
            prop_assert!(wrong.is_empty(), "{:?}: {:#?}", detail, wrong);
            if detail == Detail::Fields {
                for format in [parindex::report::Format::Csv, parindex::report::Format::Md] {
                    prop_assert_eq!(render_report(&round, &filtered, format), render_report(&round, &exact, format));
                }
            }
        }
    }
}

/// A set whose leaves are computed from a statistics table `tk` and responses `ks`.
fn computed_set(full_at: Option<&str>, zero: &str) -> String {
    let full_at = full_at.map(|f| format!("full_at = {f}\n")).unwrap_or_default();
    format!(
        "schema = 1\nid = \"t\"\ntitle = \"t\"\nmax = 7\n[[grade]]\nname = \"a\"\nmin = 0\n\
         [[node]]\ncode = \"1\"\nname = \"a\"\n\
         [[node]]\ncode = \"1.1\"\nname = \"b\"\nmax = 3\nrule = \"ratio\"\n{full_at}\
         compute = {{ table = \"tk\", value = \"(a + b) / c\", zero = \"{zero}\" }}\n\
         [[node]]\ncode = \"1.2\"\nname = \"c\"\nmax = 2\nrule = \"bands\"\nbands = [[90, 2], [\">50\", 1], [0, 0]]\n\
         compute = {{ table = \"tk\", value = \"min(a, c) / max(c, 1)\" }}\n\
         [[node]]\ncode = \"1.3\"\nname = \"d\"\nmax = 2\nrule = \"ratio\"\n\
         compute = {{ table = \"ks\", questions = [\"C1\", \"C2\"], min_answers = 2, answers = {{ \"Hài lòng\" = 1, \"Bình thường\" = 0.6, \"Không hài lòng\" = 0 }} }}\n"
    )
}

/// Scores a round of the computed set from `tk` and `ks` rows (shuffled by `turn`): the
/// csv result, and each agency's leaf points at the final stage with their max.
fn score_computed(
    dir: &std::path::Path,
    set: &str,
    statistics: &[String],
    responses: &[String],
    turn: usize,
) -> (Vec<u8>, Vec<(parindex::score::figure::Figure, rust_decimal::Decimal)>) {
    std::fs::write(dir.join("criteria.toml"), set).unwrap();
    let ids: Vec<String> = (0..statistics.len()).map(|i| format!("dv-{i}")).collect();
    let agencies: Vec<String> = ids.iter().map(|id| format!("{id},{id},g")).collect();
    std::fs::write(dir.join("agencies.csv"), format!("id,name,group\n{}\n", agencies.join("\n")))
        .unwrap();
    let rotate = |rows: &[String]| {
        let mut rows = rows.to_vec();
        if !rows.is_empty() {
            let k = turn % rows.len();
            rows.rotate_left(k);
            if turn % 2 == 1 {
                rows.reverse();
            }
        }
        rows.join("\n")
    };
    std::fs::write(dir.join("tk.csv"), format!("agency,a,b,c\n{}\n", rotate(statistics))).unwrap();
    std::fs::write(dir.join("ks.csv"), format!("agency,C1,C2\n{}\n", rotate(responses))).unwrap();
    let table = |name: &str| parindex::read::round_file::TableInput {
        name: name.into(),
        path: dir.join(format!("{name}.csv")),
        columns: Vec::new(),
    };
    let inputs = parindex::read::inputs::Inputs {
        round: None,
        title: None,
        year: None,
        criteria: dir.join("criteria.toml"),
        agencies: dir.join("agencies.csv"),
        self_assessment: None,
        tables: vec![table("tk"), table("ks")],
        decision: parindex::model::decision::Decision::default(),
        groups: Vec::new(),
        appraisals: vec![],
        survey: None,
    };
    let loaded = parindex::read::inputs::load(&inputs);
    let errors: Vec<_> = loaded
        .reports
        .iter()
        .flat_map(|r| r.diagnostics.iter().filter(|d| d.severity == Severity::Error).cloned())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let round = loaded.round.expect("the round loads");
    let results = parindex::score::results::score(&round, parindex::model::layer::Stage::Final);
    let mut leaves = Vec::new();
    for r in &results.agencies {
        for (id, node, _) in round.set.leaves() {
            let n = &r.score.nodes[id];
            if n.applicable {
                leaves.push((n.points.clone(), node.max));
            }
        }
    }
    let csv = render_report(&round, &results, parindex::report::Format::Csv);
    (csv, leaves)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    // A computed leaf stays within 0..=max whatever the counts (zero ones, counts of
    // twenty digits, answers of any mix); and the order of a table's rows never changes
    // a result.
    #[test]
    fn computed_leaves_stay_in_bounds_and_row_order_does_not_matter(
        counts in prop::collection::vec((0u64..4, any::<u64>(), any::<u64>(), any::<u64>()), 1..7),
        answers in prop::collection::vec((0usize..8, 0usize..4, 0usize..4), 0..40),
        full_at in prop::sample::select(vec![None, Some("0.5"), Some("0.98")]),
        zero in prop::sample::select(vec!["zero", "full", "na"]),
        turn in 0usize..6,
    ) {
        // Sizes from none to 10²⁰: the parts never exceed the whole.
        let statistics: Vec<String> = counts
            .iter()
            .enumerate()
            .map(|(i, &(scale, c, a, b))| {
                let whole = match scale {
                    0 => 0u128,
                    1 => u128::from(c % 1000),
                    2 => u128::from(c),
                    _ => u128::from(c) * 10_000,
                };
                let a = if whole == 0 { 0 } else { u128::from(a) % (whole + 1) };
                let b = if whole == 0 { 0 } else { u128::from(b) % (whole - a + 1) };
                format!("dv-{i},{a},{b},{whole}")
            })
            .collect();
        let words = ["Hài lòng", "hài lòng", "Bình thường", "Không hài lòng"];
        let mut responses: Vec<String> = answers
            .iter()
            .filter(|(agency, _, _)| *agency < statistics.len())
            .map(|&(agency, x, y)| {
                let blank = |k: usize| if k == 3 && x == y { "" } else { words[k] };
                format!("dv-{agency},{},{}", blank(x), blank(y))
            })
            .collect();
        // A table with no response at all is refused (no-responses): one form left blank
        // keeps the round scoreable, every agency unsurveyed.
        if responses.is_empty() {
            responses.push("dv-0,,".into());
        }
        let set = computed_set(full_at, zero);
        let dir = tempfile::tempdir().unwrap();
        let (first, leaves) = score_computed(dir.path(), &set, &statistics, &responses, 0);
        let zero_points = parindex::score::figure::Figure::from_int(0);
        for (points, max) in &leaves {
            prop_assert!(*points >= zero_points, "{points:?}");
            prop_assert!(points.round(10) <= *max, "{points:?} > {max}");
        }
        let (turned, _) = score_computed(dir.path(), &set, &statistics, &responses, turn);
        prop_assert_eq!(first, turned);
    }
}
