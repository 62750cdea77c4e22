//! Segmentation: the classified lines of a compilation's pages, in page
//! order, become articles (title, byline, date, front matter, headings,
//! paragraphs, captions, blurb).
//!
//! Pages are stitched into one stream first, so an article running from one
//! page onto the next stays one article; a gap (a missing page) cuts the
//! stream, and the article on either side of it is flagged.
//!
//! Whether a heading-like line opens an article or a section is decided by
//! a score built from signals that hold on Chinese article pages in general
//! (weights in `lexicon.toml`): what precedes it (the start of the page's
//! text, the end of an article: a blurb, credits, chrome), what follows it
//! (a byline, a date or meta line), and its form (title separators such as
//! `｜` and `——`, length, section numbering). The score keeps its reasons,
//! and borderline decisions are reported as low-confidence warnings saying
//! why, rather than made silently.
//!
//! After a title comes the article's header, read in any order until the
//! body starts: meta lines (date, authors), bylines, an affiliation under the
//! byline, front matter, repeats of the title (dropped). Credits and chrome
//! never reach the body; an author credit at the end (`撰稿/…`, `文字:…`)
//! gives the authors when no byline did.

use std::cell::{OnceCell, RefCell};
use std::collections::BTreeMap;

use super::chrome::Evidence;
use super::classify::{is_prose, trails_off, Kind, MAX_SECTION_CHARS};
use super::lexicon::{Compiled, TitleWeights};
use super::line::Line;
use super::meta;
use crate::lang::chars::{visible_len, visible_len_over};
use crate::lang::names;
use crate::model::{Article, Block, Blurb, FrontKind, Origin, Warning, WarningKind};

/// One item of the stitched stream.
#[derive(Debug, Clone)]
pub enum Item {
    /// A line of article text, with what it is by itself.
    Line(Line, Kind),
    /// A line its page shows as chrome: never output, but it still tells
    /// where an article ends.
    Chrome(Line, Evidence),
    /// Pages are missing here (or the stream starts/ends on a missing page).
    Gap,
}

/// A line of the stream as segmentation sees it.
struct Slot<'a> {
    line: &'a Line,
    /// `None` for chrome.
    kind: Option<&'a Kind>,
    /// Chrome that closes an article (see [`Evidence::closing`]).
    closing_chrome: bool,
    /// A gap (or the stream's start) comes right before this line.
    gap_before: bool,
    /// The text of the front matter label above it (`关键词` over its words):
    /// never a heading or title of its own.
    absorbed: bool,
}

impl Slot<'_> {
    fn is(&self, f: impl Fn(&Kind) -> bool) -> bool {
        self.kind.is_some_and(f)
    }
    fn heading_like(&self) -> bool {
        !self.absorbed && self.is(|k| matches!(k, Kind::HeadingLike))
    }
    /// The line ends an article: its blurb, credits, share prompts.
    fn closing(&self) -> bool {
        self.closing_chrome || self.is(|k| matches!(k, Kind::Credit | Kind::KeyValue | Kind::Blurb { .. }))
    }
}

/// A byline: the names, and the unit written after them on the same line.
struct Byline {
    names: Vec<String>,
    affiliation: Option<String>,
}

/// A title's score and the reasons for it.
struct Score {
    value: i32,
    reasons: Vec<&'static str>,
    structural: bool,
}

impl Score {
    fn add(&mut self, w: i32, reason: &'static str) {
        if w != 0 {
            self.value += w;
            self.reasons.push(reason);
        }
    }
}

/// Where an article is: its header (right after the title), or its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Header,
    Body,
}

