//! Decoding page files: bytes → text, whatever the encoding.
//!
//! UTF-8 (with or without BOM), UTF-16 with BOM, and legacy Chinese encodings
//! (GBK/GB18030, Big5) detected with chardetng over the whole file. Line
//! endings are normalised to `\n`. Binary files are rejected with a reason.

/// Decoded text and the name of the encoding it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

/// Why a file could not be decoded as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the file is empty")]
    Empty,
    #[error("the file holds only white space")]
    Blank,
    #[error("not a text file: {0}")]
    Binary(String),
    #[error("line {line}: bytes that are not valid in any supported encoding (UTF-8, UTF-16, GBK/GB18030, Big5)")]
    Undecodable { line: usize },
}

/// Magic numbers of binary formats that scrapers sometimes save as `.txt`.
const SIGNATURES: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"%PDF-", "PDF document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x7fELF", "executable"),
    (b"RIFF", "RIFF media file"),
];

/// Decodes a whole file.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some((_, what)) = SIGNATURES.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Err(DecodeError::Binary(what.to_string()));
    }
    let (text, encoding) = if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(DecodeError::Undecodable { line: first_bad_line(enc, &bytes[bom_len..]) });
        }
        (text.into_owned(), enc.name())
    } else if let Some((text, encoding)) = utf16_without_bom(bytes) {
        (text, encoding)
    } else if bytes.contains(&0) {
        return Err(DecodeError::Binary("contains NUL bytes".into()));
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        (text.to_owned(), "UTF-8")
    } else if mostly_utf8(bytes) {
        // A UTF-8 file with a few broken bytes: guessing a legacy encoding
        // would turn all of it into mojibake. Say where it breaks.
        return Err(DecodeError::Undecodable { line: first_bad_line(encoding_rs::UTF_8, bytes) });
    } else {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
        // GBK and GB18030 decode identically for GBK input; GB18030 is the
        // superset, so decode with it whatever of the two was guessed.
        let enc = if guess == encoding_rs::GBK { encoding_rs::GB18030 } else { guess };
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        let plausible = enc == encoding_rs::GB18030
            || enc == encoding_rs::BIG5
            || enc == encoding_rs::EUC_JP
            || enc == encoding_rs::SHIFT_JIS
            || enc == encoding_rs::EUC_KR;
        if had_errors || !plausible {
            return Err(DecodeError::Undecodable { line: first_bad_line(encoding_rs::UTF_8, bytes) });
        }
        (text.into_owned(), if enc == encoding_rs::GB18030 { "GB18030" } else { enc.name() })
    };
    let text = normalize_newlines(text);
    if mostly_control(&text) {
        return Err(DecodeError::Binary("mostly control characters".into()));
    }
    if text.trim().is_empty() {
        return Err(DecodeError::Blank);
    }
    Ok(Decoded { text, encoding })
}

/// UTF-16 saved without a BOM: the NUL bytes (the high bytes of line breaks
/// and other ASCII characters) mostly at odd offsets (little-endian) or
/// mostly at even ones (big-endian) — a few Chinese characters, such as 一
/// (U+4E00), put one on the other side — and the whole decoding with no
/// error to lines of text with no control characters but line breaks and
/// tabs. A binary file does not pass.
fn utf16_without_bom(bytes: &[u8]) -> Option<(String, &'static str)> {
    if bytes.len() % 2 != 0 || !bytes.contains(&0) {
        return None;
    }
    let zeros = |parity: usize| bytes.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
    let (even, odd) = (zeros(0), zeros(1));
    let enc = if odd >= 4 * even {
        encoding_rs::UTF_16LE
    } else if even >= 4 * odd {
        encoding_rs::UTF_16BE
    } else {
        return None;
    };
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    let texty = text.contains('\n') && !text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
    (!had_errors && texty).then(|| (text.into_owned(), enc.name()))
}

/// True when most multi-byte sequences are valid UTF-8: the file is UTF-8
/// with damage, not a legacy encoding (in GBK, valid UTF-8 sequences of
/// Chinese text are rare).
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid_multibyte, mut invalid) = (0usize, 0usize);
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                valid_multibyte += s.chars().filter(|c| c.len_utf8() > 1).count();
                break;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                valid_multibyte +=
                    std::str::from_utf8(good).map_or(0, |s| s.chars().filter(|c| c.len_utf8() > 1).count());
                invalid += 1;
                rest = &bad[e.error_len().unwrap_or(bad.len()).min(bad.len())..];
                if rest.is_empty() {
                    break;
                }
            }
        }
    }
    valid_multibyte >= 8 && invalid * 20 <= valid_multibyte
}

/// CRLF and lone CR become LF; a stray BOM is dropped. Most files have
/// neither: they are given back as they are, not copied three times.
fn normalize_newlines(text: String) -> String {
    if !text.as_bytes().contains(&b'\r') && !text.contains('\u{feff}') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n").replace('\u{feff}', "")
}

