//! Every image reference in a post's body, with the exact span of its URL: `<img src>`,
//! `srcset` (on `<img>` and `<source>`), `background-image: url(...)` in `style` attributes,
//! Markdown `![alt](url)` and reference-style images, and raw HTML inside Markdown.
//!
//! HTML is tokenized by html5gum, whose attribute values carry byte spans; Markdown by
//! pulldown-cmark's offset iterator. Front-matter image fields are collected by the IMG rules,
//! since which fields hold images is configuration.

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span as GumSpan, Tokenizer};
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};

use super::FileKind;
use crate::diagnostic::Span;

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

/// Image references of a body that starts at `base` in the file.
pub fn scan_body(text: &str, body: Span, kind: FileKind) -> Vec<ImageRef> {
    let mut out = Vec::new();
    let Some(source) = text.get(body.clone()) else {
        return out;
    };
    let has = |needle: &str| memchr::memmem::find(source.as_bytes(), needle.as_bytes()).is_some();
    // Cheap checks first: most bodies have no image syntax at all.
    let html_images = has("<img")
        || has("<IMG")
        || has("<Img")
        || has("<source")
        || has("<SOURCE")
        || has("url(")
        || has("URL(");
    let markdown_images = kind == FileKind::Markdown && has("![");
    if !html_images && !markdown_images {
        return out;
    }
    // Markdown needs its own parser only when it could hide or make an image: image syntax,
    // reference definitions, or code (where `<img>` is an example, not an image).
    let markdown_matters =
        markdown_images || has("`") || has("~~~") || has("\n    ") || has("\n\t") || has("]:");
    match kind {
        FileKind::Markdown if markdown_matters => scan_markdown(source, body.start, &mut out),
        _ => scan_html(source, body.start, &mut out),
    }
    out.sort_by_key(|r| (r.span.start, r.span.end));
    out.dedup_by(|a, b| a.span == b.span);
    out
}

