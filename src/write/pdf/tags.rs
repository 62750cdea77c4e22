//! The PDF's logical structure (tagged PDF, PDF/UA-1): which marked-content
//! sequences each page's content stream has, the structure tree built over
//! them in the order of the model, and what PDF/UA asks of the catalogue and
//! the link annotations.
//!
//! The layout gives every line a [`Tag`] (what it sets). Consecutive runs
//! with one [`Key`] (the tag, and for a list item whether the run is its
//! label) form one marked-content sequence: page furniture (running heads,
//! folios) is an `/Artifact`, everything else real content with an MCID. The
//! content streams write the sequences ([`Marker`]); [`add_structure`] then
//! builds the tree:
//!
//! ```text
//! Document
//! ├─ Sect                     the title page: a P per item
//! ├─ H1                       目录
//! ├─ TOC → TOCI → Reference → Link   one per article: its lines and link annotations
//! └─ Sect (per article)       H1 title, P byline, P marker, then the blocks:
//!                             H2…H6 sections, P paragraphs and short lines,
//!                             Caption, Code, L → LI → Lbl + LBody lists,
//!                             Div → P front matter; Div → P blurb, P marker
//! ```
//!
//! Heading levels never skip (a level-4 section straight after a level-2
//! one is tagged H3), as PDF/UA asks. Rules are artifacts too, written by
//! the content streams around all of a page's rules. A new block kind is an
//! arm in [`Plan::kind`] (and [`Plan::wrappers`] if it sits in a `Div` or
//! the like); a line with a tag the tree does not place fails the PDF.
//!
//! One file though over 600 lines: the plan (which element a tag becomes),
//! the marked-content sequences and the tree are one mapping seen three
//! ways, and each part reads the others' types; apart, a new block kind
//! would have to be kept in step across three files.

use lopdf::{Dictionary, Object, ObjectId};
use rustc_hash::FxHashMap;

use super::finish::text_string;
use crate::layout::{Layout, Page, Tag};
use crate::model::{Block, Compilation};

/// The marked-content sequences of one page, in stream order.
pub(super) type Marks = Vec<Sequence>;

/// What a run belongs to: its line's tag and whether it is apart from the
/// line's text: a list item's label (the runs of a list item that are not
/// model text), or decoration (an artifact amid the line's content).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Key {
    pub tag: Tag,
    pub label: bool,
}

impl Key {
    fn of(tag: Tag, run: &crate::layout::TextRun) -> Key {
        Key { tag, label: run.decoration || (matches!(tag, Tag::ListItem { .. }) && !run.content) }
    }

    fn whole(tag: Tag) -> Key {
        Key { tag, label: false }
    }
}

/// Consecutive runs of a page with one key: from run `from` to run `to`
/// (both included), each given as (line, run) indices.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Sequence {
    pub from: (usize, usize),
    pub to: (usize, usize),
    pub mark: Mark,
}

impl Sequence {
    fn contains(&self, at: (usize, usize)) -> bool {
        self.from <= at && at <= self.to
    }
}

/// What an artifact is (ISO 32000-1 §14.8.2.2.2).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Artifact {
    /// Page furniture at the top of the page (the running head).
    Header,
    /// Page furniture at its foot (the folio).
    Footer,
    /// Typographic decoration within content (a contents entry's leaders).
    Layout,
}

