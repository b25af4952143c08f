use super::{date_values, parsed_field};
use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, OptionKind, Rule, RuleMeta, RuleOption};

/// ## What it checks
/// The `date` field names another day than the file name's `YYYY-MM-DD-` prefix (Jekyll's
/// `_posts` convention). With `folders = true`, also a year (and month) folder such as
/// `2021/05/` that disagrees with `date`. The date is compared as written, in its own zone.
///
/// ## Why it matters
/// Jekyll takes the post's date, and so its URL and its place in the archive, from `date` when
/// it is set, and from the file name otherwise: the two disagreeing means a post that moved, or
/// an edit of one that forgot the other. Links made from the file name break.
///
/// ## Example
/// ```yaml
/// # _posts/2018-05-12-campus-workers.md
/// ---
/// date: 2018-05-04             # DT006: the file name says 2018-05-12
/// ---
/// ```
pub struct FilenameDateMismatch;

static META: RuleMeta = RuleMeta {
    code: "DT006",
    name: "filename-date-mismatch",
    family: Family::Dates,
    severity: Severity::Warning,
    fix: FixKind::None,
    default_enabled: true,
    options: &[RuleOption {
        name: "folders",
        kind: OptionKind::Bool,
        help: "also compare year/month folders (`2021/05/post.md`) with `date` (default false)",
    }],
};

/// `YYYY-MM-DD` at the start of a file name, followed by `-`.
fn file_name_date(name: &str) -> Option<(i16, i8, i8)> {
    let b = name.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<i16> {
        let part = b.get(r.clone())?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| name[r].parse().ok())?
    };
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || b.get(10) != Some(&b'-') {
        return None;
    }
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    Some((y, i8::try_from(m).ok()?, i8::try_from(d).ok()?))
}

/// The last `YYYY` folder of the path and the `MM` folder right under it, if any.
fn folder_date(path: &std::path::Path) -> Option<(i16, Option<i8>)> {
    let parts: Vec<&str> = path
        .parent()?
        .components()
        .filter_map(|c| c.as_os_str().to_str())
        .collect();
    let is_num = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let at = parts.iter().rposition(|p| is_num(p, 4))?;
    let year = parts[at].parse().ok()?;
    let month = parts
        .get(at + 1)
        .filter(|p| is_num(p, 2))
        .and_then(|p| p.parse().ok());
    Some((year, month))
}

impl Rule for FilenameDateMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        let values = date_values(doc, cx);
        let Some((value, parsed)) = parsed_field(&values, "date") else {
            return;
        };
        let date = parsed.date();
        let span = value.entry.value.span.clone();
        let name = doc.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if let Some((y, m, d)) = file_name_date(name)
            && (date.year(), date.month(), date.day()) != (y, m, d)
        {
            let written = format!("{y:04}-{m:02}-{d:02}");
            let days = jiff::civil::Date::new(y, m, d)
                .ok()
                .and_then(|f| f.until(date).ok())
                .map(|span| span.get_days());
            let by = match days {
                Some(1) => " (a day later)".to_string(),
                Some(-1) => " (a day earlier)".to_string(),
                Some(n) if n > 0 => format!(" ({n} days later)"),
                Some(n) => format!(" ({} days earlier)", -n),
                None => String::new(),
            };
            cx.report(
                span.clone(),
                format!("`date` is {date}{by}, but the file name says {written}"),
            )
            .help("Jekyll dates and links the post by `date`: make the file name and `date` agree");
        }
        if cx.bool("folders") == Some(true)
            && let Some((y, m)) = folder_date(&doc.path)
            && (date.year() != y || m.is_some_and(|m| m != date.month()))
        {
            let folder = match m {
                Some(m) => format!("{y:04}/{m:02}"),
                None => format!("{y:04}"),
            };
            cx.report(
                span,
                format!("`date` is {date}, but the post is filed under {folder}/"),
            )
            .help("move the post to the folder of its date, or correct `date`");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_name_and_folder_dates() {
        assert_eq!(file_name_date("2018-05-12-campus.md"), Some((2018, 5, 12)));
        assert_eq!(file_name_date("2018-05-12.md"), None);
        assert_eq!(file_name_date("post.md"), None);
        assert_eq!(file_name_date("2018-5-12-x.md"), None);
        let path = std::path::Path::new("content/posts/2021/05/post.md");
        assert_eq!(folder_date(path), Some((2021, Some(5))));
        assert_eq!(
            folder_date(std::path::Path::new("2021/post.md")),
            Some((2021, None))
        );
        assert_eq!(folder_date(std::path::Path::new("posts/post.md")), None);
    }
}
