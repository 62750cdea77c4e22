//! The fuzz targets on the stable toolchain: the seed corpus
//! (`fuzz/seeds/<target>/`) replayed through the targets' own bodies (the
//! fuzz crate's `src/lib.rs`, included here), and every crash the fuzzers
//! found, minimised, as a test named after what it found.

#[path = "../fuzz/src/lib.rs"]
mod harness;

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
