//! PDF writer: [`crate::fonts`] → [`crate::layout`] → pages → post-processing.
//! This module runs the steps; each is a module of its own:
//! `paint` (printpdf's page tree and links, our streams put in place),
//! `text` (the content streams and CID fonts), `tags` (the
//! structure tree), `finish` (outline, Info, XMP, /Lang, /PageLabels,
//! compression), `ids` (font ids and the trailer /ID), `xmp`.
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

use super::{Output, PageSize, WriteError, WriteOptions};

mod finish;
mod ids;
mod paint;
mod tags;
mod text;
mod xmp;

/// Why a PDF could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// A font to embed could not be read or subset.
    #[error(transparent)]
    Font(#[from] fonts::ProgramError),
    /// A step after printpdf's (`text layer`, `post-processing`, `structure
    /// tree`) failed in lopdf.
    #[error("{step}: {source}")]
    Document { step: &'static str, source: lopdf::Error },
    /// The document could not be serialised.
    #[error("{0}")]
    Save(std::io::Error),
    #[error("trailer /ID placeholder not found")]
    NoIdPlaceholder,
}

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
    fonts::with_fonts(&options.resources.fonts, |faces, fonts| {
        let lay = layout::layout(compilation, fonts, &layout_options(options));
        let bytes = render(compilation, &lay, faces, options)?;
        Ok(Output { bytes, warnings: lay.warnings })
    })
}

/// The layout the PDF would have (for tests and layout dumps).
pub fn layout(compilation: &Compilation, options: &WriteOptions) -> Layout {
    with_metrics(options, |fonts| layout::layout(compilation, fonts, &layout_options(options)))
}

fn layout_options(options: &WriteOptions) -> LayoutOptions {
    let (w, h) = paper_mm(options.page_size);
    LayoutOptions::for_paper_mm(w, h)
}

/// Runs `f` with the metrics of the fonts the PDF would use (for tests and
/// fuzzing of the layout).
pub fn with_metrics<R>(options: &WriteOptions, f: impl FnOnce(&Fonts) -> R) -> R {
    fonts::with_fonts(&options.resources.fonts, |_, fonts| f(fonts))
}

fn render(c: &Compilation, lay: &Layout, faces: &[FaceFont<'_>], options: &WriteOptions) -> Result<Vec<u8>, PdfError> {
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
    // The marked-content sequences of every page, for the content streams and the structure tree.
    let plan = tags::Plan::new(c);
    let marks: Vec<tags::Marks> = lay.pages.iter().map(|p| tags::marks(p, &plan)).collect();

    let codes: Vec<text::Codes> =
        used.iter().map(|(f, chars)| text::Codes::new(f.face, ids::font_id(f.face, chars).0, chars)).collect();
    doc.with_pages(paint::pages(lay));

    let opts = PdfSaveOptions { optimize: true, subset_fonts: true, secure: true, image_optimization: None };
    let ((mut lo, streams), fonts) = rayon::join(
        || {
            let mut warnings = Vec::new();
            let lo = doc.to_lopdf_document(&opts, &mut warnings);
            let streams = text::content_streams(&lay.pages, &marks, &codes);
            (lo, streams)
        },
        || -> Result<Vec<text::Embedded>, PdfError> {
            use rayon::prelude::*;
            used.par_iter().zip(codes.par_iter()).map(|((f, _), codes)| Ok(text::embed(f, codes)?)).collect()
        },
    );
    let step = |step: &'static str| move |source: lopdf::Error| PdfError::Document { step, source };
    paint::add_text_layer(&mut lo, &codes, fonts?, streams).map_err(step("text layer"))?;
    // printpdf says 1.3; /Lang and the outline features we use are 1.4+.
    lo.version = "1.7".to_string();
    finish::post_process(&mut lo, c, lay, options).map_err(step("post-processing"))?;
    tags::add_structure(&mut lo, c, lay, &plan, &marks).map_err(step("structure tree"))?;
    finish::compress_streams(&mut lo);

    ids::save_with_id(&mut lo)
}
