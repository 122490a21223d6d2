//! KH-CC, KH-ND, KH-KT: căn cứ, the body's structure, and its ending.

use super::{Ctx, MucDo};
use crate::plan::model::{Kieu, Node, NhiemVuTrinhBay};
use crate::regime::vn;
use std::collections::HashMap;

pub(super) fn check(c: &mut Ctx) {
    can_cu(c);
    structure(c);
    numbering(c);
    ending(c);
}

/// A bullet typed at the start of a line: "- ", "+ ", "• ", "* ".
pub(super) fn typed_bullet(t: &str) -> Option<char> {
    let mut it = t.chars();
    let first = it.next()?;
    let second = it.next()?;
    (matches!(first, '-' | '+' | '•' | '–' | '—' | '*') && second.is_whitespace()).then_some(first)
}

/// The end punctuation typed at the end of `t` that the engine replaces ("./.", ";", ",", ".").
pub(super) fn typed_end(t: &str) -> Option<&'static str> {
    let t = t.trim_end();
    if t.ends_with("./.") {
        return Some("./.");
    }
    match t.chars().last()? {
        ';' => Some(";"),
        ',' => Some(","),
        '.' if !t.ends_with("...") => Some("."),
        _ => None,
    }
}

/// KH-CC-01 and KH-CC-02.
///
/// The engine re-punctuates every căn cứ (";" after each, the regime's ending after the last), so
/// the printed plan is right whatever was typed: a different mark typed at the end is reported as
/// information, not as a warning. Staff reuse the same text elsewhere, where nothing corrects it.
fn can_cu(c: &mut Ctx) {
    let p = c.p;
    let cl = p.checks.clauses.can_cu;
    let n = c.plan.can_cu.len();
    let mut found = Vec::new();
    for (i, t) in c.plan.can_cu.iter().enumerate() {
        if let Some(b) = typed_bullet(t) {
            let what = if p.can_cu.prefix.trim().is_empty() {
                format!("{} không đặt gạch đầu dòng trước căn cứ", p.ten)
            } else {
                format!("chương trình tự thêm “{}” trước mỗi căn cứ", p.can_cu.prefix.trim())
            };
            found.push(("KH-CC-02", i, format!("căn cứ bắt đầu bằng “{b}” gõ tay: {what}; xoá dấu “{b}” ở đầu")));
        }
        let printed = if i + 1 == n { p.can_cu.last } else { p.can_cu.sep };
        if let Some(typed) = typed_end(t) {
            if typed != printed {
                let which = if i + 1 == n { "căn cứ cuối cùng" } else { "căn cứ" };
                found.push((
                    "KH-CC-01",
                    i,
                    format!("dấu “{typed}” cuối {which} đã được thay bằng “{printed}” theo thể thức ({})", p.ten),
                ));
            }
        }
    }
    for (ma, i, msg) in found {
        c.add(ma, format!("can_cu[{i}]"), msg, cl);
    }
}

