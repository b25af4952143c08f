//! `artlint server` end to end: the real binary, spoken to in JSON-RPC over its standard input
//! and output, as an editor does. Every wait has a timeout: a silent server fails the test
//! instead of hanging it.

mod common;
mod lsp_client;

use std::path::{Path, PathBuf};

use lsp_client::{Client, file_uri, initialize_params, wait_for_corpus_pass};
use serde_json::{Value, json};

/// A post with two findings: FM010 (padded title, safe fix) and IMG001 (`<img src="">`, no
/// fix) after two emoji, whose UTF-16 width (2 each) differs from their scalar count.
const BAD_POST: &str =
    "---\ntitle: \" Hello \"\ndate: 2021-05-22\n---\n\n😀😀 text <img src=\"\">\n\nok\n";

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("posts")).expect("posts dir");
    dir
}

/// (code, start line, start character, end line, end character) of each diagnostic.
fn places(diagnostics: &[Value]) -> Vec<(String, u64, u64, u64, u64)> {
    diagnostics
        .iter()
        .map(|d| {
            let r = &d["range"];
            (
                d["code"].as_str().unwrap_or("").to_string(),
                r["start"]["line"].as_u64().unwrap_or(u64::MAX),
                r["start"]["character"].as_u64().unwrap_or(u64::MAX),
                r["end"]["line"].as_u64().unwrap_or(u64::MAX),
                r["end"]["character"].as_u64().unwrap_or(u64::MAX),
            )
        })
        .collect()
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    places(diagnostics).into_iter().map(|p| p.0).collect()
}

/// Apply a code action's edits (for `uri`) to `text`, as an editor does: LSP positions in
/// UTF-16 code units, edits applied from the last to the first.
fn apply_action(text: &str, action: &Value, uri: &str) -> String {
    let edits = action["edit"]["changes"][uri]
        .as_array()
        .unwrap_or_else(|| panic!("no edits for {uri}: {action}"));
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let start = offset_of(text, &e["range"]["start"]);
            let end = offset_of(text, &e["range"]["end"]);
            (start, end, e["newText"].as_str().unwrap_or("").to_string())
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (start, end, new) in spans {
        out.replace_range(start..end, &new);
    }
    out
}

/// Byte offset of an LSP position (UTF-16 columns), computed independently of the server.
fn offset_of(text: &str, position: &Value) -> usize {
    let line = position["line"].as_u64().unwrap_or(0) as usize;
    let character = position["character"].as_u64().unwrap_or(0) as usize;
    let line_start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[line_start..].char_indices() {
        if units >= character || c == '\n' {
            return line_start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

fn action_titled<'a>(actions: &'a [Value], title: &str) -> &'a Value {
    actions
        .iter()
        .find(|a| a["title"] == title)
        .unwrap_or_else(|| panic!("no action `{title}` in {actions:#?}"))
}

#[test]
fn initialize_announces_the_capabilities_and_shutdown_exits_zero() {
    let dir = workspace();
    let mut client = Client::spawn(dir.path());
    let result = client.request("initialize", initialize_params(dir.path()));
    let caps = &result["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(
        caps["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix"])
    );
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(result["serverInfo"]["name"], "artlint");
    client.notify("initialized", json!({}));
    // The client said it can watch files: the server asks to hear about artlint.toml.
    let registration = client.wait_for(|m| m["method"] == "client/registerCapability");
    assert_eq!(
        registration["params"]["registrations"][0]["registerOptions"]["watchers"][0]["globPattern"],
        "**/artlint.toml"
    );
    assert_eq!(
        registration["params"]["registrations"][0]["registerOptions"]["watchers"][1]["globPattern"],
        "**/*.{md,markdown,html,htm}"
    );
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn exit_without_shutdown_exits_one() {
    let dir = workspace();
    let mut client = Client::start(dir.path());
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_code(), Some(1));
}

