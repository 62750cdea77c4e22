//! The layout's result, which the PDF writer only converts: pages of
//! positioned text runs (each with the [`Tag`] of what it sets), rules and
//! link areas, with the outline, the articles' first pages and the numbers
//! the contents print; and a plain-text dump of it for tests.

use std::fmt::Write as _;

use super::Face;
use crate::model::Warning;

/// A run of text in one face and size. `x`, `y` are the baseline start in
/// points from the page's bottom-left corner.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    pub face: Face,
    pub size: f32,
    pub x: f32,
    pub y: f32,
    pub text: String,
    /// Extra space after every character (PDF `Tc`), for justification.
    pub char_spacing: f32,
    /// Grey level of the fill (0 black).
    pub gray: f32,
    /// The run carries text of the model (not a label, marker or page chrome).
    pub content: bool,
    /// The run is typographic decoration, not text of the book (a contents
    /// entry's leader dots): the PDF tags it as a layout artifact.
    pub decoration: bool,
    /// Punctuation adjustment: `(k, d)` draws every character after the
    /// `k`-th (0-based, in characters of `text`) `d` points further left, the
    /// blank halves of full-width marks given up (see [`paragraph`]). Sorted
    /// by `k`; empty for most runs.
    pub kerns: Vec<(usize, f32)>,
}

/// What a line sets: which piece of the model, or which page furniture.
/// Readers of the layout that need the book's logical structure (the PDF's
/// tags) group lines by it; every line has one, so nothing is set that the
/// structure does not account for. Article and block numbers index
/// `Compilation::articles` and `Article::blocks`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tag {
    /// Running head (repeated page furniture, not text of the book).
    RunningHead,
    /// Page number in the foot margin.
    Folio,
    /// A line of the title page: its `n`th item (title, site, facts, missing pages, date).
    TitlePage(u8),
    /// The heading of the contents.
    ContentsHeading,
    /// The contents' entry for article `i` (title and page number).
    ContentsEntry(usize),
    /// Article `i`'s title.
    Title(usize),
    /// Article `i`'s byline (authors, date).
    Byline(usize),
    /// The marker that article `i` continues from a missing page.
    Continued(usize),
    /// Block `block` of article `article` (a list: its items below).
    Block { article: usize, block: usize },
    /// Item `item` of the list that is block `block` of article `article`;
    /// its runs that are not model text (`content` false) are its label.
    ListItem { article: usize, block: usize, item: usize },
    /// Article `i`'s author blurb.
    Blurb(usize),
    /// The marker that article `i` runs on to a missing page.
    Truncated(usize),
}

/// A line of text on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub x: f32,
    pub y: f32,
    /// Width of the ink, trailing spaces excluded.
    pub width: f32,
    /// Width the line was set to.
    pub measure: f32,
    /// The line begins / ends its paragraph: line-start and line-end rules
    /// only bind where a line was broken.
    pub first: bool,
    pub last: bool,
    pub runs: Vec<TextRun>,
    /// What the line sets.
    pub tag: Tag,
}

impl Line {
    pub fn text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
    }
}

/// A horizontal or vertical stroke.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
    pub thickness: f32,
    pub gray: f32,
}

/// A clickable area that jumps to page `target` (index into `pages`).
#[derive(Debug, Clone, PartialEq)]
pub struct LinkArea {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
    pub target: usize,
    /// The tag of the line the area covers.
    pub tag: Tag,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    /// The printed page number (`iii`, `12`); empty on unnumbered pages.
    pub label: String,
    pub lines: Vec<Line>,
    pub rules: Vec<Rule>,
    pub links: Vec<LinkArea>,
}

/// An outline (bookmark) entry.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    pub title: String,
    pub page: usize,
    /// Baseline-top of the target, from the page bottom.
    pub y: f32,
    pub children: Vec<OutlineEntry>,
}

/// The laid-out book.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub width: f32,
    pub height: f32,
    pub pages: Vec<Page>,
    /// Pages before body page 1 (title page, contents), numbered i, ii, ….
    pub front_matter: usize,
    pub outline: Vec<OutlineEntry>,
    /// Index into `pages` of each article's first page.
    pub article_pages: Vec<usize>,
    /// The page number printed in the contents for each article.
    pub toc_numbers: Vec<String>,
    pub warnings: Vec<Warning>,
}

impl Layout {
    /// A plain-text dump for tests: one block per page, one line per run.
    pub fn dump(&self) -> String {
        let mut s = String::new();
        for (i, p) in self.pages.iter().enumerate() {
            let _ = writeln!(s, "=== page {} [{}]", i + 1, p.label);
            for l in &p.lines {
                for r in &l.runs {
                    let kerns: String = r.kerns.iter().map(|(k, d)| format!(" k{k}={d:.2}")).collect();
                    let _ = writeln!(
                        s,
                        "{:7.2} {:7.2} {} {:.1} tc={:.3}{kerns}{} {}",
                        r.x,
                        r.y,
                        r.face.name(),
                        r.size,
                        r.char_spacing,
                        if r.content { "" } else { " *" },
                        r.text
                    );
                }
            }
            for r in &p.rules {
                let _ = writeln!(s, "rule {:.2},{:.2} → {:.2},{:.2}", r.x1, r.y1, r.x2, r.y2);
            }
            for l in &p.links {
                let _ =
                    writeln!(s, "link {:.2},{:.2} {:.2}×{:.2} → page {}", l.x, l.y, l.width, l.height, l.target + 1);
            }
        }
        s
    }
}
