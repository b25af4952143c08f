use super::{UrlKind, image_refs, url_kind, what};
use crate::diagnostic::{Edit, Safety, Severity};
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// A protocol-relative image URL (`//cdn.example.org/a.png`).
///
/// ## Why it matters
/// It inherits the page's scheme: over `file://` (a post opened locally, an e-book, an
/// offline copy) and in feeds read by apps it resolves to nothing. It was a workaround for
/// mixed content before HTTPS was everywhere; write `https://` instead.
///
/// ## Example
/// ```html
/// <img src="//cdn.example.org/a.png">    <!-- IMG004 -->
/// ```
/// The fix (unsafe: the host may not serve HTTPS) prefixes `https:`.
pub struct ProtocolRelativeImageUrl;

static META: RuleMeta = RuleMeta {
    code: "IMG004",
    name: "protocol-relative-image-url",
    family: Family::Images,
    severity: Severity::Warning,
    fix: FixKind::Unsafe,
    default_enabled: true,
    options: &[],
};

impl Rule for ProtocolRelativeImageUrl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        for image in image_refs(doc, cx).iter() {
            if url_kind(&image.url) != UrlKind::ProtocolRelative {
                continue;
            }
            let report = cx.report(
                image.span.clone(),
                format!("{} is protocol-relative (`//…`)", what(image)),
            );
            report.help("write the scheme: `https://…`");
            if doc.slice(&image.span).starts_with("//") {
                let start = image.span.start;
                report.fix(
                    "Prefix https:",
                    Safety::Unsafe,
                    vec![Edit::replace(start..start, "https:")],
                );
            }
        }
    }
}
