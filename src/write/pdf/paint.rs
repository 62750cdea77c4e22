//! The pages: printpdf builds the page tree with each page's link
//! annotations; each page's content is then the stream [`super::text`]
//! wrote (its rules and text), with the fonts it embedded. Text is painted
//! this one way: a CFF font is refused when it is loaded
//! ([`crate::fonts::FontError::NotTrueType`]).

use lopdf::{Dictionary, Object, ObjectId};
use printpdf::{Actions, BorderArray, Destination, LinkAnnotation, Op, PdfPage, Pt, Rect};

use super::text;
use crate::layout::Layout;

/// printpdf's pages for the layout, with their link annotations; their
/// content is put in by [`add_text_layer`].
pub(super) fn pages(lay: &Layout) -> Vec<PdfPage> {
    let mm = |pt: f32| printpdf::Mm(pt * 25.4 / 72.0);
    let mut pages = Vec::with_capacity(lay.pages.len());
    for p in &lay.pages {
        let mut ops = Vec::new();
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
