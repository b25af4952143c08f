use crate::diagnostic::{Edit, Safety, Severity};
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// The same attribute written twice on one tag (`<img src="a.jpg" src="b.jpg">`).
///
/// ## Why it matters
/// Browsers keep the first and silently drop the rest, so the value the author edited last may
/// be the one that is ignored. Often a sign of two snippets merged by a scraper or a CMS.
///
/// ## Example
/// ```html
/// <img class="wide" src="cover.jpg" class="center">   <!-- HTML005 at the second class -->
/// ```
/// The fix deletes a repeated attribute that repeats the first one's value, which browsers
/// ignore anyway. One with another value gets no fix: it may be the one the author meant (the
/// real photo URL after a lazy-loading stand-in), and deleting it would lose it.
pub struct DuplicateAttribute;

static META: RuleMeta = RuleMeta {
    code: "HTML005",
    name: "duplicate-attribute",
    family: Family::Html,
    severity: Severity::Warning,
    fix: FixKind::Safe,
    default_enabled: true,
    options: &[],
};

impl Rule for DuplicateAttribute {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        for element in &doc.html_index().elements {
            let earlier = element.earlier_namesakes();
            for (attr, earlier) in element.attrs.iter().zip(earlier) {
                let Some(first) = earlier.map(|i| &element.attrs[i]) else {
                    continue;
                };
                // Delete the white space before it too, so the tag stays tidy.
                let before = doc.text[..attr.full.start]
                    .trim_end_matches([' ', '\t'])
                    .len();
                let start = if before >= first.full.end {
                    before
                } else {
                    attr.full.start
                };
                let report = cx
                    .report(
                        attr.full.clone(),
                        format!(
                            "attribute `{}` is given twice on `<{}>`: browsers keep the first and drop this one",
                            attr.name, element.name
                        ),
                    )
                    .label(first.full.clone(), "the value browsers use")
                    .help("keep one of them");
                if attr.value == first.value {
                    report.fix(
                        format!("Delete the repeated `{}`", attr.name),
                        Safety::Safe,
                        vec![Edit::delete(start..attr.full.end)],
                    );
                }
            }
        }
    }
}
