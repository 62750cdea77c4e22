//! Helpers shared by the integration tests: build models the way the
//! pipeline does, and run the real binary in temporary folders.
#![allow(dead_code)]

pub mod gen;

use std::path::{Path, PathBuf};
use std::process::Output;

use folio::model::Compilation;
use folio::read::profile::Profile;

pub fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(rel)
}

/// Reads page files into one normalised compilation, as `folio build` does.
pub fn model_of(files: &[PathBuf]) -> Compilation {
    let profile = Profile::builtin();
    folio::normalize::normalize(folio::read::compile_files(files, &profile).unwrap())
}

pub fn bench13_files() -> Vec<PathBuf> {
    (1..=13).map(|p| data(&format!("bench13/page-{p:02}.txt"))).collect()
}

pub fn sample() -> Compilation {
    model_of(&[data("page-03.txt")])
}

/// Runs the folio binary with `args` in `dir`.
pub fn folio(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap()
}

/// The text an article must carry in every output, in order: title,
/// blocks (a front block's label, then its text; line breaks left out), blurb
/// label and text.
pub fn article_text(a: &folio::model::Article) -> String {
    let mut s = a.title.clone();
    for b in &a.blocks {
        if let folio::model::Block::Front { label, .. } = b {
            s.push_str(label);
        }
        s.push_str(&b.text().replace('\n', ""));
    }
    if let Some(b) = &a.blurb {
        s.push_str(&b.label);
        s.push_str(&b.text);
    }
    s
}

/// The content text the layout set on article `i`'s pages (running heads,
/// folios and markers excluded).
pub fn text_set_for(lay: &folio::layout::Layout, i: usize) -> String {
    let end = lay.article_pages.get(i + 1).copied().unwrap_or(lay.pages.len());
    lay.pages[lay.article_pages[i]..end]
        .iter()
        .flat_map(|p| p.lines.iter().flat_map(|l| l.runs.iter()))
        .filter(|r| r.content)
        .map(|r| r.text.as_str())
        .collect()
}

/// The entries of a zip (an EPUB), in archive order: (name, bytes, stored?).
pub fn zip_entries(bytes: &[u8]) -> Vec<(String, Vec<u8>, bool)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut data).unwrap();
            (f.name().to_string(), data, f.compression() == zip::CompressionMethod::Stored)
        })
        .collect()
}

pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}
