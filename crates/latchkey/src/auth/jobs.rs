//! The job outbox: background work (email now; SMS and webhooks later) that must survive a
//! crash between the transaction that decides it and the moment it is done.
//!
//! A domain operation calls [`enqueue`] on its own transaction, so the job exists exactly when
//! the change that caused it commits, and then [`Notifier::notify`]s this process's [`Worker`].
//! The worker claims due jobs in small batches under a lease, runs them through the
//! [`Handler`] it was built with (a few at once), and deletes, reschedules (exponential back-off
//! with jitter) or fails each for good, telling the handler in the transaction that marks it
//! failed so that the domain can record why. It also polls, so it picks up jobs enqueued by
//! other instances and the jobs of an instance that crashed (once their leases run out).
//!
//! Delivery is at least once: a worker that stalls past its lease, or crashes after the work
//! but before deleting the row, lets another run the job again. Handlers must tolerate that (an
//! email sent twice is acceptable; a webhook carries its job id for the receiver to dedupe).
//!
//! Payloads may hold secrets (an email holds a sign-in code and a magic link): they are stored
//! sealed under the master key, bound to the job's id and kind. This module owns the rules of
//! the outbox (leases, back-off, deadlines, retention, draining); `store::jobs` only moves rows,
//! and what a job *does* belongs to the domain module that enqueues it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use rand::Rng;
use serde::{Deserialize, Serialize};
use tokio::sync::{Notify, watch};
use tokio::task::{JoinHandle, JoinSet};

use super::email::EmailPurpose;
use super::error::{Error, Result};
use super::ids::{AppId, UserId, new_id};
use super::{Auth, RequestMeta};
use crate::auth::store::jobs::{self as rows, ClaimedJob, Lease, NewJob};
use crate::auth::store::{self, Conn, Store};
use crate::clock::{Clock, Timestamp};
use crate::crypto::MasterKey;
use crate::mail::Email;

/// Failed jobs are kept this long (seconds) for inspection, then the sweeper deletes them: a
/// week covers a weekend and a holiday before someone looks.
pub const FAILED_RETENTION: i64 = 7 * 86_400;

/// A boxed future that can move between threads, the return type of [`Handler`]'s methods.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The kinds of job, with their stable names in the `kind` column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JobKind {
    Email,
}

impl JobKind {
    /// Every kind this build can run: a worker claims only these, so a kind added by a newer
    /// version waits for an instance that knows it.
    pub const ALL: [Self; 1] = [Self::Email];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
        }
    }
}

impl fmt::Display for JobKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A `kind` this build does not know.
#[derive(Debug, thiserror::Error)]
#[error("unknown job kind {0:?}")]
pub struct UnknownKind(pub String);

impl FromStr for JobKind {
    type Err = UnknownKind;

    fn from_str(text: &str) -> Result<Self, UnknownKind> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
            .ok_or_else(|| UnknownKind(text.to_owned()))
    }
}

/// A unit of background work: what to do, with everything needed to do it (the worker that
/// runs it may be another instance, after a restart).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Job {
    Email(EmailJob),
}

impl Job {
    pub fn kind(&self) -> JobKind {
        match self {
            Self::Email(_) => JobKind::Email,
        }
    }

    /// The app the work is for: deleting the app deletes its pending jobs.
    pub fn app_id(&self) -> Option<&str> {
        match self {
            Self::Email(email) => Some(email.app_id.as_str()),
        }
    }
}

/// One email to deliver, and what the audit event of its outcome needs.
#[derive(Clone, Serialize, Deserialize)]
pub struct EmailJob {
    pub app_id: AppId,
    /// The user it concerns, if there is one (an email to an unknown address has none).
    pub user_id: Option<UserId>,
    /// Why it is sent, for the event.
    pub purpose: EmailPurpose,
    /// The rendered message: it holds the code and the link, so it exists in clear only in
    /// memory.
    pub message: Email,
    /// The request that caused it, for the event.
    #[serde(default)]
    pub meta: RequestMeta,
}

/// Leaves the message out: a stray `?job` in a log line must not print a code or a link.
impl fmt::Debug for EmailJob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmailJob")
            .field("app_id", &self.app_id)
            .field("user_id", &self.user_id)
            .field("purpose", &self.purpose)
            .finish_non_exhaustive()
    }
}

/// What the seal of a job's payload is bound to: moving a payload to another row or kind makes
/// it unreadable.
fn seal_context(id: &str, kind: JobKind) -> Vec<u8> {
    format!("latchkey job {id} {kind}").into_bytes()
}

/// Adds `job` on `conn`, which should be the transaction of the change that causes it: the job
/// then exists if and only if that change commits. It is due at once and no attempt starts
/// after `deadline` (e.g. an email code's expiry); past it, or after
/// [`WorkerConfig::max_attempts`], it fails for good. Returns the job's id.
///
/// After the commit, call [`Notifier::notify`] so this process runs it at once rather than at
/// the next poll.
pub async fn enqueue(
    conn: &mut Conn<'_>,
    master_key: &MasterKey,
    job: &Job,
    now: Timestamp,
    deadline: Option<Timestamp>,
) -> Result<String> {
    let id = new_id();
    let kind = job.kind();
    let json = serde_json::to_vec(job)
        .map_err(|e| Error::Internal(format!("cannot serialize a {kind} job: {e}")))?;
    let payload = master_key.seal(&seal_context(&id, kind), &json);
    rows::insert_job(
        conn,
        &NewJob {
            id: &id,
            app_id: job.app_id(),
            kind: kind.as_str(),
            payload: &payload,
            run_at: now,
            expires_at: deadline,
            created_at: now,
        },
    )
    .await?;
    Ok(id)
}

/// Deletes jobs that failed for good more than [`FAILED_RETENTION`] ago; the sweeper calls it.
pub async fn delete_old_failed(conn: &mut Conn<'_>, now: Timestamp) -> store::Result<u64> {
    rows::delete_failed(conn, now - FAILED_RETENTION).await
}

/// Wakes this process's worker: the domain calls [`Self::notify`] after committing a
/// transaction that enqueued a job. Cheap to clone; clones wake the same worker.
#[derive(Clone, Debug, Default)]
pub struct Notifier(Arc<Notify>);

impl Notifier {
    /// Makes the worker look for due jobs now. A notification while it is busy is kept and
    /// acted on as soon as it looks again, so none is lost.
    pub fn notify(&self) {
        self.0.notify_one();
    }
}

/// Why an attempt failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobFailure {
    /// Worth trying again later (a server that did not answer, a 4xx SMTP reply).
    Retry(String),
    /// Trying again cannot help (an address the SMTP server refused for good).
    Permanent(String),
}

/// Which attempt of which job is running: a handler may pass the id on as an idempotency key.
#[derive(Clone, Debug)]
pub struct Attempt {
    pub job_id: String,
    /// 1 for the first attempt.
    pub number: i64,
}

