//! The result cache (`.artlint-cache/results.bin`): per file, what checking it produced (its
//! findings, its corpus facts, its suppressions), keyed by the file's content hash, the
//! effective configuration and artlint's version. A file whose size and modification time are
//! unchanged is not read at all; one that was touched but holds the same text is read and
//! hashed, not parsed, as is one kept without code frames by a run that shows them (its frames
//! are made from its text). The cross-file findings are kept under a key of every file's facts:
//! reused while no fact changed, worked out again from the stored facts (decoded only then)
//! when one did, so a change in one file updates the cross-file findings of the others. Local
//! images are looked up on every run, online URLs as their own cache's time to live says.
//!
//! The file is laid out so that a run's memory does not grow with the files it takes from it:
//! the entries' bytes (each file's path, outcome and facts, a "blob") first, then a table of
//! fixed-size records sorted by a hash of the path, then a head (format, version, where the
//! table is, the cross-file findings) and a footer. A run maps the file and reads the table in
//! place (a binary search per file, no index built); a clean file's record says it has no
//! findings, and its blob is not touched unless its facts are needed. Each part has its own
//! checksum (the head, the table, every blob and the cross-file findings, checked when read
//! and before they are copied to a new file): a damaged cache is noticed,
//! not decoded and trusted. What a run checks anew is written, as it goes, to an unnamed
//! temporary file, and only the records of what changed are held. After the run the new file
//! is written beside the old one (blobs copied in order, not held) and renamed over it. A file
//! that cannot be read back (corrupt, another version's, truncated) is ignored and rewritten.

use rustc_hash::FxHashMap as HashMap;
use std::ffi::OsString;
use std::hash::{Hash, Hasher};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::corpus::FileFacts;
use crate::diagnostic::Diagnostic;
use crate::discover::Target;
use crate::engine::{CheckOptions, FileOutcome};
use crate::source;

const FILE_NAME: &str = "results.bin";

/// Cache files kept for runs with command-line overrides (see [`file_name`]); past this many,
/// the least recently used go (a run that changes nothing marks its file used).
const OVERRIDE_FILES_KEPT: usize = 8;

/// The cache file of runs with `cli`'s overrides and the configuration file `config` named on
/// the command line: [`FILE_NAME`] without either, one file per set of them otherwise
/// (`results-<hash>.bin`), so that runs that alternate in one checkout (a hook with
/// `--select BP`, then a whole run) each find their own outcomes, as ruff keeps one cache per
/// set of settings, rather than each replacing the other's. `--now` is left out: a run at
/// another time keeps its file (its entries' keys tell the times apart).
pub fn file_name(cli: &crate::config::CliOverrides, config: Option<&Path>) -> String {
    let overrides = crate::config::CliOverrides {
        now: None,
        ..cli.clone()
    };
    if overrides == crate::config::CliOverrides::default() && config.is_none() {
        return FILE_NAME.to_string();
    }
    let named = format!("{overrides:?} {config:?}");
    format!(
        "results-{:016x}.bin",
        xxhash_rust::xxh3::xxh3_64(named.as_bytes())
    )
}

/// Set the modification time of `path` to now, as `touch` does: on Linux with `UTIME_NOW`,
/// which the file's owner may do even if the file is read-only, where setting a given time
/// needs write access.
fn mark_used(path: &Path) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        if let Ok(file) = std::fs::File::open(path) {
            let now = libc::timespec {
                tv_sec: 0,
                tv_nsec: libc::UTIME_NOW,
            };
            // SAFETY: the descriptor is open for the call, and the array holds the two
            // timespecs (access, modification) futimens reads; a refusal changes nothing.
            unsafe {
                libc::futimens(file.as_raw_fd(), [now, now].as_ptr());
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = std::fs::File::options()
            .append(true)
            .open(path)
            .and_then(|f| f.set_modified(std::time::SystemTime::now()));
    }
}

/// Remove the least recently used override files of `dir` past [`OVERRIDE_FILES_KEPT`], the
/// one this run wrote (`own`) kept whatever its time says (a file system may store times to
/// the second or two, and ties would be a toss-up).
fn prune_override_files(dir: &Path, own: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let mut others: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with("results-") && name.ends_with(".bin") && name != own
        })
        .filter_map(|e| Some((modified(&e.path())?, e.path())))
        .collect();
    let keep = OVERRIDE_FILES_KEPT - 1;
    if others.len() <= keep {
        return;
    }
    others.sort_by_key(|(time, _)| *time);
    for (time, path) in &others[..others.len() - keep] {
        // Not one another run has written or used since it was listed.
        if modified(path) == Some(*time) {
            // Another run may have removed it, or be reading it (its map stays valid on Unix).
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Bumped when the stored types change shape or what they mean (6: block hashes read a vertical
/// tab as white space; 7: an outcome's facts encoded apart; 8: cross-file findings in chunks;
/// 9: whether an outcome keeps code frames is in its header, not its key; 10: a file's rarer
/// corpus facts boxed together, its title kept as a hash; 11: a table of fixed records after
/// the blobs, a clean file's outcome empty; 12: a file's stamp holds its change time and inode
/// besides its modification time; 13: paths stored as their bytes, UTF-8 or not).
pub(crate) const FORMAT: u32 = 13;

/// The last bytes of a cache file (after the head's length and checksum).
const MAGIC: &[u8; 8] = b"artlint\x0b";

/// Cross-file findings per chunk as stored (a corpus of 20,000 posts has some 30,000).
const CROSS_FILE_CHUNK: usize = 2048;

/// artlint's version and a hash of the sources it was built from (see build.rs): a cache or
/// facts file of any other build is foreign.
pub(crate) fn build() -> String {
    format!("{} {}", env!("CARGO_PKG_VERSION"), env!("ARTLINT_BUILD_ID"))
}

/// A file modified this close to the run may be modified again within the same timestamp
/// (git's "racy clean" case): its time is not trusted next run, its content is hashed.
const RACY_WINDOW: std::time::Duration = std::time::Duration::from_secs(2);

/// What the cache knows of a file besides its outcome.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Header {
    size: u64,
    /// The file's [`Stat::stamp`]; zero when it is not to be trusted (see [`RACY_WINDOW`]).
    stamp: u128,
    /// Permission bits: a file made unreadable must be checked again.
    mode: u32,
    content_hash: u64,
    /// The configuration the outcome was computed under.
    key: u64,
    /// Whether the outcome keeps code frames (for the human report). One that does serves
    /// every format: a terminal run and a piped one (a hook, CI) share the entry. One that
    /// does not is framed from the file's text when a run shows frames ([`Cache::frame`]).
    snippets: bool,
}

/// Where a file's blob is: its path's text, its outcome (empty for a file with no finding and
/// no suppression) and its facts, one after the other from `offset`, with a CRC-32 of the
/// three together.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct BlobAt {
    offset: u64,
    path_len: u32,
    outcome_len: u32,
    facts_len: u32,
    crc: u32,
}

impl BlobAt {
    fn len(&self) -> u64 {
        u64::from(self.path_len) + u64::from(self.outcome_len) + u64::from(self.facts_len)
    }
}

/// One file's entry in the table: [`RECORD`] bytes, little-endian, in the order of the fields.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Record {
    /// XXH3-128 of the path's text: what the table is sorted and searched by. (A collision of
    /// two paths in one corpus is not to be expected in the life of the universe.)
    path_hash: u128,
    header: Header,
    body_start: u64,
    /// The file has corpus facts (in its blob), and whether the checks that run every time read
    /// them (`FileFacts::read_every_run`).
    has_facts: bool,
    read_every_run: bool,
    blob: BlobAt,
}

