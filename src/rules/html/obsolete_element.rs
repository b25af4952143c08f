use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::{Context, Family, FixKind, OptionKind, Rule, RuleMeta, RuleOption};

/// ## What it checks
/// Presentational elements that HTML made obsolete: `<font>`, `<center>`, `<big>`, `<strike>`,
/// `<tt>`, `<marquee>`, `<blink>`, `<basefont>`, `<acronym>`, `<applet>`, `<dir>`, `<frame>`,
/// `<frameset>`, `<noframes>`, `<spacer>`, `<nobr>`. Off by default: old imported posts are full
/// of them. The list is the `elements` option.
///
/// ## Why it matters
/// They still render, but they fight the theme's styles (a `<font color>` stays red in dark
/// mode), readers and feeds drop them, and they mark text that was pasted from an old site.
///
/// ## Example
/// ```html
/// <center><font size="4" color="red">Notice</font></center>   <!-- HTML011 twice -->
/// ```
pub struct ObsoleteElement;

const DEFAULT: &[&str] = &[
    "font", "center", "big", "strike", "tt", "marquee", "blink", "basefont", "acronym", "applet",
    "dir", "frame", "frameset", "noframes", "spacer", "nobr",
];

static META: RuleMeta = RuleMeta {
    code: "HTML011",
    name: "obsolete-element",
    family: Family::Html,
    severity: Severity::Info,
    fix: FixKind::None,
    default_enabled: false,
    options: &[RuleOption {
        name: "elements",
        kind: OptionKind::StringList,
        help: "obsolete element names to report (default: font, center, big, strike, tt, marquee, …)",
    }],
};

impl Rule for ObsoleteElement {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context) {
        let found: Vec<_> = super::listed_elements(doc, cx, DEFAULT)
            .into_iter()
            .map(|e| (e.name.clone(), e.start_tag.clone()))
            .collect();
        for (name, span) in found {
            cx.report(span, format!("{} is obsolete in HTML", super::tag(&name)))
                .help(match name.as_str() {
                    "font" | "center" | "big" | "tt" | "strike" | "basefont" => {
                        "style the text with CSS (or Markdown emphasis) instead"
                    }
                    _ => "remove it or replace it with current HTML",
                });
        }
    }
}
