use crate::diagnostic::Severity;
use crate::document::Document;
use crate::document::html::ProblemKind;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// Tags that overlap instead of nesting: an end tag that closes an element while another one,
/// opened inside it, is still open (`<b><i>…</b></i>`).
///
/// ## Why it matters
/// HTML has no overlapping elements. Browsers repair the overlap with the "adoption agency"
/// algorithm, which clones elements: the text after the tag ends up styled differently in every
/// theme, reader mode and feed reader.
///
/// ## Example
/// ```html
/// <b>Update: <i>prices rose</b> again</i>   <!-- HTML003 at </b> -->
/// ```
pub struct MisnestedTags;

static META: RuleMeta = RuleMeta {
    code: "HTML003",
    name: "misnested-tags",
    family: Family::Html,
    severity: Severity::Warning,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for MisnestedTags {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        for problem in super::problems(doc, ProblemKind::Misnested) {
            let name = &problem.name;
            match &problem.other {
                Some((inner, inner_span)) => {
                    cx.report(
                        problem.span.clone(),
                        format!(
                            "`</{name}>` closes {} while {} inside it is still open: the tags overlap",
                            super::tag(name),
                            super::tag(inner)
                        ),
                    )
                    .label(inner_span.clone(), format!("{} opened here", super::tag(inner)))
                    .help(format!("close the inner element first: `</{inner}></{name}>`"));
                }
                None => {
                    cx.report(
                        problem.span.clone(),
                        format!(
                            "`</{name}>` does not match the elements open here: the tags overlap"
                        ),
                    )
                    .help("close elements in the reverse order they were opened");
                }
            }
        }
    }
}
