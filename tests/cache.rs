//! The result cache and sharded runs, end to end through the binary: a warm run reports what
//! a cold one does; a changed file updates the cross-file findings of unchanged ones; a file
//! whose size and time are unchanged is not read again; a broken cache is ignored and
//! rewritten; three shards and a merge report exactly what one run does.

mod common;

use assert_cmd::Command;
use std::path::Path;
use std::time::{Duration, SystemTime};

use common::{artlint, run, run_in, tempdir, write};

/// A small corpus with a cross-file finding (two posts share a title) and per-file ones.
fn corpus(dir: &Path) {
    for i in 0..12 {
        write(
            dir,
            &format!("posts/2021-05-{:02}-post-{i}.md", i + 1),
            format!(
                "---\ntitle: Post number {i}\ndate: 2021-05-{:02} 10:00:00\n---\n<p>Body {i} &nbsp text.</p>\n",
                i + 1
            ),
        );
    }
    write(
        dir,
        "posts/2021-06-01-copy.md",
        "---\ntitle: Post number 3\ndate: 2021-06-01 10:00:00\n---\nA copy with its own body.\n",
    );
    write(dir, "posts/no-date.md", "---\ntitle: Undated\n---\nText.\n");
}

fn lint(dir: &Path, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["--format", "concise"];
    args.extend_from_slice(extra);
    args.push("posts");
    let run = run_in(dir, &args);
    assert!(matches!(run.code, Some(0 | 1)), "{run:?}");
    run.stdout.lines().map(str::to_string).collect()
}

/// A run of `posts` with these options and the cache's statistics: its report, how many files
/// came from the cache, and how many of those were not even read.
fn run_with_cache_stats(dir: &Path, options: &[&str]) -> (String, usize, usize) {
    let output = common::artlint()
        .current_dir(dir)
        .env("ARTLINT_CACHE_STATS", "1")
        .args(options)
        .arg("posts")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    // "cache: HITS of FILES files from the cache, UNREAD of them not read"
    let numbers: Vec<usize> = stderr
        .lines()
        .find_map(|l| l.strip_prefix("cache: "))
        .unwrap_or_else(|| panic!("no cache statistics: {stderr}"))
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    let [hits, _, unread] = numbers[..] else {
        panic!("unexpected cache statistics: {stderr}")
    };
    (String::from_utf8(output.stdout).unwrap(), hits, unread)
}

/// [`run_with_cache_stats`] without the count of files not read.
fn run_counting_hits(dir: &Path, options: &[&str]) -> (String, usize) {
    let (report, hits, _) = run_with_cache_stats(dir, options);
    (report, hits)
}

/// A concise run with the cache's statistics: the lines, and how many files came from it.
fn lint_counting_hits(dir: &Path) -> (Vec<String>, usize) {
    let (report, hits) = run_counting_hits(dir, &["--format", "concise"]);
    (report.lines().map(str::to_string).collect(), hits)
}

fn cache_file(dir: &Path) -> std::path::PathBuf {
    dir.join(".artlint-cache/results.bin")
}

#[test]
fn warm_run_reports_what_a_cold_run_does() {
    let dir = tempdir();
    corpus(dir.path());
    let uncached = lint(dir.path(), &["--no-cache"]);
    assert!(!cache_file(dir.path()).exists(), "--no-cache wrote a cache");
    assert!(
        uncached.iter().any(|l| l.contains("CORPUS001")),
        "{uncached:#?}"
    );
    let (cold, cold_hits) = lint_counting_hits(dir.path());
    assert_eq!(cold_hits, 0);
    assert!(cache_file(dir.path()).exists());
    // The posts were written just now: their times are not trusted yet (a write within the
    // same tick would go unseen), so they are hashed and found unchanged.
    let (warm, warm_hits) = lint_counting_hits(dir.path());
    assert_eq!(cold, uncached);
    assert_eq!(warm, uncached);
    assert_eq!(warm_hits, 14, "every post should come from the cache");
    // Another configuration (here: a selection) is another key, not a stale answer.
    let selected = lint(dir.path(), &["--select", "FM"]);
    assert!(selected.iter().all(|l| l.contains(" FM0")), "{selected:#?}");
    assert_eq!(lint(dir.path(), &[]), uncached);
}

#[test]
fn a_changed_file_updates_the_cross_file_findings_of_unchanged_ones() {
    let dir = tempdir();
    corpus(dir.path());
    let before = lint(dir.path(), &[]);
    let duplicate_of_7 = |lines: &[String]| {
        lines
            .iter()
            .filter(|l| l.starts_with("posts/2021-05-08-post-7.md:") && l.contains("CORPUS001"))
            .count()
    };
    assert_eq!(duplicate_of_7(&before), 0);
    // The copy now takes post 7's title: post 7 (unchanged, from the cache) gets the finding.
    write(
        dir.path(),
        "posts/2021-06-01-copy.md",
        "---\ntitle: Post number 7\ndate: 2021-06-01 10:00:00\n---\nA copy with its own body.\n",
    );
    let after = lint(dir.path(), &[]);
    assert_eq!(duplicate_of_7(&after), 1, "{after:#?}");
    assert_eq!(after, lint(dir.path(), &["--no-cache"]));
    // And post 3 lost its duplicate.
    assert!(
        !after
            .iter()
            .any(|l| l.starts_with("posts/2021-05-04-post-3.md:") && l.contains("CORPUS001")),
        "{after:#?}"
    );
}

