//! Meta lines: fields under known keys (`发布时间:…`, `来源:…`, `作者:…`),
//! dates, an author blurb in brackets, a name after a position or run into a
//! date — and little else; a line with sentences left over is no meta line.

use std::sync::LazyLock;

use regex::Regex;

use super::META_MAX;
use crate::lang::chars::{is_han, visible_len_over};
use crate::lang::dates::{find_dates, FoundDate};
use crate::lang::names::{self, Position};
use crate::read::lexicon::{Compiled, MetaKey};

/// The fields of a meta line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetaLine {
    /// The first date: ISO and as written.
    pub date: Option<(String, String)>,
    /// Names under an author key (`作者:`, `文/`, `记者`), or run into a date.
    pub authors: Vec<String>,
    /// The key that gave the authors (`作者`, `撰稿`, `图文`…).
    pub author_key: Option<String>,
    /// A blurb in brackets (`(作者為台大教授、出版中心主任)`).
    pub blurb: Option<String>,
    /// Fields that name no author and no date (source, editor, counters).
    pub other_fields: usize,
}

impl MetaLine {
    /// The line gives the article something (a date, authors, a blurb).
    pub fn informative(&self) -> bool {
        self.date.is_some() || !self.authors.is_empty() || self.blurb.is_some()
    }
}

/// `(作者系…)`: group 1 the blurb, group 2 what follows `作者系`, which
/// [`blurb_in_brackets`] takes at 2 to [`BLURB_IN_BRACKETS_CHARS`] characters.
/// (Bounding the class in the pattern, `[^()]{2,80}`, would compile 80
/// copies of a class of nearly all of Unicode: 1 ms, against 0.1.)
static BLURB_IN_BRACKETS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\((作者(?:系|为|為|是|现为|現為)([^()]+))\)").expect("a literal pattern compiles"));
const BLURB_IN_BRACKETS_CHARS: std::ops::RangeInclusive<usize> = 2..=80;

/// The first `(作者系…)` of `key` whose blurb is of a blurb's length.
fn blurb_in_brackets(key: &str) -> Option<regex::Captures<'_>> {
    // The pattern opens with `(作者`: most lines need not be searched.
    if !key.contains("(作者") {
        return None;
    }
    // A bracket holds no bracket, so no match starts inside a longer one
    // skipped here: these are the matches of the bounded pattern.
    BLURB_IN_BRACKETS.captures_iter(key).find(|c| BLURB_IN_BRACKETS_CHARS.contains(&c[2].chars().count()))
}
static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)(?:https?://|www\.)[\w./?=&%#:-]+|[\w.-]+\.(?:com|cn|net|org|gov|edu)(?:\.cn)?\b")
        .expect("a literal pattern compiles")
});
static BOOK_TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"《[^《》]{1,30}》").expect("a literal pattern compiles"));
static EPAPER_PAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"第\s*\d+\s*版").expect("a literal pattern compiles"));

