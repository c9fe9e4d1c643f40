//! The domain: every rule of Latchkey, and nothing of HTTP.
//!
//! [`Auth`] is the one service the HTTP layer calls. Each public operation validates its input,
//! runs its state change in one store transaction (so a failed request leaves nothing behind),
//! records an audit event in that same transaction, and returns domain types.

pub mod aaguid;
pub mod app;
pub mod compat;
pub mod email;
pub mod error;
pub mod event;
pub mod jobs;
pub mod keys;
pub mod passkey;
pub mod session;
pub(crate) mod store;
pub mod token;
pub mod user;

use crate::auth::store::Store;
use crate::clock::Clock;
use crate::crypto::{MasterKey, hash_secret};

pub use error::{Error, Result};

/// Where a request came from, for sessions and the audit log.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct RequestMeta {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// The domain service: the store plus the keys and caches every operation needs.
pub struct Auth {
    pub store: Store,
    pub clock: Clock,
    /// Encrypts signing keys at rest.
    master_key: MasterKey,
    /// `PUBLIC_URL` without a trailing slash: the base of every issuer.
    public_url: String,
    /// SHA-256 of `LATCHKEY_ADMIN_KEY`, if configured.
    admin_key_hash: Option<Vec<u8>>,
    apps: app::AppCache,
    keys: token::KeyCache,
    api_keys: keys::ApiKeyCache,
    /// Delivers emails after their transaction commits.
    mailer: std::sync::Arc<crate::mail::Mailer>,
    /// Wakes this process's job worker after a transaction that enqueued a job commits.
    pub(crate) jobs: jobs::Notifier,
}

impl Auth {
    pub fn new(
        store: Store,
        master_key: MasterKey,
        public_url: &str,
        admin_key: Option<&str>,
        mailer: crate::mail::Mailer,
        clock: Clock,
    ) -> Self {
        Self {
            store,
            clock,
            master_key,
            public_url: public_url.trim_end_matches('/').to_owned(),
            admin_key_hash: admin_key.filter(|k| !k.is_empty()).map(hash_secret),
            apps: app::AppCache::default(),
            keys: token::KeyCache::default(),
            api_keys: keys::ApiKeyCache::default(),
            mailer: std::sync::Arc::new(mailer),
            jobs: jobs::Notifier::default(),
        }
    }

    /// The instance's public base URL.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }
}

/// A new time-ordered id (UUIDv7): ids sort by creation, which is what cursors rely on.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Commits a transaction, turning a failure into a domain error.
pub(crate) async fn commit(tx: crate::auth::store::Tx) -> Result<()> {
    tx.commit()
        .await
        .map_err(|e| Error::from(crate::auth::store::StoreError::from(e)))
}
