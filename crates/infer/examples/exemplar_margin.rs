//! The exemplar margin and nearest typology of each message on stdin, under any BERT folder: a lurescan model
//! folder, or an encoder alone (`BertModel` weights under `bert.`, as an imported pretrained encoder is), so the
//! margin of an encoder can be measured before any classifier is trained on it. `benches/exemplar_margin.py` runs
//! it on the pool.
//!
//! ```sh
//! cargo run --release -p lurescan --example exemplar_margin -- MODEL_DIR datasets/exemplars/exemplars.jsonl \
//!     [--prefix "query: "] < messages.jsonl > margins.jsonl
//! ```
//!
//! Input lines: `{"id": …, "text": "…"}`; output lines: `{"id", "margin", "typology", "similarity"}` (the nearest lure
//! exemplar). Records are rendered and cut as the folder's `lurescan.json` says, exemplars likewise, and both get
//! `--prefix` (E5 encoders were trained with "query: " before symmetric texts).

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use lurescan::exemplars::{ExemplarIndex, ExemplarSet, DEFAULT_K};
use lurescan::model::{mean_pool_normalized, BertEncoder};
use lurescan::{render, BertConfig, LureTokenizer, ModelFolder, Record, Settings};
use rayon::prelude::*;
use std::io::{BufRead, Write};
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dir, exemplars) = match (args.first(), args.get(1)) {
        (Some(d), Some(e)) => (PathBuf::from(d), PathBuf::from(e)),
        _ => anyhow::bail!("usage: exemplar_margin MODEL_DIR EXEMPLARS.jsonl [--prefix TEXT] < messages.jsonl"),
    };
    let prefix = args.iter().position(|a| a == "--prefix").and_then(|i| args.get(i + 1)).cloned().unwrap_or_default();
    let config: BertConfig = serde_json::from_slice(&std::fs::read(dir.join(ModelFolder::CONFIG))?)?;
    let settings: Settings = serde_json::from_slice(&std::fs::read(dir.join(ModelFolder::SETTINGS))?)?;
    let tokenizer = LureTokenizer::from_file(&dir.join(ModelFolder::TOKENIZER))?;
    // SAFETY: read-only mapping of a file nobody writes while this short-lived tool runs.
    let vb =
        unsafe { VarBuilder::from_mmaped_safetensors(&[dir.join(ModelFolder::WEIGHTS)], DType::F32, &Device::Cpu)? };
    let encoder = BertEncoder::load(vb.pp("bert"), &config)?;

    let embed = |texts: &[String]| -> anyhow::Result<Vec<Vec<f32>>> {
        let ids: Vec<Vec<u32>> = texts
            .iter()
            .map(|t| {
                let text = format!("{prefix}{}", render(&Record::from_text(t.as_str()), &settings.render));
                tokenizer.encode(&text, settings.max_length)
            })
            .collect::<Result<_, _>>()?;
        let mut order: Vec<usize> = (0..ids.len()).collect();
        order.sort_by_key(|&i| ids[i].len());
        let batches: Vec<Vec<(usize, Vec<f32>)>> = order
            .par_chunks(16)
            .map(|chunk| -> anyhow::Result<Vec<(usize, Vec<f32>)>> {
                let len = chunk.iter().map(|&i| ids[i].len()).max().unwrap_or(1);
                let (mut flat, mut mask) = (Vec::new(), Vec::new());
                for &i in chunk {
                    let s = &ids[i];
                    flat.extend(s.iter().copied().chain(std::iter::repeat_n(config.pad_token_id, len - s.len())));
                    mask.extend(std::iter::repeat_n(1f32, s.len()).chain(std::iter::repeat_n(0f32, len - s.len())));
                }
                let flat = Tensor::from_vec(flat, (chunk.len(), len), &Device::Cpu)?;
                let mask = Tensor::from_vec(mask, (chunk.len(), len), &Device::Cpu)?;
                let hidden = encoder.forward(&flat, &mask, None)?;
                let rows = mean_pool_normalized(&hidden, &mask)?.to_vec2::<f32>()?;
                Ok(chunk.iter().copied().zip(rows).collect())
            })
            .collect::<anyhow::Result<_>>()?;
        let mut out = vec![Vec::new(); ids.len()];
        for (i, row) in batches.into_iter().flatten() {
            out[i] = row;
        }
        Ok(out)
    };

    let set = ExemplarSet::load(&exemplars)?;
    let texts: Vec<String> = set.iter().map(|e| e.text.clone()).collect();
    let flat: Vec<f32> = embed(&texts)?.into_iter().flatten().collect();
    let k = settings.exemplars.as_ref().map_or(DEFAULT_K, |s| s.k);
    let common = settings.exemplars.as_ref().and_then(|s| s.common.clone());
    let index = ExemplarIndex::new(set, flat, config.hidden_size, k)?.with_common(common)?;

    let mut ids = Vec::new();
    let mut texts = Vec::new();
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let row: serde_json::Value = serde_json::from_str(&line)?;
        ids.push(row["id"].clone());
        texts.push(row["text"].as_str().unwrap_or_default().to_string());
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (chunk_ids, chunk) in ids.chunks(512).zip(texts.chunks(512)) {
        for (id, embedding) in chunk_ids.iter().zip(embed(chunk)?) {
            let evidence = index.evidence(&embedding);
            let nearest = evidence.nearest_typology.as_ref();
            let row = serde_json::json!({
                "id": id,
                "margin": evidence.margin,
                "typology": nearest.map(|n| n.typology.as_str()),
                "similarity": nearest.map(|n| n.similarity),
            });
            writeln!(out, "{row}")?;
        }
        eprint!(".");
    }
    eprintln!();
    Ok(())
}
