//! TOML front matter (Hugo's `+++`) → [`Node`] tree, through `toml`'s spanned parser.

use toml::de::{DeTable, DeValue};

use super::SyntaxError;
use super::tree::{Entry, Node, Value};

/// TOML nests only through tables and arrays; bound it so a hostile file cannot blow the stack
/// while we convert the tree.
const MAX_DEPTH: usize = 64;

/// Keys, values and separators (`=`, `,`, `[`, `{`) one front matter block may hold: the parser
/// keeps hundreds of bytes per value, so 1.6 million `{a=1}` in a 10 MB file took 2.8 GB.
/// As the YAML budget, generous for any post's header.
const MAX_MARKS: usize = 200_000;

/// Parse `content`, whose first byte is at `base` in the file.
pub fn parse(content: &str, base: usize) -> Result<Node, SyntaxError> {
    // Counted in the strings too: a header with 200,000 commas in its strings is no header.
    let over_budget = (content.bytes().enumerate())
        .filter(|(_, b)| matches!(b, b'=' | b',' | b'[' | b'{'))
        .nth(MAX_MARKS);
    if let Some((at, _)) = over_budget {
        return Err(SyntaxError {
            message: format!(
                "more than {MAX_MARKS} keys and values; front matter this large is not a post's header"
            ),
            span: base + at..base + at,
        });
    }
    let table = DeTable::parse(content).map_err(|error| {
        let at = error.span().map_or(0, |s| s.start);
        SyntaxError {
            message: error.message().trim().to_string(),
            span: base + at..base + at,
        }
    })?;
    let span = table.span();
    let entries = convert_table(table.get_ref(), content, base, 0)?;
    Ok(Node {
        span: base + span.start..base + span.end,
        value: Value::Map(entries),
    })
}

fn convert_table(
    table: &DeTable<'_>,
    content: &str,
    base: usize,
    depth: usize,
) -> Result<Vec<Entry>, SyntaxError> {
    let mut entries = table
        .iter()
        .map(|(key, value)| {
            let key_span = key.span();
            Ok(Entry {
                key: key.get_ref().to_string(),
                key_span: base + key_span.start..base + key_span.end,
                value: convert(value.get_ref(), value.span(), content, base, depth + 1)?,
            })
        })
        .collect::<Result<Vec<_>, SyntaxError>>()?;
    // Tables are maps keyed by name: restore the order in which keys are written.
    entries.sort_by_key(|e| e.key_span.start);
    Ok(entries)
}

fn convert(
    value: &DeValue<'_>,
    span: std::ops::Range<usize>,
    content: &str,
    base: usize,
    depth: usize,
) -> Result<Node, SyntaxError> {
    let abs = base + span.start..base + span.end;
    if depth > MAX_DEPTH {
        return Err(SyntaxError {
            message: format!("front matter is nested more than {MAX_DEPTH} levels deep"),
            span: abs.start..abs.start,
        });
    }
    let value = match value {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(i) => {
            let digits = i.as_str().replace('_', "");
            let digits = digits
                .trim_start_matches(['+'])
                .trim_start_matches("0x")
                .trim_start_matches("0o")
                .trim_start_matches("0b");
            i64::from_str_radix(digits, i.radix()).map_or(Value::Float(f64::NAN), Value::Integer)
        }
        DeValue::Float(f) => Value::Float(f.as_str().replace('_', "").parse().unwrap_or(f64::NAN)),
        DeValue::Boolean(b) => Value::Bool(*b),
        // As written (`2021-05-22 12:02:19` stays so; `Display` would write a `T`).
        DeValue::Datetime(d) => Value::Datetime(
            content
                .get(span.clone())
                .map_or_else(|| d.to_string(), |raw| raw.trim().to_string()),
        ),
        DeValue::Array(items) => Value::Seq(
            items
                .iter()
                .map(|item| convert(item.get_ref(), item.span(), content, base, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        DeValue::Table(table) => Value::Map(convert_table(table, content, base, depth)?),
    };
    Ok(Node { span: abs, value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_keys_and_values_keep_spans_in_written_order() {
        let text = "title = \"Hello\"\ndate = 2021-05-22T12:02:19Z\ntags = [\"a\", \"b\"]\ndraft = false\n";
        let node = parse(text, 4).unwrap();
        let keys: Vec<_> = node.entries().iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["title", "date", "tags", "draft"]);
        let date = node.get("date").unwrap();
        assert_eq!(
            &text[date.value.span.start - 4..date.value.span.end - 4],
            "2021-05-22T12:02:19Z"
        );
        assert!(matches!(date.value.value, Value::Datetime(_)));
        let spaced = parse("date = 2021-05-22 12:02:19\n", 0).unwrap();
        assert_eq!(
            spaced.get("date").unwrap().value.value,
            Value::Datetime("2021-05-22 12:02:19".into())
        );
        assert_eq!(
            &text[date.key_span.start - 4..date.key_span.end - 4],
            "date"
        );
    }

    #[test]
    fn a_huge_block_is_refused_before_it_is_parsed() {
        let block = format!("x = [{}]\n", vec!["{a=1}"; 120_000].join(","));
        let err = parse(&block, 10).unwrap_err();
        assert!(
            err.message.contains("more than 200000 keys and values"),
            "{err:?}"
        );
        // At the mark over the budget: 200,001 marks in, inside the array.
        assert!(
            err.span.start > 10 && err.span.start < 10 + block.len(),
            "{err:?}"
        );
        let under = format!("x = [{}]\n", vec!["{a=1}"; 60_000].join(","));
        assert!(parse(&under, 0).is_ok());
    }

    #[test]
    fn toml_errors_are_positioned() {
        let err = parse("title = \"a\"\ntitle = \"b\"\n", 0).unwrap_err();
        assert!(err.span.start >= 12, "{err:?}");
    }
}
