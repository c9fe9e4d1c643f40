//! `latchkey-bench`: a load generator for a Latchkey server.
//!
//! It drives the browser and server APIs the way real clients do, with a software WebAuthn
//! authenticator (`latchkey-authenticator`) standing in for the browser. Everything a scenario can
//! prepare ahead (users, their passkeys, sessions and tokens) is created in a setup phase before
//! the timed part; what must happen inside it (a new passkey per sign-up, an assertion over the
//! server's fresh challenge per sign-in) is done by the client but left out of the recorded
//! latency, which covers only the HTTP requests of an operation.
//!
//! The `email` scenario (`email.rs`) is the exception: its latency is the whole email-code
//! sign-in, the wait for the email on the generator's own SMTP sink (`smtp.rs`) included. The
//! `oidc` and `introspect` scenarios (`oidc.rs`) drive the app's OpenID Provider as a relying
//! party does; their app's origin is the server's `PUBLIC_URL`, where the provider's pages run.
//!
//! Any non-2xx answer (a 429 included; from the authorization endpoint, anything but its redirect
//! back to the client with a code), transport failure, or an answer that says no (`{"valid":
//! false}` from `tokens/verify`, `{"active": false}` from introspection) is an error: counted per
//! operation, status and code, printed, and written to the result file.

mod email;
mod latchkey;
mod oidc;
mod peers;
mod server;
mod smtp;
mod target;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, anyhow, bail};
use clap::{Parser, ValueEnum};
use hdrhistogram::Histogram;
use serde_json::{Value, json};

use crate::email::{EmailRun, STEPS};
use crate::latchkey::Latchkey;
use crate::oidc::{GRANTS_PER_CLIENT, OidcRun, OidcWorker, REDIRECT_URI};
use crate::peers::better_auth::BetterAuth;
use crate::peers::handwritten::Handwritten;
use crate::server::{
    cpu_seconds, create_api_key, create_app, create_oauth_client, default_server_bin, spawn_server,
    tree_cpu_seconds, tree_memory,
};
use crate::smtp::SmtpSink;
use latchkey_authenticator::{Alg, Key};

use crate::target::{Failure, ORIGIN, RP_ID, SignedUp, Target, TargetKind, User};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Scenario {
    /// Register options + verify, a new user each.
    Signup,
    /// Authenticate options + verify for existing users, alternating discoverable and by email.
    Signin,
    /// `POST /apps/{app}/tokens/verify` with access tokens.
    Verify,
    /// Refresh-token rotation, each worker on its own session.
    Refresh,
    /// 1 sign-up : 20 sign-ins : 200 token verifications : 10 refreshes.
    Mixed,
    /// Email-code sign-ins of existing users (Latchkey only): `otp/email`, the email on this
    /// generator's SMTP sink, the code redeemed; each from its own loopback source address.
    Email,
    /// The OpenID Provider's code flow for signed-in users (Latchkey only): `oauth/authorize`
    /// with the session cookie, the code exchanged at `oauth/token`, `oauth/userinfo`.
    Oidc,
    /// `POST /apps/{app}/oauth/introspect` of OAuth access tokens, as their client (Latchkey
    /// only).
    Introspect,
}

impl Scenario {
    fn name(self) -> &'static str {
        match self {
            Self::Signup => "signup",
            Self::Signin => "signin",
            Self::Verify => "verify",
            Self::Refresh => "refresh",
            Self::Mixed => "mixed",
            Self::Email => "email",
            Self::Oidc => "oidc",
            Self::Introspect => "introspect",
        }
    }

    /// Whether it drives the app's OpenID Provider.
    fn is_oidc(self) -> bool {
        matches!(self, Self::Oidc | Self::Introspect)
    }
}

