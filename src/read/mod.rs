//! Readers: bytes → model.
//!
//! Scraped page files are decoded ([`decode`]), their counter, stats and
//! the chrome a [`profile`] names read off ([`page`]), grouped into
//! compilations by the title in their page counter ([`group`]) and ordered
//! by page number ([`assemble`]). Each page's lines ([`line`]) are then
//! classified by their form ([`classify`], [`meta`]) and the page's chrome found by what
//! it is ([`chrome`]), all from the data in the [`lexicon`]; the stitched
//! stream is cut into articles ([`segment`]). Folio's own Markdown is read
//! back by [`markdown`]. [`read_page`] and [`compile`] are the entry every
//! caller reads pages through.

pub mod chrome;
pub mod classify;
pub mod decode;
mod entry;
pub mod group;
pub mod lexicon;
pub mod line;
pub mod markdown;
pub mod meta;
pub mod page;
pub mod patterns;
pub mod profile;
pub mod segment;

pub use entry::{compile, compile_files, read_page, read_text, PageError, ReadError};
pub use group::{group, GroupKey, InputKind};

use rayon::prelude::*;

use crate::model::{Compilation, Declared, Origin, Source, SourcePage, Warning, WarningKind, SCHEMA_VERSION};
use chrome::Role;
use lexicon::Compiled;
use line::Line;
use page::Page;
use segment::Item;

/// Builds one compilation from its pages (any order): sorts them, reports
/// missing and duplicate pages, finds each page's chrome, stitches the pages
/// into one stream and segments it.
pub fn assemble(mut pages: Vec<Page>, lex: &Compiled) -> Compilation {
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
            (1..=t.max(*numbers.last().expect("not empty"))).filter(|n| numbers.binary_search(n).is_err()).collect()
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

    // Each page's lines, by their form, then its chrome (lines repeated on
    // most pages are chrome too).
    let noise = lex.words.chrome.limits.noise_tokens;
    // Pages are read in parallel (rayon keeps their order), then stitched.
    let page_lines: Vec<Vec<Line>> = pages
        .par_iter()
        .map(|p| {
            p.lines
                .iter()
                .map(|l| Line::new(&l.text, Origin { file: p.file.clone(), line: l.number }, noise))
                .filter(|l| l.chars > 0 || l.noise)
                .collect()
        })
        .collect();
    let repeated = if pages.len() >= 3 {
        chrome::repeated_lines(page_lines.iter().map(Vec::as_slice), lex)
    } else {
        Default::default()
    };

    // The stream: a gap wherever page numbers skip, and at either end when
    // the first/last page read is not the first/last declared.
    let judged: Vec<_> = page_lines
        .into_par_iter()
        .map(|lines| {
            let kinds: Vec<classify::Kind> = lines.iter().map(|l| classify::classify(l, lex)).collect();
            let roles: Vec<Role> = kinds.iter().zip(&lines).map(|(k, l)| k.role(l)).collect();
            let verdicts = chrome::page_chrome(&lines, &roles, &repeated, lex);
            (lines, kinds, verdicts)
        })
        .collect();
    let mut items = Vec::new();
    let mut expected = 1;
    for (p, (lines, kinds, verdicts)) in pages.iter().zip(judged) {
        let n = p.number.unwrap_or(expected);
        if n != expected {
            items.push(Item::Gap);
        }
        expected = n + 1;
        for ((line, kind), verdict) in lines.into_iter().zip(kinds).zip(verdicts) {
            items.push(match verdict {
                Some(e) => Item::Chrome(line, e),
                None => Item::Line(line, kind),
            });
        }
    }
    if total.is_some_and(|t| expected <= t) {
        items.push(Item::Gap);
    }

    let collection = pages.len() > 1 || pages.iter().any(|p| p.number.is_some());
    let articles = segment::segment(&items, lex, collection);
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
    use crate::read::profile::Profile;

    /// sites-dev 028: a teaser (a label, three lead paragraphs, a heading)
    /// shown above the article and again as its start.
    #[test]
    fn a_teaser_shown_twice_is_printed_once() {
        let teaser = "【核心提示】\n\n陽光如瀑,夏蟬長嘶。洪災過後,株洲迎來酷暑。\n\n\
                      避開白天的驕陽,休閒的市民傍晚出動,他們漫步在湘江風光帶,看江水搖曳霓虹,談笑風生。\n\n\
                      株洲臨水建城,株洲人濱江而居。翻閱株洲水利志,會發現建市以來,株洲有著太多關於洪水的傷痛。\n\n\
                      城區屢遭洪災 1994年創鉅痛深\n\n";
        let text = format!(
            "'株洲防洪大堤往事'\n\n株洲 湘江 茶陵 長春暴雨 民主 株洲日報 2019-07-29\n\"\n\n{teaser}\"\n\n{teaser}\
             1994年株洲遭遇特大洪水,市區一片汪洋。\n\n這首民謠摘自株洲市水利志書。志書上說,新中國成立以來洪災不斷。\n"
        );
        let profile = Profile::builtin();
        let page = super::read_text("028.txt", &text, &profile).expect("a page");
        let c = super::assemble(vec![page], &profile.lexicon);
        let texts: Vec<String> = c.articles.iter().flat_map(|a| &a.blocks).map(|b| b.text().into_owned()).collect();
        for lead in ["陽光如瀑", "避開白天的驕陽", "株洲臨水建城", "【核心提示】", "城區屢遭洪災"]
        {
            assert_eq!(texts.iter().filter(|t| t.contains(lead)).count(), 1, "{lead}: {texts:?}");
        }
        assert!(texts.iter().any(|t| t.contains("這首民謠")));
    }

    #[test]
    fn ranges_are_compact() {
        assert_eq!(super::ranges(&[1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]), "1–2, 4–13");
        assert_eq!(super::ranges(&[3]), "3");
    }
}
