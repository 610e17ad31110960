//! Writing results: whole or not at all, never over an input file, a device or pipe
//! written as it is, and no temporary file left behind — not even when the run is stopped
//! by Ctrl+C, `kill` or a closed terminal.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::diagnostic::Diagnostic;
use crate::tr;

/// Writes `bytes` to `path` through a temporary file in the same folder, renamed into
/// place once complete: a failure leaves any earlier file as it was. Refuses a path that
/// is one of `inputs`.
pub(crate) fn write_file(
    path: &Path,
    bytes: &[u8],
    inputs: &[&Path],
) -> Result<(), Box<Diagnostic>> {
    write_with(path, inputs, |w| w.write_all(bytes))
}

/// Several files written as one: each through its temporary file, and renamed into
/// place only once every one is complete, while no other run of parindex renames files
/// into the same place (a lock file beside the first is held for the renames); each path
/// checked against `inputs` first. A rename that fails (a name the disk refuses, a file
/// held open by Word on Windows) undoes those before it: each file replaced is put back
/// as it was, each new one removed, so that the set is written whole or not at all.
pub(crate) fn write_files(
    files: &[(&Path, &[u8])],
    inputs: &[&Path],
) -> Result<(), Box<Diagnostic>> {
    let mut staged = Vec::new();
    for (path, bytes) in files {
        let mut s = Staged::create(path, inputs)?;
        s.write_all(bytes).map_err(|e| s.fail(&e))?;
        s.ready()?;
        staged.push(s);
    }
    let lock = match staged.iter().find(|s| matches!(s.sink, Some(Sink::Temp(_)))) {
        Some(first) => Lock::beside(&first.path).map_err(|e| first.fail(&e))?,
        None => None,
    };
    let mut writing = writing();
    let done = rename_all(&mut staged, &mut writing);
    if let Some(lock) = lock {
        lock.release(&mut writing);
    }
    // The registry is let go before any file not renamed is removed: removing takes it.
    drop(writing);
    drop(staged);
    done
}

/// Renames every staged file into place, or none: a file about to be replaced is first
/// kept under a temporary name (a hard link, or a copy where the disk has none), to be
/// put back if a later rename fails, and removed once every file is in place. The
/// registry is held throughout, so a signal finds the set whole, or as it was.
fn rename_all(staged: &mut [Staged], writing: &mut Vec<PathBuf>) -> Result<(), Box<Diagnostic>> {
    // Each file renamed, with where its earlier contents are kept, if it had any.
    let mut placed: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
    let mut done = Ok(());
    for s in staged.iter_mut() {
        if !matches!(s.sink, Some(Sink::Temp(_))) {
            continue;
        }
        let earlier = match keep_earlier(&s.path, writing) {
            Ok(earlier) => earlier,
            Err(e) => {
                done = Err(s.fail(&e));
                break;
            }
        };
        if let Err(e) = s.rename(writing) {
            if let Some(kept) = &earlier {
                let _ = fs::remove_file(kept);
                writing.retain(|p| p != kept);
            }
            done = Err(e);
            break;
        }
        placed.push((s.path.clone(), earlier));
    }
    for (path, earlier) in placed.iter().rev() {
        match (&done, earlier) {
            (Ok(()), Some(kept)) => {
                let _ = fs::remove_file(kept);
            }
            (Ok(()), None) => {}
            (Err(_), Some(kept)) => {
                let _ = fs::rename(kept, path);
            }
            (Err(_), None) => {
                let _ = fs::remove_file(path);
            }
        }
        if let Some(kept) = earlier {
            writing.retain(|p| p != kept);
        }
    }
    done
}

