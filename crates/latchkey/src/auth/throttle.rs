//! Rate limits: one limiter for every unauthenticated path, and the key a client is counted by.
//!
//! Each [`Rule`] (passkey options, sign-ups, email requests, …) has one or more [`Limit`]s: at
//! most `max` requests per `window` seconds for one subject (a client network, an address, a
//! passkey). Counting happens in this process's memory, so a check costs a map lookup and no
//! round trip; every second [`Limiter::sync`] adds what this instance counted to the shared
//! counts in the store and reads back the totals of the subjects it is looking at or that are
//! near a limit, so a limit holds across instances to within about a second of the others'
//! traffic. A new or restarted instance starts from the shared counts ([`Limiter::load`]).
//!
//! A window is counted in slots (one second wide for limits of up to 64 requests, a 64th of the
//! window above that); a slot counts until no part of it is inside the window, so a limit is
//! never exceeded, and is at most one slot stricter than a sliding log.

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasher;
use std::sync::Mutex;

use super::error::{Error, Result};
use super::store::{self, Store};
use super::{Auth, RequestMeta};
use crate::clock::Timestamp;

string_enum! {
    /// What a limit counts; the name is the one `LATCHKEY_RATE_LIMITS` uses.
    pub enum Rule {
        /// Passkey registration and authentication options, per client network.
        PasskeyOptions = "passkey_options",
        /// Passkey registration and authentication answers, per client network.
        PasskeyVerify = "passkey_verify",
        /// Passkey assertions refused, per client network.
        FailedAssertions = "failed_assertions",
        /// Passkey assertions refused for one passkey from one client network.
        FailedAssertionsPasskey = "failed_assertions_passkey",
        /// New accounts asked for with a passkey, per client network.
        SignUps = "sign_ups",
        /// Email code requests, per client network.
        EmailRequests = "email_requests",
        /// Emails to one mailbox of one app.
        EmailAddress = "email_address",
        /// Email code and link redemptions, per client network.
        CodeAttempts = "code_attempts",
        /// Session refreshes, per client network.
        Refresh = "refresh",
        /// Token issuing and checking without an API key (compatibility APIs), per client
        /// network.
        Tokens = "tokens",
        /// API keys, admin keys and server tokens that did not authenticate, per client network.
        BadKeys = "bad_keys",
        /// Public pages, scripts and documents, per client network.
        Pages = "pages",
        /// Requests naming an app that does not exist, per client network.
        UnknownApps = "unknown_apps",
        /// Checks whether an emailed link was confirmed on another device, per client network.
        LinkPolls = "link_polls",
        /// The OpenID Provider's protocol endpoints (PAR, token, userinfo, introspection,
        /// revocation), per client network.
        OAuth = "oauth",
        /// The same, per OAuth client.
        OAuthClient = "oauth_client",
        /// Wrong second-factor codes (TOTP or backup codes) for one user, from anywhere.
        MfaFailures = "mfa_failures",
    }
}

