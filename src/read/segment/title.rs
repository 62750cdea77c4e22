//! Whether a heading-like line is an article's title: its score from what
//! precedes and follows it and from its form (see the parent module's doc),
//! and whether a line merely repeats the open article's title.

use super::{Open, Segmenter};
use crate::lang::chars::{visible_len, visible_len_over};
use crate::model::Block;
use crate::read::classify::{Kind, MAX_HEADING_CHARS, MAX_SECTION_CHARS};

impl Segmenter<'_> {
    /// The line repeats the open article's title (a page that shows the
    /// title twice, in a breadcrumb, or split over two lines).
    pub(super) fn repeats_title(&self, k: usize, o: Option<&Open>) -> bool {
        let Some(o) = o else { return false };
        if o.a.title.is_empty() {
            return false;
        }
        let mut cached = self.title_core.borrow_mut();
        if cached.0 != o.a.title {
            let (c, n) = core_of(&o.a.title);
            *cached = (o.a.title.clone(), c, n);
        }
        let (_, title, title_n) = &*cached;
        // Longer than the title and its tags (counted no further): not a repeat.
        let room = title_n + 12;
        let known = self.cores[k].get();
        if known.map_or_else(
            || self.s[k].line.text.chars().filter(|&c| alphanumeric(c)).nth(room).is_some(),
            |(_, n)| *n > room,
        ) {
            return false;
        }
        let (line, n) = self.cores[k].get_or_init(|| core_of(&self.s[k].line.text));
        *n >= 4 && (title.contains(line.as_str()) || line.contains(title.as_str()))
    }

    /// Title score of the heading-like line `k` (see the module doc).
    pub(super) fn title_score(&self, k: usize, o: Option<&Open>) -> Score {
        let s = self.s;
        let w = &self.w;
        let line = s[k].line;
        let key = &line.key;
        let len = visible_len(&line.text);
        let mut score = Score { value: 0, reasons: vec![], structural: false };
        let prev = self.prev(k);
        let at_start = s[k].gap_before
            || prev.is_none()
            || o.is_some_and(|o| o.a.title.is_empty() && o.a.blocks.is_empty() && !o.a.continued);
        // After credits or a blurb — of an article that had a body.
        let has_body = o.is_none_or(|o| {
            o.a.blocks
                .iter()
                .any(|b| matches!(b, Block::Paragraph { text, .. } if visible_len_over(text, MAX_SECTION_CHARS)))
        });
        let after_end = k > 0 && !s[k].gap_before && s[k - 1].closing() && has_body;
        let follows = self.byline_or_date_follows(k);
        if at_start || after_end || follows {
            score.add(
                w.structural,
                if follows {
                    "a byline or date follows"
                } else if at_start {
                    "opens the text"
                } else {
                    "after an article's end"
                },
            );
            score.structural = true;
        }
        // One bar between two parts (`徐俊忠|“马克思主义…`); several, or one
        // at an end, make a table row or a menu.
        let bar = key.trim();
        if bar.matches('|').count() == 1 && !bar.starts_with('|') && !bar.ends_with('|') {
            score.add(w.separator, "a title separator");
        }
        if key.contains("——") || key.contains(" —") || key.starts_with('【') {
            score.add(w.dash, "a dash");
        }
        // A very short line over a date only (`江苏南京` over `2020年2月20日`)
        // signs off a text; as a title it needs more.
        let date_only = follows
            && !at_start
            && !after_end
            && self.next(k).is_some_and(|n| s[n].is(|k| matches!(k, Kind::Meta(m) if m.authors.is_empty())));
        if len <= 6 && date_only {
            score.add(w.very_short, "very short, over a date");
        }
        // `河海大学亚洲研究中心`: the name of a unit is no title.
        if len <= 16 && self.lex.words.blurb.institution_words.iter().any(|u| key.ends_with(u.as_str())) {
            score.add(w.institution, "names a unit");
        }
        score.add(
            match len {
                0..=14 => 0,
                15..=27 => w.long_15,
                28..=33 => w.long_28,
                _ => w.long_34,
            },
            "long",
        );
        if self.lex.numbering.is_match(key) {
            score.add(w.numbered, "numbered like a section");
        }
        if s[k].gap_before {
            return score;
        }
        let next = self.next(k);
        // A title is followed by a byline, a date or body text — never by the
        // closing credits of an article.
        if let Some(n) = next {
            if s[n].is(|k| matches!(k, Kind::Credit)) && !source_credit(&s[n].line.key) {
                score.add(w.closing_follows, "credits follow");
            }
        }
        // Verse and lists are judged by the lines right next to this one:
        // chrome between them breaks the run.
        let heading_like = |j: usize| s[j].heading_like();
        let short = |j: usize| heading_like(j) && s[j].line.chars <= 14;
        let before = (k > 0).then(|| k - 1);
        let after = (k + 1 < s.len() && !s[k + 1].gap_before).then_some(k + 1);
        // Inside verse (a run of short lines) a short line is a line of the
        // poem, even with a date under it; a byline under it makes it a title.
        let byline_follows =
            follows && next.is_some_and(|n| !s[n].is(|k| matches!(k, Kind::Meta(m) if m.authors.is_empty())));
        if before.is_some_and(short) && len <= 14 + 6 && !byline_follows {
            score.add(w.in_verse, "in a run of short lines");
        }
        // In a list of headline-like lines (related links, a table of contents)
        // each line is an item, not a title.
        if before.is_some_and(heading_like) && after.is_some_and(heading_like) && !follows {
            score.add(w.in_list, "in a list of short lines");
        }
        score
    }
}

/// A title's score and the reasons for it.
pub(super) struct Score {
    pub(super) value: i32,
    pub(super) reasons: Vec<&'static str>,
    pub(super) structural: bool,
}

impl Score {
    fn add(&mut self, w: i32, reason: &'static str) {
        if w != 0 {
            self.value += w;
            self.reasons.push(reason);
        }
    }
}

/// Credits that may stand right under a title (source, author, reporter).
fn source_credit(key: &str) -> bool {
    let k = key.trim_start_matches(['(', ' ']);
    ["来源", "来自", "作者", "记者", "通讯员", "撰文", "撰稿", "文/", "文:", "文|"].iter().any(|p| k.starts_with(p))
}

/// Letters and digits only: what two spellings of a title share.
fn core(s: &str) -> String {
    s.chars().filter(|&c| alphanumeric(c)).collect()
}

/// Lines of at most this many characters have their [`core`] worked out
/// before the stream is read in order (see [`super::segment`]): a title is
/// a heading, and the line repeating it is at most that and its tags.
pub(super) const CORE_AHEAD_CHARS: usize = MAX_HEADING_CHARS + 12;

/// [`core`] of `s` and its length in characters.
pub(super) fn core_of(s: &str) -> (String, usize) {
    let c = core(s);
    let n = c.chars().count();
    (c, n)
}

/// [`char::is_alphanumeric`], without the table look-up for the common CJK
/// ideographs (every one of U+4E00–U+9FFF is a letter).
fn alphanumeric(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || c.is_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_ideographs_are_alphanumeric() {
        assert!(('\u{4E00}'..='\u{9FFF}').all(char::is_alphanumeric));
        assert!("一〇、a1，。".chars().all(|c| alphanumeric(c) == c.is_alphanumeric()));
    }
}
