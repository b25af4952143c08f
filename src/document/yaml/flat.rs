//! The front matter most posts have, read by hand: a flat mapping of `key: value` lines, each
//! value a plain scalar that can only be a string (a title, `2021-05-04`, a URL), a decimal
//! integer, a bool word, a quoted string without escapes, nothing (a null), or a list of such
//! items written one `- item` per line; blank lines and comment lines between them. It gives
//! the tree serde-saphyr gives for the same text (spans and all), and gives up (`None`) on
//! anything else: nesting, flow collections, anchors, tags, block scalars, comments after a
//! value, escapes, values YAML might read as a null or a number in another notation, keys
//! that are not plain words. serde-saphyr then reads the whole block, errors included.
//!
//! Why: serde-saphyr spends some 130,000 instructions on a ten-line front matter; this reads it
//! in a few thousand. A test compares the two on every front matter of the fixtures, the shared
//! corpus and a set of edge cases.

use crate::document::tree::{Entry, Node, Value};

/// Words a YAML 1.1 reader (serde-saphyr is one) may take for a null or a number, in any case
/// (the bool words are read here).
const NOT_STRINGS: [&str; 6] = ["null", "~", "", "inf", "infinity", "nan"];

/// The words YAML 1.1 reads as `true` and as `false`, in any case.
const TRUE: [&str; 4] = ["true", "yes", "on", "y"];
const FALSE: [&str; 4] = ["false", "no", "off", "n"];

/// Bytes a plain scalar may not start with (YAML's indicators), or that make it something
/// else than text.
const INDICATORS: &[u8] = b"-?:,[]{}#&*!|>'\"%@`";

/// Longer blocks are left to serde-saphyr (its budget of 200,000 events is never near).
const MAX_LEN: usize = 128 * 1024;

/// YAML reads a key only within this many characters of its colon.
const MAX_KEY: usize = 1024;

