use std::cell::RefCell;

use rustc_hash::FxHashMap;

use crate::diagnostic::{Edit, Safety, Severity};
use crate::document::Document;
use crate::presets::Preset;
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

/// How many suggestions a thread keeps before it starts afresh (a corpus has a few dozen
/// distinct unknown keys; a generated one may have a key per file).
const REMEMBERED: usize = 4096;

/// The suggestions worked out on one thread against one set of known keys.
#[derive(Default)]
struct Suggestions {
    /// The preset (static: its address names it) and the extra known keys they were made for.
    preset: usize,
    extra: Vec<String>,
    by_key: FxHashMap<String, Option<String>>,
}

thread_local! {
    /// The same unknown keys recur through a corpus, and each costs an edit distance to every
    /// known key: each thread remembers its answers for the known keys it last met.
    static SUGGESTIONS: RefCell<Suggestions> = RefCell::new(Suggestions::default());
}

/// `suggest()`, or what it gave before on this thread for the same key against the same known
/// keys.
fn remembered_suggestion(
    preset: &'static Preset,
    extra: &[&str],
    key: &str,
    suggest: impl FnOnce() -> Option<String>,
) -> Option<String> {
    let preset = std::ptr::from_ref(preset) as usize;
    let found = SUGGESTIONS.with_borrow_mut(|memo| {
        if memo.preset != preset
            || !memo
                .extra
                .iter()
                .map(String::as_str)
                .eq(extra.iter().copied())
        {
            *memo = Suggestions {
                preset,
                extra: extra.iter().map(|k| k.to_string()).collect(),
                by_key: FxHashMap::default(),
            };
        }
        memo.by_key.get(key).cloned()
    });
    if let Some(found) = found {
        return found;
    }
    let suggestion = suggest();
    SUGGESTIONS.with_borrow_mut(|memo| {
        if memo.by_key.len() >= REMEMBERED {
            memo.by_key.clear();
        }
        memo.by_key.insert(key.to_string(), suggestion.clone());
    });
    suggestion
}

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
            let Some(suggestion) = remembered_suggestion(preset, &extra, &entry.key, || {
                did_you_mean(&entry.key, candidates.iter().copied()).map(str::to_owned)
            }) else {
                continue;
            };
            let suggestion = suggestion.as_str();
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
