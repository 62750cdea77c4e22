//! Site chrome by what it is, not by site: each line of a page is scored on
//! shallow features that hold across Chinese article pages (widget words,
//! breadcrumbs, counters, contact details, menus, bullet runs, anti-scrape
//! junk, lines without Chinese at the page's edge), then its neighbours
//! (jusText's context smoothing: a short line between chrome lines is
//! chrome), its place on the page (outside the article's text) and its
//! repetition (on most pages of a compilation, or as a teaser repeated
//! further down the same page). The weights are data (`lexicon.toml`); the
//! verdict carries its reasons.

use std::collections::{BTreeMap, BTreeSet};

use super::lexicon::Compiled;
use super::line::Line;
use crate::lang::chars::is_han;

/// Why a line was taken for chrome, and how sure.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Evidence {
    pub score: i32,
    pub reasons: Vec<&'static str>,
    /// Chrome that closes an article (credits, share prompts, copyright,
    /// related links): what follows may open the next one.
    pub closing: bool,
}

impl Evidence {
    fn add(&mut self, weight: i32, reason: &'static str) {
        if weight != 0 {
            self.score += weight;
            self.reasons.push(reason);
        }
    }
}

/// What the page's lines are, as far as chrome goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Carries something of the article (a date, a byline, a blurb, front matter):
    /// never chrome, whatever it looks like.
    Informative,
    /// Reads like a sentence of the article.
    Prose,
    /// Anything else: judged by its evidence.
    Other,
}

/// The evidence a line carries by itself.
pub fn own_evidence(line: &Line, lex: &Compiled) -> Evidence {
    let c = &lex.words.chrome;
    let w = c.weights;
    let lim = c.limits;
    let mut e = Evidence::default();
    if line.noise {
        e.add(w.ascii_noise, "anti-scrape junk");
        return e;
    }
    let key = strip_bullet(line.key.trim(), lex);
    let bare = key.trim_end_matches([':', ' ', '>', '→']).trim();
    if c.lines.iter().any(|l| l.eq_ignore_ascii_case(bare)) {
        e.add(w.whole_line, "a widget or menu word");
    }
    let may_open = lex.prefix_firsts.as_ref().is_none_or(|f| key.chars().next().is_some_and(|c| f.contains(&c)));
    if may_open && c.prefixes.iter().any(|p| key.starts_with(p.as_str())) {
        e.add(w.prefix, "opens like a widget");
    }
    if breadcrumb(key, lex) {
        e.add(w.breadcrumb, "a breadcrumb");
    }
    if line.chars <= lim.medium_chars && lex.counters.is_match(key) {
        e.add(w.counter, "a counter");
    }
    if lex.journal.is_match(key) || line.chars <= 30 && lex.issues.is_match(key) {
        e.add(w.journal_id, "a journal's identifier or an e-paper page");
    }
    if contact(key, lex) {
        e.add(w.contact, "contact details");
    }
    if is_url(key) {
        e.add(w.url, "a link");
    }
    if menu(key, lex) {
        e.add(w.menu, "a menu");
    }
    if line.chars <= lim.medium_chars && lex.chrome_words.is_match(key) {
        let weight = if line.chars <= lim.short_chars { w.word_short } else { w.word_medium };
        e.add(weight, "a widget word");
    }
    if line.chars <= lim.short_chars && key.trim_end().ends_with(['→', '➜', '▶', '»', '>']) {
        e.add(w.word_short, "points elsewhere");
    }
    if !key.chars().any(|c| is_han(c) || c.is_ascii_alphanumeric()) && line.chars <= 3 {
        e.add(w.whole_line, "no words");
    }
    if line.chars <= 400 && lex.promo.is_match(key) {
        e.add(w.prefix, "a disclaimer or promotion");
    }
    let widget_prefix = e.reasons.iter().any(|r| matches!(*r, "opens like a widget" | "a disclaimer or promotion"));
    if prose(&line.text) && !widget_prefix {
        e.add(w.prose, "reads like a sentence");
    }
    if line.chars > lim.medium_chars && !widget_prefix && line.has_han() {
        e.add(w.long_line, "long");
    }
    e
}

/// A bullet at the start of the line, removed.
fn strip_bullet<'a>(key: &'a str, lex: &Compiled) -> &'a str {
    for b in &lex.words.chrome.bullets {
        if let Some(rest) = key.strip_prefix(b.as_str()) {
            if rest.starts_with(' ') || b.chars().all(|c| !c.is_ascii()) {
                return rest.trim_start();
            }
        }
    }
    key
}

