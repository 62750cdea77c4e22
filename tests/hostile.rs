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
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .filter_map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let name = f.name().to_string();
            let mut text = String::new();
            (name.ends_with(".xhtml") && std::io::Read::read_to_string(&mut f, &mut text).is_ok())
                .then_some((name, text))
        })
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