const RECORD: usize = 96;

impl Record {
    fn to_bytes(self) -> [u8; RECORD] {
        let mut out = [0u8; RECORD];
        let flags = u32::from(self.header.snippets)
            | u32::from(self.has_facts) << 1
            | u32::from(self.read_every_run) << 2;
        let mut at = 0;
        let mut put = |bytes: &[u8]| {
            out[at..at + bytes.len()].copy_from_slice(bytes);
            at += bytes.len();
        };
        put(&self.path_hash.to_le_bytes());
        put(&self.header.size.to_le_bytes());
        put(&self.header.stamp.to_le_bytes());
        put(&self.header.mode.to_le_bytes());
        put(&flags.to_le_bytes());
        put(&self.header.content_hash.to_le_bytes());
        put(&self.header.key.to_le_bytes());
        put(&self.body_start.to_le_bytes());
        put(&self.blob.offset.to_le_bytes());
        put(&self.blob.path_len.to_le_bytes());
        put(&self.blob.outcome_len.to_le_bytes());
        put(&self.blob.facts_len.to_le_bytes());
        put(&self.blob.crc.to_le_bytes());
        out
    }

    fn from_bytes(bytes: &[u8; RECORD]) -> Record {
        let mut at = 0;
        let mut take = |n: usize| {
            let part = &bytes[at..at + n];
            at += n;
            part
        };
        fn array<const N: usize>(part: &[u8]) -> [u8; N] {
            let mut out = [0u8; N];
            out.copy_from_slice(part);
            out
        }
        let path_hash = u128::from_le_bytes(array(take(16)));
        let size = u64::from_le_bytes(array(take(8)));
        let stamp = u128::from_le_bytes(array(take(16)));
        let mode = u32::from_le_bytes(array(take(4)));
        let flags = u32::from_le_bytes(array(take(4)));
        let content_hash = u64::from_le_bytes(array(take(8)));
        let key = u64::from_le_bytes(array(take(8)));
        let body_start = u64::from_le_bytes(array(take(8)));
        let offset = u64::from_le_bytes(array(take(8)));
        let path_len = u32::from_le_bytes(array(take(4)));
        let outcome_len = u32::from_le_bytes(array(take(4)));
        let facts_len = u32::from_le_bytes(array(take(4)));
        let crc = u32::from_le_bytes(array(take(4)));
        Record {
            path_hash,
            header: Header {
                size,
                stamp,
                mode,
                content_hash,
                key,
                snippets: flags & 1 != 0,
            },
            body_start,
            has_facts: flags & 2 != 0,
            read_every_run: flags & 4 != 0,
            blob: BlobAt {
                offset,
                path_len,
                outcome_len,
                facts_len,
                crc,
            },
        }
    }
}

/// The head of a cache file (before its length, its checksum and [`MAGIC`]).
#[derive(Serialize, Deserialize)]
struct Head {
    format: u32,
    version: String,
    /// Where the table of records starts, how many records it holds, and their CRC-32.
    records_at: u64,
    records: u64,
    records_crc: u32,
    /// The cross-file findings: the key of the facts they were computed from, where their
    /// bytes are, their length and CRC-32.
    cross_file: Option<(u64, u64, u64, u32)>,
}

