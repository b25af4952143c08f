//! Check: every enabled rule over every document, in parallel (rayon), then the corpus pass;
//! output sorted by (path, line, column, code) so it is the same whatever the thread count.

use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{ActiveRule, Config};
use crate::corpus::{self, FileFacts};
use crate::diagnostic::Severity;
use crate::diagnostic::{Diagnostic, Finding, Snippet};
use crate::discover::{Target, Targets};
use crate::document::Document;
use crate::fix::{self, FixMode};
use crate::progress::Progress;
use crate::rules::RuleMeta;
use crate::rules::{Context, Family};
use crate::source;
use crate::suppress;

/// How many lines a code frame may show around a finding.
const SNIPPET_CONTEXT_LINES: usize = 1;
const SNIPPET_MAX_LINES: usize = 12;
/// A code frame never copies more of a line than this.
const SNIPPET_MAX_BYTES: usize = 4096;

#[derive(Clone, Copy, Debug, Default)]
pub struct CheckOptions {
    /// Keep a few lines of source with each diagnostic (for the human report).
    pub snippets: bool,
    /// Which fixes to apply (`--fix`, `--unsafe-fixes`).
    pub fix: FixMode,
    /// With `fix`: compute diffs, write nothing (`--diff`).
    pub diff_only: bool,
    /// Hash each file's bytes as checked ([`FileOutcome::content_hash`]): a shard's facts name
    /// each post's content by it.
    pub content_hash: bool,
}

/// How many times a file is re-linted and re-fixed before artlint gives up on reaching a
/// stable text (fixes can uncover or shift other findings).
const MAX_FIX_PASSES: usize = 10;

/// A file that fixes changed (or, with `--diff`, would change).
#[derive(Clone, Debug)]
pub struct FixedFile {
    pub path: Arc<Path>,
    pub fixes: usize,
    /// The unified diff, with `--diff`.
    pub diff: Option<String>,
    /// Set when the fixed text could not be written.
    pub error: Option<String>,
}

/// A rule panicked on a file: reported, and the run exits 2, but every other finding stands.
#[derive(Clone, Debug)]
pub struct InternalError {
    pub path: Arc<Path>,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct RunResult {
    pub diagnostics: Vec<Diagnostic>,
    pub files_checked: usize,
    pub internal_errors: Vec<InternalError>,
    pub fixed: Vec<FixedFile>,
    /// With `--baseline`: recorded findings that no longer occur.
    pub baseline_gone: Option<usize>,
    /// The run's wall time, measured by the CLI: the human report ends with it.
    pub elapsed: Option<std::time::Duration>,
}

/// One file checked, before the corpus pass: its own findings, what it contributes to the
/// corpus pass, and its suppression comments (applied once the corpus findings are known).
///
/// It is also what the cache keeps of a file (never one with a crash or a fix), in the form of
/// [`CacheParts`].
#[derive(Clone)]
pub struct FileOutcome {
    pub diagnostics: Vec<Diagnostic>,
    /// Boxed: a run holds every file's outcome, then moves the facts out; inline they would be
    /// most of an outcome's size, copied at each step.
    pub facts: Option<Box<FileFacts>>,
    /// Facts the cache still holds encoded (an outcome taken from it): decoded by the corpus
    /// pass only if it needs them.
    pub(crate) stored_facts: Option<crate::cache::StoredFacts>,
    // Boxed, as are the fix and the suppressions: most files have none, and a run holds every
    // file's outcome until the last is checked.
    pub internal_error: Option<Box<InternalError>>,
    fixed: Option<Box<FixedFile>>,
    suppressions: Option<Box<Suppressions>>,
    /// Byte offset where the body starts (just past the front matter's closing fence).
    pub body_start: usize,
    /// A hash ([`crate::cache::hash_bytes`]) of the file's bytes as checked, the fixed text's
    /// for a file fixes rewrote: known from the cache, else made when
    /// [`CheckOptions::content_hash`] asks for it.
    pub(crate) content_hash: Option<u64>,
}

/// An outcome as the cache writes it, without its facts (encoded apart, see
/// [`CacheParts`]) and its body's start (in the cache's record): nothing at all for a file
/// with no finding and no suppression, so that a warm run reads no byte of a clean file's
/// entry beyond its record.
#[derive(serde::Serialize)]
struct StoredOutcome<'a> {
    diagnostics: &'a [Diagnostic],
    suppressions: &'a Option<Box<Suppressions>>,
}

/// [`StoredOutcome`] as read.
#[derive(serde::Deserialize)]
struct StoredOutcomeRef {
    diagnostics: Vec<Diagnostic>,
    suppressions: Option<Box<Suppressions>>,
}

/// An outcome encoded for the cache: its findings and suppressions (empty when it has none),
/// and its facts, apart, with whether the checks that run every time read them. A warm run
/// whose cross-file findings still hold then decodes the facts of no other file.
pub(crate) struct CacheParts {
    pub outcome: Vec<u8>,
    pub facts: Option<(bool, Vec<u8>)>,
    pub body_start: usize,
}

impl FileOutcome {
    /// Point the outcome's paths equal to `path` at this one allocation (outcomes decoded from
    /// the cache have a path per finding).
    pub(crate) fn share_path(&mut self, path: &Arc<Path>) {
        let share = |own: &mut Arc<Path>| {
            if **own == **path {
                *own = path.clone();
            }
        };
        self.diagnostics.iter_mut().for_each(|d| share(&mut d.path));
        if let Some(s) = &mut self.suppressions {
            share(&mut s.path);
        }
        if let Some(facts) = &mut self.facts {
            facts.share_path(path);
        }
    }

    /// The outcome as the cache stores it ([`CacheParts`]).
    pub(crate) fn encode_for_cache(&self) -> Option<CacheParts> {
        let facts = match &self.facts {
            Some(facts) => Some((facts.read_every_run(), postcard::to_allocvec(facts).ok()?)),
            None => None,
        };
        let outcome = if self.diagnostics.is_empty() && self.suppressions.is_none() {
            Vec::new()
        } else {
            postcard::to_allocvec(&StoredOutcome {
                diagnostics: &self.diagnostics,
                suppressions: &self.suppressions,
            })
            .ok()?
        };
        Some(CacheParts {
            outcome,
            facts,
            body_start: self.body_start,
        })
    }

    /// Code frames for the findings and the facts' places of an outcome kept without them,
    /// made from `doc` (the checked file's text) as the check makes them.
    pub(crate) fn add_code_frames(&mut self, doc: &Document) {
        for d in &mut self.diagnostics {
            d.snippet = Some(Box::new(snippet(doc, &d.span, &d.labels)));
        }
        if let Some(facts) = &mut self.facts {
            facts.add_code_frames(doc);
        }
    }

    /// An outcome the cache stored (see [`FileOutcome::encode_for_cache`]), without its facts.
    pub(crate) fn decode_from_cache(bytes: &[u8], body_start: usize) -> Option<FileOutcome> {
        let stored = if bytes.is_empty() {
            StoredOutcomeRef {
                diagnostics: Vec::new(),
                suppressions: None,
            }
        } else {
            postcard::from_bytes(bytes).ok()?
        };
        Some(FileOutcome {
            diagnostics: stored.diagnostics,
            facts: None,
            stored_facts: None,
            internal_error: None,
            fixed: None,
            suppressions: stored.suppressions,
            body_start,
            content_hash: None,
        })
    }

