use super::{image_refs, what};
use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// An image reference with no URL: an empty front-matter image field (`image_feature: ""`), an
/// `<img>` with an empty `src` (or with neither `src` nor `srcset`), `![alt]()`.
///
/// ## Why it matters
/// Themes print the cover block anyway and show a broken-image icon or an empty frame; an empty
/// `src` makes some browsers request the page itself again as an image.
///
/// ## Example
/// ```yaml
/// ---
/// image_feature: ""     # IMG001
/// ---
/// ```
/// Remove the field, or give it the picture's URL.
pub struct EmptyImageUrl;

static META: RuleMeta = RuleMeta {
    code: "IMG001",
    name: "empty-image-url",
    family: Family::Images,
    severity: Severity::Warning,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for EmptyImageUrl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        for image in image_refs(doc, cx).iter() {
            if image.url.is_empty() {
                cx.report(image.span.clone(), format!("{} has no URL", what(image)))
                    .help("remove it, or give it the picture's URL");
            }
        }
    }
}
