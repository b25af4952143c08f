//! The command line as a user runs it: exit codes, output formats, rule selection,
//! `artlint.toml` discovery and overrides, `rules`/`rule`, determinism across thread counts,
//! `.gitignore` handling and glob arguments.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{clean_post, codes, post_missing_date, run_in, tempdir, write};
use predicates::prelude::*;

// ---------------------------------------------------------------------------------------------
// Exit codes
// ---------------------------------------------------------------------------------------------

#[test]
fn clean_post_exits_zero_with_no_output() {
    let dir = tempdir();
    write(dir.path(), "post.md", clean_post("Hello"));
    common::artlint()
        .current_dir(dir.path())
        .args(["--format", "concise", "post.md"])
        .assert()
        .code(0)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::is_empty());
}

#[test]
fn error_finding_exits_one() {
    let dir = tempdir();
    write(dir.path(), "post.md", post_missing_date("Hello"));
    common::artlint()
        .current_dir(dir.path())
        .args(["--format", "concise", "post.md"])
        .assert()
        .code(1)
        .stdout("post.md:1:1: FM004 required field `date` is missing\n");
}

#[test]
fn exit_zero_flag_exits_zero_despite_errors() {
    let dir = tempdir();
    write(dir.path(), "post.md", post_missing_date("Hello"));
    common::artlint()
        .current_dir(dir.path())
        .args(["--format", "concise", "--exit-zero", "post.md"])
        .assert()
        .code(0)
        // The findings are still printed.
        .stdout(predicate::str::contains("FM004"));
}

#[test]
fn warnings_alone_exit_zero_unless_max_warnings_is_exceeded() {
    let dir = tempdir();
    write(
        dir.path(),
        "post.md",
        "---\ntitle: Hello\ndate: 2021-05-22\nlayput: post\n---\nBody.\n",
    );
    let plain = run_in(dir.path(), &["--format", "concise", "post.md"]);
    assert_eq!(plain.code, Some(0), "{plain:?}");
    assert_eq!(
        plain.stdout, "post.md:4:1: FM009 unknown field `layput`\n",
        "only the FM009 warning is expected"
    );

    let strict = run_in(
        dir.path(),
        &["--format", "concise", "--max-warnings", "0", "post.md"],
    );
    assert_eq!(strict.code, Some(1), "{strict:?}");
    assert_eq!(strict.stdout, plain.stdout);

    // One warning is not more than one.
    let one = run_in(
        dir.path(),
        &["--format", "concise", "--max-warnings", "1", "post.md"],
    );
    assert_eq!(one.code, Some(0), "{one:?}");

    // --exit-zero wins over --max-warnings.
    let zero = run_in(
        dir.path(),
        &[
            "--format",
            "concise",
            "--max-warnings",
            "0",
            "--exit-zero",
            "post.md",
        ],
    );
    assert_eq!(zero.code, Some(0), "{zero:?}");
}

#[test]
fn unknown_selector_exits_two() {
    let dir = tempdir();
    write(dir.path(), "post.md", post_missing_date("Hello"));
    for flag in ["--select", "--ignore", "--extend-select"] {
        common::artlint()
            .current_dir(dir.path())
            .args(["--format", "concise", flag, "FM999", "post.md"])
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains("FM999"));
    }
    // A typo of a name gets a suggestion.
    common::artlint()
        .current_dir(dir.path())
        .args(["--select", "requird-field", "post.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `required-field`"));
}

#[test]
fn unknown_preset_and_bad_flags_exit_two() {
    let dir = tempdir();
    write(dir.path(), "post.md", clean_post("Hello"));
    common::artlint()
        .current_dir(dir.path())
        .args(["--preset", "wordpress", "post.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown preset"));
    common::artlint()
        .current_dir(dir.path())
        .args(["--format", "xml", "post.md"])
        .assert()
        .code(2);
    common::artlint()
        .current_dir(dir.path())
        .args(["--no-such-flag", "post.md"])
        .assert()
        .code(2);
}

