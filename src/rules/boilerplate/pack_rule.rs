//! A rule defined by a pack entry (see `src/packs.rs`): its matcher finds spans in the body's
//! HTML index; its fix deletes or replaces them. The docs of each rule come from its pack entry
//! (`artlint rule BP101`).

use std::sync::LazyLock;

use memchr::memmem::Finder;

use crate::diagnostic::{Edit, Safety, Span};
use crate::document::html::{Element, HtmlIndex};
use crate::document::{Document, FileKind};
use crate::packs::{Matcher, PackFix};
use crate::rules::{Context, Rule, RuleMeta};

/// Searchers for the fixed needles, built once (building one costs more than searching a short
/// text run).
static COMMENT_OPEN: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"<!--"));
static HTTP: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"http"));

#[derive(Debug)]
pub struct PackRule {
    pub meta: &'static RuleMeta,
    pub matcher: Matcher,
    pub fix: Option<PackFix>,
    pub safety: Safety,
    pub message: String,
    pub help: Option<String>,
    pub kinds: Vec<FileKind>,
}

/// What a match is, for choosing what a delete removes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Text,
    Comment,
    Element,
    Attr,
    Url,
}

impl Rule for PackRule {
    fn meta(&self) -> &'static RuleMeta {
        self.meta
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        if !self.kinds.contains(&doc.kind) {
            return;
        }
        // A whole-body test first: most bodies do not contain the phrase or pattern at all,
        // and then no text run needs looking at.
        let body = doc.slice(&doc.body);
        let may_match = match &self.matcher {
            Matcher::Phrase(phrase) => phrase.find(body.as_bytes()).is_some(),
            Matcher::Regex(re) => re.is_match(body),
            Matcher::Comment { .. } => COMMENT_OPEN.find(body.as_bytes()).is_some(),
            _ => true,
        };
        if !may_match {
            return;
        }
        let index = doc.html_index();
        let holders = Holders::new(index);
        for (span, unit) in self.find(doc, index) {
            let edit = self
                .fix
                .as_ref()
                .and_then(|fix| edit_for(doc, &holders, &span, unit, fix, &self.matcher));
            // An element that may mean something (an anchor's id, an icon's class, a style,
            // spacing written as `&nbsp;`) is deleted only when unsafe fixes are asked for.
            let safety = if let Matcher::Element(selector) = &self.matcher
                && self.fix == Some(PackFix::Delete)
                && holders
                    .element_at(&span)
                    .is_some_and(|el| may_mean_something(doc, el, selector))
            {
                Safety::Unsafe
            } else {
                self.safety
            };
            let report = cx.report(span, self.message.clone());
            if let Some(help) = &self.help {
                report.help(help.clone());
            }
            if let Some(edit) = edit {
                let title = if edit.replacement.is_empty() {
                    "Delete it".to_string()
                } else {
                    format!("Replace with `{}`", edit.replacement)
                };
                report.fix(title, safety, vec![edit]);
            }
        }
    }
}

