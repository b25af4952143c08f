use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};
use crate::source::SkipReason;

/// ## What it checks
/// A file that was found (or named on the command line) could not be read: permission denied,
/// deleted between discovery and reading, a symbolic-link loop, a broken link. A folder that
/// could not be read is reported too (at the folder's path): the posts in it were not checked.
///
/// ## Why it matters
/// A post artlint cannot read is a post the site generator may not read either, and a lint run
/// that silently skips files gives false confidence. The run goes on with the other files.
///
/// ## Example
/// ```text
/// source/_posts/locked.md:1:1: IO001 cannot read file: permission denied
/// ```
pub struct UnreadableFile;

static META: RuleMeta = RuleMeta {
    code: "IO001",
    name: "unreadable-file",
    family: Family::Io,
    severity: Severity::Error,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for UnreadableFile {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        match &doc.skipped {
            Some(skipped @ SkipReason::Unreadable(_)) => {
                cx.report(0..0, crate::source::skip_reason_text(skipped))
                    .help("check the file's permissions, or exclude it in artlint.toml");
            }
            Some(skipped @ SkipReason::UnreadableFolder(_)) => {
                cx.report(
                    0..0,
                    format!(
                        "{}; the posts in it were not checked",
                        crate::source::skip_reason_text(skipped)
                    ),
                )
                .help("check the folder's permissions, or exclude it in artlint.toml");
            }
            _ => {}
        }
    }
}
