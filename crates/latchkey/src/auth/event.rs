//! Audit events: what happened, to whom, from where. Written in the same transaction as the
//! change they describe, so the log never claims something that was rolled back.

use serde_json::{Map, Value};

use super::RequestMeta;
use crate::auth::store::{self, Conn, events::Event};

/// Every kind of audit event, with its stable wire name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    UserSignedUp,
    SignInSucceeded,
    SignInFailed,
    PasskeyAdded,
    PasskeyRenamed,
    PasskeyRemoved,
    SessionRevoked,
    SignedOut,
    RefreshReuseDetected,
    UserCreated,
    UserUpdated,
    UserDeleted,
    ApiKeyCreated,
    ApiKeyRevoked,
    EmailSent,
    EmailDeliveryFailed,
    EmailVerified,
    TakeoverProtection,
    AccountRecovered,
    ServerTokenIssued,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UserSignedUp => "user.signed_up",
            Self::SignInSucceeded => "sign_in.succeeded",
            Self::SignInFailed => "sign_in.failed",
            Self::PasskeyAdded => "passkey.added",
            Self::PasskeyRenamed => "passkey.renamed",
            Self::PasskeyRemoved => "passkey.removed",
            Self::SessionRevoked => "session.revoked",
            Self::SignedOut => "session.signed_out",
            Self::RefreshReuseDetected => "session.refresh_reuse_detected",
            Self::UserCreated => "user.created",
            Self::UserUpdated => "user.updated",
            Self::UserDeleted => "user.deleted",
            Self::ApiKeyCreated => "api_key.created",
            Self::ApiKeyRevoked => "api_key.revoked",
            Self::EmailSent => "email.sent",
            Self::EmailDeliveryFailed => "email.delivery_failed",
            Self::EmailVerified => "user.email_verified",
            Self::TakeoverProtection => "account.takeover_protection",
            Self::AccountRecovered => "account.recovered",
            Self::ServerTokenIssued => "server_token.issued",
        }
    }
}

/// Builds the `data` object of an event from key/value pairs.
pub fn data<const N: usize>(pairs: [(&str, Value); N]) -> Map<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// Appends an event on `conn` (normally inside the transaction making the change).
pub async fn record(
    conn: &mut Conn,
    app_id: &str,
    kind: Kind,
    user_id: Option<&str>,
    meta: &RequestMeta,
    data: Map<String, Value>,
    now: i64,
) -> store::Result<()> {
    store::events::insert_event(conn, &new(app_id, kind, user_id, meta, data, now)).await
}

/// The event [`record`] would write, for a caller that writes it with other rows.
pub fn new(
    app_id: &str,
    kind: Kind,
    user_id: Option<&str>,
    meta: &RequestMeta,
    data: Map<String, Value>,
    now: i64,
) -> Event {
    Event {
        id: super::new_id(),
        app_id: app_id.to_owned(),
        kind: kind.as_str().to_owned(),
        user_id: user_id.map(str::to_owned),
        ip: meta.ip.clone(),
        user_agent: meta.user_agent.clone(),
        data,
        created_at: now,
    }
}
