//! Text helpers for the checks: comparing Vietnamese words whatever their case and tone-mark
//! placement, every text field of a plan with its JSON path, and the order of paths in a report.

use crate::plan::model::{Lines, Node, NoiNhanMuc, Plan};

/// Upper-cases `s` and puts tone marks of `oa`, `oe`, `uy` on the first vowel (HÒA, ỦY), so that
/// "Đảng uỷ" and "ĐẢNG ỦY" compare equal. Only for comparing: never shown to the user.
pub fn fold(s: &str) -> String {
    let up = s.to_uppercase();
    let mut out = String::with_capacity(up.len());
    let chars: Vec<char> = up.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if i + 1 < chars.len() && matches!(c, 'O' | 'U') {
            let second = chars[i + 1];
            if let Some((base, tone)) = split_tone(second) {
                let pair = matches!((c, base), ('O', 'A') | ('O', 'E') | ('U', 'Y'));
                if pair && tone != 0 {
                    out.push(with_tone(c, tone));
                    out.push(base);
                    i += 2;
                    continue;
                }
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Vowels with their tones: index 0 none, 1 huyền, 2 sắc, 3 hỏi, 4 ngã, 5 nặng.
const TONES: &[(char, [char; 6])] = &[
    ('A', ['A', 'À', 'Á', 'Ả', 'Ã', 'Ạ']),
    ('E', ['E', 'È', 'É', 'Ẻ', 'Ẽ', 'Ẹ']),
    ('O', ['O', 'Ò', 'Ó', 'Ỏ', 'Õ', 'Ọ']),
    ('U', ['U', 'Ù', 'Ú', 'Ủ', 'Ũ', 'Ụ']),
    ('Y', ['Y', 'Ỳ', 'Ý', 'Ỷ', 'Ỹ', 'Ỵ']),
    ('a', ['a', 'à', 'á', 'ả', 'ã', 'ạ']),
    ('e', ['e', 'è', 'é', 'ẻ', 'ẽ', 'ẹ']),
    ('o', ['o', 'ò', 'ó', 'ỏ', 'õ', 'ọ']),
    ('u', ['u', 'ù', 'ú', 'ủ', 'ũ', 'ụ']),
    ('y', ['y', 'ỳ', 'ý', 'ỷ', 'ỹ', 'ỵ']),
];

/// A vowel (of a, e, o, u, y) split into its base letter and its tone (0 = none).
pub fn split_tone(c: char) -> Option<(char, usize)> {
    TONES.iter().find_map(|(base, forms)| forms.iter().position(|&f| f == c).map(|t| (*base, t)))
}

fn with_tone(base: char, tone: usize) -> char {
    TONES.iter().find(|(b, _)| *b == base).map(|(_, f)| f[tone]).unwrap_or(base)
}

/// The words of `s` (runs of letters and digits).
pub fn words(s: &str) -> Vec<&str> {
    s.split(|c: char| !is_word_char(c)).filter(|w| !w.is_empty()).collect()
}

/// [`char::is_alphanumeric`], with the characters of Vietnamese text answered by their ranges:
/// the standard library looks every letter outside ASCII up in Unicode's tables, which was 4 % of
/// a batch's time in perf (the rules split every text into words).
#[inline]
pub fn is_word_char(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => true,
        '\0'..='\u{BF}' => c.is_alphanumeric(),
        // Latin-1 letters and Latin Extended-A and -B: letters all, but × and ÷.
        '\u{C0}'..='\u{24F}' => c != '×' && c != '÷',
        // Latin Extended Additional from Ạ to ỹ: the Vietnamese letters with their tones.
        '\u{1EA0}'..='\u{1EF9}' => true,
        _ => c.is_alphanumeric(),
    }
}

/// Whether the folded words of `phrase` occur as consecutive whole words of `text`.
pub fn has_phrase(text: &str, phrase: &str) -> bool {
    find_phrase(text, phrase).is_some()
}

/// The index (in words) where `phrase` occurs in `text`, comparing folded words.
pub fn find_phrase(text: &str, phrase: &str) -> Option<usize> {
    let t = fold(text);
    let p = fold(phrase);
    let tw = words(&t);
    let pw = words(&p);
    if pw.is_empty() || pw.len() > tw.len() {
        return None;
    }
    (0..=tw.len() - pw.len()).find(|&i| tw[i..i + pw.len()] == pw[..])
}

/// Whether `text` begins with the words of `phrase` (folded).
pub fn starts_with_phrase(text: &str, phrase: &str) -> bool {
    let t = fold(text);
    let p = fold(phrase);
    let tw = words(&t);
    let pw = words(&p);
    !pw.is_empty() && tw.len() >= pw.len() && tw[..pw.len()] == pw[..]
}

/// Letters and digits of `s`, folded, with single spaces: "Độc lập – Tự do" → "ĐỘC LẬP TỰ DO".
pub fn letters_key(s: &str) -> String {
    words(&fold(s)).join(" ")
}

/// The path of line `i` of a [`Lines`] field: the field itself when it has one line.
pub fn line_path(base: &str, lines: &Lines, i: usize) -> String {
    if lines.len() == 1 { base.to_string() } else { format!("{base}[{i}]") }
}

/// Every text of the plan with its JSON path, in the order of the document.
pub fn texts(plan: &Plan) -> Vec<(String, &str)> {
    let mut out: Vec<(String, &str)> = Vec::new();
    fn push_lines<'a>(out: &mut Vec<(String, &'a str)>, base: &str, l: &'a Lines) {
        for (i, t) in l.iter().enumerate() {
            out.push((line_path(base, l, i), t.as_str()));
        }
    }
    push_lines(&mut out, "co_quan_chu_quan", &plan.co_quan_chu_quan);
    push_lines(&mut out, "co_quan_ban_hanh", &plan.co_quan_ban_hanh);
    out.push(("ky_hieu".into(), &plan.ky_hieu));
    out.push(("dia_danh".into(), &plan.dia_danh));
    if let Some(t) = &plan.pham_vi_luu_hanh {
        out.push(("pham_vi_luu_hanh".into(), t));
    }
    if let Some(t) = &plan.du_thao {
        out.push(("du_thao".into(), t));
    }
    out.push(("ten_loai".into(), &plan.ten_loai));
    out.push(("trich_yeu".into(), &plan.trich_yeu));
    for (i, t) in plan.can_cu.iter().enumerate() {
        out.push((format!("can_cu[{i}]"), t));
    }
    push_lines(&mut out, "mo_dau", &plan.mo_dau);
    body_texts(&mut out, nodes(&plan.noi_dung));
    push_lines(&mut out, "ket_thuc", &plan.ket_thuc);
    for (path, t) in recipients(plan) {
        out.push((path, t));
    }
    out.push(("noi_nhan.luu".into(), &plan.noi_nhan.luu));
    for (i, q) in plan.nguoi_ky.quyen_han.iter().enumerate() {
        out.push((format!("nguoi_ky.quyen_han[{i}].ten"), &q.ten));
    }
    push_lines(&mut out, "nguoi_ky.chuc_vu", &plan.nguoi_ky.chuc_vu);
    out.push(("nguoi_ky.ho_ten".into(), &plan.nguoi_ky.ho_ten));
    push_lines(&mut out, "nguoi_ky.chuc_danh_duoi_ten", &plan.nguoi_ky.chuc_danh_duoi_ten);
    if let Some(t) = &plan.ky_hieu_soan_thao {
        out.push(("ky_hieu_soan_thao".into(), t));
    }
    for (i, pl) in plan.phu_luc.iter().enumerate() {
        if let Some(t) = &pl.so {
            out.push((format!("phu_luc[{i}].so"), t));
        }
        out.push((format!("phu_luc[{i}].tieu_de"), &pl.tieu_de));
        body_texts(&mut out, nodes_at(&pl.noi_dung, &format!("phu_luc[{i}].noi_dung")));
    }
    out
}

