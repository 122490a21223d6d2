//! Writing outputs atomically: each file is written under a temporary name in the target folder,
//! flushed, then renamed into place, so a crash or Ctrl-C never leaves a half-written file.
//!
//! Several outputs (a render's DOCX and PDF) are a pair: all are prepared first, and either every
//! one replaces its target or none does. A target that is a folder is refused before anything is
//! renamed; an existing target is first moved aside, and put back if a later one cannot be
//! written (on Windows, a PDF open in a reader cannot be replaced), so a failure leaves the old
//! files as they were.
//!
//! New files get the user's usual permissions (the umask is honoured, as for any file a program
//! makes); [`Privacy::Private`] files (a plan marked `do_mat`) are readable by their owner only.
//! Every temporary file is registered while it exists, so that [`remove_temporaries`] can clean
//! them up when the process is stopped by a signal.

use crate::error::Error;
use crate::plan::load::vn_io;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Who may read a new file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Privacy {
    /// As any new file of the user's (0666 less the umask on Unix: usually 0644).
    #[default]
    Usual,
    /// The owner only (0600 less the umask): for plans marked secret (`do_mat`).
    Private,
}

impl Privacy {
    /// Private for a secret plan, usual otherwise.
    pub fn of(secret: bool) -> Privacy {
        if secret { Privacy::Private } else { Privacy::Usual }
    }
    #[cfg(unix)]
    fn mode(self) -> u32 {
        match self {
            Privacy::Usual => 0o666,
            Privacy::Private => 0o600,
        }
    }
}

/// The temporary files that exist now.
static TEMPORARIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn track(p: &Path) {
    TEMPORARIES.lock().unwrap_or_else(|e| e.into_inner()).push(p.to_path_buf());
}

fn untrack(p: &Path) {
    TEMPORARIES.lock().unwrap_or_else(|e| e.into_inner()).retain(|x| x != p);
}

/// Removes every temporary file this process has open (for a signal handler that must exit at once).
pub fn remove_temporaries() {
    let list = std::mem::take(&mut *TEMPORARIES.lock().unwrap_or_else(|e| e.into_inner()));
    for p in list {
        let _ = std::fs::remove_file(p);
    }
}

/// A temporary file in `dir`, to be renamed into place: `.kehoach-XXXX.tmp`, with the permissions
/// the final file will have.
pub struct Temp {
    file: Option<tempfile::NamedTempFile>,
    path: PathBuf,
}

impl Temp {
    /// A new temporary file in `dir` (made if need be).
    pub fn new(dir: &Path, privacy: Privacy) -> Result<Temp, Error> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display(), vn_io(&e)))?;
        Temp::in_dir(dir, privacy)
    }

    /// A new temporary file in `dir`, which exists.
    fn in_dir(dir: &Path, privacy: Privacy) -> Result<Temp, Error> {
        let mut b = tempfile::Builder::new();
        b.prefix(".kehoach-").suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            b.permissions(std::fs::Permissions::from_mode(privacy.mode()));
        }
        #[cfg(not(unix))]
        let _ = privacy;
        let file = b.tempfile_in(dir).map_err(|e| Error::io(dir.display(), vn_io(&e)))?;
        let path = file.path().to_path_buf();
        track(&path);
        Ok(Temp { file: Some(file), path })
    }

    /// The open file, to write into.
    pub fn file(&mut self) -> &mut std::fs::File {
        self.file.as_mut().expect("not yet persisted").as_file_mut()
    }

    /// Narrows the permissions to the owner's (a batch's report or ZIP once a secret unit is in it).
    pub fn make_private(&mut self) {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = self.file().metadata().map(|m| m.permissions().mode()).unwrap_or(0o600) & 0o600;
            let _ = self.file().set_permissions(std::fs::Permissions::from_mode(mode));
        }
    }

    /// Flushes to disk and renames into place.
    pub fn persist(self, target: &Path) -> Result<(), Error> {
        self.persist_as(target, true)
    }

    /// Renames into place, flushing to disk first when `sync` (not when the file was made durable
    /// already, by [`Group::commit`]).
    fn persist_as(mut self, target: &Path, sync: bool) -> Result<(), Error> {
        let file = self.file.take().expect("persisted once");
        if sync {
            file.as_file().sync_all().map_err(|e| Error::io(target.display(), vn_io(&e)))?;
        }
        let r = file.persist(target);
        untrack(&self.path);
        match r {
            Ok(_) => Ok(()),
            Err(e) => {
                let err = Error::io(target.display(), vn_io(&e.error));
                drop(e.file);
                Err(err)
            }
        }
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            untrack(&self.path);
        }
    }
}

