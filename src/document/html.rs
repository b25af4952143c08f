//! A light index of a body's HTML, with byte spans: elements (start tag, attributes, end tag),
//! text runs, comments and parse problems. Built once per document by `html_parse` (html5ever's
//! tokenizer and tree builder, with spans found by `html_scan`), only when a rule asks: the HTML
//! family, the boilerplate packs, the body images and the corpus blocks all read this one index.

use std::sync::LazyLock;

use memchr::memmem::Finder;

use crate::diagnostic::Span;

/// A searcher for `~~~` built once: building one costs more than searching most bodies.
static TILDE_FENCE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"~~~"));

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attr {
    /// Lower-cased.
    pub name: String,
    /// Entity-decoded.
    pub value: String,
    pub name_span: Span,
    /// Inside the quotes.
    pub value_span: Option<Span>,
    /// From the name to the closing quote: what deleting the attribute removes.
    pub full: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Element {
    /// Lower-cased.
    pub name: String,
    pub attrs: Vec<Attr>,
    /// `<div …>`.
    pub start_tag: Span,
    /// `</div>`, when found.
    pub end_tag: Option<Span>,
    /// Written `<… />`.
    pub self_closing: bool,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }

    /// For each attribute, the index of the first earlier one of the same name (`None` for the
    /// first of its name): browsers keep that one.
    pub fn earlier_namesakes(&self) -> Vec<Option<usize>> {
        earlier_namesakes(
            &self
                .attrs
                .iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>(),
        )
    }
}

/// Tags past this many attributes are looked up through a hash map: below it a scan is cheaper
/// than building one, above it a scan makes a scraped tag with 100,000 attributes quadratic.
pub(crate) const ATTRS_SCANNED: usize = 16;

/// For each name, the index of the first earlier equal one (`None` for the first of its kind).
pub(crate) fn earlier_namesakes(names: &[&str]) -> Vec<Option<usize>> {
    if names.len() <= ATTRS_SCANNED {
        return (0..names.len())
            .map(|i| names[..i].iter().position(|n| *n == names[i]))
            .collect();
    }
    let mut first = rustc_hash::FxHashMap::default();
    first.reserve(names.len());
    (0..names.len())
        .map(|i| {
            let f = *first.entry(names[i]).or_insert(i);
            (f != i).then_some(f)
        })
        .collect()
}

impl Element {
    /// The element from its start tag to its end tag (or the start tag alone).
    pub fn span(&self) -> Span {
        self.start_tag.start..self.end_tag.as_ref().map_or(self.start_tag.end, |e| e.end)
    }

    /// Between the tags (empty for void elements).
    pub fn content(&self) -> Span {
        self.start_tag.end
            ..self
                .end_tag
                .as_ref()
                .map_or(self.start_tag.end, |e| e.start)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// `<!-- … -->`.
    pub span: Span,
    /// The text inside.
    pub text: Span,
}

/// An end tag as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndTag {
    /// Lower-cased.
    pub name: String,
    pub span: Span,
}

/// A class of markup error; each HTML rule reports one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProblemKind {
    StrayEndTag,
    UnclosedElement,
    Misnested,
    ImplicitlyClosed,
    MalformedComment,
    BadCharacterReference,
    UnescapedLessThan,
    MalformedTag,
    UnbalancedDiv,
    MissingDoctype,
    SplitAcrossBlocks,
    /// Elements nest deeper than the tree pass follows.
    TooDeep,
}

/// A markup error found by the parser, with the spans a message needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HtmlProblem {
    pub kind: ProblemKind,
    /// Where to report it.
    pub span: Span,
    /// The tag it is about (lower-cased), when there is one.
    pub name: String,
    /// The other element involved: the one closed, or left open inside.
    pub other: Option<(String, Span)>,
    /// An end tag left with nothing to close because of this problem.
    pub stray_end: Option<Span>,
    /// The tokenizer's error code (`missing-semicolon-after-character-reference`), if any.
    pub detail: &'static str,
}

