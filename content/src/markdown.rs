//! Lesson Markdown turned into HTML that is safe to put in a page (an allow-list sanitizer,
//! material file names resolved to URLs) or into plain text for search and summaries.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use ammonia::{Builder, Url, UrlRelative};
use pulldown_cmark::{Event, Options, Parser, TagEnd};

/// Prefix given to every `id` in the output, and to the fragment links that point at them,
/// so user content cannot clobber the page's own element ids.
const ID_PREFIX: &str = "md-";

/// Markdown rendered to HTML and cleaned by an allow-list.
///
/// Links and image sources that are not absolute `http`, `https` or `mailto` URLs are given
/// to `resolve` (e.g. `diagram.png` → `/materials/<id>`); a link it does not know loses its
/// target and an image it does not know loses its source. Fragment links (`#note`) are kept.
pub fn to_safe_html(markdown: &str, resolve: &dyn Fn(&str) -> Option<String>) -> String {
    let raw = render(markdown);

    // ammonia's callbacks must be `Send + Sync + 'static`, which `resolve` need not be: the
    // first pass cleans and collects the relative URLs, the second rewrites them from a map.
    let seen = Arc::new(Mutex::new(BTreeSet::new()));
    let collector = Arc::clone(&seen);
    let clean = sanitizer(move |element, attribute, value| {
        if is_url_attribute(element, attribute) && is_relative(value) {
            collector
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(value.to_owned());
        }
        keep_attribute(attribute, value)
    })
    .clean(&raw)
    .to_string();

    let seen = std::mem::take(&mut *seen.lock().unwrap_or_else(PoisonError::into_inner));
    // Nothing to resolve or to prefix (the common case): the first pass is the result.
    if seen.is_empty() {
        return clean;
    }
    let resolved: HashMap<String, String> = seen
        .into_iter()
        .filter(|url| !url.starts_with('#'))
        .filter_map(|url| {
            let target = resolve(&percent_decode(&url)).filter(|t| is_acceptable_target(t))?;
            Some((url, target))
        })
        .collect();

    sanitizer(move |element, attribute, value| {
        if !is_url_attribute(element, attribute) || !is_relative(value) {
            return keep_attribute(attribute, value);
        }
        if let Some(fragment) = value.strip_prefix('#')
            && element == "a"
        {
            return Some(if fragment.starts_with(ID_PREFIX) {
                Cow::Borrowed(value)
            } else {
                Cow::Owned(format!("#{ID_PREFIX}{fragment}"))
            });
        }
        resolved.get(value).map(|target| Cow::Owned(target.clone()))
    })
    .clean(&clean)
    .to_string()
}

/// A short text that is usually plain words (an answer option, a feedback): escaped when it
/// has nothing Markdown or HTML could mean, otherwise rendered as [`to_safe_html`] does
/// (with no links to resolve).
pub fn fragment_html(text: &str) -> String {
    if !is_plain(text) {
        return to_safe_html(text, &|_| None);
    }
    escape_plain(text)
}

/// [`to_safe_html`] with no links to resolve, for a text that is usually one plain
/// sentence (a question): such a text becomes its paragraph directly, which costs
/// nothing next to the parser and sanitizer.
pub fn paragraph_html(text: &str) -> String {
    let trimmed = text.trim_matches(' ');
    if !is_plain(text) || trimmed.is_empty() || trimmed.starts_with(|c: char| c.is_ascii_digit()) {
        return to_safe_html(text, &|_| None);
    }
    format!("<p>{}</p>\n", escape_plain(trimmed))
}

/// Whether a text has nothing Markdown or HTML could read as markup (a digit first could
/// start a list, so such text is never "plain" for [`paragraph_html`]).
fn is_plain(text: &str) -> bool {
    !text.contains(|c: char| {
        matches!(
            c,
            '*' | '_'
                | '['
                | ']'
                | '<'
                | '>'
                | '!'
                | '#'
                | '&'
                | '`'
                | '|'
                | '~'
                | '\\'
                | '\n'
                | '\r'
                | '\t'
                | '='
                | '-'
                | '+'
        )
    })
}

