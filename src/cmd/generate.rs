//! `parindex generate`: writes a synthetic round for a criteria set — agencies, a
//! self-assessment, appraisal rounds, survey results, the raw tables its computed leaves
//! read, and a round file — of any size.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, FileReport, Severity, Voice};
use crate::exit::Exit;
use crate::generate::{Generator, Row, Table};
use crate::lang::Text;
use crate::model::criteria;
use crate::output::Staged;
use crate::read::agencies::Agencies;
use crate::read::inputs::{self, shown};
use crate::tr;

/// What to generate.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub criteria: PathBuf,
    /// Real agencies to generate for, or …
    pub agencies: Option<PathBuf>,
    /// … this many numbered ones, in this many groups.
    pub count: usize,
    pub groups: usize,
    pub seed: u64,
    pub appraisals: usize,
    /// Respondents per agency in each group of a survey responses table.
    pub respondents: usize,
    pub title: Option<String>,
    /// The folder to write into (made if missing).
    pub output: PathBuf,
    /// Write into a folder that holds other files all the same.
    pub force: bool,
    pub voice: Voice,
}

pub(crate) fn run(plan: &Plan, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<Exit> {
    let mut reports = Vec::new();
    let set = inputs::read_set(&plan.criteria, &mut reports);
    let agencies = match &plan.agencies {
        None => Some(Agencies {
            list: Generator::agencies(plan.count, plan.groups),
            group_names: std::collections::BTreeMap::new(),
        }),
        Some(path) => inputs::read_agencies(path, &mut reports),
    };
    for report in reports.iter().filter(|r| r.count(Severity::Error) > 0) {
        err.write_all(report.render(plan.voice).as_bytes())?;
    }
    let (Some(set), Some(agencies)) = (set, agencies) else { return Ok(Exit::BadInput) };
    match write_round(plan, &set, &agencies) {
        Ok(files) => {
            for file in files {
                let file = shown(&file);
                plan.voice.say(out, &tr!("wrote {file}", "đã ghi {file}"))?;
            }
            Ok(Exit::Done)
        }
        Err(d) => {
            err.write_all(
                FileReport::new(shown(&plan.output), None, vec![*d]).render(plan.voice).as_bytes(),
            )?;
            Ok(Exit::BadInput)
        }
    }
}

/// Writes every file of the round; all of them or, on a failure, none.
fn write_round(
    plan: &Plan,
    set: &criteria::CriteriaSet,
    agencies: &Agencies,
) -> Result<Vec<PathBuf>, Box<Diagnostic>> {
    let list = &agencies.list;
    let dir = &plan.output;
    let mut inputs: Vec<&Path> = vec![&plan.criteria];
    inputs.extend(plan.agencies.as_deref());
    let agencies_path = dir.join("agencies.csv");
    // Generating for the agencies file already in the folder leaves it as it is.
    let keep_agencies =
        plan.agencies.as_deref().is_some_and(|a| crate::output::same_file(a, &agencies_path));
    let has_survey =
        set.leaves().any(|(_, _, l)| l.source == crate::model::criteria::Source::Survey);
    let mut files: Vec<(String, PathBuf)> = vec![("self".into(), dir.join("self.csv"))];
    files.extend(
        (1..=plan.appraisals)
            .map(|n| (format!("appraisal-{n}"), dir.join(format!("appraisal-{n}.csv")))),
    );
    if has_survey {
        files.push(("survey".into(), dir.join("survey.csv")));
    }
    let generator = Generator::new(set, plan.seed, plan.appraisals).respondents(plan.respondents);
    let tables: Vec<(&Table<'_>, PathBuf)> = generator
        .tables()
        .iter()
        .zip(table_files(generator.tables()))
        .map(|(t, name)| (t, dir.join(name)))
        .collect();
    let round_path = dir.join("round.toml");
    let mut targets: Vec<&Path> = files.iter().map(|(_, p)| p.as_path()).collect();
    targets.extend(tables.iter().map(|(_, p)| p.as_path()));
    targets.push(&round_path);
    if !keep_agencies {
        targets.push(&agencies_path);
    }
    for target in targets {
        crate::output::refuse_inputs(target, &inputs)?;
    }
    if !plan.force {
        refuse_occupied(dir, keep_agencies.then_some(agencies_path.as_path()))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| {
        let dir = dir.display();
        Box::new(Diagnostic::error(
            "write-failed",
            tr!("cannot make the folder {dir}: {e}", "không tạo được thư mục {dir}: {e}"),
        ))
    })?;
    let mut staged: HashMap<String, csv::Writer<Staged>> = HashMap::new();
    for (name, path) in &files {
        let mut writer = csv::Writer::from_writer(Staged::create(path, &inputs)?);
        let header: &[&str] = match name.as_str() {
            "survey" => &["agency", "code", "value"],
            "self" => &["agency", "code", "value", "evidence", "note"],
            _ => &["agency", "code", "value", "evidence", "note", "explanation"],
        };
        writer.write_record(header).map_err(|e| csv_failed(path, &e))?;
        staged.insert(name.clone(), writer);
    }
    let mut raw: Vec<csv::Writer<Staged>> = Vec::with_capacity(tables.len());
    for (table, path) in &tables {
        let mut writer = csv::Writer::from_writer(Staged::create(path, &inputs)?);
        writer.write_record(table.header()).map_err(|e| csv_failed(path, &e))?;
        raw.push(writer);
    }
    for (i, agency) in list.iter().enumerate() {
        let sheet = generator.sheet(i, agency);
        let mut put = |name: &str, rows: &[Row], full: bool| -> Result<(), Box<Diagnostic>> {
            let writer = staged.get_mut(name).expect("opened above");
            for r in rows {
                let record: Vec<&str> = if name == "survey" {
                    vec![&agency.id, &r.code, &r.value]
                } else if full {
                    vec![&agency.id, &r.code, &r.value, &r.evidence, &r.note, &r.explanation]
                } else {
                    vec![&agency.id, &r.code, &r.value, &r.evidence, &r.note]
                };
                writer.write_record(record).map_err(|e| csv_failed(&dir.join(name), &e))?;
            }
            Ok(())
        };
        put("self", &sheet.own, false)?;
        for (n, rows) in sheet.appraisals.iter().enumerate() {
            put(&format!("appraisal-{}", n + 1), rows, true)?;
        }
        if has_survey {
            put("survey", &sheet.survey, false)?;
        }
        for ((table, path), writer) in tables.iter().zip(&mut raw) {
            generator.table_rows(table, i, agency, &mut |record| {
                writer.write_record(record).map_err(|e| csv_failed(path, &e))
            })?;
        }
    }
    let mut written = Vec::new();
    if !keep_agencies {
        let mut writer = csv::Writer::from_writer(Staged::create(&agencies_path, &inputs)?);
        // The groups' names go with them, where the agencies file gave any.
        let named = !agencies.group_names.is_empty();
        let header: &[&str] =
            if named { &["id", "name", "group", "group_name"] } else { &["id", "name", "group"] };
        writer.write_record(header).map_err(|e| csv_failed(&agencies_path, &e))?;
        for a in list {
            let mut record = vec![a.id.as_str(), &a.name, &a.group];
            if named {
                record.push(agencies.group_names.get(&a.group).map_or("", |g| g.name.as_str()));
            }
            writer.write_record(&record).map_err(|e| csv_failed(&agencies_path, &e))?;
        }
        finish(writer, &agencies_path)?;
        written.push(agencies_path.clone());
    }
    for (name, path) in &files {
        finish(staged.remove(name).expect("opened above"), path)?;
        written.push(path.clone());
    }
    for ((_, path), writer) in tables.iter().zip(raw) {
        finish(writer, path)?;
        written.push(path.clone());
    }
    let round = round_file(plan, set, &files, has_survey, &tables);
    crate::output::write_file(&round_path, round.as_bytes(), &inputs)?;
    written.push(round_path);
    Ok(written)
}

/// How every round file generate writes begins: a folder whose `round.toml` begins so
/// holds a round generate wrote, whose files it may write again.
const MARK: &str = "# Synthetic round written by `parindex generate";

/// Refuses a folder that holds files generate did not write: the real files of a round,
/// say, which invented figures would replace or sit beside. A missing or empty folder
/// is taken, and so is one whose round file generate wrote; `keep` (the agencies file
/// generated for, in the folder) and hidden files are passed over.
fn refuse_occupied(dir: &Path, keep: Option<&Path>) -> Result<(), Box<Diagnostic>> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(()) };
    let mut first_line = String::new();
    if let Ok(round) = std::fs::File::open(dir.join("round.toml")) {
        let _ = std::io::BufRead::read_line(&mut std::io::BufReader::new(round), &mut first_line);
        if first_line.starts_with(MARK) {
            return Ok(());
        }
    }
    let mut found: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| keep.is_none_or(|k| !crate::output::same_file(k, &e.path())))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .collect();
    found.sort();
    let Some(first) = found.first() else { return Ok(()) };
    let more = match found.len() - 1 {
        0 => Text::default(),
        1 => tr!(" and 1 other file", " và 1 tệp khác"),
        n => tr!(" and {n} other files", " và {n} tệp khác"),
    };
    let round_file = if first_line.is_empty() {
        Text::default()
    } else {
        tr!(
            " (its round.toml was not written by generate)",
            " (tệp round.toml trong đó không do generate ghi)"
        )
    };
    let dir = shown(dir);
    Err(Box::new(
        Diagnostic::error(
            "folder-in-use",
            Text::new(
                format!(
                    "refusing to write a synthetic round into {dir}: it holds {first}{}, which \
                     parindex generate did not write{}",
                    more.en, round_file.en
                ),
                format!(
                    "không ghi vòng đánh giá giả lập vào {dir}: thư mục đang có {first}{}, không \
                     do parindex generate ghi{}",
                    more.vi, round_file.vi
                ),
            ),
        )
        .help(tr!(
            "write it into a new or empty folder; or give --force to replace the files of a \
             round's names there (round.toml, self.csv …) with invented figures",
            "hãy ghi vào một thư mục mới hoặc trống; hoặc dùng --force để thay các tệp mang tên \
             của vòng đánh giá ở đó (round.toml, self.csv …) bằng số liệu giả lập"
        )),
    ))
}

