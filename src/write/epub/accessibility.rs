//! What makes the EPUB accessible beyond its own templates: the EPUB
//! Accessibility 1.1 metadata and the language of the package document, and
//! the ARIA role of the navigation document's table of contents. epub-builder
//! writes neither (its package and navigation templates are fixed), so
//! [`package`] and [`navigation`] patch what it wrote.
//!
//! The metadata states only what holds for every book folio makes: text
//! only (the cover's text is also its alternative text), headings for every
//! article and section, a table of contents to both, reading order as in the
//! source, no hazards, nothing fixed in size. Ace by DAISY checks the
//! metadata and the roles; `.ci/run` runs it on the sample and bench13.

use super::view::LANG;
use super::EpubError;

/// The conformance claim (EPUB Accessibility 1.1, one of the strings Ace
/// and epubcheck know).
pub(crate) const CONFORMS_TO: &str = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA";

const SUMMARY_ZH: &str = "本书为可重排的文字出版物，没有只能靠视觉理解的内容，封面图片附有替代文字。\
每篇文章的标题和各级小节标题均标记为标题，目录链接到每篇文章及其小节，阅读顺序与原文一致。\
字号、字体、行距和颜色可在阅读软件中调整。";
const SUMMARY_EN: &str = "A reflowable text publication with no content that must be seen to be understood; \
the cover image has a text alternative. Article titles and section headings are marked up as headings, the \
table of contents links to every article and section, and the reading order follows the source. Text size, \
font, line spacing and colours can be changed in the reading system.";

/// The `<meta>` elements of the accessibility metadata, one per line.
pub(crate) fn metadata() -> String {
    let mut s = String::new();
    let mut meta = |property: &str, lang: Option<&str>, value: &str| {
        s.push_str("    <meta property=\"");
        s.push_str(property);
        s.push('"');
        if let Some(lang) = lang {
            s.push_str(" xml:lang=\"");
            s.push_str(lang);
            s.push('"');
        }
        s.push('>');
        s.push_str(value);
        s.push_str("</meta>\n");
    };
    meta("schema:accessMode", None, "textual");
    meta("schema:accessModeSufficient", None, "textual");
    for feature in [
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "displayTransformability",
        "alternativeText",
        "ARIA",
    ] {
        meta("schema:accessibilityFeature", None, feature);
    }
    meta("schema:accessibilityHazard", None, "none");
    meta("schema:accessibilitySummary", Some(LANG), SUMMARY_ZH);
    meta("schema:accessibilitySummary", Some("en"), SUMMARY_EN);
    meta("dcterms:conformsTo", None, CONFORMS_TO);
    s
}

/// The package document `opf` with `xml:lang` on `<package>` (Ace's
/// `epub-lang`: the language of the package's own text) and the
/// accessibility metadata at the end of `<metadata>`.
pub(crate) fn package(opf: &str) -> Result<String, EpubError> {
    const PACKAGE: &str = "<package ";
    const END: &str = "</metadata>";
    let unexpected = |what| EpubError::Unexpected { document: "package", what };
    let at = opf.find(PACKAGE).ok_or(unexpected("no <package> element"))?;
    let end = opf.find(END).ok_or(unexpected("no </metadata>"))?;
    if end < at {
        return Err(unexpected("</metadata> before <package>"));
    }
    let mut out = String::with_capacity(opf.len() + 2048);
    out.push_str(&opf[..at + PACKAGE.len()]);
    out.push_str("xml:lang=\"");
    out.push_str(LANG);
    out.push_str("\" ");
    out.push_str(&opf[at + PACKAGE.len()..end]);
    out.push_str("  ");
    out.push_str(metadata().trim_start());
    out.push_str("  ");
    out.push_str(&opf[end..]);
    Ok(out)
}

/// The navigation document with `lang`/`xml:lang` on `<html>`, like every
/// other content document, and `role="doc-toc"` on the table of contents
/// (the ARIA role matching its `epub:type`).
pub(crate) fn navigation(nav: &str) -> Result<String, EpubError> {
    const HTML: &str = "<html xmlns=\"http://www.w3.org/1999/xhtml\"";
    const TOC: &str = "epub:type = \"toc\"";
    if !nav.contains(HTML) || !nav.contains(TOC) {
        return Err(EpubError::Unexpected { document: "navigation", what: "not the one epub-builder writes" });
    }
    Ok(nav.replacen(HTML, &format!("{HTML} lang=\"{LANG}\" xml:lang=\"{LANG}\""), 1).replacen(
        TOC,
        &format!("{TOC} role=\"doc-toc\""),
        1,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_package_gets_its_language_and_the_metadata() {
        let opf = "<?xml version=\"1.0\"?>\n<package version=\"3.0\" xmlns=\"http://www.idpf.org/2007/opf\">\n  \
                   <metadata>\n    <dc:title>书</dc:title>\n  </metadata>\n  <manifest/>\n</package>\n";
        let out = package(opf).unwrap();
        assert!(out.contains("<package xml:lang=\"zh-CN\" version=\"3.0\""), "{out}");
        let meta = out.find("schema:accessMode\"").unwrap();
        assert!(out.find("<dc:title>").unwrap() < meta && meta < out.find("</metadata>").unwrap(), "{out}");
        assert!(out.contains("<meta property=\"schema:accessibilitySummary\" xml:lang=\"en\">A reflowable"));
        assert!(package("<metadata></metadata>").is_err());
        assert!(package("</metadata><package ").is_err());
    }

    #[test]
    fn the_table_of_contents_gets_its_role() {
        let nav = "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\">\n\
                   <body><nav epub:type = \"toc\" id=\"toc\"></nav><nav epub:type = \"landmarks\"></nav></body></html>";
        let out = navigation(nav).unwrap();
        assert!(out.contains("<nav epub:type = \"toc\" role=\"doc-toc\" id=\"toc\">"), "{out}");
        assert!(out.contains("<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"zh-CN\" xml:lang=\"zh-CN\""));
        assert!(navigation("<html>").is_err());
    }
}
