//! One automaton for a whole list of patterns, asked only whether any
//! pattern matches a line and which: a lazy DFA over the list's forward
//! NFA, with a PikeVM over the same NFA where the lazy DFA gives up.
//!
//! Why not `regex::RegexSet`: it builds everything a search for positions
//! needs as well (a reverse NFA, a one-pass DFA, a backtracker, literal
//! prefilters), which no question asked of a list uses; built once per run
//! in front of the first page, that was two thirds of the cost of the
//! lexicon's automata.

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson::{self, pikevm::PikeVM, WhichCaptures};
use regex_automata::util::pool::Pool;
use regex_automata::{Input, MatchKind, PatternSet};

/// The most memory the list's NFA may take (as `regex` allows a regex).
const NFA_SIZE_LIMIT: usize = 10 * (1 << 20);

thread_local! {
    /// The thread's NFA compiler, reused for every list: a compiler fills a
    /// 10,000-entry map (about 320 KB, fresh memory) the first time it
    /// compiles a Unicode class, and dropping it walks the map again.
    /// regex-automata clears its state before each build and keeps the map.
    static COMPILER: thompson::Compiler = {
        let mut compiler = thompson::Compiler::new();
        compiler.configure(
            thompson::Config::new().which_captures(WhichCaptures::None).nfa_size_limit(Some(NFA_SIZE_LIMIT)),
        );
        compiler
    };
}

type CachePool = Pool<Cache, Box<dyn Fn() -> Cache + Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>>;

/// The automaton of a list of patterns.
pub struct Automaton {
    dfa: DFA,
    pikevm: PikeVM,
    /// Each thread's lazy DFA cache.
    caches: CachePool,
}

impl std::fmt::Debug for Automaton {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Automaton({} patterns)", self.dfa.pattern_len())
    }
}

impl Automaton {
    /// `None` when the patterns do not compile together (one is invalid, or
    /// together they exceed the size limit).
    pub(super) fn new<P: AsRef<str>>(patterns: &[P]) -> Option<Automaton> {
        let nfa = COMPILER.with(|compiler| compiler.build_many(patterns).ok())?;
        let dfa =
            DFA::builder().configure(DFA::config().match_kind(MatchKind::All)).build_from_nfa(nfa.clone()).ok()?;
        let pikevm =
            PikeVM::builder().configure(PikeVM::config().match_kind(MatchKind::All)).build_from_nfa(nfa).ok()?;
        let for_pool = dfa.clone();
        let caches: CachePool = Pool::new(Box::new(move || for_pool.create_cache()));
        Some(Automaton { dfa, pikevm, caches })
    }

    /// Whether any pattern matches `s`.
    pub fn is_match(&self, s: &str) -> bool {
        let input = Input::new(s).earliest(true);
        match self.dfa.try_search_fwd(&mut self.caches.get(), &input) {
            Ok(found) => found.is_some(),
            Err(_) => self.pikevm.is_match(&mut self.pikevm.create_cache(), input),
        }
    }

    /// The patterns that match `s`, in the list's order.
    pub fn matches(&self, s: &str) -> Vec<usize> {
        let input = Input::new(s);
        let mut found = PatternSet::new(self.dfa.pattern_len());
        if self.dfa.try_which_overlapping_matches(&mut self.caches.get(), &input, &mut found).is_err() {
            found.clear();
            self.pikevm.which_overlapping_matches(&mut self.pikevm.create_cache(), &input, &mut found);
        }
        found.iter().map(|p| p.as_usize()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_answers_as_a_regex_set() {
        // Real lines against the built-in counters and journal identifiers.
        let patterns = [
            r"(?:点击|浏览|阅读)(?:次数|量|数|人数)?\s*[:：]?\s*\d+\s*次?",
            r"^-?\s*\d+\s*字$",
            r"^ISSN\s*[0-9]{4}-[0-9]{3}[0-9Xx]$",
            r"^第\s*\d+\s*版\s*[:：]",
        ];
        let a = Automaton::new(&patterns).expect("valid patterns");
        let set = regex::RegexSet::new(patterns).expect("valid patterns");
        for line in ["观看:967 评论:0 点击:646", "- 3200字", "ISSN 1008-2204", "第 05 版：要闻", "点击", "", "全文共计"]
        {
            assert_eq!(a.matches(line), set.matches(line).into_iter().collect::<Vec<_>>(), "{line}");
            assert_eq!(a.is_match(line), set.is_match(line), "{line}");
        }
        assert_eq!(a.matches("点击:646"), [0]);
        assert!(Automaton::new(&["("]).is_none());
    }
}
