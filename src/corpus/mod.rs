//! Corpus pass: rules that need every file, or the world outside the file. Each file
//! contributes small facts in the parallel pass (`collect`); `finish` reduces them into
//! findings. This stage, not the rules, touches the disk (local images) and the network
//! (`--online`); the rules in `src/rules/{corpus,images}` carry the codes and the docs.

pub mod blocks;
mod learned;
pub mod spill;

pub use learned::learn;

// Fx hashing: these maps are keyed by hashes, URLs and paths of the corpus, millions of lookups
// a run, and nothing here needs SipHash's resistance to chosen collisions.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::config::{ActiveRule, Config};
use crate::diagnostic::{Diagnostic, Severity, Snippet, Span};
use crate::document::Document;
use crate::document::images::ImageSource;
use crate::engine::CheckOptions;
use crate::position::Position;
use crate::rules::RuleMeta;
use crate::rules::images::{UrlKind, url_kind, url_problem};

/// Where a fact sits in its file: enough to report it without the file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Place {
    pub span: Span,
    pub start: Position,
    pub end: Position,
    /// Boxed: only the human report keeps code frames, and every file holds a few places.
    pub snippet: Option<Box<Snippet>>,
}

/// A corpus rule active for a file, with its severity and options there.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct RuleUse {
    #[serde(with = "crate::rules::meta_by_code")]
    meta: &'static RuleMeta,
    severity: Severity,
    /// As TOML text in artlint's own files: compact formats cannot hold a self-describing table.
    /// `None` when the rule has no options (most do not: one such list is kept per file).
    #[serde(with = "toml_text")]
    options: Option<Box<toml::Table>>,
}

impl PartialEq for RuleUse {
    fn eq(&self, other: &RuleUse) -> bool {
        (self.meta.code, self.severity, &self.options)
            == (other.meta.code, other.severity, &other.options)
    }
}

impl RuleUse {
    fn option(&self, name: &str) -> Option<&toml::Value> {
        self.options.as_ref()?.get(name)
    }
}

/// The use of the rule `code` among a file's corpus rules, if it runs there.
fn rule_in<'a>(uses: &'a [RuleUse], code: &str) -> Option<&'a RuleUse> {
    uses.iter().find(|r| r.meta.code == code)
}

/// The integer option `name` of the rule `code` among `uses`, or `default`.
fn int_option_in(uses: &[RuleUse], code: &str, name: &str, default: i64) -> i64 {
    rule_in(uses, code)
        .and_then(|r| r.option(name))
        .and_then(toml::Value::as_integer)
        .unwrap_or(default)
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct LocalImage {
    url: String,
    /// Any of these existing makes the image present.
    #[serde(with = "crate::diagnostic::path_bytes::list")]
    candidates: Vec<PathBuf>,
    place: Place,
}

/// What one file contributes to the corpus pass (kept in the cache and in `--emit-facts`
/// files).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FileFacts {
    #[serde(with = "crate::diagnostic::shared_path")]
    path: Arc<Path>,
    /// Shared by the files of one configuration (see [`shared_uses`]), read back too.
    #[serde(deserialize_with = "shared_uses_of")]
    rules: Arc<[RuleUse]>,
    /// The case- and space-folded title, hashed (xxh3, 64 bits): only its equality with other
    /// titles matters, and two titles take about 2^32 posts to collide, as bodies do.
    title: Option<(u64, Place)>,
    /// What many posts have none of (a slug, covers, images to look up): boxed, so that a
    /// plain post carries one pointer for them, not 160 bytes of empty lists.
    extras: Option<Box<Extras>>,
    /// Hash and length of the whole body's normalised text.
    body: Option<(u64, usize)>,
    /// Text blocks, each hash once per file (the first occurrence), not overlapping a
    /// pack finding (the pack already says it).
    #[serde(with = "block_records")]
    blocks: Vec<blocks::Block>,
    /// Blocks pruned away as shared with no other file ([`FileFacts::prune`]): they still
    /// count in the length of the file's story (CORPUS005). Not stored: pruned facts live only
    /// in the corpus pass, never in a cache or a facts file, which hold every block.
    #[serde(skip)]
    lone_blocks: u32,
}

/// The facts of [`FileFacts`] that many posts have none of.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Extras {
    /// Front-matter image URLs (each once per post).
    covers: Vec<(String, Place)>,
    local_images: Vec<LocalImage>,
    /// `http(s)` image URLs, collected only when the online check is on.
    remote_images: Vec<(String, Place)>,
    online: Option<Box<crate::config::OnlineSettings>>,
    /// `slug`/`permalink`, normalised.
    slug: Option<(String, Place)>,
}

