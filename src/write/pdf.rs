//! PDF writer: fonts → [`crate::layout`] → printpdf pages → lopdf
//! post-processing (nested outline, /Lang, /PageLabels, Info, trailer /ID).
//!
//! printpdf and lopdf are used only here. The layout decides every position;
//! this module only converts. Output is byte-identical across runs and
//! threads: fonts get our own ids (which also make the subset tags), no
//! printpdf-generated id survives, and the trailer /ID is a content hash.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{
    Actions, BorderArray, Color, Destination, FontId, Greyscale, Line as PdfLine, LinePoint, LinkAnnotation, Op,
    ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem, TextMatrix,
};
use sha2::{Digest, Sha256};

use crate::layout::{self, Face, FontMetrics, Fonts, Layout, LayoutOptions, OutlineEntry};
use crate::model::Compilation;

use super::{FontSpec, Format, Output, PageSize, WriteError, WriteOptions};

mod bounds;
mod tags;
mod text;
mod xmp;

use text::FaceFont;

const SERIF_BYTES: &[u8] = include_bytes!("../../fonts/NotoSerifSC_400Regular.ttf");
const SANS_BYTES: &[u8] = include_bytes!("../../fonts/NotoSansSC_700Bold.ttf");
/// Symbols the CJK faces lack (`✦` …): DejaVu Sans (free licence, `fonts/DejaVu-LICENSE.txt`).
const SYMBOL_BYTES: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
static SERIF: LazyLock<ParsedFont> = LazyLock::new(|| bundled(SERIF_BYTES).expect("bundled serif font parses"));
static SANS: LazyLock<ParsedFont> = LazyLock::new(|| bundled(SANS_BYTES).expect("bundled sans font parses"));
static SYMBOL: LazyLock<ParsedFont> = LazyLock::new(|| bundled(SYMBOL_BYTES).expect("bundled symbol font parses"));

/// Parses the bundled fonts now (see [`crate::pipeline::warm_up`]).
pub fn warm_up() {
    for font in [&SERIF, &SANS, &SYMBOL] {
        LazyLock::force(font);
    }
}

/// A user's font file.
fn parse(bytes: &[u8], face: usize) -> Option<ParsedFont> {
    let mut warnings = Vec::new();
    ParsedFont::from_bytes(bytes, face, &mut warnings)
}

/// A bundled font (a TrueType file), through azul's shared constructor: it
/// keeps one copy of the bytes and loads glyph outlines only if asked for
/// them. `ParsedFont::from_bytes` copied the bytes twice and the `glyf`
/// table once more: 75 MB written for the three bundled faces, a quarter of
/// the PDF's time in copying and page faults.
fn bundled(bytes: &'static [u8]) -> Option<ParsedFont> {
    let mut warnings = Vec::new();
    let shared = std::sync::Arc::new(rust_fontconfig::FontBytes::Owned(std::sync::Arc::from(bytes)));
    printpdf::AzulParsedFont::from_bytes_shared(shared, 0, &mut warnings).map(ParsedFont::from_azul)
}

/// Advances from a parsed font, in em, memoised per character: the font's
/// cmap lookup is a scan (it was 28% of the PDF's time when asked for every
/// character of the text), while a compilation uses a few thousand
/// distinct characters.
struct Metrics<'a> {
    font: &'a ParsedFont,
    /// Glyph id (0: none) and advance of each character asked about.
    cache: std::sync::RwLock<rustc_hash::FxHashMap<char, (u16, f32)>>,
    /// The font program and face index, for glyph bounds.
    program: Option<(&'a [u8], usize)>,
    /// Ink extent (em) of each punctuation mark asked about.
    ink: std::sync::RwLock<rustc_hash::FxHashMap<char, Option<(f32, f32)>>>,
}

impl<'a> Metrics<'a> {
    fn new(font: &'a ParsedFont) -> Self {
        Metrics { font, cache: Default::default(), program: None, ink: Default::default() }
    }

