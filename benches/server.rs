//! The language server's latency, measured as an editor sees it: the release binary driven over
//! standard input and output, a generated 100 KB post, and the time from sending a didChange
//! to reading the publishDiagnostics for that version. Then a burst of edits sent without
//! waiting, to show that they are coalesced and that the last publish is still right.
//!
//! `cargo bench --bench server` (target: under 50 ms per edit, DESIGN.md §6).

#[path = "../tests/lsp_client/mod.rs"]
mod lsp_client;

use std::time::{Duration, Instant};

use lsp_client::Client;
use serde_json::{Value, json};

const POST_BYTES: usize = 100 * 1024;
const MEASURED_EDITS: usize = 200;
const WARM_UP_EDITS: usize = 10;
const BURST_EDITS: usize = 100;
const TARGET: Duration = Duration::from_millis(50);

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("posts")).expect("posts dir");
    let markdown = post(POST_BYTES);
    let one_line = scraped_page(POST_BYTES);
    std::fs::write(dir.path().join("posts/big.md"), &markdown).expect("write post");
    std::fs::write(dir.path().join("posts/scraped.html"), &one_line).expect("write page");
    let mut client = Client::start(dir.path());
    measure(&mut client, "posts/big.md", markdown, "Markdown post");
    measure(
        &mut client,
        "posts/scraped.html",
        one_line,
        "scraped HTML page on one line",
    );
}

/// Edits one at a time, then a burst, on one document.
fn measure(client: &mut Client, path: &str, mut text: String, what: &str) {
    let uri = client.open(path, &text);
    let findings = client.diagnostics(&uri).len();
    let mut version = 1;

    let mut latencies = Vec::with_capacity(MEASURED_EDITS);
    for edit in 0..WARM_UP_EDITS + MEASURED_EDITS {
        version += 1;
        let sent = Instant::now();
        send_edit(client, &uri, &mut text, edit, version);
        let (read, _) = client.wait_for_timed(|m| is_publish(m, &uri, version));
        if edit >= WARM_UP_EDITS {
            latencies.push(read - sent);
        }
    }
    latencies.sort();
    let median = latencies[latencies.len() / 2];
    let p95 = latencies[latencies.len() * 95 / 100];
    let max = latencies[latencies.len() - 1];
    println!(
        "artlint server, {what} of {} bytes with {findings} findings, didChange → publishDiagnostics over stdio:",
        text.len()
    );
    println!(
        "  {MEASURED_EDITS} edits, one at a time: median {:.1} ms, p95 {:.1} ms, max {:.1} ms (target < {} ms: {})",
        ms(median),
        ms(p95),
        ms(max),
        TARGET.as_millis(),
        if p95 < TARGET { "met" } else { "MISSED" }
    );

    // A burst: every edit sent at once; the server lints only the latest text it has.
    client.drain();
    let first = version + 1;
    let sent = Instant::now();
    for edit in 0..BURST_EDITS {
        version += 1;
        send_edit(client, &uri, &mut text, MEASURED_EDITS + edit, version);
    }
    let (read, last) = client.wait_for_timed(|m| is_publish(m, &uri, version));
    let earlier = client
        .drain()
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .count();
    // The last publish must equal a fresh lint of the final text, opened under another name.
    let check_path = path.replace("posts/", "posts/check-");
    let check = client.open(&check_path, &text);
    let fresh = client.diagnostics(&check);
    let last = last["params"]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let correct = last == fresh;
    println!(
        "  {BURST_EDITS} edits sent at once (versions {first}–{version}): {} publishes, the last {:.1} ms after the first edit was sent; it {} a fresh lint of the final text ({} findings)",
        earlier + 1,
        ms(read - sent),
        if correct { "equals" } else { "DIFFERS FROM" },
        fresh.len()
    );
    assert!(correct, "the last publish after a burst is wrong");
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn is_publish(m: &Value, uri: &str, version: i64) -> bool {
    m["method"] == "textDocument/publishDiagnostics"
        && m["params"]["uri"] == uri
        && m["params"]["version"] == version
}

/// Type one character at the start of a line spread over the post (incremental sync), and
/// keep `text` in step. A one-line text is typed into at its start.
fn send_edit(client: &mut Client, uri: &str, text: &mut String, edit: usize, version: i64) {
    let lines = text.lines().count();
    let line = if lines > 5 {
        5 + (edit * 37) % (lines - 5)
    } else {
        0
    };
    let offset: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    text.insert(offset, 'x');
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{
                "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
                "text": "x",
            }],
        }),
    );
}

/// A scraped page as some mirrors store it: the whole document on one line, with Chinese text,
/// emoji, images over http:// and tracking leftovers.
fn scraped_page(bytes: usize) -> String {
    let mut text = String::from("<!DOCTYPE html><html><head><title>新闻 News</title></head><body>");
    let mut i = 0;
    while text.len() < bytes {
        i += 1;
        text.push_str(&format!(
            "<p>第{i}段：商务部谈中俄经贸合作 😀 English text {i}.</p><img src=\"http://img.example.com/{i}.jpg\"><span></span><!-- ad {i} -->"
        ));
    }
    text.push_str("</body></html>");
    text
}

/// A long post as scraped news looks: Chinese and English paragraphs, headings, links,
/// emoji, raw HTML images (some over http://), editor comments.
fn post(bytes: usize) -> String {
    let mut text = String::from(
        "---\ntitle: 一篇很长的文章 A long post\ndate: 2021-05-22 12:02:19\ntags: [news, 长文]\ncover: http://img.example.com/cover.jpg\n---\n\n",
    );
    let mut i = 0;
    while text.len() < bytes {
        i += 1;
        text.push_str(&format!("## 第{i}节 Section {i}\n\n"));
        text.push_str(&format!(
            "这是第{i}段正文，包含中文与 English words, some *emphasis* and a [link](https://example.com/{i}). 商务部谈中俄经贸合作，记者从发布会获悉。\n\n"
        ));
        if i % 7 == 0 {
            text.push_str(&format!("😀 emoji before text {i} 🎉\n\n"));
        }
        if i % 10 == 0 {
            text.push_str(&format!(
                "<p><img src=\"http://img.example.com/{i}.jpg\" alt=\"图{i}\"></p>\n\n"
            ));
        }
        if i % 15 == 0 {
            text.push_str(&format!("<!-- editor note {i} -->\n\n"));
        }
    }
    text
}