impl Extras {
    const NONE: Extras = Extras {
        covers: Vec::new(),
        local_images: Vec::new(),
        remote_images: Vec::new(),
        online: None,
        slug: None,
    };

    fn is_empty(&self) -> bool {
        self.covers.is_empty()
            && self.local_images.is_empty()
            && self.remote_images.is_empty()
            && self.online.is_none()
            && self.slug.is_none()
    }
}

/// Blocks as fixed 16-byte little-endian records (hash, start, end) in one byte string: a warm
/// run decodes a million of them, which field by field was a tenth of its time.
mod block_records {
    use serde::{Deserializer, Serializer};

    use super::blocks::Block;

    pub fn serialize<S: Serializer>(blocks: &[Block], s: S) -> Result<S::Ok, S::Error> {
        let mut bytes = Vec::with_capacity(blocks.len() * 16);
        for b in blocks {
            bytes.extend_from_slice(&b.hash.to_le_bytes());
            bytes.extend_from_slice(&b.start.to_le_bytes());
            bytes.extend_from_slice(&b.end.to_le_bytes());
        }
        serde_bytes::serialize(&bytes, s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Block>, D::Error> {
        let bytes: std::borrow::Cow<'de, [u8]> = serde_bytes::deserialize(d)?;
        if !bytes.len().is_multiple_of(16) {
            return Err(serde::de::Error::custom("block records are 16 bytes each"));
        }
        let word = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap_or_default());
        let half = |b: &[u8]| u32::from_le_bytes(b.try_into().unwrap_or_default());
        Ok(bytes
            .chunks_exact(16)
            .map(|r| Block {
                hash: word(&r[..8]),
                start: half(&r[8..12]),
                end: half(&r[12..]),
            })
            .collect())
    }
}

mod toml_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        table: &Option<Box<toml::Table>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.serialize_str(
            &table
                .as_deref()
                .map(toml::Table::to_string)
                .unwrap_or_default(),
        )
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Box<toml::Table>>, D::Error> {
        let text = String::deserialize(d)?;
        // Most rules have no options: nothing to parse.
        if text.is_empty() {
            return Ok(None);
        }
        let table: toml::Table = text.parse().map_err(serde::de::Error::custom)?;
        Ok((!table.is_empty()).then(|| Box::new(table)))
    }
}

impl FileFacts {
    /// The facts of `path`, under these rules, before any is collected.
    fn new(path: Arc<Path>, rules: Arc<[RuleUse]>) -> FileFacts {
        FileFacts {
            path,
            rules,
            title: None,
            extras: None,
            body: None,
            blocks: Vec::new(),
            lone_blocks: 0,
        }
    }

    /// The keys the cross-file rules group files by, each told from the other kinds by a tag:
    /// the title's hash, the body's, each block's, the slug's and each cover URL's. (The
    /// images looked up on disk or online are not keys: they are kept whole.)
    pub(crate) fn keys(&self, mut key: impl FnMut(u64)) {
        if let Some(extras) = &self.extras {
            if let Some((slug, _)) = &extras.slug {
                key(text_key(slug, SLUG_KEY));
            }
            for (url, _) in &extras.covers {
                key(text_key(url, COVER_KEY));
            }
        }
        if let Some((hash, _)) = &self.title {
            key(hash ^ TITLE_KEY);
        }
        if let Some((hash, _)) = &self.body {
            key(hash ^ BODY_KEY);
        }
        for block in &self.blocks {
            key(block.hash);
        }
    }

