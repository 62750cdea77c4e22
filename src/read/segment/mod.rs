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

use rayon::prelude::*;

use super::chrome::Evidence;
use super::classify::Kind;
use super::lexicon::{Compiled, TitleWeights};
use super::line::Line;
use crate::lang::chars::visible_len;
use crate::lang::names;
use crate::model::{Article, Origin, Warning, WarningKind};

mod byline;
mod place;
mod sections;
mod title;

use byline::author_prefix;

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
    // Whether a byline or date follows each heading-like line depends on
    // the stream alone: worked out side by side on the pool (each worker
    // with its own memos) before the stream is read in order. The bylines
    // the workers read on the way (a pure function of line and position)
    // are kept for the reading in order, which asks most of them again.
    let (follows, bylines) = (0..slots.len())
        .into_par_iter()
        .with_min_len(256)
        .fold(
            || (Vec::new(), Segmenter::new(&slots, lex, collection, vec![None; slots.len()])),
            |(mut follows, seg), k| {
                // The letters and digits of a line short enough to repeat a
                // title (`repeats_title` asks them, in order).
                let core =
                    (slots[k].line.chars <= title::CORE_AHEAD_CHARS).then(|| title::core_of(&slots[k].line.text));
                follows.push((k, slots[k].heading_like().then(|| seg.byline_or_date_follows(k)), core));
                (follows, seg)
            },
        )
        .map(|(follows, seg)| (follows, seg.bylines.into_inner()))
        .reduce(
            || (Vec::new(), BylineMemo::new()),
            |(mut follows, mut bylines), (more, other)| {
                follows.extend(more);
                bylines.extend(other);
                (follows, bylines)
            },
        );
    let mut known = vec![None; slots.len()];
    let mut cores = Vec::with_capacity(slots.len());
    for (k, f, core) in follows {
        known[k] = f;
        cores.push(core.map_or_else(OnceCell::new, OnceCell::from));
    }
    let mut seg = Segmenter::new(&slots, lex, collection, known);
    seg.cores = cores;
    *seg.bylines.borrow_mut() = bylines;
    seg.run(starts_on_gap, ends_on_gap)
}

struct Segmenter<'a> {
    s: &'a [Slot<'a>],
    lex: &'a Compiled,
    w: TitleWeights,
    collection: bool,
    /// [`Segmenter::byline_or_date_follows`] by line: it depends on the
    /// stream only, and the title scores ask it of a line several times.
    follows: RefCell<Vec<Option<bool>>>,
    /// The letters and digits ([`title::core`]) of each line short enough to
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
    /// A segmenter over `s`, with `follows` already known where `Some`.
    fn new(s: &'a [Slot<'a>], lex: &'a Compiled, collection: bool, follows: Vec<Option<bool>>) -> Segmenter<'a> {
        Segmenter {
            s,
            lex,
            w: lex.words.title,
            collection,
            follows: RefCell::new(follows),
            cores: (0..s.len()).map(|_| OnceCell::new()).collect(),
            title_core: Default::default(),
            bylines: Default::default(),
        }
    }

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Block;
    use crate::read::classify::classify;
    use crate::read::lexicon::builtin;

    pub(super) fn stream(text: &str) -> Vec<Item> {
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
}
