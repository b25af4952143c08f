//! The result cache (`.artlint-cache/results.bin`): per file, what checking it produced (its
//! findings, its corpus facts, its suppressions), keyed by the file's content hash, the
//! effective configuration and artlint's version. A file whose size and modification time are
//! unchanged is not read at all; one that was touched but holds the same text is read and
//! hashed, not parsed. The cross-file findings are kept under a key of every file's facts:
//! reused while no fact changed, worked out again from the stored facts (decoded only then)
//! when one did, so a change in one file updates the cross-file findings of the others. Local
//! images and online URLs are looked up on every run.
//!
//! The file is one compact (postcard) blob, mapped when read and replaced by a rename after
//! the run. A file that cannot be read back (corrupt, another version's, truncated) is ignored
//! and rewritten.

use rustc_hash::FxHashMap as HashMap;
use std::ffi::{OsStr, OsString};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_bytes::ByteBuf;

use crate::config::Config;
use crate::corpus::FileFacts;
use crate::diagnostic::Diagnostic;
use crate::discover::Target;
use crate::engine::{CheckOptions, FileOutcome};
use crate::source;

const FILE_NAME: &str = "results.bin";
/// Bumped when the stored types change shape or what they mean (6: block hashes read a vertical
/// tab as white space; 7: an outcome's facts encoded apart; 8: cross-file findings in chunks;
/// 9: whether an outcome keeps code frames is in its header, not its key; 10: a file's rarer
/// corpus facts boxed together, its title kept as a hash).
const FORMAT: u32 = 10;

/// Cross-file findings per chunk as stored (a corpus of 20,000 posts has some 30,000).
const CROSS_FILE_CHUNK: usize = 2048;

/// artlint's version and a hash of the sources it was built from (see build.rs): a cache or
/// facts file of any other build is foreign.
fn build() -> String {
    format!("{} {}", env!("CARGO_PKG_VERSION"), env!("ARTLINT_BUILD_ID"))
}

/// A file modified this close to the run may be modified again within the same timestamp
/// (git's "racy clean" case): its time is not trusted next run, its content is hashed.
const RACY_WINDOW: std::time::Duration = std::time::Duration::from_secs(2);

/// A CRC-32 of the stored bytes (after them, little-endian), so that a damaged cache is
/// noticed, not decoded and trusted. It is computed as the bytes are written.
struct ChecksumWriter<W> {
    inner: W,
    crc: crc32fast::Hasher,
}

impl<W: std::io::Write> std::io::Write for ChecksumWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.crc.update(&buf[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The file as stored. Each outcome is its own encoded blob: the index is read at once, an
/// outcome is decoded only for the file that needs it (on the worker thread checking it), and
/// kept as bytes when written back. As written, the blobs are borrowed (this run's, or the old
/// file's bytes).
#[derive(Serialize)]
struct StoredOut<'a> {
    format: u32,
    version: String,
    entries: Vec<(&'a Path, Header, &'a serde_bytes::Bytes)>,
    /// The cross-file findings, and the key of the facts they were computed from.
    cross_file: Option<(u64, &'a serde_bytes::Bytes)>,
}

/// [`StoredOut`] as read: the blobs stay in the file's bytes, not copied.
#[derive(Deserialize)]
struct StoredRef<'a> {
    format: u32,
    version: String,
    /// Paths as their text (a `Path` is written as its text: files whose path is not UTF-8 are
    /// not kept).
    #[serde(borrow)]
    entries: Vec<(&'a str, Header, &'a [u8])>,
    #[serde(borrow)]
    cross_file: Option<(u64, &'a [u8])>,
}

/// Where a part of `whole` (borrowed from it by the decoder) lies in it.
fn range_in(whole: &[u8], part: &[u8]) -> Option<std::ops::Range<usize>> {
    let start = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    let end = start.checked_add(part.len())?;
    (end <= whole.len()).then_some(start..end)
}

type Blob = std::ops::Range<usize>;

#[derive(Clone, Copy, Serialize, Deserialize)]
struct Header {
    size: u64,
    /// Zero when it is not to be trusted (see [`RACY_WINDOW`]).
    modified_ns: u128,
    /// Permission bits: a file made unreadable must be checked again.
    mode: u32,
    content_hash: u64,
    /// The configuration the outcome was computed under.
    key: u64,
    /// Whether the outcome keeps code frames (for the human report). One that does serves
    /// every format: a terminal run and a piped one (a hook, CI) share the entry.
    snippets: bool,
}

/// The cache file's bytes: mapped, where the system can (its pages come from the page cache
/// as they are read, none copied or cleared: reading a 37 MB cache into fresh memory was a
/// sixth of a warm run), else read.
enum FileBytes {
    #[cfg(unix)]
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl FileBytes {
    /// The file at `path`, or no bytes if it cannot be read.
    fn of(path: &Path) -> FileBytes {
        #[cfg(unix)]
        if let Ok(file) = std::fs::File::open(path)
            // SAFETY: the mapping is undefined behaviour only if the file changes while it is
            // mapped. artlint never writes the cache file in place: a run replaces it by
            // renaming a new file over it (src/atomic_write.rs), which leaves the mapped one
            // as it was. (A user truncating it by hand during a run would end that run.)
            && let Ok(map) = unsafe { memmap2::Mmap::map(&file) }
        {
            return FileBytes::Mapped(map);
        }
        FileBytes::Read(std::fs::read(path).unwrap_or_default())
    }
}

impl std::ops::Deref for FileBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            #[cfg(unix)]
            FileBytes::Mapped(map) => map,
            FileBytes::Read(bytes) => bytes,
        }
    }
}

