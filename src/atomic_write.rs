//! Replacing a file whole: the new content goes to a temporary file in the same folder, renamed
//! over the target once complete, so a failed or interrupted write never leaves half a file in
//! place of the old one. A symbolic link is followed (its target is replaced, the link kept),
//! and the old file's permissions are kept.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Writes of many small pieces (a report) reach the file in chunks of this size.
const BUFFER_BYTES: usize = 64 * 1024;

/// Replace `path` with what `write` writes. A path that exists but is not a regular file
/// (`/dev/null`, a pipe) is written in place: renaming over it would replace the device.
pub fn replace_file(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let existing = std::fs::metadata(path).ok();
    if existing.as_ref().is_some_and(|m| !m.is_file()) {
        return write_file(path, write);
    }
    let target = match &existing {
        Some(_) => std::fs::canonicalize(path)?,
        None => path.to_path_buf(),
    };
    let tmp = temporary_beside(&target);
    let result = write_file(&tmp, write)
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

/// `.NAME.artlint-PID.tmp` in `target`'s folder: hidden, and the same file system for the rename.
fn temporary_beside(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    crate::discover::folder_of(target).join(format!(".{name}.artlint-{}.tmp", std::process::id()))
}

fn write_file(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(BUFFER_BYTES, File::create(path)?);
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
        let result = replace_file(&path, |out| {
            out.write_all(b"half a new rep")?;
            Err(io::Error::other("disk full"))
        });
        assert_eq!(result.unwrap_err().to_string(), "disk full");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "the old report");
        assert_eq!(names_in(dir.path()), ["report.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_kept_and_its_target_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.txt");
        let link = dir.path().join("link.txt");
        std::fs::write(&target, "old").unwrap();
        std::os::unix::fs::symlink(&target, &link).unwrap();
        replace_file(&link, |out| out.write_all(b"new")).unwrap();
        assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(names_in(dir.path()), ["link.txt", "target.txt"]);
    }
}