#[test]
fn a_bad_post_is_fixed_and_suppressed_until_clean() {
    let dir = workspace();
    let mut client = Client::start(dir.path());
    let uri = client.open("posts/a.md", BAD_POST);
    let diagnostics = client.diagnostics(&uri);
    // FM010 spans `" Hello "` on line 2; IMG001 points between the empty `src`'s quotes, after
    // "😀😀 text <img src=\"": 18 scalar values, 20 UTF-16 code units.
    assert_eq!(
        places(&diagnostics),
        [
            ("FM010".to_string(), 1, 7, 1, 16),
            ("IMG001".to_string(), 5, 20, 5, 20),
        ]
    );
    assert_eq!(diagnostics[0]["severity"], 2, "{:?}", diagnostics[0]);
    assert_eq!(diagnostics[0]["source"], "artlint");

    // The fix of FM010.
    let range = diagnostics[0]["range"].clone();
    let actions = client.code_actions(&uri, &range);
    let fix = action_titled(&actions, "Fix: Trim the value");
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    assert_eq!(fix["diagnostics"][0]["code"], "FM010");
    action_titled(&actions, "Disable FM010 for this file");
    // A finding in the front matter gets no line comment: it would break the YAML.
    assert!(
        actions
            .iter()
            .all(|a| a["title"] != "Disable FM010 for this line"),
        "{actions:#?}"
    );
    let text = apply_action(BAD_POST, fix, &uri);
    assert!(text.starts_with("---\ntitle: \"Hello\"\n"), "{text}");
    client.change_full(&uri, 2, &text);
    let diagnostics = client.diagnostics(&uri);
    assert_eq!(codes(&diagnostics), ["IMG001"]);

    // IMG001 has no fix: suppress it for its line.
    let range = diagnostics[0]["range"].clone();
    let actions = client.code_actions(&uri, &range);
    assert!(
        actions
            .iter()
            .all(|a| !a["title"].as_str().unwrap_or("").starts_with("Fix"))
    );
    let disable = action_titled(&actions, "Disable IMG001 for this line");
    let text = apply_action(&text, disable, &uri);
    assert!(
        text.contains("\n<!-- artlint-disable-next-line IMG001 -->\n😀😀 text <img"),
        "{text}"
    );
    client.change_full(&uri, 3, &text);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn disable_for_the_file_goes_below_the_front_matter() {
    let dir = workspace();
    let mut client = Client::start(dir.path());
    let uri = client.open("posts/a.md", BAD_POST);
    let diagnostics = client.diagnostics(&uri);
    let actions = client.code_actions(&uri, &diagnostics[1]["range"]);
    let disable = action_titled(&actions, "Disable IMG001 for this file");
    let text = apply_action(BAD_POST, disable, &uri);
    assert!(
        text.starts_with("---\ntitle: \" Hello \"\ndate: 2021-05-22\n---\n<!-- artlint-disable-file IMG001 -->\n\n"),
        "{text}"
    );
    client.change_full(&uri, 2, &text);
    assert_eq!(codes(&client.diagnostics(&uri)), ["FM010"]);
}

#[test]
fn a_line_suppression_is_never_put_inside_a_tag_a_comment_or_code() {
    // The comment's `-->` would end the tag (the image lost its `src`) or the comment (a
    // hidden tracking pixel shown), and inside code it would be shown as text.
    let dir = workspace();
    let mut client = Client::start(dir.path());
    let head = "---\ntitle: A\ndate: 2021-05-22\n---\n\n";
    let cases = [
        (
            "posts/tag.md",
            "<img class=\"cover\"\n     src=\"http://a.example.com/x.png\" alt=\"x\">\n",
            "IMG003",
        ),
        (
            "posts/comment.md",
            "<!--\n  <img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" alt=\"\">\n-->\n",
            "IMG007",
        ),
        (
            "posts/pre.md",
            "<pre>\nline\n<img src=\"http://a.example.com/x.png\" alt=\"x\">\n</pre>\n",
            "IMG003",
        ),
    ];
    for (path, body, code) in cases {
        let text = format!("{head}{body}");
        let uri = client.open(path, &text);
        let diagnostics = client.diagnostics(&uri);
        let finding = diagnostics
            .iter()
            .find(|d| d["code"] == code)
            .unwrap_or_else(|| panic!("{path}: no {code} in {diagnostics:#?}"));
        let actions = client.code_actions(&uri, &finding["range"]);
        let titles: Vec<&str> = actions.iter().filter_map(|a| a["title"].as_str()).collect();
        assert!(
            !titles.contains(&format!("Disable {code} for this line").as_str()),
            "{path}: {titles:?}"
        );
        assert!(
            titles.contains(&format!("Disable {code} for this file").as_str()),
            "{path}: {titles:?}"
        );
    }
    // A finding about the whole file, at its first byte, stays above any comment put there.
    let text = "# A post without front matter\n\nBody.\n";
    let uri = client.open("posts/bare.md", text);
    let diagnostics = client.diagnostics(&uri);
    let missing = diagnostics
        .iter()
        .find(|d| d["code"] == "FM001")
        .unwrap_or_else(|| panic!("no FM001 in {diagnostics:#?}"));
    let actions = client.code_actions(&uri, &missing["range"]);
    assert!(
        actions
            .iter()
            .all(|a| a["title"] != "Disable FM001 for this line"),
        "{actions:#?}"
    );
    // On a line of its own, the image still gets the line action, and it works.
    let text = format!("{head}<img src=\"http://a.example.com/x.png\" alt=\"x\">\n");
    let uri = client.open("posts/own-line.md", &text);
    let diagnostics = client.diagnostics(&uri);
    let insecure = diagnostics
        .iter()
        .find(|d| d["code"] == "IMG003")
        .unwrap_or_else(|| panic!("no IMG003 in {diagnostics:#?}"));
    let actions = client.code_actions(&uri, &insecure["range"]);
    let fixed = apply_action(
        &text,
        action_titled(&actions, "Disable IMG003 for this line"),
        &uri,
    );
    client.change_full(&uri, 2, &fixed);
    assert!(!codes(&client.diagnostics(&uri)).contains(&"IMG003".to_string()));
}

#[test]
fn an_inserted_doctype_takes_the_document_s_line_ending() {
    // The quick fix wrote `\n` into a CRLF page, which ENC003 then reported as mixed.
    let dir = workspace();
    let mut client = Client::start(dir.path());
    let page =
        "<html>\r\n<head><title>页面</title></head>\r\n<body><p>正文。</p></body>\r\n</html>\r\n";
    let uri = client.open("posts/page.html", page);
    let diagnostics = client.diagnostics(&uri);
    let missing = diagnostics
        .iter()
        .find(|d| d["code"] == "HTML013")
        .unwrap_or_else(|| panic!("no HTML013 in {diagnostics:#?}"));
    let actions = client.code_actions(&uri, &missing["range"]);
    let fixed = apply_action(
        page,
        action_titled(&actions, "Fix (unsafe): Insert `<!DOCTYPE html>`"),
        &uri,
    );
    assert_eq!(fixed, format!("<!DOCTYPE html>\r\n{page}"));
}

#[test]
fn suppressions_in_a_one_line_html_document_keep_its_doctype_first() {
    let dir = workspace();
    let mut client = Client::start(dir.path());
    let page = "<!DOCTYPE html><html><head><title>新闻</title></head><body><p>😀</p><img src=\"\"></body></html>\n";
    let uri = client.open("posts/page.html", page);
    let diagnostics = client.diagnostics(&uri);
    let image = diagnostics
        .iter()
        .find(|d| d["code"] == "IMG001")
        .unwrap_or_else(|| panic!("no IMG001 in {diagnostics:#?}"));
    let others: Vec<String> = codes(&diagnostics)
        .into_iter()
        .filter(|c| c != "IMG001")
        .collect();
    let actions = client.code_actions(&uri, &image["range"]);
    // Everything is on the doctype's line: a comment above it would unmake the document.
    assert!(
        actions
            .iter()
            .all(|a| a["title"] != "Disable IMG001 for this line"),
        "{actions:#?}"
    );
    let text = apply_action(
        page,
        action_titled(&actions, "Disable IMG001 for this file"),
        &uri,
    );
    assert!(
        text.starts_with("<!DOCTYPE html><!-- artlint-disable-file IMG001 --><html>"),
        "{text}"
    );
    client.change_full(&uri, 2, &text);
    assert_eq!(codes(&client.diagnostics(&uri)), others);
}

#[test]
fn incremental_edits_move_and_clear_findings() {
    let dir = workspace();
    let mut client = Client::start(dir.path());
    let clean = "---\ntitle: Hello\ndate: 2021-05-22\n---\n\n😀 one\n";
    let uri = client.open("posts/a.md", clean);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    // Insert an empty image after the emoji: line 5, UTF-16 character 2 (the emoji is two).
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [
                {"range": {"start": {"line": 5, "character": 2}, "end": {"line": 5, "character": 2}},
                 "text": " <img src=\"\">"},
            ],
        }),
    );
    let diagnostics = client.diagnostics(&uri);
    // Between the empty `src`'s quotes: the emoji is two units, then ` <img src="`.
    assert_eq!(places(&diagnostics), [("IMG001".to_string(), 5, 13, 5, 13)]);
    // Two changes in one notification, applied in order: replace "one", then delete the image.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": 3},
            "contentChanges": [
                {"range": {"start": {"line": 5, "character": 16}, "end": {"line": 5, "character": 19}},
                 "text": "two"},
                {"range": {"start": {"line": 5, "character": 2}, "end": {"line": 5, "character": 15}},
                 "text": ""},
            ],
        }),
    );
    let message = client.wait_for(|m| m["method"] == "textDocument/publishDiagnostics");
    assert_eq!(message["params"]["version"], 3);
    assert_eq!(message["params"]["diagnostics"], json!([]));
    // The server's text is what the edits say: a full-text hover-free check by re-opening is
    // not needed; an edit that re-adds the image at the computed place proves the text.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": 4},
            "contentChanges": [
                {"range": {"start": {"line": 5, "character": 6}, "end": {"line": 5, "character": 6}},
                 "text": "<img src=\"\">"},
            ],
        }),
    );
    // "😀 two" is 6 UTF-16 units: the image lands at its end, its empty `src` 10 units on.
    assert_eq!(
        places(&client.diagnostics(&uri)),
        [("IMG001".to_string(), 5, 16, 5, 16)]
    );
}

