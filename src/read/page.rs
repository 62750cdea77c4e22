//! One page file: strips the site chrome from its top and bottom and reads
//! the page counter and declared stats.
//!
//! Chrome is only looked for in a page's top zone (up to the counter and the
//! lines right after it) and bottom zone (trailing widget lines), so article
//! text that happens to look like a widget is never dropped.

use std::sync::LazyLock;

use regex::Regex;

use super::profile::{Counter, Profile};
use crate::model::{Origin, Warning, WarningKind};

/// A content line with its 1-based line number in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub number: u32,
}

/// A page after chrome removal.
#[derive(Debug, Clone)]
pub struct Page {
    /// File name, for messages and provenance.
    pub file: String,
    pub encoding: &'static str,
    /// Compilation title from the counter; `None` when the page has no counter.
    pub title: Option<String>,
    pub number: Option<u32>,
    pub total: Option<u32>,
    pub site: Option<String>,
    pub declared_chars: Option<u64>,
    pub declared_minutes: Option<u32>,
    /// Article text lines, non-empty, in order.
    pub lines: Vec<Line>,
    /// What was wrong with the page (a counter whose numbers make no sense).
    pub warnings: Vec<Warning>,
}

/// How many leading non-empty lines may precede the page counter.
const TOP_ZONE: usize = 6;

/// Reads one decoded page.
pub fn parse_page(file: &str, encoding: &'static str, text: &str, profile: &Profile) -> Page {
    let lines: Vec<Line> = text
        .split('\n')
        .enumerate()
        .flat_map(|(i, l)| {
            let number = i as u32 + 1;
            match html_text(l) {
                // A scraper that saved the page's HTML: its blocks are the lines.
                Some(blocks) => blocks.into_iter().map(|t| Line { text: t, number }).collect(),
                None => vec![Line { text: trim_line(l).to_string(), number }],
            }
        })
        .filter(|l| !l.text.is_empty())
        .collect();
    let mut page = Page {
        file: file.to_string(),
        encoding,
        title: None,
        number: None,
        total: None,
        site: None,
        declared_chars: None,
        declared_minutes: None,
        lines: Vec::new(),
        warnings: Vec::new(),
    };

    // Top zone: banner and navigation lines, the counter, then stats/share lines.
    let counter_at = lines.iter().take(TOP_ZONE).position(|l| profile.read_counter(&l.text).is_some());
    let mut start = 0;
    if let Some(k) = counter_at {
        match profile.read_counter(&lines[k].text).expect("matched above") {
            Counter::Usable { title, page: number, total } => {
                page.title = Some(title);
                page.number = Some(number);
                page.total = total;
            }
            // Out of the page order: the page becomes a compilation of its
            // own (named after its file), its counter line still chrome.
            Counter::Unusable { why, .. } => page.warnings.push(Warning::new(
                WarningKind::UnusableCounter,
                format!("the page counter `{}` cannot be used ({why}); the page is read on its own", lines[k].text),
                Some(Origin { file: file.to_string(), line: lines[k].number }),
            )),
        }
        for l in &lines[..k] {
            if page.site.is_none() {
                page.site = profile.banner(&l.text);
            }
        }
        start = k + 1;
    }
    while start < lines.len() {
        let l = &lines[start].text;
        if let Some((chars, minutes)) = profile.stats(l) {
            page.declared_chars = page.declared_chars.or(chars);
            page.declared_minutes = page.declared_minutes.or(minutes);
            start += 1;
        } else if let Some(site) = profile.banner(l) {
            page.site.get_or_insert(site);
            start += 1;
        } else if profile.is_chrome(l) {
            start += 1;
        } else {
            break;
        }
    }

    // Bottom zone: trailing widget lines.
    let mut end = lines.len();
    while end > start && profile.is_chrome(&lines[end - 1].text) {
        end -= 1;
    }
    page.lines = lines[start..end].to_vec();
    page
}

