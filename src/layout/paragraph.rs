//! One paragraph: styled spans → measured characters → broken lines →
//! justified runs (space spread between characters, last line ragged).

use super::fonts::{Face, Fonts};
use super::linebreak::{break_opportunities, fill, SQUEEZABLE_AT_END};
use super::TextRun;

/// A piece of paragraph text in one face.
#[derive(Debug, Clone)]
pub struct Span<'a> {
    pub text: &'a str,
    pub face: Face,
    /// Text from the model (false for labels, markers, chrome).
    pub content: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Justified (when `justify`) or flush left.
    Start,
    Center,
    End,
}

/// How to set a paragraph.
#[derive(Debug, Clone, Copy)]
pub struct ParaStyle {
    pub size: f32,
    /// First-line indent in points.
    pub indent: f32,
    pub justify: bool,
    pub align: Align,
    /// Fill grey level (0 black … 1 white).
    pub gray: f32,
}

/// A set line: runs with x relative to the line's left edge, y = 0.
#[derive(Debug, Clone)]
pub struct SetLine {
    pub runs: Vec<TextRun>,
    /// Extent of the ink from the left edge, trailing spaces excluded.
    pub width: f32,
    /// The line begins / ends its paragraph (no break rule applies there).
    pub first: bool,
    pub last: bool,
}

struct Glyph {
    c: char,
    face: Face,
    content: bool,
    adv: f32,
}

/// Justification never spreads characters further than this (em); a line
/// that would need more (a long unbreakable word pushed down) stays ragged.
const MAX_SPREAD: f32 = 0.35;

/// Sets `spans` into lines of `measure` points. Characters no face has are
/// pushed to `missing` (and still set).
pub fn set(spans: &[Span], style: &ParaStyle, measure: f32, fonts: &Fonts, missing: &mut Vec<char>) -> Vec<SetLine> {
    let mut glyphs = Vec::new();
    for span in spans {
        for c in span.text.chars() {
            let r = fonts.resolve(span.face, c);
            if r.missing {
                missing.push(c);
            }
            glyphs.push(Glyph { c, face: r.face, content: span.content, adv: r.advance * style.size });
        }
    }
    let chars: Vec<char> = glyphs.iter().map(|g| g.c).collect();
    let widths: Vec<f32> = glyphs.iter().map(|g| g.adv).collect();
    let spaces: Vec<bool> = chars.iter().map(|c| c.is_whitespace()).collect();
    let squeeze: Vec<f32> =
        glyphs.iter().map(|g| if SQUEEZABLE_AT_END.contains(&g.c) { g.adv / 2.0 } else { 0.0 }).collect();
    let allowed = break_opportunities(&chars);
    let ranges = fill(&widths, &spaces, &squeeze, &allowed, measure - style.indent, measure);
    let n = glyphs.len();
    let mut out = Vec::with_capacity(ranges.len());
    for (li, r) in ranges.into_iter().enumerate() {
        let indent = if li == 0 { style.indent } else { 0.0 };
        let last = r.end == n;
        let mut count = r.len();
        while count > 0 && spaces[r.start + count - 1] {
            count -= 1;
        }
        let mut natural: f32 = widths[r.start..r.start + count].iter().sum();
        let avail = measure - indent;
        if count > 0 && natural > avail {
            // The line fits only with its final mark squeezed (see `fill`):
            // its blank right half may stick into the margin.
            natural -= squeeze[r.start + count - 1];
        }
        let mut tc = 0.0;
        if style.justify && !last && count > 1 {
            tc = ((avail - natural) / (count - 1) as f32).max(0.0);
            if tc > MAX_SPREAD * style.size {
                tc = 0.0;
            }
        }
        let ink = natural + tc * count.saturating_sub(1) as f32;
        let offset = match style.align {
            Align::Start => indent,
            Align::Center => indent + ((avail - ink) / 2.0).max(0.0),
            Align::End => indent + (avail - ink).max(0.0),
        };
        let mut runs: Vec<TextRun> = Vec::new();
        let mut x = offset;
        for g in &glyphs[r.clone()] {
            let same = runs.last().is_some_and(|run| run.face == g.face && run.content == g.content);
            if !same {
                runs.push(TextRun {
                    face: g.face,
                    size: style.size,
                    x,
                    y: 0.0,
                    text: String::new(),
                    char_spacing: tc,
                    gray: style.gray,
                    content: g.content,
                });
            }
            runs.last_mut().expect("pushed").text.push(g.c);
            x += g.adv + tc;
        }
        out.push(SetLine { runs, width: offset + ink, first: li == 0, last });
    }
    out
}

/// Natural width of `text` in `face` at `size` (for centring and fitting chrome).
pub fn measure(text: &str, face: Face, size: f32, fonts: &Fonts) -> f32 {
    text.chars().map(|c| fonts.resolve(face, c).advance * size).sum()
}
