//! Personal names: recognising a byline and splitting names that a scraper
//! ran together (`鄯爱红孔祥利` → 鄯爱红, 孔祥利).
//!
//! Chinese personal names are a surname (one character, or two for compound
//! surnames) and a given name of one or two characters. A run of names is
//! split where each part starts with a known surname; ties prefer the common
//! three-character form.

use std::sync::LazyLock;

use super::chars::is_han;

/// Common single-character surnames (the Hundred Family Surnames and the
/// most frequent modern ones). Data, not logic: extend freely.
const SURNAMES: &str = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔吉钮龚程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴鬱胥能苍双闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍却璩桑桂濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空曾毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公万俟司马上官欧阳夏侯诸葛闻人东方赫连皇甫尉迟公羊澹台公冶宗政濮阳淳于单于太叔申屠公孙仲孙轩辕令狐钟离宇文长孙慕容鲜于闾丘司徒司空丌官司寇仉督子车颛孙端木巫马公西漆雕乐正壤驷公良拓跋夹谷宰父谷梁晋楚闫法汝鄢涂钦段干百里东郭南门呼延归海羊舌微生岳帅缑亢况郈有琴梁丘左丘东门西门商牟佘佴伯赏南宫墨哈谯笪年爱阳佟第五言福覃敬";

/// Traditional forms of surnames (Taiwan, Hong Kong and converted pages).
const TRADITIONAL_SURNAMES: &str =
    "張劉陳楊黃趙吳孫馬鄭謝韓馮鄧蕭葉蘇魏呂盧姜鍾譚陸賈韋鄒邱薛閻侯龍賀顧龔萬錢嚴湯羅許蔣蔡於傅藍";

/// The most frequent modern surnames: a split that starts a name with one of
/// these is preferred over one that starts a name with a rarer surname.
const COMMON_SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";

/// Compound (two-character) surnames.
const COMPOUND_SURNAMES: &[&str] = &[
    "万俟", "司马", "上官", "欧阳", "夏侯", "诸葛", "闻人", "东方", "赫连", "皇甫", "尉迟", "公羊", "澹台", "公冶",
    "宗政", "濮阳", "淳于", "单于", "太叔", "申屠", "公孙", "仲孙", "轩辕", "令狐", "钟离", "宇文", "长孙", "慕容",
    "鲜于", "闾丘", "司徒", "司空", "端木", "拓跋", "百里", "东郭", "南门", "呼延", "南宫", "第五",
];

/// The characters of a list, sorted for binary search (a `str::contains`
/// scan of the surname list was most of the byline parser's time).
fn sorted(list: &str) -> Vec<char> {
    let mut v: Vec<char> = list.chars().collect();
    v.sort_unstable();
    v.dedup();
    v
}

static SURNAME_SET: LazyLock<Vec<char>> = LazyLock::new(|| sorted(&format!("{SURNAMES}{TRADITIONAL_SURNAMES}")));
static COMMON_SET: LazyLock<Vec<char>> = LazyLock::new(|| sorted(&format!("{COMMON_SURNAMES}{TRADITIONAL_SURNAMES}")));

pub fn is_surname(c: char) -> bool {
    SURNAME_SET.binary_search(&c).is_ok()
}

/// One of the most frequent surnames.
fn is_common_surname(c: char) -> bool {
    COMMON_SET.binary_search(&c).is_ok()
}

/// The compound surnames, as pairs of characters, sorted for a binary search.
static COMPOUND_SET: LazyLock<Vec<[char; 2]>> = LazyLock::new(|| {
    let mut v: Vec<[char; 2]> = COMPOUND_SURNAMES
        .iter()
        .filter_map(|s| {
            let mut cs = s.chars();
            let pair = [cs.next()?, cs.next()?];
            cs.next().is_none().then_some(pair)
        })
        .collect();
    v.sort_unstable();
    v.dedup();
    v
});

fn compound_surname_at(chars: &[char]) -> bool {
    chars.len() >= 2 && COMPOUND_SET.binary_search(&[chars[0], chars[1]]).is_ok()
}