/// The line opens with a bullet.
pub fn bulleted(key: &str, lex: &Compiled) -> bool {
    strip_bullet(key.trim(), lex).len() < key.trim().len()
}

/// Ends like a sentence or holds one: body text.
pub fn prose(text: &str) -> bool {
    let t = text.trim_end_matches(['”', '"', '’', '）', ')', '」', '』']);
    t.ends_with(['。', '！', '？', '…']) || (t.contains('。') && t.chars().count() > 20)
}

fn breadcrumb(key: &str, lex: &Compiled) -> bool {
    let c = &lex.words.chrome;
    let opener = c.breadcrumb_openers.iter().any(|o| {
        key.strip_prefix(o.as_str()).is_some_and(|r| {
            r.trim_start().starts_with(':') || r.trim_start().starts_with(c.breadcrumb_roots[0].as_str())
        })
    });
    if opener {
        return true;
    }
    // `首页 > 新闻 > 大陆`, `首页-科研成果`: a home word, then steps between separators.
    let root = c.breadcrumb_roots.iter().find(|r| key.starts_with(r.as_str()));
    let Some(root) = root else { return false };
    let rest = key[root.len()..].trim_start();
    let arrow = [">", "》", "›", "»", "→", "-", "/", "|"].iter().any(|s| rest.starts_with(s));
    let steps = key.split(['>', '›', '»', '→']).count();
    (arrow || steps >= 3) && key.chars().count() <= 80
}

fn contact(key: &str, lex: &Compiled) -> bool {
    let c = &lex.words.chrome;
    let keyed =
        c.contact_keys.iter().any(|k| key.strip_prefix(k.as_str()).is_some_and(|r| r.trim_start().starts_with(':')));
    let email = key.contains('@') && key.contains('.');
    let digits = || key.chars().filter(char::is_ascii_digit).count();
    keyed && key.chars().count() <= 60 || email || (keyed && digits() >= 7)
}

fn is_url(key: &str) -> bool {
    let k = key.trim();
    (k.starts_with("http://") || k.starts_with("https://") || k.starts_with("www.")) && !k.contains(' ')
}

/// Several short items between separators (`社會觀察 . 獨立評論 . 多元觀點`,
/// `返回目录    放大 缩小 全文复制     上一篇`).
fn menu(key: &str, lex: &Compiled) -> bool {
    // Items are set apart by spaces: most lines have none.
    if key.contains(['。', ',', '，']) || !key.contains(' ') {
        return false;
    }
    let lim = lex.words.chrome.limits;
    let spaced = key.contains("  ") || lex.spaced_separators.iter().any(|s| key.contains(s.as_str()));
    if !spaced {
        return false;
    }
    let mut items =
        key.split(|c: char| c.is_whitespace() || lex.separator_chars.contains(&c)).filter(|t| !t.is_empty());
    let mut n = 0;
    items.all(|t| {
        n += 1;
        t.chars().count() <= lim.menu_item_chars
    }) && n >= lim.menu_items
}

