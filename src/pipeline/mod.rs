//! The batch: plans it, then builds it. [`plan`] is the first pass over the
//! files [`discover`] found: it reads each file's page counter, groups the
//! pages into compilations and names them; [`build`] then builds each
//! compilation (read → normalise → every requested format, in parallel) and
//! writes its outputs atomically into the output folder.
//!
//! Memory stays bounded by the compilations in flight, not by the batch: a
//! first pass keeps only each file's page counter, and a compilation's text
//! is read when it is built and dropped when its outputs are written. A file
//! or compilation that fails is reported and the rest still builds.
//!
//! Its parts: `discover` (which files an input names), `input` (one input
//! file read, bounded, and decoded), `build` (one compilation built and its
//! report), `output` (atomic writes and their temporary files), `naming`
//! (output names from titles), `resources` (the user's templates and fonts,
//! read once a run for the writers).

mod build;
mod discover;
mod input;
mod naming;
mod output;
mod resources;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::read::page::Page;
use crate::read::profile::Profile;
use crate::read::{self, GroupKey};
use crate::report::{CompilationReport, Problem, ProblemKind};
use crate::write::{Format, WriteOptions};

pub use build::build;
pub use discover::{discover, Discovered, MARKDOWN_EXTENSIONS, PAGE_EXTENSIONS};
pub use input::MAX_INPUT_BYTES;
pub use naming::sanitize_file_name;
pub use output::{remove_temporaries, write_atomically, TEMP_PREFIX};
pub use resources::{load_fonts, load_resources, load_templates, ResourceError, ResourcePaths};

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
    /// Metadata overrides by compilation key (the counter title; see [`GroupKey`]).
    pub overrides: BTreeMap<String, crate::config::Override>,
}

/// Shard `index` of `count` (0-based, as a Kubernetes Indexed Job numbers its pods).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

/// A `--shard` value that is not a shard.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}`: {why}")]
pub struct ShardError {
    pub text: String,
    pub why: &'static str,
}

impl std::str::FromStr for Shard {
    type Err = ShardError;
    fn from_str(s: &str) -> Result<Shard, ShardError> {
        let fail = |why| ShardError { text: s.to_string(), why };
        let (k, n) = s.split_once('/').ok_or_else(|| fail("expected K/N, e.g. 0/4"))?;
        let index: u64 = k.trim().parse().map_err(|_| fail("K is not a number"))?;
        let count: u64 = n.trim().parse().map_err(|_| fail("N is not a number"))?;
        if count == 0 || index >= count {
            return Err(fail("need 0 <= K < N"));
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

/// A compilation to build: its key, title, output name and files.
struct Unit {
    key: GroupKey,
    /// The counter title, or the file's stem when there is none.
    title: String,
    name: String,
    files: Vec<PathBuf>,
    /// Pages kept from the scan, by file (None: read again).
    kept: Vec<Option<Box<Page>>>,
}

/// Starts, on the thread pool, the one-time work every build needs later:
/// compiling the reader's patterns and, when a PDF is wanted, parsing the
/// bundled fonts. It then overlaps with reading the inputs instead of
/// waiting in front of the first compilation that needs it.
pub fn warm_up(formats: &[crate::write::Format]) {
    let pdf = formats.contains(&crate::write::Format::Pdf);
    rayon::spawn(move || {
        crate::read::lexicon::builtin().warm_up();
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
    let mut keyed = Vec::with_capacity(files.len());
    for (path, s) in files.iter().zip(scanned) {
        let (key, kept) = match s {
            Err(e) => {
                file_errors.push(e);
                continue;
            }
            Ok(Scanned::Page { title, file, kept }) => (GroupKey::page(title.as_deref(), &file, path), kept),
            Ok(Scanned::Markdown) => (GroupKey::markdown(path), None),
        };
        keyed.push((key, (path.clone(), kept)));
    }
    let mut units: Vec<Unit> = read::group::group_by_key(keyed)
        .into_iter()
        .map(|(key, files)| {
            let (files, kept) = files.into_iter().unzip();
            Unit { key, title: String::new(), name: String::new(), files, kept }
        })
        .collect();

    // 2. Names: from the titles, unique across the whole batch (so every
    //    shard names a compilation alike), then this shard's share.
    let mut taken = BTreeMap::new();
    for u in &mut units {
        u.title = match u.key.title() {
            Some(title) => title.to_string(),
            None => u.files[0].file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
        };
        let wanted = naming::sanitize_file_name(&u.title);
        u.name = naming::unique_name(&wanted, &u.title, &mut taken);
        if u.name != wanted {
            let first = &taken[&wanted.to_lowercase()];
            let who = if *first == u.title {
                format!("two compilations share the title {first}")
            } else {
                format!("the compilations {first} and {} share the output name {wanted}", u.title)
            };
            warnings.push(Problem::in_file(
                ProblemKind::NameClash,
                format!("{who}; the outputs of this one are named {}", u.name),
                &u.files[0],
            ));
        }
    }
    if let Some(shard) = req.shard {
        units.retain(|u| shard.contains(&u.key.to_string()));
    }
    Plan { inputs: files, units, file_errors, warnings }
}

/// Reads a file, keeping only its page counter (or noting it is Markdown).
fn scan(path: &Path, profile: &Profile, budget: &std::sync::atomic::AtomicUsize) -> Result<Scanned, Problem> {
    use std::sync::atomic::Ordering;
    if MARKDOWN_EXTENSIONS.contains(&discover::extension(path).as_str()) {
        return Ok(Scanned::Markdown);
    }
    let page = input::read_page(path, profile)?;
    let size: usize = page.lines.iter().map(|l| l.text.len() + 16).sum();
    let fits = budget.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| left.checked_sub(size)).is_ok();
    let (title, file) = (page.title.clone(), page.file.clone());
    Ok(Scanned::Page { title, file, kept: fits.then(|| Box::new(page)) })
}

#[cfg(test)]
mod tests {
    use super::*;

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
