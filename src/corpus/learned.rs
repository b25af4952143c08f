//! Learned boilerplate (CORPUS002) and near-duplicate bodies (CORPUS005), from the text blocks
//! of every file (`blocks.rs`): a block found in many files of one folder is the folder's
//! boilerplate; two files sharing most of their other blocks tell the same story.
//!
//! Positions are found after the fact: a file's facts keep only block hashes and offsets, and
//! the few files with findings are read again to place them.

use std::collections::BTreeMap;

// Integer keys, hashed by the million: Fx is several times faster than SipHash here, and
// nothing here is keyed by untrusted input an attacker could collide.
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::Path;

use super::{CorpusEnv, FileFacts, Place, PrunedFiles, diagnostic};
use crate::diagnostic::Diagnostic;
use crate::discover::folder_of;
use crate::document::Document;
use crate::engine::snippet;

/// A block hash shared by more files than this is not a story's paragraph (skipped when
/// pairing near duplicates, which bounds the pairing work).
const MAX_FILES_PER_PARAGRAPH: usize = 50;

/// Place spans of `path` (read again; it may have been fixed on the way).
fn locate(path: &Path, spans: &[(u32, u32)], snippets: bool) -> Option<Vec<Place>> {
    let loaded = crate::source::load(path, u64::MAX).ok()?;
    // Only the text is needed here, not a parse: front matter detection is skipped.
    let doc = Document::text_only(path.into(), loaded);
    Some(
        spans
            .iter()
            .map(|(s, e)| {
                let span = (*s as usize).min(doc.text.len())..(*e as usize).min(doc.text.len());
                Place {
                    start: doc.position(span.start),
                    end: doc.position(span.end),
                    snippet: snippets.then(|| Box::new(snippet(&doc, &span, &[]))),
                    span,
                }
            })
            .collect(),
    )
}

/// Mixes a folder's id into a block hash (odd, so distinct folder ids give distinct masks).
const FOLDER_MIX: u64 = 0x9E37_79B9_7F4A_7C15;

/// Per file: its folder (as an id), and the counts that make a block boilerplate there.
struct Thresholds {
    folder: usize,
    min_files: usize,
    min_percent: usize,
}

pub(super) fn report(
    facts: &[Box<FileFacts>],
    pruned: &PrunedFiles,
    env: &CorpusEnv,
    out: &mut Vec<Diagnostic>,
) {
    // Folders as small ids: hashing a path per block would dominate the pass.
    let mut folder_ids: HashMap<&Path, usize> = HashMap::default();
    let thresholds: Vec<Thresholds> = facts
        .iter()
        .map(|f| {
            let next = folder_ids.len();
            Thresholds {
                folder: *folder_ids.entry(folder_of(&f.path)).or_insert(next),
                min_files: f.int_option("CORPUS002", "min-files", 5).max(2) as usize,
                min_percent: f.int_option("CORPUS002", "min-percent", 20).clamp(1, 100) as usize,
            }
        })
        .collect();
    let mut files_in = vec![0usize; folder_ids.len()];
    for t in &thresholds {
        files_in[t.folder] += 1;
    }
    for (folder, id) in &folder_ids {
        files_in[*id] += pruned.in_folder(folder);
    }
    // How many files of a folder hold each block: counted by sorting the block hashes (each
    // mixed with its folder's id into one word), which takes a fraction of a hash map's memory.
    let in_folder = |folder: usize, hash: u64| hash ^ (folder as u64).wrapping_mul(FOLDER_MIX);
    // Sized first: grown by doubling, the list of every block would peak at twice its size.
    let mut keys: Vec<u64> = Vec::with_capacity(facts.iter().map(|f| f.blocks.len()).sum());
    keys.extend(
        facts
            .iter()
            .zip(&thresholds)
            .flat_map(|(f, t)| f.blocks.iter().map(|b| in_folder(t.folder, b.hash))),
    );
    keys.par_sort_unstable();
    // A block in fewer files than any folder asks for is boilerplate nowhere: not kept.
    let fewest = thresholds.iter().map(|t| t.min_files).min().unwrap_or(2);
    let counts: Vec<(u64, u32)> = keys
        .chunk_by(|a, b| a == b)
        .filter(|run| run.len() >= fewest)
        .map(|run| (run[0], u32::try_from(run.len()).unwrap_or(u32::MAX)))
        .collect();
    drop(keys);
    let is_boilerplate = |i: usize, hash: u64| -> Option<(usize, usize)> {
        let t = &thresholds[i];
        let total = files_in[t.folder];
        let seen = counts
            .binary_search_by_key(&in_folder(t.folder, hash), |(key, _)| *key)
            .map_or(0, |at| counts[at].1 as usize);
        (seen >= t.min_files && seen * 100 >= t.min_percent * total).then_some((seen, total))
    };

    // In parallel: placing a file's findings reads the file again.
    let found: Vec<Diagnostic> = facts
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, f)| learned_boilerplate(f, env, &is_boilerplate, i))
        .collect();
    out.extend(found);

    near_duplicates(facts, env, &is_boilerplate, out);
}

