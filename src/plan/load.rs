//! Reading a plan: JSON → [`Plan`], with every error turned into Vietnamese that names the field's
//! path and the line and column in the file.

use crate::error::Error;
use crate::plan::model::Plan;

/// The largest plan file accepted: a real plan is 10 to 20 KB for five pages (the samples), and the
/// longest, a few dozen pages, some 200 KB.
pub const MAX_INPUT_BYTES: usize = 2 * 1024 * 1024;

/// What the loader changed in the input while reading it, with the JSON paths of the strings, for
/// the checker to report (see `crate::regime::rules`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InputNotes {
    /// Strings that were not in NFC (decomposed accents) and were recomposed.
    pub recomposed: Vec<String>,
    /// Strings that had invisible formatting characters removed, with those characters.
    pub invisible: Vec<(String, Vec<char>)>,
}

impl InputNotes {
    /// Whether the loader changed nothing.
    pub fn is_empty(&self) -> bool {
        self.recomposed.is_empty() && self.invisible.is_empty()
    }
}

/// Parses and checks a plan. Strings come out NFC-normalised (see [`crate::plan::model::Text`]).
pub fn parse_plan(json: &str) -> Result<Plan, Error> {
    parse_plan_with_notes(json).map(|(plan, _)| plan)
}

/// Parses a plan and says what the loader had to change in it ([`InputNotes`]).
pub fn parse_plan_with_notes(json: &str) -> Result<(Plan, InputNotes), Error> {
    if json.len() > MAX_INPUT_BYTES {
        return Err(Error::input(format!(
                "tệp kế hoạch quá lớn (hơn {}; tối đa {})",
                crate::input::size(MAX_INPUT_BYTES),
                crate::input::size(MAX_INPUT_BYTES)
            ),
        ));
    }
    let json = json.strip_prefix('\u{feff}').unwrap_or(json);
    if json.trim_start().starts_with('[') {
        return Err(not_an_object("một danh sách […]"));
    }
    crate::plan::model::take_recomposed_count();
    crate::plan::model::take_stripped_count();
    let _budget = crate::plan::model::Budget::open();
    let mut de = serde_json::Deserializer::from_str(json);
    let plan: Plan = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        // serde_path_to_error writes "?" where it cannot name the place (syntax errors).
        let path = if path == "?" || path == "." { String::new() } else { path };
        let inner = e.into_inner();
        json_error(path, &inner, Some(json))
    })?;
    de.end().map_err(|e| json_error(String::new(), &e, Some(json)))?;
    let recomposed = crate::plan::model::take_recomposed_count();
    let stripped = crate::plan::model::take_stripped_count();
    let mut notes = InputNotes::default();
    // The model counts what it changed but does not know where; only then is the input read a
    // second time, as plain JSON, to find the paths (the common clean file is read once).
    if recomposed + stripped > 0 {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(json) {
            find_changed_strings(&v, &mut notes);
        }
    }
    let mut plan = plan;
    plan.notes = notes.clone();
    plan.source = Some(json.into());
    Ok((plan, notes))
}

/// A plan file holds one object; serde would read an array's values as the fields in order.
fn not_an_object(what: &str) -> Error {
    Error::input(format!(
            "tệp kế hoạch phải là một đối tượng JSON {{ \"the_thuc\": …, \"trich_yeu\": …, … }}, ở đây là {what}; (danh sách đơn vị […] dùng với `kehoach batch KẾ_HOẠCH_CHUNG --units TỆP`)"
        ),
    )
}

/// Parses JSON text as a value (not yet a plan), errors in Vietnamese with line and column.
pub fn parse_json(json: &str) -> Result<serde_json::Value, Error> {
    let json = json.strip_prefix('\u{feff}').unwrap_or(json);
    serde_json::from_str(json).map_err(|e| json_error(String::new(), &e, Some(json)))
}