/// The cache file's bytes: mapped, where the system can (only the pages a run reads come from
/// the page cache: the table, the blobs of files with findings, the facts the corpus pass
/// decodes; see [`Cache::release_pages`]), else read.
enum FileBytes {
    #[cfg(unix)]
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl FileBytes {
    /// The file at `path` (and the file, opened, for copying blobs out of it without mapping
    /// them in), or no bytes if it cannot be read.
    fn of(path: &Path) -> (FileBytes, Option<std::fs::File>) {
        let Ok(file) = std::fs::File::open(path) else {
            return (FileBytes::Read(Vec::new()), None);
        };
        #[cfg(unix)]
        // SAFETY: the mapping is undefined behaviour only if the file changes while it is
        // mapped. artlint never writes the cache file in place: a run replaces it by renaming a
        // new file over it (src/atomic_write.rs), which leaves the mapped one as it was. (A
        // user truncating it by hand during a run would end that run.)
        if let Ok(map) = unsafe { memmap2::Mmap::map(&file) } {
            return (FileBytes::Mapped(map), Some(file));
        }
        let mut bytes = Vec::new();
        let read = (&file).read_to_end(&mut bytes).is_ok();
        (FileBytes::Read(if read { bytes } else { Vec::new() }), None)
    }
}

impl FileBytes {
    /// See [`Cache::release_pages`].
    fn release_pages(&self) {
        #[cfg(unix)]
        if let FileBytes::Mapped(map) = self {
            // SAFETY: the map is of a file, shared and read-only: a page dropped from the run's
            // memory is read back from the file when touched again, with the same bytes
            // (artlint never writes the cache file in place, see `FileBytes::of`). Nothing is
            // freed or zeroed under a borrow.
            let _ = unsafe { map.unchecked_advise(memmap2::UncheckedAdvice::DontNeed) };
        }
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

/// The table of a cache file as read: where it is in the file's bytes, and the head.
struct Table {
    records: std::ops::Range<usize>,
    cross_file: Option<(u64, std::ops::Range<usize>, u32)>,
}

/// Read the head and check the table of a cache file; `None` for anything else (empty, foreign,
/// damaged).
fn table(bytes: &[u8]) -> Option<Table> {
    let footer = 4 + 4 + MAGIC.len();
    let head_end = bytes.len().checked_sub(footer)?;
    let (len, rest) = bytes[head_end..].split_at(4);
    let (crc, magic) = rest.split_at(4);
    if magic != MAGIC {
        return None;
    }
    let len = usize::try_from(u32::from_le_bytes(len.try_into().ok()?)).ok()?;
    let head_bytes = bytes.get(head_end.checked_sub(len)?..head_end)?;
    if crc32fast::hash(head_bytes) != u32::from_le_bytes(crc.try_into().ok()?) {
        return None;
    }
    let head: Head = postcard::from_bytes(head_bytes).ok()?;
    if head.format != FORMAT || head.version != build() {
        return None;
    }
    let start = usize::try_from(head.records_at).ok()?;
    let count = usize::try_from(head.records).ok()?;
    let records = start..start.checked_add(count.checked_mul(RECORD)?)?;
    if records.end > head_end - len
        || crc32fast::hash(bytes.get(records.clone())?) != head.records_crc
    {
        return None;
    }
    let cross_file = match head.cross_file {
        Some((key, at, len, crc)) => {
            let at = usize::try_from(at).ok()?;
            let range = at..at.checked_add(usize::try_from(len).ok()?)?;
            (range.end <= records.start).then_some((key, range, crc))
        }
        None => None,
    };
    Some(Table {
        records,
        cross_file,
    })
}

/// A file's corpus facts as the cache holds them, encoded, for the corpus pass to decode if it
/// needs them ([`Cache::facts`]).
#[derive(Clone, Copy)]
pub struct StoredFacts {
    /// The file's record in the table.
    record: u32,
    /// Whether the checks that run every time read them (see `FileFacts::read_every_run`).
    pub read_every_run: bool,
}

/// Where the blob of a record this run made is: the old file's (a touched file, same bytes), or
/// this run's temporary file.
#[derive(Clone, Copy)]
enum BlobIn {
    Old(u32),
    New,
}

/// A record this run made (a file checked anew, or touched), packed as the file holds it, with
/// where its blob is: the old file's record of that number, or this run's (`u32::MAX`). A
/// run over a new corpus holds one per file until the cache is written: 100 bytes, not the
/// 128 of the two unpacked.
#[derive(Clone, Copy)]
struct Fresh([u8; RECORD], u32);

impl Fresh {
    fn new(record: Record, blob: BlobIn) -> Fresh {
        let blob = match blob {
            BlobIn::Old(i) => i,
            BlobIn::New => u32::MAX,
        };
        Fresh(record.to_bytes(), blob)
    }

    fn record(&self) -> Record {
        Record::from_bytes(&self.0)
    }

    fn path_hash(&self) -> u128 {
        let mut hash = [0u8; 16];
        hash.copy_from_slice(&self.0[..16]);
        u128::from_le_bytes(hash)
    }

    fn blob(&self) -> BlobIn {
        match self.1 {
            u32::MAX => BlobIn::New,
            i => BlobIn::Old(i),
        }
    }
}

/// This run's records are kept in chunks of this many: a list grown by doubling would hold up
/// to twice its size, and copy itself as it grows.
const FRESH_CHUNK: usize = 4096;

/// The blobs of the files this run checked anew, in an unnamed temporary file as they come (or
/// in memory, where none can be made), with their length so far. A write that fails leaves
/// the file's outcome out of the cache.
struct NewBlobs {
    file: Option<std::io::BufWriter<std::fs::File>>,
    held: Vec<u8>,
    len: u64,
}

impl NewBlobs {
    /// Append `parts` whole, or not at all; where they start.
    fn append(&mut self, parts: &[&[u8]]) -> Option<u64> {
        let at = self.len;
        let len: usize = parts.iter().map(|p| p.len()).sum();
        match &mut self.file {
            Some(file) => {
                for part in parts {
                    if file.write_all(part).is_err() {
                        // The file is no longer in step with `len`: nothing more goes to it.
                        self.file = None;
                        self.len = u64::MAX;
                        return None;
                    }
                }
            }
            None if self.len == u64::MAX => return None,
            None => parts.iter().for_each(|p| self.held.extend_from_slice(p)),
        }
        self.len += len as u64;
        Some(at)
    }
}

/// What the cache knows, and what this run found (written back by [`Cache::save`]).
pub struct Cache {
    dir: PathBuf,
    /// [`file_name`]: the file in `dir` this run reads and writes.
    file_name: String,
    /// The cache file as the run found it.
    stored: StoredFile,
    /// The same file, read (not mapped) when its blobs are copied to the new one.
    old_file: Option<std::fs::File>,
    /// Which records this run took as they are, a bit each.
    taken: Vec<AtomicU64>,
    /// The records this run made.
    fresh: Mutex<Vec<Vec<Fresh>>>,
    new_blobs: Mutex<NewBlobs>,
    /// A sum of a hash of every file this run checked (its path, content and configuration,
    /// or its facts if it is not kept), in two 64-bit lanes, and how many: the key of the
    /// cross-file findings, in no order (see [`Cache::facts_hash`]).
    facts_sum: [AtomicU64; 2],
    facts_count: AtomicUsize,
    started: std::time::SystemTime,
    new_cross_file: Mutex<Option<(u64, Vec<u8>)>>,
    hits: AtomicUsize,
    /// Of [`Cache::hits`], the files taken by their stat alone, not read.
    unread: AtomicUsize,
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
    /// Open the cache in `dir` of runs without command-line overrides. A missing, unreadable
    /// or foreign cache is an empty one.
    pub fn open(dir: &Path) -> Cache {
        Cache::open_named(dir, FILE_NAME.to_string())
    }

    /// Open the cache file `file_name` in `dir` (see [`file_name`]).
    pub fn open_named(dir: &Path, file_name: String) -> Cache {
        let (bytes, old_file) = FileBytes::of(&dir.join(&file_name));
        let (records, cross_file) = match table(&bytes) {
            Some(table) => (table.records, table.cross_file),
            None => (0..0, None),
        };
        let stored = StoredFile {
            bytes,
            records,
            cross_file,
        };
        let count = stored.count();
        let cache = Cache {
            dir: dir.to_path_buf(),
            file_name,
            stored,
            old_file,
            taken: (0..count.div_ceil(64)).map(|_| AtomicU64::new(0)).collect(),
            fresh: Mutex::new(Vec::new()),
            new_blobs: Mutex::new(NewBlobs {
                file: None,
                held: Vec::new(),
                len: 0,
            }),
            facts_sum: [AtomicU64::new(0), AtomicU64::new(0)],
            facts_count: AtomicUsize::new(0),
            new_cross_file: Mutex::new(None),
            hits: AtomicUsize::new(0),
            unread: AtomicUsize::new(0),
            unkeyed: AtomicBool::new(false),
            started: std::time::SystemTime::now(),
            changed: AtomicBool::new(false),
            keys: Mutex::new(HashMap::default()),
        };
        // The checksum read the whole table: its pages come back as the files are looked up.
        cache.release_pages();
        cache
    }

    /// How many files this run took from the cache.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    /// How many of [`Cache::hits`] were taken without reading the file.
    pub fn unread(&self) -> usize {
        self.unread.load(Ordering::Relaxed)
    }

    /// Count a file this run checked into the key of the cross-file findings.
    fn add_to_facts_key(&self, parts: &[u8]) {
        let hash = xxhash_rust::xxh3::xxh3_128(parts);
        self.facts_sum[0].fetch_add(hash as u64, Ordering::Relaxed);
        self.facts_sum[1].fetch_add((hash >> 64) as u64, Ordering::Relaxed);
        self.facts_count.fetch_add(1, Ordering::Relaxed);
    }

    /// A file kept in the cache: its path, content and configuration decide its facts.
    fn kept_in_facts_key(&self, record: &Record) {
        let mut parts = [0u8; 33];
        parts[..16].copy_from_slice(&record.path_hash.to_le_bytes());
        parts[16..24].copy_from_slice(&record.header.content_hash.to_le_bytes());
        parts[24..32].copy_from_slice(&record.header.key.to_le_bytes());
        parts[32] = b'k';
        self.add_to_facts_key(&parts);
    }

    /// Check `target`, or take its outcome from the cache. With fixes on, an outcome is taken
    /// only if it has nothing to fix (a check would find what it holds, and write nothing); a
    /// file with something to fix is checked and fixed, and its outcome not kept.
    pub fn check(&self, target: &Target, options: CheckOptions) -> FileOutcome {
        let path = target.path.clone();
        let path_hash = hash_path(&path);
        let stat = stat(&target.path).filter(|_| target.problem.is_none());
        let Some(Stat {
            size,
            stamp,
            mode,
            changed_ns,
        }) = stat
        else {
            let outcome = crate::engine::check_target(target, options);
            self.volatile(path_hash, &outcome);
            return outcome;
        };
        let key = self.outcome_key(target);
        let known = self
            .stored
            .find(path_hash)
            .filter(|(_, r)| r.header.key == key);
        // An outcome kept without code frames, for a run that shows them, is framed from the
        // file's text (read, not parsed): see [`Cache::frame`].
        let framed = |r: &Record| r.header.snippets || !options.snippets;
        // Unchanged size, stamp (times, inode) and permissions: not even read.
        if let Some((at, record)) = known.filter(|(_, r)| {
            let h = &r.header;
            framed(r) && h.size == size && h.stamp == stamp && h.stamp != 0 && h.mode == mode
        }) && let Some(outcome) = self.decode(at, &record, target, options)
            && nothing_to_fix(&outcome, options)
        {
            self.hits.fetch_add(1, Ordering::Relaxed);
            self.unread.fetch_add(1, Ordering::Relaxed);
            if let Some(word) = self.taken.get(at / 64) {
                word.fetch_or(1 << (at % 64), Ordering::Relaxed);
            }
            self.kept_in_facts_key(&record);
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
                self.volatile(path_hash, &outcome);
                return outcome;
            }
        };
        let racy = self
            .started
            .duration_since(UNIX_EPOCH)
            .is_ok_and(|now| now.as_nanos() < changed_ns + RACY_WINDOW.as_nanos());
        let header = Header {
            size,
            stamp: if racy { 0 } else { stamp },
            mode,
            // The bytes, not the decoded text: the encoding is part of what is checked.
            content_hash: hash_bytes(&bytes),
            key,
            snippets: options.snippets,
        };
        // Touched but the same bytes: read and hashed, not parsed. (Its blob is kept: checked
        // now, not found damaged when the cache is written.)
        if let Some((at, stored)) = known.filter(|(_, r)| {
            let h = &r.header;
            h.content_hash == header.content_hash && h.size == header.size && h.mode == mode
        }) && self.stored.blob(&stored.blob).is_some()
            && let Some(outcome) = self.decode(at, &stored, target, options)
            && nothing_to_fix(&outcome, options)
        {
            if !framed(&stored) {
                if let Some(outcome) = self.frame(target, &stored, outcome, &bytes, header) {
                    return outcome;
                }
                // Its facts' blob is damaged: checked anew, below.
            } else {
                self.hits.fetch_add(1, Ordering::Relaxed);
                self.changed.store(true, Ordering::Relaxed);
                // The stored outcome is kept, code frames and all: its header says so.
                let record = Record {
                    header: Header {
                        snippets: stored.header.snippets,
                        ..header
                    },
                    ..stored
                };
                self.kept_in_facts_key(&record);
                self.remember(record, BlobIn::Old(at as u32));
                return outcome;
            }
        }
        let mut outcome = crate::engine::check_loaded(
            target.path.clone(),
            source::decode(bytes),
            &target.config,
            options,
        );
        outcome.settle_content_hash(Some(header.content_hash));
        let kept = cacheable(&outcome)
            .then(|| outcome.encode_for_cache())
            .flatten()
            .and_then(|parts| self.keep_new(&path, path_hash, header, parts));
        match kept {
            Some(record) => {
                self.changed.store(true, Ordering::Relaxed);
                self.kept_in_facts_key(&record);
                self.remember(record, BlobIn::New);
            }
            None => self.volatile(path_hash, &outcome),
        }
        outcome
    }

    /// A stored outcome kept without code frames (by a run that showed none), framed for this
    /// run, which shows them: its findings' and its facts' frames made from the file's text
    /// (`bytes`, whose hash is the stored one; read, not parsed), exactly as a check would make
    /// them. Kept anew with its frames, so that the next such run reads nothing. `None` if the
    /// stored facts are damaged (the file is then checked).
    fn frame(
        &self,
        target: &Target,
        stored: &Record,
        mut outcome: FileOutcome,
        bytes: &[u8],
        header: Header,
    ) -> Option<FileOutcome> {
        if let Some(facts) = outcome.stored_facts.take() {
            outcome.facts = Some(self.facts(facts, false)?);
        }
        let path = &target.path;
        let doc = match source::decode(bytes.to_vec()) {
            Ok(loaded) => crate::document::Document::text_only(path.clone(), loaded),
            Err(reason) => crate::document::Document::skipped(path.clone(), reason),
        };
        outcome.add_code_frames(&doc);
        self.hits.fetch_add(1, Ordering::Relaxed);
        self.changed.store(true, Ordering::Relaxed);
        let header = Header {
            snippets: true,
            ..header
        };
        let path_hash = stored.path_hash;
        match outcome
            .encode_for_cache()
            .and_then(|parts| self.keep_new(path, path_hash, header, parts))
        {
            Some(record) => {
                self.kept_in_facts_key(&record);
                self.remember(record, BlobIn::New);
            }
            None => self.volatile(path_hash, &outcome),
        }
        Some(outcome)
    }

    /// Write a file's new outcome to this run's blobs; its record.
    fn keep_new(
        &self,
        path: &Path,
        path_hash: u128,
        header: Header,
        parts: crate::engine::CacheParts,
    ) -> Option<Record> {
        let path_text = crate::diagnostic::path_bytes::bytes(path);
        let facts: &[u8] = parts.facts.as_ref().map_or(&[], |(_, bytes)| bytes);
        let mut crc = crc32fast::Hasher::new();
        for part in [path_text, &parts.outcome, facts] {
            crc.update(part);
        }
        let len = |part: &[u8]| u32::try_from(part.len()).ok();
        let (path_len, outcome_len, facts_len) =
            (len(path_text)?, len(&parts.outcome)?, len(facts)?);
        let offset = {
            let mut blobs = self.new_blobs.lock().ok()?;
            if blobs.file.is_none() && blobs.len == 0 && blobs.held.is_empty() {
                // The first: make the temporary file (else the blobs are held).
                blobs.file = tempfile::tempfile()
                    .ok()
                    .map(|f| std::io::BufWriter::with_capacity(64 * 1024, f));
            }
            blobs.append(&[path_text, &parts.outcome, facts])?
        };
        Some(Record {
            path_hash,
            header,
            body_start: parts.body_start as u64,
            has_facts: parts.facts.is_some(),
            read_every_run: parts.facts.as_ref().is_some_and(|(every, _)| *every),
            blob: BlobAt {
                offset,
                path_len,
                outcome_len,
                facts_len,
                crc: crc.finalize(),
            },
        })
    }

    /// A file checked but not kept: its facts still key the cross-file findings.
    fn volatile(&self, path_hash: u128, outcome: &FileOutcome) {
        // Without code frames: a human report and a piped one have the same facts.
        let facts = outcome.facts.clone().map(|mut facts| {
            facts.drop_code_frames();
            facts
        });
        let facts = postcard::to_allocvec(&facts).unwrap_or_default();
        let mut parts = [0u8; 25];
        parts[..16].copy_from_slice(&path_hash.to_le_bytes());
        parts[16..24].copy_from_slice(&hash_bytes(&facts).to_le_bytes());
        parts[24] = b'v';
        self.add_to_facts_key(&parts);
    }

    fn remember(&self, record: Record, blob: BlobIn) {
        if let Ok(mut chunks) = self.fresh.lock() {
            if chunks.last().is_none_or(|c| c.len() == FRESH_CHUNK) {
                chunks.push(Vec::with_capacity(FRESH_CHUNK));
            }
            if let Some(chunk) = chunks.last_mut() {
                chunk.push(Fresh::new(record, blob));
            }
        }
    }

    /// A hash of every file's facts in this run (after the files are checked), when all of
    /// them are known: with whether code frames are kept ([`facts_key`]), the cross-file
    /// findings are a function of it. A sum, in no order, of a hash per file.
    fn facts_hash(&self) -> Option<u64> {
        if self.unkeyed.load(Ordering::Relaxed) {
            return None;
        }
        let mut hasher = std::hash::DefaultHasher::new();
        (
            self.facts_sum[0].load(Ordering::Relaxed),
            self.facts_sum[1].load(Ordering::Relaxed),
            self.facts_count.load(Ordering::Relaxed),
        )
            .hash(&mut hasher);
        Some(hasher.finish())
    }

    /// The cross-file findings kept from an earlier run with the same facts: with code frames
    /// if `snippets`; kept with them, they also serve a run without (the frames dropped).
    pub fn cross_file_findings(&self, snippets: bool) -> Option<Vec<Diagnostic>> {
        let (stored_key, bytes) = self.stored.cross_file()?;
        let facts = self.facts_hash()?;
        let with_frames = stored_key == facts_key(facts, true);
        if !with_frames && (snippets || stored_key != facts_key(facts, false)) {
            return None;
        }
        let chunks: Vec<&[u8]> = postcard::from_bytes(bytes).ok()?;
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
            *slot = Some((key, bytes));
        }
    }

