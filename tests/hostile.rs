//! Hostile and broken inputs (one test per row of the table in the
//! hardening issue that concerns reading): each exits with the documented
//! code, names the file, builds every other compilation and leaves no
//! partial file.

mod common;

use common::*;
use std::path::Path;

/// Builds `in/` (with the sample page beside the bad file) and returns (exit code, stderr, output names).
fn build_with(dir: &Path, bad_name: &str, bad: &[u8]) -> (Option<i32>, String, Vec<String>) {
    std::fs::create_dir_all(dir.join("in")).unwrap();
    std::fs::copy(data("page-03.txt"), dir.join("in/page-03.txt")).unwrap();
    std::fs::write(dir.join("in").join(bad_name), bad).unwrap();
    let out = folio(dir, &["build", "in", "-o", "o", "-f", "md,json"]);
    let mut names: Vec<String> = std::fs::read_dir(dir.join("o"))
        .map(|d| d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned(), names)
}

fn assert_fails_naming(bad_name: &str, bad: &[u8], reason: &str) {
    let dir = tempdir();
    let (code, stderr, names) = build_with(dir.path(), bad_name, bad);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains(&format!("in/{bad_name}")) && stderr.contains(reason), "{stderr}");
    assert_eq!(
        names,
        vec!["2022年前线文稿汇编-30篇.json", "2022年前线文稿汇编-30篇.md"],
        "the good compilation is built, nothing partial"
    );
}

#[test]
fn empty_file() {
    assert_fails_naming("empty.txt", b"", "the file is empty");
}

#[test]
fn whitespace_only_file() {
    assert_fails_naming("blank.txt", b"  \n\t\r\n\xe3\x80\x80\n", "white space");
}

#[test]
fn only_chrome() {
    let page = "SUCAI198.COM —— 专注党建行政公文写作范文\n\n某汇编(第1/2页)\n\nadmin 分享 时间: 加入收藏 共计1个字\n\n221381\n领取福利\n微信扫码分享\n";
    assert_fails_naming("chrome.txt", page.as_bytes(), "only site chrome");
}

#[test]
fn png_named_txt() {
    assert_fails_naming("picture.txt", &std::fs::read(data("bad-image.txt")).unwrap(), "PNG image");
}

#[test]
fn zip_named_txt() {
    assert_fails_naming("archive.txt", b"PK\x03\x04\x14\x00\x00\x00\x08\x00rest of a zip", "ZIP archive");
}

#[test]
fn invalid_utf8_in_the_middle_names_the_line() {
    let mut bytes = std::fs::read(data("page-03.txt")).unwrap();
    let at = bytes.iter().enumerate().filter(|(_, &b)| b == b'\n').nth(20).unwrap().0 + 1;
    bytes.insert(at, 0xff);
    let text = std::fs::read_to_string(data("page-03.txt")).unwrap().replace("汇编-30篇(第3", "汇编-31篇(第3");
    let _ = text;
    assert_fails_naming("broken.txt", &bytes, "line 22");
}

#[test]
fn too_large_file_is_refused_quickly() {
    let dir = tempdir();
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    let f = std::fs::File::create(dir.path().join("in/huge.txt")).unwrap();
    f.set_len(200 * 1024 * 1024).unwrap(); // sparse: no disk used
    let (code, stderr, names) =
        build_with(dir.path(), "ok-name.txt", "另一汇编(第1/1页)\n\n标题\n\n正文。\n".as_bytes());
    assert_eq!(code, Some(1));
    assert!(stderr.contains("in/huge.txt") && stderr.contains("too large"), "{stderr}");
    assert_eq!(names.len(), 4);
}

#[test]
fn a_single_long_line() {
    let dir = tempdir();
    let line = "这是一句很长的话，".repeat(400_000); // ~10 MB in one line
    let page = format!("长行汇编(第1/1页)\n\n标题\n\n{line}。\n");
    let (code, stderr, names) = build_with(dir.path(), "long.txt", page.as_bytes());
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(names.len(), 4);
}

#[test]
fn duplicate_pages_with_different_content_are_reported() {
    let dir = tempdir();
    let text = std::fs::read_to_string(data("page-03.txt")).unwrap();
    let changed = text.replace("随着京津冀", "伴随京津冀");
    let (code, stderr, _) = build_with(dir.path(), "page-03-copy.txt", changed.as_bytes());
    assert_eq!(code, Some(0));
    assert!(stderr.contains("page 3 is in both page-03-copy.txt and page-03.txt"), "{stderr}");
}

