//! Typesetting: model → pages of positioned text runs, rules and link areas,
//! using font metrics only (no PDF types here).
//!
//! Steps: [`book`] turns each part (articles, contents, title page) into a
//! column of vertical items, setting paragraphs with [`paragraph`] (which
//! breaks lines with [`linebreak`]); [`page`] cuts the columns into pages;
//! [`layout`] then places them on the page with margins, running heads and
//! folios, and resolves links, outline and the contents' page numbers.

pub mod book;
pub mod fonts;
pub mod linebreak;
pub mod page;
pub mod paragraph;

use std::fmt::Write as _;

use crate::model::{Compilation, Warning, WarningKind};

pub use fonts::{Face, FontMetrics, Fonts};

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

/// Paper and type sizes.
#[derive(Debug, Clone, Copy)]
pub struct LayoutOptions {
    /// Page width and height in points.
    pub width: f32,
    pub height: f32,
    /// Body type size in points.
    pub body_size: f32,
    /// Line height as a multiple of the body size.
    pub line_height: f32,
    /// Body characters a line holds: the measure is this many ems.
    pub chars: f32,
}

/// The body type size the text block is designed around; other sizes
/// (titles, headings, bylines, the contents) grow with the body.
pub const BASE_BODY_SIZE: f32 = 10.5;

impl LayoutOptions {
    /// Options for a page of `width_mm` × `height_mm`.
    ///
    /// A line of Chinese body text reads best at about 30–38 characters:
    /// Chinese books set 32开 (about A5) pages at 五号 (10.5 pt) with 26–30
    /// characters a line and 16开 (about B5) pages with 34–38. So the body
    /// stays at 五号 up to B5 and grows to 小四 (12 pt) on A4, where 五号
    /// gave 43 characters a line; the measure is 76% of the width in whole
    /// characters (side margins of at least 12% each, mirrored for binding),
    /// at most 36. That gives A5 30 characters (10.5 pt, margins 20 + 17 mm),
    /// B5 36 (10.5 pt, 23 + 20 mm) and A4 36 (12 pt, 152 mm measure, margins
    /// 31 + 27 mm, close to the 156 mm text block of GB/T 9704 documents).
    /// Longer lines get a little more leading, so the eye finds the next one.
    pub fn for_paper_mm(width_mm: f32, height_mm: f32) -> Self {
        const MAX_CHARS: f32 = 36.0;
        let width = width_mm * 72.0 / 25.4;
        let body_size = if width_mm >= 200.0 { 12.0 } else { BASE_BODY_SIZE };
        let chars = ((width * 0.76) / body_size).floor().min(MAX_CHARS);
        LayoutOptions {
            width,
            height: height_mm * 72.0 / 25.4,
            body_size,
            line_height: if chars > 32.0 { 1.75 } else { 1.7 },
            chars,
        }
    }
}

/// Page geometry derived from the options.
#[derive(Debug, Clone, Copy)]
pub struct Geometry {
    pub width: f32,
    pub height: f32,
    /// Width of the text block: a whole number of body ems.
    pub measure: f32,
    /// Inner (spine-side) and outer margins.
    pub inner: f32,
    pub outer: f32,
    /// Top of the text block, from the page top.
    pub top: f32,
    pub body_height: f32,
    pub body_size: f32,
    pub leading: f32,
}

impl Geometry {
    pub fn new(o: &LayoutOptions) -> Self {
        // The measure is whole characters so justified lines sit on a grid.
        let measure = o.chars * o.body_size;
        let spare = o.width - measure;
        let inner = spare * 0.53;
        let leading = o.body_size * o.line_height;
        let top = o.height * 0.09;
        let bottom = o.height * 0.10;
        // Whole number of body lines.
        let lines = ((o.height - top - bottom) / leading).floor();
        Geometry {
            width: o.width,
            height: o.height,
            measure,
            inner,
            outer: spare - inner,
            top,
            body_height: lines * leading,
            body_size: o.body_size,
            leading,
        }
    }

    /// A type size designed for the base body size, scaled with the body.
    pub fn pt(&self, size: f32) -> f32 {
        size * self.body_size / BASE_BODY_SIZE
    }

    /// Left edge of the text block on page `index` (recto pages, even
    /// indices, have the inner margin on the left).
    pub fn left(&self, index: usize) -> f32 {
        if index % 2 == 0 {
            self.inner
        } else {
            self.outer
        }
    }
}

