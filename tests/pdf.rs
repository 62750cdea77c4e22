//! PDF writer: layout invariants over bench13, the PDF structure, determinism.

mod common;

use std::sync::LazyLock;

use folio::layout::linebreak::{NO_LINE_END, NO_LINE_START};
use folio::layout::Layout;
use folio::model::{Block, Compilation};
use folio::write::{pdf, WriteOptions};

static BENCH13: LazyLock<Compilation> = LazyLock::new(|| common::model_of(&common::bench13_files()));

static LAYOUT: LazyLock<Layout> = LazyLock::new(|| pdf::layout(&BENCH13, &WriteOptions::default()));

#[test]
fn no_line_breaks_a_kinsoku_rule() {
    for (i, p) in LAYOUT.pages.iter().enumerate() {
        for l in &p.lines {
            let text = l.text();
            let trimmed = text.trim_end();
            let first = trimmed.chars().next();
            let last = trimmed.chars().last();
            if !l.first {
                assert!(
                    !first.is_some_and(|c| NO_LINE_START.contains(&c)),
                    "page {}: line starts with a closing mark: {text}",
                    i + 1
                );
            }
            if !l.last {
                assert!(
                    !last.is_some_and(|c| NO_LINE_END.contains(&c)),
                    "page {}: line ends with an opening mark: {text}",
                    i + 1
                );
            }
        }
    }
}

#[test]
fn no_line_is_wider_than_the_measure() {
    for (i, p) in LAYOUT.pages.iter().enumerate() {
        for l in &p.lines {
            assert!(l.width <= l.measure + 0.01, "page {}: {} > {}: {}", i + 1, l.width, l.measure, l.text());
        }
    }
}

/// Every character of the model's text (titles, blocks, blurbs) is set
/// once, in order, in the article's own pages and nowhere in the front matter.
fn assert_text_set_once(c: &Compilation, lay: &Layout) {
    for (i, a) in c.articles.iter().enumerate() {
        assert_eq!(common::text_set_for(lay, i), common::article_text(a), "article {i} 「{}」", a.title);
    }
    assert!(lay.pages[..lay.front_matter].iter().all(|p| p.lines.iter().all(|l| l.runs.iter().all(|r| !r.content))));
}

#[test]
fn every_character_of_the_model_is_set_exactly_once() {
    assert!(BENCH13.articles.len() > 10);
    assert_text_set_once(&BENCH13, &LAYOUT);
    // The sample page has blurbs and a truncated article.
    let c = common::model_of(&[common::data("page-03.txt")]);
    assert!(c.articles.iter().any(|a| a.blurb.is_some()) && c.articles.iter().any(|a| a.truncated));
    assert_text_set_once(&c, &pdf::layout(&c, &WriteOptions::default()));
}

#[test]
fn contents_page_numbers_match_the_article_starts() {
    let lay = &*LAYOUT;
    let mut linked = vec![false; BENCH13.articles.len()];
    for (i, &start) in lay.article_pages.iter().enumerate() {
        assert_eq!(lay.toc_numbers[i], lay.pages[start].label, "article {i}");
        assert_eq!(lay.pages[start].label, (start - lay.front_matter + 1).to_string());
    }
    for p in &lay.pages[..lay.front_matter] {
        for link in &p.links {
            let i = lay.article_pages.iter().position(|&s| s == link.target).expect("link to an article start");
            linked[i] = true;
            // The entry's last line carries the printed number, flush right.
            let line =
                p.lines.iter().find(|l| l.y > link.y && l.y < link.y + link.height).expect("a line under the link");
            if line.last {
                assert_eq!(line.runs.last().unwrap().text, lay.toc_numbers[i]);
                assert!((line.width - line.measure).abs() < 0.01);
            }
        }
    }
    assert!(linked.iter().all(|&b| b), "every article is linked from the contents");
}

