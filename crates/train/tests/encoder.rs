//! What fine-tuning a pretrained multilingual encoder needs: XLM-R special tokens found by role, frozen weights
//! that get no gradient and do not move, head-only training on cached features, and distillation into a student.

mod common;

use candle_core::{DType, Device};
use candle_nn::VarMap;
use common::{separable_data, tiny_epochs};
use lurescan::model::BertForSequenceClassification;
use lurescan::rng::SeededRng;
use lurescan::tokenizer::LureTokenizer;
use lurescan::BertConfig;
use lurescan_train::distill::{distill, DistillConfig, Teacher};
use lurescan_train::freeze::{var_builder, FreezeConfig};
use lurescan_train::pretrain::windows;
use lurescan_train::{batch::pad_batch, init::seeded_init, loss::weighted_cross_entropy};
use lurescan_train::{train, RunOptions, TrainConfig};
use std::collections::BTreeMap;
use std::path::Path;
use tokenizers::models::unigram::Unigram;
use tokenizers::pre_tokenizers::metaspace::Metaspace;
use tokenizers::processors::template::TemplateProcessing;
use tokenizers::{AddedToken, Tokenizer};

/// An XLM-R-shaped Unigram tokenizer: `<s>`=0, `<pad>`=1, `</s>`=2, `<unk>`=3, pieces, `<mask>` last.
fn xlmr_tokenizer() -> Tokenizer {
    let mut vocab: Vec<(String, f64)> =
        ["<s>", "<pad>", "</s>", "<unk>"].iter().map(|s| (s.to_string(), 0.0)).collect();
    for (i, piece) in
        ["▁earn", "▁a", "▁day", "▁job", "▁home", "▁work", "▁per", "▁kumita", "▁ng", "▁araw", "งาน", "工作"]
            .iter()
            .enumerate()
    {
        vocab.push((piece.to_string(), -2.0 - i as f64 * 0.1));
    }
    for (i, c) in "abcdefghijklmnopqrstuvwxyz0123456789▁".chars().enumerate() {
        vocab.push((c.to_string(), -8.0 - i as f64 * 0.01));
    }
    vocab.push(("<mask>".into(), 0.0));
    let mut tok = Tokenizer::new(Unigram::from(vocab, Some(3), false).unwrap());
    tok.with_pre_tokenizer(Some(Metaspace::default()));
    tok.add_special_tokens(["<s>", "<pad>", "</s>", "<unk>", "<mask>"].map(|s| AddedToken::from(s, true))).unwrap();
    tok.with_post_processor(Some(
        TemplateProcessing::builder()
            .try_single("<s> $A </s>")
            .unwrap()
            .special_tokens(vec![("<s>".to_string(), 0), ("</s>".to_string(), 2)])
            .build()
            .unwrap(),
    ));
    tok
}

#[test]
fn xlmr_special_tokens_are_found_by_role() -> anyhow::Result<()> {
    let tok = LureTokenizer::from_tokenizer(xlmr_tokenizer());
    let s = tok.special_tokens()?;
    let mask = tok.token_to_id("<mask>");
    assert_eq!((s.cls, s.sep, s.pad, s.unk, s.mask), (0, 2, Some(1), Some(3), mask));
    let ids = tok.encode("earn a day per work kumita ng araw", 6)?;
    assert_eq!(ids.len(), 6);
    assert_eq!((ids[0], ids[5]), (0, 2), "<s> first, </s> closes a cut sequence");
    // Pre-training windows are framed the same way.
    let w = windows(&tok, &["earn a day per work kumita ng araw".to_string()], 5)?;
    assert!(w.len() > 1 && w.iter().all(|w| w[0] == 0 && *w.last().unwrap() == 2 && w.len() <= 5), "{w:?}");
    // lurescan's own BPE: [CLS] … [SEP].
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/../infer/tests/fixtures/tiny-bert/tokenizer.json");
    let bpe = LureTokenizer::from_file(Path::new(fixture))?.special_tokens()?;
    assert_eq!((bpe.cls, bpe.sep, bpe.pad, bpe.unk), (2, 3, Some(0), Some(1)));
    Ok(())
}

