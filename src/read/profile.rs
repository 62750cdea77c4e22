//! Site profiles: what a site's page chrome looks like, as data.
//!
//! A profile names the lines that are chrome (banner, share buttons,
//! counters), the page-counter pattern that gives the compilation title and
//! page number, and the stats line that declares the character count. The
//! built-in profile covers the generic forms seen on Chinese article sites;
//! users add profiles for other sites in `folio.toml`, and a profile's
//! `lexicon` table adds words to the reader's [`lexicon`](super::lexicon).

use std::sync::Arc;

use regex::{Regex, RegexSet};
use serde::Deserialize;

use super::lexicon::{self, Compiled};
use crate::lang::chars::parse_number;

/// A site profile as written in a config file. Patterns are regexes matched
/// against a trimmed line: chrome and counter patterns against the whole
/// line, stats and banner patterns anywhere in it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileConfig {
    /// Name used in messages.
    pub name: String,
    /// Lines that are chrome wherever they appear in the page's top or bottom
    /// zone. Each matches a whole line.
    #[serde(default)]
    pub chrome: Vec<String>,
    /// Page counter: named groups `title`, `page` and optionally `total`; matches a whole line.
    #[serde(default)]
    pub counter: Option<String>,
    /// Stats line: optional named groups `chars` and `minutes`; found anywhere in the line.
    #[serde(default)]
    pub stats: Option<String>,
    /// Banner line naming the site: group `site` (or the whole line); found anywhere in the line.
    #[serde(default)]
    pub banner: Option<String>,
    /// Additions to the reader's lexicon, in the form of `src/read/lexicon.toml`:
    /// lists are extended, numbers replaced (`[profile.lexicon.chrome] lines = ["本站广告"]`).
    #[serde(default)]
    pub lexicon: Option<toml::Table>,
}

/// A page counter line, read.
/// Why a user profile (a `[[profile]]` of `folio.toml`) cannot be used;
/// each names the profile.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("profile `{profile}`: bad pattern `{pattern}`: {source}")]
    Pattern { profile: String, pattern: String, source: regex::Error },
    #[error("profile `{profile}`: chrome patterns do not compile together: {source}")]
    ChromeTogether { profile: String, source: regex::Error },
    #[error("profile `{profile}`: counter pattern needs named groups `title` and `page`")]
    CounterGroups { profile: String },
    #[error("profile `{profile}`: {source}")]
    Lexicon { profile: String, source: lexicon::LexiconError },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counter {
    Usable {
        title: String,
        page: u32,
        total: Option<u32>,
    },
    /// In the form of a counter, with numbers that make no sense (page 0,
    /// past the count, negative, too long): `why` says which.
    Unusable {
        title: String,
        why: String,
    },
}

/// A compiled profile.
#[derive(Debug, Clone)]
pub struct Profile {
    pub name: String,
    /// Chrome patterns, as written (whole-line anchors added to a user's),
    /// and one automaton for them all: they are only asked whether any matches.
    chrome_sources: Vec<String>,
    chrome: RegexSet,
    pub counters: Vec<Regex>,
    pub stats: Vec<Regex>,
    pub banners: Vec<Regex>,
    /// The reader's lexicon: the built-in one plus the profiles' additions.
    pub lexicon: Arc<Compiled>,
}

