//! The articles as columns of vertical items (title, byline, sections,
//! paragraphs, blurb, markers), and the page chrome (running heads, folios).
//! The contents and the title page are in [`super::contents`].

use super::fonts::{Face, Fonts};
use super::page::{VItem, VKind};
use super::paragraph::{self, Align, ParaStyle, SetLine, Span};
use super::{Geometry, Line, Page, Rule, Tag};
use crate::model::display::{CONTINUED_MARK, TRUNCATED_MARK};
use crate::model::{Article, Block};

/// Grey of markers, bylines and chrome.
pub(super) const MUTED: f32 = 0.45;
const TITLE_SIZE: f32 = 17.0;
const BYLINE_SIZE: f32 = 9.5;
const BLURB_SIZE: f32 = 9.0;
const CAPTION_SIZE: f32 = 9.0;

pub(super) fn style(size: f32) -> ParaStyle {
    ParaStyle { size, indent: 0.0, justify: false, align: Align::Start, gray: 0.0 }
}

/// Items of lines set from `spans`, setting `tag`; every line keeps with the next when `keep`.
pub(super) fn lines_items(lines: Vec<SetLine>, height: f32, keep: bool, tag: Tag) -> Vec<VItem> {
    lines
        .into_iter()
        .map(|l| {
            let mut it = VItem::line(l, height, tag);
            it.keep_with_next = keep;
            it
        })
        .collect()
}

/// Sets a ragged display line (title, heading) with balanced lines: the
/// narrowest measure that needs no more lines than the full one, so a title
/// never ends with one character alone.
fn balanced(spans: &[Span], st: &ParaStyle, measure: f32, fonts: &Fonts, missing: &mut Vec<char>) -> Vec<SetLine> {
    let mut best = paragraph::set(spans, st, measure, fonts, missing);
    let n = best.len();
    if n < 2 {
        return best;
    }
    let mut m = measure - st.size;
    while m > measure * 0.5 {
        let l = paragraph::set(spans, st, m, fonts, &mut Vec::new());
        if l.len() != n {
            break;
        }
        best = l;
        m -= st.size;
    }
    best
}

