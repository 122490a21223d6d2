//! Reading a DOCX: the package (zip), its main part, styles and list numbering (roxmltree), into
//! [`Block`]s for the recogniser.
//!
//! Everything is capped while it is read, never after: the file's size, the number of entries, the
//! bytes inflated from each part and from all parts together (a ZIP bomb stops at the cap, not
//! when memory runs out), the XML nodes, and the nesting of tables. XML with a DTD is refused
//! (roxmltree does so unless told otherwise; we say so explicitly), so no entity is ever expanded
//! and nothing outside the file is ever read. A Word 97–2003 file, an encrypted DOCX (both OLE
//! compound files), a PDF or an RTF are recognised by their first bytes and named in the message.
//!
//! Word's automatic numbering is computed here the way Word prints it (`numbering.xml`:
//! `w:num` → `w:abstractNum` → `w:lvl` with `w:start`, `w:numFmt`, `w:lvlText`; counters per list,
//! deeper levels restarting), so the recogniser sees "I.", "1.", "a)" as if they were typed.

use super::para::{Align, AutoLabel, Block, CellRef, NumFmt, Para, Table};
use crate::error::Error;
use std::collections::HashMap;
use std::io::Read;

/// The largest DOCX accepted. A real plan is 20–200 KB; a plan with pictures a few MB.
pub const MAX_DOCX_BYTES: usize = 32 * 1024 * 1024;
/// The most XML one part may inflate to (`word/document.xml` of a 5-page plan is about 100 KB).
pub const MAX_PART_BYTES: u64 = 16 * 1024 * 1024;
/// The most all the parts read may inflate to together.
pub const MAX_TOTAL_BYTES: u64 = 40 * 1024 * 1024;
/// The most entries a package may list.
pub const MAX_ENTRIES: usize = 5000;
/// The most XML nodes of one part.
const MAX_NODES: u32 = 4_000_000;
/// The deepest nesting of tables and content controls followed.
const MAX_DEPTH: usize = 40;
/// The most paragraphs read.
pub const MAX_PARAGRAPHS: usize = 100_000;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn bad(message: impl Into<String>) -> Error {
    Error::input(message)
}

/// Recognises files that are not a DOCX by their first bytes, with what to do about them.
pub(crate) fn sniff(bytes: &[u8]) -> Result<(), Error> {
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(OLE) {
        // An encrypted OOXML package is an OLE compound file with an "EncryptionInfo" stream
        // (MS-OFFCRYPTO §2.3.4); a Word 97–2003 document has a "WordDocument" stream.
        let name: Vec<u8> = "EncryptionInfo".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        if bytes.windows(name.len()).any(|w| w == name.as_slice()) {
            return Err(bad(
                "tệp Word này được đặt mật khẩu (mã hoá) nên không đọc được; hãy mở trong Word, bỏ mật khẩu (Tệp → Thông tin → Bảo vệ tài liệu → Mã hoá bằng mật khẩu, xoá mật khẩu), lưu lại rồi nhập lại",
            ));
        }
        return Err(bad(
            "tệp này là định dạng Word 97–2003 (.doc), chưa đọc được; hãy mở trong Word và lưu lại thành “Tài liệu Word (*.docx)” rồi nhập lại",
        ));
    }
    if bytes.starts_with(b"%PDF-") {
        return Err(bad(
            "tệp này là PDF, không phải tệp Word; hãy nhập tệp .docx gốc, hoặc chép chữ từ PDF vào một tệp .txt rồi nhập tệp đó",
        ));
    }
    if bytes.starts_with(b"{\\rtf") {
        return Err(bad("tệp này là RTF, không phải DOCX; hãy mở trong Word và lưu lại thành .docx"));
    }
    if !bytes.starts_with(b"PK\x03\x04") && !bytes.starts_with(b"PK\x05\x06") {
        return Err(bad("tệp này không phải tệp Word .docx (không phải gói ZIP của Office Open XML)"));
    }
    Ok(())
}

/// The parts of a package, read within the caps.
struct Package {
    zip: zip::ZipArchive<std::io::Cursor<Vec<u8>>>,
    inflated: u64,
}

