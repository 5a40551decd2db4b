//! The shipped models (`models/lurescan-base` and `models/lurescan-fast` as they were at build time), compiled in
//! with the `builtin-model` feature so that a binary or a Python wheel scores without a model folder beside it.

use crate::folder::ModelFiles;

/// Loads a model folder compiled in: `models/<folder>/` as it was at build time. `include_bytes!` takes only
/// literals, so the file names are spelled here as well as in [`crate::ModelFolder`]'s constants (and in build.rs,
/// which cannot use the crate); the test below keeps them the same.
#[allow(unused_macros)] // unused when neither model folder was there at build time
macro_rules! embedded_model {
    ($folder:literal, $lexical:meta, $exemplars:meta, $cache:meta) => {{
        // A `static` each: one copy of the bytes at one address, however often the function is inlined (a bare
        // `include_bytes!` is a constant, which each codegen unit may copy: the binary held the model twice, and
        // `release_builtin` dropped the pages of a copy that loading had not read).
        macro_rules! model_file {
            ($name:literal) => {{
                static FILE: &[u8] =
                    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/", $folder, "/", $name));
                FILE
            }};
        }
        ModelFiles {
            config_json: model_file!("config.json"),
            safetensors: model_file!("model.safetensors"),
            tokenizer_json: model_file!("tokenizer.json"),
            lurescan_json: model_file!("lurescan.json"),
            #[cfg($lexical)]
            lexical_safetensors: Some(model_file!("lexical.safetensors")),
            #[cfg(not($lexical))]
            lexical_safetensors: None,
            #[cfg($exemplars)]
            exemplars_jsonl: Some(model_file!("exemplars.jsonl")),
            #[cfg(not($exemplars))]
            exemplars_jsonl: None,
            #[cfg($cache)]
            exemplars_safetensors: Some(model_file!("exemplars.safetensors")),
            #[cfg(not($cache))]
            exemplars_safetensors: None,
        }
    }};
}

impl ModelFiles<'static> {
    /// The names of the built-in models: `base` (the default) and `fast`.
    pub const BUILTIN: [&'static str; 2] = ["base", "fast"];

    /// The files of the built-in model `name` (`base`, the default, or `fast`), or `None` for another name, or when
    /// the crate was built without the `builtin-model` feature or without that folder under `models/`. Load it with
    /// [`crate::Classifier::from_files`].
    ///
    /// ```
    /// if let Some(files) = lurescan::ModelFiles::builtin("base") {
    ///     let classifier = lurescan::Classifier::from_files(files)?;
    ///     assert!(classifier.settings().threshold > 0.0);
    /// }
    /// assert!(lurescan::ModelFiles::builtin("no-such-model").is_none());
    /// # Ok::<(), lurescan::Error>(())
    /// ```
    pub fn builtin(name: &str) -> Option<Self> {
        match name {
            "base" => base(),
            "fast" => fast(),
            _ => None,
        }
    }

    /// Lets the system take back the memory that reading the built-in model `name` brought in, and returns whether
    /// it did. The embedded files are part of the executable, mapped read-only from its file, so their pages can be
    /// dropped from the process and are read back from the file if touched again. A [`crate::Classifier`] holds its
    /// own copy of what it uses, so after [`crate::Classifier::from_files`] this lowers the resident memory by up to
    /// the model's size (65 MB for `base`) for as long as nothing reads the files again. Linux only (elsewhere it
    /// does nothing); pages not mapped from a file, or writable, are left alone.
    pub fn release_builtin(name: &str) -> bool {
        let Some(files) = Self::builtin(name) else { return false };
        let optional = [files.lexical_safetensors, files.exemplars_jsonl, files.exemplars_safetensors];
        let all = [files.config_json, files.safetensors, files.tokenizer_json, files.lurescan_json];
        // Every file, also after one that is too small to hold a whole page.
        all.into_iter().chain(optional.into_iter().flatten()).fold(false, |released, bytes| release(bytes) | released)
    }
}

/// Drops the whole pages inside `bytes` from the process when they are a read-only private mapping of a file (a
/// later read faults the same bytes back in from the file); returns whether it did.
#[cfg(target_os = "linux")]
fn release(bytes: &'static [u8]) -> bool {
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    let Ok(page) = usize::try_from(page) else { return false };
    let start = (bytes.as_ptr() as usize).next_multiple_of(page);
    let end = (bytes.as_ptr() as usize + bytes.len()) / page * page;
    if end <= start || !read_only_file_mapping(start, end) {
        return false;
    }
    // SAFETY: [start, end) is whole pages inside `bytes`, which lie in one private, read-only mapping of a file
    // (checked above), never written: MADV_DONTNEED only unmaps them, and the next read of any of these bytes maps
    // the same bytes again from the file. No Rust reference sees a change.
    unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED) == 0 }
}

