//! KH-KY: the signature block. `quyen_han` is structured, so the engine prints TM./T/M, KT./K/T …
//! in the regime's own form; the mix-ups of §6.1 and §6.11 show up in the free-text fields.

use super::text::{find_phrase, fold, has_phrase, starts_with_phrase, words};
use super::{Ctx, MucDo};
use crate::plan::model::QuyenHanLoai;
use crate::regime::Profile;

const LOAI: [(QuyenHanLoai, &str); 5] = [
    (QuyenHanLoai::Tm, "tm"),
    (QuyenHanLoai::Kt, "kt"),
    (QuyenHanLoai::Tl, "tl"),
    (QuyenHanLoai::Tuq, "tuq"),
    (QuyenHanLoai::Q, "q"),
];

/// Degrees and academic titles (học vị, học hàm) and professional titles written before a name.
const HOC_VI: &[&str] = &[
    "TS", "TSKH", "ThS", "Ths", "PGS", "GS", "KS", "BS", "CN", "DS", "LS", "KTS", "NGƯT", "NGND", "TTƯT", "TTND", "BSCKI",
    "BSCKII",
];
const HOC_VI_WORDS: &[&str] =
    &["Tiến sĩ", "Tiến sỹ", "Thạc sĩ", "Thạc sỹ", "Giáo sư", "Phó Giáo sư", "Kỹ sư", "Bác sĩ", "Bác sỹ", "Cử nhân", "Dược sĩ", "Luật sư", "Kiến trúc sư"];
/// Honorifics and military ranks.
const DANH_XUNG: &[&str] = &[
    "Đồng chí", "Đ/c", "Đại tướng", "Thượng tướng", "Trung tướng", "Thiếu tướng", "Đại tá", "Thượng tá", "Trung tá",
    "Thiếu tá", "Đại úy", "Thượng úy", "Trung úy", "Thiếu úy",
];
/// Honorifics that are also surnames ("Ông" is one): only ever a warning.
const DANH_XUNG_HO: &[&str] = &["Ông", "Bà"];

/// Titles of deputies: the signer under KT. / K/T.
const CAP_PHO: &[&str] = &["PHÓ", "THỨ TRƯỞNG"];

pub(super) fn check(c: &mut Ctx) {
    typed_prefixes(c);
    forms(c);
    name(c);
    deputy(c);
    party_titles(c);
}

/// The signing form a word stands for and the regime whose spelling it is, if it is one:
/// "TM." → (tm, ND 30), "T/M" → (tm, Party), "TM" → (tm, none).
fn signing_form(token: &str) -> Option<(QuyenHanLoai, Option<&'static Profile>)> {
    let up = token.to_uppercase();
    let bare: String = up.chars().filter(|c| !matches!(c, '.' | '/')).collect();
    let (loai, _) = LOAI.iter().find(|(_, code)| code.to_uppercase() == bare)?;
    // "Q" alone is a letter; only "Q." is the form.
    if *loai == QuyenHanLoai::Q && up != "Q." {
        return None;
    }
    let owner = Profile::all().find(|p| p.quyen_han.prefix(*loai) == Some(up.as_str()));
    Some((*loai, owner))
}

/// KH-KY-01: "TM. ỦY BAN NHÂN DÂN" typed into the title, the name, or after a quyen_han's type.
fn typed_prefixes(c: &mut Ctx) {
    let p = c.p;
    let mut fields: Vec<(String, &str)> = Vec::new();
    for (i, q) in c.plan.nguoi_ky.quyen_han.iter().enumerate() {
        fields.push((format!("nguoi_ky.quyen_han[{i}].ten"), q.ten.as_str()));
    }
    let ky = &c.plan.nguoi_ky;
    for (i, t) in ky.chuc_vu.iter().enumerate() {
        fields.push((super::text::line_path("nguoi_ky.chuc_vu", &ky.chuc_vu, i), t.as_str()));
    }
    fields.push(("nguoi_ky.ho_ten".into(), ky.ho_ten.as_str()));
    for (i, t) in ky.chuc_danh_duoi_ten.iter().enumerate() {
        fields.push((super::text::line_path("nguoi_ky.chuc_danh_duoi_ten", &ky.chuc_danh_duoi_ten, i), t.as_str()));
    }
    let mut found = Vec::new();
    for (path, t) in fields {
        let Some(token) = t.split_whitespace().next() else { continue };
        let Some((loai, owner)) = signing_form(token) else { continue };
        let code = LOAI.iter().find(|(l, _)| *l == loai).map(|(_, c)| *c).unwrap_or("tm");
        let own = p.quyen_han.prefix(loai);
        let rest = t[token.len()..].trim();
        let how = format!("{{\"loai\": \"{code}\", \"ten\": \"{rest}\"}}");
        let mix = match (owner, own) {
            (Some(o), _) if o.family != p.family => match own {
                Some(x) => format!("“{token}” là cách viết của {}; {} viết “{x}”. ", o.checks.ho, p.checks.ho),
                None => format!("“{token}” là cách viết của {}; {} không có hình thức ký này. ", o.checks.ho, p.checks.ho),
            },
            _ => String::new(),
        };
        let msg = if path.ends_with(".ten") {
            format!("{mix}“{t}”: chữ viết tắt quyền hạn đã có ở loai, chương trình tự in; trường ten chỉ ghi “{rest}”")
        } else {
            format!("{mix}“{t}”: quyền hạn ký khai ở nguoi_ky.quyen_han, ví dụ {how}; chương trình tự in đúng thể thức")
        };
        found.push((path, msg));
    }
    for (path, msg) in found {
        c.add("KH-KY-01", path, msg, p.checks.clauses.quyen_han);
    }
}

