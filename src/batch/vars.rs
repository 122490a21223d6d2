//! Unit variables in the plan's text: a string of the parent plan may hold Tera expressions about
//! the unit (`{{ don_vi.ten }} xây dựng Kế hoạch …`), rendered for each unit before its plan is read.
//!
//! Only the parent plan's text is a template. The values a unit brings (its variables, and the
//! fields it sets: a CSV cell, a JSON unit's `mo_dau`) are inserted as they are: a unit's
//! `"Nguyễn {{ 7*7 }}"` prints just that. The context has `don_vi` (the unit as the units file
//! gives it, with `ma`, its id, always set; a blank cell or a `null` is left out, so that a text
//! using it fails for that unit with the cell named, unless it gives a `default(value=…)`) and
//! `ma`. The text is plain text, not markup, so nothing is escaped. The filters `hoa`, `ngay`,
//! `roman` and `chu_cai` of the templates are there too.
//!
//! Bounded: the parent's text may use `{{ … }}` expressions and `{% if %}` … `{% elif %}` …
//! `{% else %}` … `{% endif %}`, and the filters that give at most a few times their input
//! ([`FILTERS`]); loops, assignments, macros, includes and the filters that multiply text
//! (`replace`, `indent`, `join`…) are refused when the parent plan is read, before any unit is
//! made, naming the field. So a unit's text costs time in proportion to the parent's text and the
//! unit's values; on top of that each unit's expressions may write at most [`MAX_OUTPUT_BYTES`]
//! and take at most [`MAX_SECONDS`]: a unit over either fails alone and the others go on.

use super::units::Blank;
use crate::error::Error;
use serde_json::Value;
use std::collections::HashMap;
use std::io::Write;
use std::time::{Duration, Instant};
use tera::{Context, Kwargs, State, Tera};

/// Does `s` hold a Tera expression or statement?
pub fn has_expr(s: &str) -> bool {
    s.contains("{{") || s.contains("{%")
}

/// The most text one unit's expressions may write, in all the plan's strings together (the
/// sample's expressions write about 400 bytes a unit).
pub const MAX_OUTPUT_BYTES: usize = 4 * 1024 * 1024;

/// The longest one unit's expressions may take.
pub const MAX_SECONDS: u64 = 5;

/// The statements the parent's text may use.
const STATEMENTS: &[&str] = &["if", "elif", "else", "endif"];

/// The filters the parent's text may use: none gives more than a few times its input.
pub const FILTERS: &[&str] = &[
    "hoa", "ngay", "roman", "chu_cai", "default", "upper", "lower", "capitalize", "title", "trim", "trim_start", "trim_end",
    "truncate", "str", "int", "float", "length", "abs", "round", "first", "last", "nth", "get", "wordcount", "safe",
];

/// Tera's own filters and functions: those not in [`FILTERS`] are replaced by a refusal.
const TERA_FILTERS: &[&str] = &[
    "safe", "default", "upper", "lower", "wordcount", "escape", "escape_html", "escape_xml", "newlines_to_br", "pluralize",
    "trim", "trim_start", "trim_end", "replace", "capitalize", "title", "truncate", "indent", "str", "int", "float",
    "length", "reverse", "split", "abs", "round", "first", "last", "nth", "join", "sort", "unique", "get", "values",
    "keys", "pairs", "group_by", "map", "filter", "slice", "concat", "urlencode", "urlencode_strict", "date",
    "filesizeformat", "json_encode", "as_str", "linebreaksbr", "striptags", "spaceless", "center", "wrap",
];

/// The first statement of `src` that the parent's text may not use (`for`, `set`, `macro`…).
fn forbidden_statement(src: &str) -> Option<String> {
    let mut rest = src;
    while let Some(i) = rest.find("{%") {
        let tag = rest[i + 2..].trim_start_matches(['-', '+', '~']).trim_start();
        let word: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if !STATEMENTS.contains(&word.as_str()) {
            return Some(if word.is_empty() { "{%".to_string() } else { word });
        }
        rest = &rest[i + 2..];
    }
    None
}