fn parent(path: &Path) -> &Path {
    path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Writes every `(path, bytes)` as one set: all temporary files are written before any is renamed,
/// and either all targets are replaced or none is.
pub fn write_all(files: &[(PathBuf, Vec<u8>)]) -> Result<(), Error> {
    write_all_as(files, Privacy::Usual)
}

/// [`write_all`], with the permissions `privacy` gives.
pub fn write_all_as(files: &[(PathBuf, Vec<u8>)], privacy: Privacy) -> Result<(), Error> {
    stage(files, privacy)?.install(false)
}

/// Files written under temporary names in their folders, not yet flushed to disk: nothing is at
/// its target yet ([`stage`]).
#[derive(Default)]
pub struct Staged {
    files: Vec<(Temp, PathBuf)>,
    bytes: usize,
}

/// Writes every `(path, bytes)` under a temporary name beside its target. A folder where a file
/// should go is refused before anything is written.
pub fn stage(files: &[(PathBuf, Vec<u8>)], privacy: Privacy) -> Result<Staged, Error> {
    for (path, _) in files {
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
            return Err(Error::io(path.display(), "đã có một thư mục mang tên này; chưa ghi tệp nào"));
        }
    }
    let mut staged = Staged::default();
    // Each folder made once (a batch stages thousands of files into one).
    let mut made: Vec<&Path> = Vec::new();
    for (path, bytes) in files {
        let dir = parent(path);
        if !made.contains(&dir) {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display(), vn_io(&e)))?;
            made.push(dir);
        }
        let mut tmp = Temp::in_dir(dir, privacy)?;
        tmp.file().write_all(bytes).map_err(|e| Error::io(path.display(), vn_io(&e)))?;
        staged.bytes += bytes.len();
        staged.files.push((tmp, path.clone()));
    }
    Ok(staged)
}

impl Staged {
    /// Renames the files into place as one set: either all targets are replaced or none is. Each
    /// file is flushed to disk first unless `synced` (its data is on disk already).
    pub fn install(self, synced: bool) -> Result<(), Error> {
        let mut staged = self.files;
        if staged.len() == 1 {
            let (tmp, path) = staged.pop().expect("one");
            return tmp.persist_as(&path, !synced);
        }
        // Every file's data on disk before any target is touched (so a crash never finds a target
        // moved aside for long); the writes of all are started before the first is waited for, so
        // the disk takes them together (a DOCX and its PDF: one wait instead of two).
        if !synced {
            flush_together(staged.iter().filter_map(|(t, _)| t.file.as_ref().map(|f| f.as_file())))
                .map_err(|(i, e)| Error::io(staged[i].1.display(), vn_io(&e)))?;
        }
        let synced = true;
        // Existing targets are moved aside first (to a temporary name of their own), so that each
        // can be put back if a later file cannot be renamed into place.
        let mut aside: Vec<(PathBuf, PathBuf)> = Vec::new();
        let undo = |aside: &[(PathBuf, PathBuf)]| {
            for (saved, path) in aside.iter().rev() {
                let _ = std::fs::rename(saved, path);
                untrack(saved);
            }
        };
        for (_, path) in &staged {
            if std::fs::symlink_metadata(path).is_err() {
                continue;
            }
            let saved = parent(path).join(format!(".kehoach-{}.tmp", unique()));
            track(&saved);
            if let Err(e) = std::fs::rename(path, &saved) {
                untrack(&saved);
                undo(&aside);
                return Err(Error::io(path.display(), format!("{}; chưa ghi tệp nào", vn_io(&e))));
            }
            aside.push((saved, path.clone()));
        }
        let mut done: Vec<PathBuf> = Vec::new();
        for (tmp, path) in staged {
            if let Err(e) = tmp.persist_as(&path, !synced) {
                for p in &done {
                    let _ = std::fs::remove_file(p);
                }
                undo(&aside);
                return Err(e);
            }
            done.push(path);
        }
        for (saved, _) in aside {
            let _ = std::fs::remove_file(&saved);
            untrack(&saved);
        }
        Ok(())
    }
}

