//! The rules of each regime, as data: page setup, named paragraph styles, table layouts,
//! separators, punctuation and numbering. One value per regime lives in `profile/<regime>.rs`;
//! nothing else in the engine branches on the regime.
//!
//! Lengths are in twips (1/20 pt; 1 mm ≈ 56.69 twips), font sizes in half-points (as in DOCX).

use crate::plan::model::{DauDanhSo, DoKhan, DoMat, Kieu, QuyenHanLoai};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

mod hd05;
mod hd36;
mod nd30;

/// The rules a plan is laid out by: one variant per regime, each with its profile (a file of this
/// module) and its starter plan (`plan/starter/<code>.json`, named in the profile).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(description = "Thể thức trình bày: nd30, hd05 hoặc hd36.")]
pub enum Regime {
    /// Nghị định 30/2020/NĐ-CP (state bodies).
    #[schemars(description = "Nghị định 30/2020/NĐ-CP: văn bản của cơ quan, tổ chức nhà nước.")]
    Nd30,
    /// Hướng dẫn 05-HD/VPTW, 2026 (Party bodies, current).
    #[schemars(description = "Hướng dẫn 05-HD/VPTW (27/5/2026): văn bản của Đảng, đang áp dụng.")]
    Hd05,
    /// Hướng dẫn 36-HD/VPTW, 2018 (Party bodies, older plans).
    #[schemars(description = "Hướng dẫn 36-HD/VPTW (2018): văn bản của Đảng ban hành trước 27/5/2026.")]
    Hd36,
}

impl Regime {
    /// Every regime, in the order they are offered.
    pub const ALL: [Regime; 3] = [Regime::Nd30, Regime::Hd05, Regime::Hd36];

    /// The regime's profile: everything that differs between regimes.
    pub fn profile(self) -> &'static Profile {
        match self {
            Regime::Nd30 => &nd30::ND30,
            Regime::Hd05 => &hd05::HD05,
            Regime::Hd36 => &hd36::HD36,
        }
    }

    /// The value a plan writes in `the_thuc`: "nd30", "hd05", "hd36".
    pub fn code(self) -> &'static str {
        self.profile().code
    }

    /// The rule text the regime follows: "Nghị định số 30/2020/NĐ-CP".
    pub fn profile_name(self) -> &'static str {
        self.profile().ten
    }

    /// The regime whose code is `s`.
    pub fn from_code(s: &str) -> Option<Regime> {
        Regime::ALL.into_iter().find(|r| r.code() == s)
    }
}

/// The family of documents a regime belongs to: some checks compare regimes of one family (an HD 36
/// plan dated after HD 05 took effect) or of the other (a quốc hiệu typed into a Party plan).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// Documents of state bodies.
    State,
    /// Documents of the Party's bodies.
    Party,
}
pub mod check;
pub mod numbering;

pub mod rules;
pub mod vn;

pub use crate::document::{Align, LineSpacing, PageSetup, mm, pt};
use crate::document::{ParaFormat, RunFormat, Style};

/// How long the horizontal rule under a paragraph is.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleLength {
    /// As long as the longest text line above it.
    TextWidth,
    /// This fraction of the longest text line above it (ND 30: 1/3 to 1/2).
    Fraction(f32),
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct RuleSpec {
    pub length: RuleLength,
    /// Line thickness in eighths of a point (DOCX border units): 6 = 0.75 pt.
    pub thickness: u32,
    /// Gap between the text's bottom and the line, in twips.
    pub gap: i32,
}

/// A named paragraph style of a profile: the document style of one element of the plan, and what
/// composing does to it besides (upper-casing its text; a measured rule under it).
///
/// Profiles write styles as chains from a base, `CENTER.size(26).bold()`, so each element lists only
/// what sets it apart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParaStyle {
    pub style: Style,
    /// Upper-case the text (done on the text itself, so it reads back the same everywhere).
    pub caps: bool,
    /// A solid line under the paragraph (ND 30 tiêu ngữ, cơ quan ban hành, trích yếu; Party tiêu đề).
    pub rule_below: Option<RuleSpec>,
}

