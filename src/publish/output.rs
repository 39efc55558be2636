//! Writes a build beside the last good output and swaps it in only when complete.
//!
//! Files go to a staging folder next to the target (same file system, so the swap is a
//! rename). On Linux the swap is one atomic `renameat2(RENAME_EXCHANGE)`: at every moment
//! the target folder holds either the old site or the new one, whole.
//!
//! The old site is not deleted after the swap: it is kept beside the target
//! (`.NAME.hoidap-previous`) and the next build writes over it, sweeping away at commit what
//! it did not write. The folder of a build that fails, or of one that was killed (found by
//! the next build), is kept there the same way. Overwriting a file costs far less than deleting one and creating
//! another (on ext4 without a journal, creating inodes after mass deletion was most of a
//! 100,000-record build's time; see BENCHMARKS.md).

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// A build in progress. Dropping it without [`Output::commit`] leaves the target untouched
/// (its folder is kept to be written over by the next build).
#[derive(Debug)]
pub struct Output {
    staging: PathBuf,
    target: PathBuf,
    /// Where the old site is kept for the next build to write over ([`previous_of`]).
    previous: PathBuf,
    files: AtomicUsize,
    bytes: AtomicU64,
    committed: bool,
    /// Writing into the target itself ([`Output::in_place`]): nothing to swap or remove.
    in_place: bool,
    /// When the staging folder is a recycled old site, what this build has written there.
    recycled: Option<Recycled>,
    /// The staging folder, opened, when it started empty: files and folders are then made
    /// relative to it (see [`Fresh`]).
    #[cfg(unix)]
    fresh: Option<Fresh>,
}

/// An empty staging folder, written into relative to its open descriptor: each file costs
/// three system calls and a folder one (`mkdirat`, `openat`, `write`, `close`), and the
/// kernel looks up only the file's path below the folder, not the folder's own path again.
/// A build writes about 120,000 files at 100,000 records; the kernel's part of writing them
/// was a sixth of the build's CPU time.
#[cfg(unix)]
#[derive(Debug)]
struct Fresh {
    dir: rustix::fd::OwnedFd,
}

#[cfg(unix)]
impl Fresh {
    fn open(path: &Path) -> io::Result<Fresh> {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let dir = rustix::fs::open(path, flags, Mode::empty())?;
        Ok(Fresh { dir })
    }

    /// Writes `data` at `rel` (already checked by [`Output::path_of`]), making its folders:
    /// the file's own folder is made first, as nearly every page is the only file of its
    /// folder; when its parent is missing too, the folders above are made, top down.
    fn write(&self, rel: &str, data: &[u8]) -> io::Result<()> {
        use rustix::fs::{Mode, OFlags};
        use std::io::Write;
        if let Some((folder, _)) = rel.rsplit_once('/') {
            self.folder(folder)?;
        }
        let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(&self.dir, rel, flags, Mode::from_raw_mode(0o666))?;
        std::fs::File::from(fd).write_all(data)
    }

    /// Makes a folder below the staging folder, and those above it that are missing.
    fn folder(&self, folder: &str) -> io::Result<()> {
        use rustix::io::Errno;
        match rustix::fs::mkdirat(&self.dir, folder, rustix::fs::Mode::from_raw_mode(0o777)) {
            Ok(()) => Ok(()),
            // Another thread may have made it, or a build may write two files in it; a file
            // standing there fails the `openat` that follows.
            Err(Errno::EXIST) => Ok(()),
            Err(Errno::NOENT) => {
                if let Some((parent, _)) = folder.rsplit_once('/') {
                    self.folder(parent)?;
                }
                match rustix::fs::mkdirat(&self.dir, folder, rustix::fs::Mode::from_raw_mode(0o777))
                {
                    Ok(()) | Err(Errno::EXIST) => Ok(()),
                    Err(e) => Err(e.into()),
                }
            }
            Err(e) => Err(e.into()),
        }
    }
}

