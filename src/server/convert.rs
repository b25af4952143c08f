//! Between artlint's byte offsets and LSP's positions (0-based lines, columns in UTF-16 code
//! units), and between file paths and `file://` URIs. Lines are LSP's: a line ends at `\n`,
//! `\r\n` or a lone `\r` (scraped text has `\r\r\n`, which editors show as two lines).

use std::collections::HashMap;
use std::path::PathBuf;

use lsp_types::{Position, Range, Uri};

use crate::diagnostic::Severity;

/// Converts byte offsets of one text to LSP positions, in batches: the offsets are sorted and
/// the text is walked once, so a multi-megabyte line with thousands of findings stays linear.
pub struct PositionMap<'t> {
    text: &'t str,
    lines: LspLines,
    known: HashMap<usize, Position>,
}

impl<'t> PositionMap<'t> {
    /// Place every offset of `offsets` (clamped to the text, moved back to a char boundary).
    pub fn new(text: &'t str, offsets: impl IntoIterator<Item = usize>) -> Self {
        let lines = LspLines::new(text);
        let mut sorted: Vec<usize> = offsets.into_iter().collect();
        sorted.sort_unstable();
        sorted.dedup();
        let mut known = HashMap::with_capacity(sorted.len());
        // The walk's cursor: the line it is on, the byte it reached, the column there.
        let mut cursor: Option<(usize, usize, u32)> = None;
        for offset in sorted {
            let at = floor_char_boundary(text, offset);
            let line = lines.line_of(at);
            let (from, column) = match cursor {
                Some((cursor_line, reached, column)) if cursor_line == line => (reached, column),
                _ => (lines.line_start(line), 0),
            };
            let column = column + utf16_len(&text[from..at]);
            cursor = Some((line, at, column));
            known.insert(
                offset,
                Position::new(u32::try_from(line).unwrap_or(u32::MAX), column),
            );
        }
        PositionMap { text, lines, known }
    }

    /// The position of `offset`, computed on the spot if it was not in the batch.
    pub fn position(&self, offset: usize) -> Position {
        if let Some(position) = self.known.get(&offset) {
            return *position;
        }
        let at = floor_char_boundary(self.text, offset);
        let line = self.lines.line_of(at);
        let column = utf16_len(&self.text[self.lines.line_start(line)..at]);
        Position::new(u32::try_from(line).unwrap_or(u32::MAX), column)
    }

    pub fn range(&self, span: &std::ops::Range<usize>) -> Range {
        Range::new(
            self.position(span.start),
            self.position(span.end.max(span.start)),
        )
    }
}

pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// UTF-16 code units of `s`: one per scalar value, two for those outside the BMP (4 UTF-8
/// bytes). Counted on bytes: every byte that does not continue a sequence starts a scalar.
pub fn utf16_len(s: &str) -> u32 {
    let units: usize = s
        .bytes()
        .map(|b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0))
        .sum();
    u32::try_from(units).unwrap_or(u32::MAX)
}

/// Where the lines of a text start, by LSP's rules.
pub struct LspLines(Vec<usize>);

impl LspLines {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(
            memchr::memchr2_iter(b'\n', b'\r', bytes)
                // The `\r` of a `\r\n` does not end the line: its `\n` does.
                .filter(|&i| !(bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n')))
                .map(|i| i + 1),
        );
        LspLines(starts)
    }

    /// 0-based line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.0
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    pub fn line_start(&self, line: usize) -> usize {
        self.0[line.min(self.0.len() - 1)]
    }

    /// The byte offset of an LSP position. A line past the end is the end of the text; a
    /// column past the end of its line is the end of the line (as the protocol says).
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let Some(&start) = self.0.get(position.line as usize) else {
            return text.len();
        };
        let end = match self.0.get(position.line as usize + 1) {
            Some(&next) if text[..next].ends_with("\r\n") => next - 2,
            Some(&next) => next - 1,
            None => text.len(),
        };
        let mut units = 0u32;
        for (i, c) in text[start..end].char_indices() {
            if units >= position.character {
                return start + i;
            }
            units += c.len_utf16() as u32;
        }
        end
    }
}

/// The byte range of an LSP range in `text`.
pub fn span_of(text: &str, lines: &LspLines, range: Range) -> std::ops::Range<usize> {
    let start = lines.offset(text, range.start);
    let end = lines.offset(text, range.end).max(start);
    start..end
}

pub fn severity(severity: Severity) -> lsp_types::DiagnosticSeverity {
    match severity {
        Severity::Error => lsp_types::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp_types::DiagnosticSeverity::WARNING,
        Severity::Info => lsp_types::DiagnosticSeverity::INFORMATION,
    }
}

/// The local path of a `file://` URI (percent-decoded); `None` for other schemes.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file:///a/b` (empty authority) and `file://localhost/a/b` name the same file.
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let decoded = percent_decode(path)?;
    decoded.starts_with('/').then(|| PathBuf::from(decoded))
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn utf16_columns_after_emoji_and_chinese() {
        let text = "a😀中b\nx";
        let b = text.find('b').unwrap();
        let map = PositionMap::new(text, [b, text.len()]);
        assert_eq!(map.position(b), Position::new(0, 4));
        assert_eq!(map.position(text.len()), Position::new(1, 1));
        // Outside the batch: computed on the spot, same answer.
        assert_eq!(map.position(text.find('中').unwrap()), Position::new(0, 3));
    }

    #[test]
    fn batch_walk_equals_counting_from_the_line_start() {
        let text = format!("x\n{}\n{}", "😀中a".repeat(500), "b".repeat(10));
        let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(7).collect();
        let map = PositionMap::new(&text, offsets.iter().copied());
        let lines = crate::position::LineIndex::new(&text);
        for &o in &offsets {
            let line = lines.line_of(o);
            assert_eq!(map.position(o).line as usize, line);
            assert_eq!(
                map.position(o).character,
                lines.utf16_column(&text, o),
                "{o}"
            );
        }
    }

    #[test]
    fn lsp_positions_back_to_offsets() {
        let text = "a😀b\r\nsecond";
        let lines = LspLines::new(text);
        assert_eq!(
            lines.offset(text, Position::new(0, 3)),
            text.find('b').unwrap()
        );
        // Past the end of the line: the end of the line (before its break).
        assert_eq!(
            lines.offset(text, Position::new(0, 99)),
            text.find('\r').unwrap()
        );
        assert_eq!(
            lines.offset(text, Position::new(1, 2)),
            text.find("cond").unwrap()
        );
        assert_eq!(lines.offset(text, Position::new(9, 0)), text.len());
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_as_in_editors() {
        let text = "a\r\r\nb😀c\rd";
        let lines = LspLines::new(text);
        let c = text.find('c').unwrap();
        let d = text.find('d').unwrap();
        let map = PositionMap::new(text, [c, d]);
        assert_eq!(map.position(c), Position::new(2, 3));
        assert_eq!(map.position(d), Position::new(3, 0));
        assert_eq!(lines.offset(text, Position::new(2, 3)), c);
        assert_eq!(
            lines.offset(text, Position::new(1, 5)),
            text.find("\r\n").unwrap()
        );
        assert_eq!(lines.offset(text, Position::new(3, 1)), text.len());
    }

    #[test]
    fn uris_become_paths() {
        let uri: Uri = "file:///tmp/my%20posts/%E4%B8%AD%E6%96%87.md"
            .parse()
            .unwrap();
        assert_eq!(
            uri_to_path(&uri).unwrap(),
            Path::new("/tmp/my posts/中文.md")
        );
        let untitled: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(uri_to_path(&untitled), None);
    }
}
