//! The recogniser: a sequence of source paragraphs (and tables) → a plan, with the review list.
//!
//! The source is cut into four parts by landmarks every KẾ HOẠCH has: the header (everything before
//! the tên loại "KẾ HOẠCH"), the title (tên loại and trích yếu), the body (up to "Nơi nhận:"), and
//! the tail (nơi nhận and the signature). Each part is then read by the forms the rules of thể thức
//! give it (the-thuc.md): "Số: 06/KH-UBND" or "Số 75-KH/ĐUK", "…, ngày 20 tháng 01 năm 2022",
//! "Căn cứ …;", labels I. / 1. / 1.1. / a) / (1) / - / + / * / •, "Chủ trì: …", "- Lưu: VT, VP.",
//! "TM. ỦY BAN NHÂN DÂN". Styles kehoach gave its own paragraphs ("KH muc", "KH quyen_han"…) are
//! taken as the strongest hint; bold, italics, centring and table columns come next; the text's
//! own forms last, so a plan typed in Word by anyone, or pasted as plain text, reads as well.
//!
//! Where the source breaks a rule, the intent is kept, the correct form written, and the change
//! listed. Where the source lacks a required field, a visible placeholder in square brackets is
//! written (so the plan loads and renders) and listed.

use super::out::*;
use super::para::{Align, Block, NumFmt, Para, Table};
use super::review::{Loai, Nguon, Note, excerpt};
use crate::plan::model::Kieu;
use crate::regime::rules::text::{fold, letters_key};
use crate::regime::vn;
use regex::Regex;
use std::sync::LazyLock;

macro_rules! re {
    ($name:ident, $pat:expr) => {
        static $name: LazyLock<Regex> = LazyLock::new(|| Regex::new($pat).expect("valid pattern"));
    };
}

re!(RE_SO, r"^(?:Số|SỐ|số)\s*(:?)\s*(\d*)[\s.…_]*([/\-–—])\s*(\S.*?)\s*$");
re!(RE_NGAY, r"(?i)^(.*?)[,\s]*ngày\s*(\d{1,2})?[\s.…_]*tháng\s*(\d{1,2})?[\s.…_]*năm\s*(\d{4})\s*\.?$");
re!(RE_MUC, r"^([IVXLC]{1,7})\s*([.\-–])\s*(\S.*)$");
re!(RE_TIET, r"^(\d{1,2}(?:\.\d{1,2}){1,3})\s*([.\-–])?\s+(\S.*)$");
re!(RE_KHOAN, r"^(\d{1,2})\s*([.\-–])(\s*)(\S.*)$");
re!(RE_DIEM, r"^([a-zđ])\s*\)\s*(\S.*)$");
re!(RE_DIEM_DOT, r"^([a-zđ])\.\s+(\S.*)$");
re!(RE_NGOAC, r"^\((\d{1,2})\)\s*(\S.*)$");
re!(RE_BULLET, r"^([-–—−+•●▪◦·]|\*\s)\s*([^-–—−\s].*)$");
re!(
    RE_TASK,
    r"(?i)^(?:([-–+•*])\s*)?(chủ trì|cơ quan chủ trì|đơn vị chủ trì|chịu trách nhiệm thực hiện|chịu trách nhiệm chính|đơn vị thực hiện|cơ quan thực hiện|phối hợp|cơ quan phối hợp|đơn vị phối hợp|chịu trách nhiệm tham mưu|tham mưu|thời gian thực hiện|thời gian hoàn thành|thời gian|thời hạn hoàn thành|thời hạn|sản phẩm đầu ra|sản phẩm|kết quả)\s*:\s*(\S.*)$"
);
re!(RE_QUYEN_HAN, r"^(TM\.?|T/M|T\.M\.?|KT\.?|K/T|K\.T\.?|TL\.?|T/L|T\.L\.?|TUQ\.?|T/UQ|Q\.)\s+(\S.*)$");
re!(RE_LUU, r"^(?:Lưu|LƯU|lưu)\s*(:?)\s*(.*?)\s*$");
re!(RE_SUBJECT, r"(?:^|[.;,]\s+)(\p{Lu}[^.;,:]{3,160}?)\s+(?:ban hành|xây dựng|triển khai|đề ra)\s+(?:[Kk]ế hoạch)");
re!(RE_GAP, r" {3,}");
re!(RE_BLANKS, r"(?i)ngày[\s.…_\d]*tháng[\s.…_\d]*năm|^(?:Số|SỐ)\s*:?[\s.…_\d]*[/\-]");
re!(RE_SO_ALONE, r"^(?:Số|SỐ|số)\s*:?[\s.…_]*$");
re!(RE_YEAR, r"\b(19[4-9]\d|20\d\d)\b");
re!(RE_PHU_LUC, r"^(?i:phụ lục)(?:\s+(?:[IVXLC]{1,6}|\d{1,2}))?\s*[.:]?$");
re!(RE_DEGREE, r"^(?:(?:GS|PGS|TS|ThS|TSKH|BS|CN|KS|Ths|Ts)\.?\s*)+|^(?:Đồng chí|đồng chí|Đ/c|đ/c|Ông|Bà)\s+");

/// What the source is, for the words of the notes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Docx,
    Text,
}

/// A label at the start of a paragraph, typed or from Word's numbering.
#[derive(Clone, Debug)]
struct Label {
    kind: Kieu,
    /// As the source prints it ("II.", "1-", "4.1-", "a)", "-").
    text: String,
    /// The form the engine prints for it, where the source's form is a mistake to correct
    /// (Word's "e)" for the fifth điểm; "a." for "a)").
    corrected: Option<String>,
    /// The number: the Roman or Arabic value, the letter's place, the last part of "1.2.".
    number: u32,
    /// The mark after mục and khoản numbers.
    dau: Option<char>,
    /// From Word's automatic numbering.
    auto: bool,
    /// The kind the label's own form says ("2." is a khoản's form even where a style makes the
    /// item a tiết).
    form: Kieu,
}

/// A body node being built.
#[derive(Clone, Debug)]
struct N {
    kind: Kieu,
    label: Option<Label>,
    tieu_de: Option<String>,
    van_ban: Vec<String>,
    nhiem_vu: NhiemVuOut,
    bang: Option<&'static str>,
    children: Vec<usize>,
    src: usize,
    /// The source paragraph of the node's last text.
    last_src: usize,
    text: String,
    /// The task lines' labels as typed, by field, and their marks.
    task_labels: Vec<(&'static str, String, Option<String>)>,
    /// Labels renamed on this item (written as its nhan_nhiem_vu).
    nhan: NhiemVuOut,
}

pub(crate) struct Recogniser<'a> {
    kind: Kind,
    paras: Vec<(usize, &'a Para)>,
    blocks: &'a [Block],
    notes: Vec<Note>,
    /// Notes on body nodes, resolved to JSON paths when the tree is done: (node, field, note).
    node_notes: std::collections::HashMap<usize, Vec<(String, Note)>>,
    nodes: Vec<N>,
    /// Source paragraph number → paragraph.
    by_n: std::collections::HashMap<usize, &'a Para>,
    roots: Vec<usize>,
    can_cu: Vec<String>,
    can_cu_src: Vec<CanCuSrc>,
    mo_dau: Vec<String>,
    /// Paragraphs of a body without any label, after the opening.
    loose: Vec<String>,
    ket: Vec<String>,
    ket_src: Option<usize>,
    /// Where each source paragraph went, for notes that name a paragraph before its JSON path is
    /// known (a line mended from two): (node or top-level field, field within the node, index).
    dest: std::collections::HashMap<usize, Dest>,
    /// The JSON path of each body node, once the tree is written out.
    node_paths: std::collections::HashMap<usize, String>,
    /// Notes on a source paragraph, given their JSON path at the end.
    para_notes: Vec<(usize, Note)>,
    /// The paragraphs (indices into `paras`) that head a phụ lục after the signature.
    phu_luc_at: Vec<usize>,
    /// Reading a phụ lục's body: paragraphs before any label are its own items.
    in_phu_luc: bool,
    /// A DOCX's mirrored margins (`w:mirrorMargins` in its settings); unknown for text.
    pub(crate) mirror: Option<bool>,
}

/// Where a source paragraph went.
#[derive(Clone, Debug)]
enum Dest {
    /// A body node's heading, one of its paragraphs, or a task field.
    Node(usize, &'static str, usize),
    /// A top-level lines field (`mo_dau`, `can_cu`, `ket_thuc`) and the index in it.
    Top(&'static str, usize),
}

fn note(loai: Loai, truong: impl Into<String>, thong_bao: impl Into<String>) -> Note {
    Note { loai, truong: truong.into(), thong_bao: thong_bao.into(), nguon: None }
}

/// Whitespace collapsed to single spaces.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of `p` as one line, marks removed.
fn line(p: &Para) -> String {
    squash(&p.plain)
}

fn is_upper(s: &str) -> bool {
    s.chars().any(|c| c.is_alphabetic()) && !s.chars().any(|c| c.is_lowercase())
}

/// A line of only separator characters: the Party "*", "-----", "___".
fn is_separator(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.chars().all(|c| matches!(c, '*' | '-' | '_' | '–' | '—' | '=' | '~' | '.' | ' ' | '\t'))
}

/// The inside of `s` when all of it is wrapped in one pair of `**` or `*`.
fn unwrap_whole(s: &str) -> String {
    for m in ["***", "**", "*"] {
        if let Some(inner) = s.strip_prefix(m).and_then(|x| x.strip_suffix(m))
            && !inner.contains('*')
            && !inner.is_empty()
        {
            return inner.to_string();
        }
    }
    s.to_string()
}

/// Re-marks spans of the engine's inline parser, dropping the first `skip` characters of text.
fn remark_from(text: &str, plain: &str, skip: usize) -> String {
    // The usual case: the label stands outside any emphasis, at the very start of the text.
    let head: String = plain.chars().take(skip).collect();
    if text.starts_with(&head) {
        return text.chars().skip(skip).collect::<String>().trim_start().to_string();
    }
    let spans = crate::compose::inline::parse(text);
    let mut left = skip;
    let mut out = String::new();
    for sp in spans {
        let n = sp.text.chars().count();
        let t: String = if left >= n {
            left -= n;
            continue;
        } else {
            let t = sp.text.chars().skip(left).collect();
            left = 0;
            t
        };
        let m = match (sp.bold, sp.italic) {
            (true, true) => "***",
            (true, false) => "**",
            (false, true) => "*",
            _ => "",
        };
        if m.is_empty() || t.trim().is_empty() {
            out.push_str(&t);
        } else {
            let lead = &t[..t.len() - t.trim_start().len()];
            let trail = &t[t.trim_end().len()..];
            out.push_str(lead);
            out.push_str(m);
            out.push_str(t.trim());
            out.push_str(m);
            out.push_str(trail);
        }
    }
    out.trim_start().to_string()
}

fn roman_value(s: &str) -> Option<u32> {
    (1..=60).find(|&n| vn::roman(n) == s)
}

fn diem_index(s: &str) -> Option<u32> {
    (1..=23).find(|&n| vn::diem_letter(n) == s)
}

fn kieu_code(k: Kieu) -> &'static str {
    match k {
        Kieu::Muc => "muc",
        Kieu::Khoan => "khoan",
        Kieu::Tiet => "tiet",
        Kieu::Diem => "diem",
        Kieu::Ngoac => "ngoac",
        Kieu::Gach => "gach",
        Kieu::Cong => "cong",
        Kieu::Sao => "sao",
        Kieu::Cham => "cham",
        Kieu::Doan => "doan",
    }
}

/// How deep a kind sits among the numbered kinds; bullets nest under whatever is open.
fn rank(k: Kieu) -> Option<u8> {
    match k {
        Kieu::Muc => Some(0),
        Kieu::Khoan => Some(1),
        Kieu::Tiet => Some(2),
        Kieu::Diem => Some(3),
        Kieu::Ngoac => Some(4),
        _ => None,
    }
}

/// The label typed at the start of `s`, with the length (in characters) of the label and the
/// space after it.
fn typed_label(s: &str) -> Option<(Label, usize)> {
    let consumed = |whole: &str, rest: &str| whole.chars().count() - rest.chars().count();
    if let Some(c) = RE_MUC.captures(s)
        && let Some(n) = roman_value(&c[1])
    {
        let dau = c[2].chars().next().map(|d| if d == '–' { '-' } else { d });
        let rest = c.get(3).unwrap().as_str();
        return Some((
            Label { kind: Kieu::Muc, text: format!("{}{}", &c[1], dau.unwrap()), corrected: None, number: n, dau, auto: false, form: Kieu::Muc },
            consumed(s, rest),
        ));
    }
    if let Some(c) = RE_TIET.captures(s) {
        let parts = &c[1];
        let n: u32 = parts.rsplit('.').next().and_then(|x| x.parse().ok()).unwrap_or(1);
        let dau = c.get(2).and_then(|m| m.as_str().chars().next()).map(|d| if d == '–' { '-' } else { d });
        let text = format!("{parts}{}", dau.map(String::from).unwrap_or_default());
        let rest = c.get(3).unwrap().as_str();
        return Some((Label { kind: Kieu::Tiet, text, corrected: None, number: n, dau, auto: false, form: Kieu::Tiet }, consumed(s, rest)));
    }
    if let Some(c) = RE_KHOAN.captures(s) {
        let rest = c.get(4).unwrap().as_str();
        // "1.000 người", "12/2022": a number, not a label.
        if !(c[3].is_empty() && rest.starts_with(|ch: char| ch.is_ascii_digit())) {
            let dau = c[2].chars().next().map(|d| if d == '–' { '-' } else { d });
            let n: u32 = c[1].parse().unwrap_or(1);
            return Some((
                Label { kind: Kieu::Khoan, text: format!("{n}{}", dau.unwrap()), corrected: None, number: n, dau, auto: false, form: Kieu::Khoan },
                consumed(s, rest),
            ));
        }
    }
    if let Some(c) = RE_DIEM.captures(s)
        && let Some(n) = diem_index(&c[1])
    {
        let rest = c.get(2).unwrap().as_str();
        return Some((
            Label { kind: Kieu::Diem, text: format!("{})", &c[1]), corrected: None, number: n, dau: None, auto: false, form: Kieu::Diem },
            consumed(s, rest),
        ));
    }
    if let Some(c) = RE_DIEM_DOT.captures(s)
        && let Some(n) = diem_index(&c[1])
    {
        let rest = c.get(2).unwrap().as_str();
        let text = format!("{}.", &c[1]);
        return Some((
            Label { kind: Kieu::Diem, corrected: Some(format!("{})", &c[1])), text, number: n, dau: None, auto: false, form: Kieu::Diem },
            consumed(s, rest),
        ));
    }
    if let Some(c) = RE_NGOAC.captures(s) {
        let rest = c.get(2).unwrap().as_str();
        let n: u32 = c[1].parse().unwrap_or(1);
        return Some((
            Label { kind: Kieu::Ngoac, text: format!("({n})"), corrected: None, number: n, dau: None, auto: false, form: Kieu::Ngoac },
            consumed(s, rest),
        ));
    }
    if let Some(c) = RE_BULLET.captures(s) {
        let m = c[1].trim();
        let kind = match m {
            "+" => Kieu::Cong,
            "*" => Kieu::Sao,
            "•" | "●" | "▪" | "◦" | "·" => Kieu::Cham,
            _ => Kieu::Gach,
        };
        let rest = c.get(2).unwrap().as_str();
        let text = match kind {
            Kieu::Gach => "-",
            Kieu::Cong => "+",
            Kieu::Sao => "*",
            _ => "•",
        };
        return Some((Label { kind, text: text.into(), corrected: None, number: 0, dau: None, auto: false, form: kind }, consumed(s, rest)));
    }
    None
}

/// A label from Word's numbering: its kind from the level's format and text.
fn auto_label(a: &super::para::AutoLabel) -> Option<Label> {
    let t = a.text.trim();
    if a.fmt == NumFmt::Bullet {
        let kind = match t {
            "-" => Kieu::Gach,
            "+" => Kieu::Cong,
            "*" => Kieu::Sao,
            _ => Kieu::Cham,
        };
        return Some(Label { kind, text: t.into(), corrected: None, number: 0, dau: None, auto: true, form: kind });
    }
    if matches!(a.fmt, NumFmt::LowerLetter | NumFmt::UpperLetter) {
        let mut l = Label { kind: Kieu::Diem, text: t.to_string(), corrected: None, number: 1, dau: None, auto: true, form: Kieu::Diem };
        // Word counts a, b, c, d, e …; Vietnamese điểm go a, b, c, d, đ, e … (no f, j, w, z).
        let letter: String = t.chars().take_while(|c| c.is_alphabetic()).collect::<String>().to_lowercase();
        let n = letter.chars().next().map(|c| (c as u32).saturating_sub('a' as u32) + 1).unwrap_or(1);
        l.kind = Kieu::Diem;
        l.number = n;
        let want = format!("{})", vn::diem_letter(n));
        if l.text != want {
            l.corrected = Some(want);
        }
        return Some(l);
    }
    let mut l = typed_label(&format!("{t} x"))?.0;
    l.auto = true;
    Some(l)
}

/// Mục titles kept in their own case (not all in capitals where they have letters): the plan's
/// `in_hoa_tieu_de: false` when most are, and the others marked on their mục.
fn title_case(out: &mut PlanOut) {
    let titled: Vec<(usize, bool)> = out
        .noi_dung
        .iter()
        .enumerate()
        .filter(|(_, n)| n.kieu == "muc")
        .filter_map(|(i, n)| n.tieu_de.as_deref().filter(|t| t.chars().any(char::is_alphabetic)).map(|t| (i, is_upper(t))))
        .collect();
    let own = titled.iter().filter(|t| !t.1).count();
    if own == 0 {
        return;
    }
    let plan_upper = own * 2 < titled.len();
    if !plan_upper {
        out.in_hoa_tieu_de = Some(false);
    }
    for (i, upper) in titled {
        if upper != plan_upper {
            out.noi_dung[i].in_hoa_tieu_de = Some(upper);
        }
    }
}

/// A task line ("* Chủ trì: …") as typed: its field, its text, its label and the mark before it.
struct TaskLine {
    field: &'static str,
    value: String,
    label: String,
    mark: Option<String>,
}

/// The engine's label of each task field (src/compose/view.rs).
fn default_task_label(field: &str) -> &'static str {
    match field {
        "chu_tri" => "Chủ trì",
        "phoi_hop" => "Phối hợp",
        "tham_muu" => "Chịu trách nhiệm tham mưu",
        "thoi_gian" => "Thời gian thực hiện",
        _ => "Sản phẩm",
    }
}

fn task_slot<'x>(nv: &'x mut NhiemVuOut, f: &str) -> &'x mut Option<String> {
    match f {
        "chu_tri" => &mut nv.chu_tri,
        "phoi_hop" => &mut nv.phoi_hop,
        "tham_muu" => &mut nv.tham_muu,
        "thoi_gian" => &mut nv.thoi_gian,
        _ => &mut nv.san_pham,
    }
}

