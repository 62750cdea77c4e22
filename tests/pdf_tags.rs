//! The tagged PDF (issue 14): the structure tree read back with lopdf and
//! checked against the model and the layout: article titles are H1, section
//! headings H2/H3, every paragraph's text is in a P in model order, running
//! heads and folios are artifacts, nothing is shown outside marked content,
//! and every MCID and link annotation is in the tree and the parent tree.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use folio::layout::{Layout, Tag};
use folio::model::{Block, Compilation};
use folio::write::{pdf, WriteOptions};
use lopdf::{Dictionary, Document, Object, ObjectId};

static BENCH13: LazyLock<Compilation> = LazyLock::new(|| common::model_of(&common::bench13_files()));
static LAYOUT: LazyLock<Layout> = LazyLock::new(|| pdf::layout(&BENCH13, &WriteOptions::default()));
static PDF: LazyLock<Read> = LazyLock::new(|| {
    let bytes = pdf::write(&BENCH13, &WriteOptions::default()).unwrap().bytes;
    Read::new(Document::load_mem(&bytes).unwrap())
});

/// Text without white space (line ends differ between the model and the page).
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// What a page's content stream shows, by marked content.
#[derive(Default)]
struct PageText {
    /// Text of each MCID.
    marked: BTreeMap<i64, String>,
    /// Text inside `/Artifact` sequences, in order.
    artifacts: Vec<String>,
    /// Text shown outside any marked content.
    unmarked: String,
}

/// A structure element as read back.
struct Element {
    kind: String,
    id: ObjectId,
    title: Option<String>,
    children: Vec<Element>,
    /// (page index, MCID) of its marked content, in order.
    content: Vec<(usize, i64)>,
    /// Link annotations it holds (OBJR).
    annotations: Vec<ObjectId>,
}

struct Read {
    doc: Document,
    pages: Vec<ObjectId>,
    text: Vec<PageText>,
    root: Element,
}

impl Read {
    fn new(doc: Document) -> Read {
        let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
        let text = pages.iter().map(|&p| page_text(&doc, p)).collect();
        let root_dict =
            doc.get_dictionary(doc.catalog().unwrap().get(b"StructTreeRoot").unwrap().as_reference().unwrap());
        let root_dict = root_dict.expect("a structure tree root");
        let k = root_dict.get(b"K").unwrap().as_reference().unwrap();
        let root = element(&doc, &pages, k);
        Read { doc, pages, text, root }
    }

    fn text_of(&self, e: &Element) -> String {
        let mut s: String = e.content.iter().map(|&(p, mcid)| self.text[p].marked[&mcid].as_str()).collect();
        for c in &e.children {
            s.push_str(&self.text_of(c));
        }
        s
    }
}

fn name(o: &Object) -> String {
    String::from_utf8_lossy(o.as_name().unwrap()).into_owned()
}

fn element(doc: &Document, pages: &[ObjectId], id: ObjectId) -> Element {
    let d = doc.get_dictionary(id).unwrap();
    assert!(d.get(b"Type").map_or(true, |t| name(t) == "StructElem"));
    assert!(d.has(b"S") && d.has(b"P"), "a structure element: {d:?}");
    let page_of = |d: &Dictionary| {
        d.get(b"Pg").ok().map(|p| pages.iter().position(|&q| q == p.as_reference().unwrap()).expect("a page"))
    };
    let pg = page_of(d);
    let mut e = Element {
        kind: name(d.get(b"S").unwrap()),
        id,
        title: d.get(b"T").ok().map(|t| lopdf::decode_text_string(t).unwrap()),
        children: vec![],
        content: vec![],
        annotations: vec![],
    };
    let kids = match d.get(b"K") {
        Ok(Object::Array(a)) => a.clone(),
        Ok(k) => vec![k.clone()],
        Err(_) => vec![],
    };
    for kid in kids {
        match kid {
            Object::Integer(mcid) => e.content.push((pg.expect("/Pg for an MCID"), mcid)),
            Object::Reference(r) => e.children.push(element(doc, pages, r)),
            Object::Dictionary(k) => match name(k.get(b"Type").unwrap()).as_str() {
                "MCR" => e.content.push((page_of(&k).expect("/Pg"), k.get(b"MCID").unwrap().as_i64().unwrap())),
                "OBJR" => e.annotations.push(k.get(b"Obj").unwrap().as_reference().unwrap()),
                other => panic!("unexpected kid {other}"),
            },
            other => panic!("unexpected kid {other:?}"),
        }
    }
    e
}

