use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// The image server answers 404 Not Found or 410 Gone (or another 4xx status) for an image URL.
/// Online only (`--online`, or `online = true` in artlint.toml): every unique URL is requested
/// once per run (HEAD, then a ranged GET when HEAD is refused), results are cached in
/// `.artlint-cache/`.
///
/// ## Why it matters
/// The picture is gone: readers see a broken image. Hot-linked images from news sites and image
/// hosts disappear within months.
///
/// ## Example
/// ```text
/// posts/a.md:12:10: IMG011 image returns 404 Not Found: https://img.example.com/a.jpg
/// ```
pub struct ImageNotFound;

static META: RuleMeta = RuleMeta {
    code: "IMG011",
    name: "image-not-found",
    family: Family::Images,
    severity: Severity::Error,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for ImageNotFound {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Cross-file: the work happens in the corpus pass (`src/corpus.rs`).
    fn check(&self, _doc: &Document, _cx: &mut Context) {}
}