impl Artifact {
    /// The artifact's property list, as (key, name) pairs.
    pub fn properties(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Artifact::Header => &[("Type", "Pagination"), ("Subtype", "Header")],
            Artifact::Footer => &[("Type", "Pagination"), ("Subtype", "Footer")],
            Artifact::Layout => &[("Type", "Layout")],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Mark {
    /// Page furniture or decoration, outside the structure tree.
    Artifact(Artifact),
    /// Real content: marked-content id `mcid` of its page, part of the
    /// element that `key` makes, of type `kind`.
    Content { mcid: u32, key: Key, kind: &'static str },
}

/// How the model's parts become structure elements.
pub(super) struct Plan<'a> {
    c: &'a Compilation,
    /// Per article, per block: the heading level as tagged (0 for a non-heading).
    levels: Vec<Vec<u8>>,
}

/// Structure types of headings by level.
const HEADINGS: [&str; 7] = ["H1", "H1", "H2", "H3", "H4", "H5", "H6"];

impl<'a> Plan<'a> {
    pub fn new(c: &'a Compilation) -> Self {
        let levels = c
            .articles
            .iter()
            .map(|a| {
                // The title is H1; a section is at most one level below the
                // heading before it.
                let mut previous = 1;
                a.blocks
                    .iter()
                    .map(|b| match b {
                        Block::Heading { level, .. } => {
                            let level = (*level).clamp(2, 6).min(previous + 1);
                            previous = level;
                            level
                        }
                        _ => 0,
                    })
                    .collect()
            })
            .collect();
        Plan { c, levels }
    }

    fn block(&self, article: usize, block: usize) -> Option<&'a Block> {
        self.c.articles.get(article).and_then(|a| a.blocks.get(block))
    }

    /// The structure type of the element holding the runs of `key` (`None`:
    /// an artifact).
    pub fn kind(&self, key: Key) -> Option<&'static str> {
        Some(match key.tag {
            Tag::RunningHead | Tag::Folio => return None,
            // Decoration amid a line's content.
            _ if key.label && !matches!(key.tag, Tag::ListItem { .. }) => return None,
            Tag::TitlePage(_) => "P",
            Tag::ContentsHeading => "H1",
            Tag::ContentsEntry(_) => "Link",
            Tag::Title(_) => "H1",
            Tag::Byline(_) | Tag::Continued(_) | Tag::Truncated(_) | Tag::Blurb(_) => "P",
            Tag::ListItem { .. } if key.label => "Lbl",
            Tag::ListItem { .. } => "LBody",
            Tag::Block { article, block } => match self.block(article, block) {
                Some(Block::Heading { .. }) => HEADINGS[self.levels[article][block] as usize],
                Some(Block::Caption { .. }) => "Caption",
                Some(Block::Code { .. }) => "Code",
                Some(Block::Paragraph { .. } | Block::Lines { .. } | Block::Front { .. } | Block::List { .. }) => "P",
                None => "P",
            },
        })
    }

    /// The elements wrapping the element of `key`, outermost first, below
    /// its section (the TOC entry's `TOCI → Reference`, the blurb's and the
    /// front matter's `Div`). A list's `L` and `LI` are shared by its items'
    /// elements: [`add_structure`] makes them.
    fn wrappers(&self, key: Key) -> &'static [&'static str] {
        match key.tag {
            Tag::ContentsEntry(_) => &["TOCI", "Reference"],
            Tag::Blurb(_) => &["Div"],
            Tag::Block { article, block } if matches!(self.block(article, block), Some(Block::Front { .. })) => {
                &["Div"]
            }
            _ => &[],
        }
    }

    /// Attributes (`/A`) of the element of `key`: code is a block.
    fn attributes(&self, key: Key) -> Option<Dictionary> {
        match key.tag {
            Tag::Block { article, block } if matches!(self.block(article, block), Some(Block::Code { .. })) => {
                Some(Dictionary::from_iter(vec![("O", Object::from("Layout")), ("Placement", Object::from("Block"))]))
            }
            _ => None,
        }
    }
}

/// The page's marked-content sequences: MCIDs from 0 in stream order
/// (every run is in one; a line with no run is in none).
pub(super) fn marks(page: &Page, plan: &Plan<'_>) -> Marks {
    let mut out: Marks = Vec::new();
    let mut open: Option<Key> = None;
    let mut mcid = 0;
    for (i, line) in page.lines.iter().enumerate() {
        for (j, run) in line.runs.iter().enumerate() {
            let key = Key::of(line.tag, run);
            if open == Some(key) {
                out.last_mut().expect("a sequence is open").to = (i, j);
                continue;
            }
            open = Some(key);
            let mark = match plan.kind(key) {
                None if key.tag == Tag::RunningHead => Mark::Artifact(Artifact::Header),
                None if key.label => Mark::Artifact(Artifact::Layout),
                None => Mark::Artifact(Artifact::Footer),
                Some(kind) => {
                    mcid += 1;
                    Mark::Content { mcid: mcid - 1, key, kind }
                }
            };
            out.push(Sequence { from: (i, j), to: (i, j), mark });
        }
    }
    out
}