#[test]
fn sections_stay_with_their_first_lines() {
    let lay = &*LAYOUT;
    for (i, p) in lay.pages.iter().enumerate() {
        // The last body line of a page is never a heading (sans, size > body).
        let body: Vec<_> = p.lines.iter().filter(|l| l.runs.iter().any(|r| r.content)).collect();
        if let Some(last) = body.last() {
            let r = &last.runs[0];
            assert!(
                !(r.content
                    && r.size > 11.0
                    && r.face == folio::layout::Face::Sans
                    && last.runs.len() == 1
                    && i + 1 < lay.pages.len()
                    && !lay.article_pages.contains(&(i + 1))),
                "page {}: heading at the foot: {}",
                i + 1,
                last.text()
            );
        }
    }
    let headings =
        BENCH13.articles.iter().flat_map(|a| a.blocks.iter()).filter(|b| matches!(b, Block::Heading { .. })).count();
    let sections: usize = lay.outline.iter().map(|e| e.children.len()).sum();
    assert_eq!(sections, headings);
    assert_eq!(lay.outline.len(), BENCH13.articles.len());
}

fn write() -> Vec<u8> {
    pdf::write(&BENCH13, &WriteOptions::default()).unwrap().bytes
}

static PDF: LazyLock<Vec<u8>> = LazyLock::new(write);

#[test]
fn pdf_structure() {
    let doc = lopdf::Document::load_mem(&PDF).unwrap();
    assert_eq!(doc.get_pages().len(), LAYOUT.pages.len());
    let catalog = doc.catalog().unwrap();
    assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"zh-CN");
    let labels = catalog.get(b"PageLabels").unwrap().as_dict().unwrap();
    let nums = labels.get(b"Nums").unwrap().as_array().unwrap();
    assert_eq!(nums.len(), 4);
    assert_eq!(nums[2].as_i64().unwrap(), LAYOUT.front_matter as i64);
    let outlines = doc.get_dictionary(catalog.get(b"Outlines").unwrap().as_reference().unwrap()).unwrap();
    assert_eq!(outlines.get(b"Count").unwrap().as_i64().unwrap(), BENCH13.articles.len() as i64);
    let first = doc.get_dictionary(outlines.get(b"First").unwrap().as_reference().unwrap()).unwrap();
    assert!(first.has(b"Dest"));
    // Fonts: embedded and subset.
    let mut fonts = 0;
    for (_, obj) in doc.objects.iter() {
        if let Ok(d) = obj.as_dict() {
            if d.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"FontDescriptor".as_slice()) {
                fonts += 1;
                assert!(d.has(b"FontFile2") || d.has(b"FontFile3"), "embedded");
                let name = d.get(b"FontName").unwrap().as_name().unwrap();
                assert_eq!(name[6], b'+', "subset tag in {}", String::from_utf8_lossy(name));
            }
        }
    }
    assert!(fonts >= 2);
    // Info: ours, no PDF/X keys.
    let info = doc.get_dictionary(doc.trailer.get(b"Info").unwrap().as_reference().unwrap()).unwrap();
    assert!(!info.has(b"GTS_PDFXVersion"));
    assert!(info.has(b"Title") && info.has(b"Author") && info.has(b"Creator"));
    // XMP: ours (PDF/UA identification), not printpdf's (random document ids).
    let xmp = doc.get_object(catalog.get(b"Metadata").unwrap().as_reference().unwrap()).unwrap();
    let xmp = String::from_utf8(xmp.as_stream().unwrap().content.clone()).unwrap();
    assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>") && !xmp.contains("xmpMM"), "{xmp}");
    assert!(PDF.len() < 3_000_000, "subset fonts keep the file small: {}", PDF.len());
}

#[test]
fn output_is_deterministic() {
    let again = write();
    assert!(again == *PDF, "two writes in one process differ");
    // And from another thread, in parallel with a third.
    let t = std::thread::spawn(write);
    let third = write();
    assert!(t.join().unwrap() == third);
    assert!(third == *PDF);
}

#[test]
fn sample_page_writes() {
    let c = common::model_of(&[common::data("page-03.txt")]);
    let out = pdf::write(&c, &WriteOptions { page_size: folio::write::PageSize::A4, ..Default::default() }).unwrap();
    assert!(out.bytes.starts_with(b"%PDF-"));
}

