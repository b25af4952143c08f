use super::{date_values, shown};
use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, OptionKind, Rule, RuleMeta, RuleOption};

/// ## What it checks
/// A date field lies before the earliest plausible year for the site (`earliest-year`, 1990 by
/// default).
///
/// ## Why it matters
/// Dates like `1970-01-01` (a zero Unix timestamp), `0001-01-01` (Go's zero time) or `1900`
/// come from importers that lost the real date. The post sinks to the bottom of the archive
/// and its URL carries the wrong year.
///
/// ## Example
/// ```yaml
/// ---
/// date: 1970-01-01 00:00:00    # DT005: before 1990
/// ---
/// ```
pub struct DateTooEarly;

static META: RuleMeta = RuleMeta {
    code: "DT005",
    name: "date-too-early",
    family: Family::Dates,
    severity: Severity::Warning,
    fix: FixKind::None,
    default_enabled: true,
    options: &[RuleOption {
        name: "earliest-year",
        kind: OptionKind::Integer,
        help: "the first year a post may carry (default 1990)",
    }],
};

impl Rule for DateTooEarly {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        let earliest = cx.integer("earliest-year").unwrap_or(1990);
        for value in date_values(doc, cx) {
            let (Ok(parsed), Some(text)) = (&value.parsed, &value.text) else {
                continue;
            };
            if i64::from(parsed.date().year()) >= earliest {
                continue;
            }
            cx.report(
                value.entry.value.span.clone(),
                format!("`{}` {} is before {earliest}", value.entry.key, shown(text)),
            )
            .help("an importer probably lost the real date (1970 is a zero timestamp); restore it from the source");
        }
    }
}