/// What a build has written into a recycled old site.
#[derive(Debug, Default)]
struct Recycled {
    /// The files written, so that the rest can be swept away at commit.
    written: Mutex<Vec<String>>,
    /// The folders made or found to be real folders (not links).
    folders: Mutex<HashSet<String>>,
}

fn lock<T>(m: &Mutex<T>) -> io::Result<std::sync::MutexGuard<'_, T>> {
    m.lock().map_err(|_| poisoned())
}

/// A lock left by a writer thread that panicked.
fn poisoned() -> io::Error {
    io::Error::other("a writer thread panicked")
}

/// What a committed build wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub files: usize,
    pub bytes: u64,
}

const STAGING_TAG: &str = ".hoidap-staging-";
const PREVIOUS_TAG: &str = ".hoidap-previous";

impl Output {
    /// Starts a build that will replace `target`.
    pub fn create(target: &Path) -> io::Result<Output> {
        let target = absolute(target)?;
        let parent = target
            .parent()
            .ok_or_else(|| io::Error::other("the output folder has no parent folder"))?;
        let name = target
            .file_name()
            .ok_or_else(|| io::Error::other("the output folder has no name"))?
            .to_string_lossy()
            .into_owned();
        std::fs::create_dir_all(parent)?;
        let previous = previous_of(&target)?;
        remove_stale_staging(parent, &name, &previous);
        let staging = parent.join(format!(".{name}{STAGING_TAG}{}", std::process::id()));
        if staging.exists() {
            std::fs::remove_dir_all(&staging)?;
        }
        // Another build may take the old site first; then this one starts empty.
        let recycled = std::fs::rename(&previous, &staging).is_ok();
        if !recycled {
            std::fs::create_dir(&staging)?;
        }
        #[cfg(unix)]
        let fresh = match recycled {
            true => None,
            false => Some(Fresh::open(&staging)?),
        };
        Ok(Output {
            #[cfg(unix)]
            fresh,
            staging,
            target,
            previous,
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            committed: false,
            in_place: false,
            recycled: recycled.then(Recycled::default),
        })
    }

