//! Pagination: a column of vertical items → pages, honouring keep-with-next
//! chains (headings with their first lines, no orphans, no widows) and
//! forced page breaks.

use super::paragraph::SetLine;
use super::Tag;

/// What a vertical item draws.
#[derive(Debug, Clone)]
pub enum VKind {
    /// A set line and what it sets.
    Line(SetLine, Tag),
    /// A horizontal rule `width` points long, drawn mid-height.
    Rule { width: f32 },
    /// Zero-height marker: an outline entry starts here.
    Outline { level: u8, title: String },
    /// Zero-height marker: article `index` starts here.
    ArticleStart(usize),
}

/// One item of the column.
#[derive(Debug, Clone)]
pub struct VItem {
    pub kind: VKind,
    pub height: f32,
    /// Space above, dropped at the top of a page.
    pub space_before: f32,
    /// Must sit on the same page as the next item.
    pub keep_with_next: bool,
    /// Starts a new page.
    pub break_before: bool,
    /// For TOC lines: the article this line links to.
    pub link: Option<usize>,
}

impl VItem {
    pub fn line(line: SetLine, height: f32, tag: Tag) -> Self {
        VItem {
            kind: VKind::Line(line, tag),
            height,
            space_before: 0.0,
            keep_with_next: false,
            break_before: false,
            link: None,
        }
    }

    pub fn marker(kind: VKind) -> Self {
        VItem { kind, height: 0.0, space_before: 0.0, keep_with_next: true, break_before: false, link: None }
    }
}

/// An item placed on a page: `top` is measured down from the top of the text block.
#[derive(Debug, Clone)]
pub struct Placed {
    pub item: VItem,
    pub top: f32,
}

/// Breaks `items` into pages of `height` points.
pub fn paginate(items: Vec<VItem>, height: f32) -> Vec<Vec<Placed>> {
    const EPS: f32 = 1e-3;
    let mut pages: Vec<Vec<(usize, f32)>> = Vec::new();
    let mut cur: Vec<(usize, f32)> = Vec::new();
    let mut page_start = 0;
    let mut y = 0.0;
    let mut i = 0;
    while i < items.len() {
        let it = &items[i];
        if it.break_before && !cur.is_empty() {
            pages.push(std::mem::take(&mut cur));
            page_start = i;
            y = 0.0;
        }
        let sb = if cur.is_empty() { 0.0 } else { it.space_before };
        if !cur.is_empty() && y + sb + it.height > height + EPS {
            // Move the whole keep chain ending here to the next page, unless
            // it started this page (then it cannot be kept: break here).
            let mut s = i;
            while s > page_start && items[s - 1].keep_with_next && !items[s].break_before {
                s -= 1;
            }
            if s > page_start {
                cur.retain(|&(j, _)| j < s);
                i = s;
            }
            pages.push(std::mem::take(&mut cur));
            page_start = i;
            y = 0.0;
            continue;
        }
        cur.push((i, y + sb));
        y += sb + it.height;
        i += 1;
    }
    if !cur.is_empty() {
        pages.push(cur);
    }
    let mut items: Vec<Option<VItem>> = items.into_iter().map(Some).collect();
    pages
        .into_iter()
        .map(|p| p.into_iter().map(|(j, top)| Placed { item: items[j].take().expect("placed once"), top }).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(keep: bool) -> VItem {
        let mut v = VItem::line(SetLine { runs: vec![], width: 0.0, first: true, last: true }, 10.0, Tag::Folio);
        v.keep_with_next = keep;
        v
    }

    #[test]
    fn keep_chain_moves_to_next_page() {
        // 3 lines fit; items 2..4 are chained, so the page breaks after item 1.
        let items = vec![line(false), line(false), line(true), line(false)];
        let pages = paginate(items, 30.0);
        assert_eq!(pages.iter().map(|p| p.len()).collect::<Vec<_>>(), vec![2, 2]);
    }

    #[test]
    fn overlong_chain_breaks_anyway() {
        let items = vec![line(true), line(true), line(true), line(false)];
        let pages = paginate(items, 20.0);
        assert_eq!(pages.iter().map(|p| p.len()).collect::<Vec<_>>(), vec![2, 2]);
    }
}
