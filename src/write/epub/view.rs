//! What the templates see: the model turned into plain, markup-free views
//! (file names, anchor ids, the lead split off its paragraph, markers).

use serde::Serialize;

use crate::model::{Article, Block, Compilation};
use crate::write::markdown::{CONTINUED_MARK, TRUNCATED_MARK, UNTITLED};

/// Language of every content document and of the package.
pub(crate) const LANG: &str = "zh-CN";

/// Book-level facts shown on the title page and cover.
#[derive(Debug, Serialize)]
pub(crate) struct BookView {
    pub lang: &'static str,
    pub title: String,
    /// What the cover shows (the user's cover text, else the title).
    pub cover_text: String,
    pub site: Option<String>,
    pub page_range: Option<String>,
    pub article_count: usize,
    pub authors: Vec<String>,
    /// The contents on the title page: every article with its authors (the
    /// navigation document lists titles only).
    pub contents: Vec<ContentsEntry>,
}

/// One line of the title page's contents.
#[derive(Debug, Serialize)]
pub(crate) struct ContentsEntry {
    pub file: String,
    pub title: String,
    pub authors: Vec<String>,
}

/// One article, ready for `article.xhtml`.
#[derive(Debug, Serialize)]
pub(crate) struct ArticleView {
    /// File name inside the EPUB (`a001.xhtml`).
    pub file: String,
    /// Anchor id of the article element.
    pub id: String,
    /// The title, or [`UNTITLED`] when it is on a missing page.
    pub title: String,
    pub untitled: bool,
    pub authors: Vec<String>,
    /// The date as written (`date_text`), else the ISO date.
    pub date: Option<String>,
    /// The ISO date for `<time datetime>`.
    pub date_iso: Option<String>,
    /// What the byline holds, as assistive technology announces it
    /// (`作者`, `日期`, `作者与日期`); empty when there is no byline.
    pub byline_label: &'static str,
    pub continued_mark: Option<&'static str>,
    pub truncated_mark: Option<&'static str>,
    pub blocks: Vec<BlockView>,
    pub blurb: Option<BlurbView>,
    /// Section headings, in order, for the navigation.
    #[serde(skip)]
    pub sections: Vec<SectionRef>,
}

/// A block of article body. Every kind but `heading` carries its text as
/// `rest` too, so a user template written before a kind existed (testing
/// only `heading`, else a paragraph of `lead` and `rest`) still shows it.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub(crate) enum BlockView {
    Heading {
        level: u8,
        id: String,
        text: String,
    },
    Paragraph {
        lead: Option<String>,
        rest: String,
    },
    Caption {
        text: String,
        rest: String,
    },
    Lines {
        lines: Vec<String>,
        rest: String,
    },
    List {
        start: Option<u64>,
        items: Vec<String>,
        rest: String,
    },
    Code {
        text: String,
        rest: String,
    },
    /// `front_kind`: `abstract`, `keywords`, … (see [`crate::model::FrontKind`]).
    Front {
        front_kind: String,
        label: String,
        text: String,
        rest: String,
    },
}

#[derive(Debug, Serialize)]
pub(crate) struct BlurbView {
    pub label: String,
    pub text: String,
}

/// A section heading as the navigation needs it.
#[derive(Debug, Clone)]
pub(crate) struct SectionRef {
    pub level: u8,
    pub id: String,
    pub text: String,
}

pub(crate) fn book(c: &Compilation) -> BookView {
    BookView {
        lang: LANG,
        title: c.title.clone(),
        cover_text: c.cover_text().to_string(),
        site: c.publisher().map(String::from),
        page_range: c.page_range(),
        article_count: c.articles.len(),
        authors: c.creators().into_iter().map(String::from).collect(),
        contents: c
            .articles
            .iter()
            .enumerate()
            .map(|(i, a)| ContentsEntry {
                file: article_file(i),
                title: if a.title.is_empty() { UNTITLED.to_string() } else { a.title.clone() },
                authors: a.authors.clone(),
            })
            .collect(),
    }
}

/// The file name of article `index` (0-based): `a001.xhtml`.
fn article_file(index: usize) -> String {
    format!("{}.xhtml", article_id(index))
}

fn article_id(index: usize) -> String {
    format!("a{:03}", index + 1)
}

/// Views of all articles; `index` is 0-based and gives stable file names.
pub(crate) fn articles(c: &Compilation) -> Vec<ArticleView> {
    c.articles.iter().enumerate().map(|(i, a)| article(i, a)).collect()
}

fn article(index: usize, a: &Article) -> ArticleView {
    let id = article_id(index);
    let mut sections = Vec::new();
    let blocks = a
        .blocks
        .iter()
        .map(|b| match b {
            Block::Heading { level, text, .. } => {
                // The article title is h1; sections are h2..h6.
                let level = (*level).clamp(2, 6);
                let sid = format!("{id}-s{}", sections.len() + 1);
                sections.push(SectionRef { level, id: sid.clone(), text: text.clone() });
                BlockView::Heading { level, id: sid, text: text.clone() }
            }
            Block::Paragraph { text, lead, .. } => {
                match lead.as_deref().filter(|l| !l.is_empty() && text.starts_with(l)) {
                    Some(lead) => {
                        BlockView::Paragraph { lead: Some(lead.to_string()), rest: text[lead.len()..].to_string() }
                    }
                    None => BlockView::Paragraph { lead: None, rest: text.clone() },
                }
            }
            Block::Caption { text, .. } => BlockView::Caption { text: text.clone(), rest: text.clone() },
            Block::Lines { text, .. } => {
                BlockView::Lines { lines: text.split('\n').map(String::from).collect(), rest: text.clone() }
            }
            Block::List { start, items, .. } => {
                BlockView::List { start: *start, items: items.clone(), rest: items.join("\n") }
            }
            Block::Code { text, .. } => BlockView::Code { text: text.clone(), rest: text.clone() },
            Block::Front { kind, label, text, .. } => BlockView::Front {
                front_kind: kind.name().to_string(),
                label: label.clone(),
                text: text.clone(),
                rest: format!("{label}：{text}"),
            },
        })
        .collect();
    ArticleView {
        file: article_file(index),
        id,
        title: if a.title.is_empty() { UNTITLED.to_string() } else { a.title.clone() },
        untitled: a.title.is_empty(),
        authors: a.authors.clone(),
        date: a.date_text.clone().or_else(|| a.date.clone()),
        byline_label: match (a.authors.is_empty(), a.date_text.is_none() && a.date.is_none()) {
            (false, false) => "作者与日期",
            (false, true) => "作者",
            (true, false) => "日期",
            (true, true) => "",
        },
        date_iso: a.date.clone(),
        continued_mark: a.continued.then_some(CONTINUED_MARK),
        truncated_mark: a.truncated.then_some(TRUNCATED_MARK),
        blocks,
        blurb: a.blurb.as_ref().map(|b| BlurbView { label: b.label.clone(), text: b.text.clone() }),
        sections,
    }
}
