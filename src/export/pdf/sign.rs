//! Where a signing tool, and the văn thư, put things on our PDF (`--sign-boxes`): the signature
//! area between the signer's chức vụ and họ tên, the seal over its left third, and the số and the
//! date on page 1.
//!
//! ND 30 Phụ lục I (the-thuc.md §3.1 rows 7c and 8, §3.5) puts the signature image "centred between
//! chức vụ and họ tên" and the seal image "covering about 1/3 of the signature image on the left";
//! a document issued electronically gets its số and ngày from the văn thư after signing, so a draft
//! without them leaves blanks there (§5.2). Nothing here is re-derived from the regime: the boxes
//! come from where the layout placed the paragraphs of those styles ([`Page::placed`]) and from the
//! text it drew there, measured with the fonts the PDF embeds.
//!
//! The file, in PDF points with the origin at the bottom left of the page (as a PDF `/Rect`); here
//! for `tests/fixtures/du-thao-day-du.json`, a draft without số, dated by its year:
//!
//! ```json
//! {
//!   "don_vi": "pt",
//!   "goc_toa_do": "duoi_trai",
//!   "trang": [{ "trang": 1, "rong": 595.3, "cao": 841.9 }, { "trang": 2, "rong": 841.9, "cao": 595.3 }, …],
//!   "chu_ky": { "trang": 3, "x0": 354.84, "y0": 614.0, "x1": 495.61, "y1": 698.0 },
//!   "con_dau": { "trang": 3, "x0": 354.84, "y0": 614.0, "x1": 401.76, "y1": 698.0 },
//!   "so": { "trang": 1, "x0": 141.76, "y0": 704.99, "x1": 164.51, "y1": 719.38, "trong": true, "van_ban": "",
//!           "cho_trong": [{ "phan": "so", "x0": 141.76, "y0": 704.99, "x1": 164.51, "y1": 719.38 }] },
//!   "ngay": { "trang": 1, "x0": 356.97, "y0": 703.87, "x1": 520.68, "y1": 719.38, "trong": true,
//!             "van_ban": "ngày       tháng       năm 2026",
//!             "cho_trong": [{ "phan": "ngay", "x0": 384.18, "y0": 703.87, "x1": 408.68, "y1": 719.38 },
//!                           { "phan": "thang", "x0": 440.57, "y0": 703.87, "x1": 465.07, "y1": 719.38 }] },
//!   "truong_chu_ky": "chu_ky"
//! }
//! ```
//!
//! `chu_ky`: from the bottom of the last line above the họ tên (the chức vụ, or the quyền hạn when
//! there is no chức vụ) to the top of the họ tên line, as wide as the widest line of the signer's
//! block (quyền hạn, chức vụ, họ tên), which the layout centres in the signature column. `con_dau`:
//! the left third of `chu_ky`, the part the seal covers. `so`: where the number is printed, or the
//! blank left for it (between "Số:" and "/KH-…"); `ngay`: the date ("ngày … tháng … năm …") after
//! the place name. `trong` is true when something is still to be filled in, and `cho_trong` lists
//! the blanks (`phan`: `so`, `ngay`, `thang`, `nam`); for a plan with its số and full date, `trong`
//! is false, `cho_trong` is empty and the box is that of the printed text (`van_ban`).
//! `truong_chu_ky`: the name of the empty signature field over `chu_ky` when the PDF has one
//! (`--signature-field`), else null.

use crate::document::Document;
use crate::error::Error;
use crate::fonts::FontSet;
use crate::layout::{self, Item, Page, Placed};
use serde::Serialize;

/// The name of the empty signature field (`--signature-field`).
pub const FIELD_NAME: &str = "chu_ky";

/// A rectangle on a page, in PDF points from the bottom left corner.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Rect {
    /// The page, from 1.
    pub trang: usize,
    /// Left edge.
    pub x0: f64,
    /// Bottom edge.
    pub y0: f64,
    /// Right edge.
    pub x1: f64,
    /// Top edge.
    pub y1: f64,
}

/// The size of a page, in points.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PageSize {
    /// The page, from 1.
    pub trang: usize,
    /// Width.
    pub rong: f64,
    /// Height.
    pub cao: f64,
}

/// A blank to fill in: which part and where (on the page of its [`Slot`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Blank {
    /// `so`, `ngay`, `thang` or `nam`.
    pub phan: &'static str,
    /// Left edge.
    pub x0: f64,
    /// Bottom edge.
    pub y0: f64,
    /// Right edge.
    pub x1: f64,
    /// Top edge.
    pub y1: f64,
}