/// Generic page counters: `标题(第3/13页)`, `标题（第3页/共13页）`, `标题 第3页`, `标题 (3/13)`; traditional
/// `頁` as well as `页` (Big5 pages from Taiwan and Hong Kong sites).
///
/// The numbers are matched whatever their length (and, after `第`, their sign) so that a counter folio cannot
/// use (`第-1/13页`, a total of 100000 or more, 23 digits) is still recognised as one, and reported, rather than
/// read as the first article's title. Unbounded (`+`, not `{1,30}`): a bounded run is built as one automaton per
/// digit, and these four are built before any page is read.
const GENERIC_COUNTERS: &[&str] = &[
    r"^(?P<title>.+?)\s*[(（]\s*第\s*(?P<page>[-－−]?[0-9０-９]+)\s*[/／]\s*(?P<total>[-－−]?[0-9０-９]+)\s*[页頁]\s*[)）]$",
    r"^(?P<title>.+?)\s*[(（]?\s*第\s*(?P<page>[-－−]?[0-9０-９]+)\s*[页頁]\s*[/／,，]?\s*共\s*(?P<total>[-－−]?[0-9０-９]+)\s*[页頁]\s*[)）]?$",
    r"^(?P<title>.+?)\s*[(（]\s*(?P<page>[0-9０-９]+)\s*[/／]\s*(?P<total>[0-9０-９]+)\s*[)）]$",
    r"^(?P<title>.+?)\s*[(（]\s*第\s*(?P<page>[-－−]?[0-9０-９]+)\s*[页頁]\s*[)）]$",
];

/// Largest page number or page count taken from a counter: a compilation
/// of more pages is not a real one, and a count far beyond the pages read
/// would make the list of missing pages enormous.
pub const MAX_PAGES: u32 = 99_999;

/// Generic stats lines: `共计138016个字,预计阅读时长461分钟`, `全文约5000字`.
const GENERIC_STATS: &[&str] = &[
    r"共计\s*(?P<chars>[0-9０-９]+)\s*个?字(?:.*?阅读时长\s*(?P<minutes>[0-9０-９]+)\s*分钟)?",
    r"^(?:全文)?约?\s*(?P<chars>[0-9０-９]+)\s*字(?:.*?阅读.*?(?P<minutes>[0-9０-９]+)\s*分钟)?",
];

/// Generic chrome: share/like/collect widgets, pagination links, QR prompts,
/// bare counters. Only ever removed from a page's top and bottom zones.
const GENERIC_CHROME: &[&str] = &[
    r"^[0-9０-９]{1,9}$",
    r"^(?:领取福利|微信扫码领取福利|微信扫码分享|扫码分享|分享到[:：]?.*|加入收藏|收藏本站|返回顶部|返回首页|返回列表|打印本页|关闭窗口|上一页|下一页|首页|尾页|点击收藏|复制链接|字号[:：]?.*|【?打印】?|【?关闭】?)$",
    r"^(?:上一篇|下一篇|上一页|下一页)[:：].*$",
    r"^.*(?:分享|收藏|点赞|浏览|阅读)\s*[:：]?\s*(?:[0-9０-９]+\s*次?)?\s*(?:时间|加入收藏|分享).*$",
    r"^(?:admin|作者)\s+分享.*$",
    r"^(?:当前位置|您的位置|你的位置)[:：].*$",
    r"^(?:Copyright|版权所有|©).*$",
];

/// The banner of the sample site. Site specifics live here as data, not in code.
const SUCAI198_BANNER: &str = r"^(?P<site>SUCAI198\.COM)\s*—+\s*.*$";

impl Profile {
    /// The built-in profile: generic patterns plus the known sample site.
    pub fn builtin() -> Profile {
        let compile = |pats: &[&str]| pats.iter().map(|p| Regex::new(p).expect("built-in pattern")).collect::<Vec<_>>();
        Profile {
            name: "builtin".into(),
            chrome_sources: GENERIC_CHROME.iter().map(|s| s.to_string()).collect(),
            chrome: RegexSet::new(GENERIC_CHROME).expect("built-in pattern"),
            counters: compile(GENERIC_COUNTERS),
            stats: compile(GENERIC_STATS),
            banners: compile(&[
                SUCAI198_BANNER,
                r"^(?P<site>[A-Za-z0-9.-]+\.(?:COM|com|CN|cn|NET|net|ORG|org))\s*(?:—+|-{2,}|\|)\s*.*$",
            ]),
            lexicon: lexicon::builtin(),
        }
    }