/// The ToUnicode map of a Type0 font (our CMaps: `bfchar` entries only).
fn to_unicode(doc: &Document, font: &Dictionary) -> HashMap<u16, String> {
    let stream = doc.get_object(font.get(b"ToUnicode").unwrap().as_reference().unwrap()).unwrap();
    let stream = stream.as_stream().unwrap();
    let data = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
    let text = String::from_utf8(data).unwrap();
    let mut map = HashMap::new();
    for line in text.lines() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        if parts.len() == 2 && parts[0].starts_with('<') && parts[1].starts_with('<') {
            let cid = u16::from_str_radix(parts[0].trim_matches(|c| c == '<' || c == '>'), 16).unwrap();
            let hex = parts[1].trim_matches(|c| c == '<' || c == '>');
            let units: Vec<u16> =
                (0..hex.len()).step_by(4).map(|i| u16::from_str_radix(&hex[i..i + 4], 16).unwrap()).collect();
            map.insert(cid, String::from_utf16(&units).unwrap());
        }
    }
    map
}

fn page_text(doc: &Document, page: ObjectId) -> PageText {
    let fonts: HashMap<Vec<u8>, HashMap<u16, String>> =
        doc.get_page_fonts(page).unwrap().into_iter().map(|(k, f)| (k, to_unicode(doc, f))).collect();
    let content = doc.get_and_decode_page_content(page).unwrap();
    let mut out = PageText::default();
    // The open sequences: Some(mcid), or None for an artifact.
    let mut stack: Vec<Option<i64>> = Vec::new();
    let mut font: Option<&HashMap<u16, String>> = None;
    for op in &content.operations {
        match op.operator.as_str() {
            "BDC" => {
                let tag = name(&op.operands[0]);
                let props = op.operands[1].as_dict().unwrap();
                if tag == "Artifact" {
                    stack.push(None);
                    out.artifacts.push(String::new());
                } else {
                    let mcid = props.get(b"MCID").unwrap().as_i64().unwrap();
                    assert!(!out.marked.contains_key(&mcid), "MCID {mcid} used twice");
                    out.marked.insert(mcid, String::new());
                    stack.push(Some(mcid));
                }
            }
            "BMC" => {
                assert_eq!(name(&op.operands[0]), "Artifact");
                stack.push(None);
                out.artifacts.push(String::new());
            }
            "EMC" => {
                stack.pop().expect("EMC closes a sequence");
            }
            "Tf" => font = Some(&fonts[op.operands[0].as_name().unwrap()]),
            "Tj" | "TJ" => {
                // A string, or an array of strings and position adjustments.
                let strings: Vec<&[u8]> = match &op.operands[0] {
                    Object::Array(items) => items.iter().filter_map(|o| o.as_str().ok()).collect(),
                    other => vec![other.as_str().unwrap()],
                };
                let map = font.expect("a font is set");
                let text: String = strings
                    .iter()
                    .flat_map(|bytes| bytes.chunks(2))
                    .map(|c| map.get(&u16::from_be_bytes([c[0], c[1]])).map_or("\u{fffd}", String::as_str))
                    .collect();
                match stack.last() {
                    Some(Some(mcid)) => out.marked.get_mut(mcid).unwrap().push_str(&text),
                    Some(None) => out.artifacts.last_mut().unwrap().push_str(&text),
                    None => out.unmarked.push_str(&text),
                }
            }
            "'" | "\"" => panic!("text shown with {}: not read by this test", op.operator),
            _ => {}
        }
    }
    assert!(stack.is_empty(), "every sequence is closed");
    out
}

#[test]
fn the_catalogue_says_tagged_pdf_ua() {
    let catalog = PDF.doc.catalog().unwrap();
    let mark_info = catalog.get(b"MarkInfo").unwrap().as_dict().unwrap();
    assert!(mark_info.get(b"Marked").unwrap().as_bool().unwrap());
    let prefs = catalog.get(b"ViewerPreferences").unwrap().as_dict().unwrap();
    assert!(prefs.get(b"DisplayDocTitle").unwrap().as_bool().unwrap());
    assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"zh-CN");
    let metadata = PDF.doc.get_object(catalog.get(b"Metadata").unwrap().as_reference().unwrap()).unwrap();
    let metadata = metadata.as_stream().unwrap();
    assert!(metadata.dict.get(b"Filter").is_err(), "XMP left unfiltered");
    let xmp = String::from_utf8(metadata.content.clone()).unwrap();
    let start = xmp.find("<x:xmpmeta").unwrap();
    let end = xmp.find("<?xpacket end").unwrap();
    let tree = roxmltree::Document::parse(&xmp[start..end]).unwrap();
    let field = |ns: &str, local: &str| {
        tree.descendants().find(|n| n.tag_name().namespace() == Some(ns) && n.tag_name().name() == local).unwrap()
    };
    assert_eq!(field("http://www.aiim.org/pdfua/ns/id/", "part").text(), Some("1"));
    let title = field("http://purl.org/dc/elements/1.1/", "title");
    assert_eq!(title.descendants().find(|n| n.has_tag_name("li")).unwrap().text(), Some(BENCH13.title.as_str()));
    let creators: Vec<&str> = field("http://purl.org/dc/elements/1.1/", "creator")
        .descendants()
        .filter(|n| n.tag_name().name() == "li")
        .map(|n| n.text().unwrap())
        .collect();
    assert_eq!(creators, BENCH13.creators());
}