    /// Nothing to report, to fix or to hand to the corpus pass.
    fn is_empty(&self) -> bool {
        self.stored_facts.is_none() && self.holds_only_stored_facts()
    }

    /// Nothing to report, to fix or to hand to the corpus pass but the facts the cache holds.
    fn holds_only_stored_facts(&self) -> bool {
        self.diagnostics.is_empty()
            && self.facts.is_none()
            && self.internal_error.is_none()
            && self.fixed.is_none()
            && self.suppressions.is_none()
    }

    /// Whether fixes changed (or, with `--diff`, would change) the file.
    pub fn was_fixed(&self) -> bool {
        self.fixed.is_some()
    }

    /// Settle [`FileOutcome::content_hash`] given the hash of the bytes read: a fixed file's
    /// is its new text's (the check set it); any other file's, one whose fix could not be
    /// written too (it was checked again as it stays), is that of the bytes read.
    pub(crate) fn settle_content_hash(&mut self, read: Option<u64>) {
        if self.content_hash.is_none() {
            self.content_hash = read;
        }
    }

    /// This file's findings with the corpus pass's findings for it, suppressions applied and
    /// sorted: what [`run`] reports for the file.
    pub fn reported(&self, corpus: &[Diagnostic]) -> Vec<Diagnostic> {
        let mut diagnostics: Vec<Diagnostic> =
            self.diagnostics.iter().chain(corpus).cloned().collect();
        apply_suppressions(
            &mut diagnostics,
            self.suppressions.iter().map(|s| (**s).clone()).collect(),
        );
        sort_diagnostics(&mut diagnostics);
        diagnostics
    }
}

/// Sort into the output order: path (compared component by component), line, column, code,
/// then message, keeping the order they came in on ties. The part already in order (each file's
/// findings, files in path order) is only checked; what follows it is merged in, sorted first
/// by path rank unless it is in order too (each distinct path ranked once: comparing paths
/// dominated sorting tens of thousands of findings).
pub(crate) fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    // A run's findings arrive as each file's, in path order and each sorted, followed by the
    // corpus pass's: sort only what follows the sorted part, then merge the two.
    let sorted = sorted_prefix(diagnostics);
    if sorted == diagnostics.len() {
        return;
    }
    let (head, tail) = diagnostics.split_at_mut(sorted);
    // The corpus pass sorts its own findings (and the cache keeps them sorted).
    let tail_order = if sorted_prefix(tail) == tail.len() {
        (0..tail.len()).collect()
    } else {
        sort_order(tail)
    };
    let mut from = Vec::with_capacity(head.len() + tail.len());
    let (mut i, mut j) = (0, 0);
    // The merge compares the same two files many times over: their order is worked out once.
    let mut paths_compared: Option<(*const u8, *const u8, std::cmp::Ordering)> = None;
    let mut before = |a: &Diagnostic, b: &Diagnostic| {
        let (pa, pb) = (Arc::as_ptr(&a.path).cast(), Arc::as_ptr(&b.path).cast());
        let paths = match paths_compared {
            _ if pa == pb => std::cmp::Ordering::Equal,
            Some((x, y, order)) if (x, y) == (pa, pb) => order,
            _ => {
                let order = crate::discover::compare_paths(&a.path, &b.path);
                paths_compared = Some((pa, pb, order));
                order
            }
        };
        paths.then_with(|| place_order(a, b)).is_lt()
    };
    while i < head.len() && j < tail_order.len() {
        // Ties go to the head: it came first.
        if before(&tail[tail_order[j]], &head[i]) {
            from.push(sorted + tail_order[j]);
            j += 1;
        } else {
            from.push(i);
            i += 1;
        }
    }
    from.extend(i..head.len());
    from.extend(tail_order[j..].iter().map(|k| sorted + k));
    permute(diagnostics, from);
}

/// How many findings from the start are already in report order (ties in the order they came).
fn sorted_prefix(diagnostics: &[Diagnostic]) -> usize {
    diagnostics
        .windows(2)
        .position(|pair| report_order(&pair[0], &pair[1]).is_gt())
        .map_or(diagnostics.len(), |at| at + 1)
}

/// The report order of two findings: path, then [`place_order`]. Findings of one file share
/// its path's allocation, so most comparisons never look at the path's text.
fn report_order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    let paths = if Arc::ptr_eq(&a.path, &b.path) {
        std::cmp::Ordering::Equal
    } else {
        crate::discover::compare_paths(&a.path, &b.path)
    };
    paths.then_with(|| place_order(a, b))
}

/// The report order of two findings of one file: line, column, code, message.
fn place_order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    (a.start.line, a.start.column, a.rule.code, &a.message).cmp(&(
        b.start.line,
        b.start.column,
        b.rule.code,
        &b.message,
    ))
}

/// The order that sorts `diagnostics` (position k of the result is the index of the finding
/// that goes there), by path rank, place, then as they came.
fn sort_order(diagnostics: &[Diagnostic]) -> Vec<usize> {
    let ranks = path_ranks(diagnostics);
    // Sort small keys, not the findings; ties on the place are broken by code and message, then
    // by the order the findings came in (a stable sort).
    let mut keys: Vec<(u32, u32, u32, u32)> = diagnostics
        .iter()
        .zip(&ranks)
        .enumerate()
        .map(|(i, (d, rank))| {
            let index = u32::try_from(i).unwrap_or(u32::MAX);
            (*rank, d.start.line, d.start.column, index)
        })
        .collect();
    keys.sort_unstable_by(|a, b| {
        (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)).then_with(|| {
            place_order(&diagnostics[a.3 as usize], &diagnostics[b.3 as usize]).then(a.3.cmp(&b.3))
        })
    });
    keys.iter().map(|k| k.3 as usize).collect()
}

/// Each finding's path as its rank in path order (`Path::cmp`), each distinct path ranked once.
/// A file's findings share its `Arc`, so the pointer finds the rank without hashing or
/// comparing a path per finding; equal paths behind different `Arc`s (cross-file findings read
/// back from the cache) are found by their bytes.
fn path_ranks(diagnostics: &[Diagnostic]) -> Vec<u32> {
    let mut slot_of: rustc_hash::FxHashMap<*const Path, usize> = Default::default();
    let mut slot_of_bytes: rustc_hash::FxHashMap<&[u8], usize> = Default::default();
    let mut unique: Vec<&Path> = Vec::new();
    let slots: Vec<usize> = diagnostics
        .iter()
        .map(|d| {
            *slot_of.entry(Arc::as_ptr(&d.path)).or_insert_with(|| {
                *slot_of_bytes
                    .entry(d.path.as_os_str().as_encoded_bytes())
                    .or_insert_with(|| {
                        unique.push(&d.path);
                        unique.len() - 1
                    })
            })
        })
        .collect();
    // Compared as paths, plain ones by their bytes (no key built per path, each path's
    // plainness told once).
    let shapes: Vec<crate::discover::Shape> = unique
        .iter()
        .map(|p| crate::discover::shape(p.as_os_str().as_encoded_bytes()))
        .collect();
    let order =
        |a: usize, b: usize| crate::discover::ordered(unique[a], shapes[a], unique[b], shapes[b]);
    let mut by_path: Vec<usize> = (0..unique.len()).collect();
    by_path.sort_unstable_by(|a, b| order(*a, *b));
    let mut rank_of = vec![0u32; unique.len()];
    let mut rank = 0u32;
    for (i, slot) in by_path.iter().enumerate() {
        // `a/b` and `a//b` are one path: one rank.
        if i > 0 && order(by_path[i - 1], *slot).is_ne() {
            rank += 1;
        }
        rank_of[*slot] = rank;
    }
    slots.iter().map(|slot| rank_of[*slot]).collect()
}

