//! Which compilation an input file belongs to: its [`GroupKey`], and the
//! grouping of inputs by key that `folio build` and the fuzz targets share.
//!
//! The key's string form ([`GroupKey`]'s `Display`) is what `--shard` hashes
//! and what `[compilation."…"]` in `folio.toml` is looked up by, so it must
//! not change: a counter title as it is, a page without a counter as
//! `file NUL path`, a Markdown file as `md NUL path`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::page::Page;

/// What an input file is, and so which reader reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A scraped page file: read with the others of its compilation.
    Page,
    /// Folio's own Markdown: one compilation, read back whole.
    Markdown,
}

/// The key that groups input files into compilations.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GroupKey {
    /// Pages whose counter names this title, in whatever files: one compilation.
    Title(String),
    /// A page without a counter: a compilation of its own (its file name and path).
    Untitled { file: String, path: PathBuf },
    /// A Markdown file: a compilation of its own.
    Markdown { path: PathBuf },
}

impl GroupKey {
    /// The key of a page file at `path` whose page is named `file` and whose
    /// counter (if any) names `title`.
    pub fn page(title: Option<&str>, file: &str, path: &Path) -> GroupKey {
        match title {
            Some(t) => GroupKey::Title(t.to_string()),
            None => GroupKey::Untitled { file: file.to_string(), path: path.to_path_buf() },
        }
    }

    /// The key of a Markdown file at `path`.
    pub fn markdown(path: &Path) -> GroupKey {
        GroupKey::Markdown { path: path.to_path_buf() }
    }

    /// Which reader reads the compilation.
    pub fn kind(&self) -> InputKind {
        match self {
            GroupKey::Title(_) | GroupKey::Untitled { .. } => InputKind::Page,
            GroupKey::Markdown { .. } => InputKind::Markdown,
        }
    }

    /// The title a page counter gives the compilation, if it has one.
    pub fn title(&self) -> Option<&str> {
        match self {
            GroupKey::Title(t) => Some(t),
            GroupKey::Untitled { .. } | GroupKey::Markdown { .. } => None,
        }
    }
}

impl fmt::Display for GroupKey {
    /// The stable string form (see the module doc).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GroupKey::Title(t) => f.write_str(t),
            GroupKey::Untitled { file, path } => write!(f, "{file}\u{0}{}", path.display()),
            GroupKey::Markdown { path } => write!(f, "md\u{0}{}", path.display()),
        }
    }
}

/// Groups `items` by key, in order of first appearance of each key (callers
/// pass inputs sorted by path, so the result is deterministic).
pub fn group_by_key<T>(items: impl IntoIterator<Item = (GroupKey, T)>) -> Vec<(GroupKey, Vec<T>)> {
    let mut order: Vec<GroupKey> = Vec::new();
    let mut groups: BTreeMap<GroupKey, Vec<T>> = BTreeMap::new();
    for (key, item) in items {
        let group = groups.entry(key).or_insert_with_key(|key| {
            order.push(key.clone());
            Vec::new()
        });
        group.push(item);
    }
    order
        .into_iter()
        .map(|k| {
            let items = groups.remove(&k).expect("grouped above");
            (k, items)
        })
        .collect()
}

/// Groups pages into compilations as `folio build` does, each page's file
/// name standing for its path: by counter title, a page without a counter
/// being a compilation of its own.
pub fn group(pages: Vec<Page>) -> Vec<Vec<Page>> {
    let keyed = pages.into_iter().map(|p| (GroupKey::page(p.title.as_deref(), &p.file, Path::new(&p.file)), p));
    group_by_key(keyed).into_iter().map(|(_, pages)| pages).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_string_form_is_stable() {
        let path = Path::new("in/a.txt");
        assert_eq!(GroupKey::page(Some("汇编"), "a.txt", path).to_string(), "汇编");
        assert_eq!(GroupKey::page(None, "a.txt", path).to_string(), "a.txt\u{0}in/a.txt");
        assert_eq!(GroupKey::markdown(Path::new("in/b.md")).to_string(), "md\u{0}in/b.md");
        assert_eq!(GroupKey::markdown(path).kind(), InputKind::Markdown);
    }

    #[test]
    fn groups_keep_the_order_of_first_appearance() {
        let key = |t: &str| GroupKey::Title(t.into());
        let grouped = group_by_key([(key("b"), 1), (key("a"), 2), (key("b"), 3)]);
        assert_eq!(grouped, vec![(key("b"), vec![1, 3]), (key("a"), vec![2])]);
    }
}