/// A file's corpus facts as the cache holds them, encoded, for the corpus pass to decode if it
/// needs them ([`Cache::facts`]).
#[derive(Clone)]
pub struct StoredFacts {
    blob: Blob,
    path: Arc<Path>,
    /// Whether this run keeps code frames (stored facts may have them, for a human report).
    snippets: bool,
    /// Whether the checks that run every time read them (see `FileFacts::read_every_run`).
    pub read_every_run: bool,
}

/// A file this run checked or took from the cache: its header and its outcome.
type FreshEntry = (Arc<Path>, Header, Outcome);

/// An outcome to write back: the stored one, still holding (not copied on a warm run), or one
/// this run encoded.
enum Outcome {
    Stored(Blob),
    Encoded(ByteBuf),
}

/// What the cache knows, and what this run found (written back by [`Cache::save`]).
pub struct Cache {
    dir: PathBuf,
    /// The cache file; stored blobs are ranges of it.
    bytes: FileBytes,
    /// The stored entries: a path (its text, a range of the file), its header and outcome.
    known: Vec<(Blob, Header, Blob)>,
    /// Where each path's entry is in `known`, by a hash of the path's text (discovery gives
    /// each file one spelling). Neither copies a path: a warm run looks up every file.
    index: HashMap<u64, usize>,
    cross_file: Option<(u64, Blob)>,
    /// This run's entries.
    fresh: Mutex<Vec<FreshEntry>>,
    /// Files checked but not kept (a future date, unreadable, a crash), with a hash of their
    /// corpus facts: the cross-file findings depend on them too.
    volatile: Mutex<Vec<(Arc<Path>, u64)>>,
    started: std::time::SystemTime,
    new_cross_file: Mutex<Option<(u64, ByteBuf)>>,
    hits: AtomicUsize,
    /// Whether the cross-file findings cannot be keyed (a fix run).
    unkeyed: AtomicBool,
    /// Whether anything differs from what is stored (a file checked again, a time touched).
    changed: AtomicBool,
    /// [`outcome_key`] per configuration (by address) and folder (by its text): the files of a
    /// folder share it, and working it out (the detected site, formatted) per file cost more
    /// than the lookup.
    keys: Mutex<HashMap<usize, HashMap<OsString, u64>>>,
}

