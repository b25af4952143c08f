//! The date rules (DT001–DT009) as a user meets them: `--now` and `now = …` for reproducible
//! runs, each rule's options, the DT009 rewrite (applied by hand to check its bytes and its
//! idempotence), TOML front matter and Hugo's case-insensitive keys, hostile values, and
//! identical findings whatever the thread count.

mod common;

use std::path::Path;

use common::{Run, run_in, tempdir, write};
use serde_json::Value;

/// A fixed "now" for the tests that are not about `--now` itself: every date below is in its
/// past unless a test says otherwise.
const NOW: &str = "2024-01-01T00:00:00Z";

/// A YAML post titled `title` whose front matter continues with `fields` (lines ending in
/// `\n`). `title` is line 2, so the first line of `fields` is line 3.
fn yaml_post(title: &str, fields: &str) -> String {
    format!("---\ntitle: {title}\n{fields}---\nBody of the post.\n")
}

/// The same with TOML front matter (`+++`).
fn toml_post(title: &str, fields: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n{fields}+++\nBody of the post.\n")
}

/// No panic, no internal error, exit 0 or 1 (2 is for usage and configuration errors).
fn assert_linted(run: &Run) {
    assert!(
        !run.stderr.contains("panicked"),
        "artlint panicked:\n{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("internal error"),
        "artlint hit an internal error:\n{}",
        run.stderr
    );
    assert!(
        matches!(run.code, Some(0 | 1)),
        "expected exit 0 or 1, got {:?}\nstdout:\n{}\nstderr:\n{}",
        run.code,
        run.stdout,
        run.stderr
    );
}

/// `artlint --format concise ARGS` in `dir`, checked to have linted without crashing.
/// The posts these tests write share their filler text, which the cross-file rules (learned
/// boilerplate, duplicates) would rightly report: they are left out here.
fn concise(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["--format", "concise", "--ignore", "CORPUS"];
    all.extend_from_slice(args);
    let run = run_in(dir, &all);
    assert_linted(&run);
    run
}

/// `artlint --format json ARGS` in `dir`: the run and its diagnostics.
fn json(dir: &Path, args: &[&str]) -> (Run, Vec<Value>) {
    let mut all = vec!["--format", "json", "--ignore", "CORPUS"];
    all.extend_from_slice(args);
    let run = run_in(dir, &all);
    assert_linted(&run);
    let diagnostics = run.json()["diagnostics"]
        .as_array()
        .expect("a diagnostics array")
        .clone();
    (run, diagnostics)
}

/// The diagnostics of the date family.
fn dates(diagnostics: &[Value]) -> Vec<Value> {
    diagnostics
        .iter()
        .filter(|d| d["family"] == "dates")
        .cloned()
        .collect()
}

/// The diagnostics with `code`.
fn with_code(diagnostics: &[Value], code: &str) -> Vec<Value> {
    diagnostics
        .iter()
        .filter(|d| d["code"] == code)
        .cloned()
        .collect()
}

/// A diagnostic as its concise line: `path:line:col: CODE message`.
fn line_of(d: &Value) -> String {
    format!(
        "{}:{}:{}: {} {}",
        d["path"].as_str().unwrap(),
        d["start"]["line"],
        d["start"]["column"],
        d["code"].as_str().unwrap(),
        d["message"].as_str().unwrap()
    )
}

fn lines_of(diagnostics: &[Value]) -> Vec<String> {
    diagnostics.iter().map(line_of).collect()
}

/// The single edit of `d`'s fix, as (start, end, replacement), after checking that the fix is
/// safe and has exactly one edit.
fn single_edit(d: &Value) -> (usize, usize, String) {
    let fix = &d["fix"];
    assert!(fix.is_object(), "no fix: {d}");
    assert_eq!(fix["safety"], "safe", "{d}");
    let edits = fix["edits"].as_array().expect("an edits array");
    assert_eq!(edits.len(), 1, "{d}");
    let offset = |key: &str| usize::try_from(edits[0][key].as_u64().expect("an offset")).unwrap();
    (
        offset("start"),
        offset("end"),
        edits[0]["replacement"]
            .as_str()
            .expect("a replacement")
            .to_string(),
    )
}

/// `text` with `d`'s single edit applied.
fn apply_fix(text: &str, d: &Value) -> String {
    let (start, end, replacement) = single_edit(d);
    assert!(start <= end && end <= text.len(), "edit out of range: {d}");
    format!("{}{replacement}{}", &text[..start], &text[end..])
}

// ---------------------------------------------------------------------------------------------
// 1. "Now": --now, `now = …`, tolerance, publishDate
// ---------------------------------------------------------------------------------------------

/// Dated midnight UTC, 1 January 2030. `date` is line 3, its value at column 7.
fn future_post() -> String {
    yaml_post("Launch", "date: 2030-01-01 00:00:00 +0000\n")
}

const FUTURE_DT004: &str =
    "post.md:3:7: DT004 `date` `2030-01-01 00:00:00 +0000` is 10 years in the future";

#[test]
fn now_flag_within_the_default_tolerance_gives_no_future_date() {
    let dir = tempdir();
    write(dir.path(), "post.md", future_post());
    // Twelve hours ahead of "now" is inside the 24-hour default tolerance.
    let run = concise(dir.path(), &["--now", "2029-12-31T12:00:00Z", "post.md"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.stdout, "", "no finding expected");
}

#[test]
fn now_flag_in_the_past_reports_the_date_years_in_the_future() {
    let dir = tempdir();
    write(dir.path(), "post.md", future_post());
    let args = ["--now", "2020-01-01T00:00:00Z", "post.md"];
    let run = concise(dir.path(), &args);
    // A warning: the exit code stays 0.
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.lines(), [FUTURE_DT004]);
    assert!(run.stdout.contains("years in the future"));
    // Reproducible: the same verdict on every run, whatever the clock says.
    assert_eq!(concise(dir.path(), &args).stdout, run.stdout);

    let (_, diagnostics) = json(dir.path(), &args);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    assert_eq!(d["code"], "DT004");
    assert_eq!(d["name"], "future-date");
    assert_eq!(d["severity"], "warning");
    // The span is exactly the value.
    let text = future_post();
    let start = text.find("2030-01-01").unwrap();
    assert_eq!(d["start"]["offset"], start);
    assert_eq!(
        d["end"]["offset"],
        start + "2030-01-01 00:00:00 +0000".len()
    );
    assert_eq!(d["end"]["line"], 3);
    assert_eq!(d["end"]["column"], 32);
}

