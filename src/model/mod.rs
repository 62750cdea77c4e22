//! The document model: the one contract between readers and writers.
//!
//! Readers produce a [`Compilation`]; normalisation passes turn it into a
//! normalised one; writers only read it. The model holds structure, never
//! markup. Its JSON form (`--format json`) is a stable interface carrying
//! [`SCHEMA_VERSION`].
//!
//! One file though over 400 lines (a fifth of them doc comments): these
//! types are the JSON schema, and the contract is read in one place; what
//! the outputs show beside the text is in [`display`], the Markdown form's
//! vocabulary in [`markdown`].

use serde::{Deserialize, Serialize};

pub mod display;
pub mod markdown;

/// Version of the JSON form of the model. Bump on any incompatible change.
///
/// 2: block kinds `caption`, `lines`, `list`, `code` and `front` (paper front matter), warning kind `left-out`.
pub const SCHEMA_VERSION: u32 = 2;

/// A compilation: the articles of one paginated collection, in reading order.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Compilation {
    pub schema_version: u32,
    /// Title as declared by the page counter (e.g. `2022年前线文稿汇编-30篇`).
    pub title: String,
    pub source: Source,
    /// Metadata the site declared about the whole compilation.
    pub declared: Declared,
    /// Book-level metadata set by the user (config), overriding what is derived.
    #[serde(default)]
    pub metadata: Metadata,
    pub articles: Vec<Article>,
    /// Compilation-level warnings (missing pages, …). Per-article warnings
    /// live on the article.
    #[serde(default)]
    pub warnings: Vec<Warning>,
}

/// Where the compilation came from.
#[derive(Debug, Clone, Default, PartialEq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The site banner or name, when the profile knows it.
    #[serde(default)]
    pub site: Option<String>,
    /// Total number of pages declared by the counter (`第3/13页` → 13).
    #[serde(default)]
    pub total_pages: Option<u32>,
    /// The pages that were read, in page order.
    #[serde(default)]
    pub pages: Vec<SourcePage>,
    /// Declared pages that were not among the inputs.
    #[serde(default)]
    pub missing_pages: Vec<u32>,
}

/// One page file that was read.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourcePage {
    pub number: u32,
    /// File name (not the full path: the model must not depend on where the
    /// inputs were checked out).
    pub file: String,
    /// Encoding the file was decoded from (`UTF-8`, `GBK`, `UTF-16LE`, …).
    pub encoding: String,
}

/// Metadata declared by the site (e.g. `共计138016个字,预计阅读时长461分钟`).
#[derive(Debug, Clone, Default, PartialEq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Declared {
    #[serde(default)]
    pub char_count: Option<u64>,
    #[serde(default)]
    pub reading_minutes: Option<u32>,
}

/// Book-level metadata from the user's config (`[compilation."<title>"]`).
#[derive(Debug, Clone, Default, PartialEq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    /// The book's authors; empty means "every article author".
    #[serde(default)]
    pub authors: Vec<String>,
    /// Publisher; when unset, the source site.
    #[serde(default)]
    pub publisher: Option<String>,
    /// Text on the cover instead of the title.
    #[serde(default)]
    pub cover_text: Option<String>,
}

/// One article.
#[derive(Debug, Clone, Default, PartialEq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Article {
    /// The title; empty when the article's start is on a missing page.
    pub title: String,
    /// Individual author names, in byline order.
    pub authors: Vec<String>,
    /// ISO `YYYY-MM-DD`, when a date line was found.
    pub date: Option<String>,
    /// The date line as written, when it differs from `date`
    /// (e.g. `2022年7月26日`), so no source text is lost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_text: Option<String>,
    pub blocks: Vec<Block>,
    pub blurb: Option<Blurb>,
    /// The article's start is missing (it continues from a page that was not read).
    pub continued: bool,
    /// The article is cut off: it runs on to a page that was not read.
    pub truncated: bool,
    /// Where the article's first line came from.
    #[serde(default)]
    pub origin: Option<Origin>,
    #[serde(default)]
    pub warnings: Vec<Warning>,
}

