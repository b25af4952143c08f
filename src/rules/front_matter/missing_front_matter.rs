use crate::diagnostic::Severity;
use crate::document::{Document, FrontMatterBlock};
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// The file has no front-matter block: its first non-blank line is not `---` (YAML) or `+++`
/// (TOML). An empty file is reported by this rule too.
///
/// ## Why it matters
/// Hexo, Jekyll and Hugo read a post's title, date and categories from the front matter. Without
/// it, Jekyll copies the file as a static asset instead of rendering it, and Hexo invents a title
/// from the file name and a date from the file's modification time.
///
/// ## Example
/// ```markdown
/// # My post            <- FM001: no `---` block above the text
///
/// Text of the post.
/// ```
/// Use instead:
/// ```markdown
/// ---
/// title: My post
/// date: 2021-05-22 12:02:19
/// ---
/// Text of the post.
/// ```
pub struct MissingFrontMatter;

static META: RuleMeta = RuleMeta {
    code: "FM001",
    name: "missing-front-matter",
    family: Family::FrontMatter,
    severity: Severity::Error,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for MissingFrontMatter {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        if !matches!(doc.front_matter, FrontMatterBlock::Missing) {
            return;
        }
        if doc.text.trim_start_matches('\u{FEFF}').trim().is_empty() {
            cx.report(0..0, "file is empty")
                .help("an article needs a front-matter block (`---` … `---`) and a body");
            return;
        }
        let first_line_end = doc.lines().line_end(&doc.text, 0);
        cx.report(0..first_line_end, "file has no front matter")
            .help("start the file with a `---` line, the fields (`title:`, `date:` …), and a closing `---`");
    }
}
