//! Writes a build beside the last good output and swaps it in only when complete.
//!
//! Files go to a staging folder next to the target (same file system, so the swap is a
//! rename). On Linux the swap is one atomic `renameat2(RENAME_EXCHANGE)`: at every moment
//! the target folder holds either the old site or the new one, whole. A build that fails or
//! is killed leaves only a staging folder, which the next build removes.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// A build in progress. Dropping it without [`Output::commit`] discards it.
#[derive(Debug)]
pub struct Output {
    staging: PathBuf,
    target: PathBuf,
    files: AtomicUsize,
    bytes: AtomicU64,
    committed: bool,
    /// Writing into the target itself ([`Output::in_place`]): nothing to swap or remove.
    in_place: bool,
}

/// What a committed build wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub files: usize,
    pub bytes: u64,
}

const STAGING_TAG: &str = ".hoidap-staging-";

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
        remove_stale_staging(parent, &name);
        let staging = parent.join(format!(".{name}{STAGING_TAG}{}", std::process::id()));
        if staging.exists() {
            std::fs::remove_dir_all(&staging)?;
        }
        std::fs::create_dir(&staging)?;
        Ok(Output {
            staging,
            target,
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            committed: false,
            in_place: false,
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
            staging: dir.clone(),
            target: dir,
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            committed: true,
            in_place: true,
        })
    }

    /// Writes one file at a `/`-separated path relative to the site root.
    /// Safe to call from many threads at once.
    pub fn write(&self, rel: &str, data: &[u8]) -> io::Result<()> {
        let path = self.path_of(rel)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        if self.in_place {
            replace_file(&path, data)?;
        } else {
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
        let path = self.path_of(rel)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = std::fs::File::create(&path)?;
        let mut w = Counting {
            inner: io::BufWriter::with_capacity(1 << 20, file),
            bytes: 0,
        };
        fill(&mut w)?;
        io::Write::flush(&mut w.inner)?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(w.bytes, Ordering::Relaxed);
        Ok(())
    }

    /// Copies a file into the output.
    pub fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        if self.in_place {
            return self.write(rel, &std::fs::read(from)?);
        }
        let path = self.path_of(rel)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let n = std::fs::copy(from, &path)?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(n, Ordering::Relaxed);
        Ok(())
    }

    /// Whether a file was already written at `rel`.
    pub fn exists(&self, rel: &str) -> bool {
        self.path_of(rel).is_ok_and(|p| p.exists())
    }

    /// The staging folder, for writers that need a real path (the search index).
    pub fn staging_dir(&self) -> &Path {
        &self.staging
    }

    fn path_of(&self, rel: &str) -> io::Result<PathBuf> {
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
        swap_in(&self.staging, &self.target)?;
        self.committed = true;
        // After an exchange the staging path holds the old site.
        if self.staging.exists() {
            std::fs::remove_dir_all(&self.staging)?;
        }
        Ok(written)
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// Writes a file through a temporary one in the same folder, renamed over it.
fn replace_file(path: &Path, data: &[u8]) -> io::Result<()> {
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

/// A writer that counts what passes through it.
struct Counting<W> {
    inner: W,
    bytes: u64,
}

impl<W: io::Write> io::Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
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

/// Removes staging folders left by builds that were killed.
fn remove_stale_staging(parent: &Path, name: &str) {
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
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn process_alive(pid: &str) -> bool {
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
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "only the output remains");
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
