//! Every image reference in a post's body, with the exact span of its URL: `<img src>`,
//! `srcset` (on `<img>` and `<source>`), `background-image: url(...)` in `style` attributes,
//! Markdown `![alt](url)` and reference-style images, and raw HTML inside Markdown.
//!
//! HTML images come from the body's HTML index (`Document::html_index`, parsed once for every
//! rule, Markdown code already blanked out there); Markdown images from pulldown-cmark's offset
//! iterator, run only on bodies with `![`. Front-matter image fields are collected by the IMG
//! rules, since which fields hold images is configuration.

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};

use super::html::{Element, HtmlIndex};
use super::{Document, FileKind};
use crate::diagnostic::Span;

/// A searcher for `![` built once: building one costs more than searching most bodies.
static IMAGE_OPEN: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"!["));

/// Where an image reference was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageSource {
    FrontMatter,
    ImgSrc,
    Srcset,
    CssUrl,
    Markdown,
}

impl ImageSource {
    pub fn describe(self) -> &'static str {
        match self {
            ImageSource::FrontMatter => "front-matter image",
            ImageSource::ImgSrc => "`<img src>`",
            ImageSource::Srcset => "`srcset` candidate",
            ImageSource::CssUrl => "CSS `url()`",
            ImageSource::Markdown => "Markdown image",
        }
    }
}

/// One image reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    /// The URL as the browser sees it (entities decoded, surrounding white space trimmed).
    pub url: String,
    /// The URL as written in the file (inside quotes; for Markdown, inside the parentheses).
    pub span: Span,
    pub source: ImageSource,
    /// For front-matter images, the field's name.
    pub field: Option<String>,
    /// `<img>` without an `alt` attribute, or a Markdown image with empty alt text; the span
    /// is the tag's (or the Markdown image's).
    pub missing_alt: Option<Span>,
    /// Written inside an HTML comment (`<!--[<img src=…>]-->`, as CMSs leave them): not
    /// rendered, so only the leftover-hunting rules look at it.
    pub in_comment: bool,
}

/// Image references of a document's body.
pub fn scan_body(doc: &Document) -> Vec<ImageRef> {
    let mut out = Vec::new();
    let Some(source) = doc.text.get(doc.body.clone()) else {
        return out;
    };
    if may_hold_html_image(source.as_bytes()) {
        html_index_images(&doc.text, doc.html_index(), false, &mut out);
    }
    if doc.kind == FileKind::Markdown && IMAGE_OPEN.find(source.as_bytes()).is_some() {
        markdown_images(source, doc.body.start, &mut out);
    }
    out.sort_by_key(|r| (r.span.start, r.span.end));
    out.dedup_by(|a, b| a.span == b.span);
    out
}

/// Whether `bytes` may hold an HTML image: `<img` or `<source`, or a CSS `url(`, in any case
/// (a cheap scan first: most bodies have none).
fn may_hold_html_image(bytes: &[u8]) -> bool {
    let tag_named = |at: usize, name: &[u8]| {
        bytes
            .get(at + 1..at + 1 + name.len())
            .is_some_and(|b| b.eq_ignore_ascii_case(name))
    };
    let css_url = |at: usize| {
        at >= 3
            && bytes
                .get(at - 3..at)
                .is_some_and(|b| b.eq_ignore_ascii_case(b"url"))
    };
    memchr::memchr_iter(b'<', bytes).any(|at| tag_named(at, b"img") || tag_named(at, b"source"))
        || memchr::memchr_iter(b'(', bytes).any(css_url)
}

/// The images of an HTML index's elements and, read once more, of its comments that hold an
/// `<img>` (CMSs comment out the images they drop: `<!--[<img src=…>]-->`).
fn html_index_images(text: &str, index: &HtmlIndex, in_comment: bool, out: &mut Vec<ImageRef>) {
    for element in &index.elements {
        element_images(text, element, in_comment, out);
    }
    if in_comment {
        // One level: a comment's text holds no complete comment.
        return;
    }
    for comment in &index.comments {
        let holds_image = text
            .get(comment.text.clone())
            .is_some_and(|t| may_hold_html_image(t.as_bytes()));
        if holds_image {
            let index = super::html::index(text, comment.text.clone());
            html_index_images(text, &index, true, out);
        }
    }
}