impl Package {
    fn open(bytes: &[u8]) -> Result<Package, Error> {
        if bytes.len() > MAX_DOCX_BYTES {
            return Err(bad(format!(
                "tệp DOCX quá lớn ({} MB; tối đa {} MB)",
                bytes.len() / (1024 * 1024),
                MAX_DOCX_BYTES / (1024 * 1024)
            )));
        }
        sniff(bytes)?;
        let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec()))
            .map_err(|e| bad(format!("tệp DOCX bị hỏng, không mở được gói ZIP ({e})")))?;
        if zip.len() > MAX_ENTRIES {
            return Err(bad(format!("tệp DOCX có quá nhiều phần ({}; tối đa {MAX_ENTRIES})", zip.len())));
        }
        Ok(Package { zip, inflated: 0 })
    }

    /// A part as text, or None if the package has no such part.
    fn part(&mut self, name: &str) -> Result<Option<String>, Error> {
        let mut f = match self.zip.by_name(name) {
            Ok(f) => f,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(zip::result::ZipError::UnsupportedArchive(m)) if m.contains("assword") => {
                return Err(bad("tệp DOCX này được đặt mật khẩu nên không đọc được; hãy bỏ mật khẩu trong Word rồi nhập lại"));
            }
            Err(e) => return Err(bad(format!("tệp DOCX bị hỏng: không đọc được phần `{name}` ({e})"))),
        };
        if f.encrypted() {
            return Err(bad("tệp DOCX này được đặt mật khẩu nên không đọc được; hãy bỏ mật khẩu trong Word rồi nhập lại"));
        }
        let left = MAX_TOTAL_BYTES.saturating_sub(self.inflated);
        let cap = MAX_PART_BYTES.min(left);
        // The declared size may lie; the reader below stops at the cap whatever it says.
        let too_big = || {
            bad(format!(
                "phần `{name}` của tệp DOCX giải nén ra quá lớn (hơn {} MB); tệp này không phải một kế hoạch bình thường (có thể là tệp “bom ZIP”), nên không đọc",
                cap / (1024 * 1024)
            ))
        };
        if f.size() > cap {
            return Err(too_big());
        }
        let mut buf = Vec::with_capacity(f.size().min(cap) as usize);
        (&mut f)
            .take(cap + 1)
            .read_to_end(&mut buf)
            .map_err(|e| bad(format!("tệp DOCX bị hỏng: không giải nén được phần `{name}` ({e})")))?;
        if buf.len() as u64 > cap {
            return Err(too_big());
        }
        self.inflated += buf.len() as u64;
        decode_xml(buf, name).map(Some)
    }
}

/// XML bytes as text: UTF-8 (with or without BOM) or UTF-16 with a BOM.
fn decode_xml(buf: Vec<u8>, name: &str) -> Result<String, Error> {
    if buf.starts_with(&[0xFF, 0xFE]) || buf.starts_with(&[0xFE, 0xFF]) {
        let le = buf[0] == 0xFF;
        let units = buf[2..]
            .chunks_exact(2)
            .map(|c| if le { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) });
        return char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|_| bad(format!("phần `{name}` của tệp DOCX có mã UTF-16 hỏng")));
    }
    let mut s = String::from_utf8(buf).map_err(|_| bad(format!("phần `{name}` của tệp DOCX không phải văn bản UTF-8")))?;
    if s.starts_with('\u{feff}') {
        s.drain(..3);
    }
    Ok(s)
}

fn parse_xml<'a>(text: &'a str, name: &str) -> Result<roxmltree::Document<'a>, Error> {
    let opts = roxmltree::ParsingOptions { allow_dtd: false, nodes_limit: MAX_NODES };
    roxmltree::Document::parse_with_options(text, opts).map_err(|e| match e {
        roxmltree::Error::DtdDetected => bad(format!(
            "phần `{name}` của tệp DOCX có khai báo DTD/thực thể XML (<!DOCTYPE …>), điều Word không bao giờ ghi; tệp có thể đã bị sửa để tấn công nên không đọc"
        )),
        roxmltree::Error::NodesLimitReached => {
            bad(format!("phần `{name}` của tệp DOCX có quá nhiều phần tử XML (hơn {MAX_NODES})"))
        }
        e => bad(format!("phần `{name}` của tệp DOCX không phải XML hợp lệ ({e})")),
    })
}

fn wattr<'a>(n: roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attribute((W, name))
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children().find(|c| c.has_tag_name((W, name)))
}

/// A toggle property (`<w:b/>`, `<w:b w:val="0"/>`), if present.
fn toggle(rpr: roxmltree::Node, name: &str) -> Option<bool> {
    child(rpr, name).map(|c| !matches!(wattr(c, "val"), Some("0" | "false" | "off" | "none")))
}

#[derive(Clone, Copy, Debug, Default)]
struct RunProps {
    bold: Option<bool>,
    italic: Option<bool>,
    caps: Option<bool>,
    underline: Option<bool>,
    vanish: Option<bool>,
}

impl RunProps {
    fn read(rpr: roxmltree::Node) -> RunProps {
        RunProps {
            bold: toggle(rpr, "b"),
            italic: toggle(rpr, "i"),
            caps: toggle(rpr, "caps"),
            underline: child(rpr, "u").map(|u| !matches!(wattr(u, "val"), Some("none" | "0"))),
            vanish: toggle(rpr, "vanish"),
        }
    }
    /// `self` where set, else `other`.
    fn or(self, o: RunProps) -> RunProps {
        RunProps {
            bold: self.bold.or(o.bold),
            italic: self.italic.or(o.italic),
            caps: self.caps.or(o.caps),
            underline: self.underline.or(o.underline),
            vanish: self.vanish.or(o.vanish),
        }
    }
}

