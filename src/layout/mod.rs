//! Typesetting: model → pages of positioned text runs, rules and link areas,
//! using font metrics only (no PDF types here).
//!
//! Steps: [`book`] and [`contents`] turn each part (articles; contents,
//! title page) into a column of vertical items, setting paragraphs with [`paragraph`] (which
//! breaks lines with [`linebreak`]); [`page`] cuts the columns into pages;
//! [`layout`] then places them on the page with margins, running heads and
//! folios, and resolves links, outline and the contents' page numbers.
//! What it makes is a [`Layout`] (`frame`), on a page whose sizes
//! `geometry` derives from the [`LayoutOptions`].

pub mod book;
pub mod contents;
pub mod fonts;
mod frame;
mod geometry;
pub mod linebreak;
pub mod page;
pub mod paragraph;

use crate::model::{Compilation, Warning, WarningKind};

pub use fonts::{Face, FontMetrics, Fonts};
pub use frame::{Layout, Line, LinkArea, OutlineEntry, Page, Rule, Tag, TextRun};
pub use geometry::{Geometry, LayoutOptions, BASE_BODY_SIZE};

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
    let toc = page::paginate(contents::toc_items(c, &toc_numbers, &g, fonts, &mut missing), g.body_height);

    // 3. Front matter: title page, its blank verso, contents, padded to an
    //    even count so body page 1 is a recto.
    let mut front = 2 + toc.len();
    front += front % 2;
    let mut pages = Vec::new();
    pages.push(contents::title_page(c, &g, fonts, &mut missing));
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
