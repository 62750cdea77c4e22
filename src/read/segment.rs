//! Segmentation: the content lines of a compilation's pages, in page order,
//! become articles (title, byline, date, headings, paragraphs, blurb).
//!
//! Pages are stitched into one stream first, so an article running from one
//! page onto the next stays one article; a gap (a missing page) cuts the
//! stream, and the article on either side of it is flagged.
//!
//! Whether a heading-like line opens an article or a section is decided by
//! a score built from signals that hold on Chinese article pages in general:
//! what precedes it (the end of an article: an author blurb, editor credits,
//! share prompts, a copyright notice), what follows it (a byline, a date
//! line), and its form (title separators such as `｜` and `——`, length,
//! section numbering). Borderline decisions are reported as low-confidence
//! warnings rather than made silently.

use std::sync::LazyLock;

use rayon::prelude::*;
use regex::Regex;

use crate::lang::chars::{fold, is_han, visible_len};
use crate::lang::{dates, names};
use crate::model::{Article, Block, Blurb, Origin, Warning, WarningKind};

/// One item of the stitched stream.
#[derive(Debug, Clone)]
pub enum Item {
    Line {
        text: String,
        origin: Origin,
    },
    /// Pages are missing here (or the stream starts/ends on a missing page).
    Gap,
}

/// Score at or above which a heading-like line opens an article.
const TITLE_THRESHOLD: i32 = 3;
/// Lines longer than this are never headings.
const MAX_HEADING_CHARS: usize = 60;
/// Section headings are at most this long; longer heading-like lines are paragraphs.
const MAX_SECTION_CHARS: usize = 40;

static BLURB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\(\s*(作者简介|作者单位|作者信息|作者介绍|作者)\s*[:]\s*(.+)\)$|^\(\s*(作者(?:系|为|是).+)\)$|^(作者简介|作者单位|作者介绍)\s*[:]\s*(.+)$|^(作者(?:系|为).+)$").unwrap()
});
static CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\(?\s*(?:图/文|文/图|图文|文字|图片|摄影|摄像|视频|编辑|责编|责任编辑|审核|审核发布|审稿|编审|初审|复审|终审|校对|排版|美编|设计|来源|供稿|撰稿|通讯员|记者|出品|监制|策划|统筹|主编|制作|运营|文案|海报|推送|负责|发布)[^:|/]{0,4}\s*[:|/丨]|(?:出品|供稿|审核)\s*\)?$|[(](?:[^()]*[;,]\s*)?(?:图/文|文/图|审核|责编|编辑|供稿|来源)\s*:[^()]*\)$|[(][^()]*(?:供图|摄|图源|摄影)\s*\)$").unwrap()
});
/// `主办｜办公室`, `校审:何春昊`: a short role, a separator, a short value.
/// After `|` or `/` (which also separate a title's parts) only a name-sized value.
static KEY_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Han}{1,5}\s*(?::\s*[^,.;!?:。，；！？]{1,18}|[|/]\s*[^,.;!?:。，；！？|]{1,8})$").unwrap()
});
static CLOSING_JUNK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"举报|关注我们|扫一扫|长按|二维码|阅读原文|原文刊登|转载|版权|追究|[Rr][Ee][Cc][Oo][Mm][Mm][Ee][Nn][Dd]|点击.{0,6}(?:关注|阅读|查看)|在看|点赞|分享本页|投稿邮箱|^https?://|^www\.|\.(?:html?|php|aspx?)$|isappinstalled|%3[CE]|版权声明|免责声明|仅代表.{0,12}观点|不代表.{0,16}(?:观点|立场)|未经.{0,6}(?:授权|许可)|报料热线|下载.{0,10}客户端").unwrap()
});
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[一二三四五六七八九十百]+[、.]|[(][一二三四五六七八九十0-9０-９]+[)]|[0-9０-９]{1,2}(?:[.、]|\s)|第[一二三四五六七八九十0-9０-９]+[章节部分篇条])").unwrap()
});

