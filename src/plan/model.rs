//! The plan model: what a `plan.json` may contain.
//!
//! Field names are the Vietnamese terms of the rules, in ASCII snake_case. Every string goes through
//! [`Text`], which NFC-normalises it and rejects characters that a DOCX (XML 1.0) cannot hold, so the
//! rest of the engine only ever sees clean, precomposed text. Unknown fields are errors everywhere
//! (`deny_unknown_fields`): a misspelt key must not vanish silently.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use schemars::JsonSchema;
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
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Whether it is empty.
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
    /// How many strings had invisible characters removed (see [`is_invisible`]).
    static STRIPPED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// How deep the body node being read is nested (see [`MAX_NESTING`]).
    static NODE_DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// What the plan being read has used of [`MAX_ITEMS`] and [`MAX_TEXT_CHARS`], while a
    /// [`Budget`] is open.
    static BUDGET: std::cell::Cell<Option<(usize, usize)>> = const { std::cell::Cell::new(None) };
}

/// The most strings and body items one plan may hold. A real KẾ HOẠCH has a few dozen to a few
/// hundred (the samples: 60 to 140; the longest real plans, a few dozen pages, a few thousand);
/// a plan of this size is laid out in about half a second and 120 MB.
pub const MAX_ITEMS: usize = 20_000;

/// The most characters of text in all the strings of one plan together: about 400 pages. The
/// samples hold 6,000 to 11,000 characters for four or five pages.
pub const MAX_TEXT_CHARS: usize = 1_000_000;

/// Counts the strings, body items and characters of the plan being read on this thread, so that a
/// plan far beyond any real one is refused while it is read, before it takes time and memory. Only
/// strings read while a budget is open count.
pub struct Budget {
    outer: Option<(usize, usize)>,
}

impl Budget {
    /// Starts counting, on this thread, until the budget is dropped.
    pub fn open() -> Budget {
        Budget { outer: BUDGET.with(|b| b.replace(Some((0, 0)))) }
    }
}

impl Drop for Budget {
    fn drop(&mut self) {
        BUDGET.with(|b| b.set(self.outer));
    }
}

/// Vietnamese thousands: 20000 → "20.000".
pub fn so(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// Counts one string or body item of `chars` characters against the open budget.
fn spend(chars: usize) -> Result<(), String> {
    BUDGET.with(|b| {
        let Some((items, text)) = b.get() else { return Ok(()) };
        let (items, text) = (items + 1, text + chars);
        b.set(Some((items, text)));
        if items > MAX_ITEMS {
            return Err(format!(
                "kế hoạch có hơn {} mục và chuỗi (tối đa {}; kế hoạch thật dài nhất chỉ có vài nghìn); hãy tách thành nhiều kế hoạch",
                so(MAX_ITEMS),
                so(MAX_ITEMS)
            ));
        }
        if text > MAX_TEXT_CHARS {
            return Err(format!(
                "kế hoạch có hơn {} ký tự chữ (tối đa {}, khoảng 400 trang); hãy tách thành nhiều kế hoạch",
                so(MAX_TEXT_CHARS),
                so(MAX_TEXT_CHARS)
            ));
        }
        Ok(())
    })
}

/// Resets the recomposition counter and returns its previous value.
pub fn take_recomposed_count() -> usize {
    RECOMPOSED.with(|c| c.replace(0))
}

/// Resets the counter of strings that had invisible characters removed and returns its value.
pub fn take_stripped_count() -> usize {
    STRIPPED.with(|c| c.replace(0))
}

/// The deepest nesting of body items (`noi_dung[0].muc_con[0]…`): a real plan goes 5 or 6 levels
/// deep; far deeper input is a mistake (or an attack on the reader) and is refused with a message.
pub const MAX_NESTING: usize = 20;

/// Invisible formatting characters that text pasted from web pages, PDFs or right-to-left documents
/// carries: zero-width spaces and joiners, the word joiner, a stray byte-order mark, and the
/// bidirectional marks, embeddings, overrides and isolates. They have no use in Vietnamese text, do
/// not print, and make equal-looking strings differ (a ký hiệu, a name), so the loader removes them
/// and the checker reports where it did (information, not an error).
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}')
}

/// NFC-normalises `s`, trims it, turns CR LF into LF, removes invisible formatting characters
/// ([`is_invisible`]), and rejects characters XML 1.0 cannot carry.
fn clean_text(s: &str) -> Result<String, String> {
    spend(s.chars().count())?;
    let mut s = s.replace("\r\n", "\n");
    if s.chars().any(is_invisible) {
        s.retain(|c| !is_invisible(c));
        STRIPPED.with(|c| c.set(c.get() + 1));
    }
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
    /// The lines, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Text> {
        self.0.iter()
    }
    /// Whether there is no line.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// How many lines there are.
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

