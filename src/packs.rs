//! Declarative rule packs: YAML files of boilerplate rules (`rules/*.yaml` embedded as
//! defaults, user packs from `packs = ["…/*.yaml"]`). Each entry has a code, a name, a
//! message, a severity, one matcher and optionally a fix; it becomes a [`PackRule`].

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use regex::Regex;
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diagnostic::{Safety, Severity};
use crate::document::FileKind;
use crate::rules::boilerplate::PackRule;
use crate::rules::{Family, FixKind, Rule, RuleMeta};

/// A pack that could not be loaded, with the place in its file.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.describe())]
pub struct PackError {
    pub path: String,
    pub line: u64,
    pub column: u64,
    pub message: String,
}

impl PackError {
    fn describe(&self) -> String {
        if self.line == 0 {
            format!("{}: {}", self.path, self.message)
        } else {
            format!(
                "{}:{}:{}: {}",
                self.path, self.line, self.column, self.message
            )
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    pack: String,
    #[serde(default)]
    description: String,
    rules: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    code: Spanned<String>,
    name: Spanned<String>,
    message: String,
    #[serde(default)]
    help: Option<String>,
    #[serde(default)]
    severity: Option<Spanned<String>>,
    /// Off unless selected.
    #[serde(default)]
    default_enabled: Option<bool>,
    /// Where this entry was seen (a corpus file, a site): its reason to exist.
    #[serde(default)]
    seen: Option<String>,
    #[serde(default)]
    why: Option<String>,
    #[serde(default)]
    kinds: Option<Vec<Spanned<String>>>,
    phrase: Option<Spanned<String>>,
    regex: Option<Spanned<String>>,
    comment: Option<Spanned<String>>,
    #[serde(default)]
    except: Vec<Spanned<String>>,
    element: Option<Spanned<String>>,
    attr: Option<Vec<String>>,
    url: Option<Spanned<String>>,
    #[serde(default)]
    fix: Option<Spanned<String>>,
    #[serde(default)]
    replacement: Option<String>,
    #[serde(default)]
    safety: Option<Spanned<String>>,
}

/// What a pack entry looks for.
#[derive(Debug)]
pub enum Matcher {
    /// Literal text in text runs (its searcher built once, at load).
    Phrase(memchr::memmem::Finder<'static>),
    /// A regex over text runs.
    Regex(Regex),
    /// A regex over comment text, with exceptions.
    Comment {
        pattern: Regex,
        except: Vec<Regex>,
    },
    Element(Selector),
    /// Attribute names.
    Attr(Vec<String>),
    /// A regex over `href`/`src` URLs.
    Url(Regex),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PackFix {
    Delete,
    Replace(String),
}

/// A small CSS-like selector: `tag.class#id[attr][attr=v][attr^=v][attr$=v][attr*=v]:empty`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Selector {
    pub tag: Option<String>,
    pub classes: Vec<String>,
    pub id: Option<String>,
    pub attrs: Vec<(String, AttrTest)>,
    pub empty: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub enum AttrTest {
    Present,
    Equals(String),
    Prefix(String),
    Suffix(String),
    Contains(String),
}

impl Selector {
    pub fn parse(text: &str) -> Result<Selector, String> {
        let mut sel = Selector::default();
        let mut rest = text.trim();
        if let Some(r) = rest.strip_suffix(":empty") {
            sel.empty = true;
            rest = r;
        }
        let ident_end = |s: &str| s.find(['.', '#', '[']).unwrap_or(s.len());
        let end = ident_end(rest);
        let tag = &rest[..end];
        if !tag.is_empty() && tag != "*" {
            if !tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                return Err(format!("`{tag}` is not a tag name"));
            }
            sel.tag = Some(tag.to_ascii_lowercase());
        }
        rest = &rest[end..];
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('.') {
                let end = ident_end(r);
                sel.classes.push(r[..end].to_string());
                rest = &r[end..];
            } else if let Some(r) = rest.strip_prefix('#') {
                let end = ident_end(r);
                sel.id = Some(r[..end].to_string());
                rest = &r[end..];
            } else if let Some(r) = rest.strip_prefix('[') {
                let close = r.find(']').ok_or("an unclosed `[`")?;
                let inner = &r[..close];
                let test = |op: &str| {
                    inner.split_once(op).map(|(a, v)| {
                        (
                            a.trim().to_ascii_lowercase(),
                            v.trim().trim_matches(['"', '\'']).to_string(),
                        )
                    })
                };
                let attr = if let Some((a, v)) = test("^=") {
                    (a, AttrTest::Prefix(v))
                } else if let Some((a, v)) = test("$=") {
                    (a, AttrTest::Suffix(v))
                } else if let Some((a, v)) = test("*=") {
                    (a, AttrTest::Contains(v))
                } else if let Some((a, v)) = test("=") {
                    (a, AttrTest::Equals(v))
                } else {
                    (inner.trim().to_ascii_lowercase(), AttrTest::Present)
                };
                sel.attrs.push(attr);
                rest = &r[close + 1..];
            } else {
                return Err(format!("unexpected `{rest}`"));
            }
        }
        if sel == Selector::default() {
            return Err("an empty selector".into());
        }
        Ok(sel)
    }

    pub fn matches(&self, el: &crate::document::html::Element) -> bool {
        self.tag.as_ref().is_none_or(|t| *t == el.name)
            && self
                .id
                .as_ref()
                .is_none_or(|id| el.attr("id").is_some_and(|a| a.value == *id))
            && self.classes.iter().all(|c| {
                el.attr("class")
                    .is_some_and(|a| a.value.split_ascii_whitespace().any(|x| x == c))
            })
            && self.attrs.iter().all(|(name, test)| {
                el.attr(name).is_some_and(|a| match test {
                    AttrTest::Present => true,
                    AttrTest::Equals(v) => a.value == *v,
                    AttrTest::Prefix(v) => a.value.starts_with(v.as_str()),
                    AttrTest::Suffix(v) => a.value.ends_with(v.as_str()),
                    AttrTest::Contains(v) => a.value.contains(v.as_str()),
                })
            })
    }
}

fn error_at<T>(path: &str, spanned: &Spanned<T>, message: String) -> PackError {
    PackError {
        path: path.to_string(),
        line: spanned.referenced.line(),
        column: spanned.referenced.column(),
        message,
    }
}

/// Leak a string: packs are loaded once per run and live as long as it.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn pack_docs() -> &'static Mutex<Vec<(&'static str, &'static str)>> {
    static DOCS: OnceLock<Mutex<Vec<(&'static str, &'static str)>>> = OnceLock::new();
    DOCS.get_or_init(|| Mutex::new(Vec::new()))
}

/// The documentation of a pack rule, by code.
pub fn docs_of(code: &str) -> Option<&'static str> {
    pack_docs()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, d)| *d)
}