/// The findings of file `i`: its blocks that are boilerplate of its folder.
fn learned_boilerplate(
    f: &FileFacts,
    env: &CorpusEnv,
    is_boilerplate: &BoilerplateTest,
    i: usize,
) -> Vec<Diagnostic> {
    let Some(rule) = f.rule("CORPUS002") else {
        return Vec::new();
    };
    let boilerplate: Vec<(&super::blocks::Block, usize, usize)> = f
        .blocks
        .iter()
        .filter_map(|b| is_boilerplate(i, b.hash).map(|(seen, total)| (b, seen, total)))
        .collect();
    if boilerplate.is_empty() {
        return Vec::new();
    }
    let spans: Vec<(u32, u32)> = boilerplate.iter().map(|(b, ..)| (b.start, b.end)).collect();
    let Some(places) = locate(&f.path, &spans, env.snippets) else {
        return Vec::new();
    };
    let dir = folder_of(&f.path).display().to_string();
    boilerplate
        .iter()
        .zip(&places)
        .map(|((_, seen, total), place)| {
            diagnostic(
                f,
                rule,
                place,
                format!("this block appears in {seen} of {total} posts under `{dir}/`: boilerplate of the source"),
                "remove it, or make a pack entry for it (`artlint learn` writes one) so --fix can",
            )
        })
        .collect()
}

type BoilerplateTest<'a> = dyn Fn(usize, u64) -> Option<(usize, usize)> + Sync + 'a;

