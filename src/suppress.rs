//! Inline suppressions, as HTML comments (invisible in every renderer):
//! `<!-- artlint-disable CODE, CODE -->` … `<!-- artlint-enable -->`,
//! `<!-- artlint-disable-next-line CODE -->`, `<!-- artlint-disable-file CODE -->`.
//! Codes, names, prefixes or families; none means every rule. Applied after every finding of
//! the file is known (the corpus pass's included); a suppression that suppressed nothing, and a
//! code that names no rule, are reported themselves (ART001, ART002).

use crate::diagnostic::{Diagnostic, Span};
use crate::document::Document;
use crate::position::Position;
use crate::rules::RuleMeta;
use crate::span_index::SpanIndex;

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

    /// Whether it names `rule` (no selector names every rule).
    fn names(&self, rule: &RuleMeta) -> bool {
        self.selectors.is_empty() || self.selectors.iter().any(|s| rule.matches(s))
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
///
/// Rule by rule (a file's findings name few rules): a rule's findings' lines meet the line
/// ranges of the suppressions that name it through a [`SpanIndex`] each way, so neither
/// thousands of comments nor one comment naming thousands of codes makes this quadratic. The
/// order of the diagnostics is kept.
pub fn apply(diagnostics: &mut Vec<Diagnostic>, suppressions: &mut [Suppression]) {
    if suppressions.is_empty() || diagnostics.is_empty() {
        return;
    }
    // The findings of each rule (told by its metadata's address).
    let mut by_rule: Vec<(&'static RuleMeta, Vec<usize>)> = Vec::new();
    let mut rule_slot: std::collections::HashMap<*const RuleMeta, usize> =
        std::collections::HashMap::new();
    for (d, diagnostic) in diagnostics.iter().enumerate() {
        let slot = *rule_slot
            .entry(std::ptr::from_ref(diagnostic.rule))
            .or_insert_with(|| {
                by_rule.push((diagnostic.rule, Vec::new()));
                by_rule.len() - 1
            });
        by_rule[slot].1.push(d);
    }
    // Lines as spans: line `n` is `n..n + 1`, so overlapping is sharing a line.
    let line_of = |d: usize| {
        let line = diagnostics[d].start.line as usize;
        line..line + 1
    };
    let lines_of = |s: &Suppression| {
        let (from, to) = s.lines();
        from as usize..to as usize + 1
    };
    let mut suppressed = vec![false; diagnostics.len()];
    for (rule, found) in by_rule {
        let naming: Vec<usize> = (0..suppressions.len())
            .filter(|&s| suppressions[s].names(rule))
            .collect();
        if naming.is_empty() {
            continue;
        }
        // A suppression is used when one of the rule's findings lies in its lines ...
        let found_lines = SpanIndex::new(found.iter().map(|&d| line_of(d)));
        for &s in &naming {
            if found_lines.overlaps(&lines_of(&suppressions[s])) {
                suppressions[s].used = true;
            }
        }
        // ... and a finding is suppressed when it lies in the lines of one.
        let suppressed_lines = SpanIndex::new(naming.iter().map(|&s| lines_of(&suppressions[s])));
        for &d in &found {
            if suppressed_lines.overlaps(&line_of(d)) {
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

    /// `apply` agrees with the definition, every finding against every suppression, on
    /// generated files: ranges nested and open, file scopes, selectors by code, prefix, name and
    /// family, several findings on one line.
    #[test]
    fn apply_agrees_with_testing_every_pair() {
        let registry = crate::rules::registry();
        let rules: Vec<&'static RuleMeta> = registry
            .iter()
            .step_by(5)
            .take(16)
            .map(|r| r.meta())
            .collect();
        let selectors = |rng: &mut crate::test_rng::Xorshift| -> Vec<String> {
            (0..rng.below(3))
                .map(|_| {
                    let rule = rules[rng.below(rules.len())];
                    match rng.below(4) {
                        0 => rule.code.to_string(),
                        1 => rule.code[..2].to_string(),
                        2 => rule.name.to_string(),
                        _ => rule.family.name().to_string(),
                    }
                })
                .collect()
        };
        let nowhere = Position {
            line: 1,
            column: 1,
            offset: 0,
        };
        let mut rng = crate::test_rng::Xorshift::new(0x5eed_cafe);
        for _ in 0..300 {
            let lines = 1 + rng.below(40) as u32;
            let mut suppressions: Vec<Suppression> = (0..rng.below(8))
                .map(|_| {
                    let from = 1 + rng.below(lines as usize) as u32;
                    let scope = match rng.below(4) {
                        0 => Scope::File,
                        1 => Scope::Lines { from, to: u32::MAX },
                        _ => Scope::Lines {
                            from,
                            to: from + rng.below(5) as u32,
                        },
                    };
                    Suppression {
                        scope,
                        selectors: selectors(&mut rng),
                        span: 0..0,
                        start: nowhere,
                        end: nowhere,
                        used: false,
                    }
                })
                .collect();
            let diagnostics: Vec<Diagnostic> = (0..rng.below(30))
                .map(|i| {
                    let line = 1 + rng.below(lines as usize) as u32;
                    let position = Position {
                        line,
                        column: 1,
                        offset: 0,
                    };
                    Diagnostic {
                        rule: rules[rng.below(rules.len())],
                        severity: crate::diagnostic::Severity::Warning,
                        path: std::sync::Arc::from(std::path::Path::new("a.md")),
                        span: 0..0,
                        start: position,
                        end: position,
                        message: format!("finding {i}"),
                        labels: Vec::new(),
                        help: None,
                        fix: None,
                        snippet: None,
                        fingerprint: i as u64,
                    }
                })
                .collect();
            let covers = |s: &Suppression, d: &Diagnostic| {
                let (from, to) = s.lines();
                (from..=to).contains(&d.start.line)
                    && (s.selectors.is_empty() || s.selectors.iter().any(|sel| d.rule.matches(sel)))
            };
            let expected_kept: Vec<String> = diagnostics
                .iter()
                .filter(|d| !suppressions.iter().any(|s| covers(s, d)))
                .map(|d| d.message.clone())
                .collect();
            let expected_used: Vec<bool> = suppressions
                .iter()
                .map(|s| diagnostics.iter().any(|d| covers(s, d)))
                .collect();
            let mut kept = diagnostics.clone();
            apply(&mut kept, &mut suppressions);
            let kept: Vec<String> = kept.into_iter().map(|d| d.message).collect();
            assert_eq!(kept, expected_kept);
            let used: Vec<bool> = suppressions.iter().map(|s| s.used).collect();
            assert_eq!(used, expected_used);
        }
    }
}
