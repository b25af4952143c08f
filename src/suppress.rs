//! Inline suppressions, as HTML comments (invisible in every renderer):
//! `<!-- artlint-disable CODE, CODE -->` … `<!-- artlint-enable -->`,
//! `<!-- artlint-disable-next-line CODE -->`, `<!-- artlint-disable-file CODE -->`.
//! Codes, names, prefixes or families; none means every rule. Applied after every finding of
//! the file is known (the corpus pass's included); a suppression that suppressed nothing, and a
//! code that names no rule, are reported themselves (ART001, ART002).

use crate::diagnostic::{Diagnostic, Span};
use crate::document::Document;
use crate::position::Position;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Scope {
    File,
    /// Lines `from..=to` (1-based).
    Lines {
        from: u32,
        to: u32,
    },
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Suppression {
    pub scope: Scope,
    /// Empty: every rule.
    pub selectors: Vec<String>,
    /// The comment.
    pub span: Span,
    pub start: Position,
    pub end: Position,
    pub used: bool,
}

impl Suppression {
    /// The first and last line it covers.
    fn lines(&self) -> (u32, u32) {
        match self.scope {
            Scope::File => (0, u32::MAX),
            Scope::Lines { from, to } => (from, to),
        }
    }

    fn covers(&self, d: &Diagnostic) -> bool {
        let in_scope = match self.scope {
            Scope::File => true,
            Scope::Lines { from, to } => (from..=to).contains(&d.start.line),
        };
        in_scope && (self.selectors.is_empty() || self.selectors.iter().any(|s| d.rule.matches(s)))
    }
}

/// The suppression comments of a document.
pub fn parse(doc: &Document) -> Vec<Suppression> {
    let text = &doc.text;
    // A searcher built once: `str::contains` builds one per call, per file.
    static DIRECTIVE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("artlint-"));
    if DIRECTIVE.find(text.as_bytes()).is_none() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut open_range: Option<usize> = None;
    let mut from = 0;
    while let Some(at) = text[from..].find("<!--") {
        let start = from + at;
        let Some(close) = text[start..].find("-->") else {
            break;
        };
        let end = start + close + 3;
        from = end;
        let inner = text[start + 4..end - 3].trim();
        let Some(directive) = inner.strip_prefix("artlint-") else {
            continue;
        };
        let (kind, rest) = directive
            .split_once(char::is_whitespace)
            .unwrap_or((directive, ""));
        let selectors: Vec<String> = rest
            .split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let start_pos = doc.position(start);
        let end_pos = doc.position(end);
        let scope = match kind {
            "disable-file" => Scope::File,
            "disable-next-line" => Scope::Lines {
                from: start_pos.line + 1,
                to: start_pos.line + 1,
            },
            "disable" => Scope::Lines {
                from: start_pos.line,
                to: u32::MAX,
            },
            "enable" => {
                if let Some(i) = open_range.take() {
                    let s: &mut Suppression = &mut out[i];
                    if let Scope::Lines { to, .. } = &mut s.scope {
                        *to = start_pos.line;
                    }
                }
                continue;
            }
            _ => continue,
        };
        if kind == "disable" {
            // A new range closes no earlier one: ranges nest by the enable that follows.
            open_range = Some(out.len());
        }
        out.push(Suppression {
            scope,
            selectors,
            span: start..end,
            start: start_pos,
            end: end_pos,
            used: false,
        });
    }
    out
}

/// Drop the diagnostics a suppression covers, marking the suppressions used.
pub fn apply(diagnostics: &mut Vec<Diagnostic>, suppressions: &mut [Suppression]) {
    if suppressions.is_empty() {
        return;
    }
    // Swept by line, so a diagnostic meets only the suppressions whose lines hold it: a post
    // with thousands of `disable-next-line` comments stays linear. The order is kept.
    let mut by_first_line: Vec<usize> = (0..suppressions.len()).collect();
    by_first_line.sort_by_key(|&s| suppressions[s].lines().0);
    let mut by_line: Vec<usize> = (0..diagnostics.len()).collect();
    by_line.sort_by_key(|&d| diagnostics[d].start.line);
    let mut suppressed = vec![false; diagnostics.len()];
    let mut in_scope: Vec<usize> = Vec::new();
    let mut next = 0;
    let mut swept_line = None;
    for d in by_line {
        let line = diagnostics[d].start.line;
        if swept_line != Some(line) {
            swept_line = Some(line);
            while let Some(&s) = by_first_line.get(next)
                && suppressions[s].lines().0 <= line
            {
                in_scope.push(s);
                next += 1;
            }
            in_scope.retain(|&s| suppressions[s].lines().1 >= line);
        }
        for &s in &in_scope {
            if suppressions[s].covers(&diagnostics[d]) {
                suppressions[s].used = true;
                suppressed[d] = true;
            }
        }
    }
    let mut index = 0;
    diagnostics.retain(|_| {
        index += 1;
        !suppressed[index - 1]
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_become_scopes() {
        let text = "---\ntitle: a\n---\n<!-- artlint-disable-file FM004 -->\n<!-- artlint-disable BP001, html-comment -->\nx\n<!-- artlint-enable -->\n<!-- artlint-disable-next-line -->\ny\n<!-- not ours -->\n";
        let doc = Document::from_text("a.md", text);
        let s = parse(&doc);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].scope, Scope::File);
        assert_eq!(s[0].selectors, ["FM004"]);
        assert_eq!(s[1].scope, Scope::Lines { from: 5, to: 7 });
        assert_eq!(s[1].selectors, ["BP001", "html-comment"]);
        assert_eq!(s[2].scope, Scope::Lines { from: 9, to: 9 });
        assert!(s[2].selectors.is_empty());
    }

    #[test]
    fn each_scope_drops_only_what_it_covers_and_the_order_is_kept() {
        let text = "---\ntitle: a\ndate: 2024-01-02\n---\n\
            ![a](http://e.com/0.png)\n\
            <!-- artlint-disable-next-line IMG003 -->\n![a](http://e.com/1.png)\n\n\
            <!-- artlint-disable IMG003 -->\n![a](http://e.com/2.png)\n<!-- artlint-enable -->\n\n\
            ![a](http://e.com/3.png)\n\
            <!-- artlint-disable-next-line FM001 -->\n![a](http://e.com/4.png)\n";
        let outcome = crate::engine::check_text(
            std::sync::Arc::from(std::path::Path::new("a.md")),
            text.to_string(),
            &crate::config::Config::defaults(std::path::Path::new("."), Default::default()),
            crate::engine::CheckOptions::default(),
        );
        let mut diagnostics = outcome.diagnostics;
        let lines = |diagnostics: &[Diagnostic]| -> Vec<u32> {
            diagnostics.iter().map(|d| d.start.line).collect()
        };
        assert_eq!(lines(&diagnostics), [5, 7, 10, 13, 15]);
        let mut suppressions = parse(&Document::from_text("a.md", text));
        apply(&mut diagnostics, &mut suppressions);
        assert_eq!(lines(&diagnostics), [5, 13, 15]);
        let used: Vec<bool> = suppressions.iter().map(|s| s.used).collect();
        assert_eq!(used, [true, true, false]);
    }
}