/// Splits the stream into articles. `collection` says the stream comes from
/// a paginated collection (a page counter, or several pages), where articles
/// follow each other; a lone web page most often holds one article, so there
/// a headline by its form alone must make a stronger case.
pub fn segment(items: &[Item], lex: &Compiled, collection: bool) -> Vec<Article> {
    let mut slots: Vec<Slot> = Vec::with_capacity(items.len());
    let mut gap = true;
    for it in items {
        match it {
            Item::Gap => gap = true,
            Item::Line(line, kind) => {
                slots.push(Slot { line, kind: Some(kind), closing_chrome: false, gap_before: gap, absorbed: false });
                gap = false;
            }
            Item::Chrome(line, e) => {
                slots.push(Slot { line, kind: None, closing_chrome: e.closing, gap_before: gap, absorbed: false });
                gap = false;
            }
        }
    }
    // A front matter label alone takes the next line as its text.
    for k in 0..slots.len() {
        if slots[k].is(|k| matches!(k, Kind::Front { text, .. } if text.is_empty())) {
            if let Some(j) =
                (k + 1..slots.len()).take_while(|&j| !slots[j].gap_before).find(|&j| slots[j].kind.is_some())
            {
                if slots[j].is(|k| matches!(k, Kind::Paragraph | Kind::HeadingLike | Kind::Caption | Kind::Issue)) {
                    slots[j].absorbed = true;
                }
            }
        }
    }
    let starts_on_gap = matches!(items.first(), Some(Item::Gap));
    let ends_on_gap = matches!(items.last(), Some(Item::Gap));
    let follows = RefCell::new(vec![None; slots.len()]);
    let cores = (0..slots.len()).map(|_| OnceCell::new()).collect();
    Segmenter {
        s: &slots,
        lex,
        w: lex.words.title,
        collection,
        follows,
        cores,
        title_core: Default::default(),
        bylines: Default::default(),
    }
    .run(starts_on_gap, ends_on_gap)
}

struct Segmenter<'a> {
    s: &'a [Slot<'a>],
    lex: &'a Compiled,
    w: TitleWeights,
    collection: bool,
    /// [`Segmenter::byline_or_date_follows`] by line: it depends on the
    /// stream only, and the title scores ask it of a line several times.
    follows: RefCell<Vec<Option<bool>>>,
    /// The letters and digits ([`core`]) of each line short enough to
    /// repeat a title, and their count, worked out once:
    /// [`Segmenter::repeats_title`] asks them of a line many times.
    cores: Vec<OnceCell<(String, usize)>>,
    /// The last title [`Segmenter::repeats_title`] was asked about, its core
    /// and the core's length.
    title_core: RefCell<(String, String, usize)>,
    /// [`names::parse_byline`] of a line's text, by line and position: a
    /// header line is asked whether it is a byline several times.
    bylines: RefCell<BylineMemo>,
}

/// Names of a line's text by (line, position); see [`Segmenter::parse_byline`].
type BylineMemo = BTreeMap<(usize, names::Position), Option<Vec<String>>>;

/// The article being read.
struct Open {
    a: Article,
    phase: Phase,
    /// Index of the last slot that gave the authors (names on consecutive
    /// lines under different keys add up: `主持人:…`, `参加人:…`).
    authors_at: Option<usize>,
    /// The last line read was a byline (an affiliation may follow).
    after_byline: bool,
    /// The article reached its blurb or closing credits.
    closed: bool,
    /// The last line that was (part of) the blurb.
    blurb_at: Option<usize>,
}

