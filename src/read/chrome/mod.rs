//! Site chrome by what it is, not by site: each line of a page is scored on
//! shallow features that hold across Chinese article pages (widget words,
//! breadcrumbs, counters, contact details, menus, bullet runs, anti-scrape
//! junk, lines without Chinese at the page's edge), then its neighbours
//! (jusText's context smoothing: a short line between chrome lines is
//! chrome), its place on the page (outside the article's text) and its
//! repetition (on most pages of a compilation, or as a teaser repeated
//! further down the same page). The weights are data (`lexicon.toml`); the
//! verdict carries its reasons.
//!
//! [`own`] scores each line by itself; this module weighs those scores
//! against the page and the compilation.

use std::collections::{BTreeMap, BTreeSet};

use super::lexicon::Compiled;
use super::line::Line;

mod own;

use own::strip_bullet;
pub use own::{bulleted, own_evidence, prose};

/// Why a line was taken for chrome, and how sure.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Evidence {
    pub score: i32,
    pub reasons: Vec<&'static str>,
    /// Chrome that closes an article (credits, share prompts, copyright,
    /// related links): what follows may open the next one.
    pub closing: bool,
}

impl Evidence {
    fn add(&mut self, weight: i32, reason: &'static str) {
        if weight != 0 {
            self.score += weight;
            self.reasons.push(reason);
        }
    }
}

/// What the page's lines are, as far as chrome goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Carries something of the article (a date, a byline, a blurb, front matter):
    /// never chrome, whatever it looks like.
    Informative,
    /// Reads like a sentence of the article.
    Prose,
    /// Anything else: judged by its evidence.
    Other,
}

