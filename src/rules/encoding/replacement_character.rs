use super::runs;
use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// The text contains U+FFFD REPLACEMENT CHARACTER (`�`), the mark a program leaves where it
/// could not decode bytes. (When the file itself is not valid UTF-8, ENC001 reports that
/// instead.)
///
/// ## Why it matters
/// Every `�` is a character the article lost, typically in a scraper or a conversion from GBK
/// that decoded with the wrong encoding. The original text must be fetched again; no fix can
/// recover it.
///
/// ## Example
/// ```markdown
/// 商务部新闻发言人束珏婷在谈及中俄经贸务实合作时表示，11月30日，中俄�      <- ENC004
/// ```
pub struct ReplacementCharacter;

static META: RuleMeta = RuleMeta {
    code: "ENC004",
    name: "replacement-character",
    family: Family::Encoding,
    severity: Severity::Warning,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for ReplacementCharacter {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        // Our own lossy decoding put these there; ENC001 already reports the cause.
        if doc
            .encoding
            .invalid_utf8
            .as_ref()
            .is_some_and(|i| !i.decoded_as_gb18030)
        {
            return;
        }
        // A searcher built once: `str::contains` builds one per call, per file.
        static REPLACEMENT: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
            std::sync::LazyLock::new(|| memchr::memmem::Finder::new("\u{FFFD}"));
        if REPLACEMENT.find(doc.text.as_bytes()).is_none() {
            return;
        }
        for span in runs(&doc.text, 0..doc.text.len(), |c| c == '\u{FFFD}') {
            let count = doc.slice(&span).chars().count();
            cx.report(
                span,
                if count == 1 {
                    "replacement character `�`: a character was lost in decoding".to_string()
                } else {
                    format!("{count} replacement characters `�`: text was lost in decoding")
                },
            )
            .help(
                "restore the original text from the source; it was decoded with the wrong encoding",
            );
        }
    }
}
