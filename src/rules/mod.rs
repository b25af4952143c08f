//! The rule registry: one list of every rule, each in its own file with its docs on top.

pub mod boilerplate;
pub mod corpus;
pub mod dates;
pub mod encoding;
pub mod front_matter;
pub mod html;
pub mod images;
pub mod io;
pub mod meta;

use serde::Serialize;

use crate::diagnostic::{Finding, Severity, Span};
use crate::document::Document;
use crate::presets::Preset;

include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));

/// Rule families, with their code prefixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Family {
    FrontMatter,
    Dates,
    Images,
    Boilerplate,
    Html,
    Encoding,
    Io,
    Corpus,
    Meta,
}

impl Family {
    pub const ALL: &'static [Family] = &[
        Family::FrontMatter,
        Family::Encoding,
        Family::Io,
        Family::Corpus,
        Family::Meta,
    ];

    /// The code prefix (`FM`, `ENC`, `IO`), accepted wherever a code is.
    pub fn prefix(self) -> &'static str {
        match self {
            Family::FrontMatter => "FM",
            Family::Dates => "DT",
            Family::Images => "IMG",
            Family::Boilerplate => "BP",
            Family::Html => "HTML",
            Family::Encoding => "ENC",
            Family::Io => "IO",
            Family::Corpus => "CORPUS",
            Family::Meta => "ART",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Family::FrontMatter => "front-matter",
            Family::Dates => "dates",
            Family::Images => "images",
            Family::Boilerplate => "boilerplate",
            Family::Html => "html",
            Family::Encoding => "encoding",
            Family::Io => "io",
            Family::Corpus => "corpus",
            Family::Meta => "meta",
        }
    }
}

/// What kind of fix a rule offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixKind {
    None,
    Safe,
    Unsafe,
}

impl FixKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FixKind::None => "none",
            FixKind::Safe => "safe",
            FixKind::Unsafe => "unsafe",
        }
    }
}

/// The type of a rule option in `artlint.toml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionKind {
    StringList,
    /// A list of strings, each one of these.
    Choices(&'static [&'static str]),
    /// A strftime pattern (`%Y-%m-%d %H:%M:%S`).
    Strftime,
    /// An IANA time-zone name or a fixed offset (`+08:00`).
    TimeZone,
    String,
    Integer,
    Bool,
    /// A table of field name → kind.
    FieldKinds,
}

#[derive(Debug)]
pub struct RuleOption {
    pub name: &'static str,
    pub kind: OptionKind,
    pub help: &'static str,
}

/// A rule's identity and defaults.
#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub family: Family,
    pub severity: Severity,
    pub fix: FixKind,
    /// Off-by-default rules run only when selected or configured.
    pub default_enabled: bool,
    pub options: &'static [RuleOption],
}

impl RuleMeta {
    /// The rule's documentation (What it checks / Why it matters / Example).
    pub fn docs(&self) -> &'static str {
        if self.family == Family::Boilerplate {
            return crate::packs::docs_of(self.code).unwrap_or("");
        }
        let stem = self.name.replace('-', "_");
        RULE_DOCS
            .iter()
            .find(|(s, _)| *s == stem)
            .map_or("", |(_, doc)| doc)
    }

    /// Whether `selector` (a code, a name, a code prefix such as `FM` or `FM00`, a family
    /// name, or `ALL`) names this rule.
    pub fn matches(&self, selector: &str) -> bool {
        selector.eq_ignore_ascii_case("ALL")
            || self.name == selector
            || self.family.name() == selector
            || (!selector.is_empty()
                && self
                    .code
                    .get(..selector.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(selector)))
    }
}

impl std::fmt::Debug for dyn Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.meta().code, self.meta().name)
    }
}

/// A check over one document. Rules read the document and report; they never do I/O.
pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, doc: &Document, cx: &mut Context);
}

/// What a rule sees besides the document: the site preset and its own options.
pub struct Context<'a> {
    /// One of the built-in presets, which live as long as the program.
    pub preset: &'static Preset,
    /// The front-matter keys that hold dates (`date-fields` in artlint.toml).
    pub date_fields: &'a [String],
    /// The front-matter keys that hold images (`image-fields` in artlint.toml).
    pub image_fields: &'a [String],
    /// The moment the run treats as now (`--now`, `now` in artlint.toml, or the clock).
    pub now: jiff::Timestamp,
    options: &'a toml::Table,
    pub(crate) findings: Vec<Finding>,
}

