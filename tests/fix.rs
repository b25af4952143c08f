//! `--fix`, `--unsafe-fixes` and `--diff` as a user runs them: fixing is idempotent, touches
//! only the edited bytes, keeps line endings and permissions, never writes files that cannot be
//! written back byte-exactly, and `--diff` writes nothing. `fix::write_atomically` refuses a
//! file that changed underneath.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use artlint::fix::{WriteError, write_atomically};
use common::{Run, run_in, tempdir, write};
use serde_json::Value;

/// A fixed "now": no finding (DT004) may depend on the day the tests run.
const NOW: &str = "2026-01-01T00:00:00Z";

/// Runs artlint (as `nobody` when the tests run as root) once per argument list on a post with
/// two fixable findings (FM010, HTML001), read-only in a read-only `posts/`, and checks that
/// no run changed it. `None` when it cannot run unprivileged (root without `setpriv`).
fn lint_read_only_post(runs: &[&[&str]]) -> Option<Vec<common::Run>> {
    let dir = tempdir();
    let post = write(
        dir.path(),
        "posts/a.md",
        "---\ntitle: \" Padded \"\ndate: 2021-01-01\n---\n\n<p>x</br></p>\n",
    );
    let before = std::fs::read(&post).unwrap();
    let posts = dir.path().join("posts");
    // The folder above stays writable: a baseline or report may be written there.
    common::set_mode(dir.path(), 0o777);
    common::set_mode(&post, 0o444);
    common::set_mode(&posts, 0o555);
    let outputs: Option<Vec<_>> = runs
        .iter()
        .map(|args| {
            common::artlint_unprivileged().map(|mut cmd| {
                cmd.current_dir(dir.path())
                    .args(["--no-cache", "--now", NOW])
                    .args(*args)
                    .arg("posts");
                common::run(&mut cmd)
            })
        })
        .collect();
    common::set_mode(&posts, 0o755);
    common::set_mode(&post, 0o644);
    if outputs.is_none() {
        eprintln!("note: running as root without setpriv; the unwritable-fix check is skipped");
    }
    assert_eq!(
        std::fs::read(&post).unwrap(),
        before,
        "the post is unchanged"
    );
    outputs
}

#[test]
fn a_fix_that_cannot_be_written_reports_the_file_as_it_is() {
    // The fixed text cannot be put in place (a read-only post in a read-only folder): the
    // report is of the file as it stays on disk, its findings still there to fix, and the run
    // fails; before, it reported the fixed text's findings ("All checks passed").
    let Some([fixing, plain]) =
        lint_read_only_post(&[&["--format", "concise", "--fix"], &["--format", "concise"]])
            .map(|runs| <[_; 2]>::try_from(runs).unwrap())
    else {
        return;
    };
    assert_eq!(fixing.code, Some(2), "{fixing:?}");
    assert!(
        fixing
            .stderr
            .contains("posts/a.md: cannot write the fixed file"),
        "{fixing:?}"
    );
    assert_eq!(
        common::codes(&plain.lines()),
        ["FM010", "HTML001"],
        "{plain:?}"
    );
    assert_eq!(fixing.stdout, plain.stdout);
}

#[test]
fn a_fix_that_cannot_be_written_fails_a_baseline_run_too() {
    // `--fix --write-baseline` ends in the baseline, not a report: a fix it could not write
    // must still be told and fail the run (it exited 0 without a word), and the baseline
    // records the findings of the file as it stays.
    let Some(runs) = lint_read_only_post(&[&["--fix", "--write-baseline", "baseline.json"]]) else {
        return;
    };
    let run = &runs[0];
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr
            .contains("posts/a.md: cannot write the fixed file"),
        "{run:?}"
    );
    assert!(
        run.stderr
            .contains("Wrote 2 findings to the baseline baseline.json."),
        "{run:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Trees
// ---------------------------------------------------------------------------------------------

/// What a tree holds at one path.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Entry {
    File { bytes: Vec<u8>, mode: u32 },
    Link(PathBuf),
    Dir,
}

