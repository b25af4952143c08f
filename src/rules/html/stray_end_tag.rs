use crate::diagnostic::{Edit, Safety, Severity};
use crate::document::Document;
use crate::document::html::ProblemKind;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// An end tag with nothing to close: `</span>` when no `<span>` is open. (A stray `</div>` is
/// HTML012's, and an end tag left over because its element was closed early is HTML004's.)
///
/// ## Why it matters
/// Browsers drop it, but it is a sign that text was cut out or pasted in around it, and a stray
/// `</p>` even makes an empty paragraph. The next edit may make it close something it should not.
///
/// ## Example
/// ```html
/// <p>Read more</span> on our site.</p>   <!-- HTML001 at </span> -->
/// ```
/// The fix deletes the end tag (browsers ignore it anyway), except `</p>`, which browsers turn
/// into an empty paragraph; `</br>` is rewritten as the `<br>` browsers read it as.
pub struct StrayEndTag;

static META: RuleMeta = RuleMeta {
    code: "HTML001",
    name: "stray-end-tag",
    family: Family::Html,
    severity: Severity::Warning,
    fix: FixKind::Safe,
    default_enabled: true,
    options: &[],
};

impl Rule for StrayEndTag {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        for problem in super::problems(doc, ProblemKind::StrayEndTag) {
            let name = &problem.name;
            if name == "br" {
                cx.report(
                    problem.span.clone(),
                    "`</br>` is not an end tag: browsers read it as `<br>`",
                )
                .help("write `<br>`")
                .fix(
                    "Write `<br>`",
                    Safety::Safe,
                    vec![Edit::replace(problem.span.clone(), "<br>")],
                );
                continue;
            }
            let finding = cx
                .report(
                    problem.span.clone(),
                    format!(
                        "`</{name}>` closes nothing: no {} is open here",
                        super::tag(name)
                    ),
                )
                .help(format!(
                    "delete it, or add the missing {} where the element should start",
                    super::tag(name)
                ));
            if name != "p" {
                finding.fix(
                    format!("Delete the stray `</{name}>`"),
                    Safety::Safe,
                    vec![Edit::delete(problem.span.clone())],
                );
            }
        }
    }
}
