//! [`ModelFolder`]: a model folder on disk — the names of its files, reading them, and replacing a whole folder
//! atomically — and [`ModelFiles`], the same files in memory. Loading and checking them is
//! [`crate::Classifier::load`] / [`crate::Classifier::from_files`]; writing one is the training crate's.
//!
//! A model folder follows the Hugging Face layout, so that `transformers` reads its BERT part: `config.json`
//! ([`crate::BertConfig`]), `model.safetensors`, `tokenizer.json`, plus lurescan's `lurescan.json`
//! ([`crate::Settings`]) and the optional `lexical.safetensors`, `exemplars.jsonl` and `exemplars.safetensors`.

use crate::error::{Error, Result};
use std::io;
use std::path::{Path, PathBuf};

/// A model folder on disk, by its path. It owns the names of the folder's files: everything that reads or writes
/// one goes through these names.
///
/// ```
/// use lurescan::ModelFolder;
///
/// let folder = ModelFolder::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tiny-bert"));
/// assert!(folder.is_model());
/// assert!(folder.file(ModelFolder::WEIGHTS).ends_with("tiny-bert/model.safetensors"));
/// let classifier = lurescan::Classifier::load(folder.dir())?;
/// # Ok::<(), lurescan::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelFolder {
    dir: PathBuf,
}

impl ModelFolder {
    /// Hugging Face `BertConfig`.
    pub const CONFIG: &'static str = "config.json";
    /// The BERT's weights, Hugging Face `BertForSequenceClassification` tensor names.
    pub const WEIGHTS: &'static str = "model.safetensors";
    /// The Hugging Face `tokenizers` tokenizer.
    pub const TOKENIZER: &'static str = "tokenizer.json";
    /// lurescan's own settings: thresholds, temperature, rendering, ensemble weights.
    pub const SETTINGS: &'static str = "lurescan.json";
    /// The optional lexical ensemble member ([`crate::lexical`]).
    pub const LEXICAL: &'static str = "lexical.safetensors";
    /// The optional exemplars ([`crate::exemplars`]).
    pub const EXEMPLARS: &'static str = "exemplars.jsonl";
    /// The cache of the embeddings of a model folder's exemplars, written by training: embedding a few hundred
    /// exemplars with a 12-layer encoder takes seconds, which every `lurescan score` would otherwise pay at start.
    /// It holds `embeddings` (f32 `[n, hidden]`) and `key` (u8 `[16]`, [`crate::exemplars::cache_key`]); a cache whose key does not
    /// match the folder's weights, tokenizer, config, rendering and exemplar texts is ignored and the exemplars are
    /// embedded again, so a stale cache is never used.
    pub const EXEMPLAR_CACHE: &'static str = "exemplars.safetensors";
    /// The generated model card.
    pub const CARD: &'static str = "README.md";

