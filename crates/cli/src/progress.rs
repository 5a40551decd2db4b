//! How the training commands (`train`, `pretrain`, `distill`) show what the training library reports: an indicatif
//! bar per epoch and one line per event on stderr ([`Progress`], a [`TrainObserver`]).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use lurescan_train::observe::{BatchDone, EpochStart, Event, Stage, TrainObserver};
use std::io::IsTerminal;

/// Draws the bars and prints the lines on stderr.
#[derive(Default)]
pub struct Progress {
    bar: Option<ProgressBar>,
    /// Decimals of the loss on the bar.
    decimals: usize,
    /// Where the epoch stands as lines, for a stderr that is not a terminal (a log file, `nohup`, CI), where the bar
    /// is not drawn; `None` on a terminal.
    lines: Option<EpochLines>,
}

/// A line at each tenth of an epoch, [`EpochLines::MIN_GAP`] apart at least: what a log of a long run shows between
/// one epoch's end and the next (a short epoch shows none).
struct EpochLines {
    start: EpochStart,
    began: std::time::Instant,
    done: usize,
    next: usize,
    /// Seconds into the epoch of the last line (0 for none).
    last: f64,
}

impl EpochLines {
    /// Seconds between two lines at the least.
    const MIN_GAP: f64 = 10.0;

    fn new(start: EpochStart) -> Self {
        EpochLines { start, began: std::time::Instant::now(), done: 0, next: Self::step(start.batches), last: 0.0 }
    }

    /// Batches between two lines: a tenth of the epoch.
    fn step(batches: usize) -> usize {
        batches.div_ceil(10).max(1)
    }

    /// The line after batch `self.done`, `elapsed` seconds into the epoch, when it ends one of the tenths (not the
    /// last: the epoch's own line follows) and the last line is [`Self::MIN_GAP`] old.
    fn after_batch(&mut self, progress: &BatchDone, decimals: usize, elapsed: f64) -> Option<String> {
        self.done += 1;
        if self.done < self.next || self.done >= self.start.batches {
            return None;
        }
        self.next += Self::step(self.start.batches);
        if elapsed - self.last < Self::MIN_GAP {
            return None;
        }
        self.last = elapsed;
        let left = elapsed / self.done as f64 * (self.start.batches - self.done) as f64;
        Some(format!(
            "{} {}/{}: {}/{} batches ({}%), loss {:.*}, {:.0} seq/s, {} elapsed, about {} left",
            stage_name(self.start.stage),
            self.start.epoch,
            self.start.epochs,
            self.done,
            self.start.batches,
            self.done * 100 / self.start.batches,
            decimals,
            progress.loss,
            progress.sequences_per_second,
            minutes_seconds(elapsed),
            minutes_seconds(left)
        ))
    }
}

/// `1m05s`, or `42s` under a minute.
fn minutes_seconds(seconds: f64) -> String {
    let seconds = seconds.round() as u64;
    match seconds / 60 {
        0 => format!("{seconds}s"),
        minutes => format!("{minutes}m{:02}s", seconds % 60),
    }
}

/// The observer of a run: [`Progress`], or `()` (nothing shown) with `--quiet`.
pub fn observer(quiet: bool) -> Box<dyn TrainObserver> {
    match quiet {
        true => Box::new(()),
        false => Box::new(Progress::default()),
    }
}

/// The word a stage's bar and lines start with.
fn stage_name(stage: Stage) -> &'static str {
    match stage {
        Stage::Train => "epoch",
        Stage::Refit => "refit",
        Stage::Pretrain => "pre-training",
        Stage::Distill => "distil",
    }
}

/// A PR-AUC, or `-` when undefined.
fn pr_auc(value: Option<f64>) -> String {
    value.map_or("-".into(), |v| format!("{v:.4}"))
}

impl TrainObserver for Progress {
    /// `WHAT EPOCH/EPOCHS [bar] batches message (time)`.
    fn epoch_start(&mut self, start: &EpochStart) {
        let bar = ProgressBar::with_draw_target(Some(start.batches as u64), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(&format!(
                "{} {{prefix}} [{{bar:30}}] {{pos}}/{{len}} {{msg}} ({{elapsed}} < {{eta}})",
                stage_name(start.stage)
            ))
            .expect("progress template")
            .progress_chars("=> "),
        );
        bar.set_prefix(format!("{}/{}", start.epoch, start.epochs));
        self.decimals = if start.stage == Stage::Pretrain { 3 } else { 4 };
        self.bar = Some(bar);
        self.lines = (!std::io::stderr().is_terminal()).then(|| EpochLines::new(*start));
    }

