//! `parindex verify RESULT`: confirms that a published result still matches its inputs.
//! It reads the result's audit trail (see [`crate::audit`]), checks the SHA-256 of every
//! input file named there, scores the round again with the same options, and compares
//! the bytes, and the trail made again with the one recorded (a CSV's trail is beside
//! it, outside the bytes compared).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::audit::{self, Audit, Sidecar};
use crate::cmd::score;
use crate::cmd::session::RoundSource;
use crate::diagnostic::Voice;
use crate::exit::Exit;
use crate::lang::Text;
use crate::model::round::Role;
use crate::progress::Progress;
use crate::read::inputs::{self, Drafts, Inputs};
use crate::report::Lang;
use crate::tr;

#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub result: PathBuf,
    pub voice: Voice,
}

pub(crate) fn run(plan: &Plan, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<Exit> {
    let voice = plan.voice;
    let shown = plan.result.display().to_string();
    let found = match find_audit(&plan.result) {
        Ok(found) => found,
        Err(why) => {
            voice.error(err, &Text::same(format!("{shown}: ")).join("", &why))?;
            return Ok(Exit::BadInput);
        }
    };
    let Found { audit, result, bytes, sidecar } = found;
    let result_shown = result.display().to_string();
    let mut problems: Vec<Text> = Vec::new();
    if let Some((sidecar, digest)) = &sidecar
        && *digest != crate::source::sha256(&bytes)
    {
        let sidecar = sidecar.display();
        problems.push(tr!(
            "{result_shown} does not belong with its audit trail {sidecar}: the trail records the \
             SHA-256 of another CSV. The CSV was edited after it was written, or the two were \
             not written together (one was replaced or copied, or writing them was cut off \
             between the two)",
            "{result_shown} không khớp với tệp vết kiểm tra {sidecar} đi kèm: tệp vết ghi mã \
             SHA-256 của một tệp CSV khác. Tệp CSV đã bị sửa sau khi ghi, hoặc hai tệp không \
             được ghi cùng nhau (một tệp đã bị thay hoặc sao chép, hoặc việc ghi bị ngắt giữa \
             hai tệp)"
        ));
    }
    if let Some(base) = scoring_folder(&plan.result, &audit) {
        std::env::set_current_dir(&base)?;
        let base = base.display();
        voice.note(
            err,
            &tr!(
                "the audit trail names its inputs relative to {base}, where the result was \
                 scored: verifying from there",
                "tệp vết kiểm tra ghi đường dẫn các tệp đầu vào tính từ {base}, nơi kết quả \
                 được chấm: kiểm tra từ thư mục đó"
            ),
        )?;
    }
    let mut unchanged = 0;
    let mut not_found = false;
    for input in &audit.inputs {
        match crate::cmd::session::read_limited(Path::new(&input.path)) {
            Err(e) => {
                not_found |= e.kind() == std::io::ErrorKind::NotFound;
                let (path, role) = (&input.path, input.role);
                problems.push(tr!(
                    "{path} ({role}) cannot be read: {e}",
                    "không đọc được {path} ({role}): {e}"
                ));
            }
            Ok(b) if crate::source::sha256(&b) != input.sha256 => {
                let (path, role, recorded) = (&input.path, input.role, &input.sha256);
                let now = crate::source::sha256(&b);
                problems.push(tr!(
                    "{path} ({role}) has changed since the result was made: SHA-256 {recorded} was recorded, the file now has {now}",
                    "{path} ({role}) đã thay đổi kể từ khi có kết quả: mã SHA-256 đã ghi là {recorded}, tệp hiện có mã {now}"
                ));
            }
            Ok(_) => unchanged += 1,
        }
    }
    if audit.version != env!("CARGO_PKG_VERSION") {
        let (then, now) = (&audit.version, env!("CARGO_PKG_VERSION"));
        problems.push(tr!(
            "the result was made by parindex {then}, this is parindex {now}: scoring again may not give the same bytes",
            "kết quả được làm bằng parindex {then}, đây là parindex {now}: chấm lại có thể không cho đúng từng byte như cũ"
        ));
    }
    if problems.is_empty() {
        let Some(plan) = score_plan(&audit) else {
            voice.error(err, &cannot_rerun(&shown))?;
            return Ok(Exit::BadInput);
        };
        let mut messages = Vec::new();
        let quiet = Progress::hidden();
        let again = match (audit.command.as_str(), &audit.options.sensitivity) {
            ("score", None) => score::produce(&plan, &quiet, &mut messages)?,
            ("sensitivity", Some(p)) => {
                let Some(plan) = sensitivity_plan(plan, p) else {
                    voice.error(err, &cannot_rerun(&shown))?;
                    return Ok(Exit::BadInput);
                };
                crate::cmd::sensitivity::produce(&plan, &quiet, &mut messages)?
            }
            _ => {
                voice.error(err, &cannot_rerun(&shown))?;
                return Ok(Exit::BadInput);
            }
        };
        match again {
            None => {
                err.write_all(&messages)?;
                problems.push(tr!(
                    "its inputs can no longer be scored (problems listed above)",
                    "các tệp đầu vào của kết quả không còn chấm được (lỗi liệt kê ở trên)"
                ));
            }
            Some(made) => {
                if let Some(why) = trail_difference(&audit, &made.audit) {
                    problems.push(Text::new(
                        format!("its audit trail does not say how it was made: {}", why.en),
                        format!(
                            "tệp vết kiểm tra không cho biết kết quả được làm ra thế nào: {}",
                            why.vi
                        ),
                    ));
                }
                let remade = made.body.into_bytes()?;
                if remade != bytes {
                    let at = first_difference(&bytes, &remade);
                    problems.push(Text::new(
                        format!("scored again, its inputs give a different result: {}", at.en),
                        format!("chấm lại từ các tệp đầu vào cho kết quả khác: {}", at.vi),
                    ));
                }
            }
        }
    }
    if !problems.is_empty() {
        for p in &problems {
            voice.error(err, p)?;
        }
        voice.error(
            err,
            &tr!(
                "{result_shown} does not match its inputs",
                "{result_shown} không khớp với các tệp đầu vào"
            ),
        )?;
        if not_found {
            let help = tr!(
                "help: the audit trail names its inputs as they were typed, relative to the \
                 folder the result was scored in: run verify from that folder, or put the \
                 missing files back",
                "gợi ý: tệp vết kiểm tra ghi tên các tệp đầu vào như đã gõ, tính từ thư mục nơi \
                 kết quả được chấm: hãy chạy verify từ thư mục đó, hoặc đặt lại các tệp bị thiếu"
            );
            voice.say(err, &help)?;
        }
        return Ok(Exit::BadInput);
    }
    let (tool, version, line) = (&audit.tool, &audit.version, command_line(&audit));
    let (set, digest, size) = (&audit.criteria.id, &audit.criteria.sha256, bytes.len());
    let lines = [
        tr!("verified: {result_shown}", "đã kiểm tra: {result_shown}"),
        tr!("  made by {tool} {version} ({line})", "  làm bằng {tool} {version} ({line})"),
        tr!("  criteria set {set} (SHA-256 {digest})", "  bộ tiêu chí {set} (SHA-256 {digest})"),
        tr!("  {unchanged} input files unchanged", "  {unchanged} tệp đầu vào không thay đổi"),
        tr!("  scored again: the same {size} bytes", "  chấm lại: đúng {size} byte như cũ"),
    ];
    for line in &lines {
        voice.say(out, line)?;
    }
    Ok(Exit::Done)
}

/// A result and its audit trail.
struct Found {
    audit: Audit,
    /// The result file (for a sidecar, the CSV it belongs to).
    result: PathBuf,
    bytes: Vec<u8>,
    /// For a CSV result, its sidecar and the result's digest the sidecar records.
    sidecar: Option<(PathBuf, String)>,
}

/// Where the first of two audit trails, `recorded` and `made` again from the inputs it
/// names, differ: a forged CSV trail names inputs the result was not made from.
fn trail_difference(recorded: &Audit, made: &Audit) -> Option<Text> {
    if recorded == made {
        return None;
    }
    if recorded.criteria != made.criteria {
        let (r, m) = (&recorded.criteria, &made.criteria);
        return Some(tr!(
            "it names the criteria set {} (SHA-256 {}), and scoring again read {} (SHA-256 {})",
            "tệp vết ghi bộ tiêu chí {} (SHA-256 {}), còn khi chấm lại đã đọc {} (SHA-256 {})",
            r.id,
            r.sha256,
            m.id,
            m.sha256
        ));
    }
    // A file of other bytes says more than the same file named another way.
    let pairs = || recorded.inputs.iter().zip(&made.inputs);
    let first =
        pairs().find(|(r, m)| r.sha256 != m.sha256).or_else(|| pairs().find(|(r, m)| r != m));
    if let Some((r, m)) = first {
        return Some(tr!(
            "it names {} ({}) with SHA-256 {}, and scoring again read {} ({}) with SHA-256 {}",
            "tệp vết ghi {} ({}) có mã SHA-256 {}, còn khi chấm lại đã đọc {} ({}) có mã SHA-256 {}",
            r.path,
            r.role,
            r.sha256,
            m.path,
            m.role,
            m.sha256
        ));
    }
    if recorded.inputs.len() != made.inputs.len() {
        let (named, read) = (recorded.inputs.len(), made.inputs.len());
        return Some(tr!(
            "it names {named} input files, and scoring again read {read}",
            "tệp vết ghi {named} tệp đầu vào, còn khi chấm lại đã đọc {read} tệp"
        ));
    }
    Some(tr!(
        "it differs from the trail scoring again makes",
        "tệp vết khác với tệp vết được tạo ra khi chấm lại"
    ))
}

/// The folder the result was scored in, when it is not this one: inputs are named in
/// the trail relative to it. Where some input is not found from here, the first folder
/// that holds the result (its own, then each above it) from which every input is found.
/// `None` when every input is found from here, or from none of those folders.
fn scoring_folder(result: &Path, audit: &Audit) -> Option<PathBuf> {
    let found_from = |base: &Path| audit.inputs.iter().all(|i| base.join(&i.path).is_file());
    if found_from(Path::new("")) {
        return None;
    }
    result
        .ancestors()
        .skip(1)
        .filter(|dir| !dir.as_os_str().is_empty())
        .find(|dir| found_from(dir))
        .map(Path::to_path_buf)
}

/// Which view of parindex `bytes` are, where they carry no audit trail: `explain`,
/// `compare` or `template`, told by their shape.
fn view_of(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"PK") {
        let names = sheet_names(bytes);
        let has = |name: &str| names.iter().any(|n| n == name);
        return if has("Nơi có thể tăng điểm") || has("Where to gain") {
            Some("explain")
        } else if has("So sánh") || has("Comparison") {
            Some("compare")
        } else if has("Tự đánh giá") || has("Self-assessment") {
            Some("template")
        } else {
            None
        };
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('{') {
        let doc: serde_json::Value = serde_json::from_str(text).ok()?;
        let has = |key: &str| doc.get(key).is_some();
        return if has("agency") && has("gains") && has("nodes") {
            Some("explain")
        } else if has("rows") && has("notes") && has("title") {
            Some("compare")
        } else {
            None
        };
    }
    if text.starts_with("<!DOCTYPE html>") {
        // The page compare writes, its table's style; score's and sensitivity's carry a
        // trail.
        return text.contains("td.num { text-align: right; }").then_some("compare");
    }
    let header = text.lines().next()?;
    // With the groups' names, or without as earlier versions wrote them.
    let header = header.replacen("agency,name,group,group_name,", "agency,name,group,", 1);
    // The Vietnamese form (`--lang vi`) heads the same columns in words.
    let vi = "Mã đơn vị;Cơ quan, đơn vị;Nhóm;Tên nhóm;";
    if header.starts_with("agency,name,group,index_self,")
        || header.starts_with("agency,name,group,rank_before,")
        || header.strip_prefix(vi).is_some_and(|rest| {
            rest.starts_with("Tự đánh giá (%);") || rest.starts_with("Hạng trước;")
        })
    {
        return Some("compare");
    }
    let template = [Lang::Vi, Lang::En].map(|l| crate::report::template::header(l).join(","));
    template.contains(&header).then_some("template")
}

/// The names of a workbook's sheets.
fn sheet_names(bytes: &[u8]) -> Vec<String> {
    use quick_xml::events::Event;
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else { return Vec::new() };
    let mut xml = String::new();
    let Ok(mut file) = zip.by_name("xl/workbook.xml") else { return Vec::new() };
    // A part parindex wrote is small: one that unpacks past a criteria file's limit is
    // no workbook of ours, and is not unpacked further.
    let limit = crate::read::file::MAX_FILE_BYTES;
    let read = std::io::Read::read_to_string(&mut std::io::Read::take(&mut file, limit), &mut xml);
    if read.is_err() || xml.len() as u64 >= limit {
        return Vec::new();
    }
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut names = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Empty(e) | Event::Start(e)) if e.local_name().into_inner() == "sheet" => {
                if let Ok(Some(a)) = e.try_get_attribute("name")
                    && let Ok(name) = a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                {
                    names.push(name.into_owned());
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    names
}

/// Why `bytes`, which carry no audit trail, cannot be verified.
fn untraced(bytes: &[u8], otherwise: Text) -> Text {
    match view_of(bytes) {
        Some("template") => tr!(
            "it is a blank self-assessment written by `parindex template`, \
             not a result: verify checks the results of score and sensitivity, which carry an \
             audit trail",
            "đây là mẫu tự đánh giá trống do `parindex template` ghi, không phải kết quả: \
             verify kiểm tra kết quả của score và sensitivity, là những kết quả có vết kiểm tra"
        ),
        Some(view) => tr!(
            "it was written by `parindex {view}`: verify checks the results of score and \
             sensitivity; explain and compare outputs carry no audit trail (verify the score \
             result of the same round instead)",
            "tệp do `parindex {view}` ghi: verify kiểm tra kết quả của score và sensitivity; \
             kết quả của explain và compare không có vết kiểm tra (hãy kiểm tra kết quả score \
             của cùng vòng đánh giá)"
        ),
        None => otherwise,
    }
}

/// "FILE: its audit trail is not one this version can re-run".
fn cannot_rerun(shown: &str) -> Text {
    tr!(
        "{shown}: its audit trail is not one this version can re-run",
        "{shown}: phiên bản này không chạy lại được theo vết kiểm tra của tệp"
    )
}

/// The audit trail of `path`: inside it (JSON, HTML, a workbook), or beside it (CSV); or,
/// for a sidecar named directly, the sidecar's.
fn find_audit(path: &Path) -> Result<Found, Text> {
    let bytes = crate::cmd::session::read_limited(path)
        .map_err(|e| tr!("cannot read it: {e}", "không đọc được tệp: {e}"))?;
    let name = path.to_string_lossy();
    if let Some(csv) = name.strip_suffix(".audit.json") {
        let sidecar: Sidecar = serde_json::from_slice(&bytes).map_err(|e| {
            tr!(
                "not an audit trail parindex wrote: {e}",
                "không phải tệp vết kiểm tra do parindex ghi: {e}"
            )
        })?;
        let result = PathBuf::from(csv);
        let bytes = crate::cmd::session::read_limited(&result).map_err(|e| {
            tr!(
                "the result it belongs to, {csv}, cannot be read: {e}",
                "không đọc được kết quả đi kèm, {csv}: {e}"
            )
        })?;
        return Ok(Found {
            audit: sidecar.audit,
            result,
            bytes,
            sidecar: Some((path.to_path_buf(), sidecar.result_sha256)),
        });
    }
    let trail = if bytes.starts_with(b"PK") {
        from_workbook(&bytes)
    } else if bytes.trim_ascii_start().starts_with(b"{") {
        serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|mut doc| doc.get_mut("audit").map(serde_json::Value::take))
            .map(|a| serde_json::from_value(a).map_err(|e| Text::same(e.to_string())))
    } else if bytes.trim_ascii_start().starts_with(b"<!DOCTYPE html") {
        from_page(&bytes)
    } else if bytes.starts_with(b"%PDF") {
        // LibreOffice writes its own dates into a PDF: the same inputs never give the same
        // bytes, and the trail stays in the document it was printed from.
        return Err(tr!(
            "a PDF carries no audit trail: verify the Word document or workbook it was printed from (written with --format docx or xlsx)",
            "tệp PDF không có vết kiểm tra: hãy kiểm tra văn bản Word hoặc tệp Excel dùng để in ra nó (ghi bằng --format docx hoặc xlsx)"
        ));
    } else {
        let sidecar_path = audit::sidecar_path(path);
        let Ok(side) = crate::cmd::session::read_limited(&sidecar_path) else {
            let trail = sidecar_path.display();
            return Err(untraced(
                &bytes,
                tr!(
                    "it carries no audit trail, and there is no {trail} beside it: only results parindex wrote (csv with -o, json, xlsx, html, docx) can be verified",
                    "tệp không có vết kiểm tra, và không có {trail} bên cạnh: chỉ kiểm tra được kết quả do parindex ghi (csv với -o, json, xlsx, html, docx)"
                ),
            ));
        };
        let sidecar: Sidecar = serde_json::from_slice(&side).map_err(|e| {
            let trail = sidecar_path.display();
            tr!(
                "its audit trail {trail} is not one parindex wrote: {e}",
                "tệp vết kiểm tra {trail} không phải do parindex ghi: {e}"
            )
        })?;
        return Ok(Found {
            audit: sidecar.audit,
            result: path.to_path_buf(),
            bytes,
            sidecar: Some((sidecar_path, sidecar.result_sha256)),
        });
    };
    let audit = match trail {
        Some(Ok(audit)) => audit,
        Some(Err(why)) => {
            return Err(Text::new(
                format!("its audit trail is not one this version can re-run: {}", why.en),
                format!("phiên bản này không chạy lại được theo vết kiểm tra của tệp: {}", why.vi),
            ));
        }
        None => {
            return Err(untraced(
                &bytes,
                tr!(
                    "it carries no audit trail: only results parindex wrote (csv with -o, json, xlsx, html, docx) can be verified",
                    "tệp không có vết kiểm tra: chỉ kiểm tra được kết quả do parindex ghi (csv với -o, json, xlsx, html, docx)"
                ),
            ));
        }
    };
    Ok(Found { audit, result: path.to_path_buf(), bytes, sidecar: None })
}

/// The audit trail a result carries: `None` where it has none, an error where it has one
/// this version cannot read (a property missing or garbled, a value it does not know).
type Trail = Option<Result<Audit, Text>>;

/// The audit in a workbook's custom document properties.
fn from_workbook(bytes: &[u8]) -> Trail {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut xml = String::new();
    let limit = crate::read::file::MAX_FILE_BYTES;
    let part = zip.by_name("docProps/custom.xml").ok()?;
    std::io::Read::read_to_string(&mut std::io::Read::take(part, limit), &mut xml).ok()?;
    if xml.len() as u64 >= limit {
        return None;
    }
    let properties = custom_properties(&xml);
    if !properties.iter().any(|(name, _)| name.starts_with(audit::NAME)) {
        return None;
    }
    Some(Audit::from_properties(&properties).ok_or_else(|| {
        tr!(
            "a document property is missing, garbled or has a value it does not know",
            "một thuộc tính của tài liệu bị thiếu, hỏng hoặc có giá trị không nhận ra"
        )
    }))
}

/// Every text property of a workbook's `docProps/custom.xml`, as (name, value).
fn custom_properties(xml: &str) -> Vec<(String, String)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.local_name().into_inner() == "property" => {
                let name = e.try_get_attribute("name").ok().flatten().and_then(|a| {
                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .ok()
                        .map(std::borrow::Cow::into_owned)
                });
                current = name.map(|n| (n, String::new()));
            }
            Ok(Event::Text(t)) => {
                if let Some((_, value)) = &mut current {
                    value.push_str(&t.xml10_content());
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if let Some((_, value)) = &mut current {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        value.push(c);
                    } else if let Some(text) = quick_xml::escape::resolve_predefined_entity(&r) {
                        value.push_str(text);
                    }
                }
            }
            Ok(Event::End(e)) if e.local_name().into_inner() == "property" => {
                out.extend(current.take());
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    out
}

/// The audit in a page's `<meta name="parindex-audit">`.
fn from_page(bytes: &[u8]) -> Trail {
    use quick_xml::events::Event;
    let text = std::str::from_utf8(bytes).ok()?;
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(Event::Empty(e) | Event::Start(e)) if e.local_name().into_inner() == "meta" => {
                let attr = |key: &str| {
                    e.try_get_attribute(key).ok().flatten().and_then(|a| {
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .ok()
                            .map(std::borrow::Cow::into_owned)
                    })
                };
                if attr("name").as_deref() == Some(audit::NAME) {
                    let content = attr("content").unwrap_or_default();
                    return Some(
                        serde_json::from_str(&content).map_err(|e| Text::same(e.to_string())),
                    );
                }
            }
            // The audit is in the head: no need to read the body.
            Ok(Event::Start(e)) if e.local_name().into_inner() == "body" => return None,
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

/// The `sensitivity` plan the audit records, on the inputs and options of `score`.
fn sensitivity_plan(
    score: score::Plan,
    p: &audit::Perturbation,
) -> Option<crate::cmd::sensitivity::Plan> {
    use crate::score::sensitivity::Options;
    Some(crate::cmd::sensitivity::Plan {
        score,
        options: Options {
            runs: p.runs,
            seed: p.seed,
            spread: p.spread.parse().ok()?,
            level: p.level,
        },
        fields_alone: p.fields,
    })
}

/// The inputs and output options the audit records, as a `score` plan.
fn score_plan(audit: &Audit) -> Option<score::Plan> {
    let o = &audit.options;
    let source = match audit.round_file() {
        Some(round) => RoundSource::File(PathBuf::from(&round.path), drafts(audit)),
        None => RoundSource::Files(Box::new(Inputs {
            round: None,
            title: None,
            year: None,
            criteria: audit.input(Role::Criteria)?.path.clone().into(),
            agencies: audit.input(Role::Agencies)?.path.clone().into(),
            self_assessment: Some(audit.input(Role::SelfAssessment)?.path.clone().into()),
            appraisals: audit
                .inputs
                .iter()
                .filter(|i| matches!(i.role, Role::Appraisal(_)))
                .map(|i| PathBuf::from(&i.path))
                .collect(),
            survey: audit.input(Role::Survey).map(|i| PathBuf::from(&i.path)),
            tables: Vec::new(),
            decision: crate::model::decision::Decision::default(),
            groups: Vec::new(),
        })),
    };
    Some(score::Plan {
        source,
        stage: o.stage,
        group: o.group.clone(),
        missing: o.missing,
        format: o.format,
        output: None,
        lang: o.lang,
        csv: o.csv,
        voice: Voice::PLAIN,
        quiet: true,
        field_ranks: false,
        width: None,
    })
}

/// The files a result of a round file was scored from instead of the round's own
/// (`score round.toml --self draft.csv`): each stage whose files the trail names
/// otherwise than the round file does. The round file is the one the trail records,
/// its bytes already checked; one that cannot be read gives none, and scoring again
/// says why.
fn drafts(audit: &Audit) -> Drafts {
    let Some(round) = audit.round_file() else { return Drafts::default() };
    let Ok(own) = inputs::read_round_file(Path::new(&round.path)) else {
        return Drafts::default();
    };
    let recorded = |pick: &dyn Fn(Role) -> bool| -> Vec<PathBuf> {
        audit.inputs.iter().filter(|i| pick(i.role)).map(|i| PathBuf::from(&i.path)).collect()
    };
    let named = |paths: &[&Path]| -> Vec<PathBuf> {
        paths.iter().map(|p| PathBuf::from(inputs::shown(p))).collect()
    };
    let replaced = |recorded: Vec<PathBuf>, own: Vec<PathBuf>| {
        (!recorded.is_empty() && recorded != own).then_some(recorded)
    };
    let single = |paths: Option<Vec<PathBuf>>| paths.and_then(|p| p.into_iter().next());
    let own_appraisals: Vec<&Path> = own.appraisals.iter().map(PathBuf::as_path).collect();
    Drafts {
        self_assessment: single(replaced(
            recorded(&|r| r == Role::SelfAssessment),
            named(&own.self_assessment.as_deref().into_iter().collect::<Vec<_>>()),
        )),
        appraisals: replaced(
            recorded(&|r| matches!(r, Role::Appraisal(_))),
            named(&own_appraisals),
        )
        .unwrap_or_default(),
        survey: single(replaced(
            recorded(&|r| r == Role::Survey),
            named(&own.survey.as_deref().into_iter().collect::<Vec<_>>()),
        )),
    }
}

/// The command line the audit records, as a user would type it.
fn command_line(audit: &Audit) -> String {
    let o = &audit.options;
    let mut words = vec![audit.command.clone()];
    match audit.round_file() {
        Some(round) => {
            words.push(round.path.clone());
            let drafts = drafts(audit);
            let shown = |p: &PathBuf| inputs::shown(p);
            words.extend(drafts.self_assessment.iter().map(|p| format!("--self {}", shown(p))));
            words.extend(drafts.appraisals.iter().map(|p| format!("--appraisal {}", shown(p))));
            words.extend(drafts.survey.iter().map(|p| format!("--survey {}", shown(p))));
        }
        None => {
            for i in &audit.inputs {
                let flag = match i.role {
                    Role::Appraisal(_) => "appraisal".to_string(),
                    role => role.to_string(),
                };
                words.push(format!("--{flag} {}", i.path));
            }
        }
    }
    words.push(format!("--stage {}", audit::name(&o.stage)));
    if let Some(g) = &o.group {
        words.push(format!("--group {g}"));
    }
    words.push(format!(
        "--missing {} --format {}",
        audit::name(&o.missing),
        audit::name(&o.format)
    ));
    // Typed, `--lang vi` writes a CSV in its Vietnamese form: a CSV in the keys form made
    // in Vietnamese was made without it.
    let keys_csv = o.format == crate::report::Format::Csv && o.csv.is_keys();
    if !(keys_csv && o.lang == Lang::Vi) {
        words.push(format!("--lang {}", audit::name(&o.lang)));
    }
    if let Some(p) = &o.sensitivity {
        words.push(format!(
            "--runs {} --seed {} --spread {} --level {}{}",
            p.runs,
            p.seed,
            p.spread.parse::<f64>().map_or_else(
                |_| p.spread.clone(),
                |s| crate::report::sensitivity::spread_percent(s).to_string()
            ),
            audit::name(&p.level),
            if p.fields { " --fields" } else { "" }
        ));
    }
    words.join(" ")
}

/// Where two results first differ: a line for text, a byte offset otherwise.
fn first_difference(old: &[u8], new: &[u8]) -> Text {
    let at = old.iter().zip(new).position(|(a, b)| a != b).unwrap_or(old.len().min(new.len()));
    if std::str::from_utf8(old).is_ok() && std::str::from_utf8(new).is_ok() {
        let line = memchr::memchr_iter(b'\n', &old[..at]).count() + 1;
        tr!("the first difference is on line {line}", "chỗ khác đầu tiên ở dòng {line}")
    } else {
        let (was, is) = (old.len(), new.len());
        tr!(
            "the first difference is at byte {at} ({was} bytes against {is})",
            "chỗ khác đầu tiên ở byte {at} ({was} byte so với {is} byte)"
        )
    }
}