impl ParaStyle {
    /// The neutral starting point the profiles derive their styles from.
    pub const BASE: ParaStyle = ParaStyle { style: Style::BASE, caps: false, rule_below: None };

    const fn para(mut self, f: ParaFormat) -> Self {
        self.style.para = f;
        self
    }
    const fn run(mut self, f: RunFormat) -> Self {
        self.style.run = f;
        self
    }
    /// Font size in half-points.
    pub const fn size(self, size: u32) -> Self {
        self.run(RunFormat { size, ..self.style.run })
    }
    pub const fn bold(self) -> Self {
        self.run(RunFormat { bold: true, ..self.style.run })
    }
    pub const fn italic(self) -> Self {
        self.run(RunFormat { italic: true, ..self.style.run })
    }
    pub const fn underline(self) -> Self {
        self.run(RunFormat { underline: true, ..self.style.run })
    }
    pub const fn align(self, align: Align) -> Self {
        self.para(ParaFormat { align, ..self.style.para })
    }
    pub const fn first_line(self, first_line: i32) -> Self {
        self.para(ParaFormat { first_line, ..self.style.para })
    }
    pub const fn before(self, before: i32) -> Self {
        self.para(ParaFormat { before, ..self.style.para })
    }
    pub const fn after(self, after: i32) -> Self {
        self.para(ParaFormat { after, ..self.style.para })
    }
    pub const fn line(self, line: LineSpacing) -> Self {
        self.para(ParaFormat { line, ..self.style.para })
    }
    pub const fn keep_next(self) -> Self {
        self.para(ParaFormat { keep_next: true, ..self.style.para })
    }
    /// A single-line box around the text (urgency and circulation stamps).
    pub const fn boxed(self) -> Self {
        self.para(ParaFormat { boxed: true, ..self.style.para })
    }
    pub const fn caps(mut self) -> Self {
        self.caps = true;
        self
    }
    pub const fn rule_below(mut self, r: RuleSpec) -> Self {
        self.rule_below = Some(r);
        self
    }
}

/// A table column width: absolute, or a share of the container's width.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Width {
    Twips(i32),
    Share(f32),
}

/// A named table layout: column widths and the table's indent from the text margin.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct TableLayout {
    pub widths: &'static [Width],
    pub indent: i32,
    /// Space above the table, added to the first paragraph of each cell of its first row.
    pub before: i32,
    /// Shrink every column but the last to its widest text line (the last takes what is freed).
    pub fit: bool,
    /// Widen the first column, up to this share of the text width (and as far as the second
    /// column's widest line allows), until no line of it is one word left alone by a wrap.
    pub widen_first_to: Option<f32>,
}

impl TableLayout {
    pub const fn new(widths: &'static [Width], indent: i32) -> TableLayout {
        TableLayout { widths, indent, before: 0, fit: false, widen_first_to: None }
    }
}

/// The header's left column may take up to about 52% of the text width (ND 30's layout diagram puts
/// boxes 1 and 4 in roughly 52–98% of it, the-thuc.md §2).
pub const DAU_LEFT_MAX: f32 = 0.52;

