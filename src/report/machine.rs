//! The formats other tools read: JSON Lines, GitHub workflow commands, JUnit XML, Checkstyle
//! XML and SARIF 2.1.0.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Write};

use serde::{Serialize, Serializer};
use serde_json::json;

use super::display_path;
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::RunResult;
use crate::rules::RuleMeta;

/// One JSON object per line, for streaming into other tools.
pub fn jsonl(result: &RunResult, out: &mut dyn Write) -> io::Result<()> {
    for d in &result.diagnostics {
        serde_json::to_writer(&mut *out, &super::json::diagnostic(d))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// `::error file=…,line=…,col=…,title=CODE::message`: annotations on a GitHub pull request.
pub fn github(result: &RunResult, out: &mut dyn Write) -> io::Result<()> {
    // The workflow-command escapes: data escapes `%`, CR, LF; properties also `:` and `,`.
    let data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let property = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    for d in &result.diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        writeln!(
            out,
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            property(&display_path(d)),
            d.start.line,
            d.start.column,
            d.end.line,
            d.end.column,
            property(&format!("{} {}", d.rule.code, d.rule.name)),
            data(&d.message),
        )?;
    }
    Ok(())
}

/// Text escaped for XML, formatted straight into the report.
struct Xml<'a>(&'a str);

impl fmt::Display for Xml<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        // Runs of plain text are written whole, between the characters that need escaping.
        let mut plain_from = 0;
        for (at, c) in text.char_indices() {
            let escaped = match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&apos;",
                // As references: an attribute's parser turns them into spaces as written.
                '\n' => "&#10;",
                '\r' => "&#13;",
                '\t' => "&#9;",
                // XML 1.0 forbids most control characters even escaped.
                c if (c as u32) < 0x20 => "\u{FFFD}",
                _ => continue,
            };
            f.write_str(&text[plain_from..at])?;
            f.write_str(escaped)?;
            plain_from = at + c.len_utf8();
        }
        f.write_str(&text[plain_from..])
    }
}

fn by_file(result: &RunResult) -> BTreeMap<Cow<'_, str>, Vec<&Diagnostic>> {
    let mut files: BTreeMap<Cow<'_, str>, Vec<&Diagnostic>> = BTreeMap::new();
    for d in &result.diagnostics {
        files.entry(display_path(d)).or_default().push(d);
    }
    files
}

/// JUnit XML: a test suite per file, a failed test case per finding.
pub fn junit(result: &RunResult, out: &mut dyn Write) -> io::Result<()> {
    let files = by_file(result);
    let total = result.diagnostics.len();
    out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
    writeln!(
        out,
        "<testsuites name=\"artlint\" tests=\"{total}\" failures=\"{total}\">"
    )?;
    for (path, diagnostics) in &files {
        let path = Xml(path);
        writeln!(
            out,
            "  <testsuite name=\"{path}\" tests=\"{n}\" failures=\"{n}\">",
            n = diagnostics.len()
        )?;
        for d in diagnostics {
            writeln!(
                out,
                "    <testcase name=\"{} {}:{}\" classname=\"{path}\">\n      <failure message=\"{}\" type=\"{}\">{path}:{}:{}: {} {}</failure>\n    </testcase>",
                d.rule.code,
                d.start.line,
                d.start.column,
                Xml(&d.message),
                d.severity.as_str(),
                d.start.line,
                d.start.column,
                d.rule.code,
                Xml(&d.message),
            )?;
        }
        out.write_all(b"  </testsuite>\n")?;
    }
    out.write_all(b"</testsuites>\n")
}

/// Checkstyle XML, as read by Jenkins, GitLab and reviewdog.
pub fn checkstyle(result: &RunResult, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n")?;
    for (path, diagnostics) in by_file(result) {
        writeln!(out, "  <file name=\"{}\">", Xml(&path))?;
        for d in diagnostics {
            let severity = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            };
            writeln!(
                out,
                "    <error line=\"{}\" column=\"{}\" severity=\"{severity}\" message=\"{}\" source=\"artlint.{}\"/>",
                d.start.line,
                d.start.column,
                Xml(&d.message),
                d.rule.code
            )?;
        }
        out.write_all(b"  </file>\n")?;
    }
    out.write_all(b"</checkstyle>\n")
}

// The SARIF structs' fields are in alphabetical order: the document used to be one
// `serde_json::Value`, whose objects sort their keys, and its bytes stay as they were.

#[derive(Serialize)]
struct SarifLog<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [SarifRun<'a>; 1],
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRun<'a> {
    column_kind: &'static str,
    results: SarifResults<'a>,
    tool: serde_json::Value,
}

/// The findings as SARIF results, each built as it is written rather than all at once.
struct SarifResults<'a> {
    diagnostics: &'a [Diagnostic],
    rules: &'a [&'static RuleMeta],
}

impl Serialize for SarifResults<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.diagnostics.iter().map(|d| sarif_result(d, self.rules)))
    }
}

