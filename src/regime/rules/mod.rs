//! The rules of thể thức, checked before anything is rendered (`kehoach check`, and `render` before
//! it writes). Each finding names a stable rule id, a severity, the JSON path of the field, a
//! Vietnamese message and the clause it comes from.
//!
//! Severity: `loi` where a rule text says it (ND 30/2020; HD 05-HD/VPTW); `canh_bao` where it is only
//! common practice (marked "(practice)" in the-thuc.md), where the check is a heuristic, or where
//! the clause was not read in the rule text itself (HD 36, see [`crate::regime::Clause::read`]);
//! `thong_tin` for what the engine corrected by itself.
//!
//! The-thuc.md §6 ("common mistakes"), item by item:
//!
//! | §6 | mistake | here |
//! |---|---|---|
//! | 1 | quốc hiệu on a Party plan / tiêu đề Đảng on a state plan | the engine prints the regime's own line; typed into `co_quan_*`: KH-TT-01. A body of the other family under this regime: KH-TT-03 |
//! | 1 | `Số:` in a Party plan, no colon in ND 30 | the engine prints "Số"/"Số:"; typed into `ky_hieu`: KH-SO-01 |
//! | 1 | `06/KH-ĐU` in Party style | number typed into `ky_hieu`: KH-SO-02; the order of `/` and `-`: KH-SO-03 |
//! | 1 | `TM.` in a Party plan, `T/M` in ND 30, `TUQ.` in a Party plan | `quyen_han.loai` is printed in the regime's form; typed in free text (`ten`, `chuc_vu`, `ho_ten`…): KH-KY-01; TUQ. under a Party regime: KH-KY-02 |
//! | 2 | leading zeros in dates and numbers | cannot occur: `ngay` is ISO and `so` a number; the engine pads them (vn.rs). `so: 0`: KH-SO-08 |
//! | 3 | spaces in the ký hiệu, an en dash for the hyphen | KH-SO-04, KH-SO-05; the type abbreviation (KH): KH-SO-06; lower case: KH-SO-07 |
//! | 4 | tiêu ngữ typed wrong | cannot occur: the engine prints it; typed into a header field: KH-TT-01 |
//! | 5 | wrong line lengths, a line under the Party star | cannot occur: the profile draws them; a `*` or `-----` typed as a line: KH-TT-02 |
//! | 6, 7, 9, 15 | sizes, italics, page numbers, Word defaults | cannot occur: layout comes from the profile, not from the plan |
//! | 8 | no line under the ND 30 trích yếu; wrong `-----` | cannot occur (profile); typed separators: KH-TT-02. The trích yếu itself: ends with a full stop KH-TY-01, repeats the tên loại or uses V/v KH-TY-02 |
//! | 10 | nơi nhận: ND 30 without `- Lưu: VT, …`; Party `Lưu:` or `VT`; commas for semicolons | the label, dashes and separators are printed by the engine; `luu` is required (KH-BB-01); "Lưu" typed: KH-NN-01; VT in a Party plan: KH-NN-02; ND 30 without VT: KH-NN-03; typed dashes: KH-NN-04; "Như trên" in a kế hoạch: KH-NN-05 |
//! | 11 | academic title before the name | KH-KY-03; honorifics and ranks KH-KY-04 |
//! | 11 | Party: body's name in the chức vụ; title in bold; K/T for a cấp uỷ | KH-KY-07; bold cannot occur (profile); KH-KY-06; titles allowed under T/M: KH-KY-08 |
//! | 11 | ND 30: KT. without the head's title | an empty `quyen_han.ten`: KH-BB-02; a KT. signer who is not a deputy: KH-KY-05 |
//! | 11 | signature block alone on the last page (practice) | cannot be checked from the plan: it is layout (the engine keeps it with the last paragraph) |
//! | 12 | căn cứ style; wrong end punctuation | style cannot occur (profile); punctuation is corrected by the engine, reported KH-CC-01; a typed dash KH-CC-02 |
//! | 13 | `./.` in a Party plan; missing `./.` in ND 30 | the engine ends the body itself; a typed `./.` it replaced: KH-KT-01 |
//! | 14 | legacy fonts and encodings | fonts cannot occur (profile); TCVN3/VNI text: KH-MA-01 |
//! | 14 | decomposed Unicode | recomposed by the loader, reported KH-MA-02 |
//! | 14 | mixed hoà/hòa, uỷ/ủy | KH-MA-03 |
//! | — | invisible characters, characters the font lacks (emoji) | KH-MA-04 (removed by the loader), KH-MA-05 |
//! | 16 | numbering series across years or terms | cannot be checked: the plan holds one number, not the register |
//! | 17 | `huyện`, `Huyện uỷ` after 1/7/2025 | KH-DD-01 |
//! | 18 | phụ lục numbering and reference line | numbers out of order or of the other regime's form: KH-PL-02; the reference line is made from the plan (a draft's is left blank: KH-PL-05); no title KH-PL-01; the body naming a phụ lục that is not there KH-PL-03; an empty phụ lục KH-PL-04 |
//! | 19 | signature and seal images | cannot occur: the model has no images |
//!
//! Besides §6: empty required fields and list items (KH-BB-01, KH-BB-02); dates far in the future or
//! outside the period of the regime's rule text (KH-NG-01, KH-NG-02); the body's structure: empty
//! sections, items with no text, duplicate or skipped explicit numbers, numbers typed into the text
//! (KH-ND-01 … KH-ND-04).

