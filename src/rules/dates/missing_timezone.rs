use super::{date_values, shown};
use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// A date field with a time of day but no time zone (`2021-05-22 12:02:19`). Off by default:
/// enable it for sites built on machines in several time zones.
///
/// ## Why it matters
/// Without an offset the generator reads the time in the build machine's zone (Jekyll, Hugo)
/// or the site's `timezone` setting (Hexo): the same post can change day, and URL, between a
/// laptop and CI.
///
/// ## Example
/// ```yaml
/// ---
/// date: 2021-05-22 00:30:00    # DT008: which midnight?
/// ---
/// ```
/// Use instead: `date: 2021-05-22 00:30:00 +0800`.
pub struct MissingTimezone;

static META: RuleMeta = RuleMeta {
    code: "DT008",
    name: "missing-timezone",
    family: Family::Dates,
    severity: Severity::Warning,
    fix: FixKind::None,
    default_enabled: false,
    options: &[],
};

impl Rule for MissingTimezone {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        for value in date_values(doc, cx) {
            let (Ok(parsed), Some(text)) = (&value.parsed, &value.text) else {
                continue;
            };
            if !parsed.has_time || parsed.offset.is_some() {
                continue;
            }
            cx.report(
                value.entry.value.span.clone(),
                format!(
                    "`{}` {} has a time but no time zone",
                    value.entry.key,
                    shown(text)
                ),
            )
            .help("add the offset, e.g. `+0800` or `Z`");
        }
    }
}
