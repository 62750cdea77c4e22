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
    assert_eq!(json["schema_version"], 1);
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
    assert!(stderr.contains("empty.txt: the file is empty"), "{stderr}");
    assert!(stderr.contains("picture.txt: not a text file: PNG image"), "{stderr}");
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
