//! Nghị định 30/2020/NĐ-CP, Phụ lục I and III (state bodies). Values are the-thuc.md §2–3; where the
//! decree gives a range, the value chosen is the decree's own example or the common practice noted there.

use super::*;
use crate::plan::model::{DauDanhSo, Kieu, Regime};

const BODY: ParaStyle = ParaStyle::BASE
    .size(28)
    .align(Align::Both)
    .first_line(720) // 1.27 cm
    .before(pt(6)) // at least 6 pt between paragraphs
    .line(LineSpacing::Auto(276));
const CENTER: ParaStyle = ParaStyle::BASE.align(Align::Center);
/// ND 30: the lines under the cơ quan ban hành and the trích yếu are 1/3–1/2 of the text line.
const SHORT_RULE: RuleSpec = RuleSpec { length: RuleLength::Fraction(0.4), thickness: 6, gap: 40 };
/// ND 30: the line under the tiêu ngữ is exactly as long as its text.
const TEXT_RULE: RuleSpec = RuleSpec { length: RuleLength::TextWidth, thickness: 6, gap: 40 };
const NOI_NHAN: ParaStyle = ParaStyle::BASE.size(22);

pub const STYLES: &[(&str, ParaStyle)] = &[
    ("normal", ParaStyle::BASE.size(28)),
    ("quoc_hieu", CENTER.size(26).bold()),
    ("tieu_ngu", CENTER.size(28).bold().rule_below(TEXT_RULE)),
    ("co_quan_chu_quan", CENTER.size(26).caps()),
    ("co_quan_ban_hanh", CENTER.size(26).bold().caps().rule_below(SHORT_RULE)),
    ("duoi_co_quan", CENTER.size(26)),
    ("so_ky_hieu", CENTER.size(26).before(pt(6))),
    ("dia_danh_ngay", CENTER.size(28).italic().before(pt(6))),
    ("du_thao", CENTER.size(26).italic().before(pt(3))),
    ("dau_khan", CENTER.size(26).bold().caps().boxed().before(pt(6))),
    ("dau_mat", CENTER.size(26).bold().caps().boxed().before(pt(6))),
    ("pham_vi_luu_hanh", ParaStyle::BASE.size(26).bold().caps().boxed().after(pt(6)).align(Align::Right)),
    ("ten_loai", CENTER.size(28).bold().caps().before(pt(18)).keep_next()),
    ("trich_yeu", CENTER.size(28).bold().keep_next().rule_below(SHORT_RULE)),
    ("duoi_trich_yeu", CENTER.size(28)),
    ("can_cu", BODY.italic()),
    ("body", BODY),
    ("muc", BODY.bold().caps().keep_next()),
    ("khoan", BODY.bold().keep_next()),
    ("tiet", BODY.bold().italic().keep_next()),
    ("diem", BODY.italic().keep_next()),
    ("bang_tieu_de", CENTER.size(26).bold().before(40).after(40)),
    ("bang", ParaStyle::BASE.size(26).before(40).after(40)),
    ("noi_nhan_nhan", ParaStyle::BASE.size(24).bold().italic()),
    ("noi_nhan", NOI_NHAN),
    ("ky_hieu_soan_thao", NOI_NHAN.before(pt(6))),
    ("quyen_han", CENTER.size(28).bold().caps()),
    ("chuc_vu", CENTER.size(28).bold().caps()),
    // About 3 cm left empty for the signature and the seal (the-thuc.md §8).
    ("ho_ten", CENTER.size(28).bold().before(1680)),
    ("chuc_danh_duoi_ten", CENTER.size(28).bold().caps()),
    ("so_trang", CENTER.size(28)),
    // Phụ lục I §III.1 (the-thuc.md §3.1): "Phụ lục I" 14 pt bold, the title in capitals, bold, the
    // reference line italic; all centred, a short line under the reference line (Mẫu 2.1).
    ("phu_luc_so", CENTER.size(28).bold().keep_next()),
    ("phu_luc_tieu_de", CENTER.size(28).bold().caps().keep_next()),
    ("phu_luc_kem_theo", CENTER.size(28).italic().keep_next().rule_below(SHORT_RULE)),
];

pub const TABLES: &[(&str, TableLayout)] = &[
    // Phụ lục III, Mẫu 1.4: left 6.75 cm, right 10.0 cm, indent −0.35 cm.
    ("dau", TableLayout { widen_first_to: Some(DAU_LEFT_MAX), ..TableLayout::new(&[Width::Twips(3829), Width::Twips(5670)], -199) }),
    // Space above the nơi nhận / signature block.
    ("chu_ky", TableLayout { before: pt(12), ..TableLayout::new(&[Width::Twips(4253), Width::Twips(5101)], 0) }),
    ("nhom_noi_nhan", NHOM_NOI_NHAN),
    ("nhiem_vu", NHIEM_VU),
];

