use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// The image host cannot be reached: the name does not resolve, the connection is refused or
/// times out, TLS fails, redirects loop or exceed the limit, or the address is private
/// (loopback, RFC 1918, link-local) and `allow-private` is off.
/// Online only (`--online`, or `online = true` in artlint.toml): every unique URL is requested
/// once per run (HEAD, then a ranged GET when HEAD is refused), results are cached in
/// `.artlint-cache/`.
///
/// ## Why it matters
/// The domain expired or the server is gone: every image on it is broken.
///
/// ## Example
/// ```text
/// posts/a.md:12:10: IMG013 image host unreachable (connection refused): https://img.example.com/a.jpg
/// ```
pub struct ImageUnreachable;

static META: RuleMeta = RuleMeta {
    code: "IMG013",
    name: "image-unreachable",
    family: Family::Images,
    severity: Severity::Error,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for ImageUnreachable {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Cross-file: the work happens in the corpus pass (`src/corpus.rs`).
    fn check(&self, _doc: &Document, _cx: &mut Context) {}
}