/// The file at `path`, if there is one, kept under a new temporary name beside it (and
/// listed in `writing`, so that a stopped run removes it); `path` itself is untouched.
fn keep_earlier(path: &Path, writing: &mut Vec<PathBuf>) -> io::Result<Option<PathBuf>> {
    if !fs::symlink_metadata(path).is_ok_and(|m| m.is_file()) {
        return Ok(None);
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let kept = tempfile::Builder::new()
        .prefix(".parindex-")
        .suffix(".earlier")
        .tempfile_in(dir)?
        .into_temp_path()
        .keep()
        .map_err(|e| e.error)?;
    writing.push(kept.clone());
    let linked = fs::remove_file(&kept).and_then(|()| fs::hard_link(path, &kept));
    if linked.is_err()
        && let Err(e) = fs::copy(path, &kept)
    {
        let _ = fs::remove_file(&kept);
        writing.retain(|p| *p != kept);
        return Err(e);
    }
    Ok(Some(kept))
}

/// [`write_file`] for output written piece by piece, never held whole in memory.
pub(crate) fn write_with(
    path: &Path,
    inputs: &[&Path],
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Box<Diagnostic>> {
    let mut staged = Staged::create(path, inputs)?;
    write(&mut staged).map_err(|e| staged.fail(&e))?;
    staged.commit()
}

/// Whether `path` is written as it is, not replaced: a device (`/dev/null`), a pipe, or
/// a name in `/dev` (`/dev/stdout`). Such an output cannot be replaced by a renamed
/// file, and has no folder to hold a CSV result's audit trail beside it.
pub(crate) fn is_device(path: &Path) -> bool {
    matches!(way(path), Ok(Way::Direct))
}

/// An output being written: a temporary file beside its destination, renamed into place
/// by [`Staged::commit`], removed if dropped uncommitted; or a device or pipe, written
/// as it goes.
pub(crate) struct Staged {
    path: PathBuf,
    /// `None` once renamed into place or removed.
    sink: Option<Sink>,
}

enum Sink {
    /// A temporary file beside the destination, in the registry of files being written.
    Temp(BufWriter<tempfile::NamedTempFile>),
    /// A device or pipe: nothing there to replace, or to leave behind.
    Direct(BufWriter<File>),
}

impl Staged {
    /// Starts writing `path`, refusing a path that is one of `inputs` or a folder.
    pub(crate) fn create(path: &Path, inputs: &[&Path]) -> Result<Self, Box<Diagnostic>> {
        refuse_inputs(path, inputs)?;
        let shown = path.display().to_string();
        // A link to an earlier result (`latest.csv` → `2025/ket-qua.csv`) stays a link:
        // the file it points to is the one replaced.
        let linked = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        let resolved = if linked { fs::canonicalize(path).ok() } else { None };
        let path = resolved.as_deref().unwrap_or(path);
        let sink = match way(path)? {
            Way::Direct => {
                // Appended to, as a shell's `>>` does: standard output may be a file
                // that holds more than this run writes.
                let file = fs::OpenOptions::new()
                    .append(true)
                    .open(path)
                    .map_err(|e| write_failed(&shown, &e))?;
                Sink::Direct(BufWriter::new(file))
            }
            Way::Replace => {
                let dir = match path.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d,
                    _ => Path::new("."),
                };
                let mut builder = tempfile::Builder::new();
                builder.prefix(".parindex-");
                // A temporary file is private; the result is an ordinary file others may
                // read, or keeps the mode of the one it replaces (a result kept 0600 stays
                // private).
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    let mode =
                        fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o7777);
                    builder.permissions(fs::Permissions::from_mode(mode));
                }
                clean_up_on_signals();
                // Made and listed at once, so that a signal finds every file it must remove.
                let mut writing = writing();
                let temp = builder.tempfile_in(dir).map_err(|e| write_failed(&shown, &e))?;
                writing.push(temp.path().to_path_buf());
                Sink::Temp(BufWriter::new(temp))
            }
        };
        Ok(Staged { path: path.to_path_buf(), sink: Some(sink) })
    }

    /// The diagnostic for a failed write to this output.
    pub(crate) fn fail(&self, e: &io::Error) -> Box<Diagnostic> {
        write_failed(&self.path.display().to_string(), e)
    }

    /// Finishes the file and renames it into place.
    pub(crate) fn commit(mut self) -> Result<(), Box<Diagnostic>> {
        self.ready()?;
        let mut writing = writing();
        let done = self.rename(&mut writing);
        drop(writing);
        done
    }

    /// Writes out what is buffered and makes it durable, short of the rename.
    fn ready(&mut self) -> Result<(), Box<Diagnostic>> {
        let done = match &mut self.sink {
            Some(Sink::Temp(file)) => {
                file.flush().and_then(|()| file.get_ref().as_file().sync_all())
            }
            Some(Sink::Direct(file)) => file.flush(),
            None => Ok(()),
        };
        done.map_err(|e| self.fail(&e))
    }

    /// Renames a [`ready`](Self::ready) file into place, and takes it off the registry.
    fn rename(&mut self, writing: &mut Vec<PathBuf>) -> Result<(), Box<Diagnostic>> {
        let Some(Sink::Temp(file)) = self.sink.take() else { return Ok(()) };
        let (temp, _) = file.into_parts();
        let listed = temp.path().to_path_buf();
        let done = temp.persist(&self.path).map(drop).map_err(|e| {
            let failed = self.fail(&e.error);
            drop(e.file);
            failed
        });
        writing.retain(|p| *p != listed);
        done
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Some(Sink::Temp(file)) = self.sink.take() {
            let mut writing = writing();
            let (temp, _) = file.into_parts();
            let listed = temp.path().to_path_buf();
            drop(temp);
            writing.retain(|p| *p != listed);
        }
    }
}

