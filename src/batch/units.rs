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
        label(&self.id, self.index, self.line)
    }
}

/// How messages name a unit: "đơn vị `xã Tân Hòa` (dòng 57)", "đơn vị thứ 3". The id is shown
/// printable (see [`printable`]).
pub fn label(id: &str, index: usize, line: Option<u64>) -> String {
    let place = match line {
        Some(l) => format!("dòng {l}"),
        None => format!("thứ {}", index + 1),
    };
    if id.is_empty() { format!("đơn vị {place}") } else { format!("đơn vị `{}` ({place})", printable(id)) }
}

/// Text from the units file as it may be echoed to a terminal: control characters (an ESC would
/// let a cell recolour or rewrite the screen), invisible and bidirectional marks are written as
/// `\u{1b}`, and a very long text is cut at 100 characters with "…".
pub fn printable(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == 100 {
            out.push('…');
            break;
        }
        if c.is_control() || crate::plan::model::is_invisible(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
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
    let name = printable(name);
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
            let at = |message: String| Error::Field { path: name.clone(), message: format!("dòng tiêu đề: {message}"), line: Some(1), column: Some(i + 1) };
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
    /// The unit's variables left blank: an empty CSV cell, a row too short to reach the column, a
    /// JSON `null`. They are not in `don_vi`, so a text that uses one fails (unless it gives a
    /// `default(value=…)`), and the message says which cell it was.
    pub blanks: Vec<Blank>,
}

/// A variable the unit leaves blank, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blank {
    /// Its name in `don_vi` (the column's name, or the key).
    pub name: String,
    /// Where it is blank: "ô trống ở dòng 12, cột 3", "dòng 12 chỉ có 2 ô, không tới cột 5", "giá trị null".
    pub why: String,
}

