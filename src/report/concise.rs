//! `path:line:col: CODE message`: the editor and grep format.

use std::fmt::Write as _;

use crate::diagnostic::Diagnostic;

pub fn render(diagnostics: &[Diagnostic]) -> String {
    // About a line's length each, so the text is not copied as it grows.
    let mut out = String::with_capacity(diagnostics.len() * 96);
    for d in diagnostics {
        let _ = writeln!(
            out,
            "{}:{}:{}: {} {}",
            d.path.display(),
            d.start.line,
            d.start.column,
            d.rule.code,
            d.message
        );
    }
    out
}