impl Rule {
    /// What a refusal says there were too many of.
    fn what(self) -> &'static str {
        match self {
            Self::PasskeyOptions | Self::PasskeyVerify => "passkey requests from this address",
            Self::FailedAssertions => "failed passkey sign-ins from this address",
            Self::FailedAssertionsPasskey => "failed sign-ins with this passkey",
            Self::SignUps => "sign-ups from this address",
            Self::EmailRequests => "email requests from this address",
            Self::EmailAddress => "emails to this address",
            Self::CodeAttempts => "sign-in attempts from this address",
            Self::Refresh => "session refreshes from this address",
            Self::Tokens => "token requests from this address",
            Self::BadKeys => "requests with a key that does not work from this address",
            Self::Pages => "requests from this address",
            Self::UnknownApps => "requests for apps that do not exist from this address",
            Self::LinkPolls => "checks of an emailed link from this address",
            Self::OAuth => "OAuth requests from this address",
            Self::OAuthClient => "requests from this OAuth client",
            Self::MfaFailures => "wrong codes for this account",
        }
    }

    /// The limits in force when the configuration does not change them.
    fn default_limits(self) -> &'static [Limit] {
        macro_rules! per {
            ($max:literal, $window:literal) => {
                Limit {
                    max: $max,
                    window: $window,
                }
            };
        }
        match self {
            Self::PasskeyOptions | Self::PasskeyVerify => &[per!(300, 60)],
            Self::FailedAssertions => &[per!(50, 900)],
            Self::FailedAssertionsPasskey => &[per!(10, 900)],
            Self::SignUps => &[per!(60, 3600)],
            Self::EmailRequests => &[per!(30, 60)],
            // API.md: one email per address per 30 seconds and five per hour.
            Self::EmailAddress => &[per!(1, 30), per!(5, 3600)],
            Self::CodeAttempts => &[per!(60, 60)],
            Self::Refresh => &[per!(600, 60)],
            // A backend checking tokens through PasskeyMe's keyless API calls it per request.
            Self::Tokens => &[per!(6000, 60)],
            Self::BadKeys => &[per!(30, 60)],
            Self::Pages => &[per!(1200, 60)],
            Self::UnknownApps => &[per!(60, 60)],
            // One page polling every 2 seconds is 30 a minute.
            Self::LinkPolls => &[per!(120, 60)],
            // A backend calling userinfo or introspection per request of its own.
            Self::OAuth => &[per!(6000, 60)],
            Self::OAuthClient => &[per!(6000, 60)],
            // Five wrong codes kill one sign-in's mfa_token; this caps the guesses across
            // tokens (and across instances) for one account.
            Self::MfaFailures => &[per!(10, 900)],
        }
    }
}

/// One limit: at most `max` requests per `window` seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub max: u32,
    pub window: i64,
}

impl Limit {
    /// Seconds one counting slot spans: one second while a window holds few enough slots to
    /// keep exactly, wider above that, so a subject never holds more than 64 slots.
    fn width(self) -> i64 {
        if self.max <= 64 {
            1
        } else {
            (self.window + 63) / 64
        }
    }

    /// The slot a request at `at` is counted in.
    fn slot(self, at: Timestamp) -> i64 {
        at.div_euclid(self.width())
    }

    /// The moment `slot` stops counting: when no part of it is inside the window any more.
    fn expires_at(self, slot: i64) -> Timestamp {
        (slot + 1) * self.width() + self.window - 1
    }
}

/// The limits in force: each rule's defaults, or what the configuration gives instead.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Limits(HashMap<Rule, Vec<Limit>>);

impl Limits {
    /// Reads `LATCHKEY_RATE_LIMITS`: comma-separated `rule=max/seconds`, several limits of one
    /// rule joined with `+` (`email_address=1/30+5/3600`); `*` sets every rule at once (later
    /// entries win).
    pub fn parse(text: &str) -> std::result::Result<Self, String> {
        let mut limits = HashMap::new();
        for entry in text.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (name, given) = entry
                .split_once('=')
                .ok_or_else(|| format!("{entry:?} is not rule=max/seconds"))?;
            let mut parsed = Vec::new();
            for limit in given.split('+') {
                let (max, window) = limit
                    .trim()
                    .split_once('/')
                    .ok_or_else(|| format!("{limit:?} is not max/seconds"))?;
                let max: u32 =
                    max.trim().parse().ok().filter(|m| *m >= 1).ok_or_else(|| {
                        format!("{entry:?}: the maximum must be a whole number ≥ 1")
                    })?;
                let window: i64 = window
                    .trim()
                    .parse()
                    .ok()
                    .filter(|w| (1..=86_400).contains(w))
                    .ok_or_else(|| format!("{entry:?}: the window must be 1 to 86400 seconds"))?;
                parsed.push(Limit { max, window });
            }
            let rules: Vec<Rule> = match name.trim() {
                "*" => Rule::ALL.to_vec(),
                name => vec![name.parse().map_err(|_| {
                    let names: Vec<&str> = Rule::ALL.iter().map(|r| r.as_str()).collect();
                    format!("unknown rule {name:?} (one of {}, or *)", names.join(", "))
                })?],
            };
            for rule in rules {
                limits.insert(rule, parsed.clone());
            }
        }
        Ok(Self(limits))
    }

    /// The limits of `rule`.
    pub fn of(&self, rule: Rule) -> &[Limit] {
        self.0
            .get(&rule)
            .map_or_else(|| rule.default_limits(), Vec::as_slice)
    }
}