impl Write for Staged {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.sink {
            Some(Sink::Temp(file)) => file.write(buf),
            Some(Sink::Direct(file)) => file.write(buf),
            None => Err(io::Error::other("the output is already finished")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Some(Sink::Temp(file)) => file.flush(),
            Some(Sink::Direct(file)) => file.flush(),
            None => Ok(()),
        }
    }
}

/// Refuses `path` when it is one of `inputs`: the same file however it is spelt
/// (`./round.toml`, `vong/../round.toml`, an absolute path, a symbolic or hard link).
pub(crate) fn refuse_inputs(path: &Path, inputs: &[&Path]) -> Result<(), Box<Diagnostic>> {
    let Some(input) = inputs.iter().find(|i| same_file(path, i)) else { return Ok(()) };
    let (path, input) = (path.display(), input.display());
    Err(Box::new(
        Diagnostic::error(
            "output-is-input",
            tr!(
                "refusing to write {path}: it is an input of this run ({input})",
                "không ghi vào {path}: đây là tệp đầu vào của lần chạy này ({input})"
            ),
        )
        .help(tr!("choose another output file with -o", "chọn tệp kết quả khác bằng -o")),
    ))
}

/// Whether `a` and `b` name one file: the same device and inode where both exist (on
/// Unix), else the same path once resolved.
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (fs::metadata(a), fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    resolved(a) == resolved(b)
}

/// How an output is written.
enum Way {
    /// Through a temporary file renamed over it.
    Replace,
    /// As it is: a device or pipe.
    Direct,
}

fn way(path: &Path) -> Result<Way, Box<Diagnostic>> {
    match fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            let path = path.display();
            Err(Box::new(
                Diagnostic::error(
                    "output-is-folder",
                    tr!(
                        "refusing to write {path}: it is a folder, not a file",
                        "không ghi vào {path}: đây là thư mục, không phải tệp"
                    ),
                )
                .help(tr!(
                    "name a file in it with -o, or standard output with -o -",
                    "ghi tên một tệp trong thư mục đó sau -o, hoặc ghi ra đầu ra chuẩn (màn hình) bằng -o -"
                )),
            ))
        }
        Ok(m) if !m.is_file() => Ok(Way::Direct),
        _ if in_devices(path) => Ok(Way::Direct),
        _ => Ok(Way::Replace),
    }
}

