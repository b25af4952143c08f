use crate::diagnostic::Severity;
use crate::document::Document;
use crate::document::html::ProblemKind;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// Tags the parser cannot read as written: markup pasted inside an attribute value
/// (`<a href="<a href=…">`), attributes run together or with a stray quote in their name, a tag
/// never closed with `>`, `</>`, an end tag with attributes, and XML pasted into HTML
/// (`<?xml …?>` declarations and processing instructions, which HTML hides as comments).
///
/// ## Why it matters
/// The browser guesses: the link goes to a broken address, attributes are lost, the text up to
/// the next `>` disappears, or pasted XML shows as a jumble of unknown elements with its
/// declaration silently dropped.
///
/// ## Example
/// ```html
/// <a href="<a href="https://example.com/">link</a>">link</a>   <!-- HTML015 at the first tag -->
/// ```
pub struct MalformedTag;

static META: RuleMeta = RuleMeta {
    code: "HTML015",
    name: "malformed-tag",
    family: Family::Html,
    severity: Severity::Error,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for MalformedTag {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        // Built once: a scraped body can hold thousands of malformed tags.
        let mut elements_by_start_tag = None;
        for problem in super::problems(doc, ProblemKind::MalformedTag) {
            let by_start_tag = elements_by_start_tag.get_or_insert_with(|| {
                (doc.html_index().elements.iter().rev())
                    .map(|e| ((e.start_tag.start, e.start_tag.end), e))
                    .collect::<rustc_hash::FxHashMap<_, _>>()
            });
            let markup_in_value = by_start_tag
                .get(&(problem.span.start, problem.span.end))
                .and_then(|e| {
                    e.attrs.iter().find(|a| {
                        let v = a.value.trim_start();
                        v.starts_with('<') && v[1..].starts_with(|c: char| c.is_ascii_alphabetic())
                    })
                });
            let (message, help) = if let Some(attr) = markup_in_value {
                (
                    format!(
                        "the value of `{}` holds a tag (`{}`): markup was pasted into an attribute",
                        attr.name,
                        attr.value.chars().take(24).collect::<String>()
                    ),
                    "keep only the address in the attribute; the link text goes between the tags",
                )
            } else {
                match problem.detail {
                    "unexpected-question-mark-instead-of-tag-name" => (
                        "`<?…?>` is XML, not HTML: the browser hides it as a comment (raw XML pasted into the post?)"
                            .to_string(),
                        "show XML in a code block, or escape its `<` as `&lt;`",
                    ),
                    "missing-whitespace-between-attributes" => (
                        "attributes run together: a space is missing, or a quote is out of place".to_string(),
                        "separate attributes with a space and check the quotes",
                    ),
                    "unexpected-character-in-attribute-name" => (
                        "a quote, `<` or `=` inside an attribute name: a quote or `=` is missing".to_string(),
                        "write attributes as name=\"value\"",
                    ),
                    "unexpected-character-in-unquoted-attribute-value" => (
                        "a quote, `<`, `=` or backtick in an attribute value without quotes".to_string(),
                        "put the value in double quotes",
                    ),
                    "unexpected-equals-sign-before-attribute-name" => (
                        "`=` where an attribute name should be".to_string(),
                        "write attributes as name=\"value\"",
                    ),
                    "missing-attribute-value" => (
                        "`=` with no value after it".to_string(),
                        "give the attribute a value, or drop the `=`",
                    ),
                    "unexpected-solidus-in-tag" => (
                        "a `/` in the middle of a tag".to_string(),
                        "quote attribute values that contain `/`",
                    ),
                    "end-tag-with-attributes" => (
                        "an end tag with attributes: they are ignored".to_string(),
                        "move the attributes to the start tag",
                    ),
                    "missing-end-tag-name" => (
                        "`</>` is not a tag: the browser drops it".to_string(),
                        "write the element's name (`</p>`) or delete it",
                    ),
                    _ => (
                        "this tag is never closed with `>`: the rest of the body is read as its attributes"
                            .to_string(),
                        "end the tag with `>`",
                    ),
                }
            };
            cx.report(problem.span.clone(), message).help(help);
        }
    }
}