    /// Drop every fact no other file shares (the sketch says so, never wrongly): a title, a
    /// body, a slug of its own, blocks and covers of its own. Whether anything is left to keep
    /// the file for.
    ///
    /// A file's first block that is not boilerplate places its near-duplicate finding, and a
    /// block of its own is never boilerplate: the blocks up to the first of its own stay. It
    /// matters only to a file that shares three blocks or more (CORPUS005 asks three).
    pub(crate) fn prune(&mut self, sketch: &spill::Sketch) -> bool {
        if self
            .title
            .as_ref()
            .is_some_and(|(h, _)| !sketch.maybe_shared(h ^ TITLE_KEY))
        {
            self.title = None;
        }
        if self
            .body
            .is_some_and(|(h, _)| !sketch.maybe_shared(h ^ BODY_KEY))
        {
            self.body = None;
        }
        if let Some(extras) = &mut self.extras {
            if extras
                .slug
                .as_ref()
                .is_some_and(|(slug, _)| !sketch.maybe_shared(text_key(slug, SLUG_KEY)))
            {
                extras.slug = None;
            }
            extras
                .covers
                .retain(|(url, _)| sketch.maybe_shared(text_key(url, COVER_KEY)));
            if extras.is_empty() {
                self.extras = None;
            }
        }
        let shared: Vec<bool> = self
            .blocks
            .iter()
            .map(|b| sketch.maybe_shared(b.hash))
            .collect();
        let placed_by = if shared.iter().filter(|s| **s).count() >= 3 {
            shared.iter().position(|s| !s).map_or(0, |first| first + 1)
        } else {
            0
        };
        let before = self.blocks.len();
        let mut at = 0;
        self.blocks.retain(|_| {
            at += 1;
            at <= placed_by || shared[at - 1]
        });
        self.lone_blocks += u32::try_from(before - self.blocks.len()).unwrap_or(u32::MAX);
        if self.blocks.len() < before {
            self.blocks.shrink_to_fit();
        }
        self.title.is_some()
            || self.body.is_some()
            || !self.blocks.is_empty()
            || self.extras.is_some()
    }

    /// Drop the code frames of every place, as facts collected for a report without them
    /// would have none (facts read back from a cache written by a human report have them).
    pub(crate) fn drop_code_frames(&mut self) {
        for place in self.places_mut() {
            place.snippet = None;
        }
    }

    /// The code frames [`FileFacts::drop_code_frames`] dropped (or a run without them never
    /// made), made again from `doc`, the text the facts were collected from.
    pub(crate) fn add_code_frames(&mut self, doc: &Document) {
        for place in self.places_mut() {
            place.snippet = Some(Box::new(crate::engine::snippet(doc, &place.span, &[])));
        }
    }

    /// Every place these facts hold.
    fn places_mut(&mut self) -> impl Iterator<Item = &mut Place> {
        let title = self.title.as_mut().map(|(_, place)| place);
        let extras = self.extras.as_deref_mut().into_iter().flat_map(|extras| {
            extras
                .slug
                .iter_mut()
                .chain(extras.covers.iter_mut())
                .chain(extras.remote_images.iter_mut())
                .map(|(_, place)| place)
                .chain(extras.local_images.iter_mut().map(|image| &mut image.place))
        });
        title.into_iter().chain(extras)
    }

    /// The facts many posts have none of (empty lists for those).
    fn extras(&self) -> &Extras {
        static NONE: Extras = Extras::NONE;
        self.extras.as_deref().unwrap_or(&NONE)
    }

    /// The file these facts are about.
    pub fn path(&self) -> &Arc<Path> {
        &self.path
    }

    /// Point the facts' path at `path` when they are equal (see `FileOutcome::share_path`).
    pub(crate) fn share_path(&mut self, path: &Arc<Path>) {
        if *self.path == **path {
            self.path = path.clone();
        }
    }

    /// The integer option `name` of the rule `code` for this file, or `default`.
    fn int_option(&self, code: &str, name: &str, default: i64) -> i64 {
        int_option_in(&self.rules, code, name, default)
    }

    fn rule(&self, code: &str) -> Option<&RuleUse> {
        rule_in(&self.rules, code)
    }

    /// Whether the checks of the outside world, which run every time (the cache cannot know
    /// whether an image appeared on disk or went from a server), read these facts.
    pub(crate) fn read_every_run(&self) -> bool {
        let extras = self.extras();
        (!extras.local_images.is_empty() && self.rule("IMG005").is_some())
            || extras.online.is_some()
    }
}

/// Tags that tell a title's and a body's key from a block's in the sketch (see
/// [`FileFacts::keys`]).
const TITLE_KEY: u64 = 0x7469_746c_6500_0001;
const BODY_KEY: u64 = 0x626f_6479_0000_0002;
const SLUG_KEY: u64 = 0x736c_7567_0000_0003;
const COVER_KEY: u64 = 0x636f_7665_7200_0004;

const PATH_KEY: u64 = 0x7061_7468_0000_0005;

/// A file's path as a key (`artlint merge` counts them, to find a file in two shards): of its
/// components, as the merge compares paths (`a/b` and `a\\b` are one path on Windows).
pub fn path_key(path: &Path) -> u64 {
    xxhash_rust::xxh3::xxh3_64(&crate::discover::order_key(path)) ^ PATH_KEY
}

