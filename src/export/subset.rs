//! Font subsets, shared by the page exporters (PDF, SVG): which characters each face of the
//! document font must carry, and that face reduced to them with allsorts. The PDF writer embeds
//! the subset as a CID font; the SVG writer embeds it as a web font.

use crate::error::Error;
use crate::fonts::FontFace;
use crate::layout::{Item, Page};
use std::collections::BTreeSet;

/// FNV-1a: a small, stable hash for the PDF's IDs and the subset tags.
pub(crate) fn fnv(data: &[u8], seed: u64) -> u64 {
    let mut h = 0xcbf29ce484222325u64 ^ seed;
    for b in data {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// The place of a face in [`crate::fonts::FontSet::faces`]: regular, bold, italic, bold italic.
pub(crate) fn face_index(bold: bool, italic: bool) -> usize {
    bold as usize + 2 * italic as usize
}

/// The characters each face must carry to draw `pages`.
pub(crate) fn used_chars<'a>(pages: impl IntoIterator<Item = &'a Page>) -> [BTreeSet<char>; 4] {
    // Marked in a bitmap per face first (a plan's thousands of characters are a hundred or so
    // distinct ones; inserting each into the set was 7 % of a batch's time in perf), for the
    // characters below U+2100 (Latin with all Vietnamese letters, general punctuation); the rare
    // others go straight into the set.
    const BELOW: usize = 0x2100;
    let mut bits = [[0u64; BELOW / 64]; 4];
    let mut used: [BTreeSet<char>; 4] = Default::default();
    for page in pages {
        for it in &page.items {
            if let Item::Text { span, .. } = it {
                let face = face_index(span.bold, span.italic);
                for c in span.text.chars() {
                    let n = c as usize;
                    if n < BELOW {
                        bits[face][n / 64] |= 1 << (n % 64);
                    } else {
                        used[face].insert(c);
                    }
                }
            }
        }
    }
    for (face, words) in bits.iter().enumerate() {
        for (w, &word) in words.iter().enumerate() {
            let mut word = word;
            while word != 0 {
                let bit = word.trailing_zeros() as usize;
                word &= word - 1;
                used[face].extend(char::from_u32((w * 64 + bit) as u32));
            }
        }
    }
    used
}

/// What a subset is for, which decides the tables it keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// The glyphs (their hinting instructions stripped, [`strip_hinting`]), their metrics and a
    /// Unicode cmap: no hinting programs, no name table.
    Pdf,
    /// The same tables and an OS/2 table, without which browsers (Chromium's font sanitizer)
    /// refuse a web font.
    Web,
}

impl Target {
    fn what(self) -> &'static str {
        match self {
            Target::Pdf => "PDF",
            Target::Web => "SVG",
        }
    }
}

/// `face` reduced to the glyphs of `chars` (and the missing-glyph box), as a TrueType font.
pub(crate) fn subset(face: &FontFace, chars: &BTreeSet<char>, target: Target) -> Result<Vec<u8>, Error> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{CmapTarget, SubsetProfile};
    use allsorts::tag;
    let fail = |e: &dyn std::fmt::Display| Error::internal(format!("rút gọn phông {} cho {}", face.postscript_name, target.what()), e);
    let mut gids: BTreeSet<u16> = BTreeSet::from([0]);
    gids.extend(chars.iter().filter_map(|c| face.glyph(*c)));
    let gids: Vec<u16> = gids.into_iter().collect();
    // allsorts reads every glyph of the font to subset it (half of a render process's subsetting
    // in perf): it is given the font with the other glyphs emptied, which gives the same subset.
    let pruned = prune(face.bytes, &gids);
    let data = ReadScope::new(pruned.as_deref().unwrap_or(face.bytes)).read::<FontData>().map_err(|e| fail(&e))?;
    let provider = data.table_provider(0).map_err(|e| fail(&e))?;
    let profile = match target {
        Target::Pdf => SubsetProfile::Custom(vec![tag::CMAP, tag::HEAD, tag::HHEA, tag::HMTX, tag::MAXP, tag::POST]),
        Target::Web => SubsetProfile::Custom(vec![
            tag::CMAP,
            tag::HEAD,
            tag::CVT,
            tag::FPGM,
            tag::HHEA,
            tag::HMTX,
            tag::MAXP,
            tag::NAME,
            tag::OS_2,
            tag::POST,
            tag::PREP,
        ]),
    };
    let font = allsorts::subset::subset(&provider, &gids, &profile, CmapTarget::Unicode).map_err(|e| fail(&e))?;
    match target {
        Target::Pdf => strip_hinting(&font).ok_or_else(|| fail(&"glyf")),
        Target::Web => Ok(font),
    }
}

