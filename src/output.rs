//! Writing results: whole or not at all, and never over an input file.

use std::io::Write;
use std::path::Path;

use crate::diagnostic::Diagnostic;

/// Writes `bytes` to `path` through a temporary file in the same folder, renamed into
/// place once complete: a failure leaves any earlier file as it was. Refuses a path that
/// is one of `inputs`.
pub fn write_file(path: &Path, bytes: &[u8], inputs: &[&Path]) -> Result<(), Box<Diagnostic>> {
    write_with(path, inputs, |w| w.write_all(bytes))
}

/// Several files written as one: each through its temporary file, and renamed into
/// place only once every one is complete; each path checked against `inputs` first.
pub fn write_files(files: &[(&Path, &[u8])], inputs: &[&Path]) -> Result<(), Box<Diagnostic>> {
    let mut staged = Vec::new();
    for (path, bytes) in files {
        let mut s = Staged::create(path, inputs)?;
        s.write_all(bytes).map_err(|e| s.fail(&e))?;
        staged.push(s);
    }
    staged.into_iter().try_for_each(Staged::commit)
}

/// [`write_file`] for output written piece by piece, never held whole in memory.
pub fn write_with(
    path: &Path,
    inputs: &[&Path],
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Box<Diagnostic>> {
    let mut staged = Staged::create(path, inputs)?;
    write(&mut staged).map_err(|e| staged.fail(&e))?;
    staged.commit()
}

/// An output being written: a temporary file beside its destination, renamed into place
/// by [`Staged::commit`], removed if dropped uncommitted.
pub struct Staged {
    path: std::path::PathBuf,
    file: std::io::BufWriter<tempfile::NamedTempFile>,
}

impl Staged {
    /// Starts writing `path`, refusing a path that is one of `inputs`.
    pub fn create(path: &Path, inputs: &[&Path]) -> Result<Self, Box<Diagnostic>> {
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
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".parindex-");
        // A temporary file is private; the result is an ordinary file others may read.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o644));
        }
        let temp = builder.tempfile_in(dir).map_err(|e| write_failed(&shown, &e))?;
        Ok(Staged { path: path.to_path_buf(), file: std::io::BufWriter::new(temp) })
    }

    /// The diagnostic for a failed write to this output.
    pub fn fail(&self, e: &std::io::Error) -> Box<Diagnostic> {
        write_failed(&self.path.display().to_string(), e)
    }

    /// Finishes the file and renames it into place.
    pub fn commit(mut self) -> Result<(), Box<Diagnostic>> {
        self.file.flush().map_err(|e| self.fail(&e))?;
        let shown = self.path.display().to_string();
        let temp = self.file.into_inner().map_err(|e| write_failed(&shown, e.error()))?;
        temp.as_file().sync_all().map_err(|e| write_failed(&shown, &e))?;
        temp.persist(&self.path).map_err(|e| write_failed(&shown, &e.error))?;
        Ok(())
    }
}

impl Write for Staged {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

fn write_failed(shown: &str, e: &std::io::Error) -> Box<Diagnostic> {
    Box::new(Diagnostic::error("write-failed", format!("cannot write {shown}: {e}")))
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