/// A text's key in the sketch (xxh3, as titles are hashed).
fn text_key(text: &str, tag: u64) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes()) ^ tag
}

/// Codes of the rules whose work happens here.
const CORPUS_CODES: &[&str] = &[
    "CORPUS001",
    "CORPUS002",
    "CORPUS003",
    "CORPUS004",
    "CORPUS005",
    "IMG005",
    "IMG010",
    "IMG011",
    "IMG012",
    "IMG013",
    "IMG014",
    "IMG015",
];
/// Whether the findings of the rule `code` depend on other files than their own: the
/// cross-file rules, and the suppression rules (ART001, ART002), which judge suppressions
/// against the cross-file findings too. A sharded run leaves them to `artlint merge`.
pub fn is_cross_file(code: &str) -> bool {
    CORPUS_CODES.contains(&code) || matches!(code, "ART001" | "ART002")
}

/// Whether the rule `code` asks image URLs over HTTP (run only online).
pub fn is_online(code: &str) -> bool {
    ONLINE_CODES.contains(&code)
}

const ONLINE_CODES: &[&str] = &["IMG011", "IMG012", "IMG013", "IMG014", "IMG015"];

fn place(doc: &Document, span: &Span, options: CheckOptions) -> Place {
    Place {
        start: doc.position(span.start),
        end: doc.position(span.end),
        snippet: options
            .snippets
            .then(|| Box::new(crate::engine::snippet(doc, span, &[]))),
        span: span.clone(),
    }
}

/// The map step, run per file in the parallel pass.
pub fn collect(
    doc: &Document,
    config: &Config,
    rules: &[ActiveRule],
    options: CheckOptions,
    diagnostics: &[Diagnostic],
) -> Option<FileFacts> {
    let uses: Vec<RuleUse> = rules
        .iter()
        .filter(|a| CORPUS_CODES.contains(&a.rule.meta().code))
        .map(|a| RuleUse {
            meta: a.rule.meta(),
            severity: a.severity,
            options: (!a.options.is_empty()).then(|| Box::new(a.options.clone())),
        })
        .collect();
    if uses.is_empty() || doc.skipped.is_some() {
        return None;
    }
    let uses = shared_uses(uses);
    let has = |code: &str| rule_in(&uses, code).is_some();
    let mut facts = FileFacts::new(doc.path.clone(), uses.clone());
    let mut extras = Extras::default();
    if has("CORPUS003") {
        extras.slug = ["slug", "permalink"].iter().find_map(|key| {
            let entry = doc.fields()?.get(key)?;
            let slug = entry
                .value
                .value
                .as_str()?
                .trim()
                .trim_matches('/')
                .to_lowercase();
            (!slug.is_empty()).then(|| (slug, place(doc, &entry.value.span, options)))
        });
    }
    if has("CORPUS002") || has("CORPUS004") || has("CORPUS005") {
        let min = int_option_in(
            &uses,
            "CORPUS002",
            "min-length",
            DEFAULT_MIN_BLOCK_CHARS as i64,
        )
        .max(1) as usize;
        let flagged = crate::span_index::SpanIndex::new(
            diagnostics
                .iter()
                .filter(|d| d.rule.family == crate::rules::Family::Boilerplate)
                .map(|d| d.span.clone()),
        );
        let mut seen = HashSet::default();
        let body = blocks::body(doc, min, false);
        facts.body = Some((body.hash, body.weight));
        for (block, _) in body.blocks {
            let span = block.start as usize..block.end as usize;
            if !flagged.overlaps(&span) && seen.insert(block.hash) {
                facts.blocks.push(block);
            }
        }
        // Kept for the whole run: no spare capacity.
        facts.blocks.shrink_to_fit();
    }
    if has("CORPUS001") {
        facts.title = doc.fields().and_then(|f| f.get("title")).and_then(|entry| {
            let title = entry.value.value.as_str()?;
            let normalised = title
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            (!normalised.is_empty()).then(|| {
                let hash = xxhash_rust::xxh3::xxh3_64(normalised.as_bytes());
                (hash, place(doc, &entry.value.span, options))
            })
        });
    }
    if has("IMG010") {
        let mut seen = HashSet::default();
        for image in doc.front_matter_images(&config.image_fields).iter() {
            if !image.url.is_empty() && seen.insert(image.url.clone()) {
                extras
                    .covers
                    .push((image.url.clone(), place(doc, &image.span, options)));
            }
        }
    }
    let online = config.online.enabled && ONLINE_CODES.iter().any(|c| has(c));
    if has("IMG005") || online {
        let dir = crate::discover::folder_of(&doc.path);
        let mut roots: Vec<PathBuf> = config
            .site_for(dir)
            .map(|s| s.asset_roots())
            .unwrap_or_default();
        if let Some(extra) = rule_in(&uses, "IMG005").and_then(|u| u.option("roots")) {
            roots.extend(
                extra
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(toml::Value::as_str)
                    .map(|r| config.root.join(r)),
            );
        }
        let fm = doc.front_matter_images(&config.image_fields);
        // Malformed URLs are IMG002's: neither the disk nor the network can say more. (Asked
        // after the kind: most URLs are of a kind no rule here follows.)
        let checkable = |i: &crate::document::images::ImageRef| url_problem(&i.url).is_none();
        for image in fm.iter().chain(doc.body_images()).filter(|i| !i.in_comment) {
            match url_kind(&image.url) {
                UrlKind::Http | UrlKind::Https if online && checkable(image) => {
                    extras
                        .remote_images
                        .push((image.url.clone(), place(doc, &image.span, options)));
                }
                UrlKind::Relative | UrlKind::SiteRelative if has("IMG005") && checkable(image) => {
                    let candidates = local_candidates(doc, dir, &image.url, &roots, image.source);
                    if !candidates.is_empty() {
                        extras.local_images.push(LocalImage {
                            url: image.url.clone(),
                            candidates,
                            place: place(doc, &image.span, options),
                        });
                    }
                }
                _ => {}
            }
        }
        if online {
            extras.online = Some(Box::new(config.online.clone()));
        }
    }
    facts.extras = (!extras.is_empty()).then(|| Box::new(extras));
    Some(facts)
}

