use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// An image URL redirects to a plain `http://` address.
/// Online only (`--online`, or `online = true` in artlint.toml): every unique URL is requested
/// once per run (HEAD, then a ranged GET when HEAD is refused), results are cached in
/// `.artlint-cache/`.
///
/// ## Why it matters
/// The browser follows the redirect to an insecure address: mixed content on an HTTPS page,
/// blocked by browsers.
///
/// ## Example
/// ```text
/// posts/a.md:12:10: IMG015 image redirects to insecure http://img.example.com/a.jpg
/// ```
pub struct ImageInsecureRedirect;

static META: RuleMeta = RuleMeta {
    code: "IMG015",
    name: "image-insecure-redirect",
    family: Family::Images,
    severity: Severity::Warning,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for ImageInsecureRedirect {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Cross-file: the work happens in the corpus pass (`src/corpus.rs`).
    fn check(&self, _doc: &Document, _cx: &mut Context) {}
}
