//! Passkeys: the WebAuthn registration and authentication ceremonies (WebAuthn L3 §7.1, §7.2),
//! through `webauthn_rp`, and the management of registered passkeys.
//!
//! Options calls keep the library's server state under the challenge ([`ceremony`]); verify
//! calls find it by the challenge inside `clientDataJSON`, then read as parse → verify → act:
//! the browser's JSON is parsed ([`credential`]) without burning the challenge, the library
//! verifies it (a failure consumes the challenge and is recorded), and the result goes through
//! the sign-in pipeline in the transaction that consumes the challenge, so a challenge is good
//! for exactly one attempt.

pub mod aaguid;
mod authenticate;
pub(crate) mod ceremony;
mod credential;
mod register;

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::json;
use webauthn_rp::bin::Decode;
use webauthn_rp::request::register::UserHandle16;
use webauthn_rp::request::{AsciiDomain, RpId, UserVerificationRequirement};

use super::apps::UserVerification;
use super::error::{Error, Result};
use super::events::{self, EventKind};
use super::ids::{AppId, UserId};
use super::mfa::{Remover, require_recent_authentication};
use super::notices::{self, Change};
use super::store::{self, Conn};
use super::{App, Auth, RequestMeta};
use crate::clock::Timestamp;

pub use ceremony::{CEREMONY_TTL, CeremonyKind};

/// A registered passkey: the facts the API shows (API.md's Passkey object) plus the encoded
/// verification state, which it does not.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Passkey {
    #[serde(skip)]
    pub app_id: AppId,
    /// The credential id, base64url.
    pub id: String,
    #[serde(skip)]
    pub user_id: UserId,
    pub name: String,
    pub aaguid: String,
    pub transports: Vec<String>,
    pub backup_eligible: bool,
    pub backup_state: bool,
    pub user_verified: bool,
    #[serde(skip)]
    pub sign_count: i64,
    /// `webauthn_rp` StaticState: the public key and its extensions.
    #[serde(skip)]
    pub static_state: Vec<u8>,
    /// `webauthn_rp` DynamicState: flags and counter, rewritten after each use.
    #[serde(skip)]
    pub dynamic_state: Vec<u8>,
    #[serde(with = "crate::clock::rfc3339_serde")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[serde(with = "crate::clock::rfc3339_serde_option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_used_at: Option<Timestamp>,
}

/// `POST /passkeys/register/options`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterOptionsRequest {
    pub email: Option<String>,
    pub display_name: Option<String>,
    /// A sign-in waiting for a second factor, of a user who has none under a policy that
    /// requires one: the new passkey is that second factor.
    pub mfa_token: Option<String>,
}

/// `POST /passkeys/authenticate/options`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthenticateOptionsRequest {
    pub email: Option<String>,
    /// A sign-in waiting for a second factor: the assertion completes it (restricted to that
    /// user's passkeys).
    pub mfa_token: Option<String>,
}

/// The app's relying-party id, as the library takes it.
fn rp_id(app: &App) -> Result<RpId> {
    AsciiDomain::try_from(app.rp_id.clone())
        .map(RpId::Domain)
        .map_err(|_| Error::Internal(format!("app {} has an unusable rp_id", app.id)))
}

fn uv_requirement(app: &App) -> UserVerificationRequirement {
    match app.user_verification {
        UserVerification::Required => UserVerificationRequirement::Required,
        UserVerification::Preferred => UserVerificationRequirement::Preferred,
    }
}

/// The WebAuthn user handle of a user: the 16 bytes of their UUID id.
fn user_handle(user_id: &UserId) -> Result<UserHandle16> {
    let uuid = uuid::Uuid::parse_str(user_id.as_str())
        .map_err(|_| Error::Internal(format!("user id {user_id} is not a UUID")))?;
    Ok(UserHandle16::decode(*uuid.as_bytes()).unwrap_or_else(|e| match e {}))
}

/// Passkey ceremonies and the passkeys they register.
pub struct Passkeys<'a> {
    pub(super) auth: &'a Auth,
}

