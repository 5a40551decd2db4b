//! The lexical ensemble member: its features are fixed and script-agnostic, and a folder with
//! `lexical.safetensors` scores by the documented formula while one without it scores with the BERT alone.

mod common;

use common::tiny_bert_dir;
use lurescan::lexical::{features, term_counts, LexicalModel, BUCKETS};
use lurescan::{Classifier, EnsembleConfig, Field, Label, Record, RenderConfig, ScoreOptions};
use std::fs;
use std::path::{Path, PathBuf};

fn records() -> Vec<Record> {
    vec![
        Record::from_text("Earn 500 USD a day from home, no experience needed. Send your passport copy."),
        Record::default()
            .with(Field::Title, "Data Entry Clerk")
            .with(Field::Description, "Work from home ".repeat(400)),
        Record::from_text("งานออนไลน์ รายได้ดี วันละ 3000 บาท ติดต่อไลน์"),
        Record::from_text("高薪招聘海外工作，包吃包住，联系飞机 @agent 🚀💰"),
        Record::from_text("🙂🙂🙂"),
        Record::from_text("Việc làm tại nhà, lương cao"),
    ]
}

/// A lexical model with seeded, non-zero weights and idf (the formula, not the training, is under test here).
fn seeded_model() -> LexicalModel {
    let mut rng = lurescan::SeededRng::new(3);
    let weight = (0..BUCKETS).map(|_| rng.normal()).collect();
    let idf = (0..BUCKETS).map(|_| 1.0 + rng.uniform()).collect();
    LexicalModel::new(weight, idf, -0.3).unwrap()
}

#[test]
fn features_are_deterministic_normalised_and_work_for_any_script() {
    let render = RenderConfig::default();
    let idf = vec![1.0; BUCKETS];
    for record in records() {
        let x = features(&record, &render, &idf);
        assert_eq!(x, features(&record.clone(), &render, &idf), "{record:?}");
        assert!(!x.is_empty(), "{record:?} has no features");
        assert!(x.windows(2).all(|w| w[0].0 < w[1].0), "buckets sorted and unique");
        // Three blocks (words, characters, field words), each of norm 1 and nearly disjoint in 2^18 buckets: the
        // squared norm is close to 3. Emoji alone make no field words (the word block has the marker's "text").
        let squared: f32 = x.iter().map(|(_, v)| v * v).sum();
        let blocks = if record.get(Field::Text) == Some("🙂🙂🙂") { 2.0 } else { 3.0 };
        assert!((squared - blocks).abs() < 0.05, "{record:?}: squared norm {squared}, expected about {blocks}");
    }
    // The whole text counts, past RenderConfig's per-field cap: 400 repeats of "from" give tf 400 for its unigram.
    let long = &records()[1];
    let max_tf = term_counts(long, &render).iter().map(|&(_, c)| c).max().unwrap();
    assert!(max_tf >= 400, "max tf {max_tf}: the text was cut");
    // Lowercased: case does not change the features.
    assert_eq!(
        term_counts(&Record::from_text("EARN Money"), &render),
        term_counts(&Record::from_text("earn money"), &render)
    );
}

#[test]
fn a_word_counts_again_for_the_field_it_is_in() {
    let render = RenderConfig { field_markers: false, ..RenderConfig::default() };
    let idf = vec![1.0; BUCKETS];
    let in_title = features(&Record::default().with(Field::Title, "cash"), &render, &idf);
    let in_profile = features(&Record::default().with(Field::CompanyProfile, "cash"), &render, &idf);
    let buckets = |x: &[(u32, f32)]| x.iter().map(|&(i, _)| i).collect::<std::collections::BTreeSet<u32>>();
    let (a, b) = (buckets(&in_title), buckets(&in_profile));
    // Without markers the rendered text is the same, so the word and character blocks agree; one field word each.
    assert_eq!(a.intersection(&b).count() + 1, a.len(), "{a:?} vs {b:?}");
    assert_eq!(a.difference(&b).count(), 1);
}

