//! Family FM: the front-matter block and its fields.

mod curly_quoted_value;
mod duplicate_key;
mod empty_required_value;
mod front_matter_not_at_start;
mod front_matter_syntax;
mod missing_front_matter;
mod padded_value;
mod required_field;
mod unknown_key;
mod unterminated_front_matter;
mod wrong_type;

pub use curly_quoted_value::CurlyQuotedValue;
pub use duplicate_key::DuplicateKey;
pub use empty_required_value::EmptyRequiredValue;
pub use front_matter_not_at_start::FrontMatterNotAtStart;
pub use front_matter_syntax::FrontMatterSyntax;
pub use missing_front_matter::MissingFrontMatter;
pub use padded_value::PaddedValue;
pub use required_field::RequiredField;
pub use unknown_key::UnknownKey;
pub use unterminated_front_matter::UnterminatedFrontMatter;
pub use wrong_type::WrongType;

pub(crate) use super::literal_value_span;
use super::{Context, OptionKind, RuleOption};
use crate::document::{Entry, FrontMatterFormat, Node};

/// The `fields` option shared by the required-field rules.
const REQUIRED_FIELDS_OPTION: RuleOption = RuleOption {
    name: "fields",
    kind: OptionKind::StringList,
    help: "the fields every post must have (default: the preset's, `title` and `date`)",
};

/// The required fields: the rule's `fields` option, else the preset's.
fn required_fields<'a>(cx: &Context<'a>) -> Vec<&'a str> {
    cx.string_list("fields")
        .unwrap_or_else(|| cx.preset.required.iter().map(String::as_str).collect())
}

/// Find a top-level field, honouring the preset's case rule (Hugo ignores case).
fn field<'d>(cx: &Context, fields: &'d Node, key: &str) -> Option<&'d Entry> {
    fields.entries().iter().find(|e| {
        if cx.preset.case_insensitive {
            e.key.eq_ignore_ascii_case(key)
        } else {
            e.key == key
        }
    })
}

/// A quoted form of `text` that parses back to `text` in the block's syntax.
fn quoted(format: FrontMatterFormat, text: &str) -> String {
    match format {
        FrontMatterFormat::Yaml => format!("'{}'", text.replace('\'', "''")),
        FrontMatterFormat::Toml => {
            format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
        }
    }
}

/// Whether a scalar is written as a quoted string (`'…'` or `"…"`).
fn is_quoted(raw: &str) -> bool {
    raw.starts_with(['\'', '"'])
}

/// Whether a scalar is a YAML block scalar (`|` or `>`), whose trailing newline is by design.
fn is_block_scalar(raw: &str) -> bool {
    raw.starts_with(['|', '>'])
}
