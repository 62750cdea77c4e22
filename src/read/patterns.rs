//! A list of the lexicon's patterns (see [`Patterns`]): one automaton for
//! the list, each pattern's own regex built only when needed.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use regex::Regex;
use regex_syntax::hir::{Capture, Hir, HirKind, Look, Repetition};

use super::lexicon::LexiconError;

mod automaton;
mod required;

use automaton::Automaton;

/// One of the lexicon's lists of patterns, built into automata only when
/// first asked: building them is most of a run's fixed cost (bench13: two
/// thirds of the reader's), and a run that never asks never pays.
///
/// Most questions are whether any pattern of the list matches a line, or
/// which: one automaton for the whole list answers them (a lazy DFA, see
/// `automaton`; a fraction of the cost of one regex per pattern), asked
/// only of lines that hold a literal some pattern needs (see `required`).
/// A pattern's own regex is built only when its captures or matches are
/// needed, and only once the set has said it matches.
///
/// The set is built from each pattern *relaxed*: a counted repetition with
/// a bound of [`RELAX_FROM`] or more loses its bound (`\S{0,20}` → `\S*`,
/// `[^()]{2,60}` → `[^()]{2,}`; a run of any characters keeps it, see
/// [`relax`]). That matches a superset of what the pattern matches and
/// costs a fraction to build (each bounded copy of a Unicode class is an
/// automaton of its own). Where the set says a relaxed pattern matches, the
/// pattern's own regex confirms it, so every answer is the exact pattern's.
///
/// Nothing is parsed when the list is made: relaxing needs each pattern's
/// parse, which is done with the set, on the pool (see
/// [`Compiled::warm_up`](super::lexicon::Compiled::warm_up)), so loading
/// the lexicon puts no parsing in front of the first page. A user's list
/// is checked by [`Patterns::build_all`] when the lexicon is extended.
#[derive(Debug)]
pub struct Patterns {
    sources: Vec<String>,
    set: OnceLock<Set>,
    each: Vec<OnceLock<Regex>>,
}

/// The automata for a whole list.
#[derive(Debug)]
struct Set {
    /// `None` when the patterns do not go into one set (over the size
    /// limit together): each pattern is then asked on its own.
    set: Option<Automaton>,
    /// Whether pattern `i` went into the set relaxed: a match of the set
    /// must then be confirmed by the pattern's own regex.
    relaxed: Vec<bool>,
    /// The literals one of which a line must hold for any pattern to match
    /// it (see [`required`]); `None` when some pattern requires none, or
    /// when every pattern is anchored at the start.
    required: Option<AhoCorasick>,
}

/// A counted repetition whose upper bound is at least this (and above its
/// lower bound) loses the bound in a list's set (see [`Patterns`]).
pub const RELAX_FROM: u32 = 4;

/// Whether `hir` is a dot: any character (but perhaps a line break).
fn is_any_char(hir: &Hir) -> bool {
    use regex_syntax::hir::Dot;
    [Dot::AnyChar, Dot::AnyCharExceptLF, Dot::AnyCharExceptCRLF].into_iter().any(|d| *hir == Hir::dot(d))
}

/// `hir` with every counted repetition bounded at [`RELAX_FROM`] or more
/// made unbounded: it matches wherever `hir` does, and more.
///
/// A run of any characters (`.{0,16}`) keeps its bound: unbounded, it
/// spans whole sentences, so in prose the relaxed set matches line after
/// line (`不代表…` here, `…观点` further on) and every such pattern's own
/// regex has to be built to confirm; the bounded dot costs less to build
/// than those regexes.
fn relax(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Repetition(r) if is_any_char(&r.sub) => hir.clone(),
        HirKind::Repetition(r) => {
            let max = r.max.filter(|&max| max < RELAX_FROM || max == r.min);
            Hir::repetition(Repetition { min: r.min, max, greedy: r.greedy, sub: Box::new(relax(&r.sub)) })
        }
        HirKind::Capture(c) => {
            Hir::capture(Capture { index: c.index, name: c.name.clone(), sub: Box::new(relax(&c.sub)) })
        }
        HirKind::Concat(parts) => Hir::concat(parts.iter().map(relax).collect()),
        HirKind::Alternation(parts) => Hir::alternation(parts.iter().map(relax).collect()),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => hir.clone(),
    }
}

/// `hir` relaxed (see [`Patterns`]), or `None` where that changes nothing.
fn relaxed(hir: &Hir) -> Option<String> {
    let loose = relax(hir);
    (loose != *hir).then(|| loose.to_string())
}