fn near_duplicates(
    facts: &[Box<FileFacts>],
    env: &CorpusEnv,
    is_boilerplate: &BoilerplateTest,
    out: &mut Vec<Diagnostic>,
) {
    // Exact copies are CORPUS004's: only one file per body takes part.
    let mut bodies_seen = HashSet::default();
    let takes_part: Vec<bool> = facts
        .iter()
        .map(|f| {
            let unique_body = f.body.is_none_or(|(h, _)| bodies_seen.insert(h));
            unique_body && f.rule("CORPUS005").is_some()
        })
        .collect();
    // Each file's story is its blocks minus the folder's boilerplate. The files of each
    // paragraph are found by sorting (hash, file) pairs, the pairs of files that share
    // paragraphs by sorting those too (one word each); nothing is kept per file but a count.
    // Sized first, at most every block of the files that take part (see `keys`).
    let most: usize = facts
        .iter()
        .zip(&takes_part)
        .filter(|(_, takes_part)| **takes_part)
        .map(|(f, _)| f.blocks.len())
        .sum();
    let mut files_by_block: Vec<(u64, u32)> = Vec::with_capacity(most);
    files_by_block.extend(
        facts
            .iter()
            .zip(&takes_part)
            .enumerate()
            .filter(|(_, (_, takes_part))| **takes_part)
            .flat_map(|(i, (f, _))| {
                let file = u32::try_from(i).unwrap_or(u32::MAX);
                f.blocks
                    .iter()
                    .filter(move |b| is_boilerplate(i, b.hash).is_none())
                    .map(move |b| (b.hash, file))
            }),
    );
    // A file's blocks of its own, pruned from its facts, are part of its story too.
    let mut story_len: Vec<usize> = facts.iter().map(|f| f.lone_blocks as usize).collect();
    for (_, file) in &files_by_block {
        story_len[*file as usize] += 1;
    }
    files_by_block.par_sort_unstable();
    let mut pairs: Vec<u64> = Vec::new();
    for run in files_by_block
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|run| run.len() > 1 && run.len() <= MAX_FILES_PER_PARAGRAPH)
    {
        // Sorted by file within the run: each pair comes out as (smaller, larger).
        for (x, &(_, a)) in run.iter().enumerate() {
            pairs.extend(
                run[x + 1..]
                    .iter()
                    .map(|&(_, b)| (u64::from(a) << 32) | u64::from(b)),
            );
        }
    }
    drop(files_by_block);
    pairs.par_sort_unstable();
    let shared = pairs.chunk_by(|a, b| a == b).map(|run| {
        let (a, b) = ((run[0] >> 32) as usize, (run[0] & 0xFFFF_FFFF) as usize);
        ((a, b), run.len())
    });
    let mut twins: BTreeMap<usize, Vec<(usize, usize)>> = BTreeMap::new();
    for ((a, b), common) in shared {
        let fa = &facts[a];
        let union = story_len[a] + story_len[b] - common;
        let similarity = common * 100 / union.max(1);
        let threshold = fa
            .int_option("CORPUS005", "min-similarity", 90)
            .clamp(1, 100) as usize;
        if common >= 3 && similarity >= threshold {
            twins.entry(a).or_default().push((b, similarity));
            twins.entry(b).or_default().push((a, similarity));
        }
    }
    // In parallel: placing a finding reads the file again.
    let twins: Vec<(usize, Vec<(usize, usize)>)> = twins.into_iter().collect();
    let found: Vec<Diagnostic> = twins
        .into_par_iter()
        .filter_map(|(i, others)| near_duplicate(facts, env, is_boilerplate, i, &others))
        .collect();
    out.extend(found);
}

/// The finding of file `i`, a near duplicate of `others` (with their similarity).
fn near_duplicate(
    facts: &[Box<FileFacts>],
    env: &CorpusEnv,
    is_boilerplate: &BoilerplateTest,
    i: usize,
    others: &[(usize, usize)],
) -> Option<Diagnostic> {
    let f = &facts[i];
    let rule = f.rule("CORPUS005")?;
    let first = f
        .blocks
        .iter()
        .find(|b| is_boilerplate(i, b.hash).is_none())?;
    let places = locate(&f.path, &[(first.start, first.end)], env.snippets)?;
    let (best, similarity) = others
        .iter()
        .max_by_key(|(o, s)| (*s, std::cmp::Reverse(*o)))
        .copied()
        .unwrap_or((i, 0));
    let more = if others.len() > 1 {
        format!(" and {} more", others.len() - 1)
    } else {
        String::new()
    };
    Some(diagnostic(
        f,
        rule,
        &places[0],
        format!(
            "the body is {similarity}% the same as {}{more}: the same story published twice?",
            facts[best].path.display()
        ),
        "keep one version (and redirect the other's URL)",
    ))
}

/// A file and its blocks' hashes with their text as written.
type FileBlocks = (std::sync::Arc<Path>, Vec<(u64, String)>);

