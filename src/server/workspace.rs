//! The corpus rules in the editor: a background thread scans the workspace as `artlint` run
//! there would (same discovery, configuration and per-file check), keeps every file's
//! [`FileFacts`], and runs the corpus pass again whenever facts change (a save). The open
//! files' own diagnostics never wait for it.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crossbeam_channel::{Receiver, Sender};
use rayon::prelude::*;

use crate::config::ConfigResolver;
use crate::corpus::{self, CorpusEnv, FileFacts};
use crate::diagnostic::Diagnostic;
use crate::discover::Target;
use crate::engine::{self, CheckOptions};

/// Work for the corpus thread.
pub enum Job {
    /// Discover and check every file under the current folder (the workspace root), replacing
    /// all facts. Sent at start-up and when the configuration changes.
    Scan,
    /// A file's facts as of its last save (`None`: it contributes nothing now), and the job's
    /// number (the findings say the last one they applied).
    Facts(Arc<Path>, Option<Box<FileFacts>>, u64),
    /// Files created, changed or deleted on disk: read and checked again (or forgotten).
    Refresh(Vec<Arc<Path>>),
}

/// The corpus pass's findings, by file.
pub struct CorpusFindings {
    pub by_path: HashMap<Arc<Path>, Vec<Diagnostic>>,
    /// How many files the scan found.
    pub files: usize,
    /// The number of the last [`Job::Facts`] these findings include.
    pub facts_applied: u64,
    pub problems: Vec<String>,
}

/// Start the corpus thread. Results arrive on `results`, one per batch of jobs.
pub fn spawn(results: Sender<CorpusFindings>) -> std::io::Result<Sender<Job>> {
    let (jobs, inbox) = crossbeam_channel::unbounded();
    std::thread::Builder::new()
        .name("artlint-corpus".into())
        // The per-file check parses (recursively): the main thread's stack size, not 2 MiB.
        .stack_size(8 * 1024 * 1024)
        .spawn(move || serve(&inbox, &results))?;
    Ok(jobs)
}

fn serve(inbox: &Receiver<Job>, results: &Sender<CorpusFindings>) {
    let pool = scan_pool();
    let mut facts: BTreeMap<Arc<Path>, Box<FileFacts>> = BTreeMap::new();
    let mut files = 0;
    let mut facts_applied = 0;
    while let Ok(first) = inbox.recv() {
        let mut problems = Vec::new();
        // Jobs that queued up while the last pass ran are applied together: one pass for all.
        for job in std::iter::once(first).chain(inbox.try_iter()) {
            match job {
                Job::Scan => match scan(pool.as_ref()) {
                    Ok(scanned) => {
                        files = scanned.len();
                        facts = scanned;
                    }
                    Err(problem) => problems.push(problem),
                },
                Job::Facts(path, new, job) => {
                    match new {
                        Some(new) => facts.insert(path, new),
                        None => facts.remove(&path),
                    };
                    facts_applied = facts_applied.max(job);
                }
                Job::Refresh(paths) => {
                    let mut resolver = super::new_resolver();
                    for path in paths {
                        match file_facts(&mut resolver, path.clone()) {
                            Some(new) => facts.insert(path, new),
                            None => facts.remove(&path),
                        };
                    }
                }
            }
        }
        // A panic in the corpus pass costs this pass's findings, not the thread.
        let by_path =
            match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| finish(&facts))) {
                Ok(by_path) => by_path,
                Err(payload) => {
                    problems.push(format!(
                        "internal error in the corpus pass: {}",
                        super::panic_message(payload.as_ref())
                    ));
                    HashMap::new()
                }
            };
        let findings = CorpusFindings {
            by_path,
            files,
            facts_applied,
            problems,
        };
        if results.send(findings).is_err() {
            return;
        }
    }
}

/// One core is left to the main thread, which lints the open file on every keystroke.
fn scan_pool() -> Option<rayon::ThreadPool> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    rayon::ThreadPoolBuilder::new()
        .num_threads(cores.saturating_sub(1).max(1))
        .stack_size(8 * 1024 * 1024)
        .thread_name(|i| format!("artlint-scan-{i}"))
        .build()
        .ok()
}

fn scan(pool: Option<&rayon::ThreadPool>) -> Result<BTreeMap<Arc<Path>, Box<FileFacts>>, String> {
    let scan = || {
        let mut resolver = super::new_resolver();
        let targets = crate::discover::discover(&[PathBuf::from(".")], &mut resolver)
            .map_err(|e| e.to_string())?;
        Ok(targets
            .par_iter()
            .filter_map(|target| {
                let outcome = engine::check_target(&target, CheckOptions::default());
                outcome.facts.map(|facts| (target.path.clone(), facts))
            })
            .collect())
    };
    match pool {
        Some(pool) => pool.install(scan),
        None => scan(),
    }
}

/// The facts of one file on disk, if the configuration lints it (as a walk would find it).
fn file_facts(resolver: &mut ConfigResolver, path: Arc<Path>) -> Option<Box<FileFacts>> {
    if !path.is_file() {
        return None;
    }
    let dir = crate::discover::folder_of(&path);
    let config = resolver.for_dir(dir).ok()?;
    if !config.wants(&path) {
        return None;
    }
    let target = Target {
        path,
        config,
        problem: None,
    };
    engine::check_target(&target, CheckOptions::default()).facts
}

fn finish(facts: &BTreeMap<Arc<Path>, Box<FileFacts>>) -> HashMap<Arc<Path>, Vec<Diagnostic>> {
    let env = CorpusEnv {
        // The CLI's default cache folder, in the workspace root (the current folder).
        cache_dir: Some(PathBuf::from(".artlint-cache")),
        progress: false,
        snippets: false,
    };
    let mut by_path: HashMap<Arc<Path>, Vec<Diagnostic>> = HashMap::new();
    for d in corpus::finish(facts.values().cloned().collect(), &env) {
        by_path.entry(d.path.clone()).or_default().push(d);
    }
    by_path
}