impl Patterns {
    /// The list; nothing is parsed or built yet.
    pub(super) fn new(sources: &[String]) -> Patterns {
        let each = sources.iter().map(|_| OnceLock::new()).collect();
        Patterns { sources: sources.to_vec(), set: OnceLock::new(), each }
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

    pub(super) fn set(&self) -> Option<&Automaton> {
        self.built().set.as_ref()
    }

    fn built(&self) -> &Set {
        self.set.get_or_init(|| {
            // A pattern that does not parse is left as it is: its own regex
            // reports the error (see `build_all`).
            let hirs: Vec<Option<Hir>> =
                self.sources.iter().map(|p| regex_syntax::Parser::new().parse(p).ok()).collect();
            let loose: Vec<Option<String>> = hirs.iter().map(|h| h.as_ref().and_then(relaxed)).collect();
            let set = Automaton::new(
                &self.sources.iter().zip(&loose).map(|(p, r)| r.as_deref().unwrap_or(p)).collect::<Vec<_>>(),
            );
            // A list of patterns anchored at the start is answered within a
            // line's first characters: searching the line for literals
            // would cost more than it saves.
            let anchored = hirs.iter().flatten().all(|h| h.properties().look_set_prefix().contains(Look::Start));
            let literals = hirs.iter().map(|h| h.as_ref().and_then(required::required)).collect::<Option<Vec<_>>>();
            let required = literals.filter(|_| !anchored).map(|each| each.concat()).filter(|l| !l.is_empty());
            let required = required.and_then(|mut l| {
                l.sort();
                l.dedup();
                // Leftmost-first: what lets the search use a vectorised
                // literal searcher (Teddy); any match answers alike.
                // An NFA is enough behind that searcher, and quicker to build.
                AhoCorasick::builder()
                    .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
                    .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                    .build(l)
                    .ok()
            });
            Set { set, relaxed: loose.iter().map(Option::is_some).collect(), required }
        })
    }

    /// Whether `s` holds a literal some pattern requires (see [`Set::required`]):
    /// when not, no pattern matches it.
    fn may_match(&self, s: &str) -> bool {
        self.built().required.as_ref().is_none_or(|lits| lits.is_match(s))
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

    /// Whether pattern `i`, which the relaxed set says matches `s`, does.
    fn confirmed(&self, i: usize, s: &str) -> bool {
        !self.built().relaxed[i] || self.pattern(i).is_match(s)
    }

    /// The patterns that match `s`, in the list's order.
    pub fn matching(&self, s: &str) -> Vec<usize> {
        if !self.may_match(s) {
            return vec![];
        }
        match self.set() {
            Some(set) => set.matches(s).into_iter().filter(|&i| self.confirmed(i, s)).collect(),
            None => (0..self.len()).filter(|&i| self.pattern(i).is_match(s)).collect(),
        }
    }

    /// Whether any pattern matches `s`.
    pub fn is_match(&self, s: &str) -> bool {
        if !self.may_match(s) {
            return false;
        }
        match self.set() {
            // Which patterns matched only matters where one is relaxed.
            Some(set) if self.built().relaxed.contains(&true) => {
                set.is_match(s) && set.matches(s).into_iter().any(|i| self.confirmed(i, s))
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn list(sources: &[&str]) -> Patterns {
        Patterns::new(&sources.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn only_long_counted_repetitions_are_relaxed() {
        let l = list(&[
            "仅代表[^。]{0,16}(?:观点|立场)",
            r"^图\s*[0-9]{1,2}\s",
            "^ISSN\\s*[0-9]{4}-",
            "报料热线",
            "仅代表.{0,16}(?:观点|立场)",
        ]);
        let relaxed: Vec<Option<String>> =
            l.sources.iter().map(|p| relaxed(&regex_syntax::Parser::new().parse(p).unwrap())).collect();
        assert!(relaxed[0].as_deref().is_some_and(|r| !r.contains("16")));
        assert_eq!(relaxed[1], None, "a bound under {RELAX_FROM} stays");
        assert_eq!(relaxed[2], None, "an exact count stays");
        assert_eq!(relaxed[3], None);
        assert_eq!(relaxed[4], None, "a run of any characters stays");
        assert_eq!(l.built().relaxed, [true, false, false, false, false]);
    }

    #[test]
    fn a_disclaimer_is_answered_by_the_set_alone() {
        // A real closing line of bench13: the patterns with a run of any
        // characters match it as written, so no pattern's own regex is built.
        let l = list(&["仅代表.{0,16}(?:观点|立场)", "不代表.{0,16}(?:观点|立场)", "未经.{0,8}(?:授权|许可|同意)"]);
        let line = "本文为澎湃号作者或机构在澎湃新闻上传并发布,仅代表该作者或机构观点,不代表澎湃新闻的观点或立场,澎湃新闻仅提供信息发布平台。";
        assert_eq!(l.matching(line), [0, 1]);
        assert!(l.is_match(line));
        assert!(l.each.iter().all(|re| re.get().is_none()), "no pattern's own regex was built");
    }

    #[test]
    fn a_relaxed_set_still_answers_as_the_exact_patterns() {
        // Real lines: a disclaimer within the bound, one past it, a run-in
        // dateline with its fields, and a bracket longer than the pattern allows.
        let l = list(&[
            "仅代表[^。]{0,16}(?:观点|立场)",
            r"^(?:本报讯|[^\s(（]{2,12}网[^\s(（]{0,10}电)\s*[(（](?P<fields>[^()（）]{2,60})[)）]",
        ]);
        let near = "本文仅代表作者本人观点";
        let far = "本文仅代表作者本人在二〇二三年春季学术研讨会上所发表的全部观点";
        let run_in = "本报讯（记者 张三 通讯员 李四）近日，";
        let long_fields = format!("本报讯（{}）", "很".repeat(61));
        for s in [near, far, run_in, long_fields.as_str(), ""] {
            let each: Vec<usize> = (0..l.len()).filter(|&i| l.pattern(i).is_match(s)).collect();
            assert_eq!(l.matching(s), each, "{s}");
            assert_eq!(l.is_match(s), !each.is_empty(), "{s}");
        }
        assert_eq!(l.matching(near), [0]);
        assert!(!l.is_match(far), "past the bound of 16");
        assert_eq!(l.matching(run_in), [1]);
        assert!(!l.is_match(&long_fields));
        assert!(l.set().is_some_and(|set| set.is_match(far) && set.is_match(&long_fields)), "the set alone is looser");
    }
}
