//! The `email` scenario: one email-code sign-in as a person lives it. Ask for a code
//! (`POST /apps/{app}/otp/email`), receive the email on this generator's [`SmtpSink`] (however
//! the server delivers it: from its job outbox or straight from the request), and redeem the
//! code (`POST /apps/{app}/sessions`). The operation's latency covers all three.
//!
//! The server's limits stay as they are, so the generator keeps to them (API.md, "Email codes
//! and links"): per address one email per 30 s and five per hour; per client IP 30 email
//! requests and 60 redemptions a minute. The users are made in the setup phase with the app's
//! API key, and each operation takes the user and the loopback source address (127.1.0.1,
//! 127.1.0.2, …: Linux routes all of 127.0.0.0/8 to `lo`) used longest ago, and only once the
//! server's window lets it be used again, with a margin for the whole seconds the server counts
//! in and for queueing. The source address is that of a client made for the one operation (its
//! own connection, as one person's browser has). When the pools are too small for the pace, a
//! worker waits for the next allowed slot outside the measured latency; the run then measures
//! the pools rather than the server, and the report says so.

use std::collections::VecDeque;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, anyhow, bail};
use serde_json::{Value, json};

use crate::latchkey::Latchkey;
use crate::smtp::SmtpSink;
use crate::target::{Failure, Target};

/// How long a worker waits for the email after the server accepted the request: the outbox
/// retries a failed delivery with growing back-off, so a lost email shows up as this.
const EMAIL_TIMEOUT: Duration = Duration::from_secs(30);

/// The timeout of each request of an operation.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// Added to every window of the server's: it counts in whole seconds, and may count a request
/// after it waited in a queue.
const MARGIN_S: u64 = 2;

/// Per address: one email per 30 s, five per hour.
const USER_RULES: [Rule; 2] = [
    Rule {
        uses: 1,
        window: Duration::from_secs(30 + MARGIN_S),
    },
    Rule {
        uses: 5,
        window: Duration::from_secs(3600 + MARGIN_S),
    },
];

/// Per client IP: 30 email requests a minute. Each operation also redeems one code, so this keeps
/// redemptions under their own 60 a minute too.
const SOURCE_RULES: [Rule; 1] = [Rule {
    uses: 30,
    window: Duration::from_secs(60 + MARGIN_S),
}];

/// At most `uses` uses of one slot in any `window`.
#[derive(Clone, Copy, Debug)]
struct Rule {
    uses: usize,
    window: Duration,
}

/// A pool of things the server limits the use of (users, source addresses), handed out least
/// recently used first, each with the earliest moment its rules allow its next use.
struct Slots<T> {
    rules: &'static [Rule],
    /// Uses remembered per slot: as many as the largest rule counts.
    keep: usize,
    /// Least recently taken first.
    queue: Mutex<VecDeque<Slot<T>>>,
}

struct Slot<T> {
    item: T,
    /// When it was used, oldest first.
    uses: VecDeque<Instant>,
}

/// A slot out of its pool, until [`Slots::put_back`] records its use.
struct Taken<T> {
    slot: Slot<T>,
    /// The earliest its rules allow it to be used.
    ready_at: Instant,
}

impl<T> Slots<T> {
    fn new(items: impl IntoIterator<Item = T>, rules: &'static [Rule]) -> Self {
        Self {
            rules,
            keep: rules.iter().map(|r| r.uses).max().unwrap_or(0),
            queue: Mutex::new(
                items
                    .into_iter()
                    .map(|item| Slot {
                        item,
                        uses: VecDeque::new(),
                    })
                    .collect(),
            ),
        }
    }

    fn queue(&self) -> std::sync::MutexGuard<'_, VecDeque<Slot<T>>> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn len(&self) -> usize {
        self.queue().len()
    }

    /// The slot used longest ago, or `None` if every slot is out.
    fn take(&self, now: Instant) -> Option<Taken<T>> {
        let slot = self.queue().pop_front()?;
        let ready_at = self
            .rules
            .iter()
            .filter_map(|rule| {
                // The `uses`-th most recent use decides when the window has room again.
                let n = slot.uses.len();
                (n >= rule.uses && rule.uses > 0).then(|| slot.uses[n - rule.uses] + rule.window)
            })
            .fold(now, Instant::max);
        Some(Taken { slot, ready_at })
    }

    /// Records the use of a taken slot at `at` and returns it to the back of the queue.
    fn put_back(&self, taken: Taken<T>, at: Instant) {
        let mut slot = taken.slot;
        slot.uses.push_back(at);
        while slot.uses.len() > self.keep {
            slot.uses.pop_front();
        }
        self.queue().push_back(slot);
    }
}

/// Waits for a pool, outside the measured latency.
#[derive(Default)]
struct Waits {
    count: AtomicU64,
    micros: AtomicU64,
}

impl Waits {
    fn add(&self, wait: Duration) {
        self.count.fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(wait.as_micros()).unwrap_or(u64::MAX);
        self.micros.fetch_add(micros, Ordering::Relaxed);
    }

