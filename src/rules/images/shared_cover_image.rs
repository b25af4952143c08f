use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, OptionKind, Rule, RuleMeta, RuleOption};

/// ## What it checks
/// The same front-matter image (cover, thumbnail, `headimg`…) used by many posts: at least
/// `min-posts` (5 by default). Each post is reported, with the count. A corpus rule.
///
/// ## Why it matters
/// Feed mirrors and importers put the site's logo or a QR code where the article's own picture
/// is missing: the archive shows the same tile over and over, and share cards all look alike.
///
/// ## Example
/// ```yaml
/// ---
/// headimg: 'https://n.example.cn/finance/qr-code-logo.png'    # IMG010: used by 734 posts
/// ---
/// ```
pub struct SharedCoverImage;

static META: RuleMeta = RuleMeta {
    code: "IMG010",
    name: "shared-cover-image",
    family: Family::Images,
    severity: Severity::Warning,
    fix: FixKind::None,
    default_enabled: true,
    options: &[RuleOption {
        name: "min-posts",
        kind: OptionKind::Integer,
        help: "how many posts must share an image before it is reported (default 5)",
    }],
};

impl Rule for SharedCoverImage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Cross-file: the work happens in the corpus pass (`src/corpus.rs`).
    fn check(&self, _doc: &Document, _cx: &mut Context) {}
}
