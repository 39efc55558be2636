//! Markdown to HTML and plain text, with untrusted HTML sanitised.
//!
//! pulldown-cmark's own output is safe except for raw HTML and link schemes, so ammonia (an
//! HTML parse per text, the slowest step of a build) runs only on texts that contain raw HTML
//! or a link whose scheme is not on the safe list.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

/// A Markdown text rendered for publication.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub plain: String,
    /// Byte ranges (in the Markdown) of raw HTML or links that sanitising changed or removed.
    pub removed: Vec<Range<usize>>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders Markdown. With `trust_html` raw HTML is published as written.
pub fn render(markdown: &str, trust_html: bool) -> Rendered {
    render_as(markdown, trust_html, true)
}

/// [`render`] for checking only: the same plain text and the same `removed`, but no HTML
/// (left empty), so neither the HTML writer nor the sanitiser runs. `hoidap check` publishes
/// nothing, and writing the HTML was a fifth of its work on a text.
pub fn render_unpublished(markdown: &str, trust_html: bool) -> Rendered {
    render_as(markdown, trust_html, false)
}

fn render_as(markdown: &str, trust_html: bool, with_html: bool) -> Rendered {
    let mut events: Vec<(Event, Range<usize>)> = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .collect();
    if with_html {
        add_heading_ids(&mut events);
    }
    let plain = plain_text(&events);
    let mut removed = Vec::new();
    if !trust_html {
        for (event, range) in &events {
            let unsafe_here = match event {
                Event::Html(h) | Event::InlineHtml(h) => html_is_unsafe(h),
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                    !safe_url(dest_url)
                }
                _ => false,
            };
            if unsafe_here {
                removed.push(range.clone());
            }
        }
    }
    if !with_html {
        return Rendered {
            html: String::new(),
            plain,
            removed,
        };
    }
    let needs_sanitizer = !trust_html
        && (!removed.is_empty()
            || events
                .iter()
                .any(|(e, _)| matches!(e, Event::Html(_) | Event::InlineHtml(_))));
    // Written into the thread's buffer, then copied at its exact length: a string reserved
    // at a guess of its size kept the spare capacity in every record of the archive.
    let html = HTML_BUFFER.with_borrow_mut(|out| {
        out.clear();
        html::push_html(out, events.into_iter().map(|(e, _)| e));
        let html = if needs_sanitizer {
            SANITIZER.clean(out).to_string()
        } else {
            out.as_str().to_owned()
        };
        if out.capacity() > MAX_KEPT_BUFFER {
            *out = String::new();
        }
        html
    });
    Rendered {
        html,
        plain,
        removed,
    }
}

/// Larger buffers are not kept between texts (a rare huge text does not pin its size).
const MAX_KEPT_BUFFER: usize = 1 << 20;

thread_local! {
    /// The HTML of the text being rendered, reused from text to text.
    static HTML_BUFFER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.split_once(':') {
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
            matches!(scheme, "http" | "https" | "mailto" | "tel")
        }
        _ => true,
    }
}

/// Whether a raw HTML fragment holds something the sanitiser drops: a tag it does not allow,
/// an attribute it does not allow (event handlers, styles), or a script URL. Fragments are
/// checked one by one because an opening tag alone is not a document ammonia can compare.
fn html_is_unsafe(fragment: &str) -> bool {
    let lower = fragment.to_ascii_lowercase();
    if lower.contains("javascript:") || lower.contains("vbscript:") || lower.contains("data:") {
        return true;
    }
    let tags = SANITIZER.clone_tags();
    let generic = SANITIZER.clone_generic_attributes();
    let per_tag = SANITIZER.clone_tag_attributes();
    let mut rest = lower.as_str();
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        if rest.starts_with("!--") {
            rest = rest.split_once("-->").map_or("", |(_, r)| r);
            continue;
        }
        let body = rest.trim_start_matches('/');
        let name: String = body
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if name.is_empty() {
            continue;
        }
        if !tags.contains(name.as_str()) {
            return true;
        }
        let inside = body[name.len()..].split('>').next().unwrap_or("");
        for attr in attribute_names(inside) {
            let allowed = generic.contains(attr.as_str())
                || per_tag
                    .get(name.as_str())
                    .is_some_and(|a| a.contains(attr.as_str()));
            if !allowed {
                return true;
            }
        }
    }
    false
}

/// Attribute names in the inside of a tag, skipping quoted values.
fn attribute_names(inside: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut chars = inside.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' => {
                for d in chars.by_ref() {
                    if d == c {
                        break;
                    }
                }
            }
            c if c.is_ascii_alphabetic() => {
                let mut name = String::from(c);
                while let Some(&d) = chars.peek() {
                    if d.is_ascii_alphanumeric() || d == '-' || d == '_' || d == ':' {
                        name.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                names.push(name);
            }
            _ => {}
        }
    }
    names
}

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["id", "class"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .filter_style_properties(HashSet::from(["text-align"]))
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
        .link_rel(Some("noopener noreferrer"));
    b
});

