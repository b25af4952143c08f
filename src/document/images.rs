//! Every image reference in a post's body, with the exact span of its URL: `<img src>`,
//! `srcset` (on `<img>` and `<source>`), `background-image: url(...)` in `style` attributes,
//! Markdown `![alt](url)` and reference-style images, and raw HTML inside Markdown.
//!
//! HTML images come from the body's HTML index (`Document::html_index`, parsed once for every
//! rule, Markdown code already blanked out there); Markdown images from pulldown-cmark's offset
//! iterator, run only on bodies with `![`, and then, where that is safe, only on the runs of lines
//! that hold one ([`image_paragraphs`]). Front-matter image fields are collected by the IMG
//! rules, since which fields hold images is configuration.

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag};

use super::html::{Element, HtmlIndex};
use super::{Document, FileKind};
use crate::diagnostic::Span;

/// A searcher for `![` built once: building one costs more than searching most bodies.
static IMAGE_OPEN: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"!["));

/// A searcher for the `](` between an image's alt text and its destination.
static LINK_OPEN: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"]("));

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
        match image_paragraphs(source) {
            Some(paragraphs) => {
                for p in paragraphs {
                    run_images(&source[p.clone()], doc.body.start + p.start, &mut out);
                }
            }
            None => markdown_images(source, doc.body.start, &mut out),
        }
    }
    out.sort_by_key(|r| (r.span.start, r.span.end));
    out.dedup_by(|a, b| a.span == b.span);
    out
}

/// The runs of non-blank lines of a Markdown body that hold `![`, when each of them parses alone
/// as it does in the whole body; `None` when that cannot be told cheaply. pulldown-cmark then
/// reads only those runs, not the whole body (most posts' images sit in a few short paragraphs).
///
/// A blank line ends every block but those that may hold one: fenced code, HTML blocks of
/// kinds 1 to 5 (`<pre>`, `<script>`, `<style>`, `<textarea>`, comments, `<?`, `<!`), indented
/// code, and list items. So the body is read whole if it has a fence, such an HTML opener or a
/// link reference definition (`]:`, which images elsewhere may use), or if a run holding an
/// image has a line indented by a tab or four spaces (code here, a list item's paragraph
/// there). A run that starts indented two or three spaces may continue a list item: it reads
/// alone as it does there only if no later line of it is indented less (such a line would be a
/// lazy one there, which ends an HTML block, lets a list item interrupt a paragraph and
/// underlines no heading), else the body is read whole too. A run that starts indented less
/// than two spaces is in no list item.
///
/// Blank lines hold spaces and tabs (and a line's `\r\n`). pulldown-cmark counts vertical tabs
/// and form feeds as blank at a block's start but not inside a paragraph, and a lone `\r` ends a
/// line for CommonMark but not here: bodies with either are read whole.
fn image_paragraphs(source: &str) -> Option<Vec<Span>> {
    let bytes = source.as_bytes();
    let lone_cr = || memchr::memchr_iter(b'\r', bytes).any(|at| bytes.get(at + 1) != Some(&b'\n'));
    if FENCE_OR_DEFINITION.find(bytes).is_some()
        || has_multi_paragraph_html(bytes)
        || memchr::memchr2(0x0b, 0x0c, bytes).is_some()
        || lone_cr()
    {
        return None;
    }
    /// The run of lines being read.
    struct Run {
        start: usize,
        holds_image: bool,
        /// How far its first line is indented.
        indent: usize,
        /// Whether it may read otherwise alone than in the whole body.
        unsure: bool,
    }
    impl Run {
        /// Keep the run, ended at `end`, if it holds an image; false if it must not be read
        /// alone.
        fn ended(self, end: usize, runs: &mut Vec<Span>) -> bool {
            if self.holds_image {
                runs.push(self.start..end);
            }
            !(self.holds_image && self.unsure)
        }
    }
    let mut runs = Vec::new();
    let mut run: Option<Run> = None;
    // Where `![` is, found in one pass (a search per line cost more than the lines' parse).
    let mut images = IMAGE_OPEN.find_iter(bytes).peekable();
    let mut line_start = 0;
    while line_start <= bytes.len() {
        let line_end =
            memchr::memchr(b'\n', &bytes[line_start..]).map_or(bytes.len(), |at| line_start + at);
        let line = &bytes[line_start..line_end];
        let indent = &line[..line
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count()];
        if line[indent.len()..].iter().all(|b| *b == b'\r') {
            if !run.take().is_none_or(|r| r.ended(line_start, &mut runs)) {
                return None;
            }
        } else {
            let first = run.is_none();
            let run = run.get_or_insert(Run {
                start: line_start,
                holds_image: false,
                indent: indent.len(),
                unsure: false,
            });
            // `![` is two bytes, neither a line break: it starts and ends on one line.
            while images.next_if(|at| *at < line_end).is_some() {
                run.holds_image = true;
            }
            let code_like = indent.len() >= 4 || indent.contains(&b'\t');
            let lazy = !first && run.indent >= 2 && indent.len() < run.indent;
            run.unsure |= code_like || lazy;
        }
        line_start = line_end + 1;
    }
    if !run.is_none_or(|r| r.ended(bytes.len(), &mut runs)) {
        return None;
    }
    Some(runs)
}