#[test]
fn a_missing_glyph_is_set_and_reported() {
    let mut c = common::model_of(&[common::data("page-03.txt")]);
    let a = &mut c.articles[0];
    let title = a.title.clone();
    if let Block::Paragraph { text, lead, .. } =
        a.blocks.iter_mut().find(|b| matches!(b, Block::Paragraph { .. })).unwrap()
    {
        text.push('\u{10FFFD}');
        *lead = None;
    }
    let lay = pdf::layout(&c, &WriteOptions::default());
    assert!(lay.pages.iter().flat_map(|p| p.lines.iter()).any(|l| l.text().contains('\u{10FFFD}')), "never dropped");
    let out = pdf::write(&c, &WriteOptions::default()).unwrap();
    let w = out
        .warnings
        .iter()
        .find(|w| w.kind == folio::model::WarningKind::MissingGlyph)
        .expect("a missing-glyph warning");
    assert!(w.message.contains("U+10FFFD") && w.message.contains(&title), "{}", w.message);
}

#[test]
fn page_sizes() {
    let c = common::model_of(&[common::data("page-03.txt")]);
    for (size, width) in
        [(folio::write::PageSize::A4, 595.0), (folio::write::PageSize::B5, 498.0), (folio::write::PageSize::A5, 419.0)]
    {
        let lay = pdf::layout(&c, &WriteOptions { page_size: size, ..Default::default() });
        assert!((lay.width - width).abs() < 1.5, "{size:?}: {}", lay.width);
        for p in &lay.pages {
            for l in &p.lines {
                assert!(
                    l.x >= 0.1 * lay.width && l.x + l.width <= 0.9 * lay.width,
                    "{size:?}: line outside the margins"
                );
            }
        }
    }
}

#[test]
fn layout_dump_names_pages_and_runs() {
    let c = common::model_of(&[common::data("page-03.txt")]);
    let dump = pdf::layout(&c, &WriteOptions::default()).dump();
    assert!(dump.starts_with("=== page 1 [i]\n"));
    assert!(dump.contains("[1]\n"));
    assert!(dump.contains("sans 17.0 tc=0.000 通勤圈是构建现代化首"));
}

#[test]
fn no_widows_or_orphans() {
    let lay = &*LAYOUT;
    for (i, p) in lay.pages.iter().enumerate().skip(lay.front_matter) {
        let body: Vec<_> = p.lines.iter().filter(|l| l.runs.iter().any(|r| r.content)).collect();
        if let Some(first) = body.first() {
            assert!(first.first || !first.last, "page {}: widow at the top: {}", i + 1, first.text());
        }
        if let Some(last) = body.last() {
            assert!(last.last || !last.first, "page {}: orphan at the foot: {}", i + 1, last.text());
        }
    }
}

#[test]
fn dates_come_from_source_date_epoch() {
    let c = common::model_of(&[common::data("page-03.txt")]);
    let out = pdf::write(&c, &WriteOptions { source_date_epoch: Some(1_700_000_000), ..Default::default() }).unwrap();
    let doc = lopdf::Document::load_mem(&out.bytes).unwrap();
    let info = doc.get_dictionary(doc.trailer.get(b"Info").unwrap().as_reference().unwrap()).unwrap();
    assert_eq!(info.get(b"CreationDate").unwrap().as_str().unwrap(), b"D:20231114221320Z");
}

#[test]
fn user_fonts_override_the_bundled_ones() {
    let c = common::model_of(&[common::data("page-03.txt")]);
    let spec = folio::write::FontSpec { path: "fonts/DejaVuSans.ttf".into(), face: 0 };
    let mut fonts = folio::write::FontOptions { serif: Some(spec), sans: None };
    let mut options = WriteOptions::default();
    options.resources.fonts = folio::pipeline::load_fonts(&fonts).unwrap();
    let out = pdf::write(&c, &options).unwrap();
    let doc = lopdf::Document::load_mem(&out.bytes).unwrap();
    let names: Vec<String> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"FontDescriptor".as_slice()))
        .map(|d| String::from_utf8_lossy(d.get(b"FontName").unwrap().as_name().unwrap()).into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains("NotoSerif")), "{names:?}");
    // A font that cannot be read fails when the fonts are loaded, once a run.
    fonts.serif = Some(folio::write::FontSpec { path: "fonts/no-such-font.ttf".into(), face: 0 });
    let err = folio::pipeline::load_fonts(&fonts).unwrap_err().to_string();
    assert!(err.contains("no-such-font.ttf"), "{err}");
}

