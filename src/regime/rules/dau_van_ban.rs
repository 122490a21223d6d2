//! KH-TT, KH-TY, KH-NG: the header. What the engine prints by itself (quốc hiệu, tiêu ngữ, tiêu đề
//! Đảng, the `*` and the lines) typed again by hand; an issuing body of the other family; the
//! trích yếu; the date.

use super::text::{has_phrase, letters_key};
use super::{Ctx, dmy};
use crate::regime::Profile;

pub(super) fn check(c: &mut Ctx) {
    header_lines(c);
    body_family(c);
    trich_yeu(c);
    dates(c);
}

/// KH-TT-01 and KH-TT-02 over the lines of co_quan_chu_quan and co_quan_ban_hanh.
fn header_lines(c: &mut Ctx) {
    let p = c.p;
    let cl = p.checks.clauses;
    let mut found = Vec::new();
    for (base, lines) in [("co_quan_chu_quan", &c.plan.co_quan_chu_quan), ("co_quan_ban_hanh", &c.plan.co_quan_ban_hanh)] {
        for (i, line) in lines.iter().enumerate() {
            let path = super::text::line_path(base, lines, i);
            let key = letters_key(line);
            // The top-right lines of every regime, as the engine prints them.
            let printed = Profile::all().flat_map(|other| other.quoc_hieu.iter().map(move |l| (other, l.text)));
            let mut hit = None;
            for (other, text) in printed {
                let k = letters_key(text);
                if !key.is_empty() && (key.starts_with(&k) || (k.starts_with(&key) && key.split(' ').count() >= 3)) {
                    hit = Some((other, text));
                    break;
                }
            }
            if let Some((other, text)) = hit {
                let msg = if other.family == p.family {
                    format!("“{line}” là dòng “{text}” mà chương trình tự in ở góc phải theo thể thức; xoá dòng này khỏi tên cơ quan")
                } else {
                    format!(
                        "“{line}” là dòng “{text}” của {}, không dùng trong {} (the_thuc “{}”); xoá dòng này — chương trình tự in dòng đúng thể thức",
                        other.checks.ho,
                        p.checks.ho,
                        c.plan.the_thuc.code()
                    )
                };
                found.push(("KH-TT-01", path, msg));
            } else if is_separator(line) {
                found.push((
                    "KH-TT-02",
                    path,
                    format!(
                        "dòng “{line}” là dấu phân cách gõ tay; chương trình tự in {} dưới tên cơ quan, xoá dòng này",
                        p.duoi_co_quan.map(|s| format!("dấu “{s}”")).unwrap_or_else(|| "đường kẻ".into())
                    ),
                ));
            }
        }
    }
    for line in c.plan.trich_yeu.lines() {
        if is_separator(line) {
            found.push((
                "KH-TT-02",
                "trich_yeu".into(),
                format!(
                    "“{line}” là dấu phân cách gõ tay; chương trình tự in {} dưới trích yếu, xoá phần này",
                    p.duoi_trich_yeu.map(|s| format!("“{s}”")).unwrap_or_else(|| "đường kẻ".into())
                ),
            ));
        }
    }
    for (ma, path, msg) in found {
        c.add(ma, path, msg, cl.dau);
    }
}

/// A line made only of separator characters: "*", "***", "-----", "____", "———".
fn is_separator(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.chars().all(|ch| matches!(ch, '*' | '-' | '_' | '=' | '–' | '—' | '~' | '.' | ' '))
}

/// KH-TT-03: the issuing body's name has the marks of the other family and none of its own.
fn body_family(c: &mut Ctx) {
    let p = c.p;
    let name = c.plan.co_quan_ban_hanh.joined();
    if name.is_empty() {
        return;
    }
    let marks = |q: &Profile| q.checks.dau_hieu_co_quan.iter().any(|m| has_phrase(&name, m));
    if marks(p) {
        return;
    }
    let other = Profile::all().find(|q| q.family != p.family && marks(q));
    if let Some(q) = other {
        c.add_noted(
            "KH-TT-03",
            "co_quan_ban_hanh",
            format!(
                "“{name}” có vẻ là cơ quan ban hành {}, nhưng the_thuc là “{}” ({}); kiểm tra lại the_thuc (ví dụ “{}”)",
                q.checks.ho,
                c.plan.the_thuc.code(),
                p.ten,
                q.regime.code()
            ),
            p.checks.clauses.dau,
            "suy đoán từ tên cơ quan",
        );
    }
}