/// Reorder `items` in place so that position k holds what was at `from[k]` (a permutation),
/// cycle by cycle: no second copy of the items.
fn permute<T>(items: &mut [T], mut from: Vec<usize>) {
    for start in 0..from.len() {
        let mut current = start;
        loop {
            let next = from[current];
            from[current] = current;
            if next == start || next == current {
                break;
            }
            items.swap(current, next);
            current = next;
        }
    }
}

/// A file's suppression comments and what is needed to report on them.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct Suppressions {
    #[serde(with = "crate::diagnostic::shared_path")]
    path: Arc<Path>,
    list: Vec<suppress::Suppression>,
    /// ART001 and ART002 as configured for the file (absent when off).
    unused: Option<Severity>,
    unknown: Option<Severity>,
    /// Selectors that name a rule of this file's configuration.
    known: Vec<bool>,
    /// Per suppression: whether a rule it names runs on this file (if none does, "unused"
    /// cannot be judged).
    judged: Vec<bool>,
}

/// Lint every target and run the corpus pass.
pub fn run(targets: &Targets, options: CheckOptions, env: &corpus::CorpusEnv) -> RunResult {
    run_with(targets, options, env, RunWith::default()).0
}

/// What a shard of a corpus contributes to the cross-file pass, for `artlint merge`: each
/// file's corpus facts and its suppressions (with which of them the file's own findings used).
#[derive(serde::Serialize, serde::Deserialize)]
pub struct ShardFacts {
    files: Vec<ShardFile>,
    /// Each file's index among the run's targets, when a whole run left out the files with
    /// nothing to hand on (see [`run_with`]); empty in a shard's facts.
    #[serde(skip)]
    indices: Vec<usize>,
    /// Facts the cache still holds encoded, by their files' indices among the run's targets
    /// (in no order: they are decoded in the cache file's order), decoded by
    /// [`ShardFacts::finish`] only if it needs them, and before a shard's facts are written. A
    /// clean file taken from the cache is only this entry.
    #[serde(skip)]
    cached: Vec<CachedFacts>,
    /// The facts of the files checked in this run, when they were spilled as checked (a whole
    /// run over many files): read back, and pruned, by [`ShardFacts::finish`].
    #[serde(skip)]
    spilled: Option<corpus::spill::Spill>,
    /// Files pruned of every fact before the corpus pass ([`ShardFacts::prune`]).
    #[serde(skip)]
    pruned: corpus::PrunedFiles,
}

/// A file's facts that the cache holds, by the file's index among the run's targets.
#[derive(Clone, Copy)]
struct CachedFacts {
    index: usize,
    stored: crate::cache::StoredFacts,
}

/// How a run checks a file again whose facts the cache holds damaged: its facts, as checked.
type Recheck<'a> = &'a (dyn Fn(usize) -> Option<Box<FileFacts>> + Sync);

/// One file of a shard: its corpus facts and its suppressions, each if it has them.
#[derive(serde::Serialize, serde::Deserialize)]
struct ShardFile {
    facts: Option<Box<FileFacts>>,
    suppressions: Option<Box<Suppressions>>,
    /// In a shard's facts, the hash of the post's bytes as checked: `artlint merge` reads the
    /// post again where it runs, and refuses one it cannot find or that changed since.
    content_hash: Option<u64>,
}

impl ShardFile {
    /// The file's path, if it hands anything on (a clean file without facts is only counted).
    fn path(&self) -> Option<&Arc<Path>> {
        match (&self.facts, &self.suppressions) {
            (Some(f), _) => Some(f.path()),
            (None, Some(s)) => Some(&s.path),
            (None, None) => None,
        }
    }

    fn with_facts(facts: Box<FileFacts>) -> ShardFile {
        ShardFile {
            facts: Some(facts),
            suppressions: None,
            content_hash: None,
        }
    }
}

impl ShardFacts {
    /// How many files the facts are of.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Put several shards' facts together, in path order (as one run would hold them). A
    /// file in two shards is an error, which names both (each shard comes with its facts
    /// file's name): the shards were not of one split.
    pub fn merge(shards: Vec<(String, ShardFacts)>) -> Result<ShardFacts, String> {
        let mut pruned = corpus::PrunedFiles::default();
        let mut names = Vec::with_capacity(shards.len());
        let mut files = Vec::new();
        for (origin, (name, shard)) in shards.into_iter().enumerate() {
            names.push(name);
            files.extend(shard.files.into_iter().map(|file| (origin, file)));
            pruned.extend(shard.pruned);
        }
        files.sort_by(|(_, a), (_, b)| a.path().cmp(&b.path()));
        let twice = files
            .windows(2)
            .find(|w| w[0].1.path().is_some() && w[0].1.path() == w[1].1.path());
        if let Some([(first, file), (second, _)]) = twice
            && let Some(path) = file.path()
        {
            return Err(format!(
                "{} is in two facts files, {} and {}",
                path.display(),
                names[*first],
                names[*second]
            ));
        }
        let files = files.into_iter().map(|(_, file)| file).collect();
        Ok(ShardFacts {
            files,
            indices: Vec::new(),
            cached: Vec::new(),
            spilled: None,
            pruned,
        })
    }

    /// Each post named here with the hash of its bytes as its shard checked them (none if
    /// the shard could not tell: a fix it could not write).
    pub fn posts(&self) -> impl Iterator<Item = (&Arc<Path>, Option<u64>)> {
        self.files
            .iter()
            .filter_map(|file| Some((file.path()?, file.content_hash)))
    }

    /// Count every key of the facts held here, and each file's path (a file met twice keeps
    /// its entry, so that [`ShardFacts::merge`] still finds a file in two shards): the first
    /// of a merge's two passes over the facts files, each read alone.
    pub fn count_keys(&self, sketch: &corpus::spill::Sketch) {
        for file in &self.files {
            if let Some(path) = file.path() {
                sketch.insert(corpus::path_key(path));
            }
            if let Some(facts) = &file.facts {
                sketch.insert_keys_of(facts);
            }
        }
    }

    /// Then (a merge's second pass, over facts read from a file) drop what no other file
    /// shares, as the spill's read-back does (see [`FileFacts::prune`]); a file left with
    /// nothing is counted, and kept only for its suppressions if it has some.
    pub fn prune(&mut self, sketch: &corpus::spill::Sketch) {
        let pruned = &mut self.pruned;
        self.files.retain_mut(|file| {
            let Some(f) = &mut file.facts else {
                return file.suppressions.is_some();
            };
            let met_twice = sketch.maybe_shared(corpus::path_key(f.path()));
            if f.prune(sketch) || met_twice {
                return true;
            }
            pruned.add(f);
            file.facts = None;
            file.suppressions.is_some()
        });
        self.files.shrink_to_fit();
    }

