//! Reading a plan: JSON → [`Plan`], with every error turned into Vietnamese that names the field's
//! path and the line and column in the file.

use crate::error::Error;
use crate::plan::model::Plan;

/// The largest plan file accepted (a real plan is a few tens of kilobytes).
pub const MAX_INPUT_BYTES: usize = 8 * 1024 * 1024;

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
        return Err(Error::field(
            "",
            format!(
                "tệp kế hoạch quá lớn ({} MB; tối đa {} MB)",
                json.len() / (1024 * 1024),
                MAX_INPUT_BYTES / (1024 * 1024)
            ),
        ));
    }
    let json = json.strip_prefix('\u{feff}').unwrap_or(json);
    crate::plan::model::take_recomposed_count();
    crate::plan::model::take_stripped_count();
    let mut de = serde_json::Deserializer::from_str(json);
    let plan: Plan = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        // serde_path_to_error writes "?" where it cannot name the place (syntax errors).
        let path = if path == "?" || path == "." { String::new() } else { path };
        let inner = e.into_inner();
        json_error(path, &inner)
    })?;
    de.end().map_err(|e| json_error(String::new(), &e))?;
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

/// Parses JSON text as a value (not yet a plan), errors in Vietnamese with line and column.
pub fn parse_json(json: &str) -> Result<serde_json::Value, Error> {
    let json = json.strip_prefix('\u{feff}').unwrap_or(json);
    serde_json::from_str(json).map_err(|e| json_error(String::new(), &e))
}

/// Reads a plan from JSON already parsed (the batch builds each unit's plan as a value). Errors name
/// the field's path; there is no line or column, as the value has no text of its own.
pub fn plan_from_value(v: &serde_json::Value) -> Result<(Plan, InputNotes), Error> {
    crate::plan::model::take_recomposed_count();
    crate::plan::model::take_stripped_count();
    let plan: Plan = serde_path_to_error::deserialize(v).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "?" || path == "." { String::new() } else { path };
        json_error(path, &e.into_inner())
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

/// Reads a plan as [`read_plan`] does and says what the loader had to change in it.
pub fn read_plan_with_notes(path: &str) -> Result<(Plan, InputNotes), Error> {
    let text = if path == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin().take(MAX_INPUT_BYTES as u64 + 1), &mut s)
            .map_err(|e| Error::io("(đầu vào chuẩn)", vn_io(&e)))?;
        s
    } else {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, vn_io(&e)))?;
        String::from_utf8(bytes).map_err(|e| {
            Error::field("", format!("tệp `{path}` không phải văn bản UTF-8 (lỗi ở byte {})", e.utf8_error().valid_up_to()))
        })?
    };
    parse_plan_with_notes(&text)
}

use std::io::Read as _;

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

fn json_error(path: String, e: &serde_json::Error) -> Error {
    let full = e.to_string();
    let msg = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => full.as_str(),
    };
    let (line, column) = if e.line() > 0 { (Some(e.line()), Some(e.column())) } else { (None, None) };
    Error::Field { path, message: translate(msg), line, column }
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
}
