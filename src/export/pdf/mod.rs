//! The PDF exporter: the laid-out pages ([`crate::layout`]) written as lopdf objects ([`write`]), and
//! PDFs joined into one as they come ([`join`], the batch's review copy). For signing and
//! archiving: the signing boxes and the empty signature field ([`sign`]), PDF/A-1b ([`pdfa`]).

pub mod join;
pub mod pdfa;
pub mod sign;
pub mod write;

use crate::document::Document;
use crate::error::Error;
use crate::fonts::FontSet;
use crate::layout::Page;

pub use sign::SignBoxes;

/// What to add to a PDF beyond its pages. The default adds nothing: the file is byte for byte what
/// it is without options.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PdfOptions {
    /// An empty signature field over the signature area, for signing tools that look for one
    /// (`--signature-field`).
    pub signature_field: bool,
    /// An archival PDF: PDF/A-1b (`--pdfa`; part 1 because the one validator CI can run, Apache
    /// PDFBox Preflight, validates part 1 only: see the README).
    pub pdfa: bool,
}

/// Lays out and writes `doc` as a PDF.
pub fn render(doc: &Document, fonts: &FontSet) -> Result<Vec<u8>, Error> {
    write::write(doc, &crate::layout::pages(doc, fonts), fonts)
}

/// Writes the laid-out `pages` of `doc` as a PDF with `opts`, and gives the signing boxes when
/// `boxes` is set (they name the signature field when there is one).
pub fn write_with(
    doc: &Document,
    pages: &[Page],
    fonts: &FontSet,
    tuning: write::Tuning,
    opts: &PdfOptions,
    boxes: bool,
) -> Result<(Vec<u8>, Option<SignBoxes>), Error> {
    let mut found = if boxes || opts.signature_field { Some(sign::sign_boxes(doc, pages, fonts)?) } else { None };
    let extras = write::Extras { field: found.as_ref().filter(|_| opts.signature_field).map(|b| b.chu_ky), pdfa: opts.pdfa };
    let pdf = write::write_parts_with(&[pages], &doc.meta, fonts, tuning, &extras)?;
    if let Some(b) = found.as_mut() {
        b.truong_chu_ky = opts.signature_field.then_some(sign::FIELD_NAME);
    }
    Ok((pdf, found.filter(|_| boxes)))
}