/// Whether more than one character in 20 is a control character other
/// than a line break or a tab.
fn mostly_control(text: &str) -> bool {
    // Every control character (C0, DEL, C1: U+0080–U+009F, which UTF-8
    // writes 0xC2 0x80–0x9F) has a byte of these; text seldom has any, and
    // this one pass, which the compiler vectorises, is all it then costs.
    let b = text.as_bytes();
    let maybe =
        b.iter().fold(false, |seen, &x| seen | (x < 0x20 && x != b'\n' && x != b'\t') | (x == 0x7f) | (x == 0xc2));
    maybe
        && text.chars().filter(|c| c.is_control() && !matches!(c, '\n' | '\t')).count() * 20
            > text.chars().count().max(1)
}

/// 1-based line of the first byte sequence `enc` cannot decode.
fn first_bad_line(enc: &'static encoding_rs::Encoding, bytes: &[u8]) -> usize {
    let valid_up_to = if enc == encoding_rs::UTF_8 {
        match std::str::from_utf8(bytes) {
            Ok(_) => bytes.len(),
            Err(e) => e.valid_up_to(),
        }
    } else {
        let mut decoder = enc.new_decoder_without_bom_handling();
        let mut out = String::with_capacity(bytes.len() * 3);
        let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
        match result {
            encoding_rs::DecoderResult::Malformed(len, _) => read.saturating_sub(len as usize),
            _ => bytes.len(),
        }
    };
    1 + bytes[..valid_up_to].iter().filter(|&&b| b == b'\n').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_and_utf16_decode_to_the_same_text() {
        let text = "通勤圈是构建现代化首都都市圈的先行力量\n随着京津冀交通一体化加快实现,北京与周边地区交通可达性与便捷程度得到明显改善。\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let d = decode(&gbk).unwrap();
        assert_eq!(d.text, text);
        assert_eq!(d.encoding, "GB18030");
        let mut utf16 = vec![0xff, 0xfe];
        for u in text.encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&utf16).unwrap();
        assert_eq!(d.text, text);
        assert_eq!(d.encoding, "UTF-16LE");
    }

    #[test]
    fn utf16_without_bom_is_detected() {
        // 一 is U+4E00: a NUL byte on the other side.
        let text = "汇编(第1/1页)\n\n春天的故事\n\n这是一段没有字节顺序标记的文字。\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&le).unwrap(), Decoded { text: text.into(), encoding: "UTF-16LE" });
        assert_eq!(decode(&be).unwrap(), Decoded { text: text.into(), encoding: "UTF-16BE" });
        assert!(matches!(decode(b"ab\0\0cd\0\x01"), Err(DecodeError::Binary(_))));
    }

    #[test]
    fn crlf_and_bom_are_normalised() {
        let d = decode("\u{feff}标题\r\n正文。\r第二行\n".as_bytes()).unwrap();
        assert_eq!(d.text, "标题\n正文。\n第二行\n");
        assert_eq!(d.encoding, "UTF-8");
    }

    #[test]
    fn broken_utf8_names_its_line() {
        let mut bytes = "第一行是正常的中文文本。\n第二行也是。\n".repeat(5).into_bytes();
        bytes.extend_from_slice(b"\xff\xfe bad\n");
        bytes.extend_from_slice("后面还有中文。\n".as_bytes());
        assert_eq!(decode(&bytes), Err(DecodeError::Undecodable { line: 11 }));
    }

    #[test]
    fn big5_is_detected() {
        let text = "這是一段繁體中文的文字，用來測試編碼偵測是否正確。臺灣的報紙常用這種編碼。\n".repeat(4);
        let (big5, _, _) = encoding_rs::BIG5.encode(&text);
        let d = decode(&big5).unwrap();
        assert_eq!(d.encoding, "Big5");
        assert_eq!(d.text, text);
    }

    #[test]
    fn control_characters_are_counted_in_every_range() {
        // C0, DEL and C1 (U+0085 is 0xC2 0x85) count; line breaks, tabs and
        // characters whose UTF-8 holds 0xC2 but no control (U+00A0) do not.
        let naive = |t: &str| {
            t.chars().filter(|c| c.is_control() && !matches!(c, '\n' | '\t')).count() * 20 > t.chars().count().max(1)
        };
        let alphabet = ['\u{1}', '\u{7f}', '\u{85}', '\u{9f}', '\u{a0}', '\n', '\t', '中', 'a', '，'];
        for n in [1usize, 2, 5, 19, 20, 21, 40, 41] {
            for (i, &c) in alphabet.iter().enumerate() {
                let body: String = alphabet.iter().cycle().skip(i + 5).take(n).collect();
                let t = format!("{c}{body}");
                assert_eq!(mostly_control(&t), naive(&t), "{t:?}");
                let plain = "中".repeat(n * 19);
                let one = format!("{plain}{c}");
                assert_eq!(mostly_control(&one), naive(&one), "{one:?}");
            }
        }
        assert!(mostly_control("\u{85}\u{85}ab") && !mostly_control("\u{a0}\u{a0}ab\n\t"));
        assert_eq!(normalize_newlines("正文\u{feff}。".into()), "正文。");
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b" \n\t\n"), Err(DecodeError::Blank));
        assert!(matches!(decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Err(DecodeError::Binary(_))));
        assert!(matches!(decode(b"abc\0def"), Err(DecodeError::Binary(_))));
    }
}