/// The số or the date on page 1: where it is, whether it is still blank, and the blanks.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Slot {
    /// Where the number (or the date) is printed, or left blank.
    #[serde(flatten)]
    pub khung: Rect,
    /// Something is still to be filled in.
    pub trong: bool,
    /// What is printed there ("06"; "ngày 20 tháng 01 năm 2022"; "" for a blank number).
    pub van_ban: String,
    /// The blanks, empty when nothing is to be filled in.
    pub cho_trong: Vec<Blank>,
}

/// The boxes of `--sign-boxes` (see the module's documentation for the file).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SignBoxes {
    /// Always "pt".
    pub don_vi: &'static str,
    /// Always "duoi_trai": the origin is the bottom left corner of the page, y upwards.
    pub goc_toa_do: &'static str,
    /// Every page's size.
    pub trang: Vec<PageSize>,
    /// The signature area, between the chức vụ and the họ tên.
    pub chu_ky: Rect,
    /// The seal area: the left third of the signature area.
    pub con_dau: Rect,
    /// The số on page 1.
    pub so: Slot,
    /// The date on page 1.
    pub ngay: Slot,
    /// The signature field over `chu_ky`, when the PDF has one.
    pub truong_chu_ky: Option<&'static str>,
}

impl SignBoxes {
    /// The file `--sign-boxes` writes: pretty-printed JSON, ending with a newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("plain data serialises");
        s.push('\n');
        s
    }
}

/// Points, to the hundredth (finer than any signing tool places things).
fn pts(twips: f64) -> f64 {
    (twips / 20.0 * 100.0).round() / 100.0
}

/// One drawn character of a paragraph: its left and right edges, and its line's baseline and size.
#[derive(Clone, Copy)]
struct Glyph {
    c: char,
    x0: f64,
    x1: f64,
    baseline: f64,
    size: u32,
    bold: bool,
    italic: bool,
}

/// A paragraph as the layout drew it on one page.
struct Drawn<'a> {
    page: usize,
    placed: &'a Placed,
    glyphs: Vec<Glyph>,
}

impl Drawn<'_> {
    fn text(&self) -> String {
        self.glyphs.iter().map(|g| g.c).collect()
    }
    fn text_left(&self) -> f64 {
        self.glyphs.iter().filter(|g| g.c != ' ').map(|g| g.x0).fold(f64::INFINITY, f64::min)
    }
    fn text_right(&self) -> f64 {
        self.glyphs.iter().filter(|g| g.c != ' ').map(|g| g.x1).fold(f64::NEG_INFINITY, f64::max)
    }
}

/// Every paragraph of style `name`, in order, with the characters drawn inside its box.
fn drawn<'a>(doc: &Document, pages: &'a [Page], fonts: &FontSet, name: &str) -> Vec<Drawn<'a>> {
    let Some(style) = doc.styles.find(name) else { return Vec::new() };
    let mut out = Vec::new();
    for (pi, page) in pages.iter().enumerate() {
        for placed in page.placed.iter().filter(|p| p.style == style) {
            let mut glyphs = Vec::new();
            for it in &page.items {
                let Item::Text { x, baseline, span, space_extra } = it else { continue };
                let inside = *baseline >= placed.top - 0.5
                    && *baseline <= placed.bottom + 0.5
                    && *x >= placed.left - 0.5
                    && *x <= placed.right + 0.5;
                if !inside {
                    continue;
                }
                let face = fonts.face(span.bold, span.italic);
                let mut cx = *x;
                for c in span.text.chars() {
                    let mut w = face.units_to_twips(face.advance(c) as f64, span.size);
                    if c == ' ' {
                        w += space_extra;
                    }
                    glyphs.push(Glyph { c, x0: cx, x1: cx + w, baseline: *baseline, size: span.size, bold: span.bold, italic: span.italic });
                    cx += w;
                }
            }
            out.push(Drawn { page: pi, placed, glyphs });
        }
    }
    out
}

/// Converts layout coordinates on page `pi` (twips; x from the text area's left edge, y from the
/// top) to a PDF rectangle.
fn rect(pages: &[Page], pi: usize, left: f64, top: f64, right: f64, bottom: f64) -> Rect {
    let setup = &pages[pi].setup;
    let m = layout::left_margin(setup, pi);
    let h = setup.height as f64;
    Rect { trang: pi + 1, x0: pts(m + left), y0: pts(h - bottom), x1: pts(m + right), y1: pts(h - top) }
}

