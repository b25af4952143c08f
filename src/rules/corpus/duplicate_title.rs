use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// Two or more posts have the same title (compared ignoring case and runs of white space).
/// Each post is reported, naming the others. This is a corpus rule: it compares every file of
/// the run.
///
/// ## Why it matters
/// Feed mirrors fetch the same article twice under different file names; blogs copy a post as
/// a template and forget to change its title. Readers see duplicate entries in archives and
/// feeds, and search engines index one page and drop the other.
///
/// ## Example
/// ```text
/// posts/a.md:2:8: CORPUS001 2 posts share this title; also in posts/b.md
/// posts/b.md:2:8: CORPUS001 2 posts share this title; also in posts/a.md
/// ```
pub struct DuplicateTitle;

static META: RuleMeta = RuleMeta {
    code: "CORPUS001",
    name: "duplicate-title",
    family: Family::Corpus,
    severity: Severity::Warning,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for DuplicateTitle {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Cross-file: the work happens in the corpus pass.
    fn check(&self, _doc: &Document, _cx: &mut Context) {}
}