/// Opens and closes a page's sequences while its runs are written in
/// order: call [`Marker::step`] before each run (or [`Marker::run`] to
/// write the operators), then [`Marker::close`] (or [`Marker::finish`]).
pub(super) struct Marker<'a> {
    marks: &'a [Sequence],
    /// The sequence open or next to open.
    at: usize,
    open: bool,
}

/// What to write before a run.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Step<'a> {
    /// Close the open sequence.
    pub close: bool,
    /// Open this one.
    pub open: Option<&'a Mark>,
}

impl<'a> Marker<'a> {
    pub fn new(marks: &'a [Sequence]) -> Self {
        Marker { marks, at: 0, open: false }
    }

    /// Before run `run` of line `line` (runs in page order).
    pub fn step(&mut self, line: usize, run: usize) -> Step<'a> {
        let at = (line, run);
        let mut step = Step::default();
        if self.open && !self.marks[self.at].contains(at) {
            step.close = true;
            self.open = false;
            self.at += 1;
        }
        while !self.open && self.marks.get(self.at).is_some_and(|m| m.to < at) {
            self.at += 1;
        }
        if !self.open && self.marks.get(self.at).is_some_and(|m| m.contains(at)) {
            step.open = Some(&self.marks[self.at].mark);
            self.open = true;
        }
        step
    }

    /// [`Marker::step`], written as content-stream operators.
    pub fn run(&mut self, line: usize, run: usize, s: &mut String) {
        let step = self.step(line, run);
        if step.close {
            s.push_str(END);
        }
        if let Some(mark) = step.open {
            begin(mark, s);
        }
    }

    /// After the last run: whether a sequence is still open (to close).
    pub fn close(&mut self) -> bool {
        std::mem::replace(&mut self.open, false)
    }

    /// [`Marker::close`], written as an operator.
    pub fn finish(&mut self, s: &mut String) {
        if self.close() {
            s.push_str(END);
        }
    }
}

/// The operator opening a sequence in a content stream.
pub(super) fn begin(mark: &Mark, s: &mut String) {
    use std::fmt::Write as _;
    let _ = match mark {
        Mark::Artifact(artifact) => {
            let properties: String = artifact.properties().iter().map(|(k, v)| format!("/{k} /{v} ")).collect();
            writeln!(s, "/Artifact <<{}>> BDC", properties.trim_end())
        }
        Mark::Content { mcid, kind, .. } => writeln!(s, "/{kind} <</MCID {mcid}>> BDC"),
    };
}

/// The operator closing a sequence.
pub(super) const END: &str = "EMC\n";
/// What the content streams put around the rules (page furniture: the
/// running head's hairline, the title page's and the blurb's rules).
pub(super) const RULES_BEGIN: &str = "/Artifact BMC\n";

/// One structure element being built.
struct Element {
    kind: &'static str,
    parent: usize,
    /// Title (`/T`), for the articles' sections.
    title: Option<String>,
    /// Attributes (`/A`).
    attributes: Option<Dictionary>,
    kids: Vec<Kid>,
}

enum Kid {
    Element(usize),
    /// Marked content `mcid` on page `page` (index).
    Content {
        page: usize,
        mcid: u32,
    },
    /// A link annotation (object) on page `page`.
    Annotation {
        page: usize,
        id: ObjectId,
    },
}

/// The tree as it is built: elements by index, 0 the `Document`.
struct Tree {
    elements: Vec<Element>,
}

impl Tree {
    fn add(&mut self, parent: usize, kind: &'static str) -> usize {
        self.elements.push(Element { kind, parent, title: None, attributes: None, kids: Vec::new() });
        let i = self.elements.len() - 1;
        self.elements[parent].kids.push(Kid::Element(i));
        i
    }

    /// Removes element `e` if it was the last added and has no kids (a
    /// wrapper whose parts had no content).
    fn drop_if_empty(&mut self, e: usize) {
        if e + 1 == self.elements.len() && self.elements[e].kids.is_empty() {
            let parent = self.elements[e].parent;
            self.elements[parent].kids.pop();
            self.elements.pop();
        }
    }

