//! The fuzz targets' bodies: each drives folio's public API the way the
//! pipeline does and panics on a broken invariant. `fuzz_targets/*.rs` only
//! call these; `tests/fuzz_regressions.rs` includes this file (`#[path]`) to
//! replay the seed corpus and every minimised crash on the stable toolchain,
//! so it may depend on nothing but folio and roxmltree.

use folio::layout::paragraph::{self, Align, ParaStyle, Span};
use folio::layout::Face;
use folio::model::{Article, Block, Blurb, Compilation, Declared, Source, SCHEMA_VERSION};
use folio::read::{self, page::Page, profile::Profile};
use folio::write::{self, WriteOptions};

/// Separates page files inside one input of `read_pages` and `normalize`
/// (NUL never survives decoding, so no real page contains it).
pub const PAGE_SEPARATOR: &[u8] = b"\0--folio-page--\0";

/// Splits an input into up to 8 page files (the rest stays in the last).
fn page_files(data: &[u8]) -> Vec<&[u8]> {
    let mut files = Vec::new();
    let mut rest = data;
    while files.len() < 7 {
        match rest.windows(PAGE_SEPARATOR.len()).position(|w| w == PAGE_SEPARATOR) {
            Some(i) => {
                files.push(&rest[..i]);
                rest = &rest[i + PAGE_SEPARATOR.len()..];
            }
            None => break,
        }
    }
    files.push(rest);
    files
}

/// The site profile, built once, as the pipeline does (compiling its
/// regexes is slow).
static PROFILE: std::sync::LazyLock<Profile> = std::sync::LazyLock::new(Profile::builtin);

/// The name the `index`-th page file of an input gets.
fn page_name(index: usize) -> String {
    format!("page-{index:02}.txt")
}

/// Page text (already decoded) → page, through the reader's entry (a page
/// without article text is an error there, so it is left out here).
fn page(index: usize, text: &str) -> Option<Page> {
    read::read_text(&page_name(index), text, &PROFILE).ok()
}

/// Bytes of one or several page files → the reader's entry → pages → compilations.
pub fn read_pages(data: &[u8]) {
    let pages: Vec<Page> = page_files(data)
        .into_iter()
        .enumerate()
        .filter_map(|(i, bytes)| read::read_page(&page_name(i + 1), bytes, &PROFILE).ok())
        .collect();
    for c in read::group(pages).into_iter().map(|p| read::assemble(p, &read::lexicon::builtin())) {
        assert!(!c.source.pages.is_empty(), "a compilation has pages");
    }
}

/// Text of one or several pages → compilations → the normaliser.
pub fn normalize(data: &[u8]) {
    let pages: Vec<Page> = page_files(data)
        .into_iter()
        .enumerate()
        .filter_map(|(i, bytes)| page(i + 1, std::str::from_utf8(bytes).ok()?))
        .collect();
    for c in read::group(pages).into_iter().map(|p| read::assemble(p, &read::lexicon::builtin())) {
        let n = c.articles.len();
        let c = folio::normalize::normalize(c);
        assert_eq!(c.articles.len(), n, "the normaliser never adds or drops an article");
    }
}

/// Markdown text → folio's Markdown reader; what it reads must write again.
pub fn markdown_reader(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(c) = read::markdown::read(text, "fuzz.md") {
        write::markdown::write(&c).expect("a model read from Markdown writes as Markdown");
        write::json::write(&c).expect("a model read from Markdown writes as JSON");
    }
}

/// An article from a line-based description, so every field can hold any
/// text (control characters, markup, entities…):
/// line 1 the title, line 2 the authors (`,`-separated), line 3 the date;
/// then one block a line: `#…` a heading (level = number of `#`), `>label：text`
/// the blurb, `!lead。rest` a paragraph with a lead, `+continued`/`+truncated`
/// flags, anything else a paragraph.
pub fn article_from(text: &str) -> Article {
    let mut lines = text.split('\n');
    let title = lines.next().unwrap_or_default().to_string();
    let authors = lines.next().unwrap_or_default();
    let authors = if authors.is_empty() { vec![] } else { authors.split(',').map(String::from).collect() };
    let date = lines.next().filter(|d| !d.is_empty()).map(String::from);
    let mut a =
        Article { title, authors, date: date.clone(), date_text: date.filter(|d| d.len() != 10), ..Default::default() };
    for line in lines {
        if line == "+continued" {
            a.continued = true;
        } else if line == "+truncated" {
            a.truncated = true;
        } else if let Some(rest) = line.strip_prefix('#') {
            let text = rest.trim_start_matches('#');
            let level = (line.len() - text.len()).min(u8::MAX as usize) as u8;
            a.blocks.push(Block::Heading { level, text: text.to_string(), origin: None });
        } else if let Some(rest) = line.strip_prefix('>') {
            let (label, text) = rest.split_once('：').unwrap_or(("作者简介", rest));
            a.blurb = Some(Blurb { label: label.into(), text: text.into(), people: vec![], origin: None });
        } else if let Some(rest) = line.strip_prefix('!') {
            let lead = rest.find('。').map(|i| rest[..i + '。'.len_utf8()].to_string());
            a.blocks.push(Block::Paragraph { text: rest.to_string(), lead, origin: None });
        } else {
            a.blocks.push(Block::Paragraph { text: line.to_string(), lead: None, origin: None });
        }
    }
    a
}

