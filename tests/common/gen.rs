//! Generators of arbitrary documents for property tests: Chinese text,
//! full-width marks and everything Markdown or XML would read as syntax.
#![allow(dead_code)]

use folio::model::{Article, Block, Blurb, Compilation, Declared, FrontKind, Source, SourcePage};
use proptest::prelude::*;

pub fn text() -> impl Strategy<Value = String> {
    // Chinese text, full-width marks, and everything Markdown would read as syntax.
    proptest::string::string_regex(
        "[一二三四五六七八九十天地人和通勤圈，。、“”：（）a-zA-Z0-9 #*_\\[\\]|<>&`.!\\-+>=~\\\\]{1,24}",
    )
    .unwrap()
    .prop_map(|s| s.trim().to_string())
    .prop_filter("non-empty", |s| !s.is_empty())
}

pub fn name() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[王李张刘陈][一二三四五六七八九十明华]{1,2}").unwrap()
}

pub fn block() -> impl Strategy<Value = Block> {
    prop_oneof![
        (2u8..=4, text()).prop_map(|(level, text)| Block::Heading { level, text, origin: None }),
        (text(), proptest::option::of(text())).prop_map(|(rest, lead)| match lead {
            Some(l) => {
                let inner = l.trim_end_matches(['。', '！', '？', '”', '’', '）']).trim_end();
                let lead = format!("{}。", if inner.is_empty() { "甲" } else { inner });
                Block::Paragraph { text: format!("{lead}{rest}"), lead: Some(lead), origin: None }
            }
            None => Block::Paragraph { text: rest, lead: None, origin: None },
        }),
        text().prop_map(|text| Block::Caption { text, origin: None }),
        proptest::collection::vec(text(), 2..5).prop_map(|lines| Block::Lines { text: lines.join("\n"), origin: None }),
        (proptest::option::of(0u64..1000), proptest::collection::vec(text(), 1..4))
            .prop_map(|(start, items)| Block::List { start, items, origin: None }),
        proptest::collection::vec(code_line(), 1..4)
            .prop_map(|lines| Block::Code { text: lines.join("\n"), origin: None }),
        (front_label(), proptest::option::of(text())).prop_map(|((kind, label), text)| Block::Front {
            kind,
            label: label.to_string(),
            text: text.unwrap_or_default(),
            origin: None
        }),
    ]
}

/// A line of preformatted text: anything printable, fences and spaces included.
pub fn code_line() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[一二三通勤圈，。a-z0-9 #*_`~<>&\\-]{0,24}").unwrap()
}

/// A front matter label and its kind.
pub fn front_label() -> impl Strategy<Value = (FrontKind, &'static str)> {
    proptest::sample::select(vec![
        (FrontKind::Abstract, "摘要"),
        (FrontKind::Keywords, "关键词"),
        (FrontKind::Classification, "中图分类号"),
        (FrontKind::Funding, "基金项目"),
        (FrontKind::History, "收稿日期"),
        (FrontKind::Citation, "引用本文"),
        (FrontKind::Note, "编者按"),
    ])
}

pub fn article() -> impl Strategy<Value = Article> {
    (
        text(),
        proptest::collection::vec(name(), 0..3),
        proptest::option::of((2000u32..2030, 1u32..=12, 1u32..=28)),
        proptest::collection::vec(block(), 0..6),
        proptest::option::of(text()),
        any::<(bool, bool)>(),
    )
        .prop_map(|(title, authors, date, blocks, blurb, (continued, truncated))| {
            let blurb = blurb.map(|t| {
                let people = folio::normalize::people::parse_people(&t, "作者简介", &authors);
                Blurb { label: "作者简介".into(), text: t, people, origin: None }
            });
            Article {
                title,
                authors,
                date: date.map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
                date_text: None,
                blocks,
                blurb,
                continued,
                truncated,
                origin: None,
                warnings: vec![],
            }
        })
}

pub fn compilation() -> impl Strategy<Value = Compilation> {
    (text(), proptest::collection::vec(article(), 1..4)).prop_map(|(title, articles)| Compilation {
        schema_version: folio::model::SCHEMA_VERSION,
        title,
        source: Source {
            site: Some("例子.COM".into()),
            total_pages: Some(2),
            pages: vec![SourcePage { number: 1, file: "p1.txt".into(), encoding: "UTF-8".into() }],
            missing_pages: vec![2],
        },
        declared: Declared { char_count: Some(1000), reading_minutes: None },
        metadata: Default::default(),
        articles,
        warnings: vec![],
    })
}