#[derive(Clone, Debug, Default)]
struct Style {
    name: String,
    based_on: Option<String>,
    rpr: RunProps,
    jc: Option<Align>,
    num: Option<(u32, u8)>,
    borders: Option<bool>,
}

#[derive(Default)]
struct Styles {
    map: HashMap<String, Style>,
    default_para: Option<String>,
    default_table: Option<String>,
    doc_rpr: RunProps,
}

fn jc(v: &str) -> Align {
    match v {
        "center" => Align::Center,
        "right" | "end" => Align::Right,
        "both" | "distribute" => Align::Both,
        _ => Align::Left,
    }
}

fn num_pr(n: roxmltree::Node) -> Option<(u32, Option<u8>)> {
    let id = child(n, "numId").and_then(|c| wattr(c, "val")).and_then(|v| v.parse().ok())?;
    let lvl = child(n, "ilvl").and_then(|c| wattr(c, "val")).and_then(|v| v.parse().ok());
    Some((id, lvl))
}

fn borders_visible(b: roxmltree::Node) -> bool {
    b.children().filter(|c| c.is_element()).any(|c| !matches!(wattr(c, "val"), Some("nil" | "none") | None))
}

impl Styles {
    fn read(xml: Option<&str>) -> Result<Styles, Error> {
        let mut s = Styles::default();
        let Some(xml) = xml else { return Ok(s) };
        let doc = parse_xml(xml, "word/styles.xml")?;
        let root = doc.root_element();
        if let Some(rpr) = child(root, "docDefaults").and_then(|d| child(d, "rPrDefault")).and_then(|d| child(d, "rPr")) {
            s.doc_rpr = RunProps::read(rpr);
        }
        for st in root.children().filter(|c| c.has_tag_name((W, "style"))) {
            let Some(id) = wattr(st, "styleId") else { continue };
            let ty = wattr(st, "type").unwrap_or("paragraph");
            let default = matches!(wattr(st, "default"), Some("1" | "true"));
            let mut style = Style {
                name: child(st, "name").and_then(|n| wattr(n, "val")).unwrap_or(id).to_string(),
                based_on: child(st, "basedOn").and_then(|n| wattr(n, "val")).map(str::to_string),
                ..Style::default()
            };
            if let Some(rpr) = child(st, "rPr") {
                style.rpr = RunProps::read(rpr);
            }
            if let Some(ppr) = child(st, "pPr") {
                style.jc = child(ppr, "jc").and_then(|j| wattr(j, "val")).map(jc);
                style.num = child(ppr, "numPr").and_then(num_pr).map(|(id, l)| (id, l.unwrap_or(0)));
            }
            if let Some(b) = child(st, "tblPr").and_then(|t| child(t, "tblBorders")) {
                style.borders = Some(borders_visible(b));
            }
            if default && ty == "paragraph" {
                s.default_para = Some(id.to_string());
            }
            if default && ty == "table" {
                s.default_table = Some(id.to_string());
            }
            s.map.insert(format!("{ty}:{id}"), style);
        }
        Ok(s)
    }

    /// The chain of a style and the styles it is based on (cycles and depth bounded).
    fn chain(&self, ty: &str, id: &str) -> Vec<&Style> {
        let mut out = Vec::new();
        let mut cur = Some(id.to_string());
        while let Some(c) = cur {
            if out.len() >= 16 {
                break;
            }
            let Some(st) = self.map.get(&format!("{ty}:{c}")) else { break };
            out.push(st);
            cur = st.based_on.clone();
        }
        out
    }

    fn para_rpr(&self, id: &str) -> RunProps {
        self.chain("paragraph", id).iter().fold(RunProps::default(), |acc, s| acc.or(s.rpr))
    }
    fn char_rpr(&self, id: &str) -> RunProps {
        self.chain("character", id).iter().fold(RunProps::default(), |acc, s| acc.or(s.rpr))
    }
    fn para_jc(&self, id: &str) -> Option<Align> {
        self.chain("paragraph", id).iter().find_map(|s| s.jc)
    }
    fn para_num(&self, id: &str) -> Option<(u32, u8)> {
        self.chain("paragraph", id).iter().find_map(|s| s.num)
    }
    fn table_borders(&self, id: &str) -> Option<bool> {
        self.chain("table", id).iter().find_map(|s| s.borders)
    }
    /// The kehoach style id: kehoach names its styles "KH <id>".
    fn kh_style(&self, id: &str) -> Option<String> {
        let st = self.map.get(&format!("paragraph:{id}"))?;
        st.name.strip_prefix("KH ").map(str::to_string)
    }
}

