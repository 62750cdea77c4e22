//! EPUB writer: container layout, package consistency, well-formed XHTML,
//! navigation targets, no text lost, escaping, determinism, embedded fonts.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use folio::model::{Block, Compilation};
use folio::write::{epub, WriteOptions};

fn page03() -> Compilation {
    common::model_of(&[common::data("page-03.txt")])
}

fn bench13() -> Compilation {
    common::model_of(&common::bench13_files())
}

fn write(c: &Compilation, options: &WriteOptions) -> Vec<u8> {
    epub::write(c, options).expect("EPUB written").bytes
}

fn files(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    common::zip_entries(bytes).into_iter().map(|(n, d, _)| (n, d)).collect()
}

fn parse(text: &str) -> roxmltree::Document<'_> {
    let opts = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    roxmltree::Document::parse_with_options(text, opts).unwrap_or_else(|e| panic!("not well-formed: {e}\n{text}"))
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("UTF-8")
}

/// The OPF: manifest (id → (href, media type, properties)) and spine idrefs.
struct Opf {
    manifest: BTreeMap<String, (String, String, String)>,
    spine: Vec<String>,
    creators: Vec<String>,
    language: String,
    identifier: String,
    date: Option<String>,
    modified: String,
}

fn opf(files: &BTreeMap<String, Vec<u8>>) -> Opf {
    let doc = parse(text(&files["OEBPS/content.opf"]));
    let manifest = doc
        .descendants()
        .filter(|n| n.has_tag_name("item"))
        .map(|n| {
            (
                n.attribute("id").unwrap().to_string(),
                (
                    n.attribute("href").unwrap().to_string(),
                    n.attribute("media-type").unwrap().to_string(),
                    n.attribute("properties").unwrap_or("").to_string(),
                ),
            )
        })
        .collect();
    let spine = doc
        .descendants()
        .filter(|n| n.has_tag_name("itemref"))
        .map(|n| n.attribute("idref").unwrap().to_string())
        .collect();
    let dc = |name: &str| {
        doc.descendants()
            .filter(|n| {
                n.tag_name().name() == name && n.tag_name().namespace() == Some("http://purl.org/dc/elements/1.1/")
            })
            .map(|n| n.text().unwrap_or("").trim().to_string())
            .collect::<Vec<_>>()
    };
    let modified = doc
        .descendants()
        .find(|n| n.attribute("property") == Some("dcterms:modified"))
        .and_then(|n| n.text())
        .unwrap()
        .to_string();
    Opf {
        manifest,
        spine,
        creators: dc("creator"),
        language: dc("language").join(""),
        identifier: dc("identifier").join(""),
        date: dc("date").into_iter().next(),
        modified,
    }
}

/// All text of an element, in document order.
fn all_text(node: roxmltree::Node<'_, '_>) -> String {
    node.descendants().filter(|n| n.is_text()).map(|n| n.text().unwrap()).collect()
}

fn body_text(xhtml: &str) -> String {
    let doc = parse(xhtml);
    let body = doc.descendants().find(|n| n.has_tag_name("body")).expect("a body");
    all_text(body)
}

