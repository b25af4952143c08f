//! A minimal LSP client for tests and benchmarks: spawns `artlint server`, frames JSON-RPC
//! over its standard input and output, and waits for answers with a timeout (a silent server
//! fails the caller instead of hanging it). Messages are stamped when read, for latencies.

// Each user (tests/server.rs, benches/server.rs) uses its own subset.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<(Instant, Value)>,
    /// Notifications and server requests read while waiting for something else.
    backlog: Vec<(Instant, Value)>,
    next_id: i64,
    root: PathBuf,
}

impl Client {
    /// Start the server, initialize it with `root` as the workspace folder, and wait for the
    /// workspace scan to end (so that no publish from it comes later).
    pub fn start(root: &Path) -> Client {
        let mut client = Client::spawn(root);
        let result = client.request("initialize", initialize_params(root));
        assert!(result["capabilities"].is_object(), "{result}");
        client.notify("initialized", json!({}));
        wait_for_corpus_pass(&mut client);
        client
    }

    pub fn spawn(root: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_artlint"))
            .arg("server")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_frame(&mut reader) {
                if sender.send((Instant::now(), message)).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            backlog: Vec::new(),
            next_id: 0,
            root: root.to_path_buf(),
        }
    }

    pub fn write_raw(&mut self, body: &str) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    pub fn send(&mut self, message: Value) {
        self.write_raw(&message.to_string());
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Send a request and return its whole response (result or error).
    pub fn request_raw(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(|m| m["id"] == id && m.get("method").is_none())
    }

    /// Send a request and return its result (the test fails on an error).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params);
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    /// The next message that satisfies `matches` (earlier ones that were skipped first).
    pub fn wait_for(&mut self, matches: impl Fn(&Value) -> bool) -> Value {
        self.wait_for_timed(matches).1
    }

    /// The same, with the moment the message was read.
    pub fn wait_for_timed(&mut self, matches: impl Fn(&Value) -> bool) -> (Instant, Value) {
        if let Some(i) = self.backlog.iter().position(|(_, m)| matches(m)) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let (at, message) = match self.messages.recv_timeout(left) {
                Ok(stamped) => stamped,
                Err(RecvTimeoutError::Timeout) => {
                    panic!(
                        "no matching message in {TIMEOUT:?}; skipped: {:#?}",
                        self.backlog
                    )
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the server closed its output; skipped: {:#?}", self.backlog)
                }
            };
            // JSON-RPC 2.0: every message says so (strict clients refuse one that does not).
            assert_eq!(message["jsonrpc"], "2.0", "{message}");
            // The server may ask things of the client (registrations): say yes.
            if message.get("method").is_some() && message.get("id").is_some() {
                let id = message["id"].clone();
                self.send(json!({"jsonrpc": "2.0", "id": id, "result": null}));
            }
            if matches(&message) {
                return (at, message);
            }
            self.backlog.push((at, message));
        }
    }

    /// Everything read so far and not yet waited for.
    pub fn drain(&mut self) -> Vec<Value> {
        self.backlog.extend(self.messages.try_iter());
        self.backlog.drain(..).map(|(_, m)| m).collect()
    }

    /// The next diagnostics published for `uri`.
    pub fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let message = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        message["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub fn uri(&self, relative: &str) -> String {
        file_uri(&self.root.join(relative))
    }

    pub fn open(&mut self, relative: &str, text: &str) -> String {
        let uri = self.uri(relative);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        );
        uri
    }

    pub fn change_full(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    pub fn code_actions(&mut self, uri: &str, range: &Value) -> Vec<Value> {
        let result = self.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": range, "context": {"diagnostics": []}}),
        );
        result.as_array().cloned().unwrap_or_default()
    }

    /// Shut down and exit; the server's exit code.
    pub fn shutdown(mut self) -> Option<i32> {
        let result = self.request("shutdown", Value::Null);
        assert_eq!(result, Value::Null);
        self.notify("exit", Value::Null);
        self.exit_code()
    }

    pub fn exit_code(&mut self) -> Option<i32> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code();
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn initialize_params(root: &Path) -> Value {
    json!({
        "processId": null,
        "rootUri": file_uri(root),
        "workspaceFolders": [{"uri": file_uri(root), "name": "posts"}],
        "capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}},
    })
}

fn read_frame(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

pub fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

/// Waits for the scan's "corpus pass done" log line.
pub fn wait_for_corpus_pass(client: &mut Client) {
    client.wait_for(|m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|s| s.contains("corpus pass done"))
    });
}
