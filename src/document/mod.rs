//! Parse once: a loaded file becomes an immutable [`Document`] that every rule reads.

pub mod html;
pub mod html_parse;
pub mod html_scan;
pub mod images;
pub mod toml_fm;
pub mod tree;
pub mod yaml;

use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::Span;
use crate::position::LineIndex;
use crate::source::{EncodingFacts, LoadedSource, SkipReason};
pub use tree::{Entry, Node, Value};

/// What a file holds, by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Markdown,
    Html,
}

impl FileKind {
    pub fn from_path(path: &Path) -> FileKind {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("html") || ext.eq_ignore_ascii_case("htm") => {
                FileKind::Html
            }
            _ => FileKind::Markdown,
        }
    }
}

/// How bodies are parsed as HTML: whole documents (with `<!DOCTYPE>`) or fragments. `Auto`
/// reads `.html` files that open with `<!DOCTYPE` or `<html` as documents, everything else as a
/// post body.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HtmlMode {
    #[default]
    Auto,
    Fragment,
    Document,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrontMatterFormat {
    Yaml,
    Toml,
}

impl FrontMatterFormat {
    pub fn name(self) -> &'static str {
        match self {
            FrontMatterFormat::Yaml => "YAML",
            FrontMatterFormat::Toml => "TOML",
        }
    }

    fn fence(self) -> &'static str {
        match self {
            FrontMatterFormat::Yaml => "---",
            FrontMatterFormat::Toml => "+++",
        }
    }
}

/// A parse error inside the front matter, at a position in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
}

/// A front-matter block whose fences were found.
#[derive(Clone, Debug)]
pub struct FrontMatter {
    pub format: FrontMatterFormat,
    /// Blank lines before the opening fence, if any (the block should start on line 1).
    pub leading_blank: Option<Span>,
    pub open_fence: Span,
    pub close_fence: Span,
    /// Between the fences.
    pub content: Span,
    pub parsed: Result<Node, SyntaxError>,
}