/// Every path under `root` (relative, `/`-separated) with its content, mode or link target.
fn snapshot(root: &Path) -> BTreeMap<String, Entry> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Entry>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.file_type().is_symlink() {
                out.insert(rel, Entry::Link(std::fs::read_link(&path).unwrap()));
            } else if meta.is_dir() {
                out.insert(rel, Entry::Dir);
                walk(root, &path, out);
            } else {
                out.insert(
                    rel,
                    Entry::File {
                        bytes: std::fs::read(&path).unwrap(),
                        mode: meta.permissions().mode() & 0o7777,
                    },
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// Copy `from` into `to` (created), keeping symbolic links as links. Folders are made
/// writable (the shared corpus is read-only); files keep their mode plus the owner's write bit.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    std::fs::set_permissions(to, std::fs::Permissions::from_mode(0o755)).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        let meta = std::fs::symlink_metadata(&path).unwrap();
        if meta.file_type().is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(&path).unwrap(), &target).unwrap();
        } else if meta.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::write(&target, std::fs::read(&path).unwrap()).unwrap();
            let mode = (meta.permissions().mode() & 0o777) | 0o200;
            std::fs::set_permissions(&target, std::fs::Permissions::from_mode(mode)).unwrap();
        }
    }
}

/// The paths whose entries differ between two snapshots (or exist in one only).
fn changed(a: &BTreeMap<String, Entry>, b: &BTreeMap<String, Entry>) -> BTreeSet<String> {
    a.keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect()
}

fn assert_same_tree(a: &BTreeMap<String, Entry>, b: &BTreeMap<String, Entry>, what: &str) {
    let differ = changed(a, b);
    assert!(differ.is_empty(), "{what}: these paths changed: {differ:?}");
}

// ---------------------------------------------------------------------------------------------
// Runs
// ---------------------------------------------------------------------------------------------

/// `artlint --no-cache --now NOW ARGS` in `dir` (no cache: nothing but fixes may be written).
fn artlint(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["--no-cache", "--now", NOW];
    all.extend_from_slice(args);
    let run = run_in(dir, &all);
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("internal error"),
        "{run:?}"
    );
    run
}

fn diagnostics(run: &Run) -> Vec<Value> {
    run.json()["diagnostics"].as_array().unwrap().clone()
}

/// One edit of a fix: byte range of the decoded text and replacement.
#[derive(Clone, Debug)]
struct Edit {
    start: usize,
    end: usize,
    replacement: String,
}

/// The edits of every safe fix in a JSON report, by path (one `Vec<Edit>` per fix). Corpus
/// findings compare files; their fixes are never applied file by file.
fn safe_fixes(diagnostics: &[Value]) -> BTreeMap<String, Vec<Vec<Edit>>> {
    let mut out: BTreeMap<String, Vec<Vec<Edit>>> = BTreeMap::new();
    for d in diagnostics {
        if d["fix"]["safety"] != "safe" || d["family"] == "corpus" {
            continue;
        }
        let edits = d["fix"]["edits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| Edit {
                start: e["start"].as_u64().unwrap() as usize,
                end: e["end"].as_u64().unwrap() as usize,
                replacement: e["replacement"].as_str().unwrap().to_string(),
            })
            .collect();
        out.entry(d["path"].as_str().unwrap().to_string())
            .or_default()
            .push(edits);
    }
    out
}

/// `text` with `fixes` applied, or `None` when two edits touch the same bytes (or insert at
/// the same place): then artlint would need more than one pass.
fn apply_disjoint(text: &str, fixes: &[Vec<Edit>]) -> Option<String> {
    let mut edits: Vec<&Edit> = fixes.iter().flatten().collect();
    edits.sort_by_key(|e| (e.start, e.end));
    for pair in edits.windows(2) {
        if pair[1].start < pair[0].end || pair[1].start == pair[0].start {
            return None;
        }
    }
    let mut out = String::new();
    let mut at = 0;
    for e in edits {
        out.push_str(&text[at..e.start]);
        out.push_str(&e.replacement);
        at = e.end;
    }
    out.push_str(&text[at..]);
    Some(out)
}

