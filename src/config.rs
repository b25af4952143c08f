//! `artlint.toml`: found by walking up from each file's folder (or named with `--config`),
//! validated strictly (unknown keys are errors with a "did you mean"), and resolved into the
//! rules that run on each file.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Severity;
use crate::presets::{self, Preset};
use crate::rules::{self, OptionKind, Rule};
use crate::suggest::did_you_mean;

pub const CONFIG_FILE: &str = "artlint.toml";
/// Default cap on a file's size: no article is this large.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;
/// The keys that hold dates unless `date-fields` says otherwise.
pub const DEFAULT_DATE_FIELDS: &[&str] = &[
    "date",
    "updated",
    "lastmod",
    "publishDate",
    "pubdate",
    "expiryDate",
    "last_modified_at",
];

/// The keys that hold images unless `image-fields` says otherwise (Hexo themes, Jekyll themes,
/// Hugo, Open Graph).
pub const DEFAULT_IMAGE_FIELDS: &[&str] = &[
    "headimg",
    "thumbnail",
    "cover",
    "image",
    "images",
    "image_feature",
    "banner",
    "og_image",
    "featured_image",
    "top_img",
];

/// `[online]` in artlint.toml: whether and how image URLs are checked over HTTP.
#[derive(Clone, Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct OnlineSettings {
    pub enabled: bool,
    /// Allow loopback, private and link-local addresses (for tests and intranets).
    pub allow_private: bool,
    pub timeout_seconds: u64,
    pub max_concurrency: usize,
    pub per_host_concurrency: usize,
    pub retries: u32,
    pub max_redirects: u32,
    /// How long a cached result is trusted.
    pub cache_ttl_hours: u64,
}

impl Default for OnlineSettings {
    fn default() -> Self {
        OnlineSettings {
            enabled: false,
            allow_private: false,
            timeout_seconds: 10,
            max_concurrency: 16,
            per_host_concurrency: 2,
            retries: 2,
            max_redirects: 5,
            cache_ttl_hours: 24,
        }
    }
}

/// `online = true`, or an `[online]` table.
fn online_settings(value: &Spanned<toml::Value>) -> Result<OnlineSettings, String> {
    match value.get_ref() {
        toml::Value::Boolean(enabled) => Ok(OnlineSettings {
            enabled: *enabled,
            ..OnlineSettings::default()
        }),
        toml::Value::Table(table) => {
            let mut settings: OnlineSettings = toml::Value::Table(table.clone())
                .try_into()
                .map_err(|e: toml::de::Error| e.message().to_string())?;
            // A table means "check online" unless it says otherwise.
            if !table.contains_key("enabled") {
                settings.enabled = true;
            }
            Ok(settings)
        }
        _ => Err("expected true/false or a table".into()),
    }
}

/// The clock, read once per run so that every file is judged against the same moment.
fn run_start() -> jiff::Timestamp {
    static START: OnceLock<jiff::Timestamp> = OnceLock::new();
    *START.get_or_init(jiff::Timestamp::now)
}

pub const DEFAULT_EXTENSIONS: &[&str] = &["md", "markdown", "html", "htm"];
/// Generated output and dependencies, never sources of posts.
const DEFAULT_EXCLUDE: &[&str] = &["**/node_modules/**", "**/_site/**", "**/.artlint-cache/**"];

/// A configuration problem, with the place in the file when there is one.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ConfigError {
    pub path: PathBuf,
    pub message: String,
    pub span: Option<Range<usize>>,
    pub help: Option<String>,
    pub source_text: String,
}

impl ConfigError {
    fn new(path: &Path, source_text: &str, message: impl Into<String>) -> Self {
        ConfigError {
            path: path.to_path_buf(),
            message: message.into(),
            span: None,
            help: None,
            source_text: source_text.to_string(),
        }
    }

    fn at(mut self, span: Range<usize>) -> Self {
        self.span = Some(span);
        self
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// The top-level keys of `artlint.toml`.
const TOP_LEVEL_KEYS: &[&str] = &[
    "extends",
    "include",
    "exclude",
    "extensions",
    "max-file-size",
    "select",
    "ignore",
    "rules",
    "overrides",
    "date-fields",
    "image-fields",
    "packs",
    "now",
    "online",
    "html-mode",
];
const OVERRIDE_KEYS: &[&str] = &["files", "select", "ignore", "rules"];

/// `[rules.<name>]` tables: rule name → option name → value, all with their spans.
type RawRules = BTreeMap<Spanned<String>, Spanned<BTreeMap<Spanned<String>, Spanned<toml::Value>>>>;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    extends: Option<Spanned<String>>,
    include: Option<Vec<Spanned<String>>>,
    exclude: Option<Vec<Spanned<String>>>,
    extensions: Option<Vec<String>>,
    max_file_size: Option<u64>,
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    rules: Option<RawRules>,
    overrides: Option<Vec<RawOverride>>,
    date_fields: Option<Vec<String>>,
    image_fields: Option<Vec<String>>,
    packs: Option<Spanned<Vec<String>>>,
    now: Option<Spanned<String>>,
    online: Option<Spanned<toml::Value>>,
    html_mode: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOverride {
    files: Vec<Spanned<String>>,
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    rules: Option<RawRules>,
}

/// How one rule is configured: its severity (None = off) and options.
#[derive(Clone, Debug, Default)]
pub struct RuleSetting {
    pub severity: Option<Option<Severity>>,
    pub options: toml::Table,
}

/// Rule selection at one level (top level, an override, the command line).
#[derive(Clone, Debug, Default)]
pub struct Selection {
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub rules: BTreeMap<&'static str, RuleSetting>,
}

#[derive(Clone, Debug)]
pub struct Override {
    pub files: GlobSet,
    pub selection: Selection,
}

fn inputs_fingerprint(config_text: &str, cli: &CliOverrides, packs: u64) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    (config_text, format!("{cli:?}"), packs).hash(&mut hasher);
    hasher.finish()
}

/// What the command line sets on top of every configuration file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CliOverrides {
    pub preset: Option<String>,
    /// `--online`: check image URLs over HTTP whatever the configuration says.
    pub online: bool,
    pub now: Option<jiff::Timestamp>,
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
}

