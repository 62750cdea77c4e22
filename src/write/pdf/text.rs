//! The PDF's page content: subset CID fonts and each page's content stream
//! (its rules and its text, as marked content for the structure tree of
//! [`super::tags`]), written straight to PDF objects.
//!
//! printpdf builds the document (page tree, link annotations); the content
//! goes around it because printpdf's text path re-parsed every glyph outline
//! of each subset font to learn widths the layout already knew, and built a
//! lopdf operation per glyph run: 40% of the instructions for bench13
//! (callgrind). Here each face is subset once by allsorts (its PDF profile:
//! no cmap, which a CID font does not use) and each page's content is
//! formatted to bytes, pages in parallel. Faces are TrueType (`glyf`): a
//! CFF font is refused when it is loaded.
//!
//! Codes are our own CIDs, one per distinct character of a face in
//! character order (0 is `.notdef`); `/CIDToGIDMap` maps them to the subset's
//! glyphs and `/ToUnicode` back to exactly that character, so text
//! extraction is exact even where two characters share a glyph or a
//! character has none.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::prince::{subset, PrinceCmapTarget};
use lopdf::{Dictionary, Object, Stream, StringFormat};
use printpdf::ParsedFont;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::tags::{self, Marks, Sequence};
use crate::fonts::{FaceFont, ProgramError};
use crate::layout::{Face, Page, Rule};

/// The codes of one face: its resource name and each character's CID.
pub(super) struct Codes {
    pub face: Face,
    /// Resource name and subset tag (six capitals).
    pub name: String,
    /// The characters set in this face, in CID order from 1.
    chars: Vec<char>,
    cids: FxHashMap<char, u16>,
}

impl Codes {
    pub fn new(face: Face, name: String, chars: &BTreeSet<char>) -> Codes {
        let chars: Vec<char> = chars.iter().copied().collect();
        let cids = chars.iter().enumerate().map(|(i, &c)| (c, (i + 1) as u16)).collect();
        Codes { face, name, chars, cids }
    }
}

/// A face's font objects, ready to add to the document.
pub(super) struct Embedded {
    /// The subset font program.
    program: Vec<u8>,
    cid_to_gid: Vec<u8>,
    to_unicode: Vec<u8>,
    widths: Vec<Object>,
    base_font: String,
    descriptor: Dictionary,
}

/// Subsets `font` to the characters of `codes` and prepares its font objects.
pub(super) fn embed(font: &FaceFont<'_>, codes: &Codes) -> Result<Embedded, ProgramError> {
    let chars = &codes.chars;
    let file = ReadScope::new(font.program).read::<FontData<'_>>()?;
    let provider = file.table_provider(font.index)?;

    // Old glyph ids in subset order (.notdef first); a glyph's new id is its index.
    let gids: Vec<u16> = chars.iter().map(|&c| font.metrics.glyph(c).0).collect();
    let mut old = gids.clone();
    old.push(0);
    old.sort_unstable();
    old.dedup();
    let new_gid: FxHashMap<u16, u16> = old.iter().enumerate().map(|(i, &g)| (g, i as u16)).collect();
    let program = subset(&provider, &old, PrinceCmapTarget::Omit, false)?;

    let mut cid_to_gid = vec![0u8, 0];
    let mut widths = Vec::with_capacity(chars.len());
    let mut to_unicode = Vec::with_capacity(chars.len());
    for (i, (&c, gid)) in chars.iter().zip(&gids).enumerate() {
        let cid = (i + 1) as u16;
        cid_to_gid.extend_from_slice(&new_gid[gid].to_be_bytes());
        // The layout's advance for this face (1 em for a missing glyph).
        let advance = match font.metrics.glyph(c) {
            (0, _) => 1.0,
            (_, advance) => advance,
        };
        widths.push(Object::Integer((advance * 1000.0).round() as i64));
        to_unicode.push((cid, c));
    }

    let base_font = font.parsed.font_name.clone().unwrap_or_else(|| font.face.name().to_string());
    let base_font: String = base_font.chars().filter(|c| c.is_ascii_graphic() && !"()<>[]{}/%#".contains(*c)).collect();
    let base_font = format!("{}+{base_font}", codes.name);
    Ok(Embedded {
        program,
        cid_to_gid,
        to_unicode: to_unicode_cmap(&to_unicode),
        widths: vec![Object::Integer(1), Object::Array(widths)],
        descriptor: descriptor(font.parsed),
        base_font,
    })
}