    /// The cross-file findings of all these files, suppressed, with the suppressions' own
    /// reports (unused, unknown code): what a single run adds to the files' own findings,
    /// sorted ([`sort_diagnostics`] merges them with the rest). The cache, when there is one,
    /// keeps the findings that depend on the facts alone. With them, what went wrong on the
    /// way (the run's spilled facts not read back).
    pub fn finish(
        mut self,
        env: &corpus::CorpusEnv,
        cache: Option<&crate::cache::Cache>,
        recheck: Recheck,
    ) -> (Vec<Diagnostic>, Vec<InternalError>) {
        let mut clock = std::time::Instant::now();
        let kept = cache.and_then(|c| c.cross_file_findings(env.snippets));
        // What the cache holds encoded: every file's facts if the cross-file findings must be
        // worked out again, else only those the checks that run every time read.
        let load_error = self.load_cached(cache, env.snippets, recheck, |s| {
            kept.is_none() || s.read_every_run
        });
        crate::timings::lap("decode stored facts", &mut clock);
        let (pruned, spill_error) = self.read_back_spilled();
        let spill_error = load_error.or(spill_error);
        crate::timings::lap("read back spilled facts, prune", &mut clock);
        if let Some(error) = spill_error {
            // Without some files' facts every cross-file finding may be wrong (a folder's
            // counts too), and suppressions they would use may look unused: none is reported,
            // none kept in the cache.
            return (Vec::new(), vec![error]);
        }
        // The facts stay boxed where the files' checks left them: the corpus pass reads them
        // in place, not copied into one long list.
        let mut facts = Vec::with_capacity(self.files.iter().filter(|f| f.facts.is_some()).count());
        let mut suppressions = Vec::new();
        for file in self.files {
            facts.extend(file.facts);
            suppressions.extend(file.suppressions.map(|s| *s));
        }
        let mut diagnostics = match kept {
            Some(kept) => kept,
            None => {
                let mut found = corpus::cross_file(&facts, &pruned, env);
                // Kept sorted: a warm run then only merges them with the files' findings.
                sort_diagnostics(&mut found);
                if let Some(cache) = cache {
                    cache.keep_cross_file_findings(env.snippets, &found);
                }
                found
            }
        };
        crate::timings::lap("cross-file rules", &mut clock);
        diagnostics.extend(corpus::outside_world(&facts, env));
        crate::timings::lap("local and online images", &mut clock);
        apply_suppressions(&mut diagnostics, suppressions);
        drop(facts);
        crate::timings::lap("suppress cross-file findings, free the facts", &mut clock);
        // The cross-file findings are in order: what the images and suppressions added is
        // sorted and merged in.
        sort_diagnostics(&mut diagnostics);
        crate::timings::lap("sort cross-file findings", &mut clock);
        (diagnostics, Vec::new())
    }

    /// Put the spilled facts back in their files' places, pruned of what no other file shares
    /// (those decoded from the cache were, as they were decoded); the files left with nothing
    /// are only counted.
    fn read_back_spilled(&mut self) -> (corpus::PrunedFiles, Option<InternalError>) {
        let mut pruned = std::mem::take(&mut self.pruned);
        let Some(spill) = self.spilled.take() else {
            return (pruned, None);
        };
        // The facts decoded from the cache were counted and pruned as they were decoded
        // (`load_cached`); the checked files' facts were counted as they were spilled.
        let error = match spill.read_back() {
            Ok(mut read) => {
                read.kept.sort_unstable_by_key(|(index, _)| *index);
                self.put_in_place(read.kept);
                pruned.extend(read.pruned);
                None
            }
            Err(e) => Some(InternalError {
                path: Arc::from(std::env::temp_dir()),
                message: format!("{e}; no cross-file finding is reported"),
            }),
        };
        (pruned, error)
    }

    /// Put facts (read back from the spill, or decoded from the cache) with the files' other
    /// outcomes (suppressions, other facts), all in the targets' order. `kept` is sorted by
    /// index.
    fn put_in_place(&mut self, kept: Vec<(usize, Box<FileFacts>)>) {
        if kept.is_empty() {
            return;
        }
        let files = std::mem::take(&mut self.files);
        let indices = std::mem::take(&mut self.indices);
        let mut merged: Vec<ShardFile> = Vec::with_capacity(files.len() + kept.len());
        let mut merged_indices = Vec::with_capacity(merged.capacity());
        let mut kept = kept.into_iter().peekable();
        for (index, mut file) in indices.into_iter().zip(files) {
            while let Some((k, facts)) = kept.next_if(|(k, _)| *k < index) {
                merged.push(ShardFile::with_facts(facts));
                merged_indices.push(k);
            }
            // A file with suppressions: its facts went to the spill, or are in the cache.
            if let Some((_, facts)) = kept.next_if(|(k, _)| *k == index) {
                file.facts = Some(facts);
            }
            merged.push(file);
            merged_indices.push(index);
        }
        for (k, facts) in kept {
            merged.push(ShardFile::with_facts(facts));
            merged_indices.push(k);
        }
        self.files = merged;
        self.indices = merged_indices;
    }

    /// Decode the facts the cache holds that `wanted` says (the others are no longer needed),
    /// and put them in their files' places. In a run that spilled its facts, in two passes, as
    /// a merge reads facts files: every key counted in the spill's sketch first, then each
    /// file's facts pruned of what no other file shares as they are decoded again, so that the
    /// facts of a corpus taken from the cache are never all held at once. Facts the cache
    /// holds damaged are the file's facts checked again (the cache then forgets them).
    fn load_cached(
        &mut self,
        cache: Option<&crate::cache::Cache>,
        snippets: bool,
        recheck: Recheck,
        wanted: impl Fn(&crate::cache::StoredFacts) -> bool + Sync,
    ) -> Option<InternalError> {
        let mut cached = std::mem::take(&mut self.cached);
        let cache = cache?;
        cached.retain(|c| wanted(&c.stored));
        // In the order of their bytes in the cache file, a chunk at a time, each stretch let go
        // of once read: the run never holds the whole file.
        cached.sort_by_cached_key(|c| cache.facts_offset(c.stored));
        const CHUNK: usize = 4096;
        let decode = |c: &CachedFacts| cache.facts(c.stored, snippets);
        let sketch = self.spilled.as_ref().map(|s| s.sketch());
        // Files checked again (their cache entry damaged), by index, with their facts (none
        // if the file is gone or unreadable since it was checked).
        let mut rechecked: Vec<(usize, Option<Box<FileFacts>>)> = Vec::new();
        if let Some(sketch) = sketch {
            for chunk in cached.chunks(CHUNK) {
                rechecked.par_extend(chunk.par_iter().filter_map(|c| match decode(c) {
                    Some(facts) => {
                        sketch.insert_keys_of(&facts);
                        None
                    }
                    None => {
                        let facts = recheck(c.index);
                        if let Some(facts) = &facts {
                            sketch.insert_keys_of(facts);
                        }
                        Some((c.index, facts))
                    }
                }));
                cache.release_pages();
            }
            rechecked.sort_unstable_by_key(|(index, _)| *index);
        }
        let mut loaded: Vec<(usize, Box<FileFacts>)> = Vec::new();
        let mut damaged = false;
        // The facts pruned to nothing are counted, not held.
        for chunk in cached.chunks(CHUNK) {
            let decoded: Vec<(usize, Option<Box<FileFacts>>, bool)> = chunk
                .par_iter()
                .filter(|c| {
                    rechecked
                        .binary_search_by_key(&c.index, |(i, _)| *i)
                        .is_err()
                })
                .map(|c| match (decode(c), sketch) {
                    (Some(mut facts), Some(sketch)) => {
                        let keep = facts.prune(sketch);
                        (c.index, Some(facts), keep)
                    }
                    (Some(facts), None) => (c.index, Some(facts), true),
                    // Decoded in the first pass, not in this one: never seen.
                    (None, Some(_)) => (c.index, None, false),
                    (None, None) => {
                        let facts = recheck(c.index);
                        if facts.is_none() {
                            cache.keep_no_cross_file_findings();
                        }
                        (c.index, facts, true)
                    }
                })
                .collect();
            cache.release_pages();
            for (index, facts, keep) in decoded {
                match facts {
                    Some(facts) if keep => loaded.push((index, facts)),
                    Some(facts) => self.pruned.add(&facts),
                    None => damaged |= sketch.is_some(),
                }
            }
        }
        // A damaged file gone since it was checked: the cross-file findings are worked out
        // without it, and not kept.
        if rechecked.iter().any(|(_, facts)| facts.is_none()) {
            cache.keep_no_cross_file_findings();
        }
        loaded.extend(
            rechecked
                .into_iter()
                .filter_map(|(index, facts)| Some((index, facts?))),
        );
        loaded.sort_unstable_by_key(|(index, _)| *index);
        self.put_in_place(loaded);
        damaged.then(|| InternalError {
            path: Arc::from(std::path::Path::new(".")),
            message: "facts the cache holds changed while they were read; no cross-file \
                      finding is reported"
                .into(),
        })
    }
}

