//! The bundled fonts for the EPUB, through allsorts (which `src/fonts` and the PDF text layer use too):
//! glyph coverage, subsetting for `--embed-fonts` (keeps a Unicode cmap, which
//! reading systems need), and glyph outlines for the cover, so the cover
//! shows its title with no font installed.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use allsorts::binary::read::ReadScope;
use allsorts::font::MatchingPresentation;
use allsorts::font_data::{DynamicFontTableProvider, FontData};
use allsorts::outline::{OutlineBuilder, OutlineSink};
use allsorts::pathfinder_geometry::line_segment::LineSegment2F;
use allsorts::pathfinder_geometry::vector::Vector2F;
use allsorts::subset::{subset, CmapTarget, SubsetProfile};
use allsorts::tables::glyf::{GlyfVisitorContext, Glyph, LocaGlyf};
use allsorts::tables::loca::{owned, LocaTable};
use allsorts::tables::FontTableProvider;
use allsorts::{tag, Font};

/// Body text: Noto Serif SC Regular (OFL-1.1).
pub(crate) const SERIF: &[u8] = include_bytes!("../../../fonts/NotoSerifSC_400Regular.ttf");
/// Headings, leads, cover: Noto Sans SC Bold (OFL-1.1).
pub(crate) const SANS: &[u8] = include_bytes!("../../../fonts/NotoSansSC_700Bold.ttf");

/// A subset font and the characters it could not cover.
pub(crate) struct Subset {
    pub bytes: Vec<u8>,
    pub missing: Vec<char>,
}

pub use crate::fonts::ProgramError as BundledFontError;

/// Subsets `data` to the glyphs of `chars` (control and white-space
/// characters are skipped: they need no glyph).
pub(crate) fn subset_font(data: &[u8], chars: &BTreeSet<char>) -> Result<Subset, BundledFontError> {
    let scope = ReadScope::new(data);
    let file = scope.read::<FontData<'_>>()?;
    let provider = file.table_provider(0)?;
    let mut font = Font::new(provider)?;
    let mut ids = BTreeSet::new();
    ids.insert(0u16); // .notdef must come first
    let mut missing = Vec::new();
    for &ch in chars {
        if ch.is_control() || ch.is_whitespace() {
            continue;
        }
        match font.lookup_glyph_index(ch, MatchingPresentation::NotRequired, None).0 {
            0 => missing.push(ch),
            id => {
                ids.insert(id);
            }
        }
    }
    let ids: Vec<u16> = ids.into_iter().collect();
    let bytes = subset(&font.font_table_provider, &ids, &SubsetProfile::Minimal, CmapTarget::Unicode)?;
    Ok(Subset { bytes, missing })
}

/// One glyph drawn as an SVG path, in font units scaled to `size`.
pub(crate) struct ShapedLine {
    /// Width of the line at the requested size.
    pub width: f32,
    /// Per glyph: x offset from the line start and the glyph id.
    pub glyphs: Vec<(f32, u16)>,
    scale: f32,
}

/// Glyph outlines of one font, for drawing text as paths.
pub(crate) struct Outliner<'a> {
    font: Font<DynamicFontTableProvider<'a>>,
    /// The outlines of the glyphs [`Outliner::prepare`] was given; the
    /// others are empty.
    loca_glyf: LocaGlyf,
    units_per_em: f32,
    /// Glyph and advance (font units) of each character shaped so far: the
    /// title is shaped again for every line break tried.
    glyphs: std::collections::HashMap<char, (u16, u16)>,
    /// Characters with no glyph (drawn as .notdef).
    pub missing: BTreeSet<char>,
}