/// The counts of a "Fixed N problems in M files." (or "Would fix …") line.
fn counts(stderr: &str, prefix: &str) -> (usize, usize) {
    let line = stderr
        .lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no `{prefix}` line in:\n{stderr}"));
    let numbers: Vec<usize> = line
        .split_whitespace()
        .filter_map(|w| w.trim_end_matches('.').parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

/// Everything `--fix` promises, checked on the tree at `root`:
/// - `--diff` writes nothing, exits 1 when there is a diff, and would fix what `--fix` fixes;
/// - after `--fix`, no finding with a safe fix is left, and a second `--fix` fixes nothing and
///   changes no byte;
/// - a file without a safe fix is byte-identical after `--fix`;
/// - a file whose safe fixes do not overlap and that needs a single pass ends up as its text
///   with exactly the reported edits applied, and `--diff` shows exactly that change.
///
/// Returns how many files were checked edit by edit.
fn check_fix_on_tree(root: &Path) -> usize {
    let scratch = tempdir();
    let before = snapshot(root);

    // The findings and fixes before any fix.
    let report = artlint(root, &["--format", "json", "."]);
    let fixes = safe_fixes(&diagnostics(&report));
    assert!(!fixes.is_empty(), "the tree should have safe fixes");

    // --diff: nothing written. (CORPUS002 is left out: with it, `--diff` panics on the shared
    // corpus, see `diff_with_learned_boilerplate_in_a_fixed_file_does_not_panic`.)
    let diff = artlint(root, &["--diff", "--ignore", "CORPUS002", "."]);
    assert_eq!(diff.code, Some(1), "{}", diff.stderr);
    assert_same_tree(&before, &snapshot(root), "--diff wrote files");
    let would = counts(&diff.stderr, "Would fix");

    // The expected text of every file one pass of fixes settles.
    let mut expected: BTreeMap<String, String> = BTreeMap::new();
    for (path, file_fixes) in &fixes {
        let Some(Entry::File { bytes, .. }) = before.get(path) else {
            continue;
        };
        // Only UTF-8 text is the file itself; the rest is never written.
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        if let Some(new) = apply_disjoint(text, file_fixes) {
            expected.insert(path.clone(), new);
        }
    }
    // A file needs a single pass when its expected text has no safe fix left.
    let settled_tree = scratch.path().join("settled");
    copy_tree(root, &settled_tree);
    for (path, text) in &expected {
        std::fs::write(settled_tree.join(path), text).unwrap();
    }
    let settled = artlint(&settled_tree, &["--format", "json", "."]);
    let unsettled = safe_fixes(&diagnostics(&settled));
    expected.retain(|path, _| !unsettled.contains_key(path));

    // --fix.
    let fixed = artlint(root, &["--fix", "--format", "json", "."]);
    assert!(matches!(fixed.code, Some(0 | 1)), "{fixed:?}");
    let after = snapshot(root);
    let left: Vec<String> = diagnostics(&fixed)
        .iter()
        .filter(|d| d["fix"]["safety"] == "safe" && d["family"] != "corpus")
        .map(|d| format!("{} {}", d["path"], d["code"]))
        .collect();
    assert!(left.is_empty(), "safe fixes left after --fix: {left:?}");
    let changed_paths = changed(&before, &after);
    assert_eq!(
        counts(&fixed.stderr, "Fixed"),
        would,
        "--fix fixed other problems than --diff announced"
    );
    assert_eq!(would.1, changed_paths.len(), "{changed_paths:?}");
    for path in &changed_paths {
        assert!(
            fixes.contains_key(path),
            "{path} changed without a safe fix"
        );
        assert!(
            matches!(after.get(path), Some(Entry::File { .. })),
            "{path} is no longer a file"
        );
    }

    // Byte for byte.
    for (path, text) in &expected {
        let Some(Entry::File { bytes, .. }) = after.get(path) else {
            panic!("{path} is gone");
        };
        assert_eq!(
            String::from_utf8_lossy(bytes),
            text.as_str(),
            "{path}: --fix changed other bytes than the reported edits"
        );
        let Some(Entry::File { bytes: old, .. }) = before.get(path) else {
            unreachable!()
        };
        let old = std::str::from_utf8(old).unwrap();
        let unified = artlint::fix::unified_diff(Path::new(path), old, text);
        assert!(
            diff.stdout.contains(&unified),
            "--diff should show\n{unified}\nin\n{}",
            diff.stdout
        );
    }

    // Idempotent.
    let again = artlint(root, &["--fix", "--format", "json", "."]);
    assert!(
        again.stderr.contains("Fixed 0 problems in 0 files."),
        "{}",
        again.stderr
    );
    assert_same_tree(&after, &snapshot(root), "a second --fix changed files");
    expected.len()
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn fix_on_the_bundled_fixtures_is_exact_and_idempotent() {
    let dir = tempdir();
    let root = dir.path().join("fixtures");
    // The broken symbolic link of IO001 is copied as a link, the binary file of IO002 as is.
    copy_tree(&manifest_dir().join("fixtures"), &root);
    assert!(
        std::fs::symlink_metadata(root.join("rules/IO001-unreadable-file/bad.md"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let checked = check_fix_on_tree(&root);
    eprintln!("{checked} files checked edit by edit");
    assert!(
        checked >= 10,
        "only {checked} files were checked edit by edit"
    );
}

#[test]
fn fix_on_the_shared_corpus_is_exact_and_idempotent() {
    let corpus = manifest_dir().join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("skipped: {} does not exist", corpus.display());
        return;
    }
    let dir = tempdir();
    let root = dir.path().join("corpus");
    copy_tree(&corpus, &root);
    let checked = check_fix_on_tree(&root);
    eprintln!("{checked} files checked edit by edit");
    assert!(
        checked >= 50,
        "only {checked} files were checked edit by edit"
    );
}

/// `--diff` computes the fixed text without writing it; the learned-boilerplate pass
/// (CORPUS002) then places its findings by reading the file again from disk, with offsets of
/// the fixed text. When a fix before the block removed a number of bytes that lands the
/// offset inside a multi-byte character, artlint panics (`end byte index … is not a char
/// boundary`, src/document/mod.rs `Document::position`, from src/corpus/learned.rs `locate`).
#[test]

fn diff_with_learned_boilerplate_in_a_fixed_file_does_not_panic() {
    let dir = tempdir();
    for i in 1..=5 {
        // Three blank lines before the front matter: FM002's fix removes 3 bytes, and the
        // shared block's offsets then fall inside the `。` that ends the paragraph before it.
        write(
            dir.path(),
            &format!("posts/p{i}.md"),
            format!(
                "\n\n\n---\ntitle: 第{i}篇快讯\ndate: 2022-01-0{i} 10:00:00\n---\n\n\
                 第{i}篇的正文，各不相同的内容在这里，编号{i}。\n\n\
                 本文来自某某财经，转载请注明出处，更多资讯请关注我们的公众号。\n"
            ),
        );
    }
    let before = snapshot(dir.path());
    let run = run_in(dir.path(), &["--no-cache", "--diff", "posts"]);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stderr.contains("Would fix 5 problems in 5 files."));
    assert_same_tree(&before, &snapshot(dir.path()), "--diff wrote files");
}

// ---------------------------------------------------------------------------------------------
// Line endings and permissions
// ---------------------------------------------------------------------------------------------

#[test]
fn fix_keeps_crlf_line_endings_and_permissions() {
    let dir = tempdir();
    let crlf = "---\r\ntitle: 换行测试\r\ndate: 2022-01-01 10:00:00\r\n---\r\n\r\n\
                <p cms-style=\"font-L\">　　正文第一段。</p>\r\n\
                <!-- 正文下iframe -->\r\n\
                <p>　　第二段<span id=\"quote_sh600000\"></span>。</p>\r\n\
                <p></p>\r\n\
                <p>　　第三段。</p>\r\n";
    let lf = "---\ntitle: 另一篇\ndate: 2022-01-02 10:00:00\n---\n\n<p>正文。</p>\n<p></p>\n";
    let crlf_path = write(dir.path(), "crlf.md", crlf);
    let lf_path = write(dir.path(), "lf.md", lf);
    std::fs::set_permissions(&crlf_path, std::fs::Permissions::from_mode(0o640)).unwrap();
    std::fs::set_permissions(&lf_path, std::fs::Permissions::from_mode(0o600)).unwrap();

    let run = artlint(dir.path(), &["--fix", "--format", "json", "."]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        run.stderr.contains("Fixed 5 problems in 2 files."),
        "{}",
        run.stderr
    );
    assert_eq!(diagnostics(&run), Vec::<Value>::new());

    let fixed = std::fs::read_to_string(&crlf_path).unwrap();
    assert_eq!(
        fixed,
        "---\r\ntitle: 换行测试\r\ndate: 2022-01-01 10:00:00\r\n---\r\n\r\n\
         <p>　　正文第一段。</p>\r\n\
         <p>　　第二段。</p>\r\n\
         <p>　　第三段。</p>\r\n"
    );
    assert_eq!(fixed.matches('\n').count(), fixed.matches("\r\n").count());
    assert_eq!(
        std::fs::read_to_string(&lf_path).unwrap(),
        "---\ntitle: 另一篇\ndate: 2022-01-02 10:00:00\n---\n\n<p>正文。</p>\n"
    );
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o7777;
    assert_eq!(mode(&crlf_path), 0o640);
    assert_eq!(mode(&lf_path), 0o600);
    // No temporary file is left behind.
    let names: BTreeSet<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, BTreeSet::from(["crlf.md".into(), "lf.md".into()]));
}

// ---------------------------------------------------------------------------------------------
// --diff
// ---------------------------------------------------------------------------------------------

const FIXABLE_POST: &str = "---\ntitle: 早盘快讯\ndate: 2022-01-03 09:45:00\n---\n\n<p>　　早盘两市小幅高开。</p>\n<!-- 正文下iframe -->\n<p>　　午后震荡回落。</p>\n";

#[test]
fn diff_prints_a_unified_diff_writes_nothing_and_exits_one() {
    let dir = tempdir();
    write(dir.path(), "posts/fixable.md", FIXABLE_POST);
    write(dir.path(), "posts/clean.md", common::clean_post("Clean"));
    let before = snapshot(dir.path());
    let run = artlint(dir.path(), &["--diff", "posts"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert_eq!(
        run.stdout,
        "--- posts/fixable.md\n+++ posts/fixable.md\n@@ -5,4 +5,3 @@\n \n <p>　　早盘两市小幅高开。</p>\n-<!-- 正文下iframe -->\n <p>　　午后震荡回落。</p>\n"
    );
    assert!(
        run.stderr.contains("Would fix 1 problem in 1 file."),
        "{}",
        run.stderr
    );
    assert_same_tree(&before, &snapshot(dir.path()), "--diff wrote files");
}

#[test]
fn diff_exits_zero_when_there_is_nothing_to_fix() {
    let dir = tempdir();
    write(dir.path(), "clean.md", common::clean_post("Clean"));
    // An error without a fix is no diff.
    write(
        dir.path(),
        "nodate.md",
        common::post_missing_date("No date"),
    );
    let before = snapshot(dir.path());
    let run = artlint(dir.path(), &["--diff", "."]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("Would fix 0 problems in 0 files."),
        "{}",
        run.stderr
    );
    assert_same_tree(&before, &snapshot(dir.path()), "--diff wrote files");
}

#[test]
fn diff_honours_output_file_and_exit_zero_and_refuses_machine_formats() {
    let dir = tempdir();
    write(dir.path(), "posts/fixable.md", FIXABLE_POST);
    let plain = artlint(dir.path(), &["--diff", "posts"]);
    // `-o` gets the diff (it was printed, and the file never made).
    let to_file = artlint(dir.path(), &["--diff", "-o", "fixes.diff", "posts"]);
    assert_eq!((to_file.code, to_file.stdout.as_str()), (Some(1), ""));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("fixes.diff")).unwrap(),
        plain.stdout
    );
    // `--exit-zero` is 0, as the README says of every run (it was 1).
    let exit_zero = artlint(dir.path(), &["--diff", "--exit-zero", "posts"]);
    assert_eq!(
        (exit_zero.code, &exit_zero.stdout),
        (Some(0), &plain.stdout)
    );
    // A diff is no JSON: a machine format, or statistics, is refused before the run.
    for extra in [&["--format", "json"][..], &["--statistics"]] {
        let run = artlint(dir.path(), &[&["--diff"], extra, &["posts"]].concat());
        assert_eq!((run.code, run.stdout.as_str()), (Some(2), ""), "{run:?}");
        assert!(
            run.stderr
                .starts_with("error: --diff prints a unified diff"),
            "{run:?}"
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_report_that_cannot_be_written_to_standard_output_fails_the_run() {
    // A full disk behind standard output: the report is lost, so the run cannot pass (it
    // exited 0 with --exit-zero, or on a clean corpus, and said nothing).
    let dir = tempdir();
    write(dir.path(), "clean.md", common::clean_post("Clean"));
    // Something for --diff to print.
    write(dir.path(), "fixable.md", FIXABLE_POST);
    for args in [
        &["--no-cache", "--format", "json", "."][..],
        &["--no-cache", "--format", "sarif", "--exit-zero", "."],
        &["--no-cache", "--diff", "."],
        &["rule", "FM004"],
        // clap prints these; its write error was dropped.
        &["--help"],
        &["--version"],
    ] {
        let full = std::fs::File::create("/dev/full").unwrap();
        let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("artlint"))
            .current_dir(dir.path())
            .args(args)
            .stdout(full)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("error: cannot write to standard output: No space left on device"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn block_scalars_are_not_padded_values_and_fix_leaves_them_whole() {
    // A block scalar's final line break is YAML's default chomping, not padding: FM010 took
    // it for trailing white space, and its safe fix pulled the next key (or the closing
    // fence) onto the value's line, which broke the front matter.
    let dir = tempdir();
    let posts = [
        (
            "folded.md",
            "---\nlayout: post\ntitle: Release notes\ndate: 2024-03-01\ndescription: >\n  What \
             changed in version 2.\ntags: [release]\n---\nBody text.\n",
        ),
        (
            "literal-last.md",
            "---\ntitle: Notes\ndate: 2024-03-01\nsummary: |\n  One line.\n---\nBody text.\n",
        ),
        (
            "tab-comment.md",
            "---\ntitle: Hi\ndate: 2021-01-01\nsummary: |\t# why\n  Text here\nnext: x\n---\nBody\n",
        ),
        (
            "quoted-key.md",
            "---\ntitle: Hi\ndate: 2021-01-01\n\"note #1\": |\n  Text here\nnext: x\n---\nBody\n",
        ),
        (
            "literal-title.md",
            "---\ntitle: |\n  Hello\n  world\ndate: 2024-03-01\n---\nBody text.\n",
        ),
    ];
    for (name, text) in posts {
        write(dir.path(), name, text);
    }
    let run = common::run_in(
        dir.path(),
        &["--no-cache", "--format", "json", "--exit-zero", "."],
    );
    assert!(!run.stdout.contains("FM010"), "{}", run.stdout);
    common::run_in(dir.path(), &["--no-cache", "--fix", "--exit-zero", "."]);
    for (name, text) in posts {
        assert_eq!(
            std::fs::read_to_string(dir.path().join(name)).unwrap(),
            text,
            "{name} was changed"
        );
    }
    // A quoted value's padding is still trimmed.
    write(
        dir.path(),
        "quoted.md",
        "---\ntitle: ' Hello '\ndate: 2024-03-01\n---\nBody text.\n",
    );
    common::run_in(
        dir.path(),
        &["--no-cache", "--fix", "--exit-zero", "quoted.md"],
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("quoted.md")).unwrap(),
        "---\ntitle: 'Hello'\ndate: 2024-03-01\n---\nBody text.\n"
    );
}

#[test]
fn blank_lines_before_a_block_that_is_not_fields_are_not_deleted() {
    // Between two thematic breaks (`---`), deleting the blank line made body text front
    // matter, which the generators then hid from the page. Fields are still moved up.
    let dir = tempdir();
    let breaks = "\n---\n\n# Heading\n\nSome text\n\n---\n\nMore\n";
    write(dir.path(), "breaks.md", breaks);
    // A sentence with a colon parses as a mapping, but of no field a generator reads.
    let sentence = "\n---\nUpdate: the server moved to a new host.\n---\nRest\n";
    write(dir.path(), "sentence.md", sentence);
    write(
        dir.path(),
        "fields.md",
        "\n---\ntitle: A\ndate: 2024-03-01\n---\nBody.\n",
    );
    let run = run_in(
        dir.path(),
        &[
            "--no-cache",
            "--fix",
            "--format",
            "concise",
            "--select",
            "FM",
            ".",
        ],
    );
    assert!(
        run.stdout.contains("breaks.md:2:1: FM002"),
        "{}",
        run.stdout
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("breaks.md")).unwrap(),
        breaks
    );
    assert!(
        run.stdout.contains("sentence.md:2:1: FM002"),
        "{}",
        run.stdout
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("sentence.md")).unwrap(),
        sentence
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("fields.md")).unwrap(),
        "---\ntitle: A\ndate: 2024-03-01\n---\nBody.\n"
    );
}

// ---------------------------------------------------------------------------------------------
// --unsafe-fixes
// ---------------------------------------------------------------------------------------------

const INSECURE_IMAGES: &str = "---\ntitle: 图表\ndate: 2022-01-04 10:00:00\n---\n\n\
                               ![走势图](http://img.example.cn/chart.png)\n\n\
                               <img src=\"http://img.example.cn/volume.png\" alt=\"成交量\">\n";

fn codes(run: &Run) -> Vec<String> {
    diagnostics(run)
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn unsafe_fixes_apply_only_with_fix_and_unsafe_fixes() {
    let dir = tempdir();
    let path = write(dir.path(), "post.md", INSECURE_IMAGES);
    let report = artlint(dir.path(), &["--select", "IMG003", "--format", "json", "."]);
    let found = diagnostics(&report);
    assert_eq!(codes(&report), ["IMG003", "IMG003"]);
    for d in &found {
        assert_eq!(d["fix"]["safety"], "unsafe", "{d}");
    }

    // --fix alone: the unsafe fix waits.
    let safe = artlint(dir.path(), &["--fix", "--format", "json", "."]);
    assert!(
        safe.stderr.contains("Fixed 0 problems in 0 files."),
        "{}",
        safe.stderr
    );
    assert_eq!(codes(&safe), ["IMG003", "IMG003"]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), INSECURE_IMAGES);

    // --unsafe-fixes alone fixes nothing either.
    let alone = artlint(dir.path(), &["--unsafe-fixes", "--format", "json", "."]);
    assert!(!alone.stderr.contains("Fixed"), "{}", alone.stderr);
    assert_eq!(codes(&alone), ["IMG003", "IMG003"]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), INSECURE_IMAGES);

    // --diff --unsafe-fixes shows them and writes nothing.
    let diff = artlint(dir.path(), &["--diff", "--unsafe-fixes", "."]);
    assert_eq!(diff.code, Some(1), "{diff:?}");
    assert!(
        diff.stdout
            .contains("+![走势图](https://img.example.cn/chart.png)"),
        "{}",
        diff.stdout
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), INSECURE_IMAGES);

    // --fix --unsafe-fixes applies them.
    let both = artlint(
        dir.path(),
        &["--fix", "--unsafe-fixes", "--format", "json", "."],
    );
    assert!(
        both.stderr.contains("Fixed 2 problems in 1 file."),
        "{}",
        both.stderr
    );
    assert_eq!(codes(&both), Vec::<String>::new());
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        INSECURE_IMAGES.replace("http://", "https://")
    );
}

#[test]
fn unsafe_boilerplate_fix_deletes_the_style_block_only_when_asked() {
    let dir = tempdir();
    let post = "---\ntitle: 样式\ndate: 2022-01-05 10:00:00\n---\n\n<p>正文。</p>\n<style>\n.qr{width:74px}\n</style>\n";
    let path = write(dir.path(), "post.html", post);
    let safe = artlint(dir.path(), &["--select", "BP", "--fix", "."]);
    assert!(safe.stderr.contains("Fixed 0 problems"), "{}", safe.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), post);
    let unsafe_run = artlint(
        dir.path(),
        &["--select", "BP", "--fix", "--unsafe-fixes", "."],
    );
    assert!(
        unsafe_run.stderr.contains("Fixed 1 problem in 1 file."),
        "{}",
        unsafe_run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "---\ntitle: 样式\ndate: 2022-01-05 10:00:00\n---\n\n<p>正文。</p>\n"
    );
}

