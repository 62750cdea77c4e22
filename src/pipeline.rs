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
        let fail = |e: std::io::Error| Problem::in_file(e.to_string(), input);
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
                            format!("a symlink loop (leads back to {}); not followed", ancestor.display()),
                            &path,
                        )),
                        None => errors.push(Problem::in_file(message, &path)),
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
                skipped
                    .lock()
                    .expect("discovery")
                    .push(Problem::in_file(format!("{what}, not a regular file; skipped"), path));
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
        return Some(Problem::in_file(format!("{why}; the folder {} is skipped", dir.display()), &path));
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

fn extension(path: &Path) -> String {
    path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default()
}

/// What the first pass keeps of a file: its counter, and the page itself
/// while the batch's kept text stays under [`KEEP_BUDGET_BYTES`].
enum Scanned {
    Page { title: Option<String>, file: String, kept: Option<Box<Page>> },
    Markdown,
}

/// Page text the first pass may keep for the build (beyond it, pages are
/// read again when their compilation is built): small batches are read once,
/// large ones stay bounded.
const KEEP_BUDGET_BYTES: usize = 64 * 1024 * 1024;

/// A compilation to build: its stable key, title, output name and files.
struct Unit {
    key: String,
    /// The counter title, or the file's stem when there is none.
    title: String,
    name: String,
    files: Vec<PathBuf>,
    /// Pages kept from the scan, by file (None: read again).
    kept: Vec<Option<Box<Page>>>,
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

/// The batch after the first pass: its compilations named, this shard's
/// share kept, nothing built yet. Lets the caller check where the outputs
/// go before anything is written.
pub struct Plan {
    /// Every file read (all shards).
    inputs: Vec<PathBuf>,
    units: Vec<Unit>,
    /// Files that could not be read, and entries discovery could not read.
    file_errors: Vec<Problem>,
    /// Batch warnings: entries discovery skipped, compilations sharing a title.
    warnings: Vec<Problem>,
}

impl Plan {
    /// Every output the build would write.
    pub fn outputs<'a>(&'a self, req: &'a Request) -> impl Iterator<Item = PathBuf> + 'a {
        self.units.iter().flat_map(move |u| {
            req.formats.iter().map(move |f| req.output.join(format!("{}.{}", u.name, f.extension())))
        })
    }

    /// Every file read, in every shard.
    pub fn inputs(&self) -> &[PathBuf] {
        &self.inputs
    }
}

/// The first pass over what [`discover`] found: reads each file's page
/// counter, groups the pages into compilations and names them.
pub fn plan(req: &Request, found: Discovered) -> Plan {
    // 1. Scan: the page counter of every file, nothing more is kept.
    let Discovered { files, skipped, errors } = found;
    let budget = std::sync::atomic::AtomicUsize::new(KEEP_BUDGET_BYTES);
    let scanned: Vec<Result<Scanned, Problem>> = files.par_iter().map(|p| scan(p, &req.profile, &budget)).collect();
    let mut file_errors = errors;
    let mut warnings = skipped;
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
            Unit { key, title: String::new(), name: String::new(), files: vec![], kept: vec![], markdown }
        });
        unit.files.push(path.clone());
        unit.kept.push(kept);
    }

    // 2. Names: from the titles, unique across the whole batch (so every
    //    shard names a compilation alike), then this shard's share.
    let mut taken = BTreeMap::new();
    let mut units: Vec<Unit> = order.iter().map(|k| groups.remove(k).expect("grouped above")).collect();
    for u in &mut units {
        u.title = if u.markdown || u.key.contains('\u{0}') {
            u.files[0].file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
        } else {
            u.key.clone()
        };
        let wanted = sanitize_file_name(&u.title);
        u.name = unique_name(&wanted, &u.title, &mut taken);
        if u.name != wanted {
            let first = &taken[&wanted.to_lowercase()];
            let who = if *first == u.title {
                format!("two compilations share the title {first}")
            } else {
                format!("the compilations {first} and {} share the output name {wanted}", u.title)
            };
            warnings
                .push(Problem::in_file(format!("{who}; the outputs of this one are named {}", u.name), &u.files[0]));
        }
    }
    if let Some(shard) = req.shard {
        units.retain(|u| shard.contains(&u.key));
    }
    Plan { inputs: files, units, file_errors, warnings }
}

