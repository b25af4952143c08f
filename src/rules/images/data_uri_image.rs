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
                base64_decoded_len(payload)
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

/// How many bytes base64 `payload` decodes to: three a group of four, less one a `=` of
/// padding (white space, which may wrap a long payload, does not count).
fn base64_decoded_len(payload: &str) -> usize {
    let digits = payload
        .bytes()
        .filter(|b| !b.is_ascii_whitespace() && *b != b'=')
        .count();
    digits * 3 / 4
}

#[cfg(test)]
mod tests {
    use super::base64_decoded_len;

    #[test]
    fn padding_is_not_counted_as_data() {
        // `iVBORw0KGgo=` holds the 8 bytes of the PNG signature (it said 9).
        assert_eq!(base64_decoded_len("iVBORw0KGgo="), 8);
        assert_eq!(base64_decoded_len("YQ=="), 1);
        assert_eq!(base64_decoded_len("YWI="), 2);
        assert_eq!(base64_decoded_len("YWJj"), 3);
        assert_eq!(base64_decoded_len("YWJj\nZGVm"), 6);
    }
}
