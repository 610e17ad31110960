//! What every command that reads a round shares: naming its inputs, loading it with every
//! problem shown, checking a group, and delivering the bytes made, whole, to standard
//! output or a file.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::audit::{self, Audit};
use crate::diagnostic::{Diagnostic, FileReport, Voice};
use crate::exit::Exit;
use crate::lang::Text;
use crate::model::layer::Stage;
use crate::model::round::{Role, Round};
use crate::progress::Progress;
use crate::read::inputs::{self, Drafts, Inputs};
use crate::report::Format;
use crate::score::results::{self, Missing};
use crate::tr;

/// Where a round's inputs are named.
#[derive(Debug, Clone)]
pub(crate) enum RoundSource {
    /// A round file, and the files typed beside it that take the place of its own.
    File(PathBuf, Drafts),
    Files(Box<Inputs>),
}

impl RoundSource {
    /// A round file alone.
    pub(crate) fn file(path: PathBuf) -> Self {
        RoundSource::File(path, Drafts::default())
    }
}

/// The inputs `source` names: a round file's, with the drafts laid over them and a note
/// on standard error for each, so that a draft is never taken for the round. `None`
/// when the round file has problems, which are printed.
pub(crate) fn inputs_of(
    source: &RoundSource,
    voice: Voice,
    err: &mut dyn Write,
) -> std::io::Result<Option<Inputs>> {
    match source {
        RoundSource::Files(inputs) => Ok(Some((**inputs).clone())),
        RoundSource::File(path, drafts) => match inputs::read_round_file(path) {
            Ok(mut inputs) => {
                for note in drafts.apply(&mut inputs) {
                    voice.note(err, &note)?;
                }
                Ok(Some(inputs))
            }
            Err(report) => {
                err.write_all(report.render(voice).as_bytes())?;
                Ok(None)
            }
        },
    }
}

/// Whether every data file `source` names can be read a second time (plain files, not
/// pipes), found without a word: the round file is read again when it is asked to load.
pub(crate) fn readable_again(source: &RoundSource) -> bool {
    match source {
        RoundSource::Files(inputs) => inputs::readable_again(inputs),
        RoundSource::File(path, drafts) => {
            std::fs::metadata(path).is_ok_and(|m| m.is_file())
                && inputs::read_round_file(path).is_ok_and(|mut inputs| {
                    let _ = drafts.apply(&mut inputs);
                    inputs::readable_again(&inputs)
                })
        }
    }
}

/// Writes a result as [`deliver`] does, and a CSV file's audit trail beside it: a CSV
/// has no room for it that a spreadsheet would not show as data. The two are renamed
/// into place together, and the trail records the CSV's SHA-256, so that a pair that
/// does not belong together is found out. A CSV sent to a device or pipe
/// (`-o /dev/stdout`) has no trail, as one printed to the screen has none.
pub(crate) fn publish(
    made: Made,
    format: Format,
    output: Option<&Path>,
    voice: Voice,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<Exit> {
    let inputs = made.inputs.files();
    let bytes = match made.body {
        Body::Bytes(bytes) => bytes,
        Body::Stream(write) => return deliver_with(write, output, &inputs, voice, out, err),
    };
    if let (Format::Csv, Some(path)) = (format, output.filter(|p| !crate::output::is_device(p))) {
        let sidecar = made.audit.sidecar(&crate::source::sha256(&bytes));
        let files = [(path, &bytes[..]), (&audit::sidecar_path(path), &sidecar[..])];
        if let Err(d) = crate::output::write_files(&files, &inputs) {
            let report = FileReport::new(path.display().to_string(), None, vec![*d]);
            err.write_all(report.render(voice).as_bytes())?;
            return Ok(Exit::BadInput);
        }
        return Ok(Exit::Done);
    }
    deliver(&bytes, output, &inputs, voice, out, err)
}

/// A result, and what it was made from.
pub(crate) struct Made {
    pub inputs: Inputs,
    pub audit: Audit,
    pub body: Body,
}

/// What writes a result piece by piece to where it goes.
pub(crate) type Writer = Box<dyn FnOnce(&mut dyn Write) -> std::io::Result<()>>;

/// A result's contents: made whole, or written piece by piece as they go out — a JSON
/// result of 100,000 agencies is gigabytes, more than is worth holding.
pub(crate) enum Body {
    Bytes(Vec<u8>),
    Stream(Writer),
}

impl Body {
    /// The whole contents, written out where they are a stream.
    pub(crate) fn into_bytes(self) -> std::io::Result<Vec<u8>> {
        match self {
            Body::Bytes(bytes) => Ok(bytes),
            Body::Stream(write) => {
                let mut bytes = Vec::new();
                write(&mut bytes)?;
                Ok(bytes)
            }
        }
    }
}

/// A file's bytes, as the readers bound them: a regular file of at most the data limit.
/// A device or a pipe named as a result or an input is no file that was scored.
pub(crate) fn read_limited(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let limit = crate::read::file::MAX_DATA_BYTES;
    if !std::fs::metadata(path)?.is_file() {
        return Err(std::io::Error::other("it is not a regular file"));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::other(format!("it holds more than {limit} bytes")));
    }
    Ok(bytes)
}

