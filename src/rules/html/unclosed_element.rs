use crate::diagnostic::Severity;
use crate::document::Document;
use crate::document::html::ProblemKind;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// An element that is never closed: left open at the end of the body, or still open when an
/// enclosing element's end tag closes it. Elements whose end tag HTML allows to be left out
/// (`<p>`, `<li>`, `<td>`, …) are not reported, nor is `<div>` (HTML012).
///
/// ## Why it matters
/// Everything after the start tag inherits the element: a `<b>` left open makes the rest of the
/// post bold, an unclosed `<a>` turns it into one link, and themes that append a footer after the
/// body get it wrapped too.
///
/// ## Example
/// ```html
/// <p>Price: <b>¥ 1,049 per jin.</p>   <!-- HTML002 at <b> -->
/// ```
pub struct UnclosedElement;

static META: RuleMeta = RuleMeta {
    code: "HTML002",
    name: "unclosed-element",
    family: Family::Html,
    severity: Severity::Warning,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for UnclosedElement {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        for problem in super::problems(doc, ProblemKind::UnclosedElement) {
            let name = &problem.name;
            if problem.detail == "self-closing" {
                cx.report(
                    problem.span.clone(),
                    format!(
                        "`<{name}/>` opens a {} that is never closed: HTML ignores the `/` on elements that are not void",
                        super::tag(name)
                    ),
                )
                .help(format!("write `<{name}></{name}>`"));
                continue;
            }
            let hidden = match name.as_str() {
                "style" => Some("CSS"),
                "script" => Some("script"),
                "textarea" | "title" | "xmp" | "noembed" | "noframes" => Some("plain text"),
                _ => None,
            };
            if let Some(what) = hidden {
                cx.report(
                    problem.span.clone(),
                    format!(
                        "{} is never closed: everything after it is read as {what}, not shown as the post",
                        super::tag(name)
                    ),
                )
                .help(format!(
                    "add `</{name}>`, or write `&lt;{name}>` if the tag is meant as text"
                ));
                continue;
            }
            let help = if super::is_html_element(name) {
                format!("add `</{name}>` where the element should end")
            } else {
                format!(
                    "`<{name}>` is not an HTML element, so browsers hide it: write `&lt;{name}>` to show it as text"
                )
            };
            cx.report(
                problem.span.clone(),
                format!("{} is never closed", super::tag(name)),
            )
            .help(help);
        }
    }
}