pub const ND30: Profile = Profile {
    regime: Regime::Nd30,
    code: "nd30",
    family: Family::State,
    ten: "Nghị định số 30/2020/NĐ-CP",
    starter: include_str!("../plan/starter/nd30.json"),
    // Margins 20/20/30/15 mm: the most common choice inside the decree's ranges.
    page: A4,
    page_number_style: "so_trang",
    styles: &[STYLES],
    tables: TABLES,
    quoc_hieu: &[
        StyledLine { text: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", style: "quoc_hieu" },
        StyledLine { text: "Độc lập - Tự do - Hạnh phúc", style: "tieu_ngu" },
    ],
    duoi_co_quan: None,
    duoi_trich_yeu: None,
    so: SoFormat { prefix: "Số: ", sep: "/", blank: "      ", ky_hieu_sep: "-" },
    can_cu: ListPunct { prefix: "", sep: ";", last: "." },
    can_cu_style: "can_cu",
    numbering: Numbering {
        by_depth: &[Kieu::Muc, Kieu::Khoan, Kieu::Diem, Kieu::Gach, Kieu::Cong],
        dau: DauDanhSo::Cham,
    },
    ket_thuc: "./.",
    noi_nhan: NoiNhanFormat {
        label: "Nơi nhận:",
        items: ListPunct { prefix: "- ", sep: ";", last: ";" },
        luu_prefix: "Lưu: ",
    },
    quyen_han: QuyenHanFormat { tm: "TM.", kt: "KT.", tl: "TL.", tuq: Some("TUQ."), q: "Q." },
    stamps: Stamps {
        khan: "KHẨN",
        thuong_khan: "THƯỢNG KHẨN",
        hoa_toc: "HỎA TỐC",
        mat: "MẬT",
        toi_mat: "TỐI MẬT",
        tuyet_mat: "TUYỆT MẬT",
    },
    phu_luc: PhuLucFormat { nhan: "Phụ lục", so: PhuLucSo::LaMa, danh_so_tu: 2, kem_theo: "Kèm theo" },
    checks: CheckData {
        ho: "văn bản của cơ quan nhà nước (NĐ 30)",
        vi_du_ky_hieu: "KH-UBND",
        clauses: Clauses {
            thanh_phan: c("NĐ 30/2020, Phụ lục I, Phần I, mục II (các thành phần thể thức)"),
            dau: c("NĐ 30/2020, Phụ lục I, Phần I, mục II.1–II.2 (quốc hiệu, tiêu ngữ; tên cơ quan ban hành)"),
            so_ky_hieu: c("NĐ 30/2020, Phụ lục I, Phần I, mục II.3 (số, ký hiệu)"),
            ten_viet_tat: c("NĐ 30/2020, Phụ lục III, mục I (Kế hoạch viết tắt KH)"),
            ngay: c("NĐ 30/2020, Phụ lục I, Phần I, mục II.4 (địa danh và thời gian)"),
            trich_yeu: c("NĐ 30/2020, Phụ lục I, Phần I, mục II.5 (tên loại và trích yếu)"),
            can_cu: c("NĐ 30/2020, Phụ lục I, Phần I, mục II.6 (căn cứ ban hành)"),
            bo_cuc: c("NĐ 30/2020, Phụ lục I, Phần I, mục II.6 (bố cục phần, mục, khoản, điểm)"),
            ket_thuc: c("NĐ 30/2020, Phụ lục III, Mẫu 1.4 (nội dung kết thúc bằng ./.)"),
            quyen_han: c("NĐ 30/2020, Điều 13 và Phụ lục I, Phần I, mục II.7.b (quyền hạn người ký)"),
            chuc_vu: c("NĐ 30/2020, Phụ lục I, Phần I, mục II.7.b (chức vụ người ký)"),
            ho_ten: c("NĐ 30/2020, Phụ lục I, Phần I, mục II.7 (họ tên người ký)"),
            noi_nhan: c("NĐ 30/2020, Phụ lục I, Phần I, mục II.9.b (nơi nhận)"),
            phong_chu: c("NĐ 30/2020, Phụ lục I, Phần I, mục I (phông chữ Unicode theo TCVN 6909:2001)"),
            hieu_luc: c("Nghị định 30/2020/NĐ-CP"),
            phu_luc: c("NĐ 30/2020, Phụ lục I, Phần I, mục III.1 (phụ lục: số La Mã, tên, dòng “Kèm theo”, đánh số trang riêng)"),
        },
        tu_ngay: None,
        den_ngay: None,
        dau_hieu_co_quan: &[
            "ỦY BAN NHÂN DÂN", "UBND", "HỘI ĐỒNG NHÂN DÂN", "HĐND", "SỞ", "BỘ", "CỤC", "TỔNG CỤC", "CHI CỤC",
            "PHÒNG", "TRƯỜNG", "BỆNH VIỆN", "CÔNG AN", "BAN QUẢN LÝ",
        ],
        luu_bat_dau: Some("VT"),
        luu_cam: &[],
        khong_ky_thay: &[],
        chuc_vu_thay_mat: None,
        chuc_vu_khong_ten_co_quan: false,
        dau_ten_co_quan: &[],
        cam_danh_xung: false,
    },
};

const fn c(text: &'static str) -> Clause {
    Clause { text, read: true }
}
