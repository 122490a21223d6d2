//! The numbers and marks of the body's items ("I.", "2.", "1.1.", "a)", "(1)", "-", "+" …), computed
//! once from the plan and the regime's profile. The view prints them, the rules check them, and the
//! messages name items by them as staff do ("mục III, khoản 2").
//!
//! Each kind of item counts on its own among its siblings, so a plain paragraph between two khoản
//! does not shift their numbers. A label written in the plan (`so_hieu`) is kept as it is; when it is
//! of the item's own form (a Roman numeral for a mục, "3." for a khoản …), the items after it count on
//! from it, as Word's numbering would after a number typed by hand.

use crate::plan::model::{DauDanhSo, Kieu, Node, NhiemVuTrinhBay, Plan};
use crate::regime::{Profile, vn};
use std::collections::HashMap;

/// One item of the body, in reading order.
#[derive(Clone, Debug, PartialEq)]
pub struct Numbered {
    /// Its path in the plan, e.g. `noi_dung[2].muc_con[0]`.
    pub path: String,
    pub kind: Kieu,
    /// What is printed in front of it ("III.", "2.", "a)", "-"; empty for a plain paragraph). For a
    /// row of a task table: its STT.
    pub label: String,
    /// The label was written in the plan (`so_hieu`).
    pub explicit: bool,
    /// Its place among the siblings of its kind (1 for the first "-" of a list).
    pub ordinal: u32,
    /// The item it belongs to, as an index into [`Numbering::items`].
    pub parent: Option<usize>,
    /// It is a row of a task table rather than a paragraph of the body.
    pub in_table: bool,
}

/// Every item of the body with its label.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Numbering {
    pub items: Vec<Numbered>,
    index: HashMap<String, usize>,
}

impl Numbering {
    pub fn new(plan: &Plan, p: &Profile) -> Numbering {
        let dau = plan.dau_danh_so.unwrap_or(p.numbering.dau);
        let mut n = Numbering::default();
        let mut w = Walker { p, dau, out: &mut n };
        w.siblings(&plan.noi_dung, 0, None, "", "noi_dung", None);
        // Each phụ lục numbers its own body from I. (or 1.) again, after the plan's.
        for (i, pl) in plan.phu_luc.iter().enumerate() {
            w.siblings(&pl.noi_dung, 0, None, "", &format!("phu_luc[{i}].noi_dung"), None);
        }
        n.index = n.items.iter().enumerate().map(|(i, it)| (it.path.clone(), i)).collect();
        n
    }

    /// The item at `path` (a node's own path, `noi_dung[1].muc_con[0]`).
    pub fn get(&self, path: &str) -> Option<&Numbered> {
        self.index.get(path).map(|&i| &self.items[i])
    }

    /// How staff name the place of a field of the body: "mục III, khoản 2, điểm a" for
    /// `noi_dung[2].muc_con[1].muc_con[0].van_ban[1]` ("phụ lục 2, mục I, khoản 1" for
    /// `phu_luc[1].noi_dung[0].muc_con[0]`). `None` outside the body.
    pub fn location(&self, field: &str) -> Option<String> {
        if let Some(rest) = field.strip_prefix("phu_luc[") {
            let (n, tail) = rest.split_once(']')?;
            let n: usize = n.parse().ok()?;
            // Only an item of its body; the phụ lục's own fields are named by the rules.
            let inner = if tail.starts_with(".noi_dung[") { self.body_location(field) } else { None };
            return inner.map(|i| format!("phụ lục thứ {}, {i}", n + 1));
        }
        self.body_location(field)
    }

    fn body_location(&self, field: &str) -> Option<String> {
        if !field.starts_with("noi_dung[") && !field.starts_with("phu_luc[") {
            return None;
        }
        // The longest prefix of the path that is an item.
        let mut end = field.len();
        let item = loop {
            if let Some(&i) = self.index.get(&field[..end]) {
                break i;
            }
            end = field[..end].rfind(['.', '['])?;
        };
        let mut chain = Vec::new();
        let mut at = Some(item);
        while let Some(i) = at {
            chain.push(self.describe(i));
            at = self.items[i].parent;
        }
        chain.reverse();
        Some(chain.join(", "))
    }