/// The FontDescriptor entries, in 1/1000 em, as printpdf computes them.
fn descriptor(parsed: &ParsedFont) -> Dictionary {
    let m = &parsed.pdf_font_metrics;
    let upm = m.units_per_em;
    let scale = if upm == 0 { 1.0 } else { 1000.0 / upm as f32 };
    let s = |v: f32| Object::Integer((v * scale).round() as i64);
    let ascent = parsed.font_metrics.ascent;
    let italic_angle = if m.caret_slope_rise == 0 {
        0
    } else {
        (-(m.caret_slope_run as f32).atan2(m.caret_slope_rise as f32).to_degrees()).round() as i64
    };
    const NONSYMBOLIC: i64 = 1 << 5;
    const ITALIC: i64 = 1 << 6;
    let stem_v =
        if m.us_weight_class == 0 { 80 } else { 50 + ((m.us_weight_class as f32 / 65.0).powi(2)).round() as i64 };
    Dictionary::from_iter(vec![
        ("Type", Object::Name(b"FontDescriptor".to_vec())),
        ("Flags", Object::Integer(NONSYMBOLIC | if italic_angle != 0 { ITALIC } else { 0 })),
        ("FontBBox", Object::Array(vec![s(m.x_min as f32), s(m.y_min as f32), s(m.x_max as f32), s(m.y_max as f32)])),
        ("ItalicAngle", Object::Integer(italic_angle)),
        ("Ascent", s(ascent)),
        ("Descent", s(parsed.font_metrics.descent)),
        ("CapHeight", s(parsed.font_metrics.cap_height.unwrap_or(ascent))),
        ("StemV", Object::Integer(stem_v)),
    ])
}