/// Builds a planned batch: each compilation in parallel, its outputs
/// written atomically. A compilation that fails (even by a panic) is
/// reported and the others are still built.
pub fn build(req: &Request, plan: Plan, observer: &dyn Observer) -> Report {
    let Plan { units, mut file_errors, warnings, .. } = plan;
    observer.planned(units.len());
    let shard = req.shard.map(|s| s.to_string());
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
            return Report::new(vec![], file_errors, warnings, shard);
        }
    }

    // 3. Build each compilation; each drops its text once written.
    let compilations: Vec<CompilationReport> = units
        .into_par_iter()
        .map(|u| {
            let report = build_guarded(req, u, observer);
            observer.finished(&report);
            report
        })
        .collect();
    if req.strict && !warnings.is_empty() {
        file_errors.push(Problem::new(format!("--strict: {} batch warning(s)", warnings.len()), None));
    }
    Report::new(compilations, file_errors, warnings, shard)
}

/// [`build_one`] behind a barrier: a panic (a bug in folio) fails that
/// compilation with an internal error instead of ending the batch.
fn build_guarded(req: &Request, unit: Unit, observer: &dyn Observer) -> CompilationReport {
    let (name, title) = (unit.name.clone(), unit.title.clone());
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| build_one(req, unit, observer))).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".into());
        CompilationReport {
            name,
            title,
            status: Status::Failed,
            errors: vec![Problem::new(
                format!("internal error (a bug in folio, please report it with this input): {what}"),
                None,
            )],
            ..Default::default()
        }
    })
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
    Ok(Scanned::Page { title, file, kept: fits.then(|| Box::new(page)) })
}

fn read_text(path: &Path) -> Result<read::decode::Decoded, Problem> {
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
    let mut report = CompilationReport { name: unit.name.clone(), title: unit.title.clone(), ..Default::default() };
    #[cfg(debug_assertions)]
    test_panic(&unit.title);

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
            .map(|(f, kept)| kept.map_or_else(|| read_page(f, &req.profile), |p| Ok(*p)))
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
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = temp_file_in(dir)?;
    let _live = Live::new(tmp.path());
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

/// The temporary files this process is writing, for [`remove_temporaries`];
/// `true` once they have been removed (the process is exiting).
static LIVE_TEMPORARIES: std::sync::Mutex<(BTreeSet<PathBuf>, bool)> = std::sync::Mutex::new((BTreeSet::new(), false));

/// A temporary file registered while it is being written.
struct Live(PathBuf);

impl Live {
    fn new(path: &Path) -> Live {
        let mut live = LIVE_TEMPORARIES.lock().unwrap_or_else(|e| e.into_inner());
        if live.1 {
            // Created while the process is being interrupted.
            let _ = std::fs::remove_file(path);
        }
        live.0.insert(path.to_path_buf());
        Live(path.to_path_buf())
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        LIVE_TEMPORARIES.lock().unwrap_or_else(|e| e.into_inner()).0.remove(&self.0);
    }
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

/// Removes the temporary files this process is writing (when it is
/// interrupted), and only those: another run writing into the same folder
/// keeps its own.
pub fn remove_temporaries() {
    let mut live = LIVE_TEMPORARIES.lock().unwrap_or_else(|e| e.into_inner());
    for path in &live.0 {
        let _ = std::fs::remove_file(path);
    }
    live.1 = true;
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

/// `name`, or `name-2`, `name-3`… when taken (ignoring case). `taken` maps
/// each name in use, folded, to the title of its compilation.
fn unique_name(name: &str, title: &str, taken: &mut BTreeMap<String, String>) -> String {
    let mut candidate = name.to_string();
    let mut n = 2;
    while taken.contains_key(&candidate.to_lowercase()) {
        candidate = format!("{name}-{n}");
        n += 1;
    }
    taken.insert(candidate.to_lowercase(), title.to_string());
    candidate
}

/// Test hook, in debug builds only (release builds have none):
/// `FOLIO_TEST_PANIC=<title>` makes the build of that compilation panic, so
/// the tests can check the barrier around each compilation without a real
/// bug to trigger.
#[cfg(debug_assertions)]
fn test_panic(title: &str) {
    if std::env::var_os("FOLIO_TEST_PANIC").is_some_and(|t| t == title) {
        panic!("FOLIO_TEST_PANIC asked the build of {title} to panic");
    }
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