impl<'a> Segmenter<'a> {
    fn run(&self, starts_on_gap: bool, ends_on_gap: bool) -> Vec<Article> {
        let s = self.s;
        let mut articles: Vec<Article> = Vec::new();
        let mut open: Option<Open> = None;
        let mut k = 0;
        while k < s.len() {
            if s[k].gap_before {
                let real_gap = k > 0 || starts_on_gap;
                if let Some(o) = open.take() {
                    articles.push(finish(o, real_gap));
                }
            }
            let Some(kind) = s[k].kind else {
                // Chrome: not text, but an article that reached closing chrome is closed.
                if let Some(o) = &mut open {
                    if o.phase == Phase::Body && s[k].closing_chrome {
                        o.closed = true;
                    }
                }
                k += 1;
                continue;
            };

            // A byline right under a title is not a title itself.
            let header = open
                .as_ref()
                .is_none_or(|o| o.phase == Phase::Header && (o.a.blocks.is_empty() || !o.a.title.is_empty()));
            let byline = header && self.byline(k, open.as_ref()).is_some();
            // A title?
            if s[k].heading_like() && !byline && !self.repeats_title(k, open.as_ref()) {
                let score = self.title_score(k, open.as_ref());
                let adopt =
                    open.as_ref().is_some_and(|o| o.a.title.is_empty() && o.a.blocks.is_empty() && !o.a.continued);
                let in_header = open.as_ref().is_some_and(|o| o.phase == Phase::Header && !o.a.title.is_empty());
                let follows = self.byline_or_date_follows(k);
                // By its form alone (no page start, no article end before it,
                // no byline or date after it) a line must make a stronger case.
                let needed = if score.structural || self.collection {
                    self.w.threshold
                } else {
                    self.w.threshold + self.w.form_only
                };
                if score.value >= needed && (!in_header || follows) {
                    let text = s[k].line.text.as_str();
                    let mut o = if adopt {
                        let mut o = open.take().expect("checked");
                        o.a.title = text.to_string();
                        o.a.origin = Some(s[k].line.origin.clone());
                        o.a.warnings.retain(|w| w.kind != WarningKind::LowConfidence);
                        o
                    } else {
                        let mut dropped = None;
                        if let Some(o) = open.take() {
                            // A line over the real title at the top of the text
                            // (`其他`, `·综 述·`): page chrome, not an article.
                            if articles.is_empty() && is_bare_title(&o) {
                                dropped = Some(o.a.title);
                            } else {
                                articles.push(finish(o, false));
                            }
                        }
                        let mut o = new_open(text, &s[k].line.origin, false);
                        if let Some(t) = dropped {
                            o.a.warnings.push(Warning::new(
                                WarningKind::LowConfidence,
                                format!("`{t}` above the title `{text}` taken for page chrome"),
                                Some(s[k].line.origin.clone()),
                            ));
                        }
                        o
                    };
                    if !score.structural {
                        o.a.warnings.push(Warning::new(
                            WarningKind::LowConfidence,
                            format!(
                                "`{text}` taken as an article title from its form alone ({})",
                                score.reasons.join(", ")
                            ),
                            Some(s[k].line.origin.clone()),
                        ));
                    }
                    o.phase = Phase::Header;
                    open = Some(o);
                    k += 1;
                    continue;
                }
                if score.value >= self.w.threshold - 1 {
                    if let Some(o) = &mut open {
                        o.a.warnings.push(Warning::new(
                            WarningKind::LowConfidence,
                            format!(
                                "`{}` could be an article title ({}); kept as part of the article",
                                s[k].line.text,
                                score.reasons.join(", ")
                            ),
                            Some(s[k].line.origin.clone()),
                        ));
                    }
                }
            }

            let o = open.get_or_insert_with(|| {
                let continued = s[k].gap_before && (k > 0 || starts_on_gap);
                let mut o = new_open("", &s[k].line.origin, continued);
                if !continued {
                    o.a.warnings.push(Warning::new(
                        WarningKind::LowConfidence,
                        "text before the first article title",
                        Some(s[k].line.origin.clone()),
                    ));
                }
                o
            });
            k = self.place(k, kind, o);
        }
        if let Some(o) = open.take() {
            articles.push(finish(o, ends_on_gap));
        }
        articles.iter_mut().for_each(author_prefix);
        articles
    }

