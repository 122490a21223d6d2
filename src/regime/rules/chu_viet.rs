//! KH-MA: encoding and spelling. Text typed in a legacy Vietnamese encoding (TCVN3, VNI) and pasted
//! as Unicode; decomposed accents and invisible characters (fixed by the loader, reported here);
//! two placements of the tone mark in one plan (hoà/hòa); characters the font lacks.

use super::Ctx;
use super::text::split_tone;
use std::collections::BTreeMap;

/// Latin-1 characters that Vietnamese text does not use but that TCVN3 (ABC) and VNI text shows
/// when it is read as Unicode ("Céng hoµ", "Vieät Nam").
const LEGACY: &[char] = &[
    'µ', '¸', '¶', '·', '¹', '¨', '©', 'ª', '«', '®', '¬', '¦', '§', '¢', '£', '¤', '¥', '¾', '»', '¼', '½', 'Æ', 'Ç', 'Ë',
    'Î', 'Ï', 'Ñ', 'Ö', 'Ø', 'Û', 'Ü', 'ß', 'ä', 'å', 'æ', 'ç', 'ë', 'î', 'ï', 'ñ', 'ö', 'ø', 'û', 'ü', 'ÿ', 'Ä', 'Å',
    'þ', 'Þ', 'ð',
];

/// What KH-MA-01, -03 and -05 read of one text: its legacy-encoding characters, the syllables
/// whose tone placement can differ, the characters the font lacks.
struct Facts {
    legacy: usize,
    /// (placement, syllable key, the word as written), in the order of the text.
    placements: Vec<(Placement, String, String)>,
    /// The first five characters the font lacks (runs of one collapsed).
    missing: Vec<char>,
}

fn read_facts(t: &str) -> Facts {
    // Every legacy character is in U+00A0..U+00FF: a range test first spares the list scan for
    // the other characters (nearly all of them).
    let legacy = t.chars().filter(|ch| ('\u{A0}'..='\u{FF}').contains(ch) && LEGACY.contains(ch)).count();
    let placements = super::text::words(t).into_iter().filter_map(|w| placement(w).map(|(p, k)| (p, k, w.to_string()))).collect();
    let mut missing: Vec<char> = t.chars().filter(|ch| !matches!(ch, '\n' | '\t') && !crate::fonts::has_glyph(*ch)).collect();
    missing.dedup();
    missing.truncate(5);
    Facts { legacy, placements, missing }
}

/// The facts of `t`, kept per thread by the text: the units of a batch share most of their texts
/// with the parent plan, and reading them again was a tenth of a batch's time in perf. At most
/// 64 KB of text is kept; then the cache starts afresh.
fn facts(t: &str) -> std::rc::Rc<Facts> {
    use std::cell::RefCell;
    use std::rc::Rc;
    thread_local! {
        static MEMO: RefCell<crate::memo::Memo<String, Rc<Facts>>> = RefCell::new(crate::memo::Memo::new(64 * 1024));
    }
    if let Some(f) = MEMO.with(|m| m.borrow().get(t)) {
        return f;
    }
    let f = Rc::new(read_facts(t));
    MEMO.with(|m| m.borrow_mut().insert(t.to_string(), t.len(), f.clone()));
    f
}

