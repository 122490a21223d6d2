//! Writing laid-out pages as a PDF with printpdf.
//!
//! Three things printpdf 0.12 does not do without its heavy `text_layout` feature, done here through
//! its public API: fonts are subset before they are handed to it (allsorts, the subsetter printpdf
//! itself uses), the subset fonts get the `ABCDEF+` tag that says so, and the document's IDs are
//! derived from its content rather than drawn at random, so the same plan gives the same bytes.

use super::layout::{self, Item, Page};
use crate::document::Document;
use crate::error::Error;
use crate::fonts::{FontFace, FontSet};
use printpdf::{
    FontId, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt,
    TextItem, TextMatrix,
};
use std::collections::BTreeSet;

fn pt(twips: f64) -> Pt {
    Pt((twips / 20.0) as f32)
}

/// FNV-1a: a small, stable hash for the IDs and subset tags.
fn fnv(data: &[u8], seed: u64) -> u64 {
    let mut h = 0xcbf29ce484222325u64 ^ seed;
    for b in data {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

fn face_index(bold: bool, italic: bool) -> usize {
    bold as usize + 2 * italic as usize
}

/// A face reduced to the characters the document uses.
struct Subset {
    bytes: Vec<u8>,
    tag: String,
}

fn subset(face: &FontFace, chars: &BTreeSet<char>) -> Result<Subset, Error> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{CmapTarget, SubsetProfile};
    let fail = |e: &dyn std::fmt::Display| Error::io("(phông chữ PDF)", format!("không rút gọn được phông {}: {e}", face.postscript_name));
    let mut gids: BTreeSet<u16> = BTreeSet::from([0]);
    gids.extend(chars.iter().filter_map(|c| face.glyph(*c)));
    let gids: Vec<u16> = gids.into_iter().collect();
    let data = ReadScope::new(face.bytes).read::<FontData>().map_err(|e| fail(&e))?;
    let provider = data.table_provider(0).map_err(|e| fail(&e))?;
    let bytes = allsorts::subset::subset(&provider, &gids, &SubsetProfile::Pdf, CmapTarget::Unicode).map_err(|e| fail(&e))?;
    let h = fnv(&bytes, 0);
    let tag: String = (0..6).map(|i| (b'A' + ((h >> (i * 5)) % 26) as u8) as char).collect();
    Ok(Subset { bytes, tag })
}

pub fn write(doc: &Document, pages: &[Page], fonts: &FontSet) -> Result<Vec<u8>, Error> {
    // The characters each face must carry.
    let mut used: [BTreeSet<char>; 4] = Default::default();
    for page in pages {
        for it in &page.items {
            if let Item::Text { span, .. } = it {
                used[face_index(span.bold, span.italic)].extend(span.text.chars());
            }
        }
    }
    let mut pdf = PdfDocument::new(&doc.meta.title);
    let mut ids: Vec<Option<FontId>> = vec![None; 4];
    let mut names: Vec<(String, String)> = Vec::new(); // (resource id, "TAG+PostScriptName")
    for (i, chars) in used.iter().enumerate() {
        if chars.is_empty() {
            continue;
        }
        let face = &fonts.faces()[i];
        let sub = subset(face, chars)?;
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(&sub.bytes, 0, &mut warnings)
            .ok_or_else(|| Error::io("(phông chữ PDF)", format!("printpdf không đọc được phông {}", face.postscript_name)))?;
        // Fixed resource names (printpdf would draw random ones).
        let id = FontId(format!("F{i}"));
        pdf.resources.fonts.map.insert(id.clone(), printpdf::PdfFont::new(parsed));
        names.push((id.0.clone(), format!("{}+{}", sub.tag, face.postscript_name)));
        ids[i] = Some(id);
    }

    let mut out_pages = Vec::with_capacity(pages.len());
    for (pi, page) in pages.iter().enumerate() {
        let h = page.setup.height as f64;
        let left = layout::left_margin(&page.setup, pi);
        let mut ops = Vec::new();
        let mut lines_ops = Vec::new();
        ops.push(Op::StartTextSection);
        for it in &page.items {
            match it {
                Item::Text { x, baseline, span, space_extra } => {
                    let Some(id) = &ids[face_index(span.bold, span.italic)] else { continue };
                    let size = span.size as f32 / 2.0;
                    ops.push(Op::SetFont { font: PdfFontHandle::External(id.clone()), size: Pt(size) });
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
        out_pages.push(PdfPage::new(mm(page.setup.width), mm(page.setup.height), ops));
    }
    pdf.metadata.info.document_title = doc.meta.title.clone();
    pdf.metadata.info.author = doc.meta.author.clone();
    pdf.metadata.info.subject = doc.meta.subject.clone();
    pdf.metadata.info.creator = format!("kehoach {}", env!("CARGO_PKG_VERSION"));
    pdf.metadata.info.producer = "kehoach (printpdf)".into();
    let pdf = pdf.with_pages(out_pages);

    let opts = PdfSaveOptions { optimize: true, subset_fonts: false, secure: true, image_optimization: None };
    let mut warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&opts, &mut warnings);
    finish(&mut lo, &names);
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes).map_err(|e| Error::io("(PDF trong bộ nhớ)", e))?;
    Ok(bytes)
}

/// Deflates every stream not yet filtered. (lopdf's own `compress` uses the slowest level; level 6
/// gives nearly the same size in a fraction of the time.)
fn compress(lo: &mut lopdf::Document) {
    use flate2::{Compression, write::ZlibEncoder};
    use std::io::Write;
    for obj in lo.objects.values_mut() {
        if let lopdf::Object::Stream(s) = obj {
            if s.dict.get(b"Filter").is_ok() || s.content.len() < 64 {
                continue;
            }
            let mut enc = ZlibEncoder::new(Vec::with_capacity(s.content.len() / 2), Compression::new(6));
            if enc.write_all(&s.content).is_ok() {
                if let Ok(z) = enc.finish() {
                    if z.len() < s.content.len() {
                        s.dict.set("Filter", "FlateDecode");
                        s.set_content(z);
                    }
                }
            }
        }
    }
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
/// such promise), compresses the streams, and gives the file content-derived IDs.
fn finish(lo: &mut lopdf::Document, names: &[(String, String)]) {
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
        }
    }
    lo.prune_objects();
    compress(lo);
    // IDs from the content: the streams (page contents and fonts) determine everything else.
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
