//! The online image check: every unique URL requested once per run, on a bounded pool of
//! threads with a per-host limit, with retries that honour `Retry-After`, redirects followed by
//! hand (to catch loops and `http://` targets), no body ever read, private addresses refused
//! unless allowed, and a result cache on disk with a time-to-live.

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::config::OnlineSettings;

/// What a URL answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "kebab-case")]
pub enum Outcome {
    Ok,
    /// 4xx (404 and 410 above all).
    NotFound {
        status: u16,
    },
    /// 5xx after the retries.
    ServerError {
        status: u16,
    },
    /// DNS, connection, TLS, timeout, redirect loop, private address.
    Unreachable {
        reason: String,
    },
    /// 2xx with a `Content-Type` that is not an image.
    NotAnImage {
        content_type: String,
    },
    /// A redirect to a plain `http://` address (the chain's end is judged too).
    InsecureRedirect {
        to: String,
    },
}

/// How far to go.
#[derive(Clone, Debug)]
pub struct CheckPlan {
    pub settings: OnlineSettings,
    /// `None`: `--no-cache`.
    pub cache_dir: Option<PathBuf>,
    /// Show a progress bar (on a terminal, for long runs).
    pub progress: bool,
}

/// Check every URL once; cached results younger than the time-to-live are reused.
pub fn check_all(urls: &[String], plan: &CheckPlan) -> HashMap<String, Outcome> {
    let mut cache = plan
        .cache_dir
        .as_deref()
        .map(Cache::load)
        .unwrap_or_default();
    let now = unix_now();
    let ttl = plan.settings.cache_ttl_hours * 3600;
    let mut results = HashMap::new();
    let mut todo = Vec::new();
    for url in urls {
        match cache.entries.get(url) {
            Some(entry) if now.saturating_sub(entry.checked_at) < ttl => {
                results.insert(url.clone(), entry.outcome.clone());
            }
            _ => todo.push(url.clone()),
        }
    }
    let fresh = check_uncached(&todo, &plan.settings, plan.progress);
    for (url, outcome) in &fresh {
        cache.entries.insert(
            url.clone(),
            CacheEntry {
                outcome: outcome.clone(),
                checked_at: now,
            },
        );
    }
    results.extend(fresh);
    if let Some(dir) = &plan.cache_dir
        && !todo.is_empty()
    {
        // A cache that cannot be written only costs requests next time.
        let _ = cache.save(dir);
    }
    results
}

#[derive(Default, Serialize, Deserialize)]
struct Cache {
    /// Bumped when the format changes; another version is ignored and rewritten.
    version: u32,
    entries: BTreeMap<String, CacheEntry>,
}

#[derive(Clone, Serialize, Deserialize)]
struct CacheEntry {
    outcome: Outcome,
    checked_at: u64,
}

const CACHE_VERSION: u32 = 1;
const CACHE_FILE: &str = "online-images.json";