/// The LSP position (UTF-16 columns) of a byte offset, computed independently of the server.
fn position_of(text: &str, offset: usize) -> Value {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..offset].matches('\n').count();
    let character: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

#[test]
fn random_incremental_edits_keep_the_server_text_in_step() {
    let dir = workspace();
    let mut client = Client::start(dir.path());
    let mut text = BAD_POST.to_string();
    let uri = client.open("posts/a.md", &text);
    client.diagnostics(&uri);
    let snippets = ["😀", "中文", "\n", "x", "", "<img src=\"\">", "🎉🎉\n", " "];
    // A fixed linear congruential generator: the same edits on every run.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |bound: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) as usize % bound.max(1)
    };
    for version in 2..=80 {
        let mut changes = Vec::new();
        for _ in 0..1 + next(3) {
            let boundaries: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect();
            let start = boundaries[next(boundaries.len())];
            let end = boundaries
                .iter()
                .copied()
                .filter(|b| *b >= start)
                .nth(next(4))
                .unwrap_or(start);
            let insert = snippets[next(snippets.len())];
            changes.push(json!({
                "range": {"start": position_of(&text, start), "end": position_of(&text, end)},
                "text": insert,
            }));
            text.replace_range(start..end, insert);
        }
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }
    let last = client.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 80
    });
    let check = client.open("posts/b.md", &text);
    let fresh = client.diagnostics(&check);
    assert_eq!(last["params"]["diagnostics"], json!(fresh), "text:\n{text}");
    assert!(
        !fresh.is_empty(),
        "the edits should leave some finding to compare"
    );
}