mod bat_buoc;
mod chu_ky;
mod chu_viet;
mod dau_van_ban;
mod dia_gioi;
mod noi_dung;
mod noi_nhan;
mod phu_luc;
mod so_ky_hieu;
pub mod text;

use crate::plan::load::InputNotes;
use crate::plan::model::{Ngay, Plan};
use crate::regime::numbering::Numbering;
use crate::regime::{Clause, Profile};
use serde::Serialize;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MucDo {
    /// Against a rule text: `check` exits 1 and `render` writes nothing.
    Loi,
    /// Against common practice, or a heuristic: printed, nothing refused.
    CanhBao,
    /// Something the engine corrected by itself.
    ThongTin,
}

impl MucDo {
    /// Its Vietnamese name: "lỗi", "cảnh báo", "thông tin".
    pub fn ten(self) -> &'static str {
        match self {
            MucDo::Loi => "lỗi",
            MucDo::CanhBao => "cảnh báo",
            MucDo::ThongTin => "thông tin",
        }
    }
}

/// One rule of the catalogue.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// Stable id, e.g. "KH-SO-01".
    pub ma: &'static str,
    /// The severity of its findings (an error under a clause not read in full is a warning).
    pub muc_do: MucDo,
    /// What it checks, in Vietnamese.
    pub mo_ta: &'static str,
    /// An error whatever the clause: without it there is no document to print (an empty required
    /// field, an item with nothing in it, a signing form the regime does not have).
    pub strict: bool,
}

const fn rule(ma: &'static str, muc_do: MucDo, mo_ta: &'static str) -> Rule {
    Rule { ma, muc_do, mo_ta, strict: false }
}

const fn strict(ma: &'static str, mo_ta: &'static str) -> Rule {
    Rule { ma, muc_do: MucDo::Loi, mo_ta, strict: true }
}

use MucDo::{CanhBao, Loi, ThongTin};

