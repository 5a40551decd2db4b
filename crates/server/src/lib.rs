//! `lurescan-server` serves a `lurescan` model over HTTP for other services: the axum [`Router`] with its handlers
//! and wire types (`http/`), the batching [`queue`] that scores requests together by a token budget on a thread pool
//! of its own, the [`Limits`] that protect it, Prometheus [`metrics`], an OpenAPI document, non-blocking logs, and
//! [`run`], which the `lurescan serve` command calls.
//!
//! Embedding it in another Rust service: build an [`App`], mount [`App::router`] in your own axum app, and call
//! [`App::ready`] with the model once it is loaded (`/v1/health` answers 503 until then):
//!
//! ```
//! use lurescan_server::{App, Limits, Model};
//! use lurescan::{Classifier, ScoreOptions};
//!
//! let app = App::new(Limits::default(), ScoreOptions::default());
//! let router: axum::Router = app.router(); // serve it with axum::serve, or lurescan_server::Server
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../infer/tests/fixtures/tiny-bert");
//! app.ready(Model { classifier: Classifier::load(dir)?, name: "tiny".into() }, 2)?;
//! # drop(router);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod conn;
pub mod http;
mod limits;
pub mod log;
pub mod metrics;
pub mod queue;

pub use limits::Limits;
pub use log::LogFormat;

use axum::Router;
use lurescan::{Classifier, ScoreOptions};
use metrics::Metrics;
use queue::{Job, Queue, Worker};
use std::collections::hash_map::RandomState;
use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use tokio::net::TcpListener;

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    // `io` is in the message, so it is not also a `source` (which `{:#}` would print a second time).
    #[error("cannot listen on {addr}: {io} (pass another --addr, or port 0 for any free port)")]
    Bind { addr: String, io: std::io::Error },
    #[error("{0}")]
    Config(String),
    /// The model could not be loaded: the message says so ("cannot load the model …") once.
    #[error("{}", if .0.starts_with("cannot load the model") { .0.clone() } else { format!("cannot load the model: {}", .0) })]
    Load(String),
    #[error("cannot start the server's threads: {0}")]
    Threads(std::io::Error),
    #[error("the model was given twice")]
    AlreadyReady,
    #[error(
        "stopped at the shutdown timeout ({0:?}) with requests still in progress: their clients got no answer (a \
         longer --shutdown-timeout gives them time)"
    )]
    Abandoned(std::time::Duration),
}

/// A loaded model and the name the API reports for it.
#[derive(Debug)]
pub struct Model {
    pub classifier: Classifier,
    /// `name` in the folder's lurescan.json, else the folder's name.
    pub name: String,
}

/// Everything `lurescan serve` configures.
#[derive(Debug, Clone)]
pub struct Config {
    /// `HOST:PORT` to listen on; port 0 takes any free port.
    pub addr: String,
    pub limits: Limits,
    /// Threads of the inference pool (the async runtime has its own two).
    pub threads: usize,
    /// Batch size of each forward pass and the threshold override, as for `lurescan score`.
    pub score: ScoreOptions,
    pub log_format: LogFormat,
}

/// A model once loaded.
pub(crate) struct Loaded {
    pub classifier: Arc<Classifier>,
    pub name: String,
}

/// The state every handler shares.
pub(crate) struct Shared {
    pub limits: Limits,
    pub options: ScoreOptions,
    pub queue: Queue,
    pub metrics: Arc<Metrics>,
    pub model: OnceLock<Loaded>,
    pub stopping: AtomicBool,
    /// Health answers 503 `stopping` while requests are still served ([`Limits::shutdown_delay`]).
    pub draining: AtomicBool,
    request_prefix: u32,
    request_count: AtomicU64,
}

impl Shared {
    /// A new request id: a per-process random prefix and a counter, `3f2a9c1e-42`.
    pub fn next_request_id(&self) -> String {
        format!("{:08x}-{}", self.request_prefix, self.request_count.fetch_add(1, Ordering::Relaxed) + 1)
    }
}

