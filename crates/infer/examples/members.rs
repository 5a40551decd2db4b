//! What each member of a model's ensemble adds to the log-odds of every record on stdin: the BERT's term, the lexical
//! member's, the bias, and the rest (the exemplar and indicator terms), with the score. For finding which member a
//! wrong score comes from before changing that member (the card's "A city weighs too much" was measured with it).
//!
//! ```sh
//! cargo run --release -p lurescan --example members -- MODEL_DIR < records.jsonl
//! ```
//!
//! Input: JSON Lines records as `lurescan score` reads them. Output: one tab-separated line per record, `id bert
//! lexical bias rest score`; the four terms sum to the score's log-odds (but for a decisive flag's floor). A record
//! without text, or a model without an ensemble, is an error.

use anyhow::Context;
use lurescan::{Classifier, Record, ScoreOptions};
use std::io::BufRead;

fn main() -> anyhow::Result<()> {
    let dir = std::env::args().nth(1).context("usage: members MODEL_DIR < records.jsonl")?;
    let classifier = Classifier::load(&dir)?;
    let settings = classifier.settings();
    let lure = classifier.config().lure_index();
    let lexical = classifier.lexical().context("the model has no lexical member")?;
    println!("id\tbert\tlexical\tbias\trest\tscore");
    for (n, line) in std::io::stdin().lock().lines().enumerate() {
        let line = line?;
        let value: serde_json::Value = serde_json::from_str(&line).with_context(|| format!("line {}", n + 1))?;
        let object = value.as_object().with_context(|| format!("line {}: not a JSON object", n + 1))?;
        let record = Record::from_json_object(object).map_err(|e| anyhow::anyhow!("line {}: {e}", n + 1))?;
        let ensemble = settings.ensemble_for(&record).context("the model has no ensemble for this record")?;
        let ids = classifier.encode(&record)?.map_err(|e| anyhow::anyhow!("line {}: {e}", n + 1))?;
        let logits: Vec<f32> = classifier.logits_for_ids(&[ids])?.squeeze(0)?.to_vec1()?;
        let bert = ensemble.bert * (logits[lure] - logits[1 - lure.min(1)]) / settings.temperature;
        let lexical = ensemble.lexical * lexical.margin(&record, &settings.render);
        let prediction = classifier.predict(std::slice::from_ref(&record), &ScoreOptions::default())?.remove(0)?;
        let p = prediction.score.clamp(1e-7, 1.0 - 1e-7);
        let rest = (p / (1.0 - p)).ln() - bert - lexical - ensemble.bias;
        let id = value.get("id").map_or_else(|| (n + 1).to_string(), |id| id.to_string());
        println!("{id}\t{bert:.3}\t{lexical:.3}\t{:.3}\t{rest:.3}\t{:.4}", ensemble.bias, prediction.score);
    }
    Ok(())
}
