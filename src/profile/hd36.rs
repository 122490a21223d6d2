//! Hướng dẫn 36-HD/VPTW (2018), for re-rendering older Party plans. It differs from HD 05 only where
//! the-thuc.md §4.4 says so; those values come from a third-party summary and are marked unverified there.

use super::*;
use crate::model::{DauDanhSo, Kieu, Regime};

const OWN_STYLES: &[(&str, ParaStyle)] = &[
    // Typist mark: capitals, 8 pt (§4.4, unverified).
    ("ky_hieu_soan_thao", ParaStyle { size: 16, caps: true, before: pt(6), ..ParaStyle::BASE }),
];

pub const HD36: Profile = Profile {
    regime: Regime::Hd36,
    ten: "Hướng dẫn số 36-HD/VPTW",
    styles: &[OWN_STYLES, super::hd05::STYLES],
    // HD 36: the last căn cứ ends with a comma; nơi nhận items are separated by commas.
    can_cu: ListPunct { prefix: "- ", sep: ";", last: "," },
    noi_nhan: NoiNhanFormat {
        label: "Nơi nhận:",
        items: ListPunct { prefix: "- ", sep: ",", last: "," },
        luu_prefix: "Lưu ",
    },
    numbering: Numbering {
        by_depth: &[Kieu::Muc, Kieu::Khoan, Kieu::Diem, Kieu::Gach, Kieu::Cong],
        // Plans of the HD 36 era use "I." and "1." (seed 000).
        dau: DauDanhSo::Cham,
    },
    ..super::hd05::HD05
};