/// A file's corpus rules as a cache or facts file holds them, shared as [`collect`] shares them.
fn shared_uses_of<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Arc<[RuleUse]>, D::Error> {
    Ok(shared_uses(Vec::deserialize(d)?))
}

/// One allocation for every file with these corpus rules (a corpus has a few configurations and
/// tens of thousands of files; a list per file was a fifth of what a clean file kept).
fn shared_uses(uses: Vec<RuleUse>) -> Arc<[RuleUse]> {
    /// Past this many distinct lists (a configuration per folder, say), each file keeps its own.
    const KEPT: usize = 64;
    static SEEN: std::sync::Mutex<Vec<Arc<[RuleUse]>>> = std::sync::Mutex::new(Vec::new());
    thread_local! {
        /// The list this thread shared last: most files share it, found without the lock.
        static LAST: std::cell::RefCell<Option<Arc<[RuleUse]>>> =
            const { std::cell::RefCell::new(None) };
    }
    if let Some(shared) = LAST
        .with(|last| last.borrow().clone())
        .filter(|s| **s == *uses)
    {
        return shared;
    }
    let shared = match SEEN.lock() {
        Ok(mut seen) => match seen.iter().find(|s| ***s == *uses) {
            Some(shared) => shared.clone(),
            None => {
                let shared: Arc<[RuleUse]> = Arc::from(uses);
                if seen.len() < KEPT {
                    seen.push(shared.clone());
                }
                shared
            }
        },
        Err(_) => Arc::from(uses),
    };
    LAST.with(|last| *last.borrow_mut() = Some(shared.clone()));
    shared
}

