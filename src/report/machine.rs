//! The formats other tools read: JSON Lines, GitHub workflow commands, JUnit XML, Checkstyle
//! XML and SARIF 2.1.0.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::json;

use super::display_path;
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::RunResult;

/// One JSON object per line, for streaming into other tools.
pub fn jsonl(result: &RunResult) -> String {
    let mut out = String::new();
    for d in &result.diagnostics {
        let line = serde_json::to_string(&super::json::diagnostic(d)).unwrap_or_default();
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// `::error file=…,line=…,col=…,title=CODE::message`: annotations on a GitHub pull request.
pub fn github(result: &RunResult) -> String {
    // The workflow-command escapes: data escapes `%`, CR, LF; properties also `:` and `,`.
    let data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let property = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for d in &result.diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let _ = writeln!(
            out,
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            property(&display_path(d)),
            d.start.line,
            d.start.column,
            d.end.line,
            d.end.column,
            property(&format!("{} {}", d.rule.code, d.rule.name)),
            data(&d.message),
        );
    }
    out
}

fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 forbids most control characters even escaped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn by_file(result: &RunResult) -> BTreeMap<String, Vec<&Diagnostic>> {
    let mut files: BTreeMap<String, Vec<&Diagnostic>> = BTreeMap::new();
    for d in &result.diagnostics {
        files.entry(display_path(d)).or_default().push(d);
    }
    files
}

/// JUnit XML: a test suite per file, a failed test case per finding.
pub fn junit(result: &RunResult) -> String {
    let files = by_file(result);
    let total = result.diagnostics.len();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"artlint\" tests=\"{total}\" failures=\"{total}\">"
    );
    for (path, diagnostics) in &files {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{n}\" failures=\"{n}\">",
            xml(path),
            n = diagnostics.len()
        );
        for d in diagnostics {
            let _ = writeln!(
                out,
                "    <testcase name=\"{} {}:{}\" classname=\"{}\">\n      <failure message=\"{}\" type=\"{}\">{}:{}:{}: {} {}</failure>\n    </testcase>",
                d.rule.code,
                d.start.line,
                d.start.column,
                xml(path),
                xml(&d.message),
                d.severity.as_str(),
                xml(path),
                d.start.line,
                d.start.column,
                d.rule.code,
                xml(&d.message),
            );
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Checkstyle XML, as read by Jenkins, GitLab and reviewdog.
pub fn checkstyle(result: &RunResult) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
    for (path, diagnostics) in by_file(result) {
        let _ = writeln!(out, "  <file name=\"{}\">", xml(&path));
        for d in diagnostics {
            let severity = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            };
            let _ = writeln!(
                out,
                "    <error line=\"{}\" column=\"{}\" severity=\"{severity}\" message=\"{}\" source=\"artlint.{}\"/>",
                d.start.line,
                d.start.column,
                xml(&d.message),
                d.rule.code
            );
        }
        out.push_str("  </file>\n");
    }
    out.push_str("</checkstyle>\n");
    out
}

/// SARIF 2.1.0, columns in Unicode code points, with each reported rule's documentation.
pub fn sarif(result: &RunResult) -> String {
    let mut rules: Vec<&'static crate::rules::RuleMeta> =
        result.diagnostics.iter().map(|d| d.rule).collect();
    rules.sort_by_key(|r| r.code);
    rules.dedup_by_key(|r| r.code);
    let index_of = |code: &str| rules.iter().position(|r| r.code == code).unwrap_or(0);
    let level = |s: Severity| match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    };
    let rule_objects: Vec<serde_json::Value> = rules
        .iter()
        .map(|r| {
            let docs = r.docs();
            let short = docs
                .lines()
                .skip_while(|l| l.starts_with('#') || l.trim().is_empty())
                .take_while(|l| !l.trim().is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": { "text": if short.is_empty() { r.name.to_string() } else { short } },
                "fullDescription": { "text": docs },
                "help": { "text": docs, "markdown": docs },
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": { "family": r.family.name() },
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = result
        .diagnostics
        .iter()
        .map(|d| {
            let mut value = json!({
                "ruleId": d.rule.code,
                "ruleIndex": index_of(d.rule.code),
                "level": level(d.severity),
                "message": { "text": d.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": display_path(d).replace('\\', "/") },
                        "region": {
                            "startLine": d.start.line,
                            "startColumn": d.start.column,
                            "endLine": d.end.line,
                            "endColumn": d.end.column,
                            "byteOffset": d.span.start,
                            "byteLength": d.span.end.saturating_sub(d.span.start),
                        }
                    }
                }],
            });
            if let Some(fix) = &d.fix {
                value["fixes"] = json!([{
                    "description": { "text": fix.title },
                    "artifactChanges": [{
                        "artifactLocation": { "uri": display_path(d).replace('\\', "/") },
                        "replacements": fix.edits.iter().map(|e| json!({
                            "deletedRegion": { "byteOffset": e.span.start, "byteLength": e.span.end - e.span.start },
                            "insertedContent": { "text": e.replacement },
                        })).collect::<Vec<_>>(),
                    }],
                }]);
            }
            value
        })
        .collect();
    let document = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "artlint",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/artlint/artlint",
                "rules": rule_objects,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

/// Counts per rule, most frequent first: `--statistics`.
pub fn statistics(result: &RunResult) -> String {
    let mut counts: BTreeMap<&str, (usize, &'static crate::rules::RuleMeta, usize)> =
        BTreeMap::new();
    for d in &result.diagnostics {
        let entry = counts.entry(d.rule.code).or_insert((0, d.rule, 0));
        entry.0 += 1;
        entry.2 += usize::from(d.fix.is_some());
    }
    let mut rows: Vec<_> = counts.into_values().collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.code.cmp(b.1.code)));
    let mut out = String::new();
    for (count, rule, fixable) in rows {
        let fix = if fixable > 0 {
            format!("  ({fixable} fixable)")
        } else {
            String::new()
        };
        let _ = writeln!(out, "{count:>7}  {:<10} {}{fix}", rule.code, rule.name);
    }
    out
}