#[derive(Clone, Debug)]
struct Level {
    start: u32,
    fmt: Option<NumFmt>,
    text: String,
    legal: bool,
}

#[derive(Default)]
struct Numbering {
    /// abstractNumId → levels
    abstract_levels: HashMap<u32, Vec<Level>>,
    /// numId → (abstractNumId, start overrides by level)
    nums: HashMap<u32, (u32, HashMap<u8, u32>)>,
    /// Counters per list instance: the abstract list, or the num when it restarts the numbering.
    counters: HashMap<(u32, bool), [Option<u32>; 9]>,
}

fn num_fmt(v: &str) -> Option<NumFmt> {
    Some(match v {
        "upperRoman" => NumFmt::UpperRoman,
        "lowerRoman" => NumFmt::LowerRoman,
        "upperLetter" => NumFmt::UpperLetter,
        "lowerLetter" => NumFmt::LowerLetter,
        "bullet" => NumFmt::Bullet,
        "none" => return None,
        // decimal, decimalZero, ordinal and the rest print digits (or something close enough).
        _ => NumFmt::Decimal,
    })
}

impl Numbering {
    fn read(xml: Option<&str>) -> Result<Numbering, Error> {
        let mut n = Numbering::default();
        let Some(xml) = xml else { return Ok(n) };
        let doc = parse_xml(xml, "word/numbering.xml")?;
        let root = doc.root_element();
        for a in root.children().filter(|c| c.has_tag_name((W, "abstractNum"))) {
            let Some(id) = wattr(a, "abstractNumId").and_then(|v| v.parse().ok()) else { continue };
            let mut levels: Vec<Level> =
                (0..9).map(|_| Level { start: 1, fmt: Some(NumFmt::Decimal), text: String::new(), legal: false }).collect();
            for l in a.children().filter(|c| c.has_tag_name((W, "lvl"))) {
                let Some(i) = wattr(l, "ilvl").and_then(|v| v.parse::<usize>().ok()).filter(|&i| i < 9) else { continue };
                levels[i] = Level {
                    start: child(l, "start").and_then(|c| wattr(c, "val")).and_then(|v| v.parse().ok()).unwrap_or(1),
                    fmt: num_fmt(child(l, "numFmt").and_then(|c| wattr(c, "val")).unwrap_or("decimal")),
                    text: child(l, "lvlText").and_then(|c| wattr(c, "val")).unwrap_or("").to_string(),
                    legal: child(l, "isLgl").is_some(),
                };
            }
            n.abstract_levels.insert(id, levels);
        }
        for num in root.children().filter(|c| c.has_tag_name((W, "num"))) {
            let Some(id) = wattr(num, "numId").and_then(|v| v.parse().ok()) else { continue };
            let Some(abs) = child(num, "abstractNumId").and_then(|c| wattr(c, "val")).and_then(|v| v.parse().ok()) else {
                continue;
            };
            let mut over = HashMap::new();
            for o in num.children().filter(|c| c.has_tag_name((W, "lvlOverride"))) {
                let Some(l) = wattr(o, "ilvl").and_then(|v| v.parse().ok()) else { continue };
                if let Some(s) = child(o, "startOverride").and_then(|c| wattr(c, "val")).and_then(|v| v.parse().ok()) {
                    over.insert(l, s);
                }
            }
            n.nums.insert(id, (abs, over));
        }
        Ok(n)
    }

    /// The label of the next paragraph of list `num_id` at `level`, as Word prints it.
    fn next(&mut self, num_id: u32, level: u8) -> Option<AutoLabel> {
        if num_id == 0 {
            return None;
        }
        let (abs, over) = self.nums.get(&num_id)?.clone();
        let levels = self.abstract_levels.get(&abs)?.clone();
        let lv = (level as usize).min(8);
        // A num that restarts the numbering counts on its own; the others share their abstract list.
        let key = if over.is_empty() { (abs, false) } else { (num_id, true) };
        let counters = self.counters.entry(key).or_insert([None; 9]);
        let start = |i: usize| over.get(&(i as u8)).copied().unwrap_or(levels[i].start);
        counters[lv] = Some(match counters[lv] {
            Some(c) => c + 1,
            None => start(lv),
        });
        for c in counters.iter_mut().skip(lv + 1) {
            *c = None;
        }
        let me = &levels[lv];
        let fmt = me.fmt?;
        if fmt == NumFmt::Bullet {
            return Some(AutoLabel { text: bullet(&me.text), fmt, level });
        }
        let mut text = String::new();
        let mut chars = me.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%'
                && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
            {
                chars.next();
                let i = (d as usize).saturating_sub(1).min(8);
                let n = counters[i].unwrap_or_else(|| start(i));
                let f = if me.legal { NumFmt::Decimal } else { levels[i].fmt.unwrap_or(NumFmt::Decimal) };
                text.push_str(&format_number(n, f));
                continue;
            }
            text.push(c);
        }
        let text = text.trim().to_string();
        if text.is_empty() {
            return None;
        }
        Some(AutoLabel { text, fmt, level })
    }
}

