//! The batch: finds the input files, groups pages into compilations, then
//! builds each compilation (read → normalise → every requested format, in
//! parallel) and writes its outputs atomically into the output folder.
//!
//! Memory stays bounded by the compilations in flight, not by the batch: a
//! first pass keeps only each file's page counter, and a compilation's text
//! is read when it is built and dropped when its outputs are written. A file
//! or compilation that fails is reported and the rest still builds.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::model::{Compilation, Origin, Warning};
use crate::read::page::{parse_page, Page};
use crate::read::profile::Profile;
use crate::report::{ArticleReport, CompilationReport, InputReport, OutputReport, Problem, Report, Status};
use crate::write::{self, Format, WriteOptions};
use crate::{normalize, read};

/// Extensions of page files read from an input folder.
pub const PAGE_EXTENSIONS: &[&str] = &["txt", "text"];
/// Extension of folio Markdown files (read back into the model).
pub const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown"];
/// Largest input file read. Real pages are tens of kilobytes; anything this
/// big is not a page, and refusing it keeps memory bounded.
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;
/// Prefix of the temporary files outputs are written to before the rename.
pub const TEMP_PREFIX: &str = ".folio-";

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
    /// Warnings fail the compilation.
    pub strict: bool,
    /// Build only this shard of the batch.
    pub shard: Option<Shard>,
    /// Compute SHA-256 checksums of the outputs (for the report).
    pub checksums: bool,
    /// Metadata overrides by compilation key (the counter title).
    pub overrides: BTreeMap<String, crate::config::Override>,
}

/// Shard `index` of `count` (0-based, as a Kubernetes Indexed Job numbers its pods).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Shard, String> {
        let (k, n) = s.split_once('/').ok_or_else(|| format!("`{s}`: expected K/N, e.g. 0/4"))?;
        let index: u64 = k.trim().parse().map_err(|_| format!("`{s}`: K is not a number"))?;
        let count: u64 = n.trim().parse().map_err(|_| format!("`{s}`: N is not a number"))?;
        if count == 0 || index >= count {
            return Err(format!("`{s}`: need 0 <= K < N"));
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Whether the compilation with stable key `key` belongs to this shard.
    /// The key is hashed, so shards are balanced and need no coordinator.
    pub fn contains(&self, key: &str) -> bool {
        let digest = Sha256::digest(key.as_bytes());
        let n = u64::from_be_bytes(digest[..8].try_into().expect("8 bytes"));
        n % self.count == self.index
    }
}

/// Told about progress; called from worker threads.
pub trait Observer: Sync {
    /// The batch holds `count` compilations (after sharding).
    fn planned(&self, _count: usize) {}
    /// A compilation entered a stage (`read`, `normalize`, `md`, `epub`, …).
    fn stage(&self, _name: &str, _stage: &str) {}
    /// A compilation is done (built or failed).
    fn finished(&self, _report: &CompilationReport) {}
}

/// An observer that ignores everything.
pub struct Silent;
impl Observer for Silent {}