    /// Write what this run found, atomically, unless nothing changed. Entries of files this
    /// run did not check are kept while they exist (a pre-commit run on three posts keeps the
    /// rest warm).
    pub fn save(mut self) -> std::io::Result<()> {
        let chunks = std::mem::take(self.fresh.get_mut().unwrap_or_else(|e| e.into_inner()));
        let new_cross_file = self
            .new_cross_file
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if !self.changed.load(Ordering::Relaxed) && new_cross_file.is_none() {
            if self.file_name != FILE_NAME {
                // Used, so among the override files kept (see `prune_override_files`).
                mark_used(&self.dir.join(&self.file_name));
            }
            return Ok(());
        }
        // The records sorted by reference, where the chunks hold them: moved into one list, they
        // were held twice over while the chunks' pages went back to the system.
        let mut fresh: Vec<&Fresh> = chunks.iter().flatten().collect();
        fresh.sort_unstable_by_key(|f| f.path_hash());
        let mut new_blobs = self
            .new_blobs
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        if new_blobs.len == u64::MAX {
            // A write to the temporary file failed: its records cannot be trusted.
            fresh.retain(|f| matches!(f.blob(), BlobIn::Old(_)));
            new_blobs = NewBlobs {
                file: None,
                held: Vec::new(),
                len: 0,
            };
        }
        let old = &self.stored;
        // The old records kept: those taken as they are, and those of files this run did not
        // check that still exist; not those this run made again.
        let mut superseded = fresh.iter().map(|f| f.path_hash()).peekable();
        let mut kept_old: Vec<u32> = Vec::new();
        for i in 0..old.count() {
            let Some(record) = old.record(i) else {
                continue;
            };
            while superseded.next_if(|h| *h < record.path_hash).is_some() {}
            if superseded.peek() == Some(&record.path_hash) {
                continue;
            }
            let taken = self
                .taken
                .get(i / 64)
                .is_some_and(|w| w.load(Ordering::Relaxed) & (1 << (i % 64)) != 0);
            if taken || old.path_exists(&record) {
                kept_old.push(i as u32);
            }
        }
        // Reading the paths of the files not checked brought their blobs' pages in.
        old.bytes.release_pages();
        // The old blobs to copy (kept records', and touched files'), in the order they are in
        // the old file, so that they are read in one sweep.
        let mut copied: Vec<(u64, u32)> = kept_old
            .iter()
            .copied()
            .chain(fresh.iter().filter_map(|f| match f.blob() {
                BlobIn::Old(i) => Some(i),
                BlobIn::New => None,
            }))
            .filter_map(|i| Some((old.record(i as usize)?.blob.offset, i)))
            .collect();
        copied.sort_unstable();
        copied.dedup();
        if !self.dir.exists() {
            std::fs::create_dir_all(&self.dir)?;
            // A folder artlint made: tell git it is not content.
            std::fs::write(self.dir.join(".gitignore"), "*\n")?;
        }
        // This run's cross-file findings, or the stored ones if they are intact (copied with
        // a damage, they would be written under a new, valid checksum).
        let cross_file = match &new_cross_file {
            Some((key, bytes)) => Some((*key, &bytes[..])),
            None => old.cross_file(),
        };
        let mut old_file = self.old_file.take();
        let written = crate::atomic_write::replace_file(
            &self.dir.join(&self.file_name),
            crate::atomic_write::Fallback::Refuse,
            |out| {
                // This run's blobs first, as they are (their offsets hold), ...
                let mut written = new_blobs.copy_to(out)?;
                // ... then the old ones, each where the new file puts it.
                let mut moved: HashMap<u32, u64> = HashMap::default();
                moved.reserve(copied.len());
                let mut reader = OldReader::new(old, old_file.as_mut());
                for &(offset, i) in &copied {
                    let Some(record) = old.record(i as usize) else {
                        continue;
                    };
                    // A blob that cannot be read, or is damaged, is dropped with its record.
                    let Ok(blob) = reader.read(offset, record.blob.len()) else {
                        continue;
                    };
                    if crc32fast::hash(blob) != record.blob.crc {
                        continue;
                    }
                    out.write_all(blob)?;
                    moved.insert(i, written);
                    written += record.blob.len();
                }
                let cross_file = match cross_file {
                    Some((key, bytes)) => {
                        out.write_all(bytes)?;
                        let at = written;
                        written += bytes.len() as u64;
                        Some((key, at, bytes.len() as u64, crc32fast::hash(bytes)))
                    }
                    None => None,
                };
                // The table: the kept old records and this run's, by path hash.
                let records_at = written;
                let mut records_crc = crc32fast::Hasher::new();
                let mut count = 0u64;
                let mut put = |record: Record| -> std::io::Result<()> {
                    let bytes = record.to_bytes();
                    records_crc.update(&bytes);
                    count += 1;
                    out.write_all(&bytes)
                };
                let mut fresh = fresh.iter().peekable();
                for &i in &kept_old {
                    let Some(record) = old.record(i as usize) else {
                        continue;
                    };
                    while let Some(f) = fresh.next_if(|f| f.path_hash() < record.path_hash) {
                        if let Some(r) = relocated(f, &moved) {
                            put(r)?;
                        }
                    }
                    if let Some(&offset) = moved.get(&i) {
                        put(Record {
                            blob: BlobAt {
                                offset,
                                ..record.blob
                            },
                            ..record
                        })?;
                    }
                }
                for f in fresh {
                    if let Some(r) = relocated(f, &moved) {
                        put(r)?;
                    }
                }
                let head = Head {
                    format: FORMAT,
                    version: build(),
                    records_at,
                    records: count,
                    records_crc: records_crc.finalize(),
                    cross_file,
                };
                let head = postcard::to_allocvec(&head).map_err(std::io::Error::other)?;
                out.write_all(&head)?;
                out.write_all(&(head.len() as u32).to_le_bytes())?;
                out.write_all(&crc32fast::hash(&head).to_le_bytes())?;
                out.write_all(MAGIC)?;
                out.flush()
            },
        );
        if written.is_ok() && self.file_name != FILE_NAME {
            prune_override_files(&self.dir, &self.file_name);
        }
        written
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

    /// The stored outcome of `target` (the record at `at`), its paths sharing the target's
    /// (one allocation per file, and one path for the report's sort to rank). Its facts stay
    /// encoded; its code frames are dropped if this run shows none (as a run checking the file
    /// would). A clean file's blob is not read.
    fn decode(
        &self,
        at: usize,
        record: &Record,
        target: &Target,
        options: CheckOptions,
    ) -> Option<FileOutcome> {
        let body_start = usize::try_from(record.body_start).ok()?;
        let mut outcome = if record.blob.outcome_len == 0 {
            FileOutcome::decode_from_cache(&[], body_start)?
        } else {
            crate::diagnostic::shared_path::expect(&target.path);
            let blob = self.stored.blob(&record.blob)?;
            let start = record.blob.path_len as usize;
            let bytes = blob.get(start..start + record.blob.outcome_len as usize)?;
            FileOutcome::decode_from_cache(bytes, body_start)?
        };
        if record.has_facts {
            outcome.stored_facts = Some(StoredFacts {
                record: u32::try_from(at).ok()?,
                read_every_run: record.read_every_run,
            });
        }
        outcome.share_path(&target.path);
        outcome.content_hash = Some(record.header.content_hash);
        if !options.snippets {
            outcome
                .diagnostics
                .iter_mut()
                .for_each(|d| d.snippet = None);
        }
        Some(outcome)
    }

    /// Keep no cross-file findings from this run: they were worked out without some file's facts
    /// (its cache entry damaged, and the file gone when checked again).
    pub fn keep_no_cross_file_findings(&self) {
        self.unkeyed.store(true, Ordering::Relaxed);
    }

    /// Where a file's stored facts are in the cache file: the corpus pass decodes them in this
    /// order, a stretch of the file at a time (see [`Cache::release_pages`]).
    pub fn facts_offset(&self, stored: StoredFacts) -> u64 {
        self.stored
            .record(stored.record as usize)
            .map_or(0, |record| record.blob.offset)
    }

    /// Let go of the pages of the cache file read so far: they stay in the system's page
    /// cache, and come back if read again. Decoding a corpus's facts reads every blob, which
    /// would otherwise hold the whole file in the run's memory.
    pub fn release_pages(&self) {
        self.stored.bytes.release_pages();
    }

    /// Decode facts this cache holds, without code frames unless `snippets` (stored facts may
    /// have them, for a human report). `None` if their blob is damaged: the cache then
    /// forgets the file (its blob is not copied when the cache is written).
    pub fn facts(&self, stored: StoredFacts, snippets: bool) -> Option<Box<FileFacts>> {
        let decoded = self
            .stored
            .record(stored.record as usize)
            .and_then(|record| {
                let blob = self.stored.blob(&record.blob)?;
                let start = record.blob.path_len as usize + record.blob.outcome_len as usize;
                let facts = blob.get(start..start + record.blob.facts_len as usize)?;
                postcard::from_bytes::<Box<FileFacts>>(facts).ok()
            });
        let Some(mut facts) = decoded else {
            self.changed.store(true, Ordering::Relaxed);
            return None;
        };
        if !snippets {
            facts.drop_code_frames();
        }
        Some(facts)
    }
}

/// A record this run made, with its blob where the new file puts it (`None` if its old blob
/// was damaged, and not copied).
fn relocated(fresh: &Fresh, moved: &HashMap<u32, u64>) -> Option<Record> {
    let record = fresh.record();
    let offset = match fresh.blob() {
        BlobIn::New => record.blob.offset,
        BlobIn::Old(i) => *moved.get(&i)?,
    };
    Some(Record {
        blob: BlobAt {
            offset,
            ..record.blob
        },
        ..record
    })
}

/// The cache file as a run found it: its bytes, where its table is (empty when there is no
/// usable file), and where its cross-file findings are.
struct StoredFile {
    bytes: FileBytes,
    records: std::ops::Range<usize>,
    cross_file: Option<(u64, std::ops::Range<usize>, u32)>,
}

impl StoredFile {
    fn count(&self) -> usize {
        self.records.len() / RECORD
    }

