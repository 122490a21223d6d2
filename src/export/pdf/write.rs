//! Writing laid-out pages as a PDF with printpdf.
//!
//! Three things printpdf 0.12 does not do without its heavy `text_layout` feature, done here through
//! its public API: fonts are subset before they are handed to it (allsorts, the subsetter printpdf
//! itself uses), the subset fonts get the `ABCDEF+` tag that says so, and the document's IDs are
//! derived from its content rather than drawn at random, so the same plan gives the same bytes.

use crate::document::{Document, Meta};
use crate::error::Error;
use crate::export::subset::{self, Target, face_index, fnv};
use crate::layout::{self, Item, Page};
use crate::fonts::{FontFace, FontSet};
use printpdf::{
    FontId, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt,
    TextItem, TextMatrix,
};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

fn pt(twips: f64) -> Pt {
    Pt((twips / 20.0) as f32)
}

/// A face reduced to the characters the document uses, read back by printpdf.
struct Subset {
    parsed: ParsedFont,
    tag: String,
}

fn subset(face: &FontFace, chars: &BTreeSet<char>) -> Result<Subset, Error> {
    let bytes = subset::subset(face, chars, Target::Pdf)?;
    let tag = subset::tag(&bytes);
    let mut warnings = Vec::new();
    let parsed = ParsedFont::from_bytes(&bytes, 0, &mut warnings)
        .ok_or_else(|| Error::internal(format!("đọc lại phông {} đã rút gọn", face.postscript_name), "printpdf không đọc được"))?;
    Ok(Subset { parsed, tag })
}

/// How many subsets, and how many compressed font streams, a process keeps for reuse.
const CACHE_ENTRIES: usize = 64;

/// A small map shared by the threads of a process; when full, an arbitrary entry makes room. Values
/// are made one at a time: a thread that misses waits for one being made rather than making it too
/// (at the start of a batch every thread misses the same fonts at once).
struct Cache<K, V> {
    map: OnceLock<Mutex<HashMap<K, Arc<V>>>>,
    making: Mutex<()>,
}

impl<K: std::hash::Hash + Eq + Clone, V> Cache<K, V> {
    const fn new() -> Self {
        Cache { map: OnceLock::new(), making: Mutex::new(()) }
    }
    fn get(&self, key: &K) -> Option<Arc<V>> {
        let map = self.map.get_or_init(|| Mutex::new(HashMap::new()));
        map.lock().unwrap_or_else(|e| e.into_inner()).get(key).cloned()
    }
    fn get_or_make<E>(&self, key: K, make: impl FnOnce() -> Result<V, E>) -> Result<Arc<V>, E> {
        if let Some(v) = self.get(&key) {
            return Ok(v);
        }
        let _making = self.making.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(v) = self.get(&key) {
            return Ok(v);
        }
        let v = Arc::new(make()?);
        let map = self.map.get_or_init(|| Mutex::new(HashMap::new()));
        let mut m = map.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(k) = m.keys().next().cloned().filter(|_| m.len() >= CACHE_ENTRIES) {
            m.remove(&k);
        }
        m.insert(key, v.clone());
        Ok(v)
    }
}