    /// Adds the element of `key` under `parent` (inside its wrappers), with
    /// the key's content taken out of `content`; nothing when it has none.
    fn leaf(&mut self, plan: &Plan<'_>, content: &mut FxHashMap<Key, Content>, parent: usize, key: Key) {
        let Some(found) = content.remove(&key) else { return };
        let Some(kind) = plan.kind(key) else { return };
        let mut parent = parent;
        for wrapper in plan.wrappers(key) {
            parent = self.add(parent, wrapper);
        }
        let e = self.add(parent, kind);
        self.elements[e].attributes = plan.attributes(key);
        let kids = &mut self.elements[e].kids;
        kids.extend(found.marked.into_iter().map(|(page, mcid)| Kid::Content { page, mcid }));
        kids.extend(found.annotations.into_iter().map(|(page, id)| Kid::Annotation { page, id }));
    }
}

/// What the content of one key is: its marked content and link annotations, in page order.
#[derive(Default)]
struct Content {
    marked: Vec<(usize, u32)>,
    annotations: Vec<(usize, ObjectId)>,
}

/// Adds the structure tree over `marks` (one per page, as the content
/// streams were written) to `lo`, makes the link annotations tagged
/// objects with a description, and marks the catalogue as tagged.
pub(super) fn add_structure(
    lo: &mut lopdf::Document,
    c: &Compilation,
    lay: &Layout,
    plan: &Plan<'_>,
    marks: &[Marks],
) -> lopdf::Result<()> {
    let page_ids: Vec<ObjectId> = lo.get_pages().into_values().collect();
    let mut content: FxHashMap<Key, Content> = FxHashMap::default();
    for (p, page_marks) in marks.iter().enumerate() {
        for seq in page_marks {
            if let Mark::Content { mcid, key, .. } = seq.mark {
                content.entry(key).or_default().marked.push((p, mcid));
            }
        }
    }

    // Link annotations: printpdf writes them inline, in the page's `links`
    // order; a tagged annotation must be an object of its own.
    // The tagged annotations, in the order of their parent-tree keys (after the pages').
    let mut annotations: Vec<ObjectId> = Vec::new();
    for (p, &page_id) in page_ids.iter().enumerate() {
        let links = lay.pages.get(p).map_or(&[][..], |page| &page.links[..]);
        let Ok(Object::Array(annots)) = lo.get_dictionary(page_id)?.get(b"Annots").cloned() else { continue };
        if annots.is_empty() {
            continue;
        }
        let mut refs = Vec::with_capacity(annots.len());
        for (k, annot) in annots.into_iter().enumerate() {
            let Object::Dictionary(mut annot) = annot else {
                refs.push(annot);
                continue;
            };
            // Printed like the page it is on (flag 3, Print): an annotation
            // without it is hidden from some readers (PDF/UA 7.18.1).
            annot.set("F", Object::Integer(4));
            if let Some(link) = links.get(k) {
                let key = page_ids.len() + annotations.len();
                annot.set("StructParent", Object::Integer(key as i64));
                if let Tag::ContentsEntry(i) = link.tag {
                    annot.set("Contents", text_string(&link_description(c, lay, i)));
                }
                let id = lo.add_object(annot);
                content.entry(Key::whole(link.tag)).or_default().annotations.push((p, id));
                annotations.push(id);
                refs.push(Object::Reference(id));
            } else {
                refs.push(Object::Reference(lo.add_object(annot)));
            }
        }
        let page = lo.get_object_mut(page_id)?.as_dict_mut()?;
        page.set("Annots", Object::Array(refs));
        // Annotations in the order of the structure (PDF/UA 7.18.3).
        page.set("Tabs", Object::Name(b"S".to_vec()));
    }

    // The tree, in the order of the model.
    let mut tree = Tree {
        elements: vec![Element {
            kind: "Document",
            parent: usize::MAX,
            title: None,
            attributes: None,
            kids: Vec::new(),
        }],
    };
    let mut items: Vec<u8> =
        content.keys().filter_map(|k| if let Tag::TitlePage(n) = k.tag { Some(n) } else { None }).collect();
    items.sort_unstable();
    if !items.is_empty() {
        let title_page = tree.add(0, "Sect");
        for n in items {
            tree.leaf(plan, &mut content, title_page, Key::whole(Tag::TitlePage(n)));
        }
    }
    tree.leaf(plan, &mut content, 0, Key::whole(Tag::ContentsHeading));
    let toc = tree.add(0, "TOC");
    for i in 0..c.articles.len() {
        tree.leaf(plan, &mut content, toc, Key::whole(Tag::ContentsEntry(i)));
    }
    tree.drop_if_empty(toc);
    for (i, a) in c.articles.iter().enumerate() {
        let sect = tree.add(0, "Sect");
        let title = a.display_title();
        tree.elements[sect].title = Some(title.to_string());
        for tag in [Tag::Title(i), Tag::Byline(i), Tag::Continued(i)] {
            tree.leaf(plan, &mut content, sect, Key::whole(tag));
        }
        for (b, block) in a.blocks.iter().enumerate() {
            let Block::List { start, items, .. } = block else {
                tree.leaf(plan, &mut content, sect, Key::whole(Tag::Block { article: i, block: b }));
                continue;
            };
            // A list: L → LI → Lbl (its marker) and LBody (its text).
            let list = tree.add(sect, "L");
            let numbering = if start.is_some() { "Decimal" } else { "Disc" };
            tree.elements[list].attributes = Some(Dictionary::from_iter(vec![
                ("O", Object::from("List")),
                ("ListNumbering", Object::from(numbering)),
            ]));
            for item in 0..items.len() {
                let li = tree.add(list, "LI");
                let tag = Tag::ListItem { article: i, block: b, item };
                for label in [true, false] {
                    tree.leaf(plan, &mut content, li, Key { tag, label });
                }
                tree.drop_if_empty(li);
            }
            tree.drop_if_empty(list);
        }
        for tag in [Tag::Blurb(i), Tag::Truncated(i)] {
            tree.leaf(plan, &mut content, sect, Key::whole(tag));
        }
    }
    if let Some(key) = content.keys().next() {
        // A line the plan does not place would be content outside the tree.
        return Err(lopdf::Error::InvalidStream(format!("tagged content with no place in the structure: {key:?}")));
    }

    // Objects: ids first (parents and kids refer to each other).
    let ids: Vec<ObjectId> = tree.elements.iter().map(|_| lo.new_object_id()).collect();
    let root_id = lo.new_object_id();
    let mut parent_of_mcid: Vec<Vec<Option<ObjectId>>> =
        marks.iter().map(|m| vec![None; m.iter().filter(|s| matches!(s.mark, Mark::Content { .. })).count()]).collect();
    for (e, element) in tree.elements.iter().enumerate() {
        for kid in &element.kids {
            if let Kid::Content { page, mcid } = *kid {
                parent_of_mcid[page][mcid as usize] = Some(ids[e]);
            }
        }
    }
    // The dictionaries, built in parallel (a book has thousands).
    let dictionaries: Vec<Dictionary> = {
        use rayon::prelude::*;
        let parent = |e: usize| if e == 0 { root_id } else { ids[tree.elements[e].parent] };
        tree.elements
            .par_iter()
            .enumerate()
            .map(|(e, element)| dictionary(element, parent(e), &ids, &page_ids))
            .collect()
    };
    lo.objects.extend(ids.iter().copied().zip(dictionaries.into_iter().map(Object::Dictionary)));

    // The parent tree: each page's MCIDs, then each annotation, to their element.
    let element_of: FxHashMap<ObjectId, ObjectId> = tree
        .elements
        .iter()
        .enumerate()
        .flat_map(|(e, element)| {
            element.kids.iter().filter_map(move |k| match k {
                Kid::Annotation { id, .. } => Some((*id, e)),
                _ => None,
            })
        })
        .map(|(annot, e)| (annot, ids[e]))
        .collect();
    let mut nums = Vec::new();
    for (p, parents) in parent_of_mcid.into_iter().enumerate() {
        if parents.is_empty() {
            continue;
        }
        let parents: Vec<Object> = parents.into_iter().map(|e| e.map_or(Object::Null, Object::Reference)).collect();
        nums.push(Object::Integer(p as i64));
        nums.push(Object::Array(parents));
        lo.get_object_mut(page_ids[p])?.as_dict_mut()?.set("StructParents", Object::Integer(p as i64));
    }
    for (k, annot) in annotations.iter().enumerate() {
        nums.push(Object::Integer((page_ids.len() + k) as i64));
        nums.push(element_of.get(annot).map_or(Object::Null, |&e| Object::Reference(e)));
    }
    let parent_tree = lo.add_object(Dictionary::from_iter(vec![("Nums", Object::Array(nums))]));
    let root = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"StructTreeRoot".to_vec())),
        ("K", Object::Reference(ids[0])),
        ("ParentTree", Object::Reference(parent_tree)),
        ("ParentTreeNextKey", Object::Integer((page_ids.len() + annotations.len()) as i64)),
    ]);
    lo.objects.insert(root_id, Object::Dictionary(root));

    let catalog = lo.catalog_mut()?;
    catalog.set("StructTreeRoot", Object::Reference(root_id));
    catalog.set("MarkInfo", Object::Dictionary(Dictionary::from_iter(vec![("Marked", Object::Boolean(true))])));
    catalog.set(
        "ViewerPreferences",
        Object::Dictionary(Dictionary::from_iter(vec![("DisplayDocTitle", Object::Boolean(true))])),
    );
    Ok(())
}