pub(super) fn check(c: &mut Ctx) {
    let cl = c.p.checks.clauses.phong_chu;
    let texts = super::text::texts(c.plan);
    let facts: Vec<std::rc::Rc<Facts>> = texts.iter().map(|(_, t)| facts(t)).collect();

    // KH-MA-01
    let mut found = Vec::new();
    for ((path, t), f) in texts.iter().zip(&facts) {
        if f.legacy >= 3 {
            let sample: String = t.chars().take(40).collect();
            found.push((
                path.clone(),
                format!(
                    "“{sample}…” có vẻ được gõ bằng bảng mã cũ (TCVN3/ABC hoặc VNI) rồi dán vào; hãy chuyển sang Unicode (ví dụ bằng chức năng chuyển mã của Unikey) rồi dán lại"
                ),
            ));
        }
    }
    for (path, msg) in found {
        c.add_noted("KH-MA-01", path, msg, cl, "nhận biết theo các ký tự lạ, có thể nhầm");
    }

    // KH-MA-02 and KH-MA-04: what the loader fixed.
    let notes = c.notes.clone();
    for path in notes.recomposed {
        c.add_noted(
            "KH-MA-02",
            path,
            "chuỗi viết bằng Unicode tổ hợp (dấu tách rời khỏi chữ) đã được chuyển sang Unicode dựng sẵn; nên lưu tệp ở dạng dựng sẵn vì nhiều chương trình in dạng tổ hợp bị lệch dấu",
            cl,
            "dùng Unicode dựng sẵn là thông lệ",
        );
    }
    for (path, chars) in notes.invisible {
        let list: Vec<String> = chars.iter().map(|ch| format!("U+{:04X} ({})", *ch as u32, invisible_name(*ch))).collect();
        c.add(
            "KH-MA-04",
            path,
            format!("đã xoá ký tự vô hình: {} (thường dính theo khi chép từ trang web hoặc tệp PDF)", list.join(", ")),
            cl,
        );
    }

    // KH-MA-03
    spelling(c, &texts, &facts);

    // KH-MA-05
    let mut found = Vec::new();
    for ((path, _), f) in texts.iter().zip(&facts) {
        if f.missing.is_empty() {
            continue;
        }
        let list: Vec<String> = f.missing.iter().map(|ch| format!("“{ch}” (U+{:04X})", *ch as u32)).collect();
        found.push((
            path.clone(),
            format!(
                "có ký tự không có trong phông Times New Roman: {}; khi in sẽ thành ô trống hoặc lấy phông khác (biểu tượng cảm xúc và nhiều ký hiệu đặc biệt không in được), nên xoá",
                list.join(", ")
            ),
        ));
    }
    for (path, msg) in found {
        c.add("KH-MA-05", path, msg, cl);
    }
}

fn invisible_name(c: char) -> &'static str {
    match c {
        '\u{200B}' => "khoảng trắng độ rộng 0",
        '\u{200C}' | '\u{200D}' => "ký tự nối độ rộng 0",
        '\u{200E}' | '\u{200F}' | '\u{061C}' => "dấu định hướng chữ",
        '\u{202A}'..='\u{202E}' => "mã nhúng hướng chữ",
        '\u{2066}'..='\u{2069}' => "mã cô lập hướng chữ",
        '\u{2060}' => "ký tự nối từ",
        '\u{FEFF}' => "dấu BOM",
        _ => "ký tự vô hình",
    }
}

/// Where a syllable ending in oa, oe or uy carries its tone mark: on the first vowel ("hòa", the
/// older placement) or on the second ("hoà", the newer one). Only open syllables differ; "qu" + y
/// ("quý") has one spelling.
#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord)]
enum Placement {
    Dau,
    Sau,
}

fn placement(word: &str) -> Option<(Placement, String)> {
    // Only words ending in oa, oe or uy (with their tones) can differ: the last two letters are
    // looked at before the word is lower-cased and copied (a third of the rules' time went there).
    let mut last = word.chars().rev();
    let base = |c: Option<char>| c.and_then(|c| c.to_lowercase().next()).and_then(split_tone).map(|(b, _)| b);
    let (b2, b1) = (base(last.next()), base(last.next()));
    if !matches!((b1, b2), (Some('o'), Some('a' | 'e')) | (Some('u'), Some('y'))) {
        return None;
    }
    let w: Vec<char> = word.to_lowercase().chars().collect();
    let n = w.len();
    if n < 2 {
        return None;
    }
    let (a, ta) = split_tone(w[n - 2])?;
    let (b, tb) = split_tone(w[n - 1])?;
    if !matches!((a, b), ('o', 'a') | ('o', 'e') | ('u', 'y')) {
        return None;
    }
    if n >= 3 && (w[n - 3] == 'q' || split_tone(w[n - 3]).is_some() || "âêôơưăi".contains(w[n - 3])) {
        return None;
    }
    let stem: String = w[..n - 2].iter().collect();
    let key = format!("{stem}{a}{b}{}", ta.max(tb));
    match (ta, tb) {
        (t, 0) if t != 0 => Some((Placement::Dau, key)),
        (0, t) if t != 0 => Some((Placement::Sau, key)),
        _ => None,
    }
}