/// The subset of `face` for `chars`. Plans rendered by one process (a batch above all) mostly use
/// the same characters in a face, so the subset is made once and reused.
fn subset_cached(face: &FontFace, chars: &BTreeSet<char>) -> Result<Arc<Subset>, Error> {
    static SUBSETS: Cache<(usize, Vec<char>), Subset> = Cache::new();
    // The face is told apart by the address of its bytes (they live as long as the process).
    let key = (face.bytes.as_ptr() as usize, chars.iter().copied().collect());
    SUBSETS.get_or_make(key, || subset(face, chars))
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
    /// Fonts carry exactly the characters the document uses; every stream is deflated at level 6.
    Smallest,
    /// For a batch of plans. The bold and italic faces carry every letter of the Vietnamese
    /// alphabet in both cases and every digit: those two faces hold what differs from one unit to
    /// the next (the unit's name in the header and the date line, the signer's name), so rounded up
    /// they give every unit the same subsets, made and compressed once (see [`subset_cached`]).
    /// Page contents are deflated at level 2 rather than 6. About 11 KB more per file (84 KB
    /// rather than 73 KB for a five-page plan), in much less time once the fonts are shared.
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

/// [`write_parts`], with `extras`.
pub fn write_parts_with(parts: &[&[Page]], meta: &Meta, fonts: &FontSet, tuning: Tuning, extras: &Extras) -> Result<Vec<u8>, Error> {
    // The characters each face must carry.
    let mut used = subset::used_chars(parts.iter().flat_map(|pages| pages.iter()));
    if tuning == Tuning::Batch {
        for i in [face_index(true, false), face_index(false, true)] {
            if !used[i].is_empty() {
                used[i].extend(vietnamese_letters());
            }
        }
    }
    let mut pdf = PdfDocument::new(&meta.title);
    let mut ids: Vec<Option<FontId>> = vec![None; 4];
    let mut names: Vec<(String, String)> = Vec::new(); // (resource id, "TAG+PostScriptName")
    for (i, chars) in used.iter().enumerate() {
        if chars.is_empty() {
            continue;
        }
        let face = &fonts.faces()[i];
        let sub = subset_cached(face, chars)?;
        // Fixed resource names (printpdf would draw random ones).
        let id = FontId(format!("F{i}"));
        pdf.resources.fonts.map.insert(id.clone(), printpdf::PdfFont::new(sub.parsed.clone()));
        names.push((id.0.clone(), format!("{}+{}", sub.tag, face.postscript_name)));
        ids[i] = Some(id);
    }

    let mut out_pages = Vec::with_capacity(parts.iter().map(|p| p.len()).sum());
    for pages in parts {
        for (pi, page) in pages.iter().enumerate() {
            out_pages.push(page_ops(pi, page, &ids));
        }
    }
    pdf.metadata.info.document_title = meta.title.clone();
    pdf.metadata.info.author = meta.author.clone();
    pdf.metadata.info.subject = meta.subject.clone();
    pdf.metadata.info.creator = format!("kehoach {}", env!("CARGO_PKG_VERSION"));
    pdf.metadata.info.producer = "kehoach (printpdf)".into();
    let pdf = pdf.with_pages(out_pages);

    let opts = PdfSaveOptions { optimize: true, subset_fonts: false, secure: true, image_optimization: None };
    let mut warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&opts, &mut warnings);
    finish(&mut lo, &names, if tuning == Tuning::Batch { 2 } else { 6 }, extras, meta)?;
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes).map_err(|e| Error::internal("ghi tệp PDF trong bộ nhớ", e))?;
    Ok(bytes)
}

/// The drawing operations of one page (`index`: its place in its own document, for mirrored margins).
fn page_ops(index: usize, page: &Page, ids: &[Option<FontId>]) -> PdfPage {
    let setup = &page.setup;
    let h = setup.height as f64;
    let left = layout::left_margin(setup, index);
    let mut ops = Vec::new();
    let mut lines_ops = Vec::new();
    ops.push(Op::StartTextSection);
    // The font in use: set again only when it changes (it holds for the whole text section).
    let mut current: Option<(usize, u32)> = None;
    for it in &page.items {
        match it {
            Item::Text { x, baseline, span, space_extra } => {
                let face = face_index(span.bold, span.italic);
                let Some(id) = &ids[face] else { continue };
                let size = span.size as f32 / 2.0;
                if current != Some((face, span.size)) {
                    ops.push(Op::SetFont { font: PdfFontHandle::External(id.clone()), size: Pt(size) });
                    current = Some((face, span.size));
                }
                ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(pt(left + x), pt(h - baseline)) });
                ops.push(Op::ShowText { items: text_items(&span.text, *space_extra, size) });
            }
            Item::Line { x1, y1, x2, y2, width } => {
                lines_ops.push(Op::SetOutlineThickness { pt: pt(*width) });
                lines_ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![
                            LinePoint { p: Point { x: pt(left + x1), y: pt(h - y1) }, bezier: false },
                            LinePoint { p: Point { x: pt(left + x2), y: pt(h - y2) }, bezier: false },
                        ],
                        is_closed: false,
                    },
                });
            }
        }
    }
    ops.push(Op::EndTextSection);
    ops.extend(lines_ops);
    let mm = |tw: i32| Mm(tw as f32 * 25.4 / 1440.0);
    PdfPage::new(mm(setup.width), mm(setup.height), ops)
}

