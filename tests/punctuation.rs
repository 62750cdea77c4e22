//! Punctuation adjustment (标点挤压, W3C CLREQ §3.1.6) measured where a
//! reader sees it: glyph origins in bench13's PDF, read back with lopdf from
//! the content streams (text matrix, `Tc`, `TJ` numbers, the fonts' `/W`
//! widths and `/ToUnicode` maps), as a viewer would place them.

mod common;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use folio::write::{pdf, PageSize, WriteOptions};
use lopdf::content::Content;
use lopdf::{Document, Object};

/// Full-width marks CLREQ adjusts (not dashes, ellipses or interpuncts,
/// which keep their width).
const MARKS: &str = "，。、；：？！“”‘’（）《》【】「」『』〈〉〔〕";

/// One glyph as a viewer places it.
#[derive(Debug, Clone)]
struct Placed {
    c: char,
    x: f32,
    y: f32,
    size: f32,
    /// The character spacing (`Tc`) in force: justification, not adjustment.
    tc: f32,
}

/// A font of the page: CID → character and CID → width (thousandths).
struct Font {
    chars: BTreeMap<u16, char>,
    widths: BTreeMap<u16, f32>,
}

fn font(doc: &Document, d: &lopdf::Dictionary) -> Font {
    let to_unicode = doc.get_object(d.get(b"ToUnicode").unwrap().as_reference().unwrap()).unwrap();
    let cmap = to_unicode.as_stream().unwrap().decompressed_content().unwrap();
    let cmap = String::from_utf8(cmap).unwrap();
    let mut chars = BTreeMap::new();
    for line in cmap.lines().filter(|l| l.starts_with('<') && l.matches('<').count() == 2) {
        let parts: Vec<&str> = line.split(['<', '>', ' ']).filter(|p| !p.is_empty()).collect();
        let cid = u16::from_str_radix(parts[0], 16).unwrap();
        let units: Vec<u16> =
            (0..parts[1].len() / 4).map(|i| u16::from_str_radix(&parts[1][4 * i..4 * i + 4], 16).unwrap()).collect();
        chars.insert(cid, char::decode_utf16(units).next().unwrap().unwrap());
    }
    let descendant = d.get(b"DescendantFonts").unwrap().as_array().unwrap()[0].as_reference().unwrap();
    let descendant = doc.get_dictionary(descendant).unwrap();
    let w = descendant.get(b"W").unwrap().as_array().unwrap();
    let mut widths = BTreeMap::new();
    let mut i = 0;
    while i + 1 < w.len() {
        let first = w[i].as_i64().unwrap() as u16;
        for (k, v) in w[i + 1].as_array().unwrap().iter().enumerate() {
            widths.insert(first + k as u16, v.as_float().unwrap_or_else(|_| v.as_i64().unwrap() as f32));
        }
        i += 2;
    }
    Font { chars, widths }
}

fn number(o: &Object) -> f32 {
    o.as_float().unwrap_or_else(|_| o.as_i64().unwrap() as f32)
}

/// Every glyph of every page, in content-stream order.
fn glyphs(bytes: &[u8]) -> Vec<Vec<Placed>> {
    let doc = Document::load_mem(bytes).unwrap();
    let mut pages = Vec::new();
    for (_, id) in doc.get_pages() {
        let fonts: BTreeMap<Vec<u8>, Font> =
            doc.get_page_fonts(id).unwrap().into_iter().map(|(name, d)| (name, font(&doc, d))).collect();
        let content = Content::decode(&doc.get_page_content(id)).unwrap();
        let (mut f, mut size, mut tc, mut x, mut y) = (None, 0.0, 0.0, 0.0, 0.0);
        let mut placed = Vec::new();
        for op in &content.operations {
            let mut show = |s: &[u8], f: &Font, x: &mut f32| {
                for pair in s.chunks(2) {
                    let cid = u16::from_be_bytes([pair[0], pair[1]]);
                    placed.push(Placed { c: f.chars[&cid], x: *x, y, size, tc });
                    *x += f.widths[&cid] / 1000.0 * size + tc;
                }
            };
            match op.operator.as_str() {
                "Tf" => {
                    f = Some(op.operands[0].as_name().unwrap().to_vec());
                    size = number(&op.operands[1]);
                }
                "Tc" => tc = number(&op.operands[0]),
                "Tm" => {
                    x = number(&op.operands[4]);
                    y = number(&op.operands[5]);
                }
                "Tj" => show(op.operands[0].as_str().unwrap(), &fonts[f.as_ref().unwrap()], &mut x),
                "TJ" => {
                    for item in op.operands[0].as_array().unwrap() {
                        match item {
                            Object::String(s, _) => show(s, &fonts[f.as_ref().unwrap()], &mut x),
                            n => x -= number(n) / 1000.0 * size,
                        }
                    }
                }
                _ => {}
            }
        }
        pages.push(placed);
    }
    pages
}