impl<'a> Context<'a> {
    pub fn new(
        preset: &'static Preset,
        config: &'a crate::config::Config,
        options: &'a toml::Table,
    ) -> Self {
        Context {
            preset,
            date_fields: &config.date_fields,
            image_fields: &config.image_fields,
            now: config.now,
            options,
            findings: Vec::new(),
        }
    }

    pub fn string(&self, name: &str) -> Option<&'a str> {
        self.options.get(name)?.as_str()
    }

    pub fn integer(&self, name: &str) -> Option<i64> {
        self.options.get(name)?.as_integer()
    }

    pub fn bool(&self, name: &str) -> Option<bool> {
        self.options.get(name)?.as_bool()
    }

    /// Report a finding at `span`; chain `.help()`, `.label()`, `.fix()` on the result.
    pub fn report(&mut self, span: Span, message: impl Into<String>) -> &mut Finding {
        self.findings.push(Finding {
            span,
            message: message.into(),
            labels: Vec::new(),
            help: None,
            fix: None,
        });
        self.findings.last_mut().expect("just pushed")
    }

    /// A string-list option, validated when the config was loaded.
    pub fn string_list(&self, name: &str) -> Option<Vec<&'a str>> {
        let list = self.options.get(name)?.as_array()?;
        Some(list.iter().filter_map(toml::Value::as_str).collect())
    }

    /// A field-kinds table option (`{ key = "bool" }`).
    pub fn field_kinds(&self, name: &str) -> Vec<(&'a str, crate::presets::FieldKind)> {
        self.options
            .get(name)
            .and_then(toml::Value::as_table)
            .map(|t| {
                t.iter()
                    .filter_map(|(k, v)| {
                        Some((k.as_str(), crate::presets::FieldKind::parse(v.as_str()?)?))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}

/// Where a scalar's text sits inside its written form, when it is written literally (no
/// escapes, no folding): the only case in which a fix may rewrite it byte for byte.
pub(crate) fn literal_value_span(
    doc: &Document,
    node: &crate::document::Node,
    value: &str,
) -> Option<Span> {
    let raw = doc.slice(&node.span);
    let at = raw.find(value)?;
    if raw[at + value.len()..].contains(value) && !value.is_empty() {
        return None;
    }
    let start = node.span.start + at;
    Some(start..start + value.len())
}

/// Rule metadata of the user's packs, loaded at run time (the built-in rules are in
/// [`registry`]): what a code read back from a cache or facts file resolves to.
static LOADED_PACK_METAS: std::sync::Mutex<Vec<&'static RuleMeta>> =
    std::sync::Mutex::new(Vec::new());

/// Make a pack rule's metadata findable by its code.
pub fn register_pack_meta(meta: &'static RuleMeta) {
    if let Ok(mut metas) = LOADED_PACK_METAS.lock() {
        metas.push(meta);
    }
}

/// The rule a code names, built-in or from a loaded pack.
pub fn find_meta(code: &str) -> Option<&'static RuleMeta> {
    static BY_CODE: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, &'static RuleMeta>> =
        std::sync::OnceLock::new();
    let by_code = BY_CODE.get_or_init(|| {
        registry()
            .iter()
            .map(|r| (r.meta().code, r.meta()))
            .collect()
    });
    by_code.get(code).copied().or_else(|| {
        let metas = LOADED_PACK_METAS.lock().ok()?;
        metas.iter().rev().copied().find(|m| m.code == code)
    })
}

/// Serde for a `&'static RuleMeta` as its code (artlint's own cache and facts files).
pub mod meta_by_code {
    use serde::{Deserializer, Serializer};

    use super::RuleMeta;

    pub fn serialize<S: Serializer>(meta: &&'static RuleMeta, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(meta.code)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<&'static RuleMeta, D::Error> {
        // Looked up from the decoder's text, not copied into a String first: a cached run
        // reads one code per finding.
        struct Code;
        impl serde::de::Visitor<'_> for Code {
            type Value = &'static RuleMeta;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a rule code")
            }

            fn visit_str<E: serde::de::Error>(self, code: &str) -> Result<Self::Value, E> {
                super::find_meta(code)
                    .ok_or_else(|| E::custom(format!("no rule has the code `{code}`")))
            }
        }
        d.deserialize_str(Code)
    }
}

/// Every rule artlint has: the built-in ones, then the embedded packs' (`rules/*.yaml`).
pub fn registry() -> &'static [&'static dyn Rule] {
    static ALL: std::sync::OnceLock<Vec<&'static dyn Rule>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        builtin()
            .iter()
            .copied()
            .chain(crate::packs::embedded().iter().copied())
            .collect()
    })
}

