//! Baselines: freeze a legacy corpus's findings and report only new ones. A finding's identity
//! is its path, its rule and a fingerprint of the offending text and its line (not the line
//! number), so it survives edits elsewhere in the file.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;

const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct File {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Clone, Serialize, Deserialize, PartialEq, Eq, Hash)]
struct Entry {
    path: String,
    code: String,
    fingerprint: String,
    /// For people reading the file; not part of the identity.
    message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read the baseline {0}: {1}")]
    Read(String, std::io::Error),
    #[error("{0} is not an artlint baseline: {1}")]
    Parse(String, String),
    #[error("cannot write the baseline {0}: {1}")]
    Write(String, std::io::Error),
}

fn entry(d: &Diagnostic) -> Entry {
    Entry {
        path: d.path.display().to_string().replace('\\', "/"),
        code: d.rule.code.to_string(),
        fingerprint: format!("{:016x}", d.fingerprint),
        message: d.message.clone(),
    }
}

/// Write every finding of `diagnostics` to `path`.
pub fn write(path: &Path, diagnostics: &[Diagnostic]) -> Result<usize, BaselineError> {
    let file = File {
        version: VERSION,
        findings: diagnostics.iter().map(entry).collect(),
    };
    let text = serde_json::to_string_pretty(&file)
        .map_err(|e| BaselineError::Parse(path.display().to_string(), e.to_string()))?;
    std::fs::write(path, text + "\n")
        .map_err(|e| BaselineError::Write(path.display().to_string(), e))?;
    Ok(file.findings.len())
}

/// Remove the findings recorded in the baseline at `path`. Returns how many recorded findings
/// no longer occur (the baseline can shrink by that much), of those `scope` says this run
/// looked for.
pub fn filter(
    path: &Path,
    diagnostics: &mut Vec<Diagnostic>,
    scope: &Scope<'_>,
) -> Result<usize, BaselineError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| BaselineError::Read(shown.clone(), e))?;
    let file: File = serde_json::from_str(&text)
        .map_err(|e| BaselineError::Parse(shown.clone(), e.to_string()))?;
    if file.version != VERSION {
        return Err(BaselineError::Parse(
            shown,
            format!("version {} (expected {VERSION})", file.version),
        ));
    }
    // A multiset: the same finding twice in a file is recorded twice.
    let mut remaining: HashMap<(String, String, String), usize> = HashMap::new();
    for e in file.findings {
        *remaining
            .entry((e.path, e.code, e.fingerprint))
            .or_default() += 1;
    }
    diagnostics.retain(|d| {
        let e = entry(d);
        match remaining.get_mut(&(e.path, e.code, e.fingerprint)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        }
    });
    // Gone are the recorded findings this run could have met again and did not: not those of
    // files it did not check or rules it did not run (a hook's few files, `--select`, a shard).
    // A cross-file finding also needs the other files: it counts only if the run checked every
    // file the baseline names.
    // The findings of a post that no longer exists (deleted, renamed) are gone wherever the
    // run looked.
    let mut files: HashMap<&str, (bool, bool)> = HashMap::new();
    for (path, _, _) in remaining.keys() {
        files
            .entry(path)
            .or_insert_with(|| ((scope.checked)(path), !Path::new(path).exists()));
    }
    let every_file = files.values().all(|(checked, deleted)| checked | deleted);
    Ok(remaining
        .iter()
        .filter(|((path, code, _), n)| {
            let (_, deleted) = files[path.as_str()];
            **n > 0
                && (deleted || (scope.ran)(path, code))
                && (every_file || !crate::corpus::is_cross_file(code))
        })
        .map(|(_, n)| n)
        .sum())
}

/// What a run looked at, for telling which recorded findings are gone.
pub struct Scope<'a> {
    /// Whether the run checked the file at this path (as the baseline spells it).
    pub checked: &'a dyn Fn(&str) -> bool,
    /// Whether it checked that file with the rule of this code.
    pub ran: &'a dyn Fn(&str, &str) -> bool,
}

/// Offending text (and line text) up to this long is hashed whole; of a longer one, its first
/// and last [`END_BYTES`] and its length. Nested findings (a boilerplate block inside another,
/// thousands deep, on one line) each span the rest of the post: hashed whole, they made the run
/// quadratic.
pub const WHOLE_BYTES: usize = 4096;
const END_BYTES: usize = WHOLE_BYTES / 2;

/// FNV-1a, byte by byte.
struct Fnv(u64);

