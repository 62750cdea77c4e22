//! The batch: finds the input files, reads them in parallel, groups pages
//! into compilations, normalises each and writes every requested format,
//! atomically, into the output folder. A file or compilation that fails is
//! reported and the rest of the batch still builds.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::model::{Compilation, Warning};
use crate::read::page::{parse_page, Page};
use crate::read::profile::Profile;
use crate::write::{self, Format, WriteOptions};
use crate::{normalize, read};

/// Extensions of page files read from an input folder.
pub const PAGE_EXTENSIONS: &[&str] = &["txt", "text"];
/// Extension of folio Markdown files (read back into the model).
pub const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown"];

/// What to build.
#[derive(Debug, Clone)]
pub struct Request {
    pub inputs: Vec<PathBuf>,
    pub output: PathBuf,
    pub formats: Vec<Format>,
    pub options: WriteOptions,
    pub profile: Profile,
    /// `false` for `folio check`: read and validate only.
    pub write_outputs: bool,
}

/// A file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub path: PathBuf,
    pub message: String,
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

/// The outcome of one compilation.
#[derive(Debug, Clone)]
pub struct Built {
    /// Output base name (sanitised title).
    pub name: String,
    pub title: String,
    pub articles: Vec<ArticleSummary>,
    pub pages: Vec<u32>,
    pub warnings: Vec<Warning>,
    pub errors: Vec<String>,
    pub outputs: Vec<PathBuf>,
}

/// One line of the summary: what an article came out as.
#[derive(Debug, Clone)]
pub struct ArticleSummary {
    pub title: String,
    pub authors: Vec<String>,
    pub date: Option<String>,
    pub continued: bool,
    pub truncated: bool,
}

/// The outcome of the batch.
#[derive(Debug, Default)]
pub struct Outcome {
    pub built: Vec<Built>,
    pub file_errors: Vec<FileError>,
}

impl Outcome {
    pub fn failed(&self) -> bool {
        !self.file_errors.is_empty() || self.built.iter().any(|b| !b.errors.is_empty())
    }
}

/// One unit of work: the pages of a compilation, or a folio Markdown file.
enum Unit {
    Pages(Vec<Page>),
    Markdown(Box<Compilation>),
}

/// Lists the files named by `inputs` (folders are read one level deep, in
/// name order). An input that does not exist is an error.
pub fn discover(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, FileError> {
    let mut files = BTreeSet::new();
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|e| FileError { path: input.clone(), message: e.to_string() })?;
        if meta.is_dir() {
            let entries =
                std::fs::read_dir(input).map_err(|e| FileError { path: input.clone(), message: e.to_string() })?;
            for entry in entries.flatten() {
                let path = entry.path();
                let hidden = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
                let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
                let known = PAGE_EXTENSIONS.contains(&ext.as_str()) || MARKDOWN_EXTENSIONS.contains(&ext.as_str());
                if !hidden && known && !path.is_dir() {
                    files.insert(path);
                }
            }
        } else {
            files.insert(input.clone());
        }
    }
    Ok(files.into_iter().collect())
}

/// Runs the batch. `on_done` is called as each compilation finishes (for progress).
pub fn run(req: &Request, files: &[PathBuf], on_done: &(dyn Fn(&Built) + Sync)) -> Outcome {
    let mut outcome = Outcome::default();

    // 1. Read every file (in parallel, results kept in file order).
    let read: Vec<Result<Unit, FileError>> = files.par_iter().map(|path| read_file(path, &req.profile)).collect();
    let mut pages = Vec::new();
    let mut units = Vec::new();
    for r in read {
        match r {
            Ok(Unit::Pages(mut p)) => pages.append(&mut p),
            Ok(u) => units.push(u),
            Err(e) => outcome.file_errors.push(e),
        }
    }
    // 2. Group pages into compilations.
    let mut all: Vec<Unit> = read::group(pages).into_iter().map(Unit::Pages).collect();
    all.append(&mut units);

    // 3. Build each compilation (in parallel).
    let mut taken = BTreeSet::new();
    let named: Vec<(String, Unit)> = all
        .into_iter()
        .map(|u| {
            let title = match &u {
                Unit::Pages(p) => p[0].title.clone().unwrap_or_else(|| stem(&p[0].file)),
                Unit::Markdown(c) => c.title.clone(),
            };
            (unique_name(&sanitize_file_name(&title), &mut taken), u)
        })
        .collect();
    if req.write_outputs && !named.is_empty() {
        if let Err(e) = std::fs::create_dir_all(&req.output) {
            outcome
                .file_errors
                .push(FileError { path: req.output.clone(), message: format!("cannot create output folder: {e}") });
            return outcome;
        }
    }
    outcome.built = named
        .into_par_iter()
        .map(|(name, unit)| {
            let built = build_one(req, name, unit);
            on_done(&built);
            built
        })
        .collect();
    outcome
}

