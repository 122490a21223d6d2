//! Checks a parsed plan for what rendering cannot do without. (The rules of thể thức, with their
//! clauses and severities, are a separate, larger check.)

use crate::error::Error;
use crate::plan::model::Plan;

/// The required fields that are empty (the checker reports them all; rendering stops at the first).
pub fn empty_required(plan: &Plan) -> Vec<&'static str> {
    let required = [
        ("co_quan_ban_hanh", plan.co_quan_ban_hanh.is_empty()),
        ("ky_hieu", plan.ky_hieu.is_empty()),
        ("dia_danh", plan.dia_danh.is_empty()),
        ("ten_loai", plan.ten_loai.is_empty()),
        ("trich_yeu", plan.trich_yeu.is_empty()),
        ("noi_nhan.luu", plan.noi_nhan.luu.is_empty()),
        ("nguoi_ky.ho_ten", plan.nguoi_ky.ho_ten.is_empty()),
    ];
    required.into_iter().filter(|(_, empty)| *empty).map(|(f, _)| f).collect()
}

pub fn check(plan: &Plan) -> Result<(), Error> {
    if let Some(field) = empty_required(plan).first() {
        return Err(Error::field(*field, "không được để trống"));
    }
    if plan.ky_hieu.chars().any(char::is_whitespace) {
        return Err(Error::field("ky_hieu", format!("“{}” có khoảng trắng; ký hiệu viết liền, ví dụ KH-UBND", plan.ky_hieu)));
    }
    for (i, c) in plan.can_cu.iter().enumerate() {
        if c.is_empty() {
            return Err(Error::field(format!("can_cu[{i}]"), "căn cứ trống"));
        }
    }
    Ok(())
}
