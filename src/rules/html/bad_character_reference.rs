use crate::diagnostic::{Edit, Safety, Severity};
use crate::document::html::ProblemKind;
use crate::document::{Document, FileKind};
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// Character references that are not written right: a known name without its `;` (`&nbsp`),
/// a name HTML does not know (`&nbps;`), and numeric references to no valid character
/// (`&#0;`, `&#xD800;`, `&#x110000;`, `&#;`). A lone `&` followed by a space or a word that is
/// not a reference name (`AT&T`, `R&D`) is valid HTML and is not reported.
///
/// ## Why it matters
/// `&nbsp` without `;` works in a browser's HTML parser only by legacy rules, not in Markdown
/// (where it shows as the text "&nbsp"), XML feeds or AMP. An unknown name shows up as typed.
///
/// ## Example
/// ```html
/// <p>价格&nbsp100元</p>   <!-- HTML008 at &nbsp -->
/// ```
/// The fix adds the missing `;`. In HTML files it keeps the rendering and is safe; in Markdown
/// the text changes from "&nbsp" to a space, which is what was meant, so it is offered as unsafe.
pub struct BadCharacterReference;

static META: RuleMeta = RuleMeta {
    code: "HTML008",
    name: "bad-character-reference",
    family: Family::Html,
    severity: Severity::Warning,
    fix: FixKind::Safe,
    default_enabled: true,
    options: &[],
};

impl Rule for BadCharacterReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        for problem in super::problems(doc, ProblemKind::BadCharacterReference) {
            let written = doc.slice(&problem.span).to_string();
            match problem.detail {
                "missing-semicolon-after-character-reference" => {
                    let safety = if doc.kind == FileKind::Html {
                        Safety::Safe
                    } else {
                        Safety::Unsafe
                    };
                    cx.report(problem.span.clone(), format!("`{written}` lacks its `;`"))
                        .help(format!("write `{written};`"))
                        .fix(
                            format!("Write `{written};`"),
                            safety,
                            vec![Edit::replace(problem.span.end..problem.span.end, ";")],
                        );
                }
                "unknown-named-character-reference" => {
                    cx.report(
                        problem.span.clone(),
                        format!(
                            "`{written}` is not a character reference HTML knows: it shows as typed"
                        ),
                    )
                    .help("fix the name, or write `&amp;` for a literal `&`");
                }
                _ => {
                    cx.report(
                        problem.span.clone(),
                        format!("`{written}` does not stand for a valid character"),
                    )
                    .help("write the character itself, or a reference to a valid one (`&#x20AC;` for €)");
                }
            }
        }
    }
}
