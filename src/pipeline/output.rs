//! Outputs written atomically: a temporary file in the output folder,
//! renamed over the output; the temporaries this process is writing are
//! tracked so an interrupt removes them (and only them).

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Prefix of the temporary files outputs are written to before the rename.
pub const TEMP_PREFIX: &str = ".folio-";

/// Writes `bytes` to a temporary file in the same folder, then renames it
/// over `path`: readers never see a half-written file. A symlink at `path`
/// is replaced, not followed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let (mut tmp, _live) = Live::create(dir)?;
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
    /// A temporary file in `dir`, created and registered under one lock: an
    /// interrupt then removes every temporary file there is, never missing
    /// one created but not yet registered; and none is created once the
    /// process is being interrupted.
    fn create(dir: &Path) -> std::io::Result<(tempfile::NamedTempFile, Live)> {
        let mut live = LIVE_TEMPORARIES.lock().unwrap_or_else(|e| e.into_inner());
        if live.1 {
            return Err(std::io::Error::other("interrupted"));
        }
        let tmp = temp_file_in(dir)?;
        live.0.insert(tmp.path().to_path_buf());
        let path = tmp.path().to_path_buf();
        Ok((tmp, Live(path)))
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        LIVE_TEMPORARIES.lock().unwrap_or_else(|e| e.into_inner()).0.remove(&self.0);
    }
}

/// A temporary file in `dir` (removed when dropped unless persisted).
pub(super) fn temp_file_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new().prefix(TEMP_PREFIX).suffix(".tmp").tempfile_in(dir)
}

/// The reason for an I/O error, without the name of the temporary file
/// `tempfile` wraps its errors with (the caller names the file or folder).
pub(super) fn io_reason(e: &std::io::Error) -> String {
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
