//! How findings are shown: as text grouped by field (for people), one line each on standard error
//! (for `render`), or as JSON (for machines).

use crate::error::Error;
use crate::regime::rules::{Finding, MucDo};
pub use crate::regime::rules::has_errors;

/// "2 lỗi, 1 cảnh báo" (only the kinds that occur).
pub fn summary(findings: &[Finding]) -> String {
    let count = |m: MucDo| findings.iter().filter(|f| f.muc_do == m).count();
    let parts: Vec<String> = [MucDo::Loi, MucDo::CanhBao, MucDo::ThongTin]
        .into_iter()
        .filter(|m| count(*m) > 0)
        .map(|m| format!("{} {}", count(m), m.ten()))
        .collect();
    parts.join(", ")
}

/// "`can_cu[2]` (căn cứ thứ 3, dòng 12, cột 5)": the field's path, where it is as staff name it, and
/// where it is in the file.
fn field(f: &Finding) -> String {
    if f.truong.is_empty() {
        return "(cả kế hoạch)".into();
    }
    let mut at = Vec::new();
    if let Some(v) = &f.vi_tri {
        at.push(v.clone());
    }
    if let (Some(l), Some(c)) = (f.dong, f.cot) {
        at.push(format!("dòng {l}, cột {c}"));
    }
    if at.is_empty() { format!("`{}`", f.truong) } else { format!("`{}` ({})", f.truong, at.join(", ")) }
}

/// The report of one file: a summary line, then the findings grouped by field, in document order
/// (the order `crate::regime::rules::check` returns them in).
pub fn text(file: &str, findings: &[Finding]) -> String {
    if findings.is_empty() {
        return format!("{file}: hợp lệ\n");
    }
    let mut out = format!("{file}: {}", summary(findings));
    if crate::regime::rules::has_errors(findings) {
        out.push_str(" — cần sửa hết lỗi trước khi xuất văn bản");
    }
    out.push('\n');
    let mut last: Option<&str> = None;
    for f in findings {
        if last != Some(f.truong.as_str()) {
            out.push_str(&format!("  {}\n", field(f)));
            last = Some(&f.truong);
        }
        out.push_str(&format!("    {} [{}]: {}\n", f.muc_do.ten(), f.ma, f.thong_bao));
        out.push_str(&format!("      theo: {}\n", f.can_cu));
    }
    out
}

/// One line per finding, errors first: "Lỗi: `ky_hieu`: … [KH-SO-01; NĐ 30/2020, …]".
pub fn lines(findings: &[Finding]) -> Vec<String> {
    let mut v: Vec<&Finding> = findings.iter().collect();
    v.sort_by_key(|f| f.muc_do);
    v.iter()
        .map(|f| {
            let head = match f.muc_do {
                MucDo::Loi => "Lỗi",
                MucDo::CanhBao => "Cảnh báo",
                MucDo::ThongTin => "Thông tin",
            };
            let at = if f.truong.is_empty() { String::new() } else { format!("{}: ", field(f)) };
            format!("{head}: {at}{} [{}; {}]", f.thong_bao, f.ma, f.can_cu)
        })
        .collect()
}

/// The JSON report of one file: its findings, or the error that stopped reading it.
pub fn json(file: &str, result: &Result<Vec<Finding>, Error>) -> serde_json::Value {
    match result {
        Ok(findings) => {
            let count = |m: MucDo| findings.iter().filter(|f| f.muc_do == m).count();
            serde_json::json!({
                "tep": file,
                "hop_le": !crate::regime::rules::has_errors(findings),
                "so_loi": count(MucDo::Loi),
                "so_canh_bao": count(MucDo::CanhBao),
                "so_thong_tin": count(MucDo::ThongTin),
                "phat_hien": findings,
            })
        }
        Err(e) => {
            let (truong, line, column) = match e {
                Error::Field { path, line, column, .. } => (path.clone(), *line, *column),
                _ => (String::new(), None, None),
            };
            serde_json::json!({
                "tep": file,
                "hop_le": false,
                "loi_doc": { "truong": truong, "thong_bao": e.to_string(), "dong": line, "cot": column },
                "phat_hien": [],
            })
        }
    }
}
