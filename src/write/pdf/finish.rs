//! Post-processing of printpdf's document with lopdf: what printpdf does
//! not write — the nested outline, the Info dictionary, the XMP packet,
//! `/Lang`, `/PageLabels` — and the streams compressed in parallel.

use lopdf::{Dictionary, Object, ObjectId, StringFormat};

use super::{xmp, LANG};
use crate::layout::{Layout, OutlineEntry};
use crate::model::Compilation;
use crate::write::{stamp, WriteOptions};

/// Flate-compresses every stream that is not yet filtered, in parallel
/// (lopdf's `compress` runs one stream after another at zlib level 9, which
/// took a quarter of the PDF's time for a small gain in size).
pub(super) fn compress_streams(lo: &mut lopdf::Document) {
    use crate::write::deflate::{compress, Wrap};
    use rayon::prelude::*;
    lo.objects.par_iter_mut().for_each(|(_, object)| {
        let Object::Stream(stream) = object else { return };
        // Below a few hundred bytes compression saves next to nothing.
        if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() || stream.content.len() < 256 {
            return;
        }
        let compressed = compress(&stream.content, Wrap::Zlib);
        if compressed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    });
}

/// A PDF text string: PDFDocEncoding-safe ASCII as is, else UTF-16BE with BOM.
pub(super) fn text_string(s: &str) -> Object {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Object::String(s.as_bytes().to_vec(), StringFormat::Literal);
    }
    let mut v = vec![0xfe, 0xff];
    for u in s.encode_utf16() {
        v.extend_from_slice(&u.to_be_bytes());
    }
    Object::String(v, StringFormat::Hexadecimal)
}

pub(super) fn post_process(
    lo: &mut lopdf::Document,
    c: &Compilation,
    lay: &Layout,
    options: &WriteOptions,
) -> lopdf::Result<()> {
    let page_ids: Vec<ObjectId> = lo.get_pages().into_values().collect();

    // Outline: articles → sections.
    let outlines_id = lo.new_object_id();
    let (first, last, count) = outline_level(lo, &lay.outline, outlines_id, &page_ids);
    let mut outlines = Dictionary::new();
    outlines.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(f), Some(l)) = (first, last) {
        outlines.set("First", Object::Reference(f));
        outlines.set("Last", Object::Reference(l));
        outlines.set("Count", Object::Integer(count));
    }
    lo.objects.insert(outlines_id, Object::Dictionary(outlines));

    // Info: ours only (no PDF/X keys).
    let date = stamp::document_date(c, options).pdf();
    let mut info = Dictionary::new();
    let title = c.display_title();
    info.set("Title", text_string(title));
    let authors = c.creators();
    if !authors.is_empty() {
        info.set("Author", text_string(&authors.join(crate::model::display::NAME_SEPARATOR)));
    }
    let mut subject = format!("{}篇文章", c.articles.len());
    if let Some(site) = c.publisher() {
        subject = format!("{site}，{subject}");
    }
    if let Some(r) = c.page_range() {
        subject.push_str(&format!("，原文第{r}页"));
    }
    let creator = format!("folio {}", env!("CARGO_PKG_VERSION"));
    let producer = format!("folio {} (printpdf, lopdf)", env!("CARGO_PKG_VERSION"));
    info.set("Subject", text_string(&subject));
    info.set("Creator", text_string(&creator));
    info.set("Producer", text_string(&producer));
    info.set("CreationDate", Object::String(date.clone().into_bytes(), StringFormat::Literal));
    info.set("ModDate", Object::String(date.clone().into_bytes(), StringFormat::Literal));
    let info_id = lo.add_object(Object::Dictionary(info));
    if let Ok(old) = lo.trailer.get(b"Info").and_then(Object::as_reference) {
        lo.objects.remove(&old);
    }
    lo.trailer.set("Info", Object::Reference(info_id));

    // XMP: ours (printpdf's carries random ids), with the PDF/UA identification.
    let packet = xmp::packet(&xmp::Facts {
        title,
        authors: &authors,
        subject: &subject,
        lang: LANG,
        date: &date,
        creator_tool: &creator,
        producer: &producer,
    });
    let kind = Dictionary::from_iter(vec![("Type", Object::from("Metadata")), ("Subtype", Object::from("XML"))]);
    let mut metadata = lopdf::Stream::new(kind, packet);
    // Left unfiltered, so that tools that read only XMP find it.
    metadata.allows_compression = false;
    let metadata = lo.add_object(metadata);

    // Catalog: /Lang, /PageLabels, outline, metadata.
    let front = lay.front_matter as i64;
    let mut nums =
        vec![Object::Integer(0), Object::Dictionary(Dictionary::from_iter(vec![("S", Object::Name(b"r".to_vec()))]))];
    if (lay.front_matter) < lay.pages.len() {
        nums.push(Object::Integer(front));
        nums.push(Object::Dictionary(Dictionary::from_iter(vec![("S", Object::Name(b"D".to_vec()))])));
    }
    let catalog = lo.catalog_mut()?;
    if let Ok(Object::Reference(m)) = catalog.get(b"Metadata").cloned() {
        lo.objects.remove(&m);
    }
    let catalog = lo.catalog_mut()?;
    catalog.set("Metadata", Object::Reference(metadata));
    catalog.remove(b"OutputIntents");
    catalog.set("Lang", Object::String(LANG.as_bytes().to_vec(), StringFormat::Literal));
    catalog.set("PageLabels", Object::Dictionary(Dictionary::from_iter(vec![("Nums", Object::Array(nums))])));
    catalog.set("Outlines", Object::Reference(outlines_id));
    catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    Ok(())
}

/// Writes one level of outline items under `parent`; returns (first, last, visible count).
fn outline_level(
    lo: &mut lopdf::Document,
    entries: &[OutlineEntry],
    parent: ObjectId,
    page_ids: &[ObjectId],
) -> (Option<ObjectId>, Option<ObjectId>, i64) {
    let ids: Vec<ObjectId> = entries.iter().map(|_| lo.new_object_id()).collect();
    for (i, e) in entries.iter().enumerate() {
        let mut d = Dictionary::new();
        d.set("Title", text_string(&e.title));
        d.set("Parent", Object::Reference(parent));
        if let Some(&page) = page_ids.get(e.page) {
            d.set(
                "Dest",
                Object::Array(vec![
                    Object::Reference(page),
                    Object::Name(b"XYZ".to_vec()),
                    Object::Null,
                    Object::Real(e.y),
                    Object::Null,
                ]),
            );
        }
        if i > 0 {
            d.set("Prev", Object::Reference(ids[i - 1]));
        }
        if i + 1 < ids.len() {
            d.set("Next", Object::Reference(ids[i + 1]));
        }
        if !e.children.is_empty() {
            let (f, l, n) = outline_level(lo, &e.children, ids[i], page_ids);
            d.set("First", Object::Reference(f.expect("children")));
            d.set("Last", Object::Reference(l.expect("children")));
            // Closed: sections show when the reader opens the article.
            d.set("Count", Object::Integer(-n));
        }
        lo.objects.insert(ids[i], Object::Dictionary(d));
    }
    (ids.first().copied(), ids.last().copied(), ids.len() as i64)
}