/// Reads a plan from JSON already parsed (the batch builds each unit's plan as a value). Errors name
/// the field's path; there is no line or column, as the value has no text of its own.
pub fn plan_from_value(v: &serde_json::Value) -> Result<(Plan, InputNotes), Error> {
    match v {
        serde_json::Value::Object(_) => {}
        serde_json::Value::Array(_) => return Err(not_an_object("một danh sách […]")),
        _ => return Err(not_an_object("một giá trị đơn")),
    }
    crate::plan::model::take_recomposed_count();
    crate::plan::model::take_stripped_count();
    let _budget = crate::plan::model::Budget::open();
    let plan: Plan = serde_path_to_error::deserialize(v).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "?" || path == "." { String::new() } else { path };
        json_error(path, &e.into_inner(), None)
    })?;
    let mut notes = InputNotes::default();
    if crate::plan::model::take_recomposed_count() + crate::plan::model::take_stripped_count() > 0 {
        find_changed_strings(v, &mut notes);
    }
    let mut plan = plan;
    plan.notes = notes.clone();
    Ok((plan, notes))
}

/// Records the strings of `v` that the model's text cleaning changes.
fn find_changed_strings(v: &serde_json::Value, notes: &mut InputNotes) {
    use unicode_normalization::UnicodeNormalization;
    for_each_string(v, &mut String::new(), &mut |path, s| {
        if s.nfc().ne(s.chars()) {
            notes.recomposed.push(path.to_string());
        }
        let mut inv: Vec<char> = s.chars().filter(|&c| crate::plan::model::is_invisible(c)).collect();
        if !inv.is_empty() {
            inv.sort_unstable();
            inv.dedup();
            notes.invisible.push((path.to_string(), inv));
        }
    });
}

/// Calls `f` with the path (`can_cu[2]`, `nguoi_ky.ho_ten`) and text of every string in a plan's
/// JSON, the editor's `$schema` address excepted (it is not plan text).
pub fn for_each_string(v: &serde_json::Value, path: &mut String, f: &mut impl FnMut(&str, &str)) {
    match v {
        serde_json::Value::String(s) => f(path, s),
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                for_each_string(x, path, f);
                path.truncate(len);
            }
        }
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                if path.is_empty() && k == "$schema" {
                    continue;
                }
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                for_each_string(x, path, f);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// Reads a plan from a file, or from standard input when `path` is "-".
pub fn read_plan(path: &str) -> Result<Plan, Error> {
    read_plan_with_notes(path).map(|(plan, _)| plan)
}

/// The text of a plan file, or of standard input for "-", as [`read_plan_with_notes`] reads it.
pub fn read_plan_text(path: &str) -> Result<String, Error> {
    crate::input::read_text(path, MAX_INPUT_BYTES, "tệp kế hoạch")
}

/// The first string of a plan's JSON text that holds a Tera expression (`{{ … }}` or `{% … %}`),
/// with its path: such a plan is a batch's parent plan, not one to print as it is.
pub fn first_expression(text: &str) -> Option<(String, String)> {
    if !text.contains("{{") && !text.contains("{%") {
        return None;
    }
    let v = parse_json(text).ok()?;
    let mut found = None;
    for_each_string(&v, &mut String::new(), &mut |path, s| {
        if found.is_none() && ((s.contains("{{") && s.contains("}}")) || (s.contains("{%") && s.contains("%}"))) {
            found = Some((path.to_string(), s.to_string()));
        }
    });
    found
}

/// Reads a plan as [`read_plan`] does and says what the loader had to change in it. At most
/// [`MAX_INPUT_BYTES`] are read, from a regular file, a named pipe or standard input ("-");
/// UTF-16 with a byte-order mark is read too.
pub fn read_plan_with_notes(path: &str) -> Result<(Plan, InputNotes), Error> {
    let text = crate::input::read_text(path, MAX_INPUT_BYTES, "tệp kế hoạch")?;
    parse_plan_with_notes(&text)
}

/// Vietnamese for the common I/O failures.
pub fn vn_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "không tìm thấy tệp hoặc thư mục".into(),
        PermissionDenied => "không có quyền truy cập".into(),
        AlreadyExists => "đã tồn tại".into(),
        InvalidData => "dữ liệu không hợp lệ (không phải UTF-8?)".into(),
        _ => format!("lỗi hệ thống ({e})"),
    }
}