impl Passkeys<'_> {
    /// The user's passkeys, oldest first.
    pub async fn list(&self, app: &App, user_id: &UserId) -> Result<Vec<Passkey>> {
        let mut reader = self.auth.store.read().await?;
        Ok(store::passkeys::list_user_passkeys(&mut reader.conn(), &app.id, user_id).await?)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(app = %app.id))]
    pub async fn rename(
        &self,
        app: &App,
        user_id: &UserId,
        id: &str,
        name: &str,
        meta: &RequestMeta,
    ) -> Result<Passkey> {
        let name = credential::check_passkey_name(name)?;
        let now = self.auth.clock.now();
        let (app_id, user_id, id, meta) =
            (app.id.clone(), user_id.clone(), id.to_owned(), meta.clone());
        self.auth
            .store
            .write(move |tx| {
                Box::pin(async move {
                    let mut passkey = store::passkeys::find_passkey(tx, &app_id, &id)
                        .await?
                        .filter(|p| p.user_id == user_id)
                        .ok_or_else(|| not_found(&id))?;
                    store::passkeys::rename_passkey(tx, &app_id, &id, &name).await?;
                    events::record(
                        tx,
                        &app_id,
                        EventKind::PasskeyRenamed,
                        Some(&user_id),
                        &meta,
                        events::data([("passkey_id", json!(id)), ("name", json!(name))]),
                        now,
                    )
                    .await?;
                    passkey.name = name;
                    Ok(passkey)
                })
            })
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(app = %app.id))]
    pub async fn delete(
        &self,
        app: &App,
        user_id: &UserId,
        id: &str,
        by: Remover<'_>,
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.auth.clock.now();
        // The user's own session, when it is they who delete: their last passkey goes only
        // after a recent authentication.
        let session = match by {
            Remover::User(session) => Some(session.clone()),
            Remover::Operator => None,
        };
        let (app, user_id, id, meta) = (app.clone(), user_id.clone(), id.to_owned(), meta.clone());
        let master_key = Arc::clone(&self.auth.master_key);
        self.auth
            .store
            .write(move |tx| {
                Box::pin(async move {
                    let app_id = &app.id;
                    if let Some(session) = &session {
                        store::users::lock_user(tx, app_id, &user_id).await?;
                        let count =
                            store::passkeys::count_user_passkeys(tx, app_id, &user_id).await?;
                        if count <= 1 {
                            require_recent_authentication(session, now)?;
                        }
                    }
                    if !store::passkeys::delete_passkey(tx, app_id, &user_id, &id).await? {
                        return Err(not_found(&id));
                    }
                    events::record(
                        tx,
                        app_id,
                        EventKind::PasskeyRemoved,
                        Some(&user_id),
                        &meta,
                        events::data([("passkey_id", json!(id))]),
                        now,
                    )
                    .await?;
                    if let Some(user) = store::users::find_user(tx, app_id, &user_id).await? {
                        notices::enqueue(
                            tx,
                            &master_key,
                            &app,
                            &user,
                            Change::PasskeyRemoved,
                            &meta,
                            now,
                        )
                        .await?;
                    }
                    Ok::<_, Error>(())
                })
            })
            .await?;
        self.auth.jobs.notify();
        Ok(())
    }
}

/// Stores a new passkey and records it, inside the caller's transaction.
async fn insert_passkey(
    conn: &mut Conn<'_>,
    passkey: &Passkey,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    store::passkeys::insert_passkey(conn, passkey)
        .await
        .map_err(super::error::conflict("this passkey is already registered"))?;
    events::record(
        conn,
        &passkey.app_id,
        EventKind::PasskeyAdded,
        Some(&passkey.user_id),
        meta,
        events::data([
            ("passkey_id", json!(passkey.id)),
            ("name", json!(passkey.name)),
            ("aaguid", json!(passkey.aaguid)),
        ]),
        now,
    )
    .await?;
    Ok(())
}

fn not_found(id: &str) -> Error {
    Error::NotFound(format!("there is no passkey {id:?}"))
}
