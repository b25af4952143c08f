use crate::diagnostic::{Edit, Safety, Severity};
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// The file mixes Windows (`CRLF`) and Unix (`LF`) line endings. The finding points at the
/// first line whose ending is in the minority.
///
/// ## Why it matters
/// Mixed endings come from edits on two systems or from pasting. YAML front matter parses, but a
/// stray `\r` ends up inside values (`title: Hello\r`), diffs show every line as changed, and
/// some generators split the front matter wrongly.
///
/// ## Example
/// ```text
/// ---␍␊
/// title: Hello␊       <- ENC003: LF among CRLF lines
/// ---␍␊
/// ```
/// The fix converts the minority endings to the majority's.
pub struct MixedLineEndings;

static META: RuleMeta = RuleMeta {
    code: "ENC003",
    name: "mixed-line-endings",
    family: Family::Encoding,
    severity: Severity::Warning,
    fix: FixKind::Safe,
    default_enabled: true,
    options: &[],
};

impl Rule for MixedLineEndings {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        let bytes = doc.text.as_bytes();
        // No carriage return (nearly every post): one SIMD search, no line visited.
        if memchr::memchr(b'\r', bytes).is_none() {
            return;
        }
        // Count first: the spans are only needed when both endings occur.
        let newlines = memchr::memchr_iter(b'\n', bytes).count();
        let crlf_count = memchr::memmem::find_iter(bytes, b"\r\n").count();
        if crlf_count == 0 || crlf_count == newlines {
            return;
        }
        let mut crlf = Vec::new();
        let mut lf = Vec::new();
        for i in memchr::memchr_iter(b'\n', bytes) {
            if i > 0 && bytes[i - 1] == b'\r' {
                crlf.push(i - 1..i + 1);
            } else {
                lf.push(i..i + 1);
            }
        }
        if crlf.is_empty() || lf.is_empty() {
            return;
        }
        // Ties go to LF, the generators' native ending.
        let (minority, majority, ending, target) = if crlf.len() > lf.len() {
            (lf, crlf.len(), "LF", "\r\n")
        } else {
            (crlf, lf.len(), "CRLF", "\n")
        };
        let (other_name, target_name) = if ending == "LF" {
            ("CRLF", "CRLF")
        } else {
            ("LF", "LF")
        };
        let first = minority[0].clone();
        let edits = minority
            .iter()
            .map(|span| Edit::replace(span.clone(), target))
            .collect();
        cx.report(
            first,
            format!(
                "{} {ending} line ending{} among {majority} {other_name} ones; this is the first",
                minority.len(),
                if minority.len() == 1 { "" } else { "s" }
            ),
        )
        .help("use one line ending throughout the file (set your editor or `.gitattributes`)")
        .fix(
            format!("Convert all line endings to {target_name}"),
            Safety::Safe,
            edits,
        );
    }
}
