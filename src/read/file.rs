//! Reading an input file from disk: size limits, folders refused, and the UTF-8 check of
//! text files, each failure a diagnostic that names the file.

use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

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
                format!("{path} is saved as UTF-16; criteria files must be UTF-8"),
            )
            .help("in Notepad or VS Code, save the file again with the encoding \"UTF-8\""),
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
                    format!(
                        "{path} is not UTF-8 text: line {line}, column {column} holds a byte \
                     that UTF-8 does not allow"
                    ),
                )
                .help(
                    "save the file again with the encoding \"UTF-8\" (files saved as \
                 Windows-1258 or TCVN3 must be converted)",
                ),
            ))
        }
    }
}

/// A file's bytes, refusing folders and files over `limit` bytes.
pub fn read_bytes(path: &Path, shown: &str, limit: u64) -> Result<Vec<u8>, Box<Diagnostic>> {
    let fail = |message: String| Err(Box::new(Diagnostic::error("read-failed", message)));
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) => return fail(format!("cannot read {shown}: {}", io_reason(&e))),
    };
    if meta.is_dir() {
        return fail(format!("{shown} is a folder, not a file"));
    }
    if meta.len() > limit {
        return Err(Box::new(Diagnostic::error(
            "too-large",
            format!(
                "{shown} is {} bytes; parindex reads files of at most {limit} bytes",
                meta.len()
            ),
        )));
    }
    match std::fs::read(path) {
        Ok(bytes) => Ok(bytes),
        Err(e) => fail(format!("cannot read {shown}: {}", io_reason(&e))),
    }
}

/// The operating system's reason, without the "(os error 2)" that means nothing to users.
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let text = e.to_string();
            text.split(" (os error").next().unwrap_or(&text).to_string()
        }
    }
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

    #[test]
    fn invalid_utf8_names_its_place() {
        let err = decode_text("x".into(), b"a = 1\nb = \"\xE0\"").unwrap_err();
        assert!(err.message.contains("line 2, column 6"), "{}", err.message);
    }
}
