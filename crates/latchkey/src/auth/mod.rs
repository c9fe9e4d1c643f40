//! The domain: every rule of Latchkey, and nothing of HTTP.
//!
//! [`Auth`] holds what every rule needs (the store, the clock, the master key, the caches) and
//! hands out one small service per capability: [`Auth::apps`], [`Auth::api_keys`],
//! [`Auth::tokens`], [`Auth::users`], [`Auth::sessions`], [`Auth::passkeys`], [`Auth::email`],
//! [`Auth::events`], [`Auth::compat`] and [`Auth::maintenance`]. Every way of signing in ends in
//! the one sign-in pipeline ([`sign_in`]). Each public operation validates its input, runs its
//! state change in one store transaction (so a failed request leaves nothing behind), records an
//! audit event in that same transaction, and returns domain types.
//!
//! The [`store`] is private to this module: rows go in and out only through the domain.

/// A closed set of string values (a setting, a purpose, an event type): the enum, its wire and
/// column name (`as_str`, `FromStr`, `Display`), and serde and OpenAPI forms that use that name.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
        )]
        $vis enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant ),+
        }

        // Written out rather than derived: the derive does not see the wire names through
        // the macro, and would describe the variants' Rust names.
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}

        impl $name {
            /// Every value, in declaration order.
            #[allow(dead_code)]
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The value's wire and column name.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::auth::UnknownValue;

            fn from_str(text: &str) -> std::result::Result<Self, Self::Err> {
                match text {
                    $($text => Ok(Self::$variant),)+
                    _ => Err($crate::auth::UnknownValue {
                        what: stringify!($name),
                        value: text.chars().take(64).collect(),
                    }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub mod api_keys;
pub mod apps;
pub mod compat;
pub mod dpop;
pub mod email;
pub mod error;
pub mod events;
pub mod ids;
pub(crate) mod jobs;
pub mod mfa;
mod notices;
pub mod oauth_clients;
pub mod oidc;
pub mod organizations;
pub mod passkeys;
pub mod roles;
pub mod sessions;
pub mod sign_in;
mod store;
pub mod throttle;
pub mod tokens;
pub mod users;

use std::sync::Arc;

use crate::clock::Clock;
use crate::crypto::{MasterKey, hash_secret};
use crate::mail::Mailer;
use store::Store;

pub use apps::{App, Site};
pub use error::{Error, Result};
pub use ids::{AppId, SessionId, UserId};
pub use sessions::{Principal, Session};
pub use sign_in::{Amr, SignIn, SignInOutcome};
pub use users::{EmailAddress, User};

/// A stored or sent value outside its closed set.
#[derive(Debug, thiserror::Error)]
#[error("{value:?} is not a {what}")]
pub struct UnknownValue {
    pub what: &'static str,
    pub value: String,
}

/// Where a request came from, for sessions and the audit log.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct RequestMeta {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// What every domain rule reaches: the store, the clock, the keys and the caches. The HTTP
/// layer holds one in its state and asks it for the service of a capability.
pub struct Auth {
    store: Store,
    clock: Clock,
    /// Encrypts signing keys at rest; keys the hashes of one-time codes.
    master_key: Arc<MasterKey>,
    /// `PUBLIC_URL` without a trailing slash: the base of every issuer and email link.
    public_url: String,
    /// SHA-256 of `LATCHKEY_ADMIN_KEY`, if configured.
    admin_key_hash: Option<Vec<u8>>,
    apps: apps::AppCache,
    domains: apps::DomainMap,
    keys: tokens::KeyCache,
    api_keys: api_keys::ApiKeyCache,
    /// Delivers emails for the job outbox.
    mailer: Arc<Mailer>,
    /// Wakes this process's job worker after a transaction that enqueued a job commits.
    jobs: jobs::Notifier,
    /// Where passkey ceremonies wait for their answer (memory on SQLite, the store on
    /// PostgreSQL).
    ceremonies: passkeys::ceremony::InFlight,
    /// Rate limits, counted here and synced with the store's shared counts.
    limiter: throttle::Limiter,
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Auth")
            .field("public_url", &self.public_url)
            .finish_non_exhaustive()
    }
}

/// How the domain is set up: what [`Auth::open`] needs besides the clock.
pub struct Setup<'a> {
    pub database_url: &'a str,
    pub master_key: MasterKey,
    pub public_url: &'a str,
    pub admin_key: Option<&'a str>,
    pub mailer: Mailer,
    pub rate_limits: throttle::Limits,
}

impl Auth {
    /// Opens the store (running migrations, checking the master key against the one the
    /// database was set up with) and assembles the domain.
    pub async fn open(setup: Setup<'_>, clock: Clock) -> Result<Self, OpenError> {
        let store = Store::connect(setup.database_url)
            .await
            .map_err(OpenError::Connect)?;
        store.migrate().await.map_err(OpenError::Migrate)?;
        let master_key = setup.master_key;
        let matches = store
            .check_master_key(master_key.seal(MASTER_KEY_CHECK, b"latchkey"), |sealed| {
                master_key.open(MASTER_KEY_CHECK, sealed).is_some()
            })
            .await
            .map_err(OpenError::Connect)?;
        if !matches {
            return Err(OpenError::WrongMasterKey);
        }
        Ok(Self {
            ceremonies: passkeys::ceremony::InFlight::for_store(&store),
            store,
            clock,
            master_key: Arc::new(master_key),
            public_url: setup.public_url.trim_end_matches('/').to_owned(),
            admin_key_hash: setup.admin_key.filter(|k| !k.is_empty()).map(hash_secret),
            apps: apps::AppCache::default(),
            domains: apps::DomainMap::default(),
            keys: tokens::KeyCache::default(),
            api_keys: api_keys::ApiKeyCache::default(),
            mailer: Arc::new(setup.mailer),
            jobs: jobs::Notifier::default(),
            limiter: throttle::Limiter::new(setup.rate_limits),
        })
    }

    /// The instance's public base URL.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// The clock every rule reads.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Apps (tenants) and their settings.
    pub fn apps(&self) -> apps::Apps<'_> {
        apps::Apps { auth: self }
    }

    /// App API keys and instance admin keys.
    pub fn api_keys(&self) -> api_keys::ApiKeys<'_> {
        api_keys::ApiKeys { auth: self }
    }

    /// Signing keys, access tokens and JWKS.
    pub fn tokens(&self) -> tokens::Tokens<'_> {
        tokens::Tokens { auth: self }
    }

    /// The OAuth clients of the apps' OpenID Providers.
    pub fn oauth_clients(&self) -> oauth_clients::OAuthClients<'_> {
        oauth_clients::OAuthClients { auth: self }
    }

    /// Each app's OpenID Provider: authorization, tokens, userinfo, introspection, revocation,
    /// logout and consents.
    pub fn oidc(&self) -> oidc::Oidc<'_> {
        oidc::Oidc { auth: self }
    }

    /// DPoP proof checking.
    pub fn dpop(&self) -> dpop::Dpop<'_> {
        dpop::Dpop { auth: self }
    }

    /// User management.
    pub fn users(&self) -> users::Users<'_> {
        users::Users { auth: self }
    }

    /// Sessions: who is signed in, refresh, sign-out, token verification.
    pub fn sessions(&self) -> sessions::Sessions<'_> {
        sessions::Sessions { auth: self }
    }

    /// Passkey ceremonies and registered passkeys.
    pub fn passkeys(&self) -> passkeys::Passkeys<'_> {
        passkeys::Passkeys { auth: self }
    }

    /// Organizations, their members and the members' roles.
    pub fn organizations(&self) -> organizations::Organizations<'_> {
        organizations::Organizations { auth: self }
    }

    /// Roles and permissions, and what a user may do.
    pub fn roles(&self) -> roles::Roles<'_> {
        roles::Roles { auth: self }
    }

    /// Multi-factor authentication: second factors, backup codes, the second step of a sign-in,
    /// re-authentication.
    pub fn mfa(&self) -> mfa::Mfa<'_> {
        mfa::Mfa { auth: self }
    }

    /// Email one-time codes and magic links.
    pub fn email(&self) -> email::EmailCodes<'_> {
        email::EmailCodes { auth: self }
    }

    /// The audit log.
    pub fn events(&self) -> events::Events<'_> {
        events::Events { auth: self }
    }

    /// What only the compatibility APIs need.
    pub fn compat(&self) -> compat::Compat<'_> {
        compat::Compat { auth: self }
    }

    /// Readiness, clean-up and shutdown.
    pub fn maintenance(&self) -> Maintenance<'_> {
        Maintenance { auth: self }
    }

    /// The one sign-in pipeline every method ends in.
    pub(crate) fn sign_ins(&self) -> sign_in::SignIns<'_> {
        sign_in::SignIns {
            auth: self,
            dpop_jkt: None,
        }
    }

    /// Rate limits of the unauthenticated paths.
    pub fn throttle(&self) -> throttle::Throttle<'_> {
        throttle::Throttle { auth: self }
    }
}

