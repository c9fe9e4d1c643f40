//! Response bodies: the JSON shapes of API.md's objects, built from domain types. Handlers
//! return these types, and the OpenAPI description is derived from the same types, so the two
//! cannot disagree.

use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::auth::api_keys::{ApiKey, CreatedKey};
use crate::auth::events::Event;
use crate::auth::oauth_clients::{ClientWithSecret, OAuthClient};
use crate::auth::oidc::Acr;
use crate::auth::sessions::VerifiedToken;
use crate::auth::sign_in::{Amr, PendingSecondFactor, SecondFactor, SignInMethod};
use crate::auth::{App, AppId, Session, SessionId, SignIn, User, UserId};
use crate::clock::{Timestamp, rfc3339};

#[derive(Serialize, ToSchema)]
pub struct SessionResponse {
    pub id: SessionId,
    pub user_id: UserId,
    pub amr: Vec<Amr>,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub last_seen_at: String,
    #[schema(format = DateTime)]
    pub expires_at: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// Whether this is the session making the request.
    pub current: bool,
    /// Set on an OAuth client's grant: the client's id.
    pub client_id: Option<String>,
    /// The client's name, in lists of sessions.
    pub client_name: Option<String>,
    /// The organization the session acts for (`sessions/current/organization`), if any.
    pub org_id: Option<String>,
}

impl SessionResponse {
    pub fn new(s: &Session, current: Option<&SessionId>) -> Self {
        Self {
            id: s.id.clone(),
            user_id: s.user_id.clone(),
            amr: s.amr.clone(),
            created_at: rfc3339(s.created_at),
            last_seen_at: rfc3339(s.last_seen_at),
            expires_at: rfc3339(s.expires_at),
            ip: s.ip.clone(),
            user_agent: s.user_agent.clone(),
            current: current == Some(&s.id),
            client_id: s.grant.as_ref().map(|g| g.client_id.clone()),
            client_name: s.grant.as_ref().and_then(|g| g.client_name.clone()),
            org_id: s.org_id.clone(),
        }
    }
}

/// The sign-in result: every successful sign-in, from any method.
#[derive(Serialize, ToSchema)]
pub struct SignInResponse {
    pub user: User,
    pub session: SessionResponse,
    pub access_token: String,
    /// `Bearer`.
    pub token_type: &'static str,
    pub expires_in: i64,
    pub refresh_token: String,
    /// Single use, five minutes: for the app's backend to learn who signed in.
    pub auth_token: String,
}

impl From<&SignIn> for SignInResponse {
    fn from(s: &SignIn) -> Self {
        Self {
            user: s.user.clone(),
            session: SessionResponse::new(&s.session, Some(&s.session.id)),
            access_token: s.access_token.expose().to_owned(),
            token_type: "Bearer",
            expires_in: s.expires_in,
            refresh_token: s.refresh_token.expose().to_owned(),
            auth_token: s.auth_token.expose().to_owned(),
        }
    }
}

/// A sign-in whose first factor held while the app asks for a second: no session yet.
#[derive(Serialize, ToSchema)]
pub struct SecondFactorRequired {
    /// Always `true`.
    pub mfa_required: bool,
    /// Five minutes; redeemed by the second factor.
    pub mfa_token: String,
    /// The second factors this user has.
    pub factors: Vec<SecondFactor>,
}

