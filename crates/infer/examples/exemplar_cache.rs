//! Writes a model folder's exemplar cache (`exemplars.safetensors`) afresh: after an edit of `lurescan.json` that
//! changes its key (the rendering), so that the folder finds its exemplars' embeddings when loaded instead of
//! computing them each time. The embeddings are computed by the folder as it loads, as training computes them.
//!
//! ```sh
//! cargo run --release -p lurescan --example exemplar_cache -- models/lurescan-base
//! ```

use lurescan::{exemplars, Classifier, ModelFolder, Settings};
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let Some(dir) = std::env::args().nth(1).map(PathBuf::from) else {
        anyhow::bail!("usage: exemplar_cache MODEL_DIR");
    };
    let read = |name: &str| std::fs::read(dir.join(name));
    let (config_json, tokenizer_json) = (read(ModelFolder::CONFIG)?, read(ModelFolder::TOKENIZER)?);
    let settings: Settings = serde_json::from_slice(&read(ModelFolder::SETTINGS)?)?;
    let cache = dir.join(ModelFolder::EXEMPLAR_CACHE);
    // Without the old cache, the folder embeds its exemplars as it loads.
    if cache.is_file() {
        std::fs::remove_file(&cache)?;
    }
    let classifier = Classifier::load(&dir)?;
    let Some(index) = classifier.exemplars() else { anyhow::bail!("{} has no exemplars.jsonl", dir.display()) };
    let key = exemplars::cache_key_of_file(
        &dir.join(ModelFolder::WEIGHTS),
        &config_json,
        &tokenizer_json,
        &settings,
        index.set(),
    )?;
    index.save_cache(&cache, key)?;
    eprintln!("wrote {} ({} exemplars)", cache.display(), index.set().len());
    Ok(())
}