    fn batch_done(&mut self, progress: &BatchDone) {
        let decimals = self.decimals;
        if let Some(line) = self
            .lines
            .as_mut()
            .and_then(|lines| lines.after_batch(progress, decimals, lines.began.elapsed().as_secs_f64()))
        {
            logln!("{line}");
        }
        if let Some(bar) = &self.bar {
            bar.set_message(format!(
                "loss {:.*} {:.0} seq/s",
                self.decimals, progress.loss, progress.sequences_per_second
            ));
            bar.inc(1);
        }
    }

    fn epoch_end(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }

    fn event(&mut self, event: &Event) {
        match event {
            Event::InitFrom { dir, fresh_head_seed, head_dropped, unused, unused_are_mlm_head } => {
                let mut message = format!("init {}: kept the tokenizer, size and encoder weights", dir.display());
                match (fresh_head_seed, head_dropped) {
                    (Some(seed), true) => message.push_str(&format!(
                        "; --fresh-head: the folder's pooler and classifier are left out and start fresh (seed {seed})"
                    )),
                    (Some(seed), false) => message.push_str(&format!(
                        "; no classification head in the folder, so the pooler and classifier start fresh (seed {seed})"
                    )),
                    (None, _) => {}
                }
                if *unused > 0 {
                    let what =
                        if *unused_are_mlm_head { "the masked-LM head (cls.predictions.*)" } else { "other tensors" };
                    message.push_str(&format!("; {unused} tensors of {what} are not used"));
                }
                logln!("{message}");
            }
            Event::Resumed { dir, epochs_done: 0 } => {
                logln!("--resume: no checkpoint in {}, so training starts from the first epoch", dir.display())
            }
            Event::Resumed { dir, epochs_done } => {
                logln!("--resume: continuing after epoch {epochs_done}, from the checkpoint in {}", dir.display())
            }
            Event::FeaturesRead { count } => logln!("encoder frozen: {count} cached features read"),
            Event::FeaturesComputed { stage, epoch, count, seconds } => logln!(
                "{} {epoch}: encoder frozen, features of {count} new inputs computed in {seconds:.0} s",
                stage_name(*stage)
            ),
            Event::Epoch { log, epochs } => logln!(
                "epoch {}/{epochs}: train loss {:.4}, valid loss {:.4}, valid PR-AUC {}, {:.0} seq/s",
                log.epoch,
                log.train_loss,
                log.valid_loss,
                pr_auc(log.valid_pr_auc),
                log.sequences_per_second
            ),
            Event::StoppedEarly { epoch, patience, best_epoch, by_pr_auc } => logln!(
                "stopped early after epoch {epoch}: no better validation {} for {}; keeping epoch {best_epoch}",
                if *by_pr_auc { "PR-AUC" } else { "loss (no lures to rank)" },
                if *patience == 1 { "1 epoch".to_string() } else { format!("{patience} epochs") },
            ),
            Event::Ensemble { lexical_pr_auc, ensemble, message_ensemble, exemplars } => {
                logln!(
                    "lexical model: valid PR-AUC {}; ensemble weights bert {:.4}, lexical {:.4}, bias {:.4}",
                    pr_auc(*lexical_pr_auc),
                    ensemble.bert,
                    ensemble.lexical,
                    ensemble.bias
                );
                if let Some(m) = message_ensemble {
                    logln!(
                        "messages' own weights (lexical margins of sources left out): bert {:.4}, lexical {:.4}, \
                         bias {:.4}, exemplar {}, indicators {}",
                        m.bert,
                        m.lexical,
                        m.bias,
                        m.exemplar.map_or("-".to_string(), |w| format!("{w:.4}")),
                        m.indicators.map_or("-".to_string(), |w| format!("{w:.4}"))
                    );
                }
                if let Some(w) = ensemble.indicators {
                    logln!(
                        "indicators: ensemble weight {w:.4} per distinct category (at most 3){}",
                        if w == 0.0 { " (fitted below 0 and held at 0: flags are evidence only)" } else { "" }
                    );
                }
                if let Some(x) = exemplars {
                    logln!(
                        "exemplars: valid PR-AUC of the margin alone {}; ensemble weight {:.4}{}",
                        pr_auc(x.pr_auc),
                        x.weight,
                        match (x.weight == 0.0, message_ensemble.and_then(|m| m.exemplar).is_some_and(|m| m > 0.0)) {
                            (true, true) => {
                                " (fitted below 0 and held at 0: for postings exemplars are evidence only and do not \
                                 move scores; messages weigh them with their own weight above)"
                            }
                            (true, false) => {
                                " (fitted below 0 and held at 0: exemplars are evidence only and do not move scores)"
                            }
                            (false, _) => "",
                        }
                    );
                }
            }
            Event::RefitEpoch { epoch, epochs, records, loss, sequences_per_second } => logln!(
                "refit {epoch}/{epochs} on train + valid ({records} records): train loss {loss:.4}, \
                 {sequences_per_second:.0} seq/s"
            ),
            Event::PretrainStart { records, windows, max_len, tokens, vocab_size } => logln!(
                "pre-training on {records} records: {windows} windows of at most {max_len} tokens, {tokens} tokens, \
                 vocabulary {vocab_size}"
            ),
            Event::PretrainEpoch { log, epochs } => logln!(
                "epoch {}/{epochs}: masked-token loss {:.4}, accuracy {:.3}, {:.0} seq/s",
                log.epoch,
                log.loss,
                log.masked_accuracy,
                log.sequences_per_second
            ),
            Event::TeacherCached { texts, path } => {
                logln!("teacher embeddings of {texts} texts read from {}", path.display())
            }
            Event::TeacherStart { texts, layers } => logln!("teacher: embedding {texts} texts ({layers} layers)…"),
            Event::TeacherDone { seconds, texts_per_second } => {
                logln!("teacher: {seconds:.0} s ({texts_per_second:.0} texts/s)")
            }
            Event::StudentStart { layers, held_out, agreement_mean, agreement_cls, neighbours } => logln!(
                "student: {}; agreement with the teacher on {held_out} held-out texts before \
                 training: mean {agreement_mean:.4}, first position {agreement_cls:.4}, shared nearest neighbours \
                 {:.1}%",
                match layers.is_empty() {
                    true => "continued from --student".to_string(),
                    false => format!("teacher layers {layers:?}"),
                },
                neighbours * 100.0
            ),
            Event::DistillEpoch { log, epochs } => logln!(
                "distil {}/{epochs}: loss {:.4}, agreement mean {:.4}, first position {:.4}, shared nearest \
                 neighbours {:.1}%, {:.0} seq/s",
                log.epoch,
                log.loss,
                log.agreement_mean,
                log.agreement_cls,
                log.neighbours * 100.0,
                log.sequences_per_second
            ),
            // Events added later are shown by a later version of this command.
            _ => {}
        }
    }
}

