//! The files at folio's edges that a user names: every read bounded in size
//! (an endless file such as `/dev/zero` or a FIFO that never stops is cut off,
//! not slurped), and where a report may be written without replacing what is
//! there (a FIFO, a terminal, `/dev/null` are written into, never renamed
//! over).

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// Why a bounded read failed.
#[derive(Debug)]
pub enum ReadError {
    /// The file could not be opened or read.
    Io(io::Error),
    /// The file holds more than the limit: `size` when its length is known
    /// before reading, `None` when it only showed while reading (a device, a
    /// FIFO, a file still growing).
    TooLarge { size: Option<u64>, limit: u64 },
    /// The path is a folder.
    Folder,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::TooLarge { size: Some(size), limit } => {
                write!(f, "{size} bytes is too large (limit {})", mib(*limit))
            }
            ReadError::TooLarge { size: None, limit } => write!(f, "more than {}: too large", mib(*limit)),
            ReadError::Folder => f.write_str("is a folder, not a file"),
        }
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReadError::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// `16 MiB`, or bytes when the limit is not a whole number of MiB.
pub fn mib(bytes: u64) -> String {
    if bytes % (1024 * 1024) == 0 {
        format!("{} MiB", bytes / 1024 / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// Reads at most `limit` bytes of `path`. A regular file over the limit is
/// refused before it is read; anything else (a device, a FIFO, a file that
/// grows) is read until it ends or passes the limit.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(ReadError::Folder);
    }
    if meta.is_file() && meta.len() > limit {
        return Err(ReadError::TooLarge { size: Some(meta.len()), limit });
    }
    let file = File::open(path)?;
    let mut bytes = Vec::with_capacity(if meta.is_file() { meta.len() as usize } else { 8192 });
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { size: None, limit });
    }
    Ok(bytes)
}

/// [`read_bounded`], as UTF-8 text.
pub fn read_text_bounded(path: &Path, limit: u64) -> Result<String, ReadError> {
    let bytes = read_bounded(path, limit)?;
    String::from_utf8(bytes).map_err(|_| ReadError::Io(io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text")))
}

/// What kind of file system entry `meta` describes, for messages
/// (`a FIFO`, `a character device`…).
pub fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a folder"
    } else if t.is_file() {
        "a regular file"
    } else if t.is_symlink() {
        "a symbolic link"
    } else {
        "a special file"
    }
}

/// Where a report (or a merged report) goes, opened and checked before any
/// work is done, so a destination that cannot take it is a usage error
/// rather than a failure after the whole build.
#[derive(Debug)]
pub enum Destination {
    /// `-`: standard output.
    Stdout,
    /// A regular file, or nothing yet: written to a temporary file beside it
    /// and renamed into place.
    Replace(PathBuf),
    /// A FIFO, a character device (`/dev/null`, a terminal) or a link to one
    /// (`/dev/stdout`): written into, never replaced. `regular` when the
    /// link leads to a regular file (standard output redirected to a file),
    /// which is emptied first, as a shell's `>` does.
    Stream { path: PathBuf, file: File, regular: bool },
}

/// Why a report cannot be written where it was asked to go.
#[derive(Debug, thiserror::Error)]
pub enum DestinationError {
    #[error("{}: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{}: is a folder", .path.display())]
    Folder { path: PathBuf },
    #[error("{}: is {kind}; a report goes to a regular file, a FIFO or a character device", .path.display())]
    Unusable { path: PathBuf, kind: &'static str },
    #[error("{}: the folder {} does not exist", .path.display(), .folder.display())]
    NoFolder { path: PathBuf, folder: PathBuf },
    #[error("{}: cannot write into {}: {}", .path.display(), .folder.display(), .source.kind())]
    NotWritable { path: PathBuf, folder: PathBuf, source: io::Error },
}

impl Destination {
    /// Checks `path` and opens it when it is written into. A folder, a block
    /// device or a socket is refused, as is a folder that does not exist or
    /// cannot be written — unless it is `made`, a folder the run creates
    /// (the output folder).
    pub fn open(path: &Path, made: Option<&Path>) -> Result<Destination, DestinationError> {
        if path.as_os_str() == "-" {
            return Ok(Destination::Stdout);
        }
        let io_error = |source: io::Error| DestinationError::Io { path: path.to_path_buf(), source };
        // `/dev/stdout`, or whatever standard output is: written through the
        // standard output folio has, which keeps its offset and append mode
        // (a fresh open of a redirected file would start at its beginning).
        #[cfg(unix)]
        if identity(path).is_some_and(|id| Some(id) == identity(Path::new("/dev/stdout"))) {
            return Ok(Destination::Stdout);
        }
        let link = std::fs::symlink_metadata(path);
        let target = std::fs::metadata(path);
        match (&link, &target) {
            // Nothing there, or a link leading nowhere (replaced, as an output's would be).
            (Err(_), _) | (Ok(_), Err(_)) => {
                if let (Err(e), _) = (&link, &target) {
                    if e.kind() != io::ErrorKind::NotFound {
                        return Err(io_error(io::Error::new(e.kind(), e.to_string())));
                    }
                }
                let made_here = made.is_some_and(|m| lexical(m) == lexical(&folder(path)));
                if !made_here || folder(path).exists() {
                    check_folder(path)?;
                }
                Ok(Destination::Replace(path.to_path_buf()))
            }
            (Ok(l), Ok(t)) => {
                if t.is_dir() {
                    return Err(DestinationError::Folder { path: path.to_path_buf() });
                }
                if t.is_file() && !l.file_type().is_symlink() {
                    check_folder(path)?;
                    return Ok(Destination::Replace(path.to_path_buf()));
                }
                if !(t.is_file() || is_stream(t)) {
                    return Err(DestinationError::Unusable { path: path.to_path_buf(), kind: kind_of(t) });
                }
                let file = std::fs::OpenOptions::new().write(true).open(path).map_err(io_error)?;
                Ok(Destination::Stream { path: path.to_path_buf(), file, regular: t.is_file() })
            }
        }
    }