impl Cache {
    /// Open the cache in `dir`. A missing, unreadable or foreign cache is an empty one.
    pub fn open(dir: &Path) -> Cache {
        let mut bytes = FileBytes::of(&dir.join(FILE_NAME));
        // The last 4 bytes are the checksum of the rest.
        let intact = bytes.len() >= 4 && {
            let (payload, sum) = bytes.split_at(bytes.len() - 4);
            sum.try_into().map(u32::from_le_bytes).ok() == Some(crc32fast::hash(payload))
        };
        if !intact {
            bytes = FileBytes::Read(Vec::new());
        }
        let (known, cross_file) = postcard::from_bytes::<StoredRef>(&bytes)
            .ok()
            .filter(|s| s.format == FORMAT && s.version == build())
            .and_then(|s| {
                let known = s
                    .entries
                    .into_iter()
                    .map(|(path, header, blob)| {
                        Some((
                            range_in(&bytes, path.as_bytes())?,
                            header,
                            range_in(&bytes, blob)?,
                        ))
                    })
                    .collect::<Option<Vec<_>>>()?;
                let cross_file = match s.cross_file {
                    Some((key, blob)) => Some((key, range_in(&bytes, blob)?)),
                    None => None,
                };
                Some((known, cross_file))
            })
            .unwrap_or_default();
        let mut index = HashMap::default();
        index.reserve(known.len());
        for (at, (path, ..)) in known.iter().enumerate() {
            // Two paths of one hash (never seen): the second is not found, only checked again.
            index.entry(hash_bytes(&bytes[path.clone()])).or_insert(at);
        }
        Cache {
            dir: dir.to_path_buf(),
            bytes,
            known,
            index,
            cross_file,
            fresh: Mutex::new(Vec::new()),
            new_cross_file: Mutex::new(None),
            hits: AtomicUsize::new(0),
            unkeyed: AtomicBool::new(false),
            volatile: Mutex::new(Vec::new()),
            started: std::time::SystemTime::now(),
            changed: AtomicBool::new(false),
            keys: Mutex::new(HashMap::default()),
        }
    }

    /// The stored entry of `path`, if there is one: its header and outcome.
    fn stored(&self, path: &Path) -> Option<(&Header, &Blob)> {
        let text = path.as_os_str().as_encoded_bytes();
        let (stored_path, header, blob) = self.known.get(*self.index.get(&hash_bytes(text))?)?;
        (self.bytes.get(stored_path.clone())? == text).then_some((header, blob))
    }

    /// How many files this run took from the cache.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    /// Check `target`, or take its outcome from the cache.
    pub fn check(&self, target: &Target, options: CheckOptions) -> FileOutcome {
        if options.fix != crate::fix::FixMode::Off {
            self.unkeyed.store(true, Ordering::Relaxed);
            return crate::engine::check_target(target, options);
        }
        let path = target.path.clone();
        let stat = stat(&target.path).filter(|_| target.problem.is_none());
        let Some((size, modified_ns, mode)) = stat else {
            let outcome = crate::engine::check_target(target, options);
            self.volatile(path, &outcome);
            return outcome;
        };
        let key = self.outcome_key(target);
        let known = self
            .stored(&path)
            .filter(|(h, _)| h.key == key && (h.snippets || !options.snippets));
        // Unchanged size, time and permissions: not even read.
        if let Some((header, blob)) = known.filter(|(h, _)| {
            h.size == size && h.modified_ns == modified_ns && h.modified_ns != 0 && h.mode == mode
        }) && let Some(outcome) = self.decode(blob, target, options)
        {
            self.hits.fetch_add(1, Ordering::Relaxed);
            self.remember(path, *header, Outcome::Stored(blob.clone()));
            return outcome;
        }
        let bytes = match source::read_capped(&target.path, target.config.max_file_size) {
            Ok(bytes) => bytes,
            Err(reason) => {
                let outcome = crate::engine::check_loaded(
                    target.path.clone(),
                    Err(reason),
                    &target.config,
                    options,
                );
                self.volatile(path, &outcome);
                return outcome;
            }
        };
        let racy = self
            .started
            .duration_since(UNIX_EPOCH)
            .is_ok_and(|now| now.as_nanos() < modified_ns + RACY_WINDOW.as_nanos());
        let header = Header {
            size,
            modified_ns: if racy { 0 } else { modified_ns },
            mode,
            // The bytes, not the decoded text: the encoding is part of what is checked.
            content_hash: hash_bytes(&bytes),
            key,
            snippets: options.snippets,
        };
        // Touched but the same bytes: read and hashed, not parsed.
        if let Some((stored, blob)) = known.filter(|(h, _)| {
            h.content_hash == header.content_hash && h.size == header.size && h.mode == mode
        }) && let Some(outcome) = self.decode(blob, target, options)
        {
            self.hits.fetch_add(1, Ordering::Relaxed);
            self.changed.store(true, Ordering::Relaxed);
            // The stored outcome is kept, code frames and all: its header says so.
            let header = Header {
                snippets: stored.snippets,
                ..header
            };
            self.remember(path, header, Outcome::Stored(blob.clone()));
            return outcome;
        }
        let outcome = crate::engine::check_loaded(
            target.path.clone(),
            source::decode(bytes),
            &target.config,
            options,
        );
        match cacheable(&outcome)
            .then(|| outcome.encode_for_cache())
            .flatten()
        {
            Some(mut bytes) => {
                self.changed.store(true, Ordering::Relaxed);
                // Kept until the cache is written: no spare capacity.
                bytes.shrink_to_fit();
                self.remember(path, header, Outcome::Encoded(ByteBuf::from(bytes)));
            }
            None => self.volatile(path, &outcome),
        }
        outcome
    }