/// An article: starts a new page.
pub fn article_items(index: usize, a: &Article, g: &Geometry, fonts: &Fonts, missing: &mut Vec<char>) -> Vec<VItem> {
    let mut v = Vec::new();
    let mut start = VItem::marker(VKind::ArticleStart(index));
    start.break_before = true;
    v.push(start);
    let title = a.display_title();
    v.push(VItem::marker(VKind::Outline { level: 1, title: title.to_string() }));

    // Title, large sans bold, ragged.
    let mut st = style(g.pt(TITLE_SIZE));
    if a.title.is_empty() {
        st.gray = MUTED;
    }
    let lines = balanced(
        &[Span { text: title, face: Face::Sans, content: !a.title.is_empty() }],
        &st,
        g.measure,
        fonts,
        missing,
    );
    v.extend(lines_items(lines, g.pt(TITLE_SIZE) * 1.45, true, Tag::Title(index)));

    // Byline and date beneath.
    if let Some(text) = a.byline() {
        let mut st = style(g.pt(BYLINE_SIZE));
        st.gray = MUTED;
        let lines =
            paragraph::set(&[Span { text: &text, face: Face::Serif, content: false }], &st, g.measure, fonts, missing);
        let mut items = lines_items(lines, g.pt(BYLINE_SIZE) * 1.6, true, Tag::Byline(index));
        items[0].space_before = 4.0;
        v.extend(items);
    }
    let mut gap = g.leading * 1.2;

    if a.continued {
        v.extend(marker_items(CONTINUED_MARK, g, fonts, missing, gap, Tag::Continued(index)));
        gap = 0.0;
    }

    for (bi, b) in a.blocks.iter().enumerate() {
        let tag = Tag::Block { article: index, block: bi };
        let mut items = match b {
            Block::Heading { level, text, .. } => {
                let size = g.pt(if *level <= 2 { 12.5 } else { 11.0 });
                let lines = balanced(
                    &[Span { text, face: Face::Sans, content: true }],
                    &style(size),
                    g.measure,
                    fonts,
                    missing,
                );
                let mut items = vec![VItem::marker(VKind::Outline { level: 2, title: text.clone() })];
                let mut ls = lines_items(lines, size * 1.6, true, tag);
                if let Some(first) = ls.first_mut() {
                    first.space_before = g.leading * 0.7;
                }
                items.extend(ls);
                items
            }
            Block::Paragraph { text, lead, .. } => {
                let mut spans = Vec::new();
                match lead.as_deref().filter(|l| !l.is_empty() && text.starts_with(*l)) {
                    Some(l) => {
                        spans.push(Span { text: l, face: Face::Sans, content: true });
                        spans.push(Span { text: &text[l.len()..], face: Face::Serif, content: true });
                    }
                    None => spans.push(Span { text, face: Face::Serif, content: true }),
                }
                let st = ParaStyle {
                    size: g.body_size,
                    indent: 2.0 * g.body_size,
                    justify: true,
                    align: Align::Start,
                    gray: 0.0,
                };
                let lines = paragraph::set(&spans, &st, g.measure, fonts, missing);
                body_lines(lines, g.leading, tag)
            }
            Block::Caption { text, .. } => {
                // Small, centred and muted, kept together.
                let size = g.pt(CAPTION_SIZE);
                let st = ParaStyle { size, indent: 0.0, justify: false, align: Align::Center, gray: 0.3 };
                let lines =
                    balanced(&[Span { text, face: Face::Serif, content: true }], &st, g.measure, fonts, missing);
                let mut items = lines_items(lines, size * 1.6, true, tag);
                if let Some(last) = items.last_mut() {
                    last.keep_with_next = false;
                }
                items
            }
            Block::Lines { text, .. } => {
                // Each line as written: flush left, no indent, no space
                // between lines. A line too long for the measure runs over
                // with a hanging indent of one em, so it still reads as one
                // line, and stays on one page.
                let st = style(g.body_size);
                let mut set = Vec::new();
                let mut keep = Vec::new();
                for line in text.split('\n') {
                    let spans = [Span { text: line, face: Face::Serif, content: true }];
                    let lines = hanging(&spans, &st, g.measure, g.body_size, fonts, missing);
                    let n = lines.len();
                    keep.extend((0..n).map(|k| k + 1 < n));
                    set.extend(lines);
                }
                // No orphan or widow of the whole run.
                let mut items = body_lines(set, g.leading, tag);
                for (it, keep) in items.iter_mut().zip(keep) {
                    it.keep_with_next |= keep;
                }
                items
            }
            Block::List { start, items, .. } => {
                let st = ParaStyle {
                    size: g.body_size,
                    indent: 2.0 * g.body_size,
                    justify: true,
                    align: Align::Start,
                    gray: 0.0,
                };
                let mut out = Vec::new();
                for (n, item) in items.iter().enumerate() {
                    let marker = match start {
                        Some(s) => format!("{}. ", s.saturating_add(n as u64)),
                        None => "• ".to_string(),
                    };
                    let spans = [
                        Span { text: &marker, face: Face::Serif, content: false },
                        Span { text: item, face: Face::Serif, content: true },
                    ];
                    let tag = Tag::ListItem { article: index, block: bi, item: n };
                    out.extend(body_lines(paragraph::set(&spans, &st, g.measure, fonts, missing), g.leading, tag));
                }
                out
            }
            Block::Code { text, .. } => {
                // Verbatim, line by line, a little smaller; never justified.
                let size = g.body_size * 0.9;
                let st = ParaStyle { size, indent: 0.0, justify: false, align: Align::Start, gray: 0.0 };
                text.split('\n')
                    .flat_map(|line| {
                        let spans = [Span { text: line, face: Face::Serif, content: true }];
                        lines_items(paragraph::set(&spans, &st, g.measure, fonts, missing), size * 1.5, false, tag)
                    })
                    .collect()
            }
            Block::Front { label, text, .. } => {
                // Like the blurb: smaller type, the label in sans bold.
                let spans = [
                    Span { text: label, face: Face::Sans, content: true },
                    Span { text: "：", face: Face::Serif, content: false },
                    Span { text, face: Face::Serif, content: true },
                ];
                let size = g.pt(BLURB_SIZE);
                let st = ParaStyle { size, indent: 0.0, justify: true, align: Align::Start, gray: 0.15 };
                let mut items =
                    lines_items(paragraph::set(&spans, &st, g.measure, fonts, missing), size * 1.6, false, tag);
                if let Some(first) = items.first_mut() {
                    first.space_before = g.leading * 0.3;
                }
                items
            }
        };
        if bi == 0 {
            if let Some(first) = items.iter_mut().find(|it| it.height > 0.0) {
                first.space_before = first.space_before.max(gap);
            }
        }
        // Blocks set apart from the running text (front matter, captions,
        // short lines, lists, code) get a little space where the kind changes.
        let apart = |b: &Block| !matches!(b, Block::Paragraph { .. } | Block::Heading { .. });
        if bi > 0
            && (apart(b) || apart(&a.blocks[bi - 1]))
            && std::mem::discriminant(b) != std::mem::discriminant(&a.blocks[bi - 1])
        {
            if let Some(first) = items.iter_mut().find(|it| it.height > 0.0) {
                first.space_before = first.space_before.max(g.leading * 0.5);
            }
        }
        // A heading keeps with the next two lines, even when its first
        // paragraph is a single line.
        if bi > 0 && matches!(a.blocks[bi - 1], Block::Heading { .. }) {
            if let Some(first) = items.iter_mut().find(|it| it.height > 0.0) {
                first.keep_with_next = true;
            }
        }
        v.extend(items);
    }

    if let Some(b) = &a.blurb {
        // Rule above, smaller type, the label in sans bold; kept in one piece.
        let mut rule = VItem::marker(VKind::Rule { width: g.measure * 0.3 });
        rule.height = 8.0;
        rule.space_before = g.leading * 0.8;
        v.push(rule);
        let spans = [
            Span { text: &b.label, face: Face::Sans, content: true },
            Span { text: "：", face: Face::Serif, content: false },
            Span { text: &b.text, face: Face::Serif, content: true },
        ];
        let st = ParaStyle { size: g.pt(BLURB_SIZE), indent: 0.0, justify: true, align: Align::Start, gray: 0.15 };
        let lines = paragraph::set(&spans, &st, g.measure, fonts, missing);
        let n = lines.len();
        let mut items = lines_items(lines, g.pt(BLURB_SIZE) * 1.6, true, Tag::Blurb(index));
        if n > 0 {
            items[n - 1].keep_with_next = false;
        }
        v.extend(items);
    }

    if a.truncated {
        v.extend(marker_items(TRUNCATED_MARK, g, fonts, missing, g.leading * 0.5, Tag::Truncated(index)));
    }
    if let Some(last) = v.last_mut() {
        last.keep_with_next = false;
    }
    v
}