/// A job that will not be tried again, as its handler hears of it.
#[derive(Clone, Debug)]
pub struct FailedJob {
    pub id: String,
    pub job: Job,
    /// Attempts made.
    pub attempts: i64,
    /// Why it was given up, ending with the last attempt's error; never a secret.
    pub error: String,
}

/// Runs jobs: one implementation dispatches every [`JobKind`] to its domain code.
pub trait Handler: Send + Sync + 'static {
    /// Runs one attempt. The worker stops it after [`WorkerConfig::run_timeout`] and treats
    /// that, and a panic, as [`JobFailure::Retry`].
    fn run<'a>(&'a self, job: Job, attempt: Attempt) -> BoxFuture<'a, Result<(), JobFailure>>;

    /// Hears that a job failed for good, on the transaction that marks it failed: what it
    /// writes there (e.g. an `email.delivery_failed` event) commits with that mark, or neither
    /// does and the job is given up again later. It holds a write transaction (on SQLite the
    /// one writer's): write rows, make no network calls.
    fn give_up<'a>(
        &'a self,
        conn: &'a mut Conn<'_>,
        failed: &'a FailedJob,
    ) -> BoxFuture<'a, Result<()>>;
}

/// The domain's dispatch of each kind to the module that owns it.
impl Handler for Auth {
    fn run<'a>(&'a self, job: Job, attempt: Attempt) -> BoxFuture<'a, Result<(), JobFailure>> {
        Box::pin(async move {
            match job {
                Job::Email(email) => self.email().deliver(email, &attempt).await,
            }
        })
    }

    fn give_up<'a>(
        &'a self,
        _conn: &'a mut Conn<'_>,
        failed: &'a FailedJob,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            // Each failed attempt was recorded as it happened (an email's as
            // `email.delivery_failed`); that none will follow is for the operator's log.
            tracing::error!(
                job = %failed.id,
                kind = %failed.job.kind(),
                attempts = failed.attempts,
                error = %failed.error,
                "job failed for good"
            );
            Ok(())
        })
    }
}

/// How a [`Worker`] paces itself. The defaults suit production; tests shrink the waits.
#[derive(Clone, Debug)]
pub struct WorkerConfig {
    /// Jobs run at once (and so the most claimed at once). Jobs wait on the network (an SMTP
    /// conversation takes tens of milliseconds even to a relay next door), so enough run at once
    /// to keep a few hundred emails a second flowing, and not so many that one instance takes
    /// every due job from the others.
    pub concurrency: usize,
    /// How often to look for jobs nobody notified this process of (other instances' jobs,
    /// retries falling due, a crashed instance's jobs after their leases).
    pub poll_interval: Duration,
    /// Seconds a claim holds a job. Must exceed `run_timeout` plus the time to write the
    /// outcome, or a slow attempt's job could be claimed again while it still runs.
    pub lease: i64,
    /// The longest one attempt may run.
    pub run_timeout: Duration,
    /// Seconds to wait after the first failure; each further failure doubles it...
    pub backoff_base: i64,
    /// ...up to this many seconds. Each wait is then jittered by ±20%, so jobs that failed
    /// together (an SMTP server down) do not all come back in the same second.
    pub backoff_cap: i64,
    /// Attempts after which a job fails for good even before its deadline.
    pub max_attempts: i64,
    /// How long a stopping worker waits for running jobs before it stops them too.
    pub drain_timeout: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            concurrency: 32,
            poll_interval: Duration::from_secs(1),
            // Email sends are bounded at 15 s (`mail::SEND_TIMEOUT`) and attempts at 30 s: a
            // lease of a minute leaves the outcome's write 30 s, however busy the database.
            lease: 60,
            run_timeout: Duration::from_secs(30),
            // 2, 4, 8 … 256, 300 s: ten attempts span about 13 minutes, which outlives a
            // 10-minute email code; longer-lived kinds (webhooks) give later deadlines.
            backoff_base: 2,
            backoff_cap: 300,
            max_attempts: 10,
            // Longer than one email send, shorter than an orchestrator's usual 30 s grace.
            drain_timeout: Duration::from_secs(20),
        }
    }
}

/// The nominal wait after `attempts` failed attempts, times `jitter`, in whole seconds (at
/// least one).
fn backoff(attempts: i64, base: i64, cap: i64, jitter: f64) -> i64 {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 32)).unwrap_or(32);
    let nominal = base.saturating_mul(1_i64 << doublings).min(cap);
    ((nominal as f64 * jitter).round() as i64).max(1)
}

/// Claims and runs due jobs. Build one per process with [`Worker::new`], then [`Worker::start`].
pub struct Worker {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    master_key: Arc<MasterKey>,
    clock: Clock,
    notifier: Notifier,
    handler: Arc<dyn Handler>,
    config: WorkerConfig,
    /// This worker's name in `locked_by`: unique per process start, so its leases are told
    /// apart from other instances' and from its own previous life's.
    holder: Arc<str>,
}

/// A claim on a job, owned, to move into a unit of work.
struct OwnedLease {
    holder: Arc<str>,
    attempts: i64,
}

impl OwnedLease {
    fn get(&self) -> Lease<'_> {
        Lease {
            holder: &self.holder,
            attempts: self.attempts,
        }
    }
}

/// What became of one claimed job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// Succeeded and deleted.
    Done,
    /// Failed, claimable again from this time.
    Retrying(Timestamp),
    /// Failed for good (its handler was told, if the payload could be read).
    Failed,
    /// Its lease was lost to another claim before the outcome was written: nothing written.
    LeaseLost,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::Retrying(_) => "retrying",
            Self::Failed => "failed",
            Self::LeaseLost => "lease_lost",
        }
    }
}

/// What woke the worker's loop.
#[derive(Clone, Copy)]
enum Wake {
    Notified,
    Poll,
    SlotFreed,
}

impl Worker {
    /// A worker on `store` that runs jobs through `handler`, woken by `notifier` (the one the
    /// domain pokes after enqueuing).
    pub fn new(
        store: Store,
        master_key: Arc<MasterKey>,
        clock: Clock,
        notifier: Notifier,
        handler: Arc<dyn Handler>,
        config: WorkerConfig,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                store,
                master_key,
                clock,
                notifier,
                handler,
                config,
                holder: format!("worker-{}", new_id()).into(),
            }),
        }
    }

    /// Starts claiming and running jobs in the background until [`RunningWorker::drain`].
    pub fn start(self) -> RunningWorker {
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(self.inner.run(stopped));
        RunningWorker { stop, task }
    }
}