    /// Adds a user profile; its patterns come before those already there, so
    /// several profiles (one per site) all apply, ahead of the built-in ones.
    /// Chrome and counter patterns match whole lines (as if written between
    /// `^` and `$`: a pattern `广告` does not remove `这是广告位`, and an empty
    /// one removes nothing); stats and banner patterns are looked for within
    /// the line.
    pub fn add_user(&mut self, config: &ProfileConfig) -> Result<(), ProfileError> {
        let profile = || config.name.clone();
        let compile_as = |pats: &mut dyn Iterator<Item = &String>, whole: bool| -> Result<Vec<Regex>, ProfileError> {
            pats.map(|p| {
                let pattern = if whole { format!("^(?:{p})$") } else { p.clone() };
                Regex::new(&pattern).map_err(|source| ProfileError::Pattern {
                    profile: profile(),
                    pattern: p.clone(),
                    source,
                })
            })
            .collect()
        };
        let whole_line = |pats: &mut dyn Iterator<Item = &String>| compile_as(pats, true);
        let compile = |pats: &mut dyn Iterator<Item = &String>| compile_as(pats, false);
        let p = self;
        p.name = format!("{} + {}", config.name, p.name);
        if !config.chrome.is_empty() {
            // Each checked on its own first, so a bad one is named.
            whole_line(&mut config.chrome.iter())?;
            let mut sources: Vec<String> = config.chrome.iter().map(|p| format!("^(?:{p})$")).collect();
            sources.append(&mut p.chrome_sources);
            p.chrome = RegexSet::new(&sources)
                .map_err(|source| ProfileError::ChromeTogether { profile: profile(), source })?;
            p.chrome_sources = sources;
        }
        if let Some(c) = &config.counter {
            let re = whole_line(&mut std::iter::once(c))?.remove(0);
            if !re.capture_names().any(|n| n == Some("title")) || !re.capture_names().any(|n| n == Some("page")) {
                return Err(ProfileError::CounterGroups { profile: profile() });
            }
            p.counters.insert(0, re);
        }
        if let Some(s) = &config.stats {
            p.stats.insert(0, compile(&mut std::iter::once(s))?.remove(0));
        }
        if let Some(b) = &config.banner {
            p.banners.insert(0, compile(&mut std::iter::once(b))?.remove(0));
        }
        if let Some(additions) = &config.lexicon {
            let extended = lexicon::extended(&p.lexicon, additions)
                .map_err(|source| ProfileError::Lexicon { profile: profile(), source })?;
            p.lexicon = Arc::new(extended);
        }
        Ok(())
    }

    pub fn is_chrome(&self, line: &str) -> bool {
        self.chrome.is_match(line)
    }

    pub fn banner(&self, line: &str) -> Option<String> {
        self.banners
            .iter()
            .find_map(|re| re.captures(line))
            .map(|c| c.name("site").map_or(line, |m| m.as_str()).to_string())
    }

    /// Parses a page counter line into (title, page, total), when its
    /// numbers make sense (see [`Profile::read_counter`]).
    pub fn counter(&self, line: &str) -> Option<(String, u32, Option<u32>)> {
        match self.read_counter(line)? {
            Counter::Usable { title, page, total } => Some((title, page, total)),
            Counter::Unusable { .. } => None,
        }
    }

    /// Reads a page counter line: usable when the page number is 1 to
    /// [`MAX_PAGES`] and not past the total (itself 1 to [`MAX_PAGES`]).
    pub fn read_counter(&self, line: &str) -> Option<Counter> {
        self.counters.iter().find_map(|re| {
            let c = re.captures(line)?;
            let title = c.name("title")?.as_str().trim().to_string();
            if title.is_empty() {
                return None;
            }
            let page_text = c.name("page")?.as_str();
            let total_text = c.name("total").map(|m| m.as_str());
            let number = |s: &str| parse_number::<u32>(s).filter(|n| (1..=MAX_PAGES).contains(n));
            let (page, total) = (number(page_text), total_text.map(number));
            let why = match (page, total) {
                (None, _) => format!("page number {page_text} is not one of 1 to {MAX_PAGES}"),
                (_, Some(None)) => {
                    format!("page count {} is not one of 1 to {MAX_PAGES}", total_text.unwrap_or_default())
                }
                (Some(p), Some(Some(t))) if p > t => format!("page {p} is past the page count {t}"),
                (Some(page), total) => return Some(Counter::Usable { title, page, total: total.flatten() }),
            };
            Some(Counter::Unusable { title, why })
        })
    }

