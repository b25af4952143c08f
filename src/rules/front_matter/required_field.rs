use super::{REQUIRED_FIELDS_OPTION, field, required_fields};
use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// A field that the site's generator needs is absent from the front matter. The required
/// fields come from the preset (`title` and `date` for Hexo, Jekyll, Hugo and the generic
/// preset) or from the `fields` option.
///
/// ## Why it matters
/// Hexo falls back to the file name and the file's modification time: the post shows a wrong
/// title and moves in the archive every time the file is copied. Jekyll takes the date from the
/// file name, Hugo sorts undated posts last.
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
            if field(cx, fields, name).is_none() {
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
