//! The HTML family through the binary: exact positions on Chinese text and with CRLF line
//! endings, what Markdown makes of HTML-looking text (code, autolinks, link URLs, reference
//! definitions), and `html-mode`.

mod common;

use common::{run_in, tempdir, write};

const HEAD: &str = "---\ntitle: 标记\ndate: 2021-05-22\n---\n";

/// The concise lines of `--select HTML` on one file.
fn html_findings(dir: &std::path::Path, file: &str, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["--no-cache", "--format", "concise", "--select", "HTML"];
    args.extend_from_slice(extra);
    args.push(file);
    let run = run_in(dir, &args);
    assert!(matches!(run.code, Some(0 | 1)), "{run:?}");
    run.stdout.lines().map(str::to_string).collect()
}

#[test]
fn columns_count_characters_on_chinese_lines() {
    let dir = tempdir();
    // `</span>` follows `<p>` and 7 Chinese characters (24 bytes): column 11, not 25.
    write(
        dir.path(),
        "zh.md",
        format!("{HEAD}<p>商务部新闻发言</span>表示&nbsp双边</p>\n"),
    );
    assert_eq!(
        html_findings(dir.path(), "zh.md", &[]),
        [
            "zh.md:5:11: HTML001 `</span>` closes nothing: no `<span>` is open here",
            "zh.md:5:20: HTML008 `&nbsp` lacks its `;`",
        ]
    );
}

#[test]
fn crlf_line_endings_do_not_shift_positions() {
    let dir = tempdir();
    let text = format!("{HEAD}<div>\r\n<p>一</p>\r\n</span>\r\n</div>\r\n").replace('\n', "\r\n");
    // The replace above doubled the CR of the body's own CRLFs: undo that.
    let text = text.replace("\r\r\n", "\r\n");
    write(dir.path(), "crlf.md", text);
    assert_eq!(
        html_findings(dir.path(), "crlf.md", &[]),
        ["crlf.md:7:1: HTML001 `</span>` closes nothing: no `<span>` is open here"]
    );
}

#[test]
fn markdown_code_autolinks_and_link_urls_are_not_markup() {
    let dir = tempdir();
    write(
        dir.path(),
        "md.md",
        format!(
            "{HEAD}Write `<div>` and `a < b` in code spans.\n\n\
             ```html\n<b>never closed\n```\n\n\
             See <https://example.com/?a=1&copy=2> and [the docs](https://example.com/?x=1&lang=zh).\n\n\
             [ref]: <https://example.com/a?b=1&amp=2>\n\n\
             But this one is real: </em>\n"
        ),
    );
    assert_eq!(
        html_findings(dir.path(), "md.md", &[]),
        ["md.md:15:23: HTML001 `</em>` closes nothing: no `<em>` is open here"]
    );
}

#[test]
fn html_mode_decides_whether_a_doctype_is_expected() {
    let dir = tempdir();
    let page = "<html><head><title>页</title></head><body><p>正文</p></body></html>\n";
    write(dir.path(), "page.html", page);
    write(dir.path(), "fragment.html", "<p>正文</p>\n");
    // auto: a file that opens with <html> is a document; a fragment is not.
    let auto = html_findings(dir.path(), ".", &[]);
    assert_eq!(
        auto.iter()
            .filter(|l| l.contains("HTML013"))
            .map(|l| l.split(':').next().unwrap_or(""))
            .collect::<Vec<_>>(),
        ["page.html"],
        "{auto:#?}"
    );
    // fragment: no DOCTYPE expected anywhere.
    write(dir.path(), "artlint.toml", "html-mode = \"fragment\"\n");
    let fragment = html_findings(dir.path(), ".", &[]);
    assert!(
        !fragment.iter().any(|l| l.contains("HTML013")),
        "{fragment:#?}"
    );
    // document: every file is a whole page.
    write(dir.path(), "artlint.toml", "html-mode = \"document\"\n");
    let document = html_findings(dir.path(), ".", &[]);
    assert_eq!(
        document.iter().filter(|l| l.contains("HTML013")).count(),
        2,
        "{document:#?}"
    );
    // Anything else is a configuration error that names the choices.
    write(dir.path(), "artlint.toml", "html-mode = \"page\"\n");
    let run = run_in(dir.path(), &["--no-cache", "."]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("fragment"), "{}", run.stderr);
}

#[test]
fn deleting_a_repeated_attribute_leaves_one_space_and_every_other_byte() {
    let dir = tempdir();
    // Repeats of the first value (another value gets no fix: it may be the one meant).
    let body = "<img src=\"a.png\" src=\"a.png\" alt=\"x\">\n\
                <img src=a.png src=a.png\tsrc=a.png alt=x>\n\
                <p class=\"a\" id=\"k\" class=\"a\">段落</p>\n\
                <img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" src=\"https://cdn.example.com/photo.jpg\">\n";
    write(dir.path(), "a.html", format!("{HEAD}{body}"));
    let run = run_in(
        dir.path(),
        &["--no-cache", "--fix", "--select", "HTML005", "a.html"],
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    let fixed = std::fs::read_to_string(dir.path().join("a.html")).expect("the fixed post");
    assert_eq!(
        fixed,
        format!(
            "{HEAD}<img src=\"a.png\" alt=\"x\">\n\
             <img src=a.png alt=x>\n\
             <p class=\"a\" id=\"k\">段落</p>\n\
             <img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" src=\"https://cdn.example.com/photo.jpg\">\n"
        )
    );
}

#[test]
fn a_comment_ended_by_bang_is_a_wrong_end_not_an_open_comment() {
    // Browsers end a comment at `--!>` (a parse error): the text after it shows, and the
    // message said the comment was not closed.
    let dir = tempdir();
    write(
        dir.path(),
        "c.md",
        format!("{HEAD}<p>a<!-- note --!>b</p>\n"),
    );
    assert_eq!(
        html_findings(dir.path(), "c.md", &[]),
        [
            "c.md:5:15: HTML007 `--!>` is not a correct comment end (browsers end the comment there, as a parse error)"
        ]
    );
}

#[test]
fn a_document_behind_a_byte_order_mark_or_a_comment_is_read_as_a_document() {
    // Read as a fragment, its `</head>`, `</body>` and `</html>` were misnested (HTML003),
    // and a missing doctype went unreported.
    let dir = tempdir();
    let page =
        "<!DOCTYPE html>\n<html>\n<head><title>x</title></head>\n<body><p>a</p></body>\n</html>\n";
    write(dir.path(), "bom.html", format!("\u{feff}{page}"));
    write(
        dir.path(),
        "saved.html",
        format!("<!-- saved from url=(0014)about:internet -->\n{page}"),
    );
    assert_eq!(
        html_findings(dir.path(), "bom.html", &[]),
        Vec::<String>::new()
    );
    assert_eq!(
        html_findings(dir.path(), "saved.html", &[]),
        Vec::<String>::new()
    );
    write(
        dir.path(),
        "no-doctype.html",
        "\u{feff}<html>\n<head><title>x</title></head>\n<body><p>a</p></body>\n</html>\n",
    );
    let found = html_findings(dir.path(), "no-doctype.html", &[]);
    assert!(
        found.len() == 1 && found[0].contains("HTML013"),
        "{found:?}"
    );
}
