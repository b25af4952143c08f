//! Family DT: every date in the front matter, parsed strictly (see `src/dates.rs`).

mod date_too_early;
mod filename_date_mismatch;
mod future_date;
mod impossible_date;
mod missing_timezone;
mod non_preferred_date_format;
mod unparseable_date;
mod updated_before_date;
mod weekday_mismatch;

pub use date_too_early::DateTooEarly;
pub use filename_date_mismatch::FilenameDateMismatch;
pub use future_date::FutureDate;
pub use impossible_date::ImpossibleDate;
pub use missing_timezone::MissingTimezone;
pub use non_preferred_date_format::NonPreferredDateFormat;
pub use unparseable_date::UnparseableDate;
pub use updated_before_date::UpdatedBeforeDate;
pub use weekday_mismatch::WeekdayMismatch;

use crate::dates::{DateError, ParsedDate};
use crate::document::{Document, Entry};
use crate::rules::Context;

/// One front-matter field that holds a date, with its verdict.
pub(crate) struct DateValue<'d> {
    pub entry: &'d Entry,
    /// The value as written, when it is text (a string or a TOML datetime).
    pub text: Option<String>,
    pub parsed: Result<ParsedDate, DateError>,
}

/// The date fields of the document (`date-fields`, matched with the preset's case rule),
/// parsed once per document. Empty values are FM007's concern and are left out.
pub(crate) fn date_values<'d>(doc: &'d Document, cx: &Context) -> Vec<DateValue<'d>> {
    let Some(fields) = doc.fields() else {
        return Vec::new();
    };
    let entries = fields.entries();
    doc.field_dates(cx.date_fields, cx.preset.case_insensitive)
        .iter()
        .map(|d| DateValue {
            entry: &entries[d.entry],
            text: d.text.clone(),
            parsed: d.parsed.clone(),
        })
        .collect()
}

/// The first date field named `key` that parsed.
pub(crate) fn parsed_field<'a>(
    values: &'a [DateValue],
    key: &str,
) -> Option<(&'a DateValue<'a>, &'a ParsedDate)> {
    values
        .iter()
        .find(|v| v.entry.key.eq_ignore_ascii_case(key))
        .and_then(|v| v.parsed.as_ref().ok().map(|p| (v, p)))
}

/// A value for a message: quoted, control characters escaped, long values cut.
pub(crate) fn shown(text: &str) -> String {
    const MAX: usize = 40;
    let escaped: String = text.chars().flat_map(char::escape_debug).collect();
    if escaped.chars().count() > MAX {
        let cut: String = escaped.chars().take(MAX).collect();
        format!("`{cut}…` ({} characters)", text.chars().count())
    } else {
        format!("`{escaped}`")
    }
}
