//! The review list ("cần xem lại"): what the import guessed, corrected, could not find or could not
//! place, each with the JSON path of the field and the source paragraph it came from.

use serde::Serialize;

/// What kind of note it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Loai {
    /// The source lacks it; a placeholder or nothing was written.
    Thieu,
    /// The source broke a rule of thể thức; the correct form was written.
    DaSua,
    /// Not certain: the import chose one reading of the source.
    Doan,
    /// Source text that could not be placed in the plan (it is not in the JSON).
    BoQua,
}

impl Loai {
    /// The word the review list prints for it.
    pub fn ten(self) -> &'static str {
        match self {
            Loai::Thieu => "thiếu",
            Loai::DaSua => "đã sửa",
            Loai::Doan => "đoán",
            Loai::BoQua => "bỏ qua",
        }
    }
}

/// Where in the source a note comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Nguon {
    /// "đoạn" (a DOCX paragraph, counting the non-empty ones from the top) or "dòng" (a text line).
    pub don_vi: &'static str,
    /// The paragraph's or line's number (1-based).
    pub so: usize,
    /// The beginning of that paragraph's text.
    pub trich: String,
}

/// One entry of the review list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Note {
    /// What kind of note it is.
    pub loai: Loai,
    /// The JSON path in the plan, e.g. `noi_dung[1].muc_con[0].so_hieu`; empty for the plan as a whole.
    pub truong: String,
    /// What was done and what to check, in Vietnamese.
    pub thong_bao: String,
    /// The source paragraph it comes from, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nguon: Option<Nguon>,
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.loai.ten())?;
        if !self.truong.is_empty() {
            write!(f, " `{}`", self.truong)?;
        }
        write!(f, ": {}", self.thong_bao)?;
        if let Some(n) = &self.nguon {
            write!(f, " ({} {}: “{}”)", n.don_vi, n.so, n.trich)?;
        }
        Ok(())
    }
}

/// The beginning of a source text for a note: at most 70 characters, cut at a word.
pub(crate) fn excerpt(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= 70 {
        return s;
    }
    let cut: String = s.chars().take(70).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > 30 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{cut} …")
}

/// At most this many notes are printed; the report file has them all.
pub const MAX_SHOWN: usize = 200;

/// The review list as the lines printed on standard error.
pub fn lines(notes: &[Note]) -> Vec<String> {
    if notes.is_empty() {
        return vec!["Không có gì cần xem lại.".into()];
    }
    let mut out = vec![format!("Cần xem lại ({} mục):", notes.len())];
    out.extend(notes.iter().take(MAX_SHOWN).map(|n| format!("  - {n}")));
    if notes.len() > MAX_SHOWN {
        out.push(format!("  … và {} mục nữa (xem đủ trong tệp --report)", notes.len() - MAX_SHOWN));
    }
    out
}
