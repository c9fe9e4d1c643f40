//! WebAuthn ceremonies in flight: the server half of a challenge, stored between options and
//! verify so that any instance can finish what another began, and consumed exactly once.

use serde_json::{Value, json};

use super::Passkeys;
use super::credential::BrowserCredential;
use crate::auth::error::{Error, Result};
use crate::auth::events::{self, EventKind};
use crate::auth::ids::{AppId, SessionId, UserId};
use crate::auth::sign_in::{SignInMethod, count_failure};
use crate::auth::store::{self, Conn};
use crate::auth::{App, EmailAddress, RequestMeta, commit};
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
}

impl NewCeremony {
    pub fn sign_in(kind: CeremonyKind, user_id: Option<UserId>) -> Self {
        Self {
            kind,
            user_id,
            session_id: None,
            email: None,
            display_name: None,
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

impl Passkeys<'_> {
    /// Stores the server half of a ceremony (`state`, encoded) under the challenge of `client`
    /// (the library's options as JSON) and returns the options as the browser takes them.
    pub(super) async fn store_ceremony(
        &self,
        app: &App,
        new: NewCeremony,
        state: Vec<u8>,
        client: Value,
    ) -> Result<Value> {
        let ceremony = Ceremony {
            challenge: challenge_in_options(&client)?,
            app_id: app.id.clone(),
            kind: new.kind,
            user_id: new.user_id,
            session_id: new.session_id,
            email: new.email,
            display_name: new.display_name,
            state,
            expires_at: self.auth.clock.now() + CEREMONY_TTL,
        };
        let mut conn = self.auth.store.write_conn().await?;
        store::ceremonies::insert_ceremony(&mut conn, &ceremony).await?;
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
        let mut conn = self.auth.store.conn().await?;
        let expired = || {
            Error::ChallengeExpired(
                "the challenge is unknown, expired or already used: request new options".to_owned(),
            )
        };
        let ceremony = store::ceremonies::find_ceremony(&mut conn, &app.id, &challenge)
            .await?
            .filter(|c| kinds.contains(&c.kind))
            .ok_or_else(expired)?;
        drop(conn);
        if ceremony.expires_at <= self.auth.clock.now() {
            let mut conn = self.auth.store.write_conn().await?;
            store::ceremonies::take_ceremony(&mut conn, &app.id, &ceremony.challenge).await?;
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
        let result: Result<bool> = async {
            let now = self.auth.clock.now();
            let mut tx = self.auth.store.begin().await?;
            if !store::ceremonies::take_ceremony(&mut tx, &app.id, &ceremony.challenge).await? {
                // A concurrent request used the challenge first: this one is a replay.
                return Ok(false);
            }
            events::record(
                &mut tx,
                &app.id,
                EventKind::SignInFailed,
                user_id,
                meta,
                events::data([
                    ("method", json!(SignInMethod::Passkey)),
                    ("ceremony", json!(ceremony.kind)),
                    ("reason", json!(refusal.to_string())),
                ]),
                now,
            )
            .await?;
            commit(tx).await?;
            Ok(true)
        }
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
pub(super) fn already_used() -> Error {
    Error::ChallengeExpired("the challenge was already used".to_owned())
}

/// Forgets ceremonies that expired: they are refused anyway, this keeps the table small.
pub(crate) async fn sweep(conn: &mut Conn, now: Timestamp) -> store::Result<()> {
    store::ceremonies::delete_expired(conn, now)
        .await
        .map(|_| ())
}
