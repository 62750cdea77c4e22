//! Dates: whole date lines (`2022-07-26`, `2022/7/26`, `2022年7月26日`,
//! `二〇二二年七月二十六日`, optionally labelled `日期：`, `发布时间：`), and
//! dates found inside a line (`2009-06-17 09:09:45 来源: 湖北日报`,
//! `Wednesday, August 7, 2024`, `2024-Aug-7`), with the time after them.

use regex::Regex;
use std::sync::LazyLock;

use crate::lang::chars::parse_number;

static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:发布|更新|发表)?(?:时间|日期)\s*[:：]?\s*)?([0-9０-９]{4})\s*[-/.年]\s*([0-9０-９]{1,2})\s*[-/.月]\s*([0-9０-９]{1,2})\s*日?(?:\s+[0-9０-９]{1,2}:[0-9０-９]{2}(?::[0-9０-９]{2})?)?$").expect("a literal pattern compiles")
});
static HANZI: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:发布|更新|发表)?(?:时间|日期)\s*[:：]?\s*)?([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日$").expect("a literal pattern compiles")
});
/// A numeric date anywhere in a line, not inside a longer number, with an
/// optional time after it (`2023-02-07 20:09`, `2018-12-11 11:01:44`).
static NUMERIC_IN_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9０-９])(?P<date>(?P<y>[0-9０-９]{4})\s*(?P<s1>[-/.年])\s*(?P<m>[0-9０-９]{1,2})\s*(?P<s2>[-/.月])\s*(?P<d>[0-9０-９]{1,2})(?:\s*日)?)(?P<time>\s*[0-9０-９]{1,2}[:：][0-9０-９]{2}(?:[:：][0-9０-９]{2})?)?(?:[^0-9０-９]|$)").expect("a literal pattern compiles")
});
/// English dates: `August 7, 2024`, `Aug. 7, 2024`, `7 August 2024`, `2024-Aug-7`.
static ENGLISH_IN_LINE: LazyLock<Regex> = LazyLock::new(|| {
    let month = r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
    Regex::new(&format!(
        r"(?-u)\b(?:(?P<m1>{month})\.?\s+(?P<d1>\d{{1,2}}),?\s+(?P<y1>\d{{4}})|(?P<d2>\d{{1,2}})\s+(?P<m2>{month})\.?,?\s+(?P<y2>\d{{4}})|(?P<y3>\d{{4}})-(?P<m3>{month})-(?P<d3>\d{{1,2}}))\b"
    ))
    .expect("a literal pattern compiles")
});