#[test]
fn a_lexical_file_from_an_older_feature_version_is_refused_naming_what_to_do() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join(lurescan::ModelFolder::LEXICAL);
    let tensors: std::collections::HashMap<String, candle_core::Tensor> =
        [("lexical.weight", vec![0f32; BUCKETS]), ("lexical.idf", vec![1f32; BUCKETS]), ("lexical.bias", vec![0f32])]
            .into_iter()
            .map(|(name, v)| (name.to_string(), candle_core::Tensor::new(v, &candle_core::Device::Cpu).unwrap()))
            .collect();
    candle_core::safetensors::save(&tensors, &path)?;
    let err = LexicalModel::load(&path).unwrap_err().to_string();
    assert!(err.contains("older version") && err.contains("lurescan train"), "{err}");
    // The current writer's files load back.
    seeded_model().save(&path)?;
    assert_eq!(LexicalModel::load(&path)?, seeded_model());
    Ok(())
}

fn copy_fixture(to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(tiny_bert_dir()).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// A copy of the tiny BERT folder in `tmp` with [`seeded_model`] as its lexical member: the folder and that model.
fn folder_with_lexical(tmp: &tempfile::TempDir) -> (PathBuf, LexicalModel) {
    let dir = tmp.path().join("model");
    copy_fixture(&dir);
    let lexical = seeded_model();
    lexical.save(&dir.join("lexical.safetensors")).unwrap();
    (dir, lexical)
}

fn set_ensemble(dir: &Path, ensemble: Option<EnsembleConfig>) {
    let path = dir.join("lurescan.json");
    let mut settings: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    settings["ensemble"] = serde_json::to_value(ensemble).unwrap();
    fs::write(path, serde_json::to_vec(&settings).unwrap()).unwrap();
}

#[test]
fn an_ensemble_folder_scores_by_the_formula() -> anyhow::Result<()> {
    let tmp = tempfile::tempdir()?;
    let (dir, lexical) = folder_with_lexical(&tmp);
    let ensemble = EnsembleConfig::new(0.7, 1.3, -0.2);
    set_ensemble(&dir, Some(ensemble));

    let bert_only = Classifier::load(tiny_bert_dir())?;
    let classifier = Classifier::load(&dir)?;
    assert_eq!(classifier.lexical(), Some(&lexical), "the saved model loads back exactly");
    let records = records();
    let predictions = classifier.predict(&records, &ScoreOptions { batch_size: 2, threshold: None })?;
    let t = classifier.settings().temperature;
    for (record, p) in records.iter().zip(&predictions) {
        let ids = bert_only.encode(record)?.unwrap();
        let logits = bert_only.logits_for_ids(&[ids])?.to_vec2::<f32>()?.remove(0);
        let z = 0.7 * (logits[1] - logits[0]) / t + 1.3 * lexical.margin(record, &classifier.settings().render) - 0.2;
        let expected = 1.0 / (1.0 + (-z).exp());
        // Batching changes the padding only: float rounding, well under 1e-5.
        let score = p.as_ref().unwrap().score;
        assert!((score - expected).abs() < 1e-5, "{record:?}: {score} vs {expected}");
    }

    // Weights (1, 0, 0) give back the BERT alone, which is what a folder without the file scores.
    set_ensemble(&dir, Some(EnsembleConfig::new(1.0, 0.0, 0.0)));
    let neutral = Classifier::load(&dir)?.predict(&records, &ScoreOptions::default())?;
    let alone = bert_only.predict(&records, &ScoreOptions::default())?;
    for (a, b) in neutral.iter().zip(&alone) {
        assert!((a.as_ref().unwrap().score - b.as_ref().unwrap().score).abs() < 1e-6);
    }
    Ok(())
}

#[test]
fn messages_with_their_own_weights_score_by_them_and_postings_by_the_ensemble() -> anyhow::Result<()> {
    let tmp = tempfile::tempdir()?;
    let (dir, lexical) = folder_with_lexical(&tmp);
    set_ensemble(&dir, Some(EnsembleConfig::new(0.7, 1.3, -0.2)));
    let path = dir.join("lurescan.json");
    let mut settings: serde_json::Value = serde_json::from_slice(&fs::read(&path)?)?;
    settings["message_ensemble"] = serde_json::to_value(EnsembleConfig::new(1.1, 0.4, 0.5))?;
    fs::write(&path, serde_json::to_vec(&settings)?)?;

    let bert_only = Classifier::load(tiny_bert_dir())?;
    let classifier = Classifier::load(&dir)?;
    let records = records();
    assert!(records.iter().any(Record::is_message) && !records.iter().all(Record::is_message));
    let predictions = classifier.predict(&records, &ScoreOptions { batch_size: 2, threshold: None })?;
    let t = classifier.settings().temperature;
    for (record, p) in records.iter().zip(&predictions) {
        let ids = bert_only.encode(record)?.unwrap();
        let logits = bert_only.logits_for_ids(std::slice::from_ref(&ids))?.to_vec2::<f32>()?.remove(0);
        let (bert, lex, bias) = if record.is_message() { (1.1, 0.4, 0.5) } else { (0.7, 1.3, -0.2) };
        let margin = lexical.margin(record, &classifier.settings().render);
        let z = bert * (logits[1] - logits[0]) / t + lex * margin + bias;
        let score = p.as_ref().unwrap().score;
        assert!((score - 1.0 / (1.0 + (-z).exp())).abs() < 1e-5, "{record:?}: {score}");
        // The explanations' log-odds follow the same weights.
        assert!((classifier.log_odds_of(&logits, record) - z).abs() < 1e-4, "{record:?}");
        let with_ids = classifier.log_odds_for_ids(&[ids], &[record])?[0];
        assert!((with_ids - z).abs() < 1e-4, "{record:?}: {with_ids} vs {z}");
    }

    // Message weights without weights for the other records are refused, naming the key.
    settings.as_object_mut().unwrap().remove("ensemble");
    fs::write(&path, serde_json::to_vec(&settings)?)?;
    let err = Classifier::load(&dir).unwrap_err().to_string();
    assert!(err.contains("\"message_ensemble\"") && err.contains("no \"ensemble\""), "{err}");
    Ok(())
}

#[test]
fn an_indicator_weight_adds_its_weight_per_distinct_category_up_to_the_cap() -> anyhow::Result<()> {
    use lurescan::explain::Catalogue;
    let tmp = tempfile::tempdir()?;
    let (dir, lexical) = folder_with_lexical(&tmp);
    let (weights, message_weights) = (0.9f32, 1.7f32);
    set_ensemble(&dir, Some(EnsembleConfig { indicators: Some(weights), ..EnsembleConfig::new(0.7, 1.3, -0.2) }));
    let path = dir.join("lurescan.json");
    let mut settings: serde_json::Value = serde_json::from_slice(&fs::read(&path)?)?;
    settings["message_ensemble"] = serde_json::to_value(EnsembleConfig {
        indicators: Some(message_weights),
        ..EnsembleConfig::new(1.1, 0.4, 0.5)
    })?;
    fs::write(&path, serde_json::to_vec(&settings)?)?;

    let bert_only = Classifier::load(tiny_bert_dir())?;
    let classifier = Classifier::load(&dir)?;
    let mut records = records();
    // Six categories at once (place, travel, pay with no experience, fees, urgency, contact): counted as three.
    records.push(Record::from_text(
        "Customer service job in Sihanoukville, free flight and free housing provided, no experience needed, salary \
         3000 USD a month. Pay a 300 USD processing fee first and send your passport. Limited places, apply today. \
         WhatsApp +855 12 345 678",
    ));
    records.push(
        Record::default().with(Field::Title, "Earn $5000 a week from home").with(Field::Description, "Easy work."),
    );
    let counts: Vec<usize> = records.iter().map(|r| Catalogue::builtin().category_count(r)).collect();
    assert!(
        counts.contains(&0) && counts.iter().any(|&c| c > 3),
        "the records cover no flags and more than the cap: {counts:?}"
    );
    assert!(records.iter().zip(&counts).any(|(r, &c)| c > 0 && !r.is_message()), "a posting with flags: {counts:?}");
    let predictions = classifier.predict(&records, &ScoreOptions { batch_size: 2, threshold: None })?;
    let t = classifier.settings().temperature;
    for ((record, p), &count) in records.iter().zip(&predictions).zip(&counts) {
        let ids = bert_only.encode(record)?.unwrap();
        let logits = bert_only.logits_for_ids(std::slice::from_ref(&ids))?.to_vec2::<f32>()?.remove(0);
        let (bert, lex, bias, per_category) =
            if record.is_message() { (1.1, 0.4, 0.5, message_weights) } else { (0.7, 1.3, -0.2, weights) };
        let margin = lexical.margin(record, &classifier.settings().render);
        let z = bert * (logits[1] - logits[0]) / t + lex * margin + bias + per_category * count.min(3) as f32;
        let score = p.as_ref().unwrap().score;
        assert!((score - 1.0 / (1.0 + (-z).exp())).abs() < 1e-5, "{record:?}: {score}, {count} categories");
        assert!((classifier.log_odds_of(&logits, record) - z).abs() < 1e-4, "{record:?}");
        let with_ids = classifier.log_odds_for_ids(&[ids], &[record])?[0];
        assert!((with_ids - z).abs() < 1e-4, "{record:?}: {with_ids} vs {z}");
    }

    // A weight that is not a finite number is refused.
    settings["message_ensemble"]["indicators"] = serde_json::json!(1e39);
    fs::write(&path, serde_json::to_vec(&settings)?)?;
    let err = Classifier::load(&dir).unwrap_err().to_string();
    assert!(err.contains("finite"), "{err}");
    Ok(())
}

#[test]
fn a_record_that_reads_as_a_warning_counts_no_category_and_gets_the_warning_weight() -> anyhow::Result<()> {
    use lurescan::explain::Catalogue;
    let tmp = tempfile::tempdir()?;
    let (dir, lexical) = folder_with_lexical(&tmp);
    let (per_category, warning, decisive) = (0.9f32, -3.0f32, 2.0f32);
    let weights = EnsembleConfig {
        indicators: Some(per_category),
        warning: Some(warning),
        decisive: Some(decisive),
        ..EnsembleConfig::new(0.7, 1.3, -0.2)
    };
    set_ensemble(&dir, Some(weights));
    let classifier = Classifier::load(&dir)?;
    let bert_only = Classifier::load(tiny_bert_dir())?;
    let lure = Record::from_text(
        "Customer service job in Cambodia, free flight and housing, no experience needed, salary 3000 USD. \
         Pay a 300 USD processing fee first.",
    );
    // The same wording, quoted by the police.
    let notice = Record::from_text(
        "Police advisory: beware of scams offering a customer service job in Cambodia, free flight and housing, no \
         experience needed, salary 3000 USD, and asking you to pay a 300 USD processing fee first.",
    );
    let catalogue = Catalogue::builtin();
    let (lure_counted, notice_counted) = (catalogue.counted(&lure, &[]), catalogue.counted(&notice, &[]));
    assert!(!lure_counted.warning && lure_counted.categories >= 2, "{lure_counted:?}");
    assert!(notice_counted.warning && notice_counted.categories == 0, "{notice_counted:?}");
    assert!(catalogue.scan(&notice).iter().any(|f| f.category != "warning"), "the quoted flags are still shown");

    // A decisive sign (money offered for the use of one's bank account) adds the decisive weight to its category.
    let mule = Record::from_text("Earn 2000 a month: rent your bank account to our company.");
    let mule_counted = catalogue.counted(&mule, &[]);
    assert!(mule_counted.decisive && !lure_counted.decisive && !notice_counted.decisive, "{mule_counted:?}");

    let t = classifier.settings().temperature;
    let mule_extra = per_category * mule_counted.categories.min(3) as f32 + decisive;
    // The decisive record scores at least 0.9 (`DECISIVE_SCORE`), or a hair above the threshold when that is higher.
    let log_odds = |p: f32| (p / (1.0 - p)).ln();
    let at_least = |record: &Record| {
        (log_odds(classifier.settings().threshold_for(record)) + 1e-3).max(log_odds(lurescan::DECISIVE_SCORE))
    };
    for (record, extra, floor) in [
        (&lure, per_category * lure_counted.categories.min(3) as f32, f32::NEG_INFINITY),
        (&notice, warning, f32::NEG_INFINITY),
        (&mule, mule_extra, at_least(&mule)),
    ] {
        let ids = bert_only.encode(record)?.unwrap();
        let logits = bert_only.logits_for_ids(std::slice::from_ref(&ids))?.to_vec2::<f32>()?.remove(0);
        let margin = lexical.margin(record, &classifier.settings().render);
        let z = (0.7 * (logits[1] - logits[0]) / t + 1.3 * margin - 0.2 + extra).max(floor);
        let score =
            classifier.predict(std::slice::from_ref(record), &ScoreOptions::default())?[0].clone().unwrap().score;
        assert!((score - 1.0 / (1.0 + (-z).exp())).abs() < 1e-5, "{record:?}: {score} vs z {z}");
        // The explanations' log-odds have every weight but not the floor.
        let unfloored = 0.7 * (logits[1] - logits[0]) / t + 1.3 * margin - 0.2 + extra;
        assert!((classifier.log_odds_of(&logits, record) - unfloored).abs() < 1e-4, "{record:?}");
        // A record with a decisive flag also says what it would score without that flag's weight and floor; the
        // others say nothing.
        let prediction =
            classifier.predict(std::slice::from_ref(record), &ScoreOptions::default())?[0].clone().unwrap();
        match record == &mule {
            true => {
                let without = 1.0 / (1.0 + (-(unfloored - decisive)).exp());
                let given = prediction.score_without_decisive.expect("a decisive record has score_without_decisive");
                assert!((given - without).abs() < 1e-5 && given < prediction.score, "{prediction:?} vs {without}");
            }
            false => assert_eq!(prediction.score_without_decisive, None, "{record:?}"),
        }
    }
    let mule_scored = classifier.predict(std::slice::from_ref(&mule), &ScoreOptions::default())?[0].clone().unwrap();
    assert!(mule_scored.score >= lurescan::DECISIVE_SCORE - 1e-6, "{mule_scored:?}");

    // A decisive sign is evidence enough on its own: with a threshold the rest of the record is far from, the
    // money-mule offer scores the threshold (a hair above), the others what their members say.
    let path = dir.join("lurescan.json");
    let mut settings: serde_json::Value = serde_json::from_slice(&fs::read(&path)?)?;
    let original = settings.clone();
    settings["threshold"] = serde_json::json!(0.999);
    settings["message_threshold"] = serde_json::json!(0.999);
    fs::write(&path, serde_json::to_vec(&settings)?)?;
    let strict = Classifier::load(&dir)?;
    let scored = strict.predict(&[lure.clone(), notice.clone(), mule.clone()], &ScoreOptions::default())?;
    let before = classifier.predict(&[lure.clone(), notice.clone(), mule.clone()], &ScoreOptions::default())?;
    let (mule_scored, mule_before) = (scored[2].clone().unwrap(), before[2].clone().unwrap());
    assert!(mule_before.score < 0.999, "the test needs a threshold above the mule's own score: {mule_before:?}");
    assert!(mule_scored.score >= 0.999 && mule_scored.score < 0.99905, "{mule_scored:?}");
    assert_eq!(mule_scored.label, Label::Lure);
    for i in 0..2 {
        assert_eq!(scored[i].clone().unwrap().score, before[i].clone().unwrap().score, "record {i}");
        assert_eq!(scored[i].clone().unwrap().label, Label::Legitimate, "record {i}");
    }
    // Its words still show what they do: measured under the floor, which no removal but the flag's own would move,
    // the offer's other words have effects, and the words of the flag carry the decisive weight.
    let terms = lurescan::explain::top_terms(&strict, &mule, 20)?;
    let flag = catalogue.scan(&mule).into_iter().find(|f| f.category == "money_mule").expect("the mule flag");
    let (inside, outside): (Vec<_>, Vec<_>) = terms.iter().partition(|t| t.start < flag.end && t.end > flag.start);
    assert!(outside.iter().any(|t| t.effect.abs() > 1e-3), "{terms:#?}");
    assert!(inside.iter().any(|t| t.effect > decisive / 2.0), "{terms:#?}");
    fs::write(&path, serde_json::to_vec(&original)?)?;
    // So with the caller's threshold in place of the folder's (`lurescan score --threshold`).
    let strict = ScoreOptions { threshold: Some(0.999), ..ScoreOptions::default() };
    let overridden = classifier.predict(&[lure.clone(), notice.clone(), mule.clone()], &strict)?;
    let mule_overridden = overridden[2].clone().unwrap();
    assert!(mule_overridden.score >= 0.999 && mule_overridden.label == Label::Lure, "{mule_overridden:?}");
    for i in 0..2 {
        assert_eq!(overridden[i].clone().unwrap().score, before[i].clone().unwrap().score, "record {i}");
    }

    // A warning weight that is not a finite number is refused.
    let mut settings: serde_json::Value = serde_json::from_slice(&fs::read(&path)?)?;
    settings["ensemble"]["warning"] = serde_json::json!(1e39);
    fs::write(&path, serde_json::to_vec(&settings)?)?;
    let err = Classifier::load(&dir).unwrap_err().to_string();
    assert!(err.contains("finite"), "{err}");
    // So is a decisive weight.
    settings["ensemble"]["warning"] = serde_json::json!(warning);
    settings["ensemble"]["decisive"] = serde_json::json!(1e39);
    fs::write(&path, serde_json::to_vec(&settings)?)?;
    let err = Classifier::load(&dir).unwrap_err().to_string();
    assert!(err.contains("finite"), "{err}");
    Ok(())
}

#[test]
fn a_half_ensemble_is_refused_naming_what_to_do() -> anyhow::Result<()> {
    let tmp = tempfile::tempdir()?;
    let (dir, _) = folder_with_lexical(&tmp);
    let err = Classifier::load(&dir).unwrap_err().to_string();
    assert!(err.contains("no \"ensemble\""), "{err}");

    fs::remove_file(dir.join("lexical.safetensors"))?;
    set_ensemble(&dir, Some(EnsembleConfig::new(1.0, 1.0, 0.0)));
    let err = Classifier::load(&dir).unwrap_err().to_string();
    assert!(err.contains("no lexical.safetensors"), "{err}");
    Ok(())
}

#[test]
fn top_terms_of_an_ensemble_are_effects_on_the_ensemble_log_odds() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    copy_fixture(dir.path());
    seeded_model().save(&dir.path().join(lurescan::ModelFolder::LEXICAL))?;
    set_ensemble(dir.path(), Some(EnsembleConfig::new(0.5, 2.0, 0.1)));
    assert_top_terms_are_effects_on_the_score(&Classifier::load(dir.path())?)
}

