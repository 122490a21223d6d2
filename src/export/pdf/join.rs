//! Joining PDFs into one, written as it goes: each PDF's objects are renumbered and appended to the
//! output as soon as it is added, so memory holds one of them at a time (the batch's review copy of
//! thousands of pages). The pages keep their own resources (fonts); one page tree, catalog and
//! information dictionary are written at the end, then the cross-reference table. The file's IDs
//! derive from its content.
//!
//! lopdf reads the parts; its writer is private to it, so the few object kinds are written here.

use crate::document::Meta;
use crate::error::Error;
use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use std::io::Write;

/// A writer that counts what it writes (for the cross-reference offsets).
struct Counting<W: Write> {
    inner: W,
    at: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.at += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

pub struct Joiner<W: Write> {
    out: Counting<W>,
    /// Offsets of the objects written, by object number (0: none).
    offsets: Vec<u64>,
    /// The pages, in order.
    kids: Vec<u32>,
    /// FNV-1a over the object numbers and stream contents, for the IDs.
    hash: u64,
    /// The Type0 fonts written, by name and ToUnicode map: a later part that embeds the same font
    /// refers to the one written (units of a batch share most of their fonts).
    fonts: std::collections::HashMap<(Vec<u8>, u64), u32>,
}

/// Object number of the one page tree (the first object, written last).
const PAGES: u32 = 1;

fn fail(e: impl std::fmt::Display) -> Error {
    Error::io("(PDF bản xem)", e)
}

impl<W: Write> Joiner<W> {
    pub fn new(inner: W) -> Result<Joiner<W>, Error> {
        let mut out = Counting { inner, at: 0 };
        out.write_all(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n").map_err(fail)?;
        Ok(Joiner { out, offsets: vec![0, 0], kids: Vec::new(), hash: 0xcbf29ce484222325, fonts: Default::default() })
    }

    fn next_id(&self) -> u32 {
        self.offsets.len() as u32
    }

    fn fnv(&mut self, data: &[u8]) {
        for b in data {
            self.hash ^= *b as u64;
            self.hash = self.hash.wrapping_mul(0x100000001b3);
        }
    }

    fn object(&mut self, id: u32, obj: &Object) -> Result<(), Error> {
        if self.offsets.len() <= id as usize {
            self.offsets.resize(id as usize + 1, 0);
        }
        self.offsets[id as usize] = self.out.at;
        if let Object::Stream(s) = obj {
            self.fnv(&id.to_le_bytes());
            self.fnv(&s.content);
        }
        let mut buf = Vec::new();
        writeln!(buf, "{id} 0 obj").map_err(fail)?;
        write_object(&mut buf, obj);
        buf.extend_from_slice(b"\nendobj\n");
        self.out.write_all(&buf).map_err(fail)
    }

    /// Appends the pages of `pdf` (and everything they use).
    #[cfg(test)]
    pub fn add(&mut self, pdf: &[u8]) -> Result<(), Error> {
        self.add_document(lopdf::Document::load_mem(pdf).map_err(fail)?)
    }

    /// Appends the pages of `doc` (and everything they use).
    pub fn add_document(&mut self, mut doc: lopdf::Document) -> Result<(), Error> {
        let first = self.next_id();
        doc.renumber_objects_with(first);
        let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
        let mut skip: Vec<ObjectId> = ["Root", "Info"]
            .iter()
            .filter_map(|k| doc.trailer.get(k.as_bytes()).and_then(Object::as_reference).ok())
            .chain(doc.objects.iter().filter(|(_, o)| is_type(o, b"Pages")).map(|(id, _)| *id))
            .collect();
        // Fonts written before (the same subset, named by a hash of its program, with the same
        // ToUnicode map): referred to, with their descriptor, program and map left out.
        let mut remap: std::collections::HashMap<ObjectId, ObjectId> = Default::default();
        for (id, o) in &doc.objects {
            let Ok(d) = o.as_dict() else { continue };
            if !is_type(o, b"Font") || d.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Type0".as_slice()) {
                continue;
            }
            let Ok(name) = d.get(b"BaseFont").and_then(Object::as_name) else { continue };
            let to_unicode = d.get(b"ToUnicode").and_then(Object::as_reference).ok();
            let map = to_unicode.and_then(|r| doc.objects.get(&r)).and_then(|o| o.as_stream().ok());
            let key = (name.to_vec(), map.map_or(0, |s| super::super::subset::fnv(&s.content, s.content.len() as u64)));
            match self.fonts.get(&key) {
                Some(old) => {
                    remap.insert(*id, (*old, 0));
                    skip.push(*id);
                    skip.extend(to_unicode);
                    let cid = d.get(b"DescendantFonts").and_then(Object::as_array).ok().and_then(|a| a.first()).and_then(|c| c.as_dict().ok());
                    if let Some(desc) = cid.and_then(|c| c.get(b"FontDescriptor").and_then(Object::as_reference).ok()) {
                        skip.push(desc);
                        if let Some(dd) = doc.objects.get(&desc).and_then(|o| o.as_dict().ok()) {
                            skip.extend([b"FontFile2".as_slice(), b"CIDSet"].iter().filter_map(|k| dd.get(k).and_then(Object::as_reference).ok()));
                        }
                    }
                }
                None => {
                    self.fonts.insert(key, id.0);
                }
            }
        }
        // Numbers left unused by the skipped objects stay free in the cross-reference table.
        let last = doc.objects.keys().map(|id| id.0).max().unwrap_or(first);
        self.offsets.resize((last + 1).max(first) as usize, 0);
        for (id, mut obj) in std::mem::take(&mut doc.objects) {
            if skip.contains(&id) {
                continue;
            }
            if let (true, Object::Dictionary(d)) = (pages.contains(&id), &mut obj) {
                d.set("Parent", Object::Reference((PAGES, 0)));
            }
            if !remap.is_empty() {
                refer(&mut obj, &remap);
            }
            self.object(id.0, &obj)?;
        }
        self.kids.extend(pages.iter().map(|p| p.0));
        Ok(())
    }

