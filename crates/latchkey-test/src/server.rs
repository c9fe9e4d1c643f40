//! An in-process Latchkey server: the library's own start-up (`build_state_with_clock`) and
//! serving loop (`serve`), as the binary runs them, on a listener bound to 127.0.0.1:0.
//!
//! Each server gets a thread and a multi-threaded Tokio runtime of its own, as the binary would:
//! it makes progress whatever the test awaits (or blocks on), the domain's `block_in_place`
//! finds the runtime it needs, and the test's own runtime (`#[tokio::test]` is current-thread)
//! does not matter. Its log goes to `server.log` in its data dir, as a process's stderr did: the
//! threads of its runtime carry their own tracing dispatcher, so parallel servers in one test
//! binary do not mix their lines. Dropping the [`TestServer`] shuts it down gracefully
//! (in-flight requests finish) and waits, boundedly, for it to stop.
//!
//! Only the library's public start-up surface is used (`latchkey::server`, `Config`, `Clock`),
//! so the harness does not move when the library's internals do.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::Duration;

use anyhow::Context as _;
use latchkey::clock::Clock;
use latchkey::config::Config;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tracing_subscriber::EnvFilter;

/// The log filter of a test server: what `RUST_LOG=info,sqlx=warn` gave the processes.
const LOG_FILTER: &str = "info,sqlx=warn";

/// Worker threads of each server's runtime: enough for requests to overlap (the race tests
/// need that), few enough for many servers on a small machine.
const WORKER_THREADS: usize = 2;

/// How long a dropped server may take to drain before the test moves on without it.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// A running in-process server (see the module docs).
pub struct TestServer {
    /// Where it listens: `http://127.0.0.1:PORT`.
    pub base: String,
    /// Resolves the server's shutdown future.
    shutdown: Option<oneshot::Sender<()>>,
    /// Closed when the server's thread ends (in a mutex only so that the handle is `Sync`).
    stopped: Mutex<mpsc::Receiver<()>>,
}

impl TestServer {
    /// Builds the state from `config` on `clock` (opening and migrating the database), binds
    /// `config.listen` and serves; returns once it accepts connections, or the start-up error
    /// the binary would have printed.
    pub async fn start(config: Config, clock: Clock) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("cannot create data dir {}", config.data_dir.display()))?;
        let dispatch = log_dispatch(&config.data_dir.join("server.log"))?;
        let (ready_tx, ready_rx) = oneshot::channel::<anyhow::Result<String>>();
        let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
        let (stopped_tx, stopped) = mpsc::channel::<()>();
        std::thread::Builder::new()
            .name("latchkey-test-server".to_owned())
            .spawn(move || {
                let _log = tracing::dispatcher::set_default(&dispatch);
                let runtime = {
                    let dispatch = dispatch.clone();
                    tokio::runtime::Builder::new_multi_thread()
                        .worker_threads(WORKER_THREADS)
                        .thread_name("latchkey-test-server")
                        .enable_all()
                        .on_thread_start(move || {
                            // The runtime's threads live as long as it does: so does this.
                            std::mem::forget(tracing::dispatcher::set_default(&dispatch));
                        })
                        .build()
                };
                let runtime = match runtime {
                    Ok(runtime) => runtime,
                    Err(e) => {
                        let _ = ready_tx.send(Err(anyhow::Error::new(e).context("runtime")));
                        return;
                    }
                };
                runtime.block_on(run(config, clock, ready_tx, shutdown_rx));
                // Work the server left behind (an email still being delivered) is dropped.
                runtime.shutdown_timeout(Duration::from_secs(1));
                drop(stopped_tx);
            })
            .context("cannot start the server's thread")?;
        let base = ready_rx
            .await
            .context("the server's thread ended before it started")??;
        Ok(Self {
            base,
            shutdown: Some(shutdown_tx),
            stopped: Mutex::new(stopped),
        })
    }
}

/// The server's life on its own runtime: start-up, then serving until `shutdown`.
async fn run(
    config: Config,
    clock: Clock,
    ready: oneshot::Sender<anyhow::Result<String>>,
    shutdown: oneshot::Receiver<()>,
) {
    let listen = config.listen.clone();
    let started = async {
        let state = latchkey::server::build_state_with_clock(config, clock).await?;
        let serving = latchkey::server::hold_for_serving(&state).await?;
        let listener = TcpListener::bind(&listen)
            .await
            .with_context(|| format!("cannot listen on {listen}"))?;
        let addr = listener.local_addr()?;
        anyhow::Ok((state, serving, listener, addr))
    };
    let (state, serving, listener, addr) = match started.await {
        Ok(started) => started,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    tracing::info!(%addr, "latchkey test server listening");
    if ready.send(Ok(format!("http://{addr}"))).is_err() {
        return;
    }
    let shutdown = async {
        let _ = shutdown.await;
    };
    if let Err(e) = latchkey::server::serve(listener, state, serving, shutdown).await {
        tracing::error!(error = %e, "the test server stopped with an error");
    }
}

/// A tracing dispatcher that appends this server's log lines to `path`.
fn log_dispatch(path: &Path) -> anyhow::Result<tracing::Dispatch> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(LOG_FILTER))
        .with_writer(Arc::new(file))
        .with_ansi(false)
        .finish();
    Ok(tracing::Dispatch::new(subscriber))
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        // Ends (disconnected) when the thread does; a server that will not drain in time is
        // left to the end of the test binary rather than hang the test.
        let stopped = self.stopped.lock().unwrap_or_else(PoisonError::into_inner);
        let _ = stopped.recv_timeout(STOP_TIMEOUT);
    }
}
