use crate::diagnostic::Severity;
use crate::document::Document;
use crate::document::html::ProblemKind;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// In Markdown, raw HTML whose element is opened in one Markdown block and closed in another in
/// a way the renderer breaks: an inline tag (`<span>`, `<a>`, `<b>`) opened in one paragraph
/// and closed in the next, or an HTML block whose content, after a blank line, is indented
/// enough to become a code block. A `<div>` or `<details>` that wraps Markdown between blank
/// lines is fine and is not reported.
///
/// ## Why it matters
/// Markdown wraps each paragraph in its own `<p>`, so a tag spanning two paragraphs overlaps
/// them and browsers repair it differently. A blank line ends an HTML block; indented lines
/// after it are shown as code, with the tags printed as text.
///
/// ## Example
/// ```markdown
/// <span class="note">First paragraph.
///
/// Second paragraph.</span>   <!-- HTML014 at <span> -->
/// ```
pub struct SplitAcrossBlocks;

static META: RuleMeta = RuleMeta {
    code: "HTML014",
    name: "split-across-blocks",
    family: Family::Html,
    severity: Severity::Warning,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for SplitAcrossBlocks {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        for problem in super::problems(doc, ProblemKind::SplitAcrossBlocks) {
            let name = &problem.name;
            let Some(end) = &problem.stray_end else {
                continue;
            };
            let end_line = super::line_of(doc, end.start);
            match &problem.other {
                Some((_, code)) => {
                    let line = super::line_of(doc, code.start);
                    cx.report(
                        problem.span.clone(),
                        format!(
                            "the HTML block opened by {} ends at a blank line, and the indented lines from line {line} are shown as code",
                            super::tag(name)
                        ),
                    )
                    .label(code.clone(), "rendered as a code block")
                    .label(end.clone(), format!("`</{name}>` on line {end_line}"))
                    .help("remove the blank lines inside the HTML block, or indent its content less than 4 spaces");
                }
                None => {
                    cx.report(
                        problem.span.clone(),
                        format!(
                            "{} is opened in one paragraph and closed in another (line {end_line}): each paragraph becomes its own `<p>`, so the tags overlap",
                            super::tag(name)
                        ),
                    )
                    .label(end.clone(), "closed here, in another paragraph")
                    .help("close it in the same paragraph, or use a block element (`<div>`) on lines of its own");
                }
            }
        }
    }
}
