//! A rule defined by a pack entry (see `src/packs.rs`): its matcher finds spans in the body's
//! HTML index; its fix deletes or replaces them. The docs of each rule come from its pack entry
//! (`artlint rule BP101`).

use std::sync::LazyLock;

use memchr::memmem::Finder;

use crate::diagnostic::{Edit, Safety, Span};
use crate::document::html::{Element, HtmlIndex};
use crate::document::{Document, FileKind};
use crate::packs::{Matcher, PackFix};
use crate::rules::{Context, Rule, RuleMeta};

/// Searchers for the fixed needles, built once (building one costs more than searching a short
/// text run).
static COMMENT_OPEN: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"<!--"));
static HTTP: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"http"));

#[derive(Debug)]
pub struct PackRule {
    pub meta: &'static RuleMeta,
    pub matcher: Matcher,
    pub fix: Option<PackFix>,
    pub safety: Safety,
    pub message: String,
    pub help: Option<String>,
    pub kinds: Vec<FileKind>,
}

/// What a match is, for choosing what a delete removes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Text,
    Comment,
    Element,
    Attr,
    Url,
}

impl Rule for PackRule {
    fn meta(&self) -> &'static RuleMeta {
        self.meta
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        if !self.kinds.contains(&doc.kind) {
            return;
        }
        // A whole-body test first: most bodies do not contain the phrase or pattern at all,
        // and then no text run needs looking at.
        let body = doc.slice(&doc.body);
        let may_match = match &self.matcher {
            Matcher::Phrase(phrase) => phrase.find(body.as_bytes()).is_some(),
            Matcher::Regex(re) => re.is_match(body),
            Matcher::Comment { .. } => COMMENT_OPEN.find(body.as_bytes()).is_some(),
            _ => true,
        };
        if !may_match {
            return;
        }
        let index = doc.html_index();
        for (span, unit) in self.find(doc, index) {
            let edit = self
                .fix
                .as_ref()
                .and_then(|fix| edit_for(doc, index, &span, unit, fix, &self.matcher));
            let report = cx.report(span, self.message.clone());
            if let Some(help) = &self.help {
                report.help(help.clone());
            }
            if let Some(edit) = edit {
                let title = if edit.replacement.is_empty() {
                    "Delete it".to_string()
                } else {
                    format!("Replace with `{}`", edit.replacement)
                };
                report.fix(title, self.safety, vec![edit]);
            }
        }
    }
}

impl PackRule {
    fn find(&self, doc: &Document, index: &HtmlIndex) -> Vec<(Span, Unit)> {
        let mut out = Vec::new();
        match &self.matcher {
            Matcher::Phrase(phrase) => {
                for text in &index.texts {
                    let raw = doc.slice(text);
                    let len = phrase.needle().len();
                    for at in phrase.find_iter(raw.as_bytes()) {
                        out.push((text.start + at..text.start + at + len, Unit::Text));
                    }
                }
            }
            Matcher::Regex(re) => {
                for text in &index.texts {
                    for m in re.find_iter(doc.slice(text)).filter(|m| !m.is_empty()) {
                        out.push((text.start + m.start()..text.start + m.end(), Unit::Text));
                    }
                }
            }
            Matcher::Comment { pattern, except } => {
                for comment in &index.comments {
                    let text = doc.slice(&comment.text);
                    if pattern.is_match(text) && !except.iter().any(|e| e.is_match(text)) {
                        out.push((comment.span.clone(), Unit::Comment));
                    }
                }
            }
            Matcher::Element(selector) => {
                for el in &index.elements {
                    if selector.matches(el) && (!selector.empty || is_empty(doc, index, el)) {
                        out.push((el.span(), Unit::Element));
                    }
                }
            }
            Matcher::Attr(names) => {
                for el in &index.elements {
                    for attr in el.attrs.iter().filter(|a| names.contains(&a.name)) {
                        out.push((attr.full.clone(), Unit::Attr));
                    }
                }
            }
            Matcher::Url(re) => {
                // Markdown links and images live in the text, not in attributes: each URL there
                // is judged whole, and reported at its start.
                if doc.kind == FileKind::Markdown {
                    for text in &index.texts {
                        let raw = doc.slice(text);
                        let mut from = 0;
                        while let Some(at) = HTTP.find(&raw.as_bytes()[from..]) {
                            let start = from + at;
                            let len = raw[start..]
                                .find(|c: char| {
                                    c.is_whitespace() || matches!(c, ')' | ']' | '>' | '"' | '\'')
                                })
                                .unwrap_or(raw.len() - start);
                            let url = &raw[start..start + len];
                            if (url.starts_with("http://") || url.starts_with("https://"))
                                && re.is_match(url)
                            {
                                out.push((text.start + start..text.start + start + len, Unit::Url));
                            }
                            from = start + len.max(4);
                        }
                    }
                }
                for el in &index.elements {
                    for attr in el
                        .attrs
                        .iter()
                        .filter(|a| matches!(a.name.as_str(), "href" | "src"))
                    {
                        if let Some(span) = &attr.value_span
                            && re.is_match(&attr.value)
                        {
                            out.push((span.clone(), Unit::Url));
                        }
                    }
                }
            }
        }
        out
    }
}