#[test]
fn top_terms_of_an_ensemble_with_exemplars_are_effects_on_the_ensemble_log_odds() -> anyhow::Result<()> {
    // Occluded variants with the same token ids (words past the BERT's reach) share one forward pass, embedding
    // and all: the exemplar term of each must still be its own record's.
    let dir = tempfile::tempdir()?;
    copy_fixture(dir.path());
    seeded_model().save(&dir.path().join(lurescan::ModelFolder::LEXICAL))?;
    set_ensemble(dir.path(), Some(EnsembleConfig { exemplar: Some(8.0), ..EnsembleConfig::new(0.5, 2.0, 0.1) }));
    fs::write(
        dir.path().join(lurescan::ModelFolder::EXEMPLARS),
        r#"{"typology": "task_scam", "lang": "en", "text": "Earn 500 a day from home, contact Telegram", "label": "lure"}
{"typology": "shift_reminder", "lang": "en", "text": "Your shift starts at 7 tomorrow", "label": "benign"}
"#,
    )?;
    let classifier = Classifier::load(dir.path())?;
    assert!(classifier.exemplars().is_some());
    assert_top_terms_are_effects_on_the_score(&classifier)
}

/// Each top term's effect is the change in the log-odds of the score when the term is removed, for a record long
/// enough that its last words lie past the BERT's 32 tokens.
fn assert_top_terms_are_effects_on_the_score(classifier: &Classifier) -> anyhow::Result<()> {
    let record = Record::default().with(Field::Title, "Remote typist").with(
        Field::Description,
        "Earn 500 USD a day from home with no experience, paid daily. ".repeat(6) + "Contact Telegram now",
    );
    let score = |r: &Record| {
        classifier.predict(std::slice::from_ref(r), &ScoreOptions::default()).unwrap()[0].clone().unwrap().score
    };
    let base = score(&record);
    let terms = lurescan::explain::top_terms(classifier, &record, 200)?;
    assert!(terms.iter().any(|t| t.field == Field::Description && t.start > 300), "words past the BERT's reach count");
    for term in &terms {
        let text = record.get(term.field).unwrap();
        let without = score(&record.clone().with(term.field, format!("{} {}", &text[..term.start], &text[term.end..])));
        // Effects are in log-odds of the ensemble's score.
        let log_odds = |p: f32| (p as f64 / (1.0 - p as f64)).ln() as f32;
        let change = log_odds(base) - log_odds(without);
        assert!((change - term.effect).abs() < 1e-3, "{term:?}: base {base}, without {without}");
    }
    Ok(())
}