/// The dictionary of a structure element whose parent is `parent`; `ids`
/// are the elements' objects, `page_ids` the pages'.
fn dictionary(element: &Element, parent: ObjectId, ids: &[ObjectId], page_ids: &[ObjectId]) -> Dictionary {
    let name = |s: &str| Object::Name(s.as_bytes().to_vec());
    let mut d = Dictionary::new();
    // No `/Type /StructElem`: it is optional, and 1,868 of them made 30 KB of bench13.
    d.set("S", name(element.kind));
    d.set("P", Object::Reference(parent));
    if let Some(title) = &element.title {
        d.set("T", text_string(title));
    }
    if let Some(attributes) = &element.attributes {
        d.set("A", Object::Dictionary(attributes.clone()));
    }
    // The page of the first marked content: integer MCIDs refer to it.
    let page = element.kids.iter().find_map(|k| match k {
        Kid::Content { page, .. } => Some(*page),
        _ => None,
    });
    if let Some(page) = page {
        d.set("Pg", Object::Reference(page_ids[page]));
    }
    let mut kids = Vec::with_capacity(element.kids.len());
    for kid in &element.kids {
        kids.push(match *kid {
            Kid::Element(k) => Object::Reference(ids[k]),
            Kid::Content { page: p, mcid } if Some(p) == page => Object::Integer(mcid as i64),
            Kid::Content { page: p, mcid } => Object::Dictionary(Dictionary::from_iter(vec![
                ("Type", name("MCR")),
                ("Pg", Object::Reference(page_ids[p])),
                ("MCID", Object::Integer(mcid as i64)),
            ])),
            Kid::Annotation { page: p, id } => Object::Dictionary(Dictionary::from_iter(vec![
                ("Type", name("OBJR")),
                ("Pg", Object::Reference(page_ids[p])),
                ("Obj", Object::Reference(id)),
            ])),
        });
    }
    match kids.len() {
        1 if matches!(kids[0], Object::Integer(_)) => d.set("K", kids.pop().expect("one kid")),
        _ => d.set("K", Object::Array(kids)),
    }
    d
}

