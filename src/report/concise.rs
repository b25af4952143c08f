//! `path:line:col: CODE message`: the editor and grep format.

use std::borrow::Cow;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::Diagnostic;

pub fn write(diagnostics: &[Diagnostic], out: &mut dyn Write) -> io::Result<()> {
    // A file's findings share its path: turned into text once per file, not per finding.
    let mut path: Option<(&Arc<Path>, Cow<'_, str>)> = None;
    for d in diagnostics {
        let text = match &path {
            Some((last, text)) if Arc::ptr_eq(last, &d.path) => text,
            _ => &path.insert((&d.path, super::display_path(d))).1,
        };
        out.write_all(text.as_bytes())?;
        write!(out, ":{}:{}: ", d.start.line, d.start.column)?;
        out.write_all(d.rule.code.as_bytes())?;
        out.write_all(b" ")?;
        out.write_all(d.message.as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
