//! Unit variables in the plan's text: a string of the plan may hold Tera expressions about the unit
//! (`{{ don_vi.ten }} xây dựng Kế hoạch …`), rendered for each unit before its plan is read.
//!
//! The context has `don_vi` (the unit as the units file gives it, with `ma`, its id, always set) and
//! `ma`. The text is plain text, not markup, so nothing is escaped. Strings without `{{` or `{%` are
//! left as they are; the parent plan's expressions are parsed once, those a unit brings in are parsed
//! for that unit. The filters `hoa` (upper case), `ngay`, `roman` and `chu_cai` of the templates are
//! there too.

use crate::error::Error;
use serde_json::Value;
use std::collections::HashMap;
use tera::{Context, Tera};

/// Does `s` hold a Tera expression or statement?
pub fn has_expr(s: &str) -> bool {
    s.contains("{{") || s.contains("{%")
}

/// The parent plan's expressions, parsed.
pub struct UnitText {
    tera: Tera,
    /// Template source → its name in `tera`.
    by_source: HashMap<String, String>,
}

impl UnitText {
    /// Parses every expression of the parent plan; a syntax error names the field.
    pub fn new(base: &Value) -> Result<UnitText, Error> {
        let mut tera = Tera::new();
        tera.autoescape_on(Vec::<&str>::new());
        crate::compose::template::register_text_filters(&mut tera);
        let mut by_source = HashMap::new();
        let mut found = Vec::new();
        crate::plan::load::for_each_string(base, &mut String::new(), &mut |path, s| {
            if has_expr(s) {
                found.push((path.to_string(), s.to_string()));
            }
        });
        for (path, src) in found {
            if by_source.contains_key(&src) {
                continue;
            }
            let name = format!("t{}", by_source.len());
            tera.add_raw_template(&name, &src).map_err(|e| expr_error(&path, &src, &e))?;
            by_source.insert(src, name);
        }
        Ok(UnitText { tera, by_source })
    }

    /// Does an expression of the parent plan mention `name` (a unit variable)?
    pub fn mentions(&self, name: &str) -> bool {
        self.by_source.keys().any(|s| s.contains(name))
    }

    /// Renders every string of `plan` that holds an expression, with `don_vi` in the context.
    pub fn render(&self, plan: &mut Value, don_vi: &Value) -> Result<(), Error> {
        let mut ctx: Option<Context> = None;
        let mut result = Ok(());
        strings_mut(plan, &mut String::new(), &mut |path, s| {
            if result.is_err() || !has_expr(s) {
                return;
            }
            let ctx = ctx.get_or_insert_with(|| {
                let mut c = Context::new();
                c.insert("don_vi", don_vi);
                c.insert("ma", &don_vi.get("ma"));
                c
            });
            let out = match self.by_source.get(s.as_str()) {
                Some(name) => self.tera.render(name, ctx),
                None => self.tera.render_str(s, ctx, false),
            };
            match out {
                Ok(text) => *s = text,
                Err(e) => result = Err(expr_error(path, s, &e)),
            }
        });
        result
    }
}

/// "`mo_dau`: biểu thức `{{ don_vi.tne }}` lỗi: không có biến `don_vi.tne` …".
fn expr_error(path: &str, src: &str, e: &tera::Error) -> Error {
    let mut msg = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => r.message().to_string(),
        _ => e.to_string(),
    };
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    let shown: String = if src.chars().count() > 80 { src.chars().take(77).chain("…".chars()).collect() } else { src.to_string() };
    Error::field(path, format!("biểu thức trong chuỗi “{shown}” không tính được: {}", translate(&msg)))
}

/// The Tera messages a user meets most, in Vietnamese; others are kept as Tera words them.
fn translate(msg: &str) -> String {
    let msg = msg.trim();
    let fix = "thêm cột hoặc trường đó cho đơn vị, hoặc dùng `| default(value=\"…\")`";
    let undefined = |what: &str, name: &str, rest: &str| {
        let avail = rest.split_once(": ").map(|(_, a)| format!(" (có: {})", a.trim_end_matches('.'))).unwrap_or_default();
        format!("không có {what} `{name}`{avail}; {fix}")
    };
    if let Some((name, rest)) = msg.strip_prefix("Field `").and_then(|r| r.split_once("` is not defined")) {
        return undefined("giá trị", name, rest);
    }
    if let Some((name, rest)) = msg.strip_prefix("Variable `").and_then(|r| r.split_once("` is not defined")) {
        return undefined("biến", name, rest);
    }
    format!("{msg} (biểu thức viết trong {{{{ … }}}}, lệnh trong {{% … %}}, theo cú pháp Tera)")
}