#[test]
fn a_terminal_run_and_a_piped_one_share_the_cache() {
    let dir = tempdir();
    corpus(dir.path());
    let fresh = |format: &str| {
        let run = run_in(dir.path(), &["--no-cache", "--format", format, "posts"]);
        run.stdout
    };
    let run_counting_hits = |format: &str| {
        let (report, hits) = run_counting_hits(dir.path(), &["--format", format]);
        (untimed(&report), hits)
    };
    let human_expected = untimed(&fresh("human"));
    let concise_expected = untimed(&fresh("concise"));
    assert!(
        human_expected.contains("╭─["),
        "code frames: {human_expected}"
    );
    // The human report keeps code frames; its entries serve the piped formats too, and back.
    let (human, cold_hits) = run_counting_hits("human");
    assert_eq!((human.as_str(), cold_hits), (human_expected.as_str(), 0));
    let (concise, hits) = run_counting_hits("concise");
    assert_eq!((concise.as_str(), hits), (concise_expected.as_str(), 14));
    let (human, hits) = run_counting_hits("human");
    assert_eq!((human.as_str(), hits), (human_expected.as_str(), 14));
    let (json, hits) = run_counting_hits("json");
    assert_eq!(hits, 14);
    assert_eq!(json, untimed(&fresh("json")));
    // A piped run's entries have no code frames: the next terminal run takes them all the
    // same, framed from the files' text (read, not parsed), the cross-file finding's frame
    // too; it keeps them framed, so the run after it reads no file.
    assert!(
        human_expected.contains("CORPUS001") && human_expected.contains("title: Post number 3"),
        "the shared title's frame: {human_expected}"
    );
    wait_past_the_racy_window();
    std::fs::remove_dir_all(dir.path().join(".artlint-cache")).unwrap();
    let (concise, hits) = run_counting_hits("concise");
    assert_eq!((concise.as_str(), hits), (concise_expected.as_str(), 0));
    let (human, hits, unread) = run_with_cache_stats(dir.path(), &["--format", "human"]);
    assert_eq!(
        (untimed(&human).as_str(), hits, unread),
        (human_expected.as_str(), 14, 0)
    );
    let (human, hits, unread) = run_with_cache_stats(dir.path(), &["--format", "human"]);
    assert_eq!(
        (untimed(&human).as_str(), hits, unread),
        (human_expected.as_str(), 14, 14)
    );
    assert_eq!(run_counting_hits("concise").1, 14);
}