/// Load generator for Latchkey.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// What to run.
    #[arg(value_enum)]
    scenario: Scenario,
    /// The server under test: Latchkey, or a peer from `bench/peers/` started by its
    /// `start.sh` and reached at `--base-url`.
    #[arg(long, value_enum, default_value = "latchkey")]
    target: TargetKind,
    /// Users created in the setup phase (sign-in, verify, refresh, mixed: each worker owns
    /// `users / concurrency` of them; email: a pool all workers share, each user signed in at
    /// most once per 32 s, so the pool bounds the pace at users / 32 s; oidc: each worker takes
    /// its share in turn, and a user's flows past its 20th also revoke its oldest grant;
    /// introspect: one access token each) [default: 100; email: 10000; oidc: 2000].
    #[arg(long)]
    users: Option<usize>,
    /// Email: the loopback source addresses the workers spread their requests over (127.1.0.1
    /// onwards), each used at most 30 times per 62 s, under the server's per-IP limits.
    #[arg(long, default_value_t = 4096)]
    source_addresses: usize,
    /// Email: where the SMTP sink listens. With `--spawn`, the server is pointed at it; else the
    /// server's `LATCHKEY_SMTP_URL` must be `smtp://` this address.
    #[arg(long, default_value = "127.0.0.1:0")]
    smtp_listen: SocketAddr,
    /// Concurrent workers, each with one request in flight; also the connection pool size.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Length of the timed part, in seconds.
    #[arg(long, default_value_t = 10.0)]
    duration: f64,
    /// The server's base URL (ignored with `--spawn`).
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    base_url: String,
    /// The app to use; without it an `--admin-key` creates a fresh one.
    #[arg(long)]
    app: Option<String>,
    /// An API key of the app (for `tokens/verify`); without it an `--admin-key` creates one.
    #[arg(long)]
    api_key: Option<String>,
    /// An instance admin key, to create the app and the API key (and the OAuth client of oidc
    /// and introspect).
    #[arg(long)]
    admin_key: Option<String>,
    /// The server's `PUBLIC_URL` (with `--spawn`, the one it is given). Oidc and introspect make
    /// their app on its origin and host (the rp_id), where the provider's pages run.
    #[arg(long, default_value = "http://localhost:8080")]
    public_url: String,
    /// Start the server: `--server-bin` on a fresh temporary data directory.
    #[arg(long)]
    spawn: bool,
    /// The server binary for `--spawn` [default: `latchkey` next to this executable].
    #[arg(long)]
    server_bin: Option<PathBuf>,
    /// `LATCHKEY_DATABASE_URL` for the spawned server [default: SQLite in its data directory].
    #[arg(long)]
    database_url: Option<String>,
    /// The process id of a server started elsewhere (a peer's `start.sh`), to sample its RSS,
    /// summed over its child processes.
    #[arg(long)]
    server_pid: Option<u32>,
    /// Stop after this many operations (or at `--duration`, whichever comes first): e.g.
    /// `signup --ops 100000 --duration 3600` fills a store with 100,000 users.
    #[arg(long)]
    ops: Option<u64>,
    /// Offer load at this many operations per second in all (spread evenly over the workers),
    /// rather than as fast as the server answers: for latency at a given throughput.
    #[arg(long)]
    rate: Option<f64>,
    /// Write the result as JSON to this file.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Latchkey, the users of sign-in, verify, refresh and mixed: before the run the app gets
    /// permissions, roles and an organization; each user holds an app-wide role and an
    /// organization role, and its session acts for the organization (so every verification
    /// resolves both role sets, and every token carries them).
    #[arg(long)]
    with_access: bool,
}

// ---------------------------------------------------------------------------------------------
// Workers

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Signup = 0,
    Signin = 1,
    Verify = 2,
    Refresh = 3,
    Email = 4,
    Oidc = 5,
    Introspect = 6,
}

const KINDS: [Kind; 7] = [
    Kind::Signup,
    Kind::Signin,
    Kind::Verify,
    Kind::Refresh,
    Kind::Email,
    Kind::Oidc,
    Kind::Introspect,
];

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Self::Signup => "signup",
            Self::Signin => "signin",
            Self::Verify => "verify",
            Self::Refresh => "refresh",
            Self::Email => "email",
            Self::Oidc => "oidc",
            Self::Introspect => "introspect",
        }
    }
}

/// The mixed scenario's schedule: smooth weighted round-robin over
/// 1 sign-up : 20 sign-ins : 200 verifications : 10 refreshes, exact over every 231 operations.
struct Mix {
    current: [i64; 4],
}

impl Mix {
    const KINDS: [Kind; 4] = [Kind::Signup, Kind::Signin, Kind::Verify, Kind::Refresh];
    const WEIGHTS: [i64; 4] = [1, 20, 200, 10];

    fn next(&mut self) -> Kind {
        let total: i64 = Self::WEIGHTS.iter().sum();
        let mut best = 0;
        for i in 0..4 {
            self.current[i] += Self::WEIGHTS[i];
            if self.current[i] > self.current[best] {
                best = i;
            }
        }
        self.current[best] -= total;
        Self::KINDS[best]
    }
}

/// A latency histogram in microseconds, up to an hour.
fn histogram() -> Result<Histogram<u64>> {
    Histogram::new_with_bounds(1, 3_600_000_000, 3).map_err(|e| anyhow!("histogram: {e:?}"))
}

fn record(h: &mut Histogram<u64>, spent: Duration) {
    h.saturating_record(u64::try_from(spent.as_micros()).unwrap_or(u64::MAX).max(1));
}

/// One worker's results.
struct Stats {
    latency: Vec<Histogram<u64>>,
    /// The email operations' steps, in the order of [`STEPS`].
    email_steps: Vec<Histogram<u64>>,
    errors: BTreeMap<(Kind, String), (u64, String)>,
}

impl Stats {
    fn new() -> Result<Self> {
        Ok(Self {
            latency: KINDS.iter().map(|_| histogram()).collect::<Result<_>>()?,
            email_steps: STEPS.iter().map(|_| histogram()).collect::<Result<_>>()?,
            errors: BTreeMap::new(),
        })
    }