/// Group commit for a batch: the files of many units staged ([`stage`]), made durable together,
/// then renamed into place unit by unit (up to 64 units, 4 MB or 500 ms a group). One flush of the file system for a group replaces one
/// `fsync` per file, which bounded a batch by the disk (1,000 units of DOCX and PDF took 2.5 to
/// 3.1 s on ext4 at one thread as at two, 1.2 s on tmpfs). A file is still complete or absent
/// after a crash: its data is on disk before it gets its name. The caller syncs the folder once at
/// the end ([`sync_dir`]), which makes the names durable.
pub struct Group<K> {
    items: Vec<(K, Staged)>,
    bytes: usize,
    since: Option<std::time::Instant>,
}

impl<K> Default for Group<K> {
    fn default() -> Self {
        Group { items: Vec::new(), bytes: 0, since: None }
    }
}

impl<K> Group<K> {
    /// A group is committed once it holds this many units,
    pub const UNITS: usize = 64;
    /// or this many bytes (staged, and held in memory with it: a unit's files are kept for the ZIP,
    /// its PDF's objects for the review copy),
    pub const BYTES: usize = 4 * 1024 * 1024;
    /// or its first unit has waited this long.
    pub const WAIT: std::time::Duration = std::time::Duration::from_millis(500);

    /// Adds a unit's staged files (none for a unit that has no files: it keeps its place in order),
    /// and `held`, the bytes the caller keeps in memory for it until it is committed.
    pub fn add(&mut self, key: K, staged: Staged, held: usize) {
        self.since.get_or_insert_with(std::time::Instant::now);
        self.bytes += staged.bytes + held;
        self.items.push((key, staged));
    }

    /// Does the group hold no unit?
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Is the group full?
    pub fn due(&self) -> bool {
        self.items.len() >= Self::UNITS || self.bytes >= Self::BYTES || self.since.is_some_and(|t| t.elapsed() >= Self::WAIT)
    }

    /// When the group must be committed even if no unit joins it.
    pub fn deadline(&self) -> Option<std::time::Instant> {
        self.since.map(|t| t + Self::WAIT)
    }

    /// Makes every staged file durable, then renames each unit's files into place; gives each
    /// unit, in the order added, with how its files went.
    pub fn commit(&mut self) -> Vec<(K, Result<(), Error>)> {
        self.take().commit()
    }

    /// The units added so far, to be committed (on another thread: [`Taken::commit`]); the group is
    /// empty again.
    pub fn take(&mut self) -> Taken<K> {
        self.bytes = 0;
        self.since = None;
        Taken(std::mem::take(&mut self.items))
    }
}

/// The units of a [`Group`], taken to be committed.
pub struct Taken<K>(Vec<(K, Staged)>);

impl<K> Taken<K> {
    /// See [`Group::commit`].
    pub fn commit(self) -> Vec<(K, Result<(), Error>)> {
        let items = self.0;
        let synced = sync_files(items.iter().flat_map(|(_, s)| s.files.iter().filter_map(|(t, _)| t.file.as_ref().map(|f| f.as_file()))));
        // When the group could not be flushed at once, each file is flushed as it is installed
        // (and a unit whose file cannot be is reported as failed).
        items.into_iter().map(|(k, s)| (k, s.install(synced))).collect()
    }
}