/// Every rule, in the order of the document.
pub const RULES: &[Rule] = &[
    strict("KH-BB-01", "Trường bắt buộc để trống"),
    strict("KH-BB-02", "Mục trống trong danh sách (căn cứ, nơi nhận, quyền hạn ký)"),
    strict("KH-BB-03", "Chỗ để điền của kế hoạch mẫu (“...”) chưa được điền"),
    rule("KH-TT-01", Loi, "Quốc hiệu, tiêu ngữ hoặc tiêu đề Đảng gõ vào tên cơ quan (chương trình tự in)"),
    rule("KH-TT-02", Loi, "Dấu * hoặc đường kẻ gõ tay trong phần đầu (chương trình tự in)"),
    rule("KH-TT-03", CanhBao, "Cơ quan ban hành có vẻ thuộc thể thức khác"),
    rule("KH-SO-01", Loi, "Chữ “Số” gõ vào ký hiệu"),
    rule("KH-SO-02", Loi, "Số văn bản hoặc dấu phân cách gõ vào ký hiệu"),
    rule("KH-SO-03", Loi, "Thứ tự dấu “/” và “-” của ký hiệu không đúng thể thức"),
    rule("KH-SO-04", Loi, "Ký hiệu có khoảng trắng"),
    rule("KH-SO-05", Loi, "Ký hiệu dùng gạch dài (–, —) thay cho dấu gạch nối (-)"),
    rule("KH-SO-06", Loi, "Chữ viết tắt tên loại trong ký hiệu không đúng (Kế hoạch: KH)"),
    rule("KH-SO-07", CanhBao, "Ký hiệu có chữ thường"),
    rule("KH-SO-08", Loi, "Số văn bản bằng 0"),
    rule("KH-NG-01", CanhBao, "Ngày ban hành quá xa trong tương lai"),
    rule("KH-NG-02", CanhBao, "Ngày ban hành ngoài thời gian áp dụng của văn bản quy định thể thức"),
    rule("KH-TY-01", ThongTin, "Dấu câu cuối trích yếu đã được bỏ"),
    rule("KH-TY-02", CanhBao, "Trích yếu lặp lại tên loại hoặc dùng “V/v”"),
    rule("KH-CC-01", ThongTin, "Dấu câu cuối căn cứ đã được sửa theo thể thức"),
    rule("KH-CC-02", Loi, "Căn cứ có gạch đầu dòng gõ tay"),
    rule("KH-ND-01", CanhBao, "Mục có tiêu đề nhưng không có nội dung"),
    strict("KH-ND-02", "Mục không có tiêu đề và không có nội dung"),
    rule("KH-ND-03", CanhBao, "Số hiệu tự ghi bị trùng hoặc bị nhảy"),
    rule("KH-ND-04", Loi, "Số thứ tự gõ lặp vào đầu tiêu đề hoặc đoạn văn"),
    rule("KH-ND-05", CanhBao, "Kế hoạch không có phần nội dung"),
    rule("KH-KT-01", ThongTin, "Dấu kết thúc của thể thức khác đã được sửa theo thể thức này"),
    rule("KH-NN-01", Loi, "Chữ “Lưu” gõ tay hoặc dòng lưu nằm trong danh sách nơi nhận"),
    rule("KH-NN-02", Loi, "Văn bản Đảng ghi “VT” ở dòng lưu"),
    rule("KH-NN-03", Loi, "Văn bản NĐ 30 thiếu “VT” ở dòng lưu"),
    rule("KH-NN-04", Loi, "Nơi nhận có gạch đầu dòng gõ tay"),
    rule("KH-NN-05", CanhBao, "“Như trên” trong kế hoạch (không có phần kính gửi)"),
    strict("KH-NN-06", "Dòng lưu đặt trong một nhóm nơi nhận không phải nhóm cuối"),
    rule("KH-KY-01", Loi, "Chữ viết tắt quyền hạn (TM., T/M, KT.…) gõ trong chức vụ, tên hoặc họ tên"),
    strict("KH-KY-02", "Hình thức ký không có trong thể thức (TUQ. trong văn bản Đảng)"),
    rule("KH-KY-03", Loi, "Học hàm, học vị trước họ tên người ký"),
    rule("KH-KY-04", Loi, "Danh xưng hoặc cấp bậc trước họ tên người ký"),
    rule("KH-KY-05", Loi, "Ký thay (KT., K/T) nhưng chức vụ không phải cấp phó"),
    rule("KH-KY-06", Loi, "K/T cho một tập thể của Đảng (cấp uỷ, ban thường vụ…)"),
    rule("KH-KY-07", Loi, "Chức vụ người ký (văn bản Đảng) ghi kèm tên cơ quan"),
    rule("KH-KY-08", Loi, "Chức vụ không được ghi khi ký T/M (văn bản Đảng)"),
    rule("KH-MA-01", CanhBao, "Chữ gõ bằng bảng mã cũ (TCVN3, VNI)"),
    rule("KH-MA-02", ThongTin, "Unicode tổ hợp đã được chuyển sang dựng sẵn"),
    rule("KH-MA-03", CanhBao, "Lẫn hai kiểu đặt dấu thanh (hoà/hòa, uỷ/ủy…)"),
    rule("KH-MA-04", ThongTin, "Ký tự vô hình (định hướng chữ, độ rộng 0) đã được xoá"),
    rule("KH-MA-05", CanhBao, "Ký tự không có trong phông chữ (biểu tượng cảm xúc…)"),
    rule("KH-DD-01", CanhBao, "Đơn vị hành chính cấp huyện trong kế hoạch sau ngày 01/7/2025"),
    strict("KH-PL-01", "Phụ lục không có tên"),
    rule("KH-PL-02", Loi, "Số phụ lục không đúng thứ tự hoặc không đúng kiểu số của thể thức (NĐ 30: La Mã; Đảng: Ả Rập)"),
    rule("KH-PL-03", CanhBao, "Nội dung nhắc tới phụ lục mà kế hoạch không có"),
    rule("KH-PL-04", CanhBao, "Phụ lục không có nội dung"),
    rule("KH-PL-05", ThongTin, "Dòng “Kèm theo” của phụ lục để trống số, ngày (kế hoạch chưa cấp số)"),
];

