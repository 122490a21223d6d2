//! KH-CC, KH-ND, KH-KT: căn cứ, the body's structure, and its ending.

use super::{Ctx, MucDo};
use crate::plan::model::{Kieu, Node, NhiemVuTrinhBay};
use crate::regime::numbering::{Scheme, parse_label};
use std::collections::HashMap;

pub(super) fn check(c: &mut Ctx) {
    can_cu(c);
    if c.plan.noi_dung.is_empty() {
        c.add_noted(
            "KH-ND-05",
            "noi_dung",
            "kế hoạch không có phần nội dung (noi_dung trống): chỉ in phần đầu, căn cứ, mở đầu và kết thúc; thêm các mục I., II. …",
            c.p.checks.clauses.bo_cuc,
            "một kế hoạch có nội dung (mục đích, yêu cầu; nội dung; tổ chức thực hiện) là thông lệ",
        );
    }
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
    let mut bodies: Vec<(String, &[Node])> = vec![("noi_dung".into(), &c.plan.noi_dung)];
    bodies.extend(c.plan.phu_luc.iter().enumerate().map(|(i, pl)| (format!("phu_luc[{i}].noi_dung"), &pl.noi_dung[..])));
    for (base, body) in bodies {
        walk(body, &base, None, &mut |path, node, parent| {
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
    }
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

/// KH-ND-03 (explicit numbers that repeat or skip) and KH-ND-04 (a number typed into the text).
fn numbering(c: &mut Ctx) {
    let cl = c.p.checks.clauses.bo_cuc;
    struct Entry<'a> {
        path: &'a str,
        label: &'a str,
        explicit: bool,
        n: u32,
    }
    let mut groups: HashMap<(String, Scheme, String), Vec<Entry>> = HashMap::new();
    let mut order: Vec<(String, Scheme, String)> = Vec::new();
    let mut found: Vec<(&'static str, MucDo, String, String)> = Vec::new();
    for (path, node, _) in super::text::nodes(&c.plan.noi_dung) {
        let Some(item) = c.numbering.get(&path) else { continue };
        if item.in_table || item.label.is_empty() {
            continue;
        }
        // What follows the label on its line: the title, or the first paragraph.
        let (text, text_path) = match (&node.tieu_de, node.van_ban.0.first()) {
            (Some(t), _) => (t.as_str(), format!("{path}.tieu_de")),
            (None, Some(t)) if node.chuoi => (t.as_str(), path.clone()),
            (None, Some(t)) => (t.as_str(), super::text::line_path(&format!("{path}.van_ban"), &node.van_ban, 0)),
            (None, None) => continue,
        };
        // KH-ND-04: the text starts with a number or mark of its own.
        if !item.explicit {
            let mut it = text.split_whitespace();
            if let (Some(tok), Some(_)) = (it.next(), it.next()) {
                let mark = matches!(tok, "-" | "+" | "•" | "*" | "–" | "—");
                if mark || parse_label(tok).is_some() {
                    let label = &item.label;
                    let (muc_do, msg) = if tok == label.trim() {
                        (
                            MucDo::Loi,
                            format!("“{tok}” gõ ở đầu trong khi chương trình đã tự đánh số “{label}”, sẽ in thành “{label} {tok} …”; xoá “{tok}” ở đầu"),
                        )
                    } else {
                        (
                            MucDo::CanhBao,
                            format!(
                                "bắt đầu bằng “{tok}” trong khi chương trình đánh số mục này là “{label}”; muốn giữ số riêng thì ghi ở so_hieu, nếu không thì xoá “{tok}”"
                            ),
                        )
                    };
                    found.push(("KH-ND-04", muc_do, text_path, msg));
                }
            }
        }
        if let Some((scheme, prefix, n)) = parse_label(&item.label) {
            let parent = path.rsplit_once('[').map(|(p, _)| p.to_string()).unwrap_or_default();
            let key = (parent, scheme, prefix);
            if !groups.contains_key(&key) {
                order.push(key.clone());
            }
            groups.entry(key).or_default().push(Entry { path: &item.path, label: &item.label, explicit: item.explicit, n });
        }
    }
    for key in order {
        let entries = &groups[&key];
        for w in entries.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            if !(a.explicit || b.explicit) || b.n == a.n + 1 {
                continue;
            }
            // The hand-written number is the one to look at (the automatic ones follow it).
            let at = if b.explicit { b.path } else { a.path };
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

/// KH-KT-01: the closing mark of another regime typed at the end ("./." in a Party plan), which the
/// engine replaced with this regime's own. A final full stop is the sentence's own, not a closing
/// mark, and is not reported.
fn ending(c: &mut Ctx) {
    let p = c.p;
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
    let Some((path, t)) = last else { return };
    let Some(typed) = typed_end(t) else { return };
    let other = crate::regime::Profile::all()
        .any(|q| q.ket_thuc == typed && q.ket_thuc != p.ket_thuc && q.ket_thuc.len() > 1);
    if other {
        c.add(
            "KH-KT-01",
            path,
            format!("dấu “{typed}” ở cuối đã được thay bằng “{}”: {} kết thúc nội dung bằng “{}”", p.ket_thuc, p.ten, p.ket_thuc),
            p.checks.clauses.ket_thuc,
        );
    }
}
