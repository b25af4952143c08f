//! Corpus pass: rules that need every file. Each file contributes small facts in the parallel
//! pass (`collect`); `finish` reduces them into cross-file findings.
//!
//! The core has one such rule, CORPUS001 duplicate-title; its docs live in
//! `src/rules/corpus/duplicate_title.rs`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::config::ActiveRule;
use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::document::Document;
use crate::position::Position;
use crate::rules::Rule;
use crate::rules::corpus::DuplicateTitle;

/// What one file contributes to the corpus pass.
#[derive(Clone, Debug)]
pub struct FileFacts {
    pub path: Arc<Path>,
    pub title: Option<TitleFact>,
}

#[derive(Clone, Debug)]
pub struct TitleFact {
    /// Case- and space-folded, so that trivially different spellings collide.
    pub normalised: String,
    pub span: Span,
    pub start: Position,
    pub end: Position,
    pub severity: Severity,
}

/// The map step, run per file in the parallel pass.
pub fn collect(doc: &Document, rules: &[ActiveRule]) -> Option<FileFacts> {
    let active = rules
        .iter()
        .find(|a| a.rule.meta().code == DuplicateTitle.meta().code)?;
    let entry = doc.fields()?.get("title")?;
    let title = entry.value.value.as_str()?;
    let normalised: String = title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    if normalised.is_empty() {
        return None;
    }
    let span = entry.value.span.clone();
    Some(FileFacts {
        path: doc.path.clone(),
        title: Some(TitleFact {
            normalised,
            start: doc.position(span.start),
            end: doc.position(span.end),
            span,
            severity: active.severity,
        }),
    })
}

/// The reduce step: cross-file findings.
pub fn finish(facts: Vec<FileFacts>) -> Vec<Diagnostic> {
    let mut by_title: BTreeMap<&str, Vec<(&Arc<Path>, &TitleFact)>> = BTreeMap::new();
    for fact in &facts {
        if let Some(title) = &fact.title {
            by_title
                .entry(&title.normalised)
                .or_default()
                .push((&fact.path, title));
        }
    }
    let mut out = Vec::new();
    for group in by_title.values().filter(|g| g.len() > 1) {
        let mut group = group.clone();
        group.sort_by(|a, b| a.0.cmp(b.0));
        for (i, (path, title)) in group.iter().enumerate() {
            let others: Vec<String> = group
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, (p, _))| p.display().to_string())
                .collect();
            let shown = others
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ");
            let more = if others.len() > 3 {
                format!(" and {} more", others.len() - 3)
            } else {
                String::new()
            };
            out.push(Diagnostic {
                rule: DuplicateTitle.meta(),
                severity: title.severity,
                path: (*path).clone(),
                span: title.span.clone(),
                start: title.start,
                end: title.end,
                message: format!(
                    "{} posts share this title; also in {shown}{more}",
                    group.len()
                ),
                labels: Vec::new(),
                help: Some("give each post its own title, or delete the duplicate post".into()),
                fix: None,
                snippet: None,
            });
        }
    }
    out
}