/// Compiles the patterns above now (see [`crate::pipeline::warm_up`]).
pub fn warm_up() {
    for re in [&BLURB, &CREDIT, &KEY_VALUE, &CLOSING_JUNK, &NUMBERED, &SOURCE_CREDIT] {
        LazyLock::force(re);
    }
}

/// Article-level signals around a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Blank,
    Blurb,
    Credit,
    Junk,
    Date,
    /// Short line without closing punctuation: a possible title or heading.
    HeadingLike,
    Paragraph,
}

fn classify(text: &str) -> Kind {
    let f = fold(text);
    let len = visible_len(text);
    if len == 0 {
        return Kind::Blank;
    }
    if len <= 300 && BLURB.is_match(&f) {
        return Kind::Blurb;
    }
    if dates::parse_date_line(&f).is_some() {
        return Kind::Date;
    }
    // `贺雪峰/著` cites a book's author; it does not close an article.
    let book_author = f.trim_end().ends_with(['著', '译']) || f.trim_end().ends_with("主编");
    if len <= 60 && !book_author && (CREDIT.is_match(&f) || (len <= 24 && KEY_VALUE.is_match(&f))) {
        return Kind::Credit;
    }
    if len <= 250 && CLOSING_JUNK.is_match(&f) {
        return Kind::Junk;
    }
    if is_heading_like(text) {
        return Kind::HeadingLike;
    }
    Kind::Paragraph
}

/// A line that could be a title or heading: short, with a Han character, not
/// ending like a sentence (titles may end with `!` or `?`), no full stop inside.
fn is_heading_like(text: &str) -> bool {
    let len = visible_len(text);
    if !(2..=MAX_HEADING_CHARS).contains(&len) || !text.chars().any(is_han) {
        return false;
    }
    let last =
        text.trim_end_matches(['"', '”', '’', '\'', ')', '）', '》', '」', '』', '】']).chars().last().unwrap_or(' ');
    let clauses = text.chars().filter(|c| matches!(c, ',' | '，')).count();
    !matches!(last, '。' | '，' | ',' | '、' | '；' | ';' | '：' | ':' | '…' | '.')
        && !text.contains(['。', ';', '；'])
        && clauses <= 2
        && !text.contains("http")
        && !text.contains("www.")
}

/// True when the line ends like a sentence or is long: body text.
fn is_prose(text: &str) -> bool {
    visible_len(text) > MAX_SECTION_CHARS || !is_heading_like(text)
}

