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
    s.chars()
        .map(|c| match c {
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
            c => c,
        })
        .collect()
}

/// Number of characters, ignoring white space.
pub fn visible_len(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
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