/// Escapes the quotes of a plain text (it has no `<`, `>` or `&`).
fn escape_plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The words of the Markdown without markup, for search and summaries; raw HTML is left out.
pub fn to_plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(text) | Event::Code(text) => out.push_str(&text),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak | Event::Rule => out.push('\n'),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableHead
                | TagEnd::TableRow
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            ) => out.push('\n'),
            Event::End(TagEnd::TableCell) => out.push(' '),
            _ => {}
        }
    }
    tidy(&out)
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
}

/// Elements nested deeper than this lose their own tags (their text stays): the HTML
/// parser behind the sanitizer spends time that grows with the square of the nesting, so a
/// text of 30,000 `>` would otherwise take seconds.
pub const MAX_DEPTH: usize = 32;
/// Raw HTML tags kept in one text; beyond them raw HTML is shown as text (they nest too).
pub const MAX_RAW_TAGS: usize = 1_000;
/// The longest text rendered as Markdown; a longer one is shown as plain text. Callers
/// refuse such text where it is entered; this is the renderer's own bound.
pub const MAX_INPUT: usize = 512 * 1024;

fn render(markdown: &str) -> String {
    if markdown.len() > MAX_INPUT {
        let mut html = String::with_capacity(markdown.len() + 16);
        html.push_str("<p>");
        pulldown_cmark::html::push_html(&mut html, std::iter::once(Event::Text(markdown.into())));
        html.push_str("</p>");
        return html;
    }
    let mut kept: Vec<bool> = Vec::new();
    let mut raw_tags = 0usize;
    let events = Parser::new_ext(markdown, options()).filter_map(|event| match event {
        // Task-list checkboxes become characters: no form controls in lesson content.
        Event::TaskListMarker(true) => Some(Event::Text("☑ ".into())),
        Event::TaskListMarker(false) => Some(Event::Text("☐ ".into())),
        Event::Start(tag) => {
            let keep = kept.len() < MAX_DEPTH;
            kept.push(keep);
            keep.then_some(Event::Start(tag))
        }
        Event::End(tag) => kept.pop().unwrap_or(false).then_some(Event::End(tag)),
        Event::Html(html) | Event::InlineHtml(html) => {
            raw_tags += html.matches('<').count();
            Some(if raw_tags > MAX_RAW_TAGS {
                Event::Text(html)
            } else {
                Event::Html(html)
            })
        }
        other => Some(other),
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// The allow-list shared by both passes; `filter` sees every attribute that survived it.
fn sanitizer<F>(filter: F) -> Builder<'static>
where
    F: for<'u> Fn(&str, &str, &'u str) -> Option<Cow<'u, str>> + Send + Sync + 'static,
{
    let tags = [
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "p",
        "ul",
        "ol",
        "li",
        "blockquote",
        "code",
        "pre",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "em",
        "strong",
        "del",
        "hr",
        "br",
        "a",
        "img",
        "sup",
        "div",
    ];
    // Removed together with everything inside them, not just unwrapped.
    let dropped_whole = [
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "svg",
        "math",
        "template",
        "noscript",
        "noembed",
        "noframes",
        "xmp",
        "plaintext",
        "title",
        "textarea",
        "select",
        "form",
        "button",
    ];
    let attributes = HashMap::from([
        ("a", HashSet::from(["href", "title"])),
        ("img", HashSet::from(["src", "alt", "title"])),
        ("ol", HashSet::from(["start"])),
        ("th", HashSet::from(["style"])),
        ("td", HashSet::from(["style"])),
        ("div", HashSet::from(["id"])),
    ]);
    let classes = HashMap::from([
        (
            "sup",
            HashSet::from(["footnote-reference", "footnote-definition-label"]),
        ),
        ("div", HashSet::from(["footnote-definition"])),
    ]);

    let mut builder = Builder::default();
    builder
        .tags(tags.into_iter().collect())
        .clean_content_tags(dropped_whole.into_iter().collect())
        .generic_attributes(HashSet::new())
        .tag_attributes(attributes)
        .allowed_classes(classes)
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .url_relative(UrlRelative::PassThrough)
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true)
        .id_prefix(Some(ID_PREFIX))
        .filter_style_properties(HashSet::from(["text-align"]))
        .attribute_filter(filter);
    builder
}

/// Attribute rules beyond the allow-list: only table alignment survives in `style`.
fn keep_attribute<'u>(attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    if attribute != "style" {
        return Some(Cow::Borrowed(value));
    }
    let compact: String = value
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    match compact.trim_end_matches(';') {
        "text-align:left" => Some(Cow::Borrowed("text-align: left")),
        "text-align:center" => Some(Cow::Borrowed("text-align: center")),
        "text-align:right" => Some(Cow::Borrowed("text-align: right")),
        _ => None,
    }
}

