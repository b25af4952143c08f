use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, OptionKind, Rule, RuleMeta, RuleOption};

/// ## What it checks
/// A text block (a paragraph, list item, heading, leaf `<div>`, or a line of Markdown) that
/// recurs across the posts of one folder: in at least `min-files` posts (5) and `min-percent`
/// of them (20%). Each post is reported once per block, with the count. Short blocks
/// (`min-length`: 12 characters, CJK counting double) are ignored so that ordinary prose is not flagged, and blocks a
/// pack already reports are left to the pack. Nothing has to be configured: the corpus teaches
/// artlint its own boilerplate. `artlint learn PATH` writes the blocks as a pack to review.
///
/// ## Why it matters
/// Every feed has its own footer, header, ad line or sharing block; a fixed list never keeps
/// up. Scraped copies of them pad every article, show in search snippets and feed readers, and
/// make posts look alike to search engines.
///
/// ## Example
/// ```text
/// source/_posts/新浪财经/a.md:60:13: CORPUS002 this block appears in 734 of 1000 posts under `source/_posts/新浪财经/`: boilerplate of the source
/// ```
pub struct LearnedBoilerplate;

static META: RuleMeta = RuleMeta {
    code: "CORPUS002",
    name: "learned-boilerplate",
    family: Family::Corpus,
    severity: Severity::Warning,
    fix: FixKind::None,
    default_enabled: true,
    options: &[
        RuleOption {
            name: "min-files",
            kind: OptionKind::Integer,
            help: "a block must occur in at least this many posts of a folder (default 5)",
        },
        RuleOption {
            name: "min-percent",
            kind: OptionKind::Integer,
            help: "and in at least this percentage of the folder's posts (default 20)",
        },
        RuleOption {
            name: "min-length",
            kind: OptionKind::Integer,
            help: "blocks lighter than this are ignored: characters, CJK counting double (default 12)",
        },
    ],
};

impl Rule for LearnedBoilerplate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Cross-file: the work happens in the corpus pass (`src/corpus/`).
    fn check(&self, _doc: &Document, _cx: &mut Context) {}
}
