//! The units file: who gets a plan, and what differs in each one's plan.
//!
//! - **JSON**: an array of objects. Each object's keys that are fields of a plan (`so`,
//!   `co_quan_ban_hanh`, `nguoi_ky`…) form a JSON Merge Patch (RFC 7396) applied to the parent plan:
//!   an object merges into the plan's object, anything else replaces the value, `null` removes it.
//!   Its other keys (`ma`, `ten`, `chi_tieu`…) are the unit's variables for the expressions in the
//!   text ([`super::vars`]). The array is read element by element, never whole.
//! - **CSV** (UTF-8, with or without the byte-order mark Excel writes; `,` or — as Excel writes it
//!   under a Vietnamese or European list separator — `;`; quoted cells may hold commas and line
//!   breaks): the header row names the columns. A column named by a plan field's path (`so`,
//!   `nguoi_ky.ho_ten`, `noi_nhan.muc[0]`, `can_cu[2]`; see [`super::fieldpath`]) sets that field;
//!   any other column (`ma`, `ten`, `don_vi.chi_tieu`…) is a variable. An empty cell leaves the
//!   plan's value. A cell is a number where the plan's field is a number (`so`), else a string.
//!
//! The unit's id is its `ma`, else its first key / first column. A key or column that is no field of
//! a plan but is one or two letters away from one (`ky_hieuu`) and that no expression of the plan
//! uses is refused as a misspelt field: it would otherwise leave the parent's value in place silently.

use super::fieldpath::{FieldPath, Seg};
use crate::error::Error;
use crate::plan::load::vn_io;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// One unit as read from the file, before anything is applied to the plan.
#[derive(Clone, Debug)]
pub struct RawUnit {
    /// Its place in the file (0-based).
    pub index: usize,
    /// The line its row starts on (CSV).
    pub line: Option<u64>,
    /// Its id (`ma`, or the first key / column), trimmed; may be empty.
    pub id: String,
    pub body: Body,
}

#[derive(Clone, Debug)]
pub enum Body {
    /// A JSON object, its keys in the order of the file.
    Object(Vec<(String, Value)>),
    /// A CSV row, one cell per column.
    Row(Vec<String>),
    /// Not a usable unit: what is wrong (the unit fails, the others go on).
    Bad(String),
}

impl RawUnit {
    /// How messages name the unit: "đơn vị `xa-tan-hoa` (dòng 57)" or "đơn vị thứ 3".
    pub fn label(&self) -> String {
        let place = match self.line {
            Some(l) => format!("dòng {l}"),
            None => format!("thứ {}", self.index + 1),
        };
        if self.id.is_empty() { format!("đơn vị {place}") } else { format!("đơn vị `{}` ({place})", self.id) }
    }
}

/// The names of a plan's top-level fields.
pub fn plan_fields() -> &'static [String] {
    static F: OnceLock<Vec<String>> = OnceLock::new();
    F.get_or_init(|| {
        let schema = crate::plan::schema::plan_schema();
        schema["properties"].as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default()
    })
}

pub fn is_plan_field(name: &str) -> bool {
    plan_fields().iter().any(|f| f == name)
}

