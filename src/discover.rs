//! Discover: the files to lint, from paths, folders (walked with `ignore`, honouring
//! `.gitignore`) and glob patterns (`globset`), filtered by each file's configuration.
//! Explicit file arguments are always linted, as pre-commit expects.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use globset::GlobBuilder;

use crate::config::{Config, ConfigError, ConfigResolver};
use crate::source::SkipReason;

/// A file to lint and the configuration that governs it.
#[derive(Clone)]
pub struct Target {
    pub path: Arc<Path>,
    pub config: Arc<Config>,
    /// Set when discovery already knows the file cannot be read (missing, link loop). Boxed:
    /// a run holds a target per file, and most have none.
    pub problem: Option<Box<SkipReason>>,
}

/// The files to lint, in path order, each with the configuration that governs it: their paths
/// in one buffer and their configurations by runs, not an allocation and a [`Target`] a file
/// (a run holds the list for its whole length, and a corpus may have a million posts).
/// [`Targets::get`] makes a file's [`Target`] when it is checked.
#[derive(Default)]
pub struct Targets {
    /// Path bytes, each path's as `OsStr::as_encoded_bytes` gave them, in the order they came
    /// (discovery's walk order, not the targets').
    text: Vec<u8>,
    /// Each target's path in `text`, in the targets' order.
    spans: Vec<PathSpan>,
    /// Each run of targets with one configuration: from the index given, up to the next run's.
    configs: Vec<(usize, Arc<Config>)>,
    /// The problems discovery already knows of, by target index, in order (a few at most).
    problems: Vec<(usize, Box<SkipReason>)>,
    /// The glob patterns given that matched no file (a typo, most likely).
    unmatched_patterns: Vec<String>,
}

/// Where a path's bytes are in a [`Targets`]' text.
#[derive(Clone, Copy)]
struct PathSpan {
    start: usize,
    end: usize,
}

/// Append `path`'s bytes to `text`: where they are.
fn push_path(text: &mut Vec<u8>, path: &Path) -> PathSpan {
    let start = text.len();
    text.extend_from_slice(path.as_os_str().as_encoded_bytes());
    PathSpan {
        start,
        end: text.len(),
    }
}

/// The path `push_path` put at `span` of `text`. A span is only ever read from the buffer it was
/// made for: each buffer here travels with its spans (`Met`, `Targets`).
fn path_at(text: &[u8], span: PathSpan) -> &Path {
    let bytes = &text[span.start..span.end];
    // SAFETY: `push_path` copied the bytes of one whole `OsStr` (`as_encoded_bytes`) to
    // `span`, in this process, and nothing else writes there.
    Path::new(unsafe { std::ffi::OsStr::from_encoded_bytes_unchecked(bytes) })
}

impl Targets {
    /// The glob patterns given that matched no file.
    pub fn unmatched_patterns(&self) -> &[String] {
        &self.unmatched_patterns
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The path of target `index`.
    pub fn path(&self, index: usize) -> Option<&Path> {
        self.spans.get(index).map(|span| path_at(&self.text, *span))
    }

    /// Target `index`, as a check needs it.
    pub fn get(&self, index: usize) -> Option<Target> {
        Some(Target {
            path: Arc::from(self.path(index)?),
            config: self.config_of(index)?.clone(),
            problem: self.problem_of(index).cloned().map(Box::new),
        })
    }

    /// The configuration of target `index`: its run's.
    fn config_of(&self, index: usize) -> Option<&Arc<Config>> {
        let run = self.configs.partition_point(|(from, _)| *from <= index);
        Some(&self.configs.get(run.checked_sub(1)?)?.1)
    }

    fn problem_of(&self, index: usize) -> Option<&SkipReason> {
        let at = self
            .problems
            .binary_search_by_key(&index, |(at, _)| *at)
            .ok()?;
        Some(&*self.problems[at].1)
    }

    /// Every target, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Target> + '_ {
        (0..self.len()).map(|index| self.target(index))
    }

    /// Every target, in parallel.
    pub fn par_iter(&self) -> impl rayon::iter::IndexedParallelIterator<Item = Target> + '_ {
        use rayon::prelude::*;
        (0..self.len())
            .into_par_iter()
            .map(|index| self.target(index))
    }

    /// The configurations of the targets (each run's once).
    pub fn configs(&self) -> impl Iterator<Item = &Arc<Config>> {
        self.configs.iter().map(|(_, config)| config)
    }

    /// Only the targets `keep` gives a path for, under that path (their paths copied to a buffer
    /// of their own: a shard keeps a share of the corpus, named as every shard names it).
    pub fn retain_as(&mut self, mut keep: impl FnMut(&Path) -> Option<PathBuf>) {
        let old = std::mem::take(self);
        for target in old.iter() {
            if let Some(path) = keep(&target.path) {
                self.push(Target {
                    path: Arc::from(path),
                    ..target
                });
            }
        }
        self.text.shrink_to_fit();
    }

    /// Target `index`, which must be one (as a slice's index must).
    fn target(&self, index: usize) -> Target {
        match self.get(index) {
            Some(target) => target,
            None => panic!("no target {index} of {}", self.len()),
        }
    }

    fn push_span(
        &mut self,
        span: PathSpan,
        config: &Arc<Config>,
        problem: Option<Box<SkipReason>>,
    ) {
        let index = self.spans.len();
        self.spans.push(span);
        if self
            .configs
            .last()
            .is_none_or(|(_, last)| !Arc::ptr_eq(last, config))
        {
            self.configs.push((index, config.clone()));
        }
        if let Some(problem) = problem {
            self.problems.push((index, problem));
        }
    }

    /// Add `target` after the others (the caller keeps them in order).
    pub fn push(&mut self, target: Target) {
        let span = push_path(&mut self.text, &target.path);
        self.push_span(span, &target.config, target.problem);
    }
}

