use super::{UrlKind, extension, image_refs, pack, url_kind, what};
use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// An image URL whose file extension is cut short (`.jp`, `.pn`, `.gi`, `.jpe…` prefixes of an
/// image extension that are not themselves one) or names something that is not an image
/// (`.html`, `.pdf`, `.mp4`…; the lists are in `rules/images.yaml`). URLs without an extension
/// (CDN paths, `?wx_fmt=jpeg`) are not judged.
///
/// ## Why it matters
/// A truncated URL comes from a scraper or an editor that cut the line: the image 404s. A page
/// or a document in an image slot never renders.
///
/// ## Example
/// ```yaml
/// ---
/// image_feature: "https://i.example.com/r6CUc5t.jp"    # IMG006: truncated `.jpg`?
/// ---
/// ```
pub struct SuspiciousImageExtension;

static META: RuleMeta = RuleMeta {
    code: "IMG006",
    name: "suspicious-image-extension",
    family: Family::Images,
    severity: Severity::Warning,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for SuspiciousImageExtension {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        let pack = pack();
        for image in image_refs(doc, cx).iter() {
            if matches!(
                url_kind(&image.url),
                UrlKind::Data | UrlKind::Empty | UrlKind::OtherScheme
            ) {
                continue;
            }
            let Some(ext) = extension(&image.url) else {
                continue;
            };
            if pack.image_extensions.contains(&ext) {
                continue;
            }
            if pack.not_image_extensions.contains(&ext) {
                cx.report(
                    image.span.clone(),
                    format!("{} points at a `.{ext}` file, not an image", what(image)),
                )
                .help("link the picture itself, not the page or document that shows it");
                continue;
            }
            let completions: Vec<&str> = pack
                .image_extensions
                .iter()
                .filter(|full| full.len() > ext.len() && full.starts_with(ext.as_str()))
                .map(String::as_str)
                .collect();
            if let Some(first) = completions.first() {
                cx.report(
                    image.span.clone(),
                    format!("{} ends in `.{ext}`: a truncated `.{first}`?", what(image)),
                )
                .help("the URL was probably cut short; copy it again from its source");
            }
        }
    }
}