/// Whether `path` is a name in `/dev` or `/proc` (`/dev/stdout`, `/dev/fd/1`): a
/// rename would replace the name, not write to what it stands for.
fn in_devices(path: &Path) -> bool {
    if !cfg!(unix) {
        return false;
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    dir.canonicalize().is_ok_and(|d| d == Path::new("/dev") || d.starts_with("/proc"))
}

fn write_failed(shown: &str, e: &io::Error) -> Box<Diagnostic> {
    // The temporary file's name, which tempfile adds to its errors (` at path
    // "…/.parindex-rRVEez"`), is left out: the user named another file, and the name
    // changes on every run.
    let reason = e.to_string();
    let reason = reason.split(" at path \"").next().unwrap_or_default();
    Box::new(Diagnostic::error(
        "write-failed",
        tr!("cannot write {shown}: {reason}", "không ghi được {shown}: {reason}"),
    ))
}

/// A path with its folder resolved, so that `./a.csv` and `a.csv` compare equal even
/// when the file does not exist yet.
fn resolved(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    path.file_name().map_or(dir.clone(), |name| dir.join(name))
}

/// The files this run is writing and would leave behind if it stopped now: temporary
/// files, and the lock file of files renamed together.
static WRITING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn writing() -> MutexGuard<'static, Vec<PathBuf>> {
    WRITING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Once a temporary file is about to be made: on SIGINT (Ctrl+C), SIGTERM or SIGHUP,
/// remove every file in [`WRITING`], then end as the signal asks, so that the shell sees
/// 130, 143 or 129 as usual. The registry is held from then on: a file being made or
/// renamed is finished first, and none is started after.
fn clean_up_on_signals() {
    #[cfg(unix)]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            // A signal the run was started ignoring (`nohup`, a background job of a script)
            // stays ignored: catching it would end a run its caller meant to go on.
            let ignored = ignored_signals();
            let caught: Vec<i32> =
                [SIGINT, SIGTERM, SIGHUP].into_iter().filter(|s| !ignored.contains(s)).collect();
            if caught.is_empty() {
                return;
            }
            let Ok(mut signals) = signal_hook::iterator::Signals::new(caught) else {
                return;
            };
            let watch = move || {
                if let Some(signal) = signals.forever().next() {
                    let writing = writing();
                    for path in writing.iter() {
                        let _ = fs::remove_file(path);
                    }
                    let _ = signal_hook::low_level::emulate_default_handler(signal);
                    std::process::exit(128 + signal);
                }
            };
            let _ = std::thread::Builder::new().name("signals".into()).spawn(watch);
        });
    }
}

/// The signals this process was started ignoring, read from `SigIgn` in
/// `/proc/self/status` (Linux; elsewhere none are known, and all are caught).
#[cfg(unix)]
fn ignored_signals() -> Vec<i32> {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    let mask = status
        .lines()
        .find_map(|l| l.strip_prefix("SigIgn:"))
        .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
        .unwrap_or(0);
    (1..=64).filter(|&n| mask & (1u64 << (n - 1)) != 0).collect()
}

/// A lock file beside an output, held while files are renamed into place together, so
/// that two runs writing the same CSV result and its audit trail cannot interleave their
/// renames and leave a pair that does not belong together.
struct Lock {
    file: File,
    path: PathBuf,
}

impl Lock {
    fn beside(output: &Path) -> io::Result<Option<Lock>> {
        let name = output.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
        let path = output.with_file_name(format!(".{name}.parindex-lock"));
        loop {
            let file =
                fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path)?;
            // A file system without locks (some network and FUSE mounts) still takes the
            // pair: renamed together, unguarded against a second run at the same moment.
            if let Err(e) = file.lock() {
                if e.kind() == std::io::ErrorKind::Unsupported {
                    drop(file);
                    let _ = fs::remove_file(&path);
                    return Ok(None);
                }
                return Err(e);
            }
            // The run before may have removed the file it held: then lock the new one.
            if fs::metadata(&path).is_ok_and(|m| same_open(&file, &m)) {
                writing().push(path.clone());
                return Ok(Some(Lock { file, path }));
            }
        }
    }

    /// Removes the lock file while it is still held, then lets it go.
    fn release(self, writing: &mut Vec<PathBuf>) {
        let _ = fs::remove_file(&self.path);
        writing.retain(|p| *p != self.path);
        drop(self.file);
    }
}

/// Whether the open `file` is the one `now` describes.
fn same_open(file: &File, now: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        file.metadata().is_ok_and(|m| m.dev() == now.dev() && m.ino() == now.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = (file, now);
        true
    }
}

/// The most bytes of an id a file name keeps: disks take names of 255 bytes, and the
/// lock file beside the files adds to the name.
const STEM_BYTES: usize = 120;