impl HtmlProblem {
    pub fn new(kind: ProblemKind, span: Span) -> Self {
        HtmlProblem {
            kind,
            span,
            name: String::new(),
            other: None,
            stray_end: None,
            detail: "",
        }
    }

    pub fn named(mut self, name: &str) -> Self {
        self.name = name.to_string();
        self
    }

    pub fn other(mut self, name: &str, span: Span) -> Self {
        self.other = Some((name.to_string(), span));
        self
    }
}

/// The body's markup: elements, texts and comments with spans, and the parse errors.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HtmlIndex {
    /// In source order of their start tags.
    pub elements: Vec<Element>,
    /// Every end tag, in source order.
    pub end_tags: Vec<EndTag>,
    /// Raw spans of text between tags.
    pub texts: Vec<Span>,
    pub comments: Vec<Comment>,
    /// Parse errors, in source order.
    pub problems: Vec<HtmlProblem>,
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements that have no end tag.
pub fn is_void(name: &str) -> bool {
    VOID.contains(&name)
}

/// Index the HTML of `text[range]` as a body fragment; spans are absolute.
pub fn index(text: &str, range: Span) -> HtmlIndex {
    super::html_parse::parse(text, range, super::html_parse::ParseMode::Fragment)
}

/// A piece of raw HTML in a Markdown body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawHtml {
    pub span: Span,
    /// The Markdown block it sits in (a paragraph, a heading, an HTML block).
    pub block: Span,
    /// Inline HTML (inside a paragraph), not an HTML block.
    pub inline: bool,
}

/// What pulldown-cmark tells about a Markdown body, for reading it as HTML.
#[derive(Clone, Debug, Default)]
pub struct MarkdownHtml {
    /// The text with code, autolinks and the `<` of plain text blanked out (same length, same
    /// line breaks); `None` when nothing needed blanking.
    pub masked: Option<String>,
    pub masked_ranges: Vec<Span>,
    /// Text and raw HTML, in order: where a character reference or a `<` is the author's.
    pub prose: Vec<Span>,
    pub raw_html: Vec<RawHtml>,
    /// Indented code blocks that were not blanked (HTML kept in a `.md` file indents its markup).
    pub indented_code: Vec<Span>,
}

