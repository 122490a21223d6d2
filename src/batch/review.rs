//! `--review FILE`: one PDF with every unit's plan, in the order of the units file, for the leader to
//! leaf through. Each plan keeps its own pages (numbered from its own page 2, as when printed alone);
//! the units that failed are left out.
//!
//! The laid-out pages are gathered into parts of about [`PART_PAGES`] pages; each part, once full, is
//! written as a PDF of its own (its fonts subset over the characters of its units) and appended at
//! once to the file ([`crate::export::pdf::join`]), under a temporary name renamed into place at the end. So
//! memory holds one part at a time, however many units there are.

use crate::document::Meta;
use crate::error::Error;
use crate::fonts::FontSet;
use crate::plan::load::vn_io;
use crate::export::pdf::join::Joiner;
use crate::layout::Page;
use crate::export::pdf::write::{self, Tuning};
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// The pages of one part of the review PDF.
pub const PART_PAGES: usize = 400;

pub struct Review {
    path: PathBuf,
    fonts: &'static FontSet,
    /// Units laid out and not yet written, and their number of pages.
    pending: Vec<Vec<Page>>,
    pending_pages: usize,
    joiner: Joiner<BufWriter<std::fs::File>>,
    tmp: crate::output::Temp,
    pages: usize,
    meta: Meta,
}

impl Review {
    pub fn new(path: PathBuf, fonts: &'static FontSet) -> Result<Review, Error> {
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
        let mut tmp = crate::output::Temp::new(&dir, crate::output::Privacy::Usual)?;
        let file = tmp.file().try_clone().map_err(|e| Error::io(dir.display(), vn_io(&e)))?;
        let joiner = Joiner::new(BufWriter::with_capacity(256 * 1024, file))?;
        Ok(Review { path, fonts, pending: Vec::new(), pending_pages: 0, joiner, tmp, pages: 0, meta: Meta::default() })
    }

    /// Adds the next unit's pages (call in the order of the units file).
    pub fn add(&mut self, pages: Vec<Page>, meta: &Meta) -> Result<(), Error> {
        if self.pages == 0 {
            self.meta = Meta {
                title: format!("Bản xem: {}", meta.title),
                author: meta.author.clone(),
                subject: "Kế hoạch của các đơn vị".into(),
                date: meta.date,
            };
        }
        self.pages += pages.len();
        self.pending_pages += pages.len();
        self.pending.push(pages);
        if self.pending_pages >= PART_PAGES {
            self.write_part()?;
        }
        Ok(())
    }

    fn write_part(&mut self) -> Result<(), Error> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let parts: Vec<&[Page]> = self.pending.iter().map(Vec::as_slice).collect();
        // Batch tuning: contents at deflate level 2 and the bold and italic subsets rounded up to
        // the alphabet, so every part shares the units' font objects; and the part goes to the
        // joiner as objects, never written out and parsed back.
        let doc = write::document(&parts, &self.meta, self.fonts, Tuning::Batch, &write::Extras::default())?;
        self.joiner.add_document(doc)?;
        self.pending.clear();
        self.pending_pages = 0;
        Ok(())
    }

    pub fn page_count(&self) -> usize {
        self.pages
    }

    /// Finishes the PDF and renames it into place (readable by its owner only when `private`: it
    /// holds a secret plan); `None` (and no file) when no unit was laid out.
    pub fn finish(mut self, private: bool) -> Result<Option<PathBuf>, Error> {
        self.write_part()?;
        if self.pages == 0 {
            return Ok(None);
        }
        let out = self.joiner.finish(&self.meta)?;
        let file = out.into_inner().map_err(|e| Error::io(self.path.display(), vn_io(e.error())))?;
        drop(file);
        if private {
            self.tmp.make_private();
        }
        self.tmp.persist(&self.path)?;
        Ok(Some(self.path))
    }
}
