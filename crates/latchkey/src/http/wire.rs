//! Response bodies: the JSON shapes of API.md's objects, built from domain types.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::auth::session::SignIn;
use crate::auth::store::{
    api_keys::ApiKey, apps::App, events::Event, passkeys::Passkey, sessions::Session, users::User,
};
use crate::clock::rfc3339;

#[derive(Serialize, utoipa::ToSchema)]
pub struct UserResponse {
    pub id: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub display_name: Option<String>,
    pub metadata: Map<String, Value>,
    pub disabled: bool,
    pub created_at: String,
    pub updated_at: String,
    pub last_sign_in_at: Option<String>,
}

impl From<&User> for UserResponse {
    fn from(u: &User) -> Self {
        Self {
            id: u.id.clone(),
            email: u.email.clone(),
            email_verified: u.email_verified,
            given_name: u.given_name.clone(),
            family_name: u.family_name.clone(),
            display_name: u.display_name.clone(),
            metadata: u.metadata.clone(),
            disabled: u.disabled,
            created_at: rfc3339(u.created_at),
            updated_at: rfc3339(u.updated_at),
            last_sign_in_at: u.last_sign_in_at.map(rfc3339),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PasskeyResponse {
    pub id: String,
    pub name: String,
    pub aaguid: String,
    pub transports: Vec<String>,
    pub backup_eligible: bool,
    pub backup_state: bool,
    pub user_verified: bool,
    pub created_at: String,
    pub last_used_at: Option<String>,
}

impl From<&Passkey> for PasskeyResponse {
    fn from(p: &Passkey) -> Self {
        Self {
            id: p.id.clone(),
            name: p.name.clone(),
            aaguid: p.aaguid.clone(),
            transports: p.transports.clone(),
            backup_eligible: p.backup_eligible,
            backup_state: p.backup_state,
            user_verified: p.user_verified,
            created_at: rfc3339(p.created_at),
            last_used_at: p.last_used_at.map(rfc3339),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SessionResponse {
    pub id: String,
    pub user_id: String,
    pub amr: Vec<String>,
    pub created_at: String,
    pub last_seen_at: String,
    pub expires_at: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub current: bool,
}

impl SessionResponse {
    pub fn new(s: &Session, current_id: Option<&str>) -> Self {
        Self {
            id: s.id.clone(),
            user_id: s.user_id.clone(),
            amr: s.amr.clone(),
            created_at: rfc3339(s.created_at),
            last_seen_at: rfc3339(s.last_seen_at),
            expires_at: rfc3339(s.expires_at),
            ip: s.ip.clone(),
            user_agent: s.user_agent.clone(),
            current: current_id == Some(s.id.as_str()),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SignInResponse {
    pub user: UserResponse,
    pub session: SessionResponse,
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub refresh_token: String,
    pub auth_token: String,
}

impl From<&SignIn> for SignInResponse {
    fn from(s: &SignIn) -> Self {
        Self {
            user: (&s.user).into(),
            session: SessionResponse::new(&s.session, Some(&s.session.id)),
            access_token: s.access_token.clone(),
            token_type: "Bearer",
            expires_in: s.expires_in,
            refresh_token: s.refresh_token.clone(),
            auth_token: s.auth_token.clone(),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EventResponse {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub user_id: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub data: Map<String, Value>,
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

#[derive(Serialize, utoipa::ToSchema)]
pub struct AppResponse {
    pub id: String,
    pub name: String,
    pub rp_id: String,
    pub rp_name: String,
    pub origins: Vec<String>,
    pub redirect_uris: Vec<String>,
    pub access_token_ttl: i64,
    pub refresh_token_ttl: i64,
    pub user_verification: String,
    pub sign_up_allowed: bool,
    pub signing_alg: String,
    pub magic_link_binding: bool,
    pub unknown_email_sign_up: bool,
    pub email_templates: Map<String, Value>,
    pub logo_url: Option<String>,
    pub accent_color: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&App> for AppResponse {
    fn from(a: &App) -> Self {
        Self {
            id: a.id.clone(),
            name: a.name.clone(),
            rp_id: a.rp_id.clone(),
            rp_name: a.rp_name.clone(),
            origins: a.origins.clone(),
            redirect_uris: a.redirect_uris.clone(),
            access_token_ttl: a.access_token_ttl,
            refresh_token_ttl: a.refresh_token_ttl,
            user_verification: a.user_verification.clone(),
            sign_up_allowed: a.sign_up_allowed,
            signing_alg: a.signing_alg.clone(),
            magic_link_binding: a.magic_link_binding,
            unknown_email_sign_up: a.unknown_email_sign_up,
            email_templates: a.email_templates.clone(),
            logo_url: a.logo_url.clone(),
            accent_color: a.accent_color.clone(),
            created_at: rfc3339(a.created_at),
            updated_at: rfc3339(a.updated_at),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ApiKeyResponse {
    pub id: String,
    pub app_id: Option<String>,
    pub name: String,
    pub prefix: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
    /// Present only in the response that created the key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

impl From<&ApiKey> for ApiKeyResponse {
    fn from(k: &ApiKey) -> Self {
        Self {
            id: k.id.clone(),
            app_id: k.app_id.clone(),
            name: k.name.clone(),
            prefix: k.prefix.clone(),
            created_at: rfc3339(k.created_at),
            revoked_at: k.revoked_at.map(rfc3339),
            secret: None,
        }
    }
}

/// `{"items": [...], "next_cursor": ...}`: `items` holds up to `limit + 1` rows, the extra one
/// only telling that another page exists.
pub fn page<T, R: Serialize>(
    mut items: Vec<T>,
    limit: i64,
    cursor_of: impl Fn(&T) -> String,
    to: impl Fn(&T) -> R,
) -> Value {
    let more = items.len() as i64 > limit;
    items.truncate(usize::try_from(limit).unwrap_or(0));
    let next = if more {
        items.last().map(&cursor_of)
    } else {
        None
    };
    serde_json::json!({
        "items": items.iter().map(to).collect::<Vec<_>>(),
        "next_cursor": next,
    })
}
