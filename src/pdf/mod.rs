//! The PDF renderer: our own layout ([`layout`], [`lines`]) over the same format-neutral document
//! the DOCX writer uses, written with printpdf ([`write`]).

pub mod layout;
pub mod lines;
pub mod write;

use crate::document::Document;
use crate::error::Error;
use crate::fonts::FontSet;

/// Lays out and writes `doc` as a PDF.
pub fn render(doc: &Document, fonts: &FontSet) -> Result<Vec<u8>, Error> {
    let mut pages = layout::layout(doc, fonts);
    layout::number_pages(&mut pages, doc, fonts);
    write::write(doc, &pages, fonts)
}
