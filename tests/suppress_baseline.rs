//! Suppression comments and baselines, as a team adopting artlint on a legacy corpus uses them.

use std::path::Path;

use assert_cmd::Command;

fn lint(dir: &Path, args: &[&str]) -> (Vec<String>, String, i32) {
    let output = Command::cargo_bin("artlint")
        .unwrap()
        .current_dir(dir)
        .args(if args.contains(&"--format") {
            &[][..]
        } else {
            &["--format", "concise"][..]
        })
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    (
        stdout.lines().map(str::to_string).collect(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.code().unwrap_or(-1),
    )
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn suppressions_by_file_range_and_next_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.md",
        "---\nlayput: post\n---\n<!-- artlint-disable-file required-field -->\n\
         <!-- artlint-disable-next-line IMG003 -->\n![a](http://x.org/a.png)\n![b](http://x.org/b.png)\n\
         <!-- artlint-disable insecure-image-url, IMG004 -->\n![c](http://x.org/c.png)\n<!-- artlint-enable -->\n\
         ![d](http://x.org/d.png)\n",
    );
    let (lines, _, _) = lint(dir.path(), &["--select", "FM004,FM009,IMG003,ART", "."]);
    assert_eq!(
        lines,
        [
            "a.md:2:1: FM009 unknown field `layput`",
            "a.md:7:6: IMG003 Markdown image is loaded over insecure `http://`",
            "a.md:11:6: IMG003 Markdown image is loaded over insecure `http://`",
        ],
        "FM004 (file), line 6 (next line) and line 9 (range) are suppressed"
    );
}

#[test]
fn unused_and_unknown_suppressions_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.md",
        "---\ntitle: a\ndate: 2021-05-22\n---\n<!-- artlint-disable-next-line IMG003 -->\n![a](https://x.org/a.png)\n<!-- artlint-disable-file requried-field -->\n",
    );
    let (lines, _, code) = lint(dir.path(), &["."]);
    assert_eq!(
        lines,
        [
            "a.md:5:1: ART001 this suppression suppresses nothing",
            "a.md:7:1: ART002 `requried-field` names no rule",
        ]
    );
    assert_eq!(code, 1, "an unknown code is an error");
}

#[test]
fn suppressed_findings_are_not_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let text = "---\ntitle: a\ndate: 2021-05-22\n---\n<!-- artlint-disable-next-line BP101 -->\n<p>海量资讯、精准解读，尽在新浪财经APP</p>\n<p>海量资讯、精准解读，尽在新浪财经APP</p>\n";
    write(dir.path(), "a.md", text);
    lint(dir.path(), &["--fix", "--select", "BP101", "."]);
    let after = std::fs::read_to_string(dir.path().join("a.md")).unwrap();
    assert_eq!(after.matches("海量资讯").count(), 1, "{after}");
    assert!(after.contains("<!-- artlint-disable-next-line BP101 -->\n<p>海量资讯"));
}

#[test]
fn a_baseline_survives_edits_elsewhere_and_shrinks() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.md",
        "---\nlayput: post\ntitle: a\ndate: 2021-05-22\n---\n![a](http://x.org/a.png)\n",
    );
    let (_, stderr, code) = lint(dir.path(), &["--write-baseline", "baseline.json", "."]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("Wrote 2 findings"), "{stderr}");
    // Lines inserted above move every finding: the baseline still knows them.
    write(
        dir.path(),
        "a.md",
        "---\ndescription: new\nlayput: post\ntitle: a\ndate: 2021-05-22\n---\nNew paragraph.\n\n![a](http://x.org/a.png)\n![b](http://x.org/b.png)\n",
    );
    let (lines, _, code) = lint(dir.path(), &["--baseline", "baseline.json", "."]);
    assert_eq!(
        lines,
        ["a.md:10:6: IMG003 Markdown image is loaded over insecure `http://`"],
        "only the new image"
    );
    assert_eq!(code, 0);
    // A fixed finding shrinks the baseline: the summary says so.
    write(
        dir.path(),
        "a.md",
        "---\nlayout: post\ntitle: a\ndate: 2021-05-22\n---\n![a](http://x.org/a.png)\n",
    );
    let (lines, _, _) = lint(
        dir.path(),
        &["--baseline", "baseline.json", "--format", "human", "."],
    );
    assert!(
        lines
            .last()
            .unwrap()
            .contains("1 baseline finding no longer occurs"),
        "{lines:?}"
    );
    // A baseline is of the files on disk: `--diff`, whose findings are of fixed texts it does
    // not write, cannot record one (it wrote an empty baseline and exited 0).
    let (_, stderr, code) = lint(
        dir.path(),
        &["--diff", "--write-baseline", "diff.json", "."],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("'--diff' cannot be used with"), "{stderr}");
    assert!(!dir.path().join("diff.json").exists());
    // A broken baseline is a usage error.
    write(dir.path(), "broken.json", "{\"version\": 1}");
    let (_, stderr, code) = lint(dir.path(), &["--baseline", "broken.json", "."]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not an artlint baseline"), "{stderr}");
}