    pub fn new(dir: impl Into<PathBuf>) -> Self {
        ModelFolder { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The path of the folder's file `name` (one of the constants above).
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Whether the folder looks like a lurescan model folder (it has `lurescan.json` or `config.json`), i.e. one
    /// that a new model may replace.
    pub fn is_model(&self) -> bool {
        self.file(Self::SETTINGS).is_file() || self.file(Self::CONFIG).is_file()
    }

    /// The bytes of the required file `name` and its path; [`Error::MissingFile`] when the folder lacks it.
    pub fn read(&self, name: &'static str) -> Result<(PathBuf, Vec<u8>)> {
        let path = self.file(name);
        if !self.dir.exists() {
            // `Classifier::load("base")`: the CLI's `--model base` names a built-in model, a path here does not.
            let what = match self.dir.to_str() {
                Some(name) if crate::ModelFiles::BUILTIN.contains(&name) => {
                    "no such folder; the built-in models (`base`, `fast`) load with \
                     `Classifier::from_files(ModelFiles::builtin(\"base\").unwrap())`, with the crate's `builtin-model` \
                     feature"
                }
                _ => "no such folder (a model folder holds config.json, model.safetensors, tokenizer.json and lurescan.json)",
            };
            return Err(Error::NotAFolder { path: self.dir.clone(), what });
        }
        if !self.dir.is_dir() {
            return Err(Error::NotAFolder {
                path: self.dir.clone(),
                what: "a file, not a model folder: give the folder that holds it",
            });
        }
        if !path.is_file() {
            return Err(Error::MissingFile { path: self.dir.clone(), what: name });
        }
        let bytes = std::fs::read(&path).map_err(|error| Error::Io { path: path.clone(), error })?;
        Ok((path, bytes))
    }

    /// Replaces the folder `out` with one that `fill` writes: `fill` gets a fresh `OUT.tmp-<pid>/` to write into,
    /// which is then flushed to disk and swapped in for `OUT` ([`publish`]); the old folder, moved to
    /// `OUT.old-<pid>`, is removed last. `OUT` is the whole old folder or the whole new one, never half of one,
    /// whenever the process is killed; a kill while filling leaves `OUT.tmp-<pid>/` behind. `swapped` runs
    /// between the swap and the removal (a test's fault point; pass `|| {}`).
    pub fn replace<E: From<Error>>(
        out: &Path,
        fill: impl FnOnce(&Path) -> Result<(), E>,
        swapped: impl FnOnce(),
    ) -> Result<(), E> {
        let tmp = sibling(out, &format!(".tmp-{}", std::process::id()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(write_error(&tmp))?;
        }
        std::fs::create_dir_all(&tmp).map_err(write_error(&tmp))?;
        fill(&tmp)?;
        let old = sibling(out, &format!(".old-{}", std::process::id()));
        publish(&tmp, out, &old)?;
        swapped();
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(write_error(&old))?;
        }
        Ok(())
    }
}

/// The files of a model folder, in memory (for a model embedded in a binary).
#[derive(Debug, Clone, Copy)]
pub struct ModelFiles<'a> {
    pub config_json: &'a [u8],
    pub safetensors: &'a [u8],
    pub tokenizer_json: &'a [u8],
    pub lurescan_json: &'a [u8],
    /// `lexical.safetensors`, for a folder with a lexical ensemble member.
    pub lexical_safetensors: Option<&'a [u8]>,
    /// `exemplars.jsonl`, for a folder with exemplars.
    pub exemplars_jsonl: Option<&'a [u8]>,
    /// `exemplars.safetensors`, the cached embeddings of the exemplars (used only when its key matches).
    pub exemplars_safetensors: Option<&'a [u8]>,
}

/// A sibling of `path` named `<name><suffix>` (works with a trailing slash too).
pub fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "model".into());
    path.parent().unwrap_or(Path::new("")).join(format!("{name}{suffix}"))
}

fn write_error(path: &Path) -> impl FnOnce(io::Error) -> Error {
    let path = path.to_path_buf();
    move |source| Error::Write { path, source }
}

/// Publishes the folder `new`, already filled, at `target`: gives its files the usual mode, flushes them and the
/// folder to disk, and puts it at `target`; a folder already at `target` ends up at `old` (the caller removes it).
/// On Linux the two are exchanged in one step (`renameat2` with `RENAME_EXCHANGE`), so `target` always names a
/// whole folder, the old or the new, even if the process is killed; elsewhere, and on file systems without it,
/// `target` is moved to `old` first, and a kill between the two renames leaves the old folder at `old` and the new
/// one at `new`. The one helper behind every atomic folder replacement (model folders, training checkpoints).
pub fn publish(new: &Path, target: &Path, old: &Path) -> Result<()> {
    normal_modes(new)?;
    sync_folder(new)?;
    if !target.exists() {
        return std::fs::rename(new, target).map_err(write_error(target));
    }
    if exchange(new, target).is_ok() {
        return std::fs::rename(new, old).map_err(write_error(old));
    }
    std::fs::rename(target, old).map_err(write_error(target))?;
    std::fs::rename(new, target).map_err(write_error(target))
}