impl PackRule {
    fn find(&self, doc: &Document, index: &HtmlIndex) -> Vec<(Span, Unit)> {
        let mut out = Vec::new();
        match &self.matcher {
            Matcher::Phrase(phrase) => {
                for text in &index.texts {
                    let raw = doc.slice(text);
                    let len = phrase.needle().len();
                    for at in phrase.find_iter(raw.as_bytes()) {
                        out.push((text.start + at..text.start + at + len, Unit::Text));
                    }
                }
            }
            Matcher::Regex(re) => {
                for text in &index.texts {
                    for m in re.find_iter(doc.slice(text)).filter(|m| !m.is_empty()) {
                        out.push((text.start + m.start()..text.start + m.end(), Unit::Text));
                    }
                }
            }
            Matcher::Comment { pattern, except } => {
                for comment in &index.comments {
                    let text = doc.slice(&comment.text);
                    if pattern.is_match(text) && !except.iter().any(|e| e.is_match(text)) {
                        out.push((comment.span.clone(), Unit::Comment));
                    }
                }
            }
            Matcher::Element(selector) => {
                for el in &index.elements {
                    if selector.matches(el) && (!selector.empty || is_empty(doc, index, el)) {
                        out.push((el.span(), Unit::Element));
                    }
                }
            }
            Matcher::Attr(names) => {
                for el in &index.elements {
                    for attr in el.attrs.iter().filter(|a| names.contains(&a.name)) {
                        out.push((attr.full.clone(), Unit::Attr));
                    }
                }
            }
            Matcher::Url(re) => {
                // Markdown links and images live in the text, not in attributes: each URL there
                // is judged whole, and reported at its start.
                if doc.kind == FileKind::Markdown {
                    // The text last read, and where in it the next URL may start: an `http`
                    // inside a URL (a proxy's target) is part of that URL.
                    let mut resume: Option<(&Span, usize)> = None;
                    for (text, start) in http_in_texts(doc, &index.texts) {
                        if resume.is_some_and(|(t, from)| std::ptr::eq(t, text) && start < from) {
                            continue;
                        }
                        let raw = doc.slice(text);
                        let len = url_len(&raw[start..]);
                        let url = &raw[start..start + len];
                        if (url.starts_with("http://") || url.starts_with("https://"))
                            && re.is_match(url)
                        {
                            out.push((text.start + start..text.start + start + len, Unit::Url));
                        }
                        resume = Some((text, start + len.max(4)));
                    }
                }
                for el in &index.elements {
                    for attr in el
                        .attrs
                        .iter()
                        .filter(|a| matches!(a.name.as_str(), "href" | "src"))
                    {
                        if let Some(span) = &attr.value_span
                            && re.is_match(&attr.value)
                        {
                            out.push((span.clone(), Unit::Url));
                        }
                    }
                }
            }
        }
        out
    }
}

/// How long the URL that starts `text` is: up to the first white space (Unicode's) or `)`, `]`,
/// `>`, `"` or `'`. Told byte by byte, decoding only the characters that may be white space: a
/// URL in CJK text runs on to the next space, often the paragraph's end, and decoding every
/// character on the way cost more than the rest of the rule.
fn url_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        let step = match b {
            b'\t'..=b'\r' | b' ' | b')' | b']' | b'>' | b'"' | b'\'' => return at,
            0x00..=0x7F => 1,
            // The lead bytes of the white space above ASCII: U+0085, U+00A0, U+1680,
            // U+2000 to U+205F, U+3000.
            0xC2 | 0xE1 | 0xE2 | 0xE3 => match text.get(at..).and_then(|t| t.chars().next()) {
                Some(c) if c.is_whitespace() => return at,
                Some(c) => c.len_utf8(),
                None => 1,
            },
            0xF0..=0xFF => 4,
            0xE0..=0xEF => 3,
            _ => 2,
        };
        at += step;
    }
    bytes.len()
}

/// Each `http` that lies whole in one of `texts` (sorted, apart), with where it starts in that
/// text, found in one search over the stretch the texts cover: a search per text cost more
/// to set up than to run on Markdown's many short texts. (Texts out of order are searched one
/// by one.)
fn http_in_texts<'t>(doc: &Document, texts: &'t [Span]) -> Vec<(&'t Span, usize)> {
    let mut out = Vec::new();
    let (Some(first), Some(last)) = (texts.first(), texts.last()) else {
        return out;
    };
    let in_order =
        texts.iter().all(|t| t.start <= t.end) && texts.windows(2).all(|w| w[0].end <= w[1].start);
    let stretch = doc
        .text
        .as_bytes()
        .get(first.start..last.end)
        .filter(|_| in_order);
    let Some(stretch) = stretch else {
        for text in texts {
            let raw = doc.slice(text).as_bytes();
            out.extend(HTTP.find_iter(raw).map(|at| (text, at)));
        }
        return out;
    };
    let mut holder = 0;
    for hit in HTTP.find_iter(stretch) {
        let at = first.start + hit;
        // The first text that ends past this `http`: the one holding it, if any does.
        while texts.get(holder).is_some_and(|t| t.end < at + 4) {
            holder += 1;
        }
        let Some(text) = texts.get(holder) else {
            break;
        };
        if text.start <= at && !doc.slice(text).is_empty() {
            out.push((text, at - text.start));
        }
    }
    out
}