#[test]
fn with_deobfuscate_a_disguised_record_scores_as_its_plain_words_in_every_member() -> anyhow::Result<()> {
    let tmp = tempfile::tempdir()?;
    let (dir, _) = folder_with_lexical(&tmp);
    set_ensemble(&dir, Some(EnsembleConfig { indicators: Some(0.8), ..EnsembleConfig::new(0.7, 1.3, -0.2) }));
    let plain = Record::from_text("Work from home, earn 500 a day, contact the mentor on Telegram, no fee");
    // Digits for letters, letters for digits, spaced letters and a Cyrillic о.
    let disguised = Record::from_text("W0rk frоm h.o.m.e, earn 5OO a day, c0ntact the ment0r on Te1egram, no fee");
    let score = |dir: &Path, deobfuscate: bool| -> anyhow::Result<(f32, f32)> {
        let path = dir.join("lurescan.json");
        let mut settings: serde_json::Value = serde_json::from_slice(&fs::read(&path)?)?;
        settings["render"]["deobfuscate"] = serde_json::json!(deobfuscate);
        fs::write(&path, serde_json::to_vec(&settings)?)?;
        let classifier = Classifier::load(dir)?;
        let p = classifier.predict(&[plain.clone(), disguised.clone()], &ScoreOptions::default())?;
        Ok((p[0].as_ref().unwrap().score, p[1].as_ref().unwrap().score))
    };
    let (plain_off, disguised_off) = score(&dir, false)?;
    let (plain_on, disguised_on) = score(&dir, true)?;
    assert_eq!(plain_on, plain_off, "plain text scores as before");
    assert!((disguised_on - plain_on).abs() < 1e-6, "{disguised_on} vs {plain_on}");
    assert!((disguised_off - plain_off).abs() > 1e-4, "without it the disguise moves the score: {disguised_off}");
    Ok(())
}

