//! Reading an input file from disk: size limits, folders and devices refused, pipes read
//! without waiting for ever, and the UTF-8 check of text files, each failure a diagnostic
//! that names the file.

use std::io::Read;
use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::lang::Text;
use crate::source::SourceFile;
use crate::tr;

/// Criteria files larger than this are refused before parsing: no criteria set comes
/// near it, and a runaway file must not exhaust memory.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Data files may be far larger: a ministry-wide round is millions of rows.
pub const MAX_DATA_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// Reads a UTF-8 text file (a UTF-8 byte-order mark is dropped). Anything else is
/// refused with a message that says how to save the file instead.
pub fn read_text(path: &Path) -> Result<SourceFile, Box<Diagnostic>> {
    let shown = path.display().to_string();
    let bytes = read_bytes(path, &shown, MAX_FILE_BYTES)?;
    decode_text(shown, &bytes)
}

/// Decodes bytes already read; see [`read_text`].
pub fn decode_text(path: String, bytes: &[u8]) -> Result<SourceFile, Box<Diagnostic>> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Box::new(
            Diagnostic::error(
                "not-utf8",
                tr!(
                    "{path} is saved as UTF-16; criteria files must be UTF-8",
                    "tệp {path} được lưu bằng bảng mã UTF-16; tệp bộ tiêu chí phải dùng bảng mã UTF-8"
                ),
            )
            .help(tr!(
                "in Notepad or VS Code, save the file again with the encoding \"UTF-8\"",
                "mở tệp trong Notepad hoặc VS Code và lưu lại với bảng mã (encoding) \"UTF-8\""
            )),
        ));
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(text) => Ok(SourceFile::new(path, text).read_from(bytes)),
        Err(e) => {
            let good = String::from_utf8_lossy(&body[..e.valid_up_to()]).into_owned();
            let (line, column) = SourceFile::new("", good.as_str()).line_col(good.len());
            Err(Box::new(
                Diagnostic::error(
                    "not-utf8",
                    tr!(
                        "{path} is not UTF-8 text: line {line}, column {column} holds a byte \
                     that UTF-8 does not allow",
                        "tệp {path} không phải văn bản UTF-8: dòng {line}, cột {column} có một \
                     byte mà UTF-8 không cho phép"
                    ),
                )
                .help(tr!(
                    "save the file again with the encoding \"UTF-8\" (files saved as \
                 Windows-1258 or TCVN3 must be converted)",
                    "hãy lưu lại tệp với bảng mã \"UTF-8\" (tệp đã lưu bằng Windows-1258 \
                 hoặc TCVN3 phải được chuyển mã trước)"
                )),
            ))
        }
    }
}

/// A file's bytes, refusing folders, devices and files over `limit` bytes. The size a
/// file's metadata gives is trusted for nothing but the first refusal: every read stops
/// one byte past `limit`, so that a file that grows while it is read, or a pipe, cannot
/// make parindex hold more. A pipe (`<(…)`, or one made with `mkfifo`) is read to its end.
pub fn read_bytes(path: &Path, shown: &str, limit: u64) -> Result<Vec<u8>, Box<Diagnostic>> {
    let fail = |message: Text| Err(Box::new(Diagnostic::error("read-failed", message)));
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) => return fail(cannot_read(shown, &io_reason(&e))),
    };
    if meta.is_dir() {
        return fail(tr!(
            "{shown} is a folder, not a file",
            "{shown} là một thư mục, không phải tệp"
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_fifo() {
            return pipe::read(path, shown, limit);
        }
        // `/dev/zero` never ends, a terminal waits for typing: a device is no input file.
        if kind.is_char_device() || kind.is_block_device() || kind.is_socket() {
            return Err(Box::new(
                Diagnostic::error(
                    "read-failed",
                    tr!(
                        "cannot read {shown}: it is a device, not a file",
                        "không đọc được {shown}: đây là một thiết bị, không phải tệp"
                    ),
                )
                .help(tr!(
                    "give the path of the file itself",
                    "hãy đưa đường dẫn đến chính tệp cần đọc"
                )),
            ));
        }
    }
    if meta.len() > limit {
        let size = meta.len();
        return Err(too_large(shown, &tr!("is {size} bytes", "có {size} byte"), limit));
    }
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => return fail(cannot_read(shown, &io_reason(&e))),
    };
    let hint = usize::try_from(meta.len()).unwrap_or(0);
    read_at_most(file, shown, limit, hint)
}

/// Everything `reader` gives, refused as too large once it passes `limit` bytes.
fn read_at_most(
    reader: impl Read,
    shown: &str,
    limit: u64,
    hint: usize,
) -> Result<Vec<u8>, Box<Diagnostic>> {
    let mut bytes = Vec::with_capacity(hint.saturating_add(1));
    if let Err(e) = reader.take(limit.saturating_add(1)).read_to_end(&mut bytes) {
        return Err(Box::new(Diagnostic::error("read-failed", cannot_read(shown, &io_reason(&e)))));
    }
    if bytes.len() as u64 > limit {
        return Err(too_large(shown, &holds_more(), limit));
    }
    Ok(bytes)
}

/// `too-large`: `what` says how large (`is 5000000000 bytes`, `holds more`).
fn too_large(shown: &str, what: &Text, limit: u64) -> Box<Diagnostic> {
    let (en, vi) = (&what.en, &what.vi);
    Box::new(Diagnostic::error(
        "too-large",
        tr!(
            "{shown} {en}; parindex reads files of at most {limit} bytes",
            "tệp {shown} {vi}: parindex chỉ đọc tệp có tối đa {limit} byte"
        ),
    ))
}