/// Read a Markdown body with pulldown-cmark: blank what is not markup (code blocks and spans,
/// autolinks, a `<` in plain text) so the HTML parser sees only the author's HTML, and note where
/// the raw HTML and the prose are. `None` when the body has nothing HTML-like at all.
pub fn prepare_markdown(text: &str, range: Span) -> Option<MarkdownHtml> {
    use pulldown_cmark::{CodeBlockKind, Event, LinkType, Tag, TagEnd};
    let body = text.get(range.clone())?;
    let has_markup = memchr::memchr3(b'<', b'&', b'`', body.as_bytes()).is_some();
    // A body that opens with a tag is HTML kept in a `.md` file (feed mirrors write them so):
    // its indented lines are indented markup. Elsewhere, indentation makes a code block.
    let html_body = body.trim_start().starts_with('<');
    if !has_markup && TILDE_FENCE.find(body.as_bytes()).is_none() && !has_indented_line(body) {
        return None;
    }
    let base = range.start;
    let mut bytes: Option<Vec<u8>> = None;
    let mut out = MarkdownHtml::default();
    let mut blank = |r: std::ops::Range<usize>, only: Option<u8>, out: &mut MarkdownHtml| {
        let bytes = bytes.get_or_insert_with(|| text.as_bytes().to_vec());
        if only.is_none() {
            out.masked_ranges.push(base + r.start..base + r.end);
        }
        for b in &mut bytes[base + r.start..base + r.end] {
            let hit = match only {
                Some(c) => *b == c,
                None => *b != b'\n' && *b != b'\r',
            };
            if hit {
                *b = b' ';
            }
        }
    };
    let mut blocks: Vec<std::ops::Range<usize>> = Vec::new();
    let mut code_block: Option<bool> = None;
    let mut autolink_depth = 0usize;
    // Inline links and images open: where their text ended (their URL follows).
    let mut links: Vec<usize> = Vec::new();
    let parser = pulldown_cmark::Parser::new(body);
    // Link reference definitions (`[ref]: <https://…>`) make no event: blank them here.
    let definitions: Vec<std::ops::Range<usize>> = parser
        .reference_definitions()
        .iter()
        .map(|(_, def)| def.span.clone())
        .collect();
    for r in definitions {
        blank(r, None, &mut out);
    }
    for (event, r) in parser.into_offset_iter() {
        if let Some(last) = links.last_mut()
            && !matches!(event, Event::End(TagEnd::Link | TagEnd::Image))
        {
            *last = (*last).max(r.end);
        }
        match event {
            Event::Start(
                Tag::Link {
                    link_type: LinkType::Inline,
                    ..
                }
                | Tag::Image {
                    link_type: LinkType::Inline,
                    ..
                },
            ) => links.push(r.start),
            Event::End(TagEnd::Link | TagEnd::Image)
                if autolink_depth == 0 && !links.is_empty() =>
            {
                // The `](url "title")` part: a URL is not markup or prose.
                let text_end = links.pop().unwrap_or(r.start);
                if text_end < r.end {
                    blank(text_end..r.end, None, &mut out);
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let fenced = matches!(kind, CodeBlockKind::Fenced(_));
                if fenced || !html_body {
                    blank(r, None, &mut out);
                    code_block = Some(true);
                } else {
                    out.indented_code.push(base + r.start..base + r.end);
                    code_block = Some(false);
                }
            }
            Event::End(TagEnd::CodeBlock) => code_block = None,
            Event::Code(_) => blank(r, None, &mut out),
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            }) => {
                autolink_depth += 1;
                blank(r, None, &mut out);
            }
            Event::End(TagEnd::Link) if autolink_depth > 0 => autolink_depth -= 1,
            Event::Start(
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::HtmlBlock
                | Tag::TableCell
                | Tag::Item
                | Tag::BlockQuote(_),
            ) => blocks.push(r),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::HtmlBlock
                | TagEnd::TableCell
                | TagEnd::Item
                | TagEnd::BlockQuote(_),
            ) => {
                blocks.pop();
            }
            Event::Text(_) if code_block == Some(true) || autolink_depth > 0 => {}
            Event::Text(_) => {
                if code_block.is_none() && body[r.clone()].contains('<') {
                    blank(r.clone(), Some(b'<'), &mut out);
                }
                out.prose.push(base + r.start..base + r.end);
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                let block = blocks.last().cloned().unwrap_or(r.clone());
                out.raw_html.push(RawHtml {
                    span: base + r.start..base + r.end,
                    block: base + block.start..base + block.end,
                    inline: matches!(event, Event::InlineHtml(_)),
                });
                out.prose.push(base + r.start..base + r.end);
            }
            _ => {}
        }
    }
    // Whole characters were replaced by ASCII spaces: still UTF-8.
    out.masked = bytes.and_then(|b| crate::source::utf8_string(b).ok());
    Some(out)
}

