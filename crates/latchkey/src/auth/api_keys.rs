//! API keys (one app's backend) and admin keys (the instance operator).
//!
//! A key is a random 256-bit secret with a readable prefix (`lk_sk_`, `lk_admin_`), shown once
//! and stored only as its SHA-256. Looking a key up by its hash compares no secret bytes in
//! variable time.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::json;

use super::error::{Error, Result};
use super::events::{self, EventKind};
use super::ids::{AppId, new_id};
use super::store;
use super::{Auth, RequestMeta};
use crate::clock::Timestamp;
use crate::crypto::{Secret, SecretKind, ct_eq};

/// A key's public facts; the secret itself is never stored.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ApiKey {
    pub id: String,
    /// `None` for an instance admin key.
    pub app_id: Option<AppId>,
    pub name: String,
    /// The first characters of the secret, to tell keys apart.
    pub prefix: String,
    #[serde(with = "crate::clock::rfc3339_serde")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[serde(skip)]
    pub last_used_at: Option<Timestamp>,
    #[serde(with = "crate::clock::rfc3339_serde_option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub revoked_at: Option<Timestamp>,
}

/// How long a checked API key is trusted without asking the store again. A key revoked here is
/// forgotten at once; one revoked through another instance stops working within this time, as
/// app settings do.
const API_KEY_CACHE_TTL: Duration = Duration::from_secs(5);

/// API keys recently found active, by the SHA-256 of their secret. Only keys that exist are
/// kept, so the map is bounded by the keys the instance has.
#[derive(Default)]
pub(crate) struct ApiKeyCache(RwLock<HashMap<Vec<u8>, (ApiKey, Instant)>>);

impl std::fmt::Debug for ApiKeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKeyCache(…)")
    }
}

impl ApiKeyCache {
    fn get(&self, hash: &[u8]) -> Option<ApiKey> {
        let map = self.0.read().unwrap_or_else(|e| e.into_inner());
        map.get(hash)
            .filter(|(_, at)| at.elapsed() < API_KEY_CACHE_TTL)
            .map(|(key, _)| key.clone())
    }

    fn put(&self, hash: Vec<u8>, key: ApiKey) {
        let mut map = self.0.write().unwrap_or_else(|e| e.into_inner());
        map.retain(|_, (_, at)| at.elapsed() < API_KEY_CACHE_TTL);
        map.insert(hash, (key, Instant::now()));
    }

    fn forget(&self, id: &str) {
        let mut map = self.0.write().unwrap_or_else(|e| e.into_inner());
        map.retain(|_, (key, _)| key.id != id);
    }

    /// Forgets every key of `app_id` (the app was deleted).
    pub(crate) fn forget_app(&self, app_id: &AppId) {
        let mut map = self.0.write().unwrap_or_else(|e| e.into_inner());
        map.retain(|_, (key, _)| key.app_id.as_ref() != Some(app_id));
    }
}

/// A freshly created key: its public facts and the secret, which is never shown again.
#[derive(Debug)]
pub struct CreatedKey {
    pub key: ApiKey,
    pub secret: Secret,
}

/// The prefix stored to tell keys apart: the kind's prefix and 4 secret characters.
fn display_prefix(secret: &Secret, kind: SecretKind) -> String {
    secret
        .expose()
        .chars()
        .take(kind.prefix().len() + 4)
        .collect()
}

/// App API keys and instance admin keys.
pub struct ApiKeys<'a> {
    pub(super) auth: &'a Auth,
}

