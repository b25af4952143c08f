use super::date_values;
use crate::dates::DateError;
use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// An RFC 2822 date (`Thu, 02 Dec 2021 07:56:55 GMT`) whose weekday is not the weekday of its
/// date.
///
/// ## Why it matters
/// The weekday is redundant, so when it disagrees one of the two parts is wrong and nobody can
/// tell which: a feed that computed the weekday in another time zone, or a hand edit of the day
/// that forgot the weekday. Strict parsers (Ruby's `Time.rfc2822`, jiff) refuse the date.
///
/// ## Example
/// ```yaml
/// ---
/// date: Fri, 02 Dec 2021 07:56:55 GMT    # DT003: 2 December 2021 was a Thursday
/// ---
/// ```
pub struct WeekdayMismatch;

static META: RuleMeta = RuleMeta {
    code: "DT003",
    name: "weekday-mismatch",
    family: Family::Dates,
    severity: Severity::Error,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for WeekdayMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        for value in date_values(doc, cx) {
            if let Err(error @ DateError::WeekdayMismatch { .. }) = &value.parsed {
                cx.report(
                    value.entry.value.span.clone(),
                    format!("`{}`: {error}", value.entry.key),
                )
                .help("fix the weekday or the day, whichever the source says is wrong");
            }
        }
    }
}
