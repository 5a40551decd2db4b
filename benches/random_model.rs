//! A classifier with seeded random weights of any BERT size, for benches and throughput scripts: the speed of a
//! forward pass does not depend on what the weights are. Uses the tiny fixture's tokenizer.

use candle_core::{DType, Device, Tensor};
use candle_nn::{VarBuilder, VarMap};
use lurescan::{BertConfig, BertForSequenceClassification, Classifier, LureTokenizer, SeededRng, Settings};
use std::path::Path;

pub fn tokenizer() -> LureTokenizer {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny-bert/tokenizer.json");
    LureTokenizer::from_file(&dir).expect("the tiny fixture's tokenizer")
}

/// A classifier of the given size (hidden, layers, heads, intermediate) cutting inputs at `max_length` tokens.
pub fn random_classifier(
    hidden: usize,
    layers: usize,
    heads: usize,
    intermediate: usize,
    max_length: usize,
) -> Classifier {
    let config = BertConfig {
        vocab_size: 8000,
        hidden_size: hidden,
        num_hidden_layers: layers,
        num_attention_heads: heads,
        intermediate_size: intermediate,
        max_position_embeddings: 512,
        ..BertConfig::default()
    };
    let varmap = VarMap::new();
    let model =
        BertForSequenceClassification::load(VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu), &config)
            .expect("a model from a VarMap");
    let mut rng = SeededRng::new(1);
    let mut vars: Vec<_> = varmap.data().lock().unwrap().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    vars.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, var) in vars {
        let values: Vec<f32> = (0..var.elem_count()).map(|_| 0.05 * rng.normal()).collect();
        var.set(&Tensor::from_vec(values, var.shape(), &Device::Cpu).unwrap()).unwrap();
    }
    let settings = Settings { max_length, ..Settings::default() };
    Classifier::from_parts(config, settings, tokenizer(), model).expect("a consistent random classifier")
}

/// A text of about `words` words of job-posting English; a rendered word is one to three tokens of the fixture's
/// tokenizer.
pub fn posting_text(words: usize, seed: u64) -> String {
    const WORDS: [&str; 24] = [
        "warehouse",
        "supervisor",
        "experience",
        "salary",
        "visa",
        "flight",
        "passport",
        "agency",
        "overseas",
        "hiring",
        "factory",
        "workers",
        "accommodation",
        "urgent",
        "contract",
        "nurse",
        "hospital",
        "engineer",
        "money",
        "apply",
        "today",
        "home",
        "free",
        "weekly",
    ];
    let mut rng = SeededRng::new(seed);
    (0..words).map(|_| WORDS[rng.below(WORDS.len())]).collect::<Vec<_>>().join(" ")
}
