//! API keys (one app's backend) and admin keys (the instance operator).
//!
//! A key is a random 256-bit secret with a readable prefix (`lk_sk_`, `lk_admin_`), shown once
//! and stored only as its SHA-256. Looking a key up by its hash compares no secret bytes in
//! variable time.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use serde_json::json;

use super::error::{Error, Result};
use super::{Auth, RequestMeta, event, new_id};
use crate::auth::store::{self, api_keys::ApiKey};
use crate::crypto::{ct_eq, hash_secret, new_secret};

const APP_KEY_PREFIX: &str = "lk_sk_";
const ADMIN_KEY_PREFIX: &str = "lk_admin_";

/// How long a checked API key is trusted without asking the store again. A key revoked here is
/// forgotten at once; one revoked through another instance stops working within this time, as
/// app settings do.
const API_KEY_CACHE_TTL: Duration = Duration::from_secs(5);

/// API keys recently found active, by the SHA-256 of their secret. Only keys that exist are
/// kept, so the map is bounded by the keys the instance has.
#[derive(Default)]
pub(crate) struct ApiKeyCache(RwLock<HashMap<Vec<u8>, (ApiKey, Instant)>>);

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
}

/// A freshly created key: its public facts and the secret, which is never shown again.
#[derive(Debug)]
pub struct CreatedKey {
    pub key: ApiKey,
    pub secret: String,
}

/// The length of the prefix stored to tell keys apart: the type prefix and 4 secret characters.
fn display_prefix(secret: &str, type_prefix: &str) -> String {
    secret.chars().take(type_prefix.len() + 4).collect()
}

impl Auth {
    /// Creates an API key for `app_id`.
    pub async fn create_api_key(
        &self,
        app_id: &str,
        name: Option<String>,
        meta: &RequestMeta,
    ) -> Result<CreatedKey> {
        self.app(app_id).await?;
        let name = name.unwrap_or_else(|| "API key".to_owned());
        if name.trim().is_empty() || name.chars().count() > 100 {
            return Err(Error::InvalidRequest(
                "name must be 1 to 100 characters".to_owned(),
            ));
        }
        let secret = new_secret(APP_KEY_PREFIX);
        let now = self.clock.now();
        let key = ApiKey {
            id: new_id(),
            app_id: Some(app_id.to_owned()),
            name,
            prefix: display_prefix(&secret, APP_KEY_PREFIX),
            created_at: now,
            last_used_at: None,
            revoked_at: None,
        };
        let mut tx = self.store.begin().await?;
        store::api_keys::insert_api_key(&mut tx, &key, &hash_secret(&secret)).await?;
        event::record(
            &mut tx,
            app_id,
            event::Kind::ApiKeyCreated,
            None,
            meta,
            event::data([("api_key_id", json!(key.id)), ("prefix", json!(key.prefix))]),
            now,
        )
        .await?;
        super::commit(tx).await?;
        Ok(CreatedKey { key, secret })
    }

    /// Creates an instance admin key.
    pub async fn create_admin_key(&self) -> Result<CreatedKey> {
        let secret = new_secret(ADMIN_KEY_PREFIX);
        let key = ApiKey {
            id: new_id(),
            app_id: None,
            name: "admin key".to_owned(),
            prefix: display_prefix(&secret, ADMIN_KEY_PREFIX),
            created_at: self.clock.now(),
            last_used_at: None,
            revoked_at: None,
        };
        let mut conn = self.store.write_conn().await?;
        store::api_keys::insert_api_key(&mut conn, &key, &hash_secret(&secret)).await?;
        Ok(CreatedKey { key, secret })
    }

    pub async fn list_api_keys(&self, app_id: &str) -> Result<Vec<ApiKey>> {
        self.app(app_id).await?;
        let mut conn = self.store.conn().await?;
        Ok(store::api_keys::list_app_keys(&mut conn, app_id).await?)
    }

    pub async fn revoke_api_key(&self, app_id: &str, id: &str, meta: &RequestMeta) -> Result<()> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        if !store::api_keys::revoke_app_key(&mut tx, app_id, id, now).await? {
            return Err(Error::NotFound(format!(
                "there is no active API key {id:?}"
            )));
        }
        event::record(
            &mut tx,
            app_id,
            event::Kind::ApiKeyRevoked,
            None,
            meta,
            event::data([("api_key_id", json!(id))]),
            now,
        )
        .await?;
        super::commit(tx).await?;
        self.api_keys.forget(id);
        Ok(())
    }

    /// Checks an API key for `app_id`: an unknown, revoked, or other app's key is `Unauthorized`.
    pub async fn authenticate_api_key(&self, app_id: &str, secret: &str) -> Result<ApiKey> {
        let unauthorized =
            || Error::Unauthorized(format!("the API key is not valid for app {app_id:?}"));
        if !secret.starts_with(APP_KEY_PREFIX) {
            return Err(unauthorized());
        }
        let hash = hash_secret(secret);
        let key = match self.api_keys.get(&hash) {
            Some(key) => key,
            None => {
                let mut conn = self.store.conn().await?;
                let key = store::api_keys::find_active_by_hash(&mut conn, &hash)
                    .await?
                    .ok_or_else(unauthorized)?;
                self.api_keys.put(hash, key.clone());
                key
            }
        };
        if key.app_id.as_deref() != Some(app_id) {
            return Err(unauthorized());
        }
        Ok(key)
    }

    /// Checks an admin key: the configured `LATCHKEY_ADMIN_KEY` or one created by the CLI.
    pub async fn authenticate_admin_key(&self, secret: &str) -> Result<()> {
        if let Some(configured) = &self.admin_key_hash
            && ct_eq(configured, &hash_secret(secret))
        {
            return Ok(());
        }
        let unauthorized = || Error::Unauthorized("the admin key is not valid".to_owned());
        if !secret.starts_with(ADMIN_KEY_PREFIX) {
            return Err(unauthorized());
        }
        let mut conn = self.store.conn().await?;
        match store::api_keys::find_active_by_hash(&mut conn, &hash_secret(secret)).await? {
            Some(key) if key.app_id.is_none() => Ok(()),
            _ => Err(unauthorized()),
        }
    }
}
