use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};
use crate::source::SkipReason;

/// ## What it checks
/// A file with a post's extension (`.md`, `.html` …) holds binary data: a NUL byte appears in
/// its first 8,000 bytes (git's test). It is reported once and skipped.
///
/// ## Why it matters
/// An image or archive saved under a post's name, or a download that failed halfway, becomes a
/// broken page or stops the build.
///
/// ## Example
/// ```text
/// source/_posts/cover.md:1:1: IO002 binary file (NUL byte at offset 8); skipped
/// ```
pub struct BinaryFile;

static META: RuleMeta = RuleMeta {
    code: "IO002",
    name: "binary-file",
    family: Family::Io,
    severity: Severity::Warning,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for BinaryFile {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        if let Some(SkipReason::Binary { nul_offset }) = &doc.skipped {
            cx.report(
                0..0,
                format!("binary file (NUL byte at offset {nul_offset}); skipped"),
            )
            .help("move it out of the posts folder or exclude it in artlint.toml");
        }
    }
}
