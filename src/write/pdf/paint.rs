//! Page painting through printpdf: the pages and their link annotations,
//! and — only when a face is CFF, which [`super::text`] does not embed —
//! their rules and text as printpdf operations; then, for TrueType faces,
//! the content streams and fonts of [`super::text`] put in place of
//! printpdf's empty ones.

use std::collections::BTreeSet;

use lopdf::{Dictionary, Object, ObjectId};
use printpdf::{
    Actions, BorderArray, Color, Destination, FontId, Greyscale, Line as PdfLine, LinePoint, LinkAnnotation, Op,
    PdfFontHandle, PdfPage, Point, Pt, Rect, TextItem, TextMatrix,
};

use super::{tags, text};
use crate::fonts::FaceFont;
use crate::layout::{self, Face, Layout};

/// printpdf's pages for the layout: link annotations on every page; the
/// rules and text too when `own_text` is false.
pub(super) fn pages(
    lay: &Layout,
    marks: &[tags::Marks],
    codes: &[text::Codes],
    used: &[(&FaceFont<'_>, BTreeSet<char>)],
    own_text: bool,
) -> Vec<PdfPage> {
    let mut gids: std::collections::HashMap<(Face, char), u16> = std::collections::HashMap::new();
    let mm = |pt: f32| printpdf::Mm(pt * 25.4 / 72.0);
    let mut pages = Vec::with_capacity(lay.pages.len());
    for (p, page_marks) in lay.pages.iter().zip(marks) {
        let mut ops = Vec::new();
        if !own_text && !p.rules.is_empty() {
            ops.push(Op::BeginMarkedContent { tag: "Artifact".to_string() });
        }
        for r in p.rules.iter().filter(|_| !own_text) {
            ops.push(Op::SetOutlineColor { col: Color::Greyscale(Greyscale::new(r.gray, None)) });
            ops.push(Op::SetOutlineThickness { pt: Pt(r.thickness) });
            ops.push(Op::DrawLine {
                line: PdfLine {
                    points: vec![
                        LinePoint { p: Point { x: Pt(r.x1), y: Pt(r.y1) }, bezier: false },
                        LinePoint { p: Point { x: Pt(r.x2), y: Pt(r.y2) }, bezier: false },
                    ],
                    is_closed: false,
                },
            });
        }
        if !own_text && !p.rules.is_empty() {
            ops.push(Op::EndMarkedContent);
        }
        if !own_text {
            printpdf_text(p, page_marks, codes, used, &mut gids, &mut ops);
        }
        for a in &p.links {
            ops.push(Op::LinkAnnotation {
                link: LinkAnnotation::new(
                    Rect::from_xywh(Pt(a.x), Pt(a.y), Pt(a.width), Pt(a.height)),
                    Actions::go_to(Destination::Xyz { page: a.target + 1, left: None, top: None, zoom: None }),
                    Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                    None,
                    None,
                ),
            });
        }
        pages.push(PdfPage::new(mm(lay.width), mm(lay.height), ops));
    }
    pages
}

/// printpdf's text path, for faces the text layer does not embed (CFF fonts).
fn printpdf_text(
    p: &layout::Page,
    marks: &[tags::Sequence],
    codes: &[text::Codes],
    used: &[(&FaceFont<'_>, BTreeSet<char>)],
    gids: &mut std::collections::HashMap<(Face, char), u16>,
    ops: &mut Vec<Op>,
) {
    if p.lines.is_empty() {
        return;
    }
    ops.push(Op::StartTextSection);
    let mut font: Option<(Face, f32)> = None;
    let mut gray = None;
    let mut tc = None;
    let mut marker = tags::Marker::new(marks);
    let runs = p.lines.iter().enumerate().flat_map(|(i, l)| l.runs.iter().enumerate().map(move |(j, r)| (i, j, r)));
    for (line, run, r) in runs {
        let step = marker.step(line, run);
        if step.close {
            ops.push(Op::EndMarkedContent);
        }
        if let Some(mark) = step.open {
            ops.push(mark_op(mark));
        }
        if font != Some((r.face, r.size)) {
            let id = codes.iter().find(|c| c.face == r.face).expect("font registered for every used face");
            ops.push(Op::SetFont { font: PdfFontHandle::External(FontId(id.name.clone())), size: Pt(r.size) });
            font = Some((r.face, r.size));
        }
        if gray != Some(r.gray) {
            ops.push(Op::SetFillColor { col: Color::Greyscale(Greyscale::new(r.gray, None)) });
            gray = Some(r.gray);
        }
        if tc != Some(r.char_spacing) {
            ops.push(Op::SetCharacterSpacing { multiplier: r.char_spacing });
            tc = Some(r.char_spacing);
        }
        ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(r.x), Pt(r.y)) });
        // Glyph ids from our memo, not text: printpdf would look every
        // character up in the cmap twice more (a scan each).
        let font = used.iter().find(|(f, _)| f.face == r.face).map(|(f, _)| f.parsed);
        let mut kerns = r.kerns.iter().peekable();
        let glyphs = r
            .text
            .chars()
            .enumerate()
            .map(|(k, ch)| {
                let gid = *gids
                    .entry((r.face, ch))
                    .or_insert_with(|| font.and_then(|f| f.lookup_glyph_index(ch as u32)).unwrap_or(0));
                // A kern after this glyph, as TJ wants it: thousandths of an em, positive to the left.
                let offset = kerns.next_if(|&&(at, _)| at == k).map_or(0.0, |&(_, d)| d / r.size * 1000.0);
                printpdf::Codepoint { gid, offset, cid: Some(ch.to_string()) }
            })
            .collect();
        ops.push(Op::ShowText { items: vec![TextItem::GlyphIds(glyphs)] });
    }
    if marker.close() {
        ops.push(Op::EndMarkedContent);
    }
    ops.push(Op::EndTextSection);
}

/// The printpdf operation opening a marked-content sequence.
fn mark_op(mark: &tags::Mark) -> Op {
    use printpdf::DictItem;
    let name = |s: &str| DictItem::Name(s.as_bytes().to_vec());
    let (tag, map) = match mark {
        tags::Mark::Artifact(subtype) => {
            ("Artifact", vec![("Type".to_string(), name("Pagination")), ("Subtype".to_string(), name(subtype))])
        }
        tags::Mark::Content { mcid, kind, .. } => (*kind, vec![("MCID".to_string(), DictItem::Int(*mcid as i64))]),
    };
    Op::BeginMarkedContentWithProperties {
        tag: tag.to_string(),
        properties: DictItem::Dict { map: map.into_iter().collect() },
    }
}

/// Adds the embedded fonts to every page's resources and makes each page's
/// content our stream (printpdf's holds nothing when we set the text).
pub(super) fn add_text_layer(
    lo: &mut lopdf::Document,
    codes: &[text::Codes],
    fonts: Vec<text::Embedded>,
    streams: Vec<Vec<u8>>,
) -> lopdf::Result<()> {
    let mut font_dict = Dictionary::new();
    for (codes, font) in codes.iter().zip(fonts) {
        let id = font.add_to(lo);
        font_dict.set(codes.name.as_bytes().to_vec(), Object::Reference(id));
    }
    let font_dict = lo.add_object(font_dict);
    let page_ids: Vec<ObjectId> = lo.get_pages().into_values().collect();
    for (page_id, content) in page_ids.into_iter().zip(streams) {
        let stream = lo.add_object(lopdf::Stream::new(Dictionary::new(), content));
        let page = lo.get_object_mut(page_id)?.as_dict_mut()?;
        let resources = match page.get(b"Resources")? {
            Object::Reference(id) => *id,
            _ => {
                let inline = page.get(b"Resources")?.clone();
                let id = lo.add_object(inline);
                lo.get_object_mut(page_id)?.as_dict_mut()?.set("Resources", Object::Reference(id));
                id
            }
        };
        lo.get_object_mut(resources)?.as_dict_mut()?.set("Font", Object::Reference(font_dict));
        let page = lo.get_object_mut(page_id)?.as_dict_mut()?;
        if let Ok(Object::Reference(old)) = page.get(b"Contents").cloned() {
            lo.objects.remove(&old);
        }
        lo.get_object_mut(page_id)?.as_dict_mut()?.set("Contents", Object::Reference(stream));
    }
    Ok(())
}
