//! The reader's public entry: one page file's bytes → its page (decoded,
//! parsed, refused when it holds no article text), and page files → one
//! compilation. The pipeline, the tests and the benchmarks all read pages
//! through it.

use std::path::{Path, PathBuf};

use super::decode::{self, DecodeError};
use super::page::{parse_page, Page};
use super::profile::Profile;
use crate::model::Compilation;

/// Why a page file's bytes gave no page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    /// The bytes are not text in an encoding folio reads.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// Only site chrome: no article text.
    #[error("no article text on the page (only site chrome)")]
    NoText,
}

/// The page in the bytes of the page file named `file`: decoded, then parsed
/// with `profile`. A page with no article text is an error.
pub fn read_page(file: &str, bytes: &[u8], profile: &Profile) -> Result<Page, PageError> {
    let decoded = decode::decode(bytes)?;
    parsed(file, decoded.encoding, &decoded.text, profile)
}

/// The page in `text`, already decoded (say, from UTF-8 by the caller), of
/// the page file named `file`: parsed with `profile` as [`read_page`] does.
/// For the fuzz targets, which start from text.
pub fn read_text(file: &str, text: &str, profile: &Profile) -> Result<Page, PageError> {
    parsed(file, "UTF-8", text, profile)
}

/// The decoded text parsed; a page with no article text is an error.
fn parsed(file: &str, encoding: &'static str, text: &str, profile: &Profile) -> Result<Page, PageError> {
    let page = parse_page(file, encoding, text, profile);
    if page.lines.is_empty() {
        return Err(PageError::NoText);
    }
    Ok(page)
}

/// Why page files gave no compilation: the file, and what went wrong.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{file}: {source}")]
    Page { file: String, source: PageError },
}

/// Page files, as (file name, bytes), → one compilation (not yet
/// normalised), as `folio build` reads them. The error names the file.
pub fn compile<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    profile: &Profile,
) -> Result<Compilation, ReadError> {
    let pages = files
        .into_iter()
        .map(|(file, bytes)| {
            read_page(file, bytes, profile).map_err(|source| ReadError::Page { file: file.to_string(), source })
        })
        .collect::<Result<Vec<Page>, _>>()?;
    Ok(super::assemble(pages, &profile.lexicon))
}

/// The page files at `paths`, read whole, → one compilation (not yet
/// normalised): for tests and tools; the pipeline reads with a size bound.
pub fn compile_files(paths: &[impl AsRef<Path>], profile: &Profile) -> Result<Compilation, ReadError> {
    let mut files = Vec::new();
    for path in paths {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| ReadError::Io { path: path.to_path_buf(), source })?;
        let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        files.push((name, bytes));
    }
    compile(files.iter().map(|(n, b)| (n.as_str(), b.as_slice())), profile)
}