/// A line of the top-right block (quốc hiệu / tiêu ngữ, or the Party's tiêu đề).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct StyledLine {
    pub text: &'static str,
    pub style: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SoFormat {
    /// "Số: " (ND 30) or "Số " (Party).
    pub prefix: &'static str,
    /// Between the number and the ký hiệu: "/" (ND 30) or "-" (Party).
    pub sep: &'static str,
    /// What stands for the number in a draft that has none yet.
    pub blank: &'static str,
    /// The separator that must appear inside the ký hiệu between the type and the body
    /// ("-" in "KH-UBND"; "/" in "KH/ĐU").
    pub ky_hieu_sep: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ListPunct {
    /// Printed before each item ("- " for Party căn cứ and every nơi nhận item).
    pub prefix: &'static str,
    /// Ends every item but the last.
    pub sep: &'static str,
    /// Ends the last item.
    pub last: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct NoiNhanFormat {
    pub label: &'static str,
    pub items: ListPunct,
    /// "Lưu: " (ND 30) or "Lưu " (Party).
    pub luu_prefix: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct QuyenHanFormat {
    pub tm: &'static str,
    pub kt: &'static str,
    pub tl: &'static str,
    /// None where the regime has no such form (Party documents have no TUQ.).
    pub tuq: Option<&'static str>,
    pub q: &'static str,
}

impl QuyenHanFormat {
    pub fn prefix(&self, l: QuyenHanLoai) -> Option<&'static str> {
        match l {
            QuyenHanLoai::Tm => Some(self.tm),
            QuyenHanLoai::Kt => Some(self.kt),
            QuyenHanLoai::Tl => Some(self.tl),
            QuyenHanLoai::Tuq => self.tuq,
            QuyenHanLoai::Q => Some(self.q),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Numbering {
    /// The kind of an item at depth 0, 1, 2, … when neither it nor its parent says otherwise;
    /// deeper items take the last kind.
    pub by_depth: &'static [Kieu],
    /// The default mark after mục and khoản numbers.
    pub dau: DauDanhSo,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Stamps {
    pub khan: &'static str,
    pub thuong_khan: &'static str,
    pub hoa_toc: &'static str,
    pub mat: &'static str,
    pub toi_mat: &'static str,
    pub tuyet_mat: &'static str,
}

impl Stamps {
    pub fn khan_text(&self, k: DoKhan) -> &'static str {
        match k {
            DoKhan::Khan => self.khan,
            DoKhan::ThuongKhan => self.thuong_khan,
            DoKhan::HoaToc => self.hoa_toc,
        }
    }
    pub fn mat_text(&self, m: DoMat) -> &'static str {
        match m {
            DoMat::Mat => self.mat,
            DoMat::ToiMat => self.toi_mat,
            DoMat::TuyetMat => self.tuyet_mat,
        }
    }
}

/// How the phụ lục of a plan are numbered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PhuLucSo {
    /// I, II, III (ND 30 Phụ lục I §III.1).
    LaMa,
    /// 1, 2, 3 (HD 05).
    ARap,
}

/// The heading of a phụ lục: "Phụ lục II", its title, "(Kèm theo Kế hoạch số … của …)".
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PhuLucFormat {
    /// The word in front of the number: "Phụ lục".
    pub nhan: &'static str,
    /// How the number is written.
    pub so: PhuLucSo,
    /// Numbered only when the plan has at least this many phụ lục (one alone is just "Phụ lục").
    pub danh_so_tu: usize,
    /// How the reference line opens: "Kèm theo".
    pub kem_theo: &'static str,
}

impl PhuLucFormat {
    /// The number of the `n`th phụ lục (from 1) in this form.
    pub fn number(&self, n: u32) -> String {
        match self.so {
            PhuLucSo::LaMa => vn::roman(n),
            PhuLucSo::ARap => n.to_string(),
        }
    }
}

/// A clause of a rule text that a check comes from, as cited to the user.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Clause {
    /// "NĐ 30/2020, Phụ lục I, Phần I, mục II.3"
    pub text: &'static str,
    /// Whether that clause was read in the rule text itself. HD 36 is known only from quotations and
    /// a third-party summary (the-thuc.md §4.4, §9), so a check that would be an error under a clause
    /// read in full is only a warning under one that was not.
    pub read: bool,
}

/// The clauses the checker cites, one per part of the document.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Clauses {
    /// The list of components (thành phần thể thức) as a whole.
    pub thanh_phan: Clause,
    /// Quốc hiệu / tiêu đề and the issuing body's name.
    pub dau: Clause,
    pub so_ky_hieu: Clause,
    /// The abbreviation of the document type (KH).
    pub ten_viet_tat: Clause,
    pub ngay: Clause,
    pub trich_yeu: Clause,
    pub can_cu: Clause,
    /// Headings and numbering of the body.
    pub bo_cuc: Clause,
    pub ket_thuc: Clause,
    pub quyen_han: Clause,
    pub chuc_vu: Clause,
    pub ho_ten: Clause,
    pub noi_nhan: Clause,
    /// Font and encoding (Unicode, TCVN 6909:2001).
    pub phong_chu: Clause,
    /// When the rule text took effect or was replaced.
    pub hieu_luc: Clause,
    /// Phụ lục: heading, reference line, numbering.
    pub phu_luc: Clause,
}

/// What the checker ([`crate::regime::rules`]) needs to know about a regime, besides its printed forms.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CheckData {
    /// How messages name the family of documents: "văn bản nhà nước (NĐ 30)", "văn bản của Đảng".
    pub ho: &'static str,
    /// A ký hiệu of a kế hoạch in this regime, for messages: "KH-UBND", "KH/ĐU".
    pub vi_du_ky_hieu: &'static str,
    pub clauses: Clauses,
    /// The period the rule text applies to: from (y, m, d), until (y, m, d) when it was replaced.
    pub tu_ngay: Option<(i32, u32, u32)>,
    pub den_ngay: Option<(i32, u32, u32)>,
    /// Words (in capitals) that mark an issuing body of this family ("ỦY BAN NHÂN DÂN"; "ĐẢNG").
    pub dau_hieu_co_quan: &'static [&'static str],
    /// What the lưu line must begin with (ND 30: "VT", the văn thư).
    pub luu_bat_dau: Option<&'static str>,
    /// Words the lưu line must not contain (Party: "VT").
    pub luu_cam: &'static [&'static str],
    /// Collectives (and their head) for which K/T is never used: the deputy signs T/M (HD 05 §7.1).
    pub khong_ky_thay: &'static [&'static str],
    /// The only titles written under T/M (Party); None where any title may follow.
    pub chuc_vu_thay_mat: Option<&'static [&'static str]>,
    /// The signer's title is written without the body's name (Party).
    pub chuc_vu_khong_ten_co_quan: bool,
    /// Words that begin the name of a body after a signer's title ("PHÓ BÍ THƯ ĐẢNG UỶ XÃ …").
    pub dau_ten_co_quan: &'static [&'static str],
    /// Honorifics and military ranks before the name are against the rule text (Party), not only
    /// against practice (ND 30 names only degrees and academic titles, and lets the armed forces
    /// keep their own rules).
    pub cam_danh_xung: bool,
}