/// The human report without its last line (the run's time).
fn untimed(report: &str) -> String {
    report
        .lines()
        .map(|l| l.split(" Finished in").next().unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_diff_run_leaves_the_terminal_report_its_code_frames() {
    // `--diff` shows diffs, not code frames: the cross-file findings it keeps in the cache
    // must not stand in for the ones a terminal run shows with their frames.
    let dir = tempdir();
    corpus(dir.path());
    let human = |extra: &[&str]| {
        let mut args = vec!["--format", "human"];
        args.extend_from_slice(extra);
        args.push("posts");
        untimed(&run_in(dir.path(), &args).stdout)
    };
    let cold = human(&["--no-cache"]);
    assert!(
        cold.contains("CORPUS001") && cold.contains("title: Post number 3"),
        "the shared title's frame: {cold}"
    );
    human(&["--diff"]);
    assert_eq!(human(&[]), cold);
    assert_eq!(human(&[]), cold);
}

#[test]
fn a_warm_run_still_looks_for_local_images_on_disk() {
    let dir = tempdir();
    corpus(dir.path());
    write(
        dir.path(),
        "posts/2021-07-01-pictures.md",
        "---\ntitle: Pictures\ndate: 2021-07-01 10:00:00\n---\n![a chart](chart.png)\n",
    );
    write(dir.path(), "posts/chart.png", "not really a PNG");
    let missing = |lines: &[String]| {
        lines
            .iter()
            .filter(|l| l.starts_with("posts/2021-07-01-pictures.md:") && l.contains("IMG005"))
            .count()
    };
    let (cold, _) = lint_counting_hits(dir.path());
    assert_eq!(missing(&cold), 0, "{cold:#?}");
    // No post changes; the image goes. Every post comes from the cache, and the cross-file
    // findings are the stored ones, yet the image is looked for again.
    std::fs::remove_file(dir.path().join("posts/chart.png")).unwrap();
    let (warm, hits) = lint_counting_hits(dir.path());
    assert_eq!(hits, 15, "every post should come from the cache");
    assert_eq!(missing(&warm), 1, "{warm:#?}");
    assert_eq!(warm, lint(dir.path(), &["--no-cache"]));
    // And back: the finding goes with the next warm run.
    write(dir.path(), "posts/chart.png", "not really a PNG");
    let (again, _) = lint_counting_hits(dir.path());
    assert_eq!(again, cold);
}

/// A concise run with the cache's statistics: the lines, how many files came from the cache,
/// and how many of those were not read.
fn lint_counting_unread(dir: &Path) -> (Vec<String>, usize, usize) {
    let (report, hits, unread) = run_with_cache_stats(dir, &["--format", "concise"]);
    (report.lines().map(str::to_string).collect(), hits, unread)
}

/// Past the racy window (cache.rs): a file changed this recently is hashed, not trusted by its
/// stat, on the next run.
fn wait_past_the_racy_window() {
    std::thread::sleep(Duration::from_millis(2_100));
}

#[test]
fn a_file_with_unchanged_stat_is_not_read_again() {
    let dir = tempdir();
    corpus(dir.path());
    let files = std::fs::read_dir(dir.path().join("posts")).unwrap().count();
    wait_past_the_racy_window();
    let (cold, _, _) = lint_counting_unread(dir.path());
    let (warm, hits, unread) = lint_counting_unread(dir.path());
    assert_eq!(warm, cold);
    assert_eq!(
        (hits, unread),
        (files, files),
        "every file taken by its stat"
    );
    // Touched (a new time) with the same text: read and hashed, not taken by its stat.
    let path = dir.path().join("posts/no-date.md");
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    set_modified(&path, modified + Duration::from_secs(5));
    let (touched, hits, unread) = lint_counting_unread(dir.path());
    assert_eq!(touched, cold);
    assert_eq!((hits, unread), (files, files - 1));
}

#[test]
fn a_file_swapped_for_one_of_the_same_size_and_time_is_read_again() {
    // Two posts of one size and one modification time, swapped by renaming (as `mv`, or a
    // restore by `tar`, `cp -p` or `rsync -a`, would leave them): size and time are unchanged,
    // the change time and the inode are not, as git's index tells too.
    let dir = tempdir();
    let alpha = "---\ntitle: Alpha post\ndate: 2021-01-01\n---\n\nHello world body one.\n";
    let bravo = "---\ntitle: Bravo post\ndate: 2021-01-02\n---\n\n<p></p> world body xx\n";
    assert_eq!(alpha.len(), bravo.len());
    write(dir.path(), "posts/a.md", alpha);
    write(dir.path(), "posts/b.md", bravo);
    write(
        dir.path(),
        "posts/c.md",
        "---\ntitle: Alpha post\ndate: 2021-01-03\n---\n\nSomething else entirely here.\n",
    );
    let long_ago = SystemTime::UNIX_EPOCH + Duration::from_secs(1_577_836_800);
    for name in ["posts/a.md", "posts/b.md"] {
        set_modified(&dir.path().join(name), long_ago);
    }
    wait_past_the_racy_window();
    let (before, _, _) = lint_counting_unread(dir.path());
    assert!(
        before
            .iter()
            .any(|l| l.starts_with("posts/a.md:2:8: CORPUS001"))
    );
    let posts = dir.path().join("posts");
    std::fs::rename(posts.join("a.md"), posts.join("swap")).unwrap();
    std::fs::rename(posts.join("b.md"), posts.join("a.md")).unwrap();
    std::fs::rename(posts.join("swap"), posts.join("b.md")).unwrap();
    let (after, _, unread) = lint_counting_unread(dir.path());
    assert_eq!(after, lint(dir.path(), &["--no-cache"]));
    assert!(
        after
            .iter()
            .any(|l| l.starts_with("posts/b.md:2:8: CORPUS001"))
    );
    assert_eq!(unread, 1, "only c.md is taken by its stat");
}

fn set_modified(path: &Path, time: SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(time)
        .unwrap();
}

#[test]
fn a_broken_or_foreign_cache_is_ignored_and_rewritten() {
    let dir = tempdir();
    corpus(dir.path());
    let expected = lint(dir.path(), &["--no-cache"]);
    for junk in [
        b"not a cache at all".to_vec(),
        Vec::new(),
        vec![0xff; 4096],
        // A real cache cut short.
        {
            lint(dir.path(), &[]);
            let bytes = std::fs::read(cache_file(dir.path())).unwrap();
            bytes[..bytes.len() / 2].to_vec()
        },
    ] {
        std::fs::write(cache_file(dir.path()), &junk).unwrap();
        assert_eq!(lint(dir.path(), &[]), expected);
        let rewritten = std::fs::read(cache_file(dir.path())).unwrap();
        assert_ne!(rewritten, junk, "the broken cache was not rewritten");
        assert_eq!(lint(dir.path(), &[]), expected);
    }
}

#[test]
fn three_shards_and_a_merge_report_what_one_run_does() {
    let dir = tempdir();
    corpus(dir.path());
    // A suppression used only by a cross-file finding: no shard may call it unused.
    write(
        dir.path(),
        "posts/2021-06-02-copy.md",
        "---\ntitle: Post number 5\ndate: 2021-06-02 10:00:00\n---\n<!-- artlint-disable-file CORPUS001 -->\nAnother copy.\n<!-- artlint-disable-file NOPE001 -->\n",
    );
    let whole = lint(dir.path(), &["--no-cache"]);
    assert!(whole.iter().any(|l| l.contains("CORPUS001")));
    assert!(whole.iter().any(|l| l.contains("ART002")), "{whole:#?}");
    let mut sharded: Vec<String> = Vec::new();
    let mut facts = Vec::new();
    for k in 1..=3 {
        let file = format!("shard-{k}.facts");
        let shard = format!("{k}/3");
        let lines = lint(
            dir.path(),
            &["--no-cache", "--shard", &shard, "--emit-facts", &file],
        );
        assert!(
            !lines
                .iter()
                .any(|l| l.contains("CORPUS0") || l.contains("ART00")),
            "a shard reported a cross-file or suppression finding: {lines:#?}"
        );
        sharded.extend(lines);
        facts.push(file);
    }
    let mut args = vec!["merge", "--format", "concise"];
    args.extend(facts.iter().map(String::as_str));
    let merged = run_in(dir.path(), &args);
    assert!(matches!(merged.code, Some(0 | 1)), "{merged:?}");
    sharded.extend(merged.stdout.lines().map(str::to_string));
    sharded.sort();
    let mut whole_sorted = whole.clone();
    whole_sorted.sort();
    assert_eq!(sharded, whole_sorted);
}

#[test]
fn merge_reports_and_exits_as_a_whole_run_does() {
    let dir = tempdir();
    corpus(dir.path());
    let mut facts = Vec::new();
    for k in 1..=2 {
        let file = format!("shard-{k}.facts");
        let shard = format!("{k}/2");
        lint(
            dir.path(),
            &["--no-cache", "--shard", &shard, "--emit-facts", &file],
        );
        facts.push(file);
    }
    let merge = |options: &[&str]| {
        let mut args = vec!["merge", "--format", "concise"];
        args.extend_from_slice(options);
        args.extend(facts.iter().map(String::as_str));
        run_in(dir.path(), &args)
    };
    // Two posts share a title: a warning each, the merge's only findings.
    let plain = merge(&[]);
    assert_eq!(plain.code, Some(0), "{plain:?}");
    assert_eq!(plain.stdout.lines().count(), 2, "{}", plain.stdout);
    assert!(plain.stdout.lines().all(|l| l.contains("CORPUS001")));
    // Facts streamed through pipes (`<(gsutil cat …)`), which cannot be read twice.
    let binary = artlint().get_program().to_owned();
    let piped = run(Command::new("bash")
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .arg("-c")
        .arg(r#"exec "$0" merge --format concise <(cat "$1") <(cat "$2")"#)
        .arg(&binary)
        .args(&facts));
    assert_eq!(
        (piped.code, piped.stdout.as_str()),
        (Some(0), plain.stdout.as_str()),
        "{piped:?}"
    );
    assert_eq!(merge(&["--max-warnings", "1"]).code, Some(1));
    assert_eq!(merge(&["--max-warnings", "2"]).code, Some(0));
    assert_eq!(merge(&["--max-warnings", "1", "--exit-zero"]).code, Some(0));
    let statistics = merge(&["--statistics"]);
    assert!(
        statistics
            .stdout
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>()
                == ["2", "CORPUS001", "duplicate-title"]),
        "{}",
        statistics.stdout
    );
    // A baseline recorded from the merge silences exactly what it recorded.
    let recorded = merge(&["--write-baseline", "cross-file.baseline"]);
    assert_eq!(recorded.code, Some(0), "{recorded:?}");
    assert!(
        recorded.stderr.contains("Wrote 2 findings"),
        "{}",
        recorded.stderr
    );
    let after = merge(&["--baseline", "cross-file.baseline", "--max-warnings", "0"]);
    assert_eq!(
        (after.code, after.stdout.as_str()),
        (Some(0), ""),
        "{after:?}"
    );
    let mut args = vec!["merge", "--format", "json", "-o", "merged.json"];
    args.extend(facts.iter().map(String::as_str));
    let report = run_in(dir.path(), &args);
    assert_eq!(report.code, Some(0), "{report:?}");
    let written = std::fs::read_to_string(dir.path().join("merged.json")).unwrap();
    assert!(written.contains("\"CORPUS001\""), "{written}");
}

#[test]
fn shards_run_from_a_warm_cache_merge_as_a_cold_run_does() {
    let dir = tempdir();
    corpus(dir.path());
    let mut whole = lint(dir.path(), &["--no-cache"]);
    whole.sort();
    assert!(whole.iter().any(|l| l.contains("CORPUS001")));
    // Each time: two shards through the cache, then the merge; how many files were hits.
    let sharded = |tag: &str| {
        let (mut lines, mut hits, mut facts) = (Vec::new(), 0, Vec::new());
        for k in 1..=2 {
            let file = format!("{tag}-{k}.facts");
            let shard = format!("{k}/2");
            let options = [
                "--format",
                "concise",
                "--shard",
                &shard,
                "--emit-facts",
                &file,
            ];
            let (report, shard_hits) = run_counting_hits(dir.path(), &options);
            hits += shard_hits;
            lines.extend(report.lines().map(str::to_string));
            facts.push(file);
        }
        let mut args = vec!["merge", "--format", "concise"];
        args.extend(facts.iter().map(String::as_str));
        lines.extend(run_in(dir.path(), &args).stdout.lines().map(str::to_string));
        lines.sort();
        (lines, hits)
    };
    let (cold, cold_hits) = sharded("cold");
    assert_eq!((cold_hits, &cold), (0, &whole));
    // The facts a shard hands on come from the cache, still encoded there: all of them.
    let (warm, warm_hits) = sharded("warm");
    assert_eq!((warm_hits, &warm), (14, &whole));
}

#[test]
fn shards_after_a_terminal_run_merge_as_cold_shards_do() {
    let dir = tempdir();
    corpus(dir.path());
    let merge_human = |tag: &str, shard_options: &[&str]| {
        let mut facts = Vec::new();
        for k in 1..=2 {
            let file = format!("{tag}-{k}.facts");
            let shard = format!("{k}/2");
            let mut options = vec!["--shard", shard.as_str(), "--emit-facts", file.as_str()];
            options.extend_from_slice(shard_options);
            lint(dir.path(), &options);
            facts.push(file);
        }
        let mut args = vec!["merge", "--format", "human"];
        args.extend(facts.iter().map(String::as_str));
        let report = run_in(dir.path(), &args).stdout;
        // Without the run's time.
        report
            .split(" Finished in")
            .next()
            .unwrap_or("")
            .to_string()
    };
    let cold = merge_human("cold", &["--no-cache"]);
    assert!(cold.contains("CORPUS001"), "{cold}");
    // A terminal run fills the cache with code frames; the piped shards must not hand them on.
    run_in(dir.path(), &["--format", "human", "posts"]);
    assert_eq!(merge_human("warm", &[]), cold);
}

#[test]
fn artlint_files_can_be_written_to_devices() {
    let dir = tempdir();
    corpus(dir.path());
    let facts = run_in(
        dir.path(),
        &[
            "--no-cache",
            "--emit-facts",
            "/dev/null",
            "--format",
            "concise",
            "posts",
        ],
    );
    assert!(matches!(facts.code, Some(0 | 1)), "{facts:?}");
    let learned = run_in(dir.path(), &["learn", "posts", "-o", "/dev/null"]);
    assert_eq!(learned.code, Some(0), "{learned:?}");
}

#[test]
fn shards_split_the_files_between_them() {
    let dir = tempdir();
    corpus(dir.path());
    let mut seen = Vec::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let run = run_in(
            dir.path(),
            &["--no-cache", "--format", "json", "--shard", &shard, "posts"],
        );
        let files = run.json()["summary"]["files"].as_u64();
        seen.push(files.unwrap_or_else(|| panic!("no file count: {}", run.stdout)));
    }
    assert_eq!(seen.iter().sum::<u64>(), 14);
    assert!(seen.iter().all(|n| *n < 14), "{seen:?}");
}

#[test]
fn bad_shard_and_bad_facts_are_clear_errors() {
    let dir = tempdir();
    corpus(dir.path());
    for bad in ["0/3", "4/3", "1/0", "x"] {
        let run = run_in(dir.path(), &["--shard", bad, "posts"]);
        assert_eq!(run.code, Some(2), "{bad}: {run:?}");
        assert!(run.stderr.contains("K/N"), "{}", run.stderr);
    }
    write(dir.path(), "junk.facts", "junk");
    let run = run_in(dir.path(), &["merge", "junk.facts"]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("junk.facts"), "{}", run.stderr);
}

#[test]
fn a_changed_encoding_is_a_changed_file() {
    let dir = tempdir();
    // The same title in GBK, then in UTF-8: equal once decoded, different files.
    let mut gbk = b"---\ntitle: ".to_vec();
    gbk.extend([0xD0, 0xC2, 0xC0, 0xCB, 0xB2, 0xC6, 0xBE, 0xAD]);
    gbk.extend(b"\ndate: 2021-05-22\n---\nBody.\n");
    write(dir.path(), "posts/a.md", &gbk);
    let before = lint(dir.path(), &[]);
    assert!(before.iter().any(|l| l.contains("ENC001")), "{before:#?}");
    write(
        dir.path(),
        "posts/a.md",
        "---\ntitle: 新浪财经\ndate: 2021-05-22\n---\nBody.\n",
    );
    let after = lint(dir.path(), &[]);
    assert!(!after.iter().any(|l| l.contains("ENC001")), "{after:#?}");
    assert_eq!(after, lint(dir.path(), &["--no-cache"]));
}

#[test]
fn merge_refuses_missing_and_repeated_shards() {
    let dir = tempdir();
    corpus(dir.path());
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let file = format!("s{k}.facts");
        lint(
            dir.path(),
            &["--no-cache", "--shard", &shard, "--emit-facts", &file],
        );
    }
    for (files, says) in [
        (vec!["s1.facts", "s2.facts"], "missing: 3/3"),
        (
            vec!["s1.facts", "s1.facts", "s2.facts", "s3.facts"],
            "given twice: 1/3",
        ),
    ] {
        let mut args = vec!["merge"];
        args.extend(files);
        let run = run_in(dir.path(), &args);
        assert_eq!(run.code, Some(2), "{run:?}");
        assert!(run.stderr.contains(says), "{}", run.stderr);
    }
}