    /// Parses a stats line into (declared characters, reading minutes).
    pub fn stats(&self, line: &str) -> Option<(Option<u64>, Option<u32>)> {
        self.stats.iter().find_map(|re| {
            let c = re.captures(line)?;
            let chars = c.name("chars").and_then(|m| parse_number(m.as_str()));
            let minutes = c.name("minutes").and_then(|m| parse_number(m.as_str()));
            Some((chars, minutes))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_in_several_forms() {
        let p = Profile::builtin();
        assert_eq!(
            p.counter("2022年前线文稿汇编-30篇(第3/13页)"),
            Some(("2022年前线文稿汇编-30篇".into(), 3, Some(13)))
        );
        assert_eq!(p.counter("某某汇编（第2页/共5页）"), Some(("某某汇编".into(), 2, Some(5))));
        assert_eq!(p.counter("某某汇编 (4/9)"), Some(("某某汇编".into(), 4, Some(9))));
        assert_eq!(p.counter("繁體彙編（第2頁/共5頁）"), Some(("繁體彙編".into(), 2, Some(5))));
        assert_eq!(p.counter("繁體彙編(第1/1頁)"), Some(("繁體彙編".into(), 1, Some(1))));
        assert_eq!(p.counter("这是一个普通的段落。"), None);
    }

    #[test]
    fn counters_in_full_width_digits() {
        let p = Profile::builtin();
        assert_eq!(p.counter("汇编（第３/１３页）"), Some(("汇编".into(), 3, Some(13))));
        assert_eq!(p.counter("汇编(第１２页/共１３页)"), Some(("汇编".into(), 12, Some(13))));
        // Digits of other scripts are not page numbers.
        assert_eq!(p.counter("汇编(第٣/١٣页)"), None);
    }

    #[test]
    fn a_counter_with_absurd_numbers_is_read_and_reported() {
        let p = Profile::builtin();
        let line = format!("汇编(第{}/13页)", "9".repeat(40));
        match p.read_counter(&line) {
            Some(Counter::Unusable { title, why }) => {
                assert_eq!(title, "汇编");
                assert!(why.contains("is not one of 1 to"), "{why}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(p.counter("汇编(第-1/13页)"), None);
    }

    #[test]
    fn every_user_profile_applies() {
        let mut p = Profile::builtin();
        for (name, line) in [("甲网", "^甲网广告$"), ("乙网", "^乙网广告$")] {
            let config = ProfileConfig { name: name.into(), chrome: vec![line.into()], ..Default::default() };
            p.add_user(&config).unwrap();
        }
        assert!(p.is_chrome("甲网广告") && p.is_chrome("乙网广告") && p.is_chrome("微信扫码分享"));
    }

    #[test]
    fn stats_and_chrome() {
        let p = Profile::builtin();
        let line = "admin 分享 时间: 加入收藏 共计138016个字,预计阅读时长461分钟。";
        assert_eq!(p.stats(line), Some((Some(138016), Some(461))));
        assert!(p.is_chrome(line));
        for l in ["221381", "领取福利", "微信扫码领取福利", "微信扫码分享"] {
            assert!(p.is_chrome(l), "{l}");
        }
        assert!(!p.is_chrome("通勤圈是构建现代化首都都市圈的先行力量"));
        assert_eq!(p.banner("SUCAI198.COM —— 专注党建行政公文写作范文").as_deref(), Some("SUCAI198.COM"));
    }
}
