//! `--review FILE`: one PDF with every unit's plan, in the order of the units file, for the leader to
//! leaf through. Each plan keeps its own pages (numbered from its own page 2, as when printed alone);
//! the units that failed are left out. The laid-out pages of every unit are kept until the end (text
//! and positions, about 60 KB for a five-page plan), then written with the fonts subset once over all
//! of them.

use crate::document::Meta;
use crate::error::Error;
use crate::fonts::FontSet;
use crate::pdf::layout::Page;
use std::path::PathBuf;

pub struct Review {
    path: PathBuf,
    parts: Vec<Vec<Page>>,
    meta: Meta,
}

impl Review {
    pub fn new(path: PathBuf) -> Review {
        Review { path, parts: Vec::new(), meta: Meta::default() }
    }

    /// Adds the next unit's pages (call in the order of the units file).
    pub fn add(&mut self, pages: Vec<Page>, meta: &Meta) {
        if self.parts.is_empty() {
            self.meta = Meta {
                title: format!("Bản xem: {}", meta.title),
                author: meta.author.clone(),
                subject: "Kế hoạch của các đơn vị".into(),
            };
        }
        self.parts.push(pages);
    }

    pub fn page_count(&self) -> usize {
        self.parts.iter().map(Vec::len).sum()
    }

    /// Writes the PDF (atomically); `None` when no unit was laid out.
    pub fn finish(self, fonts: &FontSet) -> Result<Option<PathBuf>, Error> {
        if self.parts.is_empty() {
            return Ok(None);
        }
        let parts: Vec<&[Page]> = self.parts.iter().map(Vec::as_slice).collect();
        let bytes = crate::pdf::write::write_parts(&parts, &self.meta, fonts, crate::pdf::write::Tuning::Smallest)?;
        drop(parts);
        drop(self.parts);
        crate::output::write_all(&[(self.path.clone(), bytes)])?;
        Ok(Some(self.path))
    }
}
