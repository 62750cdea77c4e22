//! The cover: an SVG whose text is glyph outlines of the bundled sans font,
//! so it renders the same everywhere, with no font installed.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::fonts::{BundledFontError, Outliner, ShapedLine, SANS};
use super::view::BookView;

const WIDTH: f32 = 1200.0;
const HEIGHT: f32 = 1800.0;
/// Widest a title line may be (leaves 100 units of margin on each side).
const MEASURE: f32 = 1000.0;
const TITLE_SIZE: f32 = 104.0;
const TITLE_LEADING: f32 = 1.35;
const FACT_SIZE: f32 = 44.0;

const BACKGROUND: &str = "#22303f";
const INK: &str = "#f4efe4";
const ACCENT: &str = "#c8a45a";

/// The cover SVG and the characters the font could not draw.
pub(crate) fn svg(book: &BookView) -> Result<(String, BTreeSet<char>), BundledFontError> {
    let mut font = Outliner::new(SANS)?;
    let lines = break_title(&mut font, &book.cover_text, TITLE_SIZE);
    // A line can only be too wide when one unbreakable run (a long Latin
    // word) is: then the whole title gets smaller.
    let widest = lines.iter().map(|l| font.shape(l, TITLE_SIZE).width).fold(0.0f32, f32::max);
    let size = if widest > MEASURE { TITLE_SIZE * MEASURE / widest } else { TITLE_SIZE };
    let block_height = size * TITLE_LEADING * lines.len() as f32;
    let title: Vec<ShapedLine> = lines.iter().map(|line| font.shape(line, size)).collect();

    let mut facts: Vec<String> = Vec::new();
    if let Some(site) = &book.site {
        facts.push(site.clone());
    }
    let mut counts = format!("共 {} 篇", book.article_count);
    if let Some(range) = &book.page_range {
        counts = format!("原文第 {range} 页 · {counts}");
    }
    facts.push(counts);
    let facts: Vec<ShapedLine> = facts
        .iter()
        .rev()
        .map(|fact| {
            let shaped = font.shape(fact, FACT_SIZE);
            let size = if shaped.width > MEASURE { FACT_SIZE * MEASURE / shaped.width } else { FACT_SIZE };
            font.shape(fact, size)
        })
        .collect();
    font.prepare(title.iter().chain(&facts).flat_map(|line| line.glyphs.iter().map(|&(_, id)| id)))?;

    // The title block sits centred on the upper-middle of the cover.
    let mut baseline = 760.0 - block_height / 2.0 + size;
    let mut title_paths = String::new();
    for shaped in &title {
        title_paths.push_str(&font.path(shaped, (WIDTH - shaped.width) / 2.0, baseline)?);
        baseline += size * TITLE_LEADING;
    }
    let rule_y = baseline - size * TITLE_LEADING + 110.0;
    let mut fact_paths = String::new();
    let mut y = 1560.0;
    for shaped in &facts {
        fact_paths.push_str(&font.path(shaped, (WIDTH - shaped.width) / 2.0, y)?);
        y -= FACT_SIZE * 1.6;
    }

    let mut out = String::new();
    let _ = write!(
        out,
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 {w} {h}\" preserveAspectRatio=\"xMidYMid meet\">\n",
            "<title>{title}</title>\n",
            "<rect width=\"{w}\" height=\"{h}\" fill=\"{bg}\"/>\n",
            "<rect x=\"60\" y=\"60\" width=\"{iw}\" height=\"{ih}\" fill=\"none\" stroke=\"{accent}\" stroke-width=\"3\"/>\n",
            "<path fill=\"{ink}\" d=\"{tp}\"/>\n",
            "<rect x=\"540\" y=\"{ry}\" width=\"120\" height=\"6\" fill=\"{accent}\"/>\n",
            "<path fill=\"{accent}\" d=\"{fp}\"/>\n",
            "</svg>\n"
        ),
        w = WIDTH,
        h = HEIGHT,
        iw = WIDTH - 120.0,
        ih = HEIGHT - 120.0,
        title = xml_escape(&book.title),
        bg = BACKGROUND,
        ink = INK,
        accent = ACCENT,
        tp = title_paths.trim_end(),
        ry = rule_y.round(),
        fp = fact_paths.trim_end(),
    );
    Ok((out, font.missing))
}

/// Breaks the title into lines no wider than [`MEASURE`], never inside a run
/// of ASCII letters and digits, and never before closing punctuation.
/// Lines are balanced: the narrowest measure that needs no more lines than
/// the full measure does.
fn break_title(font: &mut Outliner<'_>, title: &str, size: f32) -> Vec<String> {
    let tokens = tokens(title);
    let widest = fill(font, &tokens, size, MEASURE);
    let total = font.shape(title, size).width;
    let mut measure = total / widest.len() as f32;
    while measure < MEASURE {
        let lines = fill(font, &tokens, size, measure);
        if lines.len() <= widest.len() {
            return lines;
        }
        measure += size / 4.0;
    }
    widest
}

fn tokens(title: &str) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    for ch in title.chars() {
        let joins = match tokens.last() {
            Some(last) => {
                let prev = last.chars().last().unwrap_or(' ');
                (prev.is_ascii_alphanumeric() && ch.is_ascii_alphanumeric()) || "，。、；：？！）》”’…—-".contains(ch)
            }
            None => false,
        };
        if joins {
            tokens.last_mut().expect("checked").push(ch);
        } else {
            tokens.push(ch.to_string());
        }
    }
    tokens
}

/// First-fit filling of `tokens` into lines no wider than `measure`. When a
/// line is full it breaks, if it can, at a natural point within it (a change
/// between Han and Latin script, after `年`, a colon, a dash…) rather than
/// just before the token that did not fit.
fn fill(font: &mut Outliner<'_>, tokens: &[String], size: f32, measure: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for token in tokens {
        while !current.is_empty() && font.shape(&format!("{}{token}", current.concat()), size).width > measure {
            let split = (1..current.len())
                .rev()
                .find(|&k| {
                    natural_break(current[k - 1], current[k])
                        && font.shape(&current[..k].concat(), size).width >= measure * 0.3
                })
                .unwrap_or(current.len());
            lines.push(current[..split].concat());
            current.drain(..split);
        }
        current.push(token.as_str());
    }
    if !current.is_empty() {
        lines.push(current.concat());
    }
    lines
}

/// A good place to break a title line: between `before` and `after`.
fn natural_break(before: &str, after: &str) -> bool {
    let (Some(a), Some(b)) = (before.chars().last(), after.chars().next()) else {
        return false;
    };
    a.is_ascii_alphanumeric() != b.is_ascii_alphanumeric() || "年：:—-·｜| ".contains(a) || "（《“".contains(b)
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_break_at_natural_points_within_the_measure() {
        let mut font = Outliner::new(SANS).unwrap();
        assert_eq!(break_title(&mut font, "2022年前线文稿汇编-30篇", TITLE_SIZE), ["2022年", "前线文稿汇编-30篇"]);
        let long = "新时代首都发展的理论与实践：京津冀协同发展十周年回顾与展望（2014—2024）";
        let lines = break_title(&mut font, long, TITLE_SIZE);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), long);
        for line in &lines {
            assert!(font.shape(line, TITLE_SIZE).width <= MEASURE, "{line}");
        }
    }
}
