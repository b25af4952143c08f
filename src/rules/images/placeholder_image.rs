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

impl Rule for PlaceholderImage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        let pack = pack();
        let extra = cx.string_list("hosts").unwrap_or_default();
        for image in image_refs(doc, cx).iter() {
            let host = host(&image.url).unwrap_or("").to_ascii_lowercase();
            let is_placeholder = !host.is_empty()
                && pack
                    .placeholder_hosts
                    .iter()
                    .map(String::as_str)
                    .chain(extra.iter().copied())
                    .any(|p| {
                        host.strip_suffix(p)
                            .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
                    });
            if is_placeholder {
                cx.report(
                    image.span.clone(),
                    format!("{} is a placeholder from `{host}`", what(image)),
                )
                .help("use the article's own picture, or remove the field");
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
