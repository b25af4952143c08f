//! The floor that issue 9's speed targets are measured against: what any front-matter linter
//! must do at least. Each file read, its front matter split and parsed with serde-saphyr, and
//! (for the whole floor) its body parsed with html5ever. Used by the divan bench
//! (`benches/throughput.rs`) and by `examples/html5ever_floor.rs --with-yaml`
//! (`scripts/bench/instructions.sh`); never by artlint itself.

use std::path::Path;

/// How much of the floor to do for one file.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Floor {
    /// Read, split, parse the front matter.
    FrontMatter,
    /// That, and an html5ever parse of the body.
    WithHtml,
}

/// One file through the floor: the number of front-matter fields (and, with the body parsed,
/// html5ever's parse errors), so that no step can be optimised away.
pub fn file(path: &Path, floor: Floor) -> usize {
    let Ok(bytes) = std::fs::read(path) else {
        return 0;
    };
    let text = String::from_utf8_lossy(&bytes);
    let text = text.trim_start();
    let Some(rest) = text.strip_prefix("---") else {
        return 0;
    };
    let Some(end) = rest.find("\n---") else {
        return 0;
    };
    let fields = serde_saphyr::from_str::<serde_json::Value>(&rest[..end])
        .map_or(0, |v| v.as_object().map_or(0, |o| o.len()));
    match floor {
        Floor::FrontMatter => fields,
        Floor::WithHtml => fields + crate::document::html_parse::html5ever_only(&rest[end + 4..]),
    }
}
