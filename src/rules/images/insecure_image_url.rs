use super::{UrlKind, image_refs, url_kind, what};
use crate::diagnostic::{Edit, Safety, Severity};
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// An image loaded over plain `http://`.
///
/// ## Why it matters
/// On an HTTPS site browsers block or downgrade mixed content: the picture is missing or the
/// padlock disappears. Most image hosts serve the same path over HTTPS.
///
/// ## Example
/// ```markdown
/// ![图片](http://img.example.com/2018-11-03/cover_480_320.jpg)    <!-- IMG003 -->
/// ```
/// The fix (unsafe: the host may not serve HTTPS) rewrites it to `https://`.
pub struct InsecureImageUrl;

static META: RuleMeta = RuleMeta {
    code: "IMG003",
    name: "insecure-image-url",
    family: Family::Images,
    severity: Severity::Warning,
    fix: FixKind::Unsafe,
    default_enabled: true,
    options: &[],
};

impl Rule for InsecureImageUrl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        for image in image_refs(doc, cx).iter() {
            if url_kind(&image.url) != UrlKind::Http {
                continue;
            }
            let raw = doc.slice(&image.span);
            let report = cx.report(
                image.span.clone(),
                format!("{} is loaded over insecure `http://`", what(image)),
            );
            report.help("use `https://`; browsers block mixed content on HTTPS pages");
            // Only when the URL is written literally (`http://`, any case) at the span's start.
            if raw
                .get(..7)
                .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
            {
                let start = image.span.start;
                report.fix(
                    "Use https://",
                    Safety::Unsafe,
                    vec![Edit::replace(start..start + 7, "https://")],
                );
            }
        }
    }
}
