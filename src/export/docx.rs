//! The DOCX writer: the format-neutral [`Document`] → a WordprocessingML package.
//!
//! The parts are written here directly rather than through docx-rs. docx-rs 0.4.22 writes the
//! children of `rPr`, `pPr` and `sectPr` out of the schema's order (Microsoft's Open XML validator
//! rejects that, and Word silently drops such properties), and it cannot write `tblHeader`,
//! `mirrorMargins` or the title and author in `docProps/core.xml`. Fixing that after the fact means
//! parsing and re-ordering every part it writes; writing the nine small parts we need, in schema
//! order, is less code and keeps the output exactly under our control. Every element below is
//! written in the order of its `xsd:sequence` (ECMA-376, transitional).

use crate::document::*;
use crate::error::Error;
use crate::fonts::FontSet;
use crate::layout::paginate::{self, BraceSpan};
use std::fmt::Write as _;

const FONT: &str = "Times New Roman";
const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
/// The namespaces of a drawn shape (the brace of a nơi nhận group), declared on the document as
/// Word declares them.
const SHAPE_NS: &str = concat!(
    " xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"",
    " xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"",
    " xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"",
    " xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\""
);

/// Writes `doc` as a DOCX file in memory; `fonts` measure what a drawn shape must span (the
/// brace of a nơi nhận group is as long as its names, as on the PDF pages).
pub fn write(doc: &Document, fonts: &FontSet) -> Result<Vec<u8>, Error> {
    let mut body = String::with_capacity(64 * 1024);
    let w = Writer { doc, fonts, shapes: std::cell::Cell::new(0) };
    let last = doc.sections.len().saturating_sub(1);
    for (i, section) in doc.sections.iter().enumerate() {
        w.blocks(&section.blocks, section.page.text_width(), &mut body);
        if i < last {
            // A section's properties close it, in its last paragraph.
            w.section_break(section, &mut body);
        } else {
            // A last, one-point paragraph: Word needs the body to end with a paragraph, and a
            // normal-sized one after the signature table could spill onto an empty page.
            body.push_str(&tiny_paragraph());
            w.sect_pr(section, &mut body);
        }
    }
    let numbers = doc.sections.first().map(|s| s.page_numbers.style);

    let document = format!(
        "{}<w:document xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\"{SHAPE_NS}><w:body>{body}</w:body></w:document>",
        XML_DECL
    );
    let parts: Vec<(&str, String)> = vec![
        ("[Content_Types].xml", content_types()),
        ("_rels/.rels", root_rels()),
        ("docProps/core.xml", core_props(&doc.meta)),
        ("docProps/app.xml", app_props()),
        ("word/_rels/document.xml.rels", document_rels()),
        ("word/document.xml", document),
        ("word/styles.xml", styles_part(&doc.styles)),
        ("word/settings.xml", settings(doc.sections.iter().any(|s| s.page.mirror))),
        ("word/fontTable.xml", font_table()),
        ("word/header1.xml", page_number_header(numbers.map(|id| (doc.styles.name(id), doc.styles.get(id))))),
        ("word/header2.xml", empty_header()),
    ];
    zip_parts(&parts)
}

