//! The human format: miette code frames, with line and column computed by us (miette counts
//! bytes in its header on CJK lines; we count Unicode scalar values, as the JSON does).

use std::fmt;
use std::io;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::{Summary, summary_line};
use crate::diagnostic::{Diagnostic, Severity, Snippet};
use crate::engine::RunResult;

/// The lines kept with a diagnostic, presented to miette as if they were the whole file, with
/// the file's real line numbers and columns in scalar values.
struct SnippetSource<'a> {
    name: String,
    snippet: &'a Snippet,
}

impl SourceCode for SnippetSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.snippet.text.read_span(span, before, after)?;
        let data = inner.data();
        let data_span = *inner.span();
        // The column of the span's start, counted in chars from its line's start.
        let text = &self.snippet.text;
        let at = span.offset().min(text.len());
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let mut column = text[line_start..at].chars().count();
        // On the snippet's first line, the text may start mid-line (a window of a long line).
        if line_start == 0 {
            column += self.snippet.first_column as usize - 1;
        }
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data,
            data_span,
            inner.line() + self.snippet.first_line as usize - 1,
            if before == 0 { column } else { inner.column() },
            inner.line_count(),
        )))
    }
}

struct Report<'a> {
    d: &'a Diagnostic,
    source: Option<SnippetSource<'a>>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!(
            "{}({})",
            self.d.rule.code, self.d.rule.name
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let fix = self
            .d
            .fix
            .as_ref()
            .map(|f| format!("fix available: {}", f.title));
        match (&self.d.help, fix) {
            (Some(h), Some(f)) => Some(Box::new(format!("{h}\n{f}"))),
            (Some(h), None) => Some(Box::new(h.clone())),
            (None, Some(f)) => Some(Box::new(f)),
            (None, None) => None,
        }
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let snippet = self.source.as_ref()?.snippet;
        let clip = |span: &std::ops::Range<usize>| -> SourceSpan {
            let len = snippet.text.len();
            let start = span.start.saturating_sub(snippet.offset).min(len);
            let end = span.end.saturating_sub(snippet.offset).clamp(start, len);
            SourceSpan::new(start.into(), end - start)
        };
        let mut labels = vec![LabeledSpan::new_primary_with_span(None, clip(&self.d.span))];
        labels.extend(
            self.d
                .labels
                .iter()
                .map(|l| LabeledSpan::new_with_span(Some(l.message.clone()), clip(&l.span))),
        );
        Some(Box::new(labels.into_iter()))
    }
}

pub fn write(result: &RunResult, color: bool, out: &mut dyn io::Write) -> io::Result<()> {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_context_lines(1)
        .with_width(100)
        .with_links(false);
    // One finding's frame at a time: miette renders into a `fmt::Write`.
    let mut frame = String::new();
    for d in &result.diagnostics {
        frame.clear();
        render_frame(&handler, d, &mut frame);
        out.write_all(frame.as_bytes())?;
    }
    for e in &result.internal_errors {
        writeln!(
            out,
            "{}: internal error: {} (please report this bug)",
            e.path.display(),
            e.message
        )?;
    }
    write!(out, "{}", summary_line(&Summary::of(result)))?;
    if let Some(elapsed) = result.elapsed {
        write!(out, " Finished in {}.", super::duration_text(elapsed))?;
    }
    writeln!(out)
}

/// One finding: its code frame (or its location and message where it has no snippet or miette
/// fails), then a blank line.
fn render_frame(handler: &GraphicalReportHandler, d: &Diagnostic, frame: &mut String) {
    let location = format!("{}:{}:{}", d.path.display(), d.start.line, d.start.column);
    let source = d.snippet.as_ref().map(|snippet| SnippetSource {
        name: d.path.display().to_string(),
        snippet,
    });
    let has_source = source.is_some();
    let report = Report { d, source };
    if !has_source {
        frame.push_str(&format!("{location}\n"));
    }
    if handler.render_report(frame, &report).is_err() {
        frame.push_str(&format!("{location}: {} {}\n", d.rule.code, d.message));
    }
    frame.push('\n');
}