/// Everything that differs between regimes.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Profile {
    #[serde(skip)]
    pub regime: Regime,
    /// The value of `the_thuc` that names it.
    pub code: &'static str,
    pub family: Family,
    /// The rule text this profile follows.
    pub ten: &'static str,
    /// The starter plan `kehoach new` prints for this regime.
    #[serde(skip)]
    pub starter: &'static str,
    pub page: PageSetup,
    /// The page number's style.
    pub page_number_style: &'static str,
    /// Named paragraph styles in layers; the templates refer to them by name and the first layer
    /// that has a name wins (a profile that differs from another in a few styles lists only those).
    #[serde(skip)]
    pub styles: &'static [&'static [(&'static str, ParaStyle)]],
    /// Named table layouts; the templates refer to them by name.
    #[serde(skip)]
    pub tables: &'static [(&'static str, TableLayout)],
    /// The top-right lines (quốc hiệu + tiêu ngữ, or ĐẢNG CỘNG SẢN VIỆT NAM).
    pub quoc_hieu: &'static [StyledLine],
    /// Typed under the issuing body's name (Party: "*"); ND 30 draws a line instead (a style rule).
    pub duoi_co_quan: Option<&'static str>,
    /// Typed under the trích yếu (Party: "-----"); ND 30 draws a line instead.
    pub duoi_trich_yeu: Option<&'static str>,
    pub so: SoFormat,
    pub can_cu: ListPunct,
    /// The style of căn cứ lines ("can_cu").
    pub can_cu_style: &'static str,
    pub numbering: Numbering,
    /// Appended to the last paragraph of the body ("./." or ".").
    pub ket_thuc: &'static str,
    pub noi_nhan: NoiNhanFormat,
    pub quyen_han: QuyenHanFormat,
    pub stamps: Stamps,
    /// How a phụ lục is headed and numbered.
    pub phu_luc: PhuLucFormat,
    /// What the checker needs (clauses, the regime's own forms of hand-typed fields).
    #[serde(skip)]
    pub checks: CheckData,
}

