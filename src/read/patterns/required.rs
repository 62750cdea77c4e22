//! What every match of a pattern must contain: a few literals, one of which
//! appears in any text the pattern matches (`[(（][^()（）]{0,20}(?:供图|摄)…`
//! needs `供图` or `摄`). A list asks its automaton only of lines that hold
//! one (see [`super::Patterns`]): most lines hold none, and one search for
//! a handful of literals costs far less than running the automaton.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Largest class taken as literals (`[男女]`, `[(（]`): a larger one (`\d`,
/// `\p{Han}`) is found in too many lines to tell anything.
const MAX_CLASS_CHARS: u32 = 16;

/// Most literals a pattern's requirement may hold.
const MAX_LITERALS: usize = 64;

/// Literals (UTF-8 bytes), one of which every match of `hir` contains; `None`
/// when no such small set is known (`\d+`, `.*`, `x?`, an anchor alone).
pub(super) fn required(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => None,
        HirKind::Literal(lit) => Some(vec![lit.0.to_vec()]),
        HirKind::Class(class) => class_literals(class),
        HirKind::Repetition(r) if r.min > 0 => required(&r.sub),
        HirKind::Repetition(_) => None,
        HirKind::Capture(c) => required(&c.sub),
        // Each part is in every match: the part whose literals are rarest.
        HirKind::Concat(parts) => parts.iter().filter_map(required).max_by_key(|lits| rarity(lits)),
        // Every branch must require something.
        HirKind::Alternation(parts) => {
            let mut all = Vec::new();
            for part in parts {
                all.extend(required(part)?);
            }
            all.sort();
            all.dedup();
            (all.len() <= MAX_LITERALS).then_some(all)
        }
    }
}

/// How rarely a line holds one of `lits`: the longer the shortest literal
/// the rarer (`仅代表` over `观点`), then the fewer literals.
fn rarity(lits: &[Vec<u8>]) -> (usize, std::cmp::Reverse<usize>) {
    (lits.iter().map(Vec::len).min().unwrap_or(usize::MAX), std::cmp::Reverse(lits.len()))
}

/// Each member of a small class, as a literal.
fn class_literals(class: &Class) -> Option<Vec<Vec<u8>>> {
    match class {
        Class::Unicode(c) => {
            let count: u32 = c.ranges().iter().map(|r| u32::from(r.end()) - u32::from(r.start()) + 1).sum();
            (count <= MAX_CLASS_CHARS)
                .then(|| c.iter().flat_map(|r| r.start()..=r.end()).map(|ch| ch.to_string().into_bytes()).collect())
        }
        Class::Bytes(c) => {
            let count: u32 = c.ranges().iter().map(|r| u32::from(r.end()) - u32::from(r.start()) + 1).sum();
            (count <= MAX_CLASS_CHARS).then(|| c.iter().flat_map(|r| r.start()..=r.end()).map(|b| vec![b]).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(pattern: &str) -> Option<Vec<String>> {
        let hir = regex_syntax::Parser::new().parse(pattern).expect("a valid pattern");
        required(&hir).map(|lits| lits.into_iter().map(|l| String::from_utf8(l).expect("UTF-8")).collect())
    }

    #[test]
    fn the_rarest_part_of_each_pattern_is_required() {
        // Real patterns of the built-in lexicon.
        assert_eq!(of("仅代表.{0,16}(?:观点|立场)").unwrap(), ["仅代表"]);
        // A Han word is rarer than a bracket, which one byte may be.
        assert_eq!(
            of("[(（][^()（）]{0,20}(?:供图|供圖|摄|攝|翻拍)\\s*[)）]\\s*$").unwrap(),
            ["供图", "供圖", "摄", "攝", "翻拍"]
        );
        assert_eq!(of("[(（]\\s*(?:图|圖)\\s*[/：:]?[^()（）]{0,20}[)）]\\s*$").unwrap(), ["图", "圖"]);
        assert_eq!(of(r"^-?\s*\d+\s*字$").unwrap(), ["字"]);
        assert_eq!(
            of(r"^\d+\s*(?:人|次)(?:阅读|浏览|观看|点赞|收藏)$").unwrap(),
            ["收藏", "浏览", "点赞", "观看", "阅读"]
        );
        assert_eq!(of(r"^(?P<name>\p{Han}{2,4})\s*[,，]?\s*[男女]\s*[,，(（\s]").unwrap(), ["女", "男"]);
        assert_eq!(of("(?i)by").unwrap().len(), 2, "a class of B, b");
    }

    #[test]
    fn what_may_be_absent_requires_nothing() {
        for p in [r"\d+", ".*", "(?:观点)?", "^$", r"\p{Han}{2,4}", "观点|.", r"(?:共|全文)?\s*\d+"] {
            assert_eq!(of(p), None, "{p}");
        }
    }
}
