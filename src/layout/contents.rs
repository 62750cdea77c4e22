//! The contents (each article with its authors and page number, as links)
//! and the title page, set with the article's type ([`super::book`]).

use super::book::{centred, hanging, lines_items, style, MUTED};
use super::fonts::{Face, Fonts};
use super::page::VItem;
use super::paragraph::{self, SetLine, Span};
use super::{Geometry, Page, Rule, Tag};
use crate::model::display::{BYLINE_SEPARATOR, NAME_SEPARATOR};
use crate::model::{Article, Compilation};

/// Size of the authors in the contents (at the base body size).
const TOC_AUTHOR_SIZE: f32 = 9.0;

/// The authors of an article as the contents show them: the names joined,
/// or the first few and 等 ("and others") when they would take more than
/// `room` points.
fn toc_authors(a: &Article, size: f32, room: f32, fonts: &Fonts) -> String {
    let all = a.authors.join(NAME_SEPARATOR);
    if paragraph::measure(&all, Face::Serif, size, fonts) <= room {
        return all;
    }
    let mut shown = String::new();
    for name in &a.authors {
        let more = if shown.is_empty() { name.clone() } else { format!("{shown}{NAME_SEPARATOR}{name}") };
        if !shown.is_empty() && paragraph::measure(&format!("{more} 等"), Face::Serif, size, fonts) > room {
            break;
        }
        shown = more;
    }
    format!("{shown} 等")
}

/// Leader dots between a contents entry's title and its authors or page number.
const LEADER: char = '·';

/// A run of leader dots filling `from`..`to` (points) at `size`, a fifth of an
/// em from either end, spread evenly; `None` when fewer than three fit.
fn leaders(from: f32, to: f32, size: f32, fonts: &Fonts) -> Option<super::TextRun> {
    let dot = fonts.resolve(Face::Serif, LEADER).advance * size;
    let pad = 0.2 * size;
    let room = to - from - 2.0 * pad;
    let k = (room / dot).floor();
    if k < 3.0 {
        return None;
    }
    Some(super::TextRun {
        face: Face::Serif,
        size,
        x: from + pad,
        y: 0.0,
        text: std::iter::repeat_n(LEADER, k as usize).collect(),
        char_spacing: (room - k * dot) / (k - 1.0),
        gray: MUTED,
        content: false,
        decoration: true,
        kerns: Vec::new(),
    })
}

