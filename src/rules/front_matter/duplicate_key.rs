use rustc_hash::FxHashMap as HashMap;

use crate::diagnostic::Severity;
use crate::document::{Document, Node, Value};
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// A key appears twice in the same mapping of the front matter (at any depth). The finding
/// points at the second occurrence, with a label on the first. Under the Hugo preset, keys
/// that differ only in case are the same key (`title` and `Title`), as Hugo reads them.
///
/// ## Why it matters
/// YAML forbids duplicate keys; parsers that accept them silently keep one value (the last in
/// Hexo's js-yaml in lenient mode, an error in Jekyll's Psych), so the post shows a different
/// title or date than the one the author reads first.
///
/// ## Example
/// ```yaml
/// ---
/// title: First
/// date: 2021-05-22
/// title: Second      # FM006: `title` is already defined on line 2
/// ---
/// ```
pub struct DuplicateKey;

static META: RuleMeta = RuleMeta {
    code: "FM006",
    name: "duplicate-key",
    family: Family::FrontMatter,
    severity: Severity::Error,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for DuplicateKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        if let Some(fields) = doc.fields() {
            let case_insensitive = cx.preset.case_insensitive;
            check_node(doc, fields, case_insensitive, cx);
        }
    }
}

fn check_node(doc: &Document, node: &Node, case_insensitive: bool, cx: &mut Context) {
    match &node.value {
        Value::Map(entries) => {
            let mut first_seen: HashMap<std::borrow::Cow<str>, (&str, std::ops::Range<usize>)> =
                HashMap::default();
            for entry in entries {
                let key = if case_insensitive {
                    std::borrow::Cow::Owned(entry.key.to_lowercase())
                } else {
                    std::borrow::Cow::Borrowed(entry.key.as_str())
                };
                if let Some((first_key, first)) = first_seen.get(&key) {
                    let line = doc.lines().line_of(first.start) + 1;
                    let message = if *first_key == entry.key {
                        format!("`{}` is already defined on line {line}", entry.key)
                    } else {
                        format!(
                            "`{}` is already defined on line {line}, as `{first_key}` (keys are \
                             matched regardless of case)",
                            entry.key
                        )
                    };
                    cx.report(entry.key_span.clone(), message)
                    .label(first.clone(), "first defined here")
                    .help(
                        "remove one of the two; generators keep only one value and differ on which",
                    );
                } else {
                    first_seen.insert(key, (entry.key.as_str(), entry.key_span.clone()));
                }
                check_node(doc, &entry.value, case_insensitive, cx);
            }
        }
        Value::Seq(items) => items
            .iter()
            .for_each(|item| check_node(doc, item, case_insensitive, cx)),
        _ => {}
    }
}
