//! Readers: bytes → model.
//!
//! Scraped page files are decoded ([`decode`]), stripped of site chrome
//! ([`page`], driven by a [`profile`]), grouped into compilations by the
//! title in their page counter and ordered by page number ([`assemble`]),
//! then cut into articles ([`segment`]). Folio's own Markdown is read back
//! by [`markdown`].

pub mod decode;
pub mod markdown;
pub mod page;
pub mod profile;
pub mod segment;

use std::collections::BTreeMap;

use crate::model::{Compilation, Declared, Origin, Source, SourcePage, Warning, WarningKind, SCHEMA_VERSION};
use page::Page;
use segment::Item;

/// Groups pages into compilations: by counter title, in order of first
/// appearance of each title in `pages` (callers pass pages sorted by path, so
/// the result is deterministic). A page without a counter is a compilation
/// of its own, named after its file.
pub fn group(pages: Vec<Page>) -> Vec<Vec<Page>> {
    let mut order: Vec<String> = Vec::new();
    let mut groups: BTreeMap<String, Vec<Page>> = BTreeMap::new();
    for p in pages {
        let key = p.title.clone().unwrap_or_else(|| format!("\u{0}{}", p.file));
        if !groups.contains_key(&key) {
            order.push(key.clone());
        }
        groups.entry(key).or_default().push(p);
    }
    order.into_iter().map(|k| groups.remove(&k).expect("grouped above")).collect()
}

/// Builds one compilation from its pages (any order): sorts them, reports
/// missing and duplicate pages, stitches them into one stream and segments it.
pub fn assemble(mut pages: Vec<Page>) -> Compilation {
    pages.sort_by(|a, b| (a.number, &a.file).cmp(&(b.number, &b.file)));
    let mut warnings: Vec<Warning> = pages.iter_mut().flat_map(|p| std::mem::take(&mut p.warnings)).collect();

    // Duplicate page numbers: identical copies are dropped silently; differing ones are reported.
    let mut kept: Vec<Page> = Vec::new();
    for p in pages {
        if let Some(prev) = kept.last().filter(|prev| prev.number.is_some() && prev.number == p.number) {
            if prev.lines != p.lines {
                warnings.push(Warning::new(
                    WarningKind::DuplicatePage,
                    format!(
                        "page {} is in both {} and {}; using {}",
                        p.number.unwrap_or(0),
                        prev.file,
                        p.file,
                        prev.file
                    ),
                    Some(Origin { file: p.file.clone(), line: 1 }),
                ));
            }
            continue;
        }
        kept.push(p);
    }
    let pages = kept;

    let title = pages[0].title.clone().unwrap_or_else(|| stem(&pages[0].file));
    let totals: Vec<u32> = pages.iter().filter_map(|p| p.total).collect();
    let total = totals.iter().copied().max();
    if totals.iter().any(|&t| Some(t) != total) {
        warnings.push(Warning::new(
            WarningKind::PageCountMismatch,
            format!(
                "page counters disagree about the page count ({}); using {}",
                join(&dedup(&totals)),
                total.unwrap_or(0)
            ),
            None,
        ));
    }
    let numbers: Vec<u32> = pages.iter().filter_map(|p| p.number).collect();
    let missing: Vec<u32> = match (total, numbers.is_empty()) {
        // `numbers` is sorted: a binary search keeps this linear in the page count.
        (Some(t), false) => {
            (1..=t.max(*numbers.last().unwrap())).filter(|n| numbers.binary_search(n).is_err()).collect()
        }
        _ => vec![],
    };
    if !missing.is_empty() {
        warnings.push(Warning::new(
            WarningKind::MissingPages,
            format!("{} of {} pages missing: {}", missing.len(), total.unwrap_or(0), ranges(&missing)),
            None,
        ));
    }

    // The stream: a gap wherever page numbers skip, and at either end when
    // the first/last page read is not the first/last declared.
    let mut items = Vec::new();
    let mut expected = 1;
    for p in &pages {
        let n = p.number.unwrap_or(expected);
        if n != expected {
            items.push(Item::Gap);
        }
        expected = n + 1;
        items.extend(
            p.lines
                .iter()
                .map(|l| Item::Line { text: l.text.clone(), origin: Origin { file: p.file.clone(), line: l.number } }),
        );
    }
    if total.is_some_and(|t| expected <= t) {
        items.push(Item::Gap);
    }

    let articles = segment::segment(&items);
    Compilation {
        schema_version: SCHEMA_VERSION,
        title,
        source: Source {
            site: pages.iter().find_map(|p| p.site.clone()),
            total_pages: total,
            pages: pages
                .iter()
                .map(|p| SourcePage {
                    number: p.number.unwrap_or(1),
                    file: p.file.clone(),
                    encoding: p.encoding.to_string(),
                })
                .collect(),
            missing_pages: missing,
        },
        metadata: Default::default(),
        declared: Declared {
            char_count: pages.iter().find_map(|p| p.declared_chars),
            reading_minutes: pages.iter().find_map(|p| p.declared_minutes),
        },
        articles,
        warnings,
    }
}

fn stem(file: &str) -> String {
    std::path::Path::new(file).file_stem().map_or_else(|| file.to_string(), |s| s.to_string_lossy().into_owned())
}

fn dedup(v: &[u32]) -> Vec<u32> {
    let mut v = v.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}

fn join(v: &[u32]) -> String {
    v.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
}

/// `[1,2,4,5,6,9]` → `1–2, 4–6, 9`.
pub fn ranges(numbers: &[u32]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < numbers.len() {
        let mut j = i;
        while j + 1 < numbers.len() && numbers[j + 1] == numbers[j] + 1 {
            j += 1;
        }
        out.push(if i == j { numbers[i].to_string() } else { format!("{}–{}", numbers[i], numbers[j]) });
        i = j + 1;
    }
    out.join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn ranges_are_compact() {
        assert_eq!(super::ranges(&[1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]), "1–2, 4–13");
        assert_eq!(super::ranges(&[3]), "3");
    }
}
