//! Vietnamese text helpers used by the view and the templates: dates, Roman numerals, điểm letters,
//! số/ký hiệu, upper-casing, and the end punctuation of list items.

use crate::plan::model::Ngay;
use crate::regime::SoFormat;

/// "ngày 05 tháng 02 năm 2022": the day is padded below 10, the month only when it is 1 or 2
/// (ND 30 Phụ lục I §II.4.b; HD 05 §4.2.2). Missing parts are left blank for a draft.
pub fn ngay_thang_nam(d: &Ngay) -> String {
    const BLANK: &str = "     ";
    let dd = match d.ngay {
        Some(n) if n < 10 => format!("0{n}"),
        Some(n) => n.to_string(),
        None => BLANK.into(),
    };
    let mm = match d.thang {
        Some(n) if n < 3 => format!("0{n}"),
        Some(n) => n.to_string(),
        None => BLANK.into(),
    };
    format!("ngày {dd} tháng {mm} năm {}", d.nam)
}

/// The date line of the header: "Châu Thành, ngày 20 tháng 01 năm 2022".
pub fn dia_danh_ngay(dia_danh: &str, ngay: Option<&Ngay>) -> String {
    match ngay {
        Some(d) => format!("{dia_danh}, {}", ngay_thang_nam(d)),
        None => format!("{dia_danh}, ngày      tháng      năm      "),
    }
}

