//! One paragraph: styled spans → measured characters → broken lines →
//! justified runs (space spread between characters, last line ragged).

use super::fonts::{Blank, Face, Fonts};
use super::linebreak::{break_opportunities, fill, Give, Items};
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
    blank: Blank,
    /// Blank this mark always gives up on its left and right (see [`adjust`]).
    cut_left: f32,
    cut_right: f32,
}

/// Justification never spreads characters further than this (em); a line
/// that would need more (a long unbreakable word pushed down) stays ragged.
const MAX_SPREAD: f32 = 0.35;

/// Punctuation adjustment (标点挤压), after W3C CLREQ §3.1.6 and GB/T
/// 15834—2011 §5.1.10, in points. Each glyph's `cut_*` is the blank a mark
/// always gives up: two marks in a row take 1.5 em, the blank half of the
/// first going, else that of the second. The [`Give`] returned per glyph is
/// the blank it can still give up at a line start or end (all of it), and
/// inside a line compressed to fit: there a pair of marks stays at 1.5 em
/// (CLREQ's principle), so two glyph origins are always at least half an em
/// apart, which keeps text extraction in order.
fn adjust(glyphs: &mut [Glyph]) -> Vec<Give> {
    let half = |g: &Glyph| g.adv / 2.0;
    let mut give: Vec<Give> = glyphs
        .iter()
        .map(|g| match g.blank {
            Blank::None => Give::default(),
            Blank::Left => Give { left: half(g), inner_left: half(g), ..Give::default() },
            Blank::Right => Give { right: half(g), inner_right: half(g), ..Give::default() },
        })
        .collect();
    for i in 1..glyphs.len() {
        if glyphs[i - 1].blank == Blank::None || glyphs[i].blank == Blank::None {
            continue;
        }
        // Half the first mark's em, from its right blank first (a closing
        // mark keeps to what it closes), then the next's left; inside a
        // line, the pair gives up nothing more.
        let want = half(&glyphs[i - 1]);
        let from_a = give[i - 1].right.min(want);
        let from_b = give[i].left.min(want - from_a);
        glyphs[i - 1].cut_right += from_a;
        give[i - 1].right -= from_a;
        give[i - 1].inner_right = 0.0;
        glyphs[i].cut_left += from_b;
        give[i].left -= from_b;
        give[i].inner_left = 0.0;
    }
    give
}

impl SetLine {
    /// Characters on the line.
    pub fn text_len(&self) -> usize {
        self.runs.iter().map(|r| r.text.chars().count()).sum()
    }
}

