//! Starting and stopping: builds the state from a [`Config`], serves on a listener the caller
//! bound (tests bind port 0), and drains in-flight requests when the shutdown future resolves.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;

use crate::auth::Auth;
use crate::auth::app::NewApp;
use crate::auth::store::{self, Store};
use crate::clock::Clock;
use crate::config::Config;
use crate::crypto::MasterKey;
use crate::http::{self, AppState};
use crate::mail::Mailer;

/// What the master-key check value is sealed for.
const MASTER_KEY_CHECK: &[u8] = b"latchkey master key check";

/// Opens the store (running migrations) and assembles the application state on the system
/// clock.
pub async fn build_state(config: Config) -> anyhow::Result<AppState> {
    build_state_with_clock(config, Clock::system()).await
}

/// [`build_state`] on `clock`: tests keep a clone and move it forward.
pub async fn build_state_with_clock(config: Config, clock: Clock) -> anyhow::Result<AppState> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create data dir {}", config.data_dir.display()))?;
    let master_key = MasterKey::load_or_create(config.master_key.as_deref(), &config.data_dir)?;
    let store = Store::connect(&config.database_url())
        .await
        .context("cannot open the database")?;
    store.migrate().await.context("database migration failed")?;
    let matches = store
        .check_master_key(
            || master_key.seal(MASTER_KEY_CHECK, b"latchkey"),
            |sealed| master_key.open(MASTER_KEY_CHECK, sealed).is_some(),
        )
        .await
        .context("cannot read the instance settings")?;
    anyhow::ensure!(
        matches,
        "the master key differs from the one this database was set up with: give every instance \
         the same LATCHKEY_MASTER_KEY (or the same master.key file)"
    );
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
    let auth = Auth::new(
        store,
        master_key,
        config.public_base(),
        config.admin_key.as_deref(),
        mailer,
        clock,
    );
    let public_origin = url::Url::parse(&config.public_url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    Ok(AppState {
        public_origin: public_origin.into(),
        auth: Arc::new(auth),
        config: Arc::new(config),
        metrics: http::metrics_handle(),
    })
}

/// Creates the `demo` app for `serve --dev` if it is missing: RP ID and origin from the public URL.
pub async fn ensure_demo_app(state: &AppState) -> anyhow::Result<()> {
    if state.auth.app("demo").await.is_ok() {
        return Ok(());
    }
    let url = url::Url::parse(&state.config.public_url)?;
    let rp_id = url.host_str().unwrap_or("localhost").to_owned();
    state
        .auth
        .create_app(NewApp::new(
            "demo".to_owned(),
            "Latchkey demo".to_owned(),
            rp_id,
            vec![url.origin().ascii_serialization()],
        ))
        .await
        .map_err(|e| anyhow::anyhow!("cannot create the demo app: {e}"))?;
    Ok(())
}

/// Serves until `shutdown` resolves, then stops accepting and lets in-flight requests finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let store = state.auth.store.clone();
    let sweeper = tokio::spawn(sweep_expired(state.auth.clone()));
    let jobs = crate::auth::jobs::start(&state.auth);
    let app = http::router(state);
    let result = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    // Running jobs finish, or are handed back, while the store is still open.
    jobs.drain().await;
    sweeper.abort();
    store.close().await;
    result
}

/// Removes expired ceremonies, stale email codes, old throttling rows and long-failed jobs now
/// and then; they are refused or ignored anyway, this only keeps the tables small.
async fn sweep_expired(auth: Arc<Auth>) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    loop {
        tick.tick().await;
        let now = auth.clock.now();
        let swept = async {
            let mut conn = auth.store.write_conn().await?;
            store::ceremonies::delete_expired(&mut conn, now).await?;
            // Kept a day past expiry, for the audit trail of what was asked.
            store::email_codes::delete_stale(&mut conn, now - 86_400).await?;
            crate::auth::jobs::delete_old_failed(&mut conn, now).await?;
            // Longer than the longest throttling window.
            store::rate_limits::delete_stale(&mut conn, now - 2 * 3600).await
        }
        .await;
        if let Err(e) = swept {
            tracing::warn!(error = %e, "sweeping expired ceremonies failed");
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