fn read_file(path: &Path, profile: &Profile) -> Result<Unit, FileError> {
    let err = |message: String| FileError { path: path.to_path_buf(), message };
    let bytes = std::fs::read(path).map_err(|e| err(e.to_string()))?;
    let decoded = read::decode::decode(&bytes).map_err(|e| err(e.to_string()))?;
    let file = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    if MARKDOWN_EXTENSIONS.contains(&ext.as_str()) {
        let c = read::markdown::read(&decoded.text).map_err(|e| err(e.to_string()))?;
        return Ok(Unit::Markdown(Box::new(c)));
    }
    let page = parse_page(&file, decoded.encoding, &decoded.text, profile);
    if page.lines.is_empty() {
        return Err(err("no article text on the page (only site chrome)".into()));
    }
    Ok(Unit::Pages(vec![page]))
}

fn build_one(req: &Request, name: String, unit: Unit) -> Built {
    let compilation = match unit {
        Unit::Pages(pages) => normalize::normalize(read::assemble(pages)),
        Unit::Markdown(c) => *c,
    };
    let mut built = Built {
        name: name.clone(),
        title: compilation.title.clone(),
        articles: compilation
            .articles
            .iter()
            .map(|a| ArticleSummary {
                title: a.title.clone(),
                authors: a.authors.clone(),
                date: a.date.clone(),
                continued: a.continued,
                truncated: a.truncated,
            })
            .collect(),
        pages: compilation.source.pages.iter().map(|p| p.number).collect(),
        warnings: compilation.all_warnings().cloned().collect(),
        errors: vec![],
        outputs: vec![],
    };
    if !req.write_outputs {
        return built;
    }
    let results: Vec<(Format, Result<write::Output, write::WriteError>)> =
        req.formats.par_iter().map(|&f| (f, write::write(f, &compilation, &req.options))).collect();
    for (format, result) in results {
        match result {
            Ok(out) => {
                built.warnings.extend(out.warnings);
                let path = req.output.join(format!("{name}.{}", format.extension()));
                match write_atomically(&path, &out.bytes) {
                    Ok(()) => built.outputs.push(path),
                    Err(e) => built.errors.push(format!("{}: {e}", path.display())),
                }
            }
            Err(e) => built.errors.push(e.to_string()),
        }
    }
    built
}

/// Writes `bytes` to a temporary file in the same folder, then renames it
/// over `path`: readers never see a half-written file. A symlink at `path`
/// is replaced, not followed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new().prefix(".folio-").suffix(".tmp").tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all().ok();
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn stem(file: &str) -> String {
    Path::new(file).file_stem().map_or_else(|| file.to_string(), |s| s.to_string_lossy().into_owned())
}

/// Characters never allowed in an output name (Windows is the strictest).
const FORBIDDEN: &[char] = &['/', '\\', ':', '*', '?', '"', '<', '>', '|'];
/// Names Windows reserves whatever the extension.
const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2",
    "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];
/// Longest output base name, in characters (keeps names under 255 bytes).
const MAX_NAME_CHARS: usize = 80;

/// A file name from a title that stays inside the output folder and is valid
/// on Linux, macOS and Windows.
pub fn sanitize_file_name(title: &str) -> String {
    let cleaned: String = title
        .chars()
        .map(|c| if FORBIDDEN.contains(&c) || c.is_control() || is_invisible(c) { '_' } else { c })
        .collect();
    let mut name: String =
        cleaned.trim_matches(|c: char| c == '.' || c == ' ' || c == '_').chars().take(MAX_NAME_CHARS).collect();
    name = name.trim_end_matches(['.', ' ']).to_string();
    while name.contains("__") {
        name = name.replace("__", "_");
    }
    if name.is_empty() {
        name = "untitled".into();
    }
    let base = name.split('.').next().unwrap_or("").to_ascii_uppercase();
    if RESERVED.contains(&base.as_str()) {
        name = format!("_{name}");
    }
    name
}

/// Bidirectional overrides and zero-width characters: never in a file name.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

fn unique_name(name: &str, taken: &mut BTreeSet<String>) -> String {
    let mut candidate = name.to_string();
    let mut n = 2;
    while !taken.insert(candidate.to_lowercase()) {
        candidate = format!("{name}-{n}");
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stay_inside_the_folder() {
        assert_eq!(sanitize_file_name("../../etc/passwd"), "etc_passwd");
        assert_eq!(sanitize_file_name("CON"), "_CON");
        assert_eq!(sanitize_file_name("a/b\\c"), "a_b_c");
        assert_eq!(sanitize_file_name("..."), "untitled");
        assert_eq!(sanitize_file_name("\u{202e}abc\u{7}"), "abc");
        assert_eq!(sanitize_file_name(&"长".repeat(300)).chars().count(), MAX_NAME_CHARS);
        assert_eq!(sanitize_file_name("2022年前线文稿汇编-30篇"), "2022年前线文稿汇编-30篇");
    }
}