/// Exchanges two paths atomically (Linux only: an error elsewhere).
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Exchanges two paths atomically.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths that outlive the call; renameat2 only reads them.
    let status =
        unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
    match status {
        0 => Ok(()),
        _ => Err(io::Error::last_os_error()),
    }
}

/// Flushes every file directly in `dir`, and `dir` itself, to disk: the rename that publishes the folder must not
/// reach the disk before its contents do (a power cut would leave a folder of empty files).
fn sync_folder(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(write_error(dir))? {
        let path = entry.map_err(write_error(dir))?.path();
        if path.is_file() {
            std::fs::File::open(&path).and_then(|f| f.sync_all()).map_err(write_error(&path))?;
        }
    }
    if cfg!(unix) {
        std::fs::File::open(dir).and_then(|f| f.sync_all()).map_err(write_error(dir))?;
    }
    Ok(())
}

/// Gives every file directly in `dir` the mode a file made with [`std::fs::File::create`] gets there (0644 under
/// the usual umask). The safetensors writer goes through a private (0600) temporary file, which would leave the
/// weights unreadable to a service account other than the trainer's while the JSON files beside them are readable.
fn normal_modes(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let probe = dir.join(".mode-probe");
        let mode =
            std::fs::File::create(&probe).and_then(|f| f.metadata()).map_err(write_error(&probe))?.permissions().mode()
                & 0o7777;
        std::fs::remove_file(&probe).map_err(write_error(&probe))?;
        for entry in std::fs::read_dir(dir).map_err(write_error(dir))? {
            let path = entry.map_err(write_error(dir))?.path();
            let meta = std::fs::metadata(&path).map_err(write_error(&path))?;
            if meta.is_file() && meta.permissions().mode() & 0o7777 != mode {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).map_err(write_error(&path))?;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_swaps_a_whole_folder_in_and_removes_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("model");
        for version in ["one", "two"] {
            ModelFolder::replace::<Error>(
                &out,
                |tmp| {
                    assert!(tmp.to_string_lossy().contains(".tmp-"), "{}", tmp.display());
                    std::fs::write(tmp.join(ModelFolder::SETTINGS), version).unwrap();
                    Ok(())
                },
                || {},
            )
            .unwrap();
            assert_eq!(std::fs::read_to_string(out.join(ModelFolder::SETTINGS)).unwrap(), version);
        }
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["model"], "no .tmp- or .old- folder is left");
        assert!(ModelFolder::new(&out).is_model());
    }

    #[test]
    fn a_failing_fill_leaves_the_old_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("model");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join(ModelFolder::CONFIG), "old").unwrap();
        let failed = ModelFolder::replace(&out, |_| Err(Error::Other("no".into())), || {});
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(out.join(ModelFolder::CONFIG)).unwrap(), "old");
    }

    #[test]
    fn a_missing_file_names_the_folder_and_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let error = ModelFolder::new(dir.path()).read(ModelFolder::TOKENIZER).unwrap_err();
        assert!(matches!(error, Error::MissingFile { what: ModelFolder::TOKENIZER, .. }), "{error}");
        let missing = ModelFolder::new(dir.path().join("nowhere")).read(ModelFolder::CONFIG).unwrap_err();
        assert!(missing.to_string().contains("nowhere: no such folder"), "{missing}");
        let builtin = ModelFolder::new("base").read(ModelFolder::CONFIG).unwrap_err().to_string();
        assert!(builtin.contains("ModelFiles::builtin(\"base\")"), "{builtin}");
        std::fs::write(dir.path().join(ModelFolder::CONFIG), "{}").unwrap();
        let file = ModelFolder::new(dir.path().join(ModelFolder::CONFIG)).read(ModelFolder::CONFIG).unwrap_err();
        assert!(file.to_string().contains("config.json: a file, not a model folder"), "{file}");
    }
}