/// `font` (a TrueType font) without the glyphs' hinting instructions. Hinting (grid-fitting at small
/// pixel sizes) is for screens at low resolution; PDF viewers scale outlines without it (poppler,
/// pdf.js and MuPDF load glyphs unhinted), and the instructions were 25 of the 83 KB of font
/// programs in a three-page plan, the hinting programs (`fpgm`, `prep`, `cvt `, left out by the
/// subset's profile) 14 KB more. Hand-written: allsorts keeps the instructions, and no crate at
/// hand rewrites a glyf table. Simple glyphs lose their instruction bytes, composite glyphs their
/// WE_HAVE_INSTRUCTIONS part; loca is rewritten (long offsets), `maxp.maxSizeOfInstructions` set
/// to 0, and the table checksums and `head.checkSumAdjustment` recomputed. `None` if the font is
/// not laid out as expected.
pub(crate) fn strip_hinting(font: &[u8]) -> Option<Vec<u8>> {
    let u16_at = |b: &[u8], i: usize| b.get(i..i + 2).map(|x| u16::from_be_bytes([x[0], x[1]]));
    let u32_at = |b: &[u8], i: usize| b.get(i..i + 4).map(|x| u32::from_be_bytes([x[0], x[1], x[2], x[3]]));
    let n = u16_at(font, 4)? as usize;
    let mut tables: Vec<([u8; 4], Vec<u8>)> = Vec::with_capacity(n);
    for k in 0..n {
        let rec = 12 + 16 * k;
        let tag: [u8; 4] = font.get(rec..rec + 4)?.try_into().ok()?;
        let (off, len) = (u32_at(font, rec + 8)? as usize, u32_at(font, rec + 12)? as usize);
        tables.push((tag, font.get(off..off.checked_add(len)?)?.to_vec()));
    }
    let find = |t: &[u8; 4]| tables.iter().position(|(tag, _)| tag == t);
    let (head, loca, glyf, maxp) = (find(b"head")?, find(b"loca")?, find(b"glyf")?, find(b"maxp")?);
    let long = u16_at(&tables[head].1, 50)? == 1;
    let loca_bytes = &tables[loca].1;
    let count = if long { loca_bytes.len() / 4 } else { loca_bytes.len() / 2 };
    let offsets: Vec<usize> = (0..count)
        .map(|i| if long { u32_at(loca_bytes, 4 * i).map(|v| v as usize) } else { u16_at(loca_bytes, 2 * i).map(|v| 2 * v as usize) })
        .collect::<Option<_>>()?;
    let old = &tables[glyf].1;
    let mut new_glyf = Vec::with_capacity(old.len());
    let mut new_loca = Vec::with_capacity(count * 4);
    for w in offsets.windows(2) {
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        if w[1] <= w[0] {
            continue;
        }
        let g = old.get(w[0]..w[1])?;
        let contours = u16_at(g, 0)? as i16;
        if contours >= 0 {
            let at = 10 + 2 * contours as usize;
            let len = u16_at(g, at)? as usize;
            new_glyf.extend_from_slice(g.get(..at)?);
            new_glyf.extend_from_slice(&[0, 0]);
            new_glyf.extend_from_slice(g.get(at + 2 + len..)?);
        } else {
            // Components: flags, glyph index, arguments, transform; the last may be followed by
            // instructions.
            let mut at = 10;
            new_glyf.extend_from_slice(g.get(..10)?);
            loop {
                let flags = u16_at(g, at)?;
                let size = 4 + if flags & 0x0001 != 0 { 4 } else { 2 } + if flags & 0x0008 != 0 { 2 } else if flags & 0x0040 != 0 { 4 } else if flags & 0x0080 != 0 { 8 } else { 0 };
                let part = g.get(at..at + size)?;
                new_glyf.extend_from_slice(&(flags & !0x0100).to_be_bytes());
                new_glyf.extend_from_slice(&part[2..]);
                at += size;
                if flags & 0x0020 == 0 {
                    break;
                }
            }
        }
        while new_glyf.len() % 4 != 0 {
            new_glyf.push(0);
        }
    }
    new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
    tables[glyf].1 = new_glyf;
    tables[loca].1 = new_loca;
    tables[head].1.get_mut(50..52)?.copy_from_slice(&1u16.to_be_bytes());
    tables[head].1.get_mut(8..12)?.copy_from_slice(&[0; 4]);
    if tables[maxp].1.len() >= 32 {
        tables[maxp].1[26..28].copy_from_slice(&[0, 0]);
    }
    // The font again: the directory (tags in the order they came, sorted as allsorts wrote them),
    // each table on a 4-byte boundary.
    let checksum = |b: &[u8]| b.chunks(4).fold(0u32, |s, c| s.wrapping_add(u32::from_be_bytes([c[0], *c.get(1).unwrap_or(&0), *c.get(2).unwrap_or(&0), *c.get(3).unwrap_or(&0)])));
    let mut out = Vec::with_capacity(font.len());
    out.extend_from_slice(font.get(..12)?);
    let mut off = 12 + 16 * n;
    for (tag, data) in &tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(off as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        off += data.len().div_ceil(4) * 4;
    }
    let mut head_at = 0;
    for (tag, data) in &tables {
        if tag == b"head" {
            head_at = out.len();
        }
        out.extend_from_slice(data);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    let adjust = 0xB1B0AFBAu32.wrapping_sub(checksum(&out));
    out.get_mut(head_at + 8..head_at + 12)?.copy_from_slice(&adjust.to_be_bytes());
    Some(out)
}

/// `font` (a TrueType font) with every glyph but `keep` and the components of the composite ones
/// among them made empty: a copy whose `loca` (rewritten in its own format and place) points at
/// those glyphs, moved to the start of `glyf`. Hand-written for [`subset`]'s sake (see there);
/// the table checksums are left as they were, which allsorts does not read. `None` if the font is
/// not laid out as expected (then the font is subset as it is).
#[allow(clippy::needless_range_loop)] // g runs one past the glyphs: the last loca entry
fn prune(font: &[u8], keep: &[u16]) -> Option<Vec<u8>> {
    let u16_at = |b: &[u8], i: usize| b.get(i..i + 2).map(|x| u16::from_be_bytes([x[0], x[1]]));
    let u32_at = |b: &[u8], i: usize| b.get(i..i + 4).map(|x| u32::from_be_bytes([x[0], x[1], x[2], x[3]]) as usize);
    let table = |t: &[u8; 4]| -> Option<(usize, usize)> {
        let n = u16_at(font, 4)? as usize;
        (0..n).map(|k| 12 + 16 * k).find(|&rec| font.get(rec..rec + 4) == Some(&t[..])).and_then(|rec| Some((u32_at(font, rec + 8)?, u32_at(font, rec + 12)?)))
    };
    let ((head, _), (loca, loca_len), (glyf, glyf_len)) = (table(b"head")?, table(b"loca")?, table(b"glyf")?);
    let long = u16_at(font, head + 50)? == 1;
    let count = if long { loca_len / 4 } else { loca_len / 2 }.checked_sub(1)?;
    let offset = |g: usize| if long { u32_at(font, loca + 4 * g) } else { u16_at(font, loca + 2 * g).map(|v| 2 * v as usize) };
    let glyph = |g: usize| -> Option<&[u8]> {
        let (a, b) = (offset(g)?, offset(g + 1)?);
        if b < a || b > glyf_len { None } else { font.get(glyf + a..glyf + b) }
    };
    // The glyphs kept: `keep` and, through every level, the components of composite glyphs.
    let mut kept = vec![false; count];
    let mut todo: Vec<usize> = keep.iter().map(|&g| g as usize).filter(|&g| g < count).collect();
    while let Some(g) = todo.pop() {
        if std::mem::replace(&mut kept[g], true) {
            continue;
        }
        let data = glyph(g)?;
        if data.len() >= 10 && (u16_at(data, 0)? as i16) < 0 {
            let mut at = 10;
            loop {
                let (flags, component) = (u16_at(data, at)?, u16_at(data, at + 2)? as usize);
                if component < count && !kept[component] {
                    todo.push(component);
                }
                at += 4 + if flags & 0x0001 != 0 { 4 } else { 2 } + if flags & 0x0008 != 0 { 2 } else if flags & 0x0040 != 0 { 4 } else if flags & 0x0080 != 0 { 8 } else { 0 };
                if flags & 0x0020 == 0 {
                    break;
                }
            }
        }
    }
    let mut out = font.to_vec();
    let mut at = 0usize;
    for g in 0..=count {
        let v = if long { (at as u32).to_be_bytes().to_vec() } else { ((at / 2) as u16).to_be_bytes().to_vec() };
        out.get_mut(loca + v.len() * g..loca + v.len() * (g + 1))?.copy_from_slice(&v);
        if g < count && kept[g] {
            let data = glyph(g)?;
            out.get_mut(glyf + at..glyf + at + data.len())?.copy_from_slice(data);
            // Read from the font as it was; each keeps an even length for the short loca.
            at += data.len() + data.len() % 2;
        }
    }
    Some(out)
}

/// The six capital letters that name a subset (`ABCDEF+LiberationSerif`), derived from its bytes.
pub(crate) fn tag(bytes: &[u8]) -> String {
    let h = fnv(bytes, 0);
    (0..6).map(|i| (b'A' + ((h >> (i * 5)) % 26) as u8) as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_subsets_keep_every_outline_and_lose_the_hinting() {
        use ttf_parser::{Face, GlyphId, OutlineBuilder};
        struct Count(usize);
        impl OutlineBuilder for Count {
            fn move_to(&mut self, _: f32, _: f32) { self.0 += 1 }
            fn line_to(&mut self, _: f32, _: f32) { self.0 += 1 }
            fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) { self.0 += 1 }
            fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) { self.0 += 1 }
            fn close(&mut self) {}
        }
        // "Ệ" and "ỗ" are composite glyphs in Liberation Serif; "a" a simple one.
        let face = &crate::fonts::FontSet::bundled().faces()[0];
        let chars: BTreeSet<char> = "aỆỗ Đ".chars().collect();
        let web = subset(face, &chars, Target::Web).unwrap();
        let pdf = subset(face, &chars, Target::Pdf).unwrap();
        assert!(pdf.len() * 2 < web.len(), "{} against {}", pdf.len(), web.len());
        let (w, p) = (Face::parse(&web, 0).unwrap(), Face::parse(&pdf, 0).unwrap());
        assert_eq!(w.number_of_glyphs(), p.number_of_glyphs());
        let raw = p.raw_face();
        for t in [b"fpgm", b"prep", b"cvt ", b"name"] {
            assert!(raw.table(ttf_parser::Tag::from_bytes(t)).is_none());
        }
        for g in 0..p.number_of_glyphs() {
            let (mut a, mut b) = (Count(0), Count(0));
            let (ra, rb) = (w.outline_glyph(GlyphId(g), &mut a), p.outline_glyph(GlyphId(g), &mut b));
            assert_eq!((ra, a.0), (rb, b.0), "glyph {g}");
            assert_eq!(w.glyph_hor_advance(GlyphId(g)), p.glyph_hor_advance(GlyphId(g)));
        }
        // The checksums are right: the whole file sums to 0xB1B0AFBA.
        let sum = pdf.chunks(4).fold(0u32, |s, c| s.wrapping_add(u32::from_be_bytes(c.try_into().unwrap())));
        assert_eq!(sum, 0xB1B0AFBA);
    }
}