/// How a run ends: with the corpus pass (a whole corpus), or handing the facts on (a shard).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum RunScope {
    Whole,
    Shard,
}

/// How [`run_with`] runs, besides the options of each file's check.
#[derive(Clone, Copy)]
pub struct RunWith<'a> {
    /// Take outcomes from (and give them to) this cache.
    pub cache: Option<&'a crate::cache::Cache>,
    pub scope: RunScope,
    /// Count each file checked, and its findings, here as it goes.
    pub progress: Option<&'a Progress>,
    /// From this many files, a whole run hands the facts to the corpus pass through a
    /// [`corpus::spill::Spill`] (bounded memory), not held as checked.
    pub spill_facts_from: usize,
    /// The size of the spill's sketch, as 2^n slots of 16 bytes (tests make it small, to see
    /// its false "maybe shared" change nothing).
    pub spill_sketch_slots: u32,
}

/// From this many files on, a whole run spills its facts: below it, holding them costs less
/// memory than the spill's fixed 4 MB sketch (a file's facts take about half a kilobyte), and
/// no time goes to encoding them.
pub const SPILL_FACTS_FROM: usize = 8192;

impl Default for RunWith<'_> {
    fn default() -> Self {
        RunWith {
            cache: None,
            scope: RunScope::Whole,
            progress: None,
            spill_facts_from: SPILL_FACTS_FROM,
            spill_sketch_slots: corpus::spill::SKETCH_SLOTS,
        }
    }
}

/// Lint every target, through the cache when there is one. Each file's suppressions are applied
/// to its own findings at once; a whole run then runs the corpus pass as a merge of one shard
/// would, and a shard returns the facts the merge needs instead (it reports no unused
/// suppression: a corpus finding may use it).
pub fn run_with(
    targets: &Targets,
    options: CheckOptions,
    env: &corpus::CorpusEnv,
    with: RunWith,
) -> (RunResult, Option<ShardFacts>) {
    let RunWith {
        cache,
        scope,
        progress,
        spill_facts_from,
        spill_sketch_slots,
    } = with;
    let mut clock = std::time::Instant::now();
    let options = CheckOptions {
        content_hash: scope == RunScope::Shard,
        ..options
    };
    let spill = (scope == RunScope::Whole && targets.len() >= spill_facts_from)
        .then(|| corpus::spill::Spill::new(corpus::spill::Sketch::with_slots(spill_sketch_slots)));
    // A file whose facts the cache holds damaged is checked again, for its facts.
    let recheck = |index: usize| {
        targets
            .get(index)
            .and_then(|target| check_target(&target, options).facts)
    };
    let (mut outcomes, mut cached): (Vec<(usize, FileOutcome)>, Vec<CachedFacts>) = targets
        .par_iter()
        .enumerate()
        .filter_map(|(index, target)| {
            let mut outcome = match cache {
                Some(cache) => cache.check(&target, options),
                None => check_target(&target, options),
            };
            if let Some(progress) = progress {
                progress.file_checked(outcome.diagnostics.len());
            }
            if let Some(spill) = &spill
                && let Some(facts) = outcome.facts.take()
            {
                spill.push(index, facts);
            }
            // A whole run keeps only what it will report or hand to the corpus pass: a clean
            // file whose facts were spilled leaves nothing, one taken from the cache only where
            // its facts are. (A shard's facts list every file.)
            if scope == RunScope::Whole
                && outcome.holds_only_stored_facts()
                && let Some(stored) = outcome.stored_facts
            {
                return Some(rayon::iter::Either::Right(CachedFacts { index, stored }));
            }
            (scope == RunScope::Shard || !outcome.is_empty())
                .then_some(rayon::iter::Either::Left((index, outcome)))
        })
        .partition_map(|either| either);
    crate::timings::lap("check files", &mut clock);
    // In the targets' order (the folds below and the corpus pass rely on it).
    outcomes.sort_unstable_by_key(|(index, _)| *index);
    let mut result = RunResult {
        files_checked: targets.len(),
        ..RunResult::default()
    };
    let mut files = Vec::with_capacity(outcomes.len());
    let mut indices = Vec::with_capacity(outcomes.len());
    result
        .diagnostics
        .reserve_exact(outcomes.iter().map(|(_, o)| o.diagnostics.len()).sum());
    for (index, mut outcome) in outcomes {
        if let Some(s) = &mut outcome.suppressions {
            suppress::apply(&mut outcome.diagnostics, &mut s.list);
        }
        result.diagnostics.extend(outcome.diagnostics);
        result
            .internal_errors
            .extend(outcome.internal_error.map(|e| *e));
        result.fixed.extend(outcome.fixed.map(|f| *f));
        cached.extend(
            outcome
                .stored_facts
                .map(|stored| CachedFacts { index, stored }),
        );
        let hands_on = outcome.facts.is_some() || outcome.suppressions.is_some();
        if hands_on || scope == RunScope::Shard {
            files.push(ShardFile {
                facts: outcome.facts,
                suppressions: outcome.suppressions,
                content_hash: outcome.content_hash,
            });
            indices.push(index);
        }
    }
    let mut facts = ShardFacts {
        files,
        indices,
        cached,
        spilled: spill,
        pruned: corpus::PrunedFiles::default(),
    };
    crate::timings::lap("fold outcomes", &mut clock);
    let shard = match scope {
        RunScope::Shard => {
            // A shard hands every file's facts on.
            if let Some(error) = facts.load_cached(cache, options.snippets, &recheck, |_| true) {
                result.internal_errors.push(error);
            }
            Some(facts)
        }
        RunScope::Whole => {
            let (diagnostics, internal_errors) = facts.finish(env, cache, &recheck);
            result.diagnostics.extend(diagnostics);
            result.internal_errors.extend(internal_errors);
            // The corpus pass timed its own stages: the sort's lap starts here.
            clock = std::time::Instant::now();
            None
        }
    };
    sort_diagnostics(&mut result.diagnostics);
    crate::timings::lap("sort findings", &mut clock);
    (result, shard)
}