/// The round file naming the generated files, the criteria set relative to it.
fn round_file(
    plan: &Plan,
    set: &criteria::CriteriaSet,
    files: &[(String, PathBuf)],
    survey: bool,
    tables: &[(&Table<'_>, PathBuf)],
) -> String {
    let dir = plan.output.canonicalize().unwrap_or_else(|_| plan.output.clone());
    let criteria = plan.criteria.canonicalize().unwrap_or_else(|_| plan.criteria.clone());
    let relative = pathdiff::diff_paths(&criteria, &dir).unwrap_or(criteria);
    let title =
        plan.title.clone().unwrap_or_else(|| format!("{} (vòng chấm sinh tự động)", set.title));
    let appraisals: Vec<String> = files
        .iter()
        .filter(|(n, _)| n.starts_with("appraisal"))
        .map(|(n, _)| format!("\"{n}.csv\""))
        .collect();
    let mut text = format!(
        "{MARK} --seed {}`: every figure is invented.\n\
         title = \"{}\"\n",
        plan.seed,
        title.replace('"', "'")
    );
    if let Some(year) = set.year {
        let _ = writeln!(text, "year = {year}");
    }
    let _ = writeln!(
        text,
        "criteria = \"{}\"\nagencies = \"agencies.csv\"\nself = \"self.csv\"",
        relative.display().to_string().replace('\\', "/")
    );
    if !appraisals.is_empty() {
        let _ = writeln!(text, "appraisal = [{}]", appraisals.join(", "));
    }
    if survey {
        text.push_str("survey = \"survey.csv\"\n");
    }
    for (table, path) in tables {
        let file = path.file_name().map(|f| f.to_string_lossy()).unwrap_or_default();
        let _ = write!(text, "\n[tables.{}]\nfile = \"{file}\"\n", table.name());
    }
    text
}

/// The file name of each table: `NAME.csv`, or `bang-NAME.csv` where that is the name of
/// another file of the round (a table called "self", say), compared as a file system that
/// ignores case would.
fn table_files(tables: &[Table<'_>]) -> Vec<String> {
    let mut taken: Vec<String> = ["agencies.csv", "self.csv", "survey.csv", "round.toml"]
        .into_iter()
        .map(String::from)
        .chain((1..=20).map(|n| format!("appraisal-{n}.csv")))
        .collect();
    tables
        .iter()
        .map(|t| {
            let mut name = format!("{}.csv", t.name());
            let mut n = 1;
            while taken.contains(&name.to_ascii_lowercase()) {
                n += 1;
                name = if n == 2 {
                    format!("bang-{}.csv", t.name())
                } else {
                    format!("bang-{}-{n}.csv", t.name())
                };
            }
            taken.push(name.to_ascii_lowercase());
            name
        })
        .collect()
}

fn finish(writer: csv::Writer<Staged>, path: &Path) -> Result<(), Box<Diagnostic>> {
    writer.into_inner().map_err(|e| csv_failed(path, &csv::Error::from(e.into_error())))?.commit()
}

fn csv_failed(path: &Path, e: &csv::Error) -> Box<Diagnostic> {
    let path = path.display();
    Box::new(Diagnostic::error(
        "write-failed",
        tr!("cannot write {path}: {e}", "không ghi được {path}: {e}"),
    ))
}