/// Block-level HTML tags: each ends a line of text.
static BLOCK_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)<\s*/?\s*(?:p|div|section|article|header|footer|br|li|ul|ol|h[1-6]|tr|td|table|blockquote)(?-u:\b)[^<>]*>",
    )
    .expect("a literal pattern compiles")
});
/// Any other tag, or a comment.
static OTHER_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)<!--.*?-->|<\s*/?\s*[a-z][a-z0-9]*(?-u:\b)[^<>]*>").expect("a literal pattern compiles")
});

/// The text of a line of HTML (`<p style=…><span>作者:…</span></p>…`), one
/// string a block, tags dropped and the common character references
/// decoded; `None` when the line does not open with a tag or holds fewer
/// than two.
fn html_text(line: &str) -> Option<Vec<String>> {
    // Markup from the line's start: text that only mentions a tag
    // (`正文里有<script>…`) stays as written.
    let start = line.trim_start();
    let starts_tagged = |re: &Regex| re.find(start).is_some_and(|m| m.start() == 0);
    if !start.starts_with('<')
        || !(starts_tagged(&BLOCK_TAG) || starts_tagged(&OTHER_TAG))
        || BLOCK_TAG.find_iter(line).take(2).count() + OTHER_TAG.find_iter(line).take(2).count() < 2
    {
        return None;
    }
    let line = without_elements(line, "script");
    let line = without_elements(&line, "style");
    let blocks = BLOCK_TAG.replace_all(&line, "\n");
    let text = OTHER_TAG.replace_all(&blocks, "");
    Some(text.split('\n').map(|t| trim_line(&decode_entities(t)).to_string()).filter(|t| !t.is_empty()).collect())
}

/// `line` without its `<name …>…</name>` elements (scripts and styles are no text).
fn without_elements(line: &str, name: &str) -> String {
    let lower = line.to_ascii_lowercase();
    let (open, close) = (format!("<{name}"), format!("</{name}>"));
    let mut out = String::new();
    let mut at = 0;
    while let Some(i) = lower[at..].find(&open).map(|i| at + i) {
        out.push_str(&line[at..i]);
        at = lower[i..].find(&close).map_or(line.len(), |j| i + j + close.len());
    }
    out.push_str(&line[at..]);
    out
}

/// `&amp;`, `&nbsp;`, `&#8212;`, `&#x4e2d;` and the like.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &tail[1..e];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                "ldquo" => '“',
                "rdquo" => '”',
                "mdash" => '—',
                "hellip" => '…',
                _ => {
                    let n = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X"));
                    let code = match n {
                        Some(h) => u32::from_str_radix(h, 16).ok()?,
                        None => name.strip_prefix('#')?.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Trims white space, including the ideographic space used for indentation.
fn trim_line(line: &str) -> &str {
    line.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{feff}' || c == '\u{200b}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page saved as HTML (tests/data/sites/064.txt).
    #[test]
    fn html_lines_become_text() {
        let line = r#"<p style="max-width: 100%;"><span style="font-size: 18px;">作者:王瑰曙(湖南省岳阳市委常委)</span></p><section class=""><p>第一段&nbsp;文字&amp;符号。</p></section>"#;
        assert_eq!(html_text(line).unwrap(), ["作者:王瑰曙(湖南省岳阳市委常委)", "第一段 文字&符号。"]);
        assert_eq!(html_text("正文里写着 a<b 与 c>d。"), None);
    }

    #[test]
    fn strips_top_and_bottom_chrome_only() {
        let text = "SUCAI198.COM —— 专注党建行政公文写作范文\n\n汇编(第3/13页)\n\nadmin 分享 时间: 加入收藏 共计138016个字,预计阅读时长461分钟。\n\n标题\n\n正文。\n\n221381\n领取福利\n\n微信扫码领取福利\n\n微信扫码分享";
        let page = parse_page("p.txt", "UTF-8", text, &Profile::builtin());
        assert_eq!(page.title.as_deref(), Some("汇编"));
        assert_eq!((page.number, page.total), (Some(3), Some(13)));
        assert_eq!(page.declared_chars, Some(138016));
        assert_eq!(page.site.as_deref(), Some("SUCAI198.COM"));
        let texts: Vec<_> = page.lines.iter().map(|l| (l.text.as_str(), l.number)).collect();
        assert_eq!(texts, vec![("标题", 7), ("正文。", 9)]);
    }
}