    /// A file checked but not kept: its facts still key the cross-file findings.
    fn volatile(&self, path: Arc<Path>, outcome: &FileOutcome) {
        // Without code frames: a human report and a piped one have the same facts.
        let facts = outcome.facts.clone().map(|mut facts| {
            facts.drop_code_frames();
            facts
        });
        let facts = postcard::to_allocvec(&facts).unwrap_or_default();
        if let Ok(mut volatile) = self.volatile.lock() {
            volatile.push((path, hash_bytes(&facts)));
        }
    }

    fn remember(&self, path: Arc<Path>, header: Header, outcome: Outcome) {
        if let Ok(mut fresh) = self.fresh.lock() {
            fresh.push((path, header, outcome));
        }
    }

    /// A hash of every file's facts in this run (after the files are checked), when all of
    /// them are known: with whether code frames are kept ([`facts_key`]), the cross-file
    /// findings are a function of it.
    fn facts_hash(&self) -> Option<u64> {
        if self.unkeyed.load(Ordering::Relaxed) {
            return None;
        }
        // In the order of the paths' bytes (any fixed order does: the key is compared with one
        // this function made).
        fn bytes(path: &Path) -> &[u8] {
            path.as_os_str().as_encoded_bytes()
        }
        let mut fresh = self.fresh.lock().ok()?;
        fresh.sort_unstable_by(|a, b| a.0.as_os_str().cmp(b.0.as_os_str()));
        let mut volatile = self.volatile.lock().ok()?;
        volatile.sort_unstable_by(|a, b| (a.0.as_os_str(), a.1).cmp(&(b.0.as_os_str(), b.1)));
        let mut hasher = std::hash::DefaultHasher::new();
        for (path, header, _) in fresh.iter() {
            (bytes(path), header.content_hash, header.key).hash(&mut hasher);
        }
        for (path, facts) in volatile.iter() {
            (bytes(path), facts).hash(&mut hasher);
        }
        Some(hasher.finish())
    }

    /// The cross-file findings kept from an earlier run with the same facts: with code frames
    /// if `snippets`; kept with them, they also serve a run without (the frames dropped).
    pub fn cross_file_findings(&self, snippets: bool) -> Option<Vec<Diagnostic>> {
        let (stored_key, blob) = self.cross_file.as_ref()?;
        let facts = self.facts_hash()?;
        let with_frames = *stored_key == facts_key(facts, true);
        if !with_frames && (snippets || *stored_key != facts_key(facts, false)) {
            return None;
        }
        let chunks: Vec<&[u8]> = postcard::from_bytes(self.bytes.get(blob.clone())?).ok()?;
        let decoded: Vec<Vec<Diagnostic>> = chunks
            .into_par_iter()
            .map(|chunk| postcard::from_bytes(chunk).ok())
            .collect::<Option<_>>()?;
        let mut findings = Vec::with_capacity(decoded.iter().map(Vec::len).sum());
        for chunk in decoded {
            findings.extend(chunk);
        }
        if !snippets {
            findings.iter_mut().for_each(|d| d.snippet = None);
        }
        Some(findings)
    }

    /// Keep the cross-file findings computed from this run's facts.
    pub fn keep_cross_file_findings(&self, snippets: bool, findings: &[Diagnostic]) {
        let Some(key) = self.facts_hash().map(|facts| facts_key(facts, snippets)) else {
            return;
        };
        // In chunks, encoded apart: a warm run decodes them on every thread.
        let chunks: Result<Vec<Vec<u8>>, _> = findings
            .chunks(CROSS_FILE_CHUNK)
            .map(postcard::to_allocvec)
            .collect();
        let encoded = chunks.and_then(|chunks| {
            let chunks: Vec<&serde_bytes::Bytes> =
                chunks.iter().map(|c| serde_bytes::Bytes::new(c)).collect();
            postcard::to_allocvec(&chunks)
        });
        if let (Ok(mut bytes), Ok(mut slot)) = (encoded, self.new_cross_file.lock()) {
            bytes.shrink_to_fit();
            *slot = Some((key, ByteBuf::from(bytes)));
        }
    }