/// KH-ND-01 (a titled section with nothing in it) and KH-ND-02 (an item with no text at all).
fn structure(c: &mut Ctx) {
    let cl = c.p.checks.clauses.bo_cuc;
    let mut found: Vec<(&'static str, String, String)> = Vec::new();
    walk(&c.plan.noi_dung, "noi_dung", None, &mut |path, node, parent| {
        let no_text = node.van_ban.is_empty();
        let no_tasks = node.nhiem_vu.as_ref().is_none_or(|n| n.is_empty());
        let in_table = parent.is_some_and(|p| p.trinh_bay_nhiem_vu.is_some_and(NhiemVuTrinhBay::is_table));
        match &node.tieu_de {
            Some(t) if !t.is_empty() && no_text && node.muc_con.is_empty() && no_tasks && !in_table => found.push((
                "KH-ND-01",
                format!("{path}.tieu_de"),
                format!("mục “{t}” có tiêu đề nhưng không có nội dung (van_ban) và không có mục con (muc_con); viết nội dung hoặc bỏ mục"),
            )),
            None if no_text => {
                let doan = node.kieu.or(parent.and_then(|p| p.kieu_muc_con)) == Some(Kieu::Doan);
                if in_table || !doan || no_tasks {
                    found.push((
                        "KH-ND-02",
                        path.to_string(),
                        "mục này không có tiêu đề (tieu_de) và không có nội dung (van_ban); thêm nội dung hoặc xoá mục".into(),
                    ));
                }
            }
            _ => {}
        }
    });
    for (ma, path, msg) in found {
        if ma == "KH-ND-01" {
            c.add_noted(ma, path, msg, cl, "thông lệ: mục trống thường là phần chưa soạn xong");
        } else {
            c.add(ma, path, msg, cl);
        }
    }
}

/// Visits every node with its path and its parent.
fn walk<'a>(nodes: &'a [Node], base: &str, parent: Option<&'a Node>, f: &mut dyn FnMut(&str, &'a Node, Option<&'a Node>)) {
    for (i, n) in nodes.iter().enumerate() {
        let path = format!("{base}[{i}]");
        f(&path, n, parent);
        walk(&n.muc_con, &format!("{path}.muc_con"), Some(n), f);
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Scheme {
    Roman,
    Arabic,
    Letter,
    Paren,
}

/// A numbering label read back: "II." → (Roman, "", 2); "1.2." → (Arabic, "1", 2); "đ)" → (Letter, "", 5).
fn parse_label(label: &str) -> Option<(Scheme, String, u32)> {
    let l = label.trim();
    if let Some(inner) = l.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        return inner.parse().ok().map(|n| (Scheme::Paren, String::new(), n));
    }
    if let Some(inner) = l.strip_suffix(')') {
        let first = inner.chars().next()?;
        if inner.chars().all(|ch| ch == first) {
            let count = inner.chars().count() as u32;
            let idx = (1..=23).find(|&k| vn::diem_letter(k) == first.to_string())?;
            return Some((Scheme::Letter, String::new(), idx + 23 * (count - 1)));
        }
        return None;
    }
    let body = l.strip_suffix(['.', '-']).unwrap_or(l);
    if body.is_empty() {
        return None;
    }
    if body.chars().all(|ch| "IVXLCDM".contains(ch)) {
        let n = roman_value(body)?;
        return Some((Scheme::Roman, String::new(), n));
    }
    let parts: Vec<&str> = body.split('.').collect();
    if parts.iter().all(|p| !p.is_empty() && p.len() <= 6 && p.bytes().all(|b| b.is_ascii_digit())) {
        let n = parts.last()?.parse().ok()?;
        return Some((Scheme::Arabic, parts[..parts.len() - 1].join("."), n));
    }
    None
}

/// The value of a Roman numeral written the standard way ("XIV" → 14); None for "IIII" and the like.
fn roman_value(s: &str) -> Option<u32> {
    let v = |ch: char| match ch {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        'L' => 50,
        'C' => 100,
        'D' => 500,
        'M' => 1000,
        _ => 0,
    };
    let chars: Vec<u32> = s.chars().map(v).collect();
    if chars.is_empty() || chars.len() > 15 || chars.contains(&0) {
        return None;
    }
    let mut total: i64 = 0;
    for (i, &x) in chars.iter().enumerate() {
        if chars.get(i + 1).is_some_and(|&y| y > x) {
            total -= x as i64;
        } else {
            total += x as i64;
        }
    }
    let total = total.clamp(0, 4000) as u32;
    (total > 0 && total < 4000 && vn::roman(total) == s).then_some(total)
}

/// KH-ND-03 (explicit numbers that repeat or skip) and KH-ND-04 (a number typed into the text).
fn numbering(c: &mut Ctx) {
    let cl = c.p.checks.clauses.bo_cuc;
    let Ok(view) = crate::compose::view::build(c.plan, c.p) else { return };
    let nodes: HashMap<String, &Node> = super::text::nodes(&c.plan.noi_dung).into_iter().map(|(p, n, _)| (p, n)).collect();
    struct Entry {
        node_path: String,
        label: String,
        explicit: bool,
        n: u32,
    }
    let mut groups: HashMap<(String, Scheme, String), Vec<Entry>> = HashMap::new();
    let mut order: Vec<(String, Scheme, String)> = Vec::new();
    let mut found: Vec<(&'static str, MucDo, String, String)> = Vec::new();
    for b in view.noi_dung.iter().filter(|b| b.kind == "p" && !b.label.is_empty()) {
        let node_path = match b.path.rsplit_once('.') {
            Some((np, last)) if last == "tieu_de" || last.starts_with("van_ban") => np.to_string(),
            _ => continue,
        };
        let parent = node_path.rsplit_once('[').map(|(p, _)| p.to_string()).unwrap_or_default();
        // KH-ND-04: the text starts with a number or mark of its own.
        if !b.explicit {
            let mut it = b.text.split_whitespace();
            if let (Some(tok), Some(_)) = (it.next(), it.next()) {
                let mark = matches!(tok, "-" | "+" | "•" | "*" | "–" | "—");
                if mark || parse_label(tok).is_some() {
                    let text_path = match nodes.get(&node_path) {
                        Some(n) if n.chuoi => node_path.clone(),
                        _ => b.path.clone(),
                    };
                    let (muc_do, msg) = if tok == b.label.trim() {
                        (
                            MucDo::Loi,
                            format!("“{tok}” gõ ở đầu trong khi chương trình đã tự đánh số “{}”, sẽ in thành “{} {tok} …”; xoá “{tok}” ở đầu", b.label, b.label),
                        )
                    } else {
                        (
                            MucDo::CanhBao,
                            format!(
                                "bắt đầu bằng “{tok}” trong khi chương trình đánh số mục này là “{}”; muốn giữ số riêng thì ghi ở so_hieu, nếu không thì xoá “{tok}”",
                                b.label
                            ),
                        )
                    };
                    found.push(("KH-ND-04", muc_do, text_path, msg));
                }
            }
        }
        if let Some((scheme, prefix, n)) = parse_label(&b.label) {
            let key = (parent, scheme, prefix);
            if !groups.contains_key(&key) {
                order.push(key.clone());
            }
            groups.entry(key).or_default().push(Entry { node_path, label: b.label.clone(), explicit: b.explicit, n });
        }
    }
    for key in order {
        let entries = &groups[&key];
        for w in entries.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            if !(a.explicit || b.explicit) || b.n == a.n + 1 {
                continue;
            }
            let at = if b.explicit { &b.node_path } else { &a.node_path };
            let msg = if b.n == a.n {
                format!("số hiệu “{}” trùng với mục trước (“{}”)", b.label.trim(), a.label.trim())
            } else if b.n > a.n {
                format!("số hiệu “{}” không liền sau “{}” (bị nhảy số)", b.label.trim(), a.label.trim())
            } else {
                format!("số hiệu “{}” nhỏ hơn số của mục trước (“{}”)", b.label.trim(), a.label.trim())
            };
            found.push(("KH-ND-03", MucDo::CanhBao, format!("{at}.so_hieu"), msg));
        }
    }
    for (ma, muc_do, path, msg) in found {
        c.add_as(ma, muc_do, path, msg, cl);
    }
}

/// KH-KT-01: a "./." typed at the end of a Party plan, which the engine replaced with ".".
fn ending(c: &mut Ctx) {
    let p = c.p;
    if p.ket_thuc == "./." {
        return;
    }
    let last = if let Some(t) = c.plan.ket_thuc.0.last() {
        Some((super::text::line_path("ket_thuc", &c.plan.ket_thuc, c.plan.ket_thuc.len() - 1), t.as_str()))
    } else {
        super::text::nodes(&c.plan.noi_dung).last().and_then(|(path, n, _)| {
            if let Some(t) = n.van_ban.0.last() {
                let base = if n.chuoi { path.clone() } else { format!("{path}.van_ban") };
                Some((super::text::line_path(&base, &n.van_ban, n.van_ban.len() - 1), t.as_str()))
            } else {
                n.tieu_de.as_ref().map(|t| (format!("{path}.tieu_de"), t.as_str()))
            }
        })
    };
    if let Some((path, t)) = last {
        if typed_end(t) == Some("./.") {
            c.add(
                "KH-KT-01",
                path,
                format!("dấu “./.” ở cuối đã được thay bằng “{}”: {} kết thúc nội dung bằng dấu chấm", p.ket_thuc, p.ten),
                p.checks.clauses.ket_thuc,
            );
        }
    }
}