/// Where a local image may live. Empty when it cannot be judged (site-relative, no site root).
fn local_candidates(
    doc: &Document,
    dir: &Path,
    url: &str,
    roots: &[PathBuf],
    source: ImageSource,
) -> Vec<PathBuf> {
    let path = percent_decode(url.split(['?', '#']).next().unwrap_or(""));
    if path.is_empty() {
        return Vec::new();
    }
    if let Some(site_path) = path.strip_prefix('/') {
        return roots.iter().map(|r| r.join(site_path)).collect();
    }
    let mut out = vec![dir.join(&path)];
    // Hexo's post asset folder: `source/_posts/a.md` keeps its images in `source/_posts/a/`.
    if let Some(stem) = doc.path.file_stem() {
        out.push(dir.join(stem).join(&path));
    }
    // Front-matter paths are usually written from the site root without the leading `/`.
    if source == ImageSource::FrontMatter {
        out.extend(roots.iter().map(|r| r.join(&path)));
    }
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn diagnostic(
    facts: &FileFacts,
    rule: &RuleUse,
    place: &Place,
    message: String,
    help: &str,
) -> Diagnostic {
    // Cross-file findings are identified by what they say (it names the other files).
    let fingerprint = crate::baseline::fingerprint(rule.meta.code, "", "", &message);
    Diagnostic {
        fingerprint,
        rule: rule.meta,
        severity: rule.severity,
        path: facts.path.clone(),
        span: place.span.clone(),
        start: place.start,
        end: place.end,
        message,
        labels: Vec::new(),
        help: Some(help.to_string()),
        fix: None,
        snippet: place.snippet.clone(),
    }
}

/// Everything the reduce step may need from outside the facts.
#[derive(Clone, Debug, Default)]
pub struct CorpusEnv {
    /// Where the online results are cached; `None` with `--no-cache`.
    pub cache_dir: Option<PathBuf>,
    pub progress: bool,
    /// Keep code frames for findings located after the fact (learned boilerplate).
    pub snippets: bool,
}

/// Blocks lighter than this (characters, CJK counting double) are too generic to call
/// boilerplate.
pub const DEFAULT_MIN_BLOCK_CHARS: usize = 12;

/// Files the corpus pass knows only by their folder: [`FileFacts::prune`] left them nothing,
/// but boilerplate is a share of a folder's files, so they are counted there.
#[derive(Debug, Default)]
pub struct PrunedFiles {
    by_folder: HashMap<PathBuf, usize>,
}

impl PrunedFiles {
    pub fn add(&mut self, facts: &FileFacts) {
        let folder = crate::discover::folder_of(&facts.path);
        match self.by_folder.get_mut(folder) {
            Some(count) => *count += 1,
            None => {
                self.by_folder.insert(folder.to_path_buf(), 1);
            }
        }
    }

    pub fn extend(&mut self, other: PrunedFiles) {
        for (folder, count) in other.by_folder {
            *self.by_folder.entry(folder).or_default() += count;
        }
    }

    fn in_folder(&self, folder: &Path) -> usize {
        self.by_folder.get(folder).copied().unwrap_or(0)
    }

    pub fn len(&self) -> usize {
        self.by_folder.values().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.by_folder.is_empty()
    }
}

/// The reduce step: cross-file findings, local-image existence, online checks.
pub fn finish(facts: Vec<Box<FileFacts>>, env: &CorpusEnv) -> Vec<Diagnostic> {
    let mut out = cross_file(&facts, &PrunedFiles::default(), env);
    out.extend(outside_world(&facts, env));
    out
}

/// The findings that depend on the facts alone (so the cache may keep them while no fact
/// changes): of `facts`, and of the files `pruned` left out of them.
pub fn cross_file(
    facts: &[Box<FileFacts>],
    pruned: &PrunedFiles,
    env: &CorpusEnv,
) -> Vec<Diagnostic> {
    // Independent reductions over the same facts: run side by side, put together in a fixed
    // order (the findings are sorted afterwards anyway).
    let (mut out, (learned, covers)) = rayon::join(
        || {
            findings_of(|out| {
                duplicate_titles(facts, out);
                duplicate_slugs(facts, out);
                duplicate_bodies(facts, out);
            })
        },
        || {
            rayon::join(
                || findings_of(|out| learned::report(facts, pruned, env, out)),
                || findings_of(|out| shared_covers(facts, out)),
            )
        },
    );
    out.extend(learned);
    out.extend(covers);
    out
}

/// What `pass` reports.
fn findings_of(pass: impl FnOnce(&mut Vec<Diagnostic>)) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    pass(&mut out);
    out
}

/// The findings that depend on the disk and the network as they are now: local images, and
/// (with `--online`) remote ones.
pub fn outside_world(facts: &[Box<FileFacts>], env: &CorpusEnv) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    missing_local_images(facts, &mut out);
    online_images(facts, env, &mut out);
    out
}

fn duplicate_titles(facts: &[Box<FileFacts>], out: &mut Vec<Diagnostic>) {
    report_groups(
        facts,
        "CORPUS001",
        |f| f.title.as_ref().map(|(t, p)| (*t, p)),
        |n, others| format!("{n} posts share this title; also in {others}"),
        "give each post its own title, or delete the duplicate post",
        out,
    );
}