// ---------------------------------------------------------------------------------------------
// Files that cannot be written back byte-exactly
// ---------------------------------------------------------------------------------------------

/// A post with safe fixes (a blank line before the front matter, a CMS comment, an empty
/// paragraph) in any encoding.
const FIXABLE_EVERYWHERE: &str = "\n---\ntitle: 新浪财经快讯\ndate: 2022-01-06 10:00:00\n---\n\n<p>　　沪深两市震荡整理。</p>\n<!-- 正文下iframe -->\n<p></p>\n";

fn encoded_posts() -> Vec<(&'static str, Vec<u8>)> {
    let (gbk, _, _) = encoding_rs::GBK.encode(FIXABLE_EVERYWHERE);
    let utf16 = |big_endian: bool| {
        let mut bytes = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in FIXABLE_EVERYWHERE.encode_utf16() {
            let pair = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            bytes.extend_from_slice(&pair);
        }
        bytes
    };
    let mut latin1 = b"\n---\ntitle: caf\xe9\ndate: 2022-01-06 10:00:00\n---\n".to_vec();
    latin1.extend_from_slice(b"<!-- \xe9 -->\n<p></p>\n");
    vec![
        ("gbk.md", gbk.into_owned()),
        ("utf16le.md", utf16(false)),
        ("utf16be.md", utf16(true)),
        ("latin1.md", latin1),
    ]
}

