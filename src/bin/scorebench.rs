use std::path::Path;
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let i = parindex::read::inputs::read_round_file(&Path::new(&dir).join("round.toml")).unwrap();
    let round = parindex::read::inputs::load_with(&i, false).round.unwrap();
    let t = std::time::Instant::now();
    let r = parindex::results::score_with(
        &round,
        parindex::results::Stage::Final,
        parindex::results::Detail::Fields,
        &parindex::progress::Progress::new(false),
    );
    eprintln!("score {:?} {}", t.elapsed(), r.agencies.len());
    let t = std::time::Instant::now();
    let rep = parindex::report::Report {
        round: &round,
        results: &r,
        lang: parindex::report::Lang::Vi,
        group: None,
    };
    let b = rep.render(parindex::report::Format::Csv);
    eprintln!("render {:?} {}", t.elapsed(), b.len());
}
