//! Byte offsets ⇄ human positions (1-based lines, 1-based columns in Unicode scalar values).

use serde::Serialize;

/// A position as users and tools see it.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in Unicode scalar values.
    pub column: u32,
    /// 0-based byte offset into the (decoded) text.
    pub offset: usize,
}

/// The start offset of every line of a text, for fast offset → line lookups.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    /// On lines longer than [`CHECKPOINT_BYTES`]: (byte offset, 0-based column there) every
    /// few kilobytes, so a column is counted from the nearest checkpoint, not from the line's
    /// start. Scraped HTML can be one multi-megabyte line with thousands of findings.
    checkpoints: Vec<(usize, usize)>,
}

const CHECKPOINT_BYTES: usize = 4096;

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = Vec::with_capacity(text.len() / 40 + 1);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let mut checkpoints = Vec::new();
        for (i, &start) in line_starts.iter().enumerate() {
            let end = line_starts.get(i + 1).copied().unwrap_or(text.len());
            if end - start <= CHECKPOINT_BYTES {
                continue;
            }
            let mut next = start + CHECKPOINT_BYTES;
            for (column, (at, _)) in text[start..end].char_indices().enumerate() {
                let at = start + at;
                if at >= next {
                    checkpoints.push((at, column));
                    next = at + CHECKPOINT_BYTES;
                }
            }
        }
        LineIndex {
            line_starts,
            checkpoints,
        }
    }

    /// Number of lines (a text ending in `\n` has an empty last line, not counted).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 0-based line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte offset where 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts[line.min(self.line_starts.len() - 1)]
    }

    /// Byte offset just past the end of 0-based `line`, excluding its line break.
    pub fn line_end(&self, text: &str, line: usize) -> usize {
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(text.len(), |next| next - 1);
        if end > 0 && text.as_bytes().get(end - 1) == Some(&b'\r') && end > self.line_start(line) {
            end - 1
        } else {
            end
        }
    }

    /// Position of byte `offset` (clamped to the text, and moved back to a char boundary).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        // Count from the nearest checkpoint at or before `offset` on this line.
        let (from, base) = match self.checkpoints.partition_point(|(at, _)| *at <= offset) {
            0 => (start, 0),
            i => match self.checkpoints[i - 1] {
                (at, column) if at >= start => (at, column),
                _ => (start, 0),
            },
        };
        let mut column = base + text[from..offset].chars().count() + 1;
        // A BOM is invisible in editors: columns on line 1 do not count it.
        if line == 0 && offset > 0 && text.starts_with('\u{FEFF}') {
            column -= 1;
        }
        Position {
            line: saturating_u32(line + 1),
            column: saturating_u32(column),
            offset,
        }
    }

    /// Column of `offset` on its line in UTF-16 code units, 0-based (for LSP).
    pub fn utf16_column(&self, text: &str, offset: usize) -> u32 {
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        saturating_u32(
            text[start..offset.min(text.len())]
                .chars()
                .map(char::len_utf16)
                .sum(),
        )
    }
}

fn saturating_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_scalar_values_on_chinese_lines() {
        let text = "---\ntitle: 商务部谈中俄\n---\n";
        let index = LineIndex::new(text);
        let offset = text.find('中').unwrap();
        let pos = index.position(text, offset);
        assert_eq!((pos.line, pos.column), (2, 12));
        assert_eq!(pos.offset, offset);
    }

    #[test]
    fn offsets_at_line_edges() {
        let text = "a\r\nbc\n";
        let index = LineIndex::new(text);
        assert_eq!(
            index.position(text, 0),
            Position {
                line: 1,
                column: 1,
                offset: 0
            }
        );
        assert_eq!(index.position(text, 3).line, 2);
        assert_eq!(index.line_end(text, 0), 1);
        assert_eq!(index.line_end(text, 1), 5);
        assert_eq!(index.position(text, 99).offset, text.len());
    }

    #[test]
    fn columns_on_very_long_lines_use_checkpoints() {
        let text = format!("x\n{}", "中a".repeat(10_000));
        let index = LineIndex::new(&text);
        for chars in [0usize, 1, 4_095, 4_096, 12_345, 19_999] {
            let offset = 2 + text[2..].char_indices().nth(chars).unwrap().0;
            assert_eq!(
                index.position(&text, offset).column as usize,
                chars + 1,
                "{chars}"
            );
        }
    }

    #[test]
    fn utf16_columns_count_surrogate_pairs() {
        let text = "😀x";
        let index = LineIndex::new(text);
        assert_eq!(index.utf16_column(text, 4), 2);
    }
}
