use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::{host, image_refs, pack, what};
use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, OptionKind, Rule, RuleMeta, RuleOption};

/// ## What it checks
/// An image from a placeholder service (`picsum.photos`, `placehold.co`, `dummyimage.com`…) or
/// wrapped in a proxy (`https://proxy.example/?http://…`, `?url=http…`). The lists are in
/// `rules/images.yaml`; the `hosts` option adds hosts.
///
/// ## Why it matters
/// Feed mirrors fill a missing cover with a random stock photo: every build shows another
/// picture that has nothing to do with the article. Proxied images break when the proxy goes
/// away, and hide the original's address.
///
/// ## Example
/// ```yaml
/// ---
/// headimg: 'https://picsum.photos/400/300?random=3971'    # IMG008
/// ---
/// ```
pub struct PlaceholderImage;

static META: RuleMeta = RuleMeta {
    code: "IMG008",
    name: "placeholder-image",
    family: Family::Images,
    severity: Severity::Warning,
    fix: FixKind::None,
    default_enabled: true,
    options: &[RuleOption {
        name: "hosts",
        kind: OptionKind::StringList,
        help: "more placeholder hosts (matched with their subdomains)",
    }],
};

/// The pack's proxy markers in any case: a superset of the lower-cased URL's matches.
static PROXY_MARKERS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(&pack().proxy_markers)
        .expect("rules/images.yaml's proxy markers build a searcher")
});

/// Whether `host`, lower-cased, is `domain` or one of its subdomains (compared in place).
fn is_within(host: &str, domain: &str) -> bool {
    let Some(split) = host.len().checked_sub(domain.len()) else {
        return false;
    };
    let (rest, suffix) = host.as_bytes().split_at(split);
    !domain.bytes().any(|b| b.is_ascii_uppercase())
        && suffix.eq_ignore_ascii_case(domain.as_bytes())
        && (rest.is_empty() || rest.ends_with(b"."))
}

impl Rule for PlaceholderImage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        let pack = pack();
        let extra = cx.string_list("hosts").unwrap_or_default();
        for image in image_refs(doc, cx).iter() {
            let host = host(&image.url).unwrap_or("");
            let is_placeholder = !host.is_empty()
                && pack
                    .placeholder_hosts
                    .iter()
                    .map(String::as_str)
                    .chain(extra.iter().copied())
                    .any(|p| is_within(host, p));
            if is_placeholder {
                let host = host.to_ascii_lowercase();
                cx.report(
                    image.span.clone(),
                    format!("{} is a placeholder from `{host}`", what(image)),
                )
                .help("use the article's own picture, or remove the field");
                continue;
            }
            // One pass for all the markers first: nearly no URL holds any.
            if !PROXY_MARKERS.is_match(&image.url) {
                continue;
            }
            let lower = image.url.to_ascii_lowercase();
            if let Some(marker) = pack
                .proxy_markers
                .iter()
                .find(|m| lower.contains(m.as_str()))
            {
                cx.report(
                    image.span.clone(),
                    format!("{} is wrapped in a proxy (`{marker}`)", what(image)),
                )
                .help("link the original image instead of the proxy");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_within;

    #[test]
    fn hosts_match_their_domain_and_its_subdomains_in_any_case() {
        assert!(is_within("picsum.photos", "picsum.photos"));
        assert!(is_within("Fastly.Picsum.PHOTOS", "picsum.photos"));
        assert!(!is_within("notpicsum.photos", "picsum.photos"));
        assert!(!is_within("photos", "picsum.photos"));
        // A configured host is compared as written, as against the lower-cased host.
        assert!(!is_within("picsum.photos", "Picsum.photos"));
        assert!(!is_within("", "x.org"));
    }
}
