use super::{REQUIRED_FIELDS_OPTION, field, required_fields};
use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// A required field is present but has no value: null, an empty or blank string (`' '`), or an
/// empty list.
///
/// ## Why it matters
/// The post renders with a blank title or heading, and archives and feeds list an empty entry.
/// Scrapers write this when the source page had no title; it is as bad as a missing field but
/// harder to spot, because the key is there.
///
/// ## Example
/// ```yaml
/// ---
/// title: ' '            # FM007: `title` is blank
/// date: 2021-07-01 08:04:00
/// ---
/// ```
pub struct EmptyRequiredValue;

static META: RuleMeta = RuleMeta {
    code: "FM007",
    name: "empty-required-value",
    family: Family::FrontMatter,
    severity: Severity::Error,
    fix: FixKind::None,
    default_enabled: true,
    options: &[REQUIRED_FIELDS_OPTION],
};

impl Rule for EmptyRequiredValue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        let Some(fields) = doc.fields() else { return };
        for name in required_fields(cx) {
            let Some(entry) = field(cx, fields, name) else {
                continue;
            };
            if !entry.value.value.is_empty() {
                continue;
            }
            let span = if entry.value.span.is_empty() {
                entry.key_span.clone()
            } else {
                entry.value.span.clone()
            };
            cx.report(span, format!("required field `{}` is blank", entry.key))
                .help(format!(
                    "give `{}` a value, or remove the post if it has none",
                    entry.key
                ));
        }
    }
}