/// `artlint learn`: the blocks that recur across the files of each folder, as a pack for a
/// person to review (phrases taken from the first occurrence, as written).
pub fn learn(
    targets: &crate::discover::Targets,
    min_files: usize,
    min_percent: usize,
    name: &str,
) -> Learned {
    use rayon::prelude::*;
    let loaded: Vec<Result<FileBlocks, (std::sync::Arc<Path>, crate::source::SkipReason)>> =
        targets
            .par_iter()
            .map(|t| {
                let loaded = match t.problem.as_deref() {
                    Some(problem) => Err(problem.clone()),
                    None => crate::source::load(&t.path, t.config.max_file_size),
                }
                .map_err(|reason| (t.path.clone(), reason))?;
                let doc = Document::parse(t.path.clone(), loaded);
                let mut seen = HashSet::default();
                let blocks = super::blocks::blocks(&doc, super::DEFAULT_MIN_BLOCK_CHARS, false)
                    .into_iter()
                    .filter(|(b, _)| seen.insert(b.hash))
                    .map(|(b, _)| {
                        // The longest text run of the block, as written: what a phrase can match.
                        let span = b.start as usize..b.end as usize;
                        let index = doc.html_index();
                        let raw = index
                            .texts
                            .iter()
                            .filter(|r| r.start >= span.start && r.end <= span.end)
                            .map(|r| doc.slice(r).trim())
                            .max_by_key(|t| t.len())
                            .unwrap_or_else(|| doc.slice(&span).trim())
                            .to_string();
                        (b.hash, raw)
                    })
                    .collect();
                Ok((t.path.clone(), blocks))
            })
            .collect();
    let mut per_file: Vec<FileBlocks> = Vec::new();
    let mut unread = Vec::new();
    for file in loaded {
        match file {
            Ok(blocks) => per_file.push(blocks),
            Err(skipped) => unread.push(skipped),
        }
    }
    let mut files_in: HashMap<&Path, usize> = HashMap::default();
    let mut counts: BTreeMap<(&Path, u64), (usize, &str)> = BTreeMap::new();
    for (path, blocks) in &per_file {
        let dir = folder_of(path);
        *files_in.entry(dir).or_default() += 1;
        for (hash, raw) in blocks {
            counts.entry((dir, *hash)).or_insert((0, raw)).0 += 1;
        }
    }
    let mut found: Vec<(&Path, usize, usize, &str)> = counts
        .iter()
        .filter(|((dir, _), (seen, raw))| {
            let total = files_in[dir];
            *seen >= min_files && seen * 100 >= min_percent * total && !raw.is_empty()
        })
        .map(|((dir, _), (seen, raw))| (*dir, *seen, files_in[dir], *raw))
        .collect();
    found.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)).then(a.3.cmp(b.3)));
    // Codes BP900–BP999: the most frequent hundred blocks.
    found.truncate(100);
    let mut yaml = format!(
        "# Learned by `artlint learn`: text that recurs across posts of one folder.\n\
         # Review every entry before keeping this pack: delete what is real content, add `fix: delete`\n\
         # where removal is wanted, and load it with `packs = [\"rules/{name}.yaml\"]` in artlint.toml.\n\
         pack: {name}\ndescription: boilerplate learned from the corpus\nrules:{}\n",
        // An empty list written as one: a bare `rules:` is no list, and loading the pack failed.
        if found.is_empty() { " []" } else { "" }
    );
    for (i, (dir, seen, total, raw)) in found.iter().enumerate() {
        let quoted = raw.replace('\'', "''");
        yaml.push_str(&format!(
            "  - code: BP{:03}\n    name: {name}-{}\n    message: recurring block of {}\n    phrase: '{quoted}'\n    seen: '{seen} of {total} posts under {}'\n",
            900 + i,
            i + 1,
            dir.display().to_string().replace('\'', "''"),
            dir.display().to_string().replace('\'', "''"),
        ));
    }
    Learned {
        entries: found.len(),
        read: per_file.len(),
        unread,
        pack: yaml,
    }
}

/// What `artlint learn` made, and of what.
pub struct Learned {
    /// The pack's YAML.
    pub pack: String,
    /// Its entries.
    pub entries: usize,
    /// Posts read.
    pub read: usize,
    /// Posts that could not be read, and why.
    pub unread: Vec<(std::sync::Arc<Path>, crate::source::SkipReason)>,
}