#[test]
fn nothing_is_shown_outside_marked_content() {
    for (p, t) in PDF.text.iter().enumerate() {
        assert_eq!(t.unmarked, "", "page {}", p + 1);
    }
}

/// The running heads and folios the layout set on each page, and the
/// decoration amid its lines (the contents' leader dots), are exactly the
/// page's artifacts; everything else is marked as content.
fn check_artifacts(lay: &Layout, read: &Read) -> usize {
    let mut heads = 0;
    assert_eq!(lay.pages.len(), read.text.len());
    for (p, (page, t)) in lay.pages.iter().zip(&read.text).enumerate() {
        assert_eq!(t.unmarked, "", "page {}: text outside marked content", p + 1);
        let furniture = |l: &folio::layout::Line| matches!(l.tag, Tag::RunningHead | Tag::Folio);
        let mut expected: Vec<String> = Vec::new();
        let mut content = String::new();
        for l in &page.lines {
            if furniture(l) {
                expected.push(squeeze(&l.text()));
                continue;
            }
            for r in &l.runs {
                if r.decoration {
                    expected.push(squeeze(&r.text));
                } else {
                    content.push_str(&squeeze(&r.text));
                }
            }
        }
        let artifacts: Vec<String> = t.artifacts.iter().map(|a| squeeze(a)).filter(|a| !a.is_empty()).collect();
        assert_eq!(artifacts, expected, "page {}", p + 1);
        heads += page.lines.iter().filter(|l| l.tag == Tag::RunningHead).count();
        let marked: String = t.marked.values().map(|s| squeeze(s)).collect();
        assert_eq!(marked, content, "page {}", p + 1);
    }
    heads
}

#[test]
fn running_heads_and_folios_are_artifacts_and_only_they() {
    let heads = check_artifacts(&LAYOUT, &PDF);
    assert!(heads > 20, "bench13 has running heads: {heads}");
    // The contents' leader dots are among them, not inside the entries' Links.
    let leaders = PDF.text.iter().flat_map(|t| &t.artifacts).filter(|a| a.contains('·')).count();
    assert!(leaders > 30, "bench13's contents have leader dots as artifacts: {leaders}");
    assert!(PDF.text.iter().flat_map(|t| t.marked.values()).all(|m| !m.contains("···")));
}

