use super::{UrlKind, host_and_port, image_refs, url_kind, what};
use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, Rule, RuleMeta};

/// ## What it checks
/// An image URL that is not a valid URL: white space or control characters inside it,
/// typographic quotes (`‘https://…’`), a `%` not followed by two hex digits, backslashes, an
/// invalid host (empty, an empty label as in `a..b`, a label over 63 characters or starting or
/// ending with `-`, a non-numeric port), or a mistyped scheme (`htps://…`, `http:/…`).
///
/// ## Why it matters
/// Browsers guess at such URLs differently or not at all: the image does not load, or loads in
/// one browser only. They come from copy-paste out of word processors and from scrapers that
/// split attributes wrongly.
///
/// ## Example
/// ```yaml
/// ---
/// image_feature: ‘https://i.example.org/cover.jpeg’    # IMG002: curly quotes in the URL
/// ---
/// ```
pub struct MalformedImageUrl;

static META: RuleMeta = RuleMeta {
    code: "IMG002",
    name: "malformed-image-url",
    family: Family::Images,
    severity: Severity::Error,
    fix: FixKind::None,
    default_enabled: true,
    options: &[],
};

/// What is wrong with `url`, if anything.
pub fn problem(url: &str) -> Option<String> {
    // Printable ASCII (nearly every URL) has no quote, white space or control character.
    let printable = url.bytes().all(|b| b.is_ascii_graphic());
    if printable {
        return printable_problem(url);
    }
    if let Some(c) = url.chars().find(|c| matches!(c, '‘' | '’' | '“' | '”')) {
        return Some(format!("contains the typographic quote `{c}`"));
    }
    if url.chars().any(char::is_whitespace) {
        return Some("contains white space (write spaces as %20)".into());
    }
    if let Some(c) = url.chars().find(|c| c.is_control()) {
        return Some(format!("contains the control character U+{:04X}", c as u32));
    }
    printable_problem(url)
}

/// The checks that remain once no character is out of place.
fn printable_problem(url: &str) -> Option<String> {
    if url.contains('\\') {
        return Some("contains a backslash (URLs use `/`)".into());
    }
    let bytes = url.as_bytes();
    for i in memchr::memchr_iter(b'%', bytes) {
        if !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
        {
            return Some("has a `%` not followed by two hex digits (bad percent-encoding)".into());
        }
    }
    match url_kind(url) {
        UrlKind::Http | UrlKind::Https | UrlKind::ProtocolRelative => host_problem(url),
        UrlKind::OtherScheme => scheme_problem(url),
        _ => None,
    }
}

/// A scheme no browser loads an image from, written where a web URL was meant: `htps://…`,
/// `http:/…` (one slash).
fn scheme_problem(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once(':')?;
    let lower = scheme.to_ascii_lowercase();
    if matches!(lower.as_str(), "http" | "https") {
        return Some(format!(
            "has `{scheme}:` without the `//` that starts its host"
        ));
    }
    // Other schemes without `//` (`mailto:`, `cid:`) are not web URLs mistyped.
    if !rest.starts_with("//") || matches!(lower.as_str(), "blob" | "file" | "ftp") {
        return None;
    }
    let hint = crate::suggest::did_you_mean(&lower, ["http", "https"])
        .map(|s| format!(" (`{s}:`?)"))
        .unwrap_or_default();
    Some(format!(
        "has the scheme `{scheme}:`, which browsers do not load images from{hint}"
    ))
}

fn host_problem(url: &str) -> Option<String> {
    let host_port = host_and_port(url)?;
    if host_port.starts_with('[') {
        return (!host_port.contains(']')).then(|| "has an unclosed `[` in its IPv6 host".into());
    }
    let (host, port) = match host_port.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (host_port, None),
    };
    if let Some(port) = port
        && (port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()))
    {
        return Some(format!("has an invalid port `{port}`"));
    }
    if host.is_empty() {
        return Some("has no host".into());
    }
    let host = host.strip_suffix('.').unwrap_or(host);
    for label in host.split('.') {
        if label.is_empty() {
            return Some(format!("has an invalid host `{host}` (an empty label)"));
        }
        if label.len() > 63 {
            return Some(format!(
                "has an invalid host `{host}` (a label over 63 characters)"
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some(format!(
                "has an invalid host `{host}` (a label starts or ends with `-`)"
            ));
        }
        if let Some(c) = label
            .chars()
            .find(|c| c.is_ascii() && !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        {
            return Some(format!(
                "has an invalid host `{host}` (the character `{c}`)"
            ));
        }
    }
    None
}

impl Rule for MalformedImageUrl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        for image in image_refs(doc, cx).iter() {
            if url_kind(&image.url) == UrlKind::Data {
                continue;
            }
            if let Some(problem) = problem(&image.url) {
                cx.report(image.span.clone(), format!("{} URL {problem}", what(image)))
                    .help(
                        "copy the URL again from its source; browsers will not load it as written",
                    );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn malformed_urls() {
        assert!(
            problem("‘https://i.loli.net/a.jpeg’")
                .unwrap()
                .contains("typographic")
        );
        assert!(
            problem("https://x.org/a b.png")
                .unwrap()
                .contains("white space")
        );
        assert!(
            problem("https://x.org/a%2.png")
                .unwrap()
                .contains("percent")
        );
        assert!(
            problem("https://x..org/a.png")
                .unwrap()
                .contains("empty label")
        );
        assert!(problem("https://-x.org/a.png").unwrap().contains("`-`"));
        assert!(problem("https://x.org:80a/a.png").unwrap().contains("port"));
        assert!(problem("https:///a.png").unwrap().contains("no host"));
        assert!(
            problem("https://x.org\\a.png")
                .unwrap()
                .contains("backslash")
        );
        assert_eq!(
            problem("https://n.sinaimg.cn/finance/cece9e13/20200514/343233024.png"),
            None
        );
        assert_eq!(problem("https://x.org/a%20b.png?q=%E4%B8%AD"), None);
        // Mistyped schemes, and schemes that are not web URLs.
        assert_eq!(
            problem("htps://example.com/a.jpg").as_deref(),
            Some("has the scheme `htps:`, which browsers do not load images from (`https:`?)")
        );
        assert_eq!(
            problem("http:/example.com/a.jpg").as_deref(),
            Some("has `http:` without the `//` that starts its host")
        );
        assert!(problem("hxxp://example.com/a.jpg").is_some());
        assert_eq!(problem("blob://x/1"), None);
        assert_eq!(problem("cid:part1.06090408@example.com"), None);
        assert_eq!(problem("a:b.png"), None);
        assert_eq!(problem("https://例子.测试/图.png"), None);
        assert_eq!(problem("https://my_cdn.x.org:8080/a.png"), None);
        assert_eq!(problem("http://[::1]:8080/a.png"), None);
        assert_eq!(problem("../img/a.png"), None);
    }
}
