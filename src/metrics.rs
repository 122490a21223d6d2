//! Font metrics for measuring text: the Times New Roman–compatible faces shipped in `fonts/`
//! (Liberation Serif 2, whose advance widths equal Times New Roman's), read with ttf-parser.
//! The DOCX writer needs them to size the ND 30 lines; the PDF layout uses them for everything.

use std::sync::OnceLock;
use ttf_parser::Face;

pub static REGULAR: &[u8] = include_bytes!("../fonts/LiberationSerif-Regular.ttf");
pub static BOLD: &[u8] = include_bytes!("../fonts/LiberationSerif-Bold.ttf");
pub static ITALIC: &[u8] = include_bytes!("../fonts/LiberationSerif-Italic.ttf");
pub static BOLD_ITALIC: &[u8] = include_bytes!("../fonts/LiberationSerif-BoldItalic.ttf");

struct Faces {
    faces: [Face<'static>; 4],
}

fn faces() -> &'static Faces {
    static F: OnceLock<Faces> = OnceLock::new();
    F.get_or_init(|| {
        let parse = |b: &'static [u8]| Face::parse(b, 0).expect("bundled font parses");
        Faces { faces: [parse(REGULAR), parse(BOLD), parse(ITALIC), parse(BOLD_ITALIC)] }
    })
}

fn face(bold: bool, italic: bool) -> &'static Face<'static> {
    &faces().faces[(bold as usize) + 2 * (italic as usize)]
}

/// The advance width of `text` in twips at `size` half-points.
pub fn text_width(text: &str, size: u32, bold: bool, italic: bool) -> f64 {
    let f = face(bold, italic);
    let upem = f.units_per_em() as f64;
    let units: u32 = text
        .chars()
        .map(|c| {
            f.glyph_index(c)
                .and_then(|g| f.glyph_hor_advance(g))
                .map(|a| a as u32)
                .unwrap_or_else(|| (upem / 2.0) as u32)
        })
        .sum();
    // size/2 pt × 20 twips/pt = size × 10 twips per em.
    units as f64 / upem * size as f64 * 10.0
}

/// Whether the fonts have a glyph for `c` (Liberation Serif covers what Times New Roman covers for
/// Vietnamese text; emoji and most symbols are in neither).
pub fn has_glyph(c: char) -> bool {
    face(false, false).glyph_index(c).is_some_and(|g| g.0 != 0)
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
}
