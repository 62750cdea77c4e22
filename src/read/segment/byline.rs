//! Who wrote an article, read off its header: bylines (names, perhaps
//! labelled, with a position or unit beside them), whether one or a date
//! follows a line, and an author's name written before the title.

use super::{Open, Segmenter};
use crate::lang::chars::visible_len;
use crate::lang::names;
use crate::model::Article;
use crate::read::classify::{is_prose, Kind};
use crate::read::meta;

impl Segmenter<'_> {
    /// [`names::parse_byline`] of line `k`'s text, asked once per position.
    fn parse_byline(&self, k: usize, position: names::Position) -> Option<Vec<String>> {
        self.bylines
            .borrow_mut()
            .entry((k, position))
            .or_insert_with(|| names::parse_byline(&self.s[k].line.text, position))
            .clone()
    }

    /// A byline in the header: names, perhaps labelled, on their own line.
    pub(super) fn byline(&self, k: usize, o: Option<&Open>) -> Option<Byline> {
        let s = self.s;
        if !self.may_be_byline(k) {
            return None;
        }
        // The authors are known (from a meta line, the title): a byline that
        // repeats them, or names more of them (`王冠中` then `王冠中,闫 力`), still is one.
        if let Some(known) = o.map(|o| &o.a.authors).filter(|a| !a.is_empty()) {
            let found = self.byline(k, None).or_else(|| {
                let names = self.parse_byline(k, names::Position::AfterTitle)?;
                Some(Byline { names, affiliation: None })
            })?;
            return found.names.iter().any(|n| known.contains(n)).then_some(found);
        }
        let titled = o.is_some_and(|o| !o.a.title.is_empty());
        let position = match self.next(k).map(|j| &s[j]) {
            Some(n) if n.is(|k| matches!(k, Kind::Meta(m) if m.date.is_some())) => names::Position::BeforeDate,
            Some(n) if titled && n.kind.is_some_and(|kind| is_prose(n.line, kind)) => names::Position::AfterTitle,
            _ if titled => names::Position::AfterTitle,
            _ => names::Position::Anywhere,
        };
        let text = &s[k].line.text;
        if let Some(names) = self.parse_byline(k, position) {
            // Above any title, one unlabelled two-character name (`文章`) is
            // too weak: it must be followed by a unit or a blurb.
            let weak = !titled && names.len() == 1 && names[0].chars().count() == 2 && !s[k].line.key.contains(':');
            let unit_follows = self.next(k).is_some_and(|j| {
                meta::affiliation(&s[j].line.key, self.lex)
                    || s[j].is(|k| matches!(k, Kind::Blurb { .. } | Kind::Front { .. }))
            });
            if !weak || unit_follows {
                return Some(Byline { names, affiliation: None });
            }
        }
        // `张三（中国社会科学院研究员）`: the name, the unit in brackets.
        if let Some((names_part, unit)) = text.trim_end_matches([')', '）']).split_once(['(', '（']) {
            let described = meta::affiliation(&format!("({unit})"), self.lex)
                || self.lex.words.byline.position_endings.iter().any(|p| unit.ends_with(p.as_str()));
            if described && text.trim_end().ends_with([')', '）']) {
                if let Some(names) = names::parse_byline(names_part, position.max(names::Position::AfterTitle)) {
                    return Some(Byline { names, affiliation: Some(unit.trim().to_string()) });
                }
            }
        }
        // `微山县人民法院党组成员、政治部主任  张月`: a position, then the name;
        // `张三 北京大学马克思主义学院 北京 100871`: the name, then the unit.
        let tokens: Vec<&str> = text.split_whitespace().collect();
        if tokens.len() >= 2 && s[k].line.chars <= 80 {
            let lex = &self.lex.words;
            let (last, before) = (tokens[tokens.len() - 1], &tokens[..tokens.len() - 1]);
            let position_before =
                before.last().is_some_and(|p| lex.byline.position_endings.iter().any(|e| p.ends_with(e.as_str())));
            if position_before {
                if let Some(names) = names::parse_byline(last, names::Position::Anywhere) {
                    return Some(Byline { names, affiliation: None });
                }
            }
            // `宁波财经学院 王艳艳`: the unit, then the name (the unit stays
            // with the byline; a blurb is a line of its own).
            let unit = before.join(" ");
            if titled && meta::affiliation(&format!("({unit})"), self.lex) {
                if let Some(names) = names::parse_byline(last, names::Position::AfterTitle) {
                    return Some(Byline { names, affiliation: None });
                }
            }
            let first = tokens[0];
            let rest = text[text.find(first).map_or(0, |i| i + first.len())..].trim();
            if titled && meta::affiliation(&format!("({rest})"), self.lex) {
                if let Some(names) = names::parse_byline(first, names::Position::AfterTitle) {
                    return Some(Byline { names, affiliation: None });
                }
            }
        }
        None
    }

    /// Numbered lines, bulleted lines and words that head sections
    /// (`目录`, `引言`) are never bylines.
    fn may_be_byline(&self, k: usize) -> bool {
        let key = self.s[k].line.key.trim();
        let words = &self.lex.words.byline.not_names;
        !self.lex.numbering.is_match(key)
            && !key.starts_with(|c: char| self.lex.words.chrome.bullets.iter().any(|b| b.starts_with(c)))
            && !words.iter().any(|w| w == key)
    }

    /// The line after `k` is a date or meta line, or a byline followed by
    /// body text or a date.
    pub(super) fn byline_or_date_follows(&self, k: usize) -> bool {
        if let Some(known) = self.follows.borrow()[k] {
            return known;
        }
        let found = self.byline_or_date_follows_uncached(k);
        self.follows.borrow_mut()[k] = Some(found);
        found
    }

    fn byline_or_date_follows_uncached(&self, k: usize) -> bool {
        let s = self.s;
        let Some(next) = self.next(k) else { return false };
        if let Some(Kind::Meta(m)) = s[next].kind {
            // `文字：…` over `图片：…`: the closing credits of an article, not a byline.
            let credits = m.date.is_none()
                && self.next(next).is_some_and(|j| s[j].is(|k| matches!(k, Kind::Credit | Kind::KeyValue)));
            return !credits;
        }
        if !s[next].is(|k| matches!(k, Kind::HeadingLike | Kind::Paragraph)) {
            return false;
        }
        let position = match self.next(next).map(|j| &s[j]) {
            Some(n) if n.is(|k| matches!(k, Kind::Meta(m) if m.date.is_some())) => names::Position::BeforeDate,
            // `文字：…` over `图片：…`: the closing credits of an article, not a byline.
            Some(n) if n.is(|k| matches!(k, Kind::Credit)) => return false,
            Some(n) if n.kind.is_some_and(|kind| is_prose(n.line, kind)) => names::Position::AfterTitle,
            _ => names::Position::Anywhere,
        };
        self.may_be_byline(next) && self.parse_byline(next, position).is_some()
    }
}