/// Body lines with orphan and widow control: the first line keeps with the
/// second, the last-but-one with the last.
fn body_lines(lines: Vec<SetLine>, leading: f32, tag: Tag) -> Vec<VItem> {
    let n = lines.len();
    let mut items = lines_items(lines, leading, false, tag);
    if n >= 2 {
        items[0].keep_with_next = true;
        items[n - 2].keep_with_next = true;
    }
    items
}

/// Sets `spans` with a hanging indent: the first line at the left edge of
/// `measure`, the lines it runs over onto `hang` points in.
pub(super) fn hanging(
    spans: &[Span],
    st: &ParaStyle,
    measure: f32,
    hang: f32,
    fonts: &Fonts,
    missing: &mut Vec<char>,
) -> Vec<SetLine> {
    let st = ParaStyle { indent: -hang, ..*st };
    let mut lines = paragraph::set(spans, &st, measure - hang, fonts, missing);
    for l in &mut lines {
        for r in &mut l.runs {
            r.x += hang;
        }
        l.width += hang;
    }
    lines
}

/// A muted marker line (continued / truncated article).
fn marker_items(text: &str, g: &Geometry, fonts: &Fonts, missing: &mut Vec<char>, space: f32, tag: Tag) -> Vec<VItem> {
    let mut st = style(g.pt(BYLINE_SIZE));
    st.gray = MUTED;
    let lines = paragraph::set(&[Span { text, face: Face::Serif, content: false }], &st, g.measure, fonts, missing);
    let mut items = lines_items(lines, g.leading, false, tag);
    items[0].space_before = space;
    items
}

/// A line centred on the text block, placed with its baseline at `y`.
/// `look` is (face, size, grey).
#[allow(clippy::too_many_arguments)]
pub(super) fn centred(
    text: &str,
    tag: Tag,
    look: (Face, f32, f32),
    left: f32,
    y: &mut f32,
    g: &Geometry,
    fonts: &Fonts,
    missing: &mut Vec<char>,
) -> Vec<Line> {
    let (face, size, gray) = look;
    let st = ParaStyle { size, indent: 0.0, justify: false, align: Align::Center, gray };
    let mut out = Vec::new();
    for l in balanced(&[Span { text, face, content: false }], &st, g.measure, fonts, missing) {
        let runs = l
            .runs
            .into_iter()
            .map(|mut r| {
                r.x += left;
                r.y = *y;
                r
            })
            .collect();
        out.push(Line { x: left, y: *y, width: l.width, measure: g.measure, first: l.first, last: l.last, runs, tag });
        *y -= size * 1.5;
    }
    out
}

/// Running head: centred above the text block, with a hairline under it.
/// Too long a head is cut and ends with an ellipsis.
pub fn running_head(p: &mut Page, text: &str, index: usize, g: &Geometry, fonts: &Fonts) {
    let size = g.pt(8.5);
    let mut head: String = text.to_string();
    if paragraph::measure(&head, Face::Serif, size, fonts) > g.measure {
        let mut cut = String::new();
        for ch in text.chars() {
            if paragraph::measure(&format!("{cut}{ch}…"), Face::Serif, size, fonts) > g.measure {
                break;
            }
            cut.push(ch);
        }
        cut.push('…');
        head = cut;
    }
    let left = g.left(index);
    let top = g.height - g.top;
    let mut y = top + 14.0;
    p.lines.extend(centred(
        &head,
        Tag::RunningHead,
        (Face::Serif, size, MUTED),
        left,
        &mut y,
        g,
        fonts,
        &mut Vec::new(),
    ));
    p.rules.push(Rule { x1: left, y1: top + 9.0, x2: left + g.measure, y2: top + 9.0, thickness: 0.3, gray: 0.6 });
}

/// Page number centred in the bottom margin.
pub fn folio(p: &mut Page, number: &str, index: usize, g: &Geometry, fonts: &Fonts) {
    let mut y = g.height * 0.05;
    p.lines.extend(centred(
        number,
        Tag::Folio,
        (Face::Serif, g.pt(9.0), 0.3),
        g.left(index),
        &mut y,
        g,
        fonts,
        &mut Vec::new(),
    ));
}