pub use crate::regime::Regime;

/// A calendar date, or only a year (or year and month) for a draft whose day is not fixed yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Ngay {
    /// The year.
    pub nam: i32,
    /// The month (1–12), if given.
    pub thang: Option<u32>,
    /// The day of the month, if given.
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

    /// Whether the day and the month are both given.
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(description = "Dấu mức độ khẩn.")]
pub enum DoKhan {
    /// KHẨN.
    #[schemars(description = "KHẨN")]
    Khan,
    /// THƯỢNG KHẨN.
    #[schemars(description = "THƯỢNG KHẨN")]
    ThuongKhan,
    /// HỎA TỐC (HOẢ TỐC in Party documents).
    #[schemars(description = "HỎA TỐC (văn bản Đảng: HOẢ TỐC)")]
    HoaToc,
}

/// Secrecy stamp (dấu mức độ mật).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(description = "Dấu mức độ mật.")]
pub enum DoMat {
    /// MẬT.
    #[schemars(description = "MẬT")]
    Mat,
    /// TỐI MẬT.
    #[schemars(description = "TỐI MẬT")]
    ToiMat,
    /// TUYỆT MẬT.
    #[schemars(description = "TUYỆT MẬT")]
    TuyetMat,
}

/// How the căn cứ are laid out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(description = "Cách trình bày các căn cứ.")]
pub enum CanCuTrinhBay {
    /// One citation per line in the regime's style (ND 30: italic; Party: "- " upright).
    #[default]
    #[schemars(description = "Mỗi căn cứ một dòng theo thể thức (NĐ 30: chữ nghiêng; Đảng: gạch đầu dòng, chữ đứng). Mặc định.")]
    Dong,
    /// As body paragraphs with a first-line indent ("Căn cứ …;" opening paragraphs).
    #[schemars(description = "Thành các đoạn văn đầu phần nội dung, thụt đầu dòng như đoạn văn thường.")]
    DoanVan,
}

/// The mark of a body item: how it is numbered or bulleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(description = "Kiểu đánh số hoặc đánh dấu của một mục.")]
pub enum Kieu {
    /// Mục: I., II. (Party: I-, II- where the plan asks for it)
    #[schemars(description = "Mục, số La Mã: I., II. (hoặc I-, II-).")]
    Muc,
    /// Khoản: 1., 2.
    #[schemars(description = "Khoản, số Ả Rập: 1., 2.")]
    Khoan,
    /// Sub-khoản: 1.1., 1.2.
    #[schemars(description = "Tiểu mục: 1.1., 1.2.")]
    Tiet,
    /// Điểm: a), b), … with the Vietnamese letters
    #[schemars(description = "Điểm: a), b), c), d), đ), e)…")]
    Diem,
    /// Parenthesised: (1), (2)
    #[schemars(description = "Số trong ngoặc: (1), (2).")]
    Ngoac,
    /// Dash item: -
    #[schemars(description = "Gạch đầu dòng: -")]
    Gach,
    /// Plus item: +
    #[schemars(description = "Dấu cộng: +")]
    Cong,
    /// Star item: *
    #[schemars(description = "Dấu sao: *")]
    Sao,
    /// Bullet item: •
    #[schemars(description = "Dấu chấm tròn: •")]
    Cham,
    /// Plain paragraph, no mark
    #[schemars(description = "Đoạn văn thường, không đánh số.")]
    Doan,
}

/// Whether mục and khoản labels end with a full stop (I., 1.) or a hyphen (I-, 1-).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(description = "Dấu sau số thứ tự của mục và khoản.")]
pub enum DauDanhSo {
    /// A full stop: I., 1.
    #[schemars(description = "Dấu chấm: I., 1.")]
    Cham,
    /// A hyphen: I-, 1-.
    #[schemars(description = "Dấu gạch ngang: I-, 1- (thường dùng trong văn bản Đảng).")]
    Gach,
}

/// How the tasks under an item are shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(description = "Cách trình bày nhiệm vụ của các mục con.")]
pub enum NhiemVuTrinhBay {
    /// As labelled lines under each item ("Chủ trì: …").
    #[default]
    #[schemars(description = "Thành các dòng dưới mỗi mục (“Chủ trì: …”). Mặc định.")]
    Dong,
    /// As a table STT | Nội dung | Chủ trì | Phối hợp | Thời gian | Sản phẩm.
    #[schemars(description = "Thành bảng: STT, Nội dung, Chủ trì, Phối hợp, Thời gian, Sản phẩm.")]
    Bang,
    /// The same table on landscape pages, for a wide one.
    #[schemars(description = "Thành bảng như trên, in trên trang khổ ngang (cho bảng nhiều chữ).")]
    BangNgang,
}