fn small_bert() -> BertConfig {
    BertConfig {
        vocab_size: 50,
        hidden_size: 16,
        num_hidden_layers: 2,
        num_attention_heads: 2,
        intermediate_size: 32,
        max_position_embeddings: 16,
        pad_token_id: 1,
        ..BertConfig::default()
    }
}

#[test]
fn frozen_weights_get_no_gradient_and_the_rest_do() -> anyhow::Result<()> {
    let config = small_bert();
    let varmap = VarMap::new();
    let freeze = FreezeConfig { embeddings: false, layers: 1, layer_lr_decay: 1.0 };
    let model = BertForSequenceClassification::load(var_builder(&varmap, freeze), &config)?;
    seeded_init(&varmap, &config, 1)?;
    let seqs: [&[u32]; 2] = [&[0, 10, 11, 12, 2], &[0, 20, 2]];
    let (ids, mask) = pad_batch(&seqs, 1)?;
    let logits = model.forward(&ids, &mask, Some(&mut SeededRng::new(5)))?;
    let grads = weighted_cross_entropy(&logits, &[1, 0], [1.0, 1.0])?.backward()?;
    let vars = varmap.data().lock().unwrap();
    let (mut frozen, mut trained) = (0, 0);
    for (name, var) in vars.iter() {
        let grad = grads.get(var.as_tensor());
        if freeze.frozen(name) {
            assert!(grad.is_none(), "{name} is frozen but has a gradient");
            frozen += 1;
        } else {
            let g = grad.ok_or_else(|| anyhow::anyhow!("{name}: no gradient"))?;
            assert!(g.abs()?.sum_all()?.to_scalar::<f32>()? > 0.0, "{name}: zero gradient");
            trained += 1;
        }
    }
    assert_eq!((frozen, trained), (5 + 16, 16 + 4));
    Ok(())
}

fn tensors(path: &Path) -> anyhow::Result<BTreeMap<String, Vec<f32>>> {
    let t = candle_core::safetensors::load(path, &Device::Cpu)?;
    t.into_iter().map(|(k, v)| Ok((k, v.flatten_all()?.to_vec1::<f32>()?))).collect()
}

#[test]
fn a_frozen_encoder_trains_only_the_head_reproducibly() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let data = separable_data();
    let base = dir.path().join("base");
    train(&TrainConfig { lexical: false, ..tiny_epochs(3) }, &data, &base, &RunOptions::default())?;
    let tuned = |out: &str| -> anyhow::Result<std::path::PathBuf> {
        let config = TrainConfig {
            init: Some(base.clone()),
            lexical: false,
            freeze: FreezeConfig { layers: 1, ..FreezeConfig::default() },
            ..tiny_epochs(4)
        };
        let out = dir.path().join(out);
        train(&config, &data, &out, &RunOptions::default())?;
        Ok(out)
    };
    let (a, b) = (tuned("a")?, tuned("b")?);
    let before = tensors(&base.join("model.safetensors"))?;
    let after = tensors(&a.join("model.safetensors"))?;
    for (name, values) in &after {
        let moved = before[name] != *values;
        let head = name.starts_with("bert.pooler.") || name.starts_with("classifier.");
        assert_eq!(moved, head, "{name}: moved {moved}");
    }
    assert_eq!(std::fs::read(a.join("model.safetensors"))?, std::fs::read(b.join("model.safetensors"))?);
    Ok(())
}

#[test]
fn layer_lr_decay_moves_lower_layers_less() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let data = separable_data();
    let base = dir.path().join("base");
    train(&TrainConfig { lexical: false, ..tiny_epochs(2) }, &data, &base, &RunOptions::default())?;
    let moved = |decay: f64| -> anyhow::Result<(f64, f64)> {
        let mut config = TrainConfig {
            init: Some(base.clone()),
            lexical: false,
            freeze: FreezeConfig { layer_lr_decay: decay, ..FreezeConfig::default() },
            ..tiny_epochs(1)
        };
        config.shape.dropout = 0.0;
        let out = dir.path().join(format!("d{decay}"));
        train(&config, &data, &out, &RunOptions::default())?;
        let (before, after) = (tensors(&base.join("model.safetensors"))?, tensors(&out.join("model.safetensors"))?);
        let change = |name: &str| before[name].iter().zip(&after[name]).map(|(x, y)| (x - y).abs() as f64).sum::<f64>();
        Ok((change("bert.embeddings.word_embeddings.weight"), change("classifier.weight")))
    };
    let (emb_flat, cls_flat) = moved(1.0)?;
    let (emb_decay, cls_decay) = moved(0.1)?;
    assert!(emb_decay < emb_flat * 0.2, "embeddings moved {emb_decay} with decay 0.1, {emb_flat} without");
    assert!(cls_decay > 0.0 && cls_flat > 0.0);
    Ok(())
}

