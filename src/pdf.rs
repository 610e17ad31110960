//! PDF through the converters offices already have: LibreOffice for Word documents and
//! workbooks, Chromium (or Chrome, Edge) for the HTML report. Each runs headless, with a
//! profile of its own in a temporary folder (so that a LibreOffice the user has open is
//! neither used nor disturbed), and is stopped if it takes longer than a few minutes.
//! See docs/documents.md for why a converter and not an engine of our own.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::lang::Text;
use crate::tr;

/// How long a converter may go without finishing a PDF before it is stopped: it waits,
/// as a dialog would, for an answer no one will give. A converter that is making PDFs
/// is never stopped, however many it has to make (LibreOffice prints a result sheet in
/// about a third of a second: the sheets of 3,000 communes take a quarter of an hour).
const TIMEOUT: Duration = Duration::from_mins(5);

/// A converter, and what it turns into PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Converter {
    /// Word documents and workbooks.
    LibreOffice,
    /// Web pages.
    Chromium,
}

impl Converter {
    /// The environment variable that names the program, where it is not on the PATH.
    pub(crate) fn variable(self) -> &'static str {
        match self {
            Converter::LibreOffice => "PARINDEX_LIBREOFFICE",
            Converter::Chromium => "PARINDEX_CHROMIUM",
        }
    }

    fn names(self) -> &'static [&'static str] {
        match self {
            Converter::LibreOffice => &["soffice", "libreoffice"],
            Converter::Chromium => &[
                "chromium",
                "chromium-browser",
                "google-chrome",
                "google-chrome-stable",
                "microsoft-edge",
            ],
        }
    }

    /// Where installers put the program when they do not put it on the PATH.
    fn usual_places(self) -> &'static [&'static str] {
        match self {
            Converter::LibreOffice => &[
                "/usr/lib/libreoffice/program/soffice",
                "/opt/libreoffice/program/soffice",
                "/Applications/LibreOffice.app/Contents/MacOS/soffice",
                r"C:\Program Files\LibreOffice\program\soffice.exe",
                r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
            ],
            Converter::Chromium => &[
                "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
                "/Applications/Chromium.app/Contents/MacOS/Chromium",
                r"C:\Program Files\Google\Chrome\Application\chrome.exe",
                r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
            ],
        }
    }

    fn program_name(self) -> Text {
        match self {
            Converter::LibreOffice => Text::same("LibreOffice"),
            Converter::Chromium => {
                Text::new("Chromium (or Google Chrome)", "Chromium (hoặc Google Chrome)")
            }
        }
    }

    /// The program: named by its variable, else on the PATH, else in a usual place.
    pub(crate) fn find(self) -> Option<PathBuf> {
        if let Some(named) = std::env::var_os(self.variable()).filter(|v| !v.is_empty()) {
            return Some(PathBuf::from(named));
        }
        let path = std::env::var_os("PATH").unwrap_or_default();
        for dir in std::env::split_paths(&path) {
            for name in self.names() {
                for candidate in [dir.join(name), dir.join(format!("{name}.exe"))] {
                    if candidate.is_file() {
                        return Some(candidate);
                    }
                }
            }
        }
        self.usual_places().iter().map(PathBuf::from).find(|p| p.is_file())
    }

    /// What to do when the program is missing.
    fn install_help(self) -> Text {
        let variable = self.variable();
        match self {
            Converter::LibreOffice => tr!(
                "install LibreOffice (Debian, Ubuntu: apt install libreoffice-writer; Windows, macOS: libreoffice.org), or name soffice in {variable}; or write --format docx and save it as PDF from Word",
                "cài LibreOffice (Debian, Ubuntu: apt install libreoffice-writer; Windows, macOS: libreoffice.org), hoặc ghi đường dẫn tới soffice vào biến môi trường {variable}; hoặc xuất --format docx rồi lưu thành PDF từ Word"
            ),
            Converter::Chromium => tr!(
                "install Chromium or Google Chrome, or name it in {variable}; or open the page in a browser and print it to PDF",
                "cài Chromium hoặc Google Chrome, hoặc ghi đường dẫn tới chương trình vào biến môi trường {variable}; hoặc mở trang bằng trình duyệt rồi in ra PDF"
            ),
        }
    }
}

/// Why no PDF was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    pub message: Text,
    pub help: Text,
}

impl Failure {
    /// The message and its help, on two lines, in both languages.
    pub(crate) fn text(&self) -> Text {
        let (message, help) = (&self.message, &self.help);
        Text::new(
            format!("{}\n  help: {}", message.en, help.en),
            format!("{}\n  gợi ý: {}", message.vi, help.vi),
        )
    }
}

