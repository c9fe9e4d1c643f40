//! WebAuthn ceremonies in flight: the server half of a challenge, kept between options and
//! verify, and consumed exactly once.
//!
//! Where it is kept follows the store ([`InFlight`]): on PostgreSQL, which several instances
//! share, in the `ceremonies` table, so that any instance finishes what another began; on
//! SQLite, which one process serves (the server holds a lock on the file), in that process's
//! memory, so that an options call writes nothing durable. Either way the challenge is consumed
//! inside the transaction that acts on the answer, by exactly one caller, and a challenge from
//! before a restart is refused after it (on SQLite its state is gone with the process; on
//! PostgreSQL its row is gone with its first use).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::{Value, json};

use super::Passkeys;
use super::credential::BrowserCredential;
use crate::auth::error::{Error, Result};
use crate::auth::events::{self, EventKind};
use crate::auth::ids::{AppId, SessionId, UserId};
use crate::auth::sign_in::{SignInMethod, count_failure};
use crate::auth::store::{self, Conn, Store};
use crate::auth::{App, EmailAddress, RequestMeta};
use crate::clock::Timestamp;

/// Challenges live five minutes.
pub const CEREMONY_TTL: i64 = 300;

string_enum! {
    /// The kind of ceremony a challenge was issued for.
    pub enum CeremonyKind {
        /// Creating a passkey (sign-up, or adding one to a signed-in user).
        Register = "register",
        /// A discoverable (username-less) sign-in.
        Authenticate = "authenticate",
        /// A sign-in restricted to one user's credentials (`allowCredentials`).
        AuthenticateAllow = "authenticate_allow",
    }
}

/// A ceremony as stored.
#[derive(Clone, Debug)]
pub(crate) struct Ceremony {
    pub challenge: String,
    pub app_id: AppId,
    pub kind: CeremonyKind,
    /// Registration: the user the passkey is for (new on sign-up). Restricted sign-in: the
    /// user whose credentials were allowed.
    pub user_id: Option<UserId>,
    /// Registration from a signed-in session: the session it continues.
    pub session_id: Option<SessionId>,
    /// Sign-up: the address and name to create the account with.
    pub email: Option<EmailAddress>,
    pub display_name: Option<String>,
    /// A sign-in's second factor: the id of the MFA challenge the assertion completes.
    pub mfa_challenge: Option<String>,
    /// `webauthn_rp`'s encoded server state.
    pub state: Vec<u8>,
    pub expires_at: Timestamp,
}

/// What a ceremony starts from, besides the library's options.
pub(super) struct NewCeremony {
    pub kind: CeremonyKind,
    pub user_id: Option<UserId>,
    pub session_id: Option<SessionId>,
    pub email: Option<EmailAddress>,
    pub display_name: Option<String>,
    pub mfa_challenge: Option<String>,
}

impl NewCeremony {
    pub fn sign_in(kind: CeremonyKind, user_id: Option<UserId>) -> Self {
        Self {
            kind,
            user_id,
            session_id: None,
            email: None,
            display_name: None,
            mfa_challenge: None,
        }
    }
}

/// The challenge string of options JSON (`{"publicKey": {...}}` or the bare options).
fn challenge_in_options(options: &Value) -> Result<String> {
    options
        .pointer("/publicKey/challenge")
        .or_else(|| options.get("challenge"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| Error::Internal("options without a challenge".to_owned()))
}

/// Wraps options in `{"publicKey": …}` unless the library already did.
fn public_key_envelope(options: Value) -> Value {
    if options.get("publicKey").is_some() {
        options
    } else {
        json!({ "publicKey": options })
    }
}

/// The library's client options as JSON.
pub(super) fn options_json<T: serde::Serialize>(options: &T) -> Result<Value> {
    serde_json::to_value(options)
        .map_err(|e| Error::Internal(format!("options serialization: {e}")))
}

/// At most this many ceremonies are kept in memory at once (a few hundred bytes each): past
/// it, expired ones are dropped first, then new options are refused until some finish or
/// expire.
const MAX_IN_MEMORY: usize = 100_000;

/// Where ceremonies wait for their answer.
#[derive(Clone, Debug)]
pub(crate) enum InFlight {
    /// In this process's memory, by challenge: SQLite, served by one process.
    Memory(Arc<Mutex<HashMap<String, Ceremony>>>),
    /// In the `ceremonies` table: PostgreSQL, shared by every instance.
    Stored,
}

impl InFlight {
    /// Where ceremonies wait with `store`.
    pub fn for_store(store: &Store) -> Self {
        if store.is_shared() {
            Self::Stored
        } else {
            Self::Memory(Arc::default())
        }
    }

    /// Keeps `ceremony` until it is answered or expires.
    async fn put(&self, store: &Store, ceremony: Ceremony, now: Timestamp) -> Result<()> {
        match self {
            Self::Memory(map) => {
                let mut map = map.lock().unwrap_or_else(PoisonError::into_inner);
                if map.len() >= MAX_IN_MEMORY {
                    map.retain(|_, c| c.expires_at > now);
                }
                if map.len() >= MAX_IN_MEMORY {
                    return Err(Error::RateLimited {
                        detail: "too many sign-in ceremonies are in flight: try again shortly"
                            .to_owned(),
                        retry_after: 5,
                    });
                }
                map.insert(ceremony.challenge.clone(), ceremony);
                Ok(())
            }
            Self::Stored => {
                store
                    .write_one(move |conn| {
                        Box::pin(async move {
                            store::ceremonies::insert_ceremony(conn, &ceremony).await
                        })
                    })
                    .await?;
                Ok(())
            }
        }
    }

    /// The app's ceremony for `challenge`, whatever its expiry; it stays in flight.
    async fn find(
        &self,
        store: &Store,
        app_id: &AppId,
        challenge: &str,
    ) -> Result<Option<Ceremony>> {
        match self {
            Self::Memory(map) => Ok(map
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get(challenge)
                .filter(|c| c.app_id == *app_id)
                .cloned()),
            Self::Stored => {
                let mut reader = store.read().await?;
                Ok(store::ceremonies::find_ceremony(&mut reader.conn(), app_id, challenge).await?)
            }
        }
    }

    /// Consumes the ceremony inside the unit of work `conn` belongs to: true for exactly one
    /// caller, which makes a challenge single use even when two answers race.
    pub async fn take(&self, conn: &mut Conn<'_>, ceremony: &Ceremony) -> store::Result<bool> {
        match self {
            Self::Memory(map) => Ok(map
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(&ceremony.challenge)
                .is_some()),
            Self::Stored => {
                store::ceremonies::take_ceremony(conn, &ceremony.app_id, &ceremony.challenge).await
            }
        }
    }

    /// The challenge a passkey sign-in's statement consumes the ceremony by
    /// ([`store::sessions::PasskeyClaim`]): the stored ceremony's, or `None` in memory, where
    /// [`Self::take`] consumed it first.
    pub fn stored_challenge<'c>(&self, ceremony: &'c Ceremony) -> Option<&'c str> {
        match self {
            Self::Memory(_) => None,
            Self::Stored => Some(&ceremony.challenge),
        }
    }

    /// Forgets ceremonies that expired before `now` (they are refused anyway).
    pub async fn sweep(&self, store: &Store, now: Timestamp) -> Result<()> {
        match self {
            Self::Memory(map) => {
                map.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .retain(|_, c| c.expires_at > now);
                Ok(())
            }
            Self::Stored => {
                store
                    .write_one(move |conn| {
                        Box::pin(async move {
                            store::ceremonies::delete_expired(conn, now).await?;
                            Ok::<_, Error>(())
                        })
                    })
                    .await
            }
        }
    }
}

