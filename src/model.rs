//! The plan model: what a `plan.json` may contain.
//!
//! Field names are the Vietnamese terms of the rules, in ASCII snake_case. Every string goes through
//! [`Text`], which NFC-normalises it and rejects characters that a DOCX (XML 1.0) cannot hold, so the
//! rest of the engine only ever sees clean, precomposed text. Unknown fields are errors everywhere
//! (`deny_unknown_fields`): a misspelt key must not vanish silently.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;
use unicode_normalization::{UnicodeNormalization, is_nfc_quick};

/// A clean, NFC-normalised piece of text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Text(String);

impl Text {
    /// Normalise and check a string the way the loader does.
    pub fn new(s: &str) -> Result<Text, String> {
        clean_text(s).map(Text)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

thread_local! {
    /// How many strings the current load had to recompose to NFC (reported to the user as
    /// information: decomposed input prints badly in many programs).
    static RECOMPOSED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Resets the recomposition counter and returns its previous value.
pub fn take_recomposed_count() -> usize {
    RECOMPOSED.with(|c| c.replace(0))
}

/// NFC-normalises `s`, trims it, turns CR LF into LF, and rejects characters XML 1.0 cannot carry.
fn clean_text(s: &str) -> Result<String, String> {
    let s = s.replace("\r\n", "\n");
    let s: String = if is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        s
    } else {
        let n: String = s.nfc().collect();
        if n != s {
            RECOMPOSED.with(|c| c.set(c.get() + 1));
        }
        n
    };
    for (i, ch) in s.chars().enumerate() {
        let ok = matches!(ch, '\t' | '\n' | '\r')
            || ('\u{20}'..='\u{D7FF}').contains(&ch)
            || ('\u{E000}'..='\u{FFFD}').contains(&ch)
            || ch >= '\u{10000}';
        if !ok {
            return Err(format!(
                "có ký tự điều khiển U+{:04X} (ở ký tự thứ {}) mà văn bản Word không chứa được; hãy xoá ký tự đó",
                ch as u32,
                i + 1
            ));
        }
    }
    Ok(s.trim().to_string())
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("chuỗi ký tự")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Text::new(v).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

/// One or several lines (or paragraphs): a JSON string (split at line breaks) or an array of strings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Lines(pub Vec<Text>);

impl Lines {
    pub fn iter(&self) -> impl Iterator<Item = &Text> {
        self.0.iter()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// All lines joined with a space (for one-line uses such as document properties).
    pub fn joined(&self) -> String {
        self.0.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(" ")
    }
}

impl<'de> Deserialize<'de> for Lines {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Lines;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("chuỗi ký tự hoặc danh sách chuỗi")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Lines, E> {
                let mut out = Vec::new();
                for line in v.replace("\r\n", "\n").split('\n') {
                    let t = Text::new(line).map_err(E::custom)?;
                    if !t.is_empty() {
                        out.push(t);
                    }
                }
                Ok(Lines(out))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Lines, A::Error> {
                let mut out = Vec::new();
                while let Some(t) = seq.next_element::<Text>()? {
                    if !t.is_empty() {
                        out.push(t);
                    }
                }
                Ok(Lines(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// The rules a plan is laid out by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Regime {
    /// Nghị định 30/2020/NĐ-CP (state bodies).
    Nd30,
    /// Hướng dẫn 05-HD/VPTW, 2026 (Party bodies, current).
    Hd05,
    /// Hướng dẫn 36-HD/VPTW, 2018 (Party bodies, older plans).
    Hd36,
}

impl Regime {
    pub const ALL: [Regime; 3] = [Regime::Nd30, Regime::Hd05, Regime::Hd36];
    pub fn code(self) -> &'static str {
        match self {
            Regime::Nd30 => "nd30",
            Regime::Hd05 => "hd05",
            Regime::Hd36 => "hd36",
        }
    }
    pub fn from_code(s: &str) -> Option<Regime> {
        Regime::ALL.into_iter().find(|r| r.code() == s)
    }
}

/// A calendar date, or only a year (or year and month) for a draft whose day is not fixed yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Ngay {
    pub nam: i32,
    pub thang: Option<u32>,
    pub ngay: Option<u32>,
}

impl Ngay {
    /// Parses `YYYY-MM-DD`, `YYYY-MM` or `YYYY` and checks that the date exists.
    pub fn parse(s: &str) -> Result<Ngay, String> {
        let bad = || {
            format!("“{s}” không phải ngày hợp lệ; hãy viết theo dạng NĂM-THÁNG-NGÀY, ví dụ 2026-02-05")
        };
        let parts: Vec<&str> = s.trim().split('-').collect();
        let num = |p: &str, len: usize| -> Result<u32, String> {
            if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            p.parse::<u32>().map_err(|_| bad())
        };
        let nam = num(parts[0], 4)? as i32;
        if nam < 1945 {
            return Err(format!("năm {nam} trong “{s}” không hợp lệ"));
        }
        let thang = match parts.get(1) {
            Some(p) => Some(num(p, 2)?),
            None => None,
        };
        let ngay = match parts.get(2) {
            Some(p) => Some(num(p, 2)?),
            None => None,
        };
        if parts.len() > 3 {
            return Err(bad());
        }
        if let Some(m) = thang {
            if !(1..=12).contains(&m) {
                return Err(format!("tháng {m} trong “{s}” không tồn tại"));
            }
            if let Some(d) = ngay {
                let max = days_in_month(nam, m);
                if d == 0 || d > max {
                    return Err(format!(
                        "ngày {s} không tồn tại (tháng {m} năm {nam} chỉ có {max} ngày)"
                    ));
                }
            }
        }
        Ok(Ngay { nam, thang, ngay })
    }

    pub fn is_complete(&self) -> bool {
        self.thang.is_some() && self.ngay.is_some()
    }
}

/// Days in a month of the Gregorian calendar. Written here rather than pulled from a date crate:
/// it is the only calendar arithmetic the engine needs.
pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl<'de> Deserialize<'de> for Ngay {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Ngay;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("ngày dạng chuỗi \"NĂM-THÁNG-NGÀY\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Ngay, E> {
                Ngay::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

/// Urgency stamp (dấu mức độ khẩn).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DoKhan {
    Khan,
    ThuongKhan,
    HoaToc,
}

/// Secrecy stamp (dấu mức độ mật).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DoMat {
    Mat,
    ToiMat,
    TuyetMat,
}

/// How the căn cứ are laid out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CanCuTrinhBay {
    /// One citation per line in the regime's style (ND 30: italic; Party: "- " upright).
    #[default]
    Dong,
    /// As body paragraphs with a first-line indent ("Căn cứ …;" opening paragraphs).
    DoanVan,
}

/// The mark of a body item: how it is numbered or bulleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kieu {
    /// Mục: I., II. (Party: I-, II- where the plan asks for it)
    Muc,
    /// Khoản: 1., 2.
    Khoan,
    /// Sub-khoản: 1.1., 1.2.
    Tiet,
    /// Điểm: a), b), … with the Vietnamese letters
    Diem,
    /// Parenthesised: (1), (2)
    Ngoac,
    /// Dash item: -
    Gach,
    /// Plus item: +
    Cong,
    /// Star item: *
    Sao,
    /// Bullet item: •
    Cham,
    /// Plain paragraph, no mark
    Doan,
}

/// Whether mục and khoản labels end with a full stop (I., 1.) or a hyphen (I-, 1-).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DauDanhSo {
    Cham,
    Gach,
}

/// How the tasks under an item are shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NhiemVuTrinhBay {
    /// As labelled lines under each item ("Chủ trì: …").
    #[default]
    Dong,
    /// As a table STT | Nội dung | Chủ trì | Phối hợp | Thời gian | Sản phẩm.
    Bang,
}

/// A task (nhiệm vụ): who leads it, who helps, when, and what it produces.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NhiemVu {
    #[serde(default)]
    pub chu_tri: Option<Text>,
    #[serde(default)]
    pub phoi_hop: Option<Text>,
    #[serde(default)]
    pub tham_muu: Option<Text>,
    #[serde(default)]
    pub thoi_gian: Option<Text>,
    #[serde(default)]
    pub san_pham: Option<Text>,
}

impl NhiemVu {
    pub fn is_empty(&self) -> bool {
        [&self.chu_tri, &self.phoi_hop, &self.tham_muu, &self.thoi_gian, &self.san_pham]
            .iter()
            .all(|f| f.as_ref().is_none_or(|t| t.is_empty()))
    }
}

/// One node of the body tree: a heading, a numbered or bulleted item, or a plain paragraph.
/// In JSON a node is an object, or just a string (an item whose only content is that text).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Node {
    pub kieu: Option<Kieu>,
    pub so_hieu: Option<Text>,
    pub tieu_de: Option<Text>,
    pub van_ban: Lines,
    pub nhiem_vu: Option<NhiemVu>,
    pub kieu_muc_con: Option<Kieu>,
    pub trinh_bay_nhiem_vu: Option<NhiemVuTrinhBay>,
    pub muc_con: Vec<Node>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NodeFields {
    #[serde(default)]
    kieu: Option<Kieu>,
    #[serde(default)]
    so_hieu: Option<Text>,
    #[serde(default)]
    tieu_de: Option<Text>,
    #[serde(default)]
    van_ban: Lines,
    #[serde(default)]
    nhiem_vu: Option<NhiemVu>,
    #[serde(default)]
    kieu_muc_con: Option<Kieu>,
    #[serde(default)]
    trinh_bay_nhiem_vu: Option<NhiemVuTrinhBay>,
    #[serde(default)]
    muc_con: Vec<Node>,
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("một mục (đối tượng) hoặc một đoạn văn (chuỗi)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
                let t = Text::new(v).map_err(E::custom)?;
                Ok(Node { van_ban: Lines(vec![t]), ..Node::default() })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Node, A::Error> {
                let f = NodeFields::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Node {
                    kieu: f.kieu,
                    so_hieu: f.so_hieu,
                    tieu_de: f.tieu_de,
                    van_ban: f.van_ban,
                    nhiem_vu: f.nhiem_vu,
                    kieu_muc_con: f.kieu_muc_con,
                    trinh_bay_nhiem_vu: f.trinh_bay_nhiem_vu,
                    muc_con: f.muc_con,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// One entry of nơi nhận: a recipient, or a group of recipients sharing a note such as "(báo cáo)".
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum NoiNhanMuc {
    Mot(Text),
    Nhom(NhomNoiNhan),
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NhomNoiNhan {
    /// The recipients of the group, one per line.
    pub muc: Vec<Text>,
    /// The note they share, e.g. "báo cáo" (printed in brackets after the brace).
    pub ghi_chu: Text,
}

impl<'de> Deserialize<'de> for NoiNhanMuc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = NoiNhanMuc;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("tên nơi nhận (chuỗi) hoặc một nhóm {\"muc\": [...], \"ghi_chu\": \"...\"}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<NoiNhanMuc, E> {
                Text::new(v).map(NoiNhanMuc::Mot).map_err(E::custom)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<NoiNhanMuc, A::Error> {
                NhomNoiNhan::deserialize(de::value::MapAccessDeserializer::new(map)).map(NoiNhanMuc::Nhom)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NoiNhan {
    /// The recipients, in order.
    #[serde(default)]
    pub muc: Vec<NoiNhanMuc>,
    /// What follows "Lưu": e.g. "VT, VP" (ND 30 prints "- Lưu: VT, VP."; Party "- Lưu VP.").
    pub luu: Text,
}

/// Signing authority: on behalf of a collective, for the head, by order, by authorisation, acting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuyenHanLoai {
    /// Thay mặt (TM. / T/M)
    Tm,
    /// Ký thay (KT. / K/T)
    Kt,
    /// Thừa lệnh (TL. / T/L)
    Tl,
    /// Thừa uỷ quyền (TUQ.; state only)
    Tuq,
    /// Quyền (Q.)
    Q,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct QuyenHan {
    pub loai: QuyenHanLoai,
    /// The collective or the head's title it applies to, e.g. "ỦY BAN NHÂN DÂN", "CHỦ TỊCH".
    pub ten: Text,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NguoiKy {
    #[serde(default)]
    pub quyen_han: Vec<QuyenHan>,
    /// The signer's title, one or more lines ("PHÓ CHỦ TỊCH").
    #[serde(default)]
    pub chuc_vu: Lines,
    /// Full name, without academic titles.
    pub ho_ten: Text,
    /// An optional title line under the name (e.g. "GIÁM ĐỐC SỞ CÔNG THƯƠNG").
    #[serde(default)]
    pub chuc_danh_duoi_ten: Lines,
}

/// A KẾ HOẠCH.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Editors put the schema address here; the engine ignores it.
    #[serde(rename = "$schema", default, skip_serializing)]
    pub schema: Option<String>,
    pub the_thuc: Regime,
    #[serde(default)]
    pub co_quan_chu_quan: Lines,
    pub co_quan_ban_hanh: Lines,
    #[serde(default)]
    pub so: Option<u32>,
    pub ky_hieu: Text,
    pub dia_danh: Text,
    #[serde(default)]
    pub ngay: Option<Ngay>,
    #[serde(default)]
    pub do_mat: Option<DoMat>,
    #[serde(default)]
    pub do_khan: Option<DoKhan>,
    #[serde(default)]
    pub pham_vi_luu_hanh: Option<Text>,
    #[serde(default)]
    pub du_thao: Option<Text>,
    #[serde(default = "default_ten_loai")]
    pub ten_loai: Text,
    pub trich_yeu: Text,
    #[serde(default)]
    pub can_cu: Vec<Text>,
    #[serde(default)]
    pub can_cu_trinh_bay: CanCuTrinhBay,
    #[serde(default)]
    pub mo_dau: Lines,
    #[serde(default)]
    pub dau_danh_so: Option<DauDanhSo>,
    #[serde(default)]
    pub noi_dung: Vec<Node>,
    #[serde(default)]
    pub ket_thuc: Lines,
    pub noi_nhan: NoiNhan,
    pub nguoi_ky: NguoiKy,
    #[serde(default)]
    pub ky_hieu_soan_thao: Option<Text>,
}

fn default_ten_loai() -> Text {
    Text("KẾ HOẠCH".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_nfc_and_trimmed() {
        let t = Text::new("  Ho\u{0300}a  ").unwrap();
        assert_eq!(t.as_str(), "Hòa");
    }

    #[test]
    fn text_rejects_control_chars() {
        let e = Text::new("ab\u{0001}c").unwrap_err();
        assert!(e.contains("U+0001"), "{e}");
        assert!(Text::new("a\tb\nc").is_ok());
    }

    #[test]
    fn dates_are_checked() {
        assert!(Ngay::parse("2022-02-30").unwrap_err().contains("không tồn tại"));
        assert!(Ngay::parse("2024-02-29").is_ok());
        assert!(Ngay::parse("2023-02-29").is_err());
        assert!(Ngay::parse("2100-02-29").is_err());
        assert!(Ngay::parse("2000-02-29").is_ok());
        assert!(Ngay::parse("2026-13-01").is_err());
        assert!(Ngay::parse("2026-1-01").is_err());
        assert!(Ngay::parse("05/02/2026").is_err());
        let y = Ngay::parse("2026").unwrap();
        assert_eq!((y.nam, y.thang, y.ngay), (2026, None, None));
    }

    #[test]
    fn lines_from_string_or_list() {
        let l: Lines = serde_json::from_str("\"ỦY BAN NHÂN DÂN\\nXÃ AN PHÚ\"").unwrap();
        assert_eq!(l.len(), 2);
        let l: Lines = serde_json::from_str("[\"A\", \"B\", \"\"]").unwrap();
        assert_eq!(l.len(), 2);
    }

    #[test]
    fn node_from_string_or_object() {
        let n: Vec<Node> = serde_json::from_str(r#"["a", {"tieu_de": "b", "muc_con": ["c"]}]"#).unwrap();
        assert_eq!(n[0].van_ban.0[0].as_str(), "a");
        assert_eq!(n[1].muc_con.len(), 1);
        let e = serde_json::from_str::<Vec<Node>>(r#"[{"tieu_dee": "b"}]"#).unwrap_err();
        assert!(e.to_string().contains("tieu_dee"));
    }
}
