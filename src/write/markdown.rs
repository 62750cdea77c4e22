//! Markdown writer: CommonMark with YAML front matter.
//!
//! Per article: the title as `#`, a byline paragraph in emphasis
//! (`*张超 · 2022-07-26*`), sections one level below, paragraphs with the
//! lead sentence in bold, captions as `<small>…</small>` paragraphs, runs of
//! short lines as one paragraph with hard line breaks, lists, fenced code,
//! front matter as a blockquote whose first paragraph is the bold label
//! (`> **摘要**` then the text), the blurb as a blockquote opening
//! `**作者简介**：`, and muted markers where text is missing. Events go
//! through pulldown-cmark-to-cmark, which escapes text that would read back
//! as markup. [`crate::read::markdown`] reads this back into the same model.

use crate::model::display::{is_lead_mark, CONTINUED_MARK, TRUNCATED_MARK};
use crate::model::markdown::{FrontMatter, CAPTION_CLOSE, CAPTION_OPEN};
use crate::model::{Article, Block, Compilation};
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, MetadataBlockKind, Tag, TagEnd};

use super::WriteError;

/// Why the model could not be written as Markdown.
#[derive(Debug, thiserror::Error)]
pub enum MarkdownError {
    #[error("front matter: {0}")]
    FrontMatter(#[from] serde_saphyr::ser::Error),
    #[error("{0}")]
    Markdown(#[from] pulldown_cmark_to_cmark::Error),
}

pub fn write(c: &Compilation) -> Result<Vec<u8>, WriteError> {
    let front = FrontMatter {
        title: c.title.clone(),
        authors: c.creators().into_iter().map(String::from).collect(),
        page_range: c.page_range(),
        schema_version: c.schema_version,
        source: c.source.clone(),
        declared: c.declared.clone(),
        metadata: c.metadata.clone(),
    };
    let yaml = serde_saphyr::to_string(&front).map_err(MarkdownError::from)?;
    let mut events: Vec<Event> = vec![
        Event::Start(Tag::MetadataBlock(MetadataBlockKind::YamlStyle)),
        Event::Text(yaml.into()),
        Event::End(TagEnd::MetadataBlock(MetadataBlockKind::YamlStyle)),
    ];
    for a in &c.articles {
        article_events(a, &mut events);
    }
    let events = without_empty_inlines(events);
    let mut out = String::new();
    let options = pulldown_cmark_to_cmark::Options {
        increment_ordered_list_bullets: true,
        ..pulldown_cmark_to_cmark::Options::default()
    };
    pulldown_cmark_to_cmark::cmark_with_options(
        events.iter(),
        &mut out,
        pulldown_cmark::Options::ENABLE_YAML_STYLE_METADATA_BLOCKS,
        options,
    )
    .map_err(MarkdownError::from)?;
    out.push('\n');
    Ok(out.into_bytes())
}

/// Drops empty text and emphasis left empty: a CommonMark parser never
/// yields them, and pulldown-cmark-to-cmark refuses to write what it could
/// not read back (a paragraph that is all lead ends with an empty text; an
/// empty name gives an empty byline).
fn without_empty_inlines(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    for e in events {
        match e {
            Event::Text(t) if t.is_empty() => {}
            Event::End(TagEnd::Strong | TagEnd::Emphasis)
                if matches!(out.last(), Some(Event::Start(Tag::Strong | Tag::Emphasis))) =>
            {
                out.pop();
            }
            e => out.push(e),
        }
    }
    out
}

fn article_events<'a>(a: &'a Article, ev: &mut Vec<Event<'a>>) {
    heading(ev, HeadingLevel::H1, a.display_title());
    if let Some(byline) = a.byline() {
        emphasis_paragraph(ev, byline);
    }
    if a.continued {
        emphasis_paragraph(ev, CONTINUED_MARK.to_string());
    }
    for b in &a.blocks {
        match b {
            Block::Heading { level, text, .. } => heading(ev, level_of(*level), text),
            Block::Paragraph { text, lead, .. } => {
                ev.push(Event::Start(Tag::Paragraph));
                match lead.as_deref().filter(|l| text.starts_with(l)) {
                    Some(lead) => {
                        // CommonMark will not close `**` between a full stop and a
                        // Han character, so the lead's final mark goes outside the bold.
                        let rest = &text[lead.len()..];
                        let punct_follows = rest.chars().next().is_none_or(|c| is_punctuation(c) || c.is_whitespace());
                        let (inner, mark) = if punct_follows { (lead, "") } else { split_final_mark(lead) };
                        let (inner, mark) = if inner.is_empty() { (lead, "") } else { (inner, mark) };
                        ev.push(Event::Start(Tag::Strong));
                        ev.push(Event::Text(inner.into()));
                        ev.push(Event::End(TagEnd::Strong));
                        ev.push(Event::Text(format!("{mark}{rest}").into()));
                    }
                    None => ev.push(Event::Text(text.as_str().into())),
                }
                ev.push(Event::End(TagEnd::Paragraph));
            }
            Block::Caption { text, .. } => {
                ev.push(Event::Start(Tag::Paragraph));
                ev.push(Event::InlineHtml(CAPTION_OPEN.into()));
                ev.push(Event::Text(text.as_str().into()));
                ev.push(Event::InlineHtml(CAPTION_CLOSE.into()));
                ev.push(Event::End(TagEnd::Paragraph));
            }
            Block::Lines { text, .. } => {
                ev.push(Event::Start(Tag::Paragraph));
                for (n, line) in text.split('\n').enumerate() {
                    if n > 0 {
                        ev.push(Event::HardBreak);
                    }
                    ev.push(Event::Text(line.into()));
                }
                ev.push(Event::End(TagEnd::Paragraph));
            }
            Block::List { start, items, .. } => {
                // Two lists in a row get different markers (`*`, `-`), so
                // they read back as two (pulldown-cmark-to-cmark does it).
                ev.push(Event::Start(Tag::List(*start)));
                for item in items {
                    ev.push(Event::Start(Tag::Item));
                    ev.push(Event::Text(item.as_str().into()));
                    ev.push(Event::End(TagEnd::Item));
                }
                ev.push(Event::End(TagEnd::List(start.is_some())));
            }
            Block::Code { text, .. } => {
                ev.push(Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced("".into()))));
                ev.push(Event::Text(format!("{text}\n").into()));
                ev.push(Event::End(TagEnd::CodeBlock));
            }
            Block::Front { label, text, .. } => {
                ev.push(Event::Start(Tag::BlockQuote(None)));
                ev.push(Event::Start(Tag::Paragraph));
                ev.push(Event::Start(Tag::Strong));
                ev.push(Event::Text(label.as_str().into()));
                ev.push(Event::End(TagEnd::Strong));
                ev.push(Event::End(TagEnd::Paragraph));
                if !text.is_empty() {
                    ev.push(Event::Start(Tag::Paragraph));
                    ev.push(Event::Text(text.as_str().into()));
                    ev.push(Event::End(TagEnd::Paragraph));
                }
                ev.push(Event::End(TagEnd::BlockQuote(None)));
            }
        }
    }
    if let Some(b) = &a.blurb {
        ev.push(Event::Start(Tag::BlockQuote(None)));
        ev.push(Event::Start(Tag::Paragraph));
        ev.push(Event::Start(Tag::Strong));
        ev.push(Event::Text(b.label.as_str().into()));
        ev.push(Event::End(TagEnd::Strong));
        ev.push(Event::Text(format!("：{}", b.text).into()));
        ev.push(Event::End(TagEnd::Paragraph));
        ev.push(Event::End(TagEnd::BlockQuote(None)));
    }
    if a.truncated {
        emphasis_paragraph(ev, TRUNCATED_MARK.to_string());
    }
}