/// A ToUnicode CMap mapping each CID to its character (UTF-16BE).
fn to_unicode_cmap(map: &[(u16, char)]) -> Vec<u8> {
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for chunk in map.chunks(100) {
        let _ = writeln!(s, "{} beginbfchar", chunk.len());
        for &(cid, c) in chunk {
            let _ = write!(s, "<{cid:04X}> <");
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                let _ = write!(s, "{u:04X}");
            }
            s.push_str(">\n");
        }
        s.push_str("endbfchar\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s.into_bytes()
}

impl Embedded {
    /// Adds the font's objects to `doc`; returns the Type0 font dictionary's id.
    pub fn add_to(self, doc: &mut lopdf::Document) -> lopdf::ObjectId {
        let p = self;
        // `/Length1`, the font program's own length, is required for TrueType (PDF 1.7, 9.9).
        let program_dict = Dictionary::from_iter(vec![("Length1", Object::Integer(p.program.len() as i64))]);
        let program = doc.add_object(Stream::new(program_dict, p.program));
        let cid_to_gid = doc.add_object(Stream::new(Dictionary::new(), p.cid_to_gid));
        let to_unicode = doc.add_object(Stream::new(Dictionary::new(), p.to_unicode));
        let mut descriptor = p.descriptor;
        descriptor.set("FontName", Object::Name(p.base_font.clone().into_bytes()));
        descriptor.set("FontFile2", Object::Reference(program));
        let descriptor = doc.add_object(descriptor);
        let name = |s: &str| Object::Name(s.as_bytes().to_vec());
        let cid_font = Dictionary::from_iter(vec![
            ("Type", name("Font")),
            ("Subtype", name("CIDFontType2")),
            ("BaseFont", Object::Name(p.base_font.clone().into_bytes())),
            (
                "CIDSystemInfo",
                Object::Dictionary(Dictionary::from_iter(vec![
                    ("Registry", Object::String(b"Adobe".to_vec(), StringFormat::Literal)),
                    ("Ordering", Object::String(b"Identity".to_vec(), StringFormat::Literal)),
                    ("Supplement", Object::Integer(0)),
                ])),
            ),
            ("FontDescriptor", Object::Reference(descriptor)),
            ("DW", Object::Integer(1000)),
            ("W", Object::Array(p.widths)),
            ("CIDToGIDMap", Object::Reference(cid_to_gid)),
        ]);
        let cid_font = doc.add_object(cid_font);
        doc.add_object(Dictionary::from_iter(vec![
            ("Type", name("Font")),
            ("Subtype", name("Type0")),
            ("BaseFont", Object::Name(p.base_font.into_bytes())),
            ("Encoding", name("Identity-H")),
            ("DescendantFonts", Object::Array(vec![Object::Reference(cid_font)])),
            ("ToUnicode", Object::Reference(to_unicode)),
        ]))
    }
}

/// Every page's content stream (rules, then text, each in the marked
/// content of its sequence in `marks`), pages in parallel.
pub(super) fn content_streams(pages: &[Page], marks: &[Marks], fonts: &[Codes]) -> Vec<Vec<u8>> {
    pages.par_iter().zip(marks).map(|(p, m)| page_content(p, m, fonts)).collect()
}

fn page_content(page: &Page, marks: &[Sequence], fonts: &[Codes]) -> Vec<u8> {
    let mut s = String::with_capacity(page.lines.len() * 200);
    if !page.rules.is_empty() {
        s.push_str(tags::RULES_BEGIN);
    }
    let mut stroke = None;
    for &Rule { x1, y1, x2, y2, thickness, gray } in &page.rules {
        if stroke != Some((gray, thickness)) {
            let _ = writeln!(s, "{} G {} w", num(gray), num(thickness));
            stroke = Some((gray, thickness));
        }
        let _ = writeln!(s, "{} {} m {} {} l S", num(x1), num(y1), num(x2), num(y2));
    }
    if !page.rules.is_empty() {
        s.push_str(tags::END);
    }
    if page.lines.is_empty() {
        return s.into_bytes();
    }
    s.push_str("BT\n");
    let mut font: Option<(Face, f32)> = None;
    let mut gray = None;
    let mut tc = None;
    let mut marker = tags::Marker::new(marks);
    let runs = page.lines.iter().enumerate().flat_map(|(i, l)| l.runs.iter().enumerate().map(move |(j, r)| (i, j, r)));
    for (line, run, r) in runs {
        marker.run(line, run, &mut s);
        let codes = fonts.iter().find(|f| f.face == r.face).expect("a font embedded for every face used");
        if font != Some((r.face, r.size)) {
            let _ = writeln!(s, "/{} {} Tf", codes.name, num(r.size));
            font = Some((r.face, r.size));
        }
        if gray != Some(r.gray) {
            let _ = writeln!(s, "{} g", num(r.gray));
            gray = Some(r.gray);
        }
        if tc != Some(r.char_spacing) {
            let _ = writeln!(s, "{} Tc", num(r.char_spacing));
            tc = Some(r.char_spacing);
        }
        s.push_str("1 0 0 1 ");
        push_num(&mut s, r.x);
        s.push(' ');
        push_num(&mut s, r.y);
        s.push_str(" Tm\n");
        push_show(&mut s, r, codes);
    }
    marker.finish(&mut s);
    s.push_str("ET\n");
    s.into_bytes()
}

/// Shows the run's text: `<…> Tj`, or a `[<…> n <…>] TJ` array whose
/// numbers (thousandths of an em, positive to the left) are the layout's
/// kerns, where punctuation gave up blank.
fn push_show(s: &mut String, r: &crate::layout::TextRun, codes: &Codes) {
    let tj = !r.kerns.is_empty();
    s.push_str(if tj { "[<" } else { "<" });
    let mut kerns = r.kerns.iter().peekable();
    for (k, c) in r.text.chars().enumerate() {
        push_cid(s, codes.cids[&c]);
        if let Some(&(_, d)) = kerns.next_if(|&&(at, _)| at == k) {
            s.push_str("> ");
            push_num(s, d / r.size * 1000.0);
            s.push_str(" <");
        }
    }
    s.push_str(if tj { ">] TJ\n" } else { "> Tj\n" });
}

/// A number as PDF content wants it: at most three decimals, no trailing zeros.
fn num(v: f32) -> String {
    let mut s = String::with_capacity(12);
    push_num(&mut s, v);
    s
}

/// Appends `v` as [`num`] formats it (written out by hand: `format!` of
/// floats was a tenth of the text layer's time).
fn push_num(s: &mut String, v: f32) {
    let milli = (v as f64 * 1000.0).round() as i64;
    if milli < 0 {
        s.push('-');
    }
    let milli = milli.unsigned_abs();
    let _ = write!(s, "{}", milli / 1000);
    let mut frac = milli % 1000;
    if frac != 0 {
        s.push('.');
        let mut div = 100;
        while frac != 0 {
            s.push(char::from(b'0' + (frac / div) as u8));
            frac %= div;
            div /= 10;
        }
    }
}

/// Appends a CID as four upper-case hex digits.
fn push_cid(s: &mut String, cid: u16) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for shift in [12, 8, 4, 0] {
        s.push(char::from(HEX[((cid >> shift) & 0xf) as usize]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_exact_enough() {
        assert_eq!(num(10.5), "10.5");
        assert_eq!(num(0.0), "0");
        assert_eq!(num(-0.0001), "0");
        assert_eq!(num(123.45678), "123.457");
        assert_eq!(num(-2.0), "-2");
        assert_eq!(num(-2.05), "-2.05");
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(1000.001), "1000.001");
        let mut s = String::new();
        push_cid(&mut s, 0x4e2d);
        push_cid(&mut s, 7);
        assert_eq!(s, "4E2D0007");
    }

    /// The glyphs of a TrueType font program, read with allsorts.
    fn glyphs(program: &[u8]) -> allsorts::tables::glyf::LocaGlyf {
        use allsorts::tables::{loca, FontTableProvider, HeadTable, MaxpTable};
        let file = ReadScope::new(program).read::<FontData<'_>>().unwrap();
        let provider = file.table_provider(0).unwrap();
        let head = provider.read_table_data(allsorts::tag::HEAD).unwrap();
        let head = ReadScope::new(&head).read::<HeadTable>().unwrap();
        let maxp = provider.read_table_data(allsorts::tag::MAXP).unwrap();
        let maxp = ReadScope::new(&maxp).read::<MaxpTable>().unwrap();
        let loca_data = provider.read_table_data(allsorts::tag::LOCA).unwrap();
        let loca = ReadScope::new(&loca_data)
            .read_dep::<loca::LocaTable<'_>>((maxp.num_glyphs, head.index_to_loc_format))
            .unwrap();
        let glyf = provider.read_table_data(allsorts::tag::GLYF).unwrap();
        allsorts::tables::glyf::LocaGlyf::loaded(loca::owned::LocaTable::from(&loca), Box::from(&*glyf))
    }

    /// The subset keeps each character's own glyph: subset glyph
    /// `cid_to_gid[cid]` is the original glyph of that character.
    #[test]
    fn subset_glyphs_are_the_characters_own() {
        use crate::fonts::{Metrics, SERIF, SERIF_BYTES};
        let metrics = Metrics::new(&SERIF);
        let font = FaceFont { face: Face::Serif, parsed: &SERIF, program: SERIF_BYTES, index: 0, metrics: &metrics };
        let chars: BTreeSet<char> = "中文，《永》A g𠀀".chars().collect();
        let codes = Codes::new(Face::Serif, "ABCDEF".into(), &chars);
        let embedded = embed(&font, &codes).unwrap();
        let (mut before, mut after) = (glyphs(SERIF_BYTES), glyphs(&embedded.program));
        for (i, &c) in codes.chars.iter().enumerate() {
            let cid = i + 1;
            let new = u16::from_be_bytes([embedded.cid_to_gid[2 * cid], embedded.cid_to_gid[2 * cid + 1]]);
            let old = metrics.glyph(c).0;
            if c == '𠀀' {
                assert_eq!((old, new), (0, 0), "no glyph: .notdef");
                continue;
            }
            assert_ne!(new, 0, "{c}");
            let (a, b) = (before.glyph(old).unwrap(), after.glyph(new).unwrap());
            assert_eq!(format!("{a:?}"), format!("{b:?}"), "{c}: glyph {old} became {new}");
        }
        assert_eq!(embedded.cid_to_gid.len(), 2 * (chars.len() + 1));
    }

    #[test]
    fn to_unicode_maps_astral_characters_to_surrogate_pairs() {
        let cmap = String::from_utf8(to_unicode_cmap(&[(1, '中'), (2, '𠀀')])).unwrap();
        assert!(cmap.contains("<0001> <4E2D>"), "{cmap}");
        assert!(cmap.contains("<0002> <D840DC00>"), "{cmap}");
        assert!(cmap.contains("2 beginbfchar"));
    }
}
