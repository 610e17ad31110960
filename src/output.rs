//! Writing results: whole or not at all, and never over an input file.

use std::io::Write;
use std::path::Path;

use crate::diagnostic::Diagnostic;

/// Writes `bytes` to `path` through a temporary file in the same folder, renamed into
/// place once complete: a failure leaves any earlier file as it was. Refuses a path that
/// is one of `inputs`.
pub fn write_file(path: &Path, bytes: &[u8], inputs: &[&Path]) -> Result<(), Box<Diagnostic>> {
    let shown = path.display().to_string();
    let target = resolved(path);
    if let Some(input) = inputs.iter().find(|i| resolved(i) == target) {
        return Err(Box::new(
            Diagnostic::error(
                "output-is-input",
                format!(
                    "refusing to write {shown}: it is an input of this run ({})",
                    input.display()
                ),
            )
            .help("choose another output file with -o"),
        ));
    }
    let fail = |e: std::io::Error| {
        Box::new(Diagnostic::error("write-failed", format!("cannot write {shown}: {e}")))
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new().prefix(".parindex-").tempfile_in(dir).map_err(fail)?;
    temp.write_all(bytes).map_err(fail)?;
    temp.as_file().sync_all().map_err(fail)?;
    temp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// A path with its folder resolved, so that `./a.csv` and `a.csv` compare equal even
/// when the file does not exist yet.
fn resolved(path: &Path) -> std::path::PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    path.file_name().map_or(dir.clone(), |name| dir.join(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_files_and_refuses_inputs() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("self.csv");
        std::fs::write(&input, "keep me").unwrap();
        let refused = write_file(&dir.path().join("./self.csv"), b"x", &[&input]).unwrap_err();
        assert_eq!(refused.code, "output-is-input");
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "keep me");
        let out = dir.path().join("result.csv");
        write_file(&out, b"new", &[&input]).unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "new");
        let leftovers = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with(".parindex-"))
            .count();
        assert_eq!(leftovers, 0);
    }

    #[test]
    fn a_missing_folder_fails_without_writing() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_file(&dir.path().join("no/such/out.csv"), b"x", &[]).unwrap_err();
        assert_eq!(err.code, "write-failed");
    }
}