/// The rules written in Rust, in code order.
fn builtin() -> &'static [&'static dyn Rule] {
    use dates::*;
    use encoding::*;
    use front_matter::*;
    use images::*;
    use io::*;
    &[
        &MissingFrontMatter,
        &FrontMatterNotAtStart,
        &UnterminatedFrontMatter,
        &RequiredField,
        &FrontMatterSyntax,
        &DuplicateKey,
        &EmptyRequiredValue,
        &WrongType,
        &UnknownKey,
        &PaddedValue,
        &CurlyQuotedValue,
        &UnparseableDate,
        &ImpossibleDate,
        &WeekdayMismatch,
        &FutureDate,
        &DateTooEarly,
        &FilenameDateMismatch,
        &UpdatedBeforeDate,
        &MissingTimezone,
        &NonPreferredDateFormat,
        &EmptyImageUrl,
        &MalformedImageUrl,
        &InsecureImageUrl,
        &ProtocolRelativeImageUrl,
        &MissingLocalImage,
        &SuspiciousImageExtension,
        &DataUriImage,
        &PlaceholderImage,
        &MissingAlt,
        &SharedCoverImage,
        &ImageNotFound,
        &ImageServerError,
        &ImageUnreachable,
        &ImageNotAnImage,
        &ImageInsecureRedirect,
        &html::StrayEndTag,
        &html::UnclosedElement,
        &html::MisnestedTags,
        &html::ImplicitlyClosedElement,
        &html::DuplicateAttribute,
        &html::DuplicateId,
        &html::MalformedComment,
        &html::BadCharacterReference,
        &html::UnescapedLessThan,
        &html::ForbiddenElement,
        &html::ObsoleteElement,
        &html::UnbalancedDiv,
        &html::MissingDoctype,
        &html::SplitAcrossBlocks,
        &html::MalformedTag,
        &html::NestingTooDeep,
        &InvalidUtf8,
        &ByteOrderMark,
        &MixedLineEndings,
        &ReplacementCharacter,
        &ControlCharacter,
        &ZeroWidthCharacter,
        &Utf16Encoding,
        &UnreadableFile,
        &BinaryFile,
        &FileTooLarge,
        &corpus::DuplicateTitle,
        &corpus::LearnedBoilerplate,
        &corpus::DuplicateSlug,
        &corpus::DuplicateBody,
        &corpus::NearDuplicateBody,
        &meta::UnusedSuppression,
        &meta::UnknownSuppressionCode,
    ]
}

/// Find a rule by code or name (case-insensitive code).
pub fn find(code_or_name: &str) -> Option<&'static dyn Rule> {
    registry().iter().copied().find(|r| {
        let m = r.meta();
        m.code.eq_ignore_ascii_case(code_or_name) || m.name == code_or_name
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for rule in registry() {
            let m = rule.meta();
            assert!(codes.insert(m.code), "duplicate code {}", m.code);
            assert!(names.insert(m.name), "duplicate name {}", m.name);
            assert!(
                m.code.starts_with(m.family.prefix()),
                "{} has the wrong prefix",
                m.code
            );
            assert!(
                m.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
            );
        }
    }

    #[test]
    fn every_rule_has_three_part_docs() {
        for rule in registry() {
            let docs = rule.meta().docs();
            for heading in ["## What it checks", "## Why it matters", "## Example"] {
                assert!(
                    docs.contains(heading),
                    "{} lacks `{heading}`",
                    rule.meta().name
                );
            }
        }
    }

    #[test]
    fn selectors_match_codes_names_prefixes_and_families() {
        let m = find("FM004").unwrap().meta();
        assert!(m.matches("FM004") && m.matches("required-field") && m.matches("FM"));
        assert!(m.matches("fm00") && m.matches("front-matter") && m.matches("ALL"));
        assert!(!m.matches("FM005") && !m.matches("ENC"));
        assert_eq!(find("required-field").unwrap().meta().code, "FM004");
    }
}