/// No text but white space (and no child elements) between the tags.
fn is_empty(doc: &Document, index: &HtmlIndex, el: &Element) -> bool {
    let content = el.content();
    let blank = |text: &str| text.chars().all(|c| c.is_whitespace() || c == '\u{a0}');
    let content_text = doc.slice(&content);
    el.end_tag.is_some()
        // Copied with its spaces written out only when it holds a character reference.
        && if content_text.contains('&') {
            blank(&content_text.replace("&nbsp;", " ").replace("&#160;", " "))
        } else {
            blank(content_text)
        }
        && {
            // Elements are in document order: a child would be the first to start inside.
            let next = index
                .elements
                .partition_point(|e| e.start_tag.start < content.start);
            index
                .elements
                .get(next)
                .is_none_or(|e| e.start_tag.start >= content.end)
        }
}

/// Whether an "empty" element the selector matched may still mean something: an `id` the
/// post links to (`href="#section-2"`), a `class` or `style` the selector did not ask for (an
/// icon font's glyph, a spacer's height), or content that is white space or a character
/// reference (`&nbsp;` for spacing, a space between two words).
fn may_mean_something(doc: &Document, el: &Element, selector: &crate::packs::Selector) -> bool {
    let asked = |name: &str| selector.attrs.iter().any(|(a, _)| a == name);
    let linked = |id: &str| {
        ["\"", "'", ")"]
            .iter()
            .any(|end| doc.text.contains(&format!("#{id}{end}")))
    };
    let content = doc.slice(&el.content());
    // What `:empty` let through: white space, which spaces two words in a `<span>`, and in any
    // element `&nbsp;` or an ideographic space, which white-space collapsing keeps (spacers).
    let spacing = selector.empty
        && (content.contains(['\u{a0}', '\u{3000}'])
            || content.contains("&nbsp;")
            || content.contains("&#160;")
            || (!content.is_empty() && !crate::document::html::is_block_name(&el.name)));
    spacing
        || el.attrs.iter().any(|a| match a.name.as_str() {
            "id" => selector.id.is_none() && !a.value.is_empty() && linked(&a.value),
            "class" => selector.classes.is_empty() && !asked("class"),
            "style" => !asked("style"),
            _ => false,
        })
}

/// Whether `el` holds no text but `span` (which lies in one of its texts) and white space, and
/// no element (an image beside the match would go with it).
fn holds_only(doc: &Document, index: &HtmlIndex, el: &Element, span: &Span) -> bool {
    let content = el.content();
    let blank = |range: Span| doc.text.get(range).is_some_and(|t| t.trim().is_empty());
    let first = index.texts.partition_point(|t| t.start < content.start);
    let only_text = (index.texts[first..].iter())
        .take_while(|t| t.end <= content.end)
        .all(|t| {
            if t.start <= span.start && span.end <= t.end {
                blank(t.start..span.start) && blank(span.end..t.end)
            } else {
                blank(t.clone())
            }
        });
    // Elements are in document order: a child would be the first to start inside.
    let next = index
        .elements
        .partition_point(|e| e.start_tag.start < content.start);
    only_text
        && index
            .elements
            .get(next)
            .is_none_or(|e| e.start_tag.start >= content.end)
}

/// For each element, the nearest earlier one still open where it starts (one whose content
/// has not ended before its start tag): the chain [`Holders::innermost`] climbs.
fn enclosing_elements(index: &HtmlIndex) -> Vec<Option<usize>> {
    let mut open: Vec<usize> = Vec::new();
    (index.elements.iter().enumerate())
        .map(|(i, el)| {
            while let Some(&top) = open.last()
                && index.elements[top].content().end < el.start_tag.start
            {
                open.pop();
            }
            let enclosing = open.last().copied();
            open.push(i);
            enclosing
        })
        .collect()
}