/// Every check that holds for any EPUB we write.
fn check_epub(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    // Container: mimetype first, stored, exact content.
    let list = common::zip_entries(bytes);
    assert_eq!(list[0].0, "mimetype");
    assert!(list[0].2, "mimetype must be stored");
    assert_eq!(list[0].1, b"application/epub+zip");
    let files = files(bytes);
    assert!(text(&files["META-INF/container.xml"]).contains("OEBPS/content.opf"));

    // Manifest and spine agree with the files.
    let opf = opf(&files);
    for (href, _, _) in opf.manifest.values() {
        assert!(files.contains_key(&format!("OEBPS/{href}")), "manifest item {href} missing from zip");
    }
    let hrefs: BTreeSet<String> = opf.manifest.values().map(|(h, _, _)| format!("OEBPS/{h}")).collect();
    for name in files.keys().filter(|n| n.starts_with("OEBPS/") && *n != "OEBPS/content.opf") {
        assert!(hrefs.contains(name), "{name} is not in the manifest");
    }
    for idref in &opf.spine {
        let (_, mime, _) = opf.manifest.get(idref).unwrap_or_else(|| panic!("spine idref {idref} not in manifest"));
        assert_eq!(mime, "application/xhtml+xml");
    }
    assert_eq!(opf.language, "zh-CN");
    assert!(opf.identifier.starts_with("urn:uuid:"));
    assert!(opf.manifest.values().any(|(h, m, p)| h == "cover.svg" && m == "image/svg+xml" && p == "cover-image"));

    // Every XHTML is well-formed and carries the language, the navigation document included.
    for (name, data) in files.iter().filter(|(n, _)| n.ends_with(".xhtml")) {
        let doc = parse(text(data));
        let html = doc.root_element();
        assert_eq!(html.attribute("lang"), Some("zh-CN"), "{name}");
        assert_eq!(html.attribute(("http://www.w3.org/XML/1998/namespace", "lang")), Some("zh-CN"), "{name}");
    }
    parse(text(&files["OEBPS/toc.ncx"]));
    // The cover draws its text as outlines: no <text>, so no font is needed.
    let cover = parse(text(&files["OEBPS/cover.svg"]));
    assert!(!cover.descendants().any(|n| n.has_tag_name("text")));
    assert!(cover.descendants().any(|n| n.has_tag_name("path") && n.attribute("d").is_some_and(|d| d.len() > 1000)));

    // Every navigation link (nav and NCX) resolves to a file and an id in it.
    let nav = parse(text(&files["OEBPS/nav.xhtml"]));
    let mut links: Vec<String> = nav.descendants().filter_map(|n| n.attribute("href")).map(String::from).collect();
    let ncx = parse(text(&files["OEBPS/toc.ncx"]));
    links.extend(
        ncx.descendants().filter(|n| n.has_tag_name("content")).filter_map(|n| n.attribute("src")).map(String::from),
    );
    assert!(!links.is_empty());
    for link in &links {
        let (file, id) = link.split_once('#').map_or((link.as_str(), None), |(f, i)| (f, Some(i)));
        let data = files.get(&format!("OEBPS/{file}")).unwrap_or_else(|| panic!("nav link {link}: no file"));
        if let Some(id) = id {
            let doc = parse(text(data));
            assert!(doc.descendants().any(|n| n.attribute("id") == Some(id)), "nav link {link}: no such id");
        }
    }
    files
}

/// The article documents, in spine order.
fn article_docs(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let opf = opf(files);
    opf.spine
        .iter()
        .map(|id| &opf.manifest[id].0)
        .filter(|href| href.starts_with('a') && href.ends_with(".xhtml"))
        .map(|href| text(&files[&format!("OEBPS/{href}")]).to_string())
        .collect()
}

/// Each expected string appears in `haystack`, in order.
fn assert_in_order(haystack: &str, expected: &[String], what: &str) {
    let mut at = 0;
    for e in expected {
        match haystack[at..].find(e.as_str()) {
            Some(i) => at += i + e.len(),
            None => panic!("{what}: {e:?} not found (in order) in:\n{haystack}"),
        }
    }
}

fn check_text(c: &Compilation, files: &BTreeMap<String, Vec<u8>>) {
    let docs = article_docs(files);
    assert_eq!(docs.len(), c.articles.len());
    for (a, doc) in c.articles.iter().zip(&docs) {
        let body = body_text(doc);
        let mut expected = Vec::new();
        if !a.title.is_empty() {
            expected.push(a.title.clone());
        }
        expected.extend(a.authors.iter().cloned());
        if let Some(d) = a.date_text.as_ref().or(a.date.as_ref()) {
            expected.push(d.clone());
        }
        expected.extend(a.blocks.iter().map(|b| b.text().to_string()));
        if let Some(b) = &a.blurb {
            expected.push(b.label.clone());
            expected.push(b.text.clone());
        }
        assert_in_order(&body, &expected, &a.title);
        if a.truncated {
            assert!(body.contains(folio::model::display::TRUNCATED_MARK));
        }
        if a.continued {
            assert!(body.contains(folio::model::display::CONTINUED_MARK));
        }
    }
}

