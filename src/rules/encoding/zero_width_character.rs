use super::{code_points, runs};
use crate::diagnostic::{Edit, Safety, Severity};
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// Zero-width characters inside the front matter: ZERO WIDTH SPACE (U+200B), WORD JOINER
/// (U+2060), a byte-order mark in the middle of the text (U+FEFF), and ZERO WIDTH (NON-)JOINER
/// (U+200C, U+200D) next to ASCII, where no script needs them.
///
/// ## Why it matters
/// They are invisible, so `tags: [gis]` and `tags: [gis\u{200B}]` look the same but make two tags,
/// a slug gets an unprintable character in its URL, and a key with one is a different key.
/// They arrive with text copied from web pages and chat apps.
///
/// ## Example
/// ```yaml
/// ---
/// title: Hello​World      # ENC006: U+200B between the words
/// ---
/// ```
/// The fix deletes them.
pub struct ZeroWidthCharacter;

static META: RuleMeta = RuleMeta {
    code: "ENC006",
    name: "zero-width-character",
    family: Family::Encoding,
    severity: Severity::Warning,
    fix: FixKind::Safe,
    default_enabled: true,
    options: &[],
};

impl Rule for ZeroWidthCharacter {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        let Some(fm) = doc.front_matter() else { return };
        let text = &doc.text;
        let content = fm.content.clone();
        let is_zero_width = |c: char| {
            matches!(
                c,
                '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{200C}' | '\u{200D}'
            )
        };
        for span in runs(text, content, is_zero_width) {
            let run = doc.slice(&span);
            if run.chars().all(|c| matches!(c, '\u{200C}' | '\u{200D}')) {
                // Joiners are part of emoji sequences and of some scripts: flag them only next
                // to ASCII, where they can only be an accident.
                let before = text[..span.start].chars().next_back();
                let after = text[span.end..].chars().next();
                if !before.is_some_and(|c| c.is_ascii()) && !after.is_some_and(|c| c.is_ascii()) {
                    continue;
                }
            }
            let names = code_points(run);
            cx.report(
                span.clone(),
                format!("invisible zero-width character {names} in the front matter"),
            )
            .help("delete it; it makes otherwise equal keys, tags and slugs differ")
            .fix(
                "Delete the zero-width characters",
                Safety::Safe,
                vec![Edit::delete(span)],
            );
        }
    }
}