fn is_url_attribute(element: &str, attribute: &str) -> bool {
    matches!((element, attribute), ("a", "href") | ("img", "src"))
}

/// A URL without a scheme; ammonia has already removed every absolute URL whose scheme is not
/// on the allow-list, so anything absolute that gets here is `http`, `https` or `mailto`.
fn is_relative(url: &str) -> bool {
    matches!(
        Url::parse(url),
        Err(ammonia::url::ParseError::RelativeUrlWithoutBase)
    )
}

/// What `resolve` may hand back: a same-origin path or an absolute web URL.
fn is_acceptable_target(target: &str) -> bool {
    if target.starts_with('/') {
        return !target.starts_with("//") && !target.starts_with("/\\");
    }
    Url::parse(target).is_ok_and(|url| matches!(url.scheme(), "http" | "https"))
}

/// `my%20diagram.png` → `my diagram.png`, so `resolve` sees the file name as uploaded.
fn percent_decode(url: &str) -> String {
    let bytes = url.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Trim each line, and keep at most one empty line between blocks.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{MAX_DEPTH, to_plain_text, to_safe_html};

    fn materials(name: &str) -> Option<String> {
        match name {
            "diagram.png" => Some("/materials/0190a1b2".to_owned()),
            "my diagram.png" => Some("/materials/0190c3d4".to_owned()),
            "modul.pdf" => Some("/materials/0190e5f6".to_owned()),
            "evil.png" => Some("javascript:alert(1)".to_owned()),
            "protocol-relative.png" => Some("//evil.example/x.png".to_owned()),
            _ => None,
        }
    }

    fn html(markdown: &str) -> String {
        to_safe_html(markdown, &materials)
    }

    /// No executable markup survives, whatever the spelling. Text may mention anything (it is
    /// escaped), so only the tags themselves are searched.
    fn assert_inert(out: &str) {
        let tags: Vec<String> = out
            .split('<')
            .skip(1)
            .filter_map(|rest| {
                rest.split_once('>')
                    .map(|(tag, _)| tag.to_ascii_lowercase())
            })
            .collect();
        for tag in &tags {
            let name = tag
                .trim_start_matches('/')
                .split_whitespace()
                .next()
                .unwrap_or_default();
            assert!(
                !matches!(
                    name,
                    "script"
                        | "style"
                        | "iframe"
                        | "svg"
                        | "object"
                        | "embed"
                        | "form"
                        | "input"
                        | "button"
                        | "textarea"
                        | "math"
                        | "base"
                        | "meta"
                        | "link"
                        | "details"
                ),
                "<{tag}> survived in {out:?}"
            );
            for needle in [
                "javascript:",
                "vbscript:",
                "data:",
                "srcdoc",
                " on",
                "style=\"b",
            ] {
                assert!(
                    !tag.contains(needle),
                    "{needle:?} survived in <{tag}> of {out:?}"
                );
            }
        }
    }

    #[test]
    fn markdown_features_render() {
        let out = html(
            "# Judul\n\n*miring* **tebal** ~~coret~~ `kode`\n\n> kutipan\n\n1. satu\n2. dua\n\n\
             - [x] selesai\n- [ ] belum\n\n| A | B |\n|:-:|--:|\n| 1 | 2 |\n\n```rust\nfn main() {}\n```\n\n\
             ---\n\nCatatan[^1]\n\n[^1]: Isi catatan.\n",
        );
        for want in [
            "<h1>Judul</h1>",
            "<em>miring</em>",
            "<strong>tebal</strong>",
            "<del>coret</del>",
            "<code>kode</code>",
            "<blockquote>",
            "<ol>",
            "☑ selesai",
            "☐ belum",
            "<table>",
            "<th style=\"text-align:center\">A</th>",
            "<td style=\"text-align:right\">2</td>",
            "<pre><code>fn main() {}",
            "<hr>",
            "<sup class=\"footnote-reference\"><a href=\"#md-1\" rel=\"noopener noreferrer\">1</a></sup>",
            "<div class=\"footnote-definition\" id=\"md-1\">",
        ] {
            assert!(out.contains(want), "{want:?} missing from {out}");
        }
        assert_inert(&out);
    }

    #[test]
    fn links_keep_web_urls_and_get_rel() {
        let out = html(
            "[situs](https://example.org/a?b=1) [surel](mailto:a@example.org) [web](http://x.test/)",
        );
        assert!(
            out.contains(
                r#"<a href="https://example.org/a?b=1" rel="noopener noreferrer">situs</a>"#
            ),
            "{out}"
        );
        assert!(out.contains(r#"href="mailto:a@example.org""#), "{out}");
        assert!(out.contains(r#"href="http://x.test/""#), "{out}");
    }

    #[test]
    fn script_urls_in_markdown_links_are_removed() {
        for md in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](  javascript:alert(1))",
            "[x](jav&#x09;ascript:alert(1))",
            "[x](java\tscript:alert(1))",
            "[x](&#106;avascript:alert(1))",
            "[x](vbscript:msgbox(1))",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "<javascript:alert(1)>",
            "[x]: javascript:alert(1)\n\n[y][x]",
            "![x](javascript:alert(1))",
            "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
        ] {
            let out = html(md);
            assert_inert(&out);
        }
    }

    #[test]
    fn raw_html_is_sanitised() {
        for raw in [
            "<script>alert(1)</script>",
            "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
            "<img src=x onerror=alert(1)>",
            "<img src=\"diagram.png\" onload=\"alert(1)\">",
            "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
            "<a href=\"jav&#x0A;ascript:alert(1)\">x</a>",
            "<a href=\"&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)\">x</a>",
            "<a href=\"JAVASCRIPT:alert(1)\">x</a>",
            "<a href=\" javascript:alert(1)\">x</a>",
            "<a href=\"vbscript:x\">x</a>",
            "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
            "<svg onload=alert(1)><script>alert(1)</script></svg>",
            "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
            "<math><mtext><script>alert(1)</script></mtext></math>",
            "<object data=\"x.swf\"></object><embed src=\"x.swf\">",
            "<form action=\"https://evil.example\"><input name=p><button>Kirim</button></form>",
            "<style>body{display:none}</style>",
            "<p style=\"background:url(javascript:alert(1))\" onclick=\"alert(1)\">x</p>",
            "<div onmouseover=\"alert(1)\">x</div>",
            "<base href=\"https://evil.example/\"><meta http-equiv=refresh content=0><link rel=stylesheet href=x>",
            "<details open ontoggle=alert(1)>",
            "<table><td background=\"javascript:alert(1)\">x</td></table>",
            "<svg><iframe><a title=\"</iframe><img src onerror=alert(1)>\">x</a></iframe></svg>",
        ] {
            let out = html(&format!("Teks\n\n{raw}\n\nlagi"));
            assert_inert(&out);
            let inline = html(&format!("Teks {raw} lagi"));
            assert_inert(&inline);
        }
    }

    #[test]
    fn harmless_raw_html_is_kept() {
        let out = html("<em>penting</em> dan <strong class=\"x\" id=\"y\">tebal</strong>");
        assert!(out.contains("<em>penting</em>"), "{out}");
        assert!(out.contains("<strong>tebal</strong>"), "{out}");
    }

    #[test]
    fn images_resolve_material_names() {
        let out = html("![Diagram alir](diagram.png \"Alur\")");
        assert!(
            out.contains(r#"<img src="/materials/0190a1b2" alt="Diagram alir" title="Alur">"#),
            "{out}"
        );
        let spaced = html("![x](<my diagram.png>)");
        assert!(spaced.contains(r#"src="/materials/0190c3d4""#), "{spaced}");
        let raw = html("<img src=\"diagram.png\" alt=\"a\">");
        assert!(raw.contains(r#"src="/materials/0190a1b2""#), "{raw}");
        let absolute = html("![x](https://cdn.example/x.png)");
        assert!(
            absolute.contains(r#"src="https://cdn.example/x.png""#),
            "{absolute}"
        );
    }

    #[test]
    fn unknown_relative_images_lose_their_source() {
        for md in [
            "![x](missing.png)",
            "![x](../../etc/passwd)",
            "![x](/absolute/path.png)",
            "![x](//evil.example/x.png)",
            "![x](evil.png)",
            "![x](protocol-relative.png)",
            "![x](#frag)",
        ] {
            let out = html(md);
            assert!(!out.contains("src="), "{md}: {out}");
            assert_inert(&out);
        }
    }

    #[test]
    fn relative_links_resolve_or_lose_their_target() {
        let out = html("[modul](modul.pdf) [hilang](hilang.pdf)");
        assert!(
            out.contains(r#"<a href="/materials/0190e5f6" rel="noopener noreferrer">modul</a>"#),
            "{out}"
        );
        assert!(
            out.contains(r#"<a rel="noopener noreferrer">hilang</a>"#),
            "{out}"
        );
    }

    #[test]
    fn user_ids_cannot_clobber_page_ids() {
        let out = html("<div id=\"csrf_token\">x</div>");
        assert!(out.contains("id=\"md-csrf_token\""), "{out}");
    }

    #[test]
    fn plain_text_drops_markup() {
        let text = to_plain_text(
            "# Judul\n\nParagraf *satu* dengan [tautan](https://x.test) dan `kode`.\n\n\
             <script>alert(1)</script>\n\n- butir\n\n![gambar diagram](diagram.png)\n",
        );
        assert_eq!(
            text,
            "Judul\nParagraf satu dengan tautan dan kode.\nbutir\ngambar diagram"
        );
    }

    #[test]
    fn plain_text_of_tables_and_breaks() {
        let text = to_plain_text("| a | b |\n|---|---|\n| 1 | 2 |\n\nbaris\nlanjut");
        assert_eq!(text, "a b\n1 2\nbaris lanjut");
    }

    #[test]
    fn nesting_is_bounded_and_the_text_kept() {
        for (name, text) in [
            ("quotes", ">".repeat(30_000) + " inti"),
            (
                "lists",
                (0..3_000)
                    .map(|i| format!("{}- inti\n", "  ".repeat(i)))
                    .collect(),
            ),
            (
                "emphasis",
                "*".repeat(20_000) + "inti" + &"*".repeat(20_000),
            ),
            ("raw", "<div>".repeat(30_000) + "inti"),
            ("links", "[".repeat(30_000) + "inti"),
        ] {
            let out = html(&text);
            assert!(out.contains("inti"), "{name}: the text survives");
            let depth = out.matches("<blockquote>").count()
                + out.matches("<ul>").count()
                + out.matches("<em>").count()
                + out.matches("<strong>").count()
                + out.matches("<div>").count();
            assert!(depth <= 2 * MAX_DEPTH + 1_000, "{name}: {depth} elements");
        }
    }

    #[test]
    fn plain_sentences_skip_the_parser_with_the_same_result() {
        for text in [
            "Apa ibu kota Indonesia?",
            "  Siapa yang menjaga data?  ",
            "Pilih: ya atau tidak",
        ] {
            let quick = super::paragraph_html(text);
            let full = to_safe_html(text, &|_| None);
            assert_eq!(quick, full, "{text:?}");
        }
        // Anything that could be markup goes through the renderer.
        assert!(super::paragraph_html("**tebal**").contains("<strong>"));
        assert!(super::paragraph_html("1. satu").contains("<ol>"));
        assert!(super::paragraph_html("- satu").contains("<ul>"));
        assert_eq!(
            super::paragraph_html("a <b>"),
            to_safe_html("a <b>", &|_| None)
        );
    }
}