impl Cache {
    /// A missing, corrupt or foreign cache is treated as empty, never trusted.
    fn load(dir: &Path) -> Cache {
        std::fs::read(dir.join(CACHE_FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Cache>(&bytes).ok())
            .filter(|c| c.version == CACHE_VERSION)
            .unwrap_or_default()
    }

    /// Written atomically: a temporary file in the same folder, then renamed.
    fn save(&mut self, dir: &Path) -> std::io::Result<()> {
        self.version = CACHE_VERSION;
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join(format!("{CACHE_FILE}.{}.tmp", std::process::id()));
        std::fs::write(
            &tmp,
            serde_json::to_vec(self).map_err(std::io::Error::other)?,
        )?;
        std::fs::rename(&tmp, dir.join(CACHE_FILE))
    }
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Work shared by the pool: URLs queued per host, requests in flight per host, and the hosts
/// that have both queued URLs and room (so a pick is O(1), however many URLs one host has).
struct Shared {
    queued: HashMap<String, std::collections::VecDeque<String>>,
    in_flight: HashMap<String, usize>,
    ready: std::collections::VecDeque<String>,
    per_host: usize,
}

impl Shared {
    fn new(urls: &[String], per_host: usize) -> Shared {
        let mut queued: HashMap<String, std::collections::VecDeque<String>> = HashMap::new();
        let mut ready = std::collections::VecDeque::new();
        for url in urls {
            let host = host_of(url);
            let queue = queued.entry(host.clone()).or_default();
            if queue.is_empty() {
                ready.push_back(host);
            }
            queue.push_back(url.clone());
        }
        Shared {
            queued,
            in_flight: HashMap::new(),
            ready,
            per_host,
        }
    }

    fn is_done(&self) -> bool {
        self.queued
            .values()
            .all(std::collections::VecDeque::is_empty)
    }

    /// The next URL whose host has room, if any.
    fn take(&mut self) -> Option<String> {
        let host = self.ready.pop_front()?;
        let url = self.queued.get_mut(&host)?.pop_front()?;
        let busy = self.in_flight.entry(host.clone()).or_default();
        *busy += 1;
        if *busy < self.per_host && self.queued.get(&host).is_some_and(|q| !q.is_empty()) {
            self.ready.push_back(host);
        }
        Some(url)
    }

    fn finished(&mut self, url: &str) {
        let host = host_of(url);
        let busy = self.in_flight.entry(host.clone()).or_default();
        let was_full = *busy >= self.per_host;
        *busy = busy.saturating_sub(1);
        let has_more = self.queued.get(&host).is_some_and(|q| !q.is_empty());
        // A host drops out of `ready` when it fills up; it comes back when it has room again.
        if was_full && has_more {
            self.ready.push_back(host);
        }
    }
}

fn host_of(url: &str) -> String {
    crate::rules::images::host(url)
        .unwrap_or("")
        .to_ascii_lowercase()
}

fn check_uncached(
    urls: &[String],
    settings: &OnlineSettings,
    progress: bool,
) -> HashMap<String, Outcome> {
    if urls.is_empty() {
        return HashMap::new();
    }
    let per_host = settings.per_host_concurrency.max(1);
    let state = Mutex::new(Shared::new(urls, per_host));
    let turn = Condvar::new();
    let results = Mutex::new(HashMap::new());
    let bar = progress.then(|| {
        let bar = indicatif::ProgressBar::new(urls.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "checking images {bar:30} {pos}/{len} ({per_sec})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let workers = settings.max_concurrency.clamp(1, 64).min(urls.len());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                let agent = agent(settings);
                loop {
                    // Take the next URL whose host has room; wait while all hosts are busy.
                    let url = {
                        let mut shared = state.lock().unwrap_or_else(|e| e.into_inner());
                        loop {
                            if let Some(url) = shared.take() {
                                break Some(url);
                            }
                            if shared.is_done() {
                                break None;
                            }
                            shared = turn.wait(shared).unwrap_or_else(|e| e.into_inner());
                        }
                    };
                    let Some(url) = url else { break };
                    let outcome = check_one(&agent, &url, settings);
                    state
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .finished(&url);
                    turn.notify_all();
                    if let Some(bar) = &bar {
                        bar.inc(1);
                    }
                    results
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(url, outcome);
                }
                turn.notify_all();
            });
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    results.into_inner().unwrap_or_else(|e| e.into_inner())
}

fn agent(settings: &OnlineSettings) -> ureq::Agent {
    let timeout = Duration::from_secs(settings.timeout_seconds.max(1));
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent(concat!(
            "artlint/",
            env!("CARGO_PKG_VERSION"),
            " (image check)"
        ))
        .build()
        .into()
}

/// Loopback, private (RFC 1918, unique-local), link-local, unspecified and the like.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.octets()[0] == 100 && (64..128).contains(&v4.octets()[1]) // carrier-grade NAT
        }
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6.is_unspecified()
                || (v6.segments()[0] & 0xfe00) == 0xfc00 // unique local
                || (v6.segments()[0] & 0xffc0) == 0xfe80 // link local
                || v6.to_ipv4_mapped().is_some_and(|v4| is_private(IpAddr::V4(v4)))
        }
    }
}

/// Refuse a URL whose host resolves to a private address, unless allowed.
fn private_address(url: &str, settings: &OnlineSettings) -> Option<String> {
    if settings.allow_private {
        return None;
    }
    let host = crate::rules::images::host(url)?;
    let port = if url.to_ascii_lowercase().starts_with("https") {
        443
    } else {
        80
    };
    let addrs = (host, port).to_socket_addrs().ok()?;
    addrs
        .map(|a| a.ip())
        .find(|ip| is_private(*ip))
        .map(|ip| format!("{host} resolves to the private address {ip} (set `allow-private = true` under [online] to check it)"))
}

/// Whether a redirect from `from` to `to` downgrades to plain HTTP. A URL that already starts
/// with `http://` is IMG003's, not a redirect problem.
fn downgrades(original: &str, to: &str) -> bool {
    !original.to_ascii_lowercase().starts_with("http://")
        && to.to_ascii_lowercase().starts_with("http://")
}

fn check_one(agent: &ureq::Agent, url: &str, settings: &OnlineSettings) -> Outcome {
    let mut current = url.to_string();
    let mut insecure_hop: Option<String> = None;
    for _hop in 0..=settings.max_redirects {
        if let Some(reason) = private_address(&current, settings) {
            return Outcome::Unreachable { reason };
        }
        let response = match request_with_retries(agent, &current, settings) {
            Ok(r) => r,
            Err(reason) => return Outcome::Unreachable { reason },
        };
        let status = response.status;
        if (300..400).contains(&status) {
            let Some(location) = response.location else {
                return Outcome::Unreachable {
                    reason: format!("redirect {status} without a Location"),
                };
            };
            let next = resolve(&current, &location);
            if downgrades(url, &next) && insecure_hop.is_none() {
                insecure_hop = Some(next.clone());
            }
            current = next;
            continue;
        }
        let outcome = match status {
            200..=299 => match response.content_type {
                Some(ct)
                    if !ct.to_ascii_lowercase().starts_with("image/")
                        && !ct.starts_with("application/octet-stream") =>
                {
                    Outcome::NotAnImage { content_type: ct }
                }
                _ => Outcome::Ok,
            },
            400..=499 => Outcome::NotFound { status },
            _ => Outcome::ServerError { status },
        };
        return match (insecure_hop, &outcome) {
            (Some(to), Outcome::Ok) => Outcome::InsecureRedirect { to },
            _ => outcome,
        };
    }
    Outcome::Unreachable {
        reason: format!(
            "more than {} redirects (a redirect loop?)",
            settings.max_redirects
        ),
    }
}

