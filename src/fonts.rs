//! The four faces of the document font: by default Liberation Serif 2 (shipped in `fonts/`, compiled
//! in; its advance widths and line metrics equal Times New Roman's), or the office's own Times New
//! Roman files (`--font-dir`). Both renderers measure text here, so DOCX and PDF break lines alike.

use crate::error::Error;
use std::path::Path;
use std::sync::OnceLock;
use ttf_parser::{Face, GlyphId};

pub static REGULAR: &[u8] = include_bytes!("../fonts/LiberationSerif-Regular.ttf");
pub static BOLD: &[u8] = include_bytes!("../fonts/LiberationSerif-Bold.ttf");
pub static ITALIC: &[u8] = include_bytes!("../fonts/LiberationSerif-Italic.ttf");
pub static BOLD_ITALIC: &[u8] = include_bytes!("../fonts/LiberationSerif-BoldItalic.ttf");

/// The largest font file read from `--font-dir` (Times New Roman's files are 0.8 to 1.2 MB; the
/// largest fonts with every script, some 25 MB).
pub const MAX_FONT_BYTES: usize = 32 * 1024 * 1024;

/// Characters below this code point have their advance cached in a table (Latin, Vietnamese,
/// general punctuation); others are looked up in the font each time.
const TABLE_END: usize = 0x2200;

/// The metrics of a bundled face, made by build.rs (see there).
pub(crate) struct BundledTables {
    units_per_em: u16,
    ascender: i32,
    descender: i32,
    line_gap: i32,
    notdef_advance: u16,
    postscript_name: &'static str,
    /// For each character below `TABLE_END`: advance (`u16::MAX`: not in the font), glyph id;
    /// little-endian.
    table: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/font_tables.rs"));

/// One face: its bytes, its parsed tables and the metrics layout needs.
pub struct FontFace {
    pub bytes: &'static [u8],
    /// Parsed on first use: the tables below answer for nearly every character.
    face: OnceLock<Option<Face<'static>>>,
    pub units_per_em: u16,
    /// hhea ascender, descender (as a positive number) and line gap, in font units.
    pub ascender: i32,
    pub descender: i32,
    pub line_gap: i32,
    /// PostScript name, for the PDF.
    pub postscript_name: String,
    /// Advances of the characters below `TABLE_END` (`u16::MAX`: not in the font).
    advances: Vec<u16>,
    /// Glyph ids of the characters below `TABLE_END`, for the lookups the checker, the layout
    /// and the PDF subsetter make for every character.
    glyphs: Vec<u16>,
    notdef_advance: u16,
}

impl FontFace {
    /// A bundled face, from the tables build.rs made.
    fn bundled(bytes: &'static [u8], t: &BundledTables) -> FontFace {
        let n = TABLE_END;
        let mut advances = Vec::with_capacity(n);
        let mut glyphs = Vec::with_capacity(n);
        for e in t.table.chunks_exact(4) {
            advances.push(u16::from_le_bytes([e[0], e[1]]));
            glyphs.push(u16::from_le_bytes([e[2], e[3]]));
        }
        assert_eq!(advances.len(), n, "build.rs and fonts.rs agree on TABLE_END");
        FontFace {
            bytes,
            face: OnceLock::new(),
            units_per_em: t.units_per_em,
            ascender: t.ascender,
            descender: t.descender,
            line_gap: t.line_gap,
            postscript_name: t.postscript_name.to_string(),
            advances,
            glyphs,
            notdef_advance: t.notdef_advance,
        }
    }

    /// A face read from a file (`--font-dir`): its tables made now.
    fn parse(bytes: &'static [u8]) -> Result<FontFace, String> {
        let face = Face::parse(bytes, 0).map_err(|e| format!("không đọc được phông chữ ({e})"))?;
        let notdef_advance = face.glyph_hor_advance(GlyphId(0)).unwrap_or(face.units_per_em() / 2);
        let mut advances = vec![u16::MAX; TABLE_END];
        let mut glyphs = vec![0u16; TABLE_END];
        for (cp, slot) in advances.iter_mut().enumerate() {
            if let Some(c) = char::from_u32(cp as u32) {
                if let Some(g) = face.glyph_index(c) {
                    *slot = face.glyph_hor_advance(g).unwrap_or(notdef_advance);
                    glyphs[cp] = g.0;
                }
            }
        }
        let postscript_name = face
            .names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .find_map(|n| n.to_string())
            .unwrap_or_else(|| "TimesNewRoman".into());
        Ok(FontFace {
            bytes,
            units_per_em: face.units_per_em(),
            ascender: face.ascender() as i32,
            descender: -(face.descender() as i32),
            line_gap: face.line_gap() as i32,
            postscript_name,
            face: OnceLock::from(Some(face)),
            advances,
            glyphs,
            notdef_advance,
        })
    }

