//! Markdown: model → Markdown → model gives the same model (less
//! provenance), on the real compilations and on generated documents.

mod common;

use common::gen::*;
use common::*;
use folio::model::{Compilation, Declared, Source, SourcePage};
use proptest::prelude::*;

fn round_trip(c: &Compilation) -> Compilation {
    let md = folio::write::markdown::write(c).unwrap();
    let back = folio::read::markdown::read(std::str::from_utf8(&md).unwrap(), "book.md")
        .unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(&md)));
    folio::normalize::reread(back)
}

#[test]
fn sample_round_trips() {
    let c = sample();
    assert_eq!(round_trip(&c), c.without_provenance());
}

#[test]
fn bench13_round_trips() {
    let c = model_of(&bench13_files());
    let back = round_trip(&c);
    let want = c.without_provenance();
    for (a, b) in back.articles.iter().zip(&want.articles) {
        assert_eq!(a, b);
    }
    assert_eq!(back, want);
}

#[test]
fn markdown_reads_as_a_book() {
    let md = String::from_utf8(folio::write::markdown::write(&sample()).unwrap()).unwrap();
    assert!(md.starts_with("---\n"));
    assert!(md.contains("title: 2022年前线文稿汇编-30篇"));
    assert!(md.contains("\n# 冬奥遗产为首都发展注入新动能\n"));
    assert!(md.contains("\n*狄涛 · 2022-07-26*\n"));
    assert!(md.contains("\n*鄯爱红、孔祥利 · 2022-07-26*\n"));
    assert!(md.contains("\n## “双奥之城”蕴含巨大势能\n"));
    assert!(md.contains("\n**轨道交通规划与建设仍需加快**。环京周边地区"));
    assert!(md.contains("> **作者简介**：张超，河北工业大学经济管理学院副教授\n"));
    assert!(md.trim_end().ends_with("*（未完，原文下页缺失）*"));
    // Rendered by a CommonMark parser, the lead is bold and the blurb a quote.
    let html = {
        let mut s = String::new();
        let parser = pulldown_cmark::Parser::new_ext(&md, pulldown_cmark::Options::ENABLE_YAML_STYLE_METADATA_BLOCKS);
        for e in parser {
            s.push_str(&format!("{e:?}\n"));
        }
        s
    };
    assert!(html.contains("Start(Strong)\nText(Borrowed(\"轨道交通规划与建设仍需加快\"))\nEnd(Strong)"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    #[test]
    fn generated_documents_round_trip(title in text(), articles in proptest::collection::vec(article(), 1..4)) {
        let c = Compilation {
            schema_version: folio::model::SCHEMA_VERSION,
            title,
            source: Source { site: Some("例子.COM".into()), total_pages: Some(2), pages: vec![SourcePage { number: 1, file: "p1.txt".into(), encoding: "UTF-8".into() }], missing_pages: vec![2] },
            declared: Declared { char_count: Some(1000), reading_minutes: None },
            metadata: Default::default(),
            articles,
            warnings: vec![],
        };
        prop_assert_eq!(round_trip(&c), c);
    }
}

/// Issue 12, point 13: lists and code blocks a user adds to a folio Markdown
/// file are kept, in order; raw HTML is reported, never dropped silently.
#[test]
fn lists_code_and_html_in_edited_markdown() {
    let md = "---\ntitle: 书\nauthors: []\nschema_version: 1\nsource: {}\ndeclared: {}\n---\n\n# 标题\n\n正文。\n\n\
              - 第一项\n- 第二项\n\n3. 三\n4. 四\n\n```\nfn main() {}\n  缩进\n```\n\n<div>网页</div>\n\n> **摘要**\n>\n> 本文讨论。\n\n\
              <small>图：校史馆</small>\n\n一行\\\n两行\n";
    let c = folio::read::markdown::read(md, "edited.md").unwrap();
    let a = &c.articles[0];
    use folio::model::{Block, FrontKind};
    assert_eq!(a.blocks.len(), 7, "{:#?}", a.blocks);
    assert_eq!(a.blocks[1], Block::List { start: None, items: vec!["第一项".into(), "第二项".into()], origin: None });
    assert_eq!(a.blocks[2], Block::List { start: Some(3), items: vec!["三".into(), "四".into()], origin: None });
    assert_eq!(a.blocks[3], Block::Code { text: "fn main() {}\n  缩进".into(), origin: None });
    assert_eq!(
        a.blocks[4],
        Block::Front {
            kind: FrontKind::Abstract, label: "摘要".into(), text: "本文讨论。".into(), origin: None
        }
    );
    assert_eq!(a.blocks[5], Block::Caption { text: "图：校史馆".into(), origin: None });
    assert_eq!(a.blocks[6], Block::Lines { text: "一行\n两行".into(), origin: None });
    let w: Vec<_> = c.warnings.iter().map(|w| (w.kind, w.origin.as_ref().unwrap().line)).collect();
    assert_eq!(w, vec![(folio::model::WarningKind::LeftOut, 24)], "{:?}", c.warnings);
    // Written again, the same blocks come back.
    assert_eq!(round_trip(&c).articles, c.without_provenance().articles);
}

/// Issue 12, point 13: a link reference definition has no place in the
/// model, and a footnote a user writes (`[^1]: …`) is one; each is reported
/// with its line, in line order with the other warnings, never dropped
/// silently.
#[test]
fn link_definitions_in_edited_markdown_are_reported() {
    let md = "---\ntitle: 书\nauthors: []\nschema_version: 2\nsource: {}\ndeclared: {}\n---\n\n# 标题\n\n\
              正文[^1]。\n\n<div>网页</div>\n\n[^1]: 脚注的文字\n\n[站点]:\n  http://example.com\n\n尾段。\n";
    let c = folio::read::markdown::read(md, "edited.md").unwrap();
    let w: Vec<(folio::model::WarningKind, u32, &str)> =
        c.warnings.iter().map(|w| (w.kind, w.origin.as_ref().unwrap().line, w.message.as_str())).collect();
    use folio::model::WarningKind::LeftOut;
    assert_eq!(
        w,
        [
            (LeftOut, 13, "HTML left out: <div>网页</div>"),
            (LeftOut, 15, "link definition left out: [^1]: 脚注的文字"),
            (LeftOut, 17, "link definition left out: [站点]: http://example.com"),
        ]
    );
    let texts: Vec<String> = c.articles[0].blocks.iter().map(|b| b.text().into_owned()).collect();
    assert_eq!(texts, ["正文^1。", "尾段。"]);
}