#[test]
fn hover_on_a_finding_shows_the_rule_docs() {
    let dir = workspace();
    let mut client = Client::start(dir.path());
    let uri = client.open("posts/a.md", BAD_POST);
    client.diagnostics(&uri);
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 9}}),
    );
    let text = hover["contents"]["value"].as_str().unwrap_or("");
    assert_eq!(hover["contents"]["kind"], "markdown");
    assert!(text.contains("**FM010** (padded-value)"), "{text}");
    assert!(text.contains("## What it checks"), "{text}");
    assert_eq!(hover["range"]["start"], json!({"line": 1, "character": 7}));
    // Nowhere near a finding: no hover.
    let none = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 7, "character": 0}}),
    );
    assert_eq!(none, Value::Null);
}

#[test]
fn bad_messages_are_answered_and_the_server_stays_up() {
    let dir = workspace();
    let mut client = Client::spawn(dir.path());
    // Before initialize: requests are refused with ServerNotInitialized.
    let early = client.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///x.md"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(early["error"]["code"], -32002, "{early}");
    client.request("initialize", initialize_params(dir.path()));
    client.notify("initialized", json!({}));

    client.write_raw("{this is not json");
    let parse_error = client.wait_for(|m| m.get("error").is_some() && m["id"].is_null());
    assert_eq!(parse_error["error"]["code"], -32700, "{parse_error}");

    let unknown = client.request_raw("artlint/noSuchMethod", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");

    let bad_params = client.request_raw("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(bad_params["error"]["code"], -32602, "{bad_params}");

    let uri = client.open("posts/a.md", BAD_POST);
    assert_eq!(client.diagnostics(&uri).len(), 2);
    let close = json!({"textDocument": {"uri": uri}});
    client.notify("textDocument/didClose", close.clone());
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    client.notify("textDocument/didClose", close);
    client.notify("artlint/unknownNotification", json!({}));
    client.change_full(&uri, 9, "closed documents ignore changes");

    // Still answering, and still linting.
    let uri = client.open("posts/b.md", BAD_POST);
    assert_eq!(client.diagnostics(&uri).len(), 2);
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn a_changed_artlint_toml_is_reloaded() {
    let dir = workspace();
    let mut client = Client::start(dir.path());
    let uri = client.open("posts/a.md", BAD_POST);
    assert_eq!(codes(&client.diagnostics(&uri)), ["FM010", "IMG001"]);
    let config = dir.path().join("artlint.toml");
    std::fs::write(&config, "ignore = [\"FM010\"]\n").expect("write config");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&config), "type": 1}]}),
    );
    assert_eq!(codes(&client.diagnostics(&uri)), ["IMG001"]);
    // A broken configuration is said once, and the file gets no diagnostics until it is fixed.
    std::fs::write(&config, "ignore = [\n").expect("write config");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&config), "type": 2}]}),
    );
    let shown = client.wait_for(|m| m["method"] == "window/showMessage");
    assert_eq!(shown["params"]["type"], 1, "{shown}");
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    std::fs::remove_file(&config).expect("remove config");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&config), "type": 3}]}),
    );
    assert_eq!(codes(&client.diagnostics(&uri)), ["FM010", "IMG001"]);
}