#[cfg(not(target_os = "linux"))]
fn release(_: &'static [u8]) -> bool {
    false
}

/// Whether `[start, end)` lies in one mapping of `/proc/self/maps` that is readable, not writable, private and
/// backed by a file (an inode other than 0).
#[cfg(target_os = "linux")]
fn read_only_file_mapping(start: usize, end: usize) -> bool {
    let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else { return false };
    maps.lines().any(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [range, perms, _offset, _device, inode, ..] = fields[..] else { return false };
        let Some((low, high)) = range.split_once('-') else { return false };
        let (Ok(low), Ok(high)) = (usize::from_str_radix(low, 16), usize::from_str_radix(high, 16)) else {
            return false;
        };
        low <= start
            && end <= high
            && perms.starts_with('r')
            && &perms[1..2] == "-"
            && perms.ends_with('p')
            && inode != "0"
    })
}

#[cfg(builtin_base)]
fn base() -> Option<ModelFiles<'static>> {
    Some(embedded_model!("lurescan-base", builtin_base_lexical, builtin_base_exemplars, builtin_base_exemplar_cache))
}

#[cfg(not(builtin_base))]
fn base() -> Option<ModelFiles<'static>> {
    None
}

#[cfg(builtin_fast)]
fn fast() -> Option<ModelFiles<'static>> {
    Some(embedded_model!("lurescan-fast", builtin_fast_lexical, builtin_fast_exemplars, builtin_fast_exemplar_cache))
}

#[cfg(not(builtin_fast))]
fn fast() -> Option<ModelFiles<'static>> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ModelFolder;

    /// Read-only data of the executable, as `include_bytes!` makes it: four pages and a bit of sevens.
    static SEVENS: [u8; 4 * 4096 + 100] = [7; 4 * 4096 + 100];

    #[test]
    #[cfg(target_os = "linux")]
    fn released_pages_of_the_executable_read_back_the_same() {
        let sum = |bytes: &[u8]| bytes.iter().map(|&b| u64::from(b)).sum::<u64>();
        let before = sum(std::hint::black_box(&SEVENS));
        assert!(release(&SEVENS), "the executable's read-only data is a private read-only file mapping");
        assert_eq!(sum(std::hint::black_box(&SEVENS)), before);
        assert_eq!(before, 7 * SEVENS.len() as u64);
    }

    /// Memory of the heap is not backed by a file: dropping its pages would zero them, so it is left alone.
    #[test]
    #[cfg(target_os = "linux")]
    fn heap_memory_is_never_released() {
        let heap: &'static [u8] = Box::leak(vec![9u8; 64 * 4096].into_boxed_slice());
        assert!(!release(heap));
        assert!(heap.iter().all(|&b| b == 9));
    }

    #[test]
    fn a_builtin_model_still_loads_after_its_pages_are_released() {
        for name in ModelFiles::BUILTIN {
            if ModelFiles::builtin(name).is_some() {
                assert_eq!(ModelFiles::release_builtin(name), cfg!(target_os = "linux"), "{name}");
                let classifier = crate::Classifier::from_files(ModelFiles::builtin(name).unwrap()).unwrap();
                assert!(classifier.settings().threshold > 0.0);
            }
        }
        assert!(!ModelFiles::release_builtin("no-such-model"));
    }

    /// The literal names in `embedded_model!` above and in build.rs are [`ModelFolder`]'s.
    #[test]
    fn the_embedded_file_names_are_the_folder_names() {
        let source = include_str!("builtin.rs");
        let build = include_str!("../build.rs");
        for name in [
            ModelFolder::CONFIG,
            ModelFolder::WEIGHTS,
            ModelFolder::TOKENIZER,
            ModelFolder::SETTINGS,
            ModelFolder::LEXICAL,
            ModelFolder::EXEMPLARS,
            ModelFolder::EXEMPLAR_CACHE,
        ] {
            assert!(source.contains(&format!("model_file!(\"{name}\")")), "{name}");
            assert!(build.contains(&format!("\"{name}\"")), "build.rs: {name}");
        }
    }
}
