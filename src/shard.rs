//! Sharded runs: which files shard `K/N` lints, the facts file a shard hands on
//! (`--emit-facts`), and what `artlint merge` checks before it puts facts files together: that
//! they are intact, that they are one split of one corpus under one configuration, and that the
//! posts it reports on are still the ones the shards checked.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::cache::{FORMAT, build, hash_bytes};
use crate::config::relative_path;
use crate::discover::Targets;
use crate::engine::ShardFacts;
use crate::source::{self, SkipReason};

/// A relative path's text with `/` separators, the same on every platform.
fn portable_text(relative: &Path) -> String {
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether the file at `relative` (see [`relative_path`]) belongs to shard `k` of `n`.
pub fn in_shard(relative: &Path, (k, n): (u64, u64)) -> bool {
    // FNV-1a: fixed, simple, and independent of the platform's hasher.
    let hash = portable_text(relative)
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    hash % n == k - 1
}

/// What a run was over, which every shard of one split must agree on: how many files, a key of
/// their paths (as [`relative_path`] names them), and one of each file's configuration (its
/// artlint.toml, its packs, and the command line's rule selection). The keys are sums of
/// per-file hashes: the order and the spelling of the command line's paths do not count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorpusKey {
    files: u64,
    paths: u64,
    configs: u64,
}

/// Keep of `targets` the files of `shard` (every file without one), each named by its
/// [`relative_path`] (discovery kept one spelling of each); the key of the whole corpus,
/// before the split.
pub fn split(targets: &mut Targets, shard: Option<(u64, u64)>) -> CorpusKey {
    let cwd = crate::config::working_folders();
    let mut key = CorpusKey {
        files: 0,
        paths: 0,
        configs: 0,
    };
    for target in targets.iter() {
        let text = portable_text(&relative_path(&target.path, cwd));
        let path_hash = hash_bytes(text.as_bytes());
        let mut config = text.into_bytes();
        config.extend(target.config.fingerprint.to_le_bytes());
        key.files += 1;
        key.paths = key.paths.wrapping_add(path_hash);
        key.configs = key.configs.wrapping_add(hash_bytes(&config));
    }
    targets.retain_as(|path| {
        let relative = relative_path(path, cwd);
        shard
            .is_none_or(|shard| in_shard(&relative, shard))
            .then_some(relative)
    });
    key
}

/// A shard's facts file (`--emit-facts`), read back by `artlint merge`; followed in the file by
/// a checksum of its bytes (xxh3, little-endian).
#[derive(Serialize, Deserialize)]
struct FactsFile {
    format: u32,
    version: String,
    /// Which shard (`K/N`) the facts are of, if the run was one.
    shard: Option<(u64, u64)>,
    corpus: CorpusKey,
    facts: ShardFacts,
}

/// Writes through to `out`, hashing what it writes.
struct Checksummed<'a> {
    out: &'a mut dyn Write,
    hasher: xxhash_rust::xxh3::Xxh3Default,
}

