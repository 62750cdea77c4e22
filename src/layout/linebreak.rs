//! Break opportunities (UAX #14 plus Chinese line-start/line-end rules) and
//! first-fit line filling.

use std::ops::Range;

use unicode_linebreak::{linebreaks, BreakOpportunity};

/// Characters that must not start a line (行首禁则): closing brackets and
/// quotes, sentence and clause punctuation, and the halves of `——`/`……`
/// (so the pairs are never split and never begin a line).
pub const NO_LINE_START: &[char] = &[
    '，', '。', '、', '；', '：', '？', '！', '）', '】', '」', '』', '》', '〉', '”', '’', '…', '—', '·', '・', '〕',
    '］', '｝', '〗', '％', '‰', '℃', ',', '.', ';', ':', '?', '!', ')', ']', '}', '%', '～', '〙', '〛', '｠',
];

/// Characters that must not end a line (行尾禁则): opening brackets and quotes.
pub const NO_LINE_END: &[char] =
    &['（', '【', '「', '『', '《', '〈', '“', '‘', '〔', '［', '｛', '〖', '(', '[', '{', '〘', '〚', '｟'];

/// Characters set on a full-width grid between which Chinese text may break
/// even where UAX #14 (which never breaks around ambiguous quotes) says no.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FFF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFF00..=0xFF60 | 0x20000..=0x3FFFF)
        || matches!(c, '“' | '”' | '‘' | '’' | '…' | '—')
}

/// `allowed[i]` says whether a line may break before `chars[i]`
/// (`allowed[0]` is always false; the end of text is always a break).
pub fn break_opportunities(chars: &[char]) -> Vec<bool> {
    let n = chars.len();
    let mut allowed = vec![false; n];
    if n == 0 {
        return allowed;
    }
    let text: String = chars.iter().collect();
    // Map byte offsets to char indices.
    let mut byte_to_char = vec![usize::MAX; text.len() + 1];
    for (ci, (bi, _)) in text.char_indices().enumerate() {
        byte_to_char[bi] = ci;
    }
    byte_to_char[text.len()] = n;
    for (bi, op) in linebreaks(&text) {
        let ci = byte_to_char[bi];
        if ci < n && ci > 0 && matches!(op, BreakOpportunity::Allowed | BreakOpportunity::Mandatory) {
            allowed[ci] = true;
        }
    }
    for i in 1..n {
        let (prev, next) = (chars[i - 1], chars[i]);
        // UAX #14 treats “ ” as ambiguous quotes and never breaks beside them;
        // in Chinese they are full-width marks like any other.
        if is_wide(prev) && is_wide(next) {
            allowed[i] = true;
        }
        // Kinsoku wins over everything.
        if NO_LINE_START.contains(&next) || NO_LINE_END.contains(&prev) {
            allowed[i] = false;
        }
        // Never split a number or a Latin word, whatever the fallback said.
        if prev.is_ascii_alphanumeric() && next.is_ascii_alphanumeric() {
            allowed[i] = false;
        }
    }
    allowed
}

/// Blank a punctuation mark can still give up (points): on its left (an
/// opening mark) and on its right (a closing mark) when it starts or ends a
/// line, and what of that it can give up inside a line compressed to fit.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Give {
    pub left: f32,
    pub right: f32,
    /// At most `left` and `right`.
    pub inner_left: f32,
    pub inner_right: f32,
}

/// The characters of a paragraph as the line filler sees them (points).
pub struct Items<'a> {
    /// Set width: the advance less the blank that adjacent marks always give up.
    pub width: &'a [f32],
    /// White space, which does not count at the end of a line.
    pub space: &'a [bool],
    pub give: &'a [Give],
    /// Break opportunities, from [`break_opportunities`].
    pub allowed: &'a [bool],
}

impl Items<'_> {
    /// Width of `chars[i]` inside a line with all it can give there given up.
    fn tight(&self, i: usize) -> f32 {
        self.width[i] - self.give[i].inner_left - self.give[i].inner_right
    }
}