/// Deflates every stream not yet filtered. (lopdf's own `compress` uses the slowest level; level 6
/// gives nearly the same size in a fraction of the time.) The font programs repeat from one plan to
/// the next (see [`subset_cached`]), so their compressed bytes are kept for reuse, looked up by
/// their content.
fn compress(lo: &mut lopdf::Document, level: u32) {
    /// (length, hash) of a font program → (the program, its compressed bytes if smaller).
    type Deflated = Cache<(usize, u64), (Vec<u8>, Option<Vec<u8>>)>;
    static DEFLATED: Deflated = Cache::new();
    for obj in lo.objects.values_mut() {
        if let lopdf::Object::Stream(s) = obj {
            if s.dict.get(b"Filter").is_ok() || s.content.len() < 64 || super::pdfa::is_metadata(s) {
                continue;
            }
            let reused = s.dict.get(b"Length1").is_ok();
            let z = if reused {
                let key = (s.content.len(), fnv(&s.content, 7));
                let entry = DEFLATED.get_or_make::<()>(key, || Ok((s.content.clone(), deflate(&s.content, 6))));
                // The same hash and length: the same content, checked to the byte all the same.
                match entry {
                    Ok(e) if e.0 == s.content => e.1.clone(),
                    _ => deflate(&s.content, 6),
                }
            } else {
                deflate(&s.content, level)
            };
            if let Some(z) = z {
                s.dict.set("Filter", "FlateDecode");
                s.set_content(z);
            }
        }
    }
}

/// `data` deflated at `level` (2 or 6; zlib format), if that makes it smaller. Each thread keeps
/// its compressors: setting one up costs more than compressing a small stream.
fn deflate(data: &[u8], level: u32) -> Option<Vec<u8>> {
    use flate2::{Compress, Compression, FlushCompress, Status};
    thread_local! {
        static Z2: std::cell::RefCell<Compress> = std::cell::RefCell::new(Compress::new(Compression::new(2), true));
        static Z6: std::cell::RefCell<Compress> = std::cell::RefCell::new(Compress::new(Compression::new(6), true));
    }
    let z = if level == 2 { &Z2 } else { &Z6 };
    z.with(|z| {
        let mut z = z.borrow_mut();
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

/// The text of a span, with each space widened by `extra` twips (TJ offsets: Tw does nothing with
/// two-byte font encodings).
fn text_items(text: &str, extra: f64, size: f32) -> Vec<TextItem> {
    if extra.abs() < 0.001 || !text.contains(' ') {
        return vec![TextItem::Text(text.to_string())];
    }
    let offset = -((extra / 20.0) as f32) * 1000.0 / size;
    let mut items = Vec::new();
    let mut parts = text.split(' ').peekable();
    while let Some(part) = parts.next() {
        if parts.peek().is_some() {
            items.push(TextItem::Text(format!("{part} ")));
            items.push(TextItem::Offset(offset));
        } else if !part.is_empty() {
            items.push(TextItem::Text(part.to_string()));
        }
    }
    items
}

/// Names the subset fonts as subsets (`ABCDEF+LiberationSerif`: allsorts drops the name table, so
/// printpdf names them after their resource ids), drops printpdf's PDF/X claim (the file makes no
/// such promise) and its 1970 creation and modification dates, adds the `extras`, compresses the
/// streams, and gives the file content-derived IDs.
fn finish(lo: &mut lopdf::Document, names: &[(String, String)], level: u32, extras: &Extras, meta: &Meta) -> Result<(), Error> {
    use lopdf::Object;
    for (_, obj) in lo.objects.iter_mut() {
        if let Object::Dictionary(d) = obj {
            for key in [b"BaseFont".as_slice(), b"FontName".as_slice()] {
                let renamed = match d.get(key) {
                    Ok(Object::Name(n)) => names.iter().find(|(id, _)| id.as_bytes() == n.as_slice()).map(|(_, full)| full.clone()),
                    _ => None,
                };
                if let Some(full) = renamed {
                    d.set(key, Object::Name(full.into_bytes()));
                }
            }
            d.remove(b"GTS_PDFXVersion");
            d.remove(b"GTS_PDFXConformance");
            d.remove(b"OutputIntents");
            // printpdf dates every file 1 January 1970; a date is optional in the information
            // dictionary, and a wrong one is worse than none (the plan's own date is printed on it).
            d.remove(b"CreationDate");
            d.remove(b"ModDate");
        }
    }
    lo.prune_objects();
    if let Some(r) = &extras.field {
        super::sign::add_field(lo, r).map_err(|e| Error::internal("thêm ô chữ ký vào PDF", e))?;
    }
    if extras.pdfa {
        super::pdfa::apply(lo, document_date(meta)).map_err(|e| Error::internal("ghi PDF/A", e))?;
    }
    compress(lo, level);
    set_id(lo);
    Ok(())
}

/// Gives the file IDs derived from its content: the streams (page contents and fonts) determine
/// everything else.
fn set_id(lo: &mut lopdf::Document) {
    use lopdf::Object;
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
