//! The front matter as a tree in which every key and value keeps its byte span, whatever
//! the syntax (YAML or TOML) it came from.

use crate::diagnostic::Span;

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Where the value is written in the file (for a quoted scalar, including its quotes).
    pub span: Span,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Integer(i64),
    Float(f64),
    String(String),
    /// A TOML datetime, kept in its written form.
    Datetime(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Value {
    /// The type's name as a user reads it in a message.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Integer(_) => "an integer",
            Value::Float(_) => "a number",
            Value::String(_) => "a string",
            Value::Datetime(_) => "a datetime",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Null, an empty or blank string, or an empty collection.
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Null => true,
            Value::String(s) => s.trim().is_empty(),
            Value::Seq(items) => items.is_empty(),
            Value::Map(entries) => entries.is_empty(),
            _ => false,
        }
    }
}

impl Node {
    /// The top-level entries, when the node is a mapping.
    pub fn entries(&self) -> &[Entry] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The first entry named `key`.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries().iter().find(|e| e.key == key)
    }

    /// Every string scalar in this subtree, with its span (keys excluded).
    pub fn strings(&self) -> Vec<(&str, &Span)> {
        let mut out = Vec::new();
        self.collect_strings(&mut out);
        out
    }

    fn collect_strings<'a>(&'a self, out: &mut Vec<(&'a str, &'a Span)>) {
        match &self.value {
            Value::String(s) => out.push((s, &self.span)),
            Value::Seq(items) => items.iter().for_each(|n| n.collect_strings(out)),
            Value::Map(entries) => entries.iter().for_each(|e| e.value.collect_strings(out)),
            _ => {}
        }
    }
}