/// `crate::plan::load::for_each_string`, with each string mutable.
fn strings_mut(v: &mut Value, path: &mut String, f: &mut impl FnMut(&str, &mut String)) {
    match v {
        Value::String(s) => f(path, s),
        Value::Array(a) => {
            for (i, x) in a.iter_mut().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                strings_mut(x, path, f);
                path.truncate(len);
            }
        }
        Value::Object(m) => {
            let top = path.is_empty();
            for (k, x) in m.iter_mut() {
                if top && k == "$schema" {
                    continue;
                }
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                strings_mut(x, path, f);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_unit_values_into_the_text() {
        let base = json!({
            "mo_dau": "{{ don_vi.ten }} xây dựng Kế hoạch",
            "co_quan_ban_hanh": ["ỦY BAN NHÂN DÂN", "{{ don_vi.ten | hoa }}"],
            "ket_thuc": "Không có biểu thức & <b>",
            "$schema": "{{ x }}",
        });
        let t = UnitText::new(&base).unwrap();
        let mut plan = base.clone();
        plan["trich_yeu"] = json!("Chỉ tiêu {{ don_vi.chi_tieu }}% ({{ ma }})");
        t.render(&mut plan, &json!({"ma": "tan-hoa", "ten": "Xã Tân Hòa & Cồn", "chi_tieu": 98})).unwrap();
        assert_eq!(plan["mo_dau"], "Xã Tân Hòa & Cồn xây dựng Kế hoạch");
        assert_eq!(plan["co_quan_ban_hanh"][1], "XÃ TÂN HÒA & CỒN");
        assert_eq!(plan["ket_thuc"], "Không có biểu thức & <b>");
        assert_eq!(plan["trich_yeu"], "Chỉ tiêu 98% (tan-hoa)");
        assert_eq!(plan["$schema"], "{{ x }}");
        // A default for a unit that lacks the value (as the README shows it).
        let mut plan = json!({"mo_dau": "đạt {{ don_vi.ty_le | default(value=80) }}%"});
        t.render(&mut plan, &json!({"ma": "a"})).unwrap();
        assert_eq!(plan["mo_dau"], "đạt 80%");
        // A CSV column named by a path, as the README shows it.
        let mut plan = json!({"mo_dau": "ký: {{ don_vi[\"nguoi_ky.ho_ten\"] }}"});
        t.render(&mut plan, &json!({"ma": "a", "nguoi_ky.ho_ten": "Lê Văn Bình"})).unwrap();
        assert_eq!(plan["mo_dau"], "ký: Lê Văn Bình");
    }

    #[test]
    fn errors_name_the_field() {
        let t = UnitText::new(&json!({"noi_dung": [{"van_ban": "{{ don_vi.tne }}"}]})).unwrap();
        let mut plan = json!({"noi_dung": [{"van_ban": "{{ don_vi.tne }}"}]});
        let e = t.render(&mut plan, &json!({"ma": "a", "ten": "A"})).unwrap_err().to_string();
        assert!(e.starts_with("`noi_dung[0].van_ban`: biểu thức") && e.contains("không có giá trị `tne` (có: ma, ten)"), "{e}");
        let e = t.render(&mut json!({"mo_dau": "{{ ten }}"}), &json!({"ma": "a"})).unwrap_err().to_string();
        assert!(e.starts_with("`mo_dau`: biểu thức") && e.contains("không có biến `ten` (có: don_vi, ma)"), "{e}");
        let e = UnitText::new(&json!({"mo_dau": "{{ don_vi.ten "})).err().unwrap().to_string();
        assert!(e.starts_with("`mo_dau`: biểu thức"), "{e}");
    }
}
