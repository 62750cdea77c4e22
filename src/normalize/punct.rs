//! Restores full-width punctuation that scrapers turned into ASCII.
//!
//! An ASCII `, : ; ? ! ( ) " '` becomes its full-width form when it sits in
//! Chinese text (a Han character or full-width mark next to it), and is left
//! alone inside numbers and Latin runs (`1,000`, `9:00`, `PM2.5`,
//! `http://…`, `Rust`). Quotes are paired per paragraph, never guessed from
//! the character before them (the mistake pandoc's `smart` makes on Chinese).

use crate::lang::chars::is_cjk;

/// Restored text and how many quotation marks had no partner (straight
/// ones left as written, curly ones never closed or never opened).
pub struct Restored {
    pub text: String,
    pub unpaired_quotes: usize,
}

/// Restores full-width punctuation in one paragraph (or title, heading…).
pub fn restore(text: &str) -> Restored {
    let mut chars: Vec<char> = text.chars().collect();
    let mut unpaired = 0;
    pair_brackets(&mut chars);
    unpaired += pair_quotes(&mut chars, '"', '“', '”');
    unpaired += pair_quotes(&mut chars, '\'', '‘', '’');
    unpaired += unbalanced(&chars, '“', '”');
    for i in 0..chars.len() {
        let c = chars[i];
        let full = match c {
            ',' => '，',
            ':' => '：',
            ';' => '；',
            '?' => '？',
            '!' => '！',
            _ => continue,
        };
        let prev = neighbour(&chars, i, -1);
        let next = neighbour(&chars, i, 1);
        let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
        if matches!(c, ',' | ':') && digit(prev) && digit(next) {
            continue; // 1,000 and 9:00
        }
        if c == ';' && ends_entity(&chars[..i]) {
            continue; // &amp; and &#8212; are markup written as text
        }
        let cjk = |c: Option<char>| c.is_some_and(is_cjk);
        let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        let convert = match c {
            // Sentence marks follow what they close: a Chinese word before them.
            '?' | '!' => cjk(prev) || (prev.is_none() || !latin(prev)) && cjk(next),
            // `http://` and `a:b` in Latin runs stay.
            _ => cjk(prev) || (cjk(next) && !(c == ':' && next == Some('/'))),
        };
        if convert {
            chars[i] = full;
        }
    }
    Restored { text: chars.into_iter().collect(), unpaired_quotes: unpaired }
}

/// `…&amp` or `…&#8212`: the `;` after it closes a character reference.
fn ends_entity(before: &[char]) -> bool {
    let name: Vec<char> =
        before.iter().rev().take_while(|c| c.is_ascii_alphanumeric() || **c == '#').copied().collect();
    !name.is_empty() && name.len() <= 10 && before.len() > name.len() && before[before.len() - name.len() - 1] == '&'
}

/// The nearest non-space character before (`dir = -1`) or after (`1`) `i`.
fn neighbour(chars: &[char], i: usize, dir: isize) -> Option<char> {
    let mut j = i as isize + dir;
    while j >= 0 && (j as usize) < chars.len() {
        let c = chars[j as usize];
        if c != ' ' {
            return Some(c);
        }
        j += dir;
    }
    None
}

fn has_cjk(chars: &[char]) -> bool {
    chars.iter().any(|&c| is_cjk(c))
}

/// Matches `(`…`)` pairs; a pair around or beside Chinese text becomes `（`…`）`.
fn pair_brackets(chars: &mut [char]) {
    let mut stack = Vec::new();
    let mut pairs = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '(' => stack.push(i),
            ')' => {
                if let Some(open) = stack.pop() {
                    pairs.push((open, i));
                }
            }
            _ => {}
        }
    }
    for (open, close) in pairs {
        let outside = neighbour(chars, open, -1).is_some_and(is_cjk) || neighbour(chars, close, 1).is_some_and(is_cjk);
        if outside || has_cjk(&chars[open + 1..close]) {
            chars[open] = '（';
            chars[close] = '）';
        }
    }
}

/// How many of the curly quotes `open`…`close` have no partner (an opening
/// one never closed, a closing one never opened).
fn unbalanced(chars: &[char], open: char, close: char) -> usize {
    let (mut depth, mut stray) = (0usize, 0usize);
    for &c in chars {
        if c == open {
            depth += 1;
        } else if c == close {
            if depth == 0 {
                stray += 1;
            } else {
                depth -= 1;
            }
        }
    }
    depth + stray
}

/// Pairs straight quotes in order; returns how many were left unpaired.
/// An apostrophe inside a Latin word (`don't`) is not a quote.
fn pair_quotes(chars: &mut [char], straight: char, open: char, close: char) -> usize {
    let positions: Vec<usize> = (0..chars.len())
        .filter(|&i| chars[i] == straight)
        .filter(|&i| {
            let alnum = |c: Option<&char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
            !(straight == '\'' && alnum(i.checked_sub(1).and_then(|j| chars.get(j))) && alnum(chars.get(i + 1)))
        })
        .collect();
    for pair in positions.chunks(2) {
        let [a, b] = pair else { break };
        let outside = neighbour(chars, *a, -1).is_some_and(is_cjk) || neighbour(chars, *b, 1).is_some_and(is_cjk);
        if outside || has_cjk(&chars[a + 1..*b]) {
            chars[*a] = open;
            chars[*b] = close;
        }
    }
    positions.len() % 2
}

#[cfg(test)]
mod tests {
    use super::restore;

    fn r(s: &str) -> String {
        restore(s).text
    }

    #[test]
    fn chinese_context_is_restored() {
        assert_eq!(r("北京,上海:广州;深圳?是!"), "北京，上海：广州；深圳？是！");
        assert_eq!(r("细颗粒物(PM2.5)平均浓度由2015年的80.6微克"), "细颗粒物（PM2.5）平均浓度由2015年的80.6微克");
        assert_eq!(r("成为全球唯一的\"双奥之城\"。"), "成为全球唯一的“双奥之城”。");
        assert_eq!(r("让'知陇爱校'不再是口号"), "让‘知陇爱校’不再是口号");
        assert_eq!(
            r("(作者简介:张超,河北工业大学经济管理学院副教授)"),
            "（作者简介：张超，河北工业大学经济管理学院副教授）"
        );
    }

    #[test]
    fn numbers_and_latin_stay() {
        for s in [
            "2015-2021年",
            "PM2.5",
            "44.4%",
            "1,000",
            "www.example.com",
            "Rust",
            "9:00",
            "http://www.bjnews.com.cn/news",
            "don't \"quote\" me",
            "(a, b)",
        ] {
            assert_eq!(r(s), s);
        }
        assert_eq!(r("上午9:00,四川大学"), "上午9:00，四川大学");
    }

    #[test]
    fn odd_quotes_are_reported() {
        let x = restore("他说\"你好\"和\"再见");
        assert_eq!(x.text, "他说“你好”和\"再见");
        assert_eq!(x.unpaired_quotes, 1);
        assert_eq!(restore("他说：“你好，再见。").unpaired_quotes, 1);
        assert_eq!(restore("他说：你好”。“再见”").unpaired_quotes, 1);
        assert_eq!(restore("“一“二”三”").unpaired_quotes, 0);
    }
}