/// The English [`Failure::text`], as tests and logs read it.
impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text().en)
    }
}

/// How many documents one run of LibreOffice converts: a command line of a few thousand
/// paths would pass what Windows takes (32,767 characters).
const BATCH: usize = 100;

/// A Word document as PDF; `name` says which, where it fails, in words ("the appendix")
/// or as it is named (an agency's id).
pub(crate) fn from_docx(name: &Text, bytes: &[u8]) -> Result<Vec<u8>, Failure> {
    office(&[(name.clone(), bytes)], "docx").map(|mut pdfs| pdfs.remove(0))
}

/// Each document (a name without extension, its bytes and its extension: `docx`,
/// `xlsx`) as PDF, a hundred to a run of LibreOffice. The names are ids or paths, the
/// same in either language.
pub(crate) fn from_office(
    documents: &[(String, &[u8])],
    extension: &str,
) -> Result<Vec<Vec<u8>>, Failure> {
    let documents: Vec<(Text, &[u8])> =
        documents.iter().map(|(name, bytes)| (Text::same(name.as_str()), *bytes)).collect();
    office(&documents, extension)
}

/// [`from_office`] for documents named in words of either language.
fn office(documents: &[(Text, &[u8])], extension: &str) -> Result<Vec<Vec<u8>>, Failure> {
    let mut pdfs = Vec::with_capacity(documents.len());
    for batch in documents.chunks(BATCH) {
        pdfs.extend(batch_from_office(batch, extension)?);
    }
    Ok(pdfs)
}

fn batch_from_office(
    documents: &[(Text, &[u8])],
    extension: &str,
) -> Result<Vec<Vec<u8>>, Failure> {
    let converter = Converter::LibreOffice;
    let program = converter.find().ok_or_else(|| missing(converter))?;
    let dir = tempfile::tempdir().map_err(|e| io_failure(converter, &e))?;
    let (input, output) = (dir.path().join("in"), dir.path().join("out"));
    std::fs::create_dir_all(&input).map_err(|e| io_failure(converter, &e))?;
    let mut files = Vec::new();
    for (k, (_, bytes)) in documents.iter().enumerate() {
        // Plain numbered names: an agency's id never reaches the converter's command line.
        let path = input.join(format!("{k}.{extension}"));
        std::fs::write(&path, bytes).map_err(|e| io_failure(converter, &e))?;
        files.push(path);
    }
    let profile = file_url(&dir.path().join("profile"));
    let mut command = Command::new(&program);
    command
        .arg(format!("-env:UserInstallation={profile}"))
        .args(["--headless", "--norestore", "--nologo", "--nolockcheck", "--nodefault"])
        .args(["--convert-to", "pdf", "--outdir"])
        .arg(&output)
        .args(&files);
    run(converter, &program, command, &output, TIMEOUT)?;
    (0..documents.len())
        .map(|k| {
            std::fs::read(output.join(format!("{k}.pdf"))).map_err(|_| {
                let (program, name) = (converter.program_name(), &documents[k].0);
                Failure {
                    message: Text::new(
                        format!("{} ran but wrote no PDF of {}", program.en, name.en),
                        format!("{} đã chạy nhưng không tạo ra PDF của {}", program.vi, name.vi),
                    ),
                    help: tr!(
                        "open the document in LibreOffice or Word to see whether it opens, and save it as PDF from there",
                        "mở tệp bằng LibreOffice hoặc Word xem có mở được không, rồi lưu thành PDF từ đó"
                    ),
                }
            })
        })
        .collect()
}

