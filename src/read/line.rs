//! A line of a page as the reader sees it: its text with anti-scrape junk
//! cut off, where it came from, the form patterns are matched against, and
//! the measures every later step asks for.

use std::sync::LazyLock;

use regex::Regex;

use crate::lang::chars::{fold, is_han, visible_len};
use crate::model::Origin;

/// A content line of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The text as written, anti-scrape junk at either end cut off.
    pub text: String,
    /// The text for matching: full-width punctuation folded to ASCII and
    /// pinyin annotations (`發(fā)布`) removed. Never output.
    pub key: String,
    pub origin: Origin,
    /// Characters of the key, white space not counted (pinyin annotations,
    /// which converters add, do not make a line longer).
    pub chars: usize,
    /// The whole line was anti-scrape junk (`5 P$ w/ A* _8 o9 T# V0 Z`).
    pub noise: bool,
}

/// Pinyin that converters write after each character (`時(shí)間`).
static PINYIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\p{Han})\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ]{1,7}\)").expect("a literal pattern compiles")
});

impl Line {
    /// A line from its text as read; `noise_tokens` is the lexicon's limit
    /// for anti-scrape junk (see [`strip_noise`]).
    pub fn new(text: &str, origin: Origin, noise_tokens: usize) -> Line {
        let (kept, noise) = strip_noise(text, noise_tokens);
        let key = key_of(kept);
        Line { chars: visible_len(&key), text: kept.to_string(), key, origin, noise }
    }

    /// The line holds a Han character (stops at the first).
    pub fn has_han(&self) -> bool {
        self.text.chars().any(is_han)
    }
}

/// The matching form of a text (see [`Line::key`]).
pub fn key_of(text: &str) -> String {
    let folded = fold(text);
    if folded.contains('(') {
        PINYIN.replace_all(&folded, "$1").into_owned()
    } else {
        folded
    }
}

/// Where each character of [`key_of`]`(text)` stands in `text` (byte
/// offsets): the key folds punctuation one character for one, and drops
/// pinyin annotations.
pub fn key_offsets(text: &str) -> Vec<usize> {
    let folded = fold(text);
    let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    // Character index in `folded` of every byte offset where a character starts.
    let mut dropped = vec![false; starts.len()];
    for m in PINYIN.captures_iter(&folded) {
        let whole = m.get(0).expect("whole match");
        let han = m.get(1).expect("group 1");
        let from = folded[..han.end()].chars().count();
        let to = folded[..whole.end()].chars().count();
        dropped[from..to].iter_mut().for_each(|d| *d = true);
    }
    starts.into_iter().zip(dropped).filter(|(_, d)| !d).map(|(i, _)| i).collect()
}

/// The end of `text` that the last `n` characters of its key come from.
pub fn text_tail(text: &str, n: usize) -> &str {
    let offsets = key_offsets(text);
    match offsets.len().checked_sub(n) {
        Some(i) if i < offsets.len() => &text[offsets[i]..],
        Some(_) => "",
        None => text,
    }
}

/// A token of anti-scrape junk: one or two printable ASCII characters.
fn noise_token(t: &str) -> bool {
    (1..=2).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_graphic())
}

fn has_symbol(t: &str) -> bool {
    t.bytes().any(|b| b.is_ascii_punctuation())
}

/// Cuts the anti-scrape junk forums insert before and after text
/// (`2 O; C) B# m) l8 m3 Y" \9 N: o在各级机关…`): a run of at least
/// `min_tokens` one- or two-character ASCII tokens, two of them with a
/// symbol, at either end (the last one may touch the text). Returns the
/// text kept and whether the whole line was junk.
pub fn strip_noise(text: &str, min_tokens: usize) -> (&str, bool) {
    let text = text.trim();
    if !text.is_ascii() && !text.contains(' ') {
        return (text, false);
    }
    let tokens: Vec<(usize, &str)> = text
        .split(' ')
        .scan(0usize, |pos, t| {
            let start = *pos;
            *pos += t.len() + 1;
            Some((start, t))
        })
        .filter(|(_, t)| !t.is_empty())
        .collect();
    let junk = |ts: &[(usize, &str)]| ts.len() >= min_tokens && ts.iter().filter(|(_, t)| has_symbol(t)).count() >= 2;
    // From the start: whole junk tokens, then maybe a junk prefix glued to the text.
    let lead = tokens.iter().take_while(|(_, t)| noise_token(t)).count();
    if lead == tokens.len() && junk(&tokens) {
        return ("", true);
    }
    let mut start = 0;
    if junk(&tokens[..lead]) {
        let (pos, t) = tokens[lead];
        let glued =
            t.char_indices().take_while(|(_, c)| c.is_ascii_graphic()).last().map_or(0, |(i, c)| i + c.len_utf8());
        start = pos + if glued <= 2 && t[glued..].starts_with(|c: char| !c.is_ascii()) { glued } else { 0 };
    }
    // From the end.
    let trail = tokens.iter().rev().take_while(|(_, t)| noise_token(t)).count();
    let mut end = text.len();
    if trail < tokens.len() && junk(&tokens[tokens.len() - trail..]) {
        end = tokens[tokens.len() - trail].0;
    }
    if start >= end {
        return ("", true);
    }
    (text[start..end].trim(), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines of a forum page with anti-scrape junk (tests/data/sites/023.txt).
    #[test]
    fn junk_is_cut_from_either_end() {
        assert_eq!(strip_noise("/ G- k; W% a% |( ^# n% J3 n I/ @ 9 |8 L9 l j8 \\ P- t7 ^3 X4 ~", 4), ("", true));
        assert_eq!(
            strip_noise("2 O; C) B# m) l8 m3 Y\" \\9 N: o在各级机关,会议主持词是常写常用的", 4).0,
            "在各级机关,会议主持词是常写常用的"
        );
        assert_eq!(strip_noise("——怎样写好会议主持词 $ G! l0 B& {7 H", 4).0, "——怎样写好会议主持词");
        assert_eq!(strip_noise("+ N; B3 j% |3 c8 E c一、主要特点 1 X7 X3 f\" k6 k- e", 4).0, "一、主要特点");
        // Ordinary text with Latin letters stays.
        for t in ["5G 技术 的 发展", "A B C D 四个选项", "PM2.5 平均浓度", "Photo by Luke Porter on Unsplash."]
        {
            assert_eq!(strip_noise(t, 4), (t, false));
        }
    }

    #[test]
    fn key_folds_and_drops_pinyin() {
        assert_eq!(key_of("發(fā)布時(shí)間:2024-04-10"), "發布時間:2024-04-10");
        let t = "關(guān)鍵詞:大數(shù)據(jù);網(wǎng)格化治理";
        assert_eq!(text_tail(t, "大數據;網格化治理".chars().count()), "大數(shù)據(jù);網(wǎng)格化治理");
        assert_eq!(key_of("作者：张三（教授）"), "作者:张三(教授)");
    }
}
