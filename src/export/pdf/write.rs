//! Writing laid-out pages as a PDF: the objects made directly as lopdf objects, page contents
//! written as bytes.
//!
//! This used to go through printpdf's object model. A callgrind profile of one `kehoach render`
//! showed that route at 43.5 of the process's 91.3 million instructions: printpdf parsing the
//! subset fonts back (`ParsedFont`), turning its operations into lopdf operations and those into
//! bytes, and the fonts deflated again for every file. Here each font's objects (the subset
//! program, deflated; its widths; its ToUnicode map) are made once per set of characters and
//! reused by every PDF of the process that needs the same (a batch above all), and a page's content
//! stream is written straight into a byte buffer. lopdf still holds the objects, so the signature
//! field ([`super::sign`]) and PDF/A ([`super::pdfa`]) work on the same document as before, and
//! writes the file.
//!
//! The fonts are subset with allsorts (glyphs renumbered in the order asked: the missing-glyph box,
//! then the document's glyphs by their id in the face), named with the `ABCDEF+` tag that says so,
//! and the document's IDs are derived from its content, so the same plan gives the same bytes.
//! Every page has its own media box, from its page setup ([`Page::setup`]).

use crate::document::{Document, Meta};
use crate::error::Error;
use crate::export::subset::{self, Target, face_index, fnv};
use crate::fonts::{FontFace, FontSet};
use crate::layout::{self, Item, Page};
use lopdf::{Dictionary, Object, Stream, StringFormat};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

/// How many font object sets a process keeps for reuse.
const CACHE_ENTRIES: usize = 64;

/// The deflate level of the font programs and their ToUnicode maps, made once and reused. A single
/// render pays for it in full: at level 6 (zlib-rs's medium strategy, as at 3 to 6) they were 17 of
/// the 52 million instructions of a render process; level 2 (the fast strategy) makes the
/// five-page sample's 84 KB of font programs about 1.5 KB larger than level 6 does.
const FONT_LEVEL: u32 = 2;

/// A small map shared by the threads of a process; when full, an arbitrary entry makes room. A
/// value is made once: a thread that misses a key another thread is making waits for it rather
/// than making it too (at the start of a batch every thread misses the same fonts at once), while
/// threads missing other keys make theirs at the same time (in a batch the regular face's subset
/// differs from unit to unit; one lock for all made the threads take turns).
pub(crate) struct Cache<K, V> {
    map: OnceLock<Mutex<HashMap<K, Arc<V>>>>,
    making: Mutex<Vec<K>>,
    made: std::sync::Condvar,
}

impl<K: std::hash::Hash + Eq + Clone, V> Cache<K, V> {
    pub(crate) const fn new() -> Self {
        Cache { map: OnceLock::new(), making: Mutex::new(Vec::new()), made: std::sync::Condvar::new() }
    }
    fn get(&self, key: &K) -> Option<Arc<V>> {
        let map = self.map.get_or_init(|| Mutex::new(HashMap::new()));
        map.lock().unwrap_or_else(|e| e.into_inner()).get(key).cloned()
    }
    pub(crate) fn get_or_make<E>(&self, key: K, make: impl FnOnce() -> Result<V, E>) -> Result<Arc<V>, E> {
        if let Some(v) = self.get(&key) {
            return Ok(v);
        }
        {
            let mut making = self.making.lock().unwrap_or_else(|e| e.into_inner());
            loop {
                if let Some(v) = self.get(&key) {
                    return Ok(v);
                }
                if !making.contains(&key) {
                    making.push(key.clone());
                    break;
                }
                making = self.made.wait(making).unwrap_or_else(|e| e.into_inner());
            }
        }
        // Taken off the list when done, made or not (even by a panic: no thread waits forever).
        struct Done<'a, K: Eq, V>(&'a Cache<K, V>, &'a K);
        impl<K: Eq, V> Drop for Done<'_, K, V> {
            fn drop(&mut self) {
                self.0.making.lock().unwrap_or_else(|e| e.into_inner()).retain(|k| k != self.1);
                self.0.made.notify_all();
            }
        }
        let _done = Done(self, &key);
        let result = make().map(Arc::new);
        if let Ok(v) = &result {
            let map = self.map.get_or_init(|| Mutex::new(HashMap::new()));
            let mut m = map.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(k) = m.keys().next().cloned().filter(|_| m.len() >= CACHE_ENTRIES) {
                m.remove(&k);
            }
            m.insert(key.clone(), v.clone());
        }
        // A failure: a waiting thread tries for itself.
        result
    }
}

