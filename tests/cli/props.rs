//! Property tests of the criteria loader: every valid set it is given passes with no
//! problem, and no input, however broken, makes it panic.

use parindex::model::criteria::Kind;
use parindex::read::criteria;
use parindex::source::SourceFile;
use std::fmt::Write as _;

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

    #[test]
    fn arbitrary_bytes_never_panic_the_loader(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        if let Ok(source) = parindex::read::file::decode_text("fuzz.toml".into(), &bytes) {
            let _ = criteria::load(&source);
        }
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
        3 => format!("{}%", seed % 121),
        4 => (seed % 6).to_string(),
        5 => {
            let b = 1 + seed % 50;
            format!("{}/{b}", seed % (b + 1))
        }
        _ => (seed % 5).to_string(),
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
        let mut k = 0;
        for (f, criteria) in g.fields.iter().enumerate() {
            for (c, crit) in criteria.iter().enumerate() {
                for (i, l) in crit.leaves.iter().enumerate() {
                    let code = if g.dotted {
                        format!("{}.{}.{}", f + 1, c + 1, i + 1)
                    } else {
                        format!("F{}C{}L{}", f + 1, c + 1, i + 1)
                    };
                    let seed =
                        seeds[(a * 31 + k) % seeds.len()].wrapping_add(u32::try_from(k).unwrap());
                    k += 1;
                    let row = format!("{agency},{code},{},QĐ {seed}", typed_value(l, seed));
                    if l.survey { survey.push(row) } else { own.push(row) }
                }
            }
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
        title: None,
        year: None,
        criteria: dir.join("criteria.toml"),
        agencies: dir.join("agencies.csv"),
        self_assessment: dir.join("self.csv"),
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
        group: None,
        audit: None,
    }
    .render(format)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    // Points stay within 0..=max at every node, the index within 0..=100, and a
    // published row adds up: its fields sum to its total.
    #[test]
    fn scores_stay_in_bounds_and_rows_add_up(g in set(), seeds in prop::collection::vec(any::<u32>(), 8)) {
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
        let csv = render_report(&round, &results, parindex::report::Format::Csv);
        let mut reader = ::csv::Reader::from_reader(&csv[3..]);
        let header = reader.headers().unwrap().clone();
        let points_col = header.iter().position(|h| h == "points").unwrap();
        let first_field = header.iter().position(|h| h == "max").unwrap() + 1 + usize::from(g.bonus.is_some());
        let fields = g.fields.len();
        for row in reader.records() {
            let row = row.unwrap();
            let sum: Decimal = (first_field..first_field + fields).filter_map(|i| row[i].parse::<Decimal>().ok()).sum();
            prop_assert_eq!(sum, row[points_col].parse::<Decimal>().unwrap(), "{:?}", row);
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
