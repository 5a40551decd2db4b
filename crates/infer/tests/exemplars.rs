//! Exemplars: embeddings from the scoring pass, evidence, the exemplar term of the ensemble, model folders with
//! `exemplars.jsonl`, and exemplars added without retraining.

mod common;

use candle_core::{Device, Tensor};
use common::tiny_bert_dir;
use lurescan::exemplars::{ExemplarLabel, ExemplarSet};
use lurescan::lexical::{LexicalModel, BUCKETS};
use lurescan::ModelFolder;
use lurescan::{Classifier, EnsembleConfig, Field, Record, ScoreOptions};
use std::fs;
use std::path::Path;

/// A few generic exemplars of each label, as a model folder would ship.
const SHIPPED: &str = r#"{"typology": "compound_recruitment", "lang": "en", "text": "Customer service job in Cambodia, free flight and dormitory, no experience needed", "label": "lure"}
{"typology": "upfront_fee", "lang": "en", "text": "Pay the processing fee before we book your ticket to Japan", "label": "lure"}
{"typology": "task_scam", "lang": "en", "text": "Like videos on your phone and earn 300 a day, contact the mentor", "label": "lure"}
{"typology": "delivery_sms", "lang": "en", "text": "Your parcel arrives tomorrow morning, track it in the app", "label": "benign"}
{"typology": "shift_reminder", "lang": "en", "text": "Reminder: your shift starts at 7 tomorrow at the Central store", "label": "benign"}
{"typology": "otp_bank_sms", "lang": "en", "text": "Use code 4829 to confirm the card payment, never share it", "label": "benign"}
"#;