/// A body's elements, and what finding the one holding a text match needs.
struct Holders<'i> {
    index: &'i HtmlIndex,
    /// [`enclosing_elements`], built at the first text match a delete fix removes.
    enclosing: std::cell::OnceCell<Vec<Option<usize>>>,
}

impl<'i> Holders<'i> {
    fn new(index: &'i HtmlIndex) -> Self {
        Holders {
            index,
            enclosing: std::cell::OnceCell::new(),
        }
    }

    /// The element whose whole span is `span` (an element match).
    fn element_at(&self, span: &Span) -> Option<&'i Element> {
        let elements = &self.index.elements;
        let at = elements.partition_point(|el| el.start_tag.start < span.start);
        elements.get(at).filter(|el| el.span() == *span)
    }

    /// Whether `span` lies in the content of an element named one of `names`.
    fn within(&self, span: &Span, names: &[&str]) -> bool {
        self.holding(span)
            .any(|el| names.contains(&el.name.as_str()))
    }

    /// The last element to start whose content holds `span`: of those around it, the
    /// innermost. Climbs from the last element starting before `span` through
    /// [`enclosing_elements`]: each element a step passes over was closed before the step's
    /// start, so before `span`, and holds it not. Steps are as many as elements open around
    /// `span`, where walking back over every earlier element made a post of many matches after
    /// many elements quadratic.
    fn innermost(&self, span: &Span) -> Option<&'i Element> {
        self.holding(span).next()
    }

    /// The elements whose content holds `span`, innermost first (see [`Holders::innermost`]).
    fn holding<'s>(&'s self, span: &'s Span) -> impl Iterator<Item = &'i Element> + 's {
        let index = self.index;
        let enclosing = self.enclosing.get_or_init(|| enclosing_elements(index));
        let before = index
            .elements
            .partition_point(|el| el.start_tag.start <= span.start);
        let mut at = before.checked_sub(1);
        std::iter::from_fn(move || {
            while let Some(i) = at {
                at = enclosing.get(i).copied().flatten();
                let el = &index.elements[i];
                let content = el.content();
                if content.start <= span.start && span.end <= content.end {
                    return Some(el);
                }
            }
            None
        })
    }
}

fn edit_for(
    doc: &Document,
    holders: &Holders,
    span: &Span,
    unit: Unit,
    fix: &PackFix,
    matcher: &Matcher,
) -> Option<Edit> {
    // A comment never closed runs to the end of the body, hiding the rest of the post (HTML007
    // says so): removing it would remove the post. It gets no fix.
    if unit == Unit::Comment && !is_closed_comment(doc.slice(span)) {
        return None;
    }
    match fix {
        PackFix::Replace(with) => {
            let replacement = match matcher {
                Matcher::Regex(re) => re.replace(doc.slice(span), with.as_str()).into_owned(),
                // URLs are matched decoded (`&amp;` is `&`): replace in the decoded form and
                // write it back encoded as it was.
                Matcher::Url(re) => {
                    let raw = doc.slice(span);
                    let encoded = raw.contains("&amp;");
                    let replaced = re
                        .replace_all(&raw.replace("&amp;", "&"), with.as_str())
                        .into_owned();
                    if encoded {
                        replaced.replace('&', "&amp;")
                    } else {
                        replaced
                    }
                }
                _ => with.clone(),
            };
            Some(Edit::replace(span.clone(), replacement))
        }
        PackFix::Delete => Some(Edit::delete(match unit {
            // In preformatted text a line is content: only the match goes.
            Unit::Comment | Unit::Element if holders.within(span, PREFORMATTED) => span.clone(),
            Unit::Comment | Unit::Element => removable_line(doc, span),
            Unit::Attr => {
                // The attribute and the white space before it.
                let before = doc.text[..span.start]
                    .trim_end_matches([' ', '\t', '\n', '\r'])
                    .len();
                before..span.end
            }
            Unit::Text => {
                // The innermost element holding nothing but the match goes with it. Only the
                // innermost one around it can: any outer one holds what that one holds and
                // more. Judged by its texts until one holds more than white space: a test of
                // every element's whole text made a post of many matches cubic.
                // A table cell goes with its text only: the row's later cells would move.
                let holder = holders.innermost(span).filter(|el| {
                    !matches!(el.name.as_str(), "td" | "th")
                        && holds_only(doc, holders.index, el, span)
                });
                let span = holder.map_or_else(|| span.clone(), Element::span);
                if holders.within(&span, PREFORMATTED) {
                    span
                } else {
                    removable_line(doc, &span)
                }
            }
            Unit::Url => return None,
        })),
    }
}

