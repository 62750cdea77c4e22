//! A list of the lexicon's patterns (see [`Patterns`]): one automaton for
//! the list, each pattern's own regex built only when needed.

use std::sync::OnceLock;

use regex::{Regex, RegexSet};

use super::lexicon::LexiconError;

/// One of the lexicon's lists of patterns, built into automata only when
/// first asked: building them is most of a run's fixed cost (bench13: two
/// thirds of the reader's), and a run that never asks never pays.
///
/// Most questions are whether any pattern of the list matches a line, or
/// which: one automaton for the whole list answers them (a `RegexSet`,
/// a fraction of the cost of one regex per pattern). A pattern's own regex
/// is built only when its captures or matches are needed, and only once the
/// set has said it matches.
#[derive(Debug)]
pub struct Patterns {
    sources: Vec<String>,
    /// `None` when the patterns do not go into one set (over the size
    /// limit together): each pattern is then asked on its own.
    set: OnceLock<Option<RegexSet>>,
    each: Vec<OnceLock<Regex>>,
}

impl Patterns {
    /// The list, each pattern's syntax checked (a cheap parse, no
    /// automaton) so that a bad one is named.
    pub(super) fn new(sources: &[String]) -> Result<Patterns, LexiconError> {
        for p in sources {
            regex_syntax::Parser::new()
                .parse(p)
                .map_err(|e| LexiconError::Pattern { pattern: p.clone(), message: e.to_string() })?;
        }
        let each = sources.iter().map(|_| OnceLock::new()).collect();
        Ok(Patterns { sources: sources.to_vec(), set: OnceLock::new(), each })
    }

    /// Builds every automaton now, naming the first pattern that does not
    /// compile (a user's pattern can be well-formed and still too large).
    pub(super) fn build_all(&self) -> Result<(), LexiconError> {
        for (p, cell) in self.sources.iter().zip(&self.each) {
            let re = Regex::new(p).map_err(|e| LexiconError::Pattern { pattern: p.clone(), message: e.to_string() })?;
            let _ = cell.set(re);
        }
        self.set();
        Ok(())
    }

    pub(super) fn set(&self) -> Option<&RegexSet> {
        self.set.get_or_init(|| RegexSet::new(&self.sources).ok()).as_ref()
    }

    /// How many patterns the list holds.
    pub fn len(&self) -> usize {
        self.sources.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// Pattern `i`'s own regex.
    pub fn pattern(&self, i: usize) -> &Regex {
        self.each[i].get_or_init(|| {
            Regex::new(&self.sources[i]).expect("a lexicon's patterns are compiled when it is loaded, or tested")
        })
    }

    /// The patterns that match `s`, in the list's order.
    pub fn matching(&self, s: &str) -> Vec<usize> {
        match self.set() {
            Some(set) => set.matches(s).into_iter().collect(),
            None => (0..self.len()).filter(|&i| self.pattern(i).is_match(s)).collect(),
        }
    }

    /// Whether any pattern matches `s`.
    pub fn is_match(&self, s: &str) -> bool {
        match self.set() {
            Some(set) => set.is_match(s),
            None => (0..self.len()).any(|i| self.pattern(i).is_match(s)),
        }
    }

    /// The first pattern, in the list's order, that matches `s`.
    pub fn first_match(&self, s: &str) -> Option<usize> {
        self.matching(s).first().copied()
    }

    /// Whether pattern `i` matches `s`.
    pub fn matches_at(&self, i: usize, s: &str) -> bool {
        self.matching(s).contains(&i)
    }

    /// Whether one pattern matches both `a` and `b`.
    pub fn one_matches_both(&self, a: &str, b: &str) -> bool {
        let b = self.matching(b);
        self.matching(a).iter().any(|i| b.contains(i))
    }

    /// Builds the set now (see [`Compiled::warm_up`]).
    pub(super) fn warm_up(&self) {
        self.set();
    }
}