/// Load and check one file (before the corpus pass).
pub fn check_target(target: &Target, options: CheckOptions) -> FileOutcome {
    let config = &target.config;
    let bytes = match &target.problem {
        Some(problem) => Err((**problem).clone()),
        None => source::read_capped(&target.path, config.max_file_size),
    };
    let read_hash = bytes
        .as_deref()
        .ok()
        .filter(|_| options.content_hash)
        .map(crate::cache::hash_bytes);
    let mut outcome = check_loaded(
        target.path.clone(),
        bytes.and_then(source::decode),
        config,
        options,
    );
    outcome.settle_content_hash(read_hash);
    outcome
}

/// Check one file whose text is already in memory (an editor's buffer) as [`check_target`]
/// checks it on disk: same size cap, decoding, rules and facts. With `options.fix` on, fixes
/// are written to `path`, as for a file on disk.
pub fn check_text(
    path: Arc<Path>,
    text: String,
    config: &Config,
    options: CheckOptions,
) -> FileOutcome {
    let size = text.len() as u64;
    let loaded = if size > config.max_file_size {
        Err(source::SkipReason::TooLarge {
            size,
            limit: config.max_file_size,
        })
    } else {
        source::decode(text.into_bytes())
    };
    check_loaded(path, loaded, config, options)
}

pub fn check_loaded(
    path: Arc<Path>,
    loaded: Result<source::LoadedSource, source::SkipReason>,
    config: &Config,
    options: CheckOptions,
) -> FileOutcome {
    let doc = match loaded {
        Ok(loaded) => Document::parse(path.clone(), loaded),
        Err(reason) => Document::skipped(path.clone(), reason),
    };
    let doc = doc.with_html_mode(config.html_mode);
    let rules = config.rules_for(&path);
    let checked = panic::catch_unwind(AssertUnwindSafe(|| {
        let (doc, diagnostics, fixed) = fix_loop(doc, config, &rules, options);
        let facts = corpus::collect(&doc, config, &rules, options, &diagnostics).map(Box::new);
        let suppressions = file_suppressions(&doc, config, &rules);
        // A fixed file is its fixed text on disk (a fixable file's text is its bytes).
        let fixed_hash = fixed
            .as_ref()
            .filter(|f| options.content_hash && f.diff.is_none() && f.error.is_none())
            .map(|_| crate::cache::hash_bytes(doc.text.as_bytes()));
        (
            diagnostics,
            facts,
            fixed,
            suppressions,
            doc.body.start,
            fixed_hash,
        )
    }));
    match checked {
        Ok((mut diagnostics, facts, fixed, suppressions, body_start, content_hash)) => {
            FileOutcome {
                diagnostics: {
                    // In report order already (one path: place, code, message), so that the report
                    // sort finds the files' findings sorted and only merges in the corpus pass's.
                    diagnostics.sort_by(place_order);
                    // Kept until the report: no spare capacity.
                    diagnostics.shrink_to_fit();
                    diagnostics
                },
                facts,
                stored_facts: None,
                internal_error: None,
                fixed: fixed.map(Box::new),
                suppressions: suppressions.map(Box::new),
                body_start,
                content_hash,
            }
        }
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a rule panicked".into());
            FileOutcome {
                diagnostics: Vec::new(),
                facts: None,
                stored_facts: None,
                internal_error: Some(Box::new(InternalError { path, message })),
                fixed: None,
                suppressions: None,
                body_start: 0,
                content_hash: None,
            }
        }
    }
}

fn file_suppressions(
    doc: &Document,
    config: &Config,
    rules: &[ActiveRule],
) -> Option<Suppressions> {
    let list = suppress::parse(doc);
    if list.is_empty() {
        return None;
    }
    let severity_of = |code: &str| {
        rules
            .iter()
            .find(|a| a.rule.meta().code == code)
            .map(|a| a.severity)
    };
    let known = list
        .iter()
        .flat_map(|s| s.selectors.iter())
        .map(|sel| {
            crate::rules::registry()
                .iter()
                .chain(&config.pack_rules)
                .any(|r| r.meta().matches(sel))
        })
        .collect();
    let judged = list
        .iter()
        .map(|s| {
            s.selectors.is_empty()
                || rules
                    .iter()
                    .any(|a| s.selectors.iter().any(|sel| a.rule.meta().matches(sel)))
        })
        .collect();
    Some(Suppressions {
        path: doc.path.clone(),
        list,
        unused: severity_of("ART001"),
        unknown: severity_of("ART002"),
        known,
        judged,
    })
}

/// Drop suppressed findings, then report unused suppressions and unknown codes.
fn apply_suppressions(diagnostics: &mut Vec<Diagnostic>, files: Vec<Suppressions>) {
    if files.is_empty() {
        return;
    }
    let mut by_path: std::collections::HashMap<Arc<Path>, Vec<Diagnostic>> =
        std::collections::HashMap::new();
    let paths: std::collections::HashSet<Arc<Path>> =
        files.iter().map(|f| f.path.clone()).collect();
    let mut kept = Vec::with_capacity(diagnostics.len());
    for d in diagnostics.drain(..) {
        if paths.contains(&d.path) {
            by_path.entry(d.path.clone()).or_default().push(d);
        } else {
            kept.push(d);
        }
    }
    for mut file in files {
        let mut own = by_path.remove(&file.path).unwrap_or_default();
        suppress::apply(&mut own, &mut file.list);
        kept.extend(own);
        let mut known = file.known.iter();
        for (s, judged) in file.list.iter().zip(&file.judged) {
            let meta = |rule: &'static dyn crate::rules::Rule| rule.meta();
            let make = |rule: &'static RuleMeta,
                        severity: Severity,
                        message: String,
                        help: &str| Diagnostic {
                fingerprint: crate::baseline::fingerprint(rule.code, "", "", &message),
                rule,
                severity,
                path: file.path.clone(),
                span: s.span.clone(),
                start: s.start,
                end: s.end,
                message,
                labels: Vec::new(),
                help: Some(help.to_string()),
                fix: None,
                snippet: None,
            };
            for selector in &s.selectors {
                if known.next() == Some(&false)
                    && let Some(severity) = file.unknown
                {
                    let names = crate::rules::registry()
                        .iter()
                        .flat_map(|r| [r.meta().code, r.meta().name]);
                    let help = match crate::suggest::did_you_mean(selector, names) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => "`artlint rules` lists the codes and names".into(),
                    };
                    kept.push(make(
                        meta(&crate::rules::meta::UnknownSuppressionCode),
                        severity,
                        format!("`{selector}` names no rule"),
                        &help,
                    ));
                }
            }
            if !s.used
                && *judged
                && let Some(severity) = file.unused
            {
                kept.push(make(
                    meta(&crate::rules::meta::UnusedSuppression),
                    severity,
                    "this suppression suppresses nothing".into(),
                    "delete it: the finding it was written for is gone",
                ));
            }
        }
    }
    *diagnostics = kept;
}