/// One face's objects for a set of characters, made once: everything but the object numbers.
struct FontObjects {
    /// `ABCDEF+PostScriptName`.
    name: Vec<u8>,
    /// The glyph id in the subset of each glyph id of the face (0: not in the subset).
    new_gid: Vec<u16>,
    /// The subset program, deflated when that is smaller (then `program_deflated`), and its length.
    program: Vec<u8>,
    program_deflated: bool,
    length1: usize,
    /// The ToUnicode CMap, likewise.
    to_unicode: Vec<u8>,
    to_unicode_deflated: bool,
    /// `/W`: the advance of every glyph of the subset, from the program itself, in thousandths of
    /// an em to the hundredth.
    widths: Vec<Object>,
    bbox: [i64; 4],
    italic_angle: f32,
    ascent: i64,
    descent: i64,
    cap_height: i64,
    italic: bool,
}

impl FontObjects {
    fn make(face: &FontFace, chars: &BTreeSet<char>) -> Result<FontObjects, Error> {
        let program = subset::subset(face, chars, Target::Pdf)?;
        let tag = subset::tag(&program);
        let fail = |e: &dyn std::fmt::Display| Error::internal(format!("đọc lại phông {} đã rút gọn", face.postscript_name), e);
        let sub = ttf_parser::Face::parse(&program, 0).map_err(|e| fail(&e))?;
        // The subset's glyphs are the face's missing-glyph box and the glyphs of `chars` by
        // ascending id (allsorts keeps the order it is given, see `subset::subset`).
        let mut gids: BTreeSet<u16> = BTreeSet::from([0]);
        gids.extend(chars.iter().filter_map(|c| face.glyph(*c)));
        let mut new_gid = vec![0u16; gids.last().map_or(1, |g| *g as usize + 1)];
        for (new, old) in gids.iter().enumerate() {
            new_gid[*old as usize] = new as u16;
        }
        let upem = sub.units_per_em() as f32;
        let scale = |v: i16| (v as f32 * 1000.0 / upem).round() as i64;
        let widths = (0..sub.number_of_glyphs())
            .map(|g| {
                let w = sub.glyph_hor_advance(ttf_parser::GlyphId(g)).unwrap_or(0) as f32 * 1000.0 / upem;
                let r = (w * 100.0).round() / 100.0;
                if r.fract() == 0.0 { Object::Integer(r as i64) } else { Object::Real(r) }
            })
            .collect();
        let b = sub.global_bounding_box();
        // Each code to its character (the first, when several share a glyph).
        let mut pairs: Vec<(u16, char)> = Vec::new();
        for c in chars {
            if let Some(g) = face.glyph(*c) {
                let n = new_gid[g as usize];
                if n != 0 && !pairs.iter().any(|(m, _)| *m == n) {
                    pairs.push((n, *c));
                }
            }
        }
        pairs.sort_unstable();
        let cmap = to_unicode(&pairs);
        let bbox = [scale(b.x_min), scale(b.y_min), scale(b.x_max), scale(b.y_max)];
        let (italic_angle, ascent, descent) = (sub.italic_angle(), scale(sub.ascender()), scale(sub.descender()));
        let cap_height = sub.capital_height().map_or(ascent, scale);
        let italic = sub.is_italic() || italic_angle != 0.0;
        let length1 = program.len();
        let (program, program_deflated) = deflated(program, FONT_LEVEL);
        let (to_unicode, to_unicode_deflated) = deflated(cmap, FONT_LEVEL);
        let mut name = tag.into_bytes();
        name.push(b'+');
        name.extend_from_slice(face.postscript_name.as_bytes());
        Ok(FontObjects {
            name,
            new_gid,
            program,
            program_deflated,
            length1,
            to_unicode,
            to_unicode_deflated,
            widths,
            bbox,
            italic_angle,
            ascent,
            descent,
            cap_height,
            italic,
        })
    }

    /// The code of `c` in the subset (0, the missing-glyph box, for a character the face lacks).
    fn code(&self, face: &FontFace, c: char) -> u16 {
        face.glyph(c).and_then(|g| self.new_gid.get(g as usize).copied()).unwrap_or(0)
    }

