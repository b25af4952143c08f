use crate::diagnostic::{Edit, Safety, Severity};
use crate::document::Document;
use crate::document::html::ProblemKind;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// A bare `<` in HTML text that does not start a tag (`a < b`, `<3`, `<=`). In Markdown prose a
/// bare `<` is escaped by the renderer and is not reported; in raw HTML it is.
///
/// ## Why it matters
/// Browsers show it as text by an error-recovery rule, but one edit away it starts a tag that
/// swallows the text after it (`a <b` hides " and c" in `a <b and c`). Feed readers and XML
/// tools reject it.
///
/// ## Example
/// ```html
/// <p>If x < 10, stop.</p>   <!-- HTML009 at < -->
/// ```
/// The fix writes `&lt;`, which shows the same.
pub struct UnescapedLessThan;

static META: RuleMeta = RuleMeta {
    code: "HTML009",
    name: "unescaped-less-than",
    family: Family::Html,
    severity: Severity::Warning,
    fix: FixKind::Safe,
    default_enabled: true,
    options: &[],
};

impl Rule for UnescapedLessThan {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        for problem in super::problems(doc, ProblemKind::UnescapedLessThan) {
            cx.report(problem.span.clone(), "a bare `<` in text")
                .help("write `&lt;` so that it can never start a tag")
                .fix(
                    "Write `&lt;`",
                    Safety::Safe,
                    vec![Edit::replace(problem.span.clone(), "&lt;")],
                );
        }
    }
}