/// The parent plan's expressions, parsed.
pub struct UnitText {
    tera: Tera,
    /// Template source → its name in `tera`.
    by_source: HashMap<String, String>,
}

/// What one unit's expressions have written and how long they may still run.
struct Budget {
    written: usize,
    deadline: Instant,
    over: Option<String>,
}

/// Writes a rendered string, counting against the unit's budget.
struct Out<'a> {
    buf: Vec<u8>,
    budget: &'a mut Budget,
}

impl Write for Out<'_> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let b = &mut *self.budget;
        b.written += data.len();
        if b.written > MAX_OUTPUT_BYTES {
            b.over = Some(format!(
                "các biểu thức của kế hoạch chung cho ra hơn {} chữ cho đơn vị này (tối đa {}); giá trị của đơn vị quá dài, hoặc được dùng quá nhiều lần",
                crate::input::size(MAX_OUTPUT_BYTES),
                crate::input::size(MAX_OUTPUT_BYTES)
            ));
            return Err(std::io::Error::other("giới hạn"));
        }
        if Instant::now() > b.deadline {
            b.over = Some(format!("các biểu thức của kế hoạch chung chạy quá {MAX_SECONDS} giây cho đơn vị này"));
            return Err(std::io::Error::other("giới hạn"));
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl UnitText {
    /// Parses every expression of the parent plan; a syntax error, or a statement or filter the
    /// parent's text may not use, names the field.
    pub fn new(base: &Value) -> Result<UnitText, Error> {
        let mut tera = Tera::new();
        tera.autoescape_on(Vec::<&str>::new());
        crate::compose::template::register_text_filters(&mut tera);
        for name in TERA_FILTERS.iter().filter(|f| !FILTERS.contains(f)) {
            let msg = format!("bộ lọc `{name}` không dùng được trong kế hoạch chung; dùng được: {}", FILTERS.join(", "));
            tera.register_filter(*name, move |_: &tera::Value, _: Kwargs, _: &State| -> tera::TeraResult<tera::Value> {
                Err(tera::Error::message(msg.clone()))
            });
        }
        tera.register_function("range", |_: Kwargs, _: &State| -> tera::TeraResult<tera::Value> {
            Err(tera::Error::message("hàm `range` không dùng được trong kế hoạch chung"))
        });
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
            if let Some(word) = forbidden_statement(&src) {
                return Err(Error::field(
                    path,
                    format!(
                        "chuỗi “{}” dùng lệnh `{{% {word} %}}`; văn bản của kế hoạch chung chỉ dùng được biểu thức {{{{ … }}}} và {{% if %}} … {{% else %}} … {{% endif %}} (không có vòng lặp, gán biến, macro)",
                        short(&src)
                    ),
                ));
            }
            let name = format!("t{}", by_source.len());
            tera.add_raw_template(&name, &src).map_err(|e| expr_error(&path, &src, &e, &[]))?;
            by_source.insert(src, name);
        }
        Ok(UnitText { tera, by_source })
    }

    /// Does an expression of the parent plan mention `name` (a unit variable)?
    pub fn mentions(&self, name: &str) -> bool {
        self.by_source.keys().any(|s| s.contains(name))
    }

    /// Renders, with `don_vi` in the context, every string of `plan` (the unit's plan: the parent
    /// with the unit applied) that is still the parent's own text at the same place in `parent`;
    /// what the unit put there is left as it is. `blanks`: the unit's blank cells, for the message
    /// when a text needs one.
    pub fn render(&self, plan: &mut Value, parent: &Value, don_vi: &Value, blanks: &[Blank]) -> Result<(), Error> {
        if self.by_source.is_empty() {
            return Ok(());
        }
        let mut ctx: Option<Context> = None;
        let mut budget = Budget { written: 0, deadline: Instant::now() + Duration::from_secs(MAX_SECONDS), over: None };
        let mut result = Ok(());
        parent_strings(plan, Some(parent), &mut String::new(), &mut |path, s| {
            if result.is_err() {
                return;
            }
            if !has_expr(s) {
                return;
            }
            // A line of a parent's "lines" string that a CSV column split into a list is the
            // parent's text too, parsed here (its statements checked as the parent's were).
            let name = self.by_source.get(s.as_str());
            if let (None, Some(word)) = (name, forbidden_statement(s)) {
                result = Err(Error::field(path, format!("chuỗi “{}” dùng lệnh `{{% {word} %}}`, không dùng được trong kế hoạch chung", short(s))));
                return;
            }
            let ctx = ctx.get_or_insert_with(|| {
                let mut c = Context::new();
                c.insert("don_vi", don_vi);
                c.insert("ma", &don_vi.get("ma"));
                c
            });
            let mut out = Out { buf: Vec::new(), budget: &mut budget };
            let r = match name {
                Some(name) => self.tera.render_to(name, ctx, &mut out),
                None => self.tera.render_str_to(s, ctx, false, &mut out),
            };
            let buf = std::mem::take(&mut out.buf);
            match r {
                Ok(()) => *s = String::from_utf8_lossy(&buf).into_owned(),
                Err(e) => {
                    result = Err(match budget.over.take() {
                        Some(m) => Error::field(path, m),
                        None => expr_error(path, s, &e, blanks),
                    })
                }
            }
        });
        result
    }
}