/// Files that share a key, each reported naming the others.
fn report_groups<'a, K: Ord>(
    facts: &'a [Box<FileFacts>],
    code: &str,
    key: impl Fn(&'a FileFacts) -> Option<(K, &'a Place)>,
    message: impl Fn(usize, &str) -> String,
    help: &str,
    out: &mut Vec<Diagnostic>,
) {
    // Grouped by sorting one list of (key, file) pairs: a map of lists took three times the
    // memory, and most keys (titles, bodies) are each a post's own.
    let mut keyed: Vec<(K, usize, &Place)> = facts
        .iter()
        .enumerate()
        .filter(|(_, f)| f.rule(code).is_some())
        .filter_map(|(i, f)| key(f).map(|(k, place)| (k, i, place)))
        .collect();
    // By key, then in the files' order (the indices are unique, so no two entries tie).
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let groups = keyed
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|g| g.len() > 1)
        .map(|g| -> Vec<(&FileFacts, &Place)> {
            g.iter().map(|(_, i, p)| (&*facts[*i], *p)).collect()
        });
    for group in groups {
        for (i, (f, place)) in group.iter().enumerate() {
            // The first three others by name, the rest counted: a group of thousands of copies
            // must not cost a path per pair.
            let others = group.len() - 1;
            let mut named = group
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .take(3)
                .map(|(_, (o, _))| o.path.display().to_string())
                .collect::<Vec<_>>()
                .join(", ");
            if others > 3 {
                named.push_str(&format!(" and {} more", others - 3));
            }
            if let Some(rule) = f.rule(code) {
                out.push(diagnostic(
                    f,
                    rule,
                    place,
                    message(group.len(), &named),
                    help,
                ));
            }
        }
    }
}

fn duplicate_slugs(facts: &[Box<FileFacts>], out: &mut Vec<Diagnostic>) {
    report_groups(
        facts,
        "CORPUS003",
        |f| f.extras().slug.as_ref().map(|(s, p)| (s.as_str(), p)),
        |n, others| format!("{n} posts share this slug or permalink; also {others}"),
        "two posts at one URL: the generator keeps one and silently drops the other",
        out,
    );
}

fn duplicate_bodies(facts: &[Box<FileFacts>], out: &mut Vec<Diagnostic>) {
    // Reported at the opening fence's place: a body has no one place.
    let min = |f: &FileFacts| f.int_option("CORPUS004", "min-length", 200).max(1) as usize;
    let start = Place {
        span: 0..0,
        start: Position {
            line: 1,
            column: 1,
            offset: 0,
        },
        end: Position {
            line: 1,
            column: 1,
            offset: 0,
        },
        snippet: None,
    };
    report_groups(
        facts,
        "CORPUS004",
        |f| {
            f.body
                .filter(|(_, len)| *len >= min(f))
                .map(|(h, _)| (h, &start))
        },
        |n, others| format!("{n} posts have the same body text; also {others}"),
        "the same story published twice: keep one (and redirect the other's URL)",
        out,
    );
}

fn shared_covers(facts: &[Box<FileFacts>], out: &mut Vec<Diagnostic>) {
    let mut posts_by_url: HashMap<&str, usize> = HashMap::default();
    for f in facts {
        for (url, _) in &f.extras().covers {
            *posts_by_url.entry(url).or_default() += 1;
        }
    }
    for f in facts {
        let Some(rule) = f.rule("IMG010") else {
            continue;
        };
        let min = f.int_option("IMG010", "min-posts", 5).max(2) as usize;
        for (url, place) in &f.extras().covers {
            let count = posts_by_url[url.as_str()];
            if count >= min {
                out.push(diagnostic(
                    f,
                    rule,
                    place,
                    format!("this image is the cover of {count} posts: a logo or placeholder standing in for the article's own picture"),
                    "use the article's own picture, or remove the field so the theme's default shows",
                ));
            }
        }
    }
}

