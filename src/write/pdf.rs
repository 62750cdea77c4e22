//! PDF writer: [`crate::fonts`] → [`crate::layout`] → pages → post-processing.
//! This module runs the steps; each is a module of its own:
//! [`paint`] (printpdf's pages and links, printpdf's text path for CFF
//! faces), [`text`] (our content streams and CID fonts), [`tags`] (the
//! structure tree), [`finish`] (outline, Info, XMP, /Lang, /PageLabels,
//! compression), [`ids`] (font ids and the trailer /ID), [`xmp`].
//!
//! printpdf and lopdf are used only under `write/pdf`. The layout decides
//! every position; these modules only convert. Output is byte-identical
//! across runs and threads: fonts get our own ids (which also make the
//! subset tags), no printpdf-generated id survives, and the trailer /ID is a
//! content hash.

use std::collections::BTreeSet;

use printpdf::{PdfDocument, PdfSaveOptions};

use crate::fonts::{self, FaceFont};
use crate::layout::{self, Fonts, Layout, LayoutOptions};
use crate::model::Compilation;

use super::{Format, Output, PageSize, WriteError, WriteOptions};

mod finish;
mod ids;
mod paint;
mod tags;
mod text;
mod xmp;

/// The language of the text (catalogue `/Lang`, XMP).
const LANG: &str = "zh-CN";

/// Paper size in millimetres.
fn paper_mm(size: PageSize) -> (f32, f32) {
    match size {
        PageSize::A4 => (210.0, 297.0),
        PageSize::A5 => (148.0, 210.0),
        PageSize::B5 => (176.0, 250.0),
    }
}

/// Parses the bundled fonts now (see [`crate::pipeline::warm_up`]).
pub fn warm_up() {
    fonts::warm_up();
}

pub fn write(compilation: &Compilation, options: &WriteOptions) -> Result<Output, WriteError> {
    with_fonts(options, |faces, fonts| {
        let lay = layout::layout(compilation, fonts, &layout_options(options));
        let bytes = render(compilation, &lay, faces, options)?;
        Ok(Output { bytes, warnings: lay.warnings })
    })?
}

/// The layout the PDF would have (for tests and layout dumps).
pub fn layout(compilation: &Compilation, options: &WriteOptions) -> Result<Layout, WriteError> {
    with_fonts(options, |_, fonts| layout::layout(compilation, fonts, &layout_options(options)))
}

