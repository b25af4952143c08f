//! Hostile and broken input. For each case the run must not panic or die by a signal, must
//! name the bad file in a clear diagnostic, must exit 1 or 2, and must still report every
//! finding of the valid file beside it.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{Run, post_missing_date, run_in, tempdir, write};

/// A bound that a blow-up (exponential expansion, reading a huge file) would exceed by far,
/// with room for a loaded machine running a debug build.
const QUICK: Duration = Duration::from_secs(10);

/// The valid neighbour of every bad file, with one known finding.
const NEIGHBOUR: &str = "neighbour.md";
const NEIGHBOUR_LINE: &str = "neighbour.md:1:1: FM004 required field `date` is missing";

fn add_neighbour(dir: &Path) {
    write(dir, NEIGHBOUR, post_missing_date("The neighbour"));
}

/// Lint `dir` (walked, as `.`), in the concise format.
fn lint_folder(dir: &Path) -> Run {
    run_in(dir, &["--format", "concise", "."])
}

/// The common promises: no crash, exit 1 or 2, the neighbour's finding still there.
fn assert_survived(run: &Run) {
    run.assert_failed_cleanly();
    assert!(
        run.lines().contains(&NEIGHBOUR_LINE),
        "the valid file's finding is missing:\n{}",
        run.stdout
    );
}

/// The concise lines for `path`, asserting there is at least one.
fn findings_for<'r>(run: &'r Run, path: &str) -> Vec<&'r str> {
    let lines = run.lines_for(path);
    assert!(
        !lines.is_empty(),
        "no diagnostic names `{path}`:\n{}",
        run.stdout
    );
    lines
}

#[test]
fn empty_file() {
    let dir = tempdir();
    add_neighbour(dir.path());
    write(dir.path(), "empty.md", "");
    // Only white space is empty too.
    write(dir.path(), "blank.md", " \n\n\t\n");
    let run = lint_folder(dir.path());
    assert_survived(&run);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        findings_for(&run, "empty.md"),
        ["empty.md:1:1: FM001 file is empty"]
    );
    assert_eq!(
        findings_for(&run, "blank.md"),
        ["blank.md:1:1: FM001 file is empty"]
    );
}

#[test]
fn binary_file_with_md_extension() {
    let dir = tempdir();
    add_neighbour(dir.path());
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend(std::iter::repeat_n(0xAB_u8, 4096));
    png.extend(b"\0\0\0\0IEND");
    write(dir.path(), "image.md", &png);
    let run = lint_folder(dir.path());
    assert_survived(&run);
    // Reported once, as binary, and nothing else about it (no encoding noise).
    assert_eq!(
        findings_for(&run, "image.md"),
        ["image.md:1:1: IO002 binary file (NUL byte at offset 8); skipped"]
    );
    let json = run_in(dir.path(), &["--format", "json", "image.md"]).json();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{json}");
    assert_eq!(diagnostics[0]["code"], "IO002");
    assert_eq!(diagnostics[0]["path"], "image.md");
}

#[test]
fn nul_byte_after_the_sniffed_prefix_is_text_with_a_control_character() {
    let dir = tempdir();
    add_neighbour(dir.path());
    let mut text = b"---\ntitle: Long\ndate: 2021-05-22\n---\n".to_vec();
    text.extend(std::iter::repeat_n(b'a', 9000));
    text.extend(b"\0\n");
    write(dir.path(), "late-nul.md", &text);
    let run = lint_folder(dir.path());
    assert_survived(&run);
    let lines = findings_for(&run, "late-nul.md");
    assert!(
        lines
            .iter()
            .all(|l| l.contains("IO002") || l.contains("ENC005")),
        "{lines:?}"
    );
}

