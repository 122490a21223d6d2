//! Exporters: the document as a DOCX ([`docx`]), and its laid-out pages as a PDF ([`pdf`]).

pub mod docx;
pub mod pdf;