/// What every match of [`ENGLISH_IN_LINE`] holds: four ASCII digits in a
/// row (the year) and the first three letters of a month's name.
fn may_hold_english_date(line: &str) -> bool {
    const MONTHS: [&[u8; 3]; 12] =
        [b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov", b"dec"];
    let b = line.as_bytes();
    let mut run = 0;
    let year = b.iter().any(|c| {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        run == 4
    });
    year && b
        .windows(3)
        .any(|w| w[0].is_ascii_alphabetic() && MONTHS.contains(&&[w[0] | 0x20, w[1] | 0x20, w[2] | 0x20]))
}

/// Compiles the patterns every page asks now (see
/// [`crate::pipeline::warm_up`]). The English one, the costliest, waits
/// for a line that may hold an English date: most compilations have none.
pub fn warm_up() {
    for re in [&NUMERIC, &HANZI, &NUMERIC_IN_LINE] {
        LazyLock::force(re);
    }
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

/// A date found inside a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDate {
    /// ISO `YYYY-MM-DD`.
    pub iso: String,
    /// Byte range of the date as written, time excluded.
    pub date: std::ops::Range<usize>,
    /// Byte range of the date and the time written after it.
    pub whole: std::ops::Range<usize>,
}

/// Every valid date written in `line`, in order.
pub fn find_dates(line: &str) -> Vec<FoundDate> {
    let mut out: Vec<FoundDate> = Vec::new();
    // Every form has a year and a day: five digits at least.
    if line.chars().filter(|c| c.is_ascii_digit() || ('０'..='９').contains(c)).nth(4).is_none() {
        return out;
    }
    for c in NUMERIC_IN_LINE.captures_iter(line) {
        let (Some(y), Some(m), Some(d)) =
            (parse_number::<u32>(&c["y"]), parse_number::<u32>(&c["m"]), parse_number::<u32>(&c["d"]))
        else {
            continue;
        };
        // `2015-2021年`, `1.2.3`: separators must agree, except 年…月.
        let (s1, s2) = (&c["s1"], &c["s2"]);
        if !(s1 == s2 || (s1 == "年" && s2 == "月")) {
            continue;
        }
        if valid(y, m, d) {
            let date = c.name("date").expect("always matches").range();
            let end = c.name("time").map_or(date.end, |t| t.end());
            out.push(FoundDate { iso: format!("{y:04}-{m:02}-{d:02}"), date: date.clone(), whole: date.start..end });
        }
    }
    // The regex consumes the character after a date, so two dates one
    // character apart need a second look; English dates come after.
    let english = may_hold_english_date(line).then(|| ENGLISH_IN_LINE.captures_iter(line));
    for c in english.into_iter().flatten() {
        let pick = |a: &str, b: &str, c3: &str| c.name(a).or_else(|| c.name(b)).or_else(|| c.name(c3));
        let (Some(y), Some(m), Some(d)) = (pick("y1", "y2", "y3"), pick("m1", "m2", "m3"), pick("d1", "d2", "d3"))
        else {
            continue;
        };
        let (Some(y), Some(m), Some(d)) = (y.as_str().parse::<u32>().ok(), month(m.as_str()), d.as_str().parse().ok())
        else {
            continue;
        };
        let r = c.get(0).expect("whole match").range();
        if valid(y, m, d) && !out.iter().any(|f| f.whole.start < r.end && r.start < f.whole.end) {
            out.push(FoundDate { iso: format!("{y:04}-{m:02}-{d:02}"), date: r.clone(), whole: r });
        }
    }
    out.sort_by_key(|f| f.whole.start);
    out
}

fn month(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let lower = name.to_ascii_lowercase();
    MONTHS.iter().position(|m| lower.starts_with(m)).map(|p| p as u32 + 1)
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
    use super::*;

    #[test]
    fn english_dates_are_looked_for_only_where_one_can_be() {
        assert!(may_hold_english_date("Published: August 7, 2024"));
        assert!(may_hold_english_date("2024-AUG-7"));
        assert!(!may_hold_english_date("2024年8月7日"));
        assert!(!may_hold_english_date("August 7, 24"));
        assert!(!may_hold_english_date("ISSN 1008-2204"));
        assert_eq!(find_dates("Posted Aug. 7, 2024 by staff").len(), 1);
    }

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

    fn isos(line: &str) -> Vec<String> {
        find_dates(line).into_iter().map(|f| f.iso).collect()
    }

    /// Lines from real pages (tests/data/sites).
    #[test]
    fn dates_inside_lines() {
        assert_eq!(isos("2009-06-17 09:09:45   来源: 湖北日报   作者:熊家余 谢慧敏   点击:"), ["2009-06-17"]);
        assert_eq!(isos("人民日报 2024年12月06日 Fri"), ["2024-12-06"]);
        assert_eq!(isos("发布人: 谜语网 发布时间:2015-07-16 字体: | | 打印文章"), ["2015-07-16"]);
        assert_eq!(isos("Wednesday, August 7, 2024"), ["2024-08-07"]);
        assert_eq!(isos("2024-Aug-7"), ["2024-08-07"]);
        assert_eq!(isos("2023-02-07 20:09宋哲仁"), ["2023-02-07"]);
        assert_eq!(isos("20XX 09 16 08:03 | 来源:人民网-观点频道"), Vec::<String>::new());
        assert_eq!(isos("2015-2021年的7年间"), Vec::<String>::new());
        assert_eq!(isos("ISSN 1008-2204"), Vec::<String>::new());
        let f = &find_dates("2018-12-11 11:01:44 来源")[0];
        assert_eq!(
            (&"2018-12-11 11:01:44 来源"[f.date.clone()], &"2018-12-11 11:01:44 来源"[f.whole.clone()]),
            ("2018-12-11", "2018-12-11 11:01:44")
        );
    }
}
