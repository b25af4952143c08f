//! The hand-off of corpus facts from the parallel checks to the corpus pass, in memory that does
//! not grow with the number of clean files.
//!
//! A cross-file rule only ever reports a key (a title, a body, a text block, a slug, a cover)
//! that two files or more share. So each file's facts are written, encoded, to an unnamed temporary file as the
//! file is checked, and their keys counted in a fixed-size [`Sketch`] that says "maybe shared"
//! or "surely not". Read back, every fact that is surely not shared is dropped
//! ([`FileFacts::prune`]); a file left with nothing is only counted in its folder. What the
//! corpus pass then holds grows with what the corpus repeats, not with its size; and it finds
//! what it found holding every fact (keys are 64-bit hashes, equal only by chance otherwise).
//!
//! The temporary file is made in `TMPDIR` (or `/tmp`): on a tmpfs the spilled bytes (a third of
//! a kilobyte to a kilobyte a file) stay in memory, out of artlint's own.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};

use rayon::prelude::*;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use super::{FileFacts, PrunedFiles};

/// Which keys were counted twice or more: slots of two 64-bit words, "seen" and "seen again";
/// a key has a slot and two bits in each of its words (one memory access, one locked update at
/// most, per key: a check counts a million keys). It never says a key seen twice is unshared
/// (no false negatives); it says an unshared key is "maybe shared" when other keys cover both
/// its bits in "seen again", which at a million keys is about one key in eighty (such keys
/// are merely kept).
pub struct Sketch {
    slots: Box<[[AtomicU64; 2]]>,
}

/// Slots of the sketch: 2^18 (4 MB), whatever the corpus's size.
pub const SKETCH_SLOTS: u32 = 18;

impl Sketch {
    /// A sketch of 2^`bits` slots.
    pub fn with_slots(bits: u32) -> Sketch {
        Sketch {
            slots: (0..1usize << bits)
                .map(|_| [AtomicU64::new(0), AtomicU64::new(0)])
                .collect(),
        }
    }