/// The service without its sockets: the router, the queue, and the worker once a model is [`App::ready`].
pub struct App {
    shared: Arc<Shared>,
    jobs: Mutex<Option<Receiver<Job>>>,
    worker: Mutex<Option<JoinHandle<()>>>,
}

impl App {
    /// An app with no model yet: health answers 503 `loading`, scoring requests wait in the (bounded) queue.
    pub fn new(limits: Limits, options: ScoreOptions) -> App {
        let metrics = Arc::new(Metrics::default());
        let (queue, jobs) = Queue::new(limits.max_concurrent_requests, Arc::clone(&metrics));
        let shared = Shared {
            limits,
            options,
            queue,
            metrics,
            model: OnceLock::new(),
            stopping: AtomicBool::new(false),
            draining: AtomicBool::new(false),
            request_prefix: RandomState::new().build_hasher().finish() as u32,
            request_count: AtomicU64::new(0),
        };
        App { shared: Arc::new(shared), jobs: Mutex::new(Some(jobs)), worker: Mutex::new(None) }
    }

    /// The routes: `POST /v1/score`, `GET /v1/health`, `GET /v1/model`, `GET /metrics`, `GET /openapi.json`.
    pub fn router(&self) -> Router {
        http::router(Arc::clone(&self.shared))
    }

    /// Starts scoring with `model` on an inference pool of `threads` threads; health turns `ok`.
    pub fn ready(&self, model: Model, threads: usize) -> Result<(), Error> {
        let jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner()).take().ok_or(Error::AlreadyReady)?;
        let classifier = Arc::new(model.classifier);
        let worker = Worker::spawn(
            jobs,
            Arc::clone(&classifier),
            self.shared.options.clone(),
            self.shared.limits.max_batch_tokens,
            threads,
            Arc::clone(&self.shared.metrics),
        )
        .map_err(Error::Threads)?;
        *self.worker.lock().unwrap_or_else(|e| e.into_inner()) = Some(worker);
        let _ = self.shared.model.set(Loaded { classifier, name: model.name });
        Ok(())
    }

    /// Health turns 503 `stopping` while scoring goes on: the [`Limits::shutdown_delay`] before [`App::stopping`].
    pub fn draining(&self) {
        self.shared.draining.store(true, Ordering::Relaxed);
    }

    /// Health turns 503 `stopping` and new scoring requests get 503, so load balancers move on.
    pub fn stopping(&self) {
        self.shared.stopping.store(true, Ordering::Relaxed);
    }

    /// The queue's receiving end is dropped: requests waiting for a model that will not come get 503.
    fn abandon(&self) {
        self.jobs.lock().unwrap_or_else(|e| e.into_inner()).take();
    }
}

/// A bound listener with its [`App`]: [`Server::serve`] runs it.
pub struct Server {
    listener: TcpListener,
    app: App,
    config: Config,
}

impl Server {
    /// Binds `config.addr` (the model is not loaded yet).
    pub async fn bind(config: Config) -> Result<Server, Error> {
        if config.limits.max_header_bytes < 8192 {
            return Err(Error::Config("max_header_bytes must be at least 8192".into()));
        }
        let listener =
            TcpListener::bind(&config.addr).await.map_err(|io| Error::Bind { addr: config.addr.clone(), io })?;
        let app = App::new(config.limits, config.score.clone());
        Ok(Server { listener, app, config })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound TCP listener has an address")
    }