impl FromIterator<Target> for Targets {
    fn from_iter<I: IntoIterator<Item = Target>>(iter: I) -> Targets {
        let mut targets = Targets::default();
        for target in iter {
            targets.push(target);
        }
        targets
    }
}

fn is_glob(arg: &str) -> bool {
    arg.contains(['*', '?', '[', '{'])
}

/// The literal folder a glob pattern starts in (`posts/**/*.md` → `posts`).
fn glob_base(pattern: &str) -> PathBuf {
    let mut base = PathBuf::new();
    for component in Path::new(pattern).components() {
        if matches!(component, Component::Normal(part) if is_glob(&part.to_string_lossy())) {
            break;
        }
        base.push(component);
    }
    if base.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        base
    }
}

/// The folder a file is in, `.` for a bare file name: where its configuration is looked up
/// and its site detected.
pub fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// One spelling per file, as users write paths: `./a/b` is `a/b`, and so are `a//b` and `a/./b`
/// (the cache and the report know a file by this text). `..` stays: a link may sit before it.
/// Most paths are already clean and are checked by their text, not split into components.
fn clean(path: &Path) -> std::borrow::Cow<'_, Path> {
    let path = path.strip_prefix("./").unwrap_or(path);
    let bytes = path.as_os_str().as_encoded_bytes();
    let separator = |b: u8| std::path::is_separator(char::from(b));
    let irregular = if std::path::MAIN_SEPARATOR == '/' {
        // One look after each `/`: walks pass every file's path through here.
        memchr::memchr_iter(b'/', bytes)
            .any(|at| matches!(&bytes[at + 1..], [b'/', ..] | [b'.', b'/', ..] | [b'.']))
    } else {
        bytes.windows(2).any(|w| separator(w[0]) && separator(w[1]))
            || bytes
                .windows(3)
                .any(|w| separator(w[0]) && w[1] == b'.' && separator(w[2]))
            || bytes.ends_with(b"/.")
    };
    if irregular {
        std::borrow::Cow::Owned(path.components().collect())
    } else {
        std::borrow::Cow::Borrowed(path)
    }
}

/// How a path was found, which decides the filters it still has to pass.
enum Found {
    /// Named on the command line: always linted.
    Explicit(Option<Box<SkipReason>>),
    /// Met in a walk, already filtered by the walked folder's configuration.
    Walked(Arc<Config>, Option<Box<SkipReason>>),
}

/// The bytes of `path` laid out so that comparing them orders paths as `Path::cmp` does
/// (component by component: `a/b` before `a-b`), without parsing components at every
/// comparison. Each component is its kind's rank, its bytes, then a NUL (which no Unix file
/// name holds): a component that is a prefix of another sorts first, as do fewer components.
pub fn order_key(path: &Path) -> Vec<u8> {
    let bytes = path.as_os_str().as_encoded_bytes();
    let mut key = Vec::with_capacity(bytes.len() + 8);
    // The common case, a relative path of plain names (`posts/2021/a.md`), without parsing
    // components: the same key, byte by byte.
    // (Only where `/` is the one separator: elsewhere components decide.)
    if is_plain(bytes) {
        key.push(4);
        for &b in bytes {
            if b == b'/' {
                key.extend_from_slice(&[0, 4]);
            } else {
                key.push(b);
            }
        }
        key.push(0);
        return key;
    }
    for component in path.components() {
        let (rank, bytes) = match component {
            Component::Prefix(prefix) => (0, prefix.as_os_str().as_encoded_bytes()),
            Component::RootDir => (1, &[][..]),
            Component::CurDir => (2, &[][..]),
            Component::ParentDir => (3, &[][..]),
            Component::Normal(name) => (4, name.as_encoded_bytes()),
        };
        key.push(rank);
        key.extend_from_slice(bytes);
        key.push(0);
    }
    key
}

