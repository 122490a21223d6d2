//! KH-SO: the number and the ký hiệu. The engine prints "Số:" / "Số", the separator and the padded
//! number; staff type the ký hiệu by hand, and the mistakes of §6.1–6.3 show up there.

use super::Ctx;

/// Dash-like characters typed in place of the hyphen (§6.3).
const DASHES: &[char] = &['‐', '‑', '‒', '–', '—', '―', '−', '﹣', '－'];

/// Phụ lục III (ND 30) and HD 05 §3: abbreviations of the document types a plan can be.
const TYPE_ABBREVIATIONS: &[(&str, &str)] = &[
    ("KẾ HOẠCH", "KH"),
    ("CHƯƠNG TRÌNH", "CTr"),
    ("PHƯƠNG ÁN", "PA"),
    ("ĐỀ ÁN", "ĐA"),
    ("BÁO CÁO", "BC"),
    ("HƯỚNG DẪN", "HD"),
    ("THÔNG BÁO", "TB"),
];

pub(super) fn check(c: &mut Ctx) {
    let p = c.p;
    let cl = p.checks.clauses;
    let ex = p.checks.vi_du_ky_hieu;
    if c.plan.so == Some(0) {
        c.add("KH-SO-08", "so", "số văn bản bắt đầu từ 01; số 0 không dùng được (bỏ trống trường so nếu chưa cấp số)", cl.so_ky_hieu);
    }
    let raw = c.plan.ky_hieu.as_str();
    if raw.is_empty() {
        return;
    }
    let mut k = raw.trim();
    // KH-SO-01: "Số:" / "Số" typed in front.
    if let Some(rest) = strip_so(k) {
        c.add(
            "KH-SO-01",
            "ky_hieu",
            format!(
                "“{raw}”: chữ “{}” do chương trình tự in theo thể thức; trường ky_hieu chỉ ghi ký hiệu, ví dụ “{ex}”",
                p.so.prefix.trim()
            ),
            cl.so_ky_hieu,
        );
        k = rest;
    }
    // KH-SO-02: the number, or a leading separator, typed into the ký hiệu.
    let digits: String = k.chars().take_while(|c| c.is_ascii_digit()).collect();
    let after_digits = &k[digits.len()..];
    let starts_with_sep = after_digits.trim_start().starts_with(['/', '-']) || after_digits.trim_start().starts_with(DASHES);
    if !digits.is_empty() || (starts_with_sep && digits.is_empty()) {
        let what = if digits.is_empty() {
            format!("dấu “{}” ở đầu do chương trình tự in giữa số và ký hiệu", &after_digits.trim_start()[..after_digits.trim_start().chars().next().map_or(0, char::len_utf8)])
        } else {
            format!("số “{digits}” ghi vào trường so (\"so\": {}), không ghi trong ký hiệu", digits.trim_start_matches('0').parse::<u64>().unwrap_or(0))
        };
        c.add("KH-SO-02", "ky_hieu", format!("“{raw}”: {what}; ký hiệu chỉ gồm chữ, ví dụ “{ex}”"), cl.so_ky_hieu);
        k = after_digits.trim_start();
        k = k.strip_prefix(['/', '-']).or_else(|| k.strip_prefix(DASHES)).unwrap_or(k);
    }
    // KH-SO-04: spaces.
    if k.chars().any(char::is_whitespace) {
        c.add(
            "KH-SO-04",
            "ky_hieu",
            format!("“{raw}” có khoảng trắng; ký hiệu viết liền, không có khoảng trắng quanh dấu “/” và “-”, ví dụ “{ex}”"),
            cl.so_ky_hieu,
        );
    }
    // KH-SO-05: dashes for the hyphen.
    let dashes: Vec<char> = k.chars().filter(|ch| DASHES.contains(ch)).collect();
    if !dashes.is_empty() {
        c.add(
            "KH-SO-05",
            "ky_hieu",
            format!("“{raw}” dùng “{}” (U+{:04X}); giữa các nhóm chữ viết tắt dùng dấu gạch nối “-” trên bàn phím", dashes[0], dashes[0] as u32),
            cl.so_ky_hieu,
        );
    }
    // What the ký hiệu is once those are fixed.
    let norm: String =
        k.chars().filter(|ch| !ch.is_whitespace()).map(|ch| if DASHES.contains(&ch) { '-' } else { ch }).collect();
    let sep = p.so.ky_hieu_sep;
    let first_sep = norm.find(['/', '-']);
    // KH-SO-03: the regime's order of "/" and "-".
    match first_sep {
        None => c.add(
            "KH-SO-03",
            "ky_hieu",
            format!("“{raw}” thiếu chữ viết tắt tên cơ quan; ký hiệu gồm tên loại và cơ quan nối bằng “{sep}”, ví dụ “{ex}”"),
            cl.so_ky_hieu,
        ),
        Some(i) => {
            let found = &norm[i..i + 1];
            // ND 30 has no "/" inside the ký hiệu (it stands between number and ký hiệu); the Party
            // form puts "/" first and may join several bodies with "-" after it.
            let wrong = found != sep || (sep == "-" && norm.contains('/'));
            if wrong {
                let fixed = if sep == "-" { norm.replacen('/', "-", 1) } else { norm.replacen('-', "/", 1) };
                c.add(
                    "KH-SO-03",
                    "ky_hieu",
                    format!(
                        "“{raw}” không đúng thứ tự của {}: viết “{fixed}” (số{}loại{sep}cơ quan), ví dụ “{ex}”",
                        p.checks.ho,
                        p.so.sep,
                    ),
                    cl.so_ky_hieu,
                );
            }
        }
    }
    // KH-SO-06: the type abbreviation.
    let type_part = &norm[..first_sep.unwrap_or(norm.len())];
    let ten_loai = super::text::letters_key(&c.plan.ten_loai);
    if let Some((name, abbr)) = TYPE_ABBREVIATIONS.iter().find(|(n, _)| super::text::letters_key(n) == ten_loai) {
        if !type_part.is_empty() && type_part != *abbr {
            c.add(
                "KH-SO-06",
                "ky_hieu",
                format!("“{raw}”: tên loại “{}” viết tắt là “{abbr}” (không phải “{type_part}”)", name.to_lowercase()),
                cl.ten_viet_tat,
            );
        }
    }
    // KH-SO-07: lower case in the body part (type abbreviations such as CTr may have it).
    if let Some(i) = first_sep {
        let body = &norm[i..];
        if body.chars().any(char::is_lowercase) {
            c.add(
                "KH-SO-07",
                "ky_hieu",
                format!("“{raw}” có chữ thường; chữ viết tắt tên cơ quan trong ký hiệu viết in hoa, ví dụ “{ex}”"),
                cl.so_ky_hieu,
            );
        }
    }
}

/// The rest of `k` if it starts with "Số" (any case), with the colon and spaces after it.
fn strip_so(k: &str) -> Option<&str> {
    let mut it = k.char_indices();
    let (a, b) = (it.next()?.1, it.next()?.1);
    if !(a.to_lowercase().eq(['s']) && b.to_lowercase().eq(['ố'])) {
        return None;
    }
    let rest = &k[a.len_utf8() + b.len_utf8()..];
    // "Số" must be a word of its own (not the start of a longer word).
    if rest.chars().next().is_some_and(char::is_alphabetic) {
        return None;
    }
    Some(rest.trim_start_matches([':', ' ', '.']))
}
