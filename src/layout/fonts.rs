//! Font roles and the metrics interface the layout measures with.
//!
//! The layout never sees a font file: the writer hands it objects that
//! answer "how wide is this character" in em units, so line breaking can be
//! tested with a fake fixed-advance font.

/// Which face a run is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    /// Body text (Song style).
    Serif,
    /// Headings, lead sentences (Hei style, bold).
    Sans,
    /// Fallback for symbols the CJK faces lack (`▲ ★ ✦`).
    Symbol,
}

impl Face {
    pub fn name(self) -> &'static str {
        match self {
            Face::Serif => "serif",
            Face::Sans => "sans",
            Face::Symbol => "symbol",
        }
    }
}

/// Horizontal metrics of one face.
pub trait FontMetrics: Sync {
    /// Advance of `c` in em, or `None` when the face has no glyph for it.
    fn advance(&self, c: char) -> Option<f32>;
}

/// The faces the layout may use.
#[derive(Clone, Copy)]
pub struct Fonts<'a> {
    pub serif: &'a dyn FontMetrics,
    pub sans: &'a dyn FontMetrics,
    pub symbol: Option<&'a dyn FontMetrics>,
}

/// How a character will be set: the face that has it and its advance (em).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resolved {
    pub face: Face,
    pub advance: f32,
    /// No face has the character: it will show as the font's missing-glyph box.
    pub missing: bool,
}

impl<'a> Fonts<'a> {
    pub fn get(&self, face: Face) -> Option<&'a dyn FontMetrics> {
        match face {
            Face::Serif => Some(self.serif),
            Face::Sans => Some(self.sans),
            Face::Symbol => self.symbol,
        }
    }

    /// Picks the face for `c` wanted in `face`: that face when it has the
    /// glyph, else the symbol fallback, else the other CJK face.
    pub fn resolve(&self, face: Face, c: char) -> Resolved {
        let other = if face == Face::Sans { Face::Serif } else { Face::Sans };
        for f in [face, Face::Symbol, other] {
            if let Some(adv) = self.get(f).and_then(|m| m.advance(c)) {
                return Resolved { face: f, advance: adv, missing: false };
            }
        }
        // Nothing has it: the writer still emits it (never drop text); it
        // will be the .notdef box, about one em wide in CJK fonts.
        Resolved { face, advance: 1.0, missing: !c.is_whitespace() }
    }
}
