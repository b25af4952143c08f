use crate::diagnostic::Severity;
use crate::document::Document;
use crate::document::html::ProblemKind;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// Elements nested more than 1,024 deep. artlint follows the structure of the body up to that
/// depth; past it, the structure checks (HTML001–HTML004, HTML012) stop for that file, and this
/// rule says where. The tokenizer-level checks go on to the end.
///
/// ## Why it matters
/// No hand-written post nests that deep: it is nearly always a tag opened in a loop and never
/// closed, by a broken export or a template. Browsers give up too (they stop nesting at a limit
/// of their own and flatten the rest), so the page does not look like what the source says.
///
/// ## Example
/// ```html
/// <div><div><div>…  <!-- 1,025 `<div>`s, none closed: HTML016 on the 1,025th -->
/// ```
pub struct NestingTooDeep;

static META: RuleMeta = RuleMeta {
    code: "HTML016",
    name: "nesting-too-deep",
    family: Family::Html,
    severity: Severity::Error,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for NestingTooDeep {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        for problem in super::problems(doc, ProblemKind::TooDeep) {
            cx.report(
                problem.span.clone(),
                format!(
                    "`<{}>` nests more than 1,024 elements deep; structure checks stop here",
                    problem.name
                ),
            )
            .help(
                "close the elements a loop or a broken export left open: no post nests this deep",
            );
        }
    }
}