/// Lint, and with `--fix` apply fixes and lint again until nothing changes (bounded). Returns
/// the final document, its diagnostics, and what was fixed. Only plain UTF-8 files are fixed:
/// for them the text is the file, byte for byte.
fn fix_loop(
    doc: Document,
    config: &Config,
    rules: &[ActiveRule],
    options: CheckOptions,
) -> (Document, Vec<Diagnostic>, Option<FixedFile>) {
    let mut diagnostics = check_document(&doc, config, rules, options);
    let fixable_file = doc.skipped.is_none()
        && doc.encoding.invalid_utf8.is_none()
        && !matches!(
            doc.encoding.bom,
            Some(crate::source::Bom::Utf16Le | crate::source::Bom::Utf16Be)
        );
    if !fixable_file {
        // Its text is not its bytes (GBK, UTF-16, invalid UTF-8): fixes could not be written
        // exactly, so none is offered.
        for d in &mut diagnostics {
            d.fix = None;
        }
        return (doc, diagnostics, None);
    }
    if options.fix == FixMode::Off {
        return (doc, diagnostics, None);
    }
    let original = doc.text.clone();
    let mut doc = doc;
    let mut applied = 0;
    for _ in 0..MAX_FIX_PASSES {
        // A suppressed finding is not fixed either.
        let mut fixable = diagnostics.clone();
        suppress::apply(&mut fixable, &mut suppress::parse(&doc));
        let (text, count) = fix::apply(&doc.text, &fixable, options.fix);
        if count == 0 || text == doc.text {
            break;
        }
        applied += count;
        doc = reparsed(&doc, text, config);
        diagnostics = check_document(&doc, config, rules, options);
    }
    if applied == 0 {
        return (doc, diagnostics, None);
    }
    let mut fixed = FixedFile {
        path: doc.path.clone(),
        fixes: applied,
        diff: None,
        error: None,
    };
    if options.diff_only {
        fixed.diff = Some(fix::unified_diff(&doc.path, &original, &doc.text));
    } else if let Err(e) = fix::write_atomically(&doc.path, &original, &doc.text) {
        fixed.error = Some(e.to_string());
        // Not written: the file on disk is what the report shows, its findings still to fix,
        // not the fixed text's (which could say "All checks passed" of a file left as it was).
        doc = reparsed(&doc, original, config);
        diagnostics = check_document(&doc, config, rules, options);
    }
    (doc, diagnostics, Some(fixed))
}

/// `doc` with another text (fixed, or the original again), read as `doc` was.
fn reparsed(doc: &Document, text: String, config: &Config) -> Document {
    let encoding = doc.encoding.clone();
    Document::parse(doc.path.clone(), source::LoadedSource { text, encoding })
        .with_html_mode(config.html_mode)
}

/// Run `rules` on one parsed document. Skipped documents get only the file-level rules.
pub fn check_document(
    doc: &Document,
    config: &Config,
    rules: &[ActiveRule],
    options: CheckOptions,
) -> Vec<Diagnostic> {
    let dir = crate::discover::folder_of(&doc.path);
    let preset = config.preset_for(dir);
    let mut out = Vec::new();
    for active in rules {
        let meta = active.rule.meta();
        if (doc.skipped.is_some()) != (meta.family == Family::Io) {
            continue;
        }
        let mut cx = Context::new(preset, config, &active.options);
        active.rule.check(doc, &mut cx);
        out.extend(
            cx.into_findings()
                .into_iter()
                .map(|finding| to_diagnostic(doc, active, finding, options)),
        );
    }
    prefer_specific_packs(&mut out);
    out
}

/// Where a generic pack entry and a site pack's entry flag the same span (`<!-- 总声明-->` is
/// both an HTML comment and a Sina marker), only the site's is kept: it says more. Site packs
/// number their codes from BP100.
fn prefer_specific_packs(diagnostics: &mut Vec<Diagnostic>) {
    let boilerplate = |d: &Diagnostic| d.rule.family == Family::Boilerplate;
    if diagnostics.iter().filter(|d| boilerplate(d)).count() < 2 {
        return;
    }
    let best: std::collections::HashMap<(usize, usize), &'static str> = diagnostics
        .iter()
        .filter(|d| boilerplate(d))
        .fold(std::collections::HashMap::new(), |mut best, d| {
            let entry = best
                .entry((d.span.start, d.span.end))
                .or_insert(d.rule.code);
            if d.rule.code.len() > entry.len()
                || (d.rule.code.len() == entry.len() && d.rule.code > *entry)
            {
                *entry = d.rule.code;
            }
            best
        });
    diagnostics
        .retain(|d| !boilerplate(d) || best.get(&(d.span.start, d.span.end)) == Some(&d.rule.code));
}

fn to_diagnostic(
    doc: &Document,
    active: &ActiveRule,
    finding: Finding,
    options: CheckOptions,
) -> Diagnostic {
    let Finding {
        span,
        message,
        labels,
        help,
        fix,
    } = finding;
    let start = doc.lines().position(&doc.text, span.start);
    let end = doc.lines().position(&doc.text, span.end.max(span.start));
    let snippet = options.snippets.then(|| snippet(doc, &span, &labels));
    let line_text = neighbourhood(doc, &span);
    let fingerprint = crate::baseline::fingerprint(
        active.rule.meta().code,
        doc.slice(&span),
        line_text,
        &message,
    );
    Diagnostic {
        fingerprint,
        rule: active.rule.meta(),
        severity: active.severity,
        path: doc.path.clone(),
        span,
        start,
        end,
        message,
        labels,
        help,
        fix: fix.map(Box::new),
        snippet: snippet.map(Box::new),
    }
}

/// The text around a finding on its line, at most [`NEIGHBOURHOOD_BYTES`] each side: what a
/// baseline fingerprint remembers besides the offending text (bounded, so that a multi-megabyte
/// line with thousands of findings stays linear).
fn neighbourhood<'d>(doc: &'d Document, span: &std::ops::Range<usize>) -> &'d str {
    let lines = doc.lines();
    let line = lines.line_of(span.start);
    let line_start = lines.line_start(line);
    let line_end = lines.line_end(&doc.text, line).max(line_start);
    let floor = |mut at: usize| {
        while !doc.text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let start = floor(
        span.start
            .saturating_sub(NEIGHBOURHOOD_BYTES)
            .max(line_start),
    );
    let end = floor(
        (span.end.max(span.start) + NEIGHBOURHOOD_BYTES)
            .min(line_end)
            .max(start),
    );
    &doc.text[start..end]
}

const NEIGHBOURHOOD_BYTES: usize = 80;