fn markdown_images(source: &str, base: usize, out: &mut Vec<ImageRef>) {
    let parser = Parser::new_ext(source, Options::empty());
    let mut iter = parser.into_offset_iter();
    // The image being read: its alt text so far, its range, whether it is reference-style.
    let mut current: Option<(String, std::ops::Range<usize>, bool, ImageRef)> = None;
    let mut references: Vec<usize> = Vec::new();
    for (event, range) in iter.by_ref() {
        match event {
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                ..
            }) => {
                let url = dest_url.trim().to_string();
                let reference = matches!(
                    link_type,
                    LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut
                );
                let raw = &source[range.clone()];
                // The destination follows the alt text's `](`; for references it is written in
                // the definition, found below.
                let span = if reference {
                    None
                } else {
                    raw.find("](").and_then(|open| {
                        let after = open + 2;
                        raw[after..].find(dest_url.as_ref()).map(|at| {
                            let start = range.start + after + at;
                            start..start + dest_url.len()
                        })
                    })
                };
                let image = ImageRef {
                    url,
                    span: span.map_or(base + range.start..base + range.end, |s| {
                        base + s.start..base + s.end
                    }),
                    source: ImageSource::Markdown,
                    field: None,
                    missing_alt: None,
                    in_comment: false,
                };
                current = Some((String::new(), range, reference, image));
            }
            Event::End(pulldown_cmark::TagEnd::Image) => {
                if let Some((alt, range, reference, mut image)) = current.take() {
                    if alt.trim().is_empty() {
                        image.missing_alt = Some(base + range.start..base + range.end);
                    }
                    if reference {
                        references.push(out.len());
                    }
                    out.push(image);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((alt, ..)) = current.as_mut() {
                    alt.push_str(&t);
                }
            }
            _ => {}
        }
    }
    // Reference-style images point at a definition: report the URL where it is written.
    let defs = iter.reference_definitions();
    for index in references {
        let image = &mut out[index];
        if let Some((_, def)) = defs.iter().find(|(_, d)| d.dest.trim() == image.url) {
            let raw = &source[def.span.clone()];
            if let Some(at) = raw.find(def.dest.as_ref()) {
                let start = base + def.span.start + at;
                image.span = start..start + def.dest.len();
            }
        }
    }
}

fn element_images(text: &str, element: &Element, in_comment: bool, out: &mut Vec<ImageRef>) {
    let image = |url: String, span: Span, source: ImageSource| ImageRef {
        url,
        span,
        source,
        field: None,
        missing_alt: None,
        in_comment,
    };
    let is_img = element.name == "img";
    if is_img {
        match element.attr("src") {
            Some(src) => {
                let span = src
                    .value_span
                    .clone()
                    .unwrap_or(src.name_span.end..src.name_span.end);
                let mut found = image(
                    src.value.trim().to_string(),
                    trimmed_span(text, &span),
                    ImageSource::ImgSrc,
                );
                if !in_comment && element.attr("alt").is_none() {
                    found.missing_alt = Some(element.start_tag.clone());
                }
                out.push(found);
            }
            // `<img>` with neither: an empty source at the tag.
            None if element.attr("srcset").is_none() => {
                out.push(image(
                    String::new(),
                    element.start_tag.clone(),
                    ImageSource::ImgSrc,
                ));
            }
            None => {}
        }
    }
    if (is_img || element.name == "source")
        && let Some(span) = element.attr("srcset").and_then(|a| a.value_span.as_ref())
    {
        for candidate in srcset_candidates(text, span) {
            let url = decode_entities(&text[candidate.clone()]);
            out.push(image(url, candidate, ImageSource::Srcset));
        }
    }
    if let Some(span) = element.attr("style").and_then(|a| a.value_span.as_ref()) {
        for url in css_urls(text, span) {
            out.push(image(
                decode_entities(&text[url.clone()]),
                url,
                ImageSource::CssUrl,
            ));
        }
    }
}

