//! Hostile and broken inputs: one test per row of the table of bad inputs in
//! the hardening issue, and its security section. Each exits with the
//! documented code (0 built, 1 a file or compilation failed, 2 usage or
//! configuration error), names the file (and line where it applies), builds
//! every other compilation of the batch and leaves no partial file.

mod common;

use common::*;
use std::path::Path;
use std::process::{Command, Output};

/// The outputs the sample page gives with `-f md,json`.
const SAMPLE_OUTPUTS: [&str; 2] = ["2022年前线文稿汇编-30篇.json", "2022年前线文稿汇编-30篇.md"];

/// The names in `dir`, sorted (empty when it does not exist).
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts one line of `stderr` holds every piece of `parts` (the file, the line, the reason…).
fn assert_line(stderr: &str, parts: &[&str]) {
    assert!(stderr.lines().any(|l| parts.iter().all(|p| l.contains(p))), "no line with {parts:?} in:\n{stderr}");
}

/// Builds `in/` (with the sample page beside the bad file) and returns (exit code, stderr, output names).
fn build_with(dir: &Path, bad_name: &str, bad: &[u8]) -> (Option<i32>, String, Vec<String>) {
    std::fs::create_dir_all(dir.join("in")).unwrap();
    std::fs::copy(data("page-03.txt"), dir.join("in/page-03.txt")).unwrap();
    std::fs::write(dir.join("in").join(bad_name), bad).unwrap();
    let out = folio(dir, &["build", "in", "-o", "o", "-f", "md,json"]);
    (out.status.code(), stderr_of(&out), listing(&dir.join("o")))
}

/// The bad file fails (exit 1) with a line naming it and the reason; the sample is still built, nothing partial.
fn assert_fails_naming(bad_name: &str, bad: &[u8], reason: &str) {
    let dir = tempdir();
    let (code, stderr, names) = build_with(dir.path(), bad_name, bad);
    assert_eq!(code, Some(1), "{stderr}");
    assert_line(&stderr, &[&format!("in/{bad_name}"), reason]);
    assert_eq!(names, SAMPLE_OUTPUTS, "the good compilation is built, nothing partial");
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
    assert_fails_naming("broken.txt", &bytes, "in/broken.txt:22: ");
}

#[test]
fn legacy_encodings_and_utf16() {
    // One compilation per encoding, each with text the encoding can hold
    // (GB18030 with a character GBK lacks), all in one batch.
    let cases: [(&str, &str, &str); 5] = [
        ("gbk.txt", "GBK", "简体汇编(第1/1页)\n\n春天的故事\n\n这是一段简体中文的文字，用来测试编码侦测是否正确。\n"),
        ("gb18030.txt", "GB18030", "扩展汇编(第1/1页)\n\n春天的故事\n\n这段文字里有扩展字符𠀀，国标编码才能表示它。\n"),
        ("big5.txt", "Big5", "繁體彙編(第1/1頁)\n\n臺灣的報紙\n\n這是一段繁體中文的文字,用來測試編碼偵測是否正確。臺灣的報紙常用這種編碼。\n"),
        ("utf16le.txt", "UTF-16LE", "小端汇编(第1/1页)\n\n春天的故事\n\n这是一段以小端字节序保存的文字。\n"),
        ("utf16be.txt", "UTF-16BE", "大端汇编(第1/1页)\n\n春天的故事\n\n这是一段以大端字节序保存的文字。\n"),
    ];
    let dir = tempdir();
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    for (file, encoding, text) in cases {
        let bytes: Vec<u8> = match encoding {
            "UTF-16LE" => [0xff, 0xfe].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect(),
            "UTF-16BE" => [0xfe, 0xff].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect(),
            _ => {
                let enc = encoding_rs::Encoding::for_label(encoding.as_bytes()).unwrap();
                let (bytes, _, unmappable) = enc.encode(text);
                assert!(!unmappable, "{encoding} holds the test text");
                bytes.into_owned()
            }
        };
        std::fs::write(dir.path().join("in").join(file), bytes).unwrap();
    }
    let out = folio(dir.path(), &["build", "in", "-o", "o", "-f", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(listing(&dir.path().join("o")).len(), cases.len());
    for (_, encoding, text) in cases {
        let title = text.split('(').next().unwrap();
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join(format!("o/{title}.json"))).unwrap()).unwrap();
        // GBK files are decoded (and named) as GB18030, their superset.
        let expected = if encoding == "GBK" { "GB18030" } else { encoding };
        assert_eq!(json["source"]["pages"][0]["encoding"], expected, "{title}");
        let last_line = text.trim_end().lines().last().unwrap();
        let paragraph = json["articles"][0]["blocks"][0]["text"].as_str().unwrap();
        // Normalisation may make punctuation full-width; the Chinese text is intact.
        let hanzi =
            |s: &str| s.chars().filter(|c| !c.is_ascii_punctuation() && !"，。".contains(*c)).collect::<String>();
        assert_eq!(hanzi(paragraph), hanzi(last_line), "{title}");
    }
}

#[test]
fn too_large_files_are_refused_quickly() {
    let dir = tempdir();
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    // 200 MB (sparse: no disk used) and a single 50 MB line of real text.
    let f = std::fs::File::create(dir.path().join("in/huge.txt")).unwrap();
    f.set_len(200 * 1024 * 1024).unwrap();
    let line = "这是一句很长的话，".repeat(50 * 1024 * 1024 / 27 + 1);
    std::fs::write(dir.path().join("in/one-line.txt"), format!("长行汇编(第1/1页)\n\n标题\n\n{line}\n")).unwrap();
    let start = std::time::Instant::now();
    let (code, stderr, names) =
        build_with(dir.path(), "ok-name.txt", "另一汇编(第1/1页)\n\n标题\n\n正文。\n".as_bytes());
    assert!(start.elapsed().as_secs() < 20, "refused before reading: {:?}", start.elapsed());
    assert_eq!(code, Some(1));
    assert_line(&stderr, &["in/huge.txt: ", "too large"]);
    assert_line(&stderr, &["in/one-line.txt: ", "too large"]);
    assert_eq!(names, [&SAMPLE_OUTPUTS[..], &["另一汇编.json", "另一汇编.md"]].concat());
}

#[test]
fn a_single_long_line() {
    let dir = tempdir();
    let line = format!("{}。", "这是一句很长的话，".repeat(400_000)); // ~10 MB in one line
    let page = format!("长行汇编(第1/1页)\n\n标题\n\n{line}\n");
    let (code, stderr, names) = build_with(dir.path(), "long.txt", page.as_bytes());
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(names, [&SAMPLE_OUTPUTS[..], &["长行汇编.json", "长行汇编.md"]].concat());
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("o/长行汇编.json")).unwrap()).unwrap();
    assert_eq!(json["articles"][0]["blocks"][0]["text"], line.as_str(), "the line is kept whole");
}

#[test]
fn duplicate_pages_with_different_content_are_reported() {
    let dir = tempdir();
    let text = std::fs::read_to_string(data("page-03.txt")).unwrap();
    let changed = text.replace("随着京津冀", "伴随京津冀");
    let (code, stderr, names) = build_with(dir.path(), "page-03-copy.txt", changed.as_bytes());
    assert_eq!(code, Some(0));
    assert_line(&stderr, &["warning: ", "page 3 is in both page-03-copy.txt and page-03.txt"]);
    assert_eq!(names, SAMPLE_OUTPUTS);
}

#[test]
fn page_counters_that_disagree() {
    let dir = tempdir();
    let text = std::fs::read_to_string(data("page-03.txt")).unwrap().replace("(第3/13页)", "(第4/12页)");
    let (code, stderr, names) = build_with(dir.path(), "page-04.txt", text.as_bytes());
    assert_eq!(code, Some(0));
    assert_line(&stderr, &["warning: ", "page counters disagree about the page count (12, 13)"]);
    assert_eq!(names, SAMPLE_OUTPUTS);
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
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(listing(&dir.path().join("o")), ["小汇编.json"]);
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
    assert_line(&stderr_of(&out), &["error: o: cannot create the output folder"]);
    assert_eq!(std::fs::read(dir.path().join("o")).unwrap(), b"not a folder");
    assert_eq!(listing(dir.path()), ["in", "o"]);
}

