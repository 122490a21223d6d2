//! Starter plans printed by `kehoach new`: small, complete plans, one per regime, for staff to fill
//! in. What is to be filled is a placeholder, `[… tên xã]`: the checks refuse a plan that still has
//! one ([`placeholder`]), so a starter is never printed by mistake.

use crate::plan::model::Regime;

/// The starter plan of regime `r` (its profile names it).
pub fn for_regime(r: Regime) -> &'static str {
    r.profile().starter
}

/// The first placeholder of a starter left in `text`: a bracketed hint that begins with an ellipsis,
/// "[… tên xã]" (or "[... tên xã]", "[…]").
pub fn placeholder(text: &str) -> Option<&str> {
    let mut from = 0;
    while let Some(i) = text[from..].find('[') {
        let start = from + i;
        let inner = &text[start + 1..];
        if inner.starts_with('…') || inner.starts_with("...") {
            if let Some(end) = inner.find(']') {
                return Some(&text[start..start + 1 + end + 1]);
            }
        }
        from = start + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_found() {
        assert_eq!(placeholder("XÃ [… tên xã] và"), Some("[… tên xã]"));
        assert_eq!(placeholder("a [...]"), Some("[...]"));
        assert_eq!(placeholder("Điều 5 [sửa đổi] khó khăn..."), None);
        assert_eq!(placeholder("[… chưa đóng"), None);
    }
}
