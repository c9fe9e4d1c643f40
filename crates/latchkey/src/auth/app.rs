//! Apps: creating, validating, changing and looking up tenants.
//!
//! An app's relying-party identity is checked when it is saved (every origin must sit under the
//! RP ID, as WebAuthn requires), so ceremonies never meet an inconsistent app.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::Auth;
use super::error::{Error, Result, conflict, invalid};
use crate::auth::store::{self, apps::App};

/// How long a looked-up app is trusted before it is read again; bounds how long another instance
/// can act on settings an admin just changed.
const APP_CACHE_TTL: Duration = Duration::from_secs(5);

pub const DEFAULT_ACCESS_TOKEN_TTL: i64 = 15 * 60;
pub const DEFAULT_REFRESH_TOKEN_TTL: i64 = 30 * 24 * 3600;

/// `POST /admin/apps`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApp {
    pub id: String,
    pub name: String,
    pub rp_id: String,
    pub rp_name: Option<String>,
    pub origins: Vec<String>,
    #[serde(default)]
    pub redirect_uris: Vec<String>,
    pub access_token_ttl: Option<i64>,
    pub refresh_token_ttl: Option<i64>,
    pub user_verification: Option<String>,
    pub sign_up_allowed: Option<bool>,
    pub signing_alg: Option<String>,
    pub magic_link_binding: Option<bool>,
    pub unknown_email_sign_up: Option<bool>,
    pub email_templates: Option<serde_json::Map<String, serde_json::Value>>,
    pub logo_url: Option<String>,
    pub accent_color: Option<String>,
}

impl NewApp {
    /// An app with every setting at its default.
    pub fn new(id: String, name: String, rp_id: String, origins: Vec<String>) -> Self {
        Self {
            id,
            name,
            rp_id,
            rp_name: None,
            origins,
            redirect_uris: Vec::new(),
            access_token_ttl: None,
            refresh_token_ttl: None,
            user_verification: None,
            sign_up_allowed: None,
            signing_alg: None,
            magic_link_binding: None,
            unknown_email_sign_up: None,
            email_templates: None,
            logo_url: None,
            accent_color: None,
        }
    }
}

/// `PATCH /admin/apps/{app}`: every field optional; the id never changes.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppPatch {
    pub name: Option<String>,
    pub rp_id: Option<String>,
    pub rp_name: Option<String>,
    pub origins: Option<Vec<String>>,
    pub redirect_uris: Option<Vec<String>>,
    pub access_token_ttl: Option<i64>,
    pub refresh_token_ttl: Option<i64>,
    pub user_verification: Option<String>,
    pub sign_up_allowed: Option<bool>,
    pub signing_alg: Option<String>,
    pub magic_link_binding: Option<bool>,
    pub unknown_email_sign_up: Option<bool>,
    pub email_templates: Option<serde_json::Map<String, serde_json::Value>>,
    /// `null` removes the logo.
    #[serde(default, deserialize_with = "nullable")]
    pub logo_url: Option<Option<String>>,
    /// `null` restores the default colour.
    #[serde(default, deserialize_with = "nullable")]
    pub accent_color: Option<Option<String>>,
}

/// Tells "absent" (`None`) from "null" (`Some(None)`).
fn nullable<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// Recently read apps, so the hot path does not read the app row on every request.
#[derive(Default)]
pub(crate) struct AppCache(RwLock<HashMap<String, (Arc<App>, Instant)>>);

impl AppCache {
    fn get(&self, id: &str) -> Option<Arc<App>> {
        let map = self.0.read().unwrap_or_else(|e| e.into_inner());
        map.get(id)
            .filter(|(_, at)| at.elapsed() < APP_CACHE_TTL)
            .map(|(app, _)| app.clone())
    }

    fn put(&self, app: Arc<App>) {
        let mut map = self.0.write().unwrap_or_else(|e| e.into_inner());
        map.insert(app.id.clone(), (app, Instant::now()));
    }

    fn forget(&self, id: &str) {
        let mut map = self.0.write().unwrap_or_else(|e| e.into_inner());
        map.remove(id);
    }
}

/// Checks an app id: `[a-z0-9][a-z0-9-]{1,62}`.
pub fn valid_app_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    (2..=63).contains(&bytes.len())
        && (bytes[0].is_ascii_lowercase() || bytes[0].is_ascii_digit())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

