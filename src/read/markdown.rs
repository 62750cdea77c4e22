//! Markdown reader: folio's own Markdown (the form [`crate::model::markdown`]
//! describes) back into the model, with pulldown-cmark.
//!
//! Model → Markdown → model gives the same model, less provenance (file and
//! line origins and warnings, which Markdown does not carry) and less what
//! is derived from the text: the people of each blurb, which
//! [`crate::normalize::reread`] parses again.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::lang::dates;
use crate::model::display::{is_lead_mark, BYLINE_SEPARATOR, CONTINUED_MARK, NAME_SEPARATOR, TRUNCATED_MARK, UNTITLED};
use crate::model::markdown::{FrontMatter, CAPTION_CLOSE, CAPTION_OPEN};
use crate::model::{Article, Block, Blurb, Compilation, FrontKind, Origin, Warning, WarningKind, SCHEMA_VERSION};

/// Why a Markdown file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum MarkdownError {
    #[error("no YAML front matter: not a folio Markdown file")]
    NoFrontMatter,
    #[error("front matter: {0}")]
    FrontMatter(String),
    #[error("schema_version {0}: written by a newer folio (this one reads up to {SCHEMA_VERSION})")]
    NewerSchema(u32),
}

/// Inline content of a paragraph, flattened.
#[derive(Debug, Default)]
struct Inline {
    /// Text inside a leading `**…**`.
    strong_prefix: Option<String>,
    text: String,
    /// The whole paragraph was one `*…*`.
    all_emphasis: bool,
    /// The paragraph opened with the caption's inline HTML.
    caption: bool,
    /// Lines were ended by hard breaks: a run of short lines.
    hard_breaks: bool,
}

/// A list being read: its start number and items.
#[derive(Debug)]
struct ListState {
    start: Option<u64>,
    items: Vec<String>,
    /// Nesting depth: items of nested lists are flattened into this one.
    depth: usize,
}