impl FrontMatter {
    /// The top-level fields, when the block parsed into a mapping.
    pub fn fields(&self) -> Option<&Node> {
        match &self.parsed {
            Ok(
                node @ Node {
                    value: Value::Map(_),
                    ..
                },
            ) => Some(node),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
pub enum FrontMatterBlock {
    /// No opening fence on the first non-blank line.
    Missing,
    /// An opening fence with no closing one.
    Unterminated {
        format: FrontMatterFormat,
        open_fence: Span,
    },
    Present(FrontMatter),
}

/// A top-level front-matter field that holds a date, parsed.
#[derive(Clone, Debug)]
pub struct FieldDate {
    /// Index of the field among the top-level entries.
    pub entry: usize,
    /// The value as written, when it is text (a string or a TOML datetime).
    pub text: Option<String>,
    pub parsed: Result<crate::dates::ParsedDate, crate::dates::DateError>,
}

fn field_dates(doc: &Document, fields: &[String], case_insensitive: bool) -> Vec<FieldDate> {
    let Some(node) = doc.fields() else {
        return Vec::new();
    };
    let is_date_field = |key: &str| {
        fields.iter().any(|f| {
            if case_insensitive {
                f.eq_ignore_ascii_case(key)
            } else {
                f == key
            }
        })
    };
    node.entries()
        .iter()
        .enumerate()
        .filter(|(_, e)| is_date_field(&e.key) && !e.value.value.is_empty())
        .map(|(entry, e)| {
            let text = match &e.value.value {
                Value::String(s) | Value::Datetime(s) => Some(s.clone()),
                _ => None,
            };
            let parsed = text.as_deref().map_or(
                Err(crate::dates::DateError::Unparseable),
                crate::dates::parse,
            );
            FieldDate {
                entry,
                text,
                parsed,
            }
        })
        .collect()
}

/// The line ending `text` uses, by its first line (for inserted lines, so as not to mix them).
pub fn line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(nl) if nl > 0 && text.as_bytes()[nl - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// One file, parsed once, read by every rule.
#[derive(Clone, Debug)]
pub struct Document {
    pub path: Arc<Path>,
    pub kind: FileKind,
    /// The decoded text (empty when the file was skipped).
    pub text: String,
    /// Built on first use: most files have no finding and never need it.
    lines: std::sync::OnceLock<LineIndex>,
    /// The body's image references, scanned on first use (only when an IMG rule runs).
    body_images: std::sync::OnceLock<Vec<images::ImageRef>>,
    /// The body's HTML index (elements, texts, comments), built on first use.
    html: std::sync::OnceLock<html::HtmlIndex>,
    /// The front-matter dates, parsed once, for the field list they were collected with.
    dates: std::sync::OnceLock<(Vec<String>, bool, Vec<FieldDate>)>,
    /// The front-matter image references, for the field list they were collected with.
    front_matter_images: std::sync::OnceLock<(Vec<String>, Vec<images::ImageRef>)>,
    pub encoding: EncodingFacts,
    /// How the body's HTML is parsed (`html-mode` in artlint.toml).
    pub html_mode: HtmlMode,
    /// Set when the file could not be linted; only the file-level rules then run.
    pub skipped: Option<SkipReason>,
    pub front_matter: FrontMatterBlock,
    /// Everything after the front matter.
    pub body: Span,
}

impl Document {
    /// For tests: `text` parsed as the file `path`.
    #[cfg(test)]
    pub(crate) fn from_text(path: &str, text: &str) -> Document {
        Document::parse(
            Arc::from(Path::new(path)),
            LoadedSource {
                text: text.to_string(),
                encoding: Default::default(),
            },
        )
    }

    /// Parse a loaded file.
    pub fn parse(path: Arc<Path>, loaded: LoadedSource) -> Document {
        let LoadedSource { text, encoding } = loaded;
        let front_matter = split_front_matter(&text);
        let body_start = match &front_matter {
            FrontMatterBlock::Present(fm) => fm.close_fence.end,
            FrontMatterBlock::Unterminated { open_fence, .. } => open_fence.end,
            FrontMatterBlock::Missing => 0,
        };
        Document {
            kind: FileKind::from_path(&path),
            path,
            body: body_start..text.len(),
            text,
            lines: std::sync::OnceLock::new(),
            body_images: std::sync::OnceLock::new(),
            front_matter_images: std::sync::OnceLock::new(),
            dates: std::sync::OnceLock::new(),
            html: std::sync::OnceLock::new(),
            html_mode: HtmlMode::Auto,
            encoding,
            skipped: None,
            front_matter,
        }
    }

    /// A file's text without parsing it (to place positions after the fact).
    pub fn text_only(path: Arc<Path>, loaded: LoadedSource) -> Document {
        let mut doc = Document::skipped(path, SkipReason::Unreadable(String::new()));
        doc.skipped = None;
        doc.body = 0..loaded.text.len();
        doc.text = loaded.text;
        doc.encoding = loaded.encoding;
        doc
    }

    /// A file that could not be loaded.
    pub fn skipped(path: Arc<Path>, reason: SkipReason) -> Document {
        Document {
            kind: FileKind::from_path(&path),
            path,
            text: String::new(),
            lines: std::sync::OnceLock::new(),
            body_images: std::sync::OnceLock::new(),
            front_matter_images: std::sync::OnceLock::new(),
            dates: std::sync::OnceLock::new(),
            html: std::sync::OnceLock::new(),
            html_mode: HtmlMode::Auto,
            encoding: EncodingFacts::default(),
            skipped: Some(reason),
            front_matter: FrontMatterBlock::Missing,
            body: 0..0,
        }
    }

    /// The front-matter block, when both fences were found.
    pub fn front_matter(&self) -> Option<&FrontMatter> {
        match &self.front_matter {
            FrontMatterBlock::Present(fm) => Some(fm),
            _ => None,
        }
    }

    /// The top-level front-matter fields, when the block parsed into a mapping.
    pub fn fields(&self) -> Option<&Node> {
        self.front_matter().and_then(FrontMatter::fields)
    }

    /// The image references in the body (HTML and Markdown), with their URL spans.
    pub fn body_images(&self) -> &[images::ImageRef] {
        self.body_images.get_or_init(|| images::scan_body(self))
    }

    /// The image references in the front-matter fields named `fields`, collected once (every
    /// IMG rule asks with the same configured list).
    pub fn front_matter_images(
        &self,
        fields: &[String],
    ) -> std::borrow::Cow<'_, [images::ImageRef]> {
        let (cached_fields, cached) = self
            .front_matter_images
            .get_or_init(|| (fields.to_vec(), images::front_matter_images(self, fields)));
        if cached_fields == fields {
            std::borrow::Cow::Borrowed(cached)
        } else {
            std::borrow::Cow::Owned(images::front_matter_images(self, fields))
        }
    }

    /// The date fields among `fields` (matched ignoring case when `case_insensitive`), parsed
    /// once: the nine DT rules all ask with the same configured list.
    pub fn field_dates(
        &self,
        fields: &[String],
        case_insensitive: bool,
    ) -> std::borrow::Cow<'_, [FieldDate]> {
        let (cached_fields, cached_ci, cached) = self.dates.get_or_init(|| {
            (
                fields.to_vec(),
                case_insensitive,
                field_dates(self, fields, case_insensitive),
            )
        });
        if cached_fields == fields && *cached_ci == case_insensitive {
            std::borrow::Cow::Borrowed(cached)
        } else {
            std::borrow::Cow::Owned(field_dates(self, fields, case_insensitive))
        }
    }

    /// The body's HTML, parsed once with spans and parse errors (Markdown bodies are read as
    /// HTML too, their code blanked out: their raw HTML is where scraped boilerplate and broken
    /// markup live).
    pub fn html_index(&self) -> &html::HtmlIndex {
        self.html.get_or_init(|| {
            let mode = self.html_parse_mode();
            if self.kind == FileKind::Html {
                return html_parse::parse(&self.text, self.body.clone(), mode);
            }
            // pulldown-cmark costs as much as the HTML parse: run it first only when code may
            // hold markup to blank out, and otherwise only when the parse found something
            // Markdown may explain (then parse again if Markdown changes what the parser sees).
            let body = self.body.clone();
            let mut index = None;
            if !html::code_may_hold_markup(&self.text, body.clone()) {
                let parsed = html_parse::parse(&self.text, body.clone(), mode);
                if !html::needs_markdown(&self.text, body.clone(), &parsed) {
                    return parsed;
                }
                index = Some(parsed);
            }
            let Some(md) = html::prepare_markdown(&self.text, body.clone()) else {
                return index.unwrap_or_else(|| html_parse::parse(&self.text, body.clone(), mode));
            };
            let mut index = match (&md.masked, index) {
                (None, Some(index)) => index,
                (masked, _) => {
                    html_parse::parse(masked.as_deref().unwrap_or(&self.text), body.clone(), mode)
                }
            };
            html::subtract_masked(&mut index, &md.masked_ranges);
            html::markdown_checks(&mut index, &md);
            index
        })
    }

    /// Set how the body's HTML is read (before it is first parsed).
    pub fn with_html_mode(mut self, mode: HtmlMode) -> Self {
        self.html_mode = mode;
        self.html = std::sync::OnceLock::new();
        self
    }

    /// Whether the body is a whole HTML document or a fragment of one (a post's body).
    pub fn html_parse_mode(&self) -> html_parse::ParseMode {
        use html_parse::ParseMode;
        match self.html_mode {
            HtmlMode::Fragment => ParseMode::Fragment,
            HtmlMode::Document => ParseMode::Document,
            HtmlMode::Auto => {
                // Past white space, a byte-order mark (the body of a file without front
                // matter starts with it) and comments (`<!-- saved from url=… -->`).
                fn skip_blank(t: &str) -> &str {
                    t.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                }
                let mut head = skip_blank(self.text.get(self.body.clone()).unwrap_or(""));
                while let Some(comment) = head.strip_prefix("<!--") {
                    let Some(end) = comment.find("-->") else {
                        break;
                    };
                    head = skip_blank(&comment[end + 3..]);
                }
                let starts = |p: &str| {
                    head.as_bytes()
                        .get(..p.len())
                        .is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes()))
                };
                if self.kind == FileKind::Html && (starts("<!doctype") || starts("<html")) {
                    ParseMode::Document
                } else {
                    ParseMode::Fragment
                }
            }
        }
    }

