//! The shipped models (`models/lurescan-base` and `models/lurescan-fast` as they were at build time), compiled in
//! with the `builtin-model` feature so that a binary or a Python wheel scores without a model folder beside it.

use crate::folder::ModelFiles;

/// Loads a model folder compiled in: `models/<folder>/` as it was at build time. `include_bytes!` takes only
/// literals, so the file names are spelled here as well as in [`crate::ModelFolder`]'s constants (and in build.rs,
/// which cannot use the crate); the test below keeps them the same.
#[allow(unused_macros)] // unused when neither model folder was there at build time
macro_rules! embedded_model {
    ($folder:literal, $lexical:meta, $exemplars:meta, $cache:meta) => {{
        macro_rules! model_file {
            ($name:literal) => {
                include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/", $folder, "/", $name))
            };
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
    use crate::ModelFolder;

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
