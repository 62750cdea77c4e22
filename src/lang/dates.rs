//! Date lines: `2022-07-26`, `2022/7/26`, `2022年7月26日`, `二〇二二年七月二十六日`,
//! optionally labelled (`日期：`, `发布时间：`).

use regex::Regex;
use std::sync::LazyLock;

use crate::lang::chars::parse_number;

static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:发布|更新|发表)?(?:时间|日期)\s*[:：]?\s*)?([0-9０-９]{4})\s*[-/.年]\s*([0-9０-９]{1,2})\s*[-/.月]\s*([0-9０-９]{1,2})\s*日?(?:\s+[0-9０-９]{1,2}:[0-9０-９]{2}(?::[0-9０-９]{2})?)?$").unwrap()
});
static HANZI: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:发布|更新|发表)?(?:时间|日期)\s*[:：]?\s*)?([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日$").unwrap()
});

/// Compiles the patterns above now (see [`crate::pipeline::warm_up`]).
pub fn warm_up() {
    LazyLock::force(&NUMERIC);
    LazyLock::force(&HANZI);
}

/// Parses a whole line as a date; returns ISO `YYYY-MM-DD`.
pub fn parse_date_line(line: &str) -> Option<String> {
    let line = line.trim();
    let (y, m, d) = if let Some(c) = NUMERIC.captures(line) {
        (parse_number(&c[1])?, parse_number(&c[2])?, parse_number(&c[3])?)
    } else if let Some(c) = HANZI.captures(line) {
        let year = c[1].chars().map(digit).collect::<Option<Vec<_>>>()?.iter().fold(0u32, |acc, d| acc * 10 + d);
        (year, hanzi_number(&c[2])?, hanzi_number(&c[3])?)
    } else {
        return None;
    };
    valid(y, m, d).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// Seconds since 1970-01-01T00:00:00Z → (year, month, day, hour, minute,
/// second), proleptic Gregorian (civil-from-days after Howard Hinnant).
pub fn civil_from_epoch(epoch: i64) -> (i64, i64, i64, i64, i64, i64) {
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, secs / 3600, secs % 3600 / 60, secs % 60)
}

fn valid(y: u32, m: u32, d: u32) -> bool {
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => return false,
    };
    (1000..=9999).contains(&y) && (1..=days).contains(&d)
}

fn digit(c: char) -> Option<u32> {
    "〇一二三四五六七八九".chars().position(|x| x == c).or_else(|| (c == '零').then_some(0)).map(|p| p as u32)
}

/// `十` → 10, `二十六` → 26, `七` → 7.
fn hanzi_number(s: &str) -> Option<u32> {
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(10 * digit(*t)?),
        [t, '十', u] => Some(10 * digit(*t)? + digit(*u)?),
        [u] => digit(*u),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::parse_date_line;

    #[test]
    fn date_forms() {
        assert_eq!(parse_date_line("2022-07-26").as_deref(), Some("2022-07-26"));
        assert_eq!(parse_date_line("2022年7月26日").as_deref(), Some("2022-07-26"));
        assert_eq!(parse_date_line("2022/7/6").as_deref(), Some("2022-07-06"));
        assert_eq!(parse_date_line("２０２２年７月２６日").as_deref(), Some("2022-07-26"));
        assert_eq!(parse_date_line("发布时间：2024-06-03").as_deref(), Some("2024-06-03"));
        assert_eq!(parse_date_line("二〇二二年七月二十六日").as_deref(), Some("2022-07-26"));
        assert_eq!(parse_date_line("2022-13-01"), None);
        assert_eq!(parse_date_line("发布时间:2024-06-03 点击数:138 次"), None);
        assert_eq!(parse_date_line("2015-2021年的7年间"), None);
    }
}