#[test]
fn corpus_rules_come_from_the_workspace_scan_and_follow_saves() {
    let dir = workspace();
    let post = |title: &str| {
        format!("---\ntitle: {title}\ndate: 2021-05-22\n---\n\nA body that differs: {title}\n")
    };
    std::fs::write(dir.path().join("posts/a.md"), post("Same title")).expect("write");
    std::fs::write(dir.path().join("posts/b.md"), post("Same title")).expect("write");
    let mut client = Client::spawn(dir.path());
    client.request("initialize", initialize_params(dir.path()));
    client.notify("initialized", json!({}));
    let uri = client.open("posts/a.md", &post("Same title"));
    wait_for_corpus_pass(&mut client);
    // The publish after the scan carries the cross-file finding.
    let diagnostics = loop {
        let diagnostics = client.diagnostics(&uri);
        if !diagnostics.is_empty() {
            break diagnostics;
        }
    };
    assert_eq!(
        places(&diagnostics),
        [("CORPUS001".to_string(), 1, 7, 1, 17)]
    );
    let message = diagnostics[0]["message"].as_str().unwrap_or("");
    assert!(message.contains("posts/b.md"), "{message}");

    // A new title, saved: the corpus pass runs again with this file's new facts.
    let renamed = post("Another title");
    client.change_full(&uri, 2, &renamed);
    std::fs::write(dir.path().join("posts/a.md"), &renamed).expect("write");
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    wait_for_corpus_pass(&mut client);
    loop {
        let diagnostics = client.diagnostics(&uri);
        if diagnostics.is_empty() {
            break;
        }
        assert_eq!(
            codes(&diagnostics),
            ["CORPUS001"],
            "stale until the pass ends"
        );
    }
}