/// The catalogue entry of a rule id.
pub fn rule_info(ma: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.ma == ma)
}

/// One problem found in a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule id, e.g. "KH-SO-01".
    pub ma: &'static str,
    /// How serious it is.
    pub muc_do: MucDo,
    /// The JSON path of the field, e.g. `can_cu[2]`; empty for the plan as a whole.
    pub truong: String,
    /// What is wrong and what to do, in Vietnamese.
    pub thong_bao: String,
    /// The clause it comes from.
    pub can_cu: String,
    /// Where it is, as staff name it: "căn cứ thứ 3", "mục III, khoản 2".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vi_tri: Option<String>,
    /// Line and column of the field in the plan's JSON text, when it was read from text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dong: Option<usize>,
    /// See `dong`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cot: Option<usize>,
}

/// What the checks depend on besides the plan: today's date (a parameter, so tests are fixed).
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Today: year, month, day.
    pub hom_nay: (i32, u32, u32),
}

impl Options {
    /// Today in Việt Nam (UTC+7), from the system clock.
    pub fn now() -> Options {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Options { hom_nay: civil_from_days((secs + 7 * 3600).div_euclid(86_400)) }
    }
}

/// The Gregorian date of a day count from 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((if m <= 2 { y + 1 } else { y }) as i32, m, d)
}

/// At most this many findings of one rule are listed; the rest are counted in one more finding
/// (a 10,000-line plan typed in a legacy encoding must not print 10,000 lines).
pub const MAX_PER_RULE: usize = 30;

/// Checks a plan whose items are numbered by `numbering` (see [`crate::regime::numbering`]). Each
/// finding says where its field is, as staff name it and, for a plan read from text, by line and
/// column.
pub fn check(plan: &Plan, numbering: &Numbering, opts: &Options) -> Vec<Finding> {
    let notes = plan.notes();
    let mut c = Ctx { plan, p: Profile::for_regime(plan.the_thuc), notes, numbering, opts, out: Vec::new() };
    bat_buoc::check(&mut c);
    dau_van_ban::check(&mut c);
    so_ky_hieu::check(&mut c);
    noi_dung::check(&mut c);
    noi_nhan::check(&mut c);
    chu_ky::check(&mut c);
    chu_viet::check(&mut c);
    dia_gioi::check(&mut c);
    phu_luc::check(&mut c);
    let mut out = cap(c.out);
    out.sort_by_cached_key(|f| (text::path_key(&f.truong), f.muc_do, f.ma));
    let paths: Vec<&str> = out.iter().map(|f| f.truong.as_str()).filter(|p| !p.is_empty()).collect();
    let positions = plan.positions(&paths);
    for f in &mut out {
        f.vi_tri = location(&f.truong, numbering);
        if let Some(&(line, col)) = positions.get(&f.truong) {
            f.dong = Some(line);
            f.cot = Some(col);
        }
    }
    out
}