/// SARIF 2.1.0, columns in Unicode code points, with each reported rule's documentation.
pub fn sarif(result: &RunResult, out: &mut dyn Write) -> io::Result<()> {
    let mut rules: Vec<&'static RuleMeta> = result.diagnostics.iter().map(|d| d.rule).collect();
    rules.sort_by_key(|r| r.code);
    rules.dedup_by_key(|r| r.code);
    let log = SarifLog {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [SarifRun {
            column_kind: "unicodeCodePoints",
            results: SarifResults {
                diagnostics: &result.diagnostics,
                rules: &rules,
            },
            tool: json!({ "driver": {
                "name": "artlint",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/artlint/artlint",
                "rules": rules.iter().map(|r| sarif_rule(r)).collect::<Vec<_>>(),
            }}),
        }],
        version: "2.1.0",
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A reported rule's `reportingDescriptor`: its documentation and default level.
fn sarif_rule(r: &RuleMeta) -> serde_json::Value {
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
        "defaultConfiguration": { "level": sarif_level(r.severity) },
        "properties": { "family": r.family.name() },
    })
}

/// Bytes a URI carries as they are: RFC 3986's unreserved characters and the path separator.
const URI_PATH: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// A file's path as a SARIF `artifactLocation.uri` (a URI reference): every other byte
/// percent-encoded, so that `a b%.md` is not read as another file, and a name that is not
/// UTF-8 keeps its bytes. (`\` separates only on Windows; elsewhere it is part of a name.)
fn sarif_uri(path: &std::path::Path) -> String {
    let bytes = path.as_os_str().as_encoded_bytes();
    let text: std::borrow::Cow<[u8]> = if cfg!(windows) {
        bytes
            .iter()
            .map(|&b| if b == b'\\' { b'/' } else { b })
            .collect()
    } else {
        bytes.into()
    };
    percent_encoding::percent_encode(&text, URI_PATH).to_string()
}

/// One finding as a SARIF `result`; `rules` are the run's reported rules, sorted by code.
fn sarif_result(d: &Diagnostic, rules: &[&'static RuleMeta]) -> serde_json::Value {
    let rule_index = rules
        .binary_search_by_key(&d.rule.code, |r| r.code)
        .unwrap_or(0);
    let mut value = json!({
        "ruleId": d.rule.code,
        "ruleIndex": rule_index,
        "level": sarif_level(d.severity),
        "message": { "text": d.message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": sarif_uri(&d.path) },
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
                "artifactLocation": { "uri": sarif_uri(&d.path) },
                "replacements": fix.edits.iter().map(|e| json!({
                    "deletedRegion": { "byteOffset": e.span.start, "byteLength": e.span.end - e.span.start },
                    "insertedContent": { "text": e.replacement },
                })).collect::<Vec<_>>(),
            }],
        }]);
    }
    value
}

/// One rule's line of `--statistics`.
#[derive(serde::Serialize)]
pub struct RuleCount {
    pub code: &'static str,
    pub name: &'static str,
    pub count: usize,
    /// How many of them have a fix.
    pub fixable: usize,
}

/// Counts per rule, most frequent first (ties by code): `--statistics`.
pub fn rule_counts(result: &RunResult) -> Vec<RuleCount> {
    let mut counts: BTreeMap<&str, RuleCount> = BTreeMap::new();
    for d in &result.diagnostics {
        let entry = counts.entry(d.rule.code).or_insert(RuleCount {
            code: d.rule.code,
            name: d.rule.name,
            count: 0,
            fixable: 0,
        });
        entry.count += 1;
        entry.fixable += usize::from(d.fix.is_some());
    }
    let mut rows: Vec<_> = counts.into_values().collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
    rows
}

/// `--statistics` as a table, one rule a line.
pub fn statistics(result: &RunResult, out: &mut dyn Write) -> io::Result<()> {
    for row in rule_counts(result) {
        let fix = if row.fixable > 0 {
            format!("  ({} fixable)", row.fixable)
        } else {
            String::new()
        };
        writeln!(out, "{:>7}  {:<10} {}{fix}", row.count, row.code, row.name)?;
    }
    Ok(())
}

/// `--statistics --format jsonl`: one rule's counts a line.
pub fn statistics_jsonl(result: &RunResult, out: &mut dyn Write) -> io::Result<()> {
    for row in rule_counts(result) {
        serde_json::to_writer(&mut *out, &row)?;
        writeln!(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_keeps_its_line_breaks_and_tabs_inside_attributes() {
        // An attribute's parser reads a raw newline or tab as a space: a path or message
        // holding one is written with character references, which every XML parser reads back.
        assert_eq!(
            Xml("posts/a\nb.md\t<\"x\" & 'y'>\r\u{1}").to_string(),
            "posts/a&#10;b.md&#9;&lt;&quot;x&quot; &amp; &apos;y&apos;&gt;&#13;\u{FFFD}"
        );
    }
}