/// Parse one pack's text. `path` names it in errors.
pub fn parse(path: &str, text: &str) -> Result<Vec<&'static dyn Rule>, PackError> {
    let raw: RawPack = serde_saphyr::from_str(text).map_err(|e| {
        let loc = e.location();
        PackError {
            path: path.to_string(),
            line: loc.map_or(0, |l| l.line()),
            column: loc.map_or(0, |l| l.column()),
            message: e
                .to_string()
                .lines()
                .next()
                .unwrap_or("invalid YAML")
                .to_string(),
        }
    })?;
    let mut out: Vec<&'static dyn Rule> = Vec::new();
    for entry in raw.rules {
        let code = entry.code.value.clone();
        if !code.starts_with("BP")
            || code.len() < 3
            || !code[2..].bytes().all(|b| b.is_ascii_digit())
        {
            return Err(error_at(
                path,
                &entry.code,
                format!("pack rule codes are `BP` and digits (BP901), not `{code}`"),
            ));
        }
        let name = entry.name.value.clone();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(error_at(
                path,
                &entry.name,
                format!("rule names are kebab-case, not `{name}`"),
            ));
        }
        let severity = match &entry.severity {
            None => Severity::Warning,
            Some(s) => Severity::parse(&s.value)
                .ok_or_else(|| error_at(path, s, format!("unknown severity `{}`", s.value)))?,
        };
        let compile = |s: &Spanned<String>| {
            Regex::new(&s.value).map_err(|e| error_at(path, s, format!("invalid regex: {e}")))
        };
        let mut matchers = Vec::new();
        if let Some(p) = &entry.phrase {
            if p.value.is_empty() {
                return Err(error_at(
                    path,
                    p,
                    "an empty phrase would match everywhere".to_string(),
                ));
            }
            matchers.push(Matcher::Phrase(
                memchr::memmem::Finder::new(p.value.as_bytes()).into_owned(),
            ));
        }
        if let Some(r) = &entry.regex {
            matchers.push(Matcher::Regex(compile(r)?));
        }
        if let Some(c) = &entry.comment {
            let except = entry
                .except
                .iter()
                .map(compile)
                .collect::<Result<Vec<_>, _>>()?;
            matchers.push(Matcher::Comment {
                pattern: compile(c)?,
                except,
            });
        }
        if let Some(e) = &entry.element {
            matchers
                .push(Matcher::Element(Selector::parse(&e.value).map_err(
                    |m| error_at(path, e, format!("invalid selector: {m}")),
                )?));
        }
        if let Some(a) = &entry.attr {
            matchers.push(Matcher::Attr(
                a.iter().map(|n| n.to_ascii_lowercase()).collect(),
            ));
        }
        if let Some(u) = &entry.url {
            matchers.push(Matcher::Url(compile(u)?));
        }
        if matchers.len() != 1 {
            return Err(error_at(
                path,
                &entry.code,
                "each rule needs exactly one matcher: phrase, regex, comment, element, attr or url"
                    .into(),
            ));
        }
        let fix = match &entry.fix {
            None => None,
            Some(f) if f.value == "delete" => Some(PackFix::Delete),
            Some(f) if f.value == "replace" => {
                Some(PackFix::Replace(entry.replacement.clone().ok_or_else(
                    || error_at(path, f, "`fix: replace` needs a `replacement`".into()),
                )?))
            }
            Some(f) => {
                return Err(error_at(
                    path,
                    f,
                    format!("unknown fix `{}` (delete or replace)", f.value),
                ));
            }
        };
        let safety = match &entry.safety {
            None => Safety::Safe,
            Some(s) if s.value == "safe" => Safety::Safe,
            Some(s) if s.value == "unsafe" => Safety::Unsafe,
            Some(s) => {
                return Err(error_at(
                    path,
                    s,
                    format!("unknown safety `{}` (safe or unsafe)", s.value),
                ));
            }
        };
        let kinds = match &entry.kinds {
            None => vec![FileKind::Html, FileKind::Markdown],
            Some(list) => list
                .iter()
                .map(|k| match k.value.as_str() {
                    "html" => Ok(FileKind::Html),
                    "markdown" => Ok(FileKind::Markdown),
                    other => Err(error_at(
                        path,
                        k,
                        format!("unknown kind `{other}` (html or markdown)"),
                    )),
                })
                .collect::<Result<Vec<_>, _>>()?,
        };
        let code: &'static str = leak(code);
        let meta: &'static RuleMeta = Box::leak(Box::new(RuleMeta {
            code,
            name: leak(name),
            family: Family::Boilerplate,
            severity,
            fix: match (&fix, safety) {
                (None, _) => FixKind::None,
                (Some(_), Safety::Safe) => FixKind::Safe,
                (Some(_), Safety::Unsafe) => FixKind::Unsafe,
            },
            default_enabled: entry.default_enabled.unwrap_or(true),
            options: &[],
        }));
        crate::rules::register_pack_meta(meta);
        let docs = format!(
            "## What it checks\n{}{}\n\n## Why it matters\n{}\n\n## Example\nFrom the `{}` pack ({}){}.",
            entry.message,
            entry.help.as_ref().map_or(String::new(), |h| format!(" ({h})")),
            entry.why.clone().unwrap_or_else(|| "Leftovers of the source site: they clutter the article, leak tracking and break in feeds.".into()),
            raw.pack,
            if raw.description.is_empty() { path.to_string() } else { raw.description.clone() },
            entry.seen.as_ref().map_or(String::new(), |s| format!("; seen in {s}")),
        );
        pack_docs()
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((code, leak(docs)));
        let matcher = matchers.pop().expect("exactly one");
        out.push(Box::leak(Box::new(PackRule {
            meta,
            matcher,
            fix,
            safety,
            message: entry.message,
            help: entry.help,
            kinds,
        })));
    }
    Ok(out)
}