#[test]
fn corpus_findings_are_never_shown_at_the_offsets_of_another_text() {
    // The corpus pass's findings hold offsets into the text it read (on disk, or as last
    // saved): applied to an edited buffer, they pointed at other words until the next save.
    let dir = workspace();
    let post = "---\ntitle: A\ndate: 2021-05-22\n---\n\n![chart](img/chart.png)\n";
    std::fs::write(dir.path().join("posts/a.md"), post).expect("write");
    let mut client = Client::spawn(dir.path());
    client.request("initialize", initialize_params(dir.path()));
    client.notify("initialized", json!({}));
    let uri = client.open("posts/a.md", post);
    wait_for_corpus_pass(&mut client);
    let missing = loop {
        let diagnostics = client.diagnostics(&uri);
        if !diagnostics.is_empty() {
            break diagnostics;
        }
    };
    // `img/chart.png` on line 5 (0-based), characters 9 to 22.
    assert_eq!(places(&missing), [("IMG005".to_string(), 5, 9, 5, 22)]);

    // A paragraph inserted above the image, not saved: the finding is not shown where the
    // image was (now inside the new paragraph).
    let edited = post.replace("\n\n!", "\n\nA new first paragraph.\n\n!");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{
            "range": {"start": {"line": 5, "character": 0}, "end": {"line": 5, "character": 0}},
            "text": "A new first paragraph.\n\n"
        }]}),
    );
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());

    // Saved: the pass reads the new text, and the finding comes back where the image now is.
    std::fs::write(dir.path().join("posts/a.md"), &edited).expect("write");
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    wait_for_corpus_pass(&mut client);
    let moved = loop {
        let diagnostics = client.diagnostics(&uri);
        if !diagnostics.is_empty() {
            break diagnostics;
        }
    };
    assert_eq!(places(&moved), [("IMG005".to_string(), 7, 9, 7, 22)]);
}

#[test]
fn posts_changed_on_disk_reach_the_corpus_pass() {
    let dir = workspace();
    let post =
        |title: &str| format!("---\ntitle: {title}\ndate: 2021-05-22\n---\n\n{title} body\n");
    std::fs::write(dir.path().join("posts/a.md"), post("Mine")).expect("write");
    let mut client = Client::start(dir.path());
    let uri = client.open("posts/a.md", &post("Mine"));
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    // Another program writes a post with the same title: the watcher reports it.
    let copy = dir.path().join("posts/copy.md");
    std::fs::write(&copy, post("Mine")).expect("write");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&copy), "type": 1}]}),
    );
    let diagnostics = client.diagnostics(&uri);
    assert_eq!(codes(&diagnostics), ["CORPUS001"]);
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("posts/copy.md")
    );
    std::fs::remove_file(&copy).expect("remove");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&copy), "type": 3}]}),
    );
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
}