    /// Write what this run found, atomically, unless nothing changed. Entries of files this
    /// run did not check are kept (a pre-commit run on three posts keeps the rest warm).
    pub fn save(mut self) -> std::io::Result<()> {
        let fresh = std::mem::take(self.fresh.get_mut().unwrap_or_else(|e| e.into_inner()));
        let new_cross_file = self
            .new_cross_file
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if !self.changed.load(Ordering::Relaxed) && new_cross_file.is_none() {
            return Ok(());
        }
        let bytes = &self.bytes;
        let blob_bytes = |blob: &Blob| bytes.get(blob.clone()).map(serde_bytes::Bytes::new);
        // This run's entries, then those of files it did not check, while they exist.
        let checked: std::collections::HashSet<&OsStr> =
            fresh.iter().map(|(p, ..)| p.as_os_str()).collect();
        let mut entries: Vec<(&Path, Header, &serde_bytes::Bytes)> = fresh
            .iter()
            .filter_map(|(path, header, outcome)| {
                let blob = match outcome {
                    Outcome::Stored(blob) => blob_bytes(blob)?,
                    Outcome::Encoded(bytes) => serde_bytes::Bytes::new(bytes),
                };
                Some((&**path, *header, blob))
            })
            .collect();
        entries.extend(
            self.known
                .iter()
                .filter_map(|(path, header, blob)| {
                    let path = std::str::from_utf8(bytes.get(path.clone())?).ok()?;
                    Some((Path::new(path), header, blob))
                })
                .filter(|(path, ..)| !checked.contains(path.as_os_str()) && path.exists())
                .filter_map(|(path, header, blob)| Some((path, *header, blob_bytes(blob)?))),
        );
        entries.sort_by(|a, b| a.0.cmp(b.0));
        let new_cross_file = new_cross_file
            .as_ref()
            .map(|(key, blob)| (*key, serde_bytes::Bytes::new(blob)));
        let contents = StoredOut {
            format: FORMAT,
            version: build(),
            entries,
            cross_file: new_cross_file.or_else(|| {
                let (key, blob) = self.cross_file.as_ref()?;
                Some((*key, blob_bytes(blob)?))
            }),
        };
        if !self.dir.exists() {
            std::fs::create_dir_all(&self.dir)?;
            // A folder artlint made: tell git it is not content.
            std::fs::write(self.dir.join(".gitignore"), "*\n")?;
        }
        // Streamed to the file (no copy of the whole in memory), the checksum after it.
        crate::atomic_write::replace_file(
            &self.dir.join(FILE_NAME),
            crate::atomic_write::Fallback::Refuse,
            |file| {
                let mut out = ChecksumWriter {
                    inner: file,
                    crc: crc32fast::Hasher::new(),
                };
                postcard::to_io(&contents, &mut out).map_err(std::io::Error::other)?;
                let sum = out.crc.clone().finalize();
                std::io::Write::write_all(&mut out.inner, &sum.to_le_bytes())
            },
        )
    }

    fn outcome_key(&self, target: &Target) -> u64 {
        let dir = crate::discover::folder_of(&target.path);
        // The configuration by address: targets share one `Arc` per configuration file.
        let config = Arc::as_ptr(&target.config) as usize;
        let known = |keys: &HashMap<usize, HashMap<OsString, u64>>| {
            keys.get(&config)?.get(dir.as_os_str()).copied()
        };
        if let Some(key) = self.keys.lock().ok().and_then(|keys| known(&keys)) {
            return key;
        }
        let key = outcome_key(&target.config, dir);
        if let Ok(mut keys) = self.keys.lock() {
            keys.entry(config)
                .or_default()
                .insert(dir.as_os_str().to_owned(), key);
        }
        key
    }

