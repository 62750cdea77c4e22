//! A line's own evidence of being chrome, from its form alone: widget and
//! menu words, breadcrumbs, counters, journal identifiers, contact details,
//! links, menus, bullets, anti-scrape junk; and whether it reads like prose.

use super::Evidence;
use crate::lang::chars::is_han;
use crate::read::lexicon::Compiled;
use crate::read::line::Line;

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
    if line.chars <= lim.medium_chars && lex.chrome_words().is_match(key) {
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
pub(super) fn strip_bullet<'a>(key: &'a str, lex: &Compiled) -> &'a str {
    if lex.bullet_firsts.as_ref().is_some_and(|f| key.chars().next().is_none_or(|c| !f.contains(&c))) {
        return key;
    }
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

    #[test]
    fn bullets_are_stripped_and_other_lines_kept_whole() {
        let lex = builtin();
        assert_eq!(strip_bullet("• 学校召开党委理论学习中心组学习会", &lex), "学校召开党委理论学习中心组学习会");
        assert_eq!(strip_bullet("★长篇报道", &lex), "长篇报道");
        assert_eq!(strip_bullet("- 首页", &lex), "首页");
        assert_eq!(strip_bullet("-2019年", &lex), "-2019年", "an ASCII bullet needs a space after it");
        assert_eq!(strip_bullet("学校召开党委理论学习中心组学习会", &lex), "学校召开党委理论学习中心组学习会");
        assert_eq!(strip_bullet("", &lex), "");
        assert!(bulleted("◆ 相关阅读", &lex) && !bulleted("相关阅读", &lex));
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