/// One loaded configuration (a file, or the defaults).
#[derive(Debug)]
pub struct Config {
    pub path: Option<PathBuf>,
    /// Patterns are relative to this folder (the config file's).
    pub root: PathBuf,
    pub preset: String,
    pub include: Option<GlobSet>,
    /// Read only through [`Config::wants`], which may answer for the default globs by name.
    exclude: GlobSet,
    /// `exclude` holds only [`DEFAULT_EXCLUDE`] (no `exclude` in the file): then a path's
    /// folders are compared by name instead (see [`in_default_excluded_folder`]).
    exclude_is_default: bool,
    pub extensions: Vec<String>,
    pub max_file_size: u64,
    pub selection: Selection,
    pub overrides: Vec<Override>,
    /// Front-matter keys that hold dates.
    pub date_fields: Vec<String>,
    /// Front-matter keys that hold images.
    pub image_fields: Vec<String>,
    /// `[online]`: the HTTP check of image URLs.
    pub online: OnlineSettings,
    /// `html-mode`: bodies read as whole documents or as fragments.
    pub html_mode: crate::document::HtmlMode,
    /// Rules of the user's packs (`packs = ["…/*.yaml"]`), on top of the built-in registry.
    pub pack_rules: Vec<&'static dyn Rule>,
    /// The moment treated as now (for future dates): `--now`, `now`, or the clock at start.
    pub now: jiff::Timestamp,
    /// A hash of what this configuration was made from (its file's text, the command line's
    /// overrides, the user's packs). With the file's path and the detected site (which depend
    /// on where it is), it keys the result cache.
    pub fingerprint: u64,
    cli: CliOverrides,
    /// The site each folder belongs to (for `auto` and for site-relative images).
    detected: Mutex<HashMap<PathBuf, Option<presets::Site>>>,
    /// `root`, absolute, computed once.
    root_abs: OnceLock<PathBuf>,
    /// The rules for files that no override matches: the common case, resolved once.
    base_rules: OnceLock<Vec<ActiveRule>>,
}

/// A rule that runs on a file, with its effective severity and options.
#[derive(Clone)]
pub struct ActiveRule {
    pub rule: &'static dyn Rule,
    pub severity: Severity,
    pub options: toml::Table,
}

impl std::fmt::Debug for ActiveRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({:?})", self.rule.meta().code, self.severity)
    }
}

/// What [`DEFAULT_EXCLUDE`]'s globs (`**/NAME/**`) match: a path with a folder of one of those
/// names, i.e. the name as a component followed by `/`. Asked of every file walked: comparing
/// names is several times cheaper than the glob set (a test checks that they agree).
fn in_default_excluded_folder(path: &Path) -> bool {
    const NAMES: [&[u8]; 3] = [b"node_modules", b"_site", b".artlint-cache"];
    let bytes = path.as_os_str().as_encoded_bytes();
    let mut components = bytes.split(|b| *b == b'/');
    // The last component is the file's own name: only folders count.
    components.next_back();
    components.any(|name| NAMES.contains(&name))
}

fn glob_set(patterns: &[&str]) -> Result<GlobSet, globset::Error> {
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        builder.add(Glob::new(p)?);
    }
    builder.build()
}

