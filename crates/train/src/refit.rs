//! The refit: once validation has chosen the epoch count, calibration, ensemble weights and thresholds, the lexical
//! member (and with `Refit::All` the BERT) trained again on train + valid, keeping those choices.

use crate::config::{Refit, TrainConfig};
use crate::data::{Example, TrainData};
use crate::epoch::EpochRun;
use crate::error::Result;
use crate::freeze::FeatureCache;
use crate::init::seeded_init;
use crate::lexical::train_lexical;
use crate::loss::class_weights;
use crate::observe::{Event, Stage, TrainObserver};
use crate::session::Session;
use lurescan::LexicalModel;

/// The models a refit makes from `first` (the session validation measured, whose best epoch was `best_epoch`) and the
/// lexical member `lexical`: `None` for the BERT when it is not trained again.
pub(crate) fn refit(
    config: &TrainConfig,
    data: &TrainData,
    first: &Session,
    lexical: Option<LexicalModel>,
    best_epoch: usize,
    cache: &mut FeatureCache,
    observer: &mut dyn TrainObserver,
) -> Result<(Option<Session>, Option<LexicalModel>)> {
    // Validation has chosen everything; a refit trains again on train + valid and keeps those choices.
    match config.refit {
        Refit::None => Ok((None, lexical)),
        refit => {
            let all: Vec<Example> = data.train.iter().chain(&data.valid).cloned().collect();
            let lexical = match lexical {
                Some(_) => Some(train_lexical(&all, &first.render, config.lexical_l2, config.seed)?),
                None => None,
            };
            let bert = match refit {
                Refit::All => Some(refit_bert(config, first, &all, best_epoch, cache, observer)?),
                _ => None,
            };
            Ok((bert, lexical))
        }
    }
}

/// The BERT trained again on `examples` for `epochs` epochs: from the weights `first` started from (the same seed,
/// or `config.init`), with its tokenizer, and the schedule of a full `config.optim.epochs` run over `examples`, so that it
/// follows the path validation chose the epoch on.
fn refit_bert(
    config: &TrainConfig,
    first: &Session,
    examples: &[Example],
    epochs: usize,
    cache: &mut FeatureCache,
    observer: &mut dyn TrainObserver,
) -> Result<Session> {
    let session = match &config.init {
        Some(dir) => Session::from_folder(dir, config, &mut ())?,
        None => {
            let session =
                Session::build(first.bert.clone(), &first.tokenizer_json, first.render.clone(), config.freeze)?;
            seeded_init(&session.varmap, &session.bert, config.seed)?;
            session
        }
    };
    let mut optimizer = session.optimizer(&config.optim.optimizer)?;
    // A frozen encoder starts from the same weights as the first run's, so its cached features still hold.
    let run = EpochRun {
        config,
        session: &session,
        train: examples,
        class_weights: class_weights(config.class_weights, examples.iter().map(|e| e.label)),
        schedule: config.optim.schedule(examples.len()),
        epochs,
    };
    let mut step = 0;
    for epoch in 1..=epochs {
        let (loss, rate) = run.run(&mut optimizer, epoch, &mut step, Stage::Refit, cache, observer)?;
        observer.event(&Event::RefitEpoch { epoch, epochs, records: examples.len(), loss, sequences_per_second: rate });
    }
    Ok(session)
}
