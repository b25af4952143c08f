//! Text blocks of a body (leaf block elements' text, and lines of text outside them), hashed
//! after normalisation: the unit of learned boilerplate and of near-duplicate detection. Only
//! hashes and offsets are kept per file, so memory grows with the number of blocks, not their
//! text.

use crate::diagnostic::Span;
use crate::document::Document;
use crate::document::html::HtmlIndex;
use crate::swar::{HIGH, ONES, bytes_equal_to, word_at};

/// Elements whose text makes a block (a `match`: asked of every element of every body).
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "li"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "td"
            | "th"
            | "dd"
            | "dt"
            | "figcaption"
            | "div"
            | "section"
            | "footer"
            | "header"
            | "aside"
            | "article"
            | "center"
            | "pre"
            | "table"
            | "ul"
            | "ol"
            | "figure"
    )
}

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
    hash_normalised([text].into_iter(), &mut Vec::new()).0
}

/// A word-at-a-time hash (FxHash's mixing): stable across runs and platforms.
struct WordHash(u64);

impl WordHash {
    const K: u64 = 0x517c_c1b7_2722_0a95;

    #[inline]
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::K);
    }

    /// All of `bytes`, eight at a time, then their length (which tells "ab" from "ab\0").
    fn bytes(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in chunks.by_ref() {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        self.mix(u64::from_le_bytes(word));
        self.mix(bytes.len() as u64);
    }
}

/// ASCII white space as `char::is_whitespace` (and so [`normalise`]) has it: with the vertical
/// tab, which `u8::is_ascii_whitespace` leaves out.
const fn is_ascii_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// Bytes copied as they are (lower-cased): ASCII other than white space and `&`.
const PLAIN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = !is_ascii_space(b as u8) && b as u8 != b'&';
        b += 1;
    }
    table
};

/// Eight bytes that normalise to themselves (lower-cased) inside a run of words: ASCII from the
/// space up, none `&`, and each space single and followed by another byte of the eight (a
/// space last might start a longer gap). Control characters, which [`PLAIN`] passes, take the
/// byte-by-byte path.
#[inline]
fn copied_as_is(word: u64) -> bool {
    let from_space = word.wrapping_add(0x60 * ONES) & HIGH == HIGH;
    let ascii = word & HIGH == 0;
    if !(ascii && from_space) {
        return false;
    }
    let ampersands = bytes_equal_to(word, b'&');
    let spaces = bytes_equal_to(word, b' ');
    let doubled = spaces & (spaces >> 8);
    let last = 0x80 << 56;
    ampersands == 0 && doubled == 0 && spaces & last == 0
}

/// ASCII letters of eight ASCII bytes lower-cased.
#[inline]
fn lowercase(word: u64) -> u64 {
    let from_a = word.wrapping_add(0x3F * ONES);
    let past_z = word.wrapping_add(0x25 * ONES);
    word | ((from_a & !past_z & HIGH) >> 2)
}

