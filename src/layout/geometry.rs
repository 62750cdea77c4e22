//! The page's geometry: the paper and type sizes of a layout
//! ([`LayoutOptions`], with the reasons for each choice) and the text block,
//! margins and leading derived from them ([`Geometry`]).

/// Paper and type sizes.
#[derive(Debug, Clone, Copy)]
pub struct LayoutOptions {
    /// Page width and height in points.
    pub width: f32,
    pub height: f32,
    /// Body type size in points.
    pub body_size: f32,
    /// Line height as a multiple of the body size.
    pub line_height: f32,
    /// Body characters a line holds: the measure is this many ems.
    pub chars: f32,
}

/// The body type size the text block is designed around; other sizes
/// (titles, headings, bylines, the contents) grow with the body.
pub const BASE_BODY_SIZE: f32 = 10.5;

impl LayoutOptions {
    /// Options for a page of `width_mm` × `height_mm`.
    ///
    /// A line of Chinese body text reads best at about 30–38 characters:
    /// Chinese books set 32开 (about A5) pages at 五号 (10.5 pt) with 26–30
    /// characters a line and 16开 (about B5) pages with 34–38. So the body
    /// stays at 五号 up to B5 and grows to 小四 (12 pt) on A4, where 五号
    /// gave 43 characters a line; the measure is 76% of the width in whole
    /// characters (side margins of at least 12% each, mirrored for binding),
    /// at most 36. That gives A5 30 characters (10.5 pt, margins 20 + 17 mm),
    /// B5 36 (10.5 pt, 23 + 20 mm) and A4 36 (12 pt, 152 mm measure, margins
    /// 31 + 27 mm, close to the 156 mm text block of GB/T 9704 documents).
    /// Longer lines get a little more leading, so the eye finds the next one.
    pub fn for_paper_mm(width_mm: f32, height_mm: f32) -> Self {
        const MAX_CHARS: f32 = 36.0;
        let width = width_mm * 72.0 / 25.4;
        let body_size = if width_mm >= 200.0 { 12.0 } else { BASE_BODY_SIZE };
        let chars = ((width * 0.76) / body_size).floor().min(MAX_CHARS);
        LayoutOptions {
            width,
            height: height_mm * 72.0 / 25.4,
            body_size,
            line_height: if chars > 32.0 { 1.75 } else { 1.7 },
            chars,
        }
    }
}

/// Page geometry derived from the options.
#[derive(Debug, Clone, Copy)]
pub struct Geometry {
    pub width: f32,
    pub height: f32,
    /// Width of the text block: a whole number of body ems.
    pub measure: f32,
    /// Inner (spine-side) and outer margins.
    pub inner: f32,
    pub outer: f32,
    /// Top of the text block, from the page top.
    pub top: f32,
    pub body_height: f32,
    pub body_size: f32,
    pub leading: f32,
}

impl Geometry {
    pub fn new(o: &LayoutOptions) -> Self {
        // The measure is whole characters so justified lines sit on a grid.
        let measure = o.chars * o.body_size;
        let spare = o.width - measure;
        let inner = spare * 0.53;
        let leading = o.body_size * o.line_height;
        let top = o.height * 0.09;
        let bottom = o.height * 0.10;
        // Whole number of body lines.
        let lines = ((o.height - top - bottom) / leading).floor();
        Geometry {
            width: o.width,
            height: o.height,
            measure,
            inner,
            outer: spare - inner,
            top,
            body_height: lines * leading,
            body_size: o.body_size,
            leading,
        }
    }

    /// A type size designed for the base body size, scaled with the body.
    pub fn pt(&self, size: f32) -> f32 {
        size * self.body_size / BASE_BODY_SIZE
    }

    /// Left edge of the text block on page `index` (recto pages, even
    /// indices, have the inner margin on the left).
    pub fn left(&self, index: usize) -> f32 {
        if index % 2 == 0 {
            self.inner
        } else {
            self.outer
        }
    }
}