const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// The parts as a ZIP package, written here rather than with the zip crate: a DOCX is a dozen small
/// entries, and the zip crate set up a new compressor for each (a third of the DOCX's time in a
/// callgrind profile, 2.7 of 7.1 million instructions). Here one raw-deflate compressor per thread
/// is reused (deflating at level 2), and the package is the plainest ZIP there is: no extra fields, no data descriptors,
/// every entry dated 1980-01-01 so the same input gives the same bytes. Parts under 1 KB are
/// stored (compressing them saves a few hundred bytes per file).
fn zip_parts(parts: &[(&str, String)]) -> Result<Vec<u8>, Error> {
    use flate2::{Compress, Compression, FlushCompress, Status};
    thread_local! {
        // Level 2 (zlib-rs's fast strategy): level 6 (medium) was 2.8 of the 17.8 million
        // instructions a batch unit took, for parts about 6 % smaller.
        static Z: std::cell::RefCell<Compress> = std::cell::RefCell::new(Compress::new(Compression::new(2), false));
    }
    let fail = |e: &dyn std::fmt::Display| Error::internal("ghi tệp DOCX trong bộ nhớ", e);
    let total: usize = parts.iter().map(|(n, c)| n.len() + c.len() / 3 + 128).sum();
    let mut out = Vec::with_capacity(total);
    let mut central = Vec::with_capacity(parts.len() * 64);
    // 1980-01-01 00:00 in MS-DOS form.
    const DATE: u16 = (1 << 5) | 1;
    for (name, content) in parts {
        let data = content.as_bytes();
        let crc = crc32fast::hash(data);
        let offset = out.len();
        let stored = data.len() < 1024;
        let method: u16 = if stored { 0 } else { 8 };
        let header = |out: &mut Vec<u8>, size: usize| {
            out.extend_from_slice(&0x04034b50u32.to_le_bytes());
            out.extend_from_slice(&20u16.to_le_bytes()); // version needed: 2.0
            out.extend_from_slice(&0u16.to_le_bytes()); // flags
            out.extend_from_slice(&method.to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes()); // time
            out.extend_from_slice(&DATE.to_le_bytes());
            out.extend_from_slice(&crc.to_le_bytes());
            out.extend_from_slice(&(size as u32).to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes()); // extra field length
            out.extend_from_slice(name.as_bytes());
        };
        // The header is written with a placeholder size, mended once the data is compressed.
        header(&mut out, 0);
        let start = out.len();
        if stored {
            out.extend_from_slice(data);
        } else {
            Z.with(|z| -> Result<(), Error> {
                let mut z = z.borrow_mut();
                z.reset();
                out.reserve(data.len() / 3 + 64);
                loop {
                    let read = z.total_in() as usize;
                    let status = z.compress_vec(&data[read..], &mut out, FlushCompress::Finish).map_err(|e| fail(&e))?;
                    if status == Status::StreamEnd {
                        return Ok(());
                    }
                    out.reserve(out.capacity().max(4096));
                }
            })?;
        }
        let size = out.len() - start;
        out[offset + 18..offset + 22].copy_from_slice(&(size as u32).to_le_bytes());
        central.extend_from_slice(&0x02014b50u32.to_le_bytes());
        central.extend_from_slice(&0x0314u16.to_le_bytes()); // made by: Unix, 2.0
        central.extend_from_slice(&out[offset + 4..offset + 28]); // version needed .. name length
        central.extend_from_slice(&0u16.to_le_bytes()); // extra field length
        central.extend_from_slice(&0u16.to_le_bytes()); // comment length
        central.extend_from_slice(&0u16.to_le_bytes()); // disk
        central.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
        central.extend_from_slice(&(0o100644u32 << 16).to_le_bytes()); // a regular file, rw-r--r--
        central.extend_from_slice(&(offset as u32).to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let at = out.len();
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x06054b50u32.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes()); // this disk, the central directory's disk
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&(at as u32).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // comment length
    Ok(out)
}

fn esc(s: &str, out: &mut String) {
    crate::compose::inline::escape_into(s, out)
}

struct Writer<'a> {
    doc: &'a Document,
    fonts: &'a FontSet,
    /// Shapes written so far (each needs its own `wp:docPr` id).
    shapes: std::cell::Cell<u32>,
}

