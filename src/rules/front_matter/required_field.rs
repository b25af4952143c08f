use super::{REQUIRED_FIELDS_OPTION, field, required_fields};
use crate::diagnostic::Severity;
use crate::document::{Document, Value};
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// A field that the site's generator needs is absent from the front matter. The required
/// fields come from the preset (`title` and `date` for Hexo, Jekyll, Hugo and the generic
/// preset) or from the `fields` option.
///
/// ## Why it matters
/// Hexo falls back to the file name and the file's modification time: the post shows a wrong
/// title and moves in the archive every time the file is copied. Hugo sorts undated posts last.
/// Where the generator reads the field from elsewhere, that counts: Jekyll's date from a file
/// name `2024-03-05-title.md`, Hugo's from `publishDate`, `pubdate`, `published`, `lastmod` or
/// `modified` (the presets' `aliases`).
///
/// ## Example
/// ```yaml
/// ---
/// categories: [news]      # FM004: `title` is missing
/// ---
/// ```
/// Configure:
/// ```toml
/// [rules.required-field]
/// fields = ["title", "date", "author"]
/// ```
pub struct RequiredField;

static META: RuleMeta = RuleMeta {
    code: "FM004",
    name: "required-field",
    family: Family::FrontMatter,
    severity: Severity::Error,
    fix: FixKind::None,
    default_enabled: true,
    options: &[REQUIRED_FIELDS_OPTION],
};

impl Rule for RequiredField {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        let (Some(fm), Some(fields)) = (doc.front_matter(), doc.fields()) else {
            return;
        };
        for name in required_fields(cx) {
            let aliases = cx.preset.aliases.get(name).into_iter().flatten();
            // An alias counts when it holds what could be a date (the DT rules judge it).
            let present = field(cx, fields, name).is_some()
                || aliases.into_iter().any(|alias| {
                    field(cx, fields, alias).is_some_and(|e| {
                        matches!(e.value.value, Value::String(_) | Value::Datetime(_))
                    })
                })
                || (name == "date" && cx.preset.date_from_file_name && dated_file_name(doc));
            if !present {
                let example = match fm.format {
                    crate::document::FrontMatterFormat::Yaml => format!("{name}: …"),
                    crate::document::FrontMatterFormat::Toml => format!("{name} = …"),
                };
                cx.report(
                    fm.open_fence.clone(),
                    format!("required field `{name}` is missing"),
                )
                .help(format!("add `{example}` to the front matter"));
            }
        }
    }
}

/// Whether the file name starts with a date, `YYYY-MM-DD-` (Jekyll's posts).
fn dated_file_name(doc: &Document) -> bool {
    let Some(name) = doc.path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let b = name.as_bytes();
    b.len() > 11
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'-'
}