/// Requests counted in one slot: as the store last totalled them across instances, on their
/// way there, and counted here since.
#[derive(Clone, Copy, Debug)]
struct Slot {
    index: i64,
    synced: u32,
    in_flight: u32,
    pending: u32,
}

impl Slot {
    fn count(&self) -> u64 {
        u64::from(self.synced) + u64::from(self.in_flight) + u64::from(self.pending)
    }
}

/// A subject's counts under one rule: a window of slots per limit, oldest first.
#[derive(Debug)]
struct Entry {
    windows: Vec<VecDeque<Slot>>,
    /// Looked at since the last sync: its totals are read back then.
    touched: bool,
}

impl Entry {
    fn new(limits: usize) -> Self {
        Self {
            windows: vec![VecDeque::new(); limits],
            touched: true,
        }
    }

    /// Drops the slots that no longer count at `now`.
    fn prune(&mut self, limits: &[Limit], now: Timestamp) {
        for (window, limit) in self.windows.iter_mut().zip(limits) {
            while window
                .front()
                .is_some_and(|s| limit.expires_at(s.index) <= now)
            {
                window.pop_front();
            }
        }
    }

    /// Seconds until one more request fits every limit; `None` if it fits now.
    fn wait(&self, limits: &[Limit], now: Timestamp) -> Option<i64> {
        let mut wait = None;
        for (window, limit) in self.windows.iter().zip(limits) {
            let total: u64 = window.iter().map(Slot::count).sum();
            if total < u64::from(limit.max) {
                continue;
            }
            // The slot whose leaving brings the count under the limit decides.
            let mut remaining = total;
            let retry = window
                .iter()
                .find_map(|slot| {
                    remaining -= slot.count();
                    (remaining < u64::from(limit.max)).then(|| limit.expires_at(slot.index) - now)
                })
                .unwrap_or(limit.window)
                .max(1);
            wait = Some(wait.map_or(retry, |w: i64| w.max(retry)));
        }
        wait
    }

    /// Counts one request at `now` under every limit.
    fn count(&mut self, limits: &[Limit], now: Timestamp) {
        for (window, limit) in self.windows.iter_mut().zip(limits) {
            let slot = slot_mut(window, limit.slot(now));
            slot.pending = slot.pending.saturating_add(1);
        }
    }
}

/// The slot `index` of `window`, added in order if missing.
fn slot_mut(window: &mut VecDeque<Slot>, index: i64) -> &mut Slot {
    let at = match window.binary_search_by_key(&index, |s| s.index) {
        Ok(at) => at,
        Err(at) => {
            window.insert(
                at,
                Slot {
                    index,
                    synced: 0,
                    in_flight: 0,
                    pending: 0,
                },
            );
            at
        }
    };
    &mut window[at]
}

/// Shards of the subject map, so concurrent requests rarely wait on one lock.
const SHARDS: usize = 16;

/// What one instance counted, and what it knows of every instance's counts.
pub(crate) struct Limiter {
    limits: Limits,
    /// By `rule:subject`.
    shards: Box<[Mutex<HashMap<String, Entry>>]>,
    hasher: RandomState,
}

impl std::fmt::Debug for Limiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limiter")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// One decision's outcome: whether to count the request, and whether to refuse it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Refuse when over a limit; count it otherwise.
    Hit,
    /// Refuse when over a limit; count nothing (failures are counted once known).
    Check,
    /// Count it, refusing nothing.
    Count,
}

