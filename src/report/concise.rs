//! `path:line:col: CODE message`: the editor and grep format.

use std::fmt::Write as _;

use crate::diagnostic::Diagnostic;

pub fn render(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let _ = writeln!(
            out,
            "{}:{}:{}: {} {}",
            super::display_path(d),
            d.start.line,
            d.start.column,
            d.rule.code,
            d.message
        );
    }
    out
}
