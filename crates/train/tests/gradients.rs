//! Every parameter receives a non-zero gradient in training mode (candle's fused layer norm and softmax have no
//! backward, so a model that used them would silently train only part of itself), and a batch cut into shards
//! gets the gradient of the whole batch.

use candle_core::{DType, Device};
use candle_nn::{VarBuilder, VarMap};
use lurescan::model::BertForSequenceClassification;
use lurescan::rng::SeededRng;
use lurescan::BertConfig;
use lurescan_train::optim::summed_gradient;
use lurescan_train::shard::ShardedStep;
use lurescan_train::{batch::pad_batch, init::seeded_init, loss::weighted_cross_entropy};

#[test]
fn every_parameter_gets_a_gradient() -> anyhow::Result<()> {
    let config = BertConfig {
        vocab_size: 50,
        hidden_size: 16,
        num_hidden_layers: 2,
        num_attention_heads: 2,
        intermediate_size: 32,
        max_position_embeddings: 16,
        ..BertConfig::default()
    };
    let varmap = VarMap::new();
    let model =
        BertForSequenceClassification::load(VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu), &config)?;
    seeded_init(&varmap, &config, 1)?;
    let seqs: [&[u32]; 3] = [&[2, 10, 11, 12, 3], &[2, 20, 3], &[2, 30, 31, 3]];
    let (ids, mask) = pad_batch(&seqs, 0)?;
    let mut rng = SeededRng::new(5);
    let logits = model.forward(&ids, &mask, Some(&mut rng))?;
    let loss = weighted_cross_entropy(&logits, &[1, 0, 1], [1.0, 2.0])?;
    let grads = loss.backward()?;
    let vars = varmap.data().lock().unwrap();
    let mut names: Vec<&String> = vars.keys().collect();
    names.sort();
    // Embeddings (5), 16 per layer, pooler and classifier (4).
    assert_eq!(names.len(), 5 + 2 * 16 + 4, "{names:?}");
    for name in names {
        let grad = grads.get(vars[name].as_tensor()).ok_or_else(|| anyhow::anyhow!("{name}: no gradient"))?;
        let size = grad.abs()?.sum_all()?.to_scalar::<f32>()?;
        assert!(size > 0.0 && size.is_finite(), "{name}: gradient sum |g| = {size}");
    }
    Ok(())
}

#[test]
fn seeded_init_is_reproducible_and_follows_hf_conventions() -> anyhow::Result<()> {
    let config = BertConfig {
        vocab_size: 30,
        hidden_size: 8,
        num_hidden_layers: 1,
        num_attention_heads: 2,
        intermediate_size: 16,
        ..BertConfig::default()
    };
    let build = |seed| -> anyhow::Result<VarMap> {
        let varmap = VarMap::new();
        BertForSequenceClassification::load(VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu), &config)?;
        seeded_init(&varmap, &config, seed)?;
        Ok(varmap)
    };
    let (a, b) = (build(3)?, build(3)?);
    let (a, b) = (a.data().lock().unwrap(), b.data().lock().unwrap());
    for (name, var) in a.iter() {
        let x = var.as_tensor().flatten_all()?.to_vec1::<f32>()?;
        assert_eq!(x, b[name].as_tensor().flatten_all()?.to_vec1::<f32>()?, "{name}");
        if name.ends_with("bias") {
            assert!(x.iter().all(|&v| v == 0.0), "{name}");
        } else if name.contains("LayerNorm") {
            assert!(x.iter().all(|&v| v == 1.0), "{name}");
        } else {
            let std = (x.iter().map(|v| v * v).sum::<f32>() / x.len() as f32).sqrt();
            assert!(std > 0.005 && std < 0.04, "{name}: std {std}");
        }
    }
    let words = a["bert.embeddings.word_embeddings.weight"].as_tensor().get(0)?.to_vec1::<f32>()?;
    assert!(words.iter().all(|&v| v == 0.0), "the [PAD] embedding starts at zero");
    Ok(())
}

#[test]
fn sharded_gradient_equals_the_whole_batch_gradient() -> anyhow::Result<()> {
    // Dropout off: the shards then compute exactly the terms of the whole batch's loss, only padded differently.
    let config = BertConfig {
        vocab_size: 60,
        hidden_size: 16,
        num_hidden_layers: 2,
        num_attention_heads: 2,
        intermediate_size: 32,
        max_position_embeddings: 16,
        hidden_dropout_prob: 0.0,
        attention_probs_dropout_prob: 0.0,
        classifier_dropout: Some(0.0),
        ..BertConfig::default()
    };
    let varmap = VarMap::new();
    let model =
        BertForSequenceClassification::load(VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu), &config)?;
    seeded_init(&varmap, &config, 2)?;
    let mut rng = SeededRng::new(9);
    let seqs: Vec<Vec<u32>> = (0..7)
        .map(|i| {
            let len = 3 + (i * 5) % 9;
            (0..len)
                .map(|j| {
                    if j == 0 {
                        2
                    } else if j == len - 1 {
                        3
                    } else {
                        5 + rng.below(50) as u32
                    }
                })
                .collect()
        })
        .collect();
    let refs: Vec<&[u32]> = seqs.iter().map(Vec::as_slice).collect();
    let labels = [1u8, 0, 0, 1, 0, 1, 1];
    let weights = [0.8, 1.6];

    let (ids, mask) = pad_batch(&refs, 0)?;
    let whole_loss = weighted_cross_entropy(&model.forward(&ids, &mask, Some(&mut rng))?, &labels, weights)?;
    let whole = [whole_loss.backward()?];
    let vars = varmap.data().lock().unwrap();
    for shards in [1, 2, 3, 4, 7, 9] {
        let step = ShardedStep { model: &model, class_weights: weights, pad_id: 0, shards };
        let sharded = step.gradients(&refs, &labels, 11)?;
        let loss = whole_loss.to_scalar::<f32>()? as f64;
        assert!((sharded.loss - loss).abs() < 1e-5, "{shards} shards: loss {} vs {loss}", sharded.loss);
        for (name, var) in vars.iter() {
            let a = summed_gradient(&whole, var)?.ok_or_else(|| anyhow::anyhow!("{name}: no gradient"))?;
            let b =
                summed_gradient(&sharded.shards, var)?.ok_or_else(|| anyhow::anyhow!("{name}: no shard gradient"))?;
            let scale = a.iter().fold(0f32, |m, x| m.max(x.abs()));
            let diff = a.iter().zip(&b).fold(0f32, |m, (x, y)| m.max((x - y).abs()));
            // Float rounding only: sums in another order, padding of other lengths (masked to exactly zero weight).
            assert!(diff <= 1e-5 + 1e-4 * scale, "{shards} shards, {name}: max |diff| {diff} at max |g| {scale}");
        }
    }
    Ok(())
}
