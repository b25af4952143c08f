//! Code actions (a rule's fix; a suppression comment for the line or the file) and hover text
//! (the rule's documentation), for the diagnostics of one open document.

use std::collections::{BTreeSet, HashMap};

use lsp_types::{CodeAction, CodeActionKind, TextEdit, Uri, WorkspaceEdit};

use crate::diagnostic::{Diagnostic, Safety, Span};
use crate::document::{Document, FileKind};
use crate::rules::Family;

use super::convert::PositionMap;

/// A byte-range edit, placed in LSP terms once all edits of a request are known.
struct PlannedEdit {
    span: Span,
    text: String,
}

/// The first offset where a suppression comment may go: past the front matter (YAML or TOML:
/// an HTML comment would break it) and, in an HTML file that is a whole document, past the
/// `<!DOCTYPE …>` or `<html …>` that makes it one (a comment before it would have the body
/// parsed as a fragment).
pub fn comment_floor(text: &str, body_start: usize, html_file: bool) -> usize {
    let body = text.get(body_start..).unwrap_or("");
    let head = body.trim_start();
    let head_at = body_start + (body.len() - head.len());
    let starts = |prefix: &str| {
        head.as_bytes()
            .get(..prefix.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(prefix.as_bytes()))
    };
    if html_file
        && (starts("<!doctype") || starts("<html"))
        && let Some(close) = head.find('>')
    {
        return head_at + close + 1;
    }
    body_start
}

/// The code actions for the diagnostics that touch `wanted`, in diagnostic order: for each,
/// its fix, then "Disable CODE for this line" and "… for this file" (each title once).
/// Suppression comments go at or after `floor` (see [`comment_floor`]).
/// Where a line may not take a suppression comment above it: a line that starts inside a tag
/// or a comment (the comment's `-->` would end it early), or inside code or an element whose
/// text is kept as written (`pre`, `script`, `style`, …), where the comment would show or
/// change the text. A line starts in a zone when `zone.start <= line.start < zone.end`.
pub fn comment_free_zones(doc: &Document) -> Vec<Span> {
    const KEPT_AS_WRITTEN: &[&str] = &[
        "pre",
        "script",
        "style",
        "textarea",
        "title",
        "xmp",
        "listing",
        "plaintext",
    ];
    let index = doc.html_index();
    // One past the start: a line that starts with the construct takes the comment before it.
    let inside = |span: &Span| span.start + 1..span.end;
    let mut zones: Vec<Span> = index
        .elements
        .iter()
        .map(|el| inside(&el.start_tag))
        .chain(index.end_tags.iter().map(|t| inside(&t.span)))
        .chain(index.comments.iter().map(|c| inside(&c.span)))
        .collect();
    zones.extend(
        index
            .elements
            .iter()
            .filter(|el| KEPT_AS_WRITTEN.contains(&el.name.as_str()))
            .map(|el| {
                let end = el.end_tag.as_ref().map_or(doc.body.end, |t| t.start);
                el.start_tag.end..end + 1
            }),
    );
    if doc.kind == FileKind::Markdown
        && let Some(md) = crate::document::html::prepare_markdown(&doc.text, doc.body.clone())
    {
        zones.extend(md.masked_ranges);
    }
    zones
}

pub fn code_actions(
    uri: &Uri,
    text: &str,
    floor: usize,
    no_comment: &[Span],
    diagnostics: &[Diagnostic],
    wanted: &Span,
) -> Vec<CodeAction> {
    let touching: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.span.start <= wanted.end && wanted.start <= d.span.end)
        .collect();
    let mut planned: Vec<(String, &Diagnostic, Vec<PlannedEdit>, bool)> = Vec::new();
    let mut titles = BTreeSet::new();
    for d in &touching {
        if let Some(fix) = d.fix.as_ref().filter(|_| d.rule.family != Family::Corpus) {
            let title = match fix.safety {
                Safety::Safe => format!("Fix: {}", fix.title),
                Safety::Unsafe => format!("Fix (unsafe): {}", fix.title),
            };
            let edits = fix
                .edits
                .iter()
                .map(|e| PlannedEdit {
                    span: e.span.clone(),
                    text: e.replacement.clone(),
                })
                .collect();
            planned.push((title, d, edits, fix.safety == Safety::Safe));
        }
        // A suppression of a suppression finding (ART001, ART002) would be one more comment
        // to report (their fix is to edit the comment); a file that could not be read as text
        // (IO) has no comments.
        if matches!(d.rule.family, Family::Meta | Family::Io) {
            continue;
        }
        let code = d.rule.code;
        let line = line_around(
            text,
            super::convert::floor_char_boundary(text, d.span.start),
        );
        // A finding at the file's first byte is about the file (no front matter, a missing
        // doctype): it stays at the start, above any comment put there.
        let line_takes_comment = line.start >= floor
            && d.span.start > 0
            && !no_comment
                .iter()
                .any(|zone| zone.start <= line.start && line.start < zone.end);
        if line_takes_comment {
            let title = format!("Disable {code} for this line");
            if titles.insert(title.clone()) {
                planned.push((title, d, vec![disable_line(text, &line, code)], false));
            }
        }
        let title = format!("Disable {code} for this file");
        if titles.insert(title.clone()) {
            planned.push((title, d, vec![disable_file(text, floor, code)], false));
        }
    }
    let offsets = planned
        .iter()
        .flat_map(|(_, d, edits, _)| {
            edits
                .iter()
                .flat_map(|e| [e.span.start, e.span.end])
                .chain([d.span.start, d.span.end])
                .chain(d.labels.iter().flat_map(|l| [l.span.start, l.span.end]))
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>();
    let map = PositionMap::new(text, offsets);
    planned
        .into_iter()
        .map(|(title, d, edits, preferred)| {
            let edits = edits
                .into_iter()
                .map(|e| TextEdit::new(map.range(&e.span), e.text))
                .collect();
            CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![super::lsp_diagnostic(d, &map, uri)]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), edits)])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: preferred.then_some(true),
                ..CodeAction::default()
            }
        })
        .collect()
}

