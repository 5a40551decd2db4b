//! The batching queue. Handlers never score: they [`Queue::admit`] a request (or get `None`, answered 429), send its
//! records as one [`Job`] and await the answer on a oneshot channel. One worker thread drains the channel, tokenizes
//! the new jobs on the inference pool, and forms each forward batch from the oldest waiting jobs until their tokens
//! reach `max_batch_tokens`, so 64 clients sending one record each are scored in a few large batches. A job bigger
//! than that is scored a batch's worth of records at a time, and what is left of it waits behind the jobs that
//! arrived meanwhile: a request of one message is not held up by another client's 10,000 records. The model runs
//! on a rayon pool of `--threads` threads of its own, never on the async runtime's threads, so accepting
//! connections, health checks and metrics stay responsive while every core scores.
//!
//! Explanations cost up to 65 model passes per record (the top terms), so they never hold up scoring: a job that asks
//! for them is answered once its explanations are done, computed a few records at a time whenever no batch waits,
//! and dropped as soon as its client has gone away.

use crate::metrics::Metrics;
use lurescan::exemplars::ExemplarEvidence;
use lurescan::explain::{ExplainOptions, Explanation};
use lurescan::{Classifier, Prediction, Record, RecordError, ScoreOptions};
use rayon::prelude::*;
use std::collections::VecDeque;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, Receiver, SyncSender, TryRecvError, TrySendError};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};
use tokio::sync::{oneshot, OwnedSemaphorePermit, Semaphore};

/// Why a job got no scores.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueueError {
    /// The model failed (or panicked) on the batch holding the job: 500.
    #[error("the model failed: {0}")]
    Model(String),
    /// The worker is gone: the model could not be loaded, or the service is stopping: 503.
    #[error("the service is not scoring: {0}")]
    Stopped(&'static str),
}

/// What the worker answers for a job: one prediction per record, in order, and the explanations when asked for.
#[derive(Debug)]
pub struct Scored {
    pub predictions: Vec<Result<Prediction, RecordError>>,
    /// One per record when the job asked for explanations, else empty.
    pub explanations: Vec<Explanation>,
    /// What the model's exemplars say about each record (`None` for one that was not scored, or when the model has
    /// none): one per record when the job asked for explanations, else empty.
    pub evidence: Vec<Option<ExemplarEvidence>>,
    /// Time the job waited before its first batch started.
    pub queued: Duration,
}

/// Where a job's answer goes.
type Reply = oneshot::Sender<Result<Scored, QueueError>>;

/// One record's token ids, or why it has none.
type Encoded = Result<Vec<u32>, RecordError>;

/// One record's prediction with what the exemplars say about it, or why it has none.
type Predicted = Result<(Prediction, Option<ExemplarEvidence>), RecordError>;

/// The records of one request on their way to the model.
pub struct Job {
    records: Vec<Record>,
    explain: Option<ExplainOptions>,
    enqueued: Instant,
    reply: Reply,
}

/// A request's place in the queue: held until its answer is sent, so the admitted count is exact.
#[derive(Debug)]
pub struct Admission {
    _permit: OwnedSemaphorePermit,
    records: u64,
    metrics: Arc<Metrics>,
}

impl Drop for Admission {
    fn drop(&mut self) {
        self.metrics.queue_requests.fetch_sub(1, Ordering::Relaxed);
        self.metrics.queue_records.fetch_sub(self.records, Ordering::Relaxed);
    }
}

/// The handlers' side of the queue: cheap to clone.
#[derive(Clone)]
pub struct Queue {
    jobs: SyncSender<Job>,
    admitted: Arc<Semaphore>,
    metrics: Arc<Metrics>,
}

impl Queue {
    /// A queue admitting at most `max_requests` requests at once, and the receiving end for [`Worker::spawn`].
    pub fn new(max_requests: usize, metrics: Arc<Metrics>) -> (Queue, Receiver<Job>) {
        // Every admitted request holds a permit, so the channel can never be full when a job is sent.
        let (jobs, receiver) = mpsc::sync_channel(max_requests.max(1));
        (Queue { jobs, admitted: Arc::new(Semaphore::new(max_requests.max(1))), metrics }, receiver)
    }

