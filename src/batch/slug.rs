//! File names for the units: an ASCII slug of the unit's id ("Xã Tân Hòa" → `xa-tan-hoa`), unique
//! within one run, that can never name anything outside the output folder.
//!
//! The slug only ever holds `a-z`, `0-9` and `-`, so `../x`, `/etc/passwd`, `C:\x` or a dots-only id
//! cannot climb out of the folder; an id with nothing usable left (empty, `..`, `???`) becomes
//! `don-vi-N` (N: the unit's place in the file); the names Windows reserves for devices (CON, PRN,
//! AUX, NUL, COM1…COM9, LPT1…LPT9, with or without an extension) get the prefix `don-vi-`; clashes
//! get the suffix `-2`, `-3`… in the order of the units file.

use std::collections::HashSet;
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

/// Gives each unit a file name no other unit of the run has.
#[derive(Debug, Default)]
pub struct Slugs {
    used: HashSet<String>,
}

impl Slugs {
    /// The file name (without extension) of the unit `id`, the `index`-th (0-based) of the file.
    pub fn assign(&mut self, id: &str, index: usize) -> String {
        let mut base = slug(id);
        if base.is_empty() {
            base = format!("don-vi-{}", index + 1);
        }
        if is_reserved(&base) {
            base = format!("don-vi-{base}");
        }
        let mut name = base.clone();
        let mut n = 2;
        while self.used.contains(&name) {
            name = format!("{base}-{n}");
            n += 1;
        }
        self.used.insert(name.clone());
        name
    }
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
        let mut s = Slugs::default();
        assert_eq!(s.assign("../x", 0), "x");
        assert_eq!(s.assign("/etc/passwd", 1), "etc-passwd");
        assert_eq!(s.assign("C:\\Windows\\system32", 2), "c-windows-system32");
        assert_eq!(s.assign("", 3), "don-vi-4");
        assert_eq!(s.assign("..", 4), "don-vi-5");
        assert_eq!(s.assign("...", 5), "don-vi-6");
        assert_eq!(s.assign("CON", 6), "don-vi-con");
        assert_eq!(s.assign("com1", 7), "don-vi-com1");
        assert_eq!(s.assign("Nul.txt", 8), "nul-txt");
        assert_eq!(s.assign("lpt9", 9), "don-vi-lpt9");
        assert_eq!(s.assign("COM10", 10), "com10");
        assert_eq!(s.assign("😀", 11), "don-vi-12");
        for name in s.used.iter() {
            assert!(name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{name}");
            assert!(!name.starts_with('-') && !name.ends_with('-'), "{name}");
        }
    }

    #[test]
    fn clashes_get_numbered_suffixes_in_file_order() {
        let mut s = Slugs::default();
        assert_eq!(s.assign("Tân Hòa", 0), "tan-hoa");
        assert_eq!(s.assign("TÂN HÒA", 1), "tan-hoa-2");
        assert_eq!(s.assign("tan-hoa-2", 2), "tan-hoa-2-2");
        assert_eq!(s.assign("Tân  Hoà", 3), "tan-hoa-3");
    }

    #[test]
    fn long_ids_are_cut() {
        let long = "Xã ".repeat(100);
        let s = slug(&long);
        assert!(s.len() <= MAX_LEN && !s.ends_with('-'), "{s}");
    }
}