    fn json(&self) -> Value {
        json!({
            "count": self.count.load(Ordering::Relaxed),
            "seconds": self.micros.load(Ordering::Relaxed) as f64 / 1e6,
        })
    }
}

/// The time one operation spent in each of its steps.
pub struct Steps {
    /// `POST otp/email`, until its answer.
    pub request: Duration,
    /// From that answer until the code was read from the email.
    pub delivery: Duration,
    /// `POST sessions`, until its answer.
    pub redeem: Duration,
}

/// Names of [`Steps`], in order.
pub const STEPS: [&str; 3] = ["request", "delivery", "redeem"];

impl Steps {
    pub fn durations(&self) -> [Duration; 3] {
        [self.request, self.delivery, self.redeem]
    }
}

/// What the workers of an `email` run share.
pub struct EmailRun {
    sink: SmtpSink,
    users: Slots<String>,
    sources: Slots<IpAddr>,
    first_source: IpAddr,
    last_source: IpAddr,
    user_waits: Waits,
    source_waits: Waits,
}

impl EmailRun {
    /// The run's pools: `users` (existing addresses) and `source_addresses` loopback addresses.
    pub fn new(sink: SmtpSink, users: Vec<String>, source_addresses: usize) -> Result<Self> {
        let sources = (0..source_addresses)
            .map(|n| source_address(n).map(IpAddr::V4))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| anyhow!("--source-addresses: at most {MAX_SOURCES}"))?;
        let (Some(&first_source), Some(&last_source)) = (sources.first(), sources.last()) else {
            bail!("--source-addresses must be at least 1");
        };
        if users.is_empty() {
            bail!("the email scenario needs users");
        }
        Ok(Self {
            sink,
            users: Slots::new(users, &USER_RULES),
            sources: Slots::new(sources, &SOURCE_RULES),
            first_source,
            last_source,
            user_waits: Waits::default(),
            source_waits: Waits::default(),
        })
    }

    /// One sign-in by email code for the user used longest ago, from the source address used
    /// longest ago, once the server's limits allow both; `Ok(None)`, at `deadline`, if that
    /// moment is past it (nothing was sent, and the run's pace shows the pools' bound).
    pub async fn sign_in(
        &self,
        target: &Latchkey,
        deadline: Instant,
    ) -> Result<Option<Steps>, Failure> {
        let now = Instant::now();
        let (user, source) = match (self.users.take(now), self.sources.take(now)) {
            (Some(user), Some(source)) => (user, source),
            (user, source) => {
                if let Some(user) = user {
                    self.users.put_back(user, now);
                }
                if let Some(source) = source {
                    self.sources.put_back(source, now);
                }
                return Err(Failure::Client(
                    "every user or source address is in use: more workers than either".to_owned(),
                ));
            }
        };
        let start = now.max(user.ready_at).max(source.ready_at);
        // Only the waiting inside the timed part counts.
        if user.ready_at > now {
            self.user_waits.add(user.ready_at.min(deadline) - now);
        }
        if source.ready_at > now {
            self.source_waits.add(source.ready_at.min(deadline) - now);
        }
        let email = user.slot.item.clone();
        let ip = source.slot.item;
        self.users.put_back(user, start);
        self.sources.put_back(source, start);
        if start >= deadline {
            tokio::time::sleep_until(deadline.into()).await;
            return Ok(None);
        }
        tokio::time::sleep_until(start.into()).await;

        let http = reqwest::Client::builder()
            .no_proxy()
            .tcp_nodelay(true)
            .local_address(ip)
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|e| Failure::Client(format!("an HTTP client on {ip}: {e}")))?;
        // Before the request: the email may arrive before its answer does.
        let mut expected = self.sink.expect(&email);
        let began = Instant::now();
        let mut spent = Duration::ZERO;
        target.request_email_code(&http, &email, &mut spent).await?;
        let requested = Instant::now();
        let code = expected.code(EMAIL_TIMEOUT).await?;
        let delivered = Instant::now();
        target
            .redeem_email_code(&http, &email, &code, &mut spent)
            .await?;
        Ok(Some(Steps {
            request: requested - began,
            delivery: delivered - requested,
            redeem: delivered.elapsed(),
        }))
    }

    /// The pools and the limits kept, in a line.
    pub fn describe(&self) -> String {
        format!(
            "{} users (each used at most once per {} s and {} times per {} s), {} source \
             addresses {}–{} (each at most {} times per {} s), SMTP sink at {}",
            self.users.len(),
            USER_RULES[0].window.as_secs(),
            USER_RULES[1].uses,
            USER_RULES[1].window.as_secs(),
            self.sources.len(),
            self.first_source,
            self.last_source,
            SOURCE_RULES[0].uses,
            SOURCE_RULES[0].window.as_secs(),
            self.sink.url(),
        )
    }

    /// Seconds workers waited for a user or a source address the server's limits allowed, in
    /// all, if any: then the pools, not the server, bounded the run.
    pub fn waited(&self) -> Option<(u64, f64)> {
        let count = self.user_waits.count.load(Ordering::Relaxed)
            + self.source_waits.count.load(Ordering::Relaxed);
        let micros = self.user_waits.micros.load(Ordering::Relaxed)
            + self.source_waits.micros.load(Ordering::Relaxed);
        (count > 0).then_some((count, micros as f64 / 1e6))
    }

    /// Emails the sink received, and those nobody was waiting for.
    pub fn emails(&self) -> (u64, u64) {
        (self.sink.received(), self.sink.unexpected())
    }

    /// The pools, the waits for them and the sink's counts, for the result file.
    pub fn json(&self) -> Value {
        let (received, unexpected) = self.emails();
        json!({
            "users": self.users.len(),
            "source_addresses": self.sources.len(),
            "first_source_address": self.first_source.to_string(),
            "last_source_address": self.last_source.to_string(),
            "user_rule": {"once_per_s": USER_RULES[0].window.as_secs(), "max_per_hour": USER_RULES[1].uses},
            "source_rule": {"max": SOURCE_RULES[0].uses, "per_s": SOURCE_RULES[0].window.as_secs()},
            "waits_for_a_user": self.user_waits.json(),
            "waits_for_a_source_address": self.source_waits.json(),
            "emails_received": received,
            "emails_unexpected": unexpected,
        })
    }
}

