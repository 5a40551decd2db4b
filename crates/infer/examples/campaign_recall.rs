//! How many near-duplicate pairs campaign grouping finds, by how similar they are: of the pairs whose signatures
//! agree in at least `--similarity` of their bins (the check that joins them once they are compared), the share that
//! locality-sensitive hashing makes candidates and so joins; and the time grouping takes. Texts are made up here from
//! a vocabulary of invented words: base texts of 40–70 words, each with one variant that has a share of its words
//! replaced, among unrelated texts.
//!
//! ```text
//! cargo run --release -p lurescan --example campaign_recall -- [RECORDS] [SIMILARITY...]
//! cargo run --release -p lurescan --example campaign_recall -- 20000 0.3 0.5 0.7
//! ```

use lurescan::campaigns::{CampaignBuilder, CampaignOptions, Signature};
use lurescan::rng::SeededRng as Rng;
use lurescan::Record;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let records: usize = args.first().and_then(|n| n.parse().ok()).unwrap_or(20_000);
    let thresholds: Vec<f32> =
        if args.len() > 1 { args[1..].iter().map(|s| s.parse().expect("a similarity")).collect() } else { vec![0.5] };

    let mut rng = Rng::new(7);
    let vocabulary: Vec<String> = (0..3000)
        .map(|_| {
            let len = 3 + rng.below(7);
            (0..len).map(|_| (b'a' + rng.below(26) as u8) as char).collect()
        })
        .collect();
    let sentence = |rng: &mut Rng, words: usize| -> Vec<String> {
        (0..words).map(|_| vocabulary[rng.below(vocabulary.len())].clone()).collect()
    };
    // Pairs: a base text and a variant with 0–60% of its words replaced; the rest of the records are unrelated.
    let pairs = records / 4;
    let mut texts: Vec<String> = Vec::with_capacity(records);
    let mut pair_of: Vec<(usize, usize)> = Vec::with_capacity(pairs);
    for p in 0..pairs {
        let words = 40 + rng.below(31);
        let base = sentence(&mut rng, words);
        let share = (p % 13) as f32 * 0.05;
        let variant: Vec<String> = base
            .iter()
            .map(|w| if rng.uniform() < share { vocabulary[rng.below(vocabulary.len())].clone() } else { w.clone() })
            .collect();
        pair_of.push((texts.len(), texts.len() + 1));
        texts.push(base.join(" "));
        texts.push(variant.join(" "));
    }
    while texts.len() < records {
        let words = 40 + rng.below(31);
        texts.push(sentence(&mut rng, words).join(" "));
    }

    let records: Vec<Record> = texts.iter().map(Record::from_text).collect();
    let signatures: Vec<Signature> = records.iter().map(Signature::of).collect();
    println!("{} records, {} near-duplicate pairs", records.len(), pair_of.len());
    println!("| --similarity | pairs at or above it | joined | share | time to group |");
    println!("|---:|---:|---:|---:|---:|");
    for &similarity in &thresholds {
        let started = Instant::now();
        let mut builder = CampaignBuilder::new(CampaignOptions { similarity, ..CampaignOptions::default() });
        for signature in &signatures {
            builder.add_signed(signature.clone(), &[], None);
        }
        let campaigns = builder.finish();
        let seconds = started.elapsed().as_secs_f64();
        let eligible: Vec<&(usize, usize)> =
            pair_of.iter().filter(|(a, b)| signatures[*a].similarity(&signatures[*b]) >= similarity).collect();
        let joined = eligible
            .iter()
            .filter(|(a, b)| campaigns.campaign_of(*a as u32) == campaigns.campaign_of(*b as u32))
            .count();
        println!(
            "| {similarity} | {} | {joined} | {:.3} | {seconds:.3} s |",
            eligible.len(),
            joined as f64 / eligible.len().max(1) as f64
        );
    }
}