/// How staff name the place of a field: "căn cứ thứ 3", "mục III, khoản 2, tiêu đề", "họ tên người
/// ký". `None` for the plan as a whole.
pub fn location(path: &str, numbering: &Numbering) -> Option<String> {
    if path.is_empty() {
        return None;
    }
    if let Some(item) = numbering.location(path) {
        let tail = path.rsplit('.').next().unwrap_or("");
        let part = match tail.split('[').next().unwrap_or("") {
            "tieu_de" => ", tiêu đề",
            "van_ban" => ", nội dung",
            "so_hieu" => ", số hiệu",
            "chu_tri" | "phoi_hop" | "tham_muu" | "thoi_gian" | "san_pham" => ", nhiệm vụ",
            _ => "",
        };
        return Some(format!("{item}{part}"));
    }
    // `name[i]` → (name, i + 1)
    let indexed = |part: &str| -> Option<(String, usize)> {
        let (name, rest) = part.split_once('[')?;
        let i: usize = rest.trim_end_matches(']').split("][").next()?.parse().ok()?;
        Some((name.to_string(), i + 1))
    };
    let parts: Vec<&str> = path.split('.').collect();
    let head = parts[0];
    let (name, index) = indexed(head).map(|(n, i)| (n, Some(i))).unwrap_or((head.to_string(), None));
    let nth = |what: &str| match index {
        Some(i) => format!("{what} thứ {i}"),
        None => what.to_string(),
    };
    let line = |what: &str| match index {
        Some(i) => format!("{what} (dòng {i})"),
        None => what.to_string(),
    };
    let named = match name.as_str() {
        "the_thuc" => "thể thức".to_string(),
        "co_quan_chu_quan" => line("tên cơ quan chủ quản"),
        "co_quan_ban_hanh" => line("tên cơ quan ban hành"),
        "so" => "số văn bản".into(),
        "ky_hieu" => "ký hiệu".into(),
        "dia_danh" => "địa danh".into(),
        "ngay" => "ngày ban hành".into(),
        "do_mat" => "dấu mức độ mật".into(),
        "do_khan" => "dấu mức độ khẩn".into(),
        "pham_vi_luu_hanh" => "chỉ dẫn phạm vi lưu hành".into(),
        "du_thao" => "dấu dự thảo".into(),
        "ten_loai" => "tên loại".into(),
        "trich_yeu" => "trích yếu".into(),
        "can_cu" => nth("căn cứ"),
        "mo_dau" => line("đoạn mở đầu"),
        "noi_dung" => "phần nội dung".into(),
        "ket_thuc" => line("đoạn kết"),
        "ky_hieu_soan_thao" => "ký hiệu người soạn thảo".into(),
        "phu_luc" => match (index, parts.get(1).copied()) {
            (Some(i), Some("tieu_de")) => format!("tên của phụ lục thứ {i}"),
            (Some(i), Some("so")) => format!("số của phụ lục thứ {i}"),
            (Some(i), Some("noi_dung")) => format!("nội dung của phụ lục thứ {i}"),
            (Some(i), _) => format!("phụ lục thứ {i}"),
            (None, _) => "các phụ lục".into(),
        },
        "noi_nhan" => {
            let sub = parts.get(1).copied().unwrap_or("");
            match (indexed(sub), parts.get(2).and_then(|p| indexed(p))) {
                (Some((_, i)), Some((_, j))) => format!("nơi nhận thứ {j} của nhóm nơi nhận thứ {i}"),
                (Some((_, i)), None) if parts.get(2) == Some(&"ghi_chu") => format!("ghi chú của nhóm nơi nhận thứ {i}"),
                (Some((_, i)), None) => format!("nơi nhận thứ {i}"),
                _ if sub == "luu" => "dòng lưu".into(),
                _ => "nơi nhận".into(),
            }
        }
        "nguoi_ky" => {
            let sub = parts.get(1).copied().unwrap_or("");
            match indexed(sub) {
                Some((_, i)) => format!("quyền hạn ký (dòng {i})"),
                None => match sub.split('[').next().unwrap_or("") {
                    "chuc_vu" => "chức vụ người ký".into(),
                    "ho_ten" => "họ tên người ký".into(),
                    "chuc_danh_duoi_ten" => "chức danh dưới tên người ký".into(),
                    _ => "người ký".into(),
                },
            }
        }
        _ => return None,
    };
    Some(named)
}

/// Whether any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.muc_do == MucDo::Loi)
}

/// Keeps the first [`MAX_PER_RULE`] findings of each rule and counts the rest.
fn cap(findings: Vec<Finding>) -> Vec<Finding> {
    let mut seen: Vec<(&'static str, usize, Finding)> = Vec::new();
    let mut out = Vec::with_capacity(findings.len().min(1000));
    for f in findings {
        match seen.iter_mut().find(|(m, _, _)| *m == f.ma) {
            Some((_, n, _)) if *n >= MAX_PER_RULE => *n += 1,
            Some((_, n, _)) => {
                *n += 1;
                out.push(f);
            }
            None => {
                seen.push((f.ma, 1, f.clone()));
                out.push(f);
            }
        }
    }
    for (ma, n, first) in seen {
        if n > MAX_PER_RULE {
            out.push(Finding {
                ma,
                muc_do: first.muc_do,
                truong: String::new(),
                thong_bao: format!("còn {} chỗ khác cùng loại ({ma}) không liệt kê ở đây", n - MAX_PER_RULE),
                can_cu: first.can_cu,
                vi_tri: None,
                dong: None,
                cot: None,
            });
        }
    }
    out
}

/// What a check sees, and where it puts its findings.
pub(crate) struct Ctx<'a> {
    pub plan: &'a Plan,
    pub p: &'static Profile,
    pub notes: &'a InputNotes,
    pub numbering: &'a Numbering,
    pub opts: &'a Options,
    pub out: Vec<Finding>,
}