#[test]
fn a_burst_of_edits_ends_with_the_diagnostics_of_the_last_text() {
    let dir = workspace();
    let mut client = Client::start(dir.path());
    let clean = "---\ntitle: Hello\ndate: 2021-05-22\n---\n\n";
    let uri = client.open("posts/a.md", clean);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    // Fifty edits without waiting, each adding an empty image on a new line.
    let mut text = clean.to_string();
    for version in 2..=51 {
        text.push_str("<img src=\"\">\n");
        client.change_full(&uri, version, &text);
    }
    let last = client.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 51
    });
    let findings = last["params"]["diagnostics"].as_array().map_or(0, Vec::len);
    assert_eq!(findings, 50);
    // Whatever was published before went in order of version, and never past the last.
    let versions: Vec<i64> = client
        .drain()
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .filter_map(|m| m["params"]["version"].as_i64())
        .collect();
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "{versions:?}");
    assert!(versions.iter().all(|v| *v < 51), "{versions:?}");
}

#[test]
fn the_server_reports_what_the_command_line_reports() {
    // Every rule fixture, opened in the editor, against `artlint --format json` on the same
    // folder: same codes, lines, columns (converted to UTF-16) and messages, corpus included.
    let dir = tempfile::tempdir().expect("temp dir");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    copy_dir(&fixtures, &dir.path().join("fixtures"));
    let cli = common::artlint()
        .current_dir(dir.path())
        .args(["--format", "json", "--no-cache", "."])
        .output()
        .expect("run artlint");
    let report: Value = serde_json::from_slice(&cli.stdout).expect("JSON report");
    let mut expected: std::collections::BTreeMap<String, Vec<(String, u64, u64, String)>> =
        Default::default();
    let files = walk(&dir.path().join("fixtures"));
    for file in &files {
        let relative = file
            .strip_prefix(dir.path())
            .expect("inside")
            .to_string_lossy();
        expected.insert(relative.to_string(), Vec::new());
    }
    for d in report["diagnostics"].as_array().expect("diagnostics") {
        let path = d["path"].as_str().expect("path").to_string();
        let Ok(text) = std::fs::read_to_string(dir.path().join(&path)) else {
            continue; // not UTF-8: an editor would not hold these bytes
        };
        let offset = d["start"]["offset"].as_u64().expect("offset") as usize;
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let character: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
        let mut message = d["message"].as_str().unwrap_or("").to_string();
        if let Some(help) = d["help"].as_str() {
            message.push_str(&format!("\nhelp: {help}"));
        }
        expected.entry(path).or_default().push((
            d["code"].as_str().unwrap_or("").to_string(),
            d["start"]["line"].as_u64().unwrap_or(0) - 1,
            character as u64,
            message,
        ));
    }

    let mut client = Client::start(dir.path());
    let mut compared = 0;
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let relative = file
            .strip_prefix(dir.path())
            .expect("inside")
            .to_string_lossy();
        let uri = client.open(&relative, &text);
        let got: Vec<(String, u64, u64, String)> = client
            .diagnostics(&uri)
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap_or("").to_string(),
                    d["range"]["start"]["line"].as_u64().unwrap_or(0),
                    d["range"]["start"]["character"].as_u64().unwrap_or(0),
                    d["message"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        assert_eq!(got, expected[relative.as_ref()], "{relative}");
        compared += 1;
    }
    assert!(compared > 100, "only {compared} fixtures compared");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        let kind = entry.file_type().expect("type");
        if kind.is_symlink() {
            let link = std::fs::read_link(entry.path()).expect("read link");
            std::os::unix::fs::symlink(link, &target).expect("symlink");
        } else if kind.is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        if entry.file_type().expect("type").is_dir() {
            out.extend(walk(&entry.path()));
        } else {
            out.push(entry.path());
        }
    }
    out.sort();
    out
}