impl<'a> Outliner<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Result<Outliner<'a>, BundledFontError> {
        let scope = ReadScope::new(data);
        let file = scope.read::<FontData<'a>>()?;
        let provider = file.table_provider(0)?;
        let font = Font::new(provider)?;
        let units_per_em = f32::from(font.head_table.units_per_em);
        Ok(Outliner {
            font,
            loca_glyf: LocaGlyf::new(),
            units_per_em,
            glyphs: Default::default(),
            missing: BTreeSet::new(),
        })
    }

    /// Loads the outlines of `glyphs` (and of the glyphs they are composed
    /// of), and only those: copying the whole `glyf` table of a CJK font
    /// would move megabytes to draw a title.
    pub(crate) fn prepare(&mut self, glyphs: impl IntoIterator<Item = u16>) -> Result<(), BundledFontError> {
        let provider = &self.font.font_table_provider;
        let num_glyphs = self.font.maxp_table.num_glyphs;
        let loca_data = provider.read_table_data(tag::LOCA)?;
        let loca = ReadScope::new(&loca_data)
            .read_dep::<LocaTable<'_>>((num_glyphs, self.font.head_table.index_to_loc_format))?;
        let glyf = provider.read_table_data(tag::GLYF)?;
        let outline = |id: u16| -> &[u8] {
            let (Some(start), Some(end)) = (loca.offsets.get(usize::from(id)), loca.offsets.get(usize::from(id) + 1))
            else {
                return &[];
            };
            glyf.get(start as usize..end as usize).unwrap_or(&[])
        };
        let mut wanted = BTreeSet::new();
        let mut todo: Vec<u16> = glyphs.into_iter().collect();
        while let Some(id) = todo.pop() {
            if id >= num_glyphs || !wanted.insert(id) {
                continue;
            }
            let bytes = outline(id);
            if !bytes.is_empty() {
                if let Ok(Glyph::Composite(composite)) = ReadScope::new(bytes).read::<Glyph>() {
                    todo.extend(composite.glyphs.iter().map(|c| c.glyph_index));
                }
            }
        }
        let mut offsets = Vec::with_capacity(usize::from(num_glyphs) + 1);
        let mut data = Vec::new();
        // `wanted` is in glyph order: walked alongside, not looked up for
        // each of the font's tens of thousands of glyphs.
        let mut wanted = wanted.into_iter().peekable();
        for id in 0..num_glyphs {
            offsets.push(data.len() as u32);
            if wanted.next_if_eq(&id).is_some() {
                data.extend_from_slice(outline(id));
            }
        }
        offsets.push(data.len() as u32);
        self.loca_glyf = LocaGlyf::loaded(owned::LocaTable { offsets }, data.into_boxed_slice());
        Ok(())
    }

    /// Maps `text` to glyphs at `size` (no shaping: CJK needs none, and the
    /// cover only shows a title).
    pub(crate) fn shape(&mut self, text: &str, size: f32) -> ShapedLine {
        let scale = size / self.units_per_em;
        let mut x = 0.0;
        let mut glyphs = Vec::new();
        for ch in text.chars() {
            let (id, advance) = match self.glyphs.get(&ch) {
                Some(&known) => known,
                None => {
                    let id = self.font.lookup_glyph_index(ch, MatchingPresentation::NotRequired, None).0;
                    let known = (id, self.font.horizontal_advance(id).unwrap_or(0));
                    self.glyphs.insert(ch, known);
                    known
                }
            };
            if id == 0 && !ch.is_whitespace() {
                self.missing.insert(ch);
            }
            glyphs.push((x, id));
            x += f32::from(advance) * scale;
        }
        ShapedLine { width: x, glyphs, scale }
    }

    /// SVG path data of `line` with its origin (baseline start) at (x, y);
    /// its glyphs must have been given to [`Outliner::prepare`].
    pub(crate) fn path(&mut self, line: &ShapedLine, x: f32, y: f32) -> Result<String, BundledFontError> {
        let mut sink = PathSink { d: String::new(), ox: 0.0, oy: y, scale: line.scale };
        for &(dx, id) in &line.glyphs {
            sink.ox = x + dx;
            let mut ctx = GlyfVisitorContext::new(&mut self.loca_glyf, None);
            ctx.visit(id, None, &mut sink).map_err(BundledFontError::Outline)?;
        }
        Ok(sink.d)
    }
}

/// Writes outline commands as SVG path data, flipping y (fonts draw upwards).
struct PathSink {
    d: String,
    ox: f32,
    oy: f32,
    scale: f32,
}

impl PathSink {
    fn point(&mut self, p: Vector2F) {
        let x = self.ox + p.x() * self.scale;
        let y = self.oy - p.y() * self.scale;
        push_rounded(&mut self.d, x);
        self.d.push(' ');
        push_rounded(&mut self.d, y);
        self.d.push(' ');
    }
}

/// Writes `v` to one decimal, which is plenty at cover size and keeps the
/// SVG small, without a trailing `.0` (`12`, `12.5`, `-0.5`). Tenths are
/// counted as an integer: no float formatting for each of a path's points.
fn push_rounded(out: &mut String, v: f32) {
    let tenths = (v * 10.0).round() as i64;
    if tenths < 0 && tenths > -10 {
        out.push('-');
    }
    let _ = write!(out, "{}", tenths / 10);
    if tenths % 10 != 0 {
        let _ = write!(out, ".{}", (tenths % 10).abs());
    }
}

impl OutlineSink for PathSink {
    fn move_to(&mut self, to: Vector2F) {
        self.d.push('M');
        self.point(to);
    }
    fn line_to(&mut self, to: Vector2F) {
        self.d.push('L');
        self.point(to);
    }
    fn quadratic_curve_to(&mut self, ctrl: Vector2F, to: Vector2F) {
        self.d.push('Q');
        self.point(ctrl);
        self.point(to);
    }
    fn cubic_curve_to(&mut self, ctrl: LineSegment2F, to: Vector2F) {
        self.d.push('C');
        self.point(ctrl.from());
        self.point(ctrl.to());
        self.point(to);
    }
    fn close(&mut self) {
        self.d.push('Z');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The straightforward form: round to tenths, then format the float.
    fn reference(v: f32) -> String {
        let r = (v * 10.0).round() / 10.0;
        if r == r.trunc() {
            format!("{}", r as i64)
        } else {
            format!("{r:.1}")
        }
    }

    #[test]
    fn coordinates_are_written_as_the_float_formatting_would() {
        // Every hundredth across the cover and well past its edges.
        for i in -400_000..=400_000 {
            let v = i as f32 / 100.0;
            let mut out = String::new();
            push_rounded(&mut out, v);
            assert_eq!(out, reference(v), "{v}");
        }
        let mut out = String::new();
        push_rounded(&mut out, -0.04);
        assert_eq!(out, "0");
    }
}
