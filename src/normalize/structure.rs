//! Structure: one heading scheme for every article (title = level 1,
//! sections one level below, sub-sections by numbering style), and run-in
//! lead sentences (`轨道交通规划与建设仍需加快。` opening a paragraph).

use std::sync::LazyLock;

use regex::RegexSet;

use crate::lang::chars::{visible_len, visible_len_over};
use crate::model::display::{SENTENCE_CLOSERS, SENTENCE_ENDS};
use crate::model::{Article, Block};

/// Numbering styles of Chinese section headings, from the usual outermost
/// in: one set, so one automaton is built for them all.
static STYLES: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new([
        r"^第[一二三四五六七八九十百0-9０-９]+[章节部分篇]",
        r"^[一二三四五六七八九十百]+\s*[、.．]",
        r"^[（(][一二三四五六七八九十百]+[)）]",
        r"^[0-9０-９]{1,2}\s*[、.．](?:[^0-9０-９]|$)",
        r"^[（(][0-9０-９]{1,2}[)）]",
    ])
    .expect("literal patterns compile")
});

/// Compiles the numbering patterns now (see [`crate::pipeline::warm_up`]).
pub fn warm_up() {
    LazyLock::force(&STYLES);
}

/// Section headings are level 2; a numbering style first seen after another
/// is one level deeper than it. Unnumbered headings are level 2.
pub fn heading_levels(article: &mut Article) {
    let mut order: Vec<usize> = Vec::new();
    for b in &mut article.blocks {
        if let Block::Heading { level, text, .. } = b {
            *level = match STYLES.matches(text).iter().next() {
                Some(style) => {
                    if !order.contains(&style) {
                        order.push(style);
                    }
                    (2 + order.iter().position(|&s| s == style).expect("pushed above")).min(6) as u8
                }
                None => 2,
            };
        }
    }
}

/// Shortest and longest lead sentence, in characters.
const LEAD_CHARS: std::ops::RangeInclusive<usize> = 4..=32;
/// The paragraph must be at least this many times longer than its lead.
const LEAD_RATIO: usize = 3;

/// Marks run-in lead sentences. A short first sentence is a lead only when
/// at least two neighbouring paragraphs (no heading between them) open the
/// same way: a lone short opening sentence is just a short sentence.
pub fn find_leads(article: &mut Article) {
    let candidates: Vec<Option<String>> = article
        .blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph { text, .. } => lead_candidate(text),
            _ => None,
        })
        .collect();
    let n = candidates.len();
    for i in 0..n {
        let Some(lead) = &candidates[i] else { continue };
        let neighbour = (i > 0 && candidates[i - 1].is_some()) || (i + 1 < n && candidates[i + 1].is_some());
        if neighbour {
            if let Block::Paragraph { lead: l, .. } = &mut article.blocks[i] {
                *l = Some(lead.clone());
            }
        }
    }
}

/// The paragraph's first sentence if it could be a run-in heading.
fn lead_candidate(text: &str) -> Option<String> {
    let (end, mark) = text.char_indices().find(|&(_, c)| SENTENCE_ENDS.contains(&c))?;
    let mut end = end + mark.len_utf8();
    // Keep a closing quote that belongs to the sentence.
    while let Some(c) = text[end..].chars().next().filter(|c| SENTENCE_CLOSERS.contains(c)) {
        end += c.len_utf8();
    }
    let lead = &text[..end];
    let rest = &text[end..];
    let len = visible_len(lead);
    // The cheap tests first: most paragraphs open with a long sentence.
    if !LEAD_CHARS.contains(&len) || lead.starts_with(['“', '「', '‘']) {
        return None;
    }
    let balanced = lead.matches('“').count() == lead.matches('”').count()
        && lead.matches('（').count() == lead.matches('）').count();
    // The paragraph is at least LEAD_RATIO times the lead: the rest at
    // least LEAD_RATIO - 1 times, counted no further than that.
    let rest_over = |n: usize| visible_len_over(rest, n);
    let more_sentences = || rest.contains(SENTENCE_ENDS) || rest_over(2 * len);
    (balanced && more_sentences() && rest_over((LEAD_RATIO - 1) * len - 1)).then(|| lead.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lead_needs_a_neighbour() {
        let p = |t: &str| Block::Paragraph { text: t.into(), lead: None, origin: None };
        let mut a = Article {
            title: "t".into(),
            blocks: vec![
                p("单独的短句。后面还有很长很长很长很长很长很长很长的内容。再来一句。"),
                Block::Heading { level: 2, text: "小节".into(), origin: None },
                p("天时，显著的政治优势。2008年北京奥运会和2022年北京冬奥会都是新中国发展历程中的标志性事件。"),
                p("地利，独特的地理条件。北京地处北纬40度左右，背靠燕山山脉，是典型的温带季风气候区。"),
            ],
            ..Default::default()
        };
        find_leads(&mut a);
        let leads: Vec<Option<&str>> = a
            .blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph { lead, .. } => lead.as_deref(),
                _ => None,
            })
            .collect();
        assert_eq!(leads, vec![None, None, Some("天时，显著的政治优势。"), Some("地利，独特的地理条件。")]);
    }

    #[test]
    fn numbering_gives_levels() {
        let h = |t: &str| Block::Heading { level: 0, text: t.into(), origin: None };
        let mut a = Article {
            title: "t".into(),
            blocks: vec![h("一、总论"), h("（一）背景"), h("（二）意义"), h("二、分论"), h("结语")],
            ..Default::default()
        };
        heading_levels(&mut a);
        let levels: Vec<u8> =
            a.blocks.iter().map(|b| if let Block::Heading { level, .. } = b { *level } else { 0 }).collect();
        assert_eq!(levels, vec![2, 3, 3, 2, 2]);
    }
}