/// A fence (three backticks or tildes) or the `]:` of a link reference definition.
static FENCE_OR_DEFINITION: std::sync::LazyLock<aho_corasick::AhoCorasick> =
    std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::new(["```", "~~~", "]:"]).expect("three fixed patterns")
    });

/// Whether `bytes` may open an HTML block that a blank line does not end (CommonMark's kinds 1
/// to 5): `<!`, `<?`, or `<pre`, `<script`, `<style`, `<textarea` in any case, anywhere.
fn has_multi_paragraph_html(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'<', bytes).any(|at| {
        let after = &bytes[at + 1..];
        let named = |name: &[u8]| {
            after
                .get(..name.len())
                .is_some_and(|b| b.eq_ignore_ascii_case(name))
        };
        matches!(after.first(), Some(b'!' | b'?'))
            || named(b"pre")
            || named(b"script")
            || named(b"style")
            || named(b"textarea")
    })
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

/// The images of one run of lines that parses alone (see [`image_paragraphs`]): read by hand
/// when each of its lines is one plain image, else by pulldown-cmark.
fn run_images(run: &str, base: usize, out: &mut Vec<ImageRef>) {
    if !plain_image_lines(run, base, out) {
        markdown_images(run, base, out);
    }
}

/// Bytes that make an alt text plain: none that starts or ends an inline construct inside
/// brackets (brackets, escapes, code spans, HTML, entities), no control character.
fn plain_alt_byte(b: u8) -> bool {
    b >= 0x20 && b != 0x7F && !matches!(b, b'[' | b']' | b'\\' | b'`' | b'<' | b'>' | b'&')
}

/// Bytes that make a destination plain: printable ASCII but for what may end it early, quote a
/// title, escape or decode something (a URL with any other byte goes to the parser).
fn plain_url_byte(b: u8) -> bool {
    b.is_ascii_graphic()
        && !matches!(
            b,
            b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'\\' | b'&' | b'"' | b'\'' | b'`'
        )
}