/// Lists the files named by `inputs` (folders are read one level deep, in
/// name order). An input that does not exist is an error.
pub fn discover(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Problem> {
    let mut files = BTreeSet::new();
    for input in inputs {
        let fail = |e: std::io::Error| Problem::in_file(e.to_string(), input);
        let meta = std::fs::metadata(input).map_err(fail)?;
        if meta.is_dir() {
            for entry in std::fs::read_dir(input).map_err(fail)?.flatten() {
                let path = entry.path();
                let hidden = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
                let ext = extension(&path);
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

fn extension(path: &Path) -> String {
    path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default()
}

/// What the first pass keeps of a file: its counter, and the page itself
/// while the batch's kept text stays under [`KEEP_BUDGET_BYTES`].
enum Scanned {
    Page { title: Option<String>, file: String, kept: Option<Page> },
    Markdown,
}

/// Page text the first pass may keep for the build (beyond it, pages are
/// read again when their compilation is built): small batches are read once,
/// large ones stay bounded.
const KEEP_BUDGET_BYTES: usize = 64 * 1024 * 1024;

/// A compilation to build: its stable key, output name and files.
struct Unit {
    key: String,
    name: String,
    files: Vec<PathBuf>,
    /// Pages kept from the scan, by file (None: read again).
    kept: Vec<Option<Page>>,
    markdown: bool,
}

/// Starts, on the thread pool, the one-time work every build needs later:
/// compiling the reader's patterns and, when a PDF is wanted, parsing the
/// bundled fonts. It then overlaps with reading the inputs instead of
/// waiting in front of the first compilation that needs it.
pub fn warm_up(formats: &[crate::write::Format]) {
    let pdf = formats.contains(&crate::write::Format::Pdf);
    rayon::spawn(move || {
        drop(crate::read::lexicon::builtin());
        crate::lang::dates::warm_up();
        crate::normalize::structure::warm_up();
    });
    if pdf {
        rayon::spawn(crate::write::pdf::warm_up);
    }
}

/// Runs the batch over `files` (from [`discover`]).
pub fn run(req: &Request, files: &[PathBuf], observer: &dyn Observer) -> Report {
    // 1. Scan: the page counter of every file, nothing more is kept.
    let budget = std::sync::atomic::AtomicUsize::new(KEEP_BUDGET_BYTES);
    let scanned: Vec<Result<Scanned, Problem>> = files.par_iter().map(|p| scan(p, &req.profile, &budget)).collect();
    let mut file_errors = Vec::new();
    let mut order: Vec<String> = Vec::new();
    let mut groups: BTreeMap<String, Unit> = BTreeMap::new();
    for (path, s) in files.iter().zip(scanned) {
        let (key, markdown, kept) = match s {
            Err(e) => {
                file_errors.push(e);
                continue;
            }
            Ok(Scanned::Page { title: Some(t), kept, .. }) => (t, false, kept),
            Ok(Scanned::Page { title: None, file, kept }) => (format!("{file}\u{0}{}", path.display()), false, kept),
            Ok(Scanned::Markdown) => (format!("md\u{0}{}", path.display()), true, None),
        };
        let unit = groups.entry(key.clone()).or_insert_with(|| {
            order.push(key.clone());
            Unit { key, name: String::new(), files: vec![], kept: vec![], markdown }
        });
        unit.files.push(path.clone());
        unit.kept.push(kept);
    }

    // 2. Names: from the titles, unique across the whole batch (so every
    //    shard names a compilation alike), then this shard's share.
    let mut taken = BTreeSet::new();
    let mut units: Vec<Unit> = order.iter().map(|k| groups.remove(k).expect("grouped above")).collect();
    for u in &mut units {
        let title = if u.markdown || u.key.contains('\u{0}') {
            u.files[0].file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
        } else {
            u.key.clone()
        };
        u.name = unique_name(&sanitize_file_name(&title), &mut taken);
    }
    if let Some(shard) = req.shard {
        units.retain(|u| shard.contains(&u.key));
    }

    observer.planned(units.len());
    if req.write_outputs && !units.is_empty() {
        // A folder that cannot be written fails the batch once, before any
        // work, rather than every output of every compilation.
        let unusable = match std::fs::create_dir_all(&req.output) {
            Err(e) => Some(format!("cannot create the output folder: {}", io_reason(&e))),
            Ok(()) => temp_file_in(&req.output)
                .err()
                .map(|e| format!("cannot write into the output folder: {}", io_reason(&e))),
        };
        if let Some(message) = unusable {
            file_errors.push(Problem::in_file(message, &req.output));
            return Report::new(vec![], file_errors, req.shard.map(|s| s.to_string()));
        }
    }

    // 3. Build each compilation; each drops its text once written.
    let compilations: Vec<CompilationReport> = units
        .into_par_iter()
        .map(|u| {
            let report = build_one(req, u, observer);
            observer.finished(&report);
            report
        })
        .collect();
    Report::new(compilations, file_errors, req.shard.map(|s| s.to_string()))
}

/// Reads a file, keeping only its page counter (or noting it is Markdown).
fn scan(path: &Path, profile: &Profile, budget: &std::sync::atomic::AtomicUsize) -> Result<Scanned, Problem> {
    use std::sync::atomic::Ordering;
    if MARKDOWN_EXTENSIONS.contains(&extension(path).as_str()) {
        return Ok(Scanned::Markdown);
    }
    let page = read_page(path, profile)?;
    let size: usize = page.lines.iter().map(|l| l.text.len() + 16).sum();
    let fits = budget.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| left.checked_sub(size)).is_ok();
    let (title, file) = (page.title.clone(), page.file.clone());
    Ok(Scanned::Page { title, file, kept: fits.then_some(page) })
}

fn read_text(path: &Path) -> Result<read::decode::Decoded, Problem> {
    let fail = |message: String| Problem::in_file(message, path);
    let size = std::fs::metadata(path).map_err(|e| fail(e.to_string()))?.len();
    if size > MAX_INPUT_BYTES {
        return Err(fail(format!(
            "{size} bytes is too large for a page file (limit {} MiB); split it into pages",
            MAX_INPUT_BYTES / 1024 / 1024
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read the file: {}", io_reason(&e))))?;
    read::decode::decode(&bytes).map_err(|e| match e {
        read::decode::DecodeError::Undecodable { line } => {
            Problem::new(e.to_string(), Some(Origin { file: path.display().to_string(), line: line as u32 }))
        }
        e => fail(e.to_string()),
    })
}

/// The file name of `path`, as the model records it.
fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

fn read_page(path: &Path, profile: &Profile) -> Result<Page, Problem> {
    let decoded = read_text(path)?;
    let file = file_name(path);
    let page = parse_page(&file, decoded.encoding, &decoded.text, profile);
    if page.lines.is_empty() {
        return Err(Problem::in_file("no article text on the page (only site chrome)", path));
    }
    Ok(page)
}

/// Milliseconds since `start`.
fn ms(start: Instant) -> f64 {
    (start.elapsed().as_secs_f64() * 1e4).round() / 10.0
}

fn build_one(req: &Request, mut unit: Unit, observer: &dyn Observer) -> CompilationReport {
    let mut report = CompilationReport { name: unit.name.clone(), title: unit.key.clone(), ..Default::default() };

    // Read.
    observer.stage(&unit.name, "read");
    let start = Instant::now();
    let compilation = if unit.markdown {
        read_text(&unit.files[0]).and_then(|d| {
            read::markdown::read(&d.text, &file_name(&unit.files[0]))
                .map_err(|e| Problem::in_file(e.to_string(), &unit.files[0]))
        })
    } else {
        let kept = std::mem::take(&mut unit.kept);
        unit.files
            .iter()
            .zip(kept)
            .map(|(f, kept)| kept.map_or_else(|| read_page(f, &req.profile), Ok))
            .collect::<Result<Vec<Page>, Problem>>()
            .map(|pages| read::assemble(pages, &req.profile.lexicon))
    };
    report.timings_ms.insert("read".into(), ms(start));
    let compilation = match compilation {
        Ok(c) => c,
        Err(e) => {
            report.errors.push(e);
            report.status = Status::Failed;
            return report;
        }
    };
    report.inputs = inputs_of(&unit, &compilation);

    // Normalise.
    observer.stage(&unit.name, "normalize");
    let start = Instant::now();
    let mut compilation =
        if unit.markdown { normalize::reread(compilation) } else { normalize::normalize(compilation) };
    if let Some(o) = req.overrides.get(&unit.key) {
        o.apply(&mut compilation);
    }
    report.timings_ms.insert("normalize".into(), ms(start));
    describe(&mut report, &compilation);

    // Write every format.
    if req.write_outputs {
        let results: Vec<(Format, f64, Result<write::Output, write::WriteError>)> = req
            .formats
            .par_iter()
            .map(|&f| {
                observer.stage(&unit.name, f.name());
                let start = Instant::now();
                let out = write::write(f, &compilation, &req.options);
                (f, ms(start), out)
            })
            .collect();
        drop(compilation);
        for (format, took, result) in results {
            report.timings_ms.insert(format.name().into(), took);
            match result {
                Ok(out) => {
                    report.warnings.extend(out.warnings);
                    let path = req.output.join(format!("{}.{}", unit.name, format.extension()));
                    match write_atomically(&path, &out.bytes) {
                        Ok(()) => report.outputs.push(OutputReport {
                            format: format.name().into(),
                            path: path.display().to_string(),
                            bytes: out.bytes.len() as u64,
                            sha256: if req.checksums { hex(&Sha256::digest(&out.bytes)) } else { String::new() },
                        }),
                        Err(e) => report.errors.push(Problem::in_file(io_reason(&e), &path)),
                    }
                }
                Err(e) => report.errors.push(Problem::new(e.to_string(), None)),
            }
        }
    }

    if req.strict && !report.warnings.is_empty() {
        report.errors.push(Problem::new(format!("--strict: {} warning(s)", report.warnings.len()), None));
    }
    if !report.errors.is_empty() {
        report.status = Status::Failed;
    }
    report
}

fn inputs_of(unit: &Unit, c: &Compilation) -> Vec<InputReport> {
    unit.files
        .iter()
        .map(|f| {
            let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let page = c.source.pages.iter().find(|p| p.file == name);
            InputReport {
                path: f.display().to_string(),
                encoding: page.map_or_else(|| "UTF-8".into(), |p| p.encoding.clone()),
                page: page.map(|p| p.number),
            }
        })
        .collect()
}

/// Fills the report's description of the compilation.
fn describe(report: &mut CompilationReport, c: &Compilation) {
    report.title = c.title.clone();
    report.pages_found = c.source.pages.iter().map(|p| p.number).collect();
    report.pages_missing = c.source.missing_pages.clone();
    report.warnings = c.all_warnings().cloned().collect::<Vec<Warning>>();
    report.articles = c
        .articles
        .iter()
        .map(|a| ArticleReport {
            title: a.title.clone(),
            authors: a.authors.clone(),
            date: a.date.clone(),
            continued: a.continued,
            truncated: a.truncated,
            warnings: a.warnings.clone(),
        })
        .collect();
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes `bytes` to a temporary file in the same folder, then renames it
/// over `path`: readers never see a half-written file. A symlink at `path`
/// is replaced, not followed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = temp_file_in(dir)?;
    tmp.write_all(bytes)?;
    // Temporary files are private (0600); an output is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.as_file().sync_all().ok();
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A temporary file in `dir` (removed when dropped unless persisted).
fn temp_file_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new().prefix(TEMP_PREFIX).suffix(".tmp").tempfile_in(dir)
}

/// The reason for an I/O error, without the name of the temporary file
/// `tempfile` wraps its errors with (the caller names the file or folder).
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::Other => e.to_string(),
        _ if e.get_ref().is_some() => e.kind().to_string(),
        _ => e.to_string(),
    }
}

/// Removes temporary files left in `dir` (after an interrupted run).
pub fn remove_temporaries(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with(TEMP_PREFIX) && name.ends_with(".tmp") {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

/// Characters never allowed in an output name (Windows is the strictest).
const FORBIDDEN: &[char] = &['/', '\\', ':', '*', '?', '"', '<', '>', '|'];
/// Names Windows reserves whatever the extension (compared case-insensitively,
/// on the part before the first dot, trailing spaces ignored).
const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7",
    "COM8", "COM9", "COM¹", "COM²", "COM³", "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8",
    "LPT9", "LPT¹", "LPT²", "LPT³",
];
/// Longest output base name, in characters.
const MAX_NAME_CHARS: usize = 80;
/// Longest output base name, in UTF-8 bytes: with a `-N` suffix (names made
/// unique) and the extension, a name stays under the 255-byte limit of Linux
/// and macOS file systems (and the 255 UTF-16 units of Windows) even when every
/// character takes four bytes (CJK Extension B, emoji).
const MAX_NAME_BYTES: usize = 240;

/// A file name from a title that stays inside the output folder and is valid
/// on Linux, macOS and Windows.
pub fn sanitize_file_name(title: &str) -> String {
    let cleaned: String = title
        .chars()
        .map(|c| if FORBIDDEN.contains(&c) || c.is_control() || is_invisible(c) { '_' } else { c })
        .collect();
    let mut name = String::new();
    for c in cleaned.trim_matches(|c: char| c == '.' || c == ' ' || c == '_').chars().take(MAX_NAME_CHARS) {
        if name.len() + c.len_utf8() > MAX_NAME_BYTES {
            break;
        }
        name.push(c);
    }
    name = name.trim_end_matches(['.', ' ']).to_string();
    while name.contains("__") {
        name = name.replace("__", "_");
    }
    if name.is_empty() {
        name = "untitled".into();
    }
    let base = name.split('.').next().unwrap_or("").trim_end_matches(' ').to_uppercase();
    if RESERVED.contains(&base.as_str()) {
        name = format!("_{name}");
    }
    name
}

/// Format characters (bidirectional overrides, zero-width characters, line
/// and paragraph separators, soft hyphens): never in a file name.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{61c}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
    )
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
        assert_eq!(sanitize_file_name(&"𠀀".repeat(300)).len(), MAX_NAME_BYTES);
        assert_eq!(sanitize_file_name("con.tar.gz"), "_con.tar.gz");
        assert_eq!(sanitize_file_name("NUL .txt"), "_NUL .txt");
        assert_eq!(sanitize_file_name("COM¹"), "_COM¹");
        assert_eq!(sanitize_file_name("CONSOLE"), "CONSOLE");
        assert_eq!(sanitize_file_name("a\u{2028}b\u{ad}c"), "a_b_c");
        assert_eq!(sanitize_file_name("2022年前线文稿汇编-30篇"), "2022年前线文稿汇编-30篇");
    }

    #[test]
    fn shards_partition_keys() {
        let shards: Vec<Shard> = (0..3).map(|i| Shard { index: i, count: 3 }).collect();
        for k in 0..200 {
            let key = format!("汇编{k}");
            assert_eq!(shards.iter().filter(|s| s.contains(&key)).count(), 1);
        }
        assert!("3/3".parse::<Shard>().is_err());
        assert_eq!("1/4".parse::<Shard>(), Ok(Shard { index: 1, count: 4 }));
    }
}