/// Sets `spans` into lines of `measure` points. Characters no face has are
/// pushed to `missing` (and still set).
pub fn set(spans: &[Span], style: &ParaStyle, measure: f32, fonts: &Fonts, missing: &mut Vec<char>) -> Vec<SetLine> {
    // At most one character per byte; Chinese text has one per three.
    let bytes: usize = spans.iter().map(|s| s.text.len()).sum();
    let mut glyphs = Vec::with_capacity(bytes / 3 + 1);
    let mut chars = Vec::with_capacity(bytes / 3 + 1);
    for span in spans {
        for c in span.text.chars() {
            let r = fonts.resolve(span.face, c);
            if r.missing {
                missing.push(c);
            }
            let adv = r.advance * style.size;
            glyphs.push(Glyph {
                c,
                face: r.face,
                content: span.content,
                adv,
                blank: r.blank,
                cut_left: 0.0,
                cut_right: 0.0,
            });
            chars.push(c);
        }
    }
    let give = adjust(&mut glyphs);
    let widths: Vec<f32> = glyphs.iter().map(|g| g.adv - g.cut_left - g.cut_right).collect();
    let spaces: Vec<bool> = chars.iter().map(|c| c.is_whitespace()).collect();
    let allowed = break_opportunities(&chars);
    let items = Items { width: &widths, space: &spaces, give: &give, allowed: &allowed };
    let ranges = fill(&items, measure - style.indent, measure);
    let n = glyphs.len();
    let mut out = Vec::with_capacity(ranges.len());
    for (li, r) in ranges.into_iter().enumerate() {
        let indent = if li == 0 { style.indent } else { 0.0 };
        let last = r.end == n;
        let mut count = r.len();
        while count > 0 && spaces[r.start + count - 1] {
            count -= 1;
        }
        let avail = measure - indent;
        // What each character gives up on this line: everything at the
        // line's edges, and inside it, in proportion `f`, what the line
        // needs to fit (the filler made sure there is enough).
        let (first_i, last_i) = (r.start, r.start + count.max(1) - 1);
        let mut natural: f32 = widths[r.start..r.start + count].iter().sum();
        if count > 0 {
            natural -= give[first_i].left + give[last_i].right;
        }
        // Blank a character inside the line can give (the edges have given theirs).
        let inner = |i: usize| {
            let left = if i == first_i { 0.0 } else { give[i].inner_left };
            let right = if i == last_i { 0.0 } else { give[i].inner_right };
            (left, right)
        };
        let mut f = 0.0;
        if natural > avail && count > 1 {
            let pool: f32 = (first_i..=last_i).map(|i| inner(i).0 + inner(i).1).sum();
            if pool > 0.0 {
                f = ((natural - avail) / pool).min(1.0);
                natural -= pool * f;
            }
        }
        // Justification spreads the line's slack over the gaps between its
        // characters, except between two adjusted marks in a row: what they
        // gave up stays given up (CLREQ sets adjacent marks in 1.5 em or
        // less, stretched line or not).
        let solid = |i: usize| i < last_i && glyphs[i].blank != Blank::None && glyphs[i + 1].blank != Blank::None;
        let gaps = if count > 1 { (first_i..last_i).filter(|&i| !solid(i)).count() } else { 0 };
        let mut tc = 0.0;
        if style.justify && !last && gaps > 0 && natural < avail {
            tc = ((avail - natural) / gaps as f32).max(0.0);
            if tc > MAX_SPREAD * style.size {
                tc = 0.0;
            }
        }
        let ink = natural + tc * gaps as f32;
        let offset = match style.align {
            Align::Start => indent,
            Align::Center => indent + ((avail - ink) / 2.0).max(0.0),
            Align::End => indent + (avail - ink).max(0.0),
        };
        let mut runs: Vec<TextRun> = Vec::new();
        // The pen is where the next character's slot begins; a character
        // giving up blank on its left is drawn that much before its slot.
        let mut pen = offset;
        let mut prev_after = 0.0;
        // The character spacing the previous gap did not take (a solid pair).
        let mut prev_unspread = 0.0;
        // Characters in the current run.
        let mut in_run = 0;
        for (i, g) in glyphs.iter().enumerate().take(r.end).skip(r.start) {
            let (mut before, mut after) = (g.cut_left, g.cut_right);
            if g.blank != Blank::None && count > 0 {
                if i == first_i {
                    before += give[i].left;
                }
                if i == last_i {
                    after += give[i].right;
                }
                if f > 0.0 && i <= last_i {
                    let (left, right) = inner(i);
                    before += left * f;
                    after += right * f;
                }
            }
            let x = pen - before;
            match runs.last_mut() {
                Some(run) if run.face == g.face && run.content == g.content => {
                    // Between two characters of a run: the previous one's
                    // right blank and this one's left, given up.
                    let kern = prev_after + before + prev_unspread;
                    if kern != 0.0 {
                        run.kerns.push((in_run - 1, kern));
                    }
                    run.text.push(g.c);
                    in_run += 1;
                }
                _ => {
                    in_run = 1;
                    runs.push(TextRun {
                        face: g.face,
                        size: style.size,
                        x,
                        y: 0.0,
                        text: g.c.to_string(),
                        char_spacing: tc,
                        gray: style.gray,
                        content: g.content,
                        decoration: false,
                        kerns: Vec::new(),
                    })
                }
            }
            let unspread = if solid(i) { tc } else { 0.0 };
            pen = x + g.adv - after + tc - unspread;
            prev_after = after;
            prev_unspread = unspread;
        }
        out.push(SetLine { runs, width: offset + ink, first: li == 0, last });
    }
    out
}