/// The round file named on the command line, with the digest of its bytes.
pub(crate) fn round_file(source: &RoundSource) -> Option<audit::Input> {
    let RoundSource::File(path, _) = source else { return None };
    let bytes = read_limited(path).ok()?;
    Some(audit::Input {
        role: Role::Round,
        path: inputs::shown(path),
        sha256: crate::source::sha256(&bytes),
    })
}

/// The group `--group` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum GroupChoice {
    /// No `--group`: every group.
    All,
    /// The group of this id.
    Only(String),
    /// No group of the round is the one asked for; the error is said.
    Unknown,
}

impl GroupChoice {
    /// The id of the group chosen, if one was.
    pub(crate) fn id(&self) -> Option<&str> {
        match self {
            GroupChoice::Only(id) => Some(id),
            _ => None,
        }
    }
}

/// The group asked for (if any), by its id or by the name it is shown by (case and
/// spacing forgiven); where the round has no such group, says which it has.
pub(crate) fn choose_group(
    group: Option<&str>,
    round: &Round,
    inputs: &Inputs,
    voice: Voice,
    err: &mut dyn Write,
) -> std::io::Result<GroupChoice> {
    let Some(group) = group else { return Ok(GroupChoice::All) };
    let mut groups: Vec<&str> = round.agencies.iter().map(|a| a.group.as_str()).collect();
    groups.sort_unstable();
    groups.dedup();
    if groups.binary_search(&group).is_ok() {
        return Ok(GroupChoice::Only(group.to_string()));
    }
    let wanted = crate::text::fold(group);
    let named: Vec<&str> = groups
        .iter()
        .copied()
        .filter(|id| round.group_names.get(*id).is_some_and(|n| crate::text::fold(n) == wanted))
        .collect();
    match named[..] {
        [id] => return Ok(GroupChoice::Only(id.to_string())),
        [] => {
            let listed: Vec<String> = groups
                .iter()
                .map(|id| match round.group_names.get(*id) {
                    Some(name) => format!("{id} ({name})"),
                    None => (*id).to_string(),
                })
                .collect();
            let (file, listed) = (inputs::shown(&inputs.agencies), listed.join(", "));
            voice.error(
                err,
                &tr!(
                    "there is no group \"{group}\" in {file}; the groups are: {listed}",
                    "không có nhóm \"{group}\" trong {file}; các nhóm là: {listed}"
                ),
            )?;
        }
        _ => {
            let (n, listed) = (named.len(), named.join(", "));
            voice.error(
                err,
                &tr!(
                    "\"{group}\" is the name of {n} groups: {listed}; give the id of the one you mean",
                    "\"{group}\" là tên của {n} nhóm: {listed}; hãy ghi mã của nhóm cần chọn"
                ),
            )?;
        }
    }
    Ok(GroupChoice::Unknown)
}

/// Whether the inputs are large enough for scoring to take a while.
fn big(inputs: &Inputs) -> bool {
    let size: u64 =
        inputs.files().iter().filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum();
    size >= crate::progress::WORTH_SHOWING_BYTES
}

/// Says why a workbook cannot be written (a table larger than a sheet holds): an input
/// too large for the format asked, so exit 1.
pub(crate) fn unwritable(
    e: &crate::report::xlsx::Unwritable,
    voice: Voice,
    err: &mut dyn Write,
) -> std::io::Result<Exit> {
    voice.error(err, &e.0)?;
    Ok(Exit::BadInput)
}