#[test]
fn invalid_utf8_bytes() {
    let dir = tempdir();
    add_neighbour(dir.path());
    // `title: a` then three bytes that are not UTF-8 in any order: offset 4 + 8 = 12.
    write(
        dir.path(),
        "latin.md",
        b"---\ntitle: a\xFF\xFE\xFD b\ndate: 2021-05-22\n---\nBody.\n",
    );
    let run = lint_folder(dir.path());
    assert_survived(&run);
    // One ENC001 at the first bad byte; no pile of U+FFFD findings after it.
    assert_eq!(
        findings_for(&run, "latin.md"),
        ["latin.md:2:9: ENC001 file is not valid UTF-8 (first invalid byte at offset 12)"]
    );
}

#[test]
fn gbk_encoded_chinese() {
    let dir = tempdir();
    add_neighbour(dir.path());
    // "---\ntitle: 新浪财经\n---\n" in GBK, by hand: 新 D0C2, 浪 C0CB, 财 B2C6, 经 BEAD.
    let mut gbk = b"---\ntitle: ".to_vec();
    gbk.extend([0xD0, 0xC2, 0xC0, 0xCB, 0xB2, 0xC6, 0xBE, 0xAD]);
    gbk.extend(b"\n---\nBody.\n");
    write(dir.path(), "gbk.md", &gbk);
    // The same title in UTF-8: if the GBK file is decoded right, the titles collide.
    write(dir.path(), "utf8.md", post_missing_date("新浪财经"));
    let run = lint_folder(dir.path());
    assert_survived(&run);
    let lines = findings_for(&run, "gbk.md");
    assert!(
        lines.contains(&"gbk.md:2:8: ENC001 file is not valid UTF-8 (first invalid byte at offset 11); it looks like GBK/GB18030 Chinese text"),
        "{lines:?}"
    );
    // The rest of the file is still checked, decoded as GB18030.
    assert!(
        lines.contains(&"gbk.md:1:1: FM004 required field `date` is missing"),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("gbk.md:2:8: CORPUS001") && l.contains("utf8.md")),
        "the decoded title does not match its UTF-8 twin: {lines:?}"
    );
    assert!(!lines.iter().any(|l| l.contains("ENC004")), "{lines:?}");
}

fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut bytes = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for unit in text.encode_utf16() {
        if little_endian {
            bytes.extend(unit.to_le_bytes());
        } else {
            bytes.extend(unit.to_be_bytes());
        }
    }
    bytes
}

#[test]
fn utf16_with_bom() {
    let dir = tempdir();
    add_neighbour(dir.path());
    // Missing `date`, an unknown key, and a title shared with a UTF-8 post.
    let text = "---\ntitle: 中文标题\nlayput: post\n---\nBody.\n";
    write(dir.path(), "le.md", utf16(text, true));
    write(dir.path(), "be.md", utf16(text, false));
    write(dir.path(), "twin.md", post_missing_date("中文标题"));
    let run = lint_folder(dir.path());
    assert_survived(&run);
    for (file, endian) in [("le.md", "little-endian"), ("be.md", "big-endian")] {
        let lines = findings_for(&run, file);
        assert!(
            lines.contains(
                &format!("{file}:1:1: ENC007 file is encoded as UTF-16 ({endian}), not UTF-8")
                    .as_str()
            ),
            "{lines:?}"
        );
        // Decoded, so the other rules see the fields, at their decoded positions.
        assert!(
            lines.contains(&format!("{file}:1:1: FM004 required field `date` is missing").as_str()),
            "{lines:?}"
        );
        assert!(
            lines.contains(&format!("{file}:3:1: FM009 unknown field `layput`").as_str()),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("{file}:2:8: CORPUS001"))),
            "{lines:?}"
        );
        assert!(!lines.iter().any(|l| l.contains("IO002")), "{lines:?}");
    }
}