/// Elements whose text is kept as written, line breaks included.
const PREFORMATTED: &[&str] = &["pre", "textarea", "listing", "xmp"];

/// What deleting `span` removes: its whole line when nothing else is on it, except the line
/// break after a line of Markdown text and before another line, which would join the blocks
/// the line kept apart (`Para one`, `<!-- note -->`, `Para two` are two paragraphs; without
/// the line, one).
fn removable_line(doc: &Document, span: &Span) -> Span {
    let line = doc.whole_line(span);
    if doc.kind != FileKind::Markdown || line == *span {
        return line;
    }
    let text = &doc.text;
    let previous = text[..line.start]
        .strip_suffix('\n')
        .map(|before| before.rsplit('\n').next().unwrap_or(before));
    let next = text[line.end..].split('\n').next();
    // Only a paragraph before the line is joined to what follows: after a line of HTML (an
    // HTML block runs to the next blank line) the next line was in that block already.
    let paragraph =
        previous.is_some_and(|l| !l.trim().is_empty() && !l.trim_start().starts_with('<'));
    let has_text = next.is_some_and(|l| !l.trim().is_empty());
    if !(paragraph && has_text) {
        return line;
    }
    // Keep the line break (and a `\r` before it): an empty line stands where the line was.
    let content = text[line.clone()].trim_end_matches(['\n', '\r']);
    line.start..line.start + content.len()
}

/// Whether a comment's source ends as a comment is closed: `-->`, or `--!>`, which the
/// parser also takes as its end.
fn is_closed_comment(source: &str) -> bool {
    source.ends_with("-->") || source.ends_with("--!>")
}

#[cfg(test)]
mod tests {

    use super::{Holders, http_in_texts, url_len};
    use crate::document::Document;

    /// Climbing the enclosing chain finds the element that walking back over every earlier
    /// one finds, on generated HTML: nested, misnested, unclosed and void elements, tables
    /// (whose text the parser moves), and spans anywhere in the texts.
    #[test]
    fn the_enclosing_chain_finds_the_innermost_holder() {
        let pieces = [
            "<div>",
            "</div>",
            "<p>",
            "</p>",
            "<b>",
            "</b>",
            "<i>",
            "</i>",
            "<span>",
            "</span>",
            "<table>",
            "<td>",
            "</table>",
            "<li>",
            "<br>",
            "<img src=x>",
            "text",
            "资讯 ",
            " ",
            "\n",
            "<!-- c -->",
        ];
        let mut rng = crate::test_rng::Xorshift::new(0x9e37_79b9_7f4a_7c15);
        let mut holders = 0;
        for _ in 0..400 {
            let mut text = String::from("---\ntitle: a\n---\n");
            for _ in 0..rng.below(60) {
                text.push_str(pieces[rng.below(pieces.len())]);
            }
            let doc = Document::from_text("a.html", &text);
            let index = doc.html_index();
            let lookup = Holders::new(index);
            for t in &index.texts {
                for _ in 0..4 {
                    let len = t.end - t.start;
                    let start = t.start + rng.below(len + 1);
                    let end = start + rng.below(t.end - start + 1);
                    let span = start..end;
                    let walked_back = index.elements.iter().rev().find(|el| {
                        let c = el.content();
                        el.start_tag.start <= span.start
                            && c.start <= span.start
                            && span.end <= c.end
                    });
                    let climbed = lookup.innermost(&span);
                    assert_eq!(
                        climbed.map(|el| el.start_tag.clone()),
                        walked_back.map(|el| el.start_tag.clone()),
                        "{text:?} {span:?}"
                    );
                    holders += usize::from(climbed.is_some());
                }
            }
        }
        assert!(holders > 1000, "few spans had a holder: {holders}");
    }

