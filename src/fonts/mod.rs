//! The fonts the book is set in: the bundled faces (parsed once a process),
//! the user's fonts (read once a run by the pipeline, parsed here), and the
//! metrics measured from them. Nothing here reads a file. Layout
//! measures with [`Metrics`] through its [`crate::layout::FontMetrics`]
//! interface; the PDF writer embeds the same faces. Neither owns them.

use std::path::PathBuf;
use std::sync::{Arc, LazyLock};

use printpdf::ParsedFont;

use crate::layout::{Face, Fonts};

mod bounds;
mod metrics;

pub use metrics::Metrics;

/// Font files named by the user (folio.toml's `fonts`); `None` uses the bundled ones.
#[derive(Debug, Clone, Default)]
pub struct FontOptions {
    pub serif: Option<FontSpec>,
    pub sans: Option<FontSpec>,
}

/// A font program that could not be read, subset or outlined (for
/// embedding it, or drawing with it): allsorts' error, with what was being done.
#[derive(Debug, thiserror::Error)]
pub enum ProgramError {
    #[error("font: {0}")]
    Parse(#[from] allsorts::error::ParseError),
    #[error("font: {0}")]
    Tables(#[from] allsorts::error::ReadWriteError),
    #[error("font subset: {0}")]
    Subset(#[from] allsorts::subset::SubsetError),
    #[error("glyph outline: {0}")]
    Outline(#[source] allsorts::error::ParseError),
}

/// A font file and the face index inside it (for `.ttc`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct FontSpec {
    pub path: PathBuf,
    #[serde(default)]
    pub face: u32,
}

/// A font file of the user's that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    #[error("cannot read font {}: {source}", path.display())]
    Read { path: PathBuf, source: crate::files::ReadError },
    #[error("cannot parse font {} (face {face})", path.display())]
    Parse { path: PathBuf, face: u32 },
    #[error(
        "font {} (face {face}) has PostScript (CFF) outlines; the PDF embeds TrueType (glyf) fonts only: \
         convert it (fontTools' otf2ttf does) or name a TrueType face",
        path.display()
    )]
    NotTrueType { path: PathBuf, face: u32 },
}

pub(crate) const SERIF_BYTES: &[u8] = include_bytes!("../../fonts/NotoSerifSC_400Regular.ttf");
const SANS_BYTES: &[u8] = include_bytes!("../../fonts/NotoSansSC_700Bold.ttf");
/// Symbols the CJK faces lack (`✦` …): DejaVu Sans (free licence, `fonts/DejaVu-LICENSE.txt`).
const SYMBOL_BYTES: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
pub(crate) static SERIF: LazyLock<ParsedFont> =
    LazyLock::new(|| bundled(SERIF_BYTES).expect("bundled serif font parses"));
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

/// Largest font file read: a CJK collection (`.ttc`) is tens of megabytes.
pub const MAX_FONT_BYTES: u64 = 256 * 1024 * 1024;

/// The user's fonts, read and parsed once per run by the pipeline
/// (`pipeline::resources`); `None` uses the bundled face.
#[derive(Debug, Clone, Default)]
pub struct UserFonts {
    pub serif: Option<Arc<UserFont>>,
    pub sans: Option<Arc<UserFont>>,
}

/// A user's font file, parsed and known to be TrueType.
pub struct UserFont {
    path: PathBuf,
    bytes: Vec<u8>,
    index: usize,
    parsed: ParsedFont,
}

impl std::fmt::Debug for UserFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserFont").field("path", &self.path).field("index", &self.index).finish_non_exhaustive()
    }
}

impl UserFont {
    /// Face `spec.face` of `bytes`, the contents of `spec.path` (which names
    /// the file in errors): parsed, and refused unless it is TrueType.
    pub fn parse(spec: &FontSpec, bytes: Vec<u8>) -> Result<UserFont, FontError> {
        let parsed = parse(&bytes, spec.face as usize)
            .ok_or_else(|| FontError::Parse { path: spec.path.clone(), face: spec.face })?;
        if !is_truetype(&bytes, spec.face as usize) {
            return Err(FontError::NotTrueType { path: spec.path.clone(), face: spec.face });
        }
        Ok(UserFont { path: spec.path.clone(), bytes, index: spec.face as usize, parsed })
    }
}

/// One face as the PDF writer needs it: the parsed font, its file, and
/// the metrics the layout measured with.
pub struct FaceFont<'a> {
    pub face: Face,
    pub parsed: &'a ParsedFont,
    /// The font file and the face index inside it.
    pub program: &'a [u8],
    pub index: usize,
    /// Glyph ids and the advances the layout measured with.
    pub metrics: &'a Metrics<'a>,
}

/// Whether face `index` of `program` has TrueType outlines (`glyf`), the
/// only kind the PDF's text layer embeds; CFF-flavoured fonts (`OTTO`) do not.
fn is_truetype(program: &[u8], index: usize) -> bool {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::tables::FontTableProvider;
    let Ok(file) = ReadScope::new(program).read::<FontData<'_>>() else { return false };
    let Ok(provider) = file.table_provider(index) else { return false };
    provider.has_table(allsorts::tag::GLYF)
}

/// Runs `f` with the fonts in use: the user's where given, else the bundled ones.
pub fn with_fonts<R>(user: &UserFonts, f: impl FnOnce(&[FaceFont<'_>], &Fonts) -> R) -> R {
    let (serif, serif_bytes, serif_index): (&ParsedFont, &[u8], usize) = match &user.serif {
        Some(u) => (&u.parsed, &u.bytes, u.index),
        None => (&SERIF, SERIF_BYTES, 0),
    };
    let (sans, sans_bytes, sans_index): (&ParsedFont, &[u8], usize) = match &user.sans {
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
    f(&faces, &fonts)
}
