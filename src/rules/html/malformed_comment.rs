use crate::diagnostic::Severity;
use crate::document::Document;
use crate::document::html::ProblemKind;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// HTML comments the parser reads differently from what the author meant: a `<!--` never
/// closed, a `<!--` inside a comment, `--!>` instead of `-->`, the empty `<!-->`, and `<!…>`
/// that is not a comment at all (a "bogus comment").
///
/// ## Why it matters
/// An unclosed comment hides everything after it: the rest of the post disappears without an
/// error. The other forms end the comment early or late, showing scraps of CMS markers or hiding
/// a paragraph.
///
/// ## Example
/// ```html
/// <!-- 正文开始
/// <p>The whole article…</p>   <!-- HTML007 at the first <!--: never closed -->
/// ```
pub struct MalformedComment;

static META: RuleMeta = RuleMeta {
    code: "HTML007",
    name: "malformed-comment",
    family: Family::Html,
    severity: Severity::Error,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for MalformedComment {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        for problem in super::problems(doc, ProblemKind::MalformedComment) {
            let (message, help) = match problem.detail {
                "eof-in-comment" => {
                    let hidden = doc.text[problem.span.start..].lines().count();
                    (
                        format!(
                            "this comment is never closed: everything after it ({hidden} lines) is hidden"
                        ),
                        "end the comment with `-->`",
                    )
                }
                "nested-comment" => (
                    "`<!--` inside a comment: comments do not nest, the first `-->` ends both".to_string(),
                    "close the outer comment first, or remove the inner `<!--`",
                ),
                "incorrectly-closed-comment" => (
                    "`--!>` is not a correct comment end (browsers end the comment there, as a parse error)".to_string(),
                    "write `-->`",
                ),
                "abrupt-closing-of-empty-comment" => (
                    "`<!-->` is an empty comment that closes at once: the text after it shows".to_string(),
                    "write `<!-- … -->` with the text inside",
                ),
                _ => (
                    "`<!` that does not start a comment: the browser hides everything up to the next `>`"
                        .to_string(),
                    "write a comment as `<!-- … -->`, or escape `<` as `&lt;`",
                ),
            };
            cx.report(problem.span.clone(), message).help(help);
        }
    }
}
