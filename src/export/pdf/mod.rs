//! The PDF exporter: the laid-out pages ([`crate::layout`]) written with printpdf ([`write`]), and
//! PDFs joined into one as they come ([`join`], the batch's review copy).

pub mod join;
pub mod write;

use crate::document::Document;
use crate::error::Error;
use crate::fonts::FontSet;

/// Lays out and writes `doc` as a PDF.
pub fn render(doc: &Document, fonts: &FontSet) -> Result<Vec<u8>, Error> {
    write::write(doc, &crate::layout::pages(doc, fonts), fonts)
}