/// The strings of body nodes, with their paths.
fn body_texts<'a>(out: &mut Vec<(String, &'a str)>, nodes: Vec<(String, &'a Node, usize)>) {
    fn push_lines<'a>(out: &mut Vec<(String, &'a str)>, base: &str, l: &'a Lines) {
        for (i, t) in l.iter().enumerate() {
            out.push((line_path(base, l, i), t.as_str()));
        }
    }
    for (path, node, _) in nodes {
        if let Some(t) = &node.so_hieu {
            out.push((format!("{path}.so_hieu"), t));
        }
        if let Some(t) = &node.tieu_de {
            out.push((format!("{path}.tieu_de"), t));
        }
        if node.chuoi {
            push_lines(out, &path, &node.van_ban);
        } else {
            push_lines(out, &format!("{path}.van_ban"), &node.van_ban);
        }
        if let Some(n) = &node.nhiem_vu {
            for (k, v) in [
                ("chu_tri", &n.chu_tri),
                ("phoi_hop", &n.phoi_hop),
                ("tham_muu", &n.tham_muu),
                ("thoi_gian", &n.thoi_gian),
                ("san_pham", &n.san_pham),
            ] {
                if let Some(t) = v {
                    out.push((format!("{path}.nhiem_vu.{k}"), t));
                }
            }
        }
    }
}

