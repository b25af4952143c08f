use super::{date_values, shown};
use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, OptionKind, Rule, RuleMeta, RuleOption};

/// ## What it checks
/// `date`, `updated` or `lastmod` (the `fields` option) lies in the future by more than the
/// tolerance (`tolerance-hours`, 24 by default, which absorbs time-zone differences). "Now" is
/// the moment the run started, or `--now` / `now = "…"` in artlint.toml for reproducible runs.
///
/// ## Why it matters
/// Hugo and Jekyll do not publish future posts (without `--buildFuture`/`--future`), so the post
/// silently disappears; Hexo publishes it but sorts it above everything else. A year typed wrong
/// (`2201` for `2021`) is the usual cause.
///
/// ## Example
/// ```yaml
/// ---
/// date: 2201-05-22 12:02:19    # DT004: 180 years in the future
/// ---
/// ```
pub struct FutureDate;

static META: RuleMeta = RuleMeta {
    code: "DT004",
    name: "future-date",
    family: Family::Dates,
    severity: Severity::Warning,
    fix: FixKind::None,
    default_enabled: true,
    options: &[
        RuleOption {
            name: "tolerance-hours",
            kind: OptionKind::Integer,
            help: "how far in the future a date may be (default 24)",
        },
        RuleOption {
            name: "fields",
            kind: OptionKind::StringList,
            help: "the date fields checked (default: date, updated, lastmod; publishDate is how posts are scheduled)",
        },
    ],
};

impl Rule for FutureDate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        // Clamped: a tolerance of a million years is "never", not an overflow.
        let tolerance = cx
            .integer("tolerance-hours")
            .unwrap_or(24)
            .clamp(0, 24 * 366 * 1_000_000);
        let fields = cx
            .string_list("fields")
            .unwrap_or_else(|| vec!["date", "updated", "lastmod"]);
        let Ok(limit) = cx
            .now
            .checked_add(jiff::SignedDuration::from_hours(tolerance))
        else {
            return;
        };
        for value in date_values(doc, cx) {
            if !fields
                .iter()
                .any(|f| f.eq_ignore_ascii_case(&value.entry.key))
            {
                continue;
            }
            let (Ok(parsed), Some(text)) = (&value.parsed, &value.text) else {
                continue;
            };
            let Some(at) = parsed.timestamp() else {
                continue;
            };
            if at <= limit {
                continue;
            }
            let days = (at.as_second() - cx.now.as_second()) / 86_400;
            let ahead = match days {
                0 => "less than a day".to_string(),
                1 => "1 day".to_string(),
                d if d < 730 => format!("{d} days"),
                d => format!("{} years", d / 365),
            };
            cx.report(
                value.entry.value.span.clone(),
                format!(
                    "`{}` {} is {ahead} in the future",
                    value.entry.key,
                    shown(text)
                ),
            )
            .help("check the year; Hugo and Jekyll do not publish future posts by default");
        }
    }
}
