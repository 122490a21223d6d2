//! `--review FILE`: one PDF with every unit's plan, in the order of the units file, for the leader to
//! leaf through. Each plan keeps its own pages (numbered from its own page 2, as when printed alone);
//! the units that failed are left out.
//!
//! Each unit's PDF objects (made by the worker that made the unit, the same as its own PDF's when
//! that has no extras) are appended to the file as they come ([`crate::export::pdf::join`], which
//! writes a font shared with an earlier unit once), under a temporary name renamed into place at
//! the end. So memory holds one unit at a time, however many units there are, and the collector
//! thread only copies objects out. (It used to lay out and write parts of 400 pages itself: that
//! was 16 % of a batch's instructions, all on the one thread.)

use crate::document::Meta;
use crate::error::Error;
use crate::export::pdf::join::Joiner;
use crate::plan::load::vn_io;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

pub struct Review {
    path: PathBuf,
    joiner: Joiner<BufWriter<std::fs::File>>,
    tmp: crate::output::Temp,
    pages: usize,
    meta: Meta,
}

impl Review {
    pub fn new(path: PathBuf) -> Result<Review, Error> {
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
        let mut tmp = crate::output::Temp::new(&dir, crate::output::Privacy::Usual)?;
        let file = tmp.file().try_clone().map_err(|e| Error::io(dir.display(), vn_io(&e)))?;
        let joiner = Joiner::new(BufWriter::with_capacity(256 * 1024, file))?;
        Ok(Review { path, joiner, tmp, pages: 0, meta: Meta::default() })
    }

    /// Adds the next unit's PDF objects, of `pages` pages (call in the order of the units file).
    pub fn add(&mut self, doc: lopdf::Document, pages: usize, meta: &Meta) -> Result<(), Error> {
        if self.pages == 0 {
            self.meta = Meta {
                title: format!("Bản xem: {}", meta.title),
                author: meta.author.clone(),
                subject: "Kế hoạch của các đơn vị".into(),
                date: meta.date,
            };
        }
        self.pages += pages;
        self.joiner.add_document(doc)
    }

    pub fn page_count(&self) -> usize {
        self.pages
    }

    /// Finishes the PDF and renames it into place (readable by its owner only when `private`: it
    /// holds a secret plan); `None` (and no file) when no unit was laid out.
    pub fn finish(mut self, private: bool) -> Result<Option<PathBuf>, Error> {
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