#[test]
fn merge_refuses_facts_files_that_share_a_file() {
    let dir = tempdir();
    corpus(dir.path());
    // A post linted twice, rewritten in between: its title and body are each in one facts
    // file only, and pruned (a merge drops what no other file shares), but the file is in both
    // and must still be seen twice.
    let emit = |file: &str| {
        let run = run_in(
            dir.path(),
            &["--no-cache", "--emit-facts", file, "posts/no-date.md"],
        );
        assert!(matches!(run.code, Some(0 | 1)), "{run:?}");
    };
    emit("a.facts");
    write(
        dir.path(),
        "posts/no-date.md",
        "---\ntitle: Rewritten since\n---\nOther text entirely.\n",
    );
    emit("b.facts");
    let run = run_in(dir.path(), &["merge", "a.facts", "b.facts"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr
            .contains("posts/no-date.md is in two facts files, a.facts and b.facts"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_run_on_some_files_keeps_the_others_warm() {
    let dir = tempdir();
    corpus(dir.path());
    let files = 14;
    lint(dir.path(), &[]);
    // A hook's run on the one file it changed.
    let changed = "posts/2021-05-03-post-2.md";
    write(
        dir.path(),
        changed,
        "---\ntitle: Post number 2\ndate: 2021-05-03 10:00:00\n---\n<p>New body.</p>\n",
    );
    let run = run_in(dir.path(), &["--format", "concise", changed]);
    assert!(matches!(run.code, Some(0 | 1)), "{run:?}");
    // Deleted since: its entry is not taken for another file.
    std::fs::remove_file(dir.path().join("posts/no-date.md")).unwrap();
    let expected = lint(dir.path(), &["--no-cache"]);
    let (found, hits) = lint_counting_hits(dir.path());
    assert_eq!(found, expected);
    assert_eq!(hits, files - 1, "every file left came from the cache");
}

/// A hook run with `--select` and a whole run, alternating in one checkout: each keeps its own
/// cache file, so neither makes the other cold; only a few such files are kept.
#[test]
fn runs_with_other_overrides_keep_their_own_cache() {
    let dir = tempdir();
    corpus(dir.path());
    let files = 14;
    let whole = ["--format", "concise"];
    let hook = ["--format", "concise", "--select", "FM,DT"];
    let (whole_report, _) = run_counting_hits(dir.path(), &whole);
    let (hook_report, hits) = run_counting_hits(dir.path(), &hook);
    assert_eq!(hits, 0, "the whole run's outcomes are not the hook's");
    assert_ne!(hook_report, whole_report);
    for _ in 0..2 {
        assert_eq!(
            run_counting_hits(dir.path(), &whole),
            (whole_report.clone(), files)
        );
        assert_eq!(
            run_counting_hits(dir.path(), &hook),
            (hook_report.clone(), files)
        );
    }
    let cache_files = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir.join(".artlint-cache"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".bin"))
            .collect();
        names.sort();
        names
    };
    let names = cache_files(dir.path());
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.contains(&"results.bin".to_string()), "{names:?}");
    // The same selection written in another order is the same set of settings.
    let reordered = ["--format", "concise", "--select", "DT,FM,DT"];
    assert_eq!(
        run_counting_hits(dir.path(), &reordered),
        (hook_report.clone(), files)
    );
    assert_eq!(cache_files(dir.path()), names);
    // A run that changes nothing marks its file used (its time now), read-only or not. (Past
    // the racy window, one run stamps the posts' times as trusted; the next changes nothing.)
    wait_past_the_racy_window();
    run_counting_hits(dir.path(), &hook);
    let hook_file = names.iter().find(|n| *n != "results.bin").unwrap();
    let hook_file = dir.path().join(".artlint-cache").join(hook_file);
    let long_ago = SystemTime::now() - Duration::from_secs(86_400);
    std::fs::File::options()
        .write(true)
        .open(&hook_file)
        .unwrap()
        .set_modified(long_ago)
        .unwrap();
    let mut permissions = std::fs::metadata(&hook_file).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&hook_file, permissions).unwrap();
    assert_eq!(
        run_counting_hits(dir.path(), &hook),
        (hook_report.clone(), files)
    );
    let modified = std::fs::metadata(&hook_file).unwrap().modified().unwrap();
    assert!(
        modified > long_ago + Duration::from_secs(3_600),
        "not marked used"
    );
    // Twelve more selections: the eight most recently used override files stay (the hook's,
    // used all along though unchanged, among them), and the whole run's.
    for (i, code) in [
        "FM001", "FM002", "FM003", "FM004", "FM005", "FM006", "DT001", "DT002", "DT003", "DT004",
        "IMG001", "IMG002",
    ]
    .into_iter()
    .enumerate()
    {
        run_counting_hits(dir.path(), &["--format", "concise", "--select", code]);
        if i % 4 == 3 {
            assert_eq!(
                run_counting_hits(dir.path(), &hook),
                (hook_report.clone(), files)
            );
        }
    }
    let names = cache_files(dir.path());
    assert_eq!(names.len(), 9, "{names:?}");
    assert_eq!(run_counting_hits(dir.path(), &whole), (whole_report, files));
    assert_eq!(run_counting_hits(dir.path(), &hook), (hook_report, files));
    let (_, hits) = run_counting_hits(dir.path(), &["--format", "concise", "--select", "FM001"]);
    assert_eq!(hits, 0, "the least recently used selection's file went");
    // A run at another time (CI passing `--now`) is no new set of settings: no new file.
    let names = cache_files(dir.path());
    run_counting_hits(
        dir.path(),
        &["--format", "concise", "--now", "2030-01-01T00:00:00Z"],
    );
    assert_eq!(cache_files(dir.path()), names);
    let (_, hits) = run_counting_hits(dir.path(), &["--format", "concise", "--select", "IMG002"]);
    assert_eq!(hits, files, "the latest selection's file was kept");
}

