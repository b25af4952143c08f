//! Site-generator presets (`hexo`, `jekyll`, `hugo`, `generic`), loaded from the embedded
//! `rules/presets.yaml`, and `auto` detection of the site a file belongs to.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use serde::Deserialize;

/// The kind of value a field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldKind {
    Text,
    Bool,
    Integer,
    Date,
    StringList,
    /// A string-list whose items may be lists of strings too: Hexo's category hierarchies
    /// (`- [Diary, PlayStation]`).
    StringTree,
    List,
    Mapping,
    Any,
}

impl FieldKind {
    pub fn parse(s: &str) -> Option<FieldKind> {
        serde_saphyr::from_str(s).ok()
    }

    pub fn describe(self) -> &'static str {
        match self {
            FieldKind::Text => "a string",
            FieldKind::Bool => "a boolean (`true` or `false`)",
            FieldKind::Integer => "an integer",
            FieldKind::Date => "a date",
            FieldKind::StringList => "a string or a list of strings",
            FieldKind::StringTree => "a string, or a list of strings and lists of strings",
            FieldKind::List => "a list",
            FieldKind::Mapping => "a mapping",
            FieldKind::Any => "any value",
        }
    }
}

/// What a site generator expects of a post's front matter.
#[derive(Clone, Debug, Default)]
pub struct Preset {
    pub name: String,
    pub required: Vec<String>,
    pub fields: BTreeMap<String, FieldKind>,
    /// Hugo matches front-matter keys case-insensitively.
    pub case_insensitive: bool,
    /// Other fields the generator reads a required field from (Hugo's `date` from
    /// `publishDate`, `pubdate`, …): one of them present is the field present.
    pub aliases: BTreeMap<String, Vec<String>>,
    /// The generator takes a post's date from a file name that starts with it (Jekyll's
    /// `2024-03-05-title.md`).
    pub date_from_file_name: bool,
    /// How many blank lines before the opening fence the generator skips (FM002).
    pub blank_lines_skipped: BlankLines,
}

/// Blank lines a generator skips before the front matter's opening fence.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlankLines {
    /// `---` must be the first line (Jekyll).
    #[default]
    None,
    /// One blank line (hexo-front-matter's pattern allows it).
    One,
    /// Any number (Hugo skips white space before the front matter).
    Any,
}

impl BlankLines {
    pub fn allows(self, lines: usize) -> bool {
        match self {
            BlankLines::None => lines == 0,
            BlankLines::One => lines <= 1,
            BlankLines::Any => true,
        }
    }
}

impl Preset {
    /// The kind of field `key`, honouring the preset's case rule.
    pub fn field(&self, key: &str) -> Option<FieldKind> {
        self.fields.get(key).copied().or_else(|| {
            if self.case_insensitive {
                self.fields
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(key))
                    .map(|(_, v)| *v)
            } else {
                None
            }
        })
    }
}

#[derive(Deserialize)]
struct RawPreset {
    #[serde(default)]
    required: Option<Vec<String>>,
    #[serde(default)]
    fields: BTreeMap<String, FieldKind>,
    #[serde(default)]
    case_insensitive: bool,
    #[serde(default)]
    aliases: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    date_from_file_name: bool,
    #[serde(default)]
    blank_lines_skipped: BlankLines,
}

/// The kind the generic preset gives a field two generators type differently: a string-list
/// widens to a string-tree (Hexo's categories); otherwise the kind it has first (common's, then
/// the first preset's in name order), so that a check is not lost to one generator's use of a
/// name (Hugo's date `published` must not stop Jekyll's boolean being checked).
fn wider(a: FieldKind, b: FieldKind) -> FieldKind {
    use FieldKind::{StringList, StringTree};
    match (a, b) {
        (StringList, StringTree) | (StringTree, StringList) => StringTree,
        _ => a,
    }
}

/// The generator presets a user can name.
pub const PRESET_NAMES: &[&str] = &["auto", "generic", "hexo", "jekyll", "hugo"];

const PRESETS_YAML: &str = include_str!("../rules/presets.yaml");

fn all() -> &'static BTreeMap<String, Preset> {
    static PRESETS: OnceLock<BTreeMap<String, Preset>> = OnceLock::new();
    PRESETS.get_or_init(|| {
        // The file is ours and embedded; a broken edit of it fails the test suite at once.
        let mut raw: BTreeMap<String, RawPreset> =
            serde_saphyr::from_str(PRESETS_YAML).expect("rules/presets.yaml is valid");
        let common = raw.remove("common").expect("presets.yaml has `common`");
        let required = common.required.unwrap_or_default();
        let mut presets = BTreeMap::new();
        let mut generic = Preset {
            name: "generic".into(),
            required: required.clone(),
            fields: common.fields.clone(),
            case_insensitive: false,
            aliases: common.aliases.clone(),
            date_from_file_name: common.date_from_file_name,
            // The strictest: a post of an unknown generator may be Jekyll's.
            blank_lines_skipped: common.blank_lines_skipped,
        };
        for (name, preset) in raw {
            let mut fields = common.fields.clone();
            fields.extend(preset.fields.iter().map(|(k, v)| (k.clone(), *v)));
            for (k, v) in &preset.fields {
                generic
                    .fields
                    .entry(k.clone())
                    .and_modify(|kind| *kind = wider(*kind, *v))
                    .or_insert(*v);
            }
            // A generator's aliases are its own (Hugo's `published` is a date, Jekyll's a
            // flag): the generic preset takes only the file name's date, which no other
            // generator's field could be mistaken for.
            generic.date_from_file_name |= preset.date_from_file_name;
            let mut aliases = common.aliases.clone();
            aliases.extend(preset.aliases);
            presets.insert(
                name.clone(),
                Preset {
                    name,
                    required: preset.required.unwrap_or_else(|| required.clone()),
                    fields,
                    case_insensitive: preset.case_insensitive,
                    aliases,
                    date_from_file_name: preset.date_from_file_name || common.date_from_file_name,
                    blank_lines_skipped: preset.blank_lines_skipped,
                },
            );
        }
        presets.insert("generic".into(), generic);
        presets
    })
}