/// What the master-key check value is sealed for.
const MASTER_KEY_CHECK: &[u8] = b"latchkey master key check";

/// Why the domain could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("cannot open the database: {0}")]
    Connect(#[source] store::StoreError),
    #[error("database migration failed: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
    #[error(
        "the master key differs from the one this database was set up with: give every instance \
         the same LATCHKEY_MASTER_KEY (or the same master.key file)"
    )]
    WrongMasterKey,
    #[error(
        "another Latchkey server is serving this SQLite database: one server process owns a \
         SQLite file (stop the other one), or run several instances on PostgreSQL"
    )]
    AlreadyServed,
    #[error("cannot lock the SQLite database for serving: {0}")]
    Lock(#[source] std::io::Error),
}

/// This process's hold on a database only one server may serve (a SQLite file), from
/// [`Maintenance::hold_for_serving`] until dropped.
#[derive(Debug)]
pub struct ServingGuard(#[allow(dead_code, reason = "held, not read")] store::ServingLock);

/// Readiness, the periodic clean-up, and closing the store.
pub struct Maintenance<'a> {
    auth: &'a Auth,
}

impl Maintenance<'_> {
    /// Makes this process the server of its database until the guard drops: a SQLite file is
    /// served by one process (its ceremonies wait in that process's memory), so a second
    /// server on it is refused; PostgreSQL is shared by any number.
    pub async fn hold_for_serving(&self) -> Result<ServingGuard, OpenError> {
        match self.auth.store.hold_for_serving().await {
            Ok(Some(lock)) => Ok(ServingGuard(lock)),
            Ok(None) => Err(OpenError::AlreadyServed),
            Err(e) => Err(OpenError::Lock(e)),
        }
    }

    /// Whether the store answers, for `/ready`.
    pub async fn ready(&self) -> bool {
        self.auth.store.ping().await
    }

    /// Deletes what every capability no longer needs (expired ceremonies, stale codes, old
    /// rate-limit counts, long-failed jobs, sessions a day after they ended with their tokens
    /// (a live session keeps its spent refresh tokens: presenting one again must revoke it),
    /// audit events older than `event_retention` seconds), then gives the space back; each
    /// capability owns its retention
    /// rule. Large backlogs go in batches, so no sweep holds the store for long.
    pub async fn sweep(&self, event_retention: i64) -> Result<()> {
        /// Rows of one kind one unit of work deletes at most.
        const BATCH: i64 = 5_000;
        let now = self.auth.clock.now();
        self.auth.ceremonies.sweep(&self.auth.store, now).await?;
        self.auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    email::sweep(conn, now).await?;
                    oidc::Oidc::sweep(conn, now).await?;
                    mfa::Mfa::sweep(conn, now).await?;
                    organizations::sweep(conn, now).await?;
                    throttle::sweep(conn, now).await?;
                    jobs::delete_old_failed(conn, now).await?;
                    Ok::<_, Error>(())
                })
            })
            .await?;
        loop {
            let deleted = self
                .auth
                .store
                .write(move |conn| {
                    Box::pin(async move {
                        let ended = now - sessions::ENDED_KEPT;
                        let sessions = store::sessions::delete_ended(conn, ended, BATCH).await?;
                        let events =
                            store::events::delete_older(conn, now - event_retention, BATCH).await?;
                        Ok::<_, Error>(sessions.max(events))
                    })
                })
                .await?;
            if deleted < BATCH.unsigned_abs() {
                break;
            }
        }
        // What the deletions freed goes back to the file system (SQLite; PostgreSQL's
        // autovacuum does this itself).
        Ok(self.auth.store.reclaim_space().await?)
    }

    /// Starts the rate limits from the counts every instance shared (before serving).
    pub async fn load_rate_limits(&self) -> Result<()> {
        let now = self.auth.clock.now();
        Ok(self.auth.limiter.load(&self.auth.store, now).await?)
    }

    /// Shares what this instance counted against rate limits with the other instances, and
    /// learns what they counted (every second while serving, once more at shutdown).
    pub async fn sync_rate_limits(&self) -> Result<()> {
        let now = self.auth.clock.now();
        Ok(self.auth.limiter.sync(&self.auth.store, now).await?)
    }

    /// Closes the store, waiting for connections in use.
    pub async fn close(&self) {
        self.auth.store.close().await;
    }
}

/// `base` with the settings `changes` names replaced: a JSON merge patch (RFC 7396) of the
/// serialized `changes` (absent fields skipped, `null` clearing an optional one), read back
/// whole so that every setting is checked by its type.
pub(crate) fn merge_patch<T, P>(base: &T, changes: &P) -> Result<T>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
    P: serde::Serialize,
{
    let internal = |e: serde_json::Error| Error::Internal(format!("settings: {e}"));
    let mut merged = serde_json::to_value(base).map_err(internal)?;
    if let (Some(merged), serde_json::Value::Object(changes)) = (
        merged.as_object_mut(),
        serde_json::to_value(changes).map_err(internal)?,
    ) {
        merged.extend(changes);
    }
    serde_json::from_value(merged)
        .map_err(|e| Error::InvalidRequest(format!("the settings are not valid: {e}")))
}

/// A setting that may be left out but, when sent, holds a value: `null` is refused, not read
/// as "left out".
pub(crate) fn present<'de, D, T>(d: D) -> std::result::Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// Tells "absent" (`None`) from "null" (`Some(None)`) in a patch.
pub(crate) fn nullable<'de, D, T>(d: D) -> std::result::Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}
