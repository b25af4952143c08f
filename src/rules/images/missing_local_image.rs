use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, OptionKind, Rule, RuleMeta, RuleOption};

/// ## What it checks
/// A local image (`img/a.png`, `../assets/a.png`, or site-relative `/images/a.png`) that does
/// not exist on disk. Relative paths are resolved against the post's folder (and, for Hugo page
/// bundles, that is where the image lives); site-relative ones against the site's asset roots:
/// Hexo `source/`, the Jekyll site root, Hugo `static/` and `assets/`, found from the site's
/// configuration file. The `roots` option adds folders. Site-relative paths are not judged when
/// no site root is found. This check runs in the corpus pass, where artlint reads the disk.
///
/// ## Why it matters
/// A renamed or never-committed picture leaves a broken image on the page; nothing in the build
/// fails.
///
/// ## Example
/// ```markdown
/// ![Crowdfunding progress](/img/posts/2.26/gs3-percent.png)    <!-- IMG005 if the file is missing -->
/// ```
pub struct MissingLocalImage;

static META: RuleMeta = RuleMeta {
    code: "IMG005",
    name: "missing-local-image",
    family: Family::Images,
    severity: Severity::Error,
    fix: FixKind::None,
    default_enabled: true,
    options: &[RuleOption {
        name: "roots",
        kind: OptionKind::StringList,
        help: "more folders (relative to artlint.toml's folder) in which site-relative images are looked up",
    }],
};

impl Rule for MissingLocalImage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Cross-file: the work happens in the corpus pass (`src/corpus.rs`).
    fn check(&self, _doc: &Document, _cx: &mut Context) {}
}