/// A bullet character as it reads: Word's Symbol and Wingdings bullets live in the private use
/// area (U+F0B7 is the round bullet of Symbol, U+F02D its dash, U+F0A7 Wingdings' square).
fn bullet(t: &str) -> String {
    let c = t.chars().next().unwrap_or('•');
    match c {
        '\u{F02D}' | '–' | '—' | '−' | '-' => "-".into(),
        '\u{F02B}' | '+' => "+".into(),
        '\u{F02A}' | '*' => "*".into(),
        _ => "•".into(),
    }
}

fn format_number(n: u32, f: NumFmt) -> String {
    match f {
        NumFmt::Decimal | NumFmt::Bullet => n.to_string(),
        NumFmt::UpperRoman => crate::regime::vn::roman(n),
        NumFmt::LowerRoman => crate::regime::vn::roman(n).to_lowercase(),
        // Word's letters are the Latin alphabet (a … z, then aa …), not the Vietnamese one.
        NumFmt::UpperLetter | NumFmt::LowerLetter => {
            let i = ((n.max(1) - 1) % 26) as u8;
            let times = ((n.max(1) - 1) / 26 + 1) as usize;
            let c = if f == NumFmt::UpperLetter { b'A' + i } else { b'a' + i } as char;
            c.to_string().repeat(times)
        }
    }
}

/// The target of the main document part, from the package relationships.
fn main_part(pkg: &mut Package) -> Result<String, Error> {
    let Some(rels) = pkg.part("_rels/.rels")? else { return Ok("word/document.xml".into()) };
    let doc = parse_xml(&rels, "_rels/.rels")?;
    let target = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "Relationship")
        .find(|n| n.attribute("Type").is_some_and(|t| t.ends_with("/officeDocument")))
        .and_then(|n| n.attribute("Target"))
        .map(|t| t.trim_start_matches('/').to_string());
    Ok(target.unwrap_or_else(|| "word/document.xml".into()))
}

/// Reads a DOCX into blocks.
/// The blocks of a DOCX's body, and whether its pages have mirrored margins
/// (`w:mirrorMargins` in word/settings.xml).
pub(crate) fn read(bytes: &[u8]) -> Result<(Vec<Block>, bool), Error> {
    let mut pkg = Package::open(bytes)?;
    let main = main_part(&mut pkg)?;
    if main.contains("..") {
        return Err(bad("tệp DOCX có đường dẫn phần chính không hợp lệ"));
    }
    let dir = main.rsplit_once('/').map(|(d, _)| format!("{d}/")).unwrap_or_default();
    let document = pkg
        .part(&main)?
        .ok_or_else(|| bad("tệp DOCX không có phần nội dung chính (word/document.xml); tệp có thể không phải văn bản Word"))?;
    let styles = Styles::read(pkg.part(&format!("{dir}styles.xml"))?.as_deref())?;
    let numbering = Numbering::read(pkg.part(&format!("{dir}numbering.xml"))?.as_deref())?;
    let mirror = match pkg.part(&format!("{dir}settings.xml"))? {
        Some(x) => {
            let d = parse_xml(&x, "word/settings.xml")?;
            d.descendants()
                .find(|n| n.has_tag_name((W, "mirrorMargins")))
                .is_some_and(|n| !matches!(wattr(n, "val"), Some("0" | "false" | "off")))
        }
        None => false,
    };
    let doc = parse_xml(&document, &main)?;
    let body = doc
        .root_element()
        .children()
        .find(|c| c.has_tag_name((W, "body")))
        .ok_or_else(|| bad("tệp DOCX không có phần thân văn bản (w:body)"))?;
    let mut r = Reader { styles: &styles, numbering, paras: 0, tables: 0, open_tables: Vec::new(), section_from: 0 };
    let mut out = Vec::new();
    r.blocks(body, 0, None, &mut out)?;
    // The last section's properties are the body's own sectPr.
    if child(body, "sectPr").and_then(|s| child(s, "pgSz")).and_then(|g| wattr(g, "orient")) == Some("landscape") {
        let from = r.section_from;
        let ids = std::mem::take(&mut r.open_tables);
        mark_landscape(&mut out, &ids);
        mark_landscape_paras(&mut out[from..]);
    }
    Ok((out, mirror))
}

