//! EPUB 3 writer: one XHTML document per article (several per document in a
//! book of very many, see [`group`]), rendered from templates, behind a
//! cover (title as glyph outlines) and a title page; nested navigation
//! (articles, then their sections); metadata that depends on the content
//! only, so the same input always gives the same bytes.
//!
//! epub-builder is imported here only; allsorts only in [`fonts`]; minijinja
//! only in [`templates`]. Failures are an [`EpubError`], with the error each
//! came from.

mod accessibility;
mod container;
mod cover;
mod fonts;
mod group;
pub(crate) mod templates;
mod view;

use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use epub_builder::{EpubBuilder, EpubContent, EpubVersion, ReferenceType, TocElement, ZipLibrary};
use minijinja::context;
use sha2::{Digest, Sha256};

use crate::model::{Compilation, Warning, WarningKind};

use self::container::Entry;
pub use self::fonts::BundledFontError;
use self::templates::TemplateError;
use self::view::{ArticleView, BookView, SectionRef, LANG};
use super::{stamp, Output, WriteError, WriteOptions};
use crate::model::display::{BYLINE_SEPARATOR, NAME_SEPARATOR};

/// File names inside the EPUB (under `OEBPS/`).
const STYLESHEET: &str = "stylesheet.css";
const COVER_IMAGE: &str = "cover.svg";
const COVER_PAGE: &str = "cover.xhtml";
const TITLE_PAGE: &str = "title.xhtml";
const SERIF_FILE: &str = "folio-serif.ttf";
const SANS_FILE: &str = "folio-sans.ttf";
/// Title of the navigation document.
const TOC_NAME: &str = "目录";