/// [`fonts::with_fonts`] with the user's fonts of `options`, its error a PDF writer's.
fn with_fonts<R>(options: &WriteOptions, f: impl FnOnce(&[FaceFont<'_>], &Fonts) -> R) -> Result<R, WriteError> {
    fonts::with_fonts(&options.fonts, f).map_err(|e| WriteError::new(Format::Pdf, e.to_string()))
}

fn layout_options(options: &WriteOptions) -> LayoutOptions {
    let (w, h) = paper_mm(options.page_size);
    LayoutOptions::for_paper_mm(w, h)
}

/// Runs `f` with the metrics of the fonts the PDF would use (for tests and
/// fuzzing of the layout).
pub fn with_metrics<R>(options: &WriteOptions, f: impl FnOnce(&Fonts) -> R) -> Result<R, WriteError> {
    with_fonts(options, |_, fonts| f(fonts))
}

/// Who sets the text: our text layer, or printpdf (for CFF fonts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextLayer {
    Own,
    Printpdf,
}

fn render(
    c: &Compilation,
    lay: &Layout,
    faces: &[FaceFont<'_>],
    options: &WriteOptions,
) -> Result<Vec<u8>, WriteError> {
    // Our own text layer for TrueType faces; printpdf's when a face is CFF.
    let layer = if faces.iter().all(|f| f.is_truetype()) { TextLayer::Own } else { TextLayer::Printpdf };
    render_with(c, lay, faces, options, layer)
}

fn render_with(
    c: &Compilation,
    lay: &Layout,
    faces: &[FaceFont<'_>],
    options: &WriteOptions,
    wanted: TextLayer,
) -> Result<Vec<u8>, WriteError> {
    let title = c.display_title();
    let mut doc = PdfDocument::new(title);

    // The faces actually used, each with the characters set in it.
    let used: Vec<(&FaceFont<'_>, BTreeSet<char>)> = faces
        .iter()
        .map(|f| {
            let chars: BTreeSet<char> = lay
                .pages
                .iter()
                .flat_map(|p| p.lines.iter().flat_map(|l| l.runs.iter()))
                .filter(|r| r.face == f.face)
                .flat_map(|r| r.text.chars())
                .collect();
            (f, chars)
        })
        .filter(|(_, chars)| !chars.is_empty())
        .collect();
    let own_text = wanted == TextLayer::Own;
    // The marked-content sequences of every page, for the content streams and the structure tree.
    let plan = tags::Plan::new(c);
    let marks: Vec<tags::Marks> = lay.pages.iter().map(|p| tags::marks(p, &plan)).collect();

    let codes: Vec<text::Codes> =
        used.iter().map(|(f, chars)| text::Codes::new(f.face, ids::font_id(f.face, chars).0, chars)).collect();
    if !own_text {
        for (f, chars) in &used {
            doc.resources.fonts.map.insert(ids::font_id(f.face, chars), printpdf::PdfFont::new(f.parsed.clone()));
        }
    }
    doc.with_pages(paint::pages(lay, &marks, &codes, &used, own_text));

    let opts = PdfSaveOptions { optimize: true, subset_fonts: true, secure: true, image_optimization: None };
    let ((mut lo, streams), fonts) = rayon::join(
        || {
            let mut warnings = Vec::new();
            let lo = doc.to_lopdf_document(&opts, &mut warnings);
            let streams = if own_text { text::content_streams(&lay.pages, &marks, &codes) } else { Vec::new() };
            (lo, streams)
        },
        || -> Result<Vec<text::Embedded>, WriteError> {
            if !own_text {
                return Ok(Vec::new());
            }
            use rayon::prelude::*;
            used.par_iter()
                .zip(codes.par_iter())
                .map(|((f, _), codes)| text::embed(f, codes).map_err(|e| WriteError::new(Format::Pdf, e)))
                .collect()
        },
    );
    if own_text {
        paint::add_text_layer(&mut lo, &codes, fonts?, streams)
            .map_err(|e| WriteError::new(Format::Pdf, format!("text layer: {e}")))?;
    }
    // printpdf says 1.3; /Lang and the outline features we use are 1.4+.
    lo.version = "1.7".to_string();
    finish::post_process(&mut lo, c, lay, options)
        .map_err(|e| WriteError::new(Format::Pdf, format!("post-processing: {e}")))?;
    tags::add_structure(&mut lo, c, lay, &plan, &marks)
        .map_err(|e| WriteError::new(Format::Pdf, format!("structure tree: {e}")))?;
    finish::compress_streams(&mut lo);

    ids::save_with_id(&mut lo).map_err(|e| WriteError::new(Format::Pdf, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, Block, Declared, Source, SCHEMA_VERSION};

    /// printpdf's text path (kept for CFF fonts, none of which is bundled)
    /// still gives a PDF with every page, its fonts embedded, and the text in
    /// its content streams.
    #[test]
    fn printpdf_text_path_still_writes_the_book() {
        let article = Article {
            title: "标题".into(),
            authors: vec!["张三".into()],
            blocks: vec![Block::Paragraph { text: "正文，第一段。✦ Latin".into(), lead: None, origin: None }],
            ..Default::default()
        };
        let c = Compilation {
            schema_version: SCHEMA_VERSION,
            title: "书名".into(),
            source: Source::default(),
            declared: Declared::default(),
            metadata: Default::default(),
            articles: vec![article],
            warnings: vec![],
        };
        let options = WriteOptions::default();
        let mut marked = Vec::new();
        for layer in [TextLayer::Own, TextLayer::Printpdf] {
            let (bytes, pages) = with_fonts(&options, |faces, fonts| {
                let lay = layout::layout(&c, fonts, &layout_options(&options));
                (render_with(&c, &lay, faces, &options, layer).unwrap(), lay.pages.len())
            })
            .unwrap();
            let doc = lopdf::Document::load_mem(&bytes).unwrap();
            assert_eq!(doc.get_pages().len(), pages, "{layer:?}");
            let fonts: Vec<_> = doc
                .objects
                .values()
                .filter_map(|o| o.as_dict().ok())
                .filter(|d| d.get(b"Subtype").and_then(|s| s.as_name()).ok() == Some(b"Type0".as_slice()))
                .collect();
            assert_eq!(fonts.len(), 3, "{layer:?}: serif, sans and symbol");
            let text = doc.extract_text(&(1..=pages as u32).collect::<Vec<_>>()).unwrap_or_default();
            let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(text.contains("正文，第一段。"), "{layer:?}: {text}");
            // Tagged alike: the same marked-content sequences on every page.
            assert!(doc.catalog().unwrap().has(b"StructTreeRoot"), "{layer:?}");
            let sequences: Vec<Vec<String>> = doc
                .get_pages()
                .into_values()
                .map(|page| {
                    let content = doc.get_and_decode_page_content(page).unwrap();
                    let ops = content.operations.iter().filter(|op| matches!(op.operator.as_str(), "BDC" | "BMC"));
                    ops.map(|op| {
                        let props = op.operands.get(1).and_then(|p| p.as_dict().ok());
                        let mut entries: Vec<String> = props
                            .iter()
                            .flat_map(|d| d.iter())
                            .map(|(k, v)| format!("{} {v:?}", String::from_utf8_lossy(k)))
                            .collect();
                        entries.sort();
                        format!("{:?} {entries:?}", op.operands[0])
                    })
                    .collect()
                })
                .collect();
            assert!(sequences.iter().flatten().any(|s| s.contains("MCID")), "{layer:?}: {sequences:?}");
            marked.push(sequences);
        }
        assert_eq!(marked[0], marked[1]);
    }
}