#[test]
fn with_fold_traditional_a_traditional_chinese_record_scores_as_its_simplified_reading_in_every_member(
) -> anyhow::Result<()> {
    let tmp = tempfile::tempdir()?;
    let (dir, _) = folder_with_lexical(&tmp);
    set_ensemble(&dir, Some(EnsembleConfig { indicators: Some(0.8), ..EnsembleConfig::new(0.7, 1.3, -0.2) }));
    let simplified = Record::from_text("在家兼职做任务，点赞视频日赚500，先垫付充值解锁佣金，联系导师");
    let traditional = Record::from_text("在家兼職做任務，點讚視頻日賺500，先墊付充值解鎖佣金，聯繫導師");
    let score = |fold: bool| -> anyhow::Result<(f32, f32)> {
        let path = dir.join("lurescan.json");
        let mut settings: serde_json::Value = serde_json::from_slice(&fs::read(&path)?)?;
        settings["render"]["fold_traditional"] = serde_json::json!(fold);
        fs::write(&path, serde_json::to_vec(&settings)?)?;
        let classifier = Classifier::load(&dir)?;
        let p = classifier.predict(&[simplified.clone(), traditional.clone()], &ScoreOptions::default())?;
        Ok((p[0].as_ref().unwrap().score, p[1].as_ref().unwrap().score))
    };
    let (simplified_off, traditional_off) = score(false)?;
    let (simplified_on, traditional_on) = score(true)?;
    assert_eq!(simplified_on, simplified_off, "Simplified text scores as before");
    assert_eq!(traditional_on, simplified_on, "read as Simplified, scored as Simplified");
    assert!(
        (traditional_off - simplified_off).abs() > 1e-4,
        "without it the script moves the score: {traditional_off}"
    );
    Ok(())
}

