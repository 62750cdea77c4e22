//! What a line says about its article, read from its form alone. Each
//! reader returns what it found and leaves the decision of where the line
//! belongs (header, body, end) to segmentation.
//!
//! [`fields`] reads meta lines (`发布时间:…`, `来源:…`, `作者:…`, a date and a
//! name run together); [`blurb`] reads author blurbs, bios, affiliations
//! and front matter. This module keeps the length bounds every reader
//! honours and the short one-pattern readers: credits without a key, a
//! short key and value, a caption, a journal issue line.

use std::sync::LazyLock;

use regex::Regex;

use super::lexicon::Compiled;
use super::line::Line;
use crate::lang::chars::visible_len_over;

mod blurb;
mod fields;

pub use blurb::{affiliation, bio_line, blurb_label, blurb_line, front_line};
pub use fields::{meta_line, MetaLine};

/// Longest line (visible characters) each kind of line can be; a caller
/// that knows a line's length can skip the reading of longer ones.
pub const BLURB_MAX: usize = 400;
pub const BIO_MAX: usize = 300;
pub const META_MAX: usize = 100;
pub const CREDIT_MAX: usize = 24;
pub const KEY_VALUE_MAX: usize = 24;
pub const CAPTION_MAX: usize = 120;
pub const ISSUE_MAX: usize = 30;

/// `华大青年融媒体中心出品`: a credit that ends with what the named party did.
pub fn credit_without_key(key: &str, lex: &Compiled) -> bool {
    let k = key.trim().trim_start_matches('(').trim_end_matches(')');
    !visible_len_over(k, CREDIT_MAX)
        && !k.contains([',', '。', ' '])
        && lex
            .words
            .meta
            .credit_endings
            .iter()
            .any(|e| k.ends_with(e.as_str()) && k.chars().count() > e.chars().count() + 1)
}

/// A role, a separator, a value (groups: the role, the value after `:`,
/// the value after `|` or `/`); [`key_value`] bounds their lengths (bounded
/// in the pattern, the classes of nearly all of Unicode would be compiled
/// once per character: three times the cost).
static KEY_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\p{Han}+)\s*(?::\s*([^,.;!?:。，；！？]+)|[|/]\s*([^,.;!?:。，；！？|]+))$")
        .expect("a literal pattern compiles")
});
/// Longest role, value after `:` and value after `|` or `/`, in characters.
const KEY_VALUE_ROLE: usize = 4;
const KEY_VALUE_AFTER_COLON: usize = 10;
const KEY_VALUE_AFTER_BAR: usize = 8;

/// `主办｜办公室`, `校审:何春昊`: a short role, a separator, a short value.
/// After `|` or `/` (which also separate a title's parts) only a name-sized value.
pub fn key_value(line: &Line) -> bool {
    let key = line.key.as_str();
    // `贺雪峰/著` cites a book's author; it does not close an article.
    let book = key.trim_end().ends_with(['著', '译']) || key.trim_end().ends_with("主编");
    // The pattern needs a separator: most lines have none.
    line.chars <= KEY_VALUE_MAX && key.contains([':', '|', '/']) && !book && {
        // Anchored at both ends, each group is the whole run its class
        // allows (the `\s*` before a value takes every space, leaving the
        // value its shortest), so these bounds are those of the pattern.
        let within = |m: Option<regex::Match<'_>>, max: usize| m.is_some_and(|m| m.as_str().chars().nth(max).is_none());
        KEY_VALUE.captures(key).is_some_and(|c| {
            within(c.get(1), KEY_VALUE_ROLE)
                && (within(c.get(2), KEY_VALUE_AFTER_COLON) || within(c.get(3), KEY_VALUE_AFTER_BAR))
        })
    }
}

/// A caption of a figure (`图为…`, `…(供圖市檔案局 李軍 翻拍)`, `(圖/張俊哲)`).
pub fn caption(line: &Line, lex: &Compiled) -> bool {
    line.chars <= CAPTION_MAX && lex.captions.is_match(&line.key)
}

/// A journal issue line (`党政研究 2019年4期`): neither a title nor a heading.
pub fn issue_line(line: &Line, lex: &Compiled) -> bool {
    line.chars <= ISSUE_MAX && lex.issues.is_match(&line.key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;
    use proptest::prelude::*;

    fn line(text: &str) -> Line {
        Line::new(text, Origin { file: "t.txt".into(), line: 1 }, 0)
    }

    #[test]
    fn short_roles_and_values_are_key_values() {
        for text in ["主办｜办公室", "校审:何春昊", "特别支持：分团委", "责任编辑: 王 茂 娟"]
        {
            assert!(key_value(&line(text)), "{text}");
        }
        // Role of five characters; value of eleven after `:`, of nine after `|`;
        // a book's author; a sentence.
        for text in
            ["本文责任编辑:王五", "编辑:一二三四五六七八九十十", "主办|一二三四五六七八九", "贺雪峰/著", "他说:好,走吧"]
        {
            assert!(!key_value(&line(text)), "{text}");
        }
    }

    proptest! {
        /// The lengths checked in code are those the pattern once bounded.
        #[test]
        fn key_value_is_the_bounded_pattern(text in "[编辑主办校审 ]{0,6}[:|/：｜ ]{0,2}[张三王五 ,。|:/]{0,12}") {
            let bounded = Regex::new(r"^\p{Han}{1,4}\s*(?::\s*[^,.;!?:。，；！？]{1,10}|[|/]\s*[^,.;!?:。，；！？|]{1,8})$").unwrap();
            let l = line(&text);
            let book = l.key.trim_end().ends_with(['著', '译']) || l.key.trim_end().ends_with("主编");
            let expected = l.chars <= KEY_VALUE_MAX && l.key.contains([':', '|', '/']) && bounded.is_match(&l.key) && !book;
            prop_assert_eq!(key_value(&l), expected);
        }
    }
}