/// The images of `run` when each of its lines is, after at most three spaces, one image
/// `![alt](url)` with a plain alt text and destination (see [`plain_alt_byte`] and
/// [`plain_url_byte`]) and nothing after it but spaces and tabs: pushed to `out`, as
/// pulldown-cmark would give them (such a line is a paragraph's text whatever its neighbours,
/// one image and no other inline). False, with nothing pushed, for any other run: most image
/// paragraphs of real posts are such lines, and their parse cost more than the rest of the
/// image scan.
fn plain_image_lines(run: &str, base: usize, out: &mut Vec<ImageRef>) -> bool {
    let bytes = run.as_bytes();
    let mut found = Vec::new();
    let mut line_start = 0;
    while line_start < bytes.len() {
        let line_end =
            memchr::memchr(b'\n', &bytes[line_start..]).map_or(bytes.len(), |at| line_start + at);
        let Some(image) = plain_image_line(&bytes[line_start..line_end], line_start) else {
            return false;
        };
        found.push(image);
        line_start = line_end + 1;
    }
    out.extend(found.into_iter().map(|(image, url)| {
        let alt = &run[image.start + 2..url.start - 2];
        ImageRef {
            url: run[url.clone()].to_string(),
            span: base + url.start..base + url.end,
            source: ImageSource::Markdown,
            field: None,
            missing_alt: alt
                .trim()
                .is_empty()
                .then(|| base + image.start..base + image.end),
            in_comment: false,
        }
    }));
    true
}

/// The image and its destination in `line` (which starts at `at` in its run), when the line is
/// a plain image alone (see [`plain_image_lines`]).
fn plain_image_line(line: &[u8], at: usize) -> Option<(Span, Span)> {
    let indent = line.iter().take_while(|b| **b == b' ').count();
    if indent > 3 {
        return None;
    }
    let rest = line[indent..].strip_prefix(b"![")?;
    let alt_len = rest.iter().position(|b| !plain_alt_byte(*b))?;
    let rest = rest[alt_len..].strip_prefix(b"](")?;
    let url_len = rest.iter().position(|b| !plain_url_byte(*b))?;
    let after = rest[url_len..].strip_prefix(b")")?;
    if url_len == 0 || !after.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
        return None;
    }
    let image_start = at + indent;
    let url_start = image_start + 2 + alt_len + 2;
    let url_end = url_start + url_len;
    Some((image_start..url_end + 1, url_start..url_end))
}

