//! Character classes for Chinese text.

/// A Han ideograph (CJK Unified Ideographs and extensions, compatibility).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF | 0x2A700..=0x2EBEF | 0x30000..=0x3134F | 0x3007)
}

/// Full-width / CJK punctuation and symbols (，。、；：？！“”‘’（）《》【】…— and the like).
pub fn is_cjk_punct(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65 | 0x2018..=0x201F | 0x2026 | 0x2014 | 0x2015 | 0x00B7 | 0x30FB)
}

/// Han ideograph or CJK punctuation: the context in which ASCII punctuation
/// is a scraper's mangling of the full-width form.
pub fn is_cjk(c: char) -> bool {
    is_han(c) || is_cjk_punct(c) || ('\u{3040}'..='\u{30ff}').contains(&c)
}

/// Folds full-width punctuation to ASCII, for pattern matching only (never
/// for output).
pub fn fold(s: &str) -> String {
    // Most characters stay: copy runs of them, not one character at a time,
    // and decode only characters whose first byte one that folds can have.
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !FOLDED_LEADS.contains(&bytes[i]) {
            i += 1;
            continue;
        }
        // A lead byte (0xC0 or more) starts a character.
        let c = s[i..].chars().next().expect("a character starts here");
        if let Some(folded) = fold_char(c) {
            out.push_str(&s[run..i]);
            out.push(folded);
            run = i + c.len_utf8();
        }
        i += c.len_utf8();
    }
    out.push_str(&s[run..]);
    out
}

/// The first bytes, in UTF-8, of the characters [`fold_char`] folds.
const FOLDED_LEADS: [u8; 4] = [0xE2, 0xE3, 0xE4, 0xEF];

/// The ASCII form of a full-width punctuation mark, if it has one.
fn fold_char(c: char) -> Option<char> {
    Some(match c {
        '（' => '(',
        '）' => ')',
        '：' => ':',
        '，' => ',',
        '；' => ';',
        '！' => '!',
        '？' => '?',
        '“' | '”' => '"',
        '‘' | '’' => '\'',
        '｜' | '丨' => '|',
        '／' => '/',
        '\u{3000}' => ' ',
        _ => return None,
    })
}

/// Number of characters, ignoring white space (`char::is_whitespace`).
///
/// Segmentation asks this of every line several times, so it counts bytes
/// instead of decoding characters: every byte that starts a character,
/// less the white-space characters, which all start with an ASCII byte or
/// with 0xC2 (U+0085, U+00A0), 0xE1 (U+1680), 0xE2 (U+2000–U+205F) or 0xE3
/// (U+3000).
pub fn visible_len(s: &str) -> usize {
    let b = s.as_bytes();
    let starts = b.iter().filter(|&&x| (x as i8) >= -0x40).count();
    let mut spaces = 0;
    for (i, &x) in b.iter().enumerate() {
        // Most bytes (printable ASCII, continuation bytes, the lead bytes of
        // CJK ideographs) start no white space.
        if x > b' ' && !(0xc2..=0xe3).contains(&x) {
            continue;
        }
        spaces += match x {
            b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' => 1,
            0xc2 => usize::from(matches!(b.get(i + 1), Some(0x85 | 0xa0))),
            0xe1 => usize::from(b.get(i + 1..i + 3) == Some(&[0x9a, 0x80])),
            0xe2 => usize::from(matches!(
                (b.get(i + 1), b.get(i + 2)),
                (Some(0x80), Some(0x80..=0x8a | 0xa8 | 0xa9 | 0xaf)) | (Some(0x81), Some(0x9f))
            )),
            0xe3 => usize::from(b.get(i + 1..i + 3) == Some(&[0x80, 0x80])),
            _ => 0,
        };
    }
    starts - spaces
}

/// Whether `s` has more than `n` characters besides white space, counting
/// no further than needed (cheap on long paragraphs asked about a short limit).
pub fn visible_len_over(s: &str, n: usize) -> bool {
    s.len() > n && s.chars().filter(|c| !c.is_whitespace()).nth(n).is_some()
}

/// A decimal number written in ASCII or full-width digits (`13`, `１３`,
/// or a mix), as page counters and dates on Chinese pages write them.
pub fn parse_number<T: std::str::FromStr>(s: &str) -> Option<T> {
    if s.is_ascii() {
        return s.parse().ok();
    }
    let ascii: String = s
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            c => c,
        })
        .collect();
    ascii.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn visible_len_of_every_character_follows_is_whitespace() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            assert_eq!(visible_len(c.encode_utf8(&mut [0; 4])), usize::from(!c.is_whitespace()), "U+{:04X}", c as u32);
        }
    }

    proptest! {
        #[test]
        fn visible_len_counts_characters_less_white_space(
            s in proptest::collection::vec(
                prop_oneof![any::<char>(), proptest::sample::select(vec![' ', '\u{3000}', '\u{a0}', '\u{2029}', '\u{2028}', '\u{85}', '\t', '中', '。', 'a'])],
                0..64,
            ).prop_map(|v| v.into_iter().collect::<String>())
        ) {
            prop_assert_eq!(visible_len(&s), s.chars().filter(|c| !c.is_whitespace()).count());
        }

        /// `fold` copies runs of characters it keeps: the result is still
        /// each character folded on its own.
        #[test]
        fn fold_is_per_character(
            s in proptest::collection::vec(
                prop_oneof![any::<char>(), proptest::sample::select(vec!['（', '）', '：', '，', '“', '’', '｜', '丨', '／', '\u{3000}', '中', 'a'])],
                0..64,
            ).prop_map(|v| v.into_iter().collect::<String>())
        ) {
            let each: String = s.chars().map(|c| fold_char(c).unwrap_or(c)).collect();
            prop_assert_eq!(fold(&s), each);
        }
    }

    #[test]
    fn every_character_that_folds_opens_with_a_lead_fold_looks_for() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32).filter(|&c| fold_char(c).is_some()) {
            let lead = c.encode_utf8(&mut [0; 4]).as_bytes()[0];
            assert!(FOLDED_LEADS.contains(&lead), "{c:?}");
        }
        assert_eq!(fold("（作者：张三，李四）“文”／丨　x"), "(作者:张三,李四)\"文\"/| x");
    }

    #[test]
    fn numbers_in_ascii_and_full_width_digits() {
        assert_eq!(parse_number::<u32>("13"), Some(13));
        assert_eq!(parse_number::<u32>("１３"), Some(13));
        assert_eq!(parse_number::<u32>("1３"), Some(13));
        assert_eq!(parse_number::<u32>("十三"), None);
    }
}
