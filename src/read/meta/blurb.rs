//! Lines that tell about the author or the paper beside its text: an author
//! blurb (`(作者简介:…)`, `（作者系…）`, `作者简介:` alone), a bio without a
//! label, an affiliation under a byline (`(上海大学马克思主义学院 上海
//! 200444)`), front matter (`摘要:…`, `【关键词】…`, `摘 要` alone), and the
//! label and bracket forms they share.

use super::{BIO_MAX, BLURB_MAX};
use crate::lang::chars::visible_len_over;
use crate::lang::names;
use crate::model::FrontKind;
use crate::read::lexicon::Compiled;
use crate::read::line::Line;

/// An author blurb on one line: (label, text).
pub fn blurb_line(line: &Line, lex: &Compiled) -> Option<(String, String)> {
    let (text, key) = (line.text.as_str(), line.key.as_str());
    if line.chars > BLURB_MAX {
        return None;
    }
    let (inner, inner_text) = unwrap_brackets(key, text);
    // `作者简介:…`, `【作者简介】…`
    for label in &lex.words.blurb.labels {
        if let Some(rest) = strip_label(inner, label) {
            let rest = rest.trim_start_matches([':', ' ']).trim();
            if rest.is_empty() {
                return None;
            }
            // `作者:张三` is a byline; `作者:张三,河北大学教授` describes the author.
            if label == "作者" && !describes(rest, lex) {
                return None;
            }
            let body = tail_of(inner_text, rest);
            return Some((label.clone(), body));
        }
    }
    // `(作者系…)`, `作者为…`
    for opener in &lex.words.blurb.openers {
        if inner.starts_with(opener.as_str()) && visible_len_over(inner, opener.chars().count() + 1) {
            let bracketed = inner.len() != key.len();
            if bracketed || describes(inner, lex) {
                return Some(("作者简介".to_string(), inner_text.trim().to_string()));
            }
        }
    }
    None
}

/// An author's biography without a label (`包艳华(1980—),女,河北赤城人,副教授`).
pub fn bio_line(line: &Line, lex: &Compiled) -> bool {
    line.chars <= BIO_MAX
        && lex.bios.matching(&line.key).into_iter().map(|i| lex.bios.pattern(i)).any(|re| {
            re.captures(&line.key).is_some_and(|c| c.name("name").is_some_and(|n| names::is_name(n.as_str(), true)))
        })
}

/// A blurb label alone on its line (`作者简介:`, `【作者简介】`).
pub fn blurb_label(key: &str, lex: &Compiled) -> Option<String> {
    let (inner, _) = unwrap_brackets(key.trim_end_matches([':', ' ']), key);
    let inner = inner.trim_end_matches([':', ' ']);
    lex.words.blurb.labels.iter().find(|l| *l == inner && l.as_str() != "作者").cloned()
}

/// `张三,河北大学教授`, `作者系…`: text that describes a person.
fn describes(s: &str, lex: &Compiled) -> bool {
    s.contains([',', '、', '，'])
        && lex
            .words
            .blurb
            .institution_words
            .iter()
            .chain(&lex.words.byline.position_endings)
            .any(|w| s.contains(w.as_str()))
        || s.starts_with("作者")
}

/// An affiliation line (`(内蒙古工业大学经济管理学院,呼和浩特,010051 )`,
/// `(1. 同济大学医学院,上海 200092; 2. …)`): institutions and postcodes,
/// usually in brackets. Only under a byline is it taken as a blurb.
pub fn affiliation(key: &str, lex: &Compiled) -> bool {
    let (inner, _) = unwrap_brackets(key, key);
    let bracketed = inner.len() < key.len();
    let institution = lex.words.blurb.institution_words.iter().any(|w| inner.contains(w.as_str()));
    let postcode = inner.split(|c: char| !c.is_ascii_digit()).any(|d| d.len() == 6);
    let prose = inner.contains(['。', '!', '?']);
    !visible_len_over(inner, 300) && institution && (bracketed || postcode) && !prose
}

/// Front matter: (kind, label, text on the line). `摘要:…`, `【摘要】…`,
/// `[关键词]…`, `摘要…` run into its text, or a label alone (text empty).
pub fn front_line(text: &str, key: &str, lex: &Compiled) -> Option<(FrontKind, String, String)> {
    let trimmed = key.trim_start_matches(['•', '·', ' ', '-']);
    let offset = key.len() - trimmed.len();
    let (open, close) = match trimmed.chars().next()? {
        '【' => ('【', '】'),
        '[' => ('[', ']'),
        '(' => ('(', ')'),
        _ => (' ', ' '),
    };
    let after_open = if open == ' ' { trimmed } else { &trimmed[open.len_utf8()..] };
    // A label's first character (spaces before it allowed) must open the line.
    if let Some(firsts) = &lex.front_firsts {
        let first = after_open.chars().find(|&c| c != ' ' && c != '\u{3000}');
        if !first.is_some_and(|c| firsts.contains(&c)) {
            return None;
        }
    }
    for (label, kind) in lex.words.front.labels() {
        let Some(end) = prefix_with_spaces(after_open, label) else { continue };
        let mut rest = &after_open[end..];
        if open != ' ' {
            rest = rest.trim_start().strip_prefix(close)?;
        }
        let sep = rest.trim_start();
        let has_sep = sep.starts_with(':');
        let rest = sep.trim_start_matches(':').trim();
        // A label run into text (`摘要大学排名自…`) only for the long labels of papers.
        let run_in = !has_sep && open == ' ' && !rest.is_empty() && !key[offset..].starts_with(' ');
        if run_in && (kind != FrontKind::Abstract || !visible_len_over(rest, 39) || rest.starts_with(['(', '《'])) {
            continue;
        }
        if !has_sep && open == ' ' && !rest.is_empty() && !run_in {
            continue;
        }
        let label_text = label.to_string();
        let body = if rest.is_empty() { String::new() } else { tail_of(text, rest) };
        return Some((kind, label_text, body));
    }
    None
}