#[test]
fn page03_is_a_valid_epub_with_all_text() {
    let c = page03();
    let files = check_epub(&write(&c, &WriteOptions::default()));
    check_text(&c, &files);
    let opf = opf(&files);
    let authors: Vec<String> = c.all_authors().into_iter().map(String::from).collect();
    assert_eq!(opf.creators, authors);
    assert_eq!(opf.date.as_deref().map(|d| &d[..10]), c.latest_date());
    let title_page = body_text(text(&files["OEBPS/title.xhtml"]));
    assert!(title_page.contains(&c.title));
    assert!(title_page.contains(&c.page_range().unwrap()));
}

#[test]
fn bench13_is_a_valid_epub_with_all_text_and_nested_nav() {
    let c = bench13();
    let files = check_epub(&write(&c, &WriteOptions::default()));
    check_text(&c, &files);
    // Sections appear nested under their article in the nav.
    let nav = text(&files["OEBPS/nav.xhtml"]).to_string();
    let doc = parse(&nav);
    let nested = doc
        .descendants()
        .filter(|n| n.has_tag_name("a") && n.attribute("href").is_some_and(|h| h.contains('#')))
        .count();
    let sections: usize =
        c.articles.iter().map(|a| a.blocks.iter().filter(|b| matches!(b, Block::Heading { .. })).count()).sum();
    assert_eq!(nested, sections);
    for a in doc.descendants().filter(|n| n.has_tag_name("a") && n.attribute("href").is_some_and(|h| h.contains('#'))) {
        // an <a> in an <li> in an <ol>/<ul> in an <li> (its article)
        let list_item = a.ancestors().filter(|n| n.has_tag_name("li")).count();
        assert!(list_item >= 2, "section link not nested: {:?}", a.attribute("href"));
    }
}

#[test]
fn markup_in_text_is_escaped() {
    let mut c = page03();
    let nasty = "<script>alert(1)</script> a & b ]]> \"q\" 'q'";
    c.title = format!("书名 {nasty}");
    let a = &mut c.articles[0];
    a.title = format!("标题 {nasty}");
    a.authors.push("<b>某</b>".into());
    a.blocks.insert(0, Block::Heading { level: 2, text: format!("小节 {nasty}"), origin: None });
    a.blocks.insert(
        1,
        Block::Paragraph {
            text: format!("领句 & 。正文 {nasty}"), lead: Some("领句 & 。".into()), origin: None
        },
    );
    if let Some(b) = &mut a.blurb {
        b.label = "作者<简介>".into();
        b.text = nasty.into();
    }
    let bytes = write(&c, &WriteOptions::default());
    let files = check_epub(&bytes);
    check_text(&c, &files);
    for (name, data) in files
        .iter()
        .filter(|(n, _)| n.ends_with(".xhtml") || n.ends_with(".opf") || n.ends_with(".ncx") || n.ends_with(".svg"))
    {
        let doc = parse(text(data));
        assert!(
            !doc.descendants().any(|n| n.has_tag_name("script") || n.has_tag_name("b")),
            "{name} has injected markup"
        );
    }
    let first = &article_docs(&files)[0];
    assert!(body_text(first).contains(nasty));
    assert!(text(&files["OEBPS/nav.xhtml"]).contains("&lt;script&gt;"));
    assert!(opf(&files).creators.contains(&"<b>某</b>".to_string()));
}