    /// A place for a request of `records` records, or `None` when `max_concurrent_requests` are already admitted.
    pub fn admit(&self, records: usize) -> Option<Admission> {
        let permit = Arc::clone(&self.admitted).try_acquire_owned().ok()?;
        self.metrics.queue_requests.fetch_add(1, Ordering::Relaxed);
        self.metrics.queue_records.fetch_add(records as u64, Ordering::Relaxed);
        Some(Admission { _permit: permit, records: records as u64, metrics: Arc::clone(&self.metrics) })
    }

    /// Scores `records` in the next batches and waits for the answer. Dropping the future (the client went away)
    /// lets the worker skip the job if its batch has not started.
    pub async fn score(
        &self,
        admission: Admission,
        records: Vec<Record>,
        explain: Option<ExplainOptions>,
    ) -> Result<Scored, QueueError> {
        let (reply, answer) = oneshot::channel();
        let job = Job { records, explain, enqueued: Instant::now(), reply };
        match self.jobs.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => unreachable!("the channel holds one job per admitted request"),
            Err(TrySendError::Disconnected(_)) => return Err(QueueError::Stopped("the scoring worker has stopped")),
        }
        let answer = answer.await.map_err(|_| QueueError::Stopped("the scoring worker has stopped"))?;
        drop(admission);
        answer
    }
}

/// A job whose records are scored, waiting for its explanations: they are computed [`Worker::explain_chunk`] records
/// at a time, oldest job first, when no batch waits.
struct Explaining {
    records: Vec<Record>,
    predictions: Vec<Result<Prediction, RecordError>>,
    evidence: Vec<Option<ExemplarEvidence>>,
    options: ExplainOptions,
    explanations: Vec<Explanation>,
    queued: Duration,
    reply: Reply,
}

/// A job whose records are tokenized, waiting for a batch, or for the next batch when it was too big for one.
struct Ready {
    job: Job,
    encoded: Vec<Encoded>,
    /// The predictions of its first records, those already scored.
    scored: Vec<Predicted>,
    /// How long it waited before its first batch started, once it has.
    queued: Option<Duration>,
}

impl Ready {
    fn new(job: Job, encoded: Vec<Encoded>) -> Ready {
        Ready { scored: Vec::with_capacity(job.records.len()), job, encoded, queued: None }
    }

    /// Tokens of record `i` (none for a record without text).
    fn tokens(&self, i: usize) -> usize {
        self.encoded[i].as_ref().map_or(0, Vec::len)
    }
}

/// Lines up the jobs for the next batch: after those already waiting, the `fresh` ones that arrived while the last
/// batch ran, then what is left of the jobs it scored a part of (`unfinished`, emptied).
fn line_up(waiting: &mut VecDeque<Ready>, fresh: Vec<Ready>, unfinished: &mut Vec<Ready>) {
    waiting.extend(fresh);
    waiting.extend(unfinished.drain(..));
}

/// What the next forward batch scores, taken from the front of `waiting`: jobs in order, whole while their tokens fit
/// within `max_tokens` together, and of the first job that does not fit, as many of its next records as do (at least
/// one when the batch would be empty). A job partly scored already opens a batch of its own: it never joins the
/// batch of jobs lined up before it, whose answers would wait for its records. Each entry is a job and the end of its
/// records to score now (from `scored.len()`), with the batch's tokens. Jobs whose clients have gone away are dropped
/// on the way.
fn next_batch(waiting: &mut VecDeque<Ready>, max_tokens: usize) -> (Vec<(Ready, usize)>, usize) {
    let mut batch = Vec::new();
    let mut tokens = 0;
    while let Some(next) = waiting.front() {
        if next.job.reply.is_closed() {
            waiting.pop_front(); // the client went away before its last batch started
            continue;
        }
        let (start, len) = (next.scored.len(), next.job.records.len());
        if start > 0 && !batch.is_empty() {
            break;
        }
        let mut end = start;
        while end < len && (tokens + next.tokens(end) <= max_tokens || (batch.is_empty() && end == start)) {
            tokens += next.tokens(end);
            end += 1;
        }
        if end == start && start < len {
            break; // none of its records fits: it opens the next batch
        }
        let ready = waiting.pop_front().expect("the front job");
        batch.push((ready, end));
        if end < len {
            break; // the budget is spent
        }
    }
    (batch, tokens)
}

/// The thread that forms batches and runs the model.
pub struct Worker {
    classifier: Arc<Classifier>,
    options: ScoreOptions,
    max_batch_tokens: usize,
    pool: rayon::ThreadPool,
    metrics: Arc<Metrics>,
}