/// A started [`Worker`].
pub struct RunningWorker {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl RunningWorker {
    /// Stops claiming, lets running jobs finish (up to [`WorkerConfig::drain_timeout`], then
    /// stops them: they count as attempted), and releases every lease this worker still holds
    /// so other instances can claim those jobs at once. Call it before closing the store.
    pub async fn drain(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.task.await {
            tracing::error!(error = %e, "the job worker panicked");
        }
    }
}

/// The server's worker: the domain's [`Handler`] on its store, key and clock, woken by the
/// notifier its operations poke.
pub fn start(auth: &Arc<Auth>) -> RunningWorker {
    Worker::new(
        auth.store.clone(),
        auth.master_key.clone(),
        auth.clock.clone(),
        auth.jobs.clone(),
        auth.clone(),
        WorkerConfig::default(),
    )
    .start()
}

impl Inner {
    /// The loop: claim as many due jobs as there are free slots whenever there may be some
    /// (notified, polled, or a full claim's slot freed), run each in its own task, and drain
    /// when told to stop.
    async fn run(self: Arc<Self>, mut stop: watch::Receiver<bool>) {
        let mut running = JoinSet::new();
        // The first look is the claim below; polls follow one interval apart.
        let period = self.config.poll_interval;
        let mut poll = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // Whether the last claim filled every free slot: then more may be due as slots free.
        let mut more_due = false;
        let mut wake = Wake::Notified;
        loop {
            let claim = match wake {
                Wake::Notified => true,
                // Usually nothing is due: look on a read connection before claiming, so that an
                // idle poll does not queue for the single SQLite writer.
                Wake::Poll => self.any_due().await,
                Wake::SlotFreed => more_due,
            };
            let free = self.config.concurrency.saturating_sub(running.len());
            if claim && free == 0 {
                more_due = true;
            } else if claim {
                match self.claim(free).await {
                    Ok(jobs) => {
                        more_due = jobs.len() == free;
                        // Stopped while claiming: leave them to the release below.
                        if !*stop.borrow() {
                            for job in jobs {
                                running.spawn(self.clone().process_logged(job));
                            }
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "claiming jobs failed"),
                }
            }
            wake = tokio::select! {
                // A dropped sender (the server gone without draining) stops the loop too.
                _ = stop.changed() => break,
                Some(_) = running.join_next(), if !running.is_empty() => Wake::SlotFreed,
                () = self.notifier.0.notified() => Wake::Notified,
                _ = poll.tick() => Wake::Poll,
            };
        }
        self.drain(running).await;
    }

    async fn drain(&self, mut running: JoinSet<()>) {
        let finished = tokio::time::timeout(self.config.drain_timeout, async {
            while running.join_next().await.is_some() {}
        })
        .await;
        if finished.is_err() {
            tracing::warn!(
                jobs = running.len(),
                "jobs still running at the drain deadline: stopped, to be tried again"
            );
            // Aborting a job's task drops its attempt's task set, which aborts the attempt.
            running.shutdown().await;
        }
        let holder = Arc::clone(&self.holder);
        let released = self
            .store
            .write(move |conn| Box::pin(async move { rows::release_leases(conn, &holder).await }))
            .await;
        match released {
            Ok(0) => {}
            Ok(n) => tracing::info!(jobs = n, "released the leases of unfinished jobs"),
            Err(e) => tracing::warn!(error = %e, "releasing job leases failed: they run out"),
        }
    }

    /// Whether any job is due, on a read connection.
    async fn any_due(&self) -> bool {
        let now = self.clock.now();
        let kinds = JobKind::ALL.map(JobKind::as_str);
        let found = async {
            let mut reader = self.store.read().await?;
            rows::any_due(&mut reader.conn(), &kinds, now).await
        }
        .await;
        // On a failed read, claim anyway: the claim reports the error.
        found.unwrap_or(true)
    }

    async fn claim(&self, limit: usize) -> store::Result<Vec<ClaimedJob>> {
        let now = self.clock.now();
        let kinds = JobKind::ALL.map(JobKind::as_str);
        let holder = Arc::clone(&self.holder);
        let until = now + self.config.lease;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.store
            .write(move |conn| {
                Box::pin(
                    async move { rows::claim_jobs(conn, &kinds, &holder, now, until, limit).await },
                )
            })
            .await
    }

    async fn process_logged(self: Arc<Self>, claimed: ClaimedJob) {
        let (id, kind) = (claimed.id.clone(), claimed.kind.clone());
        match self.process(claimed).await {
            Ok(outcome) => {
                metrics::counter!("latchkey_jobs_total", "kind" => kind, "outcome" => outcome.as_str())
                    .increment(1);
            }
            // The lease runs out and the job is claimed again.
            Err(e) => {
                tracing::warn!(job = %id, %kind, error = %e, "recording a job's outcome failed")
            }
        }
    }

    /// Runs one claimed job and records its outcome.
    async fn process(&self, claimed: ClaimedJob) -> Result<Outcome> {
        let lease = OwnedLease {
            holder: Arc::clone(&self.holder),
            attempts: claimed.attempts,
        };
        let Some(job) = self.open(&claimed) else {
            return self.fail_unreadable(&claimed, lease).await;
        };
        if let Some(error) = self.spent(&claimed) {
            return self.fail(&claimed, lease, job, error).await;
        }
        let error = match self.attempt(&claimed, job.clone()).await {
            Ok(()) => {
                let id = claimed.id.clone();
                let deleted = self
                    .store
                    .write(move |conn| {
                        Box::pin(async move { rows::delete_job(conn, &id, lease.get()).await })
                    })
                    .await?;
                return Ok(if deleted {
                    Outcome::Done
                } else {
                    Outcome::LeaseLost
                });
            }
            Err(JobFailure::Permanent(error)) => error,
            Err(JobFailure::Retry(error)) => match self.next_run(&claimed) {
                Ok(run_at) => {
                    tracing::info!(job = %claimed.id, kind = %claimed.kind, attempt = claimed.attempts, %run_at, %error, "job failed: will retry");
                    let (id, error) = (claimed.id.clone(), error.clone());
                    let updated = self
                        .store
                        .write(move |conn| {
                            Box::pin(async move {
                                rows::update_job_retry(conn, &id, lease.get(), run_at, &error).await
                            })
                        })
                        .await?;
                    return Ok(if updated {
                        Outcome::Retrying(run_at)
                    } else {
                        Outcome::LeaseLost
                    });
                }
                Err(why) => format!(
                    "{why} after {} attempts; last error: {error}",
                    claimed.attempts
                ),
            },
        };
        self.fail(&claimed, lease, job, error).await
    }

    /// Why a claimed job must not be attempted again, if it must not: its deadline passed
    /// while it waited, or its attempts ran out without reporting (their workers died).
    fn spent(&self, claimed: &ClaimedJob) -> Option<String> {
        let previous = claimed.last_error.as_deref().unwrap_or("none");
        let made = claimed.attempts - 1;
        if claimed
            .expires_at
            .is_some_and(|deadline| deadline <= self.clock.now())
        {
            Some(format!(
                "deadline passed after {made} attempts; last error: {previous}"
            ))
        } else if claimed.attempts > self.config.max_attempts {
            Some(format!(
                "{made} attempts, the last without an outcome; last error: {previous}"
            ))
        } else {
            None
        }
    }

    /// When to try a job again after its attempt failed, or why not to.
    fn next_run(&self, claimed: &ClaimedJob) -> Result<Timestamp, &'static str> {
        let config = &self.config;
        let jitter = rand::rng().random_range(0.8..=1.2);
        let run_at = self.clock.now()
            + backoff(
                claimed.attempts,
                config.backoff_base,
                config.backoff_cap,
                jitter,
            );
        if claimed.attempts >= config.max_attempts {
            Err("attempts used up")
        } else if claimed
            .expires_at
            .is_some_and(|deadline| run_at >= deadline)
        {
            Err("no attempt left before the deadline")
        } else {
            Ok(run_at)
        }
    }