    /// Puts line `k` into the open article; returns the next line to read.
    fn place(&self, k: usize, kind: &Kind, o: &mut Open) -> usize {
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
            if let Some(fields) = (0..self.lex.run_in.len())
                .map(|i| self.lex.run_in.pattern(i))
                .find_map(|re| re.captures(&line.key))
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

    /// The next line that is not chrome, with no gap before it.
    fn next(&self, k: usize) -> Option<usize> {
        (k + 1..self.s.len()).take_while(|&j| !self.s[j].gap_before).find(|&j| self.s[j].kind.is_some())
    }

    /// The previous line that is not chrome, with no gap between.
    fn prev(&self, k: usize) -> Option<usize> {
        if self.s[k].gap_before {
            return None;
        }
        let mut j = k;
        while j > 0 {
            j -= 1;
            if self.s[j].kind.is_some() {
                return Some(j);
            }
            if self.s[j].gap_before {
                return None;
            }
        }
        None
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

    /// The line repeats the open article's title (a page that shows the
    /// title twice, in a breadcrumb, or split over two lines).
    fn repeats_title(&self, k: usize, o: Option<&Open>) -> bool {
        let Some(o) = o else { return false };
        if o.a.title.is_empty() {
            return false;
        }
        let mut cached = self.title_core.borrow_mut();
        if cached.0 != o.a.title {
            let c = core(&o.a.title);
            let n = c.chars().count();
            *cached = (o.a.title.clone(), c, n);
        }
        let (_, title, title_n) = &*cached;
        // Longer than the title and its tags (counted no further): not a repeat.
        let room = title_n + 12;
        if self.s[k].line.text.chars().filter(|&c| alphanumeric(c)).nth(room).is_some() {
            return false;
        }
        let (line, n) = self.cores[k].get_or_init(|| {
            let c = core(&self.s[k].line.text);
            let n = c.chars().count();
            (c, n)
        });
        *n >= 4 && (title.contains(line.as_str()) || line.contains(title.as_str()))
    }

    /// [`names::parse_byline`] of line `k`'s text, asked once per position.
    fn parse_byline(&self, k: usize, position: names::Position) -> Option<Vec<String>> {
        self.bylines
            .borrow_mut()
            .entry((k, position))
            .or_insert_with(|| names::parse_byline(&self.s[k].line.text, position))
            .clone()
    }

    /// A byline in the header: names, perhaps labelled, on their own line.
    fn byline(&self, k: usize, o: Option<&Open>) -> Option<Byline> {
        let s = self.s;
        if !self.may_be_byline(k) {
            return None;
        }
        // The authors are known (from a meta line, the title): a byline that
        // repeats them, or names more of them (`王冠中` then `王冠中,闫 力`), still is one.
        if let Some(known) = o.map(|o| &o.a.authors).filter(|a| !a.is_empty()) {
            let found = self.byline(k, None).or_else(|| {
                let names = self.parse_byline(k, names::Position::AfterTitle)?;
                Some(Byline { names, affiliation: None })
            })?;
            return found.names.iter().any(|n| known.contains(n)).then_some(found);
        }
        let titled = o.is_some_and(|o| !o.a.title.is_empty());
        let position = match self.next(k).map(|j| &s[j]) {
            Some(n) if n.is(|k| matches!(k, Kind::Meta(m) if m.date.is_some())) => names::Position::BeforeDate,
            Some(n) if titled && n.kind.is_some_and(|kind| is_prose(n.line, kind)) => names::Position::AfterTitle,
            _ if titled => names::Position::AfterTitle,
            _ => names::Position::Anywhere,
        };
        let text = &s[k].line.text;
        if let Some(names) = self.parse_byline(k, position) {
            // Above any title, one unlabelled two-character name (`文章`) is
            // too weak: it must be followed by a unit or a blurb.
            let weak = !titled && names.len() == 1 && names[0].chars().count() == 2 && !s[k].line.key.contains(':');
            let unit_follows = self.next(k).is_some_and(|j| {
                meta::affiliation(&s[j].line.key, self.lex)
                    || s[j].is(|k| matches!(k, Kind::Blurb { .. } | Kind::Front { .. }))
            });
            if !weak || unit_follows {
                return Some(Byline { names, affiliation: None });
            }
        }
        // `张三（中国社会科学院研究员）`: the name, the unit in brackets.
        if let Some((names_part, unit)) = text.trim_end_matches([')', '）']).split_once(['(', '（']) {
            let described = meta::affiliation(&format!("({unit})"), self.lex)
                || self.lex.words.byline.position_endings.iter().any(|p| unit.ends_with(p.as_str()));
            if described && text.trim_end().ends_with([')', '）']) {
                if let Some(names) = names::parse_byline(names_part, position.max(names::Position::AfterTitle)) {
                    return Some(Byline { names, affiliation: Some(unit.trim().to_string()) });
                }
            }
        }
        // `微山县人民法院党组成员、政治部主任  张月`: a position, then the name;
        // `张三 北京大学马克思主义学院 北京 100871`: the name, then the unit.
        let tokens: Vec<&str> = text.split_whitespace().collect();
        if tokens.len() >= 2 && s[k].line.chars <= 80 {
            let lex = &self.lex.words;
            let (last, before) = (tokens[tokens.len() - 1], &tokens[..tokens.len() - 1]);
            let position_before =
                before.last().is_some_and(|p| lex.byline.position_endings.iter().any(|e| p.ends_with(e.as_str())));
            if position_before {
                if let Some(names) = names::parse_byline(last, names::Position::Anywhere) {
                    return Some(Byline { names, affiliation: None });
                }
            }
            // `宁波财经学院 王艳艳`: the unit, then the name (the unit stays
            // with the byline; a blurb is a line of its own).
            let unit = before.join(" ");
            if titled && meta::affiliation(&format!("({unit})"), self.lex) {
                if let Some(names) = names::parse_byline(last, names::Position::AfterTitle) {
                    return Some(Byline { names, affiliation: None });
                }
            }
            let first = tokens[0];
            let rest = text[text.find(first).map_or(0, |i| i + first.len())..].trim();
            if titled && meta::affiliation(&format!("({rest})"), self.lex) {
                if let Some(names) = names::parse_byline(first, names::Position::AfterTitle) {
                    return Some(Byline { names, affiliation: None });
                }
            }
        }
        None
    }

    /// Numbered lines, bulleted lines and words that head sections
    /// (`目录`, `引言`) are never bylines.
    fn may_be_byline(&self, k: usize) -> bool {
        let key = self.s[k].line.key.trim();
        let words = &self.lex.words.byline.not_names;
        !self.lex.numbering.is_match(key)
            && !key.starts_with(|c: char| self.lex.words.chrome.bullets.iter().any(|b| b.starts_with(c)))
            && !words.iter().any(|w| w == key)
    }

    /// The line after `k` is a date or meta line, or a byline followed by
    /// body text or a date.
    fn byline_or_date_follows(&self, k: usize) -> bool {
        if let Some(known) = self.follows.borrow()[k] {
            return known;
        }
        let found = self.byline_or_date_follows_uncached(k);
        self.follows.borrow_mut()[k] = Some(found);
        found
    }

    fn byline_or_date_follows_uncached(&self, k: usize) -> bool {
        let s = self.s;
        let Some(next) = self.next(k) else { return false };
        if let Some(Kind::Meta(m)) = s[next].kind {
            // `文字：…` over `图片：…`: the closing credits of an article, not a byline.
            let credits = m.date.is_none()
                && self.next(next).is_some_and(|j| s[j].is(|k| matches!(k, Kind::Credit | Kind::KeyValue)));
            return !credits;
        }
        if !s[next].is(|k| matches!(k, Kind::HeadingLike | Kind::Paragraph)) {
            return false;
        }
        let position = match self.next(next).map(|j| &s[j]) {
            Some(n) if n.is(|k| matches!(k, Kind::Meta(m) if m.date.is_some())) => names::Position::BeforeDate,
            // `文字：…` over `图片：…`: the closing credits of an article, not a byline.
            Some(n) if n.is(|k| matches!(k, Kind::Credit)) => return false,
            Some(n) if n.kind.is_some_and(|kind| is_prose(n.line, kind)) => names::Position::AfterTitle,
            _ => names::Position::Anywhere,
        };
        self.may_be_byline(next) && self.parse_byline(next, position).is_some()
    }

    /// Title score of the heading-like line `k` (see the module doc).
    fn title_score(&self, k: usize, o: Option<&Open>) -> Score {
        let s = self.s;
        let w = &self.w;
        let line = s[k].line;
        let key = &line.key;
        let len = visible_len(&line.text);
        let mut score = Score { value: 0, reasons: vec![], structural: false };
        let prev = self.prev(k);
        let at_start = s[k].gap_before
            || prev.is_none()
            || o.is_some_and(|o| o.a.title.is_empty() && o.a.blocks.is_empty() && !o.a.continued);
        // After credits or a blurb — of an article that had a body.
        let has_body = o.is_none_or(|o| {
            o.a.blocks
                .iter()
                .any(|b| matches!(b, Block::Paragraph { text, .. } if visible_len_over(text, MAX_SECTION_CHARS)))
        });
        let after_end = k > 0 && !s[k].gap_before && s[k - 1].closing() && has_body;
        let follows = self.byline_or_date_follows(k);
        if at_start || after_end || follows {
            score.add(
                w.structural,
                if follows {
                    "a byline or date follows"
                } else if at_start {
                    "opens the text"
                } else {
                    "after an article's end"
                },
            );
            score.structural = true;
        }
        // One bar between two parts (`徐俊忠|“马克思主义…`); several, or one
        // at an end, make a table row or a menu.
        let bar = key.trim();
        if bar.matches('|').count() == 1 && !bar.starts_with('|') && !bar.ends_with('|') {
            score.add(w.separator, "a title separator");
        }
        if key.contains("——") || key.contains(" —") || key.starts_with('【') {
            score.add(w.dash, "a dash");
        }
        // A very short line over a date only (`江苏南京` over `2020年2月20日`)
        // signs off a text; as a title it needs more.
        let date_only = follows
            && !at_start
            && !after_end
            && self.next(k).is_some_and(|n| s[n].is(|k| matches!(k, Kind::Meta(m) if m.authors.is_empty())));
        if len <= 6 && date_only {
            score.add(w.very_short, "very short, over a date");
        }
        // `河海大学亚洲研究中心`: the name of a unit is no title.
        if len <= 16 && self.lex.words.blurb.institution_words.iter().any(|u| key.ends_with(u.as_str())) {
            score.add(w.institution, "names a unit");
        }
        score.add(
            match len {
                0..=14 => 0,
                15..=27 => w.long_15,
                28..=33 => w.long_28,
                _ => w.long_34,
            },
            "long",
        );
        if self.lex.numbering.is_match(key) {
            score.add(w.numbered, "numbered like a section");
        }
        if s[k].gap_before {
            return score;
        }
        let next = self.next(k);
        // A title is followed by a byline, a date or body text — never by the
        // closing credits of an article.
        if let Some(n) = next {
            if s[n].is(|k| matches!(k, Kind::Credit)) && !source_credit(&s[n].line.key) {
                score.add(w.closing_follows, "credits follow");
            }
        }
        // Verse and lists are judged by the lines right next to this one:
        // chrome between them breaks the run.
        let heading_like = |j: usize| s[j].heading_like();
        let short = |j: usize| heading_like(j) && s[j].line.chars <= 14;
        let before = (k > 0).then(|| k - 1);
        let after = (k + 1 < s.len() && !s[k + 1].gap_before).then_some(k + 1);
        // Inside verse (a run of short lines) a short line is a line of the
        // poem, even with a date under it; a byline under it makes it a title.
        let byline_follows =
            follows && next.is_some_and(|n| !s[n].is(|k| matches!(k, Kind::Meta(m) if m.authors.is_empty())));
        if before.is_some_and(short) && len <= 14 + 6 && !byline_follows {
            score.add(w.in_verse, "in a run of short lines");
        }
        // In a list of headline-like lines (related links, a table of contents)
        // each line is an item, not a title.
        if before.is_some_and(heading_like) && after.is_some_and(heading_like) && !follows {
            score.add(w.in_list, "in a list of short lines");
        }
        score
    }

    /// A heading-like line inside an article is a section heading when body
    /// text follows (perhaps after one more heading, a caption or a repeat of
    /// the title); in a run of three or more short lines (verse, a list) it
    /// is a line of text, and so are lines introduced by a colon.
    fn is_section_heading(&self, k: usize, o: &Open) -> bool {
        let s = self.s;
        if s[k].line.chars > MAX_SECTION_CHARS || trails_off(&s[k].line.text) {
            return false;
        }
        let key = &s[k].line.key;
        if (key.starts_with('《') && key.ends_with('》')) || (key.starts_with('"') && key.ends_with('"')) {
            return false;
        }
        // `——研究生支教团 肖杰`: a dash-led line signs a quotation (or, in the
        // header, is a subtitle); it heads no section.
        if key.starts_with(['—', '─']) {
            return false;
        }
        // A bulleted line is an item of a list.
        if key.starts_with(|c: char| self.lex.words.chrome.bullets.iter().any(|b| b.starts_with(c))) {
            return false;
        }
        // Numbered lines in a row (`1.…`, `2.…`) are a list, not sections.
        let style = self.lex.numbering.first_match(key);
        let same_style = |i: usize| style.is_some_and(|st| self.lex.numbering.matches_at(st, &s[i].line.key));
        // So is a numbered line a few lines after another of its style
        // (`5.異常處理`, a line ending with a colon, `6.請求日志打印`).
        let number = |i: usize| leading_number(&s[i].line.key);
        let continues = |p: usize, q: usize| number(p).zip(number(q)).is_some_and(|(a, b)| b == a + 1);
        let mut back = self.prev(k);
        for _ in 0..3 {
            match back {
                Some(p) if same_style(p) && continues(p, k) => return false,
                // Body text between: sections, not a list.
                Some(p) if s[p].line.chars > 20 => break,
                Some(p) => back = self.prev(p),
                None => break,
            }
        }
        if self.next(k).is_some_and(|n| same_style(n) && continues(k, n)) {
            return false;
        }
        // What follows, past captions and repeats of the title.
        let mut j = self.next(k);
        while let Some(i) = j {
            if s[i].is(|k| matches!(k, Kind::Caption)) || self.repeats_title(i, Some(o)) {
                j = self.next(i);
            } else {
                break;
            }
        }
        // Body text: a paragraph, or the last line of a cut page, which is a
        // cut paragraph.
        let body_at = |i: usize| {
            s[i].kind.is_some_and(|kind| is_prose(s[i].line, kind))
                || self.next(i).is_none()
                    && !s[i].absorbed
                    && s[i].line.chars >= 10
                    && s[i].is(|k| matches!(k, Kind::HeadingLike))
        };
        let Some(n) = j else { return false };
        // What precedes, past repeats of the title.
        let before = |i: usize| {
            let mut p = self.prev(i);
            while let Some(q) = p {
                if self.repeats_title(q, Some(o)) {
                    p = self.prev(q);
                } else {
                    break;
                }
            }
            p
        };
        let prev = before(k);
        let prev_heading_like = prev.is_some_and(|p| s[p].heading_like() && s[p].line.chars <= MAX_SECTION_CHARS);
        let after_colon = prev.is_some_and(|p| s[p].line.key.trim_end().ends_with(':'));
        if body_at(n) {
            // The second of two short lines: a heading under a heading, unless
            // the two are what a colon introduced, or the first heads nothing.
            if prev_heading_like {
                let pp = prev.and_then(before);
                let run_of_three = pp.is_some_and(|q| s[q].heading_like() && s[q].line.chars <= MAX_SECTION_CHARS);
                let intro = pp.is_some_and(|q| s[q].line.key.trim_end().ends_with(':'));
                return !run_of_three && !intro && !after_colon;
            }
            return true;
        }
        // A heading directly over a sub-heading (not over a numbered section
        // when it has no number itself).
        let numbered = |i: usize| self.lex.numbering.is_match(&s[i].line.key);
        if s[n].heading_like() && !prev_heading_like && !after_colon && (numbered(k) || !numbered(n)) {
            let after = self.next(n);
            let numbered_list = self.lex.numbering.one_matches_both(key, &s[n].line.key);
            return after.is_some_and(body_at) && !numbered_list && s[n].line.chars <= MAX_SECTION_CHARS;
        }
        false
    }
}

/// An article that is a title and nothing else.
fn is_bare_title(o: &Open) -> bool {
    let a = &o.a;
    !a.title.is_empty()
        && a.blocks.is_empty()
        && a.authors.is_empty()
        && a.date.is_none()
        && a.blurb.is_none()
        && !a.continued
        && visible_len(&a.title) <= 12
}

fn new_open(title: &str, origin: &Origin, continued: bool) -> Open {
    Open {
        a: Article { title: title.to_string(), continued, origin: Some(origin.clone()), ..Default::default() },
        phase: Phase::Header,
        authors_at: None,
        after_byline: false,
        closed: false,
        blurb_at: None,
    }
}

/// Closes an article; `cut` says the stream breaks here on a missing page.
/// An article that reached its blurb or closing credits is complete even
/// then; otherwise its end is on the missing page.
fn finish(o: Open, cut: bool) -> Article {
    let mut a = o.a;
    if cut {
        a.truncated = !o.closed;
    }
    a
}

fn blurb(label: &str, text: &str, origin: &Origin) -> Blurb {
    Blurb { label: label.to_string(), text: text.to_string(), people: vec![], origin: Some(origin.clone()) }
}

/// Credits that may stand right under a title (source, author, reporter).
fn source_credit(key: &str) -> bool {
    let k = key.trim_start_matches(['(', ' ']);
    ["来源", "来自", "作者", "记者", "通讯员", "撰文", "撰稿", "文/", "文:", "文|"].iter().any(|p| k.starts_with(p))
}

/// `吴金群:省管县的条件…`, `徐俊忠|“马克思主义…`: an author's name before the
/// title goes to the authors.
fn author_prefix(a: &mut Article) {
    let Some(cut) = a.title.find([':', '：', '|', '｜']) else { return };
    let (prefix, rest) = (a.title[..cut].trim(), a.title[cut..].chars().skip(1).collect::<String>());
    // Strict names only (known surnames): `人民网评:…` and `北京晨报:…` stay.
    let names: Option<Vec<String>> = prefix
        .split([' ', '\u{3000}', '、', ','])
        .filter(|t| !t.is_empty())
        .map(|t| names::is_name(t, true).then(|| t.to_string()))
        .collect();
    let Some(names) = names.filter(|n| !n.is_empty() && n.len() <= 4) else { return };
    if visible_len(&rest) >= 6 {
        for (i, n) in names.into_iter().enumerate() {
            if !a.authors.contains(&n) {
                a.authors.insert(i.min(a.authors.len()), n);
            }
        }
        a.title = rest.trim().to_string();
    }
}

/// The number a numbered line opens with (`6.請求…` → 6, `（三）…` → 3).
fn leading_number(key: &str) -> Option<u32> {
    let t = key.trim_start_matches(['(', '（', '第', ' ']);
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() {
        return digits.parse().ok();
    }
    let han: Vec<u32> = t
        .chars()
        .map_while(|c| {
            "〇一二三四五六七八九".chars().position(|d| d == c).map(|p| p as u32).or((c == '十').then_some(10))
        })
        .collect();
    match han.as_slice() {
        [] => None,
        [n] => Some(*n),
        [10, u] => Some(10 + u),
        [t, 10] => Some(t * 10),
        [t, 10, u] => Some(t * 10 + u),
        _ => None,
    }
}

/// Letters and digits only: what two spellings of a title share.
fn core(s: &str) -> String {
    s.chars().filter(|&c| alphanumeric(c)).collect()
}

/// [`char::is_alphanumeric`], without the table look-up for the common CJK
/// ideographs (every one of U+4E00–U+9FFF is a letter).
fn alphanumeric(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || c.is_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::classify::classify;
    use crate::read::lexicon::builtin;

    fn stream(text: &str) -> Vec<Item> {
        let lex = builtin();
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                if l == "<GAP>" {
                    Item::Gap
                } else {
                    let line = Line::new(l, Origin { file: "t.txt".into(), line: i as u32 + 1 }, 4);
                    let kind = classify(&line, &lex);
                    Item::Line(line, kind)
                }
            })
            .collect()
    }

