//! People: parses the author blurb into persons, splits bylines into
//! individual names, and settles the article's authors (byline first,
//! checked against the blurb; the blurb when there is no byline).

use crate::lang::chars::visible_len;
use crate::lang::names;
use crate::model::{Article, Person, Warning, WarningKind};

/// Fills `blurb.people` and settles `authors`.
pub fn settle_authors(article: &mut Article) {
    if let Some(blurb) = &mut article.blurb {
        blurb.people = parse_people(&blurb.text, &blurb.label, &article.authors);
    }
    let blurb_names: Vec<String> =
        article.blurb.iter().flat_map(|b| b.people.iter().filter_map(|p| p.name.clone())).collect();
    if article.authors.is_empty() {
        article.authors = blurb_names;
    } else if !blurb_names.is_empty() && article.authors != blurb_names {
        if article.authors.concat() == blurb_names.concat() {
            // The byline was run together and split differently: the blurb knows.
            article.authors = blurb_names;
        } else {
            let missing: Vec<&String> = article.authors.iter().filter(|a| !blurb_names.contains(a)).collect();
            if !missing.is_empty() {
                article.warnings.push(Warning::new(
                    WarningKind::AuthorMismatch,
                    format!(
                        "byline {} and blurb {} name different people",
                        article.authors.join("、"),
                        blurb_names.join("、")
                    ),
                    article.origin.clone(),
                ));
            }
        }
    }
    if article.authors.is_empty() && !article.continued {
        article.warnings.push(Warning::new(
            WarningKind::NoAuthor,
            format!("no byline or blurb names an author of `{}`", article.title),
            article.origin.clone(),
        ));
    }
}

/// `张超，河北工业大学经济管理学院副教授；李四，…` → people. Under the
/// `作者单位` label each entry is an affiliation, matched to the byline in order.
pub fn parse_people(text: &str, label: &str, authors: &[String]) -> Vec<Person> {
    // One person an entry: entries end at a semicolon or a line (a blurb of
    // several lines gives one person a line).
    let entries: Vec<&str> = text.split(['；', ';', '\n']).map(str::trim).filter(|e| !e.is_empty()).collect();
    let by_position = label == "作者单位" && entries.len() == authors.len();
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            if by_position {
                return Person { name: Some(authors[i].clone()), description: e.to_string() };
            }
            // `姓名，描述` or `姓名 描述`.
            if let Some((head, rest)) = e.split_once(['，', ',', ' ', '\u{3000}']) {
                let head = head.trim();
                if visible_len(head) <= 4
                    && (names::is_name(head, true)
                        || authors.iter().any(|a| a == head)
                        || names::is_name(head, false) && authors.is_empty())
                {
                    return Person { name: Some(head.to_string()), description: rest.trim().to_string() };
                }
            }
            // `张超系…`, `张超为…`, `作者系…`.
            for a in authors {
                if let Some(rest) = e.strip_prefix(a.as_str()) {
                    return Person {
                        name: Some(a.clone()),
                        description: rest.trim_start_matches(['，', ',', ' ']).to_string(),
                    };
                }
            }
            Person { name: None, description: e.to_string() }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Blurb;

    fn article(authors: &[&str], blurb: &str, label: &str) -> Article {
        Article {
            title: "标题".into(),
            authors: authors.iter().map(|s| s.to_string()).collect(),
            blurb: Some(Blurb { label: label.into(), text: blurb.into(), people: vec![], origin: None }),
            ..Default::default()
        }
    }

    #[test]
    fn authors_from_blurb() {
        let mut a = article(&[], "张超，河北工业大学经济管理学院副教授", "作者简介");
        settle_authors(&mut a);
        assert_eq!(a.authors, vec!["张超"]);
        let p = &a.blurb.as_ref().unwrap().people[0];
        assert_eq!((p.name.as_deref(), p.description.as_str()), (Some("张超"), "河北工业大学经济管理学院副教授"));
    }

    #[test]
    fn blurb_resplits_a_run_together_byline() {
        let mut a = article(&["王小", "明李四"], "王小明，教授；李四，副教授", "作者简介");
        settle_authors(&mut a);
        assert_eq!(a.authors, vec!["王小明", "李四"]);
        assert!(a.warnings.is_empty());
    }

    #[test]
    fn affiliations_match_the_byline() {
        let mut a = article(&["王五", "赵六"], "北京大学；清华大学", "作者单位");
        settle_authors(&mut a);
        let people = &a.blurb.as_ref().unwrap().people;
        assert_eq!(people[1].name.as_deref(), Some("赵六"));
        assert_eq!(people[1].description, "清华大学");
    }
}