    /// The identity of the file written into or replaced, when there is one.
    pub fn identity(&self) -> Option<FileId> {
        match self {
            Destination::Stdout => None,
            Destination::Replace(path) | Destination::Stream { path, .. } => identity(path),
        }
    }

    /// Whether writing here would replace (or write into) the file at `other`.
    pub fn is(&self, other: &Path) -> bool {
        match self {
            Destination::Stdout => false,
            Destination::Replace(path) | Destination::Stream { path, .. } => same_place(path, other),
        }
    }

    /// Writes `bytes` (atomically for [`Destination::Replace`]).
    pub fn write(self, bytes: &[u8]) -> io::Result<()> {
        match self {
            Destination::Stdout => {
                let mut out = io::stdout().lock();
                out.write_all(bytes)?;
                out.flush()
            }
            Destination::Replace(path) => crate::pipeline::write_atomically(&path, bytes),
            Destination::Stream { mut file, regular, .. } => {
                if regular {
                    file.set_len(0)?;
                }
                file.write_all(bytes)?;
                file.flush()
            }
        }
    }

    /// The path, for messages.
    pub fn display(&self) -> String {
        match self {
            Destination::Stdout => "standard output".into(),
            Destination::Replace(p) | Destination::Stream { path: p, .. } => p.display().to_string(),
        }
    }
}

/// A FIFO or a character device: written into, never replaced.
fn is_stream(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        t.is_fifo() || t.is_char_device()
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        false
    }
}

/// The folder of `path` (`.` for a bare name).
fn folder(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `path` without `.` components, for comparing paths that do not exist yet.
fn lexical(path: &Path) -> PathBuf {
    let kept: PathBuf = path.components().filter(|c| *c != std::path::Component::CurDir).collect();
    if kept.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        kept
    }
}

/// Checks that a file can be created in the folder of `path`.
fn check_folder(path: &Path) -> Result<(), DestinationError> {
    let dir = folder(path);
    if !dir.is_dir() {
        return Err(DestinationError::NoFolder { path: path.to_path_buf(), folder: dir });
    }
    tempfile::Builder::new()
        .prefix(crate::pipeline::TEMP_PREFIX)
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map(drop)
        .map_err(|source| DestinationError::NotWritable { path: path.to_path_buf(), folder: dir, source })
}

/// What tells one file from another: device and inode where there are
/// such things, else the canonical path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FileId {
    Inode(u64, u64),
    Path(PathBuf),
}

/// The identity of the file at `path` (following links); `None` when there is none.
pub fn identity(path: &Path) -> Option<FileId> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(path).ok()?;
        Some(FileId::Inode(m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        path.canonicalize().ok().map(FileId::Path)
    }
}

/// Whether `a` and `b` name the same file: the same file when both exist,
/// else the same name in the same folder (folders resolved through links).
pub fn same_place(a: &Path, b: &Path) -> bool {
    if let (Some(x), Some(y)) = (identity(a), identity(b)) {
        return x == y;
    }
    resolved(a).is_some_and(|x| Some(x) == resolved(b))
}

/// `path` with its folder resolved through links (the file itself need not exist).
fn resolved(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(dir.canonicalize().ok()?.join(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("f");
        std::fs::write(&f, b"0123456789").unwrap();
        assert_eq!(read_bounded(&f, 10).unwrap(), b"0123456789");
        assert!(matches!(read_bounded(&f, 9), Err(ReadError::TooLarge { size: Some(10), limit: 9 })));
        assert!(matches!(read_bounded(dir.path(), 9), Err(ReadError::Folder)));
        #[cfg(target_os = "linux")]
        {
            let e = read_bounded(Path::new("/dev/zero"), 1 << 20).unwrap_err();
            assert!(matches!(e, ReadError::TooLarge { size: None, .. }), "{e}");
            assert_eq!(e.to_string(), "more than 1 MiB: too large");
        }
    }

    #[test]
    fn same_place_resolves_folders() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("a")).unwrap();
        let a = dir.path().join("a/x.json");
        let b = dir.path().join("a/../a/x.json");
        assert!(same_place(&a, &b), "not yet existing");
        std::fs::write(&a, b"{}").unwrap();
        assert!(same_place(&a, &b));
        assert!(!same_place(&a, &dir.path().join("a/y.json")));
    }
}