    #[test]
    fn the_common_ideographs_are_alphanumeric() {
        assert!(('\u{4E00}'..='\u{9FFF}').all(char::is_alphanumeric));
        assert!("一〇、a1，。".chars().all(|c| alphanumeric(c) == c.is_alphanumeric()));
    }

    #[test]
    fn titles_after_credits_and_before_bylines() {
        let items = stream(
            "春天的故事\n正文第一段,很长的一段话。\n审核:张三\n秋天的童话\n王小明\n2022年7月26日\n正文。\n小节标题\n小节正文很长很长。\n(作者简介:王小明,某大学教授)\n<GAP>",
        );
        let arts = segment(&items, &builtin(), true);
        assert_eq!(arts.len(), 2);
        assert_eq!(arts[0].title, "春天的故事");
        assert!(!arts[0].truncated);
        assert_eq!(arts[1].title, "秋天的童话");
        assert_eq!(arts[1].authors, vec!["王小明"]);
        assert_eq!(arts[1].date.as_deref(), Some("2022-07-26"));
        assert_eq!(arts[1].date_text.as_deref(), Some("2022年7月26日"));
        assert!(matches!(&arts[1].blocks[1], Block::Heading { text, .. } if text == "小节标题"));
        let b = arts[1].blurb.as_ref().unwrap();
        assert_eq!((b.label.as_str(), b.text.as_str()), ("作者简介", "王小明,某大学教授"));
        assert!(!arts[1].truncated, "an article that reached its blurb is complete");
    }