/// Reads `line` (its matching form `key`) as a meta line: fields under
/// known keys, dates, and little else. `None` when it is anything else.
pub fn meta_line(text: &str, key: &str, lex: &Compiled) -> Option<MetaLine> {
    let limit = lex.words.meta.max_leftover_chars;
    if visible_len_over(key, META_MAX) {
        return None;
    }
    let mut meta = MetaLine::default();
    // Dates are read from the text as written, so `date_text` keeps it.
    let dates = find_dates(text);
    if let Some(d) = dates.first() {
        meta.date = Some((d.iso.clone(), text[d.date.clone()].to_string()));
    }
    // The key is the text with punctuation folded: where folding changed
    // nothing, its dates are the text's.
    let key_dates = if key == text { dates.clone() } else { find_dates(key) };
    let mut rest = key.to_string();
    blank_out(&mut rest, key_dates.iter().map(|d: &FoundDate| d.whole.clone()));
    if let Some(c) = blurb_in_brackets(&rest) {
        meta.blurb = Some(text_of(text, &c[1]));
        let r = c.get(0).expect("whole").range();
        blank_out(&mut rest, [r]);
    }
    // Every link holds `://` or a dot: most lines need not be searched.
    if key.contains('.') || key.contains("://") {
        blank_out(&mut rest, URL.find_iter(key).map(|m| m.range()));
    }
    // Each counter in turn, on what the ones before it left; the set says
    // which can match there (most lines hold none), so only their own
    // automata are built and run.
    let any_counter = lex.counters.is_match(&rest);
    for i in (0..lex.counters.len()).filter(|_| any_counter) {
        if !lex.counters.matches_at(i, &rest) {
            continue;
        }
        let re = lex.counters.pattern(i);
        let ranges: Vec<_> = re.find_iter(&rest).map(|m| m.range()).collect();
        meta.other_fields += ranges.len();
        blank_out(&mut rest, ranges);
    }

    // Fields: a key, a separator, a value up to the next key.
    let fields = find_keys(&rest, lex);
    let mut leftover = String::new();
    let mut last = 0;
    for (i, f) in fields.iter().enumerate() {
        leftover.push_str(&rest[last..f.start]);
        let value_end = fields.get(i + 1).map_or(rest.len(), |n| n.start);
        let value = rest[f.value..value_end].trim_matches(|c: char| c.is_whitespace() || "|,;•·".contains(c));
        match f.kind {
            MetaKey::Author => {
                // The whole value as names, else the names before a wide gap
                // (`熊家余 谢慧敏   点击:`).
                let whole = names::parse_byline(value, Position::BeforeDate).map(|n| (n, ""));
                let found = whole.or_else(|| {
                    let (names_part, tail) = split_value(value);
                    names::parse_byline(names_part, Position::BeforeDate).map(|n| (n, tail))
                });
                let (mut found, tail) = match found {
                    Some((n, tail)) => (Some(n), tail),
                    None => (None, ""),
                };
                // `作者:戴军中央纪委宣传部`: a name run into its unit.
                if found.is_none() {
                    // The unit stays with the byline, as written on the page.
                    if let Some((name, _unit)) = name_and_unit(value, lex) {
                        found = Some(vec![name]);
                    }
                }
                match found {
                    // `记者 张三 通讯员 李四`: every author key adds its names.
                    Some(found) => {
                        for n in found {
                            if !meta.authors.contains(&n) {
                                meta.authors.push(n);
                            }
                        }
                        meta.author_key.get_or_insert_with(|| f.key.clone());
                    }
                    // A key with nothing usable after it (`作者:` then a unit) is text.
                    None if value.is_empty() => {}
                    None => leftover.push_str(value),
                }
                leftover.push_str(tail);
            }
            // The date itself was taken out above; what stays is filler or text.
            MetaKey::Date => leftover.push_str(value),
            // A source or an editor is a short value; a long one is text.
            MetaKey::Other if visible_len_over(value, limit * 2) || value.contains(['。', '，', '!', '?']) => {
                leftover.push_str(value)
            }
            MetaKey::Other => meta.other_fields += 1,
        }
        last = value_end;
    }
    leftover.push_str(&rest[last..]);
    if meta.date.is_none() && fields.is_empty() && meta.blurb.is_none() && meta.other_fields == 0 {
        return None;
    }

    // What is left must be short: a source, a place, a column, filler —
    // never sentences.
    if leftover.contains(['。', '！', '？', ';', '；']) || leftover.matches(',').count() >= 2 {
        return None;
    }
    let mut tokens: Vec<String> = tokens_of(&leftover, lex);
    // `复旦大学新闻学院院长、教授 张涛甫 《人民日报》(…第 10 版)`: a name after a position.
    if meta.authors.is_empty() && tokens.iter().any(|t| visible_len_over(t, limit)) {
        let mut i = 1;
        while i < tokens.len() {
            let ends_position = lex.words.byline.position_endings.iter().any(|p| tokens[i - 1].ends_with(p.as_str()));
            if ends_position {
                if let Some(found) = names::parse_byline(&tokens[i], Position::Anywhere) {
                    meta.authors = found;
                    tokens.drain(i - 1..=i);
                    break;
                }
            }
            i += 1;
        }
    }
    // A date and a name run together (`2019-08-03黄俊尧`, `2023-02-07 20:09宋哲仁`).
    if meta.authors.is_empty() && meta.date.is_some() && fields.is_empty() && tokens.len() == 1 {
        if let Some(found) = names::parse_byline(&tokens[0], Position::AfterTitle) {
            meta.authors = found;
            tokens.clear();
        }
    }
    // `2021-11-15 00:00 聯合報 / 張俊哲`: one name among a date and a source.
    if meta.authors.is_empty() && meta.date.is_some() && tokens.len() >= 2 {
        let named: Vec<usize> = (0..tokens.len()).filter(|&i| names::is_name(&tokens[i], true)).collect();
        if let [i] = named[..] {
            meta.authors = vec![tokens.remove(i)];
        }
    }
    if tokens.iter().any(|t| visible_len_over(t, limit)) {
        return None;
    }
    Some(meta)
}