    /// The key's slot and its two bits there, from a multiplicative mix (keys are hashes
    /// already, but of several kinds, and a title's hash may be a block's).
    fn place(&self, key: u64) -> (&[AtomicU64; 2], u64) {
        let mixed = (key ^ (key >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let slot = (mixed >> 32) as usize & (self.slots.len() - 1);
        // Two different bits: the second 1 to 63 past the first.
        let first = mixed & 63;
        let second = (first + 1 + ((mixed >> 6) & 63) % 63) & 63;
        (&self.slots[slot], (1 << first) | (1 << second))
    }

    pub fn insert(&self, key: u64) {
        let (slot, bits) = self.place(key);
        // Relaxed: the sets are read only after every check has joined. Read first: repeated
        // keys (boilerplate) find their bits set, and a read takes no lock.
        if slot[1].load(Ordering::Relaxed) & bits == bits {
            return;
        }
        let seen_before = slot[0].fetch_or(bits, Ordering::Relaxed) & bits;
        if seen_before != 0 {
            slot[1].fetch_or(seen_before, Ordering::Relaxed);
        }
    }

    /// Count every key of `facts`. Their slots are read first, all of them: those reads are
    /// independent, so their cache misses overlap (the sketch is larger than a core's cache),
    /// where each locked update of [`Sketch::insert`] would wait for its own miss.
    pub fn insert_keys_of(&self, facts: &FileFacts) {
        let mut read = 0;
        facts.keys(|key| read ^= self.place(key).0[1].load(Ordering::Relaxed));
        std::hint::black_box(read);
        facts.keys(|key| self.insert(key));
    }

    /// False only for a key inserted at most once.
    pub fn maybe_shared(&self, key: u64) -> bool {
        let (slot, bits) = self.place(key);
        slot[1].load(Ordering::Relaxed) & bits == bits
    }
}

/// Records not yet written are written out once they reach this size.
const CHUNK_BYTES: usize = 1 << 16;

/// Where the encoded records go: the temporary file while it takes them, memory otherwise (no
/// temporary folder, a full disk): the facts are never lost, only held.
struct Store {
    file: Option<File>,
    /// Set when a write failed: the file is only read from then on.
    failed: bool,
    /// The chunks the file holds, by length, in order: each whole records.
    written: Vec<usize>,
    /// Records not (or never to be) written to the file, in chunks.
    held: Vec<Vec<u8>>,
}

/// Facts handed from the checks to the corpus pass: encoded records `(index, length, bytes)`,
/// and the sketch of their keys.
pub struct Spill {
    sketch: Sketch,
    store: Mutex<Store>,
    /// Facts that could not be encoded (which the cache would not keep either), held as they
    /// are.
    unencoded: Mutex<Vec<(usize, Box<FileFacts>)>>,
}

/// A record that could not be read back: the run reports no cross-file finding (see
/// `ShardFacts::finish`).
#[derive(Debug, thiserror::Error)]
#[error("the corpus facts written to a temporary file could not be read back: {0}")]
pub struct SpillError(String);

impl Spill {
    /// A spill to an unnamed temporary file (gone when closed, even if artlint is killed).
    pub fn new(sketch: Sketch) -> Spill {
        Spill::with(sketch, tempfile::tempfile().ok())
    }

    /// A spill to `file`, or held in memory without one.
    fn with(sketch: Sketch, file: Option<File>) -> Spill {
        Spill {
            sketch,
            store: Mutex::new(Store {
                file,
                failed: false,
                written: Vec::new(),
                held: vec![Vec::new()],
            }),
            unencoded: Mutex::new(Vec::new()),
        }
    }

    /// The sketch of every key pushed so far (facts from elsewhere, such as the cache, are
    /// counted in it before any is pruned).
    pub fn sketch(&self) -> &Sketch {
        &self.sketch
    }

    /// Take the facts of the file at `index` (of the run's files): their keys counted, the
    /// facts encoded.
    pub fn push(&self, index: usize, facts: Box<FileFacts>) {
        self.sketch.insert_keys_of(&facts);
        if let Some(record) = encode(index, &facts)
            && let Ok(mut store) = self.store.lock()
        {
            store.append(&record);
            return;
        }
        if let Ok(mut unencoded) = self.unencoded.lock() {
            unencoded.push((index, facts));
        }
    }

    /// Every file's facts pushed, pruned by the sketch ([`FileFacts::prune`]): those left
    /// with something, with their files' indices (in no fixed order), and the count of the
    /// others. Read back a chunk of records at a time, each chunk decoded in parallel.
    pub fn read_back(self) -> Result<ReadBack, SpillError> {
        let Spill {
            sketch,
            store,
            unencoded,
        } = self;
        let mut kept = Vec::new();
        let mut pruned = PrunedFiles::default();
        let mut take = |index: usize, facts: Box<FileFacts>, keep: bool| {
            if keep {
                kept.push((index, facts));
            } else {
                pruned.add(&facts);
            }
        };
        let unencoded = unencoded
            .into_inner()
            .map_err(|_| SpillError("a check panicked while keeping facts".into()))?;
        for (index, mut facts) in unencoded {
            let keep = facts.prune(&sketch);
            take(index, facts, keep);
        }
        let store = store
            .into_inner()
            .map_err(|_| SpillError("a check panicked while writing facts".into()))?;
        let mut read_chunk = |records: &[u8]| -> Result<(), SpillError> {
            let decoded: Vec<Result<(usize, Box<FileFacts>, bool), _>> = records_in(records)?
                .into_par_iter()
                .map(|(index, bytes)| {
                    let mut facts = decode(bytes)?;
                    let keep = facts.prune(&sketch);
                    Ok((index, facts, keep))
                })
                .collect();
            for record in decoded {
                let (index, facts, keep) = record?;
                take(index, facts, keep);
            }
            Ok(())
        };
        if let Some(mut file) = store.file.filter(|_| !store.written.is_empty()) {
            let io = |e: std::io::Error| SpillError(e.to_string());
            file.seek(SeekFrom::Start(0)).map_err(io)?;
            // Read back as written, a chunk at a time.
            let mut chunk = Vec::new();
            for &len in &store.written {
                chunk.resize(len, 0);
                file.read_exact(&mut chunk).map_err(io)?;
                read_chunk(&chunk)?;
            }
        }
        for chunk in &store.held {
            read_chunk(chunk)?;
        }
        Ok(ReadBack { kept, pruned })
    }
}

/// What [`Spill::read_back`] gives: the facts left with something, by their files' indices,
/// and the count of the others.
pub struct ReadBack {
    pub kept: Vec<(usize, Box<FileFacts>)>,
    pub pruned: PrunedFiles,
}

/// The records of a chunk: each file's index and its encoded facts.
fn records_in(chunk: &[u8]) -> Result<Vec<(usize, &[u8])>, SpillError> {
    let mut records = Vec::new();
    let mut rest = chunk;
    while let Some((head, tail)) = rest.split_first_chunk::<8>() {
        let len = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as usize;
        let bytes = tail
            .get(..len)
            .ok_or_else(|| SpillError("a record is cut short".into()))?;
        let index = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
        records.push((index as usize, bytes));
        rest = &tail[len..];
    }
    if !rest.is_empty() {
        return Err(SpillError("a record is cut short".into()));
    }
    Ok(records)
}

/// A record: the file's index and the length of the encoded facts (little-endian `u32`s),
/// then the facts.
fn encode(index: usize, facts: &FileFacts) -> Option<Vec<u8>> {
    let index = u32::try_from(index).ok()?;
    let mut record = Vec::with_capacity(256);
    record.extend_from_slice(&index.to_le_bytes());
    record.extend_from_slice(&[0; 4]);
    let mut record = postcard::to_extend(facts, record).ok()?;
    let len = u32::try_from(record.len() - 8).ok()?;
    record[4..8].copy_from_slice(&len.to_le_bytes());
    Some(record)
}

fn decode(bytes: &[u8]) -> Result<Box<FileFacts>, SpillError> {
    postcard::from_bytes::<FileFacts>(bytes)
        .map(Box::new)
        .map_err(|e| SpillError(e.to_string()))
}

impl Store {
    /// Bytes the file holds.
    #[cfg(test)]
    fn written_bytes(&self) -> u64 {
        self.written.iter().map(|&len| len as u64).sum()
    }

    fn append(&mut self, record: &[u8]) {
        let last = self.held.len() - 1;
        self.held[last].extend_from_slice(record);
        if self.file.is_none() || self.failed || self.held[last].len() < CHUNK_BYTES {
            if self.held[last].len() >= CHUNK_BYTES {
                self.held.push(Vec::new());
            }
            return;
        }
        let chunk = std::mem::take(&mut self.held[last]);
        let wrote = self.file.as_mut().map(|f| f.write_all(&chunk));
        match wrote {
            Some(Ok(())) => self.written.push(chunk.len()),
            // The file holds the `written` chunks (and perhaps a part of this one, never
            // read): this chunk and the rest stay in memory.
            _ => {
                self.failed = true;
                self.held[last] = chunk;
                self.held.push(Vec::new());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{CheckOptions, RunWith};
    use crate::test_rng::Xorshift;
    use std::path::Path;

    #[test]
    fn a_key_counted_twice_is_always_maybe_shared_and_most_counted_once_are_not() {
        let sketch = Sketch::with_slots(12);
        let mut rng = Xorshift::new(0x5EED);
        let twice: Vec<u64> = (0..2_000).map(|_| rng.next_u64()).collect();
        let once: Vec<u64> = (0..20_000).map(|_| rng.next_u64()).collect();
        for key in twice.iter().chain(&twice).chain(&once) {
            sketch.insert(*key);
        }
        assert!(twice.iter().all(|k| sketch.maybe_shared(*k)));
        // 24,000 keys' bits in 4,096 words of 64: a bit in six is set "again" by chance, both
        // bits of a key in about one key in thirty.
        let wrongly = once.iter().filter(|k| sketch.maybe_shared(**k)).count();
        assert!(
            wrongly < once.len() / 10,
            "{wrongly} of {} once-seen keys",
            once.len()
        );
        // A sketch of one slot says "maybe" of everything it saw twice and of what fills it.
        let tiny = Sketch::with_slots(0);
        for key in 0..1_000u64 {
            tiny.insert(key);
        }
        assert!((0..1_000u64).all(|k| tiny.maybe_shared(k)));
        assert!(
            !Sketch::with_slots(4).maybe_shared(42),
            "an empty sketch saw nothing"
        );
    }

    const WORDS: &[&str] = &[
        "river", "stone", "garden", "window", "letter", "market", "harbor", "winter", "summer",
        "candle", "bridge", "forest", "valley", "meadow", "lantern", "orchard", "village",
        "mountain", "station", "museum", "library", "theatre", "copper", "silver",
    ];

    const POSTS: usize = 300;

    fn paragraph(rng: &mut Xorshift, tag: &str) -> String {
        let words: Vec<&str> = (0..14).map(|_| WORDS[rng.below(WORDS.len())]).collect();
        format!("{} ({tag}).", words.join(" "))
    }

    /// Three folders of posts with every kind of cross-file finding: shared titles, slugs and
    /// covers,
    /// a folder's boilerplate lines, exact copies, near copies (some placed by a paragraph of
    /// their own just after the boilerplate, some longer than what they copy), and posts that
    /// share nothing.
    fn corpus(dir: &Path) {
        let mut rng = Xorshift::new(0xC0FFEE);
        let mut posts: Vec<(String, Vec<String>)> = Vec::new();
        for i in 0..POSTS {
            let folder = ["news", "blog", "notes"][i % 3];
            let title = match posts.len() {
                n if n > 5 && rng.below(10) == 0 => posts[rng.below(n)].0.clone(),
                _ => format!("Post number {i} about {}", WORDS[rng.below(WORDS.len())]),
            };
            let mut paragraphs: Vec<String> = match rng.below(10) {
                0 if i > 10 => posts[rng.below(i)].1.clone(),
                1 | 2 if i > 10 => {
                    let mut copy = posts[rng.below(i)].1.clone();
                    let at = if rng.below(2) == 0 { 1 } else { copy.len() / 2 };
                    if let Some(p) = copy.get_mut(at) {
                        *p = paragraph(&mut rng, &format!("changed {i}"));
                    }
                    copy
                }
                // Two paragraphs added: the second is the copy's own past its first, pruned
                // but still part of its story (20 of 22 shared: 90%).
                3 if i > 10 => {
                    let mut copy = posts[rng.below(i)].1.clone();
                    copy.push(paragraph(&mut rng, &format!("added {i}")));
                    copy.push(paragraph(&mut rng, &format!("added again {i}")));
                    copy
                }
                _ => (0..20)
                    .map(|p| paragraph(&mut rng, &format!("{i}.{p}")))
                    .collect(),
            };
            if folder == "news" && rng.below(5) < 2 {
                paragraphs.insert(0, "Download our app for the latest news every day.".into());
            }
            let slug = if rng.below(15) == 0 {
                "same-slug".to_string()
            } else {
                format!("p-{i}")
            };
            let cover = match rng.below(8) {
                0 => "https://example.com/logo.png".to_string(),
                _ => format!("https://example.com/covers/{i}.jpg"),
            };
            let path = dir.join(folder).join(format!("post-{i:03}.md"));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let text = format!(
                "---\ntitle: \"{title}\"\nslug: {slug}\ncover: {cover}\ndate: 2021-03-04\n---\n\n{}\n",
                paragraphs.join("\n\n")
            );
            std::fs::write(path, text).unwrap();
            posts.push((title, paragraphs));
        }
    }

    /// A folder discovery walks (not hidden, as `tempdir()`'s `.tmp…` is).
    fn corpus_dir() -> tempfile::TempDir {
        let dir = tempfile::Builder::new().prefix("spill").tempdir().unwrap();
        corpus(dir.path());
        dir
    }

    fn lint(dir: &Path, with: RunWith) -> Vec<String> {
        lint_through(dir, None, with).0
    }

    /// [`lint`] through the cache in `cache_dir`, when given (saved after the run), with how
    /// many files were taken from it.
    fn lint_through(dir: &Path, cache_dir: Option<&Path>, with: RunWith) -> (Vec<String>, usize) {
        let cache = cache_dir.map(crate::cache::Cache::open);
        let with = RunWith {
            cache: cache.as_ref(),
            ..with
        };
        let mut resolver = crate::config::ConfigResolver::new(None, Default::default()).unwrap();
        let targets = crate::discover::discover(&[dir.to_path_buf()], &mut resolver).unwrap();
        let env = crate::corpus::CorpusEnv {
            cache_dir: None,
            progress: false,
            snippets: false,
        };
        let (result, _) = crate::engine::run_with(&targets, CheckOptions::default(), &env, with);
        assert!(
            result.internal_errors.is_empty(),
            "{:?}",
            result.internal_errors
        );
        let hits = cache.as_ref().map_or(0, |c| c.hits());
        if let Some(cache) = cache {
            cache.save().unwrap();
        }
        let found = result.diagnostics.iter().map(|d| format!("{d:?}"));
        (found.collect(), hits)
    }

    #[test]
    fn spilled_and_pruned_facts_give_the_findings_of_held_facts() {
        let dir = corpus_dir();
        let held = lint(
            dir.path(),
            RunWith {
                spill_facts_from: usize::MAX,
                ..RunWith::default()
            },
        );
        eprintln!(
            "{}",
            held.iter()
                .map(|d| &d[..d.len().min(200)])
                .collect::<Vec<_>>()
                .join("\n")
        );
        let codes = [
            "CORPUS001",
            "CORPUS002",
            "CORPUS003",
            "CORPUS004",
            "CORPUS005",
            "IMG010",
        ];
        for code in codes {
            assert!(
                held.iter().any(|d| d.contains(code)),
                "the corpus has no {code} finding"
            );
        }
        // From a sketch that says "maybe" of every key (nothing pruned) to the default one.
        for slots in [0, 4, 8, SKETCH_SLOTS] {
            let spilled = lint(
                dir.path(),
                RunWith {
                    spill_facts_from: 0,
                    spill_sketch_slots: slots,
                    ..RunWith::default()
                },
            );
            assert!(
                spilled == held,
                "a sketch of 2^{slots} slots changed the findings"
            );
        }
    }

    #[test]
    fn facts_from_the_cache_are_counted_and_pruned_with_the_spilled_ones() {
        let dir = corpus_dir();
        let cache_dir = tempfile::tempdir().unwrap();
        let spilled = |slots| RunWith {
            spill_facts_from: 0,
            spill_sketch_slots: slots,
            ..RunWith::default()
        };
        let held = RunWith {
            spill_facts_from: usize::MAX,
            ..RunWith::default()
        };
        let cached = |with| lint_through(dir.path(), Some(cache_dir.path()), with);
        assert!(cached(spilled(SKETCH_SLOTS)) == (lint(dir.path(), held), 0));
        // One post becomes a copy of another: every other file's facts come from the cache,
        // decoded because the cross-file findings must be worked out again.
        let post = |name: &str| dir.path().join("blog").join(name);
        std::fs::copy(post("post-004.md"), post("post-001.md")).unwrap();
        let fresh = lint(dir.path(), held);
        assert!(
            fresh
                .iter()
                .any(|d| d.contains("post-001.md") && d.contains("CORPUS004"))
        );
        for slots in [4, SKETCH_SLOTS] {
            std::fs::copy(post("post-007.md"), post("post-001.md")).unwrap();
            cached(spilled(slots));
            std::fs::copy(post("post-004.md"), post("post-001.md")).unwrap();
            let (found, hits) = cached(spilled(slots));
            assert!(hits == POSTS - 1, "{hits} files from the cache");
            assert!(found == fresh, "2^{slots} slots");
        }
    }

    /// Damaged entries in the cache are never trusted: a file with findings is checked again
    /// when it is taken, a clean one when its facts are read (the cross-file findings worked
    /// out again), with facts held or spilled; then the cache holds them anew.
    #[test]
    fn damaged_entries_in_the_cache_are_checked_again() {
        let held = RunWith {
            spill_facts_from: usize::MAX,
            ..RunWith::default()
        };
        let spilled = RunWith {
            spill_facts_from: 0,
            ..RunWith::default()
        };
        for with in [held, spilled] {
            let dir = corpus_dir();
            // Files with findings of their own (the others have only cross-file ones): their
            // outcomes are read when they are taken.
            let own = ["blog/own-1.md", "blog/own-2.md", "blog/own-3.md"];
            for (i, name) in own.iter().enumerate() {
                let text = format!("---\ntitle: Own {i}\n---\n<p>Body {i} &nbsp text.</p>\n");
                std::fs::write(dir.path().join(name), text).unwrap();
            }
            let files = POSTS + own.len();
            // Past the racy window (cache.rs): the next runs take the files by their stat,
            // unread.
            std::thread::sleep(std::time::Duration::from_millis(2_100));
            let cache_dir = tempfile::tempdir().unwrap();
            lint_through(dir.path(), Some(cache_dir.path()), with);
            crate::cache::damage_every_blob(cache_dir.path());
            let post = |name: &str| dir.path().join("blog").join(name);
            std::fs::copy(post("post-004.md"), post("post-001.md")).unwrap();
            let fresh = lint(dir.path(), held);
            for name in own {
                assert!(
                    fresh.iter().any(|d| d.contains(name)),
                    "no finding in {name}"
                );
            }
            // The files with findings are checked again; the others are taken, and their
            // damaged facts checked again when the cross-file findings are worked out.
            let (found, hits) = lint_through(dir.path(), Some(cache_dir.path()), with);
            assert!(found == fresh);
            assert!(hits == POSTS - 1, "{hits} files from the cache");
            // Those are forgotten: checked once more, then kept.
            let (found, hits) = lint_through(dir.path(), Some(cache_dir.path()), with);
            assert!(found == fresh);
            assert!(hits == own.len() + 1, "{hits} files from the cache");
            let (found, hits) = lint_through(dir.path(), Some(cache_dir.path()), with);
            assert!(found == fresh);
            assert!(hits == files, "{hits} files from the cache");
        }
    }

    #[test]
    fn a_damaged_spill_is_an_error_not_a_panic() {
        let file = tempfile::tempfile().unwrap();
        let handle = file.try_clone().unwrap();
        let spill = Spill::with(Sketch::with_slots(4), Some(file));
        let dir = corpus_dir();
        for (index, f) in facts_of(dir.path()).into_iter().enumerate() {
            spill.push(index, Box::new(f));
        }
        assert!(spill.store.lock().unwrap().written_bytes() > 0);
        // Cut short under it: a record's length now runs past the end.
        handle.set_len(100).unwrap();
        assert!(spill.read_back().is_err());
    }

    /// Every file's facts from the corpus, as checks hand them over.
    fn facts_of(dir: &Path) -> Vec<FileFacts> {
        let mut resolver = crate::config::ConfigResolver::new(None, Default::default()).unwrap();
        let targets = crate::discover::discover(&[dir.to_path_buf()], &mut resolver).unwrap();
        targets
            .iter()
            .filter_map(|t| crate::engine::check_target(&t, CheckOptions::default()).facts)
            .map(|f| *f)
            .collect()
    }

    fn kept_indices(spill: Spill) -> (Vec<usize>, usize) {
        let ReadBack { kept, pruned } = spill.read_back().unwrap();
        let mut indices: Vec<usize> = kept.into_iter().map(|(i, _)| i).collect();
        indices.sort_unstable();
        (indices, pruned.len())
    }

    #[test]
    fn facts_read_back_whole_from_the_file_or_from_memory_when_the_file_fails() {
        let dir = corpus_dir();
        let facts = facts_of(dir.path());
        assert!(facts.len() == POSTS);
        let written = Spill::new(Sketch::with_slots(SKETCH_SLOTS));
        let in_memory = Spill::with(Sketch::with_slots(SKETCH_SLOTS), None);
        // Opened for reading only: every write fails, the first after a chunk fills.
        let unwritable_path = dir.path().join("unwritable");
        std::fs::write(&unwritable_path, b"").unwrap();
        let unwritable = Spill::with(
            Sketch::with_slots(SKETCH_SLOTS),
            Some(File::open(&unwritable_path).unwrap()),
        );
        for (index, f) in facts.iter().enumerate() {
            written.push(index, Box::new(f.clone()));
            in_memory.push(index, Box::new(f.clone()));
            unwritable.push(index, Box::new(f.clone()));
        }
        let written_bytes = written.store.lock().unwrap().written_bytes();
        assert!(
            written_bytes > 2 * CHUNK_BYTES as u64,
            "the test must read chunks back from the file ({written_bytes} bytes written)"
        );
        assert!(unwritable.store.lock().unwrap().failed);
        let (kept, pruned) = kept_indices(written);
        assert!(kept.len() + pruned == facts.len());
        assert!(
            pruned > 0 && !kept.is_empty(),
            "{} kept, {pruned} pruned",
            kept.len()
        );
        assert!(kept_indices(in_memory) == (kept.clone(), pruned));
        assert!(kept_indices(unwritable) == (kept, pruned));
    }
}
