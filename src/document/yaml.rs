//! YAML front matter → [`Node`] tree, through serde-saphyr (`Spanned<T>` gives byte spans).
//!
//! Most front matter is a flat list of `key: value` lines; [`flat`] reads those by hand (a
//! tenth of the work), and gives up on anything else, which serde-saphyr reads.
//!
//! Duplicate keys are passed through to our visitor so that FM006 can point at the second
//! occurrence; alias expansion and nesting are bounded by serde-saphyr's budget, so YAML
//! bombs and deep nesting end as a positioned error, not as exhausted memory or stack.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::options::{AliasLimits, DuplicateKeyPolicy, NonFiniteFloatPolicy};
use serde_saphyr::{Budget, Location, Options, Spanned};

mod flat;

use super::SyntaxError;
use super::tree::{Entry, Node, Value};
use crate::diagnostic::Span;

/// Deeper than any real front matter; keeps recursion well inside a 2 MiB thread stack.
const MAX_DEPTH: usize = 24;

/// Parser events (every scalar, and every mapping's and sequence's start and end) one front
/// matter block may hold.
const MAX_EVENTS: usize = 200_000;

/// Front matter is small: these limits are generous for any real post and tiny for a bomb.
fn options() -> Options {
    let mut budget = Budget::default();
    budget.max_events = MAX_EVENTS;
    budget.max_depth = MAX_DEPTH;
    budget.max_recorded_anchor_events = 100_000;
    let mut alias_limits = AliasLimits::default();
    alias_limits.max_total_replayed_events = 100_000;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.alias_limits = alias_limits;
    options.duplicate_keys = DuplicateKeyPolicy::PassThrough;
    // A 400-digit plain scalar overflows f64: a number all the same (DT001 says "a number,
    // not a date"), not a syntax error quoting 10,000 digits.
    options.non_finite_float_policy = NonFiniteFloatPolicy::PassThrough;
    options
}

/// Parse `content`, whose first byte is at `base` in the file.
pub fn parse(content: &str, base: usize) -> Result<Node, SyntaxError> {
    if content.trim().is_empty() {
        return Ok(Node {
            span: base..base,
            value: Value::Map(Vec::new()),
        });
    }
    if let Some(node) = flat::parse(content, base) {
        return Ok(node);
    }
    parse_with_serde_saphyr(content, base)
}

/// [`parse`], every block through serde-saphyr.
fn parse_with_serde_saphyr(content: &str, base: usize) -> Result<Node, SyntaxError> {
    match serde_saphyr::from_str_with_options::<Spanned<RawValue>>(content, options()) {
        Ok(spanned) => Ok(to_node(spanned, content, base)),
        Err(error) => {
            let at = error
                .location()
                .map_or(0, |loc| line_column_offset(&loc, content));
            Err(SyntaxError {
                message: first_line(&error.to_string()),
                span: base + at..base + at,
            })
        }
    }
}

/// serde-saphyr's messages can carry a rendered snippet after the first line; we draw our own.
/// Our own span carries the position, so drop serde-saphyr's "error: line L column C: " prefix.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or("invalid YAML").trim();
    let line = line.strip_prefix("error: ").unwrap_or(line);
    let line = match line
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
    {
        Some((position, rest)) if position.contains("column") => rest,
        _ => line,
    };
    if line.contains("budget breached: Depth") || line.contains("recursion limit") {
        return format!("nested more than {MAX_DEPTH} levels deep");
    }
    if line.contains("budget breached: Events") {
        // Plain size, not an alias: 100,000 fields of a scraped dump.
        return format!(
            "more than {MAX_EVENTS} YAML values; front matter this large is not a post's header"
        );
    }
    if line.contains("budget breached") || line.contains("alias") && line.contains("limit") {
        return format!("too large to expand ({line}); a YAML alias bomb?");
    }
    shorten(line)
}