    /// Fails a job whose payload does not open (damaged, or sealed under another key): no
    /// attempt could read it, and there is no job to tell the handler about.
    async fn fail_unreadable(&self, claimed: &ClaimedJob, lease: OwnedLease) -> Result<Outcome> {
        tracing::error!(job = %claimed.id, kind = %claimed.kind, "a job's payload cannot be opened: failed for good");
        let error = "the payload cannot be opened with this master key";
        let now = self.clock.now();
        let id = claimed.id.clone();
        let failed = self
            .store
            .write(move |conn| {
                Box::pin(async move {
                    rows::update_job_failed(conn, &id, lease.get(), now, error).await
                })
            })
            .await?;
        Ok(if failed {
            Outcome::Failed
        } else {
            Outcome::LeaseLost
        })
    }

    /// One attempt in a task of its own, so a panic is caught and a timeout (or a drain that
    /// gives up) really stops it: dropping the task set aborts the attempt.
    async fn attempt(&self, claimed: &ClaimedJob, job: Job) -> Result<(), JobFailure> {
        let handler = self.handler.clone();
        let attempt = Attempt {
            job_id: claimed.id.clone(),
            number: claimed.attempts,
        };
        let mut task = JoinSet::new();
        task.spawn(async move { handler.run(job, attempt).await });
        match tokio::time::timeout(self.config.run_timeout, task.join_next()).await {
            Ok(Some(Ok(result))) => result,
            Ok(Some(Err(e))) if e.is_panic() => {
                Err(JobFailure::Retry("the handler panicked".to_owned()))
            }
            Ok(_) => Err(JobFailure::Retry("the attempt was cancelled".to_owned())),
            Err(_) => Err(JobFailure::Retry(format!(
                "the attempt took longer than {} s",
                self.config.run_timeout.as_secs()
            ))),
        }
    }

    /// Marks the job failed for good and tells the handler, in one transaction.
    async fn fail(
        &self,
        claimed: &ClaimedJob,
        lease: OwnedLease,
        job: Job,
        error: String,
    ) -> Result<Outcome> {
        tracing::warn!(job = %claimed.id, kind = %claimed.kind, %error, "job failed for good");
        let now = self.clock.now();
        let handler = Arc::clone(&self.handler);
        let failed = FailedJob {
            id: claimed.id.clone(),
            job,
            attempts: claimed.attempts,
            error,
        };
        self.store
            .write(move |tx| {
                Box::pin(async move {
                    let lease = lease.get();
                    if !rows::update_job_failed(tx, &failed.id, lease, now, &failed.error).await? {
                        return Ok(Outcome::LeaseLost);
                    }
                    handler.give_up(tx, &failed).await?;
                    Ok(Outcome::Failed)
                })
            })
            .await
    }

    /// The job in a claimed row, if its payload opens and parses as its kind.
    fn open(&self, claimed: &ClaimedJob) -> Option<Job> {
        let kind = JobKind::from_str(&claimed.kind).ok()?;
        let json = self
            .master_key
            .open(&seal_context(&claimed.id, kind), &claimed.payload)?;
        let job: Job = serde_json::from_slice(&json).ok()?;
        (job.kind() == kind).then_some(job)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

    use std::collections::{HashMap, HashSet};
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    use serde_json::json;

    use super::*;
    use crate::auth::events;
    use crate::auth::store::apps;
    use crate::auth::store::testing::{TestDatabase, databases};

    const KEY: [u8; 32] = [7; 32];

    fn key() -> MasterKey {
        MasterKey::from_bytes(KEY)
    }

    /// The settings of a test worker: no polling unless a test asks for it.
    fn config() -> WorkerConfig {
        WorkerConfig {
            poll_interval: Duration::from_secs(3600),
            run_timeout: Duration::from_secs(5),
            drain_timeout: Duration::from_secs(5),
            ..WorkerConfig::default()
        }
    }

    /// An email job told apart by its subject; its text holds a code and a link token.
    fn email(tag: &str) -> Job {
        Job::Email(EmailJob {
            app_id: AppId::from("app".to_owned()),
            user_id: Some(UserId::from("user-1".to_owned())),
            purpose: EmailPurpose::SignIn,
            message: Email {
                from_name: "App".to_owned(),
                to: "ann@example.com".to_owned(),
                subject: tag.to_owned(),
                text: "Your code is 493817, or open https://id.example/magic?token=lk_ml_Zm9vYmFy"
                    .to_owned(),
                html: "<p>493817</p>".to_owned(),
            },
            meta: RequestMeta {
                ip: Some("203.0.113.9".to_owned()),
                user_agent: Some("unit test".to_owned()),
            },
        })
    }

    fn tag(job: &Job) -> String {
        let Job::Email(email) = job;
        email.message.subject.clone()
    }

    /// A store on a fresh database with the app the jobs belong to.
    async fn store_with_app(database: &TestDatabase) -> Store {
        let store = database.connect().await;
        let app = crate::auth::apps::test_app("app");
        store
            .write(move |conn| Box::pin(async move { apps::insert_app(conn, &app).await }))
            .await
            .unwrap();
        store
    }

    /// Enqueues `job` in a transaction of its own and commits it.
    async fn add(store: &Store, clock: &Clock, job: &Job, deadline: Option<i64>) -> String {
        let (job, now) = (job.clone(), clock.now());
        store
            .write(move |tx| {
                Box::pin(async move { enqueue(tx, &key(), &job, now, deadline).await })
            })
            .await
            .unwrap()
    }

    async fn row(store: &Store, id: &str) -> Option<rows::JobRow> {
        let mut reader = store.read().await.unwrap();
        rows::find_job(&mut reader.conn(), id).await.unwrap()
    }

    async fn all_rows(store: &Store) -> Vec<rows::JobRow> {
        let mut reader = store.read().await.unwrap();
        rows::list_jobs(&mut reader.conn()).await.unwrap()
    }

    type Behaviour =
        dyn Fn(&str, &Attempt) -> BoxFuture<'static, Result<(), JobFailure>> + Send + Sync;

    /// A handler that does what `behave` says for each job (by tag) and remembers what it saw.
    /// Giving up records an `email.delivery_failed` event on the worker's transaction, as the
    /// domain's handler will.
    struct Recorder {
        behave: Box<Behaviour>,
        /// (tag, attempt number) of every attempt started.
        runs: Mutex<Vec<(String, i64)>>,
        gave_up: Mutex<Vec<FailedJob>>,
        /// Makes the next give-up write its event and then fail.
        refuse_give_up: AtomicBool,
    }

    impl Recorder {
        fn new(
            behave: impl Fn(&str, &Attempt) -> BoxFuture<'static, Result<(), JobFailure>>
            + Send
            + Sync
            + 'static,
        ) -> Arc<Self> {
            Arc::new(Self {
                behave: Box::new(behave),
                runs: Mutex::default(),
                gave_up: Mutex::default(),
                refuse_give_up: AtomicBool::new(false),
            })
        }

        /// Every job succeeds at once.
        fn ok() -> Arc<Self> {
            Self::new(|_, _| Box::pin(async { Ok(()) }))
        }

        fn runs(&self) -> Vec<(String, i64)> {
            self.runs.lock().unwrap().clone()
        }

        fn gave_up(&self) -> Vec<FailedJob> {
            self.gave_up.lock().unwrap().clone()
        }
    }

    impl Handler for Recorder {
        fn run<'a>(&'a self, job: Job, attempt: Attempt) -> BoxFuture<'a, Result<(), JobFailure>> {
            let tag = tag(&job);
            self.runs
                .lock()
                .unwrap()
                .push((tag.clone(), attempt.number));
            (self.behave)(&tag, &attempt)
        }