/// Every file to lint under `args`, sorted by path, each once.
pub fn discover(args: &[PathBuf], resolver: &mut ConfigResolver) -> Result<Targets, ConfigError> {
    let mut met = Met::default();
    let mut unmatched_patterns = Vec::new();
    for arg in args {
        let text = arg.to_string_lossy();
        if arg.is_dir() {
            let config = resolver.for_dir(arg)?;
            walk(arg, None, &config, &mut met);
        } else if !arg.exists() && is_glob(&text) {
            // Walked paths are cleaned of `./`: so is the pattern. `*` stops at `/`, as in a shell.
            let pattern = text.strip_prefix("./").unwrap_or(&text);
            let base = glob_base(pattern);
            let matcher = GlobBuilder::new(pattern)
                .literal_separator(true)
                .build()
                .map_err(|e| usage_error(format!("invalid glob `{text}`: {e}")))?
                .compile_matcher();
            let config = resolver.for_dir(&base)?;
            let before = met.found.len();
            walk(&base, Some(&matcher), &config, &mut met);
            if met.found.len() == before {
                unmatched_patterns.push(text.into_owned());
            }
        } else {
            // A file, a broken link, or a path that does not exist: always reported.
            let problem = match std::fs::metadata(arg) {
                Ok(_) => None,
                Err(e) => Some(Box::new(SkipReason::Unreadable(describe_missing(arg, &e)))),
            };
            met.push(&clean(arg), Found::Explicit(problem));
        }
    }
    let Met { text, found } = met;
    let found = one_spelling_each(by_path(found, &text), &text);
    let mut targets = Targets {
        text,
        unmatched_patterns,
        ..Targets::default()
    };
    targets.spans.reserve_exact(found.len());
    for FoundPath { span, how, .. } in found {
        let path = path_at(&targets.text, span);
        let config = resolver.for_dir(folder_of(path))?;
        let problem = match how {
            Found::Explicit(problem) => problem,
            // A nested artlint.toml governs its own folder: filter again only then.
            Found::Walked(walked_with, problem)
                if !Arc::ptr_eq(&walked_with, &config)
                    && !wanted(&config, path, problem.as_deref()) =>
            {
                continue;
            }
            Found::Walked(_, problem) => problem,
        };
        targets.push_span(span, &config, problem);
    }
    targets.text.shrink_to_fit();
    Ok(targets)
}

/// The paths discovery met: their bytes in one buffer, and how each was found.
#[derive(Default)]
struct Met {
    text: Vec<u8>,
    found: Vec<FoundPath>,
}

impl Met {
    fn push(&mut self, path: &Path, how: Found) {
        let span = push_path(&mut self.text, path);
        self.found.push(FoundPath {
            span,
            shape: shape(&self.text[span.start..span.end]),
            how,
        });
    }
}

/// `found` sorted by path, one entry per path: a path named on the command line is linted
/// as named (the last naming wins), else as the first walk met it. Sorted and merged in place:
/// the list holds every file of the corpus, and a copy of it, or a key per path, was most of
/// discovery's memory.
fn by_path(mut found: Vec<FoundPath>, text: &[u8]) -> Vec<FoundPath> {
    // Entries of one path stay in the order they came (their text's), as a stable sort would
    // keep them, without the stable sort's buffer of half the list. Paths that are not plain
    // (with `..`, say) have their keys built once each, not at every comparison.
    if found.iter().all(|f| f.shape != Shape::Other) {
        found.sort_unstable_by(|a, b| a.order(b, text).then(a.span.start.cmp(&b.span.start)));
    } else {
        found.sort_by_cached_key(|f| order_key(path_at(text, f.span)));
    }
    found.dedup_by(|later, first| {
        if first.order(later, text).is_ne() {
            return false;
        }
        // The path keeps its first spelling, as a map's key would.
        if matches!(later.how, Found::Explicit(_)) {
            first.how = std::mem::replace(&mut later.how, Found::Explicit(None));
        }
        true
    });
    found
}

/// `found` (sorted by [`by_path`]) with one entry per file however the command line spelled
/// it: `posts/a.md`, `posts/x/../a.md` and `"$PWD/posts/a.md"` name one post, which linted
/// twice would be its own duplicate, and fixed twice. Paths are compared as a shard names them
/// ([`crate::config::relative_path`] of the path made absolute lexically); the plain spelling is
/// kept where there is one. A plain path is its own name: only the others (none, nearly
/// always) are looked at, and held in a set.
fn one_spelling_each(found: Vec<FoundPath>, text: &[u8]) -> Vec<FoundPath> {
    // Plain names relative to one folder, or plain names from the root, spell each file one
    // way: equal spellings were merged by the sort.
    let first_shape = found.first().map(|f| f.shape);
    if first_shape != Some(Shape::Other) && found.iter().all(|f| Some(f.shape) == first_shape) {
        return found;
    }
    let cwd = crate::config::working_folders();
    let mut seen = std::collections::HashSet::new();
    let mut twice = vec![false; found.len()];
    for (i, entry) in found
        .iter()
        .enumerate()
        .filter(|(_, f)| f.shape != Shape::Plain)
    {
        let path = path_at(text, entry.span);
        let named = crate::config::relative_path(&crate::config::absolute(path), cwd);
        let bytes = named.as_os_str().as_encoded_bytes();
        let plain_twin = is_plain(bytes)
            && found
                .binary_search_by(|f| ordered(path_at(text, f.span), f.shape, &named, Shape::Plain))
                .is_ok_and(|j| j != i && found[j].shape == Shape::Plain);
        twice[i] = plain_twin || !seen.insert(xxhash_rust::xxh3::xxh3_128(bytes));
    }
    found
        .into_iter()
        .zip(twice)
        .filter_map(|(entry, twice)| (!twice).then_some(entry))
        .collect()
}

