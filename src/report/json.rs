//! `--format json`: one document with a version field. Field names are a stable contract.

use serde::Serialize;

use super::Summary;
use crate::diagnostic::{Diagnostic, Safety, Severity};
use crate::engine::RunResult;
use crate::position::Position;

/// Bumped only when a field changes meaning or disappears.
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    path: String,
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

pub fn render(result: &RunResult) -> String {
    let output = Output {
        version: JSON_VERSION,
        diagnostics: result.diagnostics.iter().map(diagnostic).collect(),
        summary: Summary::of(result),
    };
    let mut text =
        serde_json::to_string_pretty(&output).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