impl Worker {
    /// Starts the worker on its own thread with an inference pool of `threads` threads. It ends when every
    /// [`Queue`] clone is dropped and the jobs already sent are answered.
    pub fn spawn(
        jobs: Receiver<Job>,
        classifier: Arc<Classifier>,
        options: ScoreOptions,
        max_batch_tokens: usize,
        threads: usize,
        metrics: Arc<Metrics>,
    ) -> std::io::Result<JoinHandle<()>> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .thread_name(|i| format!("lurescan-infer-{i}"))
            .build()
            .map_err(std::io::Error::other)?;
        let worker = Worker { classifier, options, max_batch_tokens: max_batch_tokens.max(1), pool, metrics };
        thread::Builder::new().name("lurescan-batcher".into()).spawn(move || worker.run(jobs))
    }

    fn run(self, jobs: Receiver<Job>) {
        let mut waiting: VecDeque<Ready> = VecDeque::new();
        let mut explaining: VecDeque<Explaining> = VecDeque::new();
        // Jobs with records left after the last batch: they go behind the jobs that arrived while it ran.
        let mut unfinished: Vec<Ready> = Vec::new();
        loop {
            // Block only when nothing waits; then take everything that arrived meanwhile.
            let mut fresh = Vec::new();
            if waiting.is_empty() && explaining.is_empty() && unfinished.is_empty() {
                match jobs.recv() {
                    Ok(job) => fresh.push(job),
                    Err(_) => return,
                }
            }
            loop {
                match jobs.try_recv() {
                    Ok(job) => fresh.push(job),
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected)
                        if fresh.is_empty() && waiting.is_empty() && explaining.is_empty() && unfinished.is_empty() =>
                    {
                        return
                    }
                    Err(TryRecvError::Disconnected) => break,
                }
            }
            line_up(&mut waiting, self.tokenize(fresh), &mut unfinished);

            let (batch, tokens) = next_batch(&mut waiting, self.max_batch_tokens);
            if !batch.is_empty() {
                let (explain, left) = self.score(batch, tokens);
                explaining.extend(explain);
                unfinished = left;
            } else if let Some(job) = explaining.pop_front() {
                // No batch waits: the next few explanations of the oldest job, then a look at the channel again.
                if let Some(job) = self.explain_chunk(job) {
                    explaining.push_front(job);
                }
            }
        }
    }

    /// Token ids of every record of the new jobs, in parallel on the pool; a job the tokenizer fails on is answered
    /// at once.
    fn tokenize(&self, fresh: Vec<Job>) -> Vec<Ready> {
        if fresh.is_empty() {
            return Vec::new();
        }
        let classifier = &self.classifier;
        let encoded: Vec<lurescan::Result<Vec<Encoded>>> = self.pool.install(|| {
            fresh.par_iter().map(|job| job.records.iter().map(|record| classifier.encode(record)).collect()).collect()
        });
        let mut ready = Vec::with_capacity(fresh.len());
        for (job, encoded) in fresh.into_iter().zip(encoded) {
            match encoded {
                Ok(encoded) => ready.push(Ready::new(job, encoded)),
                Err(e) => {
                    let _ = job.reply.send(Err(QueueError::Model(e.to_string())));
                }
            }
        }
        ready
    }

    /// Runs one batch on the pool: the records of each job from its first unscored one to the end given. A job
    /// whose records are all scored is answered when it asked for no explanations, and comes back first, to be
    /// explained, when it did; one with records left comes back second. A panic in the model fails this batch's
    /// jobs only.
    fn score(&self, batch: Vec<(Ready, usize)>, tokens: usize) -> (Vec<Explaining>, Vec<Ready>) {
        let started = Instant::now();
        let mut records = Vec::new();
        let mut encoded = Vec::new();
        for (ready, end) in &batch {
            let start = ready.scored.len();
            records.extend_from_slice(&ready.job.records[start..*end]);
            encoded.extend_from_slice(&ready.encoded[start..*end]);
        }
        self.metrics.batch_records.observe(records.len() as f64);
        self.metrics.batch_tokens.observe(tokens as f64);

        let (classifier, options) = (&self.classifier, &self.options);
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            self.pool.install(|| classifier.predict_encoded_with_evidence(&records, &encoded, options))
        }));
        self.metrics.inference_seconds.observe_duration(started.elapsed());
        self.metrics.records_scored.fetch_add(records.len() as u64, Ordering::Relaxed);

        let predictions = match outcome {
            Ok(Ok(predictions)) => predictions,
            Ok(Err(e)) => {
                fail(batch.into_iter().map(|(ready, _)| ready.job.reply), &e.to_string());
                return (Vec::new(), Vec::new());
            }
            Err(panic) => {
                let message = panicked(panic.as_ref(), "a batch");
                fail(batch.into_iter().map(|(ready, _)| ready.job.reply), &message);
                return (Vec::new(), Vec::new());
            }
        };
        let mut predictions = predictions.into_iter();
        let (mut to_explain, mut left) = (Vec::new(), Vec::new());
        for (mut ready, end) in batch {
            let queued = *ready.queued.get_or_insert_with(|| {
                let queued = started.duration_since(ready.job.enqueued);
                self.metrics.queue_seconds.observe_duration(queued);
                queued
            });
            ready.scored.extend(predictions.by_ref().take(end - ready.scored.len()));
            if end < ready.job.records.len() {
                left.push(ready);
                continue;
            }
            let Ready { job: Job { records, explain, reply, .. }, scored, .. } = ready;
            let (predictions, evidence) = split(scored);
            match explain {
                None => {
                    let answer = Scored { predictions, explanations: Vec::new(), evidence: Vec::new(), queued };
                    let _ = reply.send(Ok(answer));
                }
                Some(options) => to_explain.push(Explaining {
                    explanations: Vec::with_capacity(records.len()),
                    records,
                    predictions,
                    evidence,
                    options,
                    queued,
                    reply,
                }),
            }
        }
        (to_explain, left)
    }

    /// Explains the next few records of `job` (as many as the pool has threads) and answers it when they are all
    /// explained, or when one fails; a job whose client has gone away is dropped unexplained. The job back when it
    /// has records left to explain.
    fn explain_chunk(&self, mut job: Explaining) -> Option<Explaining> {
        if job.reply.is_closed() {
            return None;
        }
        let start = job.explanations.len();
        let end = (start + self.pool.current_num_threads()).min(job.records.len());
        let (records, predictions) = (&job.records[start..end], &job.predictions[start..end]);
        let (classifier, options) = (&self.classifier, &job.options);
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            self.pool.install(|| options.explain_all(classifier, records, predictions))
        }));
        let answer = match outcome {
            Ok(Ok(explanations)) => {
                job.explanations.extend(explanations);
                if job.explanations.len() < job.records.len() {
                    return Some(job);
                }
                Ok(Scored {
                    predictions: job.predictions,
                    explanations: job.explanations,
                    evidence: job.evidence,
                    queued: job.queued,
                })
            }
            Ok(Err(e)) => Err(QueueError::Model(e.to_string())),
            Err(panic) => Err(QueueError::Model(panicked(panic.as_ref(), "an explanation"))),
        };
        let _ = job.reply.send(answer);
        None
    }
}

