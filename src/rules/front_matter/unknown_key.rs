use crate::diagnostic::{Edit, Safety, Severity};
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, OptionKind, Rule, RuleMeta, RuleOption};
use crate::suggest::did_you_mean;

/// ## What it checks
/// A front-matter key that the site's generator does not know, one typo away from a key it
/// does know (`layput` for `layout`, `imag_feature` for `image_feature`). Keys that are simply
/// custom (not close to any known key) are left alone. Known keys come from the preset; add your
/// theme's with the `known` option.
///
/// ## Why it matters
/// A misspelled key is silently ignored: the post falls back to the default layout, loses its
/// cover image or its categories, and nothing warns the author.
///
/// ## Example
/// ```yaml
/// ---
/// layput: post          # FM009: unknown field `layput`; did you mean `layout`?
/// title: Hello
/// ---
/// ```
/// Configure:
/// ```toml
/// [rules.unknown-key]
/// known = ["subtitle", "header_img"]
/// ```
pub struct UnknownKey;

static META: RuleMeta = RuleMeta {
    code: "FM009",
    name: "unknown-key",
    family: Family::FrontMatter,
    severity: Severity::Warning,
    fix: FixKind::Unsafe,
    default_enabled: true,
    options: &[RuleOption {
        name: "known",
        kind: OptionKind::StringList,
        help: "extra keys your theme reads, so that keys close to them are checked too",
    }],
};

impl Rule for UnknownKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        let Some(fields) = doc.fields() else { return };
        let extra = cx.string_list("known").unwrap_or_default();
        let preset = cx.preset;
        let is_known = |key: &str| preset.field(key).is_some() || extra.contains(&key);
        let present = |key: &str| fields.entries().iter().any(|e| e.key == key);
        if fields.entries().iter().all(|e| is_known(&e.key)) {
            return;
        }
        let candidates: Vec<&str> = preset
            .fields
            .keys()
            .map(String::as_str)
            .chain(extra.iter().copied())
            .collect();
        for entry in fields.entries() {
            if is_known(&entry.key) {
                continue;
            }
            let Some(suggestion) = did_you_mean(&entry.key, candidates.iter().copied()) else {
                continue;
            };
            // Both spellings present: the odd one is deliberate, not a typo.
            if present(suggestion) {
                continue;
            }
            cx.report(
                entry.key_span.clone(),
                format!("unknown field `{}`", entry.key),
            )
            .help(format!("did you mean `{suggestion}`?"))
            .fix(
                format!("Rename to `{suggestion}`"),
                Safety::Unsafe,
                vec![Edit::replace(entry.key_span.clone(), suggestion)],
            );
        }
    }
}
