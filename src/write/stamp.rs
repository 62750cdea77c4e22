//! What the writers stamp that no text of the book gives — the document's
//! date, content digests in hex — derived from the content and
//! `SOURCE_DATE_EPOCH`, never from the clock, so the same inputs give the
//! same bytes.

use super::WriteOptions;
use crate::model::Compilation;

/// A moment in UTC, to the second (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    pub year: i64,
    pub month: i64,
    pub day: i64,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
}

impl Moment {
    /// Seconds since the epoch (civil-from-days after Howard Hinnant).
    pub fn from_epoch(epoch: i64) -> Moment {
        let (year, month, day, hour, minute, second) = crate::lang::dates::civil_from_epoch(epoch);
        Moment { year, month, day, hour, minute, second }
    }

    /// Midnight of an ISO date `YYYY-MM-DD`, as the model holds dates.
    pub fn from_iso_date(date: &str) -> Option<Moment> {
        let b = date.as_bytes();
        let digits = |r: std::ops::Range<usize>| -> Option<i64> {
            b[r.clone()].iter().all(u8::is_ascii_digit).then(|| date[r].parse().ok())?
        };
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        Some(Moment { year, month, day, hour: 0, minute: 0, second: 0 })
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` (the EPUB's `dcterms:modified`).
    pub fn iso(&self) -> String {
        let Moment { year, month, day, hour, minute, second } = self;
        format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
    }

    /// `D:YYYYMMDDHHmmSSZ` (PDF dates).
    pub fn pdf(&self) -> String {
        let Moment { year, month, day, hour, minute, second } = self;
        format!("D:{year:04}{month:02}{day:02}{hour:02}{minute:02}{second:02}Z")
    }
}

/// The document's date: `SOURCE_DATE_EPOCH` when set, else midnight of the
/// latest article date, else the epoch — never the wall clock.
pub fn document_date(c: &Compilation, options: &WriteOptions) -> Moment {
    if let Some(epoch) = options.source_date_epoch {
        return Moment::from_epoch(epoch);
    }
    c.latest_date().and_then(Moment::from_iso_date).unwrap_or_else(|| Moment::from_epoch(0))
}

/// Bytes as lower-case hex digits.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_format_for_epub_and_pdf() {
        let m = Moment::from_epoch(1_700_000_000);
        assert_eq!(m.iso(), "2023-11-14T22:13:20Z");
        assert_eq!(m.pdf(), "D:20231114221320Z");
        assert_eq!(Moment::from_epoch(0).iso(), "1970-01-01T00:00:00Z");
        assert_eq!(Moment::from_epoch(0).pdf(), "D:19700101000000Z");
        assert_eq!(Moment::from_epoch(1_658_793_600).iso(), "2022-07-26T00:00:00Z");
        assert_eq!(Moment::from_epoch(951_782_400 + 3661).iso(), "2000-02-29T01:01:01Z");
        let d = Moment::from_iso_date("2022-07-26").unwrap();
        assert_eq!((d.iso(), d.pdf()), ("2022-07-26T00:00:00Z".into(), "D:20220726000000Z".into()));
        for bad in ["2022-7-26", "20220726", "2022/07/26", "２０２２-07-26", ""] {
            assert_eq!(Moment::from_iso_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn hex_is_lower_case_two_digits_a_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xab, 0xff]), "000fabff");
    }
}
