use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};
use crate::source::SkipReason;

/// ## What it checks
/// A file is larger than the size cap (`max-file-size` in `artlint.toml`, 10 MiB by default).
/// It is reported and skipped without being read.
///
/// ## Why it matters
/// No article is tens of megabytes of text: such a file is a dump, a log or an embedded
/// payload under a post's name. Skipping it keeps runs fast and memory bounded.
///
/// ## Example
/// ```text
/// dump.md:1:1: IO003 file is 52428800 bytes, over the 10485760-byte cap; skipped
/// ```
pub struct FileTooLarge;

static META: RuleMeta = RuleMeta {
    code: "IO003",
    name: "file-too-large",
    family: Family::Io,
    severity: Severity::Warning,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for FileTooLarge {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        if let Some(SkipReason::TooLarge { size, limit }) = &doc.skipped {
            cx.report(
                0..0,
                format!("file is {size} bytes, over the {limit}-byte cap; skipped"),
            )
            .help("raise `max-file-size` in artlint.toml if this really is an article");
        }
    }
}
