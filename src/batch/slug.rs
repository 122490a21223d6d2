//! File names for the units: an ASCII slug of the unit's id ("Xã Tân Hòa" → `xa-tan-hoa`), made
//! from that id alone, that can never name anything outside the output folder.
//!
//! The slug only ever holds `a-z`, `0-9` and `-`, so `../x`, `/etc/passwd`, `C:\x` or a dots-only id
//! cannot climb out of the folder; the names Windows reserves for devices (CON, PRN, AUX, NUL,
//! COM1…COM9, LPT1…LPT9, with or without an extension) get the prefix `don-vi-`. An id with nothing
//! usable left (empty, `..`, `???`) has no file name: that unit fails. A name never depends on the
//! unit's place in the file or on the other units: two ids that give the same name ("xã Tân Thành"
//! and "xã Tân Thạnh", or one id written twice) stop the batch before anything is written
//! ([`clashes`]), rather than one of them taking a `-2` that would follow the order of the list.

use super::units::UnitId;
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// The longest slug, in bytes (before a `-N` suffix): file names stay far below every file
/// system's limit, with room for the extension.
pub const MAX_LEN: usize = 80;

/// Lower-case ASCII letters and digits of `id` with every other run of characters turned into one
/// `-`: Vietnamese letters lose their marks (`đ` → `d`), nothing else outside ASCII survives.
pub fn slug(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    let mut dash = false;
    for c in id.nfd() {
        let c = match c {
            'đ' | 'Đ' => 'd',
            // Combining marks (the tones and the hook, horn and breve of ơ, ư, ă…): dropped.
            '\u{0300}'..='\u{036F}' => continue,
            c => c.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() {
            let sep = dash && !out.is_empty();
            if out.len() + sep as usize >= MAX_LEN {
                break;
            }
            if sep {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    out
}

/// Is `name` (lower case, no extension) a device name Windows reserves?
pub fn is_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    matches!(stem.as_str(), "con" | "prn" | "aux" | "nul")
        || ((stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit())
}

/// The file name (without extension) of the unit `id`, made from it alone; `None` when nothing
/// usable is left of it.
pub fn file_name(id: &str) -> Option<String> {
    let base = slug(id);
    if base.is_empty() {
        return None;
    }
    Some(if is_reserved(&base) { format!("don-vi-{base}") } else { base })
}

/// The file names two units or more would share, each with those units, in the order of the file.
pub fn clashes(ids: &[UnitId]) -> Vec<(String, Vec<&UnitId>)> {
    let mut by_name: HashMap<String, Vec<&UnitId>> = HashMap::new();
    for u in ids {
        if let Some(n) = file_name(&u.id) {
            by_name.entry(n).or_default().push(u);
        }
    }
    let mut out: Vec<(String, Vec<&UnitId>)> = by_name.into_iter().filter(|(_, v)| v.len() > 1).collect();
    out.sort_by_key(|(_, v)| v[0].index);
    out
}

/// With each phụ lục in files of its own (`<name><infix><n>`), the units whose file name is such
/// a name of another unit: each with the unit whose phụ lục it would be, in the order of the file.
pub fn part_clashes<'a>(ids: &'a [UnitId], infix: &str) -> Vec<(String, Vec<&'a UnitId>)> {
    let by_name: HashMap<String, &UnitId> = ids.iter().filter_map(|u| file_name(&u.id).map(|n| (n, u))).collect();
    let mut out = Vec::new();
    for u in ids {
        let Some(n) = file_name(&u.id) else { continue };
        let Some((stem, number)) = n.rsplit_once(infix) else { continue };
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if let Some(owner) = by_name.get(stem) {
            out.push((n.clone(), vec![*owner, u]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_names_become_ascii() {
        assert_eq!(slug("Xã Tân Hòa"), "xa-tan-hoa");
        assert_eq!(slug("Phường Đông Hưng Thuận"), "phuong-dong-hung-thuan");
        assert_eq!(slug("ĐẢNG ỦY XÃ ĐẠ HUOAI"), "dang-uy-xa-da-huoai");
        assert_eq!(slug("Phường Mỹ Phước, tỉnh Đồng Tháp"), "phuong-my-phuoc-tinh-dong-thap");
        // Decomposed input gives the same slug.
        assert_eq!(slug("Xa\u{0303} Ta\u{0302}n Ho\u{0300}a"), "xa-tan-hoa");
        assert_eq!(slug("  --Ấp 3--  "), "ap-3");
    }

    #[test]
    fn hostile_ids_stay_inside_the_folder() {
        let cases = [
            ("../x", Some("x")),
            ("/etc/passwd", Some("etc-passwd")),
            ("C:\\Windows\\system32", Some("c-windows-system32")),
            ("", None),
            ("..", None),
            ("...", None),
            ("CON", Some("don-vi-con")),
            ("com1", Some("don-vi-com1")),
            ("Nul.txt", Some("nul-txt")),
            ("lpt9", Some("don-vi-lpt9")),
            ("COM10", Some("com10")),
            ("😀", None),
            ("\u{1b}[31mđỏ", Some("31mdo")),
        ];
        for (id, want) in cases {
            let got = file_name(id);
            assert_eq!(got.as_deref(), want, "{id:?}");
            if let Some(name) = got {
                assert!(name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{name}");
                assert!(!name.starts_with('-') && !name.ends_with('-'), "{name}");
            }
        }
    }

    #[test]
    fn a_name_depends_on_its_own_id_only_and_clashes_are_found() {
        let ids: Vec<UnitId> = ["xã Phú An", "xã Tân Hòa", "xã Phù An", "xã Phụ An", "xã Phú An 2", "XÃ TÂN HÒA"]
            .iter()
            .enumerate()
            .map(|(index, id)| UnitId { index, line: Some(index as u64 + 2), id: id.to_string() })
            .collect();
        // "xã Phú An 2" is `xa-phu-an-2` wherever it stands, never `xa-phu-an-2-2`.
        assert_eq!(file_name("xã Phú An 2").as_deref(), Some("xa-phu-an-2"));
        let c = clashes(&ids);
        let shown: Vec<(String, Vec<&str>)> = c.iter().map(|(n, v)| (n.clone(), v.iter().map(|u| u.id.as_str()).collect())).collect();
        assert_eq!(
            shown,
            [
                ("xa-phu-an".to_string(), vec!["xã Phú An", "xã Phù An", "xã Phụ An"]),
                ("xa-tan-hoa".to_string(), vec!["xã Tân Hòa", "XÃ TÂN HÒA"]),
            ]
        );
    }

    #[test]
    fn long_ids_are_cut() {
        let long = "Xã ".repeat(100);
        let s = slug(&long);
        assert!(s.len() <= MAX_LEN && !s.ends_with('-'), "{s}");
    }
}