impl Limiter {
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
            hasher: RandomState::new(),
        }
    }

    fn decide(&self, rule: Rule, subject: &str, now: Timestamp, mode: Mode) -> Option<i64> {
        let limits = self.limits.of(rule);
        let key = format!("{rule}:{subject}");
        let shard = &self.shards[self.shard(&key)];
        let mut map = shard.lock().unwrap_or_else(|e| e.into_inner());
        if !map.contains_key(&key) && map.len() >= MAX_SUBJECTS_PER_SHARD && !evict_one(&mut map) {
            // Full of subjects with counts on their way to the store: this one is decided on
            // its own request alone (the first of its window: let through), and not kept.
            return None;
        }
        let entry = map.entry(key).or_insert_with(|| Entry::new(limits.len()));
        entry.touched = true;
        entry.prune(limits, now);
        let wait = match mode {
            Mode::Count => None,
            Mode::Hit | Mode::Check => entry.wait(limits, now),
        };
        if wait.is_none() && mode != Mode::Check {
            entry.count(limits, now);
        }
        wait
    }

    fn shard(&self, key: &str) -> usize {
        // Truncation is the point: any bits of the hash pick a shard.
        #[allow(clippy::cast_possible_truncation)]
        let hash = self.hasher.hash_one(key) as usize;
        hash % SHARDS
    }

    /// Starts from the shared counts in the store, so that a new or restarted instance does not
    /// begin with every budget full.
    pub async fn load(&self, store: &Store, now: Timestamp) -> store::Result<()> {
        /// Slots read at most (the newest first), to bound start-up under a flood.
        const MOST: i64 = 1_000_000;
        let mut reader = store.read().await?;
        let totals = store::rate_limits::all_totals(&mut reader.conn(), now, MOST).await?;
        drop(reader);
        for total in totals {
            let Some((rule, limit, subject)) = split_stored_key(&total.key) else {
                continue;
            };
            let limits = self.limits.of(rule);
            // Counted under a limit no longer configured: it does not apply.
            let Some(i) = limits.iter().position(|l| *l == limit) else {
                continue;
            };
            let key = format!("{rule}:{subject}");
            let mut map = self.shards[self.shard(&key)]
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            if !map.contains_key(&key) && map.len() >= MAX_SUBJECTS_PER_SHARD {
                continue;
            }
            let entry = map.entry(key).or_insert_with(|| Entry::new(limits.len()));
            entry.touched = false;
            slot_mut(&mut entry.windows[i], total.slot).synced =
                u32::try_from(total.count).unwrap_or(u32::MAX);
        }
        Ok(())
    }

    /// Adds what this instance counted since the last sync to the store's shared counts, and
    /// reads back the totals of every subject looked at since or near a limit; forgets subjects
    /// nothing counts for any more. The work goes in transactions of at most [`SYNC_BATCH`] subjects, each
    /// writing its rows in one order (so instances syncing at once never deadlock). On failure,
    /// what a batch was to add waits for the next sync.
    pub async fn sync(&self, store: &Store, now: Timestamp) -> store::Result<()> {
        let mut added = Vec::new();
        let mut keys = Vec::new();
        for shard in &self.shards {
            let mut map = shard.lock().unwrap_or_else(|e| e.into_inner());
            map.retain(|key, entry| {
                let Some((rule, subject)) = split_key(key) else {
                    return false;
                };
                let limits = self.limits.of(rule);
                entry.prune(limits, now);
                if !std::mem::take(&mut entry.touched) {
                    // Not looked at since: its totals are still read while it is near a limit,
                    // where what other instances count decides.
                    for (window, limit) in entry.windows.iter().zip(limits) {
                        let total: u64 = window.iter().map(Slot::count).sum();
                        if total * 2 >= u64::from(limit.max) {
                            keys.push(stored_key(rule, *limit, subject));
                        }
                    }
                    return entry.windows.iter().any(|w| !w.is_empty());
                }
                for (window, limit) in entry.windows.iter_mut().zip(limits) {
                    let stored = stored_key(rule, *limit, subject);
                    for slot in window.iter_mut().filter(|s| s.pending > 0) {
                        // Only what is new: a count already on its way is not sent again.
                        let moved = std::mem::take(&mut slot.pending);
                        slot.in_flight += moved;
                        added.push(store::rate_limits::Added {
                            key: stored.clone(),
                            slot: slot.index,
                            count: i64::from(moved),
                            expires_at: limit.expires_at(slot.index),
                        });
                    }
                    keys.push(stored);
                }
                true
            });
        }
        added.sort_by(|a, b| (&a.key, a.slot).cmp(&(&b.key, b.slot)));
        keys.sort();
        let mut outcome = Ok(());
        let mut added = added.into_iter().peekable();
        for batch in keys.chunks(SYNC_BATCH) {
            let last = batch.last().cloned().unwrap_or_default();
            let mut rows = Vec::new();
            while let Some(row) = added.next_if(|a| a.key <= last) {
                rows.push(row);
            }
            let (keys, sent) = (batch.to_vec(), rows.clone());
            let result = store
                .write(move |conn| {
                    Box::pin(async move {
                        store::rate_limits::add(conn, &rows).await?;
                        store::rate_limits::totals(conn, &keys, now).await
                    })
                })
                .await;
            match result {
                Ok(totals) => self.learn(batch, &totals),
                Err(e) => {
                    self.return_unsent(&sent);
                    outcome = Err(e);
                }
            }
        }
        outcome
    }

    /// Takes the store's totals for `keys` (every instance's counts, what was in flight
    /// included) as what is synced.
    fn learn(&self, keys: &[String], totals: &[store::rate_limits::Total]) {
        let mut by_key: HashMap<&str, Vec<(i64, u32)>> = HashMap::new();
        for total in totals {
            by_key
                .entry(total.key.as_str())
                .or_default()
                .push((total.slot, u32::try_from(total.count).unwrap_or(u32::MAX)));
        }
        for stored in keys {
            self.with_window(stored, |window| {
                for slot in window.iter_mut() {
                    slot.synced = 0;
                    slot.in_flight = 0;
                }
                for &(index, count) in by_key.get(stored.as_str()).map_or(&[][..], Vec::as_slice) {
                    slot_mut(window, index).synced = count;
                }
                window.retain(|s| s.count() > 0);
            });
        }
    }

    /// Puts counts that did not reach the store back to be sent at the next sync.
    fn return_unsent(&self, sent: &[store::rate_limits::Added]) {
        for row in sent {
            let moved = u32::try_from(row.count).unwrap_or(u32::MAX);
            // A subject forgotten meanwhile has nothing left to send.
            let _ = self.with_window(&row.key, |window| {
                let slot = slot_mut(window, row.slot);
                let back = moved.min(slot.in_flight);
                slot.in_flight -= back;
                slot.pending += back;
            });
        }
    }

    /// Runs `f` on the window a stored key names, if this instance still keeps it; marks the
    /// subject as looked at, so the next sync sends and reads it.
    fn with_window<R>(&self, stored: &str, f: impl FnOnce(&mut VecDeque<Slot>) -> R) -> Option<R> {
        let (rule, limit, subject) = split_stored_key(stored)?;
        let i = self.limits.of(rule).iter().position(|l| *l == limit)?;
        let key = format!("{rule}:{subject}");
        let mut map = self.shards[self.shard(&key)]
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let entry = map.get_mut(&key)?;
        let outcome = f(entry.windows.get_mut(i)?);
        if entry.windows[i].iter().any(|s| s.pending > 0) {
            entry.touched = true;
        }
        Some(outcome)
    }
}

