//! The machine formats as CI tools read them: SARIF validated against the official 2.1.0
//! schema, GitHub workflow commands, JUnit and Checkstyle XML, JSON Lines, --statistics and
//! --output-file.

use std::path::PathBuf;
use std::process::Stdio;

use assert_cmd::Command;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> (String, i32) {
    let output = Command::cargo_bin("artlint")
        .unwrap()
        .current_dir(root())
        .args(["--now", "2026-01-01T00:00:00Z"])
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        output.status.code().unwrap_or(-1),
    )
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let (text, code) = run(&["--format", "sarif", "fixtures"]);
    assert_eq!(code, 1);
    let sarif: Value = serde_json::from_str(&text).unwrap();
    // The official schema's `language` patterns (on `run` and `toolComponent`) have a stray `]`
    // that draft-07's meta-schema (format: regex) rejects. artlint never writes `language`; the
    // bracket is escaped in memory so the rest of the schema is used as published.
    let published =
        std::fs::read_to_string(root().join("tests/schemas/sarif-schema-2.1.0.json")).unwrap();
    let stray = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert_eq!(
        published.matches(stray).count(),
        2,
        "the schema file changed"
    );
    let mut schema: Value = serde_json::from_str(
        &published.replace(stray, r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#),
    )
    .unwrap();
    // This copy keeps the document's schema under `definitions/Root` and constrains nothing at
    // its top level: point the root at it, or every document would pass.
    assert!(schema["definitions"]["Root"].is_object());
    schema["$ref"] = Value::from("#/definitions/Root");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .take(10)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The validator does catch a broken document.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("severe");
    assert!(
        validator.iter_errors(&broken).next().is_some(),
        "an invalid level must fail validation"
    );

    let run = &sarif["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        // Every result points at its rule, which carries its documentation.
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(
            rules[index]["help"]["text"]
                .as_str()
                .unwrap()
                .contains("## Why it matters")
        );
    }
    // Columns are code points on Chinese lines, as the JSON format says.
    let zero_width = results
        .iter()
        .find(|r| {
            r["ruleId"] == "ENC006"
                && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .ends_with("ENC006-zero-width-character/bad.md")
        })
        .unwrap();
    let region = &zero_width["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(2), Some(28))
    );
}

#[test]
fn github_annotations_escape_their_properties() {
    let (text, code) = run(&[
        "--format",
        "github",
        "fixtures/rules/FM006-duplicate-key/bad.md",
        "fixtures/rules/FM009-unknown-key/bad.md",
    ]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.contains(
        &"::error file=fixtures/rules/FM006-duplicate-key/bad.md,line=5,col=1,endLine=5,endColumn=6,title=FM006 duplicate-key::`title` is already defined on line 2"
    ), "{text}");
    assert!(
        lines.iter().any(|l| l
            .starts_with("::warning file=fixtures/rules/FM009-unknown-key/bad.md,line=2,col=1,")),
        "{text}"
    );
    // A message with a newline or `%` must stay on one line.
    assert!(lines.iter().all(|l| l.starts_with("::")));
}

#[test]
fn junit_and_checkstyle_are_well_formed_and_complete() {
    let (json, _) = run(&["--format", "json", "fixtures"]);
    let total = serde_json::from_str::<Value>(&json).unwrap()["diagnostics"]
        .as_array()
        .unwrap()
        .len();
    let (junit, _) = run(&["--format", "junit", "fixtures"]);
    assert!(junit.starts_with("<?xml"));
    assert!(junit.contains(&format!(
        "<testsuites name=\"artlint\" tests=\"{total}\" failures=\"{total}\">"
    )));
    assert_eq!(junit.matches("<testcase ").count(), total);
    assert_eq!(
        junit.matches("<testsuite ").count(),
        junit.matches("</testsuite>").count()
    );
    let (checkstyle, _) = run(&["--format", "checkstyle", "fixtures"]);
    assert_eq!(checkstyle.matches("<error ").count(), total);
    assert_eq!(
        checkstyle.matches("<file ").count(),
        checkstyle.matches("</file>").count()
    );
    // Markup in messages is escaped.
    for text in [&junit, &checkstyle] {
        assert!(!text.contains("message=\"`<style>`"), "unescaped markup");
        assert!(text.contains("&lt;style&gt;"));
    }
}

#[test]
fn jsonl_is_one_diagnostic_per_line() {
    let (json, _) = run(&["--format", "json", "fixtures"]);
    let json: Value = serde_json::from_str(&json).unwrap();
    let (jsonl, _) = run(&["--format", "jsonl", "fixtures"]);
    let lines: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(&lines, json["diagnostics"].as_array().unwrap());
}

