use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// A suppression comment naming a code or rule that does not exist (`artlint-disable FM999`,
/// a typo such as `requried-field`).
///
/// ## Why it matters
/// The comment suppresses nothing, and the finding it was meant for keeps showing: or, worse,
/// the author believes a rule is off when it is not.
///
/// ## Example
/// ```markdown
/// <!-- artlint-disable-file requried-field -->    <!-- ART002: did you mean required-field? -->
/// ```
pub struct UnknownSuppressionCode;

static META: RuleMeta = RuleMeta {
    code: "ART002",
    name: "unknown-suppression-code",
    family: Family::Meta,
    severity: Severity::Error,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

impl Rule for UnknownSuppressionCode {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Checked with the suppressions, by the engine.
    fn check(&self, _doc: &Document, _cx: &mut Context) {}
}