    /// Writes straight into an existing folder, for the live preview's re-rendering of a few
    /// pages: each file is written beside its place and renamed over it, so a reader gets the
    /// old file or the new one, never half of one. Nothing is swapped in or removed.
    pub fn in_place(dir: &Path) -> io::Result<Output> {
        let dir = absolute(dir)?;
        if !dir.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{} is not a folder", dir.display()),
            ));
        }
        Ok(Output {
            // Nothing is swapped, so no old site is kept.
            previous: PathBuf::new(),
            staging: dir.clone(),
            target: dir,
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            committed: true,
            in_place: true,
            recycled: None,
            #[cfg(unix)]
            fresh: None,
        })
    }

    /// Writes one file at a `/`-separated path relative to the site root.
    /// Safe to call from many threads at once.
    pub fn write(&self, rel: &str, data: &[u8]) -> io::Result<()> {
        #[cfg(unix)]
        if let Some(fresh) = &self.fresh {
            check(rel)?;
            fresh.write(rel, data)?;
            self.files.fetch_add(1, Ordering::Relaxed);
            self.bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
            return Ok(());
        }
        let (path, old_len) = self.prepare(rel)?;
        if self.in_place {
            replace_file(&path, data)?;
        } else if !(old_len == Some(data.len() as u64) && same_content(&path, data)) {
            std::fs::write(&path, data)?;
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
        Ok(())
    }

    /// Writes one file through a buffered stream, for exports too large to hold in memory.
    pub fn write_stream(
        &self,
        rel: &str,
        fill: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
    ) -> io::Result<()> {
        if self.in_place {
            let mut data = Vec::new();
            fill(&mut data)?;
            return self.write(rel, &data);
        }
        let (path, _) = self.prepare(rel)?;
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(self.recycled.is_none())
            .open(&path)?;
        let mut w = io::BufWriter::with_capacity(1 << 20, Overwrite::new(file));
        fill(&mut w)?;
        let bytes = w
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?
            .finish()?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        Ok(())
    }

    /// The path to write `rel` at, with its folder made, and the length of the regular file
    /// already there (only in a recycled folder). In a recycled folder, whatever stands in the
    /// way (a file or link where a folder is now needed, a folder or link where the file goes)
    /// is removed, and the path is noted as written.
    fn prepare(&self, rel: &str) -> io::Result<(PathBuf, Option<u64>)> {
        let path = self.path_of(rel)?;
        let Some(recycled) = &self.recycled else {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            return Ok((path, None));
        };
        self.make_folders(recycled, rel)?;
        // Never write through a link left in the old folder: replace it by the file.
        let old_len = match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_dir() => {
                std::fs::remove_dir_all(&path)?;
                None
            }
            Ok(m) if m.file_type().is_symlink() => {
                std::fs::remove_file(&path)?;
                None
            }
            Ok(m) => m.is_file().then_some(m.len()),
            Err(_) => None,
        };
        lock(&recycled.written)?.push(rel.to_string());
        Ok((path, old_len))
    }

    /// Makes the folders on the way to `rel` in a recycled folder, top down, without following
    /// links: a link (or file) left in the old site where a folder goes is replaced by the
    /// folder. A folder found sound is remembered, so each is looked at about once a build.
    fn make_folders(&self, recycled: &Recycled, rel: &str) -> io::Result<()> {
        let folders = rel.match_indices('/').map(|(slash, _)| &rel[..slash]);
        for folder in folders {
            if lock(&recycled.folders)?.contains(folder) {
                continue;
            }
            real_folder(&self.staging.join(folder))?;
            lock(&recycled.folders)?.insert(folder.to_string());
        }
        Ok(())
    }

    fn path_of(&self, rel: &str) -> io::Result<PathBuf> {
        check(rel)?;
        Ok(self.staging.join(rel))
    }

    /// Swaps the finished build in place of the target and removes the old one.
    pub fn commit(mut self) -> io::Result<Written> {
        let written = Written {
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
        };
        if self.in_place {
            return Ok(written);
        }
        if let Some(recycled) = self.recycled.take() {
            let paths = recycled.written.into_inner().map_err(|_| poisoned())?;
            sweep(&self.staging, paths)?;
        }
        swap_in(&self.staging, &self.target)?;
        self.committed = true;
        // After an exchange the staging path holds the old site: kept for the next build.
        if self.staging.exists() {
            keep_as_previous(&self.staging, &self.previous)?;
        }
        Ok(written)
    }
}

/// Refuses a path that would leave the output (or is not a plain relative path).
fn check(rel: &str) -> io::Result<()> {
    let bad = rel.is_empty()
        || rel.starts_with('/')
        || rel
            .split('/')
            .any(|part| part == ".." || part == "." || part.is_empty());
    if bad {
        return Err(io::Error::other(format!(
            "refusing to write outside the output: {rel:?}"
        )));
    }
    Ok(())
}

/// Where the site before last of `target` is kept.
fn previous_of(target: &Path) -> io::Result<PathBuf> {
    let name = target
        .file_name()
        .ok_or_else(|| io::Error::other("the output folder has no name"))?;
    Ok(target.with_file_name(format!(".{}{PREVIOUS_TAG}", name.to_string_lossy())))
}

impl Drop for Output {
    fn drop(&mut self) {
        // A failed build's files are as good to write over as the old site's.
        if !self.committed {
            let _ = keep_as_previous(&self.staging, &self.previous);
        }
    }
}

/// Whether the file at `path`, already known to be as long as `data`, holds exactly `data`.
/// Most pages of a rebuild do not change; leaving them alone spares truncating and rewriting
/// them (and keeps their dates).
fn same_content(path: &Path, data: &[u8]) -> bool {
    std::fs::read(path).is_ok_and(|old| old == data)
}

/// Moves a folder of old output to where the next build recycles it, or removes it when
/// another is already there.
fn keep_as_previous(dir: &Path, previous: &Path) -> io::Result<()> {
    if previous.exists() || std::fs::rename(dir, previous).is_err() {
        std::fs::remove_dir_all(dir)?;
    }
    Ok(())
}

