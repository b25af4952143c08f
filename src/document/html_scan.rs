//! Byte spans for html5ever's tokens. html5ever's tokenizer is fast but tells only line numbers,
//! so each token it emits is found again in the source, from a cursor that only moves forward:
//! tags, comments and doctypes start where the tokenizer must have started them (a `<` followed
//! by a letter, `/`, `!` or `?`), and their ends follow the tokenizer's tag and comment states.
//! The same scans report the tokenizer-level errors with exact spans (malformed tags and
//! comments, character references, a bare `<`), which html5ever reports without a position.
//!
//! (html5gum tokenizes with spans itself, but it is four times slower than html5ever on the
//! benchmark corpus, and the tree builder needs html5ever's tokens anyway.)

use html5ever::data::NAMED_ENTITIES;

use super::html::{HtmlProblem, ProblemKind};
use crate::diagnostic::Span;

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C')
}

/// An attribute as written.
#[derive(Clone, Debug)]
pub struct ScannedAttr {
    pub name: Span,
    /// Inside the quotes, if there is a value.
    pub value: Option<Span>,
    /// From the name to the end of the value (closing quote included).
    pub full: Span,
}

/// A tag as written, from its `<` to its `>`.
#[derive(Clone, Debug, Default)]
pub struct ScannedTag {
    pub end: usize,
    pub self_closing: bool,
    pub attrs: Vec<ScannedAttr>,
    /// Tokenizer errors inside the tag (their spec names), in order.
    pub issues: Vec<&'static str>,
    /// The input ended before the `>` (the tokenizer then drops the tag).
    pub eof: bool,
}

/// Scan the tag starting with the `<` at `lt`, as the tokenizer's tag states read it.
pub fn scan_tag(src: &[u8], lt: usize) -> ScannedTag {
    let len = src.len();
    let mut tag = ScannedTag::default();
    let mut i = lt + 1;
    let end_tag = src.get(i) == Some(&b'/');
    if end_tag {
        i += 1;
    }
    while i < len && !is_space(src[i]) && src[i] != b'/' && src[i] != b'>' {
        i += 1;
    }
    loop {
        while i < len && is_space(src[i]) {
            i += 1;
        }
        if i >= len {
            tag.eof = true;
            tag.end = len;
            break;
        }
        match src[i] {
            b'>' => {
                tag.end = i + 1;
                break;
            }
            b'/' => {
                i += 1;
                if src.get(i) == Some(&b'>') {
                    tag.self_closing = true;
                    tag.end = i + 1;
                    break;
                }
                tag.issues.push("unexpected-solidus-in-tag");
                continue;
            }
            _ => {}
        }
        // An attribute name (a leading `=` is part of it, by the spec).
        let start = i;
        if src[i] == b'=' {
            tag.issues
                .push("unexpected-equals-sign-before-attribute-name");
            i += 1;
        }
        while i < len && !is_space(src[i]) && !matches!(src[i], b'/' | b'>' | b'=') {
            if matches!(src[i], b'"' | b'\'' | b'<') {
                tag.issues.push("unexpected-character-in-attribute-name");
            }
            i += 1;
        }
        let name = start..i;
        let mut j = i;
        while j < len && is_space(src[j]) {
            j += 1;
        }
        let mut value = None;
        let mut full_end = name.end;
        if src.get(j) == Some(&b'=') {
            i = j + 1;
            while i < len && is_space(src[i]) {
                i += 1;
            }
            match src.get(i).copied() {
                None => {}
                Some(q @ (b'"' | b'\'')) => {
                    let from = i + 1;
                    match memchr::memchr(q, &src[from..]) {
                        Some(k) => {
                            value = Some(from..from + k);
                            i = from + k + 1;
                            full_end = i;
                            if i < len && !is_space(src[i]) && src[i] != b'/' && src[i] != b'>' {
                                tag.issues.push("missing-whitespace-between-attributes");
                            }
                        }
                        None => {
                            i = len;
                        }
                    }
                }
                Some(b'>') => tag.issues.push("missing-attribute-value"),
                Some(_) => {
                    let from = i;
                    while i < len && !is_space(src[i]) && src[i] != b'>' {
                        if matches!(src[i], b'"' | b'\'' | b'<' | b'=' | b'`') {
                            tag.issues
                                .push("unexpected-character-in-unquoted-attribute-value");
                        }
                        i += 1;
                    }
                    value = Some(from..i);
                    full_end = i;
                }
            }
        }
        tag.attrs.push(ScannedAttr {
            name,
            value,
            full: start..full_end,
        });
    }
    if end_tag && !tag.attrs.is_empty() {
        tag.issues.push("end-tag-with-attributes");
    }
    if tag.eof {
        tag.issues.push("eof-in-tag");
    }
    tag
}

/// Whether `src[at..]` starts with `word`, ignoring ASCII case.
fn starts_with_ci(src: &[u8], at: usize, word: &[u8]) -> bool {
    src.get(at..at + word.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(word))
}