#[test]
fn page_counters_that_disagree() {
    let dir = tempdir();
    let text = std::fs::read_to_string(data("page-03.txt")).unwrap().replace("(第3/13页)", "(第4/12页)");
    let (code, stderr, _) = build_with(dir.path(), "page-04.txt", text.as_bytes());
    assert_eq!(code, Some(0));
    assert!(stderr.contains("page counters disagree about the page count (12, 13)"), "{stderr}");
}

#[test]
fn legacy_encodings() {
    let dir = tempdir();
    let text = "繁體彙編(第1/1頁)\n\n臺灣的報紙\n\n這是一段繁體中文的文字,用來測試編碼偵測是否正確。臺灣的報紙常用這種編碼。\n";
    let text = text.replace('頁', "页");
    let (big5, _, had_unmappable) = encoding_rs::BIG5.encode(&text);
    let _ = had_unmappable;
    let (code, stderr, names) = build_with(dir.path(), "big5.txt", &big5);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(names.len(), 4, "{names:?}");
}

#[test]
fn ten_thousand_tiny_files() {
    let dir = tempdir();
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    for i in 0..10_000 {
        std::fs::write(
            dir.path().join(format!("in/p{i:05}.txt")),
            format!("小汇编(第{}/10000页)\n\n标题{i}\n\n正文。\n", i + 1),
        )
        .unwrap();
    }
    let out = folio(dir.path(), &["build", "in", "-o", "o", "-f", "json", "-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("o/小汇编.json")).unwrap()).unwrap();
    assert_eq!(json["source"]["pages"].as_array().unwrap().len(), 10_000);
}

#[test]
fn output_folder_that_is_a_file() {
    let dir = tempdir();
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    std::fs::copy(data("page-03.txt"), dir.path().join("in/page-03.txt")).unwrap();
    std::fs::write(dir.path().join("o"), b"not a folder").unwrap();
    let out = folio(dir.path(), &["build", "in", "-o", "o", "-f", "md"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot create the output folder"));
}

#[test]
fn symlink_in_the_output_folder_is_replaced_not_followed() {
    let dir = tempdir();
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    std::fs::create_dir_all(dir.path().join("o")).unwrap();
    std::fs::copy(data("page-03.txt"), dir.path().join("in/page-03.txt")).unwrap();
    std::fs::write(dir.path().join("victim.txt"), b"keep me").unwrap();
    std::os::unix::fs::symlink(dir.path().join("victim.txt"), dir.path().join("o/2022年前线文稿汇编-30篇.md")).unwrap();
    let out = folio(dir.path(), &["build", "in", "-o", "o", "-f", "md"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read(dir.path().join("victim.txt")).unwrap(), b"keep me");
}

#[test]
fn config_with_a_wrong_type() {
    let dir = tempdir();
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    std::fs::copy(data("page-03.txt"), dir.path().join("in/page-03.txt")).unwrap();
    std::fs::write(dir.path().join("in/folio.toml"), "embed_fonts = \"yes\"\n").unwrap();
    let out = folio(dir.path(), &["build", "in"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("folio.toml") && stderr.contains("embed_fonts"), "{stderr}");
}

#[test]
fn markup_and_invisible_characters_survive_as_text() {
    let dir = tempdir();
    let body = "正文里有<script>alert(1)</script>和a & b，还有]]>与&amp;。\n\n# 不是标题 *也不是强调* [链接](x) | 表格 |\n\n---\n\n右到左\u{202e}覆盖和零宽\u{200b}字符。";
    let page = format!("标记汇编(第1/1页)\n\n春天的故事\n\n{body}\n");
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    std::fs::write(dir.path().join("in/p.txt"), page).unwrap();
    let out = folio(dir.path(), &["build", "in", "-o", "o", "-f", "md,json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("o/标记汇编.json")).unwrap()).unwrap();
    let mut texts: Vec<&str> = Vec::new();
    for a in json["articles"].as_array().unwrap() {
        texts.push(a["title"].as_str().unwrap());
        texts.extend(a["blocks"].as_array().unwrap().iter().map(|b| b["text"].as_str().unwrap()));
    }
    assert!(texts.contains(&"正文里有<script>alert(1)</script>和a & b，还有]]>与&amp;。"), "{texts:?}");
    assert!(texts.contains(&"# 不是标题 *也不是强调* [链接](x) | 表格 |"), "{texts:?}");
    assert!(texts.contains(&"---"), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains('\u{202e}') && t.contains('\u{200b}')));
    // The Markdown reads back to the same model.
    let md = std::fs::read_to_string(dir.path().join("o/标记汇编.md")).unwrap();
    let back = folio::read::markdown::read(&md).unwrap();
    let model: folio::model::Compilation = serde_json::from_value(json).unwrap();
    assert_eq!(back, model.without_provenance());
}