/// Subjects one shard keeps at most (16 shards: about a million in all, some hundreds of MB
/// under the heaviest flood).
const MAX_SUBJECTS_PER_SHARD: usize = 65_536;
/// Subjects one sync transaction adds and reads at most, so the store's writer is never held
/// long by one.
const SYNC_BATCH: usize = 1_024;

/// Makes room in a full shard: forgets one subject with nothing on its way to the store (its
/// counts are in the store already, and come back if it is seen again). False if none of the
/// first few qualifies.
fn evict_one(map: &mut HashMap<String, Entry>) -> bool {
    let idle = map
        .iter()
        .take(8)
        .find(|(_, e)| {
            e.windows
                .iter()
                .flatten()
                .all(|s| s.pending == 0 && s.in_flight == 0)
        })
        .map(|(k, _)| k.clone());
    idle.is_some_and(|key| map.remove(&key).is_some())
}

/// `rule:subject` → its parts.
fn split_key(key: &str) -> Option<(Rule, &str)> {
    let (rule, subject) = key.split_once(':')?;
    Some((rule.parse().ok()?, subject))
}

/// The store's key of one limit of a rule for a subject: `rule/max/window:subject`, so that
/// counts made under another configuration are never read as this one's.
fn stored_key(rule: Rule, limit: Limit, subject: &str) -> String {
    format!("{rule}/{}/{}:{subject}", limit.max, limit.window)
}