/// Punctuation as CommonMark's flanking rules see it (ASCII and Unicode punctuation).
pub fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() || crate::lang::chars::is_cjk_punct(c) || ('\u{2000}'..='\u{206f}').contains(&c)
}

/// Splits a lead into its text and its final sentence mark (with any closing quotes).
pub fn split_final_mark(lead: &str) -> (&str, &str) {
    let cut = lead.char_indices().rev().take_while(|&(_, c)| is_lead_mark(c)).last().map_or(lead.len(), |(i, _)| i);
    lead.split_at(cut)
}

fn level_of(level: u8) -> HeadingLevel {
    match level {
        0 | 1 => HeadingLevel::H1,
        2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

fn heading<'a>(ev: &mut Vec<Event<'a>>, level: HeadingLevel, text: &'a str) {
    ev.push(Event::Start(Tag::Heading { level, id: None, classes: vec![], attrs: vec![] }));
    ev.push(Event::Text(text.into()));
    ev.push(Event::End(TagEnd::Heading(level)));
}

fn emphasis_paragraph(ev: &mut Vec<Event<'_>>, text: String) {
    ev.push(Event::Start(Tag::Paragraph));
    ev.push(Event::Start(Tag::Emphasis));
    ev.push(Event::Text(text.into()));
    ev.push(Event::End(TagEnd::Emphasis));
    ev.push(Event::End(TagEnd::Paragraph));
}