#[test]
fn file_over_the_configured_size_cap() {
    let dir = tempdir();
    add_neighbour(dir.path());
    write(dir.path(), "artlint.toml", "max-file-size = 1000000\n");
    let size = 50 * 1000 * 1000;
    let mut big = post_missing_date("Huge").into_bytes();
    big.resize(size, b'x');
    write(dir.path(), "huge.md", &big);
    // Just under and exactly at the cap are linted.
    let mut at_cap = post_missing_date("At the cap").into_bytes();
    at_cap.resize(1_000_000, b'y');
    write(dir.path(), "at-cap.md", &at_cap);

    let start = Instant::now();
    let run = lint_folder(dir.path());
    let elapsed = start.elapsed();
    assert_survived(&run);
    assert_eq!(
        findings_for(&run, "huge.md"),
        ["huge.md:1:1: IO003 file is 50000000 bytes, over the 1000000-byte cap; skipped"]
    );
    assert_eq!(
        findings_for(&run, "at-cap.md"),
        ["at-cap.md:1:1: FM004 required field `date` is missing"]
    );
    // Skipped without being read.
    assert!(elapsed < QUICK, "took {elapsed:?}");
}

#[test]
fn file_over_the_default_size_cap() {
    let dir = tempdir();
    add_neighbour(dir.path());
    let size = 11 * 1024 * 1024;
    let mut big = post_missing_date("Eleven MiB").into_bytes();
    big.resize(size, b'x');
    write(dir.path(), "big.md", &big);
    let run = lint_folder(dir.path());
    assert_survived(&run);
    assert_eq!(
        findings_for(&run, "big.md"),
        [
            format!("big.md:1:1: IO003 file is {size} bytes, over the 10485760-byte cap; skipped")
                .as_str()
        ]
    );
}