/// Each record's prediction, and apart from it what the exemplars say about the record.
fn split(scored: Vec<Predicted>) -> (Vec<Result<Prediction, RecordError>>, Vec<Option<ExemplarEvidence>>) {
    scored
        .into_iter()
        .map(|result| match result {
            Ok((prediction, evidence)) => (Ok(prediction), evidence),
            Err(error) => (Err(error), None),
        })
        .unzip()
}

/// The error message of a panic in the model, logged.
fn panicked(panic: &(dyn std::any::Any + Send), during: &str) -> String {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_string());
    tracing::error!(error = %crate::log::printable(&message, 500), "the model panicked on {during}");
    format!("internal error ({})", crate::log::printable(&message, 200))
}

fn fail(replies: impl Iterator<Item = Reply>, message: &str) {
    for reply in replies {
        let _ = reply.send(Err(QueueError::Model(message.to_string())));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A waiting job of records with these token counts, and the receiver that keeps its client present.
    fn waiting_job(tokens: &[usize]) -> (Ready, oneshot::Receiver<Result<Scored, QueueError>>) {
        let (reply, answer) = oneshot::channel();
        let records = tokens.iter().map(|_| Record::from_text("a record")).collect();
        let job = Job { records, explain: None, enqueued: Instant::now(), reply };
        (Ready::new(job, tokens.iter().map(|&n| Ok(vec![0; n])).collect()), answer)
    }

    /// One turn of the worker's loop: the jobs that `arrived` join the queue, then the jobs with records left after
    /// the last batch (`left`), then the next batch is taken. What it takes, as (the job's records, scored from,
    /// scored to) per job, and its tokens; `left` becomes the jobs with records left after this batch.
    fn turn(
        waiting: &mut VecDeque<Ready>,
        arrived: Vec<Ready>,
        left: &mut Vec<Ready>,
        max_tokens: usize,
    ) -> (Vec<(usize, usize, usize)>, usize) {
        line_up(waiting, arrived, left);
        let (batch, tokens) = next_batch(waiting, max_tokens);
        let taken = batch.iter().map(|(ready, end)| (ready.job.records.len(), ready.scored.len(), *end)).collect();
        for (mut ready, end) in batch {
            let n = end - ready.scored.len();
            ready.scored.extend((0..n).map(|_| Err(RecordError::NoText)));
            if end < ready.job.records.len() {
                left.push(ready);
            }
        }
        (taken, tokens)
    }

    #[test]
    fn a_big_job_is_scored_a_budget_at_a_time_and_a_small_one_goes_in_between() {
        let (big, _big_client) = waiting_job(&[10; 20]); // 200 tokens
        let (small, _small_client) = waiting_job(&[7]);
        let (other, _other_client) = waiting_job(&[5, 5]);
        let (mut waiting, mut left) = (VecDeque::new(), Vec::new());
        // The big job alone: 64 tokens' worth of its records (6 of 10 tokens).
        assert_eq!(turn(&mut waiting, vec![big], &mut left, 64), (vec![(20, 0, 6)], 60));
        // The small job arrived meanwhile: it goes before the rest of the big one, in a batch without it.
        assert_eq!(turn(&mut waiting, vec![small], &mut left, 64), (vec![(1, 0, 1)], 7));
        // The rest of the big one is first in line now: the job arriving now waits one batch, no more.
        assert_eq!(turn(&mut waiting, vec![other], &mut left, 64), (vec![(20, 6, 12)], 60));
        assert_eq!(turn(&mut waiting, vec![], &mut left, 64), (vec![(2, 0, 2)], 10));
        // Alone again, it takes whole batches, and a job that arrives goes first again.
        let (late, _late_client) = waiting_job(&[5]);
        assert_eq!(turn(&mut waiting, vec![], &mut left, 64), (vec![(20, 12, 18)], 60));
        assert_eq!(turn(&mut waiting, vec![late], &mut left, 64), (vec![(1, 0, 1)], 5));
        assert_eq!(turn(&mut waiting, vec![], &mut left, 64), (vec![(20, 18, 20)], 20));
        assert!(waiting.is_empty() && left.is_empty());
    }

    #[test]
    fn whole_jobs_fill_a_batch_and_a_record_over_the_budget_is_scored_alone() {
        let (a, _a_client) = waiting_job(&[30]);
        let (b, _b_client) = waiting_job(&[30]);
        let (c, _c_client) = waiting_job(&[30, 0]);
        let (mut waiting, mut left) = (VecDeque::new(), Vec::new());
        // Two whole jobs fit in 64 tokens; the third opens the next batch (a record without text costs nothing).
        assert_eq!(turn(&mut waiting, vec![a, b, c], &mut left, 64), (vec![(1, 0, 1), (1, 0, 1)], 60));
        assert_eq!(turn(&mut waiting, vec![], &mut left, 64), (vec![(2, 0, 2)], 30));
        // One record longer than the budget is a batch of its own, not refused.
        let (long, _long_client) = waiting_job(&[100, 10]);
        assert_eq!(turn(&mut waiting, vec![long], &mut left, 64), (vec![(2, 0, 1)], 100));
        assert_eq!(turn(&mut waiting, vec![], &mut left, 64), (vec![(2, 1, 2)], 10));
        assert!(waiting.is_empty() && left.is_empty());
    }

    #[test]
    fn a_job_whose_client_has_gone_is_dropped_before_its_next_batch() {
        let (gone, gone_client) = waiting_job(&[10, 10]);
        let (kept, _kept_client) = waiting_job(&[10]);
        drop(gone_client);
        let (mut waiting, mut left) = (VecDeque::new(), Vec::new());
        assert_eq!(turn(&mut waiting, vec![gone, kept], &mut left, 64), (vec![(1, 0, 1)], 10));
        assert!(waiting.is_empty() && left.is_empty());
    }
}