/// A character YAML allows in a document, and this reader takes as it is.
fn plain_character(c: char) -> bool {
    matches!(c, '\n' | ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// A key whose value is not written on its line: a null, or the list on the lines after it.
struct Open {
    key: String,
    key_span: std::ops::Range<usize>,
    /// Where a null is placed: at the colon.
    colon: usize,
    /// Where the list starts (as serde-saphyr places it), the column of its dashes, its items.
    list: Option<(usize, usize, Vec<Node>)>,
}

impl Open {
    fn close(self) -> Entry {
        let colon = self.colon;
        let value = match self.list {
            Some((at, _, items)) => {
                let value = Value::Seq(items);
                Node {
                    span: super::items_span(at..at, &value),
                    value,
                }
            }
            None => Node {
                span: colon..colon,
                value: Value::Null,
            },
        };
        Entry {
            key: self.key,
            key_span: self.key_span,
            value,
        }
    }
}

/// The tree of `content` (whose first byte is at `base` in the file), if it is a flat mapping
/// of simple values.
pub fn parse(content: &str, base: usize) -> Option<Node> {
    // Carriage returns, tabs, other line breaks, byte-order marks, characters YAML does not
    // allow (control characters, U+FFFE): left to serde-saphyr, as is a block so long that its
    // budget of events might run out.
    if content.len() > MAX_LEN || !content.chars().all(plain_character) {
        return None;
    }
    let mut entries = Vec::new();
    let mut open: Option<Open> = None;
    let mut line_start = 0;
    for line in content.split_inclusive('\n') {
        let at = base + line_start;
        line_start += line.len();
        let line = line.strip_suffix('\n').unwrap_or(line);
        let text = line.trim_start_matches(' ');
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        let indent = line.len() - text.len();
        if let Some(item) = text.strip_prefix('-')
            && (item.is_empty() || item.starts_with(' '))
        {
            let list = &mut open.as_mut()?.list;
            let (value, start) = scalar(item, at + indent + 1)?;
            // An indented list starts at its first dash, one at the key's column at its first
            // item (serde-saphyr's spans).
            let (_, column, items) = list.get_or_insert_with(|| {
                (
                    if indent == 0 { start } else { at + indent },
                    indent,
                    Vec::new(),
                )
            });
            if *column != indent {
                return None;
            }
            items.push(value);
            continue;
        }
        if indent > 0 {
            return None;
        }
        entries.extend(open.take().map(Open::close));
        let (key, rest) = line.split_once(':')?;
        if line.len() - rest.len() > MAX_KEY {
            return None;
        }
        let key = key.trim_end_matches(' ');
        if !is_word(key) {
            return None;
        }
        let key_span = at..at + key.len();
        let after_colon = at + line.len() - rest.len();
        if rest.trim_matches(' ').is_empty() {
            open = Some(Open {
                key: key.to_string(),
                key_span,
                colon: after_colon - 1,
                list: None,
            });
            continue;
        }
        // At least one space after the colon.
        if !rest.starts_with(' ') {
            return None;
        }
        let (value, _) = scalar(rest, after_colon)?;
        entries.push(Entry {
            key: key.to_string(),
            key_span,
            value,
        });
    }
    entries.extend(open.take().map(Open::close));
    let first = entries.first()?.key_span.start;
    let value = Value::Map(entries);
    Some(Node {
        span: super::items_span(first..first, &value),
        value,
    })
}

/// A key this reader takes as it is written: a word of letters, digits, `_` and `-`, starting
/// with a letter or `_`, that YAML reads as no other thing.
fn is_word(key: &str) -> bool {
    let letters = key.bytes().enumerate().all(|(i, b)| {
        b.is_ascii_alphabetic() || b == b'_' || i > 0 && (b.is_ascii_digit() || b == b'-')
    });
    letters && !is_one_of(key, &NOT_STRINGS) && !is_one_of(key, &TRUE) && !is_one_of(key, &FALSE)
}

/// The value written in `written` (what follows a colon or a dash, from `at` in the file), and
/// where it starts; none for an empty one.
fn scalar(written: &str, at: usize) -> Option<(Node, usize)> {
    let gap = written.len() - written.trim_start_matches(' ').len();
    let text = written[gap..].trim_end_matches(' ');
    let start = at + gap;
    let node = Node {
        span: start..start + text.len(),
        value: value(text)?,
    };
    Some((node, start))
}

/// A value's meaning, if it is one this reader is sure of.
fn value(text: &str) -> Option<Value> {
    let bytes = text.as_bytes();
    let first = *bytes.first()?;
    if first == b'"' || first == b'\'' {
        let inner = text
            .strip_prefix(first as char)?
            .strip_suffix(first as char)?;
        // No escape, no quote inside (a doubled one is an escape too): the text as it is.
        let plain = !inner.contains(first as char) && (first == b'\'' || !inner.contains('\\'));
        return plain.then(|| Value::String(inner.to_string()));
    }
    if INDICATORS.contains(&first)
        || text.contains(" #")
        || text.contains(": ")
        || text.ends_with(':')
        || is_one_of(text, &NOT_STRINGS)
    {
        return None;
    }
    if is_one_of(text, &TRUE) {
        return Some(Value::Bool(true));
    }
    if is_one_of(text, &FALSE) {
        return Some(Value::Bool(false));
    }
    if let Some(number) = decimal(text) {
        return Some(Value::Integer(number));
    }
    // Only letters, digits and `_+-.`, not starting with a letter (the words that are not
    // strings are out already): a number in some notation, perhaps. Not if it holds a letter
    // no number has (`199IT`, `256-colors`: hex digits, `x`, `o`, `b`, the exponent's `e`, and
    // those of `inf` and `nan`, which are kept out whole), or is a date (`2021-05-04`) or a
    // version (`2.20.7`).
    let wordlike = bytes
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || b"_+-.".contains(b));
    if wordlike && !first.is_ascii_alphabetic() {
        let no_number_has = |b: &u8| b.is_ascii_alphabetic() && !b"abcdefABCDEFxXoObB".contains(b);
        let version = bytes.iter().all(|b| b.is_ascii_digit() || *b == b'.')
            && bytes.iter().filter(|b| **b == b'.').count() >= 2;
        let lower = text.to_ascii_lowercase();
        let special = lower.contains("inf") || lower.contains("nan");
        if !(is_date(bytes) || version || !special && bytes.iter().any(no_number_has)) {
            return None;
        }
    }
    Some(Value::String(text.to_string()))
}

/// `0`, or a decimal integer without leading zeros, sign or separators that fits an i64.
fn decimal(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let digits = bytes.iter().all(u8::is_ascii_digit);
    (digits && (bytes.len() == 1 || bytes[0] != b'0'))
        .then(|| text.parse().ok())
        .flatten()
}

/// `YYYY-MM-DD`.
fn is_date(bytes: &[u8]) -> bool {
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
}

fn is_one_of(word: &str, words: &[&str]) -> bool {
    words.iter().any(|w| w.eq_ignore_ascii_case(word))
}