/// Parser messages quote the offending text; a 10,000-character value must not flood the report.
fn shorten(message: &str) -> String {
    const MAX: usize = 160;
    if message.chars().count() <= MAX {
        return message.to_string();
    }
    let cut: String = message.chars().take(MAX).collect();
    format!("{cut}…")
}

/// Byte offset of a location's line and column (1-based, in chars), which errors always carry.
fn line_column_offset(loc: &Location, content: &str) -> usize {
    let line = usize::try_from(loc.line()).unwrap_or(0);
    let column = usize::try_from(loc.column()).unwrap_or(0);
    if line == 0 {
        return location_span(loc, content).start;
    }
    // Line L starts after the (L-1)th line break.
    let line_start = match line - 1 {
        0 => 0,
        breaks => content
            .match_indices('\n')
            .nth(breaks - 1)
            .map_or(content.len(), |(i, _)| i + 1),
    };
    content[line_start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(content.len(), |(i, _)| line_start + i)
}

fn location_span(loc: &Location, content: &str) -> Span {
    let span = loc.span();
    let start = span
        .byte_offset()
        .and_then(|o| usize::try_from(o).ok())
        .unwrap_or(0)
        .min(content.len());
    let len = span
        .byte_len()
        .and_then(|l| usize::try_from(l).ok())
        .unwrap_or(0);
    start..(start + len).min(content.len())
}

fn to_node(spanned: Spanned<RawValue>, content: &str, base: usize) -> Node {
    let mut span = location_span(&spanned.referenced, content);
    if matches!(spanned.value, RawValue::String(_))
        && let Some(header) = block_scalar_header(content, span.start)
    {
        span.start = header;
    }
    let span = base + span.start..base + span.end;
    let value = match spanned.value {
        RawValue::Null => Value::Null,
        RawValue::Bool(b) => Value::Bool(b),
        RawValue::Integer(i) => Value::Integer(i),
        RawValue::Float(f) => Value::Float(f),
        RawValue::String(s) => Value::String(s),
        RawValue::Seq(items) => Value::Seq(
            items
                .into_iter()
                .map(|item| to_node(item, content, base))
                .collect(),
        ),
        RawValue::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(key, value)| {
                    let key_span = location_span(&key.referenced, content);
                    Entry {
                        key: key.value.0,
                        key_span: base + key_span.start..base + key_span.end,
                        value: to_node(value, content, base),
                    }
                })
                .collect(),
        ),
    };
    let span = collection_span(span, &value, content, base);
    Node { span, value }
}

/// serde-saphyr spans a block collection as an empty point at its first item, and a flow one
/// as its opening bracket: span the items (and the closing bracket), so that a finding about
/// the whole value shows it.
fn collection_span(span: Span, value: &Value, content: &str, base: usize) -> Span {
    let Span { start, mut end } = items_span(span.clone(), value);
    if (start..end) == span {
        return span;
    }
    let closer = match content.as_bytes().get(start.saturating_sub(base)) {
        Some(b'[') => Some(b']'),
        Some(b'{') => Some(b'}'),
        _ => None,
    };
    if let Some(closer) = closer {
        let rest = content
            .as_bytes()
            .get(end.saturating_sub(base)..)
            .unwrap_or_default();
        if let Some(at) = rest
            .iter()
            .position(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b','))
            && rest[at] == closer
        {
            end += at + 1;
        }
    }
    start..end
}