    /// The byte-by-byte scan ends a URL where the definition does, on generated text of ASCII,
    /// CJK, every kind of white space, the delimiters and characters of every length.
    #[test]
    fn a_url_ends_at_the_first_white_space_or_delimiter() {
        let pieces = [
            "a", "/", ".", "?x=1", "资讯", "，", "é", "𝄞", " ", "\t", "\u{b}", "\u{85}", "\u{a0}",
            "\u{1680}", "\u{2003}", "\u{2028}", "\u{202f}", "\u{205f}", "\u{3000}", "\u{3001}",
            "\u{2019}", "\u{200b}", "\u{1c}", ")", "]", ">", "\"", "'", "(", "\u{feff}",
        ];
        let by_chars = |text: &str| {
            text.find(|c: char| c.is_whitespace() || matches!(c, ')' | ']' | '>' | '"' | '\''))
                .unwrap_or(text.len())
        };
        let mut rng = crate::test_rng::Xorshift::new(0x5851_f42d_4c95_7f2d);
        for _ in 0..20_000 {
            let mut text = String::from("http://x.org/");
            for _ in 0..rng.next_u64() % 10 {
                text.push_str(pieces[(rng.next_u64() % pieces.len() as u64) as usize]);
            }
            assert_eq!(url_len(&text), by_chars(&text), "{text:?}");
        }
        // Every character, between text and a delimiter: each lead byte's step, and each
        // character that shares a white-space character's lead byte (© and U+180E).
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            let text = format!("a{c}b)");
            assert_eq!(url_len(&text), by_chars(&text), "{c:?}");
        }
    }

    #[test]
    fn http_is_found_whole_in_each_text_in_one_search() {
        let text = "http a http\nbhttp ht|tp http://x?u=http://y\nhttp";
        let doc = Document::from_text("a.md", text);
        let at = |needle: &str, from: usize| from + text[from..].find(needle).unwrap();
        // Texts apart, one ending inside an `http` (not whole there), one holding none.
        let texts = vec![
            0..9,
            9..18,
            at("ht|tp", 0)..at("ht|tp", 0) + 5,
            27..text.len(),
        ];
        let found: Vec<(usize, usize)> = http_in_texts(&doc, &texts)
            .into_iter()
            .map(|(t, start)| (t.start, start))
            .collect();
        let by_text = |texts: &[std::ops::Range<usize>]| -> Vec<(usize, usize)> {
            texts
                .iter()
                .flat_map(|t| {
                    let raw = text.get(t.clone()).unwrap_or("");
                    raw.match_indices("http").map(move |(i, _)| (t.start, i))
                })
                .collect()
        };
        assert_eq!(found, by_text(&texts));
        assert_eq!(found, [(0, 0), (9, 4), (27, 8), (27, 17)]);
        // Texts out of order, reversed or past the end are searched one by one, with the
        // same result.
        #[allow(clippy::reversed_empty_ranges)]
        for unordered in [
            vec![27..text.len(), 0..9],
            vec![9..5, 5..30],
            vec![0..9, 27..text.len() + 1],
        ] {
            let found: Vec<(usize, usize)> = http_in_texts(&doc, &unordered)
                .into_iter()
                .map(|(t, start)| (t.start, start))
                .collect();
            assert_eq!(found, by_text(&unordered), "{unordered:?}");
        }
    }
}