/// Per page: which lines are chrome. `roles[i]` says what the rest of the
/// reader made of line `i`; `repeated` holds lines seen on most pages of the
/// compilation; `title` is the page's title line when known.
pub fn page_chrome(
    lines: &[Line],
    roles: &[Role],
    repeated: &BTreeSet<String>,
    lex: &Compiled,
) -> Vec<Option<Evidence>> {
    let c = &lex.words.chrome;
    let w = c.weights;
    let lim = c.limits;
    let n = lines.len();
    let mut ev: Vec<Evidence> = lines.iter().map(|l| own_evidence(l, lex)).collect();
    let own_scores: Vec<i32> = ev.iter().map(|e| e.score).collect();

    // Repeated on most pages of the compilation.
    for (i, l) in lines.iter().enumerate() {
        if repeated.contains(&l.key) {
            ev[i].add(w.repeated, "on most pages");
        }
    }

    // Lines chrome whatever else they are (the dated items of a list of links).
    let mut forced = vec![false; n];

    // Runs of bulleted short lines: menus and lists of links.
    let first_prose = roles.iter().position(|r| *r == Role::Prose).unwrap_or(n);
    let last_prose = roles.iter().rposition(|r| *r == Role::Prose).map_or(0, |p| p + 1);
    let mut i = 0;
    while i < n {
        let item = |j: usize| bulleted(&lines[j].key, lex) && lines[j].chars <= lim.list_item_chars;
        if !item(i) {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && item(i) {
            i += 1;
        }
        if i - start >= lim.list_run {
            let before = start < first_prose;
            // A list of fields (`• 时间:…`, `• 点击:…`) keeps its date; a list of
            // links keeps nothing, dated items included.
            let fields = (start..i).all(|j| roles[j] == Role::Informative || lines[j].key.contains(':'));
            for j in start..i {
                ev[j].add(if before { w.list_run_before_title } else { w.list_run }, "one of a list of links");
                let short_of = w.threshold - ev[j].score;
                if !fields && short_of > 0 {
                    ev[j].add(short_of, "one of a list of links");
                }
                forced[j] = !fields;
            }
        }
    }

    // Under a header of related links, the headline-like lines are links.
    let mut i = 0;
    while i < n {
        let header = {
            let k = strip_bullet(lines[i].key.trim(), lex).trim_end_matches([':', ' ']);
            c.related_headers.iter().any(|h| h == k)
        };
        i += 1;
        // Only below the article's text: at the top, what follows may be the title.
        if header && i > first_prose {
            while i < n
                && roles[i] == Role::Other
                && lines[i].chars <= lim.list_item_chars * 3 / 2
                && !prose(&lines[i].text)
            {
                ev[i].add(w.list_run, "one of a list of links");
                ev[i].add(w.list_run, "under a header of related links");
                i += 1;
            }
        }
    }

    // Teasers: a run of lines repeated further down the page. Its sentences
    // go too (a lead paragraph shown twice): the later copy keeps the text,
    // so dropping the earlier one loses nothing and prints nothing twice.
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, l) in lines.iter().enumerate().rev() {
        if l.chars >= 4 {
            if let Some(&later) = seen.get(l.key.as_str()) {
                let next_too = i + 1 < n && later + 1 < n && lines[i + 1].key == lines[later + 1].key;
                let prev_too = i > 0 && later > 0 && lines[i - 1].key == lines[later - 1].key;
                if next_too || prev_too {
                    const REASON: &str = "repeated further down the page";
                    ev[i].add(w.duplicate_block, REASON);
                    let short_of = w.threshold - ev[i].score;
                    if short_of > 0 && roles[i] == Role::Prose {
                        ev[i].add(short_of, REASON);
                    }
                }
            }
            seen.insert(&l.key, i);
        }
    }

    // Place on the page: outside the article's text, short lines without
    // Chinese and site names at the very top lean towards chrome.
    for (i, l) in lines.iter().enumerate() {
        let edge = i < first_prose || i >= last_prose;
        if !edge || roles[i] != Role::Other {
            continue;
        }
        // A numbering alone (`I.`) heads the first section.
        if lex.numbering.is_match(&l.key) {
            continue;
        }
        // Latin text counts letters, so a line without Chinese may be longer.
        let han = l.has_han();
        let room = if !han { lim.medium_chars * 2 } else { lim.medium_chars };
        if l.chars <= room {
            ev[i].add(w.edge, "outside the article");
        }
        if !han && l.chars <= lim.medium_chars * 2 {
            ev[i].add(w.no_han, "no Chinese");
        }
        if i == 0 && l.chars <= 12 && c.site_name_endings.iter().any(|s| l.key.ends_with(s.as_str())) {
            ev[i].add(w.site_name, "a site's name");
        }
    }

    // Above the title: when a heading-like line stands right over the page's
    // first meta line (a date, a byline), the short lines above it are the
    // page's, not the article's.
    if let Some(m) = roles[..first_prose].iter().position(|r| *r == Role::Informative) {
        // The title: the nearest line above that is not chrome by itself.
        let title = (0..m).rev().find(|&t| ev[t].score < w.threshold);
        if let Some(t) =
            title.filter(|&t| t >= 1 && roles[t] == Role::Other && lines[t].chars <= lim.medium_chars * 3 / 2)
        {
            for i in 0..t {
                if roles[i] == Role::Other && lines[i].chars <= lim.short_chars {
                    ev[i].add(w.edge, "above the title");
                }
            }
        }
    }

    // Context: a short line between chrome lines is chrome, and so is one
    // between chrome and the page's edge (twice, so a pair of such lines is
    // caught too; each line gains this once).
    let is_chrome = |e: &Evidence, i: usize| e.score >= w.threshold && (roles[i] != Role::Informative || forced[i]);
    let mut smoothed = vec![false; n];
    for _ in 0..2 {
        let verdict: Vec<bool> = ev.iter().enumerate().map(|(i, e)| is_chrome(e, i)).collect();
        for i in 0..n {
            if verdict[i] || smoothed[i] || roles[i] != Role::Other || lines[i].chars > lim.short_chars {
                continue;
            }
            let prev = i.checked_sub(1).map(|j| verdict[j]);
            let next = (i + 1 < n).then(|| verdict[i + 1]);
            // At the page's edge, a line needs some evidence of its own too.
            let own = own_scores[i] > 0;
            let between = prev == Some(true) && next == Some(true);
            let top = own && prev.is_none() && next == Some(true) && i < first_prose;
            let bottom = own && next.is_none() && prev == Some(true) && i >= last_prose;
            if between || top || bottom {
                ev[i].add(w.between_chrome, "between chrome lines");
                smoothed[i] = true;
            } else if i >= first_prose
                && ev[i].score >= 2
                && (prev == Some(true) || next == Some(true))
                && (i + 1 >= n || roles[i + 1] != Role::Prose)
            {
                // A widget's words next to a widget, in the page's body (a
                // follow prompt of several lines); never above the title.
                ev[i].add(w.next_to_chrome, "next to chrome");
                smoothed[i] = true;
            }
        }
    }
    // Inside the article's text, between two sentences, lines that are chrome
    // by their form alone (a rule `---`, items between bars) are the author's.
    let verdict: Vec<bool> = ev.iter().enumerate().map(|(i, e)| is_chrome(e, i)).collect();
    let form_only: Vec<bool> = ev
        .iter()
        .enumerate()
        .map(|(i, e)| verdict[i] && !forced[i] && e.reasons.iter().all(|r| c.form_only_reasons.iter().any(|x| x == r)))
        .collect();
    let kept_prose = |j: usize| roles[j] == Role::Prose && !verdict[j];
    let mut keep = vec![false; n];
    let mut i = 0;
    while i < n {
        if !form_only[i] {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && form_only[i] {
            i += 1;
        }
        if start > 0 && i < n && kept_prose(start - 1) && kept_prose(i) {
            keep[start..i].fill(true);
        }
    }
    ev.into_iter()
        .enumerate()
        .map(|(i, mut e)| {
            e.closing = e.reasons.iter().any(|r| c.closing_reasons.iter().any(|x| x == r));
            (verdict[i] && !keep[i]).then_some(e)
        })
        .collect()
}

/// Lines found on at least the lexicon's share of a compilation's pages
/// (and on three or more): the site's own chrome.
pub fn repeated_lines<'a>(pages: impl IntoIterator<Item = &'a [Line]>, lex: &Compiled) -> BTreeSet<String> {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    let mut pages_n = 0;
    for page in pages {
        pages_n += 1;
        let distinct: BTreeSet<&str> = page.iter().filter(|l| l.chars >= 2).map(|l| l.key.as_str()).collect();
        for k in distinct {
            *count.entry(k).or_default() += 1;
        }
    }
    let share = lex.words.chrome.limits.repeated_share;
    count
        .into_iter()
        .filter(|&(_, c)| c >= 3 && c as f64 >= share * pages_n as f64)
        .map(|(k, _)| k.to_string())
        .collect()
}