#[test]
fn only_findings_the_run_looked_for_are_gone_from_a_baseline() {
    // A hook's few files, `--select` or a shard met fewer recorded findings because it looked
    // for fewer: "no longer occur: rewrite the baseline" there would drop real entries.
    let dir = tempfile::tempdir().unwrap();
    let post = |title: &str| {
        format!(
            "---\nlayput: post\ntitle: {title}\ndate: 2021-05-22\n---\n![a](http://x.org/a.png)\n"
        )
    };
    write(dir.path(), "a.md", &post("Same title"));
    write(dir.path(), "b.md", &post("Same title"));
    write(dir.path(), "c.md", &post("Other"));
    let (_, stderr, code) = lint(dir.path(), &["--write-baseline", "baseline.json", "."]);
    assert_eq!(code, 0, "{stderr}");
    // Each post: FM002 and IMG003; a and b: CORPUS001 too.
    assert!(stderr.contains("Wrote 8 findings"), "{stderr}");
    let gone = |args: &[&str]| {
        let (lines, stderr, _) = lint(
            dir.path(),
            &[&["--baseline", "baseline.json", "--format", "json"], args].concat(),
        );
        let json: serde_json::Value = serde_json::from_str(&lines.join("\n")).unwrap();
        json["summary"]["baseline_gone"]
            .as_u64()
            .unwrap_or_else(|| panic!("{stderr}"))
    };
    assert_eq!(gone(&["."]), 0);
    assert_eq!(
        gone(&["--select", "FM", "."]),
        0,
        "other rules were not run"
    );
    assert_eq!(
        gone(&["a.md"]),
        0,
        "other files, and a's duplicate title, were not checked"
    );
    assert_eq!(gone(&["--shard", "1/2", "."]), 0, "the other shard's files");
    // A finding fixed is gone, with the run looking at it; a cross-file one only when every
    // file the baseline names was checked.
    write(dir.path(), "b.md", &post("New title"));
    assert_eq!(gone(&["."]), 2, "CORPUS001 of a and b");
    assert_eq!(gone(&["a.md", "b.md"]), 0, "c.md was not checked");
    write(
        dir.path(),
        "c.md",
        "---\nlayout: post\ntitle: Other\ndate: 2021-05-22\n---\n![a](http://x.org/a.png)\n",
    );
    assert_eq!(gone(&["c.md"]), 1, "its FM002");
    // A baseline run prints no report: a report file or statistics asked of it are refused
    // (the report file was never made).
    for extra in [&["-o", "report.txt"][..], &["--statistics"]] {
        let (_, stderr, code) = lint(
            dir.path(),
            &[&["--write-baseline", "again.json"], extra, &["."]].concat(),
        );
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains("cannot be used with"), "{stderr}");
    }
}

#[test]
fn a_deleted_post_s_findings_are_gone_and_an_unread_one_s_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let post = |title: &str| {
        format!(
            "---\nlayput: post\ntitle: {title}\ndate: 2021-05-22\n---\n![a](http://x.org/a.png)\n"
        )
    };
    write(dir.path(), "x.md", &post("X"));
    write(dir.path(), "y.md", &post("Y"));
    let (_, stderr, code) = lint(dir.path(), &["--write-baseline", "baseline.json", "."]);
    assert_eq!(code, 0, "{stderr}");
    let gone = || {
        let (lines, stderr, _) = lint(
            dir.path(),
            &["--baseline", "baseline.json", "--format", "json", "."],
        );
        let json: serde_json::Value = serde_json::from_str(&lines.join("\n")).unwrap();
        json["summary"]["baseline_gone"]
            .as_u64()
            .unwrap_or_else(|| panic!("{stderr}"))
    };
    // A post that is not text any more was not checked: its findings were not looked for.
    write(dir.path(), "y.md", &format!("{}\0", post("Y")));
    assert_eq!(gone(), 0);
    // A deleted post's findings cannot occur: gone, though no run checked it.
    let recorded: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("baseline.json")).unwrap())
            .unwrap();
    let of_y = recorded["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == "y.md")
        .count();
    assert!(of_y >= 2, "{recorded}");
    std::fs::remove_file(dir.path().join("y.md")).unwrap();
    assert_eq!(gone(), of_y as u64);
}
