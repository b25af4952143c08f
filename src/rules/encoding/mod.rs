//! Family ENC: encoding and text hygiene.

mod byte_order_mark;
mod control_character;
mod invalid_utf8;
mod mixed_line_endings;
mod replacement_character;
mod utf16_encoding;
mod zero_width_character;

pub use byte_order_mark::ByteOrderMark;
pub use control_character::ControlCharacter;
pub use invalid_utf8::InvalidUtf8;
pub use mixed_line_endings::MixedLineEndings;
pub use replacement_character::ReplacementCharacter;
pub use utf16_encoding::Utf16Encoding;
pub use zero_width_character::ZeroWidthCharacter;

use crate::diagnostic::Span;

/// Runs of consecutive characters matching `pred`, as byte spans, in `text[range]`.
fn runs(text: &str, range: Span, pred: impl Fn(char) -> bool) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    let base = range.start;
    for (i, c) in text[range].char_indices() {
        if !pred(c) {
            continue;
        }
        let start = base + i;
        let end = start + c.len_utf8();
        match out.last_mut() {
            Some(last) if last.end == start => last.end = end,
            _ => out.push(start..end),
        }
    }
    out
}

/// `U+200B`-style names for the characters of a run, for messages.
fn code_points(text: &str) -> String {
    let mut names: Vec<String> = text
        .chars()
        .map(|c| format!("U+{:04X}", c as u32))
        .collect();
    names.dedup();
    names.join(", ")
}