fn task_line_full(s: &str) -> Option<TaskLine> {
    let plain = squash(&super::para::strip_marks(s));
    let c = RE_TASK.captures(&plain)?;
    let key = c[2].to_lowercase();
    let field = if key.contains("tham mưu") {
        "tham_muu"
    } else if key.contains("chủ trì") || key.contains("thực hiện") && !key.contains("thời") || key.contains("trách nhiệm chính") {
        "chu_tri"
    } else if key.contains("phối hợp") {
        "phoi_hop"
    } else if key.contains("thời") {
        "thoi_gian"
    } else {
        "san_pham"
    };
    // A long sentence that happens to begin "Phối hợp: …" is text, not a task field.
    if c[3].split_whitespace().count() > 60 {
        return None;
    }
    Some(TaskLine {
        field,
        value: vn::strip_end_punct(&c[3]).to_string(),
        label: c[2].to_string(),
        mark: c.get(1).map(|m| m.as_str().to_string()),
    })
}

/// A căn cứ as the source has it: its last character as typed, its paragraph, italic throughout,
/// its kehoach style, a dash typed in front.
type CanCuSrc = (Option<char>, usize, bool, Option<String>, bool);

/// What a part of the source says about the regime.
#[derive(Default)]
struct RegimeHints {
    /// Where a top-right line of a state regime (quốc hiệu, tiêu ngữ) was seen.
    quoc_hieu: Option<usize>,
    /// Where a top-right line of a Party regime (ĐẢNG CỘNG SẢN VIỆT NAM) was seen.
    dang: Option<usize>,
    /// Counted signs, state minus Party: the số form, the lưu line, "./.", signing forms.
    score: i32,
}

/// The header as read.
#[derive(Default)]
struct Head {
    chu_quan: Vec<(String, usize)>,
    ban_hanh: Vec<(String, usize)>,
    so: Option<u32>,
    ky_hieu: Option<(String, usize)>,
    so_colon: Option<bool>,
    so_sep: Option<char>,
    dia_danh: Option<(String, usize)>,
    ngay: Option<(String, usize)>,
    do_mat: Option<&'static str>,
    do_khan: Option<&'static str>,
    du_thao: Option<String>,
    pham_vi: Option<String>,
}

/// The tail as read.
#[derive(Default)]
struct Tail {
    noi_nhan_seen: bool,
    muc: Vec<NoiNhanMucOut>,
    luu: Option<(String, bool, usize)>,
    separators: Vec<char>,
    ky_hieu_soan_thao: Option<String>,
    /// (loai, ten, source paragraph, the prefix as typed)
    quyen_han: Vec<(String, String, usize, String)>,
    chuc_vu: Vec<String>,
    ho_ten: Option<(String, usize)>,
    duoi_ten: Vec<String>,
}

impl<'a> Recogniser<'a> {
    pub(crate) fn new(kind: Kind, blocks: &'a [Block]) -> Recogniser<'a> {
        // Each paragraph with the index of the top-level block it belongs to.
        let mut paras = Vec::new();
        for (i, b) in blocks.iter().enumerate() {
            match b {
                Block::P(p) => paras.push((i, p)),
                Block::Table(_) => {
                    for p in super::para::flatten(std::slice::from_ref(b)) {
                        paras.push((i, p));
                    }
                }
            }
        }
        let by_n = paras.iter().map(|(_, p)| (p.n, *p)).collect();
        Recogniser {
            kind,
            paras,
            blocks,
            notes: Vec::new(),
            node_notes: Default::default(),
            by_n,
            nodes: Vec::new(),
            roots: Vec::new(),
            can_cu: Vec::new(),
            can_cu_src: Vec::new(),
            mo_dau: Vec::new(),
            loose: Vec::new(),
            ket: Vec::new(),
            ket_src: None,
            dest: Default::default(),
            node_paths: Default::default(),
            para_notes: Vec::new(),
            phu_luc_at: Vec::new(),
            in_phu_luc: false,
            mirror: None,
        }
    }

    fn src(&self, p: &Para) -> Nguon {
        let don_vi = match self.kind {
            Kind::Docx => "đoạn",
            Kind::Text => "dòng",
        };
        Nguon { don_vi, so: p.n, trich: excerpt(&p.plain) }
    }

    fn add(&mut self, loai: Loai, truong: impl Into<String>, thong_bao: impl Into<String>, p: Option<&Para>) {
        let mut n = note(loai, truong, thong_bao);
        n.nguon = p.map(|p| self.src(p));
        self.notes.push(n);
    }

    fn para_by_n(&self, n: usize) -> Option<&'a Para> {
        self.by_n.get(&n).copied()
    }

    pub(crate) fn run(mut self, mended: &[(usize, String)]) -> (PlanOut, Vec<Note>) {
        for (n, what) in mended {
            let nguon = self.para_by_n(*n).map(|p| self.src(p));
            let note = Note { loai: Loai::Doan, truong: String::new(), thong_bao: format!("{what}; hãy xem lại chỗ nối"), nguon };
            self.para_notes.push((*n, note));
        }
        let mut total = self.paras.len();
        // Phụ lục after the signature: the plan ends at the first "Phụ lục I" heading; each phụ lục
        // is read on its own at the end.
        let nhan_at = self.paras.iter().position(|(_, p)| p.style_is("noi_nhan_nhan") || letters_key(&line(p)).starts_with("NƠI NHẬN"));
        if let Some(from) = nhan_at {
            let heads: Vec<usize> = (from + 1..total)
                .filter(|&i| {
                    let p = self.paras[i].1;
                    p.cell.is_none() && (p.style_is("phu_luc_so") || (p.kh_style.is_none() && RE_PHU_LUC.is_match(line(p).trim())))
                })
                .collect();
            if let Some(&first) = heads.first() {
                total = first;
                self.phu_luc_at = heads;
            }
        }
        let ten_loai_at = self.paras.iter().position(|(_, p)| {
            p.style_is("ten_loai") || {
                let k = letters_key(&line(p));
                let want = letters_key("KẾ HOẠCH");
                k == want || (k.starts_with(&format!("{want} ")) && line(p).starts_with("KẾ HOẠCH"))
            }
        });
        let mut hints = RegimeHints::default();
        let (head, title_end, ten_loai, trich_yeu) = match ten_loai_at {
            Some(t) => {
                let head = self.header(0..t, &mut hints);
                let (end, ten, ty) = self.title(t);
                (head, end, ten, ty)
            }
            None => {
                // No tên loại: the header ends at the first line that reads as body text.
                let start = self.paras.iter().position(|(_, p)| self.is_body_start(p)).unwrap_or(0);
                let head = self.header(0..start, &mut hints);
                self.add(Loai::Thieu, "ten_loai", "không thấy dòng tên loại “KẾ HOẠCH”; đã ghi tên loại mặc định", None);
                (head, start, None, None)
            }
        };
        let tail_at = self.tail_start(title_end).filter(|&t| t < total).unwrap_or(total);
        let tail = self.tail(tail_at..total, &mut hints);
        self.body(title_end..tail_at, &mut hints);
        self.assemble(head, ten_loai, trich_yeu, tail, hints)
    }

