//! Advances and ink extents of one face, memoised per character, as the
//! layout asks for them.

use printpdf::ParsedFont;

use super::bounds;
use crate::layout::FontMetrics;

/// Advances from a parsed font, in em, memoised per character: the font's
/// cmap lookup is a scan (it was 28% of the PDF's time when asked for every
/// character of the text), while a compilation uses a few thousand
/// distinct characters.
pub struct Metrics<'a> {
    font: &'a ParsedFont,
    /// Glyph id (0: none) and advance of each character asked about.
    cache: std::sync::RwLock<rustc_hash::FxHashMap<char, (u16, f32)>>,
    /// The font program and face index, for glyph bounds.
    program: Option<(&'a [u8], usize)>,
    /// Ink extent (em) of each punctuation mark asked about.
    ink: std::sync::RwLock<rustc_hash::FxHashMap<char, Option<(f32, f32)>>>,
}

impl<'a> Metrics<'a> {
    pub fn new(font: &'a ParsedFont) -> Self {
        Metrics { font, cache: Default::default(), program: None, ink: Default::default() }
    }

    /// Metrics that also know where glyphs put their ink (read from `program`).
    pub fn with_program(font: &'a ParsedFont, program: &'a [u8], index: usize) -> Self {
        Metrics { program: Some((program, index)), ..Metrics::new(font) }
    }

    /// The glyph id and advance (em) of `c`; glyph 0 when the font lacks it.
    pub fn glyph(&self, c: char) -> (u16, f32) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::{SANS, SANS_BYTES, SERIF, SERIF_BYTES};

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
}