    /// The line index of the text, for offset ⇄ line/column.
    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    /// The position of `offset`. Near the top of the file (where the front matter is) it is
    /// found by scanning the prefix, sparing the whole-file line index.
    pub fn position(&self, offset: usize) -> crate::position::Position {
        const PREFIX_SCAN_LIMIT: usize = 8 * 1024;
        // Clamp to the text and to a character boundary: offsets can come from another version
        // of the file (a fixed text placed in the file on disk).
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        if self.lines.get().is_none() && offset <= PREFIX_SCAN_LIMIT.min(self.text.len()) {
            return LineIndex::new(&self.text[..offset]).position(&self.text[..offset], offset);
        }
        self.lines().position(&self.text, offset)
    }

    /// `span` grown to its whole line (with the line break) when nothing else is on that line.
    pub fn whole_line(&self, span: &Span) -> Span {
        let bytes = self.text.as_bytes();
        let blank = |b: &u8| matches!(b, b' ' | b'\t' | b'\r');
        // Both scans stop at the first character that is not white space: linear in the result,
        // not in the length of the line (scraped HTML can be one multi-megabyte line).
        let before = bytes[..span.start]
            .iter()
            .rev()
            .take_while(|b| **b != b'\n');
        let alone_before = before.clone().all(blank);
        let after = bytes[span.end..].iter().take_while(|b| **b != b'\n');
        let alone_after = after.clone().all(blank);
        if !(alone_before && alone_after) {
            return span.clone();
        }
        let start = span.start - before.count();
        let end = span.end + after.count();
        start..(end + 1).min(bytes.len())
    }

    /// The text of a span.
    pub fn slice(&self, span: &Span) -> &str {
        self.text.get(span.clone()).unwrap_or("")
    }
}

/// One line of the text: its span without the line break, and the span including it.
struct Line {
    content: Span,
    full: Span,
}