    /// The `i`th record of the table.
    fn record(&self, i: usize) -> Option<Record> {
        let at = self.records.start.checked_add(i.checked_mul(RECORD)?)?;
        if at + RECORD > self.records.end {
            return None;
        }
        let bytes: &[u8; RECORD] = self.bytes.get(at..at + RECORD)?.try_into().ok()?;
        Some(Record::from_bytes(bytes))
    }

    /// The record of the path of this hash, by binary search over the table, and its place.
    fn find(&self, path_hash: u128) -> Option<(usize, Record)> {
        let (mut low, mut high) = (0, self.count());
        while low < high {
            let mid = low + (high - low) / 2;
            let record = self.record(mid)?;
            match record.path_hash.cmp(&path_hash) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return Some((mid, record)),
            }
        }
        None
    }

    /// `len` bytes at `offset`, if they lie before the table (where blobs are).
    fn blob_area(&self, offset: u64, len: u64) -> Option<&[u8]> {
        let start = usize::try_from(offset).ok()?;
        let end = start.checked_add(usize::try_from(len).ok()?)?;
        (end <= self.records.start).then(|| self.bytes.get(start..end))?
    }

    /// The whole blob of a record, if its checksum holds.
    fn blob(&self, blob: &BlobAt) -> Option<&[u8]> {
        let bytes = self.blob_area(blob.offset, blob.len())?;
        (crc32fast::hash(bytes) == blob.crc).then_some(bytes)
    }

