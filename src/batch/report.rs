//! The batch report, `bao-cao.json`: one entry per unit in the order of the units file, written as
//! the units are done (never held whole), under a temporary name renamed into place at the end.
//!
//! ```json
//! {
//!   "chuong_trinh": "kehoach 0.1.0",
//!   "ke_hoach": "samples/xa-mau-2026.json",
//!   "tep_don_vi": "samples/don-vi-200.csv",
//!   "dinh_dang": ["docx", "pdf"],
//!   "thu_muc": "out",
//!   "zip": null,
//!   "ban_xem": null,
//!   "don_vi": [
//!     { "stt": 1, "ma": "Xã An Phú", "ten_tep": "xa-an-phu", "dong": 2, "trang_thai": "da_xuat",
//!       "tep": ["xa-an-phu.docx", "xa-an-phu.pdf"], "so_trang": 5, "loi": [], "phat_hien": [] },
//!     { "stt": 2, "ma": "Xã Tân Hòa", "ten_tep": "xa-tan-hoa", "dong": 3, "trang_thai": "loi", "tep": [],
//!       "loi": [{ "truong": "ngay", "thong_bao": "ngày 2026-02-30 không tồn tại …" }], "phat_hien": [] }
//!   ],
//!   "loi_tep_don_vi": null,
//!   "tong_ket": { "so_don_vi": 2, "da_xuat": 1, "loi": 1, "so_tep": 2, "co_canh_bao": 0 }
//! }
//! ```
//!
//! `stt`: place in the units file (from 1); `ma`: the unit's id as given; `ten_tep`: the file name
//! made from it; `dong`: its line in a CSV; `trang_thai`: `da_xuat` (written) or `loi`; `tep`: the
//! files written (names in the output folder, or in the ZIP); `so_trang`: pages of its PDF; `loi`:
//! what stopped it (`truong`: the field's path; `ma`: the rule id for a rule of thể thức); `phat_hien`:
//! the warnings and notes of the rules of thể thức (as `kehoach check --format json` gives them);
//! `loi_tep_don_vi`: an error that stopped reading the units file part-way (the units before it are
//! listed). Everything is in the order of the units file, whatever the number of threads.

use super::Done;
use crate::error::Error;
use crate::plan::load::vn_io;
use serde::Serialize;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// The report's file name in the output folder.
pub const FILE_NAME: &str = "bao-cao.json";

#[derive(Serialize)]
pub struct Head<'a> {
    pub chuong_trinh: String,
    pub ke_hoach: &'a str,
    pub tep_don_vi: &'a str,
    pub dinh_dang: Vec<&'static str>,
    pub thu_muc: Option<String>,
    pub zip: Option<String>,
    pub ban_xem: Option<String>,
}

/// The counts of a batch run.
#[derive(Serialize, Default, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Totals {
    /// Units read.
    pub so_don_vi: usize,
    /// Units whose files were made.
    pub da_xuat: usize,
    /// Units that failed.
    pub loi: usize,
    /// Files made.
    pub so_tep: usize,
    /// Units whose plan has warnings.
    pub co_canh_bao: usize,
    /// Units not made because the run was stopped (Ctrl-C); only when there are some.
    #[serde(skip_serializing_if = "is_zero")]
    pub chua_xuat: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Serialize)]
struct Entry<'a> {
    stt: usize,
    ma: &'a str,
    ten_tep: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    dong: Option<u64>,
    trang_thai: &'static str,
    tep: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    so_trang: Option<usize>,
    loi: &'a [super::UnitError],
    phat_hien: &'a [crate::regime::rules::Finding],
}

/// The report being written.
pub struct Writer {
    out: BufWriter<std::fs::File>,
    tmp: crate::output::Temp,
    path: PathBuf,
    first: bool,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::io(path.display(), vn_io(&e))
}

/// Indents every line but the first of `s` by `n` spaces.
fn indent(s: &str, n: usize) -> String {
    s.replace('\n', &format!("\n{}", " ".repeat(n)))
}

impl Writer {
    pub fn create(path: &Path, head: &Head) -> Result<Writer, Error> {
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let mut tmp = crate::output::Temp::new(dir, crate::output::Privacy::Usual)?;
        let file = tmp.file().try_clone().map_err(io(dir))?;
        let mut out = BufWriter::new(file);
        let head = serde_json::to_string_pretty(head).expect("the report head serialises");
        // The head's closing brace is replaced by the list of units.
        let head = head.trim_end().strip_suffix('}').unwrap_or(&head).trim_end();
        write!(out, "{head},\n  \"don_vi\": [").map_err(io(path))?;
        Ok(Writer { out, tmp, path: path.to_path_buf(), first: true })
    }

    pub fn unit(&mut self, d: &Done) -> Result<(), Error> {
        let e = Entry {
            stt: d.index + 1,
            ma: &d.id,
            ten_tep: &d.slug,
            dong: d.line,
            trang_thai: if d.skipped { "chua_xuat" } else if d.errors.is_empty() { "da_xuat" } else { "loi" },
            tep: &d.files,
            so_trang: d.pages,
            loi: &d.errors,
            phat_hien: &d.findings,
        };
        let json = serde_json::to_string_pretty(&e).expect("a report entry serialises");
        let sep = if std::mem::take(&mut self.first) { "" } else { "," };
        write!(self.out, "{sep}\n    {}", indent(&json, 4)).map_err(io(&self.path))
    }

    /// Closes the lists, writes the totals and renames the report into place. `stopped`: why the run
    /// ended early (Ctrl-C), written as `dung_giua_chung`; `private`: a unit was secret, so the
    /// report is readable by its owner only.
    pub fn finish(mut self, totals: &Totals, file_error: Option<&str>, stopped: Option<&str>, private: bool) -> Result<PathBuf, Error> {
        let close = if self.first { "]" } else { "\n  ]" };
        let totals = serde_json::to_string_pretty(totals).expect("totals serialise");
        let file_error = serde_json::to_string(&file_error).expect("a string serialises");
        let stopped = match stopped {
            Some(s) => format!(",\n  \"dung_giua_chung\": {}", serde_json::to_string(s).expect("a string serialises")),
            None => String::new(),
        };
        write!(self.out, "{close},\n  \"loi_tep_don_vi\": {file_error}{stopped},\n  \"tong_ket\": {}\n}}\n", indent(&totals, 2))
            .map_err(io(&self.path))?;
        self.out.flush().map_err(io(&self.path))?;
        if private {
            self.tmp.make_private();
        }
        self.tmp.persist(&self.path)?;
        Ok(self.path)
    }
}