/// KH-TY-01 and KH-TY-02.
fn trich_yeu(c: &mut Ctx) {
    let cl = c.p.checks.clauses;
    let t = c.plan.trich_yeu.trim_end();
    if t.is_empty() {
        return;
    }
    let printed = crate::regime::vn::strip_trich_yeu_end(t);
    if printed.len() < t.len() {
        let mark = &t[printed.len()..];
        c.add_noted(
            "KH-TY-01",
            "trich_yeu",
            format!("trích yếu là tên gọi của kế hoạch, không kết thúc bằng dấu câu: dấu “{mark}” ở cuối đã được bỏ khi in"),
            cl.trich_yeu,
            "các mẫu của văn bản quy định không có dấu câu cuối trích yếu",
        );
    }
    let ten_loai = letters_key(&c.plan.ten_loai);
    let key = letters_key(t);
    if !ten_loai.is_empty() && (key == ten_loai || key.starts_with(&format!("{ten_loai} "))) {
        c.add_noted(
            "KH-TY-02",
            "trich_yeu",
            format!(
                "trích yếu bắt đầu bằng tên loại “{}” mà chương trình đã in ở dòng trên; bỏ chữ này, ví dụ “Tổ chức …”",
                c.plan.ten_loai
            ),
            cl.trich_yeu,
            "thông lệ",
        );
    } else if t.to_lowercase().starts_with("v/v") {
        c.add_noted(
            "KH-TY-02",
            "trich_yeu",
            "“V/v” là cách viết trích yếu của công văn; kế hoạch có tên loại nên trích yếu viết thẳng nội dung",
            cl.trich_yeu,
            "“V/v” chỉ dùng cho công văn",
        );
    }
}

/// KH-NG-01 and KH-NG-02.
fn dates(c: &mut Ctx) {
    let p = c.p;
    let cl = p.checks.clauses;
    let today = c.opts.hom_nay;
    let (first, last) = c.date_range();
    if let Some(d) = c.plan.ngay {
        let limit = (today.0 + 1, today.1, today.2.min(crate::plan::model::days_in_month(today.0 + 1, today.1)));
        if first > limit {
            c.add_noted(
                "KH-NG-01",
                "ngay",
                format!(
                    "ngày {} ở quá xa trong tương lai (hơn một năm sau hôm nay, {}); kiểm tra lại năm",
                    show(&d),
                    dmy(today)
                ),
                cl.ngay,
                "kiểm tra nhập liệu, không phải quy định",
            );
        }
    }
    let from = p.checks.tu_ngay;
    let until = p.checks.den_ngay;
    let before = from.is_some_and(|f| last < f);
    let after = until.is_some_and(|u| first >= u);
    if before || after {
        let when = if c.plan.ngay.is_some() { "kế hoạch đề ngày" } else { "kế hoạch chưa ghi ngày, tính theo hôm nay" };
        let date = c.plan.ngay.as_ref().map(show).unwrap_or_else(|| dmy(today));
        // The regime of the same family whose period holds the date.
        let better = Profile::all().find(|q| {
            q.family == p.family
                && q.regime != p.regime
                && q.checks.tu_ngay.is_none_or(|f| last >= f)
                && q.checks.den_ngay.is_none_or(|u| first < u)
        });
        let why = if before {
            format!("{} chỉ áp dụng từ ngày {}", p.ten, dmy(from.unwrap_or_default()))
        } else {
            format!("{} đã được thay thế từ ngày {}", p.ten, dmy(until.unwrap_or_default()))
        };
        let hint = better.map(|q| format!("; dùng the_thuc “{}” ({})", q.regime.code(), q.ten)).unwrap_or_default();
        c.add("KH-NG-02", "ngay", format!("{when} {date}, nhưng {why}{hint}"), cl.hieu_luc);
    }
}

/// "05/02/2026", "02/2026" or "2026".
fn show(d: &crate::plan::model::Ngay) -> String {
    match (d.thang, d.ngay) {
        (Some(m), Some(day)) => format!("{day:02}/{m:02}/{}", d.nam),
        (Some(m), None) => format!("{m:02}/{}", d.nam),
        _ => d.nam.to_string(),
    }
}