    #[cfg(test)]
    pub fn page_count(&self) -> usize {
        self.kids.len()
    }

    /// Writes the page tree, the catalog, the information dictionary and the cross-reference table.
    pub fn finish(mut self, meta: &Meta) -> Result<W, Error> {
        let mut tree = Dictionary::new();
        tree.set("Type", Object::Name(b"Pages".to_vec()));
        tree.set("Count", Object::Integer(self.kids.len() as i64));
        tree.set("Kids", Object::Array(self.kids.iter().map(|k| Object::Reference((*k, 0))).collect()));
        self.object(PAGES, &Object::Dictionary(tree))?;
        let catalog = self.next_id();
        let mut c = Dictionary::new();
        c.set("Type", Object::Name(b"Catalog".to_vec()));
        c.set("Pages", Object::Reference((PAGES, 0)));
        self.object(catalog, &Object::Dictionary(c))?;
        // Text strings in UTF-16BE with a byte-order mark, as `write` writes them.
        let text = |s: &str| {
            let mut b = vec![0xFE, 0xFF];
            b.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
            Object::String(b, StringFormat::Hexadecimal)
        };
        let info = self.next_id();
        let mut i = Dictionary::new();
        i.set("Title", text(&meta.title));
        i.set("Author", text(&meta.author));
        i.set("Subject", text(&meta.subject));
        i.set("Creator", text(&format!("kehoach {}", env!("CARGO_PKG_VERSION"))));
        i.set("Producer", text("kehoach"));
        self.object(info, &Object::Dictionary(i))?;

        let xref = self.out.at;
        let mut buf = Vec::with_capacity(self.offsets.len() * 20 + 200);
        write!(buf, "xref\n0 {}\n0000000000 65535 f \n", self.offsets.len()).map_err(fail)?;
        for off in &self.offsets[1..] {
            if *off == 0 {
                buf.extend_from_slice(b"0000000000 65535 f \n");
            } else {
                writeln!(buf, "{off:010} 00000 n ").map_err(fail)?;
            }
        }
        let h1 = self.hash;
        let mut h2 = 0xcbf29ce484222325u64 ^ 1;
        for b in h1.to_le_bytes() {
            h2 ^= b as u64;
            h2 = h2.wrapping_mul(0x100000001b3);
        }
        let id = format!("{h1:016x}{h2:016x}");
        write!(
            buf,
            "trailer\n<< /Size {} /Root {catalog} 0 R /Info {info} 0 R /ID [<{id}> <{id}>] >>\nstartxref\n{xref}\n%%EOF\n",
            self.offsets.len()
        )
        .map_err(fail)?;
        self.out.write_all(&buf).map_err(fail)?;
        self.out.inner.flush().map_err(fail)?;
        Ok(self.out.inner)
    }
}

/// Replaces the references in `obj` that `remap` names.
fn refer(obj: &mut Object, remap: &std::collections::HashMap<ObjectId, ObjectId>) {
    match obj {
        Object::Reference(r) => {
            if let Some(to) = remap.get(r) {
                *r = *to;
            }
        }
        Object::Array(a) => a.iter_mut().for_each(|x| refer(x, remap)),
        Object::Dictionary(d) => d.iter_mut().for_each(|(_, v)| refer(v, remap)),
        Object::Stream(s) => s.dict.iter_mut().for_each(|(_, v)| refer(v, remap)),
        _ => {}
    }
}

fn is_type(o: &Object, t: &[u8]) -> bool {
    o.as_dict().is_ok_and(|d| d.get(b"Type").and_then(Object::as_name).is_ok_and(|n| n == t))
}

/// PDF syntax of an object (ISO 32000-1 §7.3).
fn write_object(out: &mut Vec<u8>, obj: &Object) {
    match obj {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Object::Real(r) => {
            let s = format!("{r:.4}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            out.extend_from_slice(if s.is_empty() || s == "-" { b"0" } else { s.as_bytes() });
        }
        Object::Name(n) => write_name(out, n),
        Object::String(s, StringFormat::Hexadecimal) => {
            out.push(b'<');
            for b in s {
                out.extend_from_slice(format!("{b:02X}").as_bytes());
            }
            out.push(b'>');
        }
        Object::String(s, StringFormat::Literal) => {
            out.push(b'(');
            for b in s {
                match b {
                    b'(' | b')' | b'\\' => {
                        out.push(b'\\');
                        out.push(*b);
                    }
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(*b),
                }
            }
            out.push(b')');
        }
        Object::Array(a) => {
            out.push(b'[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_object(out, x);
            }
            out.push(b']');
        }
        Object::Dictionary(d) => write_dict(out, d),
        Object::Stream(s) => {
            let mut d = s.dict.clone();
            d.set("Length", Object::Integer(s.content.len() as i64));
            write_dict(out, &d);
            out.extend_from_slice(b"\nstream\n");
            out.extend_from_slice(&s.content);
            out.extend_from_slice(b"\nendstream");
        }
        Object::Reference((n, g)) => out.extend_from_slice(format!("{n} {g} R").as_bytes()),
    }
}

fn write_dict(out: &mut Vec<u8>, d: &Dictionary) {
    out.extend_from_slice(b"<<");
    for (k, v) in d.iter() {
        out.push(b' ');
        write_name(out, k);
        out.push(b' ');
        write_object(out, v);
    }
    out.extend_from_slice(b" >>");
}

/// A name, with `#xx` for the bytes a name cannot hold as they are.
fn write_name(out: &mut Vec<u8>, n: &[u8]) {
    out.push(b'/');
    for &b in n {
        let regular = b.is_ascii_graphic() && !b"()<>[]{}/%#".contains(&b);
        if regular {
            out.push(b);
        } else {
            out.extend_from_slice(format!("#{b:02X}").as_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_pages_in_order_and_reads_back() {
        let engine = crate::Engine::default();
        let plan = |name: &str| {
            let text = std::fs::read_to_string(format!("{}/samples/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
            crate::Plan::from_json(&text).unwrap().check().unwrap()
        };
        let a = engine.pdf(&plan("seed-004.json")).unwrap();
        let b = engine.pdf(&plan("seed-002.json")).unwrap();
        let pages = |bytes: &[u8]| lopdf::Document::load_mem(bytes).unwrap().get_pages().len();
        let mut j = Joiner::new(Vec::new()).unwrap();
        j.add(&a).unwrap();
        j.add(&b).unwrap();
        j.add(&a).unwrap();
        assert_eq!(j.page_count(), 2 * pages(&a) + pages(&b));
        let meta = Meta { title: "Bản xem: thử".into(), author: "Tôi".into(), subject: "Kế hoạch".into(), date: None };
        let out = j.finish(&meta).unwrap();
        let doc = lopdf::Document::load_mem(&out).unwrap();
        assert_eq!(doc.get_pages().len(), 2 * pages(&a) + pages(&b));
        // `a`'s fonts are written once: the third part's pages use the first part's.
        let programs = |d: &lopdf::Document| d.objects.values().filter(|o| o.as_stream().is_ok_and(|s| s.dict.get(b"Length1").is_ok())).count();
        let (pa, pb) = (programs(&lopdf::Document::load_mem(&a).unwrap()), programs(&lopdf::Document::load_mem(&b).unwrap()));
        assert!(pa >= 3 && programs(&doc) <= pa + pb, "{} programs for {pa} + {pb}", programs(&doc));
        let last = doc.extract_text(&[(pages(&a) + pages(&b) + 1) as u32]).unwrap_or_default();
        assert_eq!(last, lopdf::Document::load_mem(&a).unwrap().extract_text(&[1]).unwrap_or_default());
        // The first page of the second part is the first page of `b`.
        let text = doc.extract_text(&[pages(&a) as u32 + 1]).unwrap_or_default();
        let own = lopdf::Document::load_mem(&b).unwrap().extract_text(&[1]).unwrap_or_default();
        assert_eq!(text, own);
        // The same parts give the same bytes.
        let mut j = Joiner::new(Vec::new()).unwrap();
        for p in [&a, &b, &a] {
            j.add(p).unwrap();
        }
        assert!(j.finish(&meta).unwrap() == out);
    }
}
