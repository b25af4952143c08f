use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, OptionKind, Rule, RuleMeta, RuleOption};

/// ## What it checks
/// Two posts whose bodies share most of their paragraphs (at least `min-similarity`, 80%, of
/// their distinct blocks, boilerplate excluded, and at least three of them) without being exact
/// copies: the same story with an edited lead, a different footer or an update paragraph.
///
/// ## Why it matters
/// A story republished with small edits splits its readers and its search ranking in two, and
/// corrections made to one copy never reach the other.
///
/// ## Example
/// ```text
/// news/a.md:8:1: CORPUS005 the body is 91% the same as news/b.md: the same story published twice?
/// ```
pub struct NearDuplicateBody;

static META: RuleMeta = RuleMeta {
    code: "CORPUS005",
    name: "near-duplicate-body",
    family: Family::Corpus,
    severity: Severity::Warning,
    fix: FixKind::None,
    default_enabled: true,
    options: &[RuleOption {
        name: "min-similarity",
        kind: OptionKind::Integer,
        help: "percentage of shared paragraphs (Jaccard) from which two bodies are near duplicates (default 80)",
    }],
};

impl Rule for NearDuplicateBody {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Cross-file: the work happens in the corpus pass (`src/corpus/`).
    fn check(&self, _doc: &Document, _cx: &mut Context) {}
}
