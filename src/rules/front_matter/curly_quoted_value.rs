use super::{is_block_scalar, is_quoted, literal_value_span, quoted};
use crate::diagnostic::{Edit, Safety, Severity};
use crate::document::{Document, Node, Value};
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// A front-matter value wrapped in typographic quotes instead of YAML's straight ones:
/// `‘…’` always, and `“…”` around text with no Chinese or Japanese in it (where whole-sentence
/// quotes in `“…”` are ordinary punctuation, they are left alone). A value the writer quoted
/// with straight quotes around the curly ones (`title: '“Hello”'`), or wrote as a block scalar,
/// holds them on purpose, and so does every TOML string (TOML has no unquoted strings).
///
/// ## Why it matters
/// A word processor or CMS "smartened" the quotes: YAML no longer sees a quoted string but a
/// plain one that includes the quote characters. An image URL becomes `‘https://…’`, which no
/// browser loads; a title shows stray quotes.
///
/// ## Example
/// ```yaml
/// ---
/// image_feature: ‘https://example.org/cover.jpeg’    # FM011
/// ---
/// ```
/// The (unsafe) fix replaces the curly quotes with straight ones.
pub struct CurlyQuotedValue;

static META: RuleMeta = RuleMeta {
    code: "FM011",
    name: "curly-quoted-value",
    family: Family::FrontMatter,
    severity: Severity::Warning,
    fix: FixKind::Unsafe,
    default_enabled: true,
    options: &[],
};

impl Rule for CurlyQuotedValue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        let Some(fm) = doc.front_matter() else { return };
        let Some(fields) = fm.fields() else { return };
        for entry in fields.entries() {
            check_node(doc, fm.format, &entry.key, &entry.value, cx);
        }
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// The text inside the curly quotes, when the whole value is wrapped in one pair.
fn unwrap_curly(s: &str) -> Option<&str> {
    for (open, close, prose_ok) in [('‘', '’', false), ('“', '”', true)] {
        let Some(inner) = s.strip_prefix(open).and_then(|r| r.strip_suffix(close)) else {
            continue;
        };
        if inner.contains([open, close]) || inner.trim().is_empty() {
            return None;
        }
        if prose_ok && inner.chars().any(is_cjk) {
            return None;
        }
        return Some(inner);
    }
    None
}

fn check_node(
    doc: &Document,
    format: crate::document::FrontMatterFormat,
    key: &str,
    node: &Node,
    cx: &mut Context,
) {
    match &node.value {
        Value::String(s) => {
            let Some(inner) = unwrap_curly(s) else { return };
            let raw = doc.slice(&node.span);
            if is_quoted(raw) || is_block_scalar(raw) {
                return;
            }
            let report = cx.report(
                node.span.clone(),
                format!("`{key}` is wrapped in typographic quotes"),
            );
            report.help(
                "use straight quotes (' or \") or none; curly quotes become part of the value",
            );
            if let Some(span) = literal_value_span(doc, node, s) {
                report.fix(
                    "Replace the curly quotes with straight ones",
                    Safety::Unsafe,
                    vec![Edit::replace(span, quoted(format, inner))],
                );
            }
        }
        Value::Seq(items) => items
            .iter()
            .for_each(|n| check_node(doc, format, key, n, cx)),
        Value::Map(entries) => entries
            .iter()
            .for_each(|e| check_node(doc, format, &e.key, &e.value, cx)),
        _ => {}
    }
}