    fn merge(&mut self, other: Self) -> Result<()> {
        for (mine, theirs) in self
            .latency
            .iter_mut()
            .chain(self.email_steps.iter_mut())
            .zip(other.latency.into_iter().chain(other.email_steps))
        {
            mine.add(theirs).map_err(|e| anyhow!("histogram: {e:?}"))?;
        }
        for (key, (count, sample)) in other.errors {
            self.errors.entry(key).or_insert((0, sample)).0 += count;
        }
        Ok(())
    }
}

/// Live counters for the progress line.
#[derive(Default)]
struct Progress {
    ok: AtomicU64,
    errors: AtomicU64,
}

/// What the workers share.
struct Shared {
    target: Target,
    scenario: Scenario,
    run_id: String,
    /// Access tokens for `tokens/verify`.
    tokens: Vec<String>,
    progress: Progress,
    workers: usize,
    /// Operations started so far, against `--ops`.
    started: AtomicU64,
    ops: Option<u64>,
    /// With `--rate`: the time between one worker's operation starts.
    interval: Option<Duration>,
    /// Passkey keys a worker had to make inside the timed part, its ready ones used up.
    keys_made_in_run: AtomicU64,
    /// The email scenario's pools and SMTP sink.
    email: Option<EmailRun>,
    /// The OpenID Provider scenarios' client and access tokens.
    oidc: Option<OidcRun>,
}

/// What one worker owns.
struct Worker {
    index: usize,
    users: Vec<User>,
    refresh_token: Option<String>,
    /// Keys for this worker's sign-ups, made before the clock started.
    keys: Vec<Key>,
    /// The oidc scenario: this worker's signed-in browsers and PKCE verifier.
    oidc: Option<OidcWorker>,
}