/// The schemas the field at `path` may follow (the branches of its anyOf / oneOf), or what is wrong
/// with the path: a field the plan does not have, an index into what is not a list.
pub fn schema_at(path: &FieldPath) -> Result<Vec<&'static Value>, String> {
    static S: OnceLock<Value> = OnceLock::new();
    let root = S.get_or_init(crate::plan::schema::plan_schema);
    let resolve = |s: &'static Value| -> &'static Value {
        match s.get("$ref").and_then(Value::as_str) {
            Some(r) => root.pointer(r.trim_start_matches('#')).unwrap_or(s),
            None => s,
        }
    };
    let branches = |s: &'static Value| -> Vec<&'static Value> {
        let s = resolve(s);
        let mut v = vec![s];
        for key in ["anyOf", "oneOf"] {
            if let Some(a) = s.get(key).and_then(Value::as_array) {
                v.extend(a.iter().map(resolve));
            }
        }
        v
    };
    let mut cur: Vec<&'static Value> = branches(root);
    let mut shown = String::new();
    for seg in &path.0 {
        let mut next = Vec::new();
        match seg {
            Seg::Key(k) => {
                let objects: Vec<&Value> = cur.iter().copied().filter_map(|s| s.get("properties")).collect();
                if objects.is_empty() {
                    return Err(format!("`{shown}` không phải đối tượng {{…}} nên không có trường `{k}`"));
                }
                for props in &objects {
                    if let Some(c) = props.get(k) {
                        next.extend(branches(c));
                    }
                }
                if next.is_empty() {
                    let names = objects.iter().filter_map(|p| p.as_object()).flat_map(|m| m.keys()).map(String::as_str);
                    let hint = crate::plan::suggest::nearest(k, names).map(|n| format!("; có phải `{n}`?")).unwrap_or_default();
                    let place = if shown.is_empty() { String::new() } else { format!(" trong `{shown}`") };
                    return Err(format!("kế hoạch không có trường `{k}`{place}{hint}"));
                }
                if !shown.is_empty() {
                    shown.push('.');
                }
                shown.push_str(k);
            }
            Seg::Index(n) => {
                for s in &cur {
                    if let Some(items) = s.get("items") {
                        next.extend(branches(items));
                    }
                }
                if next.is_empty() {
                    return Err(format!("`{shown}` không phải danh sách […] nên không có mục [{n}]"));
                }
                shown.push_str(&format!("[{n}]"));
            }
        }
        cur = next;
    }
    Ok(cur)
}

/// Is the field at `path` a number in the plan's schema (so a CSV cell there is read as one)?
pub fn is_numeric(path: &FieldPath) -> bool {
    schema_at(path).is_ok_and(|v| {
        v.iter().any(|s| {
            let t = &s["type"];
            let num = |t: &Value| t == "integer" || t == "number";
            num(t) || t.as_array().is_some_and(|a| a.iter().any(num))
        })
    })
}

/// The plan field `name` is most likely a misspelling of, if any (see [`crate::plan::suggest`]:
/// marks folded, one letter off for short names, two for longer ones).
pub fn misspelt_field(name: &str) -> Option<&'static str> {
    crate::plan::suggest::nearest(name, plan_fields().iter().map(String::as_str))
}

fn misspelt_message(name: &str, field: &str) -> String {
    format!(
        "`{name}` không phải trường của kế hoạch và không biểu thức nào dùng đến; có phải `{field}`? (viết sai tên trường thì kế hoạch của đơn vị sẽ giữ giá trị của kế hoạch chung)"
    )
}

/// One column of a CSV units file.
#[derive(Clone, Debug)]
pub struct Column {
    /// The header as written (trimmed).
    pub name: String,
    pub kind: ColumnKind,
}

#[derive(Clone, Debug)]
pub enum ColumnKind {
    /// Sets a field of the plan; `numeric`: the field is a number.
    Field { path: FieldPath, numeric: bool },
    /// A unit variable, under this name in `don_vi`.
    Var(String),
}

/// The header row of a CSV units file.
#[derive(Clone, Debug)]
pub struct Header {
    pub columns: Vec<Column>,
    /// The column that holds the id: `ma`, else the first.
    pub id_col: usize,
}