/// The box of characters `from..to` of a paragraph's glyphs: their horizontal extent, and their
/// line's ascent and descent (the font's own).
fn glyph_box(pages: &[Page], d: &Drawn, fonts: &FontSet, from: usize, to: usize) -> Rect {
    let gs = &d.glyphs[from..to];
    let left = gs.iter().map(|g| g.x0).fold(f64::INFINITY, f64::min);
    let right = gs.iter().map(|g| g.x1).fold(f64::NEG_INFINITY, f64::max);
    let (mut top, mut bottom) = (f64::INFINITY, f64::NEG_INFINITY);
    for g in gs {
        let face = fonts.face(g.bold, g.italic);
        top = top.min(g.baseline - face.units_to_twips(face.ascender as f64, g.size));
        bottom = bottom.max(g.baseline + face.units_to_twips(face.descender as f64, g.size));
    }
    rect(pages, d.page, left, top, right, bottom)
}

/// A run of `[from, to)` in a paragraph's characters.
type Span = (usize, usize);

/// Where the number is in the số line ("Số: 06/KH-UBND", "Số 75-KH/ĐU", "Số:      /KH-UBND"): the
/// characters after "Số" (and its colon and one space) up to the first "/" or "-" that follows;
/// for a blank number, every space there.
fn number_span(chars: &[char]) -> Option<(Span, bool)> {
    let text: String = chars.iter().collect();
    let start = text.find("Số").map(|b| text[..b].chars().count() + 2)?;
    let mut i = start;
    if chars.get(i) == Some(&':') {
        i += 1;
    }
    let sep = (i..chars.len()).find(|&k| chars[k] == '/' || chars[k] == '-')?;
    let inner = &chars[i..sep];
    if inner.iter().all(|c| *c == ' ') {
        return (sep > i).then_some(((i, sep), true));
    }
    let a = i + inner.iter().position(|c| *c != ' ')?;
    let b = i + inner.iter().rposition(|c| *c != ' ')? + 1;
    Some(((a, b), false))
}

