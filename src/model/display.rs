//! What every output shows beside the model's text: the separators of a
//! byline, the markers where text is missing, the title of an untitled
//! article, and the marks that close a lead sentence. The readers, the
//! normaliser, layout and every writer take them from here, so the Markdown
//! written and the Markdown read back agree, and no stage imports a later one.

use super::{Article, Compilation};

/// Separates names on a byline (`鄯爱红、孔祥利`).
pub const NAME_SEPARATOR: &str = "、";
/// Separates the names from the date on a byline (`狄涛 · 2022-07-26`).
pub const BYLINE_SEPARATOR: &str = " · ";
/// Shown for an article whose end is on a missing page.
pub const TRUNCATED_MARK: &str = "（未完，原文下页缺失）";
/// Shown for an article whose start is on a missing page.
pub const CONTINUED_MARK: &str = "（接上页，原文上页缺失）";
/// Heading of an article (or book) whose title is on a missing page.
pub const UNTITLED: &str = "（标题缺失）";

/// Marks that end a lead sentence (`轨道交通规划与建设仍需加快。`).
pub const SENTENCE_ENDS: &[char] = &['。', '！', '？'];
/// Closing marks that belong to the sentence before them (`……仍需加快。”`).
pub const SENTENCE_CLOSERS: &[char] = &['”', '’', '）'];

/// A mark that may end a lead sentence: a sentence end or a closing mark.
pub fn is_lead_mark(c: char) -> bool {
    SENTENCE_ENDS.contains(&c) || SENTENCE_CLOSERS.contains(&c)
}

impl Article {
    /// The title, or [`UNTITLED`] when it is on a missing page.
    pub fn display_title(&self) -> &str {
        display_title(&self.title)
    }

    /// The byline as every writer shows it: names, then the date as written.
    pub fn byline(&self) -> Option<String> {
        let mut parts: Vec<String> = Vec::new();
        if !self.authors.is_empty() {
            parts.push(self.authors.join(NAME_SEPARATOR));
        }
        if let Some(d) = self.date_text.as_ref().or(self.date.as_ref()) {
            parts.push(d.clone());
        }
        (!parts.is_empty()).then(|| parts.join(BYLINE_SEPARATOR))
    }
}

impl Compilation {
    /// The book's title, or [`UNTITLED`] when there is none.
    pub fn display_title(&self) -> &str {
        display_title(&self.title)
    }
}

fn display_title(title: &str) -> &str {
    if title.is_empty() {
        UNTITLED
    } else {
        title
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_title_shows_the_marker() {
        let mut a = Article::default();
        assert_eq!(a.display_title(), UNTITLED);
        a.title = "冬奥遗产".into();
        assert_eq!(a.display_title(), "冬奥遗产");
    }

    #[test]
    fn lead_marks_are_ends_and_closers() {
        let all: String = "。！？”’）".into();
        assert!(all.chars().all(is_lead_mark));
        assert!(!"，、“（".chars().any(is_lead_mark));
    }
}