/// A block of article body.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum Block {
    /// A section heading. The article title is level 1, so sections are 2+.
    Heading {
        level: u8,
        text: String,
        #[serde(default)]
        origin: Option<Origin>,
    },
    /// A paragraph. `text` is the whole paragraph; `lead`, when present, is a
    /// prefix of `text` that acts as a run-in heading (set in bold).
    Paragraph {
        text: String,
        #[serde(default)]
        lead: Option<String>,
        #[serde(default)]
        origin: Option<Origin>,
    },
    /// The caption of a figure that the page showed (the image itself is not
    /// kept): set small and centred.
    Caption {
        text: String,
        #[serde(default)]
        origin: Option<Origin>,
    },
    /// A run of short lines set line by line as written (verse, a post
    /// written one phrase per line): no indent, no paragraph spacing. `text`
    /// holds at least two non-empty lines joined by `\n`.
    Lines {
        text: String,
        #[serde(default)]
        origin: Option<Origin>,
    },
    /// A list: bulleted when `start` is `None`, else numbered from `start`.
    /// Each item is one non-empty line of text.
    List {
        #[serde(default)]
        start: Option<u64>,
        items: Vec<String>,
        #[serde(default)]
        origin: Option<Origin>,
    },
    /// Preformatted text (code), kept verbatim: lines joined by `\n`, never
    /// re-punctuated or re-flowed.
    Code {
        text: String,
        #[serde(default)]
        origin: Option<Origin>,
    },
    /// Front matter of a paper or an editor's note, set apart from the body:
    /// `摘要：…`, `关键词：…`, `中图分类号：…`. `label` is as written.
    Front {
        kind: FrontKind,
        label: String,
        text: String,
        #[serde(default)]
        origin: Option<Origin>,
    },
}

/// What a [`Block::Front`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FrontKind {
    /// 摘要, 内容提要, Abstract.
    Abstract,
    /// 关键词, Key words.
    Keywords,
    /// 中图分类号, 文献标识码, 文章编号, DOI: codes a library catalogues by.
    Classification,
    /// 基金项目: who funded the work.
    Funding,
    /// 收稿日期, 修回日期: the paper's history.
    History,
    /// 引用本文, 引文格式, 文献来源: how to cite the paper, where it appeared.
    Citation,
    /// 编者按, 导语: a note from the editors.
    Note,
}

impl FrontKind {
    /// The kind's name, as in JSON (`abstract`, `keywords`, …).
    pub fn name(self) -> &'static str {
        match self {
            FrontKind::Abstract => "abstract",
            FrontKind::Keywords => "keywords",
            FrontKind::Classification => "classification",
            FrontKind::Funding => "funding",
            FrontKind::History => "history",
            FrontKind::Citation => "citation",
            FrontKind::Note => "note",
        }
    }
}

impl Block {
    /// The block's text as a reader sees it (a list's items joined by `\n`).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Block::Heading { text, .. }
            | Block::Paragraph { text, .. }
            | Block::Caption { text, .. }
            | Block::Lines { text, .. }
            | Block::Code { text, .. }
            | Block::Front { text, .. } => text.as_str().into(),
            Block::List { items, .. } => items.join("\n").into(),
        }
    }

    /// Where the block came from.
    pub fn origin(&self) -> Option<&Origin> {
        match self {
            Block::Heading { origin, .. }
            | Block::Paragraph { origin, .. }
            | Block::Caption { origin, .. }
            | Block::Lines { origin, .. }
            | Block::List { origin, .. }
            | Block::Code { origin, .. }
            | Block::Front { origin, .. } => origin.as_ref(),
        }
    }

    fn origin_mut(&mut self) -> &mut Option<Origin> {
        match self {
            Block::Heading { origin, .. }
            | Block::Paragraph { origin, .. }
            | Block::Caption { origin, .. }
            | Block::Lines { origin, .. }
            | Block::List { origin, .. }
            | Block::Code { origin, .. }
            | Block::Front { origin, .. } => origin,
        }
    }
}

/// The author blurb closing an article, e.g. `（作者简介：张超，河北工业大学…）`.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Blurb {
    /// The label as written (`作者简介`, `作者单位`, …); `作者简介` when the
    /// blurb had none (`作者系…`).
    pub label: String,
    /// The blurb text after the label, normalised.
    pub text: String,
    /// One entry per person described.
    pub people: Vec<Person>,
    #[serde(default)]
    pub origin: Option<Origin>,
}

/// A person described in a blurb.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// The name, when the blurb gives one.
    pub name: Option<String>,
    pub description: String,
}

/// A source location: file name and 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Origin {
    pub file: String,
    pub line: u32,
}

