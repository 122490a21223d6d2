//! Exporters: the document as a DOCX ([`docx`]), and its laid-out pages as a PDF ([`pdf`]) or as
//! one SVG document per page ([`svg`]). The two page exporters embed the same font subsets
//! (`subset`).

pub mod docx;
pub mod pdf;
pub(crate) mod subset;
pub mod svg;