/// Flushes each of `files` to disk (`fsync`), after starting the writes of all of them (Linux's
/// `sync_file_range`); the error names the file's index.
fn flush_together<'a>(files: impl Iterator<Item = &'a std::fs::File> + Clone) -> Result<(), (usize, std::io::Error)> {
    #[cfg(target_os = "linux")]
    for f in files.clone() {
        use std::os::unix::io::AsRawFd;
        // SAFETY: an open file of this process; a failure here only means the fsync below waits.
        unsafe { libc::sync_file_range(f.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE) };
    }
    for (i, f) in files.enumerate() {
        f.sync_all().map_err(|e| (i, e))?;
    }
    Ok(())
}

/// Flushes the data of `files` to disk, and says whether that worked. On Linux, one `syncfs` per
/// file system the files are on; elsewhere an `fsync` of each.
fn sync_files<'a>(files: impl Iterator<Item = &'a std::fs::File>) -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::MetadataExt;
        use std::os::unix::io::AsRawFd;
        let mut devices: Vec<(u64, &std::fs::File)> = Vec::new();
        for f in files {
            let Ok(m) = f.metadata() else { return false };
            if !devices.iter().any(|(d, _)| *d == m.dev()) {
                devices.push((m.dev(), f));
            }
        }
        // SAFETY: the descriptors are open files of this process.
        devices.iter().all(|(_, f)| unsafe { libc::syncfs(f.as_raw_fd()) } == 0)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let mut ok = true;
        for f in files {
            ok &= f.sync_all().is_ok();
        }
        ok
    }
}