#[test]
fn degenerate_compilations_still_write() {
    let mut c = common::model_of(&[common::data("page-03.txt")]);
    // An untitled, empty article (its start on a missing page).
    let mut a = c.articles[0].clone();
    a.title.clear();
    a.blocks.clear();
    a.blurb = None;
    a.authors.clear();
    a.continued = true;
    c.articles.insert(0, a);
    let out = pdf::write(&c, &WriteOptions::default()).unwrap();
    assert!(lopdf::Document::load_mem(&out.bytes).is_ok());
    c.articles.clear();
    let out = pdf::write(&c, &WriteOptions::default()).unwrap();
    let doc = lopdf::Document::load_mem(&out.bytes).unwrap();
    assert_eq!(doc.get_pages().len(), 4, "title page, verso, contents, padding");
}

/// A body line holds 30–38 characters at every paper size (A4 held 43 at
/// 10.5 pt), and the margins stay mirrored: the wider one at the spine.
#[test]
fn body_lines_hold_30_to_38_characters() {
    use folio::write::PageSize;
    for (size, chars) in [(PageSize::A5, 30.0), (PageSize::B5, 36.0), (PageSize::A4, 36.0)] {
        let lay = pdf::layout(&BENCH13, &WriteOptions { page_size: size, ..Default::default() });
        let body: Vec<(usize, &folio::layout::Line)> = lay
            .pages
            .iter()
            .enumerate()
            .skip(lay.front_matter)
            .flat_map(|(i, p)| p.lines.iter().map(move |l| (i, l)))
            .filter(|(_, l)| !l.runs.is_empty() && l.runs.iter().all(|r| r.content))
            .collect();
        // The body size: that of justified lines.
        let body_size = body.iter().flat_map(|(_, l)| &l.runs).find(|r| r.char_spacing > 0.0).unwrap().size;
        assert_eq!(body[0].1.measure / body_size, chars, "{size:?}: the measure in body ems");
        // Full lines: body paragraph lines that are not a paragraph's last.
        let mut counts: Vec<usize> = body
            .iter()
            .filter(|(_, l)| {
                !l.last && l.runs.iter().all(|r| r.size == body_size && r.face == folio::layout::Face::Serif)
            })
            .map(|(_, l)| l.text().trim_end().chars().count())
            .collect();
        counts.sort();
        let median = counts[counts.len() / 2];
        assert!((30..=38).contains(&median), "{size:?}: median {median} characters a full line");
        // Recto pages (even indices) have the spine, the wider margin, on the left.
        let left = |parity| body.iter().filter(|(i, _)| i % 2 == parity).map(|(_, l)| l.x).fold(f32::MAX, f32::min);
        assert!(left(0) > left(1), "{size:?}: margins mirrored");
        assert!((left(0) + left(1) + body[0].1.measure - lay.width).abs() < 0.01, "{size:?}: margins add up");
    }
}

/// The contents name the authors: after the title and leader dots, smaller
/// and grey, on its last line or on a line of their own, before the page
/// number.
#[test]
fn contents_name_the_authors() {
    let lay = &*LAYOUT;
    // Each entry's lines, found through the link over each of them.
    let mut entries: Vec<Vec<&folio::layout::Line>> = vec![Vec::new(); BENCH13.articles.len()];
    for p in &lay.pages[..lay.front_matter] {
        for link in &p.links {
            let i = lay.article_pages.iter().position(|&s| s == link.target).unwrap();
            entries[i].extend(p.lines.iter().filter(|l| l.y > link.y && l.y < link.y + link.height));
        }
    }
    let mut named = 0;
    for (i, a) in BENCH13.articles.iter().enumerate() {
        // Leader dots between the title and what follows.
        let leaders = entries[i].iter().flat_map(|l| &l.runs).filter(|r| r.text.starts_with("···")).count();
        assert_eq!(leaders, 1, "{}: one run of leaders", a.title);
        let text: String = entries[i]
            .iter()
            .flat_map(|l| &l.runs)
            .filter(|r| !r.text.starts_with("···"))
            .map(|r| r.text.as_str())
            .collect();
        let number = &lay.toc_numbers[i];
        if a.authors.is_empty() {
            assert_eq!(text, format!("{}{number}", a.title));
            continue;
        }
        let names = a.authors.join("、");
        assert_eq!(text, format!("{}{names}{number}", a.title), "title, authors, page number");
        let last = entries[i].last().unwrap();
        let run = last.runs.iter().find(|r| r.text == names).expect("the authors on the entry's last line");
        let body = last.runs.last().unwrap();
        assert!(run.size < body.size && run.gray > 0.0, "{names}: set apart");
        assert!(run.x + 10.0 < body.x, "{names}: before the page number");
        named += 1;
    }
    assert!(named >= 5, "{named} entries with authors");
    // No title runs over with one or two characters alone (讲 / 述).
    for (i, lines) in entries.iter().enumerate() {
        let title_lines: Vec<&str> =
            lines.iter().map(|l| l.runs[0].text.as_str()).filter(|t| BENCH13.articles[i].title.contains(*t)).collect();
        if title_lines.len() > 1 {
            let last = title_lines.last().unwrap().chars().count();
            assert!(last > 2, "{}: its last line holds {last} characters", BENCH13.articles[i].title);
        }
    }
}