/// Reads a folio Markdown document; `file` names it in warnings.
pub fn read(text: &str, file: &str) -> Result<Compilation, MarkdownError> {
    let mut parser = Parser::new_ext(text, Options::ENABLE_YAML_STYLE_METADATA_BLOCKS).into_offset_iter();
    let mut front: Option<FrontMatter> = None;
    let mut articles: Vec<Article> = Vec::new();
    let mut warnings: Vec<Warning> = Vec::new();
    let mut in_meta = false;
    let mut quote = QuoteState::Outside;
    let mut heading: Option<(u8, String)> = None;
    let mut para: Option<Inline> = None;
    let mut list: Option<ListState> = None;
    let mut item: Option<String> = None;
    let mut code: Option<String> = None;
    let mut depth_strong = 0;
    let mut depth_em = 0;
    let mut saw_other = false;
    let line_of = |offset: usize| text[..offset].matches('\n').count() as u32 + 1;
    let warn = |warnings: &mut Vec<Warning>, message: String, offset: usize| {
        warnings.push(Warning::new(
            WarningKind::LeftOut,
            message,
            Some(Origin { file: file.to_string(), line: line_of(offset) }),
        ))
    };

    for (event, range) in parser.by_ref() {
        match event {
            Event::Start(Tag::MetadataBlock(_)) => in_meta = true,
            Event::End(TagEnd::MetadataBlock(_)) => in_meta = false,
            Event::Text(t) if in_meta => {
                let first_line = line_of(range.start);
                front = Some(serde_saphyr::from_str(&t).map_err(|e| front_matter_error(&e, first_line))?);
            }
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level as u8, String::new())),
            Event::End(TagEnd::Heading(_)) => {
                let (level, text) = heading.take().unwrap_or_default();
                if level == 1 {
                    articles.push(empty_article(if text == UNTITLED { String::new() } else { text }));
                } else if let Some(a) = articles.last_mut() {
                    a.blocks.push(Block::Heading { level, text, origin: None });
                } else {
                    warn(
                        &mut warnings,
                        format!("heading `{text}` before the first article title left out"),
                        range.start,
                    );
                }
            }
            Event::Start(Tag::BlockQuote(_)) => quote = QuoteState::Opened,
            Event::End(TagEnd::BlockQuote(_)) => {
                if let (QuoteState::FrontLabel(label), Some(a)) = (&quote, articles.last_mut()) {
                    a.blocks.push(front_block(label.clone(), String::new()));
                }
                quote = QuoteState::Outside;
            }
            Event::Start(Tag::List(start)) => match &mut list {
                Some(l) => {
                    l.depth += 1;
                    warn(&mut warnings, "a nested list is read as items of the list around it".into(), range.start);
                }
                None => list = Some(ListState { start, items: vec![], depth: 0 }),
            },
            Event::End(TagEnd::List(_)) => {
                if let Some(l) = &mut list {
                    if l.depth > 0 {
                        l.depth -= 1;
                        continue;
                    }
                }
                if let Some(l) = list.take() {
                    match articles.last_mut() {
                        Some(a) => a.blocks.push(Block::List { start: l.start, items: l.items, origin: None }),
                        None => {
                            warn(&mut warnings, "a list before the first article title left out".into(), range.start)
                        }
                    }
                }
            }
            Event::Start(Tag::Item) => {
                // An item of a nested list ends the text of the item around it.
                if let (Some(t), Some(l)) = (item.take(), &mut list) {
                    if !t.is_empty() {
                        l.items.push(t);
                    }
                }
                item = Some(String::new());
            }
            Event::End(TagEnd::Item) => {
                if let (Some(t), Some(l)) = (item.take(), &mut list) {
                    if !t.is_empty() {
                        l.items.push(t);
                    }
                }
            }
            Event::Start(Tag::CodeBlock(_)) => code = Some(String::new()),
            Event::End(TagEnd::CodeBlock) => {
                let mut t = code.take().unwrap_or_default();
                if t.ends_with('\n') {
                    t.pop();
                }
                match (articles.last_mut(), &mut item) {
                    (_, Some(i)) => push_line(i, &t),
                    (Some(a), None) => a.blocks.push(Block::Code { text: t, origin: None }),
                    (None, None) => {
                        warn(&mut warnings, "a code block before the first article title left out".into(), range.start)
                    }
                }
            }
            Event::Text(t) if code.is_some() => code.as_mut().expect("checked").push_str(&t),
            Event::Start(Tag::Paragraph) => {
                para = Some(Inline::default());
                saw_other = false;
            }
            Event::Start(Tag::Strong) => {
                depth_strong += 1;
                if let Some(p) = &mut para {
                    if p.text.is_empty() && p.strong_prefix.is_none() && !p.caption {
                        p.strong_prefix = Some(String::new());
                    }
                }
            }
            Event::End(TagEnd::Strong) => depth_strong -= 1,
            Event::Start(Tag::Emphasis) => {
                depth_em += 1;
                if let Some(p) = &mut para {
                    if p.text.is_empty() && p.strong_prefix.is_none() && !p.caption {
                        p.all_emphasis = true;
                    }
                }
            }
            Event::End(TagEnd::Emphasis) => depth_em -= 1,
            Event::InlineHtml(h)
                if para.as_ref().is_some_and(|p| p.text.is_empty() && !p.caption) && &*h == CAPTION_OPEN =>
            {
                para.as_mut().expect("checked").caption = true;
            }
            Event::InlineHtml(h) if para.as_ref().is_some_and(|p| p.caption) && &*h == CAPTION_CLOSE => {}
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
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
                } else if let Some(i) = &mut item {
                    i.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(p) = &mut para {
                    p.text.push('\n');
                    p.hard_breaks |= matches!(event, Event::HardBreak);
                } else if let Some(i) = &mut item {
                    i.push('\n');
                }
            }
            Event::End(TagEnd::Paragraph) => {
                let Some(mut p) = para.take() else { continue };
                if saw_other {
                    p.all_emphasis = false;
                }
                if let Some(i) = &mut item {
                    push_line(i, &p.text);
                    continue;
                }
                let Some(a) = articles.last_mut() else {
                    if !p.text.is_empty() {
                        warn(&mut warnings, "text before the first article title left out".into(), range.start);
                    }
                    continue;
                };
                quote = paragraph(a, p, quote);
            }
            // A comment is not text.
            Event::Html(h) if h.trim_start().starts_with("<!--") && h.trim_end().ends_with("-->") => {}
            Event::Html(h) => warn(
                &mut warnings,
                format!("HTML left out: {}", h.trim().chars().take(40).collect::<String>()),
                range.start,
            ),
            _ => {}
        }
    }
    // A link reference definition gives no event, so what it holds would go
    // unnoticed: a footnote written `[^1]: text` is one (footnotes are not
    // read). Said, in line order with the rest.
    let mut definitions: Vec<(usize, String)> = parser
        .reference_definitions()
        .iter()
        .map(|(_, d)| (d.span.start, text[d.span.clone()].split_whitespace().collect::<Vec<_>>().join(" ")))
        .collect();
    if !definitions.is_empty() {
        definitions.sort();
        for (start, definition) in definitions {
            let shown: String = definition.chars().take(40).collect();
            warn(&mut warnings, format!("link definition left out: {shown}"), start);
        }
        warnings.sort_by_key(|w| w.origin.as_ref().map(|o| o.line));
    }
    let front = front.ok_or(MarkdownError::NoFrontMatter)?;
    if front.schema_version > SCHEMA_VERSION {
        return Err(MarkdownError::NewerSchema(front.schema_version));
    }
    Ok(Compilation {
        // Every earlier version is a subset of this one.
        schema_version: SCHEMA_VERSION,
        title: front.title,
        source: front.source,
        declared: front.declared,
        metadata: front.metadata,
        articles,
        warnings,
    })
}