/// Every recipient line of nơi nhận (groups included, their notes not) with its path.
pub fn recipients(plan: &Plan) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    for (i, m) in plan.noi_nhan.muc.iter().enumerate() {
        match m {
            NoiNhanMuc::Mot(t) => out.push((format!("noi_nhan.muc[{i}]"), t.as_str())),
            NoiNhanMuc::Nhom(g) => {
                for (j, t) in g.muc.iter().enumerate() {
                    out.push((format!("noi_nhan.muc[{i}].muc[{j}]"), t.as_str()));
                }
            }
        }
    }
    out
}

/// Every node of the body tree with its path and depth (0 for `noi_dung[i]`), in reading order.
pub fn nodes(top: &[Node]) -> Vec<(String, &Node, usize)> {
    nodes_at(top, "noi_dung")
}

/// [`nodes`] of a body whose path is `base` (`phu_luc[1].noi_dung`).
pub fn nodes_at<'a>(top: &'a [Node], base: &str) -> Vec<(String, &'a Node, usize)> {
    let mut out = Vec::new();
    let mut stack: Vec<(String, &Node, usize)> =
        top.iter().enumerate().rev().map(|(i, n)| (format!("{base}[{i}]"), n, 0)).collect();
    while let Some((path, node, depth)) = stack.pop() {
        for (i, c) in node.muc_con.iter().enumerate().rev() {
            stack.push((format!("{path}.muc_con[{i}]"), c, depth + 1));
        }
        out.push((path, node, depth));
    }
    out
}

/// The order of the plan's fields, for sorting findings in the order of the document.
const FIELD_ORDER: &[&str] = &[
    "$schema", "the_thuc", "co_quan_chu_quan", "co_quan_ban_hanh", "so", "ky_hieu", "dia_danh", "ngay", "do_mat",
    "do_khan", "pham_vi_luu_hanh", "du_thao", "ten_loai", "trich_yeu", "can_cu", "can_cu_trinh_bay", "mo_dau",
    "dau_danh_so", "noi_dung", "ket_thuc", "noi_nhan", "nguoi_ky", "ky_hieu_soan_thao", "kieu", "so_hieu",
    "tieu_de", "van_ban", "nhiem_vu", "chu_tri", "phoi_hop", "tham_muu", "thoi_gian", "san_pham", "kieu_muc_con",
    "trinh_bay_nhiem_vu", "muc_con", "muc", "ghi_chu", "luu", "quyen_han", "loai", "ten", "chuc_vu", "ho_ten",
    "chuc_danh_duoi_ten", "gom_dong_luu", "phu_luc", "huong",
];

/// A sort key for a path such as `noi_dung[2].muc_con[10].tieu_de`: fields in document order,
/// indices as numbers. The empty path (the plan as a whole) comes first.
pub fn path_key(path: &str) -> Vec<u64> {
    let mut key = Vec::new();
    for part in path.split('.') {
        let (name, rest) = part.split_once('[').map(|(n, r)| (n, Some(r))).unwrap_or((part, None));
        if !name.is_empty() {
            key.push(FIELD_ORDER.iter().position(|f| *f == name).map(|i| i as u64).unwrap_or(999));
        }
        if let Some(rest) = rest {
            for idx in rest.split('[') {
                key.push(1000 + idx.trim_end_matches(']').parse::<u64>().unwrap_or(0));
            }
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_and_tone_placement() {
        assert_eq!(fold("Đảng uỷ"), fold("ĐẢNG ỦY"));
        assert_eq!(fold("hoà"), fold("HÒA"));
        assert_eq!(fold("khoẻ"), "KHỎE");
        assert!(has_phrase("Ban Thường vụ Tỉnh uỷ Lâm Đồng", "TỈNH ỦY"));
        assert!(!has_phrase("ỦY BAN NHÂN DÂN", "TỈNH ỦY"));
        assert!(starts_with_phrase("PHÓ BÍ THƯ THƯỜNG TRỰC", "phó bí thư"));
        assert_eq!(letters_key("Độc lập – Tự do - Hạnh phúc"), "ĐỘC LẬP TỰ DO HẠNH PHÚC");
    }

    #[test]
    fn paths_sort_in_document_order() {
        let mut v = vec!["nguoi_ky.ho_ten", "noi_dung[10].tieu_de", "noi_dung[2].muc_con[1]", "", "ky_hieu", "can_cu[1]"];
        v.sort_by_key(|p| path_key(p));
        assert_eq!(v, ["", "ky_hieu", "can_cu[1]", "noi_dung[2].muc_con[1]", "noi_dung[10].tieu_de", "nguoi_ky.ho_ten"]);
    }

    #[test]
    fn word_chars_are_the_alphanumeric_characters() {
        for n in 0..0x3000u32 {
            let Some(c) = char::from_u32(n) else { continue };
            assert_eq!(super::is_word_char(c), c.is_alphanumeric(), "U+{n:04X}");
        }
    }
}