impl Write for Checksummed<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.out.write(buf)?;
        self.hasher.update(&buf[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Write a shard's facts to `path`.
pub fn write_facts(
    path: &Path,
    shard: Option<(u64, u64)>,
    corpus: CorpusKey,
    facts: ShardFacts,
) -> std::io::Result<()> {
    let file = FactsFile {
        format: FORMAT,
        version: build(),
        shard,
        corpus,
        facts,
    };
    crate::atomic_write::replace_file(path, crate::atomic_write::Fallback::Refuse, |out| {
        let mut checksummed = Checksummed {
            out,
            hasher: xxhash_rust::xxh3::Xxh3Default::new(),
        };
        postcard::to_io(&file, &mut checksummed).map_err(std::io::Error::other)?;
        let checksum = checksummed.hasher.digest();
        checksummed.out.write_all(&checksum.to_le_bytes())
    })
}

/// A facts file as read: its shard, its corpus, its facts, and its checksum (a merge reads each
/// file twice, and refuses one that changed in between).
pub struct FactsRead {
    pub shard: Option<(u64, u64)>,
    pub corpus: CorpusKey,
    pub facts: ShardFacts,
    pub checksum: u64,
}

/// Read a facts file written by [`write_facts`] (by this build of artlint), checking its
/// checksum.
pub fn read_facts(path: &Path) -> Result<FactsRead, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let not_facts = |e: postcard::Error| format!("not a facts file of artlint ({e})");
    let Some((payload, checksum)) = bytes.split_last_chunk::<8>() else {
        return Err("not a facts file of artlint (too short)".into());
    };
    let checksum = u64::from_le_bytes(*checksum);
    // The checksum first: the build named in a damaged file may be damaged too.
    if hash_bytes(payload) != checksum {
        return Err("damaged (its checksum does not match): run its shard again".into());
    }
    // Which build wrote it next: another build's file is refused as such.
    let (format, version): (u32, String) = postcard::take_from_bytes(payload)
        .map(|(head, _)| head)
        .map_err(not_facts)?;
    if format != FORMAT || version != build() {
        return Err(format!(
            "written by artlint {version}, this is {}: run the shards again",
            build()
        ));
    }
    let file: FactsFile = postcard::from_bytes(payload).map_err(not_facts)?;
    Ok(FactsRead {
        shard: file.shard,
        corpus: file.corpus,
        facts: file.facts,
        checksum,
    })
}

/// A facts file as [`check_split`] sees it: its name, its shard, its corpus.
pub type SplitPart<'a> = (&'a Path, Option<(u64, u64)>, CorpusKey);

/// Check that facts files make one whole corpus: shards 1 to N of one N, each once, run over
/// the same files with the same configuration (or files of whole runs, which need no check
/// here). `files` are each facts file's name, shard and corpus key.
pub fn check_split(files: &[SplitPart]) -> Result<(), String> {
    let numbered: Vec<(u64, u64)> = files.iter().filter_map(|(_, shard, _)| *shard).collect();
    if numbered.is_empty() {
        return Ok(());
    }
    if numbered.len() != files.len() {
        let whole: Vec<String> = files
            .iter()
            .filter(|(_, shard, _)| shard.is_none())
            .map(|(path, _, _)| path.display().to_string())
            .collect();
        return Err(format!(
            "{} {} of a whole run, the others of shards: merge the shards of one split",
            whole.join(", "),
            if whole.len() == 1 { "is" } else { "are" }
        ));
    }
    let n = numbered[0].1;
    if numbered.iter().any(|(_, m)| *m != n) {
        let ns: Vec<String> = files
            .iter()
            .filter_map(|(path, shard, _)| Some(format!("{}: {}", path.display(), (*shard)?.1)))
            .collect();
        return Err(format!(
            "the facts files are of splits into different numbers of shards ({})",
            ns.join(", ")
        ));
    }
    if let Some((path, Some((k, _)), _)) = files
        .iter()
        .find(|(_, shard, _)| shard.is_some_and(|(k, n)| k == 0 || k > n))
    {
        return Err(format!(
            "{} names shard {k}/{n}, which no split has",
            path.display()
        ));
    }
    let mut given: Vec<u64> = numbered.iter().map(|(k, _)| *k).collect();
    given.sort_unstable();
    let mut ks = given.clone();
    ks.dedup();
    if ks.len() != given.len() || ks.len() as u64 != n {
        // Up to ten of each listed: N may be large, and every k is within 1 to N, so the
        // missing ones are found among the first given.len() + 10.
        let missing = (1..=n)
            .filter(|k| ks.binary_search(k).is_err())
            .map(|k| format!("{k}/{n}"));
        let mut twice: Vec<String> = given
            .windows(2)
            .filter(|w| w[0] == w[1])
            .map(|w| format!("{}/{n}", w[0]))
            .collect();
        twice.dedup();
        let twice_count = twice.len() as u64;
        return Err(format!(
            "the shards do not make one corpus (missing: {}; given twice: {})",
            listed(missing, n - ks.len() as u64),
            listed(twice.into_iter(), twice_count)
        ));
    }
    let (first, _, key) = files[0];
    for (other, _, other_key) in &files[1..] {
        let (first, other) = (first.display(), other.display());
        if other_key.files != key.files {
            return Err(format!(
                "{other} is of a split of {} files, {first} of one of {}: the shards of a \
                 split must run over the same files, from the same folder",
                other_key.files, key.files
            ));
        }
        if other_key.paths != key.paths {
            return Err(format!(
                "{other} and {first} are of splits of {} files each, but not of the same \
                 files (or not named from the same folder): the shards of a split must run \
                 over the same files, from the same folder",
                key.files
            ));
        }
        if other_key.configs != key.configs {
            return Err(format!(
                "{other} and {first} were run with different configurations (artlint.toml, \
                 packs, or --select/--ignore): the shards of a split must run alike"
            ));
        }
    }
    Ok(())
}

