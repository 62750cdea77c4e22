//! Front matter labels of papers and editors' notes (`摘要`, `关键词`,
//! `中图分类号`, `编者按`, …) and the kind of front matter each names.
//!
//! Both readers use this table: the page reader to recognise front matter,
//! the Markdown reader to give a front block read back its kind, so the
//! kind always follows from the label.

use crate::model::FrontKind;

/// Labels as written on the page, by kind. Data, not logic: extend freely.
const LABELS: &[(&str, FrontKind)] = &[
    ("摘要", FrontKind::Abstract),
    ("内容摘要", FrontKind::Abstract),
    ("内容提要", FrontKind::Abstract),
    ("提要", FrontKind::Abstract),
    ("摘 要", FrontKind::Abstract),
    ("Abstract", FrontKind::Abstract),
    ("ABSTRACT", FrontKind::Abstract),
    ("关键词", FrontKind::Keywords),
    ("关键字", FrontKind::Keywords),
    ("关 键 词", FrontKind::Keywords),
    ("Key words", FrontKind::Keywords),
    ("Keywords", FrontKind::Keywords),
    ("KEY WORDS", FrontKind::Keywords),
    ("中图分类号", FrontKind::Classification),
    ("中图法分类号", FrontKind::Classification),
    ("文献标识码", FrontKind::Classification),
    ("文献标志码", FrontKind::Classification),
    ("文章编号", FrontKind::Classification),
    ("DOI", FrontKind::Classification),
    ("基金项目", FrontKind::Funding),
    ("基金", FrontKind::Funding),
    ("收稿日期", FrontKind::History),
    ("修回日期", FrontKind::History),
    ("网络出版日期", FrontKind::History),
    ("引用本文", FrontKind::Citation),
    ("引文格式", FrontKind::Citation),
    ("文献来源", FrontKind::Citation),
    ("Citation", FrontKind::Citation),
    ("编者按", FrontKind::Note),
    ("编者荐语", FrontKind::Note),
    ("编者的话", FrontKind::Note),
    ("按语", FrontKind::Note),
    ("导语", FrontKind::Note),
    ("导读", FrontKind::Note),
];

/// The kind of front matter `label` names, if it names one.
pub fn kind_of(label: &str) -> Option<FrontKind> {
    let label = label.trim();
    LABELS.iter().find(|(l, _)| *l == label).map(|&(_, k)| k)
}

/// Every label, for callers that match a label at the start of a line.
pub fn labels() -> impl Iterator<Item = &'static str> {
    LABELS.iter().map(|(l, _)| *l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_kinds() {
        assert_eq!(kind_of("摘要"), Some(FrontKind::Abstract));
        assert_eq!(kind_of(" 关键词 "), Some(FrontKind::Keywords));
        assert_eq!(kind_of("中图分类号"), Some(FrontKind::Classification));
        assert_eq!(kind_of("作者简介"), None);
    }
}