/// Upper-case Roman numerals (I, II, …, MMMCMXCIX). Zero and larger numbers fall back to Arabic.
pub fn roman(mut n: u32) -> String {
    if n == 0 || n >= 4000 {
        return n.to_string();
    }
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

/// The Vietnamese alphabet used for điểm: a, b, c, d, đ, e, g, h, i, k, l, m, n, o, p, q, r, s, t,
/// u, v, x, y (no f, j, w, z). Past y: aa, bb, … (doubling, as legal texts do).
pub fn diem_letter(n: u32) -> String {
    const LETTERS: [&str; 23] = [
        "a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u",
        "v", "x", "y",
    ];
    if n == 0 {
        return String::new();
    }
    let i = ((n - 1) % 23) as usize;
    let times = ((n - 1) / 23 + 1) as usize;
    LETTERS[i].repeat(times)
}

/// "Số: 06/KH-UBND" (ND 30) or "Số 75-KH/ĐU" (Party); a missing number leaves the blank form.
pub fn so_ky_hieu(f: &SoFormat, so: Option<u32>, ky_hieu: &str) -> String {
    match so {
        Some(n) => format!("{}{:02}{}{}", f.prefix, n, f.sep, ky_hieu),
        None => format!("{}{}{}{}", f.prefix, f.blank, f.sep, ky_hieu),
    }
}

/// "KẾ HOẠCH" → "Kế hoạch": lower case with a capital first letter.
pub fn sentence_case(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut c = lower.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The issuing body's name in the normal case a sentence names it in: "ỦY BAN NHÂN DÂN XÃ AN PHÚ" →
/// "Ủy ban nhân dân xã An Phú", "ĐẢNG UỶ XÃ ĐẠ HUOAI" → "Đảng uỷ xã Đạ Huoai". The words after the
/// level of a place (xã, phường, tỉnh, thành phố …) are its proper name and keep their capitals;
/// "Đảng" is always capitalised. A plan whose body needs other capitals writes
/// `co_quan_ban_hanh_viet_thuong`.
pub fn ten_viet_thuong(s: &str) -> String {
    const LEVELS: &[&str] = &["xã", "phường", "thị trấn", "đặc khu", "tỉnh", "thành phố", "huyện", "quận", "thị xã"];
    let words: Vec<String> = s.split_whitespace().map(|w| w.to_lowercase()).collect();
    let cap = |w: &str| sentence_case(w);
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut proper = false;
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        if !proper {
            let two = words.get(i + 1).map(|n| format!("{w} {n}"));
            let level = if two.as_deref().is_some_and(|t| LEVELS.contains(&t)) {
                2
            } else if LEVELS.contains(&w.as_str()) {
                1
            } else {
                0
            };
            // A level word with a name after it: the rest is the place's name.
            if level > 0 && i + level < words.len() {
                out.extend(words[i..i + level].iter().cloned());
                i += level;
                proper = true;
                continue;
            }
        }
        if proper || out.is_empty() || w == "đảng" {
            out.push(cap(w));
        } else {
            out.push(w.clone());
        }
        i += 1;
    }
    out.join(" ")
}

/// Upper-cases Vietnamese text (Rust's Unicode mapping handles every precomposed letter).
pub fn upper(s: &str) -> String {
    s.to_uppercase()
}

/// Removes the end punctuation a user may have typed (";", ",", ".", "./.") so that the regime's
/// own punctuation can be put there instead. An ellipsis ("..." or "…") is text, not punctuation,
/// and stays.
pub fn strip_end_punct(s: &str) -> &str {
    let mut t = s.trim_end();
    loop {
        let before = t;
        if let Some(x) = t.strip_suffix("./.") {
            t = x.trim_end();
        }
        if let Some(x) = t.strip_suffix([';', ',']) {
            t = x.trim_end();
        }
        if t.ends_with('.') && !t.ends_with("..") {
            t = t[..t.len() - 1].trim_end();
        }
        if t == before {
            return t;
        }
    }
}

/// The trích yếu as printed: without the end punctuation typed after it (".", ";", ",", ":"), an
/// ellipsis excepted. It names the plan; it is not a sentence.
pub fn strip_trich_yeu_end(s: &str) -> &str {
    let mut t = s.trim_end();
    while !t.ends_with("...") && !t.ends_with('…') {
        match t.strip_suffix(['.', ';', ',', ':']) {
            Some(x) => t = x.trim_end(),
            None => break,
        }
    }
    t
}

/// Puts `end` after `s` in place of whatever end punctuation it had.
pub fn with_end(s: &str, end: &str) -> String {
    format!("{}{}", strip_end_punct(s), end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regime::Profile;
    use crate::plan::model::Regime;

    fn d(s: &str) -> Ngay {
        Ngay::parse(s).unwrap()
    }

    #[test]
    fn dates_follow_the_padding_rule() {
        assert_eq!(ngay_thang_nam(&d("2022-02-05")), "ngày 05 tháng 02 năm 2022");
        assert_eq!(ngay_thang_nam(&d("2026-05-27")), "ngày 27 tháng 5 năm 2026");
        assert_eq!(ngay_thang_nam(&d("2025-12-01")), "ngày 01 tháng 12 năm 2025");
        assert_eq!(ngay_thang_nam(&d("2026-01-09")), "ngày 09 tháng 01 năm 2026");
        assert_eq!(ngay_thang_nam(&d("2022-03-09")), "ngày 09 tháng 3 năm 2022");
        assert_eq!(ngay_thang_nam(&d("2026-10-10")), "ngày 10 tháng 10 năm 2026");
        let draft = ngay_thang_nam(&d("2026"));
        assert!(draft.starts_with("ngày ") && draft.ends_with("năm 2026") && draft.contains("tháng"));
        assert_eq!(dia_danh_ngay("Hà Tĩnh", Some(&d("2022-03-09"))), "Hà Tĩnh, ngày 09 tháng 3 năm 2022");
    }

    #[test]
    fn roman_numerals() {
        let got: Vec<String> = (1..=12).map(roman).collect();
        assert_eq!(got, ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]);
        assert_eq!(roman(40), "XL");
        assert_eq!(roman(1994), "MCMXCIV");
        assert_eq!(roman(0), "0");
    }

    #[test]
    fn diem_letters_skip_f_j_w_z() {
        let got: Vec<String> = (1..=11).map(diem_letter).collect();
        assert_eq!(got, ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l"]);
        assert_eq!(diem_letter(23), "y");
        assert_eq!(diem_letter(24), "aa");
    }

    #[test]
    fn names_in_normal_case() {
        assert_eq!(ten_viet_thuong("ỦY BAN NHÂN DÂN XÃ AN PHÚ"), "Ủy ban nhân dân xã An Phú");
        assert_eq!(ten_viet_thuong("ĐẢNG UỶ XÃ ĐẠ HUOAI"), "Đảng uỷ xã Đạ Huoai");
        assert_eq!(ten_viet_thuong("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH"), "Ủy ban nhân dân thành phố Hồ Chí Minh");
        assert_eq!(ten_viet_thuong("SỞ NỘI VỤ"), "Sở nội vụ");
        assert_eq!(sentence_case("KẾ HOẠCH"), "Kế hoạch");
    }

    #[test]
    fn so_ky_hieu_forms() {
        let nd = &Profile::for_regime(Regime::Nd30).so;
        let hd = &Profile::for_regime(Regime::Hd05).so;
        assert_eq!(so_ky_hieu(nd, Some(6), "KH-UBND"), "Số: 06/KH-UBND");
        assert_eq!(so_ky_hieu(nd, Some(125), "KH-UBND"), "Số: 125/KH-UBND");
        assert_eq!(so_ky_hieu(hd, Some(75), "KH/ĐUK"), "Số 75-KH/ĐUK");
        assert_eq!(so_ky_hieu(hd, Some(5), "KH/ĐU"), "Số 05-KH/ĐU");
        let blank = so_ky_hieu(nd, None, "KH-KKTKT");
        assert!(blank.starts_with("Số: ") && blank.ends_with("/KH-KKTKT") && blank.contains("  "));
        let blank = so_ky_hieu(hd, None, "KH/ĐU");
        assert!(blank.starts_with("Số ") && blank.ends_with("-KH/ĐU"));
    }

    #[test]
    fn end_punctuation() {
        assert_eq!(with_end("Căn cứ Luật A;", "."), "Căn cứ Luật A.");
        assert_eq!(with_end("Trên đây là Kế hoạch./.", "./."), "Trên đây là Kế hoạch./.");
        assert_eq!(with_end("Trên đây là Kế hoạch", "./."), "Trên đây là Kế hoạch./.");
        assert_eq!(with_end("UBND tỉnh ;", ","), "UBND tỉnh,");
        assert_eq!(with_end("Căn cứ ...", ";"), "Căn cứ ...;");
        assert_eq!(with_end("Căn cứ …;", "."), "Căn cứ ….");
        assert_eq!(with_end("khó khăn.....", "."), "khó khăn......");
        assert_eq!(strip_trich_yeu_end("Cải cách hành chính năm 2026."), "Cải cách hành chính năm 2026");
        assert_eq!(strip_trich_yeu_end("Tổ chức hội thi ..."), "Tổ chức hội thi ...");
        assert_eq!(strip_trich_yeu_end("a ;."), "a");
        assert_eq!(upper("Mục đích, yêu cầu"), "MỤC ĐÍCH, YÊU CẦU");
        assert_eq!(upper("đảng ủy"), "ĐẢNG ỦY");
    }
}