impl Writer<'_> {
    fn blocks(&self, blocks: &[Block], avail: i32, out: &mut String) {
        let mut prev_table = false;
        for b in blocks {
            match b {
                Block::Paragraph(p) => {
                    self.paragraph(p, out);
                    prev_table = false;
                }
                Block::Rule(r) => {
                    rule(r, avail, out);
                    prev_table = false;
                }
                Block::Table(t) => {
                    // Two tables in a row would merge into one in Word.
                    if prev_table {
                        out.push_str(&tiny_paragraph());
                    }
                    self.table(t, out);
                    prev_table = true;
                }
            }
        }
    }

    fn table(&self, t: &Table, out: &mut String) {
        let total: i32 = t.widths.iter().sum();
        let margin = if t.borders { BORDERED_CELL_MARGIN } else { 0 };
        out.push_str("<w:tbl><w:tblPr>");
        let _ = write!(out, "<w:tblW w:w=\"{total}\" w:type=\"dxa\"/>");
        let _ = write!(out, "<w:tblInd w:w=\"{}\" w:type=\"dxa\"/>", t.indent);
        let (val, sz) = if t.borders { ("single", 4) } else { ("nil", 0) };
        out.push_str("<w:tblBorders>");
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            if t.borders {
                let _ = write!(out, "<w:{side} w:val=\"{val}\" w:sz=\"{sz}\" w:space=\"0\" w:color=\"000000\"/>");
            } else {
                let _ = write!(out, "<w:{side} w:val=\"nil\"/>");
            }
        }
        out.push_str("</w:tblBorders><w:tblLayout w:type=\"fixed\"/>");
        let _ = write!(
            out,
            "<w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"{margin}\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"{margin}\" w:type=\"dxa\"/></w:tblCellMar>"
        );
        out.push_str("</w:tblPr><w:tblGrid>");
        for w in &t.widths {
            let _ = write!(out, "<w:gridCol w:w=\"{w}\"/>");
        }
        out.push_str("</w:tblGrid>");
        let braces = paginate::braces(t, &self.doc.styles, self.fonts);
        for (ri, row) in t.rows.iter().enumerate() {
            out.push_str("<w:tr>");
            if row.cant_split || row.header {
                out.push_str("<w:trPr>");
                if row.cant_split {
                    out.push_str("<w:cantSplit/>");
                }
                if row.header {
                    out.push_str("<w:tblHeader/>");
                }
                out.push_str("</w:trPr>");
            }
            for (i, cell) in row.cells.iter().enumerate() {
                let w = t.widths[i];
                out.push_str("<w:tc><w:tcPr>");
                let _ = write!(out, "<w:tcW w:w=\"{w}\" w:type=\"dxa\"/>");
                match cell.v_merge {
                    VMerge::Restart => out.push_str("<w:vMerge w:val=\"restart\"/>"),
                    VMerge::Continue => out.push_str("<w:vMerge/>"),
                    VMerge::None => {}
                }
                match cell.v_align {
                    VAlign::Center => out.push_str("<w:vAlign w:val=\"center\"/>"),
                    VAlign::Bottom => out.push_str("<w:vAlign w:val=\"bottom\"/>"),
                    VAlign::Top => {}
                }
                out.push_str("</w:tcPr>");
                match (braces.iter().find(|b| b.row == ri && b.col == i), cell.blocks.split_first()) {
                    // The brace is anchored in the first paragraph of the group's first name.
                    (Some(b), Some((Block::Paragraph(p), rest))) => {
                        let shape = self.brace(b, w - 2 * margin);
                        self.paragraph_with(p, &shape, out);
                        self.blocks(rest, w - 2 * margin, out);
                    }
                    _ => self.blocks(&cell.blocks, w - 2 * margin, out),
                }
                // A cell must end with a paragraph.
                if !matches!(cell.blocks.last(), Some(Block::Paragraph(_)) | Some(Block::Rule(_))) {
                    out.push_str(&tiny_paragraph());
                }
                out.push_str("</w:tc>");
            }
            out.push_str("</w:tr>");
        }
        out.push_str("</w:tbl>");
    }

    /// A one-point paragraph that ends `section`.
    fn section_break(&self, section: &Section, out: &mut String) {
        out.push_str("<w:p><w:pPr><w:pStyle w:val=\"normal\"/>");
        spacing(0, 0, LineSpacing::Exact(20), out);
        // pPr ends with rPr, then sectPr (schema order).
        run_props(2, false, false, false, out);
        self.sect_pr(section, out);
        out.push_str("</w:pPr></w:p>");
    }

    /// Section properties, children in schema order. A section that hides the number of its first
    /// page points that page at the empty header; a restart sets the first number.
    fn sect_pr(&self, section: &Section, out: &mut String) {
        let p = section.page;
        let numbers = section.page_numbers;
        out.push_str("<w:sectPr>");
        out.push_str("<w:headerReference w:type=\"default\" r:id=\"rIdHeaderDefault\"/>");
        if numbers.hide_first {
            out.push_str("<w:headerReference w:type=\"first\" r:id=\"rIdHeaderFirst\"/>");
        }
        let orient = if section.landscape { " w:orient=\"landscape\"" } else { "" };
        let _ = write!(out, "<w:pgSz w:w=\"{}\" w:h=\"{}\"{orient}/>", p.width, p.height);
        let _ = write!(
            out,
            "<w:pgMar w:top=\"{}\" w:right=\"{}\" w:bottom=\"{}\" w:left=\"{}\" w:header=\"{}\" w:footer=\"{}\" w:gutter=\"0\"/>",
            p.top, p.right, p.bottom, p.left, p.header, p.footer
        );
        if let Some(start) = numbers.restart {
            let _ = write!(out, "<w:pgNumType w:start=\"{start}\"/>");
        }
        out.push_str("<w:cols w:space=\"720\"/>");
        if numbers.hide_first {
            out.push_str("<w:titlePg/>");
        }
        out.push_str("<w:docGrid w:linePitch=\"360\"/></w:sectPr>");
    }
}