/// Per page: which lines are chrome. `roles[i]` says what the rest of the
/// reader made of line `i`; `repeated` holds lines seen on most pages of the
/// compilation; `title` is the page's title line when known.
pub fn page_chrome(
    lines: &[Line],
    roles: &[Role],
    repeated: &BTreeSet<String>,
    lex: &Compiled,
) -> Vec<Option<Evidence>> {
    let c = &lex.words.chrome;
    let w = c.weights;
    let lim = c.limits;
    let n = lines.len();
    let mut ev: Vec<Evidence> = lines.iter().map(|l| own_evidence(l, lex)).collect();
    let own_scores: Vec<i32> = ev.iter().map(|e| e.score).collect();

    // Repeated on most pages of the compilation.
    for (i, l) in lines.iter().enumerate() {
        if repeated.contains(&l.key) {
            ev[i].add(w.repeated, "on most pages");
        }
    }

    // Lines chrome whatever else they are (the dated items of a list of links).
    let mut forced = vec![false; n];

    // Runs of bulleted short lines: menus and lists of links.
    let first_prose = roles.iter().position(|r| *r == Role::Prose).unwrap_or(n);
    let last_prose = roles.iter().rposition(|r| *r == Role::Prose).map_or(0, |p| p + 1);
    let mut i = 0;
    while i < n {
        let item = |j: usize| bulleted(&lines[j].key, lex) && lines[j].chars <= lim.list_item_chars;
        if !item(i) {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && item(i) {
            i += 1;
        }
        if i - start >= lim.list_run {
            let before = start < first_prose;
            // A list of fields (`• 时间:…`, `• 点击:…`) keeps its date; a list of
            // links keeps nothing, dated items included.
            let fields = (start..i).all(|j| roles[j] == Role::Informative || lines[j].key.contains(':'));
            for j in start..i {
                ev[j].add(if before { w.list_run_before_title } else { w.list_run }, "one of a list of links");
                let short_of = w.threshold - ev[j].score;
                if !fields && short_of > 0 {
                    ev[j].add(short_of, "one of a list of links");
                }
                forced[j] = !fields;
            }
        }
    }

    // Under a header of related links, the headline-like lines are links.
    let mut i = 0;
    while i < n {
        let header = {
            let k = strip_bullet(lines[i].key.trim(), lex).trim_end_matches([':', ' ']);
            c.related_headers.iter().any(|h| h == k)
        };
        i += 1;
        // Only below the article's text: at the top, what follows may be the title.
        if header && i > first_prose {
            while i < n
                && roles[i] == Role::Other
                && lines[i].chars <= lim.list_item_chars * 3 / 2
                && !prose(&lines[i].text)
            {
                ev[i].add(w.list_run, "one of a list of links");
                ev[i].add(w.list_run, "under a header of related links");
                i += 1;
            }
        }
    }

    // Teasers: a run of lines repeated further down the page.
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, l) in lines.iter().enumerate().rev() {
        if l.chars >= 4 {
            if let Some(&later) = seen.get(l.key.as_str()) {
                let next_too = i + 1 < n && later + 1 < n && lines[i + 1].key == lines[later + 1].key;
                let prev_too = i > 0 && later > 0 && lines[i - 1].key == lines[later - 1].key;
                if next_too || prev_too {
                    ev[i].add(w.duplicate_block, "repeated further down the page");
                }
            }
            seen.insert(&l.key, i);
        }
    }

    // Place on the page: outside the article's text, short lines without
    // Chinese and site names at the very top lean towards chrome.
    for (i, l) in lines.iter().enumerate() {
        let edge = i < first_prose || i >= last_prose;
        if !edge || roles[i] != Role::Other {
            continue;
        }
        // A numbering alone (`I.`) heads the first section.
        if lex.numbering.is_match(&l.key) {
            continue;
        }
        // Latin text counts letters, so a line without Chinese may be longer.
        let han = l.has_han();
        let room = if !han { lim.medium_chars * 2 } else { lim.medium_chars };
        if l.chars <= room {
            ev[i].add(w.edge, "outside the article");
        }
        if !han && l.chars <= lim.medium_chars * 2 {
            ev[i].add(w.no_han, "no Chinese");
        }
        if i == 0 && l.chars <= 12 && c.site_name_endings.iter().any(|s| l.key.ends_with(s.as_str())) {
            ev[i].add(w.site_name, "a site's name");
        }
    }

    // Above the title: when a heading-like line stands right over the page's
    // first meta line (a date, a byline), the short lines above it are the
    // page's, not the article's.
    if let Some(m) = roles[..first_prose].iter().position(|r| *r == Role::Informative) {
        // The title: the nearest line above that is not chrome by itself.
        let title = (0..m).rev().find(|&t| ev[t].score < w.threshold);
        if let Some(t) =
            title.filter(|&t| t >= 1 && roles[t] == Role::Other && lines[t].chars <= lim.medium_chars * 3 / 2)
        {
            for i in 0..t {
                if roles[i] == Role::Other && lines[i].chars <= lim.short_chars {
                    ev[i].add(w.edge, "above the title");
                }
            }
        }
    }

    // Context: a short line between chrome lines is chrome, and so is one
    // between chrome and the page's edge (twice, so a pair of such lines is
    // caught too; each line gains this once).
    let is_chrome = |e: &Evidence, i: usize| e.score >= w.threshold && (roles[i] != Role::Informative || forced[i]);
    let mut smoothed = vec![false; n];
    for _ in 0..2 {
        let verdict: Vec<bool> = ev.iter().enumerate().map(|(i, e)| is_chrome(e, i)).collect();
        for i in 0..n {
            if verdict[i] || smoothed[i] || roles[i] != Role::Other || lines[i].chars > lim.short_chars {
                continue;
            }
            let prev = i.checked_sub(1).map(|j| verdict[j]);
            let next = (i + 1 < n).then(|| verdict[i + 1]);
            // At the page's edge, a line needs some evidence of its own too.
            let own = own_scores[i] > 0;
            let between = prev == Some(true) && next == Some(true);
            let top = own && prev.is_none() && next == Some(true) && i < first_prose;
            let bottom = own && next.is_none() && prev == Some(true) && i >= last_prose;
            if between || top || bottom {
                ev[i].add(w.between_chrome, "between chrome lines");
                smoothed[i] = true;
            } else if i >= first_prose
                && ev[i].score >= 2
                && (prev == Some(true) || next == Some(true))
                && (i + 1 >= n || roles[i + 1] != Role::Prose)
            {
                // A widget's words next to a widget, in the page's body (a
                // follow prompt of several lines); never above the title.
                ev[i].add(w.next_to_chrome, "next to chrome");
                smoothed[i] = true;
            }
        }
    }
    // Inside the article's text, between two sentences, lines that are chrome
    // by their form alone (a rule `---`, items between bars) are the author's.
    let verdict: Vec<bool> = ev.iter().enumerate().map(|(i, e)| is_chrome(e, i)).collect();
    let form_only: Vec<bool> = ev
        .iter()
        .enumerate()
        .map(|(i, e)| verdict[i] && !forced[i] && e.reasons.iter().all(|r| c.form_only_reasons.iter().any(|x| x == r)))
        .collect();
    let kept_prose = |j: usize| roles[j] == Role::Prose && !verdict[j];
    let mut keep = vec![false; n];
    let mut i = 0;
    while i < n {
        if !form_only[i] {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && form_only[i] {
            i += 1;
        }
        if start > 0 && i < n && kept_prose(start - 1) && kept_prose(i) {
            keep[start..i].fill(true);
        }
    }
    ev.into_iter()
        .enumerate()
        .map(|(i, mut e)| {
            e.closing = e.reasons.iter().any(|r| c.closing_reasons.iter().any(|x| x == r));
            (verdict[i] && !keep[i]).then_some(e)
        })
        .collect()
}

/// Lines found on at least the lexicon's share of a compilation's pages
/// (and on three or more): the site's own chrome.
pub fn repeated_lines<'a>(pages: impl IntoIterator<Item = &'a [Line]>, lex: &Compiled) -> BTreeSet<String> {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    let mut pages_n = 0;
    for page in pages {
        pages_n += 1;
        let distinct: BTreeSet<&str> = page.iter().filter(|l| l.chars >= 2).map(|l| l.key.as_str()).collect();
        for k in distinct {
            *count.entry(k).or_default() += 1;
        }
    }
    let share = lex.words.chrome.limits.repeated_share;
    count
        .into_iter()
        .filter(|&(_, c)| c >= 3 && c as f64 >= share * pages_n as f64)
        .map(|(k, _)| k.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;
    use crate::read::lexicon::builtin;

    fn line(t: &str) -> Line {
        Line::new(t, Origin { file: "t.txt".into(), line: 1 }, 4)
    }

    fn score(t: &str) -> i32 {
        own_evidence(&line(t), &builtin()).score
    }

    /// Chrome lines of real pages (tests/data/sites), each on its own evidence.
    #[test]
    fn chrome_by_its_form() {
        let threshold = builtin().words.chrome.weights.threshold;
        for t in [
            "您现在的位置:首页 > 党政新闻 > 党史研究",
            "当前位置:主页 > 心得体会 > 工作心得体会 >",
            "联系我们",
            "手机:15592969918",
            "邮箱:22912923@qq.com",
            "推荐阅读:随着团省委“传承五四报国志、落实科学发展观”三下乡活动的启动,我们化学化工学院的服务分队出发。",
            "返回目录    放大 缩小 全文复制     上一篇",
            "共 9926字,需浏览 20分钟",
            "全文6738字,阅读约17分钟",
            "image",
            "查看原文",
            "Photo by Luke Porter on Unsplash.",
            "ISSN 1008-2204",
            "CN 11-3979/C",
            "详细信息",
            "点击标题下方蓝字 关注+星标 “Political理论志”",
            "社會觀察 . 獨立評論 . 多元觀點 . 公共書寫 . 世代翻轉",
            "- 相關推薦",
            "分享到 :",
            "第10版:评论",
        ] {
            assert!(score(t) >= threshold, "{t}: {}", score(t));
        }
        for t in [
            "通勤圈是构建现代化首都都市圈的先行力量",
            "分享经济的未来",
            "如何理解低代码?",
            "随着京津冀交通一体化加快实现,北京与周边地区交通可达性与便捷程度得到明显改善。",
            "一、根据不同阶段党的事业的需要不断加强对党的纪律建设重要性的认识",
        ] {
            assert!(score(t) < threshold, "{t}: {}", score(t));
        }
    }
}