        fn give_up<'a>(
            &'a self,
            conn: &'a mut Conn<'_>,
            failed: &'a FailedJob,
        ) -> BoxFuture<'a, Result<()>> {
            Box::pin(async move {
                let Job::Email(email) = &failed.job;
                let data = events::data([
                    ("purpose", json!(email.purpose)),
                    ("error", json!(failed.error)),
                ]);
                events::record(
                    conn,
                    &email.app_id,
                    events::EventKind::EmailDeliveryFailed,
                    email.user_id.as_ref(),
                    &email.meta,
                    data,
                    1,
                )
                .await?;
                if self.refuse_give_up.swap(false, Ordering::SeqCst) {
                    return Err(Error::Internal("refused".to_owned()));
                }
                self.gave_up.lock().unwrap().push(failed.clone());
                Ok(())
            })
        }
    }

    fn worker(
        store: &Store,
        clock: &Clock,
        handler: &Arc<Recorder>,
        config: WorkerConfig,
    ) -> Worker {
        Worker::new(
            store.clone(),
            Arc::new(key()),
            clock.clone(),
            Notifier::default(),
            handler.clone(),
            config,
        )
    }

    /// Claims what is due and runs it to the end, as one turn of the loop would.
    async fn run_due(worker: &Worker) -> Vec<Outcome> {
        let claimed = worker
            .inner
            .claim(worker.inner.config.concurrency)
            .await
            .unwrap();
        let mut outcomes = Vec::new();
        for job in claimed {
            outcomes.push(worker.inner.process(job).await.unwrap());
        }
        outcomes
    }

    async fn delivery_failed_events(store: &Store) -> usize {
        let mut reader = store.read().await.unwrap();
        let filter = events::EventFilter {
            kind: Some(events::EventKind::EmailDeliveryFailed),
            ..events::EventFilter::default()
        };
        let app_id = AppId::from("app".to_owned());
        let events = store::events::list_events(&mut reader.conn(), &app_id, &filter, 100)
            .await
            .unwrap();
        events.len()
    }

    /// Waits (up to 20 s) until `done` holds.
    async fn until(what: &str, done: impl Fn() -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        while !done() {
            assert!(
                tokio::time::Instant::now() < deadline,
                "timed out waiting for {what}"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    #[test]
    fn backoff_doubles_up_to_its_cap_with_bounded_jitter() {
        let nominal: Vec<i64> = (1..=11).map(|n| backoff(n, 2, 300, 1.0)).collect();
        assert_eq!(nominal, [2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
        assert_eq!(backoff(5, 2, 300, 0.8), 26);
        assert_eq!(backoff(5, 2, 300, 1.2), 38);
        assert_eq!(backoff(1, 2, 300, 0.8), 2, "rounded, never below a second");
        assert_eq!(backoff(1, 1, 300, 0.2), 1);
        assert_eq!(backoff(i64::MAX, 2, 300, 1.2), 360, "no overflow");
        assert_eq!(backoff(0, 2, 300, 1.0), 2);
    }

    #[test]
    fn kinds_have_stable_names() {
        for kind in JobKind::ALL {
            assert_eq!(kind.as_str().parse::<JobKind>().unwrap(), kind);
        }
        assert_eq!(JobKind::Email.as_str(), "email");
        assert!("sms".parse::<JobKind>().is_err());
        assert!(
            !format!("{:?}", email("t")).contains("493817"),
            "Debug leaves the message out"
        );
    }

    /// A job exists only if the transaction that enqueued it commits; a committed one runs
    /// once and is deleted.
    #[tokio::test]
    async fn only_committed_jobs_run_and_only_once() {
        for database in databases().await {
            let store = store_with_app(&database).await;
            let clock = Clock::system();
            let now = clock.now();
            let rolled_back: Result<()> = store
                .write(move |tx| {
                    Box::pin(async move {
                        enqueue(tx, &key(), &email("rolled back"), now, None).await?;
                        Err(Error::Internal("rolled back".to_owned()))
                    })
                })
                .await;
            assert!(rolled_back.is_err());
            let id = add(&store, &clock, &email("committed"), None).await;

            let handler = Recorder::ok();
            let worker = worker(&store, &clock, &handler, config());
            assert_eq!(run_due(&worker).await, [Outcome::Done]);
            assert_eq!(handler.runs(), [("committed".to_owned(), 1)]);
            assert!(row(&store, &id).await.is_none(), "deleted when done");
            clock.advance(3600);
            assert_eq!(run_due(&worker).await, []);
            assert_eq!(handler.runs().len(), 1);
            assert!(all_rows(&store).await.is_empty());
            store.close().await;
            database.drop().await;
        }
    }

    /// A notified worker runs a new job at once (its poll is an hour away); a worker nobody
    /// notifies finds it by polling.
    #[tokio::test]
    async fn notified_workers_run_at_once_and_polling_ones_soon() {
        for database in databases().await {
            let store = store_with_app(&database).await;
            let clock = Clock::system();
            let handler = Recorder::ok();
            let notified = worker(&store, &clock, &handler, config());
            let notifier = notified.inner.notifier.clone();
            let running = notified.start();
            // Past the worker's first look, so only the notification can bring it back.
            tokio::time::sleep(Duration::from_millis(200)).await;
            add(&store, &clock, &email("notified"), None).await;
            notifier.notify();
            until("the notified job", || handler.runs().len() == 1).await;
            running.drain().await;

            let polling = worker(
                &store,
                &clock,
                &handler,
                WorkerConfig {
                    poll_interval: Duration::from_millis(50),
                    ..config()
                },
            )
            .start();
            tokio::time::sleep(Duration::from_millis(200)).await;
            add(&store, &clock, &email("polled"), None).await;
            until("the polled job", || handler.runs().len() == 2).await;
            polling.drain().await;
            let tags: Vec<String> = handler.runs().into_iter().map(|(t, _)| t).collect();
            assert_eq!(tags, ["notified", "polled"]);
            assert!(all_rows(&store).await.is_empty());
            store.close().await;
            database.drop().await;
        }
    }

    /// Claimers on two stores (two instances) racing over the same jobs never both get one.
    #[tokio::test]
    async fn racing_claims_never_share_a_job() {
        for database in databases().await {
            let (one, two) = (store_with_app(&database).await, database.connect().await);
            let clock = Clock::system();
            let mut ids = HashSet::new();
            for i in 0..200 {
                ids.insert(add(&one, &clock, &email(&format!("job {i}")), None).await);
            }
            let mut claimers = JoinSet::new();
            for claimer in 0..8 {
                let store = if claimer % 2 == 0 {
                    one.clone()
                } else {
                    two.clone()
                };
                let now = clock.now();
                claimers.spawn(async move {
                    let holder = format!("claimer-{claimer}");
                    let mut mine = Vec::new();
                    loop {
                        let holder = holder.clone();
                        let claimed = store
                            .write(move |conn| {
                                Box::pin(async move {
                                    let kinds = ["email"];
                                    rows::claim_jobs(conn, &kinds, &holder, now, now + 60, 7).await
                                })
                            })
                            .await
                            .unwrap();
                        // Empty, or more than there are jobs: claims are overlapping.
                        if claimed.is_empty() || mine.len() > 200 {
                            return mine;
                        }
                        mine.extend(claimed.into_iter().map(|job| job.id));
                    }
                });
            }
            let mut claimed = Vec::new();
            while let Some(mine) = claimers.join_next().await {
                claimed.extend(mine.unwrap());
            }
            assert_eq!(claimed.len(), 200, "each job claimed once");
            assert_eq!(claimed.into_iter().collect::<HashSet<_>>(), ids);
            one.close().await;
            two.close().await;
            database.drop().await;
        }
    }

    /// Two workers on two stores, running jobs a few at a time, run each job exactly once and
    /// never one job twice at the same time.
    #[tokio::test]
    async fn racing_workers_run_each_job_exactly_once() {
        for database in databases().await {
            let (one, two) = (store_with_app(&database).await, database.connect().await);
            let clock = Clock::system();
            let running_now = Arc::new(Mutex::new(HashSet::<String>::new()));
            let overlaps = Arc::new(AtomicUsize::new(0));
            let handler = {
                let (running_now, overlaps) = (running_now.clone(), overlaps.clone());
                Recorder::new(move |tag, _| {
                    let (running_now, overlaps, tag) =
                        (running_now.clone(), overlaps.clone(), tag.to_owned());
                    Box::pin(async move {
                        if !running_now.lock().unwrap().insert(tag.clone()) {
                            overlaps.fetch_add(1, Ordering::SeqCst);
                        }
                        tokio::time::sleep(Duration::from_millis(2)).await;
                        running_now.lock().unwrap().remove(&tag);
                        Ok(())
                    })
                })
            };
            let fast = WorkerConfig {
                poll_interval: Duration::from_millis(20),
                ..config()
            };
            const JOBS: usize = 100;
            for i in 0..JOBS {
                add(&one, &clock, &email(&format!("job {i}")), None).await;
            }
            let first = worker(&one, &clock, &handler, fast.clone()).start();
            let second = worker(&two, &clock, &handler, fast).start();
            until("every job", || handler.runs().len() >= JOBS).await;
            // Room for a duplicate run to show up.
            tokio::time::sleep(Duration::from_millis(300)).await;
            first.drain().await;
            second.drain().await;
            let mut counts = HashMap::<String, usize>::new();
            for (tag, attempt) in handler.runs() {
                assert_eq!(attempt, 1, "{tag} ran on its first claim");
                *counts.entry(tag).or_default() += 1;
            }
            assert_eq!(counts.len(), JOBS);
            assert!(counts.values().all(|&n| n == 1), "{counts:?}");
            assert_eq!(overlaps.load(Ordering::SeqCst), 0);
            assert!(all_rows(&one).await.is_empty());
            one.close().await;
            two.close().await;
            database.drop().await;
        }
    }

    /// A failing job comes back after 2, 4, 8 … seconds (±20%), not before, with its error
    /// and attempts recorded and its lease released.
    #[tokio::test]
    async fn a_failing_job_backs_off_exponentially() {
        for database in databases().await {
            let store = store_with_app(&database).await;
            let clock = Clock::system();
            let handler = Recorder::new(|_, _| {
                Box::pin(async { Err(JobFailure::Retry("SMTP server down".to_owned())) })
            });
            let worker = worker(&store, &clock, &handler, config());
            let id = add(&store, &clock, &email("flaky"), None).await;
            for attempt in 1..=7 {
                let before = clock.now();
                let outcomes = run_due(&worker).await;
                let after = clock.now();
                let [Outcome::Retrying(run_at)] = outcomes[..] else {
                    panic!("attempt {attempt}: {outcomes:?}");
                };
                // The wait is the nominal back-off jittered by at most 20%, counted from the
                // moment of the failure (between `before` and `after`).
                let nominal = [2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0][attempt as usize - 1];
                let (shortest, longest) = (
                    (nominal * 0.8_f64).round() as i64,
                    (nominal * 1.2_f64).round() as i64,
                );
                assert!(
                    run_at >= before + shortest && run_at <= after + longest,
                    "attempt {attempt}: due in {} s, expected {shortest}..={longest}",
                    run_at - before
                );
                let stored = row(&store, &id).await.unwrap();
                assert_eq!(stored.attempts, attempt);
                assert_eq!(stored.run_at, run_at);
                assert_eq!(stored.last_error.as_deref(), Some("SMTP server down"));
                assert_eq!((stored.locked_by, stored.locked_until), (None, None));
                assert_eq!(stored.failed_at, None);
                assert_eq!(run_due(&worker).await, [], "not claimed before its time");
                clock.advance(run_at - clock.now());
            }
            let attempts: Vec<i64> = handler.runs().into_iter().map(|(_, n)| n).collect();
            assert_eq!(attempts, [1, 2, 3, 4, 5, 6, 7]);
            store.close().await;
            database.drop().await;
        }
    }

    /// A claimer that dies holding a job blocks it only until its lease runs out; if it comes
    /// back late, its outcome changes nothing.
    #[tokio::test]
    async fn an_expired_lease_is_claimed_again() {
        for database in databases().await {
            let store = store_with_app(&database).await;
            let clock = Clock::system();
            let handler = Recorder::ok();
            let crashed = worker(&store, &clock, &handler, config());
            let survivor = worker(&store, &clock, &handler, config());
            let id = add(&store, &clock, &email("orphan"), None).await;
            let held = crashed.inner.claim(4).await.unwrap();
            assert_eq!(held.len(), 1);
            let leased = row(&store, &id).await.unwrap();
            assert_eq!(leased.locked_by.as_deref(), Some(&*crashed.inner.holder));
            assert!(leased.locked_until.unwrap() >= clock.now() + 59);

            assert_eq!(run_due(&survivor).await, [], "leased");
            clock.advance(30);
            assert_eq!(run_due(&survivor).await, [], "still leased");
            clock.advance(31);
            let retaken = survivor.inner.claim(4).await.unwrap();
            assert_eq!(retaken.len(), 1);
            assert_eq!(retaken[0].attempts, 2, "the lost attempt counts");

            // The first claimer wakes up and finishes: its delete is fenced off.
            let late = held.into_iter().next().unwrap();
            assert_eq!(
                crashed.inner.process(late).await.unwrap(),
                Outcome::LeaseLost
            );
            assert!(row(&store, &id).await.is_some());
            let retaken = retaken.into_iter().next().unwrap();
            assert_eq!(
                survivor.inner.process(retaken).await.unwrap(),
                Outcome::Done
            );
            assert!(row(&store, &id).await.is_none());
            store.close().await;
            database.drop().await;
        }
    }

    /// A job fails for good at the attempt cap, at once on a permanent failure, and at its
    /// deadline (before or between attempts); the handler hears of each in the transaction
    /// that marks it, and the sweeper deletes them after the retention period.
    #[tokio::test]
    async fn jobs_fail_for_good_and_the_handler_hears_of_it() {
        for database in databases().await {
            let store = store_with_app(&database).await;
            let clock = Clock::system();
            let handler = Recorder::new(|tag, _| {
                let failure = if tag == "refused" {
                    JobFailure::Permanent("550 no such user".to_owned())
                } else {
                    JobFailure::Retry("SMTP server down".to_owned())
                };
                Box::pin(async move { Err(failure) })
            });
            let worker = worker(
                &store,
                &clock,
                &handler,
                WorkerConfig {
                    max_attempts: 3,
                    ..config()
                },
            );

            // The attempt cap.
            let capped = add(&store, &clock, &email("capped"), None).await;
            for _ in 0..2 {
                assert!(matches!(run_due(&worker).await[..], [Outcome::Retrying(_)]));
                clock.advance(10);
            }
            assert_eq!(run_due(&worker).await, [Outcome::Failed]);
            let failed = handler.gave_up();
            assert_eq!(failed.len(), 1);
            assert_eq!(
                (tag(&failed[0].job), failed[0].attempts),
                ("capped".to_owned(), 3)
            );
            assert!(
                failed[0].error.contains("attempts used up"),
                "{}",
                failed[0].error
            );
            assert!(failed[0].error.contains("SMTP server down"));
            let stored = row(&store, &capped).await.unwrap();
            assert!(stored.failed_at.is_some());
            assert_eq!((stored.locked_by, stored.locked_until), (None, None));
            clock.advance(3600);
            assert_eq!(run_due(&worker).await, [], "never claimed again");

            // A permanent failure.
            add(&store, &clock, &email("refused"), None).await;
            assert_eq!(run_due(&worker).await, [Outcome::Failed]);
            let failed = handler.gave_up();
            assert_eq!(
                (tag(&failed[1].job), failed[1].attempts),
                ("refused".to_owned(), 1)
            );
            assert_eq!(failed[1].error, "550 no such user");

            // A deadline passed before the first attempt: given up without running.
            let deadline = clock.now() + 5;
            let late = add(&store, &clock, &email("late"), Some(deadline)).await;
            assert_eq!(row(&store, &late).await.unwrap().expires_at, Some(deadline));
            clock.advance(10);
            assert_eq!(run_due(&worker).await, [Outcome::Failed]);
            assert!(!handler.runs().iter().any(|(t, _)| t == "late"));
            let failed = handler.gave_up();
            assert_eq!(tag(&failed[2].job), "late");
            assert!(failed[2].error.contains("deadline"), "{}", failed[2].error);

            // A deadline that the next back-off would pass: given up after the attempt before.
            add(&store, &clock, &email("short"), Some(clock.now() + 4)).await;
            assert!(matches!(run_due(&worker).await[..], [Outcome::Retrying(_)]));
            clock.advance(2);
            assert_eq!(run_due(&worker).await, [Outcome::Failed]);
            let failed = handler.gave_up();
            assert_eq!(
                (tag(&failed[3].job), failed[3].attempts),
                ("short".to_owned(), 2)
            );
            assert!(
                failed[3].error.contains("before the deadline"),
                "{}",
                failed[3].error
            );

            // Each give-up wrote its event in the transaction that marked the job.
            assert_eq!(delivery_failed_events(&store).await, 4);

            let delete = |now| {
                store.write(move |conn| Box::pin(async move { delete_old_failed(conn, now).await }))
            };
            assert_eq!(delete(clock.now()).await.unwrap(), 0);
            clock.advance(FAILED_RETENTION + 1);
            assert_eq!(delete(clock.now()).await.unwrap(), 4);
            assert!(all_rows(&store).await.is_empty());
            store.close().await;
            database.drop().await;
        }
    }

    /// A give-up whose handler fails rolls back with the failure mark: the job is given up
    /// again after its lease, and the event is written once.
    #[tokio::test]
    async fn a_failed_give_up_is_tried_again() {
        for database in databases().await {
            let store = store_with_app(&database).await;
            let clock = Clock::system();
            let handler = Recorder::new(|_, _| {
                Box::pin(async { Err(JobFailure::Permanent("550 no such user".to_owned())) })
            });
            handler.refuse_give_up.store(true, Ordering::SeqCst);
            let worker = worker(&store, &clock, &handler, config());
            let id = add(&store, &clock, &email("refused"), None).await;
            let claimed = worker.inner.claim(4).await.unwrap().pop().unwrap();
            assert!(worker.inner.process(claimed).await.is_err());
            let stored = row(&store, &id).await.unwrap();
            assert_eq!(
                stored.failed_at, None,
                "rolled back with the handler's writes"
            );
            assert_eq!(delivery_failed_events(&store).await, 0);
            assert_eq!(
                run_due(&worker).await,
                [],
                "leased until the lease runs out"
            );
            clock.advance(61);
            assert_eq!(run_due(&worker).await, [Outcome::Failed]);
            assert_eq!(handler.gave_up().len(), 1);
            assert_eq!(delivery_failed_events(&store).await, 1);
            assert!(row(&store, &id).await.unwrap().failed_at.is_some());
            store.close().await;
            database.drop().await;
        }
    }

    /// Draining stops claiming, waits for a running job, stops one that outlasts the drain
    /// timeout, and hands its job back at once; a due job that was never claimed stays due.
    #[tokio::test]
    async fn drain_waits_for_running_jobs_and_hands_back_the_rest() {
        for database in databases().await {
            let store = store_with_app(&database).await;
            let clock = Clock::system();
            let stopped = Arc::new(AtomicBool::new(false));
            let finished = Arc::new(AtomicBool::new(false));
            let handler = {
                let (stopped, finished) = (stopped.clone(), finished.clone());
                Recorder::new(move |tag, _| {
                    let (stopped, finished) = (stopped.clone(), finished.clone());
                    let tag = tag.to_owned();
                    Box::pin(async move {
                        match tag.as_str() {
                            "slow" => {
                                tokio::time::sleep(Duration::from_millis(300)).await;
                                finished.store(true, Ordering::SeqCst);
                            }
                            "stuck" => {
                                // Sets `stopped` when the worker drops the attempt.
                                struct OnDrop(Arc<AtomicBool>);
                                impl Drop for OnDrop {
                                    fn drop(&mut self) {
                                        self.0.store(true, Ordering::SeqCst);
                                    }
                                }
                                let _guard = OnDrop(stopped);
                                std::future::pending::<()>().await;
                            }
                            _ => {}
                        }
                        Ok(())
                    })
                })
            };
            let slow = add(&store, &clock, &email("slow"), None).await;
            let stuck = add(&store, &clock, &email("stuck"), None).await;
            let config = WorkerConfig {
                concurrency: 2,
                drain_timeout: Duration::from_secs(1),
                ..config()
            };
            let started = worker(&store, &clock, &handler, config.clone());
            let notifier = started.inner.notifier.clone();
            let running = started.start();
            until("both jobs to start", || handler.runs().len() == 2).await;
            let waiting = add(&store, &clock, &email("waiting"), None).await;
            notifier.notify();
            let draining = tokio::time::Instant::now();
            running.drain().await;
            let took = draining.elapsed();
            assert!(
                took >= Duration::from_millis(900) && took < Duration::from_secs(5),
                "{took:?}"
            );

            assert!(finished.load(Ordering::SeqCst), "the running job finished");
            assert!(row(&store, &slow).await.is_none(), "and was deleted");
            assert!(
                stopped.load(Ordering::SeqCst),
                "the stuck attempt was stopped"
            );
            let handed_back = row(&store, &stuck).await.unwrap();
            assert_eq!(
                (handed_back.locked_by, handed_back.locked_until),
                (None, None)
            );
            assert_eq!((handed_back.attempts, handed_back.failed_at), (1, None));
            let untouched = row(&store, &waiting).await.unwrap();
            assert_eq!((untouched.attempts, untouched.locked_by), (0, None));
            assert_eq!(
                handler.runs().len(),
                2,
                "nothing claimed while full or draining"
            );

            // Another instance takes both at once, without waiting for a lease.
            let other = Recorder::ok();
            let next = worker(&store, &clock, &other, config);
            assert_eq!(run_due(&next).await, [Outcome::Done, Outcome::Done]);
            let tags: HashSet<String> = other.runs().into_iter().map(|(t, _)| t).collect();
            assert_eq!(
                tags,
                HashSet::from(["stuck".to_owned(), "waiting".to_owned()])
            );
            store.close().await;
            database.drop().await;
        }
    }

    /// The payload is sealed: the row holds neither the code, the link, the address nor the
    /// subject, and a payload moved to another row cannot be opened there (that job fails for
    /// good without running). A kind this build does not know is left for one that does.
    #[tokio::test]
    async fn payloads_are_sealed_to_their_row() {
        for database in databases().await {
            let store = store_with_app(&database).await;
            let clock = Clock::system();
            let job = email("Your sign-in code");
            let id = add(&store, &clock, &job, None).await;
            let stored = row(&store, &id).await.unwrap();
            assert_eq!(
                (stored.id.as_str(), stored.kind.as_str()),
                (id.as_str(), "email")
            );
            assert!(stored.created_at <= clock.now() && stored.run_at == stored.created_at);
            assert_eq!(stored.expires_at, None);
            assert_eq!(stored.app_id.as_deref(), Some("app"));
            for clear in [
                &b"493817"[..],
                b"lk_ml_Zm9vYmFy",
                b"ann@example.com",
                b"sign-in code",
                b"203.0.113.9",
            ] {
                assert!(
                    !stored.payload.windows(clear.len()).any(|w| w == clear),
                    "{} in clear",
                    String::from_utf8_lossy(clear)
                );
            }
            let opened = key()
                .open(&seal_context(&id, JobKind::Email), &stored.payload)
                .unwrap();
            let opened: Job = serde_json::from_slice(&opened).unwrap();
            assert_eq!(tag(&opened), "Your sign-in code");
            assert!(
                key()
                    .open(&seal_context("another", JobKind::Email), &stored.payload)
                    .is_none()
            );
            assert!(
                MasterKey::from_bytes([8; 32])
                    .open(&seal_context(&id, JobKind::Email), &stored.payload)
                    .is_none()
            );

            // Another job's payload copied onto a row: unreadable there.
            let moved = add(&store, &clock, &email("other"), None).await;
            let (payload, now) = (stored.payload.clone(), clock.now());
            let (id_gone, moved_id) = (id.clone(), moved.clone());
            store
                .write(move |conn| {
                    Box::pin(async move {
                        conn.execute(
                            "update jobs set payload = $1 where id = $2",
                            crate::auth::store::params![&payload, &moved_id],
                        )
                        .await?;
                        conn.execute(
                            "delete from jobs where id = $1",
                            crate::auth::store::params![&id_gone],
                        )
                        .await?;
                        // A kind from a newer version.
                        rows::insert_job(
                            conn,
                            &NewJob {
                                id: "from-the-future",
                                app_id: Some("app"),
                                kind: "sms",
                                payload: b"sealed elsewhere",
                                run_at: now,
                                expires_at: None,
                                created_at: now,
                            },
                        )
                        .await
                    })
                })
                .await
                .unwrap();
            let handler = Recorder::ok();
            let worker = worker(&store, &clock, &handler, config());
            assert_eq!(run_due(&worker).await, [Outcome::Failed]);
            assert!(handler.runs().is_empty() && handler.gave_up().is_empty());
            let moved = row(&store, &moved).await.unwrap();
            assert!(moved.failed_at.is_some());
            assert!(moved.last_error.unwrap().contains("cannot be opened"));
            let future = row(&store, "from-the-future").await.unwrap();
            assert_eq!(
                (future.attempts, future.locked_by),
                (0, None),
                "never claimed"
            );
            assert!(!worker.inner.any_due().await);
            store.close().await;
            database.drop().await;
        }
    }
}