/// Every MCID of every page is in the tree exactly once, and the parent tree
/// maps it (and every link annotation) to the element that holds it.
#[test]
fn the_parent_tree_matches_the_tree() {
    let mut owner: HashMap<(usize, i64), ObjectId> = HashMap::new();
    let mut annotation_owner: HashMap<ObjectId, ObjectId> = HashMap::new();
    fn walk(e: &Element, owner: &mut HashMap<(usize, i64), ObjectId>, annots: &mut HashMap<ObjectId, ObjectId>) {
        for &c in &e.content {
            assert!(owner.insert(c, e.id).is_none(), "{c:?} in the tree twice");
        }
        for &a in &e.annotations {
            assert!(annots.insert(a, e.id).is_none());
        }
        for c in &e.children {
            walk(c, owner, annots);
        }
    }
    walk(&PDF.root, &mut owner, &mut annotation_owner);
    let all: usize = PDF.text.iter().map(|t| t.marked.len()).sum();
    assert_eq!(owner.len(), all, "every marked sequence is in the tree");

    let doc = &PDF.doc;
    let root = doc.get_dictionary(doc.catalog().unwrap().get(b"StructTreeRoot").unwrap().as_reference().unwrap());
    let root = root.unwrap();
    let tree = doc.get_dictionary(root.get(b"ParentTree").unwrap().as_reference().unwrap()).unwrap();
    let nums = tree.get(b"Nums").unwrap().as_array().unwrap();
    let nums: HashMap<i64, &Object> = nums.chunks(2).map(|c| (c[0].as_i64().unwrap(), &c[1])).collect();
    let next = root.get(b"ParentTreeNextKey").unwrap().as_i64().unwrap();
    assert!(nums.keys().all(|&k| k < next));
    let mut links = 0;
    for (p, &page_id) in PDF.pages.iter().enumerate() {
        let page = doc.get_dictionary(page_id).unwrap();
        if !PDF.text[p].marked.is_empty() {
            let key = page.get(b"StructParents").unwrap().as_i64().unwrap();
            let parents = nums[&key].as_array().unwrap();
            assert_eq!(parents.len(), PDF.text[p].marked.len());
            for (mcid, parent) in parents.iter().enumerate() {
                assert_eq!(parent.as_reference().unwrap(), owner[&(p, mcid as i64)], "page {} MCID {mcid}", p + 1);
            }
        }
        let Ok(annots) = page.get(b"Annots") else { continue };
        let annots = annots.as_array().unwrap();
        if !annots.is_empty() {
            assert_eq!(name(page.get(b"Tabs").unwrap()), "S");
        }
        for a in annots {
            let id = a.as_reference().expect("annotations are objects of their own");
            let annot = doc.get_dictionary(id).unwrap();
            assert_eq!(annot.get(b"F").unwrap().as_i64().unwrap(), 4, "printed, not hidden");
            let contents = lopdf::decode_text_string(annot.get(b"Contents").unwrap()).unwrap();
            assert!(!contents.trim().is_empty());
            let key = annot.get(b"StructParent").unwrap().as_i64().unwrap();
            assert_eq!(nums[&key].as_reference().unwrap(), annotation_owner[&id]);
            links += 1;
        }
    }
    assert_eq!(links, annotation_owner.len());
    assert!(links >= BENCH13.articles.len(), "a link per contents entry: {links}");
}

/// Document → title page, 目录 (H1), TOC, then one Sect per article whose
/// elements are the article's parts in model order: H1 title, byline P,
/// sections H2/H3 (never skipping a level), paragraphs and short lines P,
/// captions, code, lists L → LI → Lbl + LBody, front matter and the blurb
/// as a P in a Div. Returns the number of elements per kind.
fn check_tree(c: &Compilation, read: &Read) -> BTreeMap<String, usize> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let root = &read.root;
    assert_eq!(root.kind, "Document");
    let kinds: Vec<&str> = root.children.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds[..3], ["Sect", "H1", "TOC"]);
    assert_eq!(squeeze(&read.text_of(&root.children[1])), "目录");
    assert_eq!(squeeze(&read.text_of(&root.children[0].children[0])), squeeze(&c.title));

    // The contents: an entry per article, TOCI → Reference → Link with its annotations.
    let toc = &root.children[2];
    assert_eq!(toc.children.len(), c.articles.len());
    for (entry, a) in toc.children.iter().zip(&c.articles) {
        assert_eq!(entry.kind, "TOCI");
        let reference = &entry.children[0];
        assert_eq!(reference.kind, "Reference");
        let link = &reference.children[0];
        assert_eq!(link.kind, "Link");
        assert!(!link.annotations.is_empty());
        assert!(squeeze(&read.text_of(link)).starts_with(&squeeze(&a.title)), "{}", a.title);
    }

    let sections = &root.children[3..];
    assert_eq!(sections.len(), c.articles.len());
    for (sect, a) in sections.iter().zip(&c.articles) {
        assert_eq!(sect.kind, "Sect");
        assert_eq!(sect.title.as_deref(), Some(a.title.as_str()));
        let mut kids = sect.children.iter();
        let mut next = |what: &str| kids.next().unwrap_or_else(|| panic!("「{}」: no element for {what}", a.title));
        let text = |e: &Element| squeeze(&read.text_of(e));
        let title = next("the title");
        assert_eq!((title.kind.as_str(), text(title)), ("H1", squeeze(&a.title)));
        if let Some(byline) = a.byline() {
            let e = next("the byline");
            assert_eq!((e.kind.as_str(), text(e)), ("P", squeeze(&byline)));
        }
        if a.continued {
            assert_eq!(next("the marker").kind, "P");
        }
        let mut previous = 1;
        for b in a.blocks.iter().filter(|b| !b.text().trim().is_empty()) {
            let e = next(&format!("{b:?}"));
            *seen.entry(e.kind.clone()).or_default() += 1;
            let context = format!("「{}」: {} for {b:?}", a.title, e.kind);
            match b {
                Block::Heading { level, text: t, .. } => {
                    let expected = (*level).clamp(2, 6).min(previous + 1);
                    previous = expected;
                    assert_eq!(e.kind, format!("H{expected}"), "{context}");
                    assert_eq!(text(e), squeeze(t), "{context}");
                }
                Block::Paragraph { text: t, .. } | Block::Lines { text: t, .. } => {
                    assert_eq!((e.kind.as_str(), text(e)), ("P", squeeze(t)), "{context}");
                }
                Block::Caption { text: t, .. } => {
                    assert_eq!((e.kind.as_str(), text(e)), ("Caption", squeeze(t)), "{context}");
                }
                Block::Code { text: t, .. } => {
                    assert_eq!((e.kind.as_str(), text(e)), ("Code", squeeze(t)), "{context}");
                }
                Block::Front { label, text: t, .. } => {
                    assert_eq!((e.kind.as_str(), e.children.len()), ("Div", 1), "{context}");
                    assert_eq!(e.children[0].kind, "P", "{context}");
                    assert_eq!(text(e), squeeze(&format!("{label}：{t}")), "{context}");
                }
                Block::List { start, items, .. } => {
                    assert_eq!(e.kind, "L", "{context}");
                    assert_eq!(e.children.len(), items.len(), "{context}");
                    for (n, (li, item)) in e.children.iter().zip(items).enumerate() {
                        let parts: Vec<&str> = li.children.iter().map(|k| k.kind.as_str()).collect();
                        assert_eq!((li.kind.as_str(), parts), ("LI", vec!["Lbl", "LBody"]), "{context}");
                        let marker = start.map_or("•".to_string(), |s| format!("{}.", s + n as u64));
                        assert_eq!(text(&li.children[0]), marker, "{context}");
                        assert_eq!(text(&li.children[1]), squeeze(item), "{context}");
                    }
                }
            }
        }
        if let Some(b) = &a.blurb {
            let div = next("the blurb");
            assert_eq!((div.kind.as_str(), div.children.len()), ("Div", 1));
            assert_eq!(div.children[0].kind, "P");
            assert_eq!(text(div), squeeze(&format!("{}：{}", b.label, b.text)));
        }
        if a.truncated {
            assert_eq!(next("the marker").kind, "P");
        }
        assert!(kids.next().is_none(), "「{}」: nothing after the article's parts", a.title);
    }
    seen
}

