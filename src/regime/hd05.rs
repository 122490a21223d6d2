//! Hướng dẫn 05-HD/VPTW (27/5/2026), Party bodies. Values are the-thuc.md §2 and §4.1.

use super::*;
use crate::plan::model::{DauDanhSo, Kieu, Regime};

const BODY: ParaStyle = ParaStyle::BASE
    .size(28)
    .align(Align::Both)
    .first_line(567) // about 10 mm
    .before(pt(6))
    .line(LineSpacing::Exact(360)); // 18–22 pt, Exactly
const CENTER: ParaStyle = ParaStyle::BASE.align(Align::Center);
/// The line under ĐẢNG CỘNG SẢN VIỆT NAM is exactly as long as the title.
const TEXT_RULE: RuleSpec = RuleSpec { length: RuleLength::TextWidth, thickness: 6, gap: 40 };
const NOI_NHAN: ParaStyle = ParaStyle::BASE.size(24);

pub const STYLES: &[(&str, ParaStyle)] = &[
    ("normal", ParaStyle::BASE.size(28)),
    ("tieu_de", CENTER.size(30).bold().rule_below(TEXT_RULE)),
    ("co_quan_chu_quan", CENTER.size(28).caps()),
    ("co_quan_ban_hanh", CENTER.size(28).bold().caps()),
    ("duoi_co_quan", CENTER.size(28)),
    ("so_ky_hieu", CENTER.size(28)),
    ("dia_danh_ngay", CENTER.size(28).italic()),
    ("du_thao", CENTER.size(28).italic()),
    ("dau_khan", CENTER.size(28).bold().caps().before(pt(3))),
    ("dau_mat", CENTER.size(28).bold().caps().before(pt(3))),
    ("pham_vi_luu_hanh", ParaStyle::BASE.size(24).bold().caps().after(pt(6)).align(Align::Right)),
    ("ten_loai", CENTER.size(32).bold().caps().before(pt(18)).keep_next()),
    ("trich_yeu", CENTER.size(28).bold().keep_next()),
    ("duoi_trich_yeu", CENTER.size(28).keep_next()),
    ("can_cu", BODY),
    ("body", BODY),
    ("muc", BODY.bold().caps().keep_next()),
    ("khoan", BODY.bold().keep_next()),
    ("tiet", BODY.bold().italic().keep_next()),
    ("diem", BODY.italic().keep_next()),
    ("bang_tieu_de", CENTER.size(26).bold().before(40).after(40)),
    ("bang", ParaStyle::BASE.size(26).before(40).after(40)),
    ("noi_nhan_nhan", ParaStyle::BASE.size(28).underline()),
    ("noi_nhan", NOI_NHAN),
    ("ky_hieu_soan_thao", ParaStyle::BASE.size(22).before(pt(6))),
    ("quyen_han", CENTER.size(28).bold().caps()),
    // Party: the signer's title is capitals but not bold.
    ("chuc_vu", CENTER.size(28).caps()),
    ("ho_ten", CENTER.size(28).bold().before(1680)),
    ("chuc_danh_duoi_ten", CENTER.size(28).caps()),
    ("so_trang", CENTER.size(28)),
    // HD 05 (the-thuc.md §4.1): "Phụ lục 2" on its own line, the title under it, then the reference
    // line; the sizes are the body's (practice).
    ("phu_luc_so", CENTER.size(28).bold().keep_next()),
    ("phu_luc_tieu_de", CENTER.size(28).bold().caps().keep_next()),
    ("phu_luc_kem_theo", CENTER.size(28).italic().after(pt(6)).keep_next()),
];

pub const TABLES: &[(&str, TableLayout)] = &[
    // HD 05 gives no widths; the ND 30 template's proportions are reused (the-thuc.md §8).
    ("dau", TableLayout { widen_first_to: Some(DAU_LEFT_MAX), ..TableLayout::new(&[Width::Twips(4111), Width::Twips(5386)], -142) }),
    // Space above the nơi nhận / signature block.
    ("chu_ky", TableLayout { before: pt(12), ..TableLayout::new(&[Width::Twips(4536), Width::Twips(4818)], 0) }),
    ("nhom_noi_nhan", NHOM_NOI_NHAN),
    ("nhiem_vu", NHIEM_VU),
];