fn lines_from(text: &str, start: usize) -> impl Iterator<Item = Line> + '_ {
    let mut pos = start;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let rest = &text[pos..];
        let (len, full_len) = match rest.find('\n') {
            Some(nl) if nl > 0 && rest.as_bytes()[nl - 1] == b'\r' => (nl - 1, nl + 1),
            Some(nl) => (nl, nl + 1),
            None => (rest.len(), rest.len()),
        };
        let line = Line {
            content: pos..pos + len,
            full: pos..pos + full_len,
        };
        pos += full_len;
        Some(line)
    })
}

fn is_fence(line: &str, fence: &str) -> bool {
    line.strip_prefix(fence)
        .is_some_and(|rest| rest.trim_end_matches([' ', '\t']).is_empty())
}

/// Find the front-matter fences: the first non-blank line must be `---` or `+++`.
fn split_front_matter(text: &str) -> FrontMatterBlock {
    let start = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    let mut lines = lines_from(text, start);
    let mut leading_blank: Option<Span> = None;
    let (format, open) = loop {
        let Some(line) = lines.next() else {
            return FrontMatterBlock::Missing;
        };
        let content = &text[line.content.clone()];
        if content.trim().is_empty() {
            leading_blank = Some(start..line.full.end);
            continue;
        }
        if is_fence(content, "---") {
            break (FrontMatterFormat::Yaml, line);
        }
        if is_fence(content, "+++") {
            break (FrontMatterFormat::Toml, line);
        }
        return FrontMatterBlock::Missing;
    };
    let close = lines.find(|line| {
        let content = &text[line.content.clone()];
        is_fence(content, format.fence())
            || (format == FrontMatterFormat::Yaml && is_fence(content, "..."))
    });
    let Some(close) = close else {
        return FrontMatterBlock::Unterminated {
            format,
            open_fence: open.content,
        };
    };
    let content = open.full.end..close.full.start;
    let body = &text[content.clone()];
    let parsed = match format {
        FrontMatterFormat::Yaml => yaml::parse(body, content.start),
        FrontMatterFormat::Toml => toml_fm::parse(body, content.start),
    };
    let parsed = parsed.and_then(|node| match node.value {
        Value::Map(_) => Ok(node),
        Value::Null => Ok(Node {
            span: node.span,
            value: Value::Map(Vec::new()),
        }),
        ref other => Err(SyntaxError {
            message: format!(
                "front matter must be a mapping of fields to values, not {}",
                other.type_name()
            ),
            span: node.span.start..node.span.start,
        }),
    });
    FrontMatterBlock::Present(FrontMatter {
        format,
        leading_blank,
        open_fence: open.content,
        close_fence: close.content,
        content,
        parsed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> FrontMatterBlock {
        split_front_matter(text)
    }

    #[test]
    fn yaml_block_with_crlf() {
        let text = "---\r\ntitle: a\r\n---\r\nbody\r\n";
        let FrontMatterBlock::Present(fm) = split(text) else {
            panic!()
        };
        assert_eq!(&text[fm.open_fence.clone()], "---");
        assert_eq!(&text[fm.content.clone()], "title: a\r\n");
        assert_eq!(fm.close_fence, 15..18);
        assert!(fm.leading_blank.is_none());
        assert!(fm.fields().unwrap().get("title").is_some());
    }

    #[test]
    fn blank_lines_before_the_fence_are_recorded() {
        let text = "\n\n---\ntitle: a\n---\n";
        let FrontMatterBlock::Present(fm) = split(text) else {
            panic!()
        };
        assert_eq!(fm.leading_blank, Some(0..2));
    }

    #[test]
    fn toml_block() {
        let text = "+++\ntitle = \"a\"\n+++\n";
        let FrontMatterBlock::Present(fm) = split(text) else {
            panic!()
        };
        assert_eq!(fm.format, FrontMatterFormat::Toml);
        assert!(fm.fields().unwrap().get("title").is_some());
    }

    #[test]
    fn unterminated_and_missing() {
        assert!(matches!(
            split("---\ntitle: a\n"),
            FrontMatterBlock::Unterminated { .. }
        ));
        assert!(matches!(split("# Title\n---\n"), FrontMatterBlock::Missing));
        assert!(matches!(split(""), FrontMatterBlock::Missing));
    }

    #[test]
    fn a_list_is_not_front_matter() {
        let FrontMatterBlock::Present(fm) = split("---\n- a\n- b\n---\n") else {
            panic!()
        };
        assert!(fm.parsed.is_err());
    }

    #[test]
    fn empty_block_is_an_empty_mapping() {
        let FrontMatterBlock::Present(fm) = split("---\n---\n") else {
            panic!()
        };
        assert!(fm.fields().unwrap().entries().is_empty());
    }
}