/// A single name of 2–4 Han characters (a middle dot is allowed inside
/// transliterated minority names). With `strict`, it must begin with a known surname.
pub fn is_name(s: &str, strict: bool) -> bool {
    let chars: Vec<char> = s.chars().collect();
    let dot = |c: &char| matches!(c, '·' | '・' | '•');
    if chars.iter().any(dot) {
        // `伊尔凡·依明江`: a dot between Han parts, never at either end.
        return chars.len() <= 16
            && chars.iter().all(|c| is_han(*c) || dot(c))
            && !chars.first().is_some_and(dot)
            && !chars.last().is_some_and(dot);
    }
    if !chars.iter().all(|&c| is_han(c)) {
        return false;
    }
    match chars.len() {
        2 | 3 => !strict || is_surname(chars[0]) || compound_surname_at(&chars),
        4 => compound_surname_at(&chars),
        _ => false,
    }
}

/// Splits a run of Han characters into names. Every part starts with a known
/// surname unless `lenient`, in which case unknown surnames are allowed and
/// the split falls back to parts of three (then two) characters.
pub fn split_run(run: &str, lenient: bool) -> Option<Vec<String>> {
    if run.len() > 16 * 4 {
        return None; // more than 16 characters: not worth collecting
    }
    let chars: Vec<char> = run.chars().collect();
    if chars.is_empty() || !chars.iter().all(|&c| is_han(c)) || chars.len() > 16 {
        return None;
    }
    // best[i] = (score, parts) for chars[i..].
    let n = chars.len();
    let mut best: Vec<Option<(i32, Vec<usize>)>> = vec![None; n + 1];
    best[n] = Some((0, vec![]));
    for i in (0..n).rev() {
        for len in 2..=4usize {
            if i + len > n {
                break;
            }
            let part = &chars[i..i + len];
            let compound = compound_surname_at(part);
            let known = is_surname(part[0]) || compound;
            if len == 4 && !compound {
                continue;
            }
            if !known && !lenient {
                continue;
            }
            let Some((rest_score, rest)) = &best[i + len] else { continue };
            let common = is_common_surname(part[0]) || compound;
            let score = rest_score
                + if known { 4 } else { 0 }
                + if common { 1 } else { 0 }
                + if len == 3 || (len == 4 && compound) { 2 } else { 1 };
            if best[i].as_ref().is_none_or(|(s, _)| score > *s) {
                let mut parts = vec![len];
                parts.extend(rest);
                best[i] = Some((score, parts));
            }
        }
    }
    let (_, lens) = best[0].clone()?;
    let mut out = Vec::new();
    let mut i = 0;
    for len in lens {
        out.push(chars[i..i + len].iter().collect());
        i += len;
    }
    Some(out)
}

/// Labels that may precede names on a byline.
const BYLINE_LABELS: &[&str] = &[
    "本报记者",
    "本刊记者",
    "特约记者",
    "特约撰稿人",
    "记者",
    "通讯员",
    "撰文",
    "撰稿",
    "作者",
    "文字",
    "文",
    "By",
    "BY",
    "by",
];

/// Labels written after the names (`张三/文`).
const BYLINE_SUFFIXES: &[&str] = &["/文", "／文", "/撰文", "/图文", "文/图", " 文", " 撰文"];

/// Words that follow a name on a byline to say what the person did or is
/// (`吴珩 综述`, `赵旭东 审校`, `施国庆教授、博导`): the name stays, the word goes.
const ROLE_WORDS: &[&str] = &[
    "综述",
    "审校",
    "整理",
    "编译",
    "翻译",
    "执笔",
    "撰文",
    "撰稿",
    "口述",
    "主笔",
    "文/图",
    "图/文",
    "副教授",
    "教授",
    "博导",
    "研究员",
    "副研究员",
    "博士",
    "硕士",
    "讲师",
    "同志",
    "等",
];

