//! One input file read: bounded in size, decoded, and parsed into a page;
//! failures become problems naming the file (and line).

use std::path::Path;

use super::output::io_reason;
use crate::model::Origin;
use crate::read;
use crate::read::page::{parse_page, Page};
use crate::read::profile::Profile;
use crate::report::Problem;

/// Largest input file read. Real pages are tens of kilobytes; anything this
/// big is not a page, and refusing it keeps memory bounded.
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

pub(super) fn read_text(path: &Path) -> Result<read::decode::Decoded, Problem> {
    use crate::files::ReadError;
    let fail = |message: String| Problem::in_file(message, path);
    let bytes = crate::files::read_bounded(path, MAX_INPUT_BYTES).map_err(|e| match e {
        ReadError::TooLarge { .. } => fail(format!("{e} for a page file; split it into pages")),
        ReadError::Io(e) => fail(format!("cannot read the file: {}", io_reason(&e))),
        ReadError::Folder => fail(e.to_string()),
    })?;
    read::decode::decode(&bytes).map_err(|e| match e {
        read::decode::DecodeError::Undecodable { line } => {
            Problem::new(e.to_string(), Some(Origin { file: path.display().to_string(), line: line as u32 }))
        }
        e => fail(e.to_string()),
    })
}

/// The file name of `path`, as the model records it.
pub(super) fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

pub(super) fn read_page(path: &Path, profile: &Profile) -> Result<Page, Problem> {
    let decoded = read_text(path)?;
    let file = file_name(path);
    let page = parse_page(&file, decoded.encoding, &decoded.text, profile);
    if page.lines.is_empty() {
        return Err(Problem::in_file("no article text on the page (only site chrome)", path));
    }
    Ok(page)
}
