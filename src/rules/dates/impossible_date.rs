use super::date_values;
use crate::dates::DateError;
use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// A date field is spelled like a date but names a day or a time that does not exist:
/// February 30th, April 31st, February 29th of a year that is not a leap year, month 13,
/// `25:61`, an offset of `+2500`. The numbers are checked by `jiff`.
///
/// ## Why it matters
/// Generators disagree on impossible dates: some roll `2021-02-30` over to March 2nd, some
/// refuse the post, some keep the string. Either way the post is not dated as its author meant.
///
/// ## Example
/// ```yaml
/// ---
/// title: Quarterly report
/// date: 2021-02-30 10:00:00    # DT002: February has no 30th
/// ---
/// ```
pub struct ImpossibleDate;

static META: RuleMeta = RuleMeta {
    code: "DT002",
    name: "impossible-date",
    family: Family::Dates,
    severity: Severity::Error,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for ImpossibleDate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        for value in date_values(doc, cx) {
            if let Err(DateError::Impossible(why)) = &value.parsed {
                cx.report(
                    value.entry.value.span.clone(),
                    format!("`{}` is impossible: {why}", value.entry.key),
                )
                .help("check the day, month and time against the original source");
            }
        }
    }
}
