//! The online image check against a real HTTP server on 127.0.0.1, started by the test: every
//! verdict, one request per unique URL however many posts use it, no request on a cached
//! re-run, and a 100 MB body that is never read whole.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;

/// A small HTTP/1.1 server with one scenario per path. It counts requests per path.
struct Server {
    port: u16,
    hits: Arc<Mutex<HashMap<String, usize>>>,
    huge_bytes_sent: Arc<AtomicU64>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let hits = Arc::new(Mutex::new(HashMap::new()));
        let huge_bytes_sent = Arc::new(AtomicU64::new(0));
        let (h, b) = (hits.clone(), huge_bytes_sent.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (h, b) = (h.clone(), b.clone());
                std::thread::spawn(move || serve(stream, port, &h, &b));
            }
        });
        Server {
            port,
            hits,
            huge_bytes_sent,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }

    fn total_hits(&self) -> usize {
        self.hits.lock().unwrap().values().sum()
    }
}

fn serve(mut stream: TcpStream, port: u16, hits: &Mutex<HashMap<String, usize>>, huge: &AtomicU64) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let path = parts.next().unwrap_or("").to_string();
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                break;
            }
        }
        let count = {
            let mut hits = hits.lock().unwrap();
            let n = hits.entry(path.clone()).or_insert(0);
            *n += 1;
            *n
        };
        let head = method == "HEAD";
        let respond =
            |stream: &mut TcpStream, status: &str, headers: &[(&str, String)], body: &[u8]| {
                let mut out = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\n", body.len());
                for (k, v) in headers {
                    out.push_str(&format!("{k}: {v}\r\n"));
                }
                out.push_str("\r\n");
                let _ = stream.write_all(out.as_bytes());
                if !head {
                    let _ = stream.write_all(body);
                }
            };
        let png = ("Content-Type", "image/png".to_string());
        match path.as_str() {
            "/image.png" => respond(&mut stream, "200 OK", &[png], b"\x89PNG"),
            "/missing.png" => respond(&mut stream, "404 Not Found", &[], b"no"),
            "/gone.png" => respond(&mut stream, "410 Gone", &[], b"gone"),
            "/down.png" => respond(&mut stream, "503 Service Unavailable", &[], b"down"),
            "/flaky.png" if count == 1 => {
                respond(&mut stream, "500 Internal Server Error", &[], b"oops")
            }
            "/flaky.png" => respond(&mut stream, "200 OK", &[png], b"\x89PNG"),
            "/busy.png" if count == 1 => respond(
                &mut stream,
                "429 Too Many Requests",
                &[("Retry-After", "1".into())],
                b"slow down",
            ),
            "/busy.png" => respond(&mut stream, "200 OK", &[png], b"\x89PNG"),
            "/loop-a.png" => respond(
                &mut stream,
                "302 Found",
                &[("Location", "/loop-b.png".into())],
                b"",
            ),
            "/loop-b.png" => respond(
                &mut stream,
                "302 Found",
                &[("Location", format!("http://127.0.0.1:{port}/loop-a.png"))],
                b"",
            ),
            "/moved.png" => respond(
                &mut stream,
                "301 Moved Permanently",
                &[("Location", "/target.png".into())],
                b"",
            ),
            "/target.png" => respond(&mut stream, "200 OK", &[png], b"\x89PNG"),
            "/page.png" => respond(
                &mut stream,
                "200 OK",
                &[("Content-Type", "text/html; charset=utf-8".into())],
                b"<html></html>",
            ),
            "/hang.png" => {
                std::thread::sleep(Duration::from_secs(5));
                return;
            }
            "/huge.png" if head => respond(&mut stream, "405 Method Not Allowed", &[], b""),
            "/huge.png" => {
                // 100 MB announced and streamed until the client hangs up.
                let total: u64 = 100 * 1024 * 1024;
                let _ = stream.write_all(
                    format!("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {total}\r\n\r\n").as_bytes(),
                );
                let chunk = vec![0u8; 64 * 1024];
                let mut sent = 0;
                while sent < total {
                    if stream.write_all(&chunk).is_err() {
                        break;
                    }
                    sent += chunk.len() as u64;
                    huge.store(sent, Ordering::SeqCst);
                }
                return;
            }
            _ => respond(&mut stream, "404 Not Found", &[], b""),
        }
    }
}

fn post(dir: &Path, name: &str, urls: &[String]) {
    let body: String = urls
        .iter()
        .map(|u| format!("<p><img src=\"{u}\" alt=\"x\"></p>\n"))
        .collect();
    std::fs::write(
        dir.join(name),
        format!("---\ntitle: {name}\ndate: 2021-05-22\n---\n\n{body}"),
    )
    .unwrap();
}

fn config(dir: &Path, extra: &str) {
    std::fs::write(
        dir.join("artlint.toml"),
        format!("[online]\nallow-private = true\ntimeout-seconds = 1\nretries = 2\n{extra}"),
    )
    .unwrap();
}

/// Run artlint --online on `dir`; return (code, message) per finding.
fn run(dir: &Path, cache: &Path, extra_args: &[&str]) -> Vec<(String, String)> {
    let output = Command::cargo_bin("artlint")
        .unwrap()
        .current_dir(dir)
        .args([
            "--format",
            "json",
            "--online",
            "--select",
            "IMG011,IMG012,IMG013,IMG014,IMG015",
            "--cache-dir",
        ])
        .arg(cache)
        .args(extra_args)
        .arg(".")
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let json: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)));
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn find<'a>(found: &'a [(String, String)], url: &str) -> Vec<&'a (String, String)> {
    found.iter().filter(|(_, m)| m.contains(url)).collect()
}