/// Source addresses run from 127.1.0.1 to 127.255.255.254.
const MAX_SOURCES: usize = 255 * 256 * 254;

/// The `n`-th source address: 127.1.0.1 … 127.1.0.254, 127.1.1.1, …, never a last octet of 0
/// or 255 and never in 127.0.0.0/16, where servers listen.
fn source_address(n: usize) -> Option<Ipv4Addr> {
    let host = u8::try_from(n % 254 + 1).ok()?;
    let third = u8::try_from(n / 254 % 256).ok()?;
    let second = u8::try_from(n / 254 / 256 + 1).ok()?;
    Some(Ipv4Addr::new(127, second, third, host))
}

/// Makes `count` users (`bench-{run_id}-e{i}@example.com`, verified) through the server API,
/// with `concurrency` tasks; returns their addresses.
pub async fn create_users(
    target: &Arc<Target>,
    run_id: &str,
    count: usize,
    concurrency: usize,
) -> Result<Vec<String>> {
    let emails: Vec<String> = (0..count)
        .map(|i| format!("bench-{run_id}-e{i}@example.com"))
        .collect();
    let emails = Arc::new(emails);
    let mut tasks = tokio::task::JoinSet::new();
    for task in 0..concurrency.min(count) {
        let target = Arc::clone(target);
        let emails = Arc::clone(&emails);
        tasks.spawn(async move {
            let Target::Latchkey(latchkey) = &*target else {
                bail!("the email scenario runs against Latchkey only");
            };
            for email in emails.iter().skip(task).step_by(concurrency) {
                let mut spent = Duration::ZERO;
                latchkey
                    .create_user(email, &mut spent)
                    .await
                    .map_err(|f| anyhow!("setup: create {email}: {} {}", f.key(), f.detail()))?;
            }
            Ok(())
        });
    }
    while let Some(joined) = tasks.join_next().await {
        joined.context("setup task")??;
    }
    Arc::try_unwrap(emails).map_err(|_| anyhow!("a setup task still holds the users"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

    use super::*;

    #[test]
    fn source_addresses_stay_off_127_0_and_network_octets() {
        assert_eq!(source_address(0), Some(Ipv4Addr::new(127, 1, 0, 1)));
        assert_eq!(source_address(253), Some(Ipv4Addr::new(127, 1, 0, 254)));
        assert_eq!(source_address(254), Some(Ipv4Addr::new(127, 1, 1, 1)));
        assert_eq!(source_address(254 * 256), Some(Ipv4Addr::new(127, 2, 0, 1)));
        assert_eq!(
            source_address(MAX_SOURCES - 1),
            Some(Ipv4Addr::new(127, 255, 255, 254))
        );
        assert_eq!(source_address(MAX_SOURCES), None);
    }

    #[test]
    fn slots_keep_to_their_rules_least_recently_used_first() {
        static RULES: [Rule; 2] = [
            Rule {
                uses: 1,
                window: Duration::from_secs(30),
            },
            Rule {
                uses: 3,
                window: Duration::from_secs(3600),
            },
        ];
        let slots = Slots::new(["a", "b"], &RULES);
        let t0 = Instant::now();
        let mut at = t0;
        let mut used = Vec::new();
        for _ in 0..8 {
            let taken = slots.take(at).unwrap();
            at = taken.ready_at;
            used.push((taken.slot.item, (at - t0).as_secs()));
            slots.put_back(taken, at);
        }
        // Each once per 30 s, and a fourth use only an hour after the first.
        assert_eq!(
            used,
            [
                ("a", 0),
                ("b", 0),
                ("a", 30),
                ("b", 30),
                ("a", 60),
                ("b", 60),
                ("a", 3600),
                ("b", 3600)
            ]
        );
        // All out: nothing to hand.
        let a = slots.take(at).unwrap();
        let b = slots.take(at).unwrap();
        assert!(slots.take(at).is_none());
        slots.put_back(a, at);
        slots.put_back(b, at);
        assert_eq!(slots.len(), 2);
    }
}