/// The names Windows keeps for its devices, with any extension: `con.docx` is the
/// console, not a file.
const DEVICES: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// A file name for each agency id: the id where it is a name every system takes
/// (letters, digits, `-`, `_`, `.`, not starting with a dot, not a device's name on
/// Windows, at most [`STEM_BYTES`] long), else the id with every other character as `_`,
/// `_` before a device's name, cut short; made unique without case (`so-a` and `SO-A` on
/// a Windows disk are one file) by a number, given to the later of two ids, never to an
/// id that is already unique.
pub(crate) fn file_names<'a>(ids: impl Iterator<Item = &'a str>, extension: &str) -> Vec<String> {
    let ids: Vec<&str> = ids.collect();
    let stems: Vec<String> = ids
        .iter()
        .map(|id| {
            let mut stem = String::new();
            for c in id.chars() {
                let c = if c.is_alphanumeric() || "-_.".contains(c) { c } else { '_' };
                if stem.len() + c.len_utf8() > STEM_BYTES {
                    break;
                }
                stem.push(c);
            }
            let device = stem.split('.').next().map(str::to_ascii_lowercase);
            if stem.starts_with('.')
                || stem.is_empty()
                || device.is_some_and(|d| DEVICES.contains(&d.as_str()))
            {
                stem.insert(0, '_');
            }
            stem
        })
        .collect();
    // An id that is its own file name has it first: the agency "a_b" is `a_b.docx`, and
    // the agency "a b", whose name it also is once its space is made `_`, is numbered.
    let mut taken = std::collections::HashSet::new();
    let mut names: Vec<Option<String>> = vec![None; stems.len()];
    for as_it_is in [true, false] {
        for ((name, stem), id) in names.iter_mut().zip(&stems).zip(&ids) {
            if (stem == id) == as_it_is {
                let shown = format!("{stem}.{extension}");
                *name = taken.insert(shown.to_lowercase()).then_some(shown);
            }
        }
    }
    for (name, stem) in names.iter_mut().zip(&stems) {
        if name.is_none() {
            // Of n + 1 numbers one is free: at most n names are taken.
            let numbered = (2..=stems.len() + 2)
                .map(|k| format!("{stem}-{k}.{extension}"))
                .find(|n| !taken.contains(&n.to_lowercase()))
                .expect("some number is free");
            taken.insert(numbered.to_lowercase());
            *name = Some(numbered);
        }
    }
    names.into_iter().map(|n| n.expect("every id is named")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect()
    }

    #[test]
    fn a_set_of_files_is_written_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let (earlier, other) = (dir.path().join("a.docx"), dir.path().join("b.docx"));
        fs::write(&earlier, "earlier").unwrap();
        // A name no disk takes (over 255 bytes), third: the two before it were renamed
        // into place and stayed there, the set half new and half old.
        let long = dir.path().join(format!("{}.docx", "x".repeat(300)));
        let files: [(&Path, &[u8]); 3] = [(&earlier, b"new"), (&other, b"new"), (&long, b"new")];
        let failed = write_files(&files, &[]).unwrap_err();
        assert_eq!(failed.code, "write-failed");
        assert_eq!(fs::read_to_string(&earlier).unwrap(), "earlier");
        assert!(!other.exists());
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
        // Where every name is good, every file is replaced, and nothing kept is left.
        write_files(&files[..2], &[]).unwrap();
        assert_eq!(fs::read_to_string(&earlier).unwrap(), "new");
        assert_eq!(fs::read_to_string(&other).unwrap(), "new");
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    }

    #[test]
    fn writes_whole_files_and_refuses_inputs() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("self.csv");
        fs::write(&input, "keep me").unwrap();
        let refused = write_file(&dir.path().join("./self.csv"), b"x", &[&input]).unwrap_err();
        assert_eq!(refused.code, "output-is-input");
        assert_eq!(fs::read_to_string(&input).unwrap(), "keep me");
        let out = dir.path().join("result.csv");
        write_file(&out, b"new", &[&input]).unwrap();
        assert_eq!(fs::read_to_string(&out).unwrap(), "new");
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    }

    #[test]
    fn an_input_is_known_however_it_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("round.toml");
        fs::write(&input, "keep me").unwrap();
        fs::create_dir(dir.path().join("vong")).unwrap();
        let mut names = vec![
            dir.path().join("vong/../round.toml"),
            dir.path().join("./round.toml"),
            input.canonicalize().unwrap(),
        ];
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&input, dir.path().join("link.toml")).unwrap();
            fs::hard_link(&input, dir.path().join("hard.toml")).unwrap();
            names.extend([dir.path().join("link.toml"), dir.path().join("hard.toml")]);
        }
        for name in names {
            let refused = write_file(&name, b"x", &[&input]).unwrap_err();
            assert_eq!(refused.code, "output-is-input", "{}", name.display());
        }
        assert_eq!(fs::read_to_string(&input).unwrap(), "keep me");
    }

    #[test]
    fn a_pair_is_renamed_together_and_leaves_no_lock_behind() {
        let dir = tempfile::tempdir().unwrap();
        let (csv, side) = (dir.path().join("a.csv"), dir.path().join("a.csv.audit.json"));
        write_files(&[(&csv, b"1"), (&side, b"2")], &[]).unwrap();
        assert_eq!(fs::read(&csv).unwrap(), b"1");
        assert_eq!(fs::read(&side).unwrap(), b"2");
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
        // A pair whose second file cannot be written leaves the first as it was.
        fs::create_dir(dir.path().join("b.csv.audit.json")).unwrap();
        let refused =
            write_files(&[(&csv, b"3"), (&dir.path().join("b.csv.audit.json"), b"4")], &[]);
        assert_eq!(refused.unwrap_err().code, "output-is-folder");
        assert_eq!(fs::read(&csv).unwrap(), b"1");
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    }

    #[test]
    fn a_folder_is_refused_and_a_device_written_as_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_file(dir.path(), b"x", &[]).unwrap_err();
        assert_eq!(err.code, "output-is-folder");
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            write_file(Path::new("/dev/null"), b"x", &[]).unwrap();
            assert!(fs::metadata("/dev/null").unwrap().file_type().is_char_device());
            assert!(is_device(Path::new("/dev/null")));
            assert!(is_device(Path::new("/dev/stdout")));
            assert!(!is_device(&dir.path().join("a.csv")));
        }
    }

    #[test]
    fn a_missing_folder_fails_without_writing() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_file(&dir.path().join("no/such/out.csv"), b"x", &[]).unwrap_err();
        assert_eq!(err.code, "write-failed");
    }

    #[test]
    fn file_names_are_safe_and_unique_without_case() {
        let names = file_names(
            ["so-noi-vu", "SO-NOI-VU", "../etc/passwd", ".an", "xã a/b", "so-noi-vu-2"].into_iter(),
            "docx",
        );
        assert_eq!(
            names,
            [
                "so-noi-vu.docx",
                "SO-NOI-VU-3.docx",
                "_.._etc_passwd.docx",
                "_.an.docx",
                "xã_a_b.docx",
                "so-noi-vu-2.docx"
            ]
        );
    }

    #[test]
    fn file_names_are_names_every_disk_takes() {
        // A 300-character id failed the whole run (File name too long); `con` is the
        // console on Windows.
        let long = "xã".repeat(150);
        let longer = format!("{long}-2");
        let names = file_names(
            [long.as_str(), longer.as_str(), "con", "AUX.1", "com10"].into_iter(),
            "pdf",
        );
        assert!(names.iter().all(|n| n.len() <= STEM_BYTES + 8), "{names:?}");
        assert_eq!(names[0], format!("{}.pdf", "xã".repeat(40)));
        assert_eq!(names[1], format!("{}-2.pdf", "xã".repeat(40)));
        assert_eq!(names[2..], ["_con.pdf", "_AUX.1.pdf", "com10.pdf"]);
        // The id that is a file name as it is keeps it, whatever the order.
        assert_eq!(file_names(["a b", "a_b"].into_iter(), "md"), ["a_b-2.md", "a_b.md"]);
    }
}