/// A file discovery met, and how.
struct FoundPath {
    /// Its path in the text of what was met.
    span: PathSpan,
    /// Whether the path is made of plain names only, relative or from the root (see
    /// [`plain_order`]).
    shape: Shape,
    how: Found,
}

impl FoundPath {
    /// The order of [`order_key`], without building keys for plain paths (nearly all).
    fn order(&self, other: &FoundPath, text: &[u8]) -> std::cmp::Ordering {
        ordered(
            path_at(text, self.span),
            self.shape,
            path_at(text, other.span),
            other.shape,
        )
    }
}

/// Two paths in `Path::cmp` order ([`order_key`]'s), plain relative paths (nearly all) by their
/// bytes rather than component by component.
pub fn compare_paths(a: &Path, b: &Path) -> std::cmp::Ordering {
    let (a_bytes, b_bytes) = (
        a.as_os_str().as_encoded_bytes(),
        b.as_os_str().as_encoded_bytes(),
    );
    // One spelling of one file (most comparisons of findings): equal without a look at names.
    if a_bytes == b_bytes {
        return std::cmp::Ordering::Equal;
    }
    ordered(a, shape(a_bytes), b, shape(b_bytes))
}

/// What a path is made of, for comparing paths without parsing their components.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Relative, of plain names ([`is_plain`]): `posts/2021/a.md`.
    Plain,
    /// The root, then plain names: `/home/ci/site/posts/a.md`, as CI scripts name a corpus.
    UnderRoot,
    /// Anything else (`..`, `.`, `//`, a trailing `/`): compared component by component.
    Other,
}

/// The [`Shape`] of the path whose bytes are `bytes`.
pub(crate) fn shape(bytes: &[u8]) -> Shape {
    if is_plain(bytes) {
        Shape::Plain
    } else if bytes.strip_prefix(b"/").is_some_and(is_plain) {
        Shape::UnderRoot
    } else {
        Shape::Other
    }
}

/// Two paths in `Path::cmp` order, each with its [`Shape`] (told once by sorts that compare a
/// path many times): two plain paths by their bytes, two under the root by theirs after it.
pub(crate) fn ordered(a: &Path, a_shape: Shape, b: &Path, b_shape: Shape) -> std::cmp::Ordering {
    let (a_bytes, b_bytes) = (
        a.as_os_str().as_encoded_bytes(),
        b.as_os_str().as_encoded_bytes(),
    );
    match (a_shape, b_shape) {
        (Shape::Plain, Shape::Plain) => plain_order(a_bytes, b_bytes),
        (Shape::UnderRoot, Shape::UnderRoot) => plain_order(&a_bytes[1..], &b_bytes[1..]),
        // The root is a path's first component, and sorts before any name.
        (Shape::UnderRoot, Shape::Plain) => std::cmp::Ordering::Less,
        (Shape::Plain, Shape::UnderRoot) => std::cmp::Ordering::Greater,
        _ => a.cmp(b),
    }
}

/// A relative path of plain names (`posts/2021/a.md`), where `/` is the one separator: its
/// [`order_key`] is its bytes with each `/` as `0, 4`, after a 4 and before a 0.
pub(crate) fn is_plain(bytes: &[u8]) -> bool {
    std::path::MAIN_SEPARATOR == '/'
        && !bytes.is_empty()
        && bytes[0] != b'/'
        && bytes[bytes.len() - 1] != b'/'
        && (surely_plain(bytes) || plain_by_names(bytes))
}

/// A name that is `.` or `..` starts with a dot, at the start or after a `/`; an empty name
/// makes `//`. Without either (nearly every path) a path whose ends are no `/` is plain: told
/// eight bytes at a time, as `is_plain` is asked at every comparison of a sort.
fn surely_plain(bytes: &[u8]) -> bool {
    use crate::swar::{bytes_equal_to, word_at};
    let word = |at: usize| word_at(bytes, at);
    let slash_then_dot_or_slash = |here: u64, next: u64| {
        let dots_or_slashes = bytes_equal_to(next, b'.') | bytes_equal_to(next, b'/');
        bytes_equal_to(here, b'/') & dots_or_slashes != 0
    };
    if bytes[0] == b'.' {
        return false;
    }
    let mut at = 0;
    while at + 9 <= bytes.len() {
        if slash_then_dot_or_slash(word(at), word(at + 1)) {
            return false;
        }
        at += 8;
    }
    !bytes[at..]
        .windows(2)
        .any(|pair| pair[0] == b'/' && matches!(pair[1], b'.' | b'/'))
}

