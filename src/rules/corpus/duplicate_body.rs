use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, OptionKind, Rule, RuleMeta, RuleOption};

/// ## What it checks
/// Two or more posts whose body text is the same (tags, white space and case aside), whatever
/// their titles and file names. Bodies shorter than `min-length` (200 characters) are not
/// compared.
///
/// ## Why it matters
/// Feed mirrors fetch the same article under several titles and file names; importers run
/// twice. Readers see the story twice and search engines treat the copies as duplicate content.
///
/// ## Example
/// ```text
/// a.md:1:1: CORPUS004 2 posts have the same body text; also b.md
/// ```
pub struct DuplicateBody;

static META: RuleMeta = RuleMeta {
    code: "CORPUS004",
    name: "duplicate-body",
    family: Family::Corpus,
    severity: Severity::Warning,
    fix: FixKind::None,
    default_enabled: true,
    options: &[RuleOption {
        name: "min-length",
        kind: OptionKind::Integer,
        help: "bodies shorter than this many characters are not compared (default 200)",
    }],
};

impl Rule for DuplicateBody {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Cross-file: the work happens in the corpus pass (`src/corpus/`).
    fn check(&self, _doc: &Document, _cx: &mut Context) {}
}