/// Splits the stream into articles.
pub fn segment(items: &[Item]) -> Vec<Article> {
    let lines: Vec<(usize, &str, &Origin)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, it)| match it {
            Item::Line { text, origin } => Some((i, text.as_str(), origin)),
            Item::Gap => None,
        })
        .collect();
    // Line by line, in parallel: what each line is, and whether a byline or a
    // date follows each heading-like line (the costly parts of segmenting).
    let kinds: Vec<Kind> = lines.par_iter().with_min_len(64).map(|(_, t, _)| classify(t)).collect();
    let follows: Vec<bool> = (0..lines.len())
        .into_par_iter()
        .with_min_len(64)
        .map(|k| kinds[k] == Kind::HeadingLike && byline_or_date_follows(k, &lines, &kinds))
        .collect();
    // Index into `lines` of the line before/after each line, and whether a gap separates them.
    let gap_before = |k: usize| -> bool {
        let start = if k == 0 { 0 } else { lines[k - 1].0 + 1 };
        items[start..lines[k].0].iter().any(|it| matches!(it, Item::Gap)) || k == 0
    };

    let mut articles: Vec<Article> = Vec::new();
    let mut current: Option<Article> = None;
    let mut k = 0;
    while k < lines.len() {
        let (_, text, origin) = lines[k];
        if gap_before(k) {
            let real_gap = k > 0 || matches!(items.first(), Some(Item::Gap));
            if let Some(a) = current.take() {
                articles.push(finish(a, real_gap));
            }
        }
        let kind = kinds[k];
        let score =
            if kind == Kind::HeadingLike { title_score(k, &lines, &kinds, &follows, gap_before(k)) } else { i32::MIN };
        // Scraped pages often repeat the title as the first line of the body.
        let repeats_title = current.as_ref().is_some_and(|a| a.blocks.is_empty() && a.title == text);
        if score >= TITLE_THRESHOLD && !repeats_title {
            if let Some(a) = current.take() {
                articles.push(finish(a, false));
            }
            let mut a = new_article(text, origin, false);
            if !has_structural_signal(k, &kinds, &follows, gap_before(k)) {
                a.warnings.push(Warning::new(
                    WarningKind::LowConfidence,
                    format!("`{text}` taken as an article title from its form alone"),
                    Some(origin.clone()),
                ));
            }
            k += 1;
            k = read_byline_and_date(&mut a, k, &lines, &kinds, gap_before);
            current = Some(a);
            continue;
        }
        let article = current.get_or_insert_with(|| {
            let continued = gap_before(k) && (k > 0 || matches!(items.first(), Some(Item::Gap)));
            let mut a = new_article("", origin, continued);
            if !continued {
                a.warnings.push(Warning::new(
                    WarningKind::LowConfidence,
                    "text before the first article title",
                    Some(origin.clone()),
                ));
            }
            a
        });
        if kind == Kind::HeadingLike && score == TITLE_THRESHOLD - 1 {
            article.warnings.push(Warning::new(
                WarningKind::LowConfidence,
                format!("`{text}` could be an article title; kept as part of the article"),
                Some(origin.clone()),
            ));
        }
        match kind {
            Kind::Blurb if article.blurb.is_none() => article.blurb = Some(parse_blurb(text, origin)),
            Kind::HeadingLike if is_section_heading(k, &lines, &kinds) => {
                article.blocks.push(Block::Heading { level: 2, text: text.to_string(), origin: Some(origin.clone()) })
            }
            _ => article.blocks.push(Block::Paragraph {
                text: text.to_string(),
                lead: None,
                origin: Some(origin.clone()),
            }),
        }
        k += 1;
    }
    if let Some(a) = current.take() {
        let ends_on_gap = matches!(items.last(), Some(Item::Gap));
        articles.push(finish(a, ends_on_gap));
    }
    articles
}

fn new_article(title: &str, origin: &Origin, continued: bool) -> Article {
    Article { title: title.to_string(), continued, origin: Some(origin.clone()), ..Default::default() }
}

/// Closes an article; `cut` says the stream breaks here on a missing page.
/// An article that reached its blurb or closing credits is complete even
/// then; otherwise its end is on the missing page.
fn finish(mut a: Article, cut: bool) -> Article {
    if cut {
        let closed = a.blurb.is_some()
            || a.blocks.last().is_some_and(|b| matches!(classify(&b.text()), Kind::Credit | Kind::Junk));
        a.truncated = !closed;
    }
    a
}

/// Reads the byline and date lines right after a title, in either order.
fn read_byline_and_date(
    a: &mut Article,
    mut k: usize,
    lines: &[(usize, &str, &Origin)],
    kinds: &[Kind],
    gap_before: impl Fn(usize) -> bool,
) -> usize {
    for _ in 0..2 {
        if k >= lines.len() || gap_before(k) {
            break;
        }
        let text = lines[k].1;
        if kinds[k] == Kind::Date && a.date.is_none() {
            let iso = dates::parse_date_line(&fold(text)).expect("classified as date");
            if iso != text {
                a.date_text = Some(text.to_string());
            }
            a.date = Some(iso);
            k += 1;
            continue;
        }
        if a.authors.is_empty() && a.date.is_none() {
            // Right after a title, a pen name or rare surname is still a
            // byline when body text or a date follows.
            let position = match lines.get(k + 1).map(|l| (kinds[k + 1], l.1)) {
                Some((Kind::Date, _)) => names::Position::BeforeDate,
                Some((_, next)) if is_prose(next) => names::Position::AfterTitle,
                _ => names::Position::Anywhere,
            };
            if let Some(names) = names::parse_byline(text, position) {
                a.authors = names;
                k += 1;
                continue;
            }
        }
        break;
    }
    k
}