async fn run_worker(shared: Arc<Shared>, mut worker: Worker, deadline: Instant) -> Result<Stats> {
    let mut stats = Stats::new()?;
    let mut mix = Mix { current: [0; 4] };
    // Workers start at different points of the schedule.
    for _ in 0..(worker.index * 37) % 231 {
        mix.next();
    }
    let mut signed_up = 0u64;
    let mut counts = [0u64; KINDS.len()];
    // With `--rate`, workers start spread over one interval, then keep to their schedule.
    let mut next_start = shared.interval.map(|interval| {
        Instant::now() + interval.mul_f64(worker.index as f64 / shared.workers as f64)
    });
    while Instant::now() < deadline {
        if let (Some(at), Some(interval)) = (next_start.as_mut(), shared.interval) {
            tokio::time::sleep_until((*at).into()).await;
            *at += interval;
        }
        if shared
            .ops
            .is_some_and(|ops| shared.started.fetch_add(1, Ordering::Relaxed) >= ops)
        {
            break;
        }
        let kind = match shared.scenario {
            Scenario::Signup => Kind::Signup,
            Scenario::Signin => Kind::Signin,
            Scenario::Verify => Kind::Verify,
            Scenario::Refresh => Kind::Refresh,
            Scenario::Mixed => mix.next(),
            Scenario::Email => Kind::Email,
            Scenario::Oidc => Kind::Oidc,
            Scenario::Introspect => Kind::Introspect,
        };
        let n = counts[kind as usize];
        counts[kind as usize] += 1;
        let mut spent = Duration::ZERO;
        let target = &shared.target;
        let outcome = match kind {
            Kind::Signup => {
                let email = format!(
                    "bench-{}-w{}-{signed_up}@example.com",
                    shared.run_id, worker.index
                );
                signed_up += 1;
                let key = match worker.keys.pop() {
                    Some(key) => Ok(key),
                    None => {
                        shared.keys_made_in_run.fetch_add(1, Ordering::Relaxed);
                        Key::generate(Alg::Es256).map_err(|e| Failure::authenticator(&e))
                    }
                };
                match key {
                    Ok(key) => target.sign_up(&email, key, &mut spent).await.map(drop),
                    Err(failure) => Err(failure),
                }
            }
            Kind::Signin => {
                let count = worker.users.len();
                // Alternate: one discoverable sign-in, one by email, across the worker's users.
                let by_email = n % 2 == 1;
                match worker.users.get_mut((n as usize / 2) % count.max(1)) {
                    Some(user) => target.sign_in(user, by_email, &mut spent).await,
                    None => Err(Failure::Client("this worker has no users".to_owned())),
                }
            }
            Kind::Verify => {
                let stride = n as usize * 7919 + worker.index;
                match shared.tokens.get(stride % shared.tokens.len().max(1)) {
                    Some(token) => target.verify_token(token, &mut spent).await,
                    None => Err(Failure::Client("no access tokens".to_owned())),
                }
            }
            Kind::Refresh => match worker.refresh_token.as_mut() {
                Some(token) => target.refresh(token, &mut spent).await,
                None => Err(Failure::Client("this worker has no session".to_owned())),
            },
            Kind::Email => match (&shared.email, target) {
                (Some(email), Target::Latchkey(latchkey)) => {
                    match email.sign_in(latchkey, deadline).await {
                        // The pools had no user or address free before the end of the run.
                        Ok(None) => break,
                        Ok(Some(steps)) => {
                            for (h, step) in stats.email_steps.iter_mut().zip(steps.durations()) {
                                record(h, step);
                                spent += step;
                            }
                            Ok(())
                        }
                        Err(failure) => Err(failure),
                    }
                }
                _ => Err(Failure::Client(
                    "the email scenario runs against Latchkey only".to_owned(),
                )),
            },
            Kind::Oidc => match (&shared.oidc, target, worker.oidc.as_mut()) {
                (Some(run), Target::Latchkey(latchkey), Some(browsers)) => {
                    run.code_flow(latchkey, browsers, n, &mut spent).await
                }
                _ => Err(Failure::Client(
                    "the oidc scenario runs against Latchkey only".to_owned(),
                )),
            },
            Kind::Introspect => match (&shared.oidc, target) {
                (Some(run), Target::Latchkey(latchkey)) => {
                    run.introspect(latchkey, worker.index, n, &mut spent).await
                }
                _ => Err(Failure::Client(
                    "the introspect scenario runs against Latchkey only".to_owned(),
                )),
            },
        };
        match outcome {
            Ok(()) => {
                record(&mut stats.latency[kind as usize], spent);
                shared.progress.ok.fetch_add(1, Ordering::Relaxed);
            }
            Err(failure) => {
                stats
                    .errors
                    .entry((kind, failure.key()))
                    .or_insert_with(|| (0, failure.detail()))
                    .0 += 1;
                shared.progress.errors.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
    Ok(stats)
}

// ---------------------------------------------------------------------------------------------
// Setup

/// Signs up `count` users with `concurrency` tasks; each sign-up's tokens are kept.
async fn set_up_users(
    target: &Arc<Target>,
    run_id: &str,
    count: usize,
    concurrency: usize,
) -> Result<Vec<SignedUp>> {
    let mut tasks = tokio::task::JoinSet::new();
    for task in 0..concurrency.min(count) {
        let target = Arc::clone(target);
        let run_id = run_id.to_owned();
        tasks.spawn(async move {
            let mut done = Vec::new();
            for i in (task..count).step_by(concurrency) {
                let email = format!("bench-{run_id}-u{i}@example.com");
                let mut spent = Duration::ZERO;
                let key = Key::generate(Alg::Es256)
                    .map_err(|e| anyhow!("generate a passkey key: {e:?}"))?;
                let user = target
                    .sign_up(&email, key, &mut spent)
                    .await
                    .map_err(|f| anyhow!("setup sign-up of {email}: {} {}", f.key(), f.detail()))?;
                done.push((i, user));
            }
            Ok::<_, anyhow::Error>(done)
        });
    }
    let mut slots: Vec<Option<SignedUp>> = (0..count).map(|_| None).collect();
    while let Some(joined) = tasks.join_next().await {
        for (i, user) in joined.context("setup task")?? {
            slots[i] = Some(user);
        }
    }
    slots
        .into_iter()
        .map(|s| s.ok_or_else(|| anyhow!("a setup user is missing")))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Reporting

fn latency_json(h: &Histogram<u64>) -> Value {
    let ms = |us: u64| (us as f64) / 1000.0;
    json!({
        "p50": ms(h.value_at_quantile(0.50)),
        "p90": ms(h.value_at_quantile(0.90)),
        "p99": ms(h.value_at_quantile(0.99)),
        "max": ms(h.max()),
        "mean": h.mean() / 1000.0,
    })
}

fn print_line(name: &str, ok: u64, errors: u64, elapsed: f64, h: &Histogram<u64>) {
    println!(
        "{name:>8}: {ok:>9} ok {errors:>6} errors {:>10.1}/s   p50 {:>8.3} ms  p90 {:>8.3} ms  p99 {:>8.3} ms  max {:>9.3} ms",
        ok as f64 / elapsed,
        h.value_at_quantile(0.50) as f64 / 1000.0,
        h.value_at_quantile(0.90) as f64 / 1000.0,
        h.value_at_quantile(0.99) as f64 / 1000.0,
        h.max() as f64 / 1000.0,
    );
}

/// What an operation's latency covers.
fn latency_covers(scenario: Scenario) -> &'static str {
    match scenario {
        Scenario::Email => {
            "the whole email-code sign-in: the code request, the wait for the email on the SMTP \
             sink, the redemption"
        }
        Scenario::Oidc => {
            "the code flow's three requests: authorize with the session cookie, the code \
             exchange, userinfo"
        }
        _ => "the operation's HTTP requests only (client-side authenticator work excluded)",
    }
}

// ---------------------------------------------------------------------------------------------

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run(Args::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("latchkey-bench: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The rp_id and origin of the app for `scenario`: for the OpenID Provider's, the host and origin
/// of the server's `public_url`, where the provider's pages run; else those every target is
/// configured with.
fn app_site(scenario: Scenario, public_url: &str) -> Result<(String, String)> {
    if !scenario.is_oidc() {
        return Ok((RP_ID.to_owned(), ORIGIN.to_owned()));
    }
    let url =
        reqwest::Url::parse(public_url).with_context(|| format!("--public-url {public_url}"))?;
    let host = url
        .host_str()
        .ok_or_else(|| anyhow!("--public-url {public_url} has no host"))?;
    Ok((host.to_owned(), url.origin().ascii_serialization()))
}

/// The Latchkey adapter for `--app` and `--api-key`, or for an app and key made with the
/// admin key; returns it with the app's id.
async fn latchkey_target(
    args: &Args,
    http: reqwest::Client,
    base: &str,
    admin_key: Option<&str>,
    run_id: &str,
) -> Result<(Latchkey, String)> {
    let (rp_id, origin) = app_site(args.scenario, &args.public_url)?;
    let app = match (&args.app, admin_key) {
        (Some(app), _) if !args.spawn => app.clone(),
        (app, Some(key)) => {
            let id = app.clone().unwrap_or_else(|| {
                if args.spawn {
                    "bench".to_owned()
                } else {
                    format!("bench-{run_id}")
                }
            });
            create_app(&http, base, key, &id, &rp_id, &origin).await?;
            id
        }
        (_, None) => bail!("pass --app (and --api-key for verify/mixed), or --admin-key"),
    };
    let api_key = match (&args.api_key, admin_key) {
        (Some(k), _) => Some(k.clone()),
        (None, Some(key)) => Some(create_api_key(&http, base, key, &app).await?),
        (None, None) => None,
    };
    if api_key.is_none()
        && matches!(
            args.scenario,
            Scenario::Verify | Scenario::Mixed | Scenario::Email
        )
    {
        bail!("{} needs --api-key (or --admin-key)", args.scenario.name());
    }
    Ok((
        Latchkey::new(http, base.to_owned(), app.clone(), api_key, origin),
        app,
    ))
}

async fn run(args: Args) -> Result<()> {
    if args.concurrency == 0 {
        bail!("--concurrency must be at least 1");
    }
    if args.duration.is_nan() || args.duration <= 0.0 {
        bail!("--duration must be positive");
    }
    if args.rate.is_some_and(|r| r.is_nan() || r <= 0.0) {
        bail!("--rate must be positive");
    }
    let is_email = args.scenario == Scenario::Email;
    let is_oidc = args.scenario.is_oidc();
    let users_wanted = args.users.unwrap_or(match args.scenario {
        Scenario::Email => 10_000,
        Scenario::Oidc => 2_000,
        _ => 100,
    });
    let needs_users = args.scenario != Scenario::Signup;
    let owns_users = matches!(
        args.scenario,
        Scenario::Signin | Scenario::Refresh | Scenario::Mixed | Scenario::Oidc
    );
    if needs_users && users_wanted == 0 {
        bail!("--users must be at least 1 for {}", args.scenario.name());
    }
    if owns_users && users_wanted < args.concurrency {
        bail!(
            "{} needs --users >= --concurrency: each worker owns its users and session",
            args.scenario.name()
        );
    }
    if is_email {
        if args.target != TargetKind::Latchkey {
            bail!(
                "email is not applicable to {}: the peers do not implement email sign-in",
                args.target.name()
            );
        }
        if users_wanted < args.concurrency || args.source_addresses < args.concurrency {
            bail!(
                "email needs --users and --source-addresses >= --concurrency: a worker holds one \
                 of each at a time"
            );
        }
        if !args.spawn && args.smtp_listen.port() == 0 {
            bail!(
                "email against a running server needs --smtp-listen HOST:PORT, the address its \
                 LATCHKEY_SMTP_URL (smtp://HOST:PORT) delivers to"
            );
        }
    }
    if is_oidc {
        if args.target != TargetKind::Latchkey {
            bail!(
                "{} is not applicable to {}: the peers have no OpenID Provider",
                args.scenario.name(),
                args.target.name()
            );
        }
        if !args.spawn && args.admin_key.is_none() {
            bail!(
                "{} needs --admin-key (or --spawn) to register its OAuth client",
                args.scenario.name()
            );
        }
    }
    let run_id = format!("{:08x}", rand::random::<u32>());
    let http = reqwest::Client::builder()
        .no_proxy()
        .tcp_nodelay(true)
        .pool_max_idle_per_host(args.concurrency)
        .timeout(Duration::from_secs(60))
        // A redirect is an answer to read (the authorization endpoint's carries the code), and
        // from the APIs an error: never followed.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .context("HTTP client")?;

    // The server, and for Latchkey the app and its API key.
    if args.spawn && args.target != TargetKind::Latchkey {
        bail!(
            "--spawn starts Latchkey only: start the peer with bench/peers/{}/start.sh and pass --base-url",
            args.target.name()
        );
    }
    // The SMTP sink first: a spawned server is told where it is.
    let sink = if is_email {
        let sink = SmtpSink::bind(args.smtp_listen).await?;
        eprintln!("SMTP sink listening at {}", sink.url());
        Some(sink)
    } else {
        None
    };
    let (server, base, admin_key) = if args.spawn {
        let key = args
            .admin_key
            .clone()
            .unwrap_or_else(|| format!("lk_admin_bench-{:032x}", rand::random::<u128>()));
        let bin = match &args.server_bin {
            Some(bin) => bin.clone(),
            None => default_server_bin()?,
        };
        let smtp_url = sink.as_ref().map(SmtpSink::url);
        let server = spawn_server(
            &bin,
            &key,
            &args.public_url,
            args.database_url.as_deref(),
            smtp_url.as_deref(),
        )
        .await?;
        let base = server.base.clone();
        eprintln!(
            "spawned {} (pid {}) on {base}, data in {}",
            bin.display(),
            server.pid,
            server.data_dir.display()
        );
        (Some(server), base, Some(key))
    } else {
        (
            None,
            args.base_url.trim_end_matches('/').to_owned(),
            args.admin_key.clone(),
        )
    };
    let pid = server.as_ref().map(|s| s.pid).or(args.server_pid);
    let (target, app, oauth_client) = match args.target {
        TargetKind::Latchkey => {
            // The OpenID Provider's scenarios register their OAuth client with the admin key.
            let registrar = admin_key
                .as_deref()
                .filter(|_| is_oidc)
                .map(|key| (http.clone(), key));
            let (latchkey, app) =
                latchkey_target(&args, http, &base, admin_key.as_deref(), &run_id).await?;
            let client = match registrar {
                Some((http, key)) => {
                    Some(create_oauth_client(&http, &base, key, &app, REDIRECT_URI).await?)
                }
                None => None,
            };
            (Target::Latchkey(latchkey), Some(app), client)
        }
        TargetKind::BetterAuth => (
            Target::BetterAuth(BetterAuth::new(http, base.clone())),
            None,
            None,
        ),
        TargetKind::Handwritten => (
            Target::Handwritten(Handwritten::new(http, base.clone())),
            None,
            None,
        ),
    };
    let target = Arc::new(target);

    // Setup: users, passkeys, sessions and tokens, before the clock starts.
    let setup_started = Instant::now();
    let email = match sink {
        Some(sink) => {
            eprintln!("setup: creating {users_wanted} users through the server API");
            let emails =
                email::create_users(&target, &run_id, users_wanted, args.concurrency).await?;
            let run = EmailRun::new(sink, emails, args.source_addresses)?;
            eprintln!("email: {}", run.describe());
            Some(run)
        }
        None => None,
    };
    let (oidc, mut cookies) = match oauth_client {
        Some(client) => {
            let introspect = args.scenario == Scenario::Introspect;
            eprintln!(
                "setup: signing up {users_wanted} users in the browser{}",
                if introspect {
                    ", each with an access token from a code flow"
                } else {
                    ""
                }
            );
            let (run, cookies) = OidcRun::set_up(
                &target,
                client,
                &args.public_url,
                &run_id,
                users_wanted,
                args.concurrency,
                introspect,
            )
            .await?;
            (Some(run), cookies)
        }
        None => (None, Vec::new()),
    };
    let mut users = if needs_users && !is_email && !is_oidc {
        eprintln!("setup: signing up {users_wanted} users");
        set_up_users(&target, &run_id, users_wanted, args.concurrency).await?
    } else {
        Vec::new()
    };
    if args.with_access {
        let Target::Latchkey(latchkey) = &*target else {
            bail!("--with-access is for Latchkey");
        };
        eprintln!("setup: roles and an organization for every user, the sessions acting for it");
        latchkey
            .set_up_access()
            .await
            .map_err(|f| anyhow!("setting up access: {} {}", f.key(), f.detail()))?;
        for user in &mut users {
            latchkey
                .grant_access(user)
                .await
                .map_err(|f| anyhow!("granting access: {} {}", f.key(), f.detail()))?;
        }
    }
    let setup_seconds = setup_started.elapsed().as_secs_f64();
    let tokens: Vec<String> = users.iter().map(|u| u.access_token.clone()).collect();
    // Keys for the sign-ups of the timed part: enough for `--ops`, or for a rate well above
    // what one machine reaches; a worker that runs out makes more, and the report says so.
    let keys_per_worker = match args.scenario {
        Scenario::Signup | Scenario::Mixed => {
            let expected = match (args.ops, args.scenario) {
                (Some(ops), Scenario::Signup) => ops as f64,
                (Some(ops), _) => ops as f64 / 231.0,
                (None, Scenario::Signup) => args.duration * 5_000.0,
                (None, _) => args.duration * 50.0,
            };
            (expected / args.concurrency as f64).ceil() as usize + 1
        }
        _ => 0,
    };
    if keys_per_worker > 0 {
        eprintln!(
            "setup: generating {} passkey keys",
            keys_per_worker * args.concurrency
        );
    }
    let mut workers: Vec<Worker> = Vec::with_capacity(args.concurrency);
    for index in 0..args.concurrency {
        let keys = (0..keys_per_worker)
            .map(|_| Key::generate(Alg::Es256))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| anyhow!("generate a passkey key: {e:?}"))?;
        // The oidc scenario's browsers, dealt out as the users of the others are.
        let browsers = (args.scenario == Scenario::Oidc).then(|| {
            let mine = cookies
                .iter_mut()
                .skip(index)
                .step_by(args.concurrency)
                .map(std::mem::take)
                .collect();
            OidcWorker::new(mine)
        });
        workers.push(Worker {
            index,
            users: Vec::new(),
            refresh_token: None,
            keys,
            oidc: browsers,
        });
    }
    for (i, signed_up) in users.into_iter().enumerate() {
        let worker = &mut workers[i % args.concurrency];
        if worker.refresh_token.is_none() {
            worker.refresh_token = Some(signed_up.refresh_token);
        }
        worker.users.push(signed_up.user);
    }
    let memory_after_setup = pid.and_then(tree_memory);
    let target = Arc::try_unwrap(target).map_err(|_| anyhow!("setup still holds the client"))?;
    let shared = Arc::new(Shared {
        target,
        scenario: args.scenario,
        run_id,
        tokens,
        progress: Progress::default(),
        started: AtomicU64::new(0),
        workers: args.concurrency,
        ops: args.ops,
        interval: args
            .rate
            .map(|rate| Duration::from_secs_f64(args.concurrency as f64 / rate)),
        keys_made_in_run: AtomicU64::new(0),
        email,
        oidc,
    });

    // The timed part.
    eprintln!(
        "running {} for {} s with {} workers against {} at {base}",
        args.scenario.name(),
        args.duration,
        args.concurrency,
        args.target.name()
    );
    let server_cpu_before = pid.and_then(tree_cpu_seconds);
    let own_cpu_before = cpu_seconds("self");
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(args.duration);
    let mut tasks = tokio::task::JoinSet::new();
    for worker in workers {
        tasks.spawn(run_worker(Arc::clone(&shared), worker, deadline));
    }
    let done = Arc::new(AtomicBool::new(false));
    let max_rss = Arc::new(AtomicU64::new(0));
    let reporter = {
        let shared = Arc::clone(&shared);
        let done = Arc::clone(&done);
        let max_rss = Arc::clone(&max_rss);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            tick.tick().await;
            let mut last = 0u64;
            loop {
                tick.tick().await;
                if done.load(Ordering::Relaxed) {
                    break;
                }
                let ok = shared.progress.ok.load(Ordering::Relaxed);
                let errors = shared.progress.errors.load(Ordering::Relaxed);
                let rss = pid.and_then(tree_memory).map_or(String::new(), |m| {
                    max_rss.fetch_max(m.rss_kib, Ordering::Relaxed);
                    format!(", server RSS {:.1} MiB", m.rss_kib as f64 / 1024.0)
                });
                eprintln!(
                    "[{:>4.0} s] {ok} ok ({} in the last second), {errors} errors{rss}",
                    started.elapsed().as_secs_f64(),
                    ok - last,
                );
                last = ok;
            }
        })
    };
    let mut stats = Stats::new()?;
    while let Some(joined) = tasks.join_next().await {
        stats.merge(joined.context("worker")??)?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let server_cpu = pid
        .and_then(tree_cpu_seconds)
        .zip(server_cpu_before)
        .map(|(end, start)| end - start);
    let own_cpu = cpu_seconds("self")
        .zip(own_cpu_before)
        .map(|(end, start)| end - start);
    done.store(true, Ordering::Relaxed);
    reporter.abort();
    let memory_end = pid.and_then(tree_memory);
    if let Some(m) = memory_end {
        max_rss.fetch_max(m.rss_kib, Ordering::Relaxed);
    }

    // The report.
    let mut per_kind = serde_json::Map::new();
    let mut total = Histogram::<u64>::new_with_bounds(1, 3_600_000_000, 3)
        .map_err(|e| anyhow!("histogram: {e:?}"))?;
    let mut total_errors = 0u64;
    println!(
        "latchkey-bench {} — {} workers, {:.2} s, {} setup users ({setup_seconds:.1} s setup)",
        args.scenario.name(),
        args.concurrency,
        elapsed,
        users_wanted * usize::from(needs_users),
    );
    println!("latency = {}", latency_covers(args.scenario));
    for kind in KINDS {
        let h = &stats.latency[kind as usize];
        let errors: u64 = stats
            .errors
            .iter()
            .filter(|((k, _), _)| *k == kind)
            .map(|(_, (n, _))| n)
            .sum();
        if h.is_empty() && errors == 0 {
            continue;
        }
        total.add(h).map_err(|e| anyhow!("histogram: {e:?}"))?;
        total_errors += errors;
        print_line(kind.name(), h.len(), errors, elapsed, h);
        let mut entry = json!({
            "ok": h.len(),
            "errors": errors,
            "throughput_per_s": h.len() as f64 / elapsed,
            "latency_ms": latency_json(h),
        });
        if kind == Kind::Email {
            let mut steps = serde_json::Map::new();
            for (name, h) in STEPS.iter().zip(&stats.email_steps) {
                print_line(&format!("  {name}"), h.len(), 0, elapsed, h);
                steps.insert((*name).to_owned(), latency_json(h));
            }
            entry["steps_latency_ms"] = Value::Object(steps);
        }
        per_kind.insert(kind.name().to_owned(), entry);
    }
    if per_kind.len() > 1 {
        print_line("total", total.len(), total_errors, elapsed, &total);
    }
    let keys_made_in_run = shared.keys_made_in_run.load(Ordering::Relaxed);
    if keys_made_in_run > 0 {
        println!(
            "note: {keys_made_in_run} passkey keys were generated inside the timed part (outside the measured latency)"
        );
    }
    if let Some(email) = &shared.email {
        let (received, unexpected) = email.emails();
        println!("email: {received} emails received, {unexpected} that no worker was waiting for");
        if let Some((count, seconds)) = email.waited() {
            println!(
                "note: workers waited {count} times ({seconds:.1} s in all, outside the measured \
                 latency) for a user or source address the server's limits allowed again: the \
                 pools bounded this run, not the server (raise --users or --source-addresses)"
            );
        }
    }
    if let Some(oidc) = &shared.oidc {
        let past = oidc.flows_past_grant_cap();
        if past > 0 {
            println!(
                "note: {past} code flows were past their user's {GRANTS_PER_CLIENT} live grants of \
                 the client, so their exchange also revoked the oldest (raise --users to keep \
                 flows under the cap)"
            );
        }
    }
    if stats.errors.is_empty() {
        println!("errors: none");
    } else {
        println!("errors:");
        for ((kind, key), (count, sample)) in &stats.errors {
            println!("  {count:>8}  {} {key}   e.g. {sample}", kind.name());
        }
    }
    let server_json = match (pid, memory_end) {
        (Some(pid), Some(m)) => {
            println!(
                "server RSS: {:.1} MiB after setup, {:.1} MiB at the end (max sampled {:.1} MiB), peak VmHWM {:.1} MiB",
                memory_after_setup.unwrap_or_default().rss_kib as f64 / 1024.0,
                m.rss_kib as f64 / 1024.0,
                max_rss.load(Ordering::Relaxed) as f64 / 1024.0,
                m.hwm_kib as f64 / 1024.0,
            );
            json!({
                "pid": pid,
                "vm_rss_after_setup_kib": memory_after_setup.map(|m| m.rss_kib),
                "vm_rss_end_kib": m.rss_kib,
                "vm_rss_max_sampled_kib": max_rss.load(Ordering::Relaxed),
                "vm_hwm_kib": m.hwm_kib,
                "cpu_s": server_cpu,
                "cpu_us_per_op": server_cpu.map(|c| c * 1e6 / total.len().max(1) as f64),
            })
        }
        _ => Value::Null,
    };
    // CPU per completed operation: the server's (when its pid is known) and this generator's.
    let per_op = |cpu: f64| cpu * 1e6 / total.len().max(1) as f64;
    println!(
        "CPU: server {}, load generator {} (machine: {} cores)",
        server_cpu.map_or("unknown".to_owned(), |c| format!(
            "{c:.2} s = {:.0} µs/op",
            per_op(c)
        )),
        own_cpu.map_or("unknown".to_owned(), |c| format!(
            "{c:.2} s = {:.0} µs/op",
            per_op(c)
        )),
        std::thread::available_parallelism().map_or(0, usize::from),
    );
    let errors_json: Vec<Value> = stats
        .errors
        .iter()
        .map(|((kind, key), (count, sample))| {
            json!({"operation": kind.name(), "error": key, "count": count, "sample": sample})
        })
        .collect();
    let result = json!({
        "scenario": args.scenario.name(),
        "target": args.target.name(),
        "base_url": base,
        "app": app,
        "spawned": args.spawn,
        "database": if args.spawn {
            Value::from(if args.database_url.is_some() { "external" } else { "sqlite" })
        } else {
            Value::Null
        },
        "users": if needs_users { users_wanted } else { 0 },
        "with_access": args.with_access,
        "concurrency": args.concurrency,
        "duration_s": args.duration,
        "ops_limit": args.ops,
        "offered_rate_per_s": args.rate,
        "elapsed_s": elapsed,
        "setup_s": setup_seconds,
        "latency_covers": latency_covers(args.scenario),
        "ok": total.len(),
        "errors": total_errors,
        "throughput_per_s": total.len() as f64 / elapsed,
        "latency_ms": latency_json(&total),
        "operations": Value::Object(per_kind),
        "error_counts": errors_json,
        "server": server_json,
        "load_generator_cpu_s": own_cpu,
        "keys_made_in_run": keys_made_in_run,
        "email": shared.email.as_ref().map_or(Value::Null, EmailRun::json),
        "oidc": shared.oidc.as_ref().map_or(Value::Null, OidcRun::json),
        "cores": std::thread::available_parallelism().map_or(0, usize::from),
    });
    if let Some(out) = &args.out {
        std::fs::write(out, serde_json::to_vec_pretty(&result)?)
            .with_context(|| format!("write {}", out.display()))?;
    }
    drop(server);
    Ok(())
}