/// Builds the unit's plan JSON from the parent's (`base`). Errors name the field (or column).
pub fn apply(base: &Value, unit: &RawUnit, header: Option<&Header>, used: &dyn Fn(&str) -> bool) -> Result<Applied, Error> {
    let mut plan = base.clone();
    let mut don_vi = Map::new();
    let mut blanks = Vec::new();
    match &unit.body {
        Body::Bad(m) => return Err(Error::input(m.clone())),
        Body::Object(entries) => {
            let mut patch = Map::new();
            for (k, v) in entries {
                if is_plan_field(k) {
                    patch.insert(k.clone(), v.clone());
                } else if let Some(f) = misspelt_field(k).filter(|_| !used(k)) {
                    return Err(Error::field(printable(k), misspelt_message(k, f)));
                }
                if v.is_null() {
                    blanks.push(Blank { name: k.clone(), why: "giá trị null".into() });
                } else {
                    don_vi.insert(k.clone(), v.clone());
                }
            }
            json_patch::merge(&mut plan, &Value::Object(patch));
        }
        Body::Row(cells) => {
            let header = header.expect("a CSV unit comes with its header");
            let at = |i: usize| match unit.line {
                Some(l) => format!("dòng {l}, cột {}", i + 1),
                None => format!("cột {}", i + 1),
            };
            for (i, col) in header.columns.iter().enumerate() {
                let name = match &col.kind {
                    ColumnKind::Field { .. } => col.name.clone(),
                    ColumnKind::Var(name) => name.clone(),
                };
                let Some(cell) = cells.get(i) else {
                    let line = unit.line.map(|l| format!("dòng {l} ")).unwrap_or_default();
                    blanks.push(Blank {
                        name,
                        why: format!("{line}chỉ có {} ô, không tới cột {} (`{}`)", cells.len(), i + 1, col.name),
                    });
                    continue;
                };
                if cell.trim().is_empty() {
                    // A field keeps the parent plan's value; a variable is left out.
                    blanks.push(Blank { name, why: format!("ô trống ở {} (`{}`)", at(i), col.name) });
                    continue;
                }
                match &col.kind {
                    ColumnKind::Field { path, numeric } => {
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
    Ok(Applied { plan, don_vi: Value::Object(don_vi), blanks })
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

/// The id of a JSON unit: `ma`, else (or when `ma` is empty) the first key's value (a string or a
/// number).
fn object_id(entries: &[(String, Value)]) -> String {
    let id = |v: Option<&Value>| match v {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let ma = id(entries.iter().find(|(k, _)| k == "ma").map(|(_, v)| v));
    if ma.is_empty() { id(entries.first().map(|(_, v)| v)) } else { ma }
}

/// The format of a units file: by its extension, else by its first character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

/// The largest units file read: 50,000 units of a few hundred bytes each (the sample's 200 units
/// are 39 KB; all 3,321 xã and phường of the country would be about 650 KB).
pub const MAX_UNITS_BYTES: usize = 32 * 1024 * 1024;

/// The largest unit: a CSV row, or one object of a JSON units file (a unit of the sample is about
/// 200 bytes; a JSON unit that replaces a whole section of the plan is a few kilobytes).
pub const MAX_UNIT_BYTES: usize = 256 * 1024;

/// The most units in one batch (a province has a few hundred xã, phường and party cells).
pub const MAX_UNITS: usize = 50_000;

/// Where the units file's bytes come from: a regular file, read again for each pass, or a named
/// pipe, read once into memory (within [`MAX_UNITS_BYTES`]).
enum Source {
    File,
    Bytes(std::sync::Arc<Vec<u8>>),
}

/// An opened units file.
pub struct Units {
    path: PathBuf,
    source: Source,
    pub format: Format,
    /// The CSV header, read when the file is opened.
    pub header: Option<Header>,
    delimiter: u8,
    /// A limit stopped the reading (the file is then refused as a whole).
    limit_hit: std::cell::Cell<bool>,
}

/// A unit's id and place, as the first pass over the file finds them ([`Units::ids`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitId {
    pub index: usize,
    pub line: Option<u64>,
    pub id: String,
}

fn file_error(path: &Path, m: impl fmt::Display) -> Error {
    Error::input(format!("tệp đơn vị `{}`: {m}", path.display()))
}

/// How much of the units file has been read, and where the unit being read began.
#[derive(Default)]
struct Count {
    read: std::cell::Cell<usize>,
    unit_start: std::cell::Cell<usize>,
    /// What stopped the reading, when a limit did.
    over: std::cell::Cell<Option<&'static str>>,
    /// The reader marks where each unit starts (a JSON file, read a byte at a time); a CSV's units
    /// are measured once read, as the csv reader reads ahead.
    per_unit: std::cell::Cell<bool>,
}

const FILE_TOO_BIG: &str = "file";
const UNIT_TOO_BIG: &str = "unit";

/// A reader of the units file, and what it has counted.
type Counted<R> = (R, std::rc::Rc<Count>);

/// The units file's bytes through the limits.
type Raw = Capped<Box<dyn Read>>;

/// What [`Units::csv_rows`] hands over: a row's place, line and cells; false stops the reading.
type RowFn<'a> = dyn FnMut(usize, Option<u64>, &[String]) -> bool + 'a;

/// Reads at most [`MAX_UNITS_BYTES`] of the file, and at most [`MAX_UNIT_BYTES`] from the start of
/// the unit being read (when the reader marks it), so that neither a huge file, nor a device, nor
/// one enormous unit can take the memory.
struct Capped<R> {
    inner: R,
    count: std::rc::Rc<Count>,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let c = &self.count;
        let read = c.read.get();
        let over = if read > MAX_UNITS_BYTES {
            Some(FILE_TOO_BIG)
        } else if c.per_unit.get() && read - c.unit_start.get().min(read) > MAX_UNIT_BYTES {
            Some(UNIT_TOO_BIG)
        } else {
            None
        };
        if let Some(o) = over {
            c.over.set(Some(o));
            return Err(std::io::Error::other("giới hạn"));
        }
        // Never past the file's limit by more than one byte (which tells that there was more).
        let room = (MAX_UNITS_BYTES + 1 - read).min(buf.len()).max(1);
        let n = self.inner.read(&mut buf[..room])?;
        c.read.set(read + n);
        Ok(n)
    }
}

impl Units {
    /// Opens the units file and, for a CSV, reads its header (`used`: see [`Header::parse`]). A
    /// folder, a device or a socket is refused; a named pipe is read once, into memory.
    pub fn open(path: &Path, used: &dyn Fn(&str) -> bool) -> Result<Units, Error> {
        let file = crate::input::open(path)?;
        let regular = file.metadata().map(|m| m.is_file()).unwrap_or(false);
        let source = if regular {
            Source::File
        } else {
            let bytes = crate::input::read_to_limit(file, MAX_UNITS_BYTES, &path.display().to_string(), "tệp đơn vị")?;
            Source::Bytes(std::sync::Arc::new(bytes))
        };
        let mut units = Units {
            path: path.to_path_buf(),
            source,
            format: Format::Csv,
            header: None,
            delimiter: b',',
            limit_hit: std::cell::Cell::new(false),
        };
        let mut head = Vec::new();
        units.raw()?.0.take(64 * 1024).read_to_end(&mut head).map_err(|e| Error::io(path.display(), vn_io(&e)))?;
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
        if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
            return Err(file_error(path, "tệp mã UTF-16 (Excel: “Unicode Text”); hãy lưu lại bằng “CSV UTF-8 (Comma delimited)”"));
        }
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        units.format = match ext.as_deref() {
            Some("json") => Format::Json,
            Some("csv") | Some("txt") | Some("tsv") => Format::Csv,
            _ if head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') => Format::Json,
            _ => Format::Csv,
        };
        units.delimiter = sniff_delimiter(head);
        if units.format == Format::Csv {
            let (mut rdr, count) = units.csv_reader()?;
            let mut rec = csv::StringRecord::new();
            let has = rdr.read_record(&mut rec).map_err(|e| units.csv_error(&e, &count))?;
            if !has {
                return Err(file_error(path, "tệp trống; dòng đầu tiên phải là tên các cột (`ma`, `ten`, `so`, `nguoi_ky.ho_ten`…)"));
            }
            let cells = cells(&rec);
            units.header = Some(Header::parse(&cells, used).map_err(|e| file_error(path, e))?);
        }
        Ok(units)
    }

    /// The file's bytes from the start, through the limits.
    fn raw(&self) -> Result<Counted<Raw>, Error> {
        let inner: Box<dyn Read> = match &self.source {
            Source::File => Box::new(std::io::BufReader::with_capacity(64 * 1024, crate::input::open(&self.path)?)),
            Source::Bytes(b) => Box::new(std::io::Cursor::new(b.clone().to_vec())),
        };
        let count = std::rc::Rc::new(Count::default());
        Ok((Capped { inner, count: count.clone() }, count))
    }

    fn csv_reader(&self) -> Result<Counted<csv::Reader<Raw>>, Error> {
        let (raw, count) = self.raw()?;
        let rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(self.delimiter)
            // Records end at LF only, so that line numbers count CR LF files right (the csv crate's
            // CR-or-LF terminator counts one line too few after each CR LF); the CR left at the end
            // of the last cell is removed in `cells`.
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(raw);
        Ok((rdr, count))
    }

    /// The JSON units file, past a byte-order mark.
    fn json_reader(&self) -> Result<Counted<Raw>, Error> {
        let (mut raw, count) = self.raw()?;
        let mut bom = [0u8; 3];
        let mut n = 0;
        while n < 3 {
            match raw.inner.read(&mut bom[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) => return Err(Error::io(self.path.display(), vn_io(&e))),
            }
        }
        let rest = if bom[..n] == *b"\xEF\xBB\xBF" { Vec::new() } else { bom[..n].to_vec() };
        count.read.set(n - rest.len());
        count.per_unit.set(true);
        let inner: Box<dyn Read> = Box::new(std::io::Cursor::new(rest).chain(raw.inner));
        Ok((Capped { inner, count: count.clone() }, count))
    }

    /// The message for what stopped the reading: a limit, or what the reader said.
    fn limit_error(&self, count: &Count, index: usize, line: Option<u64>) -> Option<Error> {
        let over = count.over.get()?;
        self.limit_hit.set(true);
        match over {
            FILE_TOO_BIG => Some(file_error(
                &self.path,
                format!("tệp quá lớn (hơn {}; tối đa {})", crate::input::size(MAX_UNITS_BYTES), crate::input::size(MAX_UNITS_BYTES)),
            )),
            _ => Some(file_error(
                &self.path,
                format!(
                    "{} quá lớn (hơn {}; một đơn vị tối đa {})",
                    label("", index, line),
                    crate::input::size(MAX_UNIT_BYTES),
                    crate::input::size(MAX_UNIT_BYTES)
                ),
            )),
        }
    }

    fn csv_error(&self, e: &csv::Error, count: &Count) -> Error {
        let line = e.position().map(|p| p.line());
        self.limit_error(count, 0, line).unwrap_or_else(|| csv_error(&self.path, e))
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

    /// A first pass over the file, keeping nothing but each unit's id and place. The file is refused
    /// as a whole (the error), before any unit is made, if it is too large or holds too many units
    /// or one unit too large. A file that breaks off part-way (a syntax error) gives the units
    /// before the break and what broke it, which the main pass reports after making them.
    pub fn ids(&self) -> Result<(Vec<UnitId>, Option<Error>), Error> {
        self.limit_hit.set(false);
        let mut ids = Vec::new();
        let res = match self.format {
            Format::Csv => self.csv_rows(&mut |index, line, cells| {
                ids.push(UnitId { index, line, id: self.csv_id(cells) });
                true
            }),
            Format::Json => self.json_ids(&mut ids),
        };
        match res {
            Ok(_) => Ok((ids, None)),
            Err(e) if self.limit_hit.get() || ids.is_empty() => Err(e),
            Err(e) => Ok((ids, Some(e))),
        }
    }

    /// The id of a row: its `ma` cell, or when that is empty (or there is no `ma` column) its
    /// first cell.
    fn csv_id(&self, cells: &[String]) -> String {
        let header = self.header.as_ref().expect("header read at open");
        let cell = |i: usize| cells.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
        let id = cell(header.id_col);
        if id.is_empty() { cell(0) } else { id }
    }

    /// The data rows of the CSV (the header and rows of empty cells skipped), with their line.
    fn csv_rows(&self, f: &mut RowFn) -> Result<usize, Error> {
        let (mut rdr, count) = self.csv_reader()?;
        let mut rec = csv::StringRecord::new();
        let mut first = true;
        let mut index = 0;
        loop {
            match rdr.read_record(&mut rec) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => return Err(self.csv_error(&e, &count)),
            }
            if std::mem::take(&mut first) {
                continue; // the header
            }
            // Excel leaves rows of empty cells after the data.
            if rec.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let line = rec.position().map(|p| p.line());
            if rec.as_slice().len() > MAX_UNIT_BYTES {
                self.limit_hit.set(true);
                return Err(file_error(
                    &self.path,
                    format!("{} quá lớn (hơn {}; một đơn vị tối đa {})", label("", index, line), crate::input::size(MAX_UNIT_BYTES), crate::input::size(MAX_UNIT_BYTES)),
                ));
            }
            if index >= MAX_UNITS {
                self.limit_hit.set(true);
                return Err(too_many(&self.path));
            }
            let go_on = f(index, line, &cells(&rec));
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

    fn for_each_csv(&self, f: &mut dyn FnMut(RawUnit) -> bool) -> Result<usize, Error> {
        let header = self.header.as_ref().expect("header read at open");
        self.csv_rows(&mut |index, line, cells| {
            let id = self.csv_id(cells);
            let body = if cells.len() > header.columns.len() {
                Body::Bad(format!(
                    "dòng có {} ô nhưng dòng tiêu đề chỉ có {} cột (thừa dấu phân cách, hoặc ô có dấu phẩy mà thiếu dấu ngoặc kép \"…\")",
                    cells.len(),
                    header.columns.len()
                ))
            } else {
                Body::Row(cells.to_vec())
            };
            f(RawUnit { index, line, id, body })
        })
    }

    fn json_error(&self, e: serde_json::Error, count: &Count, units: usize) -> Error {
        if let Some(l) = self.limit_error(count, units, None) {
            return l;
        }
        let pos = if e.line() > 0 { format!(" (dòng {}, cột {})", e.line(), e.column()) } else { String::new() };
        let msg = e.to_string();
        let msg = msg.rfind(" at line ").map_or(msg.as_str(), |i| &msg[..i]);
        let msg = if msg.starts_with("invalid type") && units == 0 {
            "tệp đơn vị JSON phải là một danh sách […] các đối tượng {…}, mỗi đối tượng một đơn vị".to_string()
        } else {
            crate::plan::load::translate(msg)
        };
        let after = if units > 0 { format!(" (sau đơn vị thứ {units})") } else { String::new() };
        file_error(&self.path, format!("{msg}{pos}{after}"))
    }

    fn json_ids(&self, ids: &mut Vec<UnitId>) -> Result<usize, Error> {
        let (reader, count) = self.json_reader()?;
        let mut de = serde_json::Deserializer::from_reader(reader);
        let res = de.deserialize_seq(IdsVisitor { ids: &mut *ids, count: &count }).and_then(|()| de.end());
        if let Err(e) = res {
            if ids.len() > MAX_UNITS {
                self.limit_hit.set(true);
                return Err(too_many(&self.path));
            }
            return Err(self.json_error(e, &count, ids.len()));
        }
        if ids.is_empty() {
            return Err(file_error(&self.path, "danh sách đơn vị trống"));
        }
        Ok(ids.len())
    }

    fn for_each_json(&self, f: &mut dyn FnMut(RawUnit) -> bool) -> Result<usize, Error> {
        let (reader, counter) = self.json_reader()?;
        let mut de = serde_json::Deserializer::from_reader(reader);
        let mut count = 0;
        let mut stopped = false;
        let res = de.deserialize_seq(ArrayVisitor { f, count: &mut count, stopped: &mut stopped, counter: &counter });
        // Stopped early (the unit wanted was found), the array is left unread: serde_json then
        // reports the rest as trailing characters, which is no fault of the file.
        let res = if stopped { Ok(()) } else { res.and_then(|()| de.end()) };
        if let Err(e) = res {
            return Err(self.json_error(e, &counter, count));
        }
        if count == 0 {
            return Err(file_error(&self.path, "danh sách đơn vị trống"));
        }
        Ok(count)
    }
}

fn too_many(path: &Path) -> Error {
    file_error(path, format!("có hơn {} đơn vị (tối đa {}); hãy chia thành nhiều tệp", crate::plan::model::so(MAX_UNITS), crate::plan::model::so(MAX_UNITS)))
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
    counter: &'a Count,
}

impl<'de> Visitor<'de> for ArrayVisitor<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a sequence")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<(), A::Error> {
        loop {
            self.counter.unit_start.set(self.counter.read.get());
            let Some(el) = s.next_element::<Element>()? else { break };
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

/// The first pass over a JSON units file: each element's id only (`ma`, else the first key's
/// value when it is a string or a number), everything else skipped.
struct IdsVisitor<'a> {
    ids: &'a mut Vec<UnitId>,
    count: &'a Count,
}

impl<'de> Visitor<'de> for IdsVisitor<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a sequence")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<(), A::Error> {
        loop {
            self.count.unit_start.set(self.count.read.get());
            let Some(IdOnly(id)) = s.next_element::<IdOnly>()? else { break };
            if self.ids.len() >= MAX_UNITS {
                self.ids.push(UnitId { index: self.ids.len(), line: None, id });
                return Err(de::Error::custom("quá nhiều đơn vị"));
            }
            self.ids.push(UnitId { index: self.ids.len(), line: None, id });
        }
        Ok(())
    }
}

/// An element of the JSON units array, of which only the id is kept.
struct IdOnly(String);

/// A string or a number (an id); anything else counts as no id.
struct IdValue(Option<String>);

impl<'de> de::Deserialize<'de> for IdValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<IdValue, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Option<String>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("một giá trị")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Some(v.trim().to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Some(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Some(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(serde_json::Number::from_f64(v).map(|n| n.to_string()))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Self::Value, A::Error> {
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(None)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(None)
            }
        }
        d.deserialize_any(V).map(IdValue)
    }
}

impl<'de> de::Deserialize<'de> for IdOnly {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<IdOnly, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = IdOnly;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("một đối tượng {…}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<IdOnly, A::Error> {
                let (mut first, mut ma) = (None, None);
                let mut at_first = true;
                while let Some(k) = m.next_key::<String>()? {
                    let IdValue(v) = m.next_value::<IdValue>()?;
                    if k == "ma" {
                        ma = Some(v);
                    } else if at_first {
                        first = Some(v);
                    }
                    at_first = false;
                }
                let ma = ma.flatten().filter(|m| !m.is_empty());
                Ok(IdOnly(ma.or(first.flatten()).unwrap_or_default()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<IdOnly, A::Error> {
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(IdOnly(String::new()))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<IdOnly, E> {
                Ok(IdOnly(String::new()))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<IdOnly, E> {
                Ok(IdOnly(String::new()))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<IdOnly, E> {
                Ok(IdOnly(String::new()))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<IdOnly, E> {
                Ok(IdOnly(String::new()))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<IdOnly, E> {
                Ok(IdOnly(String::new()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<IdOnly, E> {
                Ok(IdOnly(String::new()))
            }
        }
        d.deserialize_any(V)
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