/// [`deliver`] for a report written as it goes: to standard output, or to `-o FILE`
/// through a temporary file renamed into place once complete (never over one of
/// `inputs`).
pub(crate) fn deliver_with(
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    output: Option<&Path>,
    inputs: &[&Path],
    voice: Voice,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<Exit> {
    match output {
        None => {
            let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
            write(&mut buffered)?;
            buffered.flush()?;
        }
        Some(path) => {
            if let Err(d) = crate::output::write_with(path, inputs, write) {
                let report = FileReport::new(path.display().to_string(), None, vec![*d]);
                err.write_all(report.render(voice).as_bytes())?;
                return Ok(Exit::BadInput);
            }
        }
    }
    Ok(Exit::Done)
}

/// Writes a report to standard output, or whole to `-o FILE` (never over one of
/// `inputs`).
pub(crate) fn deliver(
    bytes: &[u8],
    output: Option<&Path>,
    inputs: &[&Path],
    voice: Voice,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<Exit> {
    match output {
        // A workbook, a Word document or a PDF is not for the screen.
        None if (bytes.starts_with(b"PK") || bytes.starts_with(b"%PDF"))
            && std::io::stdout().is_terminal() =>
        {
            let what = if bytes.starts_with(b"%PDF") {
                tr!(
                    "a PDF document cannot be shown on the screen; write it to a file with -o FILE.pdf",
                    "không thể hiện tài liệu PDF trên màn hình; hãy ghi ra tệp bằng -o TỆP.pdf"
                )
            } else if memchr::memmem::find(bytes, b"word/document.xml").is_some() {
                tr!(
                    "a Word document cannot be shown on the screen; write it to a file with -o FILE.docx",
                    "không thể hiện văn bản Word trên màn hình; hãy ghi ra tệp bằng -o TỆP.docx"
                )
            } else {
                tr!(
                    "an Excel workbook cannot be shown on the screen; write it to a file with -o FILE.xlsx",
                    "không thể hiện tệp Excel trên màn hình; hãy ghi ra tệp bằng -o TỆP.xlsx"
                )
            };
            voice.error(err, &what)?;
            return Ok(Exit::Usage);
        }
        None => out.write_all(bytes)?,
        Some(path) => {
            if let Err(d) = crate::output::write_file(path, bytes, inputs) {
                let report = FileReport::new(path.display().to_string(), None, vec![*d]);
                err.write_all(report.render(voice).as_bytes())?;
                return Ok(Exit::BadInput);
            }
        }
    }
    Ok(Exit::Done)
}

/// Writes a file for each agency into `folder` (made where it is not there), each named
/// by the agency's id with `format`'s extension ([`crate::output::file_names`]): all of
/// them, or none, and never over one of `inputs`.
pub(crate) fn deliver_each(
    folder: &Path,
    files: &[(&str, &[u8])],
    format: Format,
    inputs: &[&Path],
    voice: Voice,
    err: &mut dyn Write,
) -> std::io::Result<Exit> {
    if let Err(e) = std::fs::create_dir_all(folder) {
        let folder = folder.display();
        voice.error(
            err,
            &tr!("the folder {folder} cannot be made: {e}", "không tạo được thư mục {folder}: {e}"),
        )?;
        return Ok(Exit::BadInput);
    }
    let names = crate::output::file_names(files.iter().map(|(id, _)| *id), format.extension());
    let paths: Vec<PathBuf> = names.iter().map(|n| folder.join(n)).collect();
    let staged: Vec<(&Path, &[u8])> =
        paths.iter().zip(files).map(|(p, (_, bytes))| (p.as_path(), *bytes)).collect();
    if let Err(d) = crate::output::write_files(&staged, inputs) {
        let report = FileReport::new(folder.display().to_string(), None, vec![*d]);
        err.write_all(report.render(voice).as_bytes())?;
        return Ok(Exit::BadInput);
    }
    let (n, folder) = (paths.len(), folder.display());
    voice.say(err, &tr!("wrote {n} files to {folder}", "đã ghi {n} tệp vào {folder}"))?;
    Ok(Exit::Done)
}

/// Loads a round and checks it has a value for every leaf; prints every problem to
/// `err`. `None` when the round cannot be scored.
pub(crate) fn load(
    source: &RoundSource,
    stage: Stage,
    missing: Missing,
    texts: bool,
    voice: Voice,
    err: &mut dyn Write,
) -> std::io::Result<Option<(Inputs, Round)>> {
    load_showing(source, stage, missing, texts, voice, &Progress::hidden(), err)
}

/// [`load`], showing `progress` while large files are read.
pub(crate) fn load_showing(
    source: &RoundSource,
    stage: Stage,
    missing: Missing,
    texts: bool,
    voice: Voice,
    progress: &Progress,
    err: &mut dyn Write,
) -> std::io::Result<Option<(Inputs, Round)>> {
    let Some(inputs) = inputs_of(source, voice, err)? else { return Ok(None) };
    if big(&inputs) {
        progress.show();
        progress.step(&crate::tr!("reading", "đang đọc dữ liệu"));
    }
    let loaded = inputs::load_with(&inputs, texts);
    for report in loaded.reports.iter().filter(|r| !r.diagnostics.is_empty()) {
        err.write_all(report.render(voice).as_bytes())?;
    }
    let failed = loaded.failed();
    let Some(round) = loaded.round.filter(|_| !failed) else {
        voice.error(
            err,
            &tr!(
                "the inputs have problems (listed above); nothing was scored",
                "các tệp đầu vào có lỗi (liệt kê ở trên); chưa chấm điểm gì"
            ),
        )?;
        return Ok(None);
    };
    let zero = missing == Missing::Zero;
    let draft = matches!(source, RoundSource::File(_, drafts) if drafts.self_assessment.is_some());
    let gaps = missing_values(&round, &inputs, stage, zero, draft);
    if !gaps.diagnostics.is_empty() {
        err.write_all(gaps.render(voice).as_bytes())?;
        if !zero {
            voice.error(
                err,
                &tr!(
                    "values are missing (listed above); nothing was scored",
                    "còn thiếu giá trị (liệt kê ở trên); chưa chấm điểm gì"
                ),
            )?;
            return Ok(None);
        }
    }
    Ok(Some((inputs, round)))
}

/// One diagnostic per agency with leaves that have no value: errors, or warnings when
/// they are to be scored 0.
fn missing_values(
    round: &Round,
    inputs: &Inputs,
    stage: Stage,
    zero: bool,
    draft: bool,
) -> FileReport {
    const SHOWN: usize = 12;
    let set = &round.set;
    let mut gaps = results::missing(round, stage);
    // A draft given with --self (one agency's, from `template --agency`) takes the place
    // of the round's whole self-assessment: the agencies it has no row of are said once,
    // with what to do, rather than one error each that reads as if their data were lost.
    let mut absent = Vec::new();
    if draft {
        // The leaves an agency fills in itself: not the survey's, not computed from tables.
        let leaves: Vec<_> = set
            .leaves()
            .map(|(id, _, _)| id)
            .filter(|&id| {
                set.nodes[id].leaf.as_ref().is_some_and(|l| {
                    l.source == crate::model::criteria::Source::Assessment && l.compute.is_none()
                })
            })
            .collect();
        gaps.retain(|(a, _)| {
            let none = !leaves.is_empty()
                && leaves
                    .iter()
                    .all(|&id| round.stack.input(Stage::SelfOnly, *a, id).value.is_none());
            if none {
                absent.push(*a);
            }
            !none
        });
    }
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    if !absent.is_empty() {
        let named: Vec<String> = absent
            .iter()
            .take(SHOWN)
            .map(|&a| format!("\"{}\" ({})", round.agencies[a].id, round.agencies[a].name))
            .collect();
        let more = absent.len().saturating_sub(SHOWN);
        let rest = more_of(more);
        let (n, named) = (absent.len(), named.join(", "));
        let agencies = if n == 1 { "agency" } else { "agencies" };
        let message = Text::new(
            format!(
                "the draft given with --self has no value for {n} {agencies} of the round: {named}{}; it takes the place of the round's whole self-assessment",
                rest.en
            ),
            format!(
                "bản nháp đưa vào bằng --self không có giá trị nào của {n} đơn vị trong vòng đánh giá: {named}{}; bản nháp thay cho toàn bộ tệp tự đánh giá của vòng",
                rest.vi
            ),
        );
        let help = if zero {
            tr!(
                "scored 0 (--missing zero): their figures, and every rank, are not the round's",
                "được tính 0 điểm (--missing zero): số liệu của các đơn vị này và mọi thứ hạng không phải của vòng đánh giá"
            )
        } else {
            tr!(
                "add the other agencies' rows (from the round's self-assessment) to the draft; or, to see the draft's agency alone, score the others 0 with --missing zero (the ranks then mean nothing)",
                "hãy thêm vào bản nháp các dòng của những đơn vị khác (lấy từ tệp tự đánh giá của vòng); hoặc, để xem riêng đơn vị của bản nháp, tính 0 điểm cho các đơn vị khác bằng --missing zero (khi đó thứ hạng không có ý nghĩa)"
            )
        };
        let d = if zero {
            Diagnostic::warning("missing-values", message)
        } else {
            Diagnostic::error("missing-values", message)
        };
        diagnostics.push(d.help(help));
    }
    let rest = gaps
        .into_iter()
        .map(|(a, leaves)| {
            let agency = &round.agencies[a];
            let mut codes: Vec<&str> = leaves.iter().take(SHOWN).map(|&id| set.nodes[id].code.as_str()).collect();
            let more = leaves.len().saturating_sub(SHOWN);
            let rest = more_of(more);
            codes.dedup();
            let (id, name, n, codes) = (&agency.id, &agency.name, leaves.len(), codes.join(", "));
            let sub_criteria = if n == 1 { "sub-criterion" } else { "sub-criteria" };
            let message = Text::new(
                format!("agency \"{id}\" ({name}) has no value for {n} {sub_criteria}: {codes}{}", rest.en),
                format!("đơn vị \"{id}\" ({name}) chưa có giá trị của {n} tiêu chí thành phần: {codes}{}", rest.vi),
            );
            let survey_only = leaves.iter().all(|&id| {
                set.nodes[id].leaf.as_ref().is_some_and(|l| l.source == crate::model::criteria::Source::Survey)
            });
            let help = if survey_only && inputs.survey.is_none() {
                tr!(
                    "give the survey results with --survey, or set survey_optional = true in the criteria set",
                    "hãy đưa kết quả khảo sát vào bằng --survey, hoặc đặt survey_optional = true trong bộ tiêu chí"
                )
            } else if zero {
                tr!("scored 0 (--missing zero)", "được tính 0 điểm (--missing zero)")
            } else {
                tr!(
                    "fill them in, or score them 0 with --missing zero",
                    "hãy điền các giá trị này, hoặc tính 0 điểm bằng --missing zero"
                )
            };
            let d = if zero { Diagnostic::warning("missing-values", message) } else { Diagnostic::error("missing-values", message) };
            d.help(help)
        });
    diagnostics.extend(rest);
    // A round with no self-assessment (every value from its tables) reports its gaps
    // against its round file, or its criteria set.
    let file =
        inputs.self_assessment.as_deref().or(inputs.round.as_deref()).unwrap_or(&inputs.criteria);
    FileReport::new(inputs::shown(file), None, diagnostics)
}

/// " and 12 more" after a list cut short, or nothing.
fn more_of(more: usize) -> Text {
    if more > 0 { tr!(" and {more} more", " và {more} mục khác") } else { Text::default() }
}

/// Says why `typed` names no one agency of `list` (read from `agencies`): the agencies
/// it could be, or the one it is close to.
pub(crate) fn no_such_agency(
    typed: &str,
    why: &crate::model::round::NoSuchAgency,
    list: &[crate::model::round::Agency],
    agencies: &Path,
    voice: Voice,
    err: &mut dyn Write,
) -> std::io::Result<()> {
    let file = crate::read::inputs::shown(agencies);
    let typed = crate::text::quote(typed);
    let named = |i: &usize| {
        let a = &list[*i];
        format!("\"{}\" ({})", a.id, a.name)
    };
    match why {
        crate::model::round::NoSuchAgency::Unknown { near } => {
            let hint = near.as_ref().map_or_else(Text::default, |i| {
                let near = named(i);
                tr!("; did you mean {near}?", "; có phải là {near}?")
            });
            voice.error(
                err,
                &Text::new(
                    format!("there is no agency {typed} in {file}{}", hint.en),
                    format!("không có đơn vị {typed} trong {file}{}", hint.vi),
                ),
            )
        }
        crate::model::round::NoSuchAgency::Ambiguous(which) => {
            let listed: Vec<String> = which.iter().map(named).collect();
            let (n, listed) = (which.len(), listed.join(", "));
            voice.error(
                err,
                &tr!(
                    "{typed} could be any of {n} agencies in {file}: {listed}; give the id of the one you mean",
                    "{typed} có thể là một trong {n} đơn vị trong {file}: {listed}; hãy ghi mã của đơn vị cần chọn"
                ),
            )
        }
    }
}