/// The length in the source of a tag name the tokenizer read as `name` at `at`: ASCII letters
/// are lower-cased, and a NUL byte became U+FFFD.
fn tag_name_len(src: &[u8], at: usize, name: &str) -> Option<usize> {
    const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();
    let name = name.as_bytes();
    let (mut i, mut j) = (0, at);
    while i < name.len() {
        if name[i..].starts_with(REPLACEMENT) && src.get(j) == Some(&0) {
            i += REPLACEMENT.len();
            j += 1;
        } else if src.get(j).is_some_and(|b| b.eq_ignore_ascii_case(&name[i])) {
            i += 1;
            j += 1;
        } else {
            return None;
        }
    }
    Some(j - at)
}

/// The `<` of the next start or end tag named `name` at or after `from`.
pub fn find_tag(src: &[u8], from: usize, name: &str, end_tag: bool) -> Option<usize> {
    let mut at = from;
    while let Some(k) = memchr::memchr(b'<', src.get(at..)?) {
        let lt = at + k;
        let name_at = lt + 1 + usize::from(end_tag);
        if (!end_tag || src.get(lt + 1) == Some(&b'/'))
            && let Some(len) = tag_name_len(src, name_at, name)
            && src
                .get(name_at + len)
                .is_none_or(|b| is_space(*b) || *b == b'/' || *b == b'>')
        {
            return Some(lt);
        }
        at = lt + 1;
    }
    None
}

/// The `<` of the next comment-like token (`<!…`, `<?…`, `</` not followed by a letter).
pub fn find_comment(src: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(k) = memchr::memchr(b'<', src.get(at..)?) {
        let lt = at + k;
        match src.get(lt + 1) {
            Some(b'!' | b'?') => return Some(lt),
            Some(b'/')
                if src
                    .get(lt + 2)
                    .is_some_and(|b| !b.is_ascii_alphabetic() && *b != b'>') =>
            {
                return Some(lt);
            }
            _ => at = lt + 1,
        }
    }
    None
}