#[test]
fn a_contact_point_counts_by_its_kind_not_by_its_characters() {
    let render = RenderConfig::default();
    let idf = vec![1.0; BUCKETS];
    let x = |text: &str| features(&Record::from_text(text), &render, &idf);
    // Two senders, one offer: the same features.
    assert_eq!(
        x("Online work, contact https://t.me/winnie668800 now"),
        x("Online work, contact https://t.me/jobs_42 now")
    );
    assert_eq!(
        x("Shift tomorrow, call +254 722 123 456 to confirm"),
        x("Shift tomorrow, call +254 733 987 654 to confirm")
    );
    assert_eq!(x("Write to hr.desk@gmail.com today"), x("Write to anna.k@gmail.com today"));
    // A contact and none, a Telegram link and a web link: not the same.
    let telegram = x("Online work, contact https://t.me/jobs_42 now");
    assert_ne!(telegram, x("Online work, contact now"));
    assert_ne!(telegram, x("Online work, contact https://example.com/jobs now"));
    // The words around a link stay words: "information:https://…" is one whitespace-separated word.
    let glued = term_counts(&Record::from_text("Contact information:https://t.me/jobs_42"), &render);
    assert_eq!(glued, term_counts(&Record::from_text("Contact information: https://t.me/other_7"), &render));
}

