use crate::diagnostic::Severity;
use crate::document::Document;
use crate::document::html::ProblemKind;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// `<div>`s that do not pair up: a `</div>` with no `<div>` open, or a `<div>` never closed.
/// The message counts both in the body.
///
/// ## Why it matters
/// A post is placed inside the theme's own `<div>`s. An extra `</div>` in the body closes one of
/// the theme's, pushing the sidebar or footer into the wrong column; a missing one swallows them.
/// It is the most common way an imported post breaks a page's layout.
///
/// ## Example
/// ```html
/// <div class="note">Read the original.</div></div>   <!-- HTML012 at the second </div> -->
/// ```
pub struct UnbalancedDiv;

static META: RuleMeta = RuleMeta {
    code: "HTML012",
    name: "unbalanced-div",
    family: Family::Html,
    severity: Severity::Error,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for UnbalancedDiv {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        let index = doc.html_index();
        let mut problems = super::problems(doc, ProblemKind::UnbalancedDiv).peekable();
        if problems.peek().is_none() {
            return;
        }
        let opened = index.elements.iter().filter(|e| e.name == "div").count();
        let closed = index.end_tags.iter().filter(|e| e.name == "div").count();
        let count = format!("the body has {opened} `<div>` and {closed} `</div>`");
        for problem in problems {
            if doc.slice(&problem.span).starts_with("</") {
                cx.report(
                    problem.span.clone(),
                    format!("`</div>` closes no `<div>` of the post ({count})"),
                )
                .help("delete it: on a page it closes one of the theme's `<div>`s and breaks the layout");
            } else {
                cx.report(
                    problem.span.clone(),
                    format!("`<div>` is never closed ({count})"),
                )
                .help("add `</div>` where the block should end: on a page it swallows the theme's footer");
            }
        }
    }
}