pub const HD05: Profile = Profile {
    regime: Regime::Hd05,
    code: "hd05",
    family: Family::Party,
    ten: "Hướng dẫn số 05-HD/VPTW",
    starter: include_str!("../plan/starter/hd05.json"),
    // Fixed 20/20/30/15 mm, mirrored on back pages; page number 10 mm from the top edge.
    page: PageSetup { mirror: true, ..A4 },
    page_number_style: "so_trang",
    styles: &[STYLES],
    tables: TABLES,
    quoc_hieu: &[StyledLine { text: "ĐẢNG CỘNG SẢN VIỆT NAM", style: "tieu_de" }],
    duoi_co_quan: Some("*"),
    duoi_trich_yeu: Some("-----"),
    so: SoFormat { prefix: "Số ", sep: "-", blank: "      ", ky_hieu_sep: "/" },
    can_cu: ListPunct { prefix: "- ", sep: ";", last: "." },
    can_cu_style: "can_cu",
    numbering: Numbering {
        by_depth: &[Kieu::Muc, Kieu::Khoan, Kieu::Diem, Kieu::Gach, Kieu::Cong],
        // "I- MỤC ĐÍCH, YÊU CẦU" as in HD 05's own text (practice).
        dau: DauDanhSo::Gach,
    },
    ket_thuc: ".",
    noi_nhan: NoiNhanFormat {
        label: "Nơi nhận:",
        items: ListPunct { prefix: "- ", sep: ";", last: ";" },
        luu_prefix: "Lưu ",
    },
    quyen_han: QuyenHanFormat { tm: "T/M", kt: "K/T", tl: "T/L", tuq: None, q: "Q." },
    stamps: Stamps {
        khan: "KHẨN",
        thuong_khan: "THƯỢNG KHẨN",
        hoa_toc: "HOẢ TỐC",
        mat: "MẬT",
        toi_mat: "TỐI MẬT",
        tuyet_mat: "TUYỆT MẬT",
    },
    phu_luc: PhuLucFormat { nhan: "Phụ lục", so: PhuLucSo::ARap, danh_so_tu: 2, kem_theo: "Kèm theo" },
    checks: CheckData {
        ho: "văn bản của Đảng",
        vi_du_ky_hieu: "KH/ĐU",
        clauses: Clauses {
            thanh_phan: c("HD 05-HD/VPTW, Phần II (các thành phần thể thức)"),
            dau: c("HD 05-HD/VPTW, Phần II (tiêu đề; tên cơ quan ban hành)"),
            so_ky_hieu: c("HD 05-HD/VPTW, mục 3 (số và ký hiệu)"),
            ten_viet_tat: c("HD 05-HD/VPTW, mục 3 (Kế hoạch viết tắt KH)"),
            ngay: c("HD 05-HD/VPTW, mục 4.2.2 (địa danh và ngày tháng)"),
            trich_yeu: c("HD 05-HD/VPTW, Phần II (tên loại và trích yếu)"),
            can_cu: c("HD 05-HD/VPTW, Phần II (căn cứ: gạch đầu dòng, kết thúc bằng “;”, căn cứ cuối bằng “.”)"),
            bo_cuc: c("HD 05-HD/VPTW, Phần II (bố cục phần, mục, khoản, điểm)"),
            ket_thuc: c("HD 05-HD/VPTW, Phần II (nội dung kết thúc bằng dấu chấm)"),
            quyen_han: c("HD 05-HD/VPTW, mục 7.1 (thể thức đề ký)"),
            chuc_vu: c("HD 05-HD/VPTW, mục 7.1 và Phần II (chức vụ người ký không ghi tên cơ quan)"),
            ho_ten: c("HD 05-HD/VPTW, Phần II (họ tên người ký: không ghi học hàm, học vị, cấp bậc, danh xưng)"),
            noi_nhan: c("HD 05-HD/VPTW, Phần II (nơi nhận: dòng cuối “- Lưu …”, không có dấu hai chấm, không ghi VT)"),
            phong_chu: c("HD 05-HD/VPTW, Phần II, mục IV (phông chữ Unicode theo TCVN 6909:2001)"),
            hieu_luc: c("HD 05-HD/VPTW ngày 27/5/2026 (thay thế HD 36-HD/VPTW)"),
            phu_luc: c("HD 05-HD/VPTW, Phần II (phụ lục: số Ả Rập, tên, dòng “Kèm theo”, đánh số trang riêng)"),
        },
        tu_ngay: Some((2026, 5, 27)),
        den_ngay: None,
        dau_hieu_co_quan: PARTY_BODY_MARKERS,
        luu_bat_dau: None,
        luu_cam: &["VT"],
        khong_ky_thay: PARTY_COLLECTIVES,
        chuc_vu_thay_mat: Some(&["TỔNG BÍ THƯ", "BÍ THƯ", "PHÓ BÍ THƯ", "CHỦ NHIỆM", "PHÓ CHỦ NHIỆM", "CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
        chuc_vu_khong_ten_co_quan: true,
        dau_ten_co_quan: &["ĐẢNG", "TỈNH", "THÀNH", "HUYỆN", "QUẬN", "THỊ", "CHI", "CẤP", "BAN"],
        cam_danh_xung: true,
    },
};

/// Words that mark a Party body (matched as whole words, either tone-mark spelling).
pub const PARTY_BODY_MARKERS: &[&str] =
    &["ĐẢNG", "TỈNH ỦY", "THÀNH ỦY", "HUYỆN ỦY", "QUẬN ỦY", "THỊ ỦY", "CHI BỘ", "CẤP ỦY", "BAN THƯỜNG VỤ", "ĐẢNG ĐOÀN"];

/// Party collectives, which sign T/M and never K/T, and the bí thư who heads one (HD 05 §7.1).
pub const PARTY_COLLECTIVES: &[&str] = &[
    "ĐẢNG ỦY", "BAN THƯỜNG VỤ", "BAN CHẤP HÀNH", "CHI BỘ", "CHI ỦY", "CẤP ỦY", "TỈNH ỦY", "THÀNH ỦY", "HUYỆN ỦY",
    "QUẬN ỦY", "THỊ ỦY", "ỦY BAN KIỂM TRA", "BỘ CHÍNH TRỊ", "BAN BÍ THƯ", "ĐẠI HỘI", "ĐẢNG ĐOÀN", "BAN CÁN SỰ",
    "HỘI ĐỒNG", "BÍ THƯ",
];

const fn c(text: &'static str) -> Clause {
    Clause { text, read: true }
}