/// `span` without leading and trailing white space.
fn trimmed_span(source: &str, span: &Span) -> Span {
    let raw = &source[span.clone()];
    let start = span.start + (raw.len() - raw.trim_start().len());
    let end = span.end - (raw.len() - raw.trim_end().len());
    start..end.max(start)
}

/// The URL of each candidate of a `srcset` (`a.png 1x, b.png 2x`), as raw spans.
fn srcset_candidates(source: &str, span: &Span) -> Vec<Span> {
    let raw = &source[span.clone()];
    let mut out = Vec::new();
    let mut offset = 0;
    for part in raw.split(',') {
        let lead = part.len() - part.trim_start().len();
        let url_len = part
            .trim_start()
            .find(char::is_whitespace)
            .unwrap_or(part.trim_start().len());
        if url_len > 0 {
            let start = span.start + offset + lead;
            out.push(start..start + url_len);
        }
        offset += part.len() + 1;
    }
    out
}

/// The inside of each `url(...)` in a raw `style` value, quotes (also `&quot;`) excluded.
fn css_urls(source: &str, span: &Span) -> Vec<Span> {
    let raw = &source[span.clone()];
    let lower = raw.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find("url(") {
        let open = from + at + 4;
        let Some(close_rel) = raw[open..].find(')') else {
            break;
        };
        let close = open + close_rel;
        let mut inner = open..close;
        let trim = |r: &mut Span| {
            let s = &raw[r.clone()];
            r.start += s.len() - s.trim_start().len();
            let s = &raw[r.clone()];
            r.end -= s.len() - s.trim_end().len();
        };
        trim(&mut inner);
        for quote in ["&quot;", "\"", "'", "&#39;", "&apos;"] {
            let s = &raw[inner.clone()];
            if s.len() >= 2 * quote.len() && s.starts_with(quote) && s.ends_with(quote) {
                inner = inner.start + quote.len()..inner.end - quote.len();
                break;
            }
        }
        out.push(span.start + inner.start..span.start + inner.end);
        from = close + 1;
    }
    out
}

