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

static KEY_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Han}{1,4}\s*(?::\s*[^,.;!?:。，；！？]{1,10}|[|/]\s*[^,.;!?:。，；！？|]{1,8})$")
        .expect("a literal pattern compiles")
});

/// `主办｜办公室`, `校审:何春昊`: a short role, a separator, a short value.
/// After `|` or `/` (which also separate a title's parts) only a name-sized value.
pub fn key_value(line: &Line) -> bool {
    let key = line.key.as_str();
    // `贺雪峰/著` cites a book's author; it does not close an article.
    let book = key.trim_end().ends_with(['著', '译']) || key.trim_end().ends_with("主编");
    // The pattern needs a separator: most lines have none.
    line.chars <= KEY_VALUE_MAX && key.contains([':', '|', '/']) && KEY_VALUE.is_match(key) && !book
}

/// A caption of a figure (`图为…`, `…(供圖市檔案局 李軍 翻拍)`, `(圖/張俊哲)`).
pub fn caption(line: &Line, lex: &Compiled) -> bool {
    line.chars <= CAPTION_MAX && lex.captions.is_match(&line.key)
}

/// A journal issue line (`党政研究 2019年4期`): neither a title nor a heading.
pub fn issue_line(line: &Line, lex: &Compiled) -> bool {
    line.chars <= ISSUE_MAX && lex.issues.is_match(&line.key)
}