/// Where the header (`|`, `>-`, `|2+`) of the block scalar whose content starts at `start` is,
/// if it is one. serde-saphyr spans a block scalar from its content; a node's span starts at
/// the indicator, as a quoted scalar's does at its quote, so that rules can tell the style
/// (whose final line break and folding are by design, not padding to trim).
fn block_scalar_header(content: &str, start: usize) -> Option<usize> {
    let before = content.get(..start)?;
    // The content is indented on a line of its own, after the header's line (and blank lines).
    let line_start = before.rfind('\n')? + 1;
    if !before[line_start..]
        .bytes()
        .all(|b| b == b' ' || b == b'\t')
    {
        return None;
    }
    let header_line = before[..line_start]
        .trim_end()
        .rsplit('\n')
        .next()
        .unwrap_or_default();
    let header_line_start = before[..line_start].trim_end().len() - header_line.len();
    // The indicator is the line's last `|` or `>` that starts a token, followed only by
    // chomping and indentation indicators, then the line's end or white space and a comment
    // (`key: |-`, `key: > # why`, `key: |\t# why`, `"note #1": |`).
    let bytes = header_line.as_bytes();
    let at = bytes.iter().enumerate().rev().find_map(|(i, &b)| {
        let starts_token = i == 0 || matches!(bytes[i - 1], b' ' | b'\t');
        if !(matches!(b, b'|' | b'>') && starts_token) {
            return None;
        }
        let rest = &bytes[i + 1..];
        let flags = rest
            .iter()
            .take_while(|b| matches!(b, b'-' | b'+' | b'1'..=b'9'))
            .count();
        let after = &rest[flags..];
        let ends = after.is_empty()
            || matches!(after[0], b' ' | b'\t') && {
                let tail = header_line[header_line.len() - after.len()..].trim_start();
                tail.is_empty() || tail.starts_with('#')
            };
        ends.then_some(i)
    })?;
    Some(header_line_start + at)
}

/// `span` widened to the items of a collection (from its first item or key to its last value),
/// as both readers span one.
fn items_span(span: Span, value: &Value) -> Span {
    let (first, last) = match value {
        Value::Seq(items) => match (items.first(), items.last()) {
            (Some(first), Some(last)) => (first.span.start, last.span.end),
            _ => return span,
        },
        Value::Map(entries) => match (entries.first(), entries.last()) {
            (Some(first), Some(last)) => (first.key_span.start, last.value.span.end),
            _ => return span,
        },
        _ => return span,
    };
    span.start.min(first)..span.end.max(last)
}

/// What serde-saphyr hands us before spans are made absolute.
enum RawValue {
    Null,
    Bool(bool),
    Integer(i64),
    Float(f64),
    String(String),
    Seq(Vec<Spanned<RawValue>>),
    Map(Vec<(Spanned<KeyText>, Spanned<RawValue>)>),
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawValueVisitor)
    }
}

struct RawValueVisitor;

