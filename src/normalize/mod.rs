//! Normalisation: model → model passes that make every article read the
//! same way, whatever the scraper did to it.
//!
//! 1. [`punct`]: full-width punctuation restored in Chinese text;
//! 2. [`people`]: blurb people parsed, authors split and cross-checked;
//! 3. [`structure`]: one heading scheme, run-in lead sentences found.
//!
//! [`reread`] is the one pass a model read back from folio's Markdown needs.

pub mod people;
pub mod punct;
pub mod structure;

use rayon::prelude::*;

use crate::model::{Article, Block, Compilation, Warning, WarningKind};

/// Runs every pass over every article (in parallel; the result does not
/// depend on the thread count).
pub fn normalize(mut compilation: Compilation) -> Compilation {
    compilation.title = punct::restore(&compilation.title).text;
    compilation.articles.par_iter_mut().for_each(normalize_article);
    compilation
}

/// A model read back from folio's own Markdown was normalised before it
/// was written: only what the Markdown form does not carry is derived
/// again, the people of each blurb.
pub fn reread(mut compilation: Compilation) -> Compilation {
    for a in &mut compilation.articles {
        if let Some(b) = &mut a.blurb {
            b.people = people::parse_people(&b.text, &b.label, &a.authors);
        }
    }
    compilation
}

fn normalize_article(article: &mut Article) {
    let mut unpaired = 0;
    let mut fix = |s: &mut String| {
        let r = punct::restore(s);
        unpaired += r.unpaired_quotes;
        *s = r.text;
    };
    fix(&mut article.title);
    for b in &mut article.blocks {
        match b {
            Block::Heading { text, .. } | Block::Caption { text, .. } | Block::Lines { text, .. } => fix(text),
            Block::Paragraph { text, lead, .. } => {
                fix(text);
                *lead = None;
            }
            Block::List { items, .. } => items.iter_mut().for_each(&mut fix),
            Block::Front { label, text, .. } => {
                fix(label);
                fix(text);
            }
            // Preformatted text is kept as written.
            Block::Code { .. } => {}
        }
    }
    if let Some(b) = &mut article.blurb {
        fix(&mut b.text);
    }
    if let Some(d) = &mut article.date_text {
        fix(d);
    }
    if unpaired > 0 {
        article.warnings.push(Warning::new(
            WarningKind::UnpairedQuote,
            format!("{unpaired} quotation mark(s) without a partner (left as written)"),
            article.origin.clone(),
        ));
    }
    people::settle_authors(article);
    structure::heading_levels(article);
    structure::find_leads(article);
}