fn copy_fixture(to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(tiny_bert_dir()).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

fn set_ensemble(dir: &Path, ensemble: EnsembleConfig) {
    let path = dir.join("lurescan.json");
    let mut settings: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    settings["ensemble"] = serde_json::to_value(ensemble).unwrap();
    fs::write(path, serde_json::to_vec(&settings).unwrap()).unwrap();
}

/// The tiny fixture as an ensemble whose lexical member says nothing (all weights 0), with the shipped exemplars and
/// an exemplar weight: its score is `sigmoid(bert_margin / T + weight · exemplar_margin)`.
fn exemplar_model(dir: &Path, weight: f32) {
    copy_fixture(dir);
    LexicalModel::new(vec![0.0; BUCKETS], vec![1.0; BUCKETS], 0.0)
        .unwrap()
        .save(&dir.join("lexical.safetensors"))
        .unwrap();
    set_ensemble(dir, EnsembleConfig { exemplar: Some(weight), ..EnsembleConfig::new(1.0, 0.0, 0.0) });
    fs::write(dir.join(ModelFolder::EXEMPLARS), SHIPPED).unwrap();
}

fn records() -> Vec<Record> {
    vec![
        Record::from_text("Earn 500 USD a day from home, no experience needed. Send your passport copy."),
        Record::default()
            .with(Field::Title, "Warehouse supervisor")
            .with(Field::Description, "Two years of experience."),
        Record::from_text("Hi"),
        Record::default(),
    ]
}

#[test]
fn embeddings_come_with_the_same_logits_and_are_mean_pooled_unit_vectors() -> anyhow::Result<()> {
    let classifier = Classifier::load(tiny_bert_dir())?;
    let model = classifier.model();
    let seqs: Vec<Vec<u32>> = records()[..3].iter().map(|r| classifier.encode(r).unwrap().unwrap()).collect();
    let len = seqs.iter().map(Vec::len).max().unwrap();
    let (mut ids, mut mask) = (Vec::new(), Vec::new());
    for s in &seqs {
        ids.extend(s.iter().copied().chain(std::iter::repeat_n(0, len - s.len())));
        mask.extend(std::iter::repeat_n(1f32, s.len()).chain(std::iter::repeat_n(0f32, len - s.len())));
    }
    let ids = Tensor::from_vec(ids, (3, len), &Device::Cpu)?;
    let mask = Tensor::from_vec(mask, (3, len), &Device::Cpu)?;

    let plain = model.forward(&ids, &mask, None)?.to_vec2::<f32>()?;
    let (logits, embeddings) = model.forward_with_embeddings(&ids, &mask)?;
    // Bit for bit: scores do not depend on whether embeddings were asked for.
    assert_eq!(logits.to_vec2::<f32>()?, plain);

    let hidden = model.encoder().forward(&ids, &mask, None)?.to_vec3::<f32>()?;
    for (b, row) in embeddings.to_vec2::<f32>()?.iter().enumerate() {
        let n = seqs[b].len();
        let mean: Vec<f32> = (0..row.len()).map(|j| (0..n).map(|t| hidden[b][t][j]).sum::<f32>() / n as f32).collect();
        let norm = mean.iter().map(|x| x * x).sum::<f32>().sqrt();
        for (got, want) in row.iter().zip(mean.iter().map(|x| x / norm)) {
            // Padding rows are masked out, not averaged in; the sums differ in order only (f32 rounding).
            assert!((got - want).abs() < 1e-5, "record {b}: {got} vs {want}");
        }
        assert!((row.iter().map(|x| x * x).sum::<f32>() - 1.0).abs() < 1e-5);
    }
    Ok(())
}

#[test]
fn exemplars_without_a_weight_are_evidence_and_leave_scores_bit_identical() -> anyhow::Result<()> {
    let plain = Classifier::load(tiny_bert_dir())?;
    let options = ScoreOptions { batch_size: 2, threshold: None };
    let before = plain.predict(&records(), &options)?;
    assert!(plain.predict_with_evidence(&records(), &options)?[0].as_ref().unwrap().1.is_none());

    let with = plain.with_exemplars(ExemplarSet::from_jsonl(SHIPPED, "shipped.jsonl")?)?;
    assert_eq!(with.predict(&records(), &options)?, before);
    let explained = with.predict_with_evidence(&records(), &options)?;
    for (got, want) in explained.iter().zip(&before) {
        assert_eq!(got.as_ref().map(|(p, _)| *p), want.as_ref().copied());
    }
    let evidence = explained[0].as_ref().unwrap().1.clone().unwrap();
    let nearest = evidence.nearest_typology.unwrap();
    assert!(["compound_recruitment", "upfront_fee", "task_scam"].contains(&nearest.typology.as_str()));
    assert_eq!(nearest.lang, "en");
    assert!(SHIPPED.contains(&nearest.exemplar));
    assert!(evidence.nearest_benign.is_some() && evidence.margin.is_some());
    assert_eq!(explained[3], Err(lurescan::RecordError::NoText));
    Ok(())
}

#[test]
fn a_folder_with_an_exemplar_weight_scores_by_the_formula() -> anyhow::Result<()> {
    let tmp = tempfile::tempdir()?;
    exemplar_model(tmp.path(), 20.0);
    let classifier = Classifier::load(tmp.path())?;
    assert_eq!(classifier.exemplars().unwrap().set().len(), 6);
    let bert_only = Classifier::load(tiny_bert_dir())?;
    let t = classifier.settings().temperature;
    let explained = classifier.predict_with_evidence(&records()[..3], &ScoreOptions::default())?;
    for (record, result) in records().iter().zip(&explained) {
        let (prediction, evidence) = result.as_ref().unwrap();
        let logits = bert_only.logits_for_ids(&[bert_only.encode(record)?.unwrap()])?.to_vec2::<f32>()?.remove(0);
        let z = (logits[1] - logits[0]) / t + 20.0 * evidence.as_ref().unwrap().margin.unwrap();
        let expected = 1.0 / (1.0 + (-z).exp());
        // Batching changes the padding only: float rounding, well under 1e-5.
        assert!((prediction.score - expected).abs() < 1e-5, "{record:?}: {} vs {expected}", prediction.score);
    }
    // predict gives the same scores as predict_with_evidence, and top terms add up against the same log-odds.
    let scores: Vec<f32> = classifier
        .predict(&records()[..3], &ScoreOptions::default())?
        .iter()
        .map(|p| p.as_ref().unwrap().score)
        .collect();
    let explained: Vec<f32> = explained.iter().map(|p| p.as_ref().unwrap().0.score).collect();
    assert_eq!(scores, explained);
    Ok(())
}

#[test]
fn three_exemplars_of_an_unseen_script_lift_its_variants() -> anyhow::Result<()> {
    let tmp = tempfile::tempdir()?;
    exemplar_model(tmp.path(), 20.0);
    let classifier = Classifier::load(tmp.path())?;
    // A script none of the shipped exemplars describes: renting out crypto-mining rigs with daily payouts and
    // invitation bonuses.
    let new_script = ExemplarSet::from_jsonl(
        r#"{"typology": "mining_rig_rental", "lang": "en", "text": "Rent a mining rig from us and collect USDT payouts every day, invite friends for a bonus", "label": "lure"}
{"typology": "mining_rig_rental", "lang": "en", "text": "Mining machine rental plan: daily USDT income, extra rewards for each friend you invite", "label": "lure"}
{"typology": "mining_rig_rental", "lang": "en", "text": "Join our rig rental team, hosted miners pay USDT daily, referral bonus for invitations", "label": "lure"}"#,
        "new-script.jsonl",
    )?;
    let variants = [
        "Collect daily USDT from a rented mining machine and earn a bonus when friends join",
        "Our hosted mining rigs pay USDT every day, invite a friend to get extra rewards",
        "Rental of mining rigs: USDT paid out daily plus invitation bonuses",
    ];
    let controls = [
        "Your parcel is at the pickup point, bring the code",
        "Reminder: dentist appointment on Friday at 9",
        "Team meeting moved to the small room after lunch",
    ];
    let score = |c: &Classifier, texts: &[&str]| -> Vec<f32> {
        let records: Vec<Record> = texts.iter().map(|t| Record::from_text(*t)).collect();
        c.predict(&records, &ScoreOptions::default()).unwrap().into_iter().map(|p| p.unwrap().score).collect()
    };
    let (variants_before, controls_before) = (score(&classifier, &variants), score(&classifier, &controls));
    let extended = classifier.with_exemplars(new_script)?;
    assert_eq!(extended.exemplars().unwrap().set().count(ExemplarLabel::Lure), 6);
    let (variants_after, controls_after) = (score(&extended, &variants), score(&extended, &controls));

    let lift = |after: &[f32], before: &[f32]| -> Vec<f32> { after.iter().zip(before).map(|(a, b)| a - b).collect() };
    let (variant_lift, control_lift) =
        (lift(&variants_after, &variants_before), lift(&controls_after, &controls_before));
    assert!(variant_lift.iter().all(|&d| d > 0.0), "every variant scores higher: {variant_lift:?}");
    let mean = |v: &[f32]| v.iter().sum::<f32>() / v.len() as f32;
    assert!(
        mean(&variant_lift) > mean(&control_lift) + 0.01,
        "the variants rise more than unrelated messages: {variant_lift:?} vs {control_lift:?}"
    );
    // And the evidence names the new script, for most variants: the tiny fixture is no semantic model, and puts the
    // first variant nearer the compound-recruitment exemplar (cosine 0.980) than to the new script's (0.970).
    let records: Vec<Record> = variants.iter().map(|t| Record::from_text(*t)).collect();
    let named: Vec<String> = extended
        .predict_with_evidence(&records, &ScoreOptions::default())?
        .into_iter()
        .map(|result| result.unwrap().1.unwrap().nearest_typology.unwrap().typology)
        .collect();
    let new_script = named.iter().filter(|t| *t == "mining_rig_rental").count();
    assert!(new_script >= 2, "the new script is the nearest typology of most variants: {named:?}");
    Ok(())
}

#[test]
fn exemplars_the_classifier_already_has_are_not_added_twice() -> anyhow::Result<()> {
    let tmp = tempfile::tempdir()?;
    exemplar_model(tmp.path(), 20.0);
    let classifier = Classifier::load(tmp.path())?;
    let count = classifier.exemplars().unwrap().set().len();
    let scores = |c: &Classifier| -> Vec<f32> {
        c.predict(&records()[..3], &ScoreOptions::default()).unwrap().into_iter().map(|p| p.unwrap().score).collect()
    };
    let before = scores(&classifier);
    // The folder's own file passed again: nothing is added and no score moves.
    let again = classifier.with_exemplars(ExemplarSet::from_jsonl(SHIPPED, "shipped.jsonl")?)?;
    assert_eq!(again.exemplars().unwrap().set().len(), count);
    assert_eq!(scores(&again), before);
    // A file with one line the model has (same text and label) and one new line, twice: one exemplar is added.
    let first = SHIPPED.lines().next().unwrap();
    let new = r#"{"typology": "mining_rig_rental", "lang": "en", "text": "Rent a mining rig, USDT payouts daily", "label": "lure"}"#;
    let file = format!("{first}\n{new}\n{new}\n");
    let extended = again.with_exemplars(ExemplarSet::from_jsonl(&file, "mine.jsonl")?)?;
    assert_eq!(extended.exemplars().unwrap().set().len(), count + 1);
    let extended = extended.with_exemplars(ExemplarSet::from_jsonl(&file, "mine.jsonl")?)?;
    assert_eq!(extended.exemplars().unwrap().set().len(), count + 1);
    Ok(())
}

#[test]
fn a_weight_without_exemplars_and_a_bad_line_are_refused_with_the_file_and_line() -> anyhow::Result<()> {
    let tmp = tempfile::tempdir()?;
    exemplar_model(tmp.path(), 5.0);
    fs::remove_file(tmp.path().join(ModelFolder::EXEMPLARS))?;
    let err = format!("{:#}", Classifier::load(tmp.path()).unwrap_err());
    assert!(err.contains("exemplars.jsonl") && err.contains("\"exemplar\" weight"), "{err}");

    // Only lure exemplars: the margin needs both labels.
    fs::write(tmp.path().join(ModelFolder::EXEMPLARS), SHIPPED.lines().next().unwrap())?;
    assert!(Classifier::load(tmp.path()).is_err());

    fs::write(
        tmp.path().join(ModelFolder::EXEMPLARS),
        format!("{SHIPPED}{{\"typology\": \"x\", \"text\": \"y\", \"label\": \"scam\"}}\n"),
    )?;
    let err = Classifier::load(tmp.path()).unwrap_err().to_string();
    assert!(err.contains("exemplars.jsonl, line 7: unknown variant `scam`"), "{err}");
    Ok(())
}

#[test]
fn embed_skips_records_without_text_and_matches_the_scoring_embedding() -> anyhow::Result<()> {
    let classifier = Classifier::load(tiny_bert_dir())?;
    let embedded = classifier.embed(&records(), 2)?;
    assert_eq!(embedded[3], Err(lurescan::RecordError::NoText));
    let one = classifier.embed(&records()[..1], 1)?.remove(0).unwrap();
    assert_eq!(one.len(), classifier.config().hidden_size);
    // Padding does not change a record's embedding beyond float rounding.
    let batched = embedded[0].as_ref().unwrap();
    assert!(one.iter().zip(batched).all(|(a, b)| (a - b).abs() < 1e-5));
    Ok(())
}

#[test]
fn the_embedding_cache_is_used_only_when_its_key_matches() -> anyhow::Result<()> {
    use lurescan::exemplars::{cache_key, ExemplarIndex};
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    exemplar_model(dir, 20.0);
    let fresh = Classifier::load(dir)?;
    let index = fresh.exemplars().unwrap();
    let key = |dir: &Path| -> anyhow::Result<[u8; 16]> {
        let set = ExemplarSet::load(dir.join(ModelFolder::EXEMPLARS))?;
        Ok(cache_key(
            &fs::read(dir.join("model.safetensors"))?,
            &fs::read(dir.join("config.json"))?,
            &fs::read(dir.join("tokenizer.json"))?,
            fresh.settings(),
            &set,
        ))
    };
    // A cache whose embeddings are all one vector, so that it is visible when used: every similarity is then the
    // same, and the nearest lure is the first lure exemplar whatever the record.
    let dim = index.dim();
    let mut one = vec![0f32; dim];
    one[0] = 1.0;
    let planted = ExemplarIndex::new(index.set().clone(), one.repeat(index.set().len()), dim, index.k())?;
    planted.save_cache(&dir.join(ModelFolder::EXEMPLAR_CACHE), key(dir)?)?;
    let cached = Classifier::load(dir)?;
    assert_eq!(cached.exemplars().unwrap().embedding(4), &one[..], "the cache is read");
    let records = [Record::from_text("Your parcel arrives tomorrow morning")];
    let evidence = |c: &Classifier| {
        c.predict_with_evidence(&records, &ScoreOptions::default()).unwrap()[0].clone().unwrap().1.unwrap()
    };
    assert_eq!(evidence(&cached).margin, Some(0.0));

    // Change an exemplar's text: the key no longer matches, and the exemplars are embedded again.
    let edited = SHIPPED.replace("track it in the app", "track it on the website");
    fs::write(dir.join(ModelFolder::EXEMPLARS), &edited)?;
    let recomputed = Classifier::load(dir)?;
    assert_ne!(recomputed.exemplars().unwrap().embedding(4), &one[..]);
    assert_ne!(evidence(&recomputed).margin, Some(0.0));

    // A cache written for these texts by the model itself gives exactly the embeddings computed without it.
    let own = Classifier::load(dir)?;
    own.exemplars().unwrap().save_cache(&dir.join(ModelFolder::EXEMPLAR_CACHE), key(dir)?)?;
    let reloaded = Classifier::load(dir)?;
    assert_eq!(reloaded.exemplars().unwrap().embedding(3), own.exemplars().unwrap().embedding(3));
    // Other weights change the key too (one bit of the last weight flipped).
    let before = key(dir)?;
    let mut weights = fs::read(dir.join("model.safetensors"))?;
    let last = weights.len() - 1;
    weights[last] ^= 1;
    fs::write(dir.join("model.safetensors"), &weights)?;
    assert_ne!(key(dir)?, before);
    Ok(())
}