#[test]
fn yaml_alias_bomb_is_bounded() {
    let dir = tempdir();
    add_neighbour(dir.path());
    // "Billion laughs": 30 levels of ten aliases each, 10^30 nodes if expanded.
    let mut yaml =
        String::from("title: Bomb\ndate: 2021-05-22\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..30 {
        let p = i - 1;
        let refs = vec![format!("*a{p}"); 10].join(", ");
        yaml.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    write(dir.path(), "bomb.md", format!("---\n{yaml}---\nBody.\n"));
    let start = Instant::now();
    let run = lint_folder(dir.path());
    let elapsed = start.elapsed();
    assert_survived(&run);
    let lines = findings_for(&run, "bomb.md");
    assert!(
        lines
            .iter()
            .any(|l| l.contains(": FM005 invalid YAML front matter")),
        "{lines:?}"
    );
    assert!(elapsed < QUICK, "took {elapsed:?}");
}

#[test]
fn deeply_nested_flow_collections() {
    let dir = tempdir();
    add_neighbour(dir.path());
    let depth = 10_000;
    write(
        dir.path(),
        "flow-seq.md",
        format!(
            "---\ntitle: Flow\ndate: 2021-05-22\nx: {}{}\n---\n",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
    );
    write(
        dir.path(),
        "flow-map.md",
        format!(
            "---\ntitle: Flow map\ndate: 2021-05-22\nx: {}1{}\n---\n",
            "{a: ".repeat(depth),
            "}".repeat(depth)
        ),
    );
    // Unclosed, too.
    write(
        dir.path(),
        "flow-open.md",
        format!(
            "---\ntitle: Open\ndate: 2021-05-22\nx: {}\n---\n",
            "[".repeat(depth)
        ),
    );
    let run = lint_folder(dir.path());
    assert_survived(&run);
    for file in ["flow-seq.md", "flow-map.md", "flow-open.md"] {
        let lines = findings_for(&run, file);
        assert!(
            lines
                .iter()
                .any(|l| l.contains(": FM005 invalid YAML front matter")),
            "{lines:?}"
        );
    }
}

#[test]
fn deeply_nested_block_collections() {
    let dir = tempdir();
    add_neighbour(dir.path());
    // 10,000 nested block sequences in compact form (`- - - … a`): block style, one line.
    write(
        dir.path(),
        "block-seq.md",
        format!(
            "---\ntitle: Block\ndate: 2021-05-22\nx:\n  {}a\n---\n",
            "- ".repeat(10_000)
        ),
    );
    // Block mappings need one more column of indentation per level, so 10,000 levels take
    // 50 MB; 2,000 levels (2 MB) are still far beyond any limit a parser may recurse to.
    let mut mapping = String::from("---\ntitle: Block map\ndate: 2021-05-22\nx:\n");
    for level in 1..=2_000 {
        mapping.push_str(&" ".repeat(level));
        mapping.push_str("k:\n");
    }
    mapping.push_str("---\n");
    write(dir.path(), "block-map.md", mapping);
    let start = Instant::now();
    let run = lint_folder(dir.path());
    let elapsed = start.elapsed();
    assert_survived(&run);
    for file in ["block-seq.md", "block-map.md"] {
        let lines = findings_for(&run, file);
        assert!(
            lines
                .iter()
                .any(|l| l.contains(": FM005 invalid YAML front matter")),
            "{lines:?}"
        );
    }
    assert!(elapsed < QUICK, "took {elapsed:?}");
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    add_neighbour(dir.path());
    let path = write(
        dir.path(),
        "secret.md",
        "---\ntitle: Secret\ndate: 2021-05-22\n---\n",
    );
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root (as in CI containers) reads the file whatever its permission bits say.
    let still_readable = std::fs::File::open(&path).is_ok();
    let run = lint_folder(dir.path());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_survived(&run);
    if still_readable {
        eprintln!(
            "note: running with privileges that ignore permission bits; the IO001 check is skipped"
        );
        assert!(run.lines_for("secret.md").is_empty(), "{}", run.stdout);
        return;
    }
    assert_eq!(
        findings_for(&run, "secret.md"),
        ["secret.md:1:1: IO001 cannot read file: permission denied"]
    );
}

#[cfg(unix)]
#[test]
fn unreadable_folder() {
    // A folder that cannot be read is reported, walked into or named: its posts were not
    // checked, and a run over it must not pass.
    let dir = tempdir();
    add_neighbour(dir.path());
    write(dir.path(), "locked/inside.md", post_missing_date("Inside"));
    // An excluded folder is left alone, readable or not; a nested configuration's exclude
    // counts too.
    write(
        dir.path(),
        "site/artlint.toml",
        "exclude = [\"private/**\"]\n",
    );
    write(
        dir.path(),
        "site/private/draft.md",
        post_missing_date("Draft"),
    );
    // A link to the locked folder: the walker's error on it names no path.
    std::fs::create_dir(dir.path().join("links")).unwrap();
    std::os::unix::fs::symlink("../locked", dir.path().join("links/locked")).unwrap();
    // A hidden link is left alone, as a hidden folder is.
    std::os::unix::fs::symlink("../locked", dir.path().join("links/.hidden")).unwrap();
    // A folder that can be listed but not searched hides its subfolders as well as its posts,
    // reached directly or through a link; one that holds only what is excluded hides nothing.
    write(dir.path(), "listed/c.md", post_missing_date("C"));
    write(dir.path(), "listed/sub/deep.md", post_missing_date("Deep"));
    std::os::unix::fs::symlink("../listed", dir.path().join("links/listed")).unwrap();
    write(
        dir.path(),
        "vendor/node_modules/x/y.md",
        post_missing_date("Vendored"),
    );
    let locked = dir.path().join("locked");
    let private = dir.path().join("site/private");
    let listed = dir.path().join("listed");
    let vendor = dir.path().join("vendor");
    common::set_mode(dir.path(), 0o755);
    common::set_mode(&locked, 0o000);
    common::set_mode(&private, 0o000);
    common::set_mode(&listed, 0o444);
    common::set_mode(&vendor, 0o444);
    let lint = |path: &str| {
        common::artlint_unprivileged().map(|mut cmd| {
            common::run(cmd.current_dir(dir.path()).args([
                "--no-cache",
                "--format",
                "concise",
                path,
            ]))
        })
    };
    let (walked, named, link) = (lint("."), lint("locked"), lint("links/locked"));
    common::set_mode(&locked, 0o755);
    common::set_mode(&private, 0o755);
    common::set_mode(&listed, 0o755);
    common::set_mode(&vendor, 0o755);
    let (Some(walked), Some(named), Some(link)) = (walked, named, link) else {
        eprintln!("note: running as root without setpriv; the unreadable-folder check is skipped");
        return;
    };
    let unreadable = |path: &str| {
        format!(
            "{path}:1:1: IO001 cannot read folder: permission denied; the posts in it were not checked"
        )
    };
    assert_survived(&walked);
    assert_eq!(findings_for(&walked, "locked"), [unreadable("locked")]);
    assert_eq!(
        findings_for(&walked, "links/locked"),
        [unreadable("links/locked")]
    );
    let unsearchable = |path: &str| {
        format!(
            "{path}:1:1: IO001 cannot read folder: permission denied (its entries cannot be opened); the posts in it were not checked"
        )
    };
    assert_eq!(findings_for(&walked, "listed"), [unsearchable("listed")]);
    assert_eq!(
        findings_for(&walked, "links/listed"),
        [unsearchable("links/listed")]
    );
    assert!(walked.lines_for("links/.hidden").is_empty(), "{walked:?}");
    assert!(walked.lines_for("vendor").is_empty(), "{walked:?}");
    assert_eq!(
        findings_for(&walked, "listed/c.md"),
        ["listed/c.md:1:1: IO001 cannot read file: permission denied"]
    );
    assert!(walked.lines_for("site/private").is_empty(), "{walked:?}");
    assert_eq!(
        (named.code, named.lines()),
        (Some(1), vec![unreadable("locked").as_str()]),
        "{named:?}"
    );
    assert_eq!(
        (link.code, link.lines()),
        (Some(1), vec![unreadable("links/locked").as_str()]),
        "{link:?}"
    );
}

#[cfg(unix)]
#[test]
fn symlink_loop_between_two_posts() {
    let dir = tempdir();
    add_neighbour(dir.path());
    std::os::unix::fs::symlink("b.md", dir.path().join("a.md")).unwrap();
    std::os::unix::fs::symlink("a.md", dir.path().join("b.md")).unwrap();
    let run = lint_folder(dir.path());
    assert_survived(&run);
    for file in ["a.md", "b.md"] {
        let lines = run.lines_for(file);
        assert!(lines.len() <= 1, "{lines:?}");
        for line in lines {
            assert!(
                line.starts_with(&format!("{file}:1:1: IO001 cannot read file: "))
                    && line.to_lowercase().contains("symbolic link"),
                "{line}"
            );
        }
    }
    // Named explicitly, the loop is reported as one.
    let run = run_in(dir.path(), &["--format", "concise", "a.md", NEIGHBOUR]);
    assert_survived(&run);
    assert_eq!(
        findings_for(&run, "a.md"),
        ["a.md:1:1: IO001 cannot read file: too many levels of symbolic links (a link loop)"]
    );
}

#[cfg(unix)]
#[test]

fn symlink_loop_found_by_walking_reads_like_an_explicit_one() {
    let dir = tempdir();
    add_neighbour(dir.path());
    std::os::unix::fs::symlink("b.md", dir.path().join("a.md")).unwrap();
    std::os::unix::fs::symlink("a.md", dir.path().join("b.md")).unwrap();
    let walked = lint_folder(dir.path());
    let explicit = run_in(dir.path(), &["--format", "concise", "a.md"]);
    assert_eq!(walked.lines_for("a.md"), explicit.lines_for("a.md"));
}

#[cfg(unix)]
#[test]
fn directory_symlink_loop() {
    let dir = tempdir();
    add_neighbour(dir.path());
    write(dir.path(), "posts/inner/deep.md", post_missing_date("Deep"));
    // posts/inner/up -> posts (an ancestor), and two folders pointing at each other.
    std::os::unix::fs::symlink("..", dir.path().join("posts/inner/up")).unwrap();
    std::fs::create_dir(dir.path().join("x")).unwrap();
    std::os::unix::fs::symlink("../y", dir.path().join("x/to-y")).unwrap();
    std::fs::create_dir(dir.path().join("y")).unwrap();
    std::os::unix::fs::symlink("../x", dir.path().join("y/to-x")).unwrap();
    let start = Instant::now();
    let run = lint_folder(dir.path());
    assert!(start.elapsed() < QUICK);
    assert_survived(&run);
    // The post is reported once, not once per trip around the loop.
    assert_eq!(
        run.lines()
            .iter()
            .filter(|l| l.contains("deep.md:1:1: FM004"))
            .count(),
        1,
        "{}",
        run.stdout
    );
    // Anything else reported is a readable IO001 about a loop.
    for line in run.lines() {
        if line.contains("FM004") {
            continue;
        }
        assert!(
            line.contains(": IO001 cannot read file: ") && line.contains("loop"),
            "{line}"
        );
    }
}

#[test]
fn explicit_file_that_does_not_exist() {
    let dir = tempdir();
    add_neighbour(dir.path());
    let run = run_in(dir.path(), &["--format", "concise", "gone.md", NEIGHBOUR]);
    assert_survived(&run);
    assert_eq!(run.code, Some(1));
    let lines = findings_for(&run, "gone.md");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("gone.md:1:1: IO001 cannot read file: "),
        "{lines:?}"
    );
    // The wording says the file is not there ("no longer exists" for a file deleted after
    // discovery; "no such file" for a path that never existed).
    assert!(
        lines[0].contains("no longer exists") || lines[0].contains("no such file"),
        "{lines:?}"
    );
    // On its own, too: exit 1, not a usage error.
    let alone = run_in(dir.path(), &["--format", "json", "gone.md"]);
    assert_eq!(alone.code, Some(1), "{alone:?}");
    let json = alone.json();
    assert_eq!(json["diagnostics"][0]["code"], "IO001");
    assert_eq!(json["diagnostics"][0]["path"], "gone.md");
    assert_eq!(json["summary"]["errors"], 1);
}

#[cfg(unix)]
#[test]
fn broken_symlink_named_as_a_post() {
    let dir = tempdir();
    add_neighbour(dir.path());
    std::os::unix::fs::symlink("missing-target.md", dir.path().join("dangling.md")).unwrap();
    let run = lint_folder(dir.path());
    assert_survived(&run);
    let lines = findings_for(&run, "dangling.md");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("dangling.md:1:1: IO001 cannot read file: "),
        "{lines:?}"
    );
}

