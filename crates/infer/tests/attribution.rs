//! Occlusion attributions on the tiny fixture model: offsets point at the terms, effects are the change in the
//! log-odds of the score a caller can reproduce with `Classifier::predict`, results are ordered, bounded and
//! deterministic, and they still rank the words of a record whose score has saturated at 1.

mod common;

use lurescan::explain::{top_terms, top_terms_with, OcclusionOptions};
use lurescan::{Classifier, Field, Record, ScoreOptions};

fn classifier() -> Classifier {
    Classifier::load(common::tiny_bert_dir()).expect("fixture model loads")
}

fn posting() -> Record {
    Record::default().with(Field::Title, "Customer service, Sihanoukville").with(
        Field::Description,
        "Free visa and flight. No experience needed, 3,000 USD a month. Contact us on Telegram 📱",
    )
}

fn score(classifier: &Classifier, record: &Record) -> f32 {
    classifier.predict(std::slice::from_ref(record), &ScoreOptions::default()).unwrap()[0].as_ref().unwrap().score
}

fn log_odds(p: f32) -> f32 {
    (p as f64 / (1.0 - p as f64)).ln() as f32
}

#[test]
fn offsets_point_at_the_terms_and_effects_are_reproducible() {
    let classifier = classifier();
    let record = posting();
    let base = score(&classifier, &record);
    let terms = top_terms(&classifier, &record, 5).unwrap();
    assert!(!terms.is_empty() && terms.len() <= 5);
    for term in &terms {
        let text = record.get(term.field).unwrap();
        assert_eq!(&text[term.start..term.end], term.term);
        // Removing the term by hand and scoring with `predict` gives the same change (batching and padding
        // differ, so allow float noise).
        let occluded = format!("{} {}", &text[..term.start], &text[term.end..]);
        let without = score(&classifier, &record.clone().with(term.field, occluded));
        let change = log_odds(base) - log_odds(without);
        assert!((change - term.effect).abs() < 1e-3, "{term:?}: base {base}, without {without}");
    }
    assert!(terms.windows(2).all(|w| w[0].effect.abs() >= w[1].effect.abs()), "{terms:?}");
    assert!(terms.iter().any(|t| t.effect != 0.0), "random weights still react to some word: {terms:?}");
}

#[test]
fn results_are_deterministic_and_serializable() {
    let classifier = classifier();
    let a = top_terms(&classifier, &posting(), 10).unwrap();
    let b = top_terms(&classifier, &posting(), 10).unwrap();
    assert_eq!(a, b);
    let json = serde_json::to_value(&a[0]).unwrap();
    for key in ["field", "term", "start", "end", "effect"] {
        assert!(json.get(key).is_some(), "{key} missing from {json}");
    }
}

#[test]
fn words_past_the_maximum_length_cost_nothing_and_are_not_reported() {
    // The fixture keeps 32 tokens: a 300-word text is mostly beyond reach.
    let classifier = classifier();
    let text = (0..300).map(|i| format!("word{i}")).collect::<Vec<_>>().join(" ");
    let record = Record::from_text(text);
    let options = OcclusionOptions { max_units: 1000, batch_size: 16 };
    let terms = top_terms_with(&classifier, &record, 1000, &options).unwrap();
    assert!(!terms.is_empty());
    assert!(terms.len() < 40, "{} terms reported for a 32-token model", terms.len());
    assert!(terms.iter().all(|t| t.start < 400), "{:?}", terms.last());
}

#[test]
fn long_records_are_occluded_in_runs_within_the_budget() {
    let classifier = classifier();
    let text = (0..120).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ");
    let options = OcclusionOptions { max_units: 10, batch_size: 4 };
    let terms = top_terms_with(&classifier, &Record::from_text(text), 100, &options).unwrap();
    assert!(terms.len() <= 10);
    assert!(terms.iter().all(|t| t.term.split(' ').count() == 12), "{terms:?}");
}

#[test]
fn text_without_spaces_is_occluded_in_short_pieces() {
    let classifier = classifier();
    // The tiny model reads 32 tokens: short texts, so that every piece is inside them.
    let pieces = |text: &str| {
        let mut terms = top_terms(&classifier, &Record::from_text(text), 50).unwrap();
        terms.sort_by_key(|t| t.start);
        assert!(terms.iter().all(|t| text[t.start..t.end] == t.term));
        terms.into_iter().map(|t| t.term).collect::<Vec<_>>()
    };
    assert_eq!(pieces("招聘客服，日入1000+"), ["招聘客服", "日入1000+"], "a piece ends at punctuation (not named)");
    assert_eq!(pieces("包吃包住全球高薪"), ["包吃包住全球", "高薪"], "or after 6 characters");
    assert_eq!(pieces("Customer service Cambodia"), ["Customer", "service", "Cambodia"], "spaced scripts keep words");
}

