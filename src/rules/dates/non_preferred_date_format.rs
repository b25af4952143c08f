use super::{date_values, shown};
use crate::dates;
use crate::diagnostic::{Edit, Safety, Severity};
use crate::document::{Document, Value};
use crate::rules::{
    Context, Family, FixKind, OptionKind, Rule, RuleMeta, RuleOption, literal_value_span,
};

/// ## What it checks
/// A date field not written in the project's preferred format (`format`, a strftime pattern,
/// `%Y-%m-%d %H:%M:%S` by default). Off by default. The safe fix rewrites the value in that
/// format, keeping the same instant: a value with an offset is converted to `timezone` (an
/// IANA name or `+08:00`) when the format has no offset; without `timezone` no fix is offered,
/// since dropping the offset would move the post.
///
/// ## Why it matters
/// A corpus merged from feeds holds RFC 2822, ISO and Hexo dates side by side. One spelling
/// keeps diffs small, `grep` and scripts simple, and every generator and theme agreeing on the
/// day.
///
/// ## Example
/// ```yaml
/// ---
/// date: Thu, 02 Dec 2021 07:56:55 GMT    # DT009: preferred `2021-12-02 07:56:55`
/// ---
/// ```
/// Configure:
/// ```toml
/// [rules.non-preferred-date-format]
/// format = "%Y-%m-%d %H:%M:%S"
/// timezone = "Asia/Shanghai"
/// ```
pub struct NonPreferredDateFormat;

static META: RuleMeta = RuleMeta {
    code: "DT009",
    name: "non-preferred-date-format",
    family: Family::Dates,
    severity: Severity::Warning,
    fix: FixKind::Safe,
    default_enabled: false,
    options: &[
        RuleOption {
            name: "format",
            kind: OptionKind::Strftime,
            help: "strftime pattern of the preferred spelling (default \"%Y-%m-%d %H:%M:%S\")",
        },
        RuleOption {
            name: "timezone",
            kind: OptionKind::TimeZone,
            help: "zone to convert dates with an offset to (an IANA name such as Asia/Shanghai, or +08:00)",
        },
    ],
};

impl Rule for NonPreferredDateFormat {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        let pattern = cx.string("format").unwrap_or("%Y-%m-%d %H:%M:%S");
        // Both validated when the configuration was loaded.
        let zone = cx.string("timezone").and_then(dates::time_zone);
        for value in date_values(doc, cx) {
            let (Ok(parsed), Some(text)) = (&value.parsed, &value.text) else {
                continue;
            };
            let preferred = dates::format(parsed, pattern, zone.as_ref());
            if preferred.as_deref() == Some(text.as_str()) {
                continue;
            }
            let key = &value.entry.key;
            let report = cx.report(
                value.entry.value.span.clone(),
                format!(
                    "`{key}` {} is not in the preferred format `{pattern}`",
                    shown(text)
                ),
            );
            let Some(preferred) = preferred else {
                report.help(
                    "set `timezone` for this rule so the date can be rewritten without moving it",
                );
                continue;
            };
            // Offer the rewrite only when it reads back as the same instant (zone-less values in
            // the site's zone), and stays a datetime in TOML.
            let zone = zone.as_ref();
            let same_instant = dates::parse(&preferred)
                .ok()
                .and_then(|p| p.instant_in(zone))
                == parsed.instant_in(zone);
            let valid_here = !matches!(value.entry.value.value, Value::Datetime(_))
                || preferred.parse::<toml::value::Datetime>().is_ok();
            let span = literal_value_span(doc, &value.entry.value, text);
            let why_not = if !same_instant {
                "artlint could not read it back as the same instant"
            } else if !valid_here {
                "it would not be a valid TOML datetime"
            } else {
                "the value is not written literally"
            };
            match span.filter(|_| same_instant && valid_here) {
                Some(span) => {
                    report.help(format!("write `{preferred}`")).fix(
                        format!("Rewrite as `{preferred}`"),
                        Safety::Safe,
                        vec![Edit::replace(span, preferred)],
                    );
                }
                None => {
                    report.help(format!(
                        "write `{preferred}` (not rewritten automatically: {why_not})"
                    ));
                }
            }
        }
    }
}
