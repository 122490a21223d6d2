//! The PDF renderer: our own layout ([`layout`], [`lines`]) over the same format-neutral document
//! the DOCX writer uses, written with printpdf ([`write`]).

pub mod join;
pub mod layout;
pub mod lines;
pub mod write;

use crate::document::Document;
use crate::error::Error;
use crate::fonts::FontSet;

/// Lays out and writes `doc` as a PDF.
pub fn render(doc: &Document, fonts: &FontSet) -> Result<Vec<u8>, Error> {
    write::write(doc, &pages(doc, fonts), fonts)
}

/// The laid-out pages of `doc`, numbered from page 2 on.
pub fn pages(doc: &Document, fonts: &FontSet) -> Vec<layout::Page> {
    let mut pages = layout::layout(doc, fonts);
    layout::number_pages(&mut pages, doc, fonts);
    pages
}
