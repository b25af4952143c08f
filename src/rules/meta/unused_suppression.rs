use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// An `<!-- artlint-disable… -->` comment that suppressed nothing: the finding it was written
/// for is gone, or it names the wrong rule.
///
/// ## Why it matters
/// Stale suppressions hide the next real problem on that line or in that file, and clutter the
/// post's source. Delete the comment.
///
/// ## Example
/// ```markdown
/// <!-- artlint-disable-next-line IMG003 -->     <!-- ART001: the image is https:// now -->
/// ![cover](https://example.org/cover.jpg)
/// ```
pub struct UnusedSuppression;

static META: RuleMeta = RuleMeta {
    code: "ART001",
    name: "unused-suppression",
    family: Family::Meta,
    severity: Severity::Warning,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Needs every finding of the file, the corpus pass's included: done by the engine.
    fn check(&self, _doc: &Document, _cx: &mut Context) {}
}
