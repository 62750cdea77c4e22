//! What each line is by itself, before its neighbours are looked at: meta
//! fields, an author blurb or its label, front matter, a caption, a line
//! that could be a title or heading, or a paragraph. Segmentation then
//! decides, from where a line stands, what the article makes of it.

use super::chrome::{self, Role};
use super::lexicon::Compiled;
use super::line::Line;
use super::meta::{self, MetaLine};
use crate::lang::chars::is_han;

use crate::model::FrontKind;

/// Lines longer than this are never headings.
pub const MAX_HEADING_CHARS: usize = 60;
/// Section headings are at most this long; longer heading-like lines are paragraphs.
pub const MAX_SECTION_CHARS: usize = 40;

/// What a line is by itself.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Meta fields that give the article something: a date, authors, a blurb.
    Meta(MetaLine),
    /// Meta fields of no use to a reader: a source, an editor, a counter.
    Credit,
    /// A short `role:value` line under a key folio does not know
    /// (`主办｜办公室`, `特别支持：分团委`): kept as text, but like credits it
    /// tells where an article ends.
    KeyValue,
    /// An author blurb on one line: label and text.
    Blurb {
        label: String,
        text: String,
    },
    /// A blurb label alone (`作者简介:`): the blurb follows.
    BlurbLabel(String),
    /// Front matter; `text` is empty when the label stands alone and its
    /// text follows on the next line.
    Front {
        kind: FrontKind,
        label: String,
        text: String,
    },
    /// A figure's caption.
    Caption,
    /// A journal issue line (`党政研究 2019年4期`).
    Issue,
    /// Short, not ending like a sentence: a possible title or heading.
    HeadingLike,
    Paragraph,
}

impl Kind {
    /// What the chrome classifier needs to know of this kind.
    pub fn role(&self, line: &Line) -> Role {
        match self {
            Kind::Meta(_) | Kind::Blurb { .. } | Kind::BlurbLabel(_) | Kind::Front { .. } => Role::Informative,
            Kind::Paragraph if chrome::prose(&line.text) || line.chars > MAX_HEADING_CHARS => Role::Prose,
            _ => Role::Other,
        }
    }
}

/// Classifies one line by its form.
pub fn classify(line: &Line, lex: &Compiled) -> Kind {
    let (text, key) = (line.text.as_str(), line.key.as_str());
    if line.noise || line.chars == 0 {
        return Kind::Credit;
    }
    // Each reading is tried only on lines short enough to be one.
    let n = line.chars;
    if n <= meta::BLURB_MAX {
        if let Some((label, text)) = meta::blurb_line(line, lex) {
            return Kind::Blurb { label, text };
        }
    }
    if n <= meta::BIO_MAX && meta::bio_line(line, lex) {
        return Kind::Blurb { label: "作者简介".to_string(), text: text.to_string() };
    }
    if let Some(label) = meta::blurb_label(key, lex) {
        return Kind::BlurbLabel(label);
    }
    if let Some((kind, label, text)) = meta::front_line(text, key, lex) {
        return Kind::Front { kind, label, text };
    }
    if n <= meta::META_MAX {
        if let Some(m) = meta::meta_line(text, key, lex) {
            return if m.informative() { Kind::Meta(m) } else { Kind::Credit };
        }
    }
    if n <= meta::CREDIT_MAX + 2 && meta::credit_without_key(key, lex) {
        return Kind::Credit;
    }
    if n <= meta::KEY_VALUE_MAX && meta::key_value(line) {
        return Kind::KeyValue;
    }
    if n <= meta::ISSUE_MAX && meta::issue_line(line, lex) {
        return Kind::Issue;
    }
    if n <= meta::CAPTION_MAX && meta::caption(line, lex) {
        return Kind::Caption;
    }
    if is_heading_like(line, lex) {
        return Kind::HeadingLike;
    }
    Kind::Paragraph
}