/// A warning: typed, with where it applies. Warnings never abort a build;
/// `--strict` turns them into failures.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Warning {
    pub kind: WarningKind,
    pub message: String,
    #[serde(default)]
    pub origin: Option<Origin>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WarningKind {
    MissingPages,
    DuplicatePage,
    PageCountMismatch,
    NoAuthor,
    LowConfidence,
    UnpairedQuote,
    AuthorMismatch,
    MissingGlyph,
    /// Input folio could not place in the model and left out (raw HTML in a
    /// Markdown file, text before the first title).
    LeftOut,
    /// A page counter whose numbers make no sense (page 0, past the count).
    UnusableCounter,
}

impl Warning {
    pub fn new(kind: WarningKind, message: impl Into<String>, origin: Option<Origin>) -> Self {
        Warning { kind, message: message.into(), origin }
    }
}

impl Compilation {
    /// All warnings: the compilation's, then each article's.
    pub fn all_warnings(&self) -> impl Iterator<Item = &Warning> {
        self.warnings.iter().chain(self.articles.iter().flat_map(|a| a.warnings.iter()))
    }

    /// Distinct authors across the articles, in order of first appearance.
    pub fn all_authors(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for a in &self.articles {
            for name in &a.authors {
                if !seen.contains(&name.as_str()) {
                    seen.push(name);
                }
            }
        }
        seen
    }

    /// The book's authors: the user's list, else every article author.
    pub fn creators(&self) -> Vec<&str> {
        if self.metadata.authors.is_empty() {
            self.all_authors()
        } else {
            self.metadata.authors.iter().map(String::as_str).collect()
        }
    }

    /// The publisher: the user's, else the source site.
    pub fn publisher(&self) -> Option<&str> {
        self.metadata.publisher.as_deref().or(self.source.site.as_deref())
    }

    /// What the cover shows: the user's cover text, else the title.
    pub fn cover_text(&self) -> &str {
        self.metadata.cover_text.as_deref().unwrap_or(&self.title)
    }

    /// Page range read, e.g. `3` or `1–13`.
    pub fn page_range(&self) -> Option<String> {
        let first = self.source.pages.first()?.number;
        let last = self.source.pages.last()?.number;
        Some(if first == last { first.to_string() } else { format!("{first}–{last}") })
    }

    /// The latest article date, when any is known (ISO dates sort as strings).
    pub fn latest_date(&self) -> Option<&str> {
        self.articles.iter().filter_map(|a| a.date.as_deref()).max()
    }

    /// Applies `f` to every text a reader of the book sees: the title, site,
    /// metadata, and each article's title, authors, dates, blocks and blurb
    /// (not provenance or warnings).
    pub fn map_text(&mut self, mut f: impl FnMut(&mut String)) {
        let Compilation { title, source, metadata, articles, .. } = self;
        f(title);
        source.site.iter_mut().for_each(&mut f);
        let Metadata { authors, publisher, cover_text } = metadata;
        authors.iter_mut().chain(publisher).chain(cover_text).for_each(&mut f);
        for a in articles {
            f(&mut a.title);
            a.authors.iter_mut().chain(&mut a.date).chain(&mut a.date_text).for_each(&mut f);
            for b in &mut a.blocks {
                match b {
                    Block::Heading { text, .. }
                    | Block::Caption { text, .. }
                    | Block::Lines { text, .. }
                    | Block::Code { text, .. } => f(text),
                    Block::Paragraph { text, lead, .. } => std::iter::once(text).chain(lead).for_each(&mut f),
                    Block::List { items, .. } => items.iter_mut().for_each(&mut f),
                    Block::Front { label, text, .. } => {
                        f(label);
                        f(text);
                    }
                }
            }
            if let Some(b) = &mut a.blurb {
                f(&mut b.label);
                f(&mut b.text);
                for p in &mut b.people {
                    p.name.iter_mut().chain(std::iter::once(&mut p.description)).for_each(&mut f);
                }
            }
        }
    }

    /// A copy with provenance (origins, warnings, source file details)
    /// removed: what a format that cannot carry provenance (Markdown) keeps.
    pub fn without_provenance(&self) -> Compilation {
        let mut c = self.clone();
        c.warnings.clear();
        for a in &mut c.articles {
            a.origin = None;
            a.warnings.clear();
            if let Some(b) = &mut a.blurb {
                b.origin = None;
            }
            for b in &mut a.blocks {
                *b.origin_mut() = None;
            }
        }
        c
    }
}