impl Ctx<'_> {
    /// A finding of rule `ma` with the catalogue's severity, citing `clause`. An error under a
    /// clause that was not read in the rule text itself is only a warning.
    pub fn add(&mut self, ma: &'static str, truong: impl Into<String>, thong_bao: impl Into<String>, clause: Clause) {
        self.push(ma, None, truong.into(), thong_bao.into(), clause, None);
    }

    /// As [`Ctx::add`] with a severity of the caller's choice (for rules whose severity depends on
    /// the regime or on how sure the check is).
    pub fn add_as(
        &mut self,
        ma: &'static str,
        muc_do: MucDo,
        truong: impl Into<String>,
        thong_bao: impl Into<String>,
        clause: Clause,
    ) {
        self.push(ma, Some(muc_do), truong.into(), thong_bao.into(), clause, None);
    }

    /// As [`Ctx::add`], citing `clause` with a remark such as "thông lệ, không phải quy định".
    pub fn add_noted(
        &mut self,
        ma: &'static str,
        truong: impl Into<String>,
        thong_bao: impl Into<String>,
        clause: Clause,
        note: &str,
    ) {
        self.push(ma, None, truong.into(), thong_bao.into(), clause, Some(note));
    }

    fn push(&mut self, ma: &'static str, muc_do: Option<MucDo>, truong: String, thong_bao: String, clause: Clause, note: Option<&str>) {
        let muc_do = muc_do.or_else(|| rule_info(ma).map(|r| r.muc_do)).unwrap_or(MucDo::CanhBao);
        let mut can_cu = clause.text.to_string();
        if let Some(n) = note {
            can_cu.push_str(" — ");
            can_cu.push_str(n);
        }
        let strict = rule_info(ma).is_some_and(|r| r.strict);
        let muc_do = if muc_do == MucDo::Loi && !clause.read && !strict {
            can_cu.push_str(" — chỉ cảnh báo vì chưa đối chiếu được nguyên văn");
            MucDo::CanhBao
        } else {
            muc_do
        };
        self.out.push(Finding { ma, muc_do, truong, thong_bao, can_cu, vi_tri: None, dong: None, cot: None });
    }

    /// The plan's date as the earliest and the latest day it can mean (a draft may give only the
    /// year, or the year and month); today when it has none.
    pub fn date_range(&self) -> ((i32, u32, u32), (i32, u32, u32)) {
        match self.plan.ngay {
            Some(d) => ngay_range(&d),
            None => (self.opts.hom_nay, self.opts.hom_nay),
        }
    }
}

/// The earliest and latest day a (possibly partial) date can mean.
pub fn ngay_range(d: &Ngay) -> ((i32, u32, u32), (i32, u32, u32)) {
    let first_m = d.thang.unwrap_or(1);
    let last_m = d.thang.unwrap_or(12);
    let first = (d.nam, first_m, d.ngay.unwrap_or(1));
    let last = (d.nam, last_m, d.ngay.unwrap_or_else(|| crate::plan::model::days_in_month(d.nam, last_m)));
    (first, last)
}

/// "27/5/2026"
pub fn dmy(d: (i32, u32, u32)) -> String {
    format!("{:02}/{}/{}", d.2, d.1, d.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_to_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_454), (2026, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn catalogue_ids_are_unique_and_well_formed() {
        for (i, r) in RULES.iter().enumerate() {
            assert!(r.ma.starts_with("KH-") && r.ma.len() == 8, "{}", r.ma);
            assert!(RULES[i + 1..].iter().all(|o| o.ma != r.ma), "duplicate {}", r.ma);
            assert!(r.mo_ta.chars().any(|c| !c.is_ascii()), "{}", r.ma);
        }
    }
}