impl Header {
    /// Reads the header row. `used(name)`: does an expression of the plan mention `name`?
    pub fn parse(cells: &[String], used: &dyn Fn(&str) -> bool) -> Result<Header, Error> {
        let mut columns: Vec<Column> = Vec::new();
        for (i, raw) in cells.iter().enumerate() {
            let name = raw.trim_start_matches('\u{feff}').trim().to_string();
            let at = |m: String| Error::field("", format!("cột {} của dòng tiêu đề: {m}", i + 1));
            if name.is_empty() {
                return Err(at("cột không có tên (dòng đầu tiên phải ghi tên trường hoặc tên biến của mỗi cột)".into()));
            }
            if columns.iter().any(|c| c.name == name) {
                return Err(at(format!("cột `{name}` bị lặp lại")));
            }
            let kind = if let Some(var) = name.strip_prefix("don_vi.") {
                ColumnKind::Var(var.to_string())
            } else {
                match FieldPath::parse(&name) {
                    Ok(path) if is_plan_field(path.root()) => {
                        schema_at(&path).map_err(|m| at(format!("`{name}`: {m}")))?;
                        let numeric = is_numeric(&path);
                        ColumnKind::Field { path, numeric }
                    }
                    Ok(path) if path.0.len() > 1 => {
                        let hint = misspelt_field(path.root()).map(|f| format!("; có phải `{f}`?")).unwrap_or_default();
                        return Err(at(format!("`{name}`: kế hoạch không có trường `{}`{hint}", path.root())));
                    }
                    Ok(_) => {
                        if let Some(f) = misspelt_field(&name).filter(|_| !used(&name)) {
                            return Err(at(misspelt_message(&name, f)));
                        }
                        ColumnKind::Var(name.clone())
                    }
                    Err(m) => return Err(at(m)),
                }
            };
            columns.push(Column { name, kind });
        }
        let id_col = columns.iter().position(|c| matches!(&c.kind, ColumnKind::Var(v) if v == "ma")).unwrap_or(0);
        Ok(Header { columns, id_col })
    }
}

/// A unit applied to the parent plan: the plan's JSON for it, and its variables.
pub struct Applied {
    pub plan: Value,
    pub don_vi: Value,
}

/// Builds the unit's plan JSON from the parent's (`base`). Errors name the field (or column).
pub fn apply(base: &Value, unit: &RawUnit, header: Option<&Header>, used: &dyn Fn(&str) -> bool) -> Result<Applied, Error> {
    let mut plan = base.clone();
    let mut don_vi = Map::new();
    match &unit.body {
        Body::Bad(m) => return Err(Error::field("", m.clone())),
        Body::Object(entries) => {
            let mut patch = Map::new();
            for (k, v) in entries {
                if is_plan_field(k) {
                    patch.insert(k.clone(), v.clone());
                } else if let Some(f) = misspelt_field(k).filter(|_| !used(k)) {
                    return Err(Error::field(k.clone(), misspelt_message(k, f)));
                }
                don_vi.insert(k.clone(), v.clone());
            }
            json_patch::merge(&mut plan, &Value::Object(patch));
        }
        Body::Row(cells) => {
            let header = header.expect("a CSV unit comes with its header");
            for (col, cell) in header.columns.iter().zip(cells.iter().map(String::as_str).chain(std::iter::repeat(""))) {
                match &col.kind {
                    ColumnKind::Field { path, numeric } => {
                        if cell.trim().is_empty() {
                            continue;
                        }
                        let value = cell_value(cell, *numeric);
                        path.set(&mut plan, value.clone()).map_err(|m| Error::field(path.to_string(), m))?;
                        don_vi.insert(col.name.clone(), value);
                    }
                    ColumnKind::Var(name) => {
                        don_vi.insert(name.clone(), Value::String(cell.to_string()));
                    }
                }
            }
        }
    }
    don_vi.entry("ma").or_insert_with(|| Value::String(unit.id.clone()));
    Ok(Applied { plan, don_vi: Value::Object(don_vi) })
}

/// A CSV cell: a number where the field is a number and the cell reads as one, else the text.
fn cell_value(cell: &str, numeric: bool) -> Value {
    if numeric {
        let t = cell.trim();
        if let Ok(n) = t.parse::<u64>() {
            return Value::from(n);
        }
        if let Ok(n) = t.parse::<i64>() {
            return Value::from(n);
        }
        if let Some(n) = t.parse::<f64>().ok().and_then(serde_json::Number::from_f64) {
            return Value::Number(n);
        }
    }
    Value::String(cell.to_string())
}

