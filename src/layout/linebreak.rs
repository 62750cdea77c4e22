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

/// Full-width marks whose ink sits in the left half of the em: at the end
/// of a line their right half may be squeezed away (a standard Chinese
/// adjustment), which saves pushing a character down and spreading the rest.
pub const SQUEEZABLE_AT_END: &[char] = &['，', '。', '、', '；', '：', '）', '】', '」', '』', '》', '〉', '”', '’'];

/// Fills lines first-fit. `widths` are advances in points; the first line is
/// `first` wide, the others `rest`. Trailing spaces do not count, and a line
/// may end with a mark whose `squeeze` (points) is removed to make it fit. A
/// stretch with no break opportunity wider than the line is cut where it
/// overflows.
pub fn fill(
    widths: &[f32],
    spaces: &[bool],
    squeeze: &[f32],
    allowed: &[bool],
    first: f32,
    rest: f32,
) -> Vec<Range<usize>> {
    const EPS: f32 = 1e-3;
    let n = widths.len();
    let mut lines = Vec::new();
    let mut start = 0;
    while start < n {
        let avail = if lines.is_empty() { first } else { rest };
        let mut best = None;
        let mut w = 0.0;
        for i in start..n {
            w += widths[i];
            let end = i + 1;
            let is_break = end == n || allowed[end];
            if !spaces[i] && w > avail + EPS {
                if is_break && w - squeeze[i] <= avail + EPS {
                    best = Some(end);
                }
                break;
            }
            if is_break {
                best = Some(end);
            }
        }
        let end = best.unwrap_or_else(|| {
            // Emergency: no opportunity fits, cut at the last character that does.
            let mut e = start;
            let mut w = 0.0;
            while e < n && (e == start || w + widths[e] <= avail + EPS) {
                w += widths[e];
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

    fn lines(s: &str, per_line: usize) -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        let widths: Vec<f32> = chars.iter().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).collect();
        let spaces: Vec<bool> = chars.iter().map(|c| c.is_whitespace()).collect();
        let squeeze: Vec<f32> = chars.iter().map(|c| if SQUEEZABLE_AT_END.contains(c) { 0.5 } else { 0.0 }).collect();
        let allowed = break_opportunities(&chars);
        fill(&widths, &spaces, &squeeze, &allowed, per_line as f32, per_line as f32)
            .into_iter()
            .map(|r| chars[r].iter().collect())
            .collect()
    }

    #[test]
    fn comma_never_starts_a_line() {
        let l = lines("一二三四，五六七八", 4);
        assert_eq!(l, vec!["一二三", "四，五六", "七八"]);
    }

    #[test]
    fn a_final_comma_is_squeezed_rather_than_pushing_a_character_down() {
        // Five full-width characters fit a 4.5-em line when the last is a comma.
        let l = lines("一二三四，五六七", 4);
        assert_eq!(l, vec!["一二三", "四，五六", "七"]);
        let chars: Vec<char> = "一二三四，五六七".chars().collect();
        let widths = vec![1.0; chars.len()];
        let squeeze: Vec<f32> = chars.iter().map(|c| if SQUEEZABLE_AT_END.contains(c) { 0.5 } else { 0.0 }).collect();
        let r = fill(&widths, &vec![false; chars.len()], &squeeze, &break_opportunities(&chars), 4.5, 4.5);
        assert_eq!(r[0], 0..5);
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
