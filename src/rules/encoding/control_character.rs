use super::{code_points, runs};
use crate::diagnostic::{Edit, Safety, Severity};
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// The text contains control characters other than tab, line feed and carriage return: the C0
/// range (U+0000–U+001F, such as form feed or `ESC`), DEL (U+007F) and the C1 range
/// (U+0080–U+009F).
///
/// ## Why it matters
/// They are invisible in most editors but break XML feeds (RSS and Atom forbid them), sitemaps
/// and some YAML parsers. They come from copy-pasting out of PDFs and Word, or from text decoded
/// as Latin-1.
///
/// ## Example
/// ```text
/// title: Annual report␌2021     <- ENC005: U+000C FORM FEED
/// ```
/// The (unsafe) fix deletes them.
pub struct ControlCharacter;

static META: RuleMeta = RuleMeta {
    code: "ENC005",
    name: "control-character",
    family: Family::Encoding,
    severity: Severity::Warning,
    fix: FixKind::Unsafe,
    default_enabled: true,
    options: &[],
};

fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

impl Rule for ControlCharacter {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        // Fast path over bytes: ASCII controls are < 0x20 or 0x7F (a branch-free fold the
        // compiler vectorises); C1 controls are C2 80..C2 9F (C2 itself is common: NBSP, `·`).
        let bytes = doc.text.as_bytes();
        let ascii_control = |b: u8| {
            u8::from((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')) | u8::from(b == 0x7F)
        };
        let has_candidate = bytes
            .chunks(256)
            .any(|chunk| chunk.iter().fold(0u8, |acc, &b| acc | ascii_control(b)) != 0)
            || memchr::memchr_iter(0xC2, bytes)
                .any(|i| bytes.get(i + 1).is_some_and(|n| (0x80..0xA0).contains(n)));
        if !has_candidate {
            return;
        }
        for span in runs(&doc.text, 0..doc.text.len(), is_forbidden_control) {
            let names = code_points(doc.slice(&span));
            cx.report(
                span.clone(),
                format!("control character {names} in the text"),
            )
            .help("delete it; feeds and parsers reject control characters")
            .fix(
                "Delete the control characters",
                Safety::Unsafe,
                vec![Edit::delete(span)],
            );
        }
    }
}