fn jc(a: Align) -> &'static str {
    match a {
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
        Align::Both => "both",
    }
}

fn spacing(before: i32, after: i32, line: LineSpacing, out: &mut String) {
    let (l, rule) = match line {
        LineSpacing::Auto(v) => (v, "auto"),
        LineSpacing::Exact(v) => (v, "exact"),
    };
    let _ = write!(out, "<w:spacing w:before=\"{before}\" w:after=\"{after}\" w:line=\"{l}\" w:lineRule=\"{rule}\"/>");
}

fn indent(left: i32, right: i32, first: i32, out: &mut String) {
    let _ = write!(out, "<w:ind w:left=\"{left}\" w:right=\"{right}\"");
    if first >= 0 {
        let _ = write!(out, " w:firstLine=\"{first}\"/>");
    } else {
        let _ = write!(out, " w:hanging=\"{}\"/>", -first);
    }
}

/// `rPr` in schema order: rFonts, b, bCs, i, iCs, sz, szCs, u.
fn run_props(size: u32, bold: bool, italic: bool, underline: bool, out: &mut String) {
    out.push_str("<w:rPr>");
    let _ = write!(out, "<w:rFonts w:ascii=\"{FONT}\" w:hAnsi=\"{FONT}\" w:eastAsia=\"{FONT}\" w:cs=\"{FONT}\"/>");
    if bold {
        out.push_str("<w:b/><w:bCs/>");
    }
    if italic {
        out.push_str("<w:i/><w:iCs/>");
    }
    let _ = write!(out, "<w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/>");
    if underline {
        out.push_str("<w:u w:val=\"single\"/>");
    }
    out.push_str("</w:rPr>");
}

/// Paragraph properties (shared by `document.xml` and the style definitions).
fn para_props(p: &ParaFormat, out: &mut String) {
    if p.keep_next {
        out.push_str("<w:keepNext/>");
    }
    if p.keep_lines {
        out.push_str("<w:keepLines/>");
    }
    if p.boxed {
        out.push_str("<w:pBdr>");
        for side in ["top", "left", "bottom", "right"] {
            let _ = write!(out, "<w:{side} w:val=\"single\" w:sz=\"{BOX_BORDER}\" w:space=\"{BOX_SPACE_PT}\" w:color=\"000000\"/>");
        }
        out.push_str("</w:pBdr>");
    }
    spacing(p.before, p.after, p.line, out);
    indent(p.indent_left, p.indent_right, p.first_line, out);
    let _ = write!(out, "<w:jc w:val=\"{}\"/>", jc(p.align));
}

