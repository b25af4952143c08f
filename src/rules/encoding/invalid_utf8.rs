use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// The file is not valid UTF-8. When the whole file decodes as GB18030 (the superset of GBK and
/// GB2312 that Chinese Windows tools write), the finding says so and the other rules read it
/// decoded that way; otherwise invalid bytes are replaced with U+FFFD for the other rules.
///
/// ## Why it matters
/// Hexo, Jekyll and Hugo read posts as UTF-8: a GBK post turns into mojibake or stops the
/// build, and search engines index the garbage.
///
/// ## Example
/// A post saved as GBK by an old editor: `标题` is stored as the bytes `B1 EA CC E2`.
/// ```text
/// ENC001 file is not valid UTF-8 (first invalid byte at offset 11); it looks like GBK/GB18030
/// ```
/// Convert it with `iconv -f GB18030 -t UTF-8 post.md > post.utf8.md`.
pub struct InvalidUtf8;

static META: RuleMeta = RuleMeta {
    code: "ENC001",
    name: "invalid-utf8",
    family: Family::Encoding,
    severity: Severity::Error,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for InvalidUtf8 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        let Some(invalid) = &doc.encoding.invalid_utf8 else {
            return;
        };
        let start = invalid.text_offset.min(doc.text.len());
        let end = doc.text[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8());
        let offset = invalid.file_offset;
        if invalid.decoded_as_gb18030 {
            cx.report(
                start..end,
                format!("file is not valid UTF-8 (first invalid byte at offset {offset}); it looks like GBK/GB18030 Chinese text"),
            )
            .help("convert it: `iconv -f GB18030 -t UTF-8 FILE`; the other checks read it decoded as GB18030");
        } else {
            cx.report(
                start..end,
                format!("file is not valid UTF-8 (first invalid byte at offset {offset})"),
            )
            .help("re-save the file as UTF-8; the other checks read invalid bytes as U+FFFD");
        }
    }
}