    /// Adds the font's objects to `lo`; returns the Type0 font's id.
    fn add_to(&self, lo: &mut lopdf::Document) -> lopdf::ObjectId {
        let stream = |content: &[u8], deflated: bool, mut dict: Dictionary| {
            if deflated {
                dict.set("Filter", "FlateDecode");
            }
            let mut s = Stream::new(dict, content.to_vec());
            s.allows_compression = false;
            s
        };
        let file = lo.add_object(stream(&self.program, self.program_deflated, Dictionary::from_iter([("Length1", Object::Integer(self.length1 as i64))])));
        let cmap = lo.add_object(stream(&self.to_unicode, self.to_unicode_deflated, Dictionary::new()));
        let name = || Object::Name(self.name.clone());
        let descriptor = lo.add_object(Dictionary::from_iter([
            ("Type", Object::from("FontDescriptor")),
            ("FontName", name()),
            // Nonsymbolic (the Standard Latin character set), serif, italic when it is.
            ("Flags", Object::Integer(32 | 2 | if self.italic { 64 } else { 0 })),
            ("FontBBox", Object::Array(self.bbox.iter().map(|v| Object::Integer(*v)).collect())),
            ("ItalicAngle", Object::Real(self.italic_angle)),
            ("Ascent", Object::Integer(self.ascent)),
            ("Descent", Object::Integer(self.descent)),
            ("CapHeight", Object::Integer(self.cap_height)),
            ("StemV", Object::Integer(80)),
            ("FontFile2", Object::Reference(file)),
        ]));
        let cid = Dictionary::from_iter([
            ("Type", Object::from("Font")),
            ("Subtype", Object::from("CIDFontType2")),
            ("BaseFont", name()),
            (
                "CIDSystemInfo",
                Object::Dictionary(Dictionary::from_iter([
                    ("Registry", Object::string_literal("Adobe")),
                    ("Ordering", Object::string_literal("Identity")),
                    ("Supplement", Object::Integer(0)),
                ])),
            ),
            ("FontDescriptor", Object::Reference(descriptor)),
            ("CIDToGIDMap", Object::from("Identity")),
            ("W", Object::Array(vec![Object::Integer(0), Object::Array(self.widths.clone())])),
        ]);
        lo.add_object(Dictionary::from_iter([
            ("Type", Object::from("Font")),
            ("Subtype", Object::from("Type0")),
            ("BaseFont", name()),
            ("Encoding", Object::from("Identity-H")),
            ("DescendantFonts", Object::Array(vec![Object::Dictionary(cid)])),
            ("ToUnicode", Object::Reference(cmap)),
        ]))
    }
}

/// The ToUnicode CMap of `pairs` (code, character), sorted by code.
fn to_unicode(pairs: &[(u16, char)]) -> Vec<u8> {
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for chunk in pairs.chunks(100) {
        s.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (code, c) in chunk {
            let mut units = [0u16; 2];
            let hex: String = c.encode_utf16(&mut units).iter().map(|u| format!("{u:04X}")).collect();
            s.push_str(&format!("<{code:04X}> <{hex}>\n"));
        }
        s.push_str("endbfchar\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s.into_bytes()
}

/// The font objects of `face` for `chars`. Plans rendered by one process (a batch above all)
/// mostly use the same characters in a face, so they are made once and reused.
fn font_objects(face: &FontFace, chars: &BTreeSet<char>) -> Result<Arc<FontObjects>, Error> {
    static FONTS: Cache<(usize, Vec<char>), FontObjects> = Cache::new();
    // The face is told apart by the address of its bytes (they live as long as the process).
    let key = (face.bytes.as_ptr() as usize, chars.iter().copied().collect());
    FONTS.get_or_make(key, || FontObjects::make(face, chars))
}

pub fn write(doc: &Document, pages: &[Page], fonts: &FontSet) -> Result<Vec<u8>, Error> {
    write_parts(&[pages], &doc.meta, fonts, Tuning::Smallest)
}

/// What a PDF carries beyond its pages (none by default: then the file is what it always was).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Extras {
    /// An empty signature field over this rectangle ([`super::sign::add_field`]).
    pub field: Option<super::sign::Rect>,
    /// PDF/A-1b ([`super::pdfa`]).
    pub pdfa: bool,
}

/// The date of the document, for the PDF's information and XMP: the plan's date (at midnight,
/// Vietnam time) when it has day, month and year; none for a draft dated by its year or month
/// only. The one place the PDF's dates come from.
pub fn document_date(meta: &Meta) -> Option<super::pdfa::Date> {
    meta.date
}

/// What a PDF is written for: the smallest file, or the fastest run of many.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tuning {
    /// Fonts carry exactly the characters the document uses; page contents are deflated at level 6.
    Smallest,
    /// For a batch of plans. The bold and italic faces carry every letter of the Vietnamese
    /// alphabet in both cases and every digit: those two faces hold what differs from one unit to
    /// the next (the unit's name in the header and the date line, the signer's name), so rounded up
    /// they give every unit the same subsets, made and compressed once (see [`font_objects`]).
    /// Page contents are deflated at level 1 (zlib-rs's quick strategy) rather than 6. A few KB
    /// more per file (47.5 KB rather than 35 KB for the three-page bench plan), in much less time
    /// once the fonts are shared.
    Batch,
}

