//! Fixes: choose the fixes a run may apply, apply them without overlap, and write the result
//! atomically (a temporary file in the same folder, then a rename), keeping permissions and
//! refusing a file that changed since it was read. Line endings and BOM are kept because only
//! the edited bytes change: for UTF-8 files the text *is* the file.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Edit, Safety};
use crate::rules::Family;

/// Which fixes a run applies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FixMode {
    #[default]
    Off,
    /// `--fix`: safe fixes.
    Safe,
    /// `--fix --unsafe-fixes`.
    Unsafe,
}

impl FixMode {
    pub fn allows(self, safety: Safety) -> bool {
        match self {
            FixMode::Off => false,
            FixMode::Safe => safety == Safety::Safe,
            FixMode::Unsafe => true,
        }
    }
}

/// The edits of `diagnostic`'s fix if a run in `mode` applies it. Corpus findings compare
/// files; their "fixes" are never applied file by file.
pub fn applicable(diagnostic: &Diagnostic, mode: FixMode) -> Option<&[Edit]> {
    let fix = diagnostic.fix.as_ref()?;
    (diagnostic.rule.family != Family::Corpus && mode.allows(fix.safety) && !fix.edits.is_empty())
        .then_some(fix.edits.as_slice())
}

/// Apply the allowed fixes of `diagnostics` to `text`. Fixes whose edits overlap an earlier
/// accepted fix wait for the next pass. Returns the new text and the number of fixes applied.
pub fn apply(text: &str, diagnostics: &[Diagnostic], mode: FixMode) -> (String, usize) {
    let mut fixes: Vec<&[Edit]> = diagnostics
        .iter()
        .filter_map(|d| applicable(d, mode))
        .collect();
    fixes.sort_by_key(|edits| edits.iter().map(|e| e.span.start).min().unwrap_or(0));
    let mut accepted: Vec<&Edit> = Vec::new();
    // Accepted spans by start, for O(log n) overlap checks (a long line can carry thousands).
    let mut taken: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    let clashes_with_taken = |taken: &std::collections::BTreeMap<usize, usize>, e: &Edit| {
        let before = taken.range(..=e.span.start).next_back();
        let after = taken.range(e.span.start + 1..).next();
        before.is_some_and(|(&s, &end)| overlaps(&(s..end), &e.span))
            || after.is_some_and(|(&s, &end)| overlaps(&(s..end), &e.span))
    };
    let mut count = 0;
    for edits in fixes {
        // A fix's own edits come from one rule and do not overlap each other.
        let clashes = edits.iter().any(|e| {
            e.span.end > text.len()
                || !text.is_char_boundary(e.span.start)
                || !text.is_char_boundary(e.span.end)
                || clashes_with_taken(&taken, e)
        });
        if clashes {
            continue;
        }
        for e in edits {
            taken.insert(e.span.start, e.span.end);
        }
        accepted.extend(edits.iter());
        count += 1;
    }
    accepted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in accepted {
        out.push_str(&text[at..edit.span.start]);
        out.push_str(&edit.replacement);
        at = edit.span.end;
    }
    out.push_str(&text[at..]);
    (out, count)
}

/// Two edits touch the same bytes (or insert at the same place).
fn overlaps(a: &std::ops::Range<usize>, b: &std::ops::Range<usize>) -> bool {
    (a.start < b.end && b.start < a.end) || a.start == b.start
}

/// Why a fixed file was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("the file changed while artlint was fixing it; not written (run again)")]
    ChangedUnderneath,
    #[error("cannot write the fixed file: {0}")]
    Io(#[from] std::io::Error),
}

/// Replace `path`'s content with `new`, if it still holds `old`.
pub fn write_atomically(path: &Path, old: &str, new: &str) -> Result<(), WriteError> {
    // Through a symbolic link, the post is the link's target: replace that, keep the link.
    let resolved = std::fs::canonicalize(path)?;
    let path = resolved.as_path();
    let current = std::fs::read(path)?;
    if current != old.as_bytes() {
        return Err(WriteError::ChangedUnderneath);
    }
    crate::atomic_write::replace_file(path, crate::atomic_write::Fallback::Refuse, |out| {
        out.write_all(new.as_bytes())
    })?;
    Ok(())
}

/// A unified diff of one file, for `--diff`.
pub fn unified_diff(path: &Path, old: &str, new: &str) -> String {
    let shown = path.display().to_string();
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(&shown, &shown)
        .to_string()
}
