//! The fuzz targets on the stable toolchain: the seed corpus
//! (`fuzz/seeds/<target>/`) replayed through the targets' own bodies (the
//! fuzz crate's `src/lib.rs`, included here), and every crash the fuzzers
//! found, minimised, as a test named after what it found.

mod common;

#[path = "../fuzz/src/lib.rs"]
mod harness;

use folio::write::{self, Format, WriteOptions};

/// A fuzz target's body.
type Target = fn(&[u8]);

/// Every fuzz target: its name (the folder of its seeds) and its body.
const TARGETS: &[(&str, Target)] = &[
    ("read_pages", harness::read_pages),
    ("normalize", harness::normalize),
    ("markdown_reader", harness::markdown_reader),
    ("xhtml_article", harness::xhtml_article),
    ("layout_paragraph", harness::layout_paragraph),
];

#[test]
fn seed_corpus_replays_through_every_target() {
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    for (target, run) in TARGETS {
        let mut files: Vec<_> = std::fs::read_dir(seeds.join(target)).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        assert!(!files.is_empty(), "no seeds for {target}");
        for f in files {
            let bytes = std::fs::read(&f).unwrap();
            if std::panic::catch_unwind(|| run(&bytes)).is_err() {
                panic!("{target}: seed {} panics", f.display());
            }
        }
    }
}

/// Found by `xhtml_article` (minimised to a title of one NUL): a C0 control
/// character in the text went into the XHTML as it was, which XML forbids,
/// so the document was not well-formed. Scraped pages do carry such bytes.
#[test]
fn control_character_in_text_keeps_the_xhtml_well_formed() {
    harness::xhtml_article(b"\0");
    harness::xhtml_article("标题\u{1d}\n王一\u{7}\n\n#节\u{b}\n!首句。\u{c}其余\u{fffe}\n>作者简介：\u{1f}".as_bytes());

    // The same through the whole pipeline: a real page with a stray control
    // character in a paragraph gives an EPUB whose every document parses.
    let page = std::fs::read_to_string(common::data("page-03.txt")).unwrap();
    let at = page.find("随着京津冀").unwrap();
    let dir = common::tempdir();
    let path = dir.path().join("page-03.txt");
    std::fs::write(&path, format!("{}\u{1d}{}", &page[..at], &page[at..])).unwrap();
    let c = common::model_of(&[path]);
    let epub = write::write(Format::Epub, &c, &WriteOptions::default()).unwrap().bytes;
    for (name, data, _) in common::zip_entries(&epub) {
        if name.ends_with(".xhtml") || name.ends_with(".opf") || name.ends_with(".ncx") {
            let xml = String::from_utf8(data).unwrap();
            let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
            let doc = roxmltree::Document::parse_with_options(&xml, options);
            assert!(doc.is_ok(), "{}: {:?}", name, doc.err());
        }
    }
}

/// Found by `markdown_reader` (minimised below): a paragraph that is all bold
/// reads back as a paragraph whose lead is its whole text, and the Markdown
/// writer then emitted an empty text after the bold, which
/// pulldown-cmark-to-cmark refuses ("Cannot preserve this event block"): the
/// book failed to write. Empty names did the same through an empty byline.
#[test]
fn paragraph_that_is_all_lead_writes_as_markdown() {
    let md =
        "---\ntitle: 2\nauthors:\n- 张\nschema_version: 1\nsource:\n site:\ndeclared:\n char_count: \n---\n#\n**介**";
    harness::markdown_reader(md.as_bytes());

    let c = folio::read::markdown::read(md, "fuzz.md").unwrap();
    let written = folio::write::markdown::write(&c).unwrap();
    let back = folio::read::markdown::read(std::str::from_utf8(&written).unwrap(), "fuzz.md").unwrap();
    assert_eq!(back.articles, c.articles, "the lead-only paragraph reads back the same");

    let mut c = c;
    c.articles[0].authors = vec![String::new()];
    assert!(folio::write::markdown::write(&c).is_ok(), "an empty name does not fail the book");
}