/// `戴军中央纪委宣传部`: a name (known surname) run into the unit after it.
fn name_and_unit(value: &str, lex: &Compiled) -> Option<(String, String)> {
    let v = value.trim().trim_end_matches([')', '）']);
    // Where the unit's name plainly begins, cut there; else prefer three characters.
    let opener = |n: usize| {
        let unit: String = v.chars().skip(n).collect();
        lex.words.blurb.unit_openers.iter().any(|o| unit.starts_with(o.as_str()))
    };
    let order = if opener(2) && !opener(3) { [2, 3] } else { [3, 2] };
    for n in order {
        let name: String = v.chars().take(n).collect();
        let unit: String = v.chars().skip(n).collect();
        let described = lex
            .words
            .blurb
            .institution_words
            .iter()
            .chain(&lex.words.byline.position_endings)
            .any(|w| unit.contains(w.as_str()))
            || ["中央", "省委", "市委", "县委", "部", "局", "厅", "委", "院", "所"].iter().any(|w| unit.ends_with(w));
        if names::is_name(&name, true) && visible_len_over(&unit, 2) && described {
            return Some((name, unit.trim().to_string()));
        }
    }
    None
}

/// A key found in a line: its kind, where the value starts.
struct Field {
    kind: MetaKey,
    key: String,
    start: usize,
    value: usize,
}

/// Meta keys followed by a separator (`作者:`, `文/`, `来源 :`, `By `),
/// longest key first at each position. A one-character key needs a boundary
/// before it, so `论文:` is not `文:`.
fn find_keys(s: &str, lex: &Compiled) -> Vec<Field> {
    let mut out = Vec::new();
    // Every field has a separator, a space or a closing bracket right after
    // its key: a line with none of them (most lines) has no field.
    if !s.contains([':', '/', '|', ' ', '\u{3000}', ']', '】']) {
        return out;
    }
    // Only where some key starts can a field start: every key found there
    // (its index in `meta_keys`, the order they are tried in), by position.
    let mut found: Vec<(usize, usize)> =
        lex.meta_key_starts().find_overlapping_iter(s).map(|m| (m.start(), m.pattern().as_usize())).collect();
    found.sort_unstable();
    let mut next = found.as_slice();
    let mut i = 0;
    while i < s.len() {
        next = &next[next.partition_point(|&(st, _)| st < i)..];
        let Some(&(st, _)) = next.first() else { break };
        i = st;
        let here_keys = &next[..next.partition_point(|&(at, _)| at == st)];
        let here = &s[i..];
        let boundary = s[..i].chars().next_back().is_none_or(|c| !is_han(c) && !c.is_ascii_alphanumeric());
        let hit = here_keys.iter().find_map(|&(_, key)| {
            let (k, kind) = &lex.meta_keys[key];
            let after = here.strip_prefix(k.as_str())?;
            if k.chars().count() == 1 && !boundary {
                return None;
            }
            // `【作者】张三`, `[来源]…`: a key in brackets needs no colon.
            let bracketed = s[..i].ends_with(['【', '[']) && after.starts_with(['】', ']']);
            let after = if bracketed { &after[after.chars().next().map_or(0, char::len_utf8)..] } else { after };
            let trimmed = after.trim_start_matches([' ', '\u{3000}']);
            let sep = trimmed.chars().next()?;
            let latin = k.is_ascii();
            if bracketed {
                let value = s.len() - trimmed.len();
                let open = s[..i].chars().next_back().map_or(0, char::len_utf8);
                Some(Field { kind: *kind, key: k.clone(), start: i - open, value })
            } else if matches!(sep, ':' | '/' | '|') {
                let value = s.len() - trimmed.len() + sep.len_utf8();
                Some(Field { kind: *kind, key: k.clone(), start: i, value })
            } else if latin && after.starts_with(' ') && boundary {
                Some(Field { kind: *kind, key: k.clone(), start: i, value: s.len() - trimmed.len() })
            } else if *kind == MetaKey::Author && k.chars().count() >= 2 && after.starts_with([' ', '\u{3000}']) {
                // `记者 张三`, `本报记者 李四`
                Some(Field { kind: *kind, key: k.clone(), start: i, value: s.len() - trimmed.len() })
            } else {
                None
            }
        });
        match hit {
            Some(f) => {
                i = f.value;
                out.push(f);
            }
            None => i += here.chars().next().map_or(1, char::len_utf8),
        }
    }
    out
}

