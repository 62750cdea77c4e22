//! Puts a line into the open article: in its header, meta lines (date,
//! authors), bylines, an affiliation, a subtitle; anywhere, blurbs, front
//! matter, captions, credits that close it, section headings and paragraphs.

use super::{Open, Phase, Segmenter};
use crate::lang::names;
use crate::model::{Block, Blurb, FrontKind, Origin};
use crate::read::classify::{Kind, MAX_SECTION_CHARS};
use crate::read::meta;

impl Segmenter<'_> {
    /// Puts line `k` into the open article; returns the next line to read.
    pub(super) fn place(&self, k: usize, kind: &Kind, o: &mut Open) -> usize {
        let s = self.s;
        let line = s[k].line;
        let origin = Some(line.origin.clone());
        let was_byline = std::mem::take(&mut o.after_byline);
        match kind {
            Kind::Credit => {
                if o.phase == Phase::Body {
                    o.closed = true;
                }
            }
            Kind::Meta(m) => {
                let mut used = false;
                let header = o.phase == Phase::Header;
                if !m.authors.is_empty() {
                    let adjacent = o.authors_at.is_some_and(|at| self.next(at) == Some(k));
                    if o.a.authors.is_empty() || adjacent {
                        for n in &m.authors {
                            if !o.a.authors.contains(n) {
                                o.a.authors.push(n.clone());
                            }
                        }
                        o.authors_at = Some(k);
                        o.after_byline = true;
                        used = true;
                    } else if m.authors.iter().all(|n| o.a.authors.contains(n)) {
                        used = true;
                    }
                    if o.phase == Phase::Body && m.author_key.is_some() {
                        o.closed = true;
                    }
                }
                if let Some((iso, written)) = &m.date {
                    if o.a.date.is_none() && (header || used) {
                        if iso != written {
                            o.a.date_text = Some(written.clone());
                        }
                        o.a.date = Some(iso.clone());
                        used = true;
                    } else if o.a.date.as_deref() == Some(iso.as_str()) && header {
                        used = true;
                    }
                }
                if let Some(b) = &m.blurb {
                    if o.a.blurb.is_none() {
                        o.a.blurb = Some(blurb("作者简介", b, &line.origin));
                        used = true;
                    }
                }
                if !used {
                    self.paragraph(o, k);
                }
            }
            Kind::Blurb { label, text } => match &mut o.a.blurb {
                None => {
                    o.a.blurb = Some(blurb(label, text, &line.origin));
                    o.closed = o.phase == Phase::Body;
                    o.blurb_at = Some(k);
                }
                // One person a line: the blurb goes on.
                Some(b) if o.blurb_at.is_some_and(|at| self.next(at) == Some(k)) => {
                    b.text.push('\n');
                    b.text.push_str(text);
                    o.blurb_at = Some(k);
                }
                Some(_) => self.paragraph(o, k),
            },
            Kind::BlurbLabel(label) => {
                let (text, next) = self.blurb_after_label(k);
                if o.a.blurb.is_none() && !text.is_empty() {
                    o.a.blurb = Some(blurb(label, &text, &line.origin));
                    o.closed = o.phase == Phase::Body;
                    return next;
                }
                self.paragraph(o, k);
            }
            // `【编者按】今天，…`: an editor's note run into its text reads as a
            // paragraph of the article, label and all, as the page sets it.
            Kind::Front { kind: FrontKind::Note, text, .. } if !text.is_empty() => self.paragraph(o, k),
            Kind::Front { kind, label, text } => {
                let mut text = text.clone();
                let mut next = k + 1;
                if text.is_empty() {
                    if let Some(j) = self.next(k) {
                        if s[j].is(|k| matches!(k, Kind::Paragraph | Kind::HeadingLike | Kind::Caption | Kind::Issue)) {
                            text = s[j].line.text.clone();
                            next = j + 1;
                        }
                    }
                }
                o.a.blocks.push(Block::Front { kind: *kind, label: label.clone(), text, origin });
                return next;
            }
            Kind::Caption => o.a.blocks.push(Block::Caption { text: line.text.clone(), origin }),
            Kind::Issue => self.paragraph(o, k),
            Kind::KeyValue => {
                self.paragraph(o, k);
                o.closed = true;
            }
            Kind::HeadingLike | Kind::Paragraph => {
                if self.repeats_title(k, Some(o)) {
                    return k + 1;
                }
                if o.phase == Phase::Header {
                    if let Some(b) = self.byline(k, Some(o)) {
                        for n in b.names {
                            if !o.a.authors.contains(&n) {
                                o.a.authors.push(n);
                            }
                        }
                        o.authors_at = Some(k);
                        o.after_byline = true;
                        if let (Some(unit), None) = (b.affiliation, &o.a.blurb) {
                            o.a.blurb = Some(blurb("作者单位", &unit, &line.origin));
                        }
                        return k + 1;
                    }
                    if was_byline && meta::affiliation(&line.key, self.lex) && o.a.blurb.is_none() {
                        o.a.blurb = Some(blurb("作者单位", &line.text, &line.origin));
                        o.after_byline = true;
                        return k + 1;
                    }
                    // `——怎样写好会议主持词`: a subtitle stays in the header.
                    if line.text.starts_with(['—', '─']) && line.chars <= MAX_SECTION_CHARS {
                        o.a.blocks.push(Block::Paragraph { text: line.text.clone(), lead: None, origin });
                        return k + 1;
                    }
                }
                if matches!(kind, Kind::HeadingLike) && self.is_section_heading(k, o) {
                    o.a.blocks.push(Block::Heading { level: 2, text: line.text.clone(), origin });
                    o.phase = Phase::Body;
                } else {
                    self.paragraph(o, k);
                }
            }
        }
        k + 1
    }

    fn paragraph(&self, o: &mut Open, k: usize) {
        let line = self.s[k].line;
        // `本报讯（记者 张三 通讯员 李四）…`: the first paragraph names the reporters.
        let first = !o.a.blocks.iter().any(|b| matches!(b, Block::Paragraph { .. }));
        if first && o.a.authors.is_empty() {
            // The set first: most first paragraphs open no other way, and
            // then no pattern's own regex is built.
            if let Some(fields) = self
                .lex
                .run_in
                .matching(&line.key)
                .into_iter()
                .find_map(|i| self.lex.run_in.pattern(i).captures(&line.key))
                .and_then(|c| c.name("fields"))
            {
                let inner = fields.as_str();
                if let Some(m) = meta::meta_line(inner, inner, self.lex) {
                    o.a.authors = m.authors;
                }
            }
        }
        o.a.blocks.push(Block::Paragraph { text: line.text.clone(), lead: None, origin: Some(line.origin.clone()) });
        o.phase = Phase::Body;
        o.closed = false;
    }

    /// The blurb text under a label line: the next line, and the lines after
    /// it that describe further people (`李 岩,工程师,…`). Returns the text and
    /// the line after it.
    fn blurb_after_label(&self, k: usize) -> (String, usize) {
        let s = self.s;
        let mut parts: Vec<&str> = Vec::new();
        let mut end = k + 1;
        let mut j = self.next(k);
        while let Some(i) = j {
            let entry = s[i].is(|k| matches!(k, Kind::Paragraph | Kind::HeadingLike));
            if !entry {
                break;
            }
            let text = s[i].line.text.as_str();
            let describes_person = text
                .split_once([',', '，'])
                .is_some_and(|(head, _)| names::is_name(&head.split_whitespace().collect::<String>(), false));
            if !parts.is_empty() && !describes_person {
                break;
            }
            parts.push(text);
            end = i + 1;
            j = self.next(i);
        }
        (parts.join("\n"), end)
    }
}

fn blurb(label: &str, text: &str, origin: &Origin) -> Blurb {
    Blurb { label: label.to_string(), text: text.to_string(), people: vec![], origin: Some(origin.clone()) }
}

#[cfg(test)]
mod tests {
    use super::super::segment;
    use super::super::tests::stream;
    use crate::read::lexicon::builtin;

    #[test]
    fn header_in_any_order() {
        let items = stream(
            "人民日报 2024年12月06日 Fri\n以优质言论净化舆论生态\n复旦大学新闻学院院长、教授 张涛甫 《人民日报》(2024年12月06日 第 10 版)\n时代辽阔,评论是时代的“时蔬”。面对恣意奔涌的舆论场,需要有更多的优质言论。",
        );
        let arts = segment(&items, &builtin(), true);
        assert_eq!(arts.len(), 1);
        assert_eq!(arts[0].title, "以优质言论净化舆论生态");
        assert_eq!(arts[0].authors, ["张涛甫"]);
        assert_eq!(arts[0].date.as_deref(), Some("2024-12-06"));
        assert_eq!(arts[0].blocks.len(), 1);
    }
}