#[test]
fn every_verdict_once_per_url_and_none_on_a_cached_rerun() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    config(dir.path(), "");
    let paths = [
        "/image.png",
        "/missing.png",
        "/gone.png",
        "/down.png",
        "/flaky.png",
        "/busy.png",
        "/loop-a.png",
        "/moved.png",
        "/page.png",
        "/hang.png",
    ];
    let urls: Vec<String> = paths.iter().map(|p| server.url(p)).collect();
    // Three posts use every URL: each must still be requested once.
    for name in ["a.md", "b.md", "c.md"] {
        post(dir.path(), name, &urls);
    }
    let started = Instant::now();
    let found = run(dir.path(), cache.path(), &[]);
    let first_run = started.elapsed();

    let verdict = |path: &str| -> Vec<String> {
        let url = server.url(path);
        let mut codes: Vec<String> = find(&found, &url).iter().map(|(c, _)| c.clone()).collect();
        codes.dedup();
        codes
    };
    assert_eq!(verdict("/image.png"), Vec::<String>::new());
    assert_eq!(verdict("/missing.png"), ["IMG011"]);
    assert!(
        find(&found, &server.url("/missing.png"))[0]
            .1
            .contains("404 Not Found")
    );
    assert_eq!(verdict("/gone.png"), ["IMG011"]);
    assert!(
        find(&found, &server.url("/gone.png"))[0]
            .1
            .contains("410 Gone")
    );
    assert_eq!(
        verdict("/down.png"),
        ["IMG012"],
        "a 5xx is not a 404: {found:?}"
    );
    assert_eq!(
        verdict("/flaky.png"),
        Vec::<String>::new(),
        "a 500 that heals on retry is fine"
    );
    assert_eq!(
        verdict("/busy.png"),
        Vec::<String>::new(),
        "429 with Retry-After is retried"
    );
    assert_eq!(verdict("/loop-a.png"), ["IMG013"]);
    assert!(
        find(&found, &server.url("/loop-a.png"))[0]
            .1
            .contains("redirect")
    );
    assert_eq!(
        verdict("/moved.png"),
        Vec::<String>::new(),
        "a redirect to an image is fine"
    );
    assert_eq!(verdict("/page.png"), ["IMG014"]);
    assert!(
        find(&found, &server.url("/page.png"))[0]
            .1
            .contains("text/html")
    );
    assert_eq!(verdict("/hang.png"), ["IMG013"]);
    assert!(
        find(&found, &server.url("/hang.png"))[0]
            .1
            .contains("timed out")
    );
    // Each finding is reported in each of the three posts.
    assert_eq!(find(&found, &server.url("/missing.png")).len(), 3);

    // One HEAD per URL, however many posts; retries and redirects are the only repeats.
    for path in [
        "/image.png",
        "/missing.png",
        "/gone.png",
        "/page.png",
        "/moved.png",
        "/target.png",
    ] {
        assert_eq!(
            server.hits(path),
            1,
            "{path} requested {} times",
            server.hits(path)
        );
    }
    assert_eq!(server.hits("/down.png"), 3, "first try and two retries");
    assert_eq!(server.hits("/flaky.png"), 2);
    assert_eq!(server.hits("/busy.png"), 2);
    assert!(first_run < Duration::from_secs(30), "{first_run:?}");

    // Second run: every result comes from the cache, no request at all.
    let before = server.total_hits();
    let again = run(dir.path(), cache.path(), &[]);
    assert_eq!(server.total_hits(), before, "the cached run made requests");
    let mut a = found.clone();
    let mut b = again;
    a.sort();
    b.sort();
    assert_eq!(a, b, "the cached run reports the same findings");

    // --no-cache asks again.
    run(dir.path(), cache.path(), &["--no-cache"]);
    assert!(server.total_hits() > before);
}

#[test]
fn a_huge_body_is_never_read_whole() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    config(dir.path(), "");
    post(dir.path(), "a.md", &[server.url("/huge.png")]);
    let started = Instant::now();
    let found = run(dir.path(), cache.path(), &[]);
    assert!(
        found.is_empty(),
        "HEAD refused, a ranged GET says it is an image: {found:?}"
    );
    assert_eq!(server.hits("/huge.png"), 2, "HEAD, then GET");
    assert!(started.elapsed() < Duration::from_secs(20));
    // Give the server a moment to notice the closed connection.
    std::thread::sleep(Duration::from_millis(300));
    let sent = server.huge_bytes_sent.load(Ordering::SeqCst);
    assert!(
        sent < 50 * 1024 * 1024,
        "{sent} bytes were pushed: the client kept reading the body"
    );
}

#[test]
fn private_addresses_are_refused_unless_allowed() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("artlint.toml"), "online = true\n").unwrap();
    post(dir.path(), "a.md", &[server.url("/image.png")]);
    let found = run(dir.path(), cache.path(), &[]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "IMG013");
    assert!(found[0].1.contains("private address"), "{found:?}");
    assert_eq!(
        server.total_hits(),
        0,
        "a refused address must not be contacted"
    );
}

#[test]
fn offline_by_default() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    post(dir.path(), "a.md", &[server.url("/missing.png")]);
    let output = Command::cargo_bin("artlint")
        .unwrap()
        .current_dir(dir.path())
        .args(["--format", "json", "."])
        .output()
        .unwrap();
    assert!(output.status.code().is_some());
    assert_eq!(
        server.total_hits(),
        0,
        "a default run made a network request"
    );
}