    /// Metrics that also know where glyphs put their ink (read from `program`).
    fn with_program(font: &'a ParsedFont, program: &'a [u8], index: usize) -> Self {
        Metrics { program: Some((program, index)), ..Metrics::new(font) }
    }

    /// The glyph id and advance (em) of `c`; glyph 0 when the font lacks it.
    fn glyph(&self, c: char) -> (u16, f32) {
        if let Some(hit) = self.cache.read().expect("metrics cache").get(&c) {
            return *hit;
        }
        let gid = self.font.lookup_glyph_index(c as u32).unwrap_or(0);
        let advance = if gid == 0 {
            0.0
        } else {
            self.font.get_horizontal_advance(gid) as f32 / self.font.font_metrics.units_per_em as f32
        };
        self.cache.write().expect("metrics cache").insert(c, (gid, advance));
        (gid, advance)
    }
}

impl FontMetrics for Metrics<'_> {
    fn advance(&self, c: char) -> Option<f32> {
        match self.glyph(c) {
            (0, _) => None,
            (_, advance) => Some(advance),
        }
    }

    fn ink(&self, c: char) -> Option<(f32, f32)> {
        if let Some(hit) = self.ink.read().expect("ink cache").get(&c) {
            return *hit;
        }
        let (gid, _) = self.glyph(c);
        let upm = self.font.font_metrics.units_per_em as f32;
        let ink = match self.program {
            Some((program, index)) if gid != 0 && upm > 0.0 => bounds::x_extent(program, index, gid)
                .map(|(left, right)| (f32::from(left) / upm, f32::from(right) / upm)),
            _ => None,
        };
        self.ink.write().expect("ink cache").insert(c, ink);
        ink
    }
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

fn layout_options(options: &WriteOptions) -> LayoutOptions {
    let (w, h) = paper_mm(options.page_size);
    LayoutOptions::for_paper_mm(w, h)
}

/// Largest font file read: a CJK collection (`.ttc`) is tens of megabytes.
pub const MAX_FONT_BYTES: u64 = 256 * 1024 * 1024;

/// Reads and parses the user's fonts, so that a font that cannot be read or
/// parsed is a configuration error found before anything is built.
pub fn check_fonts(options: &WriteOptions) -> Result<(), String> {
    for spec in [&options.fonts.serif, &options.fonts.sans].into_iter().flatten() {
        load_user(spec).map_err(|e| e.message)?;
    }
    Ok(())
}

/// A font file read from disk (bounded), parsed.
fn load_user(spec: &FontSpec) -> Result<LoadedFont, WriteError> {
    let bytes = crate::files::read_bounded(&spec.path, MAX_FONT_BYTES)
        .map_err(|e| WriteError::new(Format::Pdf, format!("cannot read font {}: {e}", spec.path.display())))?;
    let parsed = parse(&bytes, spec.face as usize).ok_or_else(|| {
        WriteError::new(Format::Pdf, format!("cannot parse font {} (face {})", spec.path.display(), spec.face))
    })?;
    Ok(LoadedFont { bytes, index: spec.face as usize, parsed })
}

/// A font file read from disk, parsed.
struct LoadedFont {
    bytes: Vec<u8>,
    index: usize,
    parsed: ParsedFont,
}

/// Runs `f` with the metrics of the fonts the PDF would use (for tests and
/// fuzzing of the layout).
pub fn with_metrics<R>(options: &WriteOptions, f: impl FnOnce(&Fonts) -> R) -> Result<R, WriteError> {
    with_fonts(options, |_, fonts| f(fonts))
}