/// [`is_plain`] name by name, for paths with a dot after a `/` (hidden files, `..`).
fn plain_by_names(bytes: &[u8]) -> bool {
    let dot_name = |name: &[u8]| {
        matches!(
            name,
            [b'.'] | [b'.', b'/', ..] | [b'.', b'.'] | [b'.', b'.', b'/', ..]
        )
    };
    !dot_name(bytes)
        && memchr::memchr_iter(b'/', bytes).all(|at| {
            let name = &bytes[at + 1..];
            name.first() != Some(&b'/') && !dot_name(name)
        })
}

/// Two plain paths in the order of their [`order_key`]s: their bytes with `/` as 0, then a 0.
/// (A key's `0, 4` for `/` meets the other key's byte at the 0, which is below every byte a
/// name holds, or the other key's final 0, and then the shorter key is first.)
fn plain_order(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    // The common prefix, eight bytes at a time first (paths of one corpus share long ones).
    let shortest = a.len().min(b.len());
    let mut common = 0;
    let word = crate::swar::word_at;
    while common + 8 <= shortest && word(a, common) == word(b, common) {
        common += 8;
    }
    while common < shortest && a[common] == b[common] {
        common += 1;
    }
    let level = |path: &[u8]| {
        path.get(common)
            .map_or(0, |&c| if c == b'/' { 0 } else { c })
    };
    // Equal levels of unequal bytes are a `/` and an end: the shorter path is first.
    level(a).cmp(&level(b)).then(a.len().cmp(&b.len()))
}

fn usage_error(message: String) -> ConfigError {
    ConfigError {
        path: PathBuf::new(),
        message,
        span: None,
        help: None,
        source_text: String::new(),
    }
}

/// A walk of `root` as artlint walks: into linked folders, skipping hidden and ignored entries
/// (`.gitignore`, `.ignore`) whether or not the folder is a git checkout.
fn walker(root: &Path) -> ignore::WalkBuilder {
    let mut builder = ignore::WalkBuilder::new(root);
    builder.follow_links(true).require_git(false);
    builder
}

fn walk(root: &Path, glob: Option<&globset::GlobMatcher>, config: &Arc<Config>, met: &mut Met) {
    // The folder last entered at each depth. A link to a folder that cannot be read fails the
    // walker's loop check, whose error names no path: the link is in the folder last entered
    // one level up (the walk is depth first), or is the root itself.
    let mut entered: Vec<PathBuf> = Vec::new();
    let mut searched: std::collections::HashSet<PathBuf> = Default::default();
    for entry in walker(root).build() {
        match &entry {
            Ok(dir) if dir.file_type().is_some_and(|t| t.is_dir()) => {
                entered.truncate(dir.depth());
                entered.push(dir.path().to_path_buf());
            }
            Err(error) => {
                if let Some(depth) = pathless_depth(error) {
                    let folder = depth.checked_sub(1).and_then(|up| entered.get(up));
                    // Each folder is searched once, however many such links it holds.
                    if folder.is_none_or(|f| searched.insert(f.clone())) {
                        for link in unreadable_links(root, folder.map(PathBuf::as_path)) {
                            walked_file(Err(link), glob, config, met);
                        }
                    }
                }
            }
            Ok(_) => {}
        }
        walked_file(entry, glob, config, met);
    }
}

/// The depth of a walk error that names no path (see [`walk`]).
fn pathless_depth(error: &ignore::Error) -> Option<usize> {
    match error {
        ignore::Error::WithDepth { depth, err } if matches!(**err, ignore::Error::Io(_)) => {
            Some(*depth)
        }
        _ => None,
    }
}

/// The links to folders that cannot be read: `root` itself (no `folder`), or those in
/// `folder` the walk would enter (hidden and ignored ones left out, as the walk leaves them);
/// each as the walk error it would have been with its path.
fn unreadable_links(root: &Path, folder: Option<&Path>) -> Vec<ignore::Error> {
    let unreadable = |path: PathBuf| {
        let err = std::fs::read_dir(&path).err()?;
        std::fs::metadata(&path)
            .ok()?
            .is_dir()
            .then(|| ignore::Error::WithPath {
                path,
                err: Box::new(ignore::Error::Io(err)),
            })
    };
    match folder {
        None => unreadable(root.to_path_buf()).into_iter().collect(),
        Some(folder) => walker(folder)
            .follow_links(false)
            .max_depth(Some(1))
            .build()
            .flatten()
            .filter(|e| e.depth() == 1 && e.path_is_symlink())
            .filter_map(|e| unreadable(e.into_path()))
            .collect(),
    }
}