/// The letters of the Vietnamese alphabet (with every tone) and the digits, in both cases.
fn vietnamese_letters() -> &'static BTreeSet<char> {
    static L: OnceLock<BTreeSet<char>> = OnceLock::new();
    L.get_or_init(|| {
        let lower = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵfjwz0123456789";
        lower.chars().flat_map(|c| std::iter::once(c).chain(c.to_uppercase())).collect()
    })
}

/// Writes the pages of several documents, one after the other, as one PDF (the batch's review
/// copy): each part keeps its own page setup and page numbers, the fonts are subset once over the
/// characters of all of them, and `meta` describes the whole.
pub fn write_parts(parts: &[&[Page]], meta: &Meta, fonts: &FontSet, tuning: Tuning) -> Result<Vec<u8>, Error> {
    write_parts_with(parts, meta, fonts, tuning, &Extras::default())
}

/// A PDF text string: UTF-16BE with its byte order mark.
fn text_string(s: &str) -> Object {
    let mut b = vec![0xFE, 0xFF];
    b.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
    Object::String(b, StringFormat::Hexadecimal)
}

/// [`write_parts`], with `extras`.
pub fn write_parts_with(parts: &[&[Page]], meta: &Meta, fonts: &FontSet, tuning: Tuning, extras: &Extras) -> Result<Vec<u8>, Error> {
    save(document(parts, meta, fonts, tuning, extras)?)
}

/// The file of a document made by [`document`].
pub(crate) fn save(mut lo: lopdf::Document) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::with_capacity(lo.objects.values().map(|o| if let Object::Stream(s) = o { s.content.len() } else { 0 }).sum::<usize>() + 16 * 1024);
    lo.save_to(&mut bytes).map_err(|e| Error::internal("ghi tệp PDF trong bộ nhớ", e))?;
    Ok(bytes)
}

/// The PDF of [`write_parts_with`] as a lopdf document, not yet written out (the review copy's
/// parts go to [`super::join::Joiner::add_document`] as they are, never parsed back).
pub(crate) fn document(parts: &[&[Page]], meta: &Meta, fonts: &FontSet, tuning: Tuning, extras: &Extras) -> Result<lopdf::Document, Error> {
    // The characters each face must carry.
    let mut used = subset::used_chars(parts.iter().flat_map(|pages| pages.iter()));
    if tuning == Tuning::Batch {
        for i in [face_index(true, false), face_index(false, true)] {
            if !used[i].is_empty() {
                used[i].extend(vietnamese_letters());
            }
        }
    }
    let mut lo = lopdf::Document::with_version("1.7");
    // A classic cross-reference table (PDF/A-1 allows no cross-reference streams).
    lo.reference_table.cross_reference_type = lopdf::xref::XrefType::CrossReferenceTable;
    let mut faces: [Option<Arc<FontObjects>>; 4] = Default::default();
    let mut font_dict = Dictionary::new();
    for (i, chars) in used.iter().enumerate() {
        if chars.is_empty() {
            continue;
        }
        let f = font_objects(&fonts.faces()[i], chars)?;
        let id = f.add_to(&mut lo);
        font_dict.set(format!("F{i}"), Object::Reference(id));
        faces[i] = Some(f);
    }
    let resources = lo.add_object(Dictionary::from_iter([("Font", Object::Dictionary(font_dict))]));
    let tree = lo.new_object_id();
    let level = if tuning == Tuning::Batch { 1 } else { 6 };
    let mut kids = Vec::with_capacity(parts.iter().map(|p| p.len()).sum());
    let mut content = Vec::new();
    for pages in parts {
        for (pi, page) in pages.iter().enumerate() {
            content.clear();
            page_content(&mut content, pi, page, fonts, &faces);
            let (bytes, z) = deflated(std::mem::take(&mut content), level);
            let mut s = Stream::new(if z { Dictionary::from_iter([("Filter", Object::from("FlateDecode"))]) } else { Dictionary::new() }, bytes);
            s.allows_compression = false;
            let c = lo.add_object(s);
            let pt = |tw: i32| Object::Real(tw as f32 / 20.0);
            kids.push(Object::Reference(lo.add_object(Dictionary::from_iter([
                ("Type", Object::from("Page")),
                ("Parent", Object::Reference(tree)),
                ("MediaBox", Object::Array(vec![0.into(), 0.into(), pt(page.setup.width), pt(page.setup.height)])),
                ("Resources", Object::Reference(resources)),
                ("Contents", Object::Reference(c)),
            ]))));
        }
    }
    let count = kids.len() as i64;
    lo.objects.insert(tree, Object::Dictionary(Dictionary::from_iter([("Type", Object::from("Pages")), ("Kids", Object::Array(kids)), ("Count", Object::Integer(count))])));
    let catalog = lo.add_object(Dictionary::from_iter([("Type", Object::from("Catalog")), ("Pages", Object::Reference(tree))]));
    let mut info = Dictionary::new();
    for (k, v) in [("Title", &meta.title), ("Author", &meta.author), ("Subject", &meta.subject)] {
        if !v.is_empty() {
            info.set(k, text_string(v));
        }
    }
    info.set("Creator", text_string(&format!("kehoach {}", env!("CARGO_PKG_VERSION"))));
    info.set("Producer", text_string("kehoach"));
    let info = lo.add_object(info);
    lo.trailer.set("Root", Object::Reference(catalog));
    lo.trailer.set("Info", Object::Reference(info));

    if let Some(r) = &extras.field {
        super::sign::add_field(&mut lo, r).map_err(|e| Error::internal("thêm ô chữ ký vào PDF", e))?;
    }
    if extras.pdfa {
        super::pdfa::apply(&mut lo, document_date(meta)).map_err(|e| Error::internal("ghi PDF/A", e))?;
    }
    compress_rest(&mut lo);
    set_id(&mut lo);
    Ok(lo)
}