fn markdown_images(source: &str, base: usize, out: &mut Vec<ImageRef>) {
    let parser = Parser::new_ext(source, Options::empty());
    let mut iter = parser.into_offset_iter();
    // The image being read: its alt text so far, its range, whether it is reference-style.
    // For reference-style ones, their label.
    let mut current: Option<(String, std::ops::Range<usize>, Option<CowStr>, ImageRef)> = None;
    let mut references: Vec<(usize, CowStr)> = Vec::new();
    for (event, range) in iter.by_ref() {
        match event {
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                id,
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
                    // memchr's searchers (`str::find` cost more than the parse of a short run).
                    LINK_OPEN.find(raw.as_bytes()).and_then(|open| {
                        let after = open + 2;
                        let rest = &raw.as_bytes()[after..];
                        memchr::memmem::find(rest, dest_url.as_bytes()).map(|at| {
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
                current = Some((String::new(), range, reference.then_some(id), image));
            }
            Event::End(pulldown_cmark::TagEnd::Image) => {
                if let Some((alt, range, reference, mut image)) = current.take() {
                    if alt.trim().is_empty() {
                        image.missing_alt = Some(base + range.start..base + range.end);
                    }
                    if let Some(label) = reference {
                        references.push((out.len(), label));
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
    // Looked up by label (a scan of the definitions for each image was quadratic).
    for (index, label) in references {
        let image = &mut out[index];
        if let Some(def) = defs.get(&label) {
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
        let doc = Document::from_text(path, text);
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

    /// Markdown images read from the whole body, and from the runs of lines that hold one
    /// (`None` when the body must be read whole).
    fn whole_and_by_runs(source: &str) -> (Vec<ImageRef>, Option<Vec<ImageRef>>) {
        let sorted = |mut out: Vec<ImageRef>| {
            out.sort_by_key(|r| (r.span.start, r.span.end));
            out
        };
        let mut whole = Vec::new();
        markdown_images(source, 0, &mut whole);
        let by_runs = image_paragraphs(source).map(|runs| {
            let mut out = Vec::new();
            for run in runs {
                run_images(&source[run.clone()], run.start, &mut out);
            }
            sorted(out)
        });
        (sorted(whole), by_runs)
    }

    /// Assert that `body`'s runs give the images of the whole body, where its runs are read
    /// alone: how many images that compared (`None` when the body is read whole).
    fn images_compared(body: &str, what: &str) -> Option<usize> {
        let (whole, by_runs) = whole_and_by_runs(body);
        assert_eq!(by_runs.as_ref()?, &whole, "{what}");
        Some(whole.len())
    }

    #[test]
    fn images_read_run_by_run_equal_images_read_from_the_whole_body() {
        let bodies = [
            "![a](x.png)\n\ntext ![b](y.png \"t\") more\n",
            "Intro.\n\n- a\n\n  ![b](y.png)\n\n- ![c](z.png)\n",
            "1. a\n\n   ![b](y.png)\n",
            "> ![a](x.png)\n>\n> ![b](y.png)\n\n> c\n![lazy](l.png)\n",
            "# ![h](h.png)\n\n![a](x.png)\n===\n",
            "`code\n![a](x.png)`\n\n![b](y.png)\n",
            "\\![a](x.png) and ![b](<y z.png>) and ![c ![d](in.png)](out.png)\n",
            "- a\n\n  b\n  ![c](y.png)\n   d\n\n  ![e](z.png)\n",
            "- a\n\n ![b](y.png)\nc\n",
            "<div>\n![a](x.png)\n</div>\n\n![b](y.png)\n",
            "<custom-tag>\n![a](x.png)\n\n![b](y.png)\n",
            "![a](x.png)\r\n\r\n![b](y.png)\r\n",
            "[![a](x.png)](https://x.org) *![b](y.png)* 图 ![图](z.png)\n",
            "[a\n\n![b](y.png)](z)\n",
            "![](empty-alt.png)\n\n![a]()\n\n![b](x.png\n",
            "- a\n  - b\n\n    ![c](nested.png)\n",
            "    ![code](c.png)\n\n![a](x.png)\n",
            "text\n    ![lazy](l.png)\n",
            " \t![tab](t.png)\n",
            "```\n![a](x.png)\n```\n",
            "~~~\n\n![a](x.png)\n\n~~~\n",
            "![a][ref]\n\n[ref]: https://x.org/r.png\n",
            "<!--\n\n![a](x.png)\n\n-->\n",
            "<PRE>\n\n![a](x.png)\n</pre>\n",
            "<?php\n\n![a](x.png)\n?>\n",
            "line\r![a](x.png)\r\r![b](y.png)\n",
        ];
        let mut read_by_runs = 0;
        for body in bodies {
            let (whole, by_runs) = whole_and_by_runs(body);
            if let Some(by_runs) = by_runs {
                assert_eq!(by_runs, whole, "{body:?}");
                read_by_runs += 1;
            }
        }
        assert_eq!(read_by_runs, 15, "bodies read run by run");
    }

    #[test]
    fn bodies_that_a_run_alone_may_misread_are_read_whole() {
        for body in [
            // A run with a line indented like code: a list item's paragraph in context,
            // code alone (or the other way round).
            "- a\n\n    ![b](y.png)\n",
            "1.  a\n\n    ![b](y.png)\n",
            "- # h\n    ![b](y.png)\n",
            "- a\n\n\t![b](y.png)\n",
            "- a\n\n  \t![b](y.png)\n",
            // Blocks that a blank line does not end, and definitions images elsewhere use.
            "```\n\n![a](x.png)\n\n```\n",
            "<!-- more -->\n\n![a](x.png)\n",
            "<script>\n\n![a](x.png)\n</script>\n",
            "<textarea>\n\n![a](x.png)\n",
            "![a][r]\n\n[r]: x.png\n",
            // A lone carriage return ends a line for CommonMark.
            "a\r\r![a](x.png)\n",
            // A run in a list item with a line indented less: a lazy line there, where it ends
            // an HTML block, lets a list item interrupt the paragraph, underlines no heading.
            "- a\n\n  `x\n===\n![b](y.png)`\n",
            "- a\n\n  `b\n2. ![c](x.png)`\n",
            "- a\n\n  <div>\n![b](y.png)\n",
            // A form feed or vertical tab line: blank at a block's start, text in a paragraph.
            "`a\n\u{c}\n![b](y.png)`\n",
            "![b\n\u{b}\n](y.png)\n",
        ] {
            assert!(image_paragraphs(body).is_none(), "{body:?}");
        }
        assert_eq!(
            image_paragraphs("a\n\n![b](y.png)\n\nc\n\n d ![e](z.png)"),
            Some(vec![3..15, 19..33])
        );
    }

    /// Bodies made of random lines from Markdown's trickier pieces (list items, quotes, lazy
    /// and indented lines, code spans across lines, HTML, headings, brackets): wherever the
    /// runs are read alone, they give the images of the whole body.
    #[test]
    fn images_read_run_by_run_equal_whole_reads_on_generated_bodies() {
        const PIECES: &[&str] = &[
            "",
            "",
            "",
            "text",
            "![a](x.png)",
            "![](y.png \"t\")",
            "`code",
            "code`",
            "![b ![c](in.png)](out.png)",
            "[link ![d](d.png)](u)",
            "===",
            "---",
            "- item",
            "1. item",
            "2) item",
            "* ![e](e.png)",
            "> quote",
            "> ![f](f.png)",
            ">",
            "<div>",
            "</div>",
            "<span>![g](g.png)</span>",
            "<custom-tag>",
            "# ![h](h.png)",
            "[open",
            "close]",
            "](x.png)",
            "![i](<sp ace.png>)",
            "\\![j](j.png)",
            "*emph ![k](k.png)*",
            "![l](m.png",
            "|a|b|",
            "+ plus",
            "10. ten",
            "***",
            "![n]",
            "[n]",
        ];
        let mut rng = crate::test_rng::Xorshift::new(0x2545_F491_4F6C_DD1D);
        let mut next = |n| rng.below(n);
        let (mut compared, mut images) = (0, 0);
        for _ in 0..20_000 {
            let mut body = String::new();
            for _ in 0..2 + next(8) {
                body.push_str(&" ".repeat([0, 0, 0, 1, 2, 3, 4][next(7)]));
                body.push_str(PIECES[next(PIECES.len())]);
                body.push_str(if next(10) == 0 { "\r\n" } else { "\n" });
            }
            if let Some(found) = images_compared(&body, &format!("{body:?}")) {
                compared += 1;
                images += found;
            }
        }
        assert!(
            compared >= 5_000 && images >= 5_000,
            "{compared} bodies, {images} images"
        );
    }

    /// Runs of lines made of images with alt texts and destinations near the edge of plain: where
    /// the hand reading takes a run, it gives what pulldown-cmark gives.
    #[test]
    fn plain_image_lines_read_as_pulldown_cmark_reads_them() {
        const ALTS: &[&str] = &[
            "",
            " ",
            "a",
            "*a*",
            "_a_",
            "**",
            "a_b_c",
            "图片",
            "\u{3000}",
            "a*",
            "!",
            "(x)",
            "#h",
            "* *",
            "~~a~~",
            "a\"b",
            "a]b",
            "a[b",
            "a\\b",
            "`a`",
            "<b>",
            "&amp;",
            "\t",
            "a)(",
            "__ a __",
            "*\u{3000}*",
            "&#32;",
            "&nbsp;",
            "a\\]",
            "a\\",
            "`]`",
            "` `",
        ];
        const URLS: &[&str] = &[
            "x.png",
            "https://x.org/a_b*c.png",
            "u#f",
            "a:b",
            "*",
            "_x_",
            "!x",
            "%20",
            "//c/d",
            "x.png?a=1&b=2",
            "x.png\"t",
            "",
            " x.png",
            "x.png \"t\"",
            "<x.png>",
            "x(1).png",
            "x).png",
            "https://例子.测试/图.png",
            "x\\y",
            "x`y",
            "x]y",
            "x.png\t",
            "x&amp;y.png",
            "x\\_y.png",
            "x&#41;.png",
        ];
        const ENDS: &[&str] = &["", " ", "\t", "\r", "  ", " x", ")", "!", " \r"];
        let mut rng = crate::test_rng::Xorshift::new(0x9E37_79B9_7F4A_7C15);
        let mut next = |n| rng.below(n);
        let mut plain = 0;
        for _ in 0..20_000 {
            let mut run = String::new();
            for _ in 0..1 + next(3) {
                run.push_str(&" ".repeat([0, 0, 0, 1, 2, 3, 4][next(7)]));
                run.push_str(&format!(
                    "![{}]({}){}\n",
                    ALTS[next(ALTS.len())],
                    URLS[next(URLS.len())],
                    ENDS[next(ENDS.len())]
                ));
            }
            let mut by_hand = Vec::new();
            if plain_image_lines(&run, 7, &mut by_hand) {
                let mut parsed = Vec::new();
                markdown_images(&run, 7, &mut parsed);
                assert_eq!(by_hand, parsed, "{run:?}");
                plain += 1;
            } else {
                assert!(by_hand.is_empty(), "{run:?}");
            }
        }
        assert!((500..18_000).contains(&plain), "{plain} runs read by hand");
        let mut out = Vec::new();
        assert!(plain_image_lines(
            "![a](x.png)\r\n   ![](y.png)\n",
            0,
            &mut out
        ));
        assert_eq!(out[0].span, 5..10);
        assert_eq!(out[1].missing_alt, Some(16..26));
        assert!(!plain_image_lines("![a](x.png)\n===\n", 0, &mut out));
        assert!(!plain_image_lines("    ![a](x.png)\n", 0, &mut out));
    }

    /// Every Markdown post of the shared corpus (real posts) gives the same images read run by
    /// run as read whole, from its body as `scan_body` reads it.
    #[test]
    fn images_read_run_by_run_equal_whole_reads_on_the_shared_corpus() {
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        if !corpus.is_dir() {
            eprintln!("skipped: {} does not exist", corpus.display());
            return;
        }
        let mut dirs = vec![corpus];
        let (mut compared, mut images) = (0, 0);
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("corpus folder").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "md") {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let doc = Document::parse(
                    std::sync::Arc::from(path.as_path()),
                    crate::source::LoadedSource {
                        text,
                        encoding: Default::default(),
                    },
                );
                if doc.kind != FileKind::Markdown {
                    continue;
                }
                if let Some(found) =
                    images_compared(doc.slice(&doc.body), &path.display().to_string())
                {
                    compared += 1;
                    images += found;
                }
            }
        }
        assert!(
            compared >= 100 && images >= 100,
            "{compared} files, {images} images"
        );
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
    fn a_reference_image_points_at_its_own_definition() {
        // Labels match without regard to case or runs of spaces; two definitions share a URL.
        let text = "![a][Logo  Big]\n\n![b][other]\n\n[other]: x.png\n[logo big]: x.png\n";
        let found = body(text, FileKind::Markdown);
        let lines: Vec<&str> = (found.iter())
            .map(|r| {
                let line_start = text[..r.span.start].rfind('\n').map_or(0, |at| at + 1);
                text[line_start..].lines().next().unwrap_or_default()
            })
            .collect();
        assert_eq!(lines, ["[other]: x.png", "[logo big]: x.png"]);
        assert!(found.iter().all(|r| &text[r.span.clone()] == "x.png"));
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
