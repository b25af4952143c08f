//! The boilerplate packs (family BP) as a user runs them: the embedded generic and Sina packs
//! find a Sina Finance post's leftovers exactly, leave ordinary prose alone, user packs
//! (`packs = […]` in artlint.toml) work for every matcher kind and fail loudly when malformed,
//! and `artlint rule`/`artlint rules` document the pack rules.
//!
//! The article text of every post here is invented; only the markup of the Sina boilerplate is
//! modelled on the posts in ../shared/corpus/sina-hexo.

mod common;

use std::path::Path;

use common::{Run, run_in, tempdir, write};

/// A fixed "now": no finding may depend on the day the tests run.
const NOW: &str = "2026-01-01T00:00:00Z";

/// `(path, line, column, code)` of every finding of a `--format json` run, in report order.
fn findings(run: &Run) -> Vec<(String, u64, u64, String)> {
    run.json()["diagnostics"]
        .as_array()
        .expect("a diagnostics array")
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["start"]["line"].as_u64().unwrap(),
                d["start"]["column"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// `--select BP --format json` on `paths`, in `dir`.
fn lint_bp(dir: &Path, paths: &[&str]) -> Run {
    let mut args = vec!["--select", "BP"];
    args.extend_from_slice(paths);
    lint(dir, &args)
}

/// `--format json ARGS` (with a fixed "now" and no cache), in `dir`.
fn lint(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["--no-cache", "--now", NOW, "--format", "json"];
    all.extend_from_slice(args);
    let run = run_in(dir, &all);
    assert!(
        matches!(run.code, Some(0 | 1)),
        "artlint failed: {:?}\n{}",
        run.code,
        run.stderr
    );
    run
}

/// The rest of line `line` of `text` from 1-based column `column` (in characters).
fn at(text: &str, line: u64, column: u64) -> &str {
    let line_text = text
        .split('\n')
        .nth(line as usize - 1)
        .unwrap_or_else(|| panic!("no line {line}"));
    let byte = line_text
        .char_indices()
        .nth(column as usize - 1)
        .map_or(line_text.len(), |(i, _)| i);
    &line_text[byte..]
}

/// Check that each expected `(line, column, code, markup)` points at `markup` in `text`, so
/// that the expected positions below document what they stand for.
fn check_expectations(text: &str, expected: &[(u64, u64, &str, &str)]) {
    for (line, column, code, markup) in expected {
        assert!(
            at(text, *line, *column).starts_with(markup),
            "{code} at {line}:{column} should point at `{markup}`, not at `{}`",
            at(text, *line, *column)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// A Sina Finance post: every piece of boilerplate found, nothing else
// ---------------------------------------------------------------------------------------------

/// A post shaped like the Sina Finance posts mirrored by RSSHub Hexo sites (invented news text,
/// the real boilerplate markup: `cms-style` paragraphs, a stock link with `data-sudaclick` and
/// an empty live-quote span, CMS marker comments, the QR-code footer with its escaped style
/// block and app promotion, the editor line).
const SINA_POST: &str = r#"---
title: '央行开展七天期逆回购操作 市场流动性保持合理充裕'
categories:
 - 金融
 - 新浪财经
 - 新浪财经－国內
headimg: 'https://n.sinaimg.cn/finance/cece9e13/20200514/343233024.png'
author: 新浪财经
comments: false
date: 2022-03-15 09:30:00
---

<div>
<p cms-style="font-L">　　3月15日，人民银行以利率招标方式开展了一千亿元七天期逆回购操作，中标利率与上期持平，当日实现净投放三百亿元。</p>
<p cms-style="font-L">　　分析人士指出，季末临近，资金面阶段性承压，央行适时加大投放力度，有助于平抑短期利率波动。</p>
<p cms-style="font-L">　　从二级市场看，银行板块早盘表现稳健，<span id="stock_sz000001"><a href="https://finance.sina.com.cn/realstock/company/sz000001/nc.shtml" class="keyword" target="_blank" data-sudaclick="content_marketkeywords_p">平安银行</a></span><span id="quote_sz000001"></span>等个股成交较前一交易日明显放大。</p>
<p cms-style="font-L">　　<font cms-style="font-L">市场人士预计，后续货币政策将继续保持稳健基调，流动性总量有望维持合理充裕。</font></p><!-- news_keyword_pub,stock,sz000001 -->



<!-- 正文下iframe -->


<!-- 正文下iframe -->

<!-- 总声明-->


<!-- 总声明-->

<!-- 文末二维码 start -->


            <!-- 文末二维码 start -->
            <style>
            .appendQr_wrap&#123;border:1px solid #E6E6E6;padding:8px;&#125;
            .appendQr_normal&#123;float:left;&#125;
            .appendQr_normal img&#123;width:74px;&#125;
            .appendQr_normal_txt&#123;float:left;font-size:20px;line-height:74px;padding-left:20px;color:#333;&#125;
            </style>
            <div class="clearfix appendQr_wrap">
                <div class="appendQr_normal"><img src="https://n.sinaimg.cn/finance/cece9e13/20200514/343233024.png" referrerpolicy="no-referrer"></div>
                <div class="appendQr_normal_txt">海量资讯、精准解读，尽在新浪财经APP</div>
            </div>
            <!-- 文末二维码 start -->

            <!-- 文末二维码 start -->

<!-- 编辑姓名及工作代码 -->

<p class="article-editor">责任编辑：王小明 </p>
<!-- 编辑姓名及工作代码-->


</div>
"#;

/// Every BP finding of [`SINA_POST`], in report order, with the markup it points at. Where a
/// generic entry and a Sina entry flag the same span (a CMS comment is also an HTML comment,
/// BP001; the quote placeholder is also an empty span, BP003), only the Sina entry is reported.
const SINA_EXPECTED: &[(u64, u64, &str, &str)] = &[
    (14, 4, "BP106", r#"cms-style="font-L">"#),
    (15, 4, "BP106", r#"cms-style="font-L">"#),
    (16, 4, "BP106", r#"cms-style="font-L">"#),
    (16, 175, "BP106", r#"data-sudaclick="content_"#),
    (16, 232, "BP105", r#"<span id="quote_sz000001"></span>"#),
    (17, 4, "BP106", r#"cms-style="font-L">"#),
    (17, 31, "BP106", r#"cms-style="font-L">"#),
    (17, 98, "BP103", "<!-- news_keyword_pub,stock,sz000001 -->"),
    (21, 1, "BP103", "<!-- 正文下iframe -->"),
    (24, 1, "BP103", "<!-- 正文下iframe -->"),
    (26, 1, "BP103", "<!-- 总声明-->"),
    (29, 1, "BP103", "<!-- 总声明-->"),
    (31, 1, "BP103", "<!-- 文末二维码 start -->"),
    (34, 13, "BP103", "<!-- 文末二维码 start -->"),
    (35, 13, "BP004", "<style>"),
    (36, 27, "BP006", "&#123;border"),
    (41, 13, "BP104", r#"<div class="clearfix appendQr_wrap">"#),
    (43, 50, "BP101", "海量资讯、精准解读，尽在新浪财经APP</div>"),
    (45, 13, "BP103", "<!-- 文末二维码 start -->"),
    (47, 13, "BP103", "<!-- 文末二维码 start -->"),
    (49, 1, "BP103", "<!-- 编辑姓名及工作代码 -->"),
    (51, 27, "BP102", "责任编辑：王小明 </p>"),
    (52, 1, "BP103", "<!-- 编辑姓名及工作代码-->"),
];

/// The expected `(line, column, code)` of [`SINA_EXPECTED`].
fn sina_expected() -> Vec<(u64, u64, String)> {
    SINA_EXPECTED
        .iter()
        .map(|(line, column, code, _)| (*line, *column, code.to_string()))
        .collect()
}

/// The `(line, column, code)` of a run's findings in `path`.
fn findings_in(run: &Run, path: &str) -> Vec<(u64, u64, String)> {
    findings(run)
        .into_iter()
        .filter(|(p, ..)| p == path)
        .map(|(_, line, column, code)| (line, column, code))
        .collect()
}

#[test]
fn sina_post_boilerplate_is_found_exactly() {
    check_expectations(SINA_POST, SINA_EXPECTED);
    let dir = tempdir();
    write(dir.path(), "sina.html", SINA_POST);
    let run = lint_bp(dir.path(), &["sina.html"]);
    // Warnings only.
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(findings_in(&run, "sina.html"), sina_expected());
}

/// The same post as Markdown, as the RSSHub Hexo sites store it (../shared/corpus/sina-hexo).
/// Its QR-code footer is indented by 12 spaces after a blank line: CommonMark would take it
/// for an indented code block, and since the Markdown code masking (commit e514e16) none of
/// the footer is found (BP103 at 34/45/47, BP004, BP006, BP104, BP101).
#[test]

fn sina_markdown_post_boilerplate_is_found_exactly() {
    let dir = tempdir();
    write(dir.path(), "sina.md", SINA_POST);
    let run = lint_bp(dir.path(), &["sina.md"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(findings_in(&run, "sina.md"), sina_expected());
}

/// The part of the Markdown post before the blank line that ends its first HTML block is
/// found exactly, whatever happens to the indented footer.
#[test]
fn sina_markdown_post_paragraphs_and_comments_are_found() {
    let dir = tempdir();
    write(dir.path(), "sina.md", SINA_POST);
    let run = lint_bp(dir.path(), &["sina.md"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let found = findings_in(&run, "sina.md");
    let before_footer: Vec<_> = found.iter().filter(|f| f.0 <= 31).cloned().collect();
    let expected: Vec<_> = sina_expected().into_iter().filter(|f| f.0 <= 31).collect();
    assert_eq!(before_footer, expected);
    // The editor line and the comments around it.
    let tail: Vec<_> = found.iter().filter(|f| f.0 >= 49).cloned().collect();
    let expected: Vec<_> = sina_expected().into_iter().filter(|f| f.0 >= 49).collect();
    assert_eq!(tail, expected);
}

#[test]
fn sina_entries_win_over_generic_entries_on_the_same_span() {
    let dir = tempdir();
    write(dir.path(), "sina.html", SINA_POST);
    let codes = |run: &Run, code: &str| findings(run).iter().filter(|f| f.3 == code).count();
    // Alone, the generic entries flag the CMS comments and the quote placeholder…
    let generic = lint(dir.path(), &["--select", "BP0", "sina.html"]);
    assert_eq!(codes(&generic, "BP001"), 11, "{}", generic.stdout);
    assert_eq!(codes(&generic, "BP003"), 1, "{}", generic.stdout);
    // …and with the Sina pack selected too, the Sina entries replace them.
    let both = lint_bp(dir.path(), &["sina.html"]);
    assert_eq!(codes(&both, "BP001"), 0, "{}", both.stdout);
    assert_eq!(codes(&both, "BP003"), 0, "{}", both.stdout);
    assert_eq!(codes(&both, "BP103"), 11, "{}", both.stdout);
    assert_eq!(codes(&both, "BP105"), 1, "{}", both.stdout);
    // Same places.
    let places = |run: &Run, wanted: &[&str]| -> Vec<(u64, u64)> {
        findings(run)
            .into_iter()
            .filter(|f| wanted.contains(&f.3.as_str()))
            .map(|f| (f.1, f.2))
            .collect()
    };
    assert_eq!(
        places(&generic, &["BP001", "BP003"]),
        places(&both, &["BP103", "BP105"])
    );
}

#[test]
fn fixing_the_sina_post_leaves_the_article_only() {
    let dir = tempdir();
    let path = write(dir.path(), "sina.html", SINA_POST);
    let run = run_in(
        dir.path(),
        &[
            "--no-cache",
            "--now",
            NOW,
            "--select",
            "BP",
            "--fix",
            "--unsafe-fixes",
            "--format",
            "json",
            "sina.html",
        ],
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(findings(&run), [], "nothing is left after the fixes");
    assert!(
        run.stderr.contains("Fixed 21 problems in 1 file."),
        "{}",
        run.stderr
    );
    let fixed = std::fs::read_to_string(&path).unwrap();
    let (front_matter, _) = SINA_POST.split_at(SINA_POST.find("<div>").unwrap());
    // The boilerplate's lines go; the 16 blank lines between them stay.
    assert_eq!(
        fixed,
        format!(
            "{front_matter}<div>\n\
             <p>　　3月15日，人民银行以利率招标方式开展了一千亿元七天期逆回购操作，中标利率与上期持平，当日实现净投放三百亿元。</p>\n\
             <p>　　分析人士指出，季末临近，资金面阶段性承压，央行适时加大投放力度，有助于平抑短期利率波动。</p>\n\
             <p>　　从二级市场看，银行板块早盘表现稳健，<span id=\"stock_sz000001\"><a href=\"https://finance.sina.com.cn/realstock/company/sz000001/nc.shtml\" class=\"keyword\" target=\"_blank\">平安银行</a></span>等个股成交较前一交易日明显放大。</p>\n\
             <p>　　<font>市场人士预计，后续货币政策将继续保持稳健基调，流动性总量有望维持合理充裕。</font></p>\n\
             {}</div>\n",
            "\n".repeat(16)
        )
    );
}

/// Posts of the Sina feed also carry the editor's work code after the name (`责任编辑：梁斌
/// SF055` in ../shared/corpus/sina-hexo). The fix of BP102 should take the whole editor line.
#[test]

fn editor_line_with_a_work_code_is_deleted_whole() {
    let dir = tempdir();
    let post = "---\ntitle: 沪指午后震荡\ndate: 2022-03-16 15:10:00\n---\n\n<p>　　沪指午后窄幅震荡，两市成交额较昨日略有萎缩。</p>\n\n<p class=\"article-editor\">责任编辑：李小红 SF012</p>\n";
    let path = write(dir.path(), "post.md", post);
    let run = run_in(
        dir.path(),
        &["--no-cache", "--select", "BP102", "--fix", "post.md"],
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "---\ntitle: 沪指午后震荡\ndate: 2022-03-16 15:10:00\n---\n\n<p>　　沪指午后窄幅震荡，两市成交额较昨日略有萎缩。</p>\n\n"
    );
}

// ---------------------------------------------------------------------------------------------
// Ordinary prose: no finding
// ---------------------------------------------------------------------------------------------

/// A long English Markdown post: headings, nested lists, a table, a block quote, links with
/// ordinary query strings, Markdown and HTML images, inline HTML (`<kbd>`, `<sup>`, `<br>`,
/// `<details>`), the excerpt marker.
const ENGLISH_ESSAY: &str = r#"---
title: Walking the old canal path
date: 2021-09-12 08:15:00
tags: [walking, history]
---

The canal path starts behind the railway station, where a faded sign still points to the
lock keeper's cottage. I walked it on a grey Sunday morning in September.

<!-- more -->

## The first mile

The first mile is paved. Cyclists share it with dog walkers, and the surface is good enough
for a pushchair. Along the way you pass:

- the old pumping house, now a café;
- three lift bridges, two of them still working;
- a row of cottages built for the lock keepers, with
  - slate roofs,
  - tiny front gardens, and
  - one blue door that everyone photographs.

![The pumping house from the towpath](/images/canal/pumping-house.jpg "Pumping house")

The council publishes a [map of the whole route](https://maps.example.org/route?id=4471&layer=paths)
and a [timetable of the bridge openings](https://example.org/bridges?page=2&sort=asc).

## Locks and levels

| Lock | Rise (m) | Built |
|------|---------:|------:|
| Lower Green | 2.1 | 1794 |
| Mill Lane | 1.8 | 1796 |
| Top Lock | 2.4 | 1801 |

> The canal was never profitable. It carried coal for forty years, and then the railway
> arrived and carried it faster.

To open a lock gate you need a windlass; press <kbd>down</kbd> on the paddle gear only when
the gate is closed. The record crossing took 3 hours<sup>1</sup>.<br>
Most walkers take about five.

<details>
<summary>Where to park</summary>
There is a small car park next to the station, free on Sundays.
</details>

## Getting back

1. Take the number 12 bus from the top lock.
2. Or walk back on the other bank, which is rougher but quieter.
3. Or stay at the inn by Mill Lane and walk back the next day.

<img src="/images/canal/top-lock.jpg" alt="Top lock at dusk" width="640" height="480">

*Photos by the author. Distances are approximate.*

[^1]: According to the canal society's records.
"#;

/// A long English Markdown tutorial whose code blocks show HTML, CSS and template syntax: code
/// is text to show, not boilerplate of the post.
const ENGLISH_TUTORIAL: &str = r#"---
title: Theming a static blog, part 2
date: 2022-02-20 19:30:00
tags: [css, templates]
---

In part one we set up the layout. Now we add a style sheet and a small script, and look at
how templates print the page title.

## Adding styles

Themes usually load a style sheet from the layout. For a quick test you can also put a
`<style>` block in the layout's head:

```html
<style>
  .post-title { font-size: 2rem; }
  .post-body p { line-height: 1.6; }
</style>
```

An empty paragraph such as `<p></p>` adds space in some themes; avoid it in layouts.

## Printing the title

Liquid and Nunjucks both print values with double braces:

```liquid
<h1 class="post-title">{{ page.title }}</h1>
{% if page.subtitle %}<p class="subtitle">{{ page.subtitle }}</p>{% endif %}
```

And a comment in a layout looks like this:

```html
<!-- layout: post header -->
<header><span class="icon"></span>{{ site.title }}</header>
```

## A small script

Indented code works too:

    <script>
      document.querySelectorAll("pre").forEach(p => p.classList.add("code"));
    </script>

That is all for part two. In part three we will add pagination.
"#;

/// A Chinese HTML post: ordinary paragraphs, links, images with `alt`, lists, a table, a
/// figure, the excerpt marker.
const CHINESE_HTML: &str = r#"---
title: 城市更新中的老街区
date: 2022-05-06 10:20:00
categories: [城市]
---

<p>　　清晨七点，老街口的早点铺已经排起了队。街区改造启动两年来，这里的石板路、骑楼和老字号大多被保留了下来。</p>
<!-- more -->
<h2>改造的思路</h2>
<p>　　负责规划的设计团队介绍，方案坚持“微改造”，不搞大拆大建。居民可以在<a href="https://example.cn/notice?id=2022-17">公示页面</a>查看每一栋建筑的改造计划。</p>
<figure>
  <img src="/images/old-street/arcade.jpg" alt="修缮后的骑楼">
  <figcaption>修缮后的骑楼保留了原有的立面。</figcaption>
</figure>
<p>　　改造主要包括三个方面：</p>
<ul>
  <li>更换老化的供水和排水管道；</li>
  <li>为沿街店铺统一设计<strong>招牌</strong>；</li>
  <li>在街角增设休息座椅和<em>口袋公园</em>。</li>
</ul>
<table>
  <tr><th>项目</th><th>进度</th></tr>
  <tr><td>管道更新</td><td>已完成</td></tr>
  <tr><td>立面修缮</td><td>进行中</td></tr>
</table>
<blockquote><p>“我们希望老街坊住得舒服，游客也愿意来。”</p></blockquote>
<p>　　一位在这里生活了四十年的居民说，现在晚上散步的人多了，<span class="highlight">街坊们又回来了</span>。<br>
他指着一家修鞋铺说，这家店开了三十多年。</p>
<p><img src="https://img.example.cn/old-street/night.jpg" alt="老街夜景" width="800"></p>
"#;

/// A Chinese Markdown post with inline HTML and Hexo tag plugins (`{% … %}` is Hexo's own
/// syntax in Markdown posts).
const CHINESE_MARKDOWN: &str = r#"---
title: 周末去郊外看油菜花
date: 2022-03-27 18:00:00
tags: [旅行, 春天]
---

三月底，郊外的油菜花开得正好。我们一早从城里出发，开车大约一个半小时就到了。

<!-- more -->

## 路线

1. 从环城高速北出口下，沿着县道一直往东；
2. 过了水库再走五公里，就能看到大片的花田；
3. 村口有停车场，每辆车收费十元。

![花田全景](/images/2022/rape-flowers.jpg)

<p align="center"><img src="/images/2022/village.jpg" alt="村口的老槐树" width="600"></p>

## 小贴士

- 花田里有小路，但不要踩进花丛；
- 中午村里的农家乐可以吃饭，推荐**腊肉炒菜薹**；
- 更多照片见 [相册](https://photos.example.cn/album/2022-spring?view=grid)。

{% asset_img map.png 路线图 %}

> 春天来了，出去走走吧。

下次打算去看梯田，<a href="/2022/04/terraces/">游记</a>写好了再分享。
"#;

#[test]
fn ordinary_prose_has_no_boilerplate_finding() {
    let dir = tempdir();
    write(dir.path(), "essay.md", ENGLISH_ESSAY);
    write(dir.path(), "tutorial.md", ENGLISH_TUTORIAL);
    write(dir.path(), "old-street.html", CHINESE_HTML);
    write(dir.path(), "spring.md", CHINESE_MARKDOWN);
    let run = lint_bp(dir.path(), &["."]);
    assert_eq!(findings(&run), [], "{}", run.stdout);
    assert_eq!(run.code, Some(0));
}

/// Code is text to show: BP rules do not flag it and `--fix` never edits it, while the
/// leftovers around it are still found and fixed.
#[test]
fn markdown_code_is_not_boilerplate() {
    let dir = tempdir();
    write(dir.path(), "tutorial.md", ENGLISH_TUTORIAL);
    let post = "---\ntitle: Code and leftovers\ndate: 2022-02-21 08:00:00\n---\n\n\
                Intro.<!-- imported from the old blog -->\n\n\
                ```html\n<!-- layout: header -->\n<p></p>\n```\n\n\
                Inline `<span class=\"icon\"></span>` stays.\n\n\
                <p></p>\n";
    write(dir.path(), "mixed.md", post);
    let run = lint_bp(dir.path(), &["."]);
    assert_eq!(
        findings(&run),
        [
            ("mixed.md".to_string(), 6, 7, "BP001".to_string()),
            ("mixed.md".to_string(), 15, 1, "BP002".to_string()),
        ],
        "{}",
        run.stdout
    );
    let fix = run_in(dir.path(), &["--no-cache", "--select", "BP", "--fix", "."]);
    assert_eq!(fix.code, Some(0), "{fix:?}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("tutorial.md")).unwrap(),
        ENGLISH_TUTORIAL
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("mixed.md")).unwrap(),
        "---\ntitle: Code and leftovers\ndate: 2022-02-21 08:00:00\n---\n\n\
         Intro.\n\n\
         ```html\n<!-- layout: header -->\n<p></p>\n```\n\n\
         Inline `<span class=\"icon\"></span>` stays.\n\n"
    );
}

// ---------------------------------------------------------------------------------------------
// Generic entries: documented targets
// ---------------------------------------------------------------------------------------------

/// BP002's pack entry names `<p>&nbsp;</p>` among its targets (imported WordPress posts).
#[test]

fn nbsp_paragraph_is_empty() {
    let dir = tempdir();
    write(
        dir.path(),
        "post.md",
        "---\ntitle: 导入的文章\ndate: 2022-01-01 10:00:00\n---\n\n<p>正文。</p>\n<p>&nbsp;</p>\n",
    );
    let run = lint_bp(dir.path(), &["post.md"]);
    assert_eq!(
        findings(&run),
        [("post.md".to_string(), 7, 1, "BP002".to_string())]
    );
}

/// BP009's pattern lists `from=timeline|singlemessage|groupmessage` and `scene=N`, but its
/// regex requires another `=` after them (`[?&](…|from=(timeline|…)|…|scene=\d+)=`).
#[test]

fn wechat_share_parameters_are_tracking_parameters() {
    let dir = tempdir();
    write(
        dir.path(),
        "post.md",
        "---\ntitle: 转载\ndate: 2022-01-01 10:00:00\n---\n\n<a href=\"https://mp.weixin.qq.com/s/abc?scene=21\">原文</a>\n<a href=\"https://news.example.cn/a?from=timeline\">报道</a>\n",
    );
    let run = lint_bp(dir.path(), &["post.md"]);
    assert_eq!(
        findings(&run),
        [
            ("post.md".to_string(), 6, 10, "BP009".to_string()),
            ("post.md".to_string(), 7, 10, "BP009".to_string()),
        ]
    );
}

/// The WeChat-sourced posts BP009 was written for (../shared/corpus/terminus2049) link with
/// Markdown syntax: `[标题](https://…?from=timeline&isappinstalled=0)`.
#[test]

fn tracking_parameters_in_markdown_links_are_found() {
    let dir = tempdir();
    write(
        dir.path(),
        "post.md",
        "---\ntitle: 转载\ndate: 2022-01-01 10:00:00\n---\n\n见[原文](https://news.example.cn/a?utm_source=feed)。\n\n![图](https://img.example.cn/b.png?from=singlemessage&isappinstalled=0)\n",
    );
    let run = lint_bp(dir.path(), &["post.md"]);
    assert_eq!(
        findings(&run),
        [
            // At each URL's first character: `见[原文](` is six characters.
            ("post.md".to_string(), 6, 7, "BP009".to_string()),
            ("post.md".to_string(), 8, 6, "BP009".to_string()),
        ]
    );
}

/// A URL that wraps another (a proxy's target after `?u=`) is one URL: found once, at its
/// start, however many `http` it holds; and URLs in text after multi-byte characters are
/// placed by their own characters.
#[test]
fn a_url_inside_a_url_is_part_of_it() {
    let dir = tempdir();
    write(
        dir.path(),
        "post.md",
        "---\ntitle: 转载\ndate: 2022-01-01 10:00:00\n---\n\n代理 https://p.example/?u=https://x.example/?utm_source=a 完\n\n“引” http://y.example/?spm=1 and httpx\n",
    );
    let run = lint_bp(dir.path(), &["post.md"]);
    assert_eq!(
        findings(&run),
        [
            ("post.md".to_string(), 6, 4, "BP009".to_string()),
            ("post.md".to_string(), 8, 5, "BP009".to_string()),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// User packs
// ---------------------------------------------------------------------------------------------

/// One entry per matcher kind.
const USER_PACK: &str = r#"pack: mysite
description: leftovers of my old site
rules:
  - code: BP901
    name: subscribe-banner
    message: subscription banner
    phrase: 订阅我们的周报
    fix: delete
  - code: BP902
    name: copyright-line
    message: copyright line of the old site
    regex: '版权所有 ©\s*\d{4}'
  - code: BP903
    name: old-cms-comment
    message: old CMS comment
    comment: 'oldcms:'
    fix: delete
  - code: BP904
    name: top-ad-slot
    message: top ad slot
    element: 'div.ad[data-slot^=top]'
    fix: delete
  - code: BP905
    name: old-tracking-attribute
    message: old tracking attribute
    attr: [data-oldtrack]
    fix: delete
  - code: BP906
    name: old-cdn-url
    message: URL on the old CDN
    url: '^http://cdn\.old-site\.example/'
    fix: replace
    replacement: 'https://cdn.new-site.example/'
"#;

const USER_POST: &str = r#"---
title: 用户规则包
date: 2022-01-01 10:00:00
---

<p>今天早盘，沪深两市小幅高开，随后窄幅震荡。</p>
<div class="ad banner" data-slot="top-1"><img src="https://ads.example/x.png" alt="广告"></div>
<div class="ad" data-slot="bottom-1">底部的广告位不是顶部广告</div>
<div class="note" data-slot="top-2">不是广告</div>
<p data-oldtrack="a1">午后市场情绪回暖。订阅我们的周报</p>
<p>订阅我们的周报</p>
<!-- oldcms: slot 3 -->
<img src="http://cdn.old-site.example/2022/chart.png" alt="走势图">
<img src="https://cdn.old-site.example/2022/secure.png" alt="已是 https">
<p>版权所有 © 2021 旧站</p>
"#;

const USER_EXPECTED: &[(u64, u64, &str, &str)] = &[
    (
        7,
        1,
        "BP904",
        r#"<div class="ad banner" data-slot="top-1">"#,
    ),
    (10, 4, "BP905", r#"data-oldtrack="a1">"#),
    (10, 32, "BP901", "订阅我们的周报</p>"),
    (11, 4, "BP901", "订阅我们的周报</p>"),
    // Also an HTML comment (BP001): the more specific pack entry wins.
    (12, 1, "BP903", "<!-- oldcms: slot 3 -->"),
    (
        13,
        11,
        "BP906",
        "http://cdn.old-site.example/2022/chart.png",
    ),
    (15, 4, "BP902", "版权所有 © 2021 旧站"),
];

fn user_pack_dir() -> tempfile::TempDir {
    let dir = tempdir();
    write(
        dir.path(),
        "artlint.toml",
        "packs = [\"my-rules/*.yaml\"]\n",
    );
    write(dir.path(), "my-rules/site.yaml", USER_PACK);
    write(dir.path(), "post.md", USER_POST);
    dir
}

#[test]
fn user_pack_entries_of_every_matcher_kind_are_found_at_their_place() {
    check_expectations(USER_POST, USER_EXPECTED);
    let dir = user_pack_dir();
    let expected: Vec<(String, u64, u64, String)> = USER_EXPECTED
        .iter()
        .map(|(line, column, code, _)| ("post.md".to_string(), *line, *column, code.to_string()))
        .collect();
    // Selected by the pack's codes, by the family, and by default.
    let by_codes = lint(dir.path(), &["--select", "BP9", "post.md"]);
    assert_eq!(findings(&by_codes), expected);
    let by_family = lint_bp(dir.path(), &["post.md"]);
    assert_eq!(findings(&by_family), expected);
    let default = run_in(
        dir.path(),
        &["--no-cache", "--now", NOW, "--format", "json", "post.md"],
    );
    let default: Vec<_> = findings(&default)
        .into_iter()
        .filter(|f| f.3.starts_with("BP"))
        .collect();
    assert_eq!(default, expected);
    // A single user rule can be selected by name.
    let one = lint(dir.path(), &["--select", "top-ad-slot", "post.md"]);
    assert_eq!(findings(&one), expected[..1]);
}

#[test]
fn user_pack_fixes_delete_and_replace() {
    let dir = user_pack_dir();
    let run = run_in(
        dir.path(),
        &[
            "--no-cache",
            "--select",
            "BP",
            "--fix",
            "--format",
            "json",
            "post.md",
        ],
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        run.stderr.contains("Fixed 6 problems in 1 file."),
        "{run:?}"
    );
    // BP902 has no fix and stays.
    assert_eq!(
        findings(&run),
        [("post.md".to_string(), 12, 4, "BP902".to_string())]
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("post.md")).unwrap(),
        r#"---
title: 用户规则包
date: 2022-01-01 10:00:00
---

<p>今天早盘，沪深两市小幅高开，随后窄幅震荡。</p>
<div class="ad" data-slot="bottom-1">底部的广告位不是顶部广告</div>
<div class="note" data-slot="top-2">不是广告</div>
<p>午后市场情绪回暖。</p>
<img src="https://cdn.new-site.example/2022/chart.png" alt="走势图">
<img src="https://cdn.old-site.example/2022/secure.png" alt="已是 https">
<p>版权所有 © 2021 旧站</p>
"#
    );
}

/// A `url` entry matches the entity-decoded attribute value (`&amp;` read as `&`), but its
/// `replace` fix runs the regex on the raw text of the attribute, where it does not match: the
/// "fix" replaces the URL with itself, is counted as fixable and never applied.
#[test]

fn url_replace_fix_works_on_urls_with_entities() {
    let dir = tempdir();
    write(dir.path(), "artlint.toml", "packs = [\"p.yaml\"]\n");
    write(
        dir.path(),
        "p.yaml",
        "pack: links\nrules:\n  - code: BP950\n    name: strip-utm\n    message: utm parameter\n    url: '[?&]utm_[a-z]+=[^&]*'\n    fix: replace\n    replacement: ''\n",
    );
    let path = write(
        dir.path(),
        "post.md",
        "---\ntitle: 链接\ndate: 2022-01-01 10:00:00\n---\n<a href=\"https://news.example.cn/p?id=1&amp;utm_source=feed\">原文</a>\n",
    );
    let run = run_in(
        dir.path(),
        &["--no-cache", "--select", "BP950", "--fix", "post.md"],
    );
    assert!(run.stderr.contains("Fixed 1 problem in 1 file."), "{run:?}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "---\ntitle: 链接\ndate: 2022-01-01 10:00:00\n---\n<a href=\"https://news.example.cn/p?id=1\">原文</a>\n"
    );
}

/// A pack with one broken entry (after a good one), and the place its error must name.
fn assert_broken_pack(entry: &str, place: &str, message: &str) {
    let dir = tempdir();
    write(
        dir.path(),
        "artlint.toml",
        "packs = [\"my-rules/*.yaml\"]\n",
    );
    write(
        dir.path(),
        "my-rules/broken.yaml",
        format!(
            "pack: broken\nrules:\n  - code: BP900\n    name: fine\n    message: a good entry\n    phrase: 好\n{entry}"
        ),
    );
    write(dir.path(), "post.md", common::clean_post("Hello"));
    let run = run_in(dir.path(), &["--no-cache", "post.md"]);
    assert_eq!(run.code, Some(2), "{entry}\n{run:?}");
    assert_eq!(run.stdout, "", "nothing is linted with a broken pack");
    assert!(
        run.stderr
            .contains(&format!("my-rules/broken.yaml:{place}")),
        "the error should name my-rules/broken.yaml:{place}:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(message),
        "the error should say `{message}`:\n{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn malformed_user_packs_exit_two_naming_file_line_and_column() {
    // Bad YAML: an unclosed quote.
    assert_broken_pack(
        "  - code: BP901\n    name: bad-yaml\n    message: \"unclosed\n",
        "9:14",
        "unclosed quote",
    );
    // Bad regex.
    assert_broken_pack(
        "  - code: BP901\n    name: bad-regex\n    message: m\n    regex: '(unclosed'\n",
        "10:12",
        "invalid regex",
    );
    // An empty phrase (it would match at every position).
    assert_broken_pack(
        "  - code: BP901\n    name: empty-phrase\n    message: m\n    phrase: ''\n",
        "10:13",
        "an empty phrase would match everywhere",
    );
    // Unknown fix.
    assert_broken_pack(
        "  - code: BP901\n    name: bad-fix\n    message: m\n    phrase: p\n    fix: remove\n",
        "11:10",
        "unknown fix `remove`",
    );
    // Two matchers.
    assert_broken_pack(
        "  - code: BP901\n    name: two\n    message: m\n    phrase: p\n    comment: q\n",
        "7:11",
        "exactly one matcher",
    );
    // A code that is not BP and digits.
    assert_broken_pack(
        "  - code: XX901\n    name: bad-code\n    message: m\n    phrase: p\n",
        "7:11",
        "not `XX901`",
    );
}

#[test]
fn pack_glob_matching_no_file_exits_two() {
    let dir = tempdir();
    write(
        dir.path(),
        "artlint.toml",
        "packs = [\"my-rules/*.yaml\"]\n",
    );
    write(dir.path(), "my-rules/site.yml", USER_PACK);
    write(dir.path(), "post.md", common::clean_post("Hello"));
    let run = run_in(dir.path(), &["--no-cache", "post.md"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("my-rules/*.yaml: no pack matches"),
        "{}",
        run.stderr
    );
}

/// Two entries with one code make `--select`, `--ignore`, suppressions and `artlint rule`
/// ambiguous; the embedded packs' codes are checked unique, user packs' are not.
#[test]

fn duplicate_codes_in_user_packs_are_rejected() {
    for entries in [
        // Twice in the pack.
        "  - code: BP901\n    name: one\n    message: m\n    phrase: p\n  - code: BP901\n    name: two\n    message: m\n    phrase: q\n",
        // An embedded pack's code.
        "  - code: BP101\n    name: my-promo\n    message: m\n    phrase: p\n",
    ] {
        let dir = tempdir();
        write(dir.path(), "artlint.toml", "packs = [\"p.yaml\"]\n");
        write(
            dir.path(),
            "p.yaml",
            format!("pack: dup\nrules:\n{entries}"),
        );
        write(dir.path(), "post.md", common::clean_post("Hello"));
        let run = run_in(dir.path(), &["--no-cache", "post.md"]);
        assert_eq!(run.code, Some(2), "{entries}\n{run:?}");
        assert!(run.stderr.contains("p.yaml"), "{}", run.stderr);
    }
}

// ---------------------------------------------------------------------------------------------
// Documentation
// ---------------------------------------------------------------------------------------------

#[test]
fn rule_prints_pack_rule_docs_with_the_three_headings() {
    let dir = tempdir();
    for selector in ["BP101", "sina-app-promo"] {
        let run = run_in(dir.path(), &["rule", selector]);
        assert_eq!(run.code, Some(0), "{run:?}");
        let out = &run.stdout;
        assert!(out.starts_with("# sina-app-promo (BP101)\n"), "{out}");
        assert!(out.contains("Family: boilerplate"), "{out}");
        assert!(out.contains("Fix: safe"), "{out}");
        let what = out.find("\n## What it checks\n").expect(out);
        let why = out.find("\n## Why it matters\n").expect(out);
        let example = out.find("\n## Example\n").expect(out);
        assert!(what < why && why < example, "{out}");
        assert!(out.contains("Sina Finance app promotion"), "{out}");
        assert!(out.contains("`sina` pack"), "{out}");
    }
    // A generic entry with an unsafe fix.
    let run = run_in(dir.path(), &["rule", "BP004"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains("Fix: unsafe"), "{}", run.stdout);
    for heading in ["## What it checks", "## Why it matters", "## Example"] {
        assert!(run.stdout.contains(heading), "{}", run.stdout);
    }
}

#[test]
fn rules_lists_the_bp_codes() {
    let dir = tempdir();
    let run = run_in(dir.path(), &["rules"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let rows: Vec<Vec<&str>> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("BP"))
        .map(|l| l.split_whitespace().collect())
        .collect();
    let codes: Vec<&str> = rows.iter().map(|r| r[0]).collect();
    // Every entry of the embedded packs, in code order.
    let mut in_packs: Vec<String> = ["rules/generic.yaml", "rules/sina.yaml"]
        .iter()
        .flat_map(|pack| {
            let text =
                std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(pack)).unwrap();
            text.lines()
                .filter_map(|l| l.trim().strip_prefix("- code: "))
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    in_packs.sort();
    assert_eq!(codes, in_packs);
    for code in [
        "BP001", "BP002", "BP003", "BP004", "BP006", "BP007", "BP008", "BP009", "BP101", "BP102",
        "BP103", "BP104", "BP105", "BP106",
    ] {
        assert!(
            codes.contains(&code),
            "{code} is not listed:\n{}",
            run.stdout
        );
    }
    for row in &rows {
        assert_eq!(row[2], "boilerplate", "{row:?}");
        assert_eq!(row[3], "warning", "{row:?}");
    }
    let row = |code: &str| rows.iter().find(|r| r[0] == code).unwrap().clone();
    assert_eq!(
        row("BP101"),
        ["BP101", "sina-app-promo", "boilerplate", "warning", "safe"]
    );
    assert_eq!(
        row("BP004"),
        ["BP004", "style-in-body", "boilerplate", "warning", "unsafe"]
    );
    assert_eq!(
        row("BP006"),
        ["BP006", "escaped-css-braces", "boilerplate", "warning"]
    );
}

#[test]
fn a_comment_never_closed_is_reported_but_not_deleted() {
    // `<!-- 正文开始` with no `-->` runs to the end of the post: its safe "Delete it" deleted
    // the whole article after it. The finding stays, with no fix; `--fix` leaves the post.
    let dir = tempdir();
    let post = "---\ntitle: T\ndate: 2021-12-02 15:56:55\n---\n\n<p>Intro</p>\n<!-- 正文开始\n<p>The whole article.</p>\n<p>Its second paragraph.</p>\n";
    write(dir.path(), "a.md", post);
    write(
        dir.path(),
        "b.md",
        "---\ntitle: U\ndate: 2021-12-02 15:56:55\n---\n\n<p>Intro</p>\n<!-- closed -->\n<p>Text.</p>\n",
    );
    let run = lint(dir.path(), &["a.md", "b.md"]);
    let json = run.json();
    let bp001: Vec<(&str, bool)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "BP001")
        .map(|d| (d["path"].as_str().unwrap(), !d["fix"].is_null()))
        .collect();
    assert_eq!(bp001, [("a.md", false), ("b.md", true)], "{}", run.stdout);
    let fixed = run_in(
        dir.path(),
        &[
            "--no-cache",
            "--now",
            NOW,
            "--fix",
            "--unsafe-fixes",
            "a.md",
        ],
    );
    assert_eq!(fixed.code, Some(1), "{fixed:?}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
        post
    );
}

#[test]
fn learn_writes_a_pack_that_loads_even_when_it_learns_nothing() {
    let dir = tempdir();
    let footer = "关注我们的公众号，获取更多独家财经资讯与深度解读";
    for i in 0..5 {
        write(
            dir.path(),
            &format!("posts/p{i}.md"),
            format!(
                "---\ntitle: 第{i}篇\ndate: 2021-05-0{} 10:00:00\n---\n\n<p>正文第{i}篇，各不相同的内容写在这里，足够长的一段话。</p>\n<p>{footer}</p>\n",
                i + 1
            ),
        );
    }
    write(dir.path(), "lone/a.md", common::clean_post("Alone"));
    let load = |pack: &str| {
        write(
            dir.path(),
            "artlint.toml",
            format!("packs = [\"{pack}\"]\n"),
        );
        let run = run_in(
            dir.path(),
            &["--no-cache", "--now", NOW, "--format", "concise", "."],
        );
        std::fs::remove_file(dir.path().join("artlint.toml")).unwrap();
        run
    };
    // The recurring footer becomes an entry, and the pack finds it in every post.
    let learned = run_in(dir.path(), &["learn", "posts", "-o", "footer.yaml"]);
    assert_eq!(learned.code, Some(0), "{learned:?}");
    let run = load("footer.yaml");
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.stdout.matches(": BP900 ").count(), 5, "{run:?}");
    // Nothing recurs: said, and the pack is an empty list that loads (a bare `rules:` made
    // every later run fail with a configuration error).
    let nothing = run_in(dir.path(), &["learn", "lone", "-o", "none.yaml"]);
    assert_eq!(nothing.code, Some(0), "{nothing:?}");
    assert!(
        nothing.stderr.contains("warning: no block recurs"),
        "{nothing:?}"
    );
    let run = load("none.yaml");
    assert!(matches!(run.code, Some(0 | 1)), "{run:?}");
    assert!(!run.stdout.contains("BP9"), "{run:?}");
    // Nothing to learn from is an error, and writes nothing.
    let missing = run_in(dir.path(), &["learn", "nowhere", "-o", "missing.yaml"]);
    assert_eq!(missing.code, Some(2), "{missing:?}");
    assert!(
        missing
            .stderr
            .contains("warning: nowhere: cannot read file: no such file or directory"),
        "{missing:?}"
    );
    assert!(!dir.path().join("missing.yaml").exists());
    // A post that is not text is said not to be learned from (it was dropped without a word).
    write(dir.path(), "bin/a.md", "a\0b");
    let binary = run_in(dir.path(), &["learn", "bin", "-o", "binary.yaml"]);
    assert_eq!(binary.code, Some(2), "{binary:?}");
    assert!(
        binary
            .stderr
            .contains("warning: bin/a.md: binary file (a NUL byte at offset 1); not learned from"),
        "{binary:?}"
    );
    assert!(!dir.path().join("binary.yaml").exists());
    // Thresholds outside their range are refused.
    for bad in [["--min-percent", "500"], ["--min-files", "0"]] {
        let run = run_in(dir.path(), &[&["learn"], &bad[..], &["posts"]].concat());
        assert_eq!(run.code, Some(2), "{run:?}");
    }
}

#[test]
fn a_boilerplate_fix_takes_only_what_its_finding_names() {
    // Each of these lost content a safe fix did not name: an image beside the editor line, a
    // table cell (the row's later cells moved left), the rest of a Markdown table row or line,
    // the paragraph break a comment line made, a line of preformatted text, Hexo's `<!-- More
    // -->`, an anchor, the space between two words, the real photo URL of a repeated `src`.
    let dir = tempdir();
    let head = "---\ntitle: 稿件\ndate: 2021-05-01\n---\n\n";
    let body = "<p>责任编辑：张三<img src=\"/photo.jpg\" alt=\"照片\"></p>\n\n\
                <table><tr><td>海量资讯、精准解读，尽在新浪财经APP</td><td>keep cell</td></tr></table>\n\n\
                | 职务 | 姓名 | 日期 |\n|---|---|---|\n| 责任编辑：李四 | 王五 | 2021-05-01 |\n\n\
                本文责任编辑：王五 [阅读原文](https://example.com/original) 转载请注明出处。\n\n\
                Para one\n<!-- note to self -->\nPara two\n\n\
                <pre>\nline1\n<!-- removed in v2 -->\nline2\n</pre>\n\n\
                Intro.\n\n<!-- More -->\n\n<!-- toc -->\n\n\
                <p>See <a href=\"#section-2\">below</a>.<span id=\"section-2\"></span> Hello<span> </span>world.</p>\n\n\
                <p></p>\n\n\
                <img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" src=\"https://cdn.example.com/photo-2021.jpg\" alt=\"photo\">\n\
                <img alt=\"same\" src=\"/a.png\" alt=\"same\">\n";
    let path = write(dir.path(), "post.md", format!("{head}{body}"));
    run_in(
        dir.path(),
        &[
            "--no-cache",
            "--fix",
            "--exit-zero",
            "--now",
            NOW,
            "post.md",
        ],
    );
    let fixed = std::fs::read_to_string(&path).unwrap();
    let expected_body = "<p><img src=\"/photo.jpg\" alt=\"照片\"></p>\n\n\
                <table><tr><td></td><td>keep cell</td></tr></table>\n\n\
                | 职务 | 姓名 | 日期 |\n|---|---|---|\n| | 王五 | 2021-05-01 |\n\n\
                本文[阅读原文](https://example.com/original) 转载请注明出处。\n\n\
                Para one\n\nPara two\n\n\
                <pre>\nline1\n\nline2\n</pre>\n\n\
                Intro.\n\n<!-- More -->\n\n<!-- toc -->\n\n\
                <p>See <a href=\"#section-2\">below</a>.<span id=\"section-2\"></span> Hello<span> </span>world.</p>\n\n\n\
                <img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" src=\"https://cdn.example.com/photo-2021.jpg\" alt=\"photo\">\n\
                <img alt=\"same\" src=\"/a.png\">\n";
    assert_eq!(fixed, format!("{head}{expected_body}"));
    // Idempotent: a second run changes nothing more.
    run_in(
        dir.path(),
        &[
            "--no-cache",
            "--fix",
            "--exit-zero",
            "--now",
            NOW,
            "post.md",
        ],
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), fixed);
}
