use super::{date_values, parsed_field, shown};
use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// `updated` (Hexo) or `lastmod` (Hugo) is earlier than `date`: the post would have been
/// updated before it was written.
///
/// ## Why it matters
/// Themes print "last updated" next to the date and sitemaps send `lastmod` to search engines;
/// an update before publication is nonsense to readers and makes crawlers skip the page. It
/// usually means the two fields were swapped, or one lost its time zone.
///
/// ## Example
/// ```yaml
/// ---
/// date: 2021-05-22 12:02:19
/// updated: 2021-05-20 09:00:00    # DT007: two days before `date`
/// ---
/// ```
pub struct UpdatedBeforeDate;

static META: RuleMeta = RuleMeta {
    code: "DT007",
    name: "updated-before-date",
    family: Family::Dates,
    severity: Severity::Warning,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for UpdatedBeforeDate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        let values = date_values(doc, cx);
        let Some((date_value, date)) = parsed_field(&values, "date") else {
            return;
        };
        let Some(published) = date.timestamp() else {
            return;
        };
        for key in ["updated", "lastmod"] {
            let Some((value, parsed)) = parsed_field(&values, key) else {
                continue;
            };
            let Some(updated) = parsed.timestamp() else {
                continue;
            };
            if updated >= published {
                continue;
            }
            let text = value.text.as_deref().unwrap_or_default();
            cx.report(
                value.entry.value.span.clone(),
                format!(
                    "`{}` {} is earlier than `date`",
                    value.entry.key,
                    shown(text)
                ),
            )
            .label(date_value.entry.value.span.clone(), "published here")
            .help("an update cannot come before publication: swap the two, or fix the time zone");
        }
    }
}
