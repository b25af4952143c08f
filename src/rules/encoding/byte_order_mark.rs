use crate::diagnostic::{Edit, Safety, Severity};
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};
use crate::source::Bom;

/// ## What it checks
/// The file starts with a UTF-8 byte-order mark (the bytes `EF BB BF`).
///
/// ## Why it matters
/// UTF-8 needs no byte-order mark. Jekyll and several Markdown tools do not recognise `---` after
/// a BOM, so the front matter is published as text; shell tools and `diff` show it as garbage.
/// Windows editors add it silently.
///
/// ## Example
/// ```text
/// \u{FEFF}---        <- ENC002: invisible, but the first three bytes of the file
/// title: Hello
/// ```
/// The fix removes the mark.
pub struct ByteOrderMark;

static META: RuleMeta = RuleMeta {
    code: "ENC002",
    name: "byte-order-mark",
    family: Family::Encoding,
    severity: Severity::Warning,
    fix: FixKind::Safe,
    default_enabled: true,
    options: &[],
};

impl Rule for ByteOrderMark {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        if doc.encoding.bom != Some(Bom::Utf8) || !doc.text.starts_with('\u{FEFF}') {
            return;
        }
        cx.report(0..3, "file starts with a UTF-8 byte-order mark")
            .help("UTF-8 files should not have one; some generators then miss the front matter")
            .fix(
                "Remove the byte-order mark",
                Safety::Safe,
                vec![Edit::delete(0..3)],
            );
    }
}