/// Whether a Markdown body may have `<` or `&` inside code (fenced, indented or inline), which
/// must then be blanked out before its HTML is read. A quick, conservative line scan: it may say
/// yes for code that holds no markup (then pulldown-cmark decides exactly), never no for code
/// that does. Code without markup changes nothing the HTML parser sees, so most posts with code
/// are parsed once, without pulldown-cmark. Its text then stays among the index's texts.
pub fn code_may_hold_markup(text: &str, range: Span) -> bool {
    let Some(body) = text.get(range) else {
        return false;
    };
    let bytes = body.as_bytes();
    if memchr::memchr2(b'<', b'&', bytes).is_none() {
        return false;
    }
    let html_body = body.trim_start().starts_with('<');
    let has_ticks = memchr::memchr(b'`', bytes).is_some();
    if !has_ticks && TILDE_FENCE.find(bytes).is_none() && (html_body || !has_indented_line(body)) {
        return false;
    }
    // The open fence's character and length.
    let mut fence: Option<(u8, usize)> = None;
    // Whether the current paragraph has a backtick, and `<` or `&`: an inline code span may
    // run across its lines.
    let (mut ticks, mut markup) = (false, false);
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len())) {
        let line = &bytes[start..end];
        start = end + 1;
        let has_markup = memchr::memchr2(b'<', b'&', line).is_some();
        let trimmed = trim_spaces(line);
        let run = |c: u8| trimmed.iter().take_while(|b| **b == c).count();
        if let Some((c, len)) = fence {
            let closes = run(c) >= len && trimmed[run(c)..].iter().all(u8::is_ascii_whitespace);
            if closes {
                fence = None;
            } else if has_markup {
                return true;
            }
            continue;
        }
        // A backtick fence's info string has no backtick (else it is inline code).
        let opens = |c: u8| run(c) >= 3 && (c == b'~' || !trimmed[run(c)..].contains(&b'`'));
        if let Some(c) = [b'`', b'~'].into_iter().find(|c| opens(*c)) {
            fence = Some((c, run(c)));
            (ticks, markup) = (false, false);
            continue;
        }
        if trimmed.iter().all(|b| b.is_ascii_whitespace()) {
            (ticks, markup) = (false, false);
            continue;
        }
        if has_markup && !html_body && (line.starts_with(b"    ") || line.starts_with(b"\t")) {
            return true;
        }
        ticks |= has_ticks && memchr::memchr(b'`', line).is_some();
        markup |= has_markup;
        if ticks && markup {
            return true;
        }
    }
    false
}

fn trim_spaces(line: &[u8]) -> &[u8] {
    let start = line
        .iter()
        .take_while(|b| **b == b' ' || **b == b'\t')
        .count();
    &line[start..]
}

/// Whether a line starts with four spaces or a tab (an indented code block, in Markdown).
fn has_indented_line(body: &str) -> bool {
    let bytes = body.as_bytes();
    memchr::memchr_iter(b'\n', bytes)
        .any(|nl| bytes.get(nl + 1) == Some(&b'\t') || bytes.get(nl + 1..nl + 5) == Some(b"    "))
}

/// Whether `name` (lower-cased) is a block-level element: one that opens a CommonMark HTML
/// block, and in which white space alone collapses to nothing.
pub fn is_block_name(name: &str) -> bool {
    BLOCK_NAMES.contains(&name)
}

/// Block-level names that open a CommonMark HTML block (type 6); other tags are inline HTML
/// when they sit in a paragraph.
const BLOCK_NAMES: &[&str] = &[
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
    "pre",
    "script",
    "style",
    "textarea",
];

/// Whether a Markdown body parsed as plain HTML needs pulldown-cmark after all: the parse found
/// a problem (which may be Markdown syntax read as HTML), or an element spans a blank line (a
/// paragraph break, or an indented code block, may split it).
pub fn needs_markdown(text: &str, range: Span, index: &HtmlIndex) -> bool {
    // Any problem may be Markdown's doing: an autolink or a `<…>` link destination reads as a
    // tag, a `&` in a link's URL as a character reference.
    if !index.problems.is_empty() {
        return true;
    }
    // Only an element with both tags can span a blank line: most Markdown bodies have none, and
    // then no line needs reading.
    if !index.elements.iter().any(|e| e.end_tag.is_some()) {
        return false;
    }
    let Some(body) = text.get(range.clone()) else {
        return false;
    };
    // Blank lines, and blank lines followed by a line indented like code.
    let mut blank = Vec::new();
    let mut blank_then_indented = Vec::new();
    let bytes = body.as_bytes();
    let mut line_start = 0;
    let mut previous_blank = false;
    for nl in memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len())) {
        let line = &bytes[line_start..nl];
        let is_blank = line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r'));
        if is_blank {
            blank.push(range.start + line_start);
        } else if previous_blank && (line.starts_with(b"    ") || line.starts_with(b"\t")) {
            blank_then_indented.push(range.start + line_start);
        }
        previous_blank = is_blank;
        line_start = nl + 1;
    }
    if blank.is_empty() {
        return false;
    }
    let any_between = |list: &[usize], from: usize, to: usize| {
        let i = list.partition_point(|p| *p < from);
        list.get(i).is_some_and(|p| *p < to)
    };
    index.elements.iter().any(|e| {
        let Some(end) = &e.end_tag else {
            return false;
        };
        let (from, to) = (e.start_tag.end, end.start);
        any_between(&blank_then_indented, from, to)
            || (!BLOCK_NAMES.contains(&e.name.as_str()) && any_between(&blank, from, to))
    })
}