/// KH-MA-03: both placements in one plan. One finding per syllable written both ways; when no
/// syllable is, one finding for the plan if both placements occur at all.
fn spelling(c: &mut Ctx, texts: &[(String, &str)], facts: &[std::rc::Rc<Facts>]) {
    // syllable key → placement → (spelling, paths)
    let mut seen: BTreeMap<String, BTreeMap<Placement, (String, Vec<String>)>> = BTreeMap::new();
    let mut by_style: BTreeMap<Placement, Vec<(String, String)>> = BTreeMap::new();
    for ((path, _), f) in texts.iter().zip(facts) {
        for (pl, key, word) in &f.placements {
            let e = seen.entry(key.clone()).or_default().entry(*pl).or_insert_with(|| (word.clone(), Vec::new()));
            if e.1.len() < 3 && e.1.last() != Some(path) {
                e.1.push(path.clone());
            }
            let s = by_style.entry(*pl).or_default();
            if s.len() < 3 && !s.iter().any(|(w, _)| w.to_lowercase() == word.to_lowercase()) {
                s.push((word.clone(), path.clone()));
            }
        }
    }
    let cl = c.p.checks.clauses.phong_chu;
    let note = "thống nhất một kiểu đặt dấu là thông lệ; nên theo cách viết tên đã đăng ký của cơ quan";
    let mut any = false;
    for (_, forms) in seen {
        if forms.len() < 2 {
            continue;
        }
        any = true;
        let (w1, p1) = &forms[&Placement::Dau];
        let (w2, p2) = &forms[&Placement::Sau];
        let at = if p1.len() <= p2.len() { p1[0].clone() } else { p2[0].clone() };
        c.add_noted(
            "KH-MA-03",
            at,
            format!(
                "cùng một tiếng viết hai kiểu đặt dấu: “{w1}” ({}) và “{w2}” ({}); nên thống nhất một kiểu",
                p1.join(", "),
                p2.join(", ")
            ),
            cl,
            note,
        );
    }
    if !any && by_style.len() == 2 {
        let show = |v: &Vec<(String, String)>| v.iter().map(|(w, p)| format!("“{w}” ({p})")).collect::<Vec<_>>().join(", ");
        c.add_noted(
            "KH-MA-03",
            "",
            format!(
                "kế hoạch dùng cả hai kiểu đặt dấu thanh: kiểu cũ {} và kiểu mới {}; nên thống nhất một kiểu",
                show(&by_style[&Placement::Dau]),
                show(&by_style[&Placement::Sau])
            ),
            cl,
            note,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tone_placement() {
        assert_eq!(placement("hòa").map(|p| p.0), Some(Placement::Dau));
        assert_eq!(placement("Hoà").map(|p| p.0), Some(Placement::Sau));
        assert_eq!(placement("ỦY").map(|p| p.0), Some(Placement::Dau));
        assert_eq!(placement("uỷ").map(|p| p.0), Some(Placement::Sau));
        assert_eq!(placement("khoẻ").map(|p| p.0), Some(Placement::Sau));
        assert_eq!(placement("quý"), None);
        assert_eq!(placement("hoa"), None);
        assert_eq!(placement("hoàn"), None);
        assert_eq!(placement("hòa").unwrap().1, placement("hoà").unwrap().1);
    }
}