impl<'de> Visitor<'de> for RawValueVisitor {
    type Value = RawValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<RawValue, E> {
        Ok(RawValue::Null)
    }
    fn visit_none<E>(self) -> Result<RawValue, E> {
        Ok(RawValue::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawValue, D::Error> {
        RawValue::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<RawValue, E> {
        Ok(RawValue::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<RawValue, E> {
        Ok(RawValue::Integer(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<RawValue, E> {
        Ok(i64::try_from(v).map_or(RawValue::Float(v as f64), RawValue::Integer))
    }
    fn visit_i128<E>(self, v: i128) -> Result<RawValue, E> {
        Ok(i64::try_from(v).map_or(RawValue::Float(v as f64), RawValue::Integer))
    }
    fn visit_u128<E>(self, v: u128) -> Result<RawValue, E> {
        Ok(i64::try_from(v).map_or(RawValue::Float(v as f64), RawValue::Integer))
    }
    fn visit_f64<E>(self, v: f64) -> Result<RawValue, E> {
        Ok(RawValue::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<RawValue, E> {
        Ok(RawValue::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<RawValue, E> {
        Ok(RawValue::String(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<RawValue, E> {
        Ok(RawValue::String(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<RawValue>>()? {
            items.push(item);
        }
        Ok(RawValue::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawValue, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<KeyText>>()? {
            let value = map.next_value::<Spanned<RawValue>>()?;
            entries.push((key, value));
        }
        Ok(RawValue::Map(entries))
    }
}

/// A mapping key as text (`2021: x` and `true: y` are keys too).
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = KeyText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a scalar key")
            }
            fn visit_str<E>(self, v: &str) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<KeyText, E> {
                Ok(KeyText(v))
            }
            fn visit_bool<E>(self, v: bool) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<KeyText, E> {
                Ok(KeyText(String::new()))
            }
            fn visit_none<E>(self) -> Result<KeyText, E> {
                Ok(KeyText(String::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, _seq: A) -> Result<KeyText, A::Error> {
                Err(de::Error::custom("a list cannot be a front-matter key"))
            }
            fn visit_map<A: MapAccess<'de>>(self, _map: A) -> Result<KeyText, A::Error> {
                Err(de::Error::custom("a mapping cannot be a front-matter key"))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice<'a>(text: &'a str, span: &Span) -> &'a str {
        &text[span.clone()]
    }

    #[test]
    fn keys_and_values_keep_byte_spans() {
        let text = "title: '商务部谈中俄'\ncategories:\n - 金融\ncomments: false\n";
        let node = parse(text, 0).unwrap();
        let title = node.get("title").unwrap();
        assert_eq!(slice(text, &title.key_span), "title");
        assert!(slice(text, &title.value.span).contains("商务部谈中俄"));
        let cats = node.get("categories").unwrap();
        let Value::Seq(items) = &cats.value.value else {
            panic!("not a list")
        };
        assert_eq!(slice(text, &items[0].span), "金融");
        assert_eq!(
            node.get("comments").unwrap().value.value,
            Value::Bool(false)
        );
    }

    #[test]
    fn a_block_scalar_is_spanned_from_its_indicator() {
        let text = "description: >\n  What changed.\nsummary: |- # kept as written\n  One\n\n  Two\n\
                    tags:\n  - |2\n     indented\nplain:\n  on the next line\n";
        let node = parse(text, 0).unwrap();
        let span_of = |key: &str| slice(text, &node.get(key).unwrap().value.span);
        assert!(span_of("description").starts_with(">\n  What changed."));
        assert!(span_of("summary").starts_with("|- # kept as written\n  One"));
        let text = "\"note #1\": |\n  One\ntabbed: >\t# why\n  Two\n";
        let node = parse(text, 0).unwrap();
        let span_of = |key: &str| slice(text, &node.get(key).unwrap().value.span);
        assert!(span_of("note #1").starts_with("|\n  One"));
        assert!(span_of("tabbed").starts_with(">\t# why\n  Two"));
        let text = "description: >\n  What changed.\nsummary: |- # kept as written\n  One\n\n  Two\n\
                    tags:\n  - |2\n     indented\nplain:\n  on the next line\n";
        let node = parse(text, 0).unwrap();
        let span_of = |key: &str| slice(text, &node.get(key).unwrap().value.span);
        let Value::Seq(tags) = &node.get("tags").unwrap().value.value else {
            panic!("not a list")
        };
        assert!(slice(text, &tags[0].span).starts_with("|2\n     indented"));
        // A plain scalar continued on the next line is not one.
        assert!(span_of("plain").starts_with("on the next line"));
    }

    #[test]
    fn collections_are_spanned_from_first_item_to_last() {
        let text = "tags:\n  - a\n  - b\ncover:\n  image: /a.png\n  alt: A\nflow: [x, [y, z] ]\nmap: {k: v}\n";
        let node = parse(text, 3).unwrap();
        let span_of = |key: &str| {
            let span = &node.get(key).unwrap().value.span;
            &text[span.start - 3..span.end - 3]
        };
        assert_eq!(span_of("tags"), "- a\n  - b");
        assert_eq!(span_of("cover"), "image: /a.png\n  alt: A");
        assert_eq!(span_of("flow"), "[x, [y, z] ]");
        assert_eq!(span_of("map"), "{k: v}");
    }

    #[test]
    fn duplicate_keys_are_kept_in_order() {
        let node = parse("a: 1\nb: 2\na: 3\n", 10).unwrap();
        let keys: Vec<_> = node
            .entries()
            .iter()
            .map(|e| (e.key.as_str(), e.key_span.start))
            .collect();
        assert_eq!(keys, vec![("a", 10), ("b", 15), ("a", 20)]);
    }

    #[test]
    fn syntax_errors_are_positioned() {
        let text = "layout: post\ntitle: Roadmap: what comes next\n";
        let err = parse(text, 4).unwrap_err();
        assert_eq!(
            err.span.start - 4,
            text.find("Roadmap:").unwrap() + 7,
            "{err:?}"
        );
        assert!(!err.message.is_empty());
    }

    /// Front matter blocks to read both ways: every one of the fixtures and of the shared
    /// corpus (when it is beside the repository), and edge cases of each kind of value.
    fn front_matters() -> Vec<String> {
        fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if let Ok(text) = std::fs::read_to_string(&path)
                    && let Some(rest) = text.strip_prefix("---\n")
                    && let Some(end) = rest.find("\n---")
                {
                    out.push(rest[..=end].to_string());
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        walk(&root.join("fixtures"), &mut out);
        walk(&root.join("../shared/corpus"), &mut out);
        let values = [
            "post",
            "2018-05-04",
            "2018-5-4",
            "2018-05-04 10:00:00",
            "2018-05-04T10:00:00+08:00",
            "1201",
            "0",
            "0123",
            "-1",
            "+1",
            "1_000",
            "0x1F",
            "0o17",
            "0b11",
            "12.5",
            "1e3",
            "1e+3",
            ".5",
            "5.",
            ".inf",
            "-.inf",
            ".nan",
            "inf",
            "NaN",
            "Infinity",
            "true",
            "True",
            "TRUE",
            "yes",
            "No",
            "on",
            "OFF",
            "y",
            "N",
            "null",
            "Null",
            "~",
            "a b c",
            "x #c",
            "x# c",
            "12:30",
            "1:2",
            "1.2.3",
            "1,000",
            "9223372036854775807",
            "9223372036854775808",
            "199IT",
            "996ICU",
            "256-color-images",
            "170-rc1-release",
            "2.20.7",
            "1..2",
            "1.2.",
            "12abc",
            "1e5x",
            "0xFFg",
            "1_000x",
            "+12h",
            "-5min",
            ".5s",
            "-.Inf",
            "+.INF",
            "1nan",
            "2inf",
            "-",
            "- x",
            "? x",
            ": x",
            "a: b",
            "a:",
            "a:b",
            "&a x",
            "*a",
            "!tag x",
            "|",
            ">",
            "%x",
            "@x",
            "`x`",
            "[a, b]",
            "{a: b}",
            "\"quoted\"",
            "'single'",
            "\"es\\\"cape\"",
            "\"back\\slash\"",
            "'it''s'",
            "\"open",
            "'open",
            "\"a\" b",
            "\"a\" # c",
            "C:\\path",
            "say \"hi\"",
            "http://example.com/a.png?x=1#frag",
            "北大 vs 北大：一場",
            "é",
            "x  ",
            "",
        ];
        for value in values {
            out.push(format!("title: {value}\nk: z\n"));
            out.push(format!("k: z\n\n# a comment\ntitle:   {value}   \n"));
        }
        for text in [
            "a: 1",
            "a: 1\n",
            "\na: 1\n\n",
            "# c\na: 1\n",
            "a: x\nb:\n  - y\n",
            "a: x\n  b\n",
            "yes: x\n",
            "2021: x\n",
            "a b: x\n",
            "a-b: x\n",
            "_a: x\n",
            "-a: x\n",
            "a.b: x\n",
            "a:x\n",
            "a : x\n",
            "a: x\na: y\n",
            "a: x\r\n",
            "a:\tx\n",
            " a: x\n",
            "# only\n",
            "a: x\n---\nb: y\n",
            "a: x\n...\n",
            "\u{feff}a: x\n",
            "a: x\u{2028}b: y\n",
            "l:\n- A\n- B\nk: z\n",
            "l:\n  - A\n  - B\nk: z\n",
            "l:\n - A\n -  B\n",
            "l:\n- A\n  - B\n",
            "l:\n  - A\n- B\n",
            "l:\n-  A  \n-\n- B\n",
            "l:\n- A\n\n# c\n  # d\n- B\n",
            "l:\n- 1\n- true\n- \"q\"\n- a b\n",
            "l:\n- a: b\n",
            "l:\n- - a\n",
            "l:\n- [a]\n",
            "- a\n",
            "k: v\n- a\n",
            "l:\n-a\n",
            "d:\nk: z\n",
            "d: \nk: z\n",
            "d:\n",
            "d:   \n",
            "title : x\nk: z\n",
            "title  :  x\n",
            "title :\n",
            "c: True\nd: No\ne: off\nf: Y\ng: n\nh: TRUE\n",
            "l:\n  a: b\n",
            "l:\n  x\n",
            "a: b\n  c\n",
            "a: 'x'\nb: \"\"\nc: ''\n",
            "title: Annual report\u{c}2021\nk: z\n",
            "title: It\u{80}\u{99}s\n",
            "title: 'a\u{1b}[0m'\n",
            "# note\u{7}\ntitle: x\n",
            "title: a\u{7f}b\n",
            "title: a\u{0}b\n",
            "title: x\u{ffff}\n",
        ] {
            out.push(text.to_string());
        }
        // Keys past YAML's 1,024-character look-ahead for a colon.
        out.push(format!("{}: x\n", "a".repeat(1025)));
        out.push(format!("k: v\n{}: x\n", "a".repeat(1025)));
        out.push(format!("a{}: x\n", " ".repeat(1024)));
        out.push(format!("{}: x\n", "a".repeat(1000)));
        out
    }

    /// Where the flat reader reads a block, it gives serde-saphyr's tree; and it reads most.
    #[test]
    fn the_flat_reader_agrees_with_serde_saphyr() {
        let blocks = front_matters();
        let mut read = 0;
        for block in &blocks {
            let Some(flat) = flat::parse(block, 7) else {
                continue;
            };
            read += 1;
            let full = parse_with_serde_saphyr(block, 7);
            assert_eq!(Ok(&flat), full.as_ref(), "{block:?}");
        }
        assert!(
            read * 2 > blocks.len(),
            "{read} of {} read flat",
            blocks.len()
        );
        // Each kind of value it reads, read.
        for block in [
            "title: Post\ndate: 2021-05-04\nweight: 12\ndraft: false\nimage: \"\"\n",
            "title : x\ndescription:\ncategories:\n- A\n- B c\ntags:\n  - t\n# c\nk: 'z'\n",
        ] {
            assert!(flat::parse(block, 0).is_some(), "{block:?}");
        }
    }

    #[test]
    fn alias_bombs_are_bounded() {
        let mut yaml = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..30 {
            let p = i - 1;
            yaml.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let error = parse(&yaml, 0).expect_err("an alias bomb");
        assert!(error.message.contains("alias bomb"), "{}", error.message);
    }

    #[test]
    fn a_huge_plain_block_is_called_huge_not_a_bomb() {
        let yaml: String = (0..150_000).map(|i| format!("k{i}: v\n")).collect();
        let error = parse(&yaml, 0).expect_err("over the budget");
        assert!(!error.message.contains("alias"), "{}", error.message);
        assert!(error.message.contains("more than 200000 YAML values"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let yaml = format!("x: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse(&yaml, 0).is_err());
        let block: String = (0..10_000)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        assert!(parse(&block, 0).is_err());
    }
}
