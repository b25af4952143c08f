use crate::diagnostic::{Edit, Safety, Severity};
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, OptionKind, Rule, RuleMeta, RuleOption};

/// ## What it checks
/// Elements that have no place in an article body: by default `<script>`, `<iframe>`,
/// `<object>`, `<embed>`, `<form>`, `<base>` and `<meta>`. The list is the `elements` option. In
/// a whole HTML document, only the elements inside `<body>` are checked.
///
/// ## Why it matters
/// Feed readers, reader modes, AMP and most sanitizers strip them, so the post looks different
/// everywhere; scraped ones run someone else's code on your site (trackers, ad loaders), and a
/// `<base>` or `<meta>` in a body changes how the whole page resolves links or refreshes.
///
/// ## Example
/// ```html
/// <script src="https://ads.example.com/loader.js"></script>   <!-- HTML010 -->
/// ```
/// The fix deletes the element with its content; it is unsafe, as the page loses what it did.
///
/// ```toml
/// [rules.forbidden-element]
/// elements = ["script", "object", "embed", "form", "base", "meta"]   # allow <iframe> embeds
/// ```
pub struct ForbiddenElement;

const DEFAULT: &[&str] = &[
    "script", "iframe", "object", "embed", "form", "base", "meta",
];

static META: RuleMeta = RuleMeta {
    code: "HTML010",
    name: "forbidden-element",
    family: Family::Html,
    severity: Severity::Error,
    fix: FixKind::Unsafe,
    default_enabled: true,
    options: &[RuleOption {
        name: "elements",
        kind: OptionKind::StringList,
        help: "element names not allowed in a body (default: script, iframe, object, embed, form, base, meta)",
    }],
};

impl Rule for ForbiddenElement {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        let found: Vec<_> = super::listed_elements(doc, cx, DEFAULT)
            .into_iter()
            .map(|e| (e.name.clone(), e.start_tag.clone(), e.span()))
            .collect();
        for (name, span, whole) in found {
            let delete = doc.whole_line(&whole);
            cx.report(
                span,
                format!(
                    "{} does not belong in an article body (if it is meant as text, write `&lt;{name}>`)",
                    super::tag(&name)
                ),
            )
            .help(match name.as_str() {
                "script" => "remove it: feed readers and sanitizers strip it, and scraped scripts run someone else's code on your site",
                "iframe" | "object" | "embed" => "link to the content instead, or allow the element in `[rules.forbidden-element] elements`",
                "form" => "remove it: forms in posts are leftovers of the page they were copied from",
                _ => "remove it: in a body it changes how the whole page behaves",
            })
            .fix(
                format!("Delete the {}", super::tag(&name)),
                Safety::Unsafe,
                vec![Edit::delete(delete)],
            );
        }
    }
}
