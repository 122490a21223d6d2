//! Import: an existing KẾ HOẠCH — a Word file (.docx) or its plain text — read into a plan, with a
//! review list ("cần xem lại") of what was guessed, corrected, missing or left out.
//!
//! [`from_bytes`] (a DOCX or a text, told apart by their first bytes), [`from_docx`] and
//! [`from_text`] are what the command line (`kehoach import`) calls, and what a server can call on
//! an uploaded file (the preview page's "Mở tệp Word"): they take bytes or text, write nothing, and
//! return the plan with the notes. The plan's JSON ([`Imported::json`]) loads with
//! [`crate::Plan::from_json`]; when the source followed the rules of thể thức,
//! [`crate::Plan::check`] passes it.
//!
//! Parts: `docx` (the package, styles and Word's list numbering, read within fixed caps), `text`
//! (lines, page-break artefacts), `para` (the paragraphs both give), `recognise` (paragraphs →
//! plan), `out` (the plan as written), [`review`] (the notes).

mod docx;
mod out;
mod para;
mod recognise;
pub mod review;
mod text;

pub use docx::{MAX_DOCX_BYTES, MAX_ENTRIES, MAX_PARAGRAPHS, MAX_PART_BYTES, MAX_TOTAL_BYTES};
pub use out::{NguoiKyOut, NhiemVuOut, NodeOut, NoiNhanMucOut, NoiNhanOut, PhuLucOut, PlanOut, QuyenHanOut};
pub use review::{Loai, Nguon, Note};
pub use text::{MAX_LINES, MAX_TEXT_BYTES};

use crate::error::Error;
use unicode_normalization::UnicodeNormalization;

/// An imported plan and its review list.
#[derive(Clone, Debug)]
pub struct Imported {
    /// The plan, fields in the order of the document.
    pub plan: PlanOut,
    /// What to review, in the order of the plan's fields.
    pub review: Vec<Note>,
}

impl Imported {
    /// The plan as pretty-printed JSON (UTF-8, fields in document order), as `kehoach import` writes it.
    pub fn json(&self) -> String {
        let mut s = serde_json::to_string_pretty(&self.plan).unwrap_or_default();
        s.push('\n');
        s
    }

    /// The plan as a JSON value (object keys sorted).
    pub fn value(&self) -> serde_json::Value {
        serde_json::to_value(&self.plan).unwrap_or_default()
    }

    /// The review list as JSON (`--report`): `{"can_xem_lai": [...]}`.
    pub fn report_json(&self) -> String {
        let v = serde_json::json!({ "so_muc": self.review.len(), "can_xem_lai": self.review });
        let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// Imports a DOCX given as bytes. A file that is not a DOCX (a .doc, a PDF, an encrypted file), a
/// damaged or oversized package, or XML with a DTD is refused with a Vietnamese message.
pub fn from_docx(bytes: &[u8]) -> Result<Imported, Error> {
    let (blocks, mirror) = docx::read(bytes)?;
    let blocks = clean_blocks(blocks);
    finish(recognise::Kind::Docx, &blocks, &[], Some(mirror))
}

/// Imports a file's bytes: a DOCX (a ZIP package), or text in UTF-8 (or UTF-16 with a byte-order
/// mark). A .doc, a PDF, an RTF or an encrypted file is named in the message.
pub fn from_bytes(bytes: &[u8]) -> Result<Imported, Error> {
    if bytes.starts_with(b"PK") {
        return from_docx(bytes);
    }
    // A .doc, an encrypted file, a PDF, an RTF: named by their first bytes. Anything else that is
    // not a ZIP is read as text if it looks like text.
    let sniffed = docx::sniff(bytes);
    if sniffed.is_err() && (!looks_like_text(bytes) || bytes.starts_with(b"%PDF") || bytes.starts_with(b"{\\rtf")) {
        sniffed?;
    }
    if bytes.len() > text::MAX_TEXT_BYTES {
        return Err(Error::input(format!("văn bản quá dài (tối đa {} MB)", text::MAX_TEXT_BYTES / (1024 * 1024))));
    }
    let text = if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let le = bytes[0] == 0xFF;
        let units = bytes[2..]
            .chunks_exact(2)
            .map(|c| if le { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) });
        char::decode_utf16(units).collect::<Result<String, _>>().map_err(|_| Error::input("văn bản UTF-16 bị hỏng"))?
    } else {
        String::from_utf8(bytes.to_vec()).map_err(|e| {
            Error::input(format!(
                    "tệp không phải tệp Word .docx, cũng không phải văn bản UTF-8 (byte {} không đọc được); nếu là văn bản, hãy lưu lại với mã UTF-8 (Notepad: Lưu thành… → Mã hoá: UTF-8)",
                    e.utf8_error().valid_up_to() + 1
                ),
            )
        })?
    };
    from_text(&text)
}

/// Reads a file to import, or standard input when `path` is "-", within the size limit of a DOCX
/// (a larger file is refused before it is read whole).
pub fn read_input(path: &str) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let cap = MAX_DOCX_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    let name = if path == "-" { "(đầu vào chuẩn)" } else { path };
    let io = |e: std::io::Error| Error::io(name, crate::plan::load::vn_io(&e));
    if path == "-" {
        std::io::stdin().take(cap).read_to_end(&mut bytes).map_err(io)?;
    } else {
        std::fs::File::open(path).map_err(io)?.take(cap).read_to_end(&mut bytes).map_err(io)?;
    }
    Ok(bytes)
}

/// Text rather than a binary format: no NUL bytes in the first kilobytes, or a UTF-16 mark.
fn looks_like_text(b: &[u8]) -> bool {
    b.starts_with(&[0xFF, 0xFE]) || b.starts_with(&[0xFE, 0xFF]) || !b.iter().take(8192).any(|&c| c == 0)
}

/// Imports a plan's plain text (one paragraph per line).
pub fn from_text(text: &str) -> Result<Imported, Error> {
    let clean = clean_text(text);
    let (blocks, mended) = text::read(&clean)?;
    finish(recognise::Kind::Text, &blocks, &mended, None)
}

fn finish(kind: recognise::Kind, blocks: &[para::Block], mended: &[(usize, String)], mirror: Option<bool>) -> Result<Imported, Error> {
    if para::flatten(blocks).is_empty() {
        return Err(Error::input("tệp không có chữ nào để nhập"));
    }
    let blocks = para::split_two_columns(blocks.to_vec());
    let mut r = recognise::Recogniser::new(kind, &blocks);
    r.mirror = mirror;
    let (plan, review) = r.run(mended);
    Ok(Imported { plan, review })
}

/// NFC, no invisible formatting marks, no control characters (a DOCX cannot hold them, a pasted
/// text sometimes does); tabs and line breaks stay.
fn clean_text(s: &str) -> String {
    s.nfc()
        .filter(|&c| !crate::plan::model::is_invisible(c))
        .map(|c| if c == '\u{a0}' { ' ' } else { c })
        .filter(|&c| matches!(c, '\t' | '\n' | '\r') || !(c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}'))
        .collect()
}

fn clean_blocks(blocks: Vec<para::Block>) -> Vec<para::Block> {
    blocks
        .into_iter()
        .map(|b| match b {
            para::Block::P(mut p) => {
                p.text = clean_text(&p.text);
                p.plain = clean_text(&p.plain);
                para::Block::P(p)
            }
            para::Block::Table(mut t) => {
                t.rows = t.rows.into_iter().map(|r| r.into_iter().map(clean_blocks).collect()).collect();
                para::Block::Table(t)
            }
        })
        .collect()
}