struct Reader<'s> {
    styles: &'s Styles,
    numbering: Numbering,
    paras: usize,
    tables: usize,
    /// Tables read since the last section break (a landscape section marks them).
    open_tables: Vec<usize>,
    /// The first top-level block of the open section.
    section_from: usize,
}

struct Ctx {
    cell: Option<CellRef>,
}

impl Reader<'_> {
    fn blocks(
        &mut self,
        parent: roxmltree::Node,
        depth: usize,
        cell: Option<CellRef>,
        out: &mut Vec<Block>,
    ) -> Result<(), Error> {
        if depth > MAX_DEPTH {
            return Err(bad(format!("tệp DOCX lồng bảng hoặc khối nội dung quá sâu (hơn {MAX_DEPTH} cấp)")));
        }
        for n in parent.children().filter(|c| c.is_element()) {
            if n.tag_name().namespace() != Some(W) {
                continue;
            }
            match n.tag_name().name() {
                "p" => {
                    // Text boxes anchored in the paragraph (a header drawn in boxes, a note): their
                    // paragraphs come first. Only Word's own form of each box is read, not the
                    // copy it keeps for older readers (mc:Fallback), and a box inside a box is
                    // read with its outer box.
                    let boxes: Vec<_> = n
                        .descendants()
                        .filter(|d| d.has_tag_name((W, "txbxContent")))
                        .filter(|d| {
                            d.ancestors()
                                .skip(1)
                                .take_while(|a| *a != n)
                                .all(|a| !a.has_tag_name((W, "txbxContent")) && a.tag_name().name() != "Fallback")
                        })
                        .collect();
                    for b in boxes {
                        self.blocks(b, depth + 1, cell, out)?;
                    }
                    let landscape = child(n, "pPr")
                        .and_then(|p| child(p, "sectPr"))
                        .map(|s| child(s, "pgSz").and_then(|g| wattr(g, "orient")) == Some("landscape"));
                    if let Some(p) = self.paragraph(n, &Ctx { cell })? {
                        out.push(Block::P(p));
                    }
                    if let Some(landscape) = landscape {
                        let ids = std::mem::take(&mut self.open_tables);
                        if landscape {
                            mark_landscape(out, &ids);
                            if depth == 0 {
                                let from = self.section_from.min(out.len());
                                mark_landscape_paras(&mut out[from..]);
                            }
                        }
                        if depth == 0 {
                            self.section_from = out.len();
                        }
                    }
                }
                "tbl" => {
                    let t = self.table(n, depth + 1, cell)?;
                    out.push(Block::Table(t));
                }
                // Content controls, custom XML and tracked insertions hold ordinary content.
                "sdt" => {
                    if let Some(c) = child(n, "sdtContent") {
                        self.blocks(c, depth + 1, cell, out)?;
                    }
                }
                "customXml" | "ins" | "moveTo" => self.blocks(n, depth + 1, cell, out)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn table(&mut self, t: roxmltree::Node, depth: usize, outer: Option<CellRef>) -> Result<Table, Error> {
        self.tables += 1;
        let id = self.tables;
        self.open_tables.push(id);
        let tblpr = child(t, "tblPr");
        let style = tblpr
            .and_then(|p| child(p, "tblStyle"))
            .and_then(|s| wattr(s, "val"))
            .map(str::to_string)
            .or_else(|| self.styles.default_table.clone());
        let borders = match tblpr.and_then(|p| child(p, "tblBorders")) {
            Some(b) => borders_visible(b),
            None => style.as_deref().and_then(|s| self.styles.table_borders(s)).unwrap_or(false),
        };
        let mut rows = Vec::new();
        for (ri, tr) in t.children().filter(|c| c.has_tag_name((W, "tr"))).enumerate() {
            let tcs: Vec<_> = tr
                .children()
                .filter(|c| c.has_tag_name((W, "tc")) || c.has_tag_name((W, "sdt")))
                .flat_map(|c| {
                    if c.has_tag_name((W, "sdt")) {
                        child(c, "sdtContent")
                            .map(|x| x.children().filter(|y| y.has_tag_name((W, "tc"))).collect::<Vec<_>>())
                            .unwrap_or_default()
                    } else {
                        vec![c]
                    }
                })
                .collect();
            let ncols = tcs.len();
            let mut row = Vec::new();
            for (ci, tc) in tcs.into_iter().enumerate() {
                let cell = CellRef { table: id, row: ri, col: ci, ncols, outer_col: outer.map(|o| o.col) };
                let mut blocks = Vec::new();
                self.blocks(tc, depth + 1, Some(cell), &mut blocks)?;
                row.push(blocks);
            }
            rows.push(row);
        }
        Ok(Table { id, borders, landscape: false, rows })
    }

    fn paragraph(&mut self, p: roxmltree::Node, ctx: &Ctx) -> Result<Option<Para>, Error> {
        let ppr = child(p, "pPr");
        let style_id = ppr
            .and_then(|pp| child(pp, "pStyle"))
            .and_then(|s| wattr(s, "val"))
            .map(str::to_string)
            .or_else(|| self.styles.default_para.clone());
        let style_rpr = style_id.as_deref().map(|s| self.styles.para_rpr(s)).unwrap_or_default().or(self.styles.doc_rpr);
        let align = ppr
            .and_then(|pp| child(pp, "jc"))
            .and_then(|j| wattr(j, "val"))
            .map(jc)
            .or_else(|| style_id.as_deref().and_then(|s| self.styles.para_jc(s)))
            .unwrap_or(Align::Left);
        let num = match ppr.and_then(|pp| child(pp, "numPr")).and_then(num_pr) {
            Some((id, lvl)) => Some((id, lvl.unwrap_or(0))),
            None => style_id.as_deref().and_then(|s| self.styles.para_num(s)),
        };
        let mut runs: Vec<(String, bool, bool, bool)> = Vec::new();
        let mut field = FieldState::default();
        self.inline(p, style_rpr, &mut runs, &mut field, 0);
        let plain: String = runs.iter().map(|r| r.0.as_str()).collect();
        if plain.trim().is_empty() {
            return Ok(None);
        }
        self.paras += 1;
        if self.paras > MAX_PARAGRAPHS {
            return Err(bad(format!("tệp DOCX có quá nhiều đoạn văn (hơn {MAX_PARAGRAPHS})")));
        }
        let auto = num.and_then(|(id, lvl)| self.numbering.next(id, lvl));
        let visible = |r: &&(String, bool, bool, bool)| !r.0.trim().is_empty();
        let all = |f: fn(&(String, bool, bool, bool)) -> bool| runs.iter().filter(visible).all(f);
        let bold = all(|r| r.1);
        let italic = all(|r| r.2);
        let underline = all(|r| r.3);
        let text = marked(&runs, !bold, !italic);
        let mut para = Para::new(self.paras, text);
        para.plain = plain;
        para.kh_style = style_id.as_deref().and_then(|s| self.styles.kh_style(s));
        para.align = align;
        para.bold = bold;
        para.italic = italic;
        para.underline = underline;
        para.auto = auto;
        para.cell = ctx.cell;
        Ok(Some(para))
    }

    /// The runs of a paragraph (or of an element inside it: hyperlinks, fields, tracked changes).
    fn inline(
        &self,
        n: roxmltree::Node,
        style: RunProps,
        out: &mut Vec<(String, bool, bool, bool)>,
        field: &mut FieldState,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        for c in n.children().filter(|c| c.is_element()) {
            if c.tag_name().namespace() != Some(W) {
                continue;
            }
            match c.tag_name().name() {
                "r" => self.run(c, style, out, field),
                "hyperlink" | "smartTag" | "ins" | "moveTo" | "fldSimple" | "customXml" | "bdo" | "dir" => {
                    self.inline(c, style, out, field, depth + 1)
                }
                "sdt" => {
                    if let Some(x) = child(c, "sdtContent") {
                        self.inline(x, style, out, field, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    fn run(&self, r: roxmltree::Node, style: RunProps, out: &mut Vec<(String, bool, bool, bool)>, field: &mut FieldState) {
        let rpr = child(r, "rPr");
        let direct = rpr.map(RunProps::read).unwrap_or_default();
        let char_style = rpr
            .and_then(|x| child(x, "rStyle"))
            .and_then(|s| wattr(s, "val"))
            .map(|s| self.styles.char_rpr(s))
            .unwrap_or_default();
        let props = direct.or(char_style).or(style);
        if props.vanish == Some(true) {
            return;
        }
        let mut text = String::new();
        for c in r.children().filter(|c| c.is_element()) {
            match c.tag_name().name() {
                "fldChar" => match wattr(c, "fldCharType") {
                    Some("begin") => field.instr = true,
                    Some("separate") | Some("end") => field.instr = false,
                    _ => {}
                },
                _ if field.instr => {}
                "t" => text.push_str(c.text().unwrap_or("")),
                "tab" | "ptab" => text.push('\t'),
                "br" if !matches!(wattr(c, "type"), Some("page" | "column")) => text.push('\n'),
                "cr" => text.push('\n'),
                "noBreakHyphen" => text.push('-'),
                "sym" => {
                    if let Some(ch) = wattr(c, "char").and_then(|h| u32::from_str_radix(h, 16).ok()).and_then(char::from_u32) {
                        text.push_str(&bullet(&ch.to_string()));
                    }
                }
                _ => {}
            }
        }
        if text.is_empty() {
            return;
        }
        if props.caps == Some(true) {
            text = text.to_uppercase();
        }
        out.push((text, props.bold == Some(true), props.italic == Some(true), props.underline == Some(true)));
    }
}

#[derive(Default)]
struct FieldState {
    /// Inside a field's instructions (between begin and separate): not text.
    instr: bool,
}

/// Marks the top-level paragraphs of a landscape section.
fn mark_landscape_paras(out: &mut [Block]) {
    for b in out.iter_mut() {
        if let Block::P(p) = b {
            p.landscape = true;
        }
    }
}

fn mark_landscape(out: &mut [Block], ids: &[usize]) {
    for b in out.iter_mut() {
        if let Block::Table(t) = b
            && ids.contains(&t.id)
        {
            t.landscape = true;
        }
    }
}

/// The paragraph's text with `*…*` and `**…**` around the emphasised parts (only for the
/// attributes that do not cover the whole paragraph). Marks wrap the words, never the spaces
/// around them, as the engine's inline parser expects.
fn marked(runs: &[(String, bool, bool, bool)], bold: bool, italic: bool) -> String {
    let mut segs: Vec<(String, bool, bool)> = Vec::new();
    for (t, b, i, _) in runs {
        let key = (bold && *b, italic && *i);
        match segs.last_mut() {
            Some(last) if (last.1, last.2) == key || t.trim().is_empty() => last.0.push_str(t),
            _ => segs.push((t.clone(), key.0, key.1)),
        }
    }
    let mut out = String::new();
    for (t, b, i) in segs {
        if !(b || i) || t.trim().is_empty() || t.contains('*') {
            out.push_str(&t);
            continue;
        }
        let core = t.trim();
        let lead = &t[..t.len() - t.trim_start().len()];
        let trail = &t[t.trim_end().len()..];
        let m = match (b, i) {
            (true, true) => "***",
            (true, false) => "**",
            _ => "*",
        };
        // Several lines: mark each, as the inline parser works line by line.
        let inner: Vec<String> =
            core.split('\n').map(|l| if l.trim().is_empty() { l.to_string() } else { format!("{m}{}{m}", l.trim()) }).collect();
        out.push_str(lead);
        out.push_str(&inner.join("\n"));
        out.push_str(trail);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_wrap_words_not_spaces() {
        let runs = vec![
            ("Trong công tác: ".to_string(), false, true, false),
            ("Thi đua ".to_string(), false, false, false),
            ("tốt".to_string(), true, false, false),
        ];
        assert_eq!(marked(&runs, true, true), "*Trong công tác:* Thi đua **tốt**");
        assert_eq!(marked(&runs, false, false), "Trong công tác: Thi đua tốt");
    }

    #[test]
    fn word_numbering_labels() {
        let xml = r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
          <w:abstractNum w:abstractNumId="0">
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
            <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
            <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2.%3."/></w:lvl>
            <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%4)"/></w:lvl>
            <w:lvl w:ilvl="4"><w:numFmt w:val="bullet"/><w:lvlText w:val="&#xF02D;"/></w:lvl>
          </w:abstractNum>
          <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
          <w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/></w:lvlOverride></w:num>
        </w:numbering>"#;
        let mut n = Numbering::read(Some(xml)).unwrap();
        let mut l = |id, lvl| n.next(id, lvl).map(|a| a.text).unwrap_or_default();
        assert_eq!(l(1, 0), "I.");
        assert_eq!(l(1, 1), "1.");
        assert_eq!(l(1, 2), "1.1.");
        assert_eq!(l(1, 2), "1.2.");
        assert_eq!(l(1, 3), "a)");
        assert_eq!(l(1, 4), "-");
        assert_eq!(l(1, 1), "2.");
        assert_eq!(l(1, 2), "2.1.");
        assert_eq!(l(1, 0), "II.");
        assert_eq!(l(1, 1), "1.");
        assert_eq!(l(2, 0), "III.");
    }

    #[test]
    fn not_docx_files_are_named() {
        let e = sniff(b"%PDF-1.7 ...").unwrap_err().to_string();
        assert!(e.contains("PDF"), "{e}");
        let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        ole.extend_from_slice(&[0; 64]);
        assert!(sniff(&ole).unwrap_err().to_string().contains(".doc"));
        ole.extend("EncryptionInfo".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert!(sniff(&ole).unwrap_err().to_string().contains("mật khẩu"));
        assert!(sniff(b"hello").unwrap_err().to_string().contains("không phải tệp Word"));
    }

    #[test]
    fn dtd_is_refused() {
        let x = r#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>"#;
        let e = parse_xml(x, "word/document.xml").unwrap_err().to_string();
        assert!(e.contains("DTD"), "{e}");
    }
}
