//! Report: one module per output format, all reading the same sorted diagnostics.

pub mod concise;
pub mod human;
pub mod json;
pub mod machine;

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::RunResult;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Code frames with labels and help (default on a terminal).
    Human,
    /// `path:line:col: CODE message`, one per line (default when piped).
    Concise,
    /// One JSON document: `{"version": 1, "diagnostics": [...], "summary": {...}}`.
    Json,
    /// One JSON diagnostic per line.
    Jsonl,
    /// SARIF 2.1.0 (GitHub code scanning, IDEs).
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…`), shown as annotations.
    Github,
    /// JUnit XML.
    Junit,
    /// Checkstyle XML.
    Checkstyle,
}

/// Counts for the summary line and the JSON `summary` object.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub files_with_findings: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub fixable: usize,
    pub internal_errors: usize,
    /// With `--baseline`: recorded findings that no longer occur (the baseline can shrink).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_gone: Option<usize>,
}

impl Summary {
    pub fn of(result: &RunResult) -> Summary {
        let d = &result.diagnostics;
        let count = |s: Severity| d.iter().filter(|x| x.severity == s).count();
        // Findings come sorted by path: count where the path changes. A file's findings share
        // one `Arc`, so most neighbours are told equal without reading their paths.
        let path_changes = d
            .windows(2)
            .filter(|w| {
                !std::sync::Arc::ptr_eq(&w[0].path, &w[1].path)
                    && crate::discover::compare_paths(&w[0].path, &w[1].path).is_ne()
            })
            .count();
        Summary {
            files: result.files_checked,
            files_with_findings: if d.is_empty() { 0 } else { path_changes + 1 },
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            fixable: d.iter().filter(|x| x.fix.is_some()).count(),
            internal_errors: result.internal_errors.len(),
            baseline_gone: result.baseline_gone,
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The line that ends a human report.
pub fn summary_line(s: &Summary) -> String {
    let mut line = findings_line(s);
    if let Some(gone) = s.baseline_gone.filter(|g| *g > 0) {
        line.push_str(&format!(
            " {gone} baseline finding{} no longer occur{}: rewrite the baseline to shrink it.",
            if gone == 1 { "" } else { "s" },
            if gone == 1 { "s" } else { "" }
        ));
    }
    line
}

/// A run's wall time as the human report gives it: `0.42 s`, `12.3 s`, `2 min 05 s`.
pub fn duration_text(d: std::time::Duration) -> String {
    let secs = d.as_secs_f64();
    if secs < 10.0 {
        format!("{secs:.2} s")
    } else if secs < 60.0 {
        format!("{secs:.1} s")
    } else {
        let whole = d.as_secs();
        format!("{} min {:02} s", whole / 60, whole % 60)
    }
}

fn findings_line(s: &Summary) -> String {
    let total = s.errors + s.warnings + s.infos;
    if total == 0 {
        return format!(
            "All checks passed: {} checked, no problems found.",
            plural(s.files, "file")
        );
    }
    let mut parts = vec![plural(s.errors, "error"), plural(s.warnings, "warning")];
    if s.infos > 0 {
        parts.push(format!("{} info", s.infos));
    }
    let mut line = format!(
        "Found {} ({}) in {} of {} checked.",
        plural(total, "problem"),
        parts.join(", "),
        s.files_with_findings,
        plural(s.files, "file")
    );
    if s.fixable > 0 {
        line.push_str(&format!(
            " {} a fix.",
            if s.fixable == 1 {
                "1 has".to_string()
            } else {
                format!("{} have", s.fixable)
            }
        ));
    }
    line
}

/// Write `result` in `format` to `out` as it is produced: no format holds the whole report in
/// memory (a JSON report of tens of thousands of findings is tens of megabytes).
pub fn write(
    format: Format,
    result: &RunResult,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::write(result, color, out),
        Format::Concise => concise::write(&result.diagnostics, out),
        Format::Json => json::write(result, out),
        Format::Jsonl => machine::jsonl(result, out),
        Format::Sarif => machine::sarif(result, out),
        Format::Github => machine::github(result, out),
        Format::Junit => machine::junit(result, out),
        Format::Checkstyle => machine::checkstyle(result, out),
    }
}

/// `--statistics`: the counts per rule, then the summary, as a table (human, concise) or as
/// JSON (json, jsonl). The other formats have no place for counts: [`statistics_format`]
/// refuses them before a run.
pub fn write_statistics(format: Format, result: &RunResult, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Json => json::statistics(result, out),
        Format::Jsonl => machine::statistics_jsonl(result, out),
        _ => {
            machine::statistics(result, out)?;
            writeln!(out, "{}", summary_line(&Summary::of(result)))
        }
    }
}

/// Whether `--statistics` can be written in `format`.
pub fn statistics_format(format: Format) -> bool {
    matches!(
        format,
        Format::Human | Format::Concise | Format::Json | Format::Jsonl
    )
}

/// The path as the reports print it; borrowed unless it is not UTF-8 (the same text as
/// `Path::display`, without a `String` per finding).
pub(crate) fn display_path(d: &Diagnostic) -> Cow<'_, str> {
    d.path.to_string_lossy()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn durations_read_at_a_glance() {
        assert_eq!(duration_text(Duration::from_millis(420)), "0.42 s");
        assert_eq!(duration_text(Duration::from_millis(12_340)), "12.3 s");
        assert_eq!(duration_text(Duration::from_secs(125)), "2 min 05 s");
    }
}
