//! Field paths as CSV headers write them (`so`, `nguoi_ky.ho_ten`, `noi_nhan.muc[0]`,
//! `noi_dung[1].muc_con[0].van_ban`), and setting one in a plan's JSON.
//!
//! Arrays: `[i]` replaces item `i` of the plan's list; an index equal to the list's length appends
//! one item (so `can_cu[4]` adds a fifth căn cứ to a plan that has four, and `can_cu[5]` in a later
//! column a sixth); an index further on would leave a hole and is an error. A missing object or list
//! on the way is created (`nguoi_ky.chuc_danh_duoi_ten` on a plan without it).

use serde_json::{Map, Value};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldPath(pub Vec<Seg>);

impl FieldPath {
    /// Parses `a.b[2].c`. The message says what is wrong, in Vietnamese.
    pub fn parse(s: &str) -> Result<FieldPath, String> {
        let mut segs = Vec::new();
        let bad = |why: &str| format!("đường dẫn trường `{s}` không hợp lệ: {why}");
        if s.is_empty() {
            return Err(bad("trống"));
        }
        for part in s.split('.') {
            let (name, mut rest) = match part.find('[') {
                Some(i) => (&part[..i], &part[i..]),
                None => (part, ""),
            };
            if name.is_empty() {
                return Err(bad("thiếu tên trường trước dấu `.` hoặc `[`"));
            }
            if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$') {
                return Err(bad(&format!("tên trường `{name}` chỉ được có chữ không dấu, số và dấu `_`")));
            }
            segs.push(Seg::Key(name.to_string()));
            while !rest.is_empty() {
                let Some(close) = rest.find(']').filter(|_| rest.starts_with('[')) else {
                    return Err(bad("dấu ngoặc vuông `[…]` không đúng"));
                };
                let n: usize = rest[1..close].parse().map_err(|_| bad(&format!("`{}` không phải số thứ tự (0, 1, 2…)", &rest[1..close])))?;
                segs.push(Seg::Index(n));
                rest = &rest[close + 1..];
            }
        }
        Ok(FieldPath(segs))
    }

    /// The top-level field the path starts with.
    pub fn root(&self) -> &str {
        match &self.0[0] {
            Seg::Key(k) => k,
            Seg::Index(_) => "",
        }
    }

    /// Sets the field to `value` in `root` (see the module's rules for arrays).
    pub fn set(&self, root: &mut Value, value: Value) -> Result<(), String> {
        let mut cur = root;
        let mut shown = String::new();
        for (i, seg) in self.0.iter().enumerate() {
            let last = i + 1 == self.0.len();
            let fresh = || match self.0.get(i + 1) {
                Some(Seg::Index(_)) => Value::Array(Vec::new()),
                _ => Value::Object(Map::new()),
            };
            match seg {
                Seg::Key(k) => {
                    if cur.is_null() {
                        *cur = Value::Object(Map::new());
                    }
                    let Value::Object(m) = cur else {
                        return Err(format!("`{shown}` trong kế hoạch không phải đối tượng {{…}} nên không có trường `{k}`"));
                    };
                    if last {
                        m.insert(k.clone(), value);
                        return Ok(());
                    }
                    cur = m.entry(k.clone()).or_insert_with(fresh);
                    if !shown.is_empty() {
                        shown.push('.');
                    }
                    shown.push_str(k);
                }
                Seg::Index(n) => {
                    if cur.is_null() {
                        *cur = Value::Array(Vec::new());
                    }
                    let len = match cur {
                        Value::Array(a) => a.len(),
                        // A "lines" field written as one string: its lines are the items.
                        Value::String(s) => {
                            let items = s.split('\n').map(|l| Value::String(l.to_string())).collect();
                            *cur = Value::Array(items);
                            cur.as_array().map_or(0, Vec::len)
                        }
                        _ => return Err(format!("`{shown}` trong kế hoạch không phải danh sách […] nên không có mục [{n}]")),
                    };
                    let Value::Array(a) = cur else { unreachable!() };
                    if *n > len {
                        return Err(format!(
                            "danh sách `{shown}` của kế hoạch có {len} mục (từ [0] đến [{}]); chỉ thêm được mục [{len}] ngay sau mục cuối",
                            len.saturating_sub(1)
                        ));
                    }
                    if last {
                        if *n == len {
                            a.push(value);
                        } else {
                            a[*n] = value;
                        }
                        return Ok(());
                    }
                    if *n == len {
                        a.push(fresh());
                    }
                    cur = &mut a[*n];
                    shown.push_str(&format!("[{n}]"));
                }
            }
        }
        Ok(())
    }
}

impl fmt::Display for FieldPath {
    /// The path as the loader's messages write it: `noi_nhan.muc[0]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn set(v: &mut Value, p: &str, x: Value) -> Result<(), String> {
        FieldPath::parse(p).unwrap().set(v, x)
    }

    #[test]
    fn parses_and_prints() {
        for p in ["so", "nguoi_ky.ho_ten", "noi_nhan.muc[0]", "noi_dung[1].muc_con[0].van_ban", "a[1][2]"] {
            assert_eq!(FieldPath::parse(p).unwrap().to_string(), p);
        }
        for p in ["", "a..b", ".a", "a[", "a[x]", "a]", "[0]", "a b", "a[-1]"] {
            assert!(FieldPath::parse(p).is_err(), "{p}");
        }
        assert_eq!(FieldPath::parse("noi_nhan.muc[0]").unwrap().root(), "noi_nhan");
    }

    #[test]
    fn sets_fields_and_extends_lists_by_one() {
        let mut v = json!({"so": 1, "can_cu": ["a", "b"], "nguoi_ky": {"ho_ten": "X"}, "co_quan_ban_hanh": "UBND\nXÃ A"});
        set(&mut v, "so", json!(7)).unwrap();
        set(&mut v, "nguoi_ky.ho_ten", json!("Y")).unwrap();
        set(&mut v, "nguoi_ky.chuc_danh_duoi_ten", json!("Z")).unwrap();
        set(&mut v, "can_cu[1]", json!("B")).unwrap();
        set(&mut v, "can_cu[2]", json!("c")).unwrap();
        set(&mut v, "co_quan_ban_hanh[1]", json!("XÃ B")).unwrap();
        set(&mut v, "noi_nhan.muc[0]", json!("Sở")).unwrap();
        assert_eq!(
            v,
            json!({"so": 7, "can_cu": ["a", "B", "c"], "nguoi_ky": {"ho_ten": "Y", "chuc_danh_duoi_ten": "Z"},
                   "co_quan_ban_hanh": ["UBND", "XÃ B"], "noi_nhan": {"muc": ["Sở"]}})
        );
        let e = set(&mut v, "can_cu[5]", json!("x")).unwrap_err();
        assert!(e.contains("`can_cu`") && e.contains("3 mục") && e.contains("[3]"), "{e}");
        let e = set(&mut v, "so.x", json!("x")).unwrap_err();
        assert!(e.contains("`so`") && e.contains("không phải đối tượng"), "{e}");
        let e = set(&mut v, "nguoi_ky[0]", json!("x")).unwrap_err();
        assert!(e.contains("`nguoi_ky`") && e.contains("không phải danh sách"), "{e}");
    }
}
