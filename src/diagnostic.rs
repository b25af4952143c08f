//! The one currency of the pipeline: a finding with its exact span, rule and optional fix.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::position::Position;
use crate::rules::RuleMeta;

/// A byte range in a document's (decoded) text.
pub type Span = Range<usize>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// Whether a fix can be applied without review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Safety {
    /// Keeps the meaning of the document: applied by `--fix`.
    Safe,
    /// May change what the post says or shows: applied only with `--unsafe-fixes`.
    Unsafe,
}

/// Replace `span` with `replacement`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

impl Edit {
    pub fn delete(span: Span) -> Edit {
        Edit {
            span,
            replacement: String::new(),
        }
    }

    pub fn replace(span: Span, replacement: impl Into<String>) -> Edit {
        Edit {
            span,
            replacement: replacement.into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub title: String,
    pub safety: Safety,
    pub edits: Vec<Edit>,
}

/// A secondary span with its own message ("first defined here").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// A few whole lines of the file around a diagnostic, kept so the human report can show a
/// code frame without holding every file's text in memory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    pub text: String,
    /// Byte offset of `text` in the document.
    pub offset: usize,
    /// 1-based line number of the first line of `text`.
    pub first_line: u32,
    /// 1-based column at which `text` starts on its first line (1 unless a very long line was
    /// cut to a window around the finding).
    pub first_column: u32,
}

/// One finding. (Serialized only for artlint's own cache and facts files.)
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Diagnostic {
    #[serde(with = "crate::rules::meta_by_code")]
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    #[serde(with = "shared_path")]
    pub path: Arc<Path>,
    pub span: Span,
    pub start: Position,
    pub end: Position,
    pub message: String,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    /// Boxed, as is the snippet: most findings have neither, and a run holds every finding
    /// until the report.
    pub fix: Option<Box<Fix>>,
    pub snippet: Option<Box<Snippet>>,
    /// Identity for baselines: rule, offending text and its line, not the line number.
    pub fingerprint: u64,
}

/// A path as the cache and facts files hold it: its bytes, as the operating system gave them
/// (a post's name need not be UTF-8: GBK names are common in scraped Chinese corpora).
pub(crate) mod path_bytes {
    use std::path::{Path, PathBuf};

    use serde::{Deserializer, Serializer};

    pub fn bytes(path: &Path) -> &[u8] {
        path.as_os_str().as_encoded_bytes()
    }

    /// The path of `bytes` written by [`bytes`] (on Unix any bytes; elsewhere UTF-8 text).
    pub fn path(bytes: &[u8]) -> Option<&Path> {
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            Some(Path::new(std::ffi::OsStr::from_bytes(bytes)))
        }
        #[cfg(not(unix))]
        {
            std::str::from_utf8(bytes).ok().map(Path::new)
        }
    }

    pub(super) fn read<E: serde::de::Error>(bytes: &[u8]) -> Result<&Path, E> {
        path(bytes).ok_or_else(|| E::custom("a path that is not UTF-8"))
    }

    /// For lists of paths (`#[serde(with = "path_bytes::list")]`).
    pub mod list {
        use super::*;
        use serde::Deserialize;

        pub fn serialize<S: Serializer>(paths: &[PathBuf], s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(paths.iter().map(|p| serde_bytes::Bytes::new(bytes(p))))
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<PathBuf>, D::Error> {
            let lists = Vec::<serde_bytes::ByteBuf>::deserialize(d)?;
            lists
                .iter()
                .map(|b| read(b).map(Path::to_path_buf))
                .collect()
        }
    }
}

/// A finding's path as the cache and facts files hold it (its bytes: [`path_bytes`]).
/// Findings are stored file by file, so a path read back is most often the one read just
/// before: it is shared, not allocated again. One allocation per file instead of one per
/// finding, and a file's findings share one `Arc`, which the report's sort compares first.
pub(crate) mod shared_path {
    use std::cell::RefCell;
    use std::path::Path;
    use std::sync::Arc;

    use serde::{Deserializer, Serializer};

    use super::path_bytes;

    thread_local! {
        /// The path this thread decoded last.
        static LAST: RefCell<Option<Arc<Path>>> = const { RefCell::new(None) };
    }

    /// Let the next path decoded on this thread equal to `path` be this allocation (the file
    /// whose outcome is about to be decoded).
    pub fn expect(path: &Arc<Path>) {
        LAST.with(|last| *last.borrow_mut() = Some(path.clone()));
    }

    pub fn serialize<S: Serializer>(path: &Arc<Path>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(path_bytes::bytes(path))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<Path>, D::Error> {
        d.deserialize_bytes(Visitor)
    }

    struct Visitor;

    impl serde::de::Visitor<'_> for Visitor {
        type Value = Arc<Path>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a path")
        }

        fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Arc<Path>, E> {
            let read = path_bytes::read(bytes)?;
            Ok(LAST.with(|last| {
                let mut last = last.borrow_mut();
                match &*last {
                    Some(path) if **path == *read => path.clone(),
                    _ => {
                        let path: Arc<Path> = Arc::from(read);
                        *last = Some(path.clone());
                        path
                    }
                }
            }))
        }
    }
}

/// A finding as a rule reports it, before the engine places it in the file.
#[derive(Clone, Debug)]
pub struct Finding {
    pub span: Span,
    pub message: String,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
}

impl Finding {
    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    pub fn label(&mut self, span: Span, message: impl Into<String>) -> &mut Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn fix(&mut self, title: impl Into<String>, safety: Safety, edits: Vec<Edit>) -> &mut Self {
        self.fix = Some(Fix {
            title: title.into(),
            safety,
            edits,
        });
        self
    }
}