impl Writer<'_> {
    /// A paragraph: its style, and its properties written out in full as well (direct
    /// formatting), so that it looks the same in every reader whatever the reader makes of styles.
    fn paragraph(&self, p: &Paragraph, out: &mut String) {
        self.paragraph_with(p, "", out)
    }

    /// A paragraph with `anchored` (a run holding a drawn shape) before its text.
    fn paragraph_with(&self, p: &Paragraph, anchored: &str, out: &mut String) {
        let styles = &self.doc.styles;
        out.push_str("<w:p><w:pPr>");
        let _ = write!(out, "<w:pStyle w:val=\"{}\"/>", styles.name(p.style));
        para_props(&self.doc.format(p), out);
        // The paragraph mark carries the paragraph's size, so an empty paragraph has the right height.
        let size = p
            .runs
            .iter()
            .find_map(|r| if let Run::Text(t) = r { Some(t.size) } else { None })
            .unwrap_or(styles.get(p.style).run.size);
        run_props(size, false, false, false, out);
        out.push_str("</w:pPr>");
        if !anchored.is_empty() {
            out.push_str("<w:r>");
            run_props(size, false, false, false, out);
            out.push_str(anchored);
            out.push_str("</w:r>");
        }
        runs(&p.runs, size, out);
        out.push_str("</w:p>");
    }

    /// The brace of a nơi nhận group as Word's own "Right Brace" shape (what staff insert from
    /// Insert → Shapes), floating over the cell (`layoutInCell`, no wrapping, so it moves no text)
    /// at the right of the names, `b.height` tall: the content of a run, in `mc:AlternateContent`
    /// as Word writes a shape (readers without the 2010 shape namespace skip it).
    fn brace(&self, b: &BraceSpan, text_width: i32) -> String {
        const EMU: f64 = 635.0; // per twip
        let id = self.shapes.get() + 1;
        self.shapes.set(id);
        let x = ((text_width - BRACE_ROOM) as f64 + paginate::BRACE_GAP) * EMU;
        let (cx, cy) = (paginate::BRACE_WIDTH * EMU, b.height * EMU);
        let (x, cx, cy) = (x.round() as i64, cx.round() as i64, cy.round() as i64);
        format!(
            "<mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing>\
<wp:anchor distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\" simplePos=\"0\" relativeHeight=\"{id}\" behindDoc=\"0\" locked=\"0\" layoutInCell=\"1\" allowOverlap=\"1\">\
<wp:simplePos x=\"0\" y=\"0\"/>\
<wp:positionH relativeFrom=\"column\"><wp:posOffset>{x}</wp:posOffset></wp:positionH>\
<wp:positionV relativeFrom=\"paragraph\"><wp:posOffset>0</wp:posOffset></wp:positionV>\
<wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/><wp:wrapNone/>\
<wp:docPr id=\"{id}\" name=\"Right Brace {id}\"/><wp:cNvGraphicFramePr/>\
<a:graphic><a:graphicData uri=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\"><wps:wsp><wps:cNvSpPr/>\
<wps:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm>\
<a:prstGeom prst=\"rightBrace\"><a:avLst/></a:prstGeom><a:noFill/>\
<a:ln w=\"{line}\"><a:solidFill><a:srgbClr val=\"000000\"/></a:solidFill></a:ln></wps:spPr>\
<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice></mc:AlternateContent>",
            line = (paginate::BRACE_LINE * EMU).round() as i64,
        )
    }
}

fn runs(runs: &[Run], size: u32, out: &mut String) {
    let mut last = (size, false, false, false);
    for r in runs {
        match r {
            Run::Text(t) => {
                last = (t.size, t.bold, t.italic, t.underline);
                out.push_str("<w:r>");
                run_props(t.size, t.bold, t.italic, t.underline, out);
                out.push_str("<w:t xml:space=\"preserve\">");
                esc(&t.text, out);
                out.push_str("</w:t></w:r>");
            }
            Run::Break => {
                out.push_str("<w:r>");
                run_props(last.0, last.1, last.2, last.3, out);
                out.push_str("<w:br/></w:r>");
            }
        }
    }
}