impl From<&PendingSecondFactor> for SecondFactorRequired {
    fn from(p: &PendingSecondFactor) -> Self {
        Self {
            mfa_required: true,
            mfa_token: p.mfa_token.expose().to_owned(),
            factors: p.factors.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EventResponse {
    pub id: String,
    /// One of the event types (see the `type` filter), or a newer one.
    #[serde(rename = "type")]
    pub kind: String,
    pub user_id: Option<UserId>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub data: Map<String, Value>,
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl From<&Event> for EventResponse {
    fn from(e: &Event) -> Self {
        Self {
            id: e.id.clone(),
            kind: e.kind.clone(),
            user_id: e.user_id.clone(),
            ip: e.ip.clone(),
            user_agent: e.user_agent.clone(),
            data: e.data.clone(),
            created_at: rfc3339(e.created_at),
        }
    }
}

/// A new API key: its public facts and the secret, shown this once.
#[derive(Serialize, ToSchema)]
pub struct CreatedKeyResponse {
    #[serde(flatten)]
    pub key: ApiKey,
    pub secret: String,
}

impl From<&CreatedKey> for CreatedKeyResponse {
    fn from(c: &CreatedKey) -> Self {
        Self {
            key: c.key.clone(),
            secret: c.secret.expose().to_owned(),
        }
    }
}

/// An OAuth client made or given a new secret: the client and, for a confidential one, its
/// secret, shown this once.
#[derive(Serialize, ToSchema)]
pub struct ClientWithSecretResponse {
    #[serde(flatten)]
    pub client: OAuthClient,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
}

impl From<&ClientWithSecret> for ClientWithSecretResponse {
    fn from(c: &ClientWithSecret) -> Self {
        Self {
            client: c.client.clone(),
            client_secret: c.secret.as_ref().map(|s| s.expose().to_owned()),
        }
    }
}

/// What a login page needs to know about an app (`GET /apps/{app}/config`).
#[derive(Serialize, ToSchema)]
pub struct AppConfig {
    pub app_id: AppId,
    pub name: String,
    pub rp_id: String,
    /// The ways of signing in the app offers.
    pub methods: Vec<SignInMethod>,
    /// The app's public upstream identity providers (none can be configured yet).
    pub social_providers: Vec<String>,
    pub sign_up_allowed: bool,
    /// New accounts start with an email code; a passkey is added once signed in.
    pub sign_up_email_first: bool,
    /// A magic link opened on another device can be confirmed there for the one that asked:
    /// pages waiting for an email check `otp/email/status`.
    pub cross_device_links: bool,
    pub user_verification: crate::auth::apps::UserVerification,
    /// What the app's tokens name as `iss`: the origin of its own domain if it has one, else
    /// `PUBLIC_URL/apps/{app}`.
    pub issuer: String,
    /// The app's own domain, where its hosted pages are served, if it has one.
    pub domain: Option<String>,
}

impl AppConfig {
    /// The public configuration of `app`, whose tokens name `issuer`.
    pub fn new(app: &App, issuer: String) -> Self {
        Self {
            issuer,
            domain: app.domain.clone(),
            app_id: app.id.clone(),
            name: app.name.clone(),
            rp_id: app.rp_id.clone(),
            methods: app.sign_in_methods(),
            social_providers: Vec::new(),
            sign_up_allowed: app.sign_up_allowed,
            sign_up_email_first: app.sign_up_email_first,
            cross_device_links: app.cross_device_links,
            user_verification: app.user_verification,
        }
    }
}

/// `{"items": [...]}`: a whole, unpaginated list.
#[derive(Serialize, ToSchema)]
pub struct List<T> {
    pub items: Vec<T>,
}

impl<T> From<Vec<T>> for List<T> {
    fn from(items: Vec<T>) -> Self {
        Self { items }
    }
}

/// `{"items": [...], "next_cursor": ...}`: one page of a longer list.
#[derive(Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// A page from up to `limit + 1` rows, the extra one only telling that another page exists;
    /// `cursor_of` names the last row shown.
    pub fn of(mut rows: Vec<T>, limit: i64, cursor_of: impl Fn(&T) -> String) -> Self {
        let more = rows.len() as i64 > limit;
        rows.truncate(usize::try_from(limit).unwrap_or(0));
        let next_cursor = if more {
            rows.last().map(cursor_of)
        } else {
            None
        };
        Self {
            items: rows,
            next_cursor,
        }
    }
}

/// The signed-in user and their session.
#[derive(Serialize, ToSchema)]
pub struct CurrentSession {
    pub user: User,
    pub session: SessionResponse,
}

/// `202` of `otp/email`.
#[derive(Serialize, ToSchema)]
pub struct CodeSent {
    /// Seconds the code and link live.
    #[schema(example = 600)]
    pub expires_in: i64,
}

/// The outcome of `tokens/verify`: `valid: true` with the user, or `valid: false` with
/// `error`.
#[derive(Serialize, ToSchema)]
pub struct TokenVerification {
    pub valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_id: Option<SessionId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amr: Option<Vec<Amr>>,
    /// The class of the sign-in, from `amr`: `phr` (a passkey), `mfa` (two factors), `sfa`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acr: Option<Acr>,
    /// With `valid: true`: the session's organization (`null` when none), as it stands now.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub org_id: Option<Option<String>>,
    /// With `valid: true`: the user's roles, as they stand now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<String>>,
    /// With `valid: true`: the union of those roles' permissions, as it stands now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub expires_at: Option<String>,
    /// Why the token is not valid (only with `valid: false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl TokenVerification {
    pub fn of(outcome: Result<VerifiedToken, String>) -> Self {
        match outcome {
            Ok(v) => Self {
                valid: true,
                user: Some(v.user),
                session_id: Some(v.session_id),
                acr: Some(Acr::of(&v.amr)),
                amr: Some(v.amr),
                org_id: Some(v.access.org_id),
                roles: Some(v.access.roles),
                permissions: Some(v.access.permissions),
                expires_at: Some(rfc3339(v.expires_at)),
                error: None,
            },
            Err(error) => Self {
                valid: false,
                user: None,
                session_id: None,
                amr: None,
                acr: None,
                org_id: None,
                roles: None,
                permissions: None,
                expires_at: None,
                error: Some(error),
            },
        }
    }
}

/// `{"status": …}` of `/health` and `/ready`.
#[derive(Serialize, ToSchema)]
pub struct Status {
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// A timestamp in the wire's form.
pub fn timestamp(ts: Timestamp) -> String {
    rfc3339(ts)
}