fn scan_markdown(source: &str, base: usize, out: &mut Vec<ImageRef>) {
    let parser = Parser::new_ext(source, Options::empty());
    let mut iter = parser.into_offset_iter();
    let mut html_block: Option<std::ops::Range<usize>> = None;
    // The image being read: its alt text so far, its range, whether it is reference-style.
    let mut current: Option<(String, std::ops::Range<usize>, bool, ImageRef)> = None;
    let mut references: Vec<usize> = Vec::new();
    for (event, range) in iter.by_ref() {
        match event {
            Event::Start(Tag::HtmlBlock) => html_block = Some(range),
            Event::End(pulldown_cmark::TagEnd::HtmlBlock) => {
                if let Some(block) = html_block.take() {
                    scan_html(&source[block.clone()], base + block.start, out);
                }
            }
            Event::InlineHtml(_) | Event::Html(_) if html_block.is_none() => {
                scan_html(&source[range.clone()], base + range.start, out);
            }
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

/// The attributes of the start tag being read, with raw value spans.
#[derive(Default)]
struct OpenTag {
    name: Vec<u8>,
    tag_start: usize,
    attrs: Vec<(Vec<u8>, String, Option<Span>)>,
}

fn scan_html(source: &str, base: usize, out: &mut Vec<ImageRef>) {
    let mut tag = OpenTag::default();
    let mut tags: Vec<OpenTag> = Vec::new();
    let mut comments: Vec<Span> = Vec::new();
    // Only what an image can hide in is kept: img/source attributes and any `style`.
    let mut keep_value = false;
    let emitter = CallbackEmitter::new(|event: CallbackEvent<'_>, span: GumSpan<usize>| {
        match event {
            CallbackEvent::OpenStartTag { name } => {
                tag.name.clear();
                tag.name.extend(name.iter().map(u8::to_ascii_lowercase));
                tag.tag_start = span.start;
                tag.attrs.clear();
            }
            CallbackEvent::AttributeName { name } => {
                let image_tag = tag.name == b"img" || tag.name == b"source";
                let wanted = if image_tag {
                    [&b"src"[..], b"srcset", b"alt", b"style"]
                        .iter()
                        .any(|w| name.eq_ignore_ascii_case(w))
                } else {
                    name.eq_ignore_ascii_case(b"style")
                };
                keep_value = wanted;
                if wanted {
                    tag.attrs
                        .push((name.to_ascii_lowercase(), String::new(), None));
                }
            }
            CallbackEvent::AttributeValue { value } if keep_value => {
                if let Some(last) = tag.attrs.last_mut() {
                    last.1 = String::from_utf8_lossy(value).into_owned();
                    last.2 = Some(span.start..span.end);
                }
            }
            CallbackEvent::Comment { value } if memchr::memmem::find(value, b"<img").is_some() => {
                // Locate the comment's text in the source to keep exact spans.
                if let Some(at) = source
                    .get(span.start..span.end)
                    .and_then(|raw| memchr::memmem::find(raw.as_bytes(), value))
                {
                    comments.push(span.start + at..span.start + at + value.len());
                }
            }
            CallbackEvent::CloseStartTag { .. } => {
                let is_image = tag.name == b"img" || tag.name == b"source";
                if is_image || !tag.attrs.is_empty() {
                    let mut done = std::mem::take(&mut tag);
                    done.attrs
                        .push((b"__end".to_vec(), String::new(), Some(span.end..span.end)));
                    tags.push(done);
                }
            }
            _ => {}
        }
        None::<std::convert::Infallible>
    });
    // The tokenizer cannot fail on a string input; any error is ignored.
    let _ = Tokenizer::new_with_emitter(source, emitter).finish();
    for tag in tags {
        collect_tag(source, base, &tag, out);
    }
    for comment in comments {
        let mut inner = Vec::new();
        scan_html(&source[comment.clone()], base + comment.start, &mut inner);
        out.extend(inner.into_iter().map(|image| ImageRef {
            in_comment: true,
            missing_alt: None,
            ..image
        }));
    }
}

fn attr<'t>(tag: &'t OpenTag, name: &[u8]) -> Option<(&'t str, Option<&'t Span>)> {
    tag.attrs
        .iter()
        .find(|(n, ..)| n == name)
        .map(|(_, v, s)| (v.as_str(), s.as_ref()))
}

fn collect_tag(source: &str, base: usize, tag: &OpenTag, out: &mut Vec<ImageRef>) {
    let tag_end = attr(tag, b"__end")
        .and_then(|(_, s)| s)
        .map_or(tag.tag_start, |s| s.end);
    let tag_span = base + tag.tag_start..base + tag_end;
    if tag.name == b"img" {
        if let Some((value, span)) = attr(tag, b"src") {
            let span = span.cloned().unwrap_or(tag.tag_start..tag.tag_start);
            let trimmed = trimmed_span(source, &span);
            out.push(ImageRef {
                url: value.trim().to_string(),
                span: base + trimmed.start..base + trimmed.end,
                source: ImageSource::ImgSrc,
                field: None,
                missing_alt: attr(tag, b"alt").is_none().then(|| tag_span.clone()),
                in_comment: false,
            });
        } else if attr(tag, b"srcset").is_none() {
            // `<img>` with neither: an empty source at the tag.
            out.push(ImageRef {
                url: String::new(),
                span: tag_span.clone(),
                source: ImageSource::ImgSrc,
                field: None,
                missing_alt: None,
                in_comment: false,
            });
        }
    }
    if (tag.name == b"img" || tag.name == b"source")
        && let Some((_, Some(span))) = attr(tag, b"srcset")
    {
        for candidate in srcset_candidates(source, span) {
            out.push(ImageRef {
                url: decode_entities(&source[candidate.clone()]),
                span: base + candidate.start..base + candidate.end,
                source: ImageSource::Srcset,
                field: None,
                missing_alt: None,
                in_comment: false,
            });
        }
    }
    if let Some((_, Some(span))) = attr(tag, b"style") {
        for url in css_urls(source, span) {
            out.push(ImageRef {
                url: decode_entities(&source[url.clone()]),
                span: base + url.start..base + url.end,
                source: ImageSource::CssUrl,
                field: None,
                missing_alt: None,
                in_comment: false,
            });
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

    fn refs(text: &str, kind: FileKind) -> Vec<(String, String, ImageSource)> {
        scan_body(text, 0..text.len(), kind)
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
        let all = scan_body(text, 0..text.len(), FileKind::Html);
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
        let all = scan_body(text, 0..text.len(), FileKind::Markdown);
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
}