/// A rule is an empty one-point paragraph whose bottom border, narrowed by equal indents, is the
/// line. (A top border lands on the descenders of the line above in LibreOffice; a bottom border
/// sits `gap` + 1 pt below the previous line's box in both Word and LibreOffice.)
fn rule(r: &Rule, avail: i32, out: &mut String) {
    let side = ((avail - r.length) / 2).max(0);
    out.push_str("<w:p><w:pPr><w:pStyle w:val=\"normal\"/>");
    if r.keep_next {
        out.push_str("<w:keepNext/>");
    }
    let _ = write!(
        out,
        "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"{}\" w:space=\"0\" w:color=\"000000\"/></w:pBdr>",
        r.thickness
    );
    spacing(r.gap, 0, LineSpacing::Exact(20), out);
    indent(side, side, 0, out);
    out.push_str("<w:jc w:val=\"center\"/>");
    run_props(2, false, false, false, out);
    out.push_str("</w:pPr></w:p>");
}

fn tiny_paragraph() -> String {
    let mut out = String::from("<w:p><w:pPr><w:pStyle w:val=\"normal\"/>");
    spacing(0, 0, LineSpacing::Exact(TABLE_SEPARATOR), &mut out);
    run_props(2, false, false, false, &mut out);
    out.push_str("</w:pPr></w:p>");
    out
}

