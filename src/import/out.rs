//! The plan JSON the import writes, field by field in the order of the document (and of the
//! README's table), so the file reads like the plans people write by hand. Empty fields are left
//! out; a "lines" field with one line is written as a string.

use serde::{Serialize, Serializer};

fn lines<S: Serializer>(v: &[String], s: S) -> Result<S::Ok, S::Error> {
    // A string is split at its line breaks when read; a line break inside one paragraph needs the
    // list form.
    if v.len() == 1 && !v[0].contains('\n') { s.serialize_str(&v[0]) } else { v.serialize(s) }
}

/// The imported plan, field for field as [`crate::Plan`] reads it (see the README's table of fields).
#[derive(Clone, Debug, Default, Serialize)]
pub struct PlanOut {
    /// `nd30`, `hd05` or `hd36`.
    pub the_thuc: &'static str,
    /// The superior body, one line each.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "lines")]
    pub co_quan_chu_quan: Vec<String>,
    /// The issuing body, one line each.
    #[serde(serialize_with = "lines")]
    pub co_quan_ban_hanh: Vec<String>,
    /// The number, when the source has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub so: Option<u32>,
    /// The ký hiệu in the regime's form ("KH-UBND", "KH/ĐU").
    pub ky_hieu: String,
    /// The place before the date.
    pub dia_danh: String,
    /// `YYYY-MM-DD`, or `YYYY` / `YYYY-MM` where the source leaves the day blank.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ngay: Option<String>,
    /// `mat`, `toi_mat`, `tuyet_mat`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub do_mat: Option<&'static str>,
    /// `khan`, `thuong_khan`, `hoa_toc`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub do_khan: Option<&'static str>,
    /// "LƯU HÀNH NỘI BỘ" and the like.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pham_vi_luu_hanh: Option<String>,
    /// "Dự thảo lần 2" and the like.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub du_thao: Option<String>,
    /// Only when it is not "KẾ HOẠCH".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ten_loai: Option<String>,
    /// The trích yếu, without a final full stop.
    pub trich_yeu: String,
    /// The căn cứ, without their end punctuation.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub can_cu: Vec<String>,
    /// `doan_van` when the source set them as body paragraphs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub can_cu_trinh_bay: Option<&'static str>,
    /// The opening paragraphs ("Thực hiện …", "… như sau:").
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "lines")]
    pub mo_dau: Vec<String>,
    /// `cham` (I. 1.) or `gach` (I- 1-), as the source's labels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dau_danh_so: Option<&'static str>,
    /// The body.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub noi_dung: Vec<NodeOut>,
    /// The closing paragraphs, without the final "./." or ".".
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "lines")]
    pub ket_thuc: Vec<String>,
    /// Nơi nhận.
    pub noi_nhan: NoiNhanOut,
    /// The signer.
    pub nguoi_ky: NguoiKyOut,
    /// The typist's mark, "(Lời - KH 01-2022)".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ky_hieu_soan_thao: Option<String>,
    /// Task-line labels renamed for the whole plan ("Chịu trách nhiệm thực hiện" for "Chủ trì").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nhan_nhiem_vu: Option<NhiemVuOut>,
    /// The mark before each task line ("*").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dau_dong: Option<String>,
    /// `false` when the mục titles keep their own case.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_hoa_tieu_de: Option<bool>,
    /// `false` for a Party plan without mirrored margins.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_hai_mat: Option<bool>,
    /// The appendices after the signature.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub phu_luc: Vec<PhuLucOut>,
}

/// One phụ lục (`phu_luc[…]`).
#[derive(Clone, Debug, Default, Serialize)]
pub struct PhuLucOut {
    /// Its number, only when it is not the one the engine computes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub so: Option<String>,
    /// Its title, as typed (the engine prints it in capitals).
    pub tieu_de: String,
    /// Its body.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub noi_dung: Vec<NodeOut>,
    /// `ngang` for landscape pages; portrait is the default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub huong: Option<&'static str>,
}

/// One item of the body (`noi_dung[…]`, `muc_con[…]`).
#[derive(Clone, Debug, Default, Serialize)]
pub struct NodeOut {
    /// The item's kind, always written (`muc`, `khoan`, `tiet`, `diem`, `ngoac`, `gach`, `cong`, `sao`, `cham`, `doan`).
    pub kieu: &'static str,
    /// The source's label where it differs from the one the engine would print.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub so_hieu: Option<String>,
    /// The heading after the label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tieu_de: Option<String>,
    /// The paragraphs.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "lines")]
    pub van_ban: Vec<String>,
    /// The tasks ("Chủ trì: …", or a row of a task table).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nhiem_vu: Option<NhiemVuOut>,
    /// `bang` / `bang_ngang` when the items were a task table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trinh_bay_nhiem_vu: Option<&'static str>,
    /// Task-line labels renamed for this item and its sub-items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nhan_nhiem_vu: Option<NhiemVuOut>,
    /// Whether this mục's title is upper-cased, where it differs from the plan's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_hoa_tieu_de: Option<bool>,
    /// The sub-items.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub muc_con: Vec<NodeOut>,
}

/// The tasks of an item (`nhiem_vu`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct NhiemVuOut {
    /// Chủ trì.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chu_tri: Option<String>,
    /// Phối hợp.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phoi_hop: Option<String>,
    /// Chịu trách nhiệm tham mưu.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tham_muu: Option<String>,
    /// Thời gian thực hiện.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thoi_gian: Option<String>,
    /// Sản phẩm.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub san_pham: Option<String>,
}

impl NhiemVuOut {
    /// No task field is set.
    pub fn is_empty(&self) -> bool {
        *self == NhiemVuOut::default()
    }
}

/// One entry of nơi nhận: a recipient, or a group sharing a note.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum NoiNhanMucOut {
    /// One recipient.
    Mot(String),
    /// Recipients sharing a note such as "báo cáo".
    Nhom {
        /// The recipients.
        muc: Vec<String>,
        /// The note, without brackets.
        ghi_chu: String,
        /// The lưu line is the group's last line, inside its brace.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        gom_dong_luu: bool,
    },
}

/// Nơi nhận and the lưu line.
#[derive(Clone, Debug, Default, Serialize)]
pub struct NoiNhanOut {
    /// The recipients.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub muc: Vec<NoiNhanMucOut>,
    /// What follows "Lưu".
    pub luu: String,
}

/// A signing line ("TM. ỦY BAN NHÂN DÂN"): its kind and the name after it.
#[derive(Clone, Debug, Serialize)]
pub struct QuyenHanOut {
    /// `tm`, `kt`, `tl`, `tuq` or `q`.
    pub loai: &'static str,
    /// The collective or title after the prefix.
    pub ten: String,
}

/// The signature block.
#[derive(Clone, Debug, Default, Serialize)]
pub struct NguoiKyOut {
    /// The signing lines.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub quyen_han: Vec<QuyenHanOut>,
    /// The signer's title lines.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "lines")]
    pub chuc_vu: Vec<String>,
    /// The signer's name.
    pub ho_ten: String,
    /// Title lines under the name.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "lines")]
    pub chuc_danh_duoi_ten: Vec<String>,
}