#[cfg(unix)]
#[test]

fn walk_problems_outside_the_linted_files_are_not_reported() {
    let dir = tempdir();
    write(dir.path(), "post.md", common::clean_post("Fine"));
    write(dir.path(), "artlint.toml", "exclude = [\"drafts/**\"]\n");
    std::os::unix::fs::symlink("missing.png", dir.path().join("cover.png")).unwrap();
    std::fs::create_dir_all(dir.path().join("drafts")).unwrap();
    std::os::unix::fs::symlink("gone.md", dir.path().join("drafts/old.md")).unwrap();
    std::fs::create_dir_all(dir.path().join("node_modules/pkg")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("node_modules/pkg/up")).unwrap();
    let run = lint_folder(dir.path());
    assert_eq!(run.stdout, "");
    assert_eq!(run.code, Some(0));
}

#[cfg(unix)]
#[test]

fn fifo_named_explicitly_does_not_hang() {
    let dir = tempdir();
    add_neighbour(dir.path());
    let fifo = dir.path().join("pipe.md");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    let output = common::artlint()
        .current_dir(dir.path())
        .args(["--format", "concise", "pipe.md", NEIGHBOUR])
        .timeout(Duration::from_secs(5))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains(NEIGHBOUR_LINE), "{stdout}");
    assert!(stdout.contains("pipe.md:1:1: IO001"), "{stdout}");
}