impl Passkeys<'_> {
    /// Keeps the server half of a ceremony (`state`, encoded) under the challenge of `client`
    /// (the library's options as JSON) and returns the options as the browser takes them.
    pub(super) async fn store_ceremony(
        &self,
        app: &App,
        new: NewCeremony,
        state: Vec<u8>,
        client: Value,
    ) -> Result<Value> {
        let now = self.auth.clock.now();
        let ceremony = Ceremony {
            challenge: challenge_in_options(&client)?,
            app_id: app.id.clone(),
            kind: new.kind,
            user_id: new.user_id,
            session_id: new.session_id,
            email: new.email,
            display_name: new.display_name,
            mfa_challenge: new.mfa_challenge,
            state,
            expires_at: now + CEREMONY_TTL,
        };
        self.auth
            .ceremonies
            .put(&self.auth.store, ceremony, now)
            .await?;
        Ok(public_key_envelope(client))
    }

    /// Finds the ceremony `credential` answers, if it is this app's, of `kinds`, and not
    /// expired.
    pub(super) async fn open_ceremony(
        &self,
        app: &App,
        credential: &BrowserCredential,
        kinds: &[CeremonyKind],
    ) -> Result<Ceremony> {
        let challenge = credential.challenge()?;
        let expired = || {
            Error::ChallengeExpired(
                "the challenge is unknown, expired or already used: request new options".to_owned(),
            )
        };
        let in_flight = &self.auth.ceremonies;
        let ceremony = in_flight
            .find(&self.auth.store, &app.id, &challenge)
            .await?
            .filter(|c| kinds.contains(&c.kind))
            .ok_or_else(expired)?;
        if ceremony.expires_at <= self.auth.clock.now() {
            let (in_flight, expired_one) = (in_flight.clone(), ceremony.clone());
            self.auth
                .store
                .write(move |conn| {
                    Box::pin(async move { in_flight.take(conn, &expired_one).await })
                })
                .await?;
            return Err(expired());
        }
        Ok(ceremony)
    }

    /// Consumes a ceremony whose response failed, records why, and returns the refusal (or,
    /// when a concurrent request used the challenge first, that it was used).
    pub(super) async fn fail_ceremony(
        &self,
        app: &App,
        ceremony: &Ceremony,
        user_id: Option<&UserId>,
        refusal: Error,
        meta: &RequestMeta,
    ) -> Error {
        let now = self.auth.clock.now();
        let in_flight = self.auth.ceremonies.clone();
        let (ceremony, app_id) = (ceremony.clone(), app.id.clone());
        let (user_id, meta) = (user_id.cloned(), meta.clone());
        let reason = refusal.audit_reason();
        let result = self
            .auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    if !in_flight.take(conn, &ceremony).await? {
                        // A concurrent request used the challenge first: this one is a replay.
                        return Ok(false);
                    }
                    events::record(
                        conn,
                        &app_id,
                        EventKind::SignInFailed,
                        user_id.as_ref(),
                        &meta,
                        events::data([
                            ("method", json!(SignInMethod::Passkey)),
                            ("ceremony", json!(ceremony.kind)),
                            ("reason", json!(reason)),
                        ]),
                        now,
                    )
                    .await?;
                    Ok::<_, Error>(true)
                })
            })
            .await;
        match result {
            Ok(true) => {
                count_failure(SignInMethod::Passkey);
                refusal
            }
            Ok(false) => already_used(),
            Err(e) => e,
        }
    }
}

/// The refusal of a challenge another request consumed first.
pub(crate) fn already_used() -> Error {
    Error::ChallengeExpired("the challenge was already used".to_owned())
}
