//! Discovery: which files the inputs name. A folder is walked (ripgrep's
//! walker: hidden entries, `.gitignore` and `.ignore` respected, the output
//! folder skipped); entries that are not regular files, symlink loops and
//! unsafe ignore files are skipped with a warning; unreadable entries are
//! errors, and the rest is still built.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::output::io_reason;
use crate::report::{Problem, ProblemKind};

/// Extensions of page files read from an input folder.
pub const PAGE_EXTENSIONS: &[&str] = &["txt", "text"];
/// Extension of folio Markdown files (read back into the model).
pub const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown"];

/// What discovery found.
#[derive(Debug, Default)]
pub struct Discovered {
    /// The files to read, sorted.
    pub files: Vec<PathBuf>,
    /// Entries left out, with the reason (a FIFO or a device in a folder, a
    /// symlink loop): warnings.
    pub skipped: Vec<Problem>,
    /// Entries that could not be read (an unreadable sub-folder, a link
    /// leading nowhere): errors, and the rest is still built.
    pub errors: Vec<Problem>,
}

/// Lists the files named by `inputs`. A file named is read whatever it is
/// (a FIFO, `/dev/stdin`), within the size limit. A folder is walked with
/// ripgrep's walker, sub-folders included: files with a page or Markdown
/// extension are taken; hidden entries, what `.gitignore` and `.ignore`
/// files in the folder exclude, and the output folder `output` are skipped;
/// so are the Markdown files directly in the output folder (folio's own
/// outputs, when a folder is built into itself). An entry that is not a
/// regular file (a FIFO, a device) and a symlink loop are skipped with a
/// warning. An input that does not exist is an error.
pub fn discover(inputs: &[PathBuf], output: &Path) -> Result<Discovered, Problem> {
    use std::sync::{Arc, Mutex};
    let mut files = BTreeSet::new();
    let out_dir = output.canonicalize().ok();
    let skipped = Arc::new(Mutex::new(Vec::new()));
    let mut errors = Vec::new();
    for input in inputs {
        let fail = |e: std::io::Error| Problem::in_file(ProblemKind::Unreadable, e.to_string(), input);
        let meta = std::fs::metadata(input).map_err(fail)?;
        if !meta.is_dir() {
            files.insert(input.clone());
            continue;
        }
        if let Some(problem) = unsafe_ignore_file(input) {
            skipped.lock().expect("discovery").push(problem);
            continue;
        }
        let (skip, out) = (Arc::clone(&skipped), out_dir.clone());
        let walker = ignore::WalkBuilder::new(input)
            .hidden(true)
            .ignore(true)
            .git_ignore(true)
            .require_git(false)
            .parents(false)
            .git_global(false)
            .git_exclude(false)
            .follow_links(true)
            .filter_entry(move |e| {
                if e.depth() == 0 || !e.file_type().is_some_and(|t| t.is_dir()) {
                    return true;
                }
                if out.is_some() && e.path().canonicalize().ok() == out {
                    return false;
                }
                match unsafe_ignore_file(e.path()) {
                    Some(problem) => {
                        skip.lock().expect("discovery").push(problem);
                        false
                    }
                    None => true,
                }
            })
            .build();
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let (path, loop_to, message) = walk_error(&e);
                    let path = path.unwrap_or_else(|| input.clone());
                    match loop_to {
                        Some(ancestor) => skipped.lock().expect("discovery").push(Problem::in_file(
                            ProblemKind::Skipped,
                            format!("a symlink loop (leads back to {}); not followed", ancestor.display()),
                            &path,
                        )),
                        None => errors.push(Problem::in_file(ProblemKind::Unreadable, message, &path)),
                    }
                    continue;
                }
            };
            let path = entry.path();
            let Some(kind) = entry.file_type() else { continue };
            let ext = extension(path);
            let markdown = MARKDOWN_EXTENSIONS.contains(&ext.as_str());
            if kind.is_dir() || !(markdown || PAGE_EXTENSIONS.contains(&ext.as_str())) {
                continue;
            }
            if markdown && out_dir.is_some() && path.parent().and_then(|p| p.canonicalize().ok()) == out_dir {
                continue;
            }
            if !kind.is_file() {
                let what = std::fs::metadata(path).map_or("not a regular file", |m| crate::files::kind_of(&m));
                skipped.lock().expect("discovery").push(Problem::in_file(
                    ProblemKind::Skipped,
                    format!("{what}, not a regular file; skipped"),
                    path,
                ));
                continue;
            }
            files.insert(entry.into_path());
        }
    }
    let mut skipped = std::mem::take(&mut *skipped.lock().expect("discovery"));
    skipped.sort_by(|a, b| (&a.file, &a.message).cmp(&(&b.file, &b.message)));
    skipped.dedup();
    errors.sort_by(|a, b| (&a.file, &a.message).cmp(&(&b.file, &b.message)));
    Ok(Discovered { files: files.into_iter().collect(), skipped, errors })
}

/// Ignore files the walker reads when it enters `dir`: one that is not a
/// regular file (a FIFO would block the walk, `/dev/zero` would never end)
/// or is larger than a real one could be keeps the folder out.
fn unsafe_ignore_file(dir: &Path) -> Option<Problem> {
    const MAX_IGNORE_FILE_BYTES: u64 = 1024 * 1024;
    for name in [".gitignore", ".ignore"] {
        let path = dir.join(name);
        let Ok(meta) = std::fs::metadata(&path) else { continue };
        let why = if !meta.is_file() {
            format!("is {}, not a regular file", crate::files::kind_of(&meta))
        } else if meta.len() > MAX_IGNORE_FILE_BYTES {
            format!("is larger than {}", crate::files::mib(MAX_IGNORE_FILE_BYTES))
        } else {
            continue;
        };
        return Some(Problem::in_file(
            ProblemKind::Skipped,
            format!("{why}; the folder {} is skipped", dir.display()),
            &path,
        ));
    }
    None
}

/// The path an error of the walker is about, the ancestor when it is a
/// symlink loop, and its message without the path.
fn walk_error(e: &ignore::Error) -> (Option<PathBuf>, Option<PathBuf>, String) {
    match e {
        ignore::Error::WithPath { path, err } => {
            let (inner, ancestor, message) = walk_error(err);
            (inner.or_else(|| Some(path.clone())), ancestor, message)
        }
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => walk_error(err),
        ignore::Error::Loop { ancestor, child } => (Some(child.clone()), Some(ancestor.clone()), String::new()),
        ignore::Error::Io(io) => (None, None, format!("cannot read: {}", io_reason(io))),
        other => (None, None, other.to_string()),
    }
}

/// The extension of `path`, lower-cased (empty when it has none).
pub(super) fn extension(path: &Path) -> String {
    path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default()
}