/// The seeded model's weights saved to `path` as a file of feature version `version`, and read back.
fn seeded_model_marked_as(version: u32, path: &Path) -> LexicalModel {
    seeded_model().save(path).unwrap();
    let mut tensors = candle_core::safetensors::load(path, &candle_core::Device::Cpu).unwrap();
    let marked = candle_core::Tensor::from_slice(&[version], 1, &candle_core::Device::Cpu).unwrap();
    tensors.insert("lexical.version".to_string(), marked);
    candle_core::safetensors::save(&tensors, path).unwrap();
    LexicalModel::load(path).unwrap()
}

#[test]
fn a_version_2_file_is_read_and_scores_contact_points_by_their_characters_as_it_was_trained() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lexical.safetensors");
    seeded_model().save(&path).unwrap();
    assert_eq!(LexicalModel::load(&path).unwrap().version(), lurescan::lexical::VERSION);
    // The same weights, marked as version 2 (what folders trained before version 3 hold).
    let old = seeded_model_marked_as(2, &path);
    assert_eq!(old.version(), 2);
    let render = RenderConfig::default();
    let (a, b) = (Record::from_text("Contact https://t.me/jobs_42"), Record::from_text("Contact https://t.me/other_7"));
    assert_ne!(old.margin(&a, &render), old.margin(&b, &render));
    assert_eq!(seeded_model().margin(&a, &render), seeded_model().margin(&b, &render));
    // Saved again, it stays version 2.
    old.save(&path).unwrap();
    assert_eq!(LexicalModel::load(&path).unwrap().version(), 2);
}