    /// The parsed font, for characters beyond the tables.
    fn face(&self) -> Option<&Face<'static>> {
        self.face.get_or_init(|| Face::parse(self.bytes, 0).ok()).as_ref()
    }

    /// The advance of `c` in font units (the missing-glyph box's width if the font lacks it).
    pub fn advance(&self, c: char) -> u16 {
        let cp = c as usize;
        if cp < TABLE_END {
            let a = self.advances[cp];
            return if a == u16::MAX { self.notdef_advance } else { a };
        }
        self.face().and_then(|f| f.glyph_index(c).and_then(|g| f.glyph_hor_advance(g))).unwrap_or(self.notdef_advance)
    }

    pub fn glyph(&self, c: char) -> Option<u16> {
        let cp = c as usize;
        if cp < TABLE_END {
            return (self.advances[cp] != u16::MAX).then_some(self.glyphs[cp]);
        }
        self.face()?.glyph_index(c).map(|g| g.0)
    }

    #[cfg(test)]
    pub fn has_glyph(&self, c: char) -> bool {
        self.glyph(c).is_some()
    }

    /// Width of `text` in twips at `size` half-points.
    pub fn width(&self, text: &str, size: u32) -> f64 {
        let units: u64 = text.chars().map(|c| self.advance(c) as u64).sum();
        self.units_to_twips(units as f64, size)
    }

    /// Font units → twips at `size` half-points (size/2 pt × 20 twips = size × 10 twips per em).
    pub fn units_to_twips(&self, units: f64, size: u32) -> f64 {
        units / self.units_per_em as f64 * size as f64 * 10.0
    }
}

/// Regular, bold, italic and bold italic.
pub struct FontSet {
    faces: [FontFace; 4],
}

impl FontSet {
    /// The bundled Liberation Serif faces.
    pub fn bundled() -> &'static FontSet {
        static F: OnceLock<FontSet> = OnceLock::new();
        F.get_or_init(|| {
            let t = &BUNDLED_TABLES;
            let b = FontFace::bundled;
            FontSet { faces: [b(REGULAR, &t[0]), b(BOLD, &t[1]), b(ITALIC, &t[2]), b(BOLD_ITALIC, &t[3])] }
        })
    }

    /// The four Times New Roman faces found in `dir` (any .ttf or .otf files; the family and style
    /// are read from the fonts themselves). Each file is read whole only if it is a regular file of
    /// at most 32 MB (a symbolic link to a device is refused by name), one at a time;
    /// the bytes of the four faces kept live as long as the process (a renderer loads them once),
    /// the others are dropped.
    pub fn from_dir(dir: &Path) -> Result<FontSet, Error> {
        let err = |m: String| Error::io(dir.display(), m);
        let entries = std::fs::read_dir(dir).map_err(|e| err(crate::plan::load::vn_io(&e)))?;
        let mut paths: Vec<std::path::PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| matches!(p.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase()).as_deref(), Some("ttf") | Some("otf")))
            .collect();
        paths.sort();
        // (is Times New Roman, bytes) of the best face found for each style.
        let mut found: [Option<(bool, Vec<u8>)>; 4] = [None, None, None, None];
        for path in paths {
            let bytes = crate::input::read_file(&path, MAX_FONT_BYTES, "tệp phông")?;
            let Ok(face) = Face::parse(&bytes, 0) else { continue };
            let family = face
                .names()
                .into_iter()
                .filter(|n| n.name_id == ttf_parser::name_id::FAMILY)
                .find_map(|n| n.to_string())
                .unwrap_or_default();
            let is_tnr = family.eq_ignore_ascii_case("Times New Roman");
            let slot = face.is_bold() as usize + 2 * face.is_italic() as usize;
            // Prefer faces of the Times New Roman family over any other serif in the folder.
            if found[slot].as_ref().is_none_or(|(tnr, _)| !tnr && is_tnr) {
                found[slot] = Some((is_tnr, bytes));
            }
        }
        let names = ["thường", "đậm", "nghiêng", "đậm nghiêng"];
        let missing: Vec<&str> = (0..4).filter(|i| found[*i].is_none()).map(|i| names[i]).collect();
        if !missing.is_empty() {
            return Err(err(format!(
                "thư mục phông thiếu kiểu {} của Times New Roman (cần đủ 4 tệp: thường, đậm, nghiêng, đậm nghiêng)",
                missing.join(", ")
            )));
        }
        let parse = |f: Option<(bool, Vec<u8>)>| -> Result<FontFace, Error> {
            let bytes: &'static [u8] = Box::leak(f.expect("checked above").1.into_boxed_slice());
            FontFace::parse(bytes).map_err(err)
        };
        let [a, b, c, d] = found;
        Ok(FontSet { faces: [parse(a)?, parse(b)?, parse(c)?, parse(d)?] })
    }

    pub(crate) fn face(&self, bold: bool, italic: bool) -> &FontFace {
        &self.faces[bold as usize + 2 * italic as usize]
    }

    pub(crate) fn faces(&self) -> &[FontFace; 4] {
        &self.faces
    }

    /// Width of `text` in twips.
    pub fn text_width(&self, text: &str, size: u32, bold: bool, italic: bool) -> f64 {
        self.face(bold, italic).width(text, size)
    }
}