/// The id of a JSON unit: `ma`, else the first key's value (a string or a number).
fn object_id(entries: &[(String, Value)]) -> String {
    let pick = entries.iter().find(|(k, _)| k == "ma").or(entries.first());
    match pick.map(|(_, v)| v) {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The format of a units file: by its extension, else by its first character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

/// An opened units file.
pub struct Units {
    path: PathBuf,
    pub format: Format,
    /// The CSV header, read when the file is opened.
    pub header: Option<Header>,
    delimiter: u8,
}

fn file_error(path: &Path, m: impl fmt::Display) -> Error {
    Error::field("", format!("tệp đơn vị `{}`: {m}", path.display()))
}

impl Units {
    /// Opens the units file and, for a CSV, reads its header (`used`: see [`Header::parse`]).
    pub fn open(path: &Path, used: &dyn Fn(&str) -> bool) -> Result<Units, Error> {
        let mut head = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(64 * 1024).read_to_end(&mut head))
            .map_err(|e| Error::io(path.display(), vn_io(&e)))?;
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
        if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
            return Err(file_error(path, "tệp mã UTF-16 (Excel: “Unicode Text”); hãy lưu lại bằng “CSV UTF-8 (Comma delimited)”"));
        }
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        let format = match ext.as_deref() {
            Some("json") => Format::Json,
            Some("csv") | Some("txt") | Some("tsv") => Format::Csv,
            _ if head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') => Format::Json,
            _ => Format::Csv,
        };
        let mut units = Units { path: path.to_path_buf(), format, header: None, delimiter: sniff_delimiter(head) };
        if format == Format::Csv {
            let mut rdr = units.csv_reader()?;
            let mut rec = csv::StringRecord::new();
            let has = rdr.read_record(&mut rec).map_err(|e| csv_error(path, &e))?;
            if !has {
                return Err(file_error(path, "tệp trống; dòng đầu tiên phải là tên các cột (`ma`, `ten`, `so`, `nguoi_ky.ho_ten`…)"));
            }
            let cells = cells(&rec);
            units.header = Some(Header::parse(&cells, used).map_err(|e| file_error(path, e))?);
        }
        Ok(units)
    }

    fn csv_reader(&self) -> Result<csv::Reader<std::fs::File>, Error> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(self.delimiter)
            // Records end at LF only, so that line numbers count CR LF files right (the csv crate's
            // CR-or-LF terminator counts one line too few after each CR LF); the CR left at the end
            // of the last cell is removed in `cells`.
            .terminator(csv::Terminator::Any(b'\n'))
            .from_path(&self.path)
            .map_err(|e| csv_error(&self.path, &e))
    }

    /// The JSON units file, past a byte-order mark.
    fn json_reader(&self) -> Result<std::io::BufReader<std::fs::File>, Error> {
        use std::io::BufRead;
        let file = std::fs::File::open(&self.path).map_err(|e| Error::io(self.path.display(), vn_io(&e)))?;
        let mut reader = std::io::BufReader::with_capacity(64 * 1024, file);
        let buf = reader.fill_buf().map_err(|e| Error::io(self.path.display(), vn_io(&e)))?;
        if buf.starts_with(b"\xEF\xBB\xBF") {
            reader.consume(3);
        }
        Ok(reader)
    }

    /// Reads the units one by one, in file order, handing each to `f` (which returns false to stop).
    /// Returns how many were read; an error is what stopped the reading (the units before it were
    /// handed over).
    pub fn for_each(&self, f: &mut dyn FnMut(RawUnit) -> bool) -> Result<usize, Error> {
        match self.format {
            Format::Json => self.for_each_json(f),
            Format::Csv => self.for_each_csv(f),
        }
    }

    /// How many units the file holds (a quick pass that keeps nothing; for the progress bar).
    pub fn count(&self) -> Result<usize, Error> {
        let mut n: usize = 0;
        match self.format {
            Format::Csv => {
                let mut rdr = self.csv_reader()?;
                let mut rec = csv::StringRecord::new();
                while rdr.read_record(&mut rec).map_err(|e| csv_error(&self.path, &e))? {
                    if !rec.iter().all(|c| c.trim().is_empty()) {
                        n += 1;
                    }
                }
                Ok(n.saturating_sub(1))
            }
            Format::Json => {
                let v: Vec<IgnoredAny> = serde_json::from_reader(self.json_reader()?).map_err(|e| file_error(&self.path, e))?;
                Ok(v.len())
            }
        }
    }

    fn for_each_csv(&self, f: &mut dyn FnMut(RawUnit) -> bool) -> Result<usize, Error> {
        let header = self.header.as_ref().expect("header read at open");
        let mut rdr = self.csv_reader()?;
        let mut rec = csv::StringRecord::new();
        let mut first = true;
        let mut index = 0;
        loop {
            match rdr.read_record(&mut rec) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => return Err(csv_error(&self.path, &e)),
            }
            if std::mem::take(&mut first) {
                continue; // the header
            }
            // Excel leaves rows of empty cells after the data.
            if rec.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let line = rec.position().map(|p| p.line());
            let cells = cells(&rec);
            let id = cells.get(header.id_col).map(|s| s.trim().to_string()).unwrap_or_default();
            let body = if cells.len() > header.columns.len() {
                Body::Bad(format!(
                    "dòng có {} ô nhưng dòng tiêu đề chỉ có {} cột (thừa dấu phân cách, hoặc ô có dấu phẩy mà thiếu dấu ngoặc kép \"…\")",
                    cells.len(),
                    header.columns.len()
                ))
            } else {
                Body::Row(cells)
            };
            let go_on = f(RawUnit { index, line, id, body });
            index += 1;
            if !go_on {
                break;
            }
        }
        if index == 0 {
            return Err(file_error(&self.path, "không có đơn vị nào (chỉ có dòng tiêu đề)"));
        }
        Ok(index)
    }

    fn for_each_json(&self, f: &mut dyn FnMut(RawUnit) -> bool) -> Result<usize, Error> {
        let mut de = serde_json::Deserializer::from_reader(self.json_reader()?);
        let mut count = 0;
        let mut stopped = false;
        let res = de.deserialize_seq(ArrayVisitor { f, count: &mut count, stopped: &mut stopped });
        let res = res.and_then(|()| if stopped { Ok(()) } else { de.end() });
        if let Err(e) = res {
            let pos = if e.line() > 0 { format!(" (dòng {}, cột {})", e.line(), e.column()) } else { String::new() };
            let msg = e.to_string();
            let msg = msg.rfind(" at line ").map_or(msg.as_str(), |i| &msg[..i]);
            let msg = if msg.starts_with("invalid type") && count == 0 {
                "tệp đơn vị JSON phải là một danh sách […] các đối tượng {…}, mỗi đối tượng một đơn vị".to_string()
            } else {
                crate::plan::load::translate(msg)
            };
            let after = if count > 0 { format!(" (sau đơn vị thứ {count})") } else { String::new() };
            return Err(file_error(&self.path, format!("{msg}{pos}{after}")));
        }
        if count == 0 {
            return Err(file_error(&self.path, "danh sách đơn vị trống"));
        }
        Ok(count)
    }
}