#[test]
fn distillation_brings_a_student_closer_to_its_teacher_reproducibly() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    // The teacher: a tiny trained model folder (any BERT encoder folder will do).
    let teacher = dir.path().join("teacher");
    let data = separable_data();
    let mut config = TrainConfig { lexical: false, ..tiny_epochs(2) };
    config.shape.layers = 2;
    train(&config, &data, &teacher, &RunOptions::default())?;
    let texts: Vec<String> =
        data.train.iter().map(|e| lurescan::render(&e.record, &config.render)).cycle().take(64).collect();
    let run_with = |out: &str, neighbour_weight: f64| -> anyhow::Result<_> {
        let config = DistillConfig {
            layers: vec![1],
            epochs: 6,
            batch_size: 8,
            lr: 3e-3,
            max_len: 24,
            holdout_every: 4,
            neighbour_weight,
            ..DistillConfig::default()
        };
        let out = dir.path().join(out);
        let cache = dir.path().join("cache.safetensors");
        let outcome = distill(&config, &teacher, &texts, &[], &out, Some(&cache), &mut ())?;
        Ok((outcome, out))
    };
    let run = |out: &str| run_with(out, 0.0);
    let (first, a) = run("a")?;
    let (second, b) = run("b")?; // the second reads the teacher's embeddings from the cache
    let last = first.history.last().unwrap();
    // The loss is (1 − mean agreement) + (1 − first-position agreement): their sum must rise.
    let (before, after) =
        (first.agreement_before.0 + first.agreement_before.1, last.agreement_mean + last.agreement_cls);
    assert!(after > before + 0.05, "{first:?}");
    assert_eq!(std::fs::read(a.join("model.safetensors"))?, std::fs::read(b.join("model.safetensors"))?);
    assert_eq!(second.history.last().unwrap().loss, last.loss);
    // The neighbourhood term changes what is learnt, reproducibly, and its agreement measure is a share.
    let (ranked, c) = run_with("c", 1.0)?;
    let (_, d) = run_with("d", 1.0)?;
    assert_ne!(std::fs::read(a.join("model.safetensors"))?, std::fs::read(c.join("model.safetensors"))?);
    assert_eq!(std::fs::read(c.join("model.safetensors"))?, std::fs::read(d.join("model.safetensors"))?);
    assert!(ranked.history.iter().all(|e| (0.0..=1.0).contains(&e.neighbours)), "{ranked:?}");
    assert!(ranked.history.last().unwrap().loss > last.loss, "the divergence adds to the loss");
    // The student is an encoder folder of one layer that `train --init` fine-tunes.
    let student: BertConfig = serde_json::from_slice(&std::fs::read(a.join("config.json"))?)?;
    assert_eq!(student.num_hidden_layers, 1);
    let tuned = dir.path().join("tuned");
    let config =
        TrainConfig { init: Some(a), freeze: FreezeConfig { layers: 1, ..FreezeConfig::default() }, ..tiny_epochs(2) };
    train(&config, &data, &tuned, &RunOptions::default())?;
    lurescan::Classifier::load(&tuned)?;
    // Continuing from a classifier folder writes an encoder folder (`BertModel`, not the classifier's config, whose
    // pooler and head the student's weights do not hold), which the next distillation or training reads.
    let again = dir.path().join("again");
    let config =
        DistillConfig { epochs: 1, batch_size: 8, max_len: 24, student: Some(tuned), ..DistillConfig::default() };
    let outcome = distill(&config, &teacher, &texts, &[], &again, None, &mut ())?;
    assert_eq!(outcome.layers, 1);
    let written: BertConfig = serde_json::from_slice(&std::fs::read(again.join("config.json"))?)?;
    assert_eq!((written.num_hidden_layers, written.architectures), (1, vec!["BertModel".to_string()]));
    Teacher::load(&again)?;
    let _ = (DType::F32, Device::Cpu);
    Ok(())
}