/// The date in the date line ("Châu Thành, ngày 20 tháng 01 năm 2022"): from "ngày" to the end,
/// and each part left blank: the spaces after "ngày", "tháng" or "năm" when no digit follows.
fn date_spans(chars: &[char]) -> Option<(Span, Vec<(&'static str, Span)>)> {
    let find = |word: &str, from: usize| -> Option<usize> {
        let w: Vec<char> = word.chars().collect();
        (from..chars.len().saturating_sub(w.len() - 1)).find(|&k| chars[k..k + w.len()] == w[..])
    };
    let ngay = find("ngày", 0)?;
    let thang = find("tháng", ngay)?;
    let nam = find("năm", thang)?;
    let mut blanks = Vec::new();
    for (part, word_end, next) in [("ngay", ngay + 4, thang), ("thang", thang + 5, nam), ("nam", nam + 3, chars.len())] {
        let gap = &chars[word_end..next];
        // An empty gap at the end: the layout does not draw a line's trailing spaces, so the blank
        // year of an undated draft ends the line right after "năm" (see `slot`).
        if !gap.iter().any(|c| c.is_ascii_digit()) && (!gap.is_empty() || next == chars.len()) {
            blanks.push((part, (word_end, next)));
        }
    }
    Some(((ngay, chars.len()), blanks))
}

fn slot(pages: &[Page], d: &Drawn, fonts: &FontSet, span: Span, blanks: Vec<(&'static str, Span)>) -> Slot {
    let chars: Vec<char> = d.glyphs.iter().map(|g| g.c).collect();
    let khung = glyph_box(pages, d, fonts, span.0, span.1);
    let mut cho_trong: Vec<Blank> = Vec::new();
    for (phan, (a, b)) in blanks {
        if a < b {
            let r = glyph_box(pages, d, fonts, a, b);
            cho_trong.push(Blank { phan, x0: r.x0, y0: r.y0, x1: r.x1, y1: r.y1 });
        } else if a > 0 {
            // Nothing drawn (a trailing blank): the blank starts a space after the last character
            // and is as wide as the blank before it (the view writes every blank alike).
            let last = glyph_box(pages, d, fonts, a - 1, a);
            let g = d.glyphs[a - 1];
            let face = fonts.face(g.bold, g.italic);
            let space = pts(face.units_to_twips(face.advance(' ') as f64, g.size));
            let width = cho_trong.last().map_or(4.0 * space, |p| p.x1 - p.x0);
            let x0 = last.x1 + space;
            cho_trong.push(Blank { phan, x0, y0: last.y0, x1: ((x0 + width) * 100.0).round() / 100.0, y1: last.y1 });
        }
    }
    let mut khung = khung;
    for b in &cho_trong {
        khung.x1 = khung.x1.max(b.x1);
    }
    let van_ban: String = chars[span.0..span.1].iter().collect();
    Slot { khung, trong: !cho_trong.is_empty(), van_ban: if van_ban.trim().is_empty() { String::new() } else { van_ban }, cho_trong }
}

fn missing(what: &str, style: &str) -> Error {
    Error::input(format!(
        "không tính được vị trí ký (--sign-boxes, --signature-field): văn bản không có {what} (đoạn kiểu `{style}`); mẫu riêng (--template) phải giữ đoạn này"
    ))
}

/// The boxes of the laid-out `pages` of `doc`.
pub fn sign_boxes(doc: &Document, pages: &[Page], fonts: &FontSet) -> Result<SignBoxes, Error> {
    // The signature: between the last line above the họ tên and the họ tên.
    let ho_ten = drawn(doc, pages, fonts, "ho_ten");
    let name = ho_ten.last().ok_or_else(|| missing("họ tên người ký", "ho_ten"))?;
    let column = |d: &Drawn| d.page == name.page && d.placed.right > name.placed.left && d.placed.left < name.placed.right;
    let above: Vec<Drawn> = ["quyen_han", "chuc_vu"]
        .iter()
        .flat_map(|s| drawn(doc, pages, fonts, s))
        .filter(|d| column(d) && d.placed.bottom <= name.placed.top + 0.5)
        .collect();
    let top = above.iter().map(|d| d.placed.bottom).fold(pages[name.page].setup.top as f64, f64::max);
    let bottom = name.placed.top;
    if bottom - top < 20.0 {
        return Err(Error::input(
            "không tính được vị trí ký (--sign-boxes, --signature-field): mẫu đang dùng không để khoảng trống để ký giữa chức vụ và họ tên người ký",
        ));
    }
    let block = above.iter().chain(std::iter::once(name)).filter(|d| !d.glyphs.is_empty());
    let (mut left, mut right) = (f64::INFINITY, f64::NEG_INFINITY);
    for d in block {
        left = left.min(d.text_left());
        right = right.max(d.text_right());
    }
    if !left.is_finite() {
        (left, right) = (name.placed.left, name.placed.right);
    }
    let chu_ky = rect(pages, name.page, left, top, right, bottom);
    let con_dau = Rect { x1: ((chu_ky.x0 + (chu_ky.x1 - chu_ky.x0) / 3.0) * 100.0).round() / 100.0, ..chu_ky };

    // The số and the date: their first paragraphs (page 1).
    let so_line = drawn(doc, pages, fonts, "so_ky_hieu");
    let so_line = so_line.first().ok_or_else(|| missing("số, ký hiệu", "so_ky_hieu"))?;
    let chars: Vec<char> = so_line.glyphs.iter().map(|g| g.c).collect();
    let (span, blank) = number_span(&chars).ok_or_else(|| missing("số văn bản dạng “Số: …/…”", "so_ky_hieu"))?;
    let so = slot(pages, so_line, fonts, span, if blank { vec![("so", span)] } else { vec![] });

    let date_line = drawn(doc, pages, fonts, "dia_danh_ngay");
    let date_line = date_line.first().ok_or_else(|| missing("địa danh, ngày tháng", "dia_danh_ngay"))?;
    let chars: Vec<char> = date_line.glyphs.iter().map(|g| g.c).collect();
    let (span, blanks) =
        date_spans(&chars).ok_or_else(|| missing(&format!("ngày tháng dạng “ngày … tháng … năm …” (có “{}”)", date_line.text()), "dia_danh_ngay"))?;
    let ngay = slot(pages, date_line, fonts, span, blanks);

    let trang = pages
        .iter()
        .enumerate()
        .map(|(i, p)| PageSize { trang: i + 1, rong: pts(p.setup.width as f64), cao: pts(p.setup.height as f64) })
        .collect();
    Ok(SignBoxes { don_vi: "pt", goc_toa_do: "duoi_trai", trang, chu_ky, con_dau, so, ngay, truong_chu_ky: None })
}

/// Adds an empty signature field over `r` to `lo` (`--signature-field`): an AcroForm whose
/// `/SigFlags` says the document has a signature field, and one field that is its own widget
/// (`/FT /Sig`, no value: unsigned), on `r`'s page, printable (PDF/A requires the Print flag).
///
/// Its normal appearance (`/AP /N`) is an empty form XObject the size of the field: the area stays
/// blank on screen and on paper, as ND 30 wants the space between chức vụ and họ tên before
/// signing, and a draft printed for a handwritten signature shows no box. Viewers mark unsigned
/// signature fields themselves (a tag or a highlight, not printed), and a signing tool replaces the
/// appearance with the signature image. A widget needs an appearance stream all the same: PDF/A
/// requires one, and viewers that draw only what is there would otherwise have nothing to draw.
pub fn add_field(lo: &mut lopdf::Document, r: &Rect) -> Result<(), String> {
    use lopdf::{Dictionary, Object, Stream, StringFormat};
    let page = *lo.get_pages().get(&(r.trang as u32)).ok_or_else(|| format!("page {} missing", r.trang))?;
    let (w, h) = ((r.x1 - r.x0) as f32, (r.y1 - r.y0) as f32);
    let ap = Stream::new(
        Dictionary::from_iter([
            ("Type", Object::from("XObject")),
            ("Subtype", Object::from("Form")),
            ("BBox", Object::Array(vec![0.into(), 0.into(), w.into(), h.into()])),
            ("Resources", Object::Dictionary(Dictionary::new())),
        ]),
        Vec::new(),
    );
    let ap = lo.add_object(ap);
    let tooltip: Vec<u8> = [0xfe, 0xff].into_iter().chain("Chữ ký của người ký".encode_utf16().flat_map(u16::to_be_bytes)).collect();
    let field = Dictionary::from_iter([
        ("Type", Object::from("Annot")),
        ("Subtype", Object::from("Widget")),
        ("FT", Object::from("Sig")),
        ("T", Object::string_literal(FIELD_NAME)),
        ("TU", Object::String(tooltip, StringFormat::Hexadecimal)),
        ("F", Object::Integer(4)),
        ("Rect", Object::Array(vec![(r.x0 as f32).into(), (r.y0 as f32).into(), (r.x1 as f32).into(), (r.y1 as f32).into()])),
        ("P", Object::Reference(page)),
        ("AP", Object::Dictionary(Dictionary::from_iter([("N", Object::Reference(ap))]))),
    ]);
    let field = lo.add_object(field);
    let page_dict = lo.get_dictionary_mut(page).map_err(|e| e.to_string())?;
    match page_dict.get_mut(b"Annots") {
        Ok(Object::Array(a)) => a.push(Object::Reference(field)),
        _ => page_dict.set("Annots", Object::Array(vec![Object::Reference(field)])),
    }
    let form = Dictionary::from_iter([("Fields", Object::Array(vec![Object::Reference(field)])), ("SigFlags", Object::Integer(1))]);
    lo.catalog_mut().map_err(|e| e.to_string())?.set("AcroForm", Object::Dictionary(form));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn the_number_or_its_blank() {
        let c = chars("Số: 06/KH-UBND");
        assert_eq!(number_span(&c), Some(((4, 6), false)));
        let c = chars("Số 75-KH/ĐU");
        assert_eq!(number_span(&c), Some(((3, 5), false)));
        let c = chars("Số:        /KH-SNV");
        assert_eq!(number_span(&c), Some(((3, 11), true)));
        let c = chars("Số     -KH/ĐU");
        assert_eq!(number_span(&c), Some(((2, 7), true)));
        assert_eq!(number_span(&chars("KH-UBND")), None);
    }

    #[test]
    fn the_date_and_its_blanks() {
        let c = chars("Châu Thành, ngày 20 tháng 01 năm 2022");
        let (span, blanks) = date_spans(&c).unwrap();
        assert_eq!(c[span.0..span.1].iter().collect::<String>(), "ngày 20 tháng 01 năm 2022");
        assert!(blanks.is_empty());
        let c = chars("An Giang, ngày      tháng      năm 2026");
        let (span, blanks) = date_spans(&c).unwrap();
        assert_eq!(c[span.0..span.1].iter().collect::<String>(), "ngày      tháng      năm 2026");
        let parts: Vec<&str> = blanks.iter().map(|b| b.0).collect();
        assert_eq!(parts, ["ngay", "thang"]);
        for (_, (a, b)) in blanks {
            assert!(c[a..b].iter().all(|c| *c == ' ') && b - a >= 5);
        }
        let c = chars("Hà Nội, ngày      tháng      năm      ");
        let (span, blanks) = date_spans(&c).unwrap();
        assert_eq!(span.1, c.len());
        assert_eq!(blanks.iter().map(|b| b.0).collect::<Vec<_>>(), ["ngay", "thang", "nam"]);
        // As drawn: the line's trailing spaces are not.
        let c = chars("Hà Nội, ngày      tháng      năm");
        let (_, blanks) = date_spans(&c).unwrap();
        assert_eq!(blanks.last(), Some(&("nam", (c.len(), c.len()))));
    }
}
