use crate::diagnostic::{Edit, Safety, Severity};
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// Blank lines stand before the opening `---` of the front matter, so the block does not start
/// on line 1.
///
/// ## Why it matters
/// Jekyll recognises front matter only when `---` is the very first line. With a blank line
/// before it, Jekyll publishes the file as a static page with the YAML printed as text, Hexo
/// reads past one blank line but not two, and other tools (feed importers, editors) miss the
/// fields. Feed mirrors often write posts this way. Under the `hexo` preset one blank line is
/// not reported, under `hugo` none are (Hugo skips them); the generic preset is as strict as
/// Jekyll.
///
/// ## Example
/// ```markdown
///
/// ---                 <- FM002: line 2, after a blank line
/// title: '00后大学生进入职场'
/// ---
/// ```
/// The fix deletes the blank lines, when the block holds fields (a mapping with a field the
/// preset knows, such as `title`): between two thematic breaks, body text would become front
/// matter.
pub struct FrontMatterNotAtStart;

static META: RuleMeta = RuleMeta {
    code: "FM002",
    name: "front-matter-not-at-start",
    family: Family::FrontMatter,
    severity: Severity::Error,
    fix: FixKind::Safe,
    default_enabled: true,
    options: &[],
};

impl Rule for FrontMatterNotAtStart {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        let Some(fm) = doc.front_matter() else { return };
        let Some(blank) = fm.leading_blank.clone() else {
            return;
        };
        let count = doc.slice(&blank).matches('\n').count();
        if cx.preset.blank_lines_skipped.allows(count) {
            return;
        }
        let lines = if count == 1 {
            "a blank line"
        } else {
            "blank lines"
        };
        // Only a block of fields is made front matter: text between two thematic breaks
        // (`---`) would become fields, and vanish from the page (FM005 reports it when it is
        // not a mapping; a sentence with a colon is one, so a field the preset knows is asked).
        let holds_known_field = doc.fields().is_some_and(|fields| {
            fields
                .entries()
                .iter()
                .any(|e| cx.preset.field(&e.key).is_some())
        });
        let report = cx
            .report(
                fm.open_fence.clone(),
                format!("front matter starts on line {}, after {lines}", count + 1),
            )
            .label(blank.clone(), "delete these lines")
            .help("the opening `---` must be the first line of the file");
        if holds_known_field {
            report.fix(
                "Delete the blank lines before `---`",
                Safety::Safe,
                vec![Edit::delete(blank)],
            );
        }
    }
}