/// Fills lines first-fit: each line takes as much as fits with its marks
/// compressed as far as they go (CLREQ: compress before stretching), so a
/// line is stretched only when the next piece would not fit even then. The
/// first line is `first` wide, the others `rest`. Trailing spaces do not
/// count. A stretch with no break opportunity wider than the line is cut
/// where it overflows.
pub fn fill(items: &Items, first: f32, rest: f32) -> Vec<Range<usize>> {
    const EPS: f32 = 1e-3;
    let n = items.width.len();
    let mut lines = Vec::new();
    let mut start = 0;
    while start < n {
        let avail = if lines.is_empty() { first } else { rest };
        // What the first character gives up at the line start, beyond what
        // it would inside a line.
        let at_start = items.give[start].left - items.give[start].inner_left;
        let mut best = None;
        let mut w = 0.0;
        for i in start..n {
            w += items.tight(i);
            let end = i + 1;
            // The tightest the line can be if it ends here.
            let tightest = w - at_start - (items.give[i].right - items.give[i].inner_right);
            if !items.space[i] && tightest > avail + EPS {
                break;
            }
            if end == n || items.allowed[end] {
                best = Some(end);
            }
        }
        let end = best.unwrap_or_else(|| {
            // Emergency: no opportunity fits, cut at the last character that does.
            let mut e = start;
            let mut w = 0.0;
            while e < n && (e == start || w + items.tight(e) <= avail + EPS) {
                w += items.tight(e);
                e += 1;
            }
            e
        });
        lines.push(start..end);
        start = end;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines of `s` at `per_line` ems, with a fixed-advance font: ASCII half
    /// an em, the rest a full em; `，。` give up their right half and `“` its
    /// left, as in a GB-style font.
    fn lines_at(s: &str, first: f32, rest: f32) -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        let width: Vec<f32> = chars.iter().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).collect();
        let space: Vec<bool> = chars.iter().map(|c| c.is_whitespace()).collect();
        let give: Vec<Give> = chars
            .iter()
            .map(|&c| {
                let left = if c == '“' { 0.5 } else { 0.0 };
                let right = if matches!(c, '，' | '。') { 0.5 } else { 0.0 };
                Give { left, right, inner_left: left, inner_right: right }
            })
            .collect();
        let allowed = break_opportunities(&chars);
        let items = Items { width: &width, space: &space, give: &give, allowed: &allowed };
        fill(&items, first, rest).into_iter().map(|r| chars[r].iter().collect()).collect()
    }

    fn lines(s: &str, per_line: usize) -> Vec<String> {
        lines_at(s, per_line as f32, per_line as f32)
    }

    #[test]
    fn comma_never_starts_a_line() {
        let l = lines("一二三四，五六七八", 4);
        assert_eq!(l, vec!["一二三", "四，五六", "七八"]);
    }

    #[test]
    fn a_final_comma_is_squeezed_rather_than_pushing_a_character_down() {
        // Five full-width characters fit a 4.5-em line when the last is a comma.
        assert_eq!(lines_at("一二三四，五六七", 4.5, 4.5)[0], "一二三四，");
        assert_eq!(lines_at("一二三四五六七", 4.5, 4.5)[0], "一二三四");
    }

    #[test]
    fn marks_inside_a_line_are_compressed_before_a_character_is_pushed_down() {
        // 一，二。三四 is 6 ems, 5 with both marks at half width: it fits a
        // 5-em line whole, where stretching would have left 四 for the next.
        assert_eq!(lines("一，二。三四五", 5), vec!["一，二。三四", "五"]);
        // Compression stops at half width: 一，二三四五 needs 5.5 ems.
        assert_eq!(lines("一，二三四五六", 5)[0], "一，二三四");
    }

    #[test]
    fn opening_quote_never_ends_a_line() {
        let l = lines("一二三“四五”六七", 4);
        assert_eq!(l[0], "一二三");
        assert!(l.iter().all(|l| !l.ends_with('“') && !l.starts_with('”')));
    }

    #[test]
    fn dashes_and_ellipses_stay_together() {
        for s in ["一二三——四五六", "一二三……四五六"] {
            let l = lines(s, 4);
            assert!(l.iter().all(|l| !l.starts_with(['—', '…'])), "{l:?}");
            assert_eq!(l[0], "一二");
        }
    }

    #[test]
    fn numbers_and_words_are_not_split() {
        let l = lines("一二三2022-07-26四", 6);
        assert_eq!(l[0], "一二三");
        let l = lines("中文 folio writer", 5);
        assert_eq!(l, vec!["中文 folio ", "writer"]);
    }

    #[test]
    fn overlong_word_is_cut() {
        let l = lines("abcdefghijklmnop", 3);
        assert!(l.iter().all(|l| l.len() <= 6), "{l:?}");
        assert_eq!(l.concat(), "abcdefghijklmnop");
    }
}
