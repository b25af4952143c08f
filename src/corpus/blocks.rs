//! Text blocks of a body (leaf block elements' text, and lines of text outside them), hashed
//! after normalisation: the unit of learned boilerplate and of near-duplicate detection. Only
//! hashes and offsets are kept per file, so memory grows with the number of blocks, not their
//! text.

use crate::diagnostic::Span;
use crate::document::Document;
use crate::document::html::HtmlIndex;

/// Elements whose text makes a block.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "td",
    "th",
    "dd",
    "dt",
    "figcaption",
    "div",
    "section",
    "footer",
    "header",
    "aside",
    "article",
    "center",
    "pre",
    "table",
    "ul",
    "ol",
    "figure",
];

/// One block: the hash of its normalised text and where it is.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Block {
    pub hash: u64,
    pub start: u32,
    pub end: u32,
}

/// White space collapsed, `&nbsp;` as a space, ASCII lower-cased: equal blocks compare equal
/// however they were indented. (Hashing streams the same normalisation: [`hash_normalised`].)
pub fn normalise(text: &str) -> String {
    text.replace("&nbsp;", " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase()
}

pub fn hash_text(text: &str) -> u64 {
    hash_normalised([text].into_iter()).0
}

/// A word-at-a-time hash (FxHash's mixing) over a byte stream: bytes are buffered and mixed
/// eight at a time, so the per-byte cost is a copy. Stable across runs and platforms.
struct StreamHash {
    state: u64,
    buffer: [u8; 8],
    filled: usize,
    total: u64,
}

impl StreamHash {
    const K: u64 = 0x517c_c1b7_2722_0a95;

    fn new() -> StreamHash {
        StreamHash {
            state: 0,
            buffer: [0; 8],
            filled: 0,
            total: 0,
        }
    }

    #[inline]
    fn byte(&mut self, b: u8) {
        self.buffer[self.filled] = b;
        self.filled += 1;
        if self.filled == 8 {
            self.mix(u64::from_le_bytes(self.buffer));
            self.filled = 0;
        }
    }

    #[inline]
    fn mix(&mut self, word: u64) {
        self.state = (self.state.rotate_left(5) ^ word).wrapping_mul(Self::K);
        self.total += 8;
    }

    fn finish(mut self) -> u64 {
        let filled = self.filled;
        let mut word = [0u8; 8];
        word[..filled].copy_from_slice(&self.buffer[..filled]);
        self.mix(u64::from_le_bytes(word));
        // The length tells "ab" from "ab\0".
        self.mix(self.total - 8 + filled as u64);
        self.state
    }
}

/// Hash the normalised text of `parts` (as [`normalise`] would write it) without building it,
/// and weigh it (see [`weight`]). This is the hot loop of the corpus pass.
/// Write a character's bytes, after the single space that separates it from the previous word.
/// Returns the weight of the space written (0 or 1).
fn emit(hasher: &mut StreamHash, pending_space: &mut bool, bytes: &[u8]) -> usize {
    let space = std::mem::take(pending_space);
    if space {
        hasher.byte(b' ');
    }
    for &b in bytes {
        hasher.byte(b);
    }
    usize::from(space)
}

pub fn hash_normalised<'a>(parts: impl Iterator<Item = &'a str>) -> (u64, usize) {
    let mut hasher = StreamHash::new();
    let mut weight = 0;
    let mut pending_space = false;
    let mut started = false;
    for part in parts {
        // Parts are separate text runs: a space between them.
        pending_space |= started;
        let bytes = part.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_whitespace() || bytes[i..].starts_with(b"&nbsp;") {
                pending_space |= started;
                i += if b == b'&' { 6 } else { 1 };
                continue;
            }
            if b >= 0x80 {
                // Non-ASCII: copy the whole character; Unicode white space separates words too.
                let c = part[i..].chars().next().unwrap_or(' ');
                if c.is_whitespace() {
                    pending_space |= started;
                    i += c.len_utf8();
                    continue;
                }
                weight += emit(&mut hasher, &mut pending_space, &bytes[i..i + c.len_utf8()]);
                weight += char_weight(c);
                started = true;
                i += c.len_utf8();
                continue;
            }
            weight += emit(&mut hasher, &mut pending_space, &[b.to_ascii_lowercase()]);
            weight += 1;
            started = true;
            i += 1;
        }
    }
    (hasher.finish(), weight)
}

fn texts_within<'a>(index: &'a HtmlIndex, range: &Span) -> impl Iterator<Item = &'a Span> {
    let first = index.texts.partition_point(|t| t.start < range.start);
    index.texts[first..]
        .iter()
        .take_while(move |t| t.end <= range.end)
}

/// How long a block reads: CJK characters count double (one of them is about a word), so that
/// `查看知乎原文` weighs as much as `Read more on our site`.
pub fn weight(text: &str) -> usize {
    text.chars().map(char_weight).sum()
}

