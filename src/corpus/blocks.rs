//! Text blocks of a body (leaf block elements' text, and lines of text outside them), hashed
//! after normalisation: the unit of learned boilerplate and of near-duplicate detection. Only
//! hashes and offsets are kept per file, so memory grows with the number of blocks, not their
//! text.

use std::hash::{Hash, Hasher};

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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub hash: u64,
    pub start: u32,
    pub end: u32,
}

/// White space collapsed, `&nbsp;` as a space, lower-cased: equal blocks compare equal however
/// they were indented.
pub fn normalise(text: &str) -> String {
    text.replace("&nbsp;", " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

pub fn hash_text(text: &str) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
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
    text.chars()
        .map(|c| if matches!(c as u32, 0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF) { 2 } else { 1 })
        .sum()
}

/// The blocks of `doc`'s body weighing at least `min_chars` (see [`weight`]), each with its
/// text when `keep_text` (for `artlint learn`).
pub fn blocks(doc: &Document, min_chars: usize, keep_text: bool) -> Vec<(Block, Option<String>)> {
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
    let mut push = |span: Span, text: String| {
        if weight(&text) >= min_chars {
            let block = Block {
                hash: hash_text(&text),
                start: u32::try_from(span.start).unwrap_or(u32::MAX),
                end: u32::try_from(span.end).unwrap_or(u32::MAX),
            };
            out.push((block, keep_text.then_some(text)));
        }
    };
    for leaf in &leaves {
        let text: String = texts_within(index, leaf)
            .map(|t| doc.slice(t))
            .collect::<Vec<_>>()
            .join(" ");
        push(leaf.clone(), normalise(&text));
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
                push(start..start + trimmed.len(), normalise(trimmed));
            }
            offset += line.len();
        }
    }
    out.sort_by_key(|(b, _)| (b.start, b.end));
    out
}

/// The hash of the whole body's text, normalised, and its length in characters.
pub fn body_hash(doc: &Document) -> (u64, usize) {
    let index = doc.html_index();
    let text: String = index
        .texts
        .iter()
        .map(|t| doc.slice(t))
        .collect::<Vec<_>>()
        .join(" ");
    let normalised = normalise(&text);
    (hash_text(&normalised), normalised.chars().count())
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