/// A `Location` made absolute against the URL that sent it.
fn resolve(base: &str, location: &str) -> String {
    let lower = location.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return location.to_string();
    }
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    if let Some(rest) = location.strip_prefix("//") {
        return format!("{}{rest}", &base[..scheme_end]);
    }
    let authority_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    if location.starts_with('/') {
        return format!("{}{location}", &base[..authority_end]);
    }
    let dir_end = base
        .rfind('/')
        .filter(|i| *i >= authority_end)
        .map_or(authority_end, |i| i);
    format!("{}/{location}", &base[..dir_end])
}

struct Answer {
    status: u16,
    location: Option<String>,
    content_type: Option<String>,
}

/// HEAD (a ranged GET when HEAD is refused), retried with backoff on 429 and 5xx, honouring
/// `Retry-After`. The body is never read: dropping the response closes the connection.
fn request_with_retries(
    agent: &ureq::Agent,
    url: &str,
    settings: &OnlineSettings,
) -> Result<Answer, String> {
    let mut attempt = 0;
    loop {
        let mut answer = send(agent, url, true)?;
        if matches!(answer.0.status, 405 | 501) {
            answer = send(agent, url, false)?;
        }
        let (answer, retry_after) = answer;
        let retryable = answer.status == 429 || answer.status >= 500;
        if !retryable || attempt >= settings.retries {
            return Ok(answer);
        }
        let backoff = retry_after.unwrap_or_else(|| Duration::from_millis(250 << attempt.min(6)));
        std::thread::sleep(backoff.min(Duration::from_secs(30)));
        attempt += 1;
    }
}

fn send(agent: &ureq::Agent, url: &str, head: bool) -> Result<(Answer, Option<Duration>), String> {
    let result = if head {
        agent.head(url).call()
    } else {
        agent.get(url).header("Range", "bytes=0-0").call()
    };
    let response = result.map_err(|e| describe(&e))?;
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let retry_after = header("retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    Ok((
        Answer {
            status: response.status().as_u16(),
            location: header("location"),
            content_type: header("content-type"),
        },
        retry_after,
    ))
}

fn describe(error: &ureq::Error) -> String {
    match error {
        ureq::Error::Timeout(_) => "timed out".into(),
        ureq::Error::HostNotFound => "host not found (DNS)".into(),
        ureq::Error::ConnectionFailed => "connection failed".into(),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            "connection refused".into()
        }
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => "timed out".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_ranges() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.1.1",
            "::1",
            "fe80::1",
            "fd00::1",
            "100.64.0.1",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["8.8.8.8", "1.1.1.1", "2606:4700::1111"] {
            assert!(!is_private(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn the_queue_respects_the_per_host_limit() {
        let urls: Vec<String> = [
            "https://a.org/1",
            "https://a.org/2",
            "https://a.org/3",
            "https://b.org/1",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut shared = Shared::new(&urls, 1);
        let first = shared.take().unwrap();
        let second = shared.take().unwrap();
        assert_ne!(host_of(&first), host_of(&second));
        assert_eq!(shared.take(), None, "both hosts are busy");
        shared.finished(&first);
        assert_eq!(host_of(&shared.take().unwrap()), host_of(&first));
        assert!(!shared.is_done());
    }

    #[test]
    fn only_https_to_http_is_a_downgrade() {
        assert!(downgrades("https://a.org/x.png", "http://b.org/x.png"));
        assert!(downgrades("//a.org/x.png", "HTTP://b.org/x.png"));
        assert!(!downgrades("https://a.org/x.png", "https://b.org/x.png"));
        assert!(!downgrades("http://a.org/x.png", "http://b.org/x.png"));
    }

    #[test]
    fn locations_resolve_against_the_request() {
        assert_eq!(
            resolve("https://a.org/x/y.png", "/z.png"),
            "https://a.org/z.png"
        );
        assert_eq!(
            resolve("https://a.org/x/y.png", "z.png"),
            "https://a.org/x/z.png"
        );
        assert_eq!(
            resolve("https://a.org/x/y.png", "//b.org/z.png"),
            "https://b.org/z.png"
        );
        assert_eq!(resolve("https://a.org", "z.png"), "https://a.org/z.png");
        assert_eq!(resolve("https://a.org/y", "http://c.org/"), "http://c.org/");
    }
}