/// Why an EPUB could not be written.
#[derive(Debug, thiserror::Error)]
pub enum EpubError {
    /// A template failed; the message names its file and line.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// A bundled font could not be read, subset or outlined.
    #[error(transparent)]
    Font(#[from] BundledFontError),
    /// epub-builder could not make the package.
    #[error("EPUB container: {0}")]
    Builder(#[from] epub_builder::Error),
    /// epub-builder's archive could not be read back.
    #[error("EPUB container: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("EPUB container: {0}")]
    Read(#[from] std::io::Error),
    /// epub-builder's archive is not as expected.
    #[error("EPUB container: {0}")]
    Container(String),
    /// A document epub-builder wrote is not the one expected.
    #[error("EPUB {document} document: {what}")]
    Unexpected { document: &'static str, what: &'static str },
    #[error("the EPUB's {0} exceeds what a ZIP archive without ZIP64 can hold")]
    TooLarge(&'static str),
    #[error(
        "article.xhtml: a document without <body>…</body> cannot share a document with others (a book of more \
         than 10000 articles puts several in one)"
    )]
    NoBody,
    #[error("invalid value {text:?}: {message}")]
    Value { text: String, message: String },
    #[error("no article {0}")]
    NoArticle(usize),
}

pub fn write(compilation: &Compilation, options: &WriteOptions) -> Result<Output, WriteError> {
    Ok(write_epub(compilation, options)?)
}

/// One article's XHTML document (article `index`, 0-based) as the EPUB holds
/// it: for tests and fuzzing, which check it without unpacking a book.
pub fn article_xhtml(c: &Compilation, index: usize, options: &WriteOptions) -> Result<String, WriteError> {
    let c = &xml_safe(c);
    let article = view::articles(c).into_iter().nth(index);
    let article = article.ok_or(EpubError::NoArticle(index))?;
    let ctx = context! { book => view::book(c), stylesheet => STYLESHEET, names_separator => NAME_SEPARATOR };
    let ctx = context! { article => article, byline_separator => BYLINE_SEPARATOR, ..ctx };
    let templates = templates::Templates::new(options.resources.templates.clone());
    Ok(templates.render("article.xhtml", ctx).map_err(EpubError::from)?)
}

fn write_epub(c: &Compilation, options: &WriteOptions) -> Result<Output, EpubError> {
    use rayon::prelude::*;
    let c = &xml_safe(c);
    let mut warnings = Vec::new();
    let mut book = view::book(c);
    let mut articles = view::articles(c);
    // Which articles share a document (only in books of very many); the
    // title page's contents then link to each article's anchor in it.
    let documents = group::documents(articles.len());
    for range in &documents {
        let file = articles[range.start].file.clone();
        for i in range.clone() {
            articles[i].file.clone_from(&file);
            if range.len() > 1 {
                book.contents[i].file = format!("{file}#{}", articles[i].id);
            }
        }
    }
    let templates = templates::Templates::new(options.resources.templates.clone());
    let common = context! {
        book => &book,
        stylesheet => STYLESHEET,
        names_separator => NAME_SEPARATOR,
        byline_separator => BYLINE_SEPARATOR,
        contents_name => TOC_NAME,
    };

    // 1. Side by side: the article documents (usually one per article),
    //    each compressed on the thread that rendered it; the package,
    //    navigation and small documents, through epub-builder (the
    //    articles go in empty and are put in when the container is written,
    //    as epub-builder compresses one entry after another); the cover image.
    let (pages, (package, cover)) = rayon::join(
        || -> Result<Vec<(String, Entry<'static>)>, EpubError> {
            documents
                .par_iter()
                .map(|range| {
                    let mut pages = articles[range.clone()]
                        .iter()
                        .map(|a| templates.render("article.xhtml", context! { article => a, ..common.clone() }))
                        .collect::<Result<Vec<String>, TemplateError>>()?;
                    let page = if pages.len() == 1 {
                        pages.pop().expect("one page")
                    } else {
                        group::join(&pages).ok_or(EpubError::NoBody)?
                    };
                    let entry = Entry::deflated(format!("OEBPS/{}", articles[range.start].file), page.as_bytes());
                    Ok((page, entry))
                })
                .collect()
        },
        || {
            rayon::join(
                || package(c, &articles, &documents, &templates, &common, options),
                || {
                    let (svg, missing) = cover::svg(&book)?;
                    Ok::<_, EpubError>((Entry::deflated(format!("OEBPS/{COVER_IMAGE}"), svg.as_bytes()), missing))
                },
            )
        },
    );
    let (pages, (package, title_page), (cover, cover_missing)) = (pages?, package?, cover?);
    if !cover_missing.is_empty() {
        warnings.push(missing_glyphs("cover (sans)", &cover_missing));
    }

    // 2. Fonts (optional), subset to what the documents show. The navigation
    //    document (rendered by epub-builder) shows TOC_NAME as a heading and
    //    the titles, which the article pages already hold.
    let mut entries: Vec<Entry<'static>> = Vec::with_capacity(pages.len() + 3);
    if options.embed_fonts {
        let mut serif_chars: BTreeSet<char> = std::iter::once(&title_page)
            .chain(pages.iter().map(|(page, _)| page))
            .flat_map(|page| text_chars(page))
            .collect();
        serif_chars.extend(TOC_NAME.chars());
        let mut sans_chars = sans_chars(&book, &articles);
        sans_chars.extend(TOC_NAME.chars());
        let fonts = [(SERIF_FILE, fonts::SERIF, &serif_chars, "serif"), (SANS_FILE, fonts::SANS, &sans_chars, "sans")];
        let subsets = fonts
            .par_iter()
            .map(|&(file, data, chars, name)| {
                let subset = fonts::subset_font(data, chars)?;
                Ok((Entry::deflated(format!("OEBPS/{file}"), &subset.bytes), name, subset.missing))
            })
            .collect::<Result<Vec<_>, EpubError>>()?;
        for (entry, name, missing) in subsets {
            if !missing.is_empty() {
                warnings.push(missing_glyphs(name, &missing.iter().copied().collect()));
            }
            entries.push(entry);
        }
    }
    entries.push(cover);
    entries.extend(pages.into_iter().map(|(_, entry)| entry));

    // 3. The container.
    let bytes = container::finish(&package, entries)?;
    Ok(Output { bytes, warnings })
}

/// The archive epub-builder makes: the package document, navigation, cover
/// page, title page and stylesheet; the cover image, the articles and the
/// fonts go in empty. Also returns the title page, whose characters the
/// serif font must cover.
fn package(
    c: &Compilation,
    articles: &[ArticleView],
    documents: &[std::ops::Range<usize>],
    templates: &templates::Templates,
    common: &minijinja::Value,
    options: &WriteOptions,
) -> Result<(Vec<u8>, String), EpubError> {
    let cover_page = templates.render(COVER_PAGE, context! { cover_image => COVER_IMAGE, ..common.clone() })?;
    let title_page = templates.render(TITLE_PAGE, common.clone())?;
    let fonts_ctx = options.embed_fonts.then(|| context! { serif => SERIF_FILE, sans => SANS_FILE });
    let css = templates.render("style.css", context! { fonts => fonts_ctx, ..common.clone() })?;

    let mut b = EpubBuilder::new(ZipLibrary::new()?)?;
    b.epub_version(EpubVersion::V30);
    b.set_title(c.title.as_str());
    b.set_lang(LANG);
    b.set_generator("folio");
    b.set_toc_name(TOC_NAME);
    for author in c.creators() {
        b.add_author(author);
    }
    if let Some(date) = c.latest_date() {
        if let Ok(date) = parse_value(&format!("{date}T00:00:00Z")) {
            b.set_publication_date(date);
        }
    }
    // A malformed article date must not fail the book: fall back to the epoch.
    b.set_modified_date(
        parse_value(&stamp::document_date(c, options).iso())
            .or_else(|_| parse_value(&stamp::Moment::from_epoch(0).iso()))?,
    );
    b.set_uuid(parse_value(&identifier(c))?);
    b.stylesheet(css.as_bytes())?;
    if options.embed_fonts {
        for file in [SERIF_FILE, SANS_FILE] {
            b.add_resource(file, &[][..], "font/ttf")?;
        }
    }
    b.add_cover_image(COVER_IMAGE, &[][..], "image/svg+xml")?;
    b.add_content(EpubContent::new(COVER_PAGE, cover_page.as_bytes()).reftype(ReferenceType::Cover))?;
    b.add_content(EpubContent::new(TITLE_PAGE, title_page.as_bytes()).reftype(ReferenceType::TitlePage))?;
    for (i, range) in documents.iter().enumerate() {
        let first = &articles[range.start];
        let mut content = if range.len() == 1 {
            let mut content = EpubContent::new(first.file.as_str(), &[][..]).title(first.title.as_str());
            for child in nest(&first.file, &first.sections) {
                content = content.child(child);
            }
            content
        } else {
            // A document of several articles: a navigation entry of its own
            // (第11–20篇), its articles below it, their sections below them.
            let mut content = EpubContent::new(first.file.as_str(), &[][..]).title(group::label(range));
            for a in &articles[range.clone()] {
                let mut entry = TocElement::new(format!("{}#{}", a.file, a.id), a.title.as_str());
                for child in nest(&a.file, &a.sections) {
                    entry = entry.child(child);
                }
                content = content.child(entry);
            }
            content
        };
        if i == 0 {
            content = content.reftype(ReferenceType::Text);
        }
        b.add_content(content)?;
    }
    let mut bytes = Vec::new();
    b.generate(&mut bytes)?;
    Ok((bytes, title_page))
}

/// Whether XML 1.0 allows `c` in a document: not the C0 controls other than
/// tab, LF and CR, nor U+FFFE/U+FFFF. Scraped text sometimes carries such a
/// character (it shows nothing), and one would make the document ill-formed.
fn is_xml_char(c: char) -> bool {
    !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// Whether `s` holds a character [`is_xml_char`] refuses, found without
/// decoding: a C0 control is one byte, and U+FFFE and U+FFFF are the only
/// others.
fn has_non_xml_char(s: &str) -> bool {
    s.bytes().any(|b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
        || s.contains('\u{fffe}')
        || s.contains('\u{ffff}')
}

/// The model with every character XML forbids left out of its text, so every
/// document of the EPUB is well-formed whatever the model holds.
fn xml_safe(c: &Compilation) -> Compilation {
    let mut c = c.clone();
    c.map_text(|s| {
        if has_non_xml_char(s) {
            s.retain(is_xml_char);
        }
    });
    c
}

/// Turns the flat list of section headings into a tree by level.
fn nest(file: &str, sections: &[SectionRef]) -> Vec<TocElement> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < sections.len() {
        let s = &sections[i];
        let end = sections[i + 1..].iter().position(|t| t.level <= s.level).map_or(sections.len(), |p| i + 1 + p);
        let mut element = TocElement::new(format!("{file}#{}", s.id), s.text.as_str());
        for child in nest(file, &sections[i + 1..end]) {
            element = element.child(child);
        }
        out.push(element);
        i = end;
    }
    out
}

/// Characters shown in a rendered XHTML document (outside tags; entities
/// add a few ASCII letters, which costs nothing).
fn text_chars(xhtml: &str) -> impl Iterator<Item = char> + '_ {
    let body = xhtml.find("<body").map_or(xhtml, |i| &xhtml[i..]);
    let mut in_tag = false;
    body.chars().filter(move |&ch| match ch {
        '<' => {
            in_tag = true;
            false
        }
        '>' => {
            in_tag = false;
            false
        }
        _ => !in_tag,
    })
}

/// Characters set in the sans font: titles, section headings, leads, blurb labels.
fn sans_chars(book: &BookView, articles: &[ArticleView]) -> BTreeSet<char> {
    let mut set: BTreeSet<char> = book.title.chars().collect();
    for a in articles {
        set.extend(a.title.chars());
        for block in &a.blocks {
            match block {
                view::BlockView::Heading { text, .. } => set.extend(text.chars()),
                view::BlockView::Paragraph { lead: Some(lead), .. } => set.extend(lead.chars()),
                view::BlockView::Front { label, .. } => set.extend(label.chars()),
                _ => {}
            }
        }
        if let Some(b) = &a.blurb {
            set.extend(b.label.chars());
        }
    }
    set
}

fn missing_glyphs(font: &str, chars: &BTreeSet<char>) -> Warning {
    let list: String = chars.iter().map(|c| format!("{c} (U+{:04X}) ", *c as u32)).collect();
    Warning::new(
        WarningKind::MissingGlyph,
        format!("EPUB: the bundled {font} font has no glyph for {}", list.trim_end()),
        None,
    )
}

/// Parses a value of a type epub-builder takes but does not re-export
/// (`chrono::DateTime<Utc>`, `uuid::Uuid`) from its text form.
fn parse_value<T: FromStr>(text: &str) -> Result<T, EpubError>
where
    T::Err: std::fmt::Display,
{
    text.parse().map_err(|e: T::Err| EpubError::Value { text: text.to_string(), message: e.to_string() })
}

/// A UUID derived from the SHA-256 of the model: the same content always
/// gets the same identifier from a given folio. (How `Hash` feeds strings
/// and lists to a hasher is std's, not promised across Rust releases: a
/// folio built by another toolchain may name the same book otherwise.)
fn identifier(c: &Compilation) -> String {
    // The model hashed as it is (`Hash`), not serialised to JSON first:
    // escaping and formatting every string cost more than the hashing.
    let mut hasher = ModelDigest(Sha256::new());
    c.hash(&mut hasher);
    let digest = hasher.0.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x80; // version 8: custom (RFC 9562)
    b[8] = (b[8] & 0x3f) | 0x80; // RFC variant
    let hex = stamp::hex(&b);
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// SHA-256 as a [`Hasher`]: every number written little-endian and 64 bits
/// wide, so the digest of a model does not depend on the platform's word
/// size. (A list of integers, such as the missing pages, is hashed as its
/// bytes in memory: little-endian on every platform Rust's tier 1 has.)
struct ModelDigest(Sha256);

impl Hasher for ModelDigest {
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
    fn write_u8(&mut self, n: u8) {
        self.0.update([n]);
    }
    fn write_u16(&mut self, n: u16) {
        self.write_u64(n.into());
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(n.into());
    }
    fn write_u64(&mut self, n: u64) {
        self.0.update(n.to_le_bytes());
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn write_i64(&mut self, n: i64) {
        self.0.update(n.to_le_bytes());
    }
    fn write_u128(&mut self, n: u128) {
        self.0.update(n.to_le_bytes());
    }
    fn write_i8(&mut self, n: i8) {
        self.write_i64(n.into());
    }
    fn write_i16(&mut self, n: i16) {
        self.write_i64(n.into());
    }
    fn write_i32(&mut self, n: i32) {
        self.write_i64(n.into());
    }
    fn write_isize(&mut self, n: isize) {
        self.write_i64(n as i64);
    }
    fn write_i128(&mut self, n: i128) {
        self.0.update(n.to_le_bytes());
    }
    /// Not used: the digest is read from the SHA-256 state.
    fn finish(&self) -> u64 {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_xml_refuses_are_found_without_decoding() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let text = format!("作者简介{c}教授");
            assert_eq!(has_non_xml_char(&text), !is_xml_char(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn numbers_go_into_the_model_digest_at_one_width() {
        // Numbers go in as 64-bit little-endian whatever their type, so a
        // length or an enum's discriminant hashes alike on 32-bit and
        // big-endian machines.
        let digest = |f: &dyn Fn(&mut ModelDigest)| {
            let mut d = ModelDigest(Sha256::new());
            f(&mut d);
            d.0.finalize().to_vec()
        };
        let expected = digest(&|d| d.write(&[3, 0, 0, 0, 0, 0, 0, 0]));
        assert_eq!(digest(&|d| d.write_usize(3)), expected);
        assert_eq!(digest(&|d| d.write_u32(3)), expected);
        assert_eq!(digest(&|d| d.write_isize(3)), expected);
        assert_eq!(digest(&|d| d.write_i32(3)), expected);
        assert_ne!(digest(&|d| "春天".hash(d)), digest(&|d| "春".hash(d)));
    }

    #[test]
    fn sections_nest_by_level() {
        let s = |level, id: &str| SectionRef { level, id: id.into(), text: id.into() };
        let tree = nest("a.xhtml", &[s(2, "x"), s(3, "y"), s(3, "z"), s(2, "w")]);
        assert_eq!(tree.len(), 2);
        assert_eq!(tree[0].children.len(), 2);
        assert_eq!(tree[0].children[1].url, "a.xhtml#z");
        assert_eq!(tree[1].url, "a.xhtml#w");
    }
}
