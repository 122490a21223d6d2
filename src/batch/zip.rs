//! `--zip FILE`: every output in one ZIP, written by the one thread that collects the units' results
//! (entries go in as the units are done, in the order of the units file), under a temporary name in
//! the ZIP's folder that is renamed into place at the end.
//!
//! DOCX and PDF files are already compressed, so they are stored as they are; the report is
//! deflated. Every entry carries the same date (1980-01-01), so the same input gives the same ZIP.

use crate::error::Error;
use crate::plan::load::vn_io;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

pub struct Sink {
    zip: ZipWriter<BufWriter<std::fs::File>>,
    tmp: crate::output::Temp,
    path: PathBuf,
}

fn options(method: CompressionMethod, private: bool) -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(method)
        .last_modified_time(DateTime::default())
        .unix_permissions(if private { 0o600 } else { 0o644 })
}

impl Sink {
    pub fn create(path: &Path) -> Result<Sink, Error> {
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let mut tmp = crate::output::Temp::new(dir, crate::output::Privacy::Usual)?;
        let file = tmp.file().try_clone().map_err(|e| Error::io(dir.display(), vn_io(&e)))?;
        Ok(Sink { zip: ZipWriter::new(BufWriter::with_capacity(256 * 1024, file)), tmp, path: path.to_path_buf() })
    }

    fn fail(&self, e: impl std::fmt::Display) -> Error {
        Error::io(self.path.display(), e)
    }

    /// Adds one file (a DOCX or PDF: stored, not compressed again); `private`: a secret plan's.
    pub fn add(&mut self, name: &str, bytes: &[u8], private: bool) -> Result<(), Error> {
        self.zip.start_file(name, options(CompressionMethod::Stored, private)).map_err(|e| self.fail(e))?;
        self.zip.write_all(bytes).map_err(|e| self.fail(vn_io(&e)))
    }

    /// Adds a text file, compressed (the report).
    pub fn add_text(&mut self, name: &str, mut from: impl std::io::Read) -> Result<(), Error> {
        self.zip.start_file(name, options(CompressionMethod::Deflated, false)).map_err(|e| self.fail(e))?;
        std::io::copy(&mut from, &mut self.zip).map_err(|e| self.fail(vn_io(&e)))?;
        Ok(())
    }

    /// Writes the central directory and renames the ZIP into place (readable by its owner only
    /// when `private`: it holds a secret plan).
    pub fn finish(mut self, private: bool) -> Result<PathBuf, Error> {
        let path = self.path;
        let fail = |e: &dyn std::fmt::Display| Error::io(path.display(), e);
        let buf = self.zip.finish().map_err(|e| fail(&e))?;
        let file = buf.into_inner().map_err(|e| fail(&vn_io(e.error())))?;
        drop(file);
        if private {
            self.tmp.make_private();
        }
        self.tmp.persist(&path)?;
        Ok(path)
    }
}