/// The first ten of `count` items, or "none".
fn listed(items: impl Iterator<Item = String>, count: u64) -> String {
    let shown: Vec<String> = items.take(10).collect();
    match count {
        0 => "none".to_string(),
        1..=10 => shown.join(", "),
        _ => format!("{}, … ({count} in all)", shown.join(", ")),
    }
}

/// The posts of `facts` that are not, where this process runs, as their shard checked them:
/// each with what is wrong. A merge reads them to place findings, and looks for their local
/// images beside them: another folder, or posts changed since, would give findings that are
/// wrong or at the wrong place.
pub fn stale_posts(facts: &ShardFacts) -> Vec<(Arc<Path>, String)> {
    let posts: Vec<(&Arc<Path>, Option<u64>)> = facts.posts().collect();
    posts
        .par_iter()
        .filter_map(|(path, hash)| {
            let problem = match source::read_capped(path, u64::MAX) {
                Ok(bytes) => match hash {
                    Some(hash) if hash_bytes(&bytes) == *hash => return None,
                    Some(_) => "changed since its shard checked it".to_string(),
                    None => "its shard kept no hash of its text".to_string(),
                },
                Err(_) if std::fs::symlink_metadata(path).is_err() => "not found".to_string(),
                // Without a size cap, reading fails only as unreadable.
                Err(SkipReason::Unreadable(why)) => format!("cannot be read: {why}"),
                Err(other) => format!("cannot be read: {other:?}"),
            };
            Some(((*path).clone(), problem))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn a_split_names_what_is_missing_however_large_its_n() {
        let key = CorpusKey {
            files: 1,
            paths: 1,
            configs: 1,
        };
        let (a, b) = (Path::new("a.facts"), Path::new("b.facts"));
        let n = u64::MAX;
        let error = check_split(&[(a, Some((1, n)), key), (b, Some((1, n)), key)]).unwrap_err();
        assert!(
            error.contains(&format!("missing: 2/{n}, 3/{n}"))
                && error.contains(&format!("({} in all)", n - 1))
                && error.contains(&format!("given twice: 1/{n})")),
            "{error}"
        );
        let error = check_split(&[(a, Some((1, 2)), key), (b, Some((3, 2)), key)]).unwrap_err();
        assert!(error.contains("b.facts names shard 3/2"), "{error}");
        assert_eq!(
            check_split(&[(a, Some((2, 2)), key), (b, Some((1, 2)), key)]),
            Ok(())
        );
    }

    #[test]
    fn shards_are_of_about_equal_size() {
        // 7,000 posts named as a blog names them, in 7 shards: each within 10% of 1,000.
        let mut sizes = [0usize; 7];
        for i in 0..7000 {
            let path = PathBuf::from(format!("source/_posts/2021-{:02}-{i}.md", i % 12 + 1));
            for (k, size) in (1..=7).zip(sizes.iter_mut()) {
                *size += usize::from(in_shard(&path, (k, 7)));
            }
        }
        assert_eq!(sizes.iter().sum::<usize>(), 7000);
        assert!(sizes.iter().all(|s| (900..=1100).contains(s)), "{sizes:?}");
    }
}
