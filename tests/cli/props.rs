//! Property tests of the criteria loader: every valid set it is given passes with no
//! problem, and no input, however broken, makes it panic; and of scoring generated rounds:
//! figures within bounds, results that no row order or NA changes, and the decimal
//! filter giving what exact arithmetic gives.

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
            self_assessment: dir.path().join("self.csv"),
            appraisals: vec![dir.path().join("appraisal.csv")],
            survey: Some(dir.path().join("survey.csv")),
        };
        let loaded = parindex::read::inputs::load(&inputs);
        let problems: Vec<_> = loaded.reports.iter().flat_map(|r| r.diagnostics.clone()).collect();
        prop_assert!(problems.is_empty(), "{:#?}", problems);
        let round = loaded.round.expect("a generated round loads");
        let progress = parindex::progress::Progress::new(false);
        let stage = parindex::model::layer::Stage::Final;
        for detail in [Detail::Fields, Detail::Tables, Detail::Criteria] {
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
