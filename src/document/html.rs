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
            CallbackEvent::String { value: _ } => {
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

#[cfg(test)]
mod tests {
    use super::*;

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
