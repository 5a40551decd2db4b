//! Where `-o FILE` (and `campaigns --summary FILE`) writes: results are complete or absent. A regular file (or a new
//! one) is written as `FILE.partial` and renamed to `FILE` once every row is written, so that `FILE` only ever
//! holds complete results (an earlier `FILE` stays until then) and a run that fails or is killed leaves
//! `FILE.partial`. Stdout, a device or a pipe is written directly: there is nothing to rename.
//!
//! A path that names one of this process's file descriptors (`-o /dev/stdout`, `/dev/fd/3`) is written through
//! that descriptor, not opened: on Linux, opening it opens its file anew, at offset 0 and truncated, so
//! `{ echo header; lurescan score -o /dev/stdout ...; } > log.txt` would write over the header.

use anyhow::{bail, Context, Result};
use std::cell::{Cell, RefCell};
use std::ffi::OsStr;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Component, Path, PathBuf};

pub struct OutputFile {
    /// The file the results end up in (a symbolic link's target, so that the link stays).
    path: PathBuf,
    /// Where they are written until then; `None` when written directly.
    partial: Option<PathBuf>,
    /// The file descriptor `path` names (`/dev/stdout` is 1), written through instead of opening `path`.
    descriptor: Option<i32>,
    /// Whether this run created `partial`: a failure names (or removes) only its own, never one left by another run.
    created: Cell<bool>,
    /// `partial`, held open and locked from [`OutputFile::create`] until it is renamed: a second run given the same
    /// `-o FILE` meanwhile stops instead of writing into it. The lock goes with this process, so a `FILE.partial`
    /// left by a killed run stops nobody.
    lock: RefCell<Option<File>>,
}

impl OutputFile {
    pub fn new(path: &Path) -> OutputFile {
        let descriptor = descriptor_of(path);
        if descriptor.is_some() || std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
            return OutputFile {
                path: path.to_path_buf(),
                partial: None,
                descriptor,
                created: Cell::new(false),
                lock: RefCell::new(None),
            };
        }
        let path = match path.is_symlink() {
            true => std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
            false => path.to_path_buf(),
        };
        let mut partial = path.clone().into_os_string();
        partial.push(".partial");
        OutputFile {
            path,
            partial: Some(partial.into()),
            descriptor: None,
            created: Cell::new(false),
            lock: RefCell::new(None),
        }
    }

    /// The path written to while the run lasts.
    pub fn writing(&self) -> &Path {
        self.partial.as_deref().unwrap_or(&self.path)
    }

    pub fn create(&self) -> Result<File> {
        if let Some(descriptor) = self.descriptor {
            return duplicate(descriptor).with_context(|| {
                format!("cannot write to {}: file descriptor {descriptor} is not open", self.path.display())
            });
        }
        let cannot_create =
            || format!("cannot create output {} (check the folder exists and is writable)", self.writing().display());
        // `FILE.partial` is opened without truncating (another run may be writing it), and emptied once locked.
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(self.partial.is_none())
            .open(self.writing())
            .with_context(cannot_create)?;
        if self.partial.is_some() {
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => bail!(
                    "another run is writing {} now ({} is in use): give each run its own -o FILE (with --shard, \
                     e.g. -o part-$I.jsonl), or wait for the other to finish",
                    self.path.display(),
                    self.writing().display()
                ),
                // A file system without locks: write as before.
                Err(TryLockError::Error(_)) => {}
            }
            *self.lock.borrow_mut() = Some(file.try_clone().with_context(cannot_create)?);
            file.set_len(0).with_context(cannot_create)?;
        }
        self.created.set(true);
        // A replaced file keeps its permissions.
        if let (Some(_), Ok(old)) = (&self.partial, std::fs::metadata(&self.path)) {
            let _ = file.set_permissions(old.permissions());
        }
        Ok(file)
    }

    /// Puts the complete results in place.
    pub fn finish(&self) -> Result<()> {
        match &self.partial {
            Some(partial) => File::open(partial)
                .and_then(|file| file.sync_all())
                .and_then(|()| std::fs::rename(partial, &self.path))
                .inspect(|()| drop(self.lock.take()))
                .with_context(|| {
                    format!(
                        "cannot rename {} to {}: the results are complete in the former",
                        partial.display(),
                        self.path.display()
                    )
                }),
            None => Ok(()),
        }
    }

    /// The error of a run that failed after [`OutputFile::create`], naming `FILE.partial` when it holds rows; an
    /// empty one (the run failed before writing any) is removed, as it holds nothing to look at.
    pub fn failed(&self, error: anyhow::Error) -> anyhow::Error {
        let Some(partial) = self.partial.as_ref().filter(|_| self.created.get()) else { return error };
        match std::fs::metadata(partial) {
            Ok(m) if m.len() == 0 => {
                let _ = std::fs::remove_file(partial);
                error
            }
            Ok(_) => error.context(format!(
                "the rows written so far are in {} ({} was not written)",
                partial.display(),
                self.path.display()
            )),
            Err(_) => error,
        }
    }
}