/// The packs shipped in `rules/`, embedded.
const EMBEDDED: &[(&str, &str)] = &[
    ("rules/generic.yaml", include_str!("../rules/generic.yaml")),
    ("rules/sina.yaml", include_str!("../rules/sina.yaml")),
];

/// The rules of the embedded packs, loaded once.
pub fn embedded() -> &'static [&'static dyn Rule] {
    static RULES: OnceLock<Vec<&'static dyn Rule>> = OnceLock::new();
    RULES.get_or_init(|| {
        EMBEDDED
            .iter()
            // Ours and embedded: a broken edit fails the test suite at once.
            .flat_map(|(path, text)| {
                parse(path, text).unwrap_or_else(|e| panic!("embedded pack: {e}"))
            })
            .collect()
    })
}

/// Expand `patterns` (globs relative to `base`) and load every pack they name.
pub fn load_user_packs(
    base: &Path,
    patterns: &[String],
) -> Result<(Vec<&'static dyn Rule>, u64), PackError> {
    use std::hash::{Hash, Hasher};
    // What the packs say, for the cache key: their paths and texts.
    let mut fingerprint = std::hash::DefaultHasher::new();
    let mut files: Vec<PathBuf> = Vec::new();
    for pattern in patterns {
        let full = base.join(pattern);
        let full = full.to_string_lossy();
        let paths = glob::glob(&full).map_err(|e| PackError {
            path: pattern.clone(),
            line: 0,
            column: 0,
            message: format!("invalid glob: {e}"),
        })?;
        let before = files.len();
        files.extend(paths.filter_map(Result::ok));
        if files.len() == before {
            return Err(PackError {
                path: pattern.clone(),
                line: 0,
                column: 0,
                message: "no pack matches this pattern".into(),
            });
        }
    }
    files.sort();
    files.dedup();
    let mut rules: Vec<&'static dyn Rule> = Vec::new();
    for file in files {
        let shown = file.display().to_string();
        let text = std::fs::read_to_string(&file).map_err(|e| PackError {
            path: shown.clone(),
            line: 0,
            column: 0,
            message: e.to_string(),
        })?;
        (&shown, &text).hash(&mut fingerprint);
        for rule in parse(&shown, &text)? {
            let code = rule.meta().code;
            let taken = crate::rules::registry()
                .iter()
                .chain(&rules)
                .any(|r| r.meta().code == code || r.meta().name == rule.meta().name);
            if taken {
                return Err(PackError {
                    path: shown.clone(),
                    line: 0,
                    column: 0,
                    message: format!(
                        "the code {code} (or the name {}) is already taken by another rule",
                        rule.meta().name
                    ),
                });
            }
            rules.push(rule);
        }
    }
    Ok((rules, fingerprint.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_parse() {
        let s = Selector::parse("span[id^=quote_]:empty").unwrap();
        assert_eq!(s.tag.as_deref(), Some("span"));
        assert_eq!(
            s.attrs,
            vec![("id".into(), AttrTest::Prefix("quote_".into()))]
        );
        assert!(s.empty);
        let s = Selector::parse("div.clearfix.appendQr_wrap#x[data-a]").unwrap();
        assert_eq!(s.classes, ["clearfix", "appendQr_wrap"]);
        assert_eq!(s.id.as_deref(), Some("x"));
        assert!(Selector::parse("div[x").is_err());
        assert!(Selector::parse("").is_err());
    }

    #[test]
    fn embedded_packs_load_with_unique_codes() {
        let rules = embedded();
        assert!(rules.len() >= 10);
        let mut codes: Vec<_> = rules.iter().map(|r| r.meta().code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), rules.len());
    }

    #[test]
    fn malformed_packs_name_file_line_and_column() {
        let err = parse(
            "my.yaml",
            "pack: x\nrules:\n  - code: BP900\n    name: a\n    message: m\n    regex: '(['\n",
        )
        .unwrap_err();
        assert_eq!((err.path.as_str(), err.line), ("my.yaml", 6));
        assert!(err.message.contains("regex"), "{err}");
        let err = parse("my.yaml", "pack: x\nrules: [\n").unwrap_err();
        assert!(err.line >= 2, "{err}");
        let err = parse(
            "my.yaml",
            "pack: x\nrules:\n  - code: BP900\n    name: a\n    message: m\n",
        )
        .unwrap_err();
        assert!(err.message.contains("exactly one matcher"), "{err}");
    }
}
