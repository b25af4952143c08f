use super::{UrlKind, image_refs, url_kind, what};
use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// An image embedded as a `data:` URI. The message gives its size and says when it is a
/// 1×1-pixel-sized payload (under 100 bytes), the usual tracking pixel or lazy-load stand-in
/// left behind by a scraper. Images inside HTML comments (CMS ad slots such as
/// `<!--article_adlist[<img src="data:…">]-->`) are reported too: they are leftovers to clean.
///
/// ## Why it matters
/// Tracking pixels and lazy-loading placeholders show nothing once scraped: the real picture
/// was in a `data-src` the scraper dropped. Large inline images bloat every page, feed and
/// search index entry that includes the post, and cannot be cached.
///
/// ## Example
/// ```html
/// <img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7">  <!-- IMG007 -->
/// ```
pub struct DataUriImage;

static META: RuleMeta = RuleMeta {
    code: "IMG007",
    name: "data-uri-image",
    family: Family::Images,
    severity: Severity::Warning,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for DataUriImage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        for image in image_refs(doc, cx).all() {
            if url_kind(&image.url) != UrlKind::Data {
                continue;
            }
            let payload = image.url.split_once(',').map_or("", |(_, p)| p);
            let is_base64 = image
                .url
                .split_once(',')
                .is_some_and(|(meta, _)| meta.ends_with(";base64"));
            let bytes = if is_base64 {
                payload.len() / 4 * 3
            } else {
                payload.len()
            };
            let message = if bytes < 100 {
                format!(
                    "{} is an inline `data:` image of {bytes} bytes: a tracking pixel or lazy-load stand-in",
                    what(image)
                )
            } else {
                format!(
                    "{} is an inline `data:` image of {} KB",
                    what(image),
                    bytes.div_ceil(1024)
                )
            };
            cx.report(image.span.clone(), message).help(
                "link the real picture by URL (a scraper may have dropped it from `data-src`)",
            );
        }
    }
}