/// Runs `f` with the fonts in use: the user's where given, else the bundled ones.
fn with_fonts<R>(options: &WriteOptions, f: impl FnOnce(&[FaceFont<'_>], &Fonts) -> R) -> Result<R, WriteError> {
    let user_serif = options.fonts.serif.as_ref().map(load_user).transpose()?;
    let user_sans = options.fonts.sans.as_ref().map(load_user).transpose()?;
    let (serif, serif_bytes, serif_index): (&ParsedFont, &[u8], usize) = match &user_serif {
        Some(u) => (&u.parsed, &u.bytes, u.index),
        None => (&SERIF, SERIF_BYTES, 0),
    };
    let (sans, sans_bytes, sans_index): (&ParsedFont, &[u8], usize) = match &user_sans {
        Some(u) => (&u.parsed, &u.bytes, u.index),
        None => (&SANS, SANS_BYTES, 0),
    };
    let symbol: &ParsedFont = &SYMBOL;
    let (ms, mh, my) = (
        Metrics::with_program(serif, serif_bytes, serif_index),
        Metrics::with_program(sans, sans_bytes, sans_index),
        Metrics::with_program(symbol, SYMBOL_BYTES, 0),
    );
    let fonts = Fonts { serif: &ms, sans: &mh, symbol: Some(&my) };
    let faces = [
        FaceFont { face: Face::Serif, parsed: serif, program: serif_bytes, index: serif_index, metrics: &ms },
        FaceFont { face: Face::Sans, parsed: sans, program: sans_bytes, index: sans_index, metrics: &mh },
        FaceFont { face: Face::Symbol, parsed: symbol, program: SYMBOL_BYTES, index: 0, metrics: &my },
    ];
    Ok(f(&faces, &fonts))
}

/// Our font id for `face`: six capitals from a hash of the face and the
/// characters set in it. It names the resource and becomes the subset tag,
/// so it must be deterministic (printpdf's own ids come from a global counter).
fn font_id(face: Face, chars: &BTreeSet<char>) -> FontId {
    let mut h = Sha256::new();
    h.update(face.name().as_bytes());
    for c in chars {
        h.update(c.to_string().as_bytes());
    }
    let d = h.finalize();
    FontId(d.iter().take(6).map(|b| (b'A' + b % 26) as char).collect())
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
    let title = if c.title.is_empty() { super::markdown::UNTITLED } else { c.title.as_str() };
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

    let mm = |pt: f32| printpdf::Mm(pt * 25.4 / 72.0);
    let mut pages = Vec::with_capacity(lay.pages.len());
    let codes: Vec<text::Codes> =
        used.iter().map(|(f, chars)| text::Codes::new(f.face, font_id(f.face, chars).0, chars)).collect();
    if !own_text {
        for (f, chars) in &used {
            doc.resources.fonts.map.insert(font_id(f.face, chars), printpdf::PdfFont::new(f.parsed.clone()));
        }
    }
    let mut gids: std::collections::HashMap<(Face, char), u16> = std::collections::HashMap::new();
    for (p, page_marks) in lay.pages.iter().zip(&marks) {
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
            printpdf_text(p, page_marks, &codes, &used, &mut gids, &mut ops);
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
    doc.with_pages(pages);

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
        add_text_layer(&mut lo, &codes, fonts?, streams)
            .map_err(|e| WriteError::new(Format::Pdf, format!("text layer: {e}")))?;
    }
    // printpdf says 1.3; /Lang and the outline features we use are 1.4+.
    lo.version = "1.7".to_string();
    post_process(&mut lo, c, lay, options)
        .map_err(|e| WriteError::new(Format::Pdf, format!("post-processing: {e}")))?;
    tags::add_structure(&mut lo, c, lay, &plan, &marks)
        .map_err(|e| WriteError::new(Format::Pdf, format!("structure tree: {e}")))?;
    compress_streams(&mut lo);

    // Trailer /ID: a hash of the file as written with a placeholder /ID,
    // patched in place (same length, so no offset moves).
    const PLACEHOLDER: [u8; 16] = *b"folio-id-pending";
    let placeholder = Object::String(PLACEHOLDER.to_vec(), StringFormat::Hexadecimal);
    lo.trailer.set("ID", Object::Array(vec![placeholder.clone(), placeholder]));
    let mut out = Vec::new();
    lo.save_to(&mut out).map_err(|e| WriteError::new(Format::Pdf, e.to_string()))?;
    let digest = Sha256::digest(&out);
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02X}")).collect::<String>();
    let (from, to) = (format!("<{}>", hex(&PLACEHOLDER)), format!("<{}>", hex(&digest[..16])));
    let trailer_at = out.len().saturating_sub(4096);
    let found: Vec<usize> = (trailer_at..out.len().saturating_sub(from.len() - 1))
        .filter(|&i| out[i..].starts_with(from.as_bytes()))
        .collect();
    if found.len() != 2 {
        return Err(WriteError::new(Format::Pdf, "trailer /ID placeholder not found".to_string()));
    }
    for at in found {
        out[at..at + to.len()].copy_from_slice(to.as_bytes());
    }
    Ok(out)
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
        tags::Mark::Artifact(artifact) => {
            ("Artifact", artifact.properties().iter().map(|(k, v)| (k.to_string(), name(v))).collect())
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
fn add_text_layer(
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

/// Flate-compresses every stream that is not yet filtered, in parallel
/// (lopdf's `compress` runs one stream after another at zlib level 9, which
/// took a quarter of the PDF's time for a small gain in size).
fn compress_streams(lo: &mut lopdf::Document) {
    use super::deflate::{compress, Wrap};
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
fn text_string(s: &str) -> Object {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Object::String(s.as_bytes().to_vec(), StringFormat::Literal);
    }
    let mut v = vec![0xfe, 0xff];
    for u in s.encode_utf16() {
        v.extend_from_slice(&u.to_be_bytes());
    }
    Object::String(v, StringFormat::Hexadecimal)
}

/// `D:YYYYMMDDHHmmSSZ` for seconds since the epoch (UTC).
pub fn pdf_date(epoch: i64) -> String {
    let (y, mo, d, h, mi, s) = crate::lang::dates::civil_from_epoch(epoch);
    format!("D:{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z")
}

/// The document date: `SOURCE_DATE_EPOCH`, else the latest article date,
/// else the epoch — never the wall clock.
fn document_date(c: &Compilation, options: &WriteOptions) -> String {
    if let Some(e) = options.source_date_epoch {
        return pdf_date(e);
    }
    match c.latest_date().map(|d| d.replace('-', "")) {
        Some(d) if d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit()) => format!("D:{d}000000Z"),
        _ => pdf_date(0),
    }
}

fn post_process(lo: &mut lopdf::Document, c: &Compilation, lay: &Layout, options: &WriteOptions) -> lopdf::Result<()> {
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
    let date = document_date(c, options);
    let mut info = Dictionary::new();
    let title = if c.title.is_empty() { super::markdown::UNTITLED } else { c.title.as_str() };
    info.set("Title", text_string(title));
    let authors = c.creators();
    if !authors.is_empty() {
        info.set("Author", text_string(&authors.join(super::markdown::NAME_SEPARATOR)));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, Block, Declared, Source, SCHEMA_VERSION};

    /// The bundled faces are GB-style: closing marks and `：？！` inked in
    /// the left half of the em, opening marks in the right half; dashes and
    /// ellipses span the middle and are never compressed.
    #[test]
    fn punctuation_blanks_come_from_the_bundled_glyphs() {
        use crate::layout::fonts::Blank;
        for (font, bytes) in [(&*SERIF, SERIF_BYTES), (&*SANS, SANS_BYTES)] {
            let m = Metrics::with_program(font, bytes, 0);
            let blank = |c| Blank::of(m.advance(c).unwrap(), m.ink(c));
            for c in "，。、；：？！”’）》】」』〉".chars() {
                assert_eq!(blank(c), Blank::Right, "{c}");
            }
            for c in "“‘（《【「『〈".chars() {
                assert_eq!(blank(c), Blank::Left, "{c}");
            }
            for c in "…—·中".chars() {
                assert_eq!(blank(c), Blank::None, "{c}");
            }
        }
        // A face without glyph bounds (no program given) compresses nothing.
        let m = Metrics::new(&SERIF);
        assert_eq!(Blank::of(m.advance('，').unwrap(), m.ink('，')), Blank::None);
    }

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