fn missing_local_images(facts: &[Box<FileFacts>], out: &mut Vec<Diagnostic>) {
    let mut exists: HashMap<&Path, bool> = HashMap::default();
    for f in facts {
        let Some(rule) = f.rule("IMG005") else {
            continue;
        };
        for image in &f.extras().local_images {
            let found = image
                .candidates
                .iter()
                .any(|c| *exists.entry(c.as_path()).or_insert_with(|| c.is_file()));
            if !found {
                let looked = image
                    .candidates
                    .iter()
                    .map(|c| c.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(diagnostic(
                    f,
                    rule,
                    &image.place,
                    format!(
                        "local image `{}` does not exist (looked for {looked})",
                        image.url
                    ),
                    "add the file, or fix the path",
                ));
            }
        }
    }
}

#[cfg(feature = "online")]
fn online_images(facts: &[Box<FileFacts>], env: &CorpusEnv, out: &mut Vec<Diagnostic>) {
    use crate::online::{CheckPlan, Outcome, check_all};
    let Some(settings) = facts
        .iter()
        .find_map(|f| f.extras().online.as_deref().cloned())
    else {
        return;
    };
    let mut urls: Vec<String> = facts
        .iter()
        .flat_map(|f| f.extras().remote_images.iter().map(|(u, _)| u.clone()))
        .collect();
    urls.sort();
    urls.dedup();
    let plan = CheckPlan {
        settings,
        cache_dir: env.cache_dir.clone(),
        progress: env.progress && urls.len() > 20,
    };
    let results = check_all(&urls, &plan);
    for f in facts {
        for (url, place) in &f.extras().remote_images {
            let Some(outcome) = results.get(url) else {
                continue;
            };
            let (code, message, help) = match outcome {
                Outcome::Ok => continue,
                Outcome::NotFound { status } => (
                    "IMG011",
                    format!("image returns {status} {}: {url}", reason_phrase(*status)),
                    "the picture is gone: find a copy, re-host it, or remove it",
                ),
                Outcome::ServerError { status } => (
                    "IMG012",
                    format!(
                        "image server error {status} {}: {url}",
                        reason_phrase(*status)
                    ),
                    "the host is failing; check again later before removing the image",
                ),
                Outcome::Unreachable { reason } => (
                    "IMG013",
                    format!("image host unreachable ({reason}): {url}"),
                    "the domain or server is gone: re-host the picture",
                ),
                Outcome::NotAnImage { content_type } => (
                    "IMG014",
                    format!("image URL returns {content_type}, not an image: {url}"),
                    "the host answers with a page (removed picture, login, anti-hotlinking): re-host it",
                ),
                Outcome::InsecureRedirect { to } => (
                    "IMG015",
                    format!("image redirects to insecure {to}"),
                    "link the final https:// address, or re-host the picture",
                ),
            };
            if let Some(rule) = f.rule(code) {
                out.push(diagnostic(f, rule, place, message, help));
            }
        }
    }
}

#[cfg(not(feature = "online"))]
fn online_images(_facts: &[Box<FileFacts>], _env: &CorpusEnv, _out: &mut Vec<Diagnostic>) {}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(rules: &[&str]) -> FileFacts {
        let uses = rules
            .iter()
            .map(|code| RuleUse {
                meta: crate::rules::find_meta(code).expect("a rule"),
                severity: Severity::Warning,
                options: None,
            })
            .collect();
        FileFacts::new(Arc::from(Path::new("posts/a.md")), shared_uses(uses))
    }

    fn place() -> Place {
        let at = Position {
            line: 1,
            column: 1,
            offset: 0,
        };
        Place {
            span: 0..0,
            start: at,
            end: at,
            snippet: None,
        }
    }

    #[test]
    fn facts_are_read_every_run_when_images_are_looked_up() {
        let mut plain = facts(&["CORPUS001", "IMG005"]);
        assert!(!plain.read_every_run(), "no image to look for");
        let extras = plain.extras.get_or_insert_with(Box::default);
        extras.local_images.push(LocalImage {
            url: "a.png".into(),
            candidates: vec![PathBuf::from("posts/a.png")],
            place: place(),
        });
        assert!(
            plain.read_every_run(),
            "a local image is looked for on disk"
        );
        let mut off = facts(&["CORPUS001"]);
        off.extras = plain.extras.clone();
        assert!(!off.read_every_run(), "IMG005 is off: nothing looks for it");
        let mut online = facts(&["CORPUS001"]);
        online.extras = Some(Box::new(Extras {
            online: Some(Box::default()),
            ..Extras::default()
        }));
        assert!(online.read_every_run(), "online checks run every time");
    }

    #[test]
    fn files_with_the_same_rules_share_one_list_and_read_back_shared() {
        let a = facts(&["CORPUS001", "CORPUS003"]);
        let b = facts(&["CORPUS001", "CORPUS003"]);
        let other = facts(&["CORPUS001"]);
        assert!(Arc::ptr_eq(&a.rules, &b.rules));
        assert!(!Arc::ptr_eq(&a.rules, &other.rules));
        let read: FileFacts = postcard::from_bytes(&postcard::to_allocvec(&a).unwrap()).unwrap();
        assert!(Arc::ptr_eq(&read.rules, &a.rules));
    }
}