    /// The stored cross-file findings and their key, if their checksum holds.
    fn cross_file(&self) -> Option<(u64, &[u8])> {
        let (key, range, crc) = self.cross_file.as_ref()?;
        let bytes = self.bytes.get(range.clone())?;
        (crc32fast::hash(bytes) == *crc).then_some((*key, bytes))
    }

    /// Whether the file of a record this run did not check is still there.
    fn path_exists(&self, record: &Record) -> bool {
        self.blob_area(record.blob.offset, u64::from(record.blob.path_len))
            .and_then(crate::diagnostic::path_bytes::path)
            .is_some_and(Path::exists)
    }
}

/// Reads the old file's blobs in the order of their offsets, through a buffer: not mapped, so
/// that copying a cache does not bring the whole old file into the run's memory.
struct OldReader<'a> {
    old: &'a StoredFile,
    file: Option<std::io::BufReader<&'a mut std::fs::File>>,
    at: u64,
    blob: Vec<u8>,
}

impl<'a> OldReader<'a> {
    fn new(old: &'a StoredFile, file: Option<&'a mut std::fs::File>) -> OldReader<'a> {
        OldReader {
            old,
            file: file.map(|f| std::io::BufReader::with_capacity(64 * 1024, f)),
            at: 0,
            blob: Vec::new(),
        }
    }

    /// `len` bytes at `offset` (the offsets asked for only grow).
    fn read(&mut self, offset: u64, len: u64) -> std::io::Result<&[u8]> {
        let too_far = || std::io::Error::other("a cache entry lies outside the cache file");
        // Where the blob is checked against the table's place; read from the file, not the map.
        let in_map = self.old.blob_area(offset, len).ok_or_else(too_far)?;
        let end = offset + len;
        let Some(file) = &mut self.file else {
            return Ok(in_map);
        };
        // Where the file is after a failed seek or read is not known: the next read seeks.
        let from = std::mem::replace(&mut self.at, u64::MAX);
        if from != offset {
            // Forward within the buffer where it can be; else from the start.
            if from < offset {
                file.seek_relative(i64::try_from(offset - from).map_err(|_| too_far())?)?;
            } else {
                file.seek(SeekFrom::Start(offset))?;
            }
        }
        self.blob
            .resize(usize::try_from(len).map_err(|_| too_far())?, 0);
        file.read_exact(&mut self.blob)?;
        self.at = end;
        Ok(&self.blob)
    }
}