#[test]
fn a_sum_counts_by_its_shape_not_by_its_digits() {
    let render = RenderConfig::default();
    let idf = vec![1.0; BUCKETS];
    let x = |text: &str| features(&Record::from_text(text), &render, &idf);
    // One shape, any digits, any script's digits: the same features.
    assert_eq!(x("Salary 3,000 a month"), x("Salary 8,000 a month"));
    assert_eq!(x("ค่าจ้าง 3,000 บาท"), x("ค่าจ้าง ๓,๐๐๐ บาท"));
    assert_eq!(x("ប្រាក់ខែ 500"), x("ប្រាក់ខែ ៥០០"));
    assert_eq!(x("လစာ 900"), x("လစာ ၉၀၀"));
    // Another shape is another feature: more digits, no comma, a `k`.
    assert_ne!(x("Salary 3,000 a month"), x("Salary 30,000 a month"));
    assert_ne!(x("Salary 3,000 a month"), x("Salary 3000 a month"));
    assert_ne!(x("Salary 3k a month"), x("Salary 3 a month"));
    // Chinese numerals are words, not digits.
    assert_ne!(x("月薪三千"), x("月薪五千"));
}

#[test]
fn a_version_3_file_is_read_and_scores_sums_by_their_digits_as_it_was_trained() {
    let dir = tempfile::tempdir().unwrap();
    let old = seeded_model_marked_as(3, &dir.path().join("lexical.safetensors"));
    assert_eq!(old.version(), 3);
    let render = RenderConfig::default();
    let (a, b) = (Record::from_text("Earn 3,000 a day"), Record::from_text("Earn 8,000 a day"));
    assert_ne!(old.margin(&a, &render), old.margin(&b, &render));
    assert_eq!(seeded_model().margin(&a, &render), seeded_model().margin(&b, &render));
}