/// The line holding `offset`: its content (without the line break) and the break itself.
struct Line {
    start: usize,
    end: usize,
    eol: &'static str,
}

fn line_around(text: &str, offset: usize) -> Line {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    line_from(text, start)
}

fn line_from(text: &str, start: usize) -> Line {
    let newline = text[start..].find('\n').map(|i| start + i);
    let (end, eol) = match newline {
        Some(nl) if nl > start && text.as_bytes()[nl - 1] == b'\r' => (nl - 1, "\r\n"),
        Some(nl) => (nl, "\n"),
        None => (text.len(), ""),
    };
    Line { start, end, eol }
}

use crate::document::line_ending as text_eol;

/// `<!-- artlint-disable-next-line CODE -->` above the line, or `CODE` added to such a comment
/// already there.
fn disable_line(text: &str, line: &Line, code: &str) -> PlannedEdit {
    if line.start > 0 {
        let previous = line_around(text, line.start - 1);
        if let Some(edit) = extend_comment(
            text,
            previous.start..previous.end,
            "disable-next-line",
            code,
        ) {
            return edit;
        }
    }
    let content = &text[line.start..line.end];
    let indent = &content[..content.len() - content.trim_start().len()];
    let eol = if line.eol.is_empty() {
        text_eol(text)
    } else {
        line.eol
    };
    PlannedEdit {
        span: line.start..line.start,
        text: format!("{indent}<!-- artlint-disable-next-line {code} -->{eol}"),
    }
}

/// `<!-- artlint-disable-file CODE -->` at `floor` (on a line of its own when `floor` ends a
/// line, else inline), or `CODE` added to such a comment already there.
fn disable_file(text: &str, floor: usize, code: &str) -> PlannedEdit {
    let comment = format!("<!-- artlint-disable-file {code} -->");
    let rest = &text[floor..];
    let eol = if rest.starts_with("\r\n") {
        "\r\n"
    } else if rest.starts_with('\n') {
        "\n"
    } else {
        ""
    };
    if floor > 0 && eol.is_empty() {
        // The floor is mid-line (a one-line HTML document) or the end of the text.
        let existing = rest
            .starts_with("<!--")
            .then(|| rest.find("-->"))
            .flatten()
            .and_then(|close| extend_comment(text, floor..floor + close + 3, "disable-file", code));
        if let Some(edit) = existing {
            return edit;
        }
        let text_to_insert = if floor == text.len() {
            format!("{}{comment}", text_eol(text))
        } else {
            comment
        };
        return PlannedEdit {
            span: floor..floor,
            text: text_to_insert,
        };
    }
    let next = if floor == 0 { 0 } else { floor + eol.len() };
    let first = line_from(text, next);
    if let Some(edit) = extend_comment(text, first.start..first.end, "disable-file", code) {
        return edit;
    }
    let eol = if eol.is_empty() { text_eol(text) } else { eol };
    PlannedEdit {
        span: next..next,
        text: format!("{comment}{eol}"),
    }
}

/// When `place` holds exactly `<!-- artlint-<directive> CODES -->` (white space around it
/// aside) with at least one code: the edit that adds `code` to it.
fn extend_comment(text: &str, place: Span, directive: &str, code: &str) -> Option<PlannedEdit> {
    let content = &text[place.clone()];
    let codes = content
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim()
        .strip_prefix("artlint-")?
        .strip_prefix(directive)?;
    // Without codes the comment silences every rule: adding one would narrow it.
    if !codes.starts_with(char::is_whitespace) || codes.trim().is_empty() {
        return None;
    }
    let close = place.start + content.rfind("-->")?;
    let at = place.start + text[place.start..close].trim_end().len();
    Some(PlannedEdit {
        span: at..at,
        text: format!(", {code}"),
    })
}