/// Captions are small, centred and grey; a run of short lines is set line by
/// line, flush left, with no indent and no space between its lines, a line
/// too long for the measure running over with a one-em hanging indent.
#[test]
fn captions_and_short_lines_are_set_apart() {
    use folio::model::Article;
    let mut c = common::model_of(&[common::data("page-03.txt")]);
    let verse =
        ["此去经年同朝暮", "不改青春话语情", &"祝愿每位同学在回味青春的美好时".repeat(3), "奔赴人生更远大的征途"];
    c.articles.insert(
        0,
        Article {
            title: "新生引航".into(),
            blocks: vec![
                Block::Paragraph {
                    text: "走进校史馆，讲解员以时间为轴。".repeat(8), lead: None, origin: None
                },
                Block::Caption { text: "2025级新生参观校史馆".into(), origin: None },
                Block::Paragraph {
                    text: "同学们沉浸式感受传媒技术的演进。".repeat(6), lead: None, origin: None
                },
                Block::Lines { text: verse.join("\n"), origin: None },
            ],
            ..Default::default()
        },
    );
    for size in [folio::write::PageSize::A5, folio::write::PageSize::A4] {
        let lay = pdf::layout(&c, &WriteOptions { page_size: size, ..Default::default() });
        assert_text_set_once(&c, &lay);
        let lines: Vec<&folio::layout::Line> =
            lay.pages[lay.article_pages[0]..lay.article_pages[1]].iter().flat_map(|p| &p.lines).collect();
        let body = lines.iter().find(|l| l.text().starts_with("走进")).unwrap();
        let body_size = body.runs[0].size;
        let left = body.x;

        let caption = lines.iter().find(|l| l.text() == "2025级新生参观校史馆").expect("the caption on one line");
        let run = &caption.runs[0];
        assert!(run.size < body_size && run.gray > 0.0, "{size:?}: caption small and grey");
        let ink_left = run.x - caption.x;
        let ink_right = caption.x + caption.measure - (caption.x + caption.width);
        assert!((ink_left - ink_right).abs() < 1.0, "{size:?}: caption centred ({ink_left} / {ink_right})");

        let first = lines.iter().position(|l| l.text() == verse[0]).expect("each short line on a line of its own");
        let run_lines = &lines[first..];
        assert_eq!(run_lines[1].text(), verse[1]);
        for l in &run_lines[..2] {
            assert!((l.runs[0].x - left).abs() < 0.01, "{size:?}: no indent: {}", l.text());
            assert!(
                l.runs.iter().all(|r| r.size == body_size && r.char_spacing == 0.0),
                "{size:?}: body type, not spread"
            );
        }
        let leading = run_lines[0].y - run_lines[1].y;
        let body_leading = lines[1].y - lines[2].y;
        assert!((leading - body_leading).abs() < 0.01, "{size:?}: no space between the lines of the run");
        // The long line runs over onto a second line, one em in.
        assert!(verse[2].starts_with(&run_lines[2].text()) && run_lines[2].text() != verse[2]);
        assert!((run_lines[3].runs[0].x - left - body_size).abs() < 0.01, "{size:?}: hanging indent");
        assert_eq!(run_lines[2].text() + &run_lines[3].text(), verse[2]);
        assert_eq!(run_lines[4].text(), verse[3]);
    }
}