    fn is_body_start(&self, p: &Para) -> bool {
        let l = line(p);
        l.starts_with("Căn cứ")
            || l.starts_with("Thực hiện")
            || l.starts_with("- Căn cứ")
            || typed_label(&l).is_some_and(|(l, _)| l.kind == Kieu::Muc)
    }

    // ----- header -----

    fn header(&mut self, range: std::ops::Range<usize>, hints: &mut RegimeHints) -> Head {
        let mut h = Head::default();
        let mut candidates: Vec<(String, &'a Para, bool, Option<&'static str>)> = Vec::new();
        let items: Vec<(usize, &'a Para)> = self.paras[range].to_vec();
        for (_, p) in items {
            let cols = p.cell.map(|c| c.ncols).unwrap_or(1);
            let right_cell = p.cell.is_some_and(|c| c.ncols >= 2 && c.col + 1 == c.ncols);
            for piece in p.plain.split('\n') {
                // Columns: tabs, or the wide gaps of a text taken from a PDF.
                // The blanks of "ngày      tháng      năm" and "Số:      /KH-…" are not gaps.
                let piece = RE_BLANKS.replace_all(piece, |c: &regex::Captures| squash(&c[0]));
                let piece = RE_GAP.replace_all(&piece, "\t");
                let mut parts: Vec<String> = Vec::new();
                for x in piece.split('\t').map(|x| x.trim().to_string()) {
                    // "Số:      /KH-UBND": the blank for the number is not a column gap.
                    match parts.last_mut() {
                        Some(last) if RE_SO_ALONE.is_match(last) => {
                            last.push(' ');
                            last.push_str(&x);
                        }
                        _ => parts.push(x),
                    }
                }
                let parts: Vec<String> = parts.iter().flat_map(|x| split_merged(x)).collect();
                let parts: Vec<&str> = parts.iter().map(|x| x.as_str()).collect();
                let nonempty: Vec<(usize, &str)> =
                    parts.iter().enumerate().filter(|(_, s)| !s.is_empty()).map(|(i, s)| (i, *s)).collect();
                for (k, (pos, t)) in nonempty.iter().enumerate() {
                    // Tabs put the right-hand column after the left one; a line that starts with
                    // tabs is the right column alone.
                    let right = right_cell
                        || (cols == 1
                            && ((nonempty.len() >= 2 && k + 1 == nonempty.len()) || (nonempty.len() == 1 && *pos >= 2)));
                    let t = squash(t);
                    self.head_item(&t, p, right, &mut h, hints, &mut candidates);
                }
            }
        }
        self.agencies(candidates, &mut h);
        h
    }

    fn head_item(
        &mut self,
        t: &str,
        p: &'a Para,
        right: bool,
        h: &mut Head,
        hints: &mut RegimeHints,
        candidates: &mut Vec<(String, &'a Para, bool, Option<&'static str>)>,
    ) {
        let key = letters_key(t);
        // The regimes' own top-right lines, which the engine prints by itself.
        match title_family(t) {
            Some(Family::State) => {
                hints.quoc_hieu.get_or_insert(p.n);
                return;
            }
            Some(Family::Party) => {
                hints.dang.get_or_insert(p.n);
                return;
            }
            None => {}
        }
        if is_separator(t) {
            return;
        }
        if let Some(c) = RE_SO.captures(t)
            && c[4].contains(|ch: char| ch.is_alphabetic())
        {
            h.so_colon = Some(!c[1].is_empty());
            h.so_sep = c[3].chars().next();
            h.so = c[2].parse().ok();
            h.ky_hieu = Some((c[4].to_string(), p.n));
            return;
        }
        if let Some(c) = RE_NGAY.captures(t) {
            let place = c[1].trim().trim_end_matches(',').trim().to_string();
            let y = &c[4];
            let d = match (c.get(3), c.get(2)) {
                (Some(m), Some(d)) => format!("{y}-{:0>2}-{:0>2}", m.as_str(), d.as_str()),
                (Some(m), None) => format!("{y}-{:0>2}", m.as_str()),
                _ => y.to_string(),
            };
            if !place.is_empty() {
                h.dia_danh = Some((place, p.n));
            }
            if c.get(2).is_some_and(|d| d.as_str().len() == 1 && d.as_str() != "0")
                || c.get(3).is_some_and(|m| m.as_str().len() == 1 && m.as_str().parse::<u32>().is_ok_and(|m| m < 3))
            {
                self.add(
                    Loai::DaSua,
                    "ngay",
                    "ngày dưới 10 và tháng 1, 2 phải có số 0 phía trước (ví dụ “ngày 05 tháng 02”); chương trình tự in đúng",
                    Some(p),
                );
            }
            h.ngay = Some((d, p.n));
            return;
        }
        match key.as_str() {
            "MẬT" => h.do_mat = Some("mat"),
            "TỐI MẬT" => h.do_mat = Some("toi_mat"),
            "TUYỆT MẬT" => h.do_mat = Some("tuyet_mat"),
            "KHẨN" => h.do_khan = Some("khan"),
            "THƯỢNG KHẨN" => h.do_khan = Some("thuong_khan"),
            "HỎA TỐC" => h.do_khan = Some("hoa_toc"),
            _ => {
                if key.starts_with("DỰ THẢO") || p.style_is("du_thao") {
                    h.du_thao = Some(t.to_string());
                } else if p.style_is("pham_vi_luu_hanh")
                    || ["LƯU HÀNH NỘI BỘ", "XEM XONG TRẢ LẠI", "TÀI LIỆU HỘI NGHỊ", "KHÔNG PHỔ BIẾN"].contains(&key.as_str())
                {
                    h.pham_vi = Some(t.to_string());
                } else if p.style_is("co_quan_chu_quan") {
                    candidates.push((t.to_string(), p, p.bold, Some("chu_quan")));
                } else if p.style_is("co_quan_ban_hanh") {
                    candidates.push((t.to_string(), p, p.bold, Some("ban_hanh")));
                } else if right {
                    self.add(
                        Loai::BoQua,
                        "",
                        "dòng này ở phần đầu, bên phải, không phải quốc hiệu, tiêu ngữ hay ngày tháng; chưa đưa vào kế hoạch",
                        Some(p),
                    );
                } else {
                    candidates.push((t.to_string(), p, p.bold, None));
                }
            }
        }
    }

    /// Splits the agency lines into cơ quan chủ quản and cơ quan ban hành.
    fn agencies(&mut self, c: Vec<(String, &'a Para, bool, Option<&'static str>)>, h: &mut Head) {
        if c.is_empty() {
            return;
        }
        if c.iter().any(|x| x.3.is_some()) {
            for (t, p, _, which) in c {
                match which {
                    Some("chu_quan") => h.chu_quan.push((t, p.n)),
                    _ => h.ban_hanh.push((t, p.n)),
                }
            }
            return;
        }
        let any_bold = c.iter().any(|x| x.2);
        let all_bold = c.iter().all(|x| x.2);
        if any_bold && !all_bold {
            let first_bold = c.iter().position(|x| x.2).unwrap_or(0);
            for (i, (t, p, _, _)) in c.into_iter().enumerate() {
                if i < first_bold { h.chu_quan.push((t, p.n)) } else { h.ban_hanh.push((t, p.n)) }
            }
            return;
        }
        // No formatting to go by: a first line that names a kind of body without its place
        // ("ỦY BAN NHÂN DÂN", "ĐẢNG ỦY") begins the issuing body; otherwise the first line is the
        // superior body.
        const GENERIC: &[&str] =
            &["ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "ĐẢNG ỦY", "BAN THƯỜNG VỤ", "BAN CHẤP HÀNH", "CHI BỘ", "THƯỜNG TRỰC"];
        let first = letters_key(&c[0].0);
        let split = if c.len() >= 2 && !GENERIC.contains(&first.as_str()) { 1 } else { 0 };
        let first_para = c[0].1;
        for (i, (t, p, _, _)) in c.into_iter().enumerate() {
            if i < split { h.chu_quan.push((t, p.n)) } else { h.ban_hanh.push((t, p.n)) }
        }
        if split == 1 {
            self.add(
                Loai::Doan,
                "co_quan_chu_quan",
                "dòng đầu của phần tên cơ quan được hiểu là cơ quan chủ quản, các dòng sau là cơ quan ban hành",
                Some(first_para),
            );
        }
    }

    // ----- title -----

    /// The tên loại at `t` and the trích yếu after it; returns the index after the title.
    fn title(&mut self, t: usize) -> (usize, Option<String>, Option<(String, usize)>) {
        let p = self.paras[t].1;
        let l = line(p);
        // The tên loại is "KẾ HOẠCH" at the start of the line (anything after it on the same line
        // is the trích yếu), or the whole line when it is spelt otherwise ("KẾ HỌACH").
        let n_chars = "KẾ HOẠCH".chars().count();
        let whole = !p.plain.trim_start().starts_with("KẾ HOẠCH");
        let ten: String = if whole { l.clone() } else { l.chars().take(n_chars).collect() };
        let ten_loai = (letters_key(&ten) != letters_key("KẾ HOẠCH")).then_some(ten);
        let mut parts: Vec<String> = Vec::new();
        let lead = p.plain.chars().take_while(|c| c.is_whitespace()).count();
        let skip = if whole { p.plain.chars().count() } else { lead + n_chars };
        let same_line = unwrap_whole(squash(&remark_from(&p.text, &p.plain, skip)).trim());
        if !same_line.trim().is_empty() {
            parts.push(same_line.trim().to_string());
        }
        let mut i = t + 1;
        let mut first_n = if parts.is_empty() { None } else { Some(p.n) };
        while i < self.paras.len() && parts.len() < 4 {
            let q = self.paras[i].1;
            let ql = line(q);
            if is_separator(&ql) {
                i += 1;
                if !parts.is_empty() {
                    break;
                }
                continue;
            }
            let styled = q.style_is("trich_yeu");
            let centred = q.align == Align::Center;
            let start = self.is_body_start(q) || typed_label(&ql).is_some() || q.auto.is_some();
            let take = if styled {
                true
            } else if start || q.kh_style.is_some() {
                false
            } else {
                match self.kind {
                    Kind::Docx => centred && (parts.is_empty() || q.bold),
                    Kind::Text => parts.is_empty(),
                }
            };
            if !take {
                break;
            }
            if first_n.is_none() {
                first_n = Some(q.n);
            }
            parts.push(unwrap_whole(q.text.trim()));
            i += 1;
        }
        // Skip a "-----" under the trích yếu.
        while i < self.paras.len() && is_separator(&line(self.paras[i].1)) {
            i += 1;
        }
        let ty = (!parts.is_empty()).then(|| (squash(&parts.join(" ")), first_n.unwrap_or(p.n)));
        (i, ten_loai, ty)
    }

    // ----- tail -----

    fn tail_start(&self, from: usize) -> Option<usize> {
        let is_nn = |p: &Para| {
            let k = letters_key(&p.plain);
            p.style_is("noi_nhan_nhan") || k == "NƠI NHẬN" || (k.starts_with("NƠI NHẬN") && p.plain.contains(':') && k.len() < 40)
        };
        let nn = (from..self.paras.len()).find(|&i| is_nn(self.paras[i].1));
        let sig = |i: usize| {
            let p = self.paras[i].1;
            p.style_is("quyen_han") || RE_QUYEN_HAN.is_match(&line(p)) && is_upper(&line(p))
        };
        let start = match nn {
            Some(i) => {
                // A signature typed above the nơi nhận (or in a table read left to right).
                let mut s = i;
                while s > from && s + 6 > i && {
                    let p = self.paras[s - 1].1;
                    let l = line(p);
                    (is_upper(&l) || sig(s - 1)) && l.split_whitespace().count() <= 12 && !self.is_body_start(p)
                } {
                    s -= 1;
                }
                if (s..i).any(sig) { s } else { i }
            }
            None => (from..self.paras.len()).rev().find(|&i| sig(i))?,
        };
        // The whole top-level table the tail starts in.
        let block = self.paras[start].0;
        let first = self.paras.iter().position(|(b, _)| *b == block).unwrap_or(start);
        Some(first.max(from))
    }

    fn tail(&mut self, range: std::ops::Range<usize>, hints: &mut RegimeHints) -> Tail {
        let mut t = Tail::default();
        let items: Vec<(usize, &'a Para)> = self.paras[range].to_vec();
        // Left: nơi nhận; right: the signature. In a two-column table the column says which;
        // otherwise the nơi nhận runs from its label to the lưu line (and a typist's mark).
        let mut left: Vec<&'a Para> = Vec::new();
        let mut right: Vec<&'a Para> = Vec::new();
        let mut in_nn = false;
        let mut after_luu = false;
        for (_, p) in items {
            let col = p.cell.map(|c| c.outer_col.unwrap_or(c.col));
            let two_cols = p.cell.is_some_and(|c| c.ncols >= 2 || c.outer_col.is_some());
            let l = line(p);
            let is_label = letters_key(&l).starts_with("NƠI NHẬN") || p.style_is("noi_nhan_nhan");
            if two_cols {
                if col == Some(0) {
                    left.push(p)
                } else {
                    right.push(p)
                }
                continue;
            }
            match p.side {
                Some(1) => {
                    right.push(p);
                    continue;
                }
                Some(_) => {
                    in_nn |= is_label;
                    after_luu |= RE_LUU.is_match(l.trim_start_matches(['-', '–', ' ']));
                    left.push(p);
                    continue;
                }
                None => {}
            }
            if is_label {
                in_nn = true;
                left.push(p);
                continue;
            }
            let styled_left = matches!(p.kh_style.as_deref(), Some("noi_nhan" | "ky_hieu_soan_thao"));
            let styled_right = matches!(p.kh_style.as_deref(), Some("quyen_han" | "chuc_vu" | "ho_ten" | "chuc_danh_duoi_ten"));
            if styled_left {
                left.push(p);
                continue;
            }
            if styled_right {
                right.push(p);
                continue;
            }
            let looks_item = l.starts_with(['-', '–', '+', '•']);
            let is_luu = RE_LUU.is_match(l.trim_start_matches(['-', '–', ' ']));
            // A recipient typed without its dash is still one, unless it reads as a signing line.
            let signing = RE_QUYEN_HAN.is_match(&l) || (is_upper(&l) && !looks_item) || p.bold;
            if in_nn && !after_luu && (looks_item || is_luu || !signing) {
                if is_luu {
                    after_luu = true;
                }
                left.push(p);
            } else if after_luu && l.starts_with('(') && l.ends_with(')') && t.ky_hieu_soan_thao.is_none() && right.is_empty() {
                left.push(p);
            } else {
                right.push(p);
            }
        }
        self.noi_nhan(&left, &mut t, hints);
        self.signature(&right, &mut t, hints);
        t
    }

    fn noi_nhan(&mut self, left: &[&'a Para], t: &mut Tail, hints: &mut RegimeHints) {
        let mut i = 0;
        while i < left.len() {
            let p = left[i];
            let l = line(p);
            if letters_key(&l).starts_with("NƠI NHẬN") {
                t.noi_nhan_seen = true;
                // "Nơi nhận: - Như trên;" on one line.
                let rest = l.split_once(':').map(|(_, r)| r.trim()).unwrap_or("");
                if !rest.is_empty() {
                    t.muc.push(NoiNhanMucOut::Mot(clean_item(rest).0));
                }
                i += 1;
                continue;
            }
            // A group: a small two-column table inside the nơi nhận cell (names | shared note).
            if let Some(c) = p.cell.filter(|c| c.outer_col.is_some() && c.ncols == 2) {
                let mut names = Vec::new();
                let mut note_text = String::new();
                let mut gom_dong_luu = false;
                while i < left.len() && left[i].cell.is_some_and(|d| d.table == c.table) {
                    let q = left[i];
                    let ql = line(q);
                    let body = ql.trim_start_matches(['-', '–', '+', '•', ' ']);
                    let luu = RE_LUU.captures(body).filter(|_| body.split_whitespace().next().is_some_and(|w| fold(w).trim_end_matches(':') == "LƯU"));
                    if let (Some(cap), true) = (luu, q.cell.is_some_and(|d| d.col == 0)) {
                        // The lưu line inside the group's brace.
                        t.luu = Some((vn::strip_end_punct(&cap[2]).to_string(), !cap[1].is_empty(), q.n));
                        hints.score += if cap[1].is_empty() { -1 } else { 1 };
                        gom_dong_luu = true;
                    } else if q.cell.is_some_and(|d| d.col == 0) {
                        names.push(clean_item(&ql).0);
                    } else {
                        note_text.push_str(&ql);
                    }
                    i += 1;
                }
                let ghi_chu = clean_note(&note_text);
                if ghi_chu.is_empty() {
                    t.muc.extend(names.into_iter().map(NoiNhanMucOut::Mot));
                } else {
                    t.muc.push(NoiNhanMucOut::Nhom { muc: names, ghi_chu, gom_dong_luu });
                }
                continue;
            }
            i += 1;
            if p.style_is("ky_hieu_soan_thao") || (t.luu.is_some() && l.starts_with('(') && l.ends_with(')')) {
                t.ky_hieu_soan_thao = Some(l.clone());
                continue;
            }
            let body = l.trim_start_matches(['-', '–', '+', '•', ' ']);
            if let Some(c) = RE_LUU.captures(body)
                && body.split_whitespace().next().is_some_and(|w| fold(w).trim_end_matches(':') == "LƯU")
            {
                let v = vn::strip_end_punct(&c[2]).to_string();
                t.luu = Some((v, !c[1].is_empty(), p.n));
                hints.score += if c[1].is_empty() { -1 } else { 1 };
                continue;
            }
            if let Some(last) = l.trim_end().chars().last()
                && matches!(last, ';' | ',')
            {
                t.separators.push(last);
            }
            // "UBND tỉnh; (báo cáo);" or "UBND tỉnh<tab>(báo cáo);": a recipient with a note.
            let (name, note_text) = split_note(body);
            if let Some(n) = note_text {
                t.muc.push(NoiNhanMucOut::Nhom { muc: vec![clean_item(&name).0], ghi_chu: n, gom_dong_luu: false });
            } else if !clean_item(body).0.is_empty() {
                t.muc.push(NoiNhanMucOut::Mot(clean_item(body).0));
            }
        }
    }

    fn signature(&mut self, right: &[&'a Para], t: &mut Tail, hints: &mut RegimeHints) {
        let mut lines: Vec<(String, &'a Para)> = Vec::new();
        for p in right {
            for l in p.plain.split('\n') {
                let l = squash(&unwrap_whole(l.trim()));
                if l.is_empty() || is_separator(&l) {
                    continue;
                }
                let k = letters_key(&l);
                // "(Đã ký)", "(Ký, đóng dấu)": where the signature goes, not text of the plan.
                if l.starts_with('(') && (k.contains("KÝ") || k.contains("DẤU")) && k.split(' ').count() <= 6 {
                    self.add(Loai::BoQua, "nguoi_ky", "bỏ dòng chỉ chỗ ký, đóng dấu", Some(p));
                    continue;
                }
                lines.push((l, p));
            }
        }
        let mut i = 0;
        while i < lines.len() {
            let (l, p) = &lines[i];
            let Some(c) = RE_QUYEN_HAN.captures(l) else { break };
            let code = c[1].replace(['.', '/'], "").to_uppercase();
            let loai = match code.as_str() {
                "TM" => "tm",
                "KT" => "kt",
                "TL" => "tl",
                "TUQ" => "tuq",
                _ => "q",
            };
            hints.score += if c[1].contains('/') {
                -2
            } else if c[1].ends_with('.') && loai != "q" {
                2
            } else {
                0
            };
            t.quyen_han.push((loai.to_string(), c[2].trim().to_string(), p.n, c[1].to_string()));
            i += 1;
        }
        // The name: kehoach's style, or the first line that is not all capitals.
        let name_at = (i..lines.len())
            .find(|&k| lines[k].1.style_is("ho_ten"))
            .or_else(|| (i..lines.len()).find(|&k| !is_upper(&lines[k].0)))
            .or_else(|| (lines.len() > i + 1).then(|| lines.len() - 1));
        match name_at {
            Some(k) => {
                for (l, _) in &lines[i..k] {
                    t.chuc_vu.push(l.clone());
                }
                t.ho_ten = Some((lines[k].0.clone(), lines[k].1.n));
                for (l, _) in &lines[k + 1..] {
                    t.duoi_ten.push(l.clone());
                }
            }
            None => {
                for (l, _) in &lines[i..] {
                    t.chuc_vu.push(l.clone());
                }
            }
        }
    }

    // ----- body -----

    fn body(&mut self, range: std::ops::Range<usize>, hints: &mut RegimeHints) {
        let (roots, pre, ket) = self.body_tree(range);
        self.pre_and_ket(pre, ket, !roots.is_empty(), hints);
        self.roots = roots;
    }

    /// The body's tree from its labels, tables and task lines: the root nodes, the paragraphs before
    /// the first item, and the closing paragraphs ("Trên đây …").
    #[allow(clippy::type_complexity)]
    fn body_tree(&mut self, range: std::ops::Range<usize>) -> (Vec<usize>, Vec<&'a Para>, Vec<&'a Para>) {
        let mut done_tables: Vec<usize> = Vec::new();
        let mut stack: Vec<usize> = Vec::new();
        let mut roots: Vec<usize> = Vec::new();
        let mut pre: Vec<&'a Para> = Vec::new();
        let mut ket: Vec<&'a Para> = Vec::new();
        let mut seen_label = false;
        let items: Vec<(usize, &'a Para)> = self.paras[range].to_vec();
        for (bi, p) in items {
            if let Block::Table(tb) = &self.blocks[bi] {
                if done_tables.contains(&bi) {
                    continue;
                }
                if let Some(rows) = task_table(tb) {
                    done_tables.push(bi);
                    self.task_rows(tb, rows, &mut stack, &mut roots, p);
                    continue;
                }
            }
            let l = line(p);
            if l.is_empty() || (is_separator(&l) && !l.starts_with('*')) {
                continue;
            }
            if !ket.is_empty() {
                ket.push(p);
                continue;
            }
            if seen_label && (l.starts_with("Trên đây") || l.starts_with("Trên đây")) {
                ket.push(p);
                continue;
            }
            // A paragraph in kehoach's body style never carries a label of its own unless typed.
            let label = self.label_of(p);
            // "- Căn cứ …;" above the first item: a Party căn cứ, not a list item.
            let label = label.filter(|(l, _)| {
                seen_label
                    || !(matches!(l.kind, Kieu::Gach)
                        && squash(&p.plain).trim_start_matches(['-', '–', ' ']).starts_with("Căn cứ"))
            });
            if let Some((lab, skip)) = label {
                seen_label = true;
                let rest = remark_from(&p.text, &p.plain, skip);
                let id = self.new_node(lab.kind, Some(lab), p);
                self.place(id, &mut stack, &mut roots);
                let title = self.is_title(p, &rest, id);
                let rest_plain = squash(&super::para::strip_marks(&rest));
                if let Some(t) = (self.nodes[id].kind != Kieu::Muc).then(|| task_line_full(&rest)).flatten() {
                    // "- Chủ trì: …" typed as a list item: a task of the node above.
                    let mark = self.nodes[id].label.as_ref().map(|l| l.text.trim().to_string());
                    let (field, v) = (t.field, t.value);
                    self.nodes.pop();
                    if let Some(&top) = stack.last().filter(|&&t| t == id) {
                        let _ = top;
                        stack.pop();
                        if let Some(&parent) = stack.last() {
                            self.nodes[parent].children.retain(|&c| c != id);
                        } else {
                            roots.retain(|&c| c != id);
                        }
                    }
                    if let Some(&top) = stack.last() {
                        self.set_task(top, field, v, p);
                        self.nodes[top].task_labels.push((field, t.label, mark));
                    } else {
                        pre.push(p);
                    }
                    continue;
                }
                if title {
                    self.nodes[id].tieu_de = Some(unwrap_whole(rest.trim()));
                    self.dest.insert(p.n, Dest::Node(id, "tieu_de", 0));
                } else if !rest_plain.is_empty() {
                    self.nodes[id].van_ban.push(rest.trim().to_string());
                    self.dest.insert(p.n, Dest::Node(id, "van_ban", 0));
                }
                continue;
            }
            if let (Some(&top), Some(t)) = (stack.last(), task_line_full(&p.text)) {
                self.set_task(top, t.field, t.value, p);
                self.nodes[top].task_labels.push((t.field, t.label, t.mark));
                continue;
            }
            // An unlabelled paragraph after a list of bullets goes back to the level above the
            // list: a plain paragraph (kieu "doan") beside the item that holds the list, since an
            // item's own paragraphs always come before its sub-items.
            let bullet = |k: Kieu| rank(k).is_none() && k != Kieu::Doan;
            if stack.last().is_some_and(|&t| bullet(self.nodes[t].kind)) {
                while stack.last().is_some_and(|&t| bullet(self.nodes[t].kind)) {
                    stack.pop();
                }
                if let Some(&holder) = stack.last().filter(|&&t| !self.nodes[t].children.is_empty()) {
                    let _ = holder;
                    stack.pop();
                    let id = self.new_node(Kieu::Doan, None, p);
                    match stack.last() {
                        Some(&parent) => self.nodes[parent].children.push(id),
                        None => roots.push(id),
                    }
                    stack.push(id);
                }
            }
            match stack.last() {
                Some(&top) => {
                    self.nodes[top].van_ban.push(p.text.trim().to_string());
                    self.dest.insert(p.n, Dest::Node(top, "van_ban", self.nodes[top].van_ban.len() - 1));
                    self.nodes[top].last_src = p.n;
                }
                None if self.in_phu_luc => {
                    // A phụ lục has no căn cứ or opening: a paragraph before any item is an item
                    // of its own (the holder of a task table below it).
                    let id = self.new_node(Kieu::Doan, None, p);
                    self.nodes[id].van_ban.push(p.text.trim().to_string());
                    self.dest.insert(p.n, Dest::Node(id, "van_ban", 0));
                    roots.push(id);
                    stack.push(id);
                }
                None => pre.push(p),
            }
        }
        (roots, pre, ket)
    }

    fn label_of(&self, p: &Para) -> Option<(Label, usize)> {
        if let Some(a) = &p.auto
            && let Some(l) = auto_label(a)
        {
            return Some((l, 0));
        }
        let typed = typed_label(&p.plain);
        // kehoach's own styles name the kind when the typed label alone is ambiguous
        // ("2." under "1.1." is a tiết written with an explicit label).
        match (typed, p.kh_style.as_deref()) {
            (Some((mut l, n)), Some(s @ ("muc" | "khoan" | "tiet" | "diem"))) => {
                l.kind = match s {
                    "muc" => Kieu::Muc,
                    "khoan" => Kieu::Khoan,
                    "tiet" => Kieu::Tiet,
                    _ => Kieu::Diem,
                };
                Some((l, n))
            }
            (t, _) => t,
        }
    }

    fn new_node(&mut self, kind: Kieu, label: Option<Label>, p: &Para) -> usize {
        self.nodes.push(N {
            kind,
            label,
            tieu_de: None,
            van_ban: Vec::new(),
            nhiem_vu: NhiemVuOut::default(),
            bang: None,
            children: Vec::new(),
            src: p.n,
            last_src: p.n,
            text: p.plain.clone(),
            task_labels: Vec::new(),
            nhan: NhiemVuOut::default(),
        });
        self.nodes.len() - 1
    }

    /// Puts node `id` in the tree: a sibling of the open node of its kind, or a child of the
    /// deepest open node that may hold it.
    fn place(&mut self, id: usize, stack: &mut Vec<usize>, roots: &mut Vec<usize>) {
        let kind = self.nodes[id].kind;
        if let Some(pos) = stack.iter().rposition(|&s| self.nodes[s].kind == kind) {
            stack.truncate(pos);
        } else if let Some(r) = rank(kind) {
            while let Some(&top) = stack.last() {
                match rank(self.nodes[top].kind) {
                    Some(tr) if tr < r => break,
                    _ => {
                        stack.pop();
                    }
                }
            }
        }
        match stack.last() {
            Some(&parent) => self.nodes[parent].children.push(id),
            None => roots.push(id),
        }
        stack.push(id);
    }

    /// Whether the text after a label is a heading (tieu_de) rather than the item's first paragraph.
    fn is_title(&self, p: &Para, rest: &str, id: usize) -> bool {
        let kind = self.nodes[id].kind;
        if let Some(s) = p.kh_style.as_deref() {
            return matches!(s, "muc" | "khoan" | "tiet" | "diem");
        }
        let plain = squash(&super::para::strip_marks(rest));
        if plain.is_empty() {
            return false;
        }
        if kind == Kieu::Muc {
            return true;
        }
        if !matches!(kind, Kieu::Khoan | Kieu::Tiet | Kieu::Diem) {
            return false;
        }
        if self.kind == Kind::Docx && (p.bold || (kind == Kieu::Diem && p.italic)) {
            return true;
        }
        if self.kind == Kind::Docx && p.kh_style.is_none() && !p.bold && p.paras_has_format_info() {
            return false;
        }
        let ends = plain.trim_end().ends_with(['.', ';', ':', '!', '?', '…']);
        !ends && plain.split_whitespace().count() <= 30
    }

    fn set_task(&mut self, id: usize, field: &'static str, v: String, p: &Para) {
        let nv = &mut self.nodes[id].nhiem_vu;
        let slot = match field {
            "chu_tri" => &mut nv.chu_tri,
            "phoi_hop" => &mut nv.phoi_hop,
            "tham_muu" => &mut nv.tham_muu,
            "thoi_gian" => &mut nv.thoi_gian,
            _ => &mut nv.san_pham,
        };
        if let Some(old) = slot {
            old.push_str("; ");
            old.push_str(&v);
            let n = Note {
                loai: Loai::Doan,
                truong: String::new(),
                thong_bao: "nhiệm vụ có hai dòng cùng loại; đã gộp thành một".into(),
                nguon: Some(self.src(p)),
            };
            self.node_notes.entry(id).or_default().push((field_path(field).to_string(), n));
        } else {
            *slot = Some(v);
        }
    }

    fn task_rows(
        &mut self,
        tb: &Table,
        cols: Vec<Option<&'static str>>,
        stack: &mut Vec<usize>,
        roots: &mut Vec<usize>,
        first: &Para,
    ) {
        // The table belongs to the open node above it (its rows are that node's items).
        let owner = match stack.last() {
            Some(&o) => o,
            None => {
                let id = self.new_node(Kieu::Doan, None, first);
                roots.push(id);
                stack.push(id);
                id
            }
        };
        // A landscape phụ lục is landscape as a whole: its tables are plain "bang".
        self.nodes[owner].bang = Some(if tb.landscape && !self.in_phu_luc { "bang_ngang" } else { "bang" });
        let texts = |cell: &[Block]| -> Vec<String> {
            super::para::flatten(cell)
                .iter()
                .flat_map(|p| p.text.split('\n').map(|s| s.trim().to_string()).collect::<Vec<_>>())
                .filter(|s| !s.is_empty())
                .collect()
        };
        for row in tb.rows.iter().skip(1) {
            let Some(row_first) =
                super::para::flatten(&row.iter().flatten().cloned().collect::<Vec<_>>()).first().map(|p| (*p).clone())
            else {
                continue;
            };
            let mut stt = String::new();
            let mut content: Vec<String> = Vec::new();
            let mut nv = NhiemVuOut::default();
            for (ci, cell) in row.iter().enumerate() {
                let v = texts(cell);
                let joined = v.iter().map(|s| super::para::strip_marks(s)).collect::<Vec<_>>().join("\n");
                match cols.get(ci).copied().flatten() {
                    Some("stt") => stt = squash(&joined),
                    Some("noi_dung") => content = v,
                    Some(f) if !joined.trim().is_empty() => {
                        let val = Some(vn::strip_end_punct(joined.trim()).to_string());
                        match f {
                            "chu_tri" => nv.chu_tri = val,
                            "phoi_hop" => nv.phoi_hop = val,
                            "thoi_gian" => nv.thoi_gian = val,
                            _ => nv.san_pham = val,
                        }
                    }
                    _ => {}
                }
            }
            if content.is_empty() && stt.is_empty() {
                continue;
            }
            // A row spanning the table ("I. NHIỆM VỤ TRỌNG TÂM" across all columns): a heading row.
            if row.len() < cols.len() && content.is_empty() {
                let (label, rest) = match typed_label(&stt) {
                    Some((l, n)) => (Some(l), stt.chars().skip(n).collect::<String>()),
                    None => (None, stt.clone()),
                };
                let kind = label.as_ref().map(|l| l.kind).filter(|k| rank(*k).is_some()).unwrap_or(Kieu::Doan);
                let id = self.new_node(kind, label.filter(|_| kind != Kieu::Doan), &row_first);
                let title = if rest.trim().is_empty() { stt.clone() } else { rest.trim().to_string() };
                self.nodes[id].tieu_de = Some(title);
                self.nodes[owner].children.push(id);
                continue;
            }
            let label = typed_label(&format!("{stt} x")).map(|(l, _)| l).filter(|l| rank(l.kind).is_some());
            let kind = label.as_ref().map(|l| l.kind).unwrap_or(Kieu::Doan);
            let id = self.new_node(kind, label, &row_first);
            if kind == Kieu::Doan
                && !stt.is_empty()
                && stt.parse::<u32>().ok() != Some(self.nodes[owner].children.len() as u32 + 1)
            {
                self.nodes[id].label =
                    Some(Label { kind, text: stt.clone(), corrected: None, number: 0, dau: None, auto: false, form: kind });
            }
            let mut lines = content.into_iter();
            if let Some(first_line) = lines.next() {
                let whole = unwrap_whole(&first_line);
                if whole != first_line && first_line.starts_with("**") {
                    self.nodes[id].tieu_de = Some(whole);
                } else {
                    self.nodes[id].van_ban.push(first_line);
                }
            }
            self.nodes[id].van_ban.extend(lines);
            self.nodes[id].nhiem_vu = nv;
            self.nodes[owner].children.push(id);
        }
    }

    fn pre_and_ket(&mut self, pre: Vec<&'a Para>, ket: Vec<&'a Para>, has_tree: bool, hints: &mut RegimeHints) {
        let mut can_cu: Vec<(String, &'a Para)> = Vec::new();
        let mut mo_dau: Vec<String> = Vec::new();
        let mut loose: Vec<String> = Vec::new();
        for p in pre {
            let t = p.text.trim().to_string();
            let l = line(p);
            let cc = l.trim_start_matches(['-', '–', ' ']);
            if mo_dau.is_empty() && cc.starts_with("Căn cứ") && !l.ends_with(':') {
                self.dest.insert(p.n, Dest::Top("can_cu", can_cu.len()));
                can_cu.push((t.trim_start_matches(['-', '–', ' ']).to_string(), p));
            } else if has_tree || mo_dau.is_empty() || !mo_dau.last().is_some_and(|m| m.trim_end().ends_with(':')) {
                if has_tree || loose.is_empty() {
                    self.dest.insert(p.n, Dest::Top("mo_dau", mo_dau.len()));
                    mo_dau.push(t);
                } else {
                    loose.push(t);
                }
            } else {
                loose.push(t);
            }
        }
        self.can_cu = can_cu.iter().map(|(t, _)| vn::strip_end_punct(t).to_string()).collect();
        self.can_cu_src = can_cu
            .iter()
            .map(|(t, p)| {
                (t.trim_end().chars().last(), p.n, p.italic, p.kh_style.clone(), t.starts_with('-') || line(p).starts_with('-'))
            })
            .collect();
        for (_, p) in &can_cu {
            if line(p).starts_with('-') {
                hints.score -= 1;
            }
        }
        self.mo_dau = mo_dau;
        self.loose = loose;
        for (i, p) in ket.iter().enumerate() {
            self.dest.insert(p.n, Dest::Top("ket_thuc", i));
        }
        self.ket = ket.iter().map(|p| p.text.trim().to_string()).collect();
        self.ket_src = ket.last().map(|p| p.n);
    }

    // ----- assembling the plan -----

    fn assemble(
        mut self,
        head: Head,
        ten_loai: Option<String>,
        trich_yeu: Option<(String, usize)>,
        tail: Tail,
        mut hints: RegimeHints,
    ) -> (PlanOut, Vec<Note>) {
        let mut out = PlanOut::default();
        // Signs of the regime outside the header.
        if let Some(sep) = head.so_sep {
            hints.score += if sep == '/' { 2 } else { -2 };
        }
        if head.so_colon == Some(true) {
            hints.score += 1;
        }
        let ket_text = self.ket.last().cloned().or_else(|| self.last_body_text()).unwrap_or_default();
        if ket_text.trim_end().ends_with("./.") {
            hints.score += 1;
        }
        // The date first: it chooses between HD 05 and HD 36.
        let ngay = head.ngay.clone().and_then(|(d, n)| match crate::plan::model::Ngay::parse(&d) {
            Ok(_) => Some(d),
            Err(e) => {
                let p = self.para_by_n(n);
                self.add(Loai::Doan, "ngay", format!("{e}; chỉ giữ năm, tháng"), p);
                // The year and month, or the year, or nothing: what is written must load.
                let ym: String = d.chars().take(7).collect();
                let y: String = d.chars().take(4).collect();
                [ym, y].into_iter().find(|x| crate::plan::model::Ngay::parse(x).is_ok())
            }
        });
        let regime = self.regime(&hints, ngay.as_deref());
        out.the_thuc = regime.code();
        let party = regime.profile().family == Family::Party;

        // Header.
        // A line break inside a cơ quan chủ quản paragraph kehoach wrote is the engine's own (a
        // long name broken into two balanced lines; each line of the plan is a paragraph of its
        // own there): one line of the plan. Elsewhere it is a typed line.
        let header_lines = |items: &[(String, usize)], by_n: &std::collections::HashMap<usize, &Para>| -> Vec<String> {
            let mut out: Vec<(String, usize)> = Vec::new();
            for (t, n) in items {
                let ours = by_n.get(n).is_some_and(|p| p.style_is("co_quan_chu_quan"));
                for l in t.split('\n') {
                    match out.last_mut() {
                        Some(last) if ours && last.1 == *n => {
                            last.0.push(' ');
                            last.0.push_str(l.trim());
                        }
                        _ => out.push((l.trim().to_string(), *n)),
                    }
                }
            }
            out.into_iter().map(|(t, _)| t).collect()
        };
        out.co_quan_chu_quan = header_lines(&head.chu_quan, &self.by_n);
        out.co_quan_ban_hanh = header_lines(&head.ban_hanh, &self.by_n);
        if out.co_quan_ban_hanh.is_empty() {
            out.co_quan_ban_hanh = self.guess_agency(&tail);
        }
        out.so = head.so.filter(|&n| n > 0);
        if head.so == Some(0) {
            let p = head.ky_hieu.as_ref().and_then(|(_, n)| self.para_by_n(*n));
            self.add(Loai::DaSua, "so", "số văn bản 0 không dùng được; đã để trống số", p);
        }
        out.ky_hieu = match &head.ky_hieu {
            Some((k, n)) => self.ky_hieu(k, *n, party, head.so_colon, head.so),
            None => {
                let k = if party { "KH/[CQ]" } else { "KH-[CQ]" };
                self.add(
                    Loai::Thieu,
                    "ky_hieu",
                    format!("bản gốc không có dòng số, ký hiệu; đã ghi tạm “{k}”, hãy thay “[CQ]” bằng chữ viết tắt tên cơ quan"),
                    None,
                );
                k.to_string()
            }
        };
        out.dia_danh = match &head.dia_danh {
            Some((d, _)) => d.clone(),
            None => {
                self.add(Loai::Thieu, "dia_danh", "bản gốc không có địa danh và ngày tháng; đã ghi tạm “[địa danh]”", None);
                "[địa danh]".into()
            }
        };
        if head.ngay.is_none() && head.dia_danh.is_some() {
            self.add(Loai::Thieu, "ngay", "bản gốc không có ngày ban hành; chương trình để trống ngày tháng", None);
        }
        out.ngay = ngay;
        out.do_mat = head.do_mat;
        out.do_khan = head.do_khan;
        out.du_thao = head.du_thao.clone();
        out.pham_vi_luu_hanh = head.pham_vi.clone();
        out.ten_loai = ten_loai;
        out.trich_yeu = match trich_yeu {
            Some((t, n)) => {
                let stripped = t.trim_end_matches(['.', ';', ',']).trim_end().to_string();
                if stripped != t && !t.ends_with("..") {
                    let p = self.para_by_n(n);
                    self.add(Loai::DaSua, "trich_yeu", "trích yếu không có dấu chấm cuối; đã bỏ dấu chấm", p);
                    stripped
                } else {
                    t
                }
            }
            None => {
                self.add(Loai::Thieu, "trich_yeu", "không thấy trích yếu dưới tên loại; đã ghi tạm “[trích yếu]”", None);
                "[trích yếu]".into()
            }
        };

        // Body: căn cứ, opening, tree, closing.
        out.can_cu = std::mem::take(&mut self.can_cu);
        self.can_cu_notes(regime, &mut out);
        out.mo_dau = std::mem::take(&mut self.mo_dau);
        let mut tree = std::mem::take(&mut self.roots);
        for t in std::mem::take(&mut self.loose) {
            let p = Para::new(0, t.clone());
            let id = self.new_node(Kieu::Doan, None, &p);
            self.nodes[id].van_ban.push(t);
            tree.push(id);
        }
        let dau = self.dau(&tree);
        let default_dau = crate::regime::Profile::for_regime(regime).numbering.dau;
        let dau = dau.unwrap_or(default_dau);
        out.dau_danh_so = Some(match dau {
            crate::plan::model::DauDanhSo::Cham => "cham",
            crate::plan::model::DauDanhSo::Gach => "gach",
        });
        let mut ket = std::mem::take(&mut self.ket);
        self.ending(regime, &mut ket, &tree);
        self.task_labels(&mut out);
        out.noi_dung = self.nodes_out(&tree, "noi_dung", dau, "");
        title_case(&mut out);
        out.ket_thuc = ket;
        if party && self.mirror == Some(false) {
            // Most Word files lack mirrored margins by oversight: keep what the source prints, and
            // say that HD 05's default is two-sided.
            out.in_hai_mat = Some(false);
            self.add(
                Loai::Doan,
                "in_hai_mat",
                "bản gốc không đặt lề đối xứng (in một mặt); đã ghi in_hai_mat: false. Văn bản của Đảng in hai mặt theo Hướng dẫn 05: bỏ trường này nếu sẽ in hai mặt",
                None,
            );
        }

        // Tail.
        self.tail_out(tail, regime, &mut out);
        self.phu_luc_out(regime, dau, &mut out);
        for (n, mut note) in std::mem::take(&mut self.para_notes) {
            note.truong = self.path_of(n, &out).unwrap_or_default();
            self.notes.push(note);
        }
        let mut notes = std::mem::take(&mut self.notes);
        notes.sort_by_key(|n| (crate::regime::rules::text::path_key(&n.truong), n.loai));
        (out, notes)
    }
}

impl<'a> Recogniser<'a> {
    /// Task-line labels and marks as the source has them: a label other than the engine's, used
    /// by most task lines of its field, is the plan's (`nhan_nhiem_vu`); an item whose lines use
    /// yet another label keeps it as its own; one mark before every task line is `dau_dong`.
    fn task_labels(&mut self, out: &mut PlanOut) {
        let all: Vec<(usize, &'static str, String, Option<String>)> = self
            .nodes
            .iter()
            .enumerate()
            .flat_map(|(i, n)| n.task_labels.iter().map(move |(f, l, m)| (i, *f, l.clone(), m.clone())))
            .collect();
        if all.is_empty() {
            return;
        }
        let mut plan = NhiemVuOut::default();
        let mut effective: std::collections::HashMap<&'static str, String> = Default::default();
        for f in ["chu_tri", "phoi_hop", "tham_muu", "thoi_gian", "san_pham"] {
            let mut counts: Vec<(String, usize)> = Vec::new();
            for (_, _, l, _) in all.iter().filter(|a| a.1 == f) {
                match counts.iter_mut().find(|c| c.0 == *l) {
                    Some(c) => c.1 += 1,
                    None => counts.push((l.clone(), 1)),
                }
            }
            let def = default_task_label(f);
            // The most used label; the engine's own wins a tie.
            let Some(top) = counts
                .iter()
                .max_by_key(|c| (c.1, c.0 == def))
                .map(|c| c.0.clone())
            else {
                continue;
            };
            if top != def {
                *task_slot(&mut plan, f) = Some(top.clone());
            }
            effective.insert(f, top);
        }
        for (i, f, l, _) in &all {
            if effective.get(f).is_some_and(|e| e != l) {
                *task_slot(&mut self.nodes[*i].nhan, f) = Some(l.clone());
            }
        }
        if !plan.is_empty() {
            let names: Vec<String> = [&plan.chu_tri, &plan.phoi_hop, &plan.tham_muu, &plan.thoi_gian, &plan.san_pham]
                .into_iter()
                .flatten()
                .map(|l| format!("“{l}”"))
                .collect();
            self.add(
                Loai::Doan,
                "nhan_nhiem_vu",
                format!("bản gốc đặt tên dòng nhiệm vụ khác tên mặc định ({}); đã giữ tên như bản gốc", names.join(", ")),
                None,
            );
            out.nhan_nhiem_vu = Some(plan);
        }
        let marks: Vec<&Option<String>> = all.iter().map(|a| &a.3).collect();
        if let Some(Some(m)) = marks.first()
            && marks.iter().all(|x| x.as_deref() == Some(m.as_str()))
        {
            out.dau_dong = Some(m.clone());
        }
    }

    /// Each phụ lục after the signature: its heading ("Phụ lục II"), its title, the reference line
    /// (which the engine writes again from the plan's số and ngày: dropped, with a note when it
    /// names another plan), then its body, read like the plan's body.
    fn phu_luc_out(&mut self, regime: Regime, dau: crate::plan::model::DauDanhSo, out: &mut PlanOut) {
        let heads = std::mem::take(&mut self.phu_luc_at);
        let fmt = crate::regime::Profile::for_regime(regime).phu_luc;
        let count = heads.len();
        for (k, &h) in heads.iter().enumerate() {
            let end = heads.get(k + 1).copied().unwrap_or(self.paras.len());
            let base = format!("phu_luc[{k}]");
            let head = self.paras[h].1;
            let mut pl = PhuLucOut::default();
            // The number: kept only when it is not the one the engine computes.
            let typed = squash(line(head).trim()).chars().skip("Phụ lục".chars().count()).collect::<String>();
            let typed = typed.trim().trim_end_matches(['.', ':']).trim().to_string();
            let computed = (count >= fmt.danh_so_tu).then(|| fmt.number(k as u32 + 1));
            if Some(&typed) != computed.as_ref() && !(typed.is_empty() && computed.is_none()) {
                if typed.is_empty() {
                    self.add(
                        Loai::DaSua,
                        format!("{base}.so"),
                        format!("dòng “{}” không có số; chương trình đánh số phụ lục khi có từ {} phụ lục", line(head).trim(), fmt.danh_so_tu),
                        Some(head),
                    );
                } else {
                    pl.so = Some(typed);
                }
            }
            let mut i = h + 1;
            let next_text = |i: usize, paras: &[(usize, &'a Para)]| -> Option<usize> {
                (i..end).find(|&j| paras[j].1.cell.is_some() || !line(paras[j].1).trim().is_empty())
            };
            // The title.
            let is_ref = |p: &Para| p.cell.is_none() && (p.style_is("phu_luc_kem_theo") || line(p).trim_start().starts_with("(Kèm theo"));
            match next_text(i, &self.paras).filter(|&j| self.paras[j].1.cell.is_none() && !is_ref(self.paras[j].1)) {
                Some(j) => {
                    pl.tieu_de = unwrap_whole(line(self.paras[j].1).trim());
                    i = j + 1;
                }
                None => {
                    self.add(Loai::Thieu, format!("{base}.tieu_de"), "phụ lục không có tên; đã ghi tạm “[tên phụ lục]”", Some(head));
                    pl.tieu_de = "[tên phụ lục]".into();
                }
            }
            // The reference line.
            if let Some(j) = next_text(i, &self.paras).filter(|&j| is_ref(self.paras[j].1)) {
                let p = self.paras[j].1;
                let l = squash(&p.plain);
                let year = out.ngay.as_deref().map(|d| d.chars().take(4).collect::<String>());
                let agrees = l.contains(out.ky_hieu.as_str())
                    && out.so.is_none_or(|n| l.contains(&format!("{n:02}/")) || l.contains(&format!("{n}/")) || l.contains(&format!("{n}-")))
                    && year.is_none_or(|y| l.contains(&y));
                if !agrees {
                    self.add(
                        Loai::DaSua,
                        base.clone(),
                        "dòng “(Kèm theo Kế hoạch số … ngày …)” của phụ lục không khớp số, ký hiệu hoặc ngày của kế hoạch; chương trình viết lại dòng này theo số và ngày của kế hoạch",
                        Some(p),
                    );
                }
                i = j + 1;
            }
            // The orientation: the section's in a DOCX; plain text has none.
            match self.kind {
                Kind::Docx => {
                    if head.landscape {
                        pl.huong = Some("ngang");
                    }
                }
                Kind::Text => self.add(
                    Loai::Thieu,
                    format!("{base}.huong"),
                    "văn bản thuần không cho biết trang dọc hay ngang; đã để trang dọc (huong: \"doc\"), đặt “ngang” nếu phụ lục là bảng rộng",
                    Some(head),
                ),
            }
            self.in_phu_luc = true;
            let (mut roots, pre, ket) = self.body_tree(i.min(end)..end);
            self.in_phu_luc = false;
            for p in ket.into_iter().chain(pre) {
                let id = self.new_node(Kieu::Doan, None, p);
                self.nodes[id].van_ban.push(p.text.trim().to_string());
                roots.push(id);
            }
            pl.noi_dung = self.nodes_out(&roots, &format!("{base}.noi_dung"), dau, "");
            out.phu_luc.push(pl);
        }
    }
}

impl Para {
    /// Whether the paragraph comes from a source that says what is bold (a DOCX).
    fn paras_has_format_info(&self) -> bool {
        self.align != Align::Unset
    }
}

fn field_path(field: &str) -> &'static str {
    match field {
        "chu_tri" => "nhiem_vu.chu_tri",
        "phoi_hop" => "nhiem_vu.phoi_hop",
        "tham_muu" => "nhiem_vu.tham_muu",
        "thoi_gian" => "nhiem_vu.thoi_gian",
        _ => "nhiem_vu.san_pham",
    }
}

/// A nơi nhận item without its dash and end punctuation.
fn clean_item(s: &str) -> (String, Option<char>) {
    let t = s.trim().trim_start_matches(['-', '–', '+', '•']).trim();
    let last = t.chars().last().filter(|c| matches!(c, ';' | ',' | '.'));
    (vn::strip_end_punct(t).trim().to_string(), last)
}

fn clean_note(s: &str) -> String {
    // "(báo cáo);": the mark the source wrote after the brackets is kept, with them (the engine
    // adds none of its own after a group's note).
    let core = vn::strip_end_punct(s.trim());
    let tail = s.trim()[core.len()..].trim();
    if !tail.is_empty() && core.trim().starts_with('(') && core.trim().ends_with(')') {
        return format!("{}{tail}", core.trim());
    }
    let t = core.trim();
    let t = t.strip_prefix('(').unwrap_or(t);
    let t = t.strip_suffix(')').unwrap_or(t);
    t.trim().to_string()
}

/// "UBND tỉnh; (báo cáo);" → ("UBND tỉnh", "báo cáo"): a note in brackets after the name, cut off
/// by a separator or a tab (the brace of a Word plan does not survive as text).
fn split_note(s: &str) -> (String, Option<String>) {
    let t = vn::strip_end_punct(s.trim());
    if let Some(open) = t.rfind('(')
        && t.ends_with(')')
    {
        let before = t[..open].trim_end();
        if before.ends_with([';', ',']) || s.contains('\t') {
            let name = before.trim_end_matches([';', ',']).trim().to_string();
            let note = t[open + 1..t.len() - 1].trim().to_string();
            if !name.is_empty() && !note.is_empty() {
                return (name, Some(note));
            }
        }
    }
    (t.to_string(), None)
}

/// The columns of a task table (STT | Nội dung | Chủ trì | Phối hợp | Thời gian | Sản phẩm), if
/// `t` is one.
fn task_table(t: &Table) -> Option<Vec<Option<&'static str>>> {
    if !t.borders || t.rows.len() < 2 {
        return None;
    }
    let head: Vec<String> = t.rows[0]
        .iter()
        .map(|c| letters_key(&super::para::flatten(c).iter().map(|p| p.plain.as_str()).collect::<Vec<_>>().join(" ")))
        .collect();
    let cols: Vec<Option<&'static str>> = head
        .iter()
        .map(|h| {
            Some(if h == "STT" || h == "TT" || h.starts_with("SỐ TT") || h == "SỐ THỨ TỰ" {
                "stt"
            } else if h.contains("NỘI DUNG") || h.contains("NHIỆM VỤ") || h.contains("CÔNG VIỆC") {
                "noi_dung"
            } else if h.contains("CHỦ TRÌ") {
                "chu_tri"
            } else if h.contains("PHỐI HỢP") {
                "phoi_hop"
            } else if h.contains("THỜI GIAN") || h.contains("THỜI HẠN") {
                "thoi_gian"
            } else if h.contains("SẢN PHẨM") || h.contains("KẾT QUẢ") {
                "san_pham"
            } else {
                return None;
            })
        })
        .collect();
    let has = |k: &str| cols.contains(&Some(k));
    (has("noi_dung") && (has("chu_tri") || has("thoi_gian"))).then_some(cols)
}

use crate::plan::model::{DauDanhSo, Regime};
use crate::regime::{Family, Profile};

/// The family whose regime prints `t` as a top-right line (the quốc hiệu or tiêu ngữ; the Party's
/// title), whatever its dashes and spacing.
fn title_family(t: &str) -> Option<Family> {
    let key = letters_key(t);
    if key.is_empty() {
        return None;
    }
    Profile::all().find(|p| p.quoc_hieu.iter().any(|l| letters_key(l.text) == key)).map(|p| p.family)
}

/// The regime of `family` in force on `date` (year, month, day; a partial date counts as its last
/// day, so a draft of "2026" is a plan of now; none means today's regime): the profiles say from when
/// and until when each applies.
fn regime_of(family: Family, date: Option<(i32, Option<u32>, Option<u32>)>) -> Regime {
    let day = date.map(|(y, m, d)| {
        let m = m.filter(|m| (1..=12).contains(m)).unwrap_or(12);
        (y, m, d.unwrap_or_else(|| crate::plan::model::days_in_month(y, m)))
    });
    let mut of_family: Vec<&Profile> = Profile::all().filter(|p| p.family == family).collect();
    // The current one (no end date) first: it is the answer when nothing else fits.
    of_family.sort_by_key(|p| p.checks.den_ngay.is_some());
    let fits = |p: &&Profile| match day {
        Some(d) => p.checks.tu_ngay.is_none_or(|f| d >= f) && p.checks.den_ngay.is_none_or(|u| d < u),
        None => p.checks.den_ngay.is_none(),
    };
    of_family.iter().copied().find(|p| fits(&p)).or(of_family.first().copied()).map(|p| p.regime).unwrap_or(Regime::ALL[0])
}

impl Recogniser<'_> {
    /// The regime: the quốc hiệu or the Party title when the header has them, else the signs
    /// counted in the rest; HD 05 or HD 36 by the date (or the year the text speaks of).
    fn regime(&mut self, h: &RegimeHints, ngay: Option<&str>) -> Regime {
        let party = match (h.quoc_hieu, h.dang) {
            (Some(_), None) => false,
            (None, Some(_)) => true,
            (q, d) => {
                let party = h.score < 0;
                let why = if q.is_some() && d.is_some() {
                    "phần đầu có cả quốc hiệu và “ĐẢNG CỘNG SẢN VIỆT NAM”"
                } else {
                    "bản gốc không có quốc hiệu hay tiêu đề Đảng"
                };
                let form = if party { "văn bản của Đảng" } else { "văn bản nhà nước (NĐ 30)" };
                self.add(
                    Loai::Doan,
                    "the_thuc",
                    format!("{why}; theo cách ghi số, ký hiệu, nơi nhận và người ký, đây là {form}"),
                    None,
                );
                party
            }
        };
        let family = if party { Family::Party } else { Family::State };
        let date = ngay.map(|d| {
            let mut it = d.split('-').map(|x| x.parse::<u32>().unwrap_or(0));
            (it.next().unwrap_or(0) as i32, it.next(), it.next())
        });
        // Without a date, the latest year the text speaks of stands for it.
        let (date, guessed) = match date {
            Some(d) => (Some(d), None),
            None => {
                let mut texts: Vec<String> = self.mo_dau.clone();
                texts.extend(self.paras.iter().filter(|(_, p)| p.style_is("trich_yeu")).map(|(_, p)| p.plain.clone()));
                let year = texts
                    .iter()
                    .chain(self.can_cu.iter())
                    .flat_map(|t| RE_YEAR.find_iter(t).map(|m| m.as_str().parse::<i32>().unwrap_or(0)).collect::<Vec<_>>())
                    .max();
                (year.map(|y| (y, None, None)), Some(year))
            }
        };
        let r = regime_of(family, date);
        if let Some(year) = guessed {
            if Profile::all().filter(|p| p.family == family).count() > 1 {
                let p = r.profile();
                let by = year.map(|y| format!(" theo năm {y} nêu trong văn bản")).unwrap_or_default();
                self.add(Loai::Doan, "the_thuc", format!("văn bản không có ngày ban hành; chọn thể thức {} ({}){by}", p.code, p.ten), None);
            }
        }
        r
    }

    /// The issuing body when the header lost it: the subject of "… ban hành/xây dựng Kế hoạch"
    /// in the opening, or the collective of "TM. …".
    fn guess_agency(&mut self, tail: &Tail) -> Vec<String> {
        let from_text = self.mo_dau.iter().find_map(|m| {
            let plain = super::para::strip_marks(m);
            RE_SUBJECT.captures(&plain).map(|c| c[1].trim().to_string())
        });
        if let Some(s) = from_text {
            let mut s = s.as_str();
            for role in ["Ban Thường vụ ", "Thường trực ", "Ban Chấp hành ", "Tập thể "] {
                if let Some(r) = s.strip_prefix(role) {
                    s = r;
                    break;
                }
            }
            let up = s.to_uppercase();
            let lines: Vec<String> =
                match ["ỦY BAN NHÂN DÂN ", "UỶ BAN NHÂN DÂN ", "HỘI ĐỒNG NHÂN DÂN "].iter().find(|p| up.starts_with(*p))
                {
                    Some(p) if up.len() > p.len() => vec![p.trim().to_string(), up[p.len()..].trim().to_string()],
                    _ => vec![up.clone()],
                };
            self.add(
                Loai::Doan,
                "co_quan_ban_hanh",
                format!("bản gốc không có tên cơ quan ở phần đầu; lấy từ câu mở đầu: “{}”", lines.join(" ")),
                None,
            );
            return lines;
        }
        if let Some((_, ten, _, _)) = tail.quyen_han.iter().find(|q| q.0 == "tm") {
            self.add(
                Loai::Doan,
                "co_quan_ban_hanh",
                format!("bản gốc không có tên cơ quan ở phần đầu; lấy từ dòng ký “TM. {ten}”"),
                None,
            );
            return vec![ten.to_uppercase()];
        }
        self.add(
            Loai::Thieu,
            "co_quan_ban_hanh",
            "bản gốc không có tên cơ quan ban hành; đã ghi tạm “[TÊN CƠ QUAN BAN HÀNH]”",
            None,
        );
        vec!["[TÊN CƠ QUAN BAN HÀNH]".into()]
    }

    /// The ký hiệu in the regime's form, with what was corrected.
    fn ky_hieu(&mut self, k: &str, n: usize, party: bool, colon: Option<bool>, so: Option<u32>) -> String {
        let num = so.map(|s| format!("{s:02}")).unwrap_or_default();
        let p = self.para_by_n(n);
        let mut out: String = k.chars().filter(|c| !c.is_whitespace()).collect();
        if out != k {
            self.add(Loai::DaSua, "ky_hieu", format!("ký hiệu “{k}” viết liền, không có khoảng trắng"), p);
        }
        if out.contains(['–', '—', '−']) {
            out = out.replace(['–', '—', '−'], "-");
            self.add(Loai::DaSua, "ky_hieu", "ký hiệu dùng dấu gạch nối “-”, không dùng gạch dài “–”", p);
        }
        if party {
            if out.find(['/', '-']).is_some_and(|i| out.as_bytes()[i] == b'-') {
                let fixed = out.replacen('-', "/", 1);
                self.add(
                    Loai::DaSua,
                    "ky_hieu",
                    format!("văn bản Đảng viết số và ký hiệu “Số {num}-{fixed}” (không phải “{num}/{out}”)"),
                    p,
                );
                out = fixed;
            }
            if colon == Some(true) {
                self.add(
                    Loai::DaSua,
                    "ky_hieu",
                    format!("văn bản Đảng viết “Số {num}-{out}”, không có dấu hai chấm sau chữ “Số”; chương trình tự in đúng"),
                    p,
                );
            }
        } else {
            if out.contains('/') {
                let fixed = out.replace('/', "-");
                self.add(Loai::DaSua, "ky_hieu", format!("văn bản nhà nước viết “Số: {num}/{fixed}” (không phải “{num}-{out}”)"), p);
                out = fixed;
            }
            if colon == Some(false) {
                self.add(
                    Loai::DaSua,
                    "ky_hieu",
                    format!("văn bản nhà nước viết “Số: {num}/{out}”, có dấu hai chấm sau chữ “Số”; chương trình tự in đúng"),
                    p,
                );
            }
        }
        out
    }

    fn can_cu_notes(&mut self, regime: Regime, out: &mut PlanOut) {
        if self.can_cu_src.is_empty() {
            return;
        }
        let prof = crate::regime::Profile::for_regime(regime);
        let n = self.can_cu_src.len();
        let src = self.can_cu_src.clone();
        let wrong_end = src.iter().enumerate().any(|(i, (last, ..))| {
            let want = if i + 1 == n { prof.can_cu.last } else { prof.can_cu.sep };
            last.map(|c| c.to_string()) != Some(want.to_string())
        });
        let first = self.para_by_n(src[0].1);
        if wrong_end {
            self.add(
                Loai::DaSua,
                "can_cu",
                format!(
                    "dấu cuối các căn cứ theo thể thức: “{}” sau mỗi căn cứ, “{}” sau căn cứ cuối; chương trình tự in",
                    prof.can_cu.sep, prof.can_cu.last
                ),
                first,
            );
        }
        if prof.can_cu.prefix.trim().is_empty() {
            if src.iter().any(|s| s.4) {
                self.add(Loai::DaSua, "can_cu", "căn cứ của văn bản nhà nước không có gạch đầu dòng; đã bỏ", first);
            }
            let body_style = src.iter().all(|s| s.3.as_deref() == Some("body"));
            let plain_docx = self.kind == Kind::Docx && src.iter().all(|s| s.3.is_none() && !s.2);
            if body_style || plain_docx {
                out.can_cu_trinh_bay = Some("doan_van");
            }
        }
    }

    /// The mark after mục and khoản numbers the source uses most.
    fn dau(&self, _tree: &[usize]) -> Option<DauDanhSo> {
        let (mut cham, mut gach) = (0, 0);
        for n in &self.nodes {
            if let Some(l) = n.label.as_ref().filter(|l| matches!(l.kind, Kieu::Muc | Kieu::Khoan)) {
                match l.dau {
                    Some('-') => gach += 1,
                    Some('.') => cham += 1,
                    _ => {}
                }
            }
        }
        match (cham, gach) {
            (0, 0) => None,
            (c, g) if g > c => Some(DauDanhSo::Gach),
            _ => Some(DauDanhSo::Cham),
        }
    }

    /// The deepest last node of the tree (the one holding the body's last paragraph).
    fn last_node(&self, tree: &[usize]) -> Option<usize> {
        let mut cur = *tree.last()?;
        while let Some(&c) = self.nodes[cur].children.last() {
            cur = c;
        }
        Some(cur)
    }

    fn last_body_text(&self) -> Option<String> {
        let n = self.last_node(&self.roots)?;
        let node = &self.nodes[n];
        node.van_ban.last().cloned().or_else(|| node.tieu_de.clone())
    }

    /// The body's ending: "./." for ND 30, "." for the Party; the engine prints it, so the typed one
    /// is taken off (and listed when it was the other regime's).
    fn ending(&mut self, regime: Regime, ket: &mut [String], tree: &[usize]) {
        // Whether the regime's own closing mark is "./." (the engine prints it either way).
        let nd30 = regime.profile().ket_thuc == "./.";
        let (had, src, target) = if let Some(l) = ket.last_mut() {
            let had = l.trim_end().ends_with("./.");
            *l = vn::strip_end_punct(l).to_string();
            let path = if ket.len() == 1 { "ket_thuc".to_string() } else { format!("ket_thuc[{}]", ket.len() - 1) };
            (had, self.ket_src.and_then(|n| self.para_by_n(n)), Err(path))
        } else if let Some(n) = self.last_node(tree) {
            let node = &mut self.nodes[n];
            let count = node.van_ban.len();
            let Some(l) = node.van_ban.last_mut() else { return };
            let had = l.trim_end().ends_with("./.");
            *l = vn::strip_end_punct(l).to_string();
            let field = if count == 1 { "van_ban".to_string() } else { format!("van_ban[{}]", count - 1) };
            let src = node.last_src;
            (had, self.para_by_n(src), Ok((n, field)))
        } else {
            return;
        };
        let msg = if had && !nd30 {
            "văn bản Đảng kết thúc nội dung bằng dấu chấm, không dùng “./.”; đã sửa"
        } else if !had && nd30 {
            "văn bản nhà nước kết thúc nội dung bằng “./.”; chương trình tự thêm"
        } else {
            return;
        };
        let note = Note { loai: Loai::DaSua, truong: String::new(), thong_bao: msg.into(), nguon: src.map(|p| self.src(p)) };
        match target {
            Err(path) => self.notes.push(Note { truong: path, ..note }),
            Ok((n, field)) => self.node_notes.entry(n).or_default().push((field, note)),
        }
    }

    fn engine_label(kind: Kieu, n: u32, parent: &str, dau: DauDanhSo) -> String {
        crate::regime::numbering::label(kind, n, parent, dau)
    }

    fn nodes_out(&mut self, ids: &[usize], base: &str, dau: DauDanhSo, parent_number: &str) -> Vec<NodeOut> {
        let mut counters: Vec<(Kieu, u32)> = Vec::new();
        let mut out = Vec::new();
        let table_parent = false;
        let _ = table_parent;
        for (i, &id) in ids.iter().enumerate() {
            let path = format!("{base}[{i}]");
            self.node_paths.insert(id, path.clone());
            let node = self.nodes[id].clone();
            let kind = node.kind;
            let n = match counters.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, c)) => {
                    *c += 1;
                    *c
                }
                None => {
                    counters.push((kind, 1));
                    1
                }
            };
            let engine = Self::engine_label(kind, n, parent_number, dau);
            let src = self.para_by_n(node.src).filter(|_| node.src > 0);
            let mut so_hieu = None;
            if let Some(l) = &node.label {
                let want = l.corrected.clone().unwrap_or_else(|| l.text.clone());
                if let Some(c) = &l.corrected {
                    let why = if l.auto {
                        "Word đánh số điểm theo chữ cái tiếng Anh"
                    } else {
                        "điểm ghi bằng chữ cái và dấu ngoặc đơn"
                    };
                    self.add(Loai::DaSua, format!("{path}.so_hieu"), format!("{why}: “{}” viết là “{c}”", l.text), src);
                }
                if want != engine && !(kind == Kieu::Doan && want.is_empty()) {
                    if kind != Kieu::Doan {
                        self.add(
                            Loai::Doan,
                            format!("{path}.so_hieu"),
                            format!(
                                "số thứ tự “{want}” của bản gốc khác thứ tự tự động (“{engine}”); giữ như bản gốc, hãy xem lại"
                            ),
                            src,
                        );
                    }
                    // As the engine's numbering does (regime/numbering.rs): after a label written by
                    // hand in the item's own form, the items after it count on from it.
                    let prefix = l.text.trim_end_matches(['.', '-']).rsplit_once('.').map(|(p, _)| p.to_string()).unwrap_or_default();
                    let own = match kind {
                        Kieu::Muc | Kieu::Khoan | Kieu::Diem | Kieu::Ngoac => l.form == kind,
                        Kieu::Tiet => l.form == Kieu::Tiet && prefix == parent_number,
                        _ => false,
                    };
                    if own
                        && l.corrected.is_none()
                        && let Some((_, c)) = counters.iter_mut().find(|(k, _)| *k == kind)
                    {
                        *c = l.number;
                    }
                    so_hieu = Some(want);
                }
            }
            let mut tieu_de = node.tieu_de.clone();
            if tieu_de.is_none() && node.van_ban.is_empty() && (node.nhiem_vu.is_empty() || kind != Kieu::Doan) {
                self.add(
                    Loai::Thieu,
                    format!("{path}.tieu_de"),
                    "mục này chỉ có số thứ tự, không có chữ; đã ghi tạm “[tiêu đề]”",
                    src,
                );
                tieu_de = Some("[tiêu đề]".into());
            }
            let label_now = so_hieu.clone().unwrap_or(engine);
            let own = label_now.trim_end_matches(['.', '-', ')']).to_string();
            let child_parent = if matches!(kind, Kieu::Khoan | Kieu::Tiet) { own } else { String::new() };
            let muc_con = self.nodes_out(&node.children, &format!("{path}.muc_con"), dau, &child_parent);
            for (field, mut note) in self.node_notes.remove(&id).unwrap_or_default() {
                note.truong = format!("{path}.{field}");
                self.notes.push(note);
            }
            let _ = &node.text;
            out.push(NodeOut {
                kieu: kieu_code(kind),
                so_hieu,
                tieu_de,
                van_ban: node.van_ban.clone(),
                nhiem_vu: (!node.nhiem_vu.is_empty()).then(|| node.nhiem_vu.clone()),
                trinh_bay_nhiem_vu: node.bang,
                muc_con,
                nhan_nhiem_vu: (!node.nhan.is_empty()).then(|| node.nhan.clone()),
                ..Default::default()
            });
        }
        out
    }

    fn tail_out(&mut self, t: Tail, regime: Regime, out: &mut PlanOut) {
        let party = regime.profile().family == Family::Party;
        let prof = crate::regime::Profile::for_regime(regime);
        if !t.noi_nhan_seen {
            self.add(Loai::Thieu, "noi_nhan", "không thấy phần “Nơi nhận:”", None);
        }
        let want = prof.noi_nhan.items.sep.chars().next().unwrap_or(';');
        if t.separators.iter().any(|&c| c != want) {
            self.add(
                Loai::DaSua,
                "noi_nhan.muc",
                format!("các nơi nhận ngăn bằng “{want}” theo {}; chương trình tự in", prof.ten),
                None,
            );
        }
        out.noi_nhan.muc = t.muc;
        out.noi_nhan.luu = match t.luu {
            Some((v, colon, n)) => {
                let p = self.para_by_n(n);
                let mut v = v;
                if party {
                    if colon {
                        self.add(
                            Loai::DaSua,
                            "noi_nhan.luu",
                            "văn bản Đảng viết “- Lưu …”, không có dấu hai chấm; chương trình tự in",
                            p,
                        );
                    }
                    let parts: Vec<&str> = v.split(',').map(str::trim).collect();
                    if parts.iter().any(|x| fold(x) == "VT") {
                        let kept: Vec<&str> = parts.into_iter().filter(|x| fold(x) != "VT").collect();
                        self.add(Loai::DaSua, "noi_nhan.luu", "văn bản Đảng không ghi “VT” ở dòng lưu; đã bỏ", p);
                        v = kept.join(", ");
                    }
                    if v.is_empty() {
                        self.add(Loai::Thieu, "noi_nhan.luu", "dòng lưu không còn nơi lưu; đã ghi tạm “Văn phòng”", p);
                        v = "Văn phòng".into();
                    }
                } else {
                    if !colon {
                        self.add(
                            Loai::DaSua,
                            "noi_nhan.luu",
                            "văn bản nhà nước viết “- Lưu: VT, …” có dấu hai chấm; chương trình tự in",
                            p,
                        );
                    }
                    if !fold(&v).starts_with("VT") {
                        self.add(
                            Loai::DaSua,
                            "noi_nhan.luu",
                            "dòng lưu của văn bản nhà nước bắt đầu bằng “VT” (văn thư); đã thêm",
                            p,
                        );
                        v = if v.is_empty() { "VT".into() } else { format!("VT, {v}") };
                    }
                }
                v
            }
            None => {
                let v = if party { "Văn phòng" } else { "VT" };
                self.add(Loai::Thieu, "noi_nhan.luu", format!("không thấy dòng “Lưu”; đã ghi tạm “{v}”"), None);
                v.into()
            }
        };
        out.ky_hieu_soan_thao = t.ky_hieu_soan_thao;
        for (i, (loai, ten, n, raw)) in t.quyen_han.into_iter().enumerate() {
            let p = self.para_by_n(n);
            let path = format!("nguoi_ky.quyen_han[{i}]");
            let mut loai: &'static str = match loai.as_str() {
                "tm" => "tm",
                "kt" => "kt",
                "tl" => "tl",
                "tuq" => "tuq",
                _ => "q",
            };
            let printed = prof.quyen_han.prefix(match loai {
                "tm" => crate::plan::model::QuyenHanLoai::Tm,
                "kt" => crate::plan::model::QuyenHanLoai::Kt,
                "tl" => crate::plan::model::QuyenHanLoai::Tl,
                "tuq" => crate::plan::model::QuyenHanLoai::Tuq,
                _ => crate::plan::model::QuyenHanLoai::Q,
            });
            match printed {
                None => {
                    self.add(
                        Loai::DaSua,
                        format!("{path}.loai"),
                        format!("văn bản Đảng không có hình thức “{raw}”; đã đổi thành “T/L” (thừa lệnh), hãy xem lại"),
                        p,
                    );
                    loai = "tl";
                }
                Some(form) if form != raw && form.trim_end_matches('.') != raw => {
                    self.add(
                        Loai::DaSua,
                        format!("{path}.loai"),
                        format!("{} ghi “{form}”, không ghi “{raw}”; chương trình tự in đúng", prof.checks.ho),
                        p,
                    );
                }
                _ => {}
            }
            out.nguoi_ky.quyen_han.push(QuyenHanOut { loai, ten });
        }
        out.nguoi_ky.chuc_vu = t.chuc_vu;
        out.nguoi_ky.chuc_danh_duoi_ten = t.duoi_ten;
        out.nguoi_ky.ho_ten = match t.ho_ten {
            Some((name, n)) => {
                let p = self.para_by_n(n);
                match RE_DEGREE.find(&name) {
                    Some(m) if m.end() < name.len() => {
                        let rest = name[m.end()..].trim().to_string();
                        self.add(
                            Loai::DaSua,
                            "nguoi_ky.ho_ten",
                            format!("không ghi học hàm, học vị, danh xưng trước tên người ký; đã bỏ “{}”", m.as_str().trim()),
                            p,
                        );
                        rest
                    }
                    _ => name,
                }
            }
            None => {
                self.add(Loai::Thieu, "nguoi_ky.ho_ten", "không thấy họ tên người ký; đã ghi tạm “[Họ và tên]”", None);
                "[Họ và tên]".into()
            }
        };
    }
}

/// Splits a header line where two columns ran together on one line (a text taken from a PDF
/// without layout): "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 06/KH-UBND Châu
/// Thành, ngày …". Other lines come back whole.
fn split_merged(s: &str) -> Vec<String> {
    let words: Vec<&str> = s.split_whitespace().collect();
    let key = |ws: &[&str]| letters_key(&ws.join(" "));
    let titles: Vec<String> = Profile::all().flat_map(|p| p.quoc_hieu.iter().map(|l| letters_key(l.text))).collect();
    for title in &titles {
        for i in 1..words.len() {
            if key(&words[i..]).starts_with(title) && !key(&words[..i]).is_empty() {
                return vec![words[..i].join(" "), words[i..].join(" ")];
            }
        }
    }
    if RE_SO.is_match(s)
        && RE_NGAY.is_match(s)
        && let Some(i) =
            words.iter().skip(1).position(|w| w.chars().any(|c| c.is_lowercase()) && !w.starts_with("ngày")).map(|i| i + 1)
    {
        return vec![words[..i].join(" "), words[i..].join(" ")];
    }
    vec![s.to_string()]
}

impl Recogniser<'_> {
    /// The JSON path source paragraph `n` went to, once the plan is written out.
    fn path_of(&self, n: usize, out: &PlanOut) -> Option<String> {
        let lines = |base: &str, len: usize, i: usize| if len == 1 { base.to_string() } else { format!("{base}[{i}]") };
        match self.dest.get(&n)? {
            Dest::Top("can_cu", i) => Some(format!("can_cu[{i}]")),
            Dest::Top("mo_dau", i) => Some(lines("mo_dau", out.mo_dau.len(), *i)),
            Dest::Top(f, i) => Some(lines(f, out.ket_thuc.len(), *i)),
            Dest::Node(id, "van_ban", i) => {
                let path = self.node_paths.get(id)?;
                Some(lines(&format!("{path}.van_ban"), self.nodes[*id].van_ban.len(), *i))
            }
            Dest::Node(id, f, _) => Some(format!("{}.{f}", self.node_paths.get(id)?)),
        }
    }
}