/// Two shards written as `{tag}-1.facts` and `{tag}-2.facts`, each run with its own
/// arguments (options and paths); the files' names.
fn two_shards(dir: &Path, tag: &str, arguments: [&[&str]; 2]) -> Vec<String> {
    let mut facts = Vec::new();
    for (k, extra) in (1..=2).zip(arguments) {
        let file = format!("{tag}-{k}.facts");
        let shard = format!("{k}/2");
        let mut args = vec!["--no-cache", "--shard", &shard, "--emit-facts", &file];
        args.extend_from_slice(extra);
        let run = run_in(dir, &args);
        assert!(matches!(run.code, Some(0 | 1)), "{run:?}");
        facts.push(file);
    }
    facts
}

/// `artlint merge` of these facts files, run in `dir`.
fn merge_in(dir: &Path, facts: &[String]) -> common::Run {
    let mut args = vec!["merge", "--format", "concise"];
    args.extend(facts.iter().map(String::as_str));
    run_in(dir, &args)
}

#[test]
fn merge_refuses_shards_of_other_files_or_another_configuration() {
    let dir = tempdir();
    corpus(dir.path());
    let alike = two_shards(dir.path(), "alike", [&["posts"], &["posts"]]);
    assert!(matches!(merge_in(dir.path(), &alike).code, Some(0 | 1)));
    let ignoring = two_shards(
        dir.path(),
        "ignoring",
        [&["posts"], &["--ignore", "FM", "posts"]],
    );
    let run = merge_in(dir.path(), &ignoring);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains("different configurations"),
        "{}",
        run.stderr
    );
    // The second shard also lints a file outside posts/.
    write(
        dir.path(),
        "more/extra.md",
        "---\ntitle: Extra\n---\nText.\n",
    );
    let wider = two_shards(dir.path(), "wider", [&["posts"], &["posts", "more"]]);
    let run = merge_in(dir.path(), &wider);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("same files"), "{}", run.stderr);
}

