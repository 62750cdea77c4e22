//! Whether a heading-like line inside an article heads a section, or is a
//! line of text (verse, a list item, a numbered list, a signature).

use super::{Open, Segmenter};
use crate::read::classify::{is_prose, trails_off, Kind, MAX_SECTION_CHARS};

impl Segmenter<'_> {
    /// A heading-like line inside an article is a section heading when body
    /// text follows (perhaps after one more heading, a caption or a repeat of
    /// the title); in a run of three or more short lines (verse, a list) it
    /// is a line of text, and so are lines introduced by a colon.
    pub(super) fn is_section_heading(&self, k: usize, o: &Open) -> bool {
        let s = self.s;
        if s[k].line.chars > MAX_SECTION_CHARS || trails_off(&s[k].line.text) {
            return false;
        }
        let key = &s[k].line.key;
        if (key.starts_with('《') && key.ends_with('》')) || (key.starts_with('"') && key.ends_with('"')) {
            return false;
        }
        // `——研究生支教团 肖杰`: a dash-led line signs a quotation (or, in the
        // header, is a subtitle); it heads no section.
        if key.starts_with(['—', '─']) {
            return false;
        }
        // A bulleted line is an item of a list.
        if key.starts_with(|c: char| self.lex.words.chrome.bullets.iter().any(|b| b.starts_with(c))) {
            return false;
        }
        // Numbered lines in a row (`1.…`, `2.…`) are a list, not sections.
        let style = self.lex.numbering.first_match(key);
        let same_style = |i: usize| style.is_some_and(|st| self.lex.numbering.matches_at(st, &s[i].line.key));
        // So is a numbered line a few lines after another of its style
        // (`5.異常處理`, a line ending with a colon, `6.請求日志打印`).
        let number = |i: usize| leading_number(&s[i].line.key);
        let continues = |p: usize, q: usize| number(p).zip(number(q)).is_some_and(|(a, b)| b == a + 1);
        let mut back = self.prev(k);
        for _ in 0..3 {
            match back {
                Some(p) if same_style(p) && continues(p, k) => return false,
                // Body text between: sections, not a list.
                Some(p) if s[p].line.chars > 20 => break,
                Some(p) => back = self.prev(p),
                None => break,
            }
        }
        if self.next(k).is_some_and(|n| same_style(n) && continues(k, n)) {
            return false;
        }
        // What follows, past captions and repeats of the title.
        let mut j = self.next(k);
        while let Some(i) = j {
            if s[i].is(|k| matches!(k, Kind::Caption)) || self.repeats_title(i, Some(o)) {
                j = self.next(i);
            } else {
                break;
            }
        }
        // Body text: a paragraph, or the last line of a cut page, which is a
        // cut paragraph.
        let body_at = |i: usize| {
            s[i].kind.is_some_and(|kind| is_prose(s[i].line, kind))
                || self.next(i).is_none()
                    && !s[i].absorbed
                    && s[i].line.chars >= 10
                    && s[i].is(|k| matches!(k, Kind::HeadingLike))
        };
        let Some(n) = j else { return false };
        // What precedes, past repeats of the title.
        let before = |i: usize| {
            let mut p = self.prev(i);
            while let Some(q) = p {
                if self.repeats_title(q, Some(o)) {
                    p = self.prev(q);
                } else {
                    break;
                }
            }
            p
        };
        let prev = before(k);
        let prev_heading_like = prev.is_some_and(|p| s[p].heading_like() && s[p].line.chars <= MAX_SECTION_CHARS);
        let after_colon = prev.is_some_and(|p| s[p].line.key.trim_end().ends_with(':'));
        if body_at(n) {
            // The second of two short lines: a heading under a heading, unless
            // the two are what a colon introduced, or the first heads nothing.
            if prev_heading_like {
                let pp = prev.and_then(before);
                let run_of_three = pp.is_some_and(|q| s[q].heading_like() && s[q].line.chars <= MAX_SECTION_CHARS);
                let intro = pp.is_some_and(|q| s[q].line.key.trim_end().ends_with(':'));
                return !run_of_three && !intro && !after_colon;
            }
            return true;
        }
        // A heading directly over a sub-heading (not over a numbered section
        // when it has no number itself).
        let numbered = |i: usize| self.lex.numbering.is_match(&s[i].line.key);
        if s[n].heading_like() && !prev_heading_like && !after_colon && (numbered(k) || !numbered(n)) {
            let after = self.next(n);
            let numbered_list = self.lex.numbering.one_matches_both(key, &s[n].line.key);
            return after.is_some_and(body_at) && !numbered_list && s[n].line.chars <= MAX_SECTION_CHARS;
        }
        false
    }
}

/// The number a numbered line opens with (`6.請求…` → 6, `（三）…` → 3).
fn leading_number(key: &str) -> Option<u32> {
    let t = key.trim_start_matches(['(', '（', '第', ' ']);
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() {
        return digits.parse().ok();
    }
    let han: Vec<u32> = t
        .chars()
        .map_while(|c| {
            "〇一二三四五六七八九".chars().position(|d| d == c).map(|p| p as u32).or((c == '十').then_some(10))
        })
        .collect();
    match han.as_slice() {
        [] => None,
        [n] => Some(*n),
        [10, u] => Some(10 + u),
        [t, 10] => Some(t * 10),
        [t, 10, u] => Some(t * 10 + u),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::segment;
    use super::super::tests::stream;
    use crate::model::Block;
    use crate::read::lexicon::builtin;

    /// bench13 page 9: a quotation signed `——研究生支教团 肖杰` heads no section.
    #[test]
    fn a_signature_line_is_no_heading() {
        let items = stream(
            "寻访恽代英的足迹\n穿过红巷的青砖灰瓦,走进博物馆的大门,从斑驳的石阶与朱漆大门中感受历史。\n——青年志愿者联合会 袁嘉泽\n踏入武汉革命博物馆,历史气息扑面而来。\n——研究生支教团 肖杰\n踏入武昌农讲所旧址纪念馆,给我带来的是深刻反思。",
        );
        let arts = segment(&items, &builtin(), true);
        assert_eq!(arts.len(), 1);
        assert!(arts[0].blocks.iter().all(|b| !matches!(b, Block::Heading { .. })), "{:?}", arts[0].blocks);
        assert_eq!(arts[0].blocks.len(), 5);
    }
}