/// A comment-like token as written.
pub struct ScannedComment {
    pub span: Span,
    /// The comment's text.
    pub text: Span,
    /// Errors, each with the span to report.
    pub issues: Vec<(&'static str, Span)>,
    pub doctype: bool,
}

/// Scan the comment, bogus comment or doctype starting at `lt`.
pub fn scan_comment(src: &[u8], lt: usize) -> ScannedComment {
    let len = src.len();
    let to_gt =
        |from: usize| memchr::memchr(b'>', &src[from.min(len)..]).map_or(len, |k| from + k + 1);
    if src.get(lt + 1..lt + 4) == Some(b"!--") {
        let open = lt + 4;
        for (close, issue) in [(b"<!-->".as_slice(), 5), (b"<!--->".as_slice(), 6)] {
            if src.get(lt..lt + issue) == Some(close) {
                let span = lt..lt + issue;
                return ScannedComment {
                    span: span.clone(),
                    text: open..open,
                    issues: vec![("abrupt-closing-of-empty-comment", span)],
                    doctype: false,
                };
            }
        }
        let mut issues = Vec::new();
        let finder = memchr::memmem::find_iter(&src[open..], b"--");
        let mut end = None;
        for k in finder {
            let dashes = open + k;
            if src.get(dashes + 2) == Some(&b'>') {
                end = Some((dashes, dashes + 3));
                break;
            }
            if src.get(dashes + 2..dashes + 4) == Some(b"!>") {
                issues.push(("incorrectly-closed-comment", dashes..dashes + 4));
                end = Some((dashes, dashes + 4));
                break;
            }
        }
        let (text_end, span_end) = end.unwrap_or((len, len));
        for k in memchr::memmem::find_iter(&src[open..text_end], b"<!--") {
            issues.push(("nested-comment", open + k..open + k + 4));
        }
        if end.is_none() {
            issues.push(("eof-in-comment", lt..open));
        }
        return ScannedComment {
            span: lt..span_end,
            text: open..text_end,
            issues,
            doctype: false,
        };
    }
    let end = to_gt(lt + 1);
    let text_start = (lt + 2).min(end);
    let text_end = if src.get(end.wrapping_sub(1)) == Some(&b'>') {
        end - 1
    } else {
        end
    };
    let mut out = ScannedComment {
        span: lt..end,
        text: text_start..text_end.max(text_start),
        issues: Vec::new(),
        doctype: false,
    };
    if starts_with_ci(src, lt + 2, b"doctype") {
        out.doctype = true;
    } else if src.get(lt + 1) == Some(&b'?') {
        out.issues
            .push(("unexpected-question-mark-instead-of-tag-name", lt..end));
    } else if !starts_with_ci(src, lt + 2, b"[cdata[") {
        out.issues.push(("incorrectly-opened-comment", lt..end));
    }
    out
}

/// Check the text between tags: a `<` that starts nothing, and character references.
/// `at_eof`: the region runs to the end of the input (where an unfinished tag is dropped).
pub fn check_text(
    src: &[u8],
    region: Span,
    char_refs: bool,
    at_eof: bool,
    out: &mut Vec<HtmlProblem>,
) {
    let bytes = &src[region.clone()];
    if memchr::memchr2(b'<', b'&', bytes).is_none() {
        return;
    }
    for k in memchr::memchr_iter(b'<', bytes) {
        let lt = region.start + k;
        match src.get(lt + 1).copied() {
            Some(b) if b.is_ascii_alphabetic() => {
                if at_eof {
                    let line_end = memchr::memchr(b'\n', &src[lt..]).map_or(src.len(), |e| lt + e);
                    let mut problem = HtmlProblem::new(ProblemKind::MalformedTag, lt..line_end);
                    problem.detail = "eof-in-tag";
                    out.push(problem);
                    break;
                }
            }
            Some(b'/') if src.get(lt + 2) == Some(&b'>') => {
                let mut problem = HtmlProblem::new(ProblemKind::MalformedTag, lt..lt + 3);
                problem.detail = "missing-end-tag-name";
                out.push(problem);
            }
            Some(b'!' | b'?' | b'/') => {}
            _ => out.push(HtmlProblem::new(ProblemKind::UnescapedLessThan, lt..lt + 1)),
        }
    }
    if char_refs {
        check_char_refs(src, region, false, out);
    }
}

/// Check the character references in `src[region]`, by the tokenizer's character reference
/// states; `in_attribute` applies the attribute-value exception (`?a=1&copy=2` is not decoded).
pub fn check_char_refs(src: &[u8], region: Span, in_attribute: bool, out: &mut Vec<HtmlProblem>) {
    let bytes = &src[region.clone()];
    for k in memchr::memchr_iter(b'&', bytes) {
        let amp = region.start + k;
        let at = amp + 1;
        let next = src.get(at).copied();
        if next == Some(b'#') {
            check_numeric(src, amp, region.end, out);
            continue;
        }
        if !next.is_some_and(|b| b.is_ascii_alphanumeric()) {
            continue;
        }
        let run = src[at..region.end]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        // The longest known name that the text starts with (legacy names match without `;`).
        let with_semicolon = src.get(at + run) == Some(&b';');
        let candidate_end = at + run + usize::from(with_semicolon);
        let mut matched = None;
        let mut end = candidate_end;
        while end > at {
            if let Ok(name) = std::str::from_utf8(&src[at..end])
                && NAMED_ENTITIES.get(name).is_some_and(|m| m.0 != 0)
            {
                matched = Some(end);
                break;
            }
            end -= 1;
        }
        match matched {
            Some(end) if src[end - 1] == b';' => {}
            Some(end) => {
                let following = src.get(end).copied();
                if in_attribute && following.is_some_and(|b| b == b'=' || b.is_ascii_alphanumeric())
                {
                    continue;
                }
                let mut problem = HtmlProblem::new(ProblemKind::BadCharacterReference, amp..end);
                problem.detail = "missing-semicolon-after-character-reference";
                out.push(problem);
            }
            None if with_semicolon => {
                let mut problem =
                    HtmlProblem::new(ProblemKind::BadCharacterReference, amp..candidate_end);
                problem.detail = "unknown-named-character-reference";
                out.push(problem);
            }
            None => {}
        }
    }
}

fn check_numeric(src: &[u8], amp: usize, limit: usize, out: &mut Vec<HtmlProblem>) {
    let mut i = amp + 2;
    let hex = matches!(src.get(i), Some(b'x' | b'X'));
    if hex {
        i += 1;
    }
    let digits_start = i;
    let mut value: u32 = 0;
    while i < limit {
        let digit = if hex {
            (src[i] as char).to_digit(16)
        } else {
            (src[i] as char).to_digit(10)
        };
        let Some(d) = digit else { break };
        value = value
            .saturating_mul(if hex { 16 } else { 10 })
            .saturating_add(d);
        i += 1;
    }
    let semicolon = src.get(i) == Some(&b';');
    let end = i + usize::from(semicolon);
    let detail = if i == digits_start {
        Some("absence-of-digits-in-numeric-character-reference")
    } else if value == 0 {
        Some("null-character-reference")
    } else if value > 0x10FFFF {
        Some("character-reference-outside-unicode-range")
    } else if (0xD800..=0xDFFF).contains(&value) {
        Some("surrogate-character-reference")
    } else if (0xFDD0..=0xFDEF).contains(&value) || (value & 0xFFFE) == 0xFFFE {
        Some("noncharacter-character-reference")
    } else if value == 0x0D
        || ((value < 0x20 || (0x7F..=0x9F).contains(&value))
            && !matches!(value, 0x09 | 0x0A | 0x0C | 0x20))
    {
        Some("control-character-reference")
    } else if !semicolon {
        Some("missing-semicolon-after-character-reference")
    } else {
        None
    };
    if let Some(detail) = detail {
        let end = if i == digits_start {
            amp + 2 + usize::from(hex)
        } else {
            end
        };
        let mut problem = HtmlProblem::new(ProblemKind::BadCharacterReference, amp..end);
        problem.detail = detail;
        out.push(problem);
    }
}