static BENCH13: LazyLock<folio::model::Compilation> = LazyLock::new(|| common::model_of(&common::bench13_files()));

fn bench13_glyphs(size: PageSize) -> Vec<Vec<Placed>> {
    let out = pdf::write(&BENCH13, &WriteOptions { page_size: size, ..Default::default() }).unwrap();
    glyphs(&out.bytes)
}

static A5: LazyLock<Vec<Vec<Placed>>> = LazyLock::new(|| bench13_glyphs(PageSize::A5));
static A4: LazyLock<Vec<Vec<Placed>>> = LazyLock::new(|| bench13_glyphs(PageSize::A4));

fn median(v: &mut [f32]) -> f32 {
    v.sort_by(f32::total_cmp);
    v[v.len() / 2]
}

/// Two marks in a row take at most 1.5 em; `”，` `。”` `：“` `，“` are set
/// half an em apart (they were 1 em: 686 pairs in bench13 at 1.00 em).
#[test]
fn adjacent_marks_are_compressed_in_the_pdf() {
    for (size, pages) in [(PageSize::A5, &*A5), (PageSize::A4, &*A4)] {
        let mut advances: BTreeMap<String, Vec<f32>> = BTreeMap::new();
        let mut pairs = 0;
        for page in pages {
            for w in page.windows(3) {
                let (a, b, next) = (&w[0], &w[1], &w[2]);
                if !(MARKS.contains(a.c) && MARKS.contains(b.c)) || a.y != b.y || a.size != b.size {
                    continue;
                }
                pairs += 1;
                let em = a.size;
                let advance = (b.x - a.x) / em;
                advances.entry(format!("{}{}", a.c, b.c)).or_default().push(advance);
                // The room both take, justification included: up to what
                // follows them on the line, less the spacing of the gap
                // after the second (none when a mark follows it too).
                if next.y == b.y && next.size == b.size {
                    let after = if MARKS.contains(next.c) { 0.0 } else { b.tc };
                    let room = (next.x - a.x - after) / em;
                    assert!(room <= 1.5 + 1e-3, "{size:?}: {}{}{} take {room:.3} em", a.c, b.c, next.c);
                }
            }
        }
        assert!(pairs > 600, "{size:?}: {pairs} pairs of marks");
        for pair in ["”，", "。”", "：“", "，“"] {
            let v = advances.get_mut(pair).unwrap_or_else(|| panic!("{size:?}: no {pair} in bench13"));
            let m = median(v);
            assert!(m <= 0.55, "{size:?}: median advance of {pair} is {m:.3} em over {} pairs", v.len());
        }
    }
}

/// No mark is drawn over its neighbour: a mark gives up only its blank
/// half (for the bundled GB-style fonts, the right half of a closing mark,
/// the left half of an opening one), so the ink of two full-width characters
/// in a row never overlaps, and no two glyphs share an origin.
#[test]
fn compressed_marks_overlap_nothing() {
    const OPENING: &str = "“‘（《【「『〈〔";
    let full_width = |c: char| MARKS.contains(c) || ('\u{4e00}'..='\u{9fff}').contains(&c);
    let mut tight = 0;
    for page in A5.iter() {
        for w in page.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            if a.y != b.y || a.size != b.size || !full_width(a.c) || !full_width(b.c) {
                continue;
            }
            let em = a.size;
            let a_ink_ends = a.x + if MARKS.contains(a.c) && !OPENING.contains(a.c) { 0.5 } else { 1.0 } * em;
            let b_ink_starts = b.x + if OPENING.contains(b.c) { 0.5 } else { 0.0 } * em;
            assert!(
                b_ink_starts >= a_ink_ends - 1e-3,
                "{}{}: ink overlaps by {:.3} pt",
                a.c,
                b.c,
                a_ink_ends - b_ink_starts
            );
            // Origins stay at least half an em apart, so text extraction
            // (pdftotext sorts and joins glyphs by position) keeps the order.
            assert!(b.x - a.x >= em / 2.0 - 1e-3, "{}{}: origins {:.3} em apart", a.c, b.c, (b.x - a.x) / em);
            if b.x < a.x + em - 1e-3 {
                tight += 1;
            }
        }
    }
    assert!(tight > 600, "{tight} characters set closer than an em");
}