fn json_error(path: String, e: &serde_json::Error, src: Option<&str>) -> Error {
    let full = e.to_string();
    let msg = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => full.as_str(),
    };
    let (line, column) = if e.line() > 0 { (Some(e.line()), Some(e.column())) } else { (None, None) };
    let mut message = translate(msg);
    if let (Some(src), Some(l), Some(c), true) = (src, line, column, e.is_syntax() || e.is_eof())
        && let Some(why) = explain_syntax(src, l, c)
    {
        message = why.to_string();
    }
    Error::Field { path, message, line, column }
}

/// What staff most often put in a JSON file that JSON does not have, at the place of a syntax
/// error (`line`, `column` as serde_json counts them, from 1): a `//` or `/* */` comment, Word's
/// curly quotes, single quotes.
pub fn explain_syntax(src: &str, line: usize, column: usize) -> Option<&'static str> {
    let text = src.split('\n').nth(line.checked_sub(1)?)?;
    let chars: Vec<char> = text.chars().collect();
    // serde_json points at the offending character, or just past it.
    let near = |c: &dyn Fn(char) -> bool| {
        [column.checked_sub(1), Some(column), column.checked_sub(2)].iter().flatten().any(|&i| chars.get(i).is_some_and(|&x| c(x)))
    };
    let rest: String = chars.iter().skip(column.saturating_sub(2)).take(3).collect();
    if rest.contains("//") || rest.contains("/*") {
        return Some(
            "JSON không có chú thích: `//` và `/* … */` không dùng được trong tệp kế hoạch; hãy xoá dòng chú thích (muốn ghi chú thì đặt vào một chuỗi, ví dụ trong `du_thao`)",
        );
    }
    if near(&|c| matches!(c, '“' | '”' | '„' | '″')) {
        return Some(
            "dấu ngoặc kép cong “ ” (Word tự đổi khi gõ) không phải dấu ngoặc của JSON; tên trường và chuỗi phải nằm trong dấu ngoặc kép thẳng \"…\" (soạn bằng Notepad hay VS Code, hoặc tắt AutoFormat “Straight quotes with smart quotes” trong Word)",
        );
    }
    if near(&|c| matches!(c, '‘' | '’' | '\'')) {
        return Some(
            "JSON không dùng dấu nháy đơn ' hay ‘ ’; tên trường và chuỗi phải nằm trong dấu ngoặc kép thẳng \"…\"",
        );
    }
    None
}