/// A byline: the names, and the unit written after them on the same line.
pub(super) struct Byline {
    pub(super) names: Vec<String>,
    pub(super) affiliation: Option<String>,
}

/// `吴金群:省管县的条件…`, `徐俊忠|“马克思主义…`: an author's name before the
/// title goes to the authors.
pub(super) fn author_prefix(a: &mut Article) {
    let Some(cut) = a.title.find([':', '：', '|', '｜']) else { return };
    let (prefix, rest) = (a.title[..cut].trim(), a.title[cut..].chars().skip(1).collect::<String>());
    // Strict names only (known surnames): `人民网评:…` and `北京晨报:…` stay.
    let names: Option<Vec<String>> = prefix
        .split([' ', '\u{3000}', '、', ','])
        .filter(|t| !t.is_empty())
        .map(|t| names::is_name(t, true).then(|| t.to_string()))
        .collect();
    let Some(names) = names.filter(|n| !n.is_empty() && n.len() <= 4) else { return };
    if visible_len(&rest) >= 6 {
        for (i, n) in names.into_iter().enumerate() {
            if !a.authors.contains(&n) {
                a.authors.insert(i.min(a.authors.len()), n);
            }
        }
        a.title = rest.trim().to_string();
    }
}

#[cfg(test)]
mod tests {
    use super::super::segment;
    use super::super::tests::stream;
    use crate::read::lexicon::builtin;

    /// bench13 page 6: a dateline's place is no author.
    #[test]
    fn a_dateline_place_is_no_byline() {
        let items = stream(
            "博物馆奇妙游!这个党支部用特殊方式感知\"大学校的力量\"\n2022-05-26\n北京\n来源:澎湃新闻·澎湃号·政务\n\"博物馆的力量\"是一种什么力量?是润物无声的熏陶。",
        );
        let arts = segment(&items, &builtin(), true);
        assert_eq!(arts.len(), 1);
        assert_eq!(arts[0].date.as_deref(), Some("2022-05-26"));
        assert!(arts[0].authors.is_empty(), "{:?}", arts[0].authors);
    }
}