/// Natural width of `text` in `face` at `size` (for centring and fitting chrome).
pub fn measure(text: &str, face: Face, size: f32, fonts: &Fonts) -> f32 {
    text.chars().map(|c| fonts.resolve(face, c).advance * size).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::fonts::FontMetrics;

    /// A GB-style fixed-advance font: every character one em, `，。：”`
    /// inked in the left half, `“` in the right half.
    struct Gb;

    impl FontMetrics for Gb {
        fn advance(&self, _: char) -> Option<f32> {
            Some(1.0)
        }
        fn ink(&self, c: char) -> Option<(f32, f32)> {
            match c {
                '，' | '。' | '：' | '”' => Some((0.1, 0.4)),
                '“' => Some((0.6, 0.9)),
                _ => Some((0.05, 0.95)),
            }
        }
    }

    /// Each line's characters with their origins, in em.
    fn set_em(text: &str, ems: f32, justify: bool) -> Vec<Vec<(char, f32)>> {
        let fonts = Fonts { serif: &Gb, sans: &Gb, symbol: None };
        let style = ParaStyle { size: 10.0, indent: 0.0, justify, align: Align::Start, gray: 0.0 };
        let lines =
            set(&[Span { text, face: Face::Serif, content: true }], &style, ems * 10.0, &fonts, &mut Vec::new());
        lines
            .iter()
            .map(|l| {
                let mut out = Vec::new();
                for r in &l.runs {
                    let mut x = r.x;
                    let mut kerns = r.kerns.iter().peekable();
                    for (k, c) in r.text.chars().enumerate() {
                        out.push((c, x / 10.0));
                        x += 10.0 + r.char_spacing;
                        if let Some(&(_, d)) = kerns.next_if(|&&(at, _)| at == k) {
                            x -= d;
                        }
                    }
                }
                out
            })
            .collect()
    }

    fn advance(line: &[(char, f32)], pair: &str) -> f32 {
        let p: Vec<char> = pair.chars().collect();
        let i = line.windows(2).position(|w| w[0].0 == p[0] && w[1].0 == p[1]).expect(pair);
        line[i + 1].1 - line[i].1
    }

    #[test]
    fn two_marks_in_a_row_take_one_and_a_half_ems() {
        let l = &set_em("他说：“好。”我们走，“快”。", 30.0, false)[0];
        for pair in ["：“", "。”", "，“", "”。"] {
            assert!((advance(l, pair) - 0.5).abs() < 1e-4, "{pair}: {}", advance(l, pair));
        }
        // A mark beside a character keeps its em.
        assert!((advance(l, "”我") - 1.0).abs() < 1e-4);
        // The second mark keeps its full em: ：“好 spans 1.5 + 1 ems.
        assert!((advance(l, "“好") - 1.0).abs() < 1e-4);
        assert!((advance(l, "说：") - 1.0).abs() < 1e-4);
    }

    #[test]
    fn line_edges_drop_the_blank_halves() {
        // 12 characters on 11-em lines: the opening quote starting line 2
        // hangs its blank half before the margin, the comma ending line 1
        // gives up its right half.
        let lines = set_em("一二三四五六七八九十，“甲乙丙丁”", 10.5, true);
        assert_eq!(lines[0].last().unwrap().0, '，');
        assert_eq!(lines[1][0].0, '“');
        assert!(
            (lines[1][0].1 + 0.5).abs() < 1e-4,
            "opening quote drawn half an em before the line: {:?}",
            lines[1][0]
        );
    }

    #[test]
    fn marks_are_compressed_before_the_line_is_stretched() {
        // 6 ems of text with two commas on a 5.5-em line: it fits with the
        // commas compressed (set solid, no spacing), where stretching would
        // have pushed a character down.
        let lines = set_em("一，二，三四五六", 5.5, true);
        let first: String = lines[0].iter().map(|g| g.0).collect();
        assert_eq!(first, "一，二，三四");
        let end = lines[0].last().unwrap().1 + 1.0;
        assert!((end - 5.5).abs() < 1e-3, "the line ends at the measure: {end}");
        assert!(advance(&lines[0], "，二") > 0.0 && advance(&lines[0], "一，") == 1.0);
        assert!(advance(&lines[0], "，二") < 1.0);
    }

    #[test]
    fn a_stretched_line_keeps_its_pairs_of_marks_solid() {
        // 甲：“乙丙丁戊己庚辛 is 9.5 ems with ：“ compressed; 壬 would not fit
        // a 10.4-em line, so the line is stretched by 0.9 em, spread over
        // the eight gaps that are not between the two marks.
        let lines = set_em("甲：“乙丙丁戊己庚辛壬癸", 10.4, true);
        let first: String = lines[0].iter().map(|g| g.0).collect();
        assert_eq!(first, "甲：“乙丙丁戊己庚辛");
        assert!((advance(&lines[0], "：“") - 0.5).abs() < 1e-4, "{}", advance(&lines[0], "：“"));
        let spread = 0.9 / 8.0;
        assert!((advance(&lines[0], "甲：") - 1.0 - spread).abs() < 1e-4, "{}", advance(&lines[0], "甲："));
        assert!((advance(&lines[0], "“乙") - 1.0 - spread).abs() < 1e-4, "{}", advance(&lines[0], "“乙"));
        let end = lines[0].last().unwrap().1 + 1.0;
        assert!((end - 10.4).abs() < 1e-3, "the line ends at the measure: {end}");
    }

    #[test]
    fn a_pair_of_marks_is_never_compressed_below_one_and_a_half_ems() {
        // ：“ gives up the colon's right half; compressing the line to fit
        // 快 takes the comma's, never the quote's left half, so the quote
        // does not come to sit on the colon.
        let lines = set_em("说：“好，快", 5.0, true);
        let first: String = lines[0].iter().map(|g| g.0).collect();
        assert_eq!(first, "说：“好，快");
        assert!((advance(&lines[0], "：“") - 0.5).abs() < 1e-4, "{}", advance(&lines[0], "：“"));
        assert!((advance(&lines[0], "，快") - 0.5).abs() < 1e-4, "{}", advance(&lines[0], "，快"));
    }
}
