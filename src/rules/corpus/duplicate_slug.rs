use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// Two or more posts with the same `slug` or `permalink` (compared ignoring case and surrounding
/// slashes). Each is reported, naming the others.
///
/// ## Why it matters
/// Two posts at one URL: the generator writes one over the other (Hexo, Hugo) or fails
/// (Jekyll, with a conflict warning), and one post silently disappears from the site.
///
/// ## Example
/// ```yaml
/// ---
/// slug: geoserver-2-0-released    # CORPUS003: also in 2009-10-27-geoserver-2-0-released-again.md
/// ---
/// ```
pub struct DuplicateSlug;

static META: RuleMeta = RuleMeta {
    code: "CORPUS003",
    name: "duplicate-slug",
    family: Family::Corpus,
    severity: Severity::Error,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for DuplicateSlug {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Cross-file: the work happens in the corpus pass (`src/corpus/`).
    fn check(&self, _doc: &Document, _cx: &mut Context) {}
}
