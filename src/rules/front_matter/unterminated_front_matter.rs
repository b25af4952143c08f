use crate::diagnostic::Severity;
use crate::document::{Document, FrontMatterBlock};
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// The file opens a front-matter block with `---` (or `+++`) but never closes it.
///
/// ## Why it matters
/// Without the closing fence the generator cannot tell where the fields end and the post
/// begins: Hexo and Jekyll fail to parse the whole file or treat the post as having no front
/// matter, and the body is lost or printed as YAML.
///
/// ## Example
/// ```markdown
/// ---                    <- FM003: never closed
/// title: Hello
/// date: 2021-05-22
///
/// Text of the post.
/// ```
pub struct UnterminatedFrontMatter;

static META: RuleMeta = RuleMeta {
    code: "FM003",
    name: "unterminated-front-matter",
    family: Family::FrontMatter,
    severity: Severity::Error,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for UnterminatedFrontMatter {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        let FrontMatterBlock::Unterminated { format, open_fence } = &doc.front_matter else {
            return;
        };
        let fence = doc.slice(open_fence).trim_end();
        cx.report(
            open_fence.clone(),
            format!("{} front matter opened here is never closed", format.name()),
        )
        .help(format!("add a `{fence}` line after the last field"));
    }
}
