//! With the `builtin-model` feature, embeds the shipped models when the checkout has them, so that
//! `ModelFiles::builtin` (and through it `lurescan score` and the Python package) needs no model folder at run
//! time: `models/lurescan-base` (the default, `base`) and `models/lurescan-fast` (`fast`). Without a folder the
//! crate builds all the same and `ModelFiles::builtin` of that name is `None`. Without the feature nothing is
//! embedded: services that load their own model folder do not carry the weights.

use std::path::Path;

const FILES: [&str; 4] = ["config.json", "model.safetensors", "tokenizer.json", "lurescan.json"];

/// Each embedded model: its folder under `models/` and the cfg name its presence sets.
const MODELS: [(&str, &str); 2] = [("lurescan-base", "builtin_base"), ("lurescan-fast", "builtin_fast")];

fn main() {
    for (_, cfg) in MODELS {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        println!("cargo::rustc-check-cfg=cfg({cfg}_lexical)");
        println!("cargo::rustc-check-cfg=cfg({cfg}_exemplars)");
        println!("cargo::rustc-check-cfg=cfg({cfg}_exemplar_cache)");
    }
    if std::env::var_os("CARGO_FEATURE_BUILTIN_MODEL").is_none() {
        return;
    }
    // Read when the script runs, not when it is compiled (`env!`): a checkout that is moved or renamed keeps its
    // compiled build script, which must then look in the new place.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    for (folder, cfg) in MODELS {
        let dir = Path::new(&manifest_dir).join("../../models").join(folder);
        // Watching the folder itself notices the model being added or removed; each file, a retrained model.
        println!("cargo::rerun-if-changed={}", dir.display());
        for file in FILES {
            println!("cargo::rerun-if-changed={}", dir.join(file).display());
        }
        // The optional lexical ensemble member (see `lurescan::lexical`).
        let lexical = dir.join("lexical.safetensors");
        println!("cargo::rerun-if-changed={}", lexical.display());
        // The optional exemplars and their embedding cache (see `lurescan::exemplars`).
        let exemplars = dir.join("exemplars.jsonl");
        let cache = dir.join("exemplars.safetensors");
        println!("cargo::rerun-if-changed={}", exemplars.display());
        println!("cargo::rerun-if-changed={}", cache.display());
        if FILES.iter().all(|file| dir.join(file).is_file()) {
            println!("cargo::rustc-cfg={cfg}");
            if lexical.is_file() {
                println!("cargo::rustc-cfg={cfg}_lexical");
            }
            if exemplars.is_file() {
                println!("cargo::rustc-cfg={cfg}_exemplars");
                if cache.is_file() {
                    println!("cargo::rustc-cfg={cfg}_exemplar_cache");
                }
            }
        }
    }
}
