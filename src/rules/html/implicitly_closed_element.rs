use crate::diagnostic::Severity;
use crate::document::Document;
use crate::document::html::ProblemKind;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// A start tag that makes the browser close an element the source still means to be open: a
/// block (`<div>`, `<ul>`, `<table>`) inside `<p>`, a link inside a link, a heading inside a
/// heading. It is reported where the closing happens, with the element it closes and the end
/// tag that is left with nothing to close.
///
/// ## Why it matters
/// The page is not built the way it reads: the `<p>` ends before the `<div>`, its `</p>` makes
/// an empty paragraph, and styles meant for the paragraph miss the block. Nested links are split
/// into two, and the second one loses its text.
///
/// ## Example
/// ```html
/// <p>See the table:<table>…</table></p>   <!-- HTML004 at <table> -->
/// ```
pub struct ImplicitlyClosedElement;

static META: RuleMeta = RuleMeta {
    code: "HTML004",
    name: "implicitly-closed-element",
    family: Family::Html,
    severity: Severity::Warning,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for ImplicitlyClosedElement {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        for problem in super::problems(doc, ProblemKind::ImplicitlyClosed) {
            let Some((outer, outer_span)) = &problem.other else {
                continue;
            };
            let name = &problem.name;
            let (message, help) = if name == outer {
                (
                    format!(
                        "{} cannot be nested in another {}: the browser closes the open one here",
                        super::tag(name),
                        super::tag(outer)
                    ),
                    format!("close the first one with `</{outer}>` before opening the next"),
                )
            } else {
                (
                    format!(
                        "{} cannot sit inside {}: the browser closes the {} here",
                        super::tag(name),
                        super::tag(outer),
                        super::tag(outer)
                    ),
                    format!(
                        "close {} before {}, or change {} to a `<div>`",
                        super::tag(outer),
                        super::tag(name),
                        super::tag(outer)
                    ),
                )
            };
            let finding = cx.report(problem.span.clone(), message);
            finding.label(
                outer_span.clone(),
                format!("{} opened here", super::tag(outer)),
            );
            if let Some(stray) = &problem.stray_end {
                finding.label(stray.clone(), "so this end tag closes nothing");
            }
            finding.help(help);
        }
    }
}
