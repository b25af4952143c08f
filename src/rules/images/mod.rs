//! Family IMG: image references in front matter and body, checked offline (and, in the corpus
//! pass, on disk and over HTTP).

mod data_uri_image;
mod empty_image_url;
mod image_insecure_redirect;
mod image_not_an_image;
mod image_not_found;
mod image_server_error;
mod image_unreachable;
mod insecure_image_url;
mod malformed_image_url;
mod missing_alt;
mod missing_local_image;
mod placeholder_image;
mod protocol_relative_image_url;
mod shared_cover_image;
mod suspicious_image_extension;

pub use data_uri_image::DataUriImage;
pub use empty_image_url::EmptyImageUrl;
pub use image_insecure_redirect::ImageInsecureRedirect;
pub use image_not_an_image::ImageNotAnImage;
pub use image_not_found::ImageNotFound;
pub use image_server_error::ImageServerError;
pub use image_unreachable::ImageUnreachable;
pub use insecure_image_url::InsecureImageUrl;
pub use malformed_image_url::{MalformedImageUrl, problem as url_problem};
pub use missing_alt::MissingAlt;
pub use missing_local_image::MissingLocalImage;
pub use placeholder_image::PlaceholderImage;
pub use protocol_relative_image_url::ProtocolRelativeImageUrl;
pub use shared_cover_image::SharedCoverImage;
pub use suspicious_image_extension::SuspiciousImageExtension;

use std::sync::OnceLock;

use serde::Deserialize;

use crate::document::Document;
use crate::document::images::ImageRef;
use crate::rules::Context;

/// `rules/images.yaml`, embedded.
#[derive(Deserialize)]
pub struct ImagePack {
    pub placeholder_hosts: Vec<String>,
    pub proxy_markers: Vec<String>,
    pub image_extensions: Vec<String>,
    pub not_image_extensions: Vec<String>,
}

pub fn pack() -> &'static ImagePack {
    static PACK: OnceLock<ImagePack> = OnceLock::new();
    // Ours and embedded: a broken edit fails the test suite at once.
    PACK.get_or_init(|| {
        serde_saphyr::from_str(include_str!("../../../rules/images.yaml"))
            .expect("rules/images.yaml is valid")
    })
}

/// Front-matter image fields (`image-fields`) and every image in the body (scanned once per
/// document and shared by the rules).
pub(crate) struct Images<'d> {
    front_matter: std::borrow::Cow<'d, [ImageRef]>,
    body: &'d [ImageRef],
}

impl Images<'_> {
    /// The images a reader sees (those inside HTML comments are left out).
    pub fn iter(&self) -> impl Iterator<Item = &ImageRef> {
        self.all().filter(|i| !i.in_comment)
    }

    /// Every image reference, commented-out ones included.
    pub fn all(&self) -> impl Iterator<Item = &ImageRef> {
        self.front_matter.iter().chain(self.body)
    }
}

pub(crate) fn image_refs<'d>(doc: &'d Document, cx: &Context) -> Images<'d> {
    Images {
        front_matter: doc.front_matter_images(cx.image_fields),
        body: doc.body_images(),
    }
}

/// How to name an image in a message: `` `headimg` `` or `` `<img src>` ``.
pub(crate) fn what(image: &ImageRef) -> String {
    let name = match &image.field {
        Some(field) => format!("`{field}`"),
        None => image.source.describe().to_string(),
    };
    if image.in_comment {
        format!("{name} in an HTML comment")
    } else {
        name
    }
}

/// What a URL is, by its start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlKind {
    Empty,
    Data,
    Http,
    Https,
    ProtocolRelative,
    /// `mailto:`, `ftp:`, `blob:`… not an image we can check.
    OtherScheme,
    /// `/img/a.png`: relative to the site's root.
    SiteRelative,
    /// `a.png`, `../img/a.png`: relative to the post.
    Relative,
}

pub fn url_kind(url: &str) -> UrlKind {
    // Asked of every image by several rules: compared in place, not lower-cased into a copy.
    let starts = |prefix: &str| {
        url.as_bytes()
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
    };
    if url.is_empty() {
        UrlKind::Empty
    } else if starts("data:") {
        UrlKind::Data
    } else if starts("https://") {
        UrlKind::Https
    } else if starts("http://") {
        UrlKind::Http
    } else if url.starts_with("//") {
        UrlKind::ProtocolRelative
    } else if url.starts_with('/') {
        UrlKind::SiteRelative
    } else if has_scheme(url) {
        UrlKind::OtherScheme
    } else {
        UrlKind::Relative
    }
}

fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(colon) => {
            let scheme = &url[..colon];
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        }
        None => false,
    }
}

/// The host of an `http(s)://` or `//` URL.
pub fn host(url: &str) -> Option<&str> {
    let host_port = host_and_port(url)?;
    if let Some(bracketed) = host_port.strip_prefix('[') {
        return Some(bracketed.split(']').next().unwrap_or(bracketed));
    }
    Some(
        host_port
            .find(':')
            .map_or(host_port, |colon| &host_port[..colon]),
    )
}

/// The authority after the URL's first `//` without its user part: `host[:port]`.
pub(crate) fn host_and_port(url: &str) -> Option<&str> {
    // Byte searches: URLs are short, and a substring searcher costs more to build than to run.
    let slashes = url.as_bytes().windows(2).position(|w| w == b"//")?;
    let after = &url[slashes + 2..];
    let authority = &after[..after
        .bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(after.len())];
    Some(
        authority
            .rfind('@')
            .map_or(authority, |at| &authority[at + 1..]),
    )
}

/// The path's last segment's extension, lower-cased (`a/b.JPG?x=1` → `jpg`).
pub fn extension(url: &str) -> Option<String> {
    let path = &url[..url
        .bytes()
        .position(|b| matches!(b, b'?' | b'#'))
        .unwrap_or(url.len())];
    let path = match path.as_bytes().windows(2).position(|w| w == b"//") {
        Some(slashes) => {
            let rest = &path[slashes + 2..];
            rest.find('/').map_or("", |slash| &rest[slash + 1..])
        }
        None => path,
    };
    let last = &path[path.rfind('/').map_or(0, |slash| slash + 1)..];
    let (stem, ext) = last.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_hosts_and_extensions() {
        assert_eq!(url_kind("HTTP://x.org/a.png"), UrlKind::Http);
        assert_eq!(url_kind("//cdn.x.org/a.png"), UrlKind::ProtocolRelative);
        assert_eq!(url_kind("/img/a.png"), UrlKind::SiteRelative);
        assert_eq!(url_kind("../a.png"), UrlKind::Relative);
        assert_eq!(url_kind("data:image/gif;base64,R0l"), UrlKind::Data);
        assert_eq!(url_kind("mailto:a@b"), UrlKind::OtherScheme);
        assert_eq!(url_kind("a:b.png"), UrlKind::OtherScheme);
        assert_eq!(host("https://user@img.x.org:8080/a.png"), Some("img.x.org"));
        assert_eq!(host("http://[::1]:80/a"), Some("::1"));
        assert_eq!(host("http://[::1/a"), Some("::1"));
        assert_eq!(host("https://a@b@img.x.org?q=//y"), Some("img.x.org"));
        assert_eq!(host("https://img.x.org#top"), Some("img.x.org"));
        assert_eq!(host("img.x.org/a.png"), None);
        assert_eq!(host("//cdn.x.org/a.png"), Some("cdn.x.org"));
        assert_eq!(url_kind("Data:image/png;base64,"), UrlKind::Data);
        assert_eq!(url_kind("hTTpS://x.org"), UrlKind::Https);
        assert_eq!(url_kind("http:/x.org"), UrlKind::OtherScheme);
        assert_eq!(url_kind(""), UrlKind::Empty);
        assert_eq!(
            extension("https://i.imgur.com/r6CUc5t.jp"),
            Some("jp".into())
        );
        assert_eq!(extension("https://x.org/a.JPG?w=1#f"), Some("jpg".into()));
        assert_eq!(extension("https://x.org/640?wx_fmt=jpeg"), None);
        assert_eq!(extension("https://x.org"), None);
        assert_eq!(extension("https://x.org/.hidden"), None);
        assert_eq!(extension("//cdn.x.org/a/b.Png"), Some("png".into()));
        assert_eq!(extension("img/a.b/c.gif#x.y"), Some("gif".into()));
        assert_eq!(extension("https://x.org/a.png/"), None);
        assert_eq!(extension("a.webp?x=//y/z.bmp"), Some("webp".into()));
    }

    #[test]
    fn the_pack_loads() {
        assert!(
            pack()
                .placeholder_hosts
                .iter()
                .any(|h| h == "picsum.photos")
        );
    }
}