/// KH-KY-02: a signing form the regime does not have (TUQ. in a Party plan).
fn forms(c: &mut Ctx) {
    let p = c.p;
    let mut found = Vec::new();
    for (i, q) in c.plan.nguoi_ky.quyen_han.iter().enumerate() {
        if p.quyen_han.prefix(q.loai).is_none() {
            let code = LOAI.iter().find(|(l, _)| *l == q.loai).map(|(_, c)| *c).unwrap_or("");
            found.push((
                format!("nguoi_ky.quyen_han[{i}].loai"),
                format!(
                    "{} không có hình thức ký “{code}” (TUQ. chỉ dùng trong văn bản của cơ quan nhà nước); chọn tm, kt, tl hoặc q",
                    p.ten
                ),
            ));
        }
    }
    for (path, msg) in found {
        c.add("KH-KY-02", path, msg, p.checks.clauses.quyen_han);
    }
}

/// KH-KY-03 and KH-KY-04: what stands before the signer's name.
fn name(c: &mut Ctx) {
    let p = c.p;
    let cl = p.checks.clauses.ho_ten;
    let name = c.plan.nguoi_ky.ho_ten.as_str();
    let Some(first) = name.split_whitespace().next() else { return };
    // "PGS.TS." "ThS.BS" "TS." "TS": the first part before a dot.
    let head = first.split('.').next().unwrap_or("");
    let abbr = HOC_VI.iter().find(|a| a.eq_ignore_ascii_case(head) && (first.contains('.') || name.split_whitespace().count() > 1));
    let word = HOC_VI_WORDS.iter().find(|w| starts_with_phrase(name, w));
    if let Some(t) = abbr.map(|_| first.to_string()).or(word.map(|w| w.to_string())) {
        c.add(
            "KH-KY-03",
            "nguoi_ky.ho_ten",
            format!("“{name}”: không ghi học hàm, học vị (“{t}”) trước họ tên người ký; chỉ ghi họ và tên"),
            cl,
        );
        return;
    }
    if let Some(d) = DANH_XUNG.iter().find(|d| starts_with_phrase(name, d) || first.eq_ignore_ascii_case(d)) {
        let muc_do = if p.checks.cam_danh_xung { MucDo::Loi } else { MucDo::CanhBao };
        c.add_as(
            "KH-KY-04",
            muc_do,
            "nguoi_ky.ho_ten",
            format!("“{name}”: không ghi danh xưng hoặc cấp bậc (“{d}”) trước họ tên người ký"),
            cl,
        );
    } else if let Some(d) = DANH_XUNG_HO.iter().find(|d| words(name).first() == Some(d)) {
        c.add_as(
            "KH-KY-04",
            MucDo::CanhBao,
            "nguoi_ky.ho_ten",
            format!("“{name}”: nếu “{d}” là danh xưng thì bỏ đi, chỉ ghi họ và tên (nếu là họ của người ký thì bỏ qua cảnh báo này)"),
            cl,
        );
    }
}

/// KH-KY-05: KT. / K/T is signed by a deputy.
fn deputy(c: &mut Ctx) {
    let p = c.p;
    let ky = &c.plan.nguoi_ky;
    let Some(kt) = ky.quyen_han.iter().find(|q| q.loai == QuyenHanLoai::Kt) else { return };
    // K/T for a collective is its own mistake (KH-KY-06); there is no deputy of a collective.
    if p.checks.khong_ky_thay.iter().any(|t| starts_with_phrase(&kt.ten, t)) {
        return;
    }
    let prefix = p.quyen_han.kt;
    let msg = match ky.chuc_vu.0.first() {
        None => format!("ký thay (“{prefix} {}”) cần chức vụ của cấp phó ở chuc_vu, ví dụ “PHÓ {}”", kt.ten, kt.ten),
        Some(cv) if CAP_PHO.iter().any(|d| starts_with_phrase(cv, d)) => return,
        Some(cv) => format!(
            "người ký thay (“{prefix} {}”) là cấp phó, nhưng chức vụ là “{cv}”; ghi chức vụ cấp phó (ví dụ “PHÓ {}”) hoặc, nếu người đứng đầu ký, bỏ “{prefix}”",
            kt.ten, kt.ten
        ),
    };
    c.add("KH-KY-05", "nguoi_ky.chuc_vu", msg, p.checks.clauses.quyen_han);
}

