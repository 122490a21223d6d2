//! KH-NN: nơi nhận. The engine prints the label, the dashes, the separators and "Lưu: " / "Lưu ";
//! staff type the recipients and what follows "Lưu".

use super::Ctx;
use super::noi_dung::typed_bullet;
use super::text::{letters_key, starts_with_phrase, words};

pub(super) fn check(c: &mut Ctx) {
    let p = c.p;
    let cl = p.checks.clauses.noi_nhan;
    let luu = c.plan.noi_nhan.luu.as_str();
    let prefix = p.noi_nhan.luu_prefix.trim_end();
    let mut found: Vec<(&'static str, String, String)> = Vec::new();
    let count = c.plan.noi_nhan.muc.len();
    for (i, m) in c.plan.noi_nhan.muc.iter().enumerate() {
        if let crate::plan::model::NoiNhanMuc::Nhom(g) = m
            && g.gom_dong_luu
            && i + 1 < count
        {
            found.push((
                "KH-NN-06",
                format!("noi_nhan.muc[{i}].gom_dong_luu"),
                format!("dòng lưu chỉ đặt được trong nhóm cuối cùng của nơi nhận (dòng lưu là dòng cuối); nhóm này là nơi nhận thứ {} trong {count}", i + 1),
            ));
        }
    }
    let mut rest = luu;
    if let Some(b) = typed_bullet(luu) {
        found.push(("KH-NN-04", "noi_nhan.luu".into(), format!("dòng lưu bắt đầu bằng “{b}” gõ tay; chương trình tự in “- {prefix}”")));
        rest = luu[b.len_utf8()..].trim_start();
    }
    if is_luu_line(rest) {
        found.push((
            "KH-NN-01",
            "noi_nhan.luu".into(),
            format!("“{luu}”: chữ “{prefix}” do chương trình tự in; trường luu chỉ ghi phần sau, ví dụ “{}”", example(c)),
        ));
        let cut = rest.char_indices().nth(3).map(|(i, _)| i).unwrap_or(rest.len());
        rest = rest[cut..].trim_start_matches([':', ' ']);
    }
    let luu_words = words(rest);
    for w in p.checks.luu_cam {
        if luu_words.contains(w) {
            found.push((
                "KH-NN-02",
                "noi_nhan.luu".into(),
                format!(
                    "“{luu}”: {} ghi “- {prefix} <nơi lưu>.” (ví dụ “- Lưu Văn phòng Đảng uỷ.”), không ghi “{w}” (văn thư) như văn bản nhà nước",
                    p.checks.ho
                ),
            ));
        }
    }
    if let Some(first) = p.checks.luu_bat_dau {
        if !rest.is_empty() && luu_words.first() != Some(&first) {
            found.push((
                "KH-NN-03",
                "noi_nhan.luu".into(),
                format!("“{luu}”: dòng lưu của {} là “{prefix} {first}, <đơn vị soạn thảo>”, ví dụ “{first}, VP”", p.checks.ho),
            ));
        }
    }
    for (path, t) in super::text::recipients(c.plan) {
        if let Some(b) = typed_bullet(t) {
            found.push(("KH-NN-04", path.clone(), format!("“{t}” bắt đầu bằng “{b}” gõ tay; chương trình tự thêm “-” trước mỗi nơi nhận")));
        }
        let bare = t.trim_start_matches(['-', '+', '•', ' ']);
        if is_luu_line(bare) {
            found.push((
                "KH-NN-01",
                path.clone(),
                format!("dòng lưu “{t}” ghi ở noi_nhan.luu (chương trình in nó ở cuối), không ghi trong danh sách nơi nhận"),
            ));
        }
        if letters_key(bare) == "NHƯ TRÊN" {
            found.push((
                "KH-NN-05",
                path,
                "“Như trên” chỉ dùng khi văn bản có phần “Kính gửi” (công văn, tờ trình, báo cáo gửi cấp trên); kế hoạch không có phần này nên hãy ghi rõ nơi nhận".into(),
            ));
        }
    }
    for (ma, path, msg) in found {
        if ma == "KH-NN-05" {
            c.add_noted(ma, path, msg, cl, "suy ra từ quy định về “Kính gửi”; kế hoạch không có phần kính gửi");
        } else {
            c.add(ma, path, msg, cl);
        }
    }
}

/// "Lưu: VT, VP", "Lưu VP", "LƯU VT" — but not "Lưu trữ lịch sử tỉnh" (an archive is a recipient).
fn is_luu_line(t: &str) -> bool {
    starts_with_phrase(t, "Lưu") && !starts_with_phrase(t, "Lưu trữ")
}

fn example(c: &Ctx) -> &'static str {
    match c.p.checks.luu_bat_dau {
        Some(_) => "VT, VP",
        None => "Văn phòng Đảng uỷ",
    }
}
