//! Embeds the shipped default model (`models/lurescan-base`) when the checkout has it, so `lurescan score` needs no
//! `--model` and no files beside the binary. Without the folder the binary builds all the same and asks for
//! `--model`.

use std::path::Path;

const FILES: [&str; 4] = ["config.json", "model.safetensors", "tokenizer.json", "lurescan.json"];

fn main() {
    println!("cargo::rustc-check-cfg=cfg(default_model)");
    println!("cargo::rustc-check-cfg=cfg(default_model_lexical)");
    // Read when the script runs, not when it is compiled (`env!`): a checkout that is moved or renamed keeps its
    // compiled build script, which must then look in the new place.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest_dir).join("../../models/lurescan-base");
    // Watching the folder itself notices the model being added or removed; each file, a retrained model.
    println!("cargo::rerun-if-changed={}", dir.display());
    for file in FILES {
        println!("cargo::rerun-if-changed={}", dir.join(file).display());
    }
    // The optional lexical ensemble member (see `lurescan::lexical`).
    let lexical = dir.join("lexical.safetensors");
    println!("cargo::rerun-if-changed={}", lexical.display());
    if FILES.iter().all(|file| dir.join(file).is_file()) {
        println!("cargo::rustc-cfg=default_model");
        if lexical.is_file() {
            println!("cargo::rustc-cfg=default_model_lexical");
        }
    }
}