#[test]
fn output_is_deterministic() {
    let c = page03();
    let options = WriteOptions::default();
    let first = write(&c, &options);
    assert_eq!(first, write(&c, &options));
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let c = c.clone();
            std::thread::spawn(move || write(&c, &WriteOptions::default()))
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), first);
    }
    // The date never comes from the clock; SOURCE_DATE_EPOCH is honoured.
    let with_epoch = write(&c, &WriteOptions { source_date_epoch: Some(1_700_000_000), ..Default::default() });
    assert_eq!(opf(&files(&with_epoch)).modified, "2023-11-14T22:13:20Z");
    // Identifier follows content.
    let mut other = c.clone();
    other.title.push('x');
    assert_ne!(opf(&files(&write(&other, &options))).identifier, opf(&files(&first)).identifier);
}

#[test]
fn embedded_fonts_are_subset_and_declared() {
    let c = page03();
    let options = WriteOptions { embed_fonts: true, ..Default::default() };
    let out = epub::write(&c, &options).unwrap();
    let files = check_epub(&out.bytes);
    check_text(&c, &files);
    let opf = opf(&files);
    let fonts: Vec<&(String, String, String)> = opf.manifest.values().filter(|(_, m, _)| m == "font/ttf").collect();
    assert_eq!(fonts.len(), 2);
    let css = text(&files["OEBPS/stylesheet.css"]);
    for (href, _, _) in fonts {
        assert!(css.contains(&format!("url(\"{href}\")")), "{href} not declared");
        let font = &files[&format!("OEBPS/{href}")];
        assert!(font.len() < 2_000_000, "{href} not subset: {} bytes", font.len());
        // A TrueType font with a cmap (readers need it to map text to glyphs).
        assert_eq!(&font[..4], &[0, 1, 0, 0]);
        let tables = u16::from_be_bytes([font[4], font[5]]) as usize;
        assert!((0..tables).any(|i| &font[12 + 16 * i..16 + 16 * i] == b"cmap"), "{href} has no cmap");
    }
    assert_eq!(out.bytes, epub::write(&c, &options).unwrap().bytes);
}

#[test]
fn user_templates_override_bundled_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("title.xhtml"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"zh-CN\" xml:lang=\"zh-CN\"><head><title>t</title></head><body><p>自定义 {{ book.title }}</p></body></html>\n",
    )
    .unwrap();
    let mut c = page03();
    c.title = "a & b".into();
    let mut options = WriteOptions::default();
    options.resources.templates = Some(std::sync::Arc::new(folio::pipeline::load_templates(dir.path()).unwrap()));
    let files = check_epub(&write(&c, &options));
    let title_page = text(&files["OEBPS/title.xhtml"]);
    assert!(title_page.contains("自定义 a &amp; b"), "{title_page}");
}

#[test]
fn missing_starts_and_ends_are_marked() {
    let mut c = page03();
    c.articles[0].title.clear();
    c.articles[0].continued = true;
    c.articles[0].truncated = true;
    let files = check_epub(&write(&c, &WriteOptions::default()));
    check_text(&c, &files);
    let first = body_text(&article_docs(&files)[0]);
    let untitled = folio::model::display::UNTITLED;
    assert!(first.trim_start().starts_with(untitled), "{first}");
    let continued = first.find(folio::model::display::CONTINUED_MARK).unwrap();
    let truncated = first.find(folio::model::display::TRUNCATED_MARK).unwrap();
    assert!(continued < truncated);
    assert!(body_text(text(&files["OEBPS/nav.xhtml"])).contains(untitled));
}

/// A book of `n` short articles (a title, an author, a paragraph each).
fn many_articles(n: usize) -> Compilation {
    let mut c = page03();
    let template = c.articles[0].clone();
    c.articles = (1..=n)
        .map(|i| folio::model::Article {
            title: format!("第{i}篇短文"),
            authors: vec!["张超".into()],
            blocks: vec![Block::Paragraph {
                text: format!("这是第{i}篇短文的正文。"), lead: None, origin: None
            }],
            blurb: None,
            ..template.clone()
        })
        .collect();
    c
}

