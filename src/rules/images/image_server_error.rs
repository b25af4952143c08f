use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// The image server answers with a 5xx status after the retries (with backoff, honouring
/// `Retry-After`).
/// Online only (`--online`, or `online = true` in artlint.toml): every unique URL is requested
/// once per run (HEAD, then a ranged GET when HEAD is refused), results are cached in
/// `.artlint-cache/`.
///
/// ## Why it matters
/// The host is failing: a passing outage or a dying host. Reported apart from 404s because it may
/// come back.
///
/// ## Example
/// ```text
/// posts/a.md:12:10: IMG012 image server error 503 Service Unavailable: https://img.example.com/a.jpg
/// ```
pub struct ImageServerError;

static META: RuleMeta = RuleMeta {
    code: "IMG012",
    name: "image-server-error",
    family: Family::Images,
    severity: Severity::Warning,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for ImageServerError {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Cross-file: the work happens in the corpus pass (`src/corpus.rs`).
    fn check(&self, _doc: &Document, _cx: &mut Context) {}
}