/// The cells of a CSV record, without the CR of a CR LF line end.
fn cells(rec: &csv::StringRecord) -> Vec<String> {
    let mut v: Vec<String> = rec.iter().map(str::to_string).collect();
    if let Some(last) = v.last_mut().filter(|l| l.ends_with('\r')) {
        last.pop();
    }
    v
}

fn csv_error(path: &Path, e: &csv::Error) -> Error {
    let line = e.position().map(|p| format!("dòng {}: ", p.line())).unwrap_or_default();
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => file_error(
            path,
            format!("{line}tệp không phải UTF-8; trong Excel hãy lưu bằng “CSV UTF-8 (Comma delimited)” (*.csv)"),
        ),
        csv::ErrorKind::Io(io) => Error::io(path.display(), vn_io(io)),
        _ => file_error(path, format!("{line}{e}")),
    }
}

/// The separator of a CSV: whichever of `,` `;` and tab occurs most often outside quotes in the
/// header line (`,` when none does).
fn sniff_delimiter(head: &[u8]) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for &b in head {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                for c in counts.iter_mut() {
                    if c.0 == b {
                        c.1 += 1;
                    }
                }
            }
            _ => {}
        }
    }
    let best = counts.iter().max_by_key(|c| c.1).unwrap();
    if best.1 == 0 { b',' } else { best.0 }
}

