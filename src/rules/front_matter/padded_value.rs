use super::{is_block_scalar, literal_value_span};
use crate::diagnostic::{Edit, Safety, Severity};
use crate::document::{Document, Node, Value};
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// A front-matter string value starts or ends with white space, inside its quotes
/// (`title: ' Hello '`) or as invisible full-width spaces (`title: 　标题`). Block scalars
/// (`|`, `>`) are exempt, and blank values are FM007's.
///
/// ## Why it matters
/// The spaces end up in the page title, the `<title>` tag, the feed and the share cards; sorting
/// and duplicate detection treat `Hello` and ` Hello` as different. Scrapers leave them behind
/// when they copy a heading with its indentation.
///
/// ## Example
/// ```yaml
/// ---
/// title: '  Twitter 在全球遭遇宕机 '    # FM010
/// ---
/// ```
/// The fix trims the value inside its quotes.
pub struct PaddedValue;

static META: RuleMeta = RuleMeta {
    code: "FM010",
    name: "padded-value",
    family: Family::FrontMatter,
    severity: Severity::Warning,
    fix: FixKind::Safe,
    default_enabled: true,
    options: &[],
};

impl Rule for PaddedValue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        let Some(fields) = doc.fields() else { return };
        for entry in fields.entries() {
            check_node(doc, &entry.key, &entry.value, cx);
        }
    }
}

fn check_node(doc: &Document, key: &str, node: &Node, cx: &mut Context) {
    match &node.value {
        Value::String(s) => {
            let trimmed = s.trim();
            if trimmed.len() == s.len()
                || trimmed.is_empty()
                || is_block_scalar(doc.slice(&node.span))
            {
                return;
            }
            let where_ = match (
                s.starts_with(char::is_whitespace),
                s.ends_with(char::is_whitespace),
            ) {
                (true, true) => "starts and ends",
                (true, false) => "starts",
                _ => "ends",
            };
            let report = cx.report(
                node.span.clone(),
                format!("`{key}` {where_} with white space"),
            );
            report.help("remove the spaces around the value");
            if let Some(span) = literal_value_span(doc, node, s) {
                report.fix(
                    "Trim the value",
                    Safety::Safe,
                    vec![Edit::replace(span, trimmed)],
                );
            }
        }
        Value::Seq(items) => items.iter().for_each(|n| check_node(doc, key, n, cx)),
        Value::Map(entries) => entries
            .iter()
            .for_each(|e| check_node(doc, &e.key, &e.value, cx)),
        _ => {}
    }
}