#[test]
fn the_tree_follows_the_model() {
    let seen = check_tree(&BENCH13, &PDF);
    assert!(seen["H2"] > 10 && seen["P"] > 500, "bench13: {seen:?}");
}

/// Every kind of block (model v2) gets its elements, and a heading that
/// would skip a level is tagged one level below the heading before it.
#[test]
fn every_block_kind_is_tagged() {
    use folio::model::FrontKind;
    let mut c = common::model_of(&[common::data("page-03.txt")]);
    let a = &mut c.articles[0];
    let p = |t: &str| Block::Paragraph { text: t.into(), lead: None, origin: None };
    let extra = vec![
        Block::Front {
            kind: FrontKind::Abstract, label: "摘要".into(), text: "本文讨论通勤圈。".into(), origin: None
        },
        Block::Heading { level: 4, text: "跳级的小节".into(), origin: None },
        p("一段正文。"),
        Block::Caption { text: "图1 通勤圈示意".into(), origin: None },
        Block::Lines { text: "第一行\n第二行\n第三行".into(), origin: None },
        Block::List { start: Some(3), items: vec!["第三条".into(), "第四条".into()], origin: None },
        Block::List { start: None, items: vec!["其一".into(), "其二".into()], origin: None },
        Block::Code { text: "fn main() {\n    println!(\"通勤\");\n}".into(), origin: None },
        Block::Heading { level: 3, text: "再一节".into(), origin: None },
    ];
    a.blocks.splice(0..0, extra);
    let options = WriteOptions::default();
    let lay = pdf::layout(&c, &options);
    let read = Read::new(Document::load_mem(&pdf::write(&c, &options).unwrap().bytes).unwrap());
    check_artifacts(&lay, &read);
    let seen = check_tree(&c, &read);
    for kind in ["Div", "H2", "H3", "Caption", "L", "Code", "P"] {
        assert!(seen.contains_key(kind), "{kind}: {seen:?}");
    }
    // The lists' numbering is an attribute of L.
    let sect = &read.root.children[3];
    let lists: Vec<String> = sect
        .children
        .iter()
        .filter(|e| e.kind == "L")
        .map(|e| {
            let d = read.doc.get_dictionary(e.id).unwrap();
            name(d.get(b"A").unwrap().as_dict().unwrap().get(b"ListNumbering").unwrap())
        })
        .collect();
    assert_eq!(lists, ["Decimal", "Disc"]);
}