impl Profile {
    /// The profile of regime `r`.
    pub fn for_regime(r: Regime) -> &'static Profile {
        r.profile()
    }

    /// Every regime's profile.
    pub fn all() -> impl Iterator<Item = &'static Profile> {
        Regime::ALL.into_iter().map(Regime::profile)
    }

    pub fn style(&self, name: &str) -> Option<&ParaStyle> {
        self.styles.iter().flat_map(|layer| layer.iter()).find(|(n, _)| *n == name).map(|(_, s)| s)
    }

    pub fn table(&self, name: &str) -> Option<&TableLayout> {
        self.tables.iter().find(|(n, _)| *n == name).map(|(_, t)| t)
    }
}

/// A4 portrait, margins 20/20/30/15 mm, page number 10 mm from the top edge: ND 30's most common
/// choice inside its ranges, and HD 05's fixed values (which also mirror them on back pages).
pub const A4: PageSetup = PageSetup {
    width: mm(210),
    height: mm(297),
    top: mm(20),
    bottom: mm(20),
    left: mm(30),
    right: mm(15),
    mirror: false,
    header: mm(10),
    footer: mm(10),
};

/// A group of recipients: the names, then the shared note; the brace stands right after the
/// longest name.
pub const NHOM_NOI_NHAN: TableLayout =
    TableLayout { fit: true, ..TableLayout::new(&[Width::Share(0.75), Width::Share(0.25)], 0) };

/// The task table: STT | Nội dung | Chủ trì | Phối hợp | Thời gian | Sản phẩm.
pub const NHIEM_VU: TableLayout = TableLayout::new(
    &[Width::Share(0.08), Width::Share(0.32), Width::Share(0.15), Width::Share(0.17), Width::Share(0.13), Width::Share(0.15)],
    0,
);

/// The style names every profile must define, because the built-in templates and the engine use them.
#[cfg(test)]
pub const REQUIRED_STYLES: &[&str] = &[
    "normal",
    "co_quan_chu_quan",
    "co_quan_ban_hanh",
    "duoi_co_quan",
    "so_ky_hieu",
    "dia_danh_ngay",
    "du_thao",
    "dau_khan",
    "dau_mat",
    "pham_vi_luu_hanh",
    "ten_loai",
    "trich_yeu",
    "duoi_trich_yeu",
    "can_cu",
    "body",
    "muc",
    "khoan",
    "tiet",
    "diem",
    "bang_tieu_de",
    "bang",
    "noi_nhan_nhan",
    "noi_nhan",
    "ky_hieu_soan_thao",
    "quyen_han",
    "chuc_vu",
    "ho_ten",
    "chuc_danh_duoi_ten",
    "so_trang",
];

#[cfg(test)]
pub const REQUIRED_TABLES: &[&str] = &["dau", "chu_ky", "nhom_noi_nhan", "nhiem_vu"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_profile_defines_what_templates_use() {
        for r in Regime::ALL {
            let p = Profile::for_regime(r);
            for s in REQUIRED_STYLES {
                assert!(p.style(s).is_some(), "{:?} lacks style {s}", r);
            }
            for t in REQUIRED_TABLES {
                assert!(p.table(t).is_some(), "{:?} lacks table {t}", r);
            }
            for l in p.quoc_hieu {
                assert!(p.style(l.style).is_some(), "{:?} lacks style {}", r, l.style);
            }
            assert!(p.style(p.page_number_style).is_some());
            assert_eq!(p.regime, r);
        }
    }
}
