//! Output names from titles: valid on Linux, macOS and Windows, inside the
//! output folder, free of invisible characters, unique across the batch.

use std::collections::BTreeMap;

/// Characters never allowed in an output name (Windows is the strictest).
const FORBIDDEN: &[char] = &['/', '\\', ':', '*', '?', '"', '<', '>', '|'];
/// Names Windows reserves whatever the extension (compared case-insensitively,
/// on the part before the first dot, trailing spaces ignored).
const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7",
    "COM8", "COM9", "COM¹", "COM²", "COM³", "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8",
    "LPT9", "LPT¹", "LPT²", "LPT³",
];
/// Longest output base name, in characters.
const MAX_NAME_CHARS: usize = 80;
/// Longest output base name, in UTF-8 bytes: with a `-N` suffix (names made
/// unique) and the extension, a name stays under the 255-byte limit of Linux
/// and macOS file systems (and the 255 UTF-16 units of Windows) even when every
/// character takes four bytes (CJK Extension B, emoji).
const MAX_NAME_BYTES: usize = 240;

/// A file name from a title that stays inside the output folder and is valid
/// on Linux, macOS and Windows.
pub fn sanitize_file_name(title: &str) -> String {
    let cleaned: String = title
        .chars()
        .map(|c| if FORBIDDEN.contains(&c) || c.is_control() || is_invisible(c) { '_' } else { c })
        .collect();
    let mut name = String::new();
    for c in cleaned.trim_matches(|c: char| c == '.' || c == ' ' || c == '_').chars().take(MAX_NAME_CHARS) {
        if name.len() + c.len_utf8() > MAX_NAME_BYTES {
            break;
        }
        name.push(c);
    }
    name = name.trim_end_matches(['.', ' ']).to_string();
    while name.contains("__") {
        name = name.replace("__", "_");
    }
    if name.is_empty() {
        name = "untitled".into();
    }
    let base = name.split('.').next().unwrap_or("").trim_end_matches(' ').to_uppercase();
    if RESERVED.contains(&base.as_str()) {
        name = format!("_{name}");
    }
    name
}

/// Format characters (bidirectional overrides, zero-width characters, line
/// and paragraph separators, soft hyphens): never in a file name.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{61c}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
    )
}

/// `name`, or `name-2`, `name-3`… when taken (ignoring case). `taken` maps
/// each name in use, folded, to the title of its compilation.
pub(super) fn unique_name(name: &str, title: &str, taken: &mut BTreeMap<String, String>) -> String {
    let mut candidate = name.to_string();
    let mut n = 2;
    while taken.contains_key(&candidate.to_lowercase()) {
        candidate = format!("{name}-{n}");
        n += 1;
    }
    taken.insert(candidate.to_lowercase(), title.to_string());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stay_inside_the_folder() {
        assert_eq!(sanitize_file_name("../../etc/passwd"), "etc_passwd");
        assert_eq!(sanitize_file_name("CON"), "_CON");
        assert_eq!(sanitize_file_name("a/b\\c"), "a_b_c");
        assert_eq!(sanitize_file_name("..."), "untitled");
        assert_eq!(sanitize_file_name("\u{202e}abc\u{7}"), "abc");
        assert_eq!(sanitize_file_name(&"长".repeat(300)).chars().count(), MAX_NAME_CHARS);
        assert_eq!(sanitize_file_name(&"𠀀".repeat(300)).len(), MAX_NAME_BYTES);
        assert_eq!(sanitize_file_name("con.tar.gz"), "_con.tar.gz");
        assert_eq!(sanitize_file_name("NUL .txt"), "_NUL .txt");
        assert_eq!(sanitize_file_name("COM¹"), "_COM¹");
        assert_eq!(sanitize_file_name("CONSOLE"), "CONSOLE");
        assert_eq!(sanitize_file_name("a\u{2028}b\u{ad}c"), "a_b_c");
        assert_eq!(sanitize_file_name("2022年前线文稿汇编-30篇"), "2022年前线文稿汇编-30篇");
    }
}