#[test]
fn now_in_the_config_file_does_the_same_and_the_flag_overrides_it() {
    let dir = tempdir();
    write(dir.path(), "post.md", future_post());
    write(
        dir.path(),
        "artlint.toml",
        "now = \"2020-01-01T00:00:00Z\"\n",
    );
    let run = concise(dir.path(), &["post.md"]);
    assert_eq!(run.lines(), [FUTURE_DT004]);

    // --now wins over `now`.
    let run = concise(dir.path(), &["--now", "2029-12-31T12:00:00Z", "post.md"]);
    assert_eq!(
        run.stdout, "",
        "--now should override `now` in artlint.toml"
    );

    // An offset other than Z names the same instant.
    write(
        dir.path(),
        "artlint.toml",
        "now = \"2020-01-01T08:00:00+08:00\"\n",
    );
    let run = concise(dir.path(), &["post.md"]);
    assert_eq!(run.lines(), [FUTURE_DT004]);
}

#[test]
fn unparseable_now_exits_two() {
    let dir = tempdir();
    write(dir.path(), "post.md", future_post());
    let run = run_in(
        dir.path(),
        &["--format", "concise", "--now", "garbage", "post.md"],
    );
    assert_eq!(run.code, Some(2), "{run:?}");
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("--now"), "{}", run.stderr);
    assert!(run.stderr.contains("garbage"), "{}", run.stderr);
    assert!(run.stderr.contains("RFC 3339"), "{}", run.stderr);

    // A date without a time is not a moment either.
    let run = run_in(
        dir.path(),
        &["--format", "concise", "--now", "2020-01-01", "post.md"],
    );
    assert_eq!(run.code, Some(2), "{run:?}");

    // The same in the config file, with its position.
    write(dir.path(), "artlint.toml", "now = \"garbage\"\n");
    let run = run_in(dir.path(), &["--format", "concise", "post.md"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("`now`"), "{}", run.stderr);
    assert!(run.stderr.contains("RFC 3339"), "{}", run.stderr);
    assert!(run.stderr.contains("artlint.toml"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn tolerance_hours_moves_the_boundary() {
    let dir = tempdir();
    write(dir.path(), "post.md", future_post());
    // Default tolerance, 24 hours: exactly 24 hours ahead is still fine, one second more is not.
    let run = concise(dir.path(), &["--now", "2029-12-31T00:00:00Z", "post.md"]);
    assert_eq!(run.stdout, "");
    let run = concise(dir.path(), &["--now", "2029-12-30T23:59:59Z", "post.md"]);
    assert_eq!(
        run.lines(),
        ["post.md:3:7: DT004 `date` `2030-01-01 00:00:00 +0000` is 1 day in the future"]
    );

    write(
        dir.path(),
        "artlint.toml",
        "[rules.future-date]\ntolerance-hours = 0\n",
    );
    // Twelve hours ahead, no tolerance: reported.
    let run = concise(dir.path(), &["--now", "2029-12-31T12:00:00Z", "post.md"]);
    assert_eq!(
        run.lines(),
        ["post.md:3:7: DT004 `date` `2030-01-01 00:00:00 +0000` is less than a day in the future"]
    );
    // Exactly now is not the future; one second before is.
    let run = concise(dir.path(), &["--now", "2030-01-01T00:00:00Z", "post.md"]);
    assert_eq!(run.stdout, "");
    let run = concise(dir.path(), &["--now", "2029-12-31T23:59:59Z", "post.md"]);
    assert_eq!(codes_of(&run), ["DT004"]);

    write(
        dir.path(),
        "artlint.toml",
        "[rules.future-date]\ntolerance-hours = 48\n",
    );
    let run = concise(dir.path(), &["--now", "2029-12-30T12:00:00Z", "post.md"]);
    assert_eq!(run.stdout, "", "36 hours ahead is within 48");
}

/// The codes of a concise run's lines.
fn codes_of(run: &Run) -> Vec<String> {
    common::codes(&run.lines())
}

#[test]
fn future_publish_date_is_not_reported_by_default() {
    let dir = tempdir();
    // Hugo schedules posts with publishDate: a future one is intended.
    write(
        dir.path(),
        "post.md",
        yaml_post(
            "Scheduled",
            "date: 2021-05-22 12:02:19\npublishDate: 2031-01-01\n",
        ),
    );
    let run = concise(dir.path(), &["--now", NOW, "post.md"]);
    assert_eq!(run.stdout, "", "publishDate is not checked by default");

    // It is when `fields` says so, and then only it.
    write(
        dir.path(),
        "artlint.toml",
        "[rules.future-date]\nfields = [\"publishDate\"]\n",
    );
    let run = concise(dir.path(), &["--now", NOW, "post.md"]);
    assert_eq!(
        run.lines(),
        ["post.md:4:14: DT004 `publishDate` `2031-01-01` is 7 years in the future"]
    );
}

#[test]
fn future_updated_and_lastmod_are_reported() {
    let dir = tempdir();
    write(
        dir.path(),
        "post.md",
        yaml_post(
            "Updated",
            "date: 2021-05-22 12:02:19\nupdated: 2201-05-22 12:02:19\nlastmod: 2024-03-01\n",
        ),
    );
    let run = concise(dir.path(), &["--now", NOW, "post.md"]);
    assert_eq!(
        run.lines(),
        [
            "post.md:4:10: DT004 `updated` `2201-05-22 12:02:19` is 177 years in the future",
            "post.md:5:10: DT004 `lastmod` `2024-03-01` is 60 days in the future",
        ]
    );
}

#[test]

fn huge_tolerance_does_not_panic() {
    let dir = tempdir();
    write(dir.path(), "post.md", future_post());
    write(
        dir.path(),
        "artlint.toml",
        "[rules.future-date]\ntolerance-hours = 9223372036854775807\n",
    );
    let run = run_in(
        dir.path(),
        &[
            "--format",
            "concise",
            "--now",
            "2020-01-01T00:00:00Z",
            "post.md",
        ],
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    // Either a configuration error, or no date is beyond an unbounded tolerance.
    assert!(
        run.code == Some(2) && run.stderr.contains("tolerance-hours")
            || run.code == Some(0) && run.stdout.is_empty(),
        "{run:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// 2. Options
// ---------------------------------------------------------------------------------------------

#[test]
fn formats_option_narrows_the_accepted_spellings() {
    let dir = tempdir();
    write(
        dir.path(),
        "post.md",
        yaml_post("Feed item", "date: Thu, 02 Dec 2021 07:56:55 GMT\n"),
    );
    // Every spelling is accepted by default.
    let run = concise(dir.path(), &["--now", NOW, "post.md"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.stdout, "");

    write(
        dir.path(),
        "artlint.toml",
        "[rules.unparseable-date]\nformats = [\"date\"]\n",
    );
    let (run, diagnostics) = json(dir.path(), &["--now", NOW, "post.md"]);
    // DT001 is an error.
    assert_eq!(run.code, Some(1), "{run:?}");
    assert_eq!(
        lines_of(&diagnostics),
        ["post.md:3:7: DT001 `date` is written as rfc2822, which this site does not accept"]
    );
    let d = &diagnostics[0];
    assert_eq!(d["severity"], "error");
    assert!(d["message"].as_str().unwrap().contains("does not accept"));
    // The help shows the one accepted spelling, and only it.
    let help = d["help"].as_str().unwrap();
    assert!(help.contains("`2021-12-02` (date)"), "{help}");
    assert!(!help.contains("rfc2822"), "{help}");

    // A date-only value is accepted.
    write(
        dir.path(),
        "post.md",
        yaml_post("Feed item", "date: 2021-12-02\n"),
    );
    let run = concise(dir.path(), &["--now", NOW, "post.md"]);
    assert_eq!(run.stdout, "");
}

#[test]
fn unknown_format_name_is_a_configuration_error() {
    let dir = tempdir();
    write(
        dir.path(),
        "post.md",
        yaml_post("Typo", "date: 2021-05-22\n"),
    );
    write(
        dir.path(),
        "artlint.toml",
        "[rules.unparseable-date]\nformats = [\"dat\"]\n",
    );
    let run = run_in(
        dir.path(),
        &["--format", "concise", "--now", NOW, "post.md"],
    );
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("dat"), "{}", run.stderr);
    assert!(run.stderr.contains("formats"), "{}", run.stderr);
}

#[test]
fn earliest_year_option() {
    let dir = tempdir();
    write(
        dir.path(),
        "post.md",
        yaml_post("Old news", "date: 2006-11-27 21:50:29+00:00\n"),
    );
    // 2006 is after the default 1990.
    let run = concise(dir.path(), &["--now", NOW, "post.md"]);
    assert_eq!(run.stdout, "");

    write(
        dir.path(),
        "artlint.toml",
        "[rules.date-too-early]\nearliest-year = 2010\n",
    );
    let run = concise(dir.path(), &["--now", NOW, "post.md"]);
    assert_eq!(run.code, Some(0), "DT005 is a warning: {run:?}");
    assert_eq!(
        run.lines(),
        ["post.md:3:7: DT005 `date` `2006-11-27 21:50:29+00:00` is before 2010"]
    );

    // The earliest year itself is fine.
    write(
        dir.path(),
        "post.md",
        yaml_post("Old news", "date: 2010-01-01\n"),
    );
    let run = concise(dir.path(), &["--now", NOW, "post.md"]);
    assert_eq!(run.stdout, "");
}

#[test]
fn default_earliest_year_catches_zero_timestamps() {
    let dir = tempdir();
    write(
        dir.path(),
        "post.md",
        yaml_post("Imported", "date: 1970-01-01 00:00:00\n"),
    );
    let run = concise(dir.path(), &["--now", NOW, "post.md"]);
    assert_eq!(
        run.lines(),
        ["post.md:3:7: DT005 `date` `1970-01-01 00:00:00` is before 1990"]
    );
}

#[test]
fn folders_option_compares_year_and_month_folders() {
    let dir = tempdir();
    write(
        dir.path(),
        "posts/2021/05/p.md",
        yaml_post("Moved", "date: 2021-06-01\n"),
    );
    write(
        dir.path(),
        "posts/2021/05/q.md",
        yaml_post("Filed right", "date: 2021-05-09\n"),
    );
    write(
        dir.path(),
        "posts/2020/r.md",
        yaml_post("Wrong year", "date: 2021-05-09\n"),
    );
    // Off by default.
    let run = concise(dir.path(), &["--now", NOW, "posts"]);
    assert_eq!(run.stdout, "", "folders are not compared by default");

    write(
        dir.path(),
        "artlint.toml",
        "[rules.filename-date-mismatch]\nfolders = true\n",
    );
    let run = concise(dir.path(), &["--now", NOW, "posts"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(
        run.lines(),
        [
            "posts/2020/r.md:3:7: DT006 `date` is 2021-05-09, but the post is filed under 2020/",
            "posts/2021/05/p.md:3:7: DT006 `date` is 2021-06-01, but the post is filed under 2021/05/",
        ]
    );

    write(
        dir.path(),
        "artlint.toml",
        "[rules.filename-date-mismatch]\nfolders = false\n",
    );
    let run = concise(dir.path(), &["--now", NOW, "posts"]);
    assert_eq!(run.stdout, "");
}

#[test]
fn jekyll_file_name_date_is_compared_with_date() {
    let dir = tempdir();
    write(
        dir.path(),
        "_posts/2018-05-12-campus-workers.md",
        yaml_post("Campus workers", "date: 2018-05-04\n"),
    );
    write(
        dir.path(),
        "_posts/2018-05-13-agreed.md",
        yaml_post("Agreed", "date: 2018-05-13 09:00:00 +0800\n"),
    );
    let run = concise(dir.path(), &["--now", NOW, "_posts"]);
    assert_eq!(
        run.lines(),
        [
            "_posts/2018-05-12-campus-workers.md:3:7: DT006 `date` is 2018-05-04 (8 days earlier), but the file name says 2018-05-12"
        ]
    );
}

#[test]
fn date_fields_replaces_the_checked_keys() {
    let dir = tempdir();
    let text = yaml_post("Custom key", "date: 2021-02-30\npublished_at: 2021-02-30\n");
    write(dir.path(), "post.md", &text);

    // By default `date` is checked and `published_at` is not.
    let (_, diagnostics) = json(dir.path(), &["--now", NOW, "post.md"]);
    assert_eq!(
        lines_of(&dates(&diagnostics)),
        ["post.md:3:7: DT002 `date` is impossible: 2021-02-30 is not a day of the calendar"]
    );

    write(
        dir.path(),
        "artlint.toml",
        "date-fields = [\"published_at\"]\n",
    );
    let (run, diagnostics) = json(dir.path(), &["--now", NOW, "post.md"]);
    assert_eq!(run.code, Some(1), "DT002 is an error: {run:?}");
    assert_eq!(
        lines_of(&dates(&diagnostics)),
        [
            "post.md:4:15: DT002 `published_at` is impossible: 2021-02-30 is not a day of the calendar"
        ]
    );
    let d = &dates(&diagnostics)[0];
    assert_eq!(d["severity"], "error");
    let start = text.rfind("2021-02-30").unwrap();
    assert_eq!(d["start"]["offset"], start);
    assert_eq!(d["end"]["offset"], start + 10);
}

#[test]
fn invalid_option_types_exit_two_naming_the_option() {
    let cases = [
        ("date-too-early", "earliest-year = \"x\"", "earliest-year"),
        ("date-too-early", "earliest-year = 2010.5", "earliest-year"),
        ("future-date", "tolerance-hours = \"24\"", "tolerance-hours"),
        ("future-date", "fields = \"date\"", "fields"),
        ("filename-date-mismatch", "folders = \"yes\"", "folders"),
        ("unparseable-date", "formats = \"date\"", "formats"),
        ("unparseable-date", "formats = [1]", "formats"),
        ("non-preferred-date-format", "timezone = 8", "timezone"),
        ("non-preferred-date-format", "format = false", "format"),
    ];
    for (rule, option, name) in cases {
        let dir = tempdir();
        write(
            dir.path(),
            "post.md",
            yaml_post("Hello", "date: 2021-05-22\n"),
        );
        write(
            dir.path(),
            "artlint.toml",
            format!("[rules.{rule}]\n{option}\n"),
        );
        let run = run_in(
            dir.path(),
            &["--format", "concise", "--now", NOW, "post.md"],
        );
        assert_eq!(run.code, Some(2), "{option}: {run:?}");
        assert_eq!(run.stdout, "", "{option}: nothing is linted");
        assert!(
            run.stderr.contains(&format!("option `{name}` of `{rule}`")),
            "{option}:\n{}",
            run.stderr
        );
        assert!(run.stderr.contains("expected"), "{option}:\n{}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }

    // A misspelt option gets a suggestion.
    let dir = tempdir();
    write(
        dir.path(),
        "post.md",
        yaml_post("Hello", "date: 2021-05-22\n"),
    );
    write(
        dir.path(),
        "artlint.toml",
        "[rules.date-too-early]\nearliest-yaer = 2010\n",
    );
    let run = run_in(dir.path(), &["--format", "concise", "post.md"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains("did you mean `earliest-year`"),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------------------------------------
// 3. DT009: the preferred format and its rewrite
// ---------------------------------------------------------------------------------------------

const RFC2822_POST_FIELDS: &str = "date: Thu, 02 Dec 2021 07:56:55 GMT\n";

/// Turn DT009 on in `dir/artlint.toml`, with `extra` option lines.
fn enable_dt009(dir: &Path, extra: &str) {
    write(
        dir,
        "artlint.toml",
        format!("[rules.non-preferred-date-format]\nseverity = \"warning\"\n{extra}"),
    );
}

#[test]
fn dt009_is_off_by_default_and_enabled_by_extend_select_or_severity() {
    let dir = tempdir();
    let text = yaml_post("Day only", "date: 2021-05-22\n");
    write(dir.path(), "post.md", &text);
    let run = concise(dir.path(), &["--now", NOW, "post.md"]);
    assert_eq!(run.stdout, "", "DT009 is off by default");

    let (run, by_flag) = json(
        dir.path(),
        &["--now", NOW, "--extend-select", "DT009", "post.md"],
    );
    assert_eq!(run.code, Some(0), "DT009 is a warning: {run:?}");
    assert_eq!(
        lines_of(&by_flag),
        [
            "post.md:3:7: DT009 `date` `2021-05-22` is not in the preferred format `%Y-%m-%d %H:%M:%S`"
        ]
    );
    assert_eq!(by_flag[0]["severity"], "warning");

    enable_dt009(dir.path(), "");
    let (_, by_config) = json(dir.path(), &["--now", NOW, "post.md"]);
    assert_eq!(by_config, by_flag);

    // The name selects it too.
    std::fs::remove_file(dir.path().join("artlint.toml")).unwrap();
    let (_, by_name) = json(
        dir.path(),
        &[
            "--now",
            NOW,
            "--extend-select",
            "non-preferred-date-format",
            "post.md",
        ],
    );
    assert_eq!(by_name, by_flag);
}

#[test]
fn dt009_date_only_value_gets_a_safe_fix_to_midnight() {
    let dir = tempdir();
    let text = yaml_post("Day only", "date: 2021-05-22\n");
    write(dir.path(), "post.md", &text);
    let (_, diagnostics) = json(
        dir.path(),
        &["--now", NOW, "--extend-select", "DT009", "post.md"],
    );
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    assert_eq!(d["code"], "DT009");
    assert_eq!(d["help"], "write `2021-05-22 00:00:00`");
    assert_eq!(d["fix"]["title"], "Rewrite as `2021-05-22 00:00:00`");
    let (start, end, replacement) = single_edit(d);
    assert_eq!(&text.as_bytes()[start..end], b"2021-05-22");
    assert_eq!(start, text.find("2021-05-22").unwrap());
    assert_eq!(replacement, "2021-05-22 00:00:00");
    // The edit covers the reported span.
    assert_eq!(d["start"]["offset"], start);
    assert_eq!(d["end"]["offset"], end);
    assert_eq!(json(dir.path(), &["--now", NOW, "post.md"]).0.code, Some(0));
}

#[test]
fn dt009_fix_is_idempotent() {
    let dir = tempdir();
    let text = yaml_post("Day only", "date: 2021-05-22\n");
    write(dir.path(), "post.md", &text);
    let args = ["--now", NOW, "--extend-select", "DT009", "post.md"];
    let (_, diagnostics) = json(dir.path(), &args);
    let fixed = apply_fix(&text, &with_code(&diagnostics, "DT009")[0]);
    assert_eq!(fixed, yaml_post("Day only", "date: 2021-05-22 00:00:00\n"));
    write(dir.path(), "post.md", &fixed);
    let (run, diagnostics) = json(dir.path(), &args);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        diagnostics.is_empty(),
        "the fixed file still has findings: {diagnostics:?}"
    );
}

#[test]
fn dt009_value_already_in_the_preferred_format_is_not_reported() {
    let dir = tempdir();
    write(
        dir.path(),
        "post.md",
        yaml_post(
            "Hexo",
            "date: 2021-05-22 12:02:19\nupdated: 2021-05-23 08:00:00\n",
        ),
    );
    let run = concise(
        dir.path(),
        &["--now", NOW, "--extend-select", "DT009", "post.md"],
    );
    assert_eq!(run.stdout, "");

    // A custom format is honoured.
    enable_dt009(dir.path(), "format = \"%Y-%m-%d\"\n");
    write(
        dir.path(),
        "post.md",
        yaml_post("Day", "date: 2021-05-22\n"),
    );
    let run = concise(dir.path(), &["--now", NOW, "post.md"]);
    assert_eq!(run.stdout, "");
}

#[test]
fn dt009_without_timezone_offers_no_fix_for_a_date_with_an_offset() {
    let dir = tempdir();
    write(
        dir.path(),
        "post.md",
        yaml_post("Feed", RFC2822_POST_FIELDS),
    );
    enable_dt009(dir.path(), "");
    let (run, diagnostics) = json(dir.path(), &["--now", NOW, "post.md"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(
        lines_of(&diagnostics),
        [
            "post.md:3:7: DT009 `date` `Thu, 02 Dec 2021 07:56:55 GMT` is not in the preferred format `%Y-%m-%d %H:%M:%S`"
        ]
    );
    let d = &diagnostics[0];
    assert!(d["fix"].is_null(), "dropping GMT would move the post: {d}");
    let help = d["help"].as_str().unwrap();
    assert!(help.contains("`timezone`"), "{help}");
    assert_eq!(run.json()["summary"]["fixable"], 0);
}

#[test]

fn dt009_with_timezone_rewrites_rfc2822_in_the_site_zone() {
    for zone in ["+08:00", "Asia/Shanghai"] {
        let dir = tempdir();
        let text = yaml_post("Feed", RFC2822_POST_FIELDS);
        write(dir.path(), "post.md", &text);
        enable_dt009(dir.path(), &format!("timezone = \"{zone}\"\n"));
        let (_, diagnostics) = json(dir.path(), &["--now", NOW, "post.md"]);
        assert_eq!(diagnostics.len(), 1, "{zone}: {diagnostics:?}");
        let d = &diagnostics[0];
        assert_eq!(d["code"], "DT009");
        let (start, end, replacement) = single_edit(d);
        assert_eq!(
            &text.as_bytes()[start..end],
            b"Thu, 02 Dec 2021 07:56:55 GMT",
            "{zone}"
        );
        assert_eq!(replacement, "2021-12-02 15:56:55", "{zone}");

        // Applied, and linted again with the same configuration: nothing left.
        let fixed = apply_fix(&text, d);
        assert_eq!(fixed, yaml_post("Feed", "date: 2021-12-02 15:56:55\n"));
        write(dir.path(), "post.md", &fixed);
        let (_, diagnostics) = json(dir.path(), &["--now", NOW, "post.md"]);
        assert!(
            with_code(&diagnostics, "DT009").is_empty(),
            "{zone}: not idempotent: {diagnostics:?}"
        );
    }
}

#[test]

fn dt009_with_timezone_keeps_zone_less_values_as_written() {
    let dir = tempdir();
    enable_dt009(dir.path(), "timezone = \"+08:00\"\n");
    write(
        dir.path(),
        "hexo.md",
        yaml_post("Hexo", "date: 2021-05-22 12:02:19\n"),
    );
    let day = yaml_post("Day", "date: 2021-05-22\n");
    write(dir.path(), "day.md", &day);
    let (_, diagnostics) = json(dir.path(), &["--now", NOW, "."]);
    let dt009 = with_code(&diagnostics, "DT009");
    // Already in the preferred format: nothing to say.
    assert!(!dt009.iter().any(|d| d["path"] == "hexo.md"), "{dt009:?}");
    // A date is a day in the site's zone: midnight, not 08:00.
    let day_finding: Vec<_> = dt009.iter().filter(|d| d["path"] == "day.md").collect();
    assert_eq!(day_finding.len(), 1, "{dt009:?}");
    let (_, _, replacement) = single_edit(day_finding[0]);
    assert_eq!(replacement, "2021-05-22 00:00:00");
}

#[test]

fn dt009_unknown_timezone_is_a_configuration_error() {
    let dir = tempdir();
    write(
        dir.path(),
        "post.md",
        yaml_post("Feed", RFC2822_POST_FIELDS),
    );
    enable_dt009(dir.path(), "timezone = \"Mars/Olympus\"\n");
    let run = run_in(
        dir.path(),
        &["--format", "concise", "--now", NOW, "post.md"],
    );
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("Mars/Olympus"), "{}", run.stderr);
}

#[test]
fn dt009_quoted_value_is_edited_inside_the_quotes() {
    for (quoted, inner) in [
        ("'2021-05-22'", "2021-05-22"),
        ("\"2021-05-22\"", "2021-05-22"),
    ] {
        let dir = tempdir();
        let text = yaml_post("Quoted", &format!("date: {quoted}\n"));
        write(dir.path(), "post.md", &text);
        let args = ["--now", NOW, "--extend-select", "DT009", "post.md"];
        let (_, diagnostics) = json(dir.path(), &args);
        assert_eq!(diagnostics.len(), 1, "{quoted}: {diagnostics:?}");
        let (start, end, replacement) = single_edit(&diagnostics[0]);
        assert_eq!(&text[start..end], inner, "{quoted}");
        let quote = &quoted[..1];
        assert_eq!(&text[start - 1..start], quote, "{quoted}");
        assert_eq!(&text[end..end + 1], quote, "{quoted}");
        assert_eq!(replacement, "2021-05-22 00:00:00");

        let fixed = apply_fix(&text, &diagnostics[0]);
        assert_eq!(
            fixed,
            yaml_post(
                "Quoted",
                &format!("date: {quote}2021-05-22 00:00:00{quote}\n")
            )
        );
        write(dir.path(), "post.md", &fixed);
        let (run, diagnostics) = json(dir.path(), &args);
        assert_eq!(run.code, Some(0), "{run:?}");
        assert!(diagnostics.is_empty(), "{quoted}: {diagnostics:?}");
    }
}

#[test]
fn dt009_keeps_the_offset_when_the_format_has_one() {
    let dir = tempdir();
    let text = yaml_post("Jekyll", "date: 2018-02-24 10:00 +0800\n");
    write(dir.path(), "post.md", &text);
    enable_dt009(dir.path(), "format = \"%Y-%m-%dT%H:%M:%S%:z\"\n");
    let (_, diagnostics) = json(dir.path(), &["--now", NOW, "post.md"]);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let (start, end, replacement) = single_edit(&diagnostics[0]);
    assert_eq!(&text[start..end], "2018-02-24 10:00 +0800");
    assert_eq!(replacement, "2018-02-24T10:00:00+08:00");
    write(dir.path(), "post.md", apply_fix(&text, &diagnostics[0]));
    let (_, diagnostics) = json(dir.path(), &["--now", NOW, "post.md"]);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
}

#[test]
fn dt009_in_toml_rewrites_a_local_date_as_a_toml_datetime() {
    let dir = tempdir();
    let text = toml_post("Toml day", "date = 2021-05-22\n");
    write(dir.path(), "post.md", &text);
    let args = ["--now", NOW, "--extend-select", "DT009", "post.md"];
    let (_, diagnostics) = json(dir.path(), &args);
    assert_eq!(
        lines_of(&diagnostics),
        [
            "post.md:3:8: DT009 `date` `2021-05-22` is not in the preferred format `%Y-%m-%d %H:%M:%S`"
        ]
    );
    let (start, end, _) = single_edit(&diagnostics[0]);
    assert_eq!(&text[start..end], "2021-05-22");
    let fixed = apply_fix(&text, &diagnostics[0]);
    assert_eq!(fixed, toml_post("Toml day", "date = 2021-05-22 00:00:00\n"));
    write(dir.path(), "post.md", &fixed);
    // Still valid TOML holding a datetime: no FM005, no DT001.
    let (run, diagnostics) = json(dir.path(), &args);
    assert_eq!(run.code, Some(0), "{run:?}");
    let others: Vec<String> = lines_of(&diagnostics)
        .into_iter()
        .filter(|l| !l.contains(" DT009 "))
        .collect();
    assert!(others.is_empty(), "{others:?}");
}

#[test]

fn dt009_in_toml_accepts_a_value_already_in_the_preferred_format() {
    let dir = tempdir();
    write(
        dir.path(),
        "post.md",
        toml_post("Toml datetime", "date = 2021-05-22 12:02:19\n"),
    );
    let args = ["--now", NOW, "--extend-select", "DT009", "post.md"];
    let (_, diagnostics) = json(dir.path(), &args);
    assert!(diagnostics.is_empty(), "{:?}", lines_of(&diagnostics));

    // Idempotence of the fix in TOML.
    let text = toml_post("Toml day", "date = 2021-05-22\n");
    write(dir.path(), "post.md", &text);
    let (_, diagnostics) = json(dir.path(), &args);
    write(dir.path(), "post.md", apply_fix(&text, &diagnostics[0]));
    let (_, diagnostics) = json(dir.path(), &args);
    assert!(diagnostics.is_empty(), "{:?}", lines_of(&diagnostics));
}

// ---------------------------------------------------------------------------------------------
// 4. TOML front matter
// ---------------------------------------------------------------------------------------------

#[test]
fn toml_lastmod_before_date_is_reported_at_the_lastmod_value() {
    let dir = tempdir();
    let text = toml_post(
        "Hugo post",
        "date = 2021-05-22T12:02:19Z\nlastmod = 2021-05-20T00:00:00Z\n",
    );
    write(dir.path(), "post.md", &text);
    let (run, diagnostics) = json(dir.path(), &["--now", NOW, "post.md"]);
    assert_eq!(run.code, Some(0), "DT007 is a warning: {run:?}");
    assert_eq!(
        lines_of(&diagnostics),
        ["post.md:4:11: DT007 `lastmod` `2021-05-20T00:00:00Z` is earlier than `date`"]
    );
    let d = &diagnostics[0];
    let start = text.find("2021-05-20T00:00:00Z").unwrap();
    assert_eq!(d["start"]["offset"], start);
    assert_eq!(d["end"]["offset"], start + "2021-05-20T00:00:00Z".len());
    assert_eq!(d["end"]["line"], 4);
    assert_eq!(d["end"]["column"], 31);
    assert_eq!(d["severity"], "warning");

    // The same moment in another zone is not earlier.
    write(
        dir.path(),
        "post.md",
        toml_post(
            "Hugo post",
            "date = 2021-05-22T12:02:19Z\nlastmod = 2021-05-22T20:02:19+08:00\n",
        ),
    );
    let run = concise(dir.path(), &["--now", NOW, "post.md"]);
    assert_eq!(run.stdout, "");
}

#[test]
fn clean_toml_post_has_no_date_finding() {
    let dir = tempdir();
    write(
        dir.path(),
        "post.md",
        toml_post(
            "Clean Hugo post",
            "date = 2021-05-22T12:02:19Z\nlastmod = 2021-05-23T08:00:00+08:00\npublishDate = 2021-05-22\n",
        ),
    );
    let run = concise(dir.path(), &["--now", NOW, "post.md"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.stdout, "");
    // Nor with a hugo preset.
    let run = concise(dir.path(), &["--now", NOW, "--preset", "hugo", "post.md"]);
    assert_eq!(run.stdout, "");
}

#[test]
fn toml_dates_get_the_same_checks_as_yaml_ones() {
    let dir = tempdir();
    write(
        dir.path(),
        "impossible.md",
        toml_post("Impossible", "date = \"2021-02-30\"\n"),
    );
    write(
        dir.path(),
        "future.md",
        toml_post("Future", "date = 2201-05-22T12:02:19Z\n"),
    );
    write(
        dir.path(),
        "early.md",
        toml_post("Early", "date = 1970-01-01T00:00:00Z\n"),
    );
    let run = concise(dir.path(), &["--now", NOW, "."]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert_eq!(
        run.lines(),
        [
            "early.md:3:8: DT005 `date` `1970-01-01T00:00:00Z` is before 1990",
            "future.md:3:8: DT004 `date` `2201-05-22T12:02:19Z` is 177 years in the future",
            "impossible.md:3:8: DT002 `date` is impossible: 2021-02-30 is not a day of the calendar",
        ]
    );
}

#[test]
fn hugo_preset_matches_date_keys_case_insensitively() {
    let dir = tempdir();
    write(
        dir.path(),
        "post.md",
        toml_post(
            "Hugo keys",
            "Date = 2021-05-22T12:02:19Z\nLastMod = 2021-05-20T00:00:00Z\n",
        ),
    );
    write(
        dir.path(),
        "future.md",
        toml_post("Hugo future", "DATE = 2201-05-22T12:02:19Z\n"),
    );
    let (_, diagnostics) = json(dir.path(), &["--now", NOW, "--preset", "hugo", "."]);
    assert_eq!(
        lines_of(&dates(&diagnostics)),
        [
            "future.md:3:8: DT004 `DATE` `2201-05-22T12:02:19Z` is 177 years in the future",
            "post.md:4:11: DT007 `LastMod` `2021-05-20T00:00:00Z` is earlier than `date`",
        ]
    );
    // Other generators' keys are case-sensitive: `Date` and `LastMod` are not date fields.
    let (_, diagnostics) = json(dir.path(), &["--now", NOW, "--preset", "generic", "."]);
    assert!(dates(&diagnostics).is_empty(), "{diagnostics:?}");
}

// ---------------------------------------------------------------------------------------------
// 5. Bad input
// ---------------------------------------------------------------------------------------------

#[test]
fn values_that_are_not_dates_get_one_clear_dt001() {
    let long = "x".repeat(10_000);
    let long_digits = format!("\"{}\"", "9".repeat(10_000));
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "list.md",
            yaml_post("List", "date:\n  - 2021-05-22\n  - 2021-05-23\n"),
            "is a list",
        ),
        (
            "flow-list.md",
            yaml_post("Flow list", "date: [2021, 5, 22]\n"),
            "is a list",
        ),
        (
            "map.md",
            yaml_post("Map", "date:\n  year: 2021\n  month: 5\n"),
            "is a mapping",
        ),
        (
            "number.md",
            yaml_post("Number", "date: 20210522\n"),
            "is an integer",
        ),
        (
            "float.md",
            yaml_post("Float", "date: 2021.05\n"),
            "is a number",
        ),
        ("bool.md", yaml_post("Bool", "date: true\n"), "is a boolean"),
        (
            "long.md",
            yaml_post("Long", &format!("date: {long}\n")),
            "is not a date",
        ),
        (
            "long-digits.md",
            yaml_post("Long digits", &format!("date: {long_digits}\n")),
            "is not a date",
        ),
        (
            "control.md",
            yaml_post("Control", "date: \"2021-05-22\\u0007\"\n"),
            "is not a date",
        ),
        (
            "nul.md",
            yaml_post("Nul", "date: \"2021-05-22\\0\"\n"),
            "is not a date",
        ),
        (
            "toml-list.md",
            toml_post("Toml list", "date = [2021]\n"),
            "is a list",
        ),
        (
            "toml-number.md",
            toml_post("Toml number", "date = 20210522\n"),
            "is an integer",
        ),
        (
            "toml-table.md",
            toml_post("Toml table", "[date]\nyear = 2021\n"),
            "is a mapping",
        ),
    ];
    let dir = tempdir();
    for (name, text, _) in &cases {
        write(dir.path(), name, text);
    }
    let (run, diagnostics) = json(dir.path(), &["--now", NOW, "."]);
    assert_eq!(run.code, Some(1), "DT001 is an error: {run:?}");
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    for (name, _, what) in &cases {
        let mine: Vec<&Value> = diagnostics.iter().filter(|d| d["path"] == *name).collect();
        assert_eq!(mine.len(), 1, "{name}: expected one finding, got {mine:?}");
        let d = mine[0];
        assert_eq!(d["code"], "DT001", "{name}: {d}");
        assert_eq!(d["severity"], "error", "{name}: {d}");
        let message = d["message"].as_str().unwrap();
        assert!(message.starts_with("`date` "), "{name}: {message}");
        assert!(message.contains(what), "{name}: {message}");
        assert!(
            message.chars().count() < 200,
            "{name}: a {}-character message",
            message.chars().count()
        );
        assert!(
            !message.chars().any(|c| c.is_control()),
            "{name}: a raw control character in {message:?}"
        );
        let help = d["help"].as_str().unwrap();
        assert!(help.contains("2021-12-02"), "{name}: {help}");
    }
    // The long values are cut and their length given; control characters are escaped.
    let message = |name: &str| {
        diagnostics.iter().find(|d| d["path"] == name).unwrap()["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(message("long.md").contains("(10000 characters)"));
    assert!(message("long-digits.md").contains("(10000 characters)"));
    assert_eq!(
        message("control.md"),
        "`date` is not a date: `2021-05-22\\u{7}`"
    );
}

#[test]

fn huge_unquoted_number_gets_a_short_dt001() {
    let dir = tempdir();
    write(
        dir.path(),
        "post.md",
        yaml_post("Digits", &format!("date: {}\n", "9".repeat(10_000))),
    );
    let (_, diagnostics) = json(dir.path(), &["--now", NOW, "post.md"]);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    let message = d["message"].as_str().unwrap();
    assert!(
        message.chars().count() < 200,
        "a {}-character message",
        message.chars().count()
    );
    assert_eq!(d["code"], "DT001", "{message}");
    assert!(message.contains("`date`"), "{message}");
}

#[test]
fn malformed_date_spellings_are_told_apart() {
    let dir = tempdir();
    write(
        dir.path(),
        "a.md",
        yaml_post("Gap", "date: 2018-02-24  +0800\n"),
    );
    write(
        dir.path(),
        "b.md",
        yaml_post("Weekday", "date: Fri, 02 Dec 2021 07:56:55 GMT\n"),
    );
    write(
        dir.path(),
        "c.md",
        yaml_post("Leap", "date: 2021-02-29 10:00:00\n"),
    );
    write(
        dir.path(),
        "d.md",
        yaml_post("Hour", "date: 2021-05-22 25:61\n"),
    );
    write(
        dir.path(),
        "e.md",
        yaml_post("Slashes", "date: 22/05/2021\n"),
    );
    let run = concise(dir.path(), &["--now", NOW, "."]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert_eq!(
        run.lines(),
        [
            "a.md:3:7: DT001 `date` is not a date: `2018-02-24  +0800`",
            "b.md:3:7: DT003 `date`: the weekday says Friday but the date is a Thursday",
            "c.md:3:7: DT002 `date` is impossible: 2021-02-29 is not a day of the calendar",
            "d.md:3:7: DT002 `date` is impossible: 25:61:00 is not a time of day",
            "e.md:3:7: DT001 `date` is not a date: `22/05/2021`",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// 6. Determinism
// ---------------------------------------------------------------------------------------------

/// About thirty posts in three folders, mixing valid dates with every kind of date problem.
fn dated_corpus(root: &Path) {
    for i in 0..30 {
        let folder = format!("posts/{}", i % 3);
        let title = format!("Post number {i}");
        let (name, text) = match i % 10 {
            0 => (
                format!("hexo-{i}.md"),
                yaml_post(&title, "date: 2021-05-22 12:02:19\n"),
            ),
            1 => (
                format!("feed-{i}.md"),
                yaml_post(&title, "date: Thu, 02 Dec 2021 07:56:55 GMT\n"),
            ),
            2 => (
                format!("impossible-{i}.md"),
                yaml_post(&title, "date: 2021-02-30\n"),
            ),
            3 => (
                format!("weekday-{i}.md"),
                yaml_post(&title, "date: Fri, 02 Dec 2021 07:56:55 GMT\n"),
            ),
            4 => (
                format!("future-{i}.md"),
                yaml_post(&title, "date: 2201-05-22 12:02:19\n"),
            ),
            5 => (
                format!("early-{i}.md"),
                yaml_post(&title, "date: 1970-01-01\n"),
            ),
            6 => (
                format!("2018-05-12-jekyll-{i}.md"),
                yaml_post(&title, "date: 2018-05-04 10:00 +0800\n"),
            ),
            7 => (
                format!("updated-{i}.md"),
                yaml_post(&title, "date: 2021-05-22\nupdated: 2021-05-20 09:00:00\n"),
            ),
            8 => (
                format!("garbled-{i}.md"),
                yaml_post(&title, "date: 2018-02-24  +0800\n"),
            ),
            _ => (
                format!("toml-{i}.md"),
                toml_post(
                    &title,
                    "date = 2021-05-22T12:02:19Z\nlastmod = 2021-05-20T00:00:00Z\n",
                ),
            ),
        };
        write(root, &format!("{folder}/{name}"), text);
    }
}

#[test]
fn date_findings_are_identical_whatever_the_thread_count() {
    let dir = tempdir();
    dated_corpus(dir.path());
    enable_dt009(dir.path(), "");
    let runs: Vec<Vec<Value>> = ["1", "2", "1", "2"]
        .iter()
        .map(|threads| {
            let (run, diagnostics) = json(
                dir.path(),
                &[
                    "--now",
                    NOW,
                    "--extend-select",
                    "DT008",
                    "--threads",
                    threads,
                    "posts",
                ],
            );
            assert_eq!(run.code, Some(1), "{run:?}");
            assert!(run.stderr.is_empty(), "{}", run.stderr);
            assert_eq!(run.json()["summary"]["files"], 30);
            dates(&diagnostics)
        })
        .collect();
    for (i, other) in runs.iter().enumerate().skip(1) {
        assert_eq!(
            lines_of(other),
            lines_of(&runs[0]),
            "run {i} differs from the first"
        );
        assert!(*other == runs[0], "run {i}: the JSON differs");
    }

    let findings = &runs[0];
    let count = |code: &str| with_code(findings, code).len();
    // Three posts of each kind.
    for code in ["DT002", "DT003", "DT004", "DT005", "DT006"] {
        assert_eq!(count(code), 3, "{code}:\n{:#?}", lines_of(findings));
    }
    // The garbled date, three times; DT007 in the YAML and the TOML posts.
    assert_eq!(count("DT001"), 3, "{:#?}", lines_of(findings));
    assert_eq!(count("DT007"), 6, "{:#?}", lines_of(findings));
    assert!(count("DT008") > 0 && count("DT009") > 0);
    // Some DT009 findings carry a fix, and the fixes are deterministic too.
    assert!(findings.iter().any(|d| d["fix"].is_object()));
    // Sorted by path, then position.
    let keys: Vec<(String, u64, u64)> = findings
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["start"]["line"].as_u64().unwrap(),
                d["start"]["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}
