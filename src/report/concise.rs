//! `path:line:col: CODE message`: the editor and grep format.

use std::io::{self, Write};

use crate::diagnostic::Diagnostic;

pub fn write(diagnostics: &[Diagnostic], out: &mut dyn Write) -> io::Result<()> {
    for d in diagnostics {
        writeln!(
            out,
            "{}:{}:{}: {} {}",
            d.path.display(),
            d.start.line,
            d.start.column,
            d.rule.code,
            d.message
        )?;
    }
    Ok(())
}