/// No text but white space (and no child elements) between the tags.
fn is_empty(doc: &Document, index: &HtmlIndex, el: &Element) -> bool {
    let content = el.content();
    el.end_tag.is_some()
        && doc
            .slice(&content)
            .replace("&nbsp;", " ")
            .replace("&#160;", " ")
            .chars()
            .all(|c| c.is_whitespace() || c == '\u{a0}')
        && {
            // Elements are in document order: a child would be the first to start inside.
            let next = index
                .elements
                .partition_point(|e| e.start_tag.start < content.start);
            index
                .elements
                .get(next)
                .is_none_or(|e| e.start_tag.start >= content.end)
        }
}

/// The text of an element's content, white space collapsed.
fn text_of(doc: &Document, index: &HtmlIndex, el: &Element) -> String {
    let content = el.content();
    let first = index.texts.partition_point(|t| t.start < content.start);
    index.texts[first..]
        .iter()
        .take_while(|t| t.end <= content.end)
        .map(|t| doc.slice(t))
        .collect::<Vec<_>>()
        .join("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn edit_for(
    doc: &Document,
    index: &HtmlIndex,
    span: &Span,
    unit: Unit,
    fix: &PackFix,
    matcher: &Matcher,
) -> Option<Edit> {
    match fix {
        PackFix::Replace(with) => {
            let replacement = match matcher {
                Matcher::Regex(re) => re.replace(doc.slice(span), with.as_str()).into_owned(),
                // URLs are matched decoded (`&amp;` is `&`): replace in the decoded form and
                // write it back encoded as it was.
                Matcher::Url(re) => {
                    let raw = doc.slice(span);
                    let encoded = raw.contains("&amp;");
                    let replaced = re
                        .replace_all(&raw.replace("&amp;", "&"), with.as_str())
                        .into_owned();
                    if encoded {
                        replaced.replace('&', "&amp;")
                    } else {
                        replaced
                    }
                }
                _ => with.clone(),
            };
            Some(Edit::replace(span.clone(), replacement))
        }
        PackFix::Delete => Some(Edit::delete(match unit {
            Unit::Comment | Unit::Element => doc.whole_line(span),
            Unit::Attr => {
                // The attribute and the white space before it.
                let before = doc.text[..span.start]
                    .trim_end_matches([' ', '\t', '\n', '\r'])
                    .len();
                before..span.end
            }
            Unit::Text => {
                // The innermost element holding nothing but the match goes with it.
                let matched: String = doc
                    .slice(span)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                let holder = index
                    .elements
                    .iter()
                    .filter(|el| {
                        let c = el.content();
                        c.start <= span.start
                            && span.end <= c.end
                            && text_of(doc, index, el) == matched
                    })
                    .min_by_key(|el| el.span().len());
                doc.whole_line(&holder.map_or_else(|| span.clone(), Element::span))
            }
            Unit::Url => return None,
        })),
    }
}
