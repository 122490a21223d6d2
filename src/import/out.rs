//! The plan JSON the import writes, field by field in the order of the document (and of the
//! README's table), so the file reads like the plans people write by hand. Empty fields are left
//! out; a "lines" field with one line is written as a string.

use serde::{Serialize, Serializer};

fn lines<S: Serializer>(v: &[String], s: S) -> Result<S::Ok, S::Error> {
    // A string is split at its line breaks when read; a line break inside one paragraph needs the
    // list form.
    if v.len() == 1 && !v[0].contains('\n') { s.serialize_str(&v[0]) } else { v.serialize(s) }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct PlanOut {
    pub the_thuc: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "lines")]
    pub co_quan_chu_quan: Vec<String>,
    #[serde(serialize_with = "lines")]
    pub co_quan_ban_hanh: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub so: Option<u32>,
    pub ky_hieu: String,
    pub dia_danh: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ngay: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub do_mat: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub do_khan: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pham_vi_luu_hanh: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub du_thao: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ten_loai: Option<String>,
    pub trich_yeu: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub can_cu: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub can_cu_trinh_bay: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "lines")]
    pub mo_dau: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dau_danh_so: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub noi_dung: Vec<NodeOut>,
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "lines")]
    pub ket_thuc: Vec<String>,
    pub noi_nhan: NoiNhanOut,
    pub nguoi_ky: NguoiKyOut,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ky_hieu_soan_thao: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct NodeOut {
    pub kieu: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub so_hieu: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tieu_de: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "lines")]
    pub van_ban: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nhiem_vu: Option<NhiemVuOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trinh_bay_nhiem_vu: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub muc_con: Vec<NodeOut>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct NhiemVuOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chu_tri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phoi_hop: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tham_muu: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thoi_gian: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub san_pham: Option<String>,
}

impl NhiemVuOut {
    pub fn is_empty(&self) -> bool {
        *self == NhiemVuOut::default()
    }
}

#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum NoiNhanMucOut {
    Mot(String),
    Nhom { muc: Vec<String>, ghi_chu: String },
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct NoiNhanOut {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub muc: Vec<NoiNhanMucOut>,
    pub luu: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct QuyenHanOut {
    pub loai: &'static str,
    pub ten: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct NguoiKyOut {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub quyen_han: Vec<QuyenHanOut>,
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "lines")]
    pub chuc_vu: Vec<String>,
    pub ho_ten: String,
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "lines")]
    pub chuc_danh_duoi_ten: Vec<String>,
}
