//! One page file: strips the site chrome from its top and bottom and reads
//! the page counter and declared stats.
//!
//! Chrome is only looked for in a page's top zone (up to the counter and the
//! lines right after it) and bottom zone (trailing widget lines), so article
//! text that happens to look like a widget is never dropped.

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
        .map(|(i, l)| Line { text: trim_line(l).to_string(), number: i as u32 + 1 })
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

/// Trims white space, including the ideographic space used for indentation.
fn trim_line(line: &str) -> &str {
    line.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{feff}' || c == '\u{200b}')
}

#[cfg(test)]
mod tests {
    use super::*;

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
