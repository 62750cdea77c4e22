//! One input file read, bounded in size, then decoded (Markdown) or handed
//! to the reader's entry ([`crate::read::read_page`]); failures become
//! problems naming the file (and line).

use std::path::Path;

use super::output::io_reason;
use crate::model::Origin;
use crate::read;
use crate::read::page::Page;
use crate::read::profile::Profile;
use crate::report::{Problem, ProblemKind};

/// Largest input file read. Real pages are tens of kilobytes; anything this
/// big is not a page, and refusing it keeps memory bounded.
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// The bytes of `path`, at most [`MAX_INPUT_BYTES`].
fn read_bytes(path: &Path) -> Result<Vec<u8>, Problem> {
    use crate::files::ReadError;
    let fail = |message: String| Problem::in_file(ProblemKind::Unreadable, message, path);
    crate::files::read_bounded(path, MAX_INPUT_BYTES).map_err(|e| match e {
        ReadError::TooLarge { .. } => fail(format!("{e} for a page file; split it into pages")),
        ReadError::Io(e) => fail(format!("cannot read the file: {}", io_reason(&e))),
        ReadError::Folder => fail(e.to_string()),
    })
}

/// A decoding error as a problem in `path` (at its line when it has one).
fn decode_problem(path: &Path, e: read::decode::DecodeError) -> Problem {
    match e {
        read::decode::DecodeError::Undecodable { line } => Problem::new(
            ProblemKind::Undecodable,
            e.to_string(),
            Some(Origin { file: path.display().to_string(), line: line as u32 }),
        ),
        e @ (read::decode::DecodeError::Empty | read::decode::DecodeError::Blank) => {
            Problem::in_file(ProblemKind::NoContent, e.to_string(), path)
        }
        e @ read::decode::DecodeError::Binary(_) => Problem::in_file(ProblemKind::Undecodable, e.to_string(), path),
    }
}

pub(super) fn read_text(path: &Path) -> Result<read::decode::Decoded, Problem> {
    let bytes = read_bytes(path)?;
    read::decode::decode(&bytes).map_err(|e| decode_problem(path, e))
}

/// The file name of `path`, as the model records it.
pub(super) fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

pub(super) fn read_page(path: &Path, profile: &Profile) -> Result<Page, Problem> {
    let bytes = read_bytes(path)?;
    read::read_page(&file_name(path), &bytes, profile).map_err(|e| match e {
        read::PageError::Decode(e) => decode_problem(path, e),
        e @ read::PageError::NoText => Problem::in_file(ProblemKind::NoContent, e.to_string(), path),
    })
}