fn content_types() -> String {
    let mut s = String::from(XML_DECL);
    s.push_str("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">");
    s.push_str("<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>");
    s.push_str("<Default Extension=\"xml\" ContentType=\"application/xml\"/>");
    let wml = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    for (part, ty) in [
        ("/word/document.xml", format!("{wml}.document.main+xml")),
        ("/word/styles.xml", format!("{wml}.styles+xml")),
        ("/word/settings.xml", format!("{wml}.settings+xml")),
        ("/word/fontTable.xml", format!("{wml}.fontTable+xml")),
        ("/word/header1.xml", format!("{wml}.header+xml")),
        ("/word/header2.xml", format!("{wml}.header+xml")),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml".into()),
        ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml".into()),
    ] {
        let _ = write!(s, "<Override PartName=\"{part}\" ContentType=\"{ty}\"/>");
    }
    s.push_str("</Types>");
    s
}

fn rels(items: &[(&str, &str, &str)]) -> String {
    let mut s = String::from(XML_DECL);
    s.push_str("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
    for (id, ty, target) in items {
        let _ = write!(s, "<Relationship Id=\"{id}\" Type=\"{ty}\" Target=\"{target}\"/>");
    }
    s.push_str("</Relationships>");
    s
}

fn root_rels() -> String {
    rels(&[
        ("rId1", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument", "word/document.xml"),
        ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties", "docProps/core.xml"),
        ("rId3", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties", "docProps/app.xml"),
    ])
}

fn document_rels() -> String {
    let base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    rels(&[
        ("rIdStyles", &format!("{base}/styles"), "styles.xml"),
        ("rIdSettings", &format!("{base}/settings"), "settings.xml"),
        ("rIdFontTable", &format!("{base}/fontTable"), "fontTable.xml"),
        ("rIdHeaderDefault", &format!("{base}/header"), "header1.xml"),
        ("rIdHeaderFirst", &format!("{base}/header"), "header2.xml"),
    ])
}

fn core_props(m: &Meta) -> String {
    let mut s = String::from(XML_DECL);
    s.push_str("<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">");
    s.push_str("<dc:title>");
    esc(&m.title, &mut s);
    s.push_str("</dc:title><dc:subject>");
    esc(&m.subject, &mut s);
    s.push_str("</dc:subject><dc:creator>");
    esc(&m.author, &mut s);
    s.push_str("</dc:creator><dc:language>vi-VN</dc:language></cp:coreProperties>");
    s
}

fn app_props() -> String {
    format!(
        "{XML_DECL}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>kehoach {}</Application></Properties>",
        env!("CARGO_PKG_VERSION")
    )
}

/// The style sheet as Word styles ("KH body", "KH muc" …), in name order, each with its paragraph
/// and character properties; "normal" is always there (the one-point paragraphs use it).
fn styles_part(sheet: &StyleSheet) -> String {
    let mut s = String::from(XML_DECL);
    let _ = write!(s, "<w:styles xmlns:w=\"{W_NS}\">");
    s.push_str("<w:docDefaults><w:rPrDefault><w:rPr>");
    let _ = write!(s, "<w:rFonts w:ascii=\"{FONT}\" w:hAnsi=\"{FONT}\" w:eastAsia=\"{FONT}\" w:cs=\"{FONT}\"/>");
    s.push_str("<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/><w:lang w:val=\"vi-VN\" w:eastAsia=\"vi-VN\" w:bidi=\"ar-SA\"/>");
    s.push_str("</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl/>");
    spacing(0, 0, LineSpacing::Auto(240), &mut s);
    s.push_str("</w:pPr></w:pPrDefault></w:docDefaults>");
    s.push_str("<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>");
    s.push_str("<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/><w:unhideWhenUsed/></w:style>");
    s.push_str("<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>");
    let mut styles: Vec<(&str, Option<&Style>)> = sheet.iter().map(|(_, n, st)| (n, Some(st))).collect();
    styles.sort_by_key(|(n, _)| *n);
    if sheet.find("normal").is_none() {
        styles.push(("normal", None));
    }
    for (name, style) in styles {
        let _ = write!(s, "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"{name}\"><w:name w:val=\"KH {name}\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>");
        if let Some(st) = style {
            s.push_str("<w:pPr>");
            para_props(&st.para, &mut s);
            s.push_str("</w:pPr>");
            let r = st.run;
            run_props(r.size, r.bold, r.italic, r.underline, &mut s);
        }
        s.push_str("</w:style>");
    }
    s.push_str("</w:styles>");
    s
}

fn settings(mirror: bool) -> String {
    let mut s = String::from(XML_DECL);
    let _ = write!(s, "<w:settings xmlns:w=\"{W_NS}\"><w:zoom w:percent=\"100\"/>");
    if mirror {
        s.push_str("<w:mirrorMargins/>");
    }
    s.push_str("<w:defaultTabStop w:val=\"720\"/><w:characterSpacingControl w:val=\"doNotCompress\"/>");
    s.push_str("<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>");
    s.push_str("</w:settings>");
    s
}

fn font_table() -> String {
    format!(
        "{XML_DECL}<w:fonts xmlns:w=\"{W_NS}\"><w:font w:name=\"{FONT}\"><w:panose1 w:val=\"02020603050405020304\"/><w:charset w:val=\"00\"/><w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/></w:font></w:fonts>"
    )
}

/// The header of the numbered pages: the PAGE field, centred, in the page-number style.
fn page_number_header(style: Option<(&str, &Style)>) -> String {
    let mut s = String::from(XML_DECL);
    let _ = write!(s, "<w:hdr xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\"><w:p><w:pPr>");
    if let Some((name, _)) = style {
        let _ = write!(s, "<w:pStyle w:val=\"{name}\"/>");
    }
    spacing(0, 0, LineSpacing::Auto(240), &mut s);
    s.push_str("<w:jc w:val=\"center\"/></w:pPr>");
    let size = style.map_or(28, |(_, st)| st.run.size);
    let run = |inner: &str, s: &mut String| {
        s.push_str("<w:r>");
        run_props(size, false, false, false, s);
        s.push_str(inner);
        s.push_str("</w:r>");
    };
    run("<w:fldChar w:fldCharType=\"begin\"/>", &mut s);
    run("<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>", &mut s);
    run("<w:fldChar w:fldCharType=\"separate\"/>", &mut s);
    run("<w:t>2</w:t>", &mut s);
    run("<w:fldChar w:fldCharType=\"end\"/>", &mut s);
    s.push_str("</w:p></w:hdr>");
    s
}

/// Page 1 has no number (`titlePg` points it at this empty header).
fn empty_header() -> String {
    format!("{XML_DECL}<w:hdr xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\"><w:p/></w:hdr>")
}