    #[test]
    fn gap_truncates_and_continues() {
        let items = stream("<GAP>\n接上页的正文。\n<GAP>\n标题\n正文没有写完\n<GAP>");
        let arts = segment(&items, &builtin(), true);
        assert_eq!(arts.len(), 2);
        assert!(arts[0].continued && arts[0].title.is_empty() && arts[0].truncated);
        assert_eq!(arts[1].title, "标题");
        assert!(arts[1].truncated);
    }

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

    /// bench13 page 6: a dateline's place is no author.
    #[test]
    fn a_dateline_place_is_no_byline() {
        let items = stream(
            "博物馆奇妙游!这个党支部用特殊方式感知\"大学校的力量\"\n2022-05-26\n北京\n来源:澎湃新闻·澎湃号·政务\n\"博物馆的力量\"是一种什么力量?是润物无声的熏陶。",
        );
        let arts = segment(&items, &builtin(), true);
        assert_eq!(arts.len(), 1);
        assert_eq!(arts[0].date.as_deref(), Some("2022-05-26"));
        assert!(arts[0].authors.is_empty(), "{:?}", arts[0].authors);
    }

    /// bench13 page 9: a quotation signed `——研究生支教团 肖杰` heads no section.
    #[test]
    fn a_signature_line_is_no_heading() {
        let items = stream(
            "寻访恽代英的足迹\n穿过红巷的青砖灰瓦,走进博物馆的大门,从斑驳的石阶与朱漆大门中感受历史。\n——青年志愿者联合会 袁嘉泽\n踏入武汉革命博物馆,历史气息扑面而来。\n——研究生支教团 肖杰\n踏入武昌农讲所旧址纪念馆,给我带来的是深刻反思。",
        );
        let arts = segment(&items, &builtin(), true);
        assert_eq!(arts.len(), 1);
        assert!(arts[0].blocks.iter().all(|b| !matches!(b, Block::Heading { .. })), "{:?}", arts[0].blocks);
        assert_eq!(arts[0].blocks.len(), 5);
    }
}