    /// Serves while `load` runs on a blocking thread (health says `loading` until it returns), then until `stop`
    /// resolves: the listener closes, requests in progress finish (within `shutdown_timeout`), queued ones are
    /// scored. An error from `load` stops the server with [`Error::Load`]; requests still in progress when the one
    /// `shutdown_timeout` runs out, with [`Error::Abandoned`].
    pub async fn serve<L, E>(self, load: L, stop: impl Future<Output = ()> + Send) -> Result<(), Error>
    where
        L: FnOnce() -> Result<Model, E> + Send + 'static,
        E: std::fmt::Display + Send + 'static,
    {
        let Server { listener, app, config } = self;
        let app = Arc::new(app);
        let router = app.router();
        let metrics = Arc::clone(&app.shared.metrics);
        let (failed_tx, failed_rx) = tokio::sync::oneshot::channel::<String>();
        let loading = {
            let app = Arc::clone(&app);
            let threads = config.threads;
            tokio::task::spawn_blocking(move || {
                let started = std::time::Instant::now();
                let outcome = match load() {
                    Ok(model) => {
                        let name = model.name.clone();
                        app.ready(model, threads).map(|()| name).map_err(|e| e.to_string())
                    }
                    Err(e) => Err(e.to_string()),
                };
                match outcome {
                    Ok(name) => {
                        tracing::info!(model = %name, threads, seconds = started.elapsed().as_secs_f64(), "model loaded; ready");
                    }
                    Err(message) => {
                        app.abandon();
                        let _ = failed_tx.send(message);
                    }
                }
            })
        };
        let mut failure = None;
        let stop = async {
            // A load that succeeded drops its sender: then only `stop` ends the service.
            let failed = async {
                match failed_rx.await {
                    Ok(message) => message,
                    Err(_) => std::future::pending().await,
                }
            };
            tokio::select! {
                () = stop => {
                    let delay = config.limits.shutdown_delay;
                    if !delay.is_zero() {
                        app.draining();
                        tracing::info!(delay = ?delay, "health says stopping; serving on until the shutdown delay ends");
                        tokio::time::sleep(delay).await;
                    }
                }
                message = failed => {
                    // Said before the listener's own "stopped accepting connections", so the log reads as what happened.
                    tracing::error!(error = %message, "the model did not load; stopping");
                    failure = Some(message);
                }
            }
            app.stopping();
        };
        let shutdown = conn::serve(listener, router, config.limits, metrics, stop).await;
        let _ = loading.await;
        if let Some(message) = failure {
            return Err(Error::Load(message));
        }
        // The router (and so the queue's senders) is gone with the connections: the worker answers what is
        // queued, then ends, within what is left of the one shutdown timeout.
        let mut abandoned = shutdown.abandoned;
        let worker = app.worker.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(worker) = worker {
            drop(app);
            let joined = tokio::task::spawn_blocking(move || worker.join());
            abandoned |= tokio::time::timeout_at(shutdown.deadline, joined).await.is_err();
        }
        tracing::info!("stopped");
        match abandoned {
            true => Err(Error::Abandoned(config.limits.shutdown_timeout)),
            false => Ok(()),
        }
    }
}

/// Resolves on SIGTERM or SIGINT (Ctrl-C).
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => tracing::info!(signal = "SIGINT", "stopping"),
        () = terminate => tracing::info!(signal = "SIGTERM", "stopping"),
    }
}

/// Runs the service until SIGTERM or SIGINT: installs the non-blocking stderr log, binds, prints
/// `listening on http://ADDR` to stdout (for scripts that start it on port 0) and logs it, loads the model with
/// `load` while health says `loading`, then serves. Returns once the requests in progress are answered.
pub fn run<L, E>(config: Config, load: L) -> Result<(), Error>
where
    L: FnOnce() -> Result<Model, E> + Send + 'static,
    E: std::fmt::Display + Send + 'static,
{
    log::init(config.log_format);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("lurescan-http")
        .enable_all()
        .build()
        .map_err(Error::Threads)?;
    let result = runtime.block_on(async move {
        let server = Server::bind(config.clone()).await?;
        let addr = server.local_addr();
        let limits = &config.limits;
        tracing::info!(
            threads = config.threads,
            max_concurrent_requests = limits.max_concurrent_requests,
            max_batch_tokens = limits.max_batch_tokens,
            max_connections = limits.max_connections,
            "listening on http://{addr} "
        );
        // A closed or full stdout must not stop the service: the address is in the log too.
        let mut stdout = std::io::stdout();
        let _ = writeln!(stdout, "listening on http://{addr}").and_then(|()| stdout.flush());
        server.serve(load, shutdown_signal()).await
    });
    // Connections still open past the shutdown timeout are dropped here, not waited for.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    log::drain(std::time::Duration::from_secs(1));
    result
}