/// Markdown for a hover at byte `offset`: each diagnostic there with its help, then its rule's
/// documentation (once per rule). `None` when no diagnostic covers the offset.
pub fn hover_markdown(diagnostics: &[Diagnostic], offset: usize) -> Option<(String, Span)> {
    let here: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.span.start <= offset && offset <= d.span.end.max(d.span.start))
        .collect();
    let first = here.first()?;
    let mut text = String::new();
    let mut documented = BTreeSet::new();
    for d in &here {
        if !text.is_empty() {
            text.push_str("\n---\n\n");
        }
        text.push_str(&format!(
            "**{}** ({}): {}\n\n",
            d.rule.code, d.rule.name, d.message
        ));
        if let Some(help) = &d.help {
            text.push_str(&format!("help: {help}\n\n"));
        }
        if documented.insert(d.rule.code) {
            text.push_str(&crate::cli::rule_page(d.rule));
        }
    }
    Some((text, first.span.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, edit: &PlannedEdit) -> String {
        format!(
            "{}{}{}",
            &text[..edit.span.start],
            edit.text,
            &text[edit.span.end..]
        )
    }

    #[test]
    fn line_comment_keeps_indent_and_line_ending() {
        let text = "---\r\ntitle: a\r\n---\r\n  - <img src=\"\">\r\n";
        let at = text.find("<img").unwrap();
        let edit = disable_line(text, &line_around(text, at), "IMG001");
        assert_eq!(
            apply(text, &edit),
            "---\r\ntitle: a\r\n---\r\n  <!-- artlint-disable-next-line IMG001 -->\r\n  - <img src=\"\">\r\n"
        );
    }

    #[test]
    fn line_comment_already_there_gets_the_code() {
        let text = "x\n<!-- artlint-disable-next-line BP001 -->\n<img src=\"\">\n";
        let at = text.find("<img").unwrap();
        let edit = disable_line(text, &line_around(text, at), "IMG001");
        assert_eq!(
            apply(text, &edit),
            "x\n<!-- artlint-disable-next-line BP001, IMG001 -->\n<img src=\"\">\n"
        );
    }

    #[test]
    fn file_comment_goes_after_the_front_matter() {
        let text = "---\ntitle: a\n---\nbody\n";
        let floor = comment_floor(text, text.find("---\nbody").unwrap() + 3, false);
        let edit = disable_file(text, floor, "FM004");
        assert_eq!(
            apply(text, &edit),
            "---\ntitle: a\n---\n<!-- artlint-disable-file FM004 -->\nbody\n"
        );
        let again = apply(text, &edit);
        let edit = disable_file(&again, floor, "IMG001");
        assert_eq!(
            apply(&again, &edit),
            "---\ntitle: a\n---\n<!-- artlint-disable-file FM004, IMG001 -->\nbody\n"
        );
    }

    #[test]
    fn file_comment_without_front_matter_or_final_newline() {
        assert_eq!(
            apply("body", &disable_file("body", 0, "FM001")),
            "<!-- artlint-disable-file FM001 -->\nbody"
        );
        let text = "---\ntitle: a\n---";
        assert_eq!(
            apply(text, &disable_file(text, text.len(), "X1")),
            "---\ntitle: a\n---\n<!-- artlint-disable-file X1 -->"
        );
    }

    #[test]
    fn html_documents_keep_their_doctype_first() {
        let one_line = "<!DOCTYPE html><html><body><img src=\"\"></body></html>";
        let floor = comment_floor(one_line, 0, true);
        assert_eq!(floor, "<!DOCTYPE html>".len());
        let once = apply(one_line, &disable_file(one_line, floor, "IMG001"));
        assert_eq!(
            once,
            "<!DOCTYPE html><!-- artlint-disable-file IMG001 --><html><body><img src=\"\"></body></html>"
        );
        let twice = apply(&once, &disable_file(&once, floor, "HTML003"));
        assert!(
            twice.starts_with("<!DOCTYPE html><!-- artlint-disable-file IMG001, HTML003 --><html>")
        );
        let lines = "<html lang=\"zh\">\n<body>\n";
        let floor = comment_floor(lines, 0, true);
        assert_eq!(
            apply(lines, &disable_file(lines, floor, "X1")),
            "<html lang=\"zh\">\n<!-- artlint-disable-file X1 -->\n<body>\n"
        );
        // A fragment, or Markdown: the top of the body is fine.
        assert_eq!(comment_floor("<p>x</p>", 0, true), 0);
        assert_eq!(comment_floor("<!DOCTYPE html>", 0, false), 0);
    }
}