/// Translates serde / serde_json messages into Vietnamese. The English text of these messages is
/// fixed by serde's `de::Error` defaults; anything not recognised is passed through as it is.
pub fn translate(msg: &str) -> String {
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        if let Some((unexp, exp)) = rest.split_once(", expected ") {
            return format!("cần {} nhưng gặp {}", expected(exp), unexpected(unexp));
        }
    }
    if let Some(rest) = msg.strip_prefix("invalid value: ") {
        if let Some((unexp, exp)) = rest.split_once(", expected ") {
            return format!("giá trị {} không hợp lệ, cần {}", unexpected(unexp), expected(exp));
        }
    }
    if let Some(rest) = msg.strip_prefix("unknown field ") {
        let (name, exp) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let exp = exp.trim_start_matches("one of ");
        let name = name.trim_matches('`');
        let fields = exp.split(", ").flat_map(|f| f.split(" or ")).map(|f| f.trim_matches('`')).filter(|f| !f.is_empty() && !f.starts_with('$'));
        if let Some(f) = crate::plan::suggest::nearest(name, fields) {
            return format!("không có trường `{name}`; có phải `{f}`? (tên trường viết không dấu, các từ nối bằng `_`)");
        }
        return if exp.is_empty() || rest.contains("there are no fields") {
            format!("không có trường `{name}` (viết sai tên trường?)")
        } else {
            format!("không có trường `{name}` (viết sai tên trường?); các trường dùng được ở đây: {exp}")
        };
    }
    if let Some(rest) = msg.strip_prefix("unknown variant ") {
        let (name, exp) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let exp = exp.trim_start_matches("one of ");
        return format!("giá trị {name} không hợp lệ; chọn một trong: {exp}");
    }
    if let Some(rest) = msg.strip_prefix("missing field ") {
        return format!("thiếu trường bắt buộc {rest}");
    }
    if let Some(rest) = msg.strip_prefix("duplicate field ") {
        return format!("trường {rest} được viết hai lần");
    }
    if let Some(rest) = msg.strip_prefix("invalid length ") {
        return format!("độ dài {rest} không hợp lệ");
    }
    let syntax = [
        ("EOF while parsing a list", "tệp kết thúc khi danh sách chưa đóng (thiếu `]`)"),
        ("EOF while parsing an object", "tệp kết thúc khi đối tượng chưa đóng (thiếu `}`)"),
        ("EOF while parsing a string", "tệp kết thúc khi chuỗi chưa đóng (thiếu dấu `\"`)"),
        ("EOF while parsing a value", "tệp kết thúc giữa chừng hoặc trống"),
        ("expected `,` or `]`", "thiếu dấu phẩy `,` hoặc dấu `]`"),
        ("expected `,` or `}`", "thiếu dấu phẩy `,` hoặc dấu `}`"),
        ("expected `:`", "thiếu dấu hai chấm `:` sau tên trường"),
        ("expected value", "cần một giá trị JSON (chuỗi phải nằm trong dấu ngoặc kép \"…\")"),
        ("expected ident", "giá trị không hợp lệ (true, false, null phải viết thường)"),
        ("trailing comma", "thừa dấu phẩy trước dấu đóng"),
        ("trailing characters", "còn ký tự thừa sau khi tệp JSON đã kết thúc"),
        ("key must be a string", "tên trường phải là chuỗi trong dấu ngoặc kép"),
        ("control character (\\u0000-\\u001F) found while parsing a string", "chuỗi có ký tự điều khiển hoặc xuống dòng thật; hãy viết \\n để xuống dòng"),
        ("invalid escape", "chuỗi có ký tự thoát (\\) không hợp lệ"),
        ("invalid number", "số không hợp lệ"),
        ("number out of range", "số quá lớn"),
        ("invalid unicode code point", "mã Unicode không hợp lệ"),
        ("lone leading surrogate in hex escape", "mã Unicode \\u không hợp lệ (nửa cặp thay thế)"),
        ("unexpected end of hex escape", "mã \\u chưa đủ 4 chữ số"),
        ("recursion limit exceeded", "dữ liệu lồng nhau quá sâu (quá nhiều cấp ngoặc [ ] hoặc { })"),
    ];
    for (en, vi) in syntax {
        if msg == en {
            return vi.to_string();
        }
    }
    msg.to_string()
}

fn unexpected(s: &str) -> String {
    let s = s.trim();
    if let Some(v) = s.strip_prefix("integer ") {
        return format!("số {}", v.trim_matches('`'));
    }
    if let Some(v) = s.strip_prefix("floating point ") {
        return format!("số {}", v.trim_matches('`'));
    }
    if let Some(v) = s.strip_prefix("string ") {
        return format!("chuỗi {v}");
    }
    if let Some(v) = s.strip_prefix("boolean ") {
        return format!("giá trị {}", v.trim_matches('`'));
    }
    match s {
        "null" => "null".into(),
        "sequence" => "danh sách".into(),
        "map" => "đối tượng".into(),
        "unit value" => "giá trị rỗng".into(),
        _ => s.to_string(),
    }
}