/// Lays out the whole book.
pub fn layout(c: &Compilation, fonts: &Fonts, options: &LayoutOptions) -> Layout {
    let g = Geometry::new(options);
    let mut warnings = Vec::new();

    // 1. Body: each article as a column of items, cut into pages.
    let mut items = Vec::new();
    for (i, a) in c.articles.iter().enumerate() {
        let mut missing = Vec::new();
        items.extend(book::article_items(i, a, &g, fonts, &mut missing));
        missing_glyph_warnings(&mut warnings, &missing, a);
    }
    let body = page::paginate(items, g.body_height);

    // Where each article starts (body page index).
    let mut starts = vec![0; c.articles.len()];
    for (p, placed) in body.iter().enumerate() {
        for pl in placed {
            if let page::VKind::ArticleStart(i) = pl.item.kind {
                starts[i] = p;
            }
        }
    }
    let toc_numbers: Vec<String> = starts.iter().map(|p| (p + 1).to_string()).collect();

    // 2. Contents, knowing the body page numbers.
    let mut missing = Vec::new();
    let toc = page::paginate(book::toc_items(c, &toc_numbers, &g, fonts, &mut missing), g.body_height);

    // 3. Front matter: title page, its blank verso, contents, padded to an
    //    even count so body page 1 is a recto.
    let mut front = 2 + toc.len();
    front += front % 2;
    let mut pages = Vec::new();
    pages.push(book::title_page(c, &g, fonts, &mut missing));
    pages.push(Page::default());
    for placed in toc {
        let index = pages.len();
        let mut p = place(placed, index, &g, front, &starts, &mut Vec::new());
        let label = roman(index + 1);
        book::folio(&mut p, &label, index, &g, fonts);
        p.label = label;
        pages.push(p);
    }
    while pages.len() < front {
        pages.push(Page::default());
    }
    for (i, p) in pages.iter_mut().enumerate() {
        if p.label.is_empty() {
            p.label = roman(i + 1);
        }
    }
    if !missing.is_empty() {
        let mut seen = Vec::new();
        for ch in missing {
            if !seen.contains(&ch) {
                seen.push(ch);
                warnings.push(Warning::new(
                    WarningKind::MissingGlyph,
                    format!("no glyph for '{ch}' (U+{:04X}) in the title page or contents; shown as a box", ch as u32),
                    None,
                ));
            }
        }
    }

    // 4. Body pages with running heads and folios.
    let mut outline: Vec<OutlineEntry> = Vec::new();
    let mut current_article = 0;
    for (k, placed) in body.into_iter().enumerate() {
        let index = pages.len();
        let first_of_article = placed.iter().any(|pl| matches!(pl.item.kind, page::VKind::ArticleStart(_)));
        if let Some(i) = placed.iter().find_map(|pl| match pl.item.kind {
            page::VKind::ArticleStart(i) => Some(i),
            _ => None,
        }) {
            current_article = i;
        }
        let mut marks = Vec::new();
        let mut p = place(placed, index, &g, front, &starts, &mut marks);
        for (level, title, y) in marks {
            let e = OutlineEntry { title, page: index, y, children: vec![] };
            match (level, outline.last_mut()) {
                (l, Some(parent)) if l > 1 => parent.children.push(e),
                _ => outline.push(e),
            }
        }
        let number = k + 1;
        p.label = number.to_string();
        if !first_of_article {
            let head =
                if number % 2 == 0 { c.title.clone() } else { c.articles[current_article].display_title().to_string() };
            book::running_head(&mut p, &head, index, &g, fonts);
        }
        book::folio(&mut p, &number.to_string(), index, &g, fonts);
        pages.push(p);
    }

    Layout {
        width: g.width,
        height: g.height,
        pages,
        front_matter: front,
        outline,
        article_pages: starts.iter().map(|p| p + front).collect(),
        toc_numbers,
        warnings,
    }
}

fn missing_glyph_warnings(warnings: &mut Vec<Warning>, missing: &[char], a: &crate::model::Article) {
    let mut seen = Vec::new();
    for &ch in missing {
        if seen.contains(&ch) {
            continue;
        }
        seen.push(ch);
        let title = a.display_title();
        warnings.push(Warning::new(
            WarningKind::MissingGlyph,
            format!("no glyph for '{ch}' (U+{:04X}) in article「{title}」; shown as a box", ch as u32),
            a.origin.clone(),
        ));
    }
}

/// Places a page's column: margins, PDF coordinates, links. Outline markers
/// found on the page are returned in `marks` as (level, title, y).
fn place(
    placed: Vec<page::Placed>,
    index: usize,
    g: &Geometry,
    front: usize,
    starts: &[usize],
    marks: &mut Vec<(u8, String, f32)>,
) -> Page {
    let left = g.left(index);
    let top = g.height - g.top;
    let mut p = Page::default();
    for pl in placed {
        let y_top = top - pl.top;
        match pl.item.kind {
            page::VKind::Line(line, tag) => {
                let size = line.runs.first().map_or(g.body_size, |r| r.size);
                // Baseline: the em box centred in the line's height.
                let baseline = y_top - pl.item.height / 2.0 - 0.35 * size;
                if let Some(a) = pl.item.link {
                    p.links.push(LinkArea {
                        x: left,
                        y: y_top - pl.item.height,
                        width: g.measure,
                        height: pl.item.height,
                        target: starts[a] + front,
                        tag,
                    });
                }
                let runs = line
                    .runs
                    .into_iter()
                    .map(|mut r| {
                        r.x += left;
                        r.y = baseline;
                        r
                    })
                    .collect();
                p.lines.push(Line {
                    x: left,
                    y: baseline,
                    width: line.width,
                    measure: g.measure,
                    first: line.first,
                    last: line.last,
                    runs,
                    tag,
                });
            }
            page::VKind::Rule { width } => {
                let y = y_top - pl.item.height / 2.0;
                p.rules.push(Rule { x1: left, y1: y, x2: left + width, y2: y, thickness: 0.5, gray: 0.4 });
            }
            page::VKind::Outline { level, title } => marks.push((level, title, y_top + 6.0)),
            page::VKind::ArticleStart(_) => {}
        }
    }
    p
}

/// Lower-case roman numeral.
pub fn roman(mut n: usize) -> String {
    const T: [(usize, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut s = String::new();
    for (v, r) in T {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
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