#[test]
fn misspelled_config_key_exits_two_with_a_suggestion() {
    let dir = tempdir();
    write(dir.path(), "artlint.toml", "extneds = \"hexo\"\n");
    write(dir.path(), "post.md", post_missing_date("Hello"));
    let run = run_in(dir.path(), &["--format", "concise", "post.md"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("did you mean"), "{}", run.stderr);
    assert!(run.stderr.contains("extends"), "{}", run.stderr);
    assert!(run.stderr.contains("extneds"), "{}", run.stderr);
    assert!(run.stderr.contains("artlint.toml"), "{}", run.stderr);
    // Nothing is linted with a broken configuration.
    assert_eq!(run.stdout, "");
}

#[test]
fn unknown_rule_in_config_exits_two() {
    let dir = tempdir();
    write(
        dir.path(),
        "artlint.toml",
        "[rules.requird-field]\nseverity = \"warning\"\n",
    );
    write(dir.path(), "post.md", clean_post("Hello"));
    let run = run_in(dir.path(), &["--format", "concise", "post.md"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("unknown rule"), "{}", run.stderr);
    assert!(run.stderr.contains("requird-field"), "{}", run.stderr);
    assert!(
        run.stderr.contains("did you mean `required-field`"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn config_named_with_flag_that_does_not_exist_exits_two() {
    let dir = tempdir();
    write(dir.path(), "post.md", clean_post("Hello"));
    common::artlint()
        .current_dir(dir.path())
        .args(["--config", "missing.toml", "post.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.toml"));
}

// ---------------------------------------------------------------------------------------------
// Output formats
// ---------------------------------------------------------------------------------------------

#[test]
fn concise_positions_count_unicode_scalar_values() {
    let dir = tempdir();
    // Line 2 is `title: 新浪财经<U+200B>新闻`: "title: " is 7 scalar values and 新浪财经 is 4,
    // so the zero-width space is the 12th character of the line (1-based column 12), even
    // though it is byte 20 of the line (7 + 4×3 + 1).
    // Line 4 is `tags: [中文, <U+200B>x]`: "tags: [" is 7, 中文 is 2, ", " is 2: column 12.
    write(
        dir.path(),
        "zw.md",
        "---\ntitle: 新浪财经\u{200B}新闻\ndate: 2021-05-22\ntags: [中文, \u{200B}x]\n---\nBody.\n",
    );
    // `title: 商务部: 中俄`: the offending `:` follows "title: " (7) and 商务部 (3): column 11.
    write(
        dir.path(),
        "syntax.md",
        "---\ntitle: 商务部: 中俄\ndate: 2021-05-22\n---\nBody.\n",
    );
    let run = run_in(dir.path(), &["--format", "concise", "."]);
    assert_eq!(run.code, Some(1), "{run:?}");
    let zw = run.lines_for("zw.md");
    assert_eq!(
        zw,
        [
            "zw.md:2:12: ENC006 invisible zero-width character U+200B in the front matter",
            "zw.md:4:12: ENC006 invisible zero-width character U+200B in the front matter",
        ],
        "{}",
        run.stdout
    );
    let syntax = run.lines_for("syntax.md");
    assert_eq!(syntax.len(), 1, "{}", run.stdout);
    assert!(
        syntax[0].starts_with("syntax.md:2:11: FM005 invalid YAML front matter"),
        "{}",
        syntax[0]
    );
}

#[test]
fn json_offsets_are_bytes_and_columns_are_scalar_values() {
    let dir = tempdir();
    let text = "---\ntitle: 新浪财经\u{200B}新闻\ndate: 2021-05-22\n---\nBody.\n";
    write(dir.path(), "zw.md", text);
    let run = run_in(dir.path(), &["--format", "json", "zw.md"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let json = run.json();
    let d = &json["diagnostics"][0];
    assert_eq!(d["code"], "ENC006");
    let offset = text.find('\u{200B}').unwrap();
    assert_eq!(offset, 4 + 7 + 12);
    assert_eq!(d["start"]["line"], 2);
    assert_eq!(d["start"]["column"], 12);
    assert_eq!(d["start"]["offset"], offset);
    assert_eq!(d["end"]["line"], 2);
    assert_eq!(d["end"]["column"], 13);
    assert_eq!(d["end"]["offset"], offset + '\u{200B}'.len_utf8());
}

#[test]
fn default_format_when_piped_is_concise() {
    let dir = tempdir();
    write(dir.path(), "post.md", post_missing_date("Hello"));
    let run = run_in(dir.path(), &["post.md"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stdout,
        "post.md:1:1: FM004 required field `date` is missing\n"
    );
    // The `check` subcommand is the same command.
    let check = run_in(dir.path(), &["check", "post.md"]);
    assert_eq!(check.code, Some(1));
    assert_eq!(check.stdout, run.stdout);
}

#[test]
fn human_format_shows_a_code_frame_and_a_summary() {
    let dir = tempdir();
    write(dir.path(), "post.md", post_missing_date("Hello"));
    let run = run_in(dir.path(), &["--format", "human", "post.md"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stdout.contains("FM004"), "{}", run.stdout);
    assert!(run.stdout.contains("post.md"), "{}", run.stdout);
    assert!(run.stdout.contains("1 error"), "{}", run.stdout);
    // No colour escapes when piped.
    assert!(!run.stdout.contains('\u{1b}'), "{}", run.stdout);
}

/// A folder with known findings of each severity: 1 error, 4 warnings (2 of them fixable).
fn mixed_folder(root: &Path) {
    write(root, "posts/clean.md", clean_post("Clean"));
    write(root, "posts/nodate.md", post_missing_date("No date")); // FM004 error
    write(
        root,
        "posts/typo.md",
        "---\ntitle: Typo\ndate: 2021-05-22\nlayput: post\n---\n", // FM009 warning, fix
    );
    write(
        root,
        "posts/zw.md",
        "---\ntitle: 零宽\u{200B}字符\ndate: 2021-05-22\n---\n", // ENC006 warning, fix
    );
    write(root, "posts/dup-1.md", clean_post("Same title")); // CORPUS001 warning
    write(root, "posts/dup-2.md", clean_post("Same title")); // CORPUS001 warning
}

#[test]
fn json_report_has_the_documented_shape_and_consistent_summary() {
    let dir = tempdir();
    mixed_folder(dir.path());
    let run = run_in(dir.path(), &["--format", "json", "posts"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    let json = run.json();
    assert_eq!(json["version"], 1);
    let diagnostics = json["diagnostics"].as_array().expect("diagnostics array");
    assert!(!diagnostics.is_empty());

    for d in diagnostics {
        for key in [
            "path", "code", "name", "family", "severity", "message", "start", "end",
        ] {
            assert!(d.get(key).is_some(), "diagnostic lacks `{key}`: {d}");
        }
        for key in ["path", "code", "name", "family", "severity", "message"] {
            assert!(d[key].is_string(), "`{key}` is not a string: {d}");
        }
        for pos in ["start", "end"] {
            for key in ["line", "column", "offset"] {
                assert!(d[pos][key].is_u64(), "`{pos}.{key}` is not a number: {d}");
            }
            assert!(d[pos]["line"].as_u64().unwrap() >= 1, "{d}");
            assert!(d[pos]["column"].as_u64().unwrap() >= 1, "{d}");
        }
        assert!(
            d["start"]["offset"].as_u64() <= d["end"]["offset"].as_u64(),
            "{d}"
        );
        let code = d["code"].as_str().unwrap();
        let rule = artlint::rules::find(code).expect("a known code");
        assert_eq!(d["name"], rule.meta().name, "{d}");
        assert_eq!(d["family"], rule.meta().family.name(), "{d}");
        assert!(
            ["error", "warning", "info"].contains(&d["severity"].as_str().unwrap()),
            "{d}"
        );
        assert!(d["path"].as_str().unwrap().starts_with("posts/"), "{d}");
    }

    let count = |severity: &str| {
        diagnostics
            .iter()
            .filter(|d| d["severity"] == severity)
            .count()
    };
    let paths: BTreeSet<&str> = diagnostics
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    let fixable = diagnostics.iter().filter(|d| !d["fix"].is_null()).count();
    let summary = &json["summary"];
    assert_eq!(summary["errors"], count("error"));
    assert_eq!(summary["warnings"], count("warning"));
    assert_eq!(summary["infos"], count("info"));
    assert_eq!(summary["files_with_findings"], paths.len());
    assert_eq!(summary["fixable"], fixable);
    assert_eq!(summary["internal_errors"], 0);

    // And the numbers this folder is built to give.
    assert_eq!(summary["files"], 6, "{summary}");
    assert_eq!(summary["errors"], 1, "{summary}");
    assert_eq!(summary["warnings"], 4, "{summary}");
    assert_eq!(summary["files_with_findings"], 5, "{summary}");
    assert_eq!(summary["fixable"], 2, "{summary}");
    let found: BTreeSet<&str> = diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        found,
        BTreeSet::from(["CORPUS001", "ENC006", "FM004", "FM009"])
    );
}

#[test]
fn json_and_concise_report_the_same_findings() {
    let dir = tempdir();
    mixed_folder(dir.path());
    let concise = run_in(dir.path(), &["--format", "concise", "posts"]);
    let json = run_in(dir.path(), &["--format", "json", "posts"]).json();
    let from_json: Vec<String> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{}: {} {}",
                d["path"].as_str().unwrap(),
                d["start"]["line"],
                d["start"]["column"],
                d["code"].as_str().unwrap(),
                d["message"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(concise.lines(), from_json);
}

// ---------------------------------------------------------------------------------------------
// Rule selection on the command line
// ---------------------------------------------------------------------------------------------

/// A folder with FM004 (x2), FM009, FM005, ENC006 and ENC003 findings.
fn selection_folder(root: &Path) {
    write(root, "a.md", post_missing_date("A"));
    write(root, "b.md", post_missing_date("B"));
    write(
        root,
        "c.md",
        "---\ntitle: C\ndate: 2021-05-22\nlayput: post\n---\n",
    );
    write(
        root,
        "d.md",
        "---\ntitle: 'D: x'\ndate: 2021-05-22\nbad: a: b\n---\n",
    );
    write(
        root,
        "e.md",
        "---\ntitle: E\u{200B}\ndate: 2021-05-22\n---\r\nline\r\nline\n",
    );
}

fn selected_codes(dir: &Path, args: &[&str]) -> (Option<i32>, BTreeSet<String>) {
    let mut all = vec!["--format", "concise"];
    all.extend_from_slice(args);
    all.push(".");
    let run = run_in(dir, &all);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    (run.code, codes(&run.lines()).into_iter().collect())
}

fn set(codes: &[&str]) -> BTreeSet<String> {
    codes.iter().map(|s| s.to_string()).collect()
}

#[test]
fn selection_folder_baseline() {
    let dir = tempdir();
    selection_folder(dir.path());
    let (code, found) = selected_codes(dir.path(), &[]);
    assert_eq!(code, Some(1));
    assert_eq!(found, set(&["ENC003", "ENC006", "FM004", "FM005", "FM009"]));
}

#[test]
fn select_by_code_name_prefix_and_family() {
    let dir = tempdir();
    selection_folder(dir.path());
    for selector in ["FM004", "fm004", "required-field"] {
        let (code, found) = selected_codes(dir.path(), &["--select", selector]);
        assert_eq!(found, set(&["FM004"]), "--select {selector}");
        assert_eq!(code, Some(1));
    }
    for selector in ["ENC", "encoding"] {
        let (code, found) = selected_codes(dir.path(), &["--select", selector]);
        assert_eq!(found, set(&["ENC003", "ENC006"]), "--select {selector}");
        // Both are warnings.
        assert_eq!(code, Some(0));
    }
    let (_, found) = selected_codes(dir.path(), &["--select", "FM009,ENC006"]);
    assert_eq!(found, set(&["ENC006", "FM009"]));
    let (_, found) = selected_codes(dir.path(), &["--select", "FM00"]);
    assert_eq!(found, set(&["FM004", "FM005", "FM009"]));
}

#[test]
fn ignore_by_code_name_and_prefix() {
    let dir = tempdir();
    selection_folder(dir.path());
    let (code, found) = selected_codes(dir.path(), &["--ignore", "FM"]);
    assert_eq!(found, set(&["ENC003", "ENC006"]));
    assert_eq!(code, Some(0));
    let (_, found) = selected_codes(dir.path(), &["--ignore", "required-field"]);
    assert_eq!(found, set(&["ENC003", "ENC006", "FM005", "FM009"]));
    let (_, found) = selected_codes(dir.path(), &["--ignore", "FM004,ENC003"]);
    assert_eq!(found, set(&["ENC006", "FM005", "FM009"]));
    let (_, found) = selected_codes(dir.path(), &["--ignore", "FM", "--ignore", "ENC006"]);
    assert_eq!(found, set(&["ENC003"]));
    // Ignore beats select.
    let (_, found) = selected_codes(dir.path(), &["--select", "FM", "--ignore", "FM004"]);
    assert_eq!(found, set(&["FM005", "FM009"]));
}

// ---------------------------------------------------------------------------------------------
// artlint.toml
// ---------------------------------------------------------------------------------------------

#[test]
fn config_is_found_by_walking_up_from_the_file() {
    let dir = tempdir();
    let root = dir.path();
    write(
        root,
        "site/posts/2021/05/post.md",
        post_missing_date("Hello"),
    );

    // Without a configuration FM004 is an error.
    let before = run_in(root, &["--format", "json", "site/posts/2021/05/post.md"]);
    assert_eq!(before.code, Some(1), "{before:?}");
    assert_eq!(before.json()["diagnostics"][0]["severity"], "error");

    write(
        root,
        "site/artlint.toml",
        "[rules.required-field]\nseverity = \"warning\"\n",
    );
    // From above the configuration's folder, naming the file.
    let run = run_in(root, &["--format", "json", "site/posts/2021/05/post.md"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let json = run.json();
    assert_eq!(json["diagnostics"][0]["code"], "FM004");
    assert_eq!(json["diagnostics"][0]["severity"], "warning");
    assert_eq!(json["summary"]["errors"], 0);

    // From the file's own folder, three levels below the configuration.
    let deep = root.join("site/posts/2021/05");
    let run = run_in(&deep, &["--format", "concise", "post.md"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(
        run.stdout,
        "post.md:1:1: FM004 required field `date` is missing\n"
    );

    // Walking a folder finds it too.
    let run = run_in(root, &["--format", "concise", "site"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(
        run.stdout,
        "site/posts/2021/05/post.md:1:1: FM004 required field `date` is missing\n"
    );

    // --max-warnings still counts it.
    let run = run_in(root, &["--max-warnings", "0", "site"]);
    assert_eq!(run.code, Some(1), "{run:?}");
}

#[test]
fn overrides_apply_to_matching_files_only() {
    let dir = tempdir();
    let site = dir.path().join("site");
    write(
        &site,
        "artlint.toml",
        "[[overrides]]\nfiles = [\"drafts/**\"]\nignore = [\"FM004\"]\n",
    );
    write(
        &site,
        "drafts/wip.md",
        post_missing_date("Work in progress"),
    );
    write(&site, "drafts/2021/old.md", post_missing_date("Old draft"));
    write(&site, "posts/live.md", post_missing_date("Live"));

    let run = run_in(&site, &["--format", "concise", "."]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert_eq!(
        run.stdout,
        "posts/live.md:1:1: FM004 required field `date` is missing\n"
    );

    // The same from the parent folder: patterns are relative to the configuration's folder.
    let run = run_in(dir.path(), &["--format", "concise", "site"]);
    assert_eq!(
        run.stdout,
        "site/posts/live.md:1:1: FM004 required field `date` is missing\n"
    );

    // Named explicitly, a draft is linted, but the override still applies to it.
    let run = run_in(&site, &["--format", "concise", "drafts/wip.md"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.stdout, "");

    // Other rules still run on drafts.
    write(
        &site,
        "drafts/typo.md",
        "---\ntitle: Typo\nlayput: post\n---\n",
    );
    let run = run_in(&site, &["--format", "concise", "drafts"]);
    assert_eq!(
        run.stdout,
        "drafts/typo.md:3:1: FM009 unknown field `layput`\n"
    );
}

#[test]
fn explicit_config_flag_replaces_discovery() {
    let dir = tempdir();
    let root = dir.path();
    write(root, "artlint.toml", "ignore = [\"FM004\"]\n");
    write(root, "strict.toml", "select = [\"ALL\"]\n");
    write(root, "post.md", post_missing_date("Hello"));
    let discovered = run_in(root, &["--format", "concise", "post.md"]);
    assert_eq!(discovered.code, Some(0), "{discovered:?}");
    assert_eq!(discovered.stdout, "");
    let explicit = run_in(
        root,
        &["--format", "concise", "--config", "strict.toml", "post.md"],
    );
    assert_eq!(explicit.code, Some(1), "{explicit:?}");
    assert!(explicit.stdout.contains("FM004"), "{}", explicit.stdout);
}

#[test]
fn command_line_selection_wins_over_config() {
    let dir = tempdir();
    let root = dir.path();
    write(root, "artlint.toml", "ignore = [\"FM004\"]\n");
    write(root, "post.md", post_missing_date("Hello"));
    let run = run_in(root, &["--format", "concise", "--select", "FM004", "."]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stdout.contains("FM004"), "{}", run.stdout);
}

// ---------------------------------------------------------------------------------------------
// `artlint rules` and `artlint rule`
// ---------------------------------------------------------------------------------------------

#[test]
fn rules_lists_every_code_and_name() {
    let run = run_in(Path::new("."), &["rules"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let registry = artlint::rules::registry();
    assert!(registry.len() >= 20);
    for rule in registry {
        let m = rule.meta();
        let line = run
            .stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(m.code))
            .unwrap_or_else(|| panic!("`artlint rules` lacks {}:\n{}", m.code, run.stdout));
        assert!(line.contains(m.name), "{line}");
        assert!(line.contains(m.family.name()), "{line}");
    }
    // A few spelled out, in case the registry itself lost them.
    for code in ["FM001", "FM004", "FM009", "ENC001", "ENC006", "ENC007"] {
        assert!(run.stdout.contains(code), "{code}");
    }
    for code in ["IO001", "IO002", "IO003", "CORPUS001"] {
        assert!(run.stdout.contains(code), "{code}");
    }
    // One header line and one line per rule.
    assert_eq!(run.stdout.lines().count(), registry.len() + 1);
}

#[test]
fn rule_prints_docs_by_code_or_name() {
    let by_code = run_in(Path::new("."), &["rule", "FM004"]);
    let by_name = run_in(Path::new("."), &["rule", "required-field"]);
    assert_eq!(by_code.code, Some(0));
    assert_eq!(by_name.code, Some(0));
    assert_eq!(by_code.stdout, by_name.stdout);
    for heading in ["## What it checks", "## Why it matters", "## Example"] {
        assert!(by_code.stdout.contains(heading), "{}", by_code.stdout);
    }
    assert!(by_code.stdout.contains("required-field"));
    assert!(by_code.stdout.contains("FM004"));
    // Codes are case-insensitive.
    let lower = run_in(Path::new("."), &["rule", "fm004"]);
    assert_eq!(lower.stdout, by_code.stdout);
}

#[test]
fn every_rule_has_docs_on_the_command_line() {
    for rule in artlint::rules::registry() {
        let code = rule.meta().code;
        let run = run_in(Path::new("."), &["rule", code]);
        assert_eq!(run.code, Some(0), "{code}: {run:?}");
        for heading in ["## What it checks", "## Why it matters", "## Example"] {
            assert!(run.stdout.contains(heading), "{code} lacks {heading}");
        }
    }
}

#[test]
fn unknown_rule_exits_two() {
    common::artlint()
        .args(["rule", "NOPE"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("unknown rule `NOPE`"));
    common::artlint()
        .args(["rule", "requird-field"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("required-field"));
    // A prefix selects rules but is not one: said so (the help was empty).
    common::artlint()
        .args(["rule", "FM"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(
            "error: `FM` names several rules, not one\n  help: `artlint rules` lists them",
        ));
}

/// The findings of `--preset PRESET FILE` as `CODE line` strings.
fn preset_findings(dir: &Path, preset: &str, file: &str) -> BTreeSet<String> {
    let run = run_in(
        dir,
        &[
            "--no-cache",
            "--format",
            "concise",
            "--now",
            "2026-01-01T00:00:00Z",
            "--preset",
            preset,
            file,
        ],
    );
    run.stdout
        .lines()
        .filter_map(|l| {
            let mut parts = l.split(':');
            let (_, line, _, rest) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
            Some(format!("{} {line}", rest.split_whitespace().next()?))
        })
        .collect()
}

#[test]
fn presets_know_what_their_generators_read() {
    let dir = tempdir();
    let cases: &[(&str, &str, &str, &[&str])] = &[
        // Jekyll reads the singular `tag` (one tag); the plural would split it at the space.
        (
            "jekyll",
            "tag.md",
            "---\ntitle: A\ndate: 2024-03-01\ntag: machine learning\n---\nBody.\n",
            &[],
        ),
        // Jekyll's date from the file name.
        (
            "jekyll",
            "2024-03-05-dated.md",
            "---\ntitle: A\n---\nBody.\n",
            &[],
        ),
        (
            "jekyll",
            "undated.md",
            "---\ntitle: A\n---\nBody.\n",
            &["FM004 1"],
        ),
        // Hexo's category hierarchies, the matery theme's `cover: true`, slashed dates.
        (
            "hexo",
            "hexo.md",
            "---\ntitle: A\ndate: 2013/7/13 20:46:25\ncategories:\n- [Diary, PlayStation]\n- [Life]\ncover: true\n---\nBody.\n",
            &[],
        ),
        (
            "hexo",
            "hexo-bad.md",
            "---\ntitle: A\ndate: 2013/2/29\ncategories:\n- [Diary, [deeper]]\n---\nBody.\n",
            &["DT002 3", "FM008 5"],
        ),
        // Hugo's date aliases and PaperMod's cover; an alias holding an impossible date.
        (
            "hugo",
            "hugo.md",
            "---\ntitle: A\npublished: 2024-03-01\ncover:\n  image: /a.png\n  alt: A\n---\nBody.\n",
            &[],
        ),
        (
            "hugo",
            "hugo-bad.md",
            "---\ntitle: A\ndate: 2024-03-01\npubdate: 2023-02-29\n---\nBody.\n",
            &["DT002 4"],
        ),
        (
            "hugo",
            "hugo-undated.md",
            "---\ntitle: A\ndraft: true\n---\nBody.\n",
            &["FM004 1"],
        ),
        // Blank lines before the front matter: Hexo reads past one, Hugo past any, Jekyll none.
        (
            "hexo",
            "hexo-blank.md",
            "\n---\ntitle: A\ndate: 2024-03-01\n---\nBody.\n",
            &[],
        ),
        (
            "hexo",
            "hexo-blanks.md",
            "\n\n---\ntitle: A\ndate: 2024-03-01\n---\nBody.\n",
            &["FM002 3"],
        ),
        (
            "hugo",
            "hugo-blanks.md",
            "\n\n---\ntitle: A\ndate: 2024-03-01\n---\nBody.\n",
            &[],
        ),
        (
            "jekyll",
            "jekyll-blank.md",
            "\n---\ntitle: A\ndate: 2024-03-01\n---\nBody.\n",
            &["FM002 2"],
        ),
        (
            "generic",
            "generic-blank.md",
            "\n---\ntitle: A\ndate: 2024-03-01\n---\nBody.\n",
            &["FM002 2"],
        ),
        // One generator's use of a name does not lose another's check: Jekyll's `published`
        // is a flag (a string is not), Hugo's a date, and only under Hugo does it date a post.
        (
            "generic",
            "generic-published.md",
            "---\ntitle: A\ndate: 2024-03-01\npublished: \"false\"\n---\nBody.\n",
            &["FM008 4"],
        ),
        (
            "generic",
            "generic-flag.md",
            "---\ntitle: A\npublished: true\n---\nBody.\n",
            &["FM004 1"],
        ),
        (
            "hugo",
            "hugo-flag.md",
            "---\ntitle: A\npublished: true\nmodified: [1, 2]\n---\nBody.\n",
            &["FM004 1", "FM008 3", "FM008 4"],
        ),
        // Hugo reads keys regardless of case: `Title` is `title` again.
        (
            "hugo",
            "hugo-case.md",
            "---\ntitle: A\nTitle: B\ndate: 2024-03-01\n---\nBody.\n",
            &["FM006 3"],
        ),
        // The generic preset widens a string-list to Hexo's string-tree, and keeps the common
        // kind elsewhere (`cover: true` is the matery theme's, found with the hexo preset).
        (
            "generic",
            "generic.md",
            "---\ntitle: A\ndate: 2024-03-01\ncategories:\n- [Diary, PlayStation]\ncover: true\n---\nBody.\n",
            &["FM008 6"],
        ),
    ];
    for (preset, file, text, expected) in cases {
        write(dir.path(), file, text);
        let expected: BTreeSet<String> = expected.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            preset_findings(dir.path(), preset, file),
            expected,
            "--preset {preset} {file}"
        );
    }
}

#[test]
fn images_a_theme_serves_are_found() {
    // Hexo serves `themes/*/source/`, Hugo `themes/*/static/` and `assets/`, beside the site's
    // own folders: a theme's logo was reported missing (IMG005, an error).
    let dir = tempdir();
    let root = dir.path();
    write(root, "hexo/_config.yml", "title: site\ntheme: x\n");
    write(root, "hexo/themes/x/source/img/t.png", "png");
    write(
        root,
        "hexo/source/_posts/a.md",
        "---\ntitle: A\ndate: 2024-03-01\nthumbnail: /img/t.png\n---\n\n![logo](/img/t.png)\n\n![gone](/img/missing.png)\n",
    );
    write(root, "hugo/hugo.toml", "theme = \"pm\"\n");
    write(root, "hugo/themes/pm/static/img/logo.png", "png");
    write(root, "hugo/themes/pm/assets/css/x.png", "png");
    write(
        root,
        "hugo/content/posts/a.md",
        "---\ntitle: A\ndate: 2024-03-01\n---\n\n![logo](/img/logo.png) ![x](/css/x.png) ![gone](/img/missing.png)\n",
    );
    let run = run_in(
        root,
        &[
            "--no-cache",
            "--format",
            "concise",
            "--select",
            "IMG005",
            ".",
        ],
    );
    let mut lines: Vec<&str> = run.stdout.lines().collect();
    lines.sort();
    assert_eq!(lines.len(), 2, "{run:?}");
    let missing = "IMG005 local image `/img/missing.png` does not exist";
    assert!(
        lines[0].starts_with("hexo/source/_posts/a.md:9:"),
        "{run:?}"
    );
    assert!(lines[0].contains(missing), "{run:?}");
    assert!(
        lines[0].contains("hexo/themes/x/source/img/missing.png)"),
        "{run:?}"
    );
    assert!(
        lines[1].starts_with("hugo/content/posts/a.md:6:"),
        "{run:?}"
    );
    assert!(lines[1].contains(missing), "{run:?}");
    assert!(
        lines[1].contains("hugo/themes/pm/assets/img/missing.png)"),
        "{run:?}"
    );
}

#[test]
fn a_command_after_an_option_is_refused_not_linted_as_a_file() {
    // clap takes what follows an option as the default command's paths: `merge` was linted as
    // a missing file (IO001), and with --exit-zero the run passed.
    let dir = tempdir();
    write(dir.path(), "post.md", clean_post("Hello"));
    for (args, command) in [
        (&["--exit-zero", "merge", "a.facts"][..], "merge"),
        (&["--no-cache", "rules"], "rules"),
        (&["post.md", "learn"], "learn"),
        (&["--exit-zero", "help"], "help"),
    ] {
        common::artlint()
            .current_dir(dir.path())
            .args(args)
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains(format!(
                "error: `{command}` is a command, but it comes after an option"
            )))
            .stderr(predicate::str::contains(format!(
                "help: put the command first, then its options: `artlint {command} [OPTIONS] ...`"
            )));
    }
    // A file or folder of that name is a path to lint.
    write(dir.path(), "rules/post.md", clean_post("Rules"));
    common::artlint()
        .current_dir(dir.path())
        .args(["--no-cache", "--format", "concise", "rules"])
        .assert()
        .code(0)
        .stderr(predicate::str::is_empty());
}

#[test]
fn output_file_dash_is_standard_output() {
    let dir = tempdir();
    write(dir.path(), "post.md", post_missing_date("Hello"));
    let direct = common::artlint()
        .current_dir(dir.path())
        .args(["--no-cache", "--format", "json", "post.md"])
        .output()
        .unwrap();
    for args in [
        &["--no-cache", "--format", "json", "-o", "-", "post.md"][..],
        &[
            "check",
            "--no-cache",
            "--format",
            "json",
            "--output-file=-",
            "post.md",
        ],
    ] {
        let dashed = common::artlint()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        assert_eq!(dashed.status.code(), Some(1), "{args:?}");
        assert!(!dashed.stdout.is_empty());
        assert_eq!(dashed.stdout, direct.stdout, "{args:?}");
        assert!(
            !dir.path().join("-").exists(),
            "{args:?} wrote a file named `-`"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Determinism
// ---------------------------------------------------------------------------------------------

/// About forty posts in nested folders, with findings of many kinds and from several files
/// at once (duplicate titles), so that output order depends on sorting, not on scheduling.
fn generated_corpus(root: &Path) {
    for i in 0..42 {
        let dir = format!("posts/{}/{}", i % 3, i % 2);
        let (name, text) = match i % 9 {
            0 => (format!("clean-{i}.md"), clean_post(&format!("Clean {i}"))),
            1 => (
                format!("nodate-{i}.md"),
                post_missing_date(&format!("Undated {i}")),
            ),
            2 => (
                format!("typo-{i}.md"),
                format!("---\ntitle: Typo {i}\ndate: 2021-05-22\nlayput: post\n---\n"),
            ),
            3 => (
                format!("zw-{i}.md"),
                format!("---\ntitle: 标题{i}\u{200B}\ndate: 2021-05-22\n---\n"),
            ),
            4 => (
                format!("syntax-{i}.md"),
                format!("---\ntitle: Broken: {i}\ndate: 2021-05-22\n---\n"),
            ),
            5 => (format!("dup-{i}.md"), clean_post("Shared title")),
            6 => (format!("nofm-{i}.md"), format!("# Heading {i}\n\nText.\n")),
            7 => (
                format!("mixed-{i}.md"),
                format!("---\r\ntitle: ' Padded {i} '\r\ndate: 2021-05-22\n---\nText\n\u{7}\n"),
            ),
            _ => (
                format!("page-{i}.html"),
                format!("\n---\ntitle: Page {i}\n---\n<p>x</p>\n"),
            ),
        };
        write(root, &format!("{dir}/{name}"), text);
    }
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let dir = tempdir();
    generated_corpus(dir.path());
    for format in ["concise", "json"] {
        let runs: Vec<_> = ["1", "2", "2", "4"]
            .iter()
            .map(|threads| {
                let run = run_in(
                    dir.path(),
                    &["--format", format, "--threads", threads, "posts"],
                );
                assert_eq!(run.code, Some(1), "{run:?}");
                assert!(run.stderr.is_empty(), "{}", run.stderr);
                run.stdout
            })
            .collect();
        for other in &runs[1..] {
            assert!(
                *other == runs[0],
                "--format {format}: output differs between thread counts"
            );
        }
        assert!(runs[0].len() > 1000, "too little output:\n{}", runs[0]);
    }
    // The corpus does produce every kind of finding it was built for.
    let run = run_in(dir.path(), &["--format", "concise", "posts"]);
    let found: BTreeSet<String> = codes(&run.lines()).into_iter().collect();
    for code in [
        "FM001",
        "FM002",
        "FM004",
        "FM005",
        "FM009",
        "FM010",
        "ENC003",
        "ENC005",
        "ENC006",
        "CORPUS001",
    ] {
        assert!(found.contains(code), "no {code} in:\n{}", run.stdout);
    }
    // Sorted by path, then line and column.
    let keys: Vec<(String, u32, u32)> = run
        .lines()
        .iter()
        .map(|l| {
            let mut parts = l.splitn(4, ':');
            let path = parts.next().unwrap().to_string();
            let line = parts.next().unwrap().parse().unwrap();
            let col = parts.next().unwrap().parse().unwrap();
            (path, line, col)
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

// ---------------------------------------------------------------------------------------------
// Discovery: .gitignore, explicit files, globs
// ---------------------------------------------------------------------------------------------

#[test]
fn directory_walk_honours_gitignore_without_a_git_folder() {
    let dir = tempdir();
    let root = dir.path();
    write(root, ".gitignore", "build/\nsecret-*.md\n");
    write(root, "posts/.gitignore", "local.md\n");
    write(root, "posts/kept.md", post_missing_date("Kept"));
    write(root, "posts/secret-plan.md", post_missing_date("Secret"));
    write(root, "posts/local.md", post_missing_date("Local"));
    write(root, "build/out.md", post_missing_date("Built"));
    assert!(!root.join(".git").exists());

    let run = run_in(root, &["--format", "concise", "."]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert_eq!(
        run.stdout,
        "posts/kept.md:1:1: FM004 required field `date` is missing\n"
    );
    let run = run_in(root, &["--format", "json", "."]);
    assert_eq!(run.json()["summary"]["files"], 1);

    // Named explicitly, an ignored file is always linted (as pre-commit expects).
    for file in ["build/out.md", "posts/secret-plan.md", "posts/local.md"] {
        let run = run_in(root, &["--format", "concise", file]);
        assert_eq!(run.code, Some(1), "{file}: {run:?}");
        assert_eq!(
            run.stdout,
            format!("{file}:1:1: FM004 required field `date` is missing\n")
        );
    }
    // Explicit and walked together: each file once.
    let run = run_in(root, &["--format", "concise", ".", "build/out.md", "posts"]);
    assert_eq!(
        run.stdout,
        "build/out.md:1:1: FM004 required field `date` is missing\n\
         posts/kept.md:1:1: FM004 required field `date` is missing\n"
    );
}

#[test]
fn walk_skips_other_extensions_and_default_excludes() {
    let dir = tempdir();
    let root = dir.path();
    write(root, "posts/a.md", post_missing_date("A"));
    write(root, "posts/b.markdown", post_missing_date("B"));
    write(root, "posts/c.html", post_missing_date("C"));
    write(root, "posts/notes.txt", post_missing_date("Notes"));
    write(root, "posts/data.yaml", "title: x\n");
    write(root, "node_modules/pkg/README.md", post_missing_date("Dep"));
    write(root, "_site/index.html", post_missing_date("Built"));
    let run = run_in(root, &["--format", "concise", "."]);
    let paths: Vec<&str> = run
        .lines()
        .iter()
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(paths, ["posts/a.md", "posts/b.markdown", "posts/c.html"]);
}

#[test]
fn a_file_to_write_that_cannot_be_is_refused_before_the_lint() {
    let dir = tempdir();
    write(dir.path(), "posts/a.md", post_missing_date("A"));
    for (option, path, says) in [
        (
            "-o",
            "posts",
            "--output-file posts: is a folder; name a file",
        ),
        (
            "--emit-facts",
            "out/",
            "--emit-facts out/: is a folder; name a file",
        ),
        (
            "--write-baseline",
            "missing/base.json",
            "--write-baseline missing/base.json: its folder missing does not exist",
        ),
    ] {
        let run = run_in(dir.path(), &["--no-cache", option, path, "posts"]);
        assert_eq!(run.code, Some(2), "{run:?}");
        // Said first and alone: nothing was linted, nothing else was written.
        assert_eq!(run.stderr, format!("error: {says}\n"));
        assert_eq!(run.stdout, "");
    }
    let run = run_in(dir.path(), &["merge", "-o", "posts", "x.facts"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            Some(2),
            "error: --output-file posts: is a folder; name a file\n"
        )
    );
}

#[test]
fn a_file_to_write_that_is_a_post_to_lint_is_refused() {
    // `-o`, a baseline or a facts file naming a post (however spelled, or through a link) would
    // replace the post with the report: refused, and the post is left as it was.
    let dir = tempdir();
    write(dir.path(), "posts/a.md", post_missing_date("A"));
    #[cfg(unix)]
    std::os::unix::fs::symlink("posts/a.md", dir.path().join("link.md")).unwrap();
    let before = std::fs::read(dir.path().join("posts/a.md")).unwrap();
    let mut cases = vec![
        ("-o", "posts/a.md", "--output-file posts/a.md"),
        (
            "--write-baseline",
            "./posts/../posts/a.md",
            "--write-baseline ./posts/../posts/a.md",
        ),
    ];
    if cfg!(unix) {
        cases.push(("--emit-facts", "link.md", "--emit-facts link.md"));
    }
    for (option, path, says) in cases {
        let run = run_in(dir.path(), &["--no-cache", option, path, "posts"]);
        assert_eq!(run.code, Some(2), "{run:?}");
        assert_eq!(
            run.stderr,
            format!(
                "error: {says}: that file is the post posts/a.md; this run would overwrite it\n"
            )
        );
        assert_eq!(run.stdout, "");
        assert_eq!(
            std::fs::read(dir.path().join("posts/a.md")).unwrap(),
            before
        );
    }
    // The post's file under another name: a link to it from the posts, a hard link.
    #[cfg(unix)]
    {
        write(dir.path(), "drafts/draft.md", post_missing_date("Draft"));
        std::os::unix::fs::symlink("../drafts/draft.md", dir.path().join("posts/b.md")).unwrap();
        std::fs::hard_link(dir.path().join("posts/a.md"), dir.path().join("hard.json")).unwrap();
        for (option, path, post) in [
            ("-o", "drafts/draft.md", "posts/b.md"),
            ("--write-baseline", "hard.json", "posts/a.md"),
        ] {
            let run = run_in(dir.path(), &["--no-cache", option, path, "posts"]);
            assert_eq!(run.code, Some(2), "{run:?}");
            assert!(
                run.stderr
                    .contains(&format!("that file is the post {post};")),
                "{run:?}"
            );
        }
        std::fs::remove_file(dir.path().join("posts/b.md")).unwrap();
        std::fs::remove_file(dir.path().join("hard.json")).unwrap();
    }
    assert_eq!(
        std::fs::read(dir.path().join("posts/a.md")).unwrap(),
        before
    );
    // The baseline the run reads, and `learn`'s pack.
    write(
        dir.path(),
        "base.json",
        "{\"version\": 1, \"findings\": []}",
    );
    let run = run_in(
        dir.path(),
        &[
            "--no-cache",
            "--baseline",
            "base.json",
            "-o",
            "base.json",
            "posts",
        ],
    );
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains("that file is the baseline base.json;"),
        "{run:?}"
    );
    let run = run_in(dir.path(), &["learn", "posts", "-o", "posts/a.md"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert_eq!(
        std::fs::read(dir.path().join("posts/a.md")).unwrap(),
        before
    );
    // A report beside the posts that is not one of them is written.
    let run = run_in(
        dir.path(),
        &["--no-cache", "-o", "posts/report.txt", "posts"],
    );
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(dir.path().join("posts/report.txt").exists());
}

fn glob_folder(root: &Path) {
    write(root, "posts/a.md", post_missing_date("A"));
    write(root, "posts/2021/b.md", post_missing_date("B"));
    write(root, "posts/2021/c.markdown", post_missing_date("C"));
    write(root, "other/d.md", post_missing_date("D"));
}

#[test]
fn glob_argument_lints_matching_files_only() {
    let dir = tempdir();
    glob_folder(dir.path());
    // Passed unexpanded, as from a quoted shell argument or a pre-commit config.
    let run = run_in(dir.path(), &["--format", "concise", "posts/**/*.md"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert_eq!(
        run.stdout,
        "posts/2021/b.md:1:1: FM004 required field `date` is missing\n\
         posts/a.md:1:1: FM004 required field `date` is missing\n"
    );
    let run = run_in(dir.path(), &["--format", "concise", "**/*.markdown"]);
    assert_eq!(
        run.stdout,
        "posts/2021/c.markdown:1:1: FM004 required field `date` is missing\n"
    );
    let run = run_in(dir.path(), &["--format", "concise", "*/a.md", "other/*.md"]);
    assert_eq!(
        run.stdout,
        "other/d.md:1:1: FM004 required field `date` is missing\n\
         posts/a.md:1:1: FM004 required field `date` is missing\n"
    );
    // A glob matching nothing is not an error, but is said (a typo, most likely); one that
    // matches is not named.
    let run = run_in(
        dir.path(),
        &["--format", "concise", "posts/**/*.htm", "other/*.md"],
    );
    assert_eq!(run.code, Some(1), "{run:?}");
    assert_eq!(
        run.stderr,
        "warning: the pattern `posts/**/*.htm` matches no file to lint\n"
    );
    // An invalid glob is a usage error.
    let run = run_in(dir.path(), &["--format", "concise", "posts/[a.md"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("invalid glob"), "{}", run.stderr);
}

#[test]

fn glob_star_does_not_cross_folders() {
    let dir = tempdir();
    glob_folder(dir.path());
    let run = run_in(dir.path(), &["--format", "concise", "posts/*.md"]);
    assert_eq!(
        run.stdout,
        "posts/a.md:1:1: FM004 required field `date` is missing\n"
    );
}

#[test]

fn glob_with_leading_dot_slash() {
    let dir = tempdir();
    glob_folder(dir.path());
    let run = run_in(dir.path(), &["--format", "concise", "./posts/**/*.md"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert_eq!(
        run.stdout,
        "posts/2021/b.md:1:1: FM004 required field `date` is missing\n\
         posts/a.md:1:1: FM004 required field `date` is missing\n"
    );
}

#[test]

fn overrides_apply_to_absolute_paths() {
    let dir = tempdir();
    let site = dir.path().join("site");
    write(
        &site,
        "artlint.toml",
        "exclude = [\"build/**\"]\n[[overrides]]\nfiles = [\"drafts/**\"]\nignore = [\"FM004\"]\n",
    );
    write(
        &site,
        "drafts/wip.md",
        post_missing_date("Work in progress"),
    );
    write(&site, "build/out.md", post_missing_date("Built"));
    write(&site, "posts/live.md", post_missing_date("Live"));
    let abs = site.to_str().unwrap().to_string();
    let run = run_in(&site, &["--format", "concise", &abs]);
    assert_eq!(
        run.stdout,
        format!("{abs}/posts/live.md:1:1: FM004 required field `date` is missing\n")
    );
}

#[test]

fn parent_relative_path_gets_its_own_config() {
    let dir = tempdir();
    let blog = dir.path().join("blog");
    write(&blog, "posts/artlint.toml", "ignore = [\"FM\"]\n");
    write(&blog, "drafts/d.md", post_missing_date("Draft"));
    // blog/ has no configuration: the defaults apply to drafts/d.md.
    let run = run_in(&blog.join("posts"), &["--format", "concise", "../drafts"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert_eq!(
        run.stdout,
        "../drafts/d.md:1:1: FM004 required field `date` is missing\n"
    );
}

#[test]
fn a_post_named_two_ways_is_linted_once() {
    let dir = tempdir();
    write(
        dir.path(),
        "posts/b/post.md",
        "---\ntitle: A post\ndate: 2021-05-01\n---\n<p>Text.</p>\n<p> </p>\n",
    );
    std::fs::create_dir(dir.path().join("posts/a")).unwrap();
    let absolute = dir.path().canonicalize().unwrap().join("posts/b/post.md");
    let absolute = absolute.to_str().unwrap();
    // Not its own duplicate (CORPUS001), its finding reported once, its fix written once.
    for args in [
        vec![
            "--no-cache",
            "--format",
            "concise",
            "posts/b/post.md",
            absolute,
        ],
        vec!["--no-cache", "--format", "concise", "posts", "posts/a/../b"],
    ] {
        let run = run_in(dir.path(), &args);
        assert_eq!(run.lines().len(), 1, "{run:?}");
        assert!(run.stdout.contains("posts/b/post.md"), "{run:?}");
    }
    let run = run_in(
        dir.path(),
        &["--no-cache", "--fix", "posts/b/post.md", absolute],
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stderr.contains("Fixed 1 problem"), "{run:?}");
}