impl Drop for Progress {
    /// A run that stopped on an error mid-epoch leaves no bar behind.
    fn drop(&mut self) {
        self.epoch_end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_gets_a_line_at_each_tenth_of_a_long_epoch_but_the_last() {
        let start = EpochStart { stage: Stage::Train, epoch: 2, epochs: 5, batches: 95 };
        let batch = BatchDone { loss: 0.25, sequences_per_second: 40.0 };
        // Two seconds a batch: a tenth (10 batches) takes 20 s.
        let mut lines = EpochLines::new(start);
        let shown: Vec<String> = (1..=95).filter_map(|b| lines.after_batch(&batch, 4, 2.0 * b as f64)).collect();
        assert_eq!(shown.len(), 9, "{shown:?}");
        assert_eq!(shown[0], "epoch 2/5: 10/95 batches (10%), loss 0.2500, 40 seq/s, 20s elapsed, about 2m50s left");
        assert!(shown[8].starts_with("epoch 2/5: 90/95 batches (94%)") && shown[8].ends_with(" left"), "{}", shown[8]);
        // Half a second a batch: a tenth takes 5 s, so every other tenth is shown.
        let mut lines = EpochLines::new(start);
        let shown: Vec<String> = (1..=95).filter_map(|b| lines.after_batch(&batch, 4, 0.5 * b as f64)).collect();
        assert_eq!(shown.len(), 4, "{shown:?}");
        assert!(shown[0].starts_with("epoch 2/5: 20/95 batches"), "{}", shown[0]);
        // A short epoch shows nothing.
        let mut lines = EpochLines::new(EpochStart { batches: 3, ..start });
        assert_eq!((1..=3).filter_map(|b| lines.after_batch(&batch, 4, 0.1 * b as f64)).count(), 0);
        assert_eq!(minutes_seconds(65.2), "1m05s");
        assert_eq!(minutes_seconds(42.0), "42s");
    }
}
