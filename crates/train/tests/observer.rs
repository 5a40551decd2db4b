//! The observer sees a run as it goes: one bar per epoch with one step per batch, each epoch's numbers as the
//! outcome records them, and the ensemble it fitted; observing changes nothing in the result.

mod common;

use lurescan_train::observe::{BatchDone, EpochStart, Event, Stage, TrainObserver};
use lurescan_train::{train, train_observed, EpochLog, RunOptions};

/// Records what it is told.
#[derive(Default)]
struct Recorder {
    starts: Vec<EpochStart>,
    batches: usize,
    open: bool,
    epochs: Vec<EpochLog>,
    ensembles: usize,
}

impl TrainObserver for Recorder {
    fn epoch_start(&mut self, start: &EpochStart) {
        assert!(!self.open, "an epoch started before the last one ended");
        self.open = true;
        self.starts.push(*start);
    }
    fn batch_done(&mut self, progress: &BatchDone) {
        assert!(self.open, "a batch outside an epoch");
        assert!(progress.loss.is_finite() && progress.sequences_per_second > 0.0);
        self.batches += 1;
    }
    fn epoch_end(&mut self) {
        self.open = false;
    }
    fn event(&mut self, event: &Event) {
        match event {
            Event::Epoch { log, .. } => self.epochs.push((*log).clone()),
            Event::Ensemble { .. } => self.ensembles += 1,
            _ => {}
        }
    }
}

#[test]
fn the_observer_sees_every_epoch_and_batch_and_changes_nothing() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let data = common::separable_data();
    let config = lurescan_train::TrainConfig { patience: 0, ..common::tiny_config() };
    let mut recorder = Recorder::default();
    let observed = dir.path().join("observed");
    let outcome = train_observed(&config, &data, &observed, &RunOptions::default(), &mut recorder)?;
    assert!(!recorder.open);
    let epochs: Vec<usize> = recorder.starts.iter().map(|s| s.epoch).collect();
    assert_eq!(epochs, (1..=config.optim.epochs).collect::<Vec<_>>());
    assert!(recorder.starts.iter().all(|s| s.stage == Stage::Train && s.epochs == config.optim.epochs));
    assert_eq!(recorder.batches, recorder.starts.iter().map(|s| s.batches).sum::<usize>());
    assert_eq!(recorder.epochs, outcome.history);
    assert_eq!(recorder.ensembles, 1, "the lexical member is on in the tiny config");

    let silent = dir.path().join("silent");
    train(&config, &data, &silent, &RunOptions::default())?;
    assert_eq!(std::fs::read(observed.join("model.safetensors"))?, std::fs::read(silent.join("model.safetensors"))?);
    Ok(())
}
