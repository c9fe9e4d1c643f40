//! The objects of the server API (API.md "Objects"), as Rust types.
//!
//! Response types are `#[non_exhaustive]`: the server adds fields over time and this crate must
//! keep reading them. Request types ([`NewUser`], [`UserPatch`], the queries) have public fields
//! and `Default`, so callers set what they need and leave the rest out of the JSON.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps an id received from elsewhere (a database column, a URL).
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The id as the server spells it.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> Self {
                id.0
            }
        }
    };
}

id_type!(
    /// A user's id (the `sub` of their access tokens).
    UserId
);
id_type!(
    /// A session's id (the `sid` of its access tokens).
    SessionId
);
id_type!(
    /// A passkey's id: its WebAuthn credential id, base64url.
    PasskeyId
);
id_type!(
    /// An audit event's id.
    EventId
);

/// A user of the app.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct User {
    pub id: UserId,
    pub email: Option<String>,
    pub email_verified: bool,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub display_name: Option<String>,
    /// Whatever the app stored with [`UserPatch::metadata`] or [`NewUser::metadata`].
    #[serde(default)]
    pub metadata: Map<String, Value>,
    /// A disabled user cannot sign in, and [`Client::verify_token`](crate::Client::verify_token)
    /// answers invalid for their tokens.
    pub disabled: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub last_sign_in_at: Option<OffsetDateTime>,
}

/// One of a user's passkeys.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Passkey {
    pub id: PasskeyId,
    /// A name for people: the authenticator's (from its AAGUID) unless the user renamed it.
    pub name: String,
    pub aaguid: String,
    #[serde(default)]
    pub transports: Vec<String>,
    /// Whether the passkey may be synced (multi-device).
    pub backup_eligible: bool,
    /// Whether it is backed up now.
    pub backup_state: bool,
    pub user_verified: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub last_used_at: Option<OffsetDateTime>,
}

/// A signed-in session.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Session {
    pub id: SessionId,
    pub user_id: UserId,
    /// How the user proved themselves: `passkey`, `mfa`, `otp`, `magic_link`.
    pub amr: Vec<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub last_seen_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// Always `false` through the server API (there is no "current" session for a backend).
    #[serde(default)]
    pub current: bool,
}

/// An entry of the app's audit log.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Event {
    pub id: EventId,
    /// `user.signed_up`, `sign_in.succeeded`, `passkey.added`, `user.deleted`, …
    #[serde(rename = "type")]
    pub kind: String,
    pub user_id: Option<UserId>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    #[serde(default)]
    pub data: Map<String, Value>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// One page of a paginated list. Pass `next_cursor` back as the query's `cursor` for the next
/// page; `None` means this was the last one.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// What `POST /apps/{app}/tokens/verify` said about a token.
#[derive(Clone, Debug, PartialEq)]
pub enum Verification {
    /// The token is good and its session live.
    Valid(Box<VerifiedToken>),
    /// The token is unknown, expired, already redeemed, or its session or user is gone.
    Invalid {
        /// The server's explanation, for logs.
        reason: String,
    },
}

impl Verification {
    /// The verified token, if it was valid.
    pub fn valid(self) -> Option<VerifiedToken> {
        match self {
            Self::Valid(v) => Some(*v),
            Self::Invalid { .. } => None,
        }
    }
}

/// A token the server vouched for.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct VerifiedToken {
    pub user: User,
    pub session_id: SessionId,
    pub amr: Vec<String>,
    /// The class of the sign-in, from `amr`: `phr` (a passkey), `mfa` (two factors), `sfa`
    /// (one). `None` from a server that does not say.
    pub acr: Option<String>,
    /// The session's active organization, as it stands now.
    pub org_id: Option<String>,
    /// The user's roles and the union of their permissions, as they stand now.
    pub roles: Vec<String>,
    pub permissions: Vec<String>,
    /// When the access token (or, for an auth token, the session) expires.
    pub expires_at: OffsetDateTime,
}

/// The wire form of [`Verification`].
#[derive(Deserialize)]
pub(crate) struct VerifyResponse {
    valid: bool,
    user: Option<User>,
    session_id: Option<SessionId>,
    #[serde(default)]
    amr: Vec<String>,
    #[serde(default)]
    acr: Option<String>,
    #[serde(default)]
    org_id: Option<String>,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    permissions: Vec<String>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    expires_at: Option<OffsetDateTime>,
    error: Option<String>,
}

impl TryFrom<VerifyResponse> for Verification {
    type Error = &'static str;

    fn try_from(r: VerifyResponse) -> Result<Self, Self::Error> {
        if !r.valid {
            return Ok(Self::Invalid {
                reason: r.error.unwrap_or_default(),
            });
        }
        Ok(Self::Valid(Box::new(VerifiedToken {
            user: r.user.ok_or("`valid: true` without `user`")?,
            session_id: r.session_id.ok_or("`valid: true` without `session_id`")?,
            amr: r.amr,
            acr: r.acr,
            org_id: r.org_id,
            roles: r.roles,
            permissions: r.permissions,
            expires_at: r.expires_at.ok_or("`valid: true` without `expires_at`")?,
        })))
    }
}

/// `{"items": [...]}` of the unpaginated lists.
#[derive(Deserialize)]
pub(crate) struct Items<T> {
    pub(crate) items: Vec<T>,
}

/// A user to create (`POST /apps/{app}/users`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct NewUser {
    pub email: String,
    /// Whether the app already knows the address is the user's (defaults to `false`).
    pub email_verified: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub metadata: Map<String, Value>,
}

impl NewUser {
    /// A user with just an (unverified) email.
    pub fn new(email: impl Into<String>) -> Self {
        Self {
            email: email.into(),
            ..Self::default()
        }
    }
}

/// Changes to a user (`PATCH /apps/{app}/users/{id}`): `None` leaves a field as it is. For the
/// names, `Some(None)` clears the field.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct UserPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_name: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_name: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<Option<String>>,
    /// Replaces the whole metadata object.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
    /// A disabled user cannot sign in and their tokens stop verifying online.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
}

/// Which users to list (`GET /apps/{app}/users`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct UserQuery {
    /// Exactly this email (case-insensitive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Free text matched against email and names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// Page size: default 50, at most 200.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

impl UserQuery {
    /// Users whose email or names match `text`.
    pub fn search(text: impl Into<String>) -> Self {
        Self {
            query: Some(text.into()),
            ..Self::default()
        }
    }

    /// The user with this email, if any.
    pub fn email(email: impl Into<String>) -> Self {
        Self {
            email: Some(email.into()),
            ..Self::default()
        }
    }
}

/// Which audit events to list (`GET /apps/{app}/events`), newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EventQuery {
    /// Only this user's events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<UserId>,
    /// Only events of this type (`sign_in.succeeded`, …).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Page size: default 50, at most 200.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}