/// A field's value up to the first wide gap: names, then whatever follows
/// (`熊家余 谢慧敏   点击:` → names, rest).
fn split_value(value: &str) -> (&str, &str) {
    match value.find("  ").or_else(|| value.find('\u{3000}')) {
        Some(i) => (value[..i].trim(), &value[i..]),
        None => (value.trim(), ""),
    }
}

/// The leftover's words: filler, bullets, separators, e-paper page numbers
/// and publication names in `《》` dropped.
fn tokens_of(leftover: &str, lex: &Compiled) -> Vec<String> {
    // Each pattern needs its characters (`第`…`版`, `《`): most leftovers have none.
    let cleaned = if leftover.contains('版') {
        EPAPER_PAGE.replace_all(leftover, " ")
    } else {
        std::borrow::Cow::Borrowed(leftover)
    };
    let cleaned = if cleaned.contains('《') {
        std::borrow::Cow::Owned(BOOK_TITLE.replace_all(&cleaned, " ").into_owned())
    } else {
        cleaned
    };
    cleaned
        .split(|c: char| c.is_whitespace() || "|/•·()[]【】,:".contains(c))
        .map(|t| t.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|t| !t.is_empty())
        .filter(|t| !lex.words.meta.filler.iter().any(|f| f == t))
        .filter(|t| !t.chars().all(|c| c.is_ascii_digit()))
        .map(String::from)
        .collect()
}

/// Replaces the byte ranges of `out` with spaces, in place (ranges may be unsorted).
fn blank_out(out: &mut String, ranges: impl IntoIterator<Item = std::ops::Range<usize>>) {
    for r in ranges {
        if r.end <= out.len() && out.is_char_boundary(r.start) && out.is_char_boundary(r.end) {
            out.replace_range(r.clone(), &" ".repeat(r.len()));
        }
    }
}