/// How large a file is that was read to past its limit: no size is known.
fn holds_more() -> Text {
    tr!("holds more", "lớn hơn mức cho phép")
}

/// `cannot read PATH: REASON`.
fn cannot_read(shown: &str, reason: &Text) -> Text {
    let (en, vi) = (&reason.en, &reason.vi);
    tr!("cannot read {shown}: {en}", "không đọc được {shown}: {vi}")
}

/// Pipes: the one a shell makes for `<(command)`, and named ones (`mkfifo`).
#[cfg(unix)]
mod pipe {
    use std::io::Read;
    use std::path::Path;
    use std::time::{Duration, Instant};

    use crate::diagnostic::Diagnostic;
    use crate::lang::Text;
    use crate::tr;

    /// How long a named pipe is given for a program to start writing to it.
    pub(super) const WAIT: Duration = Duration::from_secs(5);

    /// Reads a pipe to its end, at most `limit` bytes. Opening a named pipe for reading
    /// waits for a writer, for ever if none comes; it is opened without waiting instead,
    /// and read with short pauses while the writer has nothing to give yet. A pipe that
    /// gives nothing and has had no writer in [`WAIT`] is refused. A shell's `<(…)` has its
    /// writer from the start, so there an empty read is the end.
    pub(super) fn read(path: &Path, shown: &str, limit: u64) -> Result<Vec<u8>, Box<Diagnostic>> {
        use std::os::unix::fs::OpenOptionsExt;
        let fail = |why: Text| {
            Err(Box::new(Diagnostic::error("read-failed", super::cannot_read(shown, &why))))
        };
        let mut file = match std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(path)
        {
            Ok(file) => file,
            Err(e) => return fail(super::io_reason(&e)),
        };
        // `/dev/fd/63` links to "pipe:[…]": a pipe made for a program already running.
        let mut written =
            std::fs::read_link(path).is_ok_and(|to| to.to_string_lossy().starts_with("pipe:"));
        let started = Instant::now();
        let mut bytes = Vec::new();
        let mut chunk = vec![0; 64 * 1024];
        loop {
            match file.read(&mut chunk) {
                Ok(0) if written => return Ok(bytes),
                Ok(0) if started.elapsed() >= WAIT => {
                    let seconds = WAIT.as_secs();
                    return Err(Box::new(
                        Diagnostic::error(
                            "read-failed",
                            tr!(
                                "cannot read {shown}: no program is writing to this pipe (waited {seconds} seconds)",
                                "không đọc được {shown}: không có chương trình nào đang ghi vào đường ống (pipe) này (đã chờ {seconds} giây)"
                            ),
                        )
                        .help(tr!(
                            "start the program that writes to the pipe, or give parindex a file",
                            "hãy chạy chương trình ghi vào đường ống, hoặc đưa cho parindex một tệp"
                        )),
                    ));
                }
                Ok(0) => std::thread::sleep(Duration::from_millis(20)),
                Ok(n) => {
                    written = true;
                    if (bytes.len() + n) as u64 > limit {
                        return Err(super::too_large(shown, &super::holds_more(), limit));
                    }
                    bytes.extend_from_slice(&chunk[..n]);
                }
                // A writer is there, with nothing to give yet.
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    written = true;
                    std::thread::sleep(Duration::from_millis(2));
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return fail(super::io_reason(&e)),
            }
        }
    }
}

/// The operating system's reason, without the "(os error 2)" that means nothing to users.
/// The common ones are worded in both languages; any other is the system's own sentence.
fn io_reason(e: &std::io::Error) -> Text {
    match e.kind() {
        std::io::ErrorKind::NotFound => tr!("no such file", "không có tệp này"),
        std::io::ErrorKind::PermissionDenied => {
            tr!("permission denied", "không có quyền đọc tệp")
        }
        _ => {
            let text = e.to_string();
            Text::same(text.split(" (os error").next().unwrap_or(&text))
        }
    }
}

/// Paths are shown with forward slashes on every system, as CI logs and docs write them.
pub fn shown(path: &std::path::Path) -> String {
    path.display().to_string().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bom_is_dropped_and_utf16_refused() {
        let ok = decode_text("x".into(), b"\xEF\xBB\xBFa = 1").unwrap();
        assert_eq!(ok.text, "a = 1");
        let utf16 = decode_text("x".into(), &[0xFF, 0xFE, b'a', 0]).unwrap_err();
        assert_eq!(utf16.code, "not-utf8");
    }

    // A stream that never ends (`/dev/zero` behind a pipe) is cut one byte past the limit.
    #[test]
    fn a_read_stops_past_its_limit() {
        let err = read_at_most(std::io::repeat(0), "zero", 1000, 0).unwrap_err();
        assert_eq!(err.code, "too-large");
        assert_eq!(read_at_most(&b"abc"[..], "abc", 3, 0).unwrap(), b"abc");
    }

    #[test]
    fn invalid_utf8_names_its_place() {
        let err = decode_text("x".into(), b"a = 1\nb = \"\xE0\"").unwrap_err();
        assert!(err.message.en.contains("line 2, column 6"), "{}", err.message.en);
        assert!(err.message.vi.contains("dòng 2, cột 6"), "{}", err.message.vi);
    }
}
