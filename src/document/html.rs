//! A light index of a body's HTML, with byte spans: elements (start tag, attributes, end tag),
//! text runs and comments. Built once per document with html5gum's tokenizer, only when a rule
//! asks (the boilerplate packs). It does not build a tree: end tags are matched to start tags by
//! name on a stack, as a browser would for well-formed markup.

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span as GumSpan, Tokenizer};

use crate::diagnostic::Span;

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
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }

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

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HtmlIndex {
    pub elements: Vec<Element>,
    /// Raw spans of text between tags.
    pub texts: Vec<Span>,
    pub comments: Vec<Comment>,
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Index the HTML of `text[range]`; spans are absolute.
pub fn index(text: &str, range: Span) -> HtmlIndex {
    let Some(source) = text.get(range.clone()) else {
        return HtmlIndex::default();
    };
    let base = range.start;
    let mut out = HtmlIndex::default();
    let mut open: Vec<usize> = Vec::new();
    let mut current: Option<Element> = None;
    let emitter = CallbackEmitter::new(|event: CallbackEvent<'_>, span: GumSpan<usize>| {
        match event {
            CallbackEvent::OpenStartTag { name } => {
                current = Some(Element {
                    name: String::from_utf8_lossy(name).to_ascii_lowercase(),
                    attrs: Vec::new(),
                    start_tag: base + span.start..base + span.end,
                    end_tag: None,
                });
            }
            CallbackEvent::AttributeName { name } => {
                if let Some(el) = current.as_mut() {
                    let name_span = base + span.start..base + span.end;
                    el.attrs.push(Attr {
                        name: String::from_utf8_lossy(name).to_ascii_lowercase(),
                        value: String::new(),
                        full: name_span.clone(),
                        name_span,
                        value_span: None,
                    });
                }
            }
            CallbackEvent::AttributeValue { value } => {
                if let Some(attr) = current.as_mut().and_then(|el| el.attrs.last_mut()) {
                    let value_span = base + span.start..base + span.end;
                    let closing = source.as_bytes().get(span.end).copied();
                    let quoted = matches!(closing, Some(b'"' | b'\''))
                        && span.start > 0
                        && source.as_bytes()[span.start - 1] == closing.unwrap_or(0);
                    attr.full = attr.full.start..value_span.end + usize::from(quoted);
                    attr.value = String::from_utf8_lossy(value).into_owned();
                    attr.value_span = Some(value_span);
                }
            }
            CallbackEvent::CloseStartTag { self_closing } => {
                if let Some(mut el) = current.take() {
                    el.start_tag.end = base + span.end;
                    let void = self_closing || VOID.contains(&el.name.as_str());
                    out.elements.push(el);
                    if !void {
                        open.push(out.elements.len() - 1);
                    }
                }
            }
            CallbackEvent::EndTag { name } => {
                let name = String::from_utf8_lossy(name).to_ascii_lowercase();
                if let Some(depth) = open.iter().rposition(|i| out.elements[*i].name == name) {
                    let index = open[depth];
                    open.truncate(depth);
                    out.elements[index].end_tag = Some(base + span.start..base + span.end);
                }
            }
            // White space alone says nothing (and in a masked Markdown body it stands for code).
            CallbackEvent::String { value } if !value.iter().all(u8::is_ascii_whitespace) => {
                out.texts.push(base + span.start..base + span.end);
            }
            CallbackEvent::Comment { value } => {
                // The span is the whole `<!-- … -->`; the text is found inside it.
                let raw = source.as_bytes().get(span.start..span.end).unwrap_or(&[]);
                let inner = memchr::memmem::find(raw, value).map_or(span.start..span.start, |i| {
                    span.start + i..span.start + i + value.len()
                });
                out.comments.push(Comment {
                    span: base + span.start..base + span.end,
                    text: base + inner.start..base + inner.end,
                });
            }
            _ => {}
        }
        None::<std::convert::Infallible>
    });
    // A string input never fails to tokenize.
    let _ = Tokenizer::new_with_emitter(source, emitter).finish();
    out
}

/// For a Markdown body: the text with code blocks and code spans blanked out (same length, same
/// line breaks), so that HTML shown as code (`<!-- … -->` in an XML example) is not taken for
/// markup. `None` when the body has no code at all.
pub fn mask_markdown_code(text: &str, range: Span) -> Option<(String, Vec<Span>)> {
    let body = text.get(range.clone())?;
    // A body that opens with a tag is HTML kept in a `.md` file (feed mirrors write them so):
    // its indented lines are indented markup. Elsewhere, indentation makes a code block.
    let html_body = body.trim_start().starts_with('<');
    let indented_code = !html_body && (body.contains("\n    ") || body.contains("\n\t"));
    let has_code = body.contains('`') || body.contains("~~~") || indented_code;
    if !has_code {
        return None;
    }
    let mut bytes = text.as_bytes().to_vec();
    let mut masked = Vec::new();
    let mut blank = |r: std::ops::Range<usize>| {
        masked.push(range.start + r.start..range.start + r.end);
        for b in &mut bytes[range.start + r.start..range.start + r.end] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    };
    let parser = pulldown_cmark::Parser::new(body).into_offset_iter();
    for (event, r) in parser {
        match event {
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::CodeBlock(kind))
                if indented_code || matches!(kind, pulldown_cmark::CodeBlockKind::Fenced(_)) =>
            {
                blank(r);
            }
            pulldown_cmark::Event::Code(_) => blank(r),
            _ => {}
        }
    }
    // Whole bytes were replaced by ASCII spaces: still UTF-8.
    String::from_utf8(bytes).ok().map(|t| (t, masked))
}

/// Remove `masked` ranges from the index's text runs (a run that crosses masked code is split
/// around it), so nothing reads code as prose.
pub fn subtract_masked(index: &mut HtmlIndex, masked: &[Span]) {
    if masked.is_empty() {
        return;
    }
    let mut texts = Vec::with_capacity(index.texts.len());
    for text in index.texts.drain(..) {
        let mut pieces = vec![text];
        for m in masked {
            pieces = pieces
                .into_iter()
                .flat_map(|p| {
                    if m.end <= p.start || p.end <= m.start {
                        vec![p]
                    } else {
                        [p.start..m.start.max(p.start), m.end.min(p.end)..p.end]
                            .into_iter()
                            .filter(|r| !r.is_empty())
                            .collect()
                    }
                })
                .collect();
        }
        texts.extend(pieces);
    }
    index.texts = texts;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_code_is_not_markup() {
        let text =
            "Intro <!-- real -->\n\n```xml\n<!-- in code -->\n<b>x</b>\n```\n\nand `<i>` inline.\n";
        let (masked, ranges) = mask_markdown_code(text, 0..text.len()).unwrap();
        assert_eq!(masked.len(), text.len());
        let mut index = index(&masked, 0..masked.len());
        subtract_masked(&mut index, &ranges);
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
