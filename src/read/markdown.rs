//! Markdown reader: folio's own Markdown (see [`crate::write::markdown`])
//! back into the model, with pulldown-cmark.
//!
//! Model → Markdown → model gives the same model, less provenance (file and
//! line origins and warnings, which Markdown does not carry).

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::lang::dates;
use crate::model::{Article, Block, Blurb, Compilation};
use crate::normalize::people;
use crate::write::markdown::{
    FrontMatter, BYLINE_SEPARATOR, CONTINUED_MARK, LEAD_MARKS, NAME_SEPARATOR, TRUNCATED_MARK, UNTITLED,
};

/// Why a Markdown file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum MarkdownError {
    #[error("no YAML front matter: not a folio Markdown file")]
    NoFrontMatter,
    #[error("front matter: {0}")]
    FrontMatter(String),
}

/// Inline content of a paragraph, flattened.
#[derive(Debug, Default)]
struct Inline {
    /// Text inside a leading `**…**`.
    strong_prefix: Option<String>,
    text: String,
    /// The whole paragraph was one `*…*`.
    all_emphasis: bool,
}

/// Reads a folio Markdown document.
pub fn read(text: &str) -> Result<Compilation, MarkdownError> {
    let parser = Parser::new_ext(text, Options::ENABLE_YAML_STYLE_METADATA_BLOCKS);
    let mut front: Option<FrontMatter> = None;
    let mut articles: Vec<Article> = Vec::new();
    let mut in_meta = false;
    let mut in_quote = false;
    let mut heading: Option<(u8, String)> = None;
    let mut para: Option<Inline> = None;
    let mut depth_strong = 0;
    let mut depth_em = 0;
    let mut saw_other = false;

    for event in parser {
        match event {
            Event::Start(Tag::MetadataBlock(_)) => in_meta = true,
            Event::End(TagEnd::MetadataBlock(_)) => in_meta = false,
            Event::Text(t) if in_meta => {
                front = Some(serde_saphyr::from_str(&t).map_err(|e| MarkdownError::FrontMatter(e.to_string()))?);
            }
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level as u8, String::new())),
            Event::End(TagEnd::Heading(_)) => {
                let (level, text) = heading.take().unwrap_or_default();
                if level == 1 {
                    articles.push(empty_article(if text == UNTITLED { String::new() } else { text }));
                } else if let Some(a) = articles.last_mut() {
                    a.blocks.push(Block::Heading { level, text, origin: None });
                }
            }
            Event::Start(Tag::BlockQuote(_)) => in_quote = true,
            Event::End(TagEnd::BlockQuote(_)) => in_quote = false,
            Event::Start(Tag::Paragraph) => {
                para = Some(Inline::default());
                saw_other = false;
            }
            Event::Start(Tag::Strong) => {
                depth_strong += 1;
                if let Some(p) = &mut para {
                    if p.text.is_empty() && p.strong_prefix.is_none() {
                        p.strong_prefix = Some(String::new());
                    }
                }
            }
            Event::End(TagEnd::Strong) => depth_strong -= 1,
            Event::Start(Tag::Emphasis) => {
                depth_em += 1;
                if let Some(p) = &mut para {
                    if p.text.is_empty() && p.strong_prefix.is_none() {
                        p.all_emphasis = true;
                    }
                }
            }
            Event::End(TagEnd::Emphasis) => depth_em -= 1,
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, h)) = &mut heading {
                    h.push_str(&t);
                } else if let Some(p) = &mut para {
                    if depth_em == 0 && p.all_emphasis {
                        saw_other = true;
                    }
                    match (&mut p.strong_prefix, depth_strong > 0 && p.text.is_empty()) {
                        (Some(s), true) => s.push_str(&t),
                        _ => p.text.push_str(&t),
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(p) = &mut para {
                    p.text.push('\n');
                }
            }
            Event::End(TagEnd::Paragraph) => {
                let Some(mut p) = para.take() else { continue };
                if saw_other {
                    p.all_emphasis = false;
                }
                let Some(a) = articles.last_mut() else { continue };
                paragraph(a, p, in_quote);
            }
            _ => {}
        }
    }
    let front = front.ok_or(MarkdownError::NoFrontMatter)?;
    for a in &mut articles {
        if let Some(b) = &mut a.blurb {
            b.people = people::parse_people(&b.text, &b.label, &a.authors);
        }
    }
    Ok(Compilation {
        schema_version: front.schema_version,
        title: front.title,
        source: front.source,
        declared: front.declared,
        metadata: front.metadata,
        articles,
        warnings: vec![],
    })
}

fn empty_article(title: String) -> Article {
    Article { title, ..Default::default() }
}

/// Places one paragraph: byline, marker, blurb or body text.
fn paragraph(a: &mut Article, p: Inline, in_quote: bool) {
    if p.all_emphasis && p.strong_prefix.is_none() {
        let text = p.text.as_str();
        if text == TRUNCATED_MARK {
            a.truncated = true;
            return;
        }
        if text == CONTINUED_MARK {
            a.continued = true;
            return;
        }
        if a.blocks.is_empty() && a.authors.is_empty() && a.date.is_none() && !a.continued {
            for part in text.split(BYLINE_SEPARATOR) {
                match dates::parse_date_line(part) {
                    Some(iso) => {
                        if iso != part {
                            a.date_text = Some(part.to_string());
                        }
                        a.date = Some(iso);
                    }
                    None => a.authors = part.split(NAME_SEPARATOR).map(String::from).collect(),
                }
            }
            return;
        }
    }
    if in_quote {
        if let Some(label) = &p.strong_prefix {
            let text = p.text.strip_prefix('：').unwrap_or(&p.text).to_string();
            a.blurb = Some(Blurb { label: label.clone(), text, people: vec![], origin: None });
            return;
        }
    }
    match p.strong_prefix {
        Some(lead_inner) => {
            // Unless the bold ends with its mark, the writer put the lead's
            // final marks just after it (CommonMark cannot close `**` between
            // a full stop and a Han character).
            let mark: String = if lead_inner.ends_with(LEAD_MARKS) {
                String::new()
            } else {
                p.text.chars().take_while(|c| LEAD_MARKS.contains(c)).collect()
            };
            let lead = format!("{lead_inner}{mark}");
            let text = format!("{lead_inner}{}", p.text);
            a.blocks.push(Block::Paragraph { text, lead: Some(lead), origin: None });
        }
        None => a.blocks.push(Block::Paragraph { text: p.text, lead: None, origin: None }),
    }
}
