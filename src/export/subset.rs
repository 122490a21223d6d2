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
    let mut used: [BTreeSet<char>; 4] = Default::default();
    for page in pages {
        for it in &page.items {
            if let Item::Text { span, .. } = it {
                used[face_index(span.bold, span.italic)].extend(span.text.chars());
            }
        }
    }
    used
}

/// What a subset is for, which decides the tables it keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// allsorts' PDF profile: the glyphs, their metrics, the hinting programs and a Unicode cmap.
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
    let data = ReadScope::new(face.bytes).read::<FontData>().map_err(|e| fail(&e))?;
    let provider = data.table_provider(0).map_err(|e| fail(&e))?;
    let profile = match target {
        Target::Pdf => SubsetProfile::Pdf,
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
    allsorts::subset::subset(&provider, &gids, &profile, CmapTarget::Unicode).map_err(|e| fail(&e))
}

/// The six capital letters that name a subset (`ABCDEF+LiberationSerif`), derived from its bytes.
pub(crate) fn tag(bytes: &[u8]) -> String {
    let h = fnv(bytes, 0);
    (0..6).map(|i| (b'A' + ((h >> (i * 5)) % 26) as u8) as char).collect()
}
