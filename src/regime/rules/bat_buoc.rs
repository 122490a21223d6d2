//! KH-BB: what must be there. Empty required fields (KH-BB-01), empty items of lists (KH-BB-02),
//! including a quyền hạn with no name after it ("KT." without the head's title, §6.11), and the
//! placeholders of a starter plan left unfilled (KH-BB-03).

use super::Ctx;
use crate::plan::model::NoiNhanMuc;

pub(super) fn check(c: &mut Ctx) {
    let cl = c.p.checks.clauses;
    let plan = c.plan;
    let required = [
        ("co_quan_ban_hanh", plan.co_quan_ban_hanh.is_empty()),
        ("ky_hieu", plan.ky_hieu.is_empty()),
        ("dia_danh", plan.dia_danh.is_empty()),
        ("ten_loai", plan.ten_loai.is_empty()),
        ("trich_yeu", plan.trich_yeu.is_empty()),
        ("noi_nhan.luu", plan.noi_nhan.luu.is_empty()),
        ("nguoi_ky.ho_ten", plan.nguoi_ky.ho_ten.is_empty()),
    ];
    for (field, empty) in required {
        if empty {
            c.add("KH-BB-01", field, "không được để trống", cl.thanh_phan);
        }
    }
    let mut unfilled = Vec::new();
    for (path, text) in super::text::texts(plan) {
        if let Some(hint) = crate::plan::starter::placeholder(text) {
            unfilled.push((path, format!("còn chỗ để điền “{hint}” của kế hoạch mẫu; hãy thay bằng nội dung thật")));
        }
    }
    for (path, msg) in unfilled {
        c.add("KH-BB-03", path, msg, cl.thanh_phan);
    }
    for (i, t) in plan.can_cu.iter().enumerate() {
        if t.is_empty() {
            c.add("KH-BB-02", format!("can_cu[{i}]"), "căn cứ trống; xoá mục này hoặc ghi nội dung căn cứ", cl.can_cu);
        }
    }
    for (i, m) in plan.noi_nhan.muc.iter().enumerate() {
        match m {
            NoiNhanMuc::Mot(t) if t.is_empty() => {
                c.add("KH-BB-02", format!("noi_nhan.muc[{i}]"), "nơi nhận trống; xoá mục này hoặc ghi tên nơi nhận", cl.noi_nhan)
            }
            NoiNhanMuc::Nhom(g) => {
                if g.muc.is_empty() {
                    c.add("KH-BB-02", format!("noi_nhan.muc[{i}].muc"), "nhóm nơi nhận không có nơi nhận nào", cl.noi_nhan);
                }
                for (j, t) in g.muc.iter().enumerate() {
                    if t.is_empty() {
                        c.add("KH-BB-02", format!("noi_nhan.muc[{i}].muc[{j}]"), "nơi nhận trống", cl.noi_nhan);
                    }
                }
                if g.ghi_chu.is_empty() {
                    c.add("KH-BB-02", format!("noi_nhan.muc[{i}].ghi_chu"), "ghi chú của nhóm nơi nhận trống (ví dụ “báo cáo”)", cl.noi_nhan);
                }
            }
            _ => {}
        }
    }
    for (i, q) in plan.nguoi_ky.quyen_han.iter().enumerate() {
        if q.ten.is_empty() {
            let prefix = c.p.quyen_han.prefix(q.loai).unwrap_or("");
            c.add(
                "KH-BB-02",
                format!("nguoi_ky.quyen_han[{i}].ten"),
                format!("“{prefix}” phải có tên tập thể hoặc chức vụ người đứng đầu đi sau, ví dụ “{prefix} CHỦ TỊCH”"),
                cl.quyen_han,
            );
        }
    }
}