impl ApiKeys<'_> {
    /// Creates an API key for `app_id`.
    #[tracing::instrument(level = "debug", skip_all, fields(app = %app_id))]
    pub async fn create(
        &self,
        app_id: &str,
        name: Option<String>,
        meta: &RequestMeta,
    ) -> Result<CreatedKey> {
        let app = self.auth.apps().get(app_id).await?;
        let name = name.unwrap_or_else(|| "API key".to_owned());
        if name.trim().is_empty() || name.chars().count() > 100 {
            return Err(Error::InvalidRequest(
                "name must be 1 to 100 characters".to_owned(),
            ));
        }
        let secret = Secret::new(SecretKind::ApiKey);
        let now = self.auth.clock.now();
        let key = ApiKey {
            id: new_id(),
            app_id: Some(app.id.clone()),
            name,
            prefix: display_prefix(&secret, SecretKind::ApiKey),
            created_at: now,
            last_used_at: None,
            revoked_at: None,
        };
        let (hash, meta, app_id) = (secret.hash(), meta.clone(), app.id.clone());
        let key = self
            .auth
            .store
            .write(move |tx| {
                Box::pin(async move {
                    store::api_keys::insert_api_key(tx, &key, &hash).await?;
                    let data = events::data([
                        ("api_key_id", json!(key.id)),
                        ("prefix", json!(key.prefix)),
                    ]);
                    let kind = EventKind::ApiKeyCreated;
                    events::record(tx, &app_id, kind, None, &meta, data, now).await?;
                    Ok::<_, Error>(key)
                })
            })
            .await?;
        Ok(CreatedKey { key, secret })
    }

    /// Creates an instance admin key.
    pub async fn create_admin_key(&self) -> Result<CreatedKey> {
        let secret = Secret::new(SecretKind::AdminKey);
        let key = ApiKey {
            id: new_id(),
            app_id: None,
            name: "admin key".to_owned(),
            prefix: display_prefix(&secret, SecretKind::AdminKey),
            created_at: self.auth.clock.now(),
            last_used_at: None,
            revoked_at: None,
        };
        let hash = secret.hash();
        let key = self
            .auth
            .store
            .write(move |tx| {
                Box::pin(async move {
                    store::api_keys::insert_api_key(tx, &key, &hash).await?;
                    Ok::<_, Error>(key)
                })
            })
            .await?;
        Ok(CreatedKey { key, secret })
    }

    /// The app's keys (never a secret), revoked ones included.
    pub async fn list(&self, app_id: &str) -> Result<Vec<ApiKey>> {
        let app = self.auth.apps().get(app_id).await?;
        let mut reader = self.auth.store.read().await?;
        Ok(store::api_keys::list_app_keys(&mut reader.conn(), &app.id).await?)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(app = %app_id))]
    pub async fn revoke(&self, app_id: &str, id: &str, meta: &RequestMeta) -> Result<()> {
        let not_found = || Error::NotFound(format!("there is no active API key {id:?}"));
        let app_id = AppId::parse(app_id).ok_or_else(not_found)?;
        let now = self.auth.clock.now();
        let (key_id, meta, missing) = (id.to_owned(), meta.clone(), not_found());
        self.auth
            .store
            .write(move |tx| {
                Box::pin(async move {
                    if !store::api_keys::revoke_app_key(tx, &app_id, &key_id, now).await? {
                        return Err(missing);
                    }
                    let data = events::data([("api_key_id", json!(key_id))]);
                    let kind = EventKind::ApiKeyRevoked;
                    events::record(tx, &app_id, kind, None, &meta, data, now).await?;
                    Ok(())
                })
            })
            .await?;
        self.auth.api_keys.forget(id);
        Ok(())
    }

    /// Checks an API key for `app_id`: an unknown, revoked, or other app's key is `Unauthorized`.
    pub async fn authenticate(&self, app_id: &AppId, secret: &Secret) -> Result<ApiKey> {
        let unauthorized = || {
            Error::Unauthorized(format!(
                "the API key is not valid for app {:?}",
                app_id.as_str()
            ))
        };
        if !SecretKind::ApiKey.is_kind_of(secret.expose()) {
            return Err(unauthorized());
        }
        let hash = secret.hash();
        let key = match self.auth.api_keys.get(&hash) {
            Some(key) => key,
            None => {
                let mut reader = self.auth.store.read().await?;
                let key = store::api_keys::find_active_by_hash(&mut reader.conn(), &hash)
                    .await?
                    .ok_or_else(unauthorized)?;
                self.auth.api_keys.put(hash, key.clone());
                key
            }
        };
        if key.app_id.as_ref() != Some(app_id) {
            return Err(unauthorized());
        }
        Ok(key)
    }

    /// Checks an admin key: the configured `LATCHKEY_ADMIN_KEY` or one created by the CLI.
    pub async fn authenticate_admin(&self, secret: &Secret) -> Result<()> {
        if let Some(configured) = &self.auth.admin_key_hash
            && ct_eq(configured, &secret.hash())
        {
            return Ok(());
        }
        let unauthorized = || Error::Unauthorized("the admin key is not valid".to_owned());
        if !SecretKind::AdminKey.is_kind_of(secret.expose()) {
            return Err(unauthorized());
        }
        let mut reader = self.auth.store.read().await?;
        match store::api_keys::find_active_by_hash(&mut reader.conn(), &secret.hash()).await? {
            Some(key) if key.app_id.is_none() => Ok(()),
            _ => Err(unauthorized()),
        }
    }
}