/// Width of `text` in twips with the bundled faces (the DOCX writer sizes its lines with this).
pub fn text_width(text: &str, size: u32, bold: bool, italic: bool) -> f64 {
    FontSet::bundled().text_width(text, size, bold, italic)
}

/// Whether the fonts have a glyph for `c` (Liberation Serif covers what Times New Roman covers for
/// Vietnamese text; emoji and most symbols are in neither).
pub fn has_glyph(c: char) -> bool {
    FontSet::bundled().face(false, false).glyph(c).is_some_and(|g| g != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_match_the_spec_figures() {
        // the-thuc.md §2: "Độc lập - Tự do - Hạnh phúc" bold 14 pt = 6.05 cm; quốc hiệu bold 13 pt = 9.57 cm.
        let cm = |tw: f64| tw / 1440.0 * 2.54;
        let motto = cm(text_width("Độc lập - Tự do - Hạnh phúc", 28, true, false));
        assert!((motto - 6.05).abs() < 0.02, "{motto}");
        let qh = cm(text_width("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 26, true, false));
        assert!((qh - 9.57).abs() < 0.02, "{qh}");
        let dang = cm(text_width("ĐẢNG CỘNG SẢN VIỆT NAM", 30, true, false));
        assert!((dang - 7.29).abs() < 0.02, "{dang}");
    }

    #[test]
    fn every_vietnamese_letter_has_a_glyph_in_every_face() {
        let letters = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ";
        let all: String = letters.chars().chain(letters.to_uppercase().chars()).collect();
        for f in FontSet::bundled().faces() {
            for c in all.chars() {
                assert!(f.has_glyph(c), "{} lacks {c}", f.postscript_name);
            }
        }
    }

    #[test]
    fn compiled_tables_equal_the_fonts() {
        // build.rs's tables against the fonts parsed now, character for character.
        for (f, bytes) in FontSet::bundled().faces().iter().zip([REGULAR, BOLD, ITALIC, BOLD_ITALIC]) {
            let p = FontFace::parse(bytes).unwrap();
            assert_eq!((f.units_per_em, f.ascender, f.descender, f.line_gap), (p.units_per_em, p.ascender, p.descender, p.line_gap));
            assert_eq!((&f.postscript_name, f.notdef_advance), (&p.postscript_name, p.notdef_advance));
            assert!(f.advances == p.advances && f.glyphs == p.glyphs, "{}", f.postscript_name);
            for c in ['a', 'ự', '\u{2211}', '\u{1F600}', '\u{4E00}'] {
                assert_eq!((f.glyph(c), f.advance(c)), (p.glyph(c), p.advance(c)), "{c}");
            }
        }
    }

    #[test]
    fn font_dir_needs_all_four_faces() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("LiberationSerif-Regular.ttf"), REGULAR).unwrap();
        let e = FontSet::from_dir(dir.path()).err().unwrap().to_string();
        assert!(e.contains("đậm") && e.contains("nghiêng"), "{e}");
        std::fs::write(dir.path().join("b.ttf"), BOLD).unwrap();
        std::fs::write(dir.path().join("i.ttf"), ITALIC).unwrap();
        std::fs::write(dir.path().join("bi.ttf"), BOLD_ITALIC).unwrap();
        let set = FontSet::from_dir(dir.path()).unwrap();
        assert!(set.face(true, true).postscript_name.contains("BoldItalic"));
    }
}