#[test]
fn files_that_cannot_be_fixed_byte_exactly_are_never_written() {
    let dir = tempdir();
    for (name, bytes) in encoded_posts() {
        write(dir.path(), name, bytes);
    }
    // The same post in UTF-8, fixed each time: the fixes exist.
    let utf8 = dir.path().join("utf8.md");
    let before = snapshot(dir.path());
    for (args, summary) in [
        (&["--diff"][..], "Would fix 3 problems in 1 file."),
        (
            &["--fix", "--unsafe-fixes"][..],
            "Fixed 3 problems in 1 file.",
        ),
        (&["--fix"][..], "Fixed 3 problems in 1 file."),
    ] {
        std::fs::write(&utf8, FIXABLE_EVERYWHERE).unwrap();
        let run = artlint(dir.path(), args);
        assert!(run.stderr.contains(summary), "{args:?}: {}", run.stderr);
        let now = snapshot(dir.path());
        for (name, _) in encoded_posts() {
            assert_eq!(before.get(name), now.get(name), "{args:?} wrote {name}");
        }
    }
    assert_eq!(
        std::fs::read_to_string(&utf8).unwrap(),
        "---\ntitle: 新浪财经快讯\ndate: 2022-01-06 10:00:00\n---\n\n<p>　　沪深两市震荡整理。</p>\n"
    );
}