/// What a walk entry adds to the targets: a file the configuration wants, or a problem with one.
fn walked_file(
    entry: Result<ignore::DirEntry, ignore::Error>,
    glob: Option<&globset::GlobMatcher>,
    config: &Arc<Config>,
    met: &mut Met,
) {
    match entry {
        Ok(entry) => {
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                return;
            }
            let path = clean(entry.path());
            if glob.is_none_or(|g| g.is_match(&path)) && wanted(config, &path, None) {
                met.push(&path, Found::Walked(config.clone(), None));
            }
        }
        Err(error) => {
            // Only problems with files we would have linted: a dangling `cover.png` link or a
            // loop under node_modules/ is not a post.
            let Some(WalkProblem {
                path,
                reason,
                hidden_by,
            }) = walk_problem(&error)
            else {
                return;
            };
            let path = clean(&path);
            let folder = matches!(reason, SkipReason::UnreadableFolder(_));
            if wanted(config, &path, Some(&reason))
                && (folder || glob.is_none_or(|g| g.is_match(&path)))
            {
                let at = match &hidden_by {
                    Some(hider) => clean(hider),
                    None => path,
                };
                met.push(&at, Found::Walked(config.clone(), Some(Box::new(reason))));
            }
        }
    }
}

/// Whether `config` lints what a walk met at `path`: a post, or a folder that could not be read
/// (which hides its posts: reported unless it is excluded, else a run over it would pass having
/// checked nothing; globs and include patterns cannot be judged of posts no one could list).
fn wanted(config: &Config, path: &Path, problem: Option<&SkipReason>) -> bool {
    match problem {
        Some(SkipReason::UnreadableFolder(_)) => !config.excludes_folder(path),
        _ => config.wants(path),
    }
}

/// A walk error as a finding.
struct WalkProblem {
    /// What could not be read.
    path: PathBuf,
    reason: SkipReason,
    /// The folder that hides it, where the finding goes: one that can be listed but not
    /// searched, reported once for all it holds.
    hidden_by: Option<PathBuf>,
}

/// A walk error as a file to report: a link loop or an unreadable entry, with its path.
fn walk_problem(error: &ignore::Error) -> Option<WalkProblem> {
    match error {
        ignore::Error::WithPath { path, err } => {
            // A folder that can be listed but not searched (`chmod a-x`): none of its entries
            // can be looked at. Those the walker tried to enter are folders (a post it would
            // have listed without looking), reported at the folder that hides them.
            if let Some(folder) = path.parent()
                && std::fs::symlink_metadata(path)
                    .is_err_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied)
                && std::fs::metadata(folder).is_ok_and(|m| m.is_dir())
            {
                return Some(WalkProblem {
                    path: path.clone(),
                    reason: SkipReason::UnreadableFolder(
                        "permission denied (its entries cannot be opened)".into(),
                    ),
                    hidden_by: Some(folder.to_path_buf()),
                });
            }
            // The walker wraps the OS error; stat the path again for the plain reason.
            let metadata = std::fs::metadata(path);
            let folder = metadata.as_ref().is_ok_and(|m| m.is_dir());
            let reason = match (metadata, err.io_error()) {
                (Err(fresh), _) => describe_missing(path, &fresh),
                (Ok(_), Some(io)) => describe_missing(path, io),
                (Ok(_), None) => err.to_string(),
            };
            let reason = if folder {
                SkipReason::UnreadableFolder(reason)
            } else {
                SkipReason::Unreadable(reason)
            };
            Some(WalkProblem {
                path: path.clone(),
                reason,
                hidden_by: None,
            })
        }
        ignore::Error::Loop { child, .. } => Some(WalkProblem {
            path: child.clone(),
            reason: SkipReason::Unreadable(
                "too many levels of symbolic links (a link loop)".into(),
            ),
            hidden_by: None,
        }),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_problem(err)
        }
        _ => None,
    }
}