/// Writes `v` (points) with at most three decimals, as PDF numbers are written.
fn num(out: &mut Vec<u8>, v: f64) {
    let m = (v * 1000.0).round() as i64;
    if m < 0 {
        out.push(b'-');
    }
    let m = m.unsigned_abs();
    let (int, frac) = (m / 1000, m % 1000);
    let mut buf = itoa(int);
    out.append(&mut buf);
    if frac != 0 {
        out.push(b'.');
        let digits = [(frac / 100) as u8, (frac / 10 % 10) as u8, (frac % 10) as u8];
        let n = if digits[2] != 0 { 3 } else if digits[1] != 0 { 2 } else { 1 };
        out.extend(digits[..n].iter().map(|d| b'0' + d));
    }
}

fn itoa(mut n: u64) -> Vec<u8> {
    let mut b = Vec::with_capacity(8);
    loop {
        b.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    b.reverse();
    b
}

/// Writes a glyph code as four hexadecimal digits.
fn hex4(out: &mut Vec<u8>, code: u16) {
    const H: &[u8; 16] = b"0123456789ABCDEF";
    out.extend([H[(code >> 12) as usize], H[(code >> 8 & 15) as usize], H[(code >> 4 & 15) as usize], H[(code & 15) as usize]]);
}

/// The content stream of one page (`index`: its place in its own document, for mirrored margins):
/// its text in one text object, then its lines.
fn page_content(out: &mut Vec<u8>, index: usize, page: &Page, fonts: &FontSet, faces: &[Option<Arc<FontObjects>>; 4]) {
    let h = page.setup.height as f64;
    let left = layout::left_margin(&page.setup, index);
    let pt = |tw: f64| tw / 20.0;
    out.extend_from_slice(b"BT\n");
    // The font in use: set again only when it changes (it holds for the whole text object).
    let mut current: Option<(usize, u32)> = None;
    for it in &page.items {
        let Item::Text { x, baseline, span, space_extra } = it else { continue };
        let i = face_index(span.bold, span.italic);
        let Some(f) = &faces[i] else { continue };
        let face = &fonts.faces()[i];
        if current != Some((i, span.size)) {
            out.extend_from_slice(format!("/F{i} ").as_bytes());
            num(out, span.size as f64 / 2.0);
            out.extend_from_slice(b" Tf\n");
            current = Some((i, span.size));
        }
        out.extend_from_slice(b"1 0 0 1 ");
        num(out, pt(left + x));
        out.push(b' ');
        num(out, pt(h - baseline));
        out.extend_from_slice(b" Tm\n");
        // Each space widened by `space_extra` twips: TJ offsets (Tw does nothing with two-byte
        // codes), in thousandths of the font size.
        if space_extra.abs() < 0.001 || !span.text.contains(' ') {
            out.push(b'<');
            for c in span.text.chars() {
                hex4(out, f.code(face, c));
            }
            out.extend_from_slice(b"> Tj\n");
        } else {
            let offset = -(space_extra / 20.0) * 1000.0 / (span.size as f64 / 2.0);
            out.extend_from_slice(b"[<");
            let mut chars = span.text.chars().peekable();
            while let Some(c) = chars.next() {
                hex4(out, f.code(face, c));
                if c == ' ' && chars.peek().is_some() {
                    out.extend_from_slice(b"> ");
                    num(out, offset);
                    out.extend_from_slice(b" <");
                }
            }
            out.extend_from_slice(b">] TJ\n");
        }
    }
    out.extend_from_slice(b"ET\n");
    let mut width = None;
    for it in &page.items {
        let Item::Line { x1, y1, x2, y2, width: w } = it else { continue };
        if width != Some(*w) {
            num(out, pt(*w));
            out.extend_from_slice(b" w\n");
            width = Some(*w);
        }
        for (x, y, op) in [(x1, y1, b" m "), (x2, y2, b" l ")] {
            num(out, pt(left + x));
            out.push(b' ');
            num(out, pt(h - y));
            out.extend_from_slice(op);
        }
        out.extend_from_slice(b"S\n");
    }
}

/// `data` deflated at `level` when that makes it smaller, and whether it was.
fn deflated(data: Vec<u8>, level: u32) -> (Vec<u8>, bool) {
    if data.len() < 64 {
        return (data, false);
    }
    match deflate(&data, level) {
        Some(z) => (z, true),
        None => (data, false),
    }
}

/// Deflates the streams added after the pages and fonts (the PDF/A output intent's profile, the
/// CIDSets), but not the XMP metadata, which PDF/A wants readable as it is.
fn compress_rest(lo: &mut lopdf::Document) {
    for obj in lo.objects.values_mut() {
        if let Object::Stream(s) = obj {
            if !s.allows_compression || s.dict.get(b"Filter").is_ok() || s.content.len() < 64 || super::pdfa::is_metadata(s) {
                continue;
            }
            if let Some(z) = deflate(&s.content, 6) {
                s.dict.set("Filter", "FlateDecode");
                s.set_content(z);
            }
        }
    }
}

/// `data` deflated at `level` (zlib format), if that makes it smaller. Each thread keeps its
/// compressors, one per level: setting one up costs more than compressing a small stream.
fn deflate(data: &[u8], level: u32) -> Option<Vec<u8>> {
    use flate2::{Compress, Compression, FlushCompress, Status};
    use std::cell::RefCell;
    thread_local! {
        static Z: RefCell<[Option<Compress>; 10]> = RefCell::new(Default::default());
    }
    let level = level.min(9);
    Z.with(|z| {
        let mut z = z.borrow_mut();
        let z = z[level as usize].get_or_insert_with(|| Compress::new(Compression::new(level), true));
        z.reset();
        let mut out = Vec::with_capacity(data.len() / 2 + 64);
        loop {
            let read = z.total_in() as usize;
            let status = z.compress_vec(&data[read..], &mut out, FlushCompress::Finish).ok()?;
            if status == Status::StreamEnd {
                break;
            }
            if out.len() >= data.len() {
                return None;
            }
            out.reserve(out.capacity().max(1024));
        }
        Some(out).filter(|o| o.len() < data.len())
    })
}

/// Gives the file IDs derived from its content: the streams (page contents and fonts) determine
/// everything else.
fn set_id(lo: &mut lopdf::Document) {
    let mut h1 = 0u64;
    for (id, obj) in &lo.objects {
        if let Object::Stream(s) = obj {
            h1 = fnv(&id.0.to_le_bytes(), h1);
            h1 = fnv(&s.content, h1);
        }
    }
    let h2 = fnv(&h1.to_le_bytes(), 1);
    let id = format!("{h1:016x}{h2:016x}").into_bytes();
    lo.trailer.set("ID", Object::Array(vec![Object::String(id.clone(), lopdf::StringFormat::Hexadecimal), Object::String(id, lopdf::StringFormat::Hexadecimal)]));
}