/// Hash the normalised text of `parts` (as [`normalise`] would write it) and weigh it (see
/// [`weight`]). This is the hot loop of the corpus pass: plain ASCII is lower-cased and copied
/// eight bytes at a time where it can be, CJK ideographs are recognised by their lead byte, other
/// characters decoded by hand, into `scratch` (reused between calls), which is hashed eight bytes
/// at a time.
pub fn hash_normalised<'a>(
    parts: impl Iterator<Item = &'a str>,
    scratch: &mut Vec<u8>,
) -> (u64, usize) {
    scratch.clear();
    let mut weight = 0;
    let mut pending_space = false;
    for part in parts {
        pending_space |= !scratch.is_empty();
        let bytes = part.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            if PLAIN[usize::from(b)] {
                if std::mem::take(&mut pending_space) {
                    scratch.push(b' ');
                    weight += 1;
                }
                let start = i;
                while i + 8 <= bytes.len() {
                    let word = word_at(bytes, i);
                    if !copied_as_is(word) {
                        break;
                    }
                    scratch.extend_from_slice(&lowercase(word).to_le_bytes());
                    i += 8;
                }
                while let Some(&b) = bytes.get(i).filter(|&&b| PLAIN[usize::from(b)]) {
                    scratch.push(b.to_ascii_lowercase());
                    i += 1;
                }
                weight += i - start;
                continue;
            }
            if is_ascii_space(b) {
                pending_space |= !scratch.is_empty();
                i += 1;
                continue;
            }
            if b == b'&' {
                if bytes[i..].starts_with(b"&nbsp;") {
                    pending_space |= !scratch.is_empty();
                    i += 6;
                    continue;
                }
                if std::mem::take(&mut pending_space) {
                    scratch.push(b' ');
                    weight += 1;
                }
                scratch.push(b'&');
                weight += 1;
                i += 1;
                continue;
            }
            // A run of non-ASCII characters, copied whole (Unicode white space separates words
            // too). CJK text is made of such runs.
            let start = i;
            let mut run_weight = 0;
            while let Some(&lead) = bytes.get(i) {
                // U+4000 to U+9FFF (lead bytes E4 to E9): CJK ideographs, weighing two, never
                // white space: the common case of Chinese text, taken first.
                if lead.wrapping_sub(0xE4) < 6 || is_wide_punctuation(lead, bytes, i) {
                    i += 3;
                    run_weight += 2;
                    continue;
                }
                let Some((len, c)) = decode_non_ascii(bytes, i) else {
                    break;
                };
                if is_non_ascii_space(c) {
                    break;
                }
                i += len;
                run_weight += char_weight(c);
            }
            if i == start {
                // Non-ASCII white space.
                pending_space |= !scratch.is_empty();
                i += decode_non_ascii(bytes, i).map_or(1, |(len, _)| len);
                continue;
            }
            if std::mem::take(&mut pending_space) {
                scratch.push(b' ');
                weight += 1;
            }
            scratch.extend_from_slice(&bytes[start..i]);
            weight += run_weight;
        }
    }
    let mut hasher = WordHash(0);
    hasher.bytes(scratch);
    (hasher.0, weight)
}

/// Whether the character at `at`, led by `lead`, is CJK punctuation or kana (U+3001 to U+3FFF,
/// lead byte E3 but for the ideographic space U+3000) or a full-width form (U+FF00 to U+FFBF,
/// EF BC to EF BE): weighing two, never white space, and as common in Chinese text as commas
/// and full stops (told by their bytes, not decoded).
#[inline]
fn is_wide_punctuation(lead: u8, bytes: &[u8], at: usize) -> bool {
    let second = bytes.get(at + 1).copied().unwrap_or(0);
    match lead {
        0xE3 => !(second == 0x80 && bytes.get(at + 2) == Some(&0x80)),
        0xEF => (0xBC..=0xBE).contains(&second),
        _ => false,
    }
}

/// The length and code point of the non-ASCII character at `at` of valid UTF-8 (`None` at
/// ASCII or the end). By hand: `chars()` costs several times more on CJK punctuation.
#[inline]
fn decode_non_ascii(bytes: &[u8], at: usize) -> Option<(usize, u32)> {
    let lead = *bytes.get(at)?;
    let next = |k: usize| u32::from(bytes.get(at + k).copied().unwrap_or(0) & 0x3F);
    match lead {
        0x00..=0x7F => None,
        0x80..=0xDF => Some((2, (u32::from(lead & 0x1F) << 6) | next(1))),
        0xE0..=0xEF => Some((3, (u32::from(lead & 0x0F) << 12) | (next(1) << 6) | next(2))),
        _ => Some((
            4,
            (u32::from(lead & 0x07) << 18) | (next(1) << 12) | (next(2) << 6) | next(3),
        )),
    }
}

