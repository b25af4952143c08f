use rustc_hash::FxHashMap as HashMap;

use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// Two elements in the body with the same `id`.
///
/// ## Why it matters
/// An `id` names one element: links to `#id` and tables of contents jump to the first, scripts
/// and styles pick one at random. Posts built from pasted sections repeat ids such as `#intro`.
///
/// ## Example
/// ```html
/// <h2 id="summary">Summary</h2> … <div id="summary">…</div>   <!-- HTML006 at the second -->
/// ```
pub struct DuplicateId;

static META: RuleMeta = RuleMeta {
    code: "HTML006",
    name: "duplicate-id",
    family: Family::Html,
    severity: Severity::Warning,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for DuplicateId {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        let mut first: HashMap<&str, &crate::document::html::Attr> = HashMap::default();
        for element in &doc.html_index().elements {
            // The first `id` is the one browsers use (HTML005 reports the others).
            let Some(id) = element.attr("id") else {
                continue;
            };
            let value = id.value.trim();
            if value.is_empty() {
                continue;
            }
            match first.get(value) {
                None => {
                    first.insert(value, id);
                }
                Some(earlier) => {
                    let line = super::line_of(doc, earlier.full.start);
                    cx.report(
                        id.full.clone(),
                        format!("id `{value}` is already used on line {line}"),
                    )
                    .label(earlier.full.clone(), "first used here")
                    .help("give each element its own id; links to `#id` go to the first");
                }
            }
        }
    }
}