impl Config {
    /// The defaults, rooted at `root`.
    pub fn defaults(root: &Path, cli: CliOverrides) -> Config {
        Config {
            path: None,
            root: root.to_path_buf(),
            preset: cli.preset.clone().unwrap_or_else(|| "auto".into()),
            include: None,
            exclude: glob_set(DEFAULT_EXCLUDE).expect("default globs are valid"),
            exclude_is_default: true,
            extensions: DEFAULT_EXTENSIONS.iter().map(|s| s.to_string()).collect(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            selection: Selection::default(),
            overrides: Vec::new(),
            date_fields: DEFAULT_DATE_FIELDS.iter().map(|s| s.to_string()).collect(),
            image_fields: DEFAULT_IMAGE_FIELDS.iter().map(|s| s.to_string()).collect(),
            online: OnlineSettings {
                enabled: cli.online,
                ..OnlineSettings::default()
            },
            pack_rules: Vec::new(),
            html_mode: crate::document::HtmlMode::Auto,
            now: cli.now.unwrap_or_else(run_start),
            fingerprint: inputs_fingerprint("", &cli, 0),
            cli,
            detected: Mutex::new(HashMap::new()),
            base_rules: OnceLock::new(),
            root_abs: OnceLock::new(),
        }
    }

    /// Load and validate `path`.
    pub fn load(path: &Path, cli: CliOverrides) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            ConfigError::new(path, "", format!("cannot read {}: {e}", path.display()))
        })?;
        Self::parse(path, &text, cli)
    }

    /// Parse a configuration's text (`path` names it in errors and roots its patterns).
    pub fn parse(path: &Path, text: &str, cli: CliOverrides) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
        let root = path
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let err = |msg: String| ConfigError::new(path, text, msg);

        let preset = match (&cli.preset, &raw.extends) {
            (Some(p), _) => p.clone(),
            (None, Some(extends)) => {
                let name = extends.get_ref();
                if !presets::PRESET_NAMES.contains(&name.as_str()) {
                    let mut e = err(format!("unknown preset `{name}`")).at(extends.span());
                    e = e.help(
                        match did_you_mean(name, presets::PRESET_NAMES.iter().copied()) {
                            Some(s) => format!(
                                "did you mean `{s}`? presets: {}",
                                presets::PRESET_NAMES.join(", ")
                            ),
                            None => format!("presets: {}", presets::PRESET_NAMES.join(", ")),
                        },
                    );
                    return Err(e);
                }
                name.clone()
            }
            (None, None) => "auto".into(),
        };

        let globs = |list: &Option<Vec<Spanned<String>>>| -> Result<Option<GlobSet>, ConfigError> {
            let Some(list) = list else { return Ok(None) };
            let mut builder = GlobSetBuilder::new();
            for p in list {
                let glob = Glob::new(p.get_ref()).map_err(|e| {
                    err(format!("invalid glob `{}`: {e}", p.get_ref())).at(p.span())
                })?;
                builder.add(glob);
            }
            builder.build().map(Some).map_err(|e| err(e.to_string()))
        };

        let include = globs(&raw.include)?;
        let mut exclude_patterns: Vec<Spanned<String>> = DEFAULT_EXCLUDE
            .iter()
            .map(|p| Spanned::new(0..0, p.to_string()))
            .collect();
        exclude_patterns.extend(raw.exclude.clone().unwrap_or_default());
        let exclude = globs(&Some(exclude_patterns))?.expect("some");

        let (pack_rules, packs_fingerprint) = match &raw.packs {
            None => (Vec::new(), 0),
            Some(patterns) => crate::packs::load_user_packs(&root, patterns.get_ref()).map_err(|e| {
                err(format!("pack {e}")).at(patterns.span()).help("a pack is YAML: `pack`, `description` and a list of `rules` (see rules/generic.yaml)")
            })?,
        };
        let known = |selector: &str| {
            rules::registry()
                .iter()
                .chain(&pack_rules)
                .any(|r| r.meta().matches(selector))
        };
        let top_selection = selection(
            path,
            text,
            raw.select,
            raw.ignore,
            raw.rules,
            &known,
            &pack_rules,
        )?;
        let mut overrides = Vec::new();
        for o in raw.overrides.unwrap_or_default() {
            let files = globs(&Some(o.files))?.expect("some");
            overrides.push(Override {
                files,
                selection: selection(path, text, o.select, o.ignore, o.rules, &known, &pack_rules)?,
            });
        }

        let now = match (&cli.now, &raw.now) {
            (Some(now), _) => *now,
            (None, Some(text)) => text.get_ref().parse().map_err(|e| {
                err(format!("`now` is not an RFC 3339 timestamp: {e}"))
                    .at(text.span())
                    .help("e.g. now = \"2022-01-01T00:00:00Z\"")
            })?,
            (None, None) => run_start(),
        };
        let html_mode = match raw.html_mode.as_ref().map(|m| m.get_ref().as_str()) {
            None | Some("auto") => crate::document::HtmlMode::Auto,
            Some("fragment") => crate::document::HtmlMode::Fragment,
            Some("document") => crate::document::HtmlMode::Document,
            Some(other) => {
                let span = raw.html_mode.as_ref().map(|m| m.span()).unwrap_or(0..0);
                return Err(err(format!("`html-mode` is \"{other}\""))
                    .at(span)
                    .help("one of \"auto\" (documents are .html files opening with <!DOCTYPE or <html), \"fragment\", \"document\""));
            }
        };
        let fingerprint = inputs_fingerprint(text, &cli, packs_fingerprint);
        Ok(Config {
            now,
            fingerprint,
            html_mode,
            date_fields: raw
                .date_fields
                .unwrap_or_else(|| DEFAULT_DATE_FIELDS.iter().map(|s| s.to_string()).collect()),
            image_fields: raw
                .image_fields
                .unwrap_or_else(|| DEFAULT_IMAGE_FIELDS.iter().map(|s| s.to_string()).collect()),
            pack_rules,
            online: {
                let mut online = match raw.online {
                    None => OnlineSettings::default(),
                    Some(value) => online_settings(&value).map_err(|msg| {
                        err(format!("[online]: {msg}")).at(value.span()).help(
                            "`online = true`, or a table with enabled, allow-private, timeout-seconds, \
                             max-concurrency, per-host-concurrency, retries, max-redirects, cache-ttl-hours",
                        )
                    })?,
                };
                online.enabled |= cli.online;
                online
            },
            path: Some(path.to_path_buf()),
            root,
            preset,
            include,
            exclude_is_default: raw.exclude.as_ref().is_none_or(Vec::is_empty),
            exclude,
            extensions: raw
                .extensions
                .unwrap_or_else(|| DEFAULT_EXTENSIONS.iter().map(|s| s.to_string()).collect()),
            max_file_size: raw.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
            selection: top_selection,
            overrides,
            cli,
            detected: Mutex::new(HashMap::new()),
            base_rules: OnceLock::new(),
            root_abs: OnceLock::new(),
        })
    }

    /// `path` relative to the config's folder, for glob matching, however the user named it
    /// (relative, absolute, through `..`).
    fn relative(&self, path: &Path) -> PathBuf {
        // The common case: a relative path under a config in the current folder.
        // (No `..` in its text: cheaper than walking its components, and never wrong.)
        if path.is_relative()
            && (self.root.as_os_str().is_empty() || self.root == Path::new("."))
            && !path
                .as_os_str()
                .as_encoded_bytes()
                .windows(2)
                .any(|w| w == b"..")
        {
            return path.strip_prefix("./").unwrap_or(path).to_path_buf();
        }
        let root = self.root_abs.get_or_init(|| absolute(&self.root));
        // A folder named absolutely, walked file by file: its files' text starts with the
        // root's, and comparing text is enough (see [`strip_root`]).
        if let Some(rest) = strip_root(path, root) {
            return rest.to_path_buf();
        }
        pathdiff(&absolute(path), root)
    }

    /// Whether a file found by walking a folder should be linted.
    pub fn wants(&self, path: &Path) -> bool {
        let ext_ok = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| self.extensions.iter().any(|x| x.eq_ignore_ascii_case(e)));
        if !ext_ok {
            return false;
        }
        let rel = self.relative(path);
        let rel = rel.as_path();
        let excluded = if self.exclude_is_default {
            in_default_excluded_folder(rel)
        } else {
            self.exclude.is_match(rel)
        };
        !excluded && self.include.as_ref().is_none_or(|inc| inc.is_match(rel))
    }

    /// Whether the exclude settings leave out folder `dir` and all it holds (an unreadable
    /// folder is reported unless they do: include patterns and extensions cannot be judged
    /// of posts no one could list).
    pub fn excludes_folder(&self, dir: &Path) -> bool {
        let rel = self.relative(dir);
        // A post's path inside it: default excluded folders are told by the folders of a path.
        let inside = rel.join("post");
        if self.exclude_is_default {
            in_default_excluded_folder(&inside)
        } else {
            self.exclude.is_match(&rel) || self.exclude.is_match(&inside)
        }
    }

    /// The site preset for a file in `dir`.
    pub fn preset_for(&self, dir: &Path) -> &'static Preset {
        let generic = || presets::get("generic").expect("generic preset exists");
        if self.preset != "auto" {
            return presets::get(&self.preset).unwrap_or_else(generic);
        }
        self.site_for(dir)
            .and_then(|site| presets::get(site.generator))
            .unwrap_or_else(generic)
    }

    /// The site (generator and root) the folder `dir` belongs to, looked up once per folder.
    pub fn site_for(&self, dir: &Path) -> Option<presets::Site> {
        let lock = || self.detected.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(site) = lock().get(dir) {
            return site.clone();
        }
        // Detected without holding the lock: it reads the disk, and folders are many (one per
        // post in page bundles) while the defaults are one configuration for all of them.
        let abs = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        let site = presets::detect_site(&abs);
        lock().entry(dir.to_path_buf()).or_insert(site).clone()
    }

    /// The rules that run on `path`, with severities and options, after the config's
    /// selection, its matching overrides, and the command line.
    pub fn rules_for(&self, path: &Path) -> std::borrow::Cow<'_, [ActiveRule]> {
        if self.overrides.is_empty() {
            return std::borrow::Cow::Borrowed(
                self.base_rules
                    .get_or_init(|| self.resolve(&[&self.selection])),
            );
        }
        let rel = self.relative(path);
        let mut levels: Vec<&Selection> = vec![&self.selection];
        levels.extend(
            self.overrides
                .iter()
                .filter(|o| o.files.is_match(&rel))
                .map(|o| &o.selection),
        );
        if levels.len() == 1 {
            return std::borrow::Cow::Borrowed(
                self.base_rules.get_or_init(|| self.resolve(&levels)),
            );
        }
        std::borrow::Cow::Owned(self.resolve(&levels))
    }

    fn resolve(&self, levels: &[&Selection]) -> Vec<ActiveRule> {
        rules::registry()
            .iter()
            .chain(&self.pack_rules)
            .filter_map(|rule| {
                let meta = rule.meta();
                let mut enabled = meta.default_enabled;
                let mut severity = meta.severity;
                let mut options = toml::Table::new();
                for level in levels {
                    apply(level, meta, &mut enabled, &mut severity, &mut options);
                }
                let cli = Selection {
                    select: self.cli.select.clone(),
                    ignore: self.cli.ignore.clone(),
                    rules: BTreeMap::new(),
                };
                apply(&cli, meta, &mut enabled, &mut severity, &mut options);
                if self.cli.extend_select.iter().any(|s| meta.matches(s)) {
                    enabled = true;
                }
                enabled.then_some(ActiveRule {
                    rule: *rule,
                    severity,
                    options,
                })
            })
            .collect()
    }
}

