//! Replacing a file whole: the new content goes to a temporary file in the same folder, renamed
//! over the target once complete, so a failed or interrupted write never leaves half a file in
//! place of the old one. A symbolic link is followed (its target is replaced, the link kept),
//! and the old file's permissions are kept. A file a plain write could not open is refused, as
//! a plain write would be.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes of many small pieces (a report) reach the file, or standard output, in chunks of this
/// size.
pub(crate) const BUFFER_BYTES: usize = 64 * 1024;

/// How far a write may fall back from renaming a new file over the target.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Fallback {
    /// Only devices and pipes are written in place; a regular file is always renamed over, and
    /// the write fails when no temporary file can be made beside it. For fixes (never half a
    /// file), the cache (a run maps the file it replaces) and artlint's other files.
    Refuse,
    /// A report: also written in place when its path names a stream (`/dev/stdout`,
    /// `/proc/self/fd/1`) or when no temporary file can be made beside it (a folder we may
    /// not write to, holding a file we may), as a plain write would.
    InPlace,
}

/// Replace `path` with what `write` writes. A path that exists but is not a regular file
/// (`/dev/null`, a pipe) is written in place: renaming over it would replace the device. So is,
/// for a report ([`Fallback::InPlace`]), a path that names a stream (`/dev/stdout`,
/// `/proc/self/fd/1`): renaming would replace the file the shell opened. Any other regular
/// file is renamed over, under `/dev/shm` or `/proc/self/cwd` too: the cache maps the file it
/// replaces, and writing into it would pull the pages from under the run.
pub fn replace_file(
    path: &Path,
    fallback: Fallback,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let existing = std::fs::metadata(path).ok();
    let not_regular = existing.as_ref().is_some_and(|m| !m.is_file());
    let stream = path.starts_with("/dev") || path.starts_with("/proc");
    if not_regular || (stream && fallback == Fallback::InPlace) {
        return write_file(File::create(path)?, write);
    }
    let target = match &existing {
        Some(_) => {
            // Refused where a plain write would be (read-only file, no permission), not
            // silently replaced. Opening without truncating changes nothing.
            OpenOptions::new().write(true).open(path)?;
            std::fs::canonicalize(path)?
        }
        None => path.to_path_buf(),
    };
    let (tmp, file) = match create_temporary_beside(&target) {
        Ok(made) => made,
        Err(e) if fallback == Fallback::InPlace && e.kind() == io::ErrorKind::PermissionDenied => {
            return write_file(File::create(&target)?, write);
        }
        Err(e) => return Err(e),
    };
    let result = write_file(file, write)
        .and_then(|()| match existing {
            Some(metadata) => std::fs::set_permissions(&tmp, metadata.permissions()),
            None => Ok(()),
        })
        .and_then(|()| std::fs::rename(&tmp, &target));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// How many temporary names this process has taken: two replacements of one file (a fix reaching
/// it through two links) never share one.
static TEMPORARIES: AtomicU64 = AtomicU64::new(0);

/// A new file `.NAME.artlint-PID-N.tmp` in `target`'s folder (hidden, and on the same file
/// system for the rename), created exclusively: never one that already exists, a link planted
/// there included.
fn create_temporary_beside(target: &Path) -> io::Result<(PathBuf, File)> {
    let name = target
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let folder = crate::discover::folder_of(target);
    loop {
        let n = TEMPORARIES.fetch_add(1, Ordering::Relaxed);
        let tmp = folder.join(format!(".{name}.artlint-{}-{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            // Left by another process of the same number, or planted: try the next name.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1_000_000 => {}
            Err(e) => return Err(e),
        }
    }
}

fn write_file(file: File, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(BUFFER_BYTES, file);
    write(&mut out)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        std::fs::write(&path, "the old report").unwrap();
        let result = replace_file(&path, Fallback::Refuse, |out| {
            out.write_all(b"half a new rep")?;
            Err(io::Error::other("disk full"))
        });
        assert_eq!(result.unwrap_err().to_string(), "disk full");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "the old report");
        assert_eq!(names_in(dir.path()), ["report.json"]);
    }

    #[test]
    fn a_new_file_is_written_and_permissions_of_an_old_one_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.txt");
        replace_file(&path, Fallback::Refuse, |out| out.write_all(b"one")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
            replace_file(&path, Fallback::Refuse, |out| out.write_all(b"two")).unwrap();
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        assert_eq!(names_in(dir.path()), ["new.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_written_in_place_not_replaced() {
        for fallback in [Fallback::InPlace, Fallback::Refuse] {
            replace_file(Path::new("/dev/null"), fallback, |out| out.write_all(b"x")).unwrap();
            let kind = std::fs::symlink_metadata("/dev/null").unwrap().file_type();
            assert!(!kind.is_file(), "/dev/null is still a device");
        }
    }

    /// Through `/proc/self/cwd`, a file is replaced, not written into: a reader that mapped
    /// the old one (the cache) keeps it whole.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_under_proc_is_replaced_not_written_into() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("results.bin");
        std::fs::write(&path, b"old contents").unwrap();
        let old = std::fs::File::open(&path).unwrap();
        let through_proc = Path::new("/proc/self/root").join(path.strip_prefix("/").unwrap());
        replace_file(&through_proc, Fallback::Refuse, |out| out.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        // The file opened before is another file now, unchanged.
        let mut kept = String::new();
        std::io::Read::read_to_string(&mut &old, &mut kept).unwrap();
        assert_eq!(kept, "old contents");
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_temporary_name_is_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.txt");
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "keep").unwrap();
        // Every name this process could pick next, made a link to the victim.
        // (Other tests may take names meanwhile: then this one plants more than it needs.)
        let next = TEMPORARIES.load(Ordering::Relaxed);
        for n in next..next + 64 {
            let name = format!(".report.txt.artlint-{}-{n}.tmp", std::process::id());
            std::os::unix::fs::symlink(&victim, dir.path().join(name)).unwrap();
        }
        replace_file(&path, Fallback::Refuse, |out| out.write_all(b"report")).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "report");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_kept_and_its_target_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.txt");
        let link = dir.path().join("link.txt");
        std::fs::write(&target, "old").unwrap();
        std::os::unix::fs::symlink(&target, &link).unwrap();
        replace_file(&link, Fallback::Refuse, |out| out.write_all(b"new")).unwrap();
        assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(names_in(dir.path()), ["link.txt", "target.txt"]);
    }
}
