//! The batching queue. Handlers never score: they [`Queue::admit`] a request (or get `None`, answered 429), send its
//! records as one [`Job`] and await the answer on a oneshot channel. One worker thread drains the channel, tokenizes
//! the new jobs on the inference pool, and forms each forward batch from the oldest waiting jobs until their tokens
//! reach `max_batch_tokens`, so 64 clients sending one record each are scored in a few large batches. The model runs
//! on a rayon pool of `--threads` threads of its own, never on the async runtime's threads, so accepting
//! connections, health checks and metrics stay responsive while every core scores.
//!
//! Explanations cost up to 65 model passes per record (the top terms), so they never hold up scoring: a job that asks
//! for them is answered once its explanations are done, computed a few records at a time whenever no batch waits,
//! and dropped as soon as its client has gone away.

use crate::metrics::Metrics;
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
    /// Time the job waited before its batch started.
    pub queued: Duration,
}

/// Where a job's answer goes.
type Reply = oneshot::Sender<Result<Scored, QueueError>>;

/// One record's token ids, or why it has none.
type Encoded = Result<Vec<u32>, RecordError>;

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
    options: ExplainOptions,
    explanations: Vec<Explanation>,
    queued: Duration,
    reply: Reply,
}

/// A job whose records are tokenized, waiting for a batch.
struct Ready {
    job: Job,
    encoded: Vec<Result<Vec<u32>, RecordError>>,
    tokens: usize,
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
        loop {
            // Block only when nothing waits; then take everything that arrived meanwhile.
            let mut fresh = Vec::new();
            if waiting.is_empty() && explaining.is_empty() {
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
                        if fresh.is_empty() && waiting.is_empty() && explaining.is_empty() =>
                    {
                        return
                    }
                    Err(TryRecvError::Disconnected) => break,
                }
            }
            waiting.extend(self.tokenize(fresh));

            let mut batch = Vec::new();
            let mut tokens = 0;
            while let Some(next) = waiting.front() {
                if next.job.reply.is_closed() {
                    waiting.pop_front(); // the client went away before its batch started
                    continue;
                }
                if !batch.is_empty() && tokens + next.tokens > self.max_batch_tokens {
                    break;
                }
                tokens += next.tokens;
                batch.extend(waiting.pop_front());
            }
            if !batch.is_empty() {
                explaining.extend(self.score(batch, tokens));
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
                Ok(encoded) => {
                    let tokens = encoded.iter().map(|e| e.as_ref().map_or(0, Vec::len)).sum();
                    ready.push(Ready { job, encoded, tokens });
                }
                Err(e) => {
                    let _ = job.reply.send(Err(QueueError::Model(e.to_string())));
                }
            }
        }
        ready
    }

    /// Runs one batch on the pool and answers each of its jobs that asked for no explanations; the others come back,
    /// scored, to be explained. A panic in the model fails this batch only.
    fn score(&self, batch: Vec<Ready>, tokens: usize) -> Vec<Explaining> {
        let started = Instant::now();
        let mut records = Vec::new();
        let mut encoded = Vec::new();
        let mut jobs = Vec::with_capacity(batch.len());
        for ready in batch {
            let Job { records: mine, explain, enqueued, reply } = ready.job;
            jobs.push((mine.len(), explain, started.duration_since(enqueued), reply));
            records.extend(mine);
            encoded.extend(ready.encoded);
        }
        self.metrics.batch_records.observe(records.len() as f64);
        self.metrics.batch_tokens.observe(tokens as f64);

        let (classifier, options) = (&self.classifier, &self.options);
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            self.pool.install(|| classifier.predict_encoded(&records, &encoded, options))
        }));
        self.metrics.inference_seconds.observe_duration(started.elapsed());
        self.metrics.records_scored.fetch_add(records.len() as u64, Ordering::Relaxed);

        let mut to_explain = Vec::new();
        match outcome {
            Ok(Ok(predictions)) => {
                let mut predictions = predictions.into_iter();
                let mut records = records.into_iter();
                for (n, explain, queued, reply) in jobs {
                    self.metrics.queue_seconds.observe_duration(queued);
                    let predictions: Vec<_> = predictions.by_ref().take(n).collect();
                    let records: Vec<Record> = records.by_ref().take(n).collect();
                    match explain {
                        None => {
                            let _ = reply.send(Ok(Scored { predictions, explanations: Vec::new(), queued }));
                        }
                        Some(options) => to_explain.push(Explaining {
                            records,
                            predictions,
                            options,
                            explanations: Vec::with_capacity(n),
                            queued,
                            reply,
                        }),
                    }
                }
            }
            Ok(Err(e)) => fail(jobs.into_iter().map(|(.., reply)| reply), &e.to_string()),
            Err(panic) => fail(jobs.into_iter().map(|(.., reply)| reply), &panicked(panic.as_ref(), "a batch")),
        }
        to_explain
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
                Ok(Scored { predictions: job.predictions, explanations: job.explanations, queued: job.queued })
            }
            Ok(Err(e)) => Err(QueueError::Model(e.to_string())),
            Err(panic) => Err(QueueError::Model(panicked(panic.as_ref(), "an explanation"))),
        };
        let _ = job.reply.send(answer);
        None
    }
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