fn validate(app: &App) -> Result<()> {
    if !valid_app_id(&app.id) {
        return invalid("id must match [a-z0-9][a-z0-9-]{1,62}");
    }
    // Names go into email headers and pages: no control characters (a CR/LF would break a header).
    for (field, value) in [("name", &app.name), ("rp_name", &app.rp_name)] {
        if value.trim().is_empty()
            || value.chars().count() > 100
            || value.chars().any(char::is_control)
        {
            return invalid(format!(
                "{field} must be 1 to 100 characters with no control characters"
            ));
        }
    }
    let rp_id = &app.rp_id;
    if rp_id.is_empty()
        || rp_id.len() > 253
        || rp_id != &rp_id.to_ascii_lowercase()
        || !rp_id
            .split('.')
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    {
        return invalid("rp_id must be a lower-case domain name such as example.com or localhost");
    }
    if app.origins.is_empty() {
        return invalid("origins must list at least one web origin, e.g. https://example.com");
    }
    for origin in &app.origins {
        let url = url::Url::parse(origin)
            .map_err(|_| Error::InvalidRequest(format!("origin {origin:?} is not a URL")))?;
        if url.origin().ascii_serialization() != *origin {
            return invalid(format!(
                "origin {origin:?} must be scheme://host[:port] with no path or trailing slash"
            ));
        }
        let host = url.host_str().unwrap_or_default();
        if url.scheme() != "https" && !(url.scheme() == "http" && host == "localhost") {
            return invalid(format!(
                "origin {origin:?} must use https (http is allowed only for localhost)"
            ));
        }
        if host != rp_id && !host.ends_with(&format!(".{rp_id}")) {
            return invalid(format!(
                "origin {origin:?} is not on rp_id {rp_id:?}: its host must be the RP ID or a subdomain of it"
            ));
        }
    }
    for uri in &app.redirect_uris {
        // The auth_token travels in this URL: https, or plain http only to this machine
        // (OAuth 2.1 §8.4.2).
        let ok = url::Url::parse(uri)
            .map(|u| {
                let loopback = matches!(u.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
                (u.scheme() == "https" || (u.scheme() == "http" && loopback))
                    && u.fragment().is_none()
            })
            .unwrap_or(false);
        if !ok {
            return invalid(format!(
                "redirect_uri {uri:?} must be an https URL without a fragment (http only for localhost)"
            ));
        }
    }
    if !(60..=86_400).contains(&app.access_token_ttl) {
        return invalid("access_token_ttl must be between 60 and 86400 seconds");
    }
    if !(300..=31_536_000).contains(&app.refresh_token_ttl) {
        return invalid("refresh_token_ttl must be between 300 and 31536000 seconds");
    }
    if !matches!(app.user_verification.as_str(), "preferred" | "required") {
        return invalid("user_verification must be \"preferred\" or \"required\"");
    }
    if !matches!(app.signing_alg.as_str(), "ES256" | "EdDSA" | "RS256") {
        return invalid("signing_alg must be \"ES256\", \"EdDSA\" or \"RS256\"");
    }
    crate::mail::validate_templates(&app.email_templates).map_err(Error::InvalidRequest)?;
    if let Some(logo) = &app.logo_url {
        let ok = url::Url::parse(logo).is_ok_and(|u| u.scheme() == "https") && logo.len() <= 2048;
        if !ok {
            return invalid("logo_url must be an https URL");
        }
    }
    if let Some(color) = &app.accent_color {
        let ok = color.len() == 7
            && color.starts_with('#')
            && color[1..].bytes().all(|b| b.is_ascii_hexdigit());
        if !ok {
            return invalid("accent_color must be a colour in the form #rrggbb");
        }
    }
    Ok(())
}

impl Auth {
    /// The app `id`, from the cache when fresh; `NotFound` if there is none.
    pub async fn app(&self, id: &str) -> Result<Arc<App>> {
        if let Some(app) = self.apps.get(id) {
            return Ok(app);
        }
        let mut conn = self.store.conn().await?;
        let app = store::apps::find_app(&mut conn, id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("there is no app {id:?}")))?;
        let app = Arc::new(app);
        self.apps.put(app.clone());
        Ok(app)
    }

    pub async fn create_app(&self, new: NewApp) -> Result<App> {
        let now = self.clock.now();
        let app = App {
            rp_name: new.rp_name.unwrap_or_else(|| new.name.clone()),
            id: new.id,
            name: new.name,
            rp_id: new.rp_id,
            origins: new.origins,
            redirect_uris: new.redirect_uris,
            access_token_ttl: new.access_token_ttl.unwrap_or(DEFAULT_ACCESS_TOKEN_TTL),
            refresh_token_ttl: new.refresh_token_ttl.unwrap_or(DEFAULT_REFRESH_TOKEN_TTL),
            user_verification: new
                .user_verification
                .unwrap_or_else(|| "preferred".to_owned()),
            sign_up_allowed: new.sign_up_allowed.unwrap_or(true),
            signing_alg: new.signing_alg.unwrap_or_else(|| "ES256".to_owned()),
            magic_link_binding: new.magic_link_binding.unwrap_or(true),
            unknown_email_sign_up: new.unknown_email_sign_up.unwrap_or(true),
            email_templates: new.email_templates.unwrap_or_default(),
            logo_url: new.logo_url,
            accent_color: new.accent_color,
            created_at: now,
            updated_at: now,
        };
        validate(&app)?;
        let mut tx = self.store.begin().await?;
        store::apps::insert_app(&mut tx, &app)
            .await
            .map_err(conflict(format!("app {:?} already exists", app.id)))?;
        super::commit(tx).await?;
        Ok(app)
    }

    pub async fn update_app(&self, id: &str, patch: AppPatch) -> Result<App> {
        let mut tx = self.store.begin().await?;
        let mut app = store::apps::find_app(&mut tx, id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("there is no app {id:?}")))?;
        let old_alg = app.signing_alg.clone();
        let AppPatch {
            name,
            rp_id,
            rp_name,
            origins,
            redirect_uris,
            access_token_ttl,
            refresh_token_ttl,
            user_verification,
            sign_up_allowed,
            signing_alg,
            magic_link_binding,
            unknown_email_sign_up,
            email_templates,
            logo_url,
            accent_color,
        } = patch;
        macro_rules! set {
            ($($field:ident),*) => { $(if let Some(v) = $field { app.$field = v; })* };
        }
        set!(
            name,
            rp_id,
            rp_name,
            origins,
            redirect_uris,
            access_token_ttl,
            refresh_token_ttl,
            user_verification,
            sign_up_allowed,
            signing_alg,
            magic_link_binding,
            unknown_email_sign_up,
            email_templates,
            logo_url,
            accent_color
        );
        app.updated_at = self.clock.now();
        validate(&app)?;
        store::apps::update_app(&mut tx, &app).await?;
        if app.signing_alg != old_alg {
            // Tokens already issued stay verifiable: the retired key stays in the JWKS.
            store::signing_keys::retire_active(&mut tx, id, app.updated_at).await?;
        }
        super::commit(tx).await?;
        self.apps.forget(id);
        self.keys.forget(id);
        Ok(app)
    }

    pub async fn delete_app(&self, id: &str) -> Result<()> {
        let mut tx = self.store.begin().await?;
        if !store::apps::delete_app(&mut tx, id).await? {
            return Err(Error::NotFound(format!("there is no app {id:?}")));
        }
        super::commit(tx).await?;
        self.apps.forget(id);
        self.keys.forget(id);
        Ok(())
    }

    pub async fn list_apps(&self, cursor: Option<&str>, limit: i64) -> Result<Vec<App>> {
        let mut conn = self.store.conn().await?;
        Ok(store::apps::list_apps(&mut conn, cursor, limit).await?)
    }

    /// The methods of signing in that the app offers, for its public configuration.
    pub fn methods(&self, _app: &App) -> Vec<&'static str> {
        vec!["passkey", "email_otp", "magic_link"]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_ids() {
        assert!(valid_app_id("demo"));
        assert!(valid_app_id("a1-b2"));
        assert!(!valid_app_id("a"));
        assert!(!valid_app_id("-ab"));
        assert!(!valid_app_id("Demo"));
        assert!(!valid_app_id("de_mo"));
        assert!(!valid_app_id(&"a".repeat(64)));
    }
}
