use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// The URL answers 200 but with a `Content-Type` that is not an image (an HTML page, a JSON
/// error).
/// Online only (`--online`, or `online = true` in artlint.toml): every unique URL is requested
/// once per run (HEAD, then a ranged GET when HEAD is refused), results are cached in
/// `.artlint-cache/`.
///
/// ## Why it matters
/// Hosts answer removed pictures with a login page, a "not found" page with status 200, or an
/// anti-hotlinking page: the browser shows a broken image.
///
/// ## Example
/// ```text
/// posts/a.md:12:10: IMG014 image URL returns text/html, not an image: https://img.example.com/a.jpg
/// ```
pub struct ImageNotAnImage;

static META: RuleMeta = RuleMeta {
    code: "IMG014",
    name: "image-not-an-image",
    family: Family::Images,
    severity: Severity::Warning,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for ImageNotAnImage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Cross-file: the work happens in the corpus pass (`src/corpus.rs`).
    fn check(&self, _doc: &Document, _cx: &mut Context) {}
}