impl NhiemVuTrinhBay {
    /// Whether the tasks are shown as a table.
    pub fn is_table(self) -> bool {
        matches!(self, NhiemVuTrinhBay::Bang | NhiemVuTrinhBay::BangNgang)
    }
}

/// A task (nhiệm vụ): who leads it, who helps, when, and what it produces.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Nhiệm vụ: ai chủ trì, ai phối hợp, ai tham mưu, thời gian và sản phẩm.")]
pub struct NhiemVu {
    /// Who leads it.
    #[serde(default)]
    #[schemars(description = "Cơ quan, đơn vị chủ trì.")]
    pub chu_tri: Option<Text>,
    /// Who helps.
    #[serde(default)]
    #[schemars(description = "Cơ quan, đơn vị phối hợp.")]
    pub phoi_hop: Option<Text>,
    /// Who advises (chịu trách nhiệm tham mưu).
    #[serde(default)]
    #[schemars(description = "Cơ quan, đơn vị chịu trách nhiệm tham mưu.")]
    pub tham_muu: Option<Text>,
    /// When.
    #[serde(default)]
    #[schemars(description = "Thời gian thực hiện, ví dụ “Quý II năm 2026”.")]
    pub thoi_gian: Option<Text>,
    /// What it produces.
    #[serde(default)]
    #[schemars(description = "Sản phẩm, kết quả phải có.")]
    pub san_pham: Option<Text>,
}

impl NhiemVu {
    /// Whether no field is filled.
    pub fn is_empty(&self) -> bool {
        [&self.chu_tri, &self.phoi_hop, &self.tham_muu, &self.thoi_gian, &self.san_pham]
            .iter()
            .all(|f| f.as_ref().is_none_or(|t| t.is_empty()))
    }
}

/// The labels of the task lines, renamed by a plan or an item ("Cơ quan chủ trì" for "Chủ trì").
/// Unset labels keep the default; the task fields stay structured, so a table still has its columns.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Tên các dòng nhiệm vụ, khi kế hoạch viết khác tên mặc định, ví dụ {\"chu_tri\": \"Cơ quan chủ trì\", \"thoi_gian\": \"Thời hạn hoàn thành\"}. Không gõ dấu hai chấm. Tên nào bỏ trống giữ tên mặc định.")]
pub struct NhanNhiemVu {
    /// Instead of "Chủ trì".
    #[serde(default)]
    #[schemars(description = "Thay cho “Chủ trì”, ví dụ “Cơ quan chủ trì”, “Chịu trách nhiệm thực hiện”.")]
    pub chu_tri: Option<Text>,
    /// Instead of "Phối hợp".
    #[serde(default)]
    #[schemars(description = "Thay cho “Phối hợp”, ví dụ “Đơn vị phối hợp”.")]
    pub phoi_hop: Option<Text>,
    /// Instead of "Chịu trách nhiệm tham mưu".
    #[serde(default)]
    #[schemars(description = "Thay cho “Chịu trách nhiệm tham mưu”.")]
    pub tham_muu: Option<Text>,
    /// Instead of "Thời gian thực hiện".
    #[serde(default)]
    #[schemars(description = "Thay cho “Thời gian thực hiện”, ví dụ “Thời hạn hoàn thành”.")]
    pub thoi_gian: Option<Text>,
    /// Instead of "Sản phẩm".
    #[serde(default)]
    #[schemars(description = "Thay cho “Sản phẩm”, ví dụ “Kết quả”.")]
    pub san_pham: Option<Text>,
}

impl NhanNhiemVu {
    /// These labels, with `outer`'s where these leave one unset.
    pub fn over(&self, outer: &NhanNhiemVu) -> NhanNhiemVu {
        let pick = |a: &Option<Text>, b: &Option<Text>| a.clone().filter(|t| !t.is_empty()).or_else(|| b.clone());
        NhanNhiemVu {
            chu_tri: pick(&self.chu_tri, &outer.chu_tri),
            phoi_hop: pick(&self.phoi_hop, &outer.phoi_hop),
            tham_muu: pick(&self.tham_muu, &outer.tham_muu),
            thoi_gian: pick(&self.thoi_gian, &outer.thoi_gian),
            san_pham: pick(&self.san_pham, &outer.san_pham),
        }
    }
}

