//! Properties over arbitrary documents: the JSON form round-trips, every
//! EPUB document is well-formed XML that keeps the text, and the PDF layout
//! sets every character of the model exactly once.

mod common;

use common::gen::compilation;
use common::{article_text, text_set_for};
use folio::model::Compilation;
use folio::write::{self, Format, WriteOptions};
use proptest::prelude::*;
use std::io::Read;

fn no_space(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]
    #[test]
    fn json_round_trips(c in compilation()) {
        let bytes = write::write(Format::Json, &c, &WriteOptions::default()).unwrap().bytes;
        let back: Compilation = serde_json::from_slice(&bytes).unwrap();
        prop_assert_eq!(back, c);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn epub_documents_are_well_formed_and_keep_the_text(c in compilation()) {
        let bytes = write::write(Format::Epub, &c, &WriteOptions::default()).unwrap().bytes;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut all_text = String::new();
        let mut names: Vec<String> = (0..zip.len()).map(|i| zip.by_index(i).unwrap().name().to_string()).collect();
        names.sort();
        for name in names.iter().filter(|n| n.ends_with(".xhtml")) {
            let mut xml = String::new();
            zip.by_name(name).unwrap().read_to_string(&mut xml).unwrap();
            let doc = roxmltree::Document::parse_with_options(&xml, roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() });
            prop_assert!(doc.is_ok(), "{} is not well-formed: {:?}", name, doc.err());
            if name.contains("/a0") {
                all_text.push_str(&doc.unwrap().descendants().filter(|n| n.is_text()).map(|n| n.text().unwrap()).collect::<String>());
            }
        }
        let got = no_space(&all_text);
        for a in &c.articles {
            for b in &a.blocks {
                prop_assert!(got.contains(&no_space(&b.text())), "lost: {}", b.text());
            }
        }
    }

    #[test]
    fn layout_sets_every_character_once(c in compilation()) {
        let lay = write::pdf::layout(&c, &WriteOptions::default());
        for (i, a) in c.articles.iter().enumerate() {
            let got = text_set_for(&lay, i);
            prop_assert_eq!(no_space(&got), no_space(&article_text(a)), "article {}", i);
        }
    }
}