#[test]
fn a_book_of_more_articles_than_a_zip_can_hold_documents_is_valid() {
    // One document per article would be 70,000 entries: more than a ZIP
    // without ZIP64 holds (65,535). Articles share documents instead.
    let n = 70_000;
    let c = many_articles(n);
    let bytes = write(&c, &WriteOptions::default());
    let list = common::zip_entries(&bytes);
    assert!(list.len() < 10_100, "{} entries", list.len());
    assert_eq!(list[0].0, "mimetype");
    let files: BTreeMap<String, Vec<u8>> = list.into_iter().map(|(n, d, _)| (n, d)).collect();
    let docs = article_docs(&files);
    assert!(docs.len() <= 10_000, "{} documents", docs.len());

    // Every article, in order, with its text; ids unique.
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let expected: Vec<String> =
        c.articles.iter().flat_map(|a| [a.title.clone(), a.blocks[0].text().to_string()]).collect();
    let mut k = 0;
    let opf = opf(&files);
    let hrefs: Vec<&String> = opf.spine.iter().map(|id| &opf.manifest[id].0).filter(|h| h.starts_with('a')).collect();
    for (href, doc) in hrefs.iter().zip(&docs) {
        let parsed = parse(doc);
        let in_doc = ids.entry(href.to_string()).or_default();
        for id in parsed.descendants().filter_map(|n| n.attribute("id")) {
            assert!(in_doc.insert(id.to_string()), "{href}: id {id} twice");
        }
        let body = all_text(parsed.descendants().find(|n| n.has_tag_name("body")).unwrap());
        let mut at = 0;
        while let Some(i) = expected.get(k).and_then(|e| body[at..].find(e.as_str())) {
            at += i + expected[k].len();
            k += 1;
        }
    }
    assert_eq!(k, expected.len(), "every article's text is in the documents, in order");

    // The navigation and the title page's contents link every article,
    // each to a file and an id in it.
    for doc in ["OEBPS/nav.xhtml", "OEBPS/title.xhtml"] {
        let parsed = parse(text(&files[doc]));
        let links: Vec<&str> =
            parsed.descendants().filter(|n| n.has_tag_name("a")).filter_map(|n| n.attribute("href")).collect();
        let article_links =
            links.iter().filter(|l| l.split_once('#').is_some_and(|(_, id)| id.starts_with('a'))).count();
        assert!(article_links >= n, "{doc}: {article_links} links to articles");
        for link in links {
            let (file, id) = link.split_once('#').map_or((link, None), |(f, i)| (f, Some(i)));
            assert!(files.contains_key(&format!("OEBPS/{file}")), "{doc}: link {link}: no file");
            if let Some(id) = id {
                assert!(ids.get(file).is_some_and(|s| s.contains(id)), "{doc}: link {link}: no such id");
            }
        }
    }
}

#[test]
fn a_book_just_past_the_grouping_threshold_passes_every_check() {
    let c = many_articles(10_001);
    let files = check_epub(&write(&c, &WriteOptions::default()));
    assert_eq!(article_docs(&files).len(), 5_001, "two articles per document");
}

/// The ARIA role matching each EPUB structural semantic folio uses (the
/// pairs Ace by DAISY checks), and the types that have no role.
const ROLES: &[(&str, Option<&str>)] = &[
    ("chapter", Some("doc-chapter")),
    ("toc", Some("doc-toc")),
    ("cover", Some("doc-cover")),
    ("titlepage", None),
    ("landmarks", None),
    ("bodymatter", None),
];

