//! Seeded augmentation, so that partial postings and short messages score sensibly: a model trained only on
//! whole postings learns "all fields present ⇒ legitimate" and misses a lure that arrives as two lines of chat.
//!
//! Per example and epoch, one of: keep it whole; drop random fields (keeping at least one); keep a single field;
//! keep a random span of words of one long field, sometimes as a bare message (`text`). The label is kept.

use lurescan::rng::SeededRng;
use lurescan::{Field, Record};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AugmentConfig {
    /// Probability that an example is augmented at all this epoch.
    pub p_augment: f32,
    /// Of the augmented examples, the share that keep only one field ...
    pub single_field: f32,
    /// ... the share cut to a random span of one long field (the rest drop random fields).
    pub span: f32,
    /// In "drop random fields", each field is dropped with this probability.
    pub p_drop_field: f32,
    /// A span has between `min_span_words` and `max_span_words` words.
    pub min_span_words: usize,
    pub max_span_words: usize,
    /// A span becomes a bare message (`text` field) with this probability.
    pub p_span_as_text: f32,
}

impl Default for AugmentConfig {
    fn default() -> Self {
        AugmentConfig {
            p_augment: 0.4,
            single_field: 0.35,
            span: 0.3,
            p_drop_field: 0.4,
            min_span_words: 8,
            max_span_words: 60,
            p_span_as_text: 0.5,
        }
    }
}

impl AugmentConfig {
    /// No augmentation.
    pub fn off() -> Self {
        AugmentConfig { p_augment: 0.0, ..Default::default() }
    }
}

fn pick(rng: &mut SeededRng, n: usize) -> usize {
    (rng.next_u64() % n as u64) as usize
}

/// An augmented copy of `record` (or the record itself), drawn from `rng`.
pub fn augment(record: &Record, config: &AugmentConfig, rng: &mut SeededRng) -> Record {
    let fields: Vec<(Field, &str)> = record.fields().collect();
    // Draw the same number of values whatever the branch, so one example's choice does not shift the next's.
    let (u_augment, u_kind, u_extra) = (rng.uniform(), rng.uniform(), rng.uniform());
    let r1 = rng.next_u64();
    let r2 = rng.next_u64();
    let drops = rng.next_u64();
    if u_augment >= config.p_augment || fields.is_empty() {
        return record.clone();
    }
    let mut out = Record::default();
    out.id = record.id.clone();
    if u_kind < config.single_field {
        let (field, value) = fields[(r1 % fields.len() as u64) as usize];
        out.set(field, value);
    } else if u_kind < config.single_field + config.span {
        // The field with the most words, or a random one when several are long.
        let long: Vec<usize> =
            (0..fields.len()).filter(|&i| fields[i].1.split_whitespace().count() > config.min_span_words).collect();
        if long.is_empty() {
            let (field, value) = fields[(r1 % fields.len() as u64) as usize];
            out.set(field, value);
        } else {
            let (field, value) = fields[long[(r1 % long.len() as u64) as usize]];
            let words: Vec<&str> = value.split_whitespace().collect();
            let max = config.max_span_words.min(words.len()).max(config.min_span_words);
            let len = config.min_span_words + (r2 % (max - config.min_span_words + 1) as u64) as usize;
            let len = len.min(words.len());
            let start = ((r2 >> 32) % (words.len() - len + 1) as u64) as usize;
            let span = words[start..start + len].join(" ");
            out.set(if u_extra < config.p_span_as_text { Field::Text } else { field }, span);
        }
    } else {
        let mut rng = SeededRng::new(drops);
        for &(field, value) in &fields {
            if rng.uniform() >= config.p_drop_field {
                out.set(field, value);
            }
        }
        if out.is_empty() {
            let (field, value) = fields[pick(&mut rng, fields.len())];
            out.set(field, value);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posting() -> Record {
        Record::default()
            .with(Field::Title, "Data entry clerk")
            .with(Field::Location, "Houston, TX")
            .with(Field::Description, (0..100).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" "))
            .with(Field::Benefits, "Paid daily")
    }

    #[test]
    fn augmented_records_are_never_empty_and_only_shrink() {
        let config = AugmentConfig { p_augment: 1.0, ..Default::default() };
        let mut rng = SeededRng::new(7);
        let source = posting();
        let (mut single, mut spans) = (0, 0);
        for _ in 0..500 {
            let r = augment(&source, &config, &mut rng);
            assert!(!r.is_empty());
            let n = r.fields().count();
            assert!(n <= 4);
            single += usize::from(n == 1);
            if let Some(text) = r.get(Field::Text) {
                let words = text.split_whitespace().count();
                assert!((8..=60).contains(&words), "{words}");
                spans += 1;
            }
        }
        assert!(single > 100 && spans > 20, "single {single}, spans {spans}");
    }

    #[test]
    fn seeded_and_off_is_identity() {
        let config = AugmentConfig::default();
        let draw = |seed| {
            let mut rng = SeededRng::new(seed);
            (0..50).map(|_| augment(&posting(), &config, &mut rng)).collect::<Vec<_>>()
        };
        assert_eq!(draw(3), draw(3));
        let mut rng = SeededRng::new(3);
        assert_eq!(augment(&posting(), &AugmentConfig::off(), &mut rng), posting());
    }
}