/// For a Markdown body: keep the tokenizer's findings only where the author wrote text or HTML
/// (not in a link's URL), and find elements split across Markdown blocks.
pub fn markdown_checks(index: &mut HtmlIndex, md: &MarkdownHtml) {
    let in_prose = |at: usize| {
        let i = md.prose.partition_point(|p| p.start <= at);
        i.checked_sub(1).is_some_and(|i| at < md.prose[i].end)
    };
    index.problems.retain(|p| {
        !matches!(
            p.kind,
            ProblemKind::BadCharacterReference
                | ProblemKind::UnescapedLessThan
                | ProblemKind::MalformedComment
                | ProblemKind::MalformedTag
        ) || in_prose(p.span.start)
    });
    let piece_at = |at: usize| {
        let i = md.raw_html.partition_point(|p| p.span.start <= at);
        i.checked_sub(1)
            .map(|i| &md.raw_html[i])
            .filter(|p| at < p.span.end)
    };
    let mut split = Vec::new();
    // One finding per code block: the outermost element around it says it all.
    let mut reported_code: Vec<usize> = Vec::new();
    let mut inline_reported: Option<Span> = None;
    for element in &index.elements {
        let Some(end) = &element.end_tag else {
            continue;
        };
        let (Some(open), Some(close)) = (piece_at(element.start_tag.start), piece_at(end.start))
        else {
            continue;
        };
        if open.block == close.block {
            continue;
        }
        // Inline HTML opened in one paragraph and closed in another: each paragraph becomes a
        // `<p>` of its own, so the tags overlap. A block opened in one HTML block and closed in
        // a later one is fine, unless the Markdown between became a code block.
        let code = md
            .indented_code
            .iter()
            .find(|c| element.start_tag.end <= c.start && c.end <= end.start);
        if let Some(code) = code {
            if reported_code.contains(&code.start) {
                continue;
            }
            reported_code.push(code.start);
        } else if !open.inline
            || inline_reported
                .as_ref()
                .is_some_and(|r: &Span| element.start_tag.start < r.end)
        {
            // Not inline, or inside an element already reported for the same split.
            continue;
        } else {
            inline_reported = Some(element.start_tag.start..end.end);
        }
        let mut problem =
            HtmlProblem::new(ProblemKind::SplitAcrossBlocks, element.start_tag.clone())
                .named(&element.name);
        problem.stray_end = Some(end.clone());
        problem.other = code.map(|c| (String::new(), c.clone()));
        split.push(problem);
    }
    if !split.is_empty() {
        index.problems.extend(split);
        index
            .problems
            .sort_by_key(|p| (p.span.start, p.span.end, p.kind));
    }
}

