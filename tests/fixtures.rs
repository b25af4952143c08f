//! Every rule against its fixtures: each `bad*` file under `fixtures/rules/<CODE>-<name>/`
//! must get the rule's finding, each `good*` file must not. Snapshots pin the human and JSON
//! reports of the whole fixture tree.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const FIXED_NOW: &str = "2026-01-01T00:00:00Z";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn artlint(args: &[&str]) -> (Value, i32) {
    let output = Command::cargo_bin("artlint")
        .unwrap()
        .current_dir(root())
        // A fixed "now" keeps DT004's "N years in the future" stable in the snapshots.
        .args(["--format", "json", "--now", FIXED_NOW])
        .args(args)
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    (json, output.status.code().unwrap_or(-1))
}

fn codes_in(json: &Value) -> Vec<(String, String)> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn rule_dirs() -> Vec<(String, PathBuf)> {
    let mut dirs: Vec<_> = std::fs::read_dir(root().join("fixtures/rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let code = name.split('-').next().unwrap().to_string();
            (code, p)
        })
        .collect();
    dirs.sort();
    dirs
}

/// The `bad*`/`good*` files of a rule's folder; a `bad/` or `good/` folder contributes all its
/// files (corpus rules need several posts in one folder).
fn files(dir: &Path, prefix: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for path in std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()) {
        // `bad.md`, `bad-list.md`, or Jekyll-style `2018-05-12-bad.md`.
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !(name.starts_with(prefix) || name.contains(&format!("-{prefix}"))) {
            continue;
        }
        if path.is_dir() {
            for inner in std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()) {
                out.push(
                    inner
                        .strip_prefix(root())
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        } else {
            out.push(
                path.strip_prefix(root())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    out.sort();
    out
}

#[test]
fn every_bad_fixture_is_caught_and_every_good_one_passes() {
    for (code, dir) in rule_dirs() {
        let bad = files(&dir, "bad");
        let good = files(&dir, "good");
        assert!(
            !bad.is_empty() && !good.is_empty(),
            "{} needs bad and good fixtures",
            dir.display()
        );
        // Corpus rules compare files with each other: lint the folder's files together.
        let mut args: Vec<&str> = vec!["--select", &code];
        args.extend(bad.iter().map(String::as_str));
        let (json, _) = artlint(&args);
        let found = codes_in(&json);
        for file in &bad {
            assert!(
                found.iter().any(|(p, c)| p == file && *c == code),
                "{file}: expected {code}, got {found:?}"
            );
        }
        let mut args: Vec<&str> = vec!["--select", &code];
        args.extend(good.iter().map(String::as_str));
        let (json, code_exit) = artlint(&args);
        assert_eq!(
            codes_in(&json),
            vec![],
            "{code}: good fixtures must be clean"
        );
        assert_eq!(code_exit, 0);
    }
}

#[test]
fn every_rule_has_fixtures_or_a_dedicated_test() {
    let listed = Command::cargo_bin("artlint")
        .unwrap()
        .arg("rules")
        .output()
        .unwrap();
    let listed = String::from_utf8(listed.stdout).unwrap();
    let with_fixtures: Vec<String> = rule_dirs().into_iter().map(|(c, _)| c).collect();
    // IO003 needs a file over the size cap: tests/bad_input.rs writes one. The online image
    // rules need an HTTP server: tests/online.rs starts one on 127.0.0.1.
    let elsewhere = ["IO003", "IMG011", "IMG012", "IMG013", "IMG014", "IMG015"];
    for line in listed.lines().skip(1) {
        let code = line.split_whitespace().next().unwrap();
        assert!(
            with_fixtures.iter().any(|c| c == code) || elsewhere.contains(&code),
            "rule {code} has no fixture folder"
        );
    }
}

#[test]
fn human_report_of_the_fixtures() {
    let output = Command::cargo_bin("artlint")
        .unwrap()
        .current_dir(root())
        .args(["--format", "human", "--now", FIXED_NOW, "fixtures"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    // Columns count characters, not bytes, on Chinese lines (byte column would be 66).
    assert!(
        text.contains("fixtures/rules/ENC006-zero-width-character/bad.md:2:28]"),
        "{text}"
    );
    assert!(text.lines().last().unwrap().starts_with("Found "));
    // The run's wall time varies: the snapshot keeps its place, not its value.
    let time = regex::Regex::new(r" Finished in [0-9][0-9. min]* s\.\n$").unwrap();
    assert!(time.is_match(&text), "{text}");
    let text = time.replace(&text, " Finished in [time].\n");
    insta::assert_snapshot!("human", text);
}

#[test]
fn json_report_of_the_fixtures() {
    let (json, code) = artlint(&["fixtures"]);
    assert_eq!(code, 1);
    assert_eq!(json["version"], 1);
    insta::assert_json_snapshot!("json", json);
}
