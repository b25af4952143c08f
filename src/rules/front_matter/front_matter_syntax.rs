use crate::diagnostic::Severity;
use crate::document::{Document, FrontMatterFormat};
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// The front matter is not valid YAML (or TOML, between `+++` fences), or it is not a mapping
/// of fields to values. The finding points at the place where the parser gave up. Alias bombs
/// and absurdly deep nesting are reported here too: parsing is bounded.
///
/// ## Why it matters
/// A generator that cannot parse the front matter drops every field: the post loses its title,
/// date and categories, or the build stops. A common cause is an unquoted value that contains
/// `: ` or starts with a quote or a `[`.
///
/// ## Example
/// ```yaml
/// ---
/// title: GeoServer: the roadmap   # FM005: `: ` inside an unquoted value
/// ---
/// ```
/// Use instead: `title: 'GeoServer: the roadmap'`.
pub struct FrontMatterSyntax;

static META: RuleMeta = RuleMeta {
    code: "FM005",
    name: "front-matter-syntax",
    family: Family::FrontMatter,
    severity: Severity::Error,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for FrontMatterSyntax {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        let Some(fm) = doc.front_matter() else { return };
        let Err(error) = &fm.parsed else { return };
        // Point at the character where parsing stopped (or the end of the block).
        let start = error.span.start.min(fm.content.end);
        let end = doc.text[start..]
            .chars()
            .next()
            .filter(|c| *c != '\n' && *c != '\r')
            .map_or(start, |c| start + c.len_utf8());
        cx.report(
            start..end.max(error.span.end),
            format!("invalid {} front matter: {}", fm.format.name(), error.message),
        )
        .help(match fm.format {
            FrontMatterFormat::Yaml => {
                "quote values that contain `: ` or ` #`, or start with `[`, `{`, `'`, `\"`, `*`, `&`, `!`, `%` or `@`"
            }
            FrontMatterFormat::Toml => "TOML needs `key = value` with strings in quotes and dates as 2021-05-22T12:02:19Z",
        });
    }
}