#[test]
fn shards_naming_the_corpus_differently_merge_as_one_corpus() {
    let dir = tempdir();
    corpus(dir.path());
    let absolute = dir.path().canonicalize().unwrap().join("posts");
    let absolute = absolute.to_str().unwrap();
    let relative = two_shards(dir.path(), "relative", [&["posts"], &["posts"]]);
    let mixed = two_shards(dir.path(), "mixed", [&[absolute], &["./posts"]]);
    let expected = merge_in(dir.path(), &relative);
    assert!(expected.stdout.contains("CORPUS001"), "{expected:?}");
    let merged = merge_in(dir.path(), &mixed);
    assert_eq!(
        (merged.code, &merged.stdout),
        (expected.code, &expected.stdout)
    );
    // One shard given the corpus twice, spelled two ways: each post is linted once.
    let twice = two_shards(dir.path(), "twice", [&["posts", absolute], &["posts"]]);
    let merged = merge_in(dir.path(), &twice);
    assert_eq!(
        (merged.code, &merged.stdout),
        (expected.code, &expected.stdout),
        "{}",
        merged.stderr
    );
}

#[cfg(unix)]
#[test]
fn posts_whose_names_are_not_utf8_are_cached_sharded_and_merged() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempdir();
    std::fs::create_dir(dir.path().join("posts")).unwrap();
    // Two GBK names (中文, 英文) that read alike once made text: each byte a replacement
    // character. Both posts lack a date and share their title.
    for name in [&b"\xd6\xd0\xce\xc4.md"[..], b"\xd3\xa2\xce\xc4.md"] {
        let path = dir
            .path()
            .join("posts")
            .join(std::ffi::OsStr::from_bytes(name));
        std::fs::write(path, "---\ntitle: Same title\n---\nText.\n").unwrap();
    }
    let count = |text: &str, code: &str| text.lines().filter(|l| l.contains(code)).count();
    // A shard given them relatively and absolutely lints each once, and writes their facts.
    let absolute = dir.path().canonicalize().unwrap().join("posts");
    let run = run_in(
        dir.path(),
        &[
            "--no-cache",
            "--format",
            "concise",
            "--shard",
            "1/1",
            "--emit-facts",
            "s.facts",
            "posts",
            absolute.to_str().unwrap(),
        ],
    );
    assert_eq!(
        (run.code, count(&run.stdout, "FM004")),
        (Some(1), 2),
        "{run:?}"
    );
    let merged = merge_in(dir.path(), &["s.facts".to_string()]);
    assert_eq!(count(&merged.stdout, "CORPUS001"), 2, "{merged:?}");
    // The cache keeps them: a second run takes both from it.
    lint(dir.path(), &[]);
    let (report, hits) = run_counting_hits(dir.path(), &["--format", "concise"]);
    assert_eq!(hits, 2, "{report}");
    assert_eq!(count(&report, "FM004"), 2);
}

