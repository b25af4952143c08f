use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};
use crate::source::Bom;

/// ## What it checks
/// The file is encoded as UTF-16 (it starts with a UTF-16 byte-order mark). artlint decodes it
/// and checks the rest as usual.
///
/// ## Why it matters
/// Site generators read posts as UTF-8. A UTF-16 file (as Windows Notepad's "Unicode" saves)
/// is seen as binary garbage full of NUL bytes: the post is dropped or breaks the build.
///
/// ## Example
/// A post saved by Notepad as "Unicode": its first bytes are `FF FE 2D 00 2D 00 2D 00`.
/// Convert it with `iconv -f UTF-16 -t UTF-8 post.md > post.utf8.md`.
pub struct Utf16Encoding;

static META: RuleMeta = RuleMeta {
    code: "ENC007",
    name: "utf16-encoding",
    family: Family::Encoding,
    severity: Severity::Error,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for Utf16Encoding {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        let endian = match doc.encoding.bom {
            Some(Bom::Utf16Le) => "little-endian",
            Some(Bom::Utf16Be) => "big-endian",
            _ => return,
        };
        cx.report(
            0..0,
            format!("file is encoded as UTF-16 ({endian}), not UTF-8"),
        )
        .help("convert it: `iconv -f UTF-16 -t UTF-8 FILE`; generators read posts as UTF-8");
    }
}
