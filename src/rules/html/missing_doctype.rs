use crate::diagnostic::{Edit, Safety, Severity};
use crate::document::Document;
use crate::document::html::ProblemKind;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// A whole HTML document without `<!DOCTYPE html>`. Only files read as documents are checked:
/// with `html-mode = "auto"` (the default) those are `.html`/`.htm` files that open with
/// `<html`; post bodies are fragments and never need one. `html-mode = "document"` reads every
/// body as a document, `"fragment"` none.
///
/// ## Why it matters
/// Without it browsers render the page in quirks mode: different box sizes, table fonts and line
/// heights from the same CSS.
///
/// ## Example
/// ```html
/// <html><head><title>Archive</title></head>…   <!-- HTML013 at the start -->
/// ```
/// The fix inserts `<!DOCTYPE html>`; it is unsafe because the page leaves quirks mode.
pub struct MissingDoctype;

static META: RuleMeta = RuleMeta {
    code: "HTML013",
    name: "missing-doctype",
    family: Family::Html,
    severity: Severity::Warning,
    fix: FixKind::Unsafe,
    default_enabled: true,
    options: &[],
};

impl Rule for MissingDoctype {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        for problem in super::problems(doc, ProblemKind::MissingDoctype) {
            let at = problem.span.start;
            let end = doc.text[at..]
                .find('>')
                .map_or(at, |i| at + i + 1)
                .min(doc.text.len());
            cx.report(
                at..end,
                "the document has no `<!DOCTYPE html>`: browsers render it in quirks mode",
            )
            .help("start the file with `<!DOCTYPE html>`")
            .fix(
                "Insert `<!DOCTYPE html>`",
                Safety::Unsafe,
                vec![Edit::replace(
                    at..at,
                    format!("<!DOCTYPE html>{}", crate::document::line_ending(&doc.text)),
                )],
            );
        }
    }
}