impl NewBlobs {
    /// Copy every blob to `out`, in order; how many bytes.
    fn copy_to(&mut self, out: &mut dyn Write) -> std::io::Result<u64> {
        match self.file.take() {
            Some(file) => {
                let mut file = file.into_inner().map_err(|e| e.into_error())?;
                file.seek(SeekFrom::Start(0))?;
                let copied = std::io::copy(&mut (&mut file).take(self.len), out)?;
                if copied != self.len {
                    return Err(std::io::Error::other(
                        "the cache's temporary file was cut short",
                    ));
                }
                Ok(copied)
            }
            None => {
                out.write_all(&self.held)?;
                Ok(self.held.len() as u64)
            }
        }
    }
}

/// Flip every bit of the blobs of the cache in `dir` (its entries' outcomes and facts, and the
/// cross-file findings), its table and head left intact: what a test of damaged entries needs.
#[cfg(test)]
pub(crate) fn damage_every_blob(dir: &Path) {
    let path = dir.join(FILE_NAME);
    let mut bytes = std::fs::read(&path).expect("a cache file");
    let blobs_end = table(&bytes)
        .expect("a cache this build wrote")
        .records
        .start;
    bytes[..blobs_end].iter_mut().for_each(|b| *b = !*b);
    std::fs::write(&path, bytes).expect("the cache file written");
}