/// Why a path named on the command line or met in a walk cannot be opened.
fn describe_missing(path: &Path, error: &std::io::Error) -> String {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    match error.kind() {
        std::io::ErrorKind::NotFound if is_link => {
            "broken symbolic link (its target does not exist)".into()
        }
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        _ => crate::source::describe_io_error(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_spelled_several_ways_is_found_once_by_its_plain_spelling() {
        let cwd = std::env::current_dir().unwrap();
        let mut met = Met::default();
        met.push(&cwd.join("posts/a.md"), Found::Explicit(None));
        met.push(Path::new("posts/x/../a.md"), Found::Explicit(None));
        met.push(Path::new("posts/a.md"), Found::Explicit(None));
        met.push(&cwd.join("posts/b.md"), Found::Explicit(None));
        met.push(Path::new("./posts/b.md"), Found::Explicit(None));
        met.push(Path::new("/elsewhere/c.md"), Found::Explicit(None));
        let merged = one_spelling_each(by_path(met.found, &met.text), &met.text);
        let paths: Vec<&Path> = merged.iter().map(|f| path_at(&met.text, f.span)).collect();
        // b.md has no plain spelling: one of its two is kept.
        let b = cwd.join("posts/b.md");
        assert_eq!(paths.len(), 3, "{paths:?}");
        assert!(paths.contains(&Path::new("posts/a.md")), "{paths:?}");
        assert!(paths.contains(&Path::new("/elsewhere/c.md")), "{paths:?}");
        assert!(paths.contains(&b.as_path()) || paths.contains(&Path::new("./posts/b.md")));
    }

    #[test]
    fn a_path_found_twice_keeps_its_first_spelling_and_the_last_naming() {
        let mut met = Met::default();
        met.push(Path::new("posts/a.md"), Found::Explicit(None));
        met.push(Path::new("b.md"), Found::Explicit(None));
        met.push(
            Path::new("posts/./a.md"),
            Found::Explicit(Some(Box::new(SkipReason::Unreadable("gone".into())))),
        );
        let merged = by_path(met.found, &met.text);
        assert_eq!(merged.len(), 2);
        assert_eq!(path_at(&met.text, merged[0].span), Path::new("b.md"));
        assert_eq!(path_at(&met.text, merged[1].span), Path::new("posts/a.md"));
        assert!(matches!(merged[1].how, Found::Explicit(Some(_))));
    }

    #[test]
    fn targets_keep_each_files_path_configuration_and_problem() {
        // Two configurations alike but for being two (as two folders' artlint.toml would be).
        let default_config = || {
            let mut resolver = ConfigResolver::new(None, Default::default()).unwrap();
            resolver.for_dir(Path::new(".")).unwrap()
        };
        let (first, second) = (default_config(), default_config());
        assert!(!Arc::ptr_eq(&first, &second));
        let gone = || Some(Box::new(SkipReason::Unreadable("gone".into())));
        let given = [
            ("a/1.md", &first, None),
            ("a/2.md", &first, gone()),
            ("b/文章.md", &second, None),
            ("c/3.md", &first, None),
        ];
        let targets: Targets = given
            .iter()
            .map(|(path, config, problem)| Target {
                path: Arc::from(Path::new(path)),
                config: Arc::clone(config),
                problem: problem.clone(),
            })
            .collect();
        let seen = |targets: &Targets| -> Vec<(String, *const Config, bool)> {
            targets
                .iter()
                .map(|t| {
                    let path = t.path.to_string_lossy().into_owned();
                    (path, Arc::as_ptr(&t.config), t.problem.is_some())
                })
                .collect()
        };
        let expected = |keep: &[usize]| -> Vec<(String, *const Config, bool)> {
            keep.iter()
                .map(|&i| {
                    let (path, config, problem) = &given[i];
                    (path.to_string(), Arc::as_ptr(config), problem.is_some())
                })
                .collect()
        };
        assert_eq!(targets.len(), 4);
        assert_eq!(seen(&targets), expected(&[0, 1, 2, 3]));
        assert_eq!(
            targets.configs().count(),
            3,
            "one run per change of configuration"
        );
        assert_eq!(targets.path(2), Some(Path::new("b/文章.md")));
        assert!(targets.get(4).is_none() && targets.path(4).is_none());
        let reason = |t: Option<Target>| match t.and_then(|t| t.problem).map(|p| *p) {
            Some(SkipReason::Unreadable(reason)) => Some(reason),
            _ => None,
        };
        assert_eq!(reason(targets.get(1)).as_deref(), Some("gone"));
        assert_eq!(reason(targets.get(0)), None);
        let mut kept = targets;
        kept.retain_as(|path| (!path.starts_with("a/1.md")).then(|| path.to_path_buf()));
        assert_eq!(seen(&kept), expected(&[1, 2, 3]));
        assert_eq!(reason(kept.get(0)).as_deref(), Some("gone"));
        assert_eq!(reason(kept.get(1)), None);
        // Renamed as they are kept: the problems and configurations stay with them.
        kept.retain_as(|path| (!path.starts_with("b")).then(|| Path::new("x").join(path)));
        assert_eq!(kept.path(0), Some(Path::new("x/a/2.md")));
        assert_eq!(reason(kept.get(0)).as_deref(), Some("gone"));
        assert_eq!(
            kept.configs().count(),
            1,
            "runs merge when a target between goes"
        );
    }

    /// Plain paths (nearly all) take the in-place sort: the namings of one path stay in the
    /// order they came, so the last one on the command line wins.
    #[test]
    fn the_last_naming_of_a_plain_path_wins() {
        let naming =
            |reason: &str| Found::Explicit(Some(Box::new(SkipReason::Unreadable(reason.into()))));
        let mut met = Met::default();
        met.push(Path::new("posts/a.md"), Found::Explicit(None));
        met.push(Path::new("b.md"), naming("b"));
        met.push(Path::new("posts/a.md"), naming("first"));
        met.push(Path::new("posts/a.md"), naming("second"));
        met.push(Path::new("a.md"), Found::Explicit(None));
        let merged = by_path(met.found, &met.text);
        let paths: Vec<&Path> = merged.iter().map(|f| path_at(&met.text, f.span)).collect();
        assert_eq!(paths, ["a.md", "b.md", "posts/a.md"].map(Path::new));
        assert!(
            matches!(&merged[2].how, Found::Explicit(Some(r)) if matches!(&**r, SkipReason::Unreadable(r) if r == "second")),
            "the last naming of posts/a.md decides how it is linted"
        );
    }

    #[test]
    fn one_spelling_for_one_path_however_its_separators_are_written() {
        let plain = clean(Path::new("posts/a.md"));
        assert!(matches!(plain, std::borrow::Cow::Borrowed(_)));
        for spelling in [
            "posts//a.md",
            "posts/./a.md",
            "./posts/a.md",
            "posts/.//a.md",
        ] {
            assert_eq!(clean(Path::new(spelling)), plain, "{spelling}");
        }
        assert_eq!(
            clean(Path::new("/site//posts/a.md")),
            clean(Path::new("/site/posts/a.md"))
        );
        // Different paths stay different: `..` is not resolved (a link may sit in between).
        assert_ne!(clean(Path::new("a/../b.md")), clean(Path::new("b.md")));
        assert_ne!(clean(Path::new("posts/.a.md")), plain);
    }

    #[test]
    fn order_keys_sort_paths_as_path_comparison_does() {
        let names = [
            "a/b/",
            "a/../b",
            "x/.hidden",
            "x/..y",
            "./a/b",
            "a/b",
            "a-b",
            "a.b",
            "a",
            "ab",
            "a/b/c",
            "a/bc",
            "a b/x",
            "../x",
            "./y",
            "/abs/z",
            "/abs",
            "/abs/a-b",
            "/abs/a/b",
            "/abs/a.b/c",
            "/abs/.x/c",
            "//abs/x",
            "/abs//x",
            "/abs/./x",
            "/abs/../x",
            "/",
            "/ab",
            "-draft/x.md",
            "Z/1",
            "z/1",
            "文章/一.md",
            "a//b",
            "a/./b",
            "..",
            ".",
            "",
        ];
        let mut by_path: Vec<&Path> = names.iter().map(Path::new).collect();
        by_path.sort();
        let mut by_key: Vec<&Path> = names.iter().map(Path::new).collect();
        by_key.sort_by_key(|p| order_key(p));
        assert_eq!(by_key, by_path);
        // The fast path for plain relative paths gives the key the components give.
        for name in names {
            let path = Path::new(name);
            let mut slow = Vec::new();
            for component in path.components() {
                if let Component::Normal(part) = component {
                    slow.push(4);
                    slow.extend_from_slice(part.as_encoded_bytes());
                    slow.push(0);
                } else {
                    slow.clear();
                    break;
                }
            }
            if !slow.is_empty() {
                assert_eq!(order_key(path), slow, "{name}");
            }
        }
        // Plain: relative, every name neither empty nor `.` nor `..`.
        for name in names.iter().chain(&[
            "a/.", "a/..", "./a", "../a", "a/.b", "a/..b", ".a/b", "a/b.",
        ]) {
            let by_names = !name.is_empty()
                && !name.starts_with('/')
                && name.split('/').all(|n| !matches!(n, "" | "." | ".."));
            assert_eq!(is_plain(name.as_bytes()), by_names, "{name:?}");
        }
        // Generated paths of slashes, dots and letters (long enough for the eight-byte steps).
        let mut rng = crate::test_rng::Xorshift::new(0x9E37_79B9_7F4A_7C15);
        for _ in 0..50_000 {
            let mut path = Vec::new();
            let mut bits = rng.next_u64();
            for _ in 0..(bits % 29) {
                bits = bits.rotate_right(2);
                path.push([b'/', b'.', b'a', 0xE6][(bits % 4) as usize]);
            }
            let by_names = !path.is_empty()
                && path[0] != b'/'
                && path
                    .split(|b| *b == b'/')
                    .all(|n| !matches!(n, b"" | b"." | b".."));
            assert_eq!(is_plain(&path), by_names, "{path:?}");
        }
        // Generated paths, absolute and relative, pairwise: as `Path::cmp` orders them.
        let generated: Vec<std::path::PathBuf> = (0..300)
            .map(|_| {
                let mut bits = rng.next_u64();
                let mut path = String::from(["/", "", "/a/", "a/"][(bits % 4) as usize]);
                for _ in 0..(bits % 13) {
                    bits = bits.rotate_right(3);
                    path.push(['/', '.', 'a', 'b', '-', '文'][(bits % 6) as usize]);
                }
                std::path::PathBuf::from(path)
            })
            .collect();
        for a in &generated {
            for b in &generated {
                assert_eq!(compare_paths(a, b), a.cmp(b), "{a:?} and {b:?}");
            }
        }
        // Discovery's comparison, keys built or not, orders them as the keys do, and so does
        // the report's.
        let mut met = Met::default();
        for name in names {
            met.push(Path::new(name), Found::Explicit(None));
        }
        for (a, found_a) in names.iter().zip(&met.found) {
            for (b, found_b) in names.iter().zip(&met.found) {
                let by_key = order_key(Path::new(a)).cmp(&order_key(Path::new(b)));
                assert_eq!(found_a.order(found_b, &met.text), by_key, "{a:?} and {b:?}");
                assert_eq!(
                    compare_paths(Path::new(a), Path::new(b)),
                    by_key,
                    "{a:?} and {b:?}"
                );
            }
        }
    }
}