/// A web page as PDF, printed by headless Chromium as its own print styles lay it out.
pub(crate) fn from_html(html: &[u8]) -> Result<Vec<u8>, Failure> {
    let converter = Converter::Chromium;
    let program = converter.find().ok_or_else(|| missing(converter))?;
    let dir = tempfile::tempdir().map_err(|e| io_failure(converter, &e))?;
    let page = dir.path().join("page.html");
    let pdf = dir.path().join("page.pdf");
    std::fs::write(&page, html).map_err(|e| io_failure(converter, &e))?;
    let mut command = Command::new(&program);
    command
        .args([
            "--headless",
            // The page is our own report, read from a local file; the sandbox needs
            // namespaces that containers and root do not always give.
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(file_url(&page));
    run(converter, &program, command, dir.path(), TIMEOUT)?;
    std::fs::read(&pdf).map_err(|_| {
        let program = converter.program_name();
        Failure {
            message: Text::new(
                format!("{} ran but wrote no PDF", program.en),
                format!("{} đã chạy nhưng không tạo ra PDF", program.vi),
            ),
            help: tr!(
                "open the page in a browser and print it to PDF",
                "mở trang bằng trình duyệt rồi in ra PDF"
            ),
        }
    })
}

/// Runs a converter to its end, or stops it when it has gone `timeout` without adding a
/// file to `output` (the folder it writes its PDFs in).
fn run(
    converter: Converter,
    program: &Path,
    mut command: Command,
    output: &Path,
    timeout: Duration,
) -> Result<(), Failure> {
    let log = tempfile::tempfile().map_err(|e| io_failure(converter, &e))?;
    let mut log_reader = log.try_clone().map_err(|e| io_failure(converter, &e))?;
    command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(log);
    let mut child = command.spawn().map_err(|e| {
        let (name, path) = (converter.program_name(), program.display());
        Failure {
            message: Text::new(
                format!("{} cannot be started ({path}): {e}", name.en),
                format!("không khởi động được {} ({path}): {e}", name.vi),
            ),
            help: converter.install_help(),
        }
    })?;
    let written = || std::fs::read_dir(output).map_or(0, Iterator::count);
    let (mut progress, mut seen) = (Instant::now(), written());
    let mut looked = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {
                if looked.elapsed() >= Duration::from_secs(1) {
                    looked = Instant::now();
                    let now = written();
                    if now != seen {
                        (progress, seen) = (Instant::now(), now);
                    }
                }
                if progress.elapsed() > timeout {
                    stop(&mut child);
                    let (name, seconds) = (converter.program_name(), timeout.as_secs());
                    return Err(Failure {
                        message: Text::new(
                            format!("{} made no PDF in {seconds} seconds and was stopped", name.en),
                            format!(
                                "{} không tạo ra PDF nào trong {seconds} giây nên đã bị dừng",
                                name.vi
                            ),
                        ),
                        help: tr!(
                            "close any window of it that waits for an answer, and try again",
                            "đóng các cửa sổ của chương trình đang chờ trả lời, rồi thử lại"
                        ),
                    });
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => return Err(io_failure(converter, &e)),
        }
    };
    if status.success() {
        return Ok(());
    }
    // The reader shares the file's offset with the converter's stderr, left at its end.
    let mut said = String::new();
    let _ = std::io::Seek::seek(&mut log_reader, std::io::SeekFrom::Start(0));
    let mut bytes = Vec::new();
    let _ = std::io::Read::read_to_end(&mut std::io::Read::take(&mut log_reader, 4096), &mut bytes);
    said.push_str(&String::from_utf8_lossy(&bytes));
    let name = converter.program_name();
    let said = if said.trim().is_empty() { String::new() } else { format!(": {}", said.trim()) };
    Err(Failure {
        message: Text::new(
            format!("{} failed ({status}){said}", name.en),
            format!("{} gặp lỗi ({status}){said}", name.vi),
        ),
        help: converter.install_help(),
    })
}

/// Stops a converter and whatever it started: `soffice` is a script that hands over to
/// `oosplash`, which starts `soffice.bin`; killing the first alone leaves the last
/// converting into a folder that is about to be removed. The processes it started are
/// found in `/proc` (Linux); elsewhere the converter alone is stopped.
fn stop(child: &mut std::process::Child) {
    let started = descendants(child.id());
    let _ = child.kill();
    let _ = child.wait();
    if !started.is_empty() {
        // `kill` the program: this crate holds no unsafe code to send a signal itself.
        let _ = Command::new("kill")
            .arg("-KILL")
            .args(started.iter().map(u32::to_string))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// Every process `pid` started, and those they started, as `/proc` lists them; none
/// where there is no `/proc`.
fn descendants(pid: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    let parents: Vec<(u32, u32)> = entries
        .filter_map(|entry| {
            let id: u32 = entry.ok()?.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(format!("/proc/{id}/stat")).ok()?;
            // "pid (name) state ppid …": the name may hold spaces and parentheses.
            let rest = &stat[stat.rfind(')')? + 1..];
            let parent = rest.split_whitespace().nth(1)?.parse().ok()?;
            Some((id, parent))
        })
        .collect();
    let mut found = Vec::new();
    let mut next = vec![pid];
    while let Some(p) = next.pop() {
        for &(id, parent) in &parents {
            if parent == p && !found.contains(&id) {
                found.push(id);
                next.push(id);
            }
        }
    }
    found
}

fn missing(converter: Converter) -> Failure {
    let name = converter.program_name();
    Failure {
        message: Text::new(
            format!("a PDF is made by {}, which is not installed here", name.en),
            format!("cần có {} để tạo PDF, nhưng máy này chưa cài", name.vi),
        ),
        help: converter.install_help(),
    }
}

fn io_failure(converter: Converter, e: &std::io::Error) -> Failure {
    let name = converter.program_name();
    Failure {
        message: Text::new(
            format!("the files for {} cannot be written: {e}", name.en),
            format!("không ghi được các tệp cần cho {}: {e}", name.vi),
        ),
        help: tr!(
            "check that the temporary folder (TMPDIR) has room and can be written",
            "kiểm tra xem thư mục tạm (TMPDIR) còn chỗ trống và ghi được không"
        ),
    }
}

/// A path as a `file://` URL, every byte outside the unreserved set escaped.
fn file_url(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut url = String::from(if text.starts_with('/') { "file://" } else { "file:///" });
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-_.~:".contains(&byte) {
            url.push(char::from(byte));
        } else {
            let _ = write!(url, "%{byte:02X}");
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_file_urls() {
        assert_eq!(file_url(Path::new("/tmp/a b/hồ sơ")), "file:///tmp/a%20b/h%E1%BB%93%20s%C6%A1");
        assert_eq!(file_url(Path::new(r"C:\Temp\x")), "file:///C:/Temp/x");
    }

    #[test]
    fn a_converter_named_by_its_variable_that_is_not_there_fails_with_help() {
        let failure = run(
            Converter::LibreOffice,
            Path::new("/nonexistent/soffice"),
            Command::new("/nonexistent/soffice"),
            Path::new("/nonexistent"),
            TIMEOUT,
        )
        .unwrap_err();
        assert!(failure.message.en.contains("cannot be started"), "{failure}");
        assert!(failure.help.en.contains("PARINDEX_LIBREOFFICE"), "{failure}");
    }

    /// A script standing in for a converter, run by `sh`.
    #[cfg(unix)]
    fn script(text: &str) -> Command {
        let mut command = Command::new("sh");
        command.args(["-c", text]);
        command
    }

    #[cfg(unix)]
    #[test]
    fn what_a_failing_converter_says_is_shown() {
        // The converter's message was read from the end of its log, and was always lost.
        let failure = run(
            Converter::LibreOffice,
            Path::new("soffice"),
            script("echo 'Error: source file could not be loaded' >&2; exit 1"),
            Path::new("/nonexistent"),
            TIMEOUT,
        )
        .unwrap_err();
        assert!(
            failure.message.en.ends_with(": Error: source file could not be loaded"),
            "{failure}"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_stopped_converter_takes_what_it_started_with_it() {
        let dir = tempfile::tempdir().unwrap();
        let pid_file = dir.path().join("pid");
        // As soffice does: the program started goes on working after its starter.
        let text = format!("sleep 60 & echo $! > {}; wait", pid_file.display());
        let out = tempfile::tempdir().unwrap();
        run(
            Converter::LibreOffice,
            Path::new("soffice"),
            script(&text),
            out.path(),
            Duration::from_secs(1),
        )
        .unwrap_err();
        let pid = std::fs::read_to_string(&pid_file).unwrap().trim().to_string();
        // Killed, it is gone (or a zombie for a moment, until init reaps it).
        let started = Instant::now();
        loop {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let gone = stat.is_empty()
                || stat[stat.rfind(')').unwrap() + 1..].trim_start().starts_with('Z');
            if gone {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "the sleeper {pid} still runs: {stat}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_converter_is_stopped_when_it_makes_nothing_and_not_while_it_makes_pdfs() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().to_str().unwrap();
        let started = Instant::now();
        let failure = run(
            Converter::LibreOffice,
            Path::new("soffice"),
            script("sleep 30"),
            dir.path(),
            Duration::from_secs(1),
        )
        .unwrap_err();
        assert!(failure.message.en.contains("made no PDF in 1 seconds"), "{failure}");
        assert!(started.elapsed() < Duration::from_secs(10));
        // A PDF every 0.6 s for 3.6 s, with 2 s allowed for each: a run of many documents
        // takes as long as it needs, where a fixed limit stopped it half done.
        let busy = format!("for k in 1 2 3 4 5 6; do sleep 0.6; touch {out}/$k.pdf; done");
        run(
            Converter::LibreOffice,
            Path::new("soffice"),
            script(&busy),
            dir.path(),
            Duration::from_secs(2),
        )
        .unwrap();
    }
}