/// `char::is_whitespace` for code points above ASCII (Unicode's White_Space property).
#[inline]
fn is_non_ascii_space(c: u32) -> bool {
    matches!(
        c,
        0x85 | 0xA0 | 0x1680 | 0x2000..=0x200A | 0x2028 | 0x2029 | 0x202F | 0x205F | 0x3000
    )
}

#[inline]
fn char_weight(c: u32) -> usize {
    if matches!(c, 0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF) {
        2
    } else {
        1
    }
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
    text.chars().map(|c| char_weight(u32::from(c))).sum()
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
    let mut body_hash = WordHash(0);
    let mut body_weight = 0;
    let mut scratch = Vec::new();
    let mut push = |span: Span, parts: &[&str]| {
        let (hash, weight) = hash_normalised(parts.iter().copied(), &mut scratch);
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
        let mut line_start = 0;
        // Lines found with memchr's vector search (`split_inclusive('\n')` searches a word at a
        // time).
        let ends = memchr::memchr_iter(b'\n', raw.as_bytes()).map(|nl| nl + 1);
        for line_end in ends.chain((!raw.ends_with('\n')).then_some(raw.len())) {
            let line = &raw[line_start..line_end];
            let trimmed = line.trim();
            if !trimmed.is_empty() {
                let lead = line.len() - line.trim_start().len();
                let start = text.start + line_start + lead;
                push(start..start + trimmed.len(), &[trimmed]);
            }
            line_start = line_end;
        }
    }
    out.sort_by_key(|(b, _)| (b.start, b.end));
    Body {
        blocks: out,
        hash: body_hash.0,
        weight: body_weight,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document::from_text("a.md", text)
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
    fn the_streamed_hash_is_the_hash_of_the_normalised_text() {
        let samples = [
            "",
            "   ",
            "Plain ASCII text",
            "  Leading\tand trailing\n ",
            "a&nbsp;b &amp; C&nbsp;&nbsp;D &",
            "海量资讯\u{3000}精准解读 MIXED Case",
            "x\u{a0}y\u{2003}z",
            "资讯&amp;海量&价 ䷀é\u{3000}",
            "EIGHTBYTESEIGHTBYT",
        ];
        for text in samples {
            let normalised = normalise(text);
            let mut hasher = WordHash(0);
            hasher.bytes(normalised.as_bytes());
            let (hash, weight_of) = hash_normalised([text].into_iter(), &mut Vec::new());
            assert_eq!(hash, hasher.0, "{text:?} normalises to {normalised:?}");
            assert_eq!(weight_of, weight(&normalised), "{text:?}");
        }
        // Separate parts read as words separated by a space.
        let (parts, _) = hash_normalised(["Read", "more "].into_iter(), &mut Vec::new());
        assert_eq!(parts, hash_text("read more"));
        assert_ne!(hash_text("ab"), hash_text("ab\0"));
    }

    /// Every character of three bytes, alone, between ideographs and between ASCII words:
    /// the hash and the weight are those of its normalised text (the fast paths by lead byte
    /// included).
    #[test]
    fn every_three_byte_character_hashes_and_weighs_as_normalised() {
        for c in '\u{800}'..='\u{FFFF}' {
            for text in [
                format!("{c}"),
                format!("海{c}量"),
                format!("ab {c}{c} cd"),
                format!("{c}\u{3000}{c}"),
            ] {
                let normalised = normalise(&text);
                let mut hasher = WordHash(0);
                hasher.bytes(normalised.as_bytes());
                let (hash, weight_of) =
                    hash_normalised([text.as_str()].into_iter(), &mut Vec::new());
                assert_eq!(hash, hasher.0, "{text:?}");
                assert_eq!(weight_of, weight(&normalised), "{text:?}");
            }
        }
    }

    #[test]
    fn hand_decoding_agrees_with_the_standard_library() {
        let mut buf = [0u8; 4];
        for c in '\u{80}'..=char::MAX {
            let bytes = c.encode_utf8(&mut buf).as_bytes();
            assert_eq!(
                decode_non_ascii(bytes, 0),
                Some((c.len_utf8(), u32::from(c))),
                "{c:?}"
            );
            assert_eq!(is_non_ascii_space(u32::from(c)), c.is_whitespace(), "{c:?}");
        }
        assert_eq!(decode_non_ascii(b"a", 0), None);
        assert_eq!(decode_non_ascii(b"", 0), None);
    }

    #[test]
    fn eight_byte_words_are_copied_only_when_bytes_would_be() {
        // Every byte value in every position of words with and without spaces: the word test
        // says yes exactly when byte by byte the eight would be copied unchanged (single spaces
        // between plain bytes, none last), and lower-casing agrees.
        let copied_bytewise = |word: &[u8; 8]| {
            word.iter()
                .all(|&b| b == b' ' || (b > b' ' && PLAIN[usize::from(b)]))
                && !word.windows(2).any(|w| w == b"  ")
                && word[7] != b' '
        };
        for base in [*b"AbCdZz09", *b"Ab d Z 9", *b" a b c d"] {
            for b in 0..=u8::MAX {
                for at in 0..8 {
                    let mut word = base;
                    word[at] = b;
                    let packed = u64::from_le_bytes(word);
                    assert_eq!(copied_as_is(packed), copied_bytewise(&word), "{word:?}");
                    if copied_as_is(packed) {
                        let lowered: Vec<u8> = word.iter().map(u8::to_ascii_lowercase).collect();
                        assert_eq!(lowercase(packed).to_le_bytes().to_vec(), lowered);
                    }
                }
            }
        }
    }

    #[test]
    fn streamed_hash_matches_on_mixed_generated_text() {
        // Texts built from pieces that meet every path of the hot loop, in many orders.
        let pieces = [
            "Plain",
            "ASCII ",
            "EIGHTBYT",
            "\t",
            "&nbsp;",
            "&amp;",
            "&",
            "资讯",
            "，",
            "「",
            "\u{3000}",
            "\u{a0}",
            "\u{2028}",
            "é",
            "😀",
            "\u{ff21}",
            "한",
            "\u{1680}",
            "\u{7f}",
            "x\u{b}y",
            "  ",
            "\n",
            "Read more on our site ",
            "a b",
            " x",
            "WORDS AND words",
        ];
        let mut rng = crate::test_rng::Xorshift::new(0x2545_f491_4f6c_dd1d);
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut scratch = Vec::new();
        for _ in 0..5000 {
            let mut text = String::new();
            for _ in 0..(state % 12) {
                state = rng.next_u64();
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            state = rng.next_u64();
            let normalised = normalise(&text);
            let mut hasher = WordHash(0);
            hasher.bytes(normalised.as_bytes());
            let (hash, weight_of) = hash_normalised([text.as_str()].into_iter(), &mut scratch);
            assert_eq!(hash, hasher.0, "{text:?} normalises to {normalised:?}");
            assert_eq!(weight_of, weight(&normalised), "{text:?}");
            // The same text given as separate runs (split at a character boundary) reads as
            // the runs joined by a space.
            let cut = (state as usize) % (text.len() + 1);
            if let (Some(head), Some(tail)) = (text.get(..cut), text.get(cut..)) {
                let joined = normalise(&format!("{head} {tail}"));
                let mut hasher = WordHash(0);
                hasher.bytes(joined.as_bytes());
                let (hash, _) = hash_normalised([head, tail].into_iter(), &mut scratch);
                assert_eq!(hash, hasher.0, "{head:?} + {tail:?}");
            }
        }
    }

    #[test]
    fn equal_text_hashes_equal_whatever_the_spacing() {
        assert_eq!(
            hash_text(&normalise("Read more  on\nour app")),
            hash_text(&normalise("read more on our app"))
        );
    }
}