/// The file descriptor of this process that `path`, or a symbolic link on the way to its file, names: 1 for
/// `/dev/stdout`, 2 for `/dev/stderr`, N for `/dev/fd/N` and `/proc/self/fd/N`. Such a path leads to whatever the
/// descriptor is, often the regular file a shell opened for `> log.txt`: renaming `FILE.partial` over it would
/// replace that file, and opening it would write over what else was written to it.
fn descriptor_of(path: &Path) -> Option<i32> {
    let mut path = path.to_path_buf();
    // Links are followed one at a time (a loop of links ends here too), stopping at the first descriptor path.
    for _ in 0..40 {
        if let Some(descriptor) = descriptor_named(&path) {
            return Some(descriptor);
        }
        // A relative target is relative to the link's folder; `join` keeps an absolute one as it is.
        let target = std::fs::read_link(&path).ok()?;
        path = path.parent().map_or_else(|| target.clone(), |folder| folder.join(&target));
    }
    None
}

/// The descriptor `path` names as written: `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, or `/proc/self/fd/N`
/// (`/proc/thread-self/fd/N`, `/proc/PID/fd/N` of this process).
fn descriptor_named(path: &Path) -> Option<i32> {
    let parts: Vec<&OsStr> = path.components().filter(|c| *c != Component::CurDir).map(|c| c.as_os_str()).collect();
    let number = |part: &OsStr| part.to_str().filter(|s| s.bytes().all(|b| b.is_ascii_digit()))?.parse().ok();
    let this_process = |part: &OsStr| {
        part == "self" || part == "thread-self" || part.to_str() == Some(&std::process::id().to_string())
    };
    match parts.as_slice() {
        [root, dev, name] if *root == "/" && *dev == "dev" && *name == "stdout" => Some(1),
        [root, dev, name] if *root == "/" && *dev == "dev" && *name == "stderr" => Some(2),
        [root, dev, fd, n] if *root == "/" && *dev == "dev" && *fd == "fd" => number(n),
        [root, proc, process, fd, n] if *root == "/" && *proc == "proc" && this_process(process) && *fd == "fd" => {
            number(n)
        }
        _ => None,
    }
}

/// A new descriptor for the open file `descriptor` refers to (sharing its offset, as a shell's `>` and `>>` expect).
#[cfg(unix)]
fn duplicate(descriptor: i32) -> std::io::Result<File> {
    use std::os::fd::BorrowedFd;
    // SAFETY: `descriptor` is not negative (it was read from digits) and is borrowed only for the one
    // `fcntl(F_DUPFD_CLOEXEC)` call, which fails with EBADF when it is not open.
    let borrowed = unsafe { BorrowedFd::borrow_raw(descriptor) };
    Ok(File::from(borrowed.try_clone_to_owned()?))
}

/// Not reached: a descriptor path starts at `/`, which is no root of a path elsewhere.
#[cfg(not(unix))]
fn duplicate(_descriptor: i32) -> std::io::Result<File> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptor_paths_are_told_from_files() {
        let own = format!("/proc/{}/fd/4", std::process::id());
        for (path, descriptor) in [
            ("/dev/stdout", 1),
            ("/dev/stderr", 2),
            ("/dev/fd/1", 1),
            ("/dev/fd/12", 12),
            ("/proc/self/fd/1", 1),
            ("/proc/thread-self/fd/2", 2),
            (&own, 4),
        ] {
            assert_eq!(descriptor_named(Path::new(path)), Some(descriptor), "{path}");
        }
        for path in ["/dev/null", "/dev/fd", "/dev/fd/x", "/dev/fd/-1", "/proc/1/fd/1", "dev/stdout", "/tmp/stdout"] {
            assert_eq!(descriptor_named(Path::new(path)), None, "{path}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_stdout_is_written_directly_and_a_link_to_a_file_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let to_stdout = dir.path().join("out");
        std::os::unix::fs::symlink("/dev/stdout", &to_stdout).unwrap();
        let output = OutputFile::new(&to_stdout);
        assert_eq!((output.descriptor, output.partial), (Some(1), None));
        let file = dir.path().join("results.jsonl");
        std::fs::write(&file, "").unwrap();
        let to_file = dir.path().join("latest.jsonl");
        std::os::unix::fs::symlink("results.jsonl", &to_file).unwrap();
        let output = OutputFile::new(&to_file);
        assert_eq!(output.path, file.canonicalize().unwrap());
        assert!(output.partial.is_some());
    }
}