/// Where `label` ends in `s` when `s` opens with it, spaces allowed between
/// its characters (`摘 要`, `关 键 词`).
fn prefix_with_spaces(s: &str, label: &str) -> Option<usize> {
    let mut chars = s.char_indices().peekable();
    for lc in label.chars() {
        if lc == ' ' {
            continue;
        }
        loop {
            let (_, c) = chars.next()?;
            if c == lc {
                break;
            }
            if c != ' ' && c != '\u{3000}' {
                return None;
            }
        }
    }
    Some(chars.peek().map_or(s.len(), |(i, _)| *i))
}

/// Whether a label sits at the start of `s` (brackets already removed).
fn strip_label<'a>(s: &'a str, label: &str) -> Option<&'a str> {
    let end = prefix_with_spaces(s, label)?;
    let rest = &s[end..];
    let rest = rest.trim_start_matches(['】', ']', ' ']);
    (rest.starts_with(':')
        || s[..end].chars().count() < s.chars().count() && s.starts_with(['【', '['])
        || rest.len() < s[end..].len())
    .then_some(rest)
}

/// The key without one pair of brackets around it, and the text likewise.
fn unwrap_brackets<'a>(key: &'a str, text: &'a str) -> (&'a str, &'a str) {
    let k = key.trim();
    let t = text.trim();
    for (o, c) in [('(', ')'), ('【', '】'), ('[', ']')] {
        if k.starts_with(o) && k.ends_with(c) && k.matches(o).count() == 1 {
            let (to, tc) = (t.chars().next().map_or(0, char::len_utf8), t.chars().last().map_or(0, char::len_utf8));
            return (&k[o.len_utf8()..k.len() - c.len_utf8()], t.get(to..t.len() - tc).unwrap_or(t));
        }
    }
    if let Some(rest) = k.strip_prefix('【') {
        if let Some(end) = rest.find('】') {
            let label = &rest[..end];
            if !label.is_empty() {
                return (k, t);
            }
        }
    }
    (k, t)
}

/// The part of `text` (as written) that `key_tail` (matching form) ends with.
fn tail_of(text: &str, key_tail: &str) -> String {
    let text = text.trim();
    let n = key_tail.trim_end().chars().count();
    let trailing = text.len() - text.trim_end().len();
    crate::read::line::text_tail(&text[..text.len() - trailing], n).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::lexicon::builtin;
    use crate::read::line::key_of;

    #[test]
    fn blurbs_and_affiliations() {
        let l = builtin();
        let b = |s: &str| blurb_line(&Line::new(s, crate::model::Origin { file: "t.txt".into(), line: 1 }, 4), &l);
        assert_eq!(
            b("(作者简介:张超,河北工业大学经济管理学院副教授)").unwrap().1,
            "张超,河北工业大学经济管理学院副教授"
        );
        assert_eq!(b("（作者系中央党校教授）").unwrap().1, "作者系中央党校教授");
        assert_eq!(b("作者:熊家余 谢慧敏"), None);
        assert_eq!(blurb_label(&key_of("作者简介:"), &l).as_deref(), Some("作者简介"));
        assert_eq!(blurb_label(&key_of("【作者简介】"), &l).as_deref(), Some("作者简介"));
        assert!(affiliation(&key_of("(内蒙古工业大学经济管理学院,呼和浩特,010051 )"), &l));
        assert!(affiliation(
            &key_of("(1. 同济大学医学院,上海 200092; 2. 同济大学电子与信息工程学院控制科学与工程系,上海 200092)"),
            &l
        ));
        assert!(!affiliation(&key_of("北京大学的学生们在操场上跑步。"), &l));
    }

    #[test]
    fn front_matter() {
        let l = builtin();
        let f = |s: &str| {
            front_line(s, &key_of(s), &l).map(|(k, label, text)| (k, label, text.chars().take(6).collect::<String>()))
        };
        assert_eq!(
            f("摘 要:邓小平在改革开放新时期中"),
            Some((FrontKind::Abstract, "摘要".into(), "邓小平在改革".into()))
        );
        assert_eq!(
            f("【关键词】 抑郁症; 大学生; 筛查; 预警"),
            Some((FrontKind::Keywords, "关键词".into(), "抑郁症; 大".into()))
        );
        assert_eq!(f("[中图分类号]TU984"), Some((FrontKind::Classification, "中图分类号".into(), "TU984".into())));
        assert_eq!(f("摘要"), Some((FrontKind::Abstract, "摘要".into(), String::new())));
        assert_eq!(f("基金项目:"), Some((FrontKind::Funding, "基金项目".into(), String::new())));
        assert_eq!(f("• 中图分类号: G649"), Some((FrontKind::Classification, "中图分类号".into(), "G649".into())));
        assert!(f("摘要大学排名自产生以来一直以来备受诟病,备受争议的背后实质上反映出社会公众在对待大学排名方面所体现出的一元、片面的认识").is_some());
        assert_eq!(f("提要求的同志要注意"), None);
        assert_eq!(f("导读书目"), None);
    }
}
