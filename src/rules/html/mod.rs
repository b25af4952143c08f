//! Family HTML: markup errors in the body, found by one parse (html5ever's tokenizer, each
//! token located in the source, feeding its tree builder, see `document::html_parse`), each
//! placed on the tag that caused it.

mod bad_character_reference;
mod duplicate_attribute;
mod duplicate_id;
mod forbidden_element;
mod implicitly_closed_element;
mod malformed_comment;
mod malformed_tag;
mod misnested_tags;
mod missing_doctype;
mod nesting_too_deep;
mod obsolete_element;
mod split_across_blocks;
mod stray_end_tag;
mod unbalanced_div;
mod unclosed_element;
mod unescaped_less_than;

pub use bad_character_reference::BadCharacterReference;
pub use duplicate_attribute::DuplicateAttribute;
pub use duplicate_id::DuplicateId;
pub use forbidden_element::ForbiddenElement;
pub use implicitly_closed_element::ImplicitlyClosedElement;
pub use malformed_comment::MalformedComment;
pub use malformed_tag::MalformedTag;
pub use misnested_tags::MisnestedTags;
pub use missing_doctype::MissingDoctype;
pub use nesting_too_deep::NestingTooDeep;
pub use obsolete_element::ObsoleteElement;
pub use split_across_blocks::SplitAcrossBlocks;
pub use stray_end_tag::StrayEndTag;
pub use unbalanced_div::UnbalancedDiv;
pub use unclosed_element::UnclosedElement;
pub use unescaped_less_than::UnescapedLessThan;

use crate::document::Document;
use crate::document::html::{Element, HtmlProblem, ProblemKind};
use crate::document::html_parse::ParseMode;

/// The body's elements named in the rule's `elements` option (any case), or in `defaults`
/// when the option is not set.
fn listed_elements<'d>(
    doc: &'d Document,
    cx: &crate::rules::Context,
    defaults: &[&str],
) -> Vec<&'d Element> {
    let configured: Option<Vec<String>> = cx
        .string_list("elements")
        .map(|list| list.iter().map(|s| s.to_ascii_lowercase()).collect());
    let listed = |name: &str| match &configured {
        Some(list) => list.iter().any(|n| n == name),
        None => defaults.contains(&name),
    };
    body_elements(doc).filter(|e| listed(&e.name)).collect()
}

/// The body's problems of one kind.
fn problems(doc: &Document, kind: ProblemKind) -> impl Iterator<Item = &HtmlProblem> {
    doc.html_index()
        .problems
        .iter()
        .filter(move |p| p.kind == kind)
}

/// The 1-based line of a byte offset, for messages that point elsewhere.
fn line_of(doc: &Document, offset: usize) -> u32 {
    doc.position(offset).line
}

/// The elements of the article itself: in a whole document, those inside `<body>` (a `<meta>`
/// in `<head>` is where it belongs).
fn body_elements(doc: &Document) -> impl Iterator<Item = &Element> {
    let index = doc.html_index();
    let from = match doc.html_parse_mode() {
        ParseMode::Fragment => 0,
        ParseMode::Document => index
            .elements
            .iter()
            .position(|e| e.name == "body")
            .or_else(|| {
                let head = index.elements.iter().find(|e| e.name == "head")?;
                let end = head.end_tag.as_ref()?.end;
                Some(index.elements.partition_point(|e| e.start_tag.start < end))
            })
            .unwrap_or(0),
    };
    index.elements[from..].iter()
}

/// `<name>`, quoted for a message.
fn tag(name: &str) -> String {
    format!("`<{name}>`")
}

/// Whether `name` is an element of HTML (or SVG/MathML roots) rather than a word in angle
/// brackets that a browser will hide as an unknown element (`<init>`, `<ws>`).
fn is_html_element(name: &str) -> bool {
    const KNOWN: &[&str] = &[
        "a",
        "abbr",
        "address",
        "area",
        "article",
        "aside",
        "audio",
        "b",
        "base",
        "bdi",
        "bdo",
        "blockquote",
        "body",
        "br",
        "button",
        "canvas",
        "caption",
        "center",
        "cite",
        "code",
        "col",
        "colgroup",
        "data",
        "datalist",
        "dd",
        "del",
        "details",
        "dfn",
        "dialog",
        "div",
        "dl",
        "dt",
        "em",
        "embed",
        "fieldset",
        "figcaption",
        "figure",
        "font",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hgroup",
        "hr",
        "html",
        "i",
        "iframe",
        "img",
        "input",
        "ins",
        "kbd",
        "label",
        "legend",
        "li",
        "link",
        "main",
        "map",
        "mark",
        "math",
        "menu",
        "meta",
        "meter",
        "nav",
        "noscript",
        "object",
        "ol",
        "optgroup",
        "option",
        "output",
        "p",
        "picture",
        "pre",
        "progress",
        "q",
        "rp",
        "rt",
        "ruby",
        "s",
        "samp",
        "script",
        "search",
        "section",
        "select",
        "slot",
        "small",
        "source",
        "span",
        "strike",
        "strong",
        "style",
        "sub",
        "summary",
        "sup",
        "svg",
        "table",
        "tbody",
        "td",
        "template",
        "textarea",
        "tfoot",
        "th",
        "thead",
        "time",
        "title",
        "tr",
        "track",
        "tt",
        "u",
        "ul",
        "var",
        "video",
        "wbr",
        "big",
        "marquee",
        "blink",
        "nobr",
        "acronym",
    ];
    KNOWN.contains(&name) || name.contains('-')
}
