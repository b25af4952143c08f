use super::{date_values, shown};
use crate::dates::{DateError, DateFormat};
use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, OptionKind, Rule, RuleMeta, RuleOption};

/// ## What it checks
/// A date field (`date`, `updated`, `lastmod`, `publishDate`, `expiryDate`; set with
/// `date-fields`) holds something that is not a date in any accepted spelling: a typo such as
/// `2018-02-24  +0800` (an offset but no time), `22/05/2021`, a number, a list. The spellings
/// are RFC 2822 (`Thu, 02 Dec 2021 07:56:55 GMT`), RFC 3339 (`2021-12-02T07:56:55+08:00`),
/// date-time (`2021-12-02 07:56:55`, with an optional offset) and date (`2021-12-02`); the
/// `formats` option narrows them.
///
/// ## Why it matters
/// Hexo falls back to the file's modification time, Jekyll stops the build with "Invalid date",
/// Hugo treats the post as undated and sorts it last. Nobody notices until the archive is wrong.
///
/// ## Example
/// ```yaml
/// ---
/// title: 舌尖上的中国
/// date: 2018-02-24  +0800     # DT001: no time between the date and the offset
/// ---
/// ```
/// Configure:
/// ```toml
/// [rules.unparseable-date]
/// formats = ["rfc3339", "date"]
/// ```
pub struct UnparseableDate;

static META: RuleMeta = RuleMeta {
    code: "DT001",
    name: "unparseable-date",
    family: Family::Dates,
    severity: Severity::Error,
    fix: FixKind::None,
    default_enabled: true,
    options: &[RuleOption {
        name: "formats",
        kind: OptionKind::Choices(&["rfc2822", "rfc3339", "datetime", "date"]),
        help: "accepted spellings: rfc2822, rfc3339, datetime, date (default: all)",
    }],
};

impl Rule for UnparseableDate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        let accepted: Vec<DateFormat> = match cx.string_list("formats") {
            Some(names) => names
                .iter()
                .filter_map(|n| DateFormat::parse_name(n))
                .collect(),
            None => DateFormat::ALL.to_vec(),
        };
        let spellings = || {
            accepted
                .iter()
                .map(|f| format!("`{}` ({})", f.example(), f.name()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        for value in date_values(doc, cx) {
            let key = &value.entry.key;
            let span = value.entry.value.span.clone();
            let message = match (&value.text, &value.parsed) {
                (None, _) => format!(
                    "`{key}` is {}, not a date",
                    value.entry.value.value.type_name()
                ),
                (Some(text), Err(DateError::Unparseable)) => {
                    format!("`{key}` is not a date: {}", shown(text))
                }
                (Some(_), Ok(parsed)) if !accepted.contains(&parsed.format) => format!(
                    "`{key}` is written as {}, which this site does not accept",
                    parsed.format.name()
                ),
                _ => continue,
            };
            cx.report(span, message)
                .help(format!("write it as one of: {}", spellings()));
        }
    }
}