/// One element of the JSON array: an object (keys in order), or anything else (refused).
enum Element {
    Object(Vec<(String, Value)>),
    Other(&'static str),
}

impl<'de> de::Deserialize<'de> for Element {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Element, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Element;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("một đối tượng {…}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Element, A::Error> {
                let mut entries: Vec<(String, Value)> = Vec::new();
                while let Some((k, v)) = m.next_entry::<String, Value>()? {
                    if entries.iter().any(|(e, _)| *e == k) {
                        return Err(de::Error::custom(format!("trường `{k}` được viết hai lần trong một đơn vị")));
                    }
                    entries.push((k, v));
                }
                Ok(Element::Object(entries))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Element, A::Error> {
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Element::Other("một danh sách"))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Element, E> {
                Ok(Element::Other("một chuỗi"))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Element, E> {
                Ok(Element::Other("một số"))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Element, E> {
                Ok(Element::Other("một số"))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Element, E> {
                Ok(Element::Other("một số"))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Element, E> {
                Ok(Element::Other("true/false"))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Element, E> {
                Ok(Element::Other("null"))
            }
        }
        d.deserialize_any(V)
    }
}

/// Walks the top-level array, handing each element over as soon as it is read.
struct ArrayVisitor<'a> {
    f: &'a mut dyn FnMut(RawUnit) -> bool,
    count: &'a mut usize,
    stopped: &'a mut bool,
}

impl<'de> Visitor<'de> for ArrayVisitor<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a sequence")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<(), A::Error> {
        while let Some(el) = s.next_element::<Element>()? {
            let index = *self.count;
            let (id, body) = match el {
                Element::Object(entries) => (object_id(&entries), Body::Object(entries)),
                Element::Other(what) => (String::new(), Body::Bad(format!("mỗi đơn vị phải là một đối tượng {{…}}, ở đây là {what}"))),
            };
            *self.count += 1;
            if !(self.f)(RawUnit { index, line: None, id, body }) {
                *self.stopped = true;
                // Drain nothing more: the caller stops.
                return Ok(());
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for ArrayVisitor<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn unused(_: &str) -> bool {
        false
    }

    #[test]
    fn plan_fields_come_from_the_schema() {
        assert!(is_plan_field("so") && is_plan_field("nguoi_ky") && is_plan_field("co_quan_ban_hanh"));
        assert!(!is_plan_field("ma") && !is_plan_field("ten"));
        assert!(is_numeric(&FieldPath::parse("so").unwrap()));
        assert!(!is_numeric(&FieldPath::parse("ky_hieu").unwrap()));
        assert!(!is_numeric(&FieldPath::parse("nguoi_ky.ho_ten").unwrap()));
        assert!(!is_numeric(&FieldPath::parse("can_cu[0]").unwrap()));
        assert_eq!(misspelt_field("ky_hieuu"), Some("ky_hieu"));
        assert_eq!(misspelt_field("nguoi_ki"), Some("nguoi_ky"));
        assert_eq!(misspelt_field("ma"), None);
        assert_eq!(misspelt_field("ten"), None);
        assert_eq!(misspelt_field("chi_tieu"), None);
    }

    #[test]
    fn sniffs_the_separator() {
        assert_eq!(sniff_delimiter(b"ma,ten,so\n1;2"), b',');
        assert_eq!(sniff_delimiter(b"ma;ten;\"a,b,c\"\r\n"), b';');
        assert_eq!(sniff_delimiter(b"ma\tten\n"), b'\t');
        assert_eq!(sniff_delimiter(b"ma\n"), b',');
    }

    #[test]
    fn header_columns_are_fields_or_variables() {
        let cells: Vec<String> = ["ma", "ten", "so", "nguoi_ky.ho_ten", "don_vi.chi_tieu", "can_cu[4]"].map(String::from).to_vec();
        let h = Header::parse(&cells, &unused).unwrap();
        assert_eq!(h.id_col, 0);
        assert!(matches!(&h.columns[2].kind, ColumnKind::Field { numeric: true, .. }));
        assert!(matches!(&h.columns[3].kind, ColumnKind::Field { numeric: false, .. }));
        assert!(matches!(&h.columns[4].kind, ColumnKind::Var(v) if v == "chi_tieu"));
        let bad = |cells: &[&str]| {
            let cells: Vec<String> = cells.iter().map(|s| s.to_string()).collect();
            Header::parse(&cells, &unused).unwrap_err().to_string()
        };
        assert!(bad(&["ma", "ky_hieuu"]).contains("có phải `ky_hieu`"));
        assert!(bad(&["ma", "nguoiky.ho_ten"]).contains("không có trường `nguoiky`"));
        let e = bad(&["ma", "nguoi_ky.ho_tenn"]);
        assert!(e.contains("không có trường `ho_tenn` trong `nguoi_ky`; có phải `ho_ten`?"), "{e}");
        assert!(bad(&["ma", "so[0]"]).contains("`so` không phải danh sách"));
        assert!(bad(&["ma", "ky_hieu.x"]).contains("`ky_hieu` không phải đối tượng"));
        assert!(Header::parse(&["noi_dung[1].muc_con[0].van_ban", "noi_nhan.muc[0].ghi_chu", "co_quan_ban_hanh[1]"].map(String::from), &unused).is_ok());
        assert!(bad(&["ma", ""]).contains("cột 2"));
        assert!(bad(&["ma", "ma"]).contains("lặp lại"));
        assert!(bad(&["ma", "can_cu[x]"]).contains("số thứ tự"));
        // A variable an expression uses is not a misspelling, however close to a field.
        let cells: Vec<String> = ["ma", "ky_hieuu"].map(String::from).to_vec();
        assert!(Header::parse(&cells, &|n: &str| n == "ky_hieuu").is_ok());
    }

    #[test]
    fn json_units_are_merge_patches() {
        let base = json!({"so": 1, "ky_hieu": "KH-UBND", "nguoi_ky": {"ho_ten": "A", "chuc_vu": "CT"}});
        let unit = RawUnit {
            index: 0,
            line: None,
            id: "x".into(),
            body: Body::Object(vec![
                ("ma".into(), json!("x")),
                ("ten".into(), json!("Xã X")),
                ("so".into(), Value::Null),
                ("nguoi_ky".into(), json!({"ho_ten": "B"})),
            ]),
        };
        let a = apply(&base, &unit, None, &unused).unwrap();
        assert_eq!(a.plan, json!({"ky_hieu": "KH-UBND", "nguoi_ky": {"ho_ten": "B", "chuc_vu": "CT"}}));
        assert_eq!(a.don_vi["ten"], "Xã X");
        assert_eq!(object_id(&[("ten".into(), json!(" Xã Y "))]), "Xã Y");
        assert_eq!(object_id(&[("stt".into(), json!(7))]), "7");
    }
}