/// The report should not offer a safe fix that `--fix` will never apply: after `--fix`, the
/// GBK and UTF-16 posts still report FM002/BP103/BP002 with `fix.safety == "safe"`.
#[test]

fn files_that_cannot_be_fixed_offer_no_safe_fix() {
    let dir = tempdir();
    for (name, bytes) in encoded_posts() {
        write(dir.path(), name, bytes);
    }
    let run = artlint(dir.path(), &["--fix", "--format", "json", "."]);
    let offered: Vec<String> = diagnostics(&run)
        .iter()
        .filter(|d| d["fix"]["safety"] == "safe")
        .map(|d| format!("{} {}", d["path"], d["code"]))
        .collect();
    assert_eq!(offered, Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------------
// Symbolic links
// ---------------------------------------------------------------------------------------------

/// A post reached through a symbolic link (a shared `_posts` folder linked into a site): the
/// fix should land in the post, and the link stay a link.
#[test]

fn fix_through_a_symbolic_link_fixes_the_target() {
    let dir = tempdir();
    let target = write(dir.path(), "shared/post.md", FIXABLE_POST);
    std::fs::create_dir_all(dir.path().join("site")).unwrap();
    let link = dir.path().join("site/post.md");
    std::os::unix::fs::symlink("../shared/post.md", &link).unwrap();
    let run = artlint(dir.path(), &["--fix", "site"]);
    assert!(
        run.stderr.contains("Fixed 1 problem in 1 file."),
        "{}",
        run.stderr
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link was replaced by a file"
    );
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        FIXABLE_POST.replace("<!-- 正文下iframe -->\n", "")
    );
}

// ---------------------------------------------------------------------------------------------
// write_atomically
// ---------------------------------------------------------------------------------------------

fn file_names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn write_atomically_refuses_a_file_that_changed_underneath() {
    let dir = tempdir();
    let read = "---\ntitle: 读到的版本\n---\n<!-- x -->\n";
    let meanwhile = "---\ntitle: 编辑器里刚保存的版本\n---\n<!-- x -->\n";
    let path = write(dir.path(), "post.md", meanwhile);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let result = write_atomically(&path, read, "---\ntitle: 读到的版本\n---\n");
    assert!(
        matches!(result, Err(WriteError::ChangedUnderneath)),
        "{result:?}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), meanwhile);
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o7777,
        0o640
    );
    assert_eq!(file_names(dir.path()), BTreeSet::from(["post.md".into()]));

    // A file that grew by one byte changed as well.
    std::fs::write(&path, format!("{read} ")).unwrap();
    assert!(matches!(
        write_atomically(&path, read, ""),
        Err(WriteError::ChangedUnderneath)
    ));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), format!("{read} "));
}

#[test]
fn write_atomically_replaces_the_content_and_keeps_permissions() {
    let dir = tempdir();
    let old = "---\ntitle: 权限\n---\n\n<p>正文。</p>\n<!-- 总声明-->\n";
    let new = "---\ntitle: 权限\n---\n\n<p>正文。</p>\n";
    for mode in [0o640, 0o600, 0o755, 0o444] {
        let path = write(dir.path(), "post.md", old);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        write_atomically(&path, old, new).unwrap_or_else(|e| panic!("mode {mode:o}: {e}"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), new);
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o7777,
            mode,
            "mode {mode:o}"
        );
        assert_eq!(file_names(dir.path()), BTreeSet::from(["post.md".into()]));
        std::fs::remove_file(&path).unwrap();
    }
}
