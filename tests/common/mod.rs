//! Helpers shared by the command-line integration tests: run the `artlint` binary in a
//! folder, and write posts into temporary folders.

// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// A clean post: valid YAML front matter with `title` and `date`.
pub fn clean_post(title: &str) -> String {
    format!("---\ntitle: {title}\ndate: 2021-05-22 12:02:19\n---\nBody of the post.\n")
}

/// A post without `date`: exactly one finding, FM004 (error) at 1:1.
pub fn post_missing_date(title: &str) -> String {
    format!("---\ntitle: {title}\n---\nBody of the post.\n")
}

/// The `artlint` binary, with colour off.
pub fn artlint() -> Command {
    let mut cmd = Command::cargo_bin("artlint").expect("the artlint binary is built");
    cmd.env("NO_COLOR", "1");
    cmd
}

/// The `artlint` binary run by a user whom permission bits bind: as it is, or, when the tests
/// run as root (who reads and writes whatever the bits say, as in CI containers), as `nobody`
/// through `setpriv`. `None` for root without `setpriv`. The folders it works in must be
/// readable by others.
#[cfg(unix)]
pub fn artlint_unprivileged() -> Option<Command> {
    let id = std::process::Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&id.stdout).trim() != "0" {
        return Some(artlint());
    }
    let setpriv = std::process::Command::new("setpriv")
        .arg("--version")
        .output()
        .ok()?;
    if !setpriv.status.success() {
        return None;
    }
    let mut cmd = Command::new("setpriv");
    cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(assert_cmd::cargo::cargo_bin("artlint"))
        .env("NO_COLOR", "1");
    Some(cmd)
}

/// Set `path`'s permission bits.
#[cfg(unix)]
pub fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// What one run printed and how it ended.
#[derive(Debug)]
pub struct Run {
    /// `None` when the process was killed by a signal.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The concise report's lines.
    pub fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }

    /// The concise lines for `path` (as artlint prints it).
    pub fn lines_for(&self, path: &str) -> Vec<&str> {
        let prefix = format!("{path}:");
        self.stdout
            .lines()
            .filter(|l| l.starts_with(&prefix))
            .collect()
    }

    /// The stdout parsed as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// No panic, no signal, no internal error: exit code 1 or 2.
    pub fn assert_failed_cleanly(&self) {
        assert!(
            !self.stderr.contains("panicked"),
            "artlint panicked:\n{}",
            self.stderr
        );
        assert!(
            !self.stderr.contains("internal error"),
            "artlint hit an internal error:\n{}",
            self.stderr
        );
        assert!(
            matches!(self.code, Some(1 | 2)),
            "expected exit 1 or 2, got {:?}\nstdout:\n{}\nstderr:\n{}",
            self.code,
            self.stdout,
            self.stderr
        );
    }
}

/// Run `artlint ARGS` with `dir` as the current folder.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    run(artlint().current_dir(dir).args(args))
}

/// Run this artlint command to its end.
pub fn run(command: &mut Command) -> Run {
    let output = command.output().expect("artlint runs");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Write `contents` to `dir/rel`, creating folders as needed; returns the full path.
pub fn write(dir: &Path, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create folders");
    }
    std::fs::write(&path, contents).expect("write file");
    path
}

/// A fresh temporary folder.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("create a temporary folder")
}

/// The codes of the concise lines, in order.
pub fn codes(lines: &[&str]) -> Vec<String> {
    lines
        .iter()
        .filter_map(|l| l.split(": ").nth(1))
        .filter_map(|rest| rest.split(' ').next())
        .map(str::to_string)
        .collect()
}