    fn describe(&self, i: usize) -> String {
        let it = &self.items[i];
        let number = it.label.trim().trim_end_matches(['.', '-']).trim_end_matches(')').trim_start_matches('(');
        if it.in_table {
            return format!("dòng {} của bảng nhiệm vụ", number);
        }
        let word = match it.kind {
            Kieu::Muc => "mục",
            Kieu::Khoan => "khoản",
            Kieu::Tiet => "tiểu mục",
            Kieu::Diem => "điểm",
            Kieu::Ngoac => "ý",
            Kieu::Gach => "gạch đầu dòng",
            Kieu::Cong => "dấu cộng",
            Kieu::Sao => "dấu sao",
            Kieu::Cham => "dấu chấm tròn",
            Kieu::Doan => "đoạn",
        };
        match it.kind {
            Kieu::Muc | Kieu::Khoan | Kieu::Tiet | Kieu::Diem if !number.is_empty() => format!("{word} {number}"),
            Kieu::Ngoac if !number.is_empty() => format!("{word} ({number})"),
            _ => format!("{word} thứ {}", it.ordinal),
        }
    }
}

struct Walker<'a> {
    p: &'a Profile,
    dau: DauDanhSo,
    out: &'a mut Numbering,
}

impl Walker<'_> {
    fn kind_at(&self, node: &Node, depth: usize, parent_default: Option<Kieu>) -> Kieu {
        node.kieu.or(parent_default).unwrap_or_else(|| {
            let d = self.p.numbering.by_depth;
            d[depth.min(d.len() - 1)]
        })
    }

    fn label(&self, kind: Kieu, n: u32, parent_number: &str) -> String {
        label(kind, n, parent_number, self.dau)
    }

    /// Where the counter of `kind` stands after a hand-written label, if the label is of the kind's
    /// own form ("III." for a mục; "1.3." under khoản 1 for a tiết).
    fn continues_from(kind: Kieu, label: &str, parent_number: &str) -> Option<u32> {
        let (scheme, prefix, n) = parse_label(label)?;
        let own = match kind {
            Kieu::Muc => scheme == Scheme::Roman,
            Kieu::Khoan => scheme == Scheme::Arabic && prefix.is_empty(),
            Kieu::Tiet => scheme == Scheme::Arabic && prefix == parent_number,
            Kieu::Diem => scheme == Scheme::Letter,
            Kieu::Ngoac => scheme == Scheme::Paren,
            _ => false,
        };
        own.then_some(n)
    }

    fn push(&mut self, item: Numbered) -> usize {
        self.out.items.push(item);
        self.out.items.len() - 1
    }

    fn siblings(
        &mut self,
        nodes: &[Node],
        depth: usize,
        default_kind: Option<Kieu>,
        parent_number: &str,
        base: &str,
        parent: Option<usize>,
    ) {
        let mut counters: Vec<(Kieu, u32)> = Vec::new();
        for (i, node) in nodes.iter().enumerate() {
            let path = format!("{base}[{i}]");
            let kind = self.kind_at(node, depth, default_kind);
            let slot = match counters.iter().position(|(k, _)| *k == kind) {
                Some(s) => s,
                None => {
                    counters.push((kind, 0));
                    counters.len() - 1
                }
            };
            counters[slot].1 += 1;
            let mut n = counters[slot].1;
            let label = match &node.so_hieu {
                Some(l) => {
                    if let Some(m) = Self::continues_from(kind, l, parent_number) {
                        counters[slot].1 = m;
                        n = m;
                    }
                    l.to_string()
                }
                None => self.label(kind, n, parent_number),
            };
            // The number a tiết under this item builds on: "1" of "1.", "II" of "II-".
            let own_number = label.trim_end_matches(['.', '-', ')']).to_string();
            let me = self.push(Numbered {
                path: path.clone(),
                kind,
                label,
                explicit: node.so_hieu.is_some(),
                ordinal: n,
                parent,
                in_table: false,
            });
            let child_parent = if matches!(kind, Kieu::Khoan | Kieu::Tiet) { own_number } else { String::new() };
            let children = format!("{path}.muc_con");
            if node.trinh_bay_nhiem_vu.is_some_and(NhiemVuTrinhBay::is_table) {
                self.rows(node, depth + 1, &child_parent, &children, me);
            } else {
                self.siblings(&node.muc_con, depth + 1, node.kieu_muc_con, &child_parent, &children, Some(me));
            }
        }
    }

    /// The rows of a task table: numbered 1, 2, 3 … (or in their kind's own form: a), b) …).
    fn rows(&mut self, node: &Node, depth: usize, parent_number: &str, base: &str, parent: usize) {
        for (i, child) in node.muc_con.iter().enumerate() {
            let kind = self.kind_at(child, depth, node.kieu_muc_con);
            let n = i as u32 + 1;
            let label = match &child.so_hieu {
                Some(l) => l.to_string(),
                None => match kind {
                    Kieu::Gach | Kieu::Cong | Kieu::Sao | Kieu::Cham | Kieu::Doan => n.to_string(),
                    _ => self.label(kind, n, parent_number),
                },
            };
            self.push(Numbered {
                path: format!("{base}[{i}]"),
                kind,
                label,
                explicit: child.so_hieu.is_some(),
                ordinal: n,
                parent: Some(parent),
                in_table: true,
            });
        }
    }
}

