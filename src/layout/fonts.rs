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

    /// Where the ink of `c` lies across its advance: `(left, right)` in em
    /// from the glyph's origin, when the face can tell. Only asked about
    /// punctuation marks (see [`Blank`]).
    fn ink(&self, _c: char) -> Option<(f32, f32)> {
        None
    }
}

/// Which half of its em a full-width punctuation mark leaves blank: the half
/// that punctuation adjustment (标点挤压, W3C CLREQ §3.1.6) may take out.
/// GB-style fonts set `，。、；：？！”）》` in the left half (`Right` is blank)
/// and `“（《` in the right half (`Left` is blank); it is read from the
/// glyph's ink, never assumed, so a face that centres a mark gets `None` and
/// sets it at full width.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Blank {
    #[default]
    None,
    Left,
    Right,
}

impl Blank {
    /// The blank half of a mark whose ink spans `ink` (em) of an `advance`-em
    /// advance: only full-width marks whose ink stays within one half qualify.
    pub fn of(advance: f32, ink: Option<(f32, f32)>) -> Blank {
        const EPS: f32 = 0.01;
        match ink {
            _ if (advance - 1.0).abs() > EPS => Blank::None,
            Some((left, right)) if left >= -EPS && right <= 0.5 + EPS && right > left => Blank::Right,
            Some((left, right)) if left >= 0.5 - EPS && right <= 1.0 + EPS && right > left => Blank::Left,
            _ => Blank::None,
        }
    }
}

/// Whether `c` is a punctuation mark that may have a blank half: the
/// closing and opening marks of the line-start and line-end rules. Dashes,
/// ellipses and interpuncts are among them but fail [`Blank::of`] (their ink
/// spans the middle of the em), as CLREQ wants: they are never compressed.
pub fn is_mark(c: char) -> bool {
    use super::linebreak::{NO_LINE_END, NO_LINE_START};
    // Cheap range test first: this is asked for every character set.
    matches!(c as u32, 0x2010..=0x206F | 0x3001..=0x303F | 0xFE10..=0xFE6F | 0xFF01..=0xFF65)
        && (NO_LINE_START.contains(&c) || NO_LINE_END.contains(&c))
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
    /// For a punctuation mark, the half of its em that is blank.
    pub blank: Blank,
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
            let Some(metrics) = self.get(f) else { continue };
            if let Some(adv) = metrics.advance(c) {
                let blank = if is_mark(c) { Blank::of(adv, metrics.ink(c)) } else { Blank::None };
                return Resolved { face: f, advance: adv, missing: false, blank };
            }
        }
        // Nothing has it: the writer still emits it (never drop text); it
        // will be the .notdef box, about one em wide in CJK fonts.
        Resolved { face, advance: 1.0, missing: !c.is_whitespace(), blank: Blank::None }
    }
}