/// One node of the body tree: a heading, a numbered or bulleted item, or a plain paragraph.
/// In JSON a node is an object, or just a string (an item whose only content is that text).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Node {
    /// How it is numbered; unset, it follows its depth or its parent's `kieu_muc_con`.
    pub kieu: Option<Kieu>,
    /// A label written by hand instead of the computed one.
    pub so_hieu: Option<Text>,
    /// Its title, on the line of its number.
    pub tieu_de: Option<Text>,
    /// Its paragraphs; the first follows the number when there is no title.
    pub van_ban: Lines,
    /// Its task: lead, helpers, time, product.
    pub nhiem_vu: Option<NhiemVu>,
    /// The default kind of its children.
    pub kieu_muc_con: Option<Kieu>,
    /// How its children's tasks are shown: lines, or a table.
    pub trinh_bay_nhiem_vu: Option<NhiemVuTrinhBay>,
    /// Its children.
    pub muc_con: Vec<Node>,
    /// The labels of the task lines in this item and below it.
    pub nhan_nhiem_vu: Option<NhanNhiemVu>,
    /// The mark before each task line in this item and below it ("*"); unset, the plan's.
    pub dau_dong: Option<Text>,
    /// Whether its title (a mục's) is upper-cased; unset, the plan's choice.
    pub in_hoa_tieu_de: Option<bool>,
    /// Written in the JSON as a plain string (so its text's path is the node's own path).
    #[serde(skip)]
    pub chuoi: bool,
}

/// The object form of a [`Node`] (its JSON Schema is published as `MucDayDu`).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "MucDayDu", description = "Một mục viết đầy đủ: tiêu đề, đoạn văn, nhiệm vụ và các mục con.")]
pub(crate) struct NodeFields {
    #[serde(default)]
    #[schemars(description = "Kiểu đánh số của mục này; bỏ trống thì theo cấp (mục I., khoản 1., điểm a), gạch đầu dòng…) hoặc theo kieu_muc_con của mục cha.")]
    kieu: Option<Kieu>,
    #[serde(default)]
    #[schemars(description = "Số hiệu tự ghi thay cho số tự động, ví dụ “2.” hoặc “4.1-”. Chỉ dùng khi văn bản gốc đánh số khác quy tắc.")]
    so_hieu: Option<Text>,
    #[serde(default)]
    #[schemars(description = "Tiêu đề của mục (mục I. in hoa, khoản có tiêu đề in đậm). Có thể dùng *nghiêng* và **đậm**.")]
    tieu_de: Option<Text>,
    #[serde(default)]
    #[schemars(description = "Nội dung: một chuỗi (xuống dòng bằng \\n tạo đoạn mới) hoặc danh sách đoạn văn. Có thể dùng *nghiêng* và **đậm**.")]
    van_ban: Lines,
    #[serde(default)]
    #[schemars(description = "Nhiệm vụ gắn với mục này (chủ trì, phối hợp, thời gian, sản phẩm).")]
    nhiem_vu: Option<NhiemVu>,
    #[serde(default)]
    #[schemars(description = "Kiểu đánh số mặc định cho các mục con trực tiếp.")]
    kieu_muc_con: Option<Kieu>,
    #[serde(default)]
    #[schemars(description = "Trình bày nhiệm vụ của các mục con thành dòng (mặc định) hoặc thành bảng.")]
    trinh_bay_nhiem_vu: Option<NhiemVuTrinhBay>,
    #[serde(default)]
    #[schemars(description = "Các mục con (tối đa 20 cấp lồng nhau).")]
    muc_con: Vec<Node>,
    #[serde(default)]
    #[schemars(description = "Tên các dòng nhiệm vụ trong mục này và các mục con, khi khác tên của cả kế hoạch (xem nhan_nhiem_vu của kế hoạch).")]
    nhan_nhiem_vu: Option<NhanNhiemVu>,
    #[serde(default)]
    #[schemars(description = "Dấu in trước mỗi dòng nhiệm vụ trong mục này và các mục con, ví dụ “*” hoặc “-”; chuỗi rỗng: không có dấu.")]
    dau_dong: Option<Text>,
    #[serde(default)]
    #[schemars(description = "false: giữ nguyên chữ hoa, chữ thường của tiêu đề mục này như đã gõ (mặc định tiêu đề mục I., II. in hoa toàn bộ).")]
    in_hoa_tieu_de: Option<bool>,
}

/// Counts one level of body nesting for as long as it lives.
struct DepthGuard;

impl DepthGuard {
    fn enter() -> (DepthGuard, usize) {
        let depth = NODE_DEPTH.with(|c| {
            c.set(c.get() + 1);
            c.get()
        });
        (DepthGuard, depth)
    }
}