/// Decode the few entities that appear in URLs (`&amp;` in query strings above all).
fn decode_entities(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.trim().to_string();
    }
    raw.trim()
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// The image URLs written in the front matter's image fields (strings or lists of strings).
pub fn front_matter_images(doc: &super::Document, fields: &[String]) -> Vec<ImageRef> {
    let Some(node) = doc.fields() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in node.entries().iter().filter(|e| fields.contains(&e.key)) {
        let mut push = |n: &super::Node| {
            if let super::Value::String(url) = &n.value {
                // The URL as written: inside the quotes when quoted.
                let span = crate::rules::literal_value_span(doc, n, url)
                    .filter(|_| !url.is_empty())
                    .unwrap_or_else(|| n.span.clone());
                out.push(ImageRef {
                    url: url.trim().to_string(),
                    span,
                    source: ImageSource::FrontMatter,
                    field: Some(entry.key.clone()),
                    missing_alt: None,
                    in_comment: false,
                });
            }
        };
        match &entry.value.value {
            super::Value::Seq(items) => items.iter().for_each(&mut push),
            _ => push(&entry.value),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str, kind: FileKind) -> Vec<ImageRef> {
        let path = if kind == FileKind::Html {
            "a.html"
        } else {
            "a.md"
        };
        let doc = Document::parse(
            std::sync::Arc::from(std::path::Path::new(path)),
            crate::source::LoadedSource {
                text: text.to_string(),
                encoding: Default::default(),
            },
        );
        assert_eq!(doc.kind, kind);
        assert_eq!(doc.body, 0..text.len());
        scan_body(&doc)
    }

    fn refs(text: &str, kind: FileKind) -> Vec<(String, String, ImageSource)> {
        body(text, kind)
            .into_iter()
            .map(|r| (r.url, text[r.span].to_string(), r.source))
            .collect()
    }

    #[test]
    fn html_images_with_exact_spans() {
        let text = r#"<p>中文<img src=" a.png " alt="x"><img srcset="b.png 1x, c.png&amp;q=1 2x"></p>
<div style="background-image: url(&quot;d.jpg&quot;)"></div><picture><source srcset='e.webp'></picture><!--ad[<img src="f.gif"/>]ad-->"#;
        let found = refs(text, FileKind::Html);
        assert_eq!(
            found,
            vec![
                ("a.png".into(), "a.png".into(), ImageSource::ImgSrc),
                ("b.png".into(), "b.png".into(), ImageSource::Srcset),
                (
                    "c.png&q=1".into(),
                    "c.png&amp;q=1".into(),
                    ImageSource::Srcset
                ),
                ("d.jpg".into(), "d.jpg".into(), ImageSource::CssUrl),
                ("e.webp".into(), "e.webp".into(), ImageSource::Srcset),
                ("f.gif".into(), "f.gif".into(), ImageSource::ImgSrc),
            ]
        );
        let all = body(text, FileKind::Html);
        assert!(all.last().unwrap().in_comment && !all[0].in_comment);
    }

    #[test]
    fn markdown_inline_reference_and_raw_html_images() {
        let text = "# 标题\n\n![图](https://x.org/a.png \"t\") and ![][logo]\n\n<div>\n<img src=\"b.gif\">\n</div>\n\n[logo]: https://x.org/logo.png\n";
        let found = refs(text, FileKind::Markdown);
        assert_eq!(
            found[0],
            (
                "https://x.org/a.png".into(),
                "https://x.org/a.png".into(),
                ImageSource::Markdown
            )
        );
        // Sorted by position: the reference image's URL is in its definition, at the end.
        assert_eq!(
            found[1],
            ("b.gif".into(), "b.gif".into(), ImageSource::ImgSrc)
        );
        assert_eq!(
            found[2],
            (
                "https://x.org/logo.png".into(),
                "https://x.org/logo.png".into(),
                ImageSource::Markdown
            )
        );
        let all = body(text, FileKind::Markdown);
        assert!(all[0].missing_alt.is_none());
        assert!(all[2].missing_alt.is_some(), "empty alt text");
        assert!(
            all.iter()
                .find(|r| r.url == "b.gif")
                .unwrap()
                .missing_alt
                .is_some()
        );
    }

    #[test]
    fn code_is_not_an_image_and_an_empty_src_is_placed_between_its_quotes() {
        let text = "Use `<img src=\"a.png\">` or:\n\n```html\n<img src=\"b.png\">\n```\n\n<p><img src=\"\" alt=\"x\"></p>\n";
        let found = refs(text, FileKind::Markdown);
        assert_eq!(found.len(), 1, "{found:?}");
        let empty = &body(text, FileKind::Markdown)[0];
        assert_eq!(empty.url, "");
        assert_eq!(&text[empty.span.start - 5..empty.span.end + 1], "src=\"\"");
    }

    #[test]
    fn css_urls_are_found_whatever_the_case_of_url() {
        let text = "![a](x.png)\n\n<div style=\"background:Url(bg.png)\">text</div>\n";
        let found = refs(text, FileKind::Markdown);
        assert!(
            found
                .iter()
                .any(|(url, _, source)| url == "bg.png" && *source == ImageSource::CssUrl),
            "{found:?}"
        );
    }

    #[test]
    fn comments_are_read_one_level_deep() {
        // Opening markers inside a comment open nothing: no recursion, however many there are.
        let text = format!(
            "<p>x</p>{}<img src=\"deep.png\">--><!--[<img src=\"f.gif\">]-->",
            "<!--".repeat(100_000)
        );
        let found = body(&text, FileKind::Html);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].in_comment);
        assert_eq!(found[0].url, "f.gif");
    }
}