fn char_weight(c: char) -> usize {
    if matches!(c as u32, 0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF) {
        2
    } else {
        1
    }
}

/// The blocks of a body, and a hash of the whole body made of all its blocks' hashes (the
/// short ones too): equal bodies have equal sequences of blocks.
pub struct Body {
    pub blocks: Vec<(Block, Option<String>)>,
    pub hash: u64,
    pub weight: usize,
}

/// The blocks of `doc`'s body weighing at least `min_chars` (see [`weight`]), each with its
/// text when `keep_text` (for `artlint learn`).
pub fn blocks(doc: &Document, min_chars: usize, keep_text: bool) -> Vec<(Block, Option<String>)> {
    body(doc, min_chars, keep_text).blocks
}

/// [`blocks`], and the body's hash, in one pass over the text.
pub fn body(doc: &Document, min_chars: usize, keep_text: bool) -> Body {
    let index = doc.html_index();
    let is_block = |name: &str| BLOCK_TAGS.contains(&name);
    let block_elements: Vec<&crate::document::html::Element> = index
        .elements
        .iter()
        .filter(|e| is_block(&e.name) && e.end_tag.is_some())
        .collect();
    // A leaf holds no other block element.
    let mut leaves: Vec<Span> = Vec::new();
    for (i, el) in block_elements.iter().enumerate() {
        let content = el.content();
        let nested = block_elements
            .get(i + 1)
            .is_some_and(|next| next.start_tag.start < content.end);
        if !nested {
            leaves.push(el.span());
        }
    }
    let mut out = Vec::new();
    let mut body_hash = StreamHash::new();
    let mut body_weight = 0;
    let mut push = |span: Span, parts: &[&str]| {
        let (hash, weight) = hash_normalised(parts.iter().copied());
        if weight > 0 {
            body_hash.mix(hash);
            body_weight += weight;
        }
        if weight >= min_chars {
            let block = Block {
                hash,
                start: u32::try_from(span.start).unwrap_or(u32::MAX),
                end: u32::try_from(span.end).unwrap_or(u32::MAX),
            };
            out.push((block, keep_text.then(|| normalise(&parts.join(" ")))));
        }
    };
    let mut parts: Vec<&str> = Vec::new();
    for leaf in &leaves {
        parts.clear();
        parts.extend(texts_within(index, leaf).map(|t| doc.slice(t)));
        push(leaf.clone(), &parts);
    }
    // Text outside every leaf block (Markdown bodies, text directly in a wrapper): by lines.
    for text in &index.texts {
        let inside = leaves
            .partition_point(|l| l.start <= text.start)
            .checked_sub(1)
            .is_some_and(|i| leaves[i].end >= text.end);
        if inside {
            continue;
        }
        let raw = doc.slice(text);
        let mut offset = text.start;
        for line in raw.split_inclusive('\n') {
            let trimmed = line.trim();
            if !trimmed.is_empty() {
                let lead = line.len() - line.trim_start().len();
                let start = offset + lead;
                push(start..start + trimmed.len(), &[trimmed]);
            }
            offset += line.len();
        }
    }
    out.sort_by_key(|(b, _)| (b.start, b.end));
    Body {
        blocks: out,
        hash: body_hash.finish(),
        weight: body_weight,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::LoadedSource;
    use std::path::Path;
    use std::sync::Arc;

    fn doc(text: &str) -> Document {
        Document::parse(
            Arc::from(Path::new("a.md")),
            LoadedSource {
                text: text.to_string(),
                encoding: Default::default(),
            },
        )
    }

    #[test]
    fn leaf_blocks_and_loose_lines() {
        let text = "---\ntitle: a\n---\n<div>\n<p>  海量资讯、精准解读，尽在新浪财经APP </p>\n<div class=q><div>二维码下方的说明文字很长很长</div></div>\nA loose line of Markdown text.\n</div>\n";
        let d = doc(text);
        let found: Vec<String> = blocks(&d, 5, true)
            .into_iter()
            .map(|(_, t)| t.unwrap())
            .collect();
        assert_eq!(
            found,
            [
                "海量资讯、精准解读，尽在新浪财经app",
                "二维码下方的说明文字很长很长",
                "a loose line of markdown text."
            ]
        );
        let (first, _) = &blocks(&d, 5, false)[0];
        assert_eq!(
            &text[first.start as usize..first.end as usize],
            "<p>  海量资讯、精准解读，尽在新浪财经APP </p>"
        );
    }

    #[test]
    fn equal_text_hashes_equal_whatever_the_spacing() {
        assert_eq!(
            hash_text(&normalise("Read more  on\nour app")),
            hash_text(&normalise("read more on our app"))
        );
    }
}