impl Drop for DepthGuard {
    fn drop(&mut self) {
        NODE_DEPTH.with(|c| c.set(c.get().saturating_sub(1)));
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (_guard, depth) = DepthGuard::enter();
        if depth > MAX_NESTING {
            return Err(de::Error::custom(format!(
                "các mục lồng nhau quá sâu: mục này ở cấp thứ {depth}, tối đa {MAX_NESTING} cấp (muc_con trong muc_con…); hãy tách bớt cấp hoặc gộp các mục"
            )));
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("một mục (đối tượng) hoặc một đoạn văn (chuỗi)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
                let t = Text::new(v).map_err(E::custom)?;
                // An empty string is an item with no text (reported by the checks), not a paragraph.
                let van_ban = if t.is_empty() { Lines(vec![]) } else { Lines(vec![t]) };
                Ok(Node { van_ban, chuoi: true, ..Node::default() })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Node, A::Error> {
                spend(0).map_err(de::Error::custom)?;
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
                    nhan_nhiem_vu: f.nhan_nhiem_vu,
                    dau_dong: f.dau_dong,
                    in_hoa_tieu_de: f.in_hoa_tieu_de,
                    chuoi: false,
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
    /// One recipient.
    Mot(Text),
    /// Recipients sharing a note.
    Nhom(NhomNoiNhan),
}

/// A group of recipients sharing a note ("(báo cáo)").
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Một nhóm nơi nhận chung một ghi chú, ví dụ nhóm “UBND tỉnh; Sở Nội vụ” để “báo cáo”.")]
pub struct NhomNoiNhan {
    /// The recipients of the group, one per line.
    #[schemars(description = "Các nơi nhận trong nhóm, mỗi nơi một dòng.")]
    pub muc: Vec<Text>,
    /// The note they share, e.g. "báo cáo" (printed in brackets after the brace).
    #[schemars(description = "Ghi chú chung, ví dụ “báo cáo” (in trong ngoặc sau dấu ngoặc nhọn; chương trình không thêm dấu câu sau ghi chú, dấu gõ sau ngoặc được giữ, ví dụ “(báo cáo);”).")]
    pub ghi_chu: Text,
    /// The lưu line is the last line of this group, inside its brace (only for the last entry).
    #[serde(default)]
    #[schemars(description = "true: dòng lưu (noi_nhan.luu) in ở cuối nhóm này, trong dấu ngoặc nhọn, như một số kế hoạch thật trình bày; chỉ dùng cho nhóm cuối cùng của danh sách.")]
    pub gom_dong_luu: bool,
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

/// The recipients (nơi nhận) and the filing line.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Nơi nhận: danh sách nơi nhận và dòng lưu.")]
pub struct NoiNhan {
    /// The recipients, in order.
    #[serde(default)]
    #[schemars(description = "Các nơi nhận theo thứ tự; không gõ gạch đầu dòng và dấu câu cuối dòng (chương trình tự thêm).")]
    pub muc: Vec<NoiNhanMuc>,
    /// What follows "Lưu": e.g. "VT, VP" (ND 30 prints "- Lưu: VT, VP."; Party "- Lưu VP.").
    #[schemars(description = "Phần sau chữ “Lưu”, không gõ chữ “Lưu”: NĐ 30 ghi “VT, VP” (in ra “- Lưu: VT, VP.”); văn bản Đảng ghi nơi lưu, ví dụ “Văn phòng Đảng uỷ” (in ra “- Lưu Văn phòng Đảng uỷ.”).")]
    pub luu: Text,
}

/// Signing authority: on behalf of a collective, for the head, by order, by authorisation, acting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(description = "Loại quyền hạn ký; chương trình in đúng cách viết của thể thức (TM. hoặc T/M…).")]
pub enum QuyenHanLoai {
    /// Thay mặt (TM. / T/M)
    #[schemars(description = "Thay mặt tập thể: TM. (NĐ 30) / T/M (Đảng).")]
    Tm,
    /// Ký thay (KT. / K/T)
    #[schemars(description = "Ký thay người đứng đầu: KT. (NĐ 30) / K/T (Đảng); người ký là cấp phó.")]
    Kt,
    /// Thừa lệnh (TL. / T/L)
    #[schemars(description = "Thừa lệnh: TL. (NĐ 30) / T/L (Đảng).")]
    Tl,
    /// Thừa uỷ quyền (TUQ.; state only)
    #[schemars(description = "Thừa ủy quyền: TUQ. (chỉ văn bản nhà nước).")]
    Tuq,
    /// Quyền (Q.)
    #[schemars(description = "Quyền (cấp phó được giao quyền người đứng đầu): Q.")]
    Q,
}

impl QuyenHanLoai {
    /// The value as the plan writes it: "tm", "kt", "tl", "tuq", "q".
    pub fn code(self) -> &'static str {
        match self {
            QuyenHanLoai::Tm => "tm",
            QuyenHanLoai::Kt => "kt",
            QuyenHanLoai::Tl => "tl",
            QuyenHanLoai::Tuq => "tuq",
            QuyenHanLoai::Q => "q",
        }
    }
}

/// One signing line: a form and what it applies to.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Một dòng quyền hạn ký, ví dụ {\"loai\": \"tm\", \"ten\": \"ỦY BAN NHÂN DÂN\"}.")]
pub struct QuyenHan {
    /// The signing form.
    #[schemars(description = "Loại quyền hạn: tm, kt, tl, tuq hoặc q.")]
    pub loai: QuyenHanLoai,
    /// The collective or the head's title it applies to, e.g. "ỦY BAN NHÂN DÂN", "CHỦ TỊCH".
    #[schemars(description = "Tên tập thể hoặc chức vụ người đứng đầu sau chữ viết tắt, ví dụ “ỦY BAN NHÂN DÂN”, “CHỦ TỊCH”; không gõ “TM.”, “KT.”…")]
    pub ten: Text,
}

/// The signer (người ký): signing lines, title, name.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Người ký: quyền hạn, chức vụ và họ tên.")]
pub struct NguoiKy {
    /// The signing lines, in order (TM. ỦY BAN NHÂN DÂN, then KT. CHỦ TỊCH).
    #[serde(default)]
    #[schemars(description = "Các dòng quyền hạn theo thứ tự, ví dụ TM. ỦY BAN NHÂN DÂN rồi KT. CHỦ TỊCH; bỏ trống khi người đứng đầu ký trực tiếp.")]
    pub quyen_han: Vec<QuyenHan>,
    /// The signer's title, one or more lines ("PHÓ CHỦ TỊCH").
    #[serde(default)]
    #[schemars(description = "Chức vụ của người ký, một hay nhiều dòng, ví dụ “PHÓ CHỦ TỊCH”; văn bản Đảng không ghi tên cơ quan sau chức vụ.")]
    pub chuc_vu: Lines,
    /// Full name, without academic titles.
    #[schemars(description = "Họ và tên người ký, không ghi học hàm, học vị, cấp bậc hay danh xưng (TS., ThS., Đồng chí…).")]
    pub ho_ten: Text,
    /// An optional title line under the name (e.g. "GIÁM ĐỐC SỞ CÔNG THƯƠNG").
    #[serde(default)]
    #[schemars(description = "Dòng chức danh in dưới họ tên (nếu có), ví dụ “GIÁM ĐỐC SỞ CÔNG THƯƠNG”.")]
    pub chuc_danh_duoi_ten: Lines,
}

/// The page orientation of a phụ lục.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(description = "Hướng trang của phụ lục.")]
pub enum Huong {
    /// Portrait.
    #[default]
    #[schemars(description = "Trang dọc (mặc định).")]
    Doc,
    /// Landscape (a wide table).
    #[schemars(description = "Trang ngang, cho bảng nhiều cột.")]
    Ngang,
}

/// A phụ lục: numbered on its own pages, after the signature.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Một phụ lục kèm theo kế hoạch: bắt đầu ở trang mới, có dòng “Phụ lục …”, tên phụ lục, dòng “(Kèm theo Kế hoạch số … ngày … của …)” và số trang đánh lại từ 1.")]
pub struct PhuLuc {
    /// Its number as printed ("I", "II"; "1", "2" for Party plans); unset, computed.
    #[serde(default)]
    #[schemars(description = "Số thứ tự của phụ lục như in ra: NĐ 30 dùng số La Mã (I, II), văn bản Đảng dùng số Ả Rập (1, 2). Bỏ trống thì chương trình tự đánh số (chỉ đánh số khi có từ hai phụ lục).")]
    pub so: Option<Text>,
    /// Its title.
    #[schemars(description = "Tên phụ lục, ví dụ “Danh mục nhiệm vụ cải cách hành chính năm 2026” (chương trình in hoa).")]
    pub tieu_de: Text,
    /// Its body: the same items as `noi_dung`.
    #[serde(default)]
    #[schemars(description = "Nội dung phụ lục: như noi_dung của kế hoạch (mục, đoạn văn, bảng nhiệm vụ với trinh_bay_nhiem_vu: \"bang\").")]
    pub noi_dung: Vec<Node>,
    /// Portrait or landscape pages.
    #[serde(default)]
    #[schemars(description = "“doc” (trang dọc, mặc định) hoặc “ngang” (trang ngang, cho bảng rộng).")]
    pub huong: Huong,
}

/// A KẾ HOẠCH.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Kế hoạch (kehoach)",
    description = "Một KẾ HOẠCH để kehoach trình bày đúng thể thức (NĐ 30/2020, HD 05-HD/VPTW, HD 36-HD/VPTW). Chương trình tự in quốc hiệu, tiêu ngữ hoặc tiêu đề Đảng, chữ “Số”, dấu câu cuối dòng và chữ viết tắt quyền hạn."
)]
pub struct Plan {
    /// Editors put the schema address here; the engine ignores it.
    #[serde(rename = "$schema", default, skip_serializing)]
    #[schemars(description = "Đường dẫn tới tệp lược đồ này (cho trình soạn thảo như VS Code); chương trình bỏ qua.")]
    pub schema: Option<String>,
    /// The regime it is laid out by.
    #[schemars(description = "Thể thức trình bày của kế hoạch: văn bản quy định thể thức mà chương trình áp dụng (xem các giá trị và ý nghĩa dưới đây).")]
    pub the_thuc: Regime,
    /// The superior body, one or more lines.
    #[serde(default)]
    #[schemars(description = "Tên cơ quan chủ quản trực tiếp (NĐ 30) hoặc cơ quan cấp trên (Đảng), ví dụ “UBND TỈNH ĐỒNG THÁP”, “ĐẢNG BỘ TỈNH LÂM ĐỒNG”; một chuỗi hoặc danh sách dòng.")]
    pub co_quan_chu_quan: Lines,
    /// The issuing body, one or more lines.
    #[schemars(description = "Tên cơ quan ban hành, ví dụ [“ỦY BAN NHÂN DÂN”, “XÃ AN PHÚ”] hoặc “ĐẢNG UỶ XÃ ĐẠ HUOAI”; một chuỗi (xuống dòng bằng \\n) hoặc danh sách dòng. Không gõ quốc hiệu, dấu * hay đường kẻ.")]
    pub co_quan_ban_hanh: Lines,
    /// The number; none for a draft not yet numbered.
    #[serde(default)]
    #[schemars(description = "Số văn bản (số nguyên, ví dụ 6; chương trình tự in “06”). Bỏ trống khi chưa cấp số.")]
    pub so: Option<u32>,
    /// The ký hiệu: "KH-UBND", "KH/ĐU".
    #[schemars(description = "Ký hiệu, không gồm chữ “Số” và số: NĐ 30 “KH-UBND”; văn bản Đảng “KH/ĐU”. Viết liền, dùng dấu gạch nối (-), không dùng gạch dài (–).")]
    pub ky_hieu: Text,
    /// The place name before the date.
    #[schemars(description = "Địa danh in trước ngày tháng, ví dụ “An Phú”.")]
    pub dia_danh: Text,
    /// The date (only the year, or the year and month, for a draft).
    #[serde(default)]
    #[schemars(description = "Ngày ban hành dạng NĂM-THÁNG-NGÀY, ví dụ “2026-02-05”; dự thảo có thể chỉ ghi năm (“2026”) hoặc năm-tháng.")]
    pub ngay: Option<Ngay>,
    /// The secrecy stamp.
    #[serde(default)]
    #[schemars(description = "Dấu mức độ mật: mat, toi_mat, tuyet_mat.")]
    pub do_mat: Option<DoMat>,
    /// The urgency stamp.
    #[serde(default)]
    #[schemars(description = "Dấu mức độ khẩn: khan, thuong_khan, hoa_toc.")]
    pub do_khan: Option<DoKhan>,
    /// The circulation note ("LƯU HÀNH NỘI BỘ").
    #[serde(default)]
    #[schemars(description = "Chỉ dẫn phạm vi lưu hành, ví dụ “LƯU HÀNH NỘI BỘ”, “XEM XONG TRẢ LẠI”.")]
    pub pham_vi_luu_hanh: Option<Text>,
    /// The draft mark ("Dự thảo lần 2").
    #[serde(default)]
    #[schemars(description = "Dấu dự thảo, ví dụ “Dự thảo lần 2”.")]
    pub du_thao: Option<Text>,
    /// The document type, "KẾ HOẠCH".
    #[serde(default = "default_ten_loai")]
    #[schemars(description = "Tên loại văn bản; mặc định “KẾ HOẠCH”.")]
    pub ten_loai: Text,
    /// What the plan is about.
    #[schemars(description = "Trích yếu nội dung, không gõ chữ “Kế hoạch” ở đầu và không có dấu chấm cuối, ví dụ “Cải cách hành chính năm 2026” (văn bản Đảng thường viết thường chữ đầu).")]
    pub trich_yeu: Text,
    /// The legal bases, without their end punctuation.
    #[serde(default)]
    #[schemars(description = "Các căn cứ, mỗi căn cứ một chuỗi, không cần gõ dấu câu cuối (chương trình tự thêm “;” và “.” theo thể thức).")]
    pub can_cu: Vec<Text>,
    /// How the legal bases are laid out.
    #[serde(default)]
    #[schemars(description = "Trình bày căn cứ thành dòng theo thể thức (“dong”, mặc định) hoặc thành đoạn văn (“doan_van”).")]
    pub can_cu_trinh_bay: CanCuTrinhBay,
    /// The opening paragraphs.
    #[serde(default)]
    #[schemars(description = "Đoạn mở đầu trước mục I, ví dụ “Ủy ban nhân dân xã ban hành Kế hoạch … như sau:”; một chuỗi hoặc danh sách đoạn.")]
    pub mo_dau: Lines,
    /// The mark after mục and khoản numbers; unset, the regime's.
    #[serde(default)]
    #[schemars(description = "Dấu sau số mục và khoản: “cham” (I., 1.) hoặc “gach” (I-, 1-); mặc định theo thể thức.")]
    pub dau_danh_so: Option<DauDanhSo>,
    /// The body: a tree of items.
    #[serde(default)]
    #[schemars(description = "Nội dung chính: danh sách mục; mỗi mục là một chuỗi (một đoạn văn) hoặc một đối tượng có tiêu đề, văn bản và mục con.")]
    pub noi_dung: Vec<Node>,
    /// The closing paragraphs.
    #[serde(default)]
    #[schemars(description = "Đoạn kết thúc; chương trình tự thêm “./.” (NĐ 30) hoặc “.” (Đảng) ở cuối.")]
    pub ket_thuc: Lines,
    /// The recipients and the filing line.
    #[schemars(description = "Nơi nhận và dòng lưu.")]
    pub noi_nhan: NoiNhan,
    /// The signer.
    #[schemars(description = "Người ký.")]
    pub nguoi_ky: NguoiKy,
    /// The drafter's mark and the number of copies.
    #[serde(default)]
    #[schemars(description = "Ký hiệu người soạn thảo và số lượng bản phát hành, ví dụ “PL.(300)”.")]
    pub ky_hieu_soan_thao: Option<Text>,
    /// The phụ lục, in order.
    #[serde(default)]
    #[schemars(description = "Các phụ lục kèm theo, theo thứ tự; mỗi phụ lục in từ trang mới, đánh số trang riêng từ 1.")]
    pub phu_luc: Vec<PhuLuc>,
    /// The issuing body as the reference line of a phụ lục names it, in normal case.
    #[serde(default)]
    #[schemars(description = "Tên cơ quan ban hành viết thường, dùng trong dòng “(Kèm theo Kế hoạch … của …)” của phụ lục, ví dụ “Ủy ban nhân dân xã An Phú”. Bỏ trống thì chương trình tự chuyển từ co_quan_ban_hanh.")]
    pub co_quan_ban_hanh_viet_thuong: Option<Text>,
    /// The labels of the task lines.
    #[serde(default)]
    #[schemars(description = "Tên các dòng nhiệm vụ cho cả kế hoạch, khi khác tên mặc định (“Chủ trì”, “Phối hợp”, “Chịu trách nhiệm tham mưu”, “Thời gian thực hiện”, “Sản phẩm”); mỗi mục có thể đặt lại.")]
    pub nhan_nhiem_vu: Option<NhanNhiemVu>,
    /// The mark before each task line.
    #[serde(default)]
    #[schemars(description = "Dấu in trước mỗi dòng nhiệm vụ, ví dụ “*” (“* Chủ trì: …”); bỏ trống: không có dấu.")]
    pub dau_dong: Option<Text>,
    /// Whether mục titles are upper-cased.
    #[serde(default)]
    #[schemars(description = "false: giữ nguyên chữ hoa, chữ thường của tiêu đề các mục I., II. như đã gõ; mặc định (true) in hoa toàn bộ. Mỗi mục có thể đặt lại.")]
    pub in_hoa_tieu_de: Option<bool>,
    /// Party documents: mirrored margins for double-sided printing.
    #[serde(default)]
    #[schemars(description = "Văn bản Đảng: true (mặc định, theo HD 05) lề trang chẵn đối xứng với trang lẻ để in hai mặt; false: mọi trang cùng lề (in một mặt, xem trên máy). Văn bản nhà nước luôn cùng lề.")]
    pub in_hai_mat: Option<bool>,
    /// What the loader changed in the input (recomposed and cleaned strings), for the checks.
    #[serde(skip)]
    #[schemars(skip)]
    pub(crate) notes: crate::plan::load::InputNotes,
    /// The JSON text the plan was read from, to give findings a line and column.
    #[serde(skip)]
    #[schemars(skip)]
    pub(crate) source: Option<std::sync::Arc<str>>,
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
    fn text_drops_invisible_marks_and_counts_them() {
        take_stripped_count();
        let t = Text::new("\u{202B}Ủy\u{200B} ban\u{200F}\u{FEFF}").unwrap();
        assert_eq!(t.as_str(), "Ủy ban");
        assert_eq!(take_stripped_count(), 1);
        assert_eq!(Text::new("Ủy ban").unwrap().as_str(), "Ủy ban");
        assert_eq!(take_stripped_count(), 0);
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
