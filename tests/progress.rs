//! The end of a human report (files, findings per severity, fixable, wall time) and the
//! progress bar: drawn on standard error on a terminal for runs over a second, never when
//! piped. The terminal is a real pseudo-terminal, made by util-linux's `script`.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{clean_post, post_missing_date, run_in, tempdir, write};

const TIME: &str = r"Finished in [0-9][0-9. min]* s\.";

fn matches(pattern: &str, text: &str) -> bool {
    regex::Regex::new(pattern).unwrap().is_match(text)
}

#[test]
fn human_summary_has_files_severities_fixable_and_time() {
    let dir = tempdir();
    write(dir.path(), "posts/clean.md", clean_post("Clean"));
    write(dir.path(), "posts/nodate.md", post_missing_date("No date")); // FM004 error
    write(
        dir.path(),
        "posts/typo.md",
        "---\ntitle: Typo\ndate: 2021-05-22\nlayput: post\n---\n", // FM009 warning, fix
    );
    let run = run_in(dir.path(), &["--format", "human", "posts"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    let last = run.stdout.lines().last().unwrap();
    let expected = format!(
        r"^Found 2 problems \(1 error, 1 warning\) in 2 of 3 files checked\. 1 has a fix\. {TIME}$"
    );
    assert!(matches(&expected, last), "{last}");
    // Machine and concise formats carry no time: their output stays the same run to run.
    let concise = run_in(dir.path(), &["posts"]);
    assert!(!concise.stdout.contains("Finished"), "{}", concise.stdout);
    let json = run_in(dir.path(), &["--format", "json", "posts"]);
    assert!(json.json()["summary"].get("elapsed").is_none());
}

#[test]
fn a_clean_run_ends_with_one_summary_line() {
    let dir = tempdir();
    write(dir.path(), "a.md", clean_post("A"));
    write(dir.path(), "b.md", clean_post("B"));
    let run = run_in(dir.path(), &["--format", "human", "."]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let expected = format!(r"^All checks passed: 2 files checked, no problems found\. {TIME}\n$");
    assert!(matches(&expected, &run.stdout), "{:?}", run.stdout);
}

/// Enough posts that a debug build takes well over a second on one thread.
fn big_corpus(root: &Path, files: usize) {
    let body =
        "<p>A paragraph of the post, with <a href=\"https://example.com/x\">a link</a>.</p>\n"
            .repeat(40);
    for i in 0..files {
        let date = if i % 7 == 0 { "" } else { "date: 2021-05-22\n" };
        write(
            root,
            &format!("posts/d{:02}/post-{i}.md", i % 50),
            format!("---\ntitle: Post {i}\n{date}---\n{body}"),
        );
    }
}

const FILES: usize = 600;

#[test]
fn piped_runs_never_draw_a_bar() {
    let dir = tempdir();
    big_corpus(dir.path(), FILES);
    for format in ["human", "concise"] {
        let started = Instant::now();
        let output = common::artlint()
            .current_dir(dir.path())
            .env_remove("CI")
            .args(["--no-cache", "--threads", "1", "--format", format, "posts"])
            .output()
            .unwrap();
        let took = started.elapsed();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr, "", "{format} run of {took:?} wrote to stderr");
    }
}

/// Runs `command` under a pseudo-terminal (stdin, stdout and stderr all on it) and returns all
/// it wrote; `None` when `script` is not installed.
fn in_terminal(dir: &Path, command: &str) -> Option<(String, Duration)> {
    let started = Instant::now();
    let output = Command::new("script")
        .args(["-qec", command, "/dev/null"])
        .current_dir(dir)
        .env_remove("CI")
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .output()
        .ok()?;
    assert!(output.status.success() || output.status.code() == Some(1));
    Some((
        String::from_utf8_lossy(&output.stdout).into_owned(),
        started.elapsed(),
    ))
}

#[test]
fn a_long_run_on_a_terminal_shows_a_bar_then_the_report() {
    let dir = tempdir();
    big_corpus(dir.path(), FILES);
    let bin = assert_cmd::cargo::cargo_bin("artlint");
    let command = format!(
        "{} --no-cache --threads 1 --format concise posts; echo exit=$?",
        bin.display()
    );
    let Some((screen, took)) = in_terminal(dir.path(), &command) else {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return;
    };
    assert!(screen.contains("exit=1"), "{screen}");
    if took < Duration::from_millis(1500) {
        eprintln!("skipped: the run took {took:?}, too short for a bar");
        return;
    }
    assert!(screen.contains(&format!("/{FILES} files")), "{screen}");
    assert!(matches(r"[0-9]+ files/s", &screen), "{screen}");
    assert!(matches(r"[0-9]+ findings", &screen), "{screen}");
    assert!(screen.contains("ETA"), "{screen}");
    // Cleared before the report: the report's lines come after the last drawing of the bar.
    let last_bar = screen.rfind("files/s").unwrap();
    let first_finding = screen.find(": FM004 ").unwrap();
    assert!(last_bar < first_finding, "{screen}");

    // A quick run on a terminal shows no bar, and the human report ends with the summary.
    let quick = format!(
        "{} --no-cache --format human posts/d00/post-0.md",
        bin.display()
    );
    let (screen, _) = in_terminal(dir.path(), &quick).unwrap();
    assert!(!screen.contains("files/s"), "{screen}");
    assert!(matches(TIME, &screen), "{screen}");
}