/// `rule/max/window:subject` → its parts.
fn split_stored_key(key: &str) -> Option<(Rule, Limit, &str)> {
    let (head, subject) = key.split_once(':')?;
    let mut parts = head.split('/');
    let rule = parts.next()?.parse().ok()?;
    let max = parts.next()?.parse().ok()?;
    let window = parts.next()?.parse().ok()?;
    Some((rule, Limit { max, window }, subject))
}

/// Counts requests against the limits of their rule.
pub struct Throttle<'a> {
    pub(super) auth: &'a Auth,
}

impl Throttle<'_> {
    /// Counts a request of `subject` under `rule`; `RateLimited` (and not counted) when a limit
    /// is already reached.
    pub fn hit(&self, rule: Rule, subject: &str) -> Result<()> {
        self.decide(rule, subject, Mode::Hit)
    }

    /// `RateLimited` when a limit of `rule` is reached for `subject`; counts nothing (for rules
    /// that count failures, with [`Self::count`] once a request failed).
    pub fn check(&self, rule: Rule, subject: &str) -> Result<()> {
        self.decide(rule, subject, Mode::Check)
    }

    /// Counts a request (a failure) of `subject` under `rule`.
    pub fn count(&self, rule: Rule, subject: &str) {
        let _ = self.decide(rule, subject, Mode::Count);
    }

    /// [`Self::hit`] for the client network of a request.
    pub fn hit_client(&self, rule: Rule, meta: &RequestMeta) -> Result<()> {
        self.hit(rule, &client_key(meta))
    }

    /// The answer to a failed check of a key, token or secret a client sent: an
    /// `Unauthorized` refusal is counted against the client ([`Rule::BadKeys`]) and, past the
    /// limit, answered `RateLimited` instead; any other error stays as it is. Only failures
    /// come here, so a key that works always goes through and no one sharing an address with
    /// an app's backend can lock it out.
    pub fn bad_key(&self, meta: &RequestMeta, refusal: Error) -> Error {
        match refusal {
            Error::Unauthorized(_) => match self.hit(Rule::BadKeys, &client_key(meta)) {
                Ok(()) => refusal,
                Err(limited) => limited,
            },
            other => other,
        }
    }

    fn decide(&self, rule: Rule, subject: &str, mode: Mode) -> Result<()> {
        let now = self.auth.clock.now();
        match self.auth.limiter.decide(rule, subject, now, mode) {
            Some(retry_after) => Err(rate_limited(retry_after, rule.what())),
            None => Ok(()),
        }
    }
}

/// The refusal of a request over a limit, for `retry_after` seconds.
pub(crate) fn rate_limited(retry_after: i64, what: &str) -> Error {
    Error::RateLimited {
        detail: format!("too many {what}: try again in {retry_after} seconds"),
        retry_after: u64::try_from(retry_after).unwrap_or(1),
    }
}

