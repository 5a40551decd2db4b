//! Fits only the lexical model on a training file and prints its validation PR-AUC per source, for choosing its
//! L2 penalty (and, with LEXICAL_MARGINS_DIR set, writes the validation margins there):
//! `cargo run --release -p lurescan-train --example lexical_sweep -- TRAIN VALID L2...`.

use lurescan_train::metrics::average_precision;
use std::path::Path;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let train = lurescan_train::data::load(Path::new(&args[1]), true)?.examples;
    let valid = lurescan_train::data::load(Path::new(&args[2]), true)?.examples;
    let render = lurescan::RenderConfig { max_chars_per_field: 300, field_markers: true, ..Default::default() };
    for l2 in &args[3..] {
        let started = std::time::Instant::now();
        let model = lurescan_train::lexical::train_lexical(&train, &render, l2.parse()?, 42)?;
        let secs = started.elapsed().as_secs_f64();
        let scores: Vec<f32> = valid.iter().map(|e| model.margin(&e.record, &render)).collect();
        let labels: Vec<u8> = valid.iter().map(|e| e.label).collect();
        let emscad: Vec<usize> = (0..valid.len()).filter(|&i| valid[i].source.as_deref() == Some("emscad")).collect();
        let es: Vec<f32> = emscad.iter().map(|&i| scores[i]).collect();
        let el: Vec<u8> = emscad.iter().map(|&i| labels[i]).collect();
        if let Ok(dir) = std::env::var("LEXICAL_MARGINS_DIR") {
            let text: String = scores.iter().map(|m| format!("{m}\n")).collect();
            std::fs::write(Path::new(&dir).join(format!("lexical-{l2}.txt")), text)?;
        }
        println!(
            "l2 {l2}: all PR-AUC {:?}, emscad PR-AUC {:?}, {secs:.1}s",
            average_precision(&scores, &labels),
            average_precision(&es, &el)
        );
    }
    Ok(())
}