/// Issue 14: the package declares its language and the EPUB Accessibility
/// 1.1 metadata; every `epub:type` has its ARIA role; the byline and the
/// blurb say what they are.
#[test]
fn bench13_carries_accessibility_metadata_and_roles() {
    let c = bench13();
    for options in [WriteOptions::default(), WriteOptions { embed_fonts: true, ..Default::default() }] {
        let files = check_epub(&write(&c, &options));
        let package = parse(text(&files["OEBPS/content.opf"]));
        let root = package.root_element();
        assert_eq!(root.attribute(("http://www.w3.org/XML/1998/namespace", "lang")), Some("zh-CN"));
        let meta = |property: &str| -> Vec<String> {
            package
                .descendants()
                .filter(|n| n.has_tag_name("meta") && n.attribute("property") == Some(property))
                .map(|n| n.text().unwrap_or("").to_string())
                .collect()
        };
        assert_eq!(meta("schema:accessMode"), ["textual"]);
        assert_eq!(meta("schema:accessModeSufficient"), ["textual"]);
        let features = meta("schema:accessibilityFeature");
        for f in ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"] {
            assert!(features.iter().any(|x| x == f), "{f} in {features:?}");
        }
        assert_eq!(meta("schema:accessibilityHazard"), ["none"]);
        let summaries: Vec<(Option<&str>, String)> = package
            .descendants()
            .filter(|n| n.attribute("property") == Some("schema:accessibilitySummary"))
            .map(|n| (n.attribute(("http://www.w3.org/XML/1998/namespace", "lang")), n.text().unwrap().to_string()))
            .collect();
        assert_eq!(summaries.iter().map(|(l, _)| *l).collect::<Vec<_>>(), [Some("zh-CN"), Some("en")]);
        assert_eq!(meta("dcterms:conformsTo"), ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]);
        assert!(meta("a11y:certifiedBy").is_empty(), "not claimed unless configured");

        let mut typed = 0;
        for (name, data) in files.iter().filter(|(n, _)| n.ends_with(".xhtml")) {
            let doc = parse(text(data));
            for node in doc.descendants().filter(|n| n.is_element()) {
                let Some(types) = node.attribute(("http://www.idpf.org/2007/ops", "type")) else { continue };
                for t in types.split_whitespace() {
                    let (_, role) = ROLES.iter().find(|(k, _)| *k == t).unwrap_or_else(|| panic!("{name}: {t}"));
                    if let Some(role) = role {
                        assert_eq!(node.attribute("role"), Some(*role), "{name}: epub:type {t}");
                        typed += 1;
                    }
                }
            }
        }
        assert_eq!(typed, c.articles.len() + 2, "chapters, the table of contents and the cover");

        for (xhtml, a) in article_docs(&files).iter().zip(&c.articles) {
            let doc = parse(xhtml);
            let byline = doc.descendants().find(|n| n.attribute("class") == Some("byline"));
            assert_eq!(byline.is_some(), a.byline().is_some(), "{}", a.title);
            if let Some(byline) = byline {
                assert_eq!(byline.attribute("role"), Some("group"));
                let label = byline.attribute("aria-label").unwrap();
                assert_eq!(label.contains("作者"), !a.authors.is_empty(), "{label}");
            }
            let blurb = doc.descendants().find(|n| n.attribute("class") == Some("blurb"));
            assert_eq!(blurb.is_some(), a.blurb.is_some());
            if let (Some(blurb), Some(b)) = (blurb, &a.blurb) {
                assert_eq!(blurb.attribute("role"), Some("note"));
                let id = blurb.attribute("aria-labelledby").unwrap();
                let label = doc.descendants().find(|n| n.attribute("id") == Some(id)).unwrap();
                assert_eq!(all_text(label), b.label);
            }
        }
    }
}

/// Front matter says what it is: an abstract is `doc-abstract`, the rest
/// notes, each named by its label.
#[test]
fn front_matter_is_named_by_its_label() {
    use folio::model::FrontKind;
    let mut c = page03();
    let front = |kind, label: &str| Block::Front { kind, label: label.into(), text: "内容。".into(), origin: None };
    c.articles[0].blocks.splice(0..0, [front(FrontKind::Abstract, "摘要"), front(FrontKind::Keywords, "关键词")]);
    let files = check_epub(&write(&c, &WriteOptions::default()));
    let xhtml = &article_docs(&files)[0];
    let doc = parse(xhtml);
    let fronts: Vec<(Option<&str>, Option<&str>)> = doc
        .descendants()
        .filter(|n| n.attribute("class").is_some_and(|c| c.starts_with("front")))
        .map(|n| (n.attribute("role"), n.attribute("aria-label")))
        .collect();
    assert_eq!(fronts, [(Some("doc-abstract"), Some("摘要")), (Some("note"), Some("关键词"))]);
}

