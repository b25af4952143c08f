//! `--format json`: one document with a version field. Field names are a stable contract.

use std::borrow::Cow;
use std::io::{self, Write};

use serde::{Serialize, Serializer};

use super::Summary;
use crate::diagnostic::{Diagnostic, Safety, Severity};
use crate::engine::RunResult;
use crate::position::Position;

/// Bumped only when a field changes meaning or disappears.
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    diagnostics: Diagnostics<'a>,
    summary: Summary,
}

/// The findings as a JSON array, each converted as it is written rather than all at once.
struct Diagnostics<'a>(&'a [Diagnostic]);

impl Serialize for Diagnostics<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(diagnostic))
    }
}

#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    path: Cow<'a, str>,
    code: &'static str,
    name: &'static str,
    family: &'static str,
    severity: Severity,
    message: &'a str,
    help: Option<&'a str>,
    start: Position,
    end: Position,
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    safety: Safety,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    start: usize,
    end: usize,
    replacement: &'a str,
}

pub fn diagnostic(d: &Diagnostic) -> JsonDiagnostic<'_> {
    JsonDiagnostic {
        path: super::display_path(d),
        code: d.rule.code,
        name: d.rule.name,
        family: d.rule.family.name(),
        severity: d.severity,
        message: &d.message,
        help: d.help.as_deref(),
        start: d.start,
        end: d.end,
        fix: d.fix.as_ref().map(|f| JsonFix {
            title: &f.title,
            safety: f.safety,
            edits: f
                .edits
                .iter()
                .map(|e| JsonEdit {
                    start: e.span.start,
                    end: e.span.end,
                    replacement: &e.replacement,
                })
                .collect(),
        }),
    }
}

pub fn write(result: &RunResult, out: &mut dyn Write) -> io::Result<()> {
    let output = Output {
        version: JSON_VERSION,
        diagnostics: Diagnostics(&result.diagnostics),
        summary: Summary::of(result),
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    writeln!(out)
}

#[derive(Serialize)]
struct StatisticsOutput {
    version: u32,
    statistics: Vec<super::machine::RuleCount>,
    summary: Summary,
}

/// `--statistics --format json`: `{"version": 1, "statistics": [...], "summary": {...}}`, each
/// rule's counts most frequent first.
pub fn statistics(result: &RunResult, out: &mut dyn Write) -> io::Result<()> {
    let output = StatisticsOutput {
        version: JSON_VERSION,
        statistics: super::machine::rule_counts(result),
        summary: Summary::of(result),
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    writeln!(out)
}