/// The contents: every article with its authors and page number, each line
/// a link: the title (continuation lines hang one em in), leader dots, the
/// authors smaller and grey, an em of space, the page number flush right.
/// The authors go on a line of their own under the title when they do not
/// fit on its last line. An anthology's reader looks an article up by its
/// author as often as by its title. The leaders also hold each entry
/// together for text extraction: with a bare gap before right-aligned
/// authors, pdftotext took the authors and page numbers for a column of
/// their own and listed them apart from (even before) their titles.
pub fn toc_items(
    c: &Compilation,
    numbers: &[String],
    g: &Geometry,
    fonts: &Fonts,
    missing: &mut Vec<char>,
) -> Vec<VItem> {
    let mut v = Vec::new();
    let head_size = g.pt(16.0);
    let lines = paragraph::set(
        &[Span { text: "目录", face: Face::Sans, content: false }],
        &style(head_size),
        g.measure,
        fonts,
        missing,
    );
    let mut items = lines_items(lines, head_size * 2.2, false, Tag::ContentsHeading);
    v.append(&mut items);
    let size = g.body_size;
    let author_size = g.pt(TOC_AUTHOR_SIZE);
    // Titles stop short of the page-number column.
    let num_room = 3.0 * size;
    let hang = size;
    let run = |text: String, x: f32, size: f32, gray: f32| super::TextRun {
        face: Face::Serif,
        size,
        x,
        y: 0.0,
        text,
        char_spacing: 0.0,
        gray,
        content: false,
        decoration: false,
        kerns: Vec::new(),
    };
    for (i, a) in c.articles.iter().enumerate() {
        let title = a.display_title();
        let spans = [Span { text: title, face: Face::Serif, content: false }];
        let mut lines = hanging(&spans, &style(size), g.measure - num_room, hang, fonts, missing);
        // A title's last line of one or two characters (讲 / 述) takes a few
        // more from the line before, if a narrower measure gives as many lines.
        let short = |lines: &[SetLine]| lines.len() > 1 && lines.last().is_some_and(|l| l.text_len() <= 2);
        if short(&lines) {
            for ems in 1..=4 {
                let narrower = g.measure - num_room - ems as f32 * size;
                let again = hanging(&spans, &style(size), narrower, hang, fonts, &mut Vec::new());
                if again.len() != lines.len() {
                    break;
                }
                if !short(&again) {
                    lines = again;
                    break;
                }
            }
        }
        let number = &numbers[i];
        let number_x = g.measure - paragraph::measure(number, Face::Serif, size, fonts);
        // Where the leaders end: at the authors, else at the page number.
        let mut end = number_x;
        let mut names_run = None;
        if !a.authors.is_empty() {
            let room = number_x - size - hang - 3.0 * size;
            let names = toc_authors(a, author_size, room, fonts);
            missing.extend(names.chars().filter(|&ch| fonts.resolve(Face::Serif, ch).missing));
            end = number_x - size - paragraph::measure(&names, Face::Serif, author_size, fonts);
            // At least three dots' room after the title, else a line of their own.
            if lines.last().is_some_and(|l| l.width + 2.0 * size > end) {
                if let Some(l) = lines.last_mut() {
                    l.last = false;
                }
                // Not a run-over of the title: no line-start rule binds it.
                lines.push(SetLine { runs: Vec::new(), width: hang, first: true, last: true });
            }
            names_run = Some(run(names, end, author_size, MUTED));
        }
        let last = lines.last_mut().expect("an entry has a line");
        last.runs.extend(leaders(last.width, end, size, fonts));
        last.runs.extend(names_run);
        last.runs.push(run(number.clone(), number_x, size, 0.0));
        last.width = g.measure;
        let n = lines.len();
        let mut items = lines_items(lines, g.leading, true, Tag::ContentsEntry(i));
        items[n - 1].keep_with_next = false;
        items[0].space_before = g.leading * 0.25;
        for it in &mut items {
            it.link = Some(i);
        }
        v.extend(items);
    }
    v
}

/// Title page: title, source site, page range, article count.
pub fn title_page(c: &Compilation, g: &Geometry, fonts: &Fonts, missing: &mut Vec<char>) -> Page {
    let left = g.left(0);
    let mut p = Page::default();
    let mut y = g.height * 0.66;
    let title = c.display_title();
    p.lines.extend(centred(title, Tag::TitlePage(0), (Face::Sans, g.pt(20.0), 0.0), left, &mut y, g, fonts, missing));
    y -= 10.0;
    let rule_y = y + 12.0;
    p.rules.push(Rule {
        x1: left + g.measure * 0.35,
        y1: rule_y,
        x2: left + g.measure * 0.65,
        y2: rule_y,
        thickness: 0.6,
        gray: 0.3,
    });
    y -= 14.0;
    if let Some(site) = c.publisher() {
        p.lines.extend(centred(
            site,
            Tag::TitlePage(1),
            (Face::Serif, g.pt(12.0), 0.0),
            left,
            &mut y,
            g,
            fonts,
            missing,
        ));
        y -= 6.0;
    }
    let mut facts = Vec::new();
    if let Some(r) = c.page_range() {
        facts.push(format!("原文第 {r} 页"));
    }
    facts.push(format!("共 {} 篇", c.articles.len()));
    p.lines.extend(centred(
        &facts.join(BYLINE_SEPARATOR),
        Tag::TitlePage(2),
        (Face::Serif, g.pt(10.5), MUTED),
        left,
        &mut y,
        g,
        fonts,
        missing,
    ));
    if !c.source.missing_pages.is_empty() {
        let list: Vec<String> = c.source.missing_pages.iter().map(|n| n.to_string()).collect();
        let text = format!("缺页：第 {} 页", list.join("、"));
        p.lines.extend(centred(
            &text,
            Tag::TitlePage(3),
            (Face::Serif, g.pt(9.5), MUTED),
            left,
            &mut y,
            g,
            fonts,
            missing,
        ));
    }
    if let Some(d) = c.latest_date() {
        let mut y = g.height * 0.12;
        p.lines.extend(centred(d, Tag::TitlePage(4), (Face::Serif, g.pt(9.5), MUTED), left, &mut y, g, fonts, missing));
    }
    p
}