#[test]
fn empty_and_single_word_records() {
    let classifier = classifier();
    assert!(top_terms(&classifier, &Record::default(), 5).unwrap().is_empty());
    assert!(top_terms(&classifier, &posting(), 0).unwrap().is_empty());
    // Removing the only word leaves no text, hence no score to compare with.
    assert!(top_terms(&classifier, &Record::from_text("hello"), 5).unwrap().is_empty());
    // Scripts without spaces are one unit per run of text between blanks.
    let terms = top_terms(&classifier, &Record::from_text("柬埔寨招客服 包吃包住 加飞机"), 5).unwrap();
    assert_eq!(terms.len(), 3);
}

#[test]
fn explain_returns_flags_and_terms_without_touching_the_score() {
    let classifier = classifier();
    let record = posting();
    let before = score(&classifier, &record);
    let explanation = lurescan::explain::explain(&classifier, &record, 3).unwrap();
    assert!(explanation.flags.iter().any(|f| f.id == "compound_location"));
    assert!(explanation.flags.iter().any(|f| f.id == "messaging_app_contact"));
    assert_eq!(explanation.top_terms.len(), 3);
    assert_eq!(score(&classifier, &record), before);
    let json = serde_json::to_value(&explanation).unwrap();
    assert!(json["flags"].is_array() && json["top_terms"].is_array());
}

/// The fixture BERT with a lexical member that puts a weight of 40 on every feature of `word`, so any record
/// holding it scores 1.0 (the ensemble adds the two margins).
fn saturating_ensemble(word: &str) -> (tempfile::TempDir, Classifier) {
    use lurescan::lexical::{features, LexicalModel, BUCKETS};
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(common::tiny_bert_dir()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let settings_path = dir.path().join("lurescan.json");
    let mut settings: serde_json::Value = serde_json::from_slice(&std::fs::read(&settings_path).unwrap()).unwrap();
    settings["ensemble"] = serde_json::json!({"bert": 1.0, "lexical": 1.0, "bias": 0.0});
    std::fs::write(&settings_path, settings.to_string()).unwrap();
    let render: lurescan::RenderConfig = serde_json::from_value(settings["render"].clone()).unwrap();
    let idf = vec![1.0; BUCKETS];
    let mut weight = vec![0.0; BUCKETS];
    for (bucket, _) in features(&Record::from_text(word), &render, &idf) {
        weight[bucket as usize] = 40.0;
    }
    LexicalModel::new(weight, idf, 0.0).unwrap().save(&dir.path().join(lurescan::ModelFolder::LEXICAL)).unwrap();
    let classifier = Classifier::load(dir.path()).unwrap();
    (dir, classifier)
}

#[test]
fn a_saturated_score_still_ranks_the_words_that_drive_it() {
    let (_dir, classifier) = saturating_ensemble("zqxkidnap");
    let record = Record::from_text("office job zqxkidnap in the city with good pay");
    assert_eq!(score(&classifier, &record), 1.0, "the score saturates");
    let terms = top_terms(&classifier, &record, 8).unwrap();
    // Six units: function words join the word after them ("in the city", "with good").
    assert_eq!(terms.iter().map(|t| t.term.as_str()).filter(|t| t.contains(' ')).count(), 2, "{terms:?}");
    assert_eq!(terms.len(), 6);
    assert_eq!(terms[0].term, "zqxkidnap", "{terms:?}");
    // Removing it takes the log-odds from about 40 down to the BERT's own few units.
    assert!(terms[0].effect > 20.0, "{terms:?}");
    // The others differ among themselves too (the BERT still reacts to them), not all +0.000.
    let rest: Vec<f32> = terms[1..].iter().map(|t| t.effect).collect();
    assert!(rest.iter().any(|&e| e != rest[0]) && rest.iter().all(|e| e.abs() < terms[0].effect), "{terms:?}");
    assert!(terms.windows(2).all(|w| w[0].effect.abs() >= w[1].effect.abs()), "{terms:?}");
}
