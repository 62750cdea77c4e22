//! Which articles share a content document. One article per document, as
//! long as the book has at most [`MAX_DOCUMENTS`] articles; beyond, runs of
//! consecutive articles share one, so the book keeps to [`MAX_DOCUMENTS`]
//! documents whatever its size: a ZIP archive without ZIP64 holds at most
//! 65,535 entries (100,000 one-article documents cannot be packed), and
//! reading systems open a book of a few thousand spine items far faster
//! than one of a hundred thousand.

use std::ops::Range;

/// Most content documents for the articles.
pub(crate) const MAX_DOCUMENTS: usize = 10_000;

/// The articles of each document, as ranges of article indexes, in order.
pub(crate) fn documents(articles: usize) -> Vec<Range<usize>> {
    let per = articles.div_ceil(MAX_DOCUMENTS).max(1);
    (0..articles).step_by(per).map(|start| start..(start + per).min(articles)).collect()
}

/// The navigation label of a document holding articles `range` (0-based),
/// when it holds more than one: `第11–20篇`.
pub(crate) fn label(range: &Range<usize>) -> String {
    format!("第{}–{}篇", range.start + 1, range.end)
}

/// One document made of the rendered documents `pages` (each a whole XHTML
/// document from the article template): the first one's head, then the
/// content of every one's `<body>`, in order. `None` when one of them has
/// no `<body>…</body>` to take.
pub(crate) fn join(pages: &[String]) -> Option<String> {
    let first = pages.first()?;
    let (head, _, tail) = body(first)?;
    let mut out = String::with_capacity(pages.iter().map(String::len).sum());
    out.push_str(head);
    for page in pages {
        out.push_str(body(page)?.1);
    }
    out.push_str(tail);
    Some(out)
}

/// A document cut around its body's content: (up to the end of the
/// `<body …>` tag, the content, from `</body>` on).
fn body(page: &str) -> Option<(&str, &str, &str)> {
    let open = page.find("<body")?;
    let open_end = open + page[open..].find('>')? + 1;
    let close = page.rfind("</body>")?;
    (close >= open_end).then(|| (&page[..open_end], &page[open_end..close], &page[close..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_article_per_document_until_there_are_too_many() {
        assert_eq!(documents(0), Vec::<Range<usize>>::new());
        assert_eq!(documents(3), vec![0..1, 1..2, 2..3]);
        assert_eq!(documents(MAX_DOCUMENTS).len(), MAX_DOCUMENTS);
        let d = documents(MAX_DOCUMENTS + 1);
        assert_eq!((d.len(), d[0].clone(), d.last().unwrap().clone()), (5001, 0..2, 10000..10001));
        for n in [16_000, 40_000, 100_000, 1_000_003] {
            let d = documents(n);
            assert!(d.len() <= MAX_DOCUMENTS, "{n}: {}", d.len());
            assert_eq!(d.iter().map(|r| r.len()).sum::<usize>(), n);
            assert!(d.windows(2).all(|w| w[0].end == w[1].start));
        }
    }

    #[test]
    fn documents_join_at_their_bodies() {
        let page =
            |n: u32| format!("<html><head><title>{n}</title></head>\n<body class=\"x\">\n<p>{n}</p>\n</body>\n</html>");
        assert_eq!(
            join(&[page(1), page(2)]).unwrap(),
            "<html><head><title>1</title></head>\n<body class=\"x\">\n<p>1</p>\n\n<p>2</p>\n</body>\n</html>"
        );
        assert_eq!(join(&[page(1), "<p>no body</p>".into()]), None);
        assert_eq!(label(&(10..20)), "第11–20篇");
    }
}