/// The name tokens of a byline: split at separators; affiliation marks
/// (`帅学倩1`, `王五*`, `李四¹`) and role words dropped; a name written with
/// a space inside (`王 福`, `杨  弃`) joined; a Latin name in a list of
/// names (`包艳华, 唐倩, Barbara M. KEHM`) kept without its spaces.
fn byline_tokens(rest: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in rest.split(['、', '，', ',', '；', ';', '/', '／']) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        if part.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && part.chars().all(|c| c.is_ascii_alphabetic() || matches!(c, ' ' | '.' | '-' | '\''))
            && part.split_whitespace().count() <= 4
        {
            out.push(part.split_whitespace().collect());
            continue;
        }
        let mut tokens: Vec<String> = Vec::new();
        // `陳位志1唐艷華2`: affiliation marks between names written together.
        let marks = |c: char| {
            c.is_ascii_digit() || matches!(c, '*' | '¹' | '²' | '³' | '⁴' | '⁵' | '①' | '②' | '③' | '④' | '⑤')
        };
        // Most parts hold no mark: then nothing is replaced.
        let spaced: std::borrow::Cow<str> = if part.contains(marks) {
            part.char_indices()
                .map(|(i, c)| {
                    let han_after = part[i + c.len_utf8()..].chars().next().is_some_and(is_han);
                    let before = part[..i].trim_end_matches(marks).chars().next_back();
                    if marks(c) && han_after && before.is_some_and(is_han) {
                        ' '
                    } else {
                        c
                    }
                })
                .collect()
        } else {
            part.into()
        };
        for raw in spaced.split([' ', '\u{3000}', '\u{a0}']).filter(|t| !t.is_empty()) {
            let mut t = raw.trim_end_matches(marks);
            for w in ROLE_WORDS {
                if t.len() > w.len() {
                    t = t.strip_suffix(w).unwrap_or(t);
                }
            }
            if t.is_empty() || ROLE_WORDS.contains(&t) {
                continue;
            }
            // A lone character is half of a name written with a space inside.
            match tokens.last_mut() {
                Some(prev)
                    if prev.chars().count() == 1
                        && prev.chars().all(is_han)
                        && t.chars().count() <= 2
                        && t.chars().all(is_han) =>
                {
                    prev.push_str(t)
                }
                _ => tokens.push(t.to_string()),
            }
        }
        out.extend(tokens);
    }
    out
}

/// A Latin name as a byline lists it (`BarbaraM.KEHM`, `John-Smith`).
fn is_latin_name(t: &str) -> bool {
    (3..=40).contains(&t.len())
        && t.starts_with(|c: char| c.is_ascii_uppercase())
        && t.chars().all(|c| c.is_ascii_alphabetic() || matches!(c, '.' | '-' | '\''))
}

/// How sure the caller is, from where the line stands, that it is a byline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Position {
    /// Anywhere: every name must start with a known surname.
    Anywhere,
    /// Right after a title, before body text: a single pen name or a name
    /// with a rare surname is accepted.
    AfterTitle,
    /// Between a title and a date line: a run of names is split even where
    /// a surname is unknown.
    BeforeDate,
}

/// Longest byline worth parsing: 8 names × 16 four-byte characters plus separators and a label.
const MAX_BYLINE_BYTES: usize = 8 * 17 * 4 + 64;