fn short(src: &str) -> String {
    if src.chars().count() > 80 { src.chars().take(77).chain("…".chars()).collect() } else { src.to_string() }
}

/// "`mo_dau`: biểu thức `{{ don_vi.tne }}` lỗi: không có biến `don_vi.tne` …".
fn expr_error(path: &str, src: &str, e: &tera::Error, blanks: &[Blank]) -> Error {
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
    Error::field(path, format!("biểu thức trong chuỗi “{}” không tính được: {}", short(src), translate(&msg, src, blanks)))
}

/// The Tera messages a user meets most, in Vietnamese; others are kept as Tera words them.
fn translate(msg: &str, src: &str, blanks: &[Blank]) -> String {
    let msg = msg.trim();
    let fix = "thêm cột hoặc trường đó cho đơn vị, hoặc dùng `| default(value=\"…\")`";
    let blank = |b: &Blank| {
        format!(
            "đơn vị để trống `{}` ({}) mà văn bản cần giá trị này; hãy điền vào, hoặc viết `{{{{ don_vi.{} | default(value=\"…\") }}}}` trong kế hoạch chung nếu được phép để trống",
            b.name, b.why, b.name
        )
    };
    // A filter given a value the unit does not have: Tera does not say which; the blank the
    // expression names does.
    if msg.contains("but got `undefined`") {
        let named = |b: &&Blank| src.contains(&format!("don_vi.{}", b.name)) || src.contains(&format!("don_vi[\"{}\"]", b.name));
        if let Some(b) = blanks.iter().find(named) {
            return blank(b);
        }
        return format!("biểu thức dùng một giá trị mà đơn vị không có; {fix}");
    }
    let undefined = |what: &str, name: &str, rest: &str| {
        if let Some(b) = blanks.iter().find(|b| b.name == name) {
            return blank(b);
        }
        let avail = rest.split_once(": ").map(|(_, a)| format!(" (có: {})", a.trim_end_matches('.'))).unwrap_or_default();
        format!("không có {what} `{name}`{avail}; {fix}")
    };
    if let Some((name, rest)) = msg.strip_prefix("Field `").and_then(|r| r.split_once("` is not defined")) {
        return undefined("giá trị", name, rest);
    }
    if let Some((name, rest)) = msg.strip_prefix("Variable `").and_then(|r| r.split_once("` is not defined")) {
        return undefined("biến", name, rest);
    }
    if msg.contains("không dùng được") {
        return msg.to_string();
    }
    format!("{msg} (biểu thức viết trong {{{{ … }}}}, lệnh trong {{% … %}}, theo cú pháp Tera)")
}