/// Title score of the heading-like line `k` (see the module doc).
/// `follows[k]`: [`byline_or_date_follows`] for a heading-like line `k`.
fn title_score(k: usize, lines: &[(usize, &str, &Origin)], kinds: &[Kind], follows: &[bool], after_gap: bool) -> i32 {
    let text = lines[k].1;
    let f = fold(text);
    let len = visible_len(text);
    let mut score = 0;
    if has_structural_signal(k, kinds, follows, after_gap) {
        score += 3;
    }
    if f.contains('|') {
        score += 2;
    }
    if f.contains("——") || f.contains(" —") || f.starts_with('【') {
        score += 1;
    }
    score += match len {
        0..=14 => 0,
        15..=27 => 1,
        28..=33 => 2,
        _ => 3,
    };
    if NUMBERED.is_match(&f) {
        score -= 4;
    }
    if after_gap {
        return score;
    }
    let heading_like = |j: usize| kinds[j] == Kind::HeadingLike;
    let short = |j: usize| heading_like(j) && visible_len(lines[j].1) <= 14;
    let prev = k.checked_sub(1);
    let next = (k + 1 < lines.len()).then_some(k + 1);
    // A title is followed by a byline, a date or body text — never by the
    // closing credits or share prompts of an article.
    if let Some(n) = next {
        if kinds[n] == Kind::Junk || (kinds[n] == Kind::Credit && !SOURCE_CREDIT.is_match(&fold(lines[n].1))) {
            score -= 3;
        }
    }
    // Inside verse (a run of short lines) a short line is a line of the poem.
    let byline_follows = next.is_some_and(|n| kinds[n] != Kind::Date) && follows[k];
    if prev.is_some_and(short) && visible_len(text) <= 14 + 6 && !byline_follows {
        score -= 2;
    }
    // In a list of headline-like lines (related links, a table of contents)
    // each line is an item, not a title.
    if prev.is_some_and(heading_like) && next.is_some_and(heading_like) && !follows[k] {
        score -= 4;
    }
    score
}