/// Reads a byline (`狄涛`, `鄯爱红孔祥利`, `作者：张三、李四`, `文/张三 李四`).
pub fn parse_byline(line: &str, position: Position) -> Option<Vec<String>> {
    // At most 8 names of at most 16 characters, separators and a label:
    // longer lines (paragraphs) are not worth tokenising.
    if line.len() > MAX_BYLINE_BYTES {
        return None;
    }
    let mut rest = line.trim();
    let mut labelled = false;
    for label in BYLINE_LABELS {
        if let Some(r) = rest.strip_prefix(label) {
            let r2 = r.trim_start_matches([' ', '\u{3000}', ':', '：', '/', '／', '|', '｜', '丨']);
            if r2.len() < r.len() || (*label != "文" && *label != "作者") {
                rest = r2;
                labelled = true;
                break;
            }
        }
    }
    // `张三/文`, `李四 摄`: the label after the names.
    for suffix in BYLINE_SUFFIXES {
        if let Some(r) = rest.strip_suffix(suffix) {
            if !r.trim().is_empty() {
                rest = r.trim_end();
                labelled = true;
                break;
            }
        }
    }
    let lenient = position >= Position::AfterTitle || labelled;
    let split_unknown = position == Position::BeforeDate || labelled;
    let tokens = byline_tokens(rest);
    let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
    if tokens.is_empty() || tokens.len() > 8 {
        return None;
    }
    let mut names = Vec::new();
    let han_names = tokens.iter().any(|t| t.chars().all(is_han));
    for t in tokens {
        let known = is_name(t, !lenient) || (t.chars().count() <= 3 && is_name(t, false) && lenient);
        if known || (lenient && han_names && is_latin_name(t)) {
            names.push(t.to_string());
        } else if t.chars().count() >= 4 {
            // A run of names: needs known surnames unless the position is telling.
            let parts = split_run(t, false).or_else(|| {
                if split_unknown && (5..=12).contains(&t.chars().count()) {
                    split_run(t, true)
                } else {
                    None
                }
            })?;
            // Where surnames are unknown, all but one part must still start with one.
            let known = parts.iter().filter(|p| p.chars().next().is_some_and(is_surname)).count();
            if parts.len() > 4 || known + 1 < parts.len() {
                return None;
            }
            // Away from a date line, a run splits only at common surnames:
            // `安静地陈列着` is not 安静地 and 陈列着.
            if !split_unknown && !parts.iter().all(|p| p.chars().next().is_some_and(is_common_surname)) {
                return None;
            }
            if parts.len() < 2 {
                return None;
            }
            // Two two-character names run together are rare; with uncommon
            // surnames the "run" is more likely a phrase (`红色印象`).
            if !split_unknown
                && parts.iter().all(|p| p.chars().count() == 2)
                && !parts.iter().all(|p| p.chars().next().is_some_and(is_common_surname))
            {
                return None;
            }
            names.extend(parts);
        } else {
            return None;
        }
    }
    (!names.is_empty() && names.len() <= 8).then_some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines() {
        assert_eq!(parse_byline("狄涛", Position::Anywhere), Some(vec!["狄涛".to_string()]));
        assert_eq!(
            parse_byline("鄯爱红孔祥利", Position::BeforeDate),
            Some(vec!["鄯爱红".to_string(), "孔祥利".to_string()])
        );
        assert_eq!(
            parse_byline("作者：张三、李四", Position::Anywhere),
            Some(vec!["张三".to_string(), "李四".to_string()])
        );
        assert_eq!(
            parse_byline("文/欧阳修文 王五", Position::Anywhere),
            Some(vec!["欧阳修文".to_string(), "王五".to_string()])
        );
        assert_eq!(parse_byline("狸花猫", Position::AfterTitle), Some(vec!["狸花猫".to_string()]));
        assert_eq!(parse_byline("狸花猫", Position::Anywhere), None);
        assert_eq!(parse_byline("于故事汇里", Position::AfterTitle), None);
        assert_eq!(parse_byline("红色印象", Position::AfterTitle), None);
        assert_eq!(parse_byline("习近平总书记强调", Position::AfterTitle), None);
        assert_eq!(parse_byline("环京周边地区通勤圈建设布局", Position::AfterTitle), None);
    }

    /// Bylines from real pages (tests/data/sites).
    #[test]
    fn bylines_with_marks_spaces_and_roles() {
        let names = |l: &str| parse_byline(l, Position::AfterTitle);
        let v = |s: &[&str]| Some(s.iter().map(|x| x.to_string()).collect::<Vec<_>>());
        assert_eq!(
            names("帅学倩1, 梅 广2, 李 莉2, 吴 珩3 综述, 赵旭东4 审校"),
            v(&["帅学倩", "梅广", "李莉", "吴珩", "赵旭东"])
        );
        assert_eq!(names("王 福"), v(&["王福"]));
        assert_eq!(names("包艳华, 唐倩, BarbaraM.KEHM"), v(&["包艳华", "唐倩", "BarbaraM.KEHM"]));
        assert_eq!(
            names("孙中艮 刘会聪 段太香 杨  弃 徐隽倬 顾立坤"),
            v(&["孙中艮", "刘会聪", "段太香", "杨弃", "徐隽倬", "顾立坤"])
        );
        assert_eq!(names("By 藍世寅"), v(&["藍世寅"]));
        assert_eq!(
            names("作者:張沁 李艷瀟 韓璇 姚欣茹 孫雨欣 李嘉熙 楊倩"),
            v(&["張沁", "李艷瀟", "韓璇", "姚欣茹", "孫雨欣", "李嘉熙", "楊倩"])
        );
        assert_eq!(names("施国庆教授、博导"), v(&["施国庆"]));
        assert_eq!(names("陳位志1唐艷華2"), v(&["陳位志", "唐艷華"]));
        assert_eq!(parse_byline("张三/文", Position::Anywhere), v(&["张三"]));
        assert_eq!(names("2019年10月"), None);
        assert_eq!(names("Something can't be found"), None);
    }

    #[test]
    fn runs_split_at_surnames() {
        assert_eq!(split_run("张三李四", false), Some(vec!["张三".to_string(), "李四".to_string()]));
        assert_eq!(split_run("王小明李四", false), Some(vec!["王小明".to_string(), "李四".to_string()]));
    }
}