    /// The stored outcome of `target`, its paths sharing the target's (one allocation per
    /// file, and one path for the report's sort to rank). Its facts stay encoded; its code
    /// frames are dropped if this run shows none (as a run checking the file would).
    fn decode(&self, blob: &Blob, target: &Target, options: CheckOptions) -> Option<FileOutcome> {
        crate::diagnostic::shared_path::expect(&target.path);
        let (mut outcome, facts) = FileOutcome::decode_from_cache(self.bytes.get(blob.clone())?)?;
        if let Some(facts) = facts {
            outcome.stored_facts = Some(StoredFacts {
                blob: range_in(&self.bytes, facts.bytes)?,
                path: target.path.clone(),
                snippets: options.snippets,
                read_every_run: facts.read_every_run,
            });
        }
        outcome.share_path(&target.path);
        if !options.snippets {
            outcome
                .diagnostics
                .iter_mut()
                .for_each(|d| d.snippet = None);
        }
        Some(outcome)
    }

    /// Decode facts this cache holds. (The whole file's checksum was checked when it was
    /// read: they fail to decode only if artlint wrote them wrong.)
    pub fn facts(&self, stored: &StoredFacts) -> Option<Box<FileFacts>> {
        let mut facts: Box<FileFacts> =
            postcard::from_bytes(self.bytes.get(stored.blob.clone())?).ok()?;
        facts.share_path(&stored.path);
        if !stored.snippets {
            facts.drop_code_frames();
        }
        Some(facts)
    }
}

/// A finding about the present moment (a date in the future) changes with time: such a file
/// is checked again on every run. Crashes and fixes are never kept.
fn cacheable(outcome: &FileOutcome) -> bool {
    outcome.internal_error.is_none()
        && !outcome.was_fixed()
        && !outcome.diagnostics.iter().any(|d| d.rule.code == "DT004")
}

fn stat(path: &Path) -> Option<(u64, u128, u32)> {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    #[cfg(unix)]
    let mode = std::os::unix::fs::PermissionsExt::mode(&meta.permissions());
    #[cfg(not(unix))]
    let mode = u32::from(meta.permissions().readonly());
    Some((meta.len(), modified.as_nanos(), mode))
}

/// The key cross-file findings are kept under: the hash of every file's facts, and whether the
/// findings have code frames.
fn facts_key(facts: u64, snippets: bool) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    (facts, snippets).hash(&mut hasher);
    hasher.finish()
}

/// A file's identity by content (and the index's hash of a path's text): XXH3, many times
/// faster than SipHash over a corpus's bytes (every byte of every changed file goes through it).
fn hash_bytes(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// Everything besides the text that decides a file's outcome: the configuration (and where it
/// lives, since its globs are relative to it), what was detected about the file's folder (its
/// preset and site). (Whether code frames are kept is in the header: see `Header::snippets`.)
fn outcome_key(config: &Config, dir: &Path) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    (
        config.fingerprint,
        &config.path,
        &config.preset_for(dir).name,
        // The site's root is where site-relative images are looked for (an absolute path:
        // a moved checkout is another key).
        format!("{:?}", config.site_for(dir)),
    )
        .hash(&mut hasher);
    hasher.finish()
}

/// A shard's facts file (`--emit-facts`), read back by `artlint merge`.
#[derive(Serialize, Deserialize)]
struct FactsFile {
    format: u32,
    version: String,
    /// Which shard (`K/N`) the facts are of, if the run was one.
    shard: Option<(u64, u64)>,
    facts: crate::engine::ShardFacts,
}

/// Write a shard's facts to `path`.
pub fn write_facts(
    path: &Path,
    shard: Option<(u64, u64)>,
    facts: crate::engine::ShardFacts,
) -> std::io::Result<()> {
    let file = FactsFile {
        format: FORMAT,
        version: build(),
        shard,
        facts,
    };
    crate::atomic_write::replace_file(path, crate::atomic_write::Fallback::Refuse, |out| {
        postcard::to_io(&file, out)
            .map(drop)
            .map_err(std::io::Error::other)
    })
}

/// A facts file as read: its shard, its facts, and a hash of its bytes (a merge reads each file
/// twice, and refuses one that changed in between).
pub struct FactsRead {
    pub shard: Option<(u64, u64)>,
    pub facts: crate::engine::ShardFacts,
    pub hash: u64,
}

