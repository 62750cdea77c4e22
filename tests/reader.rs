//! Acceptance tests of the reader and normaliser on the real sample page and
//! the complete 13-page compilation.

mod common;

use common::*;
use folio::model::{Block, Compilation, WarningKind};

fn headings(c: &Compilation, i: usize) -> Vec<&str> {
    c.articles[i]
        .blocks
        .iter()
        .filter_map(|b| if let Block::Heading { text, .. } = b { Some(text.as_str()) } else { None })
        .collect()
}

#[test]
fn sample_page_compilation_metadata() {
    let c = sample();
    assert_eq!(c.title, "2022年前线文稿汇编-30篇");
    assert_eq!(c.source.total_pages, Some(13));
    assert_eq!(c.source.pages.iter().map(|p| p.number).collect::<Vec<_>>(), vec![3]);
    assert_eq!(c.source.missing_pages, vec![1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    assert_eq!(c.declared.char_count, Some(138016));
    let missing: Vec<_> = c.warnings.iter().filter(|w| w.kind == WarningKind::MissingPages).collect();
    assert_eq!(missing.len(), 1);
    assert!(missing[0].message.contains("1–2, 4–13"), "{}", missing[0].message);
}

#[test]
fn sample_page_articles() {
    let c = sample();
    assert_eq!(c.articles.len(), 3);

    let a = &c.articles[0];
    assert_eq!(a.title, "通勤圈是构建现代化首都都市圈的先行力量");
    assert_eq!(a.authors, vec!["张超"]);
    assert_eq!(a.date, None);
    assert_eq!(headings(&c, 0), vec!["环京周边地区通勤圈建设布局", "首都通勤圈建设的通畅化、融合化、智慧化和协同化"]);
    let blurb = a.blurb.as_ref().unwrap();
    assert_eq!(blurb.people.len(), 1);
    assert_eq!(blurb.people[0].name.as_deref(), Some("张超"));
    assert_eq!(blurb.people[0].description, "河北工业大学经济管理学院副教授");
    assert!(!a.truncated && !a.continued);

    let a = &c.articles[1];
    assert_eq!(a.title, "冬奥遗产为首都发展注入新动能");
    assert_eq!(a.authors, vec!["狄涛"]);
    assert_eq!(a.date.as_deref(), Some("2022-07-26"));
    assert_eq!(
        headings(&c, 1),
        vec!["“双奥之城”蕴含巨大势能", "“双奥之城”助推首都全面升级转型", "推动“双奥之城”势能充分释放的路径载体"]
    );
    let p = &a.blurb.as_ref().unwrap().people[0];
    assert_eq!((p.name.as_deref(), p.description.as_str()), (Some("狄涛"), "北京市平谷区人民政府副区长、代区长"));
    assert!(!a.truncated);

    let a = &c.articles[2];
    assert_eq!(a.title, "接诉即办改革的方法论价值");
    assert_eq!(a.authors, vec!["鄯爱红", "孔祥利"]);
    assert_eq!(a.date.as_deref(), Some("2022-07-26"));
    assert_eq!(
        headings(&c, 2),
        vec![
            "以系统论谋划改革：通过体制机制制度创新整体设计",
            "以统筹论推进改革：聚合力量破解基层治理难题",
            "以辩证法深化改革：探索新时代基层治理的规律与路径"
        ]
    );
    assert!(a.blurb.is_none());
    assert!(a.truncated, "the last article runs on to the missing page 4");

    // Every section heading is one level below the title.
    assert!(c
        .articles
        .iter()
        .flat_map(|a| &a.blocks)
        .all(|b| !matches!(b, Block::Heading { level, .. } if *level != 2)));
    // Run-in lead sentences.
    let leads: Vec<&str> = c.articles[0]
        .blocks
        .iter()
        .filter_map(|b| if let Block::Paragraph { lead: Some(l), .. } = b { Some(l.as_str()) } else { None })
        .collect();
    assert_eq!(leads[0], "轨道交通规划与建设仍需加快。");
    assert_eq!(leads.len(), 7);
}

/// The model's text, line by line, in source order: title, byline, date,
/// blocks, blurb (as written: `（label：text）`).
fn model_lines(c: &Compilation) -> Vec<String> {
    let mut out = Vec::new();
    for a in &c.articles {
        if !a.title.is_empty() {
            out.push(a.title.clone());
        }
        let blurb_names: Vec<String> =
            a.blurb.iter().flat_map(|b| b.people.iter().filter_map(|p| p.name.clone())).collect();
        // In the sample, an article without a byline takes its author from
        // the blurb and has no date line either.
        let had_byline = !a.authors.is_empty() && (a.authors != blurb_names || a.date.is_some());
        if had_byline {
            out.push(a.authors.concat());
        }
        if let Some(d) = a.date_text.as_ref().or(a.date.as_ref()) {
            out.push(d.clone());
        }
        out.extend(a.blocks.iter().map(|b| b.text().to_string()));
        if let Some(b) = &a.blurb {
            out.push(format!("（{}：{}）", b.label, b.text));
        }
    }
    out
}

#[test]
fn every_character_of_the_sample_survives_with_only_punctuation_restored() {
    let raw = std::fs::read_to_string(data("page-03.txt")).unwrap();
    let lines: Vec<&str> = raw.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    // The page's chrome: banner, counter, stats line on top; counter and widgets below.
    let body = &lines[3..lines.len() - 4];
    let expected: Vec<String> = body.iter().map(|l| folio::normalize::punct::restore(l).text).collect();
    assert_eq!(model_lines(&sample()), expected);
}

#[test]
fn no_ascii_punctuation_left_between_chinese_characters() {
    let c = sample();
    let is_han = folio::lang::chars::is_han;
    let mut texts: Vec<String> = model_lines(&c);
    texts.push(c.title.clone());
    for t in &texts {
        let chars: Vec<char> = t.chars().collect();
        for w in chars.windows(3) {
            if is_han(w[0]) && is_han(w[2]) {
                assert!(!",:;?!()\"".contains(w[1]), "ASCII `{}` in `{t}`", w[1]);
            }
        }
    }
    let all = texts.concat();
    for number in ["2.5", "80.6", "2015-2021", "44.4%", "PM2.5", "87.9%"] {
        assert!(all.contains(number), "{number} changed");
    }
}

#[test]
fn encoded_copies_give_the_same_articles() {
    let original = sample();
    for f in ["encodings/page-03-gb18030.txt", "encodings/page-03-utf16.txt", "encodings/page-03-bom.txt"] {
        let copy = model_of(&[data(f)]);
        assert_eq!(
            copy.articles.iter().map(|a| a.without_origin()).collect::<Vec<_>>(),
            original.articles.iter().map(|a| a.without_origin()).collect::<Vec<_>>(),
            "{f}"
        );
        assert_eq!(copy.title, original.title);
    }
}

trait WithoutOrigin {
    fn without_origin(&self) -> folio::model::Article;
}
impl WithoutOrigin for folio::model::Article {
    fn without_origin(&self) -> folio::model::Article {
        let c = Compilation {
            schema_version: 1,
            title: String::new(),
            source: Default::default(),
            declared: Default::default(),
            metadata: Default::default(),
            articles: vec![self.clone()],
            warnings: vec![],
        };
        c.without_provenance().articles.remove(0)
    }
}

#[test]
fn bench13_is_one_compilation_with_its_articles_whole() {
    let c = model_of(&bench13_files());
    assert_eq!(c.source.pages.len(), 13);
    assert!(c.source.missing_pages.is_empty());
    assert!(c.warnings.iter().all(|w| w.kind != WarningKind::MissingPages));
    assert!(c.articles.iter().all(|a| !a.truncated && !a.continued), "complete compilation: nothing cut");

    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data("bench13/manifest.json")).unwrap()).unwrap();
    let fold = |s: &str| folio::lang::chars::fold(s);
    let titles: Vec<String> = c.articles.iter().map(|a| fold(&a.title)).collect();
    let wanted: Vec<String> =
        manifest["articles"].as_array().unwrap().iter().map(|a| fold(a["title"].as_str().unwrap())).collect();
    let found = wanted.iter().filter(|t| titles.contains(t)).count();
    assert!(found >= 55, "only {found} of {} manifest titles found", wanted.len());
    // No article split in two at a page boundary: each found title once, and
    // no untitled fragment.
    for t in &wanted {
        assert!(titles.iter().filter(|x| *x == t).count() <= 1, "{t} appears twice");
    }
    assert!(c.articles.iter().all(|a| !a.title.is_empty()));
    // Articles that span pages keep text from both pages.
    for a in manifest["articles"].as_array().unwrap() {
        let title = fold(a["title"].as_str().unwrap());
        if let Some(art) = c.articles.iter().find(|x| fold(&x.title) == title) {
            let files: std::collections::BTreeSet<&str> = art
                .blocks
                .iter()
                .filter_map(|b| match b {
                    Block::Paragraph { origin: Some(o), .. } | Block::Heading { origin: Some(o), .. } => {
                        Some(o.file.as_str())
                    }
                    _ => None,
                })
                .collect();
            let spans = manifest["pages"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| p["articles"].as_array().unwrap().contains(&a["index"]))
                .count();
            if spans > 1 {
                assert!(
                    files.len() > 1 || art.blocks.len() <= 1,
                    "{title} spans {spans} pages but has text from {files:?}"
                );
            }
        }
    }
}

#[test]
fn bench13_keeps_no_chrome() {
    let c = model_of(&bench13_files());
    let json = serde_json::to_string(&c.articles).unwrap();
    for chrome in [
        "SUCAI198",
        "第1/13页",
        "加入收藏",
        "预计阅读时长",
        "微信扫码领取福利",
        "微信扫码分享",
        "\"221381\"",
        "领取福利",
    ] {
        assert!(!json.contains(chrome), "{chrome} left in the model");
    }
}