#[cfg(unix)]
#[test]
fn shards_run_in_a_linked_folder_name_the_posts_as_the_shell_does() {
    let dir = tempdir();
    corpus(dir.path());
    // Its configuration too is found through the link, and applies to the posts as named.
    write(
        dir.path(),
        "artlint.toml",
        "[[overrides]]\nfiles = [\"posts/**\"]\nignore = [\"FM004\"]\n",
    );
    // The same folder reached through a link, as a CI workspace may be: the shell's `$PWD`
    // is the link, the system's working folder the real one.
    let links = tempdir();
    let link = links.path().join("workspace");
    std::os::unix::fs::symlink(dir.path(), &link).unwrap();
    let in_link = link.join("posts");
    let in_link = in_link.to_str().unwrap();
    // Two shards and their merge, run in `folder` (named so by `$PWD`): every line reported.
    let split_and_merge = |folder: &Path, tag: &str, posts: [Vec<&str>; 2]| {
        let mut lines = Vec::new();
        let mut facts = Vec::new();
        for (k, posts) in (1..=2).zip(posts) {
            let (shard, file) = (format!("{k}/2"), format!("{tag}-{k}.facts"));
            let run = common::run(
                common::artlint()
                    .current_dir(folder)
                    .env("PWD", folder)
                    .args(["--no-cache", "--format", "concise", "--shard", &shard])
                    .args(["--emit-facts", &file])
                    .args(posts),
            );
            assert!(matches!(run.code, Some(0 | 1)), "{run:?}");
            lines.extend(run.stdout.lines().map(str::to_string));
            facts.push(file);
        }
        let merged = merge_in(dir.path(), &facts);
        assert!(matches!(merged.code, Some(0 | 1)), "{merged:?}");
        lines.extend(merged.stdout.lines().map(str::to_string));
        lines.sort();
        lines
    };
    let expected = split_and_merge(dir.path(), "plain", [vec!["posts"], vec!["posts"]]);
    assert!(
        expected.iter().any(|l| l.contains("CORPUS001"))
            && !expected.iter().any(|l| l.contains("FM004")),
        "{expected:#?}"
    );
    // Shard 2 is given the posts both ways: they are linted once, with the configuration
    // found through the link.
    let linked = split_and_merge(&link, "linked", [vec![in_link], vec!["posts", in_link]]);
    assert_eq!(linked, expected);
}

