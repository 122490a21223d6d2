//! Layout: the format-neutral document → pages of positioned text and lines (`paginate`), with
//! lines broken the way Word and LibreOffice break them (`lines`). Every page exporter (PDF, SVG)
//! draws these pages.

pub(crate) mod lines;
pub(crate) mod paginate;

pub use lines::Span;
pub use paginate::{Item, Page, left_margin};

use crate::document::Document;
use crate::fonts::FontSet;

/// The laid-out pages of `doc`, numbered from page 2 on.
pub fn pages(doc: &Document, fonts: &FontSet) -> Vec<Page> {
    let mut pages = paginate::layout(doc, fonts);
    paginate::number_pages(&mut pages, doc, fonts);
    pages
}