#[test]
fn symlink_in_the_output_folder_is_replaced_not_followed() {
    let dir = tempdir();
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    std::fs::create_dir_all(dir.path().join("o")).unwrap();
    std::fs::copy(data("page-03.txt"), dir.path().join("in/page-03.txt")).unwrap();
    std::fs::write(dir.path().join("victim.txt"), b"keep me").unwrap();
    let link = dir.path().join("o/2022年前线文稿汇编-30篇.md");
    std::os::unix::fs::symlink(dir.path().join("victim.txt"), &link).unwrap();
    let out = folio(dir.path(), &["build", "in", "-o", "o", "-f", "md"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read(dir.path().join("victim.txt")).unwrap(), b"keep me");
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_file(), "the link became the output");
    assert!(std::fs::read_to_string(&link).unwrap().starts_with("---\n"));
    assert_eq!(listing(&dir.path().join("o")), ["2022年前线文稿汇编-30篇.md"]);
}

#[test]
fn config_with_a_wrong_type() {
    let dir = tempdir();
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    std::fs::copy(data("page-03.txt"), dir.path().join("in/page-03.txt")).unwrap();
    std::fs::write(dir.path().join("in/folio.toml"), "embed_fonts = \"yes\"\n").unwrap();
    let out = folio(dir.path(), &["build", "in", "-o", "o"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = stderr_of(&out);
    assert_line(&stderr, &["folio: in/folio.toml: ", "at line 1"]);
    assert!(stderr.contains("embed_fonts") && stderr.contains("expected a boolean"), "{stderr}");
    assert!(!dir.path().join("o").exists(), "nothing built");
}

#[test]
fn config_with_an_unknown_key() {
    // Top level (also in tests/cli.rs) and inside a table, where a typo is easiest to miss.
    for (config, key) in [
        ("fromats = [\"md\"]\n", "fromats"),
        ("[compilation.\"2022年前线文稿汇编-30篇\"]\ntitel = \"前线文稿选\"\n", "titel"),
        ("[[profile]]\nname = \"x\"\nchrom = [\"^广告$\"]\n", "chrom"),
    ] {
        let dir = tempdir();
        std::fs::create_dir_all(dir.path().join("in")).unwrap();
        std::fs::copy(data("page-03.txt"), dir.path().join("in/page-03.txt")).unwrap();
        std::fs::write(dir.path().join("in/folio.toml"), config).unwrap();
        let out = folio(dir.path(), &["build", "in", "-o", "o"]);
        assert_eq!(out.status.code(), Some(2), "{config}");
        let stderr = stderr_of(&out);
        assert_line(&stderr, &["folio: in/folio.toml: ", "at line"]);
        assert_line(&stderr, &[&format!("unknown field `{key}`")]);
        assert!(!dir.path().join("o").exists(), "nothing built");
    }
}

#[test]
fn markup_and_invisible_characters_survive_as_text() {
    let dir = tempdir();
    let body = "正文里有<script>alert(1)</script>和a & b，还有]]>与&amp;。\n\n# 不是标题 *也不是强调* [链接](x) | 表格 |\n\n---\n\n右到左\u{202e}覆盖和零宽\u{200b}字符。";
    let page = format!("标记汇编(第1/1页)\n\n春天的故事\n\n{body}\n");
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    std::fs::write(dir.path().join("in/p.txt"), page).unwrap();
    let out = folio(dir.path(), &["build", "in", "-o", "o", "-f", "md,json,epub"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
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
    let back = folio::read::markdown::read(&md, "book.md").unwrap();
    let model: folio::model::Compilation = serde_json::from_value(json).unwrap();
    assert_eq!(back, model.without_provenance());
    // The EPUB escapes the markup: no element from the text.
    let article = epub_entries(&dir.path().join("o/标记汇编.epub"))
        .into_iter()
        .find(|(_, text)| text.contains("正文里有"))
        .expect("an article document")
        .1;
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(&article, options).expect("well-formed XHTML");
    assert!(!doc.descendants().any(|n| n.has_tag_name("script")), "{article}");
    let paragraphs: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("p"))
        .map(|n| n.descendants().filter(|t| t.is_text()).filter_map(|t| t.text()).collect())
        .collect();
    assert!(
        paragraphs.iter().any(|p| p == "正文里有<script>alert(1)</script>和a & b，还有]]>与&amp;。"),
        "{paragraphs:?}"
    );
}

/// The XHTML documents of an EPUB: (name, text).
fn epub_entries(path: &Path) -> Vec<(String, String)> {
    zip_entries(&std::fs::read(path).unwrap())
        .into_iter()
        .filter(|(name, _, _)| name.ends_with(".xhtml"))
        .filter_map(|(name, data, _)| Some((name, String::from_utf8(data).ok()?)))
        .collect()
}

// ---------------------------------------------------------------------------
// Titles that are not file names.

/// Whether `name` is a file name Linux, macOS and Windows all accept, that
/// stays in its folder.
fn portable_name(name: &str) -> bool {
    const RESERVED: &[&str] = &["CON", "PRN", "AUX", "NUL", "COM1", "COM9", "LPT1", "LPT9"];
    let base = name.split('.').next().unwrap().trim_end().to_uppercase();
    name.len() <= 255
        && !name.starts_with('.')
        && !name.ends_with(['.', ' '])
        && !name.chars().any(|c| c.is_control() || "<>:\"/\\|?*".contains(c))
        && !RESERVED.contains(&base.as_str())
}

#[test]
fn titles_that_are_not_file_names_stay_inside_the_output_folder() {
    let titles = [
        "../../etc/passwd".to_string(),
        "CON".into(),
        "aux.txt".into(),
        "a/b\\c".into(),
        "<>:\"|?*".into(),
        "结尾的点和空格. .".into(),
        "长".repeat(300),
        "𠀀".repeat(300),
        "控制\u{7}字符\u{1b}".into(),
    ];
    // Build from two levels down, so `../../` from the output folder is `dir`.
    let dir = tempdir();
    let work = dir.path().join("a/work");
    std::fs::create_dir_all(work.join("in")).unwrap();
    for (i, title) in titles.iter().enumerate() {
        std::fs::write(
            work.join(format!("in/t{i}.txt")),
            format!("{title}(第1/1页)\n\n标题{i}\n\n{}\n", "这是正文。".repeat(20)),
        )
        .unwrap();
    }
    let out = folio(&work, &["build", "in", "-o", "o", "-f", "md,json", "--report", "r.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(listing(dir.path()), ["a"], "nothing written outside");
    assert_eq!(listing(&dir.path().join("a")), ["work"], "nothing written outside");
    assert_eq!(listing(&work), ["in", "o", "r.json"]);

    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(work.join("r.json")).unwrap()).unwrap();
    let compilations = report["compilations"].as_array().unwrap();
    assert_eq!(compilations.len(), titles.len());
    let names = listing(&work.join("o"));
    assert_eq!(names.len(), 2 * titles.len(), "{names:?}");
    for name in &names {
        assert!(portable_name(name), "{name:?}");
    }
    for c in compilations {
        for o in c["outputs"].as_array().unwrap() {
            let path = Path::new(o["path"].as_str().unwrap());
            assert_eq!(path.parent(), Some(Path::new("o")), "{path:?}");
        }
    }
    // Names are unique case-insensitively (macOS and Windows fold case).
    let mut folded: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    folded.dedup();
    assert_eq!(folded.len(), names.len());
    // The titles themselves are kept in the books.
    let book_titles: Vec<&str> = compilations.iter().map(|c| c["title"].as_str().unwrap()).collect();
    for title in &titles[..8] {
        assert!(book_titles.contains(&title.as_str()), "{title} not among {book_titles:?}");
    }
}

// ---------------------------------------------------------------------------
// Characters outside the bundled fonts.

#[test]
fn characters_outside_the_bundled_fonts() {
    let dir = tempdir();
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    std::fs::copy(data("page-03.txt"), dir.path().join("in/page-03.txt")).unwrap();
    // CJK Extension B (in no bundled font) and an emoji DejaVu Sans lacks (it has 😀).
    let para = "扩展字符𠀀和𪚥，还有表情🦀。";
    std::fs::write(dir.path().join("in/p.txt"), format!("字形汇编(第1/1页)\n\n春天的故事\n\n{para}\n")).unwrap();
    let out = folio(dir.path(), &["build", "in", "-o", "o", "-q", "--report", "r.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join("r.json")).unwrap()).unwrap();
    let c = report["compilations"].as_array().unwrap().iter().find(|c| c["name"] == "字形汇编").unwrap();
    let missing: Vec<&serde_json::Value> =
        c["warnings"].as_array().unwrap().iter().filter(|w| w["kind"] == "missing-glyph").collect();
    for ch in ["𠀀", "𪚥", "🦀"] {
        let w = missing.iter().find(|w| w["message"].as_str().unwrap().contains(ch));
        let w = w.unwrap_or_else(|| panic!("no missing-glyph warning for {ch}: {missing:?}"));
        assert_eq!(w["origin"]["file"], "p.txt", "{w}");
    }
    // Every output is written, and the characters are kept in the text.
    assert_eq!(listing(&dir.path().join("o")).iter().filter(|n| n.starts_with("字形汇编.")).count(), 4);
    let md = std::fs::read_to_string(dir.path().join("o/字形汇编.md")).unwrap();
    assert!(md.contains(para), "{md}");
    let epub = epub_entries(&dir.path().join("o/字形汇编.epub"));
    assert!(epub.iter().any(|(_, text)| text.contains(para)), "{epub:?}");

    // --strict makes the warning fail the run; stderr names the character, the
    // file and the line where its article starts.
    let out = folio(dir.path(), &["build", "in/p.txt", "-o", "s", "--strict", "-v"]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_line(&stderr, &["warning: no glyph for '🦀' (U+1F980)", "(p.txt:3)"]);
    assert_line(&stderr, &["error: 字形汇编: --strict"]);
}

// ---------------------------------------------------------------------------
// Templates: a syntax error, and what a template must not reach.

/// Builds the sample page with the templates in `templates/` (written from
/// `files`); returns the output and the names in the output folder.
fn build_with_templates(dir: &Path, files: &[(&str, &str)]) -> (Output, Vec<String>) {
    std::fs::create_dir_all(dir.join("in")).unwrap();
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::copy(data("page-03.txt"), dir.join("in/page-03.txt")).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join("templates").join(name), text).unwrap();
    }
    let out = folio(dir, &["build", "in", "-o", "o", "-f", "md,epub", "--templates", "templates"]);
    let names = listing(&dir.join("o"));
    (out, names)
}

#[test]
fn template_with_a_syntax_error_is_a_configuration_error() {
    let dir = tempdir();
    let broken = "<html>\n<body>\n{% for block in article.blocks %}\n<p>{{ block.text }</p>\n</body>\n</html>\n";
    let (out, names) = build_with_templates(dir.path(), &[("article.xhtml", broken)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert_line(&stderr_of(&out), &["folio: templates/article.xhtml:4: syntax error"]);
    assert!(names.is_empty(), "nothing built: {names:?}");
}

#[test]
fn template_folder_that_does_not_exist_is_a_configuration_error() {
    let dir = tempdir();
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    std::fs::copy(data("page-03.txt"), dir.path().join("in/page-03.txt")).unwrap();
    let out = folio(dir.path(), &["build", "in", "-o", "o", "-f", "epub", "--templates", "my-templates"]);
    assert_eq!(out.status.code(), Some(2));
    assert_line(&stderr_of(&out), &["template folder my-templates: not a folder"]);
    assert!(!dir.path().join("o").exists());
}

#[test]
fn template_that_fails_while_rendering_fails_only_that_compilation() {
    // The error depends on the article, so only one compilation of the two fails.
    let dir = tempdir();
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    std::fs::write(dir.path().join("in/other.txt"), "另一汇编(第1/1页)\n\n标题\n\n正文。\n").unwrap();
    let article = include_str!("../templates/article.xhtml").replace(
        "<title>{{ article.title }}</title>",
        "<title>{% if book.title|length > 10 %}{{ book.title + 1 }}{% endif %}</title>",
    );
    let (out, names) = build_with_templates(dir.path(), &[("article.xhtml", &article)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert_line(&stderr_of(&out), &["2022年前线文稿汇编-30篇", "templates/article.xhtml:6: invalid operation"]);
    assert_eq!(
        names,
        ["2022年前线文稿汇编-30篇.md", "另一汇编.epub", "另一汇编.md"],
        "the other compilation is built; no partial EPUB"
    );
}

#[test]
fn templates_cannot_read_files_outside_their_folder() {
    let secret_dir = tempdir();
    let secret = secret_dir.path().join("secret.txt");
    std::fs::write(&secret, "TOP-SECRET-VALUE").unwrap();
    let secret = secret.display().to_string();
    for article in [
        format!("{{% include \"{secret}\" %}}"),
        "{% include \"../secret.txt\" %}".to_string(),
        "{% include \"/etc/passwd\" %}".to_string(),
        format!("{{% import \"{secret}\" as s %}}{{{{ s }}}}"),
        format!("{{% extends \"{secret}\" %}}"),
    ] {
        let dir = tempdir();
        std::fs::write(dir.path().join("secret.txt"), "TOP-SECRET-VALUE").unwrap();
        let (out, names) = build_with_templates(dir.path(), &[("article.xhtml", &article)]);
        let stderr = stderr_of(&out);
        assert_eq!(out.status.code(), Some(2), "{article}: {stderr}");
        assert_line(&stderr, &["templates/article.xhtml:1: syntax error"]);
        assert!(!stderr.contains("TOP-SECRET") && !stderr.contains("root:"), "{stderr}");
        assert!(names.is_empty(), "{names:?}");
    }

    // A template that is a link leading out of the folder is refused.
    let dir = tempdir();
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::os::unix::fs::symlink(&secret, dir.path().join("templates/style.css")).unwrap();
    let (out, names) = build_with_templates(dir.path(), &[]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_line(&stderr, &["templates/style.css", "outside the template folder"]);
    assert!(!stderr.contains("TOP-SECRET"), "{stderr}");
    assert!(!stderr.contains("bundled"), "the user's file is named, not the bundled one: {stderr}");
    assert!(names.is_empty(), "{names:?}");

    // So is one that is not a regular file (a FIFO would block the build).
    let dir = sample_dir();
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    mkfifo(&dir.path().join("templates/article.xhtml"));
    let args = ["build", "in", "-o", "o", "-f", "md,epub", "--templates", "templates"];
    let out = folio_bounded(dir.path(), &args, &[], 60);
    let names = listing(&dir.path().join("o"));
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_line(&stderr, &["folio: template templates/article.xhtml: a FIFO, not a regular file"]);
    assert!(!stderr.contains("bundled"), "{stderr}");
    assert!(names.is_empty(), "{names:?}");

    // What a template can reach: its context, nothing of the environment.
    let dir = tempdir();
    let probe = "<p>[{{ env }}][{{ HOME }}][{{ PATH }}][{{ config }}][{{ self }}][{{ os }}]</p>";
    let article = include_str!("../templates/article.xhtml").replace("</header>", &format!("</header>{probe}"));
    let (out, names) = build_with_templates(dir.path(), &[("article.xhtml", &article)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(names.contains(&"2022年前线文稿汇编-30篇.epub".to_string()));
    let docs = epub_entries(&dir.path().join("o/2022年前线文稿汇编-30篇.epub"));
    let shown: Vec<&str> = docs
        .iter()
        .filter_map(|(_, t)| t.split_once("<p>[").and_then(|(_, rest)| rest.split_once("]</p>")).map(|(s, _)| s))
        .collect();
    assert!(!shown.is_empty());
    for s in shown {
        assert_eq!(s, "][][][][][", "undefined names render as nothing");
    }
}

// ---------------------------------------------------------------------------
// Permissions. Root reads and writes whatever the permission bits say, and
// the tests run as root in CI, so these run the binary as `nobody` there
// (setpriv, from util-linux); as another user they run it directly.

const NOBODY: u32 = 65534;

fn running_as_root() -> bool {
    let out = Command::new("id").arg("-u").output().expect("id -u");
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

/// Runs folio in `dir` as an unprivileged user: `nobody` when the tests run
/// as root, else the current user.
fn folio_unprivileged(dir: &Path, args: &[&str]) -> Output {
    if !running_as_root() {
        return folio(dir, args);
    }
    use std::os::unix::fs::PermissionsExt;
    // `nobody` must reach `dir` (a temporary folder is private, 0700) and the
    // binary: when its build folder is private too, the binary is linked (or
    // copied) into `dir`.
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let as_nobody = |program: &Path| {
        let mut c = Command::new("setpriv");
        c.args([format!("--reuid={NOBODY}"), format!("--regid={NOBODY}"), "--clear-groups".into(), "--".into()]);
        c.arg(program);
        c
    };
    let built = Path::new(env!("CARGO_BIN_EXE_folio"));
    let reachable =
        as_nobody(Path::new("test")).args(["-x".as_ref(), built.as_os_str()]).status().is_ok_and(|s| s.success());
    let bin = if reachable { built.to_path_buf() } else { dir.join("folio-bin") };
    if !reachable && std::fs::hard_link(built, &bin).is_err() {
        std::fs::copy(built, &bin).unwrap();
    }
    let out = as_nobody(&bin)
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("setpriv (util-linux) runs folio as nobody when the tests run as root");
    if !reachable {
        std::fs::remove_file(&bin).unwrap();
    }
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("setpriv:"),
        "setpriv failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Makes `path` belong to the user [`folio_unprivileged`] runs as.
fn give_to_runner(path: &Path) {
    if running_as_root() {
        std::os::unix::fs::chown(path, Some(NOBODY), Some(NOBODY)).unwrap();
    }
}

#[test]
fn unreadable_input_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    std::fs::create_dir_all(dir.path().join("o")).unwrap();
    give_to_runner(&dir.path().join("o"));
    std::fs::copy(data("page-03.txt"), dir.path().join("in/page-03.txt")).unwrap();
    std::fs::write(dir.path().join("in/secret.txt"), "另一汇编(第1/1页)\n\n标题\n\n正文。\n").unwrap();
    std::fs::set_permissions(dir.path().join("in/secret.txt"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = folio_unprivileged(dir.path(), &["build", "in", "-o", "o", "-f", "md,json"]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_line(&stderr, &["error: in/secret.txt: cannot read the file: Permission denied"]);
    assert_eq!(listing(&dir.path().join("o")), SAMPLE_OUTPUTS, "the other compilation is built");
}

#[test]
fn read_only_output_folder() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    std::fs::copy(data("page-03.txt"), dir.path().join("in/page-03.txt")).unwrap();
    let o = dir.path().join("o");
    std::fs::create_dir_all(&o).unwrap();
    std::fs::write(o.join("earlier.md"), "an earlier output").unwrap();
    give_to_runner(&o);
    std::fs::set_permissions(&o, std::fs::Permissions::from_mode(0o555)).unwrap();
    let out = folio_unprivileged(dir.path(), &["build", "in", "-o", "o", "-f", "md,json,epub"]);
    std::fs::set_permissions(&o, std::fs::Permissions::from_mode(0o755)).unwrap();
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_line(&stderr, &["error: o: cannot write into the output folder: permission denied"]);
    assert_eq!(stderr.matches("error:").count(), 1, "one error for the folder, not one per output: {stderr}");
    assert_eq!(listing(&o), ["earlier.md"], "nothing written, nothing half-written");
    assert_eq!(std::fs::read_to_string(o.join("earlier.md")).unwrap(), "an earlier output");
}

// ---------------------------------------------------------------------------
// Issue 12: archives and hostile situations. Never clobber, never hang, never
// abort the batch. Special files are made in the test's temporary folder
// (a FIFO with mkfifo; a null device with mknod when the tests run as root),
// never the system's: a regression replaces a file of the test, not
// /dev/null.

/// Runs folio with a deadline and a memory limit: a hang fails the test
/// instead of stalling the run, and a regression that reads an endless file
/// fails instead of taking the machine's memory.
fn folio_bounded(dir: &Path, args: &[&str], env: &[(&str, &str)], secs: u64) -> Output {
    use std::io::Read;
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 4000000; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipes = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let stdout = std::thread::spawn(move || {
        let mut v = Vec::new();
        pipes.0.read_to_end(&mut v).ok();
        v
    });
    let stderr = std::thread::spawn(move || {
        let mut v = Vec::new();
        pipes.1.read_to_end(&mut v).ok();
        v
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            child.kill().ok();
            child.wait().ok();
            panic!("folio {args:?} did not finish within {secs} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Output { status, stdout: stdout.join().unwrap(), stderr: stderr.join().unwrap() }
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {}", path.display());
}

fn is_fifo(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_fifo())
}

/// A folder `in/` holding the sample page.
fn sample_dir() -> tempfile::TempDir {
    let dir = tempdir();
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    std::fs::copy(data("page-03.txt"), dir.path().join("in/page-03.txt")).unwrap();
    dir
}

/// Opens the FIFO at `path` for reading and writing (so folio's open for
/// writing never blocks) and collects what is written into it until
/// [`FifoReader::finish`].
struct FifoReader {
    hold: std::fs::File,
    reader: std::thread::JoinHandle<Vec<u8>>,
}

const FIFO_END: &[u8] = b"\n<end of test>\n";

impl FifoReader {
    fn open(path: &Path) -> FifoReader {
        use std::io::Read;
        let hold = std::fs::OpenOptions::new().read(true).write(true).open(path).unwrap();
        let mut r = hold.try_clone().unwrap();
        let reader = std::thread::spawn(move || {
            let mut got = Vec::new();
            let mut buf = [0u8; 8192];
            while !got.ends_with(FIFO_END) {
                let n = r.read(&mut buf).unwrap();
                got.extend_from_slice(&buf[..n]);
            }
            got.truncate(got.len() - FIFO_END.len());
            got
        });
        FifoReader { hold, reader }
    }

    /// What was written into the FIFO.
    fn finish(mut self) -> Vec<u8> {
        use std::io::Write;
        self.hold.write_all(FIFO_END).unwrap();
        self.reader.join().unwrap()
    }
}

#[test]
fn report_into_a_fifo_is_written_into_not_replaced() {
    let dir = sample_dir();
    let fifo = dir.path().join("report.fifo");
    mkfifo(&fifo);
    let reader = FifoReader::open(&fifo);
    let out = folio_bounded(dir.path(), &["build", "in", "-o", "o", "-f", "md", "--report", "report.fifo"], &[], 60);
    let got = reader.finish();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(is_fifo(&fifo), "the FIFO is still there");
    let report: serde_json::Value = serde_json::from_slice(&got).expect("the report came through the FIFO");
    assert_eq!(report["summary"]["compilations"], 1);
    assert!(listing(dir.path()).iter().all(|n| !n.starts_with(".folio")), "no temporary left");

    // `report merge -o` too.
    std::fs::write(dir.path().join("r.json"), &got).unwrap();
    let reader = FifoReader::open(&fifo);
    let out = folio_bounded(dir.path(), &["report", "merge", "r.json", "-o", "report.fifo"], &[], 60);
    let merged = reader.finish();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(is_fifo(&fifo));
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&merged).unwrap()["summary"]["compilations"], 1);
}

#[test]
fn report_into_a_null_device_is_written_into_not_replaced() {
    // As root, a null device of the test's own (the system's /dev/null is
    // never named: a regression would replace it).
    if running_as_root() {
        let dir = sample_dir();
        let null = dir.path().join("null");
        let made = Command::new("mknod").arg(&null).args(["c", "1", "3"]).status().unwrap().success();
        if made {
            let out = folio_bounded(dir.path(), &["build", "in", "-o", "o", "-f", "md", "--report", "null"], &[], 60);
            assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
            use std::os::unix::fs::FileTypeExt;
            let meta = std::fs::symlink_metadata(&null).unwrap();
            assert!(meta.file_type().is_char_device(), "the device is still a device");
            let out = folio_bounded(dir.path(), &["report", "merge", "-o", "null", "in/../null"], &[], 60);
            assert_eq!(out.status.code(), Some(2), "the device is not a report: {}", stderr_of(&out));
            let out = folio_bounded(dir.path(), &["report", "merge", "-o", "null", "nothing.json"], &[], 60);
            assert_eq!(out.status.code(), Some(2));
            assert!(std::fs::symlink_metadata(&null).unwrap().file_type().is_char_device());
        } else {
            eprintln!("mknod is not permitted here: the device case is left to the unprivileged run below");
        }
    }
    // The real /dev/null, by a user who cannot replace it (nobody, when the
    // tests run as root): it takes the report, and the run succeeds.
    let dir = sample_dir();
    std::fs::create_dir_all(dir.path().join("o")).unwrap();
    give_to_runner(&dir.path().join("o"));
    let out = folio_unprivileged(dir.path(), &["build", "in", "-o", "o", "-f", "md", "--report", "/dev/null"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(listing(&dir.path().join("o")), ["2022年前线文稿汇编-30篇.md"]);
    // And /dev/stdout (a link to the pipe the test reads) takes it too.
    let out = folio_unprivileged(dir.path(), &["build", "in", "-o", "o", "-f", "md", "--report", "/dev/stdout"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the report on standard output");
    assert_eq!(report["summary"]["compilations"], 1);
}

#[test]
fn report_that_cannot_be_written_is_refused_before_building() {
    let dir = sample_dir();
    for (report, reason) in
        [("nowhere/r.json", "the folder nowhere does not exist"), ("in", "is a folder"), (".", "is a folder")]
    {
        let out = folio_bounded(dir.path(), &["build", "in", "-o", "o", "-f", "md", "--report", report], &[], 60);
        assert_eq!(out.status.code(), Some(2), "{report}: {}", stderr_of(&out));
        assert_line(&stderr_of(&out), &["folio: --report ", report, reason]);
        assert!(!dir.path().join("o").exists(), "nothing built");
    }
    // A report inside the output folder the run creates is fine.
    let out = folio_bounded(dir.path(), &["build", "in", "-o", "o", "-f", "md", "--report", "./o/r.json"], &[], 60);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(listing(&dir.path().join("o")), ["2022年前线文稿汇编-30篇.md", "r.json"]);
}

#[test]
fn report_naming_an_input_or_an_output_is_refused() {
    let dir = sample_dir();
    let page = std::fs::read(dir.path().join("in/page-03.txt")).unwrap();
    let out = folio_bounded(dir.path(), &["build", "in", "-o", "o", "-f", "md", "--report", "in/page-03.txt"], &[], 60);
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert_line(&stderr_of(&out), &["folio: --report in/page-03.txt: that is an input file"]);
    assert_eq!(std::fs::read(dir.path().join("in/page-03.txt")).unwrap(), page, "the page is intact");
    assert!(!dir.path().join("o").exists(), "nothing built");

    // An output: the JSON book of an earlier run is not replaced by the report.
    let out = folio_bounded(dir.path(), &["build", "in", "-o", "o", "-f", "json"], &[], 60);
    assert_eq!(out.status.code(), Some(0));
    let book = std::fs::read(dir.path().join("o/2022年前线文稿汇编-30篇.json")).unwrap();
    for report in ["o/2022年前线文稿汇编-30篇.json", "./o/../o/2022年前线文稿汇编-30篇.json"] {
        let out = folio_bounded(dir.path(), &["build", "in", "-o", "o", "-f", "json", "--report", report], &[], 60);
        assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
        assert_line(
            &stderr_of(&out),
            &["folio: --report o/2022年前线文稿汇编-30篇.json: that is where an output goes"],
        );
        assert_eq!(std::fs::read(dir.path().join("o/2022年前线文稿汇编-30篇.json")).unwrap(), book);
    }
    // `check` writes no output, but the report is still never an input.
    let out = folio_bounded(dir.path(), &["check", "in", "--report", "in/page-03.txt"], &[], 60);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(dir.path().join("in/page-03.txt")).unwrap(), page);
}

#[test]
fn a_markdown_book_built_into_its_own_folder_is_not_overwritten() {
    let dir = sample_dir();
    let out = folio_bounded(dir.path(), &["build", "in", "-o", "o", "-f", "md"], &[], 60);
    assert_eq!(out.status.code(), Some(0));
    let book = dir.path().join("o/2022年前线文稿汇编-30篇.md");
    let md = std::fs::read(&book).unwrap();
    let out = folio_bounded(
        &dir.path().join("o"),
        &["build", "2022年前线文稿汇编-30篇.md", "-o", ".", "-f", "md,json"],
        &[],
        60,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert_line(
        &stderr_of(&out),
        &[
            "2022年前线文稿汇编-30篇.md: the output ",
            "would overwrite this input (a Markdown book's outputs are named after its file)",
        ],
    );
    assert_eq!(std::fs::read(&book).unwrap(), md, "the book is intact");
    assert_eq!(listing(&dir.path().join("o")), ["2022年前线文稿汇编-30篇.md"], "nothing written");
}

#[test]
fn a_folder_built_into_itself_does_not_read_its_own_outputs() {
    let dir = sample_dir();
    let work = dir.path().join("in");
    for run in 0..3 {
        let out = folio_bounded(&work, &["build", ".", "-o", ".", "-f", "md,json"], &[], 60);
        assert_eq!(out.status.code(), Some(0), "run {run}: {}", stderr_of(&out));
        assert_eq!(
            listing(&work),
            ["2022年前线文稿汇编-30篇.json", "2022年前线文稿汇编-30篇.md", "page-03.txt"],
            "run {run}: the outputs were not read back as a second compilation"
        );
    }
    // An output folder inside the input folder is not walked.
    let out = folio_bounded(dir.path(), &["build", "in", "-o", "in/out", "-f", "md"], &[], 60);
    assert_eq!(out.status.code(), Some(0));
    std::fs::copy(data("page-03.txt"), dir.path().join("in/out/stray.txt")).unwrap();
    let out = folio_bounded(dir.path(), &["build", "in", "-o", "in/out", "-f", "md", "--report", "r.json"], &[], 60);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join("r.json")).unwrap()).unwrap();
    let inputs = &report["compilations"][0]["inputs"];
    assert_eq!(inputs.as_array().unwrap().len(), 1, "{inputs}");

    // Two compilations of one title (the pages, and the book read back from
    // another folder): both built, and a warning says so.
    std::fs::create_dir_all(dir.path().join("books")).unwrap();
    std::fs::copy(
        dir.path().join("in/2022年前线文稿汇编-30篇.md"),
        dir.path().join("books/2022年前线文稿汇编-30篇.md"),
    )
    .unwrap();
    let out = folio_bounded(dir.path(), &["build", "in/page-03.txt", "books", "-o", "o", "-f", "json"], &[], 60);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_line(&stderr_of(&out), &["warning: ", "two compilations share the title 2022年前线文稿汇编-30篇", "-2"]);
    assert_eq!(listing(&dir.path().join("o")), ["2022年前线文稿汇编-30篇-2.json", "2022年前线文稿汇编-30篇.json"]);
}

#[test]
fn special_files_in_a_folder_are_skipped_with_a_warning() {
    let dir = sample_dir();
    mkfifo(&dir.path().join("in/x.txt"));
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("in/z.txt")).unwrap();
    // A sub-folder whose .gitignore is a FIFO: the walker would block reading it.
    std::fs::create_dir_all(dir.path().join("in/sub")).unwrap();
    mkfifo(&dir.path().join("in/sub/.gitignore"));
    std::fs::write(dir.path().join("in/sub/p.txt"), "另一汇编(第1/1页)\n\n标题\n\n正文。\n").unwrap();
    // A FIFO named folio.toml is not a config.
    mkfifo(&dir.path().join("in/folio.toml"));
    let out = folio_bounded(dir.path(), &["build", "in", "-o", "o", "-f", "md,json", "--report", "r.json"], &[], 60);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_line(&stderr, &["warning: in/x.txt: a FIFO, not a regular file; skipped"]);
    assert_line(&stderr, &["warning: in/z.txt: a character device, not a regular file; skipped"]);
    assert_line(&stderr, &["warning: in/sub/.gitignore: is a FIFO, not a regular file; the folder in/sub is skipped"]);
    assert_eq!(listing(&dir.path().join("o")), SAMPLE_OUTPUTS);
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(report["warnings"].as_array().unwrap().len(), 3, "{}", report["warnings"]);

    // --strict: the skipped files fail the run.
    let out = folio_bounded(dir.path(), &["build", "in", "-o", "o", "-f", "md", "--strict"], &[], 60);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
}

#[test]
fn special_files_named_by_the_user_are_read_within_the_limits() {
    let dir = sample_dir();
    // A FIFO named as an input is read (a process substitution is one).
    let fifo = dir.path().join("page.fifo");
    mkfifo(&fifo);
    let page = std::fs::read(data("page-03.txt")).unwrap();
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, page).unwrap())
    };
    let out = folio_bounded(dir.path(), &["build", "page.fifo", "-o", "o", "-f", "md"], &[], 60);
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(listing(&dir.path().join("o")), ["2022年前线文稿汇编-30篇.md"]);

    // Endless files are cut off at the limit, as an input, a config, a font
    // and a report to merge.
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("z.txt")).unwrap();
    let out = folio_bounded(dir.path(), &["build", "z.txt", "-o", "o", "-f", "md"], &[], 60);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert_line(&stderr_of(&out), &["error: z.txt: more than 16 MiB: too large for a page file"]);
    let out = folio_bounded(dir.path(), &["build", "in", "-o", "o", "-f", "md", "--config", "/dev/zero"], &[], 60);
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert_line(&stderr_of(&out), &["folio: /dev/zero: more than 1 MiB: too large"]);
    std::fs::write(dir.path().join("folio.toml"), "fonts.serif = { path = \"/dev/zero\" }\n").unwrap();
    let out = folio_bounded(dir.path(), &["build", "in", "-o", "o", "-f", "pdf", "--config", "folio.toml"], &[], 60);
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert_line(&stderr_of(&out), &["cannot read font /dev/zero: more than 256 MiB: too large"]);
    let out = folio_bounded(dir.path(), &["report", "merge", "z.txt"], &[], 60);
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert_line(&stderr_of(&out), &["folio: z.txt: more than 512 MiB: too large"]);
}

#[test]
fn sub_folders_of_an_archive_are_walked() {
    let dir = tempdir();
    let archive = dir.path().join("archive");
    let text = std::fs::read_to_string(data("page-03.txt")).unwrap();
    for (sub, title) in [("book-a", "甲汇编"), ("book-b/deeper", "乙汇编")] {
        std::fs::create_dir_all(archive.join(sub)).unwrap();
        let page = text.replace("2022年前线文稿汇编-30篇", title);
        std::fs::write(archive.join(sub).join("page-03.txt"), page).unwrap();
    }
    // Left out: hidden entries, what .gitignore and .ignore name.
    std::fs::create_dir_all(archive.join(".cache")).unwrap();
    std::fs::write(archive.join(".cache/page.txt"), text.replace("2022年前线文稿汇编-30篇", "隐藏汇编")).unwrap();
    std::fs::write(archive.join(".hidden.txt"), text.replace("2022年前线文稿汇编-30篇", "隐藏汇编")).unwrap();
    std::fs::create_dir_all(archive.join("drafts")).unwrap();
    std::fs::write(archive.join("drafts/d.txt"), text.replace("2022年前线文稿汇编-30篇", "草稿汇编")).unwrap();
    std::fs::write(archive.join("book-b/skip.txt"), text.replace("2022年前线文稿汇编-30篇", "忽略汇编")).unwrap();
    std::fs::write(archive.join(".gitignore"), "drafts/\n").unwrap();
    std::fs::write(archive.join("book-b/.ignore"), "skip.txt\n").unwrap();
    // A symlink loop is reported once, and the walk goes on.
    std::os::unix::fs::symlink("..", archive.join("book-a/loop")).unwrap();
    let out = folio_bounded(dir.path(), &["build", "archive", "-o", "o", "-f", "json"], &[], 60);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(listing(&dir.path().join("o")), ["乙汇编.json", "甲汇编.json"]);
    assert_eq!(stderr.matches("symlink loop").count(), 1, "{stderr}");
    assert_line(&stderr, &["warning: archive/book-a/loop: a symlink loop"]);
    // A page at the top and pages below it are read alike.
    std::fs::write(archive.join("top.txt"), text.replace("2022年前线文稿汇编-30篇", "顶层汇编")).unwrap();
    let out = folio_bounded(dir.path(), &["build", "archive", "-o", "o2", "-f", "json"], &[], 60);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(listing(&dir.path().join("o2")), ["乙汇编.json", "甲汇编.json", "顶层汇编.json"]);
}

#[test]
fn a_runaway_template_fails_only_that_epub() {
    // Output that grows without end (a loop) and output written in a few big
    // pieces: each fails that compilation's EPUB, naming the template; the
    // Markdown and the report are still written.
    for (runaway, reason) in [
        ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "ran out of fuel"),
        ("{% for i in range(100) %}{{ 'x' * 90000000 }}{% endfor %}", "the document grew past 128 MiB"),
    ] {
        let dir = tempdir();
        std::fs::create_dir_all(dir.path().join("in")).unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::copy(data("page-03.txt"), dir.path().join("in/page-03.txt")).unwrap();
        std::fs::write(dir.path().join("in/other.txt"), "另一汇编(第1/1页)\n\n标题\n\n正文。\n").unwrap();
        let article = include_str!("../templates/article.xhtml").replace("</header>", &format!("</header>{runaway}"));
        std::fs::write(dir.path().join("templates/article.xhtml"), article).unwrap();
        let args = ["build", "in", "-o", "o", "-f", "md,epub", "--templates", "templates", "--report", "r.json"];
        let out = folio_bounded(dir.path(), &args, &[], 300);
        let stderr = stderr_of(&out);
        assert_eq!(out.status.code(), Some(1), "{runaway}: {stderr}");
        assert_line(&stderr, &["error: 2022年前线文稿汇编-30篇: ", "templates/article.xhtml", reason]);
        assert_line(&stderr, &["error: 另一汇编: ", "templates/article.xhtml", reason]);
        assert_eq!(listing(&dir.path().join("o")), ["2022年前线文稿汇编-30篇.md", "另一汇编.md"]);
        let report: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("r.json")).unwrap()).unwrap();
        assert_eq!(report["summary"]["failed"], 2);
    }
}

#[test]
fn a_template_that_renders_ill_formed_xhtml_fails_that_epub() {
    let dir = tempdir();
    let article = include_str!("../templates/article.xhtml").replace("</header>", "</header><p>unclosed<br>");
    let (out, names) = build_with_templates(dir.path(), &[("article.xhtml", &article)]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_line(&stderr, &["templates/article.xhtml: the rendered document is not well-formed XML"]);
    assert_eq!(names, ["2022年前线文稿汇编-30篇.md"], "no EPUB");
    // Entities XHTML does not define are not well-formed either.
    let dir = tempdir();
    let title = include_str!("../templates/title.xhtml").replace("</body>", "&nbsp;</body>");
    let (out, names) = build_with_templates(dir.path(), &[("title.xhtml", &title)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert_line(&stderr_of(&out), &["templates/title.xhtml: the rendered document is not well-formed XML"]);
    assert_eq!(names, ["2022年前线文稿汇编-30篇.md"]);
}

#[test]
fn a_panic_in_one_compilation_fails_only_that_one() {
    // FOLIO_TEST_PANIC is a hook of debug builds (the tests'), absent from release builds.
    let dir = sample_dir();
    std::fs::write(dir.path().join("in/other.txt"), "另一汇编(第1/1页)\n\n标题\n\n正文。\n").unwrap();
    let args = ["build", "in", "-o", "o", "-f", "md,json", "--report", "r.json"];
    let out = folio_bounded(dir.path(), &args, &[("FOLIO_TEST_PANIC", "另一汇编")], 60);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_line(&stderr, &["error: 另一汇编: internal error (a bug in folio, please report it"]);
    assert_eq!(listing(&dir.path().join("o")), SAMPLE_OUTPUTS, "the other compilation is built");
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(report["summary"]["compilations"], 2);
    assert_eq!(report["summary"]["failed"], 1);
}

#[test]
fn thousands_of_jobs_are_capped() {
    let dir = sample_dir();
    let cores = std::thread::available_parallelism().unwrap().get();
    for jobs in ["5000", "100000"] {
        let out = folio_bounded(dir.path(), &["build", "in", "-o", "o", "-f", "md", "-j", jobs], &[], 60);
        let stderr = stderr_of(&out);
        assert_eq!(out.status.code(), Some(0), "-j {jobs}: {stderr}");
        assert_line(&stderr, &[&format!("folio: -j {jobs}: using {} threads", 4 * cores)]);
        assert_eq!(listing(&dir.path().join("o")), ["2022年前线文稿汇编-30篇.md"]);
    }
}

#[test]
fn page_numbers_outside_the_counter_are_kept_out_of_the_page_order() {
    let dir = sample_dir();
    let text = std::fs::read_to_string(data("page-03.txt")).unwrap();
    let counter = "2022年前线文稿汇编-30篇(第3/13页)";
    let cases = [
        ("page-00.txt", "2022年前线文稿汇编-30篇(第0/13页)", "page number 0 is not one of 1 to 99999"),
        ("page-14.txt", "2022年前线文稿汇编-30篇(第14/13页)", "page 14 is past the page count 13"),
        ("total-0.txt", "2022年前线文稿汇编-30篇(第1/0页)", "page count 0 is not one of 1 to 99999"),
        ("minus.txt", "2022年前线文稿汇编-30篇(第-1/13页)", "page number -1 is not one of"),
        ("huge.txt", "2022年前线文稿汇编-30篇(第1/100000页)", "page count 100000 is not one of"),
        (
            "digits.txt",
            "2022年前线文稿汇编-30篇(第12345678901234567890123/13页)",
            "page number 12345678901234567890123",
        ),
    ];
    for (file, line, _) in cases {
        std::fs::write(dir.path().join("in").join(file), text.replace(counter, line)).unwrap();
    }
    let out = folio_bounded(dir.path(), &["build", "in", "-o", "o", "-f", "json", "--report", "r.json"], &[], 60);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    for (file, line, why) in cases {
        // The counter sits on line 3 of the sample page.
        assert_line(&stderr, &["warning: the page counter `", line, why, &format!("({file}:3)")]);
    }
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join("r.json")).unwrap()).unwrap();
    let main = report["compilations"].as_array().unwrap().iter().find(|c| c["name"] == "2022年前线文稿汇编-30篇");
    let main = main.expect("the sample's compilation");
    assert_eq!(main["pages_found"], serde_json::json!([3]), "only the real page 3 in the page order");
    assert_eq!(main["inputs"].as_array().unwrap().len(), 1);
    // Each bad page is read on its own: its text is kept, the counter and the
    // stats line are not an article.
    for (file, line, _) in cases {
        let stem = file.trim_end_matches(".txt");
        let c = report["compilations"].as_array().unwrap().iter().find(|c| c["name"] == stem);
        let c = c.unwrap_or_else(|| panic!("{file} built on its own"));
        let titles: Vec<&str> =
            c["articles"].as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap()).collect();
        assert_eq!(
            titles,
            main["articles"].as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap()).collect::<Vec<_>>()
        );
        assert!(!titles.iter().any(|t| t.contains(line) || t.contains("共计")), "{titles:?}");
    }
}

#[test]
fn report_merge_refuses_duplicate_and_mixed_shards_and_warns_of_missing_ones() {
    let dir = tempdir();
    let text = std::fs::read_to_string(data("page-03.txt")).unwrap();
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    for i in 0..4 {
        let page = text.replace("2022年前线文稿汇编-30篇(第3/13页)", &format!("汇编{i}(第3/13页)"));
        std::fs::write(dir.path().join(format!("in/c{i}.txt")), page).unwrap();
    }
    std::fs::write(dir.path().join("in/empty.txt"), "").unwrap();
    for shard in ["0/2", "1/2", "0/3"] {
        let report = format!("r{}.json", shard.replace('/', "-"));
        let args = ["build", "in", "-o", "o", "-f", "json", "--shard", shard, "--report", &report, "-q"];
        assert_eq!(folio_bounded(dir.path(), &args, &[], 60).status.code(), Some(1), "empty.txt fails");
    }
    let out =
        folio_bounded(dir.path(), &["build", "in", "-o", "o", "-f", "json", "--report", "all.json", "-q"], &[], 60);
    assert_eq!(out.status.code(), Some(1));

    let merge = |reports: &[&str]| {
        let mut args = vec!["report", "merge"];
        args.extend_from_slice(reports);
        folio_bounded(dir.path(), &args, &[], 60)
    };
    // The same report twice.
    let out = merge(&["r0-2.json", "r0-2.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert_line(&stderr_of(&out), &["folio: shard 0/2 is in both r0-2.json and r0-2.json"]);
    let out = merge(&["all.json", "all.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert_line(&stderr_of(&out), &["folio: the compilation 汇编", "is in both all.json and all.json"]);
    // Shards of two different splits.
    let out = merge(&["r0-2.json", "r0-3.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert_line(&stderr_of(&out), &["r0-3.json is a shard of 3 and r0-2.json a shard of 2"]);
    // A whole batch with a shard of it.
    let out = merge(&["all.json", "r1-2.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    // A missing shard: merged, with a warning.
    let out = merge(&["r1-2.json"]);
    assert_line(&stderr_of(&out), &["warning: 1 of 2 shards missing: 0/2"]);
    let merged: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(merged["warnings"][0]["message"], "1 of 2 shards missing: 0/2");
    // Every shard reads every file: the file error appears once when merged.
    let out = merge(&["r0-2.json", "r1-2.json"]);
    assert_eq!(out.status.code(), Some(1), "a file failed: {}", stderr_of(&out));
    let merged: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(merged["summary"]["compilations"], 4);
    assert_eq!(merged["file_errors"].as_array().unwrap().len(), 1, "{}", merged["file_errors"]);
    assert!(merged.get("warnings").is_none(), "{merged}");
}

// Point 16 of issue 12: smaller ones.

#[test]
fn a_bad_font_is_a_configuration_error_before_building() {
    // A font that cannot be parsed: a configuration error before anything is built.
    let dir = sample_dir();
    std::fs::write(dir.path().join("bad.ttf"), b"not a font").unwrap();
    std::fs::write(dir.path().join("in/folio.toml"), "fonts.serif = { path = \"../bad.ttf\" }\n").unwrap();
    let out = folio_bounded(dir.path(), &["build", "in", "-o", "o"], &[], 60);
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert_line(&stderr_of(&out), &["folio: ", "cannot parse font in/../bad.ttf (face 0)"]);
    assert!(!dir.path().join("o").exists(), "nothing built");
}

#[test]
fn a_config_that_does_not_apply_is_a_warning() {
    // A second input folder's folio.toml does not apply: a warning says so.
    let dir = sample_dir();
    std::fs::create_dir_all(dir.path().join("in2")).unwrap();
    std::fs::write(dir.path().join("in2/p.txt"), "另一汇编(第1/1页)\n\n标题\n\n正文。\n").unwrap();
    std::fs::write(dir.path().join("in2/folio.toml"), "formats = [\"json\"]\n").unwrap();
    let out = folio_bounded(dir.path(), &["build", "in", "in2", "-o", "o", "-f", "md"], &[], 60);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_line(&stderr_of(&out), &["folio: warning: in2/folio.toml: not used; one config applies to a run"]);
}

#[test]
fn user_chrome_patterns_match_whole_lines() {
    // Chrome patterns match whole lines: `""` and `广告` remove nothing of the text.
    let dir = sample_dir();
    let page = "广告汇编(第1/1页)\n\n春天的故事\n\n这是广告位的正文。\n\n广告\n";
    std::fs::write(dir.path().join("in/ad.txt"), page).unwrap();
    std::fs::write(dir.path().join("in/folio.toml"), "[[profile]]\nname = \"x\"\nchrome = [\"\", \"广告\"]\n").unwrap();
    let out = folio_bounded(dir.path(), &["build", "in", "-o", "o", "-f", "json"], &[], 60);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("o/广告汇编.json")).unwrap()).unwrap();
    assert_eq!(json["articles"][0]["blocks"][0]["text"], "这是广告位的正文。");
    assert_eq!(json["articles"][0]["blocks"].as_array().unwrap().len(), 1, "the last line `广告` is chrome");
    let sample: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("o/2022年前线文稿汇编-30篇.json")).unwrap()).unwrap();
    assert_eq!(sample["articles"].as_array().unwrap().len(), 3, "the sample is whole");
}

#[test]
fn a_failed_markdown_compilation_is_named_by_its_file() {
    // A failed Markdown compilation is named by its file, in every message.
    let dir = sample_dir();
    std::fs::write(dir.path().join("in/broken.md"), "no front matter here\n").unwrap();
    let args = ["build", "in", "-o", "o", "-f", "json", "--report", "r.json", "--log-format", "json"];
    let out = folio_bounded(dir.path(), &args, &[], 60);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let report = std::fs::read_to_string(dir.path().join("r.json")).unwrap();
    for text in [&stderr, &report] {
        assert!(!text.contains("md\u{0}") && !text.contains("md\\u0000"), "{text}");
    }
    assert!(stderr.contains("\"title\":\"broken\""), "{stderr}");
}

#[test]
fn invisible_characters_in_messages_are_escaped() {
    // NUL and right-to-left overrides in names are shown escaped.
    let dir = sample_dir();
    std::fs::write(dir.path().join("in/a\u{202e}txt.exe.txt"), "").unwrap();
    std::fs::write(dir.path().join("in/t.txt"), "反\u{202e}转汇编(第1/1页)\n\n标题\n\n正文。\n").unwrap();
    let out = folio_bounded(dir.path(), &["build", "in", "-o", "o", "-f", "json"], &[], 60);
    let stderr = stderr_of(&out);
    assert!(!stderr.contains('\u{202e}'), "{stderr}");
    assert_line(&stderr, &["error: in/a\\u{202e}txt.exe.txt: the file is empty"]);
    assert_line(&stderr, &["反\\u{202e}转汇编: 1 articles"]);
}

#[test]
fn utf16_without_a_bom_is_read() {
    // UTF-16 without a BOM is read.
    let dir = sample_dir();
    let text = "无标记汇编(第1/1页)\n\n春天的故事\n\n这是一段没有字节顺序标记的文字。\n";
    std::fs::write(dir.path().join("in/le.txt"), text.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>())
        .unwrap();
    let out = folio_bounded(dir.path(), &["build", "in", "-o", "o", "-f", "json"], &[], 60);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("o/无标记汇编.json")).unwrap()).unwrap();
    assert_eq!(json["source"]["pages"][0]["encoding"], "UTF-16LE");
}

#[test]
fn check_says_checked() {
    // `folio check` says checked, not built.
    let dir = sample_dir();
    let out = folio_bounded(dir.path(), &["check", "in"], &[], 60);
    assert_line(&stderr_of(&out), &["folio: checked 2022年前线文稿汇编-30篇 (3 articles"]);
    assert!(!stderr_of(&out).contains("built"), "{}", stderr_of(&out));
}

#[test]
fn an_untitled_article_is_not_said_to_be_on_a_missing_page() {
    // An untitled article whose start is not missing is not said to be on a missing page.
    let dir = sample_dir();
    let out = folio_bounded(dir.path(), &["build", "in", "-o", "o", "-f", "md"], &[], 60);
    assert_eq!(out.status.code(), Some(0));
    let md = std::fs::read_to_string(dir.path().join("o/2022年前线文稿汇编-30篇.md")).unwrap();
    let untitled = md.replacen("\n# 通勤圈是构建现代化首都都市圈的先行力量\n", "\n# \n", 1);
    assert_ne!(md, untitled);
    std::fs::write(dir.path().join("book.md"), untitled).unwrap();
    let out = folio_bounded(dir.path(), &["build", "book.md", "-o", "o2", "-f", "json", "-v"], &[], 60);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("(title on a missing page)"), "{stderr}");
    assert_line(&stderr, &["  1. (untitled) — 张超"]);
}

#[test]
fn an_unclosed_curly_quote_is_an_unpaired_quote() {
    // An unclosed “ is an unpaired quote.
    let dir = sample_dir();
    std::fs::write(dir.path().join("in/q.txt"), "引号汇编(第1/1页)\n\n春天的故事\n\n他说：“你好，再见。\n").unwrap();
    let out = folio_bounded(dir.path(), &["build", "in/q.txt", "-o", "o", "-f", "json", "--strict"], &[], 60);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert_line(&stderr_of(&out), &["warning: 1 quotation mark(s) without a partner"]);
}

#[test]
fn ctrl_c_removes_this_runs_temporaries_only_and_exits_130() {
    // Five copies of bench13, every format: long enough to be interrupted.
    let dir = tempdir();
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    for i in 0..5 {
        for p in 1..=13 {
            let text = std::fs::read_to_string(data(&format!("bench13/page-{p:02}.txt"))).unwrap();
            let text = text.replace("2022年前线文稿汇编-30篇", &format!("汇编{i}"));
            std::fs::write(dir.path().join(format!("in/c{i}-p{p:02}.txt")), text).unwrap();
        }
    }
    // Another run's temporary file in the same output folder is not ours to remove.
    std::fs::create_dir_all(dir.path().join("o")).unwrap();
    std::fs::write(dir.path().join("o/.folio-another-run.tmp"), b"half written by another run").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["build", "in", "-o", "o", "-j", "2"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Interrupt once the first output is being written.
    let start = std::time::Instant::now();
    while listing(&dir.path().join("o")).len() < 2 {
        assert!(child.try_wait().unwrap().is_none(), "the build ended before it could be interrupted");
        assert!(start.elapsed().as_secs() < 120, "no output after 120 s");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let ok = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap().success();
    assert!(ok);
    let out = child.wait_with_output().unwrap();
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert_line(&stderr, &["folio: interrupted"]);
    let left = listing(&dir.path().join("o"));
    assert_eq!(left.iter().filter(|n| n.starts_with('.')).collect::<Vec<_>>(), [".folio-another-run.tmp"], "{left:?}");
}