/// Where the reader is in a blockquote: a blurb (`> **作者简介**：…`) or front
/// matter (`> **摘要**`, then its text).
#[derive(Debug, Clone, PartialEq)]
enum QuoteState {
    Outside,
    /// Just opened: its first paragraph tells which it is.
    Opened,
    /// Front matter whose label was read; its text follows.
    FrontLabel(String),
    /// Any other quote (a user's edit): its paragraphs are body text.
    Other,
}

/// The front matter's YAML error as one line, at the line of the file
/// (`first_line` is the file's line of the YAML's first line), without the
/// source snippet the parser draws over several lines.
fn front_matter_error(e: &serde_saphyr::Error, first_line: u32) -> MarkdownError {
    let message = e.without_snippet().to_string();
    let mut message = message.trim().trim_start_matches("error: ").to_string();
    if let Some(at) = e.location() {
        let yaml_at = format!(" at line {}, column {}", at.line(), at.column());
        if let Some(cut) = message.rfind(&yaml_at) {
            message.truncate(cut);
        }
        let line = u64::from(first_line) + at.line().saturating_sub(1);
        message = format!("line {line}, column {}: {message}", at.column());
    }
    MarkdownError::FrontMatter(message.lines().map(str::trim).collect::<Vec<_>>().join(" "))
}

fn front_block(label: String, text: String) -> Block {
    // Labels not in the table are editors' notes: the writer writes no kind.
    let kind = super::lexicon::builtin().words.front.kind_of(&label).unwrap_or(FrontKind::Note);
    Block::Front { kind, label, text, origin: None }
}

/// Appends a paragraph's text to a list item's, on a line of its own.
fn push_line(item: &mut String, text: &str) {
    if !item.is_empty() && !text.is_empty() {
        item.push('\n');
    }
    item.push_str(text);
}

fn empty_article(title: String) -> Article {
    Article { title, ..Default::default() }
}

/// Places one paragraph: byline, marker, blurb, front matter or body text;
/// returns the quote state after it.
fn paragraph(a: &mut Article, p: Inline, quote: QuoteState) -> QuoteState {
    if quote == QuoteState::Outside && p.all_emphasis && p.strong_prefix.is_none() {
        let text = p.text.as_str();
        if text == TRUNCATED_MARK {
            a.truncated = true;
            return quote;
        }
        if text == CONTINUED_MARK {
            a.continued = true;
            return quote;
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
            return quote;
        }
    }
    match quote {
        QuoteState::Opened => match &p.strong_prefix {
            Some(label) if p.text.is_empty() => return QuoteState::FrontLabel(label.clone()),
            Some(label) => {
                let text = p.text.strip_prefix('：').unwrap_or(&p.text).to_string();
                a.blurb = Some(Blurb { label: label.clone(), text, people: vec![], origin: None });
                return QuoteState::Other;
            }
            None => {}
        },
        QuoteState::FrontLabel(label) => {
            let text = match p.strong_prefix {
                Some(s) => format!("{s}{}", p.text),
                None => p.text,
            };
            a.blocks.push(front_block(label, text));
            return QuoteState::Other;
        }
        _ => {}
    }
    let next = if quote == QuoteState::Outside { quote } else { QuoteState::Other };
    if p.caption {
        a.blocks.push(Block::Caption { text: p.text, origin: None });
        return next;
    }
    if p.hard_breaks && p.strong_prefix.is_none() {
        a.blocks.push(Block::Lines { text: p.text, origin: None });
        return next;
    }
    match p.strong_prefix {
        Some(lead_inner) => {
            // Unless the bold ends with its mark, the writer put the lead's
            // final marks just after it (CommonMark cannot close `**` between
            // a full stop and a Han character).
            let mark: String = if lead_inner.ends_with(is_lead_mark) {
                String::new()
            } else {
                p.text.chars().take_while(|&c| is_lead_mark(c)).collect()
            };
            let lead = format!("{lead_inner}{mark}");
            let text = format!("{lead_inner}{}", p.text);
            a.blocks.push(Block::Paragraph { text, lead: Some(lead), origin: None });
        }
        None => a.blocks.push(Block::Paragraph { text: p.text, lead: None, origin: None }),
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_front_matter_error_is_one_line_naming_what_is_wrong() {
        let text = "---\ntitle: 压力测试汇编\nschema_version: 2\n---\n\n# 标题\n\n正文。\n";
        let message = read(text, "book.md").unwrap_err().to_string();
        assert!(!message.contains('\n'), "{message:?}");
        // The YAML's second line is the file's third.
        assert_eq!(message, "front matter: line 3, column 1: missing field `authors`");
    }
}
