//! KH-DD-01: district-level units (huyện, quận, thị xã and their Party committees) named in a plan
//! issued after local government went to two levels on 01/7/2025 (the-thuc.md §0.3, §6.17).

use super::Ctx;
use super::text::has_phrase;
use crate::regime::Clause;

/// The day there were no more district-level units.
pub const HAI_CAP_TU: (i32, u32, u32) = (2025, 7, 1);

const CAP_HUYEN: &[&str] = &["HUYỆN", "QUẬN", "THỊ XÃ", "THỊ ỦY"];

const CLAUSE: Clause = Clause {
    text: "Luật Tổ chức chính quyền địa phương ngày 16/6/2025: chính quyền địa phương hai cấp (tỉnh; xã, phường, đặc khu) từ ngày 01/7/2025",
    read: true,
};

pub(super) fn check(c: &mut Ctx) {
    let (first, _) = c.date_range();
    if first < HAI_CAP_TU {
        return;
    }
    let plan = c.plan;
    let mut fields: Vec<(String, &str)> = Vec::new();
    for (base, lines) in [("co_quan_chu_quan", &plan.co_quan_chu_quan), ("co_quan_ban_hanh", &plan.co_quan_ban_hanh)] {
        for (i, t) in lines.iter().enumerate() {
            fields.push((super::text::line_path(base, lines, i), t.as_str()));
        }
    }
    fields.push(("dia_danh".into(), &plan.dia_danh));
    fields.extend(super::text::recipients(plan));
    fields.push(("noi_nhan.luu".into(), &plan.noi_nhan.luu));
    for (i, q) in plan.nguoi_ky.quyen_han.iter().enumerate() {
        fields.push((format!("nguoi_ky.quyen_han[{i}].ten"), &q.ten));
    }
    let ky = &plan.nguoi_ky;
    for (base, lines) in [("nguoi_ky.chuc_vu", &ky.chuc_vu), ("nguoi_ky.chuc_danh_duoi_ten", &ky.chuc_danh_duoi_ten)] {
        for (i, t) in lines.iter().enumerate() {
            fields.push((super::text::line_path(base, lines, i), t.as_str()));
        }
    }
    let when = match plan.ngay {
        Some(_) => "kế hoạch ban hành từ ngày 01/7/2025".to_string(),
        None => "kế hoạch chưa ghi ngày (tính theo hôm nay) ban hành sau ngày 01/7/2025".to_string(),
    };
    let mut found = Vec::new();
    for (path, t) in fields {
        if let Some(w) = CAP_HUYEN.iter().find(|w| has_phrase(t, w)) {
            found.push((
                path,
                format!(
                    "“{t}” nhắc tới đơn vị cấp huyện (“{}”), nhưng {when}, khi không còn cấp huyện; kiểm tra lại tên cơ quan, địa danh, nơi nhận",
                    w.to_lowercase()
                ),
            ));
        }
    }
    for (path, msg) in found {
        c.add_noted("KH-DD-01", path, msg, CLAUSE, "cảnh báo vì tên cũ vẫn có thể được nhắc tới có chủ ý");
    }
}
