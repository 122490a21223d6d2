//! KH-PL: the phụ lục. A title (KH-PL-01); numbers in order and in the regime's form, Roman for
//! ND 30, Arabic for Party documents (KH-PL-02, the-thuc.md §6.18); the body naming a phụ lục the
//! plan does not have (KH-PL-03); a phụ lục with nothing in it (KH-PL-04); the reference line of a
//! draft, left blank (KH-PL-05).

use super::Ctx;
use crate::regime::numbering::{Scheme, parse_label};
use crate::regime::PhuLucSo;

pub(super) fn check(c: &mut Ctx) {
    let cl = c.p.checks.clauses.phu_luc;
    let f = c.p.phu_luc;
    let count = c.plan.phu_luc.len();
    let mut found: Vec<(&'static str, String, String)> = Vec::new();
    for (i, pl) in c.plan.phu_luc.iter().enumerate() {
        let at = format!("phu_luc[{i}]");
        if pl.tieu_de.is_empty() {
            found.push(("KH-PL-01", format!("{at}.tieu_de"), format!("phụ lục thứ {} chưa có tên (tieu_de); ghi tên phụ lục, ví dụ “Danh mục nhiệm vụ năm 2026”", i + 1)));
        }
        if pl.noi_dung.is_empty() {
            found.push(("KH-PL-04", format!("{at}.noi_dung"), format!("phụ lục thứ {} không có nội dung (noi_dung trống): chỉ in tên phụ lục", i + 1)));
        }
        let Some(so) = pl.so.as_ref().filter(|t| !t.is_empty()) else { continue };
        let want = f.number(i as u32 + 1);
        let form = match f.so {
            PhuLucSo::LaMa => "số La Mã (I, II, III…)",
            PhuLucSo::ARap => "số Ả Rập (1, 2, 3…)",
        };
        let typed = so.trim();
        if crate::regime::rules::text::fold(typed).starts_with("PHU LUC") || typed.to_lowercase().starts_with("phụ lục") {
            found.push(("KH-PL-02", format!("{at}.so"), format!("không gõ chữ “Phụ lục” vào số phụ lục (chương trình tự in “{} {want}”); chỉ ghi “{want}”", f.nhan)));
            continue;
        }
        let scheme = parse_label(typed).map(|(s, _, _)| s);
        let right_form = match f.so {
            PhuLucSo::LaMa => scheme == Some(Scheme::Roman),
            PhuLucSo::ARap => scheme == Some(Scheme::Arabic),
        };
        if !right_form {
            found.push(("KH-PL-02", format!("{at}.so"), format!("số phụ lục “{typed}” không đúng thể thức: {} đánh số phụ lục bằng {form}; phụ lục thứ {} là “{want}”", c.p.ten, i + 1)));
        } else if typed.trim_end_matches(['.', '-']) != want {
            found.push(("KH-PL-02", format!("{at}.so"), format!("số phụ lục “{typed}” không đúng thứ tự: phụ lục thứ {} là “{want}”; bỏ trống so để chương trình tự đánh số", i + 1)));
        }
    }
    // The body names "Phụ lục III" while the plan has only two.
    let named: Vec<(String, String)> = mentions(c).collect();
    for (path, n) in named {
        if !(1..=count as u32).any(|k| f.number(k) == n || k.to_string() == n) {
            let have = if count == 0 { "kế hoạch không có phụ lục nào (phu_luc)".to_string() } else { format!("kế hoạch chỉ có {count} phụ lục") };
            found.push(("KH-PL-03", path, format!("nội dung nhắc tới “Phụ lục {n}” nhưng {have}; thêm phụ lục đó hoặc sửa lại lời dẫn")));
        }
    }
    for (ma, path, msg) in found {
        c.add(ma, path, msg, cl);
    }
    if count > 0 && (c.plan.so.is_none() || !c.plan.ngay.as_ref().is_some_and(|d| d.is_complete())) {
        c.add(
            "KH-PL-05",
            "phu_luc",
            "kế hoạch chưa có số hoặc ngày đủ: dòng “(Kèm theo Kế hoạch số … ngày …)” của phụ lục để trống chỗ đó cho văn thư điền",
            cl,
        );
    }
}

/// "Phụ lục II" named in the plan's own body, with the path of the text and the number.
fn mentions<'a>(c: &'a Ctx) -> impl Iterator<Item = (String, String)> + 'a {
    super::text::texts(c.plan)
        .into_iter()
        .filter(|(path, _)| path.starts_with("noi_dung") || path.starts_with("mo_dau") || path.starts_with("ket_thuc"))
        .flat_map(|(path, t)| {
            let mut out = Vec::new();
            let mut rest = t;
            while let Some(at) = rest.find("Phụ lục ") {
                let after = &rest[at + "Phụ lục ".len()..];
                let n: String = after.chars().take_while(|ch| ch.is_ascii_digit() || "IVXLC".contains(*ch)).collect();
                let ends_word = after[n.len()..].chars().next().is_none_or(|ch| !ch.is_alphanumeric());
                if !n.is_empty() && ends_word {
                    out.push((path.clone(), n));
                }
                rest = after;
            }
            out
        })
}