/// A named preset (`generic`, `hexo`, `jekyll`, `hugo`).
pub fn get(name: &str) -> Option<&'static Preset> {
    all().get(name)
}

/// The site generator of the folder `dir` belongs to, from the files at a site's root:
/// Hugo's `hugo.toml` (or a `config.toml` next to `content/`), Hexo's `_config.yml` next to
/// `source/` or `scaffolds/`, Jekyll's `_config.yml` otherwise.
pub fn detect(dir: &Path) -> Option<&'static str> {
    detect_site(dir).map(|site| site.generator)
}

/// A site found above a post: its generator and its root folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    pub generator: &'static str,
    pub root: std::path::PathBuf,
    /// The folders under `themes/` (Hexo and Hugo), whose assets the site serves too.
    pub themes: Vec<std::path::PathBuf>,
}

impl Site {
    /// Where site-relative URLs (`/images/a.png`) are served from: Hexo `source/`, the Jekyll
    /// root, Hugo `static/` and `assets/`, and the same folders of the themes (every theme
    /// installed: which one is active is in the site's configuration, not read here).
    pub fn asset_roots(&self) -> Vec<std::path::PathBuf> {
        let folders: &[&str] = match self.generator {
            "hexo" => &["source"],
            "hugo" => &["static", "assets"],
            _ => return vec![self.root.clone()],
        };
        std::iter::once(&self.root)
            .chain(&self.themes)
            .flat_map(|base| folders.iter().map(|f| base.join(f)))
            .collect()
    }
}

/// The site `dir` belongs to, from the files at a site's root.
pub fn detect_site(dir: &Path) -> Option<Site> {
    for ancestor in dir.ancestors() {
        let has = |name: &str| ancestor.join(name).exists();
        let hugo = has("hugo.toml") || has("hugo.yaml") || has("hugo.json");
        let old_hugo = (has("config.toml") || has("config.yaml")) && has("content");
        let generator = if hugo || old_hugo {
            "hugo"
        } else if has("_config.yml") || has("_config.yaml") {
            if has("source") || has("scaffolds") || has("themes") && has("package.json") {
                "hexo"
            } else {
                "jekyll"
            }
        } else {
            continue;
        };
        let themes = if generator == "jekyll" {
            // Jekyll's themes are gems, not folders of the site.
            Vec::new()
        } else {
            let mut themes: Vec<std::path::PathBuf> = std::fs::read_dir(ancestor.join("themes"))
                .into_iter()
                .flatten()
                .flatten()
                .map(|entry| entry.path())
                .filter(|path| path.is_dir())
                .collect();
            themes.sort();
            themes
        };
        return Some(Site {
            generator,
            root: ancestor.to_path_buf(),
            themes,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_load_and_merge_common_fields() {
        let hexo = get("hexo").unwrap();
        assert_eq!(hexo.required, ["title", "date"]);
        assert_eq!(hexo.field("headimg"), Some(FieldKind::Text));
        assert_eq!(hexo.field("comments"), Some(FieldKind::Bool));
        assert_eq!(get("jekyll").unwrap().field("headimg"), None);
        let generic = get("generic").unwrap();
        assert_eq!(generic.field("image_feature"), Some(FieldKind::Text));
        assert_eq!(generic.field("lastmod"), Some(FieldKind::Date));
        assert_eq!(
            get("hugo").unwrap().field("PublishDate"),
            Some(FieldKind::Date)
        );
    }

    #[test]
    fn detects_sites_from_their_root_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("source/_posts")).unwrap();
        std::fs::write(root.join("_config.yml"), "title: x\n").unwrap();
        assert_eq!(detect(&root.join("source/_posts")), Some("hexo"));
        std::fs::remove_dir_all(root.join("source")).unwrap();
        std::fs::create_dir_all(root.join("_posts")).unwrap();
        assert_eq!(detect(&root.join("_posts")), Some("jekyll"));
        let hugo = tempfile::tempdir().unwrap();
        std::fs::write(hugo.path().join("hugo.toml"), "").unwrap();
        assert_eq!(detect(hugo.path()), Some("hugo"));
    }
}