/// Credits that may stand right under a title (source, author, reporter).
static SOURCE_CREDIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\(?\s*(?:来源|作者|记者|通讯员|文\s*[/:|]|撰文|撰稿)").unwrap());

/// What surrounds line `k` says an article starts here: the start of the
/// stream (or of a page after a gap), the end of the previous article just
/// before it, or a byline or date just after it.
fn has_structural_signal(k: usize, kinds: &[Kind], follows: &[bool], after_gap: bool) -> bool {
    if after_gap || k == 0 {
        return true;
    }
    if matches!(kinds[k - 1], Kind::Blurb | Kind::Credit | Kind::Junk) {
        return true;
    }
    follows[k]
}

/// The line after `k` is a date, or a byline followed by body text or a date.
fn byline_or_date_follows(k: usize, lines: &[(usize, &str, &Origin)], kinds: &[Kind]) -> bool {
    let next = k + 1;
    if next >= lines.len() {
        return false;
    }
    if kinds[next] == Kind::Date {
        return true;
    }
    let position = match lines.get(next + 1).map(|l| (kinds[next + 1], l.1)) {
        Some((Kind::Date, _)) => names::Position::BeforeDate,
        // `文字：…` over `图片：…`: the closing credits of an article, not a byline.
        Some((Kind::Credit, _)) => return false,
        Some((_, after)) if is_prose(after) => names::Position::AfterTitle,
        _ => names::Position::Anywhere,
    };
    names::parse_byline(lines[next].1, position).is_some()
}

/// A heading-like line inside an article is a section heading when it is
/// short and body text follows; in a run of short lines (verse, captions
/// under each other) it is a line of text.
fn is_section_heading(k: usize, lines: &[(usize, &str, &Origin)], kinds: &[Kind]) -> bool {
    let text = lines[k].1;
    if visible_len(text) > MAX_SECTION_CHARS {
        return false;
    }
    let next_is_body = k + 1 < lines.len() && is_prose(lines[k + 1].1) && kinds[k + 1] == Kind::Paragraph;
    let prev_is_short = k > 0 && kinds[k - 1] == Kind::HeadingLike && visible_len(lines[k - 1].1) <= MAX_SECTION_CHARS;
    next_is_body && !prev_is_short
}

/// Splits a blurb line into label and text. People are filled in by
/// normalisation, once punctuation is restored.
fn parse_blurb(text: &str, origin: &Origin) -> Blurb {
    let t = text.trim();
    let inner = if (t.starts_with('(') || t.starts_with('（')) && (t.ends_with(')') || t.ends_with('）')) {
        let open = t.chars().next().unwrap().len_utf8();
        let close = t.chars().last().unwrap().len_utf8();
        &t[open..t.len() - close]
    } else {
        t
    };
    let inner = inner.trim();
    let mut label = "作者简介".to_string();
    let mut body = inner.to_string();
    for l in ["作者简介", "作者单位", "作者信息", "作者介绍", "作者"] {
        if let Some(rest) = inner.strip_prefix(l) {
            let rest_trim = rest.trim_start();
            if let Some(r) = rest_trim.strip_prefix([':', '：']) {
                label = l.to_string();
                body = r.trim().to_string();
                break;
            }
        }
    }
    Blurb { label, text: body, people: vec![], origin: Some(origin.clone()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(text: &str) -> Vec<Item> {
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                if l == "<GAP>" {
                    Item::Gap
                } else {
                    Item::Line { text: l.to_string(), origin: Origin { file: "t.txt".into(), line: i as u32 + 1 } }
                }
            })
            .collect()
    }

    #[test]
    fn titles_after_credits_and_before_bylines() {
        let items = stream(
            "春天的故事\n正文第一段,很长的一段话。\n审核:张三\n秋天的童话\n王小明\n2022年7月26日\n正文。\n小节标题\n小节正文很长很长。\n(作者简介:王小明,某大学教授)\n<GAP>",
        );
        let arts = segment(&items);
        assert_eq!(arts.len(), 2);
        assert_eq!(arts[0].title, "春天的故事");
        assert!(!arts[0].truncated);
        assert_eq!(arts[1].title, "秋天的童话");
        assert_eq!(arts[1].authors, vec!["王小明"]);
        assert_eq!(arts[1].date.as_deref(), Some("2022-07-26"));
        assert_eq!(arts[1].date_text.as_deref(), Some("2022年7月26日"));
        assert!(matches!(&arts[1].blocks[1], Block::Heading { text, .. } if text == "小节标题"));
        let b = arts[1].blurb.as_ref().unwrap();
        assert_eq!((b.label.as_str(), b.text.as_str()), ("作者简介", "王小明,某大学教授"));
        assert!(!arts[1].truncated, "an article that reached its blurb is complete");
    }

    #[test]
    fn gap_truncates_and_continues() {
        let items = stream("<GAP>\n接上页的正文。\n<GAP>\n标题\n正文没有写完\n<GAP>");
        let arts = segment(&items);
        assert_eq!(arts.len(), 2);
        assert!(arts[0].continued && arts[0].title.is_empty() && arts[0].truncated);
        assert_eq!(arts[1].title, "标题");
        assert!(arts[1].truncated);
    }
}