/// Remove `masked` ranges from the index's text runs (a run that crosses masked code is split
/// around it), so nothing reads code as prose.
pub fn subtract_masked(index: &mut HtmlIndex, masked: &[Span]) {
    if masked.is_empty() {
        return;
    }
    let mut masked = masked.to_vec();
    masked.sort_by_key(|m| m.start);
    // Both lists are in source order: one sweep cuts every text around the masks it overlaps.
    let mut texts = Vec::with_capacity(index.texts.len());
    let mut first = 0;
    for text in index.texts.drain(..) {
        while first < masked.len() && masked[first].end <= text.start {
            first += 1;
        }
        let mut rest = text.clone();
        for m in masked[first..].iter().take_while(|m| m.start < text.end) {
            if m.end <= rest.start {
                continue;
            }
            if m.start > rest.start {
                texts.push(rest.start..m.start);
            }
            rest.start = rest.start.max(m.end);
        }
        if rest.start < rest.end {
            texts.push(rest);
        }
    }
    index.texts = texts;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earlier_namesakes_point_at_the_first_of_each_name_in_short_and_long_tags() {
        for count in [3, ATTRS_SCANNED, ATTRS_SCANNED + 1, 200] {
            let names: Vec<String> = (0..count).map(|i| format!("a{}", i % 7)).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let expected: Vec<Option<usize>> =
                (0..count).map(|i| (i >= 7).then_some(i % 7)).collect();
            assert_eq!(earlier_namesakes(&names), expected, "{count} names");
        }
    }

    #[test]
    fn code_that_may_hold_markup_is_found_conservatively() {
        let yes = [
            "```xml\n<a/>\n```\n",
            "~~~~\n```\n<b>still code</b>\n~~~~\n",
            "Use `<div>` here.\n",
            "A span `that runs\nacross <lines>` ends.\n",
            "Text\n\n    <indented> code\n",
            "```\nunclosed fence &amp;\n",
            "``` not a fence ```\n<b>x</b>\n",
        ];
        let no = [
            "Plain <b>bold</b> text.\n",
            "```\nlet x = 1;\n```\n\n<p>after</p>\n",
            "Use `code` here.\n\nAnd <i>markup</i> in another paragraph.\n",
            "```rust\nfn f() {}\n```\n&amp; done\n",
            "<div>\n    <p>indented HTML in an HTML body</p>\n</div>\n",
            "`ticks` but no markup at all\n",
        ];
        for text in yes {
            assert!(code_may_hold_markup(text, 0..text.len()), "{text:?}");
        }
        for text in no {
            assert!(!code_may_hold_markup(text, 0..text.len()), "{text:?}");
        }
    }

    #[test]
    fn markdown_code_is_not_markup() {
        let text =
            "Intro <!-- real -->\n\n```xml\n<!-- in code -->\n<b>x</b>\n```\n\nand `<i>` inline.\n";
        let md = prepare_markdown(text, 0..text.len()).unwrap();
        let masked = md.masked.unwrap();
        assert_eq!(masked.len(), text.len());
        let mut index = index(&masked, 0..masked.len());
        subtract_masked(&mut index, &md.masked_ranges);
        assert_eq!(index.comments.len(), 1);
        assert_eq!(&text[index.comments[0].span.clone()], "<!-- real -->");
        assert!(index.elements.is_empty());
        assert!(
            index
                .texts
                .iter()
                .all(|t| !text[t.clone()].contains("in code"))
        );
    }

    #[test]
    fn elements_attributes_texts_and_comments_with_spans() {
        let text = "<div class=\"a b\" data-x='1'><p>中文<span id=quote_1></span></p><!-- 总声明--><img src=x.png></div>";
        let index = index(text, 0..text.len());
        let s = |span: &Span| &text[span.clone()];
        let div = &index.elements[0];
        assert_eq!(s(&div.start_tag), "<div class=\"a b\" data-x='1'>");
        assert_eq!(s(div.end_tag.as_ref().unwrap()), "</div>");
        assert_eq!(s(&div.attr("class").unwrap().full), "class=\"a b\"");
        assert_eq!(s(&div.attr("data-x").unwrap().full), "data-x='1'");
        assert_eq!(div.attr("class").unwrap().value, "a b");
        let span = index.elements.iter().find(|e| e.name == "span").unwrap();
        assert_eq!(s(&span.span()), "<span id=quote_1></span>");
        assert!(span.content().is_empty());
        assert_eq!(s(&index.comments[0].span), "<!-- 总声明-->");
        assert_eq!(s(&index.comments[0].text), " 总声明");
        assert_eq!(s(&index.texts[0]), "中文");
        let img = index.elements.iter().find(|e| e.name == "img").unwrap();
        assert!(img.end_tag.is_none());
    }
}