/// The text of `key_part` as written in `text` (the key form folds
/// punctuation; the original keeps it).
fn text_of(text: &str, key_part: &str) -> String {
    let folded_first: String = key_part.chars().take(4).collect();
    let start = text
        .char_indices()
        .map(|(i, _)| i)
        .find(|&i| crate::lang::chars::fold(&text[i..]).starts_with(&folded_first))
        .unwrap_or(0);
    let n = key_part.chars().count();
    text[start..].chars().take(n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::lexicon::builtin;
    use crate::read::line::key_of;

    fn meta(line: &str) -> Option<MetaLine> {
        meta_line(line, &key_of(line), &builtin())
    }

    #[test]
    fn blurbs_in_brackets_are_of_a_blurbs_length() {
        let first = |key: &str| blurb_in_brackets(key).map(|c| c[1].to_string());
        assert_eq!(first("张三(作者系中央党校教授)").as_deref(), Some("作者系中央党校教授"));
        // Too short, then too long: the next bracket is read.
        assert_eq!(first("(作者系甲)(作者为北京大学教授)").as_deref(), Some("作者为北京大学教授"));
        let long = format!("(作者系{})(作者是河北大学讲师)", "长".repeat(81));
        assert_eq!(first(&long).as_deref(), Some("作者是河北大学讲师"));
        assert_eq!(first(&format!("(作者系{})", "长".repeat(80))).map(|b| b.chars().count()), Some(83));
    }

    proptest::proptest! {
        /// The length checked in code is the one the pattern once bounded.
        #[test]
        fn blurb_in_brackets_is_the_bounded_pattern(key in "([甲乙(（)]|作者系|作者为|甲{30}){0,40}") {
            let bounded = Regex::new(r"\((作者(?:系|为|為|是|现为|現為)[^()]{2,80})\)").unwrap();
            let expected = bounded.captures(&key).map(|c| c[1].to_string());
            proptest::prop_assert_eq!(blurb_in_brackets(&key).map(|c| c[1].to_string()), expected);
        }
    }

    /// Meta lines from real pages (tests/data/sites).
    #[test]
    fn meta_lines() {
        let m = meta("2009-06-17 09:09:45   来源: 湖北日报   作者:熊家余 谢慧敏   点击:").unwrap();
        assert_eq!(m.date.unwrap().0, "2009-06-17");
        assert_eq!(m.authors, ["熊家余", "谢慧敏"]);
        let m = meta("发布时间: 2025-06-27      访问次数: 80").unwrap();
        assert_eq!(m.date.unwrap().0, "2025-06-27");
        let m = meta("发布人: 谜语网 发布时间:2015-07-16 字体: | | 打印文章").unwrap();
        assert_eq!((m.date.unwrap().0.as_str(), m.authors.len()), ("2015-07-16", 0));
        let m = meta("来源:浙江大学学报作者:作者:吴金群").unwrap();
        assert_eq!(m.authors, ["吴金群"]);
        let m = meta("作者:羅平漢    發(fā)布時(shí)間:2024-04-10    來(lái)源:光明日?qǐng)?bào)").unwrap();
        assert_eq!((m.authors.as_slice(), m.date.unwrap().0.as_str()), (&["羅平漢".to_string()][..], "2024-04-10"));
        let m = meta("2021-11-15 00:00 聯合報 / 張俊哲(作者為台大教授、出版中心主任)").unwrap();
        assert_eq!(m.blurb.as_deref(), Some("作者為台大教授、出版中心主任"));
        let m = meta("复旦大学新闻学院院长、教授 张涛甫 《人民日报》(2024年12月06日 第 10 版)").unwrap();
        assert_eq!((m.authors.as_slice(), m.date.unwrap().0.as_str()), (&["张涛甫".to_string()][..], "2024-12-06"));
        let m = meta("2023-02-07 20:09宋哲仁").unwrap();
        assert_eq!(m.authors, ["宋哲仁"]);
        let m = meta("株洲 湘江 茶陵 長春暴雨 民主 株洲日報 2019-07-29").unwrap();
        assert_eq!(m.date.unwrap().0, "2019-07-29");
        let m = meta("文章转载自:ThoughtWorks洞见 作者:汪志成").unwrap();
        assert_eq!(m.authors, ["汪志成"]);
        let m = meta("• 点击:646").unwrap();
        assert!(!m.informative() && m.other_fields > 0);
        let m = meta("编辑/吴璇").unwrap();
        assert!(!m.informative());
        assert_eq!(meta("撰稿/陈衡毅;图片/马超、陈孝东;审核/顾金媛").unwrap().authors, ["陈衡毅"]);
        // Forms common on news sites.
        assert_eq!(meta("【作者】张三 【来源】人民日报").unwrap().authors, ["张三"]);
        assert_eq!(meta("记者 张三 通讯员 李四").unwrap().authors, ["张三", "李四"]);
        // Prose with a date is not a meta line.
        assert_eq!(meta("2022年7月26日，习近平总书记在省部级主要领导干部专题研讨班上发表重要讲话。"), None);
        assert_eq!(meta("通勤圈是构建现代化首都都市圈的先行力量"), None);
    }
}