/// Walks the strings of `v` with their paths, with the value at the same place in `parent`; `f`
/// gets only the strings equal to the parent's there (the parent's own text).
fn parent_strings(v: &mut Value, parent: Option<&Value>, path: &mut String, f: &mut impl FnMut(&str, &mut String)) {
    match v {
        Value::String(s) if parent.and_then(Value::as_str) == Some(s.as_str()) => f(path, s),
        Value::Array(a) => {
            // A parent's "lines" field written as one string, which a CSV column made a list.
            let lines: Option<Vec<Value>> = parent.and_then(Value::as_str).map(|s| s.split('\n').map(|l| Value::String(l.to_string())).collect());
            let parent = match &lines {
                Some(l) => l.as_slice(),
                None => parent.and_then(Value::as_array).map_or(&[][..], Vec::as_slice),
            };
            for (i, x) in a.iter_mut().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                parent_strings(x, parent.get(i), path, f);
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
                parent_strings(x, parent.and_then(|p| p.get(k)), path, f);
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

    fn render(t: &UnitText, parent: &Value, plan: &mut Value, don_vi: Value) -> Result<(), Error> {
        t.render(plan, parent, &don_vi, &[])
    }

    #[test]
    fn renders_unit_values_into_the_text() {
        let base = json!({
            "mo_dau": "{{ don_vi.ten }} xây dựng Kế hoạch",
            "co_quan_ban_hanh": ["ỦY BAN NHÂN DÂN", "{{ don_vi.ten | hoa }}"],
            "ket_thuc": "Không có biểu thức & <b>",
            "trich_yeu": "Chỉ tiêu {{ don_vi.chi_tieu }}% ({{ ma }}){% if don_vi.cap == \"xã\" %}, cấp xã{% endif %}",
            "$schema": "{{ x }}",
        });
        let t = UnitText::new(&base).unwrap();
        let mut plan = base.clone();
        render(&t, &base, &mut plan, json!({"ma": "tan-hoa", "ten": "Xã Tân Hòa & Cồn", "chi_tieu": 98, "cap": "xã"})).unwrap();
        assert_eq!(plan["mo_dau"], "Xã Tân Hòa & Cồn xây dựng Kế hoạch");
        assert_eq!(plan["co_quan_ban_hanh"][1], "XÃ TÂN HÒA & CỒN");
        assert_eq!(plan["ket_thuc"], "Không có biểu thức & <b>");
        assert_eq!(plan["trich_yeu"], "Chỉ tiêu 98% (tan-hoa), cấp xã");
        assert_eq!(plan["$schema"], "{{ x }}");
        // A default for a unit that lacks the value (as the README shows it).
        let base = json!({"mo_dau": "đạt {{ don_vi.ty_le | default(value=80) }}%", "ket_thuc": "ký: {{ don_vi[\"nguoi_ky.ho_ten\"] }}"});
        let t = UnitText::new(&base).unwrap();
        let mut plan = base.clone();
        render(&t, &base, &mut plan, json!({"ma": "a", "nguoi_ky.ho_ten": "Lê Văn Bình"})).unwrap();
        assert_eq!(plan["mo_dau"], "đạt 80%");
        // A CSV column named by a path, as the README shows it.
        assert_eq!(plan["ket_thuc"], "ký: Lê Văn Bình");
    }

    #[test]
    fn unit_values_are_data_never_templates() {
        let base = json!({"mo_dau": "{{ don_vi.ten }}", "ket_thuc": "Trên đây là Kế hoạch", "can_cu": ["{{ don_vi.ten }} a"]});
        let t = UnitText::new(&base).unwrap();
        let mut plan = base.clone();
        // What the unit puts in the plan (a field it sets) and its variables are printed as given.
        plan["ket_thuc"] = json!("Nguyễn {{ 7*7 }} {% for i in range(end=100000) %}{% for j in range(end=100000) %}x{% endfor %}{% endfor %}");
        plan["can_cu"][0] = json!("{{ don_vi.ten }} của đơn vị");
        render(&t, &base, &mut plan, json!({"ma": "a", "ten": "Nguyễn {{ 7*7 }}"})).unwrap();
        assert_eq!(plan["mo_dau"], "Nguyễn {{ 7*7 }}");
        assert!(plan["ket_thuc"].as_str().unwrap().starts_with("Nguyễn {{ 7*7 }} {% for"));
        assert_eq!(plan["can_cu"][0], "{{ don_vi.ten }} của đơn vị");
    }

    #[test]
    fn loops_assignments_and_multiplying_filters_are_refused_in_the_parent() {
        for (src, word) in [
            ("{% for i in range(end=100000) %}{% for j in range(end=100000) %}x{% endfor %}{% endfor %}", "for"),
            ("{%- set s = don_vi.ten ~ don_vi.ten %}{{ s }}", "set"),
            ("{% macro m() %}{% endmacro %}", "macro"),
            ("{% include \"x\" %}", "include"),
            ("{% raw %}{{ x }}{% endraw %}", "raw"),
        ] {
            let e = UnitText::new(&json!({"noi_dung": [{"van_ban": src}]})).err().unwrap().to_string();
            assert!(e.starts_with("`noi_dung[0].van_ban`: chuỗi") && e.contains(&format!("`{{% {word} %}}`")), "{src}: {e}");
        }
        let base = json!({"mo_dau": "{{ don_vi.ten | replace(from=\"\", to=don_vi.ten) }}"});
        let t = UnitText::new(&base).unwrap();
        let mut plan = base.clone();
        let e = render(&t, &base, &mut plan, json!({"ma": "a", "ten": "x".repeat(1000)})).unwrap_err().to_string();
        assert!(e.contains("bộ lọc `replace` không dùng được"), "{e}");
        let base = json!({"ket_thuc": "{{ range(end=10) }}"});
        let t = UnitText::new(&base).unwrap();
        let mut plan = base.clone();
        let e = render(&t, &base, &mut plan, json!({"ma": "a"})).unwrap_err().to_string();
        assert!(e.contains("hàm `range` không dùng được"), "{e}");
    }

    #[test]
    fn a_unit_over_the_output_bound_fails() {
        let base = json!({"mo_dau": format!("{}", "{{ don_vi.ten }}".repeat(20))});
        let t = UnitText::new(&base).unwrap();
        let mut plan = base.clone();
        let e = render(&t, &base, &mut plan, json!({"ma": "a", "ten": "x".repeat(250_000)})).unwrap_err().to_string();
        assert!(e.starts_with("`mo_dau`: các biểu thức của kế hoạch chung cho ra hơn 4 MB chữ"), "{e}");
        let mut plan = base.clone();
        render(&t, &base, &mut plan, json!({"ma": "a", "ten": "x".repeat(1_000)})).unwrap();
    }

    #[test]
    fn errors_name_the_field_and_the_blank_cell() {
        let base = json!({"noi_dung": [{"van_ban": "{{ don_vi.tne }}"}], "mo_dau": "{{ ten }}"});
        let t = UnitText::new(&base).unwrap();
        let mut plan = json!({"noi_dung": [{"van_ban": "{{ don_vi.tne }}"}]});
        let e = render(&t, &base, &mut plan, json!({"ma": "a", "ten": "A"})).unwrap_err().to_string();
        assert!(e.starts_with("`noi_dung[0].van_ban`: biểu thức") && e.contains("không có giá trị `tne` (có: ma, ten)"), "{e}");
        let e = render(&t, &base, &mut json!({"mo_dau": "{{ ten }}"}), json!({"ma": "a"})).unwrap_err().to_string();
        assert!(e.starts_with("`mo_dau`: biểu thức") && e.contains("không có biến `ten` (có: don_vi, ma)"), "{e}");
        let blanks = [Blank { name: "tne".into(), why: "ô trống ở dòng 12, cột 3 (`tne`)".into() }];
        let mut plan = json!({"noi_dung": [{"van_ban": "{{ don_vi.tne }}"}]});
        let e = t.render(&mut plan, &base, &json!({"ma": "a"}), &blanks).unwrap_err().to_string();
        assert!(e.contains("đơn vị để trống `tne` (ô trống ở dòng 12, cột 3 (`tne`))"), "{e}");
        let e = UnitText::new(&json!({"mo_dau": "{{ don_vi.ten "})).err().unwrap().to_string();
        assert!(e.starts_with("`mo_dau`: biểu thức"), "{e}");
    }
}