fn expected(s: &str) -> String {
    let s = s.trim();
    if s.starts_with("struct ") || s == "a map" {
        return "một đối tượng {…}".into();
    }
    match s {
        "u32" | "u64" | "u16" | "u8" | "usize" => "số nguyên không âm".into(),
        "i32" | "i64" => "số nguyên".into(),
        "a string" | "string" => "chuỗi ký tự".into(),
        "a sequence" => "danh sách […]".into(),
        "a boolean" => "true hoặc false".into(),
        _ if s.starts_with("enum ") => "một giá trị trong danh sách cho phép".into(),
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_name_the_strings_the_loader_changed() {
        let starter = crate::plan::starter::for_regime(crate::plan::model::Regime::Nd30);
        let mut v: serde_json::Value = serde_json::from_str(starter).unwrap();
        v["$schema"] = "./a\u{0301}.json".into();
        v["trich_yeu"] = "Ca\u{0309}i ca\u{0301}ch".into();
        v["noi_dung"][0]["muc_con"] = serde_json::json!(["x\u{200F}y", "Ho\u{0300}a"]);
        let (plan, notes) = parse_plan_with_notes(&v.to_string()).unwrap();
        assert_eq!(plan.trich_yeu.as_str(), "Cải cách");
        assert_eq!(notes.recomposed, ["noi_dung[0].muc_con[1]", "trich_yeu"]);
        assert_eq!(notes.invisible, [("noi_dung[0].muc_con[0]".to_string(), vec!['\u{200F}'])]);
        // A clean file is read once and has no notes.
        assert!(parse_plan_with_notes(starter).unwrap().1.is_empty());
    }

    #[test]
    fn messages_are_vietnamese_with_path_and_position() {
        let e = parse_plan("{\n  \"the_thuc\": \"nd31\"\n}").unwrap_err().to_string();
        assert!(e.contains("`the_thuc`") && e.contains("nd31") && e.contains("nd30") && e.contains("dòng 2"), "{e}");
        let e = parse_plan("{\"the_thuc\": 5}").unwrap_err().to_string();
        assert!(e.contains("`the_thuc`") && e.contains("ngoặc kép"), "{e}");
        let e = parse_plan("{\"the_thuc\": \"nd30\", \"can_cu\": [\"a\", 5]}").unwrap_err().to_string();
        assert!(e.contains("`can_cu[1]`: cần chuỗi ký tự nhưng gặp số 5 (dòng 1, cột"), "{e}");
        let e = parse_plan("{\"the_thuc\": \"nd30\", \"so\": \"06\"}").unwrap_err().to_string();
        assert!(e.contains("`so`") && e.contains("số nguyên không âm") && e.contains("chuỗi \"06\""), "{e}");
        let e = parse_plan("{\"the_thuc\": \"nd30\", \"kyhieu\": \"x\"}").unwrap_err().to_string();
        assert!(e.contains("không có trường `kyhieu`"), "{e}");
        let e = parse_plan("{\"the_thuc\": \"nd30\",}").unwrap_err().to_string();
        assert!(e.contains("thừa dấu phẩy"), "{e}");
        let e = parse_plan("{\"the_thuc\": \"nd30\"").unwrap_err().to_string();
        assert!(e.contains("chưa đóng"), "{e}");
    }

    fn starter_with(edit: impl Fn(&mut serde_json::Value)) -> String {
        let mut v: serde_json::Value = serde_json::from_str(crate::plan::starter::for_regime(crate::plan::model::Regime::Nd30)).unwrap();
        edit(&mut v);
        serde_json::to_string_pretty(&v).unwrap()
    }

    #[test]
    fn a_top_level_array_is_refused() {
        // serde reads the values of an array as the plan's fields in order: 23 values made a plan.
        let v: serde_json::Value = serde_json::from_str(crate::plan::starter::for_regime(crate::plan::model::Regime::Nd30)).unwrap();
        let mut values: Vec<serde_json::Value> = vec![serde_json::Value::Null];
        values.extend(v.as_object().unwrap().values().cloned());
        let e = parse_plan(&serde_json::Value::Array(values.clone()).to_string()).unwrap_err().to_string();
        assert!(e.contains("phải là một đối tượng JSON") && e.contains("danh sách"), "{e}");
        let e = plan_from_value(&serde_json::Value::Array(values)).unwrap_err().to_string();
        assert!(e.contains("phải là một đối tượng JSON"), "{e}");
    }

    #[test]
    fn a_misspelt_key_gets_the_nearest_field_marks_folded() {
        let json = starter_with(|v| {
            let t = v.as_object_mut().unwrap().remove("trich_yeu").unwrap();
            v["trích_yếu"] = t;
        });
        let e = parse_plan(&json).unwrap_err().to_string();
        assert!(e.contains("không có trường `trích_yếu`; có phải `trich_yeu`?"), "{e}");
        assert!(!e.contains("co_quan_chu_quan"), "only the nearest is named: {e}");
        let json = starter_with(|v| v["nguoi_ky"]["ho_tenn"] = "x".into());
        let e = parse_plan(&json).unwrap_err().to_string();
        assert!(e.starts_with("`nguoi_ky.ho_tenn`: không có trường `ho_tenn`; có phải `ho_ten`?"), "{e}");
        // Nothing near: the fields are listed.
        let e = parse_plan(&starter_with(|v| v["xyzzy"] = 1.into())).unwrap_err().to_string();
        assert!(e.contains("các trường dùng được ở đây") && e.contains("trich_yeu"), "{e}");
    }

    #[test]
    fn comments_and_curly_quotes_are_explained() {
        let e = parse_plan("{\n  // thể thức\n  \"the_thuc\": \"nd30\"\n}").unwrap_err().to_string();
        assert!(e.contains("JSON không có chú thích") && e.contains("dòng 2"), "{e}");
        let e = parse_plan("{\"the_thuc\": \"nd30\", /* x */ \"so\": 1}").unwrap_err().to_string();
        assert!(e.contains("JSON không có chú thích"), "{e}");
        let e = parse_plan("{\n  “the_thuc”: “nd30”\n}").unwrap_err().to_string();
        assert!(e.contains("dấu ngoặc kép cong") && e.contains("dòng 2, cột 3"), "{e}");
        let e = parse_plan("{\"the_thuc\": “nd30”}").unwrap_err().to_string();
        assert!(e.contains("dấu ngoặc kép cong"), "{e}");
        let e = parse_plan("{'the_thuc': 'nd30'}").unwrap_err().to_string();
        assert!(e.contains("nháy đơn"), "{e}");
    }

    #[test]
    fn items_and_text_are_counted_while_reading() {
        use crate::plan::model::{MAX_ITEMS, MAX_TEXT_CHARS};
        // Refused at the first item over the limit, with the path and line of that item.
        let json = starter_with(|v| v["noi_dung"][0]["muc_con"] = serde_json::json!(vec!["a"; MAX_ITEMS + 10]));
        let e = parse_plan(&json).unwrap_err().to_string();
        assert!(e.contains("hơn 20.000 mục và chuỗi (tối đa 20.000") && e.contains("`noi_dung[0].muc_con["), "{e}");
        assert!(e.contains("(dòng "), "{e}");
        let json = starter_with(|v| v["noi_dung"] = serde_json::json!(vec![serde_json::json!({}); MAX_ITEMS + 1]));
        assert!(parse_plan(&json).unwrap_err().to_string().contains("mục và chuỗi"));
        let json = starter_with(|v| v["mo_dau"] = "Một đoạn rất dài. ".repeat(MAX_TEXT_CHARS / 18 + 1).into());
        let e = parse_plan(&json).unwrap_err().to_string();
        assert!(e.starts_with("`mo_dau`: kế hoạch có hơn 1.000.000 ký tự chữ"), "{e}");
        let json = starter_with(|v| v["can_cu"] = serde_json::json!(vec!["Căn cứ Luật Tổ chức chính quyền địa phương"; 4_000]));
        assert!(parse_plan(&json).is_ok(), "a long real plan is well within the limits");
        // A value read by the batch is counted the same way.
        let v: serde_json::Value = serde_json::from_str(&starter_with(|v| v["can_cu"] = serde_json::json!(vec!["a"; MAX_ITEMS + 1]))).unwrap();
        assert!(plan_from_value(&v).unwrap_err().to_string().contains("mục và chuỗi"));
    }

    #[test]
    fn utf16_plans_with_a_mark_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let text = crate::plan::starter::for_regime(crate::plan::model::Regime::Hd05);
        let path = dir.path().join("ke-hoach.json");
        let bytes: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        std::fs::write(&path, bytes).unwrap();
        let plan = read_plan(path.to_str().unwrap()).unwrap();
        assert_eq!(plan.the_thuc, crate::plan::model::Regime::Hd05);
    }
}