impl Fnv {
    fn bytes(&mut self, bytes: impl IntoIterator<Item = u8>) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// All of `text`, or its two ends and its length past [`WHOLE_BYTES`] (short texts hash
    /// as fingerprints always did: baselines hold them).
    fn text(&mut self, text: &str) {
        let text = text.as_bytes();
        if text.len() <= WHOLE_BYTES {
            self.bytes(text.iter().copied());
            return;
        }
        self.bytes(text[..END_BYTES].iter().copied());
        self.bytes((text.len() as u64).to_le_bytes());
        self.bytes(text[text.len() - END_BYTES..].iter().copied());
    }
}

/// The fingerprint of a finding: its rule, the offending text, the text of its line (trimmed;
/// of either text longer than [`WHOLE_BYTES`], its ends) and its message without digits
/// (messages can name line numbers), hashed. Stable across runs and platforms.
pub fn fingerprint(code: &str, offending: &str, line: &str, message: &str) -> u64 {
    let mut hash = Fnv(0xcbf2_9ce4_8422_2325);
    hash.bytes(code.bytes());
    hash.bytes([0]);
    hash.text(offending);
    hash.bytes([0]);
    hash.text(line.trim());
    hash.bytes([0]);
    // The message's digits are left out byte by byte: no byte of a multi-byte UTF-8 character
    // is an ASCII digit, so this is the text without its digit characters, as it always was
    // (baselines hold these hashes), without building that text for every finding.
    hash.bytes(message.bytes().filter(|b| !b.is_ascii_digit()));
    hash.0
}

#[cfg(test)]
mod tests {
    use super::fingerprint;

    /// Baselines written by earlier versions hold fingerprints made of the message's characters
    /// other than digits, each part's bytes hashed with FNV-1a: the byte-wise filter gives the
    /// same hashes, whatever the script (CJK, full-width digits, which are not ASCII digits,
    /// emoji).
    #[test]
    fn fingerprints_are_those_existing_baselines_hold() {
        let fnv = |parts: &[&str]| {
            let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
            for b in parts.iter().flat_map(|p| p.bytes()) {
                hash ^= u64::from(b);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
            hash
        };
        for (offending, line, message) in [
            (
                "",
                "",
                "6 posts have the same body text; also a/1.md, b/22.md",
            ),
            (
                "<img>",
                "  <p><img src=x></p>  ",
                "line 12: `<img>` has no alt",
            ),
            (
                "责任编辑：梁斌 SF055",
                "责任编辑：梁斌 SF055",
                "编辑行 第３段 12 🙂 ٣",
            ),
            ("", "", ""),
        ] {
            let without_digits: String = message.chars().filter(|c| !c.is_ascii_digit()).collect();
            let expected = fnv(&[
                "X001",
                "\0",
                offending,
                "\0",
                line.trim(),
                "\0",
                &without_digits,
            ]);
            assert_eq!(
                fingerprint("X001", offending, line, message),
                expected,
                "{message}"
            );
        }
        // Offending text up to the cap hashes whole (what baselines hold); past it, by its
        // ends and length: a change in the middle keeps the fingerprint, one at either end or
        // in the length does not.
        let at_cap = "x".repeat(super::WHOLE_BYTES);
        assert_eq!(
            fingerprint("X001", &at_cap, "", ""),
            fnv(&["X001", "\0", &at_cap, "\0", "", "\0"])
        );
        let long = |middle: &str, ends: &str| {
            format!(
                "{ends}{}{middle}{}{ends}",
                "a".repeat(3000),
                "b".repeat(3000)
            )
        };
        let base = fingerprint("X001", &long("m", "e"), "", "");
        assert_eq!(base, fingerprint("X001", &long("n", "e"), "", ""));
        assert_ne!(base, fingerprint("X001", &long("m", "f"), "", ""));
        assert_ne!(base, fingerprint("X001", &long("mm", "e"), "", ""));
        // The line's text likewise (a finding on a one-line post of megabytes).
        let line = fingerprint("X001", "", &long("m", "e"), "");
        assert_eq!(line, fingerprint("X001", "", &long("n", "e"), ""));
        assert_ne!(line, fingerprint("X001", "", &long("m", "f"), ""));
        assert_ne!(line, fingerprint("X001", "", &long("mm", "e"), ""));
        // Messages that differ only in their digits share a fingerprint.
        assert_eq!(
            fingerprint("X001", "", "", "line 12"),
            fingerprint("X001", "", "", "line 345")
        );
    }
}