/// The label of the `n`th item of `kind` among its siblings, under an item numbered
/// `parent_number` ("1" of khoản "1."), with `dau` after mục and khoản numbers.
pub(crate) fn label(kind: Kieu, n: u32, parent_number: &str, dau: DauDanhSo) -> String {
    let end = match dau {
        DauDanhSo::Cham => ".",
        DauDanhSo::Gach => "-",
    };
    match kind {
        Kieu::Muc => format!("{}{end}", vn::roman(n)),
        Kieu::Khoan => format!("{n}{end}"),
        // Sub-khoản are "1.1." in both regimes (HD 05's own text uses "1.1." beside "I-");
        // an odd form such as "4.1-" is written as an explicit label.
        Kieu::Tiet if parent_number.is_empty() => format!("{n}."),
        Kieu::Tiet => format!("{parent_number}.{n}."),
        Kieu::Diem => format!("{})", vn::diem_letter(n)),
        Kieu::Ngoac => format!("({n})"),
        Kieu::Gach => "-".into(),
        Kieu::Cong => "+".into(),
        Kieu::Sao => "*".into(),
        Kieu::Cham => "•".into(),
        Kieu::Doan => String::new(),
    }
}

/// The forms a label can take.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Scheme {
    Roman,
    Arabic,
    Letter,
    Paren,
}

/// A label read back: "II." → (Roman, "", 2); "1.2." → (Arabic, "1", 2); "đ)" → (Letter, "", 5);
/// "(3)" → (Paren, "", 3). `None` for what is not a number ("-", "Bước 1").
pub fn parse_label(label: &str) -> Option<(Scheme, String, u32)> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::load::parse_plan;

    fn plan(noi_dung: serde_json::Value) -> Plan {
        let mut v: serde_json::Value = serde_json::from_str(crate::plan::starter::for_regime(crate::plan::model::Regime::Nd30)).unwrap();
        v["noi_dung"] = noi_dung;
        parse_plan(&v.to_string()).unwrap()
    }

    fn labels(n: &Numbering) -> Vec<&str> {
        n.items.iter().map(|i| i.label.as_str()).collect()
    }

    #[test]
    fn kinds_count_apart_and_follow_depth() {
        let p = plan(serde_json::json!([
            {"tieu_de": "A", "muc_con": [{"tieu_de": "a1"}, {"kieu": "doan", "van_ban": "x"}, {"tieu_de": "a2", "muc_con": ["d1", "d2"]}]},
            {"tieu_de": "B"}
        ]));
        let n = Numbering::new(&p, Profile::for_regime(p.the_thuc));
        assert_eq!(labels(&n), ["I.", "1.", "", "2.", "a)", "b)", "II."]);
        assert_eq!(n.get("noi_dung[0].muc_con[2].muc_con[1]").unwrap().label, "b)");
        assert_eq!(n.location("noi_dung[0].muc_con[2].muc_con[1]").as_deref(), Some("mục I, khoản 2, điểm b"));
        assert_eq!(n.location("noi_dung[0].muc_con[1].van_ban").as_deref(), Some("mục I, đoạn thứ 1"));
        assert_eq!(n.location("ky_hieu"), None);
    }

    #[test]
    fn a_hand_written_number_of_the_same_form_moves_the_counter() {
        // I., a hand-written III., then an automatic mục: IV., not III. again.
        let p = plan(serde_json::json!([
            {"tieu_de": "A"}, {"so_hieu": "III.", "tieu_de": "B"}, {"tieu_de": "C"},
            {"so_hieu": "Phần riêng", "tieu_de": "D"}, {"tieu_de": "E"}
        ]));
        let n = Numbering::new(&p, Profile::for_regime(p.the_thuc));
        assert_eq!(labels(&n), ["I.", "III.", "IV.", "Phần riêng", "VI."]);
        assert_eq!(n.location("noi_dung[2].tieu_de").as_deref(), Some("mục IV"));
    }

    #[test]
    fn labels_read_back() {
        assert_eq!(parse_label("XIV."), Some((Scheme::Roman, String::new(), 14)));
        assert_eq!(parse_label("1.2."), Some((Scheme::Arabic, "1".into(), 2)));
        assert_eq!(parse_label("đ)"), Some((Scheme::Letter, String::new(), 5)));
        assert_eq!(parse_label("(3)"), Some((Scheme::Paren, String::new(), 3)));
        assert_eq!(parse_label("IIII."), None);
        assert_eq!(parse_label("-"), None);
    }
}