/// What per-IP limits count by: the IPv4 address, or the /64 an IPv6 address belongs to (one
/// client holds a whole /64, so counting single IPv6 addresses would bind nothing).
pub(crate) fn client_key(meta: &RequestMeta) -> String {
    match meta
        .ip
        .as_deref()
        .and_then(|ip| ip.parse::<std::net::IpAddr>().ok())
        .map(client_network)
    {
        Some(ip @ std::net::IpAddr::V6(_)) => format!("{ip}/64"),
        Some(ip) => ip.to_string(),
        None => "unknown".to_owned(),
    }
}

/// The network a client address stands for in per-client limits: an IPv4 address itself (also
/// when it arrives IPv4-mapped over IPv6), an IPv6 address's /64, which one host commonly holds
/// whole.
pub fn client_network(ip: std::net::IpAddr) -> std::net::IpAddr {
    match ip {
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => std::net::IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                std::net::IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
        v4 @ std::net::IpAddr::V4(_) => v4,
    }
}

/// Forgets shared counts that no longer count in any window.
pub(super) async fn sweep(conn: &mut store::Conn<'_>, now: Timestamp) -> store::Result<()> {
    store::rate_limits::delete_stale(conn, now).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(ip: &str) -> String {
        client_key(&RequestMeta {
            ip: Some(ip.to_owned()),
            user_agent: None,
        })
    }

    #[test]
    fn ipv6_clients_are_counted_per_64() {
        assert_eq!(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2:ffff::9"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("::ffff:192.0.2.7"), "192.0.2.7");
        assert_eq!(key("192.0.2.7"), "192.0.2.7");
        assert_eq!(client_key(&RequestMeta::default()), "unknown");
    }

    fn limiter(config: &str) -> Limiter {
        Limiter::new(Limits::parse(config).expect("limits"))
    }

    #[test]
    fn a_window_admits_its_maximum_and_says_when_the_next_fits() {
        let l = limiter("email_address=1/30+5/3600");
        let at = 1_000_000;
        assert_eq!(l.decide(Rule::EmailAddress, "a", at, Mode::Hit), None);
        // The next fits once the first request's second has left the 30-second window.
        assert_eq!(l.decide(Rule::EmailAddress, "a", at, Mode::Hit), Some(30));
        assert_eq!(
            l.decide(Rule::EmailAddress, "a", at + 29, Mode::Hit),
            Some(1)
        );
        // Another subject is counted apart.
        assert_eq!(l.decide(Rule::EmailAddress, "b", at, Mode::Hit), None);
        for i in 1..5 {
            assert_eq!(
                l.decide(Rule::EmailAddress, "a", at + 30 * i, Mode::Hit),
                None
            );
        }
        // The sixth in the hour waits for the first to leave the hour.
        let now = at + 150;
        assert_eq!(
            l.decide(Rule::EmailAddress, "a", now, Mode::Hit),
            Some(at + 3600 - now)
        );
        assert_eq!(
            l.decide(Rule::EmailAddress, "a", at + 3600, Mode::Hit),
            None
        );
    }

    #[test]
    fn wide_windows_never_admit_more_than_their_maximum() {
        let l = limiter("pages=100/60");
        let mut admitted = Vec::new();
        for t in 0..600 {
            for _ in 0..3 {
                if l.decide(Rule::Pages, "c", t, Mode::Hit).is_none() {
                    admitted.push(t);
                }
            }
        }
        for (i, t) in admitted.iter().enumerate() {
            let in_window = admitted[i..].iter().take_while(|u| **u < t + 60).count();
            assert!(in_window <= 100, "{in_window} within a minute of {t}");
        }
        // …and hardly fewer: a slot is a second wide here (60 / 64 rounds up to one).
        assert!(admitted.len() >= 900, "{}", admitted.len());
    }

    #[test]
    fn checks_count_nothing_and_counts_refuse_nothing() {
        let l = limiter("failed_assertions=2/60");
        let at = 5_000;
        assert_eq!(l.decide(Rule::FailedAssertions, "c", at, Mode::Check), None);
        assert_eq!(l.decide(Rule::FailedAssertions, "c", at, Mode::Check), None);
        for _ in 0..3 {
            assert_eq!(l.decide(Rule::FailedAssertions, "c", at, Mode::Count), None);
        }
        assert_eq!(
            l.decide(Rule::FailedAssertions, "c", at, Mode::Check),
            Some(60)
        );
    }

    #[test]
    fn the_configuration_names_rules_and_limits() {
        let limits = Limits::parse("sign_ups=10/60, email_address=2/30+9/3600").expect("parse");
        assert_eq!(
            limits.of(Rule::SignUps),
            &[Limit {
                max: 10,
                window: 60
            }]
        );
        assert_eq!(limits.of(Rule::EmailAddress).len(), 2);
        assert_eq!(limits.of(Rule::Pages), Rule::Pages.default_limits());
        let all = Limits::parse("*=1000000/60").expect("parse");
        assert!(Rule::ALL.iter().all(|r| all.of(*r)[0].max == 1_000_000));
        for bad in [
            "sign_ups",
            "sign_ups=10",
            "nope=1/60",
            "sign_ups=0/60",
            "sign_ups=1/0",
            "sign_ups=x/60",
        ] {
            assert!(Limits::parse(bad).is_err(), "{bad}");
        }
    }

    /// Two instances on one store: what one counted, the other refuses after a sync; a
    /// restarted one starts from it; counts made under another limit are not read as this
    /// one's.
    #[tokio::test]
    async fn instances_share_their_counts_through_the_store() {
        for (store, admin) in store::testing::stores().await {
            let now = 1_000_000;
            let (a, b) = (limiter("sign_ups=3/3600"), limiter("sign_ups=3/3600"));
            for _ in 0..2 {
                assert_eq!(a.decide(Rule::SignUps, "c", now, Mode::Hit), None);
            }
            a.sync(&store, now).await.expect("sync");
            // B had not seen the client: it lets one through, then learns the total.
            assert_eq!(b.decide(Rule::SignUps, "c", now + 1, Mode::Hit), None);
            b.sync(&store, now + 1).await.expect("sync");
            assert!(b.decide(Rule::SignUps, "c", now + 1, Mode::Hit).is_some());
            a.sync(&store, now + 1).await.expect("sync");
            assert!(a.decide(Rule::SignUps, "c", now + 2, Mode::Hit).is_some());
            // Nothing is counted twice by syncing again.
            a.sync(&store, now + 2).await.expect("sync");
            let c = limiter("sign_ups=3/3600");
            c.load(&store, now + 2).await.expect("load");
            assert_eq!(
                c.decide(Rule::SignUps, "c", now + 2, Mode::Hit),
                Some(3600 - 2)
            );
            // Under another limit, the stored counts do not apply.
            let d = limiter("sign_ups=4/3600");
            d.load(&store, now + 2).await.expect("load");
            assert_eq!(d.decide(Rule::SignUps, "c", now + 2, Mode::Hit), None);
            store.close().await;
            store::testing::drop_database(admin).await;
        }
    }

    #[test]
    fn a_full_shard_forgets_idle_subjects_first() {
        let mut map = HashMap::new();
        let mut busy = Entry::new(1);
        busy.count(Rule::Pages.default_limits(), 0);
        map.insert("pages:busy".to_owned(), busy);
        assert!(
            !evict_one(&mut map),
            "a subject with counts to send is kept"
        );
        map.insert("pages:idle".to_owned(), Entry::new(1));
        assert!(evict_one(&mut map));
        assert!(map.contains_key("pages:busy") && map.len() == 1);
    }

    #[test]
    fn stored_keys_name_rule_limit_and_subject() {
        let limit = Limit {
            max: 5,
            window: 3600,
        };
        let stored = stored_key(Rule::EmailAddress, limit, "app:a@example.com");
        assert_eq!(stored, "email_address/5/3600:app:a@example.com");
        assert_eq!(
            split_stored_key(&stored),
            Some((Rule::EmailAddress, limit, "app:a@example.com"))
        );
        assert_eq!(
            split_key("sign_ups:2001:db8::/64"),
            Some((Rule::SignUps, "2001:db8::/64"))
        );
    }
}