/// Whole lines around the finding and its labels, bounded in count.
pub(crate) fn snippet(
    doc: &Document,
    span: &std::ops::Range<usize>,
    labels: &[crate::diagnostic::Label],
) -> Snippet {
    let lines = doc.lines();
    let lo = labels
        .iter()
        .map(|l| l.span.start)
        .chain([span.start])
        .min()
        .unwrap_or(0);
    let hi = labels
        .iter()
        .map(|l| l.span.end)
        .chain([span.end])
        .max()
        .unwrap_or(0);
    let first = lines.line_of(lo).saturating_sub(SNIPPET_CONTEXT_LINES);
    let last = (lines.line_of(hi) + SNIPPET_CONTEXT_LINES)
        .min(lines.line_count() - 1)
        .min(first + SNIPPET_MAX_LINES);
    let mut start = lines.line_start(first);
    let mut end = lines.line_end(&doc.text, last).max(start);
    // A multi-megabyte line is cut to a window around the finding.
    if end - start > SNIPPET_MAX_BYTES {
        let floor = |mut at: usize| {
            while !doc.text.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        start = floor(lo.saturating_sub(SNIPPET_MAX_BYTES / 4).max(start));
        end = floor(
            (hi + SNIPPET_MAX_BYTES / 4)
                .min(end)
                .min(start + SNIPPET_MAX_BYTES)
                .max(start),
        );
    }
    Snippet {
        text: doc.text[start..end].to_string(),
        offset: start,
        first_line: u32::try_from(lines.line_of(start) + 1).unwrap_or(u32::MAX),
        first_column: doc.lines().position(&doc.text, start).column,
    }
}

#[cfg(test)]
mod tests {
    use super::{permute, sort_diagnostics};
    use crate::diagnostic::Diagnostic;
    use crate::position::Position;
    use std::path::Path;
    use std::sync::Arc;

    fn finding(path: &Arc<Path>, line: u32, code: &str, message: &str) -> Diagnostic {
        let at = Position {
            line,
            column: 1,
            offset: 0,
        };
        Diagnostic {
            rule: crate::rules::find_meta(code).expect("a rule"),
            severity: crate::diagnostic::Severity::Warning,
            path: path.clone(),
            span: 0..0,
            start: at,
            end: at,
            message: message.to_string(),
            labels: Vec::new(),
            help: None,
            fix: None,
            snippet: None,
            fingerprint: 0,
        }
    }

    #[test]
    fn findings_read_back_share_their_file_path() {
        let a: Arc<Path> = Arc::from(Path::new("posts/a.md"));
        let b: Arc<Path> = Arc::from(Path::new("posts/b.md"));
        let found: Vec<Diagnostic> = [(&a, 1), (&a, 2), (&b, 1), (&b, 3), (&a, 4)]
            .into_iter()
            .map(|(path, line)| finding(path, line, "FM001", "x"))
            .collect();
        let bytes = postcard::to_allocvec(&found).unwrap();
        // The file about to be decoded: its findings take that very allocation.
        let target: Arc<Path> = Arc::from(Path::new("posts/a.md"));
        crate::diagnostic::shared_path::expect(&target);
        let read: Vec<Diagnostic> = postcard::from_bytes(&bytes).unwrap();
        let lines = |list: &[Diagnostic]| {
            list.iter()
                .map(|d| (d.path.to_path_buf(), d.start.line))
                .collect::<Vec<_>>()
        };
        assert_eq!(lines(&read), lines(&found));
        assert!(Arc::ptr_eq(&read[0].path, &target));
        assert!(Arc::ptr_eq(&read[1].path, &target));
        assert!(Arc::ptr_eq(&read[2].path, &read[3].path));
        assert!(!Arc::ptr_eq(&read[2].path, &target));
        // After another file, the first one's path is a new allocation, equal in text.
        assert!(!Arc::ptr_eq(&read[4].path, &target));
        assert_eq!(read[4].path, target);
    }

    #[test]
    fn findings_sort_by_path_components_line_code_and_message() {
        let a_b: Arc<Path> = Arc::from(Path::new("a/b.md"));
        // The same path behind another allocation (as read back from the cache).
        let a_b_again: Arc<Path> = Arc::from(Path::new("a/b.md"));
        let a_dash: Arc<Path> = Arc::from(Path::new("a-b.md"));
        let mut found = vec![
            finding(&a_dash, 1, "FM001", "x"),
            finding(&a_b, 3, "FM002", "y"),
            finding(&a_b_again, 3, "FM001", "z"),
            finding(&a_b, 1, "FM001", "b"),
            finding(&a_b_again, 1, "FM001", "a"),
        ];
        let mut expected = found.clone();
        expected.sort_by(|x, y| {
            (
                &x.path,
                x.start.line,
                x.start.column,
                x.rule.code,
                &x.message,
            )
                .cmp(&(
                    &y.path,
                    y.start.line,
                    y.start.column,
                    y.rule.code,
                    &y.message,
                ))
        });
        sort_diagnostics(&mut found);
        let order = |list: &[Diagnostic]| -> Vec<String> {
            list.iter()
                .map(|d| {
                    format!(
                        "{}:{} {} {}",
                        d.path.display(),
                        d.start.line,
                        d.rule.code,
                        d.message
                    )
                })
                .collect()
        };
        assert_eq!(order(&found), order(&expected));
        // `a/b.md` before `a-b.md`: components, not bytes.
        assert_eq!(&*found[0].path, Path::new("a/b.md"));
    }

    #[test]
    fn a_sorted_run_with_findings_after_it_sorts_as_a_whole_sort_would() {
        let paths: Vec<Arc<Path>> = [
            "a/b.md", "a-b.md", "a/b.md", "c.md", "a.md", "a//b.md", "./a/c.md",
        ]
        .iter()
        .map(|p| Arc::from(Path::new(p)))
        .collect();
        let codes = ["FM001", "FM002", "IMG010"];
        let messages = ["x", "y"];
        let mut rng = crate::test_rng::Xorshift::new(0x9e37_79b9_7f4a_7c15);
        let mut next = |n| rng.below(n);
        for round in 0..300 {
            let mut found: Vec<Diagnostic> = (0..next(40))
                .map(|_| {
                    let mut d = finding(
                        &paths[next(paths.len())],
                        1 + next(4) as u32,
                        codes[next(codes.len())],
                        messages[next(messages.len())],
                    );
                    d.start.column = 1 + next(3) as u32;
                    d
                })
                .collect();
            // Often a sorted head (as the files' findings come) followed by others.
            let head = next(found.len() + 1);
            if round % 3 != 0 {
                found[..head].sort_by(super::report_order);
            }
            // And often the rest sorted too (the corpus pass's findings come sorted).
            if round % 3 == 1 {
                found[head..].sort_by(super::report_order);
            }
            // Tell equal findings apart by where they came from: stability is checked too.
            for (i, d) in found.iter_mut().enumerate() {
                d.span = i..i;
            }
            let mut expected = found.clone();
            expected.sort_by(|x, y| {
                let key = |d: &Diagnostic| {
                    (
                        d.path.clone(),
                        d.start.line,
                        d.start.column,
                        d.rule.code,
                        d.message.clone(),
                    )
                };
                key(x).cmp(&key(y))
            });
            sort_diagnostics(&mut found);
            let spans = |list: &[Diagnostic]| list.iter().map(|d| d.span.start).collect::<Vec<_>>();
            assert_eq!(spans(&found), spans(&expected), "round {round}");
        }
    }

    #[test]
    fn permute_places_each_item_where_the_permutation_says() {
        // Cycles of several lengths, and fixed points.
        let from = vec![3, 0, 2, 5, 1, 4, 6, 8, 7];
        let items: Vec<char> = "abcdefghi".chars().collect();
        let expected: Vec<char> = from.iter().map(|&i| items[i]).collect();
        let mut permuted = items.clone();
        permute(&mut permuted, from);
        assert_eq!(permuted, expected);
    }
}
