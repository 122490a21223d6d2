//! "Có phải `trich_yeu`?": the name a misspelt one most likely meant, for the plan loader's unknown
//! fields and the batch's units file (its keys and CSV columns). Names are compared with their
//! Vietnamese marks folded away (`trích_yếu` → `trich_yeu`, `Người ký` → `nguoi_ky`), since staff
//! often type the field names as the Vietnamese words they are.

use unicode_normalization::UnicodeNormalization;

/// `name` as a field name would be written: lower case, without marks, `đ` as `d`, spaces and
/// hyphens as `_`.
pub fn fold(name: &str) -> String {
    name.nfd()
        .filter(|c| !('\u{0300}'..='\u{036F}').contains(c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect::<String>()
        .to_lowercase()
}

/// Levenshtein distance, in characters.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + (ca != *cb) as usize).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The candidate `name` most likely stands for: equal once folded, or one letter away from it
/// folded (two for names longer than four letters). `None` when `name` is itself a candidate or
/// nothing is that close.
pub fn nearest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let folded = fold(name);
    let limit = if folded.chars().count() <= 4 { 1 } else { 2 };
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        if c == name {
            return None;
        }
        let d = distance(&folded, c);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_folded_and_close_names_found() {
        let fields = ["trich_yeu", "nguoi_ky", "ky_hieu", "so", "ngay", "noi_dung"];
        assert_eq!(nearest("trích_yếu", fields), Some("trich_yeu"));
        assert_eq!(nearest("Trích yếu", fields), Some("trich_yeu"));
        assert_eq!(nearest("người-ký", fields), Some("nguoi_ky"));
        assert_eq!(nearest("ky_hieuu", fields), Some("ky_hieu"));
        assert_eq!(nearest("nội_dung", fields), Some("noi_dung"));
        assert_eq!(nearest("ky_hieu", fields), None);
        assert_eq!(nearest("ma", fields), None);
        assert_eq!(nearest("chi_tieu", fields), None);
        assert_eq!(nearest("sô", fields), Some("so"));
    }
}