/// Read a facts file written by [`write_facts`] (by this version of artlint).
pub fn read_facts(path: &Path) -> Result<FactsRead, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    let file: FactsFile = postcard::from_bytes(&bytes)
        .map_err(|e| format!("not a facts file of this artlint version ({e})"))?;
    if file.format != FORMAT || file.version != build() {
        return Err(format!(
            "written by artlint {}, this is {}: run the shards again",
            file.version,
            build()
        ));
    }
    Ok(FactsRead {
        shard: file.shard,
        facts: file.facts,
        hash,
    })
}

/// Check that facts files make one whole corpus: shards 1 to N of one N, each once (or files
/// of whole runs, which need no check here).
pub fn check_shards(shards: &[Option<(u64, u64)>]) -> Result<(), String> {
    let numbered: Vec<(u64, u64)> = shards.iter().flatten().copied().collect();
    if numbered.is_empty() {
        return Ok(());
    }
    if numbered.len() != shards.len() {
        return Err("some facts files are of shards and some of whole runs".into());
    }
    let n = numbered[0].1;
    if numbered.iter().any(|(_, m)| *m != n) {
        return Err("the facts files are of shards of different N".into());
    }
    let mut ks: Vec<u64> = numbered.iter().map(|(k, _)| *k).collect();
    ks.sort_unstable();
    let expected: Vec<u64> = (1..=n).collect();
    if ks != expected {
        let missing: Vec<String> = expected
            .iter()
            .filter(|k| !ks.contains(k))
            .map(|k| format!("{k}/{n}"))
            .collect();
        let twice: Vec<String> = ks
            .windows(2)
            .filter(|w| w[0] == w[1])
            .map(|w| format!("{}/{n}", w[0]))
            .collect();
        return Err(format!(
            "the shards do not make one corpus (missing: {}; given twice: {})",
            if missing.is_empty() {
                "none".into()
            } else {
                missing.join(", ")
            },
            if twice.is_empty() {
                "none".into()
            } else {
                twice.join(", ")
            },
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::position::Position;

    fn finding(path: &Arc<Path>, line: u32, snippet: bool) -> Diagnostic {
        let at = Position {
            line,
            column: 1,
            offset: 0,
        };
        Diagnostic {
            rule: crate::rules::find_meta("CORPUS001").expect("a rule"),
            severity: crate::diagnostic::Severity::Warning,
            path: path.clone(),
            span: 0..0,
            start: at,
            end: at,
            message: format!("finding {line}"),
            labels: Vec::new(),
            help: None,
            fix: None,
            snippet: snippet.then(|| {
                Box::new(crate::diagnostic::Snippet {
                    text: "title: x\n".into(),
                    offset: 0,
                    first_line: 1,
                    first_column: 1,
                })
            }),
            fingerprint: 0,
        }
    }

    fn lines(findings: &[Diagnostic]) -> Vec<(std::path::PathBuf, u32, bool)> {
        findings
            .iter()
            .map(|d| (d.path.to_path_buf(), d.start.line, d.snippet.is_some()))
            .collect()
    }

    /// More findings than a chunk holds, over several files: read back whole and in order.
    #[test]
    fn cross_file_findings_read_back_in_order_across_chunks() {
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<Arc<Path>> = (0..7)
            .map(|i| Arc::from(Path::new(&format!("posts/{i}.md"))))
            .collect();
        let findings: Vec<Diagnostic> = (0..5 * CROSS_FILE_CHUNK as u32 + 17)
            .map(|n| finding(&paths[n as usize % paths.len()], n, true))
            .collect();
        let cache = Cache::open(dir.path());
        cache.keep_cross_file_findings(true, &findings);
        cache.save().unwrap();
        let cache = Cache::open(dir.path());
        let read = cache.cross_file_findings(true).expect("kept findings");
        assert_eq!(lines(&read), lines(&findings));
        // Kept with code frames, they serve a run without (the frames dropped)...
        let plain = cache.cross_file_findings(false).expect("kept findings");
        assert!(plain.iter().all(|d| d.snippet.is_none()));
        assert_eq!(plain.len(), findings.len());
        // ... but not the other way round.
        let without: Vec<Diagnostic> = findings
            .iter()
            .take(3)
            .cloned()
            .map(|mut d| {
                d.snippet = None;
                d
            })
            .collect();
        cache.keep_cross_file_findings(false, &without);
        cache.save().unwrap();
        let cache = Cache::open(dir.path());
        assert!(cache.cross_file_findings(true).is_none());
        assert_eq!(cache.cross_file_findings(false).map(|f| f.len()), Some(3));
    }
}