/// Scraped HTML can be one multi-megabyte line with thousands of findings: positions, code
/// frames, fingerprints and fixes must stay linear (this once took minutes: each finding
/// counted, copied or hashed the whole line).
#[test]
fn thousands_of_findings_on_one_long_line() {
    let dir = tempfile::tempdir().unwrap();
    let post = format!(
        "---\ntitle: 长行\ndate: 2021-05-22\n---\n<div>{}</div>\n",
        "中文<span></span>".repeat(20_000)
    );
    std::fs::write(dir.path().join("long.md"), &post).unwrap();
    for format in ["concise", "human", "json"] {
        let output = assert_cmd::Command::cargo_bin("artlint")
            .unwrap()
            .current_dir(dir.path())
            .args(["--select", "BP003", "--format", format, "long.md"])
            .timeout(std::time::Duration::from_secs(120))
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{format}: BP003 is a warning"
        );
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(
            stdout.contains("Found 20000 problems") || stdout.matches("BP003").count() >= 20_000,
            "{format}"
        );
    }
    let concise = assert_cmd::Command::cargo_bin("artlint")
        .unwrap()
        .current_dir(dir.path())
        .args(["--select", "BP003", "--format", "concise", "long.md"])
        .output()
        .unwrap();
    let last = String::from_utf8(concise.stdout)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .to_string();
    // The 20,000th span follows `<div>` (5 characters), 19,999 × `中文<span></span>` (15 each)
    // and `中文` (2): 299,992 characters before it, so column 299,993.
    assert_eq!(last, "long.md:5:299993: BP003 empty span");
    let fixed = assert_cmd::Command::cargo_bin("artlint")
        .unwrap()
        .current_dir(dir.path())
        .args(["--select", "BP003", "--fix", "long.md"])
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&fixed.stderr).contains("Fixed 20000 problems"));
    let after = std::fs::read_to_string(dir.path().join("long.md")).unwrap();
    assert_eq!(after, post.replace("<span></span>", ""));
}