fn apply(
    level: &Selection,
    meta: &crate::rules::RuleMeta,
    enabled: &mut bool,
    severity: &mut Severity,
    options: &mut toml::Table,
) {
    if let Some(select) = &level.select {
        *enabled = select.iter().any(|s| meta.matches(s));
    }
    if level.ignore.iter().any(|s| meta.matches(s)) {
        *enabled = false;
    }
    if let Some(setting) = level.rules.get(meta.name) {
        match setting.severity {
            Some(Some(s)) => {
                *severity = s;
                *enabled = true;
            }
            Some(None) => *enabled = false,
            None => {}
        }
        options.extend(setting.options.clone());
    }
}

fn selection(
    path: &Path,
    text: &str,
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    raw_rules: Option<RawRules>,
    known: &dyn Fn(&str) -> bool,
    pack_rules: &[&'static dyn Rule],
) -> Result<Selection, ConfigError> {
    let check_selector = |s: &Spanned<String>| -> Result<String, ConfigError> {
        (if known(s.get_ref()) {
            Ok(())
        } else {
            validate_selector(s.get_ref())
        })
        .map(|()| s.get_ref().clone())
        .map_err(|help| {
            ConfigError::new(path, text, format!("`{}` selects no rule", s.get_ref()))
                .at(s.span())
                .help(help)
        })
    };
    let select = select
        .map(|list| {
            list.iter()
                .map(check_selector)
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    let ignore = ignore
        .unwrap_or_default()
        .iter()
        .map(check_selector)
        .collect::<Result<Vec<_>, _>>()?;
    let mut rules_out = BTreeMap::new();
    for (name, table) in raw_rules.unwrap_or_default() {
        let by_name = |r: &&&'static dyn Rule| {
            let m = r.meta();
            m.code.eq_ignore_ascii_case(name.get_ref()) || m.name == name.get_ref()
        };
        let Some(rule) =
            rules::find(name.get_ref()).or_else(|| pack_rules.iter().find(by_name).copied())
        else {
            let names = rules::registry().iter().map(|r| r.meta().name);
            let help = match did_you_mean(name.get_ref(), names) {
                Some(s) => format!("did you mean `{s}`? `artlint rules` lists them all"),
                None => "`artlint rules` lists the rules".to_string(),
            };
            return Err(
                ConfigError::new(path, text, format!("unknown rule `{}`", name.get_ref()))
                    .at(name.span())
                    .help(help),
            );
        };
        let meta = rule.meta();
        let mut setting = RuleSetting::default();
        for (key, value) in table.into_inner() {
            let key_name = key.get_ref().as_str();
            if key_name == "severity" {
                let Some(s) = value.get_ref().as_str() else {
                    return Err(ConfigError::new(path, text, "`severity` must be a string")
                        .at(value.span())
                        .help("one of \"error\", \"warning\", \"info\", \"off\""));
                };
                setting.severity = Some(match s {
                    "off" => None,
                    other => Some(Severity::parse(other).ok_or_else(|| {
                        ConfigError::new(path, text, format!("unknown severity `{other}`"))
                            .at(value.span())
                            .help("one of \"error\", \"warning\", \"info\", \"off\"")
                    })?),
                });
                continue;
            }
            let Some(option) = meta.options.iter().find(|o| o.name == key_name) else {
                let names = std::iter::once("severity").chain(meta.options.iter().map(|o| o.name));
                let known: Vec<&str> = names.clone().collect();
                let help = match did_you_mean(key_name, names) {
                    Some(s) => format!(
                        "did you mean `{s}`? `{}` takes: {}",
                        meta.name,
                        known.join(", ")
                    ),
                    None => format!("`{}` takes: {}", meta.name, known.join(", ")),
                };
                return Err(ConfigError::new(
                    path,
                    text,
                    format!("unknown option `{key_name}` for rule `{}`", meta.name),
                )
                .at(key.span())
                .help(help));
            };
            validate_option(option.kind, value.get_ref()).map_err(|msg| {
                ConfigError::new(
                    path,
                    text,
                    format!("option `{key_name}` of `{}`: {msg}", meta.name),
                )
                .at(value.span())
                .help(option.help)
            })?;
            setting
                .options
                .insert(key_name.to_string(), value.into_inner());
        }
        rules_out.insert(meta.name, setting);
    }
    Ok(Selection {
        select,
        ignore,
        rules: rules_out,
    })
}

fn validate_option(kind: OptionKind, value: &toml::Value) -> Result<(), String> {
    match kind {
        OptionKind::String => value
            .as_str()
            .map(|_| ())
            .ok_or_else(|| "expected a string".into()),
        OptionKind::Choices(choices) => match value.as_array() {
            Some(items)
                if items
                    .iter()
                    .all(|i| i.as_str().is_some_and(|s| choices.contains(&s))) =>
            {
                Ok(())
            }
            _ => Err(format!("expected a list of: {}", choices.join(", "))),
        },
        OptionKind::Strftime => {
            let pattern = value
                .as_str()
                .ok_or("expected a strftime pattern such as \"%Y-%m-%d %H:%M:%S\"")?;
            let sample = jiff::civil::date(2021, 5, 22).at(12, 2, 19, 0);
            let zoned = sample
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .map_err(|e| e.to_string())?;
            jiff::fmt::strtime::format(pattern, &zoned)
                .map(|_| ())
                .map_err(|e| format!("not a valid strftime pattern: {e}"))
        }
        OptionKind::TimeZone => {
            let name = value.as_str().ok_or("expected a time-zone name")?;
            crate::dates::time_zone(name).map(|_| ()).ok_or_else(|| {
                format!("unknown time zone `{name}`; use an IANA name (Asia/Shanghai), UTC, or an offset (+08:00)")
            })
        }
        OptionKind::Integer => value
            .as_integer()
            .map(|_| ())
            .ok_or_else(|| "expected an integer".into()),
        OptionKind::Bool => value
            .as_bool()
            .map(|_| ())
            .ok_or_else(|| "expected true or false".into()),
        OptionKind::StringList => match value.as_array() {
            Some(items) if items.iter().all(toml::Value::is_str) => Ok(()),
            _ => Err("expected a list of strings".into()),
        },
        OptionKind::FieldKinds => {
            let Some(table) = value.as_table() else {
                return Err("expected a table of field = \"kind\"".into());
            };
            for (k, v) in table {
                let kind = v.as_str().and_then(presets::FieldKind::parse);
                if kind.is_none() {
                    return Err(format!(
                        "`{k}`: unknown kind; use text, bool, integer, date, string-list, string-tree, list, mapping or any"
                    ));
                }
            }
            Ok(())
        }
    }
}

/// Check that a selector (code, prefix, name, family, ALL) names at least one rule.
pub fn validate_selector(selector: &str) -> Result<(), String> {
    if rules::registry().iter().any(|r| r.meta().matches(selector)) {
        return Ok(());
    }
    let candidates = rules::registry()
        .iter()
        .flat_map(|r| [r.meta().code, r.meta().name]);
    Err(match did_you_mean(selector, candidates) {
        Some(s) => format!("did you mean `{s}`? `artlint rules` lists codes and names"),
        None => "use a code (FM004), a prefix (FM), a name (required-field) or ALL".into(),
    })
}

/// Turn a TOML/serde error into a positioned config error, naming unknown keys with a
/// suggestion.
fn toml_error(path: &Path, text: &str, error: &toml::de::Error) -> ConfigError {
    let message = error.message().trim().to_string();
    let mut out = ConfigError::new(path, text, message.clone());
    if let Some(span) = error.span() {
        out = out.at(span.clone());
        if message.starts_with("unknown field") {
            let key = text
                .get(span)
                .unwrap_or("")
                .trim_matches(['"', '\'', '[', ']', ' ']);
            let key = key.rsplit('.').next().unwrap_or(key);
            let known = if message.contains("`files`") {
                OVERRIDE_KEYS
            } else {
                TOP_LEVEL_KEYS
            };
            out.message = format!("unknown key `{key}`");
            out.help = Some(match did_you_mean(key, known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("known keys: {}", known.join(", ")),
            });
        }
    }
    out
}

/// Finds the configuration for each folder by walking up, loading each file once.
pub struct ConfigResolver {
    explicit: Option<Arc<Config>>,
    cli: CliOverrides,
    by_dir: HashMap<PathBuf, Arc<Config>>,
    /// The folder asked last, by its text: files come folder by folder, and hashing a `Path`
    /// walks its components.
    last: Option<(PathBuf, Arc<Config>)>,
    /// The defaults, one for every folder without an `artlint.toml` above it: files walked with
    /// them need no second filtering, and share what a configuration memoises.
    defaults: Option<Arc<Config>>,
}

impl ConfigResolver {
    pub fn new(explicit: Option<&Path>, cli: CliOverrides) -> Result<Self, ConfigError> {
        let explicit = explicit
            .map(|p| Config::load(p, cli.clone()).map(Arc::new))
            .transpose()?;
        Ok(ConfigResolver {
            explicit,
            cli,
            by_dir: HashMap::new(),
            last: None,
            defaults: None,
        })
    }

    /// The configuration governing files in `dir`.
    pub fn for_dir(&mut self, dir: &Path) -> Result<Arc<Config>, ConfigError> {
        if let Some(config) = &self.explicit {
            return Ok(config.clone());
        }
        if let Some((last, config)) = &self.last
            && last.as_os_str() == dir.as_os_str()
        {
            return Ok(config.clone());
        }
        let config = match self.by_dir.get(dir) {
            Some(config) => config.clone(),
            None => self.find_for_dir(dir)?,
        };
        self.last = Some((dir.to_path_buf(), config.clone()));
        Ok(config)
    }

    /// The configuration of the nearest `artlint.toml` at or above `dir` (each such file read
    /// once), or the defaults.
    fn find_for_dir(&mut self, dir: &Path) -> Result<Arc<Config>, ConfigError> {
        let abs = absolute(dir);
        let found = abs
            .ancestors()
            .map(|a| a.join(CONFIG_FILE))
            .find(|candidate| candidate.is_file());
        let config = match found {
            Some(file) => {
                // Keep patterns relative to the folder as the user named it.
                let shown = pathdiff(&file, cwd());
                if let Some(existing) = self
                    .by_dir
                    .values()
                    .find(|c| c.path.as_deref() == Some(shown.as_path()))
                {
                    existing.clone()
                } else {
                    Arc::new(Config::load(&shown, self.cli.clone())?)
                }
            }
            None => self
                .defaults
                .get_or_insert_with(|| Arc::new(Config::defaults(Path::new("."), self.cli.clone())))
                .clone(),
        };
        self.by_dir.insert(dir.to_path_buf(), config.clone());
        Ok(config)
    }
}

/// The folder the run is in, as the user's shell names it (see [`working_folders`]): paths
/// made absolute against it, and a configuration's folder named relative to it, read as the
/// user typed them (`"$PWD/posts"`) even where the folder is reached through a link.
fn cwd() -> &'static Path {
    &working_folders()[0]
}

/// Every spelling of the folder the run is in: the shell's `$PWD` first when it is this folder
/// reached through a link (a CI workspace linked in, `/tmp` for `/private/tmp`), then the
/// operating system's, links resolved. Never empty.
pub fn working_folders() -> &'static [PathBuf] {
    static FOLDERS: OnceLock<Vec<PathBuf>> = OnceLock::new();
    FOLDERS.get_or_init(|| {
        let real = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        let shell = std::env::var_os("PWD")
            .map(PathBuf::from)
            .filter(|pwd| pwd.is_absolute() && *pwd != real)
            .filter(|pwd| pwd.canonicalize().is_ok_and(|resolved| resolved == real));
        shell.into_iter().chain([real]).collect()
    })
}

