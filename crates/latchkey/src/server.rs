//! Starting and stopping: builds the state from a [`Config`], serves on a listener the caller
//! bound (tests bind port 0), and drains in-flight requests when the shutdown future resolves.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;

use crate::auth::apps::NewApp;
use crate::auth::{Auth, ServingGuard, Setup};
use crate::clock::Clock;
use crate::config::Config;
use crate::crypto::MasterKey;
use crate::http::{self, AppState};
use crate::mail::Mailer;

/// Opens the store (running migrations) and assembles the application state on the system
/// clock.
pub async fn build_state(config: Config) -> anyhow::Result<AppState> {
    build_state_with_clock(config, Clock::system()).await
}

/// [`build_state`] on `clock`: tests keep a clone and move it forward.
pub async fn build_state_with_clock(config: Config, clock: Clock) -> anyhow::Result<AppState> {
    crate::auth::tokens::provider::install();
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create data dir {}", config.data_dir.display()))?;
    let master_key = MasterKey::load_or_create(config.master_key.as_deref(), &config.data_dir)?;
    let public_host = url::Url::parse(&config.public_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "localhost".to_owned());
    let mailer = Mailer::new(
        config.smtp_url.as_deref(),
        config.smtp_ca_file.as_deref(),
        config.email_from.as_deref(),
        &config.data_dir,
        &public_host,
    )
    .map_err(|e| anyhow::anyhow!(e))?;
    let database_url = config.database_url();
    let auth = Auth::open(
        Setup {
            database_url: &database_url,
            master_key,
            public_url: config.public_base(),
            admin_key: config.admin_key.as_deref(),
            mailer,
            // Checked when the configuration was loaded.
            rate_limits: config.rate_limits().unwrap_or_default(),
        },
        clock,
    )
    .await?;
    Ok(AppState::new(Arc::new(auth), Arc::new(config)))
}

/// Creates the `demo` app for `serve --dev` if it is missing: RP ID and origin from the public URL.
pub async fn ensure_demo_app(state: &AppState) -> anyhow::Result<()> {
    if state.auth.apps().get("demo").await.is_ok() {
        return Ok(());
    }
    let url = url::Url::parse(&state.config.public_url)?;
    let rp_id = url.host_str().unwrap_or("localhost").to_owned();
    state
        .auth
        .apps()
        .create(NewApp::new(
            "demo".to_owned(),
            "Latchkey demo".to_owned(),
            rp_id,
            vec![url.origin().ascii_serialization()],
        ))
        .await
        .map_err(|e| anyhow::anyhow!("cannot create the demo app: {e}"))?;
    Ok(())
}

/// Makes this process the server of the state's database ([`Maintenance::hold_for_serving`]):
/// call it before announcing anything, and hand the guard to [`serve`].
///
/// [`Maintenance::hold_for_serving`]: crate::auth::Maintenance::hold_for_serving
pub async fn hold_for_serving(state: &AppState) -> anyhow::Result<ServingGuard> {
    Ok(state.auth.maintenance().hold_for_serving().await?)
}

/// Serves until `shutdown` resolves, then stops accepting and lets in-flight requests finish;
/// `serving` is released once the store is closed.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    serving: ServingGuard,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let auth = state.auth.clone();
    if let Err(e) = auth.maintenance().load_rate_limits().await {
        tracing::warn!(error = %e, "reading the shared rate-limit counts failed");
    }
    let event_retention =
        i64::try_from(state.config.event_retention_days.saturating_mul(86_400)).unwrap_or(i64::MAX);
    // What the domain no longer needs goes (each capability owns its retention rule; expired
    // rows are refused or ignored anyway, this keeps the store from only growing).
    let sweeper = tokio::spawn(every(
        Duration::from_secs(state.config.sweep_interval),
        "sweeping expired rows",
        {
            let auth = state.auth.clone();
            move || {
                let auth = auth.clone();
                async move { auth.maintenance().sweep(event_retention).await }
            }
        },
    ));
    // Rate-limit counts are shared with the other instances.
    let limits_sync = tokio::spawn(every(
        Duration::from_secs(1),
        "sharing rate-limit counts",
        {
            let auth = state.auth.clone();
            move || {
                let auth = auth.clone();
                async move { auth.maintenance().sync_rate_limits().await }
            }
        },
    ));
    let jobs = crate::auth::jobs::start(&state.auth);
    let limits = state.config.connection_limits();
    let app = http::router(state);
    let result = http::connections::serve(listener, app, limits, shutdown).await;
    // Running jobs finish, or are handed back, while the store is still open.
    jobs.drain().await;
    sweeper.abort();
    limits_sync.abort();
    // What this instance counted last still reaches the other instances.
    if let Err(e) = auth.maintenance().sync_rate_limits().await {
        tracing::warn!(error = %e, "sharing rate-limit counts failed");
    }
    auth.maintenance().close().await;
    drop(serving);
    result
}

/// Runs `job` every `interval` until aborted; a failure is logged (as `what` failed) and the
/// next tick tries again.
async fn every<F, Fut>(interval: Duration, what: &'static str, job: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = crate::auth::Result<()>>,
{
    let mut tick = tokio::time::interval(interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = job().await {
            tracing::warn!(error = %e, "{what} failed");
        }
    }
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: draining in-flight requests");
}