/// KH-KY-06, KH-KY-07, KH-KY-08: the Party's signing rules (HD 05 §7.1), driven by the profile.
fn party_titles(c: &mut Ctx) {
    let p = c.p;
    let ck = p.checks;
    let ky = &c.plan.nguoi_ky;
    let mut found: Vec<(&'static str, MucDo, String, String)> = Vec::new();
    for (i, q) in ky.quyen_han.iter().enumerate() {
        if q.loai != QuyenHanLoai::Kt {
            continue;
        }
        if ck.khong_ky_thay.iter().any(|t| starts_with_phrase(&q.ten, t)) {
            found.push((
                "KH-KY-06",
                MucDo::Loi,
                format!("nguoi_ky.quyen_han[{i}]"),
                format!(
                    "“{} {}”: cấp uỷ và các tập thể lãnh đạo của Đảng (và bí thư, người đứng đầu tập thể) không có hình thức ký thay; cấp phó ký “{} <tên tập thể>” với chức vụ của mình, ví dụ “{} ĐẢNG UỶ” / “PHÓ BÍ THƯ”",
                    p.quyen_han.kt,
                    q.ten,
                    p.quyen_han.tm,
                    p.quyen_han.tm
                ),
            ));
        }
    }
    if ck.chuc_vu_khong_ten_co_quan {
        let body = c.plan.co_quan_ban_hanh.joined();
        for (i, cv) in ky.chuc_vu.iter().enumerate() {
            let path = super::text::line_path("nguoi_ky.chuc_vu", &ky.chuc_vu, i);
            // A line that starts with a signing form is KH-KY-01's finding.
            if cv.split_whitespace().next().is_some_and(|t| signing_form(t).is_some()) {
                continue;
            }
            let Some(at) = ck.dau_hieu_co_quan.iter().filter_map(|m| find_phrase(cv, m)).min() else { continue };
            // Indices are of the folded words (folding can split a word, so never index the original).
            let folded = fold(cv);
            let tail = words(&folded).get(at..).map(|w| w.join(" ")).unwrap_or_default();
            // The issuing body's own name repeated: no exception applies. Another body's name may
            // be the exception of HD 05 (bodies without a seal of their own; joint documents).
            let own = has_own_words(cv, &body, ck.dau_ten_co_quan);
            let (muc_do, note) = if own {
                (MucDo::Loi, "")
            } else {
                (MucDo::CanhBao, " (trừ ban, hội đồng không có con dấu riêng và văn bản liên tịch)")
            };
            found.push((
                "KH-KY-07",
                muc_do,
                path,
                format!("“{cv}”: chức vụ người ký trong {} không ghi kèm tên cơ quan (“{tail}”){note}; ví dụ “PHÓ BÍ THƯ”", ck.ho),
            ));
        }
    }
    if let Some(allowed) = ck.chuc_vu_thay_mat {
        if ky.quyen_han.iter().any(|q| q.loai == QuyenHanLoai::Tm) {
            if let Some(cv) = ky.chuc_vu.0.first() {
                let typed_form = cv.split_whitespace().next().is_some_and(|t| signing_form(t).is_some());
                if !typed_form && !allowed.iter().any(|t| starts_with_phrase(cv, t)) {
                    let list: Vec<String> = allowed.iter().map(|t| t.to_lowercase()).collect();
                    found.push((
                        "KH-KY-08",
                        MucDo::Loi,
                        super::text::line_path("nguoi_ky.chuc_vu", &ky.chuc_vu, 0),
                        format!("“{cv}”: khi ký “{}” chỉ ghi một trong các chức vụ: {}", p.quyen_han.tm, list.join(", ")),
                    ));
                }
            }
        }
    }
    for (ma, muc_do, path, msg) in found {
        let clause = if ma == "KH-KY-07" { ck.clauses.chuc_vu } else { ck.clauses.quyen_han };
        c.add_as(ma, muc_do, path, msg, clause);
    }
}

/// Whether the words after the title in `cv` are words of the issuing body's name ("PHÓ BÍ THƯ
/// ĐẢNG UỶ XÃ" in a plan of "ĐẢNG UỶ XÃ ĐẠ HUOAI"); a body's name begins with one of `starts`.
fn has_own_words(cv: &str, body: &str, starts: &[&str]) -> bool {
    let f = fold(cv);
    let w = words(&f);
    // Drop the title: everything up to the first word of a body's name.
    let start = w.iter().position(|x| starts.contains(x));
    match start {
        Some(s) if w.len() - s >= 2 => has_phrase(body, &w[s..].join(" ")),
        _ => false,
    }
}