/// What a contents entry's link says to assistive technology: the
/// article's title and the page it starts on.
fn link_description(c: &Compilation, lay: &Layout, article: usize) -> String {
    let title = c.articles.get(article).map_or(crate::model::display::UNTITLED, |a| a.display_title());
    match lay.toc_numbers.get(article) {
        Some(n) => format!("{title}（第{n}页）"),
        None => title.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{Line, TextRun};
    use crate::model::{Article, Declared, Source, SCHEMA_VERSION};

    fn compilation(articles: Vec<Article>) -> Compilation {
        Compilation {
            schema_version: SCHEMA_VERSION,
            title: "书".into(),
            source: Source::default(),
            declared: Declared::default(),
            metadata: Default::default(),
            articles,
            warnings: vec![],
        }
    }

    fn line(tag: Tag) -> Line {
        let run = TextRun {
            face: crate::layout::Face::Serif,
            size: 10.0,
            x: 0.0,
            y: 0.0,
            text: "字".into(),
            char_spacing: 0.0,
            gray: 0.0,
            content: true,
            decoration: false,
            kerns: Vec::new(),
        };
        Line { x: 0.0, y: 0.0, width: 10.0, measure: 10.0, first: true, last: true, runs: vec![run], tag }
    }

    #[test]
    fn heading_levels_never_skip() {
        let h = |level| Block::Heading { level, text: "节".into(), origin: None };
        let p = Block::Paragraph { text: "文".into(), lead: None, origin: None };
        let article = Article { blocks: vec![h(3), p.clone(), h(2), h(4), h(3), h(9)], ..Default::default() };
        let c = compilation(vec![article]);
        let plan = Plan::new(&c);
        let kinds: Vec<_> =
            (0..6).map(|block| plan.kind(Key::whole(Tag::Block { article: 0, block })).unwrap()).collect();
        assert_eq!(kinds, ["H2", "P", "H2", "H3", "H3", "H4"]);
    }

    #[test]
    fn runs_of_one_key_are_one_sequence() {
        let c = compilation(vec![Article::default()]);
        let plan = Plan::new(&c);
        let b = |block| Tag::Block { article: 0, block };
        let item = Tag::ListItem { article: 0, block: 2, item: 0 };
        let mut label = line(item);
        label.runs.insert(0, TextRun { content: false, ..label.runs[0].clone() });
        let page = Page {
            lines: vec![
                line(b(0)),
                line(b(0)),
                line(b(1)),
                label,
                line(item),
                line(Tag::RunningHead),
                line(Tag::Folio),
            ],
            ..Default::default()
        };
        let m = marks(&page, &plan);
        let content = |mcid, tag, label, kind| Mark::Content { mcid, key: Key { tag, label }, kind };
        assert_eq!(m.len(), 6);
        assert_eq!(m[0], Sequence { from: (0, 0), to: (1, 0), mark: content(0, b(0), false, "P") });
        assert_eq!(m[1].mark, content(1, b(1), false, "P"));
        assert_eq!(m[2], Sequence { from: (3, 0), to: (3, 0), mark: content(2, item, true, "Lbl") });
        assert_eq!(m[3], Sequence { from: (3, 1), to: (4, 0), mark: content(3, item, false, "LBody") });
        assert_eq!(m[4].mark, Mark::Artifact(Artifact::Header));
        assert_eq!(m[5].mark, Mark::Artifact(Artifact::Footer));

        // The marker opens and closes them in the runs' order.
        let mut s = String::new();
        let mut marker = Marker::new(&m);
        for (i, l) in page.lines.iter().enumerate() {
            for j in 0..l.runs.len() {
                marker.run(i, j, &mut s);
                s.push_str("run\n");
            }
        }
        marker.finish(&mut s);
        let expected = "/P <</MCID 0>> BDC\nrun\nrun\nEMC\n/P <</MCID 1>> BDC\nrun\nEMC\n\
                        /Lbl <</MCID 2>> BDC\nrun\nEMC\n/LBody <</MCID 3>> BDC\nrun\nrun\nEMC\n\
                        /Artifact <</Type /Pagination /Subtype /Header>> BDC\nrun\nEMC\n\
                        /Artifact <</Type /Pagination /Subtype /Footer>> BDC\nrun\nEMC\n";
        assert_eq!(s, expected);
    }

    #[test]
    fn leader_dots_are_a_layout_artifact_inside_their_entry() {
        let c = compilation(vec![Article::default()]);
        let plan = Plan::new(&c);
        let entry = Tag::ContentsEntry(0);
        let mut l = line(entry);
        let title = TextRun { content: false, ..l.runs[0].clone() };
        let dots = TextRun { text: "······".into(), decoration: true, ..title.clone() };
        let number = TextRun { text: "7".into(), ..title.clone() };
        l.runs = vec![title, dots, number];
        let page = Page { lines: vec![l], ..Default::default() };
        let m = marks(&page, &plan);
        let link = |mcid| Mark::Content { mcid, key: Key::whole(entry), kind: "Link" };
        assert_eq!(m.len(), 3);
        assert_eq!(m[0], Sequence { from: (0, 0), to: (0, 0), mark: link(0) });
        assert_eq!(m[1], Sequence { from: (0, 1), to: (0, 1), mark: Mark::Artifact(Artifact::Layout) });
        assert_eq!(m[2], Sequence { from: (0, 2), to: (0, 2), mark: link(1) });
        let mut s = String::new();
        begin(&m[1].mark, &mut s);
        assert_eq!(s, "/Artifact <</Type /Layout>> BDC\n");
    }
}
