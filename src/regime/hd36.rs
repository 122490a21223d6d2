//! Hướng dẫn 36-HD/VPTW (2018), for re-rendering older Party plans. It differs from HD 05 only where
//! the-thuc.md §4.4 says so; those values come from a third-party summary and are marked unverified there.

use super::*;
use crate::plan::model::{DauDanhSo, Kieu, Regime};

const OWN_STYLES: &[(&str, ParaStyle)] = &[
    // Typist mark: capitals, 8 pt (§4.4, unverified).
    ("ky_hieu_soan_thao", ParaStyle::BASE.size(16).caps().before(pt(6))),
];

pub const HD36: Profile = Profile {
    regime: Regime::Hd36,
    code: "hd36",
    ten: "Hướng dẫn số 36-HD/VPTW",
    starter: include_str!("../plan/starter/hd36.json"),
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
    checks: CheckData {
        ho: "văn bản của Đảng",
        clauses: Clauses {
            thanh_phan: unread("HD 36-HD/VPTW (các thành phần thể thức; chưa đối chiếu đủ nguyên văn)"),
            dau: read("HD 36-HD/VPTW, mục 1.1.2 (tiêu đề) và tên cơ quan ban hành"),
            so_ky_hieu: read("HD 36-HD/VPTW, mục 1.3 (số và ký hiệu)"),
            ten_viet_tat: read("HD 36-HD/VPTW, mục 1.3 (Kế hoạch viết tắt KH)"),
            ngay: unread("HD 36-HD/VPTW (địa danh và ngày tháng; chưa đối chiếu nguyên văn)"),
            trich_yeu: read("HD 36-HD/VPTW, mục 1.5.2 (tên loại và trích yếu)"),
            can_cu: unread("HD 36-HD/VPTW (căn cứ; theo bản tóm tắt, chưa đối chiếu nguyên văn)"),
            bo_cuc: unread("HD 36-HD/VPTW (bố cục nội dung; chưa đối chiếu nguyên văn)"),
            ket_thuc: unread("HD 36-HD/VPTW (kết thúc nội dung; chưa đối chiếu nguyên văn)"),
            quyen_han: unread("HD 36-HD/VPTW (thể thức đề ký, như HD 05 mục 7.1; chưa đối chiếu đủ nguyên văn)"),
            chuc_vu: unread("HD 36-HD/VPTW (chức vụ người ký, như HD 05; chưa đối chiếu đủ nguyên văn)"),
            ho_ten: unread("HD 36-HD/VPTW (họ tên người ký, như HD 05; chưa đối chiếu đủ nguyên văn)"),
            noi_nhan: unread("HD 36-HD/VPTW (nơi nhận, như HD 05; chưa đối chiếu đủ nguyên văn)"),
            phong_chu: read("HD 36-HD/VPTW, Phụ lục 3 (phông chữ)"),
            hieu_luc: read("HD 36-HD/VPTW ngày 03/4/2018, được thay thế bởi HD 05-HD/VPTW ngày 27/5/2026"),
            phu_luc: unread("HD 36-HD/VPTW (phụ lục, như HD 05; chưa đối chiếu nguyên văn)"),
        },
        tu_ngay: Some((2018, 4, 3)),
        den_ngay: Some((2026, 5, 27)),
        ..super::hd05::HD05.checks
    },
    ..super::hd05::HD05
};

const fn read(text: &'static str) -> Clause {
    Clause { text, read: true }
}

const fn unread(text: &'static str) -> Clause {
    Clause { text, read: false }
}
