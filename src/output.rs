//! Writing outputs atomically: each file is written under a temporary name in the target folder,
//! flushed, then renamed into place, so a crash or Ctrl-C never leaves a half-written file.
//! Several outputs are all prepared in memory first, so a failure writes none of them.

use crate::error::Error;
use crate::plan::load::vn_io;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes every `(path, bytes)` atomically. All temporary files are written before any is renamed.
pub fn write_all(files: &[(PathBuf, Vec<u8>)]) -> Result<(), Error> {
    let mut staged = Vec::new();
    for (path, bytes) in files {
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display(), vn_io(&e)))?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".kehoach-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| Error::io(dir.display(), vn_io(&e)))?;
        tmp.write_all(bytes).map_err(|e| Error::io(path.display(), vn_io(&e)))?;
        // Temporary files are private (0600); the result should be as readable as any new file.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644));
        }
        tmp.as_file().sync_all().map_err(|e| Error::io(path.display(), vn_io(&e)))?;
        staged.push((tmp, path));
    }
    for (tmp, path) in staged {
        tmp.persist(path).map_err(|e| Error::io(path.display(), vn_io(&e.error)))?;
    }
    Ok(())
}