/// The title page lists every article with its authors set apart, linked to
/// the article; the navigation document stays titles only.
#[test]
fn title_page_contents_name_the_authors() {
    let c = bench13();
    let files = check_epub(&write(&c, &WriteOptions::default()));
    let title_page = text(&files["OEBPS/title.xhtml"]).to_string();
    let doc = parse(&title_page);
    let items: Vec<roxmltree::Node<'_, '_>> = doc
        .descendants()
        .filter(|n| n.has_tag_name("li") && n.ancestors().any(|a| a.attribute("class") == Some("contents")))
        .collect();
    assert_eq!(items.len(), c.articles.len());
    let with_authors = c.articles.iter().filter(|a| !a.authors.is_empty()).count();
    assert!(with_authors >= 5, "bench13 has articles with authors");
    let nav = body_text(text(&files["OEBPS/nav.xhtml"]));
    for (i, (li, a)) in items.iter().zip(&c.articles).enumerate() {
        let link = li.children().find(|n| n.has_tag_name("a")).expect("a link");
        assert_eq!(link.attribute("href"), Some(format!("a{:03}.xhtml", i + 1).as_str()));
        assert_eq!(all_text(link), a.title);
        let author = li.children().find(|n| n.attribute("class") == Some("author"));
        assert_eq!(author.map(all_text), (!a.authors.is_empty()).then(|| a.authors.join("、")), "{}", a.title);
        for name in &a.authors {
            assert!(!nav.contains(name.as_str()) || a.title.contains(name.as_str()), "{name} in the nav");
        }
    }
}

/// The stylesheet asks reading systems for the PDF's punctuation compression
/// (an engine that does not know the property ignores it).
#[test]
fn stylesheet_asks_for_punctuation_compression() {
    let files = files(&write(&page03(), &WriteOptions::default()));
    let css = text(&files["OEBPS/stylesheet.css"]);
    let body = &css[css.find("\nbody {").expect("a body rule")..];
    let body = &body[..body.find('}').unwrap()];
    assert!(body.contains("text-spacing-trim: trim-start;"), "{body}");
}

/// A caption is a small centred paragraph; each line of a run of short lines
/// is an element of its own (hanging indent when it wraps) with a line break
/// between, for reading systems without CSS.
#[test]
fn captions_and_short_lines_render() {
    let mut c = page03();
    let verse = ["此去经年同朝暮", "不改青春话语情", "奔赴人生更远大的征途"];
    c.articles[0].blocks.insert(0, Block::Caption { text: "2025级新生参观校史馆".into(), origin: None });
    c.articles[0].blocks.insert(1, Block::Lines { text: verse.join("\n"), origin: None });
    let xhtml = epub::article_xhtml(&c, 0, &WriteOptions::default()).unwrap();
    let doc = parse(&xhtml);
    let caption = doc.descendants().find(|n| n.attribute("class") == Some("caption")).expect("a caption");
    assert_eq!(all_text(caption), "2025级新生参观校史馆");
    let run = doc.descendants().find(|n| n.attribute("class") == Some("lines")).expect("a run of lines");
    let lines: Vec<String> = run.children().filter(|n| n.attribute("class") == Some("line")).map(all_text).collect();
    assert_eq!(lines, verse);
    assert_eq!(run.children().filter(|n| n.has_tag_name("br")).count(), verse.len() - 1);
    let files = files(&write(&c, &WriteOptions::default()));
    let css = text(&files["OEBPS/stylesheet.css"]);
    assert!(css.contains("p.lines span.line {") && css.contains("p.caption {"));
}