/// Gives every heading an id from its text, so answers can be linked to section by section.
fn add_heading_ids(events: &mut [(Event, Range<usize>)]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i].0 {
            let mut text = String::new();
            for (e, _) in &events[i + 1..] {
                match e {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    _ => {}
                }
            }
            let base = match crate::text::slugify(&text) {
                s if s.is_empty() => "muc".to_string(),
                s => s,
            };
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            let id = if *n == 1 { base } else { format!("{base}-{n}") };
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i].0 {
                *slot = Some(CowStr::from(id));
            }
        }
        i += 1;
    }
}

fn plain_text(events: &[(Event, Range<usize>)]) -> String {
    let mut out = String::new();
    let mut in_footnote = false;
    for (e, _) in events {
        match e {
            Event::Text(t) | Event::Code(t) if !in_footnote => out.push_str(t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::Start(Tag::FootnoteDefinition(_)) => in_footnote = true,
            Event::End(TagEnd::FootnoteDefinition) => in_footnote = false,
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_),
            ) if !out.ends_with(['\n', ' ']) && !out.is_empty() => out.push('\n'),
            _ => {}
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_footnotes_strikethrough_and_heading_ids() {
        let md = "### Hồ sơ cần nộp\n\n| A | B |\n|:-:|---|\n| 1 | 2 |\n\n~~cũ~~ mới[^1]\n\n[^1]: Ghi chú.\n\n### Hồ sơ cần nộp\n";
        let r = render(md, false);
        assert!(r.html.contains(r#"<h3 id="ho-so-can-nop">"#), "{}", r.html);
        assert!(r.html.contains(r#"<h3 id="ho-so-can-nop-2">"#));
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>cũ</del>"));
        assert!(r.html.contains("footnote"));
        assert!(r.removed.is_empty());
    }

    #[test]
    fn scripts_handlers_and_javascript_links_are_removed() {
        let md = "Xin chào <script>alert(1)</script> <b onclick=\"x()\">đậm</b>\n\n[bấm](javascript:alert(1))\n";
        let r = render(md, false);
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("onclick"));
        assert!(!r.html.contains("javascript:"));
        assert!(r.html.contains("<b>đậm</b>"));
        // `<script>`, `</script>`, `<b onclick>` and the link.
        assert_eq!(r.removed.len(), 4, "{:?}", r.removed);
        assert_eq!(&md[r.removed[0].clone()], "<script>");
    }

    #[test]
    fn trusted_html_is_kept() {
        let r = render("<div class=\"x\" onclick=\"y()\">a</div>\n", true);
        assert!(r.html.contains("onclick"));
        assert!(r.removed.is_empty());
    }

    #[test]
    fn safe_html_is_not_reported() {
        let r = render(
            "Một <abbr title=\"Ủy ban nhân dân\">UBND</abbr>.\n\n<https://example.gov.vn>\n",
            false,
        );
        assert!(r.removed.is_empty(), "{:?}", r.removed);
        assert!(r.html.contains("href=\"https://example.gov.vn\""));
    }

    #[test]
    fn unpublished_rendering_finds_the_same_problems() {
        for md in [
            "Xin chào <script>alert(1)</script> <b onclick=\"x()\">đậm</b>\n\n[bấm](javascript:alert(1))\n",
            "### Hồ sơ\n\n| A | B |\n|:-:|---|\n| 1 | 2 |\n\n~~cũ~~ mới[^1]\n\n[^1]: Ghi chú.\n",
            "<div onclick=\"y()\">a</div>\n",
            "  \n",
        ] {
            for trust_html in [false, true] {
                let full = render(md, trust_html);
                let lean = render_unpublished(md, trust_html);
                assert_eq!(lean.plain, full.plain, "{md}");
                assert_eq!(lean.removed, full.removed, "{md}");
                assert!(lean.html.is_empty());
            }
        }
    }

    /// Texts share the thread's buffer: each gets its own HTML, with no spare capacity.
    #[test]
    fn each_text_gets_its_own_html_at_its_length() {
        let long = render(&"Một đoạn văn dài. ".repeat(500), false);
        let short = render("Ngắn.", false);
        assert_eq!(short.html, "<p>Ngắn.</p>\n");
        assert_eq!(short.html.capacity(), short.html.len());
        assert!(long.html.starts_with("<p>Một đoạn"));
        assert_eq!(long.html.capacity(), long.html.len());
        let huge = render(&"x".repeat(MAX_KEPT_BUFFER + 1), false);
        assert_eq!(huge.html.len(), MAX_KEPT_BUFFER + 1 + "<p></p>\n".len());
        assert_eq!(render("Lại.", false).html, "<p>Lại.</p>\n");
    }

    #[test]
    fn plain_text_separates_blocks() {
        let r = render("# Tiêu đề\n\nMột **hai**\nba.\n\n- x\n- y\n", false);
        assert_eq!(r.plain, "Tiêu đề\nMột hai ba.\nx\ny");
    }
}