/// The concise lines of one file linted alone with `args`, bounded by `limit`.
fn lint_one(dir: &Path, file: &str, args: &[&str], limit: Duration) -> Vec<String> {
    let output = assert_cmd::Command::cargo_bin("artlint")
        .unwrap()
        .current_dir(dir)
        .args(["--format", "concise"])
        .args(args)
        .arg(file)
        .timeout(limit)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{file}: exit {:?}\n{stderr}",
        output.status.code()
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

const HTML_POST_HEAD: &str = "---\ntitle: 标记\ndate: 2021-05-22\n---\n";

/// 100,000 nested elements: tree construction stops at 1,024 levels (its cost grows with the
/// depth), and HTML016 says where; the run stays quick.
#[test]
fn hundred_thousand_nested_elements() {
    let dir = tempdir();
    add_neighbour(dir.path());
    let body = format!(
        "{}深{}\n",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    write(dir.path(), "deep.md", format!("{HTML_POST_HEAD}{body}"));
    let started = Instant::now();
    let run = lint_folder(dir.path());
    assert!(started.elapsed() < QUICK, "took {:?}", started.elapsed());
    assert_survived(&run);
    // The fragment's root is depth 1, so the 1,024th `<div>` is the first past 1,024 levels:
    // 1,023 × 5 characters precede it.
    assert_eq!(
        run.lines_for("deep.md"),
        [
            "deep.md:5:5116: HTML016 `<div>` nests more than 1,024 elements deep; structure checks stop here"
        ]
    );
}

/// A 10 MB post on one line (just under the default size cap), clean but for a broken tail:
/// every finding is found, at its exact column, in time linear in the size.
#[test]
fn ten_megabyte_single_line() {
    let dir = tempdir();
    let unit = "<p>中文 <b>粗</b> &amp; 细</p>";
    let repeats = 9_900_000 / unit.len();
    let head = format!("<div>{}", unit.repeat(repeats));
    let post = format!("{HTML_POST_HEAD}{head}<span>a &nbsp b</i></div>\n");
    assert!(post.len() > 9_900_000 && post.len() < 10 * 1024 * 1024);
    write(dir.path(), "long.md", &post);
    let lines = lint_one(
        dir.path(),
        "long.md",
        &["--select", "HTML"],
        Duration::from_secs(300),
    );
    let col = |extra: usize| head.chars().count() + extra + 1;
    assert_eq!(
        lines,
        [
            format!("long.md:5:{}: HTML002 `<span>` is never closed", col(0)),
            format!("long.md:5:{}: HTML008 `&nbsp` lacks its `;`", col(8)),
            format!(
                "long.md:5:{}: HTML001 `</i>` closes nothing: no `<i>` is open here",
                col(15)
            ),
            format!(
                "long.md:5:{}: HTML003 `</div>` closes `<div>` while `<span>` inside it is still open: the tags overlap",
                col(19)
            ),
        ]
    );
}

/// A megabyte of markup broken four ways on every few bytes, on one line: 132,000 findings,
/// each counted, in time linear in the size (end tags with nothing open once searched every
/// open element, which made this quadratic).
#[test]
fn dense_broken_markup_on_one_line() {
    let dir = tempdir();
    let repeats = 33_000;
    let post = format!(
        "{HTML_POST_HEAD}{}\n",
        "<p>a &nbsp b <b>c</i> d < e</p>".repeat(repeats)
    );
    write(dir.path(), "dense.md", &post);
    let lines = lint_one(
        dir.path(),
        "dense.md",
        &["--select", "HTML"],
        Duration::from_secs(300),
    );
    for code in ["HTML001", "HTML002", "HTML008", "HTML009"] {
        let count = lines.iter().filter(|l| l.contains(code)).count();
        assert_eq!(count, repeats, "{code}");
    }
    assert_eq!(lines.len(), 4 * repeats);
}

/// An unclosed comment at the start of a 100 KB body hides the whole post: one HTML007 that
/// says so, and nothing reported from the hidden markup.
#[test]
fn unclosed_comment_at_the_start_of_a_long_body() {
    let dir = tempdir();
    let body = format!(
        "<!-- 开始\n{}",
        "<p>段落 &amp; <b>粗</i></p>\n".repeat(4000)
    );
    assert!(body.len() > 100_000);
    write(dir.path(), "comment.md", format!("{HTML_POST_HEAD}{body}"));
    let started = Instant::now();
    let lines = lint_one(dir.path(), "comment.md", &["--select", "HTML"], QUICK);
    assert!(started.elapsed() < QUICK);
    assert_eq!(
        lines,
        [
            "comment.md:5:1: HTML007 this comment is never closed: everything after it (4001 lines) is hidden"
        ]
    );
}

/// NUL bytes inside tags, text and comments (past the binary sniff): ENC005 on each, and the
/// tags are still matched (the tokenizer reads a NUL in a tag name as U+FFFD).
#[test]
fn nul_bytes_inside_markup() {
    let dir = tempdir();
    let padding = "<p>段落</p>\n".repeat(1000);
    let post = format!("{HTML_POST_HEAD}{padding}<p>a\0b <b\0>c</b\0></p>\n<!--\0-->\n");
    write(dir.path(), "nul.md", &post);
    let lines = lint_one(dir.path(), "nul.md", &[], QUICK);
    assert_eq!(
        lines,
        [
            "nul.md:1005:5: ENC005 control character U+0000 in the text",
            "nul.md:1005:10: ENC005 control character U+0000 in the text",
            "nul.md:1005:16: ENC005 control character U+0000 in the text",
            "nul.md:1006:1: BP001 HTML comment left in the article body",
            "nul.md:1006:5: ENC005 control character U+0000 in the text",
        ]
    );
}