#[test]
fn statistics_and_output_file() {
    let (text, code) = run(&["--statistics", "fixtures/rules/BP103-sina-cms-comment"]);
    assert_eq!(code, 0, "BP103 is a warning");
    assert!(
        text.lines()
            .next()
            .unwrap()
            .contains("BP103      sina-cms-comment  (2 fixable)"),
        "{text}"
    );
    assert!(text.lines().last().unwrap().starts_with("Found "));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.sarif");
    let (stdout, code) = run(&[
        "--format",
        "sarif",
        "--output-file",
        out.to_str().unwrap(),
        "fixtures/rules/FM004-required-field/bad.md",
    ]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    let written: Value = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert_eq!(written["runs"][0]["results"][0]["ruleId"], "FM004");
}

#[test]
fn statistics_in_json_count_the_json_report() {
    // A CI step reading `--statistics --format json` gets JSON (it got the text table), and its
    // counts are those of the findings the JSON report lists.
    let (report, _) = run(&["--format", "json", "fixtures"]);
    let report: Value = serde_json::from_str(&report).unwrap();
    let (stats, code) = run(&["--statistics", "--format", "json", "fixtures"]);
    assert_eq!(code, 1, "fixtures has error findings");
    let stats: Value = serde_json::from_str(&stats).unwrap();
    assert_eq!(stats["version"], 1);
    assert_eq!(stats["summary"], report["summary"]);
    let mut expected: std::collections::BTreeMap<String, (u64, u64, String)> = Default::default();
    for d in report["diagnostics"].as_array().unwrap() {
        let row = expected
            .entry(d["code"].as_str().unwrap().to_owned())
            .or_insert((0, 0, d["name"].as_str().unwrap().to_owned()));
        row.0 += 1;
        row.1 += u64::from(!d["fix"].is_null());
    }
    let rows = stats["statistics"].as_array().unwrap();
    assert_eq!(rows.len(), expected.len());
    for row in rows {
        let (count, fixable, name) = &expected[row["code"].as_str().unwrap()];
        assert_eq!(row["count"], *count, "{row}");
        assert_eq!(row["fixable"], *fixable, "{row}");
        assert_eq!(row["name"], name.as_str(), "{row}");
    }
    let counts: Vec<u64> = rows.iter().map(|r| r["count"].as_u64().unwrap()).collect();
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "most frequent first: {counts:?}"
    );
    // JSON Lines: the same rows, one a line.
    let (lines, _) = run(&["--statistics", "--format", "jsonl", "fixtures"]);
    let lines: Vec<Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(&lines, rows);
}

#[test]
fn statistics_are_refused_in_a_format_without_room_for_them() {
    for format in ["sarif", "github", "junit", "checkstyle"] {
        let output = Command::cargo_bin("artlint")
            .unwrap()
            .current_dir(root())
            .args(["--statistics", "--format", format, "fixtures"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{format}: {stderr}");
        assert!(output.stdout.is_empty(), "{format}");
        assert!(
            stderr.contains(&format!(
                "--statistics cannot be written as --format {format}"
            )),
            "{stderr}"
        );
    }
}

#[test]
fn output_file_replaces_an_existing_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    // An old report far longer than the new one: none of its tail may survive.
    std::fs::write(&out, "x".repeat(1_000_000)).unwrap();
    let report = [
        "--format",
        "json",
        "fixtures/rules/FM004-required-field/bad.md",
    ];
    let (expected, _) = run(&report);
    let (stdout, code) = run(&[&report[..], &["--output-file", out.to_str().unwrap()]].concat());
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), expected);
    // Written beside it, then renamed: no temporary file is left.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(names, ["report.json"]);
}

#[test]
fn a_closed_pipe_ends_the_report_quietly() {
    let dir = tempfile::tempdir().unwrap();
    // Many more findings than a pipe's buffer holds, so artlint writes after the reader left.
    for i in 0..1000 {
        std::fs::write(
            dir.path().join(format!("post-{i}.md")),
            format!("---\ntitle: Post {i}\n---\nBody of the post.\n"),
        )
        .unwrap();
    }
    for format in [
        "human",
        "concise",
        "json",
        "jsonl",
        "sarif",
        "github",
        "junit",
        "checkstyle",
    ] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("artlint"))
            .current_dir(dir.path())
            .args(["--no-cache", "--format", format, "."])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before reading anything, as `artlint … | head -0` would.
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{format}: {stderr}");
        assert!(stderr.is_empty(), "{format}: {stderr}");
    }
}

#[test]
fn sarif_uris_percent_encode_what_a_uri_may_not_hold() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("my posts")).unwrap();
    std::fs::write(
        dir.path().join("my posts/50% off #1.md"),
        "---\ntitle: Sale\n---\nText.\n",
    )
    .unwrap();
    let output = Command::cargo_bin("artlint")
        .unwrap()
        .current_dir(dir.path())
        .args(["--no-cache", "--format", "sarif", "my posts"])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&output.stdout).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "FM004", "{sarif:#}");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "my%20posts/50%25%20off%20%231.md"
    );
}
