//! The reader's lexicon: word lists, patterns, weights and limits by which
//! lines are told apart (chrome, meta fields, bylines, blurbs, headings,
//! titles), read from `lexicon.toml` (built in) and extended by the
//! `lexicon` table of a `[[profile]]` in `folio.toml`.
//!
//! Everything a maintainer tunes lives in that file; this module only types
//! it and compiles its patterns once.

use std::sync::{Arc, LazyLock, OnceLock};

use aho_corasick::AhoCorasick;
use serde::Deserialize;

pub use super::patterns::Patterns;
use crate::model::FrontKind;

/// The built-in lexicon's text.
const BUILTIN: &str = include_str!("lexicon.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lexicon {
    pub chrome: Chrome,
    pub meta: Meta,
    pub byline: Byline,
    pub blurb: BlurbWords,
    pub front: Front,
    pub heading: Heading,
    pub title: TitleWeights,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chrome {
    pub lines: Vec<String>,
    pub prefixes: Vec<String>,
    pub words: Vec<String>,
    pub breadcrumb_openers: Vec<String>,
    pub breadcrumb_roots: Vec<String>,
    pub separators: Vec<String>,
    pub contact_keys: Vec<String>,
    pub counter_patterns: Vec<String>,
    pub journal_patterns: Vec<String>,
    pub promo_patterns: Vec<String>,
    pub site_name_endings: Vec<String>,
    pub bullets: Vec<String>,
    pub related_headers: Vec<String>,
    pub closing_reasons: Vec<String>,
    /// Reasons that come from a line's form alone, not from its words.
    pub form_only_reasons: Vec<String>,
    pub weights: ChromeWeights,
    pub limits: ChromeLimits,
}

/// Evidence weights of the chrome classifier (see `lexicon.toml`).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChromeWeights {
    pub threshold: i32,
    pub whole_line: i32,
    pub prefix: i32,
    pub breadcrumb: i32,
    pub counter: i32,
    pub contact: i32,
    pub journal_id: i32,
    pub ascii_noise: i32,
    pub url: i32,
    pub word_short: i32,
    pub word_medium: i32,
    pub menu: i32,
    pub list_run: i32,
    pub list_run_before_title: i32,
    pub site_name: i32,
    pub no_han: i32,
    pub edge: i32,
    pub between_chrome: i32,
    pub next_to_chrome: i32,
    pub repeated: i32,
    pub duplicate_block: i32,
    pub title_tag: i32,
    pub prose: i32,
    pub long_line: i32,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChromeLimits {
    pub short_chars: usize,
    pub medium_chars: usize,
    pub menu_items: usize,
    pub menu_item_chars: usize,
    pub list_run: usize,
    pub list_item_chars: usize,
    pub repeated_share: f64,
    pub noise_tokens: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub author_keys: Vec<String>,
    pub date_keys: Vec<String>,
    pub other_keys: Vec<String>,
    pub credit_endings: Vec<String>,
    pub filler: Vec<String>,
    pub max_leftover_chars: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Byline {
    pub not_names: Vec<String>,
    pub position_endings: Vec<String>,
    pub run_in_patterns: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlurbWords {
    pub labels: Vec<String>,
    pub openers: Vec<String>,
    pub bio_patterns: Vec<String>,
    pub unit_openers: Vec<String>,
    pub institution_words: Vec<String>,
}

/// Front matter labels by kind.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Front {
    pub r#abstract: Vec<String>,
    pub keywords: Vec<String>,
    pub classification: Vec<String>,
    pub funding: Vec<String>,
    pub history: Vec<String>,
    pub citation: Vec<String>,
    pub note: Vec<String>,
}

impl Front {
    /// Every label with its kind.
    pub fn labels(&self) -> impl Iterator<Item = (&str, FrontKind)> {
        [
            (&self.r#abstract, FrontKind::Abstract),
            (&self.keywords, FrontKind::Keywords),
            (&self.classification, FrontKind::Classification),
            (&self.funding, FrontKind::Funding),
            (&self.history, FrontKind::History),
            (&self.citation, FrontKind::Citation),
            (&self.note, FrontKind::Note),
        ]
        .into_iter()
        .flat_map(|(list, kind)| list.iter().map(move |l| (l.as_str(), kind)))
    }

    /// The kind of front matter `label` names (spaces inside ignored).
    pub fn kind_of(&self, label: &str) -> Option<FrontKind> {
        let label: String = label.chars().filter(|c| !c.is_whitespace()).collect();
        self.labels().find(|(l, _)| l.chars().filter(|c| !c.is_whitespace()).eq(label.chars())).map(|(_, k)| k)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Heading {
    pub numbering_patterns: Vec<String>,
    pub caption_patterns: Vec<String>,
    pub issue_patterns: Vec<String>,
}

/// Evidence weights for a title (see `lexicon.toml`).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TitleWeights {
    pub threshold: i32,
    pub structural: i32,
    pub separator: i32,
    pub dash: i32,
    pub long_15: i32,
    pub long_28: i32,
    pub long_34: i32,
    pub numbered: i32,
    pub closing_follows: i32,
    pub in_verse: i32,
    pub in_list: i32,
    pub very_short: i32,
    pub institution: i32,
    pub form_only: i32,
}

/// A lexicon with its patterns compiled, shared by every page of a run.
#[derive(Debug)]
pub struct Compiled {
    pub words: Lexicon,
    /// The TOML the lexicon was read from, for a profile's additions to merge with.
    table: toml::Table,
    pub counters: Patterns,
    pub journal: Patterns,
    pub promo: Patterns,
    pub numbering: Patterns,
    pub captions: Patterns,
    pub issues: Patterns,
    pub bios: Patterns,
    pub run_in: Patterns,
    /// Meta keys, longest first, with what each says.
    pub meta_keys: Vec<(String, MetaKey)>,
    /// Where any meta key starts (see [`Compiled::meta_key_starts`]).
    meta_key_starts: OnceLock<AhoCorasick>,
    /// The chrome's widget words (see [`Compiled::chrome_words`]).
    chrome_words: OnceLock<AhoCorasick>,
    /// The characters front matter labels open with (spaces aside), for a
    /// quick no; `None` when some label has none.
    pub front_firsts: Option<Vec<char>>,
    /// The characters the chrome's prefixes open with, for a quick no;
    /// `None` when a prefix is empty.
    pub prefix_firsts: Option<Vec<char>>,
    /// The characters the bullets open with, for a quick no; `None` when a
    /// bullet is empty.
    pub bullet_firsts: Option<Vec<char>>,
    /// Separators written between spaces (` > `), as menus set them.
    pub spaced_separators: Vec<String>,
    /// The one-character separators.
    pub separator_chars: Vec<char>,
}

impl Compiled {
    fn lists(&self) -> [&Patterns; 8] {
        [
            &self.counters,
            &self.journal,
            &self.promo,
            &self.numbering,
            &self.captions,
            &self.issues,
            &self.bios,
            &self.run_in,
        ]
    }

    /// Finds where any meta key starts (overlapping matches); built when
    /// first asked.
    pub fn meta_key_starts(&self) -> &AhoCorasick {
        self.meta_key_starts.get_or_init(|| {
            meta_key_automaton(&self.meta_keys).expect("built when the lexicon is extended; the built-in is tested")
        })
    }

    /// Whether a line holds any of the chrome's widget words, in one pass;
    /// built when first asked.
    pub fn chrome_words(&self) -> &AhoCorasick {
        self.chrome_words.get_or_init(|| {
            chrome_word_automaton(&self.words.chrome.words)
                .expect("built when the lexicon is extended; the built-in is tested")
        })
    }

    /// Builds, side by side on the thread pool, the set of every list and
    /// the automata of words: each is asked of every page or article (see
    /// [`crate::pipeline::warm_up`]); a pattern's own regex waits until
    /// needed.
    pub fn warm_up(&self) {
        use rayon::prelude::*;
        rayon::join(
            || self.lists().par_iter().for_each(|list| list.warm_up()),
            || {
                self.meta_key_starts();
                self.chrome_words();
            },
        );
    }
}

/// What a meta field's key says about its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetaKey {
    Author,
    Date,
    Other,
}

/// An error in a lexicon (the built-in one, or a profile's additions).
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("lexicon: {0}")]
    Toml(String),
    #[error("lexicon: bad pattern `{pattern}`: {message}")]
    Pattern { pattern: String, message: String },
}

static BUILTIN_COMPILED: LazyLock<Arc<Compiled>> =
    LazyLock::new(|| Arc::new(compile_table(builtin_table()).expect("the built-in lexicon is valid")));

fn builtin_table() -> toml::Table {
    BUILTIN.parse::<toml::Table>().expect("the built-in lexicon is TOML")
}

/// The built-in lexicon, compiled once per process.
pub fn builtin() -> Arc<Compiled> {
    Arc::clone(&BUILTIN_COMPILED)
}

/// The built-in lexicon extended by `additions` (a profile's `lexicon`
/// table): lists are appended to, numbers replaced. Unknown keys are errors.
pub fn extended(base: &Compiled, additions: &toml::Table) -> Result<Compiled, LexiconError> {
    let mut table = base.table.clone();
    merge(&mut table, additions);
    let compiled = compile_table(table)?;
    // A user's pattern or word list that is well-formed can still fail to
    // compile (too large): found now, with the profile named, not when a
    // page first needs it.
    for list in compiled.lists() {
        list.build_all()?;
    }
    let _ = compiled.meta_key_starts.set(meta_key_automaton(&compiled.meta_keys)?);
    let _ = compiled.chrome_words.set(chrome_word_automaton(&compiled.words.chrome.words)?);
    Ok(compiled)
}

fn meta_key_automaton(keys: &[(String, MetaKey)]) -> Result<AhoCorasick, LexiconError> {
    AhoCorasick::new(keys.iter().map(|(k, _)| k)).map_err(|e| LexiconError::Toml(format!("meta keys: {e}")))
}

fn chrome_word_automaton(words: &[String]) -> Result<AhoCorasick, LexiconError> {
    // Asked of short lines only: an NFA, quick to build, is enough.
    // Leftmost-first lets the search use a vectorised literal searcher
    // (Teddy); whether any word is there is answered alike.
    AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .build(words)
        .map_err(|e| LexiconError::Toml(format!("chrome words: {e}")))
}

fn merge(base: &mut toml::Table, additions: &toml::Table) {
    for (key, value) in additions {
        match (base.get_mut(key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(a)) => merge(b, a),
            (Some(toml::Value::Array(b)), toml::Value::Array(a)) => b.extend(a.iter().cloned()),
            _ => {
                base.insert(key.clone(), value.clone());
            }
        }
    }
}

fn compile_table(table: toml::Table) -> Result<Compiled, LexiconError> {
    let words: Lexicon =
        table.clone().try_into().map_err(|e: toml::de::Error| LexiconError::Toml(e.message().to_string()))?;
    let mut meta_keys: Vec<(String, MetaKey)> = Vec::new();
    for (list, kind) in [
        (&words.meta.author_keys, MetaKey::Author),
        (&words.meta.date_keys, MetaKey::Date),
        (&words.meta.other_keys, MetaKey::Other),
    ] {
        meta_keys.extend(list.iter().map(|k| (k.clone(), kind)));
    }
    meta_keys.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
    let front_firsts = words
        .front
        .labels()
        .map(|(l, _)| l.chars().find(|&c| c != ' ').filter(|&c| c != '\u{3000}'))
        .collect::<Option<Vec<char>>>();
    let seps = &words.chrome.separators;
    Ok(Compiled {
        chrome_words: OnceLock::new(),
        front_firsts,
        prefix_firsts: words.chrome.prefixes.iter().map(|p| p.chars().next()).collect(),
        bullet_firsts: words.chrome.bullets.iter().map(|b| b.chars().next()).collect(),
        spaced_separators: seps.iter().map(|s| format!(" {s} ")).collect(),
        separator_chars: seps
            .iter()
            .filter_map(|s| {
                let mut cs = s.chars();
                cs.next().filter(|_| cs.next().is_none())
            })
            .collect(),
        counters: Patterns::new(&words.chrome.counter_patterns),
        journal: Patterns::new(&words.chrome.journal_patterns),
        promo: Patterns::new(&words.chrome.promo_patterns),
        numbering: Patterns::new(&words.heading.numbering_patterns),
        captions: Patterns::new(&words.heading.caption_patterns),
        issues: Patterns::new(&words.heading.issue_patterns),
        bios: Patterns::new(&words.blurb.bio_patterns),
        run_in: Patterns::new(&words.byline.run_in_patterns),
        meta_key_starts: OnceLock::new(),
        meta_keys,
        words,
        table,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_compiles() {
        let l = builtin();
        for list in l.lists() {
            list.build_all().unwrap();
            assert!(list.set().is_some());
        }
        assert!(l.words.chrome.lines.iter().any(|w| w == "联系我们"));
        assert!(l.meta_keys.windows(2).all(|w| w[0].0.len() >= w[1].0.len()));
        assert_eq!(l.words.front.kind_of("摘 要"), Some(FrontKind::Abstract));
        assert_eq!(l.words.front.kind_of("关键词"), Some(FrontKind::Keywords));
        assert_eq!(l.words.front.kind_of("作者简介"), None);
    }

    #[test]
    fn a_list_answers_as_its_patterns_one_by_one() {
        let l = builtin();
        let list = &l.numbering;
        let lines = ["一、引言", "（一）研究背景", "1. 概述", "第二章 方法", "2019年的工作", "III. Results", ""];
        for a in lines {
            let each: Vec<usize> = (0..list.len()).filter(|&i| list.pattern(i).is_match(a)).collect();
            assert_eq!(list.matching(a), each, "{a}");
            assert_eq!(list.is_match(a), !each.is_empty(), "{a}");
            assert_eq!(list.first_match(a), each.first().copied(), "{a}");
            for b in lines {
                let both = (0..list.len()).any(|i| list.pattern(i).is_match(a) && list.pattern(i).is_match(b));
                assert_eq!(list.one_matches_both(a, b), both, "{a} / {b}");
            }
        }
        assert_eq!(list.first_match("（一）研究背景"), Some(2));
    }

    #[test]
    fn profile_additions_extend_lists_and_replace_numbers() {
        let add: toml::Table = "[chrome]\nlines = [\"本站广告\"]\n[chrome.weights]\nthreshold = 6\n".parse().unwrap();
        let l = extended(&builtin(), &add).unwrap();
        assert!(l.words.chrome.lines.iter().any(|w| w == "本站广告"));
        assert!(l.words.chrome.lines.iter().any(|w| w == "联系我们"));
        assert_eq!(l.words.chrome.weights.threshold, 6);
        let typo: toml::Table = "[chrome]\nlinez = [\"x\"]\n".parse().unwrap();
        assert!(extended(&builtin(), &typo).is_err());
        let bad: toml::Table = "[heading]\ncaption_patterns = [\"(\"]\n".parse().unwrap();
        assert!(matches!(extended(&builtin(), &bad), Err(LexiconError::Pattern { .. })));
    }
}