/// Makes `at` a real folder, removing a file or link found there. Another thread may be doing
/// the same at once: whatever fails, what matters is that a folder stands there after.
fn real_folder(at: &Path) -> io::Result<()> {
    let is_folder = || std::fs::symlink_metadata(at).is_ok_and(|m| m.is_dir());
    let made = match std::fs::symlink_metadata(at) {
        Ok(m) if m.is_dir() => return Ok(()),
        Ok(_) => match std::fs::remove_file(at) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => std::fs::create_dir(at),
        },
        Err(_) => std::fs::create_dir(at),
    };
    match made {
        Err(e) if !is_folder() => Err(e),
        _ => Ok(()),
    }
}

/// Removes from a recycled folder every file this build did not write, and the folders
/// left empty.
fn sweep(root: &Path, written: Vec<String>) -> io::Result<()> {
    let mut keep_dirs: HashSet<&str> = HashSet::new();
    for rel in &written {
        let mut end = rel.len();
        while let Some(slash) = rel[..end].rfind('/') {
            if !keep_dirs.insert(&rel[..slash]) {
                break;
            }
            end = slash;
        }
    }
    let files: HashSet<&str> = written.iter().map(String::as_str).collect();
    let walker = walkdir::WalkDir::new(root)
        .min_depth(1)
        .contents_first(true);
    for entry in walker {
        let entry = entry.map_err(io::Error::other)?;
        let rel = crate::load::relative(root, entry.path());
        if entry.file_type().is_dir() {
            if !keep_dirs.contains(rel.as_str()) {
                std::fs::remove_dir(entry.path())?;
            }
        } else if !files.contains(rel.as_str()) {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// Writes a file through a temporary one in the same folder, renamed over it: readers see
/// the old file or the new one, never half of one. The temporary name is unique to this
/// process and call, so writers running at once never share one.
pub(crate) fn replace_file(path: &Path, data: &[u8]) -> io::Result<()> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::other("a file path without a name"))?;
    let tmp = path.with_file_name(format!(
        ".{}.tmp-{}-{}",
        name.to_string_lossy(),
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let written = std::fs::write(&tmp, data).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Writes a file over an older version of itself: as long as the bytes are the same, they
/// are only compared; from the first difference on they are written. An unchanged export
/// is then read, never rewritten.
struct Overwrite {
    file: std::fs::File,
    /// Bytes taken so far.
    written: u64,
    /// Whether all of them equal the old file's.
    same: bool,
    old: Vec<u8>,
}

impl Overwrite {
    fn new(file: std::fs::File) -> Overwrite {
        Overwrite {
            file,
            written: 0,
            same: true,
            old: Vec::new(),
        }
    }

    /// Cuts off what is left of the old file; returns the bytes written.
    fn finish(self) -> io::Result<u64> {
        if self.file.metadata()?.len() != self.written {
            self.file.set_len(self.written)?;
        }
        Ok(self.written)
    }

    /// How many of `buf`'s first bytes the old file holds at the current place.
    fn unchanged(&mut self, buf: &[u8]) -> io::Result<usize> {
        use std::io::Read;
        self.old.resize(buf.len(), 0);
        let mut got = 0;
        while got < buf.len() {
            match self.file.read(&mut self.old[got..])? {
                0 => break,
                n => got += n,
            }
        }
        Ok(self.old[..got]
            .iter()
            .zip(buf)
            .take_while(|(a, b)| a == b)
            .count())
    }
}

impl io::Write for Overwrite {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        use std::io::Seek;
        if self.same {
            let equal = self.unchanged(buf)?;
            if equal < buf.len() {
                self.same = false;
                self.file
                    .seek(io::SeekFrom::Start(self.written + equal as u64))?;
                self.file.write_all(&buf[equal..])?;
            }
            self.written += buf.len() as u64;
            return Ok(buf.len());
        }
        let n = self.file.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

fn absolute(path: &Path) -> io::Result<PathBuf> {
    if path.is_absolute() {
        Ok(path.to_path_buf())
    } else {
        Ok(std::env::current_dir()?.join(path))
    }
}

#[cfg(target_os = "linux")]
fn swap_in(staging: &Path, target: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    if target.exists() {
        renameat_with(CWD, staging, CWD, target, RenameFlags::EXCHANGE).map_err(io::Error::from)
    } else {
        std::fs::rename(staging, target)
    }
}

#[cfg(not(target_os = "linux"))]
fn swap_in(staging: &Path, target: &Path) -> io::Result<()> {
    // Two renames: if the process dies between them, the old site is at `old`.
    if target.exists() {
        let old = staging.with_extension("old");
        std::fs::rename(target, &old)?;
        std::fs::rename(staging, target)?;
        return std::fs::rename(&old, staging);
    }
    std::fs::rename(staging, target)
}

/// Clears away staging folders left by builds that were killed: the first becomes the old
/// site to recycle when there is none, the others are removed.
fn remove_stale_staging(parent: &Path, name: &str, previous: &Path) {
    let prefix = format!(".{name}{STAGING_TAG}");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        if !process_alive(pid) {
            let _ = keep_as_previous(&entry.path(), previous);
        }
    }
}

/// Whether the process of a folder's name is running (on Linux; elsewhere, `false`).
pub(crate) fn process_alive(pid: &str) -> bool {
    cfg!(target_os = "linux") && Path::new("/proc").join(pid).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_and_drop_discards() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let out = Output::create(&target).unwrap();
        out.write("index.html", b"one").unwrap();
        out.write("a/b/index.html", b"two").unwrap();
        assert_eq!(out.commit().unwrap(), Written { files: 2, bytes: 6 });
        assert_eq!(
            std::fs::read(target.join("a/b/index.html")).unwrap(),
            b"two"
        );

        let out = Output::create(&target).unwrap();
        out.write("index.html", b"half").unwrap();
        drop(out);
        assert_eq!(std::fs::read(target.join("index.html")).unwrap(), b"one");

        let out = Output::create(&target).unwrap();
        out.write("new.html", b"x").unwrap();
        out.commit().unwrap();
        assert!(!target.join("index.html").exists());
        let mut leftovers: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        leftovers.sort();
        assert_eq!(
            leftovers,
            [".public.hoidap-previous", "public"],
            "the output, and the old one kept to be written over"
        );
    }

    fn tree(root: &Path) -> Vec<(String, String)> {
        let mut all: Vec<(String, String)> = walkdir::WalkDir::new(root)
            .min_depth(1)
            .into_iter()
            .map(|e| e.unwrap())
            .map(|e| {
                let rel = crate::load::relative(root, e.path());
                let body = if e.file_type().is_dir() {
                    "/".to_string()
                } else {
                    std::fs::read_to_string(e.path()).unwrap()
                };
                (rel, body)
            })
            .collect();
        all.sort();
        all
    }

    /// Builds `files` (each holding "old") into `public/` in `dir` twice, so that the first
    /// build is kept as the previous output; returns the target and that folder.
    fn kept_as_previous(dir: &Path, files: &[&str]) -> (PathBuf, PathBuf) {
        let target = dir.join("public");
        for _ in 0..2 {
            let out = Output::create(&target).unwrap();
            for rel in files {
                out.write(rel, b"old").unwrap();
            }
            out.commit().unwrap();
        }
        (target, dir.join(".public.hoidap-previous"))
    }

    /// A link found in the old site where a file is written is replaced, never followed.
    #[cfg(unix)]
    #[test]
    fn links_in_a_recycled_folder_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside.txt");
        std::fs::write(&outside, "keep").unwrap();
        let (target, previous) = kept_as_previous(dir.path(), &["a.html"]);
        std::fs::remove_file(previous.join("a.html")).unwrap();
        std::os::unix::fs::symlink(&outside, previous.join("a.html")).unwrap();
        let out = Output::create(&target).unwrap();
        out.write("a.html", b"new").unwrap();
        out.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep");
        assert_eq!(
            std::fs::read_to_string(target.join("a.html")).unwrap(),
            "new"
        );
        assert!(!target.join("a.html").is_symlink());
    }

    /// A link to a folder left in the old site is not written through either, at any depth.
    #[cfg(unix)]
    #[test]
    fn linked_folders_in_a_recycled_folder_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(outside.join("index.html"), "keep").unwrap();
        let old = ["records/a/index.html", "top/index.html"];
        let (target, previous) = kept_as_previous(dir.path(), &old);
        for linked in ["records/a", "top"] {
            std::fs::remove_dir_all(previous.join(linked)).unwrap();
            std::os::unix::fs::symlink(&outside, previous.join(linked)).unwrap();
        }
        let out = Output::create(&target).unwrap();
        assert!(out.recycled.is_some(), "the old site is written over");
        out.write("records/a/index.html", b"new").unwrap();
        out.write("top/index.html", b"new").unwrap();
        out.write("top/page/2/index.html", b"new").unwrap();
        out.commit().unwrap();
        assert_eq!(
            tree(&outside),
            [("index.html".to_string(), "keep".to_string())]
        );
        for linked in ["records/a", "top"] {
            assert!(!target.join(linked).is_symlink(), "{linked}");
            let page = target.join(linked).join("index.html");
            assert_eq!(std::fs::read_to_string(page).unwrap(), "new");
        }
    }

    /// Threads writing at once under a folder that is a file or a link in the old site all
    /// find the folder they need.
    #[cfg(unix)]
    #[test]
    fn threads_replacing_the_same_old_file_by_a_folder_agree() {
        // The race is not certain in one round; eight make missing it unlikely.
        for _ in 0..8 {
            replace_old_files_by_folders_from_many_threads();
        }
    }

    #[cfg(unix)]
    fn replace_old_files_by_folders_from_many_threads() {
        use rayon::prelude::*;
        let dir = tempfile::tempdir().unwrap();
        let (target, previous) = kept_as_previous(dir.path(), &["file", "link"]);
        std::fs::remove_file(previous.join("link")).unwrap();
        std::os::unix::fs::symlink(dir.path(), previous.join("link")).unwrap();
        let out = Output::create(&target).unwrap();
        (0..64).into_par_iter().for_each(|i| {
            for top in ["file", "link"] {
                out.write(&format!("{top}/{}/{i}.html", i % 4), b"new")
                    .unwrap();
            }
        });
        out.commit().unwrap();
        for top in ["file", "link"] {
            let pages = tree(&target.join(top));
            let pages = pages
                .iter()
                .filter(|(rel, body)| rel.ends_with(".html") && body == "new");
            assert_eq!(pages.count(), 64, "{top}");
        }
    }

    /// A build written over the old site must leave exactly what a build into an empty
    /// folder leaves: old files and emptied folders gone, files and folders trading places.
    #[test]
    fn a_recycled_folder_ends_as_a_fresh_one() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let old: [(&str, &str); 6] = [
            ("index.html", "old"),
            ("gone/deep/index.html", "old"),
            ("kept/index.html", "old"),
            ("kept/gone.html", "old"),
            ("was-file", "old"),
            ("was-dir/inner/x.html", "old"),
        ];
        let new: [(&str, &str); 5] = [
            ("index.html", "new"),
            ("kept/index.html", "new"),
            ("was-file/index.html", "new"),
            ("was-dir", "new"),
            ("fresh/a/b.html", "new"),
        ];
        for files in [&old[..], &old[..]] {
            let out = Output::create(&target).unwrap();
            for (rel, body) in files {
                out.write(rel, body.as_bytes()).unwrap();
            }
            out.commit().unwrap();
        }
        let out = Output::create(&target).unwrap();
        assert!(out.recycled.is_some(), "the old site is written over");
        for (rel, body) in new {
            out.write(rel, body.as_bytes()).unwrap();
        }
        out.commit().unwrap();

        let fresh = dir.path().join("fresh");
        let out = Output::create(&fresh).unwrap();
        assert!(out.recycled.is_none());
        for (rel, body) in new {
            out.write(rel, body.as_bytes()).unwrap();
        }
        out.commit().unwrap();
        assert_eq!(tree(&target), tree(&fresh));
    }

    /// Threads writing at once into a fresh output, at depths whose folders none has made
    /// yet, all find their folders; a file where a folder is needed is an error, not a panic.
    #[test]
    fn threads_writing_into_a_fresh_folder_make_the_folders_they_need() {
        use rayon::prelude::*;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let out = Output::create(&target).unwrap();
        let files: Vec<String> = (0..200)
            .flat_map(|i| {
                [
                    format!("a/{}/page/{i}/index.html", i % 3),
                    format!("a/{}/x{i}.html", i % 5),
                    format!("top{i}.html"),
                ]
            })
            .collect();
        files
            .par_iter()
            .for_each(|rel| out.write(rel, rel.as_bytes()).unwrap());
        assert!(out.write("top1.html/x.html", b"").is_err());
        assert!(out.write("a/../x.html", b"").is_err());
        assert_eq!(out.commit().unwrap().files, files.len());
        for rel in &files {
            assert_eq!(std::fs::read_to_string(target.join(rel)).unwrap(), *rel);
        }
        let all = tree(&target);
        assert_eq!(all.iter().filter(|(_, body)| body != "/").count(), 600);
    }

    #[test]
    fn in_place_replaces_files_and_keeps_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("old.html"), "old").unwrap();
        std::fs::write(dir.path().join("index.html"), "one").unwrap();
        let out = Output::in_place(dir.path()).unwrap();
        out.write("index.html", b"two").unwrap();
        out.write("a/index.html", b"new").unwrap();
        assert_eq!(out.commit().unwrap(), Written { files: 2, bytes: 6 });
        let read = |p: &str| std::fs::read_to_string(dir.path().join(p)).unwrap();
        assert_eq!(
            (read("index.html"), read("a/index.html"), read("old.html")),
            ("two".into(), "new".into(), "old".into())
        );
        let names = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(names, 3, "no temporary file is left");
        assert!(Output::in_place(&dir.path().join("nope")).is_err());
        assert!(
            Output::in_place(dir.path())
                .unwrap()
                .write("../x", b"")
                .is_err()
        );
    }

    /// A streamed file written over an older one ends as exactly the new bytes, whether it
    /// is longer, shorter, the same, or differs anywhere.
    #[test]
    fn streams_over_old_files_end_as_the_new_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let big: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        let mut changed = big.clone();
        changed[2_000_000] ^= 1;
        // Each build writes over the one before last: the same bytes, then changed, shorter,
        // empty over changed, and longer.
        let versions: [&[u8]; 7] = [&big, &big, &big, &changed, &big[..10], b"", &big];
        for data in versions {
            let out = Output::create(&target).unwrap();
            out.write_stream("data/x.bin", |w| {
                for chunk in data.chunks(70_000) {
                    w.write_all(chunk)?;
                }
                Ok(())
            })
            .unwrap();
            out.commit().unwrap();
            assert_eq!(std::fs::read(target.join("data/x.bin")).unwrap(), data);
        }
    }

    #[test]
    fn refuses_paths_outside() {
        let dir = tempfile::tempdir().unwrap();
        let out = Output::create(&dir.path().join("public")).unwrap();
        assert!(out.write("../x", b"").is_err());
        assert!(out.write("/etc/x", b"").is_err());
        assert!(out.write("a//b", b"").is_err());
    }

    #[test]
    fn stale_staging_of_dead_builds_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(format!(".public{STAGING_TAG}999999999"));
        std::fs::create_dir(&stale).unwrap();
        let _out = Output::create(&dir.path().join("public")).unwrap();
        assert!(!stale.exists());
    }
}
