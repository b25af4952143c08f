use crate::diagnostic::Severity;
use crate::document::{Document, Value};
use crate::presets::FieldKind;
use crate::rules::{Context, Family, FixKind, OptionKind, Rule, RuleMeta, RuleOption};

/// ## What it checks
/// A known field holds the wrong kind of value for the site's generator: `categories` and `tags`
/// must be a string or a list of strings, `comments` and `published` booleans, `title` a string,
/// and so on (the kinds are in `rules/presets.yaml`; the `types` option adds or overrides).
/// Date fields are left to the DT rules, which also say what is wrong inside the string.
///
/// ## Why it matters
/// Themes iterate over `tags`, test `comments`, and print `title`. A mapping where a list is
/// expected breaks the build; the string `"false"` is true in Liquid and JavaScript, so the
/// comments appear anyway.
///
/// ## Example
/// ```yaml
/// ---
/// title: Hello
/// comments: "false"     # FM008: `comments` should be a boolean
/// tags:
///   name: gis           # FM008: `tags` should be a string or a list of strings
/// ---
/// ```
/// Configure:
/// ```toml
/// [rules.wrong-type]
/// types = { weight = "integer", hidden = "bool" }
/// ```
pub struct WrongType;

static META: RuleMeta = RuleMeta {
    code: "FM008",
    name: "wrong-type",
    family: Family::FrontMatter,
    severity: Severity::Error,
    fix: FixKind::None,
    default_enabled: true,
    options: &[RuleOption {
        name: "types",
        kind: OptionKind::FieldKinds,
        help: "extra or overriding field kinds: text, bool, integer, date, string-list, list, mapping, any",
    }],
};

impl Rule for WrongType {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        let Some(fields) = doc.fields() else { return };
        let extra = cx.field_kinds("types");
        for entry in fields.entries() {
            let kind = extra
                .iter()
                .find(|(k, _)| *k == entry.key)
                .map(|(_, kind)| *kind)
                .or_else(|| cx.preset.field(&entry.key));
            // Date fields the DT rules check are theirs (DT001 reports a list or a number
            // there); a date field they do not check (Hugo's `modified`) is checked here.
            let checked_by_dates = |key: &str| {
                cx.date_fields.iter().any(|f| {
                    if cx.preset.case_insensitive {
                        f.eq_ignore_ascii_case(key)
                    } else {
                        f == key
                    }
                })
            };
            let Some(kind) =
                kind.filter(|k| *k != FieldKind::Date || !checked_by_dates(&entry.key))
            else {
                continue;
            };
            let value = &entry.value.value;
            if fits(kind, value) {
                continue;
            }
            let found = match value {
                Value::String(s) if kind == FieldKind::Bool => format!("the string \"{s}\""),
                other => other.type_name().to_string(),
            };
            let report = cx.report(
                entry.value.span.clone(),
                format!(
                    "`{}` should be {}, found {found}",
                    entry.key,
                    kind.describe()
                ),
            );
            if let (FieldKind::Bool, Value::String(s)) = (kind, value)
                && matches!(s.to_ascii_lowercase().as_str(), "true" | "false")
            {
                report.help(format!("write `{}` without quotes", s.to_ascii_lowercase()));
            }
        }
    }
}

fn is_scalar_text(value: &Value) -> bool {
    matches!(
        value,
        Value::String(_) | Value::Integer(_) | Value::Float(_)
    )
}

/// Whether `value` is acceptable for `kind`. Null is accepted everywhere: an empty optional
/// field is harmless, and an empty required one is FM007's to report.
fn fits(kind: FieldKind, value: &Value) -> bool {
    if matches!(value, Value::Null) {
        return true;
    }
    match kind {
        FieldKind::Any => true,
        FieldKind::Text => is_scalar_text(value),
        FieldKind::Bool => matches!(value, Value::Bool(_)),
        FieldKind::Integer => matches!(value, Value::Integer(_)),
        FieldKind::Date => is_scalar_text(value) || matches!(value, Value::Datetime(_)),
        FieldKind::StringList => match value {
            Value::Seq(items) => items.iter().all(|n| is_scalar_text(&n.value)),
            other => is_scalar_text(other),
        },
        FieldKind::StringTree => match value {
            Value::Seq(items) => items.iter().all(|n| fits(FieldKind::StringList, &n.value)),
            other => is_scalar_text(other),
        },
        FieldKind::List => matches!(value, Value::Seq(_)),
        FieldKind::Mapping => matches!(value, Value::Map(_)),
    }
}
