//! The real binary in temporary folders: default paths, bad files, exit
//! codes, determinism.

mod common;

use common::*;
use std::path::Path;

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(from, to).unwrap();
}

fn outputs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    v.sort();
    v
}

#[test]
fn default_run_reads_inputs_and_writes_out() {
    let dir = tempdir();
    copy(&data("page-03.txt"), &dir.path().join("inputs/page-03.txt"));
    let out = folio(dir.path(), &["-f", "md,json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let files = outputs(&dir.path().join("out"));
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, vec!["2022年前线文稿汇编-30篇.json", "2022年前线文稿汇编-30篇.md"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1–2, 4–13"), "missing pages named in the summary: {stderr}");

    let json: serde_json::Value = serde_json::from_slice(&files[0].1).unwrap();
    assert_eq!(json["schema_version"], folio::model::SCHEMA_VERSION);
    assert_eq!(json["articles"][2]["authors"], serde_json::json!(["鄯爱红", "孔祥利"]));
    assert_eq!(json["articles"][2]["truncated"], true);
    assert_eq!(json["articles"][1]["blocks"][1]["type"], "heading");
    assert_eq!(json["articles"][1]["blocks"][1]["level"], 2);
    assert_eq!(json["articles"][0]["blurb"]["people"][0]["name"], "张超");

    // No chrome in any output.
    for (name, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for chrome in ["SUCAI198.COM ——", "第3/13页", "加入收藏", "预计阅读时长", "221381", "领取福利", "微信扫码分享"]
        {
            assert!(!text.contains(chrome), "{chrome} in {name}");
        }
    }
}

#[test]
fn bad_files_are_reported_and_the_rest_still_builds() {
    let dir = tempdir();
    copy(&data("page-03.txt"), &dir.path().join("in/page-03.txt"));
    copy(&data("empty.txt"), &dir.path().join("in/empty.txt"));
    copy(&data("bad-image.txt"), &dir.path().join("in/picture.txt"));
    let out = folio(dir.path(), &["build", "in", "-o", "o", "-f", "md,json"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("in/empty.txt: the file is empty"), "{stderr}");
    assert!(stderr.contains("in/picture.txt: not a text file: PNG image"), "{stderr}");
    assert_eq!(outputs(&dir.path().join("o")).len(), 2, "the good compilation was built");
    // No temporary files left behind.
    assert!(outputs(&dir.path().join("o")).iter().all(|(n, _)| !n.starts_with('.')));
}

#[test]
fn missing_input_is_a_usage_error() {
    let dir = tempdir();
    let out = folio(dir.path(), &["build", "nowhere"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nowhere"));
}

#[test]
fn bad_config_is_a_usage_error_naming_the_key() {
    let dir = tempdir();
    copy(&data("page-03.txt"), &dir.path().join("in/page-03.txt"));
    std::fs::write(dir.path().join("in/folio.toml"), "fromats = [\"md\"]\n").unwrap();
    let out = folio(dir.path(), &["build", "in"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("fromats"));
}

#[test]
fn user_profile_strips_another_sites_chrome() {
    let dir = tempdir();
    let page = "某某网 首页 > 文章\n\n县志资料汇编（第2页/共3页）\n\n春天的故事\n\n王小明\n\n2023年3月1日\n\n这是正文的第一段，很长很长。\n\n本站广告位招租\n";
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    std::fs::write(dir.path().join("in/p2.txt"), page).unwrap();
    std::fs::write(
        dir.path().join("in/folio.toml"),
        "[[profile]]\nname = \"某某网\"\nchrome = [\"^本站广告位招租$\"]\n",
    )
    .unwrap();
    let out = folio(dir.path(), &["build", "in", "-o", "o", "-f", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("o/县志资料汇编.json")).unwrap()).unwrap();
    assert_eq!(json["source"]["total_pages"], 3);
    let a = &json["articles"][0];
    assert_eq!(a["title"], "春天的故事");
    assert_eq!(a["authors"], serde_json::json!(["王小明"]));
    assert_eq!(a["date"], "2023-03-01");
    assert!(!serde_json::to_string(&json).unwrap().contains("广告"));
}

#[test]
fn two_builds_give_identical_bytes_whatever_the_thread_count() {
    let dir = tempdir();
    for p in common::bench13_files() {
        copy(&p, &dir.path().join("in").join(p.file_name().unwrap()));
    }
    let a = folio(dir.path(), &["build", "in", "-o", "a", "-f", "md,json", "-j", "1"]);
    let b = folio(dir.path(), &["build", "in", "-o", "b", "-f", "md,json"]);
    assert!(a.status.success() && b.status.success());
    assert_eq!(outputs(&dir.path().join("a")), outputs(&dir.path().join("b")));
}

#[test]
fn hostile_titles_stay_inside_the_output_folder() {
    let dir = tempdir();
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    std::fs::write(dir.path().join("in/p.txt"), "../../etc/passwd(第1/1页)\n\n标题\n\n正文。\n").unwrap();
    let out = folio(dir.path(), &["build", "in", "-o", "o", "-f", "md"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(outputs(&dir.path().join("o"))[0].0, "etc_passwd.md");
}

fn bench13_dir(dir: &Path) {
    for p in common::bench13_files() {
        copy(&p, &dir.join("in").join(p.file_name().unwrap()));
    }
}

#[test]
fn strict_turns_warnings_into_failure() {
    let dir = tempdir();
    copy(&data("page-03.txt"), &dir.path().join("in/page-03.txt"));
    let plain = folio(dir.path(), &["check", "in"]);
    assert_eq!(plain.status.code(), Some(0));
    let strict = folio(dir.path(), &["check", "in", "--strict"]);
    assert_eq!(strict.status.code(), Some(1), "the missing pages are a warning");
    assert!(String::from_utf8_lossy(&strict.stderr).contains("--strict"));
    assert!(!dir.path().join("out").exists(), "check writes no outputs");
}

#[test]
fn report_describes_inputs_articles_and_outputs() {
    let dir = tempdir();
    copy(&data("page-03.txt"), &dir.path().join("in/page-03.txt"));
    copy(&data("encodings/page-03-gb18030.txt"), &dir.path().join("gbk/page-03.txt"));
    copy(&data("empty.txt"), &dir.path().join("in/empty.txt"));
    let out = folio(dir.path(), &["build", "in", "-o", "o", "-f", "md,json", "--report", "r.json"]);
    assert_eq!(out.status.code(), Some(1));
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(r["report_version"], 1);
    assert_eq!(r["file_errors"][0]["file"], "in/empty.txt");
    assert_eq!(r["file_errors"][0]["kind"], "no-content");
    let c = &r["compilations"][0];
    assert_eq!(c["title"], "2022年前线文稿汇编-30篇");
    assert_eq!(c["inputs"][0]["encoding"], "UTF-8");
    assert_eq!(c["pages_found"], serde_json::json!([3]));
    assert_eq!(c["pages_missing"].as_array().unwrap().len(), 12);
    assert_eq!(c["articles"][2]["truncated"], true);
    assert_eq!(c["outputs"].as_array().unwrap().len(), 2);
    let md = std::fs::read(dir.path().join("o/2022年前线文稿汇编-30篇.md")).unwrap();
    let sha = c["outputs"][0]["sha256"].as_str().unwrap();
    assert_eq!(sha.len(), 64);
    assert_eq!(c["outputs"][0]["bytes"], md.len());

    // GB18030 input is reported as such; reports to stdout.
    let out = folio(dir.path(), &["check", "gbk", "--report", "-"]);
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["compilations"][0]["inputs"][0]["encoding"], "GB18030");
}

#[test]
fn ci_logs_are_plain_lines_or_ndjson() {
    let dir = tempdir();
    copy(&data("page-03.txt"), &dir.path().join("in/page-03.txt"));
    let out = folio(dir.path(), &["build", "in", "-o", "o", "-f", "md"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.lines().any(|l| l == "folio: built 2022年前线文稿汇编-30篇 (3 articles, 1 warnings, 0 errors)"),
        "{stderr}"
    );
    let out = folio(dir.path(), &["build", "in", "-o", "o", "-f", "md", "--log-format", "json"]);
    let first = String::from_utf8_lossy(&out.stderr).lines().next().unwrap().to_string();
    let event: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(event["event"], "compilation-finished");
    assert_eq!(event["articles"], 3);
}

#[test]
fn shards_partition_the_batch_and_reports_merge() {
    let dir = tempdir();
    // Five compilations: the sample page under five titles.
    let text = std::fs::read_to_string(data("page-03.txt")).unwrap();
    for i in 0..5 {
        let page = text.replace("2022年前线文稿汇编-30篇(第3/13页)", &format!("汇编{i}(第3/13页)"));
        std::fs::create_dir_all(dir.path().join("in")).unwrap();
        std::fs::write(dir.path().join(format!("in/c{i}.txt")), page).unwrap();
    }
    let mut names = Vec::new();
    for k in 0..3 {
        let shard = format!("{k}/3");
        let report = format!("r{k}.json");
        let out =
            folio(dir.path(), &["build", "in", "-o", "o", "-f", "json", "--shard", &shard, "--report", &report, "-q"]);
        assert!(out.status.success());
        let r: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join(&report)).unwrap()).unwrap();
        names.extend(r["compilations"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_string()));
    }
    names.sort();
    assert_eq!(names, (0..5).map(|i| format!("汇编{i}")).collect::<Vec<_>>(), "every compilation built exactly once");
    let out = folio(dir.path(), &["report", "merge", "r0.json", "r1.json", "r2.json"]);
    assert!(out.status.success());
    let merged: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(merged["summary"]["compilations"], 5);
    assert_eq!(merged["shards"], serde_json::json!(["0/3", "1/3", "2/3"]));
}

#[test]
fn reports_are_identical_apart_from_timings() {
    let dir = tempdir();
    bench13_dir(dir.path());
    let strip = |v: &mut serde_json::Value| {
        for c in v["compilations"].as_array_mut().unwrap() {
            c.as_object_mut().unwrap().remove("timings_ms");
        }
    };
    let mut a: serde_json::Value = serde_json::from_slice(
        &folio(dir.path(), &["build", "in", "-o", "o", "-f", "md,json", "--report", "-", "-j", "1"]).stdout,
    )
    .unwrap();
    let mut b: serde_json::Value = serde_json::from_slice(
        &folio(dir.path(), &["build", "in", "-o", "o", "-f", "md,json", "--report", "-"]).stdout,
    )
    .unwrap();
    strip(&mut a);
    strip(&mut b);
    assert_eq!(a, b);
}

#[test]
fn config_overrides_book_metadata() {
    let dir = tempdir();
    copy(&data("page-03.txt"), &dir.path().join("in/page-03.txt"));
    std::fs::write(
        dir.path().join("in/folio.toml"),
        "formats = [\"json\", \"md\"]\n[compilation.\"2022年前线文稿汇编-30篇\"]\ntitle = \"前线文稿选\"\nauthors = [\"前线编辑部\"]\npublisher = \"前线出版社\"\ncover_text = \"前线\"\n",
    )
    .unwrap();
    let out = folio(dir.path(), &["build", "in", "-o", "o"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("o/2022年前线文稿汇编-30篇.json")).unwrap()).unwrap();
    assert_eq!(json["title"], "前线文稿选");
    assert_eq!(json["metadata"]["authors"], serde_json::json!(["前线编辑部"]));
    assert_eq!(json["metadata"]["publisher"], "前线出版社");
    assert_eq!(json["metadata"]["cover_text"], "前线");
    let md = std::fs::read_to_string(dir.path().join("o/2022年前线文稿汇编-30篇.md")).unwrap();
    assert!(md.contains("title: 前线文稿选") && md.contains("- 前线编辑部"), "{}", &md[..400]);
    assert!(!dir.path().join("o/2022年前线文稿汇编-30篇.pdf").exists(), "formats came from the config");
}

#[test]
fn user_profile_lexicon_names_a_widget_of_its_site() {
    // `订阅本刊电子版` is no widget folio knows: kept as a paragraph until the
    // site's profile adds it to the reader's lexicon.
    let page = "县志资料汇编（第2页/共3页）\n\n春天的故事\n\n王小明\n\n2023年3月1日\n\n这是正文的第一段，很长很长。\n\n这是正文的第二段，也很长。\n\n订阅本刊电子版\n";
    let build = |config: Option<&str>| {
        let dir = tempdir();
        std::fs::create_dir_all(dir.path().join("in")).unwrap();
        std::fs::write(dir.path().join("in/p2.txt"), page).unwrap();
        if let Some(c) = config {
            std::fs::write(dir.path().join("in/folio.toml"), c).unwrap();
        }
        let out = folio(dir.path(), &["build", "in", "-o", "o", "-f", "json"]);
        let json = std::fs::read(dir.path().join("o/县志资料汇编.json")).ok();
        (out, json.map(|j| String::from_utf8(j).unwrap()))
    };
    let (out, json) = build(None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(json.unwrap().contains("订阅本刊电子版"));

    let (out, json) =
        build(Some("[[profile]]\nname = \"某某网\"\n[profile.lexicon.chrome]\nlines = [\"订阅本刊电子版\"]\n"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json = json.unwrap();
    assert!(!json.contains("订阅本刊"), "{json}");
    assert!(json.contains("这是正文的第二段"));

    // A key the lexicon does not have is a usage error naming it.
    let (out, json) =
        build(Some("[[profile]]\nname = \"某某网\"\n[profile.lexicon.chrome]\nwidgets = [\"订阅本刊电子版\"]\n"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("widgets"), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(json.is_none());
}

/// A batch of copies of bench13 (issue 15: 30 copies printed 4,020 lines, mostly
/// one per article without an author): per compilation, at most five lines
/// (the progress line, what was built, the warnings counted by kind, the first
/// two); `-v` prints every warning, and the report keeps them all.
#[test]
fn the_terminal_stays_quiet_and_verbose_shows_everything() {
    let dir = tempdir();
    let copies = 10;
    for i in 0..copies {
        for p in common::bench13_files() {
            let text = std::fs::read_to_string(&p)
                .unwrap()
                .replace("2022年前线文稿汇编-30篇(第", &format!("汇编副本{i:02}(第"));
            let to = dir.path().join(format!("in/c{i:02}")).join(p.file_name().unwrap());
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::write(to, text).unwrap();
        }
    }
    let inputs: Vec<String> = (0..copies).map(|i| format!("in/c{i:02}")).collect();
    let mut args = vec!["build", "-o", "o", "-f", "md", "--report", "r.json"];
    args.extend(inputs.iter().map(String::as_str));
    let out = folio(dir.path(), &args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let lines = stderr.lines().count();
    assert!(lines <= 5 * copies, "{lines} lines for {copies} compilations:\n{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join("r.json")).unwrap()).unwrap();
    let warnings = report["compilations"][0]["warnings"].as_array().unwrap().len();
    assert!(warnings > 10, "the report keeps every warning: {warnings}");
    assert!(
        stderr.lines().any(|l| l.starts_with(&format!("  {warnings} warnings: ")) && l.contains(" no-author")),
        "warnings counted by kind:\n{stderr}"
    );
    assert!(stderr.contains("汇编副本07: 58 articles from pages 1–13 → o/汇编副本07.md"), "{stderr}");

    let one = dir.path().join("in/c00");
    let out = folio(dir.path(), &["build", one.to_str().unwrap(), "-o", "o", "-f", "md", "-v"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().filter(|l| l.starts_with("  warning: ")).count(), warnings, "{stderr}");
    assert!(stderr.contains("  wrote o/汇编副本00.md ("), "{stderr}");
}