/// A file's path as every job of a split names it, wherever the corpus is checked out:
/// relative to the folder the run is in (when it is under it, as any of `cwd`'s spellings of
/// that folder, [`working_folders`]), without `.` components. A shard names its files so, and
/// its facts too, and discovery tells one file's spellings by it: `posts/a.md` and
/// `/ci/job-3/posts/a.md` are one post.
pub fn relative_path(path: &Path, cwd: &[PathBuf]) -> PathBuf {
    let relative = cwd
        .iter()
        .find_map(|cwd| path.strip_prefix(cwd).ok())
        .unwrap_or(path);
    relative
        .components()
        .filter(|c| *c != std::path::Component::CurDir)
        .collect()
}

/// `path` made absolute against the current folder, with `.` and `..` resolved lexically (as
/// the user wrote them, not through symbolic links).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd().join(path)
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` under `root` (an [`absolute`] path: no `.`, `..`, doubled or trailing separator) as
/// text, when its text starts with the root's and a separator: what `strip_prefix` finds
/// component by component, at the cost of comparing bytes. `None` when that does not decide.
fn strip_root<'a>(path: &'a Path, root: &Path) -> Option<&'a Path> {
    let rest = path
        .to_str()?
        .strip_prefix(root.to_str()?)?
        .strip_prefix(std::path::MAIN_SEPARATOR)?;
    let plain = rest
        .split(std::path::is_separator)
        .all(|c| !c.is_empty() && c != "." && c != "..");
    plain.then(|| Path::new(rest))
}

/// `path` relative to `base` when it lies under it, else `path` itself.
fn pathdiff(path: &Path, base: &Path) -> PathBuf {
    path.strip_prefix(base)
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_named_relative_to_the_folder_the_run_is_in() {
        let cwd = [PathBuf::from("/ci/job-3"), PathBuf::from("/link/to/job-3")];
        for (given, named) in [
            ("/ci/job-3/posts/a.md", "posts/a.md"),
            ("/link/to/job-3/posts/a.md", "posts/a.md"),
            ("./posts/a.md", "posts/a.md"),
            ("posts/./a.md", "posts/a.md"),
            ("/elsewhere/a.md", "/elsewhere/a.md"),
        ] {
            assert_eq!(relative_path(Path::new(given), &cwd), Path::new(named));
        }
    }

    #[test]
    fn text_stripping_agrees_with_component_stripping_whenever_it_answers() {
        let roots = ["/site", "/site/blog", "/", "/si"];
        let rests = [
            "a.md",
            "posts/a.md",
            "posts//a.md",
            "./a.md",
            "posts/./a.md",
            "posts/../a.md",
            "",
            "/a.md",
            "a.md/",
            ".hidden.md",
            "..md",
        ];
        for root in roots {
            for rest in rests {
                for joint in ["", "/", "//"] {
                    let path = PathBuf::from(format!("{root}{joint}{rest}"));
                    let Some(stripped) = strip_root(&path, Path::new(root)) else {
                        continue;
                    };
                    let by_components = absolute(&path);
                    let by_components = by_components.strip_prefix(root).ok();
                    assert_eq!(
                        Some(stripped),
                        by_components,
                        "{} under {root}",
                        path.display()
                    );
                    assert_eq!(
                        stripped.as_os_str(),
                        stripped.components().collect::<PathBuf>().as_os_str()
                    );
                }
            }
        }
    }

    #[test]
    fn default_excluded_folders_are_told_as_the_default_globs_tell_them() {
        assert_eq!(
            DEFAULT_EXCLUDE,
            ["**/node_modules/**", "**/_site/**", "**/.artlint-cache/**"],
            "in_default_excluded_folder knows these three names"
        );
        let globs = glob_set(DEFAULT_EXCLUDE).expect("valid");
        const PARTS: &[&str] = &[
            "node_modules",
            "_site",
            ".artlint-cache",
            "a",
            "b.md",
            "",
            ".",
            "..",
            "node_modules.md",
            "x_site",
            "_site_",
            "Node_Modules",
            ".artlint-cache2",
        ];
        let mut rng = crate::test_rng::Xorshift::new(0x0123_4567_89AB_CDEF);
        let mut next = |n| rng.below(n);
        let mut excluded = 0;
        for _ in 0..20_000 {
            let mut path = String::new();
            if next(4) == 0 {
                path.push('/');
            }
            let parts: Vec<&str> = (0..1 + next(4)).map(|_| PARTS[next(PARTS.len())]).collect();
            path.push_str(&parts.join("/"));
            let by_names = in_default_excluded_folder(Path::new(&path));
            assert_eq!(by_names, globs.is_match(Path::new(&path)), "{path:?}");
            excluded += usize::from(by_names);
        }
        assert!(
            (2_000..18_000).contains(&excluded),
            "{excluded} paths excluded"
        );
        // With an `exclude` of its own, a file keeps the glob set (its patterns and the defaults).
        let config = parse("exclude = [\"drafts/**\"]").expect("valid");
        assert!(!config.exclude_is_default);
        assert!(!config.wants(Path::new("drafts/a.md")));
        assert!(!config.wants(Path::new("x/node_modules/a.md")));
        assert!(
            parse("max-file-size = 1000")
                .expect("valid")
                .exclude_is_default
        );
        assert!(parse("exclude = []").expect("valid").exclude_is_default);
    }

    #[test]
    fn globs_match_relative_to_the_config_folder_however_the_path_is_written() {
        let mut config = parse("exclude = [\"drafts/**\"]").expect("valid");
        config.root = PathBuf::from("/site");
        for (path, wanted) in [
            ("/site/posts/a.md", true),
            ("/site/drafts/a.md", false),
            ("/site//drafts/a.md", false),
            ("/site/./drafts/a.md", false),
            ("/site/posts/../drafts/a.md", false),
            ("/site/drafts/../posts/a.md", true),
            ("/elsewhere/drafts/a.md", true),
            ("/site/posts/a.txt", false),
            ("/site/drafts//a.md", false),
            ("/sites/drafts/a.md", true),
            ("/site.md", true),
        ] {
            assert_eq!(config.wants(Path::new(path)), wanted, "{path}");
        }
        // A config in the current folder, paths named relatively.
        config.root = PathBuf::new();
        config.root_abs = std::sync::OnceLock::new();
        for (path, wanted) in [
            ("posts/a.md", true),
            ("drafts/a.md", false),
            ("./drafts/a.md", false),
            ("posts/../drafts/a.md", false),
            ("drafts..old/a.md", true),
        ] {
            assert_eq!(config.wants(Path::new(path)), wanted, "{path}");
        }
    }

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new("artlint.toml"), text, CliOverrides::default())
    }

    #[test]
    fn unknown_top_level_key_suggests_the_right_one() {
        let err = parse("extneds = \"hexo\"\n").unwrap_err();
        assert_eq!(err.message, "unknown key `extneds`");
        assert_eq!(err.help.as_deref(), Some("did you mean `extends`?"));
        assert_eq!(err.span, Some(0..7));
    }

    #[test]
    fn unknown_rule_and_option_are_errors() {
        let err = parse("[rules.requird-field]\nseverity = \"warning\"\n").unwrap_err();
        assert!(err.message.contains("unknown rule"), "{}", err.message);
        assert!(err.help.unwrap().contains("required-field"));
        let err = parse("[rules.required-field]\nfeilds = [\"title\"]\n").unwrap_err();
        assert!(err.help.unwrap().contains("did you mean `fields`"));
        let err = parse("[rules.FM004]\nseverity = \"loud\"\n").unwrap_err();
        assert!(err.message.contains("unknown severity"));
    }

    #[test]
    fn severities_overrides_and_selection_resolve_per_file() {
        let config = parse(
            "select = [\"FM\"]\nignore = [\"FM009\"]\n[rules.required-field]\nseverity = \"warning\"\n\
             [[overrides]]\nfiles = [\"drafts/**\"]\nignore = [\"required-field\"]\n",
        )
        .unwrap();
        let codes = |p: &str| -> Vec<(&str, Severity)> {
            config
                .rules_for(Path::new(p))
                .iter()
                .map(|a| (a.rule.meta().code, a.severity))
                .collect()
        };
        let post = codes("posts/a.md");
        assert!(post.contains(&("FM004", Severity::Warning)));
        assert!(
            !post
                .iter()
                .any(|(c, _)| *c == "FM009" || c.starts_with("ENC"))
        );
        assert!(!codes("drafts/a.md").iter().any(|(c, _)| *c == "FM004"));
    }

    #[test]
    fn bad_selector_and_preset_are_errors() {
        assert!(
            parse("select = [\"FM999\"]\n")
                .unwrap_err()
                .message
                .contains("selects no rule")
        );
        let err = parse("extends = \"hexoo\"\n").unwrap_err();
        assert!(err.help.unwrap().contains("`hexo`"));
    }
}