fn compilation_of(title: &str, articles: Vec<Article>) -> Compilation {
    Compilation {
        schema_version: SCHEMA_VERSION,
        title: title.to_string(),
        source: Source::default(),
        declared: Declared::default(),
        metadata: Default::default(),
        articles,
        warnings: vec![],
    }
}

/// What an XML parser gives back of `s`: the characters XML 1.0 allows
/// (the EPUB leaves the others out), with `\r\n` and `\r` read as `\n`.
fn as_xml_reads_it(s: &str) -> String {
    let allowed =
        |c: &char| !matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}');
    s.chars().filter(allowed).collect::<String>().replace("\r\n", "\n").replace('\r', "\n")
}

/// One article's XHTML: well-formed XML holding every text of the article.
pub fn xhtml_article(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let article = article_from(text);
    let c = compilation_of("书名", vec![article]);
    let xhtml = write::epub::article_xhtml(&c, 0, &WriteOptions::default()).expect("the bundled template renders");
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(&xhtml, options)
        .unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{xhtml}"));
    let shown: String = doc.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect();
    // roxmltree leaves a `\r` next to an entity reference as it is.
    let shown = as_xml_reads_it(&shown);
    let a = &c.articles[0];
    let mut expected: Vec<std::borrow::Cow<str>> = vec![a.title.as_str().into()];
    expected.extend(a.authors.iter().map(|s| s.as_str().into()));
    expected.extend(a.date_text.as_deref().or(a.date.as_deref()).map(Into::into));
    expected.extend(a.blocks.iter().map(Block::text));
    if let Some(b) = &a.blurb {
        expected.extend([b.label.as_str().into(), b.text.as_str().into()]);
    }
    for s in expected {
        assert!(shown.contains(&as_xml_reads_it(&s)), "text missing from the XHTML: {s:?}\n{xhtml}");
    }
}

/// Type sizes the layout uses (body, blurb, byline, headings, title).
const SIZES: [f32; 4] = [10.5, 9.0, 12.5, 17.0];

/// A paragraph set by the PDF layout with the bundled fonts: every character
/// is set once, in order, and no line is wider than its measure unless that
/// is unavoidable: it holds at most one glyph (a glyph, or the first-line
/// indent, wider than the measure by itself). Then the same text as an
/// article's paragraph in the whole book layout, which must set it all on
/// the article's pages.
///
/// Byte 1: style (bits 0–1 alignment, 2 justify, 3 first-line indent, 4–5
/// size); byte 2: measure in ems (0 = the A5 measure); byte 3: how many
/// leading characters are a bold lead; the rest: the text.
pub fn layout_paragraph(data: &[u8]) {
    let [flags, ems, lead, ..] = *data else { return };
    let text = String::from_utf8_lossy(&data[3..]);
    let size = SIZES[(flags as usize >> 4) & 3];
    let align = [Align::Start, Align::Center, Align::End, Align::Start][flags as usize & 3];
    let style = ParaStyle {
        size,
        indent: if flags & 8 != 0 { 2.0 * size } else { 0.0 },
        justify: flags & 4 != 0,
        align,
        gray: 0.0,
    };
    let measure = if ems == 0 { 30.0 * 10.5 } else { ems as f32 * size };
    let split = text.char_indices().nth(lead as usize).map_or(text.len(), |(i, _)| i);
    let (bold, rest) = text.split_at(split);
    let spans =
        [Span { text: bold, face: Face::Sans, content: true }, Span { text: rest, face: Face::Serif, content: true }];
    let options = WriteOptions::default();
    write::pdf::with_metrics(&options, |fonts| {
        let lines = paragraph::set(&spans, &style, measure, fonts, &mut Vec::new());
        let set: String = lines.iter().flat_map(|l| l.runs.iter()).map(|r| r.text.as_str()).collect();
        assert_eq!(set, text, "every character set once, in order");
        for (i, l) in lines.iter().enumerate() {
            let line: String = l.runs.iter().map(|r| r.text.as_str()).collect();
            let glyphs = line.trim_end_matches(char::is_whitespace).chars().count();
            assert!(
                l.width <= measure + 0.01 || glyphs <= 1,
                "line {i} is {} wide, measure {measure}: {line:?}",
                l.width
            );
        }
    });

    let mut article = article_from("标题");
    let lead = (!bold.is_empty()).then(|| bold.to_string());
    article.blocks.push(Block::Paragraph { text: text.to_string(), lead, origin: None });
    let c = compilation_of("书名", vec![article]);
    let lay = write::pdf::layout(&c, &options);
    let set: String = lay.pages[lay.article_pages[0]..]
        .iter()
        .flat_map(|p| p.lines.iter().flat_map(|l| l.runs.iter()))
        .filter(|r| r.content)
        .map(|r| r.text.as_str())
        .collect();
    assert_eq!(set, format!("标题{text}"), "the book sets the paragraph once, in order");
    for (i, p) in lay.pages.iter().enumerate() {
        for l in &p.lines {
            let glyphs = l.text().trim_end_matches(char::is_whitespace).chars().count();
            assert!(
                l.width <= l.measure + 0.01 || glyphs <= 1,
                "page {i}: {} > {}: {:?}",
                l.width,
                l.measure,
                l.text()
            );
        }
    }
}