#[test]
fn merge_refuses_a_damaged_facts_file() {
    let dir = tempdir();
    corpus(dir.path());
    let facts = two_shards(dir.path(), "shard", [&["posts"], &["posts"]]);
    let path = dir.path().join(&facts[0]);
    let mut bytes = std::fs::read(&path).unwrap();
    // A byte in the middle flipped, where the facts are.
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    std::fs::write(&path, bytes).unwrap();
    let run = merge_in(dir.path(), &facts);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("checksum"), "{}", run.stderr);
}

#[test]
fn merge_refuses_posts_it_cannot_find_or_that_changed_since_the_shards_ran() {
    let dir = tempdir();
    corpus(dir.path());
    let facts = two_shards(dir.path(), "shard", [&["posts"], &["posts"]]);
    // Run elsewhere, the facts files named by absolute paths: the posts are not there.
    let elsewhere = tempdir();
    let absolute: Vec<String> = facts
        .iter()
        .map(|f| dir.path().join(f).to_string_lossy().into_owned())
        .collect();
    let run = merge_in(elsewhere.path(), &absolute);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr
            .contains("14 posts are not as the shards checked them")
            && run.stderr.contains("posts/2021-05-01-post-0.md: not found"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "", "no finding may be reported: {run:?}");
    // A post edited after the shards ran.
    write(
        dir.path(),
        "posts/2021-06-01-copy.md",
        "---\ntitle: Post number 3\ndate: 2021-06-01 10:00:00\n---\nEdited since.\n",
    );
    let run = merge_in(dir.path(), &facts);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr
            .contains("posts/2021-06-01-copy.md: changed since its shard checked it"),
        "{}",
        run.stderr
    );
}

#[test]
fn shards_that_fixed_posts_through_the_cache_merge_as_shards_without_it() {
    let (cached, uncached) = (tempdir(), tempdir());
    for dir in [&cached, &uncached] {
        corpus(dir.path());
        for name in ["fix-a", "fix-b", "fix-c"] {
            write(
                dir.path(),
                &format!("posts/{name}.md"),
                format!(
                    "---\ntitle: Post number 1\ndate: 2021-07-01\n---\n<p>{name}</p>\n<p> </p>\n"
                ),
            );
        }
    }
    // Warm the cache, then fix through it: the facts must be of the posts as fixed on disk.
    lint(cached.path(), &[]);
    let mut merged = Vec::new();
    for (dir, cache) in [(&cached, None), (&uncached, Some("--no-cache"))] {
        let mut facts = Vec::new();
        for k in 1..=2 {
            let (shard, file) = (format!("{k}/2"), format!("fix-{k}.facts"));
            let mut args = vec!["--fix", "--shard", &shard, "--emit-facts", &file, "posts"];
            args.extend(cache);
            let run = run_in(dir.path(), &args);
            assert!(matches!(run.code, Some(0 | 1)), "{run:?}");
            facts.push(file);
        }
        let run = merge_in(dir.path(), &facts);
        assert!(matches!(run.code, Some(0 | 1)), "{run:?}");
        assert!(run.stdout.contains("posts/fix-a.md"), "{run:?}");
        merged.push(run.stdout);
    }
    assert_eq!(merged[0], merged[1]);
}

#[test]
fn a_fix_run_takes_files_with_nothing_to_fix_from_the_cache() {
    let (cached, uncached) = (tempdir(), tempdir());
    for dir in [&cached, &uncached] {
        corpus(dir.path());
    }
    // Two posts with a safe fix (an empty paragraph to remove).
    let to_fix = |title: &str| {
        format!("---\ntitle: {title}\ndate: 2021-07-01 10:00:00\n---\n<p>Text.</p>\n<p>  </p>\n")
    };
    for dir in [&cached, &uncached] {
        for name in ["fix-a", "fix-b"] {
            write(dir.path(), &format!("posts/{name}.md"), to_fix(name));
        }
    }
    lint(cached.path(), &[]);
    let (report, hits) = run_counting_hits(cached.path(), &["--format", "concise", "--fix"]);
    assert_eq!(
        hits, 14,
        "every file but the two to fix comes from the cache"
    );
    let expected = lint(uncached.path(), &["--no-cache", "--fix"]);
    assert_eq!(report.lines().collect::<Vec<_>>(), expected);
    for name in ["posts/fix-a.md", "posts/fix-b.md", "posts/no-date.md"] {
        assert_eq!(
            std::fs::read(cached.path().join(name)).unwrap(),
            std::fs::read(uncached.path().join(name)).unwrap(),
            "{name}"
        );
    }
    assert_ne!(
        std::fs::read_to_string(cached.path().join("posts/fix-a.md")).unwrap(),
        to_fix("fix-a"),
        "the fix was written"
    );
    // A post whose only fix is unsafe: nothing to fix for `--fix`, taken from the cache; one
    // to fix for `--fix --unsafe-fixes`, checked again and fixed.
    let insecure =
        "---\ntitle: Insecure\ndate: 2021-07-02\n---\n![a](http://img.example.com/a.jpg)\n";
    write(cached.path(), "posts/insecure.md", insecure);
    lint(cached.path(), &[]);
    let (_, hits) = run_counting_hits(cached.path(), &["--format", "concise", "--fix"]);
    assert_eq!(
        hits, 17,
        "every file comes from the cache, the insecure one too"
    );
    let path = cached.path().join("posts/insecure.md");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), insecure);
    lint(cached.path(), &["--fix", "--unsafe-fixes"]);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        insecure.replace("http://", "https://")
    );
}
