use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// An `<img>` without an `alt` attribute, or a Markdown image with empty alt text (`![](…)`).
/// Off by default: scraped corpora have thousands. (`alt=""` is a deliberate "decorative" mark
/// and is accepted.)
///
/// ## Why it matters
/// Screen readers read out the file name instead, search engines learn nothing about the
/// picture, and when it fails to load the reader sees nothing at all.
///
/// ## Example
/// ```markdown
/// ![](https://img.example.com/vi/3xKKI8irlQk/0.jpg)    <!-- IMG009 -->
/// ```
pub struct MissingAlt;

static META: RuleMeta = RuleMeta {
    code: "IMG009",
    name: "missing-alt",
    family: Family::Images,
    severity: Severity::Info,
    fix: FixKind::None,
    default_enabled: false,
    options: &[],
};

impl Rule for MissingAlt {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        for image in doc.body_images().iter().filter(|i| !i.in_comment) {
            if let Some(span) = &image.missing_alt {
                cx.report(span.clone(), "image has no alternative text")
                    .help("describe the picture in `alt` (or `![description](…)`); use alt=\"\" for decoration");
            }
        }
    }
}