/// A line that could be a title or heading: short, with a Han character
/// (or only a numbering, `I.`), not ending like a sentence (titles may end
/// with `!` or `?`; a numbered heading may end with a full stop), no full
/// stop inside.
pub fn is_heading_like(line: &Line, lex: &Compiled) -> bool {
    let (text, key, len) = (line.text.as_str(), line.key.as_str(), line.chars);
    if !(1..=MAX_HEADING_CHARS).contains(&len) {
        return false;
    }
    let numbered = lex.numbering.is_match(key);
    if !text.chars().any(is_han) {
        // A numbering alone (`I.`, `二、`) heads a section too.
        return numbered && len <= 6;
    }
    if len < 2 {
        return false;
    }
    let body = text.trim_end_matches(['"', '”', '’', '\'', ')', '）', '》', '」', '』', '】']);
    // `…收下我的膝盖。。。`: an ellipsis written with full stops is no sentence end.
    let ellipsis = body.ends_with("。。") || body.ends_with("……");
    if ellipsis && len > 30 {
        return false;
    }
    let body = if ellipsis { body.trim_end_matches(['。', '…']) } else { body };
    let last = body.chars().last().unwrap_or(' ');
    let clauses = text.chars().filter(|c| matches!(c, ',' | '，')).count();
    let full_stops = body.matches('。').count();
    let ends_like_sentence = matches!(last, '。' | '，' | ',' | '、' | '；' | ';' | '：' | ':' | '…' | '.' | '—');
    let numbered_sentence = numbered && last == '。' && full_stops == 1 && len <= MAX_SECTION_CHARS;
    (!ends_like_sentence || numbered_sentence || (numbered && last == '.' && len <= 6))
        && (full_stops == 0 || numbered_sentence)
        && !body.ends_with([';', '；'])
        && text.matches([';', '；']).count() < 2
        && clauses <= 2
        && !enumerates(key)
        && !text.contains("http")
        && !text.contains("www.")
}

/// `代码可分为三类:1)专业代码,2)低代码,3)零代码`: a line that enumerates is text.
fn enumerates(key: &str) -> bool {
    let circled = key.chars().filter(|c| ('①'..='⑳').contains(c)).count();
    let paren = key.as_bytes().windows(2).filter(|w| w[0].is_ascii_digit() && w[1] == b')').count();
    circled >= 2 || paren >= 2
}

/// Ends with an ellipsis: a title may, a section heading does not.
pub fn trails_off(text: &str) -> bool {
    let t = text.trim_end_matches(['"', '”', '’', ')', '）']);
    t.ends_with("。。") || t.ends_with('…')
}

/// True when the line ends like a sentence or is long: body text.
pub fn is_prose(line: &Line, kind: &Kind) -> bool {
    match kind {
        Kind::Paragraph => true,
        Kind::HeadingLike => line.chars > MAX_SECTION_CHARS,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;
    use crate::read::lexicon::builtin;

    fn kind(t: &str) -> Kind {
        classify(&Line::new(t, Origin { file: "t.txt".into(), line: 1 }, 4), &builtin())
    }

    /// Lines from real pages (tests/data/sites).
    #[test]
    fn lines_by_their_form() {
        assert_eq!(kind("中国共产党党章中纪律建设条文变动的历史轨迹"), Kind::HeadingLike);
        assert_eq!(kind("(一)建立責任體系、官員問責制與部門防疫到政府重中之重的轉變。"), Kind::HeadingLike);
        assert_eq!(kind("I."), Kind::HeadingLike);
        assert_eq!(kind("中学"), Kind::HeadingLike);
        assert!(matches!(kind("来源: 2018-12-11 11:01:44"), Kind::Meta(_)));
        assert_eq!(kind("编辑/吴璇"), Kind::Credit);
        assert!(matches!(kind("(作者简介:张超,河北工业大学经济管理学院副教授)"), Kind::Blurb { .. }));
        assert!(matches!(kind("【关键词】 抑郁症; 大学生; 筛查; 预警"), Kind::Front { kind: FrontKind::Keywords, .. }));
        assert_eq!(kind("政治学研究 2021年第1期"), Kind::Issue);
        assert!(matches!(kind("包艳华(1980—),女,河北赤城人,副教授,博士,研究方向为高等教育"), Kind::Blurb { .. }));
        assert_eq!(
            kind("1994年株洲遭遇特大洪水,市區一片汪洋,圖為救援人員在轉移受災群眾。(供圖市檔案局 李軍 翻拍)"),
            Kind::Caption
        );
        assert_eq!(kind("这是位于吉林省德惠市米沙子镇的吉林宝源丰禽业有限公司的操作车间。"), Kind::Paragraph);
    }
}