/// A path's identity in the table.
fn hash_path(path: &Path) -> u128 {
    xxhash_rust::xxh3::xxh3_128(path.as_os_str().as_encoded_bytes())
}

/// Whether a stored outcome has no fix that `options` would apply (none, when fixes are off).
/// Suppressions are not looked at: a suppressed fixable finding sends the file to be checked.
fn nothing_to_fix(outcome: &FileOutcome, options: CheckOptions) -> bool {
    !outcome
        .diagnostics
        .iter()
        .any(|d| crate::fix::applicable(d, options.fix).is_some())
}

/// A finding about the present moment (a date in the future) changes with time: such a file
/// is checked again on every run. Crashes and fixes are never kept.
fn cacheable(outcome: &FileOutcome) -> bool {
    outcome.internal_error.is_none()
        && !outcome.was_fixed()
        && !outcome.diagnostics.iter().any(|d| d.rule.code == "DT004")
}

/// What tells, without reading a file, that it is the one the cache saw (git's index keeps the
/// same: a file swapped for another of the same size and time by `mv`, or restored by `tar`,
/// `cp -p` or `rsync -a`, has another inode or change time).
struct Stat {
    size: u64,
    /// The modification time in nanoseconds (low 64 bits) and a hash of the change time, the
    /// inode and the device (high 64 bits).
    stamp: u128,
    mode: u32,
    /// The later of the modification and change times, in nanoseconds: how recent the file
    /// is, for [`RACY_WINDOW`].
    changed_ns: u128,
}

fn stat(path: &Path) -> Option<Stat> {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_nanos();
    #[cfg(unix)]
    let (mode, changed, identity) = {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let changed = u128::try_from(meta.ctime()).unwrap_or(0) * 1_000_000_000
            + u128::try_from(meta.ctime_nsec()).unwrap_or(0);
        let mut identity = [0u8; 32];
        identity[..16].copy_from_slice(&changed.to_le_bytes());
        identity[16..24].copy_from_slice(&meta.ino().to_le_bytes());
        identity[24..].copy_from_slice(&meta.dev().to_le_bytes());
        let identity = xxhash_rust::xxh3::xxh3_64(&identity);
        (meta.permissions().mode(), changed, identity)
    };
    #[cfg(not(unix))]
    let (mode, changed, identity) = (u32::from(meta.permissions().readonly()), 0, 0);
    Some(Stat {
        size: meta.len(),
        stamp: u128::from(modified as u64) | u128::from(identity) << 64,
        mode,
        changed_ns: modified.max(changed),
    })
}

/// The key cross-file findings are kept under: the hash of every file's facts, and whether the
/// findings have code frames.
fn facts_key(facts: u64, snippets: bool) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    (facts, snippets).hash(&mut hasher);
    hasher.finish()
}

/// A file's identity by content: XXH3, many times
/// faster than SipHash over a corpus's bytes (every byte of every changed file goes through it).
pub(crate) fn hash_bytes(bytes: &[u8]) -> u64 {
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

    /// Stored cross-file findings that were damaged are never trusted, nor copied into the
    /// next cache file under a new checksum (a run that changed a file but worked out no
    /// cross-file finding, a shard's, writes the old ones back).
    #[test]
    fn damaged_cross_file_findings_are_not_copied_as_sound() {
        let dir = tempfile::tempdir().unwrap();
        let path: Arc<Path> = Arc::from(Path::new("posts/a.md"));
        let cache = Cache::open(dir.path());
        cache.keep_cross_file_findings(true, &[finding(&path, 3, true)]);
        cache.save().unwrap();
        assert!(Cache::open(dir.path()).cross_file_findings(true).is_some());
        let file = dir.path().join(FILE_NAME);
        let mut bytes = std::fs::read(&file).unwrap();
        let (_, range, _) = table(&bytes).unwrap().cross_file.unwrap();
        bytes[range.start + range.len() / 2] ^= 0x20;
        std::fs::write(&file, bytes).unwrap();
        let cache = Cache::open(dir.path());
        assert!(cache.cross_file_findings(true).is_none());
        cache.changed.store(true, Ordering::Relaxed);
        cache.save().unwrap();
        assert!(Cache::open(dir.path()).cross_file_findings(true).is_none());
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