/// Makes the names of the files renamed into `dir` durable (an `fsync` of the folder, where the
/// system has one).
pub fn sync_dir(dir: &Path) -> Result<(), Error> {
    #[cfg(unix)]
    {
        let d = std::fs::File::open(dir).map_err(|e| Error::io(dir.display(), vn_io(&e)))?;
        d.sync_all().map_err(|e| Error::io(dir.display(), vn_io(&e)))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// A name no other temporary file of this process has.
fn unique() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    format!("{}-{}-{nanos:x}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

/// `path` as a comparable name: its folder made absolute (through symbolic links, when it exists)
/// and, on the file systems of Windows and macOS, which ignore case, lower-cased.
pub fn place(path: &Path) -> PathBuf {
    let dir = parent(path);
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()));
    let p = dir.join(path.file_name().unwrap_or_default());
    if cfg!(any(windows, target_os = "macos")) { PathBuf::from(p.to_string_lossy().to_lowercase()) } else { p }
}

/// Are `a` and `b` the same file (by name, or as one existing file under two names)?
pub fn same_file(a: &Path, b: &Path) -> bool {
    if place(a) == place(b) {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    false
}

/// Writes `bytes` to `path` only if nothing is there yet (never replacing a file).
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let mut tmp = Temp::new(parent(path), Privacy::Usual)?;
    tmp.file().write_all(bytes).map_err(|e| Error::io(path.display(), vn_io(&e)))?;
    let file = tmp.file.take().expect("fresh");
    file.as_file().sync_all().map_err(|e| Error::io(path.display(), vn_io(&e)))?;
    let r = file.persist_noclobber(path);
    untrack(&tmp.path);
    r.map(|_| ()).map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            Error::io(path.display(), "tệp đã có; chương trình không ghi đè (hãy chọn tên khác hoặc xoá tệp cũ)")
        } else {
            Error::io(path.display(), vn_io(&e.error))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pair_is_written_whole_or_not_at_all() {
        let d = tempfile::tempdir().unwrap();
        let (a, b) = (d.path().join("k.docx"), d.path().join("k.pdf"));
        std::fs::write(&a, b"old docx").unwrap();
        // The PDF's place is taken by a folder: the DOCX is left as it was.
        std::fs::create_dir(&b).unwrap();
        let e = write_all(&[(a.clone(), b"new docx".to_vec()), (b.clone(), b"new pdf".to_vec())]).unwrap_err().to_string();
        assert!(e.contains("k.pdf") && e.contains("thư mục"), "{e}");
        assert_eq!(std::fs::read(&a).unwrap(), b"old docx");
        std::fs::remove_dir(&b).unwrap();
        write_all(&[(a.clone(), b"new docx".to_vec()), (b.clone(), b"new pdf".to_vec())]).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"new docx");
        assert_eq!(std::fs::read(&b).unwrap(), b"new pdf");
        let left: Vec<_> = std::fs::read_dir(d.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(left.len(), 2, "{left:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_failed_rename_puts_the_old_files_back() {
        use std::os::unix::fs::PermissionsExt;
        // The second target's folder refuses the rename (it is read-only), after the first target
        // was moved aside: both old files must be back.
        let d = tempfile::tempdir().unwrap();
        let ro = d.path().join("ro");
        std::fs::create_dir(&ro).unwrap();
        let (a, b) = (d.path().join("k.docx"), ro.join("k.pdf"));
        std::fs::write(&a, b"old docx").unwrap();
        std::fs::write(&b, b"old pdf").unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        let probe = ro.join("probe");
        if std::fs::write(&probe, b"").is_ok() {
            // Running as root: permissions do not stop the rename; nothing to show here.
            let _ = std::fs::remove_file(&probe);
            std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
            return;
        }
        let r = write_all(&[(a.clone(), b"new docx".to_vec()), (b.clone(), b"new pdf".to_vec())]);
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(r.is_err());
        assert_eq!(std::fs::read(&a).unwrap(), b"old docx");
        assert_eq!(std::fs::read(&b).unwrap(), b"old pdf");
    }

    #[cfg(unix)]
    #[test]
    fn permissions_follow_the_umask_and_secret_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        // The umask is the process's; this test reads it without changing it for long.
        let old = unsafe { libc::umask(0o027) };
        let d = tempfile::tempdir().unwrap();
        let (a, b) = (d.path().join("a.pdf"), d.path().join("b.pdf"));
        let r1 = write_all_as(&[(a.clone(), b"x".to_vec())], Privacy::Usual);
        let r2 = write_all_as(&[(b.clone(), b"x".to_vec())], Privacy::Private);
        unsafe { libc::umask(old) };
        r1.unwrap();
        r2.unwrap();
        assert_eq!(std::fs::metadata(&a).unwrap().permissions().mode() & 0o777, 0o640);
        assert_eq!(std::fs::metadata(&b).unwrap().permissions().mode() & 0o777, 0o600);
    }

    #[test]
    fn a_group_installs_its_units_after_one_flush() {
        let d = tempfile::tempdir().unwrap();
        let mut g: Group<usize> = Group::default();
        for i in 0..3 {
            let files = vec![(d.path().join(format!("{i}.docx")), vec![b'd'; i + 1]), (d.path().join(format!("{i}.pdf")), vec![b'p'; i + 1])];
            g.add(i, stage(&files, Privacy::Usual).unwrap(), 0);
        }
        g.add(3, Staged::default(), 0);
        // Staged: under temporary names only.
        assert!(!d.path().join("0.docx").exists());
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 6);
        // A folder where a unit's file should go: refused before anything of it is written.
        std::fs::create_dir(d.path().join("4.pdf")).unwrap();
        let e = stage(&[(d.path().join("4.docx"), b"d".to_vec()), (d.path().join("4.pdf"), b"p".to_vec())], Privacy::Usual).err().unwrap();
        assert!(e.to_string().contains("thư mục"), "{e}");
        let r = g.commit();
        assert_eq!(r.iter().map(|(k, r)| (*k, r.is_ok())).collect::<Vec<_>>(), [(0, true), (1, true), (2, true), (3, true)]);
        assert!(g.is_empty() && !g.due());
        assert_eq!(std::fs::read(d.path().join("2.pdf")).unwrap(), b"ppp");
        sync_dir(d.path()).unwrap();
        let mut left: Vec<String> = std::fs::read_dir(d.path()).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        assert_eq!(left, ["0.docx", "0.pdf", "1.docx", "1.pdf", "2.docx", "2.pdf", "4.pdf"]);
    }

    #[test]
    fn write_new_never_replaces() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("ke-hoach.json");
        write_new(&p, b"{}").unwrap();
        let e = write_new(&p, b"[]").unwrap_err().to_string();
        assert!(e.contains("không ghi đè"), "{e}");
        assert_eq!(std::fs::read(&p).unwrap(), b"{}");
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
    }
}
